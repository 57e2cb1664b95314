//! The body map: a simple drawing of the back (and the front, for the shoulders and chest) whose
//! regions and muscles can be picked. The journal form uses it to tick the matching boxes (a
//! script links each shape to its checkbox, which remain the accessible way to fill the form);
//! the Today page uses it to show where knots come most often.
//!
//! The drawing is ours, in a 400 × 420 frame: the back view centred at x = 100, the front view at
//! x = 300. In the back view the person's left is on the viewer's left; in the front view it is
//! on the viewer's right.

use std::fmt::Write as _;

use unknot_core::body::{Muscle, Region, Side};

/// What the map is for.
#[derive(Debug, Clone, Copy)]
pub enum Mode<'a> {
    /// A picker for the journal form: shapes toggle the boxes with these ids (`region-<id>`,
    /// `knot-<muscle>-<side>`); the given ones start picked.
    Picker {
        /// Regions already picked.
        regions: &'a [Region],
        /// Knots already picked.
        knots: &'a [(Muscle, Side)],
    },
    /// A heat map: each muscle and side shaded by how often it knotted.
    Heat {
        /// Counts by muscle and side (`Both` and `Centre` count on each side / the middle).
        counts: &'a [(Muscle, Side, usize)],
    },
}

/// Where a region is drawn: rectangles in the back view (`false`) or front view (`true`).
pub fn region_shapes(region: Region) -> &'static [(bool, f32, f32, f32, f32)] {
    match region {
        Region::Neck => &[(false, 90.0, 50.0, 20.0, 18.0)],
        Region::Shoulders => &[
            (false, 56.0, 68.0, 24.0, 22.0),
            (false, 120.0, 68.0, 24.0, 22.0),
            (true, 256.0, 68.0, 24.0, 22.0),
            (true, 320.0, 68.0, 24.0, 22.0),
        ],
        Region::UpperBack => &[(false, 80.0, 70.0, 40.0, 50.0)],
        Region::MidBack => &[(false, 76.0, 120.0, 48.0, 45.0)],
        Region::LowerBack => &[(false, 76.0, 165.0, 48.0, 40.0)],
        Region::Buttocks => &[(false, 74.0, 205.0, 52.0, 42.0)],
        Region::Arm => &[
            (false, 40.0, 90.0, 18.0, 110.0),
            (false, 142.0, 90.0, 18.0, 110.0),
            (true, 240.0, 90.0, 18.0, 110.0),
            (true, 342.0, 90.0, 18.0, 110.0),
        ],
        Region::Leg => &[
            (false, 76.0, 247.0, 22.0, 160.0),
            (false, 102.0, 247.0, 22.0, 160.0),
        ],
        Region::Chest => &[(true, 274.0, 72.0, 52.0, 58.0)],
    }
}

/// Where a muscle's spot sits: (front view?, height, distance from the midline).
pub fn muscle_spot(muscle: Muscle) -> (bool, f32, f32) {
    match muscle {
        Muscle::Suboccipitals => (false, 52.0, 7.0),
        Muscle::LevatorScapulae => (false, 64.0, 13.0),
        Muscle::UpperTrapezius => (false, 72.0, 24.0),
        Muscle::Supraspinatus => (false, 84.0, 34.0),
        Muscle::MiddleTrapezius => (false, 88.0, 18.0),
        Muscle::Rhomboids => (false, 104.0, 10.0),
        Muscle::Infraspinatus => (false, 106.0, 28.0),
        Muscle::LowerTrapezius => (false, 124.0, 15.0),
        Muscle::ThoracicErectorSpinae => (false, 146.0, 7.0),
        Muscle::LatissimusDorsi => (false, 142.0, 24.0),
        Muscle::LumbarErectorSpinae => (false, 176.0, 9.0),
        Muscle::QuadratusLumborum => (false, 186.0, 21.0),
        Muscle::Multifidus => (false, 197.0, 5.0),
        Muscle::GluteusMedius => (false, 212.0, 22.0),
        Muscle::Piriformis => (false, 226.0, 9.0),
        Muscle::GluteusMaximus => (false, 238.0, 18.0),
        Muscle::Hamstrings => (false, 300.0, 13.0),
        Muscle::PectoralisMinor => (true, 94.0, 18.0),
        Muscle::Iliopsoas => (true, 214.0, 14.0),
    }
}

/// The x position of a spot on `side` (the person's side) in its view.
pub fn spot_x(front: bool, dx: f32, side: Side) -> f32 {
    let centre = if front { 300.0 } else { 100.0 };
    // Back view: the person's left is the viewer's left. Front view: mirrored.
    let sign = match (side, front) {
        (Side::Left, false) | (Side::Right, true) => -1.0,
        (Side::Right, false) | (Side::Left, true) => 1.0,
        _ => 0.0,
    };
    centre + sign * dx
}

/// The sides a spot is drawn for: left and right for paired muscles, the middle otherwise.
pub fn drawn_sides(muscle: Muscle) -> Vec<Side> {
    let sides = muscle.sides();
    if sides.contains(&Side::Left) {
        vec![Side::Left, Side::Right]
    } else {
        vec![Side::Centre]
    }
}

fn silhouette(out: &mut String, cx: f32) {
    let _ = write!(
        out,
        "<g class=\"body\"><circle cx=\"{cx}\" cy=\"30\" r=\"20\"/>\
         <rect x=\"{}\" y=\"48\" width=\"20\" height=\"22\" rx=\"6\"/>\
         <path d=\"M{} 70 Q{cx} 62 {} 70 L{} 95 L{} 205 Q{cx} 215 {} 205 L{} 95 Z\"/>\
         <rect x=\"{}\" y=\"84\" width=\"18\" height=\"120\" rx=\"9\"/>\
         <rect x=\"{}\" y=\"84\" width=\"18\" height=\"120\" rx=\"9\"/>\
         <rect x=\"{}\" y=\"200\" width=\"54\" height=\"50\" rx=\"16\"/>\
         <rect x=\"{}\" y=\"240\" width=\"23\" height=\"170\" rx=\"10\"/>\
         <rect x=\"{}\" y=\"240\" width=\"23\" height=\"170\" rx=\"10\"/></g>",
        cx - 10.0,
        cx - 44.0,
        cx + 44.0,
        cx + 40.0,
        cx + 26.0,
        cx - 26.0,
        cx - 40.0,
        cx - 60.0,
        cx + 42.0,
        cx - 27.0,
        cx - 25.0,
        cx + 2.0,
    );
}

/// The map as inline SVG.
pub fn svg(mode: Mode) -> String {
    let mut out = String::with_capacity(12_000);
    let (class, aria) = match mode {
        Mode::Picker { .. } => (
            "bodymap picker",
            // The checkboxes below the map are the accessible controls; the map repeats them
            // for pointer users, so screen readers skip it.
            "aria-hidden=\"true\" focusable=\"false\"",
        ),
        Mode::Heat { .. } => (
            "bodymap heat",
            "role=\"img\" aria-label=\"Body map: where knots were recorded most often\"",
        ),
    };
    let _ = write!(
        out,
        "<svg class=\"{class}\" {aria} viewBox=\"0 0 400 420\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    silhouette(&mut out, 100.0);
    silhouette(&mut out, 300.0);
    out.push_str(
        "<text class=\"view-label\" x=\"100\" y=\"418\" text-anchor=\"middle\">Back</text>\
         <text class=\"view-label\" x=\"300\" y=\"418\" text-anchor=\"middle\">Front</text>\
         <text class=\"side-label\" x=\"22\" y=\"60\">L</text>\
         <text class=\"side-label\" x=\"172\" y=\"60\">R</text>\
         <text class=\"side-label\" x=\"222\" y=\"60\">R</text>\
         <text class=\"side-label\" x=\"372\" y=\"60\">L</text>",
    );
    match mode {
        Mode::Picker { regions, knots } => {
            for &region in Region::ALL {
                let on = if regions.contains(&region) { " on" } else { "" };
                for &(_front, x, y, w, h) in region_shapes(region) {
                    let _ = write!(
                        out,
                        "<rect class=\"region{on}\" data-toggle=\"region-{id}\" data-region=\"{id}\" \
                         x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" rx=\"6\"><title>{label}</title></rect>",
                        id = region.id(),
                        label = region.label(),
                    );
                }
            }
            for &muscle in Muscle::ALL {
                let (front, y, dx) = muscle_spot(muscle);
                for side in drawn_sides(muscle) {
                    let on = if knots.contains(&(muscle, side)) {
                        " on"
                    } else {
                        ""
                    };
                    let _ = write!(
                        out,
                        "<circle class=\"knot{on}\" data-toggle=\"knot-{m}-{s}\" data-muscle=\"{m}\" \
                         data-side=\"{s}\" cx=\"{x}\" cy=\"{y}\" r=\"6.5\"><title>{label}, {side}</title></circle>",
                        m = muscle.id(),
                        s = side.id(),
                        x = spot_x(front, dx, side),
                        label = muscle.label(),
                        side = side.label(),
                    );
                }
            }
        }
        Mode::Heat { counts } => {
            let max = counts.iter().map(|c| c.2).max().unwrap_or(0).max(1) as f32;
            for &(muscle, side, n) in counts {
                if n == 0 {
                    continue;
                }
                let (front, y, dx) = muscle_spot(muscle);
                let sides = match side {
                    Side::Both => vec![Side::Left, Side::Right],
                    s if drawn_sides(muscle).contains(&s) => vec![s],
                    _ => drawn_sides(muscle),
                };
                let strength = 0.25 + 0.75 * (n as f32 / max);
                for s in sides {
                    let _ = write!(
                        out,
                        "<circle class=\"hot\" cx=\"{x}\" cy=\"{y}\" r=\"{r:.1}\" fill-opacity=\"{strength:.2}\">\
                         <title>{label}, {side}: {n} times</title></circle>",
                        x = spot_x(front, dx, s),
                        r = 5.0 + 5.0 * (n as f32 / max),
                        label = muscle.label(),
                        side = s.label(),
                    );
                }
            }
        }
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_and_muscle_side_has_a_shape_to_pick() {
        let map = svg(Mode::Picker {
            regions: &[Region::LowerBack],
            knots: &[(Muscle::Rhomboids, Side::Left)],
        });
        for r in Region::ALL {
            assert!(
                map.contains(&format!("data-toggle=\"region-{}\"", r.id())),
                "{r:?}"
            );
        }
        for m in Muscle::ALL {
            for s in drawn_sides(*m) {
                assert!(
                    map.contains(&format!("data-toggle=\"knot-{}-{}\"", m.id(), s.id())),
                    "{m:?} {s:?}"
                );
            }
        }
        assert!(map.contains("class=\"region on\" data-toggle=\"region-lower-back\""));
        assert!(map.contains("class=\"knot on\" data-toggle=\"knot-rhomboids-left\""));
    }

    #[test]
    fn spots_stay_inside_the_frame_and_do_not_overlap() {
        let mut spots = Vec::new();
        for m in Muscle::ALL {
            let (front, y, dx) = muscle_spot(*m);
            for s in drawn_sides(*m) {
                let x = spot_x(front, dx, s);
                assert!((0.0..400.0).contains(&x) && (0.0..420.0).contains(&y));
                spots.push((x, y, *m, s));
            }
        }
        for (i, a) in spots.iter().enumerate() {
            for b in &spots[i + 1..] {
                let d = ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
                assert!(d >= 10.0, "{:?} and {:?} overlap ({d:.1})", a, b);
            }
        }
    }

    #[test]
    fn the_heat_map_draws_only_muscles_that_knotted() {
        let map = svg(Mode::Heat {
            counts: &[
                (Muscle::UpperTrapezius, Side::Both, 4),
                (Muscle::Rhomboids, Side::Left, 0),
            ],
        });
        assert_eq!(map.matches("class=\"hot\"").count(), 2);
        assert!(map.contains("Upper trapezius, left: 4 times"));
    }
}

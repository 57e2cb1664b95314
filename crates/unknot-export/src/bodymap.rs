//! The body map: a simple drawing of the back (and the front, for the shoulders and chest) whose
//! regions and muscles can be picked. The journal form uses it to tick the matching boxes (a
//! script links each shape to its checkbox, which remain the accessible way to fill the form);
//! the Today page and the visit summary use it to show where knots come most often.
//!
//! Two drawings, both ours. The heat map is one 400 × 420 frame: the back view centred at
//! x = 100, the front view at x = 300. The picker is drawn for fingers: a back view and a front
//! view (one shown at a time), each a 136 × 300 frame centred at x = 100, whose areas are at
//! least 26 units across (45 px at the 236 px the page draws it), and whose knot spots are shown
//! only when the page zooms into one area, where they are at least 12 units apart. In a back view
//! the person's left is on the viewer's left; in a front view it is on the viewer's right.

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

/// The map as inline SVG: the heat map as one drawing; the picker as its two views.
pub fn svg(mode: Mode) -> String {
    match mode {
        Mode::Picker { regions, knots } => picker(regions, knots),
        Mode::Heat { counts } => heat(counts),
    }
}

fn heat(counts: &[(Muscle, Side, usize)]) -> String {
    let mut out = String::with_capacity(12_000);
    out.push_str(
        "<svg class=\"bodymap heat\" role=\"img\" aria-label=\"Body map: where knots were recorded most often\" \
         viewBox=\"0 0 400 420\" xmlns=\"http://www.w3.org/2000/svg\">",
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
    out.push_str("</svg>");
    out
}

/// One tappable area of the picker: which view, the region it records (none for an area that
/// only zooms in to show knots, such as the front of the hips), its rectangle and its name.
#[derive(Debug, Clone, Copy)]
pub struct Area {
    /// In the front view?
    pub front: bool,
    /// The region tapping it records.
    pub region: Option<Region>,
    /// Left edge, top edge, width and height, in the view's units.
    pub rect: (f32, f32, f32, f32),
    /// Its name, when it records no region.
    pub name: &'static str,
}

const fn area(front: bool, region: Region, rect: (f32, f32, f32, f32)) -> Area {
    Area {
        front,
        region: Some(region),
        rect,
        name: "",
    }
}

/// The picker's areas, back view first. None overlap; each is at least 26 units across.
pub const AREAS: &[Area] = &[
    area(false, Region::Neck, (82.0, 36.0, 36.0, 26.0)),
    area(false, Region::Shoulders, (40.0, 58.0, 34.0, 30.0)),
    area(false, Region::Shoulders, (126.0, 58.0, 34.0, 30.0)),
    area(false, Region::UpperBack, (74.0, 62.0, 52.0, 50.0)),
    area(false, Region::MidBack, (74.0, 112.0, 52.0, 40.0)),
    area(false, Region::LowerBack, (74.0, 152.0, 52.0, 38.0)),
    area(false, Region::Buttocks, (70.0, 190.0, 60.0, 40.0)),
    area(false, Region::Arm, (40.0, 88.0, 30.0, 97.0)),
    area(false, Region::Arm, (130.0, 88.0, 30.0, 97.0)),
    area(false, Region::Leg, (72.0, 230.0, 27.0, 70.0)),
    area(false, Region::Leg, (101.0, 230.0, 27.0, 70.0)),
    area(true, Region::Shoulders, (40.0, 58.0, 34.0, 30.0)),
    area(true, Region::Shoulders, (126.0, 58.0, 34.0, 30.0)),
    area(true, Region::Chest, (74.0, 62.0, 52.0, 56.0)),
    area(true, Region::Arm, (40.0, 88.0, 30.0, 97.0)),
    area(true, Region::Arm, (130.0, 88.0, 30.0, 97.0)),
    Area {
        front: true,
        region: None,
        rect: (74.0, 168.0, 52.0, 40.0),
        name: "Front of the hips",
    },
    area(true, Region::Leg, (72.0, 230.0, 27.0, 70.0)),
    area(true, Region::Leg, (101.0, 230.0, 27.0, 70.0)),
];

/// Where a muscle's spot sits in the picker: (front view?, height, distance from the midline).
pub fn picker_spot(muscle: Muscle) -> (bool, f32, f32) {
    match muscle {
        Muscle::Suboccipitals => (false, 42.0, 6.0),
        Muscle::LevatorScapulae => (false, 55.0, 12.0),
        Muscle::UpperTrapezius => (false, 65.0, 36.0),
        Muscle::Supraspinatus => (false, 68.0, 48.0),
        Muscle::Infraspinatus => (false, 80.0, 44.0),
        Muscle::MiddleTrapezius => (false, 76.0, 18.0),
        Muscle::Rhomboids => (false, 94.0, 9.0),
        Muscle::LowerTrapezius => (false, 120.0, 13.0),
        Muscle::ThoracicErectorSpinae => (false, 138.0, 6.0),
        Muscle::LatissimusDorsi => (false, 142.0, 21.0),
        Muscle::LumbarErectorSpinae => (false, 160.0, 8.0),
        Muscle::QuadratusLumborum => (false, 170.0, 20.0),
        Muscle::Multifidus => (false, 181.0, 6.0),
        Muscle::GluteusMedius => (false, 198.0, 20.0),
        Muscle::Piriformis => (false, 210.0, 9.0),
        Muscle::GluteusMaximus => (false, 222.0, 16.0),
        Muscle::Hamstrings => (false, 262.0, 14.0),
        Muscle::PectoralisMinor => (true, 80.0, 14.0),
        Muscle::Iliopsoas => (true, 190.0, 12.0),
    }
}

/// The x position of a picker spot on `side` in its view (both views are centred at 100, as
/// the heat map's back view is).
pub fn picker_x(front: bool, dx: f32, side: Side) -> f32 {
    spot_x(front, dx, side) - if front { 200.0 } else { 0.0 }
}

/// The square an area zooms to (x, y, side), padded around it; `None` when it holds no spots.
pub fn zoom_box(a: &Area) -> Option<(f32, f32, f32)> {
    let (x, y, w, h) = a.rect;
    let holds_spot = Muscle::ALL.iter().any(|m| {
        let (front, sy, dx) = picker_spot(*m);
        front == a.front
            && drawn_sides(*m).iter().any(|s| {
                let sx = picker_x(front, dx, *s);
                sx > x && sx < x + w && sy > y && sy < y + h
            })
    });
    holds_spot.then(|| {
        let side = w.max(h) + 16.0;
        (x + w / 2.0 - side / 2.0, y + h / 2.0 - side / 2.0, side)
    })
}

fn picker_silhouette(out: &mut String) {
    out.push_str(
        "<g class=\"body\"><circle cx=\"100\" cy=\"20\" r=\"14\"/>\
         <rect x=\"92\" y=\"30\" width=\"16\" height=\"30\" rx=\"5\"/>\
         <path d=\"M56 68 Q100 52 144 68 L150 92 L128 112 L126 168 Q132 188 132 206 L130 234 L70 234 L68 206 Q68 188 74 168 L72 112 L50 92 Z\"/>\
         <rect x=\"44\" y=\"72\" width=\"22\" height=\"118\" rx=\"11\"/>\
         <rect x=\"134\" y=\"72\" width=\"22\" height=\"118\" rx=\"11\"/>\
         <rect x=\"73\" y=\"222\" width=\"25\" height=\"84\" rx=\"11\"/>\
         <rect x=\"102\" y=\"222\" width=\"25\" height=\"84\" rx=\"11\"/></g>",
    );
}

fn picker_view(out: &mut String, front: bool, regions: &[Region], knots: &[(Muscle, Side)]) {
    let (view, left_x, right_x) = if front {
        ("front", 156.0, 44.0)
    } else {
        ("back", 44.0, 156.0)
    };
    let _ = write!(
        out,
        "<svg class=\"bodymap picker\" data-view=\"{view}\" aria-hidden=\"true\" focusable=\"false\" \
         viewBox=\"32 2 136 300\" data-whole=\"32 2 136 300\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    picker_silhouette(out);
    let _ = write!(
        out,
        "<text class=\"side-label\" x=\"{left_x}\" y=\"16\" text-anchor=\"middle\">L</text>\
         <text class=\"side-label\" x=\"{right_x}\" y=\"16\" text-anchor=\"middle\">R</text>"
    );
    for a in AREAS.iter().filter(|a| a.front == front) {
        let (x, y, w, h) = a.rect;
        let zoom = zoom_box(a)
            .map(|(zx, zy, side)| format!(" data-zoom=\"{zx} {zy} {side} {side}\""))
            .unwrap_or_default();
        match a.region {
            Some(region) => {
                let on = if regions.contains(&region) { " on" } else { "" };
                let _ = write!(
                    out,
                    "<rect class=\"region{on}\" data-toggle=\"region-{id}\" data-region=\"{id}\" data-label=\"{label}\"{zoom} \
                     x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" rx=\"8\"><title>{label}</title></rect>",
                    id = region.id(),
                    label = region.label(),
                );
            }
            None => {
                let _ = write!(
                    out,
                    "<rect class=\"region zoom-only\" data-label=\"{label}\"{zoom} \
                     x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" rx=\"8\"><title>{label}</title></rect>",
                    label = a.name,
                );
            }
        }
    }
    for &muscle in Muscle::ALL {
        let (on_front, y, dx) = picker_spot(muscle);
        if on_front != front {
            continue;
        }
        for side in drawn_sides(muscle) {
            let on = if knots.contains(&(muscle, side)) {
                " on"
            } else {
                ""
            };
            let _ = write!(
                out,
                "<circle class=\"knot{on}\" data-toggle=\"knot-{m}-{s}\" data-label=\"{label}, {side}\" \
                 cx=\"{x}\" cy=\"{y}\" r=\"3.5\"><title>{label}, {side}</title></circle>",
                m = muscle.id(),
                s = side.id(),
                x = picker_x(front, dx, side),
                label = muscle.label(),
                side = side.label(),
            );
        }
    }
    out.push_str("</svg>");
}

fn picker(regions: &[Region], knots: &[(Muscle, Side)]) -> String {
    let mut out = String::with_capacity(16_000);
    picker_view(&mut out, false, regions, knots);
    picker_view(&mut out, true, regions, knots);
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
        assert_eq!(map.matches("<svg").count(), 2, "a back and a front view");
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

    fn overlap(a: (f32, f32, f32, f32), b: (f32, f32, f32, f32)) -> bool {
        a.0 < b.0 + b.2 && b.0 < a.0 + a.2 && a.1 < b.1 + b.3 && b.1 < a.1 + a.3
    }

    #[test]
    fn picker_areas_are_finger_sized_and_apart() {
        for (i, a) in AREAS.iter().enumerate() {
            let (x, y, w, h) = a.rect;
            // 26 units are 45 px at the 236 px the page draws a 136-unit view.
            assert!(w >= 26.0 && h >= 26.0, "{a:?} is too small");
            assert!(
                x >= 32.0 && x + w <= 168.0 && y >= 2.0 && y + h <= 302.0,
                "{a:?}"
            );
            for b in &AREAS[i + 1..] {
                assert!(
                    a.front != b.front || !overlap(a.rect, b.rect),
                    "{a:?} {b:?}"
                );
            }
        }
    }

    #[test]
    fn each_knot_spot_sits_in_a_zoomable_area_of_its_region_away_from_the_others() {
        let mut spots = Vec::new();
        for m in Muscle::ALL {
            let (front, y, dx) = picker_spot(*m);
            for s in drawn_sides(*m) {
                let x = picker_x(front, dx, s);
                let home = AREAS.iter().find(|a| {
                    let (ax, ay, w, h) = a.rect;
                    a.front == front
                        && x > ax + 3.0
                        && x < ax + w - 3.0
                        && y > ay + 3.0
                        && y < ay + h - 3.0
                });
                let home = home.unwrap_or_else(|| panic!("{m:?} {s:?} is in no area"));
                assert!(
                    home.region.is_none_or(|r| r == m.region()),
                    "{m:?} sits in {home:?}"
                );
                assert!(zoom_box(home).is_some(), "{home:?} zooms in");
                spots.push((front, x, y, *m, s));
            }
        }
        for (i, a) in spots.iter().enumerate() {
            for b in spots[i + 1..].iter().filter(|b| b.0 == a.0) {
                let d = ((a.1 - b.1).powi(2) + (a.2 - b.2).powi(2)).sqrt();
                assert!(d >= 12.0, "{a:?} and {b:?} are {d:.1} apart");
            }
        }
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

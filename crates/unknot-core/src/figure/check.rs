//! The figure check the content validation runs: every keyframe a body could hold (joints in
//! range), resting where its contacts say and nowhere else, doing what its relations say, inside
//! its frame, and moving enough between keyframes to be seen at the figure's scale.

use super::Figure;
use super::camera::Camera;
use super::contacts;
use super::kinematics::Body;
use super::pose::{Limb, PER_SIDE, Pose, WHOLE_BODY};
use super::relations::{self, Seen};
use super::surface::{all_balls, all_spots};

/// A reason a figure is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureProblem {
    /// Which keyframe (from 1; 0 for the figure as a whole).
    pub keyframe: usize,
    /// What is wrong, in words, naming the body point where there is one.
    pub message: String,
}

/// The widest and tallest a whole-body drawing may be (metres).
pub const MAX_SIZE: (f32, f32) = (2.7, 2.5);
/// The least a figure must move between keyframes, in metres at the drawing's scale.
pub const MIN_MOVE: f32 = 0.08;

/// Each joint angle of a pose with the range a person can reach: (name, value, lowest,
/// highest).
pub fn joint_angles(p: &Pose) -> Vec<(String, f32, f32, f32)> {
    let mut out: Vec<(String, f32, f32, f32)> = [
        ("waist", p.waist, -55.0, 70.0),
        ("side_bend", p.side_bend, -40.0, 40.0),
        ("twist", p.twist, -60.0, 60.0),
        ("neck", p.neck, -70.0, 75.0),
        ("neck_side", p.neck_side, -45.0, 45.0),
        ("neck_turn", p.neck_turn, -80.0, 80.0),
        ("nod", p.nod, -30.0, 35.0),
        ("breath", p.breath, 0.0, 1.0),
    ]
    .into_iter()
    .map(|(n, v, lo, hi)| (n.to_string(), v, lo, hi))
    .collect();
    for (i, side) in ["near", "far"].iter().enumerate() {
        let l: &Limb = &p.limbs[i];
        let abducting = l.hip_plane.abs() < 45.0;
        for (n, v, lo, hi) in [
            ("shrug", l.shrug, -10.0, 40.0),
            ("retract", l.retract, -25.0, 25.0),
            ("shoulder", l.shoulder, -70.0, 190.0),
            ("shoulder_plane", l.shoulder_plane, -45.0, 150.0),
            ("arm_turn", l.arm_turn, -90.0, 90.0),
            ("elbow", l.elbow, -10.0, 160.0),
            ("hip", l.hip, -35.0, if abducting { 60.0 } else { 160.0 }),
            ("hip_plane", l.hip_plane, -20.0, 110.0),
            ("hip_turn", l.hip_turn, -45.0, 70.0),
            ("knee", l.knee, -5.0, 165.0),
        ] {
            out.push((format!("{side} {n}"), v, lo, hi));
        }
    }
    out
}

fn keyframe_names(figure: &Figure, k: usize, bad: &mut dyn FnMut(String)) {
    for name in figure.keyframes[k].angles.keys() {
        let bare = name
            .strip_prefix("near_")
            .or_else(|| name.strip_prefix("far_"))
            .unwrap_or(name);
        let known = WHOLE_BODY.contains(&name.as_str()) || PER_SIDE.contains(&bare);
        if !known {
            bad(format!("'{name}' is not an angle a keyframe can set"));
        }
    }
}

fn in_frame(figure: &Figure, bodies: &[Body]) -> Option<String> {
    let cam: Camera = figure.view.camera();
    let mut lo = (f32::MAX, f32::MAX);
    let mut hi = (f32::MIN, f32::MIN);
    for b in bodies {
        for ball in all_balls(b) {
            let (x, y) = cam.project(ball.c);
            lo = (lo.0.min(x - ball.r), lo.1.min(y - ball.r));
            hi = (hi.0.max(x + ball.r), hi.1.max(y + ball.r));
        }
    }
    let (w, h) = (hi.0 - lo.0, hi.1 - lo.1);
    (w > MAX_SIZE.0 || h > MAX_SIZE.1).then(|| {
        format!(
            "the figure needs {w:.1} × {h:.1} m, more than its frame ({:.1} × {:.1} m)",
            MAX_SIZE.0, MAX_SIZE.1
        )
    })
}

fn movement(figure: &Figure, bodies: &[Body]) -> f32 {
    let cam = figure.view.camera();
    let Some(first) = bodies.first() else {
        return 0.0;
    };
    let mut most: f32 = 0.0;
    for b in bodies.iter().skip(1) {
        for s in all_spots() {
            let (p, q) = (s.balls(first), s.balls(b));
            for (x, y) in p.iter().zip(q.iter()) {
                let (a, c) = (cam.project(x.c), cam.project(y.c));
                most = most.max(((a.0 - c.0).powi(2) + (a.1 - c.1).powi(2)).sqrt());
            }
        }
        for (x, y) in [(first.head, b.head), (first.neck_top, b.neck_top)] {
            let (a, c) = (cam.project(x), cam.project(y));
            most = most.max(((a.0 - c.0).powi(2) + (a.1 - c.1).powi(2)).sqrt());
        }
    }
    most
}

fn whole(figure: &Figure, out: &mut Vec<FigureProblem>) {
    let mut bad = |message: String| {
        out.push(FigureProblem {
            keyframe: 0,
            message,
        })
    };
    if figure.keyframes.len() < 2 {
        bad(format!(
            "a figure needs at least two keyframes, found {}",
            figure.keyframes.len()
        ));
    }
    if !(1.0..=30.0).contains(&figure.cycle_seconds) {
        bad(format!(
            "cycle_seconds {} is outside 1 to 30",
            figure.cycle_seconds
        ));
    }
    if let Some(a) = &figure.anchor
        && contacts::spots(a).is_none()
    {
        bad(format!("anchor '{a}' is not a body point"));
    }
    for a in &figure.arrows {
        let (name, side) = a.split_once(':').unwrap_or((a.as_str(), "above"));
        let known = contacts::spots(name).is_some() || matches!(name, "near-blade" | "far-blade");
        if !known || !matches!(side, "above" | "below" | "ahead" | "behind" | "on") {
            bad(format!(
                "arrow '{a}' should read point or point:above|below|ahead|behind|on"
            ));
        }
    }
}

/// Checks every keyframe: joints within human ranges, contacts as stated and nothing else
/// touching, relations holding, inside the frame, and visible movement.
pub fn check(figure: &Figure) -> Vec<FigureProblem> {
    let mut problems = Vec::new();
    whole(figure, &mut problems);
    let setting = figure.setting();
    let bodies: Vec<Body> = (0..figure.keyframes.len())
        .filter_map(|i| figure.body(i, &setting))
        .collect();
    let poses = figure.poses();
    let (Some(first_pose), Some(first)) = (poses.first(), bodies.first()) else {
        return problems;
    };
    for (i, (pose, body)) in poses.iter().zip(&bodies).enumerate() {
        let mut bad = |message: String| {
            problems.push(FigureProblem {
                keyframe: i + 1,
                message,
            })
        };
        keyframe_names(figure, i, &mut bad);
        // A value that is not a number (TOML reads `nan` and `inf`) compares false with every
        // bound, so it is refused by name first.
        for (name, value) in &figure.keyframes[i].angles {
            if !value.is_finite() {
                bad(format!("{name} is {value}, not a number of degrees"));
            }
        }
        for (name, value, lo, hi) in joint_angles(pose) {
            if !value.is_finite() || value < lo - 0.01 || value > hi + 0.01 {
                bad(format!(
                    "{name} at {value:.0} is outside what a body can do ({lo:.0} to {hi:.0})"
                ));
            }
        }
        for m in contacts::check_contacts(figure, i, body, &setting) {
            bad(m);
        }
        let seen = Seen {
            pose,
            body,
            first_pose,
            first,
            setting: &setting,
        };
        for r in &figure.keyframes[i].relations {
            if let Err(m) = relations::check(r, &seen) {
                bad(format!("relation '{r}': {m}"));
            }
        }
    }
    if let Some(m) = in_frame(figure, &bodies) {
        problems.push(FigureProblem {
            keyframe: 0,
            message: m,
        });
    }
    // Only a close-up magnifies; working out its frame is the costly part, so skip it otherwise.
    let zoom = if figure.focus == super::Focus::Body {
        1.0
    } else {
        super::Drawing::new(figure).zoom
    };
    let moved = movement(figure, &bodies) * zoom;
    if bodies.len() >= 2 && moved < MIN_MOVE {
        problems.push(FigureProblem {
            keyframe: 0,
            message: format!(
                "the keyframes differ by only {moved:.2} m as drawn: too small to see (use a close-up focus, or move more)"
            ),
        });
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_angle_that_is_not_a_number_is_refused_by_name() {
        let library = crate::catalogue::Catalogue::builtin().unwrap();
        let mut f = library
            .exercise("pelvic-tilt")
            .and_then(|e| e.figure.clone())
            .unwrap();
        assert!(check(&f).is_empty(), "the library's drawing passes");
        f.keyframes[1].angles.insert("hip".into(), f32::NAN);
        let problems = check(&f);
        assert!(
            problems
                .iter()
                .any(|p| p.keyframe == 2 && p.message.contains("hip is NaN")),
            "{problems:?}"
        );
    }
}

//! The highlighted muscle: which capsules to lay over which piece of the body for a muscle id.
//! A table of anatomy more than drawing, so it lives apart from the painter.

use super::Piece;
use crate::figure::kinematics::Body;
use crate::figure::math::V3;
use crate::figure::surface::{self, Capsule, rings};

/// The highlighted muscle, as capsules laid over the piece they belong to.
pub(super) fn highlight(id: &str, b: &Body) -> Vec<(Piece, Capsule)> {
    let v = trunk_highlight(id, b);
    if v.is_empty() {
        limb_highlight(id, b)
    } else {
        v
    }
}

/// A capsule from `a` (radius `ra`) to `z` (radius `rb`).
fn cap(a: V3, ra: f32, z: V3, rb: f32) -> Capsule {
    Capsule {
        a: surface::Ball { c: a, r: ra },
        b: surface::Ball { c: z, r: rb },
    }
}

/// Muscles of the trunk and neck.
fn trunk_highlight(id: &str, b: &Body) -> Vec<(Piece, Capsule)> {
    let rs = rings(b);
    let back = |i: usize, k: f32| rs[i].c - rs[i].depth * k;
    let front = |i: usize, k: f32| rs[i].c + rs[i].depth * k;
    let both = |f: &dyn Fn(usize) -> (Piece, Capsule)| vec![f(0), f(1)];
    let hf = b.hips_frame;
    match id {
        "gluteus-maximus" | "gluteus-medius" | "piriformis" | "buttocks" => both(&|i| {
            let c =
                b.pelvis - hf.front * 0.06 + hf.right * (0.08 * surface::sign(i)) + hf.up * 0.02;
            (Piece::Trunk, cap(c, 0.065, c - hf.up * 0.04, 0.055))
        }),
        "lower-back" | "lumbar-erector-spinae" | "multifidus" => {
            vec![(Piece::Trunk, cap(back(2, 0.7), 0.035, back(3, 0.7), 0.03))]
        }
        "quadratus-lumborum" => both(&|i| {
            let s = surface::sign(i);
            (
                Piece::Trunk,
                cap(
                    rs[2].c + rs[2].across * (0.75 * s),
                    0.035,
                    rs[3].c + rs[3].across * (0.75 * s),
                    0.03,
                ),
            )
        }),
        "upper-back" | "mid-back" | "thoracic-erector-spinae" => {
            vec![(Piece::Trunk, cap(back(4, 0.72), 0.035, back(6, 0.7), 0.035))]
        }
        "rhomboids" | "middle-trapezius" | "lower-trapezius" | "infraspinatus" => {
            vec![(Piece::Trunk, cap(back(5, 0.75), 0.045, back(6, 0.7), 0.04))]
        }
        "latissimus-dorsi" => both(&|i| {
            let s = surface::sign(i);
            (
                Piece::Trunk,
                cap(
                    rs[3].c + rs[3].across * (0.8 * s),
                    0.035,
                    b.sides[i].shoulder - b.chest_frame.up * 0.06,
                    0.04,
                ),
            )
        }),
        "pectoralis-minor" | "chest" => both(&|i| {
            let s = surface::sign(i);
            (
                Piece::Trunk,
                cap(
                    front(6, 0.8) + rs[6].across * (0.3 * s),
                    0.04,
                    b.sides[i].shoulder,
                    0.035,
                ),
            )
        }),
        "upper-trapezius" | "levator-scapulae" | "neck" => both(&|i| {
            (
                Piece::Neck,
                cap(
                    b.neck_base.lerp(b.neck_top, 0.6),
                    0.03,
                    b.sides[i].shoulder + b.chest_frame.up * 0.03,
                    0.032,
                ),
            )
        }),
        "suboccipitals" => {
            let c = b.neck_top - b.head_frame.front * 0.04;
            vec![(
                Piece::Neck,
                cap(c, 0.035, c - b.chest_frame.up * 0.04, 0.03),
            )]
        }
        _ => Vec::new(),
    }
}

/// Muscles of the limbs.
fn limb_highlight(id: &str, b: &Body) -> Vec<(Piece, Capsule)> {
    let rs = rings(b);
    let front = |i: usize, k: f32| rs[i].c + rs[i].depth * k;
    let both = |f: &dyn Fn(usize) -> (Piece, Capsule)| vec![f(0), f(1)];
    match id {
        "hamstrings" | "leg" => both(&|i| {
            let s = &b.sides[i];
            let off = s.thigh_back * 0.035;
            (
                Piece::Leg(i),
                cap(
                    s.hip.lerp(s.knee, 0.2) + off,
                    0.036,
                    s.hip.lerp(s.knee, 0.85) + off,
                    0.026,
                ),
            )
        }),
        "iliopsoas" => both(&|i| {
            let s = &b.sides[i];
            (
                Piece::Leg(i),
                cap(
                    front(2, 0.5),
                    0.03,
                    s.hip.lerp(s.knee, 0.3) - s.thigh_back * 0.03,
                    0.03,
                ),
            )
        }),
        "shoulders" | "supraspinatus" => both(&|i| {
            (
                Piece::Arm(i),
                cap(b.sides[i].shoulder, 0.05, b.sides[i].shoulder, 0.05),
            )
        }),
        "arm" => both(&|i| {
            (
                Piece::Arm(i),
                cap(b.sides[i].elbow, 0.035, b.sides[i].wrist, 0.025),
            )
        }),
        _ => Vec::new(),
    }
}

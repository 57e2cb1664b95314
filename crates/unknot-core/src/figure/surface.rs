//! The body's surface, as the drawing shows it: the trunk as rings (wider than deep), the limbs
//! as tapered capsules, the head as a ball. Contacts are measured on this same surface, so a
//! knee that looks as if it rests on the mat is the knee the check finds there.

use super::kinematics::{Body, SIDE_SIGN, length};
use super::math::{Frame, V3};

/// A ball of the surface: centre and radius (a radius of 0 is a point on a ring).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ball {
    /// Centre.
    pub c: V3,
    /// Radius.
    pub r: f32,
}

/// A cross-section of the trunk: its centre and two half-axes (across and front to back).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ring {
    /// Centre.
    pub c: V3,
    /// Half the width, towards the right.
    pub across: V3,
    /// Half the depth, towards the front.
    pub depth: V3,
}

impl Ring {
    /// Points around the ring.
    pub fn points(&self, n: usize) -> Vec<V3> {
        (0..n)
            .map(|k| {
                let (s, c) = (k as f32 / n as f32 * std::f32::consts::TAU).sin_cos();
                self.c + self.across * c + self.depth * s
            })
            .collect()
    }
}

/// A tapered capsule between two balls.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Capsule {
    /// One end.
    pub a: Ball,
    /// The other end.
    pub b: Ball,
}

impl Capsule {
    fn new(a: V3, ra: f32, b: V3, rb: f32) -> Capsule {
        Capsule {
            a: Ball { c: a, r: ra },
            b: Ball { c: b, r: rb },
        }
    }

    /// Balls along it, for measuring against curved props.
    pub fn samples(&self, n: usize) -> Vec<Ball> {
        (0..=n)
            .map(|k| {
                let t = k as f32 / n as f32;
                Ball {
                    c: self.a.c.lerp(self.b.c, t),
                    r: self.a.r + (self.b.r - self.a.r) * t,
                }
            })
            .collect()
    }
}

fn mean(a: &Frame, b: &Frame) -> Frame {
    Frame {
        up: (a.up + b.up).unit(),
        front: (a.front + b.front).unit(),
        right: (a.right + b.right).unit(),
    }
}

/// The trunk, from the buttocks to the shoulders: seven rings.
pub fn rings(b: &Body) -> [Ring; 7] {
    let (h, c) = (&b.hips_frame, &b.chest_frame);
    let m = mean(h, c);
    let breath = b.breath.clamp(0.0, 1.0);
    let ring = |centre: V3, f: &Frame, half_width: f32, half_depth: f32| Ring {
        c: centre,
        across: f.right * half_width,
        depth: f.front * half_depth,
    };
    [
        ring(b.pelvis - h.front * 0.035 - h.up * 0.075, h, 0.13, 0.065),
        ring(b.pelvis - h.front * 0.015 - h.up * 0.02, h, 0.165, 0.095),
        ring(
            b.pelvis + h.up * 0.11 + h.front * (0.01 + 0.035 * breath),
            h,
            0.15,
            0.095 + 0.04 * breath,
        ),
        ring(
            b.waist + m.front * (0.02 + 0.03 * breath),
            &m,
            0.14,
            0.09 + 0.03 * breath,
        ),
        ring(b.waist + c.up * 0.12 + c.front * 0.045, c, 0.15, 0.105),
        ring(b.waist + c.up * 0.22 + c.front * 0.045, c, 0.16, 0.11),
        ring(b.neck_base - c.up * 0.03 + c.front * 0.03, c, 0.17, 0.08),
    ]
}

/// The limbs of one side, from the trunk out: upper arm, forearm, hand, thigh, shin, foot.
pub fn limbs(b: &Body, side: usize) -> [Capsule; 6] {
    let s = &b.sides[side];
    let fingertips = s.hand + (s.hand - s.wrist) * 1.3;
    [
        Capsule::new(s.shoulder, 0.052, s.elbow, 0.04),
        Capsule::new(s.elbow, 0.04, s.wrist, 0.027),
        Capsule::new(s.wrist, 0.026, fingertips, 0.017),
        Capsule::new(s.hip, 0.088, s.knee, 0.05),
        Capsule::new(s.knee, 0.05, s.ankle, 0.036),
        Capsule::new(s.heel, 0.033, s.toe, 0.022),
    ]
}

/// The neck.
pub fn neck(b: &Body) -> Capsule {
    Capsule::new(b.neck_base, 0.05, b.neck_top, 0.045)
}

/// A named place on the body that can rest on something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Part {
    /// The head.
    Head,
    /// The top of the shoulder.
    Shoulder,
    /// The chest and upper back.
    UpperBack,
    /// The belly and lower back.
    LowerBack,
    /// The pelvis and buttocks.
    Hips,
    /// The elbow.
    Elbow,
    /// The palm.
    Hand,
    /// The middle of the thigh.
    Thigh,
    /// The knee.
    Knee,
    /// The ankle.
    Ankle,
    /// The heel.
    Heel,
    /// The ball of the foot and toes.
    Toe,
}

/// A part on one side (or the middle, for the head and trunk).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Spot {
    /// Which part.
    pub part: Part,
    /// 0 near (right), 1 far (left); 0 for parts in the middle.
    pub side: usize,
}

impl Part {
    /// Whether the part comes in pairs.
    pub fn paired(self) -> bool {
        !matches!(
            self,
            Part::Head | Part::UpperBack | Part::LowerBack | Part::Hips
        )
    }

    /// Its name in contacts.
    pub fn name(self) -> &'static str {
        match self {
            Part::Head => "head",
            Part::Shoulder => "shoulder",
            Part::UpperBack => "upper-back",
            Part::LowerBack => "lower-back",
            Part::Hips => "hips",
            Part::Elbow => "elbow",
            Part::Hand => "hand",
            Part::Thigh => "thigh",
            Part::Knee => "knee",
            Part::Ankle => "ankle",
            Part::Heel => "heel",
            Part::Toe => "toes",
        }
    }

    /// Parts so close to this one that they may touch what it touches.
    pub fn neighbours(self) -> &'static [Part] {
        match self {
            Part::Head => &[],
            Part::Shoulder => &[Part::UpperBack, Part::Elbow],
            Part::UpperBack => &[Part::Shoulder, Part::LowerBack],
            Part::LowerBack => &[Part::UpperBack, Part::Hips],
            Part::Hips => &[Part::LowerBack, Part::Thigh],
            Part::Elbow => &[Part::Shoulder, Part::Hand],
            Part::Hand => &[Part::Elbow],
            Part::Thigh => &[Part::Hips, Part::Knee],
            Part::Knee => &[Part::Thigh, Part::Ankle],
            Part::Ankle => &[Part::Knee, Part::Heel, Part::Toe],
            Part::Heel => &[Part::Ankle, Part::Toe],
            Part::Toe => &[Part::Ankle, Part::Heel],
        }
    }
}

/// Every spot, near side before far.
pub fn all_spots() -> Vec<Spot> {
    use Part::*;
    let mut v: Vec<Spot> = [Head, UpperBack, LowerBack, Hips]
        .into_iter()
        .map(|part| Spot { part, side: 0 })
        .collect();
    for side in 0..2 {
        for part in [Shoulder, Elbow, Hand, Thigh, Knee, Ankle, Heel, Toe] {
            v.push(Spot { part, side });
        }
    }
    v
}

impl Spot {
    /// Its name: `near-knee`, `far-hand`, `head`.
    pub fn name(&self) -> String {
        if self.part.paired() {
            let side = if self.side == 0 { "near" } else { "far" };
            format!("{side}-{}", self.part.name())
        } else {
            self.part.name().to_string()
        }
    }

    /// Whether `other` is this spot's neighbour on the same side (or in the middle).
    pub fn next_to(&self, other: &Spot) -> bool {
        let same_side = !self.part.paired() || !other.part.paired() || self.side == other.side;
        same_side && self.part.neighbours().contains(&other.part)
    }

    /// The balls of the surface that make up this spot.
    pub fn balls(&self, b: &Body) -> Vec<Ball> {
        let ring_balls = |idx: &[usize]| -> Vec<Ball> {
            let rs = rings(b);
            idx.iter()
                .flat_map(|&i| rs[i].points(16))
                .map(|c| Ball { c, r: 0.0 })
                .collect()
        };
        let s = &b.sides[self.side];
        let one = |c: V3, r: f32| vec![Ball { c, r }];
        match self.part {
            Part::Head => one(b.head, length::HEAD),
            Part::UpperBack => ring_balls(&[4, 5, 6]),
            Part::LowerBack => ring_balls(&[2, 3]),
            Part::Hips => ring_balls(&[0, 1]),
            Part::Shoulder => one(s.shoulder, 0.055),
            Part::Elbow => one(s.elbow, 0.04),
            Part::Hand => one(s.hand, 0.02),
            Part::Thigh => one(s.hip.lerp(s.knee, 0.45), 0.072),
            Part::Knee => one(s.knee, 0.05),
            Part::Ankle => one(s.ankle, 0.037),
            Part::Heel => one(s.heel, 0.033),
            Part::Toe => one(s.toe, 0.022),
        }
    }
}

/// Every ball of the surface, densely enough to find what it rests on or runs into.
pub fn all_balls(b: &Body) -> Vec<Ball> {
    let mut v: Vec<Ball> = rings(b)
        .iter()
        .flat_map(|r| r.points(16))
        .map(|c| Ball { c, r: 0.0 })
        .collect();
    v.push(Ball {
        c: b.head,
        r: length::HEAD,
    });
    v.extend(neck(b).samples(2));
    for side in 0..2 {
        for cap in limbs(b, side) {
            v.extend(cap.samples(4));
        }
    }
    v
}

/// The sign of a side: +1 near (right), -1 far.
pub fn sign(side: usize) -> f32 {
    SIDE_SIGN[side.min(1)]
}

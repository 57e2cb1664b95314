//! Poses as joint angles: the base postures, a keyframe's overrides by name, and the eased
//! blend between keyframes. Angles, not points, are what a person can check against a body's
//! range, and blending angles keeps every limb its own length while it moves.

use super::{Base, Figure};

/// One side's joints. Degrees; flexion, elevation, shrugging and turning out are positive.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Limb {
    /// Shoulder blade raised towards the ear (negative: drawn down).
    pub shrug: f32,
    /// Shoulder blade drawn back towards the spine (negative: forward).
    pub retract: f32,
    /// How far the upper arm is raised from hanging (0) through level (90) to overhead (180);
    /// negative behind.
    pub shoulder: f32,
    /// The direction it is raised in: 90 forwards, 0 out to the side, above 90 across the body,
    /// below 0 behind the line of the shoulders.
    pub shoulder_plane: f32,
    /// The upper arm turned inwards (negative: outwards), which swings a bent forearm across.
    pub arm_turn: f32,
    /// Elbow bend.
    pub elbow: f32,
    /// How far the thigh is raised: 0 standing, 90 sitting, negative behind.
    pub hip: f32,
    /// The direction it is raised in: 90 forwards, 0 out to the side.
    pub hip_plane: f32,
    /// The thigh turned out (negative: in), which swings a bent shin across the body.
    pub hip_turn: f32,
    /// Knee bend.
    pub knee: f32,
}

/// Every angle of a pose. Index 0 of `limbs` is the near side (the person's right), 1 the far.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Pose {
    /// Lean of the lower spine forwards (0 upright, 90 face down with the head ahead, -90 face
    /// up with the head behind).
    pub tilt: f32,
    /// Roll of the whole body onto its right side (90: lying on the right side).
    pub roll: f32,
    /// Turn of the whole body towards its right, about the vertical.
    pub turn: f32,
    /// Bend at the waist (negative: arching back).
    pub waist: f32,
    /// Bend of the trunk to the right.
    pub side_bend: f32,
    /// Turn of the chest to the right against the pelvis.
    pub twist: f32,
    /// Bend of the neck forwards.
    pub neck: f32,
    /// Tip of the head towards the right shoulder.
    pub neck_side: f32,
    /// Turn of the head to the right.
    pub neck_turn: f32,
    /// Nod of the head on the neck (chin down).
    pub nod: f32,
    /// Breath in the belly, 0 (out) to 1 (in).
    pub breath: f32,
    /// Where the anchor point stands, forwards, in metres.
    pub x: f32,
    /// Near and far side.
    pub limbs: [Limb; 2],
}

/// The names a keyframe may set, beside the per-side ones.
pub const WHOLE_BODY: &[&str] = &[
    "tilt",
    "roll",
    "turn",
    "waist",
    "side_bend",
    "twist",
    "neck",
    "neck_side",
    "neck_turn",
    "nod",
    "breath",
    "x",
];

/// Per-side names: plain sets both sides, `near_` and `far_` one.
pub const PER_SIDE: &[&str] = &[
    "shrug",
    "retract",
    "shoulder",
    "shoulder_plane",
    "arm_turn",
    "elbow",
    "hip",
    "hip_plane",
    "hip_turn",
    "knee",
];

impl Limb {
    fn slot(&mut self, name: &str) -> Option<&mut f32> {
        Some(match name {
            "shrug" => &mut self.shrug,
            "retract" => &mut self.retract,
            "shoulder" => &mut self.shoulder,
            "shoulder_plane" => &mut self.shoulder_plane,
            "arm_turn" => &mut self.arm_turn,
            "elbow" => &mut self.elbow,
            "hip" => &mut self.hip,
            "hip_plane" => &mut self.hip_plane,
            "hip_turn" => &mut self.hip_turn,
            "knee" => &mut self.knee,
            _ => return None,
        })
    }

    fn blend(&self, o: &Limb, t: f32) -> Limb {
        let mut out = *self;
        let mut other = *o;
        for name in PER_SIDE {
            if let (Some(a), Some(b)) = (out.slot(name), other.slot(name)) {
                *a += (*b - *a) * t;
            }
        }
        out
    }
}

impl Pose {
    fn slot(&mut self, name: &str) -> Option<&mut f32> {
        Some(match name {
            "tilt" => &mut self.tilt,
            "roll" => &mut self.roll,
            "turn" => &mut self.turn,
            "waist" => &mut self.waist,
            "side_bend" => &mut self.side_bend,
            "twist" => &mut self.twist,
            "neck" => &mut self.neck,
            "neck_side" => &mut self.neck_side,
            "neck_turn" => &mut self.neck_turn,
            "nod" => &mut self.nod,
            "breath" => &mut self.breath,
            "x" => &mut self.x,
            _ => return None,
        })
    }

    /// Sets one named angle (see [`WHOLE_BODY`] and [`PER_SIDE`]); false for an unknown name.
    /// A plain per-side name sets both sides.
    pub fn set(&mut self, name: &str, value: f32) -> bool {
        if let Some(slot) = self.slot(name) {
            *slot = value;
            return true;
        }
        let (sides, bare): (&[usize], &str) = if let Some(n) = name.strip_prefix("near_") {
            (&[0], n)
        } else if let Some(n) = name.strip_prefix("far_") {
            (&[1], n)
        } else {
            (&[0, 1], name)
        };
        let mut known = false;
        for &i in sides {
            if let Some(slot) = self.limbs[i].slot(bare) {
                *slot = value;
                known = true;
            }
        }
        known
    }

    /// The pose `t` of the way from `self` to `o`.
    pub fn blend(&self, o: &Pose, t: f32) -> Pose {
        let mut out = *self;
        let mut other = *o;
        for name in WHOLE_BODY {
            if let (Some(a), Some(b)) = (out.slot(name), other.slot(name)) {
                *a += (*b - *a) * t;
            }
        }
        out.limbs = [
            self.limbs[0].blend(&o.limbs[0], t),
            self.limbs[1].blend(&o.limbs[1], t),
        ];
        out
    }
}

impl Base {
    /// The base posture's angles, set by name so they read like a keyframe.
    pub fn pose(self) -> Pose {
        let mut p = Pose::default();
        p.set("shoulder_plane", 90.0);
        p.set("hip_plane", 90.0);
        let angles: &[(&str, f32)] = match self {
            Base::Standing => &[("elbow", 8.0), ("shoulder", 4.0)],
            Base::Sitting => &[
                ("hip", 90.0),
                ("knee", 90.0),
                ("shoulder", 12.0),
                ("elbow", 55.0),
            ],
            Base::AllFours => &[
                ("tilt", 80.0),
                ("neck", 0.0),
                ("nod", 10.0),
                ("shoulder", 80.0),
                ("hip", 80.0),
                ("knee", 100.0),
            ],
            Base::Kneeling => &[("knee", 90.0), ("elbow", 8.0), ("shoulder", 4.0)],
            Base::Hooklying => &[
                ("tilt", -86.0),
                ("hip", 48.0),
                ("knee", 100.0),
                ("shoulder", 8.0),
                ("elbow", 5.0),
            ],
            Base::Supine => &[("tilt", -86.0), ("shoulder", 8.0), ("elbow", 5.0)],
            Base::Prone => &[("tilt", 86.0), ("neck", 0.0), ("shoulder", 8.0)],
            Base::SideLying => &[("roll", 90.0), ("shoulder", 90.0), ("far_shoulder", 90.0)],
            Base::LongSitting => &[
                ("hip", 95.0),
                ("waist", 8.0),
                ("shoulder", -25.0),
                ("elbow", 5.0),
            ],
            Base::FloorSitting => &[
                ("hip", 110.0),
                ("knee", 100.0),
                ("shoulder", -25.0),
                ("elbow", 5.0),
            ],
        };
        for (name, value) in angles {
            p.set(name, *value);
        }
        p
    }
}

impl Figure {
    /// The full pose of keyframe `index`: its base posture with its own angles set over it.
    pub fn pose(&self, index: usize) -> Option<Pose> {
        let k = self.keyframes.get(index)?;
        let mut p = k.base.unwrap_or(self.base).pose();
        // Both-sides names first, so `far_knee` wins over `knee` whatever the order.
        for pass in [false, true] {
            for (name, value) in &k.angles {
                let sided = name.starts_with("near_") || name.starts_with("far_");
                if sided == pass {
                    p.set(name, *value);
                }
            }
        }
        Some(p)
    }

    /// Every keyframe's pose.
    pub fn poses(&self) -> Vec<Pose> {
        (0..self.keyframes.len())
            .filter_map(|i| self.pose(i))
            .collect()
    }

    /// Where `t` (0..1) of the way through a cycle falls: the two keyframes around it and how far
    /// between them (eased, so holds read as holds). Forward through the keyframes, then back
    /// (or round to the first again, for a looped figure).
    pub fn leg_at(&self, t: f32) -> Option<(usize, usize, f32)> {
        let n = self.keyframes.len();
        if n == 0 {
            return None;
        }
        if n == 1 {
            return Some((0, 0, 0.0));
        }
        let legs = if self.looped { n } else { 2 * (n - 1) };
        let pos = t.rem_euclid(1.0) * legs as f32;
        let leg = (pos.floor() as usize).min(legs - 1);
        let f = pos - leg as f32;
        let (a, b) = if self.looped {
            (leg, (leg + 1) % n)
        } else if leg < n - 1 {
            (leg, leg + 1)
        } else {
            let back = leg - (n - 1);
            (n - 1 - back, n - 2 - back)
        };
        Some((a, b, f * f * (3.0 - 2.0 * f)))
    }

    /// The pose `t` of the way through a cycle (0..1), angles eased between keyframes.
    pub fn pose_at(&self, t: f32) -> Option<Pose> {
        let (a, b, e) = self.leg_at(t)?;
        Some(self.pose(a)?.blend(&self.pose(b)?, e))
    }
}

//! Exercise figures: a stick figure posed by joint angles, drawn by our own code so every
//! exercise gets a consistent, tiny drawing with no image files.
//!
//! An exercise's content holds a [`Figure`]: the view (side or front), the prop it uses, the
//! muscle or region to highlight, and two or more [`Keyframe`]s. A keyframe starts from a named
//! base posture ([`Base`]) and overrides the angles that differ. [`Figure::pose`] resolves a
//! keyframe into a [`Pose`] (every angle), [`Pose::skeleton`] places the joints by forward
//! kinematics and rests the body on the floor or its prop, [`check`] refuses bodies that no
//! person could hold, and [`shapes`] turns a skeleton into vector [`Shape`]s that the edges draw
//! as SVG (web, report), braille (terminal) or PDF paths.
//!
//! Angles are absolute, in degrees, for the direction a segment points from its parent joint:
//! 0 is straight up, 90 is the way the figure faces (right in a side view), 180 is straight down,
//! -90 is behind. Units are metres; the floor is y = 0.

use serde::{Deserialize, Serialize};

/// Which way we look at the figure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum View {
    /// From the side, facing right.
    #[default]
    Side,
    /// From the front (the person's right on the viewer's left).
    Front,
}

/// What the body rests on or works against.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Prop {
    /// Nothing but the floor.
    #[default]
    None,
    /// An exercise mat on the floor.
    Mat,
    /// A wall behind the figure.
    Wall,
    /// A chair to sit on.
    Chair,
    /// A foam roller under the upper back.
    FoamRoller,
    /// A massage ball between the body and the wall or floor.
    Ball,
    /// A door frame the forearms rest on.
    Doorway,
    /// A resistance band from the hands to a fixed point ahead.
    Band,
}

/// A starting posture that keyframes adjust.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Base {
    /// Standing tall, arms by the sides.
    #[default]
    Standing,
    /// Sitting upright on a chair, feet flat.
    Sitting,
    /// On hands and knees.
    AllFours,
    /// Kneeling upright.
    Kneeling,
    /// Lying on the back with knees bent, feet flat.
    Hooklying,
    /// Lying flat on the back.
    Supine,
    /// Lying face down.
    Prone,
    /// Lying on one side, propped on the forearm.
    SideLying,
    /// Sitting on the floor, legs out in front.
    LongSitting,
}

/// Every joint angle of a pose, plus where the pelvis is. Flexion is positive: hips and
/// shoulders forward, knees and elbows bending, the waist and neck bending forward (in a front
/// view: abduction away from the body and bending to the person's right).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pose {
    /// Which way the lower spine points (0 upright, 90 lying with the head the way the figure
    /// faces, -90 lying with the head behind): the one absolute angle, orienting the body.
    pub tilt: f32,
    /// Bend at the waist: the upper spine against the lower.
    pub waist: f32,
    /// Bend of the neck against the upper spine.
    pub neck: f32,
    /// Near shoulder (the person's right in a front view).
    pub shoulder: f32,
    /// Near elbow.
    pub elbow: f32,
    /// Far shoulder (the person's left in a front view).
    pub far_shoulder: f32,
    /// Far elbow.
    pub far_elbow: f32,
    /// Near hip.
    pub hip: f32,
    /// Near knee.
    pub knee: f32,
    /// Far hip.
    pub far_hip: f32,
    /// Far knee.
    pub far_knee: f32,
    /// Horizontal position of the pelvis.
    pub x: f32,
    /// Extra height above resting on the floor or prop (a bridge, a lifted chest).
    pub lift: f32,
}

/// The absolute direction of every segment, worked out from a pose's joint angles.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segments {
    /// Lower spine.
    pub trunk: f32,
    /// Upper spine.
    pub chest: f32,
    /// Neck and head.
    pub neck: f32,
    /// Near and far upper arms.
    pub arm: [f32; 2],
    /// Near and far forearms.
    pub forearm: [f32; 2],
    /// Near and far thighs.
    pub thigh: [f32; 2],
    /// Near and far shins.
    pub shin: [f32; 2],
}

impl Pose {
    /// Forward kinematics on angles: each segment's direction from its parent's and the joint.
    pub fn segments(&self, view: View) -> Segments {
        let trunk = self.tilt;
        let chest = trunk + self.waist;
        let neck = chest + self.neck;
        let mut arm = [0.0; 2];
        let mut forearm = [0.0; 2];
        let mut thigh = [0.0; 2];
        let mut shin = [0.0; 2];
        let joints = [
            (self.shoulder, self.elbow, self.hip, self.knee),
            (
                self.far_shoulder,
                self.far_elbow,
                self.far_hip,
                self.far_knee,
            ),
        ];
        for (i, (sh, el, hp, kn)) in joints.into_iter().enumerate() {
            if view == View::Side {
                arm[i] = chest + 180.0 - sh;
                forearm[i] = arm[i] - el;
                thigh[i] = trunk + 180.0 - hp;
                shin[i] = thigh[i] + kn;
            } else {
                // Front view: the near side opens to the viewer's left, the far to the right.
                let s = if i == 0 { 1.0 } else { -1.0 };
                arm[i] = chest + 180.0 + s * sh;
                forearm[i] = arm[i] + s * el;
                thigh[i] = trunk + 180.0 + s * hp;
                shin[i] = thigh[i] + s * kn;
            }
        }
        Segments {
            trunk,
            chest,
            neck,
            arm,
            forearm,
            thigh,
            shin,
        }
    }
}

/// One keyframe: a base posture and the joint angles that differ from it (any [`Pose`]
/// field). `shoulder`, `elbow`, `hip` and `knee` set both sides unless the `far_` one is given.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Keyframe {
    /// The posture to start from (default: the figure's base).
    #[serde(default)]
    pub base: Option<Base>,
    /// Orientation of the lower spine.
    pub tilt: Option<f32>,
    /// Bend at the waist.
    pub waist: Option<f32>,
    /// Bend of the neck.
    pub neck: Option<f32>,
    /// Both shoulders, unless `far_shoulder` is given.
    pub shoulder: Option<f32>,
    /// Both elbows, unless `far_elbow` is given.
    pub elbow: Option<f32>,
    /// Far shoulder.
    pub far_shoulder: Option<f32>,
    /// Far elbow.
    pub far_elbow: Option<f32>,
    /// Both hips, unless `far_hip` is given.
    pub hip: Option<f32>,
    /// Both knees, unless `far_knee` is given.
    pub knee: Option<f32>,
    /// Far hip.
    pub far_hip: Option<f32>,
    /// Far knee.
    pub far_knee: Option<f32>,
    /// Horizontal position of the pelvis.
    pub x: Option<f32>,
    /// Extra height.
    pub lift: Option<f32>,
}

/// An exercise's figure, as stored in its content file under `[figure]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    /// Side or front view.
    #[serde(default)]
    pub view: View,
    /// The prop.
    #[serde(default)]
    pub prop: Prop,
    /// The posture keyframes start from.
    #[serde(default)]
    pub base: Base,
    /// A body region or muscle id to highlight (the part stretched or worked).
    #[serde(default)]
    pub highlight: Option<String>,
    /// Seconds for one pass through the keyframes and back.
    #[serde(default = "default_cycle")]
    pub cycle_seconds: f32,
    /// Two or more keyframes.
    pub keyframes: Vec<Keyframe>,
}

fn default_cycle() -> f32 {
    4.0
}

/// Segment lengths (metres), for an adult of about 1.75 m.
pub mod length {
    /// Pelvis to waist.
    pub const TRUNK: f32 = 0.22;
    /// Waist to shoulders.
    pub const CHEST: f32 = 0.30;
    /// Shoulders to the base of the head.
    pub const NECK: f32 = 0.10;
    /// Head radius.
    pub const HEAD: f32 = 0.11;
    /// Upper arm.
    pub const ARM: f32 = 0.30;
    /// Forearm and hand.
    pub const FOREARM: f32 = 0.33;
    /// Thigh.
    pub const THIGH: f32 = 0.45;
    /// Shin to the ankle.
    pub const SHIN: f32 = 0.44;
    /// Foot.
    pub const FOOT: f32 = 0.18;
    /// Half the width of the shoulders, for the front view.
    pub const SHOULDER_HALF: f32 = 0.19;
    /// Half the width of the hips, for the front view.
    pub const HIP_HALF: f32 = 0.10;
    /// Half the thickness of a limb as drawn, so limbs rest on surfaces rather than in them.
    pub const LIMB: f32 = 0.03;
}

/// Height of the chair seat.
pub const SEAT: f32 = 0.46;
/// Thickness of the mat.
pub const MAT: f32 = 0.015;
/// Radius of the foam roller.
pub const ROLLER: f32 = 0.075;
/// Radius of the massage ball.
pub const BALL: f32 = 0.035;
/// The drawing frame: x from `-FRAME_X` to `FRAME_X`, y from 0 to `FRAME_Y`.
pub const FRAME_X: f32 = 1.2;
/// See [`FRAME_X`].
pub const FRAME_Y: f32 = 2.1;

impl Base {
    /// The base posture's joint angles.
    pub fn pose(self) -> Pose {
        // tilt, waist, neck, shoulder, elbow, hip, knee (the same on both sides).
        let p = |tilt, waist, neck, shoulder, elbow, hip, knee| Pose {
            tilt,
            waist,
            neck,
            shoulder,
            elbow,
            far_shoulder: shoulder,
            far_elbow: elbow,
            hip,
            knee,
            far_hip: hip,
            far_knee: knee,
            x: 0.0,
            lift: 0.0,
        };
        match self {
            Base::Standing => p(0.0, 0.0, 0.0, 0.0, 5.0, 0.0, 0.0),
            Base::Sitting => p(0.0, 0.0, 0.0, 10.0, 60.0, 90.0, 90.0),
            Base::AllFours => p(90.0, 0.0, 10.0, 90.0, 0.0, 90.0, 90.0),
            Base::Kneeling => p(0.0, 0.0, 0.0, 0.0, 5.0, 0.0, 90.0),
            Base::Hooklying => p(-90.0, 0.0, 0.0, -10.0, 0.0, 45.0, 95.0),
            Base::Supine => p(-90.0, 0.0, 0.0, -5.0, 0.0, 0.0, 0.0),
            Base::Prone => p(90.0, 0.0, 5.0, -5.0, 0.0, 0.0, 0.0),
            Base::SideLying => p(90.0, 0.0, 0.0, 90.0, 90.0, 0.0, 0.0),
            Base::LongSitting => p(0.0, 10.0, 0.0, 30.0, 50.0, 90.0, 0.0),
        }
    }
}

impl Figure {
    /// The full pose of keyframe `index`.
    pub fn pose(&self, index: usize) -> Option<Pose> {
        let k = self.keyframes.get(index)?;
        let mut p = k.base.unwrap_or(self.base).pose();
        let set = |slot: &mut f32, v: Option<f32>| {
            if let Some(v) = v {
                *slot = v;
            }
        };
        set(&mut p.tilt, k.tilt);
        set(&mut p.waist, k.waist);
        set(&mut p.neck, k.neck);
        for (near, far, v) in [
            (&mut p.shoulder, &mut p.far_shoulder, k.shoulder),
            (&mut p.elbow, &mut p.far_elbow, k.elbow),
            (&mut p.hip, &mut p.far_hip, k.hip),
            (&mut p.knee, &mut p.far_knee, k.knee),
        ] {
            if let Some(v) = v {
                *near = v;
                *far = v;
            }
        }
        set(&mut p.far_shoulder, k.far_shoulder);
        set(&mut p.far_elbow, k.far_elbow);
        set(&mut p.far_hip, k.far_hip);
        set(&mut p.far_knee, k.far_knee);
        set(&mut p.x, k.x);
        set(&mut p.lift, k.lift);
        Some(p)
    }

    /// Every keyframe's pose.
    pub fn poses(&self) -> Vec<Pose> {
        (0..self.keyframes.len())
            .filter_map(|i| self.pose(i))
            .collect()
    }

    /// The pose `t` of the way through a cycle (0..1): through the keyframes and back, with
    /// angles eased between neighbours so limbs keep their length in between.
    pub fn pose_at(&self, t: f32) -> Option<Pose> {
        let poses = self.poses();
        let n = poses.len();
        if n == 0 {
            return None;
        }
        if n == 1 {
            return poses.first().copied();
        }
        // Forward through the keyframes, then back: 2(n-1) legs per cycle.
        let legs = 2 * (n - 1);
        let pos = t.rem_euclid(1.0) * legs as f32;
        let leg = (pos.floor() as usize).min(legs - 1);
        let f = pos - leg as f32;
        let (a, b) = if leg < n - 1 {
            (leg, leg + 1)
        } else {
            let back = leg - (n - 1);
            (n - 1 - back, n - 2 - back)
        };
        // Ease in and out, so holds read as holds.
        let e = f * f * (3.0 - 2.0 * f);
        Some(blend(&poses[a], &poses[b], e))
    }
}

fn lerp_angle(a: f32, b: f32, t: f32) -> f32 {
    let mut d = (b - a) % 360.0;
    if d > 180.0 {
        d -= 360.0;
    } else if d < -180.0 {
        d += 360.0;
    }
    a + d * t
}

fn blend(a: &Pose, b: &Pose, t: f32) -> Pose {
    let l = |x: f32, y: f32| x + (y - x) * t;
    Pose {
        tilt: lerp_angle(a.tilt, b.tilt, t),
        waist: l(a.waist, b.waist),
        neck: l(a.neck, b.neck),
        shoulder: l(a.shoulder, b.shoulder),
        elbow: l(a.elbow, b.elbow),
        far_shoulder: l(a.far_shoulder, b.far_shoulder),
        far_elbow: l(a.far_elbow, b.far_elbow),
        hip: l(a.hip, b.hip),
        knee: l(a.knee, b.knee),
        far_hip: l(a.far_hip, b.far_hip),
        far_knee: l(a.far_knee, b.far_knee),
        x: l(a.x, b.x),
        lift: l(a.lift, b.lift),
    }
}

/// A point in metres.
pub type Point = (f32, f32);

/// The joints of a posed figure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Skeleton {
    /// Hip joint (the pelvis).
    pub pelvis: Point,
    /// Waist.
    pub waist: Point,
    /// Top of the spine, between the shoulders.
    pub neck_base: Point,
    /// Centre of the head.
    pub head: Point,
    /// Near and far shoulders.
    pub shoulders: [Point; 2],
    /// Near and far elbows.
    pub elbows: [Point; 2],
    /// Near and far hands.
    pub hands: [Point; 2],
    /// Near and far hips (the same point in a side view).
    pub hips: [Point; 2],
    /// Near and far knees.
    pub knees: [Point; 2],
    /// Near and far ankles.
    pub ankles: [Point; 2],
    /// Near and far toes.
    pub toes: [Point; 2],
}

fn step(from: Point, angle: f32, len: f32) -> Point {
    let r = angle.to_radians();
    (from.0 + r.sin() * len, from.1 + r.cos() * len)
}

impl Skeleton {
    /// Every point the body is drawn through (the head as its lowest, highest, nearest and
    /// farthest points).
    pub fn points(&self) -> Vec<Point> {
        let (hx, hy) = self.head;
        let h = length::HEAD;
        let mut v = vec![
            self.pelvis,
            self.waist,
            self.neck_base,
            (hx, hy - h),
            (hx, hy + h),
            (hx - h, hy),
            (hx + h, hy),
        ];
        for side in 0..2 {
            v.extend([
                self.shoulders[side],
                self.elbows[side],
                self.hands[side],
                self.hips[side],
                self.knees[side],
                self.ankles[side],
                self.toes[side],
            ]);
        }
        v
    }

    fn shift(&mut self, dx: f32, dy: f32) {
        let m = |p: &mut Point| {
            p.0 += dx;
            p.1 += dy;
        };
        m(&mut self.pelvis);
        m(&mut self.waist);
        m(&mut self.neck_base);
        m(&mut self.head);
        for side in 0..2 {
            m(&mut self.shoulders[side]);
            m(&mut self.elbows[side]);
            m(&mut self.hands[side]);
            m(&mut self.hips[side]);
            m(&mut self.knees[side]);
            m(&mut self.ankles[side]);
            m(&mut self.toes[side]);
        }
    }
}

impl Pose {
    /// Places the joints, then rests the figure: on the chair seat when sitting on a chair,
    /// otherwise with its lowest point on the floor (or the mat), raised by `lift`.
    pub fn skeleton(&self, view: View, prop: Prop, base: Base) -> Skeleton {
        let front = view == View::Front;
        let g = self.segments(view);
        let pelvis = (0.0, 0.0);
        let waist = step(pelvis, g.trunk, length::TRUNK);
        let neck_base = step(waist, g.chest, length::CHEST);
        let head = step(neck_base, g.neck, length::NECK + length::HEAD);
        // In a front view the shoulders and hips sit either side of the spine, at right angles
        // to it; in a side view they overlap.
        let across = |at: Point, spine: f32, half: f32, sign: f32| {
            if front {
                step(at, spine - 90.0 * sign, half)
            } else {
                at
            }
        };
        let sides = [1.0f32, -1.0];
        let arms = [(g.arm[0], g.forearm[0]), (g.arm[1], g.forearm[1])];
        let legs = [(g.thigh[0], g.shin[0]), (g.thigh[1], g.shin[1])];
        let mut shoulders = [(0.0, 0.0); 2];
        let mut elbows = shoulders;
        let mut hands = shoulders;
        let mut hips = shoulders;
        let mut knees = shoulders;
        let mut ankles = shoulders;
        let mut toes = shoulders;
        for i in 0..2 {
            shoulders[i] = across(neck_base, g.chest, length::SHOULDER_HALF, sides[i]);
            elbows[i] = step(shoulders[i], arms[i].0, length::ARM);
            hands[i] = step(elbows[i], arms[i].1, length::FOREARM);
            hips[i] = across(pelvis, g.trunk, length::HIP_HALF, sides[i]);
            knees[i] = step(hips[i], legs[i].0, length::THIGH);
            ankles[i] = step(knees[i], legs[i].1, length::SHIN);
            // The foot points forward from a shin that stands on it, and carries on along a shin
            // that lies on the floor (pointed, as when kneeling or lying face down).
            let upright = norm(legs[i].1 - 180.0).abs() < 60.0;
            let foot_angle = if upright { legs[i].1 - 90.0 } else { legs[i].1 };
            toes[i] = if front {
                ankles[i]
            } else {
                step(ankles[i], foot_angle, length::FOOT)
            };
        }
        let mut s = Skeleton {
            pelvis,
            waist,
            neck_base,
            head,
            shoulders,
            elbows,
            hands,
            hips,
            knees,
            ankles,
            toes,
        };
        let floor = if matches!(prop, Prop::Mat | Prop::FoamRoller) {
            MAT
        } else {
            0.0
        };
        let on_chair = prop == Prop::Chair && base == Base::Sitting;
        let dy = if on_chair {
            SEAT + length::LIMB
        } else {
            let low = s.points().iter().map(|p| p.1).fold(f32::MAX, f32::min);
            floor + length::LIMB - low
        };
        s.shift(self.x, dy + self.lift);
        s
    }
}

/// Where a prop sits for a skeleton: chair under the pelvis, wall just behind the body, roller
/// under the upper back, ball between the shoulder blades or buttock and the wall or floor,
/// door frame at the hands, band anchor ahead of the hands.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Placed {
    /// Nothing.
    None,
    /// The mat, from x to x.
    Mat(f32, f32),
    /// A chair: seat from x to x at [`SEAT`], backrest at the first x.
    Chair(f32, f32),
    /// A wall at this x (the figure is to its right).
    Wall(f32),
    /// A circle: centre and radius.
    Circle(Point, f32),
    /// A door post at this x, up to the top of the frame.
    Post(f32),
    /// A band from the hand to an anchor.
    Band(Point, Point),
}

/// Places the figure's prop for one skeleton.
pub fn place(prop: Prop, s: &Skeleton) -> Placed {
    let pts = s.points();
    let min_x = pts.iter().map(|p| p.0).fold(f32::MAX, f32::min);
    let max_x = pts.iter().map(|p| p.0).fold(f32::MIN, f32::max);
    match prop {
        Prop::None => Placed::None,
        Prop::Mat => Placed::Mat(min_x - 0.1, max_x + 0.1),
        Prop::Chair => Placed::Chair(s.pelvis.0 - 0.2, s.pelvis.0 + 0.22),
        Prop::Wall => Placed::Wall(min_x - length::LIMB),
        Prop::FoamRoller => {
            // Under the upper back, halfway between the waist and the shoulders.
            let x = (s.waist.0 + s.neck_base.0) / 2.0;
            Placed::Circle((x, MAT + ROLLER), ROLLER)
        }
        Prop::Ball => {
            let wall = min_x - length::LIMB;
            if s.pelvis.1 > 0.5 {
                // Standing: the ball sits between the upper back and a wall behind.
                Placed::Circle((wall + BALL, (s.waist.1 + s.neck_base.1) / 2.0), BALL)
            } else {
                // Sitting or lying on the floor: under the buttock.
                Placed::Circle((s.pelvis.0, BALL), BALL)
            }
        }
        Prop::Doorway => Placed::Post(s.hands[0].0 + length::LIMB),
        Prop::Band => {
            let hand = s.hands[0];
            Placed::Band(hand, (hand.0 + 0.7, hand.1))
        }
    }
}

/// A reason a figure is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureProblem {
    /// Which keyframe (from 1).
    pub keyframe: usize,
    /// What is wrong, in words.
    pub message: String,
}

fn norm(a: f32) -> f32 {
    let mut d = a % 360.0;
    if d > 180.0 {
        d -= 360.0;
    } else if d <= -180.0 {
        d += 360.0;
    }
    d
}

/// The body's segments, as pairs of joints.
fn segments(s: &Skeleton) -> Vec<(Point, Point)> {
    let mut v = vec![(s.pelvis, s.waist), (s.waist, s.neck_base)];
    for i in 0..2 {
        v.extend([
            (s.shoulders[i], s.elbows[i]),
            (s.elbows[i], s.hands[i]),
            (s.hips[i], s.knees[i]),
            (s.knees[i], s.ankles[i]),
        ]);
    }
    v
}

fn distance_to_segment(p: Point, a: Point, b: Point) -> f32 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0)
    };
    let (x, y) = (a.0 + t * dx, a.1 + t * dy);
    ((p.0 - x).powi(2) + (p.1 - y).powi(2)).sqrt()
}

/// Each joint angle of a pose with the range a person can reach, as (name, value, lowest,
/// highest).
pub fn joint_angles(p: &Pose, view: View) -> Vec<(&'static str, f32, f32, f32)> {
    let side = view == View::Side;
    let mut out = vec![
        ("waist", p.waist, -55.0, 60.0),
        ("neck", p.neck, -70.0, 75.0),
    ];
    let names = if side {
        [
            ["near shoulder", "near elbow", "near hip", "near knee"],
            ["far shoulder", "far elbow", "far hip", "far knee"],
        ]
    } else {
        [
            ["right shoulder", "right elbow", "right hip", "right knee"],
            ["left shoulder", "left elbow", "left hip", "left knee"],
        ]
    };
    for (n, (sh, el, hp, kn)) in names.iter().zip([
        (p.shoulder, p.elbow, p.hip, p.knee),
        (p.far_shoulder, p.far_elbow, p.far_hip, p.far_knee),
    ]) {
        if side {
            // Shoulders: 0 by the side, 90 forward, 180 overhead, negative behind. Hips: 0
            // standing, 90 sitting; up to 160 when sitting back on the heels.
            out.push((n[0], sh, -70.0, 190.0));
            out.push((n[1], el, -10.0, 160.0));
            out.push((n[2], hp, -35.0, 160.0));
            out.push((n[3], kn, -5.0, 165.0));
        } else {
            // In a front view shoulders and hips open sideways (abduction), a little across.
            out.push((n[0], sh, -45.0, 190.0));
            out.push((n[1], el, -10.0, 160.0));
            out.push((n[2], hp, -30.0, 70.0));
            out.push((n[3], kn, -5.0, 165.0));
        }
    }
    out
}

/// Checks every keyframe: joints within human ranges, nothing below the floor or inside the
/// prop, and the whole figure (with its prop) inside the frame.
pub fn check(figure: &Figure) -> Vec<FigureProblem> {
    let mut problems = Vec::new();
    if figure.keyframes.len() < 2 {
        problems.push(FigureProblem {
            keyframe: 0,
            message: format!(
                "a figure needs at least two keyframes, found {}",
                figure.keyframes.len()
            ),
        });
    }
    if !(1.0..=30.0).contains(&figure.cycle_seconds) {
        problems.push(FigureProblem {
            keyframe: 0,
            message: format!("cycle_seconds {} is outside 1 to 30", figure.cycle_seconds),
        });
    }
    for (i, pose) in figure.poses().iter().enumerate() {
        let k = i + 1;
        let mut bad = |message: String| {
            problems.push(FigureProblem {
                keyframe: k,
                message,
            })
        };
        for (name, value, lo, hi) in joint_angles(pose, figure.view) {
            if value < lo - 0.01 || value > hi + 0.01 {
                bad(format!(
                    "{name} at {value:.0} degrees is outside what a body can do ({lo:.0} to {hi:.0})"
                ));
            }
        }
        let base = figure.keyframes[i].base.unwrap_or(figure.base);
        let s = pose.skeleton(figure.view, figure.prop, base);
        let pts = s.points();
        if let Some(p) = pts.iter().find(|p| p.1 < -0.001) {
            bad(format!(
                "a limb goes through the floor at ({:.2}, {:.2})",
                p.0, p.1
            ));
        }
        if let Some(p) = pts.iter().find(|p| p.0.abs() > FRAME_X || p.1 > FRAME_Y) {
            bad(format!(
                "the figure leaves its frame at ({:.2}, {:.2})",
                p.0, p.1
            ));
        }
        match place(figure.prop, &s) {
            Placed::Circle(c, r) => {
                if c.1 - r < -0.001 {
                    bad("the prop goes through the floor: lift the body".into());
                }
                if let Some((a, b)) = segments(&s)
                    .into_iter()
                    .find(|(a, b)| distance_to_segment(c, *a, *b) < r + length::LIMB - 0.02)
                {
                    bad(format!(
                        "the body between ({:.2}, {:.2}) and ({:.2}, {:.2}) is inside the prop: lift it",
                        a.0, a.1, b.0, b.1
                    ));
                }
            }
            Placed::Chair(x0, x1) => {
                if let Some(p) = pts
                    .iter()
                    .find(|p| p.0 > x0 && p.0 < x1 && p.1 < SEAT - 0.01 && p.1 > 0.05)
                {
                    bad(format!(
                        "a joint at ({:.2}, {:.2}) is inside the chair",
                        p.0, p.1
                    ));
                }
            }
            _ => {}
        }
    }
    problems
}

/// What a shape is, for colouring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// The floor line.
    Floor,
    /// A prop.
    Prop,
    /// The far limbs (drawn lighter, behind).
    Far,
    /// The body.
    Body,
    /// The highlighted part.
    Highlight,
}

/// A vector shape in metres (y up).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "shape", rename_all = "kebab-case")]
pub enum Shape {
    /// A line with round ends.
    Line {
        /// Start.
        from: Point,
        /// End.
        to: Point,
        /// Stroke width.
        width: f32,
        /// What it is.
        role: Role,
    },
    /// A circle.
    Circle {
        /// Centre.
        centre: Point,
        /// Radius.
        radius: f32,
        /// Filled (true) or outlined.
        filled: bool,
        /// What it is.
        role: Role,
    },
}

/// Which segments a highlight id lights up, by region or muscle id.
fn highlighted(id: Option<&str>) -> &'static [&'static str] {
    match id.unwrap_or("") {
        "neck" | "suboccipitals" | "levator-scapulae" | "upper-trapezius" => &["neck"],
        "upper-back"
        | "rhomboids"
        | "middle-trapezius"
        | "lower-trapezius"
        | "thoracic-erector-spinae"
        | "mid-back"
        | "latissimus-dorsi"
        | "infraspinatus" => &["chest"],
        "lower-back" | "lumbar-erector-spinae" | "multifidus" | "quadratus-lumborum" => &["trunk"],
        "shoulders" | "supraspinatus" => &["arm"],
        "chest" | "pectoralis-minor" => &["chest", "arm"],
        "buttocks" | "gluteus-maximus" | "gluteus-medius" | "piriformis" => &["hip"],
        "iliopsoas" => &["hip", "thigh"],
        "leg" | "hamstrings" => &["thigh"],
        "arm" => &["forearm"],
        _ => &[],
    }
}

/// The figure as shapes: floor, prop, far limbs, body, head; the highlighted part drawn over.
pub fn shapes(figure: &Figure, pose: &Pose) -> Vec<Shape> {
    let base = figure.base;
    let s = pose.skeleton(figure.view, figure.prop, base);
    let lit = highlighted(figure.highlight.as_deref());
    let on = |part: &str| lit.contains(&part);
    let mut out = vec![Shape::Line {
        from: (-FRAME_X, 0.0),
        to: (FRAME_X, 0.0),
        width: 0.012,
        role: Role::Floor,
    }];
    let line = |from, to, width, role| Shape::Line {
        from,
        to,
        width,
        role,
    };
    match place(figure.prop, &s) {
        Placed::None => {}
        Placed::Mat(a, b) => out.push(line((a, MAT / 2.0), (b, MAT / 2.0), MAT, Role::Prop)),
        Placed::Chair(a, b) => {
            out.push(line((a, SEAT), (b, SEAT), 0.03, Role::Prop));
            out.push(line((a, 0.0), (a, SEAT + 0.45), 0.025, Role::Prop));
            out.push(line((b, 0.0), (b, SEAT), 0.025, Role::Prop));
        }
        Placed::Wall(x) => out.push(line((x - 0.02, 0.0), (x - 0.02, FRAME_Y), 0.04, Role::Prop)),
        Placed::Circle(c, r) => {
            // A ball held against a wall (above the floor) comes with its wall.
            if figure.prop == Prop::Ball && c.1 > 0.3 {
                let x = c.0 - r - 0.02;
                out.push(line((x, 0.0), (x, FRAME_Y), 0.04, Role::Prop));
            }
            out.push(Shape::Circle {
                centre: c,
                radius: r,
                filled: true,
                role: Role::Prop,
            });
        }
        Placed::Post(x) => out.push(line((x, 0.0), (x, 2.0), 0.05, Role::Prop)),
        Placed::Band(a, b) => {
            out.push(line(a, b, 0.01, Role::Prop));
            out.push(line((b.0, 0.0), (b.0, b.1 + 0.1), 0.03, Role::Prop));
        }
    }
    let w = 0.06;
    // Far limbs first, so the near ones are drawn over them (side view only: in a front view
    // both sides are in plain sight).
    let far_role = if figure.view == View::Side {
        Role::Far
    } else {
        Role::Body
    };
    let limb_role = |part: &str, default: Role| {
        if on(part) { Role::Highlight } else { default }
    };
    for i in [1usize, 0] {
        let role = if i == 1 { far_role } else { Role::Body };
        out.push(line(s.hips[i], s.knees[i], w, limb_role("thigh", role)));
        out.push(line(s.knees[i], s.ankles[i], w, role));
        out.push(line(s.ankles[i], s.toes[i], w * 0.8, role));
        if i == 1 {
            out.push(line(
                s.shoulders[i],
                s.elbows[i],
                w * 0.9,
                limb_role("arm", role),
            ));
            out.push(line(
                s.elbows[i],
                s.hands[i],
                w * 0.85,
                limb_role("forearm", role),
            ));
        }
    }
    if figure.view == View::Front {
        out.push(line(s.hips[0], s.hips[1], w, limb_role("hip", Role::Body)));
        out.push(line(s.shoulders[0], s.shoulders[1], w, Role::Body));
    }
    out.push(line(
        s.pelvis,
        s.waist,
        w * 1.6,
        limb_role("trunk", Role::Body),
    ));
    out.push(line(
        s.waist,
        s.neck_base,
        w * 1.6,
        limb_role("chest", Role::Body),
    ));
    out.push(line(
        s.neck_base,
        step(s.neck_base, pose.segments(figure.view).neck, length::NECK),
        w * 0.8,
        limb_role("neck", Role::Body),
    ));
    if on("hip") && figure.view == View::Side {
        out.push(Shape::Circle {
            centre: s.pelvis,
            radius: 0.06,
            filled: true,
            role: Role::Highlight,
        });
    }
    out.push(line(
        s.shoulders[0],
        s.elbows[0],
        w * 0.9,
        limb_role("arm", Role::Body),
    ));
    out.push(line(
        s.elbows[0],
        s.hands[0],
        w * 0.85,
        limb_role("forearm", Role::Body),
    ));
    out.push(Shape::Circle {
        centre: s.head,
        radius: length::HEAD,
        filled: true,
        role: Role::Body,
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure(base: Base, prop: Prop, frames: Vec<Keyframe>) -> Figure {
        Figure {
            view: View::Side,
            prop,
            base,
            highlight: None,
            cycle_seconds: 4.0,
            keyframes: frames,
        }
    }

    #[test]
    fn standing_is_about_as_tall_as_an_adult_and_rests_on_the_floor() {
        let s = Base::Standing
            .pose()
            .skeleton(View::Side, Prop::None, Base::Standing);
        let top = s.head.1 + length::HEAD;
        assert!((1.6..1.9).contains(&top), "{top}");
        let low = s.points().iter().map(|p| p.1).fold(f32::MAX, f32::min);
        assert!((low - length::LIMB).abs() < 1e-4, "{low}");
    }

    #[test]
    fn every_base_posture_is_a_valid_body() {
        for base in [
            Base::Standing,
            Base::Sitting,
            Base::AllFours,
            Base::Kneeling,
            Base::Hooklying,
            Base::Supine,
            Base::Prone,
            Base::SideLying,
            Base::LongSitting,
        ] {
            let f = figure(
                base,
                Prop::None,
                vec![Keyframe::default(), Keyframe::default()],
            );
            assert_eq!(check(&f), vec![], "{base:?}");
        }
    }

    #[test]
    fn impossible_joints_and_floors_are_refused() {
        let knee_backwards = figure(
            Base::Standing,
            Prop::None,
            vec![
                Keyframe::default(),
                Keyframe {
                    knee: Some(-60.0),
                    ..Keyframe::default()
                },
            ],
        );
        let problems = check(&knee_backwards);
        assert!(
            problems
                .iter()
                .any(|p| p.keyframe == 2 && p.message.contains("knee")),
            "{problems:?}"
        );
        let one_frame = figure(Base::Standing, Prop::None, vec![Keyframe::default()]);
        assert!(!check(&one_frame).is_empty());
        let roller_in_floor = figure(
            Base::Hooklying,
            Prop::FoamRoller,
            vec![Keyframe::default(), Keyframe::default()],
        );
        assert!(
            check(&roller_in_floor)
                .iter()
                .any(|p| p.message.contains("prop")),
            "a roller under a body lying flat would be inside the floor or the body"
        );
        let off_frame = figure(
            Base::Standing,
            Prop::None,
            vec![
                Keyframe::default(),
                Keyframe {
                    x: Some(1.5),
                    ..Keyframe::default()
                },
            ],
        );
        assert!(
            check(&off_frame)
                .iter()
                .any(|p| p.message.contains("frame"))
        );
    }

    #[test]
    fn in_between_poses_keep_limb_lengths() {
        let f = figure(
            Base::AllFours,
            Prop::Mat,
            vec![
                Keyframe::default(),
                Keyframe {
                    shoulder: Some(180.0),
                    far_hip: Some(0.0),
                    far_knee: Some(0.0),
                    ..Keyframe::default()
                },
            ],
        );
        for t in [0.0, 0.1, 0.25, 0.4, 0.5, 0.77] {
            let p = f.pose_at(t).unwrap();
            let s = p.skeleton(View::Side, Prop::Mat, Base::AllFours);
            let d = |a: Point, b: Point| ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
            assert!((d(s.shoulders[0], s.elbows[0]) - length::ARM).abs() < 1e-4);
            assert!((d(s.knees[1], s.ankles[1]) - length::SHIN).abs() < 1e-4);
        }
        // Half way through the cycle is the last keyframe; the ends are the first.
        assert_eq!(f.pose_at(0.5).unwrap().shoulder, 180.0);
        assert_eq!(f.pose_at(0.0).unwrap().shoulder, 90.0);
    }
}

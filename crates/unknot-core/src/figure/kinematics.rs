//! Forward kinematics: a [`Pose`]'s angles become joint positions in 3-D, segment by segment
//! from the pelvis out, with the proportions of an adult about 1.75 m tall. Working in 3-D is
//! what lets a twist, a side-lying plank or an arm opened behind a doorway be drawn from a view
//! that shows them, and checked against the floor and props the way a body meets them.

use super::math::{Frame, V3, v3};
use super::pose::{Limb, Pose};

/// Segment lengths and body widths (metres).
pub mod length {
    /// Hip joints to the waist.
    pub const TRUNK: f32 = 0.22;
    /// Waist to the base of the neck.
    pub const CHEST: f32 = 0.30;
    /// Base of the neck to the base of the skull.
    pub const NECK: f32 = 0.10;
    /// Base of the skull to the centre of the head.
    pub const HEAD_UP: f32 = 0.08;
    /// Head radius.
    pub const HEAD: f32 = 0.105;
    /// Top of the breastbone to the shoulder joint.
    pub const CLAVICLE: f32 = 0.18;
    /// Upper arm.
    pub const ARM: f32 = 0.30;
    /// Forearm, elbow to wrist.
    pub const FOREARM: f32 = 0.25;
    /// Wrist to the middle of the palm.
    pub const PALM: f32 = 0.06;
    /// Half the distance between the hip joints.
    pub const HIP_HALF: f32 = 0.09;
    /// Thigh.
    pub const THIGH: f32 = 0.43;
    /// Shin, knee to ankle.
    pub const SHIN: f32 = 0.43;
    /// Ankle to the ball of the foot.
    pub const FOOT: f32 = 0.16;
}

/// One side's joints.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SideJoints {
    /// Shoulder joint.
    pub shoulder: V3,
    /// Elbow.
    pub elbow: V3,
    /// Wrist.
    pub wrist: V3,
    /// Middle of the palm.
    pub hand: V3,
    /// Hip joint.
    pub hip: V3,
    /// Knee.
    pub knee: V3,
    /// Ankle.
    pub ankle: V3,
    /// Back of the heel, where it meets the floor.
    pub heel: V3,
    /// Ball of the foot.
    pub toe: V3,
    /// The back of the thigh (unit), for drawing the hamstrings.
    pub thigh_back: V3,
    /// Where the shoulder blade sits on the back (its middle).
    pub blade: V3,
}

/// A posed body in 3-D: the spine, the head, and both sides' joints, with the frames of the
/// pelvis, chest and head (which way each faces).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Body {
    /// Between the hip joints.
    pub pelvis: V3,
    /// The waist, on the spine.
    pub waist: V3,
    /// The base of the neck.
    pub neck_base: V3,
    /// The base of the skull.
    pub neck_top: V3,
    /// The centre of the head.
    pub head: V3,
    /// Axes of the pelvis and lower back.
    pub hips_frame: Frame,
    /// Axes of the chest.
    pub chest_frame: Frame,
    /// Axes of the head (front is where the face looks).
    pub head_frame: Frame,
    /// Breath in the belly (0 to 1).
    pub breath: f32,
    /// Near (the person's right) and far sides.
    pub sides: [SideJoints; 2],
}

/// Near side is the person's right (+1), far their left (-1).
pub const SIDE_SIGN: [f32; 2] = [1.0, -1.0];

fn raised(frame: &Frame, side: f32, elevation: f32, plane: f32) -> (V3, V3) {
    // The limb's direction and the direction it would move in if raised further.
    let (se, ce) = elevation.to_radians().sin_cos();
    let (sp, cp) = plane.to_radians().sin_cos();
    let out = frame.right * (cp * side) + frame.front * sp;
    (-frame.up * ce + out * se, frame.up * se + out * ce)
}

fn arm(chest: &Frame, root: V3, side: f32, l: &Limb) -> [V3; 5] {
    let across = chest.right * side;
    let clavicle = across
        .rotate(-chest.front * side, l.shrug)
        .rotate(-chest.up * side, l.retract);
    let shoulder = root + clavicle * length::CLAVICLE;
    let (dir, lift) = raised(chest, side, l.shoulder, l.shoulder_plane);
    let bend = lift.rotate(dir, -side * l.arm_turn);
    let elbow = shoulder + dir * length::ARM;
    let (s, c) = l.elbow.to_radians().sin_cos();
    let fore = (dir * c + bend * s).unit();
    let wrist = elbow + fore * length::FOREARM;
    // A hand pressing on a surface below lies flat, fingers the way the bend points; otherwise
    // it carries on from the forearm.
    let flat = fore.y < -0.6 && bend.flat().len() > 0.3;
    let hand = if flat {
        wrist + bend.flat().unit() * length::PALM - v3(0.0, 0.012, 0.0)
    } else {
        wrist + fore * length::PALM
    };
    // The middle of the shoulder blade, on the back; it slides towards the spine as the blade
    // is drawn back and rises with a shrug.
    let blade = root - chest.front * 0.14 - chest.up * 0.08
        + across * (0.10 - 0.04 * l.retract / 20.0)
        + chest.up * (0.05 * l.shrug / 30.0);
    [shoulder, elbow, wrist, hand, blade]
}

fn leg(hips: &Frame, pelvis: V3, side: f32, l: &Limb) -> (V3, V3, V3, V3, V3, V3) {
    let hip = pelvis + hips.right * (side * length::HIP_HALF);
    let (dir, lift) = raised(hips, side, l.hip, l.hip_plane);
    let back = (-lift).rotate(dir, side * l.hip_turn);
    let knee = hip + dir * length::THIGH;
    let (s, c) = l.knee.to_radians().sin_cos();
    let shin = (dir * c + back * s).unit();
    let ankle = knee + shin * length::SHIN;
    // The foot: flat on the ground under a shin that stands on it, pointed along a shin that
    // lies face down, and otherwise at a right angle to the shin, toes forwards.
    let neutral = (dir * s - back * c).unit();
    let foot = if shin.y < -0.5 && neutral.flat().len() > 0.2 {
        neutral.flat().unit()
    } else if neutral.y < -0.3 {
        shin
    } else {
        neutral
    };
    let heel = ankle + shin * 0.035 - foot * 0.04;
    let toe = ankle + shin * 0.045 + foot * length::FOOT;
    (hip, knee, ankle, heel, toe, back)
}

impl Pose {
    /// Places every joint, with the pelvis at the origin.
    pub fn body(&self) -> Body {
        let root = Frame::UPRIGHT
            .rotate(v3(0.0, 0.0, -1.0), self.tilt)
            .rotate(v3(1.0, 0.0, 0.0), self.roll)
            .rotate(v3(0.0, -1.0, 0.0), self.turn);
        let chest = root.flex(self.waist).side(self.side_bend).turn(self.twist);
        let neck = chest
            .flex(self.neck)
            .side(self.neck_side)
            .turn(self.neck_turn);
        let head_frame = neck.flex(self.nod);
        let pelvis = v3(0.0, 0.0, 0.0);
        let waist = pelvis + root.up * length::TRUNK;
        let neck_base = waist + chest.up * length::CHEST;
        let neck_top = neck_base + neck.up * length::NECK;
        let head = neck_top + head_frame.up * length::HEAD_UP + head_frame.front * 0.015;
        let clavicle_root = neck_base + chest.front * 0.025 - chest.up * 0.05;
        let mut sides = [SideJoints::default(); 2];
        for (i, s) in sides.iter_mut().enumerate() {
            let sign = SIDE_SIGN[i];
            let l = &self.limbs[i];
            [s.shoulder, s.elbow, s.wrist, s.hand, s.blade] = arm(&chest, clavicle_root, sign, l);
            (s.hip, s.knee, s.ankle, s.heel, s.toe, s.thigh_back) = leg(&root, pelvis, sign, l);
        }
        Body {
            pelvis,
            waist,
            neck_base,
            neck_top,
            head,
            hips_frame: root,
            chest_frame: chest,
            head_frame,
            breath: self.breath,
            sides,
        }
    }
}

impl Body {
    /// The same body moved by `d`.
    pub fn moved(&self, d: V3) -> Body {
        let mut b = *self;
        for p in [
            &mut b.pelvis,
            &mut b.waist,
            &mut b.neck_base,
            &mut b.neck_top,
            &mut b.head,
        ] {
            *p = *p + d;
        }
        for s in &mut b.sides {
            for p in [
                &mut s.shoulder,
                &mut s.elbow,
                &mut s.wrist,
                &mut s.hand,
                &mut s.hip,
                &mut s.knee,
                &mut s.ankle,
                &mut s.heel,
                &mut s.toe,
                &mut s.blade,
            ] {
                *p = *p + d;
            }
        }
        b
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Base, Figure, Keyframe, contacts};
    use super::*;

    fn figure(base: Base) -> Figure {
        Figure {
            view: super::super::View::Side,
            focus: super::super::Focus::Body,
            props: Vec::new(),
            base,
            highlight: None,
            cycle_seconds: 4.0,
            anchor: None,
            arrows: Vec::new(),
            looped: false,
            keyframes: vec![Keyframe::default(), Keyframe::default()],
        }
    }

    #[test]
    fn standing_is_about_as_tall_as_an_adult_and_rests_on_the_floor() {
        let f = figure(Base::Standing);
        let b = contacts::on_floor(&Base::Standing.pose(), &f);
        let top = b.head.y + length::HEAD;
        assert!((1.65..1.85).contains(&top), "{top}");
        let low = super::super::surface::all_balls(&b)
            .iter()
            .map(|x| x.c.y - x.r)
            .fold(f32::MAX, f32::min);
        assert!(low.abs() < 1e-4, "{low}");
        assert!(
            b.sides[0].heel.y < 0.05 && b.sides[0].toe.y < 0.05,
            "feet flat"
        );
    }

    #[test]
    fn in_between_poses_keep_limb_lengths() {
        let mut f = figure(Base::AllFours);
        f.keyframes[1].angles.insert("shoulder".into(), 175.0);
        f.keyframes[1].angles.insert("far_hip".into(), 0.0);
        f.keyframes[1].angles.insert("far_knee".into(), 0.0);
        for t in [0.0, 0.1, 0.25, 0.4, 0.5, 0.77] {
            let b = f.pose_at(t).map(|p| p.body()).unwrap();
            let d = |a: V3, c: V3| (a - c).len();
            assert!((d(b.sides[0].shoulder, b.sides[0].elbow) - length::ARM).abs() < 1e-4);
            assert!((d(b.sides[1].knee, b.sides[1].ankle) - length::SHIN).abs() < 1e-4);
        }
        assert_eq!(f.pose_at(0.5).map(|p| p.limbs[0].shoulder), Some(175.0));
    }

    #[test]
    fn a_side_view_sees_the_right_side_nearer() {
        let b = Base::Standing.pose().body();
        assert!(b.sides[0].shoulder.z > 0.1 && b.sides[1].shoulder.z < -0.1);
        let lying = Base::SideLying.pose().body();
        // Rolled onto the right side: the right shoulder is below the left.
        assert!(lying.sides[0].shoulder.y < lying.sides[1].shoulder.y);
    }
}

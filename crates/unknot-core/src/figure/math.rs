//! Small 3-D vector and body-frame arithmetic, so the kinematics read as anatomy rather than
//! as trigonometry. World axes: x the way the figure faces in a side view, y up, z towards the
//! viewer of a side view (the person's right).

use std::ops::{Add, Mul, Neg, Sub};

/// A point or direction in metres.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct V3 {
    /// Forward (the way a side-view figure faces).
    pub x: f32,
    /// Up.
    pub y: f32,
    /// Towards the viewer of a side view.
    pub z: f32,
}

/// Shorthand for a [`V3`].
pub const fn v3(x: f32, y: f32, z: f32) -> V3 {
    V3 { x, y, z }
}

impl Add for V3 {
    type Output = V3;
    fn add(self, o: V3) -> V3 {
        v3(self.x + o.x, self.y + o.y, self.z + o.z)
    }
}

impl Sub for V3 {
    type Output = V3;
    fn sub(self, o: V3) -> V3 {
        v3(self.x - o.x, self.y - o.y, self.z - o.z)
    }
}

impl Mul<f32> for V3 {
    type Output = V3;
    fn mul(self, k: f32) -> V3 {
        v3(self.x * k, self.y * k, self.z * k)
    }
}

impl Neg for V3 {
    type Output = V3;
    fn neg(self) -> V3 {
        v3(-self.x, -self.y, -self.z)
    }
}

impl V3 {
    /// Dot product.
    pub fn dot(self, o: V3) -> f32 {
        self.x * o.x + self.y * o.y + self.z * o.z
    }

    /// Cross product.
    pub fn cross(self, o: V3) -> V3 {
        v3(
            self.y * o.z - self.z * o.y,
            self.z * o.x - self.x * o.z,
            self.x * o.y - self.y * o.x,
        )
    }

    /// Length.
    pub fn len(self) -> f32 {
        self.dot(self).sqrt()
    }

    /// The same direction with length one (or unchanged if it has no length).
    pub fn unit(self) -> V3 {
        let l = self.len();
        if l < 1e-6 { self } else { self * (1.0 / l) }
    }

    /// The horizontal part (y dropped to zero).
    pub fn flat(self) -> V3 {
        v3(self.x, 0.0, self.z)
    }

    /// Rotates about the unit `axis` by `deg` degrees (right-hand rule).
    pub fn rotate(self, axis: V3, deg: f32) -> V3 {
        let (s, c) = deg.to_radians().sin_cos();
        self * c + axis.cross(self) * s + axis * (axis.dot(self) * (1.0 - c))
    }

    /// The point `t` of the way from `self` to `o`.
    pub fn lerp(self, o: V3, t: f32) -> V3 {
        self + (o - self) * t
    }
}

/// A body part's own axes: `up` along it, `front` the way it faces, `right` the person's right.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    /// Along the part, towards the head.
    pub up: V3,
    /// The way the part faces.
    pub front: V3,
    /// The person's right.
    pub right: V3,
}

impl Frame {
    /// Standing upright, facing +x, right towards +z.
    pub const UPRIGHT: Frame = Frame {
        up: v3(0.0, 1.0, 0.0),
        front: v3(1.0, 0.0, 0.0),
        right: v3(0.0, 0.0, 1.0),
    };

    /// Every axis rotated about `axis`.
    pub fn rotate(self, axis: V3, deg: f32) -> Frame {
        Frame {
            up: self.up.rotate(axis, deg),
            front: self.front.rotate(axis, deg),
            right: self.right.rotate(axis, deg),
        }
    }

    /// Bends forward (flexion) by `deg`: `up` turns towards `front`.
    pub fn flex(self, deg: f32) -> Frame {
        self.rotate(-self.right, deg)
    }

    /// Bends towards the person's right by `deg`.
    pub fn side(self, deg: f32) -> Frame {
        self.rotate(self.front, deg)
    }

    /// Turns towards the person's right by `deg` about the part's own length.
    pub fn turn(self, deg: f32) -> Frame {
        self.rotate(-self.up, deg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn near(a: V3, b: V3) -> bool {
        (a - b).len() < 1e-4
    }

    #[test]
    fn frames_bend_the_way_their_names_say() {
        let f = Frame::UPRIGHT;
        assert!(
            near(f.flex(90.0).up, f.front),
            "flexion brings up to the front"
        );
        assert!(near(f.side(90.0).up, f.right), "a side bend to the right");
        assert!(near(f.turn(90.0).front, f.right), "a turn to the right");
        assert!(near(f.right, f.front.cross(f.up)));
    }
}

//! Where we look from: each [`View`] is an orthographic camera turned about the vertical and
//! raised above the floor, so a twist or an arm opened sideways can be drawn from a direction
//! that shows it.

use super::View;
use super::math::{V3, v3};

/// A point on the drawing, in metres, y up.
pub type Point = (f32, f32);

/// An orthographic camera: screen right, screen up, and towards the viewer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Camera {
    /// Screen right.
    pub right: V3,
    /// Screen up.
    pub up: V3,
    /// Towards the viewer (larger is nearer).
    pub toward: V3,
}

impl View {
    /// The camera's turn about the vertical (0 from the person's right side, 90 from their
    /// front) and its height above the horizon, in degrees.
    pub fn angles(self) -> (f32, f32) {
        match self {
            View::Side => (0.0, 0.0),
            View::Front => (90.0, 0.0),
            View::Back => (-90.0, 0.0),
            View::Top => (0.0, 90.0),
            View::ThreeQuarter => (40.0, 18.0),
            View::Above => (25.0, 55.0),
        }
    }

    /// The camera for this view.
    pub fn camera(self) -> Camera {
        let (yaw, elevation) = self.angles();
        let (sy, cy) = yaw.to_radians().sin_cos();
        let (se, ce) = elevation.to_radians().sin_cos();
        let level = v3(sy, 0.0, cy);
        Camera {
            right: v3(cy, 0.0, -sy),
            up: v3(0.0, ce, 0.0) - level * se,
            toward: level * ce + v3(0.0, se, 0.0),
        }
    }

    /// Whether the floor is seen as a line (the camera on the horizon) rather than a plane.
    pub fn level(self) -> bool {
        self.angles().1.abs() < 1.0
    }
}

impl Camera {
    /// A point's place on the drawing.
    pub fn project(&self, p: V3) -> Point {
        (p.dot(self.right), p.dot(self.up))
    }

    /// How near the viewer a point is.
    pub fn depth(&self, p: V3) -> f32 {
        p.dot(self.toward)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_look_from_where_they_say() {
        let side = View::Side.camera();
        assert_eq!(side.project(v3(1.0, 2.0, 0.0)), (1.0, 2.0));
        let front = View::Front.camera();
        // From the front, the person's right (+z) is on the viewer's left.
        assert!(front.project(v3(0.0, 0.0, 1.0)).0 < -0.99);
        let top = View::Top.camera();
        assert!(
            top.depth(v3(0.0, 1.0, 0.0)) > 0.99,
            "from above, higher is nearer"
        );
    }
}

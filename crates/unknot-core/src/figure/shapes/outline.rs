//! Outlines: capsules, the trunk lofted through its rings, and solid props, projected to flat
//! polygons through the camera. Kept apart from the drawing's ordering and tones so the
//! geometry can be read on its own.

use super::{Role, Shape};
use crate::figure::camera::{Camera, Point};
use crate::figure::math::{V3, v3};
use crate::figure::props::Solid;
use crate::figure::surface::{Capsule, Ring};

/// Every point as the camera sees it.
pub(super) fn project_all(cam: &Camera, pts: &[V3]) -> Vec<Point> {
    pts.iter().map(|p| cam.project(*p)).collect()
}

/// A tapered capsule's outline: two circles and the lines tangent to both (one circle when one
/// end hides the other).
pub(super) fn capsule(cam: &Camera, c: &Capsule) -> Vec<Point> {
    let (a, b) = (cam.project(c.a.c), cam.project(c.b.c));
    let (ra, rb) = (c.a.r, c.b.r);
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let d = (dx * dx + dy * dy).sqrt();
    let n = 7;
    if d <= (ra - rb).abs() + 1e-4 {
        let (c0, r) = if ra >= rb { (a, ra) } else { (b, rb) };
        return (0..2 * n)
            .map(|k| {
                let t = k as f32 / (2 * n) as f32 * std::f32::consts::TAU;
                (c0.0 + r * t.cos(), c0.1 + r * t.sin())
            })
            .collect();
    }
    let theta = dy.atan2(dx);
    // The outer tangents touch both circles where the radius makes `phi` with the centre line.
    let phi = std::f32::consts::FRAC_PI_2 - ((ra - rb) / d).clamp(-1.0, 1.0).asin();
    let step = |from: f32, span: f32, k: usize| from + span * k as f32 / (n - 1) as f32;
    let mut pts = Vec::with_capacity(2 * n);
    for k in 0..n {
        let t = step(theta - phi, 2.0 * phi, k);
        pts.push((b.0 + rb * t.cos(), b.1 + rb * t.sin()));
    }
    for k in 0..n {
        let t = step(theta + phi, std::f32::consts::TAU - 2.0 * phi, k);
        pts.push((a.0 + ra * t.cos(), a.1 + ra * t.sin()));
    }
    pts
}

fn ellipse_at(c: Point, a: Point, b: Point, t: f32) -> Point {
    (
        c.0 + a.0 * t.cos() + b.0 * t.sin(),
        c.1 + a.1 * t.cos() + b.1 * t.sin(),
    )
}

fn extreme_angle(a: Point, b: Point, n: Point) -> f32 {
    (n.0 * b.0 + n.1 * b.1).atan2(n.0 * a.0 + n.1 * a.1)
}

/// The trunk's outline, lofted through its rings as the camera sees them.
pub(super) fn trunk_outline(cam: &Camera, rs: &[Ring], up_hint: Point) -> Vec<Point> {
    let proj: Vec<(Point, Point, Point)> = rs
        .iter()
        .map(|r| {
            (
                cam.project(r.c),
                cam.project(r.across),
                cam.project(r.depth),
            )
        })
        .collect();
    let count = proj.len();
    let dir = |i: usize| -> Point {
        let (lo, hi) = (i.saturating_sub(1), (i + 1).min(count - 1));
        let (p, q) = (proj[lo].0, proj[hi].0);
        let (dx, dy) = (q.0 - p.0, q.1 - p.1);
        let l = (dx * dx + dy * dy).sqrt();
        if l < 0.02 { up_hint } else { (dx / l, dy / l) }
    };
    let mut left = Vec::new();
    let mut right = Vec::new();
    for (i, (c, a, b)) in proj.iter().enumerate() {
        let d = dir(i);
        let n = (-d.1, d.0);
        left.push(ellipse_at(*c, *a, *b, extreme_angle(*a, *b, n)));
        right.push(ellipse_at(*c, *a, *b, extreme_angle(*a, *b, (-n.0, -n.1))));
    }
    let cap = |i: usize, forward: Point| -> Vec<Point> {
        let (c, a, b) = proj[i];
        let d = dir(i);
        let n = (-d.1, d.0);
        let start = extreme_angle(a, b, n);
        let mid = extreme_angle(a, b, forward);
        let mut delta = mid - start;
        while delta > std::f32::consts::PI {
            delta -= std::f32::consts::TAU;
        }
        while delta < -std::f32::consts::PI {
            delta += std::f32::consts::TAU;
        }
        let sign = if delta >= 0.0 { 1.0 } else { -1.0 };
        (1..6)
            .map(|k| {
                ellipse_at(
                    c,
                    a,
                    b,
                    start + sign * std::f32::consts::PI * k as f32 / 6.0,
                )
            })
            .collect()
    };
    let top = dir(count - 1);
    let bottom = dir(0);
    let mut out = left.clone();
    out.extend(cap(count - 1, top));
    out.extend(right.iter().rev());
    let mut low = cap(0, (-bottom.0, -bottom.1));
    // The bottom cap runs from the right side back to the left.
    low.reverse();
    out.extend(low);
    out
}

/// The convex hull of the points (monotone chain), going round one way.
fn convex_hull(mut pts: Vec<Point>) -> Vec<Point> {
    pts.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let cross =
        |o: Point, a: Point, b: Point| (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0);
    let mut hull: Vec<Point> = Vec::new();
    for pass in 0..2 {
        let start = hull.len();
        let iter: Box<dyn Iterator<Item = &Point>> = if pass == 0 {
            Box::new(pts.iter())
        } else {
            Box::new(pts.iter().rev())
        };
        for &p in iter {
            while hull.len() >= start + 2
                && cross(hull[hull.len() - 2], hull[hull.len() - 1], p) <= 0.0
            {
                hull.pop();
            }
            hull.push(p);
        }
        hull.pop();
    }
    hull
}

/// A box's faces that look towards the camera, lit or shaded, farthest first.
pub(super) fn cuboid_faces(
    cam: &Camera,
    min: V3,
    max: V3,
    lit: Role,
    shade: Role,
) -> Vec<(f32, Shape)> {
    let corner = |i: usize| {
        v3(
            if i & 1 == 0 { min.x } else { max.x },
            if i & 2 == 0 { min.y } else { max.y },
            if i & 4 == 0 { min.z } else { max.z },
        )
    };
    let faces: [([usize; 4], V3); 6] = [
        ([0, 2, 6, 4], v3(-1.0, 0.0, 0.0)),
        ([1, 3, 7, 5], v3(1.0, 0.0, 0.0)),
        ([0, 1, 5, 4], v3(0.0, -1.0, 0.0)),
        ([2, 3, 7, 6], v3(0.0, 1.0, 0.0)),
        ([0, 1, 3, 2], v3(0.0, 0.0, -1.0)),
        ([4, 5, 7, 6], v3(0.0, 0.0, 1.0)),
    ];
    let mut out = Vec::new();
    for (idx, n) in faces {
        let facing = n.dot(cam.toward);
        if facing <= 1e-3 {
            continue;
        }
        let pts: Vec<V3> = idx.iter().map(|&i| corner(i)).collect();
        let depth = pts.iter().map(|p| cam.depth(*p)).sum::<f32>() / 4.0;
        let role = if n.y > 0.5 || facing > 0.9 {
            lit
        } else {
            shade
        };
        out.push((
            depth,
            Shape::Polygon {
                points: project_all(cam, &pts),
                role,
            },
        ));
    }
    out
}

/// A prop's solid as shapes, each with its depth for painting far to near.
pub(super) fn solid_shapes(cam: &Camera, s: &Solid) -> Vec<(f32, Shape)> {
    match *s {
        Solid::Cuboid { min, max } => cuboid_faces(cam, min, max, Role::Prop, Role::PropShade),
        Solid::Sphere { c, r } => vec![(
            cam.depth(c),
            Shape::Circle {
                centre: cam.project(c),
                radius: r,
                role: Role::Ball,
            },
        )],
        Solid::Roller { c, r, half } => {
            let ring = |z: f32| -> Vec<V3> {
                (0..24)
                    .map(|k| {
                        let t = k as f32 / 24.0 * std::f32::consts::TAU;
                        v3(c.x + r * t.cos(), c.y + r * t.sin(), c.z + z)
                    })
                    .collect()
            };
            let (a, b) = (ring(half), ring(-half));
            let near = if cam.depth(a[0]) >= cam.depth(b[0]) {
                &a
            } else {
                &b
            };
            let mut all = project_all(cam, &a);
            all.extend(project_all(cam, &b));
            let d = cam.depth(c);
            vec![
                (
                    d,
                    Shape::Polygon {
                        points: convex_hull(all),
                        role: Role::PropShade,
                    },
                ),
                (
                    d + 0.001,
                    Shape::Polygon {
                        points: project_all(cam, near),
                        role: Role::Prop,
                    },
                ),
                (
                    d + 0.002,
                    Shape::Circle {
                        centre: cam.project(v3(c.x, c.y, near[0].z)),
                        radius: r * 0.3,
                        role: Role::PropShade,
                    },
                ),
            ]
        }
    }
}

//! Motion arrows: the smoothed path of a moving point, or a ring for a looped movement, with
//! a head at its end.

use super::{Role, Shape};
use crate::figure::camera::Point;

/// A loop's arrow: most of an ellipse round the path's middle (at least `least` across), set
/// `off` towards `dir`, going the way the path goes round.
pub(super) fn ring_arrow(pts: &[Point], least: f32, dir: Point, off: f32) -> Vec<Point> {
    let n = pts.len().max(1) as f32;
    let c = pts
        .iter()
        .fold((0.0, 0.0), |a, p| (a.0 + p.0 / n, a.1 + p.1 / n));
    let rx = pts.iter().map(|p| (p.0 - c.0).abs()).fold(least, f32::max);
    let ry = pts.iter().map(|p| (p.1 - c.1).abs()).fold(least, f32::max);
    // The shoelace sum says which way round the path goes.
    let turn: f32 = pts
        .windows(2)
        .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
        .sum();
    let sign = if turn >= 0.0 { 1.0 } else { -1.0 };
    let centre = (c.0 + dir.0 * off, c.1 + dir.1 * off);
    (0..=30)
        .map(|k| {
            let t = std::f32::consts::FRAC_PI_2 + sign * 5.2 * k as f32 / 30.0;
            (centre.0 + rx * t.cos(), centre.1 + ry * t.sin())
        })
        .collect()
}

/// Rounds a path's corners (two passes of corner cutting), keeping its ends.
pub(super) fn smooth(path: &[Point]) -> Vec<Point> {
    let mut p = path.to_vec();
    for _ in 0..2 {
        if p.len() < 3 {
            return p;
        }
        let mut q = vec![p[0]];
        for w in p.windows(2) {
            let (a, b) = (w[0], w[1]);
            q.push((a.0 * 0.75 + b.0 * 0.25, a.1 * 0.75 + b.1 * 0.25));
            q.push((a.0 * 0.25 + b.0 * 0.75, a.1 * 0.25 + b.1 * 0.75));
        }
        if let Some(last) = p.last() {
            q.push(*last);
        }
        p = q;
    }
    p
}

/// An arrow along `path`: its shaft, and a head at the last point pointing the way it last went.
/// Sizes are divided by `zoom` so arrows look alike in close-ups.
pub(super) fn arrow(path: &[Point], zoom: f32) -> Vec<Shape> {
    let n = path.len();
    if n < 2 {
        return Vec::new();
    }
    let tip = path[n - 1];
    let before = path[..n - 1]
        .iter()
        .rev()
        .find(|p| ((p.0 - tip.0).powi(2) + (p.1 - tip.1).powi(2)).sqrt() > 0.02 / zoom)
        .copied()
        .unwrap_or(path[0]);
    let (dx, dy) = (tip.0 - before.0, tip.1 - before.1);
    let l = (dx * dx + dy * dy).sqrt().max(1e-6);
    let (ux, uy) = (dx / l, dy / l);
    let size = 0.09 / zoom;
    let base = (tip.0 - ux * size, tip.1 - uy * size);
    let mut shaft: Vec<Point> = path[..n - 1].to_vec();
    shaft.push(base);
    vec![
        Shape::Path {
            points: shaft,
            width: 0.026 / zoom,
            role: Role::Arrow,
        },
        Shape::Polygon {
            points: vec![
                (tip.0 + ux * size * 0.2, tip.1 + uy * size * 0.2),
                (base.0 - uy * size * 0.55, base.1 + ux * size * 0.55),
                (base.0 + uy * size * 0.55, base.1 - ux * size * 0.55),
            ],
            role: Role::Arrow,
        },
    ]
}

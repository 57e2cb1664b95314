//! The drawing: a settled body and its setting become flat vector [`Shape`]s, seen through the
//! figure's camera. Limbs are tapered capsules and the trunk a shape lofted through its rings,
//! painted far to near, with the far side's limbs in a lighter tone, the working muscle laid
//! over its part, props drawn as the solids they are, and a motion arrow beside a small
//! movement. The order and tones are fixed once per figure, so every moment of the animation
//! has the same shapes in the same order and an edge can morph one into the next.

use super::camera::{Camera, Point};
use super::kinematics::Body;
use super::math::{V3, v3};
use super::props::{MAT, Setting, Solid};
use super::surface::{self, Capsule, Ring, rings};
use super::{Figure, Focus, Prop, contacts};
use serde::Serialize;

/// What a shape is, for colouring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// The floor line.
    Floor,
    /// The floor seen from above.
    Ground,
    /// The exercise mat.
    Mat,
    /// A prop's lit faces.
    Prop,
    /// A prop's shaded faces.
    PropShade,
    /// The band.
    Band,
    /// A massage ball (small, so drawn in a strong colour).
    Ball,
    /// The far side's limbs (lighter, behind).
    Far,
    /// The body.
    Body,
    /// The working muscle.
    Highlight,
    /// A detail drawn on the body (the face, the shoulder blades).
    Detail,
    /// A motion arrow.
    Arrow,
    /// The starting position, outlined behind a close-up's later keyframes.
    Ghost,
}

/// A vector shape in metres on the drawing (y up).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "shape", rename_all = "kebab-case")]
pub enum Shape {
    /// A stroked line with round ends.
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
    /// A stroked open line through points.
    Path {
        /// The points.
        points: Vec<Point>,
        /// Stroke width.
        width: f32,
        /// What it is.
        role: Role,
    },
    /// A filled, outlined circle.
    Circle {
        /// Centre.
        centre: Point,
        /// Radius.
        radius: f32,
        /// What it is.
        role: Role,
    },
    /// A filled, outlined polygon.
    Polygon {
        /// Corners in order.
        points: Vec<Point>,
        /// What it is.
        role: Role,
    },
}

/// The part of the drawing to show: x from, y from, x to, y to (metres, y up).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rect {
    /// Left.
    pub x0: f32,
    /// Bottom.
    pub y0: f32,
    /// Right.
    pub x1: f32,
    /// Top.
    pub y1: f32,
}

impl Rect {
    /// Width.
    pub fn width(&self) -> f32 {
        self.x1 - self.x0
    }

    /// Height.
    pub fn height(&self) -> f32 {
        self.y1 - self.y0
    }

    fn grow(&mut self, p: Point, pad: f32) {
        self.x0 = self.x0.min(p.0 - pad);
        self.y0 = self.y0.min(p.1 - pad);
        self.x1 = self.x1.max(p.0 + pad);
        self.y1 = self.y1.max(p.1 + pad);
    }

    const EMPTY: Rect = Rect {
        x0: f32::MAX,
        y0: f32::MAX,
        x1: f32::MIN,
        y1: f32::MIN,
    };
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Piece {
    Trunk,
    Neck,
    Head,
    Arm(usize),
    Leg(usize),
}

/// A figure made ready to draw: its setting, the paint order and tones, the arrows and the
/// frame, all fixed for the whole cycle.
#[derive(Debug, Clone)]
pub struct Drawing<'a> {
    figure: &'a Figure,
    camera: Camera,
    setting: Setting,
    order: Vec<(Piece, bool)>,
    face_front: bool,
    back_seen: bool,
    statics: Vec<Shape>,
    ghost: Vec<Shape>,
    arrows: Vec<Shape>,
    /// The part of the drawing to show.
    pub frame: Rect,
    /// How much a close-up magnifies (1 for the whole body).
    pub zoom: f32,
    /// Outline width in metres, so lines look alike at every zoom.
    pub line: f32,
}

fn project_all(cam: &Camera, pts: &[V3]) -> Vec<Point> {
    pts.iter().map(|p| cam.project(*p)).collect()
}

fn capsule(cam: &Camera, c: &Capsule) -> Vec<Point> {
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

fn trunk_outline(cam: &Camera, rs: &[Ring], up_hint: Point) -> Vec<Point> {
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
fn cuboid_faces(cam: &Camera, min: V3, max: V3, lit: Role, shade: Role) -> Vec<(f32, Shape)> {
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

fn solid_shapes(cam: &Camera, s: &Solid) -> Vec<(f32, Shape)> {
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

/// The highlighted muscle, as capsules laid over the piece they belong to.
fn highlight(id: &str, b: &Body) -> Vec<(Piece, Capsule)> {
    let v = trunk_highlight(id, b);
    if v.is_empty() {
        limb_highlight(id, b)
    } else {
        v
    }
}

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

#[derive(Debug, Clone, Copy, PartialEq)]
enum Face {
    Eyes,
    Nose,
    Away,
}

fn piece_depth(cam: &Camera, b: &Body, p: Piece) -> f32 {
    let mean = |pts: &[V3]| pts.iter().map(|q| cam.depth(*q)).sum::<f32>() / pts.len() as f32;
    match p {
        Piece::Trunk => mean(&rings(b).map(|r| r.c)),
        Piece::Neck => mean(&[b.neck_base, b.neck_top]),
        Piece::Head => cam.depth(b.head),
        Piece::Arm(i) => mean(&[b.sides[i].shoulder, b.sides[i].elbow, b.sides[i].hand]),
        Piece::Leg(i) => mean(&[b.sides[i].hip, b.sides[i].knee, b.sides[i].ankle]),
    }
}

fn focus_points(b: &Body, focus: Focus) -> Vec<(V3, f32)> {
    let rs = rings(b);
    let ring_pts = |i: usize| {
        rs[i]
            .points(12)
            .into_iter()
            .map(|p| (p, 0.0))
            .collect::<Vec<_>>()
    };
    let mut v = Vec::new();
    match focus {
        Focus::Body => {}
        Focus::Head => {
            v.push((b.head, 0.14));
            v.extend(ring_pts(6));
            v.extend(b.sides.iter().map(|s| (s.shoulder, 0.06)));
        }
        Focus::Shoulders => {
            v.push((b.head, 0.11));
            v.extend(b.sides.iter().map(|s| (s.shoulder, 0.07)));
            v.extend(b.sides.iter().map(|s| (s.blade, 0.07)));
            v.extend(ring_pts(5));
        }
        Focus::Trunk => {
            for i in 0..7 {
                v.extend(ring_pts(i));
            }
            v.push((b.head, 0.12));
            v.extend(b.sides.iter().map(|s| (s.knee, 0.06)));
        }
        Focus::Pelvis => {
            for i in 0..5 {
                v.extend(ring_pts(i));
            }
            v.extend(b.sides.iter().map(|s| (s.hip.lerp(s.knee, 0.4), 0.07)));
        }
    }
    v
}

fn spot_centre(spot: &surface::Spot, b: &Body) -> (V3, f32) {
    let balls = spot.balls(b);
    let n = balls.len().max(1) as f32;
    let c = balls.iter().fold(v3(0.0, 0.0, 0.0), |acc, x| acc + x.c) * (1.0 / n);
    let r = balls
        .iter()
        .map(|x| (x.c - c).len() + x.r)
        .fold(0.0, f32::max);
    (c, r)
}

impl<'a> Drawing<'a> {
    /// Prepares a figure for drawing.
    pub fn new(figure: &'a Figure) -> Drawing<'a> {
        let camera = figure.view.camera();
        let mut setting = figure.setting();
        let bodies: Vec<Body> = (0..figure.keyframes.len())
            .filter_map(|i| figure.body(i, &setting))
            .collect();
        if figure.props.contains(&Prop::Mat) {
            let xs = bodies
                .iter()
                .flat_map(|b| surface::all_balls(b).into_iter().map(|ball| ball.c.x));
            let (lo, hi) = xs.fold((f32::MAX, f32::MIN), |(lo, hi), x| (lo.min(x), hi.max(x)));
            if lo <= hi {
                setting.mat = Some((lo - 0.12, hi + 0.12));
            }
        }
        let mut d = Drawing {
            figure,
            camera,
            setting,
            order: Vec::new(),
            face_front: false,
            back_seen: false,
            statics: Vec::new(),
            ghost: Vec::new(),
            arrows: Vec::new(),
            frame: Rect::EMPTY,
            zoom: 1.0,
            line: 0.012,
        };
        d.fix_order(&bodies);
        let (behind, bounded) = d.props(&bodies);
        d.fit(&bodies, &bounded);
        d.statics = behind;
        d.statics.extend(bounded);
        d.arrows = d.arrow_shapes();
        if figure.focus != Focus::Body
            && let Some(first) = bodies.first()
        {
            d.ghost = d.outline(first);
        }
        for s in &d.arrows {
            for p in shape_points(s) {
                d.frame.grow(p, 0.02);
            }
        }
        d
    }

    fn fix_order(&mut self, bodies: &[Body]) {
        let cam = self.camera;
        let n = bodies.len().max(1) as f32;
        let avg = |p: Piece| bodies.iter().map(|b| piece_depth(&cam, b, p)).sum::<f32>() / n;
        let trunk = avg(Piece::Trunk);
        let mut pieces: Vec<(Piece, f32)> = [
            Piece::Leg(1),
            Piece::Arm(1),
            Piece::Trunk,
            Piece::Neck,
            Piece::Head,
            Piece::Leg(0),
            Piece::Arm(0),
        ]
        .into_iter()
        .map(|p| (p, avg(p)))
        .collect();
        pieces.sort_by(|a, b| a.1.total_cmp(&b.1));
        // The neck joins the trunk to the head: always after the one, before the other.
        let at = |ps: &[(Piece, f32)], p: Piece| ps.iter().position(|x| x.0 == p);
        if let (Some(n), Some(h)) = (at(&pieces, Piece::Neck), at(&pieces, Piece::Head))
            && n > h
        {
            let neck = pieces.remove(n);
            pieces.insert(h, neck);
        }
        if let (Some(t), Some(n)) = (at(&pieces, Piece::Trunk), at(&pieces, Piece::Neck))
            && t > n
        {
            let trunk = pieces.remove(t);
            pieces.insert(n, trunk);
        }
        self.order = pieces
            .into_iter()
            .map(|(p, depth)| {
                (
                    p,
                    matches!(p, Piece::Arm(_) | Piece::Leg(_)) && depth < trunk - 0.05,
                )
            })
            .collect();
        let facing = bodies
            .iter()
            .map(|b| b.head_frame.front.dot(cam.toward))
            .sum::<f32>()
            / n;
        self.face_front = facing > 0.55;
        let chest = bodies
            .iter()
            .map(|b| b.chest_frame.front.dot(cam.toward))
            .sum::<f32>()
            / n;
        self.back_seen = chest < -0.55;
        let _ = Face::Away;
    }

    fn face(&self) -> Face {
        if self.face_front {
            Face::Eyes
        } else if self.back_seen {
            Face::Away
        } else {
            Face::Nose
        }
    }

    /// How many keyframes.
    pub fn keyframes(&self) -> usize {
        self.figure.keyframes.len()
    }

    /// Keyframe `index` as shapes.
    pub fn keyframe(&self, index: usize) -> Vec<Shape> {
        match self.figure.body(index, &self.setting) {
            Some(b) => self.scene(&b),
            None => Vec::new(),
        }
    }

    /// The moment `t` (0..1) of the cycle as shapes (the same shapes, in the same order, at
    /// every moment).
    pub fn at(&self, t: f32) -> Vec<Shape> {
        match self.figure.body_at(t, &self.setting) {
            Some((_, b)) => self.scene(&b),
            None => Vec::new(),
        }
    }

    /// The body's outline only (trunk, neck and head), as the ghost of the start.
    fn outline(&self, b: &Body) -> Vec<Shape> {
        let mut out = Vec::new();
        for piece in [Piece::Trunk, Piece::Neck, Piece::Head] {
            self.piece(b, piece, false, &mut out);
        }
        out.into_iter()
            .filter_map(|s| match s {
                Shape::Polygon {
                    points,
                    role: Role::Body,
                } => Some(Shape::Polygon {
                    points,
                    role: Role::Ghost,
                }),
                Shape::Circle {
                    centre,
                    radius,
                    role: Role::Body,
                } => Some(Shape::Circle {
                    centre,
                    radius,
                    role: Role::Ghost,
                }),
                _ => None,
            })
            .collect()
    }

    fn scene(&self, b: &Body) -> Vec<Shape> {
        let mut out = self.statics.clone();
        out.extend(self.ghost.iter().cloned());
        let hl = self
            .figure
            .highlight
            .as_deref()
            .map(|h| highlight(h, b))
            .unwrap_or_default();
        for &(piece, far) in &self.order {
            self.piece(b, piece, far, &mut out);
            for (p, c) in &hl {
                if *p == piece {
                    out.push(Shape::Polygon {
                        points: capsule(&self.camera, c),
                        role: Role::Highlight,
                    });
                }
            }
        }
        self.band(b, &mut out);
        out.extend(self.arrows.iter().cloned());
        out
    }

    fn piece(&self, b: &Body, piece: Piece, far: bool, out: &mut Vec<Shape>) {
        let cam = &self.camera;
        let role = if far { Role::Far } else { Role::Body };
        let poly = |c: &Capsule| Shape::Polygon {
            points: capsule(cam, c),
            role,
        };
        match piece {
            Piece::Trunk => {
                let hint = cam.project(b.chest_frame.up);
                let l = (hint.0 * hint.0 + hint.1 * hint.1).sqrt().max(1e-3);
                out.push(Shape::Polygon {
                    points: trunk_outline(cam, &rings(b), (hint.0 / l, hint.1 / l)),
                    role,
                });
                if self.back_seen {
                    for (i, s) in b.sides.iter().enumerate() {
                        let (u, a) = (b.chest_frame.up, b.chest_frame.right * surface::sign(i));
                        let pts = [
                            s.blade + u * 0.07 - a * 0.035,
                            s.blade + u * 0.065 + a * 0.05,
                            s.blade - u * 0.085 - a * 0.01,
                        ];
                        out.push(Shape::Polygon {
                            points: project_all(cam, &pts),
                            role: Role::Detail,
                        });
                    }
                }
            }
            Piece::Neck => out.push(poly(&surface::neck(b))),
            Piece::Head => self.head(b, role, out),
            Piece::Arm(i) => {
                for c in &surface::limbs(b, i)[..3] {
                    out.push(poly(c));
                }
            }
            Piece::Leg(i) => {
                for c in &surface::limbs(b, i)[3..] {
                    out.push(poly(c));
                }
            }
        }
    }

    fn head(&self, b: &Body, role: Role, out: &mut Vec<Shape>) {
        let cam = &self.camera;
        out.push(Shape::Circle {
            centre: cam.project(b.head),
            radius: super::kinematics::length::HEAD,
            role,
        });
        let f = b.head_frame;
        match self.face() {
            Face::Eyes => {
                for s in [1.0, -1.0] {
                    let e = b.head + f.front * 0.09 + f.right * (0.036 * s) + f.up * 0.02;
                    out.push(Shape::Circle {
                        centre: cam.project(e),
                        radius: 0.011,
                        role: Role::Detail,
                    });
                }
            }
            Face::Nose => {
                let pts = [
                    b.head + f.front * 0.095 + f.up * 0.03,
                    b.head + f.front * 0.128 - f.up * 0.005,
                    b.head + f.front * 0.098 - f.up * 0.018,
                ];
                out.push(Shape::Polygon {
                    points: project_all(cam, &pts),
                    role,
                });
            }
            Face::Away => {}
        }
    }

    fn band(&self, b: &Body, out: &mut Vec<Shape>) {
        let Some(band) = self.setting.props.iter().find(|p| p.prop == Prop::Band) else {
            return;
        };
        let foot = (0..self.figure.keyframes.len())
            .flat_map(|i| self.figure.contacts(i))
            .filter(|c| c.surface == contacts::Surface::Band)
            .flat_map(|c| c.spots)
            .find(|s| s.part != surface::Part::Hand);
        let end = match (band.anchor, foot) {
            (Some(a), _) => a,
            (None, Some(s)) => spot_centre(&s, b).0,
            (None, None) => return,
        };
        for s in &b.sides {
            out.push(Shape::Line {
                from: self.camera.project(s.hand),
                to: self.camera.project(end),
                width: 0.014,
                role: Role::Band,
            });
        }
    }
}

fn arrow_point(name: &str, b: &Body) -> Option<(V3, f32)> {
    match name {
        "near-blade" => Some((b.sides[0].blade, 0.05)),
        "far-blade" => Some((b.sides[1].blade, 0.05)),
        _ => contacts::spots(name)?.first().map(|s| spot_centre(s, b)),
    }
}

impl Drawing<'_> {
    fn props(&self, bodies: &[Body]) -> (Vec<Shape>, Vec<Shape>) {
        let cam = &self.camera;
        let mut lo = v3(f32::MAX, 0.0, f32::MAX);
        let mut hi = v3(f32::MIN, 0.0, f32::MIN);
        for b in bodies {
            for ball in surface::all_balls(b) {
                lo = v3(lo.x.min(ball.c.x), 0.0, lo.z.min(ball.c.z));
                hi = v3(hi.x.max(ball.c.x), 0.0, hi.z.max(ball.c.z));
            }
        }
        let mut behind = Vec::new();
        if self.figure.view.level() {
            let (a, z) = (cam.project(lo), cam.project(hi));
            let (x0, x1) = (a.0.min(z.0) - 0.35, a.0.max(z.0) + 0.35);
            behind.push(Shape::Line {
                from: (x0, 0.0),
                to: (x1, 0.0),
                width: 0.012,
                role: Role::Floor,
            });
        } else {
            let m = 0.35;
            let pts = [
                v3(lo.x - m, 0.0, lo.z - m),
                v3(hi.x + m, 0.0, lo.z - m),
                v3(hi.x + m, 0.0, hi.z + m),
                v3(lo.x - m, 0.0, hi.z + m),
            ];
            behind.push(Shape::Polygon {
                points: project_all(cam, &pts),
                role: Role::Ground,
            });
        }
        let mut items: Vec<(f32, Shape)> = Vec::new();
        if let Some((x0, x1)) = self.setting.mat {
            items.extend(cuboid_faces(
                cam,
                v3(x0, 0.0, -0.33),
                v3(x1, MAT, 0.33),
                Role::Mat,
                Role::Mat,
            ));
        }
        let mut bounded = Vec::new();
        for p in &self.setting.props {
            let upright = matches!(p.prop, Prop::Wall | Prop::Doorway);
            for s in &p.solids {
                for (d, shape) in solid_shapes(cam, s) {
                    if upright {
                        behind.push(shape);
                    } else {
                        items.push((d, shape));
                    }
                }
            }
            if p.prop == Prop::Band
                && let Some(a) = p.anchor
            {
                items.extend(cuboid_faces(
                    cam,
                    v3(a.x, 0.0, a.z - 0.03),
                    v3(a.x + 0.06, a.y + 0.2, a.z + 0.03),
                    Role::Prop,
                    Role::PropShade,
                ));
            }
        }
        items.sort_by(|a, b| a.0.total_cmp(&b.0));
        bounded.extend(items.into_iter().map(|(_, s)| s));
        (behind, bounded)
    }

    fn fit(&mut self, bodies: &[Body], bounded: &[Shape]) {
        let mut r = Rect::EMPTY;
        let focus = self.figure.focus;
        let moments: Vec<Body> = (0..16)
            .filter_map(|k| {
                self.figure
                    .body_at(k as f32 / 16.0, &self.setting)
                    .map(|x| x.1)
            })
            .chain(bodies.iter().copied())
            .collect();
        for b in &moments {
            if focus == Focus::Body {
                for ball in surface::all_balls(b) {
                    r.grow(self.camera.project(ball.c), ball.r);
                }
            } else {
                for (p, pad) in focus_points(b, focus) {
                    r.grow(self.camera.project(p), pad);
                }
            }
        }
        if focus == Focus::Body {
            for s in bounded {
                for p in shape_points(s) {
                    r.grow(p, 0.0);
                }
            }
            if self.figure.view.level() {
                r.grow((r.x0, 0.0), 0.0);
            }
            r.grow((r.x0, r.y0), 0.07);
            r.grow((r.x1, r.y1), 0.07);
        } else {
            let (cx, cy) = ((r.x0 + r.x1) / 2.0, (r.y0 + r.y1) / 2.0);
            let least = match focus {
                Focus::Head => (0.62, 0.62),
                Focus::Shoulders => (0.75, 0.62),
                _ => (0.9, 0.55),
            };
            let (w, h) = (r.width().max(least.0), r.height().max(least.1));
            r = Rect {
                x0: cx - w / 2.0,
                y0: cy - h / 2.0,
                x1: cx + w / 2.0,
                y1: cy + h / 2.0,
            };
            self.zoom = (1.9 / r.height()).clamp(1.0, 4.0);
            self.line = 0.012 / self.zoom;
        }
        self.frame = r;
    }

    fn arrow_shapes(&self) -> Vec<Shape> {
        let mut out = Vec::new();
        let z = self.zoom;
        let end = if self.figure.looped { 1.0 } else { 0.5 };
        for spec in &self.figure.arrows {
            let (name, hint) = spec.split_once(':').unwrap_or((spec.as_str(), "above"));
            let mut pts: Vec<Point> = Vec::new();
            let mut reach: f32 = 0.0;
            for k in 0..=32 {
                let Some((_, b)) = self
                    .figure
                    .body_at(end * k as f32 / 32.0 * 0.97, &self.setting)
                else {
                    continue;
                };
                if let Some((c, r)) = arrow_point(name, &b) {
                    pts.push(self.camera.project(c));
                    reach = reach.max(r);
                }
            }
            if pts.is_empty() {
                continue;
            }
            let dir = match hint {
                "below" => (0.0, -1.0),
                "ahead" => (1.0, 0.0),
                "behind" => (-1.0, 0.0),
                "on" => (0.0, 0.0),
                _ => (0.0, 1.0),
            };
            let off = reach + 0.06 / z;
            // Small paths are drawn larger, about their middle, so the arrow reads.
            let (lo, hi) = pts.iter().fold(
                ((f32::MAX, f32::MAX), (f32::MIN, f32::MIN)),
                |(lo, hi), p| {
                    (
                        (lo.0.min(p.0), lo.1.min(p.1)),
                        (hi.0.max(p.0), hi.1.max(p.1)),
                    )
                },
            );
            let extent = (hi.0 - lo.0).max(hi.1 - lo.1);
            let least = if self.figure.looped { 0.4 } else { 0.2 } / z;
            let grow = if extent < least && extent > 1e-4 {
                least / extent
            } else {
                1.0
            };
            let mid = ((lo.0 + hi.0) / 2.0, (lo.1 + hi.1) / 2.0);
            if self.figure.looped {
                out.extend(arrow(&ring_arrow(&pts, least / 2.0, dir, off), z));
                continue;
            }
            let path: Vec<Point> = pts
                .iter()
                .map(|p| {
                    (
                        mid.0 + (p.0 - mid.0) * grow + dir.0 * off,
                        mid.1 + (p.1 - mid.1) * grow + dir.1 * off,
                    )
                })
                .collect();
            out.extend(arrow(&smooth(&path), z));
        }
        out
    }
}

/// A loop's arrow: most of an ellipse round the path's middle (at least `least` across), set
/// `off` towards `dir`, going the way the path goes round.
fn ring_arrow(pts: &[Point], least: f32, dir: Point, off: f32) -> Vec<Point> {
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
fn smooth(path: &[Point]) -> Vec<Point> {
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

fn arrow(path: &[Point], zoom: f32) -> Vec<Shape> {
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

/// Every point a shape passes through (for fitting a frame round it).
pub fn shape_points(s: &Shape) -> Vec<Point> {
    match s {
        Shape::Line {
            from, to, width, ..
        } => vec![(from.0, from.1 - width), *to],
        Shape::Path { points, .. } | Shape::Polygon { points, .. } => points.clone(),
        Shape::Circle { centre, radius, .. } => vec![
            (centre.0 - radius, centre.1 - radius),
            (centre.0 + radius, centre.1 + radius),
        ],
    }
}

//! The drawing: a settled body and its setting become flat vector [`Shape`]s, seen through the
//! figure's camera. Limbs are tapered capsules and the trunk a shape lofted through its rings,
//! painted far to near, with the far side's limbs in a lighter tone, the working muscle laid
//! over its part, props drawn as the solids they are, and a motion arrow beside a small
//! movement. The order and tones are fixed once per figure, so every moment of the animation
//! has the same shapes in the same order and an edge can morph one into the next.
//!
//! This file holds the painter ([`Drawing`]); the geometry it paints comes from `outline`
//! (capsules, the trunk, props), `highlight` (which capsules make each muscle) and `arrows`.

use super::camera::{Camera, Point};
use super::kinematics::Body;
use super::math::{V3, v3};
use super::props::{MAT, Setting};
use super::surface::{self, Capsule, rings};
use super::{Figure, Focus, Prop, contacts};
use serde::Serialize;

mod arrows;
mod highlight;
mod outline;

use arrows::{arrow, ring_arrow, smooth};
use highlight::highlight;
use outline::{capsule, cuboid_faces, project_all, solid_shapes, trunk_outline};

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

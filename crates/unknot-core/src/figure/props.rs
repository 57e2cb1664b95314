//! Props as solid objects (a chair of boxes, a roller, a ball, a wall, a door frame) placed
//! once per figure from the first keyframe that rests on them, and the settling that lays each
//! pose down on the floor and its props: a body drops until something holds it, and leans back
//! until it meets the wall it is stated to touch. Props stay put while the body moves, as they
//! do in a room.

use super::kinematics::Body;
use super::math::{V3, v3};
use super::surface::{Ball, all_balls};
use super::{Figure, Pose, Prop, Surface};

/// Height of the chair seat.
pub const SEAT: f32 = 0.45;
/// The backrest's height above the seat, from and to (a gap below it for the buttocks).
pub const BACKREST: (f32, f32) = (0.08, 0.34);
/// Thickness of the mat.
pub const MAT: f32 = 0.012;
/// Radius of the foam roller.
pub const ROLLER: f32 = 0.075;
/// Radius of the massage ball.
pub const BALL: f32 = 0.045;
/// Half the width of a door opening.
pub const DOOR_HALF: f32 = 0.4;

/// A solid shape.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Solid {
    /// An axis-aligned box.
    Cuboid {
        /// Lowest corner.
        min: V3,
        /// Highest corner.
        max: V3,
    },
    /// A cylinder lying across the figure (along z).
    Roller {
        /// Centre of its middle.
        c: V3,
        /// Radius.
        r: f32,
        /// Half its length.
        half: f32,
    },
    /// A ball.
    Sphere {
        /// Centre.
        c: V3,
        /// Radius.
        r: f32,
    },
}

impl Solid {
    /// Signed distance from `p` to the surface (negative inside).
    pub fn distance(&self, p: V3) -> f32 {
        match *self {
            Solid::Cuboid { min, max } => {
                let c = (min + max) * 0.5;
                let h = (max - min) * 0.5;
                let q = p - c;
                let d = v3(q.x.abs() - h.x, q.y.abs() - h.y, q.z.abs() - h.z);
                let outside = v3(d.x.max(0.0), d.y.max(0.0), d.z.max(0.0)).len();
                outside + d.x.max(d.y).max(d.z).min(0.0)
            }
            Solid::Roller { c, r, half } => {
                let radial = v3(p.x - c.x, p.y - c.y, 0.0).len() - r;
                let along = (p.z - c.z).abs() - half;
                let outside = v3(radial.max(0.0), along.max(0.0), 0.0).len();
                outside + radial.max(along).min(0.0)
            }
            Solid::Sphere { c, r } => (p - c).len() - r,
        }
    }
}

/// One placed prop: what it is and its solids (none for a band, which is drawn as lines).
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    /// Which prop.
    pub prop: Prop,
    /// What the body can touch.
    pub solids: Vec<Solid>,
    /// The solids that hold a body up (a seat, a roller, a ball on the floor).
    pub supports: Vec<Solid>,
    /// For a band: where it is tied, if not to a foot.
    pub anchor: Option<V3>,
}

/// The floor and every prop, fixed for the whole figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting {
    /// Height of what lies on the floor (the mat's top, or 0).
    pub floor: f32,
    /// The mat's extent along the floor (x from, x to), if there is one.
    pub mat: Option<(f32, f32)>,
    /// The other props.
    pub props: Vec<Placed>,
}

impl Setting {
    /// The solids of the prop a surface names (the floor has none: it is a plane).
    pub fn solids(&self, surface: Surface) -> Vec<Solid> {
        self.props
            .iter()
            .filter(|p| Surface::of(p.prop) == Some(surface))
            .flat_map(|p| p.solids.iter().copied())
            .collect()
    }

    /// Distance from a ball of the body to a surface (negative: inside it).
    pub fn distance(&self, ball: &Ball, surface: Surface) -> f32 {
        if surface == Surface::Floor {
            return ball.c.y - ball.r - self.floor;
        }
        self.solids(surface)
            .iter()
            .map(|s| s.distance(ball.c) - ball.r)
            .fold(f32::MAX, f32::min)
    }

    /// The surfaces present: the floor and each prop that has solids.
    pub fn surfaces(&self) -> Vec<Surface> {
        let mut v = vec![Surface::Floor];
        for p in &self.props {
            if let Some(s) = Surface::of(p.prop)
                && !p.solids.is_empty()
                && !v.contains(&s)
            {
                v.push(s);
            }
        }
        v
    }
}

/// How far a ball can drop before it lands on `support` (infinite if it misses it).
fn drop_onto(ball: &Ball, support: &Solid) -> f32 {
    let c = ball.c;
    match *support {
        Solid::Cuboid { min, max } => {
            let inside = c.x >= min.x && c.x <= max.x && c.z >= min.z && c.z <= max.z;
            if inside && c.y > max.y - 0.05 {
                c.y - ball.r - max.y
            } else {
                f32::MAX
            }
        }
        Solid::Roller { c: a, r, half } => {
            let dx = c.x - a.x;
            let reach = r + ball.r;
            if (c.z - a.z).abs() <= half && dx.abs() < reach && c.y > a.y {
                c.y - (a.y + (reach * reach - dx * dx).sqrt())
            } else {
                f32::MAX
            }
        }
        Solid::Sphere { c: a, r } => {
            let h = (c - a).flat().len();
            let reach = r + ball.r;
            if h < reach && c.y > a.y {
                c.y - (a.y + (reach * reach - h * h).sqrt())
            } else {
                f32::MAX
            }
        }
    }
}

/// Lowers (or raises) a body until it rests on the floor or a support, nothing beneath them.
pub fn drop_body(body: &Body, setting: &Setting) -> Body {
    let supports: Vec<Solid> = setting
        .props
        .iter()
        .flat_map(|p| p.supports.iter().copied())
        .collect();
    let fall = all_balls(body)
        .iter()
        .map(|b| {
            supports
                .iter()
                .map(|s| drop_onto(b, s))
                .fold(b.c.y - b.r - setting.floor, f32::min)
        })
        .fold(f32::MAX, f32::min);
    body.moved(v3(0.0, -fall, 0.0))
}

/// Moves a body forwards or back until `balls` (taken from it) touch the upright surface.
fn lean(
    body: &Body,
    setting: &Setting,
    surface: Surface,
    balls: &dyn Fn(&Body) -> Vec<Ball>,
) -> Body {
    let solids = setting.solids(surface);
    if solids.is_empty() {
        return *body;
    }
    let mut b = *body;
    for _ in 0..4 {
        let gap = balls(&b)
            .iter()
            .map(|ball| {
                solids
                    .iter()
                    .map(|s| s.distance(ball.c) - ball.r)
                    .fold(f32::MAX, f32::min)
            })
            .fold(f32::MAX, f32::min);
        if gap.abs() < 1e-4 || gap > 1.0 {
            break;
        }
        // A door frame is ahead of the person; a wall (or a ball on it) behind.
        let dir = if surface == Surface::Doorway {
            1.0
        } else {
            -1.0
        };
        b = b.moved(v3(dir * gap, 0.0, 0.0));
    }
    b
}

/// A posed body laid in its setting: anchored at the pose's `x`, leaned on the upright surfaces
/// its contacts name, and dropped onto the floor and supports.
pub fn settle(
    pose: &Pose,
    figure: &Figure,
    contacts: &[super::Contact],
    setting: &Setting,
) -> Body {
    let body = pose.body();
    let anchor = figure.anchor_spot();
    let at = anchor.balls(&body).first().map_or(body.pelvis.x, |b| b.c.x);
    let mut b = body.moved(v3(pose.x - at, 0.0, 0.0));
    let upright: Vec<&super::Contact> = contacts
        .iter()
        .filter(|c| {
            c.surface.upright() || (c.surface == Surface::Ball && setting_ball_on_wall(setting))
        })
        .collect();
    // Leaning and dropping settle each other only when there is something upright to lean on.
    let rounds = if upright.is_empty() { 1 } else { 3 };
    for _ in 0..rounds {
        b = drop_body(&b, setting);
        for c in &upright {
            let spots = c.spots.clone();
            b = lean(&b, setting, c.surface, &move |body: &Body| {
                spots.iter().flat_map(|s| s.balls(body)).collect()
            });
        }
        b = drop_body(&b, setting);
    }
    b
}

fn setting_ball_on_wall(setting: &Setting) -> bool {
    setting
        .props
        .iter()
        .any(|p| p.prop == Prop::Ball && p.anchor.is_some())
}

fn lowest(balls: &[Ball]) -> Option<Ball> {
    balls
        .iter()
        .copied()
        .min_by(|a, b| (a.c.y - a.r).total_cmp(&(b.c.y - b.r)))
}

fn extreme(balls: &[Ball], dir: f32) -> Option<Ball> {
    balls
        .iter()
        .copied()
        .max_by(|a, b| ((a.c.x + dir * a.r) * dir).total_cmp(&((b.c.x + dir * b.r) * dir)))
}

fn cuboid(x: (f32, f32), y: (f32, f32), z: (f32, f32)) -> Solid {
    Solid::Cuboid {
        min: v3(x.0, y.0, z.0),
        max: v3(x.1, y.1, z.1),
    }
}

/// A chair: the seat over `seat` (x from, x to), four legs, and a backrest at `back_x`.
pub fn chair(seat: (f32, f32), back_x: f32) -> Placed {
    let (a, b) = seat;
    let top = SEAT;
    let seat_box = cuboid((a, b), (top - 0.04, top), (-0.22, 0.22));
    let mut solids = vec![seat_box];
    for x in [a + 0.015, b - 0.015] {
        for z in [-0.2, 0.2] {
            solids.push(cuboid(
                (x - 0.015, x + 0.015),
                (0.0, top - 0.04),
                (z - 0.015, z + 0.015),
            ));
        }
    }
    let (bx0, bx1) = if back_x <= a + 0.05 {
        (back_x - 0.03, back_x)
    } else {
        (back_x, back_x + 0.03)
    };
    // The backrest leaves a gap above the seat, as most chairs do, for the buttocks.
    solids.push(cuboid(
        (bx0, bx1),
        (top + BACKREST.0, top + BACKREST.1),
        (-0.22, 0.22),
    ));
    Placed {
        prop: Prop::Chair,
        solids,
        supports: vec![seat_box],
        anchor: None,
    }
}

/// A wall whose face is at `x`, the figure in front of it.
pub fn wall_at(x: f32) -> Placed {
    Placed {
        prop: Prop::Wall,
        solids: vec![cuboid((x - 0.12, x), (0.0, 2.4), (-1.1, 1.1))],
        supports: vec![],
        anchor: None,
    }
}

/// Places one prop from the body of the first keyframe that touches it (`balls`: the stated
/// parts' surface; `body`: that keyframe's body on the floor).
pub fn place(prop: Prop, balls: &[Ball], body: &Body, floor: f32) -> Option<Placed> {
    let placed = |solids: Vec<Solid>, supports: Vec<Solid>| Placed {
        prop,
        solids,
        supports,
        anchor: None,
    };
    match prop {
        Prop::None | Prop::Mat => None,
        Prop::Chair => {
            let sits = balls.iter().any(|b| (b.c - body.pelvis).len() < 0.25);
            if sits {
                let back = body.pelvis.x - 0.17;
                Some(chair((back, back + 0.42), back))
            } else {
                let front = extreme(balls, 1.0)?.c.x;
                Some(chair((front - 0.3, front + 0.12), front + 0.12))
            }
        }
        Prop::Wall => {
            let b = extreme(balls, -1.0)?;
            Some(wall_at(b.c.x - b.r))
        }
        Prop::FoamRoller => {
            let b = lowest(balls)?;
            let r = Solid::Roller {
                c: v3(b.c.x, floor + ROLLER, 0.0),
                r: ROLLER,
                half: 0.45,
            };
            Some(placed(vec![r], vec![r]))
        }
        Prop::Ball => {
            let low = lowest(balls)?;
            if low.c.y - low.r < 0.35 {
                let s = Solid::Sphere {
                    c: v3(low.c.x, floor + BALL, low.c.z),
                    r: BALL,
                };
                Some(placed(vec![s], vec![s]))
            } else {
                let b = extreme(balls, -1.0)?;
                let c = v3(b.c.x - b.r - BALL, b.c.y, b.c.z);
                let x = c.x - BALL;
                Some(Placed {
                    prop,
                    solids: vec![Solid::Sphere { c, r: BALL }],
                    supports: vec![],
                    anchor: Some(v3(x, 0.0, 0.0)),
                })
            }
        }
        Prop::Doorway => {
            let b = extreme(balls, 1.0)?;
            let x = b.c.x + b.r;
            let post = |z0: f32, z1: f32| cuboid((x, x + 0.12), (0.0, 2.1), (z0, z1));
            Some(placed(
                vec![post(DOOR_HALF, 1.0), post(-1.0, -DOOR_HALF)],
                vec![],
            ))
        }
        Prop::Band => {
            let hand = body.sides[0].hand;
            Some(Placed {
                prop,
                solids: vec![],
                supports: vec![],
                anchor: Some(hand + v3(0.9, 0.0, 0.0)),
            })
        }
    }
}

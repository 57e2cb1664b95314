//! Relations: the few things an exercise's steps insist on, beyond what rests where, each a
//! named test on the posed body (`hips-down`, `knee-to-chest:near`, `arms-by-sides`,
//! `touch:far-hand:far-thigh`), and a few that compare a keyframe with the first one, so a
//! small movement is really there (`chin-back`, `shoulders-up`, `blades-together`).

use super::Pose;
use super::contacts::{self, Surface, TOUCH};
use super::kinematics::Body;
use super::math::V3;
use super::props::Setting;
use super::surface::{Part, Spot};

/// One keyframe as the relations see it: its pose and settled body, and the first keyframe's.
pub struct Seen<'a> {
    /// This keyframe's angles.
    pub pose: &'a Pose,
    /// This keyframe's body.
    pub body: &'a Body,
    /// The first keyframe's angles.
    pub first_pose: &'a Pose,
    /// The first keyframe's body.
    pub first: &'a Body,
    /// The floor and props.
    pub setting: &'a Setting,
}

fn sides(arg: Option<&str>) -> Result<Vec<usize>, String> {
    match arg {
        None => Ok(vec![0, 1]),
        Some("near") => Ok(vec![0]),
        Some("far") => Ok(vec![1]),
        Some(other) => Err(format!("'{other}' is not a side (near or far)")),
    }
}

fn angle(a: V3, b: V3) -> f32 {
    a.unit().dot(b.unit()).clamp(-1.0, 1.0).acos().to_degrees()
}

fn spot(part: Part, side: usize) -> Spot {
    Spot { part, side }
}

fn gap(a: &[super::surface::Ball], b: &[super::surface::Ball]) -> f32 {
    a.iter()
        .flat_map(|x| b.iter().map(move |y| (x.c - y.c).len() - x.r - y.r))
        .fold(f32::MAX, f32::min)
}

fn need(ok: bool, why: impl FnOnce() -> String) -> Result<(), String> {
    if ok { Ok(()) } else { Err(why()) }
}

/// Checks one relation; `Err` says what is wrong.
pub fn check(text: &str, s: &Seen) -> Result<(), String> {
    let mut it = text.splitn(3, ':');
    let name = it.next().unwrap_or_default();
    let arg = it.next();
    let b = s.body;
    let p = s.pose;
    match name {
        "hips-down" => {
            let on = s.setting.surfaces().into_iter().any(|f| {
                f != Surface::Band && contacts::touching(&spot(Part::Hips, 0), f, b, s.setting)
            });
            need(on, || "the hips leave the floor".into())
        }
        "hips-up" => {
            let d = spot(Part::Hips, 0)
                .balls(b)
                .iter()
                .map(|x| s.setting.distance(x, Surface::Floor))
                .fold(f32::MAX, f32::min);
            need(d > 0.05, || {
                format!("the hips are only {d:.2} m off the floor")
            })
        }
        "knee-to-chest" | "knees-to-chest" => {
            let chest = b.waist + b.chest_frame.up * 0.15 + b.chest_frame.front * 0.1;
            for i in sides(arg)? {
                let d = (b.sides[i].knee - chest).len();
                need(d < 0.42 && p.limbs[i].hip >= 95.0, || {
                    format!(
                        "the {} knee is not drawn to the chest ({d:.2} m away)",
                        side_name(i)
                    )
                })?;
            }
            Ok(())
        }
        "arms-by-sides" => {
            for i in sides(arg)? {
                let sj = &b.sides[i];
                let a = angle(sj.elbow - sj.shoulder, -b.chest_frame.up);
                need(a <= 30.0, || {
                    format!("the {} arm is {a:.0} degrees from the side", side_name(i))
                })?;
            }
            Ok(())
        }
        "arms-straight" => straight(arg, |i| p.limbs[i].elbow, "elbow", 15.0),
        "legs-straight" => straight(arg, |i| p.limbs[i].knee, "knee", 12.0),
        "back-flat" => need(
            p.waist.abs() <= 12.0 && p.side_bend.abs() <= 10.0 && p.twist.abs() <= 10.0,
            || "the back is bent, not flat".into(),
        ),
        "head-level" => {
            let tip = b.head_frame.front.y.asin().to_degrees();
            need(tip.abs() <= 15.0, || {
                format!("the face tips {tip:.0} degrees from level")
            })
        }
        "head-in-line" => need(
            (p.neck + p.nod).abs() <= 20.0 && p.neck.abs() <= 25.0,
            || "the head is not in line with the spine".into(),
        ),
        "hands-under-shoulders" => under(arg, b, Part::Hand, Part::Shoulder),
        "elbows-under-shoulders" => under(arg, b, Part::Elbow, Part::Shoulder),
        "knees-under-hips" => under(arg, b, Part::Knee, Part::Hips),
        "touch" => touch(text, b),
        "straight-line" => {
            let sh = (b.sides[0].shoulder + b.sides[1].shoulder) * 0.5;
            let kn = (b.sides[0].knee + b.sides[1].knee) * 0.5;
            let a = angle(sh - b.pelvis, kn - b.pelvis);
            need(a >= 160.0, || {
                format!(
                    "shoulders, hips and knees bend {:.0} degrees out of line",
                    180.0 - a
                )
            })
        }
        "chest-to-thighs" => {
            let chest = b.waist + b.chest_frame.up * 0.12;
            let thigh = (b.sides[0].hip + b.sides[0].knee) * 0.5;
            let d = (chest - thigh).len();
            need(d < 0.3, || format!("the chest is {d:.2} m from the thighs"))
        }
        "hips-to-heels" => {
            let heel = (b.sides[0].heel + b.sides[1].heel) * 0.5;
            let d = (b.pelvis - heel).len();
            need(d < 0.3, || format!("the hips are {d:.2} m from the heels"))
        }
        "knees-together" => {
            let d = (b.sides[0].knee - b.sides[1].knee).len();
            need(d < 0.17, || format!("the knees are {d:.2} m apart"))
        }
        _ => moving(name, arg, s),
    }
}

fn side_name(i: usize) -> &'static str {
    if i == 0 { "near" } else { "far" }
}

fn straight(
    arg: Option<&str>,
    joint: impl Fn(usize) -> f32,
    what: &str,
    most: f32,
) -> Result<(), String> {
    for i in sides(arg)? {
        let v = joint(i);
        need(v.abs() <= most, || {
            format!("the {} {what} is bent {v:.0} degrees", side_name(i))
        })?;
    }
    Ok(())
}

fn under(arg: Option<&str>, b: &Body, low: Part, high: Part) -> Result<(), String> {
    for i in sides(arg)? {
        let at = |part: Part| match part {
            Part::Hand => b.sides[i].hand,
            Part::Elbow => b.sides[i].elbow,
            Part::Knee => b.sides[i].knee,
            Part::Shoulder => b.sides[i].shoulder,
            _ => b.sides[i].hip,
        };
        let d = (at(low) - at(high)).flat().len();
        need(d <= 0.13, || {
            format!(
                "the {} {} is {d:.2} m out from under the {}",
                side_name(i),
                low.name(),
                high.name()
            )
        })?;
    }
    Ok(())
}

fn touch(text: &str, b: &Body) -> Result<(), String> {
    let mut it = text.split(':').skip(1);
    let (Some(x), Some(y)) = (it.next(), it.next()) else {
        return Err("write touch:point:point, e.g. touch:near-hand:belly".into());
    };
    let a = contacts::spots(x).ok_or_else(|| format!("'{x}' is not a body point"))?;
    let c = contacts::spots(y).ok_or_else(|| format!("'{y}' is not a body point"))?;
    let cb: Vec<_> = c.iter().flat_map(|s| s.balls(b)).collect();
    for s in &a {
        let d = gap(&s.balls(b), &cb);
        need(d <= TOUCH + 0.02, || {
            format!("the {} is {d:.2} m from the {y}", s.name())
        })?;
    }
    Ok(())
}

/// Relations that compare this keyframe with the first.
fn moving(name: &str, arg: Option<&str>, s: &Seen) -> Result<(), String> {
    let (b, f) = (s.body, s.first);
    let back = -f.chest_frame.front.flat().unit();
    let shoulders = |x: &Body| (x.sides[0].shoulder + x.sides[1].shoulder) * 0.5 - x.neck_base;
    match name {
        "chin-back" => {
            let d = ((b.head - b.neck_base) - (f.head - f.neck_base)).dot(back);
            need(d >= 0.02, || format!("the head moves back only {d:.3} m"))
        }
        "shoulders-up" => {
            let d = (shoulders(b) - shoulders(f)).dot(f.chest_frame.up);
            need(d >= 0.02, || format!("the shoulders rise only {d:.3} m"))
        }
        "shoulders-back" => {
            let d = (shoulders(b) - shoulders(f)).dot(back);
            need(d >= 0.02, || {
                format!("the shoulders move back only {d:.3} m")
            })
        }
        "shoulders-down" => {
            let d = (shoulders(b) - shoulders(f)).dot(f.chest_frame.up);
            need(d <= 0.005, || format!("the shoulders stay {d:.3} m up"))
        }
        "blades-together" => {
            let w = |x: &Body| (x.sides[0].blade - x.sides[1].blade).len();
            let d = w(f) - w(b);
            need(d >= 0.02, || {
                format!("the shoulder blades come only {d:.3} m closer")
            })
        }
        "belly-up" => need(s.pose.breath - s.first_pose.breath >= 0.5, || {
            "the belly does not rise with the breath".into()
        }),
        "turned" => {
            let sign = if sides(arg)? == [1] { -1.0 } else { 1.0 };
            let t = (s.pose.twist + s.pose.turn) * sign;
            need(t >= 25.0, || {
                format!("the chest turns only {t:.0} degrees that way")
            })
        }
        "side-bend" => {
            let sign = if sides(arg)? == [1] { -1.0 } else { 1.0 };
            let t = s.pose.side_bend * sign;
            need(t >= 10.0, || {
                format!("the trunk bends only {t:.0} degrees that way")
            })
        }
        "head-turned" | "head-tipped" => {
            let sign = if sides(arg)? == [1] { -1.0 } else { 1.0 };
            let v = if name == "head-turned" {
                s.pose.neck_turn
            } else {
                s.pose.neck_side
            } * sign;
            need(v >= 15.0, || {
                format!("the head moves only {v:.0} degrees that way")
            })
        }
        "step-forward" => {
            let i = sides(arg)?.first().copied().unwrap_or(0);
            let d = b.sides[i].heel.x - b.sides[1 - i].heel.x;
            need(d >= 0.2, || {
                format!("the {} foot is only {d:.2} m ahead", side_name(i))
            })
        }
        "lean-forward" => {
            let d = (s.pose.tilt + s.pose.waist) - (s.first_pose.tilt + s.first_pose.waist);
            need(d >= 8.0, || {
                format!("the trunk leans forward only {d:.0} degrees")
            })
        }
        "lower-back-down" => {
            let lb = spot(Part::LowerBack, 0);
            let now = contacts::touching(&lb, Surface::Floor, b, s.setting);
            let before = contacts::touching(&lb, Surface::Floor, f, s.setting);
            need(now && !before, || {
                "the small of the back does not come down to the floor".into()
            })
        }
        _ => Err(format!("'{name}' is not a known relation")),
    }
}

//! Contacts: what each keyframe says rests on what (`"knees:mat"`, `"forearms:doorway"`), read
//! into body spots and surfaces, used to place the props and lean the body on a wall, and then
//! checked on the settled body: every stated contact touches, nothing sinks into a prop, and
//! every part not stated (nor next to one that is) stays clear. This is what makes a figure
//! right by construction: a pose whose knees float, or whose hips leave the floor when the
//! steps keep them down, cannot pass.

use super::kinematics::Body;
use super::props::{self, MAT, Placed, Setting};
use super::surface::{Part, Spot, all_balls, all_spots};
use super::{Figure, Pose, Prop};

/// How near a stated contact must be (metres): resting on, within this.
pub const TOUCH: f32 = 0.025;
/// How far a part not stated as a contact must stay from every surface.
pub const CLEAR: f32 = 0.035;
/// How far anything may sink into a prop (the give of a body and a soft prop).
pub const SINK: f32 = 0.02;

/// Something a body can rest on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Surface {
    /// The floor, or the mat on it.
    Floor,
    /// A wall.
    Wall,
    /// A chair's seat or backrest.
    Chair,
    /// A foam roller.
    Roller,
    /// A massage ball.
    Ball,
    /// A door frame.
    Doorway,
    /// A resistance band (held or looped, not rested on).
    Band,
}

impl Surface {
    /// The surface a prop offers.
    pub fn of(prop: Prop) -> Option<Surface> {
        Some(match prop {
            Prop::None | Prop::Mat => return None,
            Prop::Wall => Surface::Wall,
            Prop::Chair => Surface::Chair,
            Prop::FoamRoller => Surface::Roller,
            Prop::Ball => Surface::Ball,
            Prop::Doorway => Surface::Doorway,
            Prop::Band => Surface::Band,
        })
    }

    /// The prop that offers it.
    pub fn prop(self) -> Option<Prop> {
        Some(match self {
            Surface::Floor => return None,
            Surface::Wall => Prop::Wall,
            Surface::Chair => Prop::Chair,
            Surface::Roller => Prop::FoamRoller,
            Surface::Ball => Prop::Ball,
            Surface::Doorway => Prop::Doorway,
            Surface::Band => Prop::Band,
        })
    }

    /// Whether it stands upright, so a body leans on it rather than lies on it.
    pub fn upright(self) -> bool {
        matches!(self, Surface::Wall | Surface::Doorway)
    }

    fn parse(s: &str) -> Option<Surface> {
        Some(match s {
            "floor" | "mat" => Surface::Floor,
            "wall" => Surface::Wall,
            "chair" | "seat" => Surface::Chair,
            "roller" => Surface::Roller,
            "ball" => Surface::Ball,
            "doorway" => Surface::Doorway,
            "band" => Surface::Band,
            _ => return None,
        })
    }

    /// Its name in words.
    pub fn label(self) -> &'static str {
        match self {
            Surface::Floor => "the floor",
            Surface::Wall => "the wall",
            Surface::Chair => "the chair",
            Surface::Roller => "the roller",
            Surface::Ball => "the ball",
            Surface::Doorway => "the door frame",
            Surface::Band => "the band",
        }
    }
}

/// A stated contact: these spots rest on that surface.
#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    /// The spots.
    pub spots: Vec<Spot>,
    /// What they rest on.
    pub surface: Surface,
    /// As written.
    pub text: String,
}

/// The parts a point name stands for (each on the sides it names).
fn parts(name: &str) -> Option<(Vec<Part>, Vec<usize>)> {
    use Part::*;
    let (sides, bare): (Vec<usize>, &str) = if let Some(n) = name.strip_prefix("near-") {
        (vec![0], n)
    } else if let Some(n) = name.strip_prefix("far-") {
        (vec![1], n)
    } else {
        (vec![0, 1], name)
    };
    let one = sides.len() == 1;
    let list: &[Part] = match (bare, one) {
        ("head", false) => &[Head],
        ("upper-back" | "chest", false) => &[UpperBack],
        ("lower-back" | "belly", false) => &[LowerBack],
        ("hips" | "buttocks" | "pelvis", false) => &[Hips],
        ("back", false) => &[UpperBack, Hips],
        ("front", false) => &[UpperBack, LowerBack, Hips],
        ("shoulders", false) | ("shoulder", true) => &[Shoulder],
        ("elbows", false) | ("elbow", true) => &[Elbow],
        ("forearms" | "arms", false) | ("forearm" | "arm", true) => &[Elbow, Hand],
        ("hands", false) | ("hand", true) => &[Hand],
        ("thighs", false) | ("thigh", true) => &[Thigh],
        ("knees", false) | ("knee", true) => &[Knee],
        ("shins", false) | ("shin", true) => &[Knee, Ankle],
        ("legs", false) | ("leg", true) => &[Thigh],
        ("ankles", false) | ("ankle", true) => &[Ankle],
        ("feet", false) | ("foot", true) => &[Heel, Toe],
        ("heels", false) | ("heel", true) => &[Heel],
        ("toes", _) => &[Toe],
        _ => return None,
    };
    Some((list.to_vec(), sides))
}

/// The spots a point name stands for (`near-shin` is the near knee and ankle).
pub fn spots(name: &str) -> Option<Vec<Spot>> {
    let (list, sides) = parts(name)?;
    let mut v = Vec::new();
    for part in list {
        if part.paired() {
            v.extend(sides.iter().map(|&side| Spot { part, side }));
        } else {
            v.push(Spot { part, side: 0 });
        }
    }
    Some(v)
}

impl Contact {
    /// Reads `"point:surface"`.
    pub fn parse(text: &str) -> Result<Contact, String> {
        let (point, surface) = text
            .split_once(':')
            .ok_or_else(|| format!("contact '{text}' should read point:surface, e.g. knees:mat"))?;
        let spots = spots(point).ok_or_else(|| {
            format!("contact '{text}': '{point}' is not a body point (hands, knees, near-foot…)")
        })?;
        let surface = Surface::parse(surface).ok_or_else(|| {
            format!("contact '{text}': '{surface}' is not a surface (floor, mat, wall, chair, roller, ball, doorway, band)")
        })?;
        Ok(Contact {
            spots,
            surface,
            text: text.to_string(),
        })
    }
}

impl Figure {
    /// The contacts keyframe `index` states (unreadable ones left out; [`super::check`] names
    /// them).
    pub fn contacts(&self, index: usize) -> Vec<Contact> {
        self.keyframes.get(index).map_or_else(Vec::new, |k| {
            k.contacts
                .iter()
                .filter_map(|c| Contact::parse(c).ok())
                .collect()
        })
    }

    /// The spot the figure is anchored by (kept where the keyframe's `x` says).
    pub fn anchor_spot(&self) -> Spot {
        self.anchor
            .as_deref()
            .and_then(spots)
            .and_then(|v| v.first().copied())
            .unwrap_or(Spot {
                part: Part::Hips,
                side: 0,
            })
    }

    /// The floor and props, placed from the first keyframe that rests on each (the mat's extent
    /// is left for the drawing to fill in).
    pub fn setting(&self) -> Setting {
        let floor = if self.props.contains(&Prop::Mat) {
            MAT
        } else {
            0.0
        };
        let bare = Setting {
            floor,
            mat: None,
            props: Vec::new(),
        };
        let mut placed: Vec<Placed> = Vec::new();
        for &prop in &self.props {
            let Some(surface) = Surface::of(prop) else {
                continue;
            };
            let first = (0..self.keyframes.len())
                .find(|&i| self.contacts(i).iter().any(|c| c.surface == surface))
                .unwrap_or(0);
            let Some(pose) = self.pose(first) else {
                continue;
            };
            let body = props::settle(&pose, self, &[], &bare);
            let stated: Vec<_> = self
                .contacts(first)
                .into_iter()
                .filter(|c| c.surface == surface)
                .collect();
            let balls: Vec<_> = if stated.is_empty() {
                all_balls(&body)
            } else {
                stated
                    .iter()
                    .flat_map(|c| c.spots.iter().flat_map(|s| s.balls(&body)))
                    .collect()
            };
            let leaned = (prop == Prop::Chair)
                .then(|| self.backrest(&bare))
                .flatten();
            if let Some((back, sit)) = leaned {
                // A back that leans on the chair sets where its backrest stands.
                let seat_back = back.min(sit);
                placed.push(props::chair((seat_back, seat_back + 0.42), back));
                continue;
            }
            if let Some(mut p) = props::place(prop, &balls, &body, floor) {
                // A band looped round a foot runs from the hands to that foot; otherwise it is
                // tied to a post ahead.
                let to_foot = stated
                    .iter()
                    .flat_map(|c| c.spots.iter())
                    .any(|s| s.part != Part::Hand);
                if prop == Prop::Band && to_foot {
                    p.anchor = None;
                }
                if prop == Prop::Ball
                    && let Some(wall) = p.anchor
                {
                    placed.push(props::wall_at(wall.x));
                }
                placed.push(p);
            }
        }
        // The mat's extent is the drawing's business (see `shapes`): the check needs only its
        // height.
        Setting {
            floor,
            mat: None,
            props: placed,
        }
    }

    /// Where the backrest stands when a keyframe leans its back on the chair: the back's
    /// rearmost point then, and where the seat's back edge would be under the pelvis.
    fn backrest(&self, bare: &Setting) -> Option<(f32, f32)> {
        (0..self.keyframes.len()).find_map(|i| {
            let trunk: Vec<Spot> = self
                .contacts(i)
                .into_iter()
                .filter(|c| c.surface == Surface::Chair)
                .flat_map(|c| c.spots)
                .filter(|s| matches!(s.part, Part::UpperBack | Part::LowerBack))
                .collect();
            if trunk.is_empty() {
                return None;
            }
            let body = props::settle(&self.pose(i)?, self, &[], bare);
            // Sitting, the body is lifted onto the seat: rearmost within the backrest's height.
            let lift = props::SEAT + 0.11 - body.pelvis.y;
            let (low, high) = props::BACKREST;
            let back = all_balls(&body)
                .iter()
                .filter(|b| (props::SEAT + low..=props::SEAT + high).contains(&(b.c.y + lift)))
                .map(|b| b.c.x - b.r)
                .fold(f32::MAX, f32::min);
            (back < f32::MAX).then_some((back, body.pelvis.x - 0.17))
        })
    }

    /// Keyframe `index`'s body, settled in `setting`.
    pub fn body(&self, index: usize, setting: &Setting) -> Option<Body> {
        let pose = self.pose(index)?;
        Some(props::settle(&pose, self, &self.contacts(index), setting))
    }

    /// The body `t` of the way through a cycle, settled in `setting`, leaning on what both
    /// neighbouring keyframes lean on.
    pub fn body_at(&self, t: f32, setting: &Setting) -> Option<(Pose, Body)> {
        let (a, b, _) = self.leg_at(t)?;
        let pose = self.pose_at(t)?;
        let later = self.contacts(b);
        let shared: Vec<Contact> = self
            .contacts(a)
            .into_iter()
            .filter(|c| later.iter().any(|d| d.text == c.text))
            .collect();
        Some((pose, props::settle(&pose, self, &shared, setting)))
    }
}

/// What is wrong with one keyframe's contacts, in words (each naming the body point).
pub fn check_contacts(
    figure: &Figure,
    index: usize,
    body: &Body,
    setting: &Setting,
) -> Vec<String> {
    let mut out = Vec::new();
    let Some(k) = figure.keyframes.get(index) else {
        return out;
    };
    let mut stated: Vec<(Spot, Surface)> = Vec::new();
    for text in &k.contacts {
        match Contact::parse(text) {
            Err(e) => out.push(e),
            Ok(c) => {
                if c.surface != Surface::Floor
                    && c.surface.prop().is_some_and(|p| !figure.props.contains(&p))
                {
                    out.push(format!(
                        "contact '{text}': the figure has no {} (add it to props)",
                        c.surface.label().trim_start_matches("the ")
                    ));
                    continue;
                }
                stated.extend(c.spots.iter().map(|s| (*s, c.surface)));
            }
        }
    }
    if k.contacts.is_empty() {
        out.push("state what the body rests on (contacts = [\"feet:floor\"], …)".into());
    }
    for (spot, surface) in &stated {
        if *surface == Surface::Band {
            continue;
        }
        let d = nearest(spot, *surface, body, setting);
        if d > TOUCH {
            out.push(format!(
                "{} is stated on {} but is {:.2} m away from it",
                spot.name(),
                surface.label(),
                d
            ));
        }
    }
    out.extend(unstated(&stated, body, setting));
    out.extend(sinking(body, setting));
    out
}

fn nearest(spot: &Spot, surface: Surface, body: &Body, setting: &Setting) -> f32 {
    spot.balls(body)
        .iter()
        .map(|b| setting.distance(b, surface))
        .fold(f32::MAX, f32::min)
}

/// Parts not stated (nor next to a stated part) that touch a surface anyway.
fn unstated(stated: &[(Spot, Surface)], body: &Body, setting: &Setting) -> Vec<String> {
    let mut out = Vec::new();
    for spot in all_spots() {
        let covered = stated.iter().any(|(s, _)| *s == spot || s.next_to(&spot));
        if covered {
            continue;
        }
        for surface in setting.surfaces() {
            let d = nearest(&spot, surface, body, setting);
            if d < CLEAR {
                out.push(format!(
                    "{} touches {} ({:.2} m) but is not a stated contact: state it, or keep it clear",
                    spot.name(),
                    surface.label(),
                    d.max(0.0)
                ));
            }
        }
    }
    out
}

/// Any part sunk into a prop.
fn sinking(body: &Body, setting: &Setting) -> Vec<String> {
    let mut out = Vec::new();
    for p in &setting.props {
        for s in &p.solids {
            let worst = all_balls(body)
                .iter()
                .map(|b| s.distance(b.c) - b.r)
                .fold(f32::MAX, f32::min);
            if worst < -SINK {
                let what = Surface::of(p.prop).map_or("a prop", Surface::label);
                out.push(format!("the body goes {:.2} m into {what}", -worst));
                break;
            }
        }
    }
    out
}

/// Whether a contact's parts rest on its surface in `body` (for the relations).
pub fn touching(spot: &Spot, surface: Surface, body: &Body, setting: &Setting) -> bool {
    nearest(spot, surface, body, setting) <= TOUCH
}

/// A pose with no props, settled on the bare floor (for tests and tools).
pub fn on_floor(pose: &Pose, figure: &Figure) -> Body {
    let bare = Setting {
        floor: 0.0,
        mat: None,
        props: Vec::new(),
    };
    props::settle(pose, figure, &[], &bare)
}

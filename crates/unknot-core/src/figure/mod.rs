//! Exercise figures: a body posed by joint angles in 3-D and drawn by our own code, so every
//! exercise gets a consistent drawing a physiotherapist could hand out, with no image files.
//!
//! An exercise's content holds a [`Figure`]: where we look from ([`View`]), whether to show the
//! whole body or a close-up ([`Focus`]), its props, the muscle to highlight, and two or more
//! [`Keyframe`]s. A keyframe starts from a base posture ([`Base`]), sets the angles that differ,
//! and states its contacts (what rests on what) and relations (what its steps insist on).
//!
//! The pieces, in the order a figure goes through them:
//! - [`pose`]: angles by name, base postures, and the eased blend between keyframes;
//! - [`kinematics`]: forward kinematics from the pelvis out, in 3-D;
//! - [`surface`]: the body's surface (trunk rings, limb capsules) and its named spots;
//! - [`props`]: props as solids, placed from the first keyframe that rests on them, and the
//!   settling that lays a body on the floor and its props;
//! - [`contacts`] and [`relations`]: what each keyframe states, and the checks of both;
//! - [`check()`](check::check): everything the content validation runs;
//! - [`camera`] and [`shapes`]: the view, and the flat shapes the edges draw (SVG on the web
//!   and in reports, braille in the terminal, paths in the PDF).
//!
//! Angles are in degrees and lengths in metres; the floor is y = 0, x is the way a side-view
//! figure faces, z points at the viewer of a side view (the person's right).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub mod camera;
pub mod check;
pub mod contacts;
pub mod kinematics;
pub mod math;
pub mod pose;
pub mod props;
pub mod relations;
pub mod shapes;
pub mod surface;

pub use camera::Point;
pub use check::{FigureProblem, check, joint_angles};
pub use contacts::{Contact, Surface};
pub use pose::Pose;
pub use shapes::{Drawing, Rect, Role, Shape};

/// Where we look from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum View {
    /// From the person's right side, the figure facing right.
    #[default]
    Side,
    /// From the front (the person's right on the viewer's left).
    Front,
    /// From behind (to see the shoulder blades).
    Back,
    /// From straight above (to see a turn about the vertical).
    Top,
    /// From the front-right and a little above, so both depth and height show.
    ThreeQuarter,
    /// From high up at the front-right, for movements on the floor that turn the body.
    Above,
}

/// How much of the body to show.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Focus {
    /// The whole body.
    #[default]
    Body,
    /// A close-up of the head and neck.
    Head,
    /// A close-up of the shoulders.
    Shoulders,
    /// A close-up of the trunk.
    Trunk,
    /// A close-up of the pelvis and lower back.
    Pelvis,
}

/// What the body rests on or works against.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Prop {
    /// Nothing but the floor.
    #[default]
    None,
    /// An exercise mat on the floor.
    Mat,
    /// A wall behind the figure.
    Wall,
    /// A chair.
    Chair,
    /// A foam roller lying across.
    FoamRoller,
    /// A massage ball, on the floor or against a wall.
    Ball,
    /// A door frame ahead, forearms on either side of the opening.
    Doorway,
    /// A resistance band from the hands to a post or a foot.
    Band,
}

/// A starting posture that keyframes adjust.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Base {
    /// Standing tall, arms by the sides.
    #[default]
    Standing,
    /// Sitting upright on a chair, feet flat.
    Sitting,
    /// On hands and knees.
    AllFours,
    /// Kneeling upright.
    Kneeling,
    /// Lying on the back with knees bent, feet flat.
    Hooklying,
    /// Lying flat on the back.
    Supine,
    /// Lying face down.
    Prone,
    /// Lying on the right side.
    SideLying,
    /// Sitting on the floor, legs out in front.
    LongSitting,
    /// Sitting on the floor, knees bent and feet flat.
    FloorSitting,
}

/// One keyframe: a base posture, the angles that differ from it (by name: see
/// [`pose::WHOLE_BODY`] and [`pose::PER_SIDE`]; a plain per-side name sets both sides, `near_`
/// and `far_` one), what rests on what, and what the steps insist on.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Keyframe {
    /// The posture to start from (default: the figure's base).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<Base>,
    /// What rests on what: `"point:surface"`, e.g. `"knees:mat"`, `"forearms:doorway"`.
    #[serde(default)]
    pub contacts: Vec<String>,
    /// What the steps insist on, e.g. `"hips-down"`, `"knee-to-chest:near"`.
    #[serde(default)]
    pub relations: Vec<String>,
    /// Angles (degrees) and `x` (metres) by name.
    #[serde(flatten)]
    pub angles: BTreeMap<String, f32>,
}

/// One prop, or a list of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
enum Props {
    One(Prop),
    Many(Vec<Prop>),
}

fn props<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Prop>, D::Error> {
    Ok(match Props::deserialize(d)? {
        Props::One(p) => vec![p],
        Props::Many(v) => v,
    })
}

/// An exercise's figure, as stored in its content file under `[figure]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    /// Where we look from.
    #[serde(default)]
    pub view: View,
    /// The whole body, or a close-up.
    #[serde(default)]
    pub focus: Focus,
    /// The props (one, or a list).
    #[serde(default, alias = "prop", deserialize_with = "props")]
    pub props: Vec<Prop>,
    /// The posture keyframes start from.
    #[serde(default)]
    pub base: Base,
    /// A body region or muscle id to highlight (the part stretched or worked).
    #[serde(default)]
    pub highlight: Option<String>,
    /// Seconds for one pass through the keyframes and back.
    #[serde(default = "default_cycle")]
    pub cycle_seconds: f32,
    /// The body point kept where each keyframe's `x` says (default: the hips).
    #[serde(default)]
    pub anchor: Option<String>,
    /// Body points whose path gets a motion arrow: `"head"` draws it above the head's path;
    /// `"head:behind"` (or `below`, `ahead`, `on`) puts it elsewhere.
    #[serde(default)]
    pub arrows: Vec<String>,
    /// Go round the keyframes in a loop (a circle, like a shoulder roll) instead of there and
    /// back.
    #[serde(default)]
    pub looped: bool,
    /// Two or more keyframes.
    pub keyframes: Vec<Keyframe>,
}

impl Figure {
    /// A figure from the text of an exercise's `[figure]` table (without the table header),
    /// as a clinician writes it in a form; the refusal says where the text is wrong.
    pub fn from_toml(text: &str) -> Result<Figure, String> {
        toml::from_str(text).map_err(|e| e.message().to_string())
    }

    /// The figure as that text, to edit.
    pub fn to_toml(&self) -> Option<String> {
        toml::to_string(self).ok()
    }
}

fn default_cycle() -> f32 {
    4.0
}

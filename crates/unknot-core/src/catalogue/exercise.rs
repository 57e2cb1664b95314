//! An exercise as the library stores it, and what can be worked out from its dosage.

use serde::{Deserialize, Serialize};

use super::vocab::{Caution, Difficulty, Equipment, ExerciseKind};
use crate::body::{Muscle, Region};

/// How much of an exercise to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Dosage {
    /// Seconds to hold each position (or each repetition), as `[least, most]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold_seconds: Option<[u16; 2]>,
    /// Repetitions per set, as `[least, most]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reps: Option<[u16; 2]>,
    /// Sets.
    pub sets: u8,
    /// Whether each set is done once on each side.
    pub per_side: bool,
    /// Seconds of rest between sets.
    pub rest_seconds: u16,
}

/// Seconds a repetition takes when the dosage gives no hold.
pub const SECONDS_PER_REP: u32 = 4;

impl Dosage {
    /// Seconds one set takes on one side at the upper end of the dosage.
    pub fn set_seconds(&self) -> u32 {
        let hold = self.hold_seconds.map(|h| u32::from(h[1]));
        match (self.reps, hold) {
            (Some(r), Some(h)) => u32::from(r[1]) * (h + 2),
            (Some(r), None) => u32::from(r[1]) * SECONDS_PER_REP,
            (None, Some(h)) => h,
            (None, None) => 0,
        }
    }

    /// Seconds the whole exercise takes, sides, sets and rests included.
    pub fn total_seconds(&self) -> u32 {
        let sides = if self.per_side { 2 } else { 1 };
        let sets = u32::from(self.sets);
        sets * sides * self.set_seconds() + sets.saturating_sub(1) * u32::from(self.rest_seconds)
    }

    /// The dosage in a few words, e.g. "8-12 reps, hold 3-5 s, 2 sets, each side".
    pub fn describe(&self) -> String {
        let range = |r: [u16; 2]| {
            if r[0] == r[1] {
                r[0].to_string()
            } else {
                format!("{}-{}", r[0], r[1])
            }
        };
        let mut parts = Vec::new();
        if let Some(r) = self.reps {
            parts.push(format!("{} reps", range(r)));
        }
        if let Some(h) = self.hold_seconds {
            parts.push(format!("hold {} s", range(h)));
        }
        parts.push(if self.sets == 1 {
            "1 set".to_string()
        } else {
            format!("{} sets", self.sets)
        });
        if self.per_side {
            parts.push("each side".to_string());
        }
        if self.rest_seconds > 0 && self.sets > 1 {
            parts.push(format!("rest {} s", self.rest_seconds));
        }
        parts.join(", ")
    }
}

/// One exercise in the library.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// Stable kebab-case id; also the file name.
    pub id: String,
    /// Name shown to people.
    pub name: String,
    /// What it mainly does.
    pub kind: ExerciseKind,
    /// One sentence on what it is and what it is for.
    pub summary: String,
    /// Regions it works on.
    pub regions: Vec<Region>,
    /// Muscles it targets.
    pub muscles: Vec<Muscle>,
    /// What it needs.
    pub equipment: Vec<Equipment>,
    /// How hard it is.
    pub difficulty: Difficulty,
    /// How much to do.
    pub dosage: Dosage,
    /// Numbered steps, in order.
    pub steps: Vec<String>,
    /// Short cues to keep in mind while doing it.
    pub cues: Vec<String>,
    /// Common mistakes.
    pub mistakes: Vec<String>,
    /// When not to do it, in plain words.
    pub avoid_if: Vec<String>,
    /// When to stop.
    pub stop_if: Vec<String>,
    /// The same situations as tags the planner can match.
    pub cautions: Vec<Caution>,
    /// Easier variants (ids).
    pub easier: Vec<String>,
    /// Harder variants (ids).
    pub harder: Vec<String>,
    /// Articles that explain the background (ids).
    #[serde(default)]
    pub articles: Vec<String>,
    /// Sources (ids in `sources.toml`).
    pub sources: Vec<String>,
    /// How to draw it: a posed figure with two or more keyframes (see `figure`). Every exercise
    /// in the built-in library has one; the user's own may leave it out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub figure: Option<crate::figure::Figure>,
}

impl Exercise {
    /// True when every piece of equipment it needs is in `owned` ("none" is always owned).
    pub fn fits_equipment(&self, owned: &[Equipment]) -> bool {
        self.equipment
            .iter()
            .all(|e| *e == Equipment::None || owned.contains(e))
    }
}

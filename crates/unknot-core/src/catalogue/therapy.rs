//! Heat, cold and contrast protocols, and the hard limits every timer in unknot enforces.
//!
//! The limits are constants here, not content: a content folder can choose gentler defaults,
//! but validation refuses any protocol that goes past them, and [`check_minutes`] is the one
//! gate every timer passes through.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Cold: never longer than this, in minutes.
pub const COLD_MAX_MINUTES: u16 = 20;
/// Cold: at least this many minutes between sessions.
pub const COLD_MIN_GAP_MINUTES: u16 = 60;
/// Heat: never longer than this, in minutes.
pub const HEAT_MAX_MINUTES: u16 = 30;

/// Which therapy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum TherapyKind {
    /// A cold pack.
    Cold,
    /// A heat pack.
    Heat,
    /// Alternating heat and cold.
    Contrast,
}

/// A timed session asked for past a hard limit.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LimitError {
    /// Too long.
    #[error("{kind} is limited to {max} minutes at a time (asked for {asked}): {why}")]
    TooLong {
        /// Heat or cold.
        kind: &'static str,
        /// What was asked.
        asked: u16,
        /// The limit.
        max: u16,
        /// The reason, in plain words.
        why: &'static str,
    },
    /// Zero minutes.
    #[error("give a number of minutes above 0")]
    Zero,
}

/// Checks a heat or cold duration against the hard limits.
pub fn check_minutes(kind: TherapyKind, minutes: u16) -> Result<(), LimitError> {
    if minutes == 0 {
        return Err(LimitError::Zero);
    }
    let (name, max, why) = match kind {
        TherapyKind::Cold => (
            "cold",
            COLD_MAX_MINUTES,
            "longer cold can injure skin and nerves (frostbite, cold burns)",
        ),
        TherapyKind::Heat => ("heat", HEAT_MAX_MINUTES, "longer heat can burn the skin"),
        TherapyKind::Contrast => return Ok(()),
    };
    if minutes > max {
        return Err(LimitError::TooLong {
            kind: name,
            asked: minutes,
            max,
            why,
        });
    }
    Ok(())
}

/// A single-temperature protocol (heat or cold).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Protocol {
    /// Name shown to people.
    pub name: String,
    /// What it is good for, in one sentence.
    pub summary: String,
    /// Minutes if the user does not say.
    pub default_minutes: u16,
    /// The most this protocol allows (never above the hard limit).
    pub max_minutes: u16,
    /// Minutes to wait before the next session of the same kind.
    #[serde(default)]
    pub min_gap_minutes: u16,
    /// What goes between the pack and the skin.
    pub barrier: String,
    /// How to do it.
    pub steps: Vec<String>,
    /// When not to use it.
    pub avoid_if: Vec<String>,
    /// When to stop at once.
    pub stop_if: Vec<String>,
    /// Sources (ids).
    pub sources: Vec<String>,
}

/// Alternating heat and cold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contrast {
    /// Name shown to people.
    pub name: String,
    /// What it is for.
    pub summary: String,
    /// Minutes of heat per round.
    pub heat_minutes: u16,
    /// Minutes of cold per round.
    pub cold_minutes: u16,
    /// How many rounds.
    pub rounds: u8,
    /// How to do it.
    pub steps: Vec<String>,
    /// When not to use it.
    pub avoid_if: Vec<String>,
    /// When to stop.
    pub stop_if: Vec<String>,
    /// Sources (ids).
    pub sources: Vec<String>,
}

impl Contrast {
    /// The phases in order: (kind, minutes). Starts with heat, ends with cold.
    pub fn phases(&self) -> Vec<(TherapyKind, u16)> {
        (0..self.rounds)
            .flat_map(|_| {
                [
                    (TherapyKind::Heat, self.heat_minutes),
                    (TherapyKind::Cold, self.cold_minutes),
                ]
            })
            .collect()
    }
}

/// Which of heat or cold suits a situation better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Prefer {
    /// Heat.
    Heat,
    /// Cold.
    Cold,
    /// Either, by preference.
    Either,
}

/// Advice on when to prefer heat or cold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Guidance {
    /// Stable id of the situation, e.g. `acute-spasm`.
    pub situation: String,
    /// What to prefer.
    pub prefer: Prefer,
    /// The advice, in plain words.
    pub advice: String,
    /// Sources (ids).
    pub sources: Vec<String>,
}

/// Everything in `therapies.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Therapies {
    /// The cold protocol.
    pub cold: Protocol,
    /// The heat protocol.
    pub heat: Protocol,
    /// The contrast protocol.
    pub contrast: Contrast,
    /// When to prefer which.
    pub guidance: Vec<Guidance>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_hold() {
        assert!(check_minutes(TherapyKind::Cold, 20).is_ok());
        assert!(check_minutes(TherapyKind::Cold, 21).is_err());
        assert!(check_minutes(TherapyKind::Heat, 30).is_ok());
        let err = check_minutes(TherapyKind::Heat, 31)
            .unwrap_err()
            .to_string();
        assert!(err.contains("30 minutes") && err.contains("31"), "{err}");
        assert_eq!(check_minutes(TherapyKind::Cold, 0), Err(LimitError::Zero));
    }
}

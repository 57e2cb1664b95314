//! Outcome measures: pain now (0-10), the PEG, and the Patient-Specific Functional Scale.
//!
//! Each is scored the way its authors define it, and a change between two check-ins is judged
//! against the instrument's minimal important change, in plain words. unknot asks the questions
//! in its own words; the instruments and their sources are named with every score.

use serde::{Deserialize, Serialize};

use crate::intake::PsfsItem;
use crate::score::Score;

/// Which instrument.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Instrument {
    /// Numeric pain rating, 0-10.
    PainNrs,
    /// The three-item PEG scale (pain, enjoyment, general activity).
    Peg,
    /// The Patient-Specific Functional Scale.
    Psfs,
}

impl Instrument {
    /// Its name for people.
    pub fn name(self) -> &'static str {
        match self {
            Instrument::PainNrs => "Pain now (0-10 numeric rating)",
            Instrument::Peg => "PEG (pain, enjoyment of life, general activity)",
            Instrument::Psfs => "Patient-Specific Functional Scale",
        }
    }

    /// Where it comes from.
    pub fn source(self) -> &'static str {
        match self {
            Instrument::PainNrs => "Ostelo et al., Spine 2008;33:90-94 (minimal important change)",
            Instrument::Peg => "Krebs et al., J Gen Intern Med 2009;24:733-738",
            Instrument::Psfs => "Stratford et al., Physiotherapy Canada 1995;47:258-263",
        }
    }

    /// The id of its source in `content/sources.toml` (validation checks it is there).
    pub fn source_id(self) -> &'static str {
        match self {
            Instrument::PainNrs => "ostelo-2008",
            Instrument::Peg => "krebs-2009",
            Instrument::Psfs => "stratford-1995",
        }
    }

    /// Every instrument.
    pub const ALL: &'static [Instrument] =
        &[Instrument::PainNrs, Instrument::Peg, Instrument::Psfs];

    /// Whether a higher score is better (true only for the PSFS, which rates ability).
    pub fn higher_is_better(self) -> bool {
        self == Instrument::Psfs
    }

    /// The smallest change that matters to people, in points.
    pub fn important_change(self) -> f64 {
        match self {
            Instrument::PainNrs => 2.0,
            Instrument::Peg => 1.0,
            Instrument::Psfs => 2.0,
        }
    }
}

/// The PEG score: the mean of its three items.
pub fn peg(pain: Score, enjoyment: Score, activity: Score) -> f64 {
    round1((f64::from(pain.get()) + f64::from(enjoyment.get()) + f64::from(activity.get())) / 3.0)
}

/// The PSFS score: the mean of the activities' ratings.
pub fn psfs(items: &[PsfsItem]) -> Option<f64> {
    if items.is_empty() {
        return None;
    }
    let sum: f64 = items.iter().map(|i| f64::from(i.score.get())).sum();
    Some(round1(sum / items.len() as f64))
}

/// How a score moved between two measurements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Better by at least the important change.
    Better,
    /// Worse by at least the important change.
    Worse,
    /// Within the important change either way.
    NoImportantChange,
}

/// A change between two scores on one instrument.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Change {
    /// Which instrument.
    pub instrument: Instrument,
    /// Earlier score.
    pub before: f64,
    /// Later score.
    pub after: f64,
    /// After minus before.
    pub delta: f64,
    /// Better, worse or no important change.
    pub direction: Direction,
    /// The same, in plain words.
    pub says: String,
}

/// Judges the change from `before` to `after`. For pain, a fall of 2 points or of 30% counts
/// as important (Ostelo et al. 2008); for the PSFS a rise of 2 points; for the PEG about 1.
pub fn change(instrument: Instrument, before: f64, after: f64) -> Change {
    let delta = round1(after - before);
    let mic = instrument.important_change();
    let improvement = if instrument.higher_is_better() {
        delta
    } else {
        -delta
    };
    let relative_pain_fall =
        instrument == Instrument::PainNrs && before > 0.0 && (before - after) / before >= 0.3;
    let direction = if improvement >= mic || (relative_pain_fall && improvement > 0.0) {
        Direction::Better
    } else if -improvement >= mic {
        Direction::Worse
    } else {
        Direction::NoImportantChange
    };
    let what = match instrument {
        Instrument::PainNrs => "Your pain",
        Instrument::Peg => "Pain's grip on your life (PEG)",
        Instrument::Psfs => "What you can do (PSFS)",
    };
    let says = match direction {
        Direction::Better => {
            format!("{what} has improved by an amount that matters ({before:.1} → {after:.1}).")
        }
        Direction::Worse => format!(
            "{what} has got worse by an amount that matters ({before:.1} → {after:.1}); consider talking to a doctor or physiotherapist."
        ),
        Direction::NoImportantChange => format!(
            "{what} has not changed by an amount that matters yet ({before:.1} → {after:.1})."
        ),
    };
    Change {
        instrument,
        before,
        after,
        delta,
        direction,
        says,
    }
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: i64) -> Score {
        Score::new(v, "s").unwrap()
    }

    #[test]
    fn scores_are_means() {
        assert_eq!(peg(s(6), s(5), s(7)), 6.0);
        let items = vec![
            PsfsItem {
                activity: "gardening".into(),
                score: s(3),
            },
            PsfsItem {
                activity: "lifting my child".into(),
                score: s(4),
            },
            PsfsItem {
                activity: "running".into(),
                score: s(2),
            },
        ];
        assert_eq!(psfs(&items), Some(3.0));
    }

    #[test]
    fn important_changes_follow_each_instrument() {
        assert_eq!(
            change(Instrument::PainNrs, 6.0, 4.0).direction,
            Direction::Better
        );
        assert_eq!(
            change(Instrument::PainNrs, 3.0, 2.0).direction,
            Direction::Better,
            "a 30% fall counts"
        );
        assert_eq!(
            change(Instrument::PainNrs, 6.0, 5.0).direction,
            Direction::NoImportantChange
        );
        assert_eq!(
            change(Instrument::PainNrs, 4.0, 6.0).direction,
            Direction::Worse
        );
        assert_eq!(
            change(Instrument::Psfs, 3.0, 5.0).direction,
            Direction::Better
        );
        assert_eq!(
            change(Instrument::Psfs, 5.0, 4.0).direction,
            Direction::NoImportantChange
        );
        assert_eq!(
            change(Instrument::Peg, 6.0, 5.0).direction,
            Direction::Better
        );
        assert!(change(Instrument::Peg, 5.0, 6.3).says.contains("worse"));
    }
}

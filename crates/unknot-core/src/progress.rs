//! A person's scores over time: the scores each set of answers holds, and how those scores
//! moved. (The answers in force now, aged and with the journal's warning signs, come from
//! `signs::check_now`.)
//!
//! Today, the check-in, the plan, the visit summary and the clinic's dashboard all read these,
//! so they are computed here once rather than by each caller.

use serde::{Deserialize, Serialize};

use crate::intake::{Answers, Assessment};
use crate::outcomes::{self, Change, Instrument};

/// Scores derived from one set of answers (pain now, PEG, PSFS); absent when not asked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Scores {
    /// Pain now, 0-10.
    pub pain_now: Option<u8>,
    /// PEG, the mean of pain, enjoyment and activity interference, 0-10 (lower is better).
    pub peg: Option<f64>,
    /// PSFS, the mean of the activities' ability ratings, 0-10 (higher is better).
    pub psfs: Option<f64>,
}

impl Scores {
    /// True when no score was asked.
    pub fn is_empty(&self) -> bool {
        self.pain_now.is_none() && self.peg.is_none() && self.psfs.is_none()
    }

    /// One instrument's value, when it was asked.
    pub fn get(&self, instrument: Instrument) -> Option<f64> {
        match instrument {
            Instrument::PainNrs => self.pain_now.map(f64::from),
            Instrument::Peg => self.peg,
            Instrument::Psfs => self.psfs,
        }
    }
}

/// The scores one set of answers holds.
pub fn scores(a: &Answers) -> Scores {
    Scores {
        pain_now: a.pain_now.map(|p| p.get()),
        peg: match (a.peg_pain, a.peg_enjoyment, a.peg_activity) {
            (Some(p), Some(e), Some(g)) => Some(outcomes::peg(p, e, g)),
            _ => None,
        },
        psfs: a.psfs.as_deref().and_then(outcomes::psfs),
    }
}

/// How the scores moved from `before` to `after`, with each instrument's important-change
/// threshold applied. Instruments missing on either side are left out.
pub fn compare(before: &Answers, after: &Answers) -> Vec<Change> {
    let (b, a) = (scores(before), scores(after));
    [Instrument::PainNrs, Instrument::Peg, Instrument::Psfs]
        .into_iter()
        .filter_map(|i| Some(outcomes::change(i, b.get(i)?, a.get(i)?)))
        .collect()
}

/// Overall, how the scores moved: the one-line verdict of a visit summary or a dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// At least one score improved by an amount that matters, and none got importantly worse.
    Better,
    /// No score moved by an amount that matters.
    Same,
    /// At least one score got importantly worse, and none improved importantly.
    Worse,
    /// Some scores improved importantly and others got importantly worse.
    Mixed,
}

impl Verdict {
    /// The verdict in a word or two.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Better => "Better",
            Verdict::Same => "About the same",
            Verdict::Worse => "Worse",
            Verdict::Mixed => "Mixed",
        }
    }
}

/// The verdict over a set of changes (each judged against its instrument's important change);
/// `None` when there is nothing to compare yet.
pub fn verdict(changes: &[Change]) -> Option<Verdict> {
    use crate::outcomes::Direction;
    if changes.is_empty() {
        return None;
    }
    let better = changes.iter().any(|c| c.direction == Direction::Better);
    let worse = changes.iter().any(|c| c.direction == Direction::Worse);
    Some(match (better, worse) {
        (true, false) => Verdict::Better,
        (false, true) => Verdict::Worse,
        (true, true) => Verdict::Mixed,
        (false, false) => Verdict::Same,
    })
}

/// A score with the assessment it came from.
pub type Measured<'a> = (f64, &'a Assessment);

/// One instrument's values across the assessments (oldest first), with the assessments they
/// came from: what the visit summary and the clinic dashboard chart and compare.
pub fn series(all: &[Assessment], instrument: Instrument) -> Vec<Measured<'_>> {
    all.iter()
        .filter_map(|a| scores(&a.answers).get(instrument).map(|v| (v, a)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::Score;

    fn answers(pain: i64) -> Answers {
        Answers {
            pain_now: Score::new(pain, "pain").ok(),
            ..Answers::default()
        }
    }

    #[test]
    fn compare_leaves_out_what_one_side_lacks() {
        let changes = compare(&answers(7), &answers(4));
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].instrument, Instrument::PainNrs);
        assert!(compare(&Answers::default(), &answers(4)).is_empty());
    }

    #[test]
    fn the_verdict_weighs_every_instrument() {
        let c = |i, a, b| outcomes::change(i, a, b);
        assert_eq!(verdict(&[]), None);
        assert_eq!(
            verdict(&[
                c(Instrument::PainNrs, 6.0, 3.0),
                c(Instrument::Peg, 5.0, 4.8)
            ]),
            Some(Verdict::Better)
        );
        assert_eq!(
            verdict(&[
                c(Instrument::PainNrs, 6.0, 3.0),
                c(Instrument::Psfs, 6.0, 3.0)
            ]),
            Some(Verdict::Mixed)
        );
        assert_eq!(
            verdict(&[c(Instrument::PainNrs, 4.0, 4.5)]),
            Some(Verdict::Same)
        );
        assert_eq!(
            verdict(&[c(Instrument::PainNrs, 3.0, 6.0)]),
            Some(Verdict::Worse)
        );
    }

    #[test]
    fn scores_need_every_peg_item() {
        let mut a = answers(5);
        a.peg_pain = Score::new(6, "peg").ok();
        assert_eq!(scores(&a).peg, None);
        a.peg_enjoyment = Score::new(3, "peg").ok();
        a.peg_activity = Score::new(6, "peg").ok();
        assert_eq!(scores(&a).peg, Some(5.0));
    }
}

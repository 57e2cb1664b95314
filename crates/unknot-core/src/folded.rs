//! A person's assessments folded once: what the safety net, Today and the clinician's dashboard
//! need from every intake and check-in, small enough to keep beside them and read as one row.
//!
//! Folding is the costly part of reading assessments (a patient two years in has about a
//! hundred check-ins, and a dashboard shows two hundred patients), and it does not depend on
//! the time of reading except through the two answers that age: the days since onset and the
//! age. Each of those is taken from the latest assessment that gave it, aged from that
//! assessment's time. So the fold is kept as given, with the time each ageing answer was
//! given, and aged when read: [`Folded::as_of`] equals folding every assessment aged to `now`
//! (a test holds the two to each other).

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::intake::{Answers, Assessment, AssessmentKind};
use crate::progress::{Scores, scores};

/// The latest intake with every later assessment laid over it (see [`Answers::updated_by`]),
/// as given, and when the answers that age were given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Folded {
    /// When the intake the answers start from was made.
    pub intake_at: Timestamp,
    /// The answers as given, not aged.
    pub answers: Answers,
    /// When the assessment that gave `answers.onset_days` was made.
    pub onset_at: Timestamp,
    /// When the assessment that gave `answers.age` was made.
    pub age_at: Timestamp,
}

impl Folded {
    /// Folds `all` (every assessment, oldest first) from the latest intake on. `None` when
    /// there is no intake yet.
    pub fn of(all: &[Assessment]) -> Option<Folded> {
        let pos = all.iter().rposition(|a| a.kind == AssessmentKind::Intake)?;
        let intake_at = all[pos].at.timestamp();
        let mut f = Folded {
            intake_at,
            answers: all[pos].answers.clone(),
            onset_at: intake_at,
            age_at: intake_at,
        };
        for later in &all[pos + 1..] {
            let at = later.at.timestamp();
            if later.answers.onset_days.is_some() {
                f.onset_at = at;
            }
            if later.answers.age.is_some() {
                f.age_at = at;
            }
            f.answers = f.answers.updated_by(&later.answers);
        }
        Some(f)
    }

    /// The answers as they stand at `now`: each ageing answer aged from when it was given.
    pub fn as_of(&self, now: Timestamp) -> Answers {
        let mut out = self.answers.clone();
        out.onset_days = self.answers.as_of(self.onset_at, now).onset_days;
        out.age = self.answers.as_of(self.age_at, now).age;
        out
    }
}

/// What a person's assessments come to: the fold, and the few assessments whose times and
/// scores the pages show. Kept on write by the store (a change counter says when it must be
/// made again), so a page reads one row instead of every check-in.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AnswerSummary {
    /// Every assessment folded from the latest intake (`None` before the first intake).
    pub folded: Option<Folded>,
    /// The newest assessment of all, with its scores.
    pub newest: Option<(Timestamp, Scores)>,
    /// The newest assessment not marked as entered in error.
    pub newest_counted: Option<Timestamp>,
    /// The assessments not marked as errors that hold each score's first and last value,
    /// oldest first: enough to say how each score moved, whatever lies between.
    pub score_ends: Vec<(Timestamp, Scores)>,
}

impl AnswerSummary {
    /// The format of a kept summary: raise it whenever what a summary holds, or how it is
    /// made (the fold, [`Answers::updated_by`], the scores), changes, so summaries kept by an
    /// earlier release are made again rather than trusted.
    pub const FORMAT: i64 = 1;

    /// Sums up `all` (every assessment, oldest first); `errors` names those marked as entered
    /// in error, which the fold still reads (a warning sign is never dropped) but the scores
    /// and the newest counted time do not.
    pub fn of(all: &[Assessment], errors: &[String]) -> AnswerSummary {
        let counted: Vec<(Timestamp, Scores)> = all
            .iter()
            .filter(|a| !errors.contains(&a.id))
            .map(|a| (a.at.timestamp(), scores(&a.answers)))
            .collect();
        let mut ends: Vec<usize> = Vec::new();
        let fields: [fn(&Scores) -> bool; 3] = [
            |s| s.pain_now.is_some(),
            |s| s.peg.is_some(),
            |s| s.psfs.is_some(),
        ];
        for has in fields {
            ends.extend(counted.iter().position(|(_, s)| has(s)));
            ends.extend(counted.iter().rposition(|(_, s)| has(s)));
        }
        ends.sort_unstable();
        ends.dedup();
        AnswerSummary {
            folded: Folded::of(all),
            newest: all.last().map(|a| (a.at.timestamp(), scores(&a.answers))),
            newest_counted: counted.last().map(|(t, _)| *t),
            score_ends: ends.into_iter().map(|i| counted[i]).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcomes::Instrument;
    use proptest::prelude::*;

    /// The fold as `signs::current_answers` first did it: every assessment aged to `now`, then
    /// laid over one another. The kept fold must agree with it.
    fn aged_then_folded(all: &[Assessment], now: Timestamp) -> Option<Answers> {
        let pos = all.iter().rposition(|a| a.kind == AssessmentKind::Intake)?;
        let intake_at = all[pos].at.timestamp();
        Some(
            all[pos + 1..]
                .iter()
                .fold(all[pos].answers.as_of(intake_at, now), |acc, later| {
                    acc.updated_by(&later.answers.as_of(later.at.timestamp(), now))
                }),
        )
    }

    fn assessment(i: usize, intake: bool, day: i64, json: &str) -> Assessment {
        let at = Timestamp::from_second(1_700_000_000 + day * 86_400 + i as i64)
            .unwrap()
            .to_zoned(jiff::tz::TimeZone::UTC);
        Assessment {
            id: format!("a{i}"),
            kind: if intake {
                AssessmentKind::Intake
            } else {
                AssessmentKind::Checkin
            },
            at,
            answers: Answers::from_json(json).unwrap(),
        }
    }

    fn answers_json() -> impl Strategy<Value = String> {
        (
            prop::option::of(18u8..=120),
            prop::option::of(prop_oneof![0u32..4000, 36_000u32..=36_500]),
            prop::option::of(0u8..=10),
            prop::option::of(any::<bool>()),
            prop::option::of(any::<bool>()),
            prop::option::of(prop::sample::select(vec!["none", "minor", "major"])),
            prop::option::of((0u8..=10, 0u8..=10, 0u8..=10)),
            prop::option::of(0u8..=10),
        )
            .prop_map(|(age, onset, pain, cancer, numb, trauma, peg, psfs)| {
                let mut v = serde_json::Map::new();
                let pairs = [
                    ("age", age.map(serde_json::Value::from)),
                    ("onset_days", onset.map(serde_json::Value::from)),
                    ("pain_now", pain.map(serde_json::Value::from)),
                    ("cancer_history", cancer.map(serde_json::Value::from)),
                    ("numbness_tingling", numb.map(serde_json::Value::from)),
                    ("trauma", trauma.map(serde_json::Value::from)),
                    ("peg_pain", peg.map(|(p, _, _)| p.into())),
                    ("peg_enjoyment", peg.map(|(_, e, _)| e.into())),
                    ("peg_activity", peg.map(|(_, _, a)| a.into())),
                    (
                        "psfs",
                        psfs.map(|s| serde_json::json!([{"activity": "walk", "score": s}])),
                    ),
                ];
                for (k, x) in pairs {
                    if let Some(x) = x {
                        v.insert(k.to_string(), x);
                    }
                }
                serde_json::Value::Object(v).to_string()
            })
    }

    proptest! {
        /// Kept as given and aged when read, or aged first and folded: the same answers, for
        /// any run of intakes and check-ins read at any later time.
        #[test]
        fn the_kept_fold_aged_later_equals_ageing_each_before_folding(
            list in prop::collection::vec((any::<bool>(), 0i64..800, answers_json()), 0..12),
            later in 0i64..3000,
        ) {
            let mut days: Vec<i64> = list.iter().map(|(_, d, _)| *d).collect();
            days.sort_unstable();
            let all: Vec<Assessment> = list
                .iter()
                .zip(days)
                .enumerate()
                .map(|(i, ((intake, _, json), day))| assessment(i, *intake, day, json))
                .collect();
            let now = Timestamp::from_second(1_700_000_000 + later * 86_400).unwrap();
            let kept = Folded::of(&all).map(|f| f.as_of(now));
            prop_assert_eq!(kept, aged_then_folded(&all, now));
        }

        /// The kept score ends give each score's first and last value, as the full list does.
        #[test]
        fn the_score_ends_hold_each_scores_first_and_last(
            list in prop::collection::vec((0i64..800, answers_json(), any::<bool>()), 0..12),
        ) {
            let all: Vec<Assessment> = list
                .iter()
                .enumerate()
                .map(|(i, (day, json, _))| assessment(i, i == 0, *day + i as i64 * 800, json))
                .collect();
            let errors: Vec<String> = list
                .iter()
                .enumerate()
                .filter(|(_, (_, _, e))| *e)
                .map(|(i, _)| format!("a{i}"))
                .collect();
            let s = AnswerSummary::of(&all, &errors);
            let counted: Vec<Scores> = all
                .iter()
                .filter(|a| !errors.contains(&a.id))
                .map(|a| scores(&a.answers))
                .collect();
            for i in [Instrument::PainNrs, Instrument::Peg, Instrument::Psfs] {
                let full: Vec<f64> = counted.iter().filter_map(|s| s.get(i)).collect();
                let kept: Vec<f64> = s.score_ends.iter().filter_map(|(_, s)| s.get(i)).collect();
                prop_assert_eq!(full.first(), kept.first());
                prop_assert_eq!(full.last(), kept.last());
            }
            let full_ends: Vec<(Timestamp, f64)> = all
                .iter()
                .filter(|a| !errors.contains(&a.id))
                .filter_map(|a| Some((a.at.timestamp(), scores(&a.answers).get(Instrument::Peg)?)))
                .collect();
            let kept_ends: Vec<(Timestamp, f64)> = s
                .score_ends
                .iter()
                .filter_map(|(t, x)| Some((*t, x.get(Instrument::Peg)?)))
                .collect();
            prop_assert_eq!(full_ends.first(), kept_ends.first());
            prop_assert_eq!(full_ends.last(), kept_ends.last());
            // What is kept reads back as it was made.
            let text = serde_json::to_string(&s).unwrap();
            prop_assert_eq!(serde_json::from_str::<AnswerSummary>(&text).unwrap(), s.clone());
            let newest = all.iter().rev().find(|a| !errors.contains(&a.id));
            prop_assert_eq!(s.newest_counted, newest.map(|a| a.at.timestamp()));
            prop_assert_eq!(s.newest.map(|(t, _)| t), all.last().map(|a| a.at.timestamp()));
        }
    }
}

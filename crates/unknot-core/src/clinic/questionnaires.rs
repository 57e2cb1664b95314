//! When a patient under care is asked to fill in a questionnaire: the PEG every week and the
//! PSFS at the start and at 2, 4 and 6 weeks, unless the clinician sets another schedule. A
//! questionnaire is due until it is answered; an answer the clinician marks as an error does not
//! count, so the questionnaire is asked again.

use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::InputError;
use crate::outcomes::Instrument;

/// Days before a PSFS milestone from which an answer counts for it.
pub const PSFS_EARLY_DAYS: i64 = 3;

/// A clinician's schedule for one patient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionnairePlan {
    /// Days between PEG questionnaires (`None`: never asked).
    pub peg_every_days: Option<u16>,
    /// Weeks after care began at which the PSFS is asked (0 is the start).
    pub psfs_weeks: Vec<u16>,
}

impl Default for QuestionnairePlan {
    /// PEG weekly; PSFS at the start and at 2, 4 and 6 weeks.
    fn default() -> QuestionnairePlan {
        QuestionnairePlan {
            peg_every_days: Some(7),
            psfs_weeks: vec![0, 2, 4, 6],
        }
    }
}

impl QuestionnairePlan {
    /// Checks a schedule a clinician typed: PEG every 1 to 90 days, PSFS weeks 0 to 104, at most
    /// 20 of them.
    pub fn check(&self) -> Result<(), InputError> {
        if let Some(d) = self.peg_every_days.filter(|d| !(1..=90).contains(d)) {
            return Err(InputError::malformed(
                "peg_every_days",
                d.to_string(),
                "must be from 1 to 90 days",
            ));
        }
        if self.psfs_weeks.len() > 20 || self.psfs_weeks.iter().any(|w| *w > 104) {
            return Err(InputError::malformed(
                "psfs_weeks",
                format!("{:?}", self.psfs_weeks),
                "give up to 20 weeks, each from 0 to 104",
            ));
        }
        Ok(())
    }
}

/// A questionnaire the patient is asked to fill in now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Due {
    /// Which.
    pub instrument: Instrument,
    /// Since when it is due.
    pub since: Date,
}

/// The questionnaires due on `today` for care that began on `start`, given the days each was
/// answered (answers marked as errors left out by the caller). Only each instrument's latest
/// day counts, so a caller may pass just those (the app passes the kept summary's score ends).
pub fn due(
    plan: &QuestionnairePlan,
    start: Date,
    answered: &[(Date, Instrument)],
    today: Date,
) -> Vec<Due> {
    let on = |i: Instrument| {
        answered
            .iter()
            .filter(move |(_, a)| *a == i)
            .map(|(d, _)| *d)
    };
    let mut out = Vec::new();
    if let Some(every) = plan.peg_every_days {
        let next = match on(Instrument::Peg).max() {
            None => Some(start),
            Some(last) => last.checked_add(i64::from(every).days()).ok(),
        };
        if let Some(since) = next.filter(|n| *n <= today) {
            out.push(Due {
                instrument: Instrument::Peg,
                since,
            });
        }
    }
    let milestone = plan
        .psfs_weeks
        .iter()
        .filter_map(|w| start.checked_add((i64::from(*w) * 7).days()).ok())
        .filter(|d| *d <= today)
        .max();
    if let Some(m) = milestone {
        let window = m.checked_sub(PSFS_EARLY_DAYS.days()).unwrap_or(m);
        if !on(Instrument::Psfs).any(|d| d >= window) {
            out.push(Due {
                instrument: Instrument::Psfs,
                since: m,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const START: Date = date(2026, 11, 2);

    proptest::proptest! {
        /// Only each instrument's latest answer matters: the app passes the kept summary's
        /// first and last answer of each rather than every check-in.
        #[test]
        fn each_instruments_last_answer_decides(
            days in proptest::collection::vec((0i64..200, proptest::bool::ANY), 0..12),
            today in 0i64..220,
        ) {
            let p = QuestionnairePlan::default();
            let day = |n: i64| START.checked_add(n.days()).unwrap();
            let all: Vec<(Date, Instrument)> = days
                .iter()
                .map(|(n, peg)| (day(*n), if *peg { Instrument::Peg } else { Instrument::Psfs }))
                .collect();
            let mut ends = Vec::new();
            for i in [Instrument::Peg, Instrument::Psfs] {
                let of = all.iter().filter(|(_, x)| *x == i);
                ends.extend(of.clone().min_by_key(|(d, _)| *d).copied());
                ends.extend(of.max_by_key(|(d, _)| *d).copied());
            }
            proptest::prop_assert_eq!(due(&p, START, &all, day(today)), due(&p, START, &ends, day(today)));
        }
    }

    #[test]
    fn both_are_due_at_the_start() {
        let d = due(&QuestionnairePlan::default(), START, &[], START);
        assert_eq!(d.len(), 2);
        assert!(d.iter().all(|x| x.since == START));
    }

    #[test]
    fn peg_comes_back_a_week_after_the_last_answer() {
        let p = QuestionnairePlan::default();
        let answered = [(START, Instrument::Peg), (START, Instrument::Psfs)];
        assert!(due(&p, START, &answered, date(2026, 11, 8)).is_empty());
        let d = due(&p, START, &answered, date(2026, 11, 9));
        assert_eq!(
            d,
            vec![Due {
                instrument: Instrument::Peg,
                since: date(2026, 11, 9)
            }]
        );
    }

    #[test]
    fn psfs_is_due_at_each_milestone_until_answered_near_it() {
        let p = QuestionnairePlan {
            peg_every_days: None,
            psfs_weeks: vec![0, 2],
        };
        let answered = [(START, Instrument::Psfs)];
        assert!(due(&p, START, &answered, date(2026, 11, 15)).is_empty());
        let two_weeks = date(2026, 11, 16);
        let d = due(&p, START, &answered, two_weeks);
        assert_eq!(d[0].since, two_weeks);
        // An answer 3 days early counts; 4 days early does not.
        let early = [(date(2026, 11, 13), Instrument::Psfs)];
        assert!(due(&p, START, &early, two_weeks).is_empty());
        let too_early = [(date(2026, 11, 12), Instrument::Psfs)];
        assert_eq!(due(&p, START, &too_early, two_weeks).len(), 1);
    }

    #[test]
    fn a_schedule_out_of_range_is_refused() {
        let mut p = QuestionnairePlan {
            peg_every_days: Some(0),
            ..QuestionnairePlan::default()
        };
        assert!(p.check().is_err());
        p.peg_every_days = None;
        p.psfs_weeks = vec![200];
        assert!(p.check().is_err());
        assert!(QuestionnairePlan::default().check().is_ok());
    }
}

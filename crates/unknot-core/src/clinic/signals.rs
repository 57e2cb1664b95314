//! What a clinician's dashboard says about each patient: adherence to the programme over 7 and
//! 28 days, days without any activity, a red flag from the safety net, pain risen over its
//! baseline, PEG and PSFS from the first score to the latest with the important-change verdict,
//! and unread messages; and one order for the list, worst first. The application layer looks up
//! the facts; everything here is arithmetic a person can check by hand.

use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;

use super::programme::Schedule;
use crate::outcomes::{self, Change, Direction, Instrument};
use crate::progress::Scores;
use crate::triage::{Triage, Urgency};

/// Days without activity from which the dashboard raises an alert.
pub const INACTIVE_DAYS: i64 = 3;
/// A rise in pain (0-10 points) over the baseline from which the dashboard raises an alert.
pub const PAIN_RISE: f64 = 2.0;
/// Days at the start of care whose ratings make the pain baseline.
pub const BASELINE_DAYS: i64 = 7;
/// Days at the end whose ratings make "pain lately".
pub const RECENT_DAYS: i64 = 3;
/// Adherence below this share (over 7 days) raises an alert.
pub const LOW_ADHERENCE: f64 = 0.5;

/// Everything the application layer found out about one patient.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The clinic's day today.
    pub today: Option<Date>,
    /// The day care began (the baseline and inactivity count from it).
    pub since: Option<Date>,
    /// The schedule of the programme in force, if one is prescribed.
    pub schedule: Option<Schedule>,
    /// The days of sessions in which something was done, one item per session.
    pub session_days: Vec<Date>,
    /// The last day of any activity (an entry, a session, a check-in).
    pub last_activity: Option<Date>,
    /// The safety net as it stands now.
    pub triage: Option<Triage>,
    /// Mean pain per day, on days with a rating, oldest first.
    pub daily_pain: Vec<(Date, f64)>,
    /// Scores from each assessment, oldest first.
    pub scores: Vec<(Date, Scores)>,
    /// Messages from the patient nobody on the staff has read.
    pub unread: u32,
}

/// Sessions done against sessions due over a window.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Adherence {
    /// Sessions done on programme days (no more than were due on each day).
    pub done: u32,
    /// Sessions due so far in the window.
    pub due: u32,
}

impl Adherence {
    /// The share done, 0 to 1; `None` when nothing was due.
    pub fn share(&self) -> Option<f64> {
        (self.due > 0).then(|| f64::from(self.done) / f64::from(self.due))
    }

    /// The share as a whole percentage, e.g. "67%", or "nothing due".
    pub fn words(&self) -> String {
        match self.share() {
            Some(s) => format!("{}%", (s * 100.0).round()),
            None => "nothing due".to_string(),
        }
    }
}

/// Pain lately against the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PainChange {
    /// Mean daily pain over the first days of care.
    pub baseline: f64,
    /// Mean daily pain over the last days.
    pub recent: f64,
    /// Recent minus baseline, to one decimal.
    pub rise: f64,
}

/// Something the clinician should look at, most serious first.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Alert {
    /// The safety net says to see a doctor today or go to the emergency department now.
    RedFlag {
        /// How urgent.
        urgency: Urgency,
        /// The rules that fired, in plain words.
        reasons: Vec<String>,
    },
    /// The safety net says to see a doctor within a week.
    SeeDoctorSoon {
        /// The rules that fired, in plain words.
        reasons: Vec<String>,
    },
    /// Pain risen by 2 points or more over its baseline.
    PainRising(PainChange),
    /// A score got worse by at least the important change.
    ScoreWorse(Change),
    /// No activity for 3 days or more.
    Inactive {
        /// Days since the last activity.
        days: i64,
    },
    /// Fewer than half the sessions due in the last 7 days done.
    LowAdherence(Adherence),
    /// Unread messages from the patient.
    Unread {
        /// How many.
        count: u32,
    },
}

impl Alert {
    /// Lower is worse: the dashboard's order.
    pub fn rank(&self) -> u8 {
        match self {
            Alert::RedFlag {
                urgency: Urgency::Emergency,
                ..
            } => 0,
            Alert::RedFlag { .. } => 1,
            Alert::PainRising(_) => 2,
            Alert::SeeDoctorSoon { .. } => 3,
            Alert::ScoreWorse(_) => 4,
            Alert::Inactive { .. } => 5,
            Alert::LowAdherence(_) => 6,
            Alert::Unread { .. } => 7,
        }
    }

    /// The alert in a few plain words, for the dashboard.
    pub fn words(&self) -> String {
        match self {
            Alert::RedFlag {
                urgency: Urgency::Emergency,
                ..
            } => "Red flag: emergency care now".to_string(),
            Alert::RedFlag { .. } => "Red flag: see a doctor today".to_string(),
            Alert::SeeDoctorSoon { .. } => "See a doctor within a week".to_string(),
            Alert::PainRising(p) => format!(
                "Pain up {:.1} points (from {:.1} to {:.1})",
                p.rise, p.baseline, p.recent
            ),
            Alert::ScoreWorse(c) => format!(
                "{} worse: {:.1} → {:.1}",
                short_name(c.instrument),
                c.before,
                c.after
            ),
            Alert::Inactive { days } => format!("No activity for {days} days"),
            Alert::LowAdherence(a) => {
                format!("Adherence {} ({} of {} sessions)", a.words(), a.done, a.due)
            }
            Alert::Unread { count: 1 } => "1 unread message".to_string(),
            Alert::Unread { count } => format!("{count} unread messages"),
        }
    }
}

fn short_name(i: Instrument) -> &'static str {
    match i {
        Instrument::PainNrs => "Pain",
        Instrument::Peg => "PEG",
        Instrument::Psfs => "PSFS",
    }
}

/// One patient's line on the dashboard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Signals {
    /// Adherence over the last 7 days (today counts once something was done today).
    pub adherence_7: Option<Adherence>,
    /// Adherence over the last 28 days.
    pub adherence_28: Option<Adherence>,
    /// Days since the last activity (or since care began, when there was none).
    pub inactive_days: Option<i64>,
    /// Pain lately against the baseline.
    pub pain: Option<PainChange>,
    /// PEG from the first score to the latest.
    pub peg: Option<Change>,
    /// PSFS from the first score to the latest.
    pub psfs: Option<Change>,
    /// Unread messages from the patient.
    pub unread: u32,
    /// What to look at, worst first.
    pub alerts: Vec<Alert>,
}

impl Signals {
    /// The rank of the worst alert (255 with none): the dashboard sorts by it.
    pub fn worst(&self) -> u8 {
        self.alerts.iter().map(Alert::rank).min().unwrap_or(u8::MAX)
    }
}

/// Works out the dashboard line from the facts.
pub fn signals(f: &Facts) -> Signals {
    let today = f.today;
    let adherence = |days: i64| {
        Some(adherence(
            f.schedule.as_ref()?,
            &f.session_days,
            today?,
            days,
        ))
    };
    let adherence_7 = adherence(7);
    let inactive_days = today.and_then(|t| {
        let from = f.last_activity.or(f.since)?;
        Some(from.until(t).ok()?.get_days().into())
    });
    let pain = pain_change(f);
    let peg = score_change(&f.scores, Instrument::Peg);
    let psfs = score_change(&f.scores, Instrument::Psfs);
    let mut alerts = triage_alerts(f.triage.as_ref());
    if let Some(p) = pain.filter(|p| p.rise >= PAIN_RISE) {
        alerts.push(Alert::PainRising(p));
    }
    for c in [&peg, &psfs].into_iter().flatten() {
        if c.direction == Direction::Worse {
            alerts.push(Alert::ScoreWorse(c.clone()));
        }
    }
    if let Some(days) = inactive_days.filter(|d| *d >= INACTIVE_DAYS) {
        alerts.push(Alert::Inactive { days });
    }
    if let Some(a) = adherence_7.filter(|a| a.share().is_some_and(|s| s < LOW_ADHERENCE)) {
        alerts.push(Alert::LowAdherence(a));
    }
    if f.unread > 0 {
        alerts.push(Alert::Unread { count: f.unread });
    }
    alerts.sort_by_key(Alert::rank);
    Signals {
        adherence_7,
        adherence_28: adherence(28),
        inactive_days,
        pain,
        peg,
        psfs,
        unread: f.unread,
        alerts,
    }
}

/// Sessions done against due over the `days` days ending today. Days before today count as
/// due; today counts only once a session was done today, so the morning does not look like a
/// miss. A day's sessions beyond those due do not make up for another day.
pub fn adherence(schedule: &Schedule, session_days: &[Date], today: Date, days: i64) -> Adherence {
    let mut a = Adherence { done: 0, due: 0 };
    for back in (0..days).rev() {
        let Ok(day) = today.checked_sub(back.days()) else {
            continue;
        };
        let due = schedule.due_on(day);
        let done = u32::try_from(session_days.iter().filter(|d| **d == day).count())
            .unwrap_or(u32::MAX)
            .min(due);
        if day == today && done == 0 {
            continue;
        }
        a.due += due;
        a.done += done;
    }
    a
}

fn triage_alerts(t: Option<&Triage>) -> Vec<Alert> {
    let Some(t) = t else { return Vec::new() };
    let reasons = |from: Urgency| {
        t.reasons
            .iter()
            .filter(|r| r.urgency >= from)
            .map(|r| r.says.to_string())
            .collect::<Vec<_>>()
    };
    match t.urgency {
        Urgency::Emergency | Urgency::Urgent => vec![Alert::RedFlag {
            urgency: t.urgency,
            reasons: reasons(Urgency::Urgent),
        }],
        Urgency::Soon => vec![Alert::SeeDoctorSoon {
            reasons: reasons(Urgency::Soon),
        }],
        Urgency::SelfCare | Urgency::Routine => Vec::new(),
    }
}

/// Mean daily pain over the first [`BASELINE_DAYS`] of care against the last
/// [`RECENT_DAYS`]; `None` until both have a rating and the two do not overlap.
fn pain_change(f: &Facts) -> Option<PainChange> {
    let (today, since) = (f.today?, f.since?);
    let baseline_end = since.checked_add((BASELINE_DAYS - 1).days()).ok()?;
    let recent_start = today.checked_sub((RECENT_DAYS - 1).days()).ok()?;
    if recent_start <= baseline_end {
        return None;
    }
    let mean = |from: Date, to: Date| {
        let v: Vec<f64> = f
            .daily_pain
            .iter()
            .filter(|(d, _)| *d >= from && *d <= to)
            .map(|(_, p)| *p)
            .collect();
        (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
    };
    let baseline = mean(since, baseline_end)?;
    let recent = mean(recent_start, today)?;
    Some(PainChange {
        baseline: round1(baseline),
        recent: round1(recent),
        rise: round1(recent - baseline),
    })
}

fn score_change(scores: &[(Date, Scores)], i: Instrument) -> Option<Change> {
    let mut values = scores.iter().filter_map(|(_, s)| s.get(i));
    let first = values.next()?;
    let last = values.next_back()?;
    Some(outcomes::change(i, first, last))
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clinic::programme::ALL_DAYS;
    use jiff::civil::{Weekday, date};

    fn schedule() -> Schedule {
        Schedule {
            days: vec![Weekday::Monday, Weekday::Wednesday, Weekday::Friday],
            times_per_day: 1,
            start: date(2026, 11, 2),
            end: None,
        }
    }

    #[test]
    fn adherence_counts_due_days_and_caps_each_day() {
        // Monday 2 Nov to Sunday 15 Nov: six programme days.
        let today = date(2026, 11, 15);
        let done = [
            date(2026, 11, 2),
            date(2026, 11, 2), // a second session the same day does not count twice
            date(2026, 11, 4),
            date(2026, 11, 7), // a Saturday: not a programme day
            date(2026, 11, 13),
        ];
        let a = adherence(&schedule(), &done, today, 28);
        assert_eq!(a, Adherence { done: 3, due: 6 });
        let week = adherence(&schedule(), &done, today, 7);
        // 9-15 Nov: Mon 9, Wed 11, Fri 13 due; Fri done.
        assert_eq!(week, Adherence { done: 1, due: 3 });
        assert_eq!(week.words(), "33%");
    }

    #[test]
    fn today_counts_only_once_done() {
        let s = Schedule::daily(date(2026, 11, 1));
        let today = date(2026, 11, 3);
        let not_yet = adherence(&s, &[date(2026, 11, 1), date(2026, 11, 2)], today, 7);
        assert_eq!(not_yet, Adherence { done: 2, due: 2 });
        let done = adherence(&s, &[date(2026, 11, 3)], today, 7);
        assert_eq!(done, Adherence { done: 1, due: 3 });
        assert_eq!(s.days, ALL_DAYS.to_vec());
    }

    #[test]
    fn rising_pain_and_inactivity_raise_alerts_worst_first() {
        let f = Facts {
            today: Some(date(2026, 11, 20)),
            since: Some(date(2026, 11, 1)),
            schedule: Some(schedule()),
            session_days: vec![date(2026, 11, 2)],
            last_activity: Some(date(2026, 11, 16)),
            daily_pain: vec![
                (date(2026, 11, 1), 3.0),
                (date(2026, 11, 3), 4.0),  // baseline 3.5
                (date(2026, 11, 10), 9.0), // neither window
                (date(2026, 11, 18), 6.0),
                (date(2026, 11, 19), 6.0), // recent 6.0
            ],
            unread: 2,
            ..Facts::default()
        };
        let s = signals(&f);
        let p = s.pain.expect("both windows rated");
        assert_eq!((p.baseline, p.recent, p.rise), (3.5, 6.0, 2.5));
        let kinds: Vec<u8> = s.alerts.iter().map(Alert::rank).collect();
        assert_eq!(kinds, vec![2, 5, 6, 7], "{:?}", s.alerts);
        assert_eq!(s.inactive_days, Some(4));
        assert_eq!(s.worst(), 2);
        assert_eq!(s.alerts[0].words(), "Pain up 2.5 points (from 3.5 to 6.0)");
    }

    #[test]
    fn a_small_rise_or_overlapping_windows_raise_nothing() {
        let mut f = Facts {
            today: Some(date(2026, 11, 20)),
            since: Some(date(2026, 11, 1)),
            last_activity: Some(date(2026, 11, 20)),
            daily_pain: vec![(date(2026, 11, 1), 3.0), (date(2026, 11, 20), 4.9)],
            ..Facts::default()
        };
        assert!(signals(&f).alerts.is_empty());
        f.since = Some(date(2026, 11, 15));
        f.daily_pain = vec![(date(2026, 11, 15), 1.0), (date(2026, 11, 20), 9.0)];
        assert_eq!(
            signals(&f).pain,
            None,
            "the windows overlap: no baseline yet"
        );
        assert_eq!(signals(&f).worst(), u8::MAX);
    }
}

//! What is due today: the decision behind `unknot today`, the web app's Today page and the
//! clinic's patient view, as a typed list of next steps that each edge words for its reader.
//!
//! Only what really happened counts: a session where nothing was done does not mark the
//! routine done or extend the streak (see [`Completion`]).

use jiff::civil::Date;
use jiff::{ToSpan, Zoned};
use serde::Serialize;

use crate::adapt::{ItemOutcome, ItemStatus, SessionRecord};
use crate::planner::StoredPlan;
use crate::triage::{Triage, Urgency};

/// Seconds of work on an exercise that was cut short before it counts as effort: a start that
/// was abandoned at once is not exercise.
pub const MEANINGFUL_SECONDS: u32 = 30;

/// Days after the last assessment or check-in when the weekly check-in falls due.
pub const CHECKIN_EVERY_DAYS: i64 = 7;

/// How much of a guided session was done.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Completion {
    /// Every exercise done in full.
    Full,
    /// Some exercise done, or cut short after real effort.
    Partial,
    /// Nothing done: every exercise skipped, or stopped within seconds.
    Nothing,
}

impl Completion {
    /// How a session's outcomes add up.
    pub fn of(items: &[ItemOutcome]) -> Completion {
        Completion::of_parts(items.iter().map(|i| (i.status, i.seconds)))
    }

    /// [`Completion::of`] from each outcome's status and seconds, for a reader that decoded
    /// only those.
    pub fn of_parts(items: impl IntoIterator<Item = (ItemStatus, u32)>) -> Completion {
        let (mut count, mut done, mut effort) = (0usize, 0usize, false);
        for (status, seconds) in items {
            count += 1;
            done += usize::from(status == ItemStatus::Done);
            effort |= status == ItemStatus::CutShort && seconds >= MEANINGFUL_SECONDS;
        }
        if count > 0 && done == count {
            Completion::Full
        } else if done > 0 || effort {
            Completion::Partial
        } else {
            Completion::Nothing
        }
    }

    /// True when the session counts as exercise (for streaks, "done today" and adherence).
    pub fn counts(self) -> bool {
        self != Completion::Nothing
    }
}

/// A guided session as Today counts it: when it started and how much of it was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionStatus {
    /// When it started.
    pub at: jiff::Timestamp,
    /// How much of it was done.
    pub completion: Completion,
}

impl SessionStatus {
    /// The status of a recorded session.
    pub fn of(s: &SessionRecord) -> SessionStatus {
        SessionStatus {
            at: s.at.timestamp(),
            completion: Completion::of(&s.items),
        }
    }
}

/// One thing to do next, most important first. Each edge words it (a command in the terminal,
/// a button on a page).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NextStep {
    /// No safety check yet: start there.
    Assess,
    /// Today's routine is still to do.
    Session,
    /// Assessed, but no plan made yet.
    Plan,
    /// The weekly check-in is due.
    Checkin,
    /// Nothing logged today yet.
    Log,
}

/// What Today is decided from.
#[derive(Debug, Clone, Copy)]
pub struct TodayInput<'a> {
    /// Now, in the user's time zone.
    pub now: &'a Zoned,
    /// When the latest assessment or check-in was made, if any.
    pub last_check: Option<jiff::Timestamp>,
    /// The safety check as it stands now (see `signs::check_now`), once assessed.
    pub triage: Option<&'a Triage>,
    /// The current plan version, if any.
    pub plan: Option<&'a StoredPlan>,
    /// Sessions of the last few hundred days (for the streak and today's sessions).
    pub sessions: &'a [SessionStatus],
    /// Local dates with at least one journal entry (any order, duplicates allowed).
    pub journal_days: &'a [Date],
}

/// What is due today.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct Today {
    /// The local date.
    pub date: String,
    /// The current triage level id, once assessed.
    pub urgency: Option<&'static str>,
    /// The advice to show first, when the level is above self-care.
    pub advice: Option<&'static str>,
    /// The triage behind `urgency`, once assessed.
    #[serde(skip)]
    pub triage: Option<Triage>,
    /// Whether the plan may be followed (no warning sign withholds it).
    pub plan_allowed: bool,
    /// Whether today's routine is still to do.
    pub routine_due: bool,
    /// The routine's exercise ids.
    pub routine: Vec<String>,
    /// The routine's length in minutes.
    pub routine_minutes: u32,
    /// Sessions recorded today in which something was done.
    pub sessions_today: usize,
    /// Whether something has been logged in the journal today.
    pub logged_today: bool,
    /// Whether the weekly check-in is due.
    pub checkin_due: bool,
    /// Days since the last assessment or check-in.
    pub days_since_checkin: Option<i64>,
    /// The plan's break interval.
    pub break_every_minutes: Option<u16>,
    /// Days in a row, ending today or yesterday, with exercise done or a journal entry.
    pub streak_days: u32,
    /// What to do next, most important first.
    pub next: Vec<NextStep>,
}

/// Decides what is due today.
pub fn decide(input: &TodayInput) -> Today {
    let now = input.now;
    let zone = now.time_zone();
    let latest = input.triage;
    let t = input.triage.cloned();
    let plan_allowed = t.as_ref().is_none_or(|t| t.plan_allowed);
    let counted: Vec<Date> = input
        .sessions
        .iter()
        .filter(|s| s.completion.counts())
        .map(|s| s.at.to_zoned(zone.clone()).date())
        .collect();
    let sessions_today = counted.iter().filter(|d| **d == now.date()).count();
    let logged_today = input.journal_days.contains(&now.date());
    let mut active = counted;
    active.extend_from_slice(input.journal_days);
    let last_check = input
        .last_check
        .map(|t| (now.timestamp().as_second() - t.as_second()) / 86_400);
    let checkin_due = last_check.is_some_and(|d| d >= CHECKIN_EVERY_DAYS);
    let plan = input.plan.filter(|_| plan_allowed);
    let routine_due = plan.is_some_and(|p| !p.plan.routine.is_empty()) && sessions_today == 0;
    let mut next = Vec::new();
    if latest.is_none() {
        next.push(NextStep::Assess);
    }
    if routine_due {
        next.push(NextStep::Session);
    }
    if latest.is_some() && input.plan.is_none() && plan_allowed {
        next.push(NextStep::Plan);
    }
    if checkin_due {
        next.push(NextStep::Checkin);
    }
    if !logged_today {
        next.push(NextStep::Log);
    }
    Today {
        date: now.date().to_string(),
        urgency: t.as_ref().map(|t| t.urgency.id()),
        advice: t
            .as_ref()
            .filter(|t| t.urgency > Urgency::SelfCare)
            .map(|t| t.advice),
        triage: t,
        plan_allowed,
        routine_due,
        routine: plan
            .map(|p| p.plan.routine.iter().map(|i| i.exercise.clone()).collect())
            .unwrap_or_default(),
        routine_minutes: plan.map_or(0, |p| p.plan.total_seconds.div_ceil(60)),
        sessions_today,
        logged_today,
        checkin_due,
        days_since_checkin: last_check,
        break_every_minutes: plan.map(|p| p.plan.breaks.every_minutes),
        streak_days: streak(&mut active, now.date()),
        next,
    }
}

/// How far back Today looks for sessions and journal days (enough for any streak people keep).
pub fn lookback(now: &Zoned) -> jiff::Timestamp {
    now.checked_sub(400.days())
        .map_or(jiff::Timestamp::MIN, |z| z.timestamp())
}

/// Days in a row with activity, ending today (or yesterday, so a streak is not lost before the
/// day's first entry).
pub fn streak(days: &mut Vec<Date>, today: Date) -> u32 {
    days.sort_unstable();
    days.dedup();
    let Ok(yesterday) = today.yesterday() else {
        return 0;
    };
    let mut day = if days.binary_search(&today).is_ok() {
        today
    } else if days.binary_search(&yesterday).is_ok() {
        yesterday
    } else {
        return 0;
    };
    let mut n = 0;
    while days.binary_search(&day).is_ok() {
        n += 1;
        match day.yesterday() {
            Ok(d) => day = d,
            Err(_) => break,
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn item(status: ItemStatus, seconds: u32) -> ItemOutcome {
        ItemOutcome {
            exercise: "bird-dog".into(),
            status,
            seconds,
        }
    }

    #[test]
    fn streak_counts_back_from_today_or_yesterday() {
        let today = date(2026, 3, 10);
        let mut days = vec![date(2026, 3, 8), date(2026, 3, 9), date(2026, 3, 10)];
        assert_eq!(streak(&mut days, today), 3);
        let mut days = vec![date(2026, 3, 8), date(2026, 3, 9)];
        assert_eq!(streak(&mut days, today), 2);
        let mut days = vec![date(2026, 3, 7), date(2026, 3, 8)];
        assert_eq!(streak(&mut days, today), 0);
        let mut days = vec![date(2026, 3, 10), date(2026, 3, 10), date(2026, 3, 5)];
        assert_eq!(streak(&mut days, today), 1);
    }

    #[test]
    fn a_session_of_skips_or_seconds_is_nothing() {
        use ItemStatus::*;
        assert_eq!(
            Completion::of(&[item(Skipped, 0), item(Skipped, 0)]),
            Completion::Nothing
        );
        assert_eq!(Completion::of(&[item(CutShort, 2)]), Completion::Nothing);
        assert_eq!(Completion::of(&[]), Completion::Nothing);
        assert_eq!(
            Completion::of(&[item(CutShort, 45), item(Skipped, 0)]),
            Completion::Partial
        );
        assert_eq!(
            Completion::of(&[item(Done, 60), item(Skipped, 0)]),
            Completion::Partial
        );
        assert_eq!(
            Completion::of(&[item(Done, 60), item(Done, 30)]),
            Completion::Full
        );
    }
}

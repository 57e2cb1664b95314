//! Break reminders: when to wake, whether to remind, and what each answer means.
//!
//! Pure: the daemon passes in the time, how long the user has been idle and whether the screen
//! is locked, and gets back a decision and the next time to wake. There is no polling: the
//! daemon sleeps until [`Scheduler::next_wake`] (or a lock signal arrives).
//!
//! Idle detection is where existing break reminders fail most, so the rules are explicit and
//! tested: time away from the desk (screen locked, or idle past a threshold) counts as a break
//! already taken, the sitting clock restarts when the user comes back, and nothing is shown
//! during quiet hours.

use jiff::civil::Time;
use jiff::{SignedDuration, Timestamp, Zoned};
use serde::{Deserialize, Serialize};

/// How reminders behave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemindConfig {
    /// Sitting time between breaks, in seconds.
    pub every_seconds: u32,
    /// How long a snooze lasts, in seconds.
    pub snooze_seconds: u32,
    /// Idle this long (in seconds) or more means the user has stepped away.
    pub away_after_seconds: u32,
    /// Start of quiet hours (local time), if any.
    pub quiet_start: Option<Time>,
    /// End of quiet hours (local time), if any.
    pub quiet_end: Option<Time>,
    /// Every this many reminders, a posture check instead of a break.
    pub posture_check_every: u8,
}

impl Default for RemindConfig {
    fn default() -> Self {
        RemindConfig {
            every_seconds: 45 * 60,
            snooze_seconds: 10 * 60,
            away_after_seconds: 5 * 60,
            quiet_start: None,
            quiet_end: None,
            posture_check_every: 3,
        }
    }
}

/// What a reminder asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Reminder {
    /// A micro-break with this exercise.
    Break {
        /// Exercise id.
        exercise: String,
    },
    /// A quick posture check.
    PostureCheck,
}

/// How a break ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BreakStatus {
    /// The user did it.
    Taken,
    /// The user skipped it.
    Skipped,
    /// The user asked to be reminded later.
    Snoozed,
    /// The user was away from the desk anyway.
    Away,
    /// No answer came.
    Unanswered,
}

/// A user's answer to a reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Done it.
    Done,
    /// Not now: skip this one.
    Skip,
    /// Remind again shortly.
    Snooze,
    /// Dismissed or timed out without an answer.
    None,
}

/// What the daemon should do on waking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Nothing yet: sleep until [`Scheduler::next_wake`].
    Sleep,
    /// Show this reminder and wait for an answer.
    Remind(Reminder),
    /// The user was away: record a break taken that way.
    Away,
}

/// The reminder state for one user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scheduler {
    /// Settings.
    pub config: RemindConfig,
    /// Exercises to draw micro-breaks from, in turn.
    pub exercises: Vec<String>,
    /// When the current stretch of sitting began.
    pub sitting_since: Timestamp,
    /// When the next reminder is due.
    pub next_due: Timestamp,
    /// Reminders shown so far.
    pub shown: u32,
    /// Whether the user is away (screen locked) right now.
    pub away: bool,
}

/// `n` seconds after `ts` (the end of time, should that ever overflow).
fn later(ts: Timestamp, n: u32) -> Timestamp {
    ts.checked_add(SignedDuration::from_secs(i64::from(n)))
        .unwrap_or(Timestamp::MAX)
}

impl Scheduler {
    /// A scheduler whose first reminder is one interval from `now`.
    pub fn new(config: RemindConfig, exercises: Vec<String>, now: Timestamp) -> Scheduler {
        let next_due = later(now, config.every_seconds);
        Scheduler {
            config,
            exercises,
            sitting_since: now,
            next_due,
            shown: 0,
            away: false,
        }
    }

    /// When the daemon should wake next (the next due time, moved past quiet hours).
    pub fn next_wake(&self, tz: &jiff::tz::TimeZone) -> Timestamp {
        self.after_quiet(self.next_due, tz)
    }

    fn in_quiet(&self, local: &Zoned) -> bool {
        match (self.config.quiet_start, self.config.quiet_end) {
            (Some(start), Some(end)) if start != end => {
                let t = local.time();
                if start < end {
                    t >= start && t < end
                } else {
                    t >= start || t < end
                }
            }
            _ => false,
        }
    }

    /// `at`, or the end of the quiet hours it falls in.
    fn after_quiet(&self, at: Timestamp, tz: &jiff::tz::TimeZone) -> Timestamp {
        let local = at.to_zoned(tz.clone());
        if !self.in_quiet(&local) {
            return at;
        }
        let Some(end) = self.config.quiet_end else {
            return at;
        };
        let today_end = local
            .date()
            .to_datetime(end)
            .to_zoned(tz.clone())
            .map(|z| z.timestamp());
        match today_end {
            Ok(e) if e > at => e,
            _ => local
                .date()
                .tomorrow()
                .ok()
                .and_then(|d| d.to_datetime(end).to_zoned(tz.clone()).ok())
                .map_or(at, |z| z.timestamp()),
        }
    }

    /// Called on waking. `idle_seconds` and `locked` are what the desktop reports (0 and false
    /// when it reports nothing).
    pub fn wake(&mut self, now: &Zoned, idle_seconds: u64, locked: bool) -> Decision {
        let ts = now.timestamp();
        if locked || idle_seconds >= u64::from(self.config.away_after_seconds) {
            // Time away from the desk is a break already taken: restart the clock, no nagging.
            self.sitting_since = ts;
            self.next_due = later(ts, self.config.every_seconds);
            return Decision::Away;
        }
        if self.in_quiet(now) || ts < self.next_due {
            return Decision::Sleep;
        }
        self.shown += 1;
        let posture = self.config.posture_check_every > 0
            && self
                .shown
                .is_multiple_of(u32::from(self.config.posture_check_every));
        if posture || self.exercises.is_empty() {
            return Decision::Remind(Reminder::PostureCheck);
        }
        let i = (self.shown as usize - 1) % self.exercises.len();
        Decision::Remind(Reminder::Break {
            exercise: self.exercises[i].clone(),
        })
    }

    /// Records the answer to a reminder and schedules the next one.
    pub fn answer(&mut self, now: Timestamp, answer: Answer) -> BreakStatus {
        match answer {
            Answer::Done => {
                self.sitting_since = now;
                self.next_due = later(now, self.config.every_seconds);
                BreakStatus::Taken
            }
            Answer::Skip => {
                self.next_due = later(now, self.config.every_seconds);
                BreakStatus::Skipped
            }
            Answer::Snooze => {
                self.next_due = later(now, self.config.snooze_seconds);
                BreakStatus::Snoozed
            }
            Answer::None => {
                self.next_due = later(now, self.config.every_seconds);
                BreakStatus::Unanswered
            }
        }
    }

    /// The screen was locked: the user stepped away.
    pub fn locked(&mut self) {
        self.away = true;
    }

    /// The screen was unlocked: the user is back, the sitting clock starts again.
    pub fn unlocked(&mut self, now: Timestamp) {
        if self.away {
            self.away = false;
            self.sitting_since = now;
            self.next_due = later(now, self.config.every_seconds);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Zoned {
        format!("2026-03-02T{s}:00+00:00[UTC]").parse().unwrap()
    }

    fn scheduler(start: &str) -> Scheduler {
        Scheduler::new(
            RemindConfig::default(),
            vec!["chin-tuck".into(), "shoulder-rolls".into()],
            at(start).timestamp(),
        )
    }

    #[test]
    fn reminds_after_each_stretch_of_sitting_in_turn() {
        let mut s = scheduler("09:00");
        assert_eq!(s.next_due, at("09:45").timestamp());
        assert_eq!(s.wake(&at("09:30"), 0, false), Decision::Sleep);
        assert_eq!(
            s.wake(&at("09:45"), 10, false),
            Decision::Remind(Reminder::Break {
                exercise: "chin-tuck".into()
            })
        );
        assert_eq!(
            s.answer(at("09:47").timestamp(), Answer::Done),
            BreakStatus::Taken
        );
        assert_eq!(s.next_due, at("10:32").timestamp());
        assert_eq!(
            s.wake(&at("10:32"), 0, false),
            Decision::Remind(Reminder::Break {
                exercise: "shoulder-rolls".into()
            })
        );
        s.answer(at("10:33").timestamp(), Answer::Skip);
        assert_eq!(
            s.wake(&at("11:18"), 0, false),
            Decision::Remind(Reminder::PostureCheck),
            "every third is a posture check"
        );
    }

    #[test]
    fn time_away_counts_as_a_break_and_is_not_nagged_about() {
        let mut s = scheduler("09:00");
        // Idle for ten minutes when the break comes due: the user is away.
        assert_eq!(s.wake(&at("09:45"), 600, false), Decision::Away);
        assert_eq!(s.next_due, at("10:30").timestamp());
        // Locked screen, then back at 11:00: the clock restarts from the return.
        s.locked();
        assert_eq!(s.wake(&at("10:30"), 0, true), Decision::Away);
        s.unlocked(at("11:00").timestamp());
        assert_eq!(s.next_due, at("11:45").timestamp());
        assert_eq!(s.wake(&at("11:30"), 0, false), Decision::Sleep);
        // Idle just under the threshold is still at the desk.
        assert!(matches!(
            s.wake(&at("11:45"), 299, false),
            Decision::Remind(_)
        ));
    }

    #[test]
    fn snooze_and_no_answer() {
        let mut s = scheduler("09:00");
        s.wake(&at("09:45"), 0, false);
        assert_eq!(
            s.answer(at("09:45").timestamp(), Answer::Snooze),
            BreakStatus::Snoozed
        );
        assert_eq!(s.next_due, at("09:55").timestamp());
        s.wake(&at("09:55"), 0, false);
        assert_eq!(
            s.answer(at("09:57").timestamp(), Answer::None),
            BreakStatus::Unanswered
        );
        assert_eq!(s.next_due, at("10:42").timestamp());
    }

    #[test]
    fn quiet_hours_hold_reminders_until_they_end() {
        let config = RemindConfig {
            quiet_start: Some(Time::constant(22, 0, 0, 0)),
            quiet_end: Some(Time::constant(7, 0, 0, 0)),
            ..RemindConfig::default()
        };
        let tz = jiff::tz::TimeZone::UTC;
        let mut s = Scheduler::new(config, vec!["chin-tuck".into()], at("21:30").timestamp());
        assert_eq!(s.wake(&at("22:15"), 0, false), Decision::Sleep);
        let wake = s.next_wake(&tz);
        assert_eq!(wake.to_string(), "2026-03-03T07:00:00Z");
        assert!(matches!(
            s.wake(&wake.to_zoned(tz), 0, false),
            Decision::Remind(_)
        ));
    }
}

/// A break as recorded: when, what was suggested, and how it ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BreakRecord {
    /// Stable id.
    pub id: String,
    /// When the break came due or was taken.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub at: Zoned,
    /// What was suggested (none for a break taken by stepping away).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder: Option<Reminder>,
    /// How it ended.
    pub status: BreakStatus,
}

/// How reminder breaks ended over a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct BreakCounts {
    /// Breaks taken.
    pub taken: u32,
    /// Reminders that found the person away (counted as a break).
    pub away: u32,
    /// Breaks skipped.
    pub skipped: u32,
    /// Reminders snoozed.
    pub snoozed: u32,
    /// Reminders nobody answered.
    pub unanswered: u32,
}

impl BreakCounts {
    /// Counts the records' outcomes.
    pub fn of(records: &[BreakRecord]) -> BreakCounts {
        let mut c = BreakCounts::default();
        for b in records {
            match b.status {
                BreakStatus::Taken => c.taken += 1,
                BreakStatus::Away => c.away += 1,
                BreakStatus::Skipped => c.skipped += 1,
                BreakStatus::Snoozed => c.snoozed += 1,
                BreakStatus::Unanswered => c.unanswered += 1,
            }
        }
        c
    }
}

//! The coach's operations that read several records, let core decide, and store the outcome:
//! the current answers, the plan (made or reused), a plan review, a check-in, and what is due
//! today. The command line and the web app both call these, so a page and a command can never
//! disagree about what the plan is or what is due.

use jiff::{ToSpan, Zoned};
use serde::Serialize;
use unknot_core::adapt::{self, ItemStatus, Review, ReviewInput, SessionRecord};
use unknot_core::body::Muscle;
use unknot_core::catalogue::Catalogue;
use unknot_core::catalogue::ExerciseKind;
use unknot_core::intake::{Answers, Assessment, AssessmentKind};
use unknot_core::journal::{Entry, EntryId};
use unknot_core::outcomes::{self, Change, Instrument};
use unknot_core::planner::{self, PlanError, PlanInput, StoredPlan};
use unknot_core::trends::{self, TrendOptions};
use unknot_core::triage::{Triage, Urgency, triage};

use crate::error::StoreError;
use crate::journal::EntryRange;
use crate::open::Store;

/// Scores derived from one set of answers (pain now, PEG, PSFS); absent when not asked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Scores {
    /// Pain now, 0-10.
    pub pain_now: Option<u8>,
    /// PEG, the mean of pain, enjoyment and activity interference, 0-10 (lower is better).
    pub peg: Option<f64>,
    /// PSFS, the mean of the activities' ability ratings, 0-10 (higher is better).
    pub psfs: Option<f64>,
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

/// How the scores moved from `before` to `after`, with the important-change thresholds applied.
pub fn compare(before: &Answers, after: &Answers) -> Vec<Change> {
    let (b, a) = (scores(before), scores(after));
    let mut out = Vec::new();
    if let (Some(x), Some(y)) = (b.pain_now, a.pain_now) {
        out.push(outcomes::change(
            Instrument::PainNrs,
            f64::from(x),
            f64::from(y),
        ));
    }
    if let (Some(x), Some(y)) = (b.peg, a.peg) {
        out.push(outcomes::change(Instrument::Peg, x, y));
    }
    if let (Some(x), Some(y)) = (b.psfs, a.psfs) {
        out.push(outcomes::change(Instrument::Psfs, x, y));
    }
    out
}

/// The answers to plan from: the latest intake with every later check-in laid over it, so a
/// warning sign reported at any check-in keeps counting.
pub fn current_answers(all: &[Assessment]) -> Option<(Assessment, Answers)> {
    let pos = all.iter().rposition(|a| a.kind == AssessmentKind::Intake)?;
    let intake = all[pos].clone();
    let answers = all[pos + 1..]
        .iter()
        .fold(intake.answers.clone(), |acc, c| acc.updated_by(&c.answers));
    Some((intake, answers))
}

/// What asking for the plan gave.
#[derive(Debug, Clone)]
pub enum PlanOutcome {
    /// No intake yet.
    NoAssessment,
    /// The answers call for a doctor first; no exercise plan is made.
    Withheld(Triage),
    /// The current plan (freshly made when it was missing or stale).
    Plan {
        /// The plan and when it was made (boxed: it is far larger than the other outcomes).
        stored: Box<StoredPlan>,
        /// The triage it was made under.
        triage: Triage,
        /// True when this call made a new version.
        made: bool,
    },
}

/// The outcome of a weekly check-in.
#[derive(Debug, Clone, Serialize)]
pub struct CheckinOutcome {
    /// The triage level id after the check-in.
    pub urgency: &'static str,
    /// The full triage over the intake with every check-in laid over it.
    pub triage: Triage,
    /// This check-in's scores.
    pub scores: Scores,
    /// Changes since the intake.
    pub changes_since_start: Vec<Change>,
    /// Changes since the previous assessment.
    pub changes_since_last: Vec<Change>,
    /// The plan review that followed, when there is a plan.
    pub review: Option<ReviewOutcome>,
}

/// A plan review and what was saved.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewOutcome {
    /// What the review decided and why.
    #[serde(flatten)]
    pub review: Review,
    /// The new version saved, if anything changed.
    pub saved_version: Option<u32>,
    /// The version that was reviewed.
    #[serde(skip)]
    pub reviewed_version: u32,
}

/// What is due today, as `unknot today` and the web app's Today page show it.
#[derive(Debug, Clone, Serialize)]
pub struct Today {
    /// The local date.
    pub date: String,
    /// The current triage level id, once assessed.
    pub urgency: Option<&'static str>,
    /// The advice to show first, when the level is above self-care.
    pub advice: Option<&'static str>,
    /// Whether today's routine is still to do.
    pub routine_due: bool,
    /// The routine's exercise ids.
    pub routine: Vec<String>,
    /// The routine's length in minutes.
    pub routine_minutes: u32,
    /// Sessions recorded today.
    pub sessions_today: usize,
    /// Whether the weekly check-in is due.
    pub checkin_due: bool,
    /// Days since the last assessment or check-in.
    pub days_since_checkin: Option<i64>,
    /// The plan's break interval.
    pub break_every_minutes: Option<u16>,
    /// Days in a row, ending today or yesterday, with a session or a journal entry.
    pub streak_days: u32,
    /// What to do next, in plain words (commands for the terminal).
    pub next: Vec<String>,
    /// What each of `next` is, for links: `assess`, `session`, `plan`, `checkin` or `log`.
    pub next_actions: Vec<&'static str>,
}

/// What the visit summary is built from, for one period.
#[derive(Debug, Clone)]
pub struct ReportData {
    /// Entries in the period, in the user's time zone, oldest first.
    pub entries: Vec<Entry>,
    /// Every assessment and check-in (scores compare the first with the latest).
    pub assessments: Vec<Assessment>,
    /// Sessions in the period.
    pub sessions: Vec<SessionRecord>,
    /// The current plan.
    pub plan: Option<StoredPlan>,
    /// The name from the settings.
    pub name: Option<String>,
}

impl Store {
    /// Loads what the visit summary for the local dates `since..=until` needs, with times in
    /// `zone`.
    pub async fn report_data(
        &self,
        since: jiff::civil::Date,
        until: jiff::civil::Date,
        zone: &jiff::tz::TimeZone,
    ) -> Result<ReportData, StoreError> {
        let time = |e: jiff::Error| StoreError::Time(e.to_string());
        let start = since.to_zoned(zone.clone()).map_err(time)?.timestamp();
        let end = until
            .tomorrow()
            .and_then(|d| d.to_zoned(zone.clone()))
            .map_err(time)?
            .timestamp();
        let entries = self
            .list_entries(EntryRange {
                since: Some(start),
                until: Some(end - jiff::SignedDuration::from_millis(1)),
                last: None,
            })
            .await?
            .into_iter()
            .map(|mut e| {
                e.at = e.at.with_time_zone(zone.clone());
                e
            })
            .collect();
        let sessions = self
            .sessions_since(start)
            .await?
            .into_iter()
            .filter(|s| s.at.timestamp() < end)
            .map(|mut s| {
                s.at = s.at.with_time_zone(zone.clone());
                s
            })
            .collect();
        Ok(ReportData {
            entries,
            assessments: self.assessments().await?,
            sessions,
            plan: self.plans().await?.pop(),
            name: self.settings().await?.name,
        })
    }

    /// Everything the user has, as a backup (`unknot export --format json`, the web app's
    /// download): entries, their own exercises, assessments, plan versions, sessions, breaks.
    pub async fn backup(&self) -> Result<unknot_core::backup::Backup, StoreError> {
        let entries = self.list_entries(EntryRange::default()).await?;
        let extras = unknot_core::backup::Extras {
            exercises: self.custom_exercises().await?,
            assessments: self.assessments().await?,
            plans: self.plans().await?,
            sessions: self.sessions().await?,
            breaks: self.breaks_since(jiff::Timestamp::MIN).await?,
        };
        Ok(unknot_core::backup::build(entries, extras))
    }

    /// Records a guided session and a journal entry for it (pain after, what kinds of exercise
    /// were done, and a note), so the journal, trends and reports all see it.
    pub async fn record_session(
        &self,
        record: &SessionRecord,
        catalogue: &Catalogue,
        now: &Zoned,
    ) -> Result<Entry, StoreError> {
        let id = EntryId::new(crate::new_id()).map_err(|e| StoreError::Corrupt {
            id: "new entry".into(),
            reason: e.to_string(),
        })?;
        let mut entry = Entry::new(id, now.clone());
        entry.pain = record.pain_after;
        for o in record
            .items
            .iter()
            .filter(|o| o.status != ItemStatus::Skipped)
        {
            match catalogue.exercise(&o.exercise).map(|e| e.kind) {
                Some(ExerciseKind::Strengthening) => entry.treatments.strengthening = true,
                Some(ExerciseKind::Stretch | ExerciseKind::Mobility | ExerciseKind::Posture) => {
                    entry.treatments.stretching = true
                }
                Some(ExerciseKind::SelfMassage) => entry.treatments.massage = true,
                _ => {}
            }
        }
        let done = record
            .items
            .iter()
            .filter(|o| o.status == ItemStatus::Done)
            .count();
        entry.note = Some(format!(
            "Guided session at {}: {done} of {} exercises done.",
            record
                .at
                .with_time_zone(now.time_zone().clone())
                .strftime("%H:%M"),
            record.items.len()
        ));
        self.save_session(record).await?;
        self.insert_entry(&entry).await?;
        Ok(entry)
    }

    /// Muscles the last 90 days of the journal show knotting, most often first.
    pub async fn journal_knots(&self, now: &Zoned) -> Result<Vec<Muscle>, StoreError> {
        let since = now
            .checked_sub(90.days())
            .map_err(|e| StoreError::Time(e.to_string()))?
            .timestamp();
        let entries = self
            .list_entries(EntryRange {
                since: Some(since),
                ..Default::default()
            })
            .await?;
        let t = trends::compute(
            &entries,
            now.date(),
            TrendOptions {
                weeks: 1,
                months: 1,
            },
        );
        Ok(t.muscles.iter().map(|m| m.muscle).collect())
    }

    /// The current plan: reused while it is newer than the assessment and made at the same
    /// triage level, otherwise made afresh and saved as the next version.
    pub async fn current_plan(
        &self,
        catalogue: &Catalogue,
        now: &Zoned,
        rebuild: bool,
    ) -> Result<PlanOutcome, StoreError> {
        let Some((intake, answers)) = current_answers(&self.assessments().await?) else {
            return Ok(PlanOutcome::NoAssessment);
        };
        let t = triage(&answers);
        if !t.plan_allowed {
            // A warning sign (at intake or since) outranks any plan already stored.
            return Ok(PlanOutcome::Withheld(t));
        }
        let latest = self.plans().await?.pop();
        let stale = latest
            .as_ref()
            .is_none_or(|p| p.created < intake.at.timestamp() || p.plan.urgency != t.urgency.id());
        if !(rebuild || stale)
            && let Some(stored) = latest
        {
            return Ok(PlanOutcome::Plan {
                stored: Box::new(stored),
                triage: t,
                made: false,
            });
        }
        let knots = self.journal_knots(now).await?;
        match planner::build(&PlanInput {
            answers: &answers,
            triage: &t,
            catalogue,
            journal_knots: &knots,
        }) {
            Ok(mut plan) => {
                plan.version = latest.as_ref().map_or(1, |p| p.plan.version + 1);
                let created = now.timestamp();
                self.save_plan(&plan, created).await?;
                Ok(PlanOutcome::Plan {
                    stored: Box::new(StoredPlan { created, plan }),
                    triage: t,
                    made: true,
                })
            }
            Err(PlanError::SeeADoctor(_)) => Ok(PlanOutcome::Withheld(t)),
        }
    }

    /// Reviews the latest plan version against the sessions, journal and breaks since it began,
    /// and stores what the review decided: a new version, or, when a warning sign withdraws the
    /// plan, the updated answers so Today shows the advice. `None` when there is no plan or no
    /// assessment to review against.
    pub async fn review_plan(
        &self,
        catalogue: &Catalogue,
        now: &Zoned,
    ) -> Result<Option<ReviewOutcome>, StoreError> {
        let Some(stored) = self.plans().await?.pop() else {
            return Ok(None);
        };
        let Some((_, answers)) = current_answers(&self.assessments().await?) else {
            return Ok(None);
        };
        let sessions = self.sessions_since(stored.created).await?;
        let entries = self
            .list_entries(EntryRange {
                since: Some(stored.created),
                ..Default::default()
            })
            .await?;
        let breaks = self.breaks_since(stored.created).await?;
        let knots = self.journal_knots(now).await?;
        let r = adapt::review(&ReviewInput {
            plan: &stored.plan,
            since: stored.created,
            now,
            sessions: &sessions,
            entries: &entries,
            breaks: &breaks,
            answers: &answers,
            catalogue,
            journal_knots: &knots,
        });
        let mut saved = None;
        if let Some(next) = &r.plan {
            self.save_plan(next, now.timestamp()).await?;
            saved = Some(next.version);
        } else if r.triage.as_ref().is_some_and(|t| !t.plan_allowed) {
            self.save_assessment(&Assessment {
                id: crate::new_id(),
                kind: AssessmentKind::Checkin,
                at: now.clone(),
                answers: r.answers.clone(),
            })
            .await?;
        }
        Ok(Some(ReviewOutcome {
            review: r,
            saved_version: saved,
            reviewed_version: stored.plan.version,
        }))
    }

    /// Records a weekly check-in (already checked with `Answers::check`), then reviews the plan
    /// when there is one. `None` when there is no intake to check in against.
    pub async fn checkin(
        &self,
        answers: &Answers,
        catalogue: &Catalogue,
        now: &Zoned,
    ) -> Result<Option<CheckinOutcome>, StoreError> {
        let all = self.assessments().await?;
        let Some((intake, current)) = current_answers(&all) else {
            return Ok(None);
        };
        self.save_assessment(&Assessment {
            id: crate::new_id(),
            kind: AssessmentKind::Checkin,
            at: now.clone(),
            answers: answers.clone(),
        })
        .await?;
        let merged = current.updated_by(answers);
        let t = triage(&merged);
        let last = all.last().map(|a| a.answers.clone()).unwrap_or_default();
        let review = self.review_plan(catalogue, now).await?;
        Ok(Some(CheckinOutcome {
            urgency: t.urgency.id(),
            triage: t,
            scores: scores(answers),
            changes_since_start: compare(&intake.answers, answers),
            changes_since_last: compare(&last, answers),
            review,
        }))
    }

    /// What is due today. `commands` picks how the next steps are worded: as terminal
    /// commands, or as plain words for the web app.
    pub async fn today(&self, now: &Zoned, commands: bool) -> Result<Today, StoreError> {
        let start_of_day = now
            .date()
            .to_zoned(now.time_zone().clone())
            .map_err(|e| StoreError::Time(e.to_string()))?
            .timestamp();
        let assessments = self.assessments().await?;
        let latest = current_answers(&assessments);
        let plan = self.plans().await?.pop();
        let recent_start = now
            .checked_sub(400.days())
            .map_err(|e| StoreError::Time(e.to_string()))?
            .timestamp();
        let sessions = self.sessions_since(recent_start).await?;
        let sessions_today = sessions
            .iter()
            .filter(|s| s.at.timestamp() >= start_of_day)
            .count();
        let days = self.active_days_since(recent_start, now).await?;
        let mut active: Vec<jiff::civil::Date> = days;
        active.extend(
            sessions
                .iter()
                .map(|s| s.at.with_time_zone(now.time_zone().clone()).date()),
        );
        let streak_days = streak(&mut active, now.date());
        let t = latest.as_ref().map(|(_, a)| triage(a));
        let last_check = assessments
            .last()
            .map(|a| (now.timestamp().as_second() - a.at.timestamp().as_second()) / 86_400);
        let checkin_due = last_check.is_some_and(|d| d >= 7);
        let plan_ok = t.as_ref().is_none_or(|t| t.plan_allowed);
        let say = |cmd: &str, words: &str| {
            if commands {
                format!("{words}: {cmd}")
            } else {
                words.to_string()
            }
        };
        let mut next = Vec::new();
        let mut next_actions = Vec::new();
        let mut add = |action: &'static str, words: String| {
            next.push(words);
            next_actions.push(action);
        };
        if latest.is_none() {
            add(
                "assess",
                say("unknot assess", "Start with a short safety check"),
            );
        }
        if plan_ok && plan.is_some() && sessions_today == 0 {
            add("session", say("unknot session", "Do today's routine"));
        }
        if latest.is_some() && plan.is_none() && plan_ok {
            add("plan", say("unknot plan", "Make your plan"));
        }
        if checkin_due {
            add(
                "checkin",
                say("unknot checkin", "Your weekly check-in is due"),
            );
        }
        add("log", say("unknot log", "Log how your back feels"));
        Ok(Today {
            date: now.date().to_string(),
            urgency: t.as_ref().map(|t| t.urgency.id()),
            advice: t
                .as_ref()
                .filter(|t| t.urgency > Urgency::SelfCare)
                .map(|t| t.advice),
            routine_due: plan_ok && plan.is_some() && sessions_today == 0,
            routine: plan
                .as_ref()
                .map(|p| p.plan.routine.iter().map(|i| i.exercise.clone()).collect())
                .unwrap_or_default(),
            routine_minutes: plan
                .as_ref()
                .map_or(0, |p| p.plan.total_seconds.div_ceil(60)),
            sessions_today,
            checkin_due,
            days_since_checkin: last_check,
            break_every_minutes: plan.as_ref().map(|p| p.plan.breaks.every_minutes),
            streak_days,
            next,
            next_actions,
        })
    }
}

/// Days in a row with activity, ending today (or yesterday, so a streak is not lost before the
/// day's first entry).
fn streak(days: &mut Vec<jiff::civil::Date>, today: jiff::civil::Date) -> u32 {
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
}

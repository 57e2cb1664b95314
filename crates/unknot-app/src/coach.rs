//! The coach: the safety check (intake), the weekly check-in, the plan and its review, and what
//! is due today. Each reads the records it needs, lets core decide (triage, planner, review,
//! Today) and stores the outcome.

use jiff::{ToSpan, Zoned};
use serde::Serialize;
use unknot_core::adapt::{self, History, Review, ReviewInput};
use unknot_core::body::Muscle;
use unknot_core::catalogue::Catalogue;
use unknot_core::folded::Folded;
use unknot_core::habits::{self, HabitChange};
use unknot_core::intake::{Answers, Assessment, AssessmentKind, Habits};
use unknot_core::outcomes::Change;
use unknot_core::planner::{self, PlanError, PlanInput, StoredPlan};
use unknot_core::progress::{Scores, compare, scores};
use unknot_core::signs::{self, Watch};
use unknot_core::today::{self, Today, TodayInput};
use unknot_core::trends::{self, TrendOptions};
use unknot_core::triage::{Triage, triage};
use unknot_store::{EntryRange, Inserted};

use crate::journal::Posted;
use crate::{App, AppError, AppResult, Missing};

pub use unknot_core::intake::questions::stops_after_warning_signs;

/// What a safety check found.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssessOutcome {
    /// The triage: level, advice, reasons.
    #[serde(flatten)]
    pub triage: Triage,
    /// The level in words.
    pub urgency_label: &'static str,
    /// The starting scores.
    pub scores: Scores,
    /// Habits worth changing, most useful first.
    pub habits: Vec<HabitChange>,
    /// The stored assessment's id (absent when not saved).
    pub assessment_id: Option<String>,
}

/// What asking for the plan gave.
#[derive(Debug, Clone)]
pub struct PlanOutcome {
    /// The plan and when it was made (boxed: far larger than the rest).
    pub stored: Box<StoredPlan>,
    /// The triage it was made under.
    pub triage: Triage,
    /// True when this call made a new version.
    pub made: bool,
}

/// The outcome of a weekly check-in.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewOutcome {
    /// What the review decided and why.
    #[serde(flatten)]
    pub review: Review,
    /// The new version saved, if anything changed.
    pub saved_version: Option<u32>,
    /// The version that was reviewed.
    pub reviewed_version: u32,
}

/// The latest safety check as it stands now: the answers in force (aged to now, with the
/// journal's warning signs), their triage, and the latest assessment's own scores.
#[derive(Debug, Clone)]
pub struct Standing {
    /// The intake with every later check-in laid over it, aged, with the journal's signs.
    pub answers: Answers,
    /// The triage of those answers.
    pub triage: Triage,
    /// Warning signs the journal added, in words with their dates.
    pub signs: Vec<String>,
    /// The scores of the latest assessment or check-in.
    pub latest_scores: Scores,
    /// When the latest assessment or check-in was made.
    pub last_check: jiff::Timestamp,
}

/// What a review reads besides the current plan version.
struct ReviewContext<'a> {
    plans: &'a [StoredPlan],
    assessments: &'a [Assessment],
    answers: &'a Answers,
    catalogue: &'a Catalogue,
}

impl App {
    /// Runs the safety check on `answers` and, when `save`, stores it as a new intake.
    pub async fn assess(&self, answers: Answers, save: bool) -> AppResult<AssessOutcome> {
        answers.check()?;
        let t = triage(&answers);
        let mut id = None;
        if save {
            let a = self
                .assessment(AssessmentKind::Intake, answers.clone())
                .await?;
            self.store().save_assessment(&a).await?;
            id = Some(a.id);
        }
        Ok(AssessOutcome {
            urgency_label: t.urgency.label(),
            scores: scores(&answers),
            habits: habits::changes(&answers, 5),
            triage: t,
            assessment_id: id,
        })
    }

    /// Records new habits answers on top of the latest intake and returns what is worth
    /// changing (up to eight).
    pub async fn assess_habits(&self, habits_given: Habits) -> AppResult<Vec<HabitChange>> {
        let latest = self
            .store()
            .assessments()
            .await?
            .into_iter()
            .rfind(|a| a.kind == AssessmentKind::Intake);
        let mut answers = latest.map(|a| a.answers).unwrap_or_default();
        answers.habits = Some(habits_given);
        answers.check()?;
        let a = self
            .assessment(AssessmentKind::Intake, answers.clone())
            .await?;
        self.store().save_assessment(&a).await?;
        Ok(habits::changes(&answers, 8))
    }

    async fn assessment(&self, kind: AssessmentKind, answers: Answers) -> AppResult<Assessment> {
        Ok(Assessment {
            id: self.new_id(),
            kind,
            at: self.now().await?,
            answers,
        })
    }

    /// Every assessment and check-in, oldest first.
    pub async fn assessments(&self) -> AppResult<Vec<Assessment>> {
        Ok(self.store().assessments().await?)
    }

    /// Each assessment's date and scores, oldest first (for charts of scores over time).
    pub async fn score_history(&self) -> AppResult<Vec<(jiff::civil::Date, Scores)>> {
        let zone = self.zone().await?;
        Ok(self
            .assessments()
            .await?
            .iter()
            .map(|a| (a.at.with_time_zone(zone.clone()).date(), scores(&a.answers)))
            .collect())
    }

    /// The safety net as it stands now: every assessment, aged to now, with the warning signs
    /// the journal and the guided sessions' feedback have shown since the intake (see
    /// `signs::check_now`). `None` before the first safety check.
    pub async fn watch(&self) -> AppResult<Option<Watch>> {
        // The fold kept beside the assessments (see `Store::answer_summary`): one row, not
        // every check-in, on each page that shows the triage.
        let summary = self.store().answer_summary().await?;
        self.watch_folded(summary.folded.as_ref()).await
    }

    /// [`App::watch`] over assessments already read (a check-in's answer uses the list as it
    /// stood when the check-in was stored).
    async fn watch_over(&self, all: &[Assessment]) -> AppResult<Option<Watch>> {
        self.watch_folded(Folded::of(all).as_ref()).await
    }

    async fn watch_folded(&self, folded: Option<&Folded>) -> AppResult<Option<Watch>> {
        let Some(folded) = folded else {
            return Ok(None);
        };
        // Only entries and sessions that may carry a warning sign: the rest cannot change the
        // outcome, and reading every one since the intake grew with the journal (years of
        // entries on each page view; see docs/PERFORMANCE.md, "The clinic at size").
        let found = self.store().signs_since(folded.intake_at).await?;
        Ok(Some(signs::check_folded(
            folded,
            &found.entries,
            &found.sessions,
            self.clock().now(),
        )))
    }

    /// The answers in force and their triage, or `None` before the first safety check.
    pub async fn standing(&self) -> AppResult<Option<Standing>> {
        let summary = self.store().answer_summary().await?;
        let Some(watch) = self.watch_folded(summary.folded.as_ref()).await? else {
            return Ok(None);
        };
        Ok(Some(Standing {
            answers: watch.answers,
            triage: watch.triage,
            signs: watch.signs,
            latest_scores: summary.newest.map(|(_, s)| s).unwrap_or_default(),
            last_check: summary.newest.map_or(watch.intake_at, |(t, _)| t),
        }))
    }

    /// The current plan: reused while it is newer than the assessment and made at the same
    /// triage level (as the safety check stands now), otherwise made afresh and saved as the
    /// next version (always, with `rebuild`).
    pub async fn plan(&self, rebuild: bool) -> AppResult<PlanOutcome> {
        let Some(watch) = self.watch().await? else {
            return Err(AppError::Missing(Missing::Assessment));
        };
        let t = watch.triage;
        if !t.plan_allowed {
            // A warning sign (at intake, since, or in the journal) outranks any stored plan.
            return Err(AppError::Withheld(Box::new(t)));
        }
        let latest = self.store().latest_plan().await?;
        let stale = latest
            .as_ref()
            .is_none_or(|p| p.created < watch.intake_at || p.plan.urgency != t.urgency.id());
        if !(rebuild || stale)
            && let Some(stored) = latest
        {
            return Ok(PlanOutcome {
                stored: Box::new(stored),
                triage: t,
                made: false,
            });
        }
        let now = self.now().await?;
        let catalogue = self.catalogue().await?;
        let knots = self.journal_knots(&now).await?;
        let mut plan = planner::build(&PlanInput {
            answers: &watch.answers,
            triage: &t,
            catalogue: &catalogue,
            journal_knots: &knots,
        })
        .map_err(|PlanError::SeeADoctor(_)| AppError::Withheld(Box::new(t.clone())))?;
        plan.version = latest.as_ref().map_or(1, |p| p.plan.version + 1);
        let created = now.timestamp();
        self.store().save_plan(&plan, created).await?;
        Ok(PlanOutcome {
            stored: Box::new(StoredPlan { created, plan }),
            triage: t,
            made: true,
        })
    }

    /// Every version of the plan, oldest first.
    pub async fn plan_history(&self) -> AppResult<Vec<StoredPlan>> {
        Ok(self.store().plans().await?)
    }

    /// Muscles the last 90 days of the journal show knotting, most often first.
    async fn journal_knots(&self, now: &Zoned) -> AppResult<Vec<Muscle>> {
        let since = now.checked_sub(90.days())?.timestamp();
        let entries = self
            .store()
            .list_entries(EntryRange {
                since: Some(since),
                ..Default::default()
            })
            .await?;
        let options = TrendOptions {
            weeks: 1,
            months: 1,
        };
        let t = trends::compute(&entries, now.date(), options);
        Ok(t.muscles.iter().map(|m| m.muscle).collect())
    }

    /// Reviews the latest plan version against the sessions, journal and breaks since it
    /// began (and, for the warning signs and the "no improvement" rule, since the plan's
    /// course began), and stores what the review decided: a new version, or, when a warning
    /// sign withdraws the plan, the updated answers so Today shows the advice.
    pub async fn review(&self) -> AppResult<ReviewOutcome> {
        let plans = self.store().plans().await?;
        let Some(stored) = plans.last().cloned() else {
            return Err(AppError::Missing(Missing::Plan));
        };
        let all = self.store().assessments().await?;
        let Some((_, answers)) = signs::as_given(&all) else {
            return Err(AppError::Missing(Missing::Assessment));
        };
        let now = self.now().await?;
        let catalogue = self.catalogue().await?;
        let context = ReviewContext {
            plans: &plans,
            assessments: &all,
            answers: &answers,
            catalogue: &catalogue,
        };
        let r = self.run_review(&stored, &context, &now).await?;
        let mut saved = None;
        if let Some(next) = &r.plan {
            self.store().save_plan(next, now.timestamp()).await?;
            saved = Some(next.version);
        } else if r.triage.as_ref().is_some_and(|t| !t.plan_allowed) {
            let a = self
                .assessment(AssessmentKind::Checkin, r.answers.clone())
                .await?;
            self.store().save_assessment(&a).await?;
        }
        Ok(ReviewOutcome {
            review: r,
            saved_version: saved,
            reviewed_version: stored.plan.version,
        })
    }

    async fn run_review(
        &self,
        stored: &StoredPlan,
        c: &ReviewContext<'_>,
        now: &Zoned,
    ) -> AppResult<Review> {
        let store = self.store();
        let since = stored.created;
        let sessions = store.sessions_since(since).await?;
        let entries_since = |t| EntryRange {
            since: Some(t),
            ..Default::default()
        };
        let entries = store.list_entries(entries_since(since)).await?;
        let breaks = store.breaks_since(since).await?;
        let knots = self.journal_knots(now).await?;
        let mut history = History {
            plans: c.plans,
            assessments: c.assessments,
            entries: &[],
        };
        let start = adapt::course_start(&history, since);
        let course = store.list_entries(entries_since(start)).await?;
        history.entries = &course;
        Ok(adapt::review_with(
            &ReviewInput {
                plan: &stored.plan,
                since,
                now,
                sessions: &sessions,
                entries: &entries,
                breaks: &breaks,
                answers: c.answers,
                catalogue: c.catalogue,
                journal_knots: &knots,
            },
            &history,
        ))
    }

    /// Records a weekly check-in, then reviews the plan when there is one.
    pub async fn checkin(&self, answers: Answers) -> AppResult<CheckinOutcome> {
        answers.check()?;
        let all = self.store().assessments().await?;
        let a = self
            .assessment(AssessmentKind::Checkin, answers.clone())
            .await?;
        // Without an intake there is nothing to compare with: refused before anything is stored.
        intake_of(&all)?;
        self.store().save_assessment(&a).await?;
        self.checkin_outcome(all, a).await
    }

    /// Records a weekly check-in whose id the client made, once: posting the same id and answers
    /// again answers as the stored check-in did and writes nothing; the same id with other
    /// answers, or an id another record (anyone's) holds, is refused with
    /// [`AppError::IdInUse`]. The id is checked like a journal entry's.
    pub async fn checkin_once(
        &self,
        id: &str,
        answers: Answers,
    ) -> AppResult<Posted<CheckinOutcome>> {
        let id = crate::journal::client_id(id)?;
        answers.check()?;
        let mut all = self.store().assessments().await?;
        intake_of(&all)?;
        let mut a = self
            .assessment(AssessmentKind::Checkin, answers.clone())
            .await?;
        a.id = id.as_str().to_owned();
        match self.store().insert_assessment_if_absent(&a).await? {
            Inserted::Added => Ok(Posted::Created(self.checkin_outcome(all, a).await?)),
            Inserted::Existing(old)
                if old.kind == AssessmentKind::Checkin && old.answers == answers =>
            {
                // Answered as when it was stored: compared with what came before it.
                if let Some(at) = all.iter().position(|x| x.id == old.id) {
                    all.truncate(at);
                }
                Ok(Posted::Replayed(self.checkin_outcome(all, old).await?))
            }
            Inserted::Existing(_) | Inserted::Taken => Err(AppError::IdInUse(a.id)),
        }
    }

    /// What a check-in answers, given the assessments stored before it and the check-in itself.
    async fn checkin_outcome(
        &self,
        mut all: Vec<Assessment>,
        a: Assessment,
    ) -> AppResult<CheckinOutcome> {
        let intake = intake_of(&all)?;
        let last = all.last().map(|x| x.answers.clone()).unwrap_or_default();
        let answers = a.answers.clone();
        all.push(a);
        let watch = self.watch_over(&all).await?;
        let t = watch.map_or_else(|| triage(&answers), |w| w.triage);
        let review = match self.review().await {
            Ok(r) => Some(r),
            Err(AppError::Missing(_)) => None,
            Err(e) => return Err(e),
        };
        Ok(CheckinOutcome {
            urgency: t.urgency.id(),
            triage: t,
            scores: scores(&answers),
            changes_since_start: compare(&intake, &answers),
            changes_since_last: compare(&last, &answers),
            review,
        })
    }

    /// What is due today.
    pub async fn today(&self) -> AppResult<Today> {
        let now = self.now().await?;
        let store = self.store();
        let since = today::lookback(&now);
        let summary = store.answer_summary().await?;
        let watch = self.watch_folded(summary.folded.as_ref()).await?;
        let records = store.today_records(since, now.time_zone()).await?;
        Ok(today::decide(&TodayInput {
            now: &now,
            last_check: summary.newest.map(|(t, _)| t),
            triage: watch.as_ref().map(|w| &w.triage),
            plan: records.plan.as_ref(),
            sessions: &records.sessions,
            journal_days: &records.journal_days,
        }))
    }
}

/// The latest intake among these assessments; a check-in needs one to compare with.
fn intake_of(all: &[Assessment]) -> AppResult<Answers> {
    all.iter()
        .rfind(|a| a.kind == AssessmentKind::Intake)
        .map(|a| a.answers.clone())
        .ok_or(AppError::Missing(Missing::Assessment))
}

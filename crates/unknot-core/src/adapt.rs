//! The weekly review: reads the journal and the sessions done since a plan version began, and
//! changes the plan with a reason for every change.
//!
//! - **Progress** after two weeks with sessions on at least 70% of days and pain stable or
//!   falling: the harder variant, or longer holds, more reps or another set.
//! - **Step back** when pain after a session rose by 2 or more, or had not settled by the next
//!   morning: the easier variant, or less volume.
//! - **Swap** an exercise skipped again and again for the next best one.
//! - **Re-triage** when a journal entry or check-in reports a warning sign, or when time has
//!   moved the answers on (six weeks passing); at `urgent` or `emergency` the plan is withdrawn.
//! - **No improvement**: after four weeks or more on the plan with pain not fallen by 2 points
//!   or 30%, suggest a physiotherapist or doctor (`routine`), once per plan.
//!
//! [`review`] is a pure function, and each rule is one short function below, numbered as in
//! this list. The rules that look back beyond the current plan version (aging and "no
//! improvement") read a [`History`]; [`review_with`] takes one, [`review`] uses an empty one.

mod no_improvement;

use std::collections::{BTreeMap, BTreeSet};

use jiff::{Timestamp, Zoned};
use serde::{Deserialize, Serialize};

use crate::body::Muscle;
use crate::catalogue::{Catalogue, Dosage, Exercise, ExerciseKind};
use crate::intake::{Answers, Assessment, AssessmentKind};
use crate::journal::Entry;
use crate::planner::{Fit, Plan, PlanChange, PlanInput, PlanItem, StoredPlan, item, why};
use crate::remind::{BreakRecord, BreakStatus};
use crate::score::Score;
use crate::triage::{Triage, Urgency, triage};

pub use no_improvement::{
    IMPORTANT_FALL_POINTS, IMPORTANT_FALL_SHARE, NO_IMPROVEMENT, NO_IMPROVEMENT_AFTER_DAYS,
    NO_IMPROVEMENT_SOURCES, NoImprovement, course_start,
};

/// What happened to one exercise in a session.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// Done in full.
    Done,
    /// Skipped.
    Skipped,
    /// Started but stopped early.
    CutShort,
}

/// One exercise's outcome in a session.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemOutcome {
    /// Exercise id.
    pub exercise: String,
    /// Done, skipped or cut short.
    pub status: ItemStatus,
    /// Seconds spent on it.
    #[cfg_attr(feature = "openapi", schema(maximum = 14400))]
    pub seconds: u32,
}

/// A guided session as recorded in the journal.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionRecord {
    /// Stable id.
    pub id: String,
    /// When it started.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub at: Zoned,
    /// Each exercise's outcome, in order.
    pub items: Vec<ItemOutcome>,
    /// Pain before, 0-10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pain_before: Option<Score>,
    /// Pain after, 0-10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pain_after: Option<Score>,
    /// Warning signs reported with the session's feedback: ids of
    /// [`crate::signs::SESSION_SIGNS`] (`both_legs`, `pain_below_knee`, …). The safety net adds
    /// them to the answers triage sees (see [`crate::signs::check_now`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warning_signs: Vec<String>,
}

/// Everything a review reads.
#[derive(Debug, Clone)]
pub struct ReviewInput<'a> {
    /// The current plan version.
    pub plan: &'a Plan,
    /// When that version began.
    pub since: Timestamp,
    /// Now, in the user's time zone.
    pub now: &'a Zoned,
    /// Sessions since `since`.
    pub sessions: &'a [SessionRecord],
    /// Journal entries since `since`.
    pub entries: &'a [Entry],
    /// Breaks from sitting since `since`.
    pub breaks: &'a [BreakRecord],
    /// The latest assessment answers (the intake with every check-in laid over it), as
    /// stored: not aged. With a [`History`] that holds the intake, the review ages them.
    pub answers: &'a Answers,
    /// The library.
    pub catalogue: &'a Catalogue,
    /// Muscles the journal shows knotting most.
    pub journal_knots: &'a [Muscle],
}

/// The outcome of a review.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Review {
    /// Days the plan version has run.
    pub days: u32,
    /// Sessions recorded.
    pub sessions: usize,
    /// Share of days with a session, 0-1.
    pub adherence: f64,
    /// Break reminders answered with a break (taken, or away anyway), and reminders in all.
    pub breaks_taken: usize,
    /// See `breaks_taken`.
    pub breaks_reminded: usize,
    /// What changed and why (empty: the plan stays as it is).
    pub changes: Vec<PlanChange>,
    /// The new plan version, when anything changed and a plan is still allowed.
    pub plan: Option<Plan>,
    /// A fresh triage, when a warning sign appeared or time raised the level.
    pub triage: Option<Triage>,
    /// Answers updated from the journal and aged to now (what the fresh triage used).
    pub answers: Answers,
    /// The "no improvement" advice, the one time it is given (see [`NoImprovement`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_improvement: Option<NoImprovement>,
}

/// What came before the current plan version, for the rules that look further back than it.
/// Every part may be empty; [`review`] passes an empty history.
#[derive(Debug, Clone, Copy, Default)]
pub struct History<'a> {
    /// Every plan version kept, oldest first (the current one may be among them).
    pub plans: &'a [StoredPlan],
    /// Every assessment (intake and check-ins), oldest first. The latest intake's time ages the
    /// answers, and its pain and the check-ins' give the "no improvement" rule its numbers.
    pub assessments: &'a [Assessment],
    /// Journal entries since the plan began ([`course_start`]); may overlap the review's own.
    pub entries: &'a [Entry],
}

impl History<'_> {
    /// When the latest intake was made, if the history holds one.
    pub fn intake_at(&self) -> Option<Timestamp> {
        self.assessments
            .iter()
            .rev()
            .find(|a| a.kind == AssessmentKind::Intake)
            .map(|a| a.at.timestamp())
    }
}

/// Days of steady use before progressing.
pub const PROGRESS_AFTER_DAYS: u32 = 14;
/// Share of days with a session needed to progress.
pub const PROGRESS_ADHERENCE: f64 = 0.7;
/// Rise in pain after a session that calls for a step back.
pub const STEP_BACK_RISE: u8 = 2;
/// Skips (at least half of its appearances) after which an exercise is swapped.
pub const SWAP_AFTER_SKIPS: usize = 3;

fn urgency_from_id(id: &str) -> Urgency {
    match id {
        "emergency" => Urgency::Emergency,
        "urgent" => Urgency::Urgent,
        "soon" => Urgency::Soon,
        "routine" => Urgency::Routine,
        _ => Urgency::SelfCare,
    }
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

fn days_between(from: Timestamp, to: Timestamp) -> u32 {
    u32::try_from((to.as_second() - from.as_second()).max(0) / 86_400).unwrap_or(u32::MAX)
}

fn change(kind: &str, exercise: Option<String>, reason: String) -> PlanChange {
    PlanChange {
        kind: kind.to_string(),
        exercise,
        reason,
    }
}

/// Counts over the period under review.
struct Stats {
    days: u32,
    adherence: f64,
    breaks_taken: usize,
    breaks_reminded: usize,
}

impl Stats {
    fn of(input: &ReviewInput) -> Stats {
        let days = days_between(input.since, input.now.timestamp());
        let session_days: BTreeSet<_> = input
            .sessions
            .iter()
            // Only sessions where something was really done count (see `today::Completion`).
            .filter(|s| crate::today::Completion::of(&s.items).counts())
            .map(|s| s.at.date())
            .collect();
        let adherence = if days == 0 {
            0.0
        } else {
            (session_days.len() as f64 / f64::from(days)).min(1.0)
        };
        Stats {
            days,
            adherence,
            breaks_taken: input
                .breaks
                .iter()
                .filter(|b| matches!(b.status, BreakStatus::Taken | BreakStatus::Away))
                .count(),
            breaks_reminded: input.breaks.iter().filter(|b| b.reminder.is_some()).count(),
        }
    }
}

/// The plan version being drafted: its routine, its break interval and the changes so far.
struct Draft {
    routine: Vec<PlanItem>,
    every_minutes: u16,
    changes: Vec<PlanChange>,
}

/// What the fresh triage found.
struct Check {
    answers: Answers,
    fresh: Triage,
    /// Set when the review must say so (a sign seen, or a higher level).
    retriaged: Option<Triage>,
}

/// Reviews a plan with no history beyond the current version (see [`review_with`]).
pub fn review(input: &ReviewInput) -> Review {
    review_with(input, &History::default())
}

/// Reviews a plan. Pure: the caller stores any new version. With a [`History`], the answers
/// are aged from the latest intake to now, journal entries from before this version still count
/// as warning signs, and the "no improvement" rule can look back to the start of the plan.
pub fn review_with(input: &ReviewInput, history: &History) -> Review {
    let stats = Stats::of(input);
    let mut draft = Draft {
        routine: input.plan.routine.clone(),
        every_minutes: input.plan.breaks.every_minutes,
        changes: Vec::new(),
    };
    let check = retriage(input, history, &mut draft);
    if !check.fresh.plan_allowed {
        return finish(input, stats, draft, check, None);
    }
    let fit = Fit::new(&PlanInput {
        answers: &check.answers,
        triage: &check.fresh,
        catalogue: input.catalogue,
        journal_knots: input.journal_knots,
    });
    drop_unfit(input, &fit, &mut draft);
    let provoked = step_back(input, &fit, &mut draft);
    swap_skipped(input, &fit, &mut draft);
    progress(input, &fit, &stats, &provoked, &check.fresh, &mut draft);
    ease_breaks(input, &stats, &mut draft);
    let advice = no_improvement::check(input, history);
    if let Some(n) = &advice {
        draft
            .changes
            .push(change(NO_IMPROVEMENT, None, n.says.clone()));
    }
    finish(input, stats, draft, check, advice)
}

/// Rule 1, warning signs in the journal or a session's feedback, or time passing: triage again. Entries from before this
/// version (in the history) count silently; those since it began are reported.
fn retriage(input: &ReviewInput, history: &History, draft: &mut Draft) -> Check {
    let now = input.now.timestamp();
    let stored = match history.intake_at() {
        Some(at) => input.answers.as_of(at, now),
        None => input.answers.clone(),
    };
    let earlier: Vec<Entry> = history
        .entries
        .iter()
        .filter(|e| e.at.timestamp() < input.since)
        .cloned()
        .collect();
    let (known, _) = crate::signs::from_entries(&stored, &earlier);
    let (answers, mut signs) = crate::signs::from_entries(&known, input.entries);
    let (answers, reported) = crate::signs::from_sessions(&answers, input.sessions);
    signs.extend(reported);
    let fresh = triage(&answers);
    let before = urgency_from_id(&input.plan.urgency);
    let mut retriaged = None;
    if !signs.is_empty() || fresh.urgency > before {
        draft.changes.push(change(
            "retriage",
            None,
            retriage_reason(&signs, &fresh, &triage(&known), before),
        ));
        retriaged = Some(fresh.clone());
    }
    Check {
        answers,
        fresh,
        retriaged,
    }
}

fn retriage_reason(signs: &[String], fresh: &Triage, known: &Triage, before: Urgency) -> String {
    let verdict = if fresh.urgency > before {
        "the check now says"
    } else {
        "the check still says"
    };
    if !signs.is_empty() {
        return format!(
            "The journal shows {}; {verdict}: {}.",
            signs.join(", "),
            fresh.urgency.label()
        );
    }
    let why: Vec<&str> = known
        .reasons
        .iter()
        .filter(|r| r.urgency > before)
        .map(|r| r.says)
        .collect();
    format!(
        "Since the plan was made, {verdict}: {}. {}",
        fresh.urgency.label(),
        why.join(" ")
    )
    .trim_end()
    .to_string()
}

/// After a fresh triage, leave out what no longer suits the person.
fn drop_unfit(input: &ReviewInput, fit: &Fit, draft: &mut Draft) {
    let mut dropped = Vec::new();
    draft.routine.retain(|i| {
        let keep = input
            .catalogue
            .exercise(&i.exercise)
            .is_some_and(|e| fit.safe(e));
        if !keep {
            dropped.push(change(
                "step_back",
                Some(i.exercise.clone()),
                format!(
                    "{} is left out now: it does not suit what the journal shows.",
                    i.name
                ),
            ));
        }
        keep
    });
    draft.changes.extend(dropped);
}

/// Exercises that provoked pain, with why: pain rose by [`STEP_BACK_RISE`] after a session, or
/// had not settled by the next morning.
fn provoking(input: &ReviewInput) -> BTreeMap<String, String> {
    let mut provoked = BTreeMap::new();
    for s in input.sessions {
        let (Some(b), Some(a)) = (s.pain_before, s.pain_after) else {
            continue;
        };
        let next_morning = input.entries.iter().find(|e| {
            e.at.date() == s.at.date().tomorrow().unwrap_or(s.at.date())
                && e.at.hour() < 12
                && e.pain.is_some()
        });
        let rose_after = a.get() >= b.get().saturating_add(STEP_BACK_RISE);
        let not_settled = next_morning
            .and_then(|e| e.pain)
            .is_some_and(|p| p.get() >= b.get().saturating_add(STEP_BACK_RISE));
        if !(rose_after || not_settled) {
            continue;
        }
        let why = if rose_after {
            format!(
                "pain rose from {b} to {a} after the session on {}",
                s.at.date()
            )
        } else {
            format!(
                "pain had not settled by the morning after the session on {}",
                s.at.date()
            )
        };
        for i in s.items.iter().filter(|i| i.status != ItemStatus::Skipped) {
            provoked
                .entry(i.exercise.clone())
                .or_insert_with(|| why.clone());
        }
    }
    provoked
}

/// Rule 2, step back where pain rose: the easier variant, or less of the same. Returns the
/// exercises that provoked pain and the ones changed, so progression leaves them alone.
fn step_back(input: &ReviewInput, fit: &Fit, draft: &mut Draft) -> Provoked {
    let provoked = provoking(input);
    let mut stepped = BTreeSet::new();
    for (id, reason) in &provoked {
        let Some(pos) = draft.routine.iter().position(|i| &i.exercise == id) else {
            continue;
        };
        let Some(current) = input.catalogue.exercise(id) else {
            continue;
        };
        let easier = current
            .easier
            .iter()
            .filter_map(|v| input.catalogue.exercise(v))
            .find(|e| fit.safe(e) && !draft.routine.iter().any(|i| i.exercise == e.id));
        if let Some(e) = easier {
            draft.changes.push(change(
                "step_back",
                Some(e.id.clone()),
                format!("{} replaces {}: {reason}.", e.name, current.name),
            ));
            draft.routine[pos] = item(e, e.dosage.clone(), why(e, fit, input.plan.budget_minutes));
            stepped.insert(e.id.clone());
            continue;
        }
        let lighter = lighten(&draft.routine[pos].dosage);
        if lighter != draft.routine[pos].dosage {
            draft.changes.push(change(
                "step_back",
                Some(id.clone()),
                format!(
                    "Less of {} ({}): {reason}.",
                    current.name,
                    lighter.describe()
                ),
            ));
            let w = draft.routine[pos].why.clone();
            draft.routine[pos] = item(current, lighter, w);
        }
        stepped.insert(id.clone());
    }
    Provoked {
        any: !provoked.is_empty(),
        stepped,
    }
}

/// What the step-back rule found.
struct Provoked {
    /// Whether any exercise provoked pain.
    any: bool,
    /// Exercises changed by a step back.
    stepped: BTreeSet<String>,
}

/// Exercises skipped in at least [`SWAP_AFTER_SKIPS`] sessions and half their appearances,
/// with (appearances, skips).
fn skipped_often(input: &ReviewInput) -> Vec<(String, usize, usize)> {
    let mut appearances: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for s in input.sessions {
        for i in &s.items {
            let slot = appearances.entry(i.exercise.as_str()).or_default();
            slot.0 += 1;
            if i.status == ItemStatus::Skipped {
                slot.1 += 1;
            }
        }
    }
    appearances
        .into_iter()
        .filter(|(_, (n, skips))| *skips >= SWAP_AFTER_SKIPS && *skips * 2 >= *n)
        .map(|(id, (n, skips))| (id.to_string(), n, skips))
        .collect()
}

/// Seconds the routine takes without the item at `pos`.
fn used_without(routine: &[PlanItem], pos: usize) -> u32 {
    routine.iter().map(|i| i.seconds).sum::<u32>() - routine[pos].seconds
}

/// Rule 3, swap exercises skipped again and again for the best other exercise of the same kind.
fn swap_skipped(input: &ReviewInput, fit: &Fit, draft: &mut Draft) {
    let budget_seconds = u32::from(input.plan.budget_minutes) * 60;
    for (id, n, skips) in skipped_often(input) {
        let Some(pos) = draft.routine.iter().position(|i| i.exercise == id) else {
            continue;
        };
        let Some(current) = input.catalogue.exercise(&id) else {
            continue;
        };
        let used = used_without(&draft.routine, pos);
        let in_plan: BTreeSet<&str> = draft.routine.iter().map(|i| i.exercise.as_str()).collect();
        let mut options: Vec<(&Exercise, i32)> = input
            .catalogue
            .exercises()
            .filter(|e| {
                e.kind == current.kind
                    && fit.allows(e)
                    && !in_plan.contains(e.id.as_str())
                    && !current.easier.contains(&e.id)
                    && !current.harder.contains(&e.id)
                    && used + e.dosage.total_seconds() + crate::planner::TRANSITION_SECONDS
                        <= budget_seconds
            })
            .map(|e| (e, fit.score(e)))
            .collect();
        options.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.id.cmp(&b.0.id)));
        if let Some((e, _)) = options.first() {
            draft.changes.push(change(
                "swap",
                Some(e.id.clone()),
                format!(
                    "{} replaces {}, which was skipped in {skips} of {n} sessions.",
                    e.name, current.name
                ),
            ));
            draft.routine[pos] = item(e, e.dosage.clone(), why(e, fit, input.plan.budget_minutes));
        }
    }
}

/// Whether pain held steady or fell: the last week's mean no more than half a point above the
/// first week's (true when either week has no ratings).
fn pain_steady(input: &ReviewInput, days: u32) -> bool {
    let week = |from: i64, to: i64| {
        mean(
            input
                .entries
                .iter()
                .filter(|e| {
                    let d = (e.at.timestamp().as_second() - input.since.as_second()) / 86_400;
                    (from..to).contains(&d)
                })
                .filter_map(|e| e.pain.map(|p| f64::from(p.get()))),
        )
    };
    let first = week(0, 7);
    let last = week(i64::from(days).saturating_sub(7), i64::from(days) + 1);
    match (first, last) {
        (Some(f), Some(l)) => l <= f + 0.5,
        _ => true,
    }
}

/// Rule 4, progress after two steady weeks: the harder variant, or a little more of the same.
fn progress(
    input: &ReviewInput,
    fit: &Fit,
    stats: &Stats,
    provoked: &Provoked,
    fresh: &Triage,
    draft: &mut Draft,
) {
    let ready = stats.days >= PROGRESS_AFTER_DAYS
        && stats.adherence >= PROGRESS_ADHERENCE
        && pain_steady(input, stats.days)
        && !provoked.any
        && !fresh.gentle_only;
    if !ready {
        return;
    }
    let because = format!(
        "{} days with sessions on {:.0}% of them and pain steady or falling",
        stats.days,
        stats.adherence * 100.0
    );
    for pos in 0..draft.routine.len() {
        let Some(current) = input.catalogue.exercise(&draft.routine[pos].exercise) else {
            continue;
        };
        if matches!(
            current.kind,
            ExerciseKind::SelfMassage | ExerciseKind::Breathing
        ) || provoked.stepped.contains(&current.id)
        {
            continue;
        }
        progress_one(input, fit, current, pos, &because, draft);
    }
}

/// Progresses the exercise at `pos`: its harder variant if one fits the budget, else more of it.
fn progress_one(
    input: &ReviewInput,
    fit: &Fit,
    current: &Exercise,
    pos: usize,
    because: &str,
    draft: &mut Draft,
) {
    let budget_seconds = u32::from(input.plan.budget_minutes) * 60;
    let used = used_without(&draft.routine, pos);
    // The next step up may be one level harder than today's ceiling.
    let harder = current
        .harder
        .iter()
        .filter_map(|v| input.catalogue.exercise(v))
        .find(|e| {
            fit.safe(e)
                && !draft.routine.iter().any(|i| i.exercise == e.id)
                && used + e.dosage.total_seconds() + crate::planner::TRANSITION_SECONDS
                    <= budget_seconds
        });
    if let Some(e) = harder {
        draft.changes.push(change(
            "progress",
            Some(e.id.clone()),
            format!("{} replaces {}: {because}.", e.name, current.name),
        ));
        draft.routine[pos] = item(e, e.dosage.clone(), why(e, fit, input.plan.budget_minutes));
        return;
    }
    let more = strengthen(&draft.routine[pos].dosage);
    let candidate = item(current, more.clone(), draft.routine[pos].why.clone());
    if more != draft.routine[pos].dosage && used + candidate.seconds <= budget_seconds {
        draft.changes.push(change(
            "progress",
            Some(current.id.clone()),
            format!("More of {} ({}): {because}.", current.name, more.describe()),
        ));
        draft.routine[pos] = candidate;
    }
}

/// Rule 5, breaks mostly skipped or ignored: remind less often rather than nag.
fn ease_breaks(input: &ReviewInput, stats: &Stats, draft: &mut Draft) {
    let every = draft.every_minutes;
    let ignored = input
        .breaks
        .iter()
        .filter(|b| matches!(b.status, BreakStatus::Skipped | BreakStatus::Unanswered))
        .count();
    let reminded = stats.breaks_reminded;
    if reminded >= 5 && ignored * 2 > reminded && every < 60 {
        let longer = (every + 15).min(60);
        draft.changes.push(change(
            "breaks",
            None,
            format!(
                "{ignored} of {reminded} break reminders were skipped or went unanswered, so breaks now come every {longer} minutes instead of {every}."
            ),
        ));
        draft.every_minutes = longer;
    }
}

/// The review's outcome: a new version when anything changed and a plan is still allowed.
fn finish(
    input: &ReviewInput,
    stats: Stats,
    draft: Draft,
    check: Check,
    no_improvement: Option<NoImprovement>,
) -> Review {
    let plan = (check.fresh.plan_allowed && !draft.changes.is_empty()).then(|| {
        let mut next = input.plan.clone();
        next.breaks.every_minutes = draft.every_minutes;
        next.version += 1;
        next.urgency = check.fresh.urgency.id().to_string();
        next.gentle_only = check.fresh.gentle_only;
        next.total_seconds = draft.routine.iter().map(|i| i.seconds).sum();
        next.routine = draft.routine;
        next.changes = draft.changes.clone();
        next
    });
    Review {
        days: stats.days,
        sessions: input.sessions.len(),
        adherence: (stats.adherence * 100.0).round() / 100.0,
        breaks_taken: stats.breaks_taken,
        breaks_reminded: stats.breaks_reminded,
        changes: draft.changes,
        plan,
        triage: check.retriaged,
        answers: check.answers,
        no_improvement,
    }
}

/// A little more: two more reps, five more seconds of hold, or one more set.
fn strengthen(d: &Dosage) -> Dosage {
    let mut d = d.clone();
    if let Some([lo, hi]) = d.reps
        && hi < 20
    {
        d.reps = Some([lo + 2, hi + 2]);
    } else if let Some([lo, hi]) = d.hold_seconds
        && hi < 60
    {
        d.hold_seconds = Some([lo + 5, hi + 5]);
    } else if d.sets < 4 {
        d.sets += 1;
    }
    d
}

/// A little less: one set fewer, or fewer reps, or shorter holds.
fn lighten(d: &Dosage) -> Dosage {
    let mut d = d.clone();
    if d.sets > 1 {
        d.sets -= 1;
    } else if let Some([lo, hi]) = d.reps
        && lo > 3
    {
        d.reps = Some([lo - 2, hi.saturating_sub(2).max(lo - 2)]);
    } else if let Some([lo, hi]) = d.hold_seconds
        && lo > 5
    {
        d.hold_seconds = Some([lo - 5, hi.saturating_sub(5).max(lo - 5)]);
    }
    d
}

//! Rule 6, no improvement: after four weeks or more on the plan, pain that has not fallen by an
//! important amount (2 points or 30%, Ostelo et al. 2008) means self-care alone is not enough,
//! and the review suggests a physiotherapist or doctor (NICE NG59 asks for a review of
//! management that is not helping).
//!
//! "Once" is decided from the inputs alone: the advice travels as a plan change of kind
//! [`NO_IMPROVEMENT`], so the next version carries it, and the rule stays quiet while any version
//! since the plan began (the current one, or one in the [`History`]) carries it. A new intake
//! starts a new plan, and the rule may speak again after another four weeks.

use std::collections::BTreeSet;

use jiff::Timestamp;
use serde::Serialize;

use super::{History, ReviewInput, mean};
use crate::intake::AssessmentKind;
use crate::triage::Urgency;

/// The kind of plan change that carries the advice (and marks it as given).
pub const NO_IMPROVEMENT: &str = "no_improvement";
/// Days on the plan before the rule may speak (four weeks).
pub const NO_IMPROVEMENT_AFTER_DAYS: u32 = 28;
/// A fall in pain of this many points counts as improvement (0-10 scale).
pub const IMPORTANT_FALL_POINTS: f64 = 2.0;
/// A fall in pain of this share of the starting pain counts as improvement.
pub const IMPORTANT_FALL_SHARE: f64 = 0.3;
/// What the rule rests on (ids in `content/sources.toml`).
pub const NO_IMPROVEMENT_SOURCES: &[&str] = &["ostelo-2008", "nice-ng59"];

const WEEK_SECONDS: i64 = 7 * 86_400;

/// The advice to see a professional because pain has not improved on the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoImprovement {
    /// Always [`NO_IMPROVEMENT`].
    pub code: &'static str,
    /// Always `routine`: book a physiotherapist or doctor.
    pub urgency: Urgency,
    /// Whole days since the plan began.
    pub days_on_plan: u32,
    /// Pain when the plan began, 0-10 (the intake's rating, or the first week's mean).
    pub pain_at_start: f64,
    /// Pain over the last seven days, 0-10 (the mean of journal and check-in ratings).
    pub pain_now: f64,
    /// The advice, with the numbers, in plain words.
    pub says: String,
    /// Sources.
    pub sources: &'static [&'static str],
}

/// When the plan began: the first version made at or after the latest intake in the history,
/// else the oldest version in it, else `fallback` (the current version's start).
pub fn course_start(history: &History, fallback: Timestamp) -> Timestamp {
    let mut created: Vec<Timestamp> = history.plans.iter().map(|p| p.created).collect();
    created.sort();
    let after_intake = history
        .intake_at()
        .and_then(|at| created.iter().copied().find(|c| *c >= at));
    after_intake
        .or_else(|| created.first().copied())
        .unwrap_or(fallback)
        .min(fallback)
}

/// Whether a version since `start` already carries the advice.
fn already_given(input: &ReviewInput, history: &History, start: Timestamp) -> bool {
    let carries =
        |changes: &[crate::planner::PlanChange]| changes.iter().any(|c| c.kind == NO_IMPROVEMENT);
    carries(&input.plan.changes)
        || history
            .plans
            .iter()
            .filter(|p| p.created >= start)
            .any(|p| carries(&p.plan.changes))
}

/// Every pain rating: journal entries (the review's and the history's, once each) and the
/// check-ins' "pain now".
fn ratings(input: &ReviewInput, history: &History) -> Vec<(Timestamp, f64)> {
    let mut seen = BTreeSet::new();
    let entries = input
        .entries
        .iter()
        .chain(history.entries)
        .filter(|e| seen.insert(e.id.clone()))
        .filter_map(|e| e.pain.map(|p| (e.at.timestamp(), f64::from(p.get()))));
    let checkins = history.assessments.iter().filter_map(|a| {
        a.answers
            .pain_now
            .map(|p| (a.at.timestamp(), f64::from(p.get())))
    });
    entries.chain(checkins).collect()
}

fn mean_between(ratings: &[(Timestamp, f64)], from: i64, to: i64) -> Option<f64> {
    mean(
        ratings
            .iter()
            .filter(|(at, _)| (from..=to).contains(&at.as_second()))
            .map(|(_, p)| *p),
    )
}

/// Pain when the plan began: the latest intake's rating, or the mean of the first week.
fn pain_at_start(history: &History, ratings: &[(Timestamp, f64)], start: Timestamp) -> Option<f64> {
    let intake = history
        .assessments
        .iter()
        .rev()
        .find(|a| a.kind == AssessmentKind::Intake)
        .and_then(|a| a.answers.pain_now)
        .map(|p| f64::from(p.get()));
    intake.or_else(|| {
        mean_between(
            ratings,
            start.as_second(),
            start.as_second() + WEEK_SECONDS - 1,
        )
    })
}

/// True when the fall from `start` to `now` is an important change.
pub(crate) fn improved(start: f64, now: f64) -> bool {
    let fall = start - now;
    fall >= IMPORTANT_FALL_POINTS || fall >= IMPORTANT_FALL_SHARE * start
}

/// The advice, when it is due: four weeks or more on the plan, ratings at the start and in the
/// last week, no important fall, and not given before on this plan.
pub(super) fn check(input: &ReviewInput, history: &History) -> Option<NoImprovement> {
    let now = input.now.timestamp();
    let start = course_start(history, input.since);
    let days = super::days_between(start, now);
    if days < NO_IMPROVEMENT_AFTER_DAYS || already_given(input, history, start) {
        return None;
    }
    let all = ratings(input, history);
    let first = pain_at_start(history, &all, start)?;
    let last = mean_between(&all, now.as_second() - WEEK_SECONDS, now.as_second())?;
    if improved(first, last) {
        return None;
    }
    Some(NoImprovement {
        code: NO_IMPROVEMENT,
        urgency: Urgency::Routine,
        days_on_plan: days,
        pain_at_start: (first * 10.0).round() / 10.0,
        pain_now: (last * 10.0).round() / 10.0,
        says: format!(
            "After {} weeks on your plan your pain is {last:.1} out of 10, against {first:.1} when \
             you started: it has not fallen by the {IMPORTANT_FALL_POINTS:.0} points or {:.0}% \
             that count as a real change. Book an appointment with a physiotherapist or doctor to \
             look at what else could help; keep up the plan meanwhile, as far as it suits you.",
            days / 7,
            IMPORTANT_FALL_SHARE * 100.0
        ),
        sources: NO_IMPROVEMENT_SOURCES,
    })
}

#[cfg(test)]
mod tests {
    use super::improved;

    #[test]
    fn an_important_fall_is_two_points_or_thirty_percent() {
        assert!(improved(8.0, 6.0));
        assert!(!improved(8.0, 6.5));
        assert!(improved(4.0, 2.8));
        assert!(!improved(4.0, 3.0));
        assert!(!improved(5.0, 6.0));
        assert!(improved(0.0, 0.0));
    }
}

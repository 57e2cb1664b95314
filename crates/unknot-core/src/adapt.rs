//! The weekly review: reads the journal and the sessions done since a plan version began, and
//! changes the plan with a reason for every change.
//!
//! - **Progress** after two weeks with sessions on at least 70% of days and pain stable or
//!   falling: the harder variant, or longer holds, more reps or another set.
//! - **Step back** when pain after a session rose by 2 or more, or had not settled by the next
//!   morning: the easier variant, or less volume.
//! - **Swap** an exercise skipped again and again for the next best one.
//! - **Re-triage** when a journal entry or check-in reports a warning sign; at `urgent` or
//!   `emergency` the plan is withdrawn.

use std::collections::{BTreeMap, BTreeSet};

use jiff::{Timestamp, Zoned};
use serde::{Deserialize, Serialize};

use crate::body::{Muscle, Region};
use crate::catalogue::{Catalogue, Dosage, Exercise, ExerciseKind};
use crate::intake::{Answers, Radiation};
use crate::journal::{Entry, PainKind};
use crate::planner::{Fit, Plan, PlanChange, PlanInput, item, why};
use crate::remind::{BreakRecord, BreakStatus};
use crate::score::Score;
use crate::triage::{Triage, Urgency, triage};

/// What happened to one exercise in a session.
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemOutcome {
    /// Exercise id.
    pub exercise: String,
    /// Done, skipped or cut short.
    pub status: ItemStatus,
    /// Seconds spent on it.
    pub seconds: u32,
}

/// A guided session as recorded in the journal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionRecord {
    /// Stable id.
    pub id: String,
    /// When it started.
    pub at: Zoned,
    /// Each exercise's outcome, in order.
    pub items: Vec<ItemOutcome>,
    /// Pain before, 0-10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pain_before: Option<Score>,
    /// Pain after, 0-10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pain_after: Option<Score>,
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
    /// The latest assessment answers (with any check-in updates).
    pub answers: &'a Answers,
    /// The library.
    pub catalogue: &'a Catalogue,
    /// Muscles the journal shows knotting most.
    pub journal_knots: &'a [Muscle],
}

/// The outcome of a review.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
    /// A fresh triage, when a warning sign appeared.
    pub triage: Option<Triage>,
    /// Answers updated from the journal (what the fresh triage used).
    pub answers: Answers,
}

/// Days of steady use before progressing.
pub const PROGRESS_AFTER_DAYS: u32 = 14;
/// Share of days with a session needed to progress.
pub const PROGRESS_ADHERENCE: f64 = 0.7;
/// Rise in pain after a session that calls for a step back.
pub const STEP_BACK_RISE: u8 = 2;
/// Skips (at least half of its appearances) after which an exercise is swapped.
pub const SWAP_AFTER_SKIPS: usize = 3;

/// Warning signs the journal can show, folded into the answers.
fn answers_with_journal_signs(answers: &Answers, entries: &[Entry]) -> (Answers, Vec<String>) {
    let mut a = answers.clone();
    let mut seen = Vec::new();
    for e in entries {
        if e.pain_kinds
            .iter()
            .any(|k| matches!(k, PainKind::Numbness | PainKind::Tingling))
            && a.numbness_tingling != Some(true)
        {
            a.numbness_tingling = Some(true);
            seen.push(format!("numbness or tingling logged on {}", e.at.date()));
        }
        let leg = e.regions.iter().any(|r| r.region == Region::Leg)
            || e.knots.iter().any(|k| k.refers_to.contains(&Region::Leg));
        let arm = e.regions.iter().any(|r| r.region == Region::Arm);
        if leg
            && matches!(
                a.radiation,
                None | Some(Radiation::None | Radiation::Buttock)
            )
        {
            a.radiation = Some(Radiation::Thigh);
            seen.push(format!("pain in the leg logged on {}", e.at.date()));
        }
        if arm && matches!(a.radiation, None | Some(Radiation::None)) {
            a.radiation = Some(Radiation::Arm);
            seen.push(format!("pain in the arm logged on {}", e.at.date()));
        }
        if e.regions.iter().any(|r| r.region == Region::Chest)
            && a.radiation != Some(Radiation::Chest)
        {
            a.radiation = Some(Radiation::Chest);
            seen.push(format!("chest pain logged on {}", e.at.date()));
        }
    }
    (a, seen)
}

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

/// Reviews a plan. Pure: the caller stores any new version.
pub fn review(input: &ReviewInput) -> Review {
    let now = input.now.timestamp();
    let days =
        u32::try_from((now.as_second() - input.since.as_second()).max(0) / 86_400).unwrap_or(0);
    let session_days: BTreeSet<_> = input
        .sessions
        .iter()
        .filter(|s| s.items.iter().any(|i| i.status != ItemStatus::Skipped))
        .map(|s| s.at.date())
        .collect();
    let adherence = if days == 0 {
        0.0
    } else {
        (session_days.len() as f64 / f64::from(days)).min(1.0)
    };

    let mut changes = Vec::new();
    let breaks_taken = input
        .breaks
        .iter()
        .filter(|b| matches!(b.status, BreakStatus::Taken | BreakStatus::Away))
        .count();
    let breaks_reminded = input.breaks.iter().filter(|b| b.reminder.is_some()).count();

    // 1. Warning signs in the journal: triage again.
    let (answers, signs) = answers_with_journal_signs(input.answers, input.entries);
    let fresh = triage(&answers);
    let before = urgency_from_id(&input.plan.urgency);
    let mut retriaged = None;
    if !signs.is_empty() || fresh.urgency > before {
        let verdict = if fresh.urgency > before {
            "the check now says"
        } else {
            "the check still says"
        };
        changes.push(PlanChange {
            kind: "retriage".to_string(),
            exercise: None,
            reason: format!(
                "The journal shows {}; {verdict}: {}.",
                if signs.is_empty() {
                    "a new warning sign".to_string()
                } else {
                    signs.join(", ")
                },
                fresh.urgency.label()
            ),
        });
        retriaged = Some(fresh.clone());
        if !fresh.plan_allowed {
            return Review {
                days,
                sessions: input.sessions.len(),
                adherence,
                breaks_taken,
                breaks_reminded,
                changes,
                plan: None,
                triage: retriaged,
                answers,
            };
        }
    }

    let fit_input = PlanInput {
        answers: &answers,
        triage: &fresh,
        catalogue: input.catalogue,
        journal_knots: input.journal_knots,
    };
    let fit = Fit::new(&fit_input);
    let budget_seconds = u32::from(input.plan.budget_minutes) * 60;
    let mut routine = input.plan.routine.clone();

    // A fresh triage may have added cautions: drop what no longer fits.
    routine.retain(|i| {
        let keep = input
            .catalogue
            .exercise(&i.exercise)
            .is_some_and(|e| fit.safe(e));
        if !keep {
            changes.push(PlanChange {
                kind: "step_back".to_string(),
                exercise: Some(i.exercise.clone()),
                reason: format!(
                    "{} is left out now: it does not suit what the journal shows.",
                    i.name
                ),
            });
        }
        keep
    });

    // 2. Step back where pain rose after a session or had not settled by the next morning.
    let mut provoked: BTreeMap<String, String> = BTreeMap::new();
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
        if rose_after || not_settled {
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
    }
    let mut stepped = BTreeSet::new();
    for (id, reason) in &provoked {
        let Some(pos) = routine.iter().position(|i| &i.exercise == id) else {
            continue;
        };
        let Some(current) = input.catalogue.exercise(id) else {
            continue;
        };
        let easier = current
            .easier
            .iter()
            .filter_map(|v| input.catalogue.exercise(v))
            .find(|e| fit.safe(e) && !routine.iter().any(|i| i.exercise == e.id));
        if let Some(e) = easier {
            changes.push(PlanChange {
                kind: "step_back".to_string(),
                exercise: Some(e.id.clone()),
                reason: format!("{} replaces {}: {reason}.", e.name, current.name),
            });
            routine[pos] = item(e, e.dosage.clone(), why(e, &fit, input.plan.budget_minutes));
            stepped.insert(e.id.clone());
        } else {
            let lighter = lighten(&routine[pos].dosage);
            if lighter != routine[pos].dosage {
                changes.push(PlanChange {
                    kind: "step_back".to_string(),
                    exercise: Some(id.clone()),
                    reason: format!(
                        "Less of {} ({}): {reason}.",
                        current.name,
                        lighter.describe()
                    ),
                });
                let w = routine[pos].why.clone();
                routine[pos] = item(current, lighter, w);
            }
            stepped.insert(id.clone());
        }
    }

    // 3. Swap exercises skipped again and again.
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
    let skipped: Vec<(String, usize, usize)> = appearances
        .iter()
        .filter(|(_, (n, skips))| *skips >= SWAP_AFTER_SKIPS && *skips * 2 >= *n)
        .map(|(id, (n, skips))| ((*id).to_string(), *n, *skips))
        .collect();
    for (id, n, skips) in skipped {
        let Some(pos) = routine.iter().position(|i| i.exercise == id) else {
            continue;
        };
        let Some(current) = input.catalogue.exercise(&id) else {
            continue;
        };
        let used: u32 = routine.iter().map(|i| i.seconds).sum::<u32>() - routine[pos].seconds;
        let in_plan: BTreeSet<&str> = routine.iter().map(|i| i.exercise.as_str()).collect();
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
            changes.push(PlanChange {
                kind: "swap".to_string(),
                exercise: Some(e.id.clone()),
                reason: format!(
                    "{} replaces {}, which was skipped in {skips} of {n} sessions.",
                    e.name, current.name
                ),
            });
            routine[pos] = item(e, e.dosage.clone(), why(e, &fit, input.plan.budget_minutes));
        }
    }

    // 4. Progress after two steady weeks.
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
    let first_week = week(0, 7);
    let last_week = week(i64::from(days).saturating_sub(7), i64::from(days) + 1);
    let pain_ok = match (first_week, last_week) {
        (Some(f), Some(l)) => l <= f + 0.5,
        _ => true,
    };
    if days >= PROGRESS_AFTER_DAYS
        && adherence >= PROGRESS_ADHERENCE
        && pain_ok
        && provoked.is_empty()
        && !fresh.gentle_only
    {
        for pos in 0..routine.len() {
            let Some(current) = input.catalogue.exercise(&routine[pos].exercise) else {
                continue;
            };
            if matches!(
                current.kind,
                ExerciseKind::SelfMassage | ExerciseKind::Breathing
            ) || stepped.contains(&current.id)
            {
                continue;
            }
            let used: u32 = routine.iter().map(|i| i.seconds).sum::<u32>() - routine[pos].seconds;
            // The next step up may be one level harder than today's ceiling.
            let harder = current
                .harder
                .iter()
                .filter_map(|v| input.catalogue.exercise(v))
                .find(|e| {
                    fit.safe(e)
                        && !routine.iter().any(|i| i.exercise == e.id)
                        && used + e.dosage.total_seconds() + crate::planner::TRANSITION_SECONDS
                            <= budget_seconds
                });
            if let Some(e) = harder {
                changes.push(PlanChange {
                    kind: "progress".to_string(),
                    exercise: Some(e.id.clone()),
                    reason: format!(
                        "{} replaces {}: {days} days with sessions on {:.0}% of them and pain steady or falling.",
                        e.name,
                        current.name,
                        adherence * 100.0
                    ),
                });
                routine[pos] = item(e, e.dosage.clone(), why(e, &fit, input.plan.budget_minutes));
                continue;
            }
            let more = strengthen(&routine[pos].dosage);
            let candidate = item(current, more.clone(), routine[pos].why.clone());
            if more != routine[pos].dosage && used + candidate.seconds <= budget_seconds {
                changes.push(PlanChange {
                    kind: "progress".to_string(),
                    exercise: Some(current.id.clone()),
                    reason: format!(
                        "More of {} ({}): {days} days with sessions on {:.0}% of them and pain steady or falling.",
                        current.name,
                        more.describe(),
                        adherence * 100.0
                    ),
                });
                routine[pos] = candidate;
            }
        }
    }

    // 5. Breaks mostly skipped or ignored: remind less often rather than nag.
    let mut every_minutes = input.plan.breaks.every_minutes;
    let ignored = input
        .breaks
        .iter()
        .filter(|b| matches!(b.status, BreakStatus::Skipped | BreakStatus::Unanswered))
        .count();
    if breaks_reminded >= 5 && ignored * 2 > breaks_reminded && every_minutes < 60 {
        let longer = (every_minutes + 15).min(60);
        changes.push(PlanChange {
            kind: "breaks".to_string(),
            exercise: None,
            reason: format!(
                "{ignored} of {breaks_reminded} break reminders were skipped or went unanswered, so breaks now come every {longer} minutes instead of {every_minutes}."
            ),
        });
        every_minutes = longer;
    }

    let plan = if changes.is_empty() {
        None
    } else {
        let mut next = input.plan.clone();
        next.breaks.every_minutes = every_minutes;
        next.version += 1;
        next.urgency = fresh.urgency.id().to_string();
        next.gentle_only = fresh.gentle_only;
        next.total_seconds = routine.iter().map(|i| i.seconds).sum();
        next.routine = routine;
        next.changes = changes.clone();
        Some(next)
    };
    Review {
        days,
        sessions: input.sessions.len(),
        adherence: (adherence * 100.0).round() / 100.0,
        breaks_taken,
        breaks_reminded,
        changes,
        plan,
        triage: retriaged,
        answers,
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

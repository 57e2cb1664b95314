//! The personal plan: a daily routine chosen from the library for the person's regions, knots,
//! causes, time and equipment, with heat or cold guidance, a break schedule, habits to change
//! and a reading list.
//!
//! Pure and deterministic: the same answers, journal knots and library give the same plan.
//! Three promises hold for every plan (property tests check them): it fits the time budget, it
//! never contains an exercise whose caution tags match the person's situation, and any cold
//! advice stays within the hard limit.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::body::{Muscle, Region};
use crate::catalogue::{
    COLD_MAX_MINUTES, Catalogue, Caution, Difficulty, Dosage, Equipment, Exercise, ExerciseKind,
    HEAT_MAX_MINUTES, TherapyKind,
};
use crate::habits::{self, HabitChange};
use crate::intake::{Answers, Cause, Trauma};
use crate::triage::{Triage, Urgency};

/// Seconds allowed for getting into position between exercises.
pub const TRANSITION_SECONDS: u32 = 15;
/// Minutes a day when the person does not say.
pub const DEFAULT_MINUTES: u8 = 15;

/// One exercise in the routine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanItem {
    /// Exercise id.
    pub exercise: String,
    /// Its name.
    pub name: String,
    /// How much to do (may differ from the library's after progression or a step back).
    pub dosage: Dosage,
    /// Seconds it takes, including getting into position.
    pub seconds: u32,
    /// Why it was chosen, in one line.
    pub why: String,
}

/// Heat or cold advice fitted to the pain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeatCold {
    /// Which.
    pub therapy: TherapyKind,
    /// Minutes per session (within the hard limit).
    pub minutes: u16,
    /// The guidance situation it follows (`acute-spasm`, `chronic-stiffness`, …).
    pub situation: String,
    /// Why, in plain words.
    pub why: String,
}

/// The break schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Breaks {
    /// Minutes of sitting between breaks.
    pub every_minutes: u16,
    /// Short exercises to draw breaks from (ids), best first.
    pub micro_breaks: Vec<String>,
    /// Every this many breaks, a posture check instead.
    pub posture_check_every: u8,
}

/// What changed in a plan, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanChange {
    /// `progress`, `step_back`, `swap`, `retriage` or `new`.
    pub kind: String,
    /// The exercise concerned, if any.
    pub exercise: Option<String>,
    /// Why, in plain words.
    pub reason: String,
}

/// A plan, one version of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Plan {
    /// Version number, from 1.
    pub version: u32,
    /// The triage level it was made at.
    pub urgency: String,
    /// Whether it keeps to gentle movement until a doctor has been seen.
    pub gentle_only: bool,
    /// The time budget in minutes.
    pub budget_minutes: u8,
    /// Seconds the routine takes.
    pub total_seconds: u32,
    /// The daily routine, in order.
    pub routine: Vec<PlanItem>,
    /// Heat or cold.
    pub heat_cold: HeatCold,
    /// Breaks from sitting.
    pub breaks: Breaks,
    /// Habits to change.
    pub habits: Vec<HabitChange>,
    /// Articles to read (ids).
    pub reading: Vec<String>,
    /// Notes that must be read first.
    pub notes: Vec<String>,
    /// What changed from the previous version and why.
    pub changes: Vec<PlanChange>,
}

/// A plan version as kept: the plan and when it was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StoredPlan {
    /// When this version was made.
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = String, format = DateTime, example = "2025-03-01T09:30:00Z")
    )]
    pub created: jiff::Timestamp,
    /// The plan.
    pub plan: Plan,
}

/// No plan can be made.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PlanError {
    /// Triage says a doctor is needed first.
    #[error("no self-care plan at this level ({}): {}", .0.label(), .0.advice())]
    SeeADoctor(Urgency),
}

/// Everything the planner reads.
#[derive(Debug, Clone)]
pub struct PlanInput<'a> {
    /// The latest assessment.
    pub answers: &'a Answers,
    /// Its triage.
    pub triage: &'a Triage,
    /// The library.
    pub catalogue: &'a Catalogue,
    /// Muscles the journal shows knotting most often, most frequent first.
    pub journal_knots: &'a [Muscle],
}

/// What the person's situation rules in and out.
pub(crate) struct Fit {
    pub cautions: Vec<Caution>,
    pub equipment: Vec<Equipment>,
    pub regions: Vec<Region>,
    pub knots: Vec<Muscle>,
    pub max_difficulty: Difficulty,
    pub gentle_only: bool,
    pub causes: Vec<Cause>,
}

/// Household things almost everyone has, assumed when the person does not list equipment.
pub const HOUSEHOLD: &[Equipment] = &[
    Equipment::None,
    Equipment::Mat,
    Equipment::Wall,
    Equipment::Chair,
    Equipment::Doorway,
];

impl Fit {
    pub(crate) fn new(input: &PlanInput) -> Fit {
        let a = input.answers;
        let mut equipment = a.equipment.clone().unwrap_or_else(|| HOUSEHOLD.to_vec());
        equipment.push(Equipment::None);
        let mut knots: Vec<Muscle> = a.knots.clone().unwrap_or_default();
        for m in input.journal_knots.iter().take(3) {
            if !knots.contains(m) {
                knots.push(*m);
            }
        }
        let mut regions: Vec<Region> = a
            .regions
            .clone()
            .unwrap_or_default()
            .into_iter()
            .map(|r| r.region())
            .collect();
        for k in &knots {
            if !regions.contains(&k.region()) {
                regions.push(k.region());
            }
        }
        if regions.is_empty() {
            regions.push(Region::LowerBack);
        }
        let cautions = a.cautions();
        let gentle_only = input.triage.gentle_only;
        let max_difficulty = if gentle_only || cautions.contains(&Caution::AcuteFlare) {
            Difficulty::Gentle
        } else {
            Difficulty::Moderate
        };
        Fit {
            cautions,
            equipment,
            regions,
            knots,
            max_difficulty,
            gentle_only,
            causes: a.causes.clone().unwrap_or_default(),
        }
    }

    /// Whether the exercise is safe and possible for this person: no caution matches, the
    /// equipment is at hand, and, until a doctor has been seen, gentle movement only.
    pub(crate) fn safe(&self, e: &Exercise) -> bool {
        let gentle_ok = !self.gentle_only
            || (e.difficulty == Difficulty::Gentle
                && matches!(
                    e.kind,
                    ExerciseKind::Stretch
                        | ExerciseKind::Mobility
                        | ExerciseKind::Breathing
                        | ExerciseKind::Posture
                ));
        gentle_ok
            && !e.cautions.iter().any(|c| self.cautions.contains(c))
            && e.fits_equipment(&self.equipment)
    }

    /// Whether the exercise may be chosen for a new plan: safe, and no harder than a starting
    /// level (harder variants come later, through progression).
    pub(crate) fn allows(&self, e: &Exercise) -> bool {
        self.safe(e) && e.difficulty <= self.max_difficulty
    }

    /// How well the exercise suits the person (higher is better).
    pub(crate) fn score(&self, e: &Exercise) -> i32 {
        let mut s = 0;
        s += 3 * e
            .regions
            .iter()
            .filter(|r| self.regions.contains(r))
            .count() as i32;
        s += 4 * e.muscles.iter().filter(|m| self.knots.contains(m)).count() as i32;
        for c in &self.causes {
            let fits = match c {
                Cause::Posture => matches!(e.kind, ExerciseKind::Posture),
                Cause::ProlongedSitting => {
                    e.muscles.contains(&Muscle::Iliopsoas)
                        || matches!(e.kind, ExerciseKind::Posture)
                }
                Cause::Stress => {
                    matches!(e.kind, ExerciseKind::Breathing | ExerciseKind::SelfMassage)
                }
                Cause::Lifting | Cause::Weightlifting | Cause::Overuse | Cause::Injury => {
                    matches!(e.kind, ExerciseKind::Strengthening)
                }
                Cause::Running | Cause::Hiit => e.regions.contains(&Region::Buttocks),
                Cause::Unknown => false,
            };
            if fits {
                s += 2;
            }
        }
        s
    }
}

fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Why this exercise, in one line.
pub(crate) fn why(e: &Exercise, fit: &Fit, budget: u8) -> String {
    let knotted: Vec<String> = e
        .muscles
        .iter()
        .filter(|m| fit.knots.contains(m))
        .map(|m| m.label().to_lowercase())
        .collect();
    let regions: Vec<String> = e
        .regions
        .iter()
        .filter(|r| fit.regions.contains(r))
        .map(|r| r.label().to_lowercase())
        .collect();
    let regions = if regions.is_empty() {
        e.regions.iter().map(|r| r.label().to_lowercase()).collect()
    } else {
        regions
    };
    let what = match e.kind {
        ExerciseKind::Strengthening => {
            format!("strengthens the muscles of your {}", list(&regions))
        }
        ExerciseKind::Stretch => format!("stretches your {}", list(&regions)),
        ExerciseKind::Mobility => format!("loosens your {}", list(&regions)),
        ExerciseKind::SelfMassage => match knotted.as_slice() {
            [] => format!("eases knots in your {}", list(&regions)),
            k => format!("eases your knot in the {}", list(k)),
        },
        ExerciseKind::Posture => format!("trains how you hold your {}", list(&regions)),
        ExerciseKind::Breathing => "calms tension held in the neck and shoulders".to_string(),
    };
    let fit_note = if !knotted.is_empty() && e.kind != ExerciseKind::SelfMassage {
        format!("works on your knot in the {}", list(&knotted))
    } else {
        format!("fits your {budget} minutes")
    };
    format!("{}: {what}; {fit_note}", e.name.to_lowercase())
}

pub(crate) fn item(e: &Exercise, dosage: Dosage, why: String) -> PlanItem {
    let seconds = dosage.total_seconds() + TRANSITION_SECONDS;
    PlanItem {
        exercise: e.id.clone(),
        name: e.name.clone(),
        dosage,
        seconds,
        why,
    }
}

/// Builds version 1 of a plan, or says why none can be made.
pub fn build(input: &PlanInput) -> Result<Plan, PlanError> {
    if !input.triage.plan_allowed {
        return Err(PlanError::SeeADoctor(input.triage.urgency));
    }
    let fit = Fit::new(input);
    let budget = input
        .answers
        .minutes_per_day
        .unwrap_or(DEFAULT_MINUTES)
        .clamp(5, 60);
    let budget_seconds = u32::from(budget) * 60;

    let mut candidates: Vec<(&Exercise, i32)> = input
        .catalogue
        .exercises()
        .filter(|e| fit.allows(e))
        .map(|e| (e, fit.score(e)))
        .filter(|(_, s)| *s > 0)
        .collect();
    candidates.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.id.cmp(&b.0.id)));

    let mut chosen: Vec<&Exercise> = Vec::new();
    let mut used = 0u32;
    // Ids that may no longer be chosen: those already in, and their easier and harder variants.
    let mut blocked: BTreeSet<String> = BTreeSet::new();
    let try_add = |e: &Exercise, used: &mut u32, blocked: &mut BTreeSet<String>| {
        let cost = e.dosage.total_seconds() + TRANSITION_SECONDS;
        if *used + cost > budget_seconds || blocked.contains(&e.id) {
            return false;
        }
        *used += cost;
        blocked.extend(e.easier.iter().cloned());
        blocked.extend(e.harder.iter().cloned());
        blocked.insert(e.id.clone());
        true
    };
    // A balanced routine first: one strengthening, one stretch or mobility exercise, and
    // self-massage for up to two knots; then the best of the rest while time remains.
    let mut wanted: Vec<&Exercise> = Vec::new();
    if let Some((e, _)) = candidates
        .iter()
        .find(|(e, _)| e.kind == ExerciseKind::Strengthening)
    {
        wanted.push(e);
    }
    if let Some((e, _)) = candidates
        .iter()
        .find(|(e, _)| matches!(e.kind, ExerciseKind::Stretch | ExerciseKind::Mobility))
    {
        wanted.push(e);
    }
    for knot in fit.knots.iter().take(2) {
        if let Some((e, _)) = candidates
            .iter()
            .find(|(e, _)| e.kind == ExerciseKind::SelfMassage && e.muscles.contains(knot))
        {
            wanted.push(e);
        }
    }
    wanted.extend(candidates.iter().map(|(e, _)| *e));
    for e in wanted {
        if try_add(e, &mut used, &mut blocked) {
            chosen.push(e);
        }
    }
    // Warm up with mobility and stretches, then strengthen, then self-massage and breathing.
    let order = |k: ExerciseKind| match k {
        ExerciseKind::Mobility => 0,
        ExerciseKind::Stretch => 1,
        ExerciseKind::Posture => 2,
        ExerciseKind::Strengthening => 3,
        ExerciseKind::SelfMassage => 4,
        ExerciseKind::Breathing => 5,
    };
    chosen.sort_by_key(|e| order(e.kind));
    let routine: Vec<PlanItem> = chosen
        .iter()
        .map(|e| item(e, e.dosage.clone(), why(e, &fit, budget)))
        .collect();
    let total_seconds = routine.iter().map(|i| i.seconds).sum();

    Ok(Plan {
        version: 1,
        urgency: input.triage.urgency.id().to_string(),
        gentle_only: fit.gentle_only,
        budget_minutes: budget,
        total_seconds,
        routine,
        heat_cold: heat_cold(input),
        breaks: breaks(input, &fit),
        habits: habits::changes(input.answers, 5),
        reading: reading(input, &fit),
        notes: notes(input.triage),
        changes: vec![PlanChange {
            kind: "new".to_string(),
            exercise: None,
            reason: "First plan, made from your assessment.".to_string(),
        }],
    })
}

fn heat_cold(input: &PlanInput) -> HeatCold {
    let a = input.answers;
    let t = input.catalogue.therapies();
    let days = a.onset_days.unwrap_or(0);
    let fresh_knock = a.trauma == Some(Trauma::Minor) && days <= 3;
    let (therapy, minutes, situation) = if fresh_knock {
        (
            TherapyKind::Cold,
            t.cold.default_minutes.min(COLD_MAX_MINUTES),
            "fresh-injury-swelling",
        )
    } else if a.onset_days.is_some_and(|d| d <= 42) {
        (
            TherapyKind::Heat,
            t.heat.default_minutes.min(HEAT_MAX_MINUTES),
            "acute-spasm",
        )
    } else {
        (
            TherapyKind::Heat,
            t.heat.default_minutes.min(HEAT_MAX_MINUTES),
            "chronic-stiffness",
        )
    };
    let why = t
        .guidance
        .iter()
        .find(|g| g.situation == situation)
        .map(|g| g.advice.clone())
        .unwrap_or_default();
    HeatCold {
        therapy,
        minutes,
        situation: situation.to_string(),
        why,
    }
}

fn breaks(input: &PlanInput, fit: &Fit) -> Breaks {
    let sitting = input.answers.sitting_hours.unwrap_or(6.0);
    let every_minutes = if sitting >= 8.0 {
        30
    } else if sitting >= 5.0 {
        45
    } else {
        60
    };
    let desk_friendly = [
        Equipment::None,
        Equipment::Chair,
        Equipment::Wall,
        Equipment::Doorway,
    ];
    let mut micro: Vec<(&Exercise, i32)> = input
        .catalogue
        .exercises()
        .filter(|e| {
            matches!(
                e.kind,
                ExerciseKind::Posture
                    | ExerciseKind::Mobility
                    | ExerciseKind::Stretch
                    | ExerciseKind::Breathing
            ) && e.equipment.iter().all(|q| desk_friendly.contains(q))
                && e.dosage.total_seconds() <= 150
                && !e.cautions.iter().any(|c| fit.cautions.contains(c))
        })
        .map(|e| (e, fit.score(e)))
        .collect();
    micro.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.id.cmp(&b.0.id)));
    Breaks {
        every_minutes,
        micro_breaks: micro.iter().take(5).map(|(e, _)| e.id.clone()).collect(),
        posture_check_every: 3,
    }
}

fn reading(input: &PlanInput, fit: &Fit) -> Vec<String> {
    let a = input.answers;
    // The warning signs come first, so no limit on the list can ever drop them.
    let mut out: Vec<&str> = vec![crate::triage::HELP_PAGE_ID];
    let chronic = a.onset_days.is_some_and(|d| d > 84);
    out.push(if chronic {
        "acute-vs-chronic-back-pain"
    } else {
        "lower-back-pain"
    });
    if fit
        .regions
        .iter()
        .any(|r| matches!(r, Region::UpperBack | Region::MidBack))
    {
        out.push("upper-and-middle-back-pain");
    }
    if !fit.knots.is_empty() {
        out.push("what-are-knots");
    }
    for c in &fit.causes {
        out.push(match c {
            Cause::Posture => "posture-and-knots",
            Cause::ProlongedSitting => "sitting-driving-and-back-pain",
            Cause::Lifting => "lifting-technique",
            Cause::Weightlifting | Cause::Running | Cause::Hiit | Cause::Overuse => {
                "sport-lifting-running-and-hiit"
            }
            Cause::Stress => "stress-and-back-pain",
            Cause::Injury | Cause::Unknown => "how-long-knots-last",
        });
    }
    out.push("heat-or-cold");
    let mut seen = BTreeSet::new();
    out.into_iter()
        .filter(|id| input.catalogue.article(id).is_some() && seen.insert(*id))
        .take(6)
        .map(String::from)
        .collect()
}

fn notes(t: &Triage) -> Vec<String> {
    let mut out = Vec::new();
    match t.urgency {
        Urgency::Soon => out.push(
            "See a doctor within a week. Until then this plan keeps to gentle movement only; ask the doctor before doing more."
                .to_string(),
        ),
        Urgency::Routine => out.push(
            "Book a doctor or physiotherapist in the next two to three weeks. The plan is safe to start gently meanwhile; take it to the appointment."
                .to_string(),
        ),
        _ => {}
    }
    out.push(
        "This plan is general guidance, not a diagnosis. Stop any exercise that causes sharp pain or pain spreading down an arm or leg."
            .to_string(),
    );
    out
}

//! Red-flag triage: is self-care safe, or does this need a doctor, and how soon?
//!
//! The rules are one typed table ([`RULES`], in `triage/rules.rs`), reviewed as one piece
//! against the contract in `docs/intake.md`. The result is the highest urgency any rule
//! reaches, with every rule that fired listed as a reason. Each rule only looks for the
//! presence of a sign, so adding a sign can never lower the urgency (a property test checks
//! this). When in doubt a rule errs upwards: an under-call is the worst bug this project can
//! have.
//!
//! Answers age: [`triage_at`] triages them as they stand now, so the duration rules fire when
//! the time has passed. The "When to get help" page ([`help_page`]) is rendered from the same
//! table, so what a person reads and what the check runs cannot disagree.

mod page;
mod rules;

use jiff::Timestamp;
use serde::Serialize;

use crate::intake::Answers;

pub use page::{HELP_PAGE_ID, help_page, sources as help_page_sources};
pub use rules::{
    FRACTURE_AGE, INFLAMMATORY_DAYS, INFLAMMATORY_ONSET_AGE, PERSISTENT_DAYS, RULES, SEVERE_PAIN,
};

/// How soon to get help. Ordered: later variants are more urgent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// Self-care is reasonable.
    SelfCare,
    /// Book a doctor or physiotherapist in the next two to three weeks.
    Routine,
    /// See a doctor within a week.
    Soon,
    /// See a doctor today.
    Urgent,
    /// Call emergency services or go to the emergency department now.
    Emergency,
}

impl Urgency {
    /// What to do, in plain words.
    pub fn advice(self) -> &'static str {
        match self {
            Urgency::Emergency => {
                "Call emergency services or go to the emergency department now. Do not wait to see if it \
                 settles, and do not drive yourself if you can avoid it."
            }
            Urgency::Urgent => {
                "See a doctor today: call your GP surgery, an urgent care service or, in the UK, NHS 111 now."
            }
            Urgency::Soon => {
                "Book to see a doctor within the next week, and mention the reasons below."
            }
            Urgency::Routine => {
                "Book an appointment with a doctor or physiotherapist in the next two to three weeks. \
                 Meanwhile, gentle self-care is reasonable."
            }
            Urgency::SelfCare => {
                "Self-care is reasonable: keep moving, use the plan, and warmth if it helps. See a doctor \
                 or physiotherapist if you are not better in two to three weeks, or at once if any warning \
                 sign appears."
            }
        }
    }

    /// A short label.
    pub fn label(self) -> &'static str {
        match self {
            Urgency::Emergency => "EMERGENCY",
            Urgency::Urgent => "see a doctor today",
            Urgency::Soon => "see a doctor within a week",
            Urgency::Routine => "book a doctor or physiotherapist",
            Urgency::SelfCare => "self-care",
        }
    }

    /// The stable id used in JSON (`self_care`, `routine`, …).
    pub fn id(self) -> &'static str {
        match self {
            Urgency::Emergency => "emergency",
            Urgency::Urgent => "urgent",
            Urgency::Soon => "soon",
            Urgency::Routine => "routine",
            Urgency::SelfCare => "self_care",
        }
    }
}

/// One triage rule.
pub struct Rule {
    /// Stable code, e.g. `saddle_numbness`.
    pub code: &'static str,
    /// The urgency it raises to.
    pub urgency: Urgency,
    /// Whether the answers show this sign.
    pub applies: fn(&Answers) -> bool,
    /// The sign, as a person would notice it (the "When to get help" page lists these).
    pub sign: &'static str,
    /// What it may mean, in plain words.
    pub says: &'static str,
    /// What it rests on (source ids in `content/sources.toml`).
    pub sources: &'static [&'static str],
    /// What to do, when it differs from the level's advice (e.g. "call your maternity unit").
    pub advice: Option<&'static str>,
}

/// One rule that fired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reason {
    /// The rule's code.
    pub code: &'static str,
    /// The urgency that rule reaches.
    pub urgency: Urgency,
    /// What it means.
    pub says: &'static str,
    /// Sources.
    pub sources: &'static [&'static str],
}

/// The triage result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Triage {
    /// The highest urgency any rule reached.
    pub urgency: Urgency,
    /// What to do.
    pub advice: &'static str,
    /// Every rule that fired, most urgent first.
    pub reasons: Vec<Reason>,
    /// When to come back if all is well.
    pub come_back: &'static str,
    /// Whether a self-care plan may be made (not at `urgent` or `emergency`).
    pub plan_allowed: bool,
    /// Whether a plan must stay gentle until a doctor has been seen (`soon`).
    pub gentle_only: bool,
}

/// When to come back, whatever the result.
pub const COME_BACK: &str = "Come back to this check if you are not better in two to three weeks, or at once if a \
     warning sign appears: numbness between the legs, new bladder or bowel trouble, symptoms in both legs, leg \
     weakness that is getting worse, fever, chest pain, or any other sign on the list in 'When to get help'.";

/// Triages answers given at `assessed_at` as they stand at `now` (see [`Answers::as_of`]): the
/// days since onset have grown, so "more than six weeks" fires once six weeks have passed. The
/// caller passes the time of the assessment that gave `onset_days` (the intake) and the
/// current time, at every check-in, review and Today.
pub fn triage_at(answers: &Answers, assessed_at: Timestamp, now: Timestamp) -> Triage {
    triage(&answers.as_of(assessed_at, now))
}

/// Runs every rule over the answers exactly as given (no aging; see [`triage_at`]).
pub fn triage(answers: &Answers) -> Triage {
    let reasons: Vec<Reason> = RULES
        .iter()
        .filter(|r| (r.applies)(answers))
        .map(|r| Reason {
            code: r.code,
            urgency: r.urgency,
            says: r.says,
            sources: r.sources,
        })
        .collect();
    let urgency = reasons
        .iter()
        .map(|r| r.urgency)
        .max()
        .unwrap_or(Urgency::SelfCare);
    let advice = RULES
        .iter()
        .filter(|r| r.urgency == urgency && (r.applies)(answers))
        .find_map(|r| r.advice)
        .unwrap_or(urgency.advice());
    Triage {
        urgency,
        advice,
        reasons,
        come_back: COME_BACK,
        plan_allowed: urgency <= Urgency::Soon,
        gentle_only: urgency == Urgency::Soon,
    }
}

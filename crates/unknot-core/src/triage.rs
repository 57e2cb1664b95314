//! Red-flag triage: is self-care safe, or does this need a doctor, and how soon?
//!
//! The rules are one typed table ([`RULES`]), reviewed as one piece against the contract in
//! `docs/intake.md`. The result is the highest urgency any rule reaches, with every rule that
//! fired listed as a reason. Each rule only looks for the presence of a sign, so adding a sign
//! can never lower the urgency (a property test checks this). When in doubt a rule errs
//! upwards: an under-call is the worst bug this project can have.

use serde::Serialize;

use crate::intake::{Answers, LegWeakness, Radiation, Trauma};

/// How soon to get help. Ordered: later variants are more urgent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
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
                "See a doctor today: call your GP surgery or an urgent care service now."
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
    /// What it means, in plain words.
    pub says: &'static str,
    /// What it rests on (source ids in `content/sources.toml`).
    pub sources: &'static [&'static str],
}

fn yes(flag: Option<bool>) -> bool {
    flag == Some(true)
}

fn leg_symptoms(a: &Answers) -> bool {
    yes(a.both_legs)
        || yes(a.numbness_tingling)
        || matches!(a.radiation, Some(Radiation::BelowKnee | Radiation::Thigh))
}

const RED_FLAGS: &[&str] = &["nice-ng59", "finucane-2020", "verhagen-2016"];

/// Every rule, most urgent first.
pub const RULES: &[Rule] = &[
    Rule {
        code: "saddle_numbness",
        urgency: Urgency::Emergency,
        applies: |a| yes(a.saddle_numbness),
        says: "Numbness between the legs or around the bottom can mean pressure on the nerves at the base of the spine (cauda equina syndrome), which needs treatment within hours.",
        sources: RED_FLAGS,
    },
    Rule {
        code: "bladder_bowel_change",
        urgency: Urgency::Emergency,
        applies: |a| yes(a.bladder_bowel_change),
        says: "A new change in bladder or bowel control with back pain can mean pressure on the nerves at the base of the spine.",
        sources: RED_FLAGS,
    },
    Rule {
        code: "leg_weakness_worsening",
        urgency: Urgency::Emergency,
        applies: |a| a.leg_weakness == Some(LegWeakness::Worsening),
        says: "Leg weakness that is getting worse means a nerve is under increasing pressure.",
        sources: RED_FLAGS,
    },
    Rule {
        code: "chest_pain_or_breathless",
        urgency: Urgency::Emergency,
        applies: |a| yes(a.chest_pain_or_breathless),
        says: "Chest pain or breathlessness with back pain can come from the heart, the main artery or the lungs.",
        sources: &["finucane-2020", "cks-low-back-pain"],
    },
    Rule {
        code: "pain_spreads_to_chest",
        urgency: Urgency::Emergency,
        applies: |a| a.radiation == Some(Radiation::Chest),
        says: "Pain that spreads from the back into the chest is chest pain, and can come from the heart or the main artery.",
        sources: &["finucane-2020", "cks-low-back-pain"],
    },
    Rule {
        code: "major_trauma",
        urgency: Urgency::Emergency,
        applies: |a| a.trauma == Some(Trauma::Major),
        says: "Back pain after a major injury, such as a fall from a height or a road accident, needs checking for a fracture.",
        sources: RED_FLAGS,
    },
    Rule {
        code: "sexual_change_with_leg_symptoms",
        urgency: Urgency::Emergency,
        applies: |a| yes(a.sexual_function_change) && leg_symptoms(a),
        says: "A new change in sexual function together with leg symptoms can mean pressure on the nerves at the base of the spine.",
        sources: RED_FLAGS,
    },
    Rule {
        code: "fever",
        urgency: Urgency::Urgent,
        applies: |a| yes(a.fever),
        says: "Fever or chills with back pain can be a sign of infection in or near the spine.",
        sources: RED_FLAGS,
    },
    Rule {
        code: "immunosuppressed_or_iv_drug_use",
        urgency: Urgency::Urgent,
        applies: |a| yes(a.immunosuppressed_or_iv_drug_use),
        says: "A weakened immune system or injected drug use raises the risk of a spinal infection.",
        sources: RED_FLAGS,
    },
    Rule {
        code: "leg_weakness_stable",
        urgency: Urgency::Urgent,
        applies: |a| a.leg_weakness == Some(LegWeakness::Stable),
        says: "Weakness in a leg means a nerve is affected and should be examined today.",
        sources: RED_FLAGS,
    },
    Rule {
        code: "both_legs",
        urgency: Urgency::Urgent,
        applies: |a| yes(a.both_legs),
        says: "Symptoms in both legs can mean pressure on more than one nerve root.",
        sources: RED_FLAGS,
    },
    Rule {
        code: "sexual_function_change",
        urgency: Urgency::Urgent,
        applies: |a| yes(a.sexual_function_change),
        says: "A new change in sexual function with back pain should be checked by a doctor today.",
        sources: RED_FLAGS,
    },
    Rule {
        code: "cancer_history",
        urgency: Urgency::Soon,
        applies: |a| yes(a.cancer_history),
        says: "After cancer, new back pain should be checked, because cancer can spread to the spine.",
        sources: &["nice-ng234", "finucane-2020"],
    },
    Rule {
        code: "unexplained_weight_loss",
        urgency: Urgency::Soon,
        applies: |a| yes(a.unexplained_weight_loss),
        says: "Losing weight without trying, with back pain, should be checked by a doctor.",
        sources: &["finucane-2020", "verhagen-2016"],
    },
    Rule {
        code: "night_pain",
        urgency: Urgency::Soon,
        applies: |a| yes(a.night_pain),
        says: "Constant pain at night that rest does not ease is unlike ordinary back pain and should be checked.",
        sources: &["finucane-2020", "nice-ng234"],
    },
    Rule {
        code: "minor_trauma_fragile_bones",
        urgency: Urgency::Soon,
        applies: |a| {
            a.trauma == Some(Trauma::Minor)
                && (yes(a.osteoporosis_or_steroids) || a.age.is_some_and(|age| age >= 70))
        },
        says: "With osteoporosis, long-term steroids or age 70 and over, even a minor fall or strain can fracture a vertebra; an X-ray may be needed.",
        sources: &["finucane-2020", "cks-osteoporosis"],
    },
    Rule {
        code: "pain_over_six_weeks",
        urgency: Urgency::Routine,
        applies: |a| a.onset_days.is_some_and(|d| d > 42),
        says: "Pain that has lasted more than six weeks deserves a professional assessment.",
        sources: &["nice-ng59", "cks-low-back-pain"],
    },
    Rule {
        code: "worsening_despite_self_care",
        urgency: Urgency::Routine,
        applies: |a| yes(a.worsening_despite_self_care),
        says: "Pain that is getting worse despite self-care should be assessed.",
        sources: &["nice-ng59", "cks-low-back-pain"],
    },
    Rule {
        code: "limits_daily_activities",
        urgency: Urgency::Routine,
        applies: |a| yes(a.limits_daily_activities),
        says: "Pain that stops you doing daily activities deserves a professional's help to get you going again.",
        sources: &["nice-ng59"],
    },
    Rule {
        code: "pain_below_knee_or_into_arm",
        urgency: Urgency::Routine,
        applies: |a| matches!(a.radiation, Some(Radiation::BelowKnee | Radiation::Arm)),
        says: "Pain that travels below the knee or into the arm can come from an irritated nerve root and should be examined.",
        sources: &["nice-ng59", "jospt-neck-2017"],
    },
    Rule {
        code: "numbness_tingling",
        urgency: Urgency::Routine,
        applies: |a| yes(a.numbness_tingling),
        says: "Numbness or tingling points to a nerve and should be examined.",
        sources: &["nice-ng59"],
    },
    Rule {
        code: "minor_trauma",
        urgency: Urgency::Routine,
        applies: |a| a.trauma == Some(Trauma::Minor),
        says: "Pain that started with a fall or knock is worth having checked.",
        sources: &["finucane-2020"],
    },
];

/// One rule that fired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
     warning sign appears: numbness between the legs, new bladder or bowel trouble, leg weakness that is getting \
     worse, fever, or chest pain.";

/// Runs every rule over the answers.
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
    Triage {
        urgency,
        advice: urgency.advice(),
        reasons,
        come_back: COME_BACK,
        plan_allowed: urgency <= Urgency::Soon,
        gentle_only: urgency == Urgency::Soon,
    }
}

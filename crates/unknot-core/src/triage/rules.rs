//! The rule table itself: every red flag, the urgency it raises to, what a person would notice,
//! what it may mean, and what it rests on.
//!
//! Kept apart from the triage machinery so the table reads as one piece when a clinician reviews
//! it against `docs/intake.md`. Every predicate tests only for the presence of signs (never their
//! absence), so adding a sign can never lower the urgency. The one predicate that reads a
//! number that can go either way (the inflammatory pattern's age at onset) sits at `routine`
//! and always comes with more than three months of pain, which `pain_over_six_weeks` already
//! grades `routine`, so it can add a reason but never move the level.

use super::{Rule, Urgency};
use crate::intake::{Answers, IntakeRegion, LegWeakness, Onset, Radiation, Trauma};

fn yes(flag: Option<bool>) -> bool {
    flag == Some(true)
}

/// Any sign that a nerve or the spinal cord is affected: numbness or tingling, pain spreading
/// into a thigh, below a knee or into an arm, leg weakness of any kind, symptoms in both legs,
/// clumsy hands or trouble walking, or the cauda equina signs.
pub(crate) fn nerve_symptoms(a: &Answers) -> bool {
    yes(a.numbness_tingling)
        || yes(a.both_legs)
        || yes(a.hand_clumsiness_or_unsteady_walking)
        || yes(a.saddle_numbness)
        || yes(a.bladder_bowel_change)
        || matches!(
            a.radiation,
            Some(Radiation::Thigh | Radiation::BelowKnee | Radiation::Arm)
        )
        || matches!(
            a.leg_weakness,
            Some(LegWeakness::Stable | LegWeakness::Worsening)
        )
}

fn fragile_bones(a: &Answers) -> bool {
    yes(a.osteoporosis_or_steroids) || a.age.is_some_and(|age| age >= FRACTURE_AGE)
}

/// From this age a small strain or a fall from standing can break a vertebra.
pub const FRACTURE_AGE: u8 = 65;
/// Days of pain after which a professional should assess it (six weeks).
pub const PERSISTENT_DAYS: u32 = 42;
/// Days of pain for the inflammatory pattern (three months).
pub const INFLAMMATORY_DAYS: u32 = 90;
/// The inflammatory pattern counts when the pain began before this age.
pub const INFLAMMATORY_ONSET_AGE: u32 = 45;
/// A pain rating from which pain counts as severe.
pub const SEVERE_PAIN: u8 = 7;

/// Two or more of the three features of inflammatory back pain, with more than three months
/// of pain that began before 45 (an unknown age counts as possibly before 45).
fn inflammatory_pattern(a: &Answers) -> bool {
    let features = [
        a.morning_stiffness_over_30_min,
        a.better_with_movement_not_rest,
        a.wakes_second_half_of_night,
    ]
    .into_iter()
    .filter(|f| yes(*f))
    .count();
    let long = a.onset_days.filter(|d| *d > INFLAMMATORY_DAYS);
    let young_at_onset = match (a.age, long) {
        (Some(age), Some(days)) => u32::from(age) * 365 < INFLAMMATORY_ONSET_AGE * 365 + days,
        _ => true,
    };
    features >= 2 && long.is_some() && young_at_onset
}

fn upper_or_middle_back(a: &Answers) -> bool {
    a.regions.as_ref().is_some_and(|r| {
        r.iter()
            .any(|r| matches!(r, IntakeRegion::UpperBack | IntakeRegion::MidBack))
    })
}

const RED_FLAGS: &[&str] = &["nice-ng59", "finucane-2020", "verhagen-2016"];
const CAUDA_EQUINA: &[&str] = &["girft-ces-2023", "nhs-back-pain", "finucane-2020"];
const SPINE_CANCER: &[&str] = &["nice-ng234", "finucane-2020"];
const INFECTION: &[&str] = &["nhs-back-pain", "finucane-2020", "nice-ng59"];
const NECK: &[&str] = &["ifompt-cervical-2023", "jospt-neck-2017"];

/// Every rule, most urgent first.
pub const RULES: &[Rule] = &[
    // Emergency: call emergency services or go to the emergency department now.
    Rule {
        code: "saddle_numbness",
        urgency: Urgency::Emergency,
        applies: |a| yes(a.saddle_numbness),
        sign: "Numbness, tingling or an odd feeling between your legs or around your bottom",
        says: "This can mean the nerves at the base of the spine are being squeezed (cauda equina syndrome). Treated within hours, lasting damage to bladder, bowel and sexual function can often be prevented.",
        sources: CAUDA_EQUINA,
        advice: None,
    },
    Rule {
        code: "bladder_bowel_change",
        urgency: Urgency::Emergency,
        applies: |a| yes(a.bladder_bowel_change),
        sign: "New trouble passing urine, not knowing when you need to go, or leaking urine or stools",
        says: "A new change in bladder or bowel control with back pain can mean the nerves at the base of the spine are being squeezed (cauda equina syndrome).",
        sources: CAUDA_EQUINA,
        advice: None,
    },
    Rule {
        code: "sexual_function_change",
        urgency: Urgency::Emergency,
        applies: |a| yes(a.sexual_function_change),
        sign: "New numbness of the genitals, or new trouble getting or keeping an erection",
        says: "On its own, with back pain, this can be an early sign that the nerves at the base of the spine are being squeezed (cauda equina syndrome).",
        sources: CAUDA_EQUINA,
        advice: None,
    },
    Rule {
        code: "both_legs",
        urgency: Urgency::Emergency,
        applies: |a| yes(a.both_legs),
        sign: "New pain, numbness, tingling or weakness in both legs",
        says: "Nerve symptoms in both legs at once can mean pressure on the bundle of nerves at the base of the spine (suspected cauda equina syndrome).",
        sources: CAUDA_EQUINA,
        advice: None,
    },
    Rule {
        code: "leg_weakness_worsening",
        urgency: Urgency::Emergency,
        applies: |a| a.leg_weakness == Some(LegWeakness::Worsening),
        sign: "Weakness in a leg or foot that is getting worse",
        says: "Weakness that is spreading or deepening means a nerve is under increasing pressure, and waiting can make the damage last.",
        sources: RED_FLAGS,
        advice: None,
    },
    Rule {
        code: "cancer_with_nerve_symptoms",
        urgency: Urgency::Emergency,
        applies: |a| yes(a.cancer_history) && nerve_symptoms(a),
        sign: "Any cancer, now or in the past, together with numbness or tingling, pain spreading into a leg or arm, weakness, symptoms in both legs, or trouble walking",
        says: "After cancer, back pain with nerve symptoms can mean the cancer has reached the spine and is pressing on the spinal cord or nerves. Say that you have had cancer: the hospital's spinal cord compression team needs to know at once.",
        sources: SPINE_CANCER,
        advice: None,
    },
    Rule {
        code: "chest_pain_or_breathless",
        urgency: Urgency::Emergency,
        applies: |a| yes(a.chest_pain_or_breathless),
        sign: "Chest pain, or being short of breath",
        says: "With back pain these can come from the heart, the main artery or the lungs.",
        sources: &["finucane-2020", "cks-low-back-pain", "nhs-back-pain"],
        advice: None,
    },
    Rule {
        code: "pain_spreads_to_chest",
        urgency: Urgency::Emergency,
        applies: |a| a.radiation == Some(Radiation::Chest),
        sign: "Pain that spreads from the back round into the chest",
        says: "Pain felt in the chest counts as chest pain, and can come from the heart or the main artery.",
        sources: &["finucane-2020", "cks-low-back-pain"],
        advice: None,
    },
    Rule {
        code: "pain_with_sweating_or_sickness",
        urgency: Urgency::Emergency,
        applies: |a| yes(a.pain_with_sweating_or_sickness),
        sign: "Pain in the back, neck, jaw or arm with sweating, feeling sick, light-headedness or breathlessness",
        says: "A heart attack does not always hurt in the chest: it can show as pain in these places with these signs.",
        sources: &["nhs-heart-attack"],
        advice: None,
    },
    Rule {
        code: "sudden_tearing_pain_or_faint",
        urgency: Urgency::Emergency,
        applies: |a| yes(a.sudden_tearing_pain_or_faint),
        sign: "Sudden, severe, tearing pain in the back or belly, or feeling faint or collapsing",
        says: "This can be a tear or leak in the body's main artery (an aortic aneurysm or dissection).",
        sources: &["nice-ng156"],
        advice: None,
    },
    Rule {
        code: "dizziness_double_vision_or_speech",
        urgency: Urgency::Emergency,
        applies: |a| yes(a.dizziness_double_vision_or_speech),
        sign: "Sudden neck pain with dizziness, double vision, slurred speech or trouble swallowing",
        says: "Together these can mean a tear in an artery in the neck, which can lead to a stroke.",
        sources: NECK,
        advice: None,
    },
    Rule {
        code: "major_trauma",
        urgency: Urgency::Emergency,
        applies: |a| a.trauma == Some(Trauma::Major),
        sign: "Back pain after a major injury: a road accident, or a fall from a height or down stairs",
        says: "A major injury can break a bone in the spine, and it needs checking before you move about more.",
        sources: RED_FLAGS,
        advice: None,
    },
    // Urgent: see a doctor today.
    Rule {
        code: "fever_and_very_unwell",
        urgency: Urgency::Urgent,
        applies: |a| yes(a.fever) && yes(a.feeling_very_unwell),
        sign: "A high temperature together with feeling very unwell",
        says: "Together these can mean a serious infection, in the spine or spreading in the blood (sepsis). Get seen today; if you get worse quickly, become confused or very drowsy, call emergency services.",
        sources: INFECTION,
        advice: None,
    },
    Rule {
        code: "fever",
        urgency: Urgency::Urgent,
        applies: |a| yes(a.fever),
        sign: "A high temperature, or feeling hot and shivery",
        says: "Fever with back pain can be a sign of an infection in or near the spine.",
        sources: INFECTION,
        advice: None,
    },
    Rule {
        code: "feeling_very_unwell",
        urgency: Urgency::Urgent,
        applies: |a| yes(a.feeling_very_unwell),
        sign: "Feeling very unwell, more than the back pain explains",
        says: "Back pain with feeling very unwell can come from an infection or an illness elsewhere in the body, and should be checked today.",
        sources: INFECTION,
        advice: None,
    },
    Rule {
        code: "immune_or_drug_use_and_unwell",
        urgency: Urgency::Urgent,
        applies: |a| {
            yes(a.immunosuppressed_or_iv_drug_use)
                && (yes(a.fever)
                    || yes(a.feeling_very_unwell)
                    || yes(a.night_pain)
                    || a.pain_now.is_some_and(|p| p.get() >= SEVERE_PAIN))
        },
        sign: "A weakened immune system or injected drug use, with fever, feeling very unwell, or severe pain that does not let up",
        says: "With these, a spinal infection is a real possibility and needs checking today.",
        sources: INFECTION,
        advice: None,
    },
    Rule {
        code: "recent_procedure_and_unwell",
        urgency: Urgency::Urgent,
        applies: |a| yes(a.recent_spinal_procedure) && (yes(a.fever) || yes(a.feeling_very_unwell)),
        sign: "Spinal surgery or a spinal injection in the past three months, with fever or feeling very unwell",
        says: "This can be an infection where the operation or injection was done. Contact the team that treated you, or a doctor, today.",
        sources: INFECTION,
        advice: None,
    },
    Rule {
        code: "cancer_with_warning_pain",
        urgency: Urgency::Urgent,
        applies: |a| {
            yes(a.cancer_history)
                && (upper_or_middle_back(a)
                    || yes(a.night_pain)
                    || yes(a.worsening_despite_self_care))
        },
        sign: "Any cancer, now or in the past, with pain in the upper or middle back, pain at night, or pain that keeps getting worse",
        says: "After cancer, pain like this can mean the cancer has spread to the spine, and it should be checked within a day.",
        sources: SPINE_CANCER,
        advice: None,
    },
    Rule {
        code: "cancer_and_weak_immunity",
        urgency: Urgency::Urgent,
        applies: |a| yes(a.cancer_history) && yes(a.immunosuppressed_or_iv_drug_use),
        sign: "Cancer together with a weakened immune system (for example during treatment)",
        says: "During cancer treatment new back pain can come from the cancer or from an infection, and both need checking today.",
        sources: &["nice-ng234", "finucane-2020", "nhs-back-pain"],
        advice: None,
    },
    Rule {
        code: "unexplained_weight_loss",
        urgency: Urgency::Urgent,
        applies: |a| yes(a.unexplained_weight_loss),
        sign: "Losing weight without trying",
        says: "Back pain with weight loss you cannot explain should be checked by a doctor straight away, to rule out causes such as cancer or infection.",
        sources: &["nhs-back-pain", "finucane-2020", "verhagen-2016"],
        advice: None,
    },
    Rule {
        code: "night_pain",
        urgency: Urgency::Urgent,
        applies: |a| yes(a.night_pain),
        sign: "Pain that is there all night and is not eased by rest or changing position",
        says: "Ordinary back pain usually eases with rest or a change of position; pain that does not should be checked by a doctor straight away.",
        sources: &["nhs-back-pain", "finucane-2020", "nice-ng234"],
        advice: None,
    },
    Rule {
        code: "lump_or_swelling",
        urgency: Urgency::Urgent,
        applies: |a| yes(a.lump_or_swelling),
        sign: "A new lump or swelling on the back, or a change in the back's shape",
        says: "A new lump, swelling or change of shape with back pain should be examined by a doctor straight away.",
        sources: &["nhs-back-pain"],
        advice: None,
    },
    Rule {
        code: "leg_weakness_stable",
        urgency: Urgency::Urgent,
        applies: |a| a.leg_weakness == Some(LegWeakness::Stable),
        sign: "Weakness in a leg or foot, even if it is not getting worse",
        says: "Weakness means a nerve is affected; it should be examined today.",
        sources: RED_FLAGS,
        advice: None,
    },
    Rule {
        code: "hand_clumsiness_or_unsteady_walking",
        urgency: Urgency::Urgent,
        applies: |a| yes(a.hand_clumsiness_or_unsteady_walking),
        sign: "Hands that have become clumsy, or walking that has become unsteady",
        says: "With neck or back pain, these can mean pressure on the spinal cord itself (myelopathy), which needs a doctor's examination today.",
        sources: &["jospt-neck-2017", "ifompt-cervical-2023", "finucane-2020"],
        advice: None,
    },
    Rule {
        code: "pregnant_with_warning_signs",
        urgency: Urgency::Urgent,
        applies: |a| yes(a.pregnant_with_warning_signs),
        sign: "Back pain in pregnancy with bleeding, leaking fluid, regular tightening or cramping, or a fever",
        says: "In pregnancy, back pain with these signs can mean labour has started early, or an infection; the maternity team is the right place to be seen.",
        sources: &["nhs-pregnancy-back-pain"],
        advice: Some(
            "Call your maternity unit or midwife now. If you cannot reach them, see a doctor today (in the UK, call 111); if you are bleeding heavily or feel faint, call emergency services.",
        ),
    },
    // Soon: see a doctor within a week.
    Rule {
        code: "cancer_history",
        urgency: Urgency::Soon,
        applies: |a| yes(a.cancer_history),
        sign: "Any cancer, now or in the past",
        says: "After cancer, new back pain should be checked by a doctor, because cancer can spread to the spine.",
        sources: SPINE_CANCER,
        advice: None,
    },
    Rule {
        code: "immunosuppressed_or_iv_drug_use",
        urgency: Urgency::Soon,
        applies: |a| yes(a.immunosuppressed_or_iv_drug_use),
        sign: "A weakened immune system (for example from medicines such as methotrexate, biologics or steroid tablets), or injected drug use",
        says: "These raise the risk of a spinal infection, so new back pain is worth a doctor's check; gentle movement is fine meanwhile. Fever, feeling very unwell or severe pain make it urgent.",
        sources: INFECTION,
        advice: None,
    },
    Rule {
        code: "recent_spinal_procedure",
        urgency: Urgency::Soon,
        applies: |a| yes(a.recent_spinal_procedure),
        sign: "Spinal surgery or a spinal injection in the past three months",
        says: "New or changed pain after a recent procedure should be checked by the team that treated you or a doctor.",
        sources: &["finucane-2020", "nice-ng59"],
        advice: None,
    },
    Rule {
        code: "minor_trauma_fragile_bones",
        urgency: Urgency::Soon,
        applies: |a| a.trauma == Some(Trauma::Minor) && fragile_bones(a),
        sign: "A minor fall or knock with osteoporosis, long-term steroid tablets, or age 65 or over",
        says: "When bones are thinner, even a small fall can break a bone in the spine; an X-ray may be needed.",
        sources: &["finucane-2020", "cks-osteoporosis"],
        advice: None,
    },
    Rule {
        code: "sudden_onset_fragile_bones",
        urgency: Urgency::Soon,
        applies: |a| a.onset == Some(Onset::Sudden) && fragile_bones(a),
        sign: "Pain that came on suddenly (after a cough, a sneeze or a lift, say) with osteoporosis, long-term steroid tablets, or age 65 or over",
        says: "With thinner bones a vertebra can break without a fall; a doctor may want an X-ray.",
        sources: &["finucane-2020", "cks-osteoporosis"],
        advice: None,
    },
    // Routine: book a doctor or physiotherapist.
    Rule {
        code: "pain_over_six_weeks",
        urgency: Urgency::Routine,
        applies: |a| a.onset_days.is_some_and(|d| d > PERSISTENT_DAYS),
        sign: "Pain that has lasted more than six weeks",
        says: "Pain that has lasted more than six weeks deserves a professional assessment.",
        sources: &["nice-ng59", "cks-low-back-pain"],
        advice: None,
    },
    Rule {
        code: "worsening_despite_self_care",
        urgency: Urgency::Routine,
        applies: |a| yes(a.worsening_despite_self_care),
        sign: "Pain that keeps getting worse despite looking after it",
        says: "Pain that is getting worse despite self-care should be assessed.",
        sources: &["nice-ng59", "cks-low-back-pain"],
        advice: None,
    },
    Rule {
        code: "limits_daily_activities",
        urgency: Urgency::Routine,
        applies: |a| yes(a.limits_daily_activities),
        sign: "Pain that stops you doing everyday things",
        says: "A professional can help you get going again when pain stops daily activities.",
        sources: &["nice-ng59"],
        advice: None,
    },
    Rule {
        code: "pain_below_knee_or_into_arm",
        urgency: Urgency::Routine,
        applies: |a| matches!(a.radiation, Some(Radiation::BelowKnee | Radiation::Arm)),
        sign: "Pain that travels down a leg below the knee, or down an arm",
        says: "Pain that travels this far can come from an irritated nerve root and should be examined.",
        sources: &["nice-ng59", "jospt-neck-2017"],
        advice: None,
    },
    Rule {
        code: "numbness_tingling",
        urgency: Urgency::Routine,
        applies: |a| yes(a.numbness_tingling),
        sign: "Numbness, or pins and needles",
        says: "Numbness or tingling points to a nerve and should be examined.",
        sources: &["nice-ng59"],
        advice: None,
    },
    Rule {
        code: "minor_trauma",
        urgency: Urgency::Routine,
        applies: |a| a.trauma == Some(Trauma::Minor),
        sign: "Pain that started with a slip, a bump or a fall from standing",
        says: "Pain that began with a fall or a knock is worth having checked.",
        sources: &["finucane-2020"],
        advice: None,
    },
    Rule {
        code: "inflammatory_back_pain",
        urgency: Urgency::Routine,
        applies: inflammatory_pattern,
        sign: "Pain for more than three months that began before 45, with two of: morning stiffness over half an hour, easing with movement but not rest, waking in the second half of the night",
        says: "This pattern can come from inflammation of the spine's joints (axial spondyloarthritis), which has its own treatment and is often recognised late; a rheumatologist can confirm it.",
        sources: &["nice-ng65"],
        advice: Some(
            "Book an appointment with your GP in the next two to three weeks and ask whether this could be inflammatory back pain (axial spondyloarthritis). Meanwhile, gentle self-care is reasonable.",
        ),
    },
];

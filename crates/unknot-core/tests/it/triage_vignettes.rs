//! Forty-odd people, described as intake answers, and the urgency each must get. Written to
//! the contract in docs/intake.md. Clean cases must stay `self_care`; every red flag, alone and
//! in combination, must reach at least its level.

use unknot_core::intake::Answers;
use unknot_core::triage::{Urgency, triage};

use Urgency::*;

/// (description, answers as JSON, expected urgency, codes that must be among the reasons)
const VIGNETTES: &[(&str, &str, Urgency, &[&str])] = &[
    // Clean cases: self-care.
    (
        "desk worker, two days of stiffness",
        r#"{"age": 34, "regions": ["lower_back"], "pain_now": 4, "onset_days": 2, "onset": "gradual", "causes": ["prolonged_sitting"], "radiation": "none"}"#,
        SelfCare,
        &[],
    ),
    (
        "knot between shoulder blades",
        r#"{"age": 28, "regions": ["upper_back"], "pain_now": 3, "onset_days": 10, "knots": ["rhomboids"]}"#,
        SelfCare,
        &[],
    ),
    (
        "gym soreness after deadlifts",
        r#"{"age": 41, "regions": ["lower_back"], "pain_now": 5, "onset_days": 1, "onset": "sudden", "causes": ["weightlifting"]}"#,
        SelfCare,
        &[],
    ),
    (
        "pain into the buttock only",
        r#"{"age": 52, "regions": ["lower_back", "buttocks"], "pain_now": 5, "onset_days": 14, "radiation": "buttock"}"#,
        SelfCare,
        &[],
    ),
    (
        "stress neck and shoulders",
        r#"{"age": 30, "regions": ["neck", "shoulders"], "pain_now": 4, "causes": ["stress"]}"#,
        SelfCare,
        &[],
    ),
    ("empty answers", r#"{}"#, SelfCare, &[]),
    (
        "every flag answered no",
        r#"{"age": 45, "both_legs": false, "numbness_tingling": false, "leg_weakness": "none", "saddle_numbness": false, "bladder_bowel_change": false, "sexual_function_change": false, "fever": false, "unexplained_weight_loss": false, "cancer_history": false, "trauma": "none", "osteoporosis_or_steroids": false, "night_pain": false, "immunosuppressed_or_iv_drug_use": false, "chest_pain_or_breathless": false, "worsening_despite_self_care": false, "limits_daily_activities": false, "onset_days": 20}"#,
        SelfCare,
        &[],
    ),
    (
        "osteoporosis without any fall",
        r#"{"age": 66, "osteoporosis_or_steroids": true, "trauma": "none", "onset_days": 5}"#,
        SelfCare,
        &[],
    ),
    (
        "age 75, no injury",
        r#"{"age": 75, "pain_now": 4, "onset_days": 12}"#,
        SelfCare,
        &[],
    ),
    (
        "runner, pain into thigh",
        r#"{"age": 29, "causes": ["running"], "radiation": "thigh", "onset_days": 4}"#,
        SelfCare,
        &[],
    ),
    (
        "exactly six weeks",
        r#"{"onset_days": 42, "pain_now": 3}"#,
        SelfCare,
        &[],
    ),
    // Routine.
    (
        "seven weeks of pain",
        r#"{"onset_days": 49, "pain_now": 4}"#,
        Routine,
        &["pain_over_six_weeks"],
    ),
    (
        "worse despite self-care",
        r#"{"worsening_despite_self_care": true}"#,
        Routine,
        &["worsening_despite_self_care"],
    ),
    (
        "cannot do daily activities",
        r#"{"limits_daily_activities": true}"#,
        Routine,
        &["limits_daily_activities"],
    ),
    (
        "sciatica below the knee",
        r#"{"radiation": "below_knee", "onset_days": 10}"#,
        Routine,
        &["pain_below_knee_or_into_arm"],
    ),
    (
        "neck pain into the arm",
        r#"{"regions": ["neck"], "radiation": "arm"}"#,
        Routine,
        &["pain_below_knee_or_into_arm"],
    ),
    (
        "tingling in the foot",
        r#"{"numbness_tingling": true}"#,
        Routine,
        &["numbness_tingling"],
    ),
    (
        "slipped on ice, young and healthy",
        r#"{"age": 35, "trauma": "minor"}"#,
        Routine,
        &["minor_trauma"],
    ),
    (
        "chronic pain that limits work",
        r#"{"onset_days": 400, "limits_daily_activities": true, "worsening_despite_self_care": true}"#,
        Routine,
        &[
            "pain_over_six_weeks",
            "limits_daily_activities",
            "worsening_despite_self_care",
        ],
    ),
    // Soon.
    (
        "past breast cancer, new back pain",
        r#"{"age": 58, "cancer_history": true, "onset_days": 20}"#,
        Soon,
        &["cancer_history"],
    ),
    (
        "weight loss without trying",
        r#"{"unexplained_weight_loss": true}"#,
        Soon,
        &["unexplained_weight_loss"],
    ),
    (
        "constant night pain",
        r#"{"night_pain": true, "onset_days": 30}"#,
        Soon,
        &["night_pain"],
    ),
    (
        "minor fall with osteoporosis",
        r#"{"age": 64, "trauma": "minor", "osteoporosis_or_steroids": true}"#,
        Soon,
        &["minor_trauma_fragile_bones", "minor_trauma"],
    ),
    (
        "minor fall at 70",
        r#"{"age": 70, "trauma": "minor"}"#,
        Soon,
        &["minor_trauma_fragile_bones"],
    ),
    (
        "minor fall at 82 with long-term steroids",
        r#"{"age": 82, "trauma": "minor", "osteoporosis_or_steroids": true}"#,
        Soon,
        &["minor_trauma_fragile_bones"],
    ),
    (
        "cancer history and numbness",
        r#"{"cancer_history": true, "numbness_tingling": true}"#,
        Soon,
        &["cancer_history", "numbness_tingling"],
    ),
    // Urgent.
    (
        "fever and back pain",
        r#"{"fever": true, "pain_now": 7}"#,
        Urgent,
        &["fever"],
    ),
    (
        "injects drugs",
        r#"{"immunosuppressed_or_iv_drug_use": true}"#,
        Urgent,
        &["immunosuppressed_or_iv_drug_use"],
    ),
    (
        "on chemotherapy with new pain and fever",
        r#"{"immunosuppressed_or_iv_drug_use": true, "fever": true, "cancer_history": true}"#,
        Urgent,
        &["fever", "cancer_history"],
    ),
    (
        "weak but not worsening leg",
        r#"{"leg_weakness": "stable"}"#,
        Urgent,
        &["leg_weakness_stable"],
    ),
    (
        "symptoms in both legs",
        r#"{"both_legs": true}"#,
        Urgent,
        &["both_legs"],
    ),
    (
        "change in sexual function alone",
        r#"{"sexual_function_change": true}"#,
        Urgent,
        &["sexual_function_change"],
    ),
    (
        "sexual change with pain only into the buttock",
        r#"{"sexual_function_change": true, "radiation": "buttock"}"#,
        Urgent,
        &["sexual_function_change"],
    ),
    // Emergency.
    (
        "saddle numbness",
        r#"{"saddle_numbness": true}"#,
        Emergency,
        &["saddle_numbness"],
    ),
    (
        "cannot pass urine",
        r#"{"bladder_bowel_change": true, "pain_now": 8}"#,
        Emergency,
        &["bladder_bowel_change"],
    ),
    (
        "foot drop getting worse",
        r#"{"leg_weakness": "worsening", "radiation": "below_knee"}"#,
        Emergency,
        &["leg_weakness_worsening", "pain_below_knee_or_into_arm"],
    ),
    (
        "upper back pain and breathless",
        r#"{"regions": ["upper_back"], "chest_pain_or_breathless": true}"#,
        Emergency,
        &["chest_pain_or_breathless"],
    ),
    (
        "tearing pain into the chest",
        r#"{"regions": ["mid_back"], "radiation": "chest", "onset": "sudden"}"#,
        Emergency,
        &["pain_spreads_to_chest"],
    ),
    (
        "road accident",
        r#"{"trauma": "major"}"#,
        Emergency,
        &["major_trauma"],
    ),
    (
        "sexual change with both legs",
        r#"{"sexual_function_change": true, "both_legs": true}"#,
        Emergency,
        &["sexual_change_with_leg_symptoms", "both_legs"],
    ),
    (
        "sexual change with numbness",
        r#"{"sexual_function_change": true, "numbness_tingling": true}"#,
        Emergency,
        &["sexual_change_with_leg_symptoms"],
    ),
    (
        "sexual change with pain into the thigh",
        r#"{"sexual_function_change": true, "radiation": "thigh"}"#,
        Emergency,
        &["sexual_change_with_leg_symptoms"],
    ),
    (
        "sexual change with pain below the knee",
        r#"{"sexual_function_change": true, "radiation": "below_knee"}"#,
        Emergency,
        &["sexual_change_with_leg_symptoms"],
    ),
    (
        "saddle numbness hidden among mild answers",
        r#"{"age": 30, "pain_now": 2, "onset_days": 3, "causes": ["posture"], "saddle_numbness": true, "limits_daily_activities": false}"#,
        Emergency,
        &["saddle_numbness"],
    ),
    (
        "everything at once",
        r#"{"age": 80, "saddle_numbness": true, "bladder_bowel_change": true, "fever": true, "cancer_history": true, "trauma": "major", "onset_days": 100, "numbness_tingling": true}"#,
        Emergency,
        &[
            "saddle_numbness",
            "bladder_bowel_change",
            "major_trauma",
            "fever",
            "cancer_history",
            "pain_over_six_weeks",
        ],
    ),
    (
        "major trauma with osteoporosis",
        r#"{"trauma": "major", "osteoporosis_or_steroids": true, "age": 72}"#,
        Emergency,
        &["major_trauma"],
    ),
];

#[test]
fn every_vignette_gets_its_urgency_and_reasons() {
    assert!(VIGNETTES.len() >= 40);
    let mut wrong = Vec::new();
    for (who, json, want, codes) in VIGNETTES {
        let answers = Answers::from_json(json).unwrap_or_else(|e| panic!("{who}: {e}"));
        let t = triage(&answers);
        let got: Vec<&str> = t.reasons.iter().map(|r| r.code).collect();
        if t.urgency != *want || !codes.iter().all(|c| got.contains(c)) {
            wrong.push(format!(
                "{who}: wanted {want:?} with {codes:?}, got {:?} with {got:?}",
                t.urgency
            ));
        }
        // Every reason carries plain words and at least one source.
        assert!(
            t.reasons
                .iter()
                .all(|r| !r.says.is_empty() && !r.sources.is_empty())
        );
        assert_eq!(t.plan_allowed, t.urgency <= Soon, "{who}");
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn self_care_always_says_when_to_come_back() {
    let t = triage(&Answers::default());
    assert_eq!(t.urgency, SelfCare);
    assert!(t.come_back.contains("two to three weeks"));
    assert!(t.advice.contains("two to three weeks"));
}

#[test]
fn every_rule_cites_sources_that_exist() {
    let catalogue = unknot_core::catalogue::Catalogue::builtin().unwrap();
    for rule in unknot_core::triage::RULES {
        for s in rule.sources {
            assert!(
                catalogue.source(s).is_some(),
                "rule {} cites unknown source {s}",
                rule.code
            );
        }
    }
}

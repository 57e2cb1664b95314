//! People described as intake answers, and the urgency each must get. Written to the contract
//! in docs/intake.md (NHS back-pain guidance, the GIRFT suspected cauda equina pathway, NICE
//! NG234, NG65 and NG156): every rule alone, the combinations the issue names, near misses
//! that must stay lower, and clean cases that must stay `self_care`. A test below checks that
//! every rule in the table is exercised by at least one case.

use unknot_core::intake::Answers;
use unknot_core::triage::{RULES, Urgency, triage};

use Urgency::*;

/// (who, answers as JSON, expected urgency, codes that must be among the reasons)
type Vignette = (&'static str, &'static str, Urgency, &'static [&'static str]);

const CLEAN: &[Vignette] = &[
    (
        "desk worker, two days of stiffness",
        r#"{"age": 34, "regions": ["lower_back"], "pain_now": 4, "onset_days": 2, "onset": "gradual", "causes": ["prolonged_sitting"], "radiation": "none"}"#,
        SelfCare,
        &[],
    ),
    (
        "knot between the shoulder blades",
        r#"{"age": 28, "regions": ["upper_back"], "pain_now": 3, "onset_days": 10, "knots": ["rhomboids"]}"#,
        SelfCare,
        &[],
    ),
    (
        "gym soreness after deadlifts, sudden, aged 41",
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
        r#"{"age": 45, "both_legs": false, "numbness_tingling": false, "leg_weakness": "none", "saddle_numbness": false, "bladder_bowel_change": false, "sexual_function_change": false, "fever": false, "unexplained_weight_loss": false, "cancer_history": false, "trauma": "none", "osteoporosis_or_steroids": false, "night_pain": false, "immunosuppressed_or_iv_drug_use": false, "chest_pain_or_breathless": false, "worsening_despite_self_care": false, "limits_daily_activities": false, "feeling_very_unwell": false, "sudden_tearing_pain_or_faint": false, "pain_with_sweating_or_sickness": false, "lump_or_swelling": false, "recent_spinal_procedure": false, "morning_stiffness_over_30_min": false, "better_with_movement_not_rest": false, "wakes_second_half_of_night": false, "hand_clumsiness_or_unsteady_walking": false, "dizziness_double_vision_or_speech": false, "pregnant_with_warning_signs": false, "on_blood_thinners_or_bleeding_disorder": false, "onset_days": 20}"#,
        SelfCare,
        &[],
    ),
    (
        "osteoporosis, gradual onset, no fall",
        r#"{"age": 66, "osteoporosis_or_steroids": true, "trauma": "none", "onset": "gradual", "onset_days": 5}"#,
        SelfCare,
        &[],
    ),
    (
        "age 75, gradual, no injury",
        r#"{"age": 75, "pain_now": 4, "onset_days": 12, "onset": "gradual"}"#,
        SelfCare,
        &[],
    ),
    (
        "runner, pain into the thigh",
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
    (
        "on blood thinners, nothing else",
        r#"{"age": 70, "on_blood_thinners_or_bleeding_disorder": true, "onset_days": 3, "onset": "gradual"}"#,
        SelfCare,
        &[],
    ),
    (
        "one inflammatory feature only, for a year",
        r#"{"age": 30, "onset_days": 20, "morning_stiffness_over_30_min": true}"#,
        SelfCare,
        &[],
    ),
    (
        "two inflammatory features but only three weeks of pain",
        r#"{"age": 30, "onset_days": 21, "morning_stiffness_over_30_min": true, "better_with_movement_not_rest": true}"#,
        SelfCare,
        &[],
    ),
    (
        "high pain score alone",
        r#"{"age": 38, "pain_now": 9, "pain_worst": 10, "onset_days": 2}"#,
        SelfCare,
        &[],
    ),
    (
        "stiff mornings with a new knot in the neck",
        r#"{"age": 50, "regions": ["neck"], "onset_days": 6, "knots": ["levator-scapulae"], "morning_stiffness_over_30_min": true}"#,
        SelfCare,
        &[],
    ),
];

const ROUTINE: &[Vignette] = &[
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
        "tingling in one foot",
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
    (
        "inflammatory pattern: 28, a year of pain, stiff mornings, better moving",
        r#"{"age": 28, "onset_days": 365, "morning_stiffness_over_30_min": true, "better_with_movement_not_rest": true}"#,
        Routine,
        &["inflammatory_back_pain", "pain_over_six_weeks"],
    ),
    (
        "inflammatory pattern: all three features, four months, aged 40",
        r#"{"age": 40, "onset_days": 120, "morning_stiffness_over_30_min": true, "better_with_movement_not_rest": true, "wakes_second_half_of_night": true}"#,
        Routine,
        &["inflammatory_back_pain"],
    ),
    (
        "inflammatory pattern: waking at night and stiff, age not given",
        r#"{"onset_days": 200, "morning_stiffness_over_30_min": true, "wakes_second_half_of_night": true}"#,
        Routine,
        &["inflammatory_back_pain"],
    ),
    (
        "inflammatory features but pain began at 60: no spondyloarthritis reason",
        r#"{"age": 62, "onset_days": 400, "morning_stiffness_over_30_min": true, "better_with_movement_not_rest": true}"#,
        Routine,
        &["pain_over_six_weeks"],
    ),
    (
        "minor fall at 40 with tingling",
        r#"{"age": 40, "trauma": "minor", "numbness_tingling": true}"#,
        Routine,
        &["minor_trauma", "numbness_tingling"],
    ),
    (
        "sudden onset at 64 without thin bones",
        r#"{"age": 64, "onset": "sudden", "onset_days": 60}"#,
        Routine,
        &["pain_over_six_weeks"],
    ),
];

const SOON: &[Vignette] = &[
    (
        "past breast cancer, new low back pain",
        r#"{"age": 58, "cancer_history": true, "regions": ["lower_back"], "onset_days": 20}"#,
        Soon,
        &["cancer_history"],
    ),
    (
        "minor fall with osteoporosis",
        r#"{"age": 60, "trauma": "minor", "osteoporosis_or_steroids": true}"#,
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
        "minor fall at 65",
        r#"{"age": 65, "trauma": "minor"}"#,
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
        "sudden pain after a sneeze with osteoporosis, no fall",
        r#"{"age": 58, "onset": "sudden", "osteoporosis_or_steroids": true, "trauma": "none", "onset_days": 2}"#,
        Soon,
        &["sudden_onset_fragile_bones"],
    ),
    (
        "sudden pain lifting shopping at 72, no fall",
        r#"{"age": 72, "onset": "sudden", "causes": ["lifting"], "onset_days": 1}"#,
        Soon,
        &["sudden_onset_fragile_bones"],
    ),
    (
        "on steroid tablets for asthma, pain after a cough",
        r#"{"age": 45, "onset": "sudden", "osteoporosis_or_steroids": true}"#,
        Soon,
        &["sudden_onset_fragile_bones"],
    ),
    (
        "on methotrexate, ordinary back pain",
        r#"{"age": 44, "immunosuppressed_or_iv_drug_use": true, "pain_now": 4, "onset_days": 5}"#,
        Soon,
        &["immunosuppressed_or_iv_drug_use"],
    ),
    (
        "injects drugs, no fever, moderate pain",
        r#"{"age": 33, "immunosuppressed_or_iv_drug_use": true, "pain_now": 5}"#,
        Soon,
        &["immunosuppressed_or_iv_drug_use"],
    ),
    (
        "lumbar injection six weeks ago, settled then back",
        r#"{"age": 55, "recent_spinal_procedure": true, "onset_days": 10}"#,
        Soon,
        &["recent_spinal_procedure"],
    ),
    (
        "cancer history with pain only into the buttock",
        r#"{"cancer_history": true, "radiation": "buttock"}"#,
        Soon,
        &["cancer_history"],
    ),
];

const URGENT: &[Vignette] = &[
    (
        "fever and back pain",
        r#"{"fever": true, "pain_now": 7}"#,
        Urgent,
        &["fever"],
    ),
    (
        "fever and feeling very unwell",
        r#"{"fever": true, "feeling_very_unwell": true}"#,
        Urgent,
        &["fever_and_very_unwell", "fever", "feeling_very_unwell"],
    ),
    (
        "feeling very unwell alone",
        r#"{"feeling_very_unwell": true}"#,
        Urgent,
        &["feeling_very_unwell"],
    ),
    (
        "weight loss without trying",
        r#"{"unexplained_weight_loss": true}"#,
        Urgent,
        &["unexplained_weight_loss"],
    ),
    (
        "night pain that does not ease",
        r#"{"night_pain": true, "onset_days": 30}"#,
        Urgent,
        &["night_pain"],
    ),
    (
        "new lump on the back",
        r#"{"lump_or_swelling": true}"#,
        Urgent,
        &["lump_or_swelling"],
    ),
    (
        "weak but not worsening leg",
        r#"{"leg_weakness": "stable"}"#,
        Urgent,
        &["leg_weakness_stable"],
    ),
    (
        "clumsy hands and neck pain",
        r#"{"regions": ["neck"], "hand_clumsiness_or_unsteady_walking": true}"#,
        Urgent,
        &["hand_clumsiness_or_unsteady_walking"],
    ),
    (
        "unsteady walking, arm tingling, age 67",
        r#"{"age": 67, "regions": ["neck"], "hand_clumsiness_or_unsteady_walking": true, "radiation": "arm", "numbness_tingling": true}"#,
        Urgent,
        &[
            "hand_clumsiness_or_unsteady_walking",
            "pain_below_knee_or_into_arm",
        ],
    ),
    (
        "pregnant with bleeding and back pain",
        r#"{"age": 31, "pregnant_with_warning_signs": true, "regions": ["lower_back"]}"#,
        Urgent,
        &["pregnant_with_warning_signs"],
    ),
    (
        "cancer history with middle back pain",
        r#"{"age": 62, "cancer_history": true, "regions": ["mid_back"]}"#,
        Urgent,
        &["cancer_with_warning_pain", "cancer_history"],
    ),
    (
        "cancer history with pain between the shoulder blades",
        r#"{"cancer_history": true, "regions": ["upper_back"]}"#,
        Urgent,
        &["cancer_with_warning_pain"],
    ),
    (
        "cancer history with night pain",
        r#"{"cancer_history": true, "night_pain": true, "regions": ["lower_back"]}"#,
        Urgent,
        &["cancer_with_warning_pain", "night_pain"],
    ),
    (
        "cancer history with pain getting worse",
        r#"{"cancer_history": true, "worsening_despite_self_care": true}"#,
        Urgent,
        &["cancer_with_warning_pain"],
    ),
    (
        "on chemotherapy now",
        r#"{"cancer_history": true, "immunosuppressed_or_iv_drug_use": true}"#,
        Urgent,
        &["cancer_and_weak_immunity"],
    ),
    (
        "biologics and a fever",
        r#"{"immunosuppressed_or_iv_drug_use": true, "fever": true}"#,
        Urgent,
        &["immune_or_drug_use_and_unwell", "fever"],
    ),
    (
        "injects drugs and feels very unwell",
        r#"{"immunosuppressed_or_iv_drug_use": true, "feeling_very_unwell": true}"#,
        Urgent,
        &["immune_or_drug_use_and_unwell"],
    ),
    (
        "injects drugs, severe pain, no fever",
        r#"{"immunosuppressed_or_iv_drug_use": true, "pain_now": 8}"#,
        Urgent,
        &["immune_or_drug_use_and_unwell"],
    ),
    (
        "transplant medicines and constant night pain",
        r#"{"immunosuppressed_or_iv_drug_use": true, "night_pain": true}"#,
        Urgent,
        &["immune_or_drug_use_and_unwell", "night_pain"],
    ),
    (
        "spinal surgery last month and a fever",
        r#"{"recent_spinal_procedure": true, "fever": true}"#,
        Urgent,
        &["recent_procedure_and_unwell"],
    ),
    (
        "spinal injection and feeling very unwell",
        r#"{"recent_spinal_procedure": true, "feeling_very_unwell": true}"#,
        Urgent,
        &["recent_procedure_and_unwell"],
    ),
    (
        "on chemotherapy with fever",
        r#"{"immunosuppressed_or_iv_drug_use": true, "fever": true, "cancer_history": true}"#,
        Urgent,
        &[
            "fever",
            "cancer_and_weak_immunity",
            "immune_or_drug_use_and_unwell",
        ],
    ),
    (
        "weight loss and night pain at 70",
        r#"{"age": 70, "unexplained_weight_loss": true, "night_pain": true}"#,
        Urgent,
        &["unexplained_weight_loss", "night_pain"],
    ),
    (
        "fever hidden among routine answers",
        r#"{"onset_days": 90, "limits_daily_activities": true, "fever": true}"#,
        Urgent,
        &["fever", "pain_over_six_weeks"],
    ),
    (
        "pregnant with contractions and a fever",
        r#"{"pregnant_with_warning_signs": true, "fever": true}"#,
        Urgent,
        &["pregnant_with_warning_signs", "fever"],
    ),
];

const EMERGENCY: &[Vignette] = &[
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
        "leaking stools, new",
        r#"{"bladder_bowel_change": true, "regions": ["lower_back"]}"#,
        Emergency,
        &["bladder_bowel_change"],
    ),
    (
        "new trouble getting an erection, nothing else",
        r#"{"sexual_function_change": true}"#,
        Emergency,
        &["sexual_function_change"],
    ),
    (
        "numb genitals with pain only into the buttock",
        r#"{"sexual_function_change": true, "radiation": "buttock"}"#,
        Emergency,
        &["sexual_function_change"],
    ),
    (
        "new tingling in both legs",
        r#"{"both_legs": true}"#,
        Emergency,
        &["both_legs"],
    ),
    (
        "both legs weak, young lifter",
        r#"{"age": 27, "both_legs": true, "causes": ["weightlifting"], "onset_days": 1}"#,
        Emergency,
        &["both_legs"],
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
        "pain into the chest",
        r#"{"regions": ["mid_back"], "radiation": "chest", "onset": "sudden"}"#,
        Emergency,
        &["pain_spreads_to_chest"],
    ),
    (
        "tearing back pain and feeling faint",
        r#"{"age": 71, "sudden_tearing_pain_or_faint": true, "regions": ["lower_back"]}"#,
        Emergency,
        &["sudden_tearing_pain_or_faint"],
    ),
    (
        "collapsed with back pain",
        r#"{"sudden_tearing_pain_or_faint": true}"#,
        Emergency,
        &["sudden_tearing_pain_or_faint"],
    ),
    (
        "jaw and upper back pain with sweating, no chest pain",
        r#"{"age": 58, "regions": ["upper_back"], "pain_with_sweating_or_sickness": true, "chest_pain_or_breathless": false}"#,
        Emergency,
        &["pain_with_sweating_or_sickness"],
    ),
    (
        "arm pain with sickness and light-headedness",
        r#"{"radiation": "arm", "pain_with_sweating_or_sickness": true}"#,
        Emergency,
        &["pain_with_sweating_or_sickness"],
    ),
    (
        "sudden neck pain with double vision",
        r#"{"regions": ["neck"], "dizziness_double_vision_or_speech": true, "onset": "sudden"}"#,
        Emergency,
        &["dizziness_double_vision_or_speech"],
    ),
    (
        "road accident",
        r#"{"trauma": "major"}"#,
        Emergency,
        &["major_trauma"],
    ),
    (
        "cancer history with numbness",
        r#"{"cancer_history": true, "numbness_tingling": true}"#,
        Emergency,
        &["cancer_with_nerve_symptoms", "cancer_history"],
    ),
    (
        "cancer history with pain below the knee",
        r#"{"cancer_history": true, "radiation": "below_knee"}"#,
        Emergency,
        &["cancer_with_nerve_symptoms"],
    ),
    (
        "cancer history with pain into the thigh",
        r#"{"cancer_history": true, "radiation": "thigh"}"#,
        Emergency,
        &["cancer_with_nerve_symptoms"],
    ),
    (
        "cancer history with a weak leg that is not changing",
        r#"{"cancer_history": true, "leg_weakness": "stable"}"#,
        Emergency,
        &["cancer_with_nerve_symptoms", "leg_weakness_stable"],
    ),
    (
        "cancer history with trouble walking",
        r#"{"cancer_history": true, "hand_clumsiness_or_unsteady_walking": true}"#,
        Emergency,
        &["cancer_with_nerve_symptoms"],
    ),
    (
        "cancer history with symptoms in both legs",
        r#"{"cancer_history": true, "both_legs": true}"#,
        Emergency,
        &["cancer_with_nerve_symptoms", "both_legs"],
    ),
    (
        "cancer history with arm pain from the neck",
        r#"{"cancer_history": true, "regions": ["neck"], "radiation": "arm"}"#,
        Emergency,
        &["cancer_with_nerve_symptoms"],
    ),
    (
        "prostate cancer years ago, thoracic pain and tingling feet",
        r#"{"age": 74, "cancer_history": true, "regions": ["mid_back"], "numbness_tingling": true, "onset_days": 14}"#,
        Emergency,
        &["cancer_with_nerve_symptoms", "cancer_with_warning_pain"],
    ),
    (
        "sexual change with both legs",
        r#"{"sexual_function_change": true, "both_legs": true}"#,
        Emergency,
        &["sexual_function_change", "both_legs"],
    ),
    (
        "sexual change with numbness",
        r#"{"sexual_function_change": true, "numbness_tingling": true}"#,
        Emergency,
        &["sexual_function_change", "numbness_tingling"],
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
            "cancer_with_nerve_symptoms",
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
    (
        "pregnant with warning signs and saddle numbness",
        r#"{"pregnant_with_warning_signs": true, "saddle_numbness": true}"#,
        Emergency,
        &["saddle_numbness", "pregnant_with_warning_signs"],
    ),
    (
        "immune suppressed with both legs affected",
        r#"{"immunosuppressed_or_iv_drug_use": true, "both_legs": true, "fever": true}"#,
        Emergency,
        &["both_legs", "immune_or_drug_use_and_unwell"],
    ),
];

fn all() -> impl Iterator<Item = &'static Vignette> {
    [CLEAN, ROUTINE, SOON, URGENT, EMERGENCY]
        .into_iter()
        .flatten()
}

#[test]
fn every_vignette_gets_its_urgency_and_reasons() {
    assert!(all().count() >= 90, "only {} vignettes", all().count());
    let mut wrong = Vec::new();
    for (who, json, want, codes) in all() {
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
        assert_eq!(t.gentle_only, t.urgency == Soon, "{who}");
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn clean_cases_have_no_reasons_at_all() {
    for (who, json, _, _) in CLEAN {
        let t = triage(&Answers::from_json(json).unwrap());
        assert!(t.reasons.is_empty(), "{who}: {:?}", t.reasons);
    }
}

#[test]
fn every_rule_is_exercised_by_a_vignette() {
    let expected: Vec<&str> = all()
        .flat_map(|(_, _, _, codes)| codes.iter().copied())
        .collect();
    for rule in RULES {
        assert!(
            expected.contains(&rule.code),
            "no vignette expects rule {}",
            rule.code
        );
    }
}

#[test]
fn each_rule_alone_reaches_its_own_level() {
    // Walk every vignette: whenever a rule fires, the result is at least that rule's level.
    for (who, json, _, _) in all() {
        let t = triage(&Answers::from_json(json).unwrap());
        for r in &t.reasons {
            assert!(t.urgency >= r.urgency, "{who}: {}", r.code);
        }
    }
}

#[test]
fn immune_suppression_alone_no_longer_withholds_the_plan() {
    let t = triage(&Answers::from_json(r#"{"immunosuppressed_or_iv_drug_use": true}"#).unwrap());
    assert_eq!(t.urgency, Soon);
    assert!(t.plan_allowed && t.gentle_only);
}

#[test]
fn special_advice_names_where_to_go() {
    let t = triage(&Answers::from_json(r#"{"pregnant_with_warning_signs": true}"#).unwrap());
    assert!(t.advice.contains("maternity unit"), "{}", t.advice);
    let t = triage(
        &Answers::from_json(
            r#"{"age": 30, "onset_days": 200, "morning_stiffness_over_30_min": true, "wakes_second_half_of_night": true}"#,
        )
        .unwrap(),
    );
    assert!(t.advice.contains("inflammatory back pain"), "{}", t.advice);
    // A more urgent sign takes over the advice.
    let t = triage(
        &Answers::from_json(r#"{"pregnant_with_warning_signs": true, "saddle_numbness": true}"#)
            .unwrap(),
    );
    assert_eq!(t.advice, Emergency.advice());
    // Fever with feeling very unwell says why it stays urgent.
    let t = triage(&Answers::from_json(r#"{"fever": true, "feeling_very_unwell": true}"#).unwrap());
    let why = t
        .reasons
        .iter()
        .find(|r| r.code == "fever_and_very_unwell")
        .unwrap();
    assert!(why.says.contains("sepsis"));
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
    for rule in RULES {
        assert!(
            !rule.sign.is_empty() && !rule.says.is_empty(),
            "{}",
            rule.code
        );
        for s in rule.sources {
            assert!(
                catalogue.source(s).is_some(),
                "rule {} cites unknown source {s}",
                rule.code
            );
        }
    }
}

#[test]
fn rule_codes_are_unique() {
    let mut codes: Vec<&str> = RULES.iter().map(|r| r.code).collect();
    codes.sort_unstable();
    let n = codes.len();
    codes.dedup();
    assert_eq!(codes.len(), n);
}

//! One question table for every edge: each answers field has exactly one question, each
//! question fills a real field, and the weekly check-in asks every warning sign again.

use std::collections::BTreeSet;

use serde_json::Value;
use unknot_core::intake::Answers;
use unknot_core::intake::questions::{
    Kind, NONE_OF_THESE, QUESTIONS, Question, Stage, checkin, question, stage,
};
use unknot_core::triage::{Urgency, triage};

/// Fields that deliberately have no question of their own, and why.
const NO_QUESTION: &[(&str, &str)] = &[(
    "habits",
    "a container: each of its fields has its own question (habits.*)",
)];

/// Every field path of the answers contract, from the JSON shape of empty answers.
fn answer_fields() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let top = serde_json::to_value(Answers::default()).unwrap();
    for k in top.as_object().unwrap().keys() {
        out.insert(k.clone());
    }
    let habits = serde_json::to_value(unknot_core::intake::Habits::default()).unwrap();
    for k in habits.as_object().unwrap().keys() {
        out.insert(format!("habits.{k}"));
    }
    out
}

/// A value each kind of question accepts.
fn sample(q: &Question) -> String {
    match q.kind {
        Kind::YesNo => "yes".into(),
        Kind::One(_) | Kind::Many(_) => q.choices().last().unwrap().value.to_string(),
        Kind::Whole { min, .. } => min.max(1).to_string(),
        Kind::Hours => "2.5".into(),
        Kind::Rating => "4".into(),
        Kind::Activities => "gardening=4".into(),
        Kind::Texts => "play with my children".into(),
    }
}

fn value_at<'v>(root: &'v Value, field: &str) -> Option<&'v Value> {
    field
        .split('.')
        .try_fold(root, |v, k| v.get(k))
        .filter(|v| !v.is_null())
}

#[test]
fn every_field_has_exactly_one_question_and_every_question_a_field() {
    let fields = answer_fields();
    let mut asked = BTreeSet::new();
    for q in QUESTIONS {
        assert!(asked.insert(q.field), "{} is asked twice", q.field);
        assert!(
            fields.contains(q.field),
            "{} is not an answers field",
            q.field
        );
        assert!(!q.ask.trim().is_empty(), "{} has no wording", q.field);
    }
    for f in &fields {
        let deliberate = NO_QUESTION.iter().any(|(n, _)| n == f);
        assert!(
            asked.contains(f.as_str()) || deliberate,
            "answers field {f} has no question"
        );
    }
}

#[test]
fn each_question_round_trips_through_the_pairs_reader() {
    for q in QUESTIONS {
        let value = sample(q);
        let answers = Answers::from_pairs([(q.field, value.as_str())])
            .unwrap_or_else(|e| panic!("{}: {e}", q.field));
        let json = serde_json::to_value(&answers).unwrap();
        assert!(
            value_at(&json, q.field).is_some(),
            "{} = {value} did not reach the answers",
            q.field
        );
        // And only that field.
        let set = json
            .as_object()
            .unwrap()
            .values()
            .filter(|v| !v.is_null())
            .count();
        assert_eq!(set, 1, "{} set other fields too", q.field);
    }
}

#[test]
fn every_choice_is_a_value_the_contract_accepts() {
    for q in QUESTIONS {
        for c in q.choices() {
            Answers::from_pairs([(q.field, c.value)])
                .unwrap_or_else(|e| panic!("{} = {}: {e}", q.field, c.value));
            assert!(!c.label.is_empty());
        }
    }
}

#[test]
fn the_check_in_asks_every_warning_sign_again() {
    let again: BTreeSet<&str> = checkin().map(|q| q.field).collect();
    for q in stage(Stage::WarningSigns) {
        assert!(again.contains(q.field), "check-in skips {}", q.field);
    }
    for f in [
        "unexplained_weight_loss",
        "night_pain",
        "cancer_history",
        "pain_now",
        "peg_pain",
        "psfs",
    ] {
        assert!(again.contains(f), "check-in skips {f}");
    }
    // Every red-flag field that a triage rule reads is a warning sign or re-asked at check-in.
    for f in [
        "feeling_very_unwell",
        "sudden_tearing_pain_or_faint",
        "pain_with_sweating_or_sickness",
        "lump_or_swelling",
        "recent_spinal_procedure",
        "hand_clumsiness_or_unsteady_walking",
        "dizziness_double_vision_or_speech",
        "pregnant_with_warning_signs",
        "worsening_despite_self_care",
        "radiation",
    ] {
        assert!(again.contains(f), "check-in skips {f}");
    }
}

#[test]
fn the_warning_signs_come_first() {
    let first_other = QUESTIONS
        .iter()
        .position(|q| q.stage != Stage::WarningSigns)
        .unwrap();
    assert!(
        QUESTIONS[first_other..]
            .iter()
            .all(|q| q.stage != Stage::WarningSigns)
    );
    let order: Vec<Stage> = QUESTIONS.iter().map(|q| q.stage).collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted, "stages are asked in order");
}

#[test]
fn an_empty_safety_stage_is_not_a_clean_result() {
    let empty = Answers::from_pairs([]).unwrap();
    assert!(!empty.warning_signs_answered());
    assert!(
        empty
            .unanswered_warning_signs()
            .contains(&"saddle_numbness")
    );
    let partly = Answers::from_pairs([("fever", "no")]).unwrap();
    assert!(!partly.warning_signs_answered());
    let none = Answers::from_pairs([(NONE_OF_THESE, "yes")]).unwrap();
    assert!(none.warning_signs_answered());
    assert_eq!(none.saddle_numbness, Some(false));
    assert_eq!(triage(&none).urgency, Urgency::SelfCare);
    // "None of these" never overrides a sign that was ticked.
    let ticked = Answers::from_pairs([("saddle_numbness", "yes"), (NONE_OF_THESE, "yes")]).unwrap();
    assert!(ticked.warning_signs_answered());
    assert_eq!(triage(&ticked).urgency, Urgency::Emergency);
    let weak =
        Answers::from_pairs([(NONE_OF_THESE, "yes"), ("leg_weakness", "worsening")]).unwrap();
    assert_eq!(triage(&weak).urgency, Urgency::Emergency);
}

#[test]
fn a_yes_is_never_lost_to_a_hidden_no() {
    // A web form sends a hidden "no" before a ticked box's "yes".
    let a = Answers::from_pairs([("fever", "no"), ("fever", "yes")]).unwrap();
    assert_eq!(a.fever, Some(true));
    let a = Answers::from_pairs([("fever", "yes"), ("fever", "no")]).unwrap();
    assert_eq!(a.fever, Some(true));
}

#[test]
fn lists_and_activities_read_as_people_send_them() {
    let a = Answers::from_pairs([
        ("regions", "neck"),
        ("regions", "upper-back, lower_back"),
        ("psfs", "gardening=4"),
        ("psfs", "picking up my son = 7"),
        ("goals", "run again"),
        ("goals", ""),
        ("habits.phone_hours", "3"),
        ("age", ""),
    ])
    .unwrap();
    assert_eq!(a.regions.as_ref().map(Vec::len), Some(3));
    let psfs = a.psfs.unwrap();
    assert_eq!(psfs[1].activity, "picking up my son");
    assert_eq!(psfs[1].score.get(), 7);
    assert_eq!(a.goals, Some(vec!["run again".to_string()]));
    assert_eq!(a.habits.unwrap().phone_hours, Some(3.0));
    assert_eq!(a.age, None);
}

#[test]
fn errors_name_the_field() {
    for (pairs, field) in [
        (vec![("age", "9")], "age"),
        (vec![("pain_now", "11")], "pain_now"),
        (vec![("fever", "maybe")], "fever"),
        (vec![("radiation", "foot")], "radiation"),
        (vec![("regions", "elbow")], "regions"),
        (vec![("psfs", "gardening")], "psfs"),
        (vec![("habits.driving_hours", "30")], "habits.driving_hours"),
        (vec![("onset_days", "3"), ("onset_days", "4")], "onset_days"),
        (vec![("pain_today", "3")], "pain_today"),
    ] {
        let err = Answers::from_pairs(pairs).unwrap_err().to_string();
        assert!(err.contains(field), "{field}: {err}");
    }
    let err = Answers::from_pairs([("sadle_numbness", "yes")])
        .unwrap_err()
        .to_string();
    assert!(err.contains("did you mean saddle_numbness"), "{err}");
}

#[test]
fn question_lookup_and_no_answers() {
    assert_eq!(question("fever").unwrap().stage, Stage::WarningSigns);
    assert!(question("nope").is_none());
    for q in stage(Stage::WarningSigns) {
        assert!(q.no_answer().is_some(), "{} has no 'no' answer", q.field);
    }
}

#[test]
fn old_answers_files_still_read() {
    // An answers file written before the new fields existed.
    let old = r#"{"age": 44, "regions": ["upper_back"], "pain_now": 6, "onset_days": 20,
        "both_legs": false, "numbness_tingling": false, "leg_weakness": "none",
        "saddle_numbness": false, "bladder_bowel_change": false, "sexual_function_change": false,
        "fever": false, "unexplained_weight_loss": false, "cancer_history": false, "trauma": "none",
        "osteoporosis_or_steroids": false, "night_pain": false,
        "immunosuppressed_or_iv_drug_use": false, "chest_pain_or_breathless": false,
        "worsening_despite_self_care": false, "limits_daily_activities": false,
        "equipment": ["mat"], "other_cautions": ["knee-pain"]}"#;
    let a = Answers::from_json(old).unwrap();
    assert_eq!(triage(&a).urgency, Urgency::SelfCare);
    // The new warning signs were never asked, and the answers say so.
    assert!(!a.warning_signs_answered());
    assert!(
        a.unanswered_warning_signs()
            .contains(&"feeling_very_unwell")
    );
}

#[test]
fn the_public_contract_names_every_field_and_rule() {
    let doc = include_str!("../../../../docs/intake.md");
    for f in answer_fields() {
        let name = f.trim_start_matches("habits.");
        assert!(
            doc.contains(&format!("`{name}`")),
            "docs/intake.md misses {f}"
        );
    }
    for r in unknot_core::triage::RULES {
        assert!(
            doc.contains(&format!("`{}`", r.code)),
            "docs/intake.md misses rule {}",
            r.code
        );
    }
    assert!(doc.contains(NONE_OF_THESE));
}

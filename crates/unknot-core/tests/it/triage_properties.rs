//! Triage is monotonic: adding any red flag to any set of answers never lowers the urgency, and
//! neither does time passing or a warning sign reported somewhere else.

use jiff::Timestamp;
use proptest::prelude::*;
use unknot_core::intake::{Answers, IntakeRegion, LegWeakness, Onset, Radiation, Trauma};
use unknot_core::score::Score;
use unknot_core::signs::add_report;
use unknot_core::triage::{Urgency, triage, triage_at};

fn flag() -> impl Strategy<Value = Option<bool>> {
    prop_oneof![Just(None), Just(Some(false)), Just(Some(true))]
}

/// Every yes/no field of the answers, by name, for generating and for adding signs.
const FLAGS: &[&str] = &[
    "both_legs",
    "numbness_tingling",
    "saddle_numbness",
    "bladder_bowel_change",
    "sexual_function_change",
    "fever",
    "unexplained_weight_loss",
    "cancer_history",
    "osteoporosis_or_steroids",
    "night_pain",
    "immunosuppressed_or_iv_drug_use",
    "chest_pain_or_breathless",
    "worsening_despite_self_care",
    "limits_daily_activities",
    "feeling_very_unwell",
    "sudden_tearing_pain_or_faint",
    "pain_with_sweating_or_sickness",
    "lump_or_swelling",
    "recent_spinal_procedure",
    "morning_stiffness_over_30_min",
    "better_with_movement_not_rest",
    "wakes_second_half_of_night",
    "hand_clumsiness_or_unsteady_walking",
    "dizziness_double_vision_or_speech",
    "pregnant_with_warning_signs",
    "on_blood_thinners_or_bleeding_disorder",
];

fn with_flag(a: &Answers, field: &str, value: Option<bool>) -> Answers {
    let mut json = serde_json::to_value(a).unwrap();
    json[field] = serde_json::to_value(value).unwrap();
    serde_json::from_value(json).unwrap()
}

fn answers() -> impl Strategy<Value = Answers> {
    (
        proptest::collection::vec(flag(), FLAGS.len()),
        (
            proptest::option::of(16u8..=100),
            proptest::option::of(0u32..=800),
            proptest::option::of(0i64..=10),
            proptest::option::of(prop_oneof![Just(Onset::Gradual), Just(Onset::Sudden)]),
            proptest::option::of(proptest::sample::subsequence(
                vec![
                    IntakeRegion::Neck,
                    IntakeRegion::UpperBack,
                    IntakeRegion::MidBack,
                    IntakeRegion::LowerBack,
                ],
                0..=2,
            )),
        ),
        (
            proptest::option::of(prop_oneof![
                Just(Radiation::None),
                Just(Radiation::Buttock),
                Just(Radiation::Thigh),
                Just(Radiation::BelowKnee),
                Just(Radiation::Arm),
                Just(Radiation::Chest)
            ]),
            proptest::option::of(prop_oneof![
                Just(LegWeakness::None),
                Just(LegWeakness::Stable),
                Just(LegWeakness::Worsening)
            ]),
            proptest::option::of(prop_oneof![
                Just(Trauma::None),
                Just(Trauma::Minor),
                Just(Trauma::Major)
            ]),
        ),
    )
        .prop_map(|(flags, b, c)| {
            let mut a = Answers {
                age: b.0,
                onset_days: b.1,
                pain_now: b.2.map(|p| Score::new(p, "pain").unwrap()),
                onset: b.3,
                regions: b.4,
                radiation: c.0,
                leg_weakness: c.1,
                trauma: c.2,
                ..Answers::default()
            };
            for (field, value) in FLAGS.iter().zip(flags) {
                a = with_flag(&a, field, value);
            }
            a
        })
}

/// Every way of adding one more sign to a set of answers.
fn with_one_more_sign(a: &Answers) -> Vec<Answers> {
    let mut out: Vec<Answers> = FLAGS.iter().map(|f| with_flag(a, f, Some(true))).collect();
    let mut push = |f: &dyn Fn(&mut Answers)| {
        let mut b = a.clone();
        f(&mut b);
        out.push(b);
    };
    // Stronger forms of graded signs.
    if a.trauma != Some(Trauma::Major) {
        push(&|b| {
            b.trauma = Some(if b.trauma == Some(Trauma::Minor) {
                Trauma::Major
            } else {
                Trauma::Minor
            })
        });
    }
    if a.leg_weakness != Some(LegWeakness::Worsening) {
        push(&|b| {
            b.leg_weakness = Some(if b.leg_weakness == Some(LegWeakness::Stable) {
                LegWeakness::Worsening
            } else {
                LegWeakness::Stable
            })
        });
    }
    if matches!(a.radiation, None | Some(Radiation::None)) {
        for r in [
            Radiation::Buttock,
            Radiation::Thigh,
            Radiation::BelowKnee,
            Radiation::Arm,
            Radiation::Chest,
        ] {
            push(&|b| b.radiation = Some(r));
        }
    }
    push(&|b| b.onset = Some(Onset::Sudden));
    push(&|b| {
        let mut r = b.regions.clone().unwrap_or_default();
        r.push(IntakeRegion::UpperBack);
        b.regions = Some(r);
    });
    // More pain, longer pain, and older age.
    push(&|b| {
        b.pain_now =
            Some(Score::new(i64::from(b.pain_now.map_or(0, |p| p.get()).max(7)), "p").unwrap())
    });
    push(&|b| b.onset_days = Some(b.onset_days.unwrap_or(0).saturating_add(30)));
    push(&|b| b.age = Some(b.age.unwrap_or(16).saturating_add(10).min(120)));
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn adding_a_sign_never_lowers_urgency(a in answers()) {
        let before = triage(&a).urgency;
        for b in with_one_more_sign(&a) {
            let after = triage(&b).urgency;
            prop_assert!(after >= before, "{:?} -> {:?} for {:?}", before, after, b);
        }
    }

    #[test]
    fn the_urgency_is_the_highest_reason(a in answers()) {
        let t = triage(&a);
        let top = t.reasons.iter().map(|r| r.urgency).max();
        prop_assert_eq!(top.unwrap_or(Urgency::SelfCare), t.urgency);
        prop_assert_eq!(t.plan_allowed, t.urgency <= Urgency::Soon);
    }

    #[test]
    fn time_passing_never_lowers_urgency(a in answers(), days in 0i64..=400) {
        let then: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        let now = Timestamp::from_second(then.as_second() + days * 86_400).unwrap();
        let before = triage(&a).urgency;
        let after = triage_at(&a, then, now).urgency;
        prop_assert!(after >= before, "{:?} -> {:?} after {} days", before, after, days);
    }

    #[test]
    fn a_report_from_elsewhere_never_lowers_urgency(a in answers(), r in answers()) {
        let before = triage(&a).urgency;
        let merged = add_report(&a, &r);
        prop_assert!(triage(&merged).urgency >= before);
    }
}

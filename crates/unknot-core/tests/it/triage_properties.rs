//! Triage is monotonic: adding any red flag to any set of answers never lowers the urgency.

use proptest::prelude::*;
use unknot_core::intake::{Answers, LegWeakness, Radiation, Trauma};
use unknot_core::triage::triage;

fn flag() -> impl Strategy<Value = Option<bool>> {
    prop_oneof![Just(None), Just(Some(false)), Just(Some(true))]
}

fn answers() -> impl Strategy<Value = Answers> {
    (
        (
            proptest::option::of(16u8..=100),
            proptest::option::of(0u32..=800),
            flag(),
            flag(),
            flag(),
            flag(),
        ),
        (flag(), flag(), flag(), flag(), flag(), flag()),
        (flag(), flag(), flag(), flag()),
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
        .prop_map(|(a, b, c, d)| Answers {
            age: a.0,
            onset_days: a.1,
            both_legs: a.2,
            numbness_tingling: a.3,
            saddle_numbness: a.4,
            bladder_bowel_change: a.5,
            sexual_function_change: b.0,
            fever: b.1,
            unexplained_weight_loss: b.2,
            cancer_history: b.3,
            osteoporosis_or_steroids: b.4,
            night_pain: b.5,
            immunosuppressed_or_iv_drug_use: c.0,
            chest_pain_or_breathless: c.1,
            worsening_despite_self_care: c.2,
            limits_daily_activities: c.3,
            radiation: d.0,
            leg_weakness: d.1,
            trauma: d.2,
            ..Answers::default()
        })
}

/// Every way of adding one more sign to a set of answers.
fn with_one_more_sign(a: &Answers) -> Vec<Answers> {
    let mut out = Vec::new();
    let mut push = |f: &dyn Fn(&mut Answers)| {
        let mut b = a.clone();
        f(&mut b);
        out.push(b);
    };
    push(&|b| b.both_legs = Some(true));
    push(&|b| b.numbness_tingling = Some(true));
    push(&|b| b.saddle_numbness = Some(true));
    push(&|b| b.bladder_bowel_change = Some(true));
    push(&|b| b.sexual_function_change = Some(true));
    push(&|b| b.fever = Some(true));
    push(&|b| b.unexplained_weight_loss = Some(true));
    push(&|b| b.cancer_history = Some(true));
    push(&|b| b.osteoporosis_or_steroids = Some(true));
    push(&|b| b.night_pain = Some(true));
    push(&|b| b.immunosuppressed_or_iv_drug_use = Some(true));
    push(&|b| b.chest_pain_or_breathless = Some(true));
    push(&|b| b.worsening_despite_self_care = Some(true));
    push(&|b| b.limits_daily_activities = Some(true));
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
    // Longer pain, and older age.
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
        prop_assert_eq!(top.unwrap_or(unknot_core::triage::Urgency::SelfCare), t.urgency);
    }
}

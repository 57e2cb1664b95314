//! The planner: concrete people, and the promises every plan keeps.

use proptest::prelude::*;
use proptest::sample::subsequence;
use unknot_core::body::Muscle;
use unknot_core::catalogue::{
    COLD_MAX_MINUTES, Catalogue, Caution, Equipment, ExerciseKind, TherapyKind,
};
use unknot_core::intake::{Answers, Cause, IntakeRegion, Radiation, Trauma};
use unknot_core::planner::{PlanError, PlanInput, build};
use unknot_core::score::Score;
use unknot_core::triage::{Urgency, triage};

fn library() -> Catalogue {
    Catalogue::builtin().unwrap()
}

fn plan_for(a: &Answers, catalogue: &Catalogue) -> Result<unknot_core::planner::Plan, PlanError> {
    let t = triage(a);
    build(&PlanInput {
        answers: a,
        triage: &t,
        catalogue,
        journal_knots: &[],
    })
}

#[test]
fn a_desk_worker_with_a_rhomboid_knot_gets_a_fitting_plan() {
    let c = library();
    let a = Answers {
        regions: Some(vec![IntakeRegion::UpperBack, IntakeRegion::Neck]),
        knots: Some(vec![Muscle::Rhomboids]),
        causes: Some(vec![Cause::ProlongedSitting, Cause::Posture]),
        equipment: Some(vec![
            Equipment::MassageBall,
            Equipment::Wall,
            Equipment::Mat,
        ]),
        sitting_hours: Some(9.0),
        minutes_per_day: Some(15),
        onset_days: Some(30),
        ..Answers::default()
    };
    let p = plan_for(&a, &c).unwrap();
    let ids: Vec<&str> = p.routine.iter().map(|i| i.exercise.as_str()).collect();
    assert!(ids.contains(&"ball-wall-rhomboids"), "{ids:?}");
    assert!(
        p.routine
            .iter()
            .any(|i| c.exercise(&i.exercise).unwrap().kind == ExerciseKind::Strengthening),
        "{ids:?}"
    );
    assert!(p.total_seconds <= 15 * 60);
    assert!(
        p.routine
            .iter()
            .all(|i| !i.why.is_empty() && i.why.contains(':'))
    );
    assert!(
        p.routine.iter().any(|i| i.why.contains("rhomboids")),
        "{:?}",
        p.routine
    );
    assert_eq!(p.breaks.every_minutes, 30);
    assert!(!p.breaks.micro_breaks.is_empty());
    assert!(p.habits.iter().any(|h| h.code == "break_up_sitting"));
    assert!(p.reading.contains(&"when-to-get-help".to_string()));
    assert_eq!(p.heat_cold.therapy, TherapyKind::Heat);
    // Same inputs, same plan.
    assert_eq!(plan_for(&a, &c).unwrap(), p);
}

#[test]
fn cautions_rule_exercises_out() {
    let c = library();
    let a = Answers {
        regions: Some(vec![IntakeRegion::LowerBack, IntakeRegion::MidBack]),
        osteoporosis_or_steroids: Some(true),
        radiation: Some(Radiation::BelowKnee),
        equipment: Some(vec![Equipment::FoamRoller, Equipment::Mat]),
        minutes_per_day: Some(30),
        ..Answers::default()
    };
    let p = plan_for(&a, &c).unwrap();
    for i in &p.routine {
        let e = c.exercise(&i.exercise).unwrap();
        assert!(
            !e.cautions.contains(&Caution::Osteoporosis),
            "{} is unsafe with osteoporosis",
            e.id
        );
        assert!(
            !e.cautions.contains(&Caution::LegSymptoms),
            "{} may provoke leg symptoms",
            e.id
        );
    }
    assert!(
        p.routine
            .iter()
            .all(|i| i.exercise != "foam-roll-thoracic" && i.exercise != "standing-forward-fold")
    );
    assert!(
        p.notes.iter().any(|n| n.contains("Book a doctor")),
        "routine triage notes: {:?}",
        p.notes
    );
}

#[test]
fn soon_keeps_to_gentle_movement_and_urgent_gets_no_plan() {
    let c = library();
    let soon = Answers {
        cancer_history: Some(true),
        minutes_per_day: Some(20),
        ..Answers::default()
    };
    let p = plan_for(&soon, &c).unwrap();
    assert!(p.gentle_only);
    for i in &p.routine {
        let e = c.exercise(&i.exercise).unwrap();
        assert_eq!(
            e.difficulty,
            unknot_core::catalogue::Difficulty::Gentle,
            "{}",
            e.id
        );
        assert!(
            !matches!(
                e.kind,
                ExerciseKind::Strengthening | ExerciseKind::SelfMassage
            ),
            "{}",
            e.id
        );
    }
    assert!(p.notes[0].contains("See a doctor within a week"));
    for flags in [
        Answers {
            fever: Some(true),
            ..Answers::default()
        },
        Answers {
            saddle_numbness: Some(true),
            ..Answers::default()
        },
    ] {
        let err = plan_for(&flags, &c).unwrap_err();
        assert!(matches!(
            err,
            PlanError::SeeADoctor(Urgency::Urgent | Urgency::Emergency)
        ));
    }
}

#[test]
fn blood_thinners_keep_ball_and_roller_work_out_of_the_plan() {
    let c = library();
    let everything = Answers {
        regions: Some(vec![
            IntakeRegion::UpperBack,
            IntakeRegion::Buttocks,
            IntakeRegion::Shoulders,
        ]),
        knots: Some(vec![
            Muscle::Rhomboids,
            Muscle::Piriformis,
            Muscle::UpperTrapezius,
        ]),
        equipment: Some(Equipment::ALL.to_vec()),
        minutes_per_day: Some(60),
        onset_days: Some(20),
        ..Answers::default()
    };
    let massage = |a: &Answers| -> Vec<String> {
        plan_for(a, &c)
            .unwrap()
            .routine
            .iter()
            .filter(|i| c.exercise(&i.exercise).unwrap().kind == ExerciseKind::SelfMassage)
            .map(|i| i.exercise.clone())
            .collect()
    };
    assert!(
        !massage(&everything).is_empty(),
        "the control plan has self-massage"
    );
    let thinners = Answers {
        on_blood_thinners_or_bleeding_disorder: Some(true),
        ..everything.clone()
    };
    assert!(thinners.cautions().contains(&Caution::BleedingRisk));
    assert_eq!(massage(&thinners), Vec::<String>::new());
    assert_eq!(triage(&thinners).urgency, Urgency::SelfCare);
}

#[test]
fn spinal_stenosis_leaves_out_arching_and_weak_immunity_still_gets_a_gentle_plan() {
    let c = library();
    let a = Answers {
        regions: Some(vec![IntakeRegion::LowerBack]),
        equipment: Some(vec![Equipment::Mat]),
        minutes_per_day: Some(60),
        other_cautions: Some(vec![Caution::SpinalStenosis]),
        ..Answers::default()
    };
    let p = plan_for(&a, &c).unwrap();
    for i in &p.routine {
        assert!(
            !c.exercise(&i.exercise)
                .unwrap()
                .cautions
                .contains(&Caution::SpinalStenosis),
            "{} arches the back",
            i.exercise
        );
    }
    let immune = Answers {
        immunosuppressed_or_iv_drug_use: Some(true),
        other_cautions: None,
        ..a
    };
    let p = plan_for(&immune, &c).expect("a gentle plan, not a refusal");
    assert!(p.gentle_only && p.urgency == "soon");
}

#[test]
fn a_fresh_knock_gets_cold_within_the_limit() {
    let c = library();
    let a = Answers {
        trauma: Some(Trauma::Minor),
        onset_days: Some(1),
        age: Some(30),
        ..Answers::default()
    };
    let p = plan_for(&a, &c).unwrap();
    assert_eq!(p.heat_cold.therapy, TherapyKind::Cold);
    assert!(p.heat_cold.minutes <= COLD_MAX_MINUTES);
}

fn answers() -> impl Strategy<Value = Answers> {
    (
        subsequence(
            vec![
                IntakeRegion::Neck,
                IntakeRegion::UpperBack,
                IntakeRegion::MidBack,
                IntakeRegion::LowerBack,
                IntakeRegion::Shoulders,
                IntakeRegion::Buttocks,
            ],
            0..4,
        ),
        subsequence(Muscle::ALL.to_vec(), 0..3),
        subsequence(Caution::ALL.to_vec(), 0..4),
        subsequence(Equipment::ALL.to_vec(), 0..5),
        (
            5u8..=60,
            proptest::option::of(0u32..=400),
            proptest::option::of(0i64..=10),
        ),
        (
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            proptest::option::of(0u32..=16),
        ),
        subsequence(
            vec![
                Cause::Posture,
                Cause::ProlongedSitting,
                Cause::Lifting,
                Cause::Stress,
                Cause::Running,
            ],
            0..3,
        ),
    )
        .prop_map(
            |(
                regions,
                knots,
                cautions,
                equipment,
                (minutes, onset, pain),
                (osteo, radiating, minor, sitting),
                causes,
            )| {
                let sitting = sitting.map(f64::from);
                Answers {
                    regions: Some(regions),
                    knots: Some(knots),
                    other_cautions: Some(cautions),
                    equipment: Some(equipment),
                    minutes_per_day: Some(minutes),
                    onset_days: onset,
                    pain_now: pain.map(|p| Score::new(p, "p").unwrap()),
                    osteoporosis_or_steroids: Some(osteo),
                    radiation: Some(if radiating {
                        Radiation::BelowKnee
                    } else {
                        Radiation::None
                    }),
                    trauma: Some(if minor { Trauma::Minor } else { Trauma::None }),
                    sitting_hours: sitting,
                    causes: Some(causes),
                    ..Answers::default()
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn every_plan_keeps_its_promises(a in answers()) {
        let c = library();
        let t = triage(&a);
        match build(&PlanInput { answers: &a, triage: &t, catalogue: &c, journal_knots: &[Muscle::Rhomboids] }) {
            Ok(p) => {
                let budget = u32::from(a.minutes_per_day.unwrap()) * 60;
                prop_assert!(p.total_seconds <= budget, "{} s over a {} s budget", p.total_seconds, budget);
                prop_assert_eq!(p.total_seconds, p.routine.iter().map(|i| i.seconds).sum::<u32>());
                let cautions = a.cautions();
                for i in &p.routine {
                    let e = c.exercise(&i.exercise).unwrap();
                    prop_assert!(!e.cautions.iter().any(|x| cautions.contains(x)), "{} is contraindicated", e.id);
                }
                if p.heat_cold.therapy == TherapyKind::Cold {
                    prop_assert!(p.heat_cold.minutes <= COLD_MAX_MINUTES);
                }
                let again = build(&PlanInput { answers: &a, triage: &t, catalogue: &c, journal_knots: &[Muscle::Rhomboids] }).unwrap();
                prop_assert_eq!(again, p);
            }
            Err(PlanError::SeeADoctor(u)) => prop_assert!(u >= Urgency::Urgent),
        }
    }
}

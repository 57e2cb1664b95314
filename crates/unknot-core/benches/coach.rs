//! Benchmarks for the coach's pure logic: triage, reading a web form's pairs, building a plan,
//! the "as of now" safety check and a weekly review over a year of journal. Run with `cargo bench -p unknot-core --bench coach`; numbers go in
//! docs/PERFORMANCE.md.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use jiff::{ToSpan, Zoned};
use unknot_core::adapt::{
    History, ItemOutcome, ItemStatus, ReviewInput, SessionRecord, review, review_with,
};
use unknot_core::body::Muscle;
use unknot_core::catalogue::Catalogue;
use unknot_core::intake::{Answers, Assessment, AssessmentKind};
use unknot_core::journal::{Entry, EntryId, Knot};
use unknot_core::planner::{Plan, PlanInput, StoredPlan, build};
use unknot_core::score::Score;
use unknot_core::triage::triage;

const ANSWERS: &str = r#"{"age": 44, "regions": ["upper_back", "lower_back"], "pain_now": 5, "onset_days": 30,
  "causes": ["prolonged_sitting", "posture"], "radiation": "buttock", "knots": ["rhomboids", "quadratus-lumborum"],
  "equipment": ["mat", "massage-ball", "wall", "resistance-band"], "sitting_hours": 8, "minutes_per_day": 20,
  "both_legs": false, "fever": false, "saddle_numbness": false, "trauma": "none", "leg_weakness": "none"}"#;

fn benches(c: &mut Criterion) {
    let answers = Answers::from_json(ANSWERS).unwrap();
    let catalogue = Catalogue::builtin().unwrap();
    c.bench_function("triage", |b| b.iter(|| triage(black_box(&answers))));
    let pairs: Vec<(&str, &str)> = vec![
        ("age", "44"),
        ("regions", "upper_back"),
        ("regions", "lower_back"),
        ("pain_now", "5"),
        ("onset_days", "30"),
        ("radiation", "buttock"),
        ("equipment", "mat,massage-ball,wall"),
        ("psfs", "gardening=4"),
        ("warning_signs_none", "yes"),
    ];
    c.bench_function("read a form's pairs", |b| {
        b.iter(|| Answers::from_pairs(black_box(pairs.iter().copied())).unwrap())
    });

    let t = triage(&answers);
    let input = PlanInput {
        answers: &answers,
        triage: &t,
        catalogue: &catalogue,
        journal_knots: &[Muscle::Rhomboids],
    };
    c.bench_function("plan build", |b| {
        b.iter(|| build(black_box(&input)).unwrap())
    });

    // A year: four journal entries and one session a day.
    let plan = build(&input).unwrap();
    let start: Zoned = "2025-11-22T08:00:00+00:00[Europe/London]".parse().unwrap();
    let (entries, sessions) = a_year_of_journal(&start, &plan);
    let now = start.checked_add(365.days()).unwrap();
    let review_input = ReviewInput {
        plan: &plan,
        since: start.timestamp(),
        now: &now,
        sessions: &sessions,
        entries: &entries,
        breaks: &[],
        answers: &answers,
        catalogue: &catalogue,
        journal_knots: &[Muscle::Rhomboids],
    };
    c.bench_function(
        "weekly review over a year (1,460 entries, 365 sessions)",
        |b| b.iter(|| review(black_box(&review_input))),
    );

    let assessments = a_year_of_checkins(&start, &answers);
    c.bench_function(
        "check now over a year (52 assessments, 1,460 entries)",
        |b| {
            b.iter(|| {
                unknot_core::signs::check_now(
                    black_box(&assessments),
                    black_box(&entries),
                    &[],
                    now.timestamp(),
                )
            })
        },
    );
    let plans = [StoredPlan {
        created: start.timestamp(),
        plan: plan.clone(),
    }];
    let history = History {
        plans: &plans,
        assessments: &assessments,
        entries: &entries,
    };
    c.bench_function("weekly review with a year of history", |b| {
        b.iter(|| review_with(black_box(&review_input), black_box(&history)))
    });
}

/// Four journal entries and one session with every routine item done, each day for a year
/// from `start`: the size of journal a long-time user brings to a review.
fn a_year_of_journal(start: &Zoned, plan: &Plan) -> (Vec<Entry>, Vec<SessionRecord>) {
    let mut entries = Vec::new();
    let mut sessions = Vec::new();
    for day in 0..365i64 {
        for slot in 0..4i64 {
            let at = start
                .checked_add(day.days())
                .unwrap()
                .checked_add((slot * 4).hours())
                .unwrap();
            let mut e = Entry::new(EntryId::new(format!("e{day}-{slot}")).unwrap(), at);
            e.pain = Some(Score::new(3 + (day + slot) % 4, "p").unwrap());
            if slot == 0 {
                e.knots = vec![Knot::parse("rhomboids:left:5").unwrap()];
            }
            entries.push(e);
        }
        sessions.push(SessionRecord {
            id: format!("s{day}"),
            at: start
                .checked_add(day.days())
                .unwrap()
                .checked_add(10.hours())
                .unwrap(),
            items: plan
                .routine
                .iter()
                .map(|i| ItemOutcome {
                    exercise: i.exercise.clone(),
                    status: ItemStatus::Done,
                    seconds: i.seconds,
                })
                .collect(),
            pain_before: Some(Score::new(4, "p").unwrap()),
            pain_after: Some(Score::new(3, "p").unwrap()),
            warning_signs: Vec::new(),
        });
    }
    (entries, sessions)
}

/// The intake and then a weekly check-in for a year.
fn a_year_of_checkins(start: &Zoned, answers: &Answers) -> Vec<Assessment> {
    (0..52i64)
        .map(|week| Assessment {
            id: format!("a{week}"),
            kind: if week == 0 {
                AssessmentKind::Intake
            } else {
                AssessmentKind::Checkin
            },
            at: start.checked_add((week * 7).days()).unwrap(),
            answers: if week == 0 {
                answers.clone()
            } else {
                Answers::from_pairs([("pain_now", "4"), ("warning_signs_none", "yes")]).unwrap()
            },
        })
        .collect()
}

criterion_group!(coach, benches);
criterion_main!(coach);

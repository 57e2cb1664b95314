//! A small, realistic journal to export: entries with regions and knots, an intake and two
//! check-ins with PEG scores, and a plan made by the real planner.

use jiff::Zoned;
use unknot_core::catalogue::Catalogue;
use unknot_core::intake::{Answers, Assessment, AssessmentKind};
use unknot_core::journal::{Entry, EntryId, Knot, RegionPain};
use unknot_core::planner::{self, PlanInput, StoredPlan};
use unknot_core::triage::triage;

pub struct Sample {
    pub entries: Vec<Entry>,
    pub assessments: Vec<Assessment>,
    pub plan: StoredPlan,
}

pub fn at(text: &str) -> Zoned {
    text.parse().unwrap()
}

pub fn sample() -> Sample {
    let mut entries = Vec::new();
    for (i, (day, pain, region)) in [
        ("2026-03-02T08:30", 6, "lower-back=7"),
        ("2026-03-02T18:10", 5, "neck=4"),
        ("2026-03-09T09:00", 4, "upper-back=3"),
        ("2026-03-16T20:45", 3, "lower-back=3"),
    ]
    .iter()
    .enumerate()
    {
        let mut e = Entry::new(
            EntryId::new(format!("0195a000-0000-7000-8000-00000000000{i}")).unwrap(),
            at(&format!("{day}[Europe/Paris]")),
        );
        e.pain = Some(unknot_core::score::Score::new(*pain, "pain").unwrap());
        e.regions = vec![RegionPain::parse(region).unwrap()];
        if i == 0 {
            e.knots = vec![Knot::parse("upper-trapezius:right:7").unwrap()];
            e.treatments.heat_minutes = Some(20);
            e.treatments.medications = vec!["ibuprofen".into()];
        }
        e.note = Some(format!("note {i} with \"quotes\", commas, and ünïcode"));
        entries.push(e);
    }
    let answers: Answers = serde_json::from_value(serde_json::json!({
        "age": 41, "pain_now": 6, "regions": ["lower_back", "neck"], "onset_days": 40,
        "peg_pain": 6, "peg_enjoyment": 5, "peg_activity": 6,
        "psfs": [{"activity": "sit through a meeting", "score": 3}, {"activity": "carry shopping", "score": 5}, {"activity": "run 5 km", "score": 2}]
    }))
    .unwrap();
    let checkin = |day: &str, p: i64| -> Assessment {
        Assessment {
            id: format!("0195a100-0000-7000-8000-0000000000{p:02}"),
            kind: AssessmentKind::Checkin,
            at: at(&format!("{day}[Europe/Paris]")),
            answers: serde_json::from_value(serde_json::json!({
                "pain_now": p, "peg_pain": p, "peg_enjoyment": p - 1, "peg_activity": p
            }))
            .unwrap(),
        }
    };
    let assessments = vec![
        Assessment {
            id: "0195a100-0000-7000-8000-000000000001".into(),
            kind: AssessmentKind::Intake,
            at: at("2026-03-01T10:00[Europe/Paris]"),
            answers: answers.clone(),
        },
        checkin("2026-03-08T10:00", 5),
        checkin("2026-03-15T10:00", 3),
    ];
    let catalogue = Catalogue::builtin().unwrap();
    let t = triage(&answers);
    let mut plan = planner::build(&PlanInput {
        answers: &answers,
        triage: &t,
        catalogue: &catalogue,
        journal_knots: &[],
    })
    .unwrap();
    plan.version = 2;
    Sample {
        entries,
        assessments,
        plan: StoredPlan {
            created: at("2026-03-01T10:05[Europe/Paris]").timestamp(),
            plan,
        },
    }
}

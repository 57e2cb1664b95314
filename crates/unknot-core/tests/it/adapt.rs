//! The weekly review: progress, step back, swap and re-triage, each with its reason.

use jiff::{Timestamp, ToSpan, Zoned};
use unknot_core::adapt::{ItemOutcome, ItemStatus, ReviewInput, SessionRecord, review};
use unknot_core::body::{Muscle, Region};
use unknot_core::catalogue::{Catalogue, Equipment};
use unknot_core::intake::{Answers, Cause, IntakeRegion};
use unknot_core::journal::{Entry, EntryId, PainKind, RegionPain};
use unknot_core::planner::{Plan, PlanInput, build};
use unknot_core::score::Score;
use unknot_core::triage::triage;

fn start() -> Zoned {
    "2026-03-02T08:00:00+00:00[UTC]".parse().unwrap()
}

fn answers() -> Answers {
    Answers {
        regions: Some(vec![IntakeRegion::LowerBack]),
        causes: Some(vec![Cause::Lifting]),
        equipment: Some(vec![Equipment::Mat]),
        minutes_per_day: Some(20),
        onset_days: Some(60),
        ..Answers::default()
    }
}

fn plan(c: &Catalogue) -> Plan {
    let a = answers();
    let t = triage(&a);
    build(&PlanInput {
        answers: &a,
        triage: &t,
        catalogue: c,
        journal_knots: &[],
    })
    .unwrap()
}

fn session(
    day: i64,
    plan: &Plan,
    status: impl Fn(&str) -> ItemStatus,
    pain: (i64, i64),
) -> SessionRecord {
    SessionRecord {
        id: format!("s{day}"),
        at: start()
            .checked_add(day.days())
            .unwrap()
            .checked_add(10.hours())
            .unwrap(),
        items: plan
            .routine
            .iter()
            .map(|i| ItemOutcome {
                exercise: i.exercise.clone(),
                status: status(&i.exercise),
                seconds: i.seconds,
            })
            .collect(),
        pain_before: Some(Score::new(pain.0, "p").unwrap()),
        pain_after: Some(Score::new(pain.1, "p").unwrap()),
        warning_signs: Vec::new(),
    }
}

fn entry(day: i64, hour: i64, pain: i64) -> Entry {
    let at = start()
        .checked_add(day.days())
        .unwrap()
        .checked_add((hour - 8).hours())
        .unwrap();
    let mut e = Entry::new(EntryId::new(format!("e{day}-{hour}")).unwrap(), at);
    e.pain = Some(Score::new(pain, "p").unwrap());
    e
}

fn run(
    c: &Catalogue,
    p: &Plan,
    days: i64,
    sessions: &[SessionRecord],
    entries: &[Entry],
) -> unknot_core::adapt::Review {
    run_with_breaks(c, p, days, sessions, entries, &[])
}

fn run_with_breaks(
    c: &Catalogue,
    p: &Plan,
    days: i64,
    sessions: &[SessionRecord],
    entries: &[Entry],
    breaks: &[unknot_core::remind::BreakRecord],
) -> unknot_core::adapt::Review {
    let now = start().checked_add(days.days()).unwrap();
    let a = answers();
    review(&ReviewInput {
        plan: p,
        since: start().timestamp(),
        now: &now,
        sessions,
        entries,
        breaks,
        answers: &a,
        catalogue: c,
        journal_knots: &[],
    })
}

#[test]
fn steady_weeks_progress_the_plan_within_budget() {
    let c = Catalogue::builtin().unwrap();
    let p = plan(&c);
    let sessions: Vec<_> = (0..14)
        .filter(|d| d % 7 != 6)
        .map(|d| session(d, &p, |_| ItemStatus::Done, (4, 3)))
        .collect();
    let entries: Vec<_> = (0..15).map(|d| entry(d, 20, 4 - (d / 8))).collect();
    let r = run(&c, &p, 15, &sessions, &entries);
    assert!(r.adherence >= 0.7, "{}", r.adherence);
    let next = r.plan.expect("a new version");
    assert_eq!(next.version, 2);
    assert!(
        r.changes.iter().any(|ch| ch.kind == "progress"),
        "{:?}",
        r.changes
    );
    assert!(r.changes.iter().all(|ch| !ch.reason.is_empty()));
    assert!(next.total_seconds <= u32::from(next.budget_minutes) * 60);
    // Too early, or too few sessions: nothing changes.
    assert!(run(&c, &p, 10, &sessions[..8], &entries).changes.is_empty());
    assert!(run(&c, &p, 15, &sessions[..5], &entries).changes.is_empty());
}

#[test]
fn pain_after_a_session_steps_back() {
    let c = Catalogue::builtin().unwrap();
    let p = plan(&c);
    let r = run(
        &c,
        &p,
        3,
        &[session(1, &p, |_| ItemStatus::Done, (3, 6))],
        &[],
    );
    assert!(
        r.changes
            .iter()
            .any(|ch| ch.kind == "step_back" && ch.reason.contains("from 3 to 6")),
        "{:?}",
        r.changes
    );
    let next = r.plan.unwrap();
    assert!(
        next.total_seconds <= p.total_seconds,
        "stepping back never adds load"
    );
    // Pain that has not settled by the next morning counts too.
    let r = run(
        &c,
        &p,
        3,
        &[session(1, &p, |_| ItemStatus::Done, (3, 4))],
        &[entry(2, 9, 6)],
    );
    assert!(
        r.changes.iter().any(|ch| ch.reason.contains("not settled")),
        "{:?}",
        r.changes
    );
}

#[test]
fn an_exercise_skipped_again_and_again_is_swapped() {
    let c = Catalogue::builtin().unwrap();
    let p = plan(&c);
    let victim = p.routine[0].exercise.clone();
    let sessions: Vec<_> = (0..4)
        .map(|d| {
            session(
                d,
                &p,
                |id| {
                    if id == victim {
                        ItemStatus::Skipped
                    } else {
                        ItemStatus::Done
                    }
                },
                (3, 3),
            )
        })
        .collect();
    let r = run(&c, &p, 5, &sessions, &[]);
    let swap = r
        .changes
        .iter()
        .find(|ch| ch.kind == "swap")
        .expect("a swap");
    assert!(
        swap.reason.contains("skipped in 4 of 4 sessions"),
        "{}",
        swap.reason
    );
    assert!(r.plan.unwrap().routine.iter().all(|i| i.exercise != victim));
}

#[test]
fn warning_signs_in_the_journal_trigger_triage_again() {
    let c = Catalogue::builtin().unwrap();
    let p = plan(&c);
    let mut numb = entry(2, 9, 5);
    numb.pain_kinds = vec![PainKind::Numbness];
    let r = run(&c, &p, 3, &[], &[numb]);
    assert_eq!(r.triage.as_ref().map(|t| t.urgency.id()), Some("routine"));
    assert!(r.changes.iter().any(|ch| ch.kind == "retriage"));
    let mut chest = entry(2, 9, 7);
    chest.regions = vec![RegionPain {
        region: Region::Chest,
        pain: Score::new(7, "p").unwrap(),
    }];
    let r = run(&c, &p, 3, &[], &[chest]);
    assert_eq!(r.triage.as_ref().map(|t| t.urgency.id()), Some("emergency"));
    assert!(r.plan.is_none(), "no plan at emergency level");
    let _ = (Muscle::Rhomboids, Timestamp::UNIX_EPOCH);
}

#[test]
fn ignored_break_reminders_come_less_often() {
    use unknot_core::remind::{BreakRecord, BreakStatus, Reminder};
    let c = Catalogue::builtin().unwrap();
    let p = plan(&c);
    let breaks: Vec<BreakRecord> = (0..6)
        .map(|i| BreakRecord {
            id: format!("b{i}"),
            at: start().checked_add(i.hours()).unwrap(),
            reminder: Some(Reminder::PostureCheck),
            status: if i < 4 {
                BreakStatus::Unanswered
            } else {
                BreakStatus::Taken
            },
        })
        .collect();
    let r = run_with_breaks(&c, &p, 2, &[], &[], &breaks);
    let change = r
        .changes
        .iter()
        .find(|ch| ch.kind == "breaks")
        .expect("a break change");
    assert!(change.reason.contains("4 of 6"), "{}", change.reason);
    assert_eq!(
        r.plan.unwrap().breaks.every_minutes,
        (p.breaks.every_minutes + 15).min(60)
    );
    assert_eq!((r.breaks_taken, r.breaks_reminded), (2, 6));
}

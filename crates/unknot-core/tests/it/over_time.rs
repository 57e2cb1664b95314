//! The safety net keeps watching: answers age, warning signs from the journal count, and a plan
//! that is not helping leads to "see someone", once.

use jiff::{ToSpan, Zoned};
use unknot_core::adapt::{History, NO_IMPROVEMENT, ReviewInput, review, review_with};
use unknot_core::body::Region;
use unknot_core::catalogue::{Catalogue, Equipment};
use unknot_core::intake::{Answers, Assessment, AssessmentKind, Cause, IntakeRegion};
use unknot_core::journal::{Entry, EntryId, PainKind, RegionPain};
use unknot_core::planner::{Plan, PlanInput, StoredPlan, build};
use unknot_core::score::Score;
use unknot_core::signs::{
    SESSION_SIGNS, SessionSign, add_report, check_now, current_answers, read_session_signs,
};
use unknot_core::triage::{Urgency, triage, triage_at};

fn day(n: i64) -> Zoned {
    let start: Zoned = "2026-03-02T08:00:00+00:00[UTC]".parse().unwrap();
    start.checked_add(n.days()).unwrap()
}

/// Enrolled five days into the pain, at 6 out of 10.
fn intake_answers() -> Answers {
    Answers {
        age: Some(40),
        regions: Some(vec![IntakeRegion::LowerBack]),
        causes: Some(vec![Cause::Lifting]),
        equipment: Some(vec![Equipment::Mat]),
        minutes_per_day: Some(15),
        onset_days: Some(5),
        onset: Some(unknot_core::intake::Onset::Gradual),
        pain_now: Some(Score::new(6, "p").unwrap()),
        ..Answers::default()
    }
}

fn intake() -> Assessment {
    Assessment {
        id: "a1".into(),
        kind: AssessmentKind::Intake,
        at: day(0),
        answers: intake_answers(),
    }
}

fn first_plan(c: &Catalogue) -> StoredPlan {
    let a = intake_answers();
    let t = triage(&a);
    let plan = build(&PlanInput {
        answers: &a,
        triage: &t,
        catalogue: c,
        journal_knots: &[],
    })
    .unwrap();
    StoredPlan {
        created: day(0).timestamp(),
        plan,
    }
}

fn pain_entry(n: i64, pain: i64) -> Entry {
    let mut e = Entry::new(
        EntryId::new(format!("e{n}")).unwrap(),
        day(n).checked_add(12.hours()).unwrap(),
    );
    e.pain = Some(Score::new(pain, "p").unwrap());
    e
}

struct Setup {
    c: Catalogue,
    plans: Vec<StoredPlan>,
    assessments: Vec<Assessment>,
    entries: Vec<Entry>,
}

impl Setup {
    fn new(pains: impl Fn(i64) -> i64, days: i64) -> Setup {
        let c = Catalogue::builtin().unwrap();
        let plans = vec![first_plan(&c)];
        Setup {
            c,
            plans,
            assessments: vec![intake()],
            entries: (1..=days).map(|n| pain_entry(n, pains(n))).collect(),
        }
    }

    /// Reviews the latest version on day `n`, with the history of everything so far.
    fn review_on(&self, n: i64) -> unknot_core::adapt::Review {
        let current = self.plans.last().unwrap();
        let now = day(n);
        let since = current.created;
        let entries: Vec<Entry> = self
            .entries
            .iter()
            .filter(|e| e.at.timestamp() >= since && e.at.timestamp() <= now.timestamp())
            .cloned()
            .collect();
        let (_, answers) = current_answers(&self.assessments, now.timestamp()).unwrap();
        // The review takes the stored (not aged) answers; the history lets it age them.
        let stored = self
            .assessments
            .iter()
            .skip(1)
            .fold(self.assessments[0].answers.clone(), |a, l| {
                a.updated_by(&l.answers)
            });
        assert!(answers.onset_days >= stored.onset_days);
        review_with(
            &ReviewInput {
                plan: &current.plan,
                since,
                now: &now,
                sessions: &[],
                entries: &entries,
                breaks: &[],
                answers: &stored,
                catalogue: &self.c,
                journal_knots: &[],
            },
            &History {
                plans: &self.plans,
                assessments: &self.assessments,
                entries: &self.entries,
            },
        )
    }
}

#[test]
fn enrolled_on_day_five_no_better_at_week_seven_is_told_to_see_someone() {
    let mut s = Setup::new(|_| 6, 49);
    let r = s.review_on(49);
    let advice = r.no_improvement.as_ref().expect("see someone");
    assert_eq!(advice.urgency, Urgency::Routine);
    assert_eq!((advice.pain_at_start, advice.pain_now), (6.0, 6.0));
    assert!(
        advice.says.contains("physiotherapist or doctor"),
        "{}",
        advice.says
    );
    assert!(
        advice.says.contains("7 weeks") && advice.says.contains("6.0"),
        "{}",
        advice.says
    );
    assert!(r.changes.iter().any(|c| c.kind == NO_IMPROVEMENT));
    // Time has passed as well: 54 days since onset is more than six weeks.
    let t = r.triage.as_ref().expect("a fresh triage");
    assert_eq!(t.urgency, Urgency::Routine);
    assert!(t.reasons.iter().any(|x| x.code == "pain_over_six_weeks"));
    assert!(r.changes.iter().any(|c| c.kind == "retriage"));
    let next = r.plan.clone().expect("a new version carries the advice");
    assert_eq!(next.urgency, "routine");

    // Once: the next week's review, with that version stored, does not say it again.
    s.plans.push(StoredPlan {
        created: day(49).timestamp(),
        plan: next,
    });
    s.entries.extend((50..=56).map(|n| pain_entry(n, 6)));
    let later = s.review_on(56);
    assert!(later.no_improvement.is_none());
    assert!(later.changes.iter().all(|c| c.kind != NO_IMPROVEMENT));
}

#[test]
fn a_check_in_rating_counts_as_well_as_the_journal() {
    let mut s = Setup::new(|_| 6, 0);
    s.assessments.push(Assessment {
        id: "c1".into(),
        kind: AssessmentKind::Checkin,
        at: day(45),
        answers: Answers {
            pain_now: Some(Score::new(5, "p").unwrap()),
            ..Answers::default()
        },
    });
    let r = s.review_on(46);
    let advice = r.no_improvement.expect("a fall of one point is not enough");
    assert_eq!((advice.pain_at_start, advice.pain_now), (6.0, 5.0));
}

#[test]
fn an_important_fall_or_too_little_time_says_nothing() {
    // Two points better over the last week, after five weeks: no advice.
    let s = Setup::new(|n| if n > 25 { 4 } else { 6 }, 35);
    assert!(s.review_on(35).no_improvement.is_none());
    // 30% better counts too, though it is under two points: from 6 to a mean of 4.14.
    let s = Setup::new(
        |n| match n {
            30 => 5,
            n if n > 25 => 4,
            _ => 6,
        },
        35,
    );
    assert!(s.review_on(35).no_improvement.is_none());
    // One point better is not enough.
    let s = Setup::new(|n| if n > 25 { 5 } else { 6 }, 35);
    assert!(s.review_on(35).no_improvement.is_some());
    // No better, but only three weeks on the plan: too early.
    let s = Setup::new(|_| 6, 21);
    assert!(s.review_on(21).no_improvement.is_none());
    // No ratings in the last week: nothing to judge.
    let s = Setup::new(|_| 6, 30);
    assert!(s.review_on(45).no_improvement.is_none());
}

#[test]
fn without_a_history_the_rule_still_works_from_the_version_itself() {
    let c = Catalogue::builtin().unwrap();
    let plan: Plan = first_plan(&c).plan;
    let entries: Vec<Entry> = (0..=30).map(|n| pain_entry(n, 7)).collect();
    let now = day(30);
    let answers = intake_answers();
    let input = ReviewInput {
        plan: &plan,
        since: day(0).timestamp(),
        now: &now,
        sessions: &[],
        entries: &entries,
        breaks: &[],
        answers: &answers,
        catalogue: &c,
        journal_knots: &[],
    };
    let r = review(&input);
    assert!(r.no_improvement.is_some());
    // The version it makes carries the change, so reviewing that version stays quiet.
    let next = r.plan.unwrap();
    let again = review(&ReviewInput {
        plan: &next,
        ..input
    });
    assert!(again.no_improvement.is_none());
}

#[test]
fn the_six_week_rule_fires_as_time_passes() {
    let a = intake_answers();
    let then = day(0).timestamp();
    assert_eq!(
        triage_at(&a, then, day(37).timestamp()).urgency,
        Urgency::SelfCare
    );
    let later = triage_at(&a, then, day(38).timestamp());
    assert_eq!(later.urgency, Urgency::Routine);
    assert!(
        later
            .reasons
            .iter()
            .any(|r| r.code == "pain_over_six_weeks")
    );
    // Aging changes only the duration and the age.
    let aged = a.as_of(then, day(400).timestamp());
    assert_eq!((aged.onset_days, aged.age), (Some(405), Some(41)));
    assert_eq!(aged.pain_now, a.pain_now);
    // A clock that runs backwards changes nothing.
    assert_eq!(a.as_of(day(10).timestamp(), day(0).timestamp()), a);
}

#[test]
fn check_now_ages_lays_check_ins_over_and_adds_journal_signs() {
    let mut all = vec![intake()];
    all.push(Assessment {
        id: "c1".into(),
        kind: AssessmentKind::Checkin,
        at: day(7),
        answers: Answers {
            night_pain: Some(false),
            fever: Some(false),
            ..Answers::default()
        },
    });
    let mut numb = pain_entry(10, 5);
    numb.pain_kinds = vec![PainKind::Tingling];
    let before_intake = {
        let mut e = pain_entry(-3, 5);
        e.regions = vec![RegionPain {
            region: Region::Chest,
            pain: Score::new(5, "p").unwrap(),
        }];
        e
    };
    let w = check_now(&all, &[before_intake, numb], &[], day(12).timestamp()).unwrap();
    assert_eq!(w.answers.onset_days, Some(17));
    assert_eq!(w.answers.numbness_tingling, Some(true));
    assert_eq!(w.triage.urgency, Urgency::Routine, "{:?}", w.triage.reasons);
    assert_eq!(
        w.signs.len(),
        1,
        "the entry from before the intake is ignored"
    );
    // With a cancer history, the same tingling is an emergency.
    all[0].answers.cancer_history = Some(true);
    let mut numb = pain_entry(10, 5);
    numb.pain_kinds = vec![PainKind::Numbness];
    let w = check_now(&all, &[numb], &[], day(12).timestamp()).unwrap();
    assert_eq!(w.triage.urgency, Urgency::Emergency);
    assert!(check_now(&[], &[], &[], day(1).timestamp()).is_none());
}

fn session(n: i64, signs: &[&str]) -> unknot_core::adapt::SessionRecord {
    unknot_core::adapt::SessionRecord {
        id: format!("s{n}"),
        at: day(n),
        items: Vec::new(),
        pain_before: None,
        pain_after: None,
        warning_signs: signs.iter().map(|s| (*s).to_string()).collect(),
    }
}

#[test]
fn warning_signs_reported_with_a_session_reach_triage() {
    let all = vec![intake()];
    let clean = check_now(&all, &[], &[session(3, &[])], day(4).timestamp()).unwrap();
    assert_eq!(
        clean.triage.urgency,
        Urgency::SelfCare,
        "{:?}",
        clean.triage
    );
    let w = check_now(&all, &[], &[session(3, &["both_legs"])], day(4).timestamp()).unwrap();
    assert_eq!(
        w.triage.urgency,
        Urgency::Emergency,
        "{:?}",
        w.triage.reasons
    );
    assert_eq!(w.signs.len(), 1, "{:?}", w.signs);
    assert!(w.signs[0].contains("both legs"), "{:?}", w.signs);
    let w = check_now(
        &all,
        &[],
        &[session(3, &["pain_below_knee", "leg_weakness"])],
        day(4).timestamp(),
    )
    .unwrap();
    assert_eq!(
        w.answers.radiation,
        Some(unknot_core::intake::Radiation::BelowKnee)
    );
    assert_eq!(
        w.answers.leg_weakness,
        Some(unknot_core::intake::LegWeakness::Worsening)
    );
    assert!(!w.triage.plan_allowed, "{:?}", w.triage.reasons);
    // A session before the intake is superseded by it.
    let mut old = session(-2, &["both_legs"]);
    old.at = day(-2);
    let w = check_now(&all, &[], &[old], day(4).timestamp()).unwrap();
    assert!(w.signs.is_empty());
}

#[test]
fn every_session_sign_answers_a_warning_sign_question_in_its_words() {
    for s in SESSION_SIGNS {
        let q = unknot_core::intake::questions::question(s.field).unwrap();
        assert!(s.words().starts_with(q.ask), "{}", s.words());
        assert_ne!(
            s.answers(),
            Answers::default(),
            "{} reads as an answer",
            s.id
        );
        assert_eq!(SessionSign::find(s.id), Some(s));
    }
    assert_eq!(
        read_session_signs(["numbness_tingling", "both_legs", "both_legs"]).unwrap(),
        vec!["both_legs".to_string(), "numbness_tingling".to_string()]
    );
    let err = read_session_signs(["both_leg"]).unwrap_err().to_string();
    assert!(err.contains("both_legs"), "{err}");
}

#[test]
fn a_later_check_in_cannot_erase_history_but_can_clear_a_passing_sign() {
    let base = Answers {
        cancer_history: Some(true),
        osteoporosis_or_steroids: Some(true),
        trauma: Some(unknot_core::intake::Trauma::Minor),
        fever: Some(true),
        ..Answers::default()
    };
    let later = Answers {
        cancer_history: Some(false),
        osteoporosis_or_steroids: Some(false),
        trauma: Some(unknot_core::intake::Trauma::None),
        fever: Some(false),
        ..Answers::default()
    };
    let merged = base.updated_by(&later);
    assert_eq!(merged.cancer_history, Some(true));
    assert_eq!(merged.osteoporosis_or_steroids, Some(true));
    assert_eq!(merged.trauma, Some(unknot_core::intake::Trauma::Minor));
    assert_eq!(merged.fever, Some(false));
    // A report from a session or a journal never clears anything.
    let reported = add_report(&base, &later);
    assert_eq!(reported.fever, Some(true));
    let worse = add_report(
        &Answers::default(),
        &Answers {
            leg_weakness: Some(unknot_core::intake::LegWeakness::Worsening),
            both_legs: Some(true),
            ..Answers::default()
        },
    );
    assert_eq!(triage(&worse).urgency, Urgency::Emergency);
}

#[test]
fn journal_signs_from_before_this_version_still_count() {
    let mut s = Setup::new(|_| 4, 20);
    // Tingling logged on day 3, under version 1.
    s.entries[2].pain_kinds = vec![PainKind::Tingling];
    // Version 2 began on day 10.
    let mut v2 = s.plans[0].clone();
    v2.created = day(10).timestamp();
    v2.plan.version = 2;
    v2.plan.urgency = "routine".into();
    s.plans.push(v2);
    let r = s.review_on(17);
    assert!(r.answers.numbness_tingling == Some(true));
    assert!(r.triage.is_none(), "already known: no new retriage");
}

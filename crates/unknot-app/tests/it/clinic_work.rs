//! The physiotherapist's work on each engine: programmes (cautions, versions, templates,
//! assigning to several patients), the dashboard against a fixture computed by hand, the
//! questionnaire schedule and messages.

use jiff::Timestamp;
use jiff::civil::Weekday;
use unknot_app::clinic::{Prescribed, Principal};
use unknot_app::session::Finished;
use unknot_app::{AppError, Clock};
use unknot_core::adapt::{ItemOutcome, ItemStatus};
use unknot_core::catalogue::Caution;
use unknot_core::clinic::access::Role;
use unknot_core::clinic::programme::{Body, Prescribed as Item, Schedule};
use unknot_core::clinic::signals::Alert;
use unknot_core::intake::Answers;
use unknot_core::journal::RegionPain;
use unknot_core::outcomes::Instrument;
use unknot_core::score::Score;

use crate::clinic::{World, join_patient, join_staff, not_found, world};

use crate::clinic::support;

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

/// A programme of one exercise, Monday, Wednesday and Friday from 1 June 2026 (a Monday).
fn mon_wed_fri(w: &World, exercise: &str) -> Body {
    let _ = w;
    Body {
        name: "Low back, week 1".into(),
        items: vec![Item {
            exercise: exercise.into(),
            sets: 2,
            reps: Some(10),
            hold_seconds: None,
            per_side: false,
            rest_seconds: 30,
            instructions: "Slowly, and stop if it pinches.".into(),
        }],
        schedule: Schedule {
            days: vec![Weekday::Monday, Weekday::Wednesday, Weekday::Friday],
            times_per_day: 1,
            start: jiff::civil::date(2026, 6, 1),
            end: None,
        },
        note: String::new(),
    }
}

fn gentle_exercise(w: &World) -> String {
    let cat = unknot_core::catalogue::Catalogue::builtin().unwrap();
    let _ = w;
    cat.exercises()
        .find(|e| e.cautions.is_empty() && e.dosage.reps.is_some())
        .expect("an exercise with no caution")
        .id
        .clone()
}

async fn intake(w: &World, who: &Principal, json: &str) {
    let answers = Answers::from_json(json).unwrap();
    w.c.own_app(who).assess(answers, true).await.unwrap();
}

async fn saved(r: Result<Prescribed, AppError>) -> (u32, Vec<String>) {
    match r.unwrap() {
        Prescribed::Saved { version, .. } => (version.version, version.changes.clone()),
        Prescribed::Clashes(c) => panic!("not saved: {c:?}"),
    }
}

#[tokio::test]
async fn programmes_are_checked_against_cautions_versioned_and_scoped() {
    for db in support::databases().await {
        let w = world(&db.url).await;
        let casey = join_staff(&w, "casey@example.org", Role::Clinician).await;
        let ash = join_staff(&w, "ash@example.org", Role::Assistant).await;
        let pat = join_patient(&w, &casey, "Pat Able", "pat").await;
        let other = join_patient(&w, &w.owner, "Robin Other", "robin").await;
        intake(&w, &pat, r#"{"pain_now": 4, "radiation": "below_knee"}"#).await;
        let cat = unknot_core::catalogue::Catalogue::builtin().unwrap();
        let risky = cat
            .exercises()
            .find(|e| e.cautions.contains(&Caution::LegSymptoms))
            .unwrap();
        let mut body = mon_wed_fri(&w, &risky.id);
        body.items[0] = Item::from_library(risky);
        let id = pat.account.id.clone();
        // A clash with the patient's cautions is shown, and nothing is stored until accepted.
        let first =
            w.c.prescribe(&casey, &w.clinic, &id, body.clone(), None, false)
                .await
                .unwrap();
        let Prescribed::Clashes(clashes) = first else {
            panic!("expected a clash")
        };
        assert_eq!(clashes[0].caution, Caution::LegSymptoms, "{}", db.label);
        assert!(w.c.my_programme(&pat).await.unwrap().is_none());
        let (v, _) = saved(
            w.c.prescribe(&casey, &w.clinic, &id, body.clone(), None, true)
                .await,
        )
        .await;
        assert_eq!(v, 1);
        // The next edit is version 2 with a change log; an edit of a stale version is refused.
        let mut edit = body.clone();
        edit.items[0].sets = 3;
        let (v, log) = saved(
            w.c.prescribe(&casey, &w.clinic, &id, edit.clone(), Some(1), true)
                .await,
        )
        .await;
        assert_eq!(v, 2);
        assert!(
            log[0].starts_with(&format!("Changed {}", risky.name)),
            "{log:?}"
        );
        let stale =
            w.c.prescribe(&casey, &w.clinic, &id, edit.clone(), Some(1), true)
                .await;
        assert!(matches!(stale, Err(AppError::Changed(_))), "{stale:?}");
        // The patient sees version 2 at the prescribed dosage; the link (id) did not change.
        let mine = w.c.my_programme(&pat).await.unwrap().unwrap();
        assert_eq!(mine.version.version, 2);
        assert_eq!(mine.items[0].dosage.sets, 3);
        let view =
            w.c.patient_programme(&casey, &w.clinic, &id)
                .await
                .unwrap()
                .unwrap();
        assert_eq!(view.programme.id, mine.programme.id);
        assert_eq!(view.versions.len(), 2);
        // Nobody else may prescribe: the assistant, a clinician not named, a patient.
        for who in [&ash, &other] {
            let r =
                w.c.prescribe(who, &w.clinic, &id, edit.clone(), None, true)
                    .await;
            assert!(not_found(r), "{}", who.account.display_name);
        }
        let bad = Body {
            name: String::new(),
            ..edit.clone()
        };
        let refused = w.c.prescribe(&casey, &w.clinic, &id, bad, None, true).await;
        assert!(matches!(refused, Err(AppError::Input(_))));
    }
}

#[tokio::test]
async fn templates_are_the_clinics_or_ones_own_and_assign_to_several() {
    for db in support::databases().await {
        let w = world(&db.url).await;
        let casey = join_staff(&w, "casey@example.org", Role::Clinician).await;
        let dana = join_staff(&w, "dana@example.org", Role::Clinician).await;
        let ash = join_staff(&w, "ash@example.org", Role::Assistant).await;
        let body = mon_wed_fri(&w, &gentle_exercise(&w));
        let shared =
            w.c.save_template(&casey, &w.clinic, None, body.clone(), false)
                .await
                .unwrap();
        let own =
            w.c.save_template(&casey, &w.clinic, None, body.clone(), true)
                .await
                .unwrap();
        assert_eq!(w.c.templates(&casey, &w.clinic).await.unwrap().len(), 2);
        assert_eq!(w.c.templates(&dana, &w.clinic).await.unwrap().len(), 1);
        assert!(not_found(
            w.c.template(&dana, &w.clinic, &own.programme.id).await
        ));
        assert!(matches!(
            w.c.templates(&ash, &w.clinic).await,
            Err(AppError::Denied(_))
        ));
        let a = join_patient(&w, &casey, "Ann One", "ann").await;
        let b = join_patient(&w, &casey, "Ben Two", "ben").await;
        let c = join_patient(&w, &dana, "Cat Three", "cat").await;
        let ids = vec![
            a.account.id.clone(),
            b.account.id.clone(),
            c.account.id.clone(),
        ];
        let start = jiff::civil::date(2026, 6, 8);
        let done =
            w.c.assign_template(&casey, &w.clinic, &shared.programme.id, &ids, start, false)
                .await
                .unwrap();
        assert!(
            matches!(done[0].1, Ok(Prescribed::Saved { .. })),
            "{}",
            db.label
        );
        assert!(matches!(done[1].1, Ok(Prescribed::Saved { .. })));
        assert!(not_found(done[2].1.clone_err()), "not Casey's patient");
        let mine = w.c.my_programme(&b).await.unwrap().unwrap();
        assert_eq!(mine.version.body.schedule.start, start);
        assert!(w.c.my_programme(&c).await.unwrap().is_none());
    }
}

/// Lets the test look at a refusal without `AppError: Clone`.
trait CloneErr {
    fn clone_err(&self) -> Result<(), AppError>;
}

impl CloneErr for Result<Prescribed, AppError> {
    fn clone_err(&self) -> Result<(), AppError> {
        match self {
            Ok(_) => Ok(()),
            Err(AppError::Denied(d)) => Err(AppError::Denied(*d)),
            Err(e) => Err(AppError::Internal(e.to_string())),
        }
    }
}

async fn session_on(w: &World, who: &Principal, exercise: &str, when: &str) {
    let app = w.c.own_app(who);
    let zone = app.zone().await.unwrap();
    app.record_session(Finished {
        id: None,
        started: Some(at(when).to_zoned(zone)),
        items: vec![ItemOutcome {
            exercise: exercise.into(),
            status: ItemStatus::Done,
            seconds: 60,
        }],
        pain_before: None,
        pain_after: None,
        warning_signs: Vec::new(),
    })
    .await
    .unwrap();
}

async fn pain_on(w: &World, who: &Principal, pain: i64, when: &str) {
    let app = w.c.own_app(who);
    let zone = app.zone().await.unwrap();
    let mut e = app.new_entry().await.unwrap();
    e.at = at(when).to_zoned(zone);
    e.pain = Some(Score::new(pain, "pain").unwrap());
    app.log(e).await.unwrap();
}

/// The fixture, worked out by hand (all times at noon UTC, so any time zone within eleven
/// hours keeps the same days; care begins Monday 1 June 2026, today is Friday 19 June):
/// - Ann: Mon/Wed/Fri programme; sessions 1, 3, 10, 12 and 19 June. Over 28 days 9 sessions
///   were due (1, 3, 5, 8, 10, 12, 15, 17 and today, done), 5 done; over 7 days 3 due (15, 17,
///   19), 1 done: 33%, an alert. Pain 3 and 4 in the first week (baseline 3.5), 6 and 7 on 17
///   and 18 June (recent 6.5): up 3.0, an alert.
/// - Ben: no programme; PEG 4 at the start, 7 on 15 June (worse by more than 1); two unread
///   messages; nothing since 15 June: 4 days inactive.
/// - Cat: an intake with saddle numbness: a red flag, at the top.
#[tokio::test]
async fn the_dashboard_matches_the_fixture_worked_out_by_hand() {
    for db in support::databases().await {
        let w = world(&db.url).await;
        w.clock.set(at("2026-06-01T12:00:00Z"));
        let casey = join_staff(&w, "casey@example.org", Role::Clinician).await;
        let ann = join_patient(&w, &casey, "Ann One", "ann").await;
        let ben = join_patient(&w, &casey, "Ben Two", "ben").await;
        let cat = join_patient(&w, &casey, "Cat Three", "cat").await;
        let ex = gentle_exercise(&w);
        let body = mon_wed_fri(&w, &ex);
        saved(
            w.c.prescribe(&casey, &w.clinic, &ann.account.id, body, None, false)
                .await,
        )
        .await;
        intake(&w, &ben, peg(4)).await;
        intake(&w, &cat, r#"{"pain_now": 5, "saddle_numbness": true}"#).await;
        w.clock.set(at("2026-06-15T12:00:00Z"));
        let checkin = Answers::from_json(peg(7)).unwrap();
        w.c.own_app(&ben).checkin(checkin).await.unwrap();
        w.clock.set(at("2026-06-19T12:30:00Z"));
        for day in ["01", "03", "10", "12", "19"] {
            session_on(&w, &ann, &ex, &format!("2026-06-{day}T12:00:00Z")).await;
        }
        for (pain, day) in [(3, "01"), (4, "02"), (6, "17"), (7, "18")] {
            pain_on(&w, &ann, pain, &format!("2026-06-{day}T12:00:00Z")).await;
        }
        let care = w.c.my_care(&ben).await.unwrap();
        for text in ["Is it normal to ache after?", "It is worse today."] {
            w.c.message_clinic(&ben, &care[0].id, text).await.unwrap();
        }
        let rows = w.c.dashboard(&casey, &w.clinic).await.unwrap();
        let names: Vec<&str> = rows.iter().map(|r| r.patient.name.as_str()).collect();
        assert_eq!(names, ["Cat Three", "Ann One", "Ben Two"], "{}", db.label);
        assert!(matches!(rows[0].signals.alerts[0], Alert::RedFlag { .. }));
        let ann_row = &rows[1].signals;
        let a28 = ann_row.adherence_28.unwrap();
        assert_eq!((a28.done, a28.due), (5, 9), "{}", db.label);
        let a7 = ann_row.adherence_7.unwrap();
        assert_eq!((a7.done, a7.due), (1, 3));
        let p = ann_row.pain.unwrap();
        assert_eq!((p.baseline, p.recent, p.rise), (3.5, 6.5, 3.0));
        assert_eq!(ann_row.inactive_days, Some(0));
        let ann_alerts: Vec<String> = ann_row.alerts.iter().map(Alert::words).collect();
        assert_eq!(
            ann_alerts,
            [
                "Pain up 3.0 points (from 3.5 to 6.5)",
                "Adherence 33% (1 of 3 sessions)"
            ]
        );
        let ben_row = &rows[2].signals;
        assert_eq!(ben_row.peg.as_ref().unwrap().instrument, Instrument::Peg);
        let ben_alerts: Vec<String> = ben_row.alerts.iter().map(Alert::words).collect();
        assert_eq!(
            ben_alerts,
            [
                "PEG worse: 4.0 → 7.0",
                "No activity for 4 days",
                "2 unread messages"
            ],
            "{}",
            db.label
        );
        // Reading the thread marks it read; the next dashboard shows no unread messages.
        let thread =
            w.c.patient_thread(&casey, &w.clinic, &ben.account.id)
                .await
                .unwrap();
        assert_eq!(thread.len(), 2);
        let rows = w.c.dashboard(&casey, &w.clinic).await.unwrap();
        assert_eq!(rows[2].signals.unread, 0);
        // The per-exercise tally on Ann's page.
        let (_, tally) =
            w.c.patient_signals(&casey, &w.clinic, &ann.account.id)
                .await
                .unwrap();
        assert_eq!(
            (tally[0].exercise.as_str(), tally[0].done),
            (ex.as_str(), 5)
        );
    }
}

/// The dashboard reads each kind of record for its whole caseload at once, a patient's page
/// reads that patient's alone: both give the same signals. The safety net reads only the
/// entries that may carry a warning sign, so a sign logged weeks after the intake, among
/// weeks of plain entries, must still be found (here pain in the leg).
#[tokio::test]
async fn the_dashboard_and_each_patients_page_agree() {
    for db in support::databases().await {
        let w = world(&db.url).await;
        w.clock.set(at("2026-05-01T12:00:00Z"));
        let casey = join_staff(&w, "casey@example.org", Role::Clinician).await;
        let dee = join_patient(&w, &casey, "Dee Four", "dee").await;
        let eve = join_patient(&w, &casey, "Eve Five", "eve").await;
        intake(&w, &dee, peg(4)).await;
        intake(&w, &eve, peg(4)).await;
        w.clock.set(at("2026-06-19T12:30:00Z"));
        for d in 1..=30 {
            pain_on(&w, &dee, 2 + d % 5, &format!("2026-05-{d:02}T09:00:00Z")).await;
        }
        for d in 10..=19 {
            pain_on(&w, &eve, 3, &format!("2026-06-{d:02}T09:00:00Z")).await;
        }
        session_on(&w, &eve, &gentle_exercise(&w), "2026-06-18T12:00:00Z").await;
        let app = w.c.own_app(&dee);
        let mut leg = app.new_entry().await.unwrap();
        leg.at = at("2026-05-20T18:00:00Z").to_zoned(app.zone().await.unwrap());
        leg.regions = vec![RegionPain::parse("leg=5").unwrap()];
        app.log(leg).await.unwrap();
        let signs = app.watch().await.unwrap().unwrap().signs;
        assert_eq!(
            signs,
            ["pain in the leg logged on 2026-05-20"],
            "{}",
            db.label
        );
        let rows = w.c.dashboard(&casey, &w.clinic).await.unwrap();
        assert_eq!(rows.len(), 2);
        for r in &rows {
            let (page, _) =
                w.c.patient_signals(&casey, &w.clinic, &r.patient.id)
                    .await
                    .unwrap();
            assert_eq!(
                serde_json::to_value(&page).unwrap(),
                serde_json::to_value(&r.signals).unwrap(),
                "{}: {}",
                db.label,
                r.patient.name
            );
        }
    }
}

/// Each server keeps its dashboards' records and reads a patient again once their journal
/// change counter moves, so a write through another server over the same database shows on
/// the next view. A write that does not move the counter (a server still on an older release)
/// shows once the kept records are a minute old. Three patients, so the ids a query binds are
/// padded.
#[tokio::test]
async fn a_write_through_another_server_shows_on_the_next_dashboard() {
    for db in support::databases().await {
        let w = world(&db.url).await;
        w.clock.set(at("2026-06-01T12:00:00Z"));
        let casey = join_staff(&w, "casey@example.org", Role::Clinician).await;
        let ann = join_patient(&w, &casey, "Ann One", "ann").await;
        let ben = join_patient(&w, &casey, "Ben Two", "ben").await;
        let cat = join_patient(&w, &casey, "Cat Three", "cat").await;
        intake(&w, &ben, peg(4)).await;
        intake(&w, &cat, peg(4)).await;
        w.clock.set(at("2026-06-19T12:30:00Z"));
        for (pain, day) in [(3, "01"), (4, "02"), (6, "17")] {
            pain_on(&w, &ann, pain, &format!("2026-06-{day}T12:00:00Z")).await;
        }
        // The first view reads all three (ids padded to four); the recent window is bound
        // after the ids, so a wrong placeholder would lose Ann's recent pain.
        let first = w.c.dashboard(&casey, &w.clinic).await.unwrap();
        assert_eq!(first.len(), 3, "{}", db.label);
        let ann_first = first.iter().find(|r| r.patient.name == "Ann One").unwrap();
        assert_eq!(ann_first.signals.pain.unwrap().rise, 2.5, "{}", db.label);
        assert!(first.iter().all(|r| {
            r.signals
                .alerts
                .iter()
                .all(|a| !matches!(a, Alert::RedFlag { .. }))
        }));

        // The second server: its own process, as far as the database can tell.
        let other = crate::clinic::clinic_app(&db.url, &w.clock).await;
        let saddle = Answers::from_json(r#"{"pain_now": 5, "saddle_numbness": true}"#).unwrap();
        other.own_app(&cat).checkin(saddle).await.unwrap();
        let app = other.own_app(&ann);
        let mut e = app.new_entry().await.unwrap();
        // Each server makes ids from the same fixed test clock: name this one.
        e.id = unknot_core::journal::EntryId::new("from-the-other-server").unwrap();
        e.at = at("2026-06-18T12:00:00Z").to_zoned(app.zone().await.unwrap());
        e.pain = Some(Score::new(8, "pain").unwrap());
        app.log(e).await.unwrap();
        let rows = w.c.dashboard(&casey, &w.clinic).await.unwrap();
        assert_eq!(rows[0].patient.name, "Cat Three", "{}", db.label);
        assert!(matches!(rows[0].signals.alerts[0], Alert::RedFlag { .. }));
        assert_eq!(rows[1].patient.name, "Ann One");
        assert_eq!(rows[1].signals.pain.unwrap().rise, 3.5, "{}", db.label);

        // A write past the counter: kept records are used until they are a minute old.
        pain_on(&w, &ben, 9, "2026-06-19T12:00:00Z").await;
        {
            use sqlx::Connection;
            let mut c = sqlx::AnyConnection::connect(&db.url).await.unwrap();
            sqlx::query("UPDATE journal_changes SET version = version - 1 WHERE user_id = $1")
                .bind(&ben.account.id)
                .execute(&mut c)
                .await
                .unwrap();
        }
        let ben_of = |rows: &[unknot_app::clinic::DashboardRow]| {
            rows.iter()
                .find(|r| r.patient.name == "Ben Two")
                .unwrap()
                .signals
                .inactive_days
        };
        w.clock.set(at("2026-06-19T12:30:30Z"));
        let kept = w.c.dashboard(&casey, &w.clinic).await.unwrap();
        assert_eq!(ben_of(&kept), Some(18), "{}: kept records used", db.label);
        w.clock.set(at("2026-06-19T12:31:31Z"));
        let later = w.c.dashboard(&casey, &w.clinic).await.unwrap();
        assert_eq!(
            ben_of(&later),
            Some(0),
            "{}: read again after a minute",
            db.label
        );
    }
}

/// Two prescriptions racing on PostgreSQL can leave a patient two active programmes: the
/// dashboard still lists them once, with the newer programme, and with their own records (a
/// second line once got empty records, hiding a red flag).
#[tokio::test]
async fn a_patient_with_two_active_programmes_is_listed_once_with_their_records() {
    for db in support::databases().await {
        let w = world(&db.url).await;
        w.clock.set(at("2026-06-01T12:00:00Z"));
        let casey = join_staff(&w, "casey@example.org", Role::Clinician).await;
        let ann = join_patient(&w, &casey, "Ann One", "ann").await;
        let ex = gentle_exercise(&w);
        let body = mon_wed_fri(&w, &ex);
        saved(
            w.c.prescribe(&casey, &w.clinic, &ann.account.id, body, None, false)
                .await,
        )
        .await;
        intake(&w, &ann, r#"{"pain_now": 5, "saddle_numbness": true}"#).await;
        {
            use sqlx::Connection;
            let mut c = sqlx::AnyConnection::connect(&db.url).await.unwrap();
            for sql in [
                "INSERT INTO programmes (id, clinic_id, patient_id, owner_id, kind, active, \
                 version, created_at_ms, changed_at_ms) SELECT 'second', clinic_id, patient_id, \
                 owner_id, kind, active, version, created_at_ms, changed_at_ms + 1 \
                 FROM programmes WHERE patient_id = $1",
                "INSERT INTO programme_versions (programme_id, version, body, changes, \
                 author_id, created_at_ms) SELECT 'second', v.version, \
                 v.body, v.changes, v.author_id, v.created_at_ms \
                 FROM programme_versions v JOIN programmes p ON p.id = v.programme_id \
                 WHERE p.patient_id = $1 AND p.id <> 'second'",
            ] {
                sqlx::query(sql)
                    .bind(&ann.account.id)
                    .execute(&mut c)
                    .await
                    .unwrap();
            }
        }
        w.clock.set(at("2026-06-03T12:00:00Z"));
        let rows = w.c.dashboard(&casey, &w.clinic).await.unwrap();
        assert_eq!(rows.len(), 1, "{}", db.label);
        assert!(
            matches!(rows[0].signals.alerts[0], Alert::RedFlag { .. }),
            "{}",
            db.label
        );
    }
}

fn peg(n: u8) -> &'static str {
    match n {
        4 => r#"{"pain_now": 4, "peg_pain": 4, "peg_enjoyment": 4, "peg_activity": 4}"#,
        _ => r#"{"pain_now": 7, "peg_pain": 7, "peg_enjoyment": 7, "peg_activity": 7}"#,
    }
}

#[tokio::test]
async fn questionnaires_are_asked_on_schedule_and_again_after_an_error() {
    for db in support::databases().await {
        let w = world(&db.url).await;
        let casey = join_staff(&w, "casey@example.org", Role::Clinician).await;
        let pat = join_patient(&w, &casey, "Pat Able", "pat").await;
        let due = w.c.questionnaires_due(&pat).await.unwrap();
        let asked: Vec<Instrument> = due[0].due.iter().map(|d| d.instrument).collect();
        assert_eq!(asked, [Instrument::Peg, Instrument::Psfs], "{}", db.label);
        intake(
            &w,
            &pat,
            r#"{"pain_now": 4, "peg_pain": 4, "peg_enjoyment": 4, "peg_activity": 4,
                "psfs": [{"activity": "Sitting at work", "score": 5}]}"#,
        )
        .await;
        assert!(w.c.questionnaires_due(&pat).await.unwrap().is_empty());
        // The clinician marks that answer as an error: both are asked again.
        let id = w.c.own_app(&pat).assessments().await.unwrap()[0].id.clone();
        w.c.mark_answer_error(&casey, &w.clinic, &pat.account.id, &id)
            .await
            .unwrap();
        assert_eq!(w.c.questionnaires_due(&pat).await.unwrap()[0].due.len(), 2);
        // Another patient's answer cannot be marked through this one.
        assert!(not_found(
            w.c.mark_answer_error(&casey, &w.clinic, &pat.account.id, "no-such-id")
                .await
        ));
        // A schedule without the PEG, PSFS at the start only: nothing more is due.
        let plan = unknot_core::clinic::questionnaires::QuestionnairePlan {
            peg_every_days: None,
            psfs_weeks: vec![0],
        };
        w.c.set_questionnaire_plan(&casey, &w.clinic, &pat.account.id, &plan)
            .await
            .unwrap();
        let due = w.c.questionnaires_due(&pat).await.unwrap();
        assert_eq!(due[0].due.len(), 1);
        assert_eq!(due[0].due[0].instrument, Instrument::Psfs);
        let _: &Clock = &w.clock;
    }
}

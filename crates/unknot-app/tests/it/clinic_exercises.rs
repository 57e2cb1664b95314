//! The clinic's own exercises on each engine: checked with the library before they are stored,
//! prescribed like the library's (their cautions checked against the patient's answers),
//! played on the patient's side, and seen through a second server on its next request.

use jiff::civil::Weekday;
use unknot_app::AppError;
use unknot_app::clinic::Prescribed;
use unknot_app::session::Finished;
use unknot_core::adapt::{ItemOutcome, ItemStatus};
use unknot_core::catalogue::{CLINICIAN_SOURCE, Catalogue, Caution, Exercise};
use unknot_core::clinic::access::{Decision, Role};
use unknot_core::clinic::programme::{Body, Prescribed as Item, Schedule};
use unknot_core::intake::Answers;

use crate::clinic::{clinic_app, from, join_patient, join_staff, world};

use crate::clinic::support;

/// A clinic's variation on a library exercise: its own id, words, caution and source.
fn towel_tilt() -> Exercise {
    let cat = Catalogue::builtin().unwrap();
    let mut e = cat.exercise("pelvic-tilt").unwrap().clone();
    e.id = "towel-pelvic-tilt".into();
    e.name = "Pelvic tilt on a rolled towel".into();
    e.summary = "The pelvic tilt with a rolled towel under the lower back, as we teach it.".into();
    e.cautions = vec![Caution::LegSymptoms];
    e.avoid_if = vec!["Pain runs down a leg: ask us first.".into()];
    e.sources = vec![CLINICIAN_SOURCE.into(), "nice-ng59".into()];
    e.easier.clear();
    e.harder.clear();
    e
}

fn programme_of(e: &Exercise) -> Body {
    Body {
        name: "Towel week".into(),
        items: vec![Item::from_library(e)],
        schedule: Schedule {
            days: vec![Weekday::Monday, Weekday::Thursday],
            times_per_day: 1,
            start: jiff::civil::date(2026, 6, 1),
            end: None,
        },
        note: String::new(),
    }
}

#[tokio::test]
async fn a_clinic_exercise_is_checked_prescribed_played_and_seen_by_every_server() {
    for db in support::databases().await {
        let w = world(&db.url).await;
        let casey = join_staff(&w, "casey@example.org", Role::Clinician).await;
        let pat = join_patient(&w, &casey, "Pat Able", "pat").await;
        // A second server over the same database, its libraries loaded before the change.
        let other = clinic_app(&db.url, &w.clock).await;
        let before = other.app().clinic_catalogue(&w.clinic).await.unwrap();
        let pat_before = other.own_app(&pat).catalogue().await.unwrap();
        let count = before.exercises().count();
        assert_eq!(pat_before.exercises().count(), count);

        let saved =
            w.c.save_clinic_exercise(&casey, &w.clinic, towel_tilt(), true, &from("10.0.0.2"))
                .await
                .unwrap();
        assert_eq!(saved.name, "Pelvic tilt on a rolled towel", "{}", db.label);
        assert!(saved.figure.is_some(), "the drawing is kept");
        // The id carries the clinic's tag, so no other clinic, person or later library
        // release chooses it by accident.
        let id = saved.id.clone();
        assert!(
            id.ends_with("-towel-pelvic-tilt")
                && unknot_core::clinic::exercise_ids::is_tagged(&w.clinic, &id),
            "{id}"
        );
        let list = w.c.clinic_exercises(&casey, &w.clinic).await.unwrap();
        assert_eq!(list.len(), 1);

        // The other server sees it on its next request: in the clinic's library and the
        // patient's (who is under this clinic's care).
        let after = other.app().clinic_catalogue(&w.clinic).await.unwrap();
        assert!(after.exercise(&id).is_some(), "{}", db.label);
        let pat_after = other.own_app(&pat).catalogue().await.unwrap();
        assert_eq!(
            pat_after
                .origin(&id)
                .map(|o| o.contains("Back Room Physio")),
            Some(true),
            "{}: {:?}",
            db.label,
            pat_after.origin(&id)
        );

        // Its caution is checked against the patient's answers like a library exercise's.
        let answers = Answers::from_json(r#"{"pain_now": 4, "radiation": "below_knee"}"#).unwrap();
        w.c.own_app(&pat).assess(answers, true).await.unwrap();
        let body = programme_of(&saved);
        let first =
            w.c.prescribe(
                &casey,
                &w.clinic,
                &pat.account.id,
                body.clone(),
                None,
                false,
            )
            .await
            .unwrap();
        let Prescribed::Clashes(clashes) = first else {
            panic!("{}: expected the clinic's caution to clash", db.label)
        };
        assert_eq!(clashes[0].caution, Caution::LegSymptoms);
        assert!(
            clashes[0].reason.contains("ask us first"),
            "{:?}",
            clashes[0]
        );
        w.c.prescribe(&casey, &w.clinic, &pat.account.id, body, None, true)
            .await
            .unwrap();

        // The patient's player (on the other server too) runs it at the prescribed dosage.
        let items = other.own_app(&pat).session_items(None).await.unwrap();
        assert_eq!(items.len(), 1, "{}", db.label);
        assert_eq!(items[0].exercise, id);
        let mine = other.my_programme(&pat).await.unwrap().unwrap();
        assert_eq!(mine.items.len(), 1);
        let handout = other.my_handout(&pat).await.unwrap().unwrap();
        assert_eq!(handout.items.len(), 1, "{}", db.label);

        // A change reaches the other server too, under the same id.
        let mut changed = saved.clone();
        changed.steps.push("Rest a breath between tilts.".into());
        w.c.save_clinic_exercise(&casey, &w.clinic, changed, false, &from("10.0.0.2"))
            .await
            .unwrap();
        let seen = other.app().clinic_catalogue(&w.clinic).await.unwrap();
        assert_eq!(
            seen.exercise(&id).unwrap().steps.last().unwrap(),
            "Rest a breath between tilts."
        );
        let audit = w.c.audit_records().await.unwrap();
        assert_eq!(
            audit
                .iter()
                .filter(|r| r.event.action == "clinic_exercise_saved")
                .count(),
            2,
            "{}",
            db.label
        );
    }
}

#[tokio::test]
async fn a_clinic_exercise_is_refused_with_the_reason_and_nothing_stored() {
    for db in support::databases().await {
        let w = world(&db.url).await;
        let casey = join_staff(&w, "casey@example.org", Role::Clinician).await;
        let ash = join_staff(&w, "ash@example.org", Role::Assistant).await;
        let pat = join_patient(&w, &casey, "Pat Able", "pat").await;
        let at = from("10.0.0.2");
        let save =
            |e: Exercise, new: bool| w.c.save_clinic_exercise(&casey, &w.clinic, e, new, &at);

        // A change to an exercise the clinic does not have.
        let missing = save(towel_tilt(), false).await;
        assert!(matches!(missing, Err(AppError::Store(_))), "{missing:?}");

        // The library's checks: one step, an unknown source, a figure that floats.
        let mut one_step = towel_tilt();
        one_step.steps.truncate(1);
        let e = save(one_step, true).await.unwrap_err().to_string();
        assert!(e.contains("steps") && e.contains("at least two"), "{e}");
        let mut unsourced = towel_tilt();
        unsourced.sources = vec!["a-blog-post".into()];
        let e = save(unsourced, true).await.unwrap_err().to_string();
        assert!(e.contains("a-blog-post"), "{e}");
        let mut floating = towel_tilt();
        if let Some(f) = floating.figure.as_mut() {
            for k in &mut f.keyframes {
                k.contacts.clear();
            }
        }
        let e = save(floating, true).await.unwrap_err();
        assert!(
            matches!(&e, AppError::Input(_)) && e.to_string().contains("keyframe 1"),
            "{e}"
        );
        assert!(
            w.c.clinic_exercises(&casey, &w.clinic)
                .await
                .unwrap()
                .is_empty()
        );

        // Only clinicians write them; a patient and an assistant are refused, and a second
        // save under the same id is a duplicate.
        let r =
            w.c.save_clinic_exercise(&ash, &w.clinic, towel_tilt(), true, &at)
                .await;
        assert!(
            matches!(r, Err(AppError::Denied(Decision::Forbidden))),
            "{r:?}"
        );
        let r =
            w.c.save_clinic_exercise(&pat, &w.clinic, towel_tilt(), true, &at)
                .await;
        assert!(matches!(r, Err(AppError::Denied(_))), "{r:?}");
        let nope = w.c.clinic_exercise(&casey, &w.clinic, "nope").await;
        assert!(matches!(nope, Err(AppError::Store(_))), "{nope:?}");
        let first = save(towel_tilt(), true).await.unwrap();
        let mut again = towel_tilt();
        again.id = first.id.clone();
        let again = save(again, true).await;
        assert!(
            matches!(again, Err(AppError::Duplicate { builtin: false, .. })),
            "{again:?}"
        );
        // A name with no Latin letters still gets an id of its own.
        let mut greek = towel_tilt();
        greek.id = String::new();
        greek.name = "Άσκηση".into();
        let g = save(greek, true).await.unwrap();
        assert!(
            unknot_core::clinic::exercise_ids::is_tagged(&w.clinic, &g.id),
            "{}",
            g.id
        );
    }
}

#[tokio::test]
async fn a_patients_backup_carries_the_clinic_exercises_they_did_and_reads_back_alone() {
    for db in support::databases().await {
        let w = world(&db.url).await;
        let casey = join_staff(&w, "casey@example.org", Role::Clinician).await;
        let pat = join_patient(&w, &casey, "Pat Able", "pat").await;
        let at = from("10.0.0.2");
        let mut e = towel_tilt();
        e.cautions.clear();
        let saved =
            w.c.save_clinic_exercise(&casey, &w.clinic, e, true, &at)
                .await
                .unwrap();
        w.c.prescribe(
            &casey,
            &w.clinic,
            &pat.account.id,
            programme_of(&saved),
            None,
            true,
        )
        .await
        .unwrap();
        let app = w.c.own_app(&pat);
        let items = app.session_items(None).await.unwrap();
        let outcomes = items
            .iter()
            .map(|i| ItemOutcome {
                exercise: i.exercise.clone(),
                status: ItemStatus::Done,
                seconds: i.dosage.total_seconds(),
            })
            .collect();
        app.record_session(Finished {
            id: None,
            started: None,
            items: outcomes,
            pain_before: None,
            pain_after: None,
            warning_signs: Vec::new(),
        })
        .await
        .unwrap();
        let backup = app.backup().await.unwrap();
        assert!(
            backup.exercises.iter().any(|x| x.id == saved.id),
            "{}: the backup carries the clinic's exercise",
            db.label
        );
        // Read back on a computer with no clinic at all.
        let dir = tempfile::tempdir().unwrap();
        let local_url = format!("sqlite://{}", dir.path().join("journal.db").display());
        let local = unknot_app::App::local(unknot_store::Store::open(&local_url).await.unwrap());
        let text = serde_json::to_string(&backup).unwrap();
        let parsed = unknot_app::data::parse_import(&text, w.clock.now()).unwrap();
        let done = local.import(parsed).await.unwrap();
        assert!(
            done.summary.records >= 1,
            "{}: {:?}",
            db.label,
            done.summary
        );
        assert!(
            local
                .catalogue()
                .await
                .unwrap()
                .exercise(&saved.id)
                .is_some()
        );
    }
}

#[tokio::test]
async fn a_clinic_exercise_that_no_longer_loads_is_left_out_not_the_whole_library() {
    for db in support::databases().await {
        let w = world(&db.url).await;
        let casey = join_staff(&w, "casey@example.org", Role::Clinician).await;
        let at = from("10.0.0.2");
        let good =
            w.c.save_clinic_exercise(&casey, &w.clinic, towel_tilt(), true, &at)
                .await
                .unwrap();
        // As if a later release's library had taken an id the clinic uses, and a source the
        // clinic cites had gone: written past the checks, straight into the store.
        let library = Catalogue::builtin().unwrap();
        let clash = library.exercise("bird-dog").unwrap();
        let stale = |id: &str, e: &Exercise| unknot_core::catalogue::UserExercise {
            id: id.into(),
            toml: toml::to_string(e).unwrap(),
        };
        let store = w.c.app().store();
        store
            .save_clinic_exercise(&w.clinic, "x", &stale("bird-dog", clash), true)
            .await
            .unwrap();
        let mut unsourced = towel_tilt();
        unsourced.id = "gone-source".into();
        unsourced.sources = vec!["withdrawn-paper".into()];
        store
            .save_clinic_exercise(&w.clinic, "x", &stale("gone-source", &unsourced), true)
            .await
            .unwrap();
        let c = w.c.app().clinic_catalogue(&w.clinic).await.unwrap();
        assert!(c.exercise(&good.id).is_some(), "{}", db.label);
        assert!(c.exercise("gone-source").is_none());
        assert_eq!(
            c.exercise("bird-dog").unwrap().name,
            clash.name,
            "the library's own"
        );
        let list = w.c.clinic_exercises(&casey, &w.clinic).await.unwrap();
        assert!(list.iter().any(|e| e.id == good.id));
    }
}

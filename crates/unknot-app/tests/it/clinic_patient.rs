//! The patient's side of a prescribed programme on each engine: the session players run the
//! prescription (not the person's own plan) and a finished session counts toward the adherence
//! the clinician sees; the handout lists every exercise at its dosage.

use jiff::civil::Weekday;
use unknot_app::clinic::Prescribed;
use unknot_app::session::Finished;
use unknot_core::adapt::{ItemOutcome, ItemStatus};
use unknot_core::clinic::access::Role;
use unknot_core::clinic::programme::{Body, Prescribed as Item, Schedule};

use crate::clinic::{join_patient, join_staff, not_found, world};

use crate::clinic::support;

/// Two exercises with no caution, at a dosage the library would not choose by itself.
fn programme() -> Body {
    let cat = unknot_core::catalogue::Catalogue::builtin().unwrap();
    let items = cat
        .exercises()
        .filter(|e| e.cautions.is_empty() && e.dosage.reps.is_some())
        .take(2)
        .map(|e| Item {
            exercise: e.id.clone(),
            sets: 4,
            reps: Some(7),
            hold_seconds: None,
            per_side: false,
            rest_seconds: 15,
            instructions: format!("Keep {} slow.", e.name),
        })
        .collect();
    Body {
        name: "Clinic week 1".into(),
        items,
        schedule: Schedule {
            days: vec![Weekday::Monday, Weekday::Wednesday],
            times_per_day: 1,
            start: jiff::civil::date(2026, 6, 1),
            end: None,
        },
        note: "Little and often.".into(),
    }
}

#[tokio::test]
async fn the_players_run_the_prescription_and_it_counts_toward_adherence() {
    for db in support::databases().await {
        let w = world(&db.url).await;
        let casey = join_staff(&w, "casey@example.org", Role::Clinician).await;
        let pat = join_patient(&w, &casey, "Pat Able", "pat").await;
        let app = w.c.own_app(&pat);
        // Before anything is prescribed, the player has no prescription to prefer.
        let own = app.session_items(None).await;
        let body = programme();
        let ids: Vec<String> = body.items.iter().map(|i| i.exercise.clone()).collect();
        if let Ok(items) = &own {
            assert!(
                items
                    .iter()
                    .all(|i| i.dosage.sets != 4 || i.dosage.reps != Some([7, 7])),
                "{}: the own plan happened to match the prescription",
                db.label
            );
        }
        let done =
            w.c.prescribe(&casey, &w.clinic, &pat.account.id, body.clone(), None, true)
                .await
                .unwrap();
        assert!(matches!(done, Prescribed::Saved { .. }));
        let items = app.session_items(None).await.unwrap();
        let got: Vec<String> = items.iter().map(|i| i.exercise.clone()).collect();
        assert_eq!(got, ids, "{}", db.label);
        assert!(
            items
                .iter()
                .all(|i| i.dosage.sets == 4 && i.dosage.reps == Some([7, 7]))
        );
        // One exercise from the library still plays that one exercise.
        let single = app.session_items(Some(&ids[1])).await.unwrap();
        assert_eq!(single.len(), 1);
        // A session of the prescription, on a programme day (1 June 2026 is a Monday), makes
        // the dashboard's 7-day adherence 1 of 1.
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
        let rows = w.c.dashboard(&casey, &w.clinic).await.unwrap();
        let row = rows
            .iter()
            .find(|r| r.patient.id == pat.account.id)
            .unwrap();
        let a = row.signals.adherence_7.expect("a programme, so adherence");
        assert_eq!((a.done, a.due), (1, 1), "{}", db.label);
        // Once the programme ends, the player goes back to the person's own plan.
        w.c.end_programme(&casey, &w.clinic, &pat.account.id)
            .await
            .unwrap();
        let after = app.session_items(None).await;
        if let Ok(items) = after {
            let got: Vec<String> = items.iter().map(|i| i.exercise.clone()).collect();
            assert!(
                got != ids || items.iter().all(|i| i.dosage.sets != 4),
                "{}: still the prescription after it ended",
                db.label
            );
        }
    }
}

#[tokio::test]
async fn the_handout_lists_every_exercise_for_the_patient_and_their_clinician_only() {
    for db in support::databases().await {
        let w = world(&db.url).await;
        let casey = join_staff(&w, "casey@example.org", Role::Clinician).await;
        let ash = join_staff(&w, "ash@example.org", Role::Assistant).await;
        let pat = join_patient(&w, &casey, "Pat Able", "pat").await;
        let id = pat.account.id.clone();
        assert!(w.c.my_handout(&pat).await.unwrap().is_none());
        let body = programme();
        w.c.prescribe(&casey, &w.clinic, &id, body.clone(), None, true)
            .await
            .unwrap();
        let mine = w.c.my_handout(&pat).await.unwrap().unwrap();
        let theirs =
            w.c.patient_handout(&casey, &w.clinic, &id, "programme handout")
                .await
                .unwrap()
                .unwrap();
        for h in [&mine, &theirs] {
            assert_eq!(h.clinic, "Back Room Physio");
            assert_eq!(h.items.len(), body.items.len());
            for (item, p) in h.items.iter().zip(&body.items) {
                assert_eq!(item.id, p.exercise);
                assert_eq!(item.dose, "4 × 7 reps, rest 15 s");
                assert_eq!(item.instructions, p.instructions);
            }
        }
        assert_eq!(theirs.patient, "Pat Able");
        // Opening it is in the audit log; the assistant is told there is nothing.
        let log = w.c.clinic_audit(&w.owner, &w.clinic, 50).await.unwrap();
        assert!(
            log.iter()
                .any(|r| r.event.action == "export" && r.event.target == "programme handout"),
            "{}",
            db.label
        );
        let r =
            w.c.patient_handout(&ash, &w.clinic, &id, "programme handout")
                .await;
        assert!(not_found(r), "{}", db.label);
    }
}

//! The clinician's pages through their forms: a programme built (a clash with the patient's
//! answers warned about and saved only when accepted), changed into a second version, seen on
//! the care page and the dashboard; a template made and prescribed to a patient; questionnaire
//! schedules and answers marked as errors.

use super::*;

fn the_clash_exercise() -> String {
    let catalogue = unknot_core::catalogue::Catalogue::builtin().unwrap();
    catalogue
        .exercises()
        .find(|e| {
            e.cautions
                .contains(&unknot_core::catalogue::Caution::LegSymptoms)
        })
        .unwrap()
        .id
        .clone()
}

#[tokio::test]
async fn a_clinician_builds_changes_and_follows_a_programme() {
    for db in db::databases().await {
        let label = db.label;
        let w = world(db).await;
        let a = w.accounts[&Who::PatientA].clone();
        // The world's programme for patient A ends: this test builds a new one.
        let now = w.clock.now();
        let store = w.clinic.app().store();
        assert!(
            store
                .end_programme(&w.a_things.programme, now)
                .await
                .unwrap()
        );
        let journal = w.clinic.app().for_user(&a);
        let answers =
            unknot_core::intake::Answers::from_json(r#"{"pain_now": 5, "radiation": "thigh"}"#)
                .unwrap();
        journal.assess(answers, true).await.unwrap();
        let base = format!("/clinic/{}/patients/{a}", w.c1);
        let ex = the_clash_exercise();
        let form = |accept: bool, sets: &'static str| {
            let mut f = vec![
                ("name", "Back, week 1"),
                ("start", "2026-06-01"),
                ("day", "Mon"),
                ("day", "Thu"),
                ("times", "1"),
                ("sets_0", sets),
                ("reps_0", "8"),
                ("rest_0", "30"),
                ("instr_0", "Go only as far as is comfortable."),
                ("ex_1", ""),
            ];
            if accept {
                f.push(("accept", "1"));
            }
            f
        };
        let mut f = form(false, "2");
        f.push(("ex_0", ex.as_str()));
        let r = w
            .browser(Who::ClinicianA, "POST", &format!("{base}/programme"), &f)
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{label}");
        assert!(r.body.contains("clash with the patient"), "{label}");
        assert!(r.body.contains("Prescribe anyway"));
        assert!(
            r.body.contains("Go only as far as is comfortable."),
            "kept as typed"
        );
        let page = w
            .browser(Who::ClinicianA, "GET", &format!("{base}/care"), &[])
            .await;
        assert!(!page.body.contains("Back, week 1"), "{label}: not saved");
        // The patient's own chart is on the care page, with the rating they logged today.
        assert!(
            page.body.contains("Pain by day, last 30 days") && page.body.contains("<svg"),
            "{label}: the care page draws the patient's pain chart"
        );
        let mut f = form(true, "2");
        f.push(("ex_0", ex.as_str()));
        let r = w
            .browser(Who::ClinicianA, "POST", &format!("{base}/programme"), &f)
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{label}: {}", r.body);
        // The builder now holds version 1; a change makes version 2 with its change log.
        let page = w
            .browser(Who::ClinicianA, "GET", &format!("{base}/programme"), &[])
            .await;
        assert!(page.body.contains(r#"name="base" value="1""#), "{label}");
        let mut f = form(true, "3");
        f.push(("ex_0", ex.as_str()));
        f.push(("base", "1"));
        let r = w
            .browser(Who::ClinicianA, "POST", &format!("{base}/programme"), &f)
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{label}");
        let page = w
            .browser(Who::ClinicianA, "GET", &format!("{base}/programme"), &[])
            .await;
        assert!(page.body.contains("Version 2"), "{label}");
        assert!(
            page.body
                .contains("2 × 8 reps, rest 30 s → 3 × 8 reps, rest 30 s")
        );
        // Sending version 1 again is refused: someone changed it meanwhile.
        let r = w
            .browser(Who::ClinicianA, "POST", &format!("{base}/programme"), &f)
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("changed meanwhile"), "{label}");
        follows_on_the_care_page_and_dashboard(&w, &base, label).await;
        // A bad value is named, and nothing changes.
        let mut bad = form(true, "0");
        bad.push(("ex_0", ex.as_str()));
        bad.push(("base", "2"));
        let r = w
            .browser(Who::ClinicianA, "POST", &format!("{base}/programme"), &bad)
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("items[0].sets"), "{label}");
    }
}

/// The care page and the dashboard show the programme; the owner sees every patient, the
/// clinician only their own.
async fn follows_on_the_care_page_and_dashboard(w: &World, base: &str, label: &str) {
    {
        let care = w
            .browser(Who::ClinicianA, "GET", &format!("{base}/care"), &[])
            .await;
        assert!(care.body.contains("Back, week 1"));
        assert!(care.body.contains("Mon, Thu, once a day, from 2026-06-01"));
        let dash = w
            .browser(
                Who::ClinicianA,
                "GET",
                &format!("/clinic/{}/dashboard?show=all", w.c1),
                &[],
            )
            .await;
        assert!(dash.body.contains("Alex Patient"), "{label}");
        assert!(dash.body.contains("Back, week 1"));
        assert!(!dash.body.contains("Robin Patient"), "not Casey's patient");
        let owner = w
            .browser(
                Who::Owner,
                "GET",
                &format!("/clinic/{}/dashboard?show=all&sort=name", w.c1),
                &[],
            )
            .await;
        assert!(owner.body.contains("Robin Patient") && owner.body.contains("Alex Patient"));
    }
}

#[tokio::test]
async fn templates_are_made_and_prescribed_and_questionnaires_scheduled() {
    for db in db::databases().await {
        let label = db.label;
        let w = world(db).await;
        let a = w.accounts[&Who::PatientA].clone();
        let tpl = format!("/clinic/{}/templates", w.c1);
        let r = w
            .browser(
                Who::ClinicianA,
                "POST",
                &tpl,
                &[
                    ("name", "Desk neck"),
                    ("start", "2026-06-01"),
                    ("day", "Tue"),
                    ("times", "2"),
                    ("ex_0", "cat-camel"),
                    ("sets_0", "2"),
                    ("reps_0", "10"),
                    ("personal", "1"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{label}: {}", r.body);
        let mine = w.browser(Who::ClinicianA, "GET", &tpl, &[]).await;
        assert!(mine.body.contains("Desk neck") && mine.body.contains("Yours"));
        let owners = w.browser(Who::Owner, "GET", &tpl, &[]).await;
        assert!(
            !owners.body.contains("Desk neck"),
            "a personal template is the clinician's"
        );
        let assign = format!("{tpl}/{}/assign", w.a_things.template);
        let b = w.accounts[&Who::PatientB].clone();
        let r = w
            .browser(
                Who::ClinicianA,
                "POST",
                &assign,
                &[("patient", &a), ("patient", &b), ("start", "2026-06-08")],
            )
            .await;
        assert_eq!(
            r.location(),
            format!("{tpl}?assigned=1&skipped=1"),
            "{label}: patient B is not Casey's"
        );
        let mine = w
            .clinic
            .app()
            .for_user(&a)
            .prescribed()
            .await
            .unwrap()
            .unwrap();
        assert_eq!(mine.1.body.schedule.start.to_string(), "2026-06-08");
        // The questionnaire schedule, and an answer marked as an error.
        let care = format!("/clinic/{}/patients/{a}", w.c1);
        let r = w
            .browser(
                Who::ClinicianA,
                "POST",
                &format!("{care}/questionnaires"),
                &[("peg_every_days", "14"), ("psfs_weeks", "0, 3")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{label}");
        let page = w
            .browser(Who::ClinicianA, "GET", &format!("{care}/care"), &[])
            .await;
        assert!(page.body.contains(r#"value="14""#) && page.body.contains(r#"value="0, 3""#));
        let r = w
            .browser(
                Who::ClinicianA,
                "POST",
                &format!("{care}/questionnaires"),
                &[("peg_every_days", "a week")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{label}");
        assert!(r.body.contains("peg_every_days"));
    }
}

/// The clinic exercise form as a clinician fills it in, with these steps and drawing choice.
fn exercise_form(steps: &'static str, figure: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("name", "Wall slide (our version)"),
        ("kind", "mobility"),
        ("difficulty", "gentle"),
        (
            "summary",
            "Slide the forearms up a wall to open the upper back.",
        ),
        ("region", "upper-back"),
        ("muscle", "rhomboids"),
        ("equipment", "wall"),
        ("reps_low", "8"),
        ("reps_high", "10"),
        ("sets", "2"),
        ("rest", "30"),
        ("steps", steps),
        ("cues", "Keep the ribs down."),
        ("caution", "shoulder-problem"),
        ("stop_if", "Pain runs into the arm."),
        ("source", "my-clinician"),
        ("figure", figure),
        ("poses", "view = \"side\"\nkeyframes = 3"),
    ]
}

#[tokio::test]
async fn a_clinician_writes_the_clinics_own_exercise_and_its_patients_see_it() {
    for db in db::databases().await {
        let label = db.label;
        let w = world(db).await;
        let base = format!("/clinic/{}/exercises", w.c1);
        let list = w.browser(Who::ClinicianA, "GET", &base, &[]).await;
        assert_eq!(list.status, StatusCode::OK, "{label}");
        assert!(
            list.body.contains("Bridge, our way"),
            "{label}: the world's exercise"
        );
        let blank = w
            .browser(Who::ClinicianA, "GET", &format!("{base}/new"), &[])
            .await;
        assert!(blank.body.contains("New exercise") && blank.body.contains("Cat-camel"));
        let form = exercise_form;
        // Refused with the reason and every value kept: one step, then unreadable poses.
        let r = w
            .browser(
                Who::ClinicianA,
                "POST",
                &base,
                &form("Stand with your back to a wall.", "like:cat-camel"),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{label}");
        assert!(
            r.body.contains("give at least two steps"),
            "{label}: {}",
            r.body
        );
        assert!(r.body.contains("Keep the ribs down."), "kept as typed");
        let two = "Stand with your back to a wall.\nSlide the forearms up and down slowly.";
        let r = w
            .browser(Who::ClinicianA, "POST", &base, &form(two, "poses"))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{label}");
        assert!(r.body.contains("poses"), "{label}");
        // Saved with a library drawing: the page shows it, and the builder offers it.
        let r = w
            .browser(Who::ClinicianA, "POST", &base, &form(two, "like:cat-camel"))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{label}: {}", r.body);
        let at = r.location().to_string();
        let id = at.rsplit('/').next().unwrap().to_string();
        assert!(
            id.ends_with("-wall-slide-our-version")
                && unknot_core::clinic::exercise_ids::is_tagged(&w.c1, &id),
            "{at}"
        );
        let page = w.browser(Who::ClinicianA, "GET", &at, &[]).await;
        assert!(page.body.contains("<svg") && page.body.contains("Wall slide (our version)"));
        assert!(
            page.body.contains("[[keyframes]]"),
            "the drawing's poses, to edit"
        );
        let a = w.accounts[&Who::PatientA].clone();
        let builder = w
            .browser(
                Who::ClinicianA,
                "GET",
                &format!("/clinic/{}/patients/{a}/programme", w.c1),
                &[],
            )
            .await;
        assert!(builder.body.contains(&format!("value=\"{id}\"")), "{label}");
        // The clinic's patients see it in their library; another clinic's staff do not.
        let seen = w
            .browser(Who::PatientB, "GET", &format!("/library/{id}"), &[])
            .await;
        assert_eq!(seen.status, StatusCode::OK, "{label}");
        assert!(
            seen.body.contains("own practice (not a publication)")
                && !seen.body.contains(">my-clinician<"),
            "{label}: the source is said in words"
        );
        let other = w
            .browser(Who::ClinicianOther, "GET", &format!("/library/{id}"), &[])
            .await;
        assert_eq!(other.status, StatusCode::NOT_FOUND, "{label}");
    }
}

//! Writes with ids the client made (a phone that queued them offline, a retry after a lost
//! answer) are stored once, on each engine: the same id and content again answers 200 with what
//! was stored, other content under the id answers 409, an id in another person's journal is
//! refused without telling anything of it, and requests racing with one id store one row.

use serde_json::{Value, json};
use unknot_core::intake::questions::NONE_OF_THESE;
use unknot_store::Store;
use unknot_web::{AppState, Options};

use crate::api::conforms;
use crate::clinic::db::{TestDb, databases};
use crate::support::App;

/// The local app over one test database (SQLite file or PostgreSQL).
async fn app_on(db: &TestDb) -> App {
    let store = Store::open_with(&db.url, 4).await.unwrap();
    let state = AppState::new(
        unknot_app::App::local(store),
        Options {
            speed: 1.0,
            allowed_hosts: Vec::new(),
            database_file: None,
        },
    )
    .await
    .unwrap();
    App {
        router: unknot_web::router(state.clone()),
        state,
        _dir: tempfile::tempdir().unwrap(),
    }
}

/// Runs one statement on its own connection, beside the app's pool.
async fn sql(db: &TestDb, statement: &str, id: &str) -> i64 {
    use sqlx::{Connection as _, Row as _};
    let mut c = sqlx::AnyConnection::connect(&db.url).await.unwrap();
    let q = sqlx::query(sqlx::AssertSqlSafe(statement.to_string())).bind(id.to_string());
    if statement.starts_with("SELECT") {
        q.fetch_one(&mut c).await.unwrap().try_get(0).unwrap()
    } else {
        i64::try_from(q.execute(&mut c).await.unwrap().rows_affected()).unwrap()
    }
}

/// How many rows of a table hold this id, whoever owns them.
async fn rows_with_id(db: &TestDb, table: &str, id: &str) -> i64 {
    sql(
        db,
        &format!("SELECT COUNT(*) FROM {table} WHERE id = $1"),
        id,
    )
    .await
}

const ENTRY_ID: &str = "0190c1d2-7a3b-7c4d-8e5f-0123456789ab";
const SESSION_ID: &str = "0190c1d2-7a3b-7c4d-8e5f-fedcba987654";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_entry_posted_twice_with_its_id_is_stored_once() {
    for db in databases().await {
        let app = app_on(&db).await;
        let doc = app.get("/api/openapi.json").await.json();
        let posted = json!({"id": ENTRY_ID, "pain": 4, "note": "queued on the phone"});
        let first = app.json("POST", "/api/v1/entries", posted.clone()).await;
        assert_eq!(first.status, 201, "{}: {}", db.label, first.body);
        assert_eq!(first.json()["id"], ENTRY_ID);
        // The answer to the first was lost; the phone sends it again, later.
        let again = app.json("POST", "/api/v1/entries", posted.clone()).await;
        assert_eq!(again.status, 200, "{}: {}", db.label, again.body);
        assert_eq!(again.json(), first.json(), "{}", db.label);
        conforms(&doc, "post", "/api/v1/entries", 200, &again.body);
        // A UUID written in capitals names the same record.
        let upper =
            json!({"id": ENTRY_ID.to_uppercase(), "pain": 4, "note": "queued on the phone"});
        let r = app.json("POST", "/api/v1/entries", upper).await;
        assert_eq!(r.status, 200, "{}: {}", db.label, r.body);
        assert_eq!(
            rows_with_id(&db, "entries", ENTRY_ID).await,
            1,
            "{}",
            db.label
        );
        assert_eq!(app.entry_count().await, 1, "{}", db.label);

        // Other content under the same id is refused, and the stored entry is untouched.
        let other = json!({"id": ENTRY_ID, "pain": 7, "note": "queued on the phone"});
        let r = app.json("POST", "/api/v1/entries", other).await;
        assert_eq!(r.status, 409, "{}: {}", db.label, r.body);
        assert_eq!(r.json()["code"], "id_in_use");
        assert!(r.json()["detail"].as_str().unwrap().contains(ENTRY_ID));
        conforms(&doc, "post", "/api/v1/entries", 409, &r.body);
        let stored = app.get(&format!("/api/v1/entries/{ENTRY_ID}")).await.json();
        assert_eq!(stored["pain"], 4, "{}", db.label);

        // With a time given, the time is part of the content.
        let timed =
            json!({"id": "timed-1", "at": "2026-03-01T09:30:00+01:00[Europe/Paris]", "pain": 2});
        assert_eq!(
            app.json("POST", "/api/v1/entries", timed.clone())
                .await
                .status,
            201
        );
        assert_eq!(app.json("POST", "/api/v1/entries", timed).await.status, 200);
        let moved =
            json!({"id": "timed-1", "at": "2026-03-01T10:30:00+01:00[Europe/Paris]", "pain": 2});
        assert_eq!(app.json("POST", "/api/v1/entries", moved).await.status, 409);

        // A malformed id is named, and nothing is stored.
        let r = app
            .json(
                "POST",
                "/api/v1/entries",
                json!({"id": "no spaces", "pain": 1}),
            )
            .await;
        assert_eq!(r.status, 422, "{}: {}", db.label, r.body);
        assert_eq!(app.entry_count().await, 2, "{}", db.label);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_id_in_another_journal_is_refused_without_telling_anything() {
    for db in databases().await {
        let app = app_on(&db).await;
        let store = app.state.app().store().clone();
        sql(
            &db,
            "INSERT INTO users (id, display_name, created_at_ms) VALUES ($1, NULL, 0)",
            "robin",
        )
        .await;
        let robin = unknot_app::App::local(store.for_user("robin"));
        let mut theirs = robin.new_entry().await.unwrap();
        theirs.id = unknot_core::journal::EntryId::new("robins-entry-1").unwrap();
        theirs.pain = Some(unknot_core::score::Score::new(8, "pain").unwrap());
        theirs.note = Some("private".into());
        robin.log(theirs).await.unwrap();

        // Exactly Robin's content, or other content: the same refusal, with nothing of Robin's.
        for pain in [8, 3] {
            let r = app
                .json(
                    "POST",
                    "/api/v1/entries",
                    json!({"id": "robins-entry-1", "pain": pain, "note": "private"}),
                )
                .await;
            assert_eq!(r.status, 409, "{}: {}", db.label, r.body);
            assert_eq!(r.json()["code"], "id_in_use");
            assert!(!r.body.contains("\"pain\""), "{}", r.body);
        }
        let r = app
            .json(
                "POST",
                "/api/v1/sessions",
                json!({"id": "robins-entry-1", "items": [{"exercise": "bird-dog", "status": "done", "seconds": 90}], "pain_after": 3}),
            )
            .await;
        assert_eq!(r.status, 409, "{}: {}", db.label, r.body);
        // Robin's entry is as it was, and nothing landed in the local journal.
        let kept = robin.entry("robins-entry-1").await.unwrap();
        assert_eq!(kept.pain.map(|p| p.get()), Some(8));
        assert_eq!(app.entry_count().await, 0, "{}", db.label);
        assert_eq!(rows_with_id(&db, "sessions", "robins-entry-1").await, 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_session_posted_twice_with_its_id_is_recorded_once() {
    for db in databases().await {
        let app = app_on(&db).await;
        let doc = app.get("/api/openapi.json").await.json();
        let posted = json!({"id": SESSION_ID, "items": [{"exercise": "bird-dog", "status": "done", "seconds": 90}], "pain_before": 4, "pain_after": 3});
        let first = app.json("POST", "/api/v1/sessions", posted.clone()).await;
        assert_eq!(first.status, 201, "{}: {}", db.label, first.body);
        let first = first.json();
        assert_eq!(first["session"]["id"], SESSION_ID);
        // Its journal entry takes the same id, so a retry finds it too.
        assert_eq!(first["entry"]["id"], SESSION_ID);
        let again = app.json("POST", "/api/v1/sessions", posted).await;
        assert_eq!(again.status, 200, "{}: {}", db.label, again.body);
        assert_eq!(again.json(), first, "{}", db.label);
        conforms(&doc, "post", "/api/v1/sessions", 200, &again.body);
        assert_eq!(rows_with_id(&db, "sessions", SESSION_ID).await, 1);
        assert_eq!(rows_with_id(&db, "entries", SESSION_ID).await, 1);

        let other = json!({"id": SESSION_ID, "items": [{"exercise": "bird-dog", "status": "skipped", "seconds": 0}]});
        let r = app.json("POST", "/api/v1/sessions", other).await;
        assert_eq!(r.status, 409, "{}: {}", db.label, r.body);
        conforms(&doc, "post", "/api/v1/sessions", 409, &r.body);
        assert_eq!(app.state.app().store().sessions().await.unwrap().len(), 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn requests_racing_with_one_id_store_one_row() {
    for db in databases().await {
        let app = std::sync::Arc::new(app_on(&db).await);
        let mut tasks = Vec::new();
        for i in 0..8 {
            let app = app.clone();
            tasks.push(tokio::spawn(async move {
                let (path, body) = if i % 2 == 0 {
                    ("/api/v1/entries", json!({"id": ENTRY_ID, "pain": 5}))
                } else {
                    (
                        "/api/v1/sessions",
                        json!({"id": SESSION_ID, "items": [{"exercise": "bird-dog", "status": "done", "seconds": 60}]}),
                    )
                };
                let r = app.json("POST", path, body).await;
                (path, r.status.as_u16(), r.body)
            }));
        }
        let mut created: Vec<&str> = Vec::new();
        for t in tasks {
            let (path, status, body) = t.await.unwrap();
            assert!(
                status == 201 || status == 200,
                "{}: {path} {status} {body}",
                db.label
            );
            if status == 201 {
                created.push(path);
            }
        }
        created.sort_unstable();
        assert_eq!(
            created,
            ["/api/v1/entries", "/api/v1/sessions"],
            "{}: exactly one request of each kind stored it",
            db.label
        );
        assert_eq!(rows_with_id(&db, "entries", ENTRY_ID).await, 1);
        assert_eq!(rows_with_id(&db, "sessions", SESSION_ID).await, 1);
        let stored: Value = app.get("/api/v1/entries").await.json();
        assert_eq!(stored["entries"].as_array().unwrap().len(), 2, "{stored}");
    }
}

const CHECKIN_ID: &str = "0190c1d2-7a3b-7c4d-8e5f-00000000c0de";

/// A week's check-in answers, with PEG and PSFS.
fn checkin_answers(peg_pain: u8) -> Value {
    json!({"pain_now": 3, "peg_pain": peg_pain, "peg_enjoyment": 2, "peg_activity": 3,
        "psfs": [{"activity": "gardening", "score": 6}]})
}

/// How many check-ins this person has stored.
async fn checkins(app: &App) -> usize {
    let all = app.state.app().assessments().await.unwrap();
    all.iter()
        .filter(|a| a.kind == unknot_core::intake::AssessmentKind::Checkin)
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_checkin_posted_twice_with_its_id_is_stored_once() {
    for db in databases().await {
        let app = app_on(&db).await;
        let doc = app.get("/api/openapi.json").await.json();
        let intake = crate::support::plain_answers();
        assert_eq!(
            app.json("POST", "/api/v1/assessments", intake).await.status,
            201
        );
        let path = format!("/api/v1/checkins?id={CHECKIN_ID}");
        let first = app.json("POST", &path, checkin_answers(3)).await;
        assert_eq!(first.status, 201, "{}: {}", db.label, first.body);
        let again = app.json("POST", &path, checkin_answers(3)).await;
        assert_eq!(again.status, 200, "{}: {}", db.label, again.body);
        assert_eq!(again.json(), first.json(), "{}", db.label);
        conforms(&doc, "post", "/api/v1/checkins", 200, &again.body);
        assert_eq!(rows_with_id(&db, "assessments", CHECKIN_ID).await, 1);
        assert_eq!(checkins(&app).await, 1, "{}", db.label);

        // Other answers under the id are refused, and the stored check-in is untouched.
        let r = app.json("POST", &path, checkin_answers(7)).await;
        assert_eq!(r.status, 409, "{}: {}", db.label, r.body);
        assert_eq!(r.json()["code"], "id_in_use");
        conforms(&doc, "post", "/api/v1/checkins", 409, &r.body);
        let kept = app.state.app().assessments().await.unwrap();
        let kept = kept.iter().find(|a| a.id == CHECKIN_ID).unwrap();
        assert_eq!(kept.answers.peg_pain.map(|s| s.get()), Some(3));
        // A malformed id is named, and nothing is stored.
        let r = app
            .json(
                "POST",
                "/api/v1/checkins?id=no%20spaces",
                checkin_answers(3),
            )
            .await;
        assert_eq!(r.status, 422, "{}: {}", db.label, r.body);
        assert_eq!(checkins(&app).await, 1, "{}", db.label);

        // The form, as the offline queue replays it: twice with its id, stored once.
        let form = |peg: &'static str| {
            vec![
                ("client_id", "form-checkin-1"),
                (NONE_OF_THESE, "yes"),
                ("pain_now", "3"),
                ("peg_pain", peg),
                ("peg_enjoyment", "2"),
                ("peg_activity", "3"),
            ]
        };
        for _ in 0..2 {
            let r = app.post_form("/checkin", &form("4")).await;
            assert_eq!(r.status, 200, "{}: {}", db.label, r.body);
            assert!(r.body.contains("Check-in saved"), "{}", r.body);
        }
        assert_eq!(rows_with_id(&db, "assessments", "form-checkin-1").await, 1);
        assert_eq!(checkins(&app).await, 2, "{}", db.label);
        let r = app.post_form("/checkin", &form("8")).await;
        assert_eq!(r.status, 409, "{}: {}", db.label, r.body);
        assert_eq!(checkins(&app).await, 2, "{}", db.label);
        // Without an id the form stores each post, as before.
        let r = app.post_form("/checkin", &form("4")[1..]).await;
        assert_eq!(r.status, 200, "{}: {}", db.label, r.body);
        assert_eq!(checkins(&app).await, 3, "{}", db.label);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_checkin_id_in_another_journal_is_refused_without_telling_anything() {
    for db in databases().await {
        let app = app_on(&db).await;
        let store = app.state.app().store().clone();
        sql(
            &db,
            "INSERT INTO users (id, display_name, created_at_ms) VALUES ($1, NULL, 0)",
            "robin",
        )
        .await;
        let robin = unknot_app::App::local(store.for_user("robin"));
        let intake =
            unknot_core::intake::Answers::from_json(&crate::support::plain_answers().to_string())
                .unwrap();
        robin.assess(intake.clone(), true).await.unwrap();
        let theirs =
            unknot_core::intake::Answers::from_json(&checkin_answers(9).to_string()).unwrap();
        let posted = robin
            .checkin_once("robins-checkin-1", theirs)
            .await
            .unwrap();
        assert!(posted.is_new());
        app.state.app().assess(intake, true).await.unwrap();

        // Exactly Robin's answers, or other answers: the same refusal, with nothing of Robin's.
        for peg in [9, 2] {
            let r = app
                .json(
                    "POST",
                    "/api/v1/checkins?id=robins-checkin-1",
                    checkin_answers(peg),
                )
                .await;
            assert_eq!(r.status, 409, "{}: {}", db.label, r.body);
            assert_eq!(r.json()["code"], "id_in_use");
            assert!(!r.body.contains("peg"), "{}", r.body);
            assert!(!r.body.contains("gardening"), "{}", r.body);
        }
        let r = app
            .post_form(
                "/checkin",
                &[
                    ("client_id", "robins-checkin-1"),
                    (NONE_OF_THESE, "yes"),
                    ("peg_pain", "9"),
                ],
            )
            .await;
        assert_eq!(r.status, 409, "{}: {}", db.label, r.body);
        assert!(!r.body.contains("gardening"), "{}", r.body);
        assert_eq!(checkins(&app).await, 0, "{}", db.label);
        assert_eq!(
            rows_with_id(&db, "assessments", "robins-checkin-1").await,
            1
        );
        let robins = robin.assessments().await.unwrap();
        let kept = robins.iter().find(|a| a.id == "robins-checkin-1").unwrap();
        assert_eq!(kept.answers.peg_pain.map(|s| s.get()), Some(9));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn checkins_racing_with_one_id_store_one_row() {
    for db in databases().await {
        let app = std::sync::Arc::new(app_on(&db).await);
        let intake = crate::support::plain_answers();
        assert_eq!(
            app.json("POST", "/api/v1/assessments", intake).await.status,
            201
        );
        let mut tasks = Vec::new();
        for _ in 0..6 {
            let app = app.clone();
            tasks.push(tokio::spawn(async move {
                let path = format!("/api/v1/checkins?id={CHECKIN_ID}");
                let r = app.json("POST", &path, checkin_answers(3)).await;
                (r.status.as_u16(), r.body)
            }));
        }
        let mut created = 0;
        for t in tasks {
            let (status, body) = t.await.unwrap();
            assert!(
                status == 201 || status == 200,
                "{}: {status} {body}",
                db.label
            );
            created += usize::from(status == 201);
        }
        assert_eq!(created, 1, "{}: exactly one request stored it", db.label);
        assert_eq!(rows_with_id(&db, "assessments", CHECKIN_ID).await, 1);
        assert_eq!(checkins(&app).await, 1, "{}", db.label);
    }
}

//! The API: the OpenAPI document validates against the official OpenAPI 3.1 schema, every
//! operation it documents is called here and answers with a status it documents, and errors
//! are problem documents naming the bad value.

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Request, header};
use serde_json::{Value, json};

use crate::support::{App, app, plain_answers};

#[tokio::test]
async fn the_openapi_document_validates_against_the_official_schema() {
    let app = app().await;
    let r = app.get("/api/openapi.json").await;
    assert_eq!(r.status, 200);
    let doc = r.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let schema: Value =
        serde_json::from_str(include_str!("../fixtures/openapi-3.1.schema.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // A broken document is caught, so the check above can fail.
    let mut broken = doc.clone();
    broken["paths"]["/api/v1/today"]["get"]["responses"] = json!("none");
    assert!(!validator.is_valid(&broken));
}

/// Calls one operation with sensible inputs and returns its status.
async fn call(app: &App, method: &str, path: &str, entry_id: &str) -> (u16, String) {
    let path = path
        .replace("exercises/{id}", "exercises/bird-dog")
        .replace("articles/{id}", "articles/heat-or-cold")
        .replace("{id}", entry_id);
    let (path, body) = match (method, path.as_str()) {
        ("post", "/api/v1/entries") => (path, Some(json!({"pain": 4, "note": "from the API"}))),
        ("put", p) if p.starts_with("/api/v1/entries/") => (path, Some(json!({"pain": 3}))),
        ("post", "/api/v1/assessments") => (path, Some(plain_answers())),
        ("post", "/api/v1/checkins") => (
            path,
            Some(json!({"pain_now": 3, "peg_pain": 3, "peg_enjoyment": 2, "peg_activity": 3})),
        ),
        ("post", "/api/v1/sessions") => (
            path,
            Some(
                json!({"items": [{"exercise": "bird-dog", "status": "done", "seconds": 90}], "pain_before": 4, "pain_after": 3, "warning_signs": ["numbness_tingling"]}),
            ),
        ),
        ("post", "/api/v1/therapy") => (
            path,
            Some(json!({"kind": "heat", "minutes": 15, "barrier": true})),
        ),
        ("put", "/api/v1/settings") => (
            path,
            Some(json!({"break_every_minutes": 40, "theme": "light"})),
        ),
        ("post", "/api/v1/import") => {
            let backup = app.get("/api/v1/export/backup.json").await.body;
            (path, Some(serde_json::from_str(&backup).unwrap()))
        }
        ("post", "/api/v1/plan/review") => (path, Some(json!({}))),
        _ => (path, None),
    };
    let path = match path.as_str() {
        "/api/v1/search" => "/api/v1/search?q=is+heat+or+ice+better".to_string(),
        "/api/v1/export/csv" => "/api/v1/export/csv?kind=zip".to_string(),
        "/api/v1/therapy/plan" => "/api/v1/therapy/plan?kind=cold&minutes=10".to_string(),
        _ => path,
    };
    let r = match body {
        Some(b) => app.json(&method.to_uppercase(), &path, b).await,
        None => {
            app.send(
                Request::builder()
                    .method(method.to_uppercase().as_str())
                    .uri(&path)
                    .header(header::HOST, "127.0.0.1:7878")
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
        }
    };
    (r.status.as_u16(), r.body)
}

/// A JSON answer matches the schema its operation documents for that status.
pub fn conforms(doc: &Value, method: &str, path: &str, status: u16, body: &str) {
    let documented = &doc["paths"][path][method]["responses"][status.to_string()]["content"];
    let Some(schema) = documented
        .get("application/json")
        .and_then(|c| c.get("schema"))
    else {
        return;
    };
    let Ok(value) = serde_json::from_str::<Value>(body) else {
        panic!("{method} {path}: documented as JSON, answered {body}");
    };
    let root = json!({"components": doc["components"], "allOf": [schema]});
    let validator = jsonschema::validator_for(&root).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{method} {path} {status}: {errors:#?}");
}

#[tokio::test]
async fn every_documented_operation_answers_with_a_documented_status() {
    let app = app().await;
    let doc = app.get("/api/openapi.json").await.json();
    // The order matters: an entry is made before it is read, changed and deleted, and an
    // assessment before the plan and check-in.
    let order = [
        ("post", "/api/v1/assessments"),
        ("post", "/api/v1/entries"),
        ("get", "/api/v1/entries"),
        ("get", "/api/v1/entries/{id}"),
        ("put", "/api/v1/entries/{id}"),
        ("get", "/api/v1/today"),
        ("get", "/api/v1/trends"),
        ("get", "/api/v1/plan"),
        ("get", "/api/v1/session/steps"),
        ("post", "/api/v1/sessions"),
        ("get", "/api/v1/therapy/plan"),
        ("post", "/api/v1/therapy"),
        ("post", "/api/v1/plan/review"),
        ("post", "/api/v1/checkins"),
        ("get", "/api/v1/exercises"),
        ("get", "/api/v1/exercises/{id}"),
        ("get", "/api/v1/articles"),
        ("get", "/api/v1/articles/{id}"),
        ("get", "/api/v1/search"),
        ("get", "/api/v1/settings"),
        ("put", "/api/v1/settings"),
        ("get", "/api/v1/export/backup.json"),
        ("get", "/api/v1/export/entries.csv"),
        ("get", "/api/v1/export/csv"),
        ("get", "/api/v1/export/fhir.json"),
        ("get", "/api/v1/export/calendar.ics"),
        ("post", "/api/v1/import"),
        ("delete", "/api/v1/entries/{id}"),
    ];
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(p, ops)| {
            ops.as_object()
                .unwrap()
                .keys()
                .map(move |m| (m.clone(), p.clone()))
        })
        .collect();
    let tested: BTreeSet<(String, String)> = order
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(
        documented, tested,
        "every documented operation is tested, and only those"
    );
    let mut entry_id = String::new();
    for (method, path) in order {
        let (status, body) = call(&app, method, path, &entry_id).await;
        if (method, path) == ("post", "/api/v1/entries") {
            entry_id = serde_json::from_str::<Value>(&body).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string();
        }
        let codes = doc["paths"][path][method]["responses"].as_object().unwrap();
        assert!(
            codes.contains_key(&status.to_string()),
            "{method} {path} answered {status}, documented {:?}: {body}",
            codes.keys().collect::<Vec<_>>()
        );
        assert!(status < 400, "{method} {path}: {status} {body}");
        conforms(&doc, method, path, status, &body);
    }
    // The work above is visible where the pages look.
    let entries = app.get("/api/v1/entries").await.json();
    assert!(
        entries["entries"].as_array().unwrap().len() >= 2,
        "{entries}"
    );
}

#[tokio::test]
async fn bad_input_is_a_problem_document_naming_the_value_and_nothing_is_stored() {
    let app = app().await;
    let r = app
        .json("POST", "/api/v1/entries", json!({"pain": 11}))
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.content_type, "application/problem+json");
    let p = r.json();
    assert_eq!(p["status"], 422);
    assert!(p["detail"].as_str().unwrap().contains("11"), "{p}");
    let r = app
        .json(
            "POST",
            "/api/v1/therapy",
            json!({"kind": "cold", "minutes": 45, "barrier": true}),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.json()["detail"].as_str().unwrap().contains("45"));
    let r = app
        .json(
            "POST",
            "/api/v1/sessions",
            json!({"items": [{"exercise": "bird-dogg", "status": "done", "seconds": 3}]}),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.json()["detail"].as_str().unwrap().contains("bird-dogg"));
    let r = app
        .json(
            "POST",
            "/api/v1/sessions",
            json!({"items": [{"exercise": "bird-dog", "status": "done", "seconds": 3}], "warning_signs": ["both_leg"]}),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.json()["detail"].as_str().unwrap().contains("both_legs"),
        "{}",
        r.body
    );
    assert!(
        app.state.app().store().sessions().await.unwrap().is_empty(),
        "nothing stored"
    );
    let r = app.get("/api/v1/entries?since=soon").await;
    assert_eq!(r.status, 422);
    assert!(r.json()["detail"].as_str().unwrap().contains("soon"));
    let r = app.get("/api/v1/export/csv?kind=spreadsheet").await;
    assert_eq!(r.status, 422);
    assert!(r.json()["detail"].as_str().unwrap().contains("spreadsheet"));
    let r = app.get("/api/v1/entries?limit=lots").await;
    assert_eq!(r.status, 422);
    assert_eq!(r.content_type, "application/problem+json");
    assert!(r.json()["detail"].as_str().unwrap().contains("limit=lots"));
    let r = app.get("/api/v1/no-such-thing").await;
    assert_eq!(r.status, 404);
    assert_eq!(r.content_type, "application/problem+json");
    let r = app.get("/no-such-page").await;
    assert_eq!(r.status, 404);
    assert!(r.content_type.starts_with("text/html") && r.body.contains("Not found"));
    let r = app.get("/api/v1/exercises/bird-dogg").await;
    assert_eq!(r.status, 404);
    assert!(
        r.json()["detail"]
            .as_str()
            .unwrap()
            .contains("did you mean bird-dog?")
    );
    let r = app.get("/api/v1/entries/nothere").await;
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["code"], "not_found");
    let r = app
        .json("POST", "/api/v1/import", json!({"format": "other"}))
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(app.entry_count().await, 0);
}

#[tokio::test]
async fn an_emergency_intake_through_the_api_withholds_the_plan() {
    let app = app().await;
    let r = app
        .json(
            "POST",
            "/api/v1/assessments",
            crate::support::emergency_answers(),
        )
        .await;
    assert_eq!(r.status, 201);
    assert_eq!(r.json()["urgency"], "emergency");
    let doc = app.get("/api/openapi.json").await.json();
    conforms(&doc, "post", "/api/v1/assessments", 201, &r.body);
    let answer = app.get("/api/v1/plan").await;
    // The withheld answer matches the documented schema too (the other branch of its oneOf).
    conforms(&doc, "get", "/api/v1/plan", 200, &answer.body);
    let plan = answer.json();
    assert!(plan["plan"].is_null());
    assert_eq!(plan["urgency"], "emergency");
    let today = app.get("/api/v1/today").await.json();
    assert!(today["advice"].as_str().unwrap().len() > 10);
}

#[tokio::test]
async fn the_entry_list_pages_with_a_cursor_in_a_stable_order() {
    let app = app().await;
    // Five entries, two of them at the same millisecond.
    let mut made = Vec::new();
    for (i, at) in [
        "2026-03-01T09:00:00+01:00[Europe/Paris]",
        "2026-03-02T09:00:00+01:00[Europe/Paris]",
        "2026-03-02T09:00:00+01:00[Europe/Paris]",
        "2026-03-03T09:00:00+01:00[Europe/Paris]",
        "2026-03-04T09:00:00+01:00[Europe/Paris]",
    ]
    .iter()
    .enumerate()
    {
        let r = app
            .json("POST", "/api/v1/entries", json!({"pain": i, "at": at}))
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        made.push(r.json()["id"].as_str().unwrap().to_string());
    }
    let mut seen = Vec::new();
    let mut url = "/api/v1/entries?since=2026-01-01&limit=2".to_string();
    for _ in 0..10 {
        let page = app.get(&url).await.json();
        let entries = page["entries"].as_array().unwrap();
        assert!(entries.len() <= 2);
        seen.extend(
            entries
                .iter()
                .map(|e| e["id"].as_str().unwrap().to_string()),
        );
        match page["next"].as_str() {
            Some(next) => url = format!("/api/v1/entries?since=2026-01-01&limit=2&cursor={next}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 5, "every entry once: {seen:?}");
    let mut expected = made.clone();
    // Newest first: by time, then id, both descending.
    expected.sort_by_key(|id| {
        let i = made.iter().position(|m| m == id).unwrap();
        (
            std::cmp::Reverse([0, 1, 1, 2, 3][i]),
            std::cmp::Reverse(id.clone()),
        )
    });
    assert_eq!(seen, expected);
    for bad in [
        "cursor=nope",
        "cursor=12.a%20b",
        "limit=0",
        "limit=5001",
        "since=2026-3-1",
        "since=",
        "region=lowerback",
    ] {
        let r = app.get(&format!("/api/v1/entries?{bad}")).await;
        assert_eq!(r.status, 422, "{bad}: {}", r.body);
    }
}

#[tokio::test]
async fn bodies_are_typed_objects_as_the_document_says() {
    let app = app().await;
    let before = app.get("/api/v1/settings").await.body;
    app.json(
        "PUT",
        "/api/v1/settings",
        json!({"break_every_minutes": 40}),
    )
    .await;
    let saved = app.get("/api/v1/settings").await.body;
    assert_ne!(before, saved);
    for body in [
        json!([null, null]),
        json!("x"),
        json!(7),
        json!({"theme": "neon"}),
        json!({"break_every_minutes": 5000}),
        json!({"name": "\u{1b}]0;owned\u{7}"}),
        json!({"name": "n".repeat(101)}),
        json!({"time_zone": "Europe/London\u{0}"}),
        json!({"quiet_start": "2200", "quiet_end": "07:00"}),
        json!({"colour": "red"}),
    ] {
        let r = app.json("PUT", "/api/v1/settings", body.clone()).await;
        assert_eq!(r.status, 422, "{body}: {}", r.body);
        assert_eq!(
            app.get("/api/v1/settings").await.body,
            saved,
            "{body} changed the settings"
        );
    }
    for (path, body) in [
        ("/api/v1/entries", json!([4])),
        ("/api/v1/entries", json!({"pain": 4, "mood": "grim"})),
        ("/api/v1/entries", json!({"note": "a\u{0}b"})),
        ("/api/v1/assessments", json!([44])),
        (
            "/api/v1/assessments",
            json!({"goals": ["x".repeat(100_000)]}),
        ),
        ("/api/v1/therapy", json!({"kind": "lava", "barrier": true})),
        ("/api/v1/sessions", json!({"items": []})),
    ] {
        let r = app.json("POST", path, body.clone()).await;
        assert_eq!(r.status, 422, "{path} {body}: {}", r.body);
        assert!(
            r.body.len() < 2_000,
            "{path}: a {}-byte answer",
            r.body.len()
        );
    }
    assert_eq!(app.entry_count().await, 0);
}

#[tokio::test]
async fn every_operation_documents_its_bodies_and_shared_refusals() {
    let app = app().await;
    let doc = app.get("/api/openapi.json").await.json();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            let codes = op["responses"].as_object().unwrap();
            assert!(
                codes.contains_key("403") && codes.contains_key("503"),
                "{method} {path}"
            );
            if op.get("requestBody").is_some() {
                assert!(
                    codes.contains_key("413") && codes.contains_key("422"),
                    "{method} {path}"
                );
            }
        }
    }
    let schemas = &doc["components"]["schemas"];
    for name in [
        "Entry",
        "EntryInput",
        "EntryPage",
        "Settings",
        "Answers",
        "SessionInput",
        "TherapyInput",
    ] {
        assert!(schemas.get(name).is_some(), "{name} is typed");
    }
    assert_eq!(schemas["Settings"]["additionalProperties"], false);
    assert_eq!(schemas["Answers"]["additionalProperties"], false);
    let links = &doc["paths"]["/api/v1/entries"]["post"]["responses"]["201"]["links"];
    assert_eq!(links["GetEntry"]["parameters"]["id"], "$response.body#/id");
    // The response check can fail: an entry without its id does not match the schema.
    let result = std::panic::catch_unwind(|| {
        conforms(&doc, "get", "/api/v1/entries/{id}", 200, r#"{"pain": 3}"#);
    });
    assert!(result.is_err());
}

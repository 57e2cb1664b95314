//! Safe by default: headers, CSRF, Host checks and size limits.

use axum::body::Body;
use axum::http::{Request, header};

use crate::support::app;

#[tokio::test]
async fn every_response_carries_a_strict_content_security_policy() {
    let app = app().await;
    for p in ["/", "/journal", "/api/v1/today", "/assets/app.css", "/nope"] {
        let r = app.get(p).await;
        let csp = r.headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{p}"
        );
        assert_eq!(r.headers["x-content-type-options"], "nosniff");
        assert_eq!(r.headers["x-frame-options"], "DENY");
    }
    // No inline scripts or styles anywhere, which the policy would block.
    let page = app.get("/journal").await.body;
    assert!(!page.contains("<script>") && !page.contains(" style=\""));
}

#[tokio::test]
async fn a_form_without_the_token_or_from_another_site_is_refused() {
    let app = app().await;
    let no_token = app
        .post_raw_form(
            "/journal",
            &[
                ("pain_rated".into(), "on".into()),
                ("pain".into(), "5".into()),
            ],
        )
        .await;
    assert_eq!(no_token.status, 403);
    let cross = app
        .send(
            Request::post("/journal")
                .header(header::HOST, "127.0.0.1:7878")
                .header(header::ORIGIN, "http://evil.example")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!(
                    "csrf={}&pain_rated=on&pain=5",
                    app.state.csrf()
                )))
                .unwrap(),
        )
        .await;
    assert_eq!(cross.status, 403);
    let fetch_site = app
        .send(
            Request::post("/api/v1/entries")
                .header(header::HOST, "127.0.0.1:7878")
                .header("sec-fetch-site", "cross-site")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{\"pain\":5}"))
                .unwrap(),
        )
        .await;
    assert_eq!(fetch_site.status, 403);
    assert_eq!(fetch_site.content_type, "application/problem+json");
    // A simple cross-site POST (no JSON, no token) cannot reach a state-changing API.
    let simple = app
        .send(
            Request::post("/api/v1/plan/review")
                .header(header::HOST, "127.0.0.1:7878")
                .header(header::CONTENT_TYPE, "text/plain")
                .body(Body::from("x"))
                .unwrap(),
        )
        .await;
    assert_eq!(simple.status, 403);
    assert_eq!(app.entry_count().await, 0);
}

#[tokio::test]
async fn requests_for_other_host_names_are_refused_on_loopback() {
    let app = app().await;
    let r = app
        .send(
            Request::get("/")
                .header(header::HOST, "attacker.example:7878")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, 403, "DNS rebinding is stopped");
    let ok = app
        .send(
            Request::get("/")
                .header(header::HOST, "localhost:7878")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(ok.status, 200);
}

#[tokio::test]
async fn oversized_bodies_are_refused_and_nothing_is_stored() {
    let app = app().await;
    let huge = "x".repeat(unknot_web::MAX_FORM_BYTES + 10);
    let r = app
        .json(
            "POST",
            "/api/v1/entries",
            serde_json::json!({"pain": 3, "note": huge}),
        )
        .await;
    assert_eq!(r.status, 413);
    assert_eq!(app.entry_count().await, 0);
}

#[tokio::test]
async fn imports_follow_the_same_cross_site_rule_as_every_write() {
    let app = app().await;
    let csv = "id,at,pain\n";
    for (content_type, body) in [
        ("text/plain", csv.to_string()),
        (
            "multipart/form-data; boundary=x",
            "--x\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n{}\r\n--x--\r\n".into(),
        ),
        ("application/x-www-form-urlencoded", "a=b".into()),
        ("application/jsonx", "{}".into()),
    ] {
        let r = app
            .send(
                Request::post("/api/v1/import")
                    .header(header::HOST, "127.0.0.1:7878")
                    .header(header::CONTENT_TYPE, content_type)
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, 403, "{content_type}: {}", r.body);
    }
    // With the token a script may send the CSV as text.
    let r = app
        .send(
            Request::post("/api/v1/import")
                .header(header::HOST, "127.0.0.1:7878")
                .header(header::CONTENT_TYPE, "text/csv")
                .header("x-csrf-token", app.state.csrf())
                .body(Body::from("id,at,pain,note\n"))
                .unwrap(),
        )
        .await;
    assert_ne!(r.status, 403, "{}", r.body);
    assert_eq!(app.entry_count().await, 0);
}

#[tokio::test]
async fn the_host_check_holds_in_every_mode_with_the_names_given() {
    let dir = tempfile::tempdir().unwrap();
    let url = unknot_store::sqlite_url_for(&dir.path().join("unknot.db"));
    let store = unknot_store::Store::open_with(&url, 2).await.unwrap();
    let state = unknot_web::AppState::new(
        unknot_app::App::local(store),
        unknot_web::Options {
            speed: 1.0,
            allowed_hosts: vec!["unknot.home.arpa".into()],
            database_file: None,
        },
    )
    .await
    .unwrap();
    let router = unknot_web::router(state);
    let status = |host: &'static str| {
        let router = router.clone();
        async move {
            use tower::ServiceExt;
            router
                .oneshot(
                    Request::get("/api/v1/export/backup.json")
                        .header(header::HOST, host)
                        .body(Body::empty())
                        .unwrap(),
                )
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(status("unknot.home.arpa:7878").await, 200);
    assert_eq!(status("localhost:7878").await, 200);
    assert_eq!(status("[::1]:7878").await, 200);
    for host in [
        "rebound.example",
        "192.168.1.20:7878",
        "unknot.home.arpa.evil.example",
    ] {
        assert_eq!(status(host).await, 403, "{host}");
    }
}

#[tokio::test]
async fn a_declared_length_over_the_limit_is_refused_before_the_body() {
    let app = app().await;
    for (path, declared) in [
        ("/api/v1/entries", unknot_web::MAX_FORM_BYTES + 1),
        ("/api/v1/import", unknot_web::MAX_BODY_BYTES + 1),
        ("/journal", 10 * 1024 * 1024 * 1024),
    ] {
        let r = app
            .send(
                Request::post(path)
                    .header(header::HOST, "127.0.0.1:7878")
                    .header(header::CONTENT_TYPE, "application/json")
                    .header(header::CONTENT_LENGTH, declared.to_string())
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, 413, "{path}");
        assert_eq!(r.json()["code"], "too_large");
    }
}

#[tokio::test]
async fn a_method_a_path_does_not_have_is_405_not_a_csrf_refusal() {
    let app = app().await;
    for method in ["TRACE", "PATCH", "DELETE"] {
        let r = app
            .send(
                Request::builder()
                    .method(method)
                    .uri("/api/v1/today")
                    .header(header::HOST, "127.0.0.1:7878")
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, 405, "{method}");
        assert!(r.headers.contains_key(header::ALLOW), "{method}");
    }
}

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

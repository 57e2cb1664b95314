//! Sessions and sign-in on the clinic server: the cookie's flags, a new session id at every
//! sign-in, idle and absolute ends, every session ended by a password change, brute force
//! slowed, cross-site writes refused, API tokens scoped and revocable, and staff held to a
//! second factor.

use super::*;

/// Signs in with a password through the form, as a browser would; the reply and the cookie
/// value it set (if any).
async fn sign_in(
    w: &World,
    login: &str,
    password: &str,
    cookie: Option<&str>,
) -> (Reply, Option<String>) {
    let body = format!(
        "login={}&password={}",
        crate::support::enc(login),
        crate::support::enc(password)
    );
    let mut b = Request::post("/sign-in")
        .header(header::HOST, HOST)
        .header(header::ORIGIN, format!("https://{HOST}"))
        .header("sec-fetch-site", "same-origin")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        b = b.header(
            header::COOKIE,
            format!("{}={c}", unknot_web::access::SESSION_COOKIE),
        );
    }
    let r = send(&w.router, b.body(Body::from(body)).unwrap()).await;
    let set = set_cookie(&r).and_then(|c| {
        c.split(';')
            .next()
            .and_then(|kv| kv.split_once('='))
            .map(|(_, v)| v.to_string())
            .filter(|v| !v.is_empty())
    });
    (r, set)
}

fn set_cookie(r: &Reply) -> Option<String> {
    r.headers
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .map(String::from)
}

/// GET `path` with a session cookie.
async fn get_with(w: &World, path: &str, cookie: &str) -> Reply {
    let req = Request::get(path)
        .header(header::HOST, HOST)
        .header(
            header::COOKIE,
            format!("{}={cookie}", unknot_web::access::SESSION_COOKIE),
        )
        .body(Body::empty())
        .unwrap();
    send(&w.router, req).await
}

fn signed_out(r: &Reply) -> bool {
    r.status == StatusCode::SEE_OTHER && r.location().starts_with("/sign-in")
}

async fn first_world() -> World {
    world(db::databases().await.remove(0)).await
}

#[tokio::test]
async fn session_cookie_has_host_prefix_and_flags() {
    for db in db::databases().await {
        let w = world(db).await;
        let (r, cookie) = sign_in(&w, "alex", GOOD, None).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let set = set_cookie(&r).unwrap();
        assert!(set.starts_with("__Host-unknot-session="), "{set}");
        assert_eq!(r.headers["strict-transport-security"], "max-age=31536000");
        assert_eq!(r.headers[header::CACHE_CONTROL], "no-store");
        // Pages with a person's data are never kept by the browser or a shared cache, even
        // those served from the page cache; assets may be.
        for path in ["/", "/journal", "/history"] {
            let page = get_with(&w, path, cookie.as_deref().unwrap()).await;
            assert_eq!(page.status, StatusCode::OK, "{path}");
            assert_eq!(page.headers[header::CACHE_CONTROL], "no-store", "{path}");
            assert!(page.headers.contains_key("strict-transport-security"));
        }
        for flag in [
            "Path=/",
            "Secure",
            "HttpOnly",
            "SameSite=Lax",
            "Max-Age=43200",
        ] {
            assert!(set.contains(flag), "{flag} missing from {set}");
        }
        assert!(!set.to_ascii_lowercase().contains("domain="), "{set}");
        let cookie = cookie.unwrap();
        assert!(cookie.len() >= 43, "a session id of at least 256 bits");
        assert_eq!(
            get_with(&w, "/account", &cookie).await.status,
            StatusCode::OK
        );
        // Only its hash is stored: the cookie value appears nowhere in the database.
        let stored = w
            .clinic
            .app()
            .store()
            .sessions_of(&w.accounts[&Who::PatientA])
            .await
            .unwrap();
        assert!(stored.iter().all(|s| s.id_hash != cookie));
        assert!(
            stored
                .iter()
                .any(|s| s.id_hash == unknot_core::clinic::secrets::token_hash(&cookie))
        );
    }
}

#[tokio::test]
async fn sign_in_issues_a_new_session_id() {
    let w = first_world().await;
    // A value planted by an attacker before sign-in is never adopted.
    let planted = "planted-by-someone-else-0000000000000000000";
    let (_, fresh) = sign_in(&w, "alex", GOOD, Some(planted)).await;
    let fresh = fresh.unwrap();
    assert_ne!(fresh, planted);
    assert!(signed_out(&get_with(&w, "/account", planted).await));
    // An already signed-in visitor who signs in again gets another id, too.
    let (_, again) = sign_in(&w, "alex", GOOD, Some(&fresh)).await;
    assert_ne!(again.unwrap(), fresh);
}

#[tokio::test]
async fn idle_and_absolute_timeouts_end_sessions() {
    let w = first_world().await;
    let start: Timestamp = NOW.parse().unwrap();
    let (_, cookie) = sign_in(&w, "alex", GOOD, None).await;
    let cookie = cookie.unwrap();
    // Used every 25 minutes, it lives on; idle for 31 minutes, it ends.
    for i in 1..=3 {
        w.clock.set(start + SignedDuration::from_mins(25 * i));
        assert_eq!(
            get_with(&w, "/account", &cookie).await.status,
            StatusCode::OK,
            "step {i}"
        );
    }
    w.clock.set(start + SignedDuration::from_mins(75 + 31));
    assert!(signed_out(&get_with(&w, "/account", &cookie).await));
    // However busy, a session ends 12 hours after sign-in.
    w.clock.set(start);
    let (_, cookie) = sign_in(&w, "alex", GOOD, None).await;
    let cookie = cookie.unwrap();
    let mut at = start;
    while at < start + SignedDuration::from_hours(12) - SignedDuration::from_mins(20) {
        at += SignedDuration::from_mins(20);
        w.clock.set(at);
        assert_eq!(
            get_with(&w, "/account", &cookie).await.status,
            StatusCode::OK
        );
    }
    w.clock.set(start + SignedDuration::from_hours(12));
    assert!(signed_out(&get_with(&w, "/account", &cookie).await));
    w.clock.set(start);
}

#[tokio::test]
async fn password_change_ends_every_session() {
    let w = first_world().await;
    let (_, phone) = sign_in(&w, "alex", GOOD, None).await;
    let (_, laptop) = sign_in(&w, "alex", GOOD, None).await;
    let (phone, laptop) = (phone.unwrap(), laptop.unwrap());
    let hash = unknot_core::clinic::secrets::token_hash(&laptop);
    let csrf = w
        .clinic
        .app()
        .store()
        .session_by_hash(&hash)
        .await
        .unwrap()
        .unwrap()
        .csrf;
    let r = send(
        &w.router,
        request(
            "POST",
            "/account/password",
            Some(&(laptop.clone(), csrf)),
            &[("current", GOOD), ("new", "walnut harbour violet engine")],
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The laptop gets a fresh session; the old phone and laptop ids are both dead.
    let renewed = set_cookie(&r).unwrap();
    assert!(!renewed.contains(&laptop));
    assert!(signed_out(&get_with(&w, "/account", &phone).await));
    assert!(signed_out(&get_with(&w, "/account", &laptop).await));
    assert!(sign_in(&w, "alex", GOOD, None).await.1.is_none());
    assert!(
        sign_in(&w, "alex", "walnut harbour violet engine", None)
            .await
            .1
            .is_some()
    );
}

#[tokio::test]
async fn brute_force_is_slowed_with_retry_after() {
    for db in db::databases().await {
        let w = world(db).await;
        for i in 0..10 {
            let (r, cookie) = sign_in(&w, "alex", &format!("wrong guess number {i}"), None).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "attempt {i}");
            assert!(cookie.is_none());
        }
        // The eleventh within the minute waits, even with the right password.
        let (r, cookie) = sign_in(&w, "alex", GOOD, None).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(cookie.is_none());
        let wait: u64 = r.headers[header::RETRY_AFTER]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=60).contains(&wait), "{wait}");
        assert!(r.body.contains("try again in"), "{}", r.body);
        // Every refusal is in the audit log.
        let refused = w
            .clinic
            .audit_records()
            .await
            .unwrap()
            .iter()
            .filter(|r| r.event.action == "sign_in" && r.event.outcome == "refused")
            .count();
        assert!(refused >= 10, "{refused}");
        // A minute later the right password works again.
        w.clock
            .set(NOW.parse::<Timestamp>().unwrap() + SignedDuration::from_secs(61));
        assert!(sign_in(&w, "alex", GOOD, None).await.1.is_some());
    }
}

#[tokio::test]
async fn cross_site_posts_are_refused_when_signed_in() {
    let w = first_world().await;
    let session = w.session(Who::PatientA).await.unwrap();
    let a = w.clinic.app().for_user(&w.accounts[&Who::PatientA]);
    let before = a.entry_count().await.unwrap();
    let form = [("pain", "4")];
    // Another site's form post.
    let mut req = request("POST", "/journal", Some(&session), &form);
    req.headers_mut()
        .insert("sec-fetch-site", "cross-site".parse().unwrap());
    assert_eq!(send(&w.router, req).await.status, StatusCode::FORBIDDEN);
    // An older browser that sends only Origin.
    let mut req = request("POST", "/journal", Some(&session), &form);
    req.headers_mut().remove("sec-fetch-site");
    req.headers_mut()
        .insert(header::ORIGIN, "https://evil.example".parse().unwrap());
    assert_eq!(send(&w.router, req).await.status, StatusCode::FORBIDDEN);
    // The same name over plain http, when the server is reached over https.
    let mut req = request("POST", "/journal", Some(&session), &form);
    req.headers_mut().remove("sec-fetch-site");
    req.headers_mut()
        .insert(header::ORIGIN, format!("http://{HOST}").parse().unwrap());
    assert_eq!(send(&w.router, req).await.status, StatusCode::FORBIDDEN);
    // The right site but another session's form token.
    let other = w.session(Who::PatientA).await.unwrap();
    let req = request(
        "POST",
        "/journal",
        Some(&(session.0.clone(), other.1)),
        &form,
    );
    assert_eq!(send(&w.router, req).await.status, StatusCode::FORBIDDEN);
    // A cross-site JSON write to the API without the token header.
    let mut req = request("POST", "/api/v1/entries", Some(&session), &[]);
    req.headers_mut().remove("x-csrf-token");
    req.headers_mut()
        .insert(header::CONTENT_TYPE, "text/plain".parse().unwrap());
    assert_eq!(send(&w.router, req).await.status, StatusCode::FORBIDDEN);
    assert_eq!(a.entry_count().await.unwrap(), before, "nothing was stored");
    // The same form from the page itself is stored, and the write is in the audit log; the
    // refused ones are not (nothing was written).
    assert_eq!(journal_writes(&w).await, 0);
    let r = send(
        &w.router,
        request("POST", "/journal", Some(&session), &form),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(a.entry_count().await.unwrap(), before + 1);
    assert_eq!(journal_writes(&w).await, 1);
}

/// How many journal form posts the audit log holds.
async fn journal_writes(w: &World) -> usize {
    w.clinic
        .audit_records()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.event.action == "write" && r.event.target == "POST /journal")
        .count()
}

fn bearer(method: &str, path: &str, token: &str, body: &str) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, HOST)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

#[tokio::test]
async fn api_tokens_are_scoped_and_revocable() {
    for db in db::databases().await {
        let w = world(db).await;
        let (cookie, _) = w.session(Who::PatientA).await.unwrap();
        let who = w
            .clinic
            .from_session(&cookie, "10.0.0.9")
            .await
            .unwrap()
            .unwrap();
        let (read, read_row) = w
            .clinic
            .create_token(&who, "dashboard", false)
            .await
            .unwrap();
        let (write, _) = w.clinic.create_token(&who, "logger", true).await.unwrap();
        let entry = r#"{"pain": 3, "note": "from a script"}"#;
        // Reading works with either; writing only with the write token, and without a form
        // token (a bearer token is no ambient credential).
        let r = send(&w.router, bearer("GET", "/api/v1/entries", &read, "")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = send(&w.router, bearer("POST", "/api/v1/entries", &read, entry)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = send(&w.router, bearer("POST", "/api/v1/entries", &write, entry)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        // A token cannot manage sign-in, nor open the pages of the account.
        let r = send(
            &w.router,
            bearer("POST", "/api/v1/auth/passkey/add/begin", &write, "{}"),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // Nor erase the account, end care, or join a clinic: a leaked script token must not
        // be able to do what only the person in their browser may.
        for path in ["/account/erase", "/account/care/end"] {
            let r = send(&w.router, bearer("POST", path, &write, "{}")).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
        }
        assert!(
            w.clinic
                .app()
                .store()
                .account(&who.account.id)
                .await
                .unwrap()
                .is_some()
        );
        // Another patient's entry stays hidden from this patient's token.
        let r = send(
            &w.router,
            bearer("GET", &format!("/api/v1/entries/{}", w.entry), &write, ""),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "patient A's own entry");
        let (cookie_b, _) = w.session(Who::PatientB).await.unwrap();
        let b = w
            .clinic
            .from_session(&cookie_b, "10.0.0.9")
            .await
            .unwrap()
            .unwrap();
        let (b_token, _) = w.clinic.create_token(&b, "b", true).await.unwrap();
        let r = send(
            &w.router,
            bearer("GET", &format!("/api/v1/entries/{}", w.entry), &b_token, ""),
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        // Stored hashed; revoked, it stops at once; a made-up one is refused.
        let stored = w
            .clinic
            .app()
            .store()
            .api_tokens_of(&who.account.id)
            .await
            .unwrap();
        assert!(
            stored
                .iter()
                .all(|t| t.token_hash != read && !t.token_hash.contains(&read))
        );
        w.clinic.revoke_token(&who, &read_row.id).await.unwrap();
        let r = send(&w.router, bearer("GET", "/api/v1/entries", &read, "")).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        let r = send(
            &w.router,
            bearer("GET", "/api/v1/entries", "unk_made_up", ""),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn staff_must_pass_a_second_factor_first() {
    let w = first_world().await;
    let (cookie, csrf) = mint(&w.clinic, &w.accounts[&Who::ClinicianA], false).await;
    let s = (cookie, csrf);
    // Pages send them to set up or enter the second factor; the API refuses.
    for path in ["/", "/clinic", &format!("/clinic/{}", w.c1)] {
        let r = send(&w.router, request("GET", path, Some(&s), &[])).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(r.location(), "/account/second-factor", "{path}");
    }
    let r = send(&w.router, request("GET", "/api/v1/entries", Some(&s), &[])).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Their own account page (to set it up) stays open.
    let r = send(
        &w.router,
        request("GET", "/account/second-factor", Some(&s), &[]),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    // Nor can they make an API token to go around it.
    let r = send(
        &w.router,
        request("POST", "/account/tokens", Some(&s), &[("name", "script")]),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(
        w.clinic
            .app()
            .store()
            .api_tokens_of(&w.accounts[&Who::ClinicianA])
            .await
            .unwrap()
            .is_empty()
    );
    // A token made after passing it still opens only the person's own journal, never the
    // clinic's pages.
    let (cookie, _) = w.session(Who::ClinicianA).await.unwrap();
    let who = w
        .clinic
        .from_session(&cookie, "10.0.0.9")
        .await
        .unwrap()
        .unwrap();
    let (token, _) = w.clinic.create_token(&who, "script", false).await.unwrap();
    let path = format!("/clinic/{}/patients/{}", w.c1, w.accounts[&Who::PatientA]);
    let r = send(&w.router, bearer("GET", &path, &token, "")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A patient's session without one is not held back.
    let (cookie, csrf) = mint(&w.clinic, &w.accounts[&Who::PatientA], false).await;
    let r = send(&w.router, request("GET", "/", Some(&(cookie, csrf)), &[])).await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    let w = first_world().await;
    let (cookie, csrf) = w.session(Who::PatientA).await.unwrap();
    let r = send(
        &w.router,
        request("POST", "/sign-out", Some(&(cookie.clone(), csrf)), &[]),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let cleared = set_cookie(&r).unwrap();
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    // The old cookie, replayed, opens nothing: the session is gone from the database.
    assert!(signed_out(&get_with(&w, "/account", &cookie).await));
    let hash = unknot_core::clinic::secrets::token_hash(&cookie);
    assert!(
        w.clinic
            .app()
            .store()
            .session_by_hash(&hash)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn after_sign_in_only_paths_on_this_site_are_followed() {
    let w = first_world().await;
    let cases = [
        ("/journal", "/journal"),
        ("/history?since=2026-05-01", "/history?since=2026-05-01"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example/", "/"),
        ("/\t/evil.example", "/"),
        ("/\n/evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
    ];
    for (i, (next, want)) in cases.into_iter().enumerate() {
        // A minute apart, so the sign-in rate limit stays out of the way.
        w.clock
            .set(NOW.parse::<Timestamp>().unwrap() + SignedDuration::from_mins(i as i64 * 2));
        let body = format!(
            "login=alex&password={}&next={}",
            crate::support::enc(GOOD),
            crate::support::enc(next)
        );
        let req = Request::post("/sign-in")
            .header(header::HOST, HOST)
            .header(header::ORIGIN, format!("https://{HOST}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        let r = send(&w.router, req).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{next:?}: {}", r.body);
        assert_eq!(r.location(), want, "{next:?}");
    }
}

#[tokio::test]
async fn the_client_address_comes_from_the_proxy_only_when_told_to_trust_it() {
    let w = first_world().await;
    let sign_in_from = |router: Router, forwarded: &'static str| async move {
        let req = Request::post("/sign-in")
            .header(header::HOST, HOST)
            .header(header::ORIGIN, format!("https://{HOST}"))
            .header("x-forwarded-for", forwarded)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "login=alex&password={}",
                crate::support::enc(GOOD)
            )))
            .unwrap();
        send(&router, req).await
    };
    let last_address = |w: &World| {
        let c = w.clinic.clone();
        async move {
            let log = c.audit_records().await.unwrap();
            log.iter()
                .rev()
                .find(|r| r.event.action == "sign_in")
                .unwrap()
                .event
                .address
                .clone()
        }
    };
    // Without --trust-proxy the header is the client's own claim, and ignored.
    sign_in_from(w.router.clone(), "203.0.113.9").await;
    assert_ne!(last_address(&w).await, "203.0.113.9");
    // Behind a trusted proxy, the address the proxy added last is the client's.
    let trusted = w
        .router
        .clone()
        .layer(axum::Extension(unknot_web::serve::TrustProxy(true)));
    sign_in_from(trusted, "198.51.100.1, 203.0.113.9").await;
    assert_eq!(last_address(&w).await, "203.0.113.9");
}

#[tokio::test]
async fn two_servers_on_one_database_see_each_others_writes_at_once() {
    for db in db::databases().await {
        let url = db.url.clone();
        let w = world(db).await;
        let (_, other, _) = server(&url).await;
        let session = w.session(Who::PatientA).await.unwrap();
        let count = |router: Router, s: (String, String)| async move {
            let r = send(&router, request("GET", "/api/v1/entries", Some(&s), &[])).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
            v["entries"].as_array().unwrap().len()
        };
        // The other server answers (and would cache) first; a write through this one follows.
        let before = count(other.clone(), session.clone()).await;
        let r = send(
            &w.router,
            request("POST", "/journal", Some(&session), &[("pain", "5")]),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(count(other.clone(), session.clone()).await, before + 1);
        // Today through the other server shows the entry as well.
        let today = send(&other, request("GET", "/", Some(&session), &[])).await;
        assert_eq!(today.status, StatusCode::OK);
    }
}

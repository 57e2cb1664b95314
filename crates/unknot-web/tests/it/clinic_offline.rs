//! Issue 18's path end to end, in real Chromium on the clinic server: a clinician at 1280 px
//! signs in with password and authenticator code and builds a patient's programme from a
//! clinic template; the patient opens Today at 390 px (the service worker keeps it and the
//! player) and does the session in the sped-up player once online; then the network goes away
//! (a proxy between the browser and the server stops passing anything, which is what a phone
//! in a tunnel sees), they do it again and log an entry, the page says what waits to be sent;
//! the network returns and each is stored exactly once, even though the queue sends the
//! session twice. Pain ratings logged earlier (low in the first week of care, high lately)
//! and the two sessions show on the clinician's dashboard as adherence and a rising-pain
//! alert. Screenshots of Today, the queue, messages, the handout and the dashboard at 390 and
//! 1280 px, light and dark, go to `target/browser-screenshots/`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;
use unknot_app::clinic::{ClinicApp, ClinicConfig, Origin, Principal};
use unknot_app::{App, Clock};
use unknot_core::clinic::access::Role;
use unknot_core::clinic::programme::{Body, Prescribed, Schedule};

use crate::clinic_browser::{Browser, browser, skip, totp_at};

const GOOD: &str = "plum kettle orbit lantern";
const LOGIN: &str = "pat.able@example.org";

/// A TCP proxy whose network can be switched off: off, it drops every open connection and
/// every new one at once (the browser sees a connection reset, as with no network).
struct Proxy {
    port: u16,
    online: Arc<AtomicBool>,
    open: Arc<Mutex<Vec<tokio::task::AbortHandle>>>,
    _task: tokio::task::JoinHandle<()>,
}

impl Proxy {
    async fn to(port: u16) -> Proxy {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let online = Arc::new(AtomicBool::new(true));
        let open: Arc<Mutex<Vec<tokio::task::AbortHandle>>> = Arc::default();
        let (on, conns) = (online.clone(), open.clone());
        let local = listener.local_addr().unwrap().port();
        let task = tokio::spawn(async move {
            loop {
                let Ok((mut inbound, _)) = listener.accept().await else {
                    continue;
                };
                if !on.load(Ordering::SeqCst) {
                    drop(inbound);
                    continue;
                }
                let pipe = tokio::spawn(async move {
                    if let Ok(mut out) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut out).await;
                    }
                });
                conns.lock().unwrap().push(pipe.abort_handle());
            }
        });
        Proxy {
            port: local,
            online,
            open,
            _task: task,
        }
    }

    fn set_online(&self, on: bool) {
        self.online.store(on, Ordering::SeqCst);
        if !on {
            for c in self.open.lock().unwrap().drain(..) {
                c.abort();
            }
        }
    }
}

fn from() -> Origin {
    Origin {
        address: "10.0.0.1".into(),
        agent: "in-process set-up".into(),
    }
}

async fn signed_up(c: &ClinicApp, link: &str, login: &str) -> Principal {
    let token = link.rsplit('/').next().unwrap();
    let s = c
        .accept_with_password(token, login, GOOD, &from())
        .await
        .unwrap();
    c.from_session(&s.token, "10.0.0.1").await.unwrap().unwrap()
}

/// Two short exercises with no caution, every day.
fn programme() -> Body {
    let cat = unknot_core::catalogue::Catalogue::builtin().unwrap();
    let items = cat
        .exercises()
        .filter(|e| e.cautions.is_empty() && e.dosage.reps.is_some())
        .take(2)
        .map(|e| Prescribed {
            exercise: e.id.clone(),
            sets: 1,
            reps: Some(3),
            hold_seconds: None,
            per_side: false,
            rest_seconds: 0,
            instructions: format!("Go gently with the {}.", e.name.to_lowercase()),
        })
        .collect();
    Body {
        name: "Low back, week 1".into(),
        items,
        schedule: Schedule {
            days: unknot_core::clinic::programme::ALL_DAYS.to_vec(),
            times_per_day: 1,
            start: jiff::Zoned::now().date(),
            end: None,
        },
        note: "Little and often beats a lot at once.".into(),
    }
}

async fn count(db: &std::path::Path, sql: &'static str, user: &str) -> i64 {
    let pool = sqlx::AnyPool::connect(&unknot_store::sqlite_url_for(db))
        .await
        .unwrap();
    let (n,): (i64,) = sqlx::query_as(sql)
        .bind(user.to_string())
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    n
}

/// Waits until `script` (an expression) is true in the page.
async fn until(b: &Browser, script: &str, what: &str) {
    for _ in 0..200 {
        if b.js(&format!("return !!({script})")).await == json!(true) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let png = b.client.screenshot().await.unwrap_or_default();
    let _ = std::fs::write(
        crate::clinic_browser::shots().join("clinic-offline-failure.png"),
        png,
    );
    panic!("never true: {what} ({script})");
}

/// The clinic server on a temporary SQLite file with the real clock, reached through a proxy:
/// a clinician, and a patient with a programme and a message waiting.
struct Served {
    c: ClinicApp,
    clinic: String,
    casey: Principal,
    /// The clinician's authenticator secret (base32).
    casey_secret: String,
    pat_id: String,
    db: std::path::PathBuf,
    base: String,
    proxy: Proxy,
    _server: tokio::task::JoinHandle<()>,
    _dir: tempfile::TempDir,
}

/// Gives the clinician a confirmed authenticator app, as staff need to sign in; returns its
/// secret. Confirmed with the previous step's code, so the current one is still unused for
/// the browser; away from a step's last seconds, so the step does not turn in between.
async fn with_authenticator(c: &ClinicApp, who: &Principal) -> String {
    let setup = c.totp_begin(who).await.unwrap();
    let into_step = jiff::Timestamp::now().as_second().rem_euclid(30);
    if into_step >= 26 {
        tokio::time::sleep(Duration::from_secs(u64::try_from(31 - into_step).unwrap())).await;
    }
    let code = totp_at(
        &setup.secret,
        jiff::Timestamp::now() - jiff::SignedDuration::from_secs(30),
    );
    c.totp_confirm(who, &code).await.unwrap();
    setup.secret
}

/// Pain ratings (0-10) the patient logged before today, as (days ago, pain): low in the first
/// week of care, high in the last days. With the 4 the patient logs today in the browser, the
/// baseline is 2.5 and pain lately (the last 3 days) 19/3, so the alert reads "Pain up 3.8
/// points (from 2.5 to 6.3)".
const EARLIER_PAIN: [(i64, i64); 4] = [(11, 3), (10, 2), (2, 7), (1, 8)];

/// Care began 12 days ago, and the patient's ratings since, logged through the app layer with
/// their past times. The server's clock is the real one, so the care link's start (the time
/// the patient accepted) is moved back in the database: nothing in the app backdates it.
async fn earlier_weeks(c: &ClinicApp, pat_id: &str, db: &std::path::Path) {
    let pool = sqlx::AnyPool::connect(&unknot_store::sqlite_url_for(db))
        .await
        .unwrap();
    let began = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(12 * 24);
    let changed = sqlx::query("UPDATE care SET changed_at_ms = $1 WHERE patient_id = $2")
        .bind(began.as_millisecond())
        .bind(pat_id.to_string())
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(changed.rows_affected(), 1);
    pool.close().await;
    let app = c.app().for_user(pat_id);
    for (ago, pain) in EARLIER_PAIN {
        let mut e = app.new_entry().await.unwrap();
        e.at = e.at.checked_sub(jiff::Span::new().days(ago)).unwrap();
        e.pain = Some(unknot_core::score::Score::new(pain, "pain").unwrap());
        app.log(e).await.unwrap();
    }
}

async fn served() -> Served {
    // The server, and the proxy the browser reaches it through.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy = Proxy::to(listener.local_addr().unwrap().port()).await;
    let base = format!("http://localhost:{}", proxy.port);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    let store = unknot_store::Store::open_clinic(&unknot_store::sqlite_url_for(&db), 4)
        .await
        .unwrap();
    let app = App::new(
        store,
        vec![unknot_core::catalogue::builtin()],
        Clock::system(),
    );
    let c = ClinicApp::new(app, ClinicConfig::new(format!("{base}/").parse().unwrap()))
        .await
        .unwrap();
    let (clinic, invited) = c
        .init_clinic("Back Room Physio", "owner@example.org", "Olive Owner")
        .await
        .unwrap();
    let owner = signed_up(&c, &invited.link, "").await;
    let inv = c
        .invite_staff(
            &owner,
            &clinic.id,
            "casey@example.org",
            "Casey Clinician",
            Role::Clinician,
        )
        .await
        .unwrap();
    let casey = signed_up(&c, &inv.link, "").await;
    let inv = c
        .invite_patient(&casey, &clinic.id, "Pat Able", Some(1984), None)
        .await
        .unwrap();
    let pat = signed_up(&c, &inv.link, LOGIN).await;
    let pat_id = pat.account.id.clone();
    // The clinic's template the clinician will start the patient's programme from.
    c.save_template(&casey, &clinic.id, None, programme(), false)
        .await
        .unwrap();
    let casey_secret = with_authenticator(&c, &casey).await;
    earlier_weeks(&c, &pat_id, &db).await;
    c.message_patient(
        &casey,
        &clinic.id,
        &pat_id,
        "Welcome! Start gently, and tell me how the first session goes.",
    )
    .await
    .unwrap();
    let state = unknot_web::AppState::for_clinic(
        c.clone(),
        unknot_web::Options {
            speed: 40.0,
            allowed_hosts: Vec::new(),
            database_file: None,
        },
    )
    .await
    .unwrap();
    let router = unknot_web::router(state);
    let server = tokio::spawn(async move {
        let _ = unknot_web::serve::run(
            router,
            listener,
            unknot_web::serve::Limits::default(),
            None,
            std::future::pending(),
        )
        .await;
    });

    Served {
        c,
        clinic: clinic.id,
        casey,
        casey_secret,
        pat_id,
        db,
        base,
        proxy,
        _server: server,
        _dir: dir,
    }
}

const SESSIONS: &str = "SELECT COUNT(*) FROM sessions WHERE user_id = $1";

/// Issue 18's whole path: the clinician (1280 px, signed in with password and authenticator
/// code) builds the patient's programme from a clinic template; the patient (390 px) sees it
/// on Today and does it in the sped-up player once online and once offline, the offline one
/// queued twice yet stored once; the clinician's dashboard then shows the adherence and the
/// rising-pain alert the patient's ratings call for.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_template_programme_done_online_and_offline_reaches_the_dashboard_once() {
    if skip() {
        return;
    }
    let w = served().await;
    let clin = clinician_signed_in(&w).await;
    builds_from_the_template(&w, &clin).await;
    // The patient signs in on their phone and opens Today: the programme leads.
    let b = signed_in(&w.base).await;
    today_is_kept(&b).await;
    // Online: the session goes straight to the server.
    do_the_session(&b).await;
    until(
        &b,
        "/^(?!Not saved|Saved on this device).+/.test(document.getElementById('saved').textContent)",
        "the session is saved on the server",
    )
    .await;
    assert_eq!(
        count(&w.db, SESSIONS, &w.pat_id).await,
        1,
        "the online session"
    );
    b.go("/").await;
    b.wait_text("#prog-title", "Low back, week 1").await;
    offline(&w, &b).await;
    back_online(&w, &b).await;
    the_dashboard_shows_it(&w, &clin).await;
    messages_and_handout(&b).await;
    signing_out_forgets(&b).await;
    b.close().await;
    clin.close().await;
}

/// The clinician at 1280 px through the real sign-in: password, then the authenticator code.
async fn clinician_signed_in(w: &Served) -> Browser {
    let b = browser(&w.base, 1280, 900, false).await;
    // The clinic's page sends them to sign in, and on to their dashboard after.
    b.go("/clinic").await;
    b.wait_text("h1", "Sign in").await;
    b.type_in("#login", "casey@example.org").await;
    b.type_in("#password", GOOD).await;
    b.click("form.auth-form button[type=submit]").await;
    b.wait_text("h1", "Your code").await;
    b.type_in("#code", &totp_at(&w.casey_secret, jiff::Timestamp::now()))
        .await;
    b.click("form.auth-form button[type=submit]").await;
    b.wait_text("h1", "Dashboard").await;
    b
}

/// In the patient's builder: start from the clinic's template, fill it in, two sessions a day
/// from today, and save and send it.
async fn builds_from_the_template(w: &Served, b: &Browser) {
    b.go(&format!(
        "/clinic/{}/patients/{}/programme",
        w.clinic, w.pat_id
    ))
    .await;
    b.wait_text("h1", "Programme for Pat Able").await;
    b.wait_text("#template", "Low back, week 1").await;
    b.click("form[aria-label='Start from a template'] button[type=submit]")
        .await;
    until(
        b,
        "document.getElementById('name').value === 'Low back, week 1'",
        "the builder is filled in from the template",
    )
    .await;
    assert!(b.path().await.contains("template="), "{}", b.path().await);
    // Two a day, so both of today's sessions count toward adherence.
    b.js("document.getElementById('times').value = '2'").await;
    let today = jiff::Zoned::now().date().to_string();
    b.js(&format!(
        "document.getElementById('start').value = '{today}'"
    ))
    .await;
    b.click("div.submit-bar button[type=submit]").await;
    b.wait_text("main", "Pat Able").await;
    assert!(
        b.path().await.ends_with("/care?saved=programme"),
        "{}",
        b.path().await
    );
    let (_, v) =
        w.c.app()
            .store()
            .active_programmes_in(&w.clinic)
            .await
            .unwrap()
            .into_iter()
            .find(|(p, _)| p.patient_id.as_deref() == Some(w.pat_id.as_str()))
            .expect("the programme is in force");
    assert_eq!(v.body.name, "Low back, week 1");
    assert_eq!(v.body.schedule.times_per_day, 2);
    assert_eq!(v.body.items.len(), 2);
}

/// Today leads with the programme, and the service worker keeps it, the player and the journal.
async fn today_is_kept(b: &Browser) {
    b.wait_text("h1", "Today").await;
    b.wait_text("#prog-title", "Low back, week 1").await;
    b.wait_text("section.programme", "Go gently with the").await;
    b.wait_text("main", "1 new message from your clinic").await;
    until(
        b,
        "navigator.serviceWorker.controller",
        "the worker controls the page",
    )
    .await;
    wait_until_kept(b).await;
    let overflow = b.shots("today-programme").await;
    assert!(overflow <= 0, "Today spills {overflow} px sideways");
    let small = b
        .js("var r = document.getElementById('start-programme').getBoundingClientRect(); return [r.width, r.height]")
        .await;
    assert!(small[1].as_f64().unwrap() >= 44.0, "Start is {small}");
}

/// From Today, the programme in the player (the server runs it 40 times faster), to saving.
async fn do_the_session(b: &Browser) {
    b.tap("#start-programme").await;
    b.wait_text("h1", "session").await;
    until(
        b,
        "!document.getElementById('start').disabled",
        "the player is ready",
    )
    .await;
    b.tap("#start").await;
    until(
        b,
        "!document.getElementById('finish').hidden",
        "the session finished",
    )
    .await;
    b.click("#save").await;
}

/// No network: the session is done from the kept player and saved on the phone, an entry is
/// logged, and the session is queued a second time (as two open tabs might).
async fn offline(w: &Served, b: &Browser) {
    w.proxy.set_online(false);
    do_the_session(b).await;
    b.wait_text("#saved", "Saved on this device").await;
    b.wait_text("#queue-status", "1 waiting to send").await;
    // The journal, also from the phone's copy: an entry saved offline is queued too.
    b.go("/journal").await;
    b.wait_text("h1", "Journal").await;
    b.tap(".pain-now .scale-row label:nth-child(5) span").await;
    b.tap("form.entry-form button[type=submit]").await;
    b.wait_text("#queue-status", "2 waiting to send").await;
    let overflow = b.shots("offline-queue").await;
    assert!(
        overflow <= 0,
        "the queue line spills {overflow} px sideways"
    );
    assert_eq!(
        count(&w.db, SESSIONS, &w.pat_id).await,
        1,
        "nothing more reached the server"
    );
    b.js("var o = indexedDB.open('unknot-queue', 1); o.onsuccess = function () { var s = o.result.transaction('writes', 'readwrite').objectStore('writes'); s.getAll().onsuccess = function (e) { var json = e.target.result.filter(function (i) { return i.kind === 'json'; })[0]; delete json.key; s.add(json); window.__doubled = true; }; };").await;
    until(b, "window.__doubled", "the session is queued twice").await;
}

/// The network returns: the queue empties, and each write is stored once.
async fn back_online(w: &Served, b: &Browser) {
    w.proxy.set_online(true);
    b.js("window.unknotQueue.flush()").await;
    until(
        b,
        "document.getElementById('queue-status').hidden",
        "the queue is sent",
    )
    .await;
    assert_eq!(
        count(&w.db, SESSIONS, &w.pat_id).await,
        2,
        "the online session and the offline one, once"
    );
    assert_eq!(
        count(
            &w.db,
            "SELECT COUNT(*) FROM entries WHERE user_id = $1 AND pain = 4",
            &w.pat_id
        )
        .await,
        1,
        "one entry stored from the journal form"
    );
}

/// The clinician's dashboard, in their browser: both sessions of today's two, and the pain
/// risen from the first week's ratings to the last days'.
async fn the_dashboard_shows_it(w: &Served, b: &Browser) {
    let rows = w.c.dashboard(&w.casey, &w.clinic).await.unwrap();
    let a = rows[0].signals.adherence_7.expect("adherence");
    assert_eq!((a.done, a.due), (2, 2), "{a:?}");
    b.go(&format!("/clinic/{}/dashboard", w.clinic)).await;
    b.wait_text("h1", "Dashboard").await;
    let row = b.wait_text("table", "Pat Able").await;
    assert!(
        row.contains("Pain up 3.8 points (from 2.5 to 6.3)"),
        "{row}"
    );
    assert!(row.contains("100% (2/2)"), "{row}");
    assert!(row.contains("Low back, week 1"), "{row}");
    let overflow = b.shots("dashboard-after-offline").await;
    assert!(overflow <= 0, "the dashboard spills {overflow} px sideways");
}

/// Messages and the handout, as the patient sees them (and screenshots of both).
async fn messages_and_handout(b: &Browser) {
    // Messages and the handout, as the patient sees them.
    b.go("/messages").await;
    b.wait_text("main", "Welcome! Start gently").await;
    let overflow = b.shots("messages").await;
    assert!(overflow <= 0, "messages spill {overflow} px sideways");
    b.type_in("textarea[name=body]", "Done, it felt fine.")
        .await;
    b.click("form.message-form button[type=submit]").await;
    b.wait_text("main", "Done, it felt fine.").await;
    b.go("/programme/handout").await;
    b.wait_text("h1", "Low back, week 1").await;
    let overflow = b.shots("handout").await;
    assert!(overflow <= 0, "the handout spills {overflow} px sideways");
}

/// Waits until the service worker has kept Today, the player, its steps and the journal.
async fn wait_until_kept(b: &Browser) {
    let kept = "(window.__kept || [])";
    for _ in 0..100 {
        b.js("caches.open('unknot-pages-2').then(function (c) { return c.keys(); }).then(function (k) { window.__kept = k.map(function (r) { return new URL(r.url).pathname; }); })").await;
        let have = b
            .js(&format!("return ['/', '/session', '/api/v1/session/steps', '/journal'].every(function (p) {{ return {kept}.indexOf(p) >= 0; }})"))
            .await;
        if have == json!(true) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    let have = b.js(&format!("return {kept}")).await;
    for p in ["/", "/session", "/api/v1/session/steps", "/journal"] {
        assert!(have.as_array().unwrap().contains(&json!(p)), "kept: {have}");
    }
}

/// The patient signed in on a 390 px phone.
async fn signed_in(base: &str) -> Browser {
    let b = browser(base, 390, 844, true).await;
    b.go("/sign-in").await;
    b.type_in("#login", LOGIN).await;
    b.type_in("#password", GOOD).await;
    b.click("form.auth-form button[type=submit]").await;
    b
}

/// Signing out leaves no kept page on the phone.
async fn signing_out_forgets(b: &Browser) {
    b.js("document.querySelector('form[action=\"/sign-out\"]').submit()")
        .await;
    b.wait_text("h1", "Sign in").await;
    b.js("window.__left = null; caches.open('unknot-pages-2').then(function (c) { return c.keys(); }).then(function (k) { window.__left = k.length; })")
        .await;
    until(b, "window.__left === 0", "no kept page after signing out").await;
}

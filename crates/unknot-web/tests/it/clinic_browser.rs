//! End to end in a real Chromium on the clinic server, set up in process on a temporary SQLite
//! file with the real clock: a patient opens their invitation on a 390 px phone, accepts with a
//! passkey (Chrome's virtual authenticator stands in for the phone's), and logs a journal entry
//! that lands in their journal and nobody else's; a clinician signs in at 1280 px with a
//! password and an authenticator code (a wrong code is refused with a message) and lands on
//! the patient list. Screenshots of every page visited, at 390 and 1280 px, light and dark, go
//! to `target/browser-screenshots/clinic-*.png`.
//!
//! Like `browser.rs`, these need `chromium` and `chromedriver` (set `CHROMIUM` and
//! `CHROMEDRIVER` to use others). Without them they fail, never skip: set
//! UNKNOT_SKIP_BROWSER=1 to leave them out on purpose.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::actions::{InputSource, PointerAction, TouchActions};
use fantoccini::{Client, ClientBuilder, Locator};
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};
use unknot_app::clinic::{ClinicApp, ClinicConfig, Origin, Principal};
use unknot_app::{App, Clock};
use unknot_core::clinic::access::Role;
use unknot_core::journal::Entry;

/// A password the common-password check accepts.
const GOOD: &str = "plum kettle orbit lantern";
const CLINIC: &str = "Back Room Physio";
const CLINICIAN_EMAIL: &str = "casey@example.org";
/// The sign-in name the patient chooses on the invitation page.
const PATIENT_LOGIN: &str = "pat.able@example.org";

pub(crate) fn skip() -> bool {
    std::env::var_os("UNKNOT_SKIP_BROWSER").is_some()
}

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn from(address: &str) -> Origin {
    Origin {
        address: address.into(),
        agent: "in-process set-up".into(),
    }
}

fn token_of(link: &str) -> String {
    link.rsplit('/').next().unwrap().to_string()
}

/// The authenticator app's code for `secret` (base32) at `at`.
pub(crate) fn totp_at(secret: &str, at: Timestamp) -> String {
    let key = data_encoding::BASE32_NOPAD
        .decode(secret.as_bytes())
        .unwrap();
    let t = totp_rs::Builder::new().with_secret(key).build().unwrap();
    t.generate(u64::try_from(at.as_second()).unwrap())
        .to_string()
}

/// A six-digit code that is not valid for `secret` anywhere near now.
fn wrong_code(secret: &str) -> String {
    let now = Timestamp::now();
    let valid: Vec<String> = [-60, -30, 0, 30, 60]
        .iter()
        .map(|s| totp_at(secret, now + SignedDuration::from_secs(*s)))
        .collect();
    (0..1_000_000)
        .map(|n| format!("{n:06}"))
        .find(|c| !valid.contains(c))
        .unwrap()
}

async fn principal(c: &ClinicApp, token: &str) -> Principal {
    c.from_session(token, "10.0.0.1")
        .await
        .unwrap()
        .expect("a live session")
}

/// The clinic server, set up in process: an owner, a clinician with a confirmed authenticator
/// app, served on loopback at the origin its passkeys are bound to.
struct Clinic {
    c: ClinicApp,
    id: String,
    owner: Principal,
    clinician: Principal,
    /// The clinician's authenticator secret (base32).
    clinician_secret: String,
    base: String,
    /// The SQLite file.
    db: PathBuf,
    _server: tokio::task::JoinHandle<()>,
    _dir: tempfile::TempDir,
}

async fn clinic() -> Clinic {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    // `localhost` is what the browser uses: a secure context over plain HTTP, and the passkeys'
    // relying party.
    let base = format!("http://localhost:{port}");
    let dir = tempfile::tempdir().unwrap();
    let url = unknot_store::sqlite_url_for(&dir.path().join("clinic.db"));
    let store = unknot_store::Store::open_clinic(&url, 4).await.unwrap();
    let app = App::new(
        store,
        vec![unknot_core::catalogue::builtin()],
        Clock::system(),
    );
    let config = ClinicConfig::new(format!("{base}/").parse().unwrap());
    let c = ClinicApp::new(app, config).await.unwrap();
    let (made, invited) = c
        .init_clinic(CLINIC, "owner@example.org", "Olive Owner")
        .await
        .unwrap();
    let s = c
        .accept_with_password(&token_of(&invited.link), "", GOOD, &from("10.0.0.1"))
        .await
        .unwrap();
    let owner = principal(&c, &s.token).await;
    let inv = c
        .invite_staff(
            &owner,
            &made.id,
            CLINICIAN_EMAIL,
            "Casey Clinician",
            Role::Clinician,
        )
        .await
        .unwrap();
    let s = c
        .accept_with_password(&token_of(&inv.link), "", GOOD, &from("10.0.0.2"))
        .await
        .unwrap();
    let clinician = principal(&c, &s.token).await;
    let setup = c.totp_begin(&clinician).await.unwrap();
    // Confirmed with the previous step's code, so the current one is still unused for the
    // browser (a step's code works once). Away from a step's last seconds, so the step does
    // not turn between making the code and checking it (two steps back is refused).
    let into_step = Timestamp::now().as_second().rem_euclid(30);
    if into_step >= 26 {
        tokio::time::sleep(std::time::Duration::from_secs(
            u64::try_from(31 - into_step).unwrap(),
        ))
        .await;
    }
    let code = totp_at(
        &setup.secret,
        Timestamp::now() - SignedDuration::from_secs(30),
    );
    c.totp_confirm(&clinician, &code).await.unwrap();
    let clinician = principal(&c, &s.token).await;
    let state = unknot_web::AppState::for_clinic(
        c.clone(),
        unknot_web::Options {
            speed: 1.0,
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
    Clinic {
        c,
        id: made.id,
        owner,
        clinician,
        clinician_secret: setup.secret,
        base,
        db: dir.path().join("clinic.db"),
        _server: server,
        _dir: dir,
    }
}

impl Clinic {
    /// A patient invited by the clinician who accepted with a password (in process).
    async fn patient_with_password(&self, name: &str, login: &str) -> Principal {
        let inv = self
            .c
            .invite_patient(&self.clinician, &self.id, name, Some(1980), None)
            .await
            .unwrap();
        let s = self
            .c
            .accept_with_password(&token_of(&inv.link), login, GOOD, &from("10.0.0.3"))
            .await
            .unwrap();
        principal(&self.c, &s.token).await
    }

    /// The browser's virtual authenticator holds one passkey for this site, and the server
    /// keeps it for the signed-in account.
    async fn assert_one_passkey(&self, b: &Browser, authenticator: &str, who: &Principal) {
        let creds = b
            .driver_get(&format!(
                "/webauthn/authenticator/{authenticator}/credentials"
            ))
            .await;
        let creds = creds.as_array().expect("the authenticator's credentials");
        assert_eq!(creds.len(), 1, "{creds:?}");
        assert_eq!(creds[0]["rpId"], json!("localhost"));
        assert_eq!(
            self.c.passkey_list(who).await.unwrap().len(),
            1,
            "the server keeps the passkey"
        );
    }

    /// The whole database holds exactly one entry, under `owner`: none in the journals of
    /// `others`, nor in the unscoped store's.
    async fn assert_the_only_entry_belongs_to(&self, owner: &str, others: &[&str]) {
        for other in others {
            assert!(self.journal_of(other).await.is_empty(), "{other}");
        }
        assert_eq!(self.c.app().entry_count().await.unwrap(), 0);
        let pool = sqlx::AnyPool::connect(&unknot_store::sqlite_url_for(&self.db))
            .await
            .unwrap();
        let owners: Vec<(String,)> = sqlx::query_as("SELECT user_id FROM entries")
            .fetch_all(&pool)
            .await
            .unwrap();
        pool.close().await;
        assert_eq!(owners, vec![(owner.to_string(),)]);
    }

    async fn journal_of(&self, account: &str) -> Vec<Entry> {
        self.c
            .app()
            .for_user(account)
            .history(&Default::default(), None)
            .await
            .unwrap()
            .entries
    }
}

pub(crate) struct Browser {
    pub(crate) client: Client,
    driver: Child,
    driver_port: u16,
    /// The WebDriver session's id.
    session: String,
    base: String,
    width: u32,
    height: u32,
    phone: bool,
    /// Chromium's profile, removed after it.
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    /// A failed test never reaches `close`: the session is ended here, so chromedriver quits
    /// Chromium (which would otherwise outlive it), then chromedriver is stopped.
    fn drop(&mut self) {
        use std::io::{Read, Write};
        if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", self.driver_port)) {
            let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
            let _ = write!(
                s,
                "DELETE /session/{} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
                self.session, self.driver_port
            );
            let _ = s.read(&mut [0u8; 1024]);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Chromium on `base`, `width` × `height`; a phone is emulated (a headless window will not
/// shrink below about 500 px).
pub(crate) async fn browser(base: &str, width: u32, height: u32, phone: bool) -> Browser {
    let port = free_port();
    let mut driver = Command::new(std::env::var("CHROMEDRIVER").unwrap_or("chromedriver".into()))
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver must be installed (apt-get install chromium chromium-driver)");
    let profile = tempfile::tempdir().unwrap();
    let mut options = json!({
        "binary": std::env::var("CHROMIUM").unwrap_or("/usr/bin/chromium".into()),
        "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 format!("--user-data-dir={}", profile.path().display()),
                 format!("--window-size={width},{height}")]
    });
    if phone {
        options["mobileEmulation"] =
            json!({"deviceMetrics": {"width": width, "height": height, "pixelRatio": 1}});
    }
    let caps: serde_json::Map<String, Value> = json!({ "goog:chromeOptions": options })
        .as_object()
        .unwrap()
        .clone();
    // chromedriver takes a moment to listen; a missing or broken Chromium fails every try.
    let mut last = String::new();
    let mut client = None;
    for _ in 0..50 {
        match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => {
                client = Some(c);
                break;
            }
            Err(e) => {
                last = e.to_string();
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    }
    let Some(client) = client else {
        let _ = driver.kill();
        let _ = driver.wait();
        panic!("no browser session (set UNKNOT_SKIP_BROWSER=1 to leave these out): {last}");
    };
    let session = client.session_id().await.unwrap().unwrap_or_default();
    Browser {
        client,
        driver,
        driver_port: port,
        session,
        base: base.to_string(),
        width,
        height,
        phone,
        _profile: profile,
    }
}

pub(crate) fn shots() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/browser-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

impl Browser {
    pub(crate) async fn go(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap();
    }

    pub(crate) async fn path(&self) -> String {
        let url = self.client.current_url().await.unwrap();
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        }
    }

    pub(crate) async fn js(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.unwrap()
    }

    pub(crate) async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
    }

    pub(crate) async fn click(&self, css: &str) {
        self.js(&format!(
            "var e = document.querySelector({css:?}); if (e) e.scrollIntoView({{block: 'center'}})"
        ))
        .await;
        self.find(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"));
    }

    /// Types into a field as a person would (it is cleared first).
    pub(crate) async fn type_in(&self, css: &str, text: &str) {
        let el = self.find(css).await;
        el.clear().await.unwrap();
        el.send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"));
    }

    /// Taps an element with a finger (a touch pointer), at its centre.
    pub(crate) async fn tap(&self, css: &str) {
        let el = self.find(css).await;
        self.js(&format!(
            "document.querySelector({css:?}).scrollIntoView({{block: 'center'}})"
        ))
        .await;
        let finger = TouchActions::new("finger".into())
            .then(PointerAction::MoveToElement {
                element: el,
                duration: None,
                x: 0.0,
                y: 0.0,
            })
            .then(PointerAction::Down { button: 0 })
            .then(PointerAction::Up { button: 0 });
        self.client
            .perform_actions(finger)
            .await
            .unwrap_or_else(|e| panic!("tap {css}: {e}"));
    }

    /// Waits until `css` is on the page and its text contains `needle`; on failure, a
    /// screenshot (`clinic-failure.png`) and the page's source.
    pub(crate) async fn wait_text(&self, css: &str, needle: &str) -> String {
        for _ in 0..150 {
            if let Ok(el) = self.client.find(Locator::Css(css)).await
                && let Ok(t) = el.text().await
                && t.contains(needle)
            {
                return t;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let png = self.client.screenshot().await.unwrap_or_default();
        let _ = std::fs::write(shots().join("clinic-failure.png"), png);
        let source = self.client.source().await.unwrap_or_default();
        let url = self.path().await;
        panic!(
            "{css} never said {needle:?} on {url}; the page is:\n{}",
            &source[..source.len().min(4000)]
        );
    }

    /// POSTs to chromedriver itself under this session (`/session/{id}{path}`): the WebDriver
    /// commands fantoccini has no method for. Returns the answer's `value`.
    pub(crate) async fn driver_post(&self, path: &str, body: Value) -> Value {
        self.driver(axum::http::Method::POST, path, body.to_string())
            .await
    }

    /// GETs from chromedriver under this session.
    pub(crate) async fn driver_get(&self, path: &str) -> Value {
        self.driver(axum::http::Method::GET, path, String::new())
            .await
    }

    pub(crate) async fn driver(
        &self,
        method: axum::http::Method,
        path: &str,
        body: String,
    ) -> Value {
        use http_body_util::BodyExt;
        let id = self.client.session_id().await.unwrap().unwrap();
        let http =
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .build(hyper_util::client::legacy::connect::HttpConnector::new());
        let req = axum::http::Request::builder()
            .method(method)
            .uri(format!(
                "http://127.0.0.1:{}/session/{id}{path}",
                self.driver_port
            ))
            .header("content-type", "application/json")
            .body(http_body_util::Full::new(axum::body::Bytes::from(body)))
            .unwrap();
        let res = http
            .request(req)
            .await
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        let status = res.status();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        assert!(
            status.is_success(),
            "{path}: {}",
            String::from_utf8_lossy(&bytes)
        );
        let mut answer: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        answer["value"].take()
    }

    /// A Chrome DevTools Protocol command, through chromedriver's own endpoint.
    pub(crate) async fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.driver_post("/goog/cdp/execute", json!({"cmd": cmd, "params": params}))
            .await
    }

    /// A virtual authenticator, as a phone's platform authenticator: CTAP2, built in, keeps
    /// resident keys, and verifies the person (fingerprint or screen lock) every time.
    pub(crate) async fn add_authenticator(&self) -> String {
        self.driver_post(
            "/webauthn/authenticator",
            json!({
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": true,
                "hasUserVerification": true,
                "isUserVerified": true
            }),
        )
        .await
        .as_str()
        .expect("the virtual authenticator's id")
        .to_string()
    }

    /// Shots of the page as it is now: 390 and 1280 px wide, light and dark, each the page's
    /// whole height, as `clinic-{name}-{width}-{scheme}.png`. Returns how far the page is wider
    /// than 390 px on a phone (0 when nothing spills sideways).
    pub(crate) async fn shots(&self, name: &str) -> i64 {
        let mut overflow = 0;
        for width in [390u32, 1280] {
            let mobile = width < 600;
            let metrics = |h: u64| json!({"width": width, "height": h, "deviceScaleFactor": 1, "mobile": mobile});
            self.cdp(
                "Emulation.setDeviceMetricsOverride",
                metrics(u64::from(self.height)),
            )
            .await;
            tokio::time::sleep(Duration::from_millis(150)).await;
            let sizes = self
                .js("var d = document.documentElement; return [d.scrollWidth, d.scrollHeight]")
                .await;
            if mobile {
                overflow = sizes[0].as_i64().unwrap_or(0) - i64::from(width);
            }
            let tall = sizes[1]
                .as_u64()
                .unwrap_or(u64::from(self.height))
                .clamp(u64::from(self.height), 12_000);
            self.cdp("Emulation.setDeviceMetricsOverride", metrics(tall))
                .await;
            for dark in [false, true] {
                let scheme = if dark { "dark" } else { "light" };
                self.cdp(
                    "Emulation.setEmulatedMedia",
                    json!({"features": [{"name": "prefers-color-scheme", "value": scheme}]}),
                )
                .await;
                tokio::time::sleep(Duration::from_millis(150)).await;
                let png = self.client.screenshot().await.unwrap();
                std::fs::write(
                    shots().join(format!("clinic-{name}-{width}-{scheme}.png")),
                    png,
                )
                .unwrap();
            }
        }
        self.cdp(
            "Emulation.setEmulatedMedia",
            json!({"features": [{"name": "prefers-color-scheme", "value": "light"}]}),
        )
        .await;
        if self.phone {
            self.cdp(
                "Emulation.setDeviceMetricsOverride",
                json!({"width": self.width, "height": self.height, "deviceScaleFactor": 1,
                       "mobile": true}),
            )
            .await;
        } else {
            self.cdp("Emulation.clearDeviceMetricsOverride", json!({}))
                .await;
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
        overflow
    }

    /// The session cookie this browser holds, with whether script can read it.
    pub(crate) async fn session_cookie(&self) -> Option<(String, bool)> {
        let cookies = self.client.get_all_cookies().await.unwrap();
        cookies
            .iter()
            .find(|c| c.name() == unknot_web::access::SESSION_COOKIE)
            .map(|c| (c.value().to_string(), c.http_only() != Some(true)))
    }

    pub(crate) async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invite_passkey_and_first_entry_on_a_phone() {
    if skip() {
        return;
    }
    let w = clinic().await;
    // Someone else under the same clinician, to show the entry is not theirs.
    let robin = w
        .patient_with_password("Robin Other", "robin@example.org")
        .await;
    let invited =
        w.c.invite_patient(&w.clinician, &w.id, "Pat Able", Some(1984), None)
            .await
            .unwrap();
    assert!(
        invited.link.starts_with(&format!("{}/invite/", w.base)),
        "{}",
        invited.link
    );
    let pat_id = invited.account_id.clone();
    let b = browser(&w.base, 390, 844, true).await;
    let authenticator = b.add_authenticator().await;
    // The patient opens the link on their phone.
    b.client.goto(&invited.link).await.unwrap();
    b.wait_text("h1", CLINIC).await;
    b.wait_text("p.lead", "Casey Clinician invited Pat Able")
        .await;
    assert_eq!(
        b.js("return document.querySelector('[data-passkey=invite]').hidden")
            .await,
        json!(false),
        "the passkey box shows where passkeys work"
    );
    let overflow = b.shots("invite").await;
    assert!(
        overflow <= 0,
        "the invitation spills {overflow} px sideways"
    );
    b.type_in("#login", PATIENT_LOGIN).await;
    b.tap("[data-passkey-go]").await;
    // The passkey is made, the invitation accepted, and the patient lands signed in.
    for _ in 0..100 {
        if !b.path().await.starts_with("/invite/") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let error = b
        .js("var e = document.querySelector('[data-passkey-error]'); return e && !e.hidden ? e.textContent : ''")
        .await;
    assert_eq!(b.path().await, "/", "after the passkey: {error}");
    let (token, readable) = b.session_cookie().await.expect("a session cookie");
    assert!(!readable, "script cannot read the session cookie");
    let who = principal(&w.c, &token).await;
    assert_eq!(who.account.id, pat_id);
    assert_eq!(who.account.email.as_deref(), Some(PATIENT_LOGIN));
    assert!(
        who.session.as_ref().unwrap().second_factor,
        "a passkey counts as both factors"
    );
    w.assert_one_passkey(&b, &authenticator, &who).await;
    // The care relationship is confirmed: the clinician now sees them as under care.
    let rows = w.c.patients(&w.clinician, &w.id).await.unwrap();
    let row = rows.iter().find(|r| r.id == pat_id).expect("listed");
    assert_eq!(row.status, unknot_core::clinic::access::Care::Confirmed);
    // The first entry: the tab bar's Journal, then pain 6 and the lower back on the form.
    b.tap("nav.nav a[href='/journal']").await;
    b.wait_text("h1", "Journal").await;
    assert_eq!(b.path().await, "/journal");
    b.tap(".pain-now .scale-row label:nth-child(7) span").await;
    b.tap("#region-lower-back").await;
    b.wait_text("#entry-summary", "pain 6").await;
    let overflow = b.shots("journal").await;
    assert!(overflow <= 0, "the journal spills {overflow} px sideways");
    b.tap("form.entry-form button[type=submit]").await;
    b.wait_text("p.notice", "Saved.").await;
    // Stored in the patient's journal...
    let mine = w.journal_of(&pat_id).await;
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert_eq!(mine[0].pain.map(|p| p.get()), Some(6));
    let regions: Vec<&str> = mine[0].regions.iter().map(|r| r.region.id()).collect();
    assert_eq!(regions, vec!["lower-back"]);
    // ...and nobody else's.
    w.assert_the_only_entry_belongs_to(
        &pat_id,
        &[
            &robin.account.id,
            &w.clinician.account.id,
            &w.owner.account.id,
        ],
    )
    .await;
    // The account page, as the patient sees it.
    b.go("/account").await;
    b.wait_text("h1", "Account").await;
    b.wait_text("main", CLINIC).await;
    let overflow = b.shots("account-patient").await;
    assert!(
        overflow <= 0,
        "the account page spills {overflow} px sideways"
    );
    b.close().await;
}

/// The clinician's working pages with a patient on a programme: the dashboard, the care page,
/// the builder and the templates, each shot at both widths and schemes and checked for
/// sideways spill on a phone.
async fn clinician_pages(w: &Clinic, b: &Browser) {
    let pat =
        w.c.patients(&w.clinician, &w.id)
            .await
            .unwrap()
            .into_iter()
            .find(|p| p.name == "Pat Able")
            .unwrap()
            .id;
    let catalogue = unknot_core::catalogue::Catalogue::builtin().unwrap();
    let today = jiff::Zoned::now().date();
    let body = unknot_core::clinic::programme::Body {
        name: "Low back, first fortnight".into(),
        items: ["cat-camel", "pelvic-tilt", "bird-dog"]
            .iter()
            .filter_map(|id| catalogue.exercise(id))
            .map(unknot_core::clinic::programme::Prescribed::from_library)
            .collect(),
        schedule: unknot_core::clinic::programme::Schedule::daily(
            today.checked_sub(jiff::Span::new().days(10)).unwrap(),
        ),
        note: "Little and often.".into(),
    };
    w.c.save_template(&w.clinician, &w.id, None, body.clone(), false)
        .await
        .unwrap();
    // A fortnight of ratings and a few knots, so the care page draws the patient's charts.
    let journal = w.c.app().for_user(&pat);
    for (days_ago, pain) in [(13, 6), (11, 6), (9, 5), (7, 5), (5, 4), (3, 5), (1, 4)] {
        let mut e = journal.new_entry().await.unwrap();
        e.at = jiff::Zoned::now()
            .checked_sub(jiff::Span::new().days(days_ago))
            .unwrap();
        e.pain = Some(unknot_core::score::Score::new(pain, "pain").unwrap());
        if days_ago % 3 == 0 {
            e.knots = vec![unknot_core::journal::Knot::parse("upper-trapezius:right:6").unwrap()];
        }
        journal.log(e).await.unwrap();
    }
    w.c.prescribe(&w.clinician, &w.id, &pat, body, None, true)
        .await
        .unwrap();
    let mut own = catalogue.exercise("pelvic-tilt").unwrap().clone();
    own.id = "towel-pelvic-tilt".into();
    own.name = "Pelvic tilt on a rolled towel".into();
    own.harder.clear();
    own.cautions = vec![unknot_core::catalogue::Caution::Pregnancy];
    let from = unknot_app::clinic::Origin {
        address: "127.0.0.1".into(),
        agent: "browser test".into(),
    };
    let own =
        w.c.save_clinic_exercise(&w.clinician, &w.id, own, true, &from)
            .await
            .unwrap();
    for (path, heading, name) in [
        (
            format!("/clinic/{}/dashboard?show=all", w.id),
            "Dashboard",
            "dashboard",
        ),
        (
            format!("/clinic/{}/patients/{pat}/care", w.id),
            "Pat Able",
            "care",
        ),
        (
            format!("/clinic/{}/patients/{pat}/programme", w.id),
            "Programme for Pat Able",
            "builder",
        ),
        (
            format!("/clinic/{}/templates", w.id),
            "Templates",
            "templates",
        ),
        (
            format!("/clinic/{}/exercises", w.id),
            "The clinic's exercises",
            "clinic-exercises",
        ),
        (
            format!("/clinic/{}/exercises/{}", w.id, own.id),
            "Change Pelvic tilt on a rolled towel",
            "clinic-exercise",
        ),
    ] {
        b.go(&path).await;
        b.wait_text("h1", heading).await;
        let overflow = b.shots(name).await;
        assert!(overflow <= 0, "{name} spills {overflow} px sideways");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clinician_signs_in_with_totp() {
    if skip() {
        return;
    }
    let w = clinic().await;
    w.patient_with_password("Pat Able", "pat.able@example.org")
        .await;
    w.c.invite_patient(&w.clinician, &w.id, "Robin Waiting", None, None)
        .await
        .unwrap();
    let b = browser(&w.base, 1280, 900, false).await;
    b.go("/sign-in").await;
    b.wait_text("h1", "Sign in").await;
    let overflow = b.shots("sign-in").await;
    assert!(overflow <= 0, "sign-in spills {overflow} px sideways");
    // A wrong code is refused with a message, and the sign-in starts again.
    b.type_in("#login", CLINICIAN_EMAIL).await;
    b.type_in("#password", GOOD).await;
    b.click("form.auth-form button[type=submit]").await;
    b.wait_text("h1", "Your code").await;
    let overflow = b.shots("code").await;
    assert!(overflow <= 0, "the code page spills {overflow} px sideways");
    b.type_in("#code", &wrong_code(&w.clinician_secret)).await;
    b.click("form.auth-form button[type=submit]").await;
    b.wait_text("p.error", "that code is not right").await;
    b.wait_text("h1", "Sign in").await;
    assert!(
        b.session_cookie().await.is_none(),
        "no session after a wrong code"
    );
    let overflow = b.shots("code-refused").await;
    assert!(overflow <= 0, "the refusal spills {overflow} px sideways");
    // The clinic's page sends them to sign in, and back after.
    b.go("/clinic").await;
    assert_eq!(b.path().await, "/sign-in?next=/clinic");
    b.type_in("#login", CLINICIAN_EMAIL).await;
    b.type_in("#password", GOOD).await;
    b.click("form.auth-form button[type=submit]").await;
    b.wait_text("h1", "Your code").await;
    b.type_in("#code", &totp_at(&w.clinician_secret, Timestamp::now()))
        .await;
    b.click("form.auth-form button[type=submit]").await;
    // A clinician starts from the dashboard.
    b.wait_text("h1", "Dashboard").await;
    assert_eq!(b.path().await, format!("/clinic/{}/dashboard", w.id));
    b.go(&format!("/clinic/{}", w.id)).await;
    b.wait_text("h1", CLINIC).await;
    let list = b.wait_text("table.patients", "Pat Able").await;
    assert!(list.contains("Under care"), "{list}");
    assert!(list.contains("Robin Waiting"), "{list}");
    assert!(list.contains("Invited"), "{list}");
    let (token, _) = b.session_cookie().await.expect("a session cookie");
    let who = principal(&w.c, &token).await;
    assert_eq!(who.account.id, w.clinician.account.id);
    assert!(who.session.as_ref().unwrap().second_factor);
    let overflow = b.shots("patients").await;
    assert!(
        overflow <= 0,
        "the patient list spills {overflow} px sideways"
    );
    clinician_pages(&w, &b).await;
    b.go("/account").await;
    b.wait_text("h1", "Account").await;
    let overflow = b.shots("account-staff").await;
    assert!(
        overflow <= 0,
        "the account page spills {overflow} px sideways"
    );
    b.close().await;
}

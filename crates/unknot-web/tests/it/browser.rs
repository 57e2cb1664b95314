//! End to end in a real Chromium (Debian's chromium and chromedriver), driven by WebDriver the
//! way a person uses the app: tapping the body map and dragging sliders in the journal, a whole
//! session with sped-up timers and one stopped early, the charts and the map measured on a
//! phone, the tab bar, an emergency assessment, keyboard-only navigation, axe-core on every page,
//! and screenshots of every page at 390 and 1280 px wide, light and dark, in
//! `target/browser-screenshots/` (look at them after a change to the look).
//!
//! These tests need `chromium` and `chromedriver` on the PATH (`scripts/test` installs them).
//! Without them they fail, never skip: set UNKNOT_SKIP_BROWSER=1 to leave them out on purpose.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::actions::{InputSource, PointerAction, TouchActions};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use unknot_core::body::{Muscle, Region, Side};
use unknot_core::intake::questions::NONE_OF_THESE;
use unknot_core::journal::{Entry, EntryId, Knot, RegionPain};
use unknot_core::score::Score;

use crate::support::{App, app_with, plain_answers};

struct Browser {
    client: Client,
    driver: Child,
    base: String,
    driver_port: u16,
    width: u32,
    height: u32,
    phone: bool,
    _app: App,
    _server: tokio::task::JoinHandle<()>,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Not a Chromium flag: asks `browser_with` to emulate a phone of the given size.
const PHONE: &str = "phone";

fn skip() -> bool {
    std::env::var_os("UNKNOT_SKIP_BROWSER").is_some()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn browser(width: u32, height: u32) -> Browser {
    browser_with(width, height, &[]).await
}

async fn phone(width: u32) -> Browser {
    browser_with(width, 844, &[PHONE]).await
}

async fn browser_with(width: u32, height: u32, extra: &[&str]) -> Browser {
    browser_at(width, height, extra, 400.0).await
}

/// A browser on a fresh app whose timers run `speed` times faster than real time.
async fn browser_at(width: u32, height: u32, extra: &[&str], speed: f64) -> Browser {
    let app = app_with(speed).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    let state = app.state.clone();
    let server = tokio::spawn(async move {
        let _ = unknot_web::serve(state, listener, std::future::pending()).await;
    });
    let port = free_port();
    let driver = Command::new(std::env::var("CHROMEDRIVER").unwrap_or("chromedriver".into()))
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver must be installed (apt-get install chromium chromium-driver)");
    let profile = tempfile::tempdir().unwrap().keep();
    let caps = json!({
        "goog:chromeOptions": {
            "binary": std::env::var("CHROMIUM").unwrap_or("/usr/bin/chromium".into()),
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync",
                     "--autoplay-policy=no-user-gesture-required",
                     format!("--user-data-dir={}", profile.display()),
                     format!("--window-size={width},{height}")]
        }
    });
    let mut caps: serde_json::Map<String, Value> = caps.as_object().unwrap().clone();
    if let Some(args) = caps
        .get_mut("goog:chromeOptions")
        .and_then(|o| o.get_mut("args"))
        .and_then(Value::as_array_mut)
    {
        args.extend(
            extra
                .iter()
                .filter(|a| **a != PHONE)
                .map(|a| Value::String((*a).to_string())),
        );
    }
    // A headless window will not shrink below about 500 px, so phones are emulated.
    if extra.contains(&PHONE)
        && let Some(o) = caps
            .get_mut("goog:chromeOptions")
            .and_then(Value::as_object_mut)
    {
        o.insert(
            "mobileEmulation".into(),
            json!({"deviceMetrics": {"width": width, "height": height, "pixelRatio": 1}}),
        );
    }
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
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
    let client = client.expect("chromedriver did not answer");
    Browser {
        client,
        driver,
        base: format!("http://localhost:{}", addr.port()),
        driver_port: port,
        width,
        height,
        phone: extra.contains(&PHONE),
        _app: app,
        _server: server,
    }
}

fn shots() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/browser-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

impl Browser {
    async fn go(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap();
    }

    async fn shot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        std::fs::write(shots().join(format!("{name}.png")), png).unwrap();
    }

    async fn click(&self, css: &str) {
        // Out of the way of the tab bar and sticky buttons, as a person would scroll.
        self.js(&format!(
            "var e = document.querySelector({css:?}); if (e) e.scrollIntoView({{block: 'center'}})"
        ))
        .await;
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .click()
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"));
    }

    async fn text(&self, css: &str) -> String {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .text()
            .await
            .unwrap()
    }

    async fn wait_text(&self, css: &str, needle: &str) -> String {
        for _ in 0..150 {
            if let Ok(el) = self.client.find(Locator::Css(css)).await
                && let Ok(t) = el.text().await
                && t.contains(needle)
            {
                return t;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        self.shot("failure").await;
        let source = self.client.source().await.unwrap_or_default();
        let url = self
            .client
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default();
        panic!(
            "{css} never said {needle:?} on {url}; the page is:\n{}",
            &source[..source.len().min(3000)]
        );
    }

    async fn js(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.unwrap()
    }

    /// A Chrome DevTools Protocol command, sent through chromedriver's own endpoint.
    async fn cdp(&self, cmd: &'static str, params: Value) -> Value {
        use http_body_util::BodyExt;
        let id = self.client.session_id().await.unwrap().unwrap();
        let http =
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .build(hyper_util::client::legacy::connect::HttpConnector::new());
        let body = json!({"cmd": cmd, "params": params}).to_string();
        let req = axum::http::Request::post(format!(
            "http://127.0.0.1:{}/session/{id}/goog/cdp/execute",
            self.driver_port
        ))
        .header("content-type", "application/json")
        .body(http_body_util::Full::new(axum::body::Bytes::from(body)))
        .unwrap();
        let res = http
            .request(req)
            .await
            .unwrap_or_else(|e| panic!("{cmd}: {e}"));
        let status = res.status();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        assert!(
            status.is_success(),
            "{cmd}: {}",
            String::from_utf8_lossy(&bytes)
        );
        serde_json::from_slice(&bytes).unwrap_or(Value::Null)
    }

    /// Light or dark, as the system would ask for it (`prefers-color-scheme`).
    async fn scheme(&self, dark: bool) {
        let value = if dark { "dark" } else { "light" };
        self.cdp(
            "Emulation.setEmulatedMedia",
            json!({"features": [{"name": "prefers-color-scheme", "value": value}]}),
        )
        .await;
    }

    /// A screenshot of the whole page: the viewport is made as tall as the page, then put back.
    async fn full_shot(&self, name: &str) {
        let tall = self
            .js("return Math.ceil(document.documentElement.scrollHeight)")
            .await
            .as_u64()
            .unwrap_or(u64::from(self.height))
            .clamp(u64::from(self.height), 12_000);
        let metrics = |h: u64| json!({"width": self.width, "height": h, "deviceScaleFactor": 1, "mobile": self.phone});
        self.cdp("Emulation.setDeviceMetricsOverride", metrics(tall))
            .await;
        tokio::time::sleep(Duration::from_millis(150)).await;
        self.shot(name).await;
        if self.phone {
            self.cdp(
                "Emulation.setDeviceMetricsOverride",
                metrics(u64::from(self.height)),
            )
            .await;
        } else {
            self.cdp("Emulation.clearDeviceMetricsOverride", json!({}))
                .await;
        }
    }

    /// Taps an element with a finger (a touch pointer), at its centre.
    async fn tap(&self, css: &str) {
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

    /// Drags a slider's thumb with a finger from where it is to `fraction` of its width.
    async fn drag(&self, css: &str, fraction: f64) {
        let el = self.find(css).await;
        self.js(&format!(
            "document.querySelector({css:?}).scrollIntoView({{block: 'center'}})"
        ))
        .await;
        let geometry = self
            .js(&format!(
                "var r = document.querySelector({css:?}); var b = r.getBoundingClientRect(); \
                 return [b.width, (r.value - r.min) / (r.max - r.min)]"
            ))
            .await;
        let width = geometry[0].as_f64().unwrap();
        let at = geometry[1].as_f64().unwrap();
        // The thumb's centre, relative to the slider's centre (the thumb is about 16 px wide).
        let usable = width - 16.0;
        let from = (at - 0.5) * usable;
        let to = (fraction - 0.5) * usable;
        let finger = TouchActions::new("finger".into())
            .then(PointerAction::MoveToElement {
                element: el,
                duration: None,
                x: from,
                y: 0.0,
            })
            .then(PointerAction::Down { button: 0 })
            .then(PointerAction::MoveBy {
                duration: Some(Duration::from_millis(250)),
                x: (to - from) / 2.0,
                y: 0.0,
            })
            .then(PointerAction::MoveBy {
                duration: Some(Duration::from_millis(250)),
                x: (to - from) / 2.0,
                y: 0.0,
            })
            .then(PointerAction::Up { button: 0 });
        self.client
            .perform_actions(finger)
            .await
            .unwrap_or_else(|e| panic!("drag {css}: {e}"));
    }

    async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
    }

    async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

/// `days` days of entries ending today (one or two a day): pain, the lower back, a knot.
async fn fill_journal(app: &App, days: i64) {
    let a = app.state.app();
    let now = a.now().await.unwrap();
    let mut entries = Vec::new();
    for d in 0..days {
        for slot in 0..(1 + d % 2) {
            let at = now
                .checked_sub(jiff::Span::new().days(d).hours(2 + slot * 5))
                .unwrap();
            let mut e = Entry::new(EntryId::new(a.new_id()).unwrap(), at);
            let pain = 2 + ((d * 7 + slot * 3) % 6) as u8;
            e.pain = Some(Score::new(i64::from(pain), "pain").unwrap());
            e.regions = vec![RegionPain {
                region: Region::LowerBack,
                pain: Score::new(i64::from(pain), "pain").unwrap(),
            }];
            let (muscle, side) = match d % 3 {
                0 => (Muscle::QuadratusLumborum, Side::Left),
                1 => (Muscle::UpperTrapezius, Side::Right),
                _ => (Muscle::Rhomboids, Side::Left),
            };
            e.knots = vec![Knot::parse(&format!("{}:{}:6", muscle.id(), side.id())).unwrap()];
            e.note = (d % 5 == 0).then(|| "Stiff after a long day at the desk".to_string());
            entries.push(e);
        }
    }
    a.log_many(&entries).await.unwrap();
    app.state.changed();
}

/// Sizes and overlaps of what can be tapped: every visible element matching `css`, as
/// [label, left, top, width, height].
const RECTS: &str = "return Array.from(document.querySelectorAll(arguments[0])).filter(function (e) {     var b = e.getBoundingClientRect(); return b.width > 0 && getComputedStyle(e).display !== 'none'     && !e.closest('[hidden]'); }).map(function (e) { var b = e.getBoundingClientRect();     return [e.getAttribute('data-label') || e.getAttribute('data-toggle') || e.textContent.trim(),     b.left, b.top, b.width, b.height]; })";

fn too_small_or_overlapping(rects: &Value) -> Vec<String> {
    let rects = rects.as_array().unwrap();
    let mut out = Vec::new();
    let n = |v: &Value, i: usize| v[i].as_f64().unwrap();
    for (i, a) in rects.iter().enumerate() {
        if n(a, 3) < 44.0 || n(a, 4) < 44.0 {
            out.push(format!("{} is {:.0} x {:.0} px", a[0], n(a, 3), n(a, 4)));
        }
        for b in &rects[i + 1..] {
            let w = (n(a, 1) + n(a, 3)).min(n(b, 1) + n(b, 3)) - n(a, 1).max(n(b, 1));
            let h = (n(a, 2) + n(a, 4)).min(n(b, 2) + n(b, 4)) - n(a, 2).max(n(b, 2));
            if w > 1.0 && h > 1.0 {
                out.push(format!("{} overlaps {}", a[0], b[0]));
            }
        }
    }
    out
}

async fn wait_js(b: &Browser, script: &str) {
    for _ in 0..100 {
        if b.js(script).await == json!(true) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    b.shot("failure").await;
    panic!("never true: {script}");
}

async fn value_of(b: &Browser, id: &str) -> u8 {
    b.js(&format!("return +document.getElementById({id:?}).value"))
        .await
        .as_u64()
        .unwrap() as u8
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_journal_stores_what_a_person_taps_and_drags_and_nothing_else() {
    if skip() {
        return;
    }
    let b = phone(390).await;
    b.go("/journal").await;
    let live = b
        .js(
            "return Array.from(document.querySelectorAll('.entry-form input[type=range]')) \
             .filter(function (r) { return r.getClientRects().length > 0; }).length",
        )
        .await;
    assert_eq!(
        live,
        json!(0),
        "no row has a live slider before it is recorded"
    );
    // Pain 6 on the scale.
    b.tap(".pain-now .scale-row label:nth-child(7) span").await;
    // The lower back on the map: recorded, and the map zooms in to its knot spots.
    b.tap("svg.picker[data-view='back'] rect[data-toggle='region-lower-back']")
        .await;
    b.wait_text("#map-caption", "Lower back: added").await;
    assert_eq!(
        b.js(
            "return [document.getElementById('region-lower-back').checked, \
              document.querySelector('svg.picker[data-view=back]').classList.contains('zoomed')]"
        )
        .await,
        json!([true, true])
    );
    b.tap("circle[data-toggle='knot-quadratus-lumborum-left']")
        .await;
    b.wait_text("#map-caption", "Quadratus lumborum, left: knot added")
        .await;
    b.shot("journal-map-zoomed-390").await;
    b.tap("#map-out").await;
    // Its pain slider appeared with the tick; drag it up.
    b.drag("#region_pain_lower-back", 0.85).await;
    let lower = value_of(&b, "region_pain_lower-back").await;
    assert!(lower >= 7, "the drag moved the slider to {lower}");
    // The neck from the list, then its slider dragged down.
    b.tap("#region-neck").await;
    b.drag("#region_pain_neck", 0.15).await;
    let neck = value_of(&b, "region_pain_neck").await;
    assert!(neck <= 3, "the drag moved the slider to {neck}");
    // A knot from the list: open the upper back, tick the right rhomboids, drag.
    b.tap("#knots-upper-back summary").await;
    b.tap("#knot-rhomboids-right").await;
    b.drag("#tender_rhomboids_right", 0.95).await;
    let tender = value_of(&b, "tender_rhomboids_right").await;
    assert!(tender >= 8, "the drag moved the slider to {tender}");
    b.wait_text("#entry-summary", "Will save: pain 6, 2 areas, 2 knots")
        .await;
    b.full_shot("journal-filled-390").await;
    b.tap("form.entry-form button[type=submit]").await;
    b.wait_text("p.notice", "Saved.").await;
    let stored = b
        ._app
        .state
        .app()
        .history(&Default::default(), None)
        .await
        .unwrap()
        .entries;
    assert_eq!(stored.len(), 1);
    let e = &stored[0];
    assert_eq!(e.pain.map(|p| p.get()), Some(6));
    let regions: Vec<(&str, u8)> = e
        .regions
        .iter()
        .map(|r| (r.region.id(), r.pain.get()))
        .collect();
    assert_eq!(regions, vec![("neck", neck), ("lower-back", lower)]);
    let knots: Vec<(&str, &str, u8)> = e
        .knots
        .iter()
        .map(|k| (k.muscle.id(), k.side.id(), k.tenderness.get()))
        .collect();
    assert_eq!(
        knots,
        vec![
            ("rhomboids", "right", tender),
            ("quadratus-lumborum", "left", 5)
        ]
    );
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_body_map_has_finger_sized_targets_named_on_tap_that_never_overlap() {
    if skip() {
        return;
    }
    let b = phone(390).await;
    b.go("/journal").await;
    let mut problems = Vec::new();
    for view in ["back", "front"] {
        b.tap(&format!(".map-views button[data-view='{view}']"))
            .await;
        let svg = format!("svg.picker[data-view='{view}']");
        let areas = b
            .client
            .execute(RECTS, vec![json!(format!("{svg} rect.region"))])
            .await
            .unwrap();
        assert!(areas.as_array().unwrap().len() >= 7, "{view}: {areas}");
        problems.extend(
            too_small_or_overlapping(&areas)
                .into_iter()
                .map(|p| format!("{view}, whole body: {p}")),
        );
        let zoomable = b
            .js(&format!(
                "var z = document.querySelectorAll(\"{svg} rect[data-zoom]\"); \
                 z.forEach(function (r, i) {{ r.setAttribute('data-test', 'z' + i); }}); return z.length"
            ))
            .await
            .as_u64()
            .unwrap();
        for i in 0..zoomable {
            let area = format!("{svg} rect[data-test='z{i}']");
            let label = b
                .js(&format!(
                    "return document.querySelector(\"{area}\").getAttribute('data-label')"
                ))
                .await;
            let label = label.as_str().unwrap().to_string();
            b.tap(&area).await;
            b.wait_text("#map-caption", &label).await;
            let spots = b
                .client
                .execute(RECTS, vec![json!(format!("{svg}.zoomed circle.knot.here"))])
                .await
                .unwrap();
            if spots.as_array().unwrap().is_empty() {
                problems.push(format!("{view}, {label}: no knot spots when zoomed in"));
            }
            problems.extend(
                too_small_or_overlapping(&spots)
                    .into_iter()
                    .map(|p| format!("{view}, {label}: {p}")),
            );
            let on = b
                .js(&format!(
                    "var a = document.querySelector(\"{area}\"); \
                     return a.classList.contains('on') || a.classList.contains('zoom-only')"
                ))
                .await;
            if on != json!(true) {
                problems.push(format!("{view}, {label}: not shown as picked"));
            }
            if i == 0 {
                b.shot(&format!("journal-map-{view}-zoomed-390")).await;
            }
            b.tap("#map-out").await;
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_runs_to_the_end_with_fast_timers_and_is_recorded() {
    if skip() {
        return;
    }
    let b = browser(1280, 900).await;
    let r = b
        ._app
        .json("POST", "/api/v1/assessments", plain_answers())
        .await;
    assert_eq!(r.status, 201);
    b.go("/session?exercise=cat-camel").await;
    wait_js(&b, "return !document.getElementById('start').disabled").await;
    b.click("#start").await;
    b.shot("session-running-1280").await;
    b.wait_text("#finish-title", "Well done").await;
    b.click("#save").await;
    b.wait_text("#saved", "the whole session, done").await;
    b.shot("session-done-1280").await;
    let sessions = b._app.state.app().store().sessions().await.unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].items[0].exercise, "cat-camel");
    assert_eq!(sessions[0].pain_before, None, "no pain was rated");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_session_is_a_focused_view_with_plain_buttons_and_an_honest_end() {
    if skip() {
        return;
    }
    let b = browser_at(390, 844, &[PHONE], 1.0).await;
    b._app
        .json("POST", "/api/v1/assessments", plain_answers())
        .await;
    b.go("/session?exercise=cat-camel").await;
    let before = b
        .js("return document.querySelector('.session-list').textContent")
        .await;
    assert!(
        before.as_str().unwrap().contains("Leave it out if")
            && before
                .as_str()
                .unwrap()
                .contains("Taking weight on your hands"),
        "the avoid-if list is there before starting: {before}"
    );
    wait_js(&b, "return !document.getElementById('start').disabled").await;
    b.tap(".scale-row input[name='pain-before'][value='4']")
        .await;
    b.tap("#start").await;
    let hidden = b
        .js(
            "return ['header.top', 'nav.nav', '.foot', '.before'].map(function (s) { \
             return getComputedStyle(document.querySelector(s)).display; })",
        )
        .await;
    assert_eq!(hidden, json!(["none", "none", "none", "none"]));
    let stage = b
        .js(
            "var r = document.getElementById('stage').getBoundingClientRect(); \
             return [r.left, r.top, r.width, r.height]",
        )
        .await;
    assert_eq!(stage, json!([0, 0, 390, 844]), "the stage fills the screen");
    let buttons = b
        .js(
            "return Array.from(document.querySelectorAll('#stage button')).map(function (b) { \
             return b.textContent.trim(); })",
        )
        .await;
    assert_eq!(buttons, json!(["Stop", "Back", "Pause", "Next", "Skip"]));
    let avoid = b
        .js("return document.getElementById('avoid-if').textContent")
        .await;
    assert!(avoid.as_str().unwrap().contains("Taking weight"), "{avoid}");
    b.shot("session-focused-390").await;
    b.tap("#quit").await;
    b.wait_text("#finish-title", "Stopped early").await;
    let said = b.text("#finish-summary").await;
    assert!(
        !said.contains("Well done") && said.contains("Nothing was done"),
        "{said}"
    );
    b.tap("#save").await;
    b.wait_text("#saved", "Saved").await;
    let saved = b.text("#saved").await;
    assert!(
        saved.contains("does not count as exercise"),
        "quitting at once is not called a session done: {saved}"
    );
    b.full_shot("session-stopped-early-390").await;
    let sessions = b._app.state.app().store().sessions().await.unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].pain_before.map(|p| p.get()), Some(4));
    assert_eq!(sessions[0].pain_after, None, "pain after was not rated");
    assert_eq!(
        unknot_core::today::Completion::of(&sessions[0].items),
        unknot_core::today::Completion::Nothing
    );
    b.close().await;
}

/// Text in charts and body maps drawn smaller than 12 px on screen.
const SMALL_TEXT: &str = "var all = Array.from(document.querySelectorAll('svg.chart text, svg.bodymap text')) \
    .filter(function (t) { return t.getClientRects().length > 0 && t.textContent.trim(); }); \
    return [all.length, all.map(function (t) { \
      return [t.textContent, parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a]; \
    }).filter(function (p) { return p[1] < 12; })]";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chart_and_map_labels_are_12px_or_more_on_a_360px_phone() {
    if skip() {
        return;
    }
    let b = phone(360).await;
    fill_journal(&b._app, 60).await;
    for _ in 0..2 {
        b._app
            .json("POST", "/api/v1/assessments", plain_answers())
            .await;
    }
    for page in ["/", "/history", "/checkin"] {
        b.go(page).await;
        let found = b.js(SMALL_TEXT).await;
        assert!(
            found[0].as_u64().unwrap() > 5,
            "{page}: labels are measured"
        );
        assert_eq!(found[1], json!([]), "{page}: labels under 12 px");
        b.full_shot(&format!("charts{}-360", page.replace('/', "-")))
            .await;
    }
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phones_get_a_tab_bar_and_entry_cards_and_desktops_one_row_of_links() {
    if skip() {
        return;
    }
    let b = phone(390).await;
    fill_journal(&b._app, 40).await;
    b.go("/history").await;
    let bar = b
        .js(
            "var n = document.querySelector('nav.nav'); var r = n.getBoundingClientRect(); \
             return [getComputedStyle(n).position, Math.round(r.bottom), \
             Math.round(document.querySelector('header.top').getBoundingClientRect().height)]",
        )
        .await;
    assert_eq!(bar[0], json!("fixed"));
    assert_eq!(bar[1], json!(844), "the tab bar sits at the bottom");
    assert!(bar[2].as_u64().unwrap() <= 64, "a slim header: {bar}");
    let tabs = b
        .client
        .execute(
            RECTS,
            vec![json!(
                "nav.nav > ul > li > a, nav.nav > ul > li > details > summary"
            )],
        )
        .await
        .unwrap();
    assert_eq!(tabs.as_array().unwrap().len(), 5, "{tabs}");
    assert!(too_small_or_overlapping(&tabs).is_empty(), "{tabs}");
    // Entries are cards, and their actions can be reached.
    let card = b
        .js(
            "var tr = document.querySelector('table.entries tbody tr'); \
             var a = tr.querySelector('td.actions a').getBoundingClientRect(); \
             return [getComputedStyle(tr).display, a.right <= 390, a.height >= 44]",
        )
        .await;
    assert_eq!(card, json!(["grid", true, true]));
    b.tap("details.menu summary").await;
    b.shot("nav-menu-open-390").await;
    b.tap("details.menu a[href='/checkin']").await;
    b.wait_text("h1", "Weekly check-in").await;
    b.close().await;

    let b = browser(1280, 900).await;
    b.go("/").await;
    let row = b
        .js(
            "var tops = Array.from(document.querySelectorAll('nav.nav > ul > li')) \
             .map(function (li) { return Math.round(li.getBoundingClientRect().top); }); \
             return [new Set(tops).size, tops.length, \
             Math.round(document.querySelector('header.top').getBoundingClientRect().height)]",
        )
        .await;
    assert_eq!(row[0], json!(1), "one row of links: {row}");
    assert_eq!(row[1], json!(8));
    assert!(row[2].as_u64().unwrap() < 80, "{row}");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_safety_check_shows_its_progress_and_has_finger_sized_choices() {
    if skip() {
        return;
    }
    let b = phone(390).await;
    b.go("/assess").await;
    let bar = b
        .js("var li = document.querySelectorAll('.progress li'); \
             return [li.length, document.querySelectorAll('.progress li.now').length, \
             document.querySelector('.progress .where').textContent]")
        .await;
    assert_eq!(bar[0], json!(5));
    assert_eq!(bar[1], json!(1));
    assert!(bar[2].as_str().unwrap().starts_with("Step 1 of 5"), "{bar}");
    let targets = "form.assess label.check, form.assess .scale-row span, form.assess button";
    for step in 1..=2 {
        let rects = b.client.execute(RECTS, vec![json!(targets)]).await.unwrap();
        let small: Vec<String> = too_small_or_overlapping(&rects)
            .into_iter()
            .filter(|p| p.contains(" px"))
            .collect();
        assert!(small.is_empty(), "step {step}: {small:#?}");
        if step == 1 {
            b.tap("input[name='warning_signs_none']").await;
            b.tap("form.assess button[value='next']").await;
            b.wait_text(".progress .where", "Step 2 of 5").await;
            let done = b
                .js("return document.querySelectorAll('.progress li.done').length")
                .await;
            assert_eq!(done, json!(1), "the first step shows as done");
        }
    }
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_heat_timer_starts_only_with_a_barrier_and_says_what_it_recorded() {
    if skip() {
        return;
    }
    let b = phone(390).await;
    b.go("/therapy").await;
    b.tap(".therapy-timer[data-kind='heat'] .start").await;
    b.wait_text(".therapy-timer[data-kind='heat'] .status", "cloth or towel")
        .await;
    assert_eq!(
        b._app.entry_count().await,
        0,
        "nothing starts without the barrier"
    );
    b.tap(".therapy-timer[data-kind='heat'] .barrier").await;
    b.tap(".therapy-timer[data-kind='heat'] .start").await;
    wait_js(
        &b,
        "return document.querySelector('.therapy-timer[data-kind=heat]').classList.contains('running')",
    )
    .await;
    b.shot("therapy-running-390").await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    b.tap(".therapy-timer[data-kind='heat'] .stop").await;
    let said = b
        .wait_text(".therapy-timer[data-kind='heat'] .status", "Stopped")
        .await;
    assert!(said.contains("Recorded in your journal"), "{said}");
    let stored = b
        ._app
        .state
        .app()
        .history(&Default::default(), None)
        .await
        .unwrap()
        .entries;
    assert_eq!(stored.len(), 1);
    assert!(stored[0].treatments.heat_minutes.is_some_and(|m| m >= 1));
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_journal_form_works_without_javascript() {
    if skip() {
        return;
    }
    let b = browser_with(1280, 900, &["--blink-settings=scriptEnabled=false"]).await;
    b.go("/journal").await;
    assert!(
        !b.find("#map-area").await.is_displayed().await.unwrap(),
        "the map needs a script, so it is not shown"
    );
    assert!(
        !b.find("#region_pain_neck")
            .await
            .is_displayed()
            .await
            .unwrap()
    );
    b.find(".pain-now input[name='pain'][value='4']")
        .await
        .click()
        .await
        .unwrap();
    b.find("#region-neck").await.click().await.unwrap();
    let slider = b.find("#region_pain_neck").await;
    assert!(
        slider.is_displayed().await.unwrap(),
        "ticking shows the slider"
    );
    slider.click().await.unwrap();
    slider.send_keys("\u{E014}\u{E014}").await.unwrap();
    b.shot("journal-no-script-1280").await;
    b.find("form.entry-form button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    for _ in 0..50 {
        if b._app.entry_count().await > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let stored = b
        ._app
        .state
        .app()
        .history(&Default::default(), None)
        .await
        .unwrap()
        .entries;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].pain.map(|p| p.get()), Some(4));
    assert_eq!(stored[0].regions.len(), 1);
    assert_eq!(stored[0].regions[0].region.id(), "neck");
    assert!(
        stored[0].regions[0].pain.get() >= 6,
        "the arrow keys moved it up from 5"
    );
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn today_on_an_empty_journal_leads_with_the_safety_check_and_draws_no_empty_chart() {
    if skip() {
        return;
    }
    for width in [390, 1280] {
        let b = if width < 500 {
            phone(width).await
        } else {
            browser(width, 900).await
        };
        b.go("/").await;
        let main = b
            .js("var m = document.querySelector('main'); return [ \
                 Array.from(m.querySelectorAll('.button.primary')).map(function (a) { return a.getAttribute('href'); }), \
                 m.querySelectorAll('svg.chart, .legend, svg.bodymap').length]")
            .await;
        assert_eq!(main, json!([["/assess"], 0]), "{width}px");
        b.full_shot(&format!("today-empty-{width}")).await;
        b.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_emergency_assessment_shows_the_emergency_advice() {
    if skip() {
        return;
    }
    let b = browser_with(390, 844, &[PHONE]).await;
    b.go("/assess").await;
    b.click("input[name='saddle_numbness']").await;
    b.click("input[name='bladder_bowel_change']").await;
    b.click("form.assess button[type=submit]").await;
    let advice = b.wait_text("section.result", "emergency").await;
    assert!(advice.to_lowercase().contains("emergency"), "{advice}");
    b.shot("assessment-emergency-phone").await;
    b.go("/").await;
    let banner = b.text("section.alert").await;
    assert!(banner.to_lowercase().contains("emergency"), "{banner}");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_main_pages_can_be_reached_by_keyboard_alone() {
    if skip() {
        return;
    }
    let b = browser(1280, 900).await;
    b.go("/").await;
    let tab = |keys: &'static str| async {
        b.client
            .active_element()
            .await
            .unwrap()
            .send_keys(keys)
            .await
            .unwrap();
        b.js("var a = document.activeElement; \
              return a ? (a.getAttribute('href') || a.id || a.tagName) : null")
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    // Tab from the top: the skip link comes first, then the menu.
    b.js("").await;
    let mut seen = Vec::new();
    for _ in 0..10 {
        seen.push(tab("\u{E004}").await);
    }
    assert_eq!(seen[0], "#main", "the skip link is first: {seen:?}");
    for page in [
        "/journal", "/history", "/session", "/plan", "/library", "/learn",
    ] {
        assert!(
            seen.iter().any(|s| s == page),
            "{page} is reachable by Tab: {seen:?}"
        );
    }
    assert_eq!(seen.last().map(String::as_str), Some("SUMMARY"), "{seen:?}");
    // Enter opens More; its links follow.
    b.client
        .active_element()
        .await
        .unwrap()
        .send_keys("\u{E007}")
        .await
        .unwrap();
    let mut more = Vec::new();
    for _ in 0..5 {
        more.push(tab("\u{E004}").await);
    }
    assert_eq!(
        more,
        ["/assess", "/checkin", "/therapy", "/report", "/settings"],
        "the menu's links in order"
    );
    // Escape closes it again, and Enter on a focused link follows it.
    tab("\u{E00C}").await;
    while b
        .js("return document.activeElement.getAttribute('href')")
        .await
        != json!("/library")
    {
        tab("\u{E008}\u{E004}").await;
    }
    tab("\u{E007}").await;
    b.wait_text("h1", "Exercise library").await;
    b.close().await;
}

/// A journal, a plan and a session to look at: what the pages are drawn with in the tests of
/// the whole look.
async fn lived_in(b: &Browser, days: i64) -> String {
    b._app
        .json("POST", "/api/v1/assessments", plain_answers())
        .await;
    fill_journal(&b._app, days).await;
    b._app.get("/plan").await;
    let done = json!({"items": [{"exercise": "cat-camel", "status": "done", "seconds": 120}],
        "pain_before": 5, "pain_after": 3});
    b._app.json("POST", "/api/v1/sessions", done).await;
    b._app
        .state
        .app()
        .history(&Default::default(), Some(1))
        .await
        .unwrap()
        .entries[0]
        .id
        .to_string()
}

/// Every page, with a name for its screenshot.
fn pages(entry: &str) -> Vec<(&'static str, String)> {
    [
        ("today", "/"),
        ("journal", "/journal"),
        ("history", "/history"),
        ("history-older", "/history?page=2"),
        ("session", "/session"),
        ("therapy", "/therapy"),
        ("assess", "/assess"),
        ("assess-result", "/assess/result"),
        ("checkin", "/checkin"),
        ("plan", "/plan"),
        ("library", "/library"),
        ("exercise", "/library/bird-dog"),
        ("learn", "/learn"),
        ("article", "/learn/heat-or-cold"),
        ("search", "/search?q=heat"),
        ("report", "/report"),
        ("settings", "/settings"),
        ("not-found", "/library/no-such-exercise"),
    ]
    .into_iter()
    .map(|(n, p)| (n, p.to_string()))
    .chain([("journal-edit", format!("/journal/{entry}/edit"))])
    .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_finds_no_serious_or_critical_violations_on_any_page() {
    if skip() {
        return;
    }
    let axe = include_str!("../fixtures/axe.min.js");
    let run = "var done = arguments[arguments.length - 1];\
         axe.run(document, {resultTypes: ['violations']}).then(function (r) {\
           done(r.violations.filter(function (v) { return v.impact === 'serious' || v.impact === 'critical'; })\
             .map(function (v) { return v.id + ': ' + v.nodes.map(function (n) { return n.target.join(' '); }).slice(0, 3).join(' | '); }));\
         });";
    for (width, dark) in [(1280, false), (390, true)] {
        let b = if width < 500 {
            phone(width).await
        } else {
            browser(width, 1000).await
        };
        let entry = lived_in(&b, 60).await;
        b.go("/").await;
        b.scheme(dark).await;
        let mut problems = Vec::new();
        let mut check = async |what: &str| {
            let wide = b.js("return document.documentElement.scrollWidth").await;
            if wide.as_u64().is_some_and(|w| w > u64::from(width)) {
                problems.push(format!("{what} ({width}px): the page is {wide}px wide"));
            }
            b.js(axe).await;
            let result = b.client.execute_async(run, vec![]).await.unwrap();
            for v in result.as_array().unwrap() {
                problems.push(format!(
                    "{what} (dark {dark}, {width}px): {}",
                    v.as_str().unwrap()
                ));
            }
        };
        for (_, page) in pages(&entry) {
            b.go(&page).await;
            check(&page).await;
        }
        // The states that only appear after a tap: the map zoomed in, the next step of the
        // safety check, the menu open.
        b.go("/journal").await;
        b.click("svg.picker[data-view='back'] rect[data-toggle='region-lower-back']")
            .await;
        check("/journal, map zoomed in").await;
        b.go("/assess").await;
        b.click("input[name='warning_signs_none']").await;
        b.click("form.assess button[value='next']").await;
        b.wait_text(".progress .where", "Step 2").await;
        check("/assess, step 2").await;
        b.click("details.menu summary").await;
        check("/assess, menu open").await;
        b.close().await;
        assert!(problems.is_empty(), "{problems:#?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn screenshots_of_every_page_at_390_and_1280_px_light_and_dark() {
    if skip() {
        return;
    }
    for width in [390, 1280] {
        let b = if width < 500 {
            phone(width).await
        } else {
            browser(width, 900).await
        };
        let entry = lived_in(&b, 120).await;
        b.go("/").await;
        for dark in [false, true] {
            b.scheme(dark).await;
            let theme = if dark { "dark" } else { "light" };
            for (name, page) in pages(&entry) {
                b.go(&page).await;
                b.full_shot(&format!("page-{name}-{width}-{theme}")).await;
            }
            b.go("/assess").await;
            b.click("input[name='warning_signs_none']").await;
            b.click("form.assess button[value='next']").await;
            b.wait_text(".progress .where", "Step 2").await;
            b.full_shot(&format!("page-assess-step2-{width}-{theme}"))
                .await;
            b.go("/session").await;
            wait_js(&b, "return !document.getElementById('start').disabled").await;
            b.click("#start").await;
            b.click("#pause").await;
            b.shot(&format!("page-session-playing-{width}-{theme}"))
                .await;
        }
        b.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn figures_animate_and_give_way_to_still_keyframes_for_reduced_motion() {
    if skip() {
        return;
    }
    let visible = "return [getComputedStyle(document.querySelector('.fig-motion')).display, \
                   getComputedStyle(document.querySelector('.fig-still')).display]";
    let b = browser(1000, 1200).await;
    b.go("/library/cat-camel").await;
    assert_eq!(b.js(visible).await, json!(["block", "none"]));
    // The animation really runs: the head moves between two moments.
    let head = "var c = document.querySelector('.fig-motion svg circle.fig-body'); \
                return c.cx.animVal.value + ',' + c.cy.animVal.value";
    let first = b.js(head).await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let later = b.js(head).await;
    assert_ne!(first, later, "the figure moves");
    b.shot("figure-animated").await;
    b.close().await;
    let b = browser_with(1000, 1200, &["--force-prefers-reduced-motion"]).await;
    b.go("/library/cat-camel").await;
    assert_eq!(b.js(visible).await, json!(["none", "block"]));
    b.shot("figure-reduced-motion").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_checkin_form_is_sent_with_an_id_made_on_the_page() {
    if skip() {
        return;
    }
    let b = browser(1280, 900).await;
    b._app
        .json("POST", "/api/v1/assessments", plain_answers())
        .await;
    b.go("/checkin").await;
    let id = b
        .js("return document.querySelector('form[action=\"/checkin\"] input[name=\"client_id\"]').value")
        .await;
    let id = id.as_str().unwrap().to_string();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    assert_eq!(id.matches('-').count(), 4, "a UUID: {id}");
    // Sent as a person would: the warning signs answered, then the form posted.
    b.js(&format!(
        "document.querySelector('input[name=\"{NONE_OF_THESE}\"]').checked = true; \
         document.querySelector('form[action=\"/checkin\"]').submit(); return true"
    ))
    .await;
    b.wait_text("h1", "Your result").await;
    let stored = b._app.state.app().assessments().await.unwrap();
    assert!(
        stored.iter().any(|a| a.id == id),
        "the check-in is stored under the page's id {id}"
    );
    b.close().await;
}

//! End to end in a real Chromium (Debian's chromium and chromedriver), driven by WebDriver:
//! the body map, a whole session with sped-up timers, the chart, an emergency assessment,
//! keyboard-only navigation, and axe-core on every page. Screenshots go to
//! `target/browser-screenshots/`.
//!
//! These tests need `chromium` and `chromedriver` on the PATH (`.ci/run` installs them). Without
//! them they fail, never skip: set UNKNOT_SKIP_BROWSER=1 to leave them out on purpose.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::support::{App, app_with, plain_answers};

struct Browser {
    client: Client,
    driver: Child,
    base: String,
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

async fn browser_with(width: u32, height: u32, extra: &[&str]) -> Browser {
    let app = app_with(400.0).await;
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

    async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_journal_entry_added_by_clicking_the_body_map_shows_on_the_chart() {
    if skip() {
        return;
    }
    let b = browser(1200, 1600).await;
    b.go("/journal").await;
    b.click("rect[data-toggle='region-lower-back']").await;
    b.click("circle[data-toggle='knot-rhomboids-left']").await;
    let checked = b
        .js("return [document.getElementById('region-lower-back').checked, document.getElementById('knot-rhomboids-left').checked]")
        .await;
    assert_eq!(checked, json!([true, true]), "the map ticks the boxes");
    b.js("document.getElementById('pain').value = 7; document.getElementById('pain_rated').checked = true;")
        .await;
    b.shot("journal-body-map").await;
    b.click("form.entry-form button[type=submit]").await;
    b.wait_text("p.notice", "Saved.").await;
    let table = b.text("table.entries").await;
    assert!(
        table.contains("Lower back") && table.contains("Rhomboids"),
        "{table}"
    );
    b.go("/").await;
    let chart = b
        .js("return document.querySelector('svg.chart polyline, svg.chart circle') !== null")
        .await;
    assert_eq!(chart, json!(true), "today's entry is on the chart");
    b.shot("today").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_runs_to_the_end_with_fast_timers_and_is_recorded() {
    if skip() {
        return;
    }
    let b = browser(1000, 1200).await;
    let r = b
        ._app
        .json("POST", "/api/v1/assessments", plain_answers())
        .await;
    assert_eq!(r.status, 201);
    b.go("/session?exercise=cat-camel").await;
    for _ in 0..50 {
        if b.js("return document.getElementById('start') !== null")
            .await
            == json!(true)
        {
            break;
        }
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    b.click("#start").await;
    b.shot("session-running").await;
    b.wait_text("#finish h2", "Well done").await;
    b.click("#save").await;
    b.wait_text("#saved", "Saved").await;
    b.shot("session-done").await;
    let sessions = b._app.state.app().store().sessions().await.unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].items[0].exercise, "cat-camel");
    b.close().await;
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
    let b = browser(1200, 900).await;
    b.go("/").await;
    // Tab from the top: the skip link comes first, then the menu.
    let mut seen = Vec::new();
    for _ in 0..12 {
        b.js("").await;
        b.client
            .active_element()
            .await
            .unwrap()
            .send_keys("\u{E004}")
            .await
            .unwrap();
        let focused = b
            .js("var a = document.activeElement; return a ? (a.getAttribute('href') || a.id || a.tagName) : null")
            .await;
        seen.push(focused.as_str().unwrap_or_default().to_string());
    }
    assert_eq!(seen[0], "#main", "the skip link is first: {seen:?}");
    for page in [
        "/journal",
        "/history",
        "/session",
        "/plan",
        "/library",
        "/learn",
        "/settings",
    ] {
        assert!(
            seen.iter().any(|s| s == page),
            "{page} is reachable by Tab: {seen:?}"
        );
    }
    // Enter on a focused menu link follows it.
    while b
        .js("return document.activeElement.getAttribute('href')")
        .await
        != json!("/library")
    {
        b.client
            .active_element()
            .await
            .unwrap()
            .send_keys("\u{E008}\u{E004}")
            .await
            .unwrap();
    }
    b.client
        .active_element()
        .await
        .unwrap()
        .send_keys("\u{E007}")
        .await
        .unwrap();
    b.wait_text("h1", "Exercise library").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_finds_no_serious_or_critical_violations_on_any_page() {
    if skip() {
        return;
    }
    let axe = include_str!("../fixtures/axe.min.js");
    for (width, theme) in [(1200, "light"), (360, "dark")] {
        let b = if width < 500 {
            browser_with(width, 800, &[PHONE]).await
        } else {
            browser(width, 1000).await
        };
        b._app
            .json("POST", "/api/v1/assessments", plain_answers())
            .await;
        b._app
            .json(
                "POST",
                "/api/v1/entries",
                json!({"pain": 5, "note": "for the charts"}),
            )
            .await;
        b._app
            .json("PUT", "/api/v1/settings", json!({"theme": theme}))
            .await;
        let mut problems = Vec::new();
        for page in [
            "/",
            "/journal",
            "/history",
            "/session",
            "/therapy",
            "/assess",
            "/assess/result",
            "/checkin",
            "/plan",
            "/library",
            "/library/bird-dog",
            "/learn",
            "/learn/heat-or-cold",
            "/search?q=heat",
            "/report",
            "/settings",
        ] {
            b.go(page).await;
            let wide = b.js("return document.documentElement.scrollWidth").await;
            if wide.as_u64().is_some_and(|w| w > u64::from(width)) {
                problems.push(format!("{page} ({width}px): the page is {wide}px wide"));
            }
            b.js(axe).await;
            let result = b
                .client
                .execute_async(
                    "var done = arguments[arguments.length - 1];\
                     axe.run(document, {resultTypes: ['violations']}).then(function (r) {\
                       done(r.violations.filter(function (v) { return v.impact === 'serious' || v.impact === 'critical'; })\
                         .map(function (v) { return v.id + ': ' + v.nodes.map(function (n) { return n.target.join(' '); }).slice(0, 3).join(' | '); }));\
                     });",
                    vec![],
                )
                .await
                .unwrap();
            for v in result.as_array().unwrap() {
                problems.push(format!(
                    "{page} ({theme}, {width}px): {}",
                    v.as_str().unwrap()
                ));
            }
        }
        b.shot(&format!("settings-{theme}-{width}")).await;
        b.close().await;
        assert!(problems.is_empty(), "{problems:#?}");
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

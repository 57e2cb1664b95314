//! One scenario through the terminal and through the JSON API, on two fresh journals: an
//! assessment, the plan, a week of entries and guided sessions, heat, and a check-in. Both
//! edges call the same application layer, so they must end with the same plan, the same Today,
//! byte-identical CSV, FHIR and calendar exports, and the same visit summary.
//!
//! Time is fixed and stepped (`--now` for the terminal, a fixed clock for the API's app), so ids
//! and times repeat exactly on both sides.

use axum::body::Body;
use axum::http::{Request, header};
use http_body_util::BodyExt;
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};
use tower::ServiceExt;
use unknot_app::{App, Clock};
use unknot_store::Store;

use crate::support::Sandbox;

/// The API side: the web app's router over an app whose clock the test moves.
pub(crate) struct Api {
    rt: tokio::runtime::Runtime,
    router: axum::Router,
    clock: Clock,
}

impl Api {
    pub(crate) fn new(url: &str, start: Timestamp) -> Api {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let clock = Clock::fixed(start);
        let router = rt.block_on(async {
            let store = Store::open_with(url, 4).await.unwrap();
            let app = App::new(
                store,
                vec![unknot_core::catalogue::builtin()],
                clock.clone(),
            );
            let state = unknot_web::AppState::new(
                app,
                unknot_web::Options {
                    speed: 1.0,
                    allowed_hosts: Vec::new(),
                    database_file: None,
                },
            )
            .await
            .unwrap();
            unknot_web::router(state)
        });
        Api { rt, router, clock }
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Vec<u8>) {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, "127.0.0.1:7878");
        if body.is_some() {
            req = req.header(header::CONTENT_TYPE, "application/json");
        }
        let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
        let router = self.router.clone();
        self.rt.block_on(async move {
            let res = router.oneshot(req.body(body).unwrap()).await.unwrap();
            let status = res.status().as_u16();
            let bytes = res.into_body().collect().await.unwrap().to_bytes();
            (status, bytes.to_vec())
        })
    }

    fn ok(&self, method: &str, path: &str, body: Option<Value>) -> Vec<u8> {
        let (status, bytes) = self.call(method, path, body);
        assert!(
            (200..300).contains(&status),
            "{method} {path}: {status} {}",
            String::from_utf8_lossy(&bytes)
        );
        bytes
    }

    pub(crate) fn json(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        serde_json::from_slice(&self.ok(method, path, body)).unwrap()
    }
}

/// The terminal side: the real binary, told the time with `--now`.
struct Terminal<'a> {
    s: &'a Sandbox,
    now: Timestamp,
}

impl Terminal<'_> {
    fn ok(&self, args: &[&str]) -> String {
        let now = self.now.to_string();
        let mut all = vec!["--now", now.as_str()];
        all.extend_from_slice(args);
        self.s.ok(&all)
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }
}

fn intake() -> Value {
    json!({
        "age": 41, "regions": ["lower_back"], "onset_days": 20, "minutes_per_day": 10,
        "equipment": ["mat"], "pain_now": 6, "peg_pain": 6, "peg_enjoyment": 5,
        "peg_activity": 6, "psfs": [{"activity": "gardening", "score": 4}]
    })
}

fn checkin() -> Value {
    json!({
        "pain_now": 4, "peg_pain": 4, "peg_enjoyment": 3, "peg_activity": 4,
        "psfs": [{"activity": "gardening", "score": 6}]
    })
}

/// One day's journal entry, as flags and as the API's JSON.
fn entry(day: i64) -> (Vec<String>, Value) {
    let pain = 6 - day / 2;
    let mut flags = vec![
        "--pain".to_string(),
        pain.to_string(),
        "--region".to_string(),
        format!("lower-back={pain}"),
        "--note".to_string(),
        format!("day {day}: stiff in the morning"),
    ];
    let mut body = json!({
        "pain": pain,
        "regions": [{"region": "lower-back", "pain": pain}],
        "note": format!("day {day}: stiff in the morning"),
    });
    if day % 2 == 0 {
        flags.extend(["--knot".to_string(), "upper-trapezius:right:6".to_string()]);
        body["knots"] = json!([{"muscle": "upper-trapezius", "side": "right", "tenderness": 6}]);
    }
    (flags, body)
}

/// Runs the scenario on both sides, comparing as it goes and at the end.
fn scenario(cli: &Sandbox, api_url: &str) {
    let start: Timestamp = "2026-03-02T07:00:00Z".parse().unwrap();
    let at = |minutes: i64| start + SignedDuration::from_mins(minutes);
    let api = Api::new(api_url, start);
    let mut term = Terminal { s: cli, now: start };
    let answers = cli.dir.path().join("intake.json");
    std::fs::write(&answers, intake().to_string()).unwrap();
    let checkin_file = cli.dir.path().join("checkin.json");
    std::fs::write(&checkin_file, checkin().to_string()).unwrap();
    // The terminal runs in Europe/Paris (TZ); the API's journal chooses the same zone.
    api.ok(
        "PUT",
        "/api/v1/settings",
        Some(json!({"time_zone": "Europe/Paris"})),
    );

    let step = |term: &mut Terminal, minutes: i64| {
        term.now = at(minutes);
        api.clock.set(at(minutes));
    };
    step(&mut term, 0);
    let a = term.json(&["assess", "--answers", &answers.to_string_lossy(), "--json"]);
    let b = api.json("POST", "/api/v1/assessments", Some(intake()));
    assert_eq!(a, b, "assessment");
    step(&mut term, 1);
    assert_eq!(
        term.json(&["plan", "--json"]),
        api.json("GET", "/api/v1/plan", None),
        "plan"
    );
    for day in 0..7 {
        let morning = day * 24 * 60 + 60;
        step(&mut term, morning);
        let (flags, body) = entry(day);
        let mut args = vec!["log", "--json"];
        args.extend(flags.iter().map(String::as_str));
        assert_eq!(
            term.json(&args),
            api.json("POST", "/api/v1/entries", Some(body)),
            "entry of day {day}"
        );
        step(&mut term, morning + 10 * 60);
        term.ok(&[
            "session",
            "--plain",
            "--quiet",
            "--speed",
            "10000",
            "--pain-before",
            "5",
            "--pain-after",
            "4",
        ]);
        // The player's outcomes, exactly as the terminal recorded them, posted by the API's
        // player.
        let backup = term.json(&["export", "--format", "json"]);
        let session = backup["sessions"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()
            .clone();
        api.ok(
            "POST",
            "/api/v1/sessions",
            Some(json!({
                "items": session["items"], "pain_before": 5, "pain_after": 4
            })),
        );
        if day == 3 {
            step(&mut term, morning + 11 * 60);
            term.ok(&[
                "therapy",
                "heat",
                "--minutes",
                "1",
                "--region",
                "lower-back",
                "--barrier",
                "--quiet",
                "--speed",
                "1000",
            ]);
            api.ok(
                "POST",
                "/api/v1/therapy",
                Some(
                    json!({"kind": "heat", "minutes": 1, "barrier": true, "region": "lower-back"}),
                ),
            );
        }
    }
    step(&mut term, 7 * 24 * 60 + 120);
    assert_eq!(
        term.json(&[
            "checkin",
            "--answers",
            &checkin_file.to_string_lossy(),
            "--json"
        ]),
        api.json("POST", "/api/v1/checkins", Some(checkin())),
        "check-in"
    );
    step(&mut term, 7 * 24 * 60 + 180);
    compare_results(&term, &api);
}

fn compare_results(term: &Terminal, api: &Api) {
    assert_eq!(
        term.json(&["today", "--json"]),
        api.json("GET", "/api/v1/today", None),
        "Today"
    );
    assert_eq!(
        term.json(&["plan", "--json"]),
        api.json("GET", "/api/v1/plan", None),
        "plan after the check-in"
    );
    for kind in ["entries", "knots", "sessions", "scores"] {
        let cli = term.ok(&["export", "--format", "csv", "--kind", kind]);
        let web = api.ok("GET", &format!("/api/v1/export/csv?kind={kind}"), None);
        assert_eq!(cli.as_bytes(), web.as_slice(), "{kind} CSV");
    }
    let cli = term.ok(&["export", "--format", "fhir"]);
    let web = api.ok("GET", "/api/v1/export/fhir.json", None);
    assert_eq!(cli.as_bytes(), web.as_slice(), "FHIR");
    let cli = term.ok(&["export", "--format", "ics", "--at", "18:00"]);
    let web = api.ok("GET", "/api/v1/export/calendar.ics", None);
    assert_eq!(cli.as_bytes(), web.as_slice(), "calendar");
    let summary = term.s.dir.path().join("summary.html");
    term.ok(&[
        "report",
        "--since",
        "2026-03-01",
        "--until",
        "2026-03-09",
        "--out",
        &summary.to_string_lossy(),
    ]);
    let cli = String::from_utf8(std::fs::read(&summary).unwrap()).unwrap();
    let web = api.ok(
        "GET",
        "/report/view?since=2026-03-01&until=2026-03-09",
        None,
    );
    let web = String::from_utf8(web).unwrap();
    // The served page adds a Back link and a Print button; the summary itself is the same.
    let nav_start = web.find("<nav class=\"bar noprint\">").unwrap();
    let nav_end = web.find("</script>").unwrap() + "</script>".len();
    let web = format!("{}{}", &web[..nav_start], &web[nav_end..]);
    assert_eq!(cli, web, "visit summary");
    // The exports hold what happened: seven entries, sessions, heat, both assessments.
    let backup = term.json(&["export", "--format", "json"]);
    assert_eq!(backup["sessions"].as_array().map(Vec::len), Some(7));
    assert_eq!(backup["assessments"].as_array().map(Vec::len), Some(2));
    assert_eq!(backup["entries"].as_array().map(Vec::len), Some(7 + 7 + 1));
}

#[test]
fn the_terminal_and_the_api_give_the_same_results_on_sqlite() {
    let cli = Sandbox::sqlite();
    let api_dir = tempfile::tempdir().unwrap();
    let url = unknot_store::sqlite_url_for(&api_dir.path().join("api.db"));
    scenario(&cli, &url);
}

#[test]
fn the_terminal_and_the_api_give_the_same_results_on_postgres() {
    let (Some(cli), Some(api)) = (Sandbox::postgres(), Sandbox::postgres()) else {
        assert!(
            std::env::var("UNKNOT_TEST_POSTGRES_URL").is_err(),
            "UNKNOT_TEST_POSTGRES_URL is set but no database could be made"
        );
        return;
    };
    let url = api.url.clone().unwrap();
    scenario(&cli, &url);
}

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
use unknot_core::catalogue::{ContentFile, Layer};
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
        Api::with_layers(url, start, vec![unknot_core::catalogue::builtin()])
    }

    /// The API over an app with these library layers (as `unknot serve --content-dir` makes).
    fn with_layers(url: &str, start: Timestamp, layers: Vec<Layer>) -> Api {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let clock = Clock::fixed(start);
        let router = rt.block_on(async {
            let store = Store::open_with(url, 4).await.unwrap();
            let app = App::new(store, layers, clock.clone());
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

    /// Runs with `--now`, whatever the exit code.
    fn run(&self, args: &[&str]) -> std::process::Output {
        let now = self.now.to_string();
        let mut all = vec!["--now", now.as_str()];
        all.extend_from_slice(args);
        self.s.run(&all)
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

/// A content folder with one exercise of the clinic's own (a copy of bird dog under a new id),
/// as files on disk for the terminal and as the same layer for the API's app.
fn clinic_content(cli: &Sandbox) -> (String, Layer) {
    let toml = cli
        .ok(&["library", "show", "bird-dog", "--toml"])
        .replace("id = \"bird-dog\"", "id = \"clinic-bird-dog\"")
        .replace("name = \"Bird dog\"", "name = \"Clinic bird dog\"");
    let dir = cli.dir.path().join("clinic-content");
    std::fs::create_dir_all(dir.join("exercises")).unwrap();
    std::fs::write(dir.join("exercises/clinic-bird-dog.toml"), &toml).unwrap();
    let layer = Layer {
        origin: dir.display().to_string(),
        files: vec![ContentFile::new("exercises/clinic-bird-dog.toml", toml)],
        may_override: true,
        user_content: false,
    };
    (dir.display().to_string(), layer)
}

/// A backup from another computer: an entry on 27 February, and on 1 March an entry and a
/// session of the clinic's own exercise.
const BACKUP: &str = r#"{"format": "unknot-backup", "version": 1, "entries": [
    {"id": "imp-1", "at": "2026-02-27T09:00:00+01:00[Europe/Paris]", "pain": 5},
    {"id": "imp-2", "at": "2026-03-01T09:00:00+01:00[Europe/Paris]", "pain": 4,
     "knots": [{"muscle": "rhomboids", "side": "left", "tenderness": 6}]}],
  "sessions": [{"id": "s-imp-1", "at": "2026-03-01T10:00:00+01:00[Europe/Paris]",
    "items": [{"exercise": "clinic-bird-dog", "status": "done", "seconds": 60}]}]}"#;

/// A backup import honours the content folder on both edges: refused without it (naming the
/// exercise), imported with it, with the same summary.
fn import_with_content_dir(term: &Terminal, api: &Api, plain: &Api, content: &str) {
    let file = term.s.dir.path().join("other-computer.json");
    std::fs::write(&file, BACKUP).unwrap();
    let file = file.to_string_lossy().to_string();
    let out = term.run(&["import", &file]);
    assert_eq!(out.status.code(), Some(2));
    assert!(crate::support::stderr(&out).contains("clinic-bird-dog"));
    let body: Value = serde_json::from_str(BACKUP).unwrap();
    let (status, refusal) = plain.call("POST", "/api/v1/import", Some(body.clone()));
    assert_eq!(status, 422, "{}", String::from_utf8_lossy(&refusal));
    assert!(String::from_utf8_lossy(&refusal).contains("clinic-bird-dog"));
    let cli = term.json(&["--content-dir", content, "import", &file, "--json"]);
    let web = api.json("POST", "/api/v1/import", Some(body));
    assert_eq!(cli, web, "import summary");
    assert_eq!(cli["added"], 2);
    assert_eq!(cli["records"], 1);
}

/// Heat, cold and contrast on both edges: the same phases, the same cold-gap warning, and the
/// same journal entries with the same notes.
fn therapies(term: &mut Terminal, api: &Api, at: &dyn Fn(i64) -> Timestamp) {
    let therapy = |term: &Terminal, kind: &str, minutes: Option<&str>| {
        let mut args = vec!["therapy", kind, "--barrier", "--quiet", "--speed", "10000"];
        if let Some(m) = minutes {
            args.extend(["--minutes", m, "--region", "lower-back"]);
        }
        let out = term.run(&args);
        assert!(out.status.success(), "{}", crate::support::stderr(&out));
        (
            String::from_utf8_lossy(&out.stdout).to_string(),
            crate::support::stderr(&out),
        )
    };
    let plan = |path: &str| api.json("GET", path, None);
    let mut notes = Vec::new();
    for (minutes, kind, query) in [
        (0, "cold", "kind=cold&minutes=1"),
        (30, "cold", "kind=cold&minutes=1"),
        (60, "contrast", "kind=contrast"),
        (100, "heat", "kind=heat&minutes=2"),
    ] {
        term.now = at(minutes);
        api.clock.set(at(minutes));
        let prepared = plan(&format!("/api/v1/therapy/plan?{query}"));
        let given = query.split("minutes=").nth(1);
        let (shown, warned) = therapy(term, kind, given);
        // The terminal shows the API's warnings, word for word, and times its phases.
        let says: Vec<String> = prepared["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| format!("Warning: {}", w["says"].as_str().unwrap()))
            .collect();
        assert_eq!(warned.lines().map(String::from).collect::<Vec<_>>(), says);
        let phases = prepared["phases"].as_array().unwrap();
        let (mut heat, mut cold) = (0, 0);
        for (i, p) in phases.iter().enumerate() {
            let (k, m) = (p[0].as_str().unwrap(), p[1].as_u64().unwrap());
            let line = format!("{k}: {m} min ({} of {})", i + 1, phases.len());
            assert!(shown.contains(&line), "{line} not in {shown}");
            *(if k == "cold" { &mut cold } else { &mut heat }) += m * 60;
        }
        let mut body = json!({"kind": kind, "barrier": true});
        match given {
            Some(m) => {
                body["minutes"] = json!(m.parse::<u16>().unwrap());
                body["region"] = json!("lower-back");
            }
            None => {
                body["heat_seconds"] = json!(heat);
                body["cold_seconds"] = json!(cold);
            }
        }
        let web = api.json("POST", "/api/v1/therapy", Some(body));
        notes.push((says, web["note"].clone(), web["treatments"].clone()));
    }
    // The second cold pack, half an hour after the first, is warned about on both edges.
    assert_eq!(notes[0].0, Vec::<String>::new());
    assert!(
        notes[1].0[0].contains("ended 30 minutes ago"),
        "{:?}",
        notes[1]
    );
    assert!(
        notes[1].0[0].contains("at least 120 minutes"),
        "{:?}",
        notes[1]
    );
    assert_eq!(notes[0].1, "Cold pack on the lower back");
    assert_eq!(notes[2].1, "Contrast (heat then cold)");
    assert_eq!(notes[2].2, json!({"heat_minutes": 12, "cold_minutes": 4}));
    assert_eq!(notes[3].2, json!({"heat_minutes": 2}));
}

/// The drift fixes, on two fresh journals: a backup import with a content folder, heat, cold
/// and contrast, and CSV exports of a period.
fn drift_scenario(cli: &Sandbox, api_url: &str) {
    let start: Timestamp = "2026-03-02T07:00:00Z".parse().unwrap();
    let at = move |minutes: i64| start + SignedDuration::from_mins(minutes);
    let (content, layer) = clinic_content(cli);
    let api = Api::with_layers(
        api_url,
        start,
        vec![unknot_core::catalogue::builtin(), layer],
    );
    let plain = Api::new(api_url, start);
    api.ok(
        "PUT",
        "/api/v1/settings",
        Some(json!({"time_zone": "Europe/Paris"})),
    );
    let mut term = Terminal { s: cli, now: start };
    import_with_content_dir(&term, &api, &plain, &content);
    therapies(&mut term, &api, &at);
    term.now = at(180);
    api.clock.set(at(180));
    let cli_backup = term.json(&["export", "--format", "json"]);
    let web_backup = api.json("GET", "/api/v1/export/backup.json", None);
    assert_eq!(cli_backup["entries"], web_backup["entries"], "journals");
    assert_eq!(cli_backup["sessions"], web_backup["sessions"], "sessions");
    // CSV of a period: the same bytes, and the rows of that period only.
    for (since, until, rows) in [
        ("2026-03-02", None, [4, 0, 0]),
        ("2026-03-01", Some("2026-03-01"), [1, 1, 1]),
        ("2026-02-01", Some("2026-02-28"), [1, 0, 0]),
    ] {
        for (kind, want) in ["entries", "knots", "sessions"].iter().zip(rows) {
            let mut args = vec![
                "export", "--format", "csv", "--kind", kind, "--since", since,
            ];
            let mut query = format!("/api/v1/export/csv?kind={kind}&since={since}");
            if let Some(u) = until {
                args.extend(["--until", u]);
                query.push_str(&format!("&until={u}"));
            }
            let cli = term.ok(&args);
            let web = api.ok("GET", &query, None);
            assert_eq!(cli.as_bytes(), web.as_slice(), "{kind} CSV from {since}");
            assert_eq!(cli.lines().count(), 1 + want, "{kind} from {since}: {cli}");
        }
    }
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

#[test]
fn the_drift_fixes_hold_on_both_edges_on_sqlite() {
    let cli = Sandbox::sqlite();
    let api_dir = tempfile::tempdir().unwrap();
    let url = unknot_store::sqlite_url_for(&api_dir.path().join("api.db"));
    drift_scenario(&cli, &url);
}

#[test]
fn the_drift_fixes_hold_on_both_edges_on_postgres() {
    let (Some(cli), Some(api)) = (Sandbox::postgres(), Sandbox::postgres()) else {
        assert!(
            std::env::var("UNKNOT_TEST_POSTGRES_URL").is_err(),
            "UNKNOT_TEST_POSTGRES_URL is set but no database could be made"
        );
        return;
    };
    let url = api.url.clone().unwrap();
    drift_scenario(&cli, &url);
}

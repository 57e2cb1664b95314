//! A whole guided session through the real binary, sped up, in plain mode.

use crate::support::{Sandbox, stderr};

#[test]
fn a_plain_session_runs_to_the_end_and_lands_in_the_journal() {
    let s = Sandbox::sqlite();
    let answers = s.dir.path().join("me.json");
    std::fs::write(
        &answers,
        r#"{"regions": ["lower_back"], "minutes_per_day": 5, "equipment": ["mat"]}"#,
    )
    .expect("write");
    s.ok(&["assess", "--answers", &answers.to_string_lossy()]);
    let plan = s.json(&["plan", "--json"]);
    let planned = plan["plan"]["routine"].as_array().expect("routine").len();
    assert!(planned > 0);
    let out = s.ok(&[
        "session",
        "--plain",
        "--quiet",
        "--speed",
        "2000",
        "--pain-before",
        "4",
        "--pain-after",
        "3",
    ]);
    let all = if planned == 1 {
        "all 1 exercise done".to_string()
    } else {
        format!("all {planned} exercises done")
    };
    assert!(out.contains(&all), "{out}");
    assert!(out.contains("get ready"), "{out}");
    let entries = s.json(&["history", "--json"]);
    assert_eq!(entries[0]["pain"], 3);
    assert!(
        entries[0]["note"]
            .as_str()
            .unwrap_or_default()
            .contains("Guided session")
    );
    // The review sees the session.
    let review = s.json(&["plan", "review", "--json"]);
    assert_eq!(review["sessions"], 1);
}

#[test]
fn one_exercise_without_a_plan_and_bad_ids() {
    let s = Sandbox::sqlite();
    let out = s.ok(&[
        "session",
        "--exercise",
        "chin-tuck",
        "--plain",
        "--quiet",
        "--speed",
        "5000",
        "--no-record",
    ]);
    assert!(
        out.contains("Chin tuck") && out.contains("Not recorded"),
        "{out}"
    );
    let bad = s.run(&["session", "--exercise", "chin-tuk", "--plain"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("did you mean chin-tuck?"),
        "{}",
        stderr(&bad)
    );
    let none = s.run(&["session", "--plain"]);
    assert_eq!(none.status.code(), Some(2));
    assert!(stderr(&none).contains("unknot assess"));
}

#[test]
fn the_plain_session_shows_when_to_leave_an_exercise_out_and_when_to_stop() {
    let s = Sandbox::sqlite();
    let out = s.ok(&[
        "session",
        "--exercise",
        "chin-tuck",
        "--plain",
        "--quiet",
        "--speed",
        "5000",
        "--no-record",
    ]);
    let avoid = out.find("Leave it out if:").expect("avoid if shown");
    let stop = out.find("Stop if:").expect("stop if shown");
    let first_step = out.find("get ready").expect("the first step");
    assert!(avoid < stop && stop < first_step, "before it starts: {out}");
    assert!(
        out.contains("Moving your neck gives you dizziness"),
        "{out}"
    );
    assert!(out.contains("Dizziness, blurred vision"), "{out}");
}

/// On each engine: a session whose feedback reports "numbness in both legs" makes Today give
/// emergency advice, and the plan is withheld.
#[test]
fn a_warning_sign_reported_after_a_session_reaches_today_on_each_engine() {
    for s in Sandbox::all() {
        let answers = s.dir.path().join("me.json");
        std::fs::write(
            &answers,
            r#"{"regions": ["lower_back"], "minutes_per_day": 5, "equipment": ["mat"]}"#,
        )
        .expect("write");
        s.ok(&["assess", "--answers", &answers.to_string_lossy()]);
        let before = s.json(&["today", "--json"]);
        assert_ne!(before["urgency"], "emergency", "{}: {before}", s.label);
        let bad = s.run(&[
            "session",
            "--exercise",
            "chin-tuck",
            "--plain",
            "--quiet",
            "--speed",
            "5000",
            "--sign",
            "both_leg",
        ]);
        assert_eq!(bad.status.code(), Some(2), "{}", s.label);
        assert!(stderr(&bad).contains("both_legs"), "{}", stderr(&bad));
        let out = s.ok(&[
            "session",
            "--exercise",
            "chin-tuck",
            "--plain",
            "--quiet",
            "--speed",
            "5000",
            "--sign",
            "both_legs",
        ]);
        assert!(out.contains("EMERGENCY"), "{}: {out}", s.label);
        let today = s.json(&["today", "--json"]);
        assert_eq!(today["urgency"], "emergency", "{}: {today}", s.label);
        assert_eq!(today["plan_allowed"], false, "{}", s.label);
        assert!(
            today["advice"]
                .as_str()
                .unwrap_or_default()
                .contains("emergency"),
            "{}: {today}",
            s.label
        );
        let plan = s.ok(&["plan"]);
        assert!(
            plan.contains("EMERGENCY"),
            "{}: the plan is withheld: {plan}",
            s.label
        );
        let sessions = s.json(&["export", "--format", "json"]);
        assert_eq!(
            sessions["sessions"][0]["warning_signs"],
            serde_json::json!(["both_legs"]),
            "{}",
            s.label
        );
    }
}

/// The same through the JSON API, on each engine: `POST /api/v1/sessions` with a warning sign
/// answers with the safety check, and Today gives emergency advice.
#[test]
fn a_warning_sign_posted_with_a_session_reaches_today_through_the_api_on_each_engine() {
    let start: jiff::Timestamp = "2026-03-02T08:00:00Z".parse().expect("time");
    for s in Sandbox::all() {
        let url = s
            .url
            .clone()
            .unwrap_or_else(|| unknot_store::sqlite_url_for(&s.dir.path().join("api.db")));
        let api = crate::parity::Api::new(&url, start);
        api.json(
            "POST",
            "/api/v1/assessments",
            Some(serde_json::json!({"regions": ["lower_back"], "minutes_per_day": 5, "equipment": ["mat"]})),
        );
        let session = |signs: serde_json::Value| {
            serde_json::json!({
                "items": [{"exercise": "chin-tuck", "status": "done", "seconds": 60}],
                "warning_signs": signs,
            })
        };
        let quiet = api.json(
            "POST",
            "/api/v1/sessions",
            Some(session(serde_json::json!([]))),
        );
        assert!(quiet.get("safety").is_none(), "{}: {quiet}", s.label);
        let today = api.json("GET", "/api/v1/today", None);
        assert_ne!(today["urgency"], "emergency", "{}: {today}", s.label);
        let recorded = api.json(
            "POST",
            "/api/v1/sessions",
            Some(session(serde_json::json!(["both_legs"]))),
        );
        assert_eq!(
            recorded["safety"]["urgency"], "emergency",
            "{}: {recorded}",
            s.label
        );
        let today = api.json("GET", "/api/v1/today", None);
        assert_eq!(today["urgency"], "emergency", "{}: {today}", s.label);
        assert_eq!(today["plan_allowed"], false, "{}", s.label);
    }
}

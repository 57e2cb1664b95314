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

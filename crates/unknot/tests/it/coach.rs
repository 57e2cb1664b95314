//! The coach from the command line: assess, plan, today, checkin and plan review.

use crate::support::{Sandbox, stderr};

fn answers(s: &Sandbox, name: &str, json: &str) -> String {
    let path = s.dir.path().join(name);
    std::fs::write(&path, json).expect("write");
    path.to_string_lossy().to_string()
}

const DESK_WORKER: &str = r#"{"age": 38, "regions": ["upper_back", "lower_back"], "pain_now": 5, "onset_days": 20,
  "causes": ["prolonged_sitting"], "knots": ["rhomboids"], "equipment": ["mat", "massage-ball", "wall"],
  "sitting_hours": 9, "minutes_per_day": 15, "peg_pain": 5, "peg_enjoyment": 4, "peg_activity": 6,
  "psfs": [{"activity": "gardening", "score": 4}, {"activity": "carrying shopping", "score": 5}, {"activity": "sleeping", "score": 6}],
  "habits": {"screen_at_eye_level": false}}"#;

#[test]
fn assess_then_plan_then_today() {
    for s in Sandbox::all() {
        let f = answers(&s, "me.json", DESK_WORKER);
        let result = s.json(&["assess", "--answers", &f, "--json"]);
        assert_eq!(result["urgency"], "self_care", "{}", s.label);
        assert!(result["reasons"].as_array().expect("reasons").is_empty());
        assert_eq!(result["scores"]["peg"], 5.0);
        assert_eq!(result["scores"]["psfs"], 5.0);
        assert!(
            result["habits"]
                .as_array()
                .expect("habits")
                .iter()
                .any(|h| h["code"] == "raise_screen")
        );

        let plan = s.json(&["plan", "--json"]);
        assert_eq!(plan["plan"]["version"], 1);
        let routine = plan["plan"]["routine"].as_array().expect("routine");
        assert!(!routine.is_empty());
        assert!(
            routine
                .iter()
                .all(|i| i["why"].as_str().unwrap_or_default().contains(':'))
        );
        assert!(plan["plan"]["total_seconds"].as_u64().unwrap_or(u64::MAX) <= 15 * 60);
        // Asking again shows the same version rather than making a new one.
        assert_eq!(s.json(&["plan", "--json"])["plan"]["version"], 1);
        let text = s.ok(&["plan"]);
        assert!(
            text.contains("Daily routine")
                && text.contains("Breaks")
                && text.contains("not a diagnosis"),
            "{text}"
        );

        let today = s.json(&["today", "--json"]);
        assert_eq!(today["routine_due"], true);
        assert_eq!(today["urgency"], "self_care");
        assert!(!today["routine"].as_array().expect("routine").is_empty());
    }
}

#[test]
fn an_emergency_gets_advice_and_no_plan() {
    let s = Sandbox::sqlite();
    let f = answers(
        &s,
        "red.json",
        r#"{"regions": ["lower_back"], "saddle_numbness": true, "bladder_bowel_change": true}"#,
    );
    let result = s.json(&["assess", "--answers", &f, "--json"]);
    assert_eq!(result["urgency"], "emergency");
    let codes: Vec<&str> = result["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .filter_map(|r| r["code"].as_str())
        .collect();
    assert!(codes.contains(&"saddle_numbness") && codes.contains(&"bladder_bowel_change"));
    assert!(
        result["advice"]
            .as_str()
            .unwrap_or_default()
            .contains("emergency")
    );
    let text = s.ok(&["assess", "--answers", &f, "--no-save"]);
    assert!(text.contains("EMERGENCY"), "{text}");
    let plan = s.json(&["plan", "--json"]);
    assert!(plan["plan"].is_null());
    assert_eq!(plan["urgency"], "emergency");
    let today = s.ok(&["today"]);
    assert!(today.contains("EMERGENCY"), "{today}");
}

#[test]
fn bad_answer_files_exit_2_naming_the_field() {
    let s = Sandbox::sqlite();
    for (json, needle) in [
        (r#"{"pain_today": 3}"#, "pain_today"),
        (r#"{"pain_now": 12}"#, "12"),
        (r#"{"radiation": "foot"}"#, "foot"),
        (r#"{"regions": ["lower-back"]}"#, "lower-back"),
        (r#"{"minutes_per_day": 200}"#, "minutes_per_day"),
        ("not json", "line 1"),
    ] {
        let f = answers(&s, "bad.json", json);
        let out = s.run(&["assess", "--answers", &f]);
        assert_eq!(out.status.code(), Some(2), "{json}: {}", stderr(&out));
        assert!(stderr(&out).contains(needle), "{json}: {}", stderr(&out));
    }
    let out = s.run(&["plan"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknot assess"));
}

#[test]
fn checkin_scores_changes_and_reviews_the_plan() {
    let s = Sandbox::sqlite();
    let f = answers(&s, "me.json", DESK_WORKER);
    s.ok(&["assess", "--answers", &f]);
    s.ok(&["plan"]);
    let week = answers(
        &s,
        "week.json",
        r#"{"pain_now": 2, "peg_pain": 3, "peg_enjoyment": 3, "peg_activity": 3,
            "psfs": [{"activity": "gardening", "score": 7}, {"activity": "carrying shopping", "score": 7}, {"activity": "sleeping", "score": 8}],
            "saddle_numbness": false, "fever": false}"#,
    );
    let c = s.json(&["checkin", "--answers", &week, "--json"]);
    assert_eq!(c["urgency"], "self_care");
    let changes = c["changes_since_start"].as_array().expect("changes");
    assert!(
        changes.iter().all(|ch| ch["direction"] == "better"),
        "{changes:?}"
    );
    assert_eq!(changes.len(), 3);
    assert!(c["review"]["days"].is_number(), "a plan review ran: {c}");

    // A warning sign at check-in re-runs triage and withdraws the plan.
    let red = answers(
        &s,
        "red.json",
        r#"{"pain_now": 6, "leg_weakness": "worsening"}"#,
    );
    let c = s.json(&["checkin", "--answers", &red, "--json"]);
    assert_eq!(c["urgency"], "emergency");
    let plan = s.json(&["plan", "--json"]);
    assert!(plan["plan"].is_null(), "{plan}");
}

#[test]
fn a_journal_warning_sign_changes_the_plan_at_review() {
    let s = Sandbox::sqlite();
    let f = answers(&s, "me.json", DESK_WORKER);
    s.ok(&["assess", "--answers", &f]);
    s.ok(&["plan"]);
    s.ok(&["log", "--pain", "5", "--kind", "tingling"]);
    let r = s.json(&["plan", "review", "--json"]);
    assert!(
        r["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .any(|c| c["kind"] == "retriage"),
        "{r}"
    );
    assert_eq!(r["saved_version"], 2);
    let history = s.json(&["plan", "history", "--json"]);
    assert_eq!(history.as_array().map(Vec::len), Some(2));
    assert!(s.ok(&["plan", "history"]).contains("Version 2"));
}

#[test]
fn the_backup_carries_assessments_and_plans() {
    let s = Sandbox::sqlite();
    let f = answers(&s, "me.json", DESK_WORKER);
    s.ok(&["assess", "--answers", &f]);
    s.ok(&["plan"]);
    s.ok(&["log", "--pain", "4"]);
    let file = s.dir.path().join("all.json").to_string_lossy().to_string();
    s.ok(&["export", "--out", &file]);
    let fresh = Sandbox::sqlite();
    let summary = fresh.json(&["import", &file, "--json"]);
    assert_eq!(summary["records"], 2, "{summary}");
    assert_eq!(fresh.json(&["plan", "--json"])["plan"]["version"], 1);
    assert_eq!(
        fresh.ok(&["export"]),
        std::fs::read_to_string(&file).expect("read")
    );
    assert_eq!(
        fresh.json(&["import", &file, "--json"])["records"],
        0,
        "importing twice adds nothing"
    );
}

//! Terminal polish, as a person sees it: tables that never break an id at the terminal's width,
//! refusals in plain words that name the value and its range, plural words that agree with
//! their counts, names rather than ids in the plan, and banners that start with a capital.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::support::{Sandbox, stderr};

const ANSWERS: &str = r#"{"age": 40, "regions": ["lower_back"], "onset_days": 10,
  "minutes_per_day": 10, "equipment": ["mat"], "pain_now": 4}"#;

fn answers(s: &Sandbox, json: &str) -> String {
    let path = s.dir.path().join("answers.json");
    std::fs::write(&path, json).unwrap();
    path.to_string_lossy().to_string()
}

/// Runs `unknot ARGS` on a pseudo-terminal `cols` wide (through util-linux `script`), as a
/// person at a terminal of that width would, and returns what the terminal showed.
fn on_terminal(s: &Sandbox, cols: u16, args: &str) -> String {
    let bin = env!("CARGO_BIN_EXE_unknot");
    let line = format!("stty cols {cols} rows 50; exec '{bin}' {args}");
    let mut script = std::process::Command::new("script");
    script.env_clear();
    for (k, v) in s.cmd().get_envs() {
        if let Some(v) = v {
            script.env(k, v);
        }
    }
    let out = script
        .args(["-q", "-e", "-c", &line, "/dev/null"])
        .output()
        .expect("script (util-linux) runs");
    assert!(out.status.success(), "{}", stderr(&out));
    String::from_utf8_lossy(&out.stdout).replace('\r', "")
}

/// At 120 columns the library table wraps names and doses, never an id: every line that starts
/// a row starts with a whole id, and no line is wider than the terminal.
#[test]
fn library_at_120_columns_never_breaks_an_id() {
    let s = Sandbox::sqlite();
    let ids: BTreeSet<String> = s
        .json(&["library", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    let shown = on_terminal(&s, 120, "library");
    let lines: Vec<&str> = shown.lines().collect();
    assert!(lines.len() > ids.len(), "some rows wrap at 120: {shown}");
    for line in &lines {
        assert!(line.chars().count() <= 120, "wider than 120: {line:?}");
    }
    assert_eq!(
        *lines.last().unwrap(),
        format!("{} exercises. Details: unknot library show ID", ids.len())
    );
    // The first word of every line with something in the id column, below the header.
    let rows: BTreeSet<String> = lines
        .iter()
        .skip(2)
        .filter(|l| l.starts_with(' ') && !l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .map(ToString::to_string)
        .collect();
    assert_eq!(rows, ids, "the id column holds whole ids and nothing else");
}

/// Refusals name the value and what is allowed, in plain words, with exit 2.
#[test]
fn refusals_name_the_value_and_the_range_in_plain_words() {
    let s = Sandbox::sqlite();
    let refused = |args: &[&str]| {
        let out = s.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        stderr(&out)
    };
    let err = refused(&["log", "--pain", "-1"]);
    assert!(
        err.contains("'-1'") && err.contains("from 0 to 10"),
        "names -1 and the range: {err}"
    );
    assert!(!err.contains("unexpected argument"), "{err}");

    for at in ["2099-01-01", "2099-01-01 10:00", "2099-01-01T09:00:00Z"] {
        let err = refused(&["log", "--pain", "3", "--at", at]);
        assert!(
            err.contains("'2099-01-01 1") && err.contains("in the future"),
            "{at}: {err}"
        );
        // No internal time format: no RFC 3339 'T', offset or bracketed zone.
        for internal in ["T09:", "T10:", "+01:00", "[Europe/Paris]", "Timestamp"] {
            assert!(!err.contains(internal), "{at}: {internal} in {err}");
        }
        assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    }

    // The plan's minutes a day come from the check, which states 5 to 60: 90 is refused
    // (not silently cut to 60), and nothing is stored.
    let f = answers(
        &s,
        &ANSWERS.replace("\"minutes_per_day\": 10", "\"minutes_per_day\": 90"),
    );
    let err = refused(&["assess", "--answers", &f]);
    assert!(err.contains("'90'") && err.contains("5 to 60"), "{err}");
    let f = answers(
        &s,
        &ANSWERS.replace("\"minutes_per_day\": 10", "\"minutes_per_day\": 4"),
    );
    let err = refused(&["assess", "--answers", &f]);
    assert!(err.contains("'4'") && err.contains("5 to 60"), "{err}");
    let plan = s.run(&["plan"]);
    assert_ne!(
        plan.status.code(),
        Some(0),
        "no plan was made from refused answers"
    );
    let backup = s.json(&["export", "--format", "json"]);
    assert!(
        backup
            .get("assessments")
            .is_none_or(|a| a == &Value::Array(vec![])),
        "{backup}"
    );
}

/// Counts of one take the singular, everywhere a count prints.
#[test]
fn counts_of_one_are_singular() {
    let s = Sandbox::sqlite();
    s.ok(&["log", "--pain", "3", "--at", "yesterday 09:00"]);
    let trends = s.ok(&["trends"]);
    assert!(
        trends.starts_with("Trends over 1 entry (1 with a pain rating)"),
        "{trends}"
    );
    assert!(trends.contains(": 0 of 1 day with ratings"), "{trends}");
    let history = s.ok(&["history"]);
    assert!(history.contains("All 1 entry in the journal."), "{history}");
    let library = s.ok(&["library", "--kind", "breathing"]);
    assert!(
        library.contains("\n1 exercise. Details: unknot library show ID"),
        "{library}"
    );
    for text in [&trends, &history, &library] {
        for wrong in [" 1 entries", " 1 days", " 1 exercises", " 1 years"] {
            assert!(!text.contains(wrong), "{wrong}: {text}");
        }
    }
}

/// The plan's breaks list names exercises as a person reads them, never by id; the check's
/// banner starts with a capital letter.
#[test]
fn the_plan_names_its_breaks_and_the_banner_is_capitalised() {
    let s = Sandbox::sqlite();
    let f = answers(&s, ANSWERS);
    let result = s.ok(&["assess", "--answers", &f]);
    assert!(result.starts_with("Result: Self-care\n"), "{result}");
    let plan = s.json(&["plan", "--json"]);
    let library = s.json(&["library", "--json"]);
    let text = s.ok(&["plan"]);
    let breaks = text
        .split("\nBreaks\n")
        .nth(1)
        .and_then(|rest| rest.split("\n\n").next())
        .unwrap_or_else(|| panic!("no Breaks section: {text}"))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let ids = plan["plan"]["breaks"]["micro_breaks"].as_array().unwrap();
    assert!(!ids.is_empty(), "{plan}");
    for id in ids {
        let id = id.as_str().unwrap();
        let name = library
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == id)
            .unwrap()["name"]
            .as_str()
            .unwrap()
            .to_lowercase();
        assert!(breaks.contains(&name), "{name} not in: {breaks}");
        assert!(!breaks.contains(id), "raw id {id} in: {breaks}");
    }
}

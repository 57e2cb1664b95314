//! Every user error exits 2, as scripts expect ("you asked for something wrong"), with one
//! short line on stderr naming the value, and leaves the journal as it was; only real failures
//! exit 1. One table of bad command lines, gathered from what a careless user and an attacker
//! typed, so a new command that maps its input errors wrongly is caught here.

use std::path::Path;

use crate::support::{Sandbox, stderr};

/// Files the table's command lines name, written into the sandbox.
fn fixtures(dir: &Path) {
    let write = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).unwrap();
    std::fs::create_dir_all(dir.join("a-folder")).unwrap();
    write("not-ours.json", br#"{"x": 1}"#);
    write("binary.json", &[0xff, 0xfe, 0x00, 0x81]);
    write("array.json", b"[null, null]");
    write(
        "long-goal.json",
        format!(r#"{{"goals": ["{}"]}}"#, "g".repeat(100_000)).as_bytes(),
    );
    write(
        "open-quote.csv",
        b"id,time,time_zone,pain,regions,knots,pain_kinds,sitting_hours,stress,sleep_quality,\
activities,stretching,strengthening,heat_minutes,cold_minutes,massage,foam_rolling,medications,\
visits,note\nq-1,2026-03-01T09:00:00+01:00,Europe/Paris,4,,,,,,,,,,,,,,,,\"never closed\n",
    );
}

/// (arguments, what stderr must name). `{dir}` is the sandbox's folder.
const TABLE: &[(&[&str], &str)] = &[
    (&["log", "--pain", "11"], "11"),
    (&["log", "--pain", "3", "--at", "23:59"], "yesterday 23:59"),
    (&["log", "--pain", "3", "--at", "2099-01-01"], "future"),
    (&["log", "--note", "a\u{1b}[2Jb"], "U+001B"),
    (&["log", "--note", "a\u{7}b"], "U+0007"),
    (&["log", "--pain", "3", "--medication", ""], "medications"),
    (&["log", "--pain", "3", "--heat", "500"], "500"),
    (&["log", "--knot", "rhomboids:left:5:neck,neck"], "neck"),
    (&["import", "/dev/zero"], "larger than"),
    (&["import", "{dir}/a-folder"], "folder"),
    (&["import", "{dir}/not-ours.json"], "format"),
    (&["import", "{dir}/binary.json"], "UTF-8"),
    (&["import", "{dir}/open-quote.csv"], "line"),
    (&["import", "{dir}/nothing-here.json"], "nothing-here.json"),
    (&["assess", "--answers", "/dev/zero"], "larger than"),
    (&["assess", "--answers", "{dir}/a-folder"], "folder"),
    (&["assess", "--answers", "{dir}/array.json"], "JSON object"),
    (
        &["assess", "--answers", "{dir}/long-goal.json"],
        "200 characters",
    ),
    (
        &["assess", "habits", "--answers", "/dev/zero"],
        "larger than",
    ),
    (&["library", "add", "--file", "/dev/zero"], "larger than"),
    (&["library", "show", "bird-dogg"], "bird-dog"),
    (
        &["serve", "--bind", "0.0.0.0"],
        "refusing to listen on 0.0.0.0",
    ),
    (&["serve", "--allow-host", "evil host"], "not a host name"),
    (&["export", "--format", "pdf"], "pdf"),
    (&["history", "--since", "2026-13-01"], "2026-13-01"),
    (&["edit", "zzzzzzzz", "--pain", "3"], "zzzzzzzz"),
    (&["delete", "zzzzzzzz", "--yes"], "zzzzzzzz"),
    (&["therapy", "heat", "--minutes", "999"], "999"),
    (
        &["--content-dir", "/no/such/folder", "history"],
        "/no/such/folder",
    ),
    (&["completions", "tcsh"], "tcsh"),
];

#[test]
fn every_bad_command_line_exits_2_naming_the_value_and_changes_nothing() {
    let s = Sandbox::sqlite();
    s.ok(&["log", "--pain", "5", "--note", "keep me"]);
    fixtures(s.dir.path());
    let dir = s.dir.path().to_string_lossy().to_string();
    let mut wrong = Vec::new();
    for (args, must_name) in TABLE {
        let args: Vec<String> = args.iter().map(|a| a.replace("{dir}", &dir)).collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let before = s.content();
        // 01:35 in Paris, so `--at 23:59` is a time still to come today.
        let out = s
            .cmd()
            .env("UNKNOT_NOW", "2026-03-01T00:35:00Z")
            .args(&args)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        let err = stderr(&out);
        if out.status.code() != Some(2) || !err.contains(must_name) || err.len() > 2_000 {
            wrong.push(format!("{args:?}: exit {:?}: {err}", out.status.code()));
        }
        if s.content() != before {
            wrong.push(format!("{args:?} changed the journal"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_huge_value_makes_a_short_message() {
    let s = Sandbox::sqlite();
    let huge = "z".repeat(100_000);
    for args in [
        vec!["edit", huge.as_str(), "--pain", "3"],
        vec!["log", "--region", huge.as_str()],
        vec!["log", "--knot", huge.as_str()],
        vec!["history", "--since", huge.as_str()],
    ] {
        let out = s.run(&args);
        assert_eq!(out.status.code(), Some(2), "{}", &args[0]);
        assert!(
            out.stderr.len() < 1_000,
            "{}: {} bytes on stderr",
            args[0],
            out.stderr.len()
        );
    }
}

#[test]
fn a_database_that_cannot_be_reached_is_named_quickly_and_is_not_a_usage_error() {
    let s = Sandbox::sqlite();
    let started = std::time::Instant::now();
    let out = s
        .cmd()
        .args([
            "--database-url",
            "postgres://nobody@127.0.0.1:1/nothing",
            "history",
        ])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("127.0.0.1:1") && err.contains("refused"),
        "{err}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(8));
}

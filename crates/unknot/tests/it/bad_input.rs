//! Bad input exits 2, names the value, and leaves the database exactly as it was.

use crate::support::{Sandbox, stderr};

/// Runs a command that must be refused: exit 2, the bad value named, the journal unchanged.
fn refused(s: &Sandbox, args: &[&str], must_name: &str) {
    let before = s.content();
    let out = s.run(args);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(must_name),
        "{args:?}: stderr should name {must_name:?}: {err}"
    );
    assert!(s.content() == before, "{args:?} changed the journal");
}

/// As [`refused`], for input rejected before the database is opened: not one byte of the
/// data folder changes.
fn refused_untouched(s: &Sandbox, args: &[&str], must_name: &str) {
    refused(s, args, must_name);
    let before = s.file_digest();
    let out = s.run(args);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(s.file_digest(), before, "{args:?} wrote to the data folder");
}

#[test]
fn bad_values_are_named_and_nothing_is_written() {
    let s = Sandbox::sqlite();
    s.ok(&["log", "--pain", "5", "--note", "baseline"]);
    refused_untouched(&s, &["log", "--pain", "11"], "11");
    refused(&s, &["log", "--pain", "-1"], "-1");
    refused_untouched(
        &s,
        &["log", "--knot", "rhomboid:left:7"],
        "did you mean rhomboids?",
    );
    refused(&s, &["log", "--region", "lowerback=4"], "lowerback");
    refused(&s, &["log", "--region", "neck=eleven"], "eleven");
    refused(&s, &["log", "--knot", "rhomboids:centre:5"], "centre");
    refused(
        &s,
        &["log", "--pain", "3", "--at", "31/02/2026"],
        "31/02/2026",
    );
    refused(
        &s,
        &["log", "--pain", "3", "--at", "2026-02-30"],
        "2026-02-30",
    );
    refused_untouched(&s, &["log", "--pain", "3", "--at", "2099-01-01"], "future");
    refused(
        &s,
        &["history", "--since", "last blursday"],
        "last blursday",
    );
    refused(&s, &["log", "--pain", "3", "--sitting", "30"], "30");
    refused(
        &s,
        &["log", "--pain", "3", "--activity", "joging"],
        "expected one of: desk-work",
    );
    refused(
        &s,
        &["log", "--pain", "3", "--activity", "runing"],
        "did you mean running?",
    );
    refused(
        &s,
        &["log", "--region", "neck=3", "--region", "neck=4"],
        "neck",
    );
    refused(&s, &["edit", "zzzzzzzz", "--pain", "3"], "zzzzzzzz");
    refused(&s, &["log"], "nothing to log");
}

#[test]
fn malformed_import_files_are_refused_whole() {
    let s = Sandbox::sqlite();
    s.ok(&["log", "--pain", "5", "--note", "keep me"]);
    let dir = s.dir.path();
    let write = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).expect("write");
        p.to_string_lossy().to_string()
    };
    let not_json = write("a.json", "{ this is not json");
    refused(&s, &["import", &not_json], "line 1");
    let wrong = write(
        "b.json",
        r#"{"format": "something-else", "version": 1, "entries": []}"#,
    );
    refused(&s, &["import", &wrong], "something-else");
    let future = write(
        "c.json",
        r#"{"format": "unknot-backup", "version": 7, "entries": []}"#,
    );
    refused(&s, &["import", &future], "version 7");
    // One good entry and one bad: neither lands.
    let mixed = write(
        "d.json",
        r#"{"format": "unknot-backup", "version": 1, "entries": [
            {"id": "good-1", "at": "2026-03-01T09:00:00+01:00[Europe/Paris]", "pain": 4},
            {"id": "bad-2", "at": "2026-03-02T09:00:00+01:00[Europe/Paris]", "pain": 12}
        ]}"#,
    );
    refused_untouched(&s, &["import", &mixed], "entry 2 (id bad-2)");
    refused(&s, &["import", &mixed], "got 12");
    let unknown_field = write(
        "e.json",
        r#"{"format": "unknot-backup", "version": 1, "entries": [
            {"id": "x-1", "at": "2026-03-01T09:00:00+01:00[Europe/Paris]", "pain": 4, "mood": "grumpy"}
        ]}"#,
    );
    refused(&s, &["import", &unknown_field], "mood");
    refused(&s, &["import", "/no/such/file.json"], "/no/such/file.json");
    let history = s.json(&["history", "--json"]);
    assert_eq!(history.as_array().map(Vec::len), Some(1));
}

/// A backup with one good entry and `extra` (a bad record of another kind) after it.
fn backup_with(extra: &str) -> String {
    format!(
        r#"{{"format": "unknot-backup", "version": 1, "entries": [
            {{"id": "keep-1", "at": "2026-03-01T09:00:00+01:00[Europe/Paris]", "pain": 4}}
        ]{extra}}}"#
    )
}

fn assessment(answers: &str) -> String {
    format!(
        r#", "assessments": [{{"id": "a-1", "kind": "intake",
            "at": "2026-03-01T09:00:00+01:00[Europe/Paris]", "answers": {answers}}}]"#
    )
}

fn session(items: &str) -> String {
    format!(
        r#", "sessions": [{{"id": "s-1", "at": "2026-03-01T10:00:00+01:00[Europe/Paris]",
            "items": {items}}}]"#
    )
}

/// An import is held to the rules of every other way in: what the app refuses when typed, it
/// refuses in a file, on both engines (PostgreSQL refuses NUL in text; both engines now refuse
/// it before the store sees it).
#[test]
fn imports_are_held_to_the_rules_of_every_other_way_in() {
    let meds: Vec<String> = (0..10_000).map(|i| format!("\"med {i}\"")).collect();
    let six_psfs: Vec<String> = (0..6)
        .map(|i| format!(r#"{{"activity": "a{i}", "score": 3}}"#))
        .collect();
    let cases = [
        (assessment(r#"{"age": 200}"#), "age"),
        (
            assessment(&format!(r#"{{"psfs": [{}]}}"#, six_psfs.join(","))),
            "psfs",
        ),
        (
            assessment(&format!(r#"{{"goals": ["{}"]}}"#, "g".repeat(100_000))),
            "goals",
        ),
        (
            session(r#"[{"exercise": "no-such-move", "status": "done", "seconds": 60}]"#),
            "no-such-move",
        ),
        (session("[]"), "at least one exercise"),
    ];
    for sb in Sandbox::all() {
        sb.ok(&["log", "--pain", "5", "--note", "keep me"]);
        let dir = sb.dir.path();
        let mut files = Vec::new();
        for (i, (extra, needle)) in cases.iter().enumerate() {
            files.push((backup_with(extra), needle.to_string(), i));
        }
        let entry = |fields: &str| {
            format!(
                r#"{{"format": "unknot-backup", "version": 1, "entries": [
                    {{"id": "bad-1", "at": "2026-03-01T09:00:00+01:00[Europe/Paris]", {fields}}}]}}"#
            )
        };
        files.push((
            entry(&format!(
                r#""pain": 3, "treatments": {{"medications": [{}]}}"#,
                meds.join(",")
            )),
            "20 medicines".into(),
            90,
        ));
        files.push((entry(r#""note": "nul \u0000 here""#), "U+0000".into(), 91));
        files.push((entry(r#""note": "bell \u0007""#), "U+0007".into(), 92));
        files.push((
            entry(r#""pain": 3, "at": "2099-01-01T09:00:00+01:00[Europe/Paris]""#)
                .replace(r#""at": "2026-03-01T09:00:00+01:00[Europe/Paris]", "#, ""),
            "future".into(),
            93,
        ));
        for (text, needle, i) in files {
            let path = dir.join(format!("bad-{i}.json"));
            std::fs::write(&path, text).unwrap();
            refused(&sb, &["import", path.to_str().unwrap()], &needle);
        }
    }
}

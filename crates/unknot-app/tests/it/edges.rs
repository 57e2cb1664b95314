//! The edges stay thin: the terminal and the web app never touch the store (beyond opening it)
//! and never make one of core's decisions themselves; they call `unknot-app`. This searches
//! their source for the calls that would mean an operation implemented a second time.

use std::path::{Path, PathBuf};

/// What an edge must not contain, and why.
const FORBIDDEN: &[(&str, &str)] = &[
    (
        ".store()",
        "reaches past the application layer into the store",
    ),
    (".list_entries(", "reads the store directly"),
    (".save_assessment(", "writes the store directly"),
    (".insert_entry(", "writes the store directly"),
    ("triage(&", "makes the triage decision itself"),
    ("triage_at(", "makes the triage decision itself"),
    ("planner::build", "builds a plan itself"),
    ("adapt::review", "reviews a plan itself"),
    ("today::decide", "decides what is due itself"),
    ("signs::check_now", "runs the safety net itself"),
    ("signs::current_answers", "merges assessments itself"),
    ("therapy::phases", "applies the heat and cold rules itself"),
    ("session::journal_entry", "records a session itself"),
    ("backup::parse", "reads an import itself"),
    ("read_entries(", "reads an import itself"),
];

/// Store calls an edge may make: opening the journal, naming its file, its error type.
const ALLOWED_STORE: &[&str] = &[
    "unknot_store::Store;",
    "Store::open(",
    "unknot_store::Store::open_with(",
    "unknot_store::Store::open_clinic(",
    "unknot_store::sqlite_url_for(",
    "unknot_store::StoreError;",
];

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The file's code before its unit tests (tests may set up whatever they need).
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    match text.find("#[cfg(test)]") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

fn problems() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    sources(&root.join("unknot/src"), &mut files);
    sources(&root.join("unknot-web/src"), &mut files);
    assert!(files.len() > 20, "the edges' sources were found");
    let mut out = Vec::new();
    for file in files {
        for (n, line) in code(&file).lines().enumerate() {
            let line = line.trim();
            if line.starts_with("//") {
                continue;
            }
            let name = file
                .strip_prefix(&root)
                .unwrap_or(&file)
                .display()
                .to_string();
            for (needle, why) in FORBIDDEN {
                if line.contains(needle) {
                    out.push(format!("{name}:{}: {why}: {line}", n + 1));
                }
            }
            if line.contains("unknot_store::") && !ALLOWED_STORE.iter().any(|a| line.contains(a)) {
                out.push(format!("{name}:{}: uses the store crate: {line}", n + 1));
            }
        }
    }
    out
}

#[test]
fn the_edges_call_the_application_layer_only() {
    let found = problems();
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_search_finds_what_it_looks_for() {
    // The check can fail: the needles match the calls they are meant to catch.
    let sample = "let t = triage(&answers); app.store().list_entries(range)";
    assert!(FORBIDDEN.iter().any(|(n, _)| "triage(&a)".contains(n)));
    assert!(FORBIDDEN.iter().filter(|(n, _)| sample.contains(n)).count() >= 3);
}

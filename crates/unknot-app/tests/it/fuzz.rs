//! Mutation fuzzing of every reader of outside data: the backup importer, the entries CSV
//! importer (both through `parse_import`, as the terminal and the API call it), the intake's
//! JSON and `field=value` readers, and the parsers behind the journal's flags (`RegionPain`,
//! `Knot`, `when::parse_moment`).
//!
//! Each target starts from the seeds committed under `tests/corpus/` and applies random
//! mutations (cuts, repeats, byte flips, and snippets that broke parsers before: quotes, NUL,
//! escape sequences, huge numbers and strings). Whatever comes out must be refused or accepted
//! without a panic, with a message of bounded length, and anything accepted must pass the same
//! checks a typed entry passes and survive a round trip unchanged.
//!
//! `UNKNOT_FUZZ_CASES` sets the cases per target (a short run in `scripts/test`, long runs
//! through `scripts/fuzz`). proptest keeps the seed of any failure it finds in
//! `proptest-regressions/fuzz.txt` beside this file; commit it so the case is replayed first
//! from then on.

use std::path::PathBuf;

use jiff::{Timestamp, Zoned};
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, TestRunner};
use unknot_app::data::{Parsed, parse_import};
use unknot_core::intake::Answers;
use unknot_core::journal::{Knot, RegionPain};

/// Longest error message any reader may produce, whatever the input's size.
const MAX_MESSAGE: usize = 4_000;

fn cases() -> u32 {
    std::env::var("UNKNOT_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000)
}

fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: cases(),
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/it/proptest-regressions/fuzz.txt"
        )))),
        ..Config::default()
    })
}

fn now() -> Timestamp {
    "2026-06-01T12:00:00Z".parse().unwrap()
}

fn corpus(kind: &str) -> Vec<String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(kind);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|f| f.unwrap().path())
        .collect();
    files.sort();
    let seeds: Vec<String> = files
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    assert!(!seeds.is_empty(), "no seeds in {}", dir.display());
    seeds
}

/// Snippets that have broken readers before, or would if a check were missing.
const SNIPPETS: &[&str] = &[
    "\"",
    ",",
    "\n",
    "\r\n",
    "{",
    "}",
    "[",
    "]",
    ":",
    "=",
    "null",
    "\\u0000",
    "\u{0}",
    "\u{1b}[2J",
    "\\u001b]0;owned\\u0007",
    "99999999999999999999",
    "-1",
    "1e308",
    "11",
    "2099-01-01T00:00:00+00:00[UTC]",
    "'=HYPERLINK(\"x\")",
    "\"\"",
    ",,,,,,",
    "\\",
    "\u{feff}",
    "🙂",
];

#[derive(Debug, Clone)]
enum Mutation {
    Cut(usize, usize),
    Repeat(usize, usize, usize),
    Flip(usize, u8),
    Insert(usize, usize),
    Long(usize, usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = any::<usize>();
    prop_oneof![
        (at, 0usize..64).prop_map(|(a, n)| Mutation::Cut(a, n)),
        (at, 1usize..200, at).prop_map(|(a, n, b)| Mutation::Repeat(a, n, b)),
        (at, any::<u8>()).prop_map(|(a, b)| Mutation::Flip(a, b)),
        (at, 0..SNIPPETS.len()).prop_map(|(a, i)| Mutation::Insert(a, i)),
        (at, 1usize..200_000).prop_map(|(a, n)| Mutation::Long(a, n)),
        at.prop_map(Mutation::Truncate),
    ]
}

fn apply(seed: &str, mutations: &[Mutation]) -> String {
    let mut b = seed.as_bytes().to_vec();
    for m in mutations {
        let len = b.len().max(1);
        match *m {
            Mutation::Cut(a, n) => {
                let a = a % len;
                let end = (a + n).min(b.len());
                if a < end {
                    b.drain(a..end);
                }
            }
            Mutation::Repeat(a, n, at) => {
                let a = a % len;
                let end = (a + n).min(b.len());
                let piece: Vec<u8> = b.get(a..end).unwrap_or_default().to_vec();
                let at = at % (b.len() + 1);
                b.splice(at..at, piece);
            }
            Mutation::Flip(a, v) => {
                if let Some(x) = b.get_mut(a % len) {
                    *x = v;
                }
            }
            Mutation::Insert(a, i) => {
                let at = a % (b.len() + 1);
                b.splice(at..at, SNIPPETS[i].bytes());
            }
            Mutation::Long(a, n) => {
                let at = a % (b.len() + 1);
                b.splice(at..at, std::iter::repeat_n(b'7', n));
            }
            Mutation::Truncate(a) => b.truncate(a % len),
        }
    }
    String::from_utf8_lossy(&b).into_owned()
}

fn mutated(seeds: Vec<String>) -> impl Strategy<Value = String> {
    (0..seeds.len(), proptest::collection::vec(mutation(), 0..6))
        .prop_map(move |(i, ms)| apply(&seeds[i], &ms))
}

fn bounded(message: &str) -> Result<(), TestCaseError> {
    prop_assert!(
        message.len() <= MAX_MESSAGE,
        "a {}-byte message: {}…",
        message.len(),
        &message[..200.min(message.len())]
    );
    Ok(())
}

/// Accepted entries pass the one validation every typed entry passes.
fn entries_valid(entries: &[unknot_core::journal::Entry]) -> Result<(), TestCaseError> {
    for e in entries {
        prop_assert!(
            e.check(now()).is_ok(),
            "accepted an entry core refuses: {e:?}"
        );
    }
    Ok(())
}

/// One import file: accepted only when everything in it is valid, and then it round-trips.
fn check_import(text: &str) -> Result<(), TestCaseError> {
    match parse_import(text, now()) {
        Err(e) => bounded(&e.to_string()),
        Ok(Parsed::EntriesCsv(entries)) => {
            entries_valid(&entries)?;
            let mut out = Vec::new();
            unknot_export::csv::write_entries(&entries, &mut out).unwrap();
            let again = unknot_export::csv::read_entries(&String::from_utf8(out).unwrap(), now());
            prop_assert_eq!(again.ok(), Some(entries), "the CSV round trip changed data");
            Ok(())
        }
        Ok(Parsed::Backup(b)) => {
            entries_valid(&b.entries)?;
            for a in &b.assessments {
                prop_assert!(a.answers.check().is_ok(), "accepted bad answers");
            }
            let text = unknot_core::backup::render(&b);
            let again = unknot_core::backup::parse(&text, now());
            prop_assert_eq!(again.ok(), Some(*b), "the backup round trip changed data");
            Ok(())
        }
    }
}

fn csv_seeds() -> Vec<String> {
    let mut seeds = corpus("csv");
    for text in corpus("backup") {
        let b = unknot_core::backup::parse(&text, now()).unwrap();
        let mut out = Vec::new();
        unknot_export::csv::write_entries(&b.entries, &mut out).unwrap();
        seeds.push(String::from_utf8(out).unwrap());
    }
    seeds
}

#[test]
fn the_seeds_are_valid_so_mutations_start_from_real_files() {
    for text in corpus("backup").iter().chain(csv_seeds().iter()) {
        assert!(parse_import(text, now()).is_ok(), "{text}");
    }
    for text in corpus("answers") {
        assert!(Answers::from_json(&text).is_ok(), "{text}");
    }
    // The properties can fail: an entry in the future is refused, not stored.
    let empty = corpus("backup")
        .into_iter()
        .find(|t| t.contains("\"entries\": []"))
        .unwrap();
    let future = empty.replace(
        "\"entries\": []",
        "\"entries\": [{\"id\": \"f-1\", \"at\": \"2099-01-01T00:00:00+00:00[UTC]\", \"pain\": 3}]",
    );
    assert!(parse_import(&future, now()).is_err());
}

#[test]
fn mutated_backups_are_refused_or_imported_whole() {
    runner()
        .run(&mutated(corpus("backup")), |text| check_import(&text))
        .unwrap();
}

#[test]
fn mutated_entry_csvs_are_refused_or_imported_whole() {
    runner()
        .run(&mutated(csv_seeds()), |text| check_import(&text))
        .unwrap();
}

#[test]
fn mutated_answers_are_refused_or_pass_their_checks() {
    runner()
        .run(&mutated(corpus("answers")), |text| {
            match Answers::from_json(&text) {
                Err(e) => bounded(&e.to_string())?,
                Ok(a) => prop_assert!(a.check().is_ok()),
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn mutated_form_pairs_are_refused_or_pass_their_checks() {
    runner()
        .run(&mutated(corpus("pairs")), |text| {
            let pairs: Vec<(&str, &str)> = text
                .lines()
                .map(|l| l.split_once('=').unwrap_or((l, "")))
                .collect();
            match Answers::from_pairs(pairs) {
                Err(e) => bounded(&e.to_string())?,
                Ok(a) => prop_assert!(a.check().is_ok(), "{a:?}"),
            }
            Ok(())
        })
        .unwrap();
}

/// `HH:MM` or `HH:MM:SS` alone: a time of day with no day named.
fn bare_time(text: &str) -> bool {
    let t = text.trim();
    t.contains(':') && t.len() <= 8 && t.chars().all(|c| c.is_ascii_digit() || c == ':')
}

#[test]
fn mutated_flag_values_are_refused_with_short_messages() {
    let seeds: Vec<String> = corpus("flags")
        .iter()
        .flat_map(|t| t.lines().map(String::from).collect::<Vec<_>>())
        .collect();
    let now: Zoned = now().to_zoned(jiff::tz::TimeZone::get("Europe/Paris").unwrap());
    runner()
        .run(&mutated(seeds), |text| {
            if let Err(e) = RegionPain::parse(&text) {
                bounded(&e.to_string())?;
            }
            if let Err(e) = Knot::parse(&text) {
                bounded(&e.to_string())?;
            }
            match unknot_core::when::parse_moment(&text, "at", &now) {
                Err(e) => bounded(&e.to_string())?,
                // A bare time means the last time the clock showed it, never a time to come.
                Ok(t) if bare_time(&text) => prop_assert!(
                    t.timestamp() <= now.timestamp(),
                    "{text:?} read as {t}, later than now"
                ),
                Ok(_) => {}
            }
            Ok(())
        })
        .unwrap();
}

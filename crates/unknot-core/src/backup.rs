//! The full, versioned backup: what `unknot export --format json` writes and `unknot import`
//! reads back.
//!
//! The format is a public contract. Its header names the format and version first, so a file
//! from a newer unknot is refused with a clear message instead of being half-understood.
//! Rendering is deterministic (entries ordered by time, then id; no export timestamp), so
//! export, import and export again give the same bytes.

use std::collections::HashSet;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::adapt::SessionRecord;
use crate::catalogue::UserExercise;
use crate::error::InputError;
use crate::intake::Assessment;
use crate::journal::Entry;
use crate::planner::StoredPlan;
use crate::remind::BreakRecord;

/// The value of the `format` field.
pub const FORMAT: &str = "unknot-backup";
/// The newest version this build writes and reads.
pub const VERSION: u32 = 1;

/// A whole backup.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Backup {
    /// Always [`FORMAT`].
    pub format: String,
    /// The format version; see [`VERSION`].
    pub version: u32,
    /// Every journal entry.
    pub entries: Vec<Entry>,
    /// The user's own exercises, in the library's format.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exercises: Vec<UserExercise>,
    /// Assessments and check-ins, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assessments: Vec<Assessment>,
    /// Every plan version, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plans: Vec<StoredPlan>,
    /// Guided sessions, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sessions: Vec<SessionRecord>,
    /// Breaks from sitting, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub breaks: Vec<BreakRecord>,
}

/// Everything besides journal entries that a backup carries.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extras {
    /// The user's own exercises.
    pub exercises: Vec<UserExercise>,
    /// Assessments and check-ins.
    pub assessments: Vec<Assessment>,
    /// Plan versions.
    pub plans: Vec<StoredPlan>,
    /// Sessions.
    pub sessions: Vec<SessionRecord>,
    /// Breaks.
    pub breaks: Vec<BreakRecord>,
}

/// Why a backup file was refused. Nothing is imported when any of these is returned.
#[derive(Debug, Error)]
pub enum BackupError {
    /// Not JSON at all, or JSON of the wrong shape.
    #[error("not a valid unknot backup: {}", crate::error::brief(message))]
    Syntax {
        /// What the parser said, with the line and column.
        message: String,
    },
    /// JSON, but not ours.
    #[error(
        "not an unknot backup: the \"format\" field is {}, expected \"{FORMAT}\"",
        crate::error::shown(found)
    )]
    WrongFormat {
        /// What the file said.
        found: String,
    },
    /// Ours, but from a version we cannot read.
    #[error(
        "this backup is format version {}, and this unknot reads versions 1 to {VERSION}; \
         update unknot to import it",
        crate::error::shown(found)
    )]
    UnknownVersion {
        /// The version in the file.
        found: String,
    },
    /// An entry that fails validation.
    #[error("entry {index} (id {}): {source}", crate::error::shown(id))]
    Entry {
        /// Position in the file, from 1.
        index: usize,
        /// Its id.
        id: String,
        /// What is wrong.
        source: InputError,
    },
    /// Two entries with the same id.
    #[error("entry id {} appears more than once", crate::error::shown(.0))]
    DuplicateId(String),
    /// An assessment, plan, session or break that fails validation (or repeats an id).
    #[error("{kind} {index} (id {id}): {source}")]
    Record {
        /// What sort of record.
        kind: &'static str,
        /// Position among its kind, from 1.
        index: usize,
        /// Its id (or version, for plans).
        id: String,
        /// What is wrong.
        source: Box<InputError>,
    },
}

impl BackupError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            BackupError::Syntax { .. } => "backup_syntax",
            BackupError::WrongFormat { .. } => "backup_wrong_format",
            BackupError::UnknownVersion { .. } => "backup_unknown_version",
            BackupError::Entry { .. } => "backup_invalid_entry",
            BackupError::DuplicateId(_) => "backup_duplicate_id",
            BackupError::Record { .. } => "backup_invalid_record",
        }
    }
}

/// Builds a backup of `entries` and everything else the user has, in canonical order.
pub fn build(mut entries: Vec<Entry>, extras: Extras) -> Backup {
    let Extras {
        mut exercises,
        mut assessments,
        mut plans,
        mut sessions,
        mut breaks,
    } = extras;
    entries.sort_by(|a, b| {
        a.at.timestamp()
            .cmp(&b.at.timestamp())
            .then_with(|| a.id.cmp(&b.id))
    });
    exercises.sort_by(|a, b| a.id.cmp(&b.id));
    assessments.sort_by(|a, b| {
        a.at.timestamp()
            .cmp(&b.at.timestamp())
            .then_with(|| a.id.cmp(&b.id))
    });
    plans.sort_by_key(|p| p.plan.version);
    sessions.sort_by(|a, b| {
        a.at.timestamp()
            .cmp(&b.at.timestamp())
            .then_with(|| a.id.cmp(&b.id))
    });
    breaks.sort_by(|a, b| {
        a.at.timestamp()
            .cmp(&b.at.timestamp())
            .then_with(|| a.id.cmp(&b.id))
    });
    Backup {
        format: FORMAT.to_string(),
        version: VERSION,
        entries,
        exercises,
        assessments,
        plans,
        sessions,
        breaks,
    }
}

/// Renders a backup as pretty JSON with a final newline.
pub fn render(backup: &Backup) -> String {
    let mut out = serde_json::to_string_pretty(backup).unwrap_or_default();
    out.push('\n');
    out
}

/// Reads and validates a backup. The header is checked before the body, so a file from a newer
/// version is refused for its version rather than for a field we do not know yet.
pub fn parse(text: &str, now: Timestamp) -> Result<Backup, BackupError> {
    let syntax = |e: serde_json::Error| BackupError::Syntax {
        message: shortened(&e.to_string()),
    };
    #[derive(Deserialize)]
    struct Header {
        format: Option<serde_json::Value>,
        version: Option<serde_json::Value>,
    }
    let header: Header = serde_json::from_str(text).map_err(syntax)?;
    match header.format {
        Some(serde_json::Value::String(f)) if f == FORMAT => {}
        other => {
            return Err(BackupError::WrongFormat {
                found: other.map_or("missing".to_string(), |v| v.to_string()),
            });
        }
    }
    match header.version.as_ref().and_then(serde_json::Value::as_u64) {
        Some(v) if (1..=u64::from(VERSION)).contains(&v) => {}
        _ => {
            return Err(BackupError::UnknownVersion {
                found: header
                    .version
                    .map_or("missing".to_string(), |v| v.to_string()),
            });
        }
    }
    // Read the entries one by one so an error can say which entry is wrong, not only where.
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Raw {
        #[allow(dead_code)]
        format: String,
        version: u32,
        entries: Vec<serde_json::Value>,
        #[serde(default)]
        exercises: Vec<UserExercise>,
        #[serde(default)]
        assessments: Vec<Assessment>,
        #[serde(default)]
        plans: Vec<StoredPlan>,
        #[serde(default)]
        sessions: Vec<SessionRecord>,
        #[serde(default)]
        breaks: Vec<BreakRecord>,
    }
    let raw: Raw = serde_json::from_str(text).map_err(syntax)?;
    let mut entries = Vec::with_capacity(raw.entries.len());
    let mut seen = HashSet::new();
    for (i, value) in raw.entries.into_iter().enumerate() {
        let id = value
            .get("id")
            .and_then(|v| v.as_str())
            .unwrap_or("?")
            .to_string();
        let wrap = |source: InputError| BackupError::Entry {
            index: i + 1,
            id: id.clone(),
            source,
        };
        let entry: Entry = serde_json::from_value(value)
            .map_err(|e| wrap(InputError::malformed("entry", id.clone(), e.to_string())))?;
        entry.check(now).map_err(wrap)?;
        if !seen.insert(entry.id.clone()) {
            return Err(BackupError::DuplicateId(entry.id.to_string()));
        }
        entries.push(entry);
    }
    check_records(
        &raw.assessments,
        &raw.plans,
        &raw.sessions,
        &raw.breaks,
        now,
    )?;
    check_exercise_ids(&raw.exercises)?;
    Ok(Backup {
        format: FORMAT.to_string(),
        version: raw.version,
        entries,
        exercises: raw.exercises,
        assessments: raw.assessments,
        plans: raw.plans,
        sessions: raw.sessions,
        breaks: raw.breaks,
    })
}

/// A parser message cut to a readable length, keeping its end (where the line and column are).
fn shortened(message: &str) -> String {
    let n = message.chars().count();
    if n <= 300 {
        return message.to_string();
    }
    let head: String = message.chars().take(200).collect();
    let tail: String = message.chars().skip(n - 60).collect();
    format!("{head}…{tail}")
}

fn record_error(kind: &'static str, index: usize, id: &str, source: InputError) -> BackupError {
    BackupError::Record {
        kind,
        index: index + 1,
        id: crate::error::shown(id),
        source: Box::new(source),
    }
}

/// Every record besides entries passes the same checks as when it was made: answers within
/// their ranges, no time in the future, sessions with exercises and believable times, and no id
/// (or plan version) twice.
fn check_records(
    assessments: &[Assessment],
    plans: &[StoredPlan],
    sessions: &[SessionRecord],
    breaks: &[BreakRecord],
    now: Timestamp,
) -> Result<(), BackupError> {
    let latest = now
        .as_second()
        .saturating_add(crate::journal::CLOCK_SKEW_SECONDS);
    let future = |t: Timestamp| {
        (t.as_second() > latest)
            .then(|| InputError::malformed("time", t.to_string(), "it is in the future"))
    };
    let mut seen = HashSet::new();
    for (i, a) in assessments.iter().enumerate() {
        let problem = a.answers.check().err().or_else(|| future(a.at.timestamp()));
        let problem = problem.or_else(|| twice(&mut seen, &a.id));
        if let Some(e) = problem {
            return Err(record_error("assessment", i, &a.id, e));
        }
    }
    let mut versions = HashSet::new();
    for (i, p) in plans.iter().enumerate() {
        let v = p.plan.version;
        if v == 0 || !versions.insert(v) {
            let e =
                InputError::malformed("version", v.to_string(), "each plan version once, from 1");
            return Err(record_error("plan", i, &v.to_string(), e));
        }
    }
    let mut seen = HashSet::new();
    for (i, s) in sessions.iter().enumerate() {
        let problem = check_session_times(s)
            .err()
            .or_else(|| future(s.at.timestamp()));
        let problem = problem.or_else(|| twice(&mut seen, &s.id));
        if let Some(e) = problem {
            return Err(record_error("session", i, &s.id, e));
        }
    }
    let mut seen = HashSet::new();
    for (i, b) in breaks.iter().enumerate() {
        if let Some(e) = future(b.at.timestamp()).or_else(|| twice(&mut seen, &b.id)) {
            return Err(record_error("break", i, &b.id, e));
        }
    }
    Ok(())
}

fn twice(seen: &mut HashSet<String>, id: &str) -> Option<InputError> {
    (!seen.insert(id.to_string()))
        .then(|| InputError::malformed("id", id, "this id appears more than once"))
}

/// A session names at least one exercise, and no more than four hours on any of them.
fn check_session_times(s: &SessionRecord) -> Result<(), InputError> {
    if s.items.is_empty() {
        return Err(InputError::malformed(
            "items",
            "[]",
            "a session needs at least one exercise",
        ));
    }
    match s
        .items
        .iter()
        .find(|o| o.seconds > crate::session::MAX_ITEM_SECONDS)
    {
        Some(o) => Err(InputError::malformed(
            "seconds",
            o.seconds.to_string(),
            "more than four hours on one exercise",
        )),
        None => Ok(()),
    }
}

/// The user's own exercises: each id once (the library checks the rest when it loads them).
fn check_exercise_ids(exercises: &[UserExercise]) -> Result<(), BackupError> {
    let mut seen = HashSet::new();
    for (i, e) in exercises.iter().enumerate() {
        if let Some(err) = twice(&mut seen, &e.id) {
            return Err(record_error("exercise", i, &e.id, err));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::EntryId;
    use crate::score::Score;

    fn now() -> Timestamp {
        "2030-01-01T00:00:00Z".parse().unwrap()
    }

    fn sample() -> Backup {
        let mut e = Entry::new(
            EntryId::new("a1").unwrap(),
            "2026-03-01T09:00:00+01:00[Europe/Paris]".parse().unwrap(),
        );
        e.pain = Some(Score::new(4, "pain").unwrap());
        e.note = Some("after the long drive".to_string());
        build(vec![e], Extras::default())
    }

    #[test]
    fn round_trips_exactly() {
        let text = render(&sample());
        let back = parse(&text, now()).unwrap();
        assert_eq!(render(&back), text);
    }

    #[test]
    fn refuses_other_versions_and_formats() {
        let text = render(&sample()).replace("\"version\": 1", "\"version\": 99");
        let err = parse(&text, now()).unwrap_err();
        assert_eq!(err.code(), "backup_unknown_version");
        assert!(err.to_string().contains("99"));
        let err = parse("{\"format\": \"other\", \"version\": 1}", now()).unwrap_err();
        assert_eq!(err.code(), "backup_wrong_format");
        let err = parse("{not json", now()).unwrap_err();
        assert_eq!(err.code(), "backup_syntax");
    }

    #[test]
    fn refuses_bad_entries_naming_them() {
        let text = render(&sample()).replace("\"pain\": 4", "\"pain\": 11");
        let err = parse(&text, now()).unwrap_err().to_string();
        assert!(err.contains("11"), "{err}");
        let text = render(&sample()).replace("\"note\"", "\"colour\"");
        assert!(parse(&text, now()).is_err());
    }
}

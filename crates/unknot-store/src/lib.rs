//! Persistence for unknot, and nothing else: the journal, assessments, plans, sessions, breaks,
//! settings and the user's own exercises, on embedded SQLite by default or on PostgreSQL when a
//! clinic outgrows one machine. The operations that read, decide and write live in
//! `unknot-app`; this crate only loads and saves.
//!
//! One implementation over sqlx's `Any` driver serves both engines: runtime queries with `$1`
//! placeholders and one folder of portable, forward-only migrations that run on open (a
//! journal runs only those its own tables need, a clinic all of them: see `schema`). It speaks
//! only in `unknot-core` types; input is validated in core before it reaches a method here.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
// In a library, `pub` should mean "part of the API": an item marked `pub` that no caller
// outside the crate can reach is an accident, so say `pub(crate)` for it.
#![warn(unreachable_pub)]

mod changes;
mod clinic;
mod codec;
mod error;
mod journal;
mod library;
mod open;
mod paging;
mod plans;
mod schema;
mod summaries;
mod together;
pub mod zones;

pub use clinic::{
    CaseListing, CaseRecords, Holder, LibraryStamp, Limited, PainPoint, SessionMark, StoredPasskey,
};
pub use error::StoreError;
pub use journal::{EntryRange, ImportSummary, Inserted};
pub use library::CustomExercise;
pub use open::{Engine, POSTGRES_WAIT, Store, redact_url, sqlite_url_for};
pub use paging::EntryPage;
pub use plans::StoredPlan;
pub use together::{Signs, TodayRecords};

/// `count` numbered placeholders from `$first` on, as a list for SQL: `$3, $4, $5`. Only
/// numbers reach the text; the values are bound.
pub(crate) fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A fresh id for a new record: a UUIDv7, so ids sort by creation time and index well.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The one user of a single-person install. Clinic mode adds real users beside it.
pub const LOCAL_USER: &str = "local";

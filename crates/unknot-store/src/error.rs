//! What can go wrong in storage, with a stable code per kind so the binary and the web app can
//! map each to an exit code or an HTTP status.

use thiserror::Error;
use unknot_core::error::{brief, shown};

/// A storage failure.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The URL names an engine we do not speak.
    #[error("unsupported database URL '{}': use sqlite://PATH or postgres://USER@HOST/DB", shown(.0))]
    UnsupportedUrl(String),
    /// The database could not be opened or reached.
    #[error("cannot open the database at {}: {source}", shown(url))]
    Open {
        /// The URL, with any password hidden.
        url: String,
        /// The driver's reason.
        source: sqlx::Error,
    },
    /// The schema could not be brought up to date.
    #[error("cannot update the database schema: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Another writer holds the journal, or the database server is out of reach for now: the
    /// same request later will likely work.
    #[error("the journal is busy or out of reach for a moment ({reason}); try again shortly")]
    Unavailable {
        /// What the database said.
        reason: String,
        /// True when the database server could not be reached at all (a connection lost or
        /// none made in time), as opposed to a busy moment on a reachable one (a lock, a
        /// deadlock, a serialization failure): only this says the server is down.
        unreachable: bool,
    },
    /// The journal file is not a readable SQLite database (damaged, truncated, or another kind
    /// of file): nothing was changed.
    #[error(
        "the journal file {} is damaged and cannot be read ({}); it was not changed",
        shown(path),
        brief(reason)
    )]
    Damaged {
        /// The file.
        path: String,
        /// What SQLite said.
        reason: String,
    },
    /// The disk that holds the journal has no room left: nothing was written, and what was
    /// stored before is as it was (SQLite writes a change in full or not at all).
    #[error(
        "the disk holding the journal is full ({}); nothing was written and the journal is as \
         it was: free some space and try again",
        brief(reason)
    )]
    DiskFull {
        /// What the database or the system said.
        reason: String,
    },
    /// Any other database error.
    #[error("database error: {0}")]
    Db(sqlx::Error),
    /// A stored row that does not decode: a bug or outside tampering, never user input.
    #[error("stored record {} cannot be read: {}", shown(id), brief(reason))]
    Corrupt {
        /// The record's id.
        id: String,
        /// What is wrong with it.
        reason: String,
    },
    /// No record matches the id the user gave.
    #[error("no entry has the id '{}'", shown(.0))]
    NotFound(String),
    /// A short id that matches more than one record.
    #[error("'{}' matches {} entries: {}; give more of the id", shown(given), candidates.len(), brief(&candidates.join(", ")))]
    Ambiguous {
        /// What the user typed.
        given: String,
        /// The full ids it matches.
        candidates: Vec<String>,
    },
    /// A date computation fell outside the calendar (a clock set wildly wrong).
    #[error("date out of range: {}", brief(.0))]
    Time(String),
}

impl StoreError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::UnsupportedUrl(_) => "unsupported_url",
            StoreError::Open { .. } => "open_failed",
            StoreError::Migrate(_) => "migration_failed",
            StoreError::Unavailable { .. } => "unavailable",
            StoreError::Db(_) => "database",
            StoreError::Damaged { .. } => "damaged",
            StoreError::DiskFull { .. } => "disk_full",
            StoreError::Corrupt { .. } => "corrupt",
            StoreError::NotFound(_) => "not_found",
            StoreError::Ambiguous { .. } => "ambiguous",
            StoreError::Time(_) => "time_out_of_range",
        }
    }

    /// True when trying again shortly may work (a busy journal, a database server restarting).
    pub fn is_retryable(&self) -> bool {
        matches!(self, StoreError::Unavailable { .. })
    }

    /// True when the database server could not be reached (see [`StoreError::Unavailable`]).
    pub fn is_unreachable(&self) -> bool {
        matches!(
            self,
            StoreError::Unavailable {
                unreachable: true,
                ..
            }
        )
    }

    /// True when the error is the user's input (an id that does not exist, a bad URL) rather
    /// than a failure of the system.
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            StoreError::UnsupportedUrl(_) | StoreError::NotFound(_) | StoreError::Ambiguous { .. }
        )
    }
}

impl From<sqlx::Error> for StoreError {
    /// Sorts the driver's errors: a locked or busy database and a server out of reach are
    /// [`StoreError::Unavailable`] (retryable); the rest are [`StoreError::Db`].
    fn from(e: sqlx::Error) -> StoreError {
        if is_disk_full(&e) {
            StoreError::DiskFull {
                reason: e.to_string(),
            }
        } else if is_transient(&e) {
            StoreError::Unavailable {
                unreachable: is_unreachable(&e),
                reason: e.to_string(),
            }
        } else {
            StoreError::Db(e)
        }
    }
}

/// SQLite's "database or disk is full" (code 13), PostgreSQL's `disk_full` (53100), or the
/// system's "no space left on device".
fn is_disk_full(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => matches!(db.code().as_deref(), Some("13" | "53100")),
        sqlx::Error::Io(io) => io.kind() == std::io::ErrorKind::StorageFull,
        _ => false,
    }
}

/// SQLite's busy and locked codes (with their extended forms), PostgreSQL's lock, serialization
/// and shutdown states, and lost or refused connections.
/// A connection lost or not made: the server is down, restarting or out of reach.
fn is_unreachable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => matches!(
            db.code().unwrap_or_default().as_ref(),
            "57P01" | "57P02" | "57P03"
        ),
        sqlx::Error::Io(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        _ => false,
    }
}

fn is_transient(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => {
            let code = db.code().unwrap_or_default();
            let sqlite_busy = matches!(code.as_ref(), "5" | "6" | "261" | "517" | "262");
            let pg_transient = matches!(
                code.as_ref(),
                "40001" | "40P01" | "55P03" | "57P01" | "57P02" | "57P03" | "53300"
            );
            sqlite_busy || pg_transient || db.message().contains("database is locked")
        }
        sqlx::Error::Io(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        _ => false,
    }
}

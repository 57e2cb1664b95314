//! What can go wrong in storage, with a stable code per kind so the binary and the web app can
//! map each to an exit code or an HTTP status.

use thiserror::Error;

/// A storage failure.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The URL names an engine we do not speak.
    #[error("unsupported database URL '{0}': use sqlite://PATH or postgres://USER@HOST/DB")]
    UnsupportedUrl(String),
    /// The database could not be opened or reached.
    #[error("cannot open the database at {url}: {source}")]
    Open {
        /// The URL, with any password hidden.
        url: String,
        /// The driver's reason.
        source: sqlx::Error,
    },
    /// The schema could not be brought up to date.
    #[error("cannot update the database schema: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Any other database error.
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    /// A stored row that does not decode: a bug or outside tampering, never user input.
    #[error("stored record {id} cannot be read: {reason}")]
    Corrupt {
        /// The record's id.
        id: String,
        /// What is wrong with it.
        reason: String,
    },
    /// No record matches the id the user gave.
    #[error("no entry has the id '{0}'")]
    NotFound(String),
    /// A short id that matches more than one record.
    #[error("'{given}' matches {} entries: {}; give more of the id", candidates.len(), candidates.join(", "))]
    Ambiguous {
        /// What the user typed.
        given: String,
        /// The full ids it matches.
        candidates: Vec<String>,
    },
    /// A date computation fell outside the calendar (a clock set wildly wrong).
    #[error("date out of range: {0}")]
    Time(String),
}

impl StoreError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::UnsupportedUrl(_) => "unsupported_url",
            StoreError::Open { .. } => "open_failed",
            StoreError::Migrate(_) => "migration_failed",
            StoreError::Db(_) => "database",
            StoreError::Corrupt { .. } => "corrupt",
            StoreError::NotFound(_) => "not_found",
            StoreError::Ambiguous { .. } => "ambiguous",
            StoreError::Time(_) => "time_out_of_range",
        }
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

//! What an operation can refuse or fail with, in data terms. Each edge words these for its
//! reader: the terminal names a command to run ("run `unknot assess` first"), a page names a
//! menu item, the API answers a problem document; none of that wording lives here.

use thiserror::Error;
use unknot_core::InputError;
use unknot_core::backup::BackupError;
use unknot_core::triage::Triage;
use unknot_store::StoreError;

/// Something an earlier step must provide before this operation can run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// No intake assessment (the safety check) yet.
    Assessment,
    /// No plan yet.
    Plan,
    /// The plan's routine is empty (nothing fitted the time or equipment given).
    Routine,
}

impl Missing {
    /// A stable code.
    pub fn code(self) -> &'static str {
        match self {
            Missing::Assessment => "no_assessment",
            Missing::Plan => "no_plan",
            Missing::Routine => "empty_routine",
        }
    }
}

/// An operation's refusal or failure.
#[derive(Debug, Error)]
pub enum AppError {
    /// The input was refused by core; nothing was written.
    #[error(transparent)]
    Input(#[from] InputError),
    /// A backup file was refused; nothing was written.
    #[error(transparent)]
    Backup(#[from] BackupError),
    /// The library (built in, a content folder, or the user's own exercises) does not validate.
    #[error("{0}")]
    Content(String),
    /// An earlier step is needed first.
    #[error("{}", missing_words(*.0))]
    Missing(Missing),
    /// The current triage says to get help first, so no exercise plan is given.
    #[error("the safety check says to get help first: {}", .0.advice)]
    Withheld(Box<Triage>),
    /// A new record would take an id that is already used.
    #[error("the id '{id}' is already used{}", if *builtin { " by a built-in exercise" } else { "" })]
    Duplicate {
        /// The id.
        id: String,
        /// True when a built-in record has it (it cannot be replaced).
        builtin: bool,
    },
    /// A client-made id names a record that holds something else (a different entry or session,
    /// or another person's record, which is not told apart so nothing about it leaks); nothing
    /// was written.
    #[error(
        "the id '{0}' is already used for something else; nothing was stored. Send a new id for \
         a new record, or resend exactly what was stored under this one"
    )]
    IdInUse(String),
    /// The access rules refused: sign in first, forbidden, or (for another person's data)
    /// answered as not found.
    #[error("{}", denied_words(*.0))]
    Denied(unknot_core::clinic::access::Decision),
    /// The email or password (or second factor, or link) is not right; deliberately vague.
    #[error("{0}")]
    Credentials(String),
    /// Too many attempts: try again after this many seconds.
    #[error("too many attempts: try again in {0} s")]
    RateLimited(u64),
    /// A link or code that has expired or was used already.
    #[error("{0}")]
    Expired(String),
    /// Someone else changed the record after this person read it; nothing was stored.
    #[error("{0}")]
    Changed(String),
    /// The storage layer failed, or an id named nothing.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A bug or a system failure.
    #[error("{0}")]
    Internal(String),
}

fn denied_words(d: unknot_core::clinic::access::Decision) -> &'static str {
    use unknot_core::clinic::access::Decision;
    match d {
        Decision::SignIn => "sign in first",
        Decision::Forbidden => "your role does not allow this",
        Decision::NotFound | Decision::Allow => "nothing here",
    }
}

fn missing_words(m: Missing) -> &'static str {
    match m {
        Missing::Assessment => "no assessment yet",
        Missing::Plan => "no plan yet",
        Missing::Routine => "the plan's routine is empty",
    }
}

impl AppError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Input(e) => e.code(),
            AppError::Backup(_) => "bad_backup",
            AppError::Content(_) => "bad_content",
            AppError::Missing(m) => m.code(),
            AppError::Withheld(_) => "withheld",
            AppError::Duplicate { .. } => "duplicate",
            AppError::IdInUse(_) => "id_in_use",
            AppError::Denied(d) => match d {
                unknot_core::clinic::access::Decision::SignIn => "sign_in",
                unknot_core::clinic::access::Decision::Forbidden => "forbidden",
                _ => "not_found",
            },
            AppError::Credentials(_) => "bad_credentials",
            AppError::RateLimited(_) => "rate_limited",
            AppError::Expired(_) => "expired",
            AppError::Changed(_) => "changed",
            AppError::Store(e) => e.code(),
            AppError::Internal(_) => "internal",
        }
    }

    /// True when the person's input (or a missing earlier step) is the cause, not a failure:
    /// the terminal exits 2 and the web answers 4xx.
    pub fn is_user_error(&self) -> bool {
        match self {
            AppError::Input(_)
            | AppError::Backup(_)
            | AppError::Content(_)
            | AppError::Missing(_)
            | AppError::Withheld(_)
            | AppError::Duplicate { .. }
            | AppError::IdInUse(_)
            | AppError::Denied(_)
            | AppError::Credentials(_)
            | AppError::RateLimited(_)
            | AppError::Expired(_)
            | AppError::Changed(_) => true,
            AppError::Store(e) => e.is_user_error(),
            AppError::Internal(_) => false,
        }
    }

    /// The database server is out of reach (answered 503 with `Retry-After` on the web).
    pub fn unreachable(reason: impl Into<String>) -> AppError {
        AppError::Store(StoreError::Unavailable {
            reason: reason.into(),
            unreachable: true,
        })
    }

    /// An internal error from anything displayable.
    pub fn internal(e: impl std::fmt::Display) -> AppError {
        AppError::Internal(e.to_string())
    }
}

impl From<jiff::Error> for AppError {
    fn from(e: jiff::Error) -> AppError {
        AppError::Store(StoreError::Time(e.to_string()))
    }
}

/// The result of an operation.
pub type AppResult<T> = Result<T, AppError>;

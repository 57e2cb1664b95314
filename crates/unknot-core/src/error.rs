//! Errors for input that the domain rejects.
//!
//! Every edge (command line, import file, web form) parses user input into core types, and
//! every refusal ends up here. Each variant has a stable code so scripts and the web API can
//! match on it, and its message names the offending value so a person can fix it.

use thiserror::Error;

/// Input the domain will not accept. Nothing is ever written when one of these is returned.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InputError {
    /// A 0-10 rating outside its range.
    #[error("{field} must be a whole number from 0 to 10, got {value}")]
    OutOfRange {
        /// Which rating, in words the user typed (e.g. `--pain`).
        field: String,
        /// The value as given.
        value: String,
    },
    /// An id that names nothing we know (a region, a muscle, an activity...).
    #[error("unknown {kind} '{value}'{}", did_you_mean(suggestions, choices))]
    UnknownId {
        /// What sort of id it was meant to be.
        kind: &'static str,
        /// The value as given.
        value: String,
        /// The nearest known ids, best first (may be empty).
        suggestions: Vec<String>,
        /// Every known id, listed when nothing is near and the list is short.
        choices: Vec<String>,
    },
    /// A value that does not have the expected shape.
    #[error("{field}: cannot read '{value}': {reason}")]
    Malformed {
        /// Which field or flag.
        field: String,
        /// The value as given.
        value: String,
        /// What was expected instead.
        reason: String,
    },
    /// A combination of values that does not make sense together.
    #[error("{0}")]
    Inconsistent(String),
}

impl InputError {
    /// A stable, machine-readable code for this kind of error.
    pub fn code(&self) -> &'static str {
        match self {
            InputError::OutOfRange { .. } => "out_of_range",
            InputError::UnknownId { .. } => "unknown_id",
            InputError::Malformed { .. } => "malformed",
            InputError::Inconsistent(_) => "inconsistent",
        }
    }

    /// Shorthand for a [`InputError::Malformed`].
    pub fn malformed(
        field: impl Into<String>,
        value: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        InputError::Malformed {
            field: field.into(),
            value: value.into(),
            reason: reason.into(),
        }
    }
}

fn did_you_mean(suggestions: &[String], choices: &[String]) -> String {
    match suggestions {
        [] if !choices.is_empty() && choices.len() <= 25 => {
            format!(" (expected one of: {})", choices.join(", "))
        }
        [] => String::new(),
        [one] => format!(" (did you mean {one}?)"),
        many => format!(" (did you mean one of: {}?)", many.join(", ")),
    }
}

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
    #[error(
        "{} must be a whole number from 0 to 10, got {}",
        shown(field),
        shown(value)
    )]
    OutOfRange {
        /// Which rating, in words the user typed (e.g. `--pain`).
        field: String,
        /// The value as given.
        value: String,
    },
    /// An id that names nothing we know (a region, a muscle, an activity...).
    #[error(
        "unknown {kind} '{}'{}",
        shown(value),
        did_you_mean(suggestions, choices)
    )]
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
    #[error("{}: cannot read '{}': {}", shown(field), shown(value), brief(reason))]
    Malformed {
        /// Which field or flag.
        field: String,
        /// The value as given.
        value: String,
        /// What was expected instead.
        reason: String,
    },
    /// A combination of values that does not make sense together.
    #[error("{}", brief(.0))]
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

    /// Shorthand for a [`InputError::Malformed`]; a long value is cut to a readable length.
    pub fn malformed(
        field: impl Into<String>,
        value: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        InputError::Malformed {
            field: field.into(),
            value: shown(&value.into()),
            reason: reason.into(),
        }
    }

    /// The same error naming `field` instead (an edge putting its own word, such as a flag, in
    /// place of the data field's name).
    pub fn renamed(&self, field: &str) -> InputError {
        let mut e = self.clone();
        match &mut e {
            InputError::OutOfRange { field: f, .. } | InputError::Malformed { field: f, .. } => {
                *f = field.to_string();
            }
            InputError::UnknownId { .. } | InputError::Inconsistent(_) => {}
        }
        e
    }

    /// The data field this error names, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            InputError::OutOfRange { field, .. } | InputError::Malformed { field, .. } => {
                Some(field)
            }
            InputError::UnknownId { .. } | InputError::Inconsistent(_) => None,
        }
    }
}

/// Longest part of a value an error message repeats, in characters.
pub const SHOWN_CHARS: usize = 80;

/// A value as an error message shows it: whole when short, else its start and how long it was,
/// so a huge input cannot make a huge message.
pub fn shown(value: &str) -> String {
    let n = value.chars().count();
    if n <= SHOWN_CHARS {
        value.to_string()
    } else {
        let start: String = value.chars().take(SHOWN_CHARS).collect();
        format!("{start}… ({n} characters)")
    }
}

/// Longest message part (a reason, a parser's words) an error shows, in characters.
pub const BRIEF_CHARS: usize = 300;

/// A message part as an error shows it: whole when short, else its start and end around an
/// ellipsis, so a parser that repeats a huge input cannot make a huge message. Every error's
/// text in the project goes through [`shown`] or this.
pub fn brief(message: &str) -> String {
    let n = message.chars().count();
    if n <= BRIEF_CHARS {
        return message.to_string();
    }
    let head: String = message.chars().take(200).collect();
    let tail: String = message.chars().skip(n - 60).collect();
    format!("{head}…{tail}")
}

fn did_you_mean(suggestions: &[String], choices: &[String]) -> String {
    match suggestions {
        [] if !choices.is_empty() && choices.len() <= 25 => {
            format!(" (expected one of: {})", choices.join(", "))
        }
        [] => String::new(),
        [one] => format!(" (did you mean {}?)", shown(one)),
        many => brief(&format!(" (did you mean one of: {}?)", many.join(", "))),
    }
}

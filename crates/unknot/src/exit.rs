//! Mapping errors to one clear line on stderr and an exit code.
//!
//! Bad input (an out-of-range rating, an unknown id, a malformed file) exits 2 and names the
//! value; anything else that fails exits 1. The distinction lets scripts tell "you asked for
//! something wrong" from "something broke".

use std::process::ExitCode;

use unknot_app::{AppError, Missing};
use unknot_core::InputError;
use unknot_core::backup::BackupError;
use unknot_store::StoreError;

/// A usage error found by the binary itself (not by core or the store): exits 2.
#[derive(Debug)]
pub struct Usage(pub String);

impl std::fmt::Display for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Usage {}

/// Shorthand for returning a usage error.
pub fn usage(message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(Usage(message.into()))
}

/// True when the error, or anything it wraps, is the user's input rather than a failure.
pub fn is_usage(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause.is::<Usage>()
            || cause.is::<InputError>()
            || cause.is::<BackupError>()
            || cause
                .downcast_ref::<StoreError>()
                .is_some_and(StoreError::is_user_error)
            || cause
                .downcast_ref::<AppError>()
                .is_some_and(AppError::is_user_error)
    })
}

/// An application error in the terminal's words: what to run next, not what a page would say.
fn terminal_words(e: &AppError) -> Option<String> {
    Some(match e {
        AppError::Missing(Missing::Assessment) => {
            "no assessment yet: run `unknot assess` first".into()
        }
        AppError::Missing(Missing::Plan) => {
            "no plan yet: run `unknot assess`, then `unknot plan`".into()
        }
        AppError::Missing(Missing::Routine) => {
            "today's routine is empty; see `unknot plan` (more minutes a day or more equipment \
             in `unknot assess` let more exercises fit), or use --exercise ID"
                .into()
        }
        AppError::Withheld(t) => format!(
            "no exercise plan at this level: {} (see `unknot today`)",
            t.advice
        ),
        AppError::Duplicate { id, builtin: true } => {
            format!("'{id}' is the id of a built-in exercise; choose another id")
        }
        AppError::Duplicate { id, builtin: false } => {
            format!("you already have an exercise '{id}'; pass --replace to change it")
        }
        _ => return None,
    })
}

/// Prints the error and returns the exit code for it.
pub fn report(err: &anyhow::Error) -> ExitCode {
    match err
        .chain()
        .find_map(|c| c.downcast_ref::<AppError>())
        .and_then(terminal_words)
    {
        Some(words) => eprintln!("error: {words}"),
        None => eprintln!("error: {err:#}"),
    }
    if is_usage(err) {
        ExitCode::from(2)
    } else {
        ExitCode::FAILURE
    }
}

/// A command line clap refused (or `--help`, `--version`), printed as clap words it but with
/// any long value cut to a readable length: clap repeats a refused value whole, and a value can
/// be as long as the system allows arguments to be.
pub fn command_line(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    let text = e.render().to_string();
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        print!("{text}");
        return ExitCode::SUCCESS;
    }
    if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        eprint!("{text}");
        return ExitCode::from(2);
    }
    for line in text.lines() {
        eprintln!("{}", unknot_core::error::brief(line));
    }
    ExitCode::from(2)
}

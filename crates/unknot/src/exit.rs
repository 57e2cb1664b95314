//! Mapping errors to one clear line on stderr and an exit code.
//!
//! Bad input (an out-of-range rating, an unknown id, a malformed file) exits 2 and names the
//! value; anything else that fails exits 1. The distinction lets scripts tell "you asked for
//! something wrong" from "something broke".

use std::process::ExitCode;

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
    })
}

/// Prints the error and returns the exit code for it.
pub fn report(err: &anyhow::Error) -> ExitCode {
    eprintln!("error: {err:#}");
    if is_usage(err) {
        ExitCode::from(2)
    } else {
        ExitCode::FAILURE
    }
}

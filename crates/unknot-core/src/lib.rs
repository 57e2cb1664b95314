//! The pure domain of unknot.
//!
//! Everything here is deterministic and free of I/O: no clock, no files, no database, no async.
//! Callers pass in the current time and the data they loaded; storage, the web app and the
//! command line are edges around this crate and speak to each other only in its types. That keeps
//! the rules that matter for safety and for the user's data testable in isolation.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
// In a library, `pub` should mean "part of the API": an item marked `pub` that no caller
// outside the crate can reach is an accident, so say `pub(crate)` for it.
#![warn(unreachable_pub)]

pub mod adapt;
pub mod backup;
pub mod body;
pub mod catalogue;
pub mod clinic;
pub mod error;
pub mod figure;
pub mod folded;
pub mod habits;
mod ids;
pub mod intake;
pub mod journal;
pub mod outcomes;
pub mod planner;
pub mod progress;
pub mod remind;
pub mod score;
pub mod session;
pub mod settings;
pub mod signs;
pub mod suggest;
pub mod therapy;
pub mod today;
pub mod trends;
pub mod triage;
pub mod when;
pub mod words;

pub use error::InputError;

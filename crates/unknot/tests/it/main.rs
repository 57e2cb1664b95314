//! End-to-end tests of the real `unknot` binary, one test binary for the crate.
//!
//! Each test gets its own data folder (and, when `UNKNOT_TEST_POSTGRES_URL` is set, its own
//! PostgreSQL database), runs commands the way a person or a script would, and checks stdout,
//! stderr, exit codes and what ended up stored.

// Test code may panic on a broken fixture: that is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod backup;
mod bad_input;
mod clinic;
mod coach;
mod concurrency;
mod crash;
mod disk_full;
mod exit_codes;
mod exports;
mod first_run;
mod journal;
mod library;
mod parity;
mod polish;
mod remind;
mod serve;
mod session;
mod support;
mod terminal_output;
mod therapy;
mod trends;

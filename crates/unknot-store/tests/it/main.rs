//! The store's integration tests, one binary (link time matters on two cores).
//!
//! Every story runs on SQLite, and on PostgreSQL when `UNKNOT_TEST_POSTGRES_URL` is set (CI sets
//! it and fails if the server is down), each test in a fresh database dropped afterwards.

// Test code may panic on a broken fixture: that is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod changes;
mod faults;
mod roundtrip;
mod schema;
mod story;
mod summaries;
mod support;

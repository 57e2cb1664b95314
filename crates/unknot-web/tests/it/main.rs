//! The web app's integration tests, one binary: pages and forms, the API against its OpenAPI
//! document, the security rules, and end-to-end runs in a real Chromium.

#![allow(clippy::unwrap_used, clippy::expect_used)]
mod api;
mod browser;
mod check;
mod clinic;
mod clinic_browser;
mod clinic_offline;
mod idempotent;
mod pages;
mod security;
mod server;
mod support;

//! Core's integration tests, one binary: triage vignettes and properties, planner properties.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod adapt;
mod figures;
mod over_time;
mod plan;
mod questions;
mod triage_properties;
mod triage_vignettes;

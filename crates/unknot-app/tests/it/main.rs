//! Tests of the application layer's place in the workspace.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod clinic;
mod clinic_exercises;
mod clinic_patient;
mod clinic_work;
mod edges;
mod fuzz;

//! The exports, checked by independent readers: the FHIR Bundle against the official R4 JSON
//! Schema.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod audit_fhir;
mod csv;
mod fhir;
mod figures;
mod ics;
mod report;
mod sample;

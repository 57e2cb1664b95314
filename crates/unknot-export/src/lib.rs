//! Renders unknot's journal into formats other software reads.
//!
//! CSV for spreadsheets lives here today; FHIR R4, iCalendar and the visit report join it. Each
//! renderer takes core types and a writer, and never touches the database.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod csv;
pub mod fhir;
pub mod ics;

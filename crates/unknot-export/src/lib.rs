//! Renders unknot's journal into formats other software reads.
//!
//! CSV for spreadsheets, FHIR R4 for clinical software, iCalendar for calendars, and the visit
//! summary as HTML and PDF, with the SVG charts and body map they share with the web app. Each
//! renderer takes core types and never touches the database.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
// In a library, `pub` should mean "part of the API": an item marked `pub` that no caller
// outside the crate can reach is an accident, so say `pub(crate)` for it.
#![warn(unreachable_pub)]

pub mod audit_fhir;
pub mod bodymap;
pub mod charts;
pub mod csv;
pub mod fhir;
pub mod figure_svg;
pub mod handout;
pub mod ics;
pub mod report;
pub mod report_html;
pub mod report_pdf;

//! The clinic's pure rules: who may do what ([`access`]), the audit log's hash chain
//! ([`audit`]), how secrets are kept ([`secrets`]), programmes and their checks
//! ([`programme`]), the questionnaire schedule ([`questionnaires`]) and the dashboard's
//! signals ([`signals`]). The application layer looks up the
//! facts and stores the outcomes; nothing here reads a clock, a file or a database.

pub mod access;
pub mod audit;
pub mod exercise_ids;
pub mod model;
pub mod programme;
pub mod questionnaires;
pub mod secrets;
pub mod signals;

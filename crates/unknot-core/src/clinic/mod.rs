//! The clinic's pure rules: who may do what ([`access`]), the audit log's hash chain
//! ([`audit`]), and how secrets are kept ([`secrets`]). The application layer looks up the
//! facts and stores the outcomes; nothing here reads a clock, a file or a database.

pub mod access;
pub mod audit;
pub mod model;
pub mod secrets;

//! Which tables a database gets: a person's journal needs a few, a clinic all of them.
//!
//! Every migration lives in one folder, numbered in the order it was written. A journal runs
//! only the ones its tables need ([`JOURNAL_MIGRATIONS`]); a clinic runs them all. The split
//! is about speed: SQLite reads and parses every table and index in a file before its first
//! statement, and in a journal that also held the clinic's 20 tables and 30 indexes this was a
//! third of the instructions of `unknot log` (docs/PERFORMANCE.md, "The journal's
//! own tables, audit appends together, FHIR pages").
//!
//! A journal opened later as a clinic's database gets the clinic's migrations then, the ones it
//! lacks run in number order: none of them needs a table the journal left out beyond the
//! clinic's own. A journal made by an earlier release keeps the clinic's tables it already has.

use std::collections::HashSet;

use sqlx::AnyPool;
use sqlx::migrate::{MigrateError, Migrator};

use crate::error::StoreError;

/// Every migration, in order.
static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// The migrations a journal runs: its own tables (entries, exercises, assessments, plans,
/// sessions, breaks, settings), the summary of its assessments, which Today reads, the
/// change counter that writes by anyone but the local person move (one small table, so a
/// write never depends on which schema it finds), and the entries' columns for trends. The
/// others make the clinic's tables and the indexes only a clinic's dashboard needs.
const JOURNAL_MIGRATIONS: [i64; 8] = [1, 2, 3, 4, 5, 14, 15, 16];

/// Which tables a store needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Schema {
    /// A person's journal (`unknot log`, `unknot serve`).
    Journal,
    /// A clinic: the journal's tables and the clinic's (`unknot clinic …`).
    Clinic,
}

impl Schema {
    /// Whether this schema runs `version`.
    fn runs(self, version: i64) -> bool {
        self == Schema::Clinic || JOURNAL_MIGRATIONS.contains(&version)
    }
}

/// Brings the database's schema up to `schema`, and answers whether the clinic's tables are
/// there afterwards (asked for now, or made earlier).
///
/// Reading which migrations were applied lets a command skip sqlx's migrator (a lock and
/// several queries) when nothing is missing. A migration this release does not know means a
/// later release wrote the database: refused, as the migrator would.
pub(crate) async fn bring_up_to_date(pool: &AnyPool, schema: Schema) -> Result<bool, StoreError> {
    let applied = applied(pool).await?;
    if let Some(v) = applied.iter().find(|v| !MIGRATOR.version_exists(**v)) {
        return Err(MigrateError::VersionMissing(*v).into());
    }
    let missing = MIGRATOR
        .iter()
        .any(|m| schema.runs(m.version) && !applied.contains(&m.version));
    if missing {
        migrator(schema).run(pool).await?;
    }
    let clinic = MIGRATOR
        .iter()
        .all(|m| applied.contains(&m.version) || (missing && schema.runs(m.version)));
    Ok(clinic)
}

/// The migrator for `schema`: every migration for a clinic; for a journal, its own, without
/// complaining about the clinic's ones a database may already have.
fn migrator(schema: Schema) -> Migrator {
    match schema {
        Schema::Clinic => Migrator::with_migrations(MIGRATOR.iter().cloned().collect()),
        Schema::Journal => {
            let own = MIGRATOR.iter().filter(|m| schema.runs(m.version)).cloned();
            let mut m = Migrator::with_migrations(own.collect());
            m.set_ignore_missing(true);
            m
        }
    }
}

/// The migrations recorded as applied; none when the table is missing (a new database). Any
/// other failure to read it is reported, not taken for a new database.
async fn applied(pool: &AnyPool) -> Result<HashSet<i64>, StoreError> {
    use sqlx::Row;
    let rows = match sqlx::query("SELECT version FROM _sqlx_migrations WHERE success")
        .fetch_all(pool)
        .await
    {
        Ok(rows) => rows,
        Err(e) if missing_table(&e) => return Ok(HashSet::new()),
        Err(e) => return Err(e.into()),
    };
    rows.iter().map(|r| Ok(r.try_get::<i64, _>(0)?)).collect()
}

/// Whether `e` says the table does not exist: SQLite's "no such table", PostgreSQL's
/// `undefined_table` (42P01).
fn missing_table(e: &sqlx::Error) -> bool {
    e.as_database_error().is_some_and(|d| {
        d.code().as_deref() == Some("42P01") || d.message().contains("no such table")
    })
}

//! A person's entries a page at a time, and the count of their pain ratings, so the FHIR API
//! answers a search for one patient's Observations without reading every entry they ever wrote
//! (docs/PERFORMANCE.md, "The journal's own tables, audit appends together, FHIR pages").

use jiff::Timestamp;
use sqlx::Row;
use unknot_core::journal::Entry;

use crate::codec::{self, ZoneCache};
use crate::error::StoreError;
use crate::open::{Engine, Store};

/// The entries from an instant on, and whether the journal goes on after them.
#[derive(Debug, Clone, Default)]
pub struct EntryPage {
    /// Each entry with when it was last written (milliseconds since the epoch), oldest first,
    /// ties by id.
    pub entries: Vec<(Entry, i64)>,
    /// The instant of the last entry read, when there may be more after it; `None` when the
    /// journal ends here.
    pub more_after: Option<Timestamp>,
}

/// Entries at or after `$2`, up to and including the instant of the `$3`-th of them (all the
/// entries at that instant, so a page cut there misses none): the subquery finds that instant,
/// or none when fewer entries are left.
const FROM_SQL: &str = "SELECT id, at_ms, time_zone, pain, details, note, updated_at_ms \
    FROM entries WHERE user_id = $1 AND at_ms >= $2 AND at_ms <= COALESCE( \
      (SELECT at_ms FROM entries WHERE user_id = $1 AND at_ms >= $2 \
       ORDER BY at_ms LIMIT 1 OFFSET $3), $4) \
    ORDER BY at_ms, id";

/// Pain ratings: each entry's overall one when given, and one per region (a region is always
/// rated). SQLite and PostgreSQL name their JSON functions differently.
const RATINGS_SQLITE: &str = "SELECT COUNT(pain), \
    COALESCE(SUM(json_array_length(details, '$.regions')), 0) FROM entries WHERE user_id = $1";
const RATINGS_POSTGRES: &str = "SELECT COUNT(pain), \
    COALESCE(SUM(jsonb_array_length(details::jsonb -> 'regions')), 0)::BIGINT \
    FROM entries WHERE user_id = $1";

impl Store {
    /// At least `at_least` entries from `since` on (fewer when the journal ends first), and
    /// every other entry at the same instant as the last of them.
    pub async fn entries_from(
        &self,
        since: Timestamp,
        at_least: u32,
    ) -> Result<EntryPage, StoreError> {
        let rows = sqlx::query(FROM_SQL)
            .bind(&self.user)
            .bind(since.as_millisecond())
            .bind(i64::from(at_least.max(1)) - 1)
            .bind(i64::MAX)
            .fetch_all(&self.pool)
            .await?;
        let mut zones = ZoneCache::default();
        let entries = rows
            .iter()
            .map(|r| Ok((codec::decode_with(r, &mut zones)?, r.try_get::<i64, _>(6)?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        let more_after = if entries.len() >= at_least as usize {
            entries.last().map(|(e, _)| e.at.timestamp())
        } else {
            None
        };
        Ok(EntryPage {
            entries,
            more_after,
        })
    }

    /// How many pain ratings the person's entries hold: the overall rating of each entry that
    /// has one, and each rated region.
    pub async fn pain_rating_count(&self) -> Result<u64, StoreError> {
        let sql = match self.engine {
            Engine::Sqlite => RATINGS_SQLITE,
            Engine::Postgres => RATINGS_POSTGRES,
        };
        let row = sqlx::query(sql)
            .bind(&self.user)
            .fetch_one(&self.pool)
            .await?;
        let overall: i64 = row.try_get(0)?;
        let regions: i64 = row.try_get(1)?;
        Ok(u64::try_from(overall + regions).unwrap_or(0))
    }
}

//! Journal queries: add, change, remove, find and list entries, and restore a backup.

use jiff::Timestamp;
use sqlx::Row;
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use unknot_core::backup::Extras;
use unknot_core::journal::{Entry, EntryId};
use unknot_core::trends::TrendSample;

use crate::changes::journal_changed;
use crate::codec;
use crate::error::StoreError;
use crate::open::{Engine, Store};

/// A time window for listing entries, inclusive at both ends; `None` leaves that end open.
#[derive(Debug, Clone, Copy, Default)]
pub struct EntryRange {
    /// Earliest instant.
    pub since: Option<Timestamp>,
    /// Latest instant.
    pub until: Option<Timestamp>,
    /// Keep only the most recent this many (still returned oldest first).
    pub last: Option<u32>,
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportSummary {
    /// Entries that were not there before.
    pub added: usize,
    /// Entries whose id existed and whose content changed.
    pub updated: usize,
    /// Entries already present exactly as in the file.
    pub unchanged: usize,
    /// Assessments, plan versions and sessions added.
    pub records: usize,
}

/// Every entry query selects the same columns in the order [`codec::decode`] reads them. A
/// macro rather than `format!` keeps the SQL a static string, as sqlx asks of queries.
macro_rules! select_entries {
    ($rest:literal) => {
        concat!(
            "SELECT id, at_ms, time_zone, pain, details, note FROM entries ",
            $rest
        )
    };
}

pub(crate) const LIST_SQLITE: &str = "SELECT '[' || COALESCE(group_concat('[\"' || id || '\",' || at_ms || ',\"' \
    || time_zone || '\",' || COALESCE(pain, 'null') || ',' || details || ',' || json_quote(note) || ']', ','), '') \
    || ']' FROM entries WHERE user_id = $1 AND at_ms >= $2 AND at_ms <= $3";
const LIST_LAST_SQLITE: &str = "SELECT COALESCE(json_group_array(json_array(id, at_ms, time_zone, pain, \
    json(details), note)), '[]') FROM (SELECT * FROM entries \
    WHERE user_id = $1 AND at_ms >= $2 AND at_ms <= $3 ORDER BY at_ms DESC, id DESC LIMIT $4)";
pub(crate) const LIST_POSTGRES: &str = "SELECT COALESCE(json_agg(json_build_array(id, at_ms, time_zone, pain, \
    details::json, note))::text, '[]') FROM entries \
    WHERE user_id = $1 AND at_ms >= $2 AND at_ms <= $3";
const LIST_LAST_POSTGRES: &str = "SELECT COALESCE(json_agg(json_build_array(id, at_ms, time_zone, pain, \
    details::json, note))::text, '[]') FROM (SELECT * FROM entries \
    WHERE user_id = $1 AND at_ms >= $2 AND at_ms <= $3 ORDER BY at_ms DESC, id DESC LIMIT $4) AS recent";

/// Entries that may carry a warning sign: the text of their details names numbness, tingling,
/// the leg, the arm or the chest. A superset of what `unknot_core::signs::from_entries` acts on
/// (every id it checks appears in the JSON as that word), so the safety net reads a few rows
/// instead of every entry since the intake (see docs/PERFORMANCE.md, "The clinic at size").
pub(crate) const SIGN_FILTER: &str = " AND (details LIKE '%numbness%' OR details LIKE '%tingling%' \
    OR details LIKE '%\"leg\"%' OR details LIKE '%\"arm\"%' OR details LIKE '%\"chest\"%')";

/// Whether a row's copies of what trends count (`local_day`, `trend_facts`) may be used: they
/// are there and were written with the row's latest change (migration 0016).
macro_rules! facts_current {
    () => {
        "local_day IS NOT NULL AND trend_facts IS NOT NULL AND facts_at_ms = updated_at_ms"
    };
}

/// The opposite of [`facts_current`], word for word the condition of the partial index
/// `entries_without_trend_facts`, so SQLite reads only those rows through it.
macro_rules! facts_missing {
    () => {
        "(local_day IS NULL OR trend_facts IS NULL OR facts_at_ms IS NULL \
         OR facts_at_ms <> updated_at_ms)"
    };
}

/// SQLite's trends query: one line per entry, in two lists (one statement, so both see the
/// same rows). Rows whose copies are current give `LOCAL_DAY PAIN FACTS` from `local_day`,
/// `pain` (`-` when unrated) and `trend_facts`; the others give `AT_MS ZONE PAIN DETAILS`,
/// with the details made compact by `json()` so that no line break from a hand-made load can
/// split a line (the app's own JSON never holds one, and zone names have no spaces).
const TRENDS_SQLITE: &str = concat!(
    "SELECT (SELECT group_concat(local_day || ' ' || COALESCE(pain, '-') || ' ' || trend_facts, \
     char(10)) FROM entries WHERE user_id = $1 AND ",
    facts_current!(),
    "), (SELECT group_concat(at_ms || ' ' || time_zone || ' ' || COALESCE(pain, '-') || ' ' \
     || json(details), char(10)) FROM entries WHERE user_id = $1 AND ",
    facts_missing!(),
    ")"
);
/// PostgreSQL sends rows without a per-row hand-off between threads, so rows are simplest: the
/// day and the facts when current, otherwise no day and the whole details.
const TRENDS_POSTGRES: &str = concat!(
    "SELECT CASE WHEN ",
    facts_current!(),
    " THEN local_day END, at_ms, time_zone, pain, CASE WHEN ",
    facts_current!(),
    " THEN trend_facts ELSE details END FROM entries WHERE user_id = $1"
);

/// The columns every insert writes, in the order [`bind_row`] binds them.
macro_rules! insert_columns {
    () => {
        "INSERT INTO entries (id, user_id, at_ms, time_zone, pain, details, note, local_day, \
         trend_facts, created_at_ms, updated_at_ms, facts_at_ms) VALUES ($1, $2, $3, $4, $5, $6, \
         $7, $8, $9, $10, $10, $10)"
    };
}

const UPSERT: &str = concat!(
    insert_columns!(),
    " ON CONFLICT (id) DO UPDATE SET at_ms = excluded.at_ms, time_zone = excluded.time_zone, \
    pain = excluded.pain, details = excluded.details, note = excluded.note, \
    local_day = excluded.local_day, trend_facts = excluded.trend_facts, \
    updated_at_ms = excluded.updated_at_ms, facts_at_ms = excluded.facts_at_ms \
    WHERE entries.user_id = excluded.user_id"
);

const INSERT: &str = insert_columns!();

/// The INSERT that leaves a row with the same id alone (a client's retry, or an id that is
/// taken): `rows_affected` says which happened.
const INSERT_IF_ABSENT: &str = concat!(insert_columns!(), " ON CONFLICT (id) DO NOTHING");

/// What an insert that keeps existing rows found.
#[derive(Debug, Clone, PartialEq)]
pub enum Inserted<T> {
    /// The record was not there: it is stored now.
    Added,
    /// This person already has a record with that id; it is returned as stored and nothing
    /// was written.
    Existing(T),
    /// Another person's record has that id. Nothing was written, and nothing of theirs is
    /// returned.
    Taken,
}

/// Adds an entry unless its id is taken, inside a transaction another write shares, and says
/// what it found. On PostgreSQL a second writer of the same id waits for the first's
/// transaction and then sees its row; SQLite's `BEGIN IMMEDIATE` queues them.
pub(crate) async fn insert_entry_if_absent_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user: &str,
    entry: &Entry,
) -> Result<Inserted<Entry>, StoreError> {
    let row = codec::encode(entry)?;
    let done = bind_row(
        INSERT_IF_ABSENT,
        row,
        user,
        Timestamp::now().as_millisecond(),
    )
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() > 0 {
        journal_changed(tx, user).await?;
        return Ok(Inserted::Added);
    }
    let owner = sqlx::query("SELECT user_id FROM entries WHERE id = $1")
        .bind(entry.id.as_str())
        .fetch_optional(&mut **tx)
        .await?;
    let owner: Option<String> = owner.map(|r| r.try_get(0)).transpose()?;
    if owner.as_deref() != Some(user) {
        // Someone else's entry (or one deleted in between, which reads the same: not ours).
        return Ok(Inserted::Taken);
    }
    let old = sqlx::query(select_entries!("WHERE id = $1 AND user_id = $2"))
        .bind(entry.id.as_str())
        .bind(user)
        .fetch_one(&mut **tx)
        .await?;
    Ok(Inserted::Existing(codec::decode(&old)?))
}

/// This person's entry with the id, if any, read inside a transaction.
pub(crate) async fn entry_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user: &str,
    id: &EntryId,
) -> Result<Option<Entry>, StoreError> {
    let row = sqlx::query(select_entries!("WHERE id = $1 AND user_id = $2"))
        .bind(id.as_str())
        .bind(user)
        .fetch_optional(&mut **tx)
        .await?;
    row.as_ref().map(codec::decode).transpose()
}

/// An INSERT (or the UPSERT) of one encoded entry, with every value bound in column order.
fn bind_row<'q>(
    sql: &'static str,
    row: codec::EntryRow,
    user: &'q str,
    now: i64,
) -> Query<'q, sqlx::Any, AnyArguments> {
    sqlx::query(sql)
        .bind(row.id)
        .bind(user)
        .bind(row.at_ms)
        .bind(row.time_zone)
        .bind(row.pain)
        .bind(row.details)
        .bind(row.note)
        .bind(row.local_day)
        .bind(row.trend_facts)
        .bind(now)
}

/// Inserts a new entry inside a transaction another write shares.
pub(crate) async fn insert_entry_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user: &str,
    entry: &Entry,
) -> Result<(), StoreError> {
    let row = codec::encode(entry)?;
    bind_row(INSERT, row, user, Timestamp::now().as_millisecond())
        .execute(&mut **tx)
        .await?;
    journal_changed(tx, user).await
}

impl Store {
    /// Stores a new entry. The caller has checked it with [`Entry::check`].
    pub async fn insert_entry(&self, entry: &Entry) -> Result<(), StoreError> {
        let row = codec::encode(entry)?;
        let now = Timestamp::now().as_millisecond();
        self.counted_write(async |c| {
            bind_row(INSERT, row, &self.user, now).execute(c).await?;
            Ok(())
        })
        .await
    }

    /// Stores a new entry unless one with its id exists, atomically on both engines (a client
    /// that retries, or two requests racing with the same id, store it once). The caller has
    /// checked it with [`Entry::check`] and decides what a row already there means.
    pub async fn insert_entry_if_absent(
        &self,
        entry: &Entry,
    ) -> Result<Inserted<Entry>, StoreError> {
        let mut tx = self.write_tx().await?;
        let found = insert_entry_if_absent_in(&mut tx, &self.user, entry).await?;
        tx.commit().await?;
        Ok(found)
    }

    /// Replaces an existing entry (same id). Fails with [`StoreError::NotFound`] if it is gone.
    pub async fn update_entry(&self, entry: &Entry) -> Result<(), StoreError> {
        let row = codec::encode(entry)?;
        self.counted_write(async |c| {
            let done = sqlx::query(
                "UPDATE entries SET at_ms = $1, time_zone = $2, pain = $3, details = $4, \
                 note = $5, local_day = $6, trend_facts = $7, updated_at_ms = $8, \
                 facts_at_ms = $8 WHERE id = $9 AND user_id = $10",
            )
            .bind(row.at_ms)
            .bind(row.time_zone)
            .bind(row.pain)
            .bind(row.details)
            .bind(row.note)
            .bind(row.local_day)
            .bind(row.trend_facts)
            .bind(Timestamp::now().as_millisecond())
            .bind(&row.id)
            .bind(&self.user)
            .execute(c)
            .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound(row.id.clone()));
            }
            Ok(())
        })
        .await
    }

    /// Removes an entry. Fails with [`StoreError::NotFound`] if there is none with that id.
    pub async fn delete_entry(&self, id: &EntryId) -> Result<(), StoreError> {
        self.counted_write(async |c| {
            let done = sqlx::query("DELETE FROM entries WHERE id = $1 AND user_id = $2")
                .bind(id.as_str())
                .bind(&self.user)
                .execute(c)
                .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound(id.to_string()));
            }
            Ok(())
        })
        .await
    }

    /// Finds one entry by its full id, or by the short id `unknot history` shows (any unique
    /// ending of at least four characters).
    pub async fn find_entry(&self, given: &str) -> Result<Entry, StoreError> {
        let given = given.trim();
        let valid = EntryId::new(given).map_err(|_| StoreError::NotFound(given.to_string()))?;
        let exact = sqlx::query(select_entries!("WHERE id = $1 AND user_id = $2"))
            .bind(valid.as_str())
            .bind(&self.user)
            .fetch_optional(&self.pool)
            .await?;
        if let Some(row) = exact {
            return codec::decode(&row);
        }
        if given.len() < 4 {
            return Err(StoreError::NotFound(given.to_string()));
        }
        // Ids hold only letters, digits and hyphens, so the pattern needs no escaping.
        let rows = sqlx::query(select_entries!(
            "WHERE user_id = $1 AND id LIKE $2 ORDER BY id LIMIT 6"
        ))
        .bind(&self.user)
        .bind(format!("%{}", given.to_ascii_lowercase()))
        .fetch_all(&self.pool)
        .await?;
        match rows.as_slice() {
            [] => Err(StoreError::NotFound(given.to_string())),
            [one] => codec::decode(one),
            many => Err(StoreError::Ambiguous {
                given: given.to_string(),
                candidates: many
                    .iter()
                    .map(|r| r.try_get::<String, _>(0))
                    .collect::<Result<_, _>>()?,
            }),
        }
    }

    /// When each of the person's entries was last written: (entry id, milliseconds since the
    /// epoch), in no order. The FHIR API's `meta.lastUpdated` and `_lastUpdated` read it.
    pub async fn entry_write_times(&self) -> Result<Vec<(String, i64)>, StoreError> {
        let rows = sqlx::query("SELECT id, updated_at_ms FROM entries WHERE user_id = $1")
            .bind(&self.user)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get::<String, _>(0)?, r.try_get::<i64, _>(1)?)))
            .collect()
    }

    /// Entries in a time window, oldest first (ties broken by id, so the order is stable).
    ///
    /// The engine builds the whole list as one JSON array: sqlx's SQLite driver hands rows one
    /// at a time between threads, which cost more than everything else in `unknot trends` over
    /// years of entries (see docs/PERFORMANCE.md). The SQL differs by engine only in the names
    /// of the JSON functions.
    pub async fn list_entries(&self, range: EntryRange) -> Result<Vec<Entry>, StoreError> {
        let since = range.since.map_or(i64::MIN, |t| t.as_millisecond());
        let until = range.until.map_or(i64::MAX, |t| t.as_millisecond());
        let sql = match (self.engine, range.last.is_some()) {
            (Engine::Sqlite, false) => LIST_SQLITE,
            (Engine::Sqlite, true) => LIST_LAST_SQLITE,
            (Engine::Postgres, false) => LIST_POSTGRES,
            (Engine::Postgres, true) => LIST_LAST_POSTGRES,
        };
        let mut query = sqlx::query(sql).bind(&self.user).bind(since).bind(until);
        if let Some(n) = range.last {
            query = query.bind(i64::from(n));
        }
        let row = query.fetch_one(&self.pool).await?;
        // Borrowed: the list can be megabytes, and copying it costs more than decoding it.
        let json: &str = row.try_get(0)?;
        let mut entries = codec::decode_list(json)?;
        // The (user_id, at_ms) index yields rows in time order, but an aggregate does not promise
        // to keep it; an ORDER BY inside it made SQLite sort on disk, so sort here instead.
        entries.sort_by(|a, b| {
            a.at.timestamp()
                .cmp(&b.at.timestamp())
                .then_with(|| a.id.cmp(&b.id))
        });
        Ok(entries)
    }

    /// What trends read from every entry (its local date, pain, context and knots), in no
    /// particular order: a narrow read for long journals, where decoding whole entries (ids,
    /// regions, notes, treatments) was most of the time `unknot trends` took. Rows carry their
    /// date and those parts in columns of their own (`local_day`, `trend_facts`); a row
    /// whose copies are missing or older than its last change is dated from its time and zone
    /// and read from its details.
    pub async fn trend_samples(&self) -> Result<Vec<TrendSample>, StoreError> {
        if self.engine == Engine::Postgres {
            let rows = sqlx::query(TRENDS_POSTGRES)
                .bind(&self.user)
                .fetch_all(&self.pool)
                .await?;
            let mut zones = codec::LastZone::default();
            return rows
                .iter()
                .map(|r| {
                    let dated = match r.try_get::<Option<i64>, _>(0)? {
                        Some(day) => codec::Dated::Day(day),
                        None => codec::Dated::At(r.try_get(1)?, r.try_get(2)?),
                    };
                    let facts = codec::trend_details(r.try_get(4)?)?;
                    codec::sample(dated, r.try_get(3)?, facts, &mut zones)
                })
                .collect();
        }
        let row = sqlx::query(TRENDS_SQLITE)
            .bind(&self.user)
            .fetch_one(&self.pool)
            .await?;
        // Borrowed: the lists can be megabytes.
        codec::decode_sample_lines(
            row.try_get::<Option<&str>, _>(0)?.unwrap_or_default(),
            row.try_get::<Option<&str>, _>(1)?.unwrap_or_default(),
        )
    }

    /// How many entries the user has.
    pub async fn count_entries(&self) -> Result<u64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) FROM entries WHERE user_id = $1")
            .bind(&self.user)
            .fetch_one(&self.pool)
            .await?;
        Ok(u64::try_from(row.try_get::<i64, _>(0)?).unwrap_or(0))
    }

    /// How many entries fall between two instants (inclusive; open ends when `None`).
    pub async fn count_entries_between(
        &self,
        since: Option<Timestamp>,
        until: Option<Timestamp>,
    ) -> Result<usize, StoreError> {
        let row = sqlx::query(
            "SELECT COUNT(*) FROM entries WHERE user_id = $1 AND at_ms >= $2 AND at_ms <= $3",
        )
        .bind(&self.user)
        .bind(since.map_or(i64::MIN, |t| t.as_millisecond()))
        .bind(until.map_or(i64::MAX, |t| t.as_millisecond()))
        .fetch_one(&self.pool)
        .await?;
        Ok(usize::try_from(row.try_get::<i64, _>(0)?).unwrap_or(0))
    }

    /// Restores entries from a backup in one transaction: all of them land, or none do.
    /// Entries with a known id are replaced by the file's version.
    pub async fn import_entries(&self, entries: &[Entry]) -> Result<ImportSummary, StoreError> {
        self.import_backup(entries, &Extras::default()).await
    }

    /// Restores a whole backup (entries, the user's exercises, assessments, plan versions and
    /// sessions) in one transaction, so an import is never half-applied. Entries and exercises
    /// with a known id take the file's version; other records already present are kept.
    pub async fn import_backup(
        &self,
        entries: &[Entry],
        extras: &Extras,
    ) -> Result<ImportSummary, StoreError> {
        let mut tx = self.write_tx().await?;
        let mut summary = ImportSummary::default();
        let now = Timestamp::now().as_millisecond();
        for entry in entries {
            let row = codec::encode(entry)?;
            let existing = sqlx::query(select_entries!("WHERE id = $1 AND user_id = $2"))
                .bind(&row.id)
                .bind(&self.user)
                .fetch_optional(&mut *tx)
                .await?;
            match existing {
                Some(old) if codec::decode(&old).as_ref().ok() == Some(entry) => {
                    summary.unchanged += 1;
                    continue;
                }
                Some(_) => summary.updated += 1,
                None => summary.added += 1,
            }
            let done = bind_row(UPSERT, row, &self.user, now)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 0 {
                // The id is taken in another person's journal (someone else's backup, or ids
                // made up by hand): the entry is kept all the same, under an id of its own.
                let mut row = codec::encode(entry)?;
                row.id = crate::new_id();
                bind_row(INSERT, row, &self.user, now)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        for e in &extras.exercises {
            crate::library::upsert_custom(&mut tx, &self.user, e, now).await?;
        }
        summary.records = crate::plans::insert_documents(&mut tx, &self.user, extras).await?;
        journal_changed(&mut tx, &self.user).await?;
        tx.commit().await?;
        Ok(summary)
    }

    /// Adds many new entries in one transaction (the demo data and benchmarks use this).
    pub async fn insert_entries(&self, entries: &[Entry]) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let now = Timestamp::now().as_millisecond();
        for entry in entries {
            let row = codec::encode(entry)?;
            bind_row(INSERT, row, &self.user, now)
                .execute(&mut *tx)
                .await?;
        }
        journal_changed(&mut tx, &self.user).await?;
        tx.commit().await?;
        Ok(())
    }
}

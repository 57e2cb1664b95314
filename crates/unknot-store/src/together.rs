//! Reads that one use case always needs together, in one round trip each.
//!
//! On the clinic server every statement is a round trip to PostgreSQL, and under load the
//! database's share of the work is mostly the cost of each statement, not the rows: a profile of
//! `/api/v1/today` put half of the machine in PostgreSQL for queries of a tenth of a millisecond
//! each (docs/PERFORMANCE.md, "Fewer round trips"). So the safety net's two reads and Today's
//! three are each one `UNION ALL` statement whose rows are told apart by a first column, `part`.
//! Both engines run the same text apart from the entry list, which each builds its own way.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use sqlx::Row;
use unknot_core::adapt::SessionRecord;
use unknot_core::journal::Entry;
use unknot_core::today::SessionStatus;

use crate::codec;
use crate::error::StoreError;
use crate::journal::{LIST_POSTGRES, LIST_SQLITE, SIGN_FILTER};
use crate::open::{Engine, Store};
use crate::plans::{StoredPlan, from_json, session_status};

/// What may carry a warning sign since a time: the entries and sessions the safety net reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Signs {
    /// Entries whose details may name a warning sign (see `SIGN_FILTER`), oldest first: every
    /// entry `unknot_core::signs::from_entries` would act on is among them.
    pub entries: Vec<Entry>,
    /// Sessions whose feedback reported a warning sign, oldest first. The body names
    /// `warning_signs` only when there is one (it is left out when empty).
    pub sessions: Vec<SessionRecord>,
}

/// What Today reads besides the assessments: the plan, recent sessions and days with entries.
#[derive(Debug, Clone, PartialEq)]
pub struct TodayRecords {
    /// The newest plan version, if any.
    pub plan: Option<StoredPlan>,
    /// How each session since the time went, oldest first.
    pub sessions: Vec<SessionStatus>,
    /// The local dates (in the zone asked for) with at least one entry since the time, in order.
    pub journal_days: Vec<Date>,
}

/// The sessions' half of the safety net's read; `$1` the user, `$2` the time.
const SIGN_SESSIONS: &str = " UNION ALL SELECT 's', id, at_ms, body FROM sessions \
    WHERE user_id = $1 AND at_ms >= $2 AND body LIKE '%\"warning_signs\"%'";

/// Today's read; `$1` the user, `$2` the time. The plan's subquery keeps its own `ORDER BY`
/// and `LIMIT` (a compound statement's arms may not carry them in SQLite). The entries' times
/// come as one comma-separated list (a year of them is several hundred rows otherwise).
const TODAY: &str = "SELECT 'p' AS part, id, CAST(0 AS BIGINT) AS at_ms, body FROM \
    (SELECT id, body FROM plans WHERE user_id = $1 ORDER BY version DESC LIMIT 1) AS latest \
    UNION ALL SELECT 's', id, at_ms, body FROM sessions WHERE user_id = $1 AND at_ms >= $2 \
    UNION ALL SELECT 'e', '', CAST(0 AS BIGINT), ";

/// The entries' times since `$2` as text, each engine's way.
const TIMES_SQLITE: &str =
    "COALESCE(group_concat(at_ms, ','), '') FROM entries WHERE user_id = $1 AND at_ms >= $2";
const TIMES_POSTGRES: &str = "COALESCE(string_agg(CAST(at_ms AS TEXT), ','), '') FROM entries \
    WHERE user_id = $1 AND at_ms >= $2";

impl Store {
    /// The entries and sessions at or after `since` that may carry a warning sign, in one
    /// statement. Entries and sessions outside this set cannot change what the safety net finds.
    pub async fn signs_since(&self, since: Timestamp) -> Result<Signs, StoreError> {
        let list = match self.engine {
            Engine::Sqlite => LIST_SQLITE,
            Engine::Postgres => LIST_POSTGRES,
        };
        // Built from constants only: no input reaches the text. The entries come as one JSON
        // list (the journal's usual read) in the first row.
        let sql = format!(
            "SELECT 'e' AS part, '' AS id, CAST(0 AS BIGINT) AS at_ms, ({list}{SIGN_FILTER}) AS body\
             {SIGN_SESSIONS}"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(&self.user)
            .bind(since.as_millisecond())
            .bind(i64::MAX)
            .fetch_all(&self.pool)
            .await?;
        let mut entries = Vec::new();
        let mut sessions = Vec::new();
        for r in &rows {
            let part: String = r.try_get(0)?;
            let id: String = r.try_get(1)?;
            let body: String = r.try_get(3)?;
            if part == "e" {
                entries = codec::decode_list(&body)?;
            } else {
                let at: i64 = r.try_get(2)?;
                sessions.push((at, id.clone(), from_json::<SessionRecord>(&id, &body)?));
            }
        }
        entries.sort_by(|a, b| (a.at.timestamp(), &a.id).cmp(&(b.at.timestamp(), &b.id)));
        sessions.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        Ok(Signs {
            entries,
            sessions: sessions.into_iter().map(|(_, _, s)| s).collect(),
        })
    }

    /// The newest plan, how each session at or after `since` went, and the dates in `zone`
    /// with an entry since then, in one statement.
    pub async fn today_records(
        &self,
        since: Timestamp,
        zone: &TimeZone,
    ) -> Result<TodayRecords, StoreError> {
        let times = match self.engine {
            Engine::Sqlite => TIMES_SQLITE,
            Engine::Postgres => TIMES_POSTGRES,
        };
        // Built from constants only: no input reaches the text.
        let sql = format!("{TODAY}{times}");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(&self.user)
            .bind(since.as_millisecond())
            .fetch_all(&self.pool)
            .await?;
        let mut plan = None;
        let mut sessions = Vec::new();
        let mut entry_times = Vec::new();
        for r in &rows {
            let part: String = r.try_get(0)?;
            match part.as_str() {
                "e" => entry_times = times_of(r.try_get(3)?)?,
                "s" => {
                    let id: String = r.try_get(1)?;
                    let at: i64 = r.try_get(2)?;
                    sessions.push((id.clone(), session_status(&id, at, r.try_get(3)?)?));
                }
                _ => {
                    let id: String = r.try_get(1)?;
                    plan = Some(from_json::<StoredPlan>(&id, r.try_get(3)?)?);
                }
            }
        }
        sessions.sort_by(|a, b| (a.1.at, &a.0).cmp(&(b.1.at, &b.0)));
        Ok(TodayRecords {
            plan,
            sessions: sessions.into_iter().map(|(_, s)| s).collect(),
            journal_days: days_of(entry_times, zone),
        })
    }
}

/// The instants of a comma-separated list of milliseconds.
fn times_of(list: &str) -> Result<Vec<i64>, StoreError> {
    list.split(',')
        .filter(|t| !t.is_empty())
        .map(|t| {
            t.parse().map_err(|_| StoreError::Corrupt {
                id: "entries".into(),
                reason: format!("'{t}' is not a time in milliseconds"),
            })
        })
        .collect()
}

/// The distinct local dates of these instants, in order (an instant out of range is skipped).
fn days_of(mut times: Vec<i64>, zone: &TimeZone) -> Vec<Date> {
    times.sort_unstable();
    let mut days: Vec<Date> = times
        .into_iter()
        .filter_map(|ms| Timestamp::from_millisecond(ms).ok())
        .map(|t| t.to_zoned(zone.clone()).date())
        .collect();
    days.dedup();
    days
}

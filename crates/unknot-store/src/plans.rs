//! Assessments, versioned plans and sessions: core types stored as JSON documents, with the
//! columns queries filter on (user, time, version) beside them.

use jiff::Timestamp;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::Row;
use unknot_core::adapt::SessionRecord;
use unknot_core::intake::{Assessment, AssessmentKind};
use unknot_core::planner::Plan;
pub use unknot_core::planner::StoredPlan;
use unknot_core::remind::BreakRecord;

use crate::codec::zone_name;
use crate::error::StoreError;
use crate::open::Store;

fn to_json<T: Serialize>(id: &str, value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt {
        id: id.to_string(),
        reason: e.to_string(),
    })
}

fn from_json<T: DeserializeOwned>(id: &str, text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt {
        id: id.to_string(),
        reason: e.to_string(),
    })
}

fn kind_id(kind: AssessmentKind) -> &'static str {
    match kind {
        AssessmentKind::Intake => "intake",
        AssessmentKind::Checkin => "checkin",
    }
}

impl Store {
    /// Records an assessment (intake or check-in).
    pub async fn save_assessment(&self, a: &Assessment) -> Result<(), StoreError> {
        insert_assessment(&self.pool, &self.user, a, INSERT_ASSESSMENT).await?;
        Ok(())
    }

    /// Every assessment, oldest first.
    pub async fn assessments(&self) -> Result<Vec<Assessment>, StoreError> {
        let rows =
            sqlx::query("SELECT id, body FROM assessments WHERE user_id = $1 ORDER BY at_ms, id")
                .bind(&self.user)
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| {
                let id: String = r.try_get(0)?;
                let body: String = r.try_get(1)?;
                from_json(&id, &body)
            })
            .collect()
    }

    /// Stores a plan version. Versions are unique per user: saving one twice is an error.
    pub async fn save_plan(&self, plan: &Plan, created: Timestamp) -> Result<(), StoreError> {
        let stored = StoredPlan {
            created,
            plan: plan.clone(),
        };
        insert_plan(&self.pool, &self.user, &stored, INSERT_PLAN).await?;
        Ok(())
    }

    /// Every plan version, oldest first.
    pub async fn plans(&self) -> Result<Vec<StoredPlan>, StoreError> {
        let rows = sqlx::query("SELECT id, body FROM plans WHERE user_id = $1 ORDER BY version")
            .bind(&self.user)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let id: String = r.try_get(0)?;
                let body: String = r.try_get(1)?;
                from_json(&id, &body)
            })
            .collect()
    }

    /// Records a session.
    pub async fn save_session(&self, s: &SessionRecord) -> Result<(), StoreError> {
        insert_session(&self.pool, &self.user, s, INSERT_SESSION).await?;
        Ok(())
    }

    /// Records a guided session and, when given, the journal entry made for it, in one
    /// transaction: both are stored, or neither.
    pub async fn save_session_with_entry(
        &self,
        s: &SessionRecord,
        entry: Option<&unknot_core::journal::Entry>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        insert_session(&mut *tx, &self.user, s, INSERT_SESSION).await?;
        if let Some(e) = entry {
            crate::journal::insert_entry_in(&mut tx, &self.user, e).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Records a break.
    pub async fn save_break(&self, b: &BreakRecord) -> Result<(), StoreError> {
        insert_break(&self.pool, &self.user, b, INSERT_BREAK).await?;
        Ok(())
    }

    /// Breaks at or after `since`, oldest first.
    pub async fn breaks_since(&self, since: Timestamp) -> Result<Vec<BreakRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, body FROM breaks WHERE user_id = $1 AND at_ms >= $2 ORDER BY at_ms, id",
        )
        .bind(&self.user)
        .bind(since.as_millisecond())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let id: String = r.try_get(0)?;
                let body: String = r.try_get(1)?;
                from_json(&id, &body)
            })
            .collect()
    }

    /// Every session, oldest first.
    pub async fn sessions(&self) -> Result<Vec<SessionRecord>, StoreError> {
        self.sessions_since(Timestamp::MIN).await
    }

    /// Sessions at or after `since`, oldest first.
    pub async fn sessions_since(&self, since: Timestamp) -> Result<Vec<SessionRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, body FROM sessions WHERE user_id = $1 AND at_ms >= $2 ORDER BY at_ms, id",
        )
        .bind(&self.user)
        .bind(since.as_millisecond())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let id: String = r.try_get(0)?;
                let body: String = r.try_get(1)?;
                from_json(&id, &body)
            })
            .collect()
    }
}

const INSERT_ASSESSMENT: &str = "INSERT INTO assessments (id, user_id, kind, at_ms, time_zone, body) VALUES ($1, $2, $3, $4, $5, $6)";
const IMPORT_ASSESSMENT: &str = "INSERT INTO assessments (id, user_id, kind, at_ms, time_zone, body) \
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING";
const INSERT_PLAN: &str =
    "INSERT INTO plans (id, user_id, version, created_at_ms, body) VALUES ($1, $2, $3, $4, $5)";
const IMPORT_PLAN: &str = "INSERT INTO plans (id, user_id, version, created_at_ms, body) \
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING";
const INSERT_SESSION: &str =
    "INSERT INTO sessions (id, user_id, at_ms, time_zone, body) VALUES ($1, $2, $3, $4, $5)";
const IMPORT_SESSION: &str = "INSERT INTO sessions (id, user_id, at_ms, time_zone, body) \
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING";

const INSERT_BREAK: &str = "INSERT INTO breaks (id, user_id, at_ms, time_zone, status, body) VALUES ($1, $2, $3, $4, $5, $6)";
const IMPORT_BREAK: &str = "INSERT INTO breaks (id, user_id, at_ms, time_zone, status, body) \
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING";

async fn insert_break<'e, E>(
    ex: E,
    user: &str,
    b: &BreakRecord,
    sql: &'static str,
) -> Result<u64, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let ts = b.at.timestamp();
    let status = serde_json::to_value(b.status)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default();
    let done = sqlx::query(sql)
        .bind(&b.id)
        .bind(user)
        .bind(ts.as_millisecond())
        .bind(zone_name(b.at.time_zone(), ts))
        .bind(status)
        .bind(to_json(&b.id, b)?)
        .execute(ex)
        .await?;
    Ok(done.rows_affected())
}

async fn insert_assessment<'e, E>(
    ex: E,
    user: &str,
    a: &Assessment,
    sql: &'static str,
) -> Result<u64, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let ts = a.at.timestamp();
    let done = sqlx::query(sql)
        .bind(&a.id)
        .bind(user)
        .bind(kind_id(a.kind))
        .bind(ts.as_millisecond())
        .bind(zone_name(a.at.time_zone(), ts))
        .bind(to_json(&a.id, a)?)
        .execute(ex)
        .await?;
    Ok(done.rows_affected())
}

async fn insert_plan<'e, E>(
    ex: E,
    user: &str,
    p: &StoredPlan,
    sql: &'static str,
) -> Result<u64, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let id = crate::new_id();
    let done = sqlx::query(sql)
        .bind(&id)
        .bind(user)
        .bind(i64::from(p.plan.version))
        .bind(p.created.as_millisecond())
        .bind(to_json(&id, p)?)
        .execute(ex)
        .await?;
    Ok(done.rows_affected())
}

async fn insert_session<'e, E>(
    ex: E,
    user: &str,
    s: &SessionRecord,
    sql: &'static str,
) -> Result<u64, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let ts = s.at.timestamp();
    let done = sqlx::query(sql)
        .bind(&s.id)
        .bind(user)
        .bind(ts.as_millisecond())
        .bind(zone_name(s.at.time_zone(), ts))
        .bind(to_json(&s.id, s)?)
        .execute(ex)
        .await?;
    Ok(done.rows_affected())
}

/// Inserts a backup's assessments, plan versions and sessions inside a transaction. Records
/// already present (same id, or same plan version) are left as they are, so importing a backup
/// twice changes nothing. Returns how many were added.
pub(crate) async fn insert_documents(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user: &str,
    extras: &unknot_core::backup::Extras,
) -> Result<usize, StoreError> {
    let mut added = 0;
    for a in &extras.assessments {
        added += insert_assessment(&mut **tx, user, a, IMPORT_ASSESSMENT).await?;
    }
    for p in &extras.plans {
        added += insert_plan(&mut **tx, user, p, IMPORT_PLAN).await?;
    }
    for s in &extras.sessions {
        added += insert_session(&mut **tx, user, s, IMPORT_SESSION).await?;
    }
    for b in &extras.breaks {
        added += insert_break(&mut **tx, user, b, IMPORT_BREAK).await?;
    }
    Ok(usize::try_from(added).unwrap_or(usize::MAX))
}

impl Store {
    /// The user's preferences, or the defaults when none were saved.
    pub async fn settings(&self) -> Result<unknot_core::settings::Settings, StoreError> {
        let row = sqlx::query("SELECT body FROM settings WHERE user_id = $1")
            .bind(&self.user)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(r) => from_json("settings", &r.try_get::<String, _>(0)?),
            None => Ok(unknot_core::settings::Settings::default()),
        }
    }

    /// Saves the user's preferences (checked by the caller with `Settings::check`).
    pub async fn save_settings(
        &self,
        settings: &unknot_core::settings::Settings,
    ) -> Result<(), StoreError> {
        let body = to_json("settings", settings)?;
        sqlx::query(
            "INSERT INTO settings (user_id, body, updated_at_ms) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id) DO UPDATE SET body = excluded.body, \
             updated_at_ms = excluded.updated_at_ms",
        )
        .bind(&self.user)
        .bind(body)
        .bind(Timestamp::now().as_millisecond())
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

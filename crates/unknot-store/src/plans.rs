//! Assessments, versioned plans, sessions and breaks: core types stored as JSON documents, with
//! the columns queries filter on (user, time, kind, version) beside them. One [`Document`]
//! trait says which table and columns each uses; one generic insert and one generic read serve
//! them all.

use jiff::Timestamp;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::Row;
use unknot_core::adapt::{ItemStatus, SessionRecord};
use unknot_core::intake::{Assessment, AssessmentKind};
use unknot_core::planner::Plan;
pub use unknot_core::planner::StoredPlan;
use unknot_core::remind::BreakRecord;
use unknot_core::today::{Completion, SessionStatus};

use crate::changes::journal_changed;
use crate::codec::zone_name;
use crate::error::StoreError;
use crate::journal::Inserted;
use crate::open::Store;
use crate::summaries::assessments_changed;

fn to_json<T: Serialize>(id: &str, value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt {
        id: id.to_string(),
        reason: e.to_string(),
    })
}

pub(crate) fn from_json<T: DeserializeOwned>(id: &str, text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt {
        id: id.to_string(),
        reason: e.to_string(),
    })
}

/// A column value beside the JSON body.
enum Column {
    Int(i64),
    Text(String),
}

/// A core record kept as a JSON document in its own table.
trait Document: Serialize + DeserializeOwned {
    /// The table.
    const TABLE: &'static str;
    /// The columns after `id` and `user_id` and before `body`.
    const COLUMNS: &'static [&'static str];
    /// How reads order the rows.
    const ORDER: &'static str;
    /// The row's id (a fresh one for records that carry none).
    fn row_id(&self) -> String;
    /// The values of [`Document::COLUMNS`], in order.
    fn columns(&self) -> Vec<Column>;
}

fn when(at: &jiff::Zoned) -> [Column; 2] {
    let ts = at.timestamp();
    [
        Column::Int(ts.as_millisecond()),
        Column::Text(zone_name(at.time_zone(), ts)),
    ]
}

impl Document for Assessment {
    const TABLE: &'static str = "assessments";
    const COLUMNS: &'static [&'static str] = &["kind", "at_ms", "time_zone"];
    const ORDER: &'static str = "at_ms, id";
    fn row_id(&self) -> String {
        self.id.clone()
    }
    fn columns(&self) -> Vec<Column> {
        let kind = match self.kind {
            AssessmentKind::Intake => "intake",
            AssessmentKind::Checkin => "checkin",
        };
        let mut out = vec![Column::Text(kind.into())];
        out.extend(when(&self.at));
        out
    }
}

impl Document for StoredPlan {
    const TABLE: &'static str = "plans";
    const COLUMNS: &'static [&'static str] = &["version", "created_at_ms"];
    const ORDER: &'static str = "version";
    fn row_id(&self) -> String {
        crate::new_id()
    }
    fn columns(&self) -> Vec<Column> {
        vec![
            Column::Int(i64::from(self.plan.version)),
            Column::Int(self.created.as_millisecond()),
        ]
    }
}

impl Document for SessionRecord {
    const TABLE: &'static str = "sessions";
    const COLUMNS: &'static [&'static str] = &["at_ms", "time_zone"];
    const ORDER: &'static str = "at_ms, id";
    fn row_id(&self) -> String {
        self.id.clone()
    }
    fn columns(&self) -> Vec<Column> {
        when(&self.at).into()
    }
}

impl Document for BreakRecord {
    const TABLE: &'static str = "breaks";
    const COLUMNS: &'static [&'static str] = &["at_ms", "time_zone", "status"];
    const ORDER: &'static str = "at_ms, id";
    fn row_id(&self) -> String {
        self.id.clone()
    }
    fn columns(&self) -> Vec<Column> {
        let status = serde_json::to_value(self.status)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default();
        let mut out: Vec<Column> = when(&self.at).into();
        out.push(Column::Text(status));
        out
    }
}

/// Inserts one document. With `keep_existing`, a row already there (same id, or same plan
/// version) is left as it is and 0 is returned, so importing twice changes nothing.
async fn insert<'e, D, E>(
    ex: E,
    user: &str,
    doc: &D,
    keep_existing: bool,
) -> Result<u64, StoreError>
where
    D: Document,
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let names = D::COLUMNS.join(", ");
    let sql = format!(
        "INSERT INTO {} (id, user_id, {names}, body) VALUES ($1, $2, {}){}",
        D::TABLE,
        crate::placeholders(3, D::COLUMNS.len() + 1),
        if keep_existing {
            " ON CONFLICT DO NOTHING"
        } else {
            ""
        }
    );
    let id = doc.row_id();
    // Built only from the type's constant table and column names: no input reaches the text.
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.clone())
        .bind(user.to_string());
    for c in doc.columns() {
        q = match c {
            Column::Int(v) => q.bind(v),
            Column::Text(v) => q.bind(v),
        };
    }
    let done = q.bind(to_json(&id, doc)?).execute(ex).await?;
    Ok(done.rows_affected())
}

impl Store {
    /// Every document of a kind for this user, in its table's order, from `since` on when the
    /// table has times.
    async fn documents<D: Document>(&self, since: Option<Timestamp>) -> Result<Vec<D>, StoreError> {
        let filter = if since.is_some() {
            " AND at_ms >= $2"
        } else {
            ""
        };
        let sql = format!(
            "SELECT id, body FROM {} WHERE user_id = $1{filter} ORDER BY {}",
            D::TABLE,
            D::ORDER
        );
        // Built only from the type's constant table and order: no input reaches the text.
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(&self.user);
        if let Some(t) = since {
            q = q.bind(t.as_millisecond());
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                let id: String = r.try_get(0)?;
                let body: String = r.try_get(1)?;
                from_json(&id, &body)
            })
            .collect()
    }

    /// Records an assessment (intake or check-in).
    pub async fn save_assessment(&self, a: &Assessment) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        insert(&mut *tx, &self.user, a, false).await?;
        assessments_changed(&mut tx, &self.user).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a check-in whose id the client made, unless a record with that id exists: then
    /// nothing is written, and this person's assessment with that id is returned as stored
    /// (another person's is only reported as taken, with nothing of it). One transaction,
    /// atomic on both engines, so a retried or doubled request stores it once.
    pub async fn insert_assessment_if_absent(
        &self,
        a: &Assessment,
    ) -> Result<Inserted<Assessment>, StoreError> {
        let mut tx = self.write_tx().await?;
        if insert(&mut *tx, &self.user, a, true).await? > 0 {
            assessments_changed(&mut tx, &self.user).await?;
            tx.commit().await?;
            return Ok(Inserted::Added);
        }
        let row = sqlx::query("SELECT user_id, body FROM assessments WHERE id = $1")
            .bind(&a.id)
            .fetch_optional(&mut *tx)
            .await?;
        tx.commit().await?;
        let Some(row) = row else {
            return Ok(Inserted::Taken);
        };
        let owner: String = row.try_get(0)?;
        if owner != self.user {
            return Ok(Inserted::Taken);
        }
        Ok(Inserted::Existing(from_json(
            &a.id,
            &row.try_get::<String, _>(1)?,
        )?))
    }

    /// Every assessment, oldest first.
    pub async fn assessments(&self) -> Result<Vec<Assessment>, StoreError> {
        self.documents(None).await
    }

    /// The assessments at or after `since`, oldest first.
    pub async fn assessments_since(&self, since: Timestamp) -> Result<Vec<Assessment>, StoreError> {
        self.documents(Some(since)).await
    }

    /// Stores a plan version. Versions are unique per user: saving one twice is an error.
    pub async fn save_plan(&self, plan: &Plan, created: Timestamp) -> Result<(), StoreError> {
        let stored = StoredPlan {
            created,
            plan: plan.clone(),
        };
        insert(&self.pool, &self.user, &stored, false).await?;
        Ok(())
    }

    /// Every plan version, oldest first.
    pub async fn plans(&self) -> Result<Vec<StoredPlan>, StoreError> {
        self.documents(None).await
    }

    /// The newest plan version, if any: Today and the plan page read only this, and a year of
    /// weekly reviews makes fifty versions.
    pub async fn latest_plan(&self) -> Result<Option<StoredPlan>, StoreError> {
        let row = sqlx::query(
            "SELECT id, body FROM plans WHERE user_id = $1 ORDER BY version DESC LIMIT 1",
        )
        .bind(&self.user)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            let id: String = r.try_get(0)?;
            from_json(&id, &r.try_get::<String, _>(1)?)
        })
        .transpose()
    }

    /// Records a session.
    pub async fn save_session(&self, s: &SessionRecord) -> Result<(), StoreError> {
        self.counted_write(async |c| {
            insert(c, &self.user, s, false).await?;
            Ok(())
        })
        .await
    }

    /// Records a guided session and, when given, the journal entry made for it, in one
    /// transaction: both are stored, or neither.
    pub async fn save_session_with_entry(
        &self,
        s: &SessionRecord,
        entry: Option<&unknot_core::journal::Entry>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        insert(&mut *tx, &self.user, s, false).await?;
        if let Some(e) = entry {
            crate::journal::insert_entry_in(&mut tx, &self.user, e).await?;
        }
        journal_changed(&mut tx, &self.user).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a guided session and its journal entry like [`Store::save_session_with_entry`],
    /// unless a session with its id exists: then nothing is written, and this person's session
    /// with that id (and the entry with `entry`'s id, if any) is returned as stored. If the
    /// entry's id alone is taken, nothing is written either. One transaction, atomic on both
    /// engines, so a retried or doubled request stores the session once.
    pub async fn save_session_with_entry_if_absent(
        &self,
        s: &SessionRecord,
        entry: Option<&unknot_core::journal::Entry>,
    ) -> Result<Inserted<(SessionRecord, Option<unknot_core::journal::Entry>)>, StoreError> {
        let mut tx = self.write_tx().await?;
        if insert(&mut *tx, &self.user, s, true).await? == 0 {
            let row = sqlx::query("SELECT user_id, body FROM sessions WHERE id = $1")
                .bind(&s.id)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(row) = row else {
                return Ok(Inserted::Taken);
            };
            let owner: String = row.try_get(0)?;
            if owner != self.user {
                return Ok(Inserted::Taken);
            }
            let old: SessionRecord = from_json(&s.id, &row.try_get::<String, _>(1)?)?;
            let old_entry = match entry {
                Some(e) => crate::journal::entry_in(&mut tx, &self.user, &e.id).await?,
                None => None,
            };
            tx.commit().await?;
            return Ok(Inserted::Existing((old, old_entry)));
        }
        if let Some(e) = entry {
            let found = crate::journal::insert_entry_if_absent_in(&mut tx, &self.user, e).await?;
            if found != Inserted::Added {
                // The session is new but its entry's id is not: keep neither.
                tx.rollback().await?;
                return Ok(Inserted::Taken);
            }
        }
        journal_changed(&mut tx, &self.user).await?;
        tx.commit().await?;
        Ok(Inserted::Added)
    }

    /// Records a break.
    pub async fn save_break(&self, b: &BreakRecord) -> Result<(), StoreError> {
        insert(&self.pool, &self.user, b, false).await?;
        Ok(())
    }

    /// Breaks at or after `since`, oldest first.
    pub async fn breaks_since(&self, since: Timestamp) -> Result<Vec<BreakRecord>, StoreError> {
        self.documents(Some(since)).await
    }

    /// Every session, oldest first.
    pub async fn sessions(&self) -> Result<Vec<SessionRecord>, StoreError> {
        self.documents(None).await
    }

    /// Sessions at or after `since`, oldest first.
    pub async fn sessions_since(&self, since: Timestamp) -> Result<Vec<SessionRecord>, StoreError> {
        self.documents(Some(since)).await
    }
}

/// How a stored session went, from its start and body, without building the session: only
/// each exercise's status and seconds are decoded (Today reads a year of sessions on every
/// view).
pub(crate) fn session_status(
    id: &str,
    at_ms: i64,
    body: &str,
) -> Result<SessionStatus, StoreError> {
    let body: Outcomes = from_json(id, body)?;
    let at = Timestamp::from_millisecond(at_ms).map_err(|e| StoreError::Corrupt {
        id: id.to_string(),
        reason: e.to_string(),
    })?;
    Ok(SessionStatus {
        at,
        completion: Completion::of_parts(body.items.iter().map(|i| (i.status, i.seconds))),
    })
}

/// The part of a session's body its status needs; every other field is skipped, not built.
#[derive(serde::Deserialize)]
struct Outcomes {
    items: Vec<Outcome>,
}

#[derive(serde::Deserialize)]
struct Outcome {
    status: ItemStatus,
    seconds: u32,
}

/// Inserts a backup's assessments, plan versions, sessions and breaks inside a transaction.
/// Records already present (same id, or same plan version) are left as they are, so importing
/// a backup twice changes nothing. Returns how many were added.
pub(crate) async fn insert_documents(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user: &str,
    extras: &unknot_core::backup::Extras,
) -> Result<usize, StoreError> {
    let assessments = insert_new(tx, user, &extras.assessments).await?;
    if assessments > 0 {
        assessments_changed(tx, user).await?;
    }
    let added = assessments
        + insert_new(tx, user, &extras.plans).await?
        + insert_new(tx, user, &extras.sessions).await?
        + insert_new(tx, user, &extras.breaks).await?;
    Ok(usize::try_from(added).unwrap_or(usize::MAX))
}

/// Inserts every document of one kind that is not there yet; returns how many were added.
async fn insert_new<D: Document>(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user: &str,
    docs: &[D],
) -> Result<u64, StoreError> {
    let mut added = 0;
    for doc in docs {
        added += insert(&mut **tx, user, doc, true).await?;
    }
    Ok(added)
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
        self.counted_write(async |c| {
            sqlx::query(
                "INSERT INTO settings (user_id, body, updated_at_ms) VALUES ($1, $2, $3) \
                 ON CONFLICT (user_id) DO UPDATE SET body = excluded.body, \
                 updated_at_ms = excluded.updated_at_ms",
            )
            .bind(&self.user)
            .bind(body)
            .bind(Timestamp::now().as_millisecond())
            .execute(c)
            .await?;
            Ok(())
        })
        .await
    }
}

//! The audit log: appended under a lock so the chain stays in order with several servers, and
//! never updated or deleted.

use sqlx::Row;
use sqlx::any::AnyRow;
use unknot_core::clinic::audit::{self, Event, Record};

use crate::error::StoreError;
use crate::open::{Engine, Store};

/// The PostgreSQL advisory lock that orders appends (SQLite's write lock does on its own).
const AUDIT_LOCK: i64 = 0x756e_6b6e_6f74;

/// Rows per insert statement: 11 parameters each, well under either engine's limit.
const INSERT_ROWS: usize = 64;

/// Inserts `records` in one statement.
async fn insert(conn: &mut sqlx::AnyConnection, records: &[Record]) -> Result<(), StoreError> {
    let rows: Vec<String> = (0..records.len())
        .map(|i| format!("({})", crate::placeholders(i * 11 + 1, 11)))
        .collect();
    let sql = format!(
        "INSERT INTO audit_log (seq, at_ms, actor, clinic_id, patient_id, action, target, \
         address, outcome, prev_hash, hash) VALUES {}",
        rows.join(", ")
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for r in records {
        let e = &r.event;
        q = q
            .bind(e.seq)
            .bind(e.at_ms)
            .bind(e.actor.clone())
            .bind(e.clinic.clone())
            .bind(e.patient.clone())
            .bind(e.action.clone())
            .bind(e.target.clone())
            .bind(e.address.clone())
            .bind(e.outcome.clone())
            .bind(r.prev_hash.clone())
            .bind(r.hash.clone());
    }
    q.execute(conn).await?;
    Ok(())
}

fn record(row: &AnyRow) -> Result<Record, StoreError> {
    Ok(Record {
        event: Event {
            seq: row.try_get("seq")?,
            at_ms: row.try_get("at_ms")?,
            actor: row.try_get("actor")?,
            clinic: row.try_get("clinic_id")?,
            patient: row.try_get("patient_id")?,
            action: row.try_get("action")?,
            target: row.try_get("target")?,
            address: row.try_get("address")?,
            outcome: row.try_get("outcome")?,
        },
        prev_hash: row.try_get("prev_hash")?,
        hash: row.try_get("hash")?,
    })
}

impl Store {
    /// Appends an event to the chain and returns the stored record.
    pub async fn append_audit(&self, event: Event) -> Result<Record, StoreError> {
        let mut records = self.append_audits(vec![event]).await?;
        records.pop().ok_or_else(|| StoreError::Corrupt {
            id: "audit log".into(),
            reason: "an append stored nothing".into(),
        })
    }

    /// Appends events to the chain in the order given, in one transaction (one turn of the
    /// lock and one commit for all), and returns the stored records.
    pub async fn append_audits(&self, events: Vec<Event>) -> Result<Vec<Record>, StoreError> {
        let mut tx = self.write_tx().await?;
        if self.engine == Engine::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(AUDIT_LOCK)
                .execute(&mut *tx)
                .await?;
        }
        let last = sqlx::query("SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut *tx)
            .await?;
        let mut prev = last.as_ref().map(record).transpose()?;
        let mut records = Vec::with_capacity(events.len());
        for event in events {
            let r = audit::append(prev.as_ref(), event);
            prev = Some(r.clone());
            records.push(r);
        }
        for chunk in records.chunks(INSERT_ROWS) {
            insert(&mut tx, chunk).await?;
        }
        tx.commit().await?;
        Ok(records)
    }

    /// The whole chain, oldest first (for verifying and exporting).
    pub async fn audit_log(&self) -> Result<Vec<Record>, StoreError> {
        let rows = sqlx::query("SELECT * FROM audit_log ORDER BY seq")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(record).collect()
    }

    /// Records about one patient, newest first, at most `limit`, without the patient's own
    /// journal writes (their access log is about who else looked).
    pub async fn audit_of_patient(
        &self,
        patient_id: &str,
        limit: i64,
    ) -> Result<Vec<Record>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM audit_log WHERE patient_id = $1 \
                 AND NOT (actor = $1 AND action = 'write') ORDER BY seq DESC LIMIT $2",
        )
        .bind(patient_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(record).collect()
    }

    /// Records of one clinic, newest first, at most `limit`.
    pub async fn audit_of_clinic(
        &self,
        clinic_id: &str,
        limit: i64,
    ) -> Result<Vec<Record>, StoreError> {
        let rows =
            sqlx::query("SELECT * FROM audit_log WHERE clinic_id = $1 ORDER BY seq DESC LIMIT $2")
                .bind(clinic_id)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(record).collect()
    }
}

//! The audit log: appended under a lock so the chain stays in order with several servers, and
//! never updated or deleted.

use sqlx::Row;
use sqlx::any::AnyRow;
use unknot_core::clinic::audit::{self, Event, Record};

use crate::error::StoreError;
use crate::open::{Engine, Store};

/// The PostgreSQL advisory lock that orders appends (SQLite's write lock does on its own).
const AUDIT_LOCK: i64 = 0x756e_6b6e_6f74;

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
        let last = last.as_ref().map(record).transpose()?;
        let r = audit::append(last.as_ref(), event);
        let e = &r.event;
        sqlx::query(
            "INSERT INTO audit_log (seq, at_ms, actor, clinic_id, patient_id, action, target, \
             address, outcome, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(e.seq)
        .bind(e.at_ms)
        .bind(&e.actor)
        .bind(&e.clinic)
        .bind(&e.patient)
        .bind(&e.action)
        .bind(&e.target)
        .bind(&e.address)
        .bind(&e.outcome)
        .bind(&r.prev_hash)
        .bind(&r.hash)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(r)
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

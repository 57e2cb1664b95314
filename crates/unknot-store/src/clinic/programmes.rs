//! Programmes and templates with their versions, messages, questionnaire schedules and
//! answers marked as errors.

use std::collections::HashMap;

use jiff::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;
use unknot_core::clinic::model::{Message, Programme, ProgrammeKind, ProgrammeVersion};
use unknot_core::clinic::questionnaires::QuestionnairePlan;

use super::{instant, maybe_instant};
use crate::error::StoreError;
use crate::open::Store;

fn corrupt(what: &str, reason: impl ToString) -> StoreError {
    StoreError::Corrupt {
        id: what.to_string(),
        reason: reason.to_string(),
    }
}

fn programme(row: &AnyRow) -> Result<Programme, StoreError> {
    let kind: String = row.try_get("kind")?;
    Ok(Programme {
        id: row.try_get("id")?,
        clinic_id: row.try_get("clinic_id")?,
        patient_id: row.try_get("patient_id")?,
        owner_id: row.try_get("owner_id")?,
        kind: if kind == "template" {
            ProgrammeKind::Template
        } else {
            ProgrammeKind::Patient
        },
        active: row.try_get::<i64, _>("active")? != 0,
        version: u32::try_from(row.try_get::<i64, _>("version")?)
            .map_err(|e| corrupt("programme", e))?,
        created: instant(row.try_get("created_at_ms")?)?,
        changed: instant(row.try_get("changed_at_ms")?)?,
    })
}

fn version(row: &AnyRow) -> Result<ProgrammeVersion, StoreError> {
    let id: String = row.try_get("programme_id")?;
    let body: String = row.try_get("body")?;
    let changes: String = row.try_get("changes")?;
    Ok(ProgrammeVersion {
        version: u32::try_from(row.try_get::<i64, _>("version")?).map_err(|e| corrupt(&id, e))?,
        body: serde_json::from_str(&body).map_err(|e| corrupt(&id, e))?,
        changes: serde_json::from_str(&changes).map_err(|e| corrupt(&id, e))?,
        author_id: row.try_get("author_id")?,
        created: instant(row.try_get("created_at_ms")?)?,
        programme_id: id,
    })
}

fn message(row: &AnyRow) -> Result<Message, StoreError> {
    Ok(Message {
        id: row.try_get("id")?,
        care_id: row.try_get("care_id")?,
        clinic_id: row.try_get("clinic_id")?,
        patient_id: row.try_get("patient_id")?,
        sender_id: row.try_get("sender_id")?,
        from_patient: row.try_get::<i64, _>("from_patient")? != 0,
        body: row.try_get("body")?,
        at: instant(row.try_get("at_ms")?)?,
        read: maybe_instant(row, "read_at_ms")?,
    })
}

const PROGRAMME_COLUMNS: &str = "id, clinic_id, patient_id, owner_id, kind, active, version, \
     created_at_ms, changed_at_ms";

async fn insert_version_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    v: &ProgrammeVersion,
) -> Result<(), StoreError> {
    let body = serde_json::to_string(&v.body).map_err(|e| corrupt(&v.programme_id, e))?;
    let changes = serde_json::to_string(&v.changes).map_err(|e| corrupt(&v.programme_id, e))?;
    sqlx::query(
        "INSERT INTO programme_versions (programme_id, version, body, changes, author_id, \
         created_at_ms) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&v.programme_id)
    .bind(i64::from(v.version))
    .bind(body)
    .bind(changes)
    .bind(&v.author_id)
    .bind(v.created.as_millisecond())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// Stores a new programme or template with its first version, all or nothing. A new
    /// patient programme ends any other active one the patient has in the same clinic, in the
    /// same transaction, so a patient has one programme in force per clinic.
    pub async fn insert_programme(
        &self,
        p: &Programme,
        first: &ProgrammeVersion,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        if p.kind == ProgrammeKind::Patient {
            sqlx::query(
                "UPDATE programmes SET active = 0, changed_at_ms = $1 \
                 WHERE clinic_id = $2 AND patient_id = $3 AND kind = 'patient' AND active = 1",
            )
            .bind(p.created.as_millisecond())
            .bind(&p.clinic_id)
            .bind(&p.patient_id)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "INSERT INTO programmes (id, clinic_id, patient_id, owner_id, kind, active, version, \
             created_at_ms, changed_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&p.id)
        .bind(&p.clinic_id)
        .bind(&p.patient_id)
        .bind(&p.owner_id)
        .bind(match p.kind {
            ProgrammeKind::Patient => "patient",
            ProgrammeKind::Template => "template",
        })
        .bind(i64::from(p.active))
        .bind(i64::from(p.version))
        .bind(p.created.as_millisecond())
        .bind(p.changed.as_millisecond())
        .execute(&mut *tx)
        .await?;
        insert_version_in(&mut tx, first).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds the next version of a programme, only if its latest is still `v.version - 1` (two
    /// clinicians editing at once: the second is told, not silently overwritten). True when
    /// stored.
    pub async fn add_programme_version(&self, v: &ProgrammeVersion) -> Result<bool, StoreError> {
        let mut tx = self.write_tx().await?;
        let moved = sqlx::query(
            "UPDATE programmes SET version = $1, changed_at_ms = $2 \
             WHERE id = $3 AND version = $4 AND active = 1",
        )
        .bind(i64::from(v.version))
        .bind(v.created.as_millisecond())
        .bind(&v.programme_id)
        .bind(i64::from(v.version.saturating_sub(1)))
        .execute(&mut *tx)
        .await?;
        if moved.rows_affected() != 1 {
            return Ok(false);
        }
        insert_version_in(&mut tx, v).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Ends a programme (or removes a template from the lists); its versions stay.
    pub async fn end_programme(&self, id: &str, at: Timestamp) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE programmes SET active = 0, changed_at_ms = $1 WHERE id = $2 AND active = 1",
        )
        .bind(at.as_millisecond())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The versions asked for, as `(programme id, version)`, in no set order; any that do not
    /// exist are left out. One query for all of them (the dashboard asks for those it has not
    /// kept yet).
    pub async fn these_programme_versions(
        &self,
        wanted: &[(String, u32)],
    ) -> Result<Vec<ProgrammeVersion>, StoreError> {
        let mut out = Vec::new();
        for chunk in wanted.chunks(256) {
            let list = crate::placeholders(1, chunk.len());
            // A programme has few versions: all of them are read, the ones asked for kept.
            let sql = format!(
                "SELECT programme_id, version, body, changes, author_id, created_at_ms \
                 FROM programme_versions WHERE programme_id IN ({list})"
            );
            // Built from placeholder numbers only: the ids are bound.
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (id, _) in chunk {
                q = q.bind(id.clone());
            }
            for r in q.fetch_all(&self.pool).await? {
                let id: String = r.try_get("programme_id")?;
                let v: i64 = r.try_get("version")?;
                if chunk.iter().any(|(p, n)| *p == id && i64::from(*n) == v) {
                    out.push(version(&r)?);
                }
            }
        }
        Ok(out)
    }

    /// One programme.
    pub async fn programme(&self, id: &str) -> Result<Option<Programme>, StoreError> {
        let sql = format!("SELECT {PROGRAMME_COLUMNS} FROM programmes WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(programme).transpose()
    }

    /// A programme's versions, oldest first.
    pub async fn programme_versions(&self, id: &str) -> Result<Vec<ProgrammeVersion>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM programme_versions WHERE programme_id = $1 ORDER BY version",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(version).collect()
    }

    /// A programme's latest version.
    pub async fn programme_latest(&self, id: &str) -> Result<Option<ProgrammeVersion>, StoreError> {
        let row = sqlx::query(
            "SELECT v.* FROM programme_versions v JOIN programmes p ON p.id = v.programme_id \
             AND p.version = v.version WHERE p.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(version).transpose()
    }

    /// A patient's programmes in every clinic (active ones first, newest first).
    pub async fn programmes_of(&self, patient_id: &str) -> Result<Vec<Programme>, StoreError> {
        let sql = format!(
            "SELECT {PROGRAMME_COLUMNS} FROM programmes WHERE patient_id = $1 AND kind = 'patient' \
             ORDER BY active DESC, changed_at_ms DESC, id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(patient_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(programme).collect()
    }

    /// The active programmes of a clinic's patients with their latest versions (one query).
    pub async fn active_programmes_in(
        &self,
        clinic_id: &str,
    ) -> Result<Vec<(Programme, ProgrammeVersion)>, StoreError> {
        let sql = format!(
            "SELECT {}, v.programme_id, v.body, v.changes, v.author_id, \
             v.created_at_ms AS v_created FROM programmes p JOIN programme_versions v \
             ON v.programme_id = p.id AND v.version = p.version \
             WHERE p.clinic_id = $1 AND p.kind = 'patient' AND p.active = 1",
            PROGRAMME_COLUMNS
                .split(", ")
                .map(|c| format!("p.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(clinic_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let p = programme(r)?;
                let body: String = r.try_get("body")?;
                let changes: String = r.try_get("changes")?;
                let v = ProgrammeVersion {
                    programme_id: p.id.clone(),
                    version: p.version,
                    body: serde_json::from_str(&body).map_err(|e| corrupt(&p.id, e))?,
                    changes: serde_json::from_str(&changes).map_err(|e| corrupt(&p.id, e))?,
                    author_id: r.try_get("author_id")?,
                    created: instant(r.try_get("v_created")?)?,
                };
                Ok((p, v))
            })
            .collect()
    }

    /// The clinic's templates a clinician may use: the clinic-wide ones and their own.
    pub async fn templates(
        &self,
        clinic_id: &str,
        clinician_id: &str,
    ) -> Result<Vec<(Programme, ProgrammeVersion)>, StoreError> {
        let sql = format!(
            "SELECT {PROGRAMME_COLUMNS} FROM programmes WHERE clinic_id = $1 AND kind = 'template' \
             AND active = 1 AND (owner_id IS NULL OR owner_id = $2) ORDER BY created_at_ms, id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(clinic_id)
            .bind(clinician_id)
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::new();
        for p in rows.iter().map(programme) {
            let p = p?;
            if let Some(v) = self.programme_latest(&p.id).await? {
                out.push((p, v));
            }
        }
        Ok(out)
    }

    /// Stores a message.
    pub async fn insert_message(&self, m: &Message) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO messages (id, care_id, clinic_id, patient_id, sender_id, from_patient, \
             body, at_ms, read_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL)",
        )
        .bind(&m.id)
        .bind(&m.care_id)
        .bind(&m.clinic_id)
        .bind(&m.patient_id)
        .bind(&m.sender_id)
        .bind(i64::from(m.from_patient))
        .bind(&m.body)
        .bind(m.at.as_millisecond())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The messages of one care relationship, oldest first.
    pub async fn messages(&self, care_id: &str) -> Result<Vec<Message>, StoreError> {
        let rows = sqlx::query("SELECT * FROM messages WHERE care_id = $1 ORDER BY at_ms, id")
            .bind(care_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(message).collect()
    }

    /// Marks read the messages of a care relationship that the other side wrote (the patient's
    /// when `from_patient`, else the staff's).
    pub async fn mark_messages_read(
        &self,
        care_id: &str,
        from_patient: bool,
        at: Timestamp,
    ) -> Result<u64, StoreError> {
        let done = sqlx::query(
            "UPDATE messages SET read_at_ms = $1 WHERE care_id = $2 AND from_patient = $3 \
             AND read_at_ms IS NULL",
        )
        .bind(at.as_millisecond())
        .bind(care_id)
        .bind(i64::from(from_patient))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    /// Unread messages from patients in a clinic, by patient (one query, for the dashboard):
    /// from every patient, or only from those in `clinician`'s care when given.
    pub async fn unread_from_patients(
        &self,
        clinic_id: &str,
        clinician: Option<&str>,
    ) -> Result<HashMap<String, u32>, StoreError> {
        // Two statements rather than `($2 = '' OR …)`, which a generic plan cannot use an
        // index for (see `Store::caseload_patients`).
        const ALL: &str = "SELECT patient_id, COUNT(*) AS n FROM messages WHERE clinic_id = $1 \
             AND from_patient = 1 AND read_at_ms IS NULL GROUP BY patient_id";
        const CLINICIANS: &str = "SELECT patient_id, COUNT(*) AS n FROM messages \
             WHERE clinic_id = $1 AND from_patient = 1 AND read_at_ms IS NULL AND patient_id IN \
             (SELECT patient_id FROM care WHERE clinic_id = $1 AND clinician_id = $2) \
             GROUP BY patient_id";
        let query = match clinician {
            Some(c) => sqlx::query(CLINICIANS).bind(clinic_id).bind(c),
            None => sqlx::query(ALL).bind(clinic_id),
        };
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                let n: i64 = r.try_get("n")?;
                Ok((
                    r.try_get("patient_id")?,
                    u32::try_from(n).unwrap_or(u32::MAX),
                ))
            })
            .collect()
    }

    /// Unread messages from staff to a patient, in all their care relationships.
    pub async fn unread_for_patient(&self, patient_id: &str) -> Result<u32, StoreError> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM messages WHERE patient_id = $1 AND from_patient = 0 \
             AND read_at_ms IS NULL",
        )
        .bind(patient_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(u32::try_from(row.try_get::<i64, _>("n")?).unwrap_or(u32::MAX))
    }

    /// A care relationship's questionnaire schedule, when the clinician set one.
    pub async fn questionnaire_plan(
        &self,
        care_id: &str,
    ) -> Result<Option<QuestionnairePlan>, StoreError> {
        let row = sqlx::query("SELECT body FROM questionnaire_plans WHERE care_id = $1")
            .bind(care_id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            let body: String = r.try_get("body")?;
            serde_json::from_str(&body).map_err(|e| corrupt(care_id, e))
        })
        .transpose()
    }

    /// Sets a care relationship's questionnaire schedule.
    pub async fn set_questionnaire_plan(
        &self,
        care_id: &str,
        plan: &QuestionnairePlan,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let body = serde_json::to_string(plan).map_err(|e| corrupt(care_id, e))?;
        sqlx::query(
            "INSERT INTO questionnaire_plans (care_id, body, changed_at_ms) VALUES ($1, $2, $3) \
             ON CONFLICT (care_id) DO UPDATE SET body = excluded.body, \
             changed_at_ms = excluded.changed_at_ms",
        )
        .bind(care_id)
        .bind(body)
        .bind(at.as_millisecond())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Marks one of a patient's assessments as entered in error: it no longer counts for the
    /// questionnaire schedule or the dashboard's scores (the answers stay in the journal).
    pub async fn mark_assessment_error(
        &self,
        user_id: &str,
        assessment_id: &str,
        by: &str,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let mut tx = self.write_tx().await?;
        let done = sqlx::query(
            "INSERT INTO assessment_errors (assessment_id, user_id, marked_by, at_ms) \
             SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM assessments WHERE id = $1 \
             AND user_id = $2) ON CONFLICT (assessment_id) DO NOTHING",
        )
        .bind(assessment_id)
        .bind(user_id)
        .bind(by)
        .bind(at.as_millisecond())
        .execute(&mut *tx)
        .await?;
        let marked = done.rows_affected() == 1;
        if marked {
            crate::summaries::assessments_changed(&mut tx, user_id).await?;
        }
        tx.commit().await?;
        Ok(marked)
    }

    /// The ids of a patient's assessments marked as errors.
    pub async fn assessment_errors(&self, user_id: &str) -> Result<Vec<String>, StoreError> {
        if !self.clinic_tables {
            // Only a clinician marks answers, and a journal has no clinic.
            return Ok(Vec::new());
        }
        let rows = sqlx::query("SELECT assessment_id FROM assessment_errors WHERE user_id = $1")
            .bind(user_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok(r.try_get("assessment_id")?))
            .collect()
    }

    /// Removes the programmes and messages of erased patients whose retention has ended (the
    /// care rows go in [`Store::purge_retained`]); runs before those rows are deleted.
    pub(crate) async fn purge_retained_work(&self, now: Timestamp) -> Result<(), StoreError> {
        let gone = "SELECT patient_id FROM care WHERE retain_until_ms IS NOT NULL \
                    AND retain_until_ms < $1";
        for table in ["programmes", "messages"] {
            let sql = format!("DELETE FROM {table} WHERE patient_id IN ({gone})");
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(now.as_millisecond())
                .execute(&self.pool)
                .await?;
        }
        sqlx::query(
            "DELETE FROM questionnaire_plans WHERE care_id IN (SELECT id FROM care \
             WHERE retain_until_ms IS NOT NULL AND retain_until_ms < $1)",
        )
        .bind(now.as_millisecond())
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

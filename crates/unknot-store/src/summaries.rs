//! Each person's assessments summed up in one row (`unknot_core::folded::AnswerSummary`), so
//! Today and the clinician's dashboard read one row per person instead of every check-in.
//!
//! The row is kept correct by a change counter rather than by writing the summary on every
//! write: each write to a person's assessments, or to the marks on them, adds one to
//! `version` in its own transaction ([`assessments_changed`]); a reader uses the kept summary
//! only while `kept_version` equals `version`, and otherwise makes it again from the
//! assessments and keeps it. The reader reads the counter before the assessments, so a write
//! that lands in between leaves the new summary labelled with the older count: it is made
//! again on the next read, never trusted while out of date. This works the same with several
//! servers over one PostgreSQL, and needs no trigger (the migrations are portable SQL).

use std::collections::HashMap;

use sqlx::Row;
use unknot_core::folded::AnswerSummary;
use unknot_core::intake::Assessment;

use crate::error::StoreError;
use crate::open::Store;

/// Adds one to `user`'s change counter: call in the transaction of every write to their
/// assessments or to the marks on them.
pub(crate) async fn assessments_changed<'e, E>(ex: E, user: &str) -> Result<(), StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query(
        "INSERT INTO answer_summaries (user_id, version) VALUES ($1, 1) \
         ON CONFLICT (user_id) DO UPDATE SET version = answer_summaries.version + 1",
    )
    .bind(user)
    .execute(ex)
    .await?;
    Ok(())
}

/// A kept row: the counter, and the summary when it was made at that count.
fn kept(version: Option<i64>, kept: Option<i64>, body: Option<String>) -> KeptRow {
    let version = version.unwrap_or(0);
    let summary = match (kept, body) {
        (Some(k), Some(b)) if k == version => serde_json::from_str(&b).ok(),
        // An older or unreadable summary is made again, never used.
        _ => None,
    };
    KeptRow { version, summary }
}

struct KeptRow {
    version: i64,
    summary: Option<AnswerSummary>,
}

impl Store {
    /// The summary of this user's assessments.
    pub async fn answer_summary(&self) -> Result<AnswerSummary, StoreError> {
        let row = sqlx::query(
            "SELECT version, kept_version, body FROM answer_summaries WHERE user_id = $1",
        )
        .bind(&self.user)
        .fetch_optional(&self.pool)
        .await?;
        let row = match row {
            Some(r) => kept(r.try_get(0)?, r.try_get(1)?, r.try_get(2)?),
            None => kept(None, None, None),
        };
        match row.summary {
            Some(s) => Ok(s),
            None => self.summarise(&self.user, row.version).await,
        }
    }

    /// The summaries of the confirmed patients of `clinic` (only `clinician`'s when given),
    /// by patient id: one query, and the assessments read again only for those whose kept
    /// summary is out of date.
    pub async fn caseload_summaries(
        &self,
        clinic: &str,
        clinician: Option<&str>,
    ) -> Result<HashMap<String, AnswerSummary>, StoreError> {
        let rows = sqlx::query(
            "SELECT c.patient_id, s.version, s.kept_version, s.body FROM care c \
             LEFT JOIN answer_summaries s ON s.user_id = c.patient_id \
             WHERE c.clinic_id = $1 AND c.status = 'confirmed' AND ($2 = '' OR c.clinician_id = $2)",
        )
        .bind(clinic)
        .bind(clinician.unwrap_or_default())
        .fetch_all(&self.pool)
        .await?;
        let mut out = HashMap::new();
        for r in rows {
            let patient: String = r.try_get(0)?;
            if out.contains_key(&patient) {
                continue;
            }
            let row = kept(r.try_get(1)?, r.try_get(2)?, r.try_get(3)?);
            let summary = match row.summary {
                Some(s) => s,
                None => self.summarise(&patient, row.version).await?,
            };
            out.insert(patient, summary);
        }
        Ok(out)
    }

    /// Makes `user`'s summary from their assessments and keeps it, labelled with `version`,
    /// the counter as read before the assessments.
    async fn summarise(&self, user: &str, version: i64) -> Result<AnswerSummary, StoreError> {
        let rows =
            sqlx::query("SELECT id, body FROM assessments WHERE user_id = $1 ORDER BY at_ms, id")
                .bind(user)
                .fetch_all(&self.pool)
                .await?;
        let all = rows
            .iter()
            .map(|r| {
                let id: String = r.try_get(0)?;
                let body: String = r.try_get(1)?;
                serde_json::from_str::<Assessment>(&body).map_err(|e| StoreError::Corrupt {
                    id,
                    reason: e.to_string(),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let errors = self.assessment_errors(user).await?;
        let summary = AnswerSummary::of(&all, &errors);
        let body = serde_json::to_string(&summary).map_err(|e| StoreError::Corrupt {
            id: format!("summary of {user}"),
            reason: e.to_string(),
        })?;
        // Kept only if no write came since the counter was read. A summary that cannot be kept
        // now (a read-only or full disk) is still right to use, and is made again next time.
        let _ = sqlx::query(
            "INSERT INTO answer_summaries (user_id, version, kept_version, body) \
             VALUES ($1, $2, $2, $3) ON CONFLICT (user_id) DO UPDATE \
             SET kept_version = excluded.kept_version, body = excluded.body \
             WHERE answer_summaries.version = excluded.version",
        )
        .bind(user)
        .bind(version)
        .bind(body)
        .execute(&self.pool)
        .await;
        Ok(summary)
    }
}

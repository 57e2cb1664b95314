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
//!
//! Two more checks guard against what the counter cannot see: the summary's format
//! (`AnswerSummary::FORMAT`, raised when the fold changes), and the number of assessments and
//! marks it was made from, read in the same statement as the counter (rows are only ever
//! added, so a writer that does not know the counter, such as a server still running an older
//! release during an upgrade, still changes a count).

use std::collections::HashMap;

use sqlx::Row;
use sqlx::any::AnyRow;
use unknot_core::folded::AnswerSummary;

use crate::clinic::Among;
use crate::error::StoreError;
use crate::open::Store;

/// Adds one to `user`'s change counter, and to their journal change counter (which covers
/// assessments too): call in the transaction of every write to their assessments or to the
/// marks on them.
pub(crate) async fn assessments_changed(
    conn: &mut sqlx::AnyConnection,
    user: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO answer_summaries (user_id, version) VALUES ($1, 1) \
         ON CONFLICT (user_id) DO UPDATE SET version = answer_summaries.version + 1",
    )
    .bind(user)
    .execute(&mut *conn)
    .await?;
    crate::changes::journal_changed(conn, user).await
}

/// The columns a reader needs from the kept row: the counter, what the kept summary was made
/// at and from, and the body.
macro_rules! kept_columns {
    () => {
        "s.version, s.kept_version, s.kept_format, s.kept_assessments, s.kept_errors, s.body, "
    };
}

/// Counts of a person's assessments and of the marks on them, for the user id column given;
/// with `no_marks`, for a journal without the clinic's tables (where nobody can mark one).
macro_rules! counts_of {
    ($user:literal) => {
        concat!(
            "(SELECT COUNT(*) FROM assessments a WHERE a.user_id = ",
            $user,
            "), (SELECT COUNT(*) FROM assessment_errors e WHERE e.user_id = ",
            $user,
            ")"
        )
    };
    ($user:literal, no_marks) => {
        concat!(
            "(SELECT COUNT(*) FROM assessments a WHERE a.user_id = ",
            $user,
            "), CAST(0 AS BIGINT)"
        )
    };
}

/// What a reader found: the counter and row counts as read (before any assessment), and the
/// kept summary when it still holds.
struct KeptRow {
    version: i64,
    counts: (i64, i64),
    summary: Option<AnswerSummary>,
}

/// Reads the kept columns and then the two counts, starting at column `at`.
fn kept(r: &AnyRow, at: usize) -> Result<KeptRow, StoreError> {
    let version: Option<i64> = r.try_get(at)?;
    let made_at: Option<i64> = r.try_get(at + 1)?;
    let format: Option<i64> = r.try_get(at + 2)?;
    let made_from: (Option<i64>, Option<i64>) = (r.try_get(at + 3)?, r.try_get(at + 4)?);
    let body: Option<String> = r.try_get(at + 5)?;
    let counts: (i64, i64) = (r.try_get(at + 6)?, r.try_get(at + 7)?);
    let version = version.unwrap_or(0);
    let holds = made_at == Some(version)
        && format == Some(AnswerSummary::FORMAT)
        && made_from == (Some(counts.0), Some(counts.1));
    // An older, foreign or unreadable summary is made again, never used.
    let summary = body
        .filter(|_| holds)
        .and_then(|b| serde_json::from_str(&b).ok());
    Ok(KeptRow {
        version,
        counts,
        summary,
    })
}

impl Store {
    /// The summary of this user's assessments.
    pub async fn answer_summary(&self) -> Result<AnswerSummary, StoreError> {
        macro_rules! own {
            ($($counts:tt)*) => {
                concat!(
                    "SELECT u.id, ",
                    kept_columns!(),
                    counts_of!($($counts)*),
                    " FROM users u LEFT JOIN answer_summaries s ON s.user_id = u.id WHERE u.id = $1"
                )
            };
        }
        let sql = if self.clinic_tables {
            own!("u.id")
        } else {
            own!("u.id", no_marks)
        };
        let row = sqlx::query(sql)
            .bind(&self.user)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else {
            // No such user yet: nothing assessed.
            return Ok(AnswerSummary::of(&[], &[]));
        };
        let kept = kept(&row, 1)?;
        match kept.summary {
            Some(s) => Ok(s),
            None => self.summarise(&self.user, kept.version, kept.counts).await,
        }
    }

    /// The summaries of the chunk's patients who are confirmed in its clinic, by patient id:
    /// one query, and the assessments read again only for those whose kept summary is out of
    /// date.
    pub(crate) async fn caseload_summaries(
        &self,
        among: &Among<'_>,
    ) -> Result<HashMap<String, AnswerSummary>, StoreError> {
        let sql = format!(
            concat!(
                "SELECT c.patient_id, ",
                kept_columns!(),
                counts_of!("c.patient_id"),
                " FROM care c LEFT JOIN answer_summaries s ON s.user_id = c.patient_id ",
                "WHERE c.clinic_id = $1 AND c.status = 'confirmed' AND c.patient_id IN ({})"
            ),
            among.list()
        );
        let rows = among.rows(self, sql, None).await?;
        let mut out = HashMap::new();
        for r in rows {
            let patient: String = r.try_get(0)?;
            if out.contains_key(&patient) {
                continue;
            }
            let row = kept(&r, 1)?;
            let summary = match row.summary {
                Some(s) => s,
                None => self.summarise(&patient, row.version, row.counts).await?,
            };
            out.insert(patient, summary);
        }
        Ok(out)
    }

    /// Makes `user`'s summary from their assessments and keeps it, labelled with `version` and
    /// `counts`, the counter and row counts as read before the assessments.
    async fn summarise(
        &self,
        user: &str,
        version: i64,
        counts: (i64, i64),
    ) -> Result<AnswerSummary, StoreError> {
        // The store's own read of a person's assessments, oldest first.
        let all = self.for_user(user).assessments().await?;
        let errors = self.assessment_errors(user).await?;
        let summary = AnswerSummary::of(&all, &errors);
        let body = serde_json::to_string(&summary).map_err(|e| StoreError::Corrupt {
            id: format!("summary of {user}"),
            reason: e.to_string(),
        })?;
        // Kept only if no write came since the counter was read. A summary that cannot be kept
        // now (a read-only or full disk) is still right to use, and is made again next time.
        let _ = sqlx::query(
            "INSERT INTO answer_summaries (user_id, version, kept_version, kept_format, \
             kept_assessments, kept_errors, body) VALUES ($1, $2, $2, $3, $4, $5, $6) \
             ON CONFLICT (user_id) DO UPDATE SET kept_version = excluded.kept_version, \
             kept_format = excluded.kept_format, kept_assessments = excluded.kept_assessments, \
             kept_errors = excluded.kept_errors, body = excluded.body \
             WHERE answer_summaries.version = excluded.version",
        )
        .bind(user)
        .bind(version)
        .bind(AnswerSummary::FORMAT)
        .bind(counts.0)
        .bind(counts.1)
        .bind(body)
        .execute(&self.pool)
        .await;
        Ok(summary)
    }
}

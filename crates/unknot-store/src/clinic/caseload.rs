//! What the clinician's dashboard reads for a whole caseload: each kind of record for every
//! confirmed patient at once, one query per kind, rather than a dozen queries per patient (the
//! dashboard's 200 patients made 2,400 round trips; see docs/PERFORMANCE.md, "The clinic at
//! size").

use std::collections::HashMap;

use jiff::{Timestamp, Zoned};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use sqlx::Row;
use sqlx::any::AnyRow;
use unknot_core::adapt::{ItemStatus, SessionRecord};
use unknot_core::folded::AnswerSummary;
use unknot_core::journal::Entry;
use unknot_core::score::Score;
use unknot_core::settings::Settings;

use super::instant;
use crate::codec;
use crate::error::StoreError;
use crate::journal::SIGN_FILTER;
use crate::open::Store;

/// The patients a caseload covers: confirmed in clinic `$1`, and the clinician `$2`'s when it
/// is not empty.
const PATIENTS: &str = "SELECT patient_id FROM care WHERE clinic_id = $1 \
    AND status = 'confirmed' AND ($2 = '' OR clinician_id = $2)";

/// The entry columns in the order `codec::decode` reads them, then the owner.
const ENTRY_COLUMNS: &str =
    "SELECT id, at_ms, time_zone, pain, details, note, user_id FROM entries";

/// How far around the day care began the baseline's entries are read (the exact local days are
/// picked by the caller): a day before, and nine after (seven days and any time zone).
const BEFORE_CARE_MS: i64 = 2 * 86_400_000;
const AFTER_CARE_MS: i64 = 9 * 86_400_000;

/// The records of every patient in a caseload, by patient id; lists are oldest first.
#[derive(Debug, Default)]
pub struct Caseload {
    /// Saved preferences (a patient who saved none is absent).
    pub settings: HashMap<String, Settings>,
    /// Sessions at or after the `sessions_since` asked for, as marks.
    pub sessions: HashMap<String, Vec<SessionMark>>,
    /// Sessions whose feedback reported a warning sign, at any time.
    pub sign_sessions: HashMap<String, Vec<SessionRecord>>,
    /// Each patient's assessments summed up (a patient with none has an empty summary).
    pub summaries: HashMap<String, AnswerSummary>,
    /// Rated entries around the day care began (for the baseline) and from `recent_since` on,
    /// as pain points; an entry in both appears twice.
    pub pain: HashMap<String, Vec<PainPoint>>,
    /// Entries that may carry a warning sign, at any time.
    pub sign_entries: HashMap<String, Vec<Entry>>,
    /// When each patient's newest entry was made.
    pub latest_entry: HashMap<String, Timestamp>,
}

/// A rated entry as the pain windows need it: its id, when it was made (in its own time zone)
/// and the pain. The rest of the entry (regions, knots, notes) is not read.
#[derive(Debug, Clone)]
pub struct PainPoint {
    /// The entry's id.
    pub id: String,
    /// When, in the entry's own time zone.
    pub at: Zoned,
    /// The pain rating.
    pub pain: Score,
}

/// A guided session as adherence needs it: when it started, and whether any exercise of it
/// was done in full. The rest of the record is skipped when read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionMark {
    /// When it started.
    pub at: Timestamp,
    /// True when at least one exercise was done in full.
    pub done: bool,
}

/// The one part of a session's body a mark reads; every other field is skipped, not built.
#[derive(Deserialize)]
struct ItemsOnly {
    items: Vec<StatusOnly>,
}

#[derive(Deserialize)]
struct StatusOnly {
    status: ItemStatus,
}

fn decode_json<T: DeserializeOwned>(id: &str, text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt {
        id: id.to_string(),
        reason: e.to_string(),
    })
}

impl Store {
    /// Reads a caseload: the confirmed patients of `clinic` (only `clinician`'s when given),
    /// with sessions from `sessions_since` and pain entries from `recent_since` on.
    pub async fn caseload(
        &self,
        clinic: &str,
        clinician: Option<&str>,
        sessions_since: Timestamp,
        recent_since: Timestamp,
    ) -> Result<Caseload, StoreError> {
        let who = clinician.unwrap_or_default();
        let mut c = Caseload::default();
        for r in self
            .caseload_rows(
                &format!("SELECT user_id, body FROM settings WHERE user_id IN ({PATIENTS})"),
                clinic,
                who,
                None,
            )
            .await?
        {
            let user: String = r.try_get(0)?;
            c.settings
                .insert(user, decode_json("settings", &r.try_get::<String, _>(1)?)?);
        }
        let sessions = format!(
            "SELECT id, at_ms, body, user_id FROM sessions WHERE user_id IN ({PATIENTS}) \
             AND at_ms >= $3 ORDER BY at_ms, id"
        );
        for r in self
            .caseload_rows(&sessions, clinic, who, Some(sessions_since))
            .await?
        {
            let id: String = r.try_get(0)?;
            let items: ItemsOnly = decode_json(&id, &r.try_get::<String, _>(2)?)?;
            let mark = SessionMark {
                at: instant(r.try_get(1)?)?,
                done: items.items.iter().any(|i| i.status == ItemStatus::Done),
            };
            c.sessions.entry(r.try_get(3)?).or_default().push(mark);
        }
        let signs = format!(
            "SELECT id, body, user_id FROM sessions WHERE user_id IN ({PATIENTS}) \
             AND body LIKE '%\"warning_signs\"%' ORDER BY at_ms, id"
        );
        c.sign_sessions = self.documents_by_user(&signs, clinic, who, None).await?;
        // Each patient's assessments summed up in one kept row, not every check-in (the
        // dashboard once decoded 25 MB of answers a view; see docs/PERFORMANCE.md).
        c.summaries = self.caseload_summaries(clinic, clinician).await?;
        self.caseload_entries(&mut c, clinic, who, recent_since)
            .await?;
        Ok(c)
    }

    async fn caseload_entries(
        &self,
        c: &mut Caseload,
        clinic: &str,
        who: &str,
        recent_since: Timestamp,
    ) -> Result<(), StoreError> {
        // Two index ranges per patient (around the start of care, and recent days), as one
        // statement; an OR of the two made PostgreSQL read every entry of each patient.
        // Only rated entries, and only the columns the windows need: decoding whole entries
        // (details and notes) was most of a dashboard view.
        let windows = format!(
            "SELECT id, at_ms, time_zone, pain, user_id FROM entries \
             WHERE user_id IN ({PATIENTS}) AND at_ms >= $3 AND pain IS NOT NULL \
             UNION ALL SELECT e.id, e.at_ms, e.time_zone, e.pain, e.user_id \
             FROM entries e JOIN care c ON c.patient_id = e.user_id AND c.clinic_id = $1 \
             AND c.status = 'confirmed' AND ($2 = '' OR c.clinician_id = $2) \
             WHERE e.at_ms >= c.changed_at_ms - {BEFORE_CARE_MS} \
             AND e.at_ms < c.changed_at_ms + {AFTER_CARE_MS} AND e.pain IS NOT NULL"
        );
        let mut zones = codec::ZoneCache::default();
        for r in self
            .caseload_rows(&windows, clinic, who, Some(recent_since))
            .await?
        {
            let id: String = r.try_get(0)?;
            let corrupt = |reason: String| StoreError::Corrupt {
                id: id.clone(),
                reason,
            };
            let tz = zones.zone(&r.try_get::<String, _>(2)?).map_err(corrupt)?;
            let at = instant(r.try_get(1)?)?.to_zoned(tz);
            let pain = Score::new(r.try_get(3)?, "pain").map_err(|e| corrupt(e.to_string()))?;
            c.pain
                .entry(r.try_get(4)?)
                .or_default()
                .push(PainPoint { id, at, pain });
        }
        let signs = format!("{ENTRY_COLUMNS} WHERE user_id IN ({PATIENTS}){SIGN_FILTER}");
        c.sign_entries = self.entries_by_user(&signs, clinic, who, None).await?;
        // One index probe per patient for the newest entry.
        let latest = "SELECT c.patient_id, (SELECT MAX(e.at_ms) FROM entries e \
             WHERE e.user_id = c.patient_id) FROM care c WHERE c.clinic_id = $1 \
             AND c.status = 'confirmed' AND ($2 = '' OR c.clinician_id = $2)";
        for r in self.caseload_rows(latest, clinic, who, None).await? {
            if let Some(ms) = r.try_get::<Option<i64>, _>(1)? {
                c.latest_entry.insert(r.try_get(0)?, instant(ms)?);
            }
        }
        Ok(())
    }

    /// Runs one caseload query: `$1` the clinic, `$2` the clinician or '', `$3` an instant.
    async fn caseload_rows(
        &self,
        sql: &str,
        clinic: &str,
        who: &str,
        since: Option<Timestamp>,
    ) -> Result<Vec<AnyRow>, StoreError> {
        // Built by this module from its constants and numbers only: no input reaches the text.
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
            .bind(clinic.to_string())
            .bind(who.to_string());
        if let Some(t) = since {
            q = q.bind(t.as_millisecond());
        }
        Ok(q.fetch_all(&self.pool).await?)
    }

    /// JSON documents (`id, body, user_id` rows) grouped by user, in the query's order.
    async fn documents_by_user<T: DeserializeOwned>(
        &self,
        sql: &str,
        clinic: &str,
        who: &str,
        since: Option<Timestamp>,
    ) -> Result<HashMap<String, Vec<T>>, StoreError> {
        let mut out: HashMap<String, Vec<T>> = HashMap::new();
        for r in self.caseload_rows(sql, clinic, who, since).await? {
            let id: String = r.try_get(0)?;
            let doc = decode_json(&id, &r.try_get::<String, _>(1)?)?;
            out.entry(r.try_get(2)?).or_default().push(doc);
        }
        Ok(out)
    }

    /// Entries grouped by user, oldest first (ties by id, as `list_entries` orders them).
    async fn entries_by_user(
        &self,
        sql: &str,
        clinic: &str,
        who: &str,
        since: Option<Timestamp>,
    ) -> Result<HashMap<String, Vec<Entry>>, StoreError> {
        let mut out: HashMap<String, Vec<Entry>> = HashMap::new();
        let mut zones = codec::ZoneCache::default();
        for r in self.caseload_rows(sql, clinic, who, since).await? {
            out.entry(r.try_get(6)?)
                .or_default()
                .push(codec::decode_with(&r, &mut zones)?);
        }
        for list in out.values_mut() {
            list.sort_by(|a, b| {
                a.at.timestamp()
                    .cmp(&b.at.timestamp())
                    .then_with(|| a.id.cmp(&b.id))
            });
        }
        Ok(out)
    }
}

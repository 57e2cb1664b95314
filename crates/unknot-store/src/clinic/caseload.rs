//! What the clinician's dashboard reads for a caseload: the list of confirmed patients with
//! each one's journal change counter, and then each kind of record for the patients asked
//! for, one query per kind for up to [`CHUNK`] patients at once, rather than a dozen queries
//! per patient (the dashboard's 200 patients made 2,400 round trips; see
//! docs/PERFORMANCE.md, "The clinic at size"). The counter lets a server keep the records
//! and ask again only for the patients who wrote since.

use std::collections::HashMap;

use jiff::{Timestamp, Zoned};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use sqlx::Row;
use sqlx::any::AnyRow;
use unknot_core::adapt::{ItemStatus, SessionRecord};
use unknot_core::clinic::model::CareLink;
use unknot_core::folded::AnswerSummary;
use unknot_core::journal::Entry;
use unknot_core::score::Score;
use unknot_core::settings::Settings;

use super::care::care;
use super::instant;
use crate::codec;
use crate::error::StoreError;
use crate::journal::SIGN_FILTER;
use crate::open::Store;

/// How many patients one query asks about: the ids are bound one parameter each, well under
/// either engine's limit, and padded to a power of two so few distinct statements are
/// prepared.
const CHUNK: usize = 256;

/// How far around the day care began the baseline's entries are read (the exact local days are
/// picked by the caller): a day before, and nine after (seven days and any time zone).
const BEFORE_CARE_MS: i64 = 2 * 86_400_000;
const AFTER_CARE_MS: i64 = 9 * 86_400_000;

/// A confirmed patient on a caseload: the care relationship, what the list shows of their
/// account (nothing secret is read), the programme in force and their journal change counter.
#[derive(Debug, Clone)]
pub struct CaseListing {
    /// The care relationship.
    pub link: CareLink,
    /// The patient's name, as the clinic shows it.
    pub name: String,
    /// The patient's birth year, when recorded.
    pub birth_year: Option<i32>,
    /// The programme in force in this clinic (one at most), as its id and current version.
    pub programme: Option<(String, u32)>,
    /// The patient's journal change counter (0 before their first counted write), read before
    /// any of their records: records read after it hold while it has not moved.
    pub version: i64,
}

/// One patient's records that the dashboard's signals read; lists are oldest first.
#[derive(Debug, Clone, Default)]
pub struct CaseRecords {
    /// Saved preferences (none when the patient saved none).
    pub settings: Option<Settings>,
    /// Sessions at or after the `sessions_since` asked for, as marks.
    pub sessions: Vec<SessionMark>,
    /// Sessions whose feedback reported a warning sign, at any time.
    pub sign_sessions: Vec<SessionRecord>,
    /// The patient's assessments summed up.
    pub summary: AnswerSummary,
    /// Rated entries around the day care began (for the baseline) and from `recent_since` on,
    /// as pain points; an entry in both appears twice.
    pub pain: Vec<PainPoint>,
    /// Entries that may carry a warning sign, at any time.
    pub sign_entries: Vec<Entry>,
    /// When the newest entry was made.
    pub latest_entry: Option<Timestamp>,
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

/// One chunk of patients as a query binds them: `$1` is the clinic, `$2` onwards the ids
/// (padded by repeating the last), and [`Among::since`] the one parameter after them.
pub(crate) struct Among<'a> {
    clinic: &'a str,
    ids: Vec<&'a str>,
}

impl<'a> Among<'a> {
    fn new(clinic: &'a str, chunk: &'a [String]) -> Among<'a> {
        let mut ids: Vec<&str> = chunk.iter().map(String::as_str).collect();
        if let Some(last) = ids.last().copied() {
            ids.resize(ids.len().next_power_of_two(), last);
        }
        Among { clinic, ids }
    }

    /// The ids' placeholders, `$2, $3, …`.
    pub(crate) fn list(&self) -> String {
        crate::placeholders(2, self.ids.len())
    }

    /// The placeholder of the instant bound after the ids.
    fn since(&self) -> String {
        format!("${}", self.ids.len() + 2)
    }

    /// The chunk's patients who are confirmed in the clinic, as a subquery.
    fn patients(&self) -> String {
        format!(
            "SELECT patient_id FROM care WHERE clinic_id = $1 AND status = 'confirmed' \
             AND patient_id IN ({})",
            self.list()
        )
    }

    /// Runs one query over the chunk, with the instant `since` bound after the ids if given.
    pub(crate) async fn rows(
        &self,
        store: &Store,
        sql: String,
        since: Option<Timestamp>,
    ) -> Result<Vec<AnyRow>, StoreError> {
        // Built by this module from its constants and placeholder numbers only: no input
        // reaches the text.
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(self.clinic.to_string());
        for id in &self.ids {
            q = q.bind(id.to_string());
        }
        if let Some(t) = since {
            q = q.bind(t.as_millisecond());
        }
        Ok(q.fetch_all(&store.pool).await?)
    }
}

/// The caseload list's statement, with `$filter` added to its `WHERE` clause.
macro_rules! caseload_list {
    ($filter:literal) => {
        concat!(
            "SELECT c.id, c.clinic_id, c.patient_id, c.clinician_id, c.status, \
             c.created_at_ms, c.changed_at_ms, a.display_name, a.birth_year, \
             p.id AS programme_id, p.version AS programme_version, \
             COALESCE(j.version, 0) AS journal_version FROM care c \
             JOIN accounts a ON a.id = c.patient_id \
             LEFT JOIN programmes p ON p.patient_id = c.patient_id \
             AND p.clinic_id = c.clinic_id AND p.kind = 'patient' AND p.active = 1 \
             LEFT JOIN journal_changes j ON j.user_id = c.patient_id \
             WHERE c.clinic_id = $1 AND c.status = 'confirmed' ",
            $filter,
            " ORDER BY a.display_name, c.id, p.changed_at_ms DESC, p.id"
        )
    };
}

impl Store {
    /// The confirmed patients of `clinic` (only `clinician`'s when given), by name, with the
    /// programme in force and the journal change counter of each.
    pub async fn caseload_patients(
        &self,
        clinic: &str,
        clinician: Option<&str>,
    ) -> Result<Vec<CaseListing>, StoreError> {
        // Two statements, not one with `($2 = '' OR c.clinician_id = $2)`: PostgreSQL's
        // generic plan for a prepared statement cannot use `care_by_clinician` for such a
        // condition and scanned the whole clinic's care rows on every dashboard view.
        let query = match clinician {
            Some(c) => sqlx::query(caseload_list!("AND c.clinician_id = $2"))
                .bind(clinic)
                .bind(c),
            None => sqlx::query(caseload_list!("")).bind(clinic),
        };
        let rows = query.fetch_all(&self.pool).await?;
        let mut out: Vec<CaseListing> = Vec::with_capacity(rows.len());
        for r in &rows {
            let l = listing(r)?;
            // One line per care relationship: should two programmes be active at once (two
            // prescriptions racing on PostgreSQL), the newest one is the one in force.
            if out.last().is_some_and(|last| last.link.id == l.link.id) {
                continue;
            }
            out.push(l);
        }
        Ok(out)
    }

    /// Reads the records of `patients` (those confirmed in `clinic`; anyone else gets empty
    /// records), with sessions from `sessions_since` and pain entries from `recent_since` on.
    /// Every patient asked for is in the answer.
    pub async fn caseload(
        &self,
        clinic: &str,
        patients: &[String],
        sessions_since: Timestamp,
        recent_since: Timestamp,
    ) -> Result<HashMap<String, CaseRecords>, StoreError> {
        let mut out: HashMap<String, CaseRecords> = patients
            .iter()
            .map(|p| (p.clone(), CaseRecords::default()))
            .collect();
        for chunk in patients.chunks(CHUNK) {
            let among = Among::new(clinic, chunk);
            self.caseload_chunk(&among, &mut out, sessions_since, recent_since)
                .await?;
        }
        Ok(out)
    }

    async fn caseload_chunk(
        &self,
        among: &Among<'_>,
        out: &mut HashMap<String, CaseRecords>,
        sessions_since: Timestamp,
        recent_since: Timestamp,
    ) -> Result<(), StoreError> {
        let patients = among.patients();
        let sql = format!("SELECT user_id, body FROM settings WHERE user_id IN ({patients})");
        for r in among.rows(self, sql, None).await? {
            let settings = decode_json("settings", &r.try_get::<String, _>(1)?)?;
            records(out, r.try_get(0)?).settings = Some(settings);
        }
        let sql = format!(
            "SELECT id, at_ms, body, user_id FROM sessions WHERE user_id IN ({patients}) \
             AND at_ms >= {} ORDER BY at_ms, id",
            among.since()
        );
        for r in among.rows(self, sql, Some(sessions_since)).await? {
            let id: String = r.try_get(0)?;
            let items: ItemsOnly = decode_json(&id, &r.try_get::<String, _>(2)?)?;
            let mark = SessionMark {
                at: instant(r.try_get(1)?)?,
                done: items.items.iter().any(|i| i.status == ItemStatus::Done),
            };
            records(out, r.try_get(3)?).sessions.push(mark);
        }
        let sql = format!(
            "SELECT id, body, user_id FROM sessions WHERE user_id IN ({patients}) \
             AND body LIKE '%\"warning_signs\"%' ORDER BY at_ms, id"
        );
        for r in among.rows(self, sql, None).await? {
            let id: String = r.try_get(0)?;
            let session = decode_json(&id, &r.try_get::<String, _>(1)?)?;
            records(out, r.try_get(2)?).sign_sessions.push(session);
        }
        // Each patient's assessments summed up in one kept row, not every check-in (the
        // dashboard once decoded 25 MB of answers a view; see docs/PERFORMANCE.md).
        for (patient, summary) in self.caseload_summaries(among).await? {
            records(out, patient).summary = summary;
        }
        self.caseload_pain(among, out, recent_since).await?;
        self.caseload_entries(among, out).await
    }

    /// Rated entries in the two windows the signals compare, as pain points.
    async fn caseload_pain(
        &self,
        among: &Among<'_>,
        out: &mut HashMap<String, CaseRecords>,
        recent_since: Timestamp,
    ) -> Result<(), StoreError> {
        // Two index ranges per patient (around the start of care, and recent days), as one
        // statement; an OR of the two made PostgreSQL read every entry of each patient.
        // Only rated entries, and only the columns the windows need: decoding whole entries
        // (details and notes) was most of a dashboard view.
        let sql = format!(
            "SELECT id, at_ms, time_zone, pain, user_id FROM entries \
             WHERE user_id IN ({patients}) AND at_ms >= {since} AND pain IS NOT NULL \
             UNION ALL SELECT e.id, e.at_ms, e.time_zone, e.pain, e.user_id \
             FROM entries e JOIN care c ON c.patient_id = e.user_id AND c.clinic_id = $1 \
             AND c.status = 'confirmed' AND c.patient_id IN ({list}) \
             WHERE e.at_ms >= c.changed_at_ms - {BEFORE_CARE_MS} \
             AND e.at_ms < c.changed_at_ms + {AFTER_CARE_MS} AND e.pain IS NOT NULL",
            patients = among.patients(),
            since = among.since(),
            list = among.list(),
        );
        let mut zones = codec::ZoneCache::default();
        for r in among.rows(self, sql, Some(recent_since)).await? {
            let id: String = r.try_get(0)?;
            let corrupt = |reason: String| StoreError::Corrupt {
                id: id.clone(),
                reason,
            };
            let tz = zones.zone(&r.try_get::<String, _>(2)?).map_err(corrupt)?;
            let at = instant(r.try_get(1)?)?.to_zoned(tz);
            let pain = Score::new(r.try_get(3)?, "pain").map_err(|e| corrupt(e.to_string()))?;
            records(out, r.try_get(4)?)
                .pain
                .push(PainPoint { id, at, pain });
        }
        Ok(())
    }

    /// Entries that may carry a warning sign, and each patient's newest entry.
    async fn caseload_entries(
        &self,
        among: &Among<'_>,
        out: &mut HashMap<String, CaseRecords>,
    ) -> Result<(), StoreError> {
        let sql = format!(
            "SELECT id, at_ms, time_zone, pain, details, note, user_id FROM entries \
             WHERE user_id IN ({}){SIGN_FILTER} ORDER BY at_ms, id",
            among.patients()
        );
        let mut zones = codec::ZoneCache::default();
        for r in among.rows(self, sql, None).await? {
            let entry = codec::decode_with(&r, &mut zones)?;
            records(out, r.try_get(6)?).sign_entries.push(entry);
        }
        // One index probe per patient for the newest entry.
        let sql = format!(
            "SELECT c.patient_id, (SELECT MAX(e.at_ms) FROM entries e \
             WHERE e.user_id = c.patient_id) FROM care c WHERE c.clinic_id = $1 \
             AND c.status = 'confirmed' AND c.patient_id IN ({})",
            among.list()
        );
        for r in among.rows(self, sql, None).await? {
            if let Some(ms) = r.try_get::<Option<i64>, _>(1)? {
                records(out, r.try_get(0)?).latest_entry = Some(instant(ms)?);
            }
        }
        Ok(())
    }
}

fn listing(r: &AnyRow) -> Result<CaseListing, StoreError> {
    let programme = match r.try_get::<Option<String>, _>("programme_id")? {
        Some(id) => {
            let version: i64 = r.try_get("programme_version")?;
            let version = u32::try_from(version).map_err(|e| StoreError::Corrupt {
                id: id.clone(),
                reason: e.to_string(),
            })?;
            Some((id, version))
        }
        None => None,
    };
    Ok(CaseListing {
        link: care(r)?,
        name: r.try_get("display_name")?,
        birth_year: r.try_get("birth_year")?,
        programme,
        version: r.try_get("journal_version")?,
    })
}

/// The records being filled for `patient`.
fn records(out: &mut HashMap<String, CaseRecords>, patient: String) -> &mut CaseRecords {
    out.entry(patient).or_default()
}

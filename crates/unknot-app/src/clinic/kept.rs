//! Each server's memory of the records its dashboards read, patient by patient. A patient's
//! records are used again while their journal change counter (read with the caseload list,
//! before any record) has not moved and their care began at the same time; a write through
//! any server moves the counter, so the next view reads that patient again. As a backstop
//! against a writer that does not move it (a server still on an older release during an
//! upgrade), nothing is used for longer than about a minute ([`lifetime`]); each patient's
//! lifetime differs a little, so a busy dashboard reads a few patients again now and then
//! rather than its whole caseload at once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use jiff::{SignedDuration, Timestamp};
use unknot_core::clinic::model::ProgrammeVersion;
use unknot_core::clinic::signals::Signals;
use unknot_store::{CaseListing, CaseRecords};

/// The shortest time kept records are used for; each patient's adds up to [`SPREAD_MS`].
const FRESH_FOR: SignedDuration = SignedDuration::from_secs(45);

/// How far apart patients' lifetimes are spread, in milliseconds.
const SPREAD_MS: u64 = 30_000;

/// How long a patient's kept records are used: between 45 and 75 seconds, the same for the
/// same patient, different between patients (from a hash of the id).
fn lifetime(patient: &str) -> SignedDuration {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    patient.hash(&mut h);
    let spread = i64::try_from(h.finish() % SPREAD_MS).unwrap_or(0);
    FRESH_FOR + SignedDuration::from_millis(spread)
}

/// How many patients' records are kept before the lot is dropped: a bound on memory (a few
/// kilobytes a patient) that a whole clinic group's caseloads fit under.
const MAX_PATIENTS: usize = 50_000;

/// One patient's records, with what they were read under.
struct Kept {
    version: i64,
    care_changed: Timestamp,
    read_at: Timestamp,
    /// When they stop being used.
    until: Timestamp,
    records: Arc<CaseRecords>,
    /// The signals last worked out from these records, and what else they were worked out
    /// from.
    signals: Option<(SignalsKey, Signals)>,
}

/// What a patient's signals depend on besides their records (and the time): the programme in
/// force, the unread count and the patient's date today. Signals kept under the same key are
/// used until the records they came from stop being used, so a change that time alone makes
/// (a day passing, an answer ageing) shows within the records' lifetime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SignalsKey {
    /// The programme in force, as id and version.
    pub(crate) programme: Option<(String, u32)>,
    /// Unread messages from the patient.
    pub(crate) unread: u32,
    /// The patient's date today.
    pub(crate) today: jiff::civil::Date,
}

/// How long after a view's `now` records may have been read and still be used by it. Views
/// run side by side, each with the time it started: records a view kept a few milliseconds
/// after another view started are as good for that one (the read window has days to spare),
/// and refusing them made every view that waited for another's read read the caseload again.
/// A clock set back further (in tests) still reads again.
const READ_LATER_BY: SignedDuration = SignedDuration::from_secs(5);

impl Kept {
    /// Whether the records may still be used at `now`: read no later than [`READ_LATER_BY`]
    /// after it, and not yet past their lifetime.
    fn fresh(&self, now: Timestamp) -> bool {
        now.checked_add(READ_LATER_BY)
            .is_ok_and(|latest| self.read_at <= latest)
            && now < self.until
    }
}

/// The records this server keeps, by patient id.
#[derive(Default)]
pub(crate) struct KeptCaseloads {
    inner: Mutex<Inner>,
    /// One turn per caseload for reading records that are not kept: views of the same
    /// caseload that miss at the same moment (a server just started, many tabs) read once and
    /// share, instead of each reading the whole caseload.
    turns: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

#[derive(Default)]
struct Inner {
    by_patient: HashMap<String, Kept>,
    swept: Option<Timestamp>,
}

impl KeptCaseloads {
    /// The kept records of the patient listed, if they still hold at `now`.
    pub(crate) fn get(&self, listing: &CaseListing, now: Timestamp) -> Option<Arc<CaseRecords>> {
        let inner = self.inner.lock().ok()?;
        let kept = inner.by_patient.get(&listing.link.patient_id)?;
        (kept.fresh(now)
            && kept.version == listing.version
            && kept.care_changed == listing.link.changed)
            .then(|| kept.records.clone())
    }

    /// Keeps `records`, read at `read_at` after `listing` was read.
    pub(crate) fn keep(
        &self,
        listing: &CaseListing,
        read_at: Timestamp,
        records: Arc<CaseRecords>,
    ) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        if inner.by_patient.len() >= MAX_PATIENTS {
            inner.by_patient.clear();
        }
        inner.by_patient.insert(
            listing.link.patient_id.clone(),
            Kept {
                version: listing.version,
                care_changed: listing.link.changed,
                read_at,
                until: read_at
                    .checked_add(lifetime(&listing.link.patient_id))
                    .unwrap_or(read_at),
                records,
                signals: None,
            },
        );
    }

    /// The signals kept with `records` under `key`, if `records` are still the patient's kept
    /// records.
    pub(crate) fn signals(
        &self,
        patient: &str,
        records: &Arc<CaseRecords>,
        key: &SignalsKey,
    ) -> Option<Signals> {
        let inner = self.inner.lock().ok()?;
        let kept = inner.by_patient.get(patient)?;
        let (k, s) = kept.signals.as_ref()?;
        (Arc::ptr_eq(&kept.records, records) && k == key).then(|| s.clone())
    }

    /// Keeps `signals`, worked out from `records` under `key`, unless other records have been
    /// kept for the patient since (they would not match).
    pub(crate) fn remember(
        &self,
        patient: &str,
        records: &Arc<CaseRecords>,
        key: SignalsKey,
        signals: &Signals,
    ) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        if let Some(kept) = inner.by_patient.get_mut(patient)
            && Arc::ptr_eq(&kept.records, records)
        {
            kept.signals = Some((key, signals.clone()));
        }
    }
}

impl KeptCaseloads {
    /// The turn for reading `caseload`'s missing records (hold it while reading them).
    pub(crate) fn turn(&self, caseload: &str) -> Arc<tokio::sync::Mutex<()>> {
        let Ok(mut turns) = self.turns.lock() else {
            // Nobody to share with: a turn of its own.
            return Arc::default();
        };
        if turns.len() >= MAX_PATIENTS {
            turns.clear();
        }
        turns.entry(caseload.to_string()).or_default().clone()
    }

    /// Drops what can no longer be used, at most once per [`FRESH_FOR`]; called at the start
    /// of every dashboard view, so the records of a patient who left every caseload (or erased
    /// their account) stay in memory until the first sweep after their lifetime, not for
    /// good. (A server that shows no dashboard at all keeps what it has until it does.)
    pub(crate) fn sweep(&self, now: Timestamp) {
        if let Ok(mut inner) = self.inner.lock() {
            inner.sweep(now);
        }
    }
}

impl Inner {
    fn sweep(&mut self, now: Timestamp) {
        // A view that started before the last sweep's does not sweep again: with its older
        // `now` it would only drop what the views after it have just kept.
        let due = self.swept.is_none_or(|t| {
            now.duration_since(t) >= FRESH_FOR || t.duration_since(now) > READ_LATER_BY
        });
        if !due {
            return;
        }
        self.by_patient.retain(|_, k| k.fresh(now));
        self.swept = Some(now);
    }
}

/// Programme versions this server has read, by programme id and version. A version is never
/// changed once written (a change is a new version), so a kept one is always right.
#[derive(Default)]
pub(crate) struct KeptVersions {
    /// The version of each programme read last, by programme id (looked up by id and version,
    /// so an older one read late is only read again).
    map: Mutex<HashMap<String, Arc<ProgrammeVersion>>>,
}

impl KeptVersions {
    /// The kept version, if this server has read it.
    pub(crate) fn get(&self, id: &str, version: u32) -> Option<Arc<ProgrammeVersion>> {
        let map = self.map.lock().ok()?;
        map.get(id).filter(|v| v.version == version).cloned()
    }

    /// Keeps a version read from the store.
    pub(crate) fn keep(&self, v: ProgrammeVersion) -> Arc<ProgrammeVersion> {
        let v = Arc::new(v);
        if let Ok(mut map) = self.map.lock() {
            if map.len() >= MAX_PATIENTS {
                map.clear();
            }
            map.insert(v.programme_id.clone(), v.clone());
        }
        v
    }
}

/// How many Observations a patient's journal gives the FHIR API: pain ratings (each entry's
/// overall one and each rated region) and PEG scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ObservationCounts {
    /// Pain ratings.
    pub(crate) ratings: usize,
    /// Check-ins with all three PEG answers.
    pub(crate) pegs: usize,
}

/// One patient's counts, with the journal change counter they were counted at.
struct Counted {
    version: i64,
    read_at: Timestamp,
    until: Timestamp,
    counts: ObservationCounts,
}

/// Each server's count of each patient's Observations, for a FHIR search's `total`. Counting
/// reads every entry's regions and every check-in, which was the largest part of a search for
/// one page; the count holds while the patient's journal change counter has not moved, and,
/// like the dashboard's records, for about a minute at most ([`lifetime`]).
#[derive(Default)]
pub(crate) struct KeptCounts {
    map: Mutex<HashMap<String, Counted>>,
}

impl KeptCounts {
    /// The patient's kept counts, if they were counted at `version` and still hold at `now`.
    pub(crate) fn get(
        &self,
        patient: &str,
        version: i64,
        now: Timestamp,
    ) -> Option<ObservationCounts> {
        let map = self.map.lock().ok()?;
        let c = map.get(patient)?;
        let read_in_time = now
            .checked_add(READ_LATER_BY)
            .is_ok_and(|latest| c.read_at <= latest);
        (c.version == version && read_in_time && now < c.until).then_some(c.counts)
    }

    /// Keeps `counts`, counted at `read_at` after the counter was read as `version`.
    pub(crate) fn keep(
        &self,
        patient: &str,
        version: i64,
        read_at: Timestamp,
        counts: ObservationCounts,
    ) {
        let Ok(mut map) = self.map.lock() else {
            return;
        };
        if map.len() >= MAX_PATIENTS {
            map.clear();
        }
        let until = read_at.checked_add(lifetime(patient)).unwrap_or(read_at);
        map.insert(
            patient.to_string(),
            Counted {
                version,
                read_at,
                until,
                counts,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn kept(read_at: Timestamp) -> Kept {
        Kept {
            version: 1,
            care_changed: read_at,
            read_at,
            until: read_at.checked_add(lifetime("p")).unwrap(),
            records: Arc::default(),
            signals: None,
        }
    }

    #[test]
    fn records_kept_just_after_a_view_began_serve_it_but_not_a_clock_set_back() {
        let read = at("2026-06-01T12:00:00.020Z");
        let k = kept(read);
        assert!(k.fresh(at("2026-06-01T12:00:00.000Z")), "read 20 ms later");
        assert!(k.fresh(at("2026-06-01T12:00:40Z")));
        assert!(!k.fresh(at("2026-06-01T11:59:50Z")), "read 10 s later");
        assert!(!k.fresh(at("2026-06-01T12:01:20Z")), "past the lifetime");
    }

    #[test]
    fn a_view_that_began_before_the_last_sweep_keeps_what_others_just_kept() {
        let mut inner = Inner::default();
        let first = at("2026-06-01T12:00:00.050Z");
        inner.sweep(first);
        inner.by_patient.insert("p".into(), kept(first));
        // A view that started 30 ms before the sweep reaches its own only now.
        inner.sweep(at("2026-06-01T12:00:00.020Z"));
        assert!(
            inner.by_patient.contains_key("p"),
            "not swept by an older view"
        );
        inner.sweep(at("2026-06-01T12:02:00Z"));
        assert!(inner.by_patient.is_empty(), "swept once past its lifetime");
    }
}

//! Each server's memory of the records its dashboards read, patient by patient. A patient's
//! records are used again while their journal change counter (read with the caseload list,
//! before any record) has not moved and their care began at the same time; a write through
//! any server moves the counter, so the next view reads that patient again. As a backstop
//! against a writer that does not move it (a server still on an older release during an
//! upgrade), nothing is used for longer than [`FRESH_FOR`]: the dashboard then reads the whole
//! caseload again, once a minute at most.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use jiff::{SignedDuration, Timestamp};
use unknot_store::{CaseListing, CaseRecords};

/// How long kept records are used at most.
pub(crate) const FRESH_FOR: SignedDuration = SignedDuration::from_secs(60);

/// How many patients' records are kept before the lot is dropped: a bound on memory (a few
/// kilobytes a patient) that a whole clinic group's caseloads fit under.
const MAX_PATIENTS: usize = 50_000;

/// One patient's records, with what they were read under.
struct Kept {
    version: i64,
    care_changed: Timestamp,
    read_at: Timestamp,
    records: Arc<CaseRecords>,
}

/// The records this server keeps, by patient id.
#[derive(Default)]
pub(crate) struct KeptCaseloads {
    inner: Mutex<Inner>,
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
        // Records read at a later time than `now` (a clock set back, in tests) do not reach
        // back far enough: read again.
        let fresh = kept.read_at <= now && now.duration_since(kept.read_at) < FRESH_FOR;
        (fresh && kept.version == listing.version && kept.care_changed == listing.link.changed)
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
        inner.sweep(read_at);
        if inner.by_patient.len() >= MAX_PATIENTS {
            inner.by_patient.clear();
        }
        inner.by_patient.insert(
            listing.link.patient_id.clone(),
            Kept {
                version: listing.version,
                care_changed: listing.link.changed,
                read_at,
                records,
            },
        );
    }
}

impl Inner {
    /// Drops what can no longer be used, at most once per [`FRESH_FOR`]: so the records of a
    /// patient who left every caseload (or erased their account) do not stay in memory.
    fn sweep(&mut self, now: Timestamp) {
        let due = self
            .swept
            .is_none_or(|t| t > now || now.duration_since(t) >= FRESH_FOR);
        if !due {
            return;
        }
        self.by_patient
            .retain(|_, k| k.read_at <= now && now.duration_since(k.read_at) < FRESH_FOR);
        self.swept = Some(now);
    }
}

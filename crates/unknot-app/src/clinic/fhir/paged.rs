//! The FHIR search a client makes most, one patient's Observations a page at a time, answered
//! from a page of their entries rather than from every entry they ever wrote: two years in, a
//! patient has about 2,600 Observations and a page shows 50 (docs/PERFORMANCE.md, "The
//! journal's own tables, audit appends together, FHIR pages"). The total comes from a count in the database, kept per server while
//! the patient's journal does not change; the page and its order are the same as the general
//! search gives, which a test checks page by page.

use jiff::{SignedDuration, Timestamp};
use unknot_export::fhir;

use super::search::{Search, Test};
use super::{Field, Item, Scope, observation};
use unknot_store::Store;

use crate::AppResult;
use crate::clinic::ClinicApp;
use crate::clinic::kept::ObservationCounts;

/// The matches from the search's cursor on, in order, at least one more than the page when
/// there are more; and how many match in all.
pub(super) struct Paged {
    pub(super) after: Vec<Item>,
    pub(super) total: usize,
}

/// The patient of a search that names one and nothing else to filter on; paging and
/// includes may be asked for.
fn sole_patient<'s>(kind: &str, search: &'s Search) -> Option<&'s str> {
    let [only] = search.filters.as_slice() else {
        return None;
    };
    match (kind, only.field, only.any_of.as_slice()) {
        ("Observation", Field::Patient, [Test::Reference(k, id)])
            if k.as_deref().is_none_or(|k| k == "Patient") =>
        {
            Some(id)
        }
        _ => None,
    }
}

/// Whether `item` comes after the search's cursor.
fn beyond(search: &Search, item: &Item) -> bool {
    search.after.as_ref().is_none_or(|a| item.key() > *a)
}

/// The pain ratings of entries from `from` on that come after the cursor: read more each time
/// until the page is full among the Observations up to the last instant read (later ones
/// cannot sort before them; every entry at that instant is read, so none is cut off). Returns
/// them with that instant, or `None` when the journal ended first.
async fn rated_from(
    store: &Store,
    patient: &str,
    subject: &str,
    search: &Search,
    from: Timestamp,
) -> AppResult<(Vec<Item>, Option<Timestamp>)> {
    let want = search.count.saturating_add(1);
    let mut found = Vec::new();
    let mut since = from;
    let mut batch = u32::try_from(want).unwrap_or(u32::MAX);
    loop {
        let page = store.entries_from(since, batch).await?;
        for (e, written) in &page.entries {
            let written = Timestamp::from_millisecond(*written).ok();
            for o in fhir::pain_observations_of(e, subject) {
                let item = observation(o, patient, fhir::PAIN_LOINC, e.at.timestamp(), written)?;
                if beyond(search, &item) {
                    found.push(item);
                }
            }
        }
        let Some(last) = page.more_after else {
            return Ok((found, None));
        };
        if found.len() >= want {
            return Ok((found, Some(last)));
        }
        since = last.saturating_add(SignedDuration::from_millis(1))?;
        batch = batch.saturating_mul(2);
    }
}

impl ClinicApp {
    /// One visible patient's Observations (`Observation?patient=…`), read a page at a time;
    /// `None` for any other search, which the handlers answer by reading everything.
    pub(super) async fn observations_paged(
        &self,
        kind: &str,
        scope: &Scope,
        search: &Search,
    ) -> AppResult<Option<Paged>> {
        let Some(patient) = sole_patient(kind, search) else {
            return Ok(None);
        };
        if !scope.patients.iter().any(|s| s.account.id == patient) {
            return Ok(None);
        }
        let app = self.app.for_user(patient);
        let store = app.store();
        let subject = format!("Patient/{patient}");
        let counts = self.observation_counts(store, patient, &subject).await?;
        let from = search
            .after
            .as_ref()
            .and_then(|(ms, _)| Timestamp::from_millisecond(*ms).ok())
            .unwrap_or(Timestamp::MIN);
        let (mut found, complete_to) = rated_from(store, patient, &subject, search, from).await?;
        // The PEG scores of the check-ins in the same stretch of time.
        for a in store.assessments_since(from).await? {
            let t = a.at.timestamp();
            // Compared in whole milliseconds, as entries are stored and items sorted: a
            // check-in within the last entry's millisecond belongs to the same stretch.
            if complete_to.is_some_and(|last| t.as_millisecond() > last.as_millisecond()) {
                break;
            }
            if let Some(o) = fhir::peg_observation_of(&a, &subject) {
                let item = observation(o, patient, fhir::PEG_LOINC, t, Some(t))?;
                if beyond(search, &item) {
                    found.push(item);
                }
            }
        }
        found.retain(|i| search.matches(i));
        found.sort_by_key(Item::key);
        Ok(Some(Paged {
            after: found,
            total: counts.ratings + counts.pegs,
        }))
    }

    /// How many Observations `patient`'s journal gives: kept by this server while their
    /// journal change counter (read first, so a write in between is counted again next time)
    /// has not moved, counted in the database otherwise.
    async fn observation_counts(
        &self,
        store: &Store,
        patient: &str,
        subject: &str,
    ) -> AppResult<ObservationCounts> {
        let version = store.journal_version().await?;
        let now = self.now();
        if let Some(c) = self.counts.get(patient, version, now) {
            return Ok(c);
        }
        let ratings = usize::try_from(store.pain_rating_count().await?).unwrap_or(usize::MAX);
        let assessments = store.assessments().await?;
        let pegs = assessments
            .iter()
            .filter(|a| fhir::peg_observation_of(a, subject).is_some())
            .count();
        let counts = ObservationCounts { ratings, pegs };
        self.counts.keep(patient, version, now, counts);
        Ok(counts)
    }
}

//! The journal: log, edit and delete entries, read them back by period and region, and the
//! trends over them. Every entry passes core's `Entry::check` before it is stored, whichever
//! edge it came from.

use jiff::civil::Date;
use jiff::{Timestamp, Zoned};
use serde::Serialize;
use unknot_core::body::Region;
use unknot_core::journal::{Entry, EntryId};
use unknot_core::trends::{self, TrendOptions, Trends};
use unknot_store::{EntryRange, Inserted};

use crate::{App, AppResult};

/// Which entries to read.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Earliest instant (inclusive).
    pub since: Option<Timestamp>,
    /// Latest instant (inclusive).
    pub until: Option<Timestamp>,
    /// Only entries touching one of these regions (rated there, or a knot there or spreading
    /// there); empty for all.
    pub regions: Vec<Region>,
}

/// The outcome of a write that a client may send more than once with an id it made (a phone
/// that queued it offline, a retry after a lost answer): stored now, or found exactly as an
/// earlier request stored it.
#[derive(Debug, Clone, PartialEq)]
pub enum Posted<T> {
    /// Stored by this request.
    Created(T),
    /// Already stored by an earlier request with the same id and content; nothing was written.
    Replayed(T),
}

impl<T> Posted<T> {
    /// True when this request stored it.
    pub fn is_new(&self) -> bool {
        matches!(self, Posted::Created(_))
    }

    /// The record, as stored.
    pub fn into_inner(self) -> T {
        match self {
            Posted::Created(v) | Posted::Replayed(v) => v,
        }
    }
}

/// A client-made id in the form entry ids take, in lower case so a UUID written either way
/// names one record (and the short-id search, which compares lower case, finds it).
pub fn client_id(id: &str) -> AppResult<EntryId> {
    Ok(EntryId::new(id.to_ascii_lowercase())?)
}

/// The time as the store keeps it (to the millisecond), so what a write answers is what a
/// read, or a retry, answers later.
pub(crate) fn as_stored(at: &Zoned) -> AppResult<Zoned> {
    let ms = jiff::Timestamp::from_millisecond(at.timestamp().as_millisecond())?;
    Ok(ms.to_zoned(at.time_zone().clone()))
}

/// Whether a stored entry holds what was posted again under its id. The time is compared to the
/// millisecond (what the store keeps) and only when the client gave one: left out, it was "now"
/// at the first attempt and is another "now" at the retry.
fn same_entry(stored: &Entry, posted: &Entry, time_given: bool) -> bool {
    let same_time = !time_given
        || stored.at.timestamp().as_millisecond() == posted.at.timestamp().as_millisecond();
    let mut posted = posted.clone();
    posted.at = stored.at.clone();
    same_time && *stored == posted
}

/// A page of entries.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    /// The entries, oldest first, in the person's time zone.
    pub entries: Vec<Entry>,
    /// How many entries match the filter in all (the page may show fewer).
    pub matching: usize,
    /// How many entries the journal holds in all.
    pub total: u64,
}

impl App {
    /// A blank entry made now, with a new id, for an edge to fill.
    pub async fn new_entry(&self) -> AppResult<Entry> {
        let now = self.now().await?;
        Ok(Entry::new(EntryId::new(self.new_id())?, now))
    }

    /// Stores a new entry after core's checks.
    pub async fn log(&self, entry: Entry) -> AppResult<Entry> {
        let now = self.clock().now();
        entry.check(now)?;
        self.store().insert_entry(&entry).await?;
        Ok(entry)
    }

    /// Stores a new entry whose id the client made, once: posting the same id and content again
    /// answers the stored entry and writes nothing; the same id with other content, or an id in
    /// another person's journal, is refused with [`crate::AppError::IdInUse`]. `time_given` says
    /// whether the client set the entry's time (otherwise it is not compared).
    pub async fn log_once(&self, mut entry: Entry, time_given: bool) -> AppResult<Posted<Entry>> {
        entry.at = as_stored(&entry.at)?;
        entry.check(self.clock().now())?;
        match self.store().insert_entry_if_absent(&entry).await? {
            Inserted::Added => Ok(Posted::Created(entry)),
            Inserted::Existing(old) if same_entry(&old, &entry, time_given) => {
                Ok(Posted::Replayed(old))
            }
            Inserted::Existing(_) | Inserted::Taken => {
                Err(crate::AppError::IdInUse(entry.id.to_string()))
            }
        }
    }

    /// Stores many new entries in one transaction after core's checks (demo data, benchmarks).
    pub async fn log_many(&self, entries: &[Entry]) -> AppResult<()> {
        let now = self.clock().now();
        for e in entries {
            e.check(now)?;
        }
        self.store().insert_entries(entries).await?;
        Ok(())
    }

    /// How many entries the journal holds.
    pub async fn entry_count(&self) -> AppResult<u64> {
        Ok(self.store().count_entries().await?)
    }

    /// Finds an entry by its full id or a unique ending of four or more characters.
    pub async fn entry(&self, id: &str) -> AppResult<Entry> {
        Ok(self.store().find_entry(id).await?)
    }

    /// Changes an entry: `change` edits a copy, core checks it, then it replaces the stored one.
    /// The id cannot change.
    pub async fn edit(
        &self,
        id: &str,
        change: impl FnOnce(&mut Entry) -> AppResult<()>,
    ) -> AppResult<Entry> {
        let old = self.store().find_entry(id).await?;
        let mut entry = old.clone();
        change(&mut entry)?;
        entry.id = old.id;
        entry.check(self.clock().now())?;
        self.store().update_entry(&entry).await?;
        Ok(entry)
    }

    /// Deletes an entry and returns what it held.
    pub async fn delete(&self, id: &str) -> AppResult<Entry> {
        let entry = self.store().find_entry(id).await?;
        self.store().delete_entry(&entry.id).await?;
        Ok(entry)
    }

    /// The entries matching `filter`, oldest first, keeping only the newest `last` when given.
    /// Each entry keeps the time zone it was lived in.
    pub async fn history(&self, filter: &Filter, last: Option<usize>) -> AppResult<Page> {
        let range = EntryRange {
            since: filter.since,
            until: filter.until,
            // A region filter applies after loading, so then the limit must wait for it.
            last: last
                .filter(|_| filter.regions.is_empty())
                .and_then(|n| u32::try_from(n).ok()),
        };
        let mut entries = self.store().list_entries(range).await?;
        if !filter.regions.is_empty() {
            entries.retain(|e| filter.regions.iter().any(|r| e.touches(*r)));
        }
        let matching = if last.is_some() && filter.regions.is_empty() {
            self.store()
                .count_entries_between(filter.since, filter.until)
                .await?
        } else {
            entries.len()
        };
        if let Some(n) = last
            && entries.len() > n
        {
            entries.drain(..entries.len() - n);
        }
        Ok(Page {
            entries,
            matching,
            total: self.store().count_entries().await?,
        })
    }

    /// Entries on the local days `since..=until`, oldest first, shown in the person's time
    /// zone (so each falls on the day the person's calendar shows).
    pub async fn entries_on_days(&self, since: Date, until: Date) -> AppResult<Vec<Entry>> {
        let zone = self.zone().await?;
        let filter = self.days_filter(since, until).await?;
        let mut entries = self.history(&filter, None).await?.entries;
        for e in &mut entries {
            e.at = e.at.with_time_zone(zone.clone());
        }
        Ok(entries)
    }

    /// The local day of the journal's first entry, if it holds any: where "all time" starts
    /// when a page shows the whole journal.
    pub async fn first_entry_day(&self) -> AppResult<Option<Date>> {
        let zone = self.zone().await?;
        let entries = self.store().list_entries(EntryRange::default()).await?;
        Ok(entries
            .iter()
            .map(|e| e.at.with_time_zone(zone.clone()).date())
            .min())
    }

    /// A filter for the local days `since..=until`.
    pub async fn days_filter(&self, since: Date, until: Date) -> AppResult<Filter> {
        let zone = self.zone().await?;
        let start = since.to_zoned(zone.clone())?.timestamp();
        let end = until.tomorrow()?.to_zoned(zone)?.timestamp();
        Ok(Filter {
            since: Some(start),
            until: Some(end - jiff::SignedDuration::from_millis(1)),
            regions: Vec::new(),
        })
    }

    /// Weekly and monthly pain, the muscles that knot most, and what comes before bad days,
    /// over the whole journal.
    pub async fn trends(&self, options: TrendOptions) -> AppResult<Trends> {
        let now = self.now().await?;
        let entries = self.store().list_entries(EntryRange::default()).await?;
        Ok(trends::compute(&entries, now.date(), options))
    }
}

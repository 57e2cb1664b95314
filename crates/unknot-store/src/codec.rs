//! Turning entries into row values and back.
//!
//! The scalar fields an engine can filter on (time, pain) are columns; the small lists that are
//! always read with their entry travel as one JSON document in `details`. Decoding re-runs
//! nothing but shape checks: entries were validated in core before they were written.

use std::borrow::Cow;
use std::collections::HashMap;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;
use unknot_core::journal::PainKind;
use unknot_core::journal::{Context, Entry, EntryId, Knot, RegionPain, Treatments};
use unknot_core::score::Score;
use unknot_core::trends::TrendSample;

use crate::error::StoreError;

#[derive(Serialize)]
struct DetailsOut<'a> {
    #[serde(skip_serializing_if = "<[RegionPain]>::is_empty")]
    regions: &'a [RegionPain],
    #[serde(skip_serializing_if = "<[Knot]>::is_empty")]
    knots: &'a [Knot],
    #[serde(skip_serializing_if = "<[PainKind]>::is_empty")]
    pain_kinds: &'a [PainKind],
    #[serde(skip_serializing_if = "Context::is_empty")]
    context: &'a Context,
    #[serde(skip_serializing_if = "Treatments::is_empty")]
    treatments: &'a Treatments,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DetailsIn {
    #[serde(default)]
    regions: Vec<RegionPain>,
    #[serde(default)]
    knots: Vec<Knot>,
    #[serde(default)]
    pain_kinds: Vec<PainKind>,
    #[serde(default)]
    context: Context,
    #[serde(default)]
    treatments: Treatments,
}

/// Row values for one entry.
pub(crate) struct EntryRow {
    pub id: String,
    pub at_ms: i64,
    pub time_zone: String,
    pub pain: Option<i64>,
    pub details: String,
    pub note: Option<String>,
}

pub(crate) fn encode(entry: &Entry) -> Result<EntryRow, StoreError> {
    let details = serde_json::to_string(&DetailsOut {
        regions: &entry.regions,
        knots: &entry.knots,
        pain_kinds: &entry.pain_kinds,
        context: &entry.context,
        treatments: &entry.treatments,
    })
    .map_err(|e| StoreError::Corrupt {
        id: entry.id.to_string(),
        reason: e.to_string(),
    })?;
    let ts = entry.at.timestamp();
    Ok(EntryRow {
        id: entry.id.to_string(),
        at_ms: ts.as_millisecond(),
        time_zone: zone_name(entry.at.time_zone(), ts),
        pain: entry.pain.map(|p| i64::from(p.get())),
        details,
        note: entry.note.clone(),
    })
}

pub(crate) fn decode(row: &AnyRow) -> Result<Entry, StoreError> {
    decode_with(row, &mut ZoneCache::default())
}

/// [`decode`] for one of many rows: `zones` keeps the time zones already read, as a list
/// query's decoding does (reading a fixed offset's name each row was a tenth of a dashboard).
pub(crate) fn decode_with(row: &AnyRow, zones: &mut ZoneCache) -> Result<Entry, StoreError> {
    let id: String = row.try_get(0)?;
    let details: String = row.try_get(4)?;
    let details: DetailsIn = serde_json::from_str(&details).map_err(|e| StoreError::Corrupt {
        id: id.clone(),
        reason: e.to_string(),
    })?;
    let parts = Parts {
        at_ms: row.try_get(1)?,
        zone: Cow::Owned(row.try_get(2)?),
        pain: row.try_get(3)?,
        details,
        note: row.try_get(5)?,
        id: Cow::Owned(id),
    };
    parts.into_entry(zones)
}

/// One entry as the list query's JSON array carries it: `[id, at_ms, zone, pain, details, note]`.
#[derive(Deserialize)]
pub(crate) struct Parts<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    at_ms: i64,
    #[serde(borrow)]
    zone: Cow<'a, str>,
    pain: Option<i64>,
    details: DetailsIn,
    note: Option<String>,
}

/// Time zones looked up once per query rather than once per row.
#[derive(Default)]
pub(crate) struct ZoneCache(HashMap<String, TimeZone>);

impl ZoneCache {
    /// The zone a stored name gives, read once per name.
    pub(crate) fn zone(&mut self, name: &str) -> Result<TimeZone, String> {
        if let Some(tz) = self.0.get(name) {
            return Ok(tz.clone());
        }
        let tz = zone_from_name(name)?;
        self.0.insert(name.to_string(), tz.clone());
        Ok(tz)
    }
}

impl Parts<'_> {
    pub(crate) fn into_entry(self, zones: &mut ZoneCache) -> Result<Entry, StoreError> {
        let id = self.id.into_owned();
        let corrupt = |reason: String| StoreError::Corrupt {
            id: id.clone(),
            reason,
        };
        let ts = Timestamp::from_millisecond(self.at_ms).map_err(|e| corrupt(e.to_string()))?;
        let tz = zones.zone(&self.zone).map_err(corrupt)?;
        let pain = self
            .pain
            .map(|p| Score::new(p, "pain"))
            .transpose()
            .map_err(|e| corrupt(e.to_string()))?;
        let d = self.details;
        Ok(Entry {
            id: EntryId::new(id.clone()).map_err(|e| corrupt(e.to_string()))?,
            at: ts.to_zoned(tz),
            pain,
            regions: d.regions,
            knots: d.knots,
            pain_kinds: d.pain_kinds,
            context: d.context,
            treatments: d.treatments,
            note: self.note,
        })
    }
}

/// Decodes the JSON array a list query returns.
pub(crate) fn decode_list(json: &str) -> Result<Vec<Entry>, StoreError> {
    let rows: Vec<Parts> = serde_json::from_str(json).map_err(|e| StoreError::Corrupt {
        id: "(entry list)".to_string(),
        reason: e.to_string(),
    })?;
    let mut zones = ZoneCache::default();
    rows.into_iter().map(|p| p.into_entry(&mut zones)).collect()
}

/// The parts of `details` that trends read. The other fields are named so that an unknown
/// field is still refused as corruption, but their contents are skipped, not built.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TrendDetailsIn {
    #[serde(default)]
    knots: Vec<Knot>,
    #[serde(default)]
    context: Context,
    #[serde(default, rename = "regions")]
    _regions: IgnoredAny,
    #[serde(default, rename = "pain_kinds")]
    _pain_kinds: IgnoredAny,
    #[serde(default, rename = "treatments")]
    _treatments: IgnoredAny,
}

fn trend_corrupt(reason: String) -> StoreError {
    StoreError::Corrupt {
        id: "(trend data)".to_string(),
        reason,
    }
}

/// The parts of one entry's `details` that trends read.
pub(crate) fn trend_details(json: &str) -> Result<TrendDetailsIn, StoreError> {
    serde_json::from_str(json).map_err(|e| trend_corrupt(e.to_string()))
}

/// The zone of the previous sample: consecutive entries almost always share one.
#[derive(Default)]
pub(crate) struct LastZone(Option<(String, TimeZone)>);

/// One sample from its row values, dated in the entry's own time zone.
pub(crate) fn sample(
    at_ms: i64,
    zone: &str,
    pain: Option<i64>,
    details: TrendDetailsIn,
    last: &mut LastZone,
) -> Result<TrendSample, StoreError> {
    let tz = match &last.0 {
        Some((name, tz)) if name == zone => tz.clone(),
        _ => {
            let tz = zone_from_name(zone).map_err(trend_corrupt)?;
            last.0 = Some((zone.to_string(), tz.clone()));
            tz
        }
    };
    let ts = Timestamp::from_millisecond(at_ms).map_err(|e| trend_corrupt(e.to_string()))?;
    let pain = pain
        .map(|p| Score::new(p, "pain"))
        .transpose()
        .map_err(|e| trend_corrupt(e.to_string()))?;
    Ok(TrendSample {
        day: tz.to_datetime(ts).date(),
        pain,
        context: details.context,
        knots: details.knots,
    })
}

/// Decodes the four lists of SQLite's trends query: JSON arrays of times and pain ratings,
/// the zones separated by commas, and the details one JSON object per line (read one after
/// another, never gathered into a list of their own).
pub(crate) fn decode_samples(
    at_ms: &str,
    zones: &str,
    pains: &str,
    details: &str,
) -> Result<Vec<TrendSample>, StoreError> {
    let at_ms: Vec<i64> = serde_json::from_str(at_ms).map_err(|e| trend_corrupt(e.to_string()))?;
    let pains: Vec<Option<i64>> =
        serde_json::from_str(pains).map_err(|e| trend_corrupt(e.to_string()))?;
    let n = at_ms.len();
    let zone_count = if zones.is_empty() {
        0
    } else {
        zones.split(',').count()
    };
    if pains.len() != n || zone_count != n {
        return Err(trend_corrupt(format!(
            "{n} times, {zone_count} zones and {} ratings do not match",
            pains.len()
        )));
    }
    let mut details = serde_json::Deserializer::from_str(details).into_iter::<TrendDetailsIn>();
    let mut last = LastZone::default();
    let mut out = Vec::with_capacity(n);
    for ((ms, zone), pain) in at_ms.into_iter().zip(zones.split(',')).zip(pains) {
        let d = details
            .next()
            .ok_or_else(|| trend_corrupt(format!("details for {} of {n} entries", out.len())))?
            .map_err(|e| trend_corrupt(e.to_string()))?;
        out.push(sample(ms, zone, pain, d, &mut last)?);
    }
    if details.next().is_some() {
        return Err(trend_corrupt(format!("more details than {n} entries")));
    }
    Ok(out)
}

/// The IANA name of a zone, or its offset at `ts` when it has none (a fixed-offset zone).
pub(crate) fn zone_name(tz: &TimeZone, ts: Timestamp) -> String {
    match tz.iana_name() {
        Some(name) => name.to_string(),
        None => tz.to_offset(ts).to_string(),
    }
}

/// Reads back what [`zone_name`] wrote.
pub(crate) fn zone_from_name(name: &str) -> Result<TimeZone, String> {
    if name.starts_with('+') || name.starts_with('-') {
        // A fixed offset: let jiff's own RFC 9557 reader parse it rather than hand-rolling one.
        return format!("1970-01-01T00:00:00{name}[{name}]")
            .parse::<jiff::Zoned>()
            .map(|z| z.time_zone().clone())
            .map_err(|_| format!("unreadable offset '{name}'"));
    }
    crate::zones::named(name).map_err(|e| format!("unknown time zone '{name}': {e}"))
}

//! Turning entries into row values and back.
//!
//! The scalar fields an engine can filter on (time, pain) are columns; the small lists that are
//! always read with their entry travel as one JSON document in `details`. Decoding re-runs
//! nothing but shape checks: entries were validated in core before they were written.

use std::borrow::Cow;
use std::collections::HashMap;

use jiff::Timestamp;
use jiff::civil::Date;
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
    /// The entry's local date as a number ([`day_number`]), for trends.
    pub local_day: Option<i64>,
    /// Its knots and context as JSON, for trends ([`TrendFactsOut`]).
    pub trend_facts: String,
}

/// What trends count from an entry besides its date and pain, kept in `trend_facts`: the
/// same field names as in `details`, so [`TrendDetailsIn`] reads either.
#[derive(Serialize)]
struct TrendFactsOut<'a> {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    knots: Vec<KnotFactOut<'a>>,
    #[serde(skip_serializing_if = "Context::is_empty")]
    context: &'a Context,
}

/// A knot as trends count it: where the pain travels is left out (trends do not read it, and
/// [`Knot`] reads it as none).
#[derive(Serialize)]
struct KnotFactOut<'a> {
    muscle: &'a unknot_core::body::Muscle,
    side: &'a unknot_core::body::Side,
    tenderness: &'a Score,
}

/// A date as the number `yyyymmdd` (20260301), or `None` outside years 1 to 9999, where that
/// form would not read back (such rows are dated from their time and zone instead).
pub(crate) fn day_number(d: Date) -> Option<i64> {
    let year = i64::from(d.year());
    (1..=9999)
        .contains(&year)
        .then(|| year * 10_000 + i64::from(d.month()) * 100 + i64::from(d.day()))
}

/// Reads back what [`day_number`] wrote.
fn day_from_number(n: i64) -> Result<Date, StoreError> {
    let part = |v: i64| i8::try_from(v).unwrap_or(0);
    i16::try_from(n / 10_000)
        .ok()
        .and_then(|y| Date::new(y, part(n / 100 % 100), part(n % 100)).ok())
        .ok_or_else(|| trend_corrupt(format!("{n} is not a date")))
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
    let trend_facts = serde_json::to_string(&TrendFactsOut {
        knots: entry
            .knots
            .iter()
            .map(|k| KnotFactOut {
                muscle: &k.muscle,
                side: &k.side,
                tenderness: &k.tenderness,
            })
            .collect(),
        context: &entry.context,
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
        local_day: day_number(entry.at.date()),
        trend_facts,
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

/// Where a sample's date comes from: the stored `local_day`, or (a row without one) its time
/// and zone.
pub(crate) enum Dated<'a> {
    /// `local_day` as stored.
    Day(i64),
    /// `at_ms` and `time_zone`.
    At(i64, &'a str),
}

/// One sample from its row values, dated in the entry's own time zone.
pub(crate) fn sample(
    dated: Dated<'_>,
    pain: Option<i64>,
    details: TrendDetailsIn,
    last: &mut LastZone,
) -> Result<TrendSample, StoreError> {
    let day = match dated {
        Dated::Day(n) => day_from_number(n)?,
        Dated::At(at_ms, zone) => {
            let tz = match &last.0 {
                Some((name, tz)) if name == zone => tz.clone(),
                _ => {
                    let tz = zone_from_name(zone).map_err(trend_corrupt)?;
                    last.0 = Some((zone.to_string(), tz.clone()));
                    tz
                }
            };
            let ts =
                Timestamp::from_millisecond(at_ms).map_err(|e| trend_corrupt(e.to_string()))?;
            tz.to_datetime(ts).date()
        }
    };
    let pain = pain
        .map(|p| Score::new(p, "pain"))
        .transpose()
        .map_err(|e| trend_corrupt(e.to_string()))?;
    let mut knots = details.knots;
    // Where a knot's pain travels is not kept in `trend_facts`: left out of every sample alike.
    for k in &mut knots {
        k.refers_to.clear();
    }
    Ok(TrendSample {
        day,
        pain,
        context: details.context,
        knots,
    })
}

/// Decodes the two lists of SQLite's trends query: lines of `LOCAL_DAY PAIN FACTS` for rows
/// with the trend columns, and lines of `AT_MS ZONE PAIN DETAILS` for rows without (`PAIN` is
/// `-` when unrated).
pub(crate) fn decode_sample_lines(
    dated: &str,
    undated: &str,
) -> Result<Vec<TrendSample>, StoreError> {
    let mut out =
        Vec::with_capacity(dated.matches('\n').count() + undated.matches('\n').count() + 2);
    let mut last = LastZone::default();
    for line in lines(dated) {
        let [day, pain, facts] = fields(line)?;
        let day = Dated::Day(number(day)?);
        out.push(sample(
            day,
            rating(pain)?,
            trend_details(facts)?,
            &mut last,
        )?);
    }
    for line in lines(undated) {
        let [at, rest] = fields(line)?;
        let [zone, pain, details] = fields(rest)?;
        let at = Dated::At(number(at)?, zone);
        out.push(sample(
            at,
            rating(pain)?,
            trend_details(details)?,
            &mut last,
        )?);
    }
    Ok(out)
}

/// The lines of one list.
fn lines(list: &str) -> impl Iterator<Item = &str> {
    list.split('\n').filter(|l| !l.is_empty())
}

/// The first `N - 1` space-separated fields of a line and the rest.
fn fields<const N: usize>(line: &str) -> Result<[&str; N], StoreError> {
    let mut parts = line.splitn(N, ' ');
    let mut out = [""; N];
    for slot in &mut out {
        *slot = parts
            .next()
            .ok_or_else(|| trend_corrupt(format!("a line of trend data is short: {line:.40}")))?;
    }
    Ok(out)
}

fn number(s: &str) -> Result<i64, StoreError> {
    s.parse()
        .map_err(|_| trend_corrupt(format!("'{s:.20}' is not a number")))
}

fn rating(s: &str) -> Result<Option<i64>, StoreError> {
    if s == "-" {
        Ok(None)
    } else {
        number(s).map(Some)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_number_reads_back_as_its_date_and_years_it_cannot_hold_have_none() {
        for d in ["2026-03-01", "0001-01-01", "9999-12-31", "2024-02-29"] {
            let date: Date = d.parse().unwrap();
            let n = day_number(date).unwrap();
            assert_eq!(day_from_number(n).unwrap(), date, "{d}");
        }
        assert_eq!(day_number("2026-03-01".parse().unwrap()), Some(20_260_301));
        assert_eq!(day_number(Date::new(-1, 6, 1).unwrap()), None);
        assert_eq!(day_number("0000-06-01".parse().unwrap()), None);
        for bad in [20_260_230, 20_261_301, 0, -20_260_301] {
            assert!(day_from_number(bad).is_err(), "{bad}");
        }
    }
}

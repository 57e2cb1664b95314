//! Periods as the pages and the API take them: `since` and `until` as local dates
//! (YYYY-MM-DD), read into core dates with the bad value named. Shared by History, the visit
//! summary, the entry list and the exports, so every one reads dates the same way.

use jiff::ToSpan;
use jiff::Zoned;
use jiff::civil::Date;
use serde::Deserialize;
use unknot_app::App;
use unknot_app::data::Period;
use unknot_core::InputError;
use unknot_core::body::Region;

use crate::WebError;

/// Dates and a region, as a form or a query string sends them.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DatesQuery {
    /// First day (YYYY-MM-DD).
    pub since: Option<String>,
    /// Last day (YYYY-MM-DD), default today.
    pub until: Option<String>,
    /// Only entries touching this region.
    pub region: Option<String>,
}

fn date(v: Option<&str>, field: &str) -> Result<Option<Date>, WebError> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s.parse::<Date>().map(Some).map_err(|_| {
            WebError::Input(InputError::malformed(
                field,
                s,
                "expected a date as YYYY-MM-DD",
            ))
        }),
    }
}

/// The days asked for: `since` defaults to `default_days` before `until` (today by default).
pub fn days(q: &DatesQuery, now: &Zoned, default_days: i64) -> Result<(Date, Date), WebError> {
    let until = date(q.until.as_deref(), "until")?.unwrap_or(now.date());
    let since = date(q.since.as_deref(), "since")?.unwrap_or_else(|| {
        until
            .checked_sub((default_days - 1).days())
            .unwrap_or(until)
    });
    if since > until {
        return Err(WebError::Input(InputError::Inconsistent(format!(
            "the start {since} is after the end {until}"
        ))));
    }
    Ok((since, until))
}

/// The region asked for, if any.
pub fn region(q: &DatesQuery) -> Result<Option<Region>, WebError> {
    match q.region.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(r) => Ok(Some(r.parse::<Region>()?)),
    }
}

/// An export's period: from the start of `since` to the end of `until`, each end open when not
/// given (the terminal's `--since` and `--until` work the same way).
pub async fn export_period(
    app: &App,
    since: Option<&str>,
    until: Option<&str>,
) -> Result<Period, WebError> {
    let start = date(since, "since")?;
    let end = date(until, "until")?;
    if let (Some(s), Some(e)) = (start, end)
        && s > e
    {
        return Err(WebError::Input(InputError::Inconsistent(format!(
            "the start {s} is after the end {e}"
        ))));
    }
    let mut period = Period::ALL;
    if let Some(s) = start {
        period.since = app.days_filter(s, s).await?.since;
    }
    if let Some(e) = end {
        period.until = app.days_filter(e, e).await?.until;
    }
    Ok(period)
}

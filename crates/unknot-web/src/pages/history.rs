//! History: entries over a period (optionally one region), the daily pain chart, weekly counts,
//! and every entry, a page at a time, newest first.

use askama::Template;
use axum::extract::Query;
use axum::http::Method;
use axum::routing::get;
use serde::Deserialize;
use unknot_core::body::Region;
use unknot_core::trends;
use unknot_export::charts::{self, Series};

use super::journal::EntryRow;
use super::{Layout, PageResult, render};
use crate::access::{Me, Routes, Rule};
use crate::period::{self, DatesQuery};
use crate::{AppState, WebError};

/// Entries shown per page of the table.
pub const PAGE_ROWS: usize = 50;

pub fn routes() -> Routes {
    Routes::new().at("/history", Rule::Own, &[Method::GET], get(history))
}

#[derive(Template)]
#[template(path = "history.html")]
struct HistoryPage {
    layout: Layout,
    since: String,
    until: String,
    region: String,
    regions: Vec<(&'static str, &'static str)>,
    error: Option<String>,
    /// The period in words ("2 Sep 2026 to 30 Nov 2026").
    period: String,
    count: usize,
    of_total: Option<u64>,
    shown: String,
    page: usize,
    pages: usize,
    ranges: Vec<RangeLink>,
    older: Option<String>,
    newer: Option<String>,
    pain_chart: String,
    weekly_chart: String,
    entries: Vec<EntryRow>,
}

/// A quick choice of period: its words, its link, and whether it is the one shown.
struct RangeLink {
    label: &'static str,
    href: String,
    current: bool,
}

#[derive(Debug, Default, Deserialize)]
struct HistoryQuery {
    #[serde(flatten)]
    dates: DatesQuery,
    page: Option<usize>,
}

/// The quick periods: the last 30, 90 and 365 days, and the whole journal.
async fn ranges(
    state: &AppState,
    now: &jiff::Zoned,
    shown: (jiff::civil::Date, jiff::civil::Date),
    region: &str,
) -> Result<Vec<RangeLink>, WebError> {
    let today = now.date();
    let first = state
        .app()
        .first_entry_day()
        .await?
        .unwrap_or(today)
        .min(today);
    let back = |days: i64| {
        today
            .checked_sub(jiff::Span::new().days(days - 1))
            .unwrap_or(today)
    };
    Ok([
        ("30 days", back(30)),
        ("90 days", back(90)),
        ("A year", back(365)),
        ("All", first),
    ]
    .into_iter()
    .map(|(label, since)| RangeLink {
        label,
        href: format!("/history?since={since}&until={today}&region={region}"),
        current: shown == (since, today),
    })
    .collect())
}

fn weekly_chart(
    entries: &[unknot_core::journal::Entry],
    since: jiff::civil::Date,
    until: jiff::civil::Date,
) -> String {
    let weeks = trends::weekly_counts(entries, since, until);
    let dates: Vec<_> = weeks.iter().map(|w| w.start).collect();
    let series = |label: &str, f: fn(&trends::WeekCounts) -> usize| Series {
        label: label.into(),
        values: weeks.iter().map(|w| Some(f(w) as f64)).collect(),
    };
    let all = [
        series("knots", |w| w.knots),
        series("exercise days", |w| w.exercise_days),
        series("heat or cold days", |w| w.heat_cold_days),
    ];
    let top = all
        .iter()
        .flat_map(|s| s.values.iter().flatten())
        .fold(1.0f64, |a, b| a.max(*b));
    charts::chart_html(
        "Knots recorded, and days with exercise or heat and cold, by week",
        if weeks.len() >= 2 { &dates } else { &[] },
        &all,
        top.ceil() + 1.0,
    )
}

fn link(q: &DatesQuery, since: jiff::civil::Date, until: jiff::civil::Date, page: usize) -> String {
    let region = q.region.as_deref().unwrap_or_default();
    format!("/history?since={since}&until={until}&region={region}&page={page}")
}

async fn history(Me(state): Me, Query(q): Query<HistoryQuery>) -> PageResult {
    let now = state.now().await?;
    let checked = period::days(&q.dates, &now, 90).and_then(|d| Ok((d, period::region(&q.dates)?)));
    let (((since, until), region), error) = match checked {
        Ok(r) => (r, None),
        Err(e) => (
            (period::days(&DatesQuery::default(), &now, 90)?, None),
            Some(e.to_string()),
        ),
    };
    let mut entries = state.app().entries_on_days(since, until).await?;
    if let Some(r) = region {
        entries.retain(|e| e.touches(r));
    }
    let (dates, pain) = trends::daily_pain(&entries, since, until);
    let count = entries.len();
    let pages = count.div_ceil(PAGE_ROWS).max(1);
    let page = q.page.unwrap_or(1).clamp(1, pages);
    let zone = now.time_zone().clone();
    let rows: Vec<EntryRow> = entries
        .iter()
        .rev()
        .skip((page - 1) * PAGE_ROWS)
        .take(PAGE_ROWS)
        .map(|e| EntryRow::new(e, &zone))
        .collect();
    let first = (page - 1) * PAGE_ROWS + 1;
    let shown = match count {
        0 => "No entries in this period".to_string(),
        1 => "The one entry in this period".to_string(),
        n if n <= PAGE_ROWS => format!("All {n} entries in this period, newest first"),
        n => format!(
            "Entries {first} to {} of {n}, newest first",
            first + rows.len() - 1
        ),
    };
    let region_id = region.map(|r| r.id().to_string()).unwrap_or_default();
    let page_view = HistoryPage {
        layout: Layout::new(&state, "History", "history").await?,
        since: since.to_string(),
        until: until.to_string(),
        ranges: ranges(&state, &now, (since, until), &region_id).await?,
        region: region_id,
        regions: Region::ALL.iter().map(|r| (r.id(), r.label())).collect(),
        error,
        period: format!(
            "{} to {}",
            since.strftime("%-d %b %Y"),
            until.strftime("%-d %b %Y")
        ),
        count,
        of_total: Some(state.app().entry_count().await?).filter(|t| *t > count as u64),
        shown,
        page,
        pages,
        older: (page < pages).then(|| link(&q.dates, since, until, page + 1)),
        newer: (page > 1).then(|| link(&q.dates, since, until, page - 1)),
        pain_chart: charts::chart_html(
            "Average pain by day",
            &dates,
            &[Series {
                label: "pain".into(),
                values: pain,
            }],
            10.0,
        ),
        weekly_chart: weekly_chart(&entries, since, until),
        entries: rows,
    };
    Ok(render(&page_view))
}

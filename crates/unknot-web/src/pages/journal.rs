//! Today, the journal (add, edit, delete with the body map) and history (filters, charts,
//! export links).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use jiff::civil::Date;
use jiff::{ToSpan, Zoned};
use serde::Deserialize;
use unknot_core::body::{Muscle, Region, Side};
use unknot_core::journal::Entry;
use unknot_core::trends::{self, TrendOptions};
use unknot_store::EntryRange;

use super::{Layout, PageResult, render, see_other};
use crate::entry_form::{self, FormView, Pairs};
use crate::security::check_form_token;
use crate::state::CachedBody;
use crate::{AppState, WebError};
use unknot_export::bodymap;
use unknot_export::charts::{self, Series};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(today))
        .route("/journal", get(journal).post(add))
        .route("/journal/{id}/edit", get(edit_form))
        .route("/journal/{id}", post(update))
        .route("/journal/{id}/delete", post(delete))
        .route("/history", get(history))
}

#[derive(Template)]
#[template(path = "today.html")]
struct TodayPage {
    layout: Layout,
    date: String,
    next: Vec<(String, &'static str)>,
    routine_minutes: Option<u32>,
    routine_count: usize,
    routine_done: bool,
    break_every: Option<u16>,
    streak: u32,
    heat_map: String,
    top_muscles: Vec<(String, usize)>,
    chart30: String,
    chart90: String,
}

/// Daily mean pain over the `days` ending today, one value per day.
pub fn daily_pain(entries: &[Entry], end: Date, days: i64) -> (Vec<Date>, Vec<Option<f64>>) {
    let start = end.checked_sub((days - 1).days()).unwrap_or(end);
    let mut sums = vec![(0.0, 0u32); days as usize];
    for e in entries {
        let d = e.at.date();
        if d < start || d > end {
            continue;
        }
        if let (Some(p), Ok(span)) = (e.pain, start.until(d)) {
            let i = span.get_days() as usize;
            if let Some(slot) = sums.get_mut(i) {
                slot.0 += f64::from(p.get());
                slot.1 += 1;
            }
        }
    }
    let dates = (0..days)
        .filter_map(|i| start.checked_add(i.days()).ok())
        .collect();
    let values = sums
        .into_iter()
        .map(|(s, n)| (n > 0).then(|| s / f64::from(n)))
        .collect();
    (dates, values)
}

/// Muscles and sides counted over entries, for the heat map.
fn knot_counts(entries: &[Entry]) -> Vec<(Muscle, Side, usize)> {
    let mut counts: Vec<(Muscle, Side, usize)> = Vec::new();
    for k in entries.iter().flat_map(|e| &e.knots) {
        match counts.iter_mut().find(|c| c.0 == k.muscle && c.1 == k.side) {
            Some(c) => c.2 += 1,
            None => counts.push((k.muscle, k.side, 1)),
        }
    }
    counts
}

async fn today(State(state): State<AppState>) -> PageResult {
    let now = state.now();
    let key = format!("page:today:{}", now.date());
    if let Some(hit) = state.cached(&key) {
        return Ok(cached_response(&hit));
    }
    let generation = state.generation();
    let store = state.store();
    let t = store.today(&now, false).await?;
    let since = now
        .checked_sub(90.days())
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let entries: Vec<Entry> = store
        .list_entries(EntryRange {
            since: Some(since.timestamp()),
            ..Default::default()
        })
        .await?
        .into_iter()
        .map(|mut e| {
            e.at = e.at.with_time_zone(now.time_zone().clone());
            e
        })
        .collect();
    let (d30, v30) = daily_pain(&entries, now.date(), 30);
    let (d90, v90) = daily_pain(&entries, now.date(), 90);
    let summary = trends::compute(
        &entries,
        now.date(),
        TrendOptions {
            weeks: 1,
            months: 1,
        },
    );
    let counts = knot_counts(&entries);
    let link = |action: &str| -> &'static str {
        match action {
            "assess" => "/assess",
            "session" => "/session",
            "plan" => "/plan",
            "checkin" => "/checkin",
            _ => "",
        }
    };
    let page = TodayPage {
        layout: Layout::new(&state, "Today", "today").await?,
        date: now.strftime("%A %-d %B %Y").to_string(),
        next: t
            .next
            .iter()
            .zip(&t.next_actions)
            .map(|(n, a)| (n.clone(), link(a)))
            .collect(),
        routine_minutes: (!t.routine.is_empty()).then_some(t.routine_minutes),
        routine_count: t.routine.len(),
        routine_done: !t.routine.is_empty() && !t.routine_due,
        break_every: t.break_every_minutes,
        streak: t.streak_days,
        heat_map: bodymap::svg(bodymap::Mode::Heat { counts: &counts }),
        top_muscles: summary
            .muscles
            .iter()
            .take(5)
            .map(|m| (m.muscle.label().to_string(), m.count))
            .collect(),
        chart30: charts::line_chart(
            "Pain by day, last 30 days",
            &d30,
            &[Series {
                label: "pain".into(),
                values: v30,
            }],
            10.0,
        ),
        chart90: charts::line_chart(
            "Pain by day, last 90 days",
            &d90,
            &[Series {
                label: "pain".into(),
                values: v90,
            }],
            10.0,
        ),
    };
    let html = page
        .render()
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let body = state.keep(
        key,
        generation,
        CachedBody {
            content_type: "text/html; charset=utf-8",
            body: html.into(),
        },
    );
    Ok(cached_response(&body))
}

/// A response from a cached body.
pub fn cached_response(body: &CachedBody) -> Response {
    (
        [
            (header::CONTENT_TYPE, body.content_type),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body.body.clone(),
    )
        .into_response()
}

/// One entry as a table row.
pub struct EntryRow {
    pub id: String,
    pub short: String,
    pub when: String,
    pub pain: String,
    pub regions: String,
    pub knots: String,
    pub tried: String,
    pub note: String,
}

impl EntryRow {
    pub fn new(e: &Entry, zone: &jiff::tz::TimeZone) -> EntryRow {
        EntryRow {
            id: e.id.to_string(),
            short: e.id.short().to_string(),
            when: e
                .at
                .with_time_zone(zone.clone())
                .strftime("%a %-d %b %Y %H:%M")
                .to_string(),
            pain: e.pain.map(|p| p.get().to_string()).unwrap_or_default(),
            regions: e
                .regions
                .iter()
                .map(|r| format!("{} {}", r.region.label(), r.pain.get()))
                .collect::<Vec<_>>()
                .join(", "),
            knots: e
                .knots
                .iter()
                .map(|k| {
                    format!(
                        "{} ({}) {}",
                        k.muscle.label(),
                        k.side.label(),
                        k.tenderness.get()
                    )
                })
                .collect::<Vec<_>>()
                .join(", "),
            tried: e.treatments.summary().join(", "),
            note: e.note.clone().unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "journal.html")]
struct JournalPage {
    layout: Layout,
    message: Option<&'static str>,
    error: Option<String>,
    form: FormView,
    entries: Vec<EntryRow>,
}

#[derive(Deserialize)]
struct JournalQuery {
    done: Option<String>,
}

async fn recent(state: &AppState, n: u32) -> Result<Vec<EntryRow>, WebError> {
    let zone = state.now().time_zone().clone();
    let mut entries = state
        .store()
        .list_entries(EntryRange {
            last: Some(n),
            ..Default::default()
        })
        .await?;
    entries.reverse();
    Ok(entries.iter().map(|e| EntryRow::new(e, &zone)).collect())
}

async fn journal(State(state): State<AppState>, Query(q): Query<JournalQuery>) -> PageResult {
    let now = state.now();
    let blank = entry_form::new_entry(&now).map_err(WebError::from)?;
    let page = JournalPage {
        layout: Layout::new(&state, "Journal", "journal").await?,
        message: match q.done.as_deref() {
            Some("saved") => Some("Saved."),
            Some("updated") => Some("Entry updated."),
            Some("deleted") => Some("Entry deleted."),
            _ => None,
        },
        error: None,
        form: FormView::from_entry(&blank, "/journal".into(), "Save entry"),
        entries: recent(&state, 20).await?,
    };
    Ok(render(&page))
}

async fn add(State(state): State<AppState>, Form(pairs): Form<Pairs>) -> PageResult {
    check_form_token(&state, entry_form::one(&pairs, "csrf"))?;
    let now = state.now();
    let mut entry = entry_form::new_entry(&now).map_err(WebError::from)?;
    match entry_form::apply(&pairs, &mut entry, &now) {
        Ok(()) => {
            state.store().insert_entry(&entry).await?;
            state.changed();
            Ok(see_other("/journal?done=saved"))
        }
        Err(e) => {
            let page = JournalPage {
                layout: Layout::new(&state, "Journal", "journal").await?,
                message: None,
                error: Some(e.to_string()),
                form: FormView::from_pairs(&pairs, &now, "/journal".into(), "Save entry"),
                entries: recent(&state, 20).await?,
            };
            let mut res = render(&page);
            *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
    }
}

#[derive(Template)]
#[template(path = "edit.html")]
struct EditPage {
    layout: Layout,
    when: String,
    error: Option<String>,
    form: FormView,
}

async fn edit_form(State(state): State<AppState>, Path(id): Path<String>) -> PageResult {
    let mut entry = state.store().find_entry(&id).await?;
    let zone = state.now().time_zone().clone();
    entry.at = entry.at.with_time_zone(zone);
    let page = EditPage {
        layout: Layout::new(&state, "Edit entry", "journal").await?,
        when: entry.at.strftime("%a %-d %b %Y %H:%M").to_string(),
        error: None,
        form: FormView::from_entry(&entry, format!("/journal/{}", entry.id), "Save changes"),
    };
    Ok(render(&page))
}

async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Pairs>,
) -> PageResult {
    check_form_token(&state, entry_form::one(&pairs, "csrf"))?;
    let now = state.now();
    let mut entry = state.store().find_entry(&id).await?;
    let when = entry.at.strftime("%a %-d %b %Y %H:%M").to_string();
    match entry_form::apply(&pairs, &mut entry, &now) {
        Ok(()) => {
            state.store().update_entry(&entry).await?;
            state.changed();
            Ok(see_other("/journal?done=updated"))
        }
        Err(e) => {
            let page = EditPage {
                layout: Layout::new(&state, "Edit entry", "journal").await?,
                when,
                error: Some(e.to_string()),
                form: FormView::from_pairs(&pairs, &now, format!("/journal/{id}"), "Save changes"),
            };
            let mut res = render(&page);
            *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
    }
}

async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Pairs>,
) -> PageResult {
    check_form_token(&state, entry_form::one(&pairs, "csrf"))?;
    let entry = state.store().find_entry(&id).await?;
    state.store().delete_entry(&entry.id).await?;
    state.changed();
    Ok(see_other("/journal?done=deleted"))
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
    count: usize,
    pain_chart: String,
    weekly_chart: String,
    entries: Vec<EntryRow>,
}

/// The history filters, as the form and the API send them.
#[derive(Debug, Default, Deserialize)]
pub struct HistoryQuery {
    /// First day (YYYY-MM-DD), default 90 days ago.
    pub since: Option<String>,
    /// Last day, default today.
    pub until: Option<String>,
    /// Only entries touching this region.
    pub region: Option<String>,
}

/// Resolves the filters into dates and a region, naming any bad value.
pub fn resolve(q: &HistoryQuery, now: &Zoned) -> Result<(Date, Date, Option<Region>), WebError> {
    let date = |v: &Option<String>, field: &str| -> Result<Option<Date>, WebError> {
        match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => s.parse::<Date>().map(Some).map_err(|_| {
                WebError::Input(unknot_core::InputError::malformed(
                    field,
                    s,
                    "expected a date as YYYY-MM-DD",
                ))
            }),
        }
    };
    let until = date(&q.until, "until")?.unwrap_or(now.date());
    let since =
        date(&q.since, "since")?.unwrap_or_else(|| until.checked_sub(89.days()).unwrap_or(until));
    if since > until {
        return Err(WebError::Input(unknot_core::InputError::Inconsistent(
            format!("the start {since} is after the end {until}"),
        )));
    }
    let region = match q.region.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(r) => Some(r.parse::<Region>()?),
    };
    Ok((since, until, region))
}

/// Entries between two local dates (whole days), optionally touching a region.
pub async fn entries_between(
    state: &AppState,
    since: Date,
    until: Date,
    region: Option<Region>,
) -> Result<Vec<Entry>, WebError> {
    let zone = state.now().time_zone().clone();
    let start = since
        .to_zoned(zone.clone())
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let end = until
        .tomorrow()
        .and_then(|d| d.to_zoned(zone.clone()))
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let entries = state
        .store()
        .list_entries(EntryRange {
            since: Some(start.timestamp()),
            until: Some(end.timestamp() - jiff::SignedDuration::from_millis(1)),
            last: None,
        })
        .await?;
    Ok(entries
        .into_iter()
        .filter(|e| region.is_none_or(|r| e.touches(r)))
        .map(|mut e| {
            e.at = e.at.with_time_zone(zone.clone());
            e
        })
        .collect())
}

async fn history(State(state): State<AppState>, Query(q): Query<HistoryQuery>) -> PageResult {
    let now = state.now();
    let (resolved, error) = match resolve(&q, &now) {
        Ok(r) => (r, None),
        Err(e) => (
            resolve(&HistoryQuery::default(), &now)?,
            Some(e.to_string()),
        ),
    };
    let (since, until, region) = resolved;
    let entries = entries_between(&state, since, until, region).await?;
    let days = (since.until(until).map(|s| s.get_days()).unwrap_or(0) + 1).max(1) as i64;
    let (dates, pain) = daily_pain(&entries, until, days);
    // Weekly counts of knots and treatments.
    let weeks = ((days + 6) / 7) as usize;
    let mut knots = vec![Some(0.0); weeks];
    let mut stretch = vec![Some(0.0); weeks];
    let mut heat_cold = vec![Some(0.0); weeks];
    let mut week_dates = Vec::new();
    for w in 0..weeks {
        week_dates.push(since.checked_add((w as i64 * 7).days()).unwrap_or(since));
    }
    for e in &entries {
        let i = since
            .until(e.at.date())
            .map(|s| s.get_days() as usize / 7)
            .unwrap_or(0)
            .min(weeks.saturating_sub(1));
        let add = |v: &mut Vec<Option<f64>>, n: f64| {
            if let Some(Some(x)) = v.get_mut(i) {
                *x += n;
            }
        };
        add(&mut knots, e.knots.len() as f64);
        let t = &e.treatments;
        add(
            &mut stretch,
            f64::from(u8::from(t.stretching || t.strengthening)),
        );
        add(
            &mut heat_cold,
            f64::from(u8::from(
                t.heat_minutes.is_some() || t.cold_minutes.is_some(),
            )),
        );
    }
    let top = knots
        .iter()
        .chain(&stretch)
        .chain(&heat_cold)
        .flatten()
        .fold(1.0f64, |a, b| a.max(*b));
    let zone = now.time_zone().clone();
    let mut rows: Vec<EntryRow> = entries.iter().map(|e| EntryRow::new(e, &zone)).collect();
    rows.reverse();
    rows.truncate(500);
    let page = HistoryPage {
        layout: Layout::new(&state, "History", "history").await?,
        since: since.to_string(),
        until: until.to_string(),
        region: region.map(|r| r.id().to_string()).unwrap_or_default(),
        regions: Region::ALL.iter().map(|r| (r.id(), r.label())).collect(),
        error,
        count: entries.len(),
        pain_chart: charts::line_chart(
            "Average pain by day",
            &dates,
            &[Series {
                label: "pain".into(),
                values: pain,
            }],
            10.0,
        ),
        weekly_chart: charts::line_chart(
            "Knots recorded, and days with exercise or heat and cold, by week",
            if weeks >= 2 { &week_dates } else { &[] },
            &[
                Series {
                    label: "knots".into(),
                    values: knots,
                },
                Series {
                    label: "exercise days".into(),
                    values: stretch,
                },
                Series {
                    label: "heat or cold days".into(),
                    values: heat_cold,
                },
            ],
            top.ceil() + 1.0,
        ),
        entries: rows,
    };
    Ok(render(&page))
}

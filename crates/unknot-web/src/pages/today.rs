//! Today: what is due, the streak, and the last 30 and 90 days of pain and knots.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use jiff::ToSpan;
use unknot_core::today::NextStep;
use unknot_core::trends::{self, TrendOptions};
use unknot_export::bodymap;
use unknot_export::charts::{self, Series};

use super::{Layout, PageResult};
use crate::cache::{CachedBody, cached_response};
use crate::{AppState, WebError};

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(today))
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

/// A next step as a button: its words and where it leads.
fn step(next: NextStep) -> (String, &'static str) {
    let (words, link) = match next {
        NextStep::Assess => ("Start with a short safety check", "/assess"),
        NextStep::Session => ("Do today's routine", "/session"),
        NextStep::Plan => ("Make your plan", "/plan"),
        NextStep::Checkin => ("Your weekly check-in is due", "/checkin"),
        NextStep::Log => ("Log how your back feels", "/journal"),
    };
    (words.to_string(), link)
}

fn pain_chart(
    title: &str,
    entries: &[unknot_core::journal::Entry],
    days: i64,
    end: jiff::civil::Date,
) -> String {
    let start = end.checked_sub((days - 1).days()).unwrap_or(end);
    let (dates, values) = trends::daily_pain(entries, start, end);
    charts::line_chart(
        title,
        &dates,
        &[Series {
            label: "pain".into(),
            values,
        }],
        10.0,
    )
}

async fn today(State(state): State<AppState>) -> PageResult {
    let now = state.now().await?;
    let key = format!("page:today:{}", now.date());
    if let Some(hit) = state.cached(&key) {
        return Ok(cached_response(&hit));
    }
    let generation = state.generation();
    let app = state.app();
    let t = app.today().await?;
    let since = now.date().checked_sub(89.days()).unwrap_or(now.date());
    let entries = app.entries_on_days(since, now.date()).await?;
    let options = TrendOptions {
        weeks: 1,
        months: 1,
    };
    let summary = trends::compute(&entries, now.date(), options);
    let counts = trends::knot_counts(&entries);
    let page = TodayPage {
        layout: Layout::new(&state, "Today", "today").await?,
        date: now.strftime("%A %-d %B %Y").to_string(),
        next: t.next.iter().map(|n| step(*n)).collect(),
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
        chart30: pain_chart("Pain by day, last 30 days", &entries, 30, now.date()),
        chart90: pain_chart("Pain by day, last 90 days", &entries, 90, now.date()),
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

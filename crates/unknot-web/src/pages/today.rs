//! Today: what is due, the streak, and the last 30 and 90 days of pain and knots.

use askama::Template;
use axum::http::Method;
use axum::routing::get;
use jiff::ToSpan;
use unknot_core::clinic::programme;
use unknot_core::today::{CHECKIN_EVERY_DAYS, NextStep};
use unknot_core::trends::{self, TrendOptions};
use unknot_export::bodymap;
use unknot_export::charts::{self, Series};

use super::{Layout, PageResult};
use crate::access::{Me, Routes, Rule};
use crate::cache::{CachedBody, cached_response};
use crate::{AppState, WebError};

pub fn routes() -> Routes {
    Routes::new().at("/", Rule::Own, &[Method::GET], get(today))
}

#[derive(Template)]
#[template(path = "today.html")]
struct TodayPage {
    layout: Layout,
    date: String,
    /// The most important step, as the page's main button.
    first: Option<Step>,
    /// The other steps due, as a list.
    rest: Vec<Step>,
    assessed: bool,
    logged_today: bool,
    routine_minutes: Option<u32>,
    routine_count: usize,
    routine_done: bool,
    /// Days to the weekly check-in in words ("Due" when it is), once assessed.
    checkin: Option<String>,
    checkin_due: bool,
    break_every: Option<u16>,
    streak: u32,
    has_entries: bool,
    heat_map: String,
    top_muscles: Vec<(String, usize)>,
    chart30: String,
    chart90: String,
    /// The programme a clinician prescribed, shown first (clinic server only).
    programme: Option<ProgrammeCard>,
    /// Questionnaires a clinic asks for now, in words.
    asked: Vec<String>,
    /// Unread messages from the clinic (a patient on the clinic server).
    unread: Option<u32>,
}

/// The prescribed programme as Today shows it.
struct ProgrammeCard {
    name: String,
    clinic: String,
    due_today: u32,
    schedule: String,
    note: String,
    minutes: u32,
    /// Each exercise: its id, name, dosage in words and the clinician's instructions.
    items: Vec<(String, String, String, String)>,
}

/// What only the clinic server shows a patient on Today: the programme in force, the
/// questionnaires asked for, the unread messages. Nothing on the local app or in a preview.
async fn from_the_clinic(
    state: &AppState,
) -> Result<(Option<ProgrammeCard>, Vec<String>, Option<u32>), WebError> {
    let (Some(c), Some(who)) = (state.clinic(), state.principal()) else {
        return Ok((None, Vec::new(), None));
    };
    if state.preview_of().is_some() {
        return Ok((None, Vec::new(), None));
    }
    let programme = c.my_programme(who).await?.map(|m| {
        let body = &m.version.body;
        ProgrammeCard {
            name: body.name.clone(),
            clinic: m.clinic.clone(),
            due_today: m.due_today,
            schedule: programme::schedule_words(&body.schedule),
            note: body.note.clone(),
            minutes: m
                .items
                .iter()
                .map(|i| i.dosage.total_seconds())
                .sum::<u32>()
                .div_ceil(60),
            items: body
                .items
                .iter()
                .map(|p| {
                    let name = m
                        .items
                        .iter()
                        .find(|i| i.exercise == p.exercise)
                        .map_or_else(|| p.exercise.clone(), |i| i.name.clone());
                    (
                        p.exercise.clone(),
                        name,
                        programme::dose_words(p),
                        p.instructions.clone(),
                    )
                })
                .collect(),
        }
    });
    let asked = c
        .questionnaires_due(who)
        .await?
        .into_iter()
        .map(|a| {
            let names: Vec<&str> = a.due.iter().map(|d| short_name(d.instrument)).collect();
            format!("{} asks for {}", a.clinic, names.join(" and "))
        })
        .collect();
    let unread = if who.is_staff() {
        None
    } else {
        Some(c.my_unread(who).await?)
    };
    Ok((programme, asked, unread))
}

fn short_name(i: unknot_core::outcomes::Instrument) -> &'static str {
    use unknot_core::outcomes::Instrument;
    match i {
        Instrument::Peg => "the PEG questions",
        Instrument::Psfs => "your activity scores (PSFS)",
        _ => i.name(),
    }
}

/// A next step: a heading, a line on why, the button's words, where it leads, and its icon.
struct Step {
    title: String,
    why: String,
    action: &'static str,
    link: &'static str,
    icon: &'static str,
}

/// A next step in words, for the main button or the list under it.
fn step(next: NextStep, t: &unknot_core::today::Today) -> Step {
    let (title, why, action, link, icon) = match next {
        NextStep::Assess => (
            "Start with a short safety check".to_string(),
            "A few questions about warning signs first, then about you and your back. It decides \
             whether exercises are right for you now, and it takes about five minutes."
                .to_string(),
            "Start the safety check",
            "/assess",
            "shield",
        ),
        NextStep::Session => (
            "Do today's routine".to_string(),
            format!(
                "{} exercises, about {} minutes, with a timer for each.",
                t.routine.len(),
                t.routine_minutes
            ),
            "Start the session",
            "/session",
            "session",
        ),
        NextStep::Plan => (
            "Make your plan".to_string(),
            "Your safety check is done: see the exercises chosen for you and why.".to_string(),
            "See my plan",
            "/plan",
            "plan",
        ),
        NextStep::Checkin => (
            "Your weekly check-in is due".to_string(),
            "The warning signs again and a few scores, to see what changed this week.".to_string(),
            "Do the check-in",
            "/checkin",
            "checkin",
        ),
        NextStep::Log => (
            "Log how your back feels".to_string(),
            "A number for the pain, where it hurts and any knots: about a minute.".to_string(),
            "Log it now",
            "/journal#new",
            "journal",
        ),
    };
    Step {
        title,
        why,
        action,
        link,
        icon,
    }
}

/// Where knots came in `entries` as a heat map of the body (empty without any knots), and the
/// five muscles named most often with their counts: Today's card, and the clinician's view of
/// it on the care page.
pub(crate) fn knot_map(
    entries: &[unknot_core::journal::Entry],
    today: jiff::civil::Date,
) -> (String, Vec<(String, usize)>) {
    let counts = trends::knot_counts(entries);
    if counts.is_empty() {
        return (String::new(), Vec::new());
    }
    let options = TrendOptions {
        weeks: 1,
        months: 1,
    };
    let top = trends::compute(entries, today, options)
        .muscles
        .iter()
        .take(5)
        .map(|m| (m.muscle.label().to_string(), m.count))
        .collect();
    (bodymap::svg(bodymap::Mode::Heat { counts: &counts }), top)
}

/// Average pain by day over the `days` ending `end`, as the chart Today draws (also on the
/// clinician's care page, so both see the same figure).
pub(crate) fn pain_chart(
    title: &str,
    entries: &[unknot_core::journal::Entry],
    days: i64,
    end: jiff::civil::Date,
) -> String {
    let start = end.checked_sub((days - 1).days()).unwrap_or(end);
    let (dates, values) = trends::daily_pain(entries, start, end);
    charts::chart_html(
        title,
        &dates,
        &[Series {
            label: "pain".into(),
            values,
        }],
        10.0,
    )
}

pub(crate) async fn today(Me(state): Me) -> PageResult {
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
    let (heat_map, top_muscles) = knot_map(&entries, now.date());
    let (programme, asked, unread) = from_the_clinic(&state).await?;
    // With a programme in force its card leads the page, and "do today's routine" (which now
    // plays the programme) is not offered twice.
    let mut steps = t
        .next
        .iter()
        .filter(|n| programme.is_none() || **n != NextStep::Session)
        .map(|n| step(*n, &t));
    let date = now.strftime("%A %-d %B %Y").to_string();
    let page = TodayPage {
        // The window's title carries the date as well ("Today, Monday 1 June 2026").
        layout: Layout::with_triage(
            &state,
            &format!("Today, {date}"),
            "today",
            t.triage.clone(),
            unread,
        )
        .await?,
        date,
        first: steps.next(),
        rest: steps.collect(),
        assessed: t.urgency.is_some(),
        logged_today: t.logged_today,
        routine_minutes: (!t.routine.is_empty()).then_some(t.routine_minutes),
        routine_count: t.routine.len(),
        routine_done: !t.routine.is_empty() && !t.routine_due,
        checkin: t.days_since_checkin.map(|d| match CHECKIN_EVERY_DAYS - d {
            ..=0 => "Due".to_string(),
            1 => "1 day".to_string(),
            n => format!("{n} days"),
        }),
        checkin_due: t.checkin_due,
        break_every: t.break_every_minutes,
        streak: t.streak_days,
        has_entries: !entries.is_empty(),
        heat_map,
        top_muscles,
        chart30: pain_chart("Pain by day, last 30 days", &entries, 30, now.date()),
        chart90: pain_chart("Pain by day, last 90 days", &entries, 90, now.date()),
        programme,
        asked,
        unread,
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

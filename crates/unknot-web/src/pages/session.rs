//! The session player and the heat and cold timers. The player keeps time in the browser
//! against steps the server computed; results go to the API.

use askama::Template;
use axum::extract::Query;
use axum::http::Method;
use axum::routing::get;
use serde::Deserialize;
use unknot_app::AppError;
use unknot_core::catalogue::TherapyKind;
use unknot_core::signs::SESSION_SIGNS;
use unknot_core::therapy::Request;

use super::{Layout, PageResult, render};
use crate::AppState;
use crate::access::{Me, Routes, Rule};
use crate::entry_form::{ScalePoint, scale};

pub fn routes() -> Routes {
    Routes::new()
        .at("/session", Rule::Own, &[Method::GET], get(session))
        .at("/therapy", Rule::Own, &[Method::GET], get(therapy))
}

#[derive(Template)]
#[template(path = "session.html")]
struct SessionPage {
    layout: Layout,
    /// One exercise from the library rather than today's routine.
    single: bool,
    items: Vec<ItemView>,
    minutes: u32,
    speed: f64,
    steps_url: String,
    pain_scale: Vec<ScalePoint>,
    /// Seconds below which an exercise cut short counts as not done (core's rule).
    meaningful: u32,
    /// The warning signs the finish form asks about: id and words (core's table).
    signs: Vec<(&'static str, String)>,
}

/// One exercise of the session, with when not to do it and when to stop.
struct ItemView {
    id: String,
    name: String,
    dose: String,
    avoid_if: Vec<String>,
    stop_if: Vec<String>,
}

#[derive(Deserialize)]
struct SessionQuery {
    exercise: Option<String>,
}

async fn session(Me(state): Me, Query(q): Query<SessionQuery>) -> PageResult {
    let items = match state.app().session_items(q.exercise.as_deref()).await {
        Ok(items) => items,
        Err(AppError::Missing(_) | AppError::Withheld(_)) => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    let seconds: u32 = items.iter().map(|i| i.dosage.total_seconds()).sum();
    let catalogue = state.catalogue().await?;
    let page = SessionPage {
        layout: Layout::new(&state, "Session", "session").await?,
        single: q.exercise.is_some(),
        items: items
            .iter()
            .map(|i| {
                let safety = i.safety(&catalogue);
                ItemView {
                    id: i.exercise.clone(),
                    name: i.name.clone(),
                    dose: i.dosage.describe(),
                    avoid_if: safety.avoid_if,
                    stop_if: safety.stop_if,
                }
            })
            .collect(),
        pain_scale: scale(None),
        signs: SESSION_SIGNS.iter().map(|s| (s.id, s.words())).collect(),
        meaningful: unknot_core::today::MEANINGFUL_SECONDS,
        minutes: seconds.div_ceil(60),
        speed: state.speed(),
        steps_url: match &q.exercise {
            Some(id) => format!("/api/v1/session/steps?exercise={}", urlencode(id)),
            None => "/api/v1/session/steps".into(),
        },
    };
    Ok(render(&page))
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

struct TherapyView {
    id: &'static str,
    name: String,
    summary: String,
    /// Minutes that can be chosen (heat and cold); `None` for contrast's fixed rounds.
    minutes: Option<(u16, u16)>,
    /// Contrast's rounds in words.
    rounds: String,
    barrier: String,
    stop_if: Vec<String>,
    warnings: Vec<String>,
}

#[derive(Template)]
#[template(path = "therapy.html")]
struct TherapyPage {
    layout: Layout,
    therapies: Vec<TherapyView>,
    speed: f64,
}

async fn therapy_view(
    state: &AppState,
    id: &'static str,
    kind: TherapyKind,
) -> Result<TherapyView, crate::WebError> {
    let catalogue = state.catalogue().await?;
    let t = catalogue.therapies();
    let prepared = state
        .app()
        .prepare_therapy(Request {
            kind,
            minutes: None,
        })
        .await?;
    let (summary, minutes) = match kind {
        TherapyKind::Heat => (
            &t.heat.summary,
            Some((t.heat.max_minutes, t.heat.default_minutes)),
        ),
        TherapyKind::Cold => (
            &t.cold.summary,
            Some((t.cold.max_minutes, t.cold.default_minutes)),
        ),
        TherapyKind::Contrast => (&t.contrast.summary, None),
    };
    let rounds = prepared
        .phases
        .iter()
        .map(|(k, m)| match k {
            TherapyKind::Cold => format!("{m} min cold"),
            _ => format!("{m} min heat"),
        })
        .collect::<Vec<_>>()
        .join(", then ");
    Ok(TherapyView {
        id,
        name: prepared.name,
        summary: summary.clone(),
        minutes,
        rounds,
        barrier: prepared.barrier,
        stop_if: prepared.stop_if,
        warnings: prepared.warnings.into_iter().map(|w| w.says).collect(),
    })
}

async fn therapy(Me(state): Me) -> PageResult {
    let page = TherapyPage {
        layout: Layout::new(&state, "Heat and cold", "therapy").await?,
        therapies: vec![
            therapy_view(&state, "heat", TherapyKind::Heat).await?,
            therapy_view(&state, "cold", TherapyKind::Cold).await?,
            therapy_view(&state, "contrast", TherapyKind::Contrast).await?,
        ],
        speed: state.speed(),
    };
    Ok(render(&page))
}

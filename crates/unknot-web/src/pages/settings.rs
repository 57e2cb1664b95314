//! Settings: preferences (break reminders, quiet hours, time zone, theme, name), the export
//! links, and importing a backup.

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Query};
use axum::http::Method;
use axum::routing::{get, post};
use serde::Deserialize;
use unknot_core::settings::{Settings, Theme};

use super::{Layout, PageResult, refused, render, see_other};
use crate::access::{Me, Routes, Rule};
use crate::entry_form::{Pairs, one};
use crate::security::check_form_token;
use crate::{AppState, WebError};

pub fn routes() -> Routes {
    Routes::new()
        .at(
            "/settings",
            Rule::Own,
            &[Method::GET, Method::POST],
            get(settings).post(save_settings),
        )
        .at(
            "/settings/import",
            Rule::Own,
            &[Method::POST],
            post(import).layer(axum::extract::DefaultBodyLimit::max(crate::MAX_BODY_BYTES)),
        )
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    layout: Layout,
    message: Option<String>,
    error: Option<String>,
    break_every: String,
    quiet_start: String,
    quiet_end: String,
    time_zone: String,
    name: String,
    calendar_url: String,
    themes: Vec<(&'static str, bool)>,
}

#[derive(Deserialize, Default)]
struct SettingsQuery {
    done: Option<String>,
}

async fn settings_page(
    state: &AppState,
    calendar_url: &str,
    shown: &Settings,
    message: Option<String>,
    error: Option<String>,
) -> PageResult {
    let time = |t: Option<jiff::civil::Time>| t.map(|t| t.strftime("%H:%M").to_string());
    let page = SettingsPage {
        layout: Layout::new(state, "Settings", "settings").await?,
        message,
        error,
        break_every: shown
            .break_every_minutes
            .map(|m| m.to_string())
            .unwrap_or_default(),
        quiet_start: time(shown.quiet_start).unwrap_or_default(),
        quiet_end: time(shown.quiet_end).unwrap_or_default(),
        time_zone: shown.time_zone.clone().unwrap_or_default(),
        name: shown.name.clone().unwrap_or_default(),
        calendar_url: calendar_url.to_string(),
        themes: ["system", "light", "dark"]
            .into_iter()
            .map(|t| (t, t == shown.theme.id()))
            .collect(),
    };
    Ok(render(&page))
}

async fn settings(
    Me(state): Me,
    headers: axum::http::HeaderMap,
    Query(q): Query<SettingsQuery>,
) -> PageResult {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost:7878");
    let calendar_url = format!("http://{host}/calendar.ics");
    let message = match q.done.as_deref() {
        Some("saved") => Some("Settings saved.".to_string()),
        Some(other) if other.starts_with("imported") => Some(format!(
            "Backup imported: {}.",
            other
                .trim_start_matches("imported")
                .trim_start_matches('-')
                .replace('-', " ")
        )),
        _ => None,
    };
    let current = state.app().settings().await?;
    settings_page(&state, &calendar_url, &current, message, None).await
}

/// Reads the settings form.
pub fn settings_from_form(pairs: &Pairs) -> Result<Settings, WebError> {
    let time = |name: &str| -> Result<Option<jiff::civil::Time>, WebError> {
        match one(pairs, name) {
            None => Ok(None),
            Some(v) => v.parse().map(Some).map_err(|_| {
                WebError::Input(unknot_core::InputError::malformed(
                    name,
                    v,
                    "expected a time as HH:MM",
                ))
            }),
        }
    };
    let s = Settings {
        break_every_minutes: match one(pairs, "break_every_minutes") {
            None => None,
            Some(v) => Some(v.parse().map_err(|_| {
                WebError::Input(unknot_core::InputError::malformed(
                    "break_every_minutes",
                    v,
                    "expected whole minutes",
                ))
            })?),
        },
        quiet_start: time("quiet_start")?,
        quiet_end: time("quiet_end")?,
        time_zone: one(pairs, "time_zone").map(str::to_string),
        theme: Theme::parse(one(pairs, "theme").unwrap_or("system"))?,
        name: one(pairs, "name").map(str::to_string),
    };
    Ok(s)
}

async fn save_settings(Me(state): Me, Form(pairs): Form<Pairs>) -> PageResult {
    check_form_token(&state, one(&pairs, "csrf"))?;
    let saved = match settings_from_form(&pairs) {
        Ok(s) => state.app().save_settings(&s).await.map_err(WebError::from),
        Err(e) => Err(e),
    };
    match saved {
        Ok(()) => {
            state.changed();
            Ok(see_other("/settings?done=saved"))
        }
        Err(WebError::Input(e)) => {
            // Show what was typed, with the problem named.
            let shown = Settings {
                time_zone: one(&pairs, "time_zone").map(str::to_string),
                ..state.app().settings().await?
            };
            let res =
                settings_page(&state, "/calendar.ics", &shown, None, Some(e.to_string())).await?;
            Ok(refused(res))
        }
        Err(e) => Err(e.into()),
    }
}

async fn import(Me(state): Me, mut form: Multipart) -> PageResult {
    let mut token = None;
    let mut file = None;
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| WebError::BadRequest(e.to_string()))?
    {
        match field.name() {
            Some("csrf") => {
                token = Some(
                    field
                        .text()
                        .await
                        .map_err(|e| WebError::BadRequest(e.to_string()))?,
                )
            }
            Some("backup") => {
                file = Some(
                    field
                        .bytes()
                        .await
                        .map_err(|e| WebError::BadRequest(e.to_string()))?,
                )
            }
            _ => {}
        }
    }
    check_form_token(&state, token.as_deref())?;
    let bytes = file
        .filter(|b| !b.is_empty())
        .ok_or_else(|| WebError::BadRequest("choose a backup file made by unknot export".into()))?;
    let text = std::str::from_utf8(&bytes).map_err(|_| {
        WebError::BadRequest("the file is not text: is it an unknot backup?".into())
    })?;
    match state.app().import_text(text).await.map_err(WebError::from) {
        Ok(imported) => {
            state.changed();
            Ok(see_other(&format!(
                "/settings?done=imported-{}-added-{}-updated",
                imported.summary.added, imported.summary.updated
            )))
        }
        Err(e @ (WebError::Input(_) | WebError::Unprocessable { .. })) => {
            let current = state.app().settings().await?;
            let res =
                settings_page(&state, "/calendar.ics", &current, None, Some(e.to_string())).await?;
            Ok(refused(res))
        }
        Err(e) => Err(e.into()),
    }
}

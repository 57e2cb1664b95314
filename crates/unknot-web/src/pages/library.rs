//! The library (exercises), learning (articles and search) and settings (preferences, export and
//! import).

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use unknot_core::body::Region;
use unknot_core::catalogue::{Catalogue, ExerciseKind};
use unknot_core::settings::{Settings, Theme};
use unknot_search::HitKind;

use super::{Layout, PageResult, render, see_other};
use crate::entry_form::{Pairs, one};
use crate::security::check_form_token;
use crate::{AppState, WebError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/library", get(library))
        .route("/library/{id}", get(exercise))
        .route("/learn", get(learn))
        .route("/learn/{id}", get(article))
        .route("/search", get(search))
        .route("/settings", get(settings).post(save_settings))
        .route(
            "/settings/import",
            post(import).layer(axum::extract::DefaultBodyLimit::max(crate::MAX_BODY_BYTES)),
        )
}

#[derive(Template)]
#[template(path = "library.html")]
struct LibraryPage {
    layout: Layout,
    regions: Vec<(&'static str, &'static str)>,
    kinds: Vec<(&'static str, &'static str)>,
    region: String,
    kind: String,
    exercises: Vec<(String, String, String, String)>,
}

#[derive(Deserialize, Default)]
struct LibraryQuery {
    region: Option<String>,
    kind: Option<String>,
}

async fn library(State(state): State<AppState>, Query(q): Query<LibraryQuery>) -> PageResult {
    let region: Option<Region> = match q.region.as_deref().filter(|s| !s.is_empty()) {
        Some(r) => Some(r.parse().map_err(WebError::from)?),
        None => None,
    };
    let kind: Option<ExerciseKind> = match q.kind.as_deref().filter(|s| !s.is_empty()) {
        Some(k) => Some(k.parse().map_err(WebError::from)?),
        None => None,
    };
    let exercises = state
        .catalogue()
        .exercises()
        .filter(|e| region.is_none_or(|r| e.regions.contains(&r)))
        .filter(|e| kind.is_none_or(|k| e.kind == k))
        .map(|e| {
            (
                e.id.clone(),
                e.name.clone(),
                format!("{} · {}", e.kind.label(), e.dosage.describe()),
                e.summary.clone(),
            )
        })
        .collect();
    let page = LibraryPage {
        layout: Layout::new(&state, "Library", "library").await?,
        regions: Region::ALL.iter().map(|r| (r.id(), r.label())).collect(),
        kinds: ExerciseKind::ALL
            .iter()
            .map(|k| (k.id(), k.label()))
            .collect(),
        region: region.map(|r| r.id().to_string()).unwrap_or_default(),
        kind: kind.map(|k| k.id().to_string()).unwrap_or_default(),
        exercises,
    };
    Ok(render(&page))
}

fn citations(catalogue: &Catalogue, ids: &[String]) -> Vec<String> {
    ids.iter()
        .map(|id| {
            catalogue
                .source(id)
                .map_or_else(|| id.clone(), |s| s.citation())
        })
        .collect()
}

#[derive(Template)]
#[template(path = "exercise.html")]
struct ExercisePage<'a> {
    layout: Layout,
    e: &'a unknot_core::catalogue::Exercise,
    kind: &'static str,
    difficulty: String,
    equipment: String,
    dose: String,
    sources: Vec<String>,
    figure: String,
    figure_strip: String,
}

async fn exercise(State(state): State<AppState>, Path(id): Path<String>) -> PageResult {
    let catalogue = state.catalogue();
    let e = catalogue
        .find_exercise(&id)
        .map_err(|e| WebError::NotFound(e.to_string()))?;
    let page = ExercisePage {
        layout: Layout::new(&state, &e.name, "library").await?,
        e,
        kind: e.kind.label(),
        difficulty: format!("{:?}", e.difficulty).to_lowercase(),
        equipment: e
            .equipment
            .iter()
            .map(|q| q.label())
            .collect::<Vec<_>>()
            .join(", "),
        dose: e.dosage.describe(),
        sources: citations(catalogue, &e.sources),
        figure: animated_figure(e),
        figure_strip: still_figure(e),
    };
    Ok(render(&page))
}

fn figure_alt(e: &unknot_core::catalogue::Exercise) -> String {
    unknot_export::figure_svg::alt_text(&e.name, e.steps.first().map(String::as_str))
}

/// The exercise's animated figure, labelled with its name and first step (empty without one).
pub fn animated_figure(e: &unknot_core::catalogue::Exercise) -> String {
    e.figure.as_ref().map_or_else(String::new, |f| {
        unknot_export::figure_svg::animated(f, &figure_alt(e))
    })
}

/// Its keyframes side by side, shown instead of the animation to people who prefer reduced
/// motion.
pub fn still_figure(e: &unknot_core::catalogue::Exercise) -> String {
    e.figure.as_ref().map_or_else(String::new, |f| {
        unknot_export::figure_svg::strip(
            f,
            &format!("{} (the positions side by side)", figure_alt(e)),
        )
    })
}

#[derive(Template)]
#[template(path = "learn.html")]
struct LearnPage {
    layout: Layout,
    q: String,
    searched: bool,
    hits: Vec<(String, String, String, &'static str)>,
    articles: Vec<(String, String, String)>,
}

#[derive(Deserialize, Default)]
struct SearchQuery {
    q: Option<String>,
}

async fn learn_page(state: &AppState, q: Option<String>) -> PageResult {
    let q = q
        .unwrap_or_default()
        .trim()
        .chars()
        .take(300)
        .collect::<String>();
    let hits = if q.is_empty() {
        Vec::new()
    } else {
        state
            .kb()
            .search(&q, 10)
            .map_err(|e| WebError::Internal(e.to_string()))?
            .into_iter()
            .map(|h| match h.kind {
                HitKind::Article => (format!("/learn/{}", h.id), h.title, h.snippet, "article"),
                HitKind::Exercise => (format!("/library/{}", h.id), h.title, h.snippet, "exercise"),
            })
            .collect()
    };
    let page = LearnPage {
        layout: Layout::new(state, "Learn", "learn").await?,
        searched: !q.is_empty(),
        q,
        hits,
        articles: state
            .catalogue()
            .articles()
            .map(|a| {
                (
                    a.meta.id.clone(),
                    a.meta.title.clone(),
                    a.meta.summary.clone(),
                )
            })
            .collect(),
    };
    Ok(render(&page))
}

async fn learn(State(state): State<AppState>) -> PageResult {
    learn_page(&state, None).await
}

async fn search(State(state): State<AppState>, Query(q): Query<SearchQuery>) -> PageResult {
    learn_page(&state, q.q).await
}

#[derive(Template)]
#[template(path = "article.html")]
struct ArticlePage {
    layout: Layout,
    title: String,
    body: String,
    sources: Vec<String>,
    reviewed: String,
}

/// Markdown from the library as HTML. Raw HTML in the source is shown as text, so even a
/// `--content-dir` article cannot inject markup.
pub fn markdown(text: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser, html};
    let parser = Parser::new_ext(text, Options::ENABLE_TABLES).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, parser);
    out
}

async fn article(State(state): State<AppState>, Path(id): Path<String>) -> PageResult {
    let catalogue = state.catalogue();
    let a = catalogue
        .article(&id)
        .ok_or_else(|| WebError::NotFound(format!("no article has the id '{id}'")))?;
    let page = ArticlePage {
        layout: Layout::new(&state, &a.meta.title, "learn").await?,
        title: a.meta.title.clone(),
        body: markdown(&a.body),
        sources: citations(catalogue, &a.meta.sources),
        reviewed: a.meta.reviewed.to_string(),
    };
    Ok(render(&page))
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
    State(state): State<AppState>,
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
    settings_page(&state, &calendar_url, &state.settings(), message, None).await
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
    s.check()?;
    Ok(s)
}

async fn save_settings(State(state): State<AppState>, Form(pairs): Form<Pairs>) -> PageResult {
    check_form_token(&state, one(&pairs, "csrf"))?;
    match settings_from_form(&pairs) {
        Ok(s) => {
            state.store().save_settings(&s).await?;
            state.set_settings(s);
            Ok(see_other("/settings?done=saved"))
        }
        Err(WebError::Input(e)) => {
            // Show what was typed, with the problem named.
            let shown = Settings {
                time_zone: one(&pairs, "time_zone").map(str::to_string),
                ..state.settings()
            };
            let mut res =
                settings_page(&state, "/calendar.ics", &shown, None, Some(e.to_string())).await?;
            *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

async fn import(State(state): State<AppState>, mut form: Multipart) -> PageResult {
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
    let text = String::from_utf8(bytes.to_vec()).map_err(|_| {
        WebError::BadRequest("the file is not text: is it an unknot backup?".into())
    })?;
    match crate::api::import_text(&state, &text).await {
        Ok(summary) => Ok(see_other(&format!(
            "/settings?done=imported-{}-added-{}-updated",
            summary.added, summary.updated
        ))),
        Err(WebError::Input(e)) => {
            let mut res = settings_page(
                &state,
                "/calendar.ics",
                &state.settings(),
                None,
                Some(e.to_string()),
            )
            .await?;
            *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

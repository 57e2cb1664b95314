//! The library (exercises) and learning (articles and search).

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::Method;
use axum::routing::get;
use serde::Deserialize;
use unknot_core::body::Region;
use unknot_core::catalogue::{Catalogue, ExerciseKind};
use unknot_search::HitKind;

use super::{Layout, PageResult, render};
use crate::access::{Me, Routes, Rule};
use crate::figures::{animated_figure, still_figure};
use crate::{AppState, WebError};

pub fn routes() -> Routes {
    Routes::new()
        .at("/library", Rule::Own, &[Method::GET], get(library))
        .at("/library/{id}", Rule::Own, &[Method::GET], get(exercise))
        .at("/learn", Rule::Own, &[Method::GET], get(learn))
        .at("/learn/{id}", Rule::Own, &[Method::GET], get(article))
        .at("/search", Rule::Own, &[Method::GET], get(search))
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

async fn library(Me(state): Me, Query(q): Query<LibraryQuery>) -> PageResult {
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
        .await?
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
            if id == unknot_core::catalogue::CLINICIAN_SOURCE {
                // A person's own exercise, or their clinic's: no publication behind it.
                return "Your clinician's own practice (not a publication)".to_string();
            }
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

async fn exercise(Me(state): Me, Path(id): Path<String>) -> PageResult {
    let catalogue = state.catalogue().await?;
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
        sources: citations(&catalogue, &e.sources),
        figure: animated_figure(e),
        figure_strip: still_figure(e),
    };
    Ok(render(&page))
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
            .await?
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

async fn learn(Me(state): Me) -> PageResult {
    learn_page(&state, None).await
}

async fn search(Me(state): Me, Query(q): Query<SearchQuery>) -> PageResult {
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

async fn article(Me(state): Me, Path(id): Path<String>) -> PageResult {
    let catalogue = state.catalogue().await?;
    let a = catalogue
        .article(&id)
        .ok_or_else(|| WebError::NotFound(format!("no article has the id '{id}'")))?;
    let page = ArticlePage {
        layout: Layout::new(&state, &a.meta.title, "learn").await?,
        title: a.meta.title.clone(),
        body: markdown(&a.body),
        sources: citations(&catalogue, &a.meta.sources),
        reviewed: a.meta.reviewed.to_string(),
    };
    Ok(render(&page))
}

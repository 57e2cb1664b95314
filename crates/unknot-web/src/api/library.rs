//! The library: exercises, articles and search.

use axum::extract::Path;
use axum::http::Method;
use axum::response::Response;
use axum::routing::get;
use serde::{Deserialize, Serialize};
use unknot_core::catalogue::{ArticleMeta, Exercise};
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::json;
use crate::WebError;
use crate::access::{Me, Routes, Rule};
use crate::error::{ApiQuery, Problem};

#[derive(OpenApi)]
#[openapi(
    paths(list_exercises, get_exercise, list_articles, get_article, search),
    components(schemas(SearchHit, Exercise, ArticleMeta, ArticleView))
)]
pub(super) struct Api;

pub(super) fn routes() -> Routes {
    Routes::new()
        .at(
            "/api/v1/exercises",
            Rule::Own,
            &[Method::GET],
            get(list_exercises),
        )
        .at(
            "/api/v1/exercises/{id}",
            Rule::Own,
            &[Method::GET],
            get(get_exercise),
        )
        .at(
            "/api/v1/articles",
            Rule::Own,
            &[Method::GET],
            get(list_articles),
        )
        .at(
            "/api/v1/articles/{id}",
            Rule::Own,
            &[Method::GET],
            get(get_article),
        )
        .at("/api/v1/search", Rule::Own, &[Method::GET], get(search))
}

#[utoipa::path(get, path = "/api/v1/exercises", tag = "library",
    responses((status = 200, description = "Every exercise in the library", body = [Exercise])))]
async fn list_exercises(Me(state): Me) -> Result<Response, WebError> {
    json(&state.catalogue().await?.exercises().collect::<Vec<_>>())
}

#[utoipa::path(get, path = "/api/v1/exercises/{id}", tag = "library",
    params(("id" = String, Path, description = "Exercise id, e.g. bird-dog")),
    responses(
        (status = 200, description = "One exercise: steps, dose, cautions, sources", body = Exercise),
        (status = 404, description = "No such exercise", body = Problem, content_type = "application/problem+json")))]
async fn get_exercise(Me(state): Me, Path(id): Path<String>) -> Result<Response, WebError> {
    let catalogue = state.catalogue().await?;
    let e = catalogue
        .find_exercise(&id)
        .map_err(|e| WebError::NotFound(e.to_string()))?;
    json(e)
}

#[utoipa::path(get, path = "/api/v1/articles", tag = "library",
    responses((status = 200, description = "Every article's id, title and summary", body = [ArticleMeta])))]
async fn list_articles(Me(state): Me) -> Result<Response, WebError> {
    let catalogue = state.catalogue().await?;
    json(&catalogue.articles().map(|a| &a.meta).collect::<Vec<_>>())
}

#[utoipa::path(get, path = "/api/v1/articles/{id}", tag = "library",
    params(("id" = String, Path, description = "Article id, e.g. heat-or-cold")),
    responses(
        (status = 200, description = "The article with its Markdown body", body = ArticleView),
        (status = 404, description = "No such article", body = Problem, content_type = "application/problem+json")))]
async fn get_article(Me(state): Me, Path(id): Path<String>) -> Result<Response, WebError> {
    let catalogue = state.catalogue().await?;
    let a = catalogue
        .article(&id)
        .ok_or_else(|| WebError::NotFound(format!("no article has the id '{id}'")))?;
    json(&ArticleView {
        body: &a.body,
        meta: &a.meta,
    })
}

/// One article: its front matter and its Markdown body. (Fields in the order the answer has
/// always had them.)
#[derive(Serialize, ToSchema)]
pub struct ArticleView<'a> {
    /// The body, in Markdown.
    body: &'a str,
    /// The front matter: id, title, summary, tags, sources, when it was reviewed.
    meta: &'a ArticleMeta,
}

/// The question.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// A question in your own words.
    q: String,
}

/// One search result.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHit {
    /// `article` or `exercise`.
    kind: String,
    /// Its id.
    id: String,
    /// Its title.
    title: String,
    /// A matching passage.
    snippet: String,
}

#[utoipa::path(get, path = "/api/v1/search", tag = "library", params(SearchQuery),
    responses(
        (status = 200, description = "The best matches, best first", body = [SearchHit]),
        (status = 422, description = "No question given", body = Problem, content_type = "application/problem+json")))]
async fn search(Me(state): Me, ApiQuery(q): ApiQuery<SearchQuery>) -> Result<Response, WebError> {
    let hits = state
        .kb()
        .search(&q.q.chars().take(300).collect::<String>(), 10)
        .map_err(|e| WebError::Internal(e.to_string()))?;
    json(&hits)
}

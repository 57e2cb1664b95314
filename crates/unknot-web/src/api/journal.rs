//! Journal entries (list, create, read, replace, delete) and the trends over them.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use serde_json::Value;
use unknot_core::journal::{Entry, EntryId};
use unknot_core::trends::TrendOptions;
use utoipa::{IntoParams, OpenApi};

use super::{AnyObject, body, created, json};
use crate::cache::{CachedBody, cached_response};
use crate::error::{ApiQuery, Problem};
use crate::period::{self, DatesQuery};
use crate::{AppState, WebError};

#[derive(OpenApi)]
#[openapi(paths(
    list_entries,
    create_entry,
    get_entry,
    update_entry,
    delete_entry,
    trends
))]
pub(super) struct Api;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/entries", get(list_entries).post(create_entry))
        .route(
            "/api/v1/entries/{id}",
            get(get_entry).put(update_entry).delete(delete_entry),
        )
        .route("/api/v1/trends", get(trends))
}

/// Filters for the entry list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// First day, YYYY-MM-DD (default: 90 days before `until`).
    since: Option<String>,
    /// Last day, YYYY-MM-DD (default: today).
    until: Option<String>,
    /// Only entries touching this region (e.g. lower-back).
    region: Option<String>,
    /// At most this many, newest first (default 100, at most 5000).
    limit: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/entries", tag = "journal", params(ListQuery),
    responses(
        (status = 200, description = "Entries, newest first", body = [AnyObject]),
        (status = 422, description = "A bad filter, named", body = Problem, content_type = "application/problem+json")))]
async fn list_entries(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Response, WebError> {
    let now = state.now().await?;
    let key = format!(
        "api:entries:{}:{:?}:{:?}:{:?}:{:?}",
        now.date(),
        q.since,
        q.until,
        q.region,
        q.limit
    );
    if let Some(hit) = state.cached(&key) {
        return Ok(cached_response(&hit));
    }
    let generation = state.generation();
    let limit = q.limit.unwrap_or(100).clamp(1, 5000) as usize;
    let dates = DatesQuery {
        since: q.since,
        until: q.until,
        region: q.region,
    };
    let (since, until) = period::days(&dates, &now, 90)?;
    let mut filter = state.app().days_filter(since, until).await?;
    filter.regions.extend(period::region(&dates)?);
    let mut entries = state.app().history(&filter, Some(limit)).await?.entries;
    for e in &mut entries {
        e.at = e.at.with_time_zone(now.time_zone().clone());
    }
    entries.reverse();
    let bytes = serde_json::to_vec(&entries).map_err(|e| WebError::Internal(e.to_string()))?;
    let hit = state.keep(
        key,
        generation,
        CachedBody {
            content_type: "application/json",
            body: bytes.into(),
        },
    );
    Ok(cached_response(&hit))
}

/// Reads a posted entry: the id and time are filled when missing (the id of an existing entry
/// when replacing it), then the fields are read as the backup format defines them.
async fn entry_from(
    state: &AppState,
    mut v: Value,
    id: Option<&EntryId>,
) -> Result<Entry, WebError> {
    let fresh = state.app().new_entry().await?;
    let obj = v.as_object_mut().ok_or_else(|| {
        WebError::Input(unknot_core::InputError::malformed(
            "body",
            "",
            "expected a JSON object",
        ))
    })?;
    let id = id.unwrap_or(&fresh.id);
    obj.insert("id".into(), Value::String(id.to_string()));
    obj.entry("at")
        .or_insert_with(|| Value::String(fresh.at.to_string()));
    serde_json::from_value(v).map_err(|e| {
        WebError::Input(unknot_core::InputError::malformed(
            "entry",
            "",
            e.to_string(),
        ))
    })
}

#[utoipa::path(post, path = "/api/v1/entries", tag = "journal",
    request_body(content = AnyObject, description = "An entry as `unknot history --json` prints it; `id` and `at` may be left out"),
    responses(
        (status = 201, description = "Stored", body = AnyObject),
        (status = 422, description = "Refused, with the value named; nothing stored", body = Problem, content_type = "application/problem+json")))]
async fn create_entry(State(state): State<AppState>, bytes: Bytes) -> Result<Response, WebError> {
    let entry = entry_from(&state, body(&bytes)?, None).await?;
    let entry = state.app().log(entry).await?;
    state.changed();
    created(&entry)
}

#[utoipa::path(get, path = "/api/v1/entries/{id}", tag = "journal",
    params(("id" = String, Path, description = "The full id or a unique ending of 4+ characters")),
    responses(
        (status = 200, description = "The entry", body = AnyObject),
        (status = 404, description = "No such entry", body = Problem, content_type = "application/problem+json")))]
async fn get_entry(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    json(&state.app().entry(&id).await?)
}

#[utoipa::path(put, path = "/api/v1/entries/{id}", tag = "journal",
    params(("id" = String, Path, description = "The entry's id")),
    request_body(content = AnyObject, description = "The whole entry as it should be"),
    responses(
        (status = 200, description = "Updated", body = AnyObject),
        (status = 404, description = "No such entry", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Refused; nothing changed", body = Problem, content_type = "application/problem+json")))]
async fn update_entry(
    State(state): State<AppState>,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<Response, WebError> {
    let old = state.app().entry(&id).await?;
    let new = entry_from(&state, body(&bytes)?, Some(&old.id)).await?;
    let entry = state
        .app()
        .edit(old.id.as_str(), |e| {
            *e = new;
            Ok(())
        })
        .await?;
    state.changed();
    json(&entry)
}

#[utoipa::path(delete, path = "/api/v1/entries/{id}", tag = "journal",
    params(("id" = String, Path, description = "The entry's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such entry", body = Problem, content_type = "application/problem+json")))]
async fn delete_entry(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    state.app().delete(&id).await?;
    state.changed();
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[utoipa::path(get, path = "/api/v1/trends", tag = "journal",
    responses((status = 200, description = "Weekly and monthly pain, muscles that knot most, what comes before bad days", body = AnyObject)))]
async fn trends(State(state): State<AppState>) -> Result<Response, WebError> {
    let options = TrendOptions {
        weeks: 12,
        months: 12,
    };
    json(&state.app().trends(options).await?)
}

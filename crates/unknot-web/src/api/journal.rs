//! Journal entries (list, create, read, replace, delete) and the trends over them.

use axum::body::Bytes;
use axum::extract::Path;
use axum::http::Method;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use jiff::Zoned;
use serde::{Deserialize, Serialize};
use unknot_app::data::Cursor;
use unknot_core::body::Region;
use unknot_core::journal::{Context, Entry, EntryId, Knot, PainKind, RegionPain, Treatments};
use unknot_core::score::Score;
use unknot_core::trends::{TrendOptions, Trends};
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::{body, created, json};
use crate::access::{Me, Routes, Rule};
use crate::cache::{CachedBody, cached_response};
use crate::error::{ApiQuery, Problem};
use crate::period::{self, DatesQuery};
use crate::{AppState, WebError};

#[derive(OpenApi)]
#[openapi(
    paths(
        list_entries,
        create_entry,
        get_entry,
        update_entry,
        delete_entry,
        trends
    ),
    components(schemas(EntryPage, EntryInput, Entry, Trends))
)]
pub(super) struct Api;

pub(super) fn routes() -> Routes {
    Routes::new()
        .at(
            "/api/v1/entries",
            Rule::Own,
            &[Method::GET, Method::POST],
            get(list_entries).post(create_entry),
        )
        .at(
            "/api/v1/entries/{id}",
            Rule::Own,
            &[Method::GET, Method::PUT, Method::DELETE],
            get(get_entry).put(update_entry).delete(delete_entry),
        )
        .at("/api/v1/trends", Rule::Own, &[Method::GET], get(trends))
}

/// Filters for the entry list, and where a page starts.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// First day, YYYY-MM-DD (default: 90 days before `until`).
    #[param(format = Date)]
    since: Option<String>,
    /// Last day, YYYY-MM-DD (default: today).
    #[param(format = Date)]
    until: Option<String>,
    /// Only entries touching this region.
    region: Option<Region>,
    /// At most this many, newest first (default 100).
    #[param(minimum = 1, maximum = 5000)]
    limit: Option<u32>,
    /// Where the page starts: the `next` of the page before. Leave out for the newest entries.
    cursor: Option<String>,
}

/// One page of entries, newest first (by time, then id), and where the next page starts.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntryPage {
    /// The entries on this page.
    entries: Vec<Entry>,
    /// Pass as `cursor` for the next, older page; null on the last page.
    next: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/entries", tag = "journal", params(ListQuery),
    responses(
        (status = 200, description = "A page of entries, newest first, with the cursor of the next page", body = EntryPage),
        (status = 422, description = "A bad filter, limit or cursor, named", body = Problem, content_type = "application/problem+json")))]
async fn list_entries(
    Me(state): Me,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Response, WebError> {
    let now = state.now().await?;
    let key = format!(
        "api:entries:{}:{:?}:{:?}:{:?}:{:?}:{:?}",
        now.date(),
        q.since,
        q.until,
        q.region,
        q.limit,
        q.cursor
    );
    if let Some(hit) = state.cached(&key) {
        return Ok(cached_response(&hit));
    }
    let generation = state.generation();
    let limit = match q.limit {
        None => 100,
        Some(n @ 1..=5000) => n as usize,
        Some(n) => {
            return Err(WebError::Input(unknot_core::InputError::malformed(
                "limit",
                n.to_string(),
                "expected 1 to 5000",
            )));
        }
    };
    super::strict_date("since", q.since.as_deref())?;
    super::strict_date("until", q.until.as_deref())?;
    let before = q.cursor.as_deref().map(Cursor::parse).transpose()?;
    let dates = DatesQuery {
        since: q.since,
        until: q.until,
        region: None,
    };
    let (since, until) = period::days(&dates, &now, 90)?;
    let mut filter = state.app().days_filter(since, until).await?;
    filter.regions.extend(q.region);
    let page = state.app().entries_page(&filter, limit, before).await?;
    let next = page.next.map(|c| c.to_string());
    let mut entries = page.entries;
    for e in &mut entries {
        e.at = e.at.with_time_zone(now.time_zone().clone());
    }
    let bytes = serde_json::to_vec(&EntryPage { entries, next })
        .map_err(|e| WebError::Internal(e.to_string()))?;
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

/// An entry as posted: the stored form, with `id` and `at` optional.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryInput {
    /// On POST, an id the client made (a UUID made on the device is best; 1 to 64 letters,
    /// digits and hyphens, kept in lower case). The entry is stored under it once: posting the
    /// same id and content again answers 200 with the stored entry, and the same id with other
    /// content answers 409. Left out, the server makes the id. On PUT it is ignored: a replaced
    /// entry keeps its own id.
    #[serde(default)]
    #[schema(pattern = "^[A-Za-z0-9-]{1,64}$", min_length = 1, max_length = 64)]
    id: Option<String>,
    /// When it was felt (default: now), with its time zone, e.g.
    /// `2026-03-01T09:30:00+01:00[Europe/Paris]`.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    at: Option<Zoned>,
    /// Overall pain, 0-10.
    #[serde(default)]
    pain: Option<Score>,
    /// Pain by region (each region once).
    #[serde(default)]
    regions: Vec<RegionPain>,
    /// Knots (each muscle and side once).
    #[serde(default)]
    knots: Vec<Knot>,
    /// Kinds of pain (each once).
    #[serde(default)]
    pain_kinds: Vec<PainKind>,
    /// What else was going on.
    #[serde(default)]
    context: Context,
    /// What was done about it.
    #[serde(default)]
    treatments: Treatments,
    /// Free text, up to 5,000 characters; line breaks and tabs are kept, other control
    /// characters refused.
    #[serde(default)]
    #[schema(max_length = 5000)]
    note: Option<String>,
}

impl EntryInput {
    fn into_entry(self, id: EntryId, now: Zoned) -> Entry {
        Entry {
            id,
            at: self.at.unwrap_or(now),
            pain: self.pain,
            regions: self.regions,
            knots: self.knots,
            pain_kinds: self.pain_kinds,
            context: self.context,
            treatments: self.treatments,
            note: self.note,
        }
    }
}

/// Reads a posted entry: a fresh id (or the replaced entry's) and now when `at` is left out.
async fn entry_from(
    state: &AppState,
    input: EntryInput,
    id: Option<&EntryId>,
) -> Result<Entry, WebError> {
    let fresh = state.app().new_entry().await?;
    let id = id.cloned().unwrap_or(fresh.id);
    Ok(input.into_entry(id, fresh.at))
}

#[utoipa::path(post, path = "/api/v1/entries", tag = "journal",
    request_body(content = EntryInput, description = "An entry as `unknot history --json` prints it; `id` and `at` may be left out. With an `id` the client made, the write is idempotent: send it again (after a lost answer, or from an offline queue) and it is stored once"),
    responses(
        (status = 201, description = "Stored", body = Entry),
        (status = 200, description = "Already stored by an earlier request with this `id` and the same content (the time is compared only when `at` is given); nothing written, the stored entry answered", body = Entry),
        (status = 409, description = "The `id` is already used for other content, or by a record that is not yours (the two are answered alike, so nothing about another journal is told); nothing stored. Code `id_in_use`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Refused, with the value named; nothing stored", body = Problem, content_type = "application/problem+json")))]
async fn create_entry(Me(state): Me, bytes: Bytes) -> Result<Response, WebError> {
    let input: EntryInput = body(&bytes)?;
    let Some(given) = input.id.as_deref() else {
        let entry = entry_from(&state, input, None).await?;
        let entry = state.app().log(entry).await?;
        state.changed();
        return created(&entry);
    };
    let id = unknot_app::journal::client_id(given)?;
    let time_given = input.at.is_some();
    let entry = entry_from(&state, input, Some(&id)).await?;
    let posted = state.app().log_once(entry, time_given).await?;
    if posted.is_new() {
        state.changed();
        created(&posted.into_inner())
    } else {
        json(&posted.into_inner())
    }
}

#[utoipa::path(get, path = "/api/v1/entries/{id}", tag = "journal",
    params(("id" = String, Path, description = "The full id or a unique ending of 4+ characters")),
    responses(
        (status = 200, description = "The entry", body = Entry),
        (status = 404, description = "No such entry", body = Problem, content_type = "application/problem+json")))]
async fn get_entry(Me(state): Me, Path(id): Path<String>) -> Result<Response, WebError> {
    json(&state.app().entry(&id).await?)
}

#[utoipa::path(put, path = "/api/v1/entries/{id}", tag = "journal",
    params(("id" = String, Path, description = "The entry's id")),
    request_body(content = EntryInput, description = "The whole entry as it should be"),
    responses(
        (status = 200, description = "Updated", body = Entry),
        (status = 404, description = "No such entry", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Refused; nothing changed", body = Problem, content_type = "application/problem+json")))]
async fn update_entry(
    Me(state): Me,
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
async fn delete_entry(Me(state): Me, Path(id): Path<String>) -> Result<Response, WebError> {
    state.app().delete(&id).await?;
    state.changed();
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[utoipa::path(get, path = "/api/v1/trends", tag = "journal",
    responses((status = 200, description = "Weekly and monthly pain, muscles that knot most, what comes before bad days", body = Trends)))]
async fn trends(Me(state): Me) -> Result<Response, WebError> {
    let options = TrendOptions {
        weeks: 12,
        months: 12,
    };
    json(&state.app().trends(options).await?)
}

//! The JSON API under `/api/v1/`: everything the pages do, for scripts and for the pages' own
//! scripts (the session player and the timers). Bodies are the same JSON the command line's
//! `--json` prints and its backup holds; errors are RFC 9457 problem documents. The OpenAPI 3.1
//! document at `/api/openapi.json` is generated from the handlers' annotations below, and a test
//! calls every operation it lists.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use unknot_core::adapt::{ItemOutcome, SessionRecord};
use unknot_core::catalogue::{TherapyKind, check_minutes};
use unknot_core::intake::{Answers, Assessment, AssessmentKind};
use unknot_core::journal::{Entry, EntryId};
use unknot_core::score::Score;
use unknot_core::session::{self, Item};
use unknot_core::settings::Settings;
use unknot_core::triage::triage;
use unknot_store::{ImportSummary, PlanOutcome};
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::error::{ApiQuery, Problem};
use crate::pages::journal::{HistoryQuery, entries_between, resolve};
use crate::state::CachedBody;
use crate::{AppState, WebError};

/// The OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "unknot",
        description = "The local API of unknot, a private coach for back pain and muscle knots. \
            State-changing requests must send JSON or the X-CSRF-Token header. Errors are \
            RFC 9457 problem documents with a stable `code`.",
        license(name = "MIT OR Apache-2.0")
    ),
    paths(
        today, list_entries, create_entry, get_entry, update_entry, delete_entry, trends,
        create_assessment, create_checkin, get_plan, review_plan, session_steps, create_session,
        create_therapy, list_exercises, get_exercise, list_articles, get_article, search,
        get_settings, put_settings, export_backup, export_csv, export_csv_kind, export_fhir, export_calendar,
        import_backup
    ),
    components(schemas(Problem, AnyObject, SessionInput, TherapyInput, SearchHit, ImportResult)),
    tags((name = "journal"), (name = "coach"), (name = "library"), (name = "data"))
)]
pub struct ApiDoc;

/// A JSON object whose fields are documented in docs/intake.md and the backup format.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(value_type = Object)]
pub struct AnyObject(Value);

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(openapi))
        .route("/api/v1/today", get(today))
        .route("/api/v1/entries", get(list_entries).post(create_entry))
        .route(
            "/api/v1/entries/{id}",
            get(get_entry).put(update_entry).delete(delete_entry),
        )
        .route("/api/v1/trends", get(trends))
        .route("/api/v1/assessments", post(create_assessment))
        .route("/api/v1/checkins", post(create_checkin))
        .route("/api/v1/plan", get(get_plan))
        .route("/api/v1/plan/review", post(review_plan))
        .route("/api/v1/session/steps", get(session_steps))
        .route("/api/v1/sessions", post(create_session))
        .route("/api/v1/therapy", post(create_therapy))
        .route("/api/v1/exercises", get(list_exercises))
        .route("/api/v1/exercises/{id}", get(get_exercise))
        .route("/api/v1/articles", get(list_articles))
        .route("/api/v1/articles/{id}", get(get_article))
        .route("/api/v1/search", get(search))
        .route("/api/v1/settings", get(get_settings).put(put_settings))
        .route("/api/v1/export/backup.json", get(export_backup))
        .route("/api/v1/export/entries.csv", get(export_csv))
        .route("/api/v1/export/csv", get(export_csv_kind))
        .route("/api/v1/export/fhir.json", get(export_fhir))
        .route("/api/v1/export/calendar.ics", get(export_calendar))
        .route("/calendar.ics", get(export_calendar))
        .route(
            "/api/v1/import",
            post(import_backup).layer(axum::extract::DefaultBodyLimit::max(crate::MAX_BODY_BYTES)),
        )
}

async fn openapi() -> Response {
    json_bytes(
        ApiDoc::openapi()
            .to_pretty_json()
            .unwrap_or_default()
            .into_bytes(),
    )
}

fn json_bytes(body: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn json<T: Serialize>(value: &T) -> Result<Response, WebError> {
    serde_json::to_vec(value)
        .map(json_bytes)
        .map_err(|e| WebError::Internal(e.to_string()))
}

/// Parses a JSON body, answering a problem (not axum's plain text) when it is not JSON.
fn body<T: serde::de::DeserializeOwned>(bytes: &Bytes) -> Result<T, WebError> {
    serde_json::from_slice(bytes).map_err(|e| {
        WebError::Input(unknot_core::InputError::malformed(
            "body",
            String::from_utf8_lossy(&bytes[..bytes.len().min(80)]).to_string(),
            e.to_string(),
        ))
    })
}

#[utoipa::path(get, path = "/api/v1/today", tag = "coach",
    responses((status = 200, description = "What is due today, the streak and any open advice", body = AnyObject)))]
async fn today(State(state): State<AppState>) -> Result<Response, WebError> {
    json(&state.store().today(&state.now(), false).await?)
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
    let now = state.now();
    let key = format!(
        "api:entries:{}:{:?}:{:?}:{:?}:{:?}",
        now.date(),
        q.since,
        q.until,
        q.region,
        q.limit
    );
    if let Some(hit) = state.cached(&key) {
        return Ok(crate::pages::journal::cached_response(&hit));
    }
    let generation = state.generation();
    let limit = q.limit.unwrap_or(100).clamp(1, 5000) as usize;
    let (since, until, region) = resolve(
        &HistoryQuery {
            since: q.since,
            until: q.until,
            region: q.region,
        },
        &now,
    )?;
    let mut entries = entries_between(&state, since, until, region).await?;
    entries.reverse();
    entries.truncate(limit);
    let bytes = serde_json::to_vec(&entries).map_err(|e| WebError::Internal(e.to_string()))?;
    let hit = state.keep(
        key,
        generation,
        CachedBody {
            content_type: "application/json",
            body: bytes.into(),
        },
    );
    Ok(crate::pages::journal::cached_response(&hit))
}

/// Fills the id and time of a posted entry when missing, then checks it in core.
fn entry_from(state: &AppState, mut v: Value, id: Option<&EntryId>) -> Result<Entry, WebError> {
    let now = state.now();
    let obj = v.as_object_mut().ok_or_else(|| {
        WebError::Input(unknot_core::InputError::malformed(
            "body",
            "",
            "expected a JSON object",
        ))
    })?;
    let new_id = match id {
        Some(id) => id.to_string(),
        None => unknot_store::new_id(),
    };
    obj.insert("id".into(), Value::String(new_id));
    obj.entry("at")
        .or_insert_with(|| Value::String(now.to_string()));
    let entry: Entry = serde_json::from_value(v).map_err(|e| {
        WebError::Input(unknot_core::InputError::malformed(
            "entry",
            "",
            e.to_string(),
        ))
    })?;
    entry.check(now.timestamp())?;
    Ok(entry)
}

#[utoipa::path(post, path = "/api/v1/entries", tag = "journal",
    request_body(content = AnyObject, description = "An entry as `unknot history --json` prints it; `id` and `at` may be left out"),
    responses(
        (status = 201, description = "Stored", body = AnyObject),
        (status = 422, description = "Refused, with the value named; nothing stored", body = Problem, content_type = "application/problem+json")))]
async fn create_entry(State(state): State<AppState>, bytes: Bytes) -> Result<Response, WebError> {
    let entry = entry_from(&state, body(&bytes)?, None)?;
    state.store().insert_entry(&entry).await?;
    state.changed();
    let mut res = json(&entry)?;
    *res.status_mut() = StatusCode::CREATED;
    Ok(res)
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
    json(&state.store().find_entry(&id).await?)
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
    let old = state.store().find_entry(&id).await?;
    let entry = entry_from(&state, body(&bytes)?, Some(&old.id))?;
    state.store().update_entry(&entry).await?;
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
    let entry = state.store().find_entry(&id).await?;
    state.store().delete_entry(&entry.id).await?;
    state.changed();
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[utoipa::path(get, path = "/api/v1/trends", tag = "journal",
    responses((status = 200, description = "Weekly and monthly pain, muscles that knot most, what comes before bad days", body = AnyObject)))]
async fn trends(State(state): State<AppState>) -> Result<Response, WebError> {
    let now = state.now();
    let entries = state
        .store()
        .list_entries(unknot_store::EntryRange::default())
        .await?;
    json(&unknot_core::trends::compute(
        &entries,
        now.date(),
        unknot_core::trends::TrendOptions {
            weeks: 12,
            months: 12,
        },
    ))
}

#[utoipa::path(post, path = "/api/v1/assessments", tag = "coach",
    request_body(content = AnyObject, description = "The intake answers (docs/intake.md)"),
    responses(
        (status = 201, description = "The triage result, with its reasons", body = AnyObject),
        (status = 422, description = "A bad answer, named", body = Problem, content_type = "application/problem+json")))]
async fn create_assessment(
    State(state): State<AppState>,
    bytes: Bytes,
) -> Result<Response, WebError> {
    let answers = Answers::from_json(&String::from_utf8_lossy(&bytes))?;
    answers.check()?;
    let t = triage(&answers);
    state
        .store()
        .save_assessment(&Assessment {
            id: unknot_store::new_id(),
            kind: AssessmentKind::Intake,
            at: state.now(),
            answers: answers.clone(),
        })
        .await?;
    state.changed();
    let mut res = json(&serde_json::json!({
        "urgency": t.urgency.id(),
        "urgency_label": t.urgency.label(),
        "triage": t,
        "scores": unknot_store::scores(&answers),
    }))?;
    *res.status_mut() = StatusCode::CREATED;
    Ok(res)
}

#[utoipa::path(post, path = "/api/v1/checkins", tag = "coach",
    request_body(content = AnyObject, description = "This week's scores and any new warning signs"),
    responses(
        (status = 201, description = "Scores, changes and the plan review", body = AnyObject),
        (status = 409, description = "No intake yet", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad answer, named", body = Problem, content_type = "application/problem+json")))]
async fn create_checkin(State(state): State<AppState>, bytes: Bytes) -> Result<Response, WebError> {
    let answers = Answers::from_json(&String::from_utf8_lossy(&bytes))?;
    answers.check()?;
    let out = state
        .store()
        .checkin(&answers, state.catalogue(), &state.now())
        .await?
        .ok_or_else(|| {
            WebError::Conflict("no assessment yet: post one to /api/v1/assessments first".into())
        })?;
    state.changed();
    let mut res = json(&out)?;
    *res.status_mut() = StatusCode::CREATED;
    Ok(res)
}

#[utoipa::path(get, path = "/api/v1/plan", tag = "coach",
    responses(
        (status = 200, description = "The current plan (made when missing or stale), or the advice that replaces it", body = AnyObject),
        (status = 409, description = "No assessment yet", body = Problem, content_type = "application/problem+json")))]
async fn get_plan(State(state): State<AppState>) -> Result<Response, WebError> {
    match state
        .store()
        .current_plan(state.catalogue(), &state.now(), false)
        .await?
    {
        PlanOutcome::NoAssessment => Err(WebError::Conflict(
            "no assessment yet: post one to /api/v1/assessments first".into(),
        )),
        PlanOutcome::Withheld(t) => json(&serde_json::json!({
            "plan": null, "urgency": t.urgency.id(), "advice": t.advice
        })),
        PlanOutcome::Plan { stored, made, .. } => {
            if made {
                state.changed();
            }
            json(&stored)
        }
    }
}

#[utoipa::path(post, path = "/api/v1/plan/review", tag = "coach",
    responses(
        (status = 200, description = "What the review decided and why", body = AnyObject),
        (status = 409, description = "No plan yet", body = Problem, content_type = "application/problem+json")))]
async fn review_plan(State(state): State<AppState>) -> Result<Response, WebError> {
    let out = state
        .store()
        .review_plan(state.catalogue(), &state.now())
        .await?
        .ok_or_else(|| WebError::Conflict("no plan yet: get /api/v1/plan first".into()))?;
    state.changed();
    json(&out)
}

/// The routine to guide: today's plan, or one exercise.
pub async fn session_items(
    state: &AppState,
    exercise: Option<&str>,
) -> Result<Vec<Item>, WebError> {
    let catalogue = state.catalogue();
    if let Some(id) = exercise {
        let e = catalogue
            .find_exercise(id)
            .map_err(|e| WebError::NotFound(e.to_string()))?;
        return Ok(vec![Item::from_exercise(e)]);
    }
    Ok(
        match state
            .store()
            .current_plan(catalogue, &state.now(), false)
            .await?
        {
            PlanOutcome::Plan { stored, .. } => Item::routine(&stored.plan),
            _ => Vec::new(),
        },
    )
}

/// Which exercise to guide.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StepsQuery {
    /// One exercise id instead of today's routine.
    exercise: Option<String>,
}

#[derive(Serialize)]
struct StepsItem<'a> {
    exercise: &'a str,
    name: &'a str,
    dose: String,
    steps: &'a [String],
    cues: &'a [String],
    stop_if: &'a [String],
    /// The animated figure (SVG), empty when the exercise has none.
    figure: String,
}

#[utoipa::path(get, path = "/api/v1/session/steps", tag = "coach", params(StepsQuery),
    responses(
        (status = 422, description = "A malformed query string", body = Problem, content_type = "application/problem+json"),
        (status = 200, description = "The routine unrolled into timed steps (get ready, hold, reps, switch sides, rest)", body = AnyObject),
        (status = 404, description = "Unknown exercise, with the nearest id", body = Problem, content_type = "application/problem+json")))]
async fn session_steps(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<StepsQuery>,
) -> Result<Response, WebError> {
    let items = session_items(&state, q.exercise.as_deref()).await?;
    let catalogue = state.catalogue();
    let described: Vec<StepsItem> = items
        .iter()
        .filter_map(|i| {
            catalogue.exercise(&i.exercise).map(|e| StepsItem {
                exercise: &i.exercise,
                name: &i.name,
                dose: i.dosage.describe(),
                steps: &e.steps,
                cues: &e.cues,
                stop_if: &e.stop_if,
                figure: crate::pages::library::animated_figure(e),
            })
        })
        .collect();
    json(&serde_json::json!({
        "items": described,
        "steps": session::steps(&items),
        "speed": state.speed(),
    }))
}

/// A finished guided session.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionInput {
    /// Each exercise's outcome: `{"exercise": id, "status": "done"|"skipped"|"cut_short", "seconds": n}`.
    #[schema(value_type = Vec<AnyObject>)]
    items: Vec<ItemOutcome>,
    /// Pain before, 0-10.
    pain_before: Option<i64>,
    /// Pain after, 0-10.
    pain_after: Option<i64>,
}

#[utoipa::path(post, path = "/api/v1/sessions", tag = "coach", request_body = SessionInput,
    responses(
        (status = 201, description = "Recorded, with the journal entry made for it", body = AnyObject),
        (status = 422, description = "Refused, with the value named; nothing stored", body = Problem, content_type = "application/problem+json")))]
async fn create_session(State(state): State<AppState>, bytes: Bytes) -> Result<Response, WebError> {
    let input: SessionInput = body(&bytes)?;
    if input.items.is_empty() {
        return Err(WebError::Input(unknot_core::InputError::malformed(
            "items",
            "[]",
            "a session needs at least one exercise",
        )));
    }
    for o in &input.items {
        if state.catalogue().exercise(&o.exercise).is_none() {
            return Err(WebError::Input(unknot_core::InputError::malformed(
                "exercise",
                &o.exercise,
                "no exercise has this id",
            )));
        }
    }
    let score = |v: Option<i64>, f: &str| v.map(|v| Score::new(v, f)).transpose();
    let now = state.now();
    let record = SessionRecord {
        id: unknot_store::new_id(),
        at: now.clone(),
        items: input.items,
        pain_before: score(input.pain_before, "pain_before")?,
        pain_after: score(input.pain_after, "pain_after")?,
    };
    let entry = state
        .store()
        .record_session(&record, state.catalogue(), &now)
        .await?;
    state.changed();
    let mut res = json(&serde_json::json!({ "session": record, "entry": entry }))?;
    *res.status_mut() = StatusCode::CREATED;
    Ok(res)
}

/// A heat or cold session that was timed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TherapyInput {
    /// `heat` or `cold`.
    kind: String,
    /// Minutes applied (within the limit: heat 30, cold 20).
    minutes: u16,
    /// The user confirmed a cloth between the pack and the skin.
    barrier: bool,
}

#[utoipa::path(post, path = "/api/v1/therapy", tag = "coach", request_body = TherapyInput,
    responses(
        (status = 201, description = "Recorded in the journal", body = AnyObject),
        (status = 422, description = "Over the limit or no barrier; nothing stored", body = Problem, content_type = "application/problem+json")))]
async fn create_therapy(State(state): State<AppState>, bytes: Bytes) -> Result<Response, WebError> {
    let input: TherapyInput = body(&bytes)?;
    let kind = match input.kind.as_str() {
        "heat" => TherapyKind::Heat,
        "cold" => TherapyKind::Cold,
        other => {
            return Err(WebError::Input(unknot_core::InputError::malformed(
                "kind",
                other,
                "expected heat or cold",
            )));
        }
    };
    check_minutes(kind, input.minutes).map_err(|e| {
        WebError::Input(unknot_core::InputError::malformed(
            "minutes",
            input.minutes.to_string(),
            e.to_string(),
        ))
    })?;
    if !input.barrier {
        return Err(WebError::Input(unknot_core::InputError::malformed(
            "barrier",
            "false",
            "put a cloth or towel between the pack and your skin, then confirm it",
        )));
    }
    let now = state.now();
    let mut entry = Entry::new(EntryId::new(unknot_store::new_id())?, now.clone());
    match kind {
        TherapyKind::Heat => entry.treatments.heat_minutes = Some(input.minutes),
        _ => entry.treatments.cold_minutes = Some(input.minutes),
    }
    entry.check(now.timestamp())?;
    state.store().insert_entry(&entry).await?;
    state.changed();
    let mut res = json(&entry)?;
    *res.status_mut() = StatusCode::CREATED;
    Ok(res)
}

#[utoipa::path(get, path = "/api/v1/exercises", tag = "library",
    responses((status = 200, description = "Every exercise in the library", body = [AnyObject])))]
async fn list_exercises(State(state): State<AppState>) -> Result<Response, WebError> {
    json(&state.catalogue().exercises().collect::<Vec<_>>())
}

#[utoipa::path(get, path = "/api/v1/exercises/{id}", tag = "library",
    params(("id" = String, Path, description = "Exercise id, e.g. bird-dog")),
    responses(
        (status = 200, description = "One exercise: steps, dose, cautions, sources", body = AnyObject),
        (status = 404, description = "No such exercise", body = Problem, content_type = "application/problem+json")))]
async fn get_exercise(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let e = state
        .catalogue()
        .find_exercise(&id)
        .map_err(|e| WebError::NotFound(e.to_string()))?;
    json(e)
}

#[utoipa::path(get, path = "/api/v1/articles", tag = "library",
    responses((status = 200, description = "Every article's id, title and summary", body = [AnyObject])))]
async fn list_articles(State(state): State<AppState>) -> Result<Response, WebError> {
    json(
        &state
            .catalogue()
            .articles()
            .map(|a| &a.meta)
            .collect::<Vec<_>>(),
    )
}

#[utoipa::path(get, path = "/api/v1/articles/{id}", tag = "library",
    params(("id" = String, Path, description = "Article id, e.g. heat-or-cold")),
    responses(
        (status = 200, description = "The article with its Markdown body", body = AnyObject),
        (status = 404, description = "No such article", body = Problem, content_type = "application/problem+json")))]
async fn get_article(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let a = state
        .catalogue()
        .article(&id)
        .ok_or_else(|| WebError::NotFound(format!("no article has the id '{id}'")))?;
    json(&serde_json::json!({ "meta": a.meta, "body": a.body }))
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
async fn search(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> Result<Response, WebError> {
    let hits = state
        .kb()
        .search(&q.q.chars().take(300).collect::<String>(), 10)
        .map_err(|e| WebError::Internal(e.to_string()))?;
    json(&hits)
}

#[utoipa::path(get, path = "/api/v1/settings", tag = "data",
    responses((status = 200, description = "Reminder interval, quiet hours, time zone and theme", body = AnyObject)))]
async fn get_settings(State(state): State<AppState>) -> Result<Response, WebError> {
    json(&state.settings())
}

#[utoipa::path(put, path = "/api/v1/settings", tag = "data",
    request_body(content = AnyObject, description = "All settings; missing fields take their defaults"),
    responses(
        (status = 200, description = "Saved", body = AnyObject),
        (status = 422, description = "A bad value, named; nothing saved", body = Problem, content_type = "application/problem+json")))]
async fn put_settings(State(state): State<AppState>, bytes: Bytes) -> Result<Response, WebError> {
    let s: Settings = body(&bytes)?;
    s.check()?;
    state.store().save_settings(&s).await?;
    state.set_settings(s.clone());
    json(&s)
}

#[utoipa::path(get, path = "/api/v1/export/backup.json", tag = "data",
    responses((status = 200, description = "The full, versioned backup (as `unknot export`)", body = AnyObject)))]
async fn export_backup(State(state): State<AppState>) -> Result<Response, WebError> {
    let backup = state.store().backup().await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"unknot-backup.json\"",
            ),
        ],
        unknot_core::backup::render(&backup),
    )
        .into_response())
}

/// The period to export.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CsvQuery {
    /// First day, YYYY-MM-DD (default: everything).
    since: Option<String>,
    /// Last day, YYYY-MM-DD (default: today).
    until: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/export/entries.csv", tag = "data", params(CsvQuery),
    responses(
        (status = 200, description = "Journal entries as CSV with a header row", content_type = "text/csv", body = String),
        (status = 422, description = "A bad date, named", body = Problem, content_type = "application/problem+json")))]
async fn export_csv(
    state: State<AppState>,
    ApiQuery(q): ApiQuery<CsvQuery>,
) -> Result<Response, WebError> {
    // The same file as `/api/v1/export/csv?kind=entries`, at the address older links use.
    export_csv_kind(
        state,
        ApiQuery(CsvKindQuery {
            kind: "entries".into(),
            since: q.since,
            until: q.until,
        }),
    )
    .await
}

#[utoipa::path(get, path = "/api/v1/export/fhir.json", tag = "data",
    responses((status = 200, description = "A FHIR R4 Bundle: Patient, pain and PEG Observations, QuestionnaireResponses, CarePlan", body = AnyObject)))]
async fn export_fhir(State(state): State<AppState>) -> Result<Response, WebError> {
    let backup = state.store().backup().await?;
    let bundle = unknot_export::fhir::bundle(
        &unknot_export::fhir::Input {
            person: unknot_export::fhir::Person {
                name: state.settings().name,
            },
            entries: &backup.entries,
            assessments: &backup.assessments,
            plan: backup.plans.last(),
        },
        &state.now(),
    );
    Ok((
        [
            (header::CONTENT_TYPE, "application/fhir+json"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"unknot-fhir.json\"",
            ),
        ],
        serde_json::to_vec_pretty(&bundle).map_err(|e| WebError::Internal(e.to_string()))?,
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/export/calendar.ics", tag = "data",
    responses(
        (status = 200, description = "The plan as an iCalendar feed (also at /calendar.ics for subscribing)", content_type = "text/calendar", body = String),
        (status = 409, description = "No plan yet", body = Problem, content_type = "application/problem+json")))]
async fn export_calendar(State(state): State<AppState>) -> Result<Response, WebError> {
    let now = state.now();
    let plan = state.store().plans().await?.pop().ok_or_else(|| {
        WebError::Conflict("no plan yet: do the safety check, then open Plan".into())
    })?;
    let start = jiff::Timestamp::from_second(plan.created.as_second())
        .map(|t| t.to_zoned(now.time_zone().clone()).date())
        .unwrap_or(now.date());
    let text = unknot_export::ics::calendar(
        &plan,
        &unknot_export::ics::Schedule {
            start,
            routine_at: jiff::civil::Time::constant(18, 0, 0, 0),
            checkin_at: jiff::civil::Time::constant(9, 0, 0, 0),
            alarm_minutes_before: 10,
        },
        now.timestamp(),
    );
    Ok((
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
        text,
    )
        .into_response())
}

/// Which CSV to export, and the period.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CsvKindQuery {
    /// `entries`, `knots`, `sessions`, `scores`, or `zip` for all four in one archive.
    kind: String,
    /// First day, YYYY-MM-DD (default: everything).
    since: Option<String>,
    /// Last day, YYYY-MM-DD (default: today).
    until: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/export/csv", tag = "data", params(CsvKindQuery),
    responses(
        (status = 200, description = "One CSV file with a header row (or a zip of all four)", content_type = "text/csv", body = String),
        (status = 422, description = "An unknown kind or a bad date, named", body = Problem, content_type = "application/problem+json")))]
async fn export_csv_kind(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<CsvKindQuery>,
) -> Result<Response, WebError> {
    use unknot_export::csv as c;
    let now = state.now();
    let (since, until) = whole_period(q.since, q.until, &now)?;
    let d = state
        .store()
        .report_data(since, until, now.time_zone())
        .await?;
    let zone = now.time_zone().clone();
    let start = since
        .to_zoned(zone.clone())
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let assessments: Vec<_> = d
        .assessments
        .into_iter()
        .filter(|a| a.at.timestamp() >= start.timestamp() && a.at.date() <= until)
        .collect();
    let mut buf = Vec::new();
    let io = |e: unknot_export::csv::CsvError| WebError::Internal(e.to_string());
    let (kind, name) = match q.kind.as_str() {
        "entries" => (
            c::write_entries(&d.entries, &mut buf).map_err(io),
            "entries.csv",
        ),
        "knots" => (
            c::write_knots(&d.entries, &mut buf).map_err(io),
            "knots.csv",
        ),
        "sessions" => (
            c::write_sessions(&d.sessions, &mut buf).map_err(io),
            "sessions.csv",
        ),
        "scores" => (
            c::write_scores(&assessments, &mut buf).map_err(io),
            "scores.csv",
        ),
        "zip" => {
            buf = c::write_zip(&d.entries, &d.sessions, &assessments).map_err(io)?;
            (Ok(()), "unknot-csv.zip")
        }
        other => {
            return Err(WebError::Input(unknot_core::InputError::malformed(
                "kind",
                other,
                "expected entries, knots, sessions, scores or zip",
            )));
        }
    };
    kind?;
    let content_type = if name.ends_with(".zip") {
        "application/zip"
    } else {
        "text/csv; charset=utf-8"
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"unknot-{name}\""),
            ),
        ],
        buf,
    )
        .into_response())
}

/// An export's period: the given days, or everything up to today when no start is given.
fn whole_period(
    since: Option<String>,
    until: Option<String>,
    now: &jiff::Zoned,
) -> Result<(jiff::civil::Date, jiff::civil::Date), WebError> {
    let given = since.as_deref().is_some_and(|s| !s.trim().is_empty());
    let (since, until, _) = resolve(
        &HistoryQuery {
            since: if given {
                since
            } else {
                Some("1970-01-01".into())
            },
            until,
            region: None,
        },
        now,
    )?;
    Ok((since, until))
}

/// What an import did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportResult {
    /// Entries added.
    added: usize,
    /// Entries replaced by the file's version.
    updated: usize,
    /// Entries already present as in the file.
    unchanged: usize,
    /// Assessments, plan versions and sessions added.
    records: usize,
}

/// Restores a backup's text: parsed and checked in full first, then written in one
/// transaction, so a bad file changes nothing.
pub async fn import_text(state: &AppState, text: &str) -> Result<ImportSummary, WebError> {
    let parsed = unknot_core::backup::parse(text, state.now().timestamp()).map_err(|e| {
        WebError::Input(unknot_core::InputError::malformed(
            "backup",
            "",
            e.to_string(),
        ))
    })?;
    if !parsed.exercises.is_empty() {
        let mut yours = state.store().custom_exercises().await?;
        yours.retain(|m| !parsed.exercises.iter().any(|p| p.id == m.id));
        yours.extend(parsed.exercises.iter().cloned());
        let layers = vec![
            unknot_core::catalogue::builtin(),
            unknot_core::catalogue::Layer::user(&yours),
        ];
        unknot_core::catalogue::Catalogue::load(&layers).map_err(|e| {
            WebError::Input(unknot_core::InputError::malformed(
                "exercises",
                "",
                e.to_string().trim_end().to_string(),
            ))
        })?;
    }
    let extras = unknot_core::backup::Extras {
        exercises: parsed.exercises,
        assessments: parsed.assessments,
        plans: parsed.plans,
        sessions: parsed.sessions,
        breaks: parsed.breaks,
    };
    let summary = state
        .store()
        .import_backup(&parsed.entries, &extras)
        .await?;
    state.changed();
    Ok(summary)
}

#[utoipa::path(post, path = "/api/v1/import", tag = "data",
    request_body(content = AnyObject, description = "A backup written by unknot export"),
    responses(
        (status = 200, description = "Imported, all or nothing", body = ImportResult),
        (status = 422, description = "Refused, with the reason; nothing stored", body = Problem, content_type = "application/problem+json")))]
async fn import_backup(State(state): State<AppState>, bytes: Bytes) -> Result<Response, WebError> {
    let text = String::from_utf8(bytes.to_vec()).map_err(|_| {
        WebError::Input(unknot_core::InputError::malformed(
            "backup",
            "",
            "the body is not UTF-8 text",
        ))
    })?;
    let s = import_text(&state, &text).await?;
    json(&ImportResult {
        added: s.added,
        updated: s.updated,
        unchanged: s.unchanged,
        records: s.records,
    })
}

//! The coach: Today, the safety check and check-ins, the plan and its review, guided sessions,
//! and heat and cold.

use axum::body::Bytes;
use axum::http::Method;
use axum::response::Response;
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use unknot_app::AppError;
use unknot_app::coach::{AssessOutcome, CheckinOutcome, ReviewOutcome};
use unknot_app::session::{Finished, Recorded};
use unknot_app::therapy::{Prepared, Timed};
use unknot_core::adapt::ItemOutcome;
use unknot_core::body::Region;
use unknot_core::catalogue::TherapyKind;
use unknot_core::intake::Answers;
use unknot_core::journal::Entry;
use unknot_core::planner::StoredPlan;
use unknot_core::score::Score;
use unknot_core::session;
use unknot_core::therapy::Request;
use unknot_core::today::Today;
use unknot_core::triage::Urgency;
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::{body, created, json};
use crate::WebError;
use crate::access::{Me, Routes, Rule};
use crate::error::{ApiQuery, Problem};
use crate::figures::animated_figure;

#[derive(OpenApi)]
#[openapi(
    paths(
        today,
        create_assessment,
        create_checkin,
        get_plan,
        review_plan,
        session_steps,
        create_session,
        therapy_plan,
        create_therapy
    ),
    components(schemas(
        SessionInput,
        TherapyInput,
        Therapy,
        Answers,
        AssessOutcome,
        CheckinOutcome,
        ReviewOutcome,
        PlanAnswer,
        NoPlan,
        SessionSteps,
        Prepared
    ))
)]
pub(super) struct Api;

pub(super) fn routes() -> Routes {
    Routes::new()
        .at("/api/v1/today", Rule::Own, &[Method::GET], get(today))
        .at(
            "/api/v1/assessments",
            Rule::Own,
            &[Method::POST],
            post(create_assessment),
        )
        .at(
            "/api/v1/checkins",
            Rule::Own,
            &[Method::POST],
            post(create_checkin),
        )
        .at("/api/v1/plan", Rule::Own, &[Method::GET], get(get_plan))
        .at(
            "/api/v1/plan/review",
            Rule::Own,
            &[Method::POST],
            post(review_plan),
        )
        .at(
            "/api/v1/session/steps",
            Rule::Own,
            &[Method::GET],
            get(session_steps),
        )
        .at(
            "/api/v1/sessions",
            Rule::Own,
            &[Method::POST],
            post(create_session),
        )
        .at(
            "/api/v1/therapy/plan",
            Rule::Own,
            &[Method::GET],
            get(therapy_plan),
        )
        .at(
            "/api/v1/therapy",
            Rule::Own,
            &[Method::POST],
            post(create_therapy),
        )
}

#[utoipa::path(get, path = "/api/v1/today", tag = "coach",
    responses((status = 200, description = "What is due today, the streak and any open advice", body = Today)))]
async fn today(Me(state): Me) -> Result<Response, WebError> {
    json(&state.app().today().await?)
}

fn answers(bytes: &Bytes) -> Result<Answers, WebError> {
    let text = std::str::from_utf8(bytes).map_err(|_| {
        WebError::Input(unknot_core::InputError::malformed(
            "answers",
            "",
            "the body is not UTF-8 text",
        ))
    })?;
    Ok(Answers::from_json(text)?)
}

#[utoipa::path(post, path = "/api/v1/assessments", tag = "coach",
    request_body(content = Answers, description = "The intake answers (docs/intake.md)"),
    responses(
        (status = 201, description = "The triage result, with its reasons", body = AssessOutcome),
        (status = 422, description = "A bad answer, named", body = Problem, content_type = "application/problem+json")))]
async fn create_assessment(Me(state): Me, bytes: Bytes) -> Result<Response, WebError> {
    let out = state.app().assess(answers(&bytes)?, true).await?;
    state.changed();
    created(&out)
}

/// A check-in's client-made id, so that sending it again stores it once.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CheckinQuery {
    /// An id the client made (letters, digits and hyphens, at most 64; a UUID is usual). With
    /// it the write is idempotent: the same id and answers again are stored once.
    id: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/checkins", tag = "coach", params(CheckinQuery),
    request_body(content = Answers, description = "This week's scores and any new warning signs"),
    responses(
        (status = 201, description = "Scores, changes and the plan review", body = CheckinOutcome),
        (status = 200, description = "Already stored by an earlier request with this `id` and the same answers; nothing written, answered as then", body = CheckinOutcome),
        (status = 409, description = "No intake yet (code `missing`); or the `id` is already used for other answers, or by a record that is not yours (answered alike; code `id_in_use`); nothing stored", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad answer or id, named; or a malformed query string", body = Problem, content_type = "application/problem+json")))]
async fn create_checkin(
    Me(state): Me,
    ApiQuery(q): ApiQuery<CheckinQuery>,
    bytes: Bytes,
) -> Result<Response, WebError> {
    let answers = answers(&bytes)?;
    let Some(id) = q.id else {
        let out = state.app().checkin(answers).await?;
        state.changed();
        return created(&out);
    };
    let posted = state.app().checkin_once(&id, answers).await?;
    if posted.is_new() {
        state.changed();
        created(&posted.into_inner())
    } else {
        json(&posted.into_inner())
    }
}

/// The advice that replaces the plan when triage withholds it.
#[derive(Serialize, ToSchema)]
pub struct NoPlan {
    /// Always null: no plan at this level.
    #[schema(schema_with = always_null)]
    plan: Option<()>,
    /// The triage level id (`urgent` or `emergency`).
    #[schema(value_type = Urgency)]
    urgency: &'static str,
    /// What to do instead.
    advice: &'static str,
}

/// The JSON `null` (the withheld plan).
fn always_null() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::Null)
        .build()
}

/// The plan, or the advice that replaces it.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum PlanAnswer {
    /// The current plan version and when it was made.
    Plan(Box<StoredPlan>),
    /// No plan: see a doctor first.
    Withheld(NoPlan),
}

#[utoipa::path(get, path = "/api/v1/plan", tag = "coach",
    responses(
        (status = 200, description = "The current plan (made when missing or stale), or the advice that replaces it", body = PlanAnswer),
        (status = 409, description = "No assessment yet", body = Problem, content_type = "application/problem+json")))]
async fn get_plan(Me(state): Me) -> Result<Response, WebError> {
    match state.app().plan(false).await {
        Ok(p) => {
            if p.made {
                state.changed();
            }
            json(&PlanAnswer::Plan(p.stored))
        }
        Err(AppError::Withheld(t)) => json(&PlanAnswer::Withheld(NoPlan {
            plan: None,
            urgency: t.urgency.id(),
            advice: t.advice,
        })),
        Err(e) => Err(e.into()),
    }
}

#[utoipa::path(post, path = "/api/v1/plan/review", tag = "coach",
    responses(
        (status = 200, description = "What the review decided and why", body = ReviewOutcome),
        (status = 409, description = "No plan yet", body = Problem, content_type = "application/problem+json")))]
async fn review_plan(Me(state): Me) -> Result<Response, WebError> {
    let out = state.app().review().await?;
    state.changed();
    json(&out)
}

/// Which exercise to guide.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StepsQuery {
    /// One exercise id instead of today's routine.
    exercise: Option<String>,
}

/// One exercise of a guided session, with what the player shows beside its steps.
#[derive(Serialize, ToSchema)]
pub struct StepsItem<'a> {
    /// The exercise id.
    exercise: &'a str,
    /// Its name.
    name: &'a str,
    /// How much, in words.
    dose: String,
    /// What to do, in order.
    steps: &'a [String],
    /// Cues while doing it.
    cues: &'a [String],
    /// When to stop at once.
    stop_if: &'a [String],
    /// Who should not do it.
    avoid_if: &'a [String],
    /// The animated figure (SVG), empty when the exercise has none.
    figure: String,
}

/// A guided session: the exercises and the timed steps that run through them. (Fields in the
/// order the answer has always had them.)
#[derive(Serialize, ToSchema)]
pub struct SessionSteps<'a> {
    /// The exercises, in order (a step's `item` indexes this list).
    items: Vec<StepsItem<'a>>,
    /// The speed factor the server runs timers at (1 is real time; tests run faster).
    speed: f64,
    /// Every timed step, in order.
    steps: Vec<session::Step>,
}

#[utoipa::path(get, path = "/api/v1/session/steps", tag = "coach", params(StepsQuery),
    responses(
        (status = 422, description = "A malformed query string", body = Problem, content_type = "application/problem+json"),
        (status = 200, description = "The routine unrolled into timed steps (get ready, hold, reps, switch sides, rest); empty when there is no routine yet", body = SessionSteps),
        (status = 404, description = "Unknown exercise, with the nearest id", body = Problem, content_type = "application/problem+json")))]
async fn session_steps(
    Me(state): Me,
    ApiQuery(q): ApiQuery<StepsQuery>,
) -> Result<Response, WebError> {
    let items = match state.app().session_items(q.exercise.as_deref()).await {
        Ok(items) => items,
        Err(AppError::Input(e)) => return Err(WebError::NotFound(e.to_string())),
        Err(AppError::Missing(_) | AppError::Withheld(_)) => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    let catalogue = state.catalogue().await?;
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
                avoid_if: &e.avoid_if,
                figure: animated_figure(e),
            })
        })
        .collect();
    json(&SessionSteps {
        items: described,
        speed: state.speed(),
        steps: session::steps(&items),
    })
}

/// A finished guided session.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionInput {
    /// An id the client made for the session (a UUID made on the device is best; 1 to 64
    /// letters, digits and hyphens, kept in lower case). The session is stored once: sending
    /// the same id and outcomes again answers 200 with what was stored, other outcomes under
    /// the same id answer 409. Its journal entry takes the same id. Left out, the server makes
    /// the ids.
    #[serde(default)]
    #[schema(pattern = "^[A-Za-z0-9-]{1,64}$", min_length = 1, max_length = 64)]
    id: Option<String>,
    /// Each exercise's outcome (1 to 100; each exercise id must be in the library).
    #[schema(min_items = 1, max_items = 100)]
    items: Vec<ItemOutcome>,
    /// Pain before, 0-10.
    #[serde(default)]
    pain_before: Option<Score>,
    /// Pain after, 0-10.
    #[serde(default)]
    pain_after: Option<Score>,
    /// Warning signs that turned up during or since the session, by id: `saddle_numbness`,
    /// `bladder_bowel_change`, `both_legs`, `leg_weakness` (a leg or foot has gone weak or
    /// weaker), `numbness_tingling`, `pain_below_knee`, `chest_pain_or_breathless`,
    /// `pain_with_sweating_or_sickness`. They reach the safety check (Today, the plan) at once.
    #[serde(default)]
    warning_signs: Vec<String>,
}

#[utoipa::path(post, path = "/api/v1/sessions", tag = "coach", request_body = SessionInput,
    responses(
        (status = 201, description = "Recorded, with how much was done, the journal entry made for it (none when nothing was done and no pain was rated), and, when a warning sign was reported, the safety check as it stands now", body = Recorded),
        (status = 200, description = "Already recorded by an earlier request with this `id` and the same outcomes; nothing written, the stored session and entry answered", body = Recorded),
        (status = 409, description = "The `id` is already used for other outcomes, or by a record that is not yours (answered alike); nothing stored. Code `id_in_use`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Refused, with the value named; nothing stored", body = Problem, content_type = "application/problem+json")))]
async fn create_session(Me(state): Me, bytes: Bytes) -> Result<Response, WebError> {
    let input: SessionInput = body(&bytes)?;
    let posted = state
        .app()
        .record_session_once(Finished {
            id: input.id,
            started: None,
            items: input.items,
            pain_before: input.pain_before,
            pain_after: input.pain_after,
            warning_signs: input.warning_signs,
        })
        .await?;
    if posted.is_new() {
        state.changed();
        created(&posted.into_inner())
    } else {
        json(&posted.into_inner())
    }
}

/// Heat, cold, or contrast (heat and cold in turn).
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Therapy {
    /// A heat pack.
    Heat,
    /// A cold pack.
    Cold,
    /// Heat and cold in turn.
    Contrast,
}

fn therapy_kind(kind: Therapy) -> TherapyKind {
    match kind {
        Therapy::Heat => TherapyKind::Heat,
        Therapy::Cold => TherapyKind::Cold,
        Therapy::Contrast => TherapyKind::Contrast,
    }
}

/// Which therapy to prepare.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TherapyQuery {
    /// `heat`, `cold` or `contrast`.
    #[param(inline)]
    kind: Therapy,
    /// Minutes for heat or cold (default: the protocol's).
    minutes: Option<u16>,
}

#[utoipa::path(get, path = "/api/v1/therapy/plan", tag = "coach", params(TherapyQuery),
    responses(
        (status = 200, description = "The phases to time within the hard limits, the barrier to confirm, when to stop, and warnings (cold too soon after cold)", body = Prepared),
        (status = 422, description = "Over a limit, or an unknown kind", body = Problem, content_type = "application/problem+json")))]
async fn therapy_plan(
    Me(state): Me,
    ApiQuery(q): ApiQuery<TherapyQuery>,
) -> Result<Response, WebError> {
    let request = Request {
        kind: therapy_kind(q.kind),
        minutes: q.minutes,
    };
    json(&state.app().prepare_therapy(request).await?)
}

/// A heat, cold or contrast session that was timed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TherapyInput {
    kind: Therapy,
    /// Minutes applied, for heat or cold (within the limit: heat 30, cold 20).
    minutes: Option<u16>,
    /// Seconds of heat applied (contrast, or instead of `minutes`).
    heat_seconds: Option<u32>,
    /// Seconds of cold applied (contrast, or instead of `minutes`).
    cold_seconds: Option<u32>,
    /// Where the pack went (a region id such as lower-back).
    #[serde(default)]
    region: Option<Region>,
    /// True when stopped before the end.
    #[serde(default)]
    stopped_early: bool,
    /// The user confirmed a cloth between the pack and the skin.
    barrier: bool,
}

#[utoipa::path(post, path = "/api/v1/therapy", tag = "coach", request_body = TherapyInput,
    responses(
        (status = 201, description = "Recorded in the journal (null when under a minute was applied)", body = Option<Entry>),
        (status = 422, description = "Over the limit or no barrier; nothing stored", body = Problem, content_type = "application/problem+json")))]
async fn create_therapy(Me(state): Me, bytes: Bytes) -> Result<Response, WebError> {
    let input: TherapyInput = body(&bytes)?;
    let kind = therapy_kind(input.kind);
    let from_minutes = input.minutes.map(|m| u32::from(m) * 60);
    let (heat, cold) = match kind {
        TherapyKind::Heat => (input.heat_seconds.or(from_minutes), input.cold_seconds),
        TherapyKind::Cold => (input.heat_seconds, input.cold_seconds.or(from_minutes)),
        TherapyKind::Contrast => (input.heat_seconds, input.cold_seconds),
    };
    if let (TherapyKind::Heat | TherapyKind::Cold, Some(m)) = (kind, input.minutes) {
        state
            .app()
            .prepare_therapy(Request {
                kind,
                minutes: Some(m),
            })
            .await?;
    }
    let region = input.region;
    let entry = state
        .app()
        .record_therapy(Timed {
            kind,
            heat_seconds: heat.unwrap_or(0),
            cold_seconds: cold.unwrap_or(0),
            region,
            stopped_early: input.stopped_early,
            barrier: input.barrier,
        })
        .await?;
    state.changed();
    created(&entry)
}

//! The coach's pages: the safety check (intake) and its result, the weekly check-in, the plan,
//! the session player and the heat and cold timers.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use unknot_core::intake::{Answers, Assessment, AssessmentKind};
use unknot_core::triage::{Triage, Urgency, triage};
use unknot_store::PlanOutcome;

use super::{Layout, PageResult, render, see_other};
use crate::entry_form::{Pairs, one};
use crate::security::check_form_token;
use crate::{AppState, WebError};
use unknot_export::charts::{self, Series};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/assess", get(assess_form).post(assess))
        .route("/assess/result", get(result))
        .route("/checkin", get(checkin_form).post(checkin))
        .route("/plan", get(plan))
        .route("/plan/review", post(review))
        .route("/session", get(session))
        .route("/therapy", get(therapy))
}

/// The yes/no warning signs, as the intake names them, in plain words.
pub const FLAGS: &[(&str, &str)] = &[
    (
        "saddle_numbness",
        "Numbness between the legs or around the bottom",
    ),
    (
        "bladder_bowel_change",
        "New trouble controlling or passing urine, or controlling the bowels",
    ),
    ("sexual_function_change", "A new change in sexual function"),
    ("both_legs", "Symptoms in both legs"),
    ("numbness_tingling", "Numbness or pins and needles"),
    ("fever", "Fever or chills with the back pain"),
    ("unexplained_weight_loss", "Losing weight without trying"),
    ("cancer_history", "Cancer now or in the past"),
    (
        "osteoporosis_or_steroids",
        "Osteoporosis, or steroid tablets for a long time",
    ),
    (
        "night_pain",
        "Constant pain at night that rest or a new position does not ease",
    ),
    (
        "immunosuppressed_or_iv_drug_use",
        "A weakened immune system, or injecting drugs",
    ),
    (
        "chest_pain_or_breathless",
        "Chest pain or being short of breath",
    ),
    (
        "worsening_despite_self_care",
        "Getting worse even with rest and self-care",
    ),
    (
        "limits_daily_activities",
        "The pain stops me doing everyday things",
    ),
];

type Options = Vec<(&'static str, &'static str)>;

#[derive(Template)]
#[template(path = "assess.html")]
struct AssessPage {
    layout: Layout,
    error: Option<String>,
    flags: Vec<(&'static str, &'static str)>,
    radiation: Options,
    weakness: Options,
    trauma: Options,
    onset: Options,
    regions: Options,
    has_assessment: bool,
}

async fn assess_page(state: &AppState, error: Option<String>) -> Result<Response, WebError> {
    let page = AssessPage {
        layout: Layout::new(state, "Safety check", "assess").await?,
        error,
        flags: FLAGS.to_vec(),
        radiation: vec![
            ("none", "No, it stays in my back"),
            ("buttock", "Into the buttock"),
            ("thigh", "Into the thigh"),
            ("below_knee", "Below the knee"),
            ("arm", "Into an arm"),
            ("chest", "Into the chest"),
        ],
        weakness: vec![
            ("none", "No weakness"),
            ("stable", "Some weakness, not changing"),
            ("worsening", "Weakness that is getting worse"),
        ],
        trauma: vec![
            ("none", "No"),
            ("minor", "A minor one (a slip, a bump)"),
            ("major", "A major one (a car accident, a fall from height)"),
        ],
        onset: vec![
            ("", "Not sure"),
            ("3", "Less than a week"),
            ("21", "One to six weeks"),
            ("60", "Six to twelve weeks"),
            ("120", "More than three months"),
        ],
        regions: vec![
            ("neck", "Neck"),
            ("upper_back", "Upper back"),
            ("mid_back", "Middle back"),
            ("lower_back", "Lower back"),
            ("shoulders", "Shoulders"),
            ("buttocks", "Buttocks"),
        ],
        has_assessment: !state.store().assessments().await?.is_empty(),
    };
    Ok(render(&page))
}

async fn assess_form(State(state): State<AppState>) -> PageResult {
    Ok(assess_page(&state, None).await?)
}

/// Reads the intake or check-in form into the public answers contract (the same JSON a file
/// given to `unknot assess --answers` holds), so the form is checked by the same code.
pub fn answers_from_form(pairs: &Pairs, flags_asked: bool) -> Result<Answers, WebError> {
    let mut m = Map::new();
    if flags_asked {
        for (name, _) in FLAGS {
            m.insert((*name).into(), Value::Bool(one(pairs, name).is_some()));
        }
    } else {
        // A check-in only reports what is new: an unticked box says nothing.
        for (name, _) in FLAGS {
            if one(pairs, name).is_some() {
                m.insert((*name).into(), Value::Bool(true));
            }
        }
    }
    for name in ["radiation", "leg_weakness", "trauma"] {
        if let Some(v) = one(pairs, name) {
            m.insert(name.into(), Value::String(v.into()));
        }
    }
    for name in [
        "age",
        "minutes_per_day",
        "pain_now",
        "peg_pain",
        "peg_enjoyment",
        "peg_activity",
    ] {
        if let Some(v) = one(pairs, name) {
            let n: i64 = v.parse().map_err(|_| {
                WebError::Input(unknot_core::InputError::malformed(
                    name,
                    v,
                    "expected a whole number",
                ))
            })?;
            m.insert(name.into(), json!(n));
        }
    }
    if let Some(v) = one(pairs, "onset") {
        let days: u32 = v.parse().map_err(|_| {
            WebError::Input(unknot_core::InputError::malformed(
                "onset",
                v,
                "expected a number of days",
            ))
        })?;
        m.insert("onset_days".into(), json!(days));
    }
    let regions: Vec<Value> = pairs
        .iter()
        .filter(|(k, _)| k == "regions")
        .map(|(_, v)| Value::String(v.clone()))
        .collect();
    if !regions.is_empty() {
        m.insert("regions".into(), Value::Array(regions));
    }
    let answers = Answers::from_json(&Value::Object(m).to_string())?;
    answers.check()?;
    Ok(answers)
}

async fn assess(State(state): State<AppState>, Form(pairs): Form<Pairs>) -> PageResult {
    check_form_token(&state, one(&pairs, "csrf"))?;
    let answers = match answers_from_form(&pairs, true) {
        Ok(a) => a,
        Err(WebError::Input(e)) => {
            let mut res = assess_page(&state, Some(e.to_string())).await?;
            *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(res);
        }
        Err(e) => return Err(e.into()),
    };
    state
        .store()
        .save_assessment(&Assessment {
            id: unknot_store::new_id(),
            kind: AssessmentKind::Intake,
            at: state.now(),
            answers,
        })
        .await?;
    state.changed();
    Ok(see_other("/assess/result"))
}

#[derive(Template)]
#[template(path = "assess_result.html")]
struct ResultPage {
    layout: Layout,
    label: &'static str,
    urgency: &'static str,
    emergency: bool,
    advice: &'static str,
    reasons: Vec<String>,
    scores: Vec<String>,
    changes: Vec<String>,
    plan_allowed: bool,
}

fn score_lines(s: &unknot_store::Scores) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(p) = s.pain_now {
        out.push(format!("Pain now: {p}/10"));
    }
    if let Some(p) = s.peg {
        out.push(format!("PEG: {p:.1}/10 (lower is better)"));
    }
    if let Some(p) = s.psfs {
        out.push(format!("Activities (PSFS): {p:.1}/10 (higher is better)"));
    }
    out
}

fn result_page(
    layout: Layout,
    t: &Triage,
    scores: Vec<String>,
    changes: Vec<String>,
) -> ResultPage {
    ResultPage {
        layout: Layout {
            // The result itself shows the advice; no banner above it.
            advice: None,
            ..layout
        },
        label: t.urgency.label(),
        urgency: t.urgency.id(),
        emergency: t.urgency == Urgency::Emergency,
        advice: t.advice,
        reasons: t.reasons.iter().map(|r| r.says.to_string()).collect(),
        scores,
        changes,
        plan_allowed: t.plan_allowed,
    }
}

async fn result(State(state): State<AppState>) -> PageResult {
    let all = state.store().assessments().await?;
    let Some((_, answers)) = unknot_store::current_answers(&all) else {
        return Ok(see_other("/assess"));
    };
    let t = triage(&answers);
    let layout = Layout::new(&state, "Your result", "assess").await?;
    let latest = all.last().map(|a| a.answers.clone()).unwrap_or_default();
    Ok(render(&result_page(
        layout,
        &t,
        score_lines(&unknot_store::scores(&latest)),
        Vec::new(),
    )))
}

#[derive(Template)]
#[template(path = "checkin.html")]
struct CheckinPage {
    layout: Layout,
    error: Option<String>,
    has_intake: bool,
    flags: Vec<(&'static str, &'static str)>,
    trend: String,
}

async fn checkin_page(state: &AppState, error: Option<String>) -> Result<Response, WebError> {
    let all = state.store().assessments().await?;
    let dates: Vec<jiff::civil::Date> = all.iter().map(|a| a.at.date()).collect();
    let score = |f: fn(&unknot_store::Scores) -> Option<f64>| -> Vec<Option<f64>> {
        all.iter()
            .map(|a| f(&unknot_store::scores(&a.answers)))
            .collect()
    };
    // One point per assessment, on an axis of assessments rather than days.
    let trend = if all.len() >= 2 {
        charts::line_chart(
            "Scores at each assessment and check-in",
            &dates,
            &[
                Series {
                    label: "pain now".into(),
                    values: score(|s| s.pain_now.map(f64::from)),
                },
                Series {
                    label: "PEG".into(),
                    values: score(|s| s.peg),
                },
            ],
            10.0,
        )
    } else {
        String::new()
    };
    let page = CheckinPage {
        layout: Layout::new(state, "Weekly check-in", "assess").await?,
        error,
        has_intake: unknot_store::current_answers(&all).is_some(),
        flags: FLAGS.to_vec(),
        trend,
    };
    Ok(render(&page))
}

async fn checkin_form(State(state): State<AppState>) -> PageResult {
    Ok(checkin_page(&state, None).await?)
}

async fn checkin(State(state): State<AppState>, Form(pairs): Form<Pairs>) -> PageResult {
    check_form_token(&state, one(&pairs, "csrf"))?;
    let answers = match answers_from_form(&pairs, false) {
        Ok(a) => a,
        Err(WebError::Input(e)) => {
            let mut res = checkin_page(&state, Some(e.to_string())).await?;
            *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(res);
        }
        Err(e) => return Err(e.into()),
    };
    let now = state.now();
    let Some(out) = state
        .store()
        .checkin(&answers, state.catalogue(), &now)
        .await?
    else {
        return Ok(see_other("/assess"));
    };
    state.changed();
    let mut changes: Vec<String> = out
        .changes_since_start
        .iter()
        .map(|c| format!("Since you started: {}", c.says))
        .collect();
    if let Some(r) = &out.review {
        changes.extend(r.review.changes.iter().map(|c| c.reason.clone()));
    }
    let layout = Layout::new(&state, "Check-in saved", "assess").await?;
    Ok(render(&result_page(
        layout,
        &out.triage,
        score_lines(&out.scores),
        changes,
    )))
}

struct PlanItemView {
    id: String,
    name: String,
    dose: String,
    why: String,
}

struct PlanView {
    version: u32,
    made: String,
    minutes: u32,
    items: Vec<PlanItemView>,
    heat_cold: String,
    break_every: u16,
    micro: String,
    habits: Vec<String>,
    changes: Vec<String>,
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    layout: Layout,
    message: Option<&'static str>,
    plan: Option<PlanView>,
    missing: String,
}

#[derive(Deserialize)]
struct PlanQuery {
    reviewed: Option<String>,
}

async fn plan(State(state): State<AppState>, Query(q): Query<PlanQuery>) -> PageResult {
    let now = state.now();
    let outcome = state
        .store()
        .current_plan(state.catalogue(), &now, false)
        .await?;
    let (plan, missing) = match outcome {
        PlanOutcome::NoAssessment => (
            None,
            "No plan yet: do the safety check first (Check in the menu).".to_string(),
        ),
        PlanOutcome::Withheld(t) => (
            None,
            format!(
                "No exercise plan is made at this level: {} Please get that help first.",
                t.advice
            ),
        ),
        PlanOutcome::Plan { stored, made, .. } => {
            if made {
                state.changed();
            }
            let p = &stored.plan;
            (
                Some(PlanView {
                    version: p.version,
                    made: stored
                        .created
                        .to_zoned(now.time_zone().clone())
                        .strftime("%-d %B %Y")
                        .to_string(),
                    minutes: p.total_seconds.div_ceil(60),
                    items: p
                        .routine
                        .iter()
                        .map(|i| PlanItemView {
                            id: i.exercise.clone(),
                            name: i.name.clone(),
                            dose: i.dosage.describe(),
                            why: i.why.clone(),
                        })
                        .collect(),
                    heat_cold: format!(
                        "{} for up to {} minutes: {}",
                        match p.heat_cold.therapy {
                            unknot_core::catalogue::TherapyKind::Heat => "Heat",
                            unknot_core::catalogue::TherapyKind::Cold => "Cold",
                            unknot_core::catalogue::TherapyKind::Contrast => "Heat and cold",
                        },
                        p.heat_cold.minutes,
                        p.heat_cold.why
                    ),
                    break_every: p.breaks.every_minutes,
                    micro: p.breaks.micro_breaks.join(", "),
                    habits: p.habits.iter().map(|h| h.change.clone()).collect(),
                    changes: p.changes.iter().map(|c| c.reason.clone()).collect(),
                }),
                String::new(),
            )
        }
    };
    let page = PlanPage {
        layout: Layout::new(&state, "Plan", "plan").await?,
        message: match q.reviewed.as_deref() {
            Some("changed") => Some("Reviewed: your plan changed. See what changed below."),
            Some("same") => Some("Reviewed: no changes; keep going with the same plan."),
            _ => None,
        },
        plan,
        missing,
    };
    Ok(render(&page))
}

async fn review(State(state): State<AppState>, Form(pairs): Form<Pairs>) -> PageResult {
    check_form_token(&state, one(&pairs, "csrf"))?;
    let out = state
        .store()
        .review_plan(state.catalogue(), &state.now())
        .await?;
    state.changed();
    Ok(match out {
        Some(r) if r.saved_version.is_some() => see_other("/plan?reviewed=changed"),
        Some(_) => see_other("/plan?reviewed=same"),
        None => see_other("/plan"),
    })
}

#[derive(Template)]
#[template(path = "session.html")]
struct SessionPage {
    layout: Layout,
    items: Vec<String>,
    minutes: u32,
    speed: f64,
    steps_url: String,
}

#[derive(Deserialize)]
struct SessionQuery {
    exercise: Option<String>,
}

async fn session(State(state): State<AppState>, Query(q): Query<SessionQuery>) -> PageResult {
    let items = crate::api::session_items(&state, q.exercise.as_deref()).await?;
    let seconds: u32 = items.iter().map(|i| i.dosage.total_seconds()).sum();
    let page = SessionPage {
        layout: Layout::new(&state, "Session", "session").await?,
        items: items.iter().map(|i| i.name.clone()).collect(),
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
    max: u16,
    default: u16,
    barrier: String,
}

#[derive(Template)]
#[template(path = "therapy.html")]
struct TherapyPage {
    layout: Layout,
    therapies: Vec<TherapyView>,
    speed: f64,
}

async fn therapy(State(state): State<AppState>) -> PageResult {
    let t = state.catalogue().therapies();
    let view = |id, p: &unknot_core::catalogue::Protocol| TherapyView {
        id,
        name: p.name.clone(),
        summary: p.summary.clone(),
        max: p.max_minutes,
        default: p.default_minutes,
        barrier: p.barrier.clone(),
    };
    let page = TherapyPage {
        layout: Layout::new(&state, "Heat and cold", "session").await?,
        therapies: vec![view("heat", &t.heat), view("cold", &t.cold)],
        speed: state.speed(),
    };
    Ok(render(&page))
}

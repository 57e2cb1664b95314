//! The safety check (intake) and its result, and the weekly check-in.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use serde_json::{Map, Value, json};
use unknot_core::intake::Answers;
use unknot_core::progress::Scores;
use unknot_core::triage::{Triage, Urgency};
use unknot_export::charts::{self, Series};

use super::{Layout, PageResult, refused, render, see_other};
use crate::entry_form::{Pairs, one};
use crate::security::check_form_token;
use crate::{AppState, WebError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/assess", get(assess_form).post(assess))
        .route("/assess/result", get(result))
        .route("/checkin", get(checkin_form).post(checkin))
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
        has_assessment: state.app().standing().await?.is_some(),
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
            return Ok(refused(assess_page(&state, Some(e.to_string())).await?));
        }
        Err(e) => return Err(e.into()),
    };
    state.app().assess(answers, true).await?;
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

fn score_lines(s: &Scores) -> Vec<String> {
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
    let Some(standing) = state.app().standing().await? else {
        return Ok(see_other("/assess"));
    };
    let layout = Layout::new(&state, "Your result", "assess").await?;
    Ok(render(&result_page(
        layout,
        &standing.triage,
        score_lines(&standing.latest_scores),
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
    let all = state.app().score_history().await?;
    let dates: Vec<jiff::civil::Date> = all.iter().map(|(d, _)| *d).collect();
    let score = |f: fn(&Scores) -> Option<f64>| -> Vec<Option<f64>> {
        all.iter().map(|(_, s)| f(s)).collect()
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
        has_intake: state.app().standing().await?.is_some(),
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
            return Ok(refused(checkin_page(&state, Some(e.to_string())).await?));
        }
        Err(e) => return Err(e.into()),
    };
    let out = match state.app().checkin(answers).await {
        Ok(out) => out,
        Err(unknot_app::AppError::Missing(_)) => return Ok(see_other("/assess")),
        Err(e) => return Err(e.into()),
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

//! The safety check (intake) and its result, and the weekly check-in.

use askama::Template;
use axum::Form;
use axum::http::Method;
use axum::response::Response;
use axum::routing::get;
use unknot_core::intake::Answers;
use unknot_core::intake::questions::{NONE_OF_THESE, Stage};
use unknot_core::progress::Scores;
use unknot_core::triage::{Triage, Urgency};
use unknot_export::charts::{self, Series};

use super::{Layout, PageResult, refused, render, see_other};
use unknot_app::coach::stops_after_warning_signs;

use crate::access::{Me, Routes, Rule};
use crate::entry_form::{Pairs, one};
use crate::questions::{StageView, answer_pairs, core_pairs};
use crate::security::check_form_token;
use crate::{AppState, WebError};

pub fn routes() -> Routes {
    Routes::new()
        .at(
            "/assess",
            Rule::Own,
            &[Method::GET, Method::POST],
            get(assess_form).post(assess),
        )
        .at("/assess/result", Rule::Own, &[Method::GET], get(result))
        .at(
            "/checkin",
            Rule::Own,
            &[Method::GET, Method::POST],
            get(checkin_form).post(checkin),
        )
}

#[derive(Template)]
#[template(path = "assess.html")]
struct AssessPage {
    layout: Layout,
    error: Option<String>,
    stage: StageView,
    step_number: usize,
    step_count: usize,
    /// Each stage's title and whether it is `done`, `now` or `later`.
    progress: Vec<(&'static str, &'static str)>,
    carried: Vec<(String, String)>,
    has_assessment: bool,
}

/// The intake's stages, in order.
fn stages() -> &'static [Stage] {
    Stage::ALL
}

/// The page for `stage`, its own fields filled from `pairs` and every other answer carried in
/// hidden fields, so moving back and forth loses nothing.
async fn assess_page(
    state: &AppState,
    stage: Stage,
    pairs: &Pairs,
    error: Option<String>,
) -> Result<Response, WebError> {
    let answers = answer_pairs(pairs);
    let view = StageView::new(stage, &answers, false);
    let own: Vec<&str> = view.questions.iter().map(|q| q.field).collect();
    let carried = answers
        .into_iter()
        .filter(|(k, _)| {
            let psfs_row = k.starts_with("psfs_");
            let here = own.contains(&k.as_str())
                || (stage == Stage::WarningSigns && k == NONE_OF_THESE)
                || (psfs_row && own.contains(&"psfs"));
            !here
        })
        .collect();
    let at = stages().iter().position(|s| *s == stage).unwrap_or(0);
    let page = AssessPage {
        layout: Layout::new(state, "Safety check", "assess").await?,
        error,
        progress: stages()
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let state = match i.cmp(&at) {
                    std::cmp::Ordering::Less => "done",
                    std::cmp::Ordering::Equal => "now",
                    std::cmp::Ordering::Greater => "later",
                };
                (s.title(), state)
            })
            .collect(),
        step_number: at + 1,
        step_count: stages().len(),
        stage: view,
        carried,
        has_assessment: state.app().standing().await?.is_some(),
    };
    Ok(render(&page))
}

async fn assess_form(Me(state): Me) -> PageResult {
    Ok(assess_page(&state, Stage::WarningSigns, &Vec::new(), None).await?)
}

/// Reads the answers posted so far, as the terminal reads its own.
fn read_answers(pairs: &Pairs) -> Result<Answers, WebError> {
    let core = core_pairs(&answer_pairs(pairs));
    Ok(Answers::from_pairs(
        core.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    )?)
}

/// The words for a warning-sign stage left unanswered.
const ANSWER_THE_SIGNS: &str = "Please answer the safety questions: tick what applies to you, or \
    tick \"None of these apply to me\" if none of them does.";

async fn assess(Me(state): Me, Form(pairs): Form<Pairs>) -> PageResult {
    check_form_token(&state, one(&pairs, "csrf"))?;
    let here = one(&pairs, "step")
        .and_then(|id| stages().iter().copied().find(|s| s.id() == id))
        .unwrap_or(Stage::WarningSigns);
    let at = stages().iter().position(|s| *s == here).unwrap_or(0);
    if one(&pairs, "go") == Some("back") {
        let back = stages()[at.saturating_sub(1)];
        return Ok(assess_page(&state, back, &pairs, None).await?);
    }
    let answers = match read_answers(&pairs) {
        Ok(a) => a,
        Err(WebError::Input(e)) => {
            return Ok(refused(
                assess_page(&state, here, &pairs, Some(e.to_string())).await?,
            ));
        }
        Err(e) => return Err(e.into()),
    };
    // When the signs ticked already call for a doctor, the check stops here, as it does in the
    // terminal: the rest would only delay the advice. Otherwise every sign needs an answer.
    let stop_early = here == Stage::WarningSigns && stops_after_warning_signs(&answers);
    if here == Stage::WarningSigns && !stop_early && !answers.warning_signs_answered() {
        let page = assess_page(&state, here, &pairs, Some(ANSWER_THE_SIGNS.into()));
        return Ok(refused(page.await?));
    }
    match stages().get(at + 1) {
        Some(next) if !stop_early && one(&pairs, "go") != Some("finish") => {
            Ok(assess_page(&state, *next, &pairs, None).await?)
        }
        _ => {
            state.app().assess(answers, true).await?;
            state.changed();
            Ok(see_other("/assess/result"))
        }
    }
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

async fn result(Me(state): Me) -> PageResult {
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
    stages: Vec<StageView>,
    trend: String,
}

async fn checkin_page(
    state: &AppState,
    pairs: &Pairs,
    error: Option<String>,
) -> Result<Response, WebError> {
    let all = state.app().score_history().await?;
    let dates: Vec<jiff::civil::Date> = all.iter().map(|(d, _)| *d).collect();
    let score = |f: fn(&Scores) -> Option<f64>| -> Vec<Option<f64>> {
        all.iter().map(|(_, s)| f(s)).collect()
    };
    // One point per assessment, on an axis of assessments rather than days.
    let trend = if all.len() >= 2 {
        charts::chart_html(
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
    let answers = answer_pairs(pairs);
    let stages = stages()
        .iter()
        .map(|s| StageView::new(*s, &answers, true))
        .filter(|v| !v.questions.is_empty())
        .collect();
    let page = CheckinPage {
        layout: Layout::new(state, "Weekly check-in", "checkin").await?,
        error,
        has_intake: state.app().standing().await?.is_some(),
        stages,
        trend,
    };
    Ok(render(&page))
}

async fn checkin_form(Me(state): Me) -> PageResult {
    Ok(checkin_page(&state, &Vec::new(), None).await?)
}

async fn checkin(Me(state): Me, Form(pairs): Form<Pairs>) -> PageResult {
    check_form_token(&state, one(&pairs, "csrf"))?;
    let answers = match read_answers(&pairs) {
        Ok(a) if !a.warning_signs_answered() => {
            let page = checkin_page(&state, &pairs, Some(ANSWER_THE_SIGNS.into()));
            return Ok(refused(page.await?));
        }
        Ok(a) => a,
        Err(WebError::Input(e)) => {
            return Ok(refused(
                checkin_page(&state, &pairs, Some(e.to_string())).await?,
            ));
        }
        Err(e) => return Err(e.into()),
    };
    // A form sent by the offline queue (or twice by an impatient tap) carries the id the
    // device made for it: stored once under that id, whatever reaches us how often.
    let stored = match one(&pairs, "client_id") {
        Some(id) => state
            .app()
            .checkin_once(id, answers)
            .await
            .map(unknot_app::journal::Posted::into_inner),
        None => state.app().checkin(answers).await,
    };
    let out = match stored {
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
    let layout = Layout::new(&state, "Check-in saved", "checkin").await?;
    Ok(render(&result_page(
        layout,
        &out.triage,
        score_lines(&out.scores),
        changes,
    )))
}

//! The visit summary in the app: a small form (period, notes, questions), then the print-friendly
//! page or the PDF, both made by `unknot-export` exactly as `unknot report` makes them.

use askama::Template;
use axum::extract::Query;
use axum::http::Method;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use unknot_app::report::{MAX_QUESTION_CHARS, MAX_QUESTIONS, Options};
use unknot_export::report;

use super::{Layout, PageResult, render};
use crate::access::{Me, Routes, Rule};
use crate::period::{self, DatesQuery};
use crate::{AppState, WebError};

pub fn routes() -> Routes {
    Routes::new()
        .at("/report", Rule::Own, &[Method::GET], get(form))
        .at("/report/view", Rule::Own, &[Method::GET], get(view))
        .at("/report.pdf", Rule::Own, &[Method::GET], get(pdf))
}

#[derive(Template)]
#[template(path = "report.html")]
struct FormPage {
    layout: Layout,
    since: String,
    until: String,
}

/// The summary's options, from the form's query string.
#[derive(Debug, Default, Deserialize)]
pub struct ReportQuery {
    since: Option<String>,
    until: Option<String>,
    notes: Option<String>,
    questions: Option<String>,
}

async fn form(Me(state): Me) -> PageResult {
    let (since, until) = period::days(&DatesQuery::default(), &state.now().await?, 90)?;
    let page = FormPage {
        layout: Layout::new(&state, "Visit summary", "report").await?,
        since: since.to_string(),
        until: until.to_string(),
    };
    Ok(render(&page))
}

pub(crate) async fn build(state: &AppState, q: &ReportQuery) -> Result<report::Report, WebError> {
    let dates = DatesQuery {
        since: q.since.clone(),
        until: q.until.clone(),
        region: None,
    };
    let (since, until) = period::days(&dates, &state.now().await?, 90)?;
    let questions: Vec<String> = q
        .questions
        .as_deref()
        .unwrap_or_default()
        .lines()
        .map(|l| {
            l.trim()
                .chars()
                .take(MAX_QUESTION_CHARS)
                .collect::<String>()
        })
        .filter(|l| !l.is_empty())
        .take(MAX_QUESTIONS)
        .collect();
    Ok(state
        .app()
        .report(Options {
            since,
            until,
            include_notes: q.notes.is_some(),
            questions,
        })
        .await?)
}

async fn view(Me(state): Me, Query(q): Query<ReportQuery>) -> PageResult {
    let r = build(&state, &q).await?;
    crate::downloads::audited(&state, "visit summary (page)").await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            // The summary is a standalone page with its own inline stylesheet and no scripts:
            // allow exactly that, and nothing else.
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; img-src data:; \
                 base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
            ),
        ],
        unknot_export::report_html::html_served(&r, "/report", "/assets/print.js"),
    )
        .into_response())
}

async fn pdf(Me(state): Me, Query(q): Query<ReportQuery>) -> Result<Response, super::PageError> {
    let r = build(&state, &q).await?;
    crate::downloads::audited(&state, "visit summary (PDF)").await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"unknot-summary.pdf\"",
            ),
        ],
        unknot_export::report_pdf::pdf(&r),
    )
        .into_response())
}

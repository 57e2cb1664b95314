//! The programme handout, as a page to print and as a PDF: the patient's own
//! (`/programme/handout`, `.pdf`) and a patient's for their clinician
//! (`/clinic/{clinic}/patients/{patient}/handout`, `.pdf`). The application layer builds it
//! (and audits a clinician's copy, or the patient's PDF download); the export crate lays out
//! the PDF; the page draws each exercise's figure from the same library figure.

use askama::Template;
use axum::extract::Path;
use axum::http::{Method, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use unknot_export::handout::Handout;

use crate::access::{Me, Routes, Rule};
use crate::pages::{Layout, PageError, PageResult, render};
use crate::{AppState, WebError};

pub fn routes() -> Routes {
    Routes::new()
        .at("/programme/handout", Rule::Own, &[Method::GET], get(mine))
        .at(
            "/programme/handout.pdf",
            Rule::Own,
            &[Method::GET],
            get(mine_pdf),
        )
        .at(
            "/clinic/{clinic}/patients/{patient}/handout",
            Rule::Staff,
            &[Method::GET],
            get(theirs),
        )
        .at(
            "/clinic/{clinic}/patients/{patient}/handout.pdf",
            Rule::Staff,
            &[Method::GET],
            get(theirs_pdf),
        )
}

/// One exercise on the page.
struct ItemView {
    name: String,
    dose: String,
    instructions: String,
    steps: Vec<String>,
    stop_if: Vec<String>,
    /// The exercise's end position as an inline SVG (empty without a figure).
    figure: String,
}

#[derive(Template)]
#[template(path = "handout.html")]
struct HandoutPage {
    layout: Layout,
    h: Handout,
    items: Vec<ItemView>,
    pdf: String,
    back: String,
}

fn page(layout: Layout, h: Handout, pdf: String, back: String) -> Response {
    let items = h
        .items
        .iter()
        .map(|i| ItemView {
            name: i.name.clone(),
            dose: i.dose.clone(),
            instructions: i.instructions.clone(),
            steps: i.steps.clone(),
            stop_if: i.stop_if.clone(),
            figure: i.figure.as_ref().map_or_else(String::new, |f| {
                let last = unknot_core::figure::Drawing::new(f)
                    .keyframes()
                    .saturating_sub(1);
                unknot_export::figure_svg::still(
                    f,
                    last,
                    &unknot_export::figure_svg::alt_text(
                        &i.name,
                        i.steps.first().map(String::as_str),
                    ),
                )
            }),
        })
        .collect();
    let mut res = render(&HandoutPage {
        layout,
        h,
        items,
        pdf,
        back,
    });
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    res
}

fn pdf_response(h: &Handout) -> Response {
    let name = file_name(&h.title);
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}.pdf\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        unknot_export::handout::pdf(h),
    )
        .into_response()
}

/// A file name from the programme's name: letters, digits and hyphens only.
fn file_name(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "programme".to_string()
    } else {
        format!("programme-{out}")
    }
}

fn none_prescribed() -> PageError {
    WebError::NotFound("no programme has been prescribed here".into()).into()
}

async fn my_handout(state: &AppState) -> Result<Handout, PageError> {
    let (Some(c), Some(who)) = (state.clinic(), state.principal()) else {
        return Err(none_prescribed());
    };
    c.my_handout(who).await?.ok_or_else(none_prescribed)
}

async fn mine(Me(state): Me) -> PageResult {
    let h = my_handout(&state).await?;
    let layout = Layout::new(&state, &format!("{} (handout)", h.title), "programme").await?;
    Ok(page(layout, h, "/programme/handout.pdf".into(), "/".into()))
}

async fn mine_pdf(Me(state): Me) -> PageResult {
    let h = my_handout(&state).await?;
    crate::downloads::audited(&state, "programme handout (PDF)").await?;
    Ok(pdf_response(&h))
}

async fn theirs_handout(
    state: &AppState,
    clinic: &str,
    patient: &str,
    what: &str,
) -> Result<Handout, PageError> {
    let (Some(c), Some(who)) = (state.clinic(), state.principal()) else {
        return Err(WebError::Unauthorized("sign in first".into()).into());
    };
    c.patient_handout(who, clinic, patient, what)
        .await?
        .ok_or_else(none_prescribed)
}

async fn theirs(Me(state): Me, Path((clinic, patient)): Path<(String, String)>) -> PageResult {
    let h = theirs_handout(&state, &clinic, &patient, "programme handout").await?;
    let layout = Layout::new(&state, &format!("{} for {}", h.title, h.patient), "clinic").await?;
    Ok(page(
        layout,
        h,
        format!("/clinic/{clinic}/patients/{patient}/handout.pdf"),
        format!("/clinic/{clinic}/patients/{patient}"),
    ))
}

async fn theirs_pdf(Me(state): Me, Path((clinic, patient)): Path<(String, String)>) -> PageResult {
    let h = theirs_handout(&state, &clinic, &patient, "programme handout (PDF)").await?;
    Ok(pdf_response(&h))
}

//! Messages between a patient and their clinic: the patient's page (`/messages`, a thread with
//! each clinic they are under) and the staff's thread with one patient. Plain text, newest at
//! the bottom, one form per thread. Opening a thread marks the other side's messages read; the
//! application layer checks who may write to whom and keeps the audit log.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::Path;
use axum::http::Method;
use axum::routing::get;
use serde::Deserialize;
use unknot_app::clinic::MAX_MESSAGE;
use unknot_core::clinic::access::Action;
use unknot_core::clinic::model::Message;

use super::signed;
use crate::access::{Me, Routes, Rule};
use crate::pages::{Layout, PageResult, render, see_other};
use crate::security::check_form_token;
use crate::{AppState, WebError};

pub fn routes() -> Routes {
    Routes::new()
        .at(
            "/messages",
            Rule::Account,
            &[Method::GET, Method::POST],
            get(mine).post(write_to_clinic),
        )
        .at(
            "/clinic/{clinic}/patients/{patient}/messages",
            Rule::Staff,
            &[Method::GET, Method::POST],
            get(thread).post(write_to_patient),
        )
}

/// One message as drawn: who, when, the text, and whether it is the reader's own.
struct Line {
    mine: bool,
    who: String,
    when: String,
    /// The time as an ISO 8601 instant, for `<time datetime>`.
    at: String,
    body: String,
    /// Sent by the reader and read by the other side.
    seen: bool,
}

/// The messages in order, oldest first (the newest ends the page, beside the form), each with
/// its sender's name; `patient_side` says which side reads.
async fn lines(
    state: &AppState,
    messages: &[Message],
    patient_side: bool,
) -> Result<Vec<Line>, WebError> {
    let (app, _) = signed(state)?;
    let zone = state.now().await?.time_zone().clone();
    let mut names: HashMap<String, String> = HashMap::new();
    let mut out = Vec::with_capacity(messages.len());
    for m in messages {
        let mine = m.from_patient == patient_side;
        let who = if mine {
            "You".to_string()
        } else {
            match names.get(&m.sender_id) {
                Some(n) => n.clone(),
                None => {
                    let n = app
                        .display_name_of(&m.sender_id)
                        .await?
                        .unwrap_or_else(|| "Someone who has left".to_string());
                    names.insert(m.sender_id.clone(), n.clone());
                    n
                }
            }
        };
        out.push(Line {
            mine,
            who,
            when: m
                .at
                .to_zoned(zone.clone())
                .strftime("%a %-d %b, %H:%M")
                .to_string(),
            at: m.at.to_string(),
            body: m.body.clone(),
            seen: mine && m.read.is_some(),
        });
    }
    Ok(out)
}

/// A patient's thread with one clinic, with its form.
struct ThreadView {
    care_id: String,
    clinic: String,
    lines: Vec<Line>,
    /// What was typed when the message was refused, kept for another try.
    draft: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "messages.html")]
struct MessagesPage {
    layout: Layout,
    threads: Vec<ThreadView>,
    max: usize,
}

async fn messages_page(
    state: &AppState,
    refused: Option<(&str, String, String)>,
) -> Result<MessagesPage, WebError> {
    let (app, who) = signed(state)?;
    let mut threads = Vec::new();
    for t in app.my_threads(who).await? {
        let (draft, error) = match &refused {
            Some((care, draft, error)) if *care == t.care_id => {
                (draft.clone(), Some(error.clone()))
            }
            _ => (String::new(), None),
        };
        threads.push(ThreadView {
            lines: lines(state, &t.messages, true).await?,
            care_id: t.care_id,
            clinic: t.clinic,
            draft,
            error,
        });
    }
    Ok(MessagesPage {
        // Made after the threads were opened, so the menu's count is already cleared.
        layout: Layout::new(state, "Messages", "messages").await?,
        threads,
        max: MAX_MESSAGE,
    })
}

async fn mine(Me(state): Me) -> PageResult {
    Ok(render(&messages_page(&state, None).await?))
}

#[derive(Deserialize)]
struct PatientForm {
    csrf: Option<String>,
    #[serde(default)]
    care: String,
    #[serde(default)]
    body: String,
}

async fn write_to_clinic(Me(state): Me, Form(f): Form<PatientForm>) -> PageResult {
    check_form_token(&state, f.csrf.as_deref())?;
    let (app, who) = signed(&state)?;
    match app.message_clinic(who, &f.care, &f.body).await {
        Ok(_) => Ok(see_other(&format!("/messages#thread-{}", f.care))),
        Err(unknot_app::AppError::Input(e)) => {
            let page = messages_page(
                &state,
                Some((f.care.as_str(), f.body.clone(), e.to_string())),
            )
            .await?;
            Ok(crate::pages::refused(render(&page)))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "clinic/thread.html")]
struct ThreadPage {
    layout: Layout,
    clinic_id: String,
    patient_id: String,
    patient: String,
    lines: Vec<Line>,
    draft: String,
    error: Option<String>,
    max: usize,
}

async fn thread_page(
    state: &AppState,
    clinic: &str,
    patient: &str,
    draft: String,
    error: Option<String>,
) -> Result<ThreadPage, WebError> {
    let (app, who) = signed(state)?;
    let messages = app.patient_thread(who, clinic, patient).await?;
    let name = app
        .display_name_of(patient)
        .await?
        .unwrap_or_else(|| "Patient".to_string());
    Ok(ThreadPage {
        layout: Layout::new(state, &format!("Messages with {name}"), "clinic").await?,
        clinic_id: clinic.to_string(),
        patient_id: patient.to_string(),
        patient: name,
        lines: lines(state, &messages, false).await?,
        draft,
        error,
        max: MAX_MESSAGE,
    })
}

async fn thread(Me(state): Me, Path((clinic, patient)): Path<(String, String)>) -> PageResult {
    Ok(render(
        &thread_page(&state, &clinic, &patient, String::new(), None).await?,
    ))
}

#[derive(Deserialize)]
struct StaffForm {
    csrf: Option<String>,
    #[serde(default)]
    body: String,
}

async fn write_to_patient(
    Me(state): Me,
    Path((clinic, patient)): Path<(String, String)>,
    Form(f): Form<StaffForm>,
) -> PageResult {
    check_form_token(&state, f.csrf.as_deref())?;
    let (app, who) = signed(&state)?;
    match app.message_patient(who, &clinic, &patient, &f.body).await {
        Ok(_) => Ok(see_other(&format!(
            "/clinic/{clinic}/patients/{patient}/messages#newest"
        ))),
        Err(unknot_app::AppError::Input(e)) => {
            // The right to write to this patient first, so a refusal never depends on the text.
            app.patient(
                who,
                &clinic,
                &patient,
                Action::MessagePatient,
                "message refused",
            )
            .await?;
            let page = thread_page(
                &state,
                &clinic,
                &patient,
                f.body.clone(),
                Some(e.to_string()),
            )
            .await?;
            Ok(crate::pages::refused(render(&page)))
        }
        Err(e) => Err(e.into()),
    }
}

//! The journal: the form with the body map (add, edit, delete), and the latest entries.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query};
use axum::http::Method;
use axum::routing::{get, post};
use serde::Deserialize;
use unknot_core::journal::Entry;

use super::{Layout, PageResult, refused, render, see_other};
use crate::access::{Me, Routes, Rule};
use crate::entry_form::{self, FormView, Pairs};
use crate::security::check_form_token;
use crate::{AppState, WebError};

pub fn routes() -> Routes {
    Routes::new()
        .at(
            "/journal",
            Rule::Own,
            &[Method::GET, Method::POST],
            get(journal).post(add),
        )
        .at(
            "/journal/{id}/edit",
            Rule::Own,
            &[Method::GET],
            get(edit_form),
        )
        .at("/journal/{id}", Rule::Own, &[Method::POST], post(update))
        .at(
            "/journal/{id}/delete",
            Rule::Own,
            &[Method::POST],
            post(delete),
        )
}

/// One entry as a table row.
pub(super) struct EntryRow {
    pub id: String,
    pub short: String,
    pub when: String,
    pub pain: String,
    pub regions: String,
    pub knots: String,
    pub tried: String,
    pub note: String,
}

impl EntryRow {
    pub(super) fn new(e: &Entry, zone: &jiff::tz::TimeZone) -> EntryRow {
        EntryRow {
            id: e.id.to_string(),
            short: e.id.short().to_string(),
            when: e
                .at
                .with_time_zone(zone.clone())
                .strftime("%a %-d %b %Y %H:%M")
                .to_string(),
            pain: e.pain.map(|p| p.get().to_string()).unwrap_or_default(),
            regions: e
                .regions
                .iter()
                .map(|r| format!("{} {}", r.region.label(), r.pain.get()))
                .collect::<Vec<_>>()
                .join(", "),
            knots: e
                .knots
                .iter()
                .map(|k| {
                    format!(
                        "{} ({}) {}",
                        k.muscle.label(),
                        k.side.label(),
                        k.tenderness.get()
                    )
                })
                .collect::<Vec<_>>()
                .join(", "),
            tried: e.treatments.summary().join(", "),
            note: e.note.clone().unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "journal.html")]
struct JournalPage {
    layout: Layout,
    message: Option<&'static str>,
    error: Option<String>,
    form: FormView,
    entries: Vec<EntryRow>,
}

#[derive(Deserialize)]
struct JournalQuery {
    done: Option<String>,
}

async fn recent(state: &AppState, n: usize) -> Result<Vec<EntryRow>, WebError> {
    let zone = state.now().await?.time_zone().clone();
    let page = state.app().history(&Default::default(), Some(n)).await?;
    Ok(page
        .entries
        .iter()
        .rev()
        .map(|e| EntryRow::new(e, &zone))
        .collect())
}

async fn journal(Me(state): Me, Query(q): Query<JournalQuery>) -> PageResult {
    let blank = state.app().new_entry().await?;
    let page = JournalPage {
        layout: Layout::new(&state, "Journal", "journal").await?,
        message: match q.done.as_deref() {
            Some("saved") => Some("Saved."),
            Some("updated") => Some("Entry updated."),
            Some("deleted") => Some("Entry deleted."),
            _ => None,
        },
        error: None,
        form: FormView::from_entry(&blank, "/journal".into(), "Save entry"),
        entries: recent(&state, 20).await?,
    };
    Ok(render(&page))
}

async fn add(Me(state): Me, Form(pairs): Form<Pairs>) -> PageResult {
    check_form_token(&state, entry_form::one(&pairs, "csrf"))?;
    let mut entry = state.app().new_entry().await?;
    let now = entry.at.clone();
    // A form sent by the offline queue (or twice by an impatient tap) carries the id the
    // device made for it: stored once under that id, whatever reaches us how often.
    let client_id = entry_form::one(&pairs, "client_id");
    let stored = match (entry_form::apply(&pairs, &mut entry, &now), client_id) {
        (Ok(()), None) => state.app().log(entry).await,
        (Ok(()), Some(id)) => match unknot_app::journal::client_id(id) {
            Ok(id) => {
                entry.id = id;
                let given = entry_form::one(&pairs, "at").is_some();
                state
                    .app()
                    .log_once(entry, given)
                    .await
                    .map(unknot_app::journal::Posted::into_inner)
            }
            Err(e) => Err(e),
        },
        (Err(e), _) => Err(e.into()),
    };
    match stored {
        Ok(_) => {
            state.changed();
            Ok(see_other("/journal?done=saved"))
        }
        Err(unknot_app::AppError::Input(e)) => {
            let page = JournalPage {
                layout: Layout::new(&state, "Journal", "journal").await?,
                message: None,
                error: Some(e.to_string()),
                form: FormView::from_pairs(&pairs, &now, "/journal".into(), "Save entry"),
                entries: recent(&state, 20).await?,
            };
            Ok(refused(render(&page)))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "edit.html")]
struct EditPage {
    layout: Layout,
    when: String,
    error: Option<String>,
    form: FormView,
}

fn when(entry: &Entry, zone: &jiff::tz::TimeZone) -> String {
    entry
        .at
        .with_time_zone(zone.clone())
        .strftime("%a %-d %b %Y %H:%M")
        .to_string()
}

async fn edit_form(Me(state): Me, Path(id): Path<String>) -> PageResult {
    let mut entry = state.app().entry(&id).await?;
    let zone = state.now().await?.time_zone().clone();
    entry.at = entry.at.with_time_zone(zone.clone());
    let page = EditPage {
        layout: Layout::new(&state, "Edit entry", "journal").await?,
        when: when(&entry, &zone),
        error: None,
        form: FormView::from_entry(&entry, format!("/journal/{}", entry.id), "Save changes"),
    };
    Ok(render(&page))
}

async fn update(Me(state): Me, Path(id): Path<String>, Form(pairs): Form<Pairs>) -> PageResult {
    check_form_token(&state, entry_form::one(&pairs, "csrf"))?;
    let now = state.now().await?;
    let old = state.app().entry(&id).await?;
    let changed = state
        .app()
        .edit(old.id.as_str(), |entry| {
            Ok(entry_form::apply(&pairs, entry, &now)?)
        })
        .await;
    match changed {
        Ok(_) => {
            state.changed();
            Ok(see_other("/journal?done=updated"))
        }
        Err(unknot_app::AppError::Input(e)) => {
            let page = EditPage {
                layout: Layout::new(&state, "Edit entry", "journal").await?,
                when: when(&old, now.time_zone()),
                error: Some(e.to_string()),
                form: FormView::from_pairs(&pairs, &now, format!("/journal/{id}"), "Save changes"),
            };
            Ok(refused(render(&page)))
        }
        Err(e) => Err(e.into()),
    }
}

async fn delete(Me(state): Me, Path(id): Path<String>, Form(pairs): Form<Pairs>) -> PageResult {
    check_form_token(&state, entry_form::one(&pairs, "csrf"))?;
    state.app().delete(&id).await?;
    state.changed();
    Ok(see_other("/journal?done=deleted"))
}

//! The clinic's own exercises: a list with each one's drawing, and the form that adds or
//! changes one (its dosage, steps, cautions, sources and figure, a library drawing or poses
//! written in the library's format). Saving is the application layer's: it checks the exercise
//! with the whole library and refuses with the field named.

use askama::Template;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::Method;
use axum::routing::get;
use unknot_app::clinic::{ClinicApp, Origin};
use unknot_core::catalogue::{CLINICIAN_SOURCE, Catalogue, Exercise};

use super::exercise_form::{Choices, ExerciseForm, FIGURE_LIKE, parse_form};
use super::signed;
use crate::access::{Client, Me, Routes, Rule};
use crate::pages::{Layout, PageResult, refused, render, see_other};
use crate::security::check_form_token;
use crate::{AppState, WebError};

pub(super) fn routes() -> Routes {
    Routes::new()
        .at(
            "/clinic/{clinic}/exercises",
            Rule::Staff,
            &[Method::GET, Method::POST],
            get(list).post(add),
        )
        .at(
            "/clinic/{clinic}/exercises/{exercise}",
            Rule::Staff,
            &[Method::GET, Method::POST],
            get(edit).post(change),
        )
}

/// One exercise as the list shows it.
struct Listed {
    id: String,
    name: String,
    what: String,
    cautions: String,
    figure: String,
}

#[derive(Template)]
#[template(path = "clinic/exercises.html")]
struct ListPage {
    layout: Layout,
    clinic_id: String,
    clinic: String,
    exercises: Vec<Listed>,
}

async fn list(Me(state): Me, Path(clinic): Path<String>) -> PageResult {
    let (app, who) = signed(&state)?;
    let exercises = app
        .clinic_exercises(who, &clinic)
        .await?
        .iter()
        .map(|e| Listed {
            id: e.id.clone(),
            name: e.name.clone(),
            what: format!("{} · {}", capitalised(e.kind.label()), e.dosage.describe()),
            cautions: e
                .cautions
                .iter()
                .map(|c| c.label())
                .collect::<Vec<_>>()
                .join(", "),
            figure: super::inline_svg(&crate::figures::still_figure(e)),
        })
        .collect();
    let name = app.clinic_name(&clinic).await?;
    Ok(render(&ListPage {
        layout: Layout::new(&state, &format!("Exercises · {name}"), "clinic").await?,
        clinic_id: clinic,
        clinic: name,
        exercises,
    }))
}

#[derive(Template)]
#[template(path = "clinic/exercise.html")]
struct FormPage {
    layout: Layout,
    clinic_id: String,
    action: String,
    heading: String,
    new: bool,
    form: ExerciseForm,
    choices: Choices,
    /// The library's sources, as (id, citation).
    sources: Vec<(String, String)>,
    /// Library exercises whose drawing may be copied, as (id, name).
    drawings: Vec<(String, String)>,
    figure: String,
    error: Option<String>,
}

impl FormPage {
    fn chosen_sources(&self) -> usize {
        self.form
            .sources
            .iter()
            .filter(|s| s.as_str() != CLINICIAN_SOURCE)
            .count()
    }

    fn like(&self, id: &str) -> bool {
        self.form.figure.strip_prefix(FIGURE_LIKE) == Some(id)
    }
}

async fn form_page(
    state: &AppState,
    app: &ClinicApp,
    clinic: &str,
    form: ExerciseForm,
    saved: Option<&Exercise>,
) -> Result<FormPage, WebError> {
    let catalogue = app.app().clinic_catalogue(clinic).await?;
    let new = saved.is_none();
    Ok(FormPage {
        layout: Layout::new(state, "Clinic exercise", "clinic").await?,
        clinic_id: clinic.to_string(),
        action: match saved {
            Some(e) => format!("/clinic/{clinic}/exercises/{}", e.id),
            None => format!("/clinic/{clinic}/exercises"),
        },
        heading: saved.map_or_else(|| "New exercise".into(), |e| format!("Change {}", e.name)),
        new,
        figure: saved.map_or_else(String::new, |e| {
            super::inline_svg(&crate::figures::still_figure(e))
        }),
        sources: sources(&catalogue),
        drawings: drawings(&catalogue),
        choices: Choices::all(),
        form,
        error: None,
    })
}

/// The library's sources, short enough for a phone: author, year and title.
fn sources(c: &Catalogue) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = c
        .sources()
        .filter(|(id, _)| id.as_str() != CLINICIAN_SOURCE)
        .map(|(id, s)| {
            (
                id.clone(),
                format!("{} ({}). {}", s.author, s.year, s.title),
            )
        })
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}

fn drawings(c: &Catalogue) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = c
        .exercises()
        .filter(|e| e.figure.is_some())
        .map(|e| (e.id.clone(), e.name.clone()))
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}

async fn edit(Me(state): Me, Path((clinic, id)): Path<(String, String)>) -> PageResult {
    let (app, who) = signed(&state)?;
    if id == "new" {
        // The access rules first: a clinic's list is its staff's.
        app.clinic_exercises(who, &clinic).await?;
        let page = form_page(&state, app, &clinic, ExerciseForm::blank(), None).await?;
        return Ok(render(&page));
    }
    let e = app.clinic_exercise(who, &clinic, &id).await?;
    let page = form_page(
        &state,
        app,
        &clinic,
        ExerciseForm::from_exercise(&e),
        Some(&e),
    )
    .await?;
    Ok(render(&page))
}

async fn add(
    Me(state): Me,
    Client(from): Client,
    Path(clinic): Path<String>,
    body: Bytes,
) -> PageResult {
    save(state, from, clinic, None, body).await
}

async fn change(
    Me(state): Me,
    Client(from): Client,
    Path((clinic, id)): Path<(String, String)>,
    body: Bytes,
) -> PageResult {
    save(state, from, clinic, Some(id), body).await
}

async fn save(
    state: AppState,
    from: Origin,
    clinic: String,
    id: Option<String>,
    body: Bytes,
) -> PageResult {
    let (app, who) = signed(&state)?;
    let mut form = parse_form(&body);
    check_form_token(&state, form.csrf.as_deref())?;
    // The access rules first, so a refused form tells an outsider nothing.
    let saved = match id.as_deref() {
        Some(id) => Some(app.clinic_exercise(who, &clinic, id).await?),
        None => {
            app.clinic_exercises(who, &clinic).await?;
            form.id.clear();
            None
        }
    };
    if let Some(e) = &saved {
        // The id of a saved exercise never changes: programmes name it.
        form.id = e.id.clone();
    }
    let catalogue = app.app().clinic_catalogue(&clinic).await?;
    let result = match form.exercise(|like| catalogue.exercise(like).and_then(|e| e.figure.clone()))
    {
        Ok(e) => {
            app.save_clinic_exercise(who, &clinic, e, saved.is_none(), &from)
                .await
        }
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(e) => Ok(see_other(&format!("/clinic/{clinic}/exercises/{}", e.id))),
        Err(
            e @ (unknot_app::AppError::Input(_)
            | unknot_app::AppError::Content(_)
            | unknot_app::AppError::Duplicate { .. }),
        ) => {
            let page = form_page(&state, app, &clinic, form, saved.as_ref()).await?;
            Ok(refused(render(&FormPage {
                error: Some(plain(&e.to_string())),
                ..page
            })))
        }
        Err(e) => Err(WebError::from(e).into()),
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The library's validation report in the form's words: one line per problem, without the
/// file names that mean nothing to a clinician.
fn plain(report: &str) -> String {
    let lines: Vec<&str> = report
        .lines()
        .filter(|l| !l.contains("problem(s) in the content"))
        .map(|l| l.rsplit_once(".toml: ").map_or(l, |(_, rest)| rest).trim())
        .filter(|l| !l.is_empty())
        .collect();
    lines.join("; ")
}

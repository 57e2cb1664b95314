//! The clinician's working pages: the dashboard (patients worst first, with filter and sort),
//! a patient's care page (signals, programme, sessions per exercise, questionnaires and
//! answers), the programme builder (from the library or a template, cautions checked before
//! saving) and the templates (the clinic's and one's own, assigned to several patients at
//! once). Every decision is the application layer's; these handlers parse the forms and draw.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query};
use axum::http::Method;
use axum::routing::{get, post};
use jiff::civil::Date;
use serde::Deserialize;
use unknot_app::clinic::{
    ClinicApp, DashboardRow, ExerciseTally, Prescribed, Principal, ProgrammeView, Template as Tpl,
};
use unknot_core::clinic::access::Role;
use unknot_core::clinic::programme::{self, Clash};
use unknot_core::clinic::questionnaires::QuestionnairePlan;
use unknot_core::clinic::signals::Signals;

use super::builder::{BuilderForm, ExerciseChoice, choices, parse_builder};
use super::{TokenOnly, signed};
use crate::access::{Me, Routes, Rule};
use crate::pages::{Layout, PageResult, refused, render, see_other};
use crate::security::check_form_token;
use crate::{AppState, WebError};

pub(super) fn routes() -> Routes {
    Routes::new()
        .at(
            "/clinic/{clinic}/dashboard",
            Rule::Staff,
            &[Method::GET],
            get(dashboard),
        )
        .at(
            "/clinic/{clinic}/patients/{patient}/care",
            Rule::Staff,
            &[Method::GET],
            get(care),
        )
        .at(
            "/clinic/{clinic}/patients/{patient}/programme",
            Rule::Staff,
            &[Method::GET, Method::POST],
            get(builder).post(prescribe),
        )
        .at(
            "/clinic/{clinic}/patients/{patient}/programme/end",
            Rule::Staff,
            &[Method::POST],
            post(end_programme),
        )
        .at(
            "/clinic/{clinic}/patients/{patient}/questionnaires",
            Rule::Staff,
            &[Method::POST],
            post(questionnaires),
        )
        .at(
            "/clinic/{clinic}/patients/{patient}/answers/{answer}/error",
            Rule::Staff,
            &[Method::POST],
            post(answer_error),
        )
        .at(
            "/clinic/{clinic}/templates",
            Rule::Staff,
            &[Method::GET, Method::POST],
            get(templates).post(new_template),
        )
        .at(
            "/clinic/{clinic}/templates/{template}",
            Rule::Staff,
            &[Method::GET, Method::POST],
            get(template).post(save_template),
        )
        .at(
            "/clinic/{clinic}/templates/{template}/assign",
            Rule::Staff,
            &[Method::POST],
            post(assign),
        )
}

// ---- dashboard ----

#[derive(Deserialize, Default)]
struct DashQuery {
    show: Option<String>,
    sort: Option<String>,
}

#[derive(Template)]
#[template(path = "clinic/dashboard.html")]
struct DashboardPage {
    layout: Layout,
    clinic_id: String,
    clinic: String,
    owner: bool,
    rows: Vec<DashboardRow>,
    total: usize,
    show: String,
    sort: String,
}

impl DashboardPage {
    fn percent(&self, s: &Signals, long: bool) -> String {
        let a = if long { s.adherence_28 } else { s.adherence_7 };
        a.map_or_else(|| "no programme".to_string(), |a| a.words())
    }

    fn level(&self, s: &Signals) -> &'static str {
        match s.worst() {
            0 | 1 => "red",
            2..=4 => "amber",
            5..=7 => "watch",
            _ => "ok",
        }
    }
}

async fn dashboard(
    Me(state): Me,
    Path(clinic): Path<String>,
    Query(q): Query<DashQuery>,
) -> PageResult {
    let (app, who) = signed(&state)?;
    let mut rows = app.dashboard(who, &clinic).await?;
    let total = rows.len();
    let show = match q.show.as_deref() {
        Some("all") => "all",
        _ => "alerts",
    };
    if show == "alerts" {
        rows.retain(|r| !r.signals.alerts.is_empty());
    }
    let sort = match q.sort.as_deref() {
        Some("name") => {
            rows.sort_by(|a, b| a.patient.name.cmp(&b.patient.name));
            "name"
        }
        Some("adherence") => {
            let key = |r: &DashboardRow| r.signals.adherence_7.and_then(|a| a.share());
            rows.sort_by(|a, b| {
                key(a)
                    .unwrap_or(2.0)
                    .total_cmp(&key(b).unwrap_or(2.0))
                    .then_with(|| a.patient.name.cmp(&b.patient.name))
            });
            "adherence"
        }
        _ => "worst",
    };
    let name = app.clinic_name(&clinic).await?;
    Ok(render(&DashboardPage {
        layout: Layout::new(&state, &format!("Dashboard · {name}"), "clinic").await?,
        owner: who.role_in(&clinic) == Some(Role::Owner),
        clinic_id: clinic,
        clinic: name,
        rows,
        total,
        show: show.into(),
        sort: sort.into(),
    }))
}

// ---- a patient's care page ----

#[derive(Template)]
#[template(path = "clinic/care.html")]
struct CarePage {
    layout: Layout,
    clinic_id: String,
    patient_id: String,
    name: String,
    signals: Signals,
    tally: Vec<(String, ExerciseTally)>,
    programme: Option<ProgrammeView>,
    plan: QuestionnairePlan,
    answers: Vec<AnswerRow>,
    message: Option<String>,
    /// The library's names of the programme's exercises, by id.
    names: Vec<(String, String)>,
    /// The patient's pain by day over 30 days, as their Today draws it.
    chart30: String,
    /// Where their knots came over 90 days (empty without any), with the muscles most often.
    heat_map: String,
    top_muscles: Vec<(String, usize)>,
}

struct AnswerRow {
    id: String,
    day: String,
    kind: &'static str,
    peg: Option<f64>,
    psfs: Option<f64>,
}

impl CarePage {
    fn schedule(&self) -> String {
        self.programme
            .as_ref()
            .and_then(|p| p.current())
            .map(|v| programme::schedule_words(&v.body.schedule))
            .unwrap_or_default()
    }

    fn dose(&self, p: &programme::Prescribed) -> String {
        programme::dose_words(p)
    }

    fn psfs_weeks(&self) -> String {
        self.plan
            .psfs_weeks
            .iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn exercise_name(&self, id: &str) -> String {
        self.names
            .iter()
            .find(|(i, _)| i == id)
            .map_or_else(|| id.to_string(), |(_, n)| n.clone())
    }
}

#[derive(Deserialize, Default)]
struct CareQuery {
    saved: Option<String>,
}

async fn care(
    Me(state): Me,
    Path((clinic, patient)): Path<(String, String)>,
    Query(q): Query<CareQuery>,
) -> PageResult {
    let (app, who) = signed(&state)?;
    let view = app
        .patient(
            who,
            &clinic,
            &patient,
            unknot_core::clinic::access::Action::ReadPatient,
            "care page",
        )
        .await?;
    let (signals, tally) = app.patient_signals(who, &clinic, &patient).await?;
    let catalogue = app.app().clinic_catalogue(&clinic).await?;
    let named = |id: &str| {
        catalogue
            .exercise(id)
            .map_or_else(|| id.to_string(), |e| e.name.clone())
    };
    let zone = view.app.zone().await?;
    let answers = view
        .app
        .assessments()
        .await?
        .into_iter()
        .rev()
        .take(20)
        .map(|a| {
            let s = unknot_core::progress::scores(&a.answers);
            AnswerRow {
                day: a.at.with_time_zone(zone.clone()).date().to_string(),
                kind: match a.kind {
                    unknot_core::intake::AssessmentKind::Intake => "Intake",
                    _ => "Check-in",
                },
                peg: s.peg,
                psfs: s.psfs,
                id: a.id,
            }
        })
        .collect();
    let message = q.saved.map(|s| match s.as_str() {
        "programme" => "Programme saved: the patient sees it on Today.".to_string(),
        "ended" => "Programme ended.".to_string(),
        "schedule" => "Questionnaire schedule saved.".to_string(),
        _ => "Answer marked as an error: the questionnaire is asked again.".to_string(),
    });
    let (chart30, heat_map, top_muscles) = charts(&view.app).await?;
    let programme = app.patient_programme(who, &clinic, &patient).await?;
    let names = programme
        .as_ref()
        .and_then(|p| p.current())
        .map(|v| {
            v.body
                .items
                .iter()
                .map(|i| (i.exercise.clone(), named(&i.exercise)))
                .collect()
        })
        .unwrap_or_default();
    Ok(render(&CarePage {
        layout: Layout::new(&state, &view.row.name, "clinic").await?,
        name: view.row.name.clone(),
        programme,
        names,
        plan: app.questionnaire_plan(who, &clinic, &patient).await?,
        tally: tally.into_iter().map(|t| (named(&t.exercise), t)).collect(),
        clinic_id: clinic,
        patient_id: patient,
        signals,
        answers,
        message,
        chart30,
        heat_map,
        top_muscles,
    }))
}

/// The patient's charts as their Today shows them: pain by day over 30 days, and where knots
/// came over 90 with the muscles most often named.
async fn charts(
    patient: &unknot_app::App,
) -> Result<(String, String, Vec<(String, usize)>), WebError> {
    let today = patient.now().await?.date();
    let since = today
        .checked_sub(jiff::Span::new().days(89))
        .unwrap_or(today);
    let entries = patient.entries_on_days(since, today).await?;
    let chart = crate::pages::today::pain_chart("Pain by day, last 30 days", &entries, 30, today);
    let (heat, top) = crate::pages::today::knot_map(&entries, today);
    Ok((chart, heat, top))
}

#[derive(Deserialize)]
struct PlanForm {
    csrf: Option<String>,
    peg_every_days: Option<String>,
    psfs_weeks: Option<String>,
}

async fn questionnaires(
    Me(state): Me,
    Path((clinic, patient)): Path<(String, String)>,
    axum::Form(f): axum::Form<PlanForm>,
) -> PageResult {
    check_form_token(&state, f.csrf.as_deref())?;
    let (app, who) = signed(&state)?;
    let bad = |field: &str, v: &str| {
        WebError::Input(unknot_core::InputError::malformed(
            field,
            v,
            "give whole numbers",
        ))
    };
    let peg = match f.peg_every_days.as_deref().map(str::trim) {
        None | Some("") | Some("0") => None,
        Some(v) => Some(v.parse::<u16>().map_err(|_| bad("peg_every_days", v))?),
    };
    let mut weeks = Vec::new();
    for w in f.psfs_weeks.as_deref().unwrap_or_default().split(',') {
        let w = w.trim();
        if !w.is_empty() {
            weeks.push(w.parse::<u16>().map_err(|_| bad("psfs_weeks", w))?);
        }
    }
    let plan = QuestionnairePlan {
        peg_every_days: peg,
        psfs_weeks: weeks,
    };
    app.set_questionnaire_plan(who, &clinic, &patient, &plan)
        .await?;
    Ok(see_other(&format!(
        "/clinic/{clinic}/patients/{patient}/care?saved=schedule"
    )))
}

async fn answer_error(
    Me(state): Me,
    Path((clinic, patient, answer)): Path<(String, String, String)>,
    axum::Form(f): axum::Form<TokenOnly>,
) -> PageResult {
    check_form_token(&state, f.csrf.as_deref())?;
    let (app, who) = signed(&state)?;
    app.mark_answer_error(who, &clinic, &patient, &answer)
        .await?;
    Ok(see_other(&format!(
        "/clinic/{clinic}/patients/{patient}/care?saved=answer"
    )))
}

async fn end_programme(
    Me(state): Me,
    Path((clinic, patient)): Path<(String, String)>,
    axum::Form(f): axum::Form<TokenOnly>,
) -> PageResult {
    check_form_token(&state, f.csrf.as_deref())?;
    let (app, who) = signed(&state)?;
    app.end_programme(who, &clinic, &patient).await?;
    Ok(see_other(&format!(
        "/clinic/{clinic}/patients/{patient}/care?saved=ended"
    )))
}

// ---- the programme builder ----

#[derive(Template)]
#[template(path = "clinic/programme.html")]
struct BuilderPage {
    layout: Layout,
    /// Where the form posts.
    action: String,
    /// Where "back" goes.
    back: String,
    heading: String,
    form: BuilderForm,
    choices: Vec<ExerciseChoice>,
    templates: Vec<Tpl>,
    clashes: Vec<Clash>,
    error: Option<String>,
    /// True for a template (no clashes, a "personal" choice).
    template: bool,
    history: Vec<(u32, String, Vec<String>)>,
}

impl BuilderPage {
    fn day_on(&self, d: &&str) -> bool {
        self.form.days.iter().any(|x| x == *d)
    }
}

#[derive(Deserialize, Default)]
struct BuilderQuery {
    template: Option<String>,
    rows: Option<usize>,
}

async fn builder(
    Me(state): Me,
    Path((clinic, patient)): Path<(String, String)>,
    Query(q): Query<BuilderQuery>,
) -> PageResult {
    let (app, who) = signed(&state)?;
    let view = app
        .patient(
            who,
            &clinic,
            &patient,
            unknot_core::clinic::access::Action::Prescribe,
            "programme builder",
        )
        .await?;
    let current = app.patient_programme(who, &clinic, &patient).await?;
    let today = view.app.now().await?.date();
    let mut form = match (&q.template, current.as_ref().filter(|p| p.programme.active)) {
        (Some(t), _) => {
            let t = app.template(who, &clinic, t).await?;
            let mut f = BuilderForm::from_body(&t.version.body, None);
            f.start = today.to_string();
            f.base = current
                .as_ref()
                .filter(|p| p.programme.active)
                .map(|p| p.programme.version);
            f
        }
        (None, Some(p)) => match p.current() {
            Some(v) => BuilderForm::from_body(&v.body, Some(p.programme.version)),
            None => BuilderForm::blank(today),
        },
        (None, None) => BuilderForm::blank(today),
    };
    form.pad(q.rows.unwrap_or(3).min(programme::MAX_ITEMS));
    let page = builder_page(&state, app, who, &clinic, &patient, &view.row.name, form).await?;
    Ok(render(&BuilderPage {
        history: current
            .map(|p| {
                p.versions
                    .iter()
                    .rev()
                    .map(|v| {
                        let when = v.created.strftime("%Y-%m-%d %H:%M UTC").to_string();
                        (v.version, when, v.changes.clone())
                    })
                    .collect()
            })
            .unwrap_or_default(),
        ..page
    }))
}

async fn builder_page(
    state: &AppState,
    app: &ClinicApp,
    who: &Principal,
    clinic: &str,
    patient: &str,
    name: &str,
    form: BuilderForm,
) -> Result<BuilderPage, WebError> {
    let templates = app.templates(who, clinic).await.unwrap_or_default();
    Ok(BuilderPage {
        layout: Layout::new(state, &format!("Programme · {name}"), "clinic").await?,
        action: format!("/clinic/{clinic}/patients/{patient}/programme"),
        back: format!("/clinic/{clinic}/patients/{patient}/care"),
        heading: format!("Programme for {name}"),
        form,
        choices: choices(&*app.app().clinic_catalogue(clinic).await?),
        templates,
        clashes: Vec::new(),
        error: None,
        template: false,
        history: Vec::new(),
    })
}

async fn prescribe(
    Me(state): Me,
    Path((clinic, patient)): Path<(String, String)>,
    body: Bytes,
) -> PageResult {
    let (app, who) = signed(&state)?;
    let (form, parsed) = parse_builder(&body);
    check_form_token(&state, form.csrf.as_deref())?;
    let view = app
        .patient(
            who,
            &clinic,
            &patient,
            unknot_core::clinic::access::Action::Prescribe,
            "programme builder",
        )
        .await?;
    let again = |form: BuilderForm, clashes: Vec<Clash>, error: Option<String>| {
        let (state, app, who) = (&state, app, who);
        let (clinic, patient, name) = (clinic.clone(), patient.clone(), view.row.name.clone());
        async move {
            let mut form = form;
            form.pad(1);
            let page = builder_page(state, app, who, &clinic, &patient, &name, form).await?;
            Ok::<_, WebError>(refused(render(&BuilderPage {
                clashes,
                error,
                ..page
            })))
        }
    };
    let body = match parsed {
        Ok(b) => b,
        Err(e) => return Ok(again(form, Vec::new(), Some(e.to_string())).await?),
    };
    let outcome = app
        .prescribe(who, &clinic, &patient, body, form.base, form.accept)
        .await;
    match outcome {
        Ok(Prescribed::Saved { .. }) => Ok(see_other(&format!(
            "/clinic/{clinic}/patients/{patient}/care?saved=programme"
        ))),
        Ok(Prescribed::Clashes(c)) => Ok(again(form, c, None).await?),
        Err(e @ (unknot_app::AppError::Input(_) | unknot_app::AppError::Changed(_))) => {
            Ok(again(form, Vec::new(), Some(e.to_string())).await?)
        }
        Err(e) => Err(WebError::from(e).into()),
    }
}

// ---- templates ----

#[derive(Template)]
#[template(path = "clinic/templates.html")]
struct TemplatesPage {
    layout: Layout,
    clinic_id: String,
    clinic: String,
    me: String,
    templates: Vec<Tpl>,
    patients: Vec<(String, String)>,
    today: String,
    message: Option<String>,
}

impl TemplatesPage {
    fn schedule(&self, t: &Tpl) -> String {
        programme::schedule_words(&t.version.body.schedule)
    }
}

#[derive(Deserialize, Default)]
struct TemplatesQuery {
    assigned: Option<usize>,
    skipped: Option<usize>,
}

async fn templates(
    Me(state): Me,
    Path(clinic): Path<String>,
    Query(q): Query<TemplatesQuery>,
) -> PageResult {
    let (app, who) = signed(&state)?;
    let list = app.templates(who, &clinic).await?;
    let patients = app
        .patients(who, &clinic)
        .await?
        .into_iter()
        .filter(|p| p.status == unknot_core::clinic::access::Care::Confirmed)
        .map(|p| (p.id, p.name))
        .collect();
    let name = app.clinic_name(&clinic).await?;
    let message = q.assigned.map(|n| {
        let skipped = q.skipped.unwrap_or(0);
        let mut m = format!("Prescribed to {n} {}.", plural(n, "patient", "patients"));
        if skipped > 0 {
            m.push_str(&format!(
                " {skipped} not prescribed: their answers clash with an exercise (open their \
                 programme to see why and decide), or they are not under your care."
            ));
        }
        m
    });
    Ok(render(&TemplatesPage {
        layout: Layout::new(&state, &format!("Templates · {name}"), "clinic").await?,
        clinic_id: clinic,
        clinic: name,
        me: who.account.id.clone(),
        templates: list,
        patients,
        today: state.app().now().await?.date().to_string(),
        message,
    }))
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

async fn template_page(
    state: &AppState,
    app: &ClinicApp,
    clinic: &str,
    id: Option<&str>,
    form: BuilderForm,
) -> Result<BuilderPage, WebError> {
    let action = match id {
        Some(id) => format!("/clinic/{clinic}/templates/{id}"),
        None => format!("/clinic/{clinic}/templates"),
    };
    Ok(BuilderPage {
        layout: Layout::new(state, "Template", "clinic").await?,
        action,
        back: format!("/clinic/{clinic}/templates"),
        heading: if id.is_some() {
            "Change a template".into()
        } else {
            "New template".into()
        },
        form,
        choices: choices(&*app.app().clinic_catalogue(clinic).await?),
        templates: Vec::new(),
        clashes: Vec::new(),
        error: None,
        template: true,
        history: Vec::new(),
    })
}

async fn template(
    Me(state): Me,
    Path((clinic, id)): Path<(String, String)>,
    Query(q): Query<BuilderQuery>,
) -> PageResult {
    let (app, who) = signed(&state)?;
    let today = state.app().now().await?.date();
    let mut form = if id == "new" {
        app.templates(who, &clinic).await?;
        BuilderForm::blank(today)
    } else {
        let t = app.template(who, &clinic, &id).await?;
        let mut f = BuilderForm::from_body(&t.version.body, Some(t.programme.version));
        f.personal = t.programme.owner_id.is_some();
        f
    };
    form.pad(q.rows.unwrap_or(3).min(programme::MAX_ITEMS));
    let id = (id != "new").then_some(id.as_str());
    Ok(render(
        &template_page(&state, app, &clinic, id, form).await?,
    ))
}

async fn new_template(Me(state): Me, Path(clinic): Path<String>, body: Bytes) -> PageResult {
    save(state, clinic, None, body).await
}

async fn save_template(
    Me(state): Me,
    Path((clinic, id)): Path<(String, String)>,
    body: Bytes,
) -> PageResult {
    save(state, clinic, Some(id), body).await
}

async fn save(state: AppState, clinic: String, id: Option<String>, body: Bytes) -> PageResult {
    let (app, who) = signed(&state)?;
    let (form, parsed) = parse_builder(&body);
    check_form_token(&state, form.csrf.as_deref())?;
    // The access rules first, so a refused form tells an outsider nothing.
    match id.as_deref() {
        Some(id) => drop(app.template(who, &clinic, id).await?),
        None => drop(app.templates(who, &clinic).await?),
    }
    let saved = match parsed {
        Ok(b) => {
            app.save_template(who, &clinic, id.as_deref(), b, form.personal)
                .await
        }
        Err(e) => Err(e.into()),
    };
    match saved {
        Ok(_) => Ok(see_other(&format!("/clinic/{clinic}/templates"))),
        Err(e @ (unknot_app::AppError::Input(_) | unknot_app::AppError::Changed(_))) => {
            let mut form = form;
            form.pad(1);
            let page = template_page(&state, app, &clinic, id.as_deref(), form).await?;
            Ok(refused(render(&BuilderPage {
                error: Some(e.to_string()),
                ..page
            })))
        }
        Err(e) => Err(WebError::from(e).into()),
    }
}

async fn assign(
    Me(state): Me,
    Path((clinic, id)): Path<(String, String)>,
    body: Bytes,
) -> PageResult {
    let (app, who) = signed(&state)?;
    let mut csrf = None;
    let mut patients = Vec::new();
    let mut start = None;
    for (k, v) in url::form_urlencoded::parse(&body) {
        match k.as_ref() {
            "csrf" => csrf = Some(v.into_owned()),
            "patient" => patients.push(v.into_owned()),
            "start" => start = Some(v.into_owned()),
            _ => {}
        }
    }
    check_form_token(&state, csrf.as_deref())?;
    let start: Date = match start.as_deref().map(str::parse) {
        Some(Ok(d)) => d,
        _ => state.app().now().await?.date(),
    };
    let done = app
        .assign_template(who, &clinic, &id, &patients, start, false)
        .await?;
    let saved = done
        .iter()
        .filter(|(_, r)| matches!(r, Ok(Prescribed::Saved { .. })))
        .count();
    Ok(see_other(&format!(
        "/clinic/{clinic}/templates?assigned={saved}&skipped={}",
        done.len() - saved
    )))
}

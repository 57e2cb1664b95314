//! The staff's pages: the clinic's patients (names and status), inviting a patient (a link and
//! its QR code to show or send), a patient's record (the visit summary, from their journal)
//! and a read-only preview of their Today, a download of their record, and for owners the
//! staff list and the audit log. Each patient page is opened through the application layer,
//! which checks the role and the care relationship and writes the audit log; anything not
//! allowed is answered as not found.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query};
use axum::http::{HeaderValue, Method, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use unknot_app::clinic::{Invited, PatientRow};
use unknot_core::clinic::access::{Action, Role};

use super::inline_svg;
use super::{TokenOnly, signed};
use crate::access::{Me, Routes, Rule};
use crate::pages::{Layout, PageResult, render, see_other};
use crate::security::check_form_token;
use crate::{AppState, WebError};

pub fn routes() -> Routes {
    Routes::new()
        .at("/clinic", Rule::Staff, &[Method::GET], get(clinics))
        .at(
            "/clinic/{clinic}",
            Rule::Staff,
            &[Method::GET],
            get(patients),
        )
        .at(
            "/clinic/{clinic}/patients",
            Rule::Staff,
            &[Method::POST],
            post(invite),
        )
        .at(
            "/clinic/{clinic}/patients/{patient}",
            Rule::Staff,
            &[Method::GET],
            get(record),
        )
        .at(
            "/clinic/{clinic}/patients/{patient}/link",
            Rule::Staff,
            &[Method::POST],
            post(reissue),
        )
        .at(
            "/clinic/{clinic}/patients/{patient}/preview",
            Rule::Staff,
            &[Method::GET],
            get(preview),
        )
        .at(
            "/clinic/{clinic}/patients/{patient}/export",
            Rule::Staff,
            &[Method::GET],
            get(export),
        )
        .at(
            "/clinic/{clinic}/staff",
            Rule::Staff,
            &[Method::GET, Method::POST],
            get(staff).post(invite_staff),
        )
        .at(
            "/clinic/{clinic}/audit",
            Rule::Staff,
            &[Method::GET],
            get(audit),
        )
}

/// The clinic's name and the person's role in it; not found for a clinic they do not work in.
async fn clinic_of(state: &AppState, clinic: &str) -> Result<(String, Role), WebError> {
    let (app, who) = signed(state)?;
    let role = who
        .role_in(clinic)
        .ok_or_else(|| WebError::NotFound("nothing here".into()))?;
    let name = app.clinic_name(clinic).await?;
    Ok((name, role))
}

async fn clinics(Me(state): Me) -> PageResult {
    let (app, who) = signed(&state)?;
    let mine = app.my_clinics(who).await?;
    match mine.first() {
        // Clinicians and owners start from the dashboard; assistants from the patient list.
        Some((c, role)) if *role >= Role::Clinician => {
            Ok(see_other(&format!("/clinic/{}/dashboard", c.id)))
        }
        Some((c, _)) => Ok(see_other(&format!("/clinic/{}", c.id))),
        None => Err(WebError::NotFound("you do not work in a clinic".into()).into()),
    }
}

#[derive(Template)]
#[template(path = "clinic/patients.html")]
struct PatientsPage {
    layout: Layout,
    clinic_id: String,
    clinic: String,
    role: Role,
    patients: Vec<PatientRow>,
    error: Option<String>,
}

impl PatientsPage {
    fn status(&self, p: &PatientRow) -> &'static str {
        use unknot_core::clinic::access::Care;
        match p.status {
            Care::Invited => "Invited",
            Care::Confirmed => "Under care",
            Care::Revoked => "Ended",
        }
    }

    fn clinical(&self) -> bool {
        self.role != Role::Assistant
    }
}

async fn patients_page(
    state: &AppState,
    clinic: &str,
    error: Option<String>,
) -> Result<PatientsPage, WebError> {
    let (app, who) = signed(state)?;
    let (name, role) = clinic_of(state, clinic).await?;
    Ok(PatientsPage {
        layout: Layout::new(state, &name, "clinic").await?,
        clinic_id: clinic.to_string(),
        clinic: name,
        role,
        patients: app.patients(who, clinic).await?,
        error,
    })
}

async fn patients(Me(state): Me, Path(clinic): Path<String>) -> PageResult {
    Ok(render(&patients_page(&state, &clinic, None).await?))
}

#[derive(Template)]
#[template(path = "clinic/invited.html")]
struct InvitedPage {
    layout: Layout,
    clinic_id: String,
    invited: Invited,
    qr: String,
    staff: bool,
}

fn invited_page(layout: Layout, clinic: &str, invited: Invited, staff: bool) -> Response {
    let qr = inline_svg(&invited.qr_svg);
    let mut res = render(&InvitedPage {
        layout,
        clinic_id: clinic.to_string(),
        invited,
        qr,
        staff,
    });
    // The link is a secret until used: no cache may keep the page.
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

#[derive(Deserialize)]
struct InviteForm {
    csrf: Option<String>,
    #[serde(default)]
    name: String,
    birth_year: Option<String>,
}

async fn invite(
    Me(state): Me,
    Path(clinic): Path<String>,
    Form(f): Form<InviteForm>,
) -> PageResult {
    check_form_token(&state, f.csrf.as_deref())?;
    let (app, who) = signed(&state)?;
    let year = match f
        .birth_year
        .as_deref()
        .map(str::trim)
        .filter(|y| !y.is_empty())
    {
        None => None,
        Some(y) => Some(y.parse::<i32>().map_err(|_| {
            WebError::Input(unknot_core::InputError::malformed(
                "birth_year",
                y,
                "give a year such as 1984",
            ))
        })?),
    };
    match app.invite_patient(who, &clinic, &f.name, year, None).await {
        Ok(invited) => {
            let layout = Layout::new(&state, "Invitation", "clinic").await?;
            Ok(invited_page(layout, &clinic, invited, false))
        }
        Err(e) => {
            let e = WebError::from(e);
            let page = patients_page(&state, &clinic, Some(e.to_string())).await?;
            Ok(super::sign_in::refused_with(&e, render(&page)))
        }
    }
}

async fn reissue(
    Me(state): Me,
    Path((clinic, patient)): Path<(String, String)>,
    Form(f): Form<TokenOnly>,
) -> PageResult {
    check_form_token(&state, f.csrf.as_deref())?;
    let (app, who) = signed(&state)?;
    let invited = app.reissue_invite(who, &clinic, &patient).await?;
    let layout = Layout::new(&state, "Invitation", "clinic").await?;
    Ok(invited_page(layout, &clinic, invited, false))
}

async fn record(
    Me(state): Me,
    Path((clinic, patient)): Path<(String, String)>,
) -> Result<Response, crate::pages::PageError> {
    let (app, who) = signed(&state)?;
    let view = app
        .patient(who, &clinic, &patient, Action::ReadPatient, "visit summary")
        .await?;
    let scoped = state
        .previewing(view.app, view.row.name.clone())
        .ok_or_else(|| WebError::Unauthorized("sign in first".into()))?;
    let query = crate::pages::report::ReportQuery::default();
    let r = crate::pages::report::build(&scoped, &query).await?;
    let back = format!("/clinic/{clinic}");
    let html = unknot_export::report_html::html_served(&r, &back, "/assets/print.js");
    Ok((
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; img-src data:; \
                 base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        html,
    )
        .into_response())
}

async fn preview(
    Me(state): Me,
    Path((clinic, patient)): Path<(String, String)>,
) -> Result<Response, crate::pages::PageError> {
    let (app, who) = signed(&state)?;
    let view = app
        .patient(
            who,
            &clinic,
            &patient,
            Action::PreviewAsPatient,
            "Today (preview)",
        )
        .await?;
    let scoped = state
        .previewing(view.app, view.row.name.clone())
        .ok_or_else(|| WebError::Unauthorized("sign in first".into()))?;
    let mut res = crate::pages::today::today(Me(scoped)).await?;
    // Read-only, enforced by the browser: no form on the page can be sent.
    res.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        ),
    );
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

async fn export(
    Me(state): Me,
    Path((clinic, patient)): Path<(String, String)>,
) -> Result<Response, crate::pages::PageError> {
    let (app, who) = signed(&state)?;
    let view = app
        .patient(who, &clinic, &patient, Action::ExportPatient, "FHIR record")
        .await?;
    let bytes = view
        .app
        .export_fhir(unknot_app::data::Period::default())
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/fhir+json"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"patient-fhir.json\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "clinic/staff.html")]
struct StaffPage {
    layout: Layout,
    clinic_id: String,
    clinic: String,
    staff: Vec<(String, String, &'static str)>,
    error: Option<String>,
}

async fn staff_page(
    state: &AppState,
    clinic: &str,
    error: Option<String>,
) -> Result<StaffPage, WebError> {
    let (app, who) = signed(state)?;
    let (name, _) = clinic_of(state, clinic).await?;
    let staff = app
        .staff(who, clinic)
        .await?
        .into_iter()
        .map(|(m, a)| (a.display_name, a.email.unwrap_or_default(), m.role.id()))
        .collect();
    Ok(StaffPage {
        layout: Layout::new(state, &name, "clinic").await?,
        clinic_id: clinic.to_string(),
        clinic: name,
        staff,
        error,
    })
}

async fn staff(Me(state): Me, Path(clinic): Path<String>) -> PageResult {
    Ok(render(&staff_page(&state, &clinic, None).await?))
}

#[derive(Deserialize)]
struct StaffForm {
    csrf: Option<String>,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

async fn invite_staff(
    Me(state): Me,
    Path(clinic): Path<String>,
    Form(f): Form<StaffForm>,
) -> PageResult {
    check_form_token(&state, f.csrf.as_deref())?;
    let (app, who) = signed(&state)?;
    // The right to manage staff first, so a refusal never depends on what the form held.
    app.staff(who, &clinic).await?;
    let role = Role::parse(&f.role).ok_or_else(|| {
        WebError::Input(unknot_core::InputError::malformed(
            "role",
            &f.role,
            "choose owner, clinician or assistant",
        ))
    })?;
    match app
        .invite_staff(who, &clinic, &f.email, &f.name, role)
        .await
    {
        Ok(invited) => {
            let layout = Layout::new(&state, "Invitation", "clinic").await?;
            Ok(invited_page(layout, &clinic, invited, true))
        }
        Err(e) => {
            let e = WebError::from(e);
            let page = staff_page(&state, &clinic, Some(e.to_string())).await?;
            Ok(super::sign_in::refused_with(&e, render(&page)))
        }
    }
}

#[derive(Template)]
#[template(path = "clinic/audit.html")]
struct AuditPage {
    layout: Layout,
    clinic_id: String,
    clinic: String,
    rows: Vec<[String; 6]>,
}

#[derive(Deserialize)]
struct AuditQuery {
    limit: Option<i64>,
}

async fn audit(
    Me(state): Me,
    Path(clinic): Path<String>,
    Query(q): Query<AuditQuery>,
) -> PageResult {
    let (app, who) = signed(&state)?;
    let (name, _) = clinic_of(&state, &clinic).await?;
    let limit = q.limit.unwrap_or(200).clamp(1, 5000);
    let records = app.clinic_audit(who, &clinic, limit).await?;
    let zone = state.now().await?.time_zone().clone();
    let mut rows = Vec::with_capacity(records.len());
    for r in records {
        let e = r.event;
        let at = jiff::Timestamp::from_millisecond(e.at_ms)
            .map(|t| {
                t.to_zoned(zone.clone())
                    .strftime("%-d %b %Y %H:%M:%S")
                    .to_string()
            })
            .unwrap_or_default();
        let actor = app
            .display_name_of(&e.actor)
            .await?
            .unwrap_or_else(|| e.actor.clone());
        rows.push([
            at,
            actor,
            format!("{} {}", e.action, e.target),
            e.patient.unwrap_or_default(),
            e.address,
            e.outcome,
        ]);
    }
    Ok(render(&AuditPage {
        layout: Layout::new(&state, &name, "clinic").await?,
        clinic_id: clinic,
        clinic: name,
        rows,
    }))
}

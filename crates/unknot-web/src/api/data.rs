//! The person's data: settings, every export (backup, CSV, FHIR, calendar) and import.

use axum::body::Bytes;
use axum::http::Method;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use unknot_app::data::{CsvKind, Imported};
use unknot_core::backup::Backup;
use unknot_core::settings::Settings;
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::{body, download, json};
use crate::access::{Me, Routes, Rule};
use crate::downloads::audited;
use crate::error::{ApiQuery, Problem};
use crate::period::export_period;
use crate::{AppState, WebError};

#[derive(OpenApi)]
#[openapi(
    paths(
        get_settings,
        put_settings,
        export_backup,
        export_csv,
        export_csv_kind,
        export_fhir,
        export_calendar,
        import_backup
    ),
    components(schemas(ImportResult, Settings, ExportKind, Backup, FhirBundle))
)]
pub(super) struct Api;

/// A FHIR R4 Bundle (`resourceType` "Bundle", type "collection"; see
/// <https://hl7.org/fhir/R4/bundle.html>) holding a Patient, pain and PEG Observations,
/// QuestionnaireResponses and a CarePlan. Its shape is FHIR's, validated against the official
/// R4 JSON Schema in the export's tests, so it is not repeated here.
#[derive(ToSchema)]
#[schema(value_type = Object)]
pub struct FhirBundle(
    #[expect(
        dead_code,
        reason = "only the schema is used: the export answers FHIR's own bytes"
    )]
    serde_json::Value,
);

pub(super) fn routes() -> Routes {
    Routes::new()
        .at(
            "/api/v1/settings",
            Rule::Own,
            &[Method::GET, Method::PUT],
            get(get_settings).put(put_settings),
        )
        .at(
            "/api/v1/export/backup.json",
            Rule::Own,
            &[Method::GET],
            get(export_backup),
        )
        .at(
            "/api/v1/export/entries.csv",
            Rule::Own,
            &[Method::GET],
            get(export_csv),
        )
        .at(
            "/api/v1/export/csv",
            Rule::Own,
            &[Method::GET],
            get(export_csv_kind),
        )
        .at(
            "/api/v1/export/fhir.json",
            Rule::Own,
            &[Method::GET],
            get(export_fhir),
        )
        .at(
            "/api/v1/export/calendar.ics",
            Rule::Own,
            &[Method::GET],
            get(export_calendar),
        )
        .at(
            "/calendar.ics",
            Rule::Own,
            &[Method::GET],
            get(export_calendar),
        )
        .at(
            "/api/v1/import",
            Rule::Own,
            &[Method::POST],
            post(import_backup).layer(axum::extract::DefaultBodyLimit::max(crate::MAX_BODY_BYTES)),
        )
}

#[utoipa::path(get, path = "/api/v1/settings", tag = "data",
    responses((status = 200, description = "Reminder interval, quiet hours, time zone and theme", body = Settings)))]
async fn get_settings(Me(state): Me) -> Result<Response, WebError> {
    json(&state.app().settings().await?)
}

#[utoipa::path(put, path = "/api/v1/settings", tag = "data",
    request_body(content = Settings, description = "All settings as one JSON object; missing fields take their defaults"),
    responses(
        (status = 200, description = "Saved", body = Settings),
        (status = 422, description = "A bad value, named; nothing saved", body = Problem, content_type = "application/problem+json")))]
async fn put_settings(Me(state): Me, bytes: Bytes) -> Result<Response, WebError> {
    let s: Settings = body(&bytes)?;
    state.app().save_settings(&s).await?;
    state.changed();
    json(&s)
}

#[utoipa::path(get, path = "/api/v1/export/backup.json", tag = "data",
    responses((status = 200, description = "The full, versioned backup (as `unknot export`)", body = Backup)))]
async fn export_backup(Me(state): Me) -> Result<Response, WebError> {
    audited(&state, "backup").await?;
    let backup = state.app().backup().await?;
    Ok(download(
        "application/json",
        "unknot-backup.json",
        unknot_core::backup::render(&backup).into_bytes(),
    ))
}

/// The period to export.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CsvQuery {
    /// First day, YYYY-MM-DD (default: everything).
    #[param(format = Date)]
    since: Option<String>,
    /// Last day, YYYY-MM-DD (default: everything).
    #[param(format = Date)]
    until: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/export/entries.csv", tag = "data", params(CsvQuery),
    responses(
        (status = 200, description = "Journal entries as CSV with a header row", content_type = "text/csv", body = String),
        (status = 422, description = "A bad date, named", body = Problem, content_type = "application/problem+json")))]
async fn export_csv(state: Me, ApiQuery(q): ApiQuery<CsvQuery>) -> Result<Response, WebError> {
    // The same file as `/api/v1/export/csv?kind=entries`, at the address older links use.
    export_csv_kind(
        state,
        ApiQuery(CsvKindQuery {
            kind: ExportKind::Entries,
            since: q.since,
            until: q.until,
        }),
    )
    .await
}

/// Which CSV file to export: one of the four, or `zip` for all four in one archive.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExportKind {
    /// One row per journal entry.
    Entries,
    /// One row per knot.
    Knots,
    /// One row per guided session.
    Sessions,
    /// One row per assessment or check-in.
    Scores,
    /// All four in one zip archive.
    Zip,
}

/// Which CSV to export, and the period.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CsvKindQuery {
    /// `entries`, `knots`, `sessions`, `scores`, or `zip` for all four in one archive.
    #[param(inline)]
    kind: ExportKind,
    /// First day, YYYY-MM-DD (default: everything).
    #[param(format = Date)]
    since: Option<String>,
    /// Last day, YYYY-MM-DD (default: everything).
    #[param(format = Date)]
    until: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/export/csv", tag = "data", params(CsvKindQuery),
    responses(
        (status = 200, description = "One CSV file with a header row (or a zip of all four)", content(
            (String = "text/csv"),
            (String = "application/zip"))),
        (status = 422, description = "An unknown kind or a bad date, named", body = Problem, content_type = "application/problem+json")))]
async fn export_csv_kind(
    Me(state): Me,
    ApiQuery(q): ApiQuery<CsvKindQuery>,
) -> Result<Response, WebError> {
    let period = api_period(&state, q.since.as_deref(), q.until.as_deref()).await?;
    audited(&state, "csv").await?;
    let kind = match q.kind {
        ExportKind::Entries => CsvKind::Entries,
        ExportKind::Knots => CsvKind::Knots,
        ExportKind::Sessions => CsvKind::Sessions,
        ExportKind::Scores => CsvKind::Scores,
        ExportKind::Zip => {
            let bytes = state.app().export_csv_zip(period).await?;
            return Ok(download("application/zip", "unknot-csv.zip", bytes));
        }
    };
    let bytes = state.app().export_csv(kind, period).await?;
    Ok(download("text/csv; charset=utf-8", kind.file_name(), bytes))
}

#[utoipa::path(get, path = "/api/v1/export/fhir.json", tag = "data", params(CsvQuery),
    responses(
        (status = 200, description = "A FHIR R4 Bundle: Patient, pain and PEG Observations, QuestionnaireResponses, CarePlan", body = FhirBundle, content_type = "application/fhir+json"),
        (status = 422, description = "A bad date, named", body = Problem, content_type = "application/problem+json")))]
async fn export_fhir(Me(state): Me, ApiQuery(q): ApiQuery<CsvQuery>) -> Result<Response, WebError> {
    let period = api_period(&state, q.since.as_deref(), q.until.as_deref()).await?;
    audited(&state, "fhir").await?;
    let bytes = state.app().export_fhir(period).await?;
    Ok(download("application/fhir+json", "unknot-fhir.json", bytes))
}

/// When the routine goes in the calendar.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CalendarQuery {
    /// Time of day for the routine, HH:MM (default 18:00).
    #[param(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    at: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/export/calendar.ics", tag = "data", params(CalendarQuery),
    responses(
        (status = 200, description = "The plan as an iCalendar feed (also at /calendar.ics for subscribing)", content_type = "text/calendar", body = String),
        (status = 409, description = "No plan yet", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad time, named", body = Problem, content_type = "application/problem+json")))]
async fn export_calendar(
    Me(state): Me,
    ApiQuery(q): ApiQuery<CalendarQuery>,
) -> Result<Response, WebError> {
    audited(&state, "calendar").await?;
    let at = match q.at.as_deref() {
        None => jiff::civil::Time::constant(18, 0, 0, 0),
        Some(t) => super::clock_time(t).ok_or_else(|| {
            WebError::Input(unknot_core::InputError::malformed(
                "at",
                t,
                "expected a time of day such as 18:30",
            ))
        })?,
    };
    let text = state.app().export_calendar(at).await?;
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            "text/calendar; charset=utf-8",
        )],
        text,
    )
        .into_response())
}

/// The period of an export, read strictly (`YYYY-MM-DD`, as the document says).
async fn api_period(
    state: &AppState,
    since: Option<&str>,
    until: Option<&str>,
) -> Result<unknot_app::data::Period, WebError> {
    super::strict_date("since", since)?;
    super::strict_date("until", until)?;
    export_period(state.app(), since, until).await
}

/// What an import did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportResult {
    /// Entries added.
    added: usize,
    /// Entries replaced by the file's version.
    updated: usize,
    /// Entries already present as in the file.
    unchanged: usize,
    /// Assessments, plan versions and sessions added.
    records: usize,
}

impl From<Imported> for ImportResult {
    fn from(i: Imported) -> ImportResult {
        ImportResult {
            added: i.summary.added,
            updated: i.summary.updated,
            unchanged: i.summary.unchanged,
            records: i.summary.records,
        }
    }
}

/// Imports a file's text, answering bytes that are not text with a named refusal.
async fn import_bytes(state: &AppState, bytes: &[u8]) -> Result<Imported, WebError> {
    let text = std::str::from_utf8(bytes).map_err(|_| {
        WebError::Input(unknot_core::InputError::malformed(
            "backup",
            "",
            "the file is not UTF-8 text: is it an unknot backup or entries CSV?",
        ))
    })?;
    let imported = state.app().import_text(text).await?;
    state.changed();
    Ok(imported)
}

#[utoipa::path(post, path = "/api/v1/import", tag = "data",
    request_body(description = "A backup written by unknot export (JSON), or an entries CSV (send it with the X-CSRF-Token header, as it is not JSON); at most 16 MiB",
        content((Backup = "application/json"), (String = "text/csv"))),
    responses(
        (status = 200, description = "Imported, all or nothing", body = ImportResult),
        (status = 422, description = "Refused, with the reason; nothing stored", body = Problem, content_type = "application/problem+json")))]
async fn import_backup(Me(state): Me, bytes: Bytes) -> Result<Response, WebError> {
    let imported = import_bytes(&state, &bytes).await?;
    json(&ImportResult::from(imported))
}

//! The JSON API under `/api/v1/`: everything the pages do, for scripts and for the pages' own
//! scripts (the session player and the timers). Bodies are the same JSON the command line's
//! `--json` prints and its backup holds; errors are RFC 9457 problem documents. The OpenAPI 3.1
//! document at `/api/openapi.json` is generated from the handlers' annotations, and a test calls
//! every operation it lists.
//!
//! One module per area: [`journal`] (entries, trends), [`coach`] (Today, assessments, check-ins,
//! the plan, sessions, heat and cold), [`library`] (exercises, articles, search) and [`data`]
//! (settings, exports, import). Each handler parses, calls one `unknot-app` operation, and
//! answers.

mod coach;
mod data;
mod doc;
mod journal;
mod library;

use axum::body::Bytes;
use axum::http::Method;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;
use serde_json::Value;
use utoipa::OpenApi;

use crate::WebError;
use crate::access::{Routes, Rule};
use crate::error::Problem;

/// The OpenAPI document: the shared parts here, each area's operations merged in from its
/// module.
pub struct ApiDoc;

impl OpenApi for ApiDoc {
    fn openapi() -> utoipa::openapi::OpenApi {
        let mut doc = Base::openapi();
        doc.merge(journal::Api::openapi());
        doc.merge(coach::Api::openapi());
        doc.merge(library::Api::openapi());
        doc.merge(data::Api::openapi());
        doc::complete(&mut doc);
        doc
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "unknot",
        description = "The local API of unknot, a private coach for back pain and muscle knots. \
            State-changing requests must send JSON or the X-CSRF-Token header. Errors are \
            RFC 9457 problem documents with a stable `code`.",
        license(name = "MIT OR Apache-2.0")
    ),
    components(schemas(Problem)),
    tags((name = "journal"), (name = "coach"), (name = "library"), (name = "data"))
)]
struct Base;

/// Every API route.
pub fn routes() -> Routes {
    Routes::new()
        .at(
            "/api/openapi.json",
            Rule::Public,
            &[Method::GET],
            get(openapi),
        )
        .merge(journal::routes())
        .merge(coach::routes())
        .merge(library::routes())
        .merge(data::routes())
}

async fn openapi() -> Response {
    json_bytes(
        ApiDoc::openapi()
            .to_pretty_json()
            .unwrap_or_default()
            .into_bytes(),
    )
}

fn json_bytes(body: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// A value as a JSON response.
fn json<T: Serialize>(value: &T) -> Result<Response, WebError> {
    serde_json::to_vec(value)
        .map(json_bytes)
        .map_err(|e| WebError::Internal(e.to_string()))
}

/// A value as a `201 Created` JSON response.
fn created<T: Serialize>(value: &T) -> Result<Response, WebError> {
    let mut res = json(value)?;
    *res.status_mut() = StatusCode::CREATED;
    Ok(res)
}

/// Parses a JSON object body, answering a problem (not axum's plain text) when it is not JSON
/// or not an object: serde would otherwise fill a struct from an array, field by field, so
/// `[null, null]` would read as "every setting at its default".
fn body<T: serde::de::DeserializeOwned>(bytes: &Bytes) -> Result<T, WebError> {
    let malformed = |reason: String| {
        WebError::Input(unknot_core::InputError::malformed(
            "body",
            String::from_utf8_lossy(&bytes[..bytes.len().min(80)]).to_string(),
            reason,
        ))
    };
    let value: Value = serde_json::from_slice(bytes).map_err(|e| malformed(e.to_string()))?;
    if !value.is_object() {
        return Err(malformed("expected a JSON object".into()));
    }
    serde_json::from_value(value).map_err(|e| malformed(e.to_string()))
}

/// A download: the bytes with their content type and file name.
fn download(content_type: &str, file_name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// A date exactly as the OpenAPI document says, `YYYY-MM-DD` in ASCII digits; `None` passes.
/// The pages forgive more (an empty field means "not given"); the API says what it takes and
/// takes exactly that.
fn strict_date(field: &str, value: Option<&str>) -> Result<(), WebError> {
    let Some(v) = value else {
        return Ok(());
    };
    let b = v.as_bytes();
    let shape = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
    if shape && v.parse::<jiff::civil::Date>().is_ok() {
        Ok(())
    } else {
        Err(WebError::Input(unknot_core::InputError::malformed(
            field,
            v,
            "expected a date as YYYY-MM-DD",
        )))
    }
}

/// A time of day exactly as `HH:MM` in ASCII digits, as the OpenAPI document says.
fn clock_time(text: &str) -> Option<jiff::civil::Time> {
    let b = text.as_bytes();
    if b.len() != 5 || b[2] != b':' {
        return None;
    }
    let two = |i: usize| -> Option<i8> {
        let (h, l) = (b[i], b[i + 1]);
        (h.is_ascii_digit() && l.is_ascii_digit()).then(|| ((h - b'0') * 10 + (l - b'0')) as i8)
    };
    jiff::civil::Time::new(two(0)?, two(3)?, 0, 0).ok()
}

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
mod journal;
mod library;

use axum::Router;
use axum::body::Bytes;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{OpenApi, ToSchema};

use crate::error::Problem;
use crate::{AppState, WebError};

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
    components(schemas(Problem, AnyObject)),
    tags((name = "journal"), (name = "coach"), (name = "library"), (name = "data"))
)]
struct Base;

/// A JSON object whose fields are documented in docs/intake.md and the backup format.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(value_type = Object)]
pub struct AnyObject(Value);

/// Every API route.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(openapi))
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

/// Parses a JSON body, answering a problem (not axum's plain text) when it is not JSON.
fn body<T: serde::de::DeserializeOwned>(bytes: &Bytes) -> Result<T, WebError> {
    serde_json::from_slice(bytes).map_err(|e| {
        WebError::Input(unknot_core::InputError::malformed(
            "body",
            String::from_utf8_lossy(&bytes[..bytes.len().min(80)]).to_string(),
            e.to_string(),
        ))
    })
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

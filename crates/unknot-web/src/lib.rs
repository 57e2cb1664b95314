//! unknot's local web app: the main way to use unknot.
//!
//! `unknot serve` hands this crate an [`App`](unknot_app::App) (the store and the library);
//! [`router`] answers with pages rendered on the server (askama templates, readable without
//! JavaScript, enhanced by two small embedded scripts), a JSON API under `/api/v1/` described by
//! an OpenAPI 3.1 document at `/api/openapi.json`, and the embedded assets. Every handler parses
//! input into core types first, so bad input is answered with a message on the form or an
//! RFC 9457 problem body and nothing is stored.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod access;
mod api;
mod assets;
mod breaker;
mod cache;
mod clinic;
mod downloads;
mod entry_form;
mod error;
mod fhir;
mod figures;
mod pages;
mod period;
mod questions;
mod security;
pub mod serve;
mod state;

pub use unknot_export::{bodymap, charts};

use axum::Router;

pub use api::ApiDoc;
pub use error::WebError;
pub use state::{AppState, Options};

/// Largest request body the app accepts (a backup import can be a few megabytes).
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;
/// Largest body for everything but the import: forms and JSON are small.
pub const MAX_FORM_BYTES: usize = 256 * 1024;

/// Every route: pages, the API, its OpenAPI document and the assets (and on the clinic server
/// sign-in, accounts and the clinic's pages), with the access rules, security headers and size
/// limits applied.
pub fn router(state: AppState) -> Router {
    let (routes, table) = routes(state.clinic().is_some()).finish();
    let app = routes.fallback(not_found);
    security::layer(app, state.clone(), std::sync::Arc::new(table)).with_state(state)
}

fn routes(clinic: bool) -> access::Routes {
    let routes = access::Routes::new()
        .merge(pages::routes())
        .merge(api::routes())
        .merge(assets::routes());
    if clinic {
        routes.merge(clinic::routes()).merge(fhir::routes())
    } else {
        routes
    }
}

/// The access table: every route of the local app (or of the clinic server) with its method
/// and rule, as the router enforces it. The authorization matrix test walks it.
pub fn access_table(clinic: bool) -> Vec<access::RouteRow> {
    routes(clinic).finish().1
}

/// Unknown paths: a problem document under `/api/`, a page elsewhere.
async fn not_found(uri: axum::http::Uri) -> axum::response::Response {
    respond_error(
        uri.path(),
        WebError::NotFound(format!("nothing here at {}", uri.path())),
    )
}

/// An error as the caller reads it: a problem document under `/api/`, an OperationOutcome under
/// `/fhir`, a page elsewhere.
pub(crate) fn respond_error(path: &str, e: WebError) -> axum::response::Response {
    use axum::response::IntoResponse;
    if fhir::is_fhir_path(path) {
        fhir::error(e)
    } else if path.starts_with("/api/") {
        e.into_response()
    } else {
        pages::PageError(e).into_response()
    }
}

/// Serves the app on `listener` until `shutdown` completes, with the time limits of
/// [`serve::Limits::default`].
pub async fn serve(
    state: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve::run(
        router(state),
        listener,
        serve::Limits::default(),
        None,
        shutdown,
    )
    .await
}

//! The FHIR R4 API under `/fhir` on the clinic server: `GET /fhir/metadata`, and for every
//! resource type of the application's registry (`unknot_app::clinic::fhir::RESOURCES`) a
//! search (`GET /fhir/{Type}?…`) and a read (`GET /fhir/{Type}/{id}`). The routes are made from
//! the registry, so a new type there is served and listed in the access table at once.
//!
//! This edge only negotiates the format, hands the query to the application layer and writes
//! the answer as `application/fhir+json`. Every error, including the access rules' refusals
//! and unknown paths under `/fhir`, is an OperationOutcome with its HTTP status. Only reads are
//! served: any other method is 405. A search may also be sent as `POST /fhir/{Type}/_search`
//! with its parameters as a form body (FHIR's way round long URLs and URLs in logs); another
//! body type is 415.

use std::sync::OnceLock;

use axum::body::Bytes;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::Value;
use unknot_app::clinic::fhir::RESOURCES;
use unknot_export::fhir::server::{IssueCode, MEDIA_TYPE, operation_outcome};

use crate::access::{Me, Routes, Rule};
use crate::{AppState, WebError};

/// True for the paths this module answers (their errors are OperationOutcomes).
pub fn is_fhir_path(path: &str) -> bool {
    path == "/fhir" || path.starts_with("/fhir/")
}

/// Each registered type's search and read paths, made once (the route table keeps `'static`
/// paths).
fn paths() -> &'static [(&'static str, String, String, String)] {
    static PATHS: OnceLock<Vec<(&'static str, String, String, String)>> = OnceLock::new();
    PATHS.get_or_init(|| {
        RESOURCES
            .iter()
            .map(|r| {
                (
                    r.kind,
                    format!("/fhir/{}", r.kind),
                    format!("/fhir/{}/_search", r.kind),
                    format!("/fhir/{}/{{id}}", r.kind),
                )
            })
            .collect()
    })
}

/// The routes: the CapabilityStatement for anyone, and a search and a read per registered
/// type for anyone signed in (what they find is the application layer's access rules').
pub fn routes() -> Routes {
    let mut routes = Routes::new().at(
        "/fhir/metadata",
        Rule::Public,
        &[Method::GET],
        get(metadata),
    );
    for (kind, search_path, post_path, read_path) in paths() {
        let kind: &'static str = kind;
        let get_search = move |me: Me, headers: HeaderMap, q: Query<Vec<(String, String)>>| {
            search(kind, me, headers, q)
        };
        routes = routes
            .at(search_path, Rule::Own, &[Method::GET], get(get_search))
            .at(
                post_path,
                Rule::Own,
                &[Method::GET, Method::POST],
                get(get_search).post(
                    move |me: Me,
                          headers: HeaderMap,
                          q: Query<Vec<(String, String)>>,
                          body: Bytes| {
                        post_search(kind, me, headers, q, body)
                    },
                ),
            )
            .at(
                read_path,
                Rule::Own,
                &[Method::GET],
                get(move |me: Me, headers: HeaderMap, id: Path<String>| {
                    read(kind, me, headers, id)
                }),
            );
    }
    routes
}

async fn metadata(
    axum::extract::State(state): axum::extract::State<AppState>,
    headers: HeaderMap,
    Query(q): Query<Vec<(String, String)>>,
) -> Response {
    if let Some(e) = negotiate(&headers, &q) {
        return e;
    }
    match state.clinic() {
        Some(clinic) => answer(&clinic.fhir_capability()),
        None => error(WebError::NotFound("no FHIR API on this server".into())),
    }
}

async fn search(
    kind: &'static str,
    Me(state): Me,
    headers: HeaderMap,
    Query(q): Query<Vec<(String, String)>>,
) -> Response {
    if let Some(e) = negotiate(&headers, &q) {
        return e;
    }
    let (Some(clinic), Some(who)) = (state.clinic(), state.principal()) else {
        return error(WebError::Unauthorized("sign in first".into()));
    };
    match clinic.fhir_search(who, kind, &q).await {
        Ok(bundle) => answer(&bundle),
        Err(e) => error(e.into()),
    }
}

/// `POST /fhir/{Type}/_search`: the parameters of the URL and of a form body together.
async fn post_search(
    kind: &'static str,
    me: Me,
    headers: HeaderMap,
    Query(mut q): Query<Vec<(String, String)>>,
    body: Bytes,
) -> Response {
    let form = "application/x-www-form-urlencoded";
    let sent = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(media_essence);
    match sent.as_deref() {
        Some(t) if t == form => {}
        // An empty body needs no type.
        None if body.is_empty() => {}
        other => {
            return error_with(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                IssueCode::NotSupported,
                &format!(
                    "a search body must be {form}, not {}",
                    unknot_core::error::shown(other.unwrap_or("a body without a type"))
                ),
            );
        }
    }
    q.extend(url::form_urlencoded::parse(&body).into_owned());
    search(kind, me, headers, Query(q)).await
}

async fn read(
    kind: &'static str,
    Me(state): Me,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Some(e) = negotiate(&headers, &[]) {
        return e;
    }
    let (Some(clinic), Some(who)) = (state.clinic(), state.principal()) else {
        return error(WebError::Unauthorized("sign in first".into()));
    };
    match clinic.fhir_read(who, kind, &id).await {
        Ok(resource) => answer(&resource),
        Err(e) => error(e.into()),
    }
}

/// The media types this API can answer with.
const JSON_TYPES: [&str; 3] = [MEDIA_TYPE, "application/json", "application/json+fhir"];

/// The refusal (406) of a request whose `Accept` header or `_format` parameter names no JSON type:
/// this server writes FHIR JSON only.
fn negotiate(headers: &HeaderMap, query: &[(String, String)]) -> Option<Response> {
    if let Some((_, f)) = query.iter().find(|(k, _)| k == "_format") {
        let ok = f == "json" || JSON_TYPES.iter().any(|t| media_essence(f) == *t);
        if !ok {
            return Some(error_with(
                StatusCode::NOT_ACCEPTABLE,
                IssueCode::NotSupported,
                &format!(
                    "_format {} is not served: this server writes FHIR JSON only (json, {MEDIA_TYPE})",
                    unknot_core::error::shown(f)
                ),
            ));
        }
        return None;
    }
    let accept = headers.get(header::ACCEPT)?;
    let accept = accept.to_str().unwrap_or_default();
    if acceptable(accept) {
        None
    } else {
        Some(error_with(
            StatusCode::NOT_ACCEPTABLE,
            IssueCode::NotSupported,
            &format!(
                "Accept: {} names nothing this server writes: it answers {MEDIA_TYPE} only",
                unknot_core::error::shown(accept)
            ),
        ))
    }
}

fn media_essence(t: &str) -> String {
    t.split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// True when an `Accept` header allows FHIR JSON: a JSON type, `application/*` or `*/*`, not
/// with `q=0`. An empty header accepts anything.
fn acceptable(accept: &str) -> bool {
    if accept.trim().is_empty() {
        return true;
    }
    accept.split(',').any(|range| {
        let mut parts = range.split(';');
        let essence = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let refused = parts.any(|p| {
            p.trim()
                .strip_prefix("q=")
                .and_then(|q| q.trim().parse::<f32>().ok())
                .is_some_and(|q| q <= 0.0)
        });
        let fits = essence == "*/*"
            || essence == "application/*"
            || JSON_TYPES.contains(&essence.as_str());
        fits && !refused
    })
}

fn answer(body: &Value) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let mut res = (StatusCode::OK, bytes).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/fhir+json; charset=utf-8"),
    );
    res
}

/// An error as an OperationOutcome with its HTTP status. Refused input is 400 here (FHIR's
/// answer to a bad search), not the JSON API's 422.
pub fn error(e: WebError) -> Response {
    let (status, code) = match &e {
        WebError::Input(_) | WebError::BadRequest(_) | WebError::Unprocessable { .. } => {
            (StatusCode::BAD_REQUEST, IssueCode::Invalid)
        }
        WebError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, IssueCode::Login),
        WebError::Forbidden(_) => (StatusCode::FORBIDDEN, IssueCode::Forbidden),
        WebError::NotFound(_) => (StatusCode::NOT_FOUND, IssueCode::NotFound),
        WebError::MethodNotAllowed(_) => (StatusCode::METHOD_NOT_ALLOWED, IssueCode::NotSupported),
        WebError::TooMany(..) => (StatusCode::TOO_MANY_REQUESTS, IssueCode::Throttled),
        _ => match e.status() {
            s if s == StatusCode::SERVICE_UNAVAILABLE => (s, IssueCode::Transient),
            s if s.is_client_error() => (s, IssueCode::Invalid),
            s => (s, IssueCode::Exception),
        },
    };
    let mut res = error_with(status, code, &e.shown_detail());
    crate::error::mark_outage(&e, &mut res);
    if status == StatusCode::UNAUTHORIZED {
        res.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"unknot\""),
        );
    }
    if status == StatusCode::SERVICE_UNAVAILABLE {
        res.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from_static(crate::error::RETRY_AFTER_SECONDS),
        );
    }
    res
}

fn error_with(status: StatusCode, code: IssueCode, diagnostics: &str) -> Response {
    let mut res = answer(&operation_outcome(code, diagnostics));
    *res.status_mut() = status;
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_headers_that_allow_fhir_json() {
        assert!(acceptable("application/fhir+json"));
        assert!(acceptable("application/json, text/plain"));
        assert!(acceptable("text/html;q=0.9, */*;q=0.1"));
        assert!(acceptable("application/*"));
        assert!(!acceptable("application/fhir+xml"));
        assert!(!acceptable("text/html"));
        assert!(!acceptable("application/fhir+json;q=0"));
    }
}

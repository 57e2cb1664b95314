//! Errors as the web answers them: an RFC 9457 `application/problem+json` body for the API, and
//! a page with the same message for the browser. Input errors keep their stable codes, so a
//! script can match on `code` exactly as it would on the command line's messages.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use unknot_core::InputError;
use unknot_store::StoreError;

/// Something a request could not do.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// The request's content was refused by core; nothing was stored.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The request itself was malformed (a missing field, wrong type, bad JSON).
    #[error("{0}")]
    BadRequest(String),
    /// No such record or page.
    #[error("{0}")]
    NotFound(String),
    /// The CSRF token or origin check failed.
    #[error("{0}")]
    Forbidden(String),
    /// The request's body is larger than this path accepts.
    #[error("{0}")]
    TooLarge(String),
    /// The request's body stopped arriving.
    #[error("{0}")]
    TimedOut(String),
    /// The request cannot be done in the current state (no assessment yet, say), with a stable
    /// code naming what is missing.
    #[error("{message}")]
    Conflict {
        /// A stable code (`no_assessment`, `no_plan`, `withheld`, `duplicate`…).
        code: &'static str,
        /// What to do instead, in words for a person using the app.
        message: String,
    },
    /// Refused content other than a single field (a backup file, a content folder).
    #[error("{message}")]
    Unprocessable {
        /// A stable code.
        code: &'static str,
        /// Why.
        message: String,
    },
    /// Sign in first (clinic mode).
    #[error("{0}")]
    Unauthorized(String),
    /// Too many attempts; the number is the seconds to wait.
    #[error("{0}")]
    TooMany(String, u64),
    /// The path exists but does not answer this method.
    #[error("{0}")]
    MethodNotAllowed(String),
    /// A link that expired or was used.
    #[error("{0}")]
    Gone(String),
    /// The store failed.
    #[error(transparent)]
    Store(StoreError),
    /// Anything else: a bug or the system.
    #[error("{0}")]
    Internal(String),
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> WebError {
        match e {
            StoreError::NotFound(_) | StoreError::Ambiguous { .. } => {
                WebError::NotFound(e.to_string())
            }
            other => WebError::Store(other),
        }
    }
}

impl From<unknot_app::AppError> for WebError {
    fn from(e: unknot_app::AppError) -> WebError {
        use unknot_app::{AppError, Missing};
        let code = e.code();
        match e {
            AppError::Input(e) => WebError::Input(e),
            AppError::Store(e) => e.into(),
            AppError::Missing(m) => WebError::Conflict {
                code,
                message: match m {
                    Missing::Assessment => {
                        "no safety check yet: do the check first (Check in the menu)".into()
                    }
                    Missing::Plan => "no plan yet: do the safety check, then open Plan".into(),
                    Missing::Routine => {
                        "today's routine is empty: allow more minutes a day, or more equipment, \
                         in the safety check"
                            .into()
                    }
                },
            },
            AppError::Withheld(t) => WebError::Conflict {
                code,
                message: format!(
                    "no exercise plan is given at this level: {} Please get that help first.",
                    t.advice
                ),
            },
            AppError::Duplicate { .. } | AppError::IdInUse(_) => WebError::Conflict {
                code,
                message: e.to_string(),
            },
            AppError::Backup(_) | AppError::Content(_) => WebError::Unprocessable {
                code,
                message: e.to_string(),
            },
            AppError::Internal(m) => WebError::Internal(m),
            AppError::Denied(d) => {
                use unknot_core::clinic::access::Decision;
                match d {
                    Decision::SignIn => WebError::Unauthorized("sign in first".into()),
                    Decision::Forbidden => {
                        WebError::Forbidden("your role does not allow this".into())
                    }
                    Decision::NotFound | Decision::Allow => {
                        WebError::NotFound("nothing here".into())
                    }
                }
            }
            AppError::Credentials(m) => WebError::Unauthorized(m),
            AppError::RateLimited(s) => WebError::TooMany(e.to_string(), s),
            AppError::Expired(m) => WebError::Gone(m),
            AppError::Changed(message) => WebError::Conflict {
                code: "changed",
                message,
            },
        }
    }
}

/// An RFC 9457 problem details body.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem (relative to this server).
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong with this request, naming the offending value.
    pub detail: String,
    /// A stable code scripts can match on.
    pub code: String,
}

impl WebError {
    /// The HTTP status for this error.
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::Input(_) => StatusCode::UNPROCESSABLE_ENTITY,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::NotFound(_) => StatusCode::NOT_FOUND,
            WebError::Forbidden(_) => StatusCode::FORBIDDEN,
            WebError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            WebError::TimedOut(_) => StatusCode::REQUEST_TIMEOUT,
            WebError::Conflict { .. } => StatusCode::CONFLICT,
            WebError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            WebError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            WebError::TooMany(..) => StatusCode::TOO_MANY_REQUESTS,
            WebError::Gone(_) => StatusCode::GONE,
            WebError::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            WebError::Store(e) if e.is_retryable() => StatusCode::SERVICE_UNAVAILABLE,
            WebError::Store(_) | WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            WebError::Input(e) => e.code(),
            WebError::BadRequest(_) => "bad_request",
            WebError::NotFound(_) => "not_found",
            WebError::Forbidden(_) => "forbidden",
            WebError::TooLarge(_) => "too_large",
            WebError::TimedOut(_) => "timed_out",
            WebError::Conflict { code, .. } | WebError::Unprocessable { code, .. } => code,
            WebError::Unauthorized(_) => "unauthorized",
            WebError::MethodNotAllowed(_) => "method_not_allowed",
            WebError::TooMany(..) => "rate_limited",
            WebError::Gone(_) => "expired",
            WebError::Store(e) => e.code(),
            WebError::Internal(_) => "internal",
        }
    }

    /// The problem body.
    pub fn problem(&self) -> Problem {
        let status = self.status();
        Problem {
            kind: format!("/api/problems/{}", self.code()),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail: self.shown_detail(),
            code: self.code().to_string(),
        }
    }

    /// What the answer says. A server fault's own text (a database message, a bug) can name
    /// tables, paths or data, so it goes to the server's log under a short reference and the
    /// answer carries only the reference; every other error is for the person and said whole.
    pub fn shown_detail(&self) -> String {
        if self.status() != StatusCode::INTERNAL_SERVER_ERROR {
            return self.to_string();
        }
        let mut raw = [0u8; 5];
        let _ = getrandom::fill(&mut raw);
        let reference: String = raw.iter().map(|b| format!("{b:02x}")).collect();
        eprintln!("error {reference}: {self}");
        format!(
            "something went wrong on the server; nothing more is shown here. The server's log \
             has the details under the reference {reference}"
        )
    }
}

/// Put on a response whose request found the database server out of reach: the breaker
/// (`crate::breaker`) opens on it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Outage;

/// Marks `res` with [`Outage`] when `e` says the database server could not be reached.
pub(crate) fn mark_outage(e: &WebError, res: &mut Response) {
    if matches!(e, WebError::Store(s) if s.is_unreachable()) {
        res.extensions_mut().insert(Outage);
    }
}

/// Seconds a client should wait before retrying a request refused as unavailable.
pub const RETRY_AFTER_SECONDS: &str = "2";

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        let mut res = (
            self.status(),
            [(header::CONTENT_TYPE, "application/problem+json")],
            body,
        )
            .into_response();
        if self.status() == StatusCode::SERVICE_UNAVAILABLE {
            res.headers_mut().insert(
                header::RETRY_AFTER,
                header::HeaderValue::from_static(RETRY_AFTER_SECONDS),
            );
        }
        if let WebError::TooMany(_, seconds) = &self {
            res.headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(*seconds));
        }
        mark_outage(&self, &mut res);
        res
    }
}

/// `Query<T>` for the API, answering a malformed query string with a problem document that
/// names the parameter (axum's own rejection is plain text).
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiQuery<T>(pub T);

impl<T, S> axum::extract::FromRequestParts<S> for ApiQuery<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(e) => Err(WebError::Input(InputError::malformed(
                "query",
                parts.uri.query().unwrap_or_default(),
                e.body_text(),
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_fault_shows_a_reference_not_its_own_text() {
        let e = WebError::Internal("relation \"secret_table\" does not exist".into());
        let detail = e.problem().detail;
        assert!(!detail.contains("secret_table"), "{detail}");
        assert!(detail.contains("reference"));
        // A person's own mistakes are still said whole.
        let e = WebError::NotFound("no entry 42".into());
        assert_eq!(e.problem().detail, "no entry 42");
    }
}

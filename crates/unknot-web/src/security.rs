//! Safe by default: security headers on every response (a strict Content-Security-Policy with no
//! inline scripts or styles), a Host check against DNS rebinding while serving on loopback, and
//! cross-site request refusal for every state-changing request.
//!
//! CSRF has three layers. Browsers send `Sec-Fetch-Site` and `Origin`; a state-changing request
//! that says it comes from another site is refused here. Forms carry the server's token in a
//! hidden field, checked by the handler ([`check_form_token`]). API requests that change state
//! must be JSON or carry the token in `X-CSRF-Token`: a page on another site can only send JSON
//! after a CORS preflight, which this server never approves.

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};

use crate::{AppState, WebError};

/// The Content-Security-Policy: only this origin's scripts, styles and images; nothing inline
/// except images as data URLs; no frames, plugins or base-URL tricks.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; media-src 'self' data:; connect-src 'self'; object-src 'none'; \
    base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The header that carries the CSRF token on API requests from the app's own scripts.
pub const TOKEN_HEADER: &str = "x-csrf-token";

/// Wraps the router with the checks and headers.
pub fn layer(app: Router<AppState>, state: AppState) -> Router<AppState> {
    app.layer(axum::extract::DefaultBodyLimit::max(crate::MAX_FORM_BYTES))
        .layer(middleware::from_fn_with_state(state, guard))
}

async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if let Err(e) = check_request(&state, req.method(), req.uri().path(), req.headers()) {
        return with_headers(e.into_response());
    }
    with_headers(next.run(req).await)
}

fn check_request(
    state: &AppState,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
) -> Result<(), WebError> {
    if state.loopback_only() && !host_is_loopback(headers) {
        return Err(WebError::Forbidden(
            "this server answers only requests addressed to localhost".into(),
        ));
    }
    let unsafe_method = !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    if !unsafe_method {
        return Ok(());
    }
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && !matches!(site, "same-origin" | "none")
    {
        return Err(WebError::Forbidden(format!(
            "refused a {method} from another site (Sec-Fetch-Site: {site})"
        )));
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let same = origin
            .split_once("://")
            .is_some_and(|(_, rest)| rest.eq_ignore_ascii_case(host));
        if !same {
            return Err(WebError::Forbidden(format!(
                "refused a {method} from origin {origin}"
            )));
        }
    }
    if path.starts_with("/api/") {
        let json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("application/json"));
        let token = headers
            .get(TOKEN_HEADER)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t == state.csrf());
        if !(json || token || path == "/api/v1/import") {
            return Err(WebError::Forbidden(
                "state-changing API requests must send JSON (Content-Type: application/json) \
                 or the X-CSRF-Token header"
                    .into(),
            ));
        }
    }
    Ok(())
}

/// True when the Host header names this machine's loopback (or is missing, as in HTTP/1.0).
fn host_is_loopback(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or_default()
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    };
    name.eq_ignore_ascii_case("localhost")
        || name == "::1"
        || name
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Checks the token a form sent back.
pub fn check_form_token(state: &AppState, sent: Option<&str>) -> Result<(), WebError> {
    match sent {
        Some(t) if t == state.csrf() => Ok(()),
        _ => Err(WebError::Forbidden(
            "this form has expired or did not come from unknot: reload the page and try again"
                .into(),
        )),
    }
}

fn with_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    let set = |h: &mut HeaderMap, name: &'static str, value: &'static str| {
        h.entry(name).or_insert(HeaderValue::from_static(value));
    };
    set(h, "content-security-policy", CSP);
    set(h, "x-content-type-options", "nosniff");
    // `no-referrer` would make browsers send `Origin: null` on form posts, which the origin check
    // must refuse; `same-origin` keeps referrers from leaving this app and the Origin intact.
    set(h, "referrer-policy", "same-origin");
    set(h, "x-frame-options", "DENY");
    set(h, "cross-origin-opener-policy", "same-origin");
    set(h, "cross-origin-resource-policy", "same-origin");
    set(
        h,
        "permissions-policy",
        "camera=(), microphone=(), geolocation=(), screen-wake-lock=(self)",
    );
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(host: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::HOST,
            HeaderValue::from_str(host).unwrap_or(HeaderValue::from_static("x")),
        );
        h
    }

    #[test]
    fn loopback_hosts_are_recognised() {
        assert!(host_is_loopback(&headers("127.0.0.1:7878")));
        assert!(host_is_loopback(&headers("localhost:7878")));
        assert!(host_is_loopback(&headers("[::1]:7878")));
        assert!(!host_is_loopback(&headers("evil.example:7878")));
        assert!(!host_is_loopback(&headers("192.168.1.9")));
    }
}

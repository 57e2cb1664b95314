//! Safe by default: security headers on every response (a strict Content-Security-Policy with no
//! inline scripts or styles), a Host check against DNS rebinding in every mode, cross-site
//! request refusal for every state-changing request, and a declared body size checked before
//! any of the body is read.
//!
//! The Host check: a request must be addressed to a loopback name (`localhost`, `127.0.0.1`,
//! `[::1]`) or to one of [`Options::allowed_hosts`](crate::Options::allowed_hosts). A page on
//! another site that rebinds its own name to this machine still sends its own name, so it is
//! refused whatever address the server listens on.
//!
//! CSRF has three layers, with no exemption for any path. Browsers send `Sec-Fetch-Site` and
//! `Origin`; a state-changing request that says it comes from another site is refused here.
//! Forms carry the server's token in a hidden field, checked by the handler
//! ([`check_form_token`]). API requests that change state must be JSON or carry the token in
//! `X-CSRF-Token`: a page on another site can only send JSON after a CORS preflight, which this
//! server never approves, and cannot read the token.

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

/// Wraps the router with the checks and headers. The cross-site check runs on matched routes
/// only, so a method a path does not have is answered 405 (with `Allow`) rather than 403; the
/// Host and size checks and the headers apply to everything.
/// The access rules ([`crate::access::authorize`]) run first, so the cross-site check knows the
/// signed-in session's token.
pub fn layer(
    app: Router<AppState>,
    state: AppState,
    table: std::sync::Arc<Vec<crate::access::RouteRow>>,
) -> Router<AppState> {
    app.route_layer(middleware::from_fn_with_state(state.clone(), cross_site))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            crate::access::authorize,
        ))
        .layer(axum::Extension(table))
        .layer(axum::extract::DefaultBodyLimit::max(crate::MAX_FORM_BYTES))
        .layer(middleware::from_fn_with_state(state, guard))
}

async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let checked = check_host(&state, req.headers())
        .and_then(|()| check_length(req.uri().path(), req.headers()));
    if let Err(e) = checked {
        return with_headers(e.into_response());
    }
    let asset = req.uri().path().starts_with("/assets/");
    // A person's settings are read once per request, however many use cases ask for them.
    let res = unknot_app::one_request(async {
        match state.breaker().filter(|_| !asset) {
            Some(b) => with_breaker(&state, b, req, next).await,
            None => next.run(req).await,
        }
    })
    .await;
    let res = with_headers(res);
    match state.clinic() {
        Some(clinic) => clinic_headers(res, clinic.config().public_url.scheme() == "https", asset),
        None => res,
    }
}

/// Runs a request past the database breaker: refused at once while the database server is
/// known to be out of reach; the probe checks it with one trivial query before running; a
/// request that finds it unreachable (its response marked [`crate::error::Outage`]) opens it.
async fn with_breaker(
    state: &AppState,
    b: &crate::breaker::Breaker,
    req: Request,
    next: Next,
) -> Response {
    use crate::breaker::{Admit, now_ms};
    let path = req.uri().path().to_string();
    match b.admit(now_ms()) {
        Admit::Go => {}
        Admit::Refuse => {
            let e = unknot_app::AppError::unreachable(
                "the database server is out of reach; it is being checked",
            );
            return crate::respond_error(&path, e.into());
        }
        Admit::Probe => match state.app().ping().await {
            Ok(()) => b.reached(),
            Err(e) => {
                b.unreachable(now_ms());
                return crate::respond_error(&path, e.into());
            }
        },
    }
    let res = next.run(req).await;
    if res.extensions().get::<crate::error::Outage>().is_some() {
        b.unreachable(now_ms());
    }
    res
}

/// On the clinic server: browsers keep to HTTPS once they have seen it (when it is served so),
/// and nothing but the assets is kept in a shared or back-button cache: every other answer may
/// hold a person's data, so `no-store` replaces whatever caching the page chose (the local app's
/// `no-cache` revalidation is for one person on their own computer).
fn clinic_headers(mut res: Response, https: bool, asset: bool) -> Response {
    let h = res.headers_mut();
    if https {
        h.entry("strict-transport-security")
            .or_insert(HeaderValue::from_static("max-age=31536000"));
    }
    if !asset {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

async fn cross_site(State(state): State<AppState>, req: Request, next: Next) -> Response {
    // The signed-in person's state (their session's token), when the access rules found one.
    let state = req.extensions().get::<AppState>().cloned().unwrap_or(state);
    match check_request(&state, req.method(), req.uri().path(), req.headers()) {
        Ok(()) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

/// Paths whose bodies may be as large as [`crate::MAX_BODY_BYTES`] (imports); every other body
/// is held to [`crate::MAX_FORM_BYTES`].
pub const LARGE_BODY_PATHS: [&str; 2] = ["/api/v1/import", "/settings/import"];

/// The largest body a request to `path` may send.
pub fn body_limit(path: &str) -> usize {
    if LARGE_BODY_PATHS.contains(&path) {
        crate::MAX_BODY_BYTES
    } else {
        crate::MAX_FORM_BYTES
    }
}

/// Refuses at once a request whose declared `Content-Length` is over the limit for its path,
/// instead of waiting for a body it would refuse anyway.
fn check_length(path: &str, headers: &HeaderMap) -> Result<(), WebError> {
    let Some(value) = headers.get(header::CONTENT_LENGTH) else {
        return Ok(());
    };
    let limit = body_limit(path);
    let declared = value
        .to_str()
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok());
    match declared {
        Some(n) if n <= limit as u64 => Ok(()),
        Some(n) => Err(WebError::TooLarge(format!(
            "the body is {n} bytes; at most {limit} are accepted here"
        ))),
        None => Err(WebError::BadRequest(
            "Content-Length is not a number of bytes".into(),
        )),
    }
}

/// Refuses a request addressed to a name this server is not reached by.
fn check_host(state: &AppState, headers: &HeaderMap) -> Result<(), WebError> {
    let Some(host) = headers.get(header::HOST) else {
        // HTTP/1.0 and in-process requests; a browser always names the host.
        return Ok(());
    };
    let allowed = host
        .to_str()
        .is_ok_and(|h| host_is_loopback(h) || host_is_listed(h, state.allowed_hosts()));
    if allowed {
        Ok(())
    } else {
        Err(WebError::Forbidden(
            "this server answers only requests addressed to localhost or a name it was started \
             with (unknot serve --allow-host NAME)"
                .into(),
        ))
    }
}

fn check_request(
    state: &AppState,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
) -> Result<(), WebError> {
    // The safe methods of RFC 9110; anything else (including methods no route has) must pass
    // the cross-site rule.
    let unsafe_method = !matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    );
    if !unsafe_method {
        return Ok(());
    }
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && !matches!(site, "same-origin" | "none")
    {
        return Err(WebError::Forbidden(format!(
            "refused a {method} from another site (Sec-Fetch-Site: {})",
            unknot_core::error::shown(site)
        )));
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let origin = origin.to_str().unwrap_or("(not text)");
        // Behind https, a page served over plain http is another origin even on the same name.
        let https_only = state
            .clinic()
            .is_some_and(|c| c.config().public_url.scheme() == "https")
            && !host_is_loopback(host);
        let same = origin.split_once("://").is_some_and(|(scheme, rest)| {
            rest.eq_ignore_ascii_case(host) && (!https_only || scheme.eq_ignore_ascii_case("https"))
        });
        if !same {
            return Err(WebError::Forbidden(format!(
                "refused a {method} from origin {}",
                unknot_core::error::shown(origin)
            )));
        }
    }
    // A request signed with an API token carries no ambient credential another site could
    // borrow, so it needs no form token.
    if path.starts_with("/api/") && !by_token(state) {
        let json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(is_json);
        let token = headers
            .get(TOKEN_HEADER)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t == state.csrf());
        if !(json || token) {
            return Err(WebError::Forbidden(
                "state-changing API requests must send JSON (Content-Type: application/json) \
                 or the X-CSRF-Token header"
                    .into(),
            ));
        }
    }
    Ok(())
}

/// True for `application/json` with or without parameters (a media type another site cannot
/// send without a preflight). `application/jsonx` or `text/plain; application/json` are not.
fn is_json(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/json")
}

/// The name part of a Host header value (`[::1]:7878` → `::1`, `localhost:7878` → `localhost`).
fn host_name(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or_default()
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    }
}

/// True when the Host header value names this machine's loopback.
fn host_is_loopback(host: &str) -> bool {
    let name = host_name(host);
    name.eq_ignore_ascii_case("localhost")
        || name == "::1"
        || name
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// True when the Host header value is one of the allowed names: an entry with a port must match
/// exactly, one without matches the name on any port.
fn host_is_listed(host: &str, allowed: &[String]) -> bool {
    let name = host_name(host);
    allowed.iter().any(|a| {
        if host_name(a) == a.as_str() {
            a.eq_ignore_ascii_case(name)
        } else {
            a.eq_ignore_ascii_case(host)
        }
    })
}

/// True when the request was signed in with an API token rather than a session cookie.
fn by_token(state: &AppState) -> bool {
    state.principal().is_some_and(|p| p.scopes.is_some())
}

/// Checks the token a form sent back (a request signed with an API token needs none).
pub fn check_form_token(state: &AppState, sent: Option<&str>) -> Result<(), WebError> {
    if by_token(state) {
        return Ok(());
    }
    match sent {
        Some(t) if !t.is_empty() && t == state.csrf() => Ok(()),
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

    #[test]
    fn loopback_hosts_are_recognised() {
        assert!(host_is_loopback("127.0.0.1:7878"));
        assert!(host_is_loopback("localhost:7878"));
        assert!(host_is_loopback("[::1]:7878"));
        assert!(!host_is_loopback("evil.example:7878"));
        assert!(!host_is_loopback("192.168.1.9"));
        assert!(!host_is_loopback("localhost.evil.example"));
    }

    #[test]
    fn listed_hosts_match_by_name_or_exactly_with_a_port() {
        let allowed = vec!["unknot.home.arpa".to_string(), "10.0.0.5:8443".to_string()];
        assert!(host_is_listed("unknot.home.arpa", &allowed));
        assert!(host_is_listed("UNKNOT.home.arpa:7878", &allowed));
        assert!(host_is_listed("10.0.0.5:8443", &allowed));
        assert!(!host_is_listed("10.0.0.5:80", &allowed));
        assert!(!host_is_listed("evil.example", &allowed));
        assert!(!host_is_listed("unknot.home.arpa.evil.example", &allowed));
    }

    #[test]
    fn only_json_itself_counts_as_json() {
        assert!(is_json("application/json"));
        assert!(is_json("Application/JSON; charset=utf-8"));
        assert!(!is_json("application/jsonx"));
        assert!(!is_json("text/plain; application/json"));
        assert!(!is_json("multipart/form-data; boundary=x"));
    }
}

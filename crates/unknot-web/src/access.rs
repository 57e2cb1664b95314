//! Who may reach which route. Every route is added through [`Routes`], which records its method,
//! path and [`Rule`] beside the router; the table is what the [`authorize`] middleware enforces
//! on every request and what the authorization matrix test walks. A route that somehow has no
//! row is refused (fail closed).
//!
//! On the local app there are no accounts: every rule passes (the clinic's routes are not
//! mounted there). On the clinic server a request is signed in by its session cookie or by a
//! personal API token (`Authorization: Bearer`), and the rule decides what happens when it is
//! not. Finer rules (which patient, which role) are the application layer's, which answers
//! "not found" for anything the person may not see.

use axum::Router;
use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::MethodRouter;
use unknot_app::clinic::Principal;

use crate::{AppState, WebError};

/// The name of the session cookie. `__Host-` makes browsers insist on `Secure`, path `/` and no
/// `Domain`, so no other site or subdomain can set or read it.
pub const SESSION_COOKIE: &str = "__Host-unknot-session";

/// What a route requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    /// Anyone: assets, the API document, sign-in, invitation links.
    Public,
    /// A signed-in person, for their own things (journal, plan, settings, their downloads).
    Own,
    /// A signed-in person managing their own sign-in (password, second factor, sessions): open
    /// to staff before their second factor is set up, and never to an API token.
    Account,
    /// A member of staff of the clinic in the path; the role and the patient are checked by the
    /// application layer.
    Staff,
}

/// One row of the access table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteRow {
    /// The method.
    pub method: Method,
    /// The path pattern as the router has it (`/journal/{id}`).
    pub path: &'static str,
    /// What it requires.
    pub rule: Rule,
}

/// A router that records the access rule of each route it is given.
pub struct Routes {
    router: Router<AppState>,
    rows: Vec<RouteRow>,
}

impl Default for Routes {
    fn default() -> Routes {
        Routes::new()
    }
}

impl Routes {
    /// No routes yet.
    pub fn new() -> Routes {
        Routes {
            router: Router::new(),
            rows: Vec::new(),
        }
    }

    /// Adds `handler` at `path` for `methods`, all under `rule`. The methods must be those the
    /// method router answers (the matrix test checks every other method is 405).
    pub fn at(
        mut self,
        path: &'static str,
        rule: Rule,
        methods: &[Method],
        handler: MethodRouter<AppState>,
    ) -> Routes {
        self.router = self.router.route(path, handler);
        for m in methods {
            self.rows.push(RouteRow {
                method: m.clone(),
                path,
                rule,
            });
        }
        self
    }

    /// Adds every route of `other`.
    pub fn merge(mut self, other: Routes) -> Routes {
        self.router = self.router.merge(other.router);
        self.rows.extend(other.rows);
        self
    }

    /// The router and its table.
    pub fn finish(self) -> (Router<AppState>, Vec<RouteRow>) {
        (self.router, self.rows)
    }
}

/// The rule for a matched route and method (HEAD follows GET).
pub fn rule_for(table: &[RouteRow], method: &Method, path: &str) -> Option<Rule> {
    let method = if method == Method::HEAD {
        &Method::GET
    } else {
        method
    };
    table
        .iter()
        .find(|r| r.path == path && r.method == *method)
        .map(|r| r.rule)
}

/// The signed-in state a handler works with: the local app's one person, or on the clinic
/// server the person the request is signed in as (a route under [`Rule::Own`] or stricter
/// never reaches its handler without one).
pub struct Me(pub AppState);

impl FromRequestParts<AppState> for Me {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Me, Response> {
        if let Some(scoped) = parts.extensions.get::<AppState>() {
            return Ok(Me(scoped.clone()));
        }
        if state.clinic().is_none() {
            return Ok(Me(state.clone()));
        }
        Err(sign_in_first(
            parts.uri.path(),
            parts.uri.query(),
            &parts.method,
        ))
    }
}

/// The signed-in state when there is one (public pages that change with it, such as an
/// invitation link opened by someone already signed in).
pub struct MaybeMe(pub Option<AppState>);

impl FromRequestParts<AppState> for MaybeMe {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &AppState,
    ) -> Result<MaybeMe, Self::Rejection> {
        Ok(MaybeMe(parts.extensions.get::<AppState>().cloned()))
    }
}

/// The middleware enforcing the table. On the clinic server it signs the request in (cookie or
/// token), puts the scoped state in the request for [`Me`], and refuses what the rule refuses.
pub async fn authorize(
    State(state): State<AppState>,
    table: axum::Extension<std::sync::Arc<Vec<RouteRow>>>,
    matched: Option<MatchedPath>,
    mut req: Request,
    next: Next,
) -> Response {
    let path = matched.as_ref().map_or("", |m| m.as_str());
    let Some(rule) = rule_for(&table, req.method(), path) else {
        return no_rule(&table, path, req.method());
    };
    let Some(clinic) = state.clinic() else {
        return next.run(req).await;
    };
    let address = client_address(&req);
    let signed = match signed_in(clinic, req.headers(), &address).await {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    if let Err(res) = allowed(rule, signed.as_ref(), &req) {
        return *res;
    }
    let Some(who) = signed else {
        return next.run(req).await;
    };
    // A change to the person's own journal that went through is written to the audit log (the
    // clinic's own actions and the account pages audit themselves, with more detail).
    let writes = rule == Rule::Own && !matches!(*req.method(), Method::GET | Method::HEAD);
    let audit = writes.then(|| (who.clone(), format!("{} {path}", req.method())));
    req.extensions_mut().insert(state.scoped(who));
    let res = next.run(req).await;
    if let Some((who, what)) = audit
        && (res.status().is_success() || res.status().is_redirection())
        && let Err(e) = clinic.audit_own_write(&who, &what).await
    {
        // The change is made and answered as made (an error now would invite the same write
        // again); the missing audit row goes to the server's log, where an operator sees it.
        eprintln!("audit: could not record {what} by {}: {e}", who.account.id);
    }
    res
}

/// A matched path with no rule for this method: 405 with the methods it has (a method the table
/// does not list is never served, even if a handler would answer it); a path with no rule at
/// all is a programming error, refused rather than served unguarded.
fn no_rule(table: &[RouteRow], path: &str, method: &Method) -> Response {
    let mut allow: Vec<&str> = table
        .iter()
        .filter(|r| r.path == path)
        .map(|r| r.method.as_str())
        .collect();
    if allow.is_empty() {
        return WebError::Internal("this route has no access rule".into()).into_response();
    }
    if allow.contains(&"GET") {
        allow.push("HEAD");
    }
    let mut res = crate::respond_error(
        path,
        WebError::MethodNotAllowed(format!("{method} is not answered here")),
    );
    if let Ok(v) = axum::http::HeaderValue::from_str(&allow.join(", ")) {
        res.headers_mut().insert(axum::http::header::ALLOW, v);
    }
    res
}

/// Checks a rule against who is signed in; the refusal as a response.
fn allowed(rule: Rule, who: Option<&Principal>, req: &Request) -> Result<(), Box<Response>> {
    let path = req.uri().path();
    let refuse = |e: WebError| Err(Box::new(crate::respond_error(path, e)));
    if rule == Rule::Public {
        return Ok(());
    }
    let Some(who) = who else {
        return Err(Box::new(sign_in_first(
            path,
            req.uri().query(),
            req.method(),
        )));
    };
    let token = who.scopes.is_some();
    if token && rule == Rule::Account {
        return refuse(WebError::Forbidden(
            "an API token cannot manage sign-in: use the browser".into(),
        ));
    }
    // A FHIR search sent as a form (`POST /fhir/{Type}/_search`) only reads.
    let fhir_search = *req.method() == Method::POST
        && crate::fhir::is_fhir_path(path)
        && path.ends_with("/_search");
    let writes = !matches!(*req.method(), Method::GET | Method::HEAD) && !fhir_search;
    if writes && !who.may_write() {
        return refuse(WebError::Forbidden("this API token may only read".into()));
    }
    if rule != Rule::Account && needs_second_factor(who) {
        if for_programs(path) {
            return refuse(WebError::Forbidden(
                "staff must set up a second factor before anything else (Account page)".into(),
            ));
        }
        return Err(Box::new(crate::pages::see_other("/account/second-factor")));
    }
    if token && rule == Rule::Staff {
        return refuse(WebError::Forbidden(
            "API tokens reach only your own journal; clinic pages need a browser session".into(),
        ));
    }
    if rule == Rule::Staff && !who.is_staff() {
        return refuse(WebError::NotFound("nothing here".into()));
    }
    Ok(())
}

/// True for a member of staff whose role requires a second factor and whose session has not
/// passed one (they set it up first).
pub fn needs_second_factor(who: &Principal) -> bool {
    who.second_factor_pending()
}

/// Signs a request in from its `Authorization: Bearer` token, or else its session cookie.
async fn signed_in(
    clinic: &unknot_app::clinic::ClinicApp,
    headers: &HeaderMap,
    address: &str,
) -> Result<Option<Principal>, WebError> {
    if let Some(auth) = headers.get(header::AUTHORIZATION) {
        let token = auth
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .unwrap_or_default();
        let who = clinic.from_token(token, address).await?;
        return match who {
            Some(p) => Ok(Some(p)),
            None => Err(WebError::Unauthorized(
                "that API token is not valid (revoked, or never issued)".into(),
            )),
        };
    }
    match cookie(headers, SESSION_COOKIE) {
        Some(token) => Ok(clinic.from_session(&token, address).await?),
        None => Ok(None),
    }
}

/// A cookie's value from the request's `Cookie` headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The address a request came from: the connection's peer, or, behind a reverse proxy this
/// server was told to trust, the last address the proxy added to `X-Forwarded-For`.
pub fn client_address(req: &Request) -> String {
    address_from(req.extensions(), req.headers())
}

fn address_from(extensions: &axum::http::Extensions, headers: &HeaderMap) -> String {
    let peer = extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_default();
    let trust = extensions
        .get::<crate::serve::TrustProxy>()
        .is_some_and(|t| t.0);
    if trust
        && let Some(forwarded) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
    {
        return forwarded.trim().chars().take(64).collect();
    }
    peer
}

/// Where a request came from (address and browser), for handlers that sign people in.
pub struct Client(pub unknot_app::clinic::Origin);

impl FromRequestParts<AppState> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &AppState,
    ) -> Result<Client, Self::Rejection> {
        let address = address_from(&parts.extensions, &parts.headers);
        Ok(Client(crate::clinic::origin(&address, &parts.headers)))
    }
}

/// Not signed in: the API says 401; a page asks to sign in and comes back after.
fn sign_in_first(path: &str, query: Option<&str>, method: &Method) -> Response {
    if for_programs(path) || method != Method::GET {
        let mut res = crate::respond_error(path, WebError::Unauthorized("sign in first".into()));
        if for_programs(path) {
            res.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer realm=\"unknot\""),
            );
        }
        return res;
    }
    let back = match query {
        Some(q) => format!("{path}?{q}"),
        None => path.to_string(),
    };
    let to = format!("/sign-in?next={}", percent(&back));
    (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()
}

/// True for the paths programs call (the JSON API and the FHIR API): they are answered with a
/// status and a body, never sent to a page.
fn for_programs(path: &str) -> bool {
    path.starts_with("/api/") || crate::fhir::is_fhir_path(path)
}

/// Percent-encodes everything but unreserved characters and `/` (for a `next=` parameter).
pub fn percent(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

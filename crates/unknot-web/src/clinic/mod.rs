//! The clinic server's own pages and endpoints: signing in (password with a second factor, or a
//! passkey), invitation links, the account page (sessions, second factor, passkeys, API tokens,
//! care relationships, who looked at the record, download and erase), and the staff's pages
//! (patients, invitations, a patient's record and a read-only preview, staff, the audit log).
//! Every operation is the application layer's (`unknot_app::clinic`); these handlers read the
//! request, call it and draw the answer.

mod account;
mod builder;
mod exercise_form;
mod exercises;
mod handout;
mod invite;
mod messages;
mod passkey;
mod sign_in;
mod staff;
mod work;

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use unknot_app::clinic::{ClinicApp, Origin, Principal, SignedIn};

use crate::{AppState, WebError};

use crate::access::{Routes, SESSION_COOKIE};

/// The clinic's routes, added to the local app's on the clinic server.
pub fn routes() -> Routes {
    Routes::new()
        .merge(sign_in::routes())
        .merge(passkey::routes())
        .merge(invite::routes())
        .merge(account::routes())
        .merge(staff::routes())
        .merge(work::routes())
        .merge(exercises::routes())
        .merge(messages::routes())
        .merge(handout::routes())
}

/// The clinic server and the signed-in person, or "sign in first" (the access rules already
/// let only signed-in people reach the handlers that ask).
pub(crate) fn signed(state: &AppState) -> Result<(&ClinicApp, &Principal), WebError> {
    match (state.clinic(), state.principal()) {
        (Some(c), Some(p)) => Ok((c, p)),
        _ => Err(WebError::Unauthorized("sign in first".into())),
    }
}

/// A form that carries only its CSRF token (a button that does one thing).
#[derive(serde::Deserialize)]
pub(crate) struct TokenOnly {
    pub(crate) csrf: Option<String>,
}

/// Where a request came from, for the rate limits, sessions and the audit log.
pub(crate) fn origin(address: &str, headers: &HeaderMap) -> Origin {
    Origin {
        address: address.to_string(),
        agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .chars()
            .take(200)
            .collect(),
    }
}

/// Sets the session cookie on a response: `__Host-` (secure, whole site, this host only),
/// HttpOnly (no script reads it), SameSite=Lax (not sent on another site's form posts), for
/// as long as the session may last.
pub(crate) fn set_session(res: &mut Response, signed: &SignedIn) {
    let seconds = signed
        .session
        .expires
        .duration_since(signed.session.created)
        .as_secs()
        .max(0);
    let value = format!(
        "{SESSION_COOKIE}={}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age={seconds}",
        signed.token
    );
    if let Ok(v) = HeaderValue::from_str(&value) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// Clears the session cookie.
pub(crate) fn clear_session(res: &mut Response) {
    let value = format!("{SESSION_COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0");
    if let Ok(v) = HeaderValue::from_str(&value) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// A `next=` target that stays on this site: a path beginning with one `/`.
pub(crate) fn safe_next(next: Option<&str>) -> String {
    match next {
        // Browsers drop tabs and newlines inside a URL, so "/<tab>/evil.example" would become
        // "//evil.example": any control character or space sends the person home instead.
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && n.len() <= 2000
                && !n.chars().any(|c| c.is_control() || c.is_whitespace()) =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

/// An SVG from the application (a QR code), ready to put in a page: the XML prologue dropped.
pub(crate) fn inline_svg(svg: &str) -> String {
    match svg.find("<svg") {
        Some(i) => svg[i..].to_string(),
        None => String::new(),
    }
}

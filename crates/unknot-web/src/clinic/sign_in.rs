//! Signing in and out: a password (then the authenticator code, when the account has a second
//! factor), and the page passkeys start from. The sign-in forms carry no form token (there is
//! no session yet); the cross-site check refuses another site's posts, and a fresh random
//! session is made at every sign-in, so a session id planted before cannot be carried over.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use unknot_app::clinic::Login;

use super::{clear_session, safe_next, set_session};
use crate::access::{Client, MaybeMe, Me, Routes, Rule};
use crate::pages::{Layout, PageResult, render, see_other};
use crate::security::check_form_token;
use crate::{AppState, WebError};

pub fn routes() -> Routes {
    Routes::new()
        .at(
            "/sign-in",
            Rule::Public,
            &[Method::GET, Method::POST],
            get(form).post(sign_in),
        )
        .at("/sign-in/code", Rule::Public, &[Method::POST], post(code))
        .at("/sign-out", Rule::Account, &[Method::POST], post(sign_out))
}

#[derive(Template)]
#[template(path = "clinic/sign_in.html")]
struct SignInPage {
    layout: Layout,
    next: String,
    login: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "clinic/code.html")]
struct CodePage {
    layout: Layout,
    next: String,
    /// The sign-in name typed on the first step, to fill it in again if the code is refused.
    login: String,
    pending: String,
    error: Option<String>,
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

async fn form(
    State(state): State<AppState>,
    MaybeMe(me): MaybeMe,
    Query(q): Query<NextQuery>,
) -> Response {
    let next = safe_next(q.next.as_deref());
    if me.is_some() {
        return see_other(&next);
    }
    render(&SignInPage {
        layout: Layout::plain(Some(&state), "Sign in", ""),
        next,
        login: String::new(),
        error: None,
    })
}

#[derive(Deserialize)]
struct SignInForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

async fn sign_in(
    State(state): State<AppState>,
    Client(from): Client,
    Form(f): Form<SignInForm>,
) -> Response {
    let next = safe_next(f.next.as_deref());
    let Some(clinic) = state.clinic() else {
        return WebError::NotFound("nothing here".into()).into_response();
    };
    match clinic.login(&f.login, &f.password, &from).await {
        Ok(Login::Done(signed)) => {
            let mut res = see_other(&next);
            set_session(&mut res, &signed);
            res
        }
        Ok(Login::SecondFactor { pending }) => render(&CodePage {
            layout: Layout::plain(Some(&state), "Your code", ""),
            next,
            login: f.login.clone(),
            pending,
            error: None,
        }),
        Err(e) => {
            let e = WebError::from(e);
            refused_with(
                &e,
                render(&SignInPage {
                    layout: Layout::plain(Some(&state), "Sign in", ""),
                    next,
                    login: f.login.chars().take(254).collect(),
                    error: Some(e.to_string()),
                }),
            )
        }
    }
}

#[derive(Deserialize)]
struct CodeForm {
    #[serde(default)]
    pending: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    login: String,
    next: Option<String>,
}

async fn code(
    State(state): State<AppState>,
    Client(from): Client,
    Form(f): Form<CodeForm>,
) -> Response {
    let next = safe_next(f.next.as_deref());
    let Some(clinic) = state.clinic() else {
        return WebError::NotFound("nothing here".into()).into_response();
    };
    match clinic.login_second_factor(&f.pending, &f.code, &from).await {
        Ok(signed) => {
            let mut res = see_other(&next);
            set_session(&mut res, &signed);
            res
        }
        // The half-done sign-in is used up either way: start again from the password.
        Err(e) => {
            let e = WebError::from(e);
            refused_with(
                &e,
                render(&SignInPage {
                    layout: Layout::plain(Some(&state), "Sign in", ""),
                    next,
                    login: f.login.chars().take(254).collect(),
                    error: Some(e.to_string()),
                }),
            )
        }
    }
}

/// A page drawn again with the refusal's status (and `Retry-After` when rate limited or when
/// the database is out of reach for a moment).
pub(crate) fn refused_with(e: &WebError, mut res: Response) -> Response {
    *res.status_mut() = e.status();
    if e.status() == StatusCode::SERVICE_UNAVAILABLE {
        res.headers_mut().insert(
            axum::http::header::RETRY_AFTER,
            axum::http::HeaderValue::from_static(crate::error::RETRY_AFTER_SECONDS),
        );
    }
    crate::error::mark_outage(e, &mut res);
    if let WebError::TooMany(_, seconds) = e {
        res.headers_mut().insert(
            axum::http::header::RETRY_AFTER,
            axum::http::HeaderValue::from(*seconds),
        );
    }
    res
}

#[derive(Deserialize)]
struct TokenForm {
    csrf: Option<String>,
}

async fn sign_out(Me(state): Me, Form(f): Form<TokenForm>) -> PageResult {
    check_form_token(&state, f.csrf.as_deref())?;
    if let (Some(clinic), Some(who)) = (state.clinic(), state.principal()) {
        clinic.sign_out(who).await?;
    }
    let mut res = see_other("/sign-in");
    clear_session(&mut res);
    Ok(res)
}

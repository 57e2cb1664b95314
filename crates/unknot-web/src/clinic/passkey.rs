//! The passkey ceremonies as JSON endpoints for the page's script (`assets/passkey.js`): each
//! has a begin (the options for the browser) and a finish (the browser's answer). They sit
//! under `/api/`, so the cross-site rule requires JSON, which another site cannot send.

use axum::Json;
use axum::extract::State;
use axum::http::Method;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde::Deserialize;
use serde_json::json;

use super::{safe_next, set_session};
use crate::access::{Client, Me, Routes, Rule};
use crate::{AppState, WebError};

pub fn routes() -> Routes {
    Routes::new()
        .at(
            "/api/v1/auth/passkey/sign-in/begin",
            Rule::Public,
            &[Method::POST],
            post(sign_in_begin),
        )
        .at(
            "/api/v1/auth/passkey/sign-in/finish",
            Rule::Public,
            &[Method::POST],
            post(sign_in_finish),
        )
        .at(
            "/api/v1/auth/passkey/invite/begin",
            Rule::Public,
            &[Method::POST],
            post(invite_begin),
        )
        .at(
            "/api/v1/auth/passkey/add/begin",
            Rule::Account,
            &[Method::POST],
            post(add_begin),
        )
        .at(
            "/api/v1/auth/passkey/register/finish",
            Rule::Public,
            &[Method::POST],
            post(register_finish),
        )
}

fn clinic(state: &AppState) -> Result<&unknot_app::clinic::ClinicApp, WebError> {
    state
        .clinic()
        .ok_or_else(|| WebError::NotFound("nothing here".into()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Begin {
    #[serde(default)]
    login: String,
    #[serde(default)]
    token: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Finish {
    pending: String,
    credential: serde_json::Value,
    #[serde(default)]
    name: String,
    next: Option<String>,
}

async fn sign_in_begin(
    State(state): State<AppState>,
    Client(from): Client,
    Json(b): Json<Begin>,
) -> Result<Response, WebError> {
    let ceremony = clinic(&state)?.passkey_login_begin(&b.login, &from).await?;
    Ok(Json(ceremony).into_response())
}

async fn sign_in_finish(
    State(state): State<AppState>,
    Client(from): Client,
    Json(f): Json<Finish>,
) -> Result<Response, WebError> {
    let answer = f.credential.to_string();
    let signed = clinic(&state)?
        .passkey_login_finish(&f.pending, &answer, &from)
        .await?;
    let mut res = Json(json!({ "next": safe_next(f.next.as_deref()) })).into_response();
    set_session(&mut res, &signed);
    Ok(res)
}

async fn invite_begin(
    State(state): State<AppState>,
    Client(from): Client,
    Json(b): Json<Begin>,
) -> Result<Response, WebError> {
    let ceremony = clinic(&state)?
        .invite_passkey_begin(&b.token, &b.login, &from)
        .await?;
    Ok(Json(ceremony).into_response())
}

async fn add_begin(Me(state): Me) -> Result<Response, WebError> {
    let who = state
        .principal()
        .ok_or_else(|| WebError::Unauthorized("sign in first".into()))?;
    let ceremony = clinic(&state)?.passkey_begin(who).await?;
    Ok(Json(ceremony).into_response())
}

async fn register_finish(
    State(state): State<AppState>,
    Client(from): Client,
    Json(f): Json<Finish>,
) -> Result<Response, WebError> {
    let answer = f.credential.to_string();
    let signed = clinic(&state)?
        .passkey_finish(&f.pending, &answer, &f.name, &from)
        .await?;
    match signed {
        // An invitation accepted: signed in from now on.
        Some(s) => {
            let mut res = Json(json!({ "next": "/" })).into_response();
            set_session(&mut res, &s);
            Ok(res)
        }
        None => Ok(Json(json!({ "next": "/account?done=passkey" })).into_response()),
    }
}

//! An invitation link: the page says which clinic invited whom, and the person accepts by
//! choosing a passkey (on a phone, the quickest) or a sign-in name and password. Someone who
//! already has an account here accepts by signing in first, and keeps their one journal.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::Method;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use unknot_app::clinic::InviteView;
use unknot_core::clinic::model::InviteKind;

use super::set_session;
use super::sign_in::refused_with;
use crate::access::{Client, MaybeMe, Me, Routes, Rule, percent};
use crate::pages::{Layout, PageResult, render, see_other};
use crate::security::check_form_token;
use crate::{AppState, WebError};

pub fn routes() -> Routes {
    Routes::new()
        .at(
            "/invite/{token}",
            Rule::Public,
            &[Method::GET, Method::POST],
            get(show).post(accept),
        )
        .at(
            "/invite/{token}/join",
            Rule::Account,
            &[Method::POST],
            post(join),
        )
}

#[derive(Template)]
#[template(path = "clinic/invite.html")]
struct InvitePage {
    layout: Layout,
    token: String,
    view: InviteView,
    staff: bool,
    /// The name of whoever is signed in on this browser, when someone is.
    signed_in_as: Option<String>,
    login: String,
    error: Option<String>,
}

fn clinic(state: &AppState) -> Result<&unknot_app::clinic::ClinicApp, WebError> {
    state
        .clinic()
        .ok_or_else(|| WebError::NotFound("nothing here".into()))
}

fn page(
    state: &AppState,
    me: Option<&AppState>,
    token: String,
    view: InviteView,
    login: String,
    error: Option<String>,
) -> InvitePage {
    let csrf = me.map(AppState::csrf).unwrap_or_default();
    InvitePage {
        layout: Layout::plain(me.or(Some(state)), "Your invitation", csrf),
        staff: view.kind == InviteKind::Staff,
        signed_in_as: me
            .and_then(AppState::principal)
            .map(|p| p.account.display_name.clone()),
        token,
        view,
        login,
        error,
    }
}

async fn show(
    State(state): State<AppState>,
    MaybeMe(me): MaybeMe,
    Client(from): Client,
    Path(token): Path<String>,
) -> Result<Response, crate::pages::PageError> {
    let view = clinic(&state)?.invitation(&token, &from).await?;
    let login = view.login.clone().unwrap_or_default();
    Ok(render(&page(&state, me.as_ref(), token, view, login, None)))
}

#[derive(Deserialize)]
struct AcceptForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
}

async fn accept(
    State(state): State<AppState>,
    MaybeMe(me): MaybeMe,
    Client(from): Client,
    Path(token): Path<String>,
    Form(f): Form<AcceptForm>,
) -> Result<Response, crate::pages::PageError> {
    let clinic = clinic(&state)?;
    match clinic
        .accept_with_password(&token, &f.login, &f.password, &from)
        .await
    {
        Ok(signed) => {
            let staff = !signed_in_roles(clinic, &signed.session.account_id).await?;
            let mut res = see_other(if staff { "/account/second-factor" } else { "/" });
            set_session(&mut res, &signed);
            Ok(res)
        }
        Err(e) => {
            let e = WebError::from(e);
            // Draw the page again with the message; an expired link has no page to draw.
            let view = match clinic.invitation(&token, &from).await {
                Ok(v) => v,
                Err(_) => return Err(e.into()),
            };
            let login = f.login.chars().take(254).collect();
            let res = render(&page(
                &state,
                me.as_ref(),
                token,
                view,
                login,
                Some(e.to_string()),
            ));
            Ok(refused_with(&e, res))
        }
    }
}

/// True when the account is a patient only (staff are sent on to set up a second factor).
async fn signed_in_roles(
    clinic: &unknot_app::clinic::ClinicApp,
    account: &str,
) -> Result<bool, WebError> {
    Ok(clinic.holds_no_role(account).await?)
}

#[derive(Deserialize)]
struct JoinForm {
    csrf: Option<String>,
}

async fn join(Me(state): Me, Path(token): Path<String>, Form(f): Form<JoinForm>) -> PageResult {
    check_form_token(&state, f.csrf.as_deref())?;
    let (Some(clinic), Some(who)) = (state.clinic(), state.principal()) else {
        return Err(WebError::Unauthorized("sign in first".into()).into());
    };
    clinic.accept_signed_in(who, &token).await?;
    Ok(see_other("/account?done=joined"))
}

/// The sign-in page that comes back to this invitation afterwards.
pub(crate) fn sign_in_then(token: &str) -> String {
    format!("/sign-in?next={}", percent(&format!("/invite/{token}")))
}

impl InvitePage {
    fn sign_in_link(&self) -> String {
        sign_in_then(&self.token)
    }

    fn expires(&self) -> String {
        self.view.expires.strftime("%-d %B %Y").to_string()
    }
}

//! The account page: who you are signed in as, your sessions (end any of them), your second
//! factor, passkeys and API tokens, your password, the clinics you are under (end any), who
//! looked at your record, your downloads, and erasing the account.

use askama::Template;
use axum::Form;
use axum::extract::Query;
use axum::http::Method;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use unknot_app::clinic::StoredPasskey;
use unknot_app::clinic::{AccessLine, MyCare, Principal, TotpSetup};
use unknot_core::clinic::model::{ApiToken, AuthSession};

use super::sign_in::refused_with;
use super::signed;
use super::{clear_session, inline_svg, set_session};
use crate::access::{Me, Routes, Rule, needs_second_factor};
use crate::pages::{Layout, PageResult, render, see_other};
use crate::security::check_form_token;
use crate::{AppState, WebError};

pub fn routes() -> Routes {
    Routes::new()
        .at("/account", Rule::Account, &[Method::GET], get(account))
        .at(
            "/account/second-factor",
            Rule::Account,
            &[Method::GET, Method::POST],
            get(totp_form).post(totp_confirm),
        )
        .at(
            "/account/password",
            Rule::Account,
            &[Method::POST],
            post(password),
        )
        .at(
            "/account/sessions/end",
            Rule::Account,
            &[Method::POST],
            post(end_session),
        )
        .at(
            "/account/tokens",
            Rule::Account,
            &[Method::POST],
            post(new_token),
        )
        .at(
            "/account/tokens/revoke",
            Rule::Account,
            &[Method::POST],
            post(revoke_token),
        )
        .at(
            "/account/passkeys/remove",
            Rule::Account,
            &[Method::POST],
            post(remove_passkey),
        )
        .at(
            "/account/care/end",
            Rule::Account,
            &[Method::POST],
            post(end_care),
        )
        .at(
            "/account/erase",
            Rule::Account,
            &[Method::POST],
            post(erase),
        )
}

/// A session as listed.
struct SessionRow {
    id: String,
    this: bool,
    started: String,
    last: String,
    from: String,
}

#[derive(Template)]
#[template(path = "clinic/account.html")]
struct AccountPage {
    layout: Layout,
    message: Option<String>,
    error: Option<String>,
    name: String,
    login: String,
    /// False for someone who set up with a passkey only: the form then adds a password.
    has_password: bool,
    staff: bool,
    second_factor: bool,
    must_set_second_factor: bool,
    sessions: Vec<SessionRow>,
    passkeys: Vec<(String, String, String)>,
    tokens: Vec<(String, String, String, String)>,
    new_token: Option<String>,
    care: Vec<MyCare>,
    access: Vec<AccessLine>,
}

fn when(t: jiff::Timestamp, zone: &jiff::tz::TimeZone) -> String {
    t.to_zoned(zone.clone())
        .strftime("%-d %b %Y %H:%M")
        .to_string()
}

fn session_rows(
    list: &[AuthSession],
    who: &Principal,
    zone: &jiff::tz::TimeZone,
) -> Vec<SessionRow> {
    let this = who.session.as_ref().map(|s| s.id_hash.as_str());
    list.iter()
        .map(|s| SessionRow {
            id: s.id_hash.clone(),
            this: Some(s.id_hash.as_str()) == this,
            started: when(s.created, zone),
            last: when(s.last_seen, zone),
            from: format!("{} · {}", s.address, browser_name(&s.agent)),
        })
        .collect()
}

/// A browser's name and system in words ("Chrome on Android"), from its User-Agent; a
/// person recognises their own devices by these, not by the whole string.
fn browser_name(agent: &str) -> String {
    let has = |s: &str| agent.contains(s);
    let browser = if has("Edg/") {
        "Edge"
    } else if has("Firefox/") {
        "Firefox"
    } else if has("Chrome/") || has("CriOS/") {
        "Chrome"
    } else if has("Safari/") {
        "Safari"
    } else {
        ""
    };
    let system = if has("Android") {
        "Android"
    } else if has("iPhone") || has("iPad") {
        "iOS"
    } else if has("Windows") {
        "Windows"
    } else if has("Mac OS X") || has("Macintosh") {
        "macOS"
    } else if has("Linux") {
        "Linux"
    } else {
        ""
    };
    match (browser, system) {
        ("", "") if agent.trim().is_empty() => "an unknown browser".to_string(),
        ("", "") => agent
            .split_whitespace()
            .next()
            .unwrap_or("")
            .chars()
            .take(40)
            .collect(),
        (b, "") => b.to_string(),
        ("", s) => format!("a browser on {s}"),
        (b, s) => format!("{b} on {s}"),
    }
}

fn token_rows(
    list: &[ApiToken],
    zone: &jiff::tz::TimeZone,
) -> Vec<(String, String, String, String)> {
    list.iter()
        .filter(|t| t.revoked.is_none())
        .map(|t| {
            (
                t.id.clone(),
                t.name.clone(),
                t.scopes.join(" "),
                t.last_used
                    .map_or_else(|| "never".to_string(), |u| when(u, zone)),
            )
        })
        .collect()
}

fn passkey_rows(
    list: &[StoredPasskey],
    zone: &jiff::tz::TimeZone,
) -> Vec<(String, String, String)> {
    list.iter()
        .map(|p| (p.id.clone(), p.name.clone(), when(p.created, zone)))
        .collect()
}

async fn page(
    state: &AppState,
    message: Option<String>,
    error: Option<String>,
) -> Result<AccountPage, WebError> {
    let (clinic, who) = signed(state)?;
    let zone = state.now().await?.time_zone().clone();
    let second_factor = clinic.second_factor_on(who).await?;
    Ok(AccountPage {
        layout: Layout::new(state, "Account", "account").await?,
        message,
        error,
        name: who.account.display_name.clone(),
        login: who.account.email.clone().unwrap_or_default(),
        has_password: who.account.password_hash.is_some(),
        staff: who.is_staff(),
        second_factor,
        must_set_second_factor: needs_second_factor(who),
        sessions: session_rows(&clinic.sessions(who).await?, who, &zone),
        passkeys: passkey_rows(&clinic.passkey_list(who).await?, &zone),
        tokens: token_rows(&clinic.tokens(who).await?, &zone),
        new_token: None,
        care: clinic.my_care(who).await?,
        access: clinic.access_log(who, 50).await?,
    })
}

#[derive(Deserialize)]
struct DoneQuery {
    done: Option<String>,
}

fn done_words(done: Option<&str>) -> Option<String> {
    let words = match done? {
        "password" => "Password changed. Every other session has been signed out.",
        "passkey" => "Passkey added.",
        "joined" => "Invitation accepted: the clinic can now see your journal.",
        "session" => "That session is signed out.",
        "token" => "Token revoked.",
        "care" => "Ended: that clinic no longer sees your journal.",
        "removed" => "Passkey removed.",
        _ => return None,
    };
    Some(words.to_string())
}

async fn account(Me(state): Me, Query(q): Query<DoneQuery>) -> PageResult {
    Ok(render(
        &page(&state, done_words(q.done.as_deref()), None).await?,
    ))
}

/// Draws the account page again with a refusal.
async fn refused_page(state: &AppState, e: WebError) -> PageResult {
    let shown = page(state, None, Some(e.to_string())).await?;
    Ok(refused_with(&e, render(&shown)))
}

#[derive(Template)]
#[template(path = "clinic/second_factor.html")]
struct SecondFactorPage {
    layout: Layout,
    setup: Option<TotpSetup>,
    qr: String,
    recovery: Vec<String>,
    error: Option<String>,
}

async fn totp_form(Me(state): Me) -> PageResult {
    let (clinic, who) = signed(&state)?;
    let enabled = clinic.second_factor_on(who).await?;
    let setup = if enabled {
        None
    } else {
        Some(clinic.totp_begin(who).await?)
    };
    Ok(render(&SecondFactorPage {
        layout: Layout::new(&state, "Second factor", "account").await?,
        qr: setup
            .as_ref()
            .map(|s| inline_svg(&s.qr_svg))
            .unwrap_or_default(),
        setup,
        recovery: Vec::new(),
        error: None,
    }))
}

#[derive(Deserialize)]
struct CodeForm {
    csrf: Option<String>,
    #[serde(default)]
    code: String,
}

async fn totp_confirm(Me(state): Me, Form(f): Form<CodeForm>) -> PageResult {
    check_form_token(&state, f.csrf.as_deref())?;
    let (clinic, who) = signed(&state)?;
    match clinic.totp_confirm(who, &f.code).await {
        Ok(recovery) => Ok(render(&SecondFactorPage {
            layout: Layout::new(&state, "Second factor", "account").await?,
            setup: None,
            qr: String::new(),
            recovery,
            error: None,
        })),
        Err(e) => {
            // While setting up, the same secret is shown again (the app may hold it already); a
            // factor already on is never touched by a wrong code.
            let e = WebError::from(e);
            let enabled = clinic.second_factor_on(who).await?;
            let setup = if enabled {
                None
            } else {
                Some(clinic.totp_begin(who).await?)
            };
            let res = render(&SecondFactorPage {
                layout: Layout::new(&state, "Second factor", "account").await?,
                qr: setup
                    .as_ref()
                    .map(|s| inline_svg(&s.qr_svg))
                    .unwrap_or_default(),
                setup,
                recovery: Vec::new(),
                error: Some(e.to_string()),
            });
            Ok(refused_with(&e, res))
        }
    }
}

#[derive(Deserialize)]
struct PasswordForm {
    csrf: Option<String>,
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
}

async fn password(Me(state): Me, Form(f): Form<PasswordForm>) -> PageResult {
    check_form_token(&state, f.csrf.as_deref())?;
    let (clinic, who) = signed(&state)?;
    match clinic.change_password(who, &f.current, &f.new).await {
        Ok(fresh) => {
            let mut res = see_other("/account?done=password");
            set_session(&mut res, &fresh);
            Ok(res)
        }
        Err(e) => refused_page(&state, e.into()).await,
    }
}

#[derive(Deserialize)]
struct IdForm {
    csrf: Option<String>,
    #[serde(default)]
    id: String,
}

async fn end_session(Me(state): Me, Form(f): Form<IdForm>) -> PageResult {
    check_form_token(&state, f.csrf.as_deref())?;
    let (clinic, who) = signed(&state)?;
    clinic.revoke_session(who, &f.id).await?;
    let this = who.session.as_ref().is_some_and(|s| s.id_hash == f.id);
    if this {
        let mut res = see_other("/sign-in");
        clear_session(&mut res);
        return Ok(res);
    }
    Ok(see_other("/account?done=session"))
}

#[derive(Deserialize)]
struct TokenForm {
    csrf: Option<String>,
    #[serde(default)]
    name: String,
    write: Option<String>,
}

async fn new_token(Me(state): Me, Form(f): Form<TokenForm>) -> PageResult {
    check_form_token(&state, f.csrf.as_deref())?;
    let (clinic, who) = signed(&state)?;
    match clinic.create_token(who, &f.name, f.write.is_some()).await {
        Ok((token, _)) => {
            let mut shown = page(
                &state,
                Some("Token made. Copy it now: it is shown only this once.".into()),
                None,
            )
            .await?;
            shown.new_token = Some(token);
            let mut res = render(&shown);
            res.headers_mut().insert(
                axum::http::header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("no-store"),
            );
            Ok(res)
        }
        Err(e) => refused_page(&state, e.into()).await,
    }
}

async fn revoke_token(Me(state): Me, Form(f): Form<IdForm>) -> PageResult {
    check_form_token(&state, f.csrf.as_deref())?;
    let (clinic, who) = signed(&state)?;
    clinic.revoke_token(who, &f.id).await?;
    Ok(see_other("/account?done=token"))
}

async fn remove_passkey(Me(state): Me, Form(f): Form<IdForm>) -> PageResult {
    check_form_token(&state, f.csrf.as_deref())?;
    let (clinic, who) = signed(&state)?;
    clinic.passkey_remove(who, &f.id).await?;
    Ok(see_other("/account?done=removed"))
}

async fn end_care(Me(state): Me, Form(f): Form<IdForm>) -> PageResult {
    check_form_token(&state, f.csrf.as_deref())?;
    let (clinic, who) = signed(&state)?;
    clinic.end_care(who, &f.id).await?;
    Ok(see_other("/account?done=care"))
}

#[derive(Deserialize)]
struct EraseForm {
    csrf: Option<String>,
    #[serde(default)]
    confirm: String,
}

#[derive(Template)]
#[template(path = "clinic/erased.html")]
struct ErasedPage {
    layout: Layout,
}

async fn erase(Me(state): Me, Form(f): Form<EraseForm>) -> PageResult {
    check_form_token(&state, f.csrf.as_deref())?;
    let (clinic, who) = signed(&state)?;
    if let Err(e) = clinic.erase_me(who, &f.confirm).await {
        return refused_page(&state, e.into()).await;
    }
    let mut res: Response = render(&ErasedPage {
        layout: Layout {
            who: None,
            ..Layout::plain(Some(&state), "Account erased", "")
        },
    });
    clear_session(&mut res);
    Ok(res)
}

//! Signing in and staying signed in: passwords (with a TOTP second factor, required of
//! clinicians and owners), sessions with idle and absolute timeouts, signing out one or every
//! session, changing a password (which ends every session), personal API tokens, and the rate
//! limits on every attempt.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use unknot_core::clinic::access::Decision;
use unknot_core::clinic::model::{Account, ApiToken, AuthSession};
use unknot_core::clinic::secrets::token_hash;

use super::secrets::{check_password, hash_password, random_token, verify_password};
use super::{ClinicApp, Principal, login_name};
use crate::{AppError, AppResult};

/// A session just made: the token for the cookie (shown once) and the stored session.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// The value to put in the session cookie.
    pub token: String,
    /// The session.
    pub session: AuthSession,
}

/// What a password sign-in gave.
#[derive(Debug, Clone)]
pub enum Login {
    /// Signed in.
    Done(SignedIn),
    /// The password was right; now the second factor. `pending` names the half-done sign-in.
    SecondFactor {
        /// Token for the unfinished step (kept a few minutes).
        pending: String,
    },
}

/// A second factor being set up: the secret to enter by hand, the `otpauth://` link, and the
/// same as a QR code (SVG).
#[derive(Debug, Clone, Serialize)]
pub struct TotpSetup {
    /// The secret in base32, for typing into an app.
    pub secret: String,
    /// The `otpauth://` link an authenticator app reads.
    pub url: String,
    /// The link as a QR code, SVG.
    pub qr_svg: String,
}

/// Where a request came from, for sessions and the audit log.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    /// The network address.
    pub address: String,
    /// The browser (User-Agent), cut short.
    pub agent: String,
}

/// What a half-done sign-in remembers between the password and the code.
#[derive(Debug, Serialize, Deserialize)]
struct HalfDone {
    account: String,
    agent: String,
}

const SECOND_FACTOR: &str = "second_factor";
/// How long the second-factor step waits for the code.
const HALF_DONE_MINUTES: i64 = 5;

impl ClinicApp {
    /// Counts an attempt against `bucket`; refuses with the seconds to wait when over.
    pub(crate) async fn limit(&self, bucket: &str) -> AppResult<()> {
        let c = &self.config;
        self.limit_with(bucket, c.login_window, c.login_attempts)
            .await
    }

    /// Counts one attempt on `bucket`, refusing past `attempts` in each `window`.
    pub(crate) async fn limit_with(
        &self,
        bucket: &str,
        window: SignedDuration,
        attempts: i64,
    ) -> AppResult<()> {
        let window = window.as_millis() as i64;
        match self
            .app
            .store()
            .hit(bucket, window, attempts, self.now())
            .await?
        {
            Ok(()) => Ok(()),
            Err(l) => Err(AppError::RateLimited(
                u64::try_from((l.retry_after_ms + 999) / 1000)
                    .unwrap_or(1)
                    .max(1),
            )),
        }
    }

    /// Signs in with a sign-in name (email) and password. Wrong or unknown gives one vague
    /// answer, after the same work; both the address and the account are rate limited.
    pub async fn login(&self, login: &str, password: &str, from: &Origin) -> AppResult<Login> {
        self.limit(&format!("login:address:{}", from.address))
            .await?;
        let name = login_name(login).unwrap_or_default();
        self.limit(&format!("login:account:{name}")).await?;
        let account = self.app.store().account_by_email(&name).await?;
        let hash = account
            .as_ref()
            .and_then(|a| a.password_hash.clone())
            .unwrap_or_else(|| self.decoy.to_string());
        let right = verify_password(password, &hash).await;
        let Some(account) = account.filter(|a| right && a.password_hash.is_some()) else {
            self.audit_event("anonymous", None, None, "sign_in", &name, from, "refused")
                .await?;
            return Err(AppError::Credentials(
                "that sign-in name and password do not match an account".into(),
            ));
        };
        self.app
            .store()
            .clear_hits(&format!("login:account:{name}"))
            .await?;
        if account.totp_enabled {
            let pending = random_token(32)?;
            let half = HalfDone {
                account: account.id.clone(),
                agent: from.agent.clone(),
            };
            let body = serde_json::to_string(&half).map_err(AppError::internal)?;
            let expires = self.now() + SignedDuration::from_mins(HALF_DONE_MINUTES);
            self.app
                .store()
                .put_pending(
                    &token_hash(&pending),
                    Some(&account.id),
                    SECOND_FACTOR,
                    &body,
                    expires,
                )
                .await?;
            return Ok(Login::SecondFactor { pending });
        }
        let signed = self.start_session(&account, false, from).await?;
        Ok(Login::Done(signed))
    }

    /// Finishes a sign-in with a code from the authenticator app (or a recovery code).
    pub async fn login_second_factor(
        &self,
        pending: &str,
        code: &str,
        from: &Origin,
    ) -> AppResult<SignedIn> {
        self.limit(&format!("second_factor:address:{}", from.address))
            .await?;
        let taken = self
            .app
            .store()
            .take_pending(&token_hash(pending), SECOND_FACTOR, self.now())
            .await?;
        let Some((_, body)) = taken else {
            return Err(AppError::Expired(
                "that sign-in took too long: start again with your password".into(),
            ));
        };
        let half: HalfDone = serde_json::from_str(&body).map_err(AppError::internal)?;
        let account = self.account_or_gone(&half.account).await?;
        // Guesses at the code are counted against the account, whatever address they come
        // from, and over an hour: someone who has the password could otherwise sign in again
        // and again from many addresses, each time with one more guess at six digits.
        self.limit_with(
            &format!("code:account:{}", account.id),
            SignedDuration::from_hours(1),
            SECOND_FACTOR_TRIES_PER_HOUR,
        )
        .await?;
        if !self.check_code(&account, code).await? {
            self.audit_event(
                &account.id,
                None,
                None,
                "sign_in",
                "second factor",
                from,
                "refused",
            )
            .await?;
            return Err(AppError::Credentials(
                "that code is not right (or was used already): start again with your password"
                    .into(),
            ));
        }
        self.start_session(&account, true, from).await
    }

    pub(crate) async fn account_or_gone(&self, id: &str) -> AppResult<Account> {
        self.app
            .store()
            .account(id)
            .await?
            .ok_or_else(|| AppError::Credentials("that account no longer exists".into()))
    }

    /// True when `code` is a current TOTP code not used before, or an unused recovery code.
    async fn check_code(&self, account: &Account, code: &str) -> AppResult<bool> {
        let code = code.trim().replace([' ', '-'], "");
        if let Some(step) = account
            .totp_secret
            .as_deref()
            .and_then(|s| totp_step(s, &code, self.now()))
        {
            return Ok(self.app.store().use_totp_step(&account.id, step).await?);
        }
        let used = self
            .app
            .store()
            .use_recovery_code(&account.id, &token_hash(&plain_code(&code)), self.now())
            .await?;
        Ok(used)
    }

    /// Makes a session for `account` and records the sign-in.
    pub(crate) async fn start_session(
        &self,
        account: &Account,
        second_factor: bool,
        from: &Origin,
    ) -> AppResult<SignedIn> {
        let token = random_token(32)?;
        let now = self.now();
        let session = AuthSession {
            id_hash: token_hash(&token),
            account_id: account.id.clone(),
            created: now,
            last_seen: now,
            expires: now + self.config.absolute_timeout,
            second_factor,
            csrf: random_token(24)?,
            address: from.address.clone(),
            agent: from.agent.chars().take(200).collect(),
        };
        self.app.store().insert_session(&session).await?;
        self.audit_event(&account.id, None, None, "sign_in", "session", from, "ok")
            .await?;
        Ok(SignedIn { token, session })
    }

    /// The person a session cookie belongs to, if the session is live: not past its absolute
    /// end, and used within the idle timeout. A live session's last use is moved on.
    pub async fn from_session(&self, token: &str, address: &str) -> AppResult<Option<Principal>> {
        let store = self.app.store();
        // The session, its account, memberships and settings in one statement.
        let Some((session, holder)) = store.session_holder(&token_hash(token)).await? else {
            return Ok(None);
        };
        let now = self.now();
        let idle_end = session.last_seen + self.config.idle_timeout;
        if now >= session.expires || now >= idle_end {
            store
                .delete_session(&session.account_id, &session.id_hash)
                .await?;
            return Ok(None);
        }
        // Saving the last use at most once a minute spares a write on every request.
        if now.duration_since(session.last_seen) > SignedDuration::from_mins(1) {
            store.touch_session(&session.id_hash, now).await?;
        }
        Ok(holder.map(|h| signed_in(h, Some(session), None, address)))
    }

    /// Signs out one session.
    pub async fn sign_out(&self, who: &Principal) -> AppResult<()> {
        if let Some(s) = &who.session {
            self.app
                .store()
                .delete_session(&who.account.id, &s.id_hash)
                .await?;
        }
        Ok(())
    }

    /// A person's sessions, newest first.
    pub async fn sessions(&self, who: &Principal) -> AppResult<Vec<AuthSession>> {
        Ok(self.app.store().sessions_of(&who.account.id).await?)
    }

    /// Ends one of a person's own sessions (by its id hash); not found for another's.
    pub async fn revoke_session(&self, who: &Principal, id_hash: &str) -> AppResult<()> {
        let gone = self
            .app
            .store()
            .delete_session(&who.account.id, id_hash)
            .await?;
        if gone {
            let from = origin_of(who);
            self.audit_event(
                &who.account.id,
                None,
                None,
                "revoke",
                "session",
                &from,
                "ok",
            )
            .await?;
            Ok(())
        } else {
            Err(AppError::Denied(
                unknot_core::clinic::access::Decision::NotFound,
            ))
        }
    }

    /// Changes the password (the current one must be given) and ends every session; returns a
    /// fresh session for the one who changed it.
    pub async fn change_password(
        &self,
        who: &Principal,
        current: &str,
        new: &str,
    ) -> AppResult<SignedIn> {
        let from = origin_of(who);
        self.limit(&format!("password:account:{}", who.account.id))
            .await?;
        let account = self.account_or_gone(&who.account.id).await?;
        // Someone who set up with a passkey has no password to give: signed in with the
        // passkey, they may add one. Anyone with a password must give it to change it.
        if let Some(hash) = &account.password_hash
            && !verify_password(current, hash).await
        {
            return Err(AppError::Credentials(
                "the current password is not right".into(),
            ));
        }
        check_password(new, &about(&account))?;
        let hashed = hash_password(new).await?;
        self.app
            .store()
            .set_password(&account.id, &hashed, self.now())
            .await?;
        self.audit_event(&account.id, None, None, "change", "password", &from, "ok")
            .await?;
        let second = who.session.as_ref().is_some_and(|s| s.second_factor);
        self.start_session(&account, second, &from).await
    }

    /// Starts setting up a TOTP second factor (not active until confirmed with a code).
    pub async fn totp_begin(&self, who: &Principal) -> AppResult<TotpSetup> {
        // Starting again would replace a working secret and switch the factor off.
        let account = self.account_or_gone(&who.account.id).await?;
        if account.totp_enabled {
            return Err(AppError::Denied(Decision::Forbidden));
        }
        // A secret already shown and not yet confirmed is shown again: the person may have
        // scanned it before reloading the page, and a new one would make their app's codes
        // wrong. It stays unusable until a code from it is confirmed.
        let base32 = match account.totp_secret {
            Some(pending) => pending,
            None => {
                let mut secret = [0u8; 20];
                getrandom::fill(&mut secret).map_err(AppError::internal)?;
                data_encoding::BASE32_NOPAD.encode(&secret)
            }
        };
        let name = who
            .account
            .email
            .clone()
            .unwrap_or_else(|| who.account.display_name.clone());
        let totp = totp(&base32, &name)?;
        let url = totp.to_url().map_err(AppError::internal)?;
        self.app
            .store()
            .set_totp(&who.account.id, Some(&base32), false)
            .await?;
        Ok(TotpSetup {
            qr_svg: qr_svg(&url)?,
            secret: base32,
            url,
        })
    }

    /// Confirms the second factor with a code from the app; returns one-time recovery codes
    /// (shown once; only their hashes are kept). The session counts as having passed it.
    pub async fn totp_confirm(&self, who: &Principal, code: &str) -> AppResult<Vec<String>> {
        self.limit(&format!("second_factor:account:{}", who.account.id))
            .await?;
        let account = self.account_or_gone(&who.account.id).await?;
        let code = code.trim().replace([' ', '-'], "");
        let step = account
            .totp_secret
            .as_deref()
            .and_then(|s| totp_step(s, &code, self.now()));
        let fresh = match step {
            Some(step) => self.app.store().use_totp_step(&account.id, step).await?,
            None => false,
        };
        if !fresh {
            return Err(AppError::Credentials(
                "that code is not right: check the time on your phone and try the next code".into(),
            ));
        }
        self.app
            .store()
            .set_totp(&account.id, account.totp_secret.as_deref(), true)
            .await?;
        let codes: Vec<String> = (0..8).map(|_| recovery_code()).collect::<AppResult<_>>()?;
        let hashes: Vec<String> = codes.iter().map(|c| token_hash(&plain_code(c))).collect();
        self.app
            .store()
            .set_recovery_codes(&account.id, &hashes)
            .await?;
        if let Some(s) = &who.session {
            self.app.store().pass_second_factor(&s.id_hash).await?;
        }
        let from = origin_of(who);
        self.audit_event(
            &account.id,
            None,
            None,
            "change",
            "second factor",
            &from,
            "ok",
        )
        .await?;
        Ok(codes)
    }

    /// Makes a personal API token (`read`, or `read write`); the token is shown once.
    pub async fn create_token(
        &self,
        who: &Principal,
        name: &str,
        write: bool,
    ) -> AppResult<(String, ApiToken)> {
        // A token carries no session, so it must not be a way around the second factor.
        if who.second_factor_pending() {
            return Err(AppError::Denied(Decision::Forbidden));
        }
        let token = format!("unk_{}", random_token(32)?);
        let scopes = if write {
            vec!["read".to_string(), "write".to_string()]
        } else {
            vec!["read".to_string()]
        };
        let t = ApiToken {
            id: self.app.new_id(),
            token_hash: token_hash(&token),
            account_id: who.account.id.clone(),
            name: super::display_name(name)?,
            scopes,
            created: self.now(),
            last_used: None,
            revoked: None,
        };
        self.app.store().insert_api_token(&t).await?;
        let from = origin_of(who);
        self.audit_event(
            &who.account.id,
            None,
            None,
            "grant",
            "api token",
            &from,
            "ok",
        )
        .await?;
        Ok((token, t))
    }

    /// A person's API tokens.
    pub async fn tokens(&self, who: &Principal) -> AppResult<Vec<ApiToken>> {
        Ok(self.app.store().api_tokens_of(&who.account.id).await?)
    }

    /// Revokes one of a person's own tokens.
    pub async fn revoke_token(&self, who: &Principal, id: &str) -> AppResult<()> {
        if self
            .app
            .store()
            .revoke_api_token(&who.account.id, id, self.now())
            .await?
        {
            let from = origin_of(who);
            self.audit_event(
                &who.account.id,
                None,
                None,
                "revoke",
                "api token",
                &from,
                "ok",
            )
            .await?;
            Ok(())
        } else {
            Err(AppError::Denied(
                unknot_core::clinic::access::Decision::NotFound,
            ))
        }
    }

    /// The person an API token (`Authorization: Bearer …`) belongs to, if it is live.
    pub async fn from_token(&self, token: &str, address: &str) -> AppResult<Option<Principal>> {
        let store = self.app.store();
        // Only a token that is not valid counts against the address, so a script that uses its
        // own token often is never slowed, and guessing is.
        // The token, its account, memberships and settings in one statement.
        let found = store
            .api_token_holder(&token_hash(token))
            .await?
            .filter(|(t, _)| t.revoked.is_none());
        let Some((t, holder)) = found else {
            self.limit(&format!("token:address:{address}")).await?;
            return Ok(None);
        };
        let now = self.now();
        if t.last_used
            .is_none_or(|u| now.duration_since(u) > SignedDuration::from_mins(1))
        {
            store.touch_api_token(&t.id, now).await?;
        }
        Ok(holder.map(|h| signed_in(h, None, Some(t.scopes), address)))
    }
}

/// The person a live session or token belongs to, read with it. No holder (the account was
/// erased while the session or token was still held) signs nobody in. The settings read with
/// them are kept for the rest of the request, whose use cases then need not read them again.
fn signed_in(
    holder: unknot_store::Holder,
    session: Option<AuthSession>,
    scopes: Option<Vec<String>>,
    address: &str,
) -> Principal {
    if let Some(settings) = &holder.settings {
        crate::request::saw_settings(&holder.account.id, settings);
    }
    Principal {
        roles: holder.memberships,
        account: holder.account,
        session,
        scopes,
        address: address.to_string(),
    }
}

/// Codes an account may try at the second step in an hour (a person mistyping a few times a
/// day is never stopped; a guesser gets about one chance in 17,000 a day).
const SECOND_FACTOR_TRIES_PER_HOUR: i64 = 20;

/// A recovery code: 120 random bits (above the 112 that keep a fast hash safe from guessing a
/// stolen table) in lower-case base32 (letters and the digits 2 to 7, nothing to mistype),
/// shown in six groups of four joined by hyphens.
fn recovery_code() -> AppResult<String> {
    let mut raw = [0u8; 15];
    getrandom::fill(&mut raw).map_err(AppError::internal)?;
    let text = data_encoding::BASE32_NOPAD.encode(&raw).to_lowercase();
    let groups: Vec<String> = text
        .as_bytes()
        .chunks(4)
        .map(|g| String::from_utf8_lossy(g).into_owned())
        .collect();
    Ok(groups.join("-"))
}

/// A code as typed, reduced to what is hashed: no spaces or hyphens, lower case.
fn plain_code(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// What the password check should not let a person use: their name and sign-in name.
pub(crate) fn about(a: &Account) -> Vec<&str> {
    // Whole strings for zxcvbn, and their words (split at spaces, dots, @ and the like) so that
    // a password made of the person's first and last name is caught as well.
    let mut out = vec![a.display_name.as_str()];
    out.extend(a.email.as_deref());
    let words: Vec<&str> = out
        .iter()
        .flat_map(|s| s.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    out.extend(words);
    out
}

/// The origin recorded for an action by `who`.
pub(crate) fn origin_of(who: &Principal) -> Origin {
    Origin {
        address: who.address.clone(),
        agent: who
            .session
            .as_ref()
            .map(|s| s.agent.clone())
            .unwrap_or_default(),
    }
}

fn totp(secret_base32: &str, name: &str) -> AppResult<totp_rs::Totp> {
    let secret = data_encoding::BASE32_NOPAD
        .decode(secret_base32.as_bytes())
        .map_err(AppError::internal)?;
    totp_rs::Builder::new()
        .with_secret(secret)
        .with_account_name(name)
        .with_issuer(Some("unknot"))
        .build()
        .map_err(AppError::internal)
}

/// The time step `code` is valid for (one step either side of now), if any.
fn totp_step(secret_base32: &str, code: &str, now: Timestamp) -> Option<i64> {
    let t = totp(secret_base32, "").ok()?;
    let seconds = u64::try_from(now.as_second()).ok()?;
    t.check(code, seconds).and_then(|s| i64::try_from(s).ok())
}

/// A QR code of `text`, as SVG.
pub(crate) fn qr_svg(text: &str) -> AppResult<String> {
    let code = qrcode::QrCode::new(text.as_bytes()).map_err(AppError::internal)?;
    Ok(code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(220, 220)
        .quiet_zone(true)
        .build())
}

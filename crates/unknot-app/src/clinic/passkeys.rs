//! Passkeys (WebAuthn): adding one when accepting an invitation or later, and signing in with
//! one. A passkey is a second factor by itself (the device checks the person with a PIN, face
//! or finger: user verification is required), so a passkey sign-in satisfies the staff rule.
//!
//! Each ceremony has two halves on two requests, possibly on two servers: the challenge state
//! is kept in the database (`auth_pending`, a few minutes, used once), named by a random token
//! the browser sends back.

use jiff::SignedDuration;
use serde::{Deserialize, Serialize};
use unknot_core::clinic::model::Account;
use unknot_core::clinic::secrets::token_hash;
use unknot_store::StoredPasskey;
use webauthn_rs::prelude::{
    Passkey, PasskeyAuthentication, PasskeyRegistration, PublicKeyCredential,
    RegisterPublicKeyCredential, Uuid,
};

use super::auth::{Origin, SignedIn, origin_of};
use super::secrets::random_token;
use super::{ClinicApp, Principal, display_name, login_name};
use crate::{AppError, AppResult};

/// Half a ceremony: the token naming the server's half, and the options for the browser's
/// `navigator.credentials.create` or `.get` (JSON as WebAuthn defines it, binary as base64url).
#[derive(Debug, Clone, Serialize)]
pub struct Ceremony {
    /// Send this back with the browser's answer.
    pub pending: String,
    /// The options for the browser.
    pub options: serde_json::Value,
}

/// What a registration remembers between its halves.
#[derive(Serialize, Deserialize)]
struct Registering {
    account: String,
    /// The invitation being accepted, when it is one (its token's hash).
    invitation: Option<String>,
    state: PasskeyRegistration,
}

/// What a sign-in remembers between its halves.
#[derive(Serialize, Deserialize)]
struct SigningIn {
    account: String,
    state: PasskeyAuthentication,
}

const REGISTER: &str = "passkey_register";
const SIGN_IN: &str = "passkey_sign_in";
/// How long the browser has for its half.
const CEREMONY_MINUTES: i64 = 5;
/// Most passkeys one account may hold.
const MAX_PASSKEYS: usize = 10;

/// The verifier for a server reached at `public_url`: the relying party is its host name.
pub(crate) fn verifier(public_url: &url::Url) -> AppResult<webauthn_rs::Webauthn> {
    let host = public_url
        .host_str()
        .ok_or_else(|| AppError::internal("the public URL has no host name"))?;
    webauthn_rs::WebauthnBuilder::new(host, public_url)
        .and_then(|b| b.rp_name("unknot").build())
        .map_err(|e| AppError::internal(format!("passkeys cannot work at {public_url}: {e}")))
}

impl ClinicApp {
    /// Starts adding a passkey while accepting an invitation (the sign-in name is claimed now,
    /// for a patient who has none yet).
    pub async fn invite_passkey_begin(
        &self,
        token: &str,
        login: &str,
        from: &Origin,
    ) -> AppResult<Ceremony> {
        self.limit(&format!("invite:address:{}", from.address))
            .await?;
        let invitation = self.live_invitation(token).await?;
        let account = self.account_or_gone(&invitation.account_id).await?;
        self.not_set_up_yet(&account).await?;
        let account = self.claim_login(account, login).await?;
        self.register_begin(&account, Some(invitation.token_hash))
            .await
    }

    /// Starts adding another passkey for the signed-in person.
    pub async fn passkey_begin(&self, who: &Principal) -> AppResult<Ceremony> {
        self.limit(&format!("passkey:account:{}", who.account.id))
            .await?;
        self.register_begin(&who.account, None).await
    }

    async fn register_begin(
        &self,
        account: &Account,
        invitation: Option<String>,
    ) -> AppResult<Ceremony> {
        let existing = self.passkeys(&account.id).await?;
        if existing.len() >= MAX_PASSKEYS {
            return Err(unknot_core::InputError::malformed(
                "passkey",
                "",
                format!("an account holds at most {MAX_PASSKEYS} passkeys: remove one first"),
            )
            .into());
        }
        let user = Uuid::parse_str(&account.id).map_err(AppError::internal)?;
        let login = account.email.clone().unwrap_or_else(|| account.id.clone());
        let exclude = existing.iter().map(|(_, p)| p.cred_id().clone()).collect();
        let (options, state) = self
            .webauthn
            .start_passkey_registration(user, &login, &account.display_name, Some(exclude))
            .map_err(AppError::internal)?;
        let body = Registering {
            account: account.id.clone(),
            invitation,
            state,
        };
        self.keep(REGISTER, &account.id, &body, options).await
    }

    /// Finishes adding a passkey. For an invitation this accepts it (the care relationship is
    /// confirmed, or the member of staff joins) and signs the person in.
    pub async fn passkey_finish(
        &self,
        pending: &str,
        answer: &str,
        name: &str,
        from: &Origin,
    ) -> AppResult<Option<SignedIn>> {
        let body: Registering = self.take(REGISTER, pending).await?;
        let answer: RegisterPublicKeyCredential = browser_answer(answer)?;
        let passkey = self
            .webauthn
            .finish_passkey_registration(&answer, &body.state)
            .map_err(|e| refused(&e))?;
        let account = self.account_or_gone(&body.account).await?;
        let invitation = match &body.invitation {
            Some(hash) => Some(self.live_invitation_by_hash(hash).await?),
            None => None,
        };
        let stored = StoredPasskey {
            id: data_encoding::BASE64URL_NOPAD.encode(passkey.cred_id().as_ref()),
            account_id: account.id.clone(),
            name: display_name(if name.trim().is_empty() {
                "Passkey"
            } else {
                name
            })?,
            credential: serde_json::to_string(&passkey).map_err(AppError::internal)?,
            created: self.now(),
        };
        if !self.app.store().save_passkey(&stored).await? {
            return Err(AppError::Credentials(
                "this passkey belongs to another account".into(),
            ));
        }
        self.audit_event(&account.id, None, None, "grant", "passkey", from, "ok")
            .await?;
        match invitation {
            Some(i) => {
                self.complete_invitation(&i, from).await?;
                Ok(Some(self.start_session(&account, true, from).await?))
            }
            None => Ok(None),
        }
    }

    /// Starts a passkey sign-in for a sign-in name. An unknown name and a name without a
    /// passkey get the same answer.
    pub async fn passkey_login_begin(&self, login: &str, from: &Origin) -> AppResult<Ceremony> {
        self.limit(&format!("login:address:{}", from.address))
            .await?;
        let name = login_name(login).unwrap_or_default();
        self.limit(&format!("login:account:{name}")).await?;
        let account = self.app.store().account_by_email(&name).await?;
        let keys = match &account {
            Some(a) => self.passkeys(&a.id).await?,
            None => Vec::new(),
        };
        let (Some(account), false) = (account, keys.is_empty()) else {
            return Err(AppError::Credentials(
                "there is no passkey for that sign-in name here: use your password".into(),
            ));
        };
        let creds: Vec<Passkey> = keys.into_iter().map(|(_, p)| p).collect();
        let (options, state) = self
            .webauthn
            .start_passkey_authentication(&creds)
            .map_err(AppError::internal)?;
        let body = SigningIn {
            account: account.id.clone(),
            state,
        };
        self.keep(SIGN_IN, &account.id, &body, options).await
    }

    /// Finishes a passkey sign-in: a session that has passed the second factor.
    pub async fn passkey_login_finish(
        &self,
        pending: &str,
        answer: &str,
        from: &Origin,
    ) -> AppResult<SignedIn> {
        self.limit(&format!("login:address:{}", from.address))
            .await?;
        let body: SigningIn = self.take(SIGN_IN, pending).await?;
        let answer: PublicKeyCredential = browser_answer(answer)?;
        let account = self.account_or_gone(&body.account).await?;
        let result = match self
            .webauthn
            .finish_passkey_authentication(&answer, &body.state)
        {
            Ok(r) => r,
            Err(e) => {
                self.audit_event(
                    &account.id,
                    None,
                    None,
                    "sign_in",
                    "passkey",
                    from,
                    "refused",
                )
                .await?;
                return Err(refused(&e));
            }
        };
        // The signature counter moves on; keep it, so a cloned authenticator shows.
        for (mut stored, mut key) in self.passkeys(&account.id).await? {
            if key.update_credential(&result) == Some(true) {
                stored.credential = serde_json::to_string(&key).map_err(AppError::internal)?;
                self.app.store().save_passkey(&stored).await?;
            }
        }
        self.start_session(&account, true, from).await
    }

    /// A person's passkeys: (id, name, added).
    pub async fn passkey_list(&self, who: &Principal) -> AppResult<Vec<StoredPasskey>> {
        Ok(self.app.store().passkeys_of(&who.account.id).await?)
    }

    /// Removes one of a person's own passkeys.
    pub async fn passkey_remove(&self, who: &Principal, id: &str) -> AppResult<()> {
        // The last way in is never removed: without a password, the last passkey stays.
        let keys = self.app.store().passkeys_of(&who.account.id).await?;
        let last = keys.len() == 1 && keys.iter().any(|k| k.id == id);
        let password = self
            .account_or_gone(&who.account.id)
            .await?
            .password_hash
            .is_some();
        if last && !password {
            return Err(unknot_core::InputError::malformed(
                "passkey",
                "",
                "this is your only way to sign in: add a password or another passkey first",
            )
            .into());
        }
        if !self.app.store().delete_passkey(&who.account.id, id).await? {
            return Err(AppError::Denied(
                unknot_core::clinic::access::Decision::NotFound,
            ));
        }
        self.audit_event(
            &who.account.id,
            None,
            None,
            "revoke",
            "passkey",
            &origin_of(who),
            "ok",
        )
        .await
    }

    async fn passkeys(&self, account: &str) -> AppResult<Vec<(StoredPasskey, Passkey)>> {
        let stored = self.app.store().passkeys_of(account).await?;
        stored
            .into_iter()
            .map(|s| {
                let key: Passkey =
                    serde_json::from_str(&s.credential).map_err(AppError::internal)?;
                Ok((s, key))
            })
            .collect()
    }

    /// Keeps one half of a ceremony and gives the browser its options.
    async fn keep<T: Serialize>(
        &self,
        purpose: &str,
        account: &str,
        body: &T,
        options: impl Serialize,
    ) -> AppResult<Ceremony> {
        let pending = random_token(32)?;
        let text = serde_json::to_string(body).map_err(AppError::internal)?;
        let expires = self.now() + SignedDuration::from_mins(CEREMONY_MINUTES);
        self.app
            .store()
            .put_pending(
                &token_hash(&pending),
                Some(account),
                purpose,
                &text,
                expires,
            )
            .await?;
        Ok(Ceremony {
            pending,
            options: serde_json::to_value(options).map_err(AppError::internal)?,
        })
    }

    /// Takes the server's half back, once.
    async fn take<T: for<'de> Deserialize<'de>>(
        &self,
        purpose: &str,
        pending: &str,
    ) -> AppResult<T> {
        let taken = self
            .app
            .store()
            .take_pending(&token_hash(pending), purpose, self.now())
            .await?;
        let Some((_, body)) = taken else {
            return Err(AppError::Expired(
                "that took too long or was done already: start again".into(),
            ));
        };
        serde_json::from_str(&body).map_err(AppError::internal)
    }
}

/// Reads the browser's answer (JSON), refusing anything else with a reason.
fn browser_answer<T: for<'de> Deserialize<'de>>(text: &str) -> AppResult<T> {
    if text.len() > 64 * 1024 {
        return Err(
            unknot_core::InputError::malformed("credential", "", "the answer is too long").into(),
        );
    }
    serde_json::from_str(text).map_err(|e| {
        unknot_core::InputError::malformed(
            "credential",
            "",
            format!("the browser's answer could not be read: {e}"),
        )
        .into()
    })
}

/// A failed ceremony, said plainly; the library's reason is kept short at the end, for whoever
/// helps the person.
fn refused(e: &webauthn_rs::prelude::WebauthnError) -> AppError {
    let why: String = e.to_string().chars().take(80).collect();
    AppError::Credentials(format!(
        "the passkey was not accepted: try again, or use your password ({why})"
    ))
}

//! Invitations: a clinic is made with its owner's set-up link; staff and patients join by
//! links too. A link carries a 256-bit random token, stored only as its hash, works once, and
//! expires (7 days by default); issuing a new one for the same person retires the old one and
//! changes nothing else. Accepting a patient's link is the patient confirming the care
//! relationship.

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use unknot_core::clinic::access::{Action, Actor, Care, Decision, Facts, Role, may};
use unknot_core::clinic::model::{Account, CareLink, Clinic, Invitation, InviteKind};
use unknot_core::clinic::secrets::token_hash;

use super::auth::{Origin, SignedIn, about, origin_of, qr_svg};
use super::secrets::{check_password, hash_password, random_token};
use super::{ClinicApp, Principal, decide, display_name, login_name};
use crate::{AppError, AppResult};

/// A link just made: the token (shown once), the full link and its QR code.
#[derive(Debug, Clone, Serialize)]
pub struct Invited {
    /// The account it sets up.
    pub account_id: String,
    /// The person's name.
    pub name: String,
    /// The link to send or show.
    pub link: String,
    /// The link as a QR code (SVG), for a phone to scan.
    pub qr_svg: String,
    /// When it stops working.
    pub expires: Timestamp,
}

/// What the page behind a link shows before anything is done.
#[derive(Debug, Clone, Serialize)]
pub struct InviteView {
    /// The clinic's name.
    pub clinic: String,
    /// Who invited them.
    pub inviter: String,
    /// Patient or staff.
    pub kind: InviteKind,
    /// The name the clinic gave them.
    pub name: String,
    /// Their sign-in name, when the clinic gave one (else they choose it).
    pub login: Option<String>,
    /// True when the account can already sign in (an existing patient joining a new clinic:
    /// they accept by signing in).
    pub existing: bool,
    /// When the link stops working.
    pub expires: Timestamp,
}

impl ClinicApp {
    /// Makes a clinic with its owner, and returns the owner's one-time set-up link.
    pub async fn init_clinic(
        &self,
        name: &str,
        owner_email: &str,
        owner_name: &str,
    ) -> AppResult<(Clinic, Invited)> {
        let now = self.now();
        let clinic = Clinic {
            id: self.app.new_id(),
            name: display_name(name)?,
            created: now,
            retention_days: self.config.retention_days,
        };
        let owner = self.new_account(Some(login_name(owner_email)?), display_name(owner_name)?);
        let (token, invitation) =
            self.new_invitation(&clinic.id, &owner.id, InviteKind::Staff, None, "setup")?;
        let invitation = Invitation {
            role: Some(Role::Owner),
            ..invitation
        };
        self.app
            .store()
            .create_clinic(&clinic, &owner, &invitation)
            .await?;
        self.audit_event(
            "system",
            Some(&clinic.id),
            None,
            "grant",
            "owner set-up link",
            &Origin::default(),
            "ok",
        )
        .await?;
        Ok((clinic, self.invited(&owner, &token, &invitation)?))
    }

    fn new_account(&self, email: Option<String>, name: String) -> Account {
        Account {
            id: self.app.new_id(),
            email,
            display_name: name,
            birth_year: None,
            password_hash: None,
            password_changed: None,
            totp_secret: None,
            totp_enabled: false,
            created: self.now(),
            erased: None,
        }
    }

    fn new_invitation(
        &self,
        clinic: &str,
        account: &str,
        kind: InviteKind,
        care: Option<&str>,
        by: &str,
    ) -> AppResult<(String, Invitation)> {
        let token = random_token(32)?;
        let now = self.now();
        let invitation = Invitation {
            id: self.app.new_id(),
            token_hash: token_hash(&token),
            kind,
            clinic_id: clinic.to_string(),
            account_id: account.to_string(),
            care_id: care.map(String::from),
            role: None,
            created_by: by.to_string(),
            created: now,
            expires: now + SignedDuration::from_hours(24 * self.config.invite_days),
            used: None,
        };
        Ok((token, invitation))
    }

    fn invited(&self, account: &Account, token: &str, i: &Invitation) -> AppResult<Invited> {
        let link = self.link(&format!("invite/{token}"));
        Ok(Invited {
            account_id: account.id.clone(),
            name: account.display_name.clone(),
            qr_svg: qr_svg(&link)?,
            link,
            expires: i.expires,
        })
    }

    /// Invites a patient to `clinic` (staff of any role may). The clinician inviting, when they
    /// are one, is named in the care relationship; an owner may name `clinician`.
    pub async fn invite_patient(
        &self,
        who: &Principal,
        clinic: &str,
        name: &str,
        birth_year: Option<i32>,
        clinician: Option<&str>,
    ) -> AppResult<Invited> {
        let role = who.role_in(clinic);
        let facts = Facts {
            role,
            ..Facts::default()
        };
        decide(may(Actor::Account, Action::InvitePatient, facts))?;
        self.limit(&format!("invite:account:{}", who.account.id))
            .await?;
        if let Some(y) = birth_year
            && !(1900..=2100).contains(&y)
        {
            return Err(unknot_core::InputError::malformed(
                "birth_year",
                y.to_string(),
                "give a year such as 1984",
            )
            .into());
        }
        let named = match role {
            Some(Role::Clinician) => Some(who.account.id.clone()),
            _ => clinician.map(String::from),
        };
        let mut patient = self.new_account(None, display_name(name)?);
        patient.birth_year = birth_year;
        let now = self.now();
        let care = CareLink {
            id: self.app.new_id(),
            clinic_id: clinic.to_string(),
            patient_id: patient.id.clone(),
            clinician_id: named,
            status: Care::Invited,
            created: now,
            changed: now,
        };
        let (token, invitation) = self.new_invitation(
            clinic,
            &patient.id,
            InviteKind::Patient,
            Some(&care.id),
            &who.account.id,
        )?;
        self.app
            .store()
            .invite_patient(&patient, &care, &invitation)
            .await?;
        let from = origin_of(who);
        self.audit_event(
            &who.account.id,
            Some(clinic),
            Some(&patient.id),
            "invite",
            "patient",
            &from,
            "ok",
        )
        .await?;
        self.invited(&patient, &token, &invitation)
    }

    /// Issues a new link for a patient of `clinic` (the old one stops working; nothing else
    /// changes). For a patient who lost their passkey or password, too.
    pub async fn reissue_invite(
        &self,
        who: &Principal,
        clinic: &str,
        patient_id: &str,
    ) -> AppResult<Invited> {
        let facts = Facts {
            role: who.role_in(clinic),
            ..Facts::default()
        };
        decide(may(Actor::Account, Action::InvitePatient, facts))?;
        self.limit(&format!("invite:account:{}", who.account.id))
            .await?;
        let store = self.app.store();
        let care = store
            .care_between(clinic, patient_id)
            .await?
            .filter(|c| c.status != Care::Revoked)
            .ok_or(AppError::Denied(Decision::NotFound))?;
        let patient = store
            .account(patient_id)
            .await?
            .ok_or(AppError::Denied(Decision::NotFound))?;
        let (token, invitation) = self.new_invitation(
            clinic,
            patient_id,
            InviteKind::Patient,
            Some(&care.id),
            &who.account.id,
        )?;
        store.insert_invitation(&invitation).await?;
        let from = origin_of(who);
        self.audit_event(
            &who.account.id,
            Some(clinic),
            Some(patient_id),
            "invite",
            "new link",
            &from,
            "ok",
        )
        .await?;
        self.invited(&patient, &token, &invitation)
    }

    /// Invites a member of staff by email (owners only).
    pub async fn invite_staff(
        &self,
        who: &Principal,
        clinic: &str,
        email: &str,
        name: &str,
        role: Role,
    ) -> AppResult<Invited> {
        let facts = Facts {
            role: who.role_in(clinic),
            ..Facts::default()
        };
        decide(may(Actor::Account, Action::ManageStaff, facts))?;
        let email = login_name(email)?;
        if self.app.store().account_by_email(&email).await?.is_some() {
            return Err(AppError::Duplicate {
                id: email,
                builtin: false,
            });
        }
        let staff = self.new_account(Some(email), display_name(name)?);
        self.app.store().insert_account(&staff).await?;
        let (token, invitation) =
            self.new_invitation(clinic, &staff.id, InviteKind::Staff, None, &who.account.id)?;
        let invitation = Invitation {
            role: Some(role),
            ..invitation
        };
        self.app.store().insert_invitation(&invitation).await?;
        let from = origin_of(who);
        self.audit_event(
            &who.account.id,
            Some(clinic),
            None,
            "grant",
            &format!("staff invitation ({})", role.id()),
            &from,
            "ok",
        )
        .await?;
        self.invited(&staff, &token, &invitation)
    }

    /// The live invitation a token names: refused as expired when used, past its date, or
    /// unknown (one answer for all, so a guessed token tells nothing).
    pub(crate) async fn live_invitation(&self, token: &str) -> AppResult<Invitation> {
        self.live_invitation_by_hash(&token_hash(token)).await
    }

    /// [`Self::live_invitation`], for a token already hashed.
    pub(crate) async fn live_invitation_by_hash(&self, hash: &str) -> AppResult<Invitation> {
        let found = self.app.store().invitation(hash).await?;
        match found {
            Some(i) if i.used.is_none() && i.expires > self.now() => Ok(i),
            _ => Err(AppError::Expired(
                "this link has expired or was used already: ask your clinic for a new one".into(),
            )),
        }
    }

    /// What the page behind a link shows.
    pub async fn invitation(&self, token: &str, from: &Origin) -> AppResult<InviteView> {
        self.limit(&format!("invite:address:{}", from.address))
            .await?;
        let i = self.live_invitation(token).await?;
        let store = self.app.store();
        let clinic = store
            .clinic(&i.clinic_id)
            .await?
            .map(|c| c.name)
            .unwrap_or_default();
        let inviter = match store.account(&i.created_by).await? {
            Some(a) => a.display_name,
            None => clinic.clone(),
        };
        let account = self.account_or_gone(&i.account_id).await?;
        Ok(InviteView {
            clinic,
            inviter,
            kind: i.kind,
            name: account.display_name.clone(),
            existing: account.password_hash.is_some()
                || !store.passkeys_of(&account.id).await?.is_empty(),
            login: account.email,
            expires: i.expires,
        })
    }

    /// Accepts a link by setting a password (and the sign-in name, when the clinic gave none):
    /// the account can sign in from now on, the patient's care is confirmed (or the member of
    /// staff joins), and a session begins.
    pub async fn accept_with_password(
        &self,
        token: &str,
        login: &str,
        password: &str,
        from: &Origin,
    ) -> AppResult<SignedIn> {
        self.limit(&format!("invite:address:{}", from.address))
            .await?;
        let i = self.live_invitation(token).await?;
        let account = self.account_or_gone(&i.account_id).await?;
        self.not_set_up_yet(&account).await?;
        // Everything that can be refused is checked before the link is used; then the link is
        // used once (a conditional update), and only the request that used it sets the name
        // and password, so two people racing with one link cannot mix their answers.
        let name = self.login_to_claim(&account, login).await?;
        let mut about_them = about(&account);
        if let Some(n) = &name {
            about_them.push(n);
        }
        check_password(password, &about_them)?;
        let hash = hash_password(password).await?;
        self.complete_invitation(&i, from).await?;
        let account = self.claim_login(account, login).await?;
        self.app
            .store()
            .set_password(&account.id, &hash, self.now())
            .await?;
        let second = false;
        self.start_session(&account, second, from).await
    }

    /// Refuses a link's sign-in set-up for an account that can already sign in (a password or a
    /// passkey): otherwise whoever holds a new link, staff included, could take the account
    /// over. Such a person signs in first and then accepts the link.
    pub(crate) async fn not_set_up_yet(&self, account: &Account) -> AppResult<()> {
        let has_passkey = !self.app.store().passkeys_of(&account.id).await?.is_empty();
        if account.password_hash.is_some() || has_passkey {
            return Err(AppError::Credentials(
                "this account is already set up: sign in first, then open the link again to \
                 accept it"
                    .into(),
            ));
        }
        Ok(())
    }

    /// The sign-in name a link's acceptance would set (none when the account has one), checked
    /// and free, without setting it.
    pub(crate) async fn login_to_claim(
        &self,
        account: &Account,
        login: &str,
    ) -> AppResult<Option<String>> {
        if account.email.is_some() {
            return Ok(None);
        }
        let name = login_name(login)?;
        if self.app.store().account_by_email(&name).await?.is_some() {
            return Err(AppError::Duplicate {
                id: name,
                builtin: false,
            });
        }
        Ok(Some(name))
    }

    /// Sets the sign-in name on an account that has none yet (refused when taken).
    pub(crate) async fn claim_login(
        &self,
        mut account: Account,
        login: &str,
    ) -> AppResult<Account> {
        if account.email.is_some() {
            return Ok(account);
        }
        let name = login_name(login)?;
        if self.app.store().account_by_email(&name).await?.is_some() {
            return Err(AppError::Duplicate {
                id: name,
                builtin: false,
            });
        }
        self.app.store().set_login(&account.id, &name).await?;
        account.email = Some(name);
        Ok(account)
    }

    /// Uses an invitation once and does what it grants: confirms the care relationship, or
    /// adds the member of staff.
    pub(crate) async fn complete_invitation(&self, i: &Invitation, from: &Origin) -> AppResult<()> {
        let store = self.app.store();
        if !store.use_invitation(&i.id, self.now()).await? {
            return Err(AppError::Expired("this link was used already".into()));
        }
        match (i.kind, &i.care_id, i.role) {
            (InviteKind::Patient, Some(care), _) => {
                store
                    .set_care(care, Care::Confirmed, None, self.now())
                    .await?;
            }
            (InviteKind::Staff, _, Some(role)) => {
                store
                    .set_membership(&i.clinic_id, &i.account_id, role, self.now())
                    .await?;
            }
            _ => {}
        }
        self.audit_event(
            &i.account_id,
            Some(&i.clinic_id),
            patient_of(i),
            "grant",
            "invitation accepted",
            from,
            "ok",
        )
        .await?;
        Ok(())
    }
}

fn patient_of(i: &Invitation) -> Option<&str> {
    (i.kind == InviteKind::Patient).then_some(i.account_id.as_str())
}

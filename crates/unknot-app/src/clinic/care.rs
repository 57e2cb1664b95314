//! Care relationships and a patient's record seen by staff: the clinic's patient list (names
//! and status only), opening a patient's record (only under the access rules, and always
//! audited), a read-only preview of the patient's own pages, and the patient's side: the
//! clinics they are under, ending one, joining another with the same account, and erasing
//! their account.

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use unknot_core::clinic::access::{Action, Actor, Care, Decision, Facts, Role, may};
use unknot_core::clinic::model::{Account, CareLink, Clinic};

use super::auth::origin_of;
use super::{ClinicApp, Principal, decide};
use crate::{App, AppError, AppResult};

/// One patient in a clinic's list: what every member of staff may see.
#[derive(Debug, Clone, Serialize)]
pub struct PatientRow {
    /// The patient's account id.
    pub id: String,
    /// Their name as the clinic entered it.
    pub name: String,
    /// Birth year, when given (tells two people of the same name apart).
    pub birth_year: Option<i32>,
    /// Invited, confirmed or ended.
    pub status: Care,
    /// The clinician named, by name.
    pub clinician: Option<String>,
    /// The clinician's account id.
    pub clinician_id: Option<String>,
    /// When the status last changed.
    pub changed: Timestamp,
}

/// A patient's record opened by a member of staff: who they are, the relationship, and the
/// application scoped to their journal (for the pages and summaries to read).
pub struct PatientView {
    /// The patient as listed.
    pub row: PatientRow,
    /// The clinic.
    pub clinic: Clinic,
    /// The patient's journal and coach, to read.
    pub app: App,
}

/// One clinic a patient is under, as the patient sees it.
#[derive(Debug, Clone, Serialize)]
pub struct MyCare {
    /// The relationship's id.
    pub id: String,
    /// The clinic's name.
    pub clinic: String,
    /// The clinician's name, when one is named.
    pub clinician: Option<String>,
    /// Invited, confirmed or ended.
    pub status: Care,
    /// Since when.
    pub changed: Timestamp,
}

impl ClinicApp {
    /// The clinic's patients. Owners and assistants see every patient; a clinician sees the
    /// patients they are named for. Names and status only: no clinical data.
    pub async fn patients(&self, who: &Principal, clinic: &str) -> AppResult<Vec<PatientRow>> {
        let role = who.role_in(clinic);
        let facts = Facts {
            role,
            ..Facts::default()
        };
        decide(may(Actor::Account, Action::ListPatients, facts))?;
        let store = self.app.store();
        let mut rows = Vec::new();
        for (link, account) in store.patients_of(clinic).await? {
            let mine = link.clinician_id.as_deref() == Some(who.account.id.as_str());
            if role == Some(Role::Clinician) && !mine {
                continue;
            }
            rows.push(self.row(&link, &account).await?);
        }
        Ok(rows)
    }

    pub(super) async fn row(&self, link: &CareLink, account: &Account) -> AppResult<PatientRow> {
        let clinician = match &link.clinician_id {
            Some(id) => self.app.store().account(id).await?.map(|a| a.display_name),
            None => None,
        };
        Ok(PatientRow {
            id: account.id.clone(),
            name: account.display_name.clone(),
            birth_year: account.birth_year,
            status: link.status,
            clinician,
            clinician_id: link.clinician_id.clone(),
            changed: link.changed,
        })
    }

    /// Opens a patient's record for `action` (read, preview or export), under the access rules:
    /// anything not allowed is "not found", so a guessed id reveals nothing. Every opening,
    /// allowed or refused, is written to the audit log with `what` was looked at.
    pub async fn patient(
        &self,
        who: &Principal,
        clinic: &str,
        patient_id: &str,
        action: Action,
        what: &str,
    ) -> AppResult<PatientView> {
        let store = self.app.store();
        let link = store.care_between(clinic, patient_id).await?;
        let facts = Facts {
            own: false,
            role: who.role_in(clinic),
            care: link.as_ref().map(|l| l.status),
            named_clinician: link
                .as_ref()
                .and_then(|l| l.clinician_id.as_deref())
                .is_some_and(|c| c == who.account.id),
        };
        let decision = may(Actor::Account, action, facts);
        let verb = match action {
            Action::ExportPatient => "export",
            Action::PreviewAsPatient => "preview",
            Action::Prescribe => "write",
            Action::MessagePatient => "message",
            _ => "read",
        };
        let outcome = if decision == Decision::Allow {
            "ok"
        } else {
            "refused"
        };
        // A refused attempt is logged without naming the patient in the clinic's record unless
        // the patient is the clinic's: the log must not become a way to learn other ids.
        let logged_patient = link.as_ref().map(|_| patient_id);
        self.audit_event(
            &who.account.id,
            Some(clinic),
            logged_patient,
            verb,
            what,
            &origin_of(who),
            outcome,
        )
        .await?;
        decide(decision)?;
        let (Some(link), Some(account), Some(clinic)) = (
            link,
            store.account(patient_id).await?,
            store.clinic(clinic).await?,
        ) else {
            return Err(AppError::Denied(Decision::NotFound));
        };
        Ok(PatientView {
            row: self.row(&link, &account).await?,
            clinic,
            app: self.app.for_user(patient_id),
        })
    }

    /// Records that a person downloaded their own record (every export is audited).
    pub async fn audit_own_export(&self, who: &Principal, what: &str) -> AppResult<()> {
        self.audit_event(
            &who.account.id,
            None,
            Some(&who.account.id),
            "export",
            what,
            &origin_of(who),
            "ok",
        )
        .await
    }

    /// Records a change a person made to their own journal (`what`: the route), so the audit
    /// log holds every write of a patient's data, not only staff's.
    pub async fn audit_own_write(&self, who: &Principal, what: &str) -> AppResult<()> {
        self.audit_event(
            &who.account.id,
            None,
            Some(&who.account.id),
            "write",
            what,
            &origin_of(who),
            "ok",
        )
        .await
    }

    /// The clinics a patient is under (or was invited by), newest first.
    pub async fn my_care(&self, who: &Principal) -> AppResult<Vec<MyCare>> {
        let store = self.app.store();
        let mut out = Vec::new();
        for link in store.care_of(&who.account.id).await? {
            let clinic = store.clinic(&link.clinic_id).await?.map(|c| c.name);
            let clinician = match &link.clinician_id {
                Some(id) => store.account(id).await?.map(|a| a.display_name),
                None => None,
            };
            out.push(MyCare {
                id: link.id,
                clinic: clinic.unwrap_or_default(),
                clinician,
                status: link.status,
                changed: link.changed,
            });
        }
        Ok(out)
    }

    /// Ends one of a patient's own care relationships: from now on that clinic sees nothing of
    /// their record (its own records about them stay, as the law asks of it).
    pub async fn end_care(&self, who: &Principal, care_id: &str) -> AppResult<()> {
        let link = self.app.store().care(care_id).await?;
        let facts = Facts {
            own: link
                .as_ref()
                .is_some_and(|l| l.patient_id == who.account.id),
            ..Facts::default()
        };
        decide(may(Actor::Account, Action::ManageOwnCare, facts))?;
        let Some(link) = link else {
            return Err(AppError::Denied(Decision::NotFound));
        };
        self.app
            .store()
            .set_care(&link.id, Care::Revoked, None, self.now())
            .await?;
        self.audit_event(
            &who.account.id,
            Some(&link.clinic_id),
            Some(&who.account.id),
            "revoke",
            "care",
            &origin_of(who),
            "ok",
        )
        .await
    }

    /// Accepts a patient's invitation while signed in: an existing patient joining another
    /// clinic (or coming back) keeps their one journal. The account the clinic made for the
    /// link, never used, is removed; refused when that account already signs in on its own.
    pub async fn accept_signed_in(&self, who: &Principal, token: &str) -> AppResult<()> {
        let i = self.live_invitation(token).await?;
        if i.account_id == who.account.id {
            return self.complete_invitation(&i, &origin_of(who)).await;
        }
        let store = self.app.store();
        let placeholder = self.account_or_gone(&i.account_id).await?;
        let used = placeholder.password_hash.is_some()
            || !store.passkeys_of(&placeholder.id).await?.is_empty();
        let Some(care) = i.care_id.as_deref().filter(|_| !used) else {
            return Err(AppError::Denied(Decision::NotFound));
        };
        if store
            .care_between(&i.clinic_id, &who.account.id)
            .await?
            .is_some_and(|c| c.status == Care::Confirmed)
        {
            return Err(AppError::Duplicate {
                id: "care".into(),
                builtin: false,
            });
        }
        if !store.use_invitation(&i.id, self.now()).await? {
            return Err(AppError::Expired("this link was used already".into()));
        }
        store
            .adopt_care(care, &placeholder.id, &who.account.id, self.now())
            .await?;
        self.audit_event(
            &who.account.id,
            Some(&i.clinic_id),
            Some(&who.account.id),
            "grant",
            "invitation accepted",
            &origin_of(who),
            "ok",
        )
        .await
    }

    /// Erases the signed-in person's account: their journal, sign-ins and care relationships
    /// go now; each clinic keeps the bare relationship (no name, no journal) for its retention
    /// period, after which it is purged. Staff accounts are removed by their clinic's owner.
    pub async fn erase_me(&self, who: &Principal, password_or_name: &str) -> AppResult<()> {
        decide(may(
            Actor::Account,
            Action::EraseOwn,
            Facts {
                own: true,
                ..Facts::default()
            },
        ))?;
        if who.is_staff() {
            return Err(AppError::Denied(Decision::Forbidden));
        }
        // Confirmation: the person types their sign-in name, so a stray click erases nothing.
        let expected = who.account.email.clone().unwrap_or_default();
        if super::login_name(password_or_name).ok().as_deref() != Some(expected.as_str()) {
            return Err(unknot_core::InputError::malformed(
                "confirm",
                password_or_name,
                "type your sign-in name to confirm",
            )
            .into());
        }
        let store = self.app.store();
        let now = self.now();
        let mut keep = Vec::new();
        for link in store.care_of(&who.account.id).await? {
            if let Some(c) = store.clinic(&link.clinic_id).await? {
                let days = i64::from(c.retention_days);
                keep.push((c.id, now + SignedDuration::from_hours(24 * days)));
            }
        }
        self.audit_event(
            &who.account.id,
            None,
            Some(&who.account.id),
            "erase",
            "account",
            &origin_of(who),
            "ok",
        )
        .await?;
        store.erase_account(&who.account.id, now, &keep).await?;
        Ok(())
    }

    /// Removes what the retention rule no longer keeps (run at start and every hour).
    pub async fn purge_retained(&self) -> AppResult<u64> {
        Ok(self.app.store().purge_retained(self.now()).await?)
    }
}

impl ClinicApp {
    /// The clinic's staff with their roles (owners only).
    pub async fn staff(
        &self,
        who: &Principal,
        clinic: &str,
    ) -> AppResult<Vec<(unknot_core::clinic::model::Membership, Account)>> {
        let facts = Facts {
            role: who.role_in(clinic),
            ..Facts::default()
        };
        decide(may(Actor::Account, Action::ManageStaff, facts))?;
        Ok(self.app.store().staff_of(clinic).await?)
    }

    /// The clinics a member of staff works in, with their role in each.
    pub async fn my_clinics(&self, who: &Principal) -> AppResult<Vec<(Clinic, Role)>> {
        let mut out = Vec::new();
        for m in &who.roles {
            if let Some(c) = self.app.store().clinic(&m.clinic_id).await? {
                out.push((c, m.role));
            }
        }
        Ok(out)
    }

    /// A person's name as others see it, by account id (for audit lines); `None` once erased.
    pub async fn display_name_of(&self, account_id: &str) -> AppResult<Option<String>> {
        Ok(self
            .app
            .store()
            .account(account_id)
            .await?
            .map(|a| a.display_name))
    }

    /// A clinic's name, by id (empty when there is no such clinic).
    pub async fn clinic_name(&self, clinic_id: &str) -> AppResult<String> {
        Ok(self
            .app
            .store()
            .clinic(clinic_id)
            .await?
            .map(|c| c.name)
            .unwrap_or_default())
    }

    /// True when the person has a working TOTP second factor.
    pub async fn second_factor_on(&self, who: &Principal) -> AppResult<bool> {
        Ok(self
            .app
            .store()
            .account(&who.account.id)
            .await?
            .is_some_and(|a| a.totp_enabled))
    }

    /// True when an account holds no staff role in any clinic.
    pub async fn holds_no_role(&self, account_id: &str) -> AppResult<bool> {
        Ok(self
            .app
            .store()
            .memberships_of(account_id)
            .await?
            .is_empty())
    }
}

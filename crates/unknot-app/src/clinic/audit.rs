//! The audit log: every sign-in (good and bad), every read and write of a patient's record by
//! someone else, every export, and every change of access, appended to the hash chain; and
//! what can be read back from it (a patient's own access log, the clinic's log for its owner,
//! the chain's check).

use serde::Serialize;
use unknot_core::clinic::access::{Action, Actor, Facts, may};
use unknot_core::clinic::audit::{self, Broken, Event, Record};

use super::auth::Origin;
use super::{ClinicApp, Principal, decide};
use crate::AppResult;

/// One line of a patient's access log, in words.
#[derive(Debug, Clone, Serialize)]
pub struct AccessLine {
    /// When.
    pub at: jiff::Timestamp,
    /// Who (their name, or "you").
    pub who: String,
    /// What they did, as stored (`read`, `export`…).
    pub action: String,
    /// To what, as stored.
    pub target: String,
    /// The two in plain words ("opened your visit summary").
    pub what: String,
    /// How it ended.
    pub outcome: String,
}

impl ClinicApp {
    /// Appends one event to the audit log.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn audit_event(
        &self,
        actor: &str,
        clinic: Option<&str>,
        patient: Option<&str>,
        action: &str,
        target: &str,
        from: &Origin,
        outcome: &str,
    ) -> AppResult<()> {
        // The chain position and hash are set when stored.
        let e = Event {
            seq: 0,
            at_ms: self.now().as_millisecond(),
            actor: actor.to_string(),
            clinic: clinic.map(String::from),
            patient: patient.map(String::from),
            action: action.to_string(),
            target: target.chars().take(300).collect(),
            address: from.address.clone(),
            outcome: outcome.to_string(),
        };
        self.appends.append(self.app.store(), e).await
    }

    /// Checks the whole chain; on success, the number of records and the newest hash (worth
    /// writing down somewhere else, so even a rewrite of the newest record shows).
    pub async fn verify_audit(&self) -> AppResult<Result<(usize, String), Broken>> {
        let records = self.app.store().audit_log().await?;
        Ok(audit::verify(&records).map(|()| {
            let head = records
                .last()
                .map_or_else(|| audit::GENESIS.to_string(), |r| r.hash.clone());
            (records.len(), head)
        }))
    }

    /// The whole chain, oldest first (for `unknot clinic audit export`).
    pub async fn audit_records(&self) -> AppResult<Vec<Record>> {
        Ok(self.app.store().audit_log().await?)
    }

    /// Who looked at or changed a person's record, newest first: their own access log.
    pub async fn access_log(&self, who: &Principal, limit: i64) -> AppResult<Vec<AccessLine>> {
        let facts = Facts {
            own: true,
            ..Facts::default()
        };
        decide(may(Actor::Account, Action::ReadOwnAccessLog, facts))?;
        let records = self
            .app
            .store()
            .audit_of_patient(&who.account.id, limit)
            .await?;
        let mut out = Vec::with_capacity(records.len());
        for r in records {
            let e = r.event;
            let who_name = if e.actor == who.account.id {
                "you".to_string()
            } else {
                self.app.store().account(&e.actor).await?.map_or_else(
                    || "a former member of staff".to_string(),
                    |a| a.display_name,
                )
            };
            out.push(AccessLine {
                at: jiff::Timestamp::from_millisecond(e.at_ms).unwrap_or_default(),
                who: who_name,
                what: unknot_core::clinic::audit::in_words(&e.action, &e.target),
                action: e.action,
                target: e.target,
                outcome: e.outcome,
            });
        }
        Ok(out)
    }

    /// A clinic's audit log, newest first, for its owner.
    pub async fn clinic_audit(
        &self,
        who: &Principal,
        clinic: &str,
        limit: i64,
    ) -> AppResult<Vec<Record>> {
        let facts = Facts {
            role: who.role_in(clinic),
            ..Facts::default()
        };
        decide(may(Actor::Account, Action::ReadClinicAudit, facts))?;
        Ok(self.app.store().audit_of_clinic(clinic, limit).await?)
    }
}

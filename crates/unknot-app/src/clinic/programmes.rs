//! Programmes: a clinician prescribes exercises to a patient under their care (checked against
//! the cautions the patient's answers raise), changes them (each change a new version with a
//! change log; the patient's link stays the same), keeps templates (the clinic's and their
//! own) and assigns one to several patients at once. The patient sees the programme in force.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use unknot_core::clinic::access::{Action, Actor, Facts, may};
use unknot_core::clinic::model::{Programme, ProgrammeKind, ProgrammeVersion};
use unknot_core::clinic::programme::{self, Body, Clash};
use unknot_core::session::Item;

use super::{ClinicApp, Principal, decide};
use crate::{App, AppError, AppResult};

/// A programme with its versions, newest last, as the clinician sees it.
#[derive(Debug, Clone, Serialize)]
pub struct ProgrammeView {
    /// The programme.
    pub programme: Programme,
    /// Every version, oldest first (the last is in force).
    pub versions: Vec<ProgrammeVersion>,
}

impl ProgrammeView {
    /// The version in force.
    pub fn current(&self) -> Option<&ProgrammeVersion> {
        self.versions.last()
    }
}

/// What prescribing did.
#[derive(Debug, Clone, Serialize)]
pub enum Prescribed {
    /// Stored: the programme and the version made.
    Saved {
        /// The programme.
        programme: Box<Programme>,
        /// The version stored.
        version: Box<ProgrammeVersion>,
        /// Cautions it clashes with, which the clinician accepted.
        clashes: Vec<Clash>,
    },
    /// Not stored: it clashes with the patient's cautions; ask the clinician to confirm.
    Clashes(Vec<Clash>),
}

/// The programme in force for a patient, as they see it.
#[derive(Debug, Clone)]
pub struct MyProgramme {
    /// The programme.
    pub programme: Programme,
    /// The version in force.
    pub version: ProgrammeVersion,
    /// The clinic's name.
    pub clinic: String,
    /// The exercises, ready for the session player.
    pub items: Vec<Item>,
    /// Sessions due today.
    pub due_today: u32,
}

/// A template, as listed.
#[derive(Debug, Clone, Serialize)]
pub struct Template {
    /// The template.
    pub programme: Programme,
    /// Its latest version.
    pub version: ProgrammeVersion,
}

impl App {
    /// The programme in force for this person (the newest active one, if several clinics
    /// prescribed one), with the exercises ready for the player. `None` when nobody prescribed.
    pub async fn prescribed(&self) -> AppResult<Option<(Programme, ProgrammeVersion)>> {
        let store = self.store();
        if !store.has_clinic_tables() {
            // A journal of one's own: no clinic to prescribe.
            return Ok(None);
        }
        for p in store.programmes_of(store.user()).await? {
            if !p.active {
                continue;
            }
            // A programme of a clinic the person has left is not in force.
            let care = store.care_between(&p.clinic_id, store.user()).await?;
            if care.is_some_and(|c| c.status == unknot_core::clinic::access::Care::Confirmed)
                && let Some(v) = store.programme_latest(&p.id).await?
            {
                return Ok(Some((p, v)));
            }
        }
        Ok(None)
    }
}

impl ClinicApp {
    /// The programme in force for the signed-in patient, with today's sessions due.
    pub async fn my_programme(&self, who: &Principal) -> AppResult<Option<MyProgramme>> {
        let app = self.own_app(who);
        let Some((programme, version)) = app.prescribed().await? else {
            return Ok(None);
        };
        let catalogue = self.app.clinic_catalogue(&programme.clinic_id).await?;
        let today = app.now().await?.date();
        Ok(Some(MyProgramme {
            clinic: self.clinic_name(&programme.clinic_id).await?,
            items: version.body.session_items(&catalogue),
            due_today: version.body.schedule.due_on(today),
            programme,
            version,
        }))
    }

    /// A patient's programme in this clinic (the newest, active or ended), for their clinician.
    pub async fn patient_programme(
        &self,
        who: &Principal,
        clinic: &str,
        patient: &str,
    ) -> AppResult<Option<ProgrammeView>> {
        self.patient(who, clinic, patient, Action::ReadPatient, "programme")
            .await?;
        let store = self.app.store();
        let Some(p) = store
            .programmes_of(patient)
            .await?
            .into_iter()
            .find(|p| p.clinic_id == clinic)
        else {
            return Ok(None);
        };
        let versions = store.programme_versions(&p.id).await?;
        Ok(Some(ProgrammeView {
            programme: p,
            versions,
        }))
    }

    /// The prescribed exercises that clash with the patient's cautions (from their latest
    /// answers), without storing anything: the builder shows these as warnings.
    pub async fn programme_clashes(
        &self,
        who: &Principal,
        clinic: &str,
        patient: &str,
        body: &Body,
    ) -> AppResult<Vec<Clash>> {
        let view = self
            .patient(who, clinic, patient, Action::Prescribe, "programme check")
            .await?;
        self.clashes_for(clinic, &view.app, body).await
    }

    async fn clashes_for(&self, clinic: &str, patient: &App, body: &Body) -> AppResult<Vec<Clash>> {
        let catalogue = self.app.clinic_catalogue(clinic).await?;
        body.check(&catalogue)?;
        let cautions = match patient.standing().await? {
            Some(s) => s.answers.cautions(),
            None => Vec::new(),
        };
        Ok(programme::clashes(body, &catalogue, &cautions))
    }

    /// Prescribes `body` to a patient: the next version of their programme in this clinic when
    /// one is in force (`base`: the version the clinician edited, so a change made meanwhile
    /// by someone else is not overwritten), or a new programme. When an exercise clashes with
    /// the patient's cautions nothing is stored unless `accept_clashes`.
    pub async fn prescribe(
        &self,
        who: &Principal,
        clinic: &str,
        patient: &str,
        body: Body,
        base: Option<u32>,
        accept_clashes: bool,
    ) -> AppResult<Prescribed> {
        let view = self
            .patient(who, clinic, patient, Action::Prescribe, "programme")
            .await?;
        let clashes = self.clashes_for(clinic, &view.app, &body).await?;
        if !clashes.is_empty() && !accept_clashes {
            return Ok(Prescribed::Clashes(clashes));
        }
        let store = self.app.store();
        let current = store
            .programmes_of(patient)
            .await?
            .into_iter()
            .find(|p| p.clinic_id == clinic && p.active);
        let (programme, version) = match current {
            Some(p) => self.next_version(who, p, body, base).await?,
            None => {
                self.new_programme(who, clinic, Some(patient), None, body)
                    .await?
            }
        };
        Ok(Prescribed::Saved {
            programme: Box::new(programme),
            version: Box::new(version),
            clashes,
        })
    }

    async fn new_programme(
        &self,
        who: &Principal,
        clinic: &str,
        patient: Option<&str>,
        owner: Option<&str>,
        body: Body,
    ) -> AppResult<(Programme, ProgrammeVersion)> {
        let now = self.now();
        let p = Programme {
            id: self.app.new_id(),
            clinic_id: clinic.to_string(),
            patient_id: patient.map(str::to_string),
            owner_id: owner.map(str::to_string),
            kind: if patient.is_some() {
                ProgrammeKind::Patient
            } else {
                ProgrammeKind::Template
            },
            active: true,
            version: 1,
            created: now,
            changed: now,
        };
        let v = ProgrammeVersion {
            programme_id: p.id.clone(),
            version: 1,
            body,
            changes: Vec::new(),
            author_id: who.account.id.clone(),
            created: now,
        };
        self.app.store().insert_programme(&p, &v).await?;
        Ok((p, v))
    }

    async fn next_version(
        &self,
        who: &Principal,
        mut p: Programme,
        body: Body,
        base: Option<u32>,
    ) -> AppResult<(Programme, ProgrammeVersion)> {
        if base.is_some_and(|b| b != p.version) {
            return Err(stale(p.version));
        }
        let store = self.app.store();
        let catalogue = self.app.clinic_catalogue(&p.clinic_id).await?;
        let old = store
            .programme_latest(&p.id)
            .await?
            .ok_or_else(|| AppError::Internal(format!("programme {} has no version", p.id)))?;
        let now = self.now();
        let v = ProgrammeVersion {
            programme_id: p.id.clone(),
            version: p.version + 1,
            changes: programme::changes(&old.body, &body, &catalogue),
            body,
            author_id: who.account.id.clone(),
            created: now,
        };
        if !store.add_programme_version(&v).await? {
            return Err(stale(p.version));
        }
        p.version = v.version;
        p.changed = now;
        Ok((p, v))
    }

    /// Ends a patient's programme in this clinic (its versions stay in the record).
    pub async fn end_programme(
        &self,
        who: &Principal,
        clinic: &str,
        patient: &str,
    ) -> AppResult<()> {
        self.patient(who, clinic, patient, Action::Prescribe, "programme ended")
            .await?;
        let store = self.app.store();
        for p in store.programmes_of(patient).await? {
            if p.clinic_id == clinic && p.active {
                store.end_programme(&p.id, self.now()).await?;
            }
        }
        Ok(())
    }

    /// The templates a clinician may use in a clinic: the clinic's and their own.
    pub async fn templates(&self, who: &Principal, clinic: &str) -> AppResult<Vec<Template>> {
        self.may_template(who, clinic)?;
        Ok(self
            .app
            .store()
            .templates(clinic, &who.account.id)
            .await?
            .into_iter()
            .map(|(programme, version)| Template { programme, version })
            .collect())
    }

    /// Saves a template: a new one (the clinic's, or `personal`: the clinician's own), or the
    /// next version of one they may change.
    pub async fn save_template(
        &self,
        who: &Principal,
        clinic: &str,
        id: Option<&str>,
        body: Body,
        personal: bool,
    ) -> AppResult<Template> {
        self.may_template(who, clinic)?;
        body.check(&*self.app.clinic_catalogue(clinic).await?)?;
        let (programme, version) = match id {
            None => {
                let owner = personal.then_some(who.account.id.as_str());
                self.new_programme(who, clinic, None, owner, body).await?
            }
            Some(id) => {
                let p = self.template(who, clinic, id).await?.programme;
                self.next_version(who, p, body, None).await?
            }
        };
        Ok(Template { programme, version })
    }

    /// One template the clinician may use; "not found" for another clinic's or another
    /// clinician's personal one.
    pub async fn template(&self, who: &Principal, clinic: &str, id: &str) -> AppResult<Template> {
        self.may_template(who, clinic)?;
        let store = self.app.store();
        let found = store.programme(id).await?.filter(|p| {
            p.clinic_id == clinic
                && p.kind == ProgrammeKind::Template
                && p.active
                && p.owner_id.as_ref().is_none_or(|o| *o == who.account.id)
        });
        let Some(programme) = found else {
            return Err(AppError::Denied(
                unknot_core::clinic::access::Decision::NotFound,
            ));
        };
        let version = store
            .programme_latest(id)
            .await?
            .ok_or_else(|| AppError::Internal(format!("template {id} has no version")))?;
        Ok(Template { programme, version })
    }

    /// Prescribes a template to several patients at once, starting on `start`. Each patient is
    /// decided on their own (access, cautions); the answer says what happened to each.
    pub async fn assign_template(
        &self,
        who: &Principal,
        clinic: &str,
        template: &str,
        patients: &[String],
        start: Date,
        accept_clashes: bool,
    ) -> AppResult<Vec<(String, AppResult<Prescribed>)>> {
        let t = self.template(who, clinic, template).await?;
        let mut body = t.version.body;
        body.schedule.start = start;
        if let Some(end) = body.schedule.end.filter(|e| *e < start) {
            body.schedule.end = Some(end.max(start));
        }
        let mut out = Vec::new();
        for patient in patients.iter().take(200) {
            let done = self
                .prescribe(who, clinic, patient, body.clone(), None, accept_clashes)
                .await;
            out.push((patient.clone(), done));
        }
        Ok(out)
    }

    pub(super) fn may_template(&self, who: &Principal, clinic: &str) -> AppResult<()> {
        let facts = Facts {
            role: who.role_in(clinic),
            ..Facts::default()
        };
        decide(may(Actor::Account, Action::ManageTemplates, facts))
    }

    /// The time stamp of the programme a patient has in force, for caches and the phone app.
    pub async fn programme_changed(&self, who: &Principal) -> AppResult<Option<Timestamp>> {
        Ok(self
            .own_app(who)
            .prescribed()
            .await?
            .map(|(p, _)| p.changed))
    }
}

fn stale(now: u32) -> AppError {
    AppError::Changed(format!(
        "the programme was changed meanwhile (it is at version {now}); reload it and make your \
         change again"
    ))
}

//! The programme handout: the programme in force as a document to keep (the web draws it as a
//! page and a PDF). The patient gets their own; staff open a patient's through the access
//! rules, which write the audit log, since a handout is a copy of the record leaving the
//! server.

use unknot_core::clinic::access::Action;
use unknot_core::clinic::model::{Programme, ProgrammeVersion};
use unknot_export::handout::{self, Handout};

use super::{ClinicApp, Principal};
use crate::{App, AppResult};

impl ClinicApp {
    /// The signed-in patient's handout for the programme in force, or `None` without one.
    pub async fn my_handout(&self, who: &Principal) -> AppResult<Option<Handout>> {
        let app = self.own_app(who);
        let Some((programme, version)) = app.prescribed().await? else {
            return Ok(None);
        };
        let name = who.account.display_name.clone();
        self.handout_of(&app, &programme, &version, &name)
            .await
            .map(Some)
    }

    /// A patient's handout for their programme in this clinic (the active one, else the
    /// newest), for their clinician; opening it is audited as an export. `None` when the
    /// clinic never prescribed one.
    pub async fn patient_handout(
        &self,
        who: &Principal,
        clinic: &str,
        patient: &str,
        what: &str,
    ) -> AppResult<Option<Handout>> {
        let view = self
            .patient(who, clinic, patient, Action::ExportPatient, what)
            .await?;
        let store = self.app.store();
        let mut theirs: Vec<Programme> = store
            .programmes_of(patient)
            .await?
            .into_iter()
            .filter(|p| p.clinic_id == clinic)
            .collect();
        theirs.sort_by_key(|p| (p.active, p.changed));
        let Some(programme) = theirs.pop() else {
            return Ok(None);
        };
        let Some(version) = store.programme_latest(&programme.id).await? else {
            return Ok(None);
        };
        self.handout_of(&view.app, &programme, &version, &view.row.name)
            .await
            .map(Some)
    }

    async fn handout_of(
        &self,
        patient: &App,
        programme: &Programme,
        version: &ProgrammeVersion,
        name: &str,
    ) -> AppResult<Handout> {
        let catalogue = self.app.clinic_catalogue(&programme.clinic_id).await?;
        let zone = patient.zone().await?;
        let day = version.created.to_zoned(zone).date();
        Ok(handout::build(
            &version.body,
            &catalogue,
            name,
            &self.clinic_name(&programme.clinic_id).await?,
            version.version,
            &day.strftime("%-d %B %Y").to_string(),
        ))
    }
}

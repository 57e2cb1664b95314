//! Messages between a patient and their clinic, one thread per care relationship, plain text;
//! sending is written to the audit log. Opening a thread marks the other side's messages read.
//! And the questionnaire schedule: what the clinic asks the patient to fill in, and marking an
//! answer as an error so it is asked again.

use serde::Serialize;
use unknot_core::InputError;
use unknot_core::clinic::access::{Action, Care, Decision};
use unknot_core::clinic::model::{CareLink, Message};
use unknot_core::clinic::questionnaires::{self, Due, QuestionnairePlan};
use unknot_core::outcomes::Instrument;

use super::auth::origin_of;
use super::{ClinicApp, Principal};
use crate::{AppError, AppResult};

/// Longest message, in characters.
pub const MAX_MESSAGE: usize = 2000;

/// A patient's thread with one clinic.
#[derive(Debug, Clone, Serialize)]
pub struct Thread {
    /// The care relationship.
    pub care_id: String,
    /// The clinic's name.
    pub clinic: String,
    /// The messages, oldest first.
    pub messages: Vec<Message>,
}

/// Questionnaires a clinic asks a patient to fill in now.
#[derive(Debug, Clone, Serialize)]
pub struct Asked {
    /// The clinic's name.
    pub clinic: String,
    /// What is due, and since when.
    pub due: Vec<Due>,
}

fn check_body(text: &str) -> AppResult<String> {
    let body = text.trim();
    if body.is_empty() || body.chars().count() > MAX_MESSAGE {
        return Err(InputError::malformed(
            "message",
            format!("{} characters", body.chars().count()),
            format!("write 1 to {MAX_MESSAGE} characters"),
        )
        .into());
    }
    unknot_core::journal::check_plain_text("message", body, true)?;
    Ok(body.to_string())
}

impl ClinicApp {
    /// Sends a patient a message from staff.
    pub async fn message_patient(
        &self,
        who: &Principal,
        clinic: &str,
        patient: &str,
        text: &str,
    ) -> AppResult<Message> {
        let body = check_body(text)?;
        self.patient(who, clinic, patient, Action::MessagePatient, "message sent")
            .await?;
        let link = self.confirmed_link(clinic, patient).await?;
        self.store_message(&link, who, false, body).await
    }

    /// The thread with a patient, for staff; the patient's messages become read.
    pub async fn patient_thread(
        &self,
        who: &Principal,
        clinic: &str,
        patient: &str,
    ) -> AppResult<Vec<Message>> {
        self.patient(who, clinic, patient, Action::MessagePatient, "messages")
            .await?;
        let link = self.confirmed_link(clinic, patient).await?;
        let store = self.app.store();
        store.mark_messages_read(&link.id, true, self.now()).await?;
        Ok(store.messages(&link.id).await?)
    }

    /// A patient's threads with every clinic they are under; the staff's messages become read.
    pub async fn my_threads(&self, who: &Principal) -> AppResult<Vec<Thread>> {
        let store = self.app.store();
        let mut out = Vec::new();
        for link in store.care_of(&who.account.id).await? {
            if link.status != Care::Confirmed {
                continue;
            }
            store
                .mark_messages_read(&link.id, false, self.now())
                .await?;
            out.push(Thread {
                clinic: self.clinic_name(&link.clinic_id).await?,
                messages: store.messages(&link.id).await?,
                care_id: link.id,
            });
        }
        Ok(out)
    }

    /// Unread messages from staff, for the patient's menu.
    pub async fn my_unread(&self, who: &Principal) -> AppResult<u32> {
        Ok(self.app.store().unread_for_patient(&who.account.id).await?)
    }

    /// A patient writes to a clinic they are under.
    pub async fn message_clinic(
        &self,
        who: &Principal,
        care_id: &str,
        text: &str,
    ) -> AppResult<Message> {
        let body = check_body(text)?;
        let link = self
            .app
            .store()
            .care(care_id)
            .await?
            .filter(|l| l.patient_id == who.account.id && l.status == Care::Confirmed)
            .ok_or(AppError::Denied(Decision::NotFound))?;
        self.store_message(&link, who, true, body).await
    }

    async fn confirmed_link(&self, clinic: &str, patient: &str) -> AppResult<CareLink> {
        self.app
            .store()
            .care_between(clinic, patient)
            .await?
            .filter(|l| l.status == Care::Confirmed)
            .ok_or(AppError::Denied(Decision::NotFound))
    }

    async fn store_message(
        &self,
        link: &CareLink,
        who: &Principal,
        from_patient: bool,
        body: String,
    ) -> AppResult<Message> {
        let m = Message {
            id: self.app.new_id(),
            care_id: link.id.clone(),
            clinic_id: link.clinic_id.clone(),
            patient_id: link.patient_id.clone(),
            sender_id: who.account.id.clone(),
            from_patient,
            body,
            at: self.now(),
            read: None,
        };
        self.app.store().insert_message(&m).await?;
        if from_patient {
            // Staff sending is audited by opening the record; the patient's own write here.
            self.audit_event(
                &who.account.id,
                Some(&link.clinic_id),
                Some(&link.patient_id),
                "message",
                "message sent",
                &origin_of(who),
                "ok",
            )
            .await?;
        }
        Ok(m)
    }

    /// The questionnaire schedule for a patient (the default when the clinician set none).
    pub async fn questionnaire_plan(
        &self,
        who: &Principal,
        clinic: &str,
        patient: &str,
    ) -> AppResult<QuestionnairePlan> {
        self.patient(
            who,
            clinic,
            patient,
            Action::ReadPatient,
            "questionnaire schedule",
        )
        .await?;
        let link = self.confirmed_link(clinic, patient).await?;
        Ok(self
            .app
            .store()
            .questionnaire_plan(&link.id)
            .await?
            .unwrap_or_default())
    }

    /// Sets a patient's questionnaire schedule.
    pub async fn set_questionnaire_plan(
        &self,
        who: &Principal,
        clinic: &str,
        patient: &str,
        plan: &QuestionnairePlan,
    ) -> AppResult<()> {
        plan.check()?;
        self.patient(
            who,
            clinic,
            patient,
            Action::Prescribe,
            "questionnaire schedule",
        )
        .await?;
        let link = self.confirmed_link(clinic, patient).await?;
        self.app
            .store()
            .set_questionnaire_plan(&link.id, plan, self.now())
            .await?;
        Ok(())
    }

    /// Marks one of a patient's answers as an error: it stops counting, and the questionnaire
    /// is asked again.
    pub async fn mark_answer_error(
        &self,
        who: &Principal,
        clinic: &str,
        patient: &str,
        assessment: &str,
    ) -> AppResult<()> {
        self.patient(
            who,
            clinic,
            patient,
            Action::Prescribe,
            "answer marked as error",
        )
        .await?;
        let marked = self
            .app
            .store()
            .mark_assessment_error(patient, assessment, &who.account.id, self.now())
            .await?;
        if marked {
            Ok(())
        } else {
            Err(AppError::Denied(Decision::NotFound))
        }
    }

    /// What each clinic the patient is under asks them to fill in now.
    pub async fn questionnaires_due(&self, who: &Principal) -> AppResult<Vec<Asked>> {
        let app = self.own_app(who);
        let store = app.store();
        let now = app.now().await?;
        let (zone, today) = (now.time_zone().clone(), now.date());
        // What is due turns on the last day each instrument was answered (not counting answers
        // marked as errors), and the kept summary holds each score's last answer: one kept row
        // rather than every check-in decoded on each Today.
        let mut answered = Vec::new();
        for (at, s) in store.answer_summary().await?.score_ends {
            let day = at.to_zoned(zone.clone()).date();
            for (i, given) in [
                (Instrument::Peg, s.peg.is_some()),
                (Instrument::Psfs, s.psfs.is_some()),
            ] {
                if given {
                    answered.push((day, i));
                }
            }
        }
        let mut out = Vec::new();
        for link in store.care_of(&who.account.id).await? {
            if link.status != Care::Confirmed {
                continue;
            }
            let plan = store
                .questionnaire_plan(&link.id)
                .await?
                .unwrap_or_default();
            let start = link.changed.to_zoned(zone.clone()).date();
            let due = questionnaires::due(&plan, start, &answered, today);
            if !due.is_empty() {
                out.push(Asked {
                    clinic: self.clinic_name(&link.clinic_id).await?,
                    due,
                });
            }
        }
        Ok(out)
    }
}

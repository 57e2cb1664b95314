//! The clinician's dashboard: one line per patient under their care with the signals core
//! works out (adherence, inactivity, red flags, rising pain, PEG and PSFS, unread messages),
//! worst first; and the same signals with sessions per exercise for one patient's page.
//! Viewing the dashboard is written to the audit log once per view, naming how many patients
//! it showed.

use std::collections::{BTreeMap, HashMap};

use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;
use unknot_core::adapt::ItemStatus;
use unknot_core::clinic::access::{Action, Actor, Care, Facts, Role, may};
use unknot_core::clinic::model::{CareLink, ProgrammeVersion};
use unknot_core::clinic::signals::{self, BASELINE_DAYS, RECENT_DAYS, Signals};
use unknot_core::intake::Assessment;
use unknot_core::progress::scores;
use unknot_core::trends::daily_pain;
use unknot_store::EntryRange;

use super::auth::origin_of;
use super::{ClinicApp, PatientRow, Principal, decide};
use crate::{App, AppResult};

/// One patient's line on the dashboard.
#[derive(Debug, Clone, Serialize)]
pub struct DashboardRow {
    /// The patient, as listed.
    pub patient: PatientRow,
    /// The name of the programme in force, if any.
    pub programme: Option<String>,
    /// What the numbers say.
    pub signals: Signals,
}

/// How often each exercise of the programme was done, skipped or cut short.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ExerciseTally {
    /// The exercise's id.
    pub exercise: String,
    /// Done in full.
    pub done: u32,
    /// Skipped.
    pub skipped: u32,
    /// Started and stopped early.
    pub cut_short: u32,
}

impl ClinicApp {
    /// The dashboard: the confirmed patients the person may see clinically (a clinician's own,
    /// or every patient for an owner), worst first, then by name.
    pub async fn dashboard(&self, who: &Principal, clinic: &str) -> AppResult<Vec<DashboardRow>> {
        let role = who.role_in(clinic);
        let facts = Facts {
            role,
            ..Facts::default()
        };
        decide(may(Actor::Account, Action::ReadDashboard, facts))?;
        let store = self.app.store();
        let programmes: HashMap<String, ProgrammeVersion> = store
            .active_programmes_in(clinic)
            .await?
            .into_iter()
            .filter_map(|(p, v)| Some((p.patient_id?, v)))
            .collect();
        let unread = store.unread_from_patients(clinic).await?;
        let mut rows = Vec::new();
        for (link, account) in store.patients_of(clinic).await? {
            let mine = link.clinician_id.as_deref() == Some(who.account.id.as_str());
            if link.status != Care::Confirmed || (role == Some(Role::Clinician) && !mine) {
                continue;
            }
            let programme = programmes.get(&link.patient_id);
            let app = self.app.for_user(&link.patient_id);
            let unread = unread.get(&link.patient_id).copied().unwrap_or(0);
            let facts = patient_facts(&app, &link, programme, unread).await?;
            rows.push(DashboardRow {
                patient: self.row(&link, &account).await?,
                programme: programme.map(|v| v.body.name.clone()),
                signals: signals::signals(&facts),
            });
        }
        rows.sort_by(|a, b| {
            a.signals
                .worst()
                .cmp(&b.signals.worst())
                .then_with(|| a.patient.name.cmp(&b.patient.name))
        });
        self.audit_event(
            &who.account.id,
            Some(clinic),
            None,
            "read",
            &format!("dashboard ({} patients)", rows.len()),
            &origin_of(who),
            "ok",
        )
        .await?;
        Ok(rows)
    }

    /// One patient's signals and how each exercise went over the last 28 days, for their page.
    pub async fn patient_signals(
        &self,
        who: &Principal,
        clinic: &str,
        patient: &str,
    ) -> AppResult<(Signals, Vec<ExerciseTally>)> {
        let view = self
            .patient(who, clinic, patient, Action::ReadPatient, "signals")
            .await?;
        let store = self.app.store();
        let link = store
            .care_between(clinic, patient)
            .await?
            .ok_or(crate::AppError::Denied(
                unknot_core::clinic::access::Decision::NotFound,
            ))?;
        let programme = store
            .active_programmes_in(clinic)
            .await?
            .into_iter()
            .find(|(p, _)| p.patient_id.as_deref() == Some(patient))
            .map(|(_, v)| v);
        let unread = store
            .unread_from_patients(clinic)
            .await?
            .get(patient)
            .copied()
            .unwrap_or(0);
        let facts = patient_facts(&view.app, &link, programme.as_ref(), unread).await?;
        let tally = tally(&view.app, facts.today).await?;
        Ok((signals::signals(&facts), tally))
    }
}

/// Looks up what core needs for one patient: only the days the signals use are read.
async fn patient_facts(
    app: &App,
    link: &CareLink,
    programme: Option<&ProgrammeVersion>,
    unread: u32,
) -> AppResult<signals::Facts> {
    let zone = app.zone().await?;
    let now = app.now().await?;
    let today = now.date();
    let since = link.changed.to_zoned(zone.clone()).date();
    let store = app.store();
    let window_start = today.checked_sub(27.days())?;
    let from = |d: Date| d.to_zoned(zone.clone()).map(|z| z.timestamp());
    let sessions = store.sessions_since(from(window_start)?).await?;
    let session_days = sessions
        .iter()
        .filter(|s| s.items.iter().any(|i| i.status == ItemStatus::Done))
        .map(|s| s.at.with_time_zone(zone.clone()).date())
        .collect();
    let errors = store.assessment_errors(store.user()).await?;
    let assessments: Vec<Assessment> = store
        .assessments()
        .await?
        .into_iter()
        .filter(|a| !errors.contains(&a.id))
        .collect();
    let baseline_end = since.checked_add((BASELINE_DAYS - 1).days())?;
    let recent_start = today.checked_sub((RECENT_DAYS - 1).days())?;
    let mut pain_entries = store
        .list_entries(EntryRange {
            since: Some(from(since)?),
            until: Some(from(baseline_end.checked_add(1.day())?)?),
            last: None,
        })
        .await?;
    pain_entries.extend(
        store
            .list_entries(EntryRange {
                since: Some(from(recent_start)?),
                until: None,
                last: None,
            })
            .await?,
    );
    // The two windows may overlap early in care: each entry counts once.
    pain_entries.sort_by(|a, b| a.id.as_str().cmp(b.id.as_str()));
    pain_entries.dedup_by(|a, b| a.id == b.id);
    let latest_entry = store
        .list_entries(EntryRange {
            last: Some(1),
            ..EntryRange::default()
        })
        .await?;
    let last_activity = [
        latest_entry
            .last()
            .map(|e| e.at.with_time_zone(zone.clone()).date()),
        sessions
            .last()
            .map(|s| s.at.with_time_zone(zone.clone()).date()),
        assessments
            .last()
            .map(|a| a.at.with_time_zone(zone.clone()).date()),
    ]
    .into_iter()
    .flatten()
    .max();
    let (days, values) = daily_pain(&pain_entries, since.min(recent_start), today);
    Ok(signals::Facts {
        today: Some(today),
        since: Some(since),
        schedule: programme.map(|v| v.body.schedule.clone()),
        session_days,
        last_activity,
        triage: app.watch().await?.map(|w| w.triage),
        daily_pain: days
            .into_iter()
            .zip(values)
            .filter_map(|(d, v)| Some((d, v?)))
            .collect(),
        scores: assessments
            .iter()
            .map(|a| (a.at.with_time_zone(zone.clone()).date(), scores(&a.answers)))
            .collect(),
        unread,
    })
}

async fn tally(app: &App, today: Option<Date>) -> AppResult<Vec<ExerciseTally>> {
    let zone = app.zone().await?;
    let Some(today) = today else {
        return Ok(Vec::new());
    };
    let since = today.checked_sub(27.days())?.to_zoned(zone)?.timestamp();
    let mut by: BTreeMap<String, ExerciseTally> = BTreeMap::new();
    for s in app.store().sessions_since(since).await? {
        for i in s.items {
            let t = by
                .entry(i.exercise.clone())
                .or_insert_with(|| ExerciseTally {
                    exercise: i.exercise.clone(),
                    ..ExerciseTally::default()
                });
            match i.status {
                ItemStatus::Done => t.done += 1,
                ItemStatus::Skipped => t.skipped += 1,
                ItemStatus::CutShort => t.cut_short += 1,
            }
        }
    }
    Ok(by.into_values().collect())
}

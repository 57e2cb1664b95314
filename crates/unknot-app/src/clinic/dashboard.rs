//! The clinician's dashboard: one line per patient under their care with the signals core
//! works out (adherence, inactivity, red flags, rising pain, PEG and PSFS, unread messages),
//! worst first; and the same signals with sessions per exercise for one patient's page.
//! Viewing the dashboard is written to the audit log once per view, naming how many patients
//! it showed.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};
use serde::Serialize;
use unknot_core::adapt::ItemStatus;
use unknot_core::clinic::access::{Action, Actor, Facts, Role, may};
use unknot_core::clinic::model::{CareLink, ProgrammeVersion};
use unknot_core::clinic::signals::{self, BASELINE_DAYS, RECENT_DAYS, Signals};
use unknot_core::folded::AnswerSummary;
use unknot_core::signs;
use unknot_core::trends::daily_means;
use unknot_core::triage::Triage;
use unknot_store::{CaseListing, CaseRecords, EntryRange, PainPoint, SessionMark};

use super::auth::origin_of;
use super::kept::SignalsKey;
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
    /// or every patient for an owner), worst first, then by name. The list comes with each
    /// patient's journal change counter; the records of those who wrote since this server last
    /// read them are read for all of them at once (one query per kind, see `Store::caseload`),
    /// and the rest are the server's kept copies, with the signals worked out from them (see
    /// `kept.rs` for how long either is used).
    pub async fn dashboard(&self, who: &Principal, clinic: &str) -> AppResult<Vec<DashboardRow>> {
        let role = who.role_in(clinic);
        let facts = Facts {
            role,
            ..Facts::default()
        };
        decide(may(Actor::Account, Action::ReadDashboard, facts))?;
        let store = self.app.store();
        let only = (role == Some(Role::Clinician)).then_some(who.account.id.as_str());
        let unread = store.unread_from_patients(clinic, only).await?;
        let now = self.app.clock().now();
        let listings = store.caseload_patients(clinic, only).await?;
        let programmes = self.programmes_of(&listings).await?;
        let caseload = self
            .caseload_records((clinic, only), &listings, now)
            .await?;
        // The zone of a patient who chose none (looked up once: it reads the system's).
        let fallback = crate::system_zone();
        // The viewer's own name is known: a clinician's caseload is all theirs.
        let mut names: HashMap<String, Option<String>> = HashMap::from([(
            who.account.id.clone(),
            Some(who.account.display_name.clone()),
        )]);
        let mut rows = Vec::new();
        for listing in &listings {
            let link = &listing.link;
            let id = link.patient_id.as_str();
            let programme = programmes.get(id).map(AsRef::as_ref);
            let kept = caseload.get(id).cloned().unwrap_or_default();
            let unread = unread.get(id).copied().unwrap_or(0);
            let signals = self.signals_of(listing, &kept, programme, unread, (now, &fallback))?;
            let clinician = match &link.clinician_id {
                Some(c) => match names.get(c) {
                    Some(n) => n.clone(),
                    None => {
                        let n = store.account(c).await?.map(|a| a.display_name);
                        names.insert(c.clone(), n.clone());
                        n
                    }
                },
                None => None,
            };
            rows.push(DashboardRow {
                patient: PatientRow {
                    id: link.patient_id.clone(),
                    name: listing.name.clone(),
                    birth_year: listing.birth_year,
                    status: link.status,
                    clinician,
                    clinician_id: link.clinician_id.clone(),
                    changed: link.changed,
                },
                programme: programme.map(|v| v.body.name.clone()),
                signals,
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

    /// One listed patient's signals from their records: those this server worked out from the
    /// same records under the same key (programme, unread count, the patient's date), or
    /// worked out now and kept with the records.
    fn signals_of(
        &self,
        listing: &CaseListing,
        kept: &Arc<CaseRecords>,
        programme: Option<&ProgrammeVersion>,
        unread: u32,
        (now, fallback): (Timestamp, &TimeZone),
    ) -> AppResult<Signals> {
        let zone = kept
            .settings
            .as_ref()
            .map_or_else(|| fallback.clone(), |s| s.zone(fallback));
        let id = listing.link.patient_id.as_str();
        let key = SignalsKey {
            programme: listing.programme.clone(),
            unread,
            today: now.to_zoned(zone.clone()).date(),
        };
        if let Some(s) = self.caseloads.signals(id, kept, &key) {
            return Ok(s);
        }
        let records = Records::from_caseload(kept, zone, now);
        let facts = facts_of(&records, &listing.link, programme, unread)?;
        let s = signals::signals(&facts);
        self.caseloads.remember(id, kept, key, &s);
        Ok(s)
    }

    /// The programme in force for each listed patient who has one, by patient id: the
    /// versions this server has read before, and the rest read in one query and kept.
    async fn programmes_of(
        &self,
        listings: &[CaseListing],
    ) -> AppResult<HashMap<String, Arc<ProgrammeVersion>>> {
        let mut out = HashMap::new();
        let mut missing = Vec::new();
        for l in listings {
            let Some((id, version)) = &l.programme else {
                continue;
            };
            match self.versions.get(id, *version) {
                Some(v) => {
                    out.insert(l.link.patient_id.clone(), v);
                }
                None => missing.push((id.clone(), *version)),
            }
        }
        if missing.is_empty() {
            return Ok(out);
        }
        let mut read: HashMap<(String, u32), Arc<ProgrammeVersion>> = HashMap::new();
        for v in self.app.store().these_programme_versions(&missing).await? {
            let v = self.versions.keep(v);
            read.insert((v.programme_id.clone(), v.version), v);
        }
        for l in listings {
            if let Some(v) = l.programme.as_ref().and_then(|key| read.get(key)) {
                out.insert(l.link.patient_id.clone(), v.clone());
            }
        }
        Ok(out)
    }

    /// The records of each listed patient: those this server keeps while they still hold, and
    /// the rest read in one go (one query per kind) and kept.
    async fn caseload_records(
        &self,
        (clinic, clinician): (&str, Option<&str>),
        listings: &[CaseListing],
        now: Timestamp,
    ) -> AppResult<HashMap<String, Arc<CaseRecords>>> {
        self.caseloads.sweep(now);
        let mut out = HashMap::new();
        let mut missing = self.kept_records(listings.iter(), now, &mut out);
        if missing.is_empty() {
            return Ok(out);
        }
        // One view of a caseload reads what is missing at a time; one that waited finds
        // most of it kept by then.
        let turn = self
            .caseloads
            .turn(&format!("{clinic}\u{1f}{}", clinician.unwrap_or("*")));
        let _turn = turn.lock().await;
        missing = self.kept_records(missing.into_iter(), now, &mut out);
        if missing.is_empty() {
            return Ok(out);
        }
        let ids: Vec<String> = missing.iter().map(|l| l.link.patient_id.clone()).collect();
        // Wide enough for every time zone, and for the kept records' whole life: each
        // patient's exact days are picked when the signals are worked out.
        let read: HashMap<String, Arc<CaseRecords>> = self
            .app
            .store()
            .caseload(
                clinic,
                &ids,
                now.checked_sub(SignedDuration::from_hours(24 * 30))?,
                now.checked_sub(SignedDuration::from_hours(24 * (RECENT_DAYS + 2)))?,
            )
            .await?
            .into_iter()
            .map(|(id, r)| (id, Arc::new(r)))
            .collect();
        for l in missing {
            // A patient listed twice (two care rows) shares one copy of their records.
            let records = read.get(&l.link.patient_id).cloned().unwrap_or_default();
            self.caseloads.keep(l, now, records.clone());
            out.insert(l.link.patient_id.clone(), records);
        }
        Ok(out)
    }

    /// Puts the kept records of the `listings` that have them in `out`; returns the rest.
    fn kept_records<'l>(
        &self,
        listings: impl Iterator<Item = &'l CaseListing>,
        now: Timestamp,
        out: &mut HashMap<String, Arc<CaseRecords>>,
    ) -> Vec<&'l CaseListing> {
        let mut missing = Vec::new();
        for l in listings {
            match self.caseloads.get(l, now) {
                Some(r) => {
                    out.insert(l.link.patient_id.clone(), r);
                }
                None => missing.push(l),
            }
        }
        missing
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
            .unread_from_patients(clinic, None)
            .await?
            .get(patient)
            .copied()
            .unwrap_or(0);
        let facts = patient_facts(&view.app, &link, programme.as_ref(), unread).await?;
        let tally = tally(&view.app, facts.today).await?;
        Ok((signals::signals(&facts), tally))
    }
}

/// One patient's records that the signals read: from a caseload read for the dashboard, or
/// read for one patient's page. Lists may hold more than the windows (the caseload reads wide
/// windows for every time zone); [`facts_of`] picks the exact days.
struct Records<'a> {
    zone: TimeZone,
    now: Timestamp,
    sessions: &'a [SessionMark],
    summary: &'a AnswerSummary,
    pain: &'a [PainPoint],
    latest_entry: Option<Timestamp>,
    triage: Option<Triage>,
}

impl<'a> Records<'a> {
    fn from_caseload(c: &'a CaseRecords, zone: TimeZone, now: Timestamp) -> Records<'a> {
        let summary = &c.summary;
        // The safety net as `App::watch` works it out, over the same candidate rows.
        let triage = summary
            .folded
            .as_ref()
            .map(|f| signs::check_folded(f, &c.sign_entries, &c.sign_sessions, now).triage);
        Records {
            zone,
            now,
            sessions: &c.sessions,
            summary,
            pain: &c.pain,
            latest_entry: c.latest_entry,
            triage,
        }
    }
}

/// Looks up what core needs for one patient's page: only the days the signals use are read.
async fn patient_facts(
    app: &App,
    link: &CareLink,
    programme: Option<&ProgrammeVersion>,
    unread: u32,
) -> AppResult<signals::Facts> {
    let zone = app.zone().await?;
    let now = app.clock().now();
    let today = now.to_zoned(zone.clone()).date();
    let since = link.changed.to_zoned(zone.clone()).date();
    let store = app.store();
    let from = |d: Date| d.to_zoned(zone.clone()).map(|z| z.timestamp());
    let sessions: Vec<SessionMark> = store
        .sessions_since(from(today.checked_sub(27.days())?)?)
        .await?
        .iter()
        .map(|s| SessionMark {
            at: s.at.timestamp(),
            done: s.items.iter().any(|i| i.status == ItemStatus::Done),
        })
        .collect();
    let summary = store.answer_summary().await?;
    let baseline_end = since.checked_add((BASELINE_DAYS - 1).days())?;
    let mut entries = store
        .list_entries(EntryRange {
            since: Some(from(since)?),
            until: Some(from(baseline_end.checked_add(1.day())?)?),
            last: None,
        })
        .await?;
    let recent_start = today.checked_sub((RECENT_DAYS - 1).days())?;
    entries.extend(
        store
            .list_entries(EntryRange {
                since: Some(from(recent_start)?),
                until: None,
                last: None,
            })
            .await?,
    );
    let pain: Vec<PainPoint> = entries
        .into_iter()
        .filter_map(|e| {
            Some(PainPoint {
                pain: e.pain?,
                at: e.at,
                id: e.id.as_str().to_string(),
            })
        })
        .collect();
    let latest_entry = store
        .list_entries(EntryRange {
            last: Some(1),
            ..EntryRange::default()
        })
        .await?
        .last()
        .map(|e| e.at.timestamp());
    let records = Records {
        zone,
        now,
        sessions: &sessions,
        summary: &summary,
        pain: &pain,
        latest_entry,
        triage: app.watch().await?.map(|w| w.triage),
    };
    facts_of(&records, link, programme, unread)
}

/// What core needs for one patient, from their records.
fn facts_of(
    r: &Records<'_>,
    link: &CareLink,
    programme: Option<&ProgrammeVersion>,
    unread: u32,
) -> AppResult<signals::Facts> {
    let zone = &r.zone;
    let today = r.now.to_zoned(zone.clone()).date();
    let since = link.changed.to_zoned(zone.clone()).date();
    let from = |d: Date| d.to_zoned(zone.clone()).map(|z| z.timestamp());
    let window_start = from(today.checked_sub(27.days())?)?;
    let sessions: Vec<&SessionMark> = r.sessions.iter().filter(|s| s.at >= window_start).collect();
    let session_days = sessions
        .iter()
        .filter(|s| s.done)
        .map(|s| s.at.to_zoned(zone.clone()).date())
        .collect();
    let baseline_end = since.checked_add((BASELINE_DAYS - 1).days())?;
    let recent_start = today.checked_sub((RECENT_DAYS - 1).days())?;
    let (base_from, base_until) = (from(since)?, from(baseline_end.checked_add(1.day())?)?);
    let recent_from = from(recent_start)?;
    let mut pain_entries: Vec<&PainPoint> = r
        .pain
        .iter()
        .filter(|e| {
            let t = e.at.timestamp();
            (t >= base_from && t <= base_until) || t >= recent_from
        })
        .collect();
    // The two windows may overlap early in care: each entry counts once.
    pain_entries.sort_by(|a, b| a.id.as_str().cmp(b.id.as_str()));
    pain_entries.dedup_by(|a, b| a.id == b.id);
    let last_activity = [
        r.latest_entry.map(|t| t.to_zoned(zone.clone()).date()),
        sessions.last().map(|s| s.at.to_zoned(zone.clone()).date()),
        r.summary
            .newest_counted
            .map(|t| t.to_zoned(zone.clone()).date()),
    ]
    .into_iter()
    .flatten()
    .max();
    // Only the two windows the signals compare (the days between, two years of them for a
    // patient long in care, are never read).
    let mut daily: Vec<(Date, f64)> = Vec::new();
    for (from, to) in [(since, baseline_end), (recent_start, today)] {
        let points = pain_entries.iter().map(|p| (p.at.date(), p.pain.get()));
        let (days, values) = daily_means(points, from, to);
        daily.extend(
            days.into_iter()
                .zip(values)
                .filter_map(|(d, v)| Some((d, v?))),
        );
    }
    daily.sort_by_key(|(d, _)| *d);
    daily.dedup_by_key(|(d, _)| *d);
    Ok(signals::Facts {
        today: Some(today),
        since: Some(since),
        schedule: programme.map(|v| v.body.schedule.clone()),
        session_days,
        last_activity,
        triage: r.triage.clone(),
        daily_pain: daily,
        // Each score's first and last value (not those marked as errors): all the change
        // needs.
        scores: r
            .summary
            .score_ends
            .iter()
            .map(|(t, s)| (t.to_zoned(zone.clone()).date(), *s))
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

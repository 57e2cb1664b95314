//! Warning signs from anywhere, and the answers triage should see now.
//!
//! A warning sign can turn up at the intake, at a check-in, in a journal entry (numbness or
//! tingling, pain in a leg, an arm or the chest), in a guided session's feedback or in a web
//! form. This module folds them all into one [`Answers`] and ages it to the present, so every
//! caller (check-in, weekly review, Today, a journal write) triages the same thing the same way:
//! [`check_now`] is the one call.
//!
//! Reports only ever add signs. A later check-in may clear a sign that has gone (that is
//! [`Answers::updated_by`]'s job), but a journal entry or a session's feedback never clears one.

use jiff::Timestamp;
use serde::Serialize;
use serde_json::Value;

use crate::adapt::SessionRecord;
use crate::body::Region;
use crate::error::InputError;
use crate::folded::Folded;
use crate::intake::questions::{Kind, Question, Stage, question, stage};
use crate::intake::{Answers, Assessment, Radiation};
use crate::journal::{Entry, PainKind};
use crate::triage::{Triage, triage};

/// What the safety net sees now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Watch {
    /// The answers triage used: the latest intake, every later check-in laid over it, aged to
    /// now, with the signs from the journal added.
    pub answers: Answers,
    /// The signs the journal and sessions' feedback added, in plain words with their dates
    /// (empty when none).
    pub signs: Vec<String>,
    /// The triage of those answers.
    pub triage: Triage,
    /// When the intake the answers start from was made.
    pub intake_at: Timestamp,
}

/// The answers as they were given: the latest intake with every later check-in laid over it,
/// not aged, and when the intake was made. This is what a plan review takes (it ages them
/// itself). `None` when there is no intake yet.
pub fn as_given(all: &[Assessment]) -> Option<(Timestamp, Answers)> {
    Folded::of(all).map(|f| (f.intake_at, f.answers))
}

/// The answers of the latest intake with every later assessment laid over it (see
/// [`Answers::updated_by`]), each aged from its own time to `now` (see [`Answers::as_of`]).
/// `all` is every assessment, oldest first. `None` when there is no intake yet.
pub fn current_answers(all: &[Assessment], now: Timestamp) -> Option<(Timestamp, Answers)> {
    Folded::of(all).map(|f| (f.intake_at, f.as_of(now)))
}

/// The one call for every place that shows or acts on the triage level: check-in, weekly
/// review, Today, a journal write. `all` is every assessment, oldest first; `entries` the
/// journal entries and `sessions` the guided sessions since the latest intake (earlier ones are
/// ignored, the intake having superseded them). `None` when there is no intake yet.
pub fn check_now(
    all: &[Assessment],
    entries: &[Entry],
    sessions: &[SessionRecord],
    now: Timestamp,
) -> Option<Watch> {
    Folded::of(all).map(|f| check_folded(&f, entries, sessions, now))
}

/// [`check_now`] from assessments folded already (see [`Folded`]): what pages that keep the
/// fold call, so every check-in is not read again on each view.
pub fn check_folded(
    folded: &Folded,
    entries: &[Entry],
    sessions: &[SessionRecord],
    now: Timestamp,
) -> Watch {
    let intake_at = folded.intake_at;
    let answers = folded.as_of(now);
    let recent: Vec<Entry> = entries
        .iter()
        .filter(|e| e.at.timestamp() >= intake_at)
        .cloned()
        .collect();
    let (answers, mut signs) = from_entries(&answers, &recent);
    let recent: Vec<SessionRecord> = sessions
        .iter()
        .filter(|s| s.at.timestamp() >= intake_at)
        .cloned()
        .collect();
    let (answers, more) = from_sessions(&answers, &recent);
    signs.extend(more);
    Watch {
        triage: triage(&answers),
        answers,
        signs,
        intake_at,
    }
}

/// The warning signs journal entries show, added to `answers`, with what was seen and when:
/// numbness or tingling; pain in a leg (or a knot whose pain travels there) counts as pain
/// spreading into the thigh; pain in an arm as pain spreading into the arm; pain in the chest as
/// pain spreading into the chest. A sign the answers already hold is not reported again.
///
/// The store reads only entries whose details name one of these signs (`SIGN_FILTER` in
/// unknot-store, with partial indexes in its migration 0013): a sign added here must be added
/// there too, or it will not be found in older entries.
pub fn from_entries(answers: &Answers, entries: &[Entry]) -> (Answers, Vec<String>) {
    let mut a = answers.clone();
    let mut seen = Vec::new();
    for e in entries {
        let day = e.at.date();
        if e.pain_kinds
            .iter()
            .any(|k| matches!(k, PainKind::Numbness | PainKind::Tingling))
            && a.numbness_tingling != Some(true)
        {
            a.numbness_tingling = Some(true);
            seen.push(format!("numbness or tingling logged on {day}"));
        }
        let leg = e.regions.iter().any(|r| r.region == Region::Leg)
            || e.knots.iter().any(|k| k.refers_to.contains(&Region::Leg));
        let arm = e.regions.iter().any(|r| r.region == Region::Arm);
        let chest = e.regions.iter().any(|r| r.region == Region::Chest);
        if leg && radiation_rank(a.radiation) < radiation_rank(Some(Radiation::Thigh)) {
            a.radiation = Some(Radiation::Thigh);
            seen.push(format!("pain in the leg logged on {day}"));
        }
        if arm
            && matches!(
                a.radiation,
                None | Some(Radiation::None | Radiation::Buttock)
            )
        {
            a.radiation = Some(Radiation::Arm);
            seen.push(format!("pain in the arm logged on {day}"));
        }
        if chest && a.radiation != Some(Radiation::Chest) {
            a.radiation = Some(Radiation::Chest);
            seen.push(format!("chest pain logged on {day}"));
        }
    }
    (a, seen)
}

/// How far pain spreads, for keeping the more serious of two answers: chest first, then below
/// the knee and the arm, then the thigh, then the buttock.
fn radiation_rank(r: Option<Radiation>) -> u8 {
    match r {
        None | Some(Radiation::None) => 0,
        Some(Radiation::Buttock) => 1,
        Some(Radiation::Thigh) => 2,
        Some(Radiation::BelowKnee | Radiation::Arm) => 3,
        Some(Radiation::Chest) => 4,
    }
}

/// `answers` with the warning signs of a report added: a session's feedback, a journal's
/// warning-sign questions or any form that asks the warning-sign questions of
/// [`crate::intake::questions::QUESTIONS`] and reads them with [`Answers::from_pairs`]. A "yes"
/// in the report becomes a "yes"; a graded answer (leg weakness, an injury, where the pain
/// spreads) keeps the more serious of the two; a "no" in a report changes nothing.
pub fn add_report(answers: &Answers, report: &Answers) -> Answers {
    let (Ok(mut base), Ok(extra)) = (serde_json::to_value(answers), serde_json::to_value(report))
    else {
        return answers.clone();
    };
    for q in stage(Stage::WarningSigns) {
        let (Some(new), Some(map)) = (extra.get(q.field), base.as_object_mut()) else {
            continue;
        };
        let old = map.get(q.field).cloned().unwrap_or(Value::Null);
        let keep_new = match q.kind {
            Kind::YesNo => *new == Value::Bool(true),
            Kind::One(_) => severity(q, new) > severity(q, &old),
            _ => false,
        };
        if keep_new {
            map.insert(q.field.to_string(), new.clone());
        }
    }
    let mut out: Answers = serde_json::from_value(base).unwrap_or_else(|_| answers.clone());
    if radiation_rank(report.radiation) > radiation_rank(out.radiation) {
        out.radiation = report.radiation;
    }
    out
}

/// A choice's place in its list: the lists of graded warning signs run from "none" to the most
/// serious. An unanswered question ranks below every answer.
fn severity(q: &crate::intake::questions::Question, v: &Value) -> usize {
    let Some(text) = v.as_str() else {
        return 0;
    };
    q.choices()
        .iter()
        .position(|c| c.value == text)
        .map_or(0, |i| i + 1)
}

/// A warning sign a guided session's feedback can report: one that may turn up during or just
/// after exercise. Each is an answer to a warning-sign question of
/// [`crate::intake::questions::QUESTIONS`], so triage reads it with the same rules as at the
/// intake; no rule is added here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionSign {
    /// The stable id a form, the API or `unknot session --sign` uses.
    pub id: &'static str,
    /// The answers field it fills.
    pub field: &'static str,
    /// The answer it gives (`yes`, or a choice's value).
    pub value: &'static str,
}

const fn sign(id: &'static str, field: &'static str, value: &'static str) -> SessionSign {
    SessionSign { id, field, value }
}

/// The warning signs a session's feedback asks about, in the order of the question table.
pub const SESSION_SIGNS: &[SessionSign] = &[
    sign("saddle_numbness", "saddle_numbness", "yes"),
    sign("bladder_bowel_change", "bladder_bowel_change", "yes"),
    sign("both_legs", "both_legs", "yes"),
    sign("leg_weakness", "leg_weakness", "worsening"),
    sign("numbness_tingling", "numbness_tingling", "yes"),
    sign("pain_below_knee", "radiation", "below_knee"),
    sign(
        "chest_pain_or_breathless",
        "chest_pain_or_breathless",
        "yes",
    ),
    sign(
        "pain_with_sweating_or_sickness",
        "pain_with_sweating_or_sickness",
        "yes",
    ),
];

impl SessionSign {
    /// The sign with this id.
    pub fn find(id: &str) -> Option<&'static SessionSign> {
        SESSION_SIGNS.iter().find(|s| s.id == id)
    }

    /// The question it answers.
    fn question(&self) -> Option<&'static Question> {
        question(self.field)
    }

    /// The words a person reads, taken from the question table: the question, and for a choice
    /// the choice it gives ("Does the pain spread anywhere? Down a leg, below the knee.").
    pub fn words(&self) -> String {
        let Some(q) = self.question() else {
            return self.id.replace('_', " ");
        };
        match q.choices().iter().find(|c| c.value == self.value) {
            Some(c) => {
                let mut label = c.label.to_string();
                if let Some(first) = label.get(..1) {
                    label.replace_range(..1, &first.to_uppercase());
                }
                format!("{} {label}.", q.ask)
            }
            None => q.ask.to_string(),
        }
    }

    /// The answers this sign reports on its own.
    pub fn answers(&self) -> Answers {
        Answers::from_pairs([(self.field, self.value)]).unwrap_or_default()
    }
}

/// Reads the warning signs a session's feedback reports, by id: every id must be one of
/// [`SESSION_SIGNS`] (the error names the nearest ones). Returns the ids in table order, each
/// once.
pub fn read_session_signs<'a>(
    ids: impl IntoIterator<Item = &'a str>,
) -> Result<Vec<String>, InputError> {
    let mut picked = Vec::new();
    for id in ids {
        let id = id.trim();
        if id.is_empty() {
            continue;
        }
        let sign = SessionSign::find(id).ok_or_else(|| InputError::UnknownId {
            kind: "warning sign",
            value: id.to_string(),
            suggestions: crate::suggest::nearest(id, SESSION_SIGNS.iter().map(|s| s.id)),
            choices: SESSION_SIGNS.iter().map(|s| s.id.to_string()).collect(),
        })?;
        picked.push(sign.id);
    }
    Ok(SESSION_SIGNS
        .iter()
        .filter(|s| picked.contains(&s.id))
        .map(|s| s.id.to_string())
        .collect())
}

/// The warning signs sessions' feedback reported, added to `answers` (see [`add_report`]), with
/// what was reported and when. A sign the answers already hold is not reported again; an
/// unknown id (from a newer version's backup) is passed over.
pub fn from_sessions(answers: &Answers, sessions: &[SessionRecord]) -> (Answers, Vec<String>) {
    let mut a = answers.clone();
    let mut seen = Vec::new();
    for s in sessions {
        let day = s.at.date();
        for sign in s
            .warning_signs
            .iter()
            .filter_map(|id| SessionSign::find(id))
        {
            let next = add_report(&a, &sign.answers());
            if next != a {
                a = next;
                seen.push(format!("a session on {day} reported: {}", sign.words()));
            }
        }
    }
    (a, seen)
}

//! The visit summary: what a clinician needs in two minutes, built from the journal, the
//! assessments, sessions and plan, and rendered as a print-friendly HTML page
//! ([`html`](crate::report_html)) or a PDF ([`pdf`](crate::report_pdf)). Building the
//! [`Report`] is separate from drawing it, so both renderings say exactly the same things.

use std::collections::BTreeMap;

use jiff::ToSpan;
use jiff::civil::Date;
use unknot_core::adapt::{ItemStatus, SessionRecord};
use unknot_core::body::{Muscle, Side};
use unknot_core::catalogue::Catalogue;
use unknot_core::intake::{Assessment, AssessmentKind, Trauma};
use unknot_core::journal::Entry;
use unknot_core::outcomes::{self, Instrument};
use unknot_core::planner::StoredPlan;
use unknot_core::today::Completion;
use unknot_core::triage::Triage;
use unknot_core::{progress, trends};

/// What the report is built from.
#[derive(Debug, Clone)]
pub struct Input<'a> {
    /// The person's name, if given.
    pub name: Option<String>,
    /// First and last day of the period.
    pub since: Date,
    /// See `since`.
    pub until: Date,
    /// Entries in the period (in the user's time zone).
    pub entries: &'a [Entry],
    /// Every assessment and check-in, oldest first (scores compare the first with the latest).
    pub assessments: &'a [Assessment],
    /// Sessions in the period.
    pub sessions: &'a [SessionRecord],
    /// The current plan.
    pub plan: Option<&'a StoredPlan>,
    /// The safety check as it stands (aged, with the journal's warning signs), once assessed.
    pub triage: Option<&'a Triage>,
    /// The day of the latest safety check or check-in, once assessed.
    pub last_check: Option<Date>,
    /// When the plan's course began (its first version after the latest intake); adherence is
    /// counted from then (or from the period's start, if later).
    pub course_start: Option<jiff::Timestamp>,
    /// The library, for exercise names.
    pub catalogue: &'a Catalogue,
    /// Include the notes written in the period.
    pub include_notes: bool,
    /// Questions to ask at the visit, in the user's words.
    pub questions: Vec<String>,
}

/// One outcome score: where it started, where it is, and what the change means.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreRow {
    /// The instrument's name.
    pub name: String,
    /// First value and its date.
    pub first: (f64, Date),
    /// Latest value and its date.
    pub latest: (f64, Date),
    /// The change in words, with whether it is an important one.
    pub change: String,
    /// Every value, oldest first, with its date (for the chart of scores over time).
    pub series: Vec<(Date, f64)>,
}

/// The warning-sign section: always there, so a reader knows whether a check was done.
#[derive(Debug, Clone, PartialEq)]
pub struct Safety {
    /// The level in a few words, capitalised (or "No warning signs reported").
    pub level: String,
    /// What it means to do.
    pub advice: String,
    /// Each sign found, in plain words.
    pub reasons: Vec<String>,
    /// When the check was, or that none was done ("at the check on 23 November 2026").
    pub checked: String,
    /// True when the level is above self-care (drawn as an alert).
    pub flagged: bool,
}

/// The visit summary's content, in plain words and numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Title line.
    pub title: String,
    /// Name, if given.
    pub name: Option<String>,
    /// Age at the intake, if given.
    pub age: Option<u8>,
    /// The period covered, in words.
    pub period: String,
    /// The main complaint and how long it has lasted.
    pub complaint: String,
    /// The one-line verdict: better, about the same, worse or mixed, with the numbers.
    pub verdict: String,
    /// The warning-sign check as it stands.
    pub safety: Safety,
    /// Days of the period, for the chart.
    pub dates: Vec<Date>,
    /// Daily mean pain (absent on days with no rating).
    pub pain: Vec<Option<f64>>,
    /// Pain in the period in one line (mean, range, first and last week).
    pub pain_summary: String,
    /// Knots by muscle and side, most frequent first.
    pub knots: Vec<(Muscle, Side, usize)>,
    /// Outcome scores with their change.
    pub scores: Vec<ScoreRow>,
    /// Treatments tried and how often, as (what, how often).
    pub treatments: Vec<(String, String)>,
    /// Medicines as the person named them (no doses), with how many entries name each.
    pub medicines: Vec<(String, String)>,
    /// Adherence to the plan, in words.
    pub adherence: Option<String>,
    /// The plan's exercises: name, dose, and the figure to draw (when the exercise has one).
    pub routine: Vec<(String, String, Option<unknot_core::figure::Figure>)>,
    /// Past injuries and other history the user gave.
    pub history: Vec<String>,
    /// Notes the user chose to include, with their dates.
    pub notes: Vec<(String, String)>,
    /// Questions for the visit.
    pub questions: Vec<String>,
    /// The closing line: what this document is and is not.
    pub disclaimer: String,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn duration_words(days: i64) -> String {
    match days {
        i64::MIN..=1 => "a day or so".into(),
        2..=13 => format!("about {days} days"),
        14..=62 => format!("about {} weeks", (days + 3) / 7),
        63..=729 => format!("about {} months", (days + 15) / 30),
        _ => format!("about {} years", days / 365),
    }
}

/// Builds the report: each section from its own small function, all from the same input.
pub fn build(input: &Input) -> Report {
    let intake = input
        .assessments
        .iter()
        .rev()
        .find(|a| a.kind == AssessmentKind::Intake);
    let days = (input.since.until(input.until).map_or(0, |s| s.get_days()) + 1).max(1);
    let (dates, pain) = trends::daily_pain(input.entries, input.since, input.until);
    Report {
        title: "Back pain summary for a clinician".to_string(),
        name: input.name.clone(),
        age: intake.and_then(|a| a.answers.age),
        period: format!(
            "{} to {} ({} days, {} journal entries)",
            input.since,
            input.until,
            days,
            input.entries.len()
        ),
        complaint: complaint(input, intake),
        verdict: verdict(input.assessments),
        safety: safety(input.triage, input.last_check),
        pain_summary: pain_summary(input.entries, &pain, days),
        dates,
        pain,
        knots: trends::knot_counts(input.entries),
        scores: score_rows(input.assessments),
        treatments: treatments(input),
        medicines: medicines(input.entries),
        adherence: adherence(input),
        routine: routine(input),
        history: intake.map(history).unwrap_or_default(),
        notes: notes(input),
        questions: input
            .questions
            .iter()
            .map(|q| q.trim().to_string())
            .filter(|q| !q.is_empty())
            .collect(),
        disclaimer: "Written by the user with unknot, a self-care journal. It records what the \
            user reported; it is not a diagnosis. The warning-sign check follows published \
            red-flag guidance for low back pain."
            .to_string(),
    }
}

/// Pain in the period in one line: mean, range, and the first and last week when long enough.
fn pain_summary(entries: &[Entry], daily: &[Option<f64>], days: i32) -> String {
    let rated: Vec<f64> = entries
        .iter()
        .filter_map(|e| e.pain.map(|p| f64::from(p.get())))
        .collect();
    if rated.is_empty() {
        return "No pain ratings in this period.".to_string();
    }
    let mean = rated.iter().sum::<f64>() / rated.len() as f64;
    let min = rated.iter().copied().fold(f64::MAX, f64::min);
    let max = rated.iter().copied().fold(f64::MIN, f64::max);
    let week = |vals: &[Option<f64>]| {
        let v: Vec<f64> = vals.iter().flatten().copied().collect();
        (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
    };
    let first = week(&daily[..daily.len().min(7)]);
    let last = week(&daily[daily.len().saturating_sub(7)..]);
    let trend = match (first, last) {
        (Some(a), Some(b)) if days > 13 => format!("; first week {a:.1}, last week {b:.1}"),
        _ => String::new(),
    };
    format!(
        "Average pain {mean:.1}/10 over {} (range {min:.0} to {max:.0}){trend}.",
        plural(rated.len(), "rating", "ratings")
    )
}

/// Where it hurts and for how long: the intake's regions, else the journal's most rated ones.
fn complaint(input: &Input, intake: Option<&Assessment>) -> String {
    let mut where_words: Vec<String> = intake
        .and_then(|a| a.answers.regions.as_ref())
        .map(|rs| {
            rs.iter()
                .map(|r| r.region().label().to_lowercase())
                .collect()
        })
        .unwrap_or_default();
    if where_words.is_empty() {
        let mut region_counts: BTreeMap<&'static str, usize> = BTreeMap::new();
        for r in input.entries.iter().flat_map(|e| &e.regions) {
            *region_counts.entry(r.region.label()).or_default() += 1;
        }
        let mut by: Vec<(&str, usize)> = region_counts.into_iter().collect();
        by.sort_by_key(|x| std::cmp::Reverse(x.1));
        where_words = by.iter().take(3).map(|(r, _)| r.to_lowercase()).collect();
    }
    let place = match where_words.as_slice() {
        [] => "Back pain".to_string(),
        [one] => format!("Pain in the {one}"),
        many => format!(
            "Pain in the {} and {}",
            many[..many.len() - 1].join(", "),
            many[many.len() - 1]
        ),
    };
    let lasted = intake.and_then(|a| {
        let start =
            a.at.date()
                .checked_sub(i64::from(a.answers.onset_days?).days())
                .ok()?;
        let d = start.until(input.until).ok()?.get_days();
        Some(format!(
            ", for {} (since about {start})",
            duration_words(i64::from(d))
        ))
    });
    let first_entry = input.entries.first().map(|e| e.at.date());
    format!(
        "{place}{}.",
        lasted.unwrap_or_else(|| first_entry
            .map(|d| format!(", recorded since {d}"))
            .unwrap_or_default())
    )
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

/// The warning-sign section: the level and reasons as the check stands now, and when it was.
fn safety(triage: Option<&Triage>, last_check: Option<Date>) -> Safety {
    let checked = match last_check {
        Some(d) => format!("at the check on {}", d.strftime("%-d %B %Y")),
        None => "no safety check done yet".to_string(),
    };
    match triage {
        None => Safety {
            level: "No safety check done yet".into(),
            advice: "The warning-sign questions have not been answered in unknot.".into(),
            reasons: Vec::new(),
            checked,
            flagged: false,
        },
        Some(t) if t.reasons.is_empty() => Safety {
            level: "No warning signs reported".into(),
            advice: format!("None reported {checked}; self-care judged reasonable."),
            reasons: Vec::new(),
            checked,
            flagged: false,
        },
        Some(t) => Safety {
            level: capitalised(t.urgency.label()),
            advice: t.advice.to_string(),
            reasons: t.reasons.iter().map(|r| r.says.to_string()).collect(),
            checked,
            flagged: t.urgency > unknot_core::triage::Urgency::SelfCare,
        },
    }
}

/// The one-line verdict over the first and latest score of each instrument.
fn verdict(assessments: &[Assessment]) -> String {
    let changes: Vec<outcomes::Change> = [Instrument::PainNrs, Instrument::Peg, Instrument::Psfs]
        .into_iter()
        .filter_map(|i| {
            let s = progress::series(assessments, i);
            let (first, latest) = (s.first()?, s.last()?);
            (s.len() > 1).then(|| outcomes::change(i, first.0, latest.0))
        })
        .collect();
    let Some(v) = progress::verdict(&changes) else {
        return "Not enough check-ins yet to say whether things are changing.".to_string();
    };
    let short = |i: Instrument| match i {
        Instrument::PainNrs => "pain",
        Instrument::Peg => "PEG",
        Instrument::Psfs => "activities (PSFS)",
    };
    let numbers: Vec<String> = changes
        .iter()
        .map(|c| format!("{} {:.1} to {:.1}", short(c.instrument), c.before, c.after))
        .collect();
    format!(
        "{} since the first check: {} (each judged against the change that matters for it).",
        v.label(),
        numbers.join(", ")
    )
}

/// The first and latest value of each instrument, with what the change means.
fn score_rows(assessments: &[Assessment]) -> Vec<ScoreRow> {
    [Instrument::PainNrs, Instrument::Peg, Instrument::Psfs]
        .into_iter()
        .filter_map(|instrument| {
            let s = progress::series(assessments, instrument);
            let (first, latest) = (s.first()?, s.last()?);
            let change = if s.len() > 1 {
                change_words(&outcomes::change(instrument, first.0, latest.0))
            } else {
                "One score so far; change shows from the next check-in.".to_string()
            };
            Some(ScoreRow {
                name: instrument.name().to_string(),
                first: (first.0, first.1.at.date()),
                latest: (latest.0, latest.1.at.date()),
                change,
                series: s.iter().map(|(v, a)| (a.at.date(), *v)).collect(),
            })
        })
        .collect()
}

/// A change in words for a clinician: direction, size and whether it matters.
fn change_words(c: &outcomes::Change) -> String {
    use outcomes::Direction;
    let better = if c.instrument.higher_is_better() {
        "higher is better"
    } else {
        "lower is better"
    };
    let judged = match c.direction {
        Direction::Better => "an important improvement",
        Direction::Worse => "an important worsening",
        Direction::NoImportantChange => "no important change",
    };
    format!("{:+.1} points ({better}): {judged}", c.delta)
}

/// Treatments and how often: sessions, each kind of self-care, visits.
fn treatments(input: &Input) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if !input.sessions.is_empty() {
        let done: usize = input
            .sessions
            .iter()
            .map(|s| {
                s.items
                    .iter()
                    .filter(|i| i.status == ItemStatus::Done)
                    .count()
            })
            .sum();
        out.push((
            "Guided exercise sessions".to_string(),
            format!(
                "{}, {} exercises done in all",
                plural(input.sessions.len(), "session", "sessions"),
                done
            ),
        ));
    }
    self_care(input.entries, &mut out);
    out.extend(visits(input.entries));
    out
}

/// Stretching, strengthening, heat, cold, massage and foam rolling: times, and minutes in all.
fn self_care(entries: &[Entry], out: &mut Vec<(String, String)>) {
    let count = |f: &dyn Fn(&Entry) -> bool| entries.iter().filter(|e| f(e)).count();
    let minutes = |f: &dyn Fn(&Entry) -> Option<u16>| -> (usize, u32) {
        let m: Vec<u16> = entries.iter().filter_map(f).collect();
        (m.len(), m.iter().map(|x| u32::from(*x)).sum())
    };
    let mut push = |what: &str, n: usize, extra: String| {
        if n > 0 {
            out.push((
                what.to_string(),
                format!("{}{extra}", plural(n, "time", "times")),
            ));
        }
    };
    push(
        "Stretching",
        count(&|e| e.treatments.stretching),
        String::new(),
    );
    push(
        "Strengthening",
        count(&|e| e.treatments.strengthening),
        String::new(),
    );
    for (what, (n, total)) in [
        ("Heat", minutes(&|e| e.treatments.heat_minutes)),
        ("Cold", minutes(&|e| e.treatments.cold_minutes)),
    ] {
        push(
            what,
            n,
            format!(", {} in all", plural(total as usize, "minute", "minutes")),
        );
    }
    push("Massage", count(&|e| e.treatments.massage), String::new());
    push(
        "Foam rolling",
        count(&|e| e.treatments.foam_rolling),
        String::new(),
    );
}

/// Medicines as the person named them (folded to lower case), with how many entries name each.
fn medicines(entries: &[Entry]) -> Vec<(String, String)> {
    let mut meds: BTreeMap<String, usize> = BTreeMap::new();
    for m in entries.iter().flat_map(|e| &e.treatments.medications) {
        *meds.entry(m.trim().to_lowercase()).or_default() += 1;
    }
    meds.into_iter()
        .map(|(m, n)| (m, plural(n, "entry", "entries")))
        .collect()
}

/// Professionals seen, with counts.
fn visits(entries: &[Entry]) -> Vec<(String, String)> {
    let mut visits: BTreeMap<&'static str, usize> = BTreeMap::new();
    for v in entries.iter().flat_map(|e| &e.treatments.visits) {
        *visits.entry(v.label()).or_default() += 1;
    }
    visits
        .into_iter()
        .map(|(v, n)| (format!("Saw a {v}"), plural(n, "time", "times")))
        .collect()
}

/// Adherence to the plan over the days it covered in the period, counting only sessions in
/// which something was done.
fn adherence(input: &Input) -> Option<String> {
    let p = input.plan?;
    let zone = input
        .entries
        .first()
        .map_or(jiff::tz::TimeZone::UTC, |e| e.at.time_zone().clone());
    let began = input.course_start.unwrap_or(p.created);
    let start = began.to_zoned(zone).date().max(input.since);
    let plan_days = (start.until(input.until).map_or(0, |s| s.get_days()) + 1).max(1);
    let mut session_days: Vec<Date> = input
        .sessions
        .iter()
        .filter(|s| Completion::of(&s.items).counts())
        .map(|s| s.at.date())
        .filter(|d| *d >= start && *d <= input.until)
        .collect();
    session_days.sort();
    session_days.dedup();
    let names: Vec<String> = p
        .plan
        .routine
        .iter()
        .map(|i| {
            input
                .catalogue
                .exercise(&i.exercise)
                .map_or(i.name.clone(), |e| e.name.clone())
        })
        .collect();
    Some(format!(
        "Exercise done on {} of the {} days since {start} ({:.0}%), counting only sessions in \
         which at least one exercise was done. Current plan, version {}: {}, about {} minutes \
         a day.",
        session_days.len(),
        plan_days,
        100.0 * session_days.len() as f64 / f64::from(plan_days),
        p.plan.version,
        names.join(", "),
        p.plan.total_seconds.div_ceil(60),
    ))
}

/// The plan's exercises: name, dose, and the figure to draw.
fn routine(input: &Input) -> Vec<(String, String, Option<unknot_core::figure::Figure>)> {
    let Some(p) = input.plan else {
        return Vec::new();
    };
    p.plan
        .routine
        .iter()
        .map(|i| {
            let e = input.catalogue.exercise(&i.exercise);
            (
                e.map_or(i.name.clone(), |e| e.name.clone()),
                i.dosage.describe(),
                e.and_then(|e| e.figure.clone()),
            )
        })
        .collect()
}

/// Past injuries and other history from the intake, in sentences.
fn history(intake: &Assessment) -> Vec<String> {
    let x = &intake.answers;
    let mut out = Vec::new();
    match x.trauma {
        Some(Trauma::Major) => {
            out.push("A major injury (a fall or an accident) before the pain began.".to_string())
        }
        Some(Trauma::Minor) => out.push("A minor injury before the pain began.".to_string()),
        _ => {}
    }
    if let Some(causes) = x.causes.as_ref().filter(|c| !c.is_empty()) {
        let words: Vec<String> = causes
            .iter()
            .map(|c| {
                serde_json::to_value(c)
                    .ok()
                    .and_then(|v| v.as_str().map(|s| s.replace('_', " ")))
                    .unwrap_or_default()
            })
            .collect();
        out.push(format!(
            "What the user thinks set it off: {}.",
            words.join(", ")
        ));
    }
    if Some(true) == x.osteoporosis_or_steroids {
        out.push("Osteoporosis, or long-term steroid tablets.".to_string());
    }
    if Some(true) == x.cancer_history {
        out.push("Cancer now or in the past.".to_string());
    }
    if let Some(goals) = x.goals.as_ref().filter(|g| !g.is_empty()) {
        out.push(format!("Wants to get back to: {}.", goals.join("; ")));
    }
    let acts: Vec<String> = x
        .psfs
        .iter()
        .flatten()
        .map(|p| format!("{} ({}/10)", p.activity, p.score.get()))
        .collect();
    if !acts.is_empty() {
        out.push(format!("Activities that are hard: {}.", acts.join("; ")));
    }
    out
}

/// The latest twelve notes the user chose to include (not the session's own notes).
fn notes(input: &Input) -> Vec<(String, String)> {
    if !input.include_notes {
        return Vec::new();
    }
    input
        .entries
        .iter()
        .rev()
        .filter_map(|e| {
            e.note
                .as_ref()
                .filter(|n| !n.starts_with("Guided session at "))
                .map(|n| (e.at.strftime("%Y-%m-%d %H:%M").to_string(), n.clone()))
        })
        .take(12)
        .collect()
}

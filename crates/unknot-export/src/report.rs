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
use unknot_core::triage::triage;

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
    /// The latest triage: level, advice and reasons.
    pub triage: Option<(String, String, Vec<String>)>,
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

/// One instrument's score in an assessment, when it was asked.
fn score_of(instrument: Instrument, a: &Assessment) -> Option<f64> {
    let x = &a.answers;
    match instrument {
        Instrument::PainNrs => x.pain_now.map(|p| f64::from(p.get())),
        Instrument::Peg => Some(outcomes::peg(
            x.peg_pain?,
            x.peg_enjoyment?,
            x.peg_activity?,
        )),
        Instrument::Psfs => x.psfs.as_deref().and_then(outcomes::psfs),
    }
}

/// Builds the report.
pub fn build(input: &Input) -> Report {
    let intake = input
        .assessments
        .iter()
        .rev()
        .find(|a| a.kind == AssessmentKind::Intake);
    let days = (input
        .since
        .until(input.until)
        .map(|s| s.get_days())
        .unwrap_or(0)
        + 1)
    .max(1);
    let dates: Vec<Date> = (0..days)
        .filter_map(|i| input.since.checked_add(i64::from(i).days()).ok())
        .collect();
    let mut sums = vec![(0.0f64, 0u32); dates.len()];
    for e in input.entries {
        if let (Some(p), Ok(span)) = (e.pain, input.since.until(e.at.date()))
            && let Some(slot) = usize::try_from(span.get_days())
                .ok()
                .and_then(|i| sums.get_mut(i))
        {
            slot.0 += f64::from(p.get());
            slot.1 += 1;
        }
    }
    let pain: Vec<Option<f64>> = sums
        .iter()
        .map(|(s, n)| (*n > 0).then(|| s / f64::from(*n)))
        .collect();
    let rated: Vec<f64> = input
        .entries
        .iter()
        .filter_map(|e| e.pain.map(|p| f64::from(p.get())))
        .collect();
    let pain_summary = if rated.is_empty() {
        "No pain ratings in this period.".to_string()
    } else {
        let mean = rated.iter().sum::<f64>() / rated.len() as f64;
        let min = rated.iter().copied().fold(f64::MAX, f64::min);
        let max = rated.iter().copied().fold(f64::MIN, f64::max);
        let week = |vals: &[Option<f64>]| {
            let v: Vec<f64> = vals.iter().flatten().copied().collect();
            (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
        };
        let first = week(&pain[..pain.len().min(7)]);
        let last = week(&pain[pain.len().saturating_sub(7)..]);
        let trend = match (first, last) {
            (Some(a), Some(b)) if days > 13 => {
                format!("; first week {a:.1}, last week {b:.1}")
            }
            _ => String::new(),
        };
        format!(
            "Average pain {mean:.1}/10 over {} (range {min:.0} to {max:.0}){trend}.",
            plural(rated.len(), "rating", "ratings")
        )
    };

    // Where it hurts: the intake's regions, else the journal's most rated regions.
    let mut region_counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    for r in input.entries.iter().flat_map(|e| &e.regions) {
        *region_counts.entry(r.region.label()).or_default() += 1;
    }
    let mut where_words: Vec<String> = intake
        .and_then(|a| a.answers.regions.as_ref())
        .map(|rs| {
            rs.iter()
                .map(|r| r.region().label().to_lowercase())
                .collect()
        })
        .unwrap_or_default();
    if where_words.is_empty() {
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
    let complaint = format!(
        "{place}{}.",
        lasted.unwrap_or_else(|| first_entry
            .map(|d| format!(", recorded since {d}"))
            .unwrap_or_default())
    );

    let current = intake.map(|i| {
        let later = input
            .assessments
            .iter()
            .filter(|a| a.at.timestamp() > i.at.timestamp());
        later.fold(i.answers.clone(), |acc, c| acc.updated_by(&c.answers))
    });
    let t = current.as_ref().map(triage);

    let mut knots: Vec<(Muscle, Side, usize)> = Vec::new();
    for k in input.entries.iter().flat_map(|e| &e.knots) {
        match knots.iter_mut().find(|c| c.0 == k.muscle && c.1 == k.side) {
            Some(c) => c.2 += 1,
            None => knots.push((k.muscle, k.side, 1)),
        }
    }
    knots.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.id().cmp(b.0.id())));

    // Scores: the first and the latest value of each instrument.
    let mut scores = Vec::new();
    let series = |instrument: Instrument| -> Vec<(f64, Date)> {
        input
            .assessments
            .iter()
            .filter_map(|a| score_of(instrument, a).map(|v| (v, a.at.date())))
            .collect()
    };
    for instrument in [Instrument::PainNrs, Instrument::Peg, Instrument::Psfs] {
        let s = series(instrument);
        if let (Some(first), Some(latest)) = (s.first(), s.last()) {
            let change = if s.len() > 1 {
                outcomes::change(instrument, first.0, latest.0).says
            } else {
                "One score so far; change shows from the next check-in.".to_string()
            };
            scores.push(ScoreRow {
                name: instrument.name().to_string(),
                first: *first,
                latest: *latest,
                change,
            });
        }
    }

    // Treatments and how often.
    let count = |f: &dyn Fn(&Entry) -> bool| input.entries.iter().filter(|e| f(e)).count();
    let mut treatments = Vec::new();
    let sessions_done = input.sessions.len();
    if sessions_done > 0 {
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
        treatments.push((
            "Guided exercise sessions".to_string(),
            format!(
                "{}, {} exercises done in all",
                plural(sessions_done, "session", "sessions"),
                done
            ),
        ));
    }
    let mut push = |what: &str, n: usize, extra: String| {
        if n > 0 {
            treatments.push((
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
    let heat: Vec<u16> = input
        .entries
        .iter()
        .filter_map(|e| e.treatments.heat_minutes)
        .collect();
    push(
        "Heat",
        heat.len(),
        if heat.is_empty() {
            String::new()
        } else {
            format!(
                ", {} minutes in all",
                heat.iter().map(|m| u32::from(*m)).sum::<u32>()
            )
        },
    );
    let cold: Vec<u16> = input
        .entries
        .iter()
        .filter_map(|e| e.treatments.cold_minutes)
        .collect();
    push(
        "Cold",
        cold.len(),
        if cold.is_empty() {
            String::new()
        } else {
            format!(
                ", {} minutes in all",
                cold.iter().map(|m| u32::from(*m)).sum::<u32>()
            )
        },
    );
    push("Massage", count(&|e| e.treatments.massage), String::new());
    push(
        "Foam rolling",
        count(&|e| e.treatments.foam_rolling),
        String::new(),
    );
    let mut meds: BTreeMap<String, usize> = BTreeMap::new();
    for m in input.entries.iter().flat_map(|e| &e.treatments.medications) {
        *meds.entry(m.trim().to_lowercase()).or_default() += 1;
    }
    for (m, n) in meds {
        treatments.push((
            format!("Medicine: {m} (as named by the user)"),
            plural(n, "entry", "entries"),
        ));
    }
    let mut visits: BTreeMap<&'static str, usize> = BTreeMap::new();
    for v in input.entries.iter().flat_map(|e| &e.treatments.visits) {
        *visits.entry(v.label()).or_default() += 1;
    }
    for (v, n) in visits {
        treatments.push((format!("Saw a {v}"), plural(n, "time", "times")));
    }

    let adherence = input.plan.map(|p| {
        let start = p
            .created
            .to_zoned(
                input
                    .entries
                    .first()
                    .map(|e| e.at.time_zone().clone())
                    .unwrap_or(jiff::tz::TimeZone::UTC),
            )
            .date()
            .max(input.since);
        let plan_days = (start.until(input.until).map(|s| s.get_days()).unwrap_or(0) + 1).max(1);
        let mut session_days: Vec<Date> = input.sessions.iter().map(|s| s.at.date()).collect();
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
        format!(
            "Plan version {} ({}, about {} minutes a day): a session on {} of {} days ({:.0}%).",
            p.plan.version,
            names.join(", "),
            p.plan.total_seconds.div_ceil(60),
            session_days.len(),
            plan_days,
            100.0 * session_days.len() as f64 / f64::from(plan_days)
        )
    });

    let routine = input
        .plan
        .map(|p| {
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
        })
        .unwrap_or_default();
    let mut history = Vec::new();
    if let Some(a) = intake {
        let x = &a.answers;
        match x.trauma {
            Some(Trauma::Major) => history
                .push("A major injury (a fall or an accident) before the pain began.".to_string()),
            Some(Trauma::Minor) => {
                history.push("A minor injury before the pain began.".to_string())
            }
            _ => {}
        }
        if let Some(causes) = &x.causes
            && !causes.is_empty()
        {
            let words: Vec<String> = causes
                .iter()
                .map(|c| {
                    serde_json::to_value(c)
                        .ok()
                        .and_then(|v| v.as_str().map(|s| s.replace('_', " ")))
                        .unwrap_or_default()
                })
                .collect();
            history.push(format!(
                "What the user thinks set it off: {}.",
                words.join(", ")
            ));
        }
        if Some(true) == x.osteoporosis_or_steroids {
            history.push("Osteoporosis, or long-term steroid tablets.".to_string());
        }
        if Some(true) == x.cancer_history {
            history.push("Cancer now or in the past.".to_string());
        }
        if let Some(goals) = &x.goals
            && !goals.is_empty()
        {
            history.push(format!("Wants to get back to: {}.", goals.join("; ")));
        }
        if let Some(psfs) = &x.psfs {
            let acts: Vec<String> = psfs
                .iter()
                .map(|p| format!("{} ({}/10)", p.activity, p.score.get()))
                .collect();
            if !acts.is_empty() {
                history.push(format!("Activities that are hard: {}.", acts.join("; ")));
            }
        }
    }

    let notes = if input.include_notes {
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
    } else {
        Vec::new()
    };

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
        complaint,
        triage: t.map(|t| {
            let label = t.urgency.label();
            let mut chars = label.chars();
            (
                chars
                    .next()
                    .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
                    .unwrap_or_default(),
                t.advice.to_string(),
                t.reasons.iter().map(|r| r.says.to_string()).collect(),
            )
        }),
        dates,
        pain,
        pain_summary,
        knots,
        scores,
        treatments,
        adherence,
        routine,
        history,
        notes,
        questions: input
            .questions
            .iter()
            .map(|q| q.trim().to_string())
            .filter(|q| !q.is_empty())
            .collect(),
        disclaimer:
            "Written by the user with unknot, a self-care journal. It records what the user \
            reported; it is not a diagnosis. The warning-sign check follows published red-flag \
            guidance for low back pain."
                .to_string(),
    }
}

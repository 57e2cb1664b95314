//! The interactive journal form: `unknot log` (and `unknot edit`) with no flags on a terminal.
//!
//! Each question shows the current value; Esc skips a question and keeps what was there, Ctrl-C
//! cancels the whole form and nothing is saved. inquire honours `NO_COLOR`.

use std::fmt;

use anyhow::{Result, anyhow};
use inquire::error::InquireError;
use inquire::validator::Validation;
use inquire::{Confirm, CustomType, MultiSelect, Select, Text};
use jiff::Zoned;
use unknot_core::body::{Muscle, Region};
use unknot_core::journal::{Activity, Entry, Knot, PainKind, Professional, RegionPain};
use unknot_core::score::Score;

/// An option in a list: a value with the words shown for it.
#[derive(Clone)]
struct Choice<T> {
    value: T,
    label: String,
}

impl<T> fmt::Display for Choice<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label)
    }
}

fn choices<T: Copy>(items: &[T], label: impl Fn(T) -> String) -> Vec<Choice<T>> {
    items
        .iter()
        .map(|v| Choice {
            value: *v,
            label: label(*v),
        })
        .collect()
}

/// Turns an interrupted prompt into "nothing was saved", and any other prompt failure into a
/// clear message.
pub(crate) fn cancelled(err: InquireError) -> anyhow::Error {
    match err {
        InquireError::OperationCanceled | InquireError::OperationInterrupted => {
            anyhow!("cancelled: nothing was saved")
        }
        other => anyhow!("cannot ask on this terminal: {other}"),
    }
}

/// Asks for a 0-10 rating, showing `current` as the default; Esc keeps `current`.
pub(crate) fn rating(question: &str, current: Option<Score>, help: &str) -> Result<Option<Score>> {
    let mut prompt = CustomType::<u8>::new(question)
        .with_help_message(help)
        .with_error_message("type a whole number from 0 to 10")
        .with_validator(|v: &u8| {
            Ok(if *v <= 10 {
                Validation::Valid
            } else {
                Validation::Invalid("from 0 to 10, please".into())
            })
        });
    if let Some(c) = current {
        prompt = prompt.with_default(c.get());
    }
    match prompt.prompt_skippable().map_err(cancelled)? {
        Some(v) => Ok(Some(Score::new(i64::from(v), "rating")?)),
        None => Ok(current),
    }
}

fn pick<T: Copy + PartialEq>(
    question: &str,
    all: Vec<Choice<T>>,
    current: &[T],
    help: &str,
) -> Result<Vec<T>> {
    let defaults: Vec<usize> = all
        .iter()
        .enumerate()
        .filter(|(_, c)| current.contains(&c.value))
        .map(|(i, _)| i)
        .collect();
    let picked = MultiSelect::new(question, all)
        .with_default(&defaults)
        .with_help_message(help)
        .prompt_skippable()
        .map_err(cancelled)?;
    Ok(match picked {
        Some(list) => list.into_iter().map(|c| c.value).collect(),
        None => current.to_vec(),
    })
}

/// A muscle with its region, unless its name already says where it is.
fn muscle_choice(m: Muscle) -> String {
    if m.label().contains('(') {
        m.label().to_string()
    } else {
        format!("{} ({})", m.label(), m.region().label().to_lowercase())
    }
}

const LIST_HELP: &str = "↑↓ to move, space to tick, enter to go on, esc to skip";
const RATING_HELP: &str = "0 = none, 10 = worst you can imagine; esc to skip";

/// Asks for every part of an entry, starting from `entry`'s current values.
pub fn entry(mut entry: Entry, _now: &Zoned) -> Result<Entry> {
    println!("How is your back? (This journal is a record, not a diagnosis.)");
    entry.pain = rating("Overall pain right now (0-10):", entry.pain, RATING_HELP)?;
    entry.regions = regions(&entry)?;
    entry.knots = knots(&entry.knots)?;
    entry.pain_kinds = pick(
        "How does it feel?",
        choices(PainKind::ALL, |k| k.label().to_string()),
        &entry.pain_kinds,
        LIST_HELP,
    )?;
    context(&mut entry)?;
    treatments(&mut entry)?;
    let note = Text::new("A note in your own words:")
        .with_initial_value(entry.note.as_deref().unwrap_or(""))
        .with_help_message("enter to finish; esc to skip")
        .prompt_skippable()
        .map_err(cancelled)?;
    if let Some(note) = note {
        entry.note = Some(note.trim().to_string()).filter(|n| !n.is_empty());
    }
    Ok(entry)
}

/// Where it hurts, each region with its own rating.
fn regions(entry: &Entry) -> Result<Vec<RegionPain>> {
    let current: Vec<Region> = entry.regions.iter().map(|r| r.region).collect();
    let regions = pick(
        "Where do you feel it?",
        choices(Region::ALL, |r| r.label().to_string()),
        &current,
        LIST_HELP,
    )?;
    let mut rated = Vec::new();
    for region in regions {
        let before = entry
            .regions
            .iter()
            .find(|r| r.region == region)
            .map(|r| r.pain);
        let q = format!("Pain in your {} (0-10):", region.label().to_lowercase());
        if let Some(pain) = rating(&q, before.or(entry.pain), RATING_HELP)? {
            rated.push(RegionPain { region, pain });
        }
    }
    Ok(rated)
}

/// Knots: which muscles, then each one's side, tenderness and where its pain spreads.
fn knots(current_knots: &[Knot]) -> Result<Vec<Knot>> {
    let current: Vec<Muscle> = current_knots.iter().map(|k| k.muscle).collect();
    let muscles = pick(
        "Any knots? Tick the muscles (esc for none):",
        choices(Muscle::ALL, muscle_choice),
        &current,
        LIST_HELP,
    )?;
    let mut knots = Vec::new();
    for muscle in muscles {
        let before = current_knots.iter().find(|k| k.muscle == muscle).cloned();
        knots.push(knot(muscle, before.as_ref())?);
    }
    Ok(knots)
}

fn knot(muscle: Muscle, before: Option<&Knot>) -> Result<Knot> {
    let sides = choices(muscle.sides(), |s| s.label().to_string());
    let start = before
        .and_then(|b| sides.iter().position(|c| c.value == b.side))
        .unwrap_or(0);
    let side = Select::new(&format!("{}: which side?", muscle.label()), sides)
        .with_starting_cursor(start)
        .prompt()
        .map_err(cancelled)?
        .value;
    let q = format!("{}: how tender when pressed (0-10)?", muscle.label());
    let tenderness = rating(&q, before.map(|b| b.tenderness), RATING_HELP)?
        .unwrap_or(Score::new(5, "tenderness")?);
    let refers_to = pick(
        &format!("{}: does the pain spread anywhere?", muscle.label()),
        choices(Region::ALL, |r| r.label().to_string()),
        before.map_or(&[][..], |b| &b.refers_to),
        LIST_HELP,
    )?;
    Ok(Knot {
        muscle,
        side,
        tenderness,
        refers_to,
    })
}

/// What was done since the last entry, hours sitting, stress and sleep.
fn context(entry: &mut Entry) -> Result<()> {
    entry.context.activities = pick(
        "What have you done since your last entry?",
        choices(Activity::ALL, |a| a.label().to_string()),
        &entry.context.activities,
        LIST_HELP,
    )?;
    let mut hours = CustomType::<f64>::new("Hours sitting today so far:")
        .with_help_message("e.g. 6.5; esc to skip")
        .with_error_message("type a number of hours, e.g. 6.5")
        .with_validator(|h: &f64| {
            Ok(if (0.0..=24.0).contains(h) {
                Validation::Valid
            } else {
                Validation::Invalid("from 0 to 24".into())
            })
        });
    if let Some(h) = entry.context.sitting_hours {
        hours = hours.with_default(h);
    }
    entry.context.sitting_hours = hours
        .prompt_skippable()
        .map_err(cancelled)?
        .or(entry.context.sitting_hours);
    entry.context.stress = rating(
        "Stress today (0-10):",
        entry.context.stress,
        "0 = none, 10 = overwhelming",
    )?;
    entry.context.sleep_quality = rating(
        "Sleep last night (0-10):",
        entry.context.sleep_quality,
        "0 = very poor, 10 = excellent",
    )?;
    Ok(())
}

#[derive(Clone, Copy, PartialEq)]
enum Care {
    Stretching,
    Strengthening,
    Heat,
    Cold,
    Massage,
    FoamRolling,
    Medication,
    Visit,
}

fn treatments(entry: &mut Entry) -> Result<()> {
    let t = &mut entry.treatments;
    let mut current = Vec::new();
    for (on, care) in [
        (t.stretching, Care::Stretching),
        (t.strengthening, Care::Strengthening),
        (t.heat_minutes.is_some(), Care::Heat),
        (t.cold_minutes.is_some(), Care::Cold),
        (t.massage, Care::Massage),
        (t.foam_rolling, Care::FoamRolling),
        (!t.medications.is_empty(), Care::Medication),
        (!t.visits.is_empty(), Care::Visit),
    ] {
        if on {
            current.push(care);
        }
    }
    let all = [
        Care::Stretching,
        Care::Strengthening,
        Care::Heat,
        Care::Cold,
        Care::Massage,
        Care::FoamRolling,
        Care::Medication,
        Care::Visit,
    ];
    let label = |c: Care| {
        match c {
            Care::Stretching => "stretching",
            Care::Strengthening => "strengthening exercise",
            Care::Heat => "heat",
            Care::Cold => "cold",
            Care::Massage => "massage or self-massage",
            Care::FoamRolling => "foam rolling",
            Care::Medication => "a medicine",
            Care::Visit => "saw a professional",
        }
        .to_string()
    };
    let done = pick(
        "What did you do for it?",
        choices(&all, label),
        &current,
        LIST_HELP,
    )?;
    t.stretching = done.contains(&Care::Stretching);
    t.strengthening = done.contains(&Care::Strengthening);
    t.massage = done.contains(&Care::Massage);
    t.foam_rolling = done.contains(&Care::FoamRolling);
    t.heat_minutes = if done.contains(&Care::Heat) {
        minutes("Minutes of heat:", t.heat_minutes)?
    } else {
        None
    };
    t.cold_minutes = if done.contains(&Care::Cold) {
        minutes("Minutes of cold:", t.cold_minutes)?
    } else {
        None
    };
    if done.contains(&Care::Medication) {
        let names = Text::new("Which medicines? (names, separated by commas)")
            .with_initial_value(&t.medications.join(", "))
            .with_help_message("no doses needed: follow the label and ask a pharmacist or doctor")
            .prompt()
            .map_err(cancelled)?;
        t.medications = names
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
    } else {
        t.medications.clear();
    }
    if done.contains(&Care::Visit) {
        t.visits = pick(
            "Who did you see?",
            choices(Professional::ALL, |p| p.label().to_string()),
            &t.visits,
            LIST_HELP,
        )?;
    } else {
        t.visits.clear();
    }
    Ok(())
}

fn minutes(question: &str, current: Option<u16>) -> Result<Option<u16>> {
    let max = unknot_core::journal::MAX_THERAPY_MINUTES;
    let mut prompt = CustomType::<u16>::new(question)
        .with_error_message("type a whole number of minutes")
        .with_validator(move |m: &u16| {
            Ok(if (1..=max).contains(m) {
                Validation::Valid
            } else {
                Validation::Invalid(format!("from 1 to {max}").into())
            })
        });
    if let Some(c) = current {
        prompt = prompt.with_default(c);
    }
    Ok(prompt.prompt_skippable().map_err(cancelled)?.or(current))
}

/// Asks a yes/no question; no is the default.
pub fn confirm(question: &str) -> Result<bool> {
    Confirm::new(question)
        .with_default(false)
        .prompt()
        .map_err(cancelled)
}

/// Lines typed one at a time until an empty line; at least `min` of them.
fn lines(question: &str, help: &str, min: usize) -> Result<Vec<String>> {
    let mut out = Vec::new();
    loop {
        let prompt = format!("{question} {}:", out.len() + 1);
        let line = Text::new(&prompt)
            .with_help_message(help)
            .prompt()
            .map_err(cancelled)?;
        let line = line.trim().to_string();
        if line.is_empty() {
            if out.len() >= min {
                return Ok(out);
            }
            println!("Please give at least {min}.");
            continue;
        }
        out.push(line);
    }
}

/// Asks for a whole exercise and returns it in the library's TOML format, citing the user's
/// clinician as its source. The caller validates it with the rest of the library.
pub fn exercise(catalogue: &unknot_core::catalogue::Catalogue) -> Result<String> {
    use unknot_core::catalogue::{
        CLINICIAN_SOURCE, Caution, Difficulty, Equipment, Exercise, ExerciseKind,
    };
    println!("Add an exercise to your library (for example one your physiotherapist gave you).");
    let (name, id) = exercise_name_and_id(catalogue)?;
    let kind = Select::new(
        "Kind:",
        choices(ExerciseKind::ALL, |k| k.label().to_string()),
    )
    .prompt()
    .map_err(cancelled)?
    .value;
    let summary = Text::new("In one sentence, what is it for?")
        .prompt()
        .map_err(cancelled)?;
    let regions = pick(
        "Which regions does it work on?",
        choices(Region::ALL, |r| r.label().to_string()),
        &[],
        LIST_HELP,
    )?;
    let muscles = pick(
        "Which muscles?",
        choices(Muscle::ALL, muscle_choice),
        &[],
        LIST_HELP,
    )?;
    let mut equipment = pick(
        "What does it need?",
        choices(Equipment::ALL, |q| q.label().to_string()),
        &[],
        LIST_HELP,
    )?;
    if equipment.is_empty() || equipment.len() > 1 {
        equipment.retain(|q| *q != Equipment::None);
    }
    if equipment.is_empty() {
        equipment.push(Equipment::None);
    }
    let difficulty = Select::new(
        "Difficulty:",
        choices(Difficulty::ALL, |d| d.label().to_string()),
    )
    .prompt()
    .map_err(cancelled)?
    .value;
    let dosage = exercise_dosage()?;
    let steps = lines("Step", "one step per line; an empty line when done", 2)?;
    let cues = lines(
        "Cue",
        "a short reminder for while you do it; empty line when done",
        1,
    )?;
    let avoid_if = lines("Do not do it if", "empty line when done", 0)?;
    let stop_if = lines("Stop if", "empty line when done", 0)?;
    let cautions = pick(
        "Should unknot leave it out of your plan in any of these situations?",
        choices(Caution::ALL, |c| c.label().to_string()),
        &[],
        LIST_HELP,
    )?;
    let exercise = Exercise {
        id,
        name: name.trim().to_string(),
        kind,
        summary: summary.trim().to_string(),
        regions,
        muscles,
        equipment,
        difficulty,
        dosage,
        steps,
        cues,
        mistakes: Vec::new(),
        avoid_if,
        stop_if,
        cautions,
        easier: Vec::new(),
        harder: Vec::new(),
        articles: Vec::new(),
        sources: vec![CLINICIAN_SOURCE.to_string()],
        figure: None,
    };
    Ok(toml::to_string(&exercise)?)
}

/// The new exercise's name, and an id (suggested from the name) that no exercise has yet.
fn exercise_name_and_id(catalogue: &unknot_core::catalogue::Catalogue) -> Result<(String, String)> {
    let name = Text::new("Name:")
        .with_validator(|s: &str| {
            Ok(if s.trim().is_empty() {
                Validation::Invalid("give it a name".into())
            } else {
                Validation::Valid
            })
        })
        .prompt()
        .map_err(cancelled)?;
    let slug: String = name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let taken: Vec<String> = catalogue.exercise_ids().map(String::from).collect();
    let id = Text::new("Id (letters, digits and hyphens):")
        .with_initial_value(&slug)
        .with_validator(move |s: &str| {
            let ok = !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            Ok(if !ok {
                Validation::Invalid("use lower-case letters, digits and hyphens".into())
            } else if taken.iter().any(|t| t == s) {
                Validation::Invalid("that id is taken".into())
            } else {
                Validation::Valid
            })
        })
        .prompt()
        .map_err(cancelled)?;
    Ok((name, id))
}

/// How the new exercise is dosed: holds, repetitions or both, sets, sides and rest.
fn exercise_dosage() -> Result<unknot_core::catalogue::Dosage> {
    let number = |q: &str, default: u16| -> Result<u16> {
        CustomType::<u16>::new(q)
            .with_default(default)
            .prompt()
            .map_err(cancelled)
    };
    let style = Select::new(
        "How is it dosed?",
        vec![
            "hold for some seconds",
            "repetitions",
            "repetitions with a short hold",
        ],
    )
    .prompt()
    .map_err(cancelled)?;
    let hold = if style != "repetitions" {
        let h = number("Seconds to hold:", 30)?;
        Some([h, h])
    } else {
        None
    };
    let reps = if style != "hold for some seconds" {
        let r = number("Repetitions per set:", 10)?;
        Some([r, r])
    } else {
        None
    };
    let sets = number("Sets:", 2)?.clamp(1, 6) as u8;
    let per_side = Confirm::new("Done on each side?")
        .with_default(false)
        .prompt()
        .map_err(cancelled)?;
    let rest_seconds = number("Seconds of rest between sets:", 30)?;
    Ok(unknot_core::catalogue::Dosage {
        hold_seconds: hold,
        reps,
        sets,
        per_side,
        rest_seconds,
    })
}

//! The programme builder's form: what the clinician typed, kept as typed so a refused form is
//! drawn again with every value in place, and its reading into core's programme [`Body`]
//! (core then checks it). Rows whose exercise is left empty are ignored, so the form can offer
//! spare rows without scripts.

use jiff::civil::Date;
use unknot_core::InputError;
use unknot_core::catalogue::Catalogue;
use unknot_core::clinic::programme::{ALL_DAYS, Body, Prescribed, Schedule, short_day};

/// One exercise row as typed.
#[derive(Debug, Clone, Default)]
pub(crate) struct RowForm {
    pub(crate) exercise: String,
    pub(crate) sets: String,
    pub(crate) reps: String,
    pub(crate) hold: String,
    pub(crate) per_side: bool,
    pub(crate) rest: String,
    pub(crate) instructions: String,
}

/// The whole form as typed.
#[derive(Debug, Clone, Default)]
pub(crate) struct BuilderForm {
    pub(crate) csrf: Option<String>,
    pub(crate) name: String,
    pub(crate) note: String,
    pub(crate) start: String,
    pub(crate) end: String,
    pub(crate) times: String,
    pub(crate) days: Vec<String>,
    pub(crate) rows: Vec<RowForm>,
    /// The version the clinician started from (a change made meanwhile is not overwritten).
    pub(crate) base: Option<u32>,
    /// "Prescribe anyway" after the caution warnings were shown.
    pub(crate) accept: bool,
    /// A template only the clinician sees.
    pub(crate) personal: bool,
}

/// An exercise to choose, as the select lists it.
#[derive(Debug, Clone)]
pub(crate) struct ExerciseChoice {
    pub(crate) id: String,
    pub(crate) name: String,
}

/// The library's exercises by name.
pub(crate) fn choices(c: &Catalogue) -> Vec<ExerciseChoice> {
    let mut out: Vec<ExerciseChoice> = c
        .exercises()
        .map(|e| ExerciseChoice {
            id: e.id.clone(),
            name: e.name.clone(),
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// The days' short ids, Monday first, for the check boxes.
pub(crate) fn day_ids() -> Vec<&'static str> {
    ALL_DAYS.iter().map(|d| short_day(*d)).collect()
}

impl BuilderForm {
    /// An empty form: every day, once a day, from `today`.
    pub(crate) fn blank(today: Date) -> BuilderForm {
        BuilderForm {
            start: today.to_string(),
            times: "1".into(),
            days: day_ids().iter().map(|d| d.to_string()).collect(),
            ..BuilderForm::default()
        }
    }

    /// The form filled from a programme or template.
    pub(crate) fn from_body(b: &Body, base: Option<u32>) -> BuilderForm {
        let opt = |v: Option<u16>| v.map(|x| x.to_string()).unwrap_or_default();
        BuilderForm {
            csrf: None,
            name: b.name.clone(),
            note: b.note.clone(),
            start: b.schedule.start.to_string(),
            end: b.schedule.end.map(|e| e.to_string()).unwrap_or_default(),
            times: b.schedule.times_per_day.to_string(),
            days: b
                .schedule
                .days
                .iter()
                .map(|d| short_day(*d).to_string())
                .collect(),
            rows: b
                .items
                .iter()
                .map(|p| RowForm {
                    exercise: p.exercise.clone(),
                    sets: p.sets.to_string(),
                    reps: opt(p.reps),
                    hold: opt(p.hold_seconds),
                    per_side: p.per_side,
                    rest: p.rest_seconds.to_string(),
                    instructions: p.instructions.clone(),
                })
                .collect(),
            base,
            accept: false,
            personal: false,
        }
    }

    /// Adds `spare` empty rows (up to the most a programme may hold).
    pub(crate) fn pad(&mut self, spare: usize) {
        let want = (self.rows.len() + spare).min(unknot_core::clinic::programme::MAX_ITEMS);
        while self.rows.len() < want {
            self.rows.push(RowForm {
                sets: "2".into(),
                rest: "30".into(),
                ..RowForm::default()
            });
        }
    }
}

/// Reads a posted builder form: the form as typed (to draw again) and the programme it says,
/// or the first value refused, named by its field.
pub(crate) fn parse_builder(body: &[u8]) -> (BuilderForm, Result<Body, InputError>) {
    let mut f = BuilderForm::default();
    let mut rows: Vec<RowForm> = Vec::new();
    for (k, v) in url::form_urlencoded::parse(body) {
        let v = v.into_owned();
        match k.as_ref() {
            "csrf" => f.csrf = Some(v),
            "name" => f.name = v,
            "note" => f.note = v,
            "start" => f.start = v,
            "end" => f.end = v,
            "times" => f.times = v,
            "day" => f.days.push(v),
            "base" => f.base = v.parse().ok(),
            "accept" => f.accept = v == "1",
            "personal" => f.personal = v == "1",
            key => {
                let Some((field, i)) = key.rsplit_once('_') else {
                    continue;
                };
                let Ok(i) = i.parse::<usize>() else { continue };
                if i >= unknot_core::clinic::programme::MAX_ITEMS {
                    continue;
                }
                while rows.len() <= i {
                    rows.push(RowForm::default());
                }
                let r = &mut rows[i];
                match field {
                    "ex" => r.exercise = v,
                    "sets" => r.sets = v,
                    "reps" => r.reps = v,
                    "hold" => r.hold = v,
                    "side" => r.per_side = v == "1",
                    "rest" => r.rest = v,
                    "instr" => r.instructions = v,
                    _ => {}
                }
            }
        }
    }
    f.rows = rows;
    let parsed = body_of(&f);
    (f, parsed)
}

fn number<T: std::str::FromStr>(field: &str, v: &str) -> Result<Option<T>, InputError> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    v.parse()
        .map(Some)
        .map_err(|_| InputError::malformed(field, v, "give a whole number"))
}

fn body_of(f: &BuilderForm) -> Result<Body, InputError> {
    let mut items = Vec::new();
    for (i, r) in f.rows.iter().enumerate() {
        if r.exercise.trim().is_empty() {
            continue;
        }
        let at = |n: &str| format!("items[{i}].{n}");
        items.push(Prescribed {
            exercise: r.exercise.trim().to_string(),
            sets: number(&at("sets"), &r.sets)?.unwrap_or(1),
            reps: number(&at("reps"), &r.reps)?,
            hold_seconds: number(&at("hold_seconds"), &r.hold)?,
            per_side: r.per_side,
            rest_seconds: number(&at("rest_seconds"), &r.rest)?.unwrap_or(0),
            instructions: r.instructions.trim().to_string(),
        });
    }
    let date = |field: &str, v: &str| -> Result<Option<Date>, InputError> {
        let v = v.trim();
        if v.is_empty() {
            return Ok(None);
        }
        v.parse()
            .map(Some)
            .map_err(|_| InputError::malformed(field, v, "give a date as YYYY-MM-DD"))
    };
    let start = date("schedule.start", &f.start)?.ok_or_else(|| {
        InputError::malformed("schedule.start", "", "give the first day as YYYY-MM-DD")
    })?;
    let days = ALL_DAYS
        .iter()
        .filter(|d| {
            f.days
                .iter()
                .any(|x| x.eq_ignore_ascii_case(short_day(**d)))
        })
        .copied()
        .collect();
    Ok(Body {
        name: f.name.trim().to_string(),
        items,
        schedule: Schedule {
            days,
            times_per_day: number("schedule.times_per_day", &f.times)?.unwrap_or(1),
            start,
            end: date("schedule.end", &f.end)?,
        },
        note: f.note.trim().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_posted_form_reads_into_a_programme_and_empty_rows_are_ignored() {
        let body = b"csrf=t&name=Week+1&start=2026-06-01&times=2&day=Mon&day=Fri\
            &ex_0=cat-camel&sets_0=3&reps_0=10&hold_0=&rest_0=30&side_0=1&instr_0=Gently\
            &ex_1=&sets_1=2&base=4&accept=1";
        let (f, b) = parse_builder(body);
        let b = b.unwrap();
        assert_eq!(f.base, Some(4));
        assert!(f.accept);
        assert_eq!(b.items.len(), 1);
        assert_eq!(b.items[0].reps, Some(10));
        assert!(b.items[0].per_side);
        assert_eq!(b.schedule.days.len(), 2);
        assert_eq!(b.schedule.times_per_day, 2);
    }

    #[test]
    fn a_bad_number_is_named_and_the_form_kept() {
        let (f, b) = parse_builder(b"name=W&start=2026-06-01&ex_0=cat-camel&sets_0=lots");
        assert!(b.unwrap_err().to_string().contains("items[0].sets"));
        assert_eq!(f.rows[0].sets, "lots");
        let (_, b) = parse_builder(b"name=W&start=soon");
        assert!(b.unwrap_err().to_string().contains("schedule.start"));
    }
}

//! A home-exercise programme a clinician prescribes: exercises from the library at the
//! patient's own dosage, on chosen days, between a start and an optional end, with
//! instructions in the clinician's words. Every edit is a new version with a change log, so the
//! patient's link never changes and the history stays readable. Before a programme is saved
//! its exercises are checked against the cautions the patient's answers raise.

use jiff::civil::{Date, Weekday};
use serde::{Deserialize, Serialize};

use crate::InputError;
use crate::catalogue::{Catalogue, Caution, Dosage, Exercise};
use crate::session::Item;

/// Most exercises one programme may hold.
pub const MAX_ITEMS: usize = 30;
/// Longest instructions, in characters.
pub const MAX_INSTRUCTIONS: usize = 1000;
/// Longest name, in characters.
pub const MAX_NAME: usize = 120;

/// One exercise as prescribed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prescribed {
    /// The exercise's id in the library (built in or the clinic's own).
    pub exercise: String,
    /// Sets.
    pub sets: u8,
    /// Repetitions per set, when counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reps: Option<u16>,
    /// Seconds to hold, when held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold_seconds: Option<u16>,
    /// Each set once on each side.
    pub per_side: bool,
    /// Seconds of rest between sets.
    #[serde(default)]
    pub rest_seconds: u16,
    /// What the clinician wants the patient to know about this one, in their own words.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub instructions: String,
}

impl Prescribed {
    /// The exercise at the library's own dosage (the upper end of its ranges).
    pub fn from_library(e: &Exercise) -> Prescribed {
        Prescribed {
            exercise: e.id.clone(),
            sets: e.dosage.sets,
            reps: e.dosage.reps.map(|r| r[1]),
            hold_seconds: e.dosage.hold_seconds.map(|h| h[1]),
            per_side: e.dosage.per_side,
            rest_seconds: e.dosage.rest_seconds,
            instructions: String::new(),
        }
    }

    /// The prescription as a dosage the session players understand.
    pub fn dosage(&self) -> Dosage {
        Dosage {
            hold_seconds: self.hold_seconds.map(|h| [h, h]),
            reps: self.reps.map(|r| [r, r]),
            sets: self.sets,
            per_side: self.per_side,
            rest_seconds: self.rest_seconds,
        }
    }

    fn check(&self, at: usize, catalogue: &Catalogue) -> Result<(), InputError> {
        let field = |name: &str| format!("items[{at}].{name}");
        catalogue.find_exercise(&self.exercise)?;
        if !(1..=10).contains(&self.sets) {
            return Err(range(&field("sets"), self.sets, "from 1 to 10"));
        }
        if let Some(r) = self.reps.filter(|r| !(1..=100).contains(r)) {
            return Err(range(&field("reps"), r, "from 1 to 100"));
        }
        if let Some(h) = self.hold_seconds.filter(|h| !(1..=600).contains(h)) {
            return Err(range(&field("hold_seconds"), h, "from 1 to 600 seconds"));
        }
        if self.reps.is_none() && self.hold_seconds.is_none() {
            return Err(InputError::malformed(
                field("reps"),
                "none",
                "give repetitions, a hold time, or both",
            ));
        }
        if self.rest_seconds > 600 {
            return Err(range(
                &field("rest_seconds"),
                self.rest_seconds,
                "at most 600 seconds",
            ));
        }
        if self.instructions.chars().count() > MAX_INSTRUCTIONS {
            return Err(InputError::malformed(
                field("instructions"),
                format!("{} characters", self.instructions.chars().count()),
                format!("keep instructions to {MAX_INSTRUCTIONS} characters"),
            ));
        }
        Ok(())
    }
}

fn range(field: &str, value: impl ToString, allowed: &str) -> InputError {
    InputError::malformed(field, value.to_string(), format!("must be {allowed}"))
}

/// When the programme is to be done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// The days of the week it is due (at least one), as `mon` … `sun`.
    #[serde(with = "weekdays")]
    pub days: Vec<Weekday>,
    /// Sessions on each of those days.
    pub times_per_day: u8,
    /// The first day.
    pub start: Date,
    /// The last day, when it ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Date>,
}

impl Schedule {
    /// Every day of the week, once a day, from `start`.
    pub fn daily(start: Date) -> Schedule {
        Schedule {
            days: ALL_DAYS.to_vec(),
            times_per_day: 1,
            start,
            end: None,
        }
    }

    /// Sessions due on `day` (0 when it is not a programme day).
    pub fn due_on(&self, day: Date) -> u32 {
        let in_range = day >= self.start && self.end.is_none_or(|e| day <= e);
        if in_range && self.days.contains(&day.weekday()) {
            u32::from(self.times_per_day)
        } else {
            0
        }
    }

    fn check(&self) -> Result<(), InputError> {
        if self.days.is_empty() {
            return Err(InputError::malformed(
                "schedule.days",
                "none",
                "choose at least one day of the week",
            ));
        }
        if !(1..=3).contains(&self.times_per_day) {
            return Err(range(
                "schedule.times_per_day",
                self.times_per_day,
                "from 1 to 3",
            ));
        }
        if let Some(end) = self.end.filter(|e| *e < self.start) {
            return Err(InputError::malformed(
                "schedule.end",
                end.to_string(),
                format!("ends before it starts ({})", self.start),
            ));
        }
        Ok(())
    }
}

/// Monday to Sunday.
pub const ALL_DAYS: [Weekday; 7] = [
    Weekday::Monday,
    Weekday::Tuesday,
    Weekday::Wednesday,
    Weekday::Thursday,
    Weekday::Friday,
    Weekday::Saturday,
    Weekday::Sunday,
];

/// What a programme (or a template) says: its exercises, schedule and a note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    /// A short name ("Low back, week 1").
    pub name: String,
    /// The exercises, in the order to do them.
    pub items: Vec<Prescribed>,
    /// When.
    pub schedule: Schedule,
    /// A note for the whole programme, in the clinician's words.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl Body {
    /// Checks everything a person typed: a name, 1 to 30 known exercises at sane dosages, a
    /// schedule that makes sense. Nothing is stored before this passes.
    pub fn check(&self, catalogue: &Catalogue) -> Result<(), InputError> {
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME {
            return Err(InputError::malformed(
                "name",
                self.name.clone(),
                format!("give a name of 1 to {MAX_NAME} characters"),
            ));
        }
        if self.items.is_empty() || self.items.len() > MAX_ITEMS {
            return Err(range(
                "items",
                self.items.len(),
                &format!("from 1 to {MAX_ITEMS} exercises"),
            ));
        }
        for (i, item) in self.items.iter().enumerate() {
            item.check(i, catalogue)?;
        }
        if self.note.chars().count() > MAX_INSTRUCTIONS {
            return Err(InputError::malformed(
                "note",
                format!("{} characters", self.note.chars().count()),
                format!("keep the note to {MAX_INSTRUCTIONS} characters"),
            ));
        }
        self.schedule.check()
    }

    /// The exercises as the session players take them, names from the library.
    pub fn session_items(&self, catalogue: &Catalogue) -> Vec<Item> {
        self.items
            .iter()
            .filter_map(|p| {
                let e = catalogue.exercise(&p.exercise)?;
                Some(Item {
                    exercise: e.id.clone(),
                    name: e.name.clone(),
                    dosage: p.dosage(),
                })
            })
            .collect()
    }
}

/// An exercise in a programme that one of the patient's cautions rules out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Clash {
    /// The exercise's id.
    pub exercise: String,
    /// The exercise's name.
    pub name: String,
    /// The caution the patient's answers raise.
    pub caution: Caution,
    /// The library's own words on when to leave it out.
    pub reason: String,
}

/// The prescribed exercises that carry a caution the patient's answers raise: a warning the
/// clinician sees before saving (they may still prescribe it; they know the patient).
pub fn clashes(body: &Body, catalogue: &Catalogue, cautions: &[Caution]) -> Vec<Clash> {
    let mut out = Vec::new();
    for p in &body.items {
        let Some(e) = catalogue.exercise(&p.exercise) else {
            continue;
        };
        for c in e.cautions.iter().filter(|c| cautions.contains(c)) {
            out.push(Clash {
                exercise: e.id.clone(),
                name: e.name.clone(),
                caution: *c,
                reason: if e.avoid_if.is_empty() {
                    format!("the library marks it with the caution '{}'", c.id())
                } else {
                    e.avoid_if.join(" ")
                },
            });
        }
    }
    out
}

/// What changed between two versions, one line each, for the change log.
pub fn changes(old: &Body, new: &Body, catalogue: &Catalogue) -> Vec<String> {
    let name = |id: &str| {
        catalogue
            .exercise(id)
            .map_or_else(|| id.to_string(), |e| e.name.clone())
    };
    let mut out = Vec::new();
    if old.name != new.name {
        out.push(format!("Renamed to \"{}\"", new.name));
    }
    for p in &new.items {
        match old.items.iter().find(|o| o.exercise == p.exercise) {
            None => out.push(format!("Added {}", name(&p.exercise))),
            Some(o) if o != p => out.push(format!(
                "Changed {}: {} → {}",
                name(&p.exercise),
                dose_words(o),
                dose_words(p)
            )),
            Some(_) => {}
        }
    }
    for o in &old.items {
        if !new.items.iter().any(|p| p.exercise == o.exercise) {
            out.push(format!("Removed {}", name(&o.exercise)));
        }
    }
    if old.schedule != new.schedule {
        out.push(format!("Schedule: {}", schedule_words(&new.schedule)));
    }
    if old.note != new.note {
        out.push("Changed the note".to_string());
    }
    let order = |b: &Body| {
        b.items
            .iter()
            .map(|p| p.exercise.clone())
            .collect::<Vec<_>>()
    };
    if out.is_empty() && order(old) != order(new) {
        out.push("Changed the order".to_string());
    }
    out
}

/// A prescription's dosage in a few words, e.g. "3 × 10 reps, hold 5 s, each side", with any
/// changed instructions noted.
pub fn dose_words(p: &Prescribed) -> String {
    let mut parts = Vec::new();
    match p.reps {
        Some(r) => parts.push(format!("{} × {r} reps", p.sets)),
        None => parts.push(format!(
            "{} {}",
            p.sets,
            if p.sets == 1 { "set" } else { "sets" }
        )),
    }
    if let Some(h) = p.hold_seconds {
        parts.push(format!("hold {h} s"));
    }
    if p.per_side {
        parts.push("each side".to_string());
    }
    if p.rest_seconds > 0 {
        parts.push(format!("rest {} s", p.rest_seconds));
    }
    parts.join(", ")
}

/// The schedule in words, e.g. "Mon, Wed, Fri, once a day, from 2026-11-02 to 2026-12-14".
pub fn schedule_words(s: &Schedule) -> String {
    let days = if s.days.len() == 7 {
        "every day".to_string()
    } else {
        ALL_DAYS
            .iter()
            .filter(|d| s.days.contains(d))
            .map(|d| short_day(*d))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let times = match s.times_per_day {
        1 => "once a day".to_string(),
        2 => "twice a day".to_string(),
        n => format!("{n} times a day"),
    };
    let end = s.end.map(|e| format!(" to {e}")).unwrap_or_default();
    format!("{days}, {times}, from {}{end}", s.start)
}

/// Days of the week as the lower-case short names `mon` … `sun` (jiff's `Weekday` has no
/// serde form of its own).
mod weekdays {
    use jiff::civil::Weekday;
    use serde::{Deserialize, Deserializer, Serializer};

    use super::{ALL_DAYS, short_day};

    pub(super) fn serialize<S: Serializer>(days: &[Weekday], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(days.iter().map(|d| short_day(*d).to_lowercase()))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Weekday>, D::Error> {
        let names = Vec::<String>::deserialize(d)?;
        let mut out = Vec::new();
        for n in names.iter().take(7) {
            let day = ALL_DAYS
                .iter()
                .find(|w| short_day(**w).eq_ignore_ascii_case(n))
                .ok_or_else(|| {
                    serde::de::Error::custom(format!("'{n}' is not a day: use mon to sun"))
                })?;
            if !out.contains(day) {
                out.push(*day);
            }
        }
        Ok(out)
    }
}

/// Three letters for a day of the week.
pub fn short_day(d: Weekday) -> &'static str {
    match d {
        Weekday::Monday => "Mon",
        Weekday::Tuesday => "Tue",
        Weekday::Wednesday => "Wed",
        Weekday::Thursday => "Thu",
        Weekday::Friday => "Fri",
        Weekday::Saturday => "Sat",
        Weekday::Sunday => "Sun",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn catalogue() -> Catalogue {
        Catalogue::builtin().expect("the built-in library loads")
    }

    fn body(c: &Catalogue) -> Body {
        let first = c.exercises().next().expect("an exercise");
        Body {
            name: "Week 1".into(),
            items: vec![Prescribed::from_library(first)],
            schedule: Schedule::daily(date(2026, 11, 2)),
            note: String::new(),
        }
    }

    #[test]
    fn a_programme_from_the_library_passes_its_checks() {
        let c = catalogue();
        assert_eq!(body(&c).check(&c), Ok(()));
    }

    #[test]
    fn bad_input_is_refused_naming_the_field() {
        let c = catalogue();
        let mut b = body(&c);
        b.items[0].sets = 0;
        let e = b.check(&c).expect_err("no sets").to_string();
        assert!(e.contains("items[0].sets"), "{e}");
        let mut b = body(&c);
        b.items[0].exercise = "no-such-exercise".into();
        assert!(b.check(&c).is_err());
        let mut b = body(&c);
        b.schedule.days.clear();
        assert!(
            b.check(&c)
                .unwrap_err()
                .to_string()
                .contains("schedule.days")
        );
        let mut b = body(&c);
        b.schedule.end = Some(date(2026, 11, 1));
        assert!(
            b.check(&c)
                .unwrap_err()
                .to_string()
                .contains("schedule.end")
        );
        let mut b = body(&c);
        b.name = "  ".into();
        assert!(b.check(&c).is_err());
    }

    #[test]
    fn due_days_follow_the_weekdays_start_and_end() {
        let s = Schedule {
            days: vec![Weekday::Monday, Weekday::Thursday],
            times_per_day: 2,
            start: date(2026, 11, 2),
            end: Some(date(2026, 11, 12)),
        };
        // 2026-11-02 is a Monday.
        assert_eq!(s.due_on(date(2026, 11, 2)), 2);
        assert_eq!(s.due_on(date(2026, 11, 3)), 0);
        assert_eq!(s.due_on(date(2026, 11, 5)), 2);
        assert_eq!(s.due_on(date(2026, 11, 12)), 2);
        assert_eq!(s.due_on(date(2026, 11, 16)), 0, "after the end");
        assert_eq!(s.due_on(date(2026, 10, 26)), 0, "before the start");
    }

    #[test]
    fn a_caution_the_answers_raise_is_named_with_the_librarys_reason() {
        let c = catalogue();
        let e = c
            .exercises()
            .find(|e| e.cautions.contains(&Caution::LegSymptoms))
            .expect("an exercise with a leg-symptoms caution");
        let mut b = body(&c);
        b.items = vec![Prescribed::from_library(e)];
        let found = clashes(&b, &c, &[Caution::LegSymptoms]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].exercise, e.id);
        assert!(!found[0].reason.is_empty());
        assert!(clashes(&b, &c, &[]).is_empty());
    }

    #[test]
    fn the_change_log_names_what_changed() {
        let c = catalogue();
        let old = body(&c);
        let mut new = old.clone();
        new.items[0].sets += 1;
        let second = c.exercises().nth(1).expect("two exercises");
        new.items.push(Prescribed::from_library(second));
        new.schedule.days = vec![Weekday::Monday];
        let log = changes(&old, &new, &c);
        assert!(log[0].starts_with("Changed "), "{log:?}");
        assert_eq!(log[1], format!("Added {}", second.name));
        assert!(log[2].starts_with("Schedule: Mon, once a day"), "{log:?}");
        assert!(changes(&old, &old, &c).is_empty());
    }
}

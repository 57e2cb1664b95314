//! The journal form: reading a posted form into a core [`Entry`] (every value through the same
//! core parsers the command line uses), and the view model that draws the form, filled from an
//! entry when editing or from the rejected input when a value was refused.
//!
//! Forms arrive as `(name, value)` pairs because several fields repeat (`region`, `knot`,
//! `activity`…), which serde's URL-encoded maps cannot hold.

use jiff::Zoned;
use jiff::civil::DateTime;
use unknot_core::InputError;
use unknot_core::body::{Muscle, Region, Side};
use unknot_core::journal::{
    Activity, Entry, EntryId, Knot, MAX_MEDICATION_CHARS, PainKind, Professional, RegionPain,
};
use unknot_core::score::Score;

/// The posted fields, in order.
pub type Pairs = Vec<(String, String)>;

fn all<'a>(pairs: &'a Pairs, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    pairs
        .iter()
        .filter(move |(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The first value of `name`, trimmed, if present and not empty.
pub fn one<'a>(pairs: &'a Pairs, name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

fn flag(pairs: &Pairs, name: &str) -> bool {
    one(pairs, name).is_some()
}

fn optional_score(pairs: &Pairs, name: &str, field: &str) -> Result<Option<Score>, InputError> {
    one(pairs, name).map(|v| Score::parse(v, field)).transpose()
}

fn minutes(pairs: &Pairs, name: &str, field: &str) -> Result<Option<u16>, InputError> {
    match one(pairs, name) {
        None => Ok(None),
        Some(v) => v
            .parse::<u16>()
            .map(|m| (m > 0).then_some(m))
            .map_err(|_| InputError::malformed(field, v, "expected whole minutes, e.g. 15")),
    }
}

/// Reads the journal form into `entry` (a fresh one, or the one being edited), then checks it
/// with `Entry::check`. Nothing is stored here.
pub fn apply(pairs: &Pairs, entry: &mut Entry, now: &Zoned) -> Result<(), InputError> {
    if let Some(at) = one(pairs, "at") {
        let local: DateTime = at
            .parse()
            .map_err(|_| InputError::malformed("time", at, "expected a date and time"))?;
        entry.at = local
            .to_zoned(now.time_zone().clone())
            .map_err(|_| InputError::malformed("time", at, "not a time that exists here"))?;
    }
    // The 0-10 scale posts nothing (or an empty "not rated") until a number is chosen.
    entry.pain = optional_score(pairs, "pain", "overall pain")?;
    entry.regions = all(pairs, "region")
        .map(|id| {
            let pain = one(pairs, &format!("region_pain_{id}")).unwrap_or("0");
            RegionPain::parse(&format!("{id}={pain}"))
        })
        .collect::<Result<_, _>>()?;
    entry.knots = all(pairs, "knot")
        .map(|k| {
            let (muscle, side) = k
                .split_once(':')
                .ok_or_else(|| InputError::malformed("knot", k, "expected MUSCLE:SIDE"))?;
            let tender = one(pairs, &format!("tender_{muscle}_{side}")).unwrap_or("5");
            let mut knot = Knot::parse(&format!("{muscle}:{side}:{tender}"))?;
            // Keep where the pain travels when editing an entry that recorded it.
            if let Some(old) = entry
                .knots
                .iter()
                .find(|o| o.muscle == knot.muscle && o.side == knot.side)
            {
                knot.refers_to = old.refers_to.clone();
            }
            Ok(knot)
        })
        .collect::<Result<_, InputError>>()?;
    entry.pain_kinds = all(pairs, "kind")
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    entry.context.activities = all(pairs, "activity")
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    entry.context.sitting_hours = match one(pairs, "sitting") {
        None => None,
        Some(v) => Some(v.parse::<f64>().map_err(|_| {
            InputError::malformed("hours sitting", v, "expected a number of hours, e.g. 6.5")
        })?),
    };
    entry.context.stress = optional_score(pairs, "stress", "stress")?;
    entry.context.sleep_quality = optional_score(pairs, "sleep", "sleep quality")?;
    let t = &mut entry.treatments;
    t.stretching = flag(pairs, "stretching");
    t.strengthening = flag(pairs, "strengthening");
    t.massage = flag(pairs, "massage");
    t.foam_rolling = flag(pairs, "foam_rolling");
    t.heat_minutes = minutes(pairs, "heat_minutes", "heat minutes")?;
    t.cold_minutes = minutes(pairs, "cold_minutes", "cold minutes")?;
    t.medications = one(pairs, "medications")
        .map(|m| {
            m.split([',', '\n'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| s.chars().take(MAX_MEDICATION_CHARS + 1).collect())
                .collect()
        })
        .unwrap_or_default();
    t.visits = all(pairs, "visit")
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    entry.note = one(pairs, "note").map(str::to_string);
    entry.check(now.timestamp())
}

/// One checkbox with a 0-10 slider beside it.
#[derive(Debug, Clone, Default)]
pub struct Rated {
    /// The checkbox's value (`lower-back`, `rhomboids:left`).
    pub value: String,
    /// The element id (`region-lower-back`, `knot-rhomboids-left`), which the body map names.
    pub id: String,
    /// The slider's name.
    pub slider: String,
    /// Words for the label.
    pub label: String,
    /// Ticked?
    pub checked: bool,
    /// The slider's value.
    pub rating: u8,
}

/// A muscle's row of sides.
#[derive(Debug, Clone, Default)]
pub struct MuscleRow {
    /// The muscle's name.
    pub label: String,
    /// One box per side.
    pub sides: Vec<Rated>,
    /// Open the group (it has a knot ticked).
    pub open: bool,
}

/// The muscles of one region, where knots in them are listed.
#[derive(Debug, Clone, Default)]
pub struct KnotGroup {
    /// The region's name.
    pub label: String,
    /// The region's id.
    pub region: String,
    /// Its muscles.
    pub muscles: Vec<MuscleRow>,
}

impl KnotGroup {
    /// How many knots are ticked in the group.
    pub fn ticked(&self) -> usize {
        self.muscles
            .iter()
            .flat_map(|m| &m.sides)
            .filter(|s| s.checked)
            .count()
    }
}

/// One point of the 0-10 scale.
#[derive(Debug, Clone, Copy, Default)]
pub struct ScalePoint {
    /// The number.
    pub value: u8,
    /// Chosen?
    pub checked: bool,
}

/// The 0-10 scale with `chosen` (if any) picked.
pub fn scale(chosen: Option<u8>) -> Vec<ScalePoint> {
    (0..=10)
        .map(|value| ScalePoint {
            value,
            checked: chosen == Some(value),
        })
        .collect()
}

/// A ticked-or-not choice from a vocabulary.
#[derive(Debug, Clone)]
pub struct Choice {
    /// The id sent back.
    pub id: &'static str,
    /// Words for the label.
    pub label: &'static str,
    /// Ticked?
    pub checked: bool,
}

/// Everything the journal form template shows.
#[derive(Debug, Clone, Default)]
pub struct FormView {
    /// Where the form posts.
    pub action: String,
    /// The button's words.
    pub submit: &'static str,
    /// `YYYY-MM-DDTHH:MM` for the time field.
    pub at: String,
    /// Overall pain, when rated.
    pub pain: Option<u8>,
    /// The 0-10 scale for it.
    pub pain_scale: Vec<ScalePoint>,
    /// The regions.
    pub regions: Vec<Rated>,
    /// The muscles, grouped by the region they lie in.
    pub knot_groups: Vec<KnotGroup>,
    /// Kinds of pain.
    pub kinds: Vec<Choice>,
    /// Activities.
    pub activities: Vec<Choice>,
    /// Professionals seen.
    pub visits: Vec<Choice>,
    /// Hours sitting, as typed.
    pub sitting: String,
    /// Stress 0-10, as typed.
    pub stress: String,
    /// Sleep quality 0-10, as typed.
    pub sleep: String,
    /// Treatments ticked.
    pub stretching: bool,
    /// See `stretching`.
    pub strengthening: bool,
    /// See `stretching`.
    pub massage: bool,
    /// See `stretching`.
    pub foam_rolling: bool,
    /// Minutes of heat, as typed.
    pub heat_minutes: String,
    /// Minutes of cold, as typed.
    pub cold_minutes: String,
    /// Medicines, comma-separated.
    pub medications: String,
    /// The note.
    pub note: String,
    /// The body map, ready to embed.
    pub map: String,
}

/// One row per region, ticked and rated as `entry` has it (unrecorded rows rest at 5, hidden
/// until ticked).
fn region_rows(entry: &Entry) -> Vec<Rated> {
    Region::ALL
        .iter()
        .map(|r| {
            let found = entry.regions.iter().find(|x| x.region == *r);
            Rated {
                value: r.id().to_string(),
                id: format!("region-{}", r.id()),
                slider: format!("region_pain_{}", r.id()),
                label: r.label().to_string(),
                checked: found.is_some(),
                rating: found.map_or(5, |x| x.pain.get()),
            }
        })
        .collect()
}

/// A muscle's sides (left, right, and centre along the spine), ticked and rated as `entry` has
/// them.
fn muscle_row(entry: &Entry, m: Muscle) -> MuscleRow {
    let sides: Vec<Rated> = m
        .sides()
        .iter()
        .filter(|s| **s != Side::Both)
        .map(|s| {
            let found = entry.knots.iter().find(|k| k.muscle == m && k.side == *s);
            Rated {
                value: format!("{}:{}", m.id(), s.id()),
                id: format!("knot-{}-{}", m.id(), s.id()),
                slider: format!("tender_{}_{}", m.id(), s.id()),
                label: s.label().to_string(),
                checked: found.is_some(),
                rating: found.map_or(5, |k| k.tenderness.get()),
            }
        })
        .collect();
    MuscleRow {
        label: m.label().to_string(),
        open: sides.iter().any(|s| s.checked),
        sides,
    }
}

/// The muscles grouped by the region they lie in, in the regions' order.
fn knot_groups(entry: &Entry) -> Vec<KnotGroup> {
    Region::ALL
        .iter()
        .map(|r| KnotGroup {
            label: r.label().to_string(),
            region: r.id().to_string(),
            muscles: Muscle::ALL
                .iter()
                .filter(|m| m.region() == *r)
                .map(|m| muscle_row(entry, *m))
                .collect(),
        })
        .filter(|g| !g.muscles.is_empty())
        .collect()
}

impl FormView {
    /// The form filled from `entry`.
    pub fn from_entry(entry: &Entry, action: String, submit: &'static str) -> FormView {
        let regions: Vec<Region> = entry.regions.iter().map(|r| r.region).collect();
        let knots: Vec<(Muscle, Side)> = entry.knots.iter().map(|k| (k.muscle, k.side)).collect();
        let region_rows = region_rows(entry);
        let knot_groups = knot_groups(entry);
        let t = &entry.treatments;
        FormView {
            action,
            submit,
            at: entry.at.strftime("%Y-%m-%dT%H:%M").to_string(),
            pain: entry.pain.map(|p| p.get()),
            pain_scale: scale(entry.pain.map(|p| p.get())),
            regions: region_rows,
            knot_groups,
            kinds: PainKind::ALL
                .iter()
                .map(|k| Choice {
                    id: k.id(),
                    label: k.label(),
                    checked: entry.pain_kinds.contains(k),
                })
                .collect(),
            activities: Activity::ALL
                .iter()
                .map(|k| Choice {
                    id: k.id(),
                    label: k.label(),
                    checked: entry.context.activities.contains(k),
                })
                .collect(),
            visits: Professional::ALL
                .iter()
                .map(|k| Choice {
                    id: k.id(),
                    label: k.label(),
                    checked: t.visits.contains(k),
                })
                .collect(),
            sitting: entry
                .context
                .sitting_hours
                .map(|h| h.to_string())
                .unwrap_or_default(),
            stress: entry
                .context
                .stress
                .map(|s| s.get().to_string())
                .unwrap_or_default(),
            sleep: entry
                .context
                .sleep_quality
                .map(|s| s.get().to_string())
                .unwrap_or_default(),
            stretching: t.stretching,
            strengthening: t.strengthening,
            massage: t.massage,
            foam_rolling: t.foam_rolling,
            heat_minutes: t.heat_minutes.map(|m| m.to_string()).unwrap_or_default(),
            cold_minutes: t.cold_minutes.map(|m| m.to_string()).unwrap_or_default(),
            medications: t.medications.join(", "),
            note: entry.note.clone().unwrap_or_default(),
            map: unknot_export::bodymap::svg(unknot_export::bodymap::Mode::Picker {
                regions: &regions,
                knots: &knots,
            }),
        }
    }

    /// The form as the user filled it, for showing again after a refusal: the ticks and text are
    /// taken from the posted pairs so nothing they typed is lost.
    pub fn from_pairs(
        pairs: &Pairs,
        now: &Zoned,
        action: String,
        submit: &'static str,
    ) -> FormView {
        // A placeholder id: the form being drawn again has not been stored.
        let Ok(id) = EntryId::new("unsaved") else {
            return FormView::default();
        };
        let mut blank = Entry::new(id, now.clone());
        blank.note = one(pairs, "note").map(str::to_string);
        let mut v = FormView::from_entry(&blank, action, submit);
        let value = |name: &str| one(pairs, name).unwrap_or_default().to_string();
        let rating = |name: &str, default: u8| {
            one(pairs, name)
                .and_then(|x| x.parse::<u8>().ok())
                .map_or(default, |x| x.min(10))
        };
        v.at = one(pairs, "at").map_or(v.at, str::to_string);
        v.pain = one(pairs, "pain")
            .and_then(|x| x.parse::<u8>().ok())
            .filter(|x| *x <= 10);
        v.pain_scale = scale(v.pain);
        for r in &mut v.regions {
            r.checked = all(pairs, "region").any(|x| x == r.value);
            r.rating = rating(&r.slider, 5);
        }
        for m in v.knot_groups.iter_mut().flat_map(|g| g.muscles.iter_mut()) {
            for s in &mut m.sides {
                s.checked = all(pairs, "knot").any(|x| x == s.value);
                s.rating = rating(&s.slider, 5);
            }
            m.open = m.sides.iter().any(|s| s.checked);
        }
        for c in v.kinds.iter_mut() {
            c.checked = all(pairs, "kind").any(|x| x == c.id);
        }
        for c in v.activities.iter_mut() {
            c.checked = all(pairs, "activity").any(|x| x == c.id);
        }
        for c in v.visits.iter_mut() {
            c.checked = all(pairs, "visit").any(|x| x == c.id);
        }
        v.sitting = value("sitting");
        v.stress = value("stress");
        v.sleep = value("sleep");
        v.stretching = flag(pairs, "stretching");
        v.strengthening = flag(pairs, "strengthening");
        v.massage = flag(pairs, "massage");
        v.foam_rolling = flag(pairs, "foam_rolling");
        v.heat_minutes = value("heat_minutes");
        v.cold_minutes = value("cold_minutes");
        v.medications = value("medications");
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Pairs {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn now() -> Zoned {
        "2026-03-10T12:00[Europe/London]".parse().unwrap()
    }

    fn new_entry(now: &Zoned) -> Result<Entry, InputError> {
        Ok(Entry::new(EntryId::new("0190-test")?, now.clone()))
    }

    #[test]
    fn a_filled_form_becomes_a_checked_entry() {
        let p = pairs(&[
            ("pain_rated", "on"),
            ("pain", "6"),
            ("region", "lower-back"),
            ("region_pain_lower-back", "7"),
            ("knot", "rhomboids:left"),
            ("tender_rhomboids_left", "8"),
            ("activity", "desk-work"),
            ("sitting", "7.5"),
            ("heat_minutes", "20"),
            ("medications", "ibuprofen, paracetamol"),
            ("note", "stiff <b>after</b> the drive"),
        ]);
        let mut e = new_entry(&now()).unwrap();
        apply(&p, &mut e, &now()).unwrap();
        assert_eq!(e.pain.map(|p| p.get()), Some(6));
        assert_eq!(e.regions[0].pain.get(), 7);
        assert_eq!(e.knots[0].muscle, Muscle::Rhomboids);
        assert_eq!(e.knots[0].tenderness.get(), 8);
        assert_eq!(e.context.sitting_hours, Some(7.5));
        assert_eq!(e.treatments.heat_minutes, Some(20));
        assert_eq!(e.treatments.medications.len(), 2);
        assert_eq!(e.note.as_deref(), Some("stiff <b>after</b> the drive"));
    }

    #[test]
    fn bad_values_are_named() {
        let mut e = new_entry(&now()).unwrap();
        let err = apply(
            &pairs(&[("pain_rated", "on"), ("pain", "11")]),
            &mut e,
            &now(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("11"), "{err}");
        let err = apply(&pairs(&[("knot", "rhomboid:left")]), &mut e, &now()).unwrap_err();
        assert!(err.to_string().contains("rhomboid"), "{err}");
        let err = apply(
            &pairs(&[("pain_rated", "on"), ("pain", "3"), ("sitting", "lots")]),
            &mut e,
            &now(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("lots"), "{err}");
    }

    #[test]
    fn a_refused_form_keeps_what_was_typed() {
        let p = pairs(&[
            ("region", "neck"),
            ("region_pain_neck", "4"),
            ("note", "keep me"),
            ("sitting", "lots"),
        ]);
        let v = FormView::from_pairs(&p, &now(), "/journal".into(), "Save");
        assert!(
            v.regions
                .iter()
                .any(|r| r.value == "neck" && r.checked && r.rating == 4)
        );
        assert_eq!(v.note, "keep me");
        assert_eq!(v.sitting, "lots");
    }
}

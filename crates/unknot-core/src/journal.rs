//! Journal entries: how the back feels at one moment, with context and what was done about it.
//!
//! An entry is the unit a user records several times a day. This module defines it, the
//! vocabularies it uses, the parsers for the compact forms people type (`lower-back=7`,
//! `rhomboids:left:7`), and the one validation pass every entry passes before anything stores it.

use jiff::{Timestamp, Zoned};
use serde::{Deserialize, Serialize};

use crate::body::{Muscle, Region, Side};
use crate::error::InputError;
use crate::ids::id_enum;
use crate::score::Score;

/// Longest free-text note we keep, in characters.
pub const MAX_NOTE_CHARS: usize = 5_000;
/// Longest medication name, in characters.
pub const MAX_MEDICATION_CHARS: usize = 100;
/// Most minutes of heat or cold one entry can record (a sanity bound, not advice).
pub const MAX_THERAPY_MINUTES: u16 = 240;
/// Most medicines one entry can name.
pub const MAX_MEDICATIONS: usize = 20;
/// How far in the future an entry's time may lie: a little slack for clocks that disagree,
/// never a plan.
pub const CLOCK_SKEW_SECONDS: i64 = 10 * 60;

/// Refuses control characters in user text, the one rule for every text field on every path
/// (PostgreSQL refuses NUL, and escape sequences could rewrite a terminal). Line breaks and tabs
/// are allowed where `multiline`. The message shows the start of the text with the character
/// escaped, never the whole of a long text.
pub fn check_plain_text(field: &str, text: &str, multiline: bool) -> Result<(), InputError> {
    let bad = text
        .chars()
        .find(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\t' | '\r')));
    match bad {
        None => Ok(()),
        Some(c) => Err(InputError::malformed(
            field,
            crate::error::shown(text).escape_debug().to_string(),
            format!(
                "it holds a control character (U+{:04X}); remove it and try again",
                u32::from(c)
            ),
        )),
    }
}

/// Checks one line of user text (a goal, an activity's name, a medicine): not empty, at most
/// `max_chars` characters, no control characters.
pub fn check_line(field: &str, text: &str, max_chars: usize) -> Result<(), InputError> {
    if text.trim().is_empty() {
        return Err(InputError::malformed(field, text, "it is empty"));
    }
    if text.chars().count() > max_chars {
        return Err(InputError::malformed(
            field,
            text,
            format!("keep it to {max_chars} characters"),
        ));
    }
    check_plain_text(field, text, false)
}

id_enum!(
    /// How the pain feels.
    PainKind, "kind of pain", {
        /// A dull, steady ache.
        Aching => ("aching", "aching"),
        /// Sharp or stabbing.
        Sharp => ("sharp", "sharp"),
        /// Burning.
        Burning => ("burning", "burning"),
        /// Pins and needles.
        Tingling => ("tingling", "tingling"),
        /// Reduced feeling.
        Numbness => ("numbness", "numbness"),
        /// Pain that shoots along a line, often down a leg or arm.
        Shooting => ("shooting", "shooting"),
        /// Stiff, hard to move.
        Stiffness => ("stiffness", "stiffness"),
    }
);

id_enum!(
    /// Something the user did that may bear on their back.
    Activity, "activity", {
        /// Working at a desk or computer.
        DeskWork => ("desk-work", "desk work"),
        /// Driving.
        Driving => ("driving", "driving"),
        /// Lifting weights in training.
        Weightlifting => ("weightlifting", "weightlifting"),
        /// Running.
        Running => ("running", "running"),
        /// High-intensity interval training.
        Hiit => ("hiit", "HIIT"),
        /// Walking.
        Walking => ("walking", "walking"),
        /// Cycling.
        Cycling => ("cycling", "cycling"),
        /// Swimming.
        Swimming => ("swimming", "swimming"),
        /// Yoga or pilates.
        YogaPilates => ("yoga-pilates", "yoga or pilates"),
        /// Team or racket sport.
        Sport => ("sport", "sport"),
        /// Lifting or carrying loads outside the gym (moving house, children, shopping).
        LiftingCarrying => ("lifting-carrying", "lifting or carrying"),
        /// Gardening.
        Gardening => ("gardening", "gardening"),
        /// Housework.
        Housework => ("housework", "housework"),
        /// Standing for a long time.
        Standing => ("standing", "long standing"),
        /// Using a phone or tablet for a long time.
        PhoneUse => ("phone-use", "long phone use"),
    }
);

id_enum!(
    /// A professional the user saw.
    Professional, "professional", {
        /// Physiotherapist or physical therapist.
        Physiotherapist => ("physiotherapist", "physiotherapist"),
        /// Massage therapist.
        MassageTherapist => ("massage-therapist", "massage therapist"),
        /// Chiropractor.
        Chiropractor => ("chiropractor", "chiropractor"),
        /// Osteopath.
        Osteopath => ("osteopath", "osteopath"),
        /// Acupuncturist.
        Acupuncturist => ("acupuncturist", "acupuncturist"),
        /// Doctor (GP or specialist).
        Doctor => ("doctor", "doctor"),
    }
);

/// An entry's id: app-generated text (a UUIDv7 for new entries), stable forever.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EntryId(String);

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for EntryId {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some(
                "An entry's id: 1 to 64 ASCII letters, digits and hyphens.",
            ))
            .pattern(Some("^[A-Za-z0-9-]{1,64}$"))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for EntryId {}

impl EntryId {
    /// Checks the shape: 1 to 64 characters of ASCII letters, digits and hyphens.
    pub fn new(id: impl Into<String>) -> Result<EntryId, InputError> {
        let id = id.into();
        let ok = !id.is_empty()
            && id.len() <= 64
            && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if ok {
            Ok(EntryId(id))
        } else {
            Err(InputError::malformed(
                "id",
                id,
                "expected letters, digits and hyphens",
            ))
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The last eight characters: the random tail of a UUIDv7, short enough for tables and
    /// distinct enough to name an entry.
    pub fn short(&self) -> &str {
        let start = self.0.len().saturating_sub(8);
        &self.0[start..]
    }
}

impl TryFrom<String> for EntryId {
    type Error = InputError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        EntryId::new(value)
    }
}

impl From<EntryId> for String {
    fn from(id: EntryId) -> String {
        id.0
    }
}

impl std::fmt::Display for EntryId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Pain in one region.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionPain {
    /// Where.
    pub region: Region,
    /// How much, 0-10.
    pub pain: Score,
}

impl RegionPain {
    /// Parses `REGION=PAIN`, e.g. `lower-back=7`.
    pub fn parse(text: &str) -> Result<RegionPain, InputError> {
        let (region, pain) = text.split_once('=').ok_or_else(|| {
            InputError::malformed("regions", text, "expected REGION=PAIN, e.g. lower-back=7")
        })?;
        Ok(RegionPain {
            region: region.parse()?,
            pain: Score::parse(pain, &format!("pain for {}", region.trim()))?,
        })
    }
}

/// A knot (trigger point): which muscle, which side, how tender, and where its pain travels.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Knot {
    /// The muscle it sits in.
    pub muscle: Muscle,
    /// Which side.
    pub side: Side,
    /// Tenderness when pressed, 0-10.
    pub tenderness: Score,
    /// Regions the pain spreads to, if any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refers_to: Vec<Region>,
}

impl Knot {
    /// Parses `MUSCLE:SIDE:TENDERNESS[:REGION,REGION…]`, e.g. `rhomboids:left:7` or
    /// `upper-trapezius:right:8:neck,arm`.
    pub fn parse(text: &str) -> Result<Knot, InputError> {
        let parts: Vec<&str> = text.split(':').collect();
        if !(3..=4).contains(&parts.len()) {
            return Err(InputError::malformed(
                "knots",
                text,
                "expected MUSCLE:SIDE:TENDERNESS[:REFERS,TO], e.g. rhomboids:left:7",
            ));
        }
        let muscle: Muscle = parts[0].parse()?;
        let side: Side = parts[1].parse()?;
        let tenderness = Score::parse(parts[2], &format!("tenderness of {}", muscle.id()))?;
        let refers_to = match parts.get(3) {
            Some(list) => list
                .split(',')
                .filter(|s| !s.trim().is_empty())
                .map(str::parse)
                .collect::<Result<Vec<Region>, _>>()?,
            None => Vec::new(),
        };
        let knot = Knot {
            muscle,
            side,
            tenderness,
            refers_to,
        };
        knot.check()?;
        Ok(knot)
    }

    fn check(&self) -> Result<(), InputError> {
        self.muscle.check_side(self.side)?;
        if let Some(dup) = first_duplicate(&self.refers_to) {
            return Err(InputError::Inconsistent(format!(
                "knot in {} lists '{}' twice where its pain travels",
                self.muscle.id(),
                dup.id()
            )));
        }
        Ok(())
    }
}

/// What else was going on: the circumstances that often come before a bad day.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Context {
    /// Hours spent sitting today so far.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sitting_hours: Option<f64>,
    /// Stress, 0 (none) to 10 (overwhelming).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stress: Option<Score>,
    /// Last night's sleep quality, 0 (very poor) to 10 (excellent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sleep_quality: Option<Score>,
    /// Activities done since the last entry.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub activities: Vec<Activity>,
}

impl Context {
    /// True when nothing is recorded.
    pub fn is_empty(&self) -> bool {
        self == &Context::default()
    }
}

/// What the user did about the pain.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Treatments {
    /// Stretching.
    #[serde(default, skip_serializing_if = "is_false")]
    pub stretching: bool,
    /// Strengthening exercise.
    #[serde(default, skip_serializing_if = "is_false")]
    pub strengthening: bool,
    /// Minutes of heat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 240))]
    pub heat_minutes: Option<u16>,
    /// Minutes of cold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 240))]
    pub cold_minutes: Option<u16>,
    /// Massage (by someone else or self-massage with hands or a ball).
    #[serde(default, skip_serializing_if = "is_false")]
    pub massage: bool,
    /// Foam rolling.
    #[serde(default, skip_serializing_if = "is_false")]
    pub foam_rolling: bool,
    /// Medicines taken, by the name the user knows them by (no doses are recorded or advised).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "openapi", schema(max_items = 20))]
    pub medications: Vec<String>,
    /// Professionals seen.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub visits: Vec<Professional>,
}

impl Treatments {
    /// True when nothing is recorded.
    pub fn is_empty(&self) -> bool {
        self == &Treatments::default()
    }

    /// Short names of everything recorded, for tables and summaries.
    pub fn summary(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.stretching {
            out.push("stretching".to_string());
        }
        if self.strengthening {
            out.push("strengthening".to_string());
        }
        if let Some(m) = self.heat_minutes {
            out.push(format!("heat {m} min"));
        }
        if let Some(m) = self.cold_minutes {
            out.push(format!("cold {m} min"));
        }
        if self.massage {
            out.push("massage".to_string());
        }
        if self.foam_rolling {
            out.push("foam rolling".to_string());
        }
        out.extend(self.medications.iter().cloned());
        out.extend(self.visits.iter().map(|v| v.label().to_string()));
        out
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// One journal entry.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Stable id.
    pub id: EntryId,
    /// When it was felt, in the user's time zone at the time.
    #[cfg_attr(
        feature = "openapi",
        schema(
            value_type = String,
            example = "2026-03-01T09:30:00+01:00[Europe/Paris]",
            pattern = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([+-]\d{2}:\d{2}|Z)\[[^\]]+\]$"
        )
    )]
    pub at: Zoned,
    /// Overall pain, 0-10, if rated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pain: Option<Score>,
    /// Pain per region.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<RegionPain>,
    /// Knots found.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub knots: Vec<Knot>,
    /// How the pain feels.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pain_kinds: Vec<PainKind>,
    /// Circumstances.
    #[serde(default, skip_serializing_if = "Context::is_empty")]
    pub context: Context,
    /// What was done about it.
    #[serde(default, skip_serializing_if = "Treatments::is_empty")]
    pub treatments: Treatments,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 5000))]
    pub note: Option<String>,
}

impl Entry {
    /// An empty entry at `at`, to be filled in and then [`checked`](Entry::check).
    pub fn new(id: EntryId, at: Zoned) -> Entry {
        Entry {
            id,
            at,
            pain: None,
            regions: Vec::new(),
            knots: Vec::new(),
            pain_kinds: Vec::new(),
            context: Context::default(),
            treatments: Treatments::default(),
            note: None,
        }
    }

    /// True when the entry records nothing beyond its time.
    pub fn is_blank(&self) -> bool {
        self.pain.is_none()
            && self.regions.is_empty()
            && self.knots.is_empty()
            && self.pain_kinds.is_empty()
            && self.context.is_empty()
            && self.treatments.is_empty()
            && self.note.is_none()
    }

    /// The one validation pass every entry goes through before it is stored, whether it was
    /// typed, clicked, posted or imported. `now` bounds the time: an entry may not lie in the
    /// future beyond [`CLOCK_SKEW_SECONDS`]. Errors name the data field (`note`,
    /// `heat_minutes`); each edge words it for its reader.
    pub fn check(&self, now: Timestamp) -> Result<(), InputError> {
        if self.is_blank() {
            return Err(InputError::Inconsistent(
                "the entry records nothing: give at least a pain rating, a region, a knot or a note"
                    .to_string(),
            ));
        }
        self.check_time(now)?;
        self.check_lists()?;
        self.check_amounts()?;
        self.check_text()
    }

    fn check_time(&self, now: Timestamp) -> Result<(), InputError> {
        let latest = now.as_second().saturating_add(CLOCK_SKEW_SECONDS);
        if self.at.timestamp().as_second() > latest {
            return Err(InputError::malformed(
                "time",
                self.at.strftime("%Y-%m-%d %H:%M").to_string(),
                "it is in the future: an entry records what already happened",
            ));
        }
        if self.at.year() < 1900 {
            return Err(InputError::malformed(
                "time",
                self.at.strftime("%Y-%m-%d %H:%M").to_string(),
                "it is before 1900",
            ));
        }
        Ok(())
    }

    /// No region, knot, kind of pain, activity or visit given twice; each knot checked.
    fn check_lists(&self) -> Result<(), InputError> {
        let twice = |what: String| Err(InputError::Inconsistent(format!("{what} is given twice")));
        let regions: Vec<Region> = self.regions.iter().map(|r| r.region).collect();
        if let Some(dup) = first_duplicate(&regions) {
            return twice(format!("region '{}'", dup.id()));
        }
        for knot in &self.knots {
            knot.check()?;
        }
        let knot_keys: Vec<(Muscle, Side)> =
            self.knots.iter().map(|k| (k.muscle, k.side)).collect();
        if let Some((m, s)) = first_duplicate(&knot_keys) {
            return twice(format!("the knot in {} ({})", m.id(), s.id()));
        }
        if let Some(dup) = first_duplicate(&self.pain_kinds) {
            return twice(format!("kind of pain '{}'", dup.id()));
        }
        if let Some(dup) = first_duplicate(&self.context.activities) {
            return twice(format!("activity '{}'", dup.id()));
        }
        if let Some(dup) = first_duplicate(&self.treatments.visits) {
            return twice(format!("visit to a {}", dup.label()));
        }
        Ok(())
    }

    /// Hours sitting and minutes of heat or cold within their bounds.
    fn check_amounts(&self) -> Result<(), InputError> {
        if let Some(h) = self.context.sitting_hours
            && (!(0.0..=24.0).contains(&h) || !h.is_finite())
        {
            return Err(InputError::malformed(
                "sitting_hours",
                h.to_string(),
                "hours must be from 0 to 24",
            ));
        }
        for (field, minutes) in [
            ("heat_minutes", self.treatments.heat_minutes),
            ("cold_minutes", self.treatments.cold_minutes),
        ] {
            if let Some(m) = minutes
                && (m == 0 || m > MAX_THERAPY_MINUTES)
            {
                return Err(InputError::malformed(
                    field,
                    m.to_string(),
                    format!("minutes must be from 1 to {MAX_THERAPY_MINUTES}"),
                ));
            }
        }
        Ok(())
    }

    /// Medicine names and the note: within their lengths, and free of control characters
    /// (which could rewrite a terminal or break a file; a note may keep line breaks and tabs).
    fn check_text(&self) -> Result<(), InputError> {
        let meds = &self.treatments.medications;
        if meds.len() > MAX_MEDICATIONS {
            return Err(InputError::malformed(
                "medications",
                meds.len().to_string(),
                format!("at most {MAX_MEDICATIONS} medicines in one entry"),
            ));
        }
        for med in meds {
            let len = med.chars().count();
            if med.trim().is_empty() || len > MAX_MEDICATION_CHARS || med.trim() != med {
                return Err(InputError::malformed(
                    "medications",
                    med.clone(),
                    format!("give the name as you know it, 1 to {MAX_MEDICATION_CHARS} characters"),
                ));
            }
            check_plain_text("medications", med, false)?;
        }
        let Some(note) = &self.note else {
            return Ok(());
        };
        if note.chars().count() > MAX_NOTE_CHARS {
            return Err(InputError::malformed(
                "note",
                note.clone(),
                format!("notes are limited to {MAX_NOTE_CHARS} characters"),
            ));
        }
        if note.trim().is_empty() {
            return Err(InputError::malformed(
                "note",
                note.clone(),
                "the note is empty",
            ));
        }
        check_plain_text("note", note, true)
    }

    /// Every region this entry touches: rated regions, the regions of knotted muscles, and
    /// where knot pain travels. Used to filter history by region.
    pub fn touches(&self, region: Region) -> bool {
        self.regions.iter().any(|r| r.region == region)
            || self
                .knots
                .iter()
                .any(|k| k.muscle.region() == region || k.refers_to.contains(&region))
    }
}

fn first_duplicate<T: PartialEq + Copy>(items: &[T]) -> Option<T> {
    items
        .iter()
        .enumerate()
        .find(|(i, item)| items[..*i].contains(item))
        .map(|(_, item)| *item)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Zoned {
        text.parse().unwrap()
    }

    fn entry() -> Entry {
        let mut e = Entry::new(
            EntryId::new("e1").unwrap(),
            at("2026-03-01T09:00:00+00:00[UTC]"),
        );
        e.pain = Some(Score::new(5, "pain").unwrap());
        e
    }

    #[test]
    fn parses_region_pain_and_knots() {
        let rp = RegionPain::parse("lower-back=7").unwrap();
        assert_eq!((rp.region, rp.pain.get()), (Region::LowerBack, 7));
        let k = Knot::parse("upper-trapezius:right:8:neck,arm").unwrap();
        assert_eq!(k.muscle, Muscle::UpperTrapezius);
        assert_eq!(k.refers_to, vec![Region::Neck, Region::Arm]);
        assert!(Knot::parse("rhomboids:left").is_err());
        assert!(Knot::parse("rhomboids:centre:5").is_err());
        let err = Knot::parse("rhomboid:left:5").unwrap_err().to_string();
        assert!(err.contains("did you mean rhomboids?"), "{err}");
        let err = RegionPain::parse("neck=11").unwrap_err().to_string();
        assert!(err.contains("11"), "{err}");
    }

    #[test]
    fn a_blank_entry_is_refused() {
        let e = Entry::new(
            EntryId::new("e1").unwrap(),
            at("2026-03-01T09:00:00+00:00[UTC]"),
        );
        assert!(e.check(Timestamp::UNIX_EPOCH).is_err());
    }

    #[test]
    fn future_entries_are_refused() {
        let e = entry();
        let long_before: Timestamp = "2026-02-01T00:00:00Z".parse().unwrap();
        assert!(e.check(long_before).is_err());
        let after: Timestamp = "2026-03-01T10:00:00Z".parse().unwrap();
        assert!(e.check(after).is_ok());
    }

    #[test]
    fn duplicates_and_bounds_are_refused() {
        let now: Timestamp = "2026-03-02T00:00:00Z".parse().unwrap();
        let mut e = entry();
        e.regions = vec![
            RegionPain::parse("neck=3").unwrap(),
            RegionPain::parse("neck=4").unwrap(),
        ];
        assert!(e.check(now).is_err());
        let mut e = entry();
        e.context.sitting_hours = Some(25.0);
        assert!(e.check(now).is_err());
        let mut e = entry();
        e.treatments.cold_minutes = Some(0);
        assert!(e.check(now).is_err());
        let mut e = entry();
        e.note = Some("x".repeat(MAX_NOTE_CHARS + 1));
        assert!(e.check(now).is_err());
    }

    #[test]
    fn touches_follows_knots_and_referral() {
        let mut e = entry();
        e.knots = vec![Knot::parse("piriformis:left:6:leg").unwrap()];
        assert!(e.touches(Region::Buttocks));
        assert!(e.touches(Region::Leg));
        assert!(!e.touches(Region::Neck));
    }

    #[test]
    fn short_id_is_the_random_tail() {
        let id = EntryId::new("0190c1d2-0000-7000-8000-0123456789ab").unwrap();
        assert_eq!(id.short(), "456789ab");
    }
}

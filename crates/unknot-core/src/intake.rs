//! The intake answers: a public contract (see `docs/intake.md`).
//!
//! Field names are fixed and every field is optional; an unknown field or a value out of range
//! is refused. The same struct is filled by the interactive `unknot assess`, by
//! `unknot assess --answers FILE.json`, and by the web form, so triage and the planner see one
//! shape whatever the edge. The questions themselves, in lay words, live in one table
//! ([`questions::QUESTIONS`]) that every edge asks from.
//!
//! Answers are a snapshot: `onset_days` and `age` were true when they were given.
//! [`Answers::as_of`] moves them on to "now", so a rule such as "more than six weeks" fires
//! when six weeks have passed, not only when the intake said so.

pub mod questions;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::body::{Muscle, Region};
use crate::catalogue::{Caution, Equipment};
use crate::error::InputError;
use crate::score::Score;

/// A region as the intake names it (`upper_back`, with an underscore).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntakeRegion {
    /// Neck.
    Neck,
    /// Upper back.
    UpperBack,
    /// Middle back.
    MidBack,
    /// Lower back.
    LowerBack,
    /// Shoulders.
    Shoulders,
    /// Buttocks.
    Buttocks,
}

impl IntakeRegion {
    /// The body-model region.
    pub fn region(self) -> Region {
        match self {
            IntakeRegion::Neck => Region::Neck,
            IntakeRegion::UpperBack => Region::UpperBack,
            IntakeRegion::MidBack => Region::MidBack,
            IntakeRegion::LowerBack => Region::LowerBack,
            IntakeRegion::Shoulders => Region::Shoulders,
            IntakeRegion::Buttocks => Region::Buttocks,
        }
    }
}

/// How the pain began.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Onset {
    /// Crept up over days or weeks.
    Gradual,
    /// Came on suddenly.
    Sudden,
}

/// What the user thinks set it off.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// Posture.
    Posture,
    /// Long sitting.
    ProlongedSitting,
    /// Lifting something.
    Lifting,
    /// Weight training.
    Weightlifting,
    /// Running.
    Running,
    /// High-intensity interval training.
    Hiit,
    /// Stress.
    Stress,
    /// An injury.
    Injury,
    /// Overuse.
    Overuse,
    /// Not known.
    Unknown,
}

/// Where the pain spreads to.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Radiation {
    /// It stays where it is.
    None,
    /// Into the buttock.
    Buttock,
    /// Into the thigh.
    Thigh,
    /// Below the knee.
    BelowKnee,
    /// Into the arm.
    Arm,
    /// Into the chest.
    Chest,
}

/// Leg weakness.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegWeakness {
    /// None.
    None,
    /// Present but not changing.
    Stable,
    /// Getting worse.
    Worsening,
}

/// An injury before the pain. Ordered from none to major.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trauma {
    /// None.
    None,
    /// A minor knock, slip or strain.
    Minor,
    /// A major injury (a fall from a height, a road accident).
    Major,
}

/// One activity of the Patient-Specific Functional Scale: something that matters to the user
/// and how well they can do it now (0 = not at all, 10 = as before the problem).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PsfsItem {
    /// The activity, in the user's words.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub activity: String,
    /// How well they can do it.
    pub score: Score,
}

/// The ergonomics and habits check (all optional; `true` means the good habit is in place).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Habits {
    /// The top of the screen is at about eye level.
    pub screen_at_eye_level: Option<bool>,
    /// The chair supports the lower back.
    pub chair_supports_lower_back: Option<bool>,
    /// Feet rest flat on the floor or a footrest.
    pub feet_flat: Option<bool>,
    /// Up and moving at least once an hour at work.
    pub breaks_hourly: Option<bool>,
    /// Hours a day looking down at a phone or tablet.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 24))]
    pub phone_hours: Option<f64>,
    /// Hours a day driving.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 24))]
    pub driving_hours: Option<f64>,
    /// Lifts or carries heavy things at work or home.
    pub lifts_heavy_things: Option<bool>,
    /// When lifting: load close, knees and hips bent, no twisting.
    pub lifts_with_good_technique: Option<bool>,
    /// The mattress is comfortable and not sagging.
    pub mattress_comfortable: Option<bool>,
    /// The pillow keeps the neck level with the spine.
    pub pillow_keeps_neck_level: Option<bool>,
    /// Days a week with at least 30 minutes of activity.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 7))]
    pub active_days_per_week: Option<u8>,
    /// The user would like help with their weight.
    pub weight_concern: Option<bool>,
}

/// Everything the intake asks. All fields are optional.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answers {
    /// Age in years.
    #[cfg_attr(feature = "openapi", schema(minimum = 16, maximum = 120))]
    pub age: Option<u8>,
    /// Where it hurts.
    #[cfg_attr(feature = "openapi", schema(max_items = 64))]
    pub regions: Option<Vec<IntakeRegion>>,
    /// Pain now, 0-10.
    pub pain_now: Option<Score>,
    /// Worst pain in the last week, 0-10.
    pub pain_worst: Option<Score>,
    /// Days since it began.
    #[cfg_attr(feature = "openapi", schema(maximum = 36500))]
    pub onset_days: Option<u32>,
    /// How it began.
    pub onset: Option<Onset>,
    /// What set it off.
    #[cfg_attr(feature = "openapi", schema(max_items = 64))]
    pub causes: Option<Vec<Cause>>,
    /// Where it spreads.
    pub radiation: Option<Radiation>,
    /// Symptoms in both legs.
    pub both_legs: Option<bool>,
    /// Numbness or tingling.
    pub numbness_tingling: Option<bool>,
    /// Leg weakness.
    pub leg_weakness: Option<LegWeakness>,
    /// Numbness between the legs or around the bottom.
    pub saddle_numbness: Option<bool>,
    /// A new change in bladder or bowel control.
    pub bladder_bowel_change: Option<bool>,
    /// A new change in sexual function.
    pub sexual_function_change: Option<bool>,
    /// Fever or chills.
    pub fever: Option<bool>,
    /// Weight loss without trying.
    pub unexplained_weight_loss: Option<bool>,
    /// Any history of cancer.
    pub cancer_history: Option<bool>,
    /// An injury before the pain.
    pub trauma: Option<Trauma>,
    /// Osteoporosis or long-term steroid tablets.
    pub osteoporosis_or_steroids: Option<bool>,
    /// Constant night pain, not eased by rest or changing position.
    pub night_pain: Option<bool>,
    /// A weakened immune system, or injected drug use.
    pub immunosuppressed_or_iv_drug_use: Option<bool>,
    /// Chest pain or breathlessness.
    pub chest_pain_or_breathless: Option<bool>,
    /// Getting worse despite self-care.
    pub worsening_despite_self_care: Option<bool>,
    /// The pain limits daily activities.
    pub limits_daily_activities: Option<bool>,
    /// Feeling very unwell (more than the back pain alone explains).
    pub feeling_very_unwell: Option<bool>,
    /// Sudden, severe, tearing pain in the back or belly, or feeling faint or collapsing.
    pub sudden_tearing_pain_or_faint: Option<bool>,
    /// Back, neck, jaw or arm pain with sweating, sickness, light-headedness or breathlessness.
    pub pain_with_sweating_or_sickness: Option<bool>,
    /// A new lump or swelling on the back, or a change in the back's shape.
    pub lump_or_swelling: Option<bool>,
    /// Spinal surgery or a spinal injection in the past three months.
    pub recent_spinal_procedure: Option<bool>,
    /// Stiffness in the morning that lasts more than half an hour.
    pub morning_stiffness_over_30_min: Option<bool>,
    /// The pain gets better with movement and not with rest.
    pub better_with_movement_not_rest: Option<bool>,
    /// The pain wakes the person in the second half of the night.
    pub wakes_second_half_of_night: Option<bool>,
    /// Clumsy hands (buttons, writing) or unsteady walking.
    pub hand_clumsiness_or_unsteady_walking: Option<bool>,
    /// Sudden neck pain with dizziness, double vision, or trouble speaking or swallowing.
    pub dizziness_double_vision_or_speech: Option<bool>,
    /// Back pain in pregnancy with bleeding, fluid loss, contractions or fever.
    pub pregnant_with_warning_signs: Option<bool>,
    /// Taking blood thinners, or a bleeding disorder (no triage level: a plan caution).
    pub on_blood_thinners_or_bleeding_disorder: Option<bool>,

    // What the plan needs, beyond the triage contract.
    /// Minutes a day for exercises (5 to 60; 15 when not given).
    #[cfg_attr(feature = "openapi", schema(minimum = 5, maximum = 60))]
    pub minutes_per_day: Option<u8>,
    /// Equipment at hand.
    #[cfg_attr(feature = "openapi", schema(max_items = 64))]
    pub equipment: Option<Vec<Equipment>>,
    /// Hours a day sitting.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 24))]
    pub sitting_hours: Option<f64>,
    /// Muscles where the user feels knots.
    #[cfg_attr(feature = "openapi", schema(max_items = 64))]
    pub knots: Option<Vec<Muscle>>,
    /// Other situations that rule exercises out (pregnancy, painful knees…).
    #[cfg_attr(feature = "openapi", schema(max_items = 64))]
    pub other_cautions: Option<Vec<Caution>>,
    /// What the user wants to get back to, in their words.
    #[cfg_attr(feature = "openapi", schema(max_items = 10))]
    pub goals: Option<Vec<String>>,
    /// PEG: pain on average over the past week, 0-10.
    pub peg_pain: Option<Score>,
    /// PEG: how much pain interfered with enjoyment of life, 0-10.
    pub peg_enjoyment: Option<Score>,
    /// PEG: how much pain interfered with general activity, 0-10.
    pub peg_activity: Option<Score>,
    /// PSFS: three to five activities and how well they can be done.
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 5))]
    pub psfs: Option<Vec<PsfsItem>>,
    /// The habits check.
    pub habits: Option<Habits>,
}

impl Answers {
    /// Parses the public JSON form. Unknown fields and out-of-range values are refused with
    /// the field named; an array (which would fill fields in order) is refused too.
    pub fn from_json(text: &str) -> Result<Answers, InputError> {
        // serde fills a struct from an array field by field; anything else that is not an
        // object fails below with its line and column.
        if text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with('[')
        {
            return Err(InputError::malformed(
                "answers",
                text,
                "expected a JSON object of answers, such as {\"pain_now\": 4}",
            ));
        }
        let answers: Answers = serde_json::from_str(text).map_err(|e| {
            InputError::malformed(
                "answers",
                format!("line {}, column {}", e.line(), e.column()),
                e.to_string(),
            )
        })?;
        answers.check()?;
        Ok(answers)
    }

    /// Range checks serde cannot express, and the text rules every text field follows (a length
    /// limit, no control characters), so answers from any edge or an import are the same.
    pub fn check(&self) -> Result<(), InputError> {
        self.check_whole_numbers()?;
        self.check_hours()?;
        self.check_psfs()?;
        self.check_lists()?;
        self.check_goals()
    }

    fn check_lists(&self) -> Result<(), InputError> {
        let lens = [
            ("regions", self.regions.as_ref().map(Vec::len)),
            ("causes", self.causes.as_ref().map(Vec::len)),
            ("equipment", self.equipment.as_ref().map(Vec::len)),
            ("knots", self.knots.as_ref().map(Vec::len)),
            ("other_cautions", self.other_cautions.as_ref().map(Vec::len)),
        ];
        for (field, len) in lens {
            if let Some(n) = len
                && n > MAX_LIST_ITEMS
            {
                return Err(InputError::malformed(
                    field,
                    n.to_string(),
                    format!("at most {MAX_LIST_ITEMS} items"),
                ));
            }
        }
        Ok(())
    }

    fn check_goals(&self) -> Result<(), InputError> {
        let Some(goals) = &self.goals else {
            return Ok(());
        };
        if goals.len() > MAX_GOALS {
            return Err(InputError::malformed(
                "goals",
                goals.len().to_string(),
                format!("name at most {MAX_GOALS} goals"),
            ));
        }
        goals
            .iter()
            .try_for_each(|g| crate::journal::check_line("goals", g, MAX_TEXT_CHARS))
    }

    fn check_whole_numbers(&self) -> Result<(), InputError> {
        let habits = self.habits.as_ref();
        for (field, value, range, why) in [
            (
                "age",
                self.age.map(u32::from),
                16..=u32::from(MAX_AGE),
                "unknot is for adults: give an age from 16 to 120",
            ),
            (
                "minutes_per_day",
                self.minutes_per_day.map(u32::from),
                5..=60,
                "from 5 to 60",
            ),
            (
                "habits.active_days_per_week",
                habits.and_then(|h| h.active_days_per_week).map(u32::from),
                0..=7,
                "from 0 to 7",
            ),
            (
                "onset_days",
                self.onset_days,
                0..=MAX_ONSET_DAYS,
                "more than a hundred years",
            ),
        ] {
            if let Some(v) = value
                && !range.contains(&v)
            {
                return Err(InputError::malformed(field, v.to_string(), why));
            }
        }
        Ok(())
    }

    fn check_hours(&self) -> Result<(), InputError> {
        let habits = self.habits.as_ref();
        for (field, hours) in [
            ("sitting_hours", self.sitting_hours),
            ("habits.phone_hours", habits.and_then(|h| h.phone_hours)),
            ("habits.driving_hours", habits.and_then(|h| h.driving_hours)),
        ] {
            if let Some(h) = hours
                && !(0.0..=24.0).contains(&h)
            {
                return Err(InputError::malformed(
                    field,
                    h.to_string(),
                    "hours from 0 to 24",
                ));
            }
        }
        Ok(())
    }

    fn check_psfs(&self) -> Result<(), InputError> {
        let Some(items) = &self.psfs else {
            return Ok(());
        };
        if !(1..=5).contains(&items.len()) {
            return Err(InputError::malformed(
                "psfs",
                items.len().to_string(),
                "name 3 to 5 activities",
            ));
        }
        if items.iter().any(|i| i.activity.trim().is_empty()) {
            return Err(InputError::malformed(
                "psfs",
                "",
                "each activity needs a name",
            ));
        }
        items.iter().try_for_each(|i| {
            crate::journal::check_line("psfs.activity", &i.activity, MAX_TEXT_CHARS)
        })
    }

    /// True when the user answered yes.
    pub fn yes(flag: Option<bool>) -> bool {
        flag == Some(true)
    }

    /// The situations, from these answers, in which exercises carrying that caution tag must
    /// not be chosen.
    pub fn cautions(&self) -> Vec<Caution> {
        let mut out = self.other_cautions.clone().unwrap_or_default();
        out.extend(self.nerve_cautions());
        let recent = self.onset_days.is_some_and(|d| d <= 7);
        let flare = (recent && self.pain_now.is_some_and(|p| p.get() >= 6))
            || self.pain_now.is_some_and(|p| p.get() >= 8);
        for (applies, caution) in [
            (flare, Caution::AcuteFlare),
            (
                Answers::yes(self.osteoporosis_or_steroids),
                Caution::Osteoporosis,
            ),
            (
                Answers::yes(self.on_blood_thinners_or_bleeding_disorder),
                Caution::BleedingRisk,
            ),
            (
                Answers::yes(self.recent_spinal_procedure),
                Caution::RecentSurgery,
            ),
            (
                Answers::yes(self.pregnant_with_warning_signs),
                Caution::Pregnancy,
            ),
            (self.age.is_some_and(|a| a >= 75), Caution::BalanceProblems),
        ] {
            if applies {
                out.push(caution);
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// Leg or arm symptoms: pain spreading into a thigh, below a knee or into an arm, symptoms
    /// in both legs, leg weakness, or numbness (down the arm when the pain goes there).
    fn nerve_cautions(&self) -> Vec<Caution> {
        let mut out = Vec::new();
        let leg = matches!(
            self.radiation,
            Some(Radiation::Thigh | Radiation::BelowKnee)
        ) || Answers::yes(self.both_legs)
            || matches!(
                self.leg_weakness,
                Some(LegWeakness::Stable | LegWeakness::Worsening)
            );
        let arm = self.radiation == Some(Radiation::Arm);
        if leg || (Answers::yes(self.numbness_tingling) && !arm) {
            out.push(Caution::LegSymptoms);
        }
        if arm {
            out.push(Caution::ArmSymptoms);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_names_parse() {
        let a = Answers::from_json(
            r#"{"age": 44, "regions": ["upper_back", "lower_back"], "pain_now": 6, "onset": "sudden",
                "causes": ["prolonged_sitting", "hiit"], "radiation": "below_knee", "leg_weakness": "stable",
                "trauma": "minor", "saddle_numbness": false, "equipment": ["mat", "massage-ball"],
                "knots": ["rhomboids"], "psfs": [{"activity": "gardening", "score": 4}]}"#,
        )
        .unwrap();
        assert_eq!(a.regions.unwrap()[0], IntakeRegion::UpperBack);
        assert_eq!(a.radiation, Some(Radiation::BelowKnee));
    }

    #[test]
    fn unknown_fields_and_bad_values_are_named() {
        let err = Answers::from_json(r#"{"pain_today": 3}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("pain_today"), "{err}");
        let err = Answers::from_json(r#"{"pain_now": 11}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("11"), "{err}");
        let err = Answers::from_json(r#"{"radiation": "foot"}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("foot"), "{err}");
        let err = Answers::from_json(r#"{"age": 9}"#).unwrap_err().to_string();
        assert!(err.contains("age") && err.contains('9'), "{err}");
    }

    #[test]
    fn text_answers_follow_the_text_rules() {
        for (json, needle) in [
            (r#"{"goals": ["walk\u0000"]}"#, "U+0000"),
            (r#"{"goals": ["\u001b[2J"]}"#, "U+001B"),
            (r#"{"goals": [""]}"#, "empty"),
            (
                r#"{"psfs": [{"activity": "dig\u0007", "score": 3}]}"#,
                "U+0007",
            ),
            (r#"[null, null]"#, "JSON object"),
        ] {
            let err = Answers::from_json(json).unwrap_err().to_string();
            assert!(err.contains(needle), "{json}: {err}");
        }
        let long = format!(r#"{{"goals": ["{}"]}}"#, "g".repeat(100_000));
        let err = Answers::from_json(&long).unwrap_err().to_string();
        assert!(err.contains("200 characters") && err.len() < 400, "{err}");
        let many = format!(r#"{{"goals": [{}]}}"#, [r#""walk""#; 11].join(","));
        assert!(Answers::from_json(&many).is_err());
        let six = r#"{"psfs": [
            {"activity": "a", "score": 1}, {"activity": "b", "score": 1},
            {"activity": "c", "score": 1}, {"activity": "d", "score": 1},
            {"activity": "e", "score": 1}, {"activity": "f", "score": 1}]}"#;
        assert!(Answers::from_json(six).is_err());
        let regions = format!(r#"{{"regions": [{}]}}"#, [r#""neck""#; 65].join(","));
        assert!(Answers::from_json(&regions).is_err());
        assert!(Answers::from_json(r#"{"goals": ["walk the dog"]}"#).is_ok());
    }

    #[test]
    fn cautions_follow_the_answers() {
        let a = Answers {
            radiation: Some(Radiation::BelowKnee),
            osteoporosis_or_steroids: Some(true),
            ..Answers::default()
        };
        assert_eq!(
            a.cautions(),
            vec![Caution::LegSymptoms, Caution::Osteoporosis]
        );
    }
}

/// Whether an assessment was the full intake or a weekly check-in.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssessmentKind {
    /// The full intake.
    Intake,
    /// A weekly check-in (pain, PEG, PSFS and the warning signs).
    Checkin,
}

/// A recorded assessment: when, what kind, and the answers.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    /// Stable id.
    pub id: String,
    /// Intake or check-in.
    pub kind: AssessmentKind,
    /// When.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub at: jiff::Zoned,
    /// The answers.
    pub answers: Answers,
}

/// Every field of [`Answers`], in one list, handed to `$cb` after its other arguments:
/// [`Answers::updated_by`] lays each given (`Some`) field of a later answer over the earlier
/// one. A test checks the list against the struct's fields, so a new field cannot be left out
/// of the merge unnoticed.
macro_rules! with_answer_fields {
    ($cb:ident ! ($($args:tt)*)) => {
        $cb!($($args)* [
            age, regions, pain_now, pain_worst, onset_days, onset, causes, radiation,
            both_legs, numbness_tingling, leg_weakness, saddle_numbness, bladder_bowel_change,
            sexual_function_change, fever, unexplained_weight_loss, cancer_history, trauma,
            osteoporosis_or_steroids, night_pain, immunosuppressed_or_iv_drug_use,
            chest_pain_or_breathless, worsening_despite_self_care, limits_daily_activities,
            feeling_very_unwell, sudden_tearing_pain_or_faint, pain_with_sweating_or_sickness,
            lump_or_swelling, recent_spinal_procedure, morning_stiffness_over_30_min,
            better_with_movement_not_rest, wakes_second_half_of_night,
            hand_clumsiness_or_unsteady_walking, dizziness_double_vision_or_speech,
            pregnant_with_warning_signs, on_blood_thinners_or_bleeding_disorder,
            minutes_per_day, equipment, sitting_hours, knots, other_cautions, goals, peg_pain,
            peg_enjoyment, peg_activity, psfs, habits
        ])
    };
}

/// `lay_over!(out, later, [fields])`: each listed field `later` gives replaces `out`'s.
macro_rules! lay_over {
    ($out:ident, $later:ident, [$($f:ident),* $(,)?]) => {
        $(
            if $later.$f.is_some() {
                $out.$f = $later.$f.clone();
            }
        )*
    };
}

/// The listed fields' names.
#[cfg(test)]
macro_rules! field_names {
    ([$($f:ident),* $(,)?]) => {
        &[$(stringify!($f)),*]
    };
}

/// The names of every field [`Answers::updated_by`] merges.
#[cfg(test)]
pub(crate) const MERGED_FIELDS: &[&str] = with_answer_fields!(field_names!());

impl Answers {
    /// These answers with a check-in's answers laid over them: every field the check-in gave
    /// replaces the intake's, so a warning sign reported later counts (and one that has gone
    /// can be cleared by a later "no"). History does not change, though: a "yes" to
    /// `cancer_history` or `osteoporosis_or_steroids` is kept whatever a later answer says, and
    /// `trauma` keeps the more serious of the two.
    pub fn updated_by(&self, later: &Answers) -> Answers {
        // Field by field rather than through JSON: the dashboard folds every check-in of every
        // patient this way, and three JSON conversions per check-in were most of its time.
        let mut merged = self.clone();
        with_answer_fields!(lay_over!(merged, later,));
        for (kept, field) in [
            (self.cancer_history, &mut merged.cancer_history),
            (
                self.osteoporosis_or_steroids,
                &mut merged.osteoporosis_or_steroids,
            ),
        ] {
            if kept == Some(true) {
                *field = Some(true);
            }
        }
        merged.trauma = self.trauma.max(merged.trauma);
        merged
    }

    /// These answers as they stand at `now`, when they were given at `assessed_at`: the days
    /// since onset (`onset_days`) grow by the whole days that have passed, and the age by the
    /// whole years. Nothing else changes. Pass the time of the assessment that gave
    /// `onset_days` (the intake) and the current time; a `now` before `assessed_at` changes
    /// nothing. [`crate::triage::triage_at`] triages the result.
    pub fn as_of(&self, assessed_at: Timestamp, now: Timestamp) -> Answers {
        let days = u32::try_from((now.as_second() - assessed_at.as_second()).max(0) / 86_400)
            .unwrap_or(u32::MAX);
        let mut out = self.clone();
        out.onset_days = self
            .onset_days
            .map(|d| d.saturating_add(days).min(MAX_ONSET_DAYS));
        let years = u8::try_from(days / 365).unwrap_or(u8::MAX);
        out.age = self.age.map(|a| a.saturating_add(years).min(MAX_AGE));
        out
    }
}

/// The longest duration an answers file may give (a hundred years).
pub const MAX_ONSET_DAYS: u32 = 36_500;
/// The oldest age an answers file may give.
pub const MAX_AGE: u8 = 120;
/// Most goals one set of answers may name.
pub const MAX_GOALS: usize = 10;
/// Longest goal or activity name, in characters.
pub const MAX_TEXT_CHARS: usize = 200;
/// Most items in one of the answers' lists (regions, causes, equipment, knots, cautions).
pub const MAX_LIST_ITEMS: usize = 64;

#[cfg(test)]
mod merge_tests {
    use super::*;

    /// The merge as it was written first, through JSON: the reference the field-by-field one
    /// must agree with.
    fn through_json(base: &Answers, later: &Answers) -> Answers {
        let mut out = serde_json::to_value(base).unwrap();
        let newer = serde_json::to_value(later).unwrap();
        for (k, v) in newer.as_object().unwrap() {
            if !v.is_null() {
                out.as_object_mut().unwrap().insert(k.clone(), v.clone());
            }
        }
        let mut merged: Answers = serde_json::from_value(out).unwrap();
        if base.cancer_history == Some(true) {
            merged.cancer_history = Some(true);
        }
        if base.osteoporosis_or_steroids == Some(true) {
            merged.osteoporosis_or_steroids = Some(true);
        }
        merged.trauma = base.trauma.max(merged.trauma);
        merged
    }

    #[test]
    fn the_merged_field_list_is_every_field_of_the_answers() {
        let value = serde_json::to_value(Answers::default()).unwrap();
        let mut fields: Vec<&str> = value
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        fields.sort_unstable();
        let mut listed = MERGED_FIELDS.to_vec();
        listed.sort_unstable();
        assert_eq!(fields, listed);
    }

    #[test]
    fn the_field_by_field_merge_agrees_with_the_json_one() {
        let intake = Answers::from_json(
            r#"{"age": 44, "regions": ["upper_back", "lower_back"], "pain_now": 6, "onset": "sudden",
                "causes": ["prolonged_sitting"], "radiation": "below_knee", "leg_weakness": "stable",
                "trauma": "major", "saddle_numbness": false, "cancer_history": true,
                "equipment": ["mat"], "knots": ["rhomboids"], "peg_pain": 7,
                "psfs": [{"activity": "gardening", "score": 4}],
                "habits": {"screen_at_eye_level": false}}"#,
        )
        .unwrap();
        let checkins = [
            r#"{"pain_now": 3, "saddle_numbness": true, "trauma": "minor", "cancer_history": false}"#,
            r#"{"radiation": "none", "psfs": [{"activity": "gardening", "score": 7}], "peg_pain": 4}"#,
            r#"{"habits": {"chair_supports_lower_back": true}, "equipment": [], "sitting_hours": 6.5}"#,
            r#"{}"#,
        ];
        let mut acc = intake.clone();
        let mut reference = intake;
        for c in checkins {
            let later = Answers::from_json(c).unwrap();
            acc = acc.updated_by(&later);
            reference = through_json(&reference, &later);
            assert_eq!(acc, reference, "after {c}");
        }
        assert_eq!(acc.cancer_history, Some(true), "history is kept");
        assert_eq!(acc.saddle_numbness, Some(true), "a later sign counts");
    }
}

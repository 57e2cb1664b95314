//! Every question unknot asks, in one typed table, and the one reader of the answers.
//!
//! The terminal and the web ask from [`QUESTIONS`], so they ask the same things in the same lay
//! words, in the same order, and the weekly check-in asks again exactly the questions marked
//! [`Question::checkin`] (every warning sign among them). An edge turns what a person typed or
//! ticked into `(field, value)` text pairs named by the table, and [`Answers::from_pairs`] turns
//! those into [`Answers`], naming the field in any error. So a page and a prompt can differ in
//! how they look, never in what they ask or how an answer is read.
//!
//! The warning-sign stage needs an explicit answer: an empty form is not a clean result. A
//! person either answers each warning sign, or says "none of these apply" (the pair
//! [`NONE_OF_THESE`]`=yes`), which answers every warning sign left open with its "no".
//! [`Answers::warning_signs_answered`] tells an edge whether that happened.

use serde_json::{Map, Value};

use super::Answers;
use crate::body::Muscle;
use crate::catalogue::{Caution, Equipment};
use crate::error::InputError;
use crate::score::Score;
use crate::suggest::normalise;

/// Where a question sits in the intake. The intake asks the stages in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// The red flags: asked first, and again at every check-in.
    WarningSigns,
    /// The pain itself: where, how long, how it behaves.
    AboutYou,
    /// What the plan needs: time, equipment, knots, situations to work around.
    Plan,
    /// The outcome measures (PEG, PSFS), asked at intake and every check-in.
    Outcomes,
    /// Desk, phone, car, lifting, bed and activity.
    Habits,
}

impl Stage {
    /// Every stage, in the order the intake asks them.
    pub const ALL: &'static [Stage] = &[
        Stage::WarningSigns,
        Stage::AboutYou,
        Stage::Plan,
        Stage::Outcomes,
        Stage::Habits,
    ];

    /// A stable id (`warning_signs`, `about_you`, …) for forms and URLs.
    pub fn id(self) -> &'static str {
        match self {
            Stage::WarningSigns => "warning_signs",
            Stage::AboutYou => "about_you",
            Stage::Plan => "plan",
            Stage::Outcomes => "outcomes",
            Stage::Habits => "habits",
        }
    }

    /// A heading for people.
    pub fn title(self) -> &'static str {
        match self {
            Stage::WarningSigns => "Safety questions",
            Stage::AboutYou => "About your pain",
            Stage::Plan => "For your plan",
            Stage::Outcomes => "How the pain affects you",
            Stage::Habits => "Your day",
        }
    }

    /// One line to show before the stage's questions.
    pub fn intro(self) -> &'static str {
        match self {
            Stage::WarningSigns => {
                "These decide whether self-care is safe. Answer each one, or say that none of them apply."
            }
            Stage::AboutYou => "Where it hurts, since when, and how it behaves.",
            Stage::Plan => {
                "Your time, your equipment, and anything the exercises must work around."
            }
            Stage::Outcomes => {
                "Thinking about the past week. These numbers show, over the weeks, whether things are improving."
            }
            Stage::Habits => "Desk, phone, car, lifting, bed and activity.",
        }
    }
}

/// A fixed list of choices a question offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Options {
    /// Where it hurts.
    Regions,
    /// Gradual or sudden.
    Onset,
    /// What set it off.
    Causes,
    /// Where the pain spreads.
    Radiation,
    /// Leg weakness and whether it is getting worse.
    LegWeakness,
    /// An injury, and how bad.
    Trauma,
    /// Equipment at hand.
    Equipment,
    /// Muscles with knots.
    Muscles,
    /// Situations a person declares for the planner to work around.
    Cautions,
}

/// One choice: the value the answers file stores, and the words shown for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    /// The stored value (the public id in `docs/intake.md`).
    pub value: &'static str,
    /// What a person reads.
    pub label: &'static str,
}

const fn c(value: &'static str, label: &'static str) -> Choice {
    Choice { value, label }
}

const REGIONS: &[Choice] = &[
    c("neck", "neck"),
    c("upper_back", "upper back, between the shoulder blades"),
    c("mid_back", "middle back"),
    c("lower_back", "lower back"),
    c("shoulders", "shoulders"),
    c("buttocks", "buttocks and hips"),
];

const ONSET: &[Choice] = &[
    c("gradual", "gradually, over days or weeks"),
    c(
        "sudden",
        "suddenly (for example after a cough, a sneeze, a lift or a twist)",
    ),
];

const CAUSES: &[Choice] = &[
    c("posture", "posture"),
    c("prolonged_sitting", "long sitting or driving"),
    c("lifting", "lifting or carrying something"),
    c("weightlifting", "weight training"),
    c("running", "running"),
    c("hiit", "high-intensity interval training"),
    c("stress", "stress"),
    c("injury", "an injury"),
    c("overuse", "doing a lot of one thing"),
    c("unknown", "not sure"),
];

const RADIATION: &[Choice] = &[
    c("none", "no, it stays where it is"),
    c("buttock", "into a buttock"),
    c("thigh", "into a thigh"),
    c("below_knee", "down a leg, below the knee"),
    c("arm", "down an arm"),
    c("chest", "round into the chest"),
];

const LEG_WEAKNESS: &[Choice] = &[
    c("none", "no"),
    c("stable", "yes, but it is not getting worse"),
    c("worsening", "yes, and it is getting worse"),
];

const TRAUMA: &[Choice] = &[
    c("none", "no"),
    c("minor", "a minor one: a slip, a bump, a fall from standing"),
    c(
        "major",
        "a major one: a road accident, or a fall from a height or down stairs",
    ),
];

/// The situations a person can declare (the rest of the caution tags are worked out from the
/// answers).
pub const DECLARED_CAUTIONS: &[Caution] = &[
    Caution::Pregnancy,
    Caution::KneePain,
    Caution::WristPain,
    Caution::ShoulderProblem,
    Caution::BalanceProblems,
    Caution::RecentSurgery,
    Caution::SpinalStenosis,
];

impl Options {
    /// The choices, in the order to show them.
    pub fn choices(self) -> Vec<Choice> {
        match self {
            Options::Regions => REGIONS.to_vec(),
            Options::Onset => ONSET.to_vec(),
            Options::Causes => CAUSES.to_vec(),
            Options::Radiation => RADIATION.to_vec(),
            Options::LegWeakness => LEG_WEAKNESS.to_vec(),
            Options::Trauma => TRAUMA.to_vec(),
            Options::Equipment => Equipment::ALL
                .iter()
                .filter(|e| **e != Equipment::None)
                .map(|e| c(e.id(), e.label()))
                .collect(),
            Options::Muscles => Muscle::ALL.iter().map(|m| c(m.id(), m.label())).collect(),
            Options::Cautions => DECLARED_CAUTIONS
                .iter()
                .map(|k| c(k.id(), k.label()))
                .collect(),
        }
    }
}

/// What sort of answer a question takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Yes or no.
    YesNo,
    /// One of a list.
    One(Options),
    /// Any number of a list.
    Many(Options),
    /// A whole number in a range.
    Whole {
        /// Smallest allowed.
        min: u32,
        /// Largest allowed.
        max: u32,
    },
    /// Hours in a day, 0 to 24, decimals allowed.
    Hours,
    /// A 0-10 rating.
    Rating,
    /// Up to five activities, each with a 0-10 rating (`ACTIVITY=SCORE`).
    Activities,
    /// Free-text lines, one per pair.
    Texts,
}

/// One question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Question {
    /// The answers field it fills (`habits.` prefixes the habits check's fields).
    pub field: &'static str,
    /// The question, in lay words.
    pub ask: &'static str,
    /// A hint shown beside it (may be empty).
    pub help: &'static str,
    /// What sort of answer.
    pub kind: Kind,
    /// Where it sits in the intake.
    pub stage: Stage,
    /// Whether the weekly check-in asks it again.
    pub checkin: bool,
}

impl Question {
    /// The choices, for questions that offer some.
    pub fn choices(&self) -> Vec<Choice> {
        match self.kind {
            Kind::One(o) | Kind::Many(o) => o.choices(),
            _ => Vec::new(),
        }
    }

    /// The answer that means "no, not this", for questions that have one (yes/no questions and
    /// choices whose first value is `none`). "None of these apply" gives this answer.
    pub fn no_answer(&self) -> Option<&'static str> {
        match self.kind {
            Kind::YesNo => Some("no"),
            Kind::One(o) => o
                .choices()
                .first()
                .filter(|c| c.value == "none")
                .map(|c| c.value),
            _ => None,
        }
    }
}

/// The pair that answers every warning sign left open with its "no": `warning_signs_none=yes`.
pub const NONE_OF_THESE: &str = "warning_signs_none";

/// The words for the "none of these apply" answer.
pub const NONE_OF_THESE_LABEL: &str = "None of these apply to me";

const fn warn(field: &'static str, ask: &'static str, help: &'static str) -> Question {
    Question {
        field,
        ask,
        help,
        kind: Kind::YesNo,
        stage: Stage::WarningSigns,
        checkin: true,
    }
}

const fn q(
    field: &'static str,
    ask: &'static str,
    help: &'static str,
    kind: Kind,
    stage: Stage,
    checkin: bool,
) -> Question {
    Question {
        field,
        ask,
        help,
        kind,
        stage,
        checkin,
    }
}

const fn habit(field: &'static str, ask: &'static str, help: &'static str, kind: Kind) -> Question {
    q(field, ask, help, kind, Stage::Habits, false)
}

const YES_NO: Kind = Kind::YesNo;
const RATING: Kind = Kind::Rating;

/// Every question, in the order the intake asks them.
pub const QUESTIONS: &[Question] = &[
    // Warning signs: the most urgent first.
    warn(
        "saddle_numbness",
        "Is there numbness, tingling or an odd feeling between your legs or around your bottom?",
        "The skin you would sit on in a saddle; for example, toilet paper feels different when you wipe.",
    ),
    warn(
        "bladder_bowel_change",
        "Any new trouble with your bladder or bowels: you cannot pee, you cannot tell when you need to go, or you leak?",
        "New since the back pain began.",
    ),
    warn(
        "sexual_function_change",
        "Any new numbness of your genitals, or new trouble getting or keeping an erection?",
        "New since the back pain began.",
    ),
    warn(
        "both_legs",
        "Do you have new pain, numbness, tingling or weakness in both legs?",
        "",
    ),
    q(
        "leg_weakness",
        "Is a leg or foot weak (a foot that drags or slaps, a knee that gives way)?",
        "",
        Kind::One(Options::LegWeakness),
        Stage::WarningSigns,
        true,
    ),
    warn(
        "numbness_tingling",
        "Do you have numbness, or pins and needles, in an arm, a leg or anywhere else?",
        "",
    ),
    warn(
        "hand_clumsiness_or_unsteady_walking",
        "Have your hands become clumsy (buttons, writing, dropping things), or your walking unsteady?",
        "",
    ),
    warn(
        "dizziness_double_vision_or_speech",
        "With sudden neck pain, have you had dizziness, double vision, slurred speech or trouble swallowing?",
        "",
    ),
    warn(
        "chest_pain_or_breathless",
        "Do you have chest pain, or are you short of breath?",
        "",
    ),
    warn(
        "pain_with_sweating_or_sickness",
        "Does pain in your back, neck, jaw or arm come with sweating, feeling sick, light-headedness or breathlessness?",
        "A heart attack does not always hurt in the chest.",
    ),
    warn(
        "sudden_tearing_pain_or_faint",
        "Did a severe, tearing pain in your back or belly come on suddenly, or have you felt faint or collapsed?",
        "",
    ),
    q(
        "trauma",
        "Has a fall, knock or accident hurt your back?",
        "",
        Kind::One(Options::Trauma),
        Stage::WarningSigns,
        true,
    ),
    warn(
        "fever",
        "Do you have a high temperature, or feel hot and shivery?",
        "",
    ),
    warn(
        "feeling_very_unwell",
        "Do you feel very unwell, more than the back pain alone would explain?",
        "",
    ),
    warn(
        "unexplained_weight_loss",
        "Have you lost weight recently without trying?",
        "",
    ),
    warn(
        "night_pain",
        "Is the pain there all night, so that resting or changing position does not ease it?",
        "",
    ),
    warn(
        "lump_or_swelling",
        "Have you noticed a new lump or swelling on your back, or a change in its shape?",
        "",
    ),
    warn(
        "cancer_history",
        "Have you ever had cancer?",
        "Any cancer, now or in the past, even if it was treated long ago.",
    ),
    warn(
        "immunosuppressed_or_iv_drug_use",
        "Is your immune system weakened, or do you inject drugs?",
        "For example chemotherapy, steroid tablets, methotrexate, biologic medicines, an organ transplant or HIV.",
    ),
    warn(
        "recent_spinal_procedure",
        "Have you had an operation or an injection in your spine in the last three months?",
        "",
    ),
    warn(
        "osteoporosis_or_steroids",
        "Do you have osteoporosis (thin bones), or have you taken steroid tablets for three months or more?",
        "",
    ),
    warn(
        "pregnant_with_warning_signs",
        "Are you pregnant, and with the back pain have bleeding, leaking fluid, regular tightening or cramping of the bump, or a fever?",
        "Answer no if you are not pregnant.",
    ),
    // About the pain.
    q(
        "age",
        "How old are you?",
        "unknot is for adults: 16 to 120.",
        Kind::Whole { min: 16, max: 120 },
        Stage::AboutYou,
        false,
    ),
    q(
        "regions",
        "Where is the pain?",
        "Tick every place that hurts.",
        Kind::Many(Options::Regions),
        Stage::AboutYou,
        false,
    ),
    q(
        "pain_now",
        "How bad is the pain right now?",
        "0 = no pain, 10 = the worst you can imagine.",
        RATING,
        Stage::AboutYou,
        true,
    ),
    q(
        "pain_worst",
        "How bad was it at its worst in the past week?",
        "0 = no pain, 10 = the worst you can imagine.",
        RATING,
        Stage::AboutYou,
        false,
    ),
    q(
        "onset_days",
        "How many days ago did this bout of pain start?",
        "A rough guess is fine: 14 for two weeks, 90 for three months, 365 for a year.",
        Kind::Whole {
            min: 0,
            max: 36_500,
        },
        Stage::AboutYou,
        false,
    ),
    q(
        "onset",
        "How did it start?",
        "",
        Kind::One(Options::Onset),
        Stage::AboutYou,
        false,
    ),
    q(
        "causes",
        "What do you think set it off?",
        "Tick any that fit.",
        Kind::Many(Options::Causes),
        Stage::AboutYou,
        false,
    ),
    q(
        "radiation",
        "Does the pain spread anywhere?",
        "",
        Kind::One(Options::Radiation),
        Stage::AboutYou,
        true,
    ),
    q(
        "worsening_despite_self_care",
        "Is it getting worse even though you are looking after it?",
        "",
        YES_NO,
        Stage::AboutYou,
        true,
    ),
    q(
        "limits_daily_activities",
        "Does the pain stop you doing everyday things?",
        "",
        YES_NO,
        Stage::AboutYou,
        true,
    ),
    q(
        "morning_stiffness_over_30_min",
        "Is your back stiff for more than half an hour after you get up in the morning?",
        "",
        YES_NO,
        Stage::AboutYou,
        false,
    ),
    q(
        "better_with_movement_not_rest",
        "Does the pain ease when you move about, but not when you rest?",
        "",
        YES_NO,
        Stage::AboutYou,
        false,
    ),
    q(
        "wakes_second_half_of_night",
        "Does the pain wake you in the second half of the night?",
        "",
        YES_NO,
        Stage::AboutYou,
        false,
    ),
    // For the plan.
    q(
        "minutes_per_day",
        "How many minutes a day can you give to exercises?",
        "5 to 60; 15 if you are not sure.",
        Kind::Whole { min: 5, max: 60 },
        Stage::Plan,
        false,
    ),
    q(
        "equipment",
        "What do you have at hand?",
        "Tick what you have; tick nothing if you have none of these.",
        Kind::Many(Options::Equipment),
        Stage::Plan,
        false,
    ),
    q(
        "sitting_hours",
        "How many hours a day do you spend sitting?",
        "For example 8.",
        Kind::Hours,
        Stage::Plan,
        false,
    ),
    q(
        "knots",
        "Where do you feel knots?",
        "Tender, tight spots in a muscle.",
        Kind::Many(Options::Muscles),
        Stage::Plan,
        false,
    ),
    q(
        "other_cautions",
        "Do any of these apply to you?",
        "The plan leaves out exercises that do not suit them.",
        Kind::Many(Options::Cautions),
        Stage::Plan,
        false,
    ),
    q(
        "on_blood_thinners_or_bleeding_disorder",
        "Do you take medicine to thin your blood, or have a bleeding disorder?",
        "For example warfarin, apixaban, rivaroxaban, or haemophilia. The plan then leaves out pressing on muscles with a ball or roller.",
        YES_NO,
        Stage::Plan,
        true,
    ),
    q(
        "goals",
        "What would you like to get back to doing?",
        "One thing per line, in your own words.",
        Kind::Texts,
        Stage::Plan,
        false,
    ),
    // Outcome measures.
    q(
        "peg_pain",
        "Over the past week, what was your pain on average?",
        "0 = no pain, 10 = as bad as you can imagine.",
        RATING,
        Stage::Outcomes,
        true,
    ),
    q(
        "peg_enjoyment",
        "Over the past week, how much did pain get in the way of enjoying life?",
        "0 = not at all, 10 = completely.",
        RATING,
        Stage::Outcomes,
        true,
    ),
    q(
        "peg_activity",
        "Over the past week, how much did pain get in the way of your usual activities?",
        "0 = not at all, 10 = completely.",
        RATING,
        Stage::Outcomes,
        true,
    ),
    q(
        "psfs",
        "Which activities that matter to you does your back make hard, and how well can you do each now?",
        "Up to five; 0 = not at all, 10 = as well as before the problem.",
        Kind::Activities,
        Stage::Outcomes,
        true,
    ),
    // Habits.
    habit(
        "habits.screen_at_eye_level",
        "Is the top of your screen at about eye level?",
        "",
        YES_NO,
    ),
    habit(
        "habits.chair_supports_lower_back",
        "Does your chair support your lower back?",
        "",
        YES_NO,
    ),
    habit(
        "habits.feet_flat",
        "Do your feet rest flat on the floor or a footrest?",
        "",
        YES_NO,
    ),
    habit(
        "habits.breaks_hourly",
        "Do you get up and move at least once an hour at work?",
        "",
        YES_NO,
    ),
    habit(
        "habits.phone_hours",
        "How many hours a day do you spend looking down at a phone or tablet?",
        "For example 2.",
        Kind::Hours,
    ),
    habit(
        "habits.driving_hours",
        "How many hours a day do you drive?",
        "For example 1.",
        Kind::Hours,
    ),
    habit(
        "habits.lifts_heavy_things",
        "Do you lift or carry heavy things at work or at home?",
        "",
        YES_NO,
    ),
    habit(
        "habits.lifts_with_good_technique",
        "When you lift, do you keep the load close and avoid twisting?",
        "",
        YES_NO,
    ),
    habit(
        "habits.mattress_comfortable",
        "Is your mattress comfortable and not sagging?",
        "",
        YES_NO,
    ),
    habit(
        "habits.pillow_keeps_neck_level",
        "Does your pillow keep your neck level with your spine?",
        "",
        YES_NO,
    ),
    habit(
        "habits.active_days_per_week",
        "On how many days a week are you active for 30 minutes or more?",
        "0 to 7.",
        Kind::Whole { min: 0, max: 7 },
    ),
    habit(
        "habits.weight_concern",
        "Would you like help with your weight?",
        "",
        YES_NO,
    ),
];

/// True when the warning-sign answers alone already call for help first (no plan is given), so
/// the intake stops after that stage and shows the advice without asking the rest: every edge
/// asks in this order and stops at the same point.
pub fn stops_after_warning_signs(answers: &Answers) -> bool {
    !crate::triage::triage(answers).plan_allowed
}

/// The question that fills `field`.
pub fn question(field: &str) -> Option<&'static Question> {
    QUESTIONS.iter().find(|q| q.field == field)
}

/// The questions of one stage, in order.
pub fn stage(stage: Stage) -> impl Iterator<Item = &'static Question> {
    QUESTIONS.iter().filter(move |q| q.stage == stage)
}

/// The questions the weekly check-in asks, in order.
pub fn checkin() -> impl Iterator<Item = &'static Question> {
    QUESTIONS.iter().filter(|q| q.checkin)
}

/// The value stored at a dotted field path (`habits.feet_flat`) of a JSON object.
fn value_at<'v>(root: &'v Value, field: &str) -> Option<&'v Value> {
    field
        .split('.')
        .try_fold(root, |v, key| v.get(key))
        .filter(|v| !v.is_null())
}

impl Answers {
    /// The warning-sign questions these answers leave open, in table order.
    pub fn unanswered_warning_signs(&self) -> Vec<&'static str> {
        let json = serde_json::to_value(self).unwrap_or(Value::Null);
        stage(Stage::WarningSigns)
            .filter(|q| value_at(&json, q.field).is_none())
            .map(|q| q.field)
            .collect()
    }

    /// True when every warning sign has an answer (a "no" counts; "none of these apply" gives
    /// each its "no"). An empty or half-filled safety stage is not a clean result: an edge should
    /// ask again, or say that the check is incomplete, rather than show "self-care".
    pub fn warning_signs_answered(&self) -> bool {
        self.unanswered_warning_signs().is_empty()
    }

    /// Reads answers from `(field, value)` text pairs named by [`QUESTIONS`], as a web form posts
    /// them or a terminal collects them. Multi-choice questions take one pair per choice (or a
    /// comma-separated list); activities are `ACTIVITY=SCORE`; an empty value leaves a
    /// question unanswered; [`NONE_OF_THESE`]`=yes` answers every open warning sign with its
    /// "no". A yes/no question given both answers keeps the "yes", so a warning sign is never
    /// lost. Every error names the field.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Answers, InputError> {
        let mut root = Map::new();
        let mut none_of_these = false;
        for (field, value) in pairs {
            let field = field.trim();
            if field == NONE_OF_THESE {
                none_of_these = read_yes_no(field, value)?.unwrap_or(false);
                continue;
            }
            let q = question(field).ok_or_else(|| InputError::UnknownId {
                kind: "question",
                value: field.to_string(),
                suggestions: crate::suggest::nearest(field, QUESTIONS.iter().map(|q| q.field)),
                choices: Vec::new(),
            })?;
            put(&mut root, q, value)?;
        }
        if none_of_these {
            for q in stage(Stage::WarningSigns) {
                if let Some(no) = q.no_answer()
                    && value_at(&Value::Object(root.clone()), q.field).is_none()
                {
                    put(&mut root, q, no)?;
                }
            }
        }
        let answers: Answers = serde_json::from_value(Value::Object(root))
            .map_err(|e| InputError::malformed("answers", "", e.to_string()))?;
        answers.check()?;
        Ok(answers)
    }
}

fn read_yes_no(field: &str, value: &str) -> Result<Option<bool>, InputError> {
    match value.trim().to_lowercase().as_str() {
        "" => Ok(None),
        "yes" | "y" | "true" | "on" | "1" => Ok(Some(true)),
        "no" | "n" | "false" | "off" | "0" => Ok(Some(false)),
        _ => Err(InputError::malformed(field, value, "answer yes or no")),
    }
}

fn pick(q: &Question, value: &str) -> Result<&'static str, InputError> {
    let wanted = normalise(value);
    q.choices()
        .iter()
        .find(|c| normalise(c.value) == wanted)
        .map(|c| c.value)
        .ok_or_else(|| {
            let all: Vec<&str> = q.choices().iter().map(|c| c.value).collect();
            InputError::malformed(
                q.field,
                value,
                format!("expected one of: {}", all.join(", ")),
            )
        })
}

/// The slot a field's value goes into, creating the `habits` object on the way.
fn slot<'m>(root: &'m mut Map<String, Value>, field: &str) -> &'m mut Value {
    match field.split_once('.') {
        Some((outer, inner)) => {
            let nested = root
                .entry(outer.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if !nested.is_object() {
                *nested = Value::Object(Map::new());
            }
            match nested {
                Value::Object(m) => m.entry(inner.to_string()).or_insert(Value::Null),
                other => other,
            }
        }
        None => root.entry(field.to_string()).or_insert(Value::Null),
    }
}

/// Reads one value for `q` and stores it.
fn put(root: &mut Map<String, Value>, q: &Question, value: &str) -> Result<(), InputError> {
    let text = value.trim();
    match q.kind {
        Kind::YesNo => put_yes_no(root, q, text),
        Kind::One(_) => put_one(root, q, text, |t| pick(q, t).map(Value::from)),
        Kind::Many(_) => put_many(root, q, text),
        Kind::Whole { min, max } => put_one(root, q, text, |t| {
            t.parse::<u32>()
                .ok()
                .filter(|n| (min..=max).contains(n))
                .map(Value::from)
                .ok_or_else(|| {
                    let why = format!("expected a whole number from {min} to {max}");
                    InputError::malformed(q.field, t, why)
                })
        }),
        Kind::Hours => put_one(root, q, text, |t| {
            t.parse::<f64>()
                .ok()
                .filter(|h| (0.0..=24.0).contains(h))
                .map(Value::from)
                .ok_or_else(|| InputError::malformed(q.field, t, "expected hours from 0 to 24"))
        }),
        Kind::Rating => put_one(root, q, text, |t| {
            Score::parse(t, q.field).map(|s| Value::from(s.get()))
        }),
        Kind::Activities => put_activity(slot(root, q.field), q.field, text),
        Kind::Texts => {
            if !text.is_empty() {
                push(slot(root, q.field), Value::from(text));
            }
            Ok(())
        }
    }
}

/// A yes or a no; a "yes" already given is never overwritten, so a warning sign is not lost.
fn put_yes_no(root: &mut Map<String, Value>, q: &Question, text: &str) -> Result<(), InputError> {
    if let Some(yes) = read_yes_no(q.field, text)? {
        let s = slot(root, q.field);
        if *s != Value::Bool(true) {
            *s = Value::Bool(yes);
        }
    }
    Ok(())
}

/// A single value (empty text leaves the question unanswered); a second, different value for
/// the same question is refused.
fn put_one(
    root: &mut Map<String, Value>,
    q: &Question,
    text: &str,
    read: impl FnOnce(&str) -> Result<Value, InputError>,
) -> Result<(), InputError> {
    if text.is_empty() {
        return Ok(());
    }
    let new = read(text)?;
    let s = slot(root, q.field);
    if !s.is_null() && *s != new {
        return Err(InputError::malformed(
            q.field,
            text,
            "answered twice with different values",
        ));
    }
    *s = new;
    Ok(())
}

/// Choices for a list, one per pair or comma-separated; an empty value is an empty list.
fn put_many(root: &mut Map<String, Value>, q: &Question, text: &str) -> Result<(), InputError> {
    let values = text
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| pick(q, p).map(Value::from))
        .collect::<Result<Vec<_>, _>>()?;
    let list = slot(root, q.field);
    if !list.is_array() {
        *list = Value::Array(Vec::new());
    }
    if let Value::Array(items) = list {
        for v in values {
            if !items.contains(&v) {
                items.push(v);
            }
        }
    }
    Ok(())
}

fn push(list: &mut Value, item: Value) {
    if !list.is_array() {
        *list = Value::Array(Vec::new());
    }
    if let Value::Array(items) = list {
        items.push(item);
    }
}

/// One PSFS activity, `ACTIVITY=SCORE`.
fn put_activity(list: &mut Value, field: &str, text: &str) -> Result<(), InputError> {
    if text.is_empty() {
        return Ok(());
    }
    let (activity, score) = text.rsplit_once('=').ok_or_else(|| {
        InputError::malformed(field, text, "expected ACTIVITY=SCORE, e.g. gardening=4")
    })?;
    let activity = activity.trim();
    if activity.is_empty() {
        return Err(InputError::malformed(field, text, "name the activity"));
    }
    let score = Score::parse(score, field)?;
    push(
        list,
        serde_json::json!({"activity": activity, "score": score.get()}),
    );
    Ok(())
}

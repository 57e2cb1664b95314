//! The safety check and the check-in as web forms, drawn from core's one question table
//! (`intake::questions::QUESTIONS`), so the page asks exactly what the terminal asks, in the
//! same words and order. Posted fields are named by the table; they are read back with
//! `Answers::from_pairs`, the same reader the terminal uses.

use unknot_core::intake::questions::{
    self, Kind, NONE_OF_THESE, NONE_OF_THESE_LABEL, Question, Stage,
};

use crate::entry_form::Pairs;

/// The values of a 0-10 rating, as the form posts them.
const RATINGS: [&str; 11] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"];

/// How many activities the PSFS rows offer.
pub const ACTIVITY_ROWS: usize = 5;

/// One choice in a list.
#[derive(Debug, Clone)]
pub struct ChoiceView {
    /// The stored value.
    pub value: &'static str,
    /// The words shown.
    pub label: &'static str,
    /// Already chosen (when a form is shown again).
    pub chosen: bool,
}

/// One activity row of the PSFS question.
#[derive(Debug, Clone, Default)]
pub struct ActivityView {
    /// The activity as typed.
    pub activity: String,
    /// Its rating as typed.
    pub score: String,
}

/// One question, ready for the template.
#[derive(Debug, Clone)]
pub struct QuestionView {
    /// The field name the form posts (the table's field).
    pub field: &'static str,
    /// An id safe for HTML `id` attributes.
    pub id: String,
    /// The question.
    pub ask: &'static str,
    /// A hint (may be empty).
    pub help: &'static str,
    /// `yes_no`, `one`, `many`, `number`, `rating`, `activities` or `texts`.
    pub kind: &'static str,
    /// The choices, for `one`, `many` and `rating`.
    pub choices: Vec<ChoiceView>,
    /// For numbers: the range and the step.
    pub min: String,
    /// See `min`.
    pub max: String,
    /// See `min`.
    pub step: &'static str,
    /// The value typed before (numbers, texts), or `yes` for a ticked yes/no.
    pub value: String,
    /// The PSFS rows.
    pub activities: Vec<ActivityView>,
}

/// All values posted for `field`.
fn posted<'a>(pairs: &'a Pairs, field: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    pairs
        .iter()
        .filter(move |(k, _)| k == field)
        .map(|(_, v)| v.as_str())
}

impl QuestionView {
    /// The question, filled with what `pairs` hold for it.
    pub fn new(q: &'static Question, pairs: &Pairs) -> QuestionView {
        let given: Vec<&str> = posted(pairs, q.field).collect();
        let (kind, min, max, step) = match q.kind {
            Kind::YesNo => ("yes_no", String::new(), String::new(), ""),
            Kind::One(_) => ("one", String::new(), String::new(), ""),
            Kind::Many(_) => ("many", String::new(), String::new(), ""),
            Kind::Whole { min, max } => ("number", min.to_string(), max.to_string(), "1"),
            Kind::Hours => ("number", "0".into(), "24".into(), "0.5"),
            Kind::Rating => ("rating", "0".into(), "10".into(), "1"),
            Kind::Activities => ("activities", String::new(), String::new(), ""),
            Kind::Texts => ("texts", String::new(), String::new(), ""),
        };
        let choices = if matches!(q.kind, Kind::Rating) {
            // A 0-10 rating is a row of eleven choices, none picked until one is tapped.
            RATINGS
                .iter()
                .map(|v| ChoiceView {
                    value: v,
                    label: v,
                    chosen: given.first().map(|g| g.trim()) == Some(*v),
                })
                .collect()
        } else {
            q.choices()
                .into_iter()
                .map(|c| ChoiceView {
                    value: c.value,
                    label: c.label,
                    chosen: given.contains(&c.value),
                })
                .collect()
        };
        QuestionView {
            field: q.field,
            id: format!("q-{}", q.field.replace('.', "-")),
            ask: q.ask,
            help: q.help,
            kind,
            choices,
            min,
            max,
            step,
            value: match q.kind {
                Kind::Texts => given.join("\n"),
                _ => given.first().copied().unwrap_or_default().to_string(),
            },
            activities: activity_rows(pairs),
        }
    }
}

fn activity_rows(pairs: &Pairs) -> Vec<ActivityView> {
    (0..ACTIVITY_ROWS)
        .map(|i| ActivityView {
            activity: posted(pairs, &format!("psfs_activity_{i}"))
                .next()
                .unwrap_or_default()
                .to_string(),
            score: posted(pairs, &format!("psfs_score_{i}"))
                .next()
                .unwrap_or_default()
                .to_string(),
        })
        .collect()
}

/// One stage of the intake as a page.
#[derive(Debug, Clone)]
pub struct StageView {
    /// The stage's id.
    pub id: &'static str,
    /// Its heading.
    pub title: &'static str,
    /// Its opening line.
    pub intro: &'static str,
    /// Its questions.
    pub questions: Vec<QuestionView>,
    /// True for the warning signs, which need "none of these apply" when nothing is ticked.
    pub warning_signs: bool,
    /// The words of that confirmation.
    pub none_label: &'static str,
    /// Its field name.
    pub none_field: &'static str,
    /// Already confirmed.
    pub none_checked: bool,
}

impl StageView {
    /// The questions of `stage` (or only those the check-in asks again), filled from `pairs`.
    pub fn new(stage: Stage, pairs: &Pairs, checkin_only: bool) -> StageView {
        StageView {
            id: stage.id(),
            title: stage.title(),
            intro: stage.intro(),
            questions: questions::stage(stage)
                .filter(|q| !checkin_only || q.checkin)
                .map(|q| QuestionView::new(q, pairs))
                .collect(),
            warning_signs: stage == Stage::WarningSigns,
            none_label: NONE_OF_THESE_LABEL,
            none_field: NONE_OF_THESE,
            none_checked: posted(pairs, NONE_OF_THESE).any(|v| v == "yes"),
        }
    }
}

/// The posted pairs that are answers (the table's fields, the PSFS rows and "none of these
/// apply"), without the form's own fields (token, step, buttons).
pub fn answer_pairs(pairs: &Pairs) -> Pairs {
    pairs
        .iter()
        .filter(|(k, _)| {
            k == NONE_OF_THESE || k.starts_with("psfs_") || questions::question(k).is_some()
        })
        .cloned()
        .collect()
}

/// The pairs `Answers::from_pairs` reads: a texts question's lines split one per pair, and
/// the PSFS rows joined as `ACTIVITY=SCORE` (an empty row is left out; a half-filled one is
/// passed on as it is, so the reader refuses it by name rather than anything being guessed).
pub fn core_pairs(pairs: &Pairs) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (k, v) in pairs {
        if k.starts_with("psfs_") {
            continue;
        }
        match questions::question(k).map(|q| q.kind) {
            Some(Kind::Texts) => out.extend(
                v.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(|l| (k.clone(), l.to_string())),
            ),
            _ => out.push((k.clone(), v.clone())),
        }
    }
    for row in activity_rows(pairs) {
        let (activity, score) = (row.activity.trim(), row.score.trim());
        if !activity.is_empty() || !score.is_empty() {
            out.push(("psfs".into(), format!("{activity}={score}")));
        }
    }
    out
}

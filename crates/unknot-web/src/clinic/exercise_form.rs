//! The clinic exercise form: what the clinician typed, kept as typed so a refused form is drawn
//! again with every value in place, and its reading into core's [`Exercise`] (the library's
//! validation then checks it as it checks built-in content).

use std::str::FromStr;

use unknot_core::InputError;
use unknot_core::body::{Muscle, Region};
use unknot_core::catalogue::{Caution, Difficulty, Dosage, Equipment, Exercise, ExerciseKind};
use unknot_core::figure::Figure;

/// Where the exercise's figure comes from.
pub(crate) const FIGURE_NONE: &str = "none";
/// The figure is the poses written in the form.
pub(crate) const FIGURE_POSES: &str = "poses";
/// Prefix of a choice that copies a library exercise's figure.
pub(crate) const FIGURE_LIKE: &str = "like:";

/// The form as typed.
#[derive(Debug, Clone, Default)]
pub(crate) struct ExerciseForm {
    pub(crate) csrf: Option<String>,
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) kind: String,
    pub(crate) difficulty: String,
    pub(crate) summary: String,
    pub(crate) regions: Vec<String>,
    pub(crate) muscles: Vec<String>,
    pub(crate) equipment: Vec<String>,
    pub(crate) reps_low: String,
    pub(crate) reps_high: String,
    pub(crate) hold_low: String,
    pub(crate) hold_high: String,
    pub(crate) sets: String,
    pub(crate) per_side: bool,
    pub(crate) rest: String,
    pub(crate) steps: String,
    pub(crate) cues: String,
    pub(crate) mistakes: String,
    pub(crate) avoid_if: String,
    pub(crate) stop_if: String,
    pub(crate) cautions: Vec<String>,
    pub(crate) sources: Vec<String>,
    pub(crate) figure: String,
    pub(crate) poses: String,
}

impl ExerciseForm {
    /// A new exercise's form: two sets, no drawing.
    pub(crate) fn blank() -> ExerciseForm {
        ExerciseForm {
            kind: ExerciseKind::Stretch.id().into(),
            difficulty: Difficulty::Gentle.id().into(),
            sets: "2".into(),
            rest: "30".into(),
            equipment: vec![Equipment::None.id().into()],
            figure: FIGURE_NONE.into(),
            ..ExerciseForm::default()
        }
    }

    /// The form filled from a saved exercise (its figure, if any, as poses to edit).
    pub(crate) fn from_exercise(e: &Exercise) -> ExerciseForm {
        let range = |r: Option<[u16; 2]>, i: usize| r.map(|r| r[i].to_string()).unwrap_or_default();
        let ids = |v: Vec<&str>| v.into_iter().map(String::from).collect();
        let poses = e
            .figure
            .as_ref()
            .and_then(Figure::to_toml)
            .unwrap_or_default();
        ExerciseForm {
            csrf: None,
            id: e.id.clone(),
            name: e.name.clone(),
            kind: e.kind.id().into(),
            difficulty: e.difficulty.id().into(),
            summary: e.summary.clone(),
            regions: ids(e.regions.iter().map(|r| r.id()).collect()),
            muscles: ids(e.muscles.iter().map(|m| m.id()).collect()),
            equipment: ids(e.equipment.iter().map(|q| q.id()).collect()),
            reps_low: range(e.dosage.reps, 0),
            reps_high: range(e.dosage.reps, 1),
            hold_low: range(e.dosage.hold_seconds, 0),
            hold_high: range(e.dosage.hold_seconds, 1),
            sets: e.dosage.sets.to_string(),
            per_side: e.dosage.per_side,
            rest: e.dosage.rest_seconds.to_string(),
            steps: e.steps.join("\n"),
            cues: e.cues.join("\n"),
            mistakes: e.mistakes.join("\n"),
            avoid_if: e.avoid_if.join("\n"),
            stop_if: e.stop_if.join("\n"),
            cautions: ids(e.cautions.iter().map(|c| c.id()).collect()),
            sources: e.sources.clone(),
            figure: if e.figure.is_some() {
                FIGURE_POSES
            } else {
                FIGURE_NONE
            }
            .into(),
            poses,
        }
    }

    /// Whether a check box list holds `id` (for the template).
    pub(crate) fn has(&self, list: &[String], id: &str) -> bool {
        list.iter().any(|x| x == id)
    }
}

/// Reads the posted form; the form as typed comes back beside the result.
pub(crate) fn parse_form(body: &[u8]) -> ExerciseForm {
    let mut f = ExerciseForm::default();
    for (k, v) in url::form_urlencoded::parse(body) {
        let v = v.into_owned();
        match k.as_ref() {
            "csrf" => f.csrf = Some(v),
            "id" => f.id = v,
            "name" => f.name = v,
            "kind" => f.kind = v,
            "difficulty" => f.difficulty = v,
            "summary" => f.summary = v,
            "region" => f.regions.push(v),
            "muscle" => f.muscles.push(v),
            "equipment" => f.equipment.push(v),
            "reps_low" => f.reps_low = v,
            "reps_high" => f.reps_high = v,
            "hold_low" => f.hold_low = v,
            "hold_high" => f.hold_high = v,
            "sets" => f.sets = v,
            "per_side" => f.per_side = v == "1",
            "rest" => f.rest = v,
            "steps" => f.steps = v,
            "cues" => f.cues = v,
            "mistakes" => f.mistakes = v,
            "avoid_if" => f.avoid_if = v,
            "stop_if" => f.stop_if = v,
            "caution" => f.cautions.push(v),
            "source" => f.sources.push(v),
            "figure" => f.figure = v,
            "poses" => f.poses = v,
            _ => {}
        }
    }
    f
}

/// A kebab-case id made from a name ("Wall push-up (slow)" → `wall-push-up-slow`, "Étirement"
/// → `etirement`); empty when the name has no Latin letters or digits (the application then
/// makes one up).
pub(crate) fn id_from_name(name: &str) -> String {
    let mut id = String::new();
    for c in name
        .trim()
        .chars()
        .flat_map(char::to_lowercase)
        .map(plain_letter)
    {
        if c.is_ascii_alphanumeric() {
            id.push(c);
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    id.trim_end_matches('-')
        .chars()
        .take(60)
        .collect::<String>()
        .trim_end_matches('-')
        .into()
}

/// A Latin letter with its accent taken off (the common ones), so ids stay readable.
fn plain_letter(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' | 'ń' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        'ß' => 's',
        'ł' => 'l',
        'ś' | 'š' => 's',
        'ź' | 'ż' | 'ž' => 'z',
        other => other,
    }
}

impl ExerciseForm {
    /// The exercise the form describes. `figure_of` finds a library exercise's figure for a
    /// "drawn like" choice. Refusals name the field.
    pub(crate) fn exercise(
        &self,
        figure_of: impl Fn(&str) -> Option<Figure>,
    ) -> Result<Exercise, InputError> {
        let id = if self.id.trim().is_empty() {
            id_from_name(&self.name)
        } else {
            self.id.trim().to_string()
        };
        Ok(Exercise {
            id,
            name: self.name.trim().to_string(),
            kind: one("kind", &self.kind)?,
            summary: self.summary.trim().to_string(),
            regions: all("region", &self.regions)?,
            muscles: all("muscle", &self.muscles)?,
            equipment: all("equipment", &self.equipment)?,
            difficulty: one("difficulty", &self.difficulty)?,
            dosage: self.dosage()?,
            steps: lines(&self.steps),
            cues: lines(&self.cues),
            mistakes: lines(&self.mistakes),
            avoid_if: lines(&self.avoid_if),
            stop_if: lines(&self.stop_if),
            cautions: all::<Caution>("caution", &self.cautions)?,
            easier: Vec::new(),
            harder: Vec::new(),
            articles: Vec::new(),
            sources: self.sources.clone(),
            figure: self.figure(figure_of)?,
        })
    }

    fn dosage(&self) -> Result<Dosage, InputError> {
        Ok(Dosage {
            reps: pair("reps", &self.reps_low, &self.reps_high)?,
            hold_seconds: pair("hold", &self.hold_low, &self.hold_high)?,
            sets: number("sets", &self.sets)?.unwrap_or(1),
            per_side: self.per_side,
            rest_seconds: number("rest", &self.rest)?.unwrap_or(0),
        })
    }

    fn figure(
        &self,
        figure_of: impl Fn(&str) -> Option<Figure>,
    ) -> Result<Option<Figure>, InputError> {
        if let Some(like) = self.figure.strip_prefix(FIGURE_LIKE) {
            return figure_of(like).map(Some).ok_or_else(|| {
                InputError::malformed("figure", like, "no library exercise with that drawing")
            });
        }
        match self.figure.as_str() {
            FIGURE_POSES => Figure::from_toml(&self.poses)
                .map(Some)
                .map_err(|e| InputError::malformed("poses", "", e)),
            _ => Ok(None),
        }
    }
}

fn one<T: FromStr>(field: &str, text: &str) -> Result<T, InputError> {
    text.parse()
        .map_err(|_| InputError::malformed(field, text, "not one of the choices"))
}

fn all<T: FromStr>(field: &str, list: &[String]) -> Result<Vec<T>, InputError> {
    list.iter().map(|t| one(field, t)).collect()
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

fn number<T: FromStr>(field: &str, text: &str) -> Result<Option<T>, InputError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse()
        .map(Some)
        .map_err(|_| InputError::malformed(field, t, "not a whole number in range"))
}

/// A `[least, most]` range from two boxes; one box filled means that exact number.
fn pair(field: &str, low: &str, high: &str) -> Result<Option<[u16; 2]>, InputError> {
    Ok(match (number(field, low)?, number(field, high)?) {
        (None, None) => None,
        (Some(a), None) | (None, Some(a)) => Some([a, a]),
        (Some(a), Some(b)) => Some([a, b]),
    })
}

/// The vocabularies the form offers, as (id, label).
pub(crate) struct Choices {
    pub(crate) kinds: Vec<(&'static str, &'static str)>,
    pub(crate) difficulties: Vec<(&'static str, &'static str)>,
    pub(crate) regions: Vec<(&'static str, &'static str)>,
    pub(crate) muscles: Vec<(&'static str, &'static str)>,
    pub(crate) equipment: Vec<(&'static str, &'static str)>,
    pub(crate) cautions: Vec<(&'static str, &'static str)>,
}

impl Choices {
    /// Every choice, in the vocabularies' display order.
    pub(crate) fn all() -> Choices {
        Choices {
            kinds: ExerciseKind::ALL
                .iter()
                .map(|v| (v.id(), v.label()))
                .collect(),
            difficulties: Difficulty::ALL
                .iter()
                .map(|v| (v.id(), v.label()))
                .collect(),
            regions: Region::ALL.iter().map(|v| (v.id(), v.label())).collect(),
            muscles: Muscle::ALL.iter().map(|v| (v.id(), v.label())).collect(),
            equipment: Equipment::ALL.iter().map(|v| (v.id(), v.label())).collect(),
            cautions: Caution::ALL.iter().map(|v| (v.id(), v.label())).collect(),
        }
    }
}

/// The joint angle names a keyframe may set, for the form's help.
pub(crate) fn angle_names() -> String {
    let mut names: Vec<&str> = unknot_core::figure::pose::WHOLE_BODY.to_vec();
    names.extend(unknot_core::figure::pose::PER_SIDE);
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_from_names_in_kebab_case() {
        assert_eq!(id_from_name("Wall push-up (slow)"), "wall-push-up-slow");
        assert_eq!(id_from_name("  Étirement  du dos "), "etirement-du-dos");
        assert_eq!(id_from_name("!!!"), "");
    }

    #[test]
    fn a_range_with_one_box_is_that_number_and_words_are_refused_by_field() {
        assert_eq!(pair("reps", "8", "").unwrap(), Some([8, 8]));
        assert_eq!(pair("reps", "8", "12").unwrap(), Some([8, 12]));
        let e = pair("hold", "ten", "").unwrap_err().to_string();
        assert!(e.contains("hold") && e.contains("ten"), "{e}");
    }

    #[test]
    fn a_posted_form_reads_into_an_exercise_with_its_lists() {
        let body = b"name=Wall+sit&kind=strengthening&difficulty=moderate&summary=Sit.&region=lower-back\
&muscle=gluteus-maximus&equipment=wall&reps_low=5&hold_low=20&hold_high=30&sets=2&rest=40\
&steps=Back+to+the+wall.%0ASlide+down.&cues=Breathe.&caution=knee-pain&source=nice-ng59&figure=none";
        let f = parse_form(body);
        let e = f.exercise(|_| None).unwrap();
        assert_eq!(e.id, "wall-sit");
        assert_eq!(e.steps, vec!["Back to the wall.", "Slide down."]);
        assert_eq!(e.dosage.reps, Some([5, 5]));
        assert_eq!(e.dosage.hold_seconds, Some([20, 30]));
        assert_eq!(e.cautions, vec![Caution::KneePain]);
        assert!(e.figure.is_none());
        let back = ExerciseForm::from_exercise(&e);
        assert_eq!(back.steps, "Back to the wall.\nSlide down.");
        assert!(back.has(&back.cautions, "knee-pain"));
    }
}

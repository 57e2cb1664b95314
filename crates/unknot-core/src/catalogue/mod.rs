//! The content library: exercises, heat and cold protocols, articles and their sources.
//!
//! Content is data under `content/`, compiled into the binary (see [`builtin`]), optionally
//! overlaid by a folder (`--content-dir`) and by the user's own exercises. Every layer goes
//! through the one validation pass in [`Catalogue::load`], which reports every problem it finds
//! with its file and field rather than stopping at the first.

mod article;
mod cited;
mod exercise;
mod source;
mod therapy;
mod validate;
mod vocab;

use std::collections::BTreeMap;
use std::fmt;

pub use article::{Article, ArticleMeta, split_front_matter};
pub use cited::cited_in_code;
pub use exercise::{Dosage, Exercise, SECONDS_PER_REP};
pub use source::Source;
pub use therapy::{
    COLD_MAX_MINUTES, COLD_MIN_GAP_MINUTES, Contrast, Guidance, HEAT_MAX_MINUTES, LimitError,
    Prefer, Protocol, Therapies, TherapyKind, check_minutes,
};
pub use vocab::{Caution, Difficulty, Equipment, ExerciseKind, SourceKind};

/// One content file: its path relative to the content root (with `/`), and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentFile {
    /// E.g. `exercises/bird-dog.toml`.
    pub path: String,
    /// The file's text.
    pub text: String,
}

impl ContentFile {
    /// Shorthand constructor.
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> ContentFile {
        ContentFile {
            path: path.into(),
            text: text.into(),
        }
    }
}

/// An exercise the user added, as stored: its id and its text in the library's TOML format.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UserExercise {
    /// Its id (also inside the text).
    pub id: String,
    /// The exercise in the library's TOML format.
    pub toml: String,
}

/// The source id a user's own exercise may cite instead of a publication: "given to me by my
/// physiotherapist or doctor". Built-in content may not use it.
pub const CLINICIAN_SOURCE: &str = "my-clinician";

/// A set of content files and how they combine with the layers below.
#[derive(Debug, Clone)]
pub struct Layer {
    /// Where the files came from, for messages (e.g. `built-in`, a folder path).
    pub origin: String,
    /// The files.
    pub files: Vec<ContentFile>,
    /// Whether entries may replace ones with the same id from lower layers (a content folder
    /// may; the user's own exercises may not shadow built-in ones).
    pub may_override: bool,
    /// True for the user's own data, which may cite [`CLINICIAN_SOURCE`].
    pub user_content: bool,
}

impl Layer {
    /// The user's own exercises as a layer.
    pub fn user(exercises: &[UserExercise]) -> Layer {
        Layer {
            origin: "your library".to_string(),
            files: exercises
                .iter()
                .map(|e| ContentFile::new(format!("exercises/{}.toml", e.id), e.toml.clone()))
                .collect(),
            may_override: false,
            user_content: true,
        }
    }

    /// A clinic's own exercises as a layer, named for the clinic. Like a person's own, they may
    /// not shadow another layer's exercise and may cite [`CLINICIAN_SOURCE`].
    pub fn clinic(name: &str, exercises: &[UserExercise]) -> Layer {
        Layer {
            origin: format!("the exercises of {name}"),
            ..Layer::user(exercises)
        }
    }
}

/// One problem found in content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentError {
    /// The file, with its layer's origin.
    pub file: String,
    /// The field (or `file` for problems with the whole file).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.file, self.field, self.message)
    }
}

/// Every problem found in one validation pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentErrors(pub Vec<ContentError>);

impl fmt::Display for ContentErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} problem(s) in the content:", self.0.len())?;
        for e in &self.0 {
            writeln!(f, "  {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ContentErrors {}

/// The validated library.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalogue {
    exercises: BTreeMap<String, Exercise>,
    articles: BTreeMap<String, Article>,
    sources: BTreeMap<String, Source>,
    therapies: Therapies,
    origins: BTreeMap<String, String>,
}

impl Catalogue {
    /// Loads and validates layers, lowest first (usually: built-in, then a content folder, then
    /// the user's own exercises).
    pub fn load(layers: &[Layer]) -> Result<Catalogue, ContentErrors> {
        validate::load(layers)
    }

    /// The built-in library alone.
    pub fn builtin() -> Result<Catalogue, ContentErrors> {
        Catalogue::load(&[builtin()])
    }

    /// Every exercise, by id.
    pub fn exercises(&self) -> impl Iterator<Item = &Exercise> {
        self.exercises.values()
    }

    /// One exercise.
    pub fn exercise(&self, id: &str) -> Option<&Exercise> {
        self.exercises.get(id)
    }

    /// The exercise with this id, or an error that names the nearest ids ("did you mean
    /// bird-dog?"), for every edge that takes an exercise id from a person.
    pub fn find_exercise(&self, id: &str) -> Result<&Exercise, crate::InputError> {
        self.exercise(id)
            .ok_or_else(|| crate::InputError::UnknownId {
                kind: "exercise",
                value: crate::error::shown(id),
                suggestions: crate::suggest::nearest(id, self.exercise_ids()),
                choices: Vec::new(),
            })
    }

    /// Every article, by id.
    pub fn articles(&self) -> impl Iterator<Item = &Article> {
        self.articles.values()
    }

    /// One article.
    pub fn article(&self, id: &str) -> Option<&Article> {
        self.articles.get(id)
    }

    /// One source.
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.get(id)
    }

    /// Every source, by id.
    pub fn sources(&self) -> impl Iterator<Item = (&String, &Source)> {
        self.sources.iter()
    }

    /// The heat, cold and contrast protocols.
    pub fn therapies(&self) -> &Therapies {
        &self.therapies
    }

    /// Where an exercise or article came from (`built-in`, a folder, `your library`).
    pub fn origin(&self, id: &str) -> Option<&str> {
        self.origins.get(id).map(String::as_str)
    }

    /// Exercise ids, for suggestions.
    pub fn exercise_ids(&self) -> impl Iterator<Item = &str> {
        self.exercises.keys().map(String::as_str)
    }

    /// Article ids, for suggestions.
    pub fn article_ids(&self) -> impl Iterator<Item = &str> {
        self.articles.keys().map(String::as_str)
    }
}

/// The content compiled into this build, as a layer.
pub fn builtin() -> Layer {
    Layer {
        origin: "built-in".to_string(),
        files: embedded::FILES
            .iter()
            .map(|(p, t)| ContentFile::new(*p, *t))
            .collect(),
        may_override: false,
        user_content: false,
    }
}

mod embedded {
    //! Generated by `build.rs`: every file under `content/`, embedded at compile time.
    include!(concat!(env!("OUT_DIR"), "/embedded_content.rs"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_library_validates() {
        match Catalogue::builtin() {
            Ok(c) => assert!(c.exercises().count() > 0),
            Err(e) => panic!("{e}"),
        }
    }
}

#[cfg(test)]
mod library_tests {
    use super::*;

    #[test]
    fn the_library_has_what_the_coach_needs() {
        let c = Catalogue::builtin().unwrap();
        assert!(
            c.exercises().count() >= 35,
            "only {} exercises",
            c.exercises().count()
        );
        assert!(
            c.articles().count() >= 24,
            "only {} articles",
            c.articles().count()
        );
        for id in [
            "childs-pose",
            "standing-forward-fold",
            "cat-camel",
            "seated-spinal-twist",
            "superman",
            "glute-bridge",
            "bird-dog",
            "back-extension",
            "band-row",
            "prone-press-up",
            "knee-to-chest",
            "pelvic-tilt",
            "doorway-chest-stretch",
            "chin-tuck",
            "upper-trapezius-stretch",
            "levator-scapulae-stretch",
            "thoracic-extension-foam-roller",
            "thread-the-needle",
            "open-book",
            "wall-angel",
            "scapular-squeeze",
            "dead-bug",
            "side-plank",
            "hip-flexor-stretch",
            "figure-four-stretch",
            "hamstring-stretch",
            "ball-wall-rhomboids",
            "ball-wall-upper-trapezius",
            "foam-roll-thoracic",
            "ball-glutes-piriformis",
        ] {
            assert!(c.exercise(id).is_some(), "missing exercise {id}");
        }
        // The dosages the source articles give.
        let hold = |id: &str| c.exercise(id).and_then(|e| e.dosage.hold_seconds);
        assert_eq!(hold("childs-pose"), Some([30, 60]));
        assert_eq!(hold("standing-forward-fold"), Some([30, 60]));
        assert_eq!(hold("seated-spinal-twist"), Some([30, 30]));
        assert!(c.exercise("seated-spinal-twist").unwrap().dosage.per_side);
        assert!(c.exercise("cat-camel").unwrap().dosage.reps.is_some());
        for id in ["superman", "glute-bridge", "bird-dog"] {
            let d = &c.exercise(id).unwrap().dosage;
            assert!(
                d.reps.is_some() && d.hold_seconds.is_some_and(|h| h[1] <= 10),
                "{id}: short holds, repeated"
            );
        }
        // Self-massage carries its cautions.
        let roll = c.exercise("foam-roll-thoracic").unwrap();
        assert!(
            roll.mistakes
                .iter()
                .chain(&roll.steps)
                .any(|s| s.contains("lower back"))
        );
        for e in c
            .exercises()
            .filter(|e| e.kind == ExerciseKind::SelfMassage)
        {
            assert!(
                e.avoid_if.iter().any(|s| s.contains("numb")),
                "{} must warn about numb areas",
                e.id
            );
        }
    }

    #[test]
    fn cautions_sit_where_the_issue_says() {
        let c = Catalogue::builtin().unwrap();
        let has = |id: &str, caution: Caution| {
            c.exercise(id)
                .unwrap_or_else(|| panic!("no {id}"))
                .cautions
                .contains(&caution)
        };
        // Pressing with a ball or roller: never with blood thinners or a bleeding disorder.
        for e in c.exercises().filter(|e| {
            e.kind == ExerciseKind::SelfMassage
                && e.equipment
                    .iter()
                    .any(|q| matches!(q, Equipment::MassageBall | Equipment::FoamRoller))
        }) {
            assert!(e.cautions.contains(&Caution::BleedingRisk), "{}", e.id);
            assert!(
                e.avoid_if.iter().any(|s| s.contains("blood thinners")),
                "{} must say so in words",
                e.id
            );
        }
        for id in ["prone-press-up", "sphinx", "back-extension", "superman"] {
            assert!(has(id, Caution::SpinalStenosis), "{id}");
        }
        assert!(has("seated-spinal-twist", Caution::LegSymptoms));
        for id in [
            "knee-to-chest",
            "childs-pose",
            "standing-forward-fold",
            "curl-up",
            "seated-spinal-twist",
        ] {
            assert!(has(id, Caution::Osteoporosis), "{id}");
        }
        // Every caution tag an exercise carries is also said in words.
        for e in c.exercises() {
            assert!(
                e.cautions.is_empty() || !e.avoid_if.is_empty(),
                "{} has cautions but no 'avoid if'",
                e.id
            );
        }
    }

    #[test]
    fn the_therapy_limits_are_the_ones_promised() {
        let t = Catalogue::builtin().unwrap().therapies().clone();
        assert_eq!(
            (
                t.cold.default_minutes,
                t.cold.max_minutes,
                t.cold.min_gap_minutes
            ),
            (15, 20, 120)
        );
        assert_eq!((t.heat.default_minutes, t.heat.max_minutes), (20, 30));
        assert!(
            t.heat
                .avoid_if
                .iter()
                .any(|s| s.contains("asleep") || s.contains("in bed"))
        );
        assert!(
            t.heat
                .avoid_if
                .iter()
                .any(|s| s.contains("reduced feeling"))
        );
        assert!(t.guidance.iter().any(|g| g.situation == "acute-spasm"));
        assert!(
            t.guidance
                .iter()
                .any(|g| g.situation == "chronic-stiffness")
        );
        assert_eq!(
            t.contrast.phases().last().map(|p| p.0),
            Some(TherapyKind::Cold)
        );
    }

    #[test]
    fn medicine_articles_give_no_doses() {
        let c = Catalogue::builtin().unwrap();
        for a in c.articles() {
            let text = a.body.to_lowercase();
            for unit in [" mg", "milligram", "tablets a day", "times a day"] {
                assert!(
                    !text.contains(unit),
                    "{} mentions a dose ({unit})",
                    a.meta.id
                );
            }
        }
        let meds = c.article("medicines-for-back-pain").unwrap();
        assert!(meds.body.contains("follow the label"));
    }
}

//! The person's own exercises (one a physiotherapist gave them, say): added, replaced and
//! removed, each checked together with the whole library exactly as it will load.

use unknot_core::catalogue::{Exercise, UserExercise};

use crate::{App, AppError, AppResult};

impl App {
    /// Adds (or with `replace`, replaces) one of the person's own exercises from its TOML text.
    pub async fn add_exercise(&self, toml_text: String, replace: bool) -> AppResult<Exercise> {
        let parsed: Exercise = toml::from_str(&toml_text).map_err(|e| {
            unknot_core::InputError::malformed("exercise", "", e.message().to_string())
        })?;
        let id = parsed.id.clone();
        // The library loads a person's exercise even when its figure fails (dropping the
        // drawing); when it is added, a bad figure is refused so they can fix it.
        if let Some(problem) = parsed
            .figure
            .as_ref()
            .and_then(|f| unknot_core::figure::check(f).into_iter().next())
        {
            return Err(unknot_core::InputError::malformed(
                "figure",
                format!("keyframe {}", problem.keyframe),
                problem.message,
            )
            .into());
        }
        let mine = self.store().custom_exercises().await?;
        let already_mine = mine.iter().any(|m| m.id == id);
        let catalogue = self.catalogue().await?;
        if (already_mine && !replace) || (!already_mine && catalogue.exercise(&id).is_some()) {
            return Err(AppError::Duplicate {
                id,
                builtin: !already_mine,
            });
        }
        let mut yours: Vec<UserExercise> = mine.into_iter().filter(|m| m.id != id).collect();
        let new = UserExercise {
            id: id.clone(),
            toml: toml_text,
        };
        yours.push(new.clone());
        let checked = self.check_library(&yours)?;
        self.store().save_custom_exercise(&new).await?;
        self.library_changed();
        checked
            .exercise(&id)
            .cloned()
            .ok_or_else(|| AppError::internal(format!("exercise {id} vanished after loading")))
    }

    /// Removes one of the person's own exercises.
    pub async fn remove_exercise(&self, id: &str) -> AppResult<()> {
        self.store().delete_custom_exercise(id).await?;
        self.library_changed();
        Ok(())
    }
}

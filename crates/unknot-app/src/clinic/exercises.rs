//! The clinic's own exercises: written by its clinicians (with cautions, sources and a figure),
//! checked with the library exactly as it will load, and then part of the library its staff
//! prescribe from and its patients see.

use unknot_core::InputError;
use unknot_core::catalogue::{Exercise, UserExercise};
use unknot_core::clinic::exercise_ids;

use super::{ClinicApp, Origin, Principal};
use crate::{AppError, AppResult};

impl ClinicApp {
    /// The clinic's own exercises, by name.
    pub async fn clinic_exercises(
        &self,
        who: &Principal,
        clinic: &str,
    ) -> AppResult<Vec<Exercise>> {
        self.may_template(who, clinic)?;
        let catalogue = self.app.clinic_catalogue(clinic).await?;
        let mut out: Vec<Exercise> = self
            .app
            .store()
            .clinic_exercises(clinic)
            .await?
            .iter()
            .filter_map(|e| catalogue.exercise(&e.id).cloned())
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    /// One of the clinic's own exercises; "not found" when the clinic has none by that id.
    pub async fn clinic_exercise(
        &self,
        who: &Principal,
        clinic: &str,
        id: &str,
    ) -> AppResult<Exercise> {
        self.clinic_exercises(who, clinic)
            .await?
            .into_iter()
            .find(|e| e.id == id)
            .ok_or_else(|| AppError::Store(unknot_store::StoreError::NotFound(id.to_string())))
    }

    /// Saves one of the clinic's exercises: `new` adds one (its id, from the name the caller
    /// gives as the id, gets the clinic's tag: see `exercise_ids`; it must be free in the
    /// clinic's library), otherwise it replaces the clinic's exercise with that id. Checked
    /// with the whole library before anything is stored; audited.
    pub async fn save_clinic_exercise(
        &self,
        who: &Principal,
        clinic: &str,
        exercise: Exercise,
        new: bool,
        from: &Origin,
    ) -> AppResult<Exercise> {
        self.may_template(who, clinic)?;
        let mut exercise = exercise;
        if new && !exercise_ids::is_tagged(clinic, &exercise.id) {
            let spare: String = self.app.new_id().chars().rev().take(8).collect();
            exercise.id = exercise_ids::exercise_id(clinic, &exercise.id, &spare);
        }
        check_figure(&exercise)?;
        let id = exercise.id.clone();
        let store = self.app.store();
        let mut ours = store.clinic_exercises(clinic).await?;
        let already = ours.iter().any(|e| e.id == id);
        if new
            && (already
                || self
                    .app
                    .clinic_catalogue(clinic)
                    .await?
                    .exercise(&id)
                    .is_some())
        {
            return Err(AppError::Duplicate {
                id,
                builtin: !already,
            });
        }
        if !new && !already {
            return Err(AppError::Store(unknot_store::StoreError::NotFound(id)));
        }
        let toml = toml::to_string(&exercise)
            .map_err(|e| AppError::internal(format!("exercise {id} as TOML: {e}")))?;
        let saved = UserExercise {
            id: id.clone(),
            toml,
        };
        ours.retain(|e| e.id != id);
        ours.push(saved.clone());
        let checked = self.app.check_clinic_library(clinic, &ours).await?;
        if !store
            .save_clinic_exercise(clinic, &who.account.id, &saved, new)
            .await?
        {
            // Another clinician added this id a moment ago.
            return Err(AppError::Duplicate { id, builtin: false });
        }
        self.audit_event(
            &who.account.id,
            Some(clinic),
            None,
            "clinic_exercise_saved",
            &id,
            from,
            "ok",
        )
        .await?;
        checked
            .exercise(&id)
            .cloned()
            .ok_or_else(|| AppError::internal(format!("exercise {id} vanished after loading")))
    }
}

/// A figure that fails its checks is refused with the first problem, naming the keyframe (the
/// library would load the exercise without its drawing, which the clinician should know).
fn check_figure(exercise: &Exercise) -> AppResult<()> {
    let Some(problem) = exercise
        .figure
        .as_ref()
        .and_then(|f| unknot_core::figure::check(f).into_iter().next())
    else {
        return Ok(());
    };
    // The checks number keyframes from 1 and use 0 for the figure as a whole.
    let place = match problem.keyframe {
        0 => "the drawing".to_string(),
        k => format!("the drawing's keyframe {k}"),
    };
    Err(InputError::Inconsistent(format!("{place}: {}", problem.message)).into())
}

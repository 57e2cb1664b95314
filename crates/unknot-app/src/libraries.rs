//! Composing a library from its layers (built in, content folder, clinics' exercises, the
//! person's own) and keeping the loaded ones with the stamp they were built from.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use unknot_core::catalogue::{Catalogue, Layer, UserExercise};
use unknot_store::LibraryStamp;

use crate::{App, AppError, AppResult};

/// Loaded libraries by key, each with the stamp it was built from.
pub(crate) struct Kept<S> {
    map: Mutex<HashMap<String, (S, Arc<Catalogue>)>>,
}

impl<S> Default for Kept<S> {
    fn default() -> Self {
        Kept {
            map: Mutex::new(HashMap::new()),
        }
    }
}

/// How many libraries are kept before the lot is dropped (a bound on memory; reloading is
/// cheap).
const MAX_KEPT: usize = 10_000;

impl<S: PartialEq + Clone> Kept<S> {
    /// The library kept under `key`, if it was built from `stamp`.
    pub(crate) fn cached(&self, key: &str, stamp: &S) -> Option<Arc<Catalogue>> {
        let map = self.map.lock().ok()?;
        map.get(key)
            .filter(|(s, _)| s == stamp)
            .map(|(_, c)| c.clone())
    }

    /// Keeps a library built from `stamp`.
    pub(crate) fn keep(&self, key: String, stamp: S, c: Arc<Catalogue>) {
        if let Ok(mut m) = self.map.lock() {
            if m.len() > MAX_KEPT {
                m.clear();
            }
            m.insert(key, (stamp, c));
        }
    }

    /// Forgets the library under `key`.
    pub(crate) fn forget(&self, key: &str) {
        if let Ok(mut m) = self.map.lock() {
            m.remove(key);
        }
    }
}

/// Drops the exercises whose id is already `taken`, and takes the ids of the rest. Two clinics
/// (or a clinic and the person) may choose the same id without knowing of each other; the
/// first layer keeps it, so the library always loads and a programme runs the exercise its
/// clinic wrote.
fn unclaimed(exercises: Vec<UserExercise>, taken: &mut HashSet<String>) -> Vec<UserExercise> {
    exercises
        .into_iter()
        .filter(|e| taken.insert(e.id.clone()))
        .collect()
}

impl App {
    /// Loads the library `stamp` describes. An exercise that no longer loads (a later
    /// release's library took its id or dropped a source it cites) is left out, with a line in
    /// the server's log, rather than taking the whole library down with it.
    pub(crate) async fn load_library(&self, stamp: &LibraryStamp) -> AppResult<Arc<Catalogue>> {
        let base = self.base_catalogue()?;
        let store = self.store();
        let mut taken: HashSet<String> = base.exercise_ids().map(String::from).collect();
        let mut clinics = Vec::new();
        for (clinic, version) in &stamp.clinics {
            if *version > 0 {
                let exercises = unclaimed(store.clinic_exercises(clinic).await?, &mut taken);
                clinics.push((self.clinic_label(clinic).await?, exercises));
            }
        }
        let yours = if stamp.own.0 > 0 {
            unclaimed(store.custom_exercises().await?, &mut taken)
        } else {
            Vec::new()
        };
        if clinics.is_empty() && yours.is_empty() {
            return Ok(base);
        }
        let layers = |clinics: &[(String, Vec<UserExercise>)], yours: &[UserExercise]| {
            let mut layers = self.content_layers().to_vec();
            layers.extend(clinics.iter().map(|(name, list)| Layer::clinic(name, list)));
            layers.push(Layer::user(yours));
            layers
        };
        if let Ok(c) = load(&layers(&clinics, &yours)) {
            return Ok(Arc::new(c));
        }
        let clinics: Vec<(String, Vec<UserExercise>)> = clinics
            .into_iter()
            .map(|(name, list)| {
                let kept = self.loadable(list, |one| Layer::clinic(&name, one));
                (name, kept)
            })
            .collect();
        let yours = self.loadable(yours, Layer::user);
        load(&layers(&clinics, &yours)).map(Arc::new)
    }

    /// The exercises of `list` that load on their own over the content layers (after the
    /// whole list failed to load together); each one left out is named in the server's log.
    fn loadable(
        &self,
        list: Vec<UserExercise>,
        layer: impl Fn(&[UserExercise]) -> Layer,
    ) -> Vec<UserExercise> {
        list.into_iter()
            .filter(|e| {
                let mut layers = self.content_layers().to_vec();
                layers.push(layer(std::slice::from_ref(e)));
                match Catalogue::load(&layers) {
                    Ok(_) => true,
                    Err(err) => {
                        eprintln!(
                            "exercise {} left out of the library: {}",
                            e.id,
                            err.to_string().trim()
                        );
                        false
                    }
                }
            })
            .collect()
    }

    /// A clinic's library: the base library and the clinic's own exercises, as its staff
    /// build programmes from it. Kept with the clinic's change counter, read on every call, so
    /// an exercise saved through another server is here on the next request.
    pub async fn clinic_catalogue(&self, clinic: &str) -> AppResult<Arc<Catalogue>> {
        let version = self.store().clinic_library_version(clinic).await?;
        if version == 0 {
            return self.base_catalogue();
        }
        if let Some(c) = self.shared.clinic_libraries.cached(clinic, &version) {
            return Ok(c);
        }
        let base = self.base_catalogue()?;
        let mut taken: HashSet<String> = base.exercise_ids().map(String::from).collect();
        let exercises = unclaimed(self.store().clinic_exercises(clinic).await?, &mut taken);
        let c = match self.check_clinic_library(clinic, &exercises).await {
            Ok(c) => c,
            Err(_) => {
                let name = self.clinic_label(clinic).await?;
                let kept = self.loadable(exercises, |one| Layer::clinic(&name, one));
                self.check_clinic_library(clinic, &kept).await?
            }
        };
        let c = Arc::new(c);
        self.shared
            .clinic_libraries
            .keep(clinic.to_string(), version, c.clone());
        Ok(c)
    }

    /// The base library with `exercises` as the clinic's layer, checked as it would load.
    pub(crate) async fn check_clinic_library(
        &self,
        clinic: &str,
        exercises: &[UserExercise],
    ) -> AppResult<Catalogue> {
        let mut layers = self.content_layers().to_vec();
        layers.push(Layer::clinic(&self.clinic_label(clinic).await?, exercises));
        load(&layers)
    }

    async fn clinic_label(&self, clinic: &str) -> AppResult<String> {
        Ok(self
            .store()
            .clinic(clinic)
            .await?
            .map_or_else(|| clinic.to_string(), |c| c.name))
    }
}

fn load(layers: &[Layer]) -> AppResult<Catalogue> {
    Catalogue::load(layers).map_err(|e| AppError::Content(e.to_string().trim_end().into()))
}

//! A clinic's own exercises, stored as the library's TOML text (core validates them with the
//! rest of the library whenever a library that holds them loads), and the stamps that tell a
//! server its cached library is out of date.

use jiff::Timestamp;
use sqlx::Row;
use unknot_core::catalogue::UserExercise;

use crate::error::StoreError;
use crate::open::Store;

/// What a person's library is built from, as change counters: compared with the stamp a cached
/// library was built from, it says whether that library is still right (on any server).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LibraryStamp {
    /// The person's own exercises: how many, and the latest change (ms).
    pub own: (i64, i64),
    /// Each clinic whose exercises the person sees (a clinic they work in, or one caring for
    /// them), by id, with its library's change counter. Sorted by id.
    pub clinics: Vec<(String, i64)>,
}

impl Store {
    /// The stamp of this store's person's library: one small query.
    pub async fn library_stamp(&self) -> Result<LibraryStamp, StoreError> {
        let own = sqlx::query(
            "SELECT COUNT(*), COALESCE(MAX(updated_at_ms), 0) FROM custom_exercises \
             WHERE user_id = $1",
        )
        .bind(&self.user)
        .fetch_one(&self.pool)
        .await?;
        if !self.clinic_tables {
            // A journal without a clinic's tables: only the person's own exercises.
            return Ok(LibraryStamp {
                own: (own.try_get(0)?, own.try_get(1)?),
                clinics: Vec::new(),
            });
        }
        let clinics = sqlx::query(
            "SELECT id, library_version FROM clinics WHERE id IN ( \
               SELECT clinic_id FROM memberships WHERE account_id = $1 \
               UNION SELECT clinic_id FROM care WHERE patient_id = $1 AND status = 'confirmed') \
             ORDER BY id",
        )
        .bind(&self.user)
        .fetch_all(&self.pool)
        .await?;
        Ok(LibraryStamp {
            own: (own.try_get(0)?, own.try_get(1)?),
            clinics: clinics
                .iter()
                .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
                .collect::<Result<_, StoreError>>()?,
        })
    }

    /// A clinic's library change counter (0 before its first exercise).
    pub async fn clinic_library_version(&self, clinic: &str) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT library_version FROM clinics WHERE id = $1")
            .bind(clinic)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(r) => r.try_get(0)?,
            None => 0,
        })
    }

    /// A clinic's own exercises, by id.
    pub async fn clinic_exercises(&self, clinic: &str) -> Result<Vec<UserExercise>, StoreError> {
        let rows =
            sqlx::query("SELECT id, body FROM clinic_exercises WHERE clinic_id = $1 ORDER BY id")
                .bind(clinic)
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| {
                Ok(UserExercise {
                    id: r.try_get(0)?,
                    toml: r.try_get(1)?,
                })
            })
            .collect()
    }

    /// Adds a clinic exercise (`new`: only if its id is free, else nothing is written and the
    /// answer is false, so two clinicians adding the same id at once cannot overwrite each
    /// other) or replaces the one with its id, and raises the clinic's change counter, in one
    /// transaction. The caller has validated it with the library.
    pub async fn save_clinic_exercise(
        &self,
        clinic: &str,
        author: &str,
        exercise: &UserExercise,
        new: bool,
    ) -> Result<bool, StoreError> {
        let now = Timestamp::now().as_millisecond();
        let mut tx = self.write_tx().await?;
        let done = sqlx::query(if new { INSERT_NEW } else { UPSERT })
            .bind(clinic)
            .bind(&exercise.id)
            .bind(&exercise.toml)
            .bind(author)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        sqlx::query("UPDATE clinics SET library_version = library_version + 1 WHERE id = $1")
            .bind(clinic)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }
}

const INSERT_NEW: &str = "INSERT INTO clinic_exercises (clinic_id, id, body, author_id, \
     created_at_ms, updated_at_ms) VALUES ($1, $2, $3, $4, $5, $5) \
     ON CONFLICT (clinic_id, id) DO NOTHING";

const UPSERT: &str = "INSERT INTO clinic_exercises (clinic_id, id, body, author_id, \
     created_at_ms, updated_at_ms) VALUES ($1, $2, $3, $4, $5, $5) \
     ON CONFLICT (clinic_id, id) DO UPDATE SET body = excluded.body, \
     author_id = excluded.author_id, updated_at_ms = excluded.updated_at_ms";

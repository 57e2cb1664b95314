//! The user's own exercises, stored as the TOML text the library format defines. The store
//! keeps text, not parsed exercises: validation belongs to core, which checks these with the
//! rest of the library every time the catalogue loads.

use jiff::Timestamp;
use sqlx::Row;

pub use unknot_core::catalogue::UserExercise as CustomExercise;

use crate::error::StoreError;
use crate::open::Store;

impl Store {
    /// Every custom exercise, by id.
    pub async fn custom_exercises(&self) -> Result<Vec<CustomExercise>, StoreError> {
        let rows =
            sqlx::query("SELECT id, body FROM custom_exercises WHERE user_id = $1 ORDER BY id")
                .bind(&self.user)
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| {
                Ok(CustomExercise {
                    id: r.try_get(0)?,
                    toml: r.try_get(1)?,
                })
            })
            .collect()
    }

    /// Adds a custom exercise, or replaces the one with the same id. The caller has validated
    /// it together with the library.
    pub async fn save_custom_exercise(&self, exercise: &CustomExercise) -> Result<(), StoreError> {
        let now = Timestamp::now().as_millisecond();
        sqlx::query(UPSERT_CUSTOM)
            .bind(&self.user)
            .bind(&exercise.id)
            .bind(&exercise.toml)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Removes a custom exercise.
    pub async fn delete_custom_exercise(&self, id: &str) -> Result<(), StoreError> {
        let done = sqlx::query("DELETE FROM custom_exercises WHERE user_id = $1 AND id = $2")
            .bind(&self.user)
            .bind(id)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(id.to_string()));
        }
        Ok(())
    }
}

/// Adds or replaces one custom exercise inside a transaction.
pub(crate) async fn upsert_custom(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user: &str,
    exercise: &CustomExercise,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(UPSERT_CUSTOM)
        .bind(user)
        .bind(&exercise.id)
        .bind(&exercise.toml)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

const UPSERT_CUSTOM: &str = "INSERT INTO custom_exercises (user_id, id, body, created_at_ms, updated_at_ms) \
     VALUES ($1, $2, $3, $4, $4) \
     ON CONFLICT (user_id, id) DO UPDATE SET body = excluded.body, updated_at_ms = excluded.updated_at_ms";

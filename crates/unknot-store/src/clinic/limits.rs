//! Rate-limit counters in the database, so every server in front of it counts the same hits:
//! a fixed window per bucket (`login:ip:203.0.113.9`, `login:account:…`).

use jiff::Timestamp;
use sqlx::Row;

use crate::error::StoreError;
use crate::open::Store;

/// A bucket over its limit: how long until its window ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limited {
    /// Milliseconds until the next window.
    pub retry_after_ms: i64,
}

impl Store {
    /// Counts one hit on `bucket` in the window of `window_ms` containing `now`; refuses when
    /// that makes more than `limit` hits in the window.
    pub async fn hit(
        &self,
        bucket: &str,
        window_ms: i64,
        limit: i64,
        now: Timestamp,
    ) -> Result<Result<(), Limited>, StoreError> {
        let now_ms = now.as_millisecond();
        let start = now_ms - now_ms.rem_euclid(window_ms.max(1));
        let row = sqlx::query(
            "INSERT INTO rate_limits (bucket, window_start_ms, hits) VALUES ($1, $2, 1) \
             ON CONFLICT (bucket) DO UPDATE SET \
             hits = CASE WHEN rate_limits.window_start_ms = excluded.window_start_ms \
                    THEN rate_limits.hits + 1 ELSE 1 END, \
             window_start_ms = excluded.window_start_ms \
             RETURNING hits",
        )
        .bind(bucket)
        .bind(start)
        .fetch_one(&self.pool)
        .await?;
        let hits: i64 = row.try_get(0)?;
        if hits > limit {
            Ok(Err(Limited {
                retry_after_ms: start + window_ms - now_ms,
            }))
        } else {
            Ok(Ok(()))
        }
    }

    /// Clears a bucket (a successful sign-in clears the account's failures).
    pub async fn clear_hits(&self, bucket: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM rate_limits WHERE bucket = $1")
            .bind(bucket)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

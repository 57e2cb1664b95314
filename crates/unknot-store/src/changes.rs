//! Each person's journal change counter (`journal_changes`): one more for every write to their
//! entries, sessions, settings, assessments or the marks on those, in the write's own
//! transaction. A reader that reads the counter before the records, and keeps them labelled
//! with what it read, knows they still hold while the counter has not moved: this is how a
//! clinic server keeps a caseload in memory and still sees, on the next request, a write made
//! through another server over the same database.

use crate::error::StoreError;
use crate::open::Store;

/// Whether `user`'s writes move a counter. The single person of a local journal has no clinic
/// keeping their records, so their writes skip it: it made `unknot log` a fifth slower (one
/// more statement, and a transaction where one statement did).
fn counted(user: &str) -> bool {
    user != crate::LOCAL_USER
}

/// Adds one to `user`'s journal change counter: call in the transaction of every write to what
/// the counter covers.
pub(crate) async fn journal_changed(
    conn: &mut sqlx::AnyConnection,
    user: &str,
) -> Result<(), StoreError> {
    if !counted(user) {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO journal_changes (user_id, version) VALUES ($1, 1) \
         ON CONFLICT (user_id) DO UPDATE SET version = journal_changes.version + 1",
    )
    .bind(user)
    .execute(conn)
    .await?;
    Ok(())
}

impl Store {
    /// This user's journal change counter (0 before their first counted write).
    pub async fn journal_version(&self) -> Result<i64, StoreError> {
        use sqlx::Row;
        let row = sqlx::query("SELECT version FROM journal_changes WHERE user_id = $1")
            .bind(&self.user)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row
            .map(|r| r.try_get::<i64, _>(0))
            .transpose()?
            .unwrap_or(0))
    }

    /// Runs `write` for this store's user and moves their counter in the same transaction;
    /// for the local journal's user, runs it alone, with no transaction round it. An error
    /// from `write` leaves nothing written.
    pub(crate) async fn counted_write<T>(
        &self,
        write: impl AsyncFnOnce(&mut sqlx::AnyConnection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        if !counted(&self.user) {
            let mut conn = self.pool.acquire().await?;
            return write(&mut conn).await;
        }
        let mut tx = self.write_tx().await?;
        let out = write(&mut tx).await?;
        journal_changed(&mut tx, &self.user).await?;
        tx.commit().await?;
        Ok(out)
    }
}

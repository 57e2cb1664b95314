//! Each person's journal change counter (`journal_changes`): one more for every write to their
//! entries, sessions, settings, assessments or the marks on those, in the write's own
//! transaction. A reader that reads the counter before the records, and keeps them labelled
//! with what it read, knows they still hold while the counter has not moved: this is how a
//! clinic server keeps a caseload in memory and still sees, on the next request, a write made
//! through another server over the same database.

use crate::error::StoreError;

/// Adds one to `user`'s journal change counter: call in the transaction of every write to what
/// the counter covers.
pub(crate) async fn journal_changed(
    conn: &mut sqlx::AnyConnection,
    user: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO journal_changes (user_id, version) VALUES ($1, 1) \
         ON CONFLICT (user_id) DO UPDATE SET version = journal_changes.version + 1",
    )
    .bind(user)
    .execute(conn)
    .await?;
    Ok(())
}

//! What the pages and the API share about downloads: on the clinic server, every copy of a
//! person's data that leaves the server is written to the audit log, whichever edge sent it.

use crate::{AppState, WebError};

/// Records a download of the signed-in person's own data (`what`: "backup", "csv"…) on the
/// clinic server; the local app has no audit log and records nothing.
pub(crate) async fn audited(state: &AppState, what: &str) -> Result<(), WebError> {
    if let (Some(c), Some(p)) = (state.clinic(), state.principal()) {
        c.audit_own_export(p, what).await?;
    }
    Ok(())
}

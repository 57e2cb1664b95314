//! The clinic server's records: clinics, accounts and staff, care relationships, invitations,
//! sign-in sessions and pending steps, API tokens, passkeys, recovery codes, rate-limit
//! counters and the audit log. Persistence only: the rules live in `unknot-core`'s
//! `clinic` module and the operations in `unknot-app`. These tables are shared by every
//! account, so the methods take the ids they touch rather than the store's own user.

mod accounts;
mod audit;
mod care;
mod caseload;
mod exercises;
mod limits;
mod programmes;
mod sessions;

use jiff::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::error::StoreError;

/// An instant from a stored millisecond count.
fn instant(ms: i64) -> Result<Timestamp, StoreError> {
    Timestamp::from_millisecond(ms).map_err(|e| StoreError::Time(e.to_string()))
}

/// An optional instant from a nullable column.
fn maybe_instant(row: &AnyRow, col: &str) -> Result<Option<Timestamp>, StoreError> {
    row.try_get::<Option<i64>, _>(col)?.map(instant).transpose()
}

pub use accounts::Holder;
pub(crate) use caseload::Among;
pub use caseload::{CaseListing, CaseRecords, PainPoint, SessionMark};
pub use exercises::LibraryStamp;
pub use limits::Limited;
pub use sessions::StoredPasskey;

//! Care relationships and invitations.

use jiff::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;
use unknot_core::clinic::access::{Care, Role};
use unknot_core::clinic::model::{Account, CareLink, Invitation, InviteKind};

use super::{instant, maybe_instant};
use crate::error::StoreError;
use crate::open::Store;

fn care_status(text: &str) -> Result<Care, StoreError> {
    match text {
        "invited" => Ok(Care::Invited),
        "confirmed" => Ok(Care::Confirmed),
        "revoked" => Ok(Care::Revoked),
        other => Err(StoreError::Corrupt {
            id: "care".into(),
            reason: format!("unknown status '{other}'"),
        }),
    }
}

fn status_id(c: Care) -> &'static str {
    match c {
        Care::Invited => "invited",
        Care::Confirmed => "confirmed",
        Care::Revoked => "revoked",
    }
}

pub(super) fn care(row: &AnyRow) -> Result<CareLink, StoreError> {
    Ok(CareLink {
        id: row.try_get("id")?,
        clinic_id: row.try_get("clinic_id")?,
        patient_id: row.try_get("patient_id")?,
        clinician_id: row.try_get("clinician_id")?,
        status: care_status(&row.try_get::<String, _>("status")?)?,
        created: instant(row.try_get("created_at_ms")?)?,
        changed: instant(row.try_get("changed_at_ms")?)?,
    })
}

const CARE_COLUMNS: &str =
    "id, clinic_id, patient_id, clinician_id, status, created_at_ms, changed_at_ms";

fn invitation(row: &AnyRow) -> Result<Invitation, StoreError> {
    let kind: String = row.try_get("kind")?;
    Ok(Invitation {
        id: row.try_get("id")?,
        token_hash: row.try_get("token_hash")?,
        kind: if kind == "staff" {
            InviteKind::Staff
        } else {
            InviteKind::Patient
        },
        clinic_id: row.try_get("clinic_id")?,
        account_id: row.try_get("account_id")?,
        care_id: row.try_get("care_id")?,
        role: row
            .try_get::<Option<String>, _>("role")?
            .as_deref()
            .and_then(Role::parse),
        created_by: row.try_get("created_by")?,
        created: instant(row.try_get("created_at_ms")?)?,
        expires: instant(row.try_get("expires_at_ms")?)?,
        used: maybe_instant(row, "used_at_ms")?,
    })
}

/// Inserts an invitation inside a transaction, retiring any earlier unused one for the same
/// account: only the newest link works.
pub(crate) async fn insert_invitation_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    i: &Invitation,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM invitations WHERE account_id = $1 AND used_at_ms IS NULL")
        .bind(&i.account_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO invitations (id, token_hash, kind, clinic_id, account_id, care_id, role, \
         created_by, created_at_ms, expires_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&i.id)
    .bind(&i.token_hash)
    .bind(match i.kind {
        InviteKind::Patient => "patient",
        InviteKind::Staff => "staff",
    })
    .bind(&i.clinic_id)
    .bind(&i.account_id)
    .bind(&i.care_id)
    .bind(i.role.map(Role::id))
    .bind(&i.created_by)
    .bind(i.created.as_millisecond())
    .bind(i.expires.as_millisecond())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// Invites a patient: their (credential-less) account, the care relationship as invited,
    /// and the invitation, all or nothing.
    pub async fn invite_patient(
        &self,
        patient: &Account,
        care: &CareLink,
        invitation: &Invitation,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        super::accounts::insert_account_in(&mut tx, patient).await?;
        insert_care_in(&mut tx, care).await?;
        insert_invitation_in(&mut tx, invitation).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds a care relationship on its own (an existing patient invited by another clinic).
    pub async fn insert_care(&self, care: &CareLink) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        insert_care_in(&mut tx, care).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Stores an invitation (a new link for someone already invited replaces the old one).
    pub async fn insert_invitation(&self, i: &Invitation) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        insert_invitation_in(&mut tx, i).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The invitation a token's hash names.
    pub async fn invitation(&self, token_hash: &str) -> Result<Option<Invitation>, StoreError> {
        let row = sqlx::query("SELECT * FROM invitations WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(invitation).transpose()
    }

    /// Marks an invitation used, once: true when this call used it, false when it was already
    /// used (two tabs, or a replayed link).
    pub async fn use_invitation(&self, id: &str, at: Timestamp) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE invitations SET used_at_ms = $1 WHERE id = $2 AND used_at_ms IS NULL",
        )
        .bind(at.as_millisecond())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// One care relationship.
    pub async fn care(&self, id: &str) -> Result<Option<CareLink>, StoreError> {
        let sql = format!("SELECT {CARE_COLUMNS} FROM care WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(care).transpose()
    }

    /// A patient's care relationships, newest first.
    pub async fn care_of(&self, patient_id: &str) -> Result<Vec<CareLink>, StoreError> {
        let sql = format!(
            "SELECT {CARE_COLUMNS} FROM care WHERE patient_id = $1 ORDER BY created_at_ms DESC, id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(patient_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(care).collect()
    }

    /// The care relationship between a clinic and a patient (the newest, if several).
    pub async fn care_between(
        &self,
        clinic_id: &str,
        patient_id: &str,
    ) -> Result<Option<CareLink>, StoreError> {
        Ok(self
            .care_of(patient_id)
            .await?
            .into_iter()
            .find(|c| c.clinic_id == clinic_id))
    }

    /// Changes a care relationship's status (and, with `clinician`, who is named).
    pub async fn set_care(
        &self,
        id: &str,
        status: Care,
        clinician: Option<&str>,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE care SET status = $1, clinician_id = COALESCE($2, clinician_id), \
             changed_at_ms = $3 WHERE id = $4",
        )
        .bind(status_id(status))
        .bind(clinician)
        .bind(at.as_millisecond())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Moves a clinic's care relationship from the account made for an invitation (which never
    /// signed up) to an account that already exists, and removes the unused one: an existing
    /// patient joining another clinic keeps one journal. All or nothing.
    pub async fn adopt_care(
        &self,
        care_id: &str,
        placeholder: &str,
        patient: &str,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "UPDATE care SET patient_id = $1, status = 'confirmed', changed_at_ms = $2              WHERE id = $3 AND patient_id = $4",
        )
        .bind(patient)
        .bind(at.as_millisecond())
        .bind(care_id)
        .bind(placeholder)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM invitations WHERE account_id = $1")
            .bind(placeholder)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM users WHERE id = $1")
            .bind(placeholder)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes the care rows of erased patients whose retention period has ended, with the
    /// programmes, messages and schedules the clinic kept about them; returns how many care rows
    /// went.
    pub async fn purge_retained(&self, now: Timestamp) -> Result<u64, StoreError> {
        self.purge_retained_work(now).await?;
        let done = sqlx::query(
            "DELETE FROM care WHERE retain_until_ms IS NOT NULL AND retain_until_ms < $1",
        )
        .bind(now.as_millisecond())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    /// A clinic's patients (invited, confirmed or revoked), with their accounts, by name.
    pub async fn patients_of(
        &self,
        clinic_id: &str,
    ) -> Result<Vec<(CareLink, Account)>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{PATIENT_ROWS} WHERE c.clinic_id = $1 ORDER BY a.display_name, c.id"
        )))
        .bind(clinic_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(patient_row).collect()
    }

    /// One patient's care relationships with a clinic (any status), with their account: the
    /// rows of [`Store::patients_of`] for that patient alone.
    pub async fn patient_links(
        &self,
        clinic_id: &str,
        patient_id: &str,
    ) -> Result<Vec<(CareLink, Account)>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{PATIENT_ROWS} WHERE c.clinic_id = $1 AND c.patient_id = $2 ORDER BY c.id"
        )))
        .bind(clinic_id)
        .bind(patient_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(patient_row).collect()
    }
}

/// A care relationship and its patient's account.
const PATIENT_ROWS: &str = "SELECT c.id, c.clinic_id, c.patient_id, c.clinician_id, c.status, \
    c.created_at_ms, c.changed_at_ms, a.email, a.display_name, a.birth_year, a.password_hash, \
    a.password_changed_at_ms, a.totp_secret, a.totp_enabled, \
    a.created_at_ms AS account_created, a.erased_at_ms \
    FROM care c JOIN accounts a ON a.id = c.patient_id";

fn patient_row(r: &sqlx::any::AnyRow) -> Result<(CareLink, Account), StoreError> {
    let link = care(r)?;
    let account = Account {
        id: link.patient_id.clone(),
        email: r.try_get("email")?,
        display_name: r.try_get("display_name")?,
        birth_year: r
            .try_get::<Option<i64>, _>("birth_year")?
            .and_then(|y| i32::try_from(y).ok()),
        password_hash: r.try_get("password_hash")?,
        password_changed: maybe_instant(r, "password_changed_at_ms")?,
        totp_secret: None,
        totp_enabled: r.try_get::<i64, _>("totp_enabled")? != 0,
        created: instant(r.try_get("account_created")?)?,
        erased: maybe_instant(r, "erased_at_ms")?,
    };
    Ok((link, account))
}

async fn insert_care_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    c: &CareLink,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO care (id, clinic_id, patient_id, clinician_id, status, created_at_ms, \
         changed_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&c.id)
    .bind(&c.clinic_id)
    .bind(&c.patient_id)
    .bind(&c.clinician_id)
    .bind(status_id(c.status))
    .bind(c.created.as_millisecond())
    .bind(c.changed.as_millisecond())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

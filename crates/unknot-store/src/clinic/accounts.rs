//! Clinics, accounts and staff memberships.

use jiff::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;
use unknot_core::clinic::access::Role;
use unknot_core::clinic::model::{Account, ApiToken, AuthSession, Clinic, Membership};
use unknot_core::settings::Settings;

use super::sessions::{session_named, token_named};
use super::{instant, maybe_instant};
use crate::error::StoreError;
use crate::open::Store;
use crate::plans::from_json;

const ACCOUNT_COLUMNS: &str = "id, email, display_name, birth_year, password_hash, \
    password_changed_at_ms, totp_secret, totp_enabled, created_at_ms, erased_at_ms";

/// The account columns as read through the alias `alias` (`a.id, a.email, …`), for joins.
fn account_columns_of(alias: &str) -> String {
    ACCOUNT_COLUMNS
        .split(", ")
        .map(|c| format!("{alias}.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn account(row: &AnyRow) -> Result<Account, StoreError> {
    Ok(Account {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        display_name: row.try_get("display_name")?,
        birth_year: row
            .try_get::<Option<i64>, _>("birth_year")?
            .and_then(|y| i32::try_from(y).ok()),
        password_hash: row.try_get("password_hash")?,
        password_changed: maybe_instant(row, "password_changed_at_ms")?,
        totp_secret: row.try_get("totp_secret")?,
        totp_enabled: row.try_get::<i64, _>("totp_enabled")? != 0,
        created: instant(row.try_get("created_at_ms")?)?,
        erased: maybe_instant(row, "erased_at_ms")?,
    })
}

/// The account of the first row, with the memberships of every row (`member_of`, `member_as`;
/// a row without one is an account in no clinic).
fn with_memberships(rows: &[AnyRow]) -> Result<Option<(Account, Vec<Membership>)>, StoreError> {
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let found = account(first)?;
    let mut memberships = Vec::new();
    for r in rows {
        let (Some(clinic_id), Some(role)) = (
            r.try_get::<Option<String>, _>("member_of")?,
            r.try_get::<Option<String>, _>("member_as")?,
        ) else {
            continue;
        };
        memberships.push(Membership {
            clinic_id,
            account_id: found.id.clone(),
            role: role_of(&role)?,
        });
    }
    Ok(Some((found, memberships)))
}

/// An API token's columns, as `Store::with_holder` reads them.
const TOKEN_COLUMNS: &[&str] = &[
    "id",
    "token_hash",
    "account_id",
    "name",
    "scopes",
    "created_at_ms",
    "last_used_ms",
    "revoked_at_ms",
];

/// A sign-in session's columns, as `Store::with_holder` reads them.
const SESSION_COLUMNS: &[&str] = &[
    "id_hash",
    "account_id",
    "created_at_ms",
    "last_seen_ms",
    "expires_at_ms",
    "second_factor",
    "csrf",
    "address",
    "agent",
];

/// The holder `Store::with_holder` read: `None` when the account is gone (erased while a
/// session or token was still held).
fn holder_of(rows: &[AnyRow]) -> Result<Option<Holder>, StoreError> {
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    if first.try_get::<Option<String>, _>("id")?.is_none() {
        return Ok(None);
    }
    // Settings that do not read (written by a newer release, say) must not stop the person
    // signing in: they are left out, and the use cases that need them read them, and report
    // the error, as they would without this join.
    let settings = match first.try_get::<Option<String>, _>("settings_body")? {
        Some(body) => from_json("settings", &body).ok(),
        None => Some(Settings::default()),
    };
    Ok(
        with_memberships(rows)?.map(|(account, memberships)| Holder {
            account,
            memberships,
            settings,
        }),
    )
}

/// The holder of an API token or a session, as one statement reads it.
#[derive(Debug, Clone)]
pub struct Holder {
    /// The account.
    pub account: Account,
    /// Its staff memberships, by clinic.
    pub memberships: Vec<Membership>,
    /// Its saved settings (the defaults when it saved none; `None` when the stored ones do not
    /// read).
    pub settings: Option<Settings>,
}

fn clinic(row: &AnyRow) -> Result<Clinic, StoreError> {
    Ok(Clinic {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        created: instant(row.try_get("created_at_ms")?)?,
        retention_days: u32::try_from(row.try_get::<i64, _>("retention_days")?).unwrap_or(0),
    })
}

/// Inserts an account (and the user row its journal hangs from) inside a transaction.
pub(crate) async fn insert_account_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    a: &Account,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO users (id, display_name, created_at_ms) VALUES ($1, $2, $3)")
        .bind(&a.id)
        .bind(&a.display_name)
        .bind(a.created.as_millisecond())
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO accounts (id, email, display_name, birth_year, password_hash, \
         password_changed_at_ms, totp_secret, totp_enabled, created_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&a.id)
    .bind(&a.email)
    .bind(&a.display_name)
    .bind(a.birth_year.map(i64::from))
    .bind(&a.password_hash)
    .bind(a.password_changed.map(|t| t.as_millisecond()))
    .bind(&a.totp_secret)
    .bind(i64::from(a.totp_enabled))
    .bind(a.created.as_millisecond())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// Makes a clinic, its owner's account and membership, and the owner's set-up invitation,
    /// all or nothing.
    pub async fn create_clinic(
        &self,
        clinic: &Clinic,
        owner: &Account,
        setup: &unknot_core::clinic::model::Invitation,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "INSERT INTO clinics (id, name, created_at_ms, retention_days) VALUES ($1, $2, $3, $4)",
        )
        .bind(&clinic.id)
        .bind(&clinic.name)
        .bind(clinic.created.as_millisecond())
        .bind(i64::from(clinic.retention_days))
        .execute(&mut *tx)
        .await?;
        insert_account_in(&mut tx, owner).await?;
        insert_membership_in(&mut tx, &clinic.id, &owner.id, Role::Owner, clinic.created).await?;
        super::care::insert_invitation_in(&mut tx, setup).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every clinic, oldest first.
    pub async fn clinics(&self) -> Result<Vec<Clinic>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, name, created_at_ms, retention_days FROM clinics ORDER BY created_at_ms, id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(clinic).collect()
    }

    /// One clinic.
    pub async fn clinic(&self, id: &str) -> Result<Option<Clinic>, StoreError> {
        let row = sqlx::query(
            "SELECT id, name, created_at_ms, retention_days FROM clinics WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(clinic).transpose()
    }

    /// One account by id.
    pub async fn account(&self, id: &str) -> Result<Option<Account>, StoreError> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(account).transpose()
    }

    /// An API token (revoked ones included: the caller checks) and, when its account is still
    /// there, the account with its memberships and saved settings, in one statement: every
    /// request made with a token needs them all, and the settings then need not be read again
    /// (see `unknot_app::one_request`).
    pub async fn api_token_holder(
        &self,
        hash: &str,
    ) -> Result<Option<(ApiToken, Option<Holder>)>, StoreError> {
        let rows = self
            .with_holder(TOKEN_COLUMNS, "api_tokens", "token_hash", hash)
            .await?;
        let Some(first) = rows.first() else {
            return Ok(None);
        };
        Ok(Some((token_named(first, "h_")?, holder_of(&rows)?)))
    }

    /// A sign-in session and, when its account is still there, the account with its
    /// memberships and saved settings, in one statement (as [`Store::api_token_holder`]).
    pub async fn session_holder(
        &self,
        id_hash: &str,
    ) -> Result<Option<(AuthSession, Option<Holder>)>, StoreError> {
        let rows = self
            .with_holder(SESSION_COLUMNS, "auth_sessions", "id_hash", id_hash)
            .await?;
        let Some(first) = rows.first() else {
            return Ok(None);
        };
        Ok(Some((session_named(first, "h_")?, holder_of(&rows)?)))
    }

    /// The row of `table` whose `key` is `value`, its `columns` read as `h_…`, with its
    /// holder's account, memberships (one row each) and settings.
    async fn with_holder(
        &self,
        columns: &[&str],
        table: &str,
        key: &str,
        value: &str,
    ) -> Result<Vec<AnyRow>, StoreError> {
        let head: Vec<String> = columns.iter().map(|c| format!("h.{c} AS h_{c}")).collect();
        // Built from this module's constants only: no input reaches the text.
        let sql = format!(
            "SELECT {}, {}, m.clinic_id AS member_of, m.role AS member_as, \
             st.body AS settings_body FROM {table} h \
             LEFT JOIN accounts a ON a.id = h.account_id \
             LEFT JOIN memberships m ON m.account_id = a.id \
             LEFT JOIN settings st ON st.user_id = a.id \
             WHERE h.{key} = $1 ORDER BY m.clinic_id",
            head.join(", "),
            account_columns_of("a")
        );
        Ok(sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(value)
            .fetch_all(&self.pool)
            .await?)
    }

    /// One account by email (lower case).
    pub async fn account_by_email(&self, email: &str) -> Result<Option<Account>, StoreError> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE email = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(email)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(account).transpose()
    }

    /// Makes an account on its own (a patient being invited, a member of staff).
    pub async fn insert_account(&self, a: &Account) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        insert_account_in(&mut tx, a).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets a new password hash and ends every session of the account, in one transaction.
    pub async fn set_password(
        &self,
        account_id: &str,
        hash: &str,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "UPDATE accounts SET password_hash = $1, password_changed_at_ms = $2 WHERE id = $3",
        )
        .bind(hash)
        .bind(at.as_millisecond())
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM auth_sessions WHERE account_id = $1")
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Stores a TOTP secret, and whether it is confirmed and in use.
    pub async fn set_totp(
        &self,
        account_id: &str,
        secret: Option<&str>,
        enabled: bool,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE accounts SET totp_secret = $1, totp_enabled = $2 WHERE id = $3")
            .bind(secret)
            .bind(i64::from(enabled))
            .bind(account_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Accepts a TOTP time step once: true when `step` is later than the last one accepted (and
    /// records it), false for a code already used.
    pub async fn use_totp_step(&self, account_id: &str, step: i64) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE accounts SET totp_last_step = $1 WHERE id = $2 \
             AND (totp_last_step IS NULL OR totp_last_step < $1)",
        )
        .bind(step)
        .bind(account_id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Sets the sign-in name of an account that has none yet: false when it has one already
    /// (a sign-in name taken by another account is refused by the unique index).
    pub async fn set_login(&self, account_id: &str, login: &str) -> Result<bool, StoreError> {
        let done = sqlx::query("UPDATE accounts SET email = $1 WHERE id = $2 AND email IS NULL")
            .bind(login)
            .bind(account_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Changes the name (and birth year) the clinic shows.
    pub async fn rename_account(
        &self,
        account_id: &str,
        display_name: &str,
        birth_year: Option<i32>,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE accounts SET display_name = $1, birth_year = $2 WHERE id = $3")
            .bind(display_name)
            .bind(birth_year.map(i64::from))
            .bind(account_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Erases an account: its journal and everything it signs in with go (the user row and all
    /// that hangs from it), and its care relationships are ended and marked to be kept by each
    /// clinic until `retain_until` (a clinic's own records about the patient). The audit log is
    /// kept as it is. All or nothing.
    pub async fn erase_account(
        &self,
        account_id: &str,
        at: Timestamp,
        retain_until: &[(String, Timestamp)],
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        for (clinic, until) in retain_until {
            sqlx::query(
                "UPDATE care SET status = 'revoked', changed_at_ms = $1, retain_until_ms = $2 \
                 WHERE patient_id = $3 AND clinic_id = $4",
            )
            .bind(at.as_millisecond())
            .bind(until.as_millisecond())
            .bind(account_id)
            .bind(clinic)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("DELETE FROM invitations WHERE account_id = $1")
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM users WHERE id = $1")
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds a member of staff (or changes their role).
    pub async fn set_membership(
        &self,
        clinic_id: &str,
        account_id: &str,
        role: Role,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        sqlx::query("DELETE FROM memberships WHERE clinic_id = $1 AND account_id = $2")
            .bind(clinic_id)
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
        insert_membership_in(&mut tx, clinic_id, account_id, role, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The clinics an account works in, with its role in each.
    pub async fn memberships_of(&self, account_id: &str) -> Result<Vec<Membership>, StoreError> {
        let rows = sqlx::query(
            "SELECT clinic_id, account_id, role FROM memberships WHERE account_id = $1 \
             ORDER BY clinic_id",
        )
        .bind(account_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(membership).collect()
    }

    /// A clinic's staff, with their accounts.
    pub async fn staff_of(
        &self,
        clinic_id: &str,
    ) -> Result<Vec<(Membership, Account)>, StoreError> {
        let sql = format!(
            "SELECT m.clinic_id, m.account_id, m.role, {} FROM memberships m \
             JOIN accounts a ON a.id = m.account_id WHERE m.clinic_id = $1 ORDER BY a.display_name",
            account_columns_of("a")
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(clinic_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((membership(r)?, account(r)?)))
            .collect()
    }
}

fn membership(row: &AnyRow) -> Result<Membership, StoreError> {
    let role: String = row.try_get("role")?;
    Ok(Membership {
        clinic_id: row.try_get("clinic_id")?,
        account_id: row.try_get("account_id")?,
        role: role_of(&role)?,
    })
}

/// A stored role; an unknown one is a corrupt record.
fn role_of(role: &str) -> Result<Role, StoreError> {
    Role::parse(role).ok_or_else(|| StoreError::Corrupt {
        id: "membership".into(),
        reason: format!("unknown role '{role}'"),
    })
}

async fn insert_membership_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    clinic_id: &str,
    account_id: &str,
    role: Role,
    at: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO memberships (clinic_id, account_id, role, created_at_ms) VALUES ($1, $2, $3, $4)",
    )
    .bind(clinic_id)
    .bind(account_id)
    .bind(role.id())
    .bind(at.as_millisecond())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

//! Signing in: sessions, unfinished steps, API tokens, passkeys and recovery codes. Every
//! token and session id arrives here already hashed.

use jiff::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;
use unknot_core::clinic::model::{ApiToken, AuthSession};

use super::{instant, maybe_instant};
use crate::error::StoreError;
use crate::open::Store;

fn session(row: &AnyRow) -> Result<AuthSession, StoreError> {
    session_named(row, "")
}

/// A session from columns whose names start with `prefix` (see [`token_named`]).
pub(crate) fn session_named(row: &AnyRow, prefix: &str) -> Result<AuthSession, StoreError> {
    let col = |c: &str| format!("{prefix}{c}");
    Ok(AuthSession {
        id_hash: row.try_get(col("id_hash").as_str())?,
        account_id: row.try_get(col("account_id").as_str())?,
        created: instant(row.try_get(col("created_at_ms").as_str())?)?,
        last_seen: instant(row.try_get(col("last_seen_ms").as_str())?)?,
        expires: instant(row.try_get(col("expires_at_ms").as_str())?)?,
        second_factor: row.try_get::<i64, _>(col("second_factor").as_str())? != 0,
        csrf: row.try_get(col("csrf").as_str())?,
        address: row.try_get(col("address").as_str())?,
        agent: row.try_get(col("agent").as_str())?,
    })
}

fn token(row: &AnyRow) -> Result<ApiToken, StoreError> {
    token_named(row, "")
}

/// A token from columns whose names start with `prefix` (`h_id`, `h_scopes`… in a join whose
/// other tables have an `id` and a `created_at_ms` of their own).
pub(crate) fn token_named(row: &AnyRow, prefix: &str) -> Result<ApiToken, StoreError> {
    let col = |c: &str| format!("{prefix}{c}");
    Ok(ApiToken {
        id: row.try_get(col("id").as_str())?,
        token_hash: row.try_get(col("token_hash").as_str())?,
        account_id: row.try_get(col("account_id").as_str())?,
        name: row.try_get(col("name").as_str())?,
        scopes: row
            .try_get::<String, _>(col("scopes").as_str())?
            .split_whitespace()
            .map(String::from)
            .collect(),
        created: instant(row.try_get(col("created_at_ms").as_str())?)?,
        last_used: maybe_instant(row, &col("last_used_ms"))?,
        revoked: maybe_instant(row, &col("revoked_at_ms"))?,
    })
}

/// A passkey as stored: its id, name and the credential (webauthn's own serialised form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPasskey {
    /// Stable id.
    pub id: String,
    /// Whose.
    pub account_id: String,
    /// A name its owner gave it.
    pub name: String,
    /// The credential, as the webauthn library serialises it.
    pub credential: String,
    /// When it was added.
    pub created: Timestamp,
}

impl Store {
    /// Stores a new session.
    pub async fn insert_session(&self, s: &AuthSession) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO auth_sessions (id_hash, account_id, created_at_ms, last_seen_ms, \
             expires_at_ms, second_factor, csrf, address, agent) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&s.id_hash)
        .bind(&s.account_id)
        .bind(s.created.as_millisecond())
        .bind(s.last_seen.as_millisecond())
        .bind(s.expires.as_millisecond())
        .bind(i64::from(s.second_factor))
        .bind(&s.csrf)
        .bind(&s.address)
        .bind(&s.agent)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The session an id's hash names.
    pub async fn session_by_hash(&self, id_hash: &str) -> Result<Option<AuthSession>, StoreError> {
        let row = sqlx::query("SELECT * FROM auth_sessions WHERE id_hash = $1")
            .bind(id_hash)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(session).transpose()
    }

    /// Records a session's latest request (for the idle timeout).
    pub async fn touch_session(&self, id_hash: &str, at: Timestamp) -> Result<(), StoreError> {
        sqlx::query("UPDATE auth_sessions SET last_seen_ms = $1 WHERE id_hash = $2")
            .bind(at.as_millisecond())
            .bind(id_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Marks a session as having passed the second factor.
    pub async fn pass_second_factor(&self, id_hash: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE auth_sessions SET second_factor = 1 WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Ends one session of an account (true when there was one).
    pub async fn delete_session(
        &self,
        account_id: &str,
        id_hash: &str,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM auth_sessions WHERE id_hash = $1 AND account_id = $2")
            .bind(id_hash)
            .bind(account_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Ends every session of an account but `keep` (when given).
    pub async fn delete_sessions_of(
        &self,
        account_id: &str,
        keep: Option<&str>,
    ) -> Result<u64, StoreError> {
        let done = sqlx::query(
            "DELETE FROM auth_sessions WHERE account_id = $1 AND id_hash <> COALESCE($2, '')",
        )
        .bind(account_id)
        .bind(keep)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    /// An account's sessions, newest first.
    pub async fn sessions_of(&self, account_id: &str) -> Result<Vec<AuthSession>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM auth_sessions WHERE account_id = $1 ORDER BY created_at_ms DESC",
        )
        .bind(account_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(session).collect()
    }

    /// Keeps an unfinished step (a passkey challenge, a second factor still to come).
    pub async fn put_pending(
        &self,
        id_hash: &str,
        account_id: Option<&str>,
        purpose: &str,
        body: &str,
        expires: Timestamp,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO auth_pending (id_hash, account_id, purpose, body, expires_at_ms) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id_hash)
        .bind(account_id)
        .bind(purpose)
        .bind(body)
        .bind(expires.as_millisecond())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Takes an unfinished step for `purpose`, once (it is deleted), if it has not expired.
    pub async fn take_pending(
        &self,
        id_hash: &str,
        purpose: &str,
        now: Timestamp,
    ) -> Result<Option<(Option<String>, String)>, StoreError> {
        let mut tx = self.write_tx().await?;
        let row = sqlx::query(
            "SELECT account_id, body, expires_at_ms FROM auth_pending \
             WHERE id_hash = $1 AND purpose = $2",
        )
        .bind(id_hash)
        .bind(purpose)
        .fetch_optional(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM auth_pending WHERE id_hash = $1 OR expires_at_ms < $2")
            .bind(id_hash)
            .bind(now.as_millisecond())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        let Some(r) = row else {
            return Ok(None);
        };
        if r.try_get::<i64, _>("expires_at_ms")? < now.as_millisecond() {
            return Ok(None);
        }
        Ok(Some((r.try_get("account_id")?, r.try_get("body")?)))
    }

    /// Stores a new API token.
    pub async fn insert_api_token(&self, t: &ApiToken) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO api_tokens (id, token_hash, account_id, name, scopes, created_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&t.id)
        .bind(&t.token_hash)
        .bind(&t.account_id)
        .bind(&t.name)
        .bind(t.scopes.join(" "))
        .bind(t.created.as_millisecond())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// An account's API tokens, newest first.
    pub async fn api_tokens_of(&self, account_id: &str) -> Result<Vec<ApiToken>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM api_tokens WHERE account_id = $1 ORDER BY created_at_ms DESC",
        )
        .bind(account_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(token).collect()
    }

    /// Revokes one of an account's API tokens (true when there was one).
    pub async fn revoke_api_token(
        &self,
        account_id: &str,
        id: &str,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at_ms = $1 WHERE id = $2 AND account_id = $3 \
             AND revoked_at_ms IS NULL",
        )
        .bind(at.as_millisecond())
        .bind(id)
        .bind(account_id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Records a token's use.
    pub async fn touch_api_token(&self, id: &str, at: Timestamp) -> Result<(), StoreError> {
        sqlx::query("UPDATE api_tokens SET last_used_ms = $1 WHERE id = $2")
            .bind(at.as_millisecond())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Stores a passkey, or replaces one with the same id (its signature counter moves on).
    /// False when the id belongs to another account (nothing is changed).
    pub async fn save_passkey(&self, p: &StoredPasskey) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO passkeys (id, account_id, name, credential, created_at_ms) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO UPDATE SET \
             credential = excluded.credential, last_used_ms = excluded.created_at_ms \
             WHERE passkeys.account_id = excluded.account_id",
        )
        .bind(&p.id)
        .bind(&p.account_id)
        .bind(&p.name)
        .bind(&p.credential)
        .bind(p.created.as_millisecond())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Removes one of an account's passkeys: false when it has no such passkey.
    pub async fn delete_passkey(&self, account_id: &str, id: &str) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM passkeys WHERE account_id = $1 AND id = $2")
            .bind(account_id)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// An account's passkeys.
    pub async fn passkeys_of(&self, account_id: &str) -> Result<Vec<StoredPasskey>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, account_id, name, credential, created_at_ms FROM passkeys \
             WHERE account_id = $1 ORDER BY created_at_ms",
        )
        .bind(account_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(StoredPasskey {
                    id: r.try_get("id")?,
                    account_id: r.try_get("account_id")?,
                    name: r.try_get("name")?,
                    credential: r.try_get("credential")?,
                    created: instant(r.try_get("created_at_ms")?)?,
                })
            })
            .collect()
    }

    /// Replaces an account's recovery codes (given as hashes).
    pub async fn set_recovery_codes(
        &self,
        account_id: &str,
        hashes: &[String],
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        sqlx::query("DELETE FROM recovery_codes WHERE account_id = $1")
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
        for h in hashes {
            sqlx::query("INSERT INTO recovery_codes (account_id, code_hash) VALUES ($1, $2)")
                .bind(account_id)
                .bind(h)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Uses a recovery code once: true when it was unused and is now used.
    pub async fn use_recovery_code(
        &self,
        account_id: &str,
        hash: &str,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE recovery_codes SET used_at_ms = $1 WHERE account_id = $2 AND code_hash = $3 \
             AND used_at_ms IS NULL",
        )
        .bind(at.as_millisecond())
        .bind(account_id)
        .bind(hash)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}

//! Making and checking secrets: random tokens for links, sessions and API access (only their
//! hashes are stored), Argon2id for passwords (slow on purpose, run off the async threads), and
//! the password rules (long enough, and not one of the common or guessable ones).

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use unknot_core::InputError;

use crate::{AppError, AppResult};

/// Shortest password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longest password accepted, in characters (longer only costs hashing time).
pub const MAX_PASSWORD_CHARS: usize = 128;

/// A fresh random token of `bytes` random bytes (at least 16: 128 bits), URL-safe.
pub fn random_token(bytes: usize) -> AppResult<String> {
    let mut buf = vec![0u8; bytes.max(16)];
    // Without the system's randomness there is no safe token: fail rather than guess.
    getrandom::fill(&mut buf)
        .map_err(|e| AppError::internal(format!("no system randomness: {e}")))?;
    Ok(data_encoding::BASE64URL_NOPAD.encode(&buf))
}

/// Checks a new password: long enough, not too long, and not common or easily guessed (zxcvbn
/// score 3 or more, which also catches passwords built from the person's own name or email).
pub fn check_password(password: &str, about_them: &[&str]) -> AppResult<()> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(InputError::malformed(
            "password",
            "",
            format!(
                "use at least {MIN_PASSWORD_CHARS} characters (a few words together work well)"
            ),
        )
        .into());
    }
    if n > MAX_PASSWORD_CHARS {
        return Err(InputError::malformed(
            "password",
            "",
            format!("use at most {MAX_PASSWORD_CHARS} characters"),
        )
        .into());
    }
    if built_on_them(password, about_them) {
        return Err(InputError::malformed(
            "password",
            "",
            "this password is built on your own name or email: choose words nobody links to you",
        )
        .into());
    }
    let strength = zxcvbn::zxcvbn(password, about_them);
    if (strength.score() as u8) < 3 {
        return Err(InputError::malformed(
            "password",
            "",
            "this password is too common or too easy to guess: try a few unrelated words",
        )
        .into());
    }
    Ok(())
}

/// True when the password, with the person's own words (name or email parts of three or more
/// letters) taken out, leaves fewer than eight characters: the rest is then too little to guess.
/// zxcvbn weighs these words too, but not always enough to drop below its threshold.
fn built_on_them(password: &str, about_them: &[&str]) -> bool {
    let mut rest = password.to_lowercase();
    for word in about_them {
        let word = word.trim().to_lowercase();
        if word.chars().count() >= 3 {
            rest = rest.replace(&word, "");
        }
    }
    let rest: String = rest.chars().filter(|c| c.is_alphanumeric()).collect();
    rest.chars().count() < 8
}

/// Hashes a password with Argon2id (a fresh salt each time) on a blocking thread.
pub async fn hash_password(password: &str) -> AppResult<String> {
    let password = password.to_string();
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(AppError::internal)
    })
    .await
    .map_err(AppError::internal)?
}

/// True when `password` matches the stored hash; false for any mismatch or a malformed hash.
pub async fn verify_password(password: &str, hash: &str) -> bool {
    let (password, hash) = (password.to_string(), hash.to_string());
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash).is_ok_and(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
    })
    .await
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_long() {
        let (a, b) = (random_token(16).unwrap(), random_token(16).unwrap());
        assert_ne!(a, b);
        assert!(a.len() >= 22);
    }

    #[test]
    fn weak_and_short_passwords_are_refused() {
        assert!(check_password("short", &[]).is_err());
        assert!(check_password("password1234", &[]).is_err());
        assert!(check_password("alexsmith1990alex", &["alex", "smith"]).is_err());
        assert!(check_password("Smith.Alex.Smith.Alex", &["alex", "smith"]).is_err());
        assert!(check_password("copper kettle under lantern", &[]).is_ok());
        assert!(check_password("copper kettle under lantern", &["alex", "smith"]).is_ok());
    }

    #[tokio::test]
    async fn hashes_verify_and_differ() {
        let h = hash_password("copper kettle under lantern").await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("copper kettle under lantern", &h).await);
        assert!(!verify_password("copper kettle under lanterns", &h).await);
        assert!(!verify_password("x", "not a hash").await);
    }
}

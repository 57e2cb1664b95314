//! Secrets at rest: tokens (invitations, sessions, API tokens, recovery codes) are stored only
//! as their SHA-256, so a copy of the database lets nobody sign in. The tokens themselves are
//! random (128 bits or more, made by the caller), so a fast hash is enough; passwords, which
//! people choose, are hashed slowly elsewhere (Argon2id in the application layer).

use sha2::{Digest, Sha256};

/// The stored form of a token: its SHA-256, as lower-case hex.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.trim().as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Compares two equal-length strings in time that does not depend on where they differ.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_stable_and_distinct() {
        assert_eq!(token_hash("abc"), token_hash(" abc "));
        assert_ne!(token_hash("abc"), token_hash("abd"));
        assert_eq!(token_hash("abc").len(), 64);
        assert!(same("abc", "abc") && !same("abc", "abd") && !same("abc", "ab"));
    }
}

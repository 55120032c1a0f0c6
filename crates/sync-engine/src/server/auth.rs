//! Admin authentication: the bearer token of the admin API.
//!
//! The comparison hashes both sides with SHA-256 and compares the digests
//! in constant time, so neither the token's content nor its length leaks
//! through timing.

use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use sha2::{Digest, Sha256};

use super::config::Secret;

/// Constant-time equality of two strings (over their SHA-256 digests).
pub(crate) fn same_secret(given: &str, expected: &str) -> bool {
    let a = Sha256::digest(given.as_bytes());
    let b = Sha256::digest(expected.as_bytes());
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

/// Whether the request carries `Authorization: Bearer <token>`.
pub(crate) fn has_bearer(headers: &HeaderMap, token: &Secret) -> bool {
    headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .is_some_and(|given| same_secret(given.trim(), token.expose()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparison_needs_the_exact_token() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("ab", "abc"));
        assert!(!same_secret("", "abc"));
    }
}

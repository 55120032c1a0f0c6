//! Admin authentication: the bearer token of the admin API, and the
//! settings page's session cookie and CSRF token derived from it.
//!
//! Every comparison hashes both sides with SHA-256 and compares the digests
//! in constant time, so neither the token's content nor its length leaks
//! through timing. The session cookie holds a value *derived* from the token
//! (never the token itself): rotating the admin token ends every session.

use axum::http::HeaderMap;
use axum::http::header::{AUTHORIZATION, COOKIE};
use sha2::{Digest, Sha256};

use super::config::Secret;

/// The settings page's session cookie.
pub(crate) const SESSION_COOKIE: &str = "aspect_admin";

fn derive(token: &Secret, purpose: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(b"aspect-server/");
    hash.update(purpose.as_bytes());
    hash.update(b"/");
    hash.update(token.expose().as_bytes());
    hex::encode(hash.finalize())
}

/// The session cookie's value for this admin token.
pub(crate) fn session_value(token: &Secret) -> String {
    derive(token, "session")
}

/// The CSRF token the settings page's forms carry.
pub(crate) fn csrf_value(token: &Secret) -> String {
    derive(token, "csrf")
}

/// Whether the request carries a valid session cookie.
pub(crate) fn has_session(headers: &HeaderMap, token: &Secret) -> bool {
    let expected = session_value(token);
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .any(|(name, value)| name == SESSION_COOKIE && same_secret(value, &expected))
}

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

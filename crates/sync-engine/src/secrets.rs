//! Encryption at rest for the secrets the engine keeps in its store: ATS
//! credentials, OAuth tokens and webhook signing secrets.
//!
//! A [`SecretBox`] seals values with XChaCha20-Poly1305 (RustCrypto's
//! `chacha20poly1305`, an AEAD: confidentiality and integrity) under a
//! 256-bit key from configuration, with a fresh random 24-byte nonce per
//! value (XChaCha's nonce is long enough for random nonces to be safe).
//! The record a value belongs to (its kind and key, e.g. `lever_tokens` and
//! the tenant id) is bound as associated data, so a ciphertext copied into
//! another tenant's record does not decrypt.
//!
//! ## Keys and rotation
//! Keys are configured as `id:base64` pairs, the *current* key first:
//! `SecretBox::from_config("k2:BASE64,k1:BASE64")`. Every sealed value
//! names the id of the key that sealed it, so after a rotation values
//! sealed with an older key still open while new values use the current
//! one; [`SecretBox::reencrypt`] moves an old value to the current key.
//! To rotate: generate a key ([`SecretBox::generate_key`]), put it first,
//! keep the old ones after it until every value was re-sealed (the
//! connection module does so when it rewrites a record, and
//! `Connections::reencrypt_all` does so for all), then drop them.
//!
//! Key bytes never appear in `Debug`, `Display` or errors.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use crate::error::{Error, Result};

/// Version tag of the sealed format: `v1.<key id>.<base64url(nonce ‖ ciphertext)>`.
const FORMAT: &str = "v1";
const NONCE_LEN: usize = 24;
const KEY_LEN: usize = 32;

/// One named key.
struct NamedKey {
    id: String,
    cipher: XChaCha20Poly1305,
}

/// Seals and opens secrets with a current key and older keys kept for
/// reading (see the module docs). Cheap to clone is not needed: share it
/// behind an `Arc` or give each owner its own from the same configuration.
pub struct SecretBox {
    /// The current key first, then the older ones.
    keys: Vec<NamedKey>,
}

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Key ids only: never the key bytes.
        f.debug_struct("SecretBox")
            .field("current", &self.current_key_id())
            .field(
                "older",
                &self.keys[1..].iter().map(|k| &k.id).collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl SecretBox {
    /// A box whose current key is `key` (32 bytes) named `id` (1–32 ASCII
    /// letters, digits, `-` or `_`).
    pub fn new(id: &str, key: &[u8]) -> Result<Self> {
        Ok(Self {
            keys: vec![named_key(id, key)?],
        })
    }

    /// Adds an older key, used only to open values it sealed.
    pub fn with_old_key(mut self, id: &str, key: &[u8]) -> Result<Self> {
        let key = named_key(id, key)?;
        if self.keys.iter().any(|k| k.id == key.id) {
            return Err(Error::Secret(format!("key id `{id}` is configured twice")));
        }
        self.keys.push(key);
        Ok(self)
    }

    /// Reads keys from configuration: comma-separated `id:base64` pairs
    /// (standard or URL-safe base64 of 32 bytes), the current key first.
    /// Errors name the offending key id or position, never the key.
    pub fn from_config(spec: &str) -> Result<Self> {
        let mut entries = spec.split(',').map(str::trim).filter(|e| !e.is_empty());
        let first = entries
            .next()
            .ok_or_else(|| Error::Secret("no encryption key configured".into()))?;
        let (id, key) = parse_entry(first, 1)?;
        let mut secrets = Self::new(id, &key)?;
        for (i, entry) in entries.enumerate() {
            let (id, key) = parse_entry(entry, i + 2)?;
            secrets = secrets.with_old_key(id, &key)?;
        }
        Ok(secrets)
    }

    /// A new random key, base64-encoded, for the configuration.
    pub fn generate_key() -> Result<String> {
        Ok(STANDARD.encode(random_bytes::<KEY_LEN>()?))
    }

    /// The id of the key new values are sealed with.
    pub fn current_key_id(&self) -> &str {
        &self.keys[0].id
    }

    /// Seals `plaintext` for the record (`kind`, `key`) with the current key.
    pub fn seal(&self, kind: &str, key: &str, plaintext: &[u8]) -> Result<String> {
        let current = &self.keys[0];
        let nonce = random_bytes::<NONCE_LEN>()?;
        let aad = associated_data(kind, key, &current.id);
        let sealed = current
            .cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad: &aad,
                },
            )
            .map_err(|_| Error::Secret("encryption failed".into()))?;
        let mut blob = nonce.to_vec();
        blob.extend_from_slice(&sealed);
        Ok(format!(
            "{FORMAT}.{}.{}",
            current.id,
            URL_SAFE_NO_PAD.encode(blob)
        ))
    }

    /// Opens a value sealed for the record (`kind`, `key`) by any known
    /// key. Fails when the key is unknown, the value was changed, or it was
    /// sealed for another record.
    pub fn open(&self, kind: &str, key: &str, sealed: &str) -> Result<Vec<u8>> {
        let (id, blob) = split_sealed(sealed)?;
        let named = self
            .keys
            .iter()
            .find(|k| k.id == id)
            .ok_or_else(|| Error::Secret(format!("no configured key has id `{id}`")))?;
        if blob.len() <= NONCE_LEN {
            return Err(Error::Secret("sealed value is truncated".into()));
        }
        let (nonce, ciphertext) = blob.split_at(NONCE_LEN);
        named
            .cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: &associated_data(kind, key, id),
                },
            )
            .map_err(|_| {
                Error::Secret(format!(
                    "a stored {kind} secret does not decrypt (tampered, moved, or sealed by another key `{id}`)"
                ))
            })
    }

    /// [`seal`](Self::seal) for text.
    pub fn seal_str(&self, kind: &str, key: &str, plaintext: &str) -> Result<String> {
        self.seal(kind, key, plaintext.as_bytes())
    }

    /// [`open`](Self::open) for text.
    pub fn open_str(&self, kind: &str, key: &str, sealed: &str) -> Result<String> {
        String::from_utf8(self.open(kind, key, sealed)?)
            .map_err(|_| Error::Secret(format!("a stored {kind} secret is not text")))
    }

    /// Whether `sealed` was sealed with the current key.
    pub fn is_current(&self, sealed: &str) -> bool {
        split_sealed(sealed).is_ok_and(|(id, _)| id == self.current_key_id())
    }

    /// Re-seals a value under the current key: `Some(new)` when it was
    /// sealed with an older key, `None` when it is already current.
    pub fn reencrypt(&self, kind: &str, key: &str, sealed: &str) -> Result<Option<String>> {
        if self.is_current(sealed) {
            // Still checked: a tampered value must not pass as current.
            self.open(kind, key, sealed)?;
            return Ok(None);
        }
        let plain = self.open(kind, key, sealed)?;
        self.seal(kind, key, &plain).map(Some)
    }
}

fn named_key(id: &str, key: &[u8]) -> Result<NamedKey> {
    let valid_id = !id.is_empty()
        && id.len() <= 32
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !valid_id {
        return Err(Error::Secret(
            "a key id must be 1-32 ASCII letters, digits, `-` or `_`".into(),
        ));
    }
    if key.len() != KEY_LEN {
        return Err(Error::Secret(format!(
            "key `{id}` must be {KEY_LEN} bytes, not {}",
            key.len()
        )));
    }
    let cipher = XChaCha20Poly1305::new_from_slice(key)
        .map_err(|_| Error::Secret(format!("key `{id}` is not a valid key")))?;
    Ok(NamedKey {
        id: id.to_owned(),
        cipher,
    })
}

fn parse_entry(entry: &str, position: usize) -> Result<(&str, Vec<u8>)> {
    let (id, encoded) = entry.split_once(':').ok_or_else(|| {
        Error::Secret(format!(
            "encryption key #{position} must look like `id:base64`"
        ))
    })?;
    let id = id.trim();
    let encoded = encoded.trim();
    let key = STANDARD
        .decode(encoded)
        .or_else(|_| URL_SAFE_NO_PAD.decode(encoded.trim_end_matches('=')))
        .map_err(|_| Error::Secret(format!("key `{id}` is not valid base64")))?;
    Ok((id, key))
}

fn split_sealed(sealed: &str) -> Result<(&str, Vec<u8>)> {
    let mut parts = sealed.splitn(3, '.');
    let (Some(FORMAT), Some(id), Some(data)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(Error::Secret("not a sealed value".into()));
    };
    let blob = URL_SAFE_NO_PAD
        .decode(data)
        .map_err(|_| Error::Secret("sealed value is not valid base64".into()))?;
    Ok((id, blob))
}

/// The associated data: a domain tag, the record's kind and key and the
/// key id, length-prefixed so no two different triples encode alike.
fn associated_data(kind: &str, key: &str, key_id: &str) -> Vec<u8> {
    let mut aad = b"aspect-sync-engine secret v1".to_vec();
    for part in [kind, key, key_id] {
        aad.extend_from_slice(&(part.len() as u64).to_be_bytes());
        aad.extend_from_slice(part.as_bytes());
    }
    aad
}

/// Random bytes from the operating system.
pub(crate) fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut out = [0u8; N];
    getrandom::fill(&mut out)
        .map_err(|e| Error::Secret(format!("the system random source failed: {e}")))?;
    Ok(out)
}

/// A random URL-safe token of `N` random bytes (OAuth states, webhook secrets).
pub(crate) fn random_token<const N: usize>() -> Result<String> {
    Ok(URL_SAFE_NO_PAD.encode(random_bytes::<N>()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> String {
        STANDARD.encode([byte; KEY_LEN])
    }

    #[test]
    fn values_round_trip_and_nonces_differ() {
        let secrets = SecretBox::from_config(&format!("k1:{}", key(7))).unwrap();
        let a = secrets
            .seal_str("lever_tokens", "acme", "refresh-1")
            .unwrap();
        let b = secrets
            .seal_str("lever_tokens", "acme", "refresh-1")
            .unwrap();
        assert_ne!(a, b, "a fresh nonce per value");
        assert!(!a.contains("refresh-1"));
        assert_eq!(
            secrets.open_str("lever_tokens", "acme", &a).unwrap(),
            "refresh-1"
        );
    }

    #[test]
    fn rotation_opens_old_values_and_reseals_with_the_current_key() {
        let old = SecretBox::from_config(&format!("k1:{}", key(1))).unwrap();
        let sealed = old.seal_str("greenhouse", "acme", "client-secret").unwrap();
        let rotated = SecretBox::from_config(&format!("k2:{}, k1:{}", key(2), key(1))).unwrap();
        assert_eq!(rotated.current_key_id(), "k2");
        assert_eq!(
            rotated.open_str("greenhouse", "acme", &sealed).unwrap(),
            "client-secret"
        );
        assert!(!rotated.is_current(&sealed));
        let resealed = rotated
            .reencrypt("greenhouse", "acme", &sealed)
            .unwrap()
            .expect("moved to the current key");
        assert!(rotated.is_current(&resealed));
        assert_eq!(
            rotated.reencrypt("greenhouse", "acme", &resealed).unwrap(),
            None
        );
        // Once the old key is dropped, only re-sealed values open.
        let new_only = SecretBox::from_config(&format!("k2:{}", key(2))).unwrap();
        assert_eq!(
            new_only.open_str("greenhouse", "acme", &resealed).unwrap(),
            "client-secret"
        );
        let err = new_only
            .open_str("greenhouse", "acme", &sealed)
            .unwrap_err();
        assert!(err.to_string().contains("k1"), "{err}");
    }

    #[test]
    fn tampering_and_moving_are_detected() {
        let secrets = SecretBox::new("k1", &[9; KEY_LEN]).unwrap();
        let sealed = secrets.seal_str("lever_tokens", "acme", "token").unwrap();
        // Flip one character of the ciphertext.
        let mut chars: Vec<char> = sealed.chars().collect();
        let last = chars.len() - 3;
        chars[last] = if chars[last] == 'A' { 'B' } else { 'A' };
        let tampered: String = chars.into_iter().collect();
        assert!(matches!(
            secrets.open("lever_tokens", "acme", &tampered),
            Err(Error::Secret(_))
        ));
        // The same ciphertext in another tenant's record, or another kind.
        assert!(secrets.open("lever_tokens", "globex", &sealed).is_err());
        assert!(secrets.open("greenhouse", "acme", &sealed).is_err());
        assert!(secrets.open("lever_tokens", "acme", "plain text").is_err());
        assert!(secrets.open("lever_tokens", "acme", "v1.k1.AAAA").is_err());
    }

    #[test]
    fn bad_configuration_is_refused_without_echoing_keys() {
        for bad in [
            "",
            "nokey",
            "k1:not-base64!!",
            "k1:AAAA",
            "bad id:AAAA",
            &format!("k1:{},k1:{}", key(1), key(2)),
        ] {
            let err = SecretBox::from_config(bad).unwrap_err().to_string();
            assert!(!err.contains(&key(1)) && !err.contains(&key(2)), "{err}");
        }
        // URL-safe base64 without padding is accepted too.
        let url_safe = URL_SAFE_NO_PAD.encode([5u8; KEY_LEN]);
        assert!(SecretBox::from_config(&format!("k1:{url_safe}")).is_ok());
        assert_eq!(
            STANDARD
                .decode(SecretBox::generate_key().unwrap())
                .unwrap()
                .len(),
            KEY_LEN
        );
    }

    #[test]
    fn debug_shows_key_ids_only() {
        let secret_key = key(42);
        let secrets =
            SecretBox::from_config(&format!("current:{secret_key},old:{}", key(3))).unwrap();
        let shown = format!("{secrets:?}");
        assert!(
            shown.contains("current") && shown.contains("old"),
            "{shown}"
        );
        assert!(!shown.contains(&secret_key), "{shown}");
        assert!(!shown.contains("42"), "{shown}");
    }
}

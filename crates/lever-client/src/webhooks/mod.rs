//! Verifying and parsing Lever webhook deliveries (LD "Webhooks", "Request signing"; research
//! note §4).
//!
//! Lever signs **only** `token + triggeredAt` — lowercase hex HMAC-SHA256 keyed with the webhook's
//! signature token. The event `data` is **not signed**: anyone who captured one delivery can
//! replay its signature with different `data`. So:
//!
//! * treat every event's data as a **hint**: re-fetch the opportunity or interview from the API
//!   ([`LeverClient::opportunity`](crate::LeverClient::opportunity),
//!   [`LeverClient::interviews`](crate::LeverClient::interviews)) before acting on it;
//! * reject old deliveries ([`WebhookVerifier::tolerance`], default 5 minutes) and replays
//!   (dedupe on [`Delivery::token`], or turn on [`WebhookVerifier::with_replay_protection`]).
//!
//! Verify the raw request body bytes exactly as received, before any JSON re-encoding. With the
//! `axum` feature, the `axum` submodule's `VerifiedWebhook` extractor does this for a handler.
//!
//! ```
//! use lever_client::webhooks::{signed_delivery, WebhookEvent, WebhookVerifier};
//! let body = signed_delivery("sig-token", "candidateHired", serde_json::json!({"opportunityId": "o1"}), chrono::Utc::now());
//! let delivery = WebhookVerifier::new("sig-token").verify(&body).unwrap();
//! match &delivery.event {
//!     WebhookEvent::CandidateHired(hint) => assert_eq!(hint.opportunity_id.as_deref(), Some("o1")),
//!     other => panic!("unexpected {other:?}"),
//! }
//! ```

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use serde_json::value::RawValue;
use sha2::Sha256;

use crate::error::Error;
use crate::models::common::{Timestamp, from_millis};

#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod axum;
mod envelope;
mod event;

pub use event::{
    ApplicationHint, ArchiveChangeHint, ArchiveStateHint, ContactHint, InterviewHint,
    OpportunityHint, StageChangeHint, WebhookEvent,
};

use envelope::Envelope;

type HmacSha256 = Hmac<Sha256>;

/// A webhook's signature token (the HMAC key). `Debug` never shows it.
#[derive(Clone)]
pub struct SignatureToken(SecretString);

impl SignatureToken {
    /// Wrap a token.
    pub fn new(token: impl Into<String>) -> Self {
        Self(SecretString::from(token.into()))
    }

    /// The token text, for storing it.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl std::fmt::Debug for SignatureToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SignatureToken([redacted])")
    }
}

impl From<&str> for SignatureToken {
    fn from(s: &str) -> Self {
        Self::new(s)
    }
}

impl From<String> for SignatureToken {
    fn from(s: String) -> Self {
        Self::new(s)
    }
}

fn mac(key: &str, token: &str, triggered_at: &str) -> HmacSha256 {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail.
    let mut mac = HmacSha256::new_from_slice(key.as_bytes()).expect("HMAC takes any key length");
    mac.update(token.as_bytes());
    mac.update(triggered_at.as_bytes());
    mac
}

/// The signature Lever puts in a delivery: lowercase hex HMAC-SHA256 of `token` followed by the
/// decimal `triggered_at_ms`, keyed with `signature_token` (LD "Request signing").
pub fn sign(signature_token: &str, token: &str, triggered_at_ms: i64) -> String {
    hex::encode(
        mac(signature_token, token, &triggered_at_ms.to_string())
            .finalize()
            .into_bytes(),
    )
}

/// A complete signed delivery body, as Lever would POST it; for tests and local tools.
pub fn signed_delivery(
    signature_token: &str,
    event: &str,
    data: Value,
    triggered_at: Timestamp,
) -> Vec<u8> {
    let token: String = std::iter::repeat_with(fastrand::alphanumeric)
        .take(48)
        .collect();
    let ms = triggered_at.timestamp_millis();
    let body = serde_json::json!({
        "id": format!("evt-{}", fastrand::u64(..)),
        "event": event,
        "triggeredAt": ms,
        "token": token,
        "signature": sign(signature_token, &token, ms),
        "data": data,
    });
    serde_json::to_vec(&body).unwrap_or_default()
}

/// Verifies deliveries against one or more signature tokens (Lever issues one per webhook, and
/// tokens can be regenerated, so several may be valid during a rotation).
///
/// Cheap to clone (as an axum state part, for example); clones share the tokens and the replay
/// memory.
#[derive(Clone)]
pub struct WebhookVerifier {
    keys: Arc<Vec<SignatureToken>>,
    tolerance: Duration,
    replay: Option<Arc<Mutex<HashMap<String, Timestamp>>>>,
}

impl std::fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookVerifier")
            .field("keys", &format!("[{} redacted]", self.keys.len()))
            .field("tolerance", &self.tolerance)
            .field("replay_protection", &self.replay.is_some())
            .finish()
    }
}

impl WebhookVerifier {
    /// Default window for `triggeredAt`, both ways.
    pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);

    /// A verifier with one signature token.
    pub fn new(signature_token: impl Into<SignatureToken>) -> Self {
        Self::with_tokens([signature_token.into()])
    }

    /// A verifier accepting any of these tokens.
    pub fn with_tokens(tokens: impl IntoIterator<Item = SignatureToken>) -> Self {
        Self {
            keys: Arc::new(tokens.into_iter().collect()),
            tolerance: Self::DEFAULT_TOLERANCE,
            replay: None,
        }
    }

    /// Also accept this token (rotation).
    pub fn add_token(mut self, token: impl Into<SignatureToken>) -> Self {
        Arc::make_mut(&mut self.keys).push(token.into());
        self
    }

    /// Accept deliveries whose `triggeredAt` is within this window of now, in either direction.
    pub fn tolerance(mut self, window: Duration) -> Self {
        self.tolerance = window;
        self
    }

    /// Remember accepted delivery tokens in memory (for the tolerance window) and reject repeats
    /// with [`Error::WebhookReplayed`]. With several processes, dedupe on [`Delivery::token`] in
    /// shared storage instead.
    pub fn with_replay_protection(mut self) -> Self {
        self.replay = Some(Arc::new(Mutex::new(HashMap::new())));
        self
    }

    /// Verify `body` (the raw request bytes) now.
    pub fn verify(&self, body: &[u8]) -> Result<Delivery, Error> {
        self.verify_at(body, Utc::now())
    }

    /// Verify `body` as if the current time were `now`.
    pub fn verify_at(&self, body: &[u8], now: Timestamp) -> Result<Delivery, Error> {
        self.check(body, now).map_err(|refusal| refusal.error)
    }

    /// Verify and decode in one pass over `body`: the envelope is read borrowing the raw JSON,
    /// the signature is checked on the signed text, and only then is `data` decoded into the
    /// typed hint (straight from its raw text, without an intermediate `Value`).
    pub(crate) fn check(&self, body: &[u8], now: Timestamp) -> Result<Delivery, Refusal> {
        let unverified = |error| Refusal {
            error,
            authentic: false,
        };
        let envelope = Envelope::read(body).map_err(unverified)?;
        let signed = envelope.signed_parts().map_err(unverified)?;
        self.check_signature(&signed.token, &signed.triggered_digits, &signed.signature)
            .map_err(unverified)?;
        let authentic = |error| Refusal {
            error,
            authentic: true,
        };
        let triggered_at = signed
            .triggered_digits
            .parse()
            .ok()
            .and_then(from_millis)
            .ok_or_else(|| Error::WebhookMalformed("triggeredAt out of range".into()))
            .map_err(authentic)?;
        self.check_window(triggered_at, now).map_err(authentic)?;
        let (id, event_name, data) = envelope.payload().map_err(authentic)?;
        let event = WebhookEvent::parse(&event_name, data).map_err(authentic)?;
        self.check_replay(&signed.token, triggered_at, now)
            .map_err(authentic)?;
        Ok(Delivery {
            id,
            token: signed.token,
            triggered_at,
            event,
            raw_data: data.to_owned(),
        })
    }

    fn check_signature(&self, token: &str, triggered: &str, signature: &str) -> Result<(), Error> {
        let sig = hex::decode(signature.trim()).map_err(|_| Error::WebhookSignature)?;
        let valid = self.keys.iter().any(|key| {
            // `verify_slice` compares in constant time.
            mac(key.expose(), token, triggered)
                .verify_slice(&sig)
                .is_ok()
        });
        if valid {
            Ok(())
        } else {
            Err(Error::WebhookSignature)
        }
    }

    fn check_window(&self, triggered_at: Timestamp, now: Timestamp) -> Result<(), Error> {
        let delta = now - triggered_at;
        let tolerance = self.tolerance;
        match delta.to_std() {
            Ok(age) if age > tolerance => Err(Error::WebhookTooOld { age, tolerance }),
            Ok(_) => Ok(()),
            Err(_) => {
                let ahead = (-delta).to_std().unwrap_or_default();
                if ahead > tolerance {
                    Err(Error::WebhookFromFuture { ahead, tolerance })
                } else {
                    Ok(())
                }
            }
        }
    }

    fn check_replay(
        &self,
        token: &str,
        triggered_at: Timestamp,
        now: Timestamp,
    ) -> Result<(), Error> {
        let Some(cache) = &self.replay else {
            return Ok(());
        };
        let mut seen = cache.lock().unwrap_or_else(|e| e.into_inner());
        // Entries outside the window can go: such deliveries fail the time check anyway.
        // Checked arithmetic: a huge configured window must not overflow.
        let horizon = chrono::Duration::from_std(self.tolerance)
            .ok()
            .and_then(|w| w.checked_mul(2))
            .and_then(|w| now.checked_sub_signed(w));
        seen.retain(|_, at| horizon.is_none_or(|h| *at >= h));
        if seen.contains_key(token) {
            return Err(Error::WebhookReplayed);
        }
        seen.insert(token.to_owned(), triggered_at);
        Ok(())
    }
}

/// Why [`WebhookVerifier::check`] refused a delivery, and whether the signature had been
/// verified by then (the axum extractor answers 401 before and 400 after).
#[derive(Debug)]
pub(crate) struct Refusal {
    pub(crate) error: Error,
    // Read only by the axum extractor.
    #[cfg_attr(not(feature = "axum"), allow(dead_code))]
    pub(crate) authentic: bool,
}

/// A verified delivery. Its [`event`](Self::event) data is **unsigned**: use it as a hint and
/// re-fetch from the API before acting.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// Event id, when Lever sends one (absent from LD's examples).
    pub id: Option<String>,
    /// The random per-delivery token; dedupe on it to drop replays and redeliveries.
    pub token: String,
    /// When Lever triggered the event.
    pub triggered_at: Timestamp,
    /// The typed event.
    pub event: WebhookEvent,
    /// The `data` JSON exactly as received (`null` when the delivery had none); parse it with
    /// [`Delivery::data_value`] or `serde_json::from_str(raw_data.get())`.
    pub raw_data: Box<RawValue>,
}

impl Delivery {
    /// The `data` JSON as a [`Value`] (parsed on demand: most consumers only need
    /// [`event`](Self::event)).
    pub fn data_value(&self) -> Result<Value, Error> {
        serde_json::from_str(self.raw_data.get())
            .map_err(|e| Error::WebhookMalformed(format!("data: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_matches_the_documented_algorithm_vector() {
        // Research note §4.4 (computed with the documented algorithm).
        assert_eq!(
            sign(
                "73311ged32110cc40e00c672c2e03e1a42fa28a4fabde089",
                "be58f711f349c7780e4579cd7c63341ac6f881e4dccc3154",
                1431454330072
            ),
            "d8138ffefd31f34fd9ef6ab358881a2ac5d138287c38186688985ea7755ec241"
        );
    }

    #[test]
    fn verifier_debug_hides_keys() {
        let v = WebhookVerifier::new("super-secret-sig");
        assert!(!format!("{v:?}").contains("super-secret-sig"));
    }
}

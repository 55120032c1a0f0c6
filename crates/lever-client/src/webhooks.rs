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
//! Verify the raw request body bytes exactly as received, before any JSON re-encoding.
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
use std::sync::Mutex;
use std::time::Duration;

use chrono::Utc;
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::Sha256;

use crate::error::Error;
use crate::models::common::{Extra, Timestamp, from_millis, opt_millis};

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
pub struct WebhookVerifier {
    keys: Vec<SignatureToken>,
    tolerance: Duration,
    replay: Option<Mutex<HashMap<String, Timestamp>>>,
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
            keys: tokens.into_iter().collect(),
            tolerance: Self::DEFAULT_TOLERANCE,
            replay: None,
        }
    }

    /// Also accept this token (rotation).
    pub fn add_token(mut self, token: impl Into<SignatureToken>) -> Self {
        self.keys.push(token.into());
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
        self.replay = Some(Mutex::new(HashMap::new()));
        self
    }

    /// Verify `body` (the raw request bytes) now.
    pub fn verify(&self, body: &[u8]) -> Result<Delivery, Error> {
        self.verify_at(body, Utc::now())
    }

    /// Verify `body` as if the current time were `now`.
    pub fn verify_at(&self, body: &[u8], now: Timestamp) -> Result<Delivery, Error> {
        let envelope: Envelope = serde_json::from_slice(body)
            .map_err(|e| Error::WebhookMalformed(format!("not a Lever delivery: {e}")))?;
        let triggered_digits = envelope.triggered_at_digits()?;
        self.check_signature(&envelope, &triggered_digits)?;
        let triggered_ms: i64 = triggered_digits
            .parse()
            .map_err(|_| Error::WebhookMalformed("triggeredAt out of range".into()))?;
        let triggered_at = from_millis(triggered_ms)
            .ok_or_else(|| Error::WebhookMalformed("triggeredAt out of range".into()))?;
        self.check_window(triggered_at, now)?;
        self.check_replay(&envelope.token, triggered_at, now)?;
        let event = WebhookEvent::parse(&envelope.event, envelope.data.clone())?;
        Ok(Delivery {
            id: envelope.id,
            token: envelope.token,
            triggered_at,
            event,
            raw_data: envelope.data,
        })
    }

    fn check_signature(&self, envelope: &Envelope, triggered: &str) -> Result<(), Error> {
        let sig = envelope
            .signature
            .as_deref()
            .and_then(|s| hex::decode(s.trim()).ok())
            .ok_or(Error::WebhookSignature)?;
        let valid = self.keys.iter().any(|key| {
            // `verify_slice` compares in constant time.
            mac(key.expose(), &envelope.token, triggered)
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

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Envelope {
    #[serde(default)]
    id: Option<String>,
    event: String,
    triggered_at: Value,
    token: String,
    #[serde(default)]
    signature: Option<String>,
    #[serde(default)]
    data: Value,
}

impl Envelope {
    /// `triggeredAt` as the decimal digits JavaScript would print for it (the signed text).
    fn triggered_at_digits(&self) -> Result<String, Error> {
        let digits = match &self.triggered_at {
            Value::Number(n) if n.is_i64() || n.is_u64() => n.to_string(),
            Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => s.clone(),
            _ => {
                return Err(Error::WebhookMalformed(
                    "triggeredAt is not an integer of milliseconds".into(),
                ));
            }
        };
        Ok(digits)
    }
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
    /// The `data` object as received.
    pub raw_data: Value,
}

/// A webhook event with its (unsigned) data as a hint.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum WebhookEvent {
    /// `applicationCreated`.
    ApplicationCreated(ApplicationHint),
    /// `candidateStageChange`.
    CandidateStageChange(StageChangeHint),
    /// `candidateArchiveChange`.
    CandidateArchiveChange(ArchiveChangeHint),
    /// `candidateHired`.
    CandidateHired(OpportunityHint),
    /// `candidateDeleted`.
    CandidateDeleted(OpportunityHint),
    /// `interviewCreated` (Beta at Lever; fields may be missing).
    InterviewCreated(InterviewHint),
    /// `interviewUpdated` (Beta at Lever).
    InterviewUpdated(InterviewHint),
    /// `interviewDeleted` (Beta at Lever).
    InterviewDeleted(InterviewHint),
    /// `contactCreated`: a person was added.
    ContactCreated(ContactHint),
    /// `contactUpdated`: a person's details changed; [`ContactHint::emails`] carries the
    /// addresses when the delivery has them.
    ContactUpdated(ContactHint),
    /// Any other event (including the settings page's test delivery); the raw JSON is kept.
    Unknown {
        /// The `event` string.
        event: String,
        /// The `data` object.
        data: Value,
    },
}

impl WebhookEvent {
    fn parse(event: &str, data: Value) -> Result<Self, Error> {
        fn hint<T: serde::de::DeserializeOwned>(data: Value) -> Result<T, Error> {
            let data = if data.is_null() {
                Value::Object(Default::default())
            } else {
                data
            };
            serde_path_to_error::deserialize(data)
                .map_err(|e| Error::WebhookMalformed(format!("data.{}: {}", e.path(), e.inner())))
        }
        Ok(match event {
            "applicationCreated" => Self::ApplicationCreated(hint(data)?),
            "candidateStageChange" => Self::CandidateStageChange(hint(data)?),
            "candidateArchiveChange" => Self::CandidateArchiveChange(hint(data)?),
            "candidateHired" => Self::CandidateHired(hint(data)?),
            "candidateDeleted" => Self::CandidateDeleted(hint(data)?),
            "interviewCreated" => Self::InterviewCreated(hint(data)?),
            "interviewUpdated" => Self::InterviewUpdated(hint(data)?),
            "interviewDeleted" => Self::InterviewDeleted(hint(data)?),
            "contactCreated" => Self::ContactCreated(hint(data)?),
            "contactUpdated" => Self::ContactUpdated(hint(data)?),
            other => Self::Unknown {
                event: other.to_owned(),
                data,
            },
        })
    }

    /// The event name as Lever sends it.
    pub fn name(&self) -> &str {
        match self {
            Self::ApplicationCreated(_) => "applicationCreated",
            Self::CandidateStageChange(_) => "candidateStageChange",
            Self::CandidateArchiveChange(_) => "candidateArchiveChange",
            Self::CandidateHired(_) => "candidateHired",
            Self::CandidateDeleted(_) => "candidateDeleted",
            Self::InterviewCreated(_) => "interviewCreated",
            Self::InterviewUpdated(_) => "interviewUpdated",
            Self::InterviewDeleted(_) => "interviewDeleted",
            Self::ContactCreated(_) => "contactCreated",
            Self::ContactUpdated(_) => "contactUpdated",
            Self::Unknown { event, .. } => event,
        }
    }

    /// The opportunity the event is about, if the hint names one: re-fetch it before acting.
    pub fn opportunity_id(&self) -> Option<&str> {
        match self {
            Self::ApplicationCreated(h) => h.opportunity_id.as_deref(),
            Self::CandidateStageChange(h) => h.opportunity_id.as_deref(),
            Self::CandidateArchiveChange(h) => h.opportunity_id.as_deref(),
            Self::CandidateHired(h) | Self::CandidateDeleted(h) => h.opportunity_id.as_deref(),
            Self::InterviewCreated(h) | Self::InterviewUpdated(h) | Self::InterviewDeleted(h) => {
                h.opportunity_id.as_deref()
            }
            Self::ContactCreated(h) | Self::ContactUpdated(h) => h.opportunity_id.as_deref(),
            Self::Unknown { data, .. } => data.get("opportunityId").and_then(Value::as_str),
        }
    }

    /// The contact (person) the event is about, if the hint names one.
    pub fn contact_id(&self) -> Option<&str> {
        match self {
            Self::ApplicationCreated(h) => h.contact_id.as_deref(),
            Self::CandidateStageChange(h) => h.contact_id.as_deref(),
            Self::CandidateArchiveChange(h) => h.contact_id.as_deref(),
            Self::CandidateHired(h) | Self::CandidateDeleted(h) => h.contact_id.as_deref(),
            Self::InterviewCreated(h) | Self::InterviewUpdated(h) | Self::InterviewDeleted(h) => {
                h.contact_id.as_deref()
            }
            Self::ContactCreated(h) | Self::ContactUpdated(h) => h.contact_id.as_deref(),
            Self::Unknown { data, .. } => data.get("contactId").and_then(Value::as_str),
        }
    }
}

/// Data hint of `applicationCreated` (fields beyond the envelope are collapsed in LD; names per
/// research note §4.3, all optional).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationHint {
    /// Application id.
    #[serde(default)]
    pub application_id: Option<String>,
    /// Opportunity id.
    #[serde(default)]
    pub opportunity_id: Option<String>,
    /// Contact id.
    #[serde(default)]
    pub contact_id: Option<String>,
    /// Posting id.
    #[serde(default)]
    pub posting_id: Option<String>,
    /// Anything else.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Data hint of `candidateStageChange` (documented in LD "Example delivery").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StageChangeHint {
    /// Opportunity id.
    #[serde(default)]
    pub opportunity_id: Option<String>,
    /// Deprecated alias of the opportunity id.
    #[serde(default)]
    pub candidate_id: Option<String>,
    /// Contact id.
    #[serde(default)]
    pub contact_id: Option<String>,
    /// New stage.
    #[serde(default)]
    pub to_stage_id: Option<String>,
    /// Previous stage.
    #[serde(default)]
    pub from_stage_id: Option<String>,
    /// Anything else.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Data hint of `candidateArchiveChange`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArchiveChangeHint {
    /// Opportunity id.
    #[serde(default)]
    pub opportunity_id: Option<String>,
    /// Contact id.
    #[serde(default)]
    pub contact_id: Option<String>,
    /// Previous archive state (`None`: was active).
    #[serde(default)]
    pub from_archived: Option<ArchiveStateHint>,
    /// New archive state (`None`: now active).
    #[serde(default)]
    pub to_archived: Option<ArchiveStateHint>,
    /// Anything else.
    #[serde(flatten)]
    pub extra: Extra,
}

/// An archive state inside [`ArchiveChangeHint`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArchiveStateHint {
    /// Archive reason id.
    #[serde(default)]
    pub reason: Option<String>,
    /// When archived.
    #[serde(default, with = "opt_millis")]
    pub archived_at: Option<Timestamp>,
}

/// Data hint of `candidateHired` and `candidateDeleted`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OpportunityHint {
    /// Opportunity id.
    #[serde(default)]
    pub opportunity_id: Option<String>,
    /// Contact id.
    #[serde(default)]
    pub contact_id: Option<String>,
    /// Anything else.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Data hint of the Beta interview events; Lever does not document the fields, so all are
/// optional and `interviewId` falls back to `id`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InterviewHint {
    /// Interview id (`interviewId`, or `id`).
    #[serde(default, alias = "id")]
    pub interview_id: Option<String>,
    /// Panel id.
    #[serde(default)]
    pub panel_id: Option<String>,
    /// Opportunity id.
    #[serde(default)]
    pub opportunity_id: Option<String>,
    /// Contact id.
    #[serde(default)]
    pub contact_id: Option<String>,
    /// Anything else.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Data hint of `contactCreated` and `contactUpdated`.
///
/// UNCONFIRMED shape: Lever lists both events (LD "Webhooks"; research note §4.3) but collapses
/// their `data` fields, and no public payload was found. The hint therefore reads the contact
/// tolerantly: `contactId` (or the contact's own `id`), the Contact object's documented fields
/// (`name`, `headline`, `emails`, `phones`, `location`; LD "Contacts") at the top level or
/// nested under `contact`, and keeps everything else in [`extra`](Self::extra).
///
/// [`emails`](Self::emails) is `None` when the delivery did not carry the addresses (absent
/// or `null`) and `Some` (possibly empty) when it did, so a consumer can **replace** a person's
/// addresses only when Lever actually sent them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactHint {
    /// Contact id (`contactId`, or the contact's `id`).
    pub contact_id: Option<String>,
    /// Opportunity id, when the delivery names one.
    pub opportunity_id: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Headline.
    pub headline: Option<String>,
    /// E-mail addresses, when sent (see the type's docs).
    pub emails: Option<Vec<String>>,
    /// Phones, when sent.
    pub phones: Option<Vec<crate::models::Phone>>,
    /// Location (an object `{name}` on contacts).
    pub location: Option<crate::models::ContactLocation>,
    /// Anything else.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ContactHint {
    /// The contact's e-mail addresses, when the delivery carried them.
    pub fn emails(&self) -> Option<&[String]> {
        self.emails.as_deref()
    }
}

impl<'de> Deserialize<'de> for ContactHint {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Raw {
            #[serde(default)]
            contact_id: Option<String>,
            #[serde(default)]
            id: Option<String>,
            #[serde(default)]
            opportunity_id: Option<String>,
            #[serde(default)]
            name: Option<String>,
            #[serde(default)]
            headline: Option<String>,
            #[serde(default)]
            emails: Option<Vec<String>>,
            #[serde(default)]
            phones: Option<Vec<crate::models::Phone>>,
            #[serde(default)]
            location: Option<crate::models::ContactLocation>,
            #[serde(flatten)]
            extra: Extra,
        }
        let mut value = Value::deserialize(d)?;
        // A contact nested under `contact` is lifted to the top level (top-level keys win);
        // a bare `contact` id string is read as `contactId`.
        if let Some(map) = value.as_object_mut() {
            match map.get("contact").cloned() {
                Some(Value::Object(nested)) => {
                    map.remove("contact");
                    for (key, field) in nested {
                        let key = if key == "id" {
                            "contactId".to_owned()
                        } else {
                            key
                        };
                        map.entry(key).or_insert(field);
                    }
                }
                Some(Value::String(id)) => {
                    map.remove("contact");
                    map.entry("contactId").or_insert(Value::String(id));
                }
                _ => {}
            }
        }
        let raw: Raw = serde_json::from_value(value).map_err(D::Error::custom)?;
        Ok(Self {
            contact_id: raw.contact_id.or(raw.id),
            opportunity_id: raw.opportunity_id,
            name: raw.name,
            headline: raw.headline,
            emails: raw.emails,
            phones: raw.phones,
            location: raw.location,
            extra: raw.extra,
        })
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

//! Greenhouse Recruiting webhooks: signature verification over the raw body,
//! typed events, and a signer for tests.
//!
//! Delivery (unchanged by Harvest v3, research notes §4): a JSON POST
//! `{"action": …, "payload": {…}}` with `Signature: sha256 <hex>`, where
//! `<hex>` is the lowercase HMAC-SHA256 of the **entire raw body** keyed by the
//! secret entered when the webhook was created. Greenhouse escapes characters
//! such as `<` as `\u003c` *before* signing, so the body must be verified
//! exactly as received — never re-serialized. Deliveries are at-least-once
//! (up to 7 attempts over ~15 hours): de-duplicate on the
//! `Greenhouse-Event-ID` header and answer 200 quickly.

use std::fmt;

use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use sha2::Sha256;

use crate::error::{Error, Result};

#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod axum;
mod decode;
mod event;
mod payloads;

pub use crate::models::OfferStatus;
pub use event::{Deletion, StatusChange, WebhookEvent};
pub use payloads::*;

/// Name of the signature header.
pub const SIGNATURE_HEADER: &str = "Signature";
/// Name of the per-delivery id header, for de-duplication.
pub const EVENT_ID_HEADER: &str = "Greenhouse-Event-ID";

type HmacSha256 = Hmac<Sha256>;

/// The `Signature` header value Greenhouse would send for `body` signed with `secret`:
/// `sha256 <lowercase hex>`.
pub fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac =
        HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC accepts any key length");
    mac.update(body);
    format!("sha256 {}", hex::encode(mac.finalize().into_bytes()))
}

/// Verifies deliveries against one or more secrets (several during a rotation).
/// `Debug` never shows the secrets.
#[derive(Clone)]
pub struct WebhookVerifier {
    secrets: Vec<SecretString>,
}

impl fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookVerifier")
            .field(
                "secrets",
                &format_args!("[{} redacted]", self.secrets.len()),
            )
            .finish()
    }
}

impl WebhookVerifier {
    /// A verifier for one secret.
    pub fn new(secret: impl Into<String>) -> Self {
        WebhookVerifier {
            secrets: vec![SecretString::from(secret.into())],
        }
    }

    /// Also accepts `secret` (e.g. the new one while both are live).
    pub fn with_secret(mut self, secret: impl Into<String>) -> Self {
        self.secrets.push(SecretString::from(secret.into()));
        self
    }

    /// Checks `signature_header` (the `Signature` header value, if any) against
    /// the raw `body` in constant time.
    pub fn verify(&self, body: &[u8], signature_header: Option<&str>) -> Result<()> {
        let header = signature_header.ok_or(Error::InvalidSignature {
            reason: "missing Signature header",
        })?;
        // "the SHA algorithm used to generate the signature, a space, and the
        // signature": split at the first space (never strip a character set).
        let (algorithm, digest) = header
            .trim()
            .split_once(' ')
            .ok_or(Error::InvalidSignature {
                reason: "malformed Signature header (expected `sha256 <hex>`)",
            })?;
        if !algorithm.eq_ignore_ascii_case("sha256") {
            return Err(Error::InvalidSignature {
                reason: "unsupported signature algorithm (expected sha256)",
            });
        }
        let expected = hex::decode(digest.trim()).map_err(|_| Error::InvalidSignature {
            reason: "signature is not hexadecimal",
        })?;
        let matched = self.secrets.iter().any(|secret| {
            let mut mac = HmacSha256::new_from_slice(secret.expose_secret().as_bytes())
                .expect("HMAC accepts any key length");
            mac.update(body);
            mac.verify_slice(&expected).is_ok()
        });
        if matched {
            Ok(())
        } else {
            Err(Error::InvalidSignature {
                reason: "signature does not match the body",
            })
        }
    }

    /// Verifies, then parses the delivery into a [`WebhookEvent`].
    pub fn verify_and_parse(
        &self,
        body: &[u8],
        signature_header: Option<&str>,
    ) -> Result<WebhookEvent> {
        self.verify(body, signature_header)?;
        parse_event(body)
    }
}

/// Parses an (already verified) delivery body. Unknown actions become
/// [`WebhookEvent::Unknown`]; a known action whose payload does not match gives
/// [`Error::InvalidWebhookPayload`] naming the JSON path.
///
/// Decodes in one pass from the bytes; only a delivery that fails that (or has an unknown
/// action, kept whole as JSON) is read a second time, to name the JSON path of the error.
pub fn parse_event(body: &[u8]) -> Result<WebhookEvent> {
    match decode::decode(body) {
        Some(event) => Ok(event),
        None => parse_event_with_paths(body),
    }
}

/// The reference decoder: through a `serde_json::Value` and `serde_path_to_error`, so an error
/// names its JSON path. Slower (the body is parsed into a `Value`, then each payload decoded
/// from it); used when the fast decoder fails.
fn parse_event_with_paths(body: &[u8]) -> Result<WebhookEvent> {
    #[derive(Deserialize)]
    struct Envelope {
        action: String,
        #[serde(default)]
        payload: serde_json::Value,
    }
    let raw: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| Error::InvalidWebhookPayload {
            path: String::new(),
            message: e.to_string(),
        })?;
    let env: Envelope = typed(&raw, "")?;
    let p = &env.payload;
    Ok(match env.action.as_str() {
        "ping" => WebhookEvent::Ping(typed(p, "payload")?),
        // Application events (webhooks/_application_events.md).
        "new_candidate_application" => {
            WebhookEvent::NewCandidateApplication(field(p, "application")?)
        }
        "new_prospect_application" => {
            WebhookEvent::NewProspectApplication(field(p, "application")?)
        }
        "application_updated" => WebhookEvent::ApplicationUpdated(field(p, "application")?),
        "delete_application" => WebhookEvent::ApplicationDeleted(field(p, "application")?),
        // Offer payloads sit directly in `payload`, except `offer_deleted`'s.
        "offer_created" => WebhookEvent::OfferCreated(typed(p, "payload")?),
        "offer_approved" => WebhookEvent::OfferApproved(typed(p, "payload")?),
        "offer_updated" => WebhookEvent::OfferUpdated(typed(p, "payload")?),
        "offer_deleted" => WebhookEvent::OfferDeleted(field(p, "offer")?),
        // Candidate events (webhooks/_candidate_events.md).
        "update_candidate" => WebhookEvent::CandidateUpdated(field(p, "candidate")?),
        "candidate_stage_change" => WebhookEvent::CandidateStageChanged(field(p, "application")?),
        "hire_candidate" => WebhookEvent::CandidateHired(field(p, "application")?),
        "unhire_candidate" => WebhookEvent::CandidateUnhired(field(p, "application")?),
        "reject_candidate" => WebhookEvent::CandidateRejected(field(p, "application")?),
        "unreject_candidate" => WebhookEvent::CandidateUnrejected(field(p, "application")?),
        "delete_candidate" => WebhookEvent::CandidateDeleted(field(p, "person")?),
        "merge_candidate" => {
            let person: RemovedCandidate = field(p, "person")?;
            let surviving =
                person
                    .new_candidate_id
                    .ok_or_else(|| Error::InvalidWebhookPayload {
                        path: "payload.person.new_candidate_id".into(),
                        message: "missing field `new_candidate_id`".into(),
                    })?;
            WebhookEvent::CandidateMerged(MergedCandidate {
                merged: person,
                surviving_candidate_id: surviving,
            })
        }
        "candidate_anonymized" => WebhookEvent::CandidateAnonymized(typed(p, "payload")?),
        // Interview events (webhooks/_interview_events.md).
        "interview_deleted" => WebhookEvent::InterviewDeleted(field(p, "interview")?),
        "scorecard_deleted" => WebhookEvent::ScorecardDeleted(field(p, "scorecard")?),
        // Job events (webhooks/_job_events.md).
        "job_created" => WebhookEvent::JobCreated(field(p, "job")?),
        "job_updated" => WebhookEvent::JobUpdated(field(p, "job")?),
        "job_deleted" => WebhookEvent::JobDeleted(field(p, "job")?),
        "job_approved" => WebhookEvent::JobApproved(Box::new(typed(p, "payload")?)),
        // `job_post_created`/`_updated` put the post directly in `payload`,
        // `job_post_deleted` wraps it in `job_post`.
        "job_post_created" => WebhookEvent::JobPostCreated(typed(p, "payload")?),
        "job_post_updated" => WebhookEvent::JobPostUpdated(typed(p, "payload")?),
        "job_post_deleted" => WebhookEvent::JobPostDeleted(field(p, "job_post")?),
        "job_interview_stage_deleted" => {
            WebhookEvent::JobInterviewStageDeleted(field(p, "job_interview_stage")?)
        }
        // Organization events (webhooks/_organization_events.md).
        "department_deleted" => WebhookEvent::DepartmentDeleted(field(p, "department")?),
        "office_deleted" => WebhookEvent::OfficeDeleted(field(p, "office")?),
        _ => WebhookEvent::Unknown {
            action: env.action,
            raw,
        },
    })
}

fn typed<T: DeserializeOwned>(value: &serde_json::Value, prefix: &str) -> Result<T> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        Error::InvalidWebhookPayload {
            path: match (prefix.is_empty(), path.as_str()) {
                (true, _) => path,
                (false, ".") => prefix.to_owned(),
                (false, _) => format!("{prefix}.{path}"),
            },
            message: e.into_inner().to_string(),
        }
    })
}

fn field<T: DeserializeOwned>(payload: &serde_json::Value, name: &str) -> Result<T> {
    let value = payload
        .get(name)
        .ok_or_else(|| Error::InvalidWebhookPayload {
            path: format!("payload.{name}"),
            message: format!("missing field `{name}`"),
        })?;
    typed(value, &format!("payload.{name}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Test vector from grnhse/greenhouse-api-docs#276, recomputed in the research notes (§4.1).
    const SECRET: &str = "1uSUju2H6AohOE7OQVaxeLT3O8Uxxuas";
    const BODY: &str = r#"{"action":"ping","payload":{"web_hook_id":4001693002,"endpoint_url":"https://67e09e60.ngrok.io/webhooks","created_at":"2018-12-20T15:43:12Z","updated_at":"2018-12-27T09:40:14Z","name":"Job Post Create","event":"Job Post Created","active":true,"content-type":"application/json"}}"#;
    const DIGEST: &str = "395b1309fd37f0732d1ed11c15e03edd61b818918df6bf93be7c71bafb09c877";

    #[test]
    fn known_vector_verifies_and_parses() {
        assert_eq!(sign(SECRET, BODY.as_bytes()), format!("sha256 {DIGEST}"));
        let v = WebhookVerifier::new(SECRET);
        let event = v
            .verify_and_parse(BODY.as_bytes(), Some(&format!("sha256 {DIGEST}")))
            .unwrap();
        let WebhookEvent::Ping(ping) = event else {
            panic!("not a ping")
        };
        assert_eq!(ping.web_hook_id, Some(4001693002));
        assert_eq!(ping.content_type.as_deref(), Some("application/json"));
        assert_eq!(ping.event.as_deref(), Some("Job Post Created"));
    }

    #[test]
    fn leading_hex_digits_are_not_stripped() {
        // `lstrip("sha256 ")` would eat this digest's leading `5`/`2`/`6`/`a`
        // characters; splitting on the first space does not.
        let body = b"{\"action\":\"x\",\"payload\":{}}";
        let header = sign("k", body);
        assert!(
            WebhookVerifier::new("k")
                .verify(body, Some(&header))
                .is_ok()
        );
        assert!(
            WebhookVerifier::new("k")
                .verify(body, Some(&header.to_uppercase()))
                .is_ok()
        );
    }

    #[test]
    fn bad_headers_are_rejected_without_panicking() {
        let v = WebhookVerifier::new(SECRET);
        for header in [
            None,
            Some(""),
            Some("sha256"),
            Some("sha1 abcd"),
            Some("sha256 zz"),
            Some("sha256 abcd"),
        ] {
            let err = v.verify(BODY.as_bytes(), header).unwrap_err();
            assert!(matches!(err, Error::InvalidSignature { .. }), "{header:?}");
            assert!(!err.to_string().contains(SECRET));
            assert!(!err.to_string().contains(DIGEST));
        }
    }
}

//! Webhook subscriptions managed through the API (LD "Webhooks via the API"; research note §4.5).

use serde::{Deserialize, Serialize};

use super::common::{Extra, HasId, Timestamp, null_default, open_enum, opt_millis};
use super::opportunity::Origin;
use crate::webhooks::SignatureToken;

open_enum! {
    /// A webhook event name (research note §4.3).
    WebhookEventType {
        /// `applicationCreated`.
        ApplicationCreated = "applicationCreated",
        /// `candidateStageChange`.
        CandidateStageChange = "candidateStageChange",
        /// `candidateArchiveChange`.
        CandidateArchiveChange = "candidateArchiveChange",
        /// `candidateHired`.
        CandidateHired = "candidateHired",
        /// `candidateDeleted`.
        CandidateDeleted = "candidateDeleted",
        /// `interviewCreated` (Beta at Lever).
        InterviewCreated = "interviewCreated",
        /// `interviewUpdated` (Beta at Lever).
        InterviewUpdated = "interviewUpdated",
        /// `interviewDeleted` (Beta at Lever).
        InterviewDeleted = "interviewDeleted",
        /// `contactCreated`.
        ContactCreated = "contactCreated",
        /// `contactUpdated`.
        ContactUpdated = "contactUpdated",
    }
}

/// A registered webhook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Webhook {
    /// Webhook id.
    pub id: String,
    /// Delivery URL.
    #[serde(default)]
    pub url: Option<String>,
    /// Event delivered.
    #[serde(default)]
    pub event: Option<WebhookEventType>,
    /// Creation time.
    #[serde(default, with = "opt_millis")]
    pub created_at: Option<Timestamp>,
    /// Last update.
    #[serde(default, with = "opt_millis")]
    pub updated_at: Option<Timestamp>,
    /// Conditions (the signature token, if present, is kept out of this struct).
    #[serde(default)]
    pub configuration: Option<WebhookConfiguration>,
    /// Fields this version does not model, kept so nothing Lever adds is lost.
    #[serde(flatten)]
    pub extra: Extra,
}

impl HasId for Webhook {
    fn id(&self) -> &str {
        &self.id
    }
}

/// A webhook's configuration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WebhookConfiguration {
    /// Delivery conditions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditions: Option<WebhookConditions>,
    /// Everything else except `signatureToken`, which is never kept here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Conditions restricting deliveries (LD "Event configuration": candidate origins only).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WebhookConditions {
    /// Deliver only for these origins (`null` reads as none).
    #[serde(default, deserialize_with = "null_default")]
    pub origins: Vec<Origin>,
    /// Fields this version does not model, kept so nothing Lever adds is lost.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A webhook to register with [`LeverClient::create_webhook`](crate::LeverClient::create_webhook).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewWebhook {
    /// HTTPS URL Lever should POST to.
    pub url: String,
    /// Event to deliver.
    pub event: WebhookEventType,
    /// Optional conditions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub configuration: Option<WebhookConfiguration>,
}

impl NewWebhook {
    /// A webhook for `event` delivered to `url`.
    pub fn new(url: impl Into<String>, event: WebhookEventType) -> Self {
        Self {
            url: url.into(),
            event,
            configuration: None,
        }
    }
}

/// An update for [`LeverClient::update_webhooks`](crate::LeverClient::update_webhooks).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WebhookUpdate {
    /// Webhook id.
    pub id: String,
    /// New URL.
    pub url: String,
    /// New configuration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub configuration: Option<WebhookConfiguration>,
}

/// A newly registered webhook and its signature token, which Lever returns only now: store it
/// (it is the key for [`WebhookVerifier`](crate::webhooks::WebhookVerifier)).
#[derive(Debug, Clone)]
pub struct CreatedWebhook {
    /// The webhook.
    pub webhook: Webhook,
    /// Its signature token, if Lever returned one.
    pub signature_token: Option<SignatureToken>,
}

impl<'de> Deserialize<'de> for CreatedWebhook {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let mut value = serde_json::Value::deserialize(d)?;
        // LD shows the object double-wrapped in `data`; a production app reads it single-wrapped
        // (research note §4.5): unwrap one extra level when there is no `id`.
        if value.get("id").is_none()
            && let Some(inner) = value.get_mut("data").map(serde_json::Value::take)
        {
            value = inner;
        }
        let token = value
            .get_mut("configuration")
            .and_then(|c| c.as_object_mut())
            .and_then(|c| c.remove("signatureToken"))
            .and_then(|t| t.as_str().map(SignatureToken::new));
        let webhook = serde_json::from_value(value).map_err(D::Error::custom)?;
        Ok(Self {
            webhook,
            signature_token: token,
        })
    }
}

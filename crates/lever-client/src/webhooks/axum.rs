//! An [axum](https://docs.rs/axum) extractor for Lever webhook deliveries (feature `axum`).
//!
//! [`VerifiedWebhook`] reads the raw request body (within axum's body limit,
//! `DefaultBodyLimit`, 2 MB unless you change it), verifies Lever's signature in constant time
//! on the raw bytes with the [`WebhookVerifier`] taken from your router's state, checks the
//! time window, and decodes the typed event. A refused delivery answers with a bare status and
//! a fixed body — `401 invalid signature`, `400 malformed webhook` or `413 payload too large` —
//! never with details; [`WebhookRejection`]'s `Display` carries the detail for your logs.
//!
//! ```no_run
//! use axum::{Router, extract::FromRef, routing::post};
//! use lever_client::webhooks::WebhookVerifier;
//! use lever_client::webhooks::axum::VerifiedWebhook;
//!
//! #[derive(Clone)]
//! struct AppState {
//!     lever: WebhookVerifier,
//! }
//!
//! impl FromRef<AppState> for WebhookVerifier {
//!     fn from_ref(state: &AppState) -> Self {
//!         state.lever.clone()
//!     }
//! }
//!
//! async fn lever_webhook(hook: VerifiedWebhook) -> &'static str {
//!     // Dedupe on `hook.delivery_id`, then re-fetch the opportunity: the data is unsigned.
//!     println!("{} about {:?}", hook.event.name(), hook.event.opportunity_id());
//!     "ok"
//! }
//!
//! # async fn serve() -> std::io::Result<()> {
//! let token = std::env::var("LEVER_SIGNATURE_TOKEN").expect("LEVER_SIGNATURE_TOKEN");
//! let app = Router::new()
//!     .route("/webhooks/lever", post(lever_webhook))
//!     .with_state(AppState { lever: WebhookVerifier::new(token) });
//! let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
//! axum::serve(listener, app).await
//! # }
//! ```

use ::axum::body::Bytes;
use ::axum::extract::{FromRef, FromRequest, Request};
use ::axum::http::StatusCode;
use ::axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

use super::{Refusal, WebhookEvent, WebhookVerifier};
use crate::error::Error;
use crate::models::Timestamp;

/// A delivery whose signature and time window were verified, with its typed event.
///
/// The event data is **unsigned** (Lever signs only `token + triggeredAt`): treat it as a hint
/// and re-fetch from the API before acting.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct VerifiedWebhook {
    /// The dedupe key: the delivery's random `token`, which Lever signs.
    pub delivery_id: String,
    /// Lowercase hex SHA-256 of the raw body, e.g. to store alongside the delivery id.
    pub digest: String,
    /// The typed event.
    pub event: WebhookEvent,
    /// The event `id`, when Lever sends one.
    pub event_id: Option<String>,
    /// When Lever triggered the event.
    pub triggered_at: Timestamp,
    /// The `data` JSON exactly as received.
    pub raw_data: Box<RawValue>,
}

/// Why [`VerifiedWebhook`] refused a request. As a response it is only a status and a fixed
/// body; `Display` and `Debug` carry the reason for logs (never a signature token).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookRejection {
    /// The signature is missing, does not match, or the delivery is outside the time window or
    /// replayed; also a body that cannot be read as a delivery, since nothing in it could be
    /// verified. Answers `401 invalid signature`.
    #[error("Lever webhook refused (401): {0}")]
    InvalidSignature(#[source] Error),
    /// The signature is valid but the payload is malformed or wrongly typed. Answers
    /// `400 malformed webhook`.
    #[error("Lever webhook refused (400): {0}")]
    Malformed(#[source] Error),
    /// The body is larger than the router's body limit. Answers `413 payload too large`.
    #[error("Lever webhook refused (413): the body exceeds the body limit")]
    TooLarge,
    /// The body could not be read (the sender went away mid-body). Answers
    /// `400 malformed webhook`.
    #[error("Lever webhook refused (400): the body could not be read: {0}")]
    BodyUnreadable(String),
}

impl WebhookRejection {
    /// The status this rejection answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::InvalidSignature(_) => StatusCode::UNAUTHORIZED,
            Self::Malformed(_) | Self::BodyUnreadable(_) => StatusCode::BAD_REQUEST,
            Self::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        }
    }

    fn from_refusal(refusal: Refusal) -> Self {
        match refusal.error {
            e @ (Error::WebhookSignature
            | Error::WebhookTooOld { .. }
            | Error::WebhookFromFuture { .. }
            | Error::WebhookReplayed) => Self::InvalidSignature(e),
            e if !refusal.authentic => Self::InvalidSignature(e),
            e => Self::Malformed(e),
        }
    }
}

impl IntoResponse for WebhookRejection {
    fn into_response(self) -> Response {
        let body = match self {
            Self::InvalidSignature(_) => "invalid signature",
            Self::Malformed(_) | Self::BodyUnreadable(_) => "malformed webhook",
            Self::TooLarge => "payload too large",
        };
        (self.status(), body).into_response()
    }
}

impl<S> FromRequest<S> for VerifiedWebhook
where
    WebhookVerifier: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = WebhookRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let body = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                WebhookRejection::TooLarge
            } else {
                WebhookRejection::BodyUnreadable(e.body_text())
            }
        })?;
        let verifier = WebhookVerifier::from_ref(state);
        let delivery = verifier.check(&body, Utc::now()).map_err(|refusal| {
            let rejection = WebhookRejection::from_refusal(refusal);
            tracing::debug!(reason = %rejection, "refused a Lever webhook delivery");
            rejection
        })?;
        Ok(Self {
            delivery_id: delivery.token,
            digest: hex::encode(Sha256::digest(&body)),
            event: delivery.event,
            event_id: delivery.id,
            triggered_at: delivery.triggered_at,
            raw_data: delivery.raw_data,
        })
    }
}

//! An `axum` extractor for Greenhouse webhook deliveries (feature `axum`).
//!
//! [`VerifiedWebhook`] reads the raw body (within axum's body limit, see
//! `axum::extract::DefaultBodyLimit`), checks the `Signature` header over those exact bytes
//! in constant time, and only then decodes the typed [`WebhookEvent`]. Rejections answer
//! without details: `401 invalid signature`, `400 malformed webhook`, `413 payload too
//! large`. The same shape as `lever-client`'s `webhooks::axum`.
//!
//! ```no_run
//! use axum::{Router, http::StatusCode, routing::post};
//! use greenhouse_harvest::WebhookVerifier;
//! use greenhouse_harvest::webhooks::axum::VerifiedWebhook;
//!
//! async fn receive(webhook: VerifiedWebhook) -> StatusCode {
//!     // De-duplicate on `delivery_id`: Greenhouse delivers at least once.
//!     println!("{} {}", webhook.delivery_id, webhook.event.action());
//!     StatusCode::OK
//! }
//!
//! # async fn run() {
//! let app: Router = Router::new()
//!     .route("/webhooks/greenhouse", post(receive))
//!     .with_state(WebhookVerifier::new("secret entered in Greenhouse"));
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await.unwrap();
//! axum::serve(listener, app).await.unwrap();
//! # }
//! ```

use std::fmt;

use ::axum::body::Bytes;
use ::axum::extract::{FromRef, FromRequest, Request};
use ::axum::http::{HeaderMap, StatusCode};
use ::axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::{EVENT_ID_HEADER, SIGNATURE_HEADER, WebhookEvent, WebhookVerifier, parse_event};
use crate::error::Error;

/// A delivery whose signature checked out, decoded.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct VerifiedWebhook {
    /// The de-duplication key: the `Greenhouse-Event-ID` header, or `sha256:<hex of the body>`
    /// when the header is absent (a retried delivery carries the same body).
    pub delivery_id: String,
    /// Lowercase hex SHA-256 of the raw body.
    pub digest: String,
    /// The typed event.
    pub event: WebhookEvent,
}

/// Why a delivery was refused. The response carries only a fixed phrase; `Display` and
/// `Debug` carry the detail for logs (never a secret).
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookRejection {
    /// Missing, malformed or wrong `Signature` header: `401 invalid signature`.
    InvalidSignature {
        /// What was wrong with it.
        reason: &'static str,
    },
    /// Signed correctly but not a valid delivery (not JSON, a payload of the wrong shape), or a
    /// body that could not be read: `400 malformed webhook`.
    Malformed {
        /// The decoding error, with its JSON path.
        detail: String,
    },
    /// The body is over the route's limit: `413 payload too large`.
    TooLarge,
}

impl fmt::Display for WebhookRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidSignature { reason } => {
                write!(f, "Greenhouse webhook refused: {reason}")
            }
            Self::Malformed { detail } => write!(f, "malformed Greenhouse webhook: {detail}"),
            Self::TooLarge => f.write_str("Greenhouse webhook body over the size limit"),
        }
    }
}

impl std::error::Error for WebhookRejection {}

impl WebhookRejection {
    /// The HTTP status this rejection answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::InvalidSignature { .. } => StatusCode::UNAUTHORIZED,
            Self::Malformed { .. } => StatusCode::BAD_REQUEST,
            Self::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        }
    }

    fn body(&self) -> &'static str {
        match self {
            Self::InvalidSignature { .. } => "invalid signature",
            Self::Malformed { .. } => "malformed webhook",
            Self::TooLarge => "payload too large",
        }
    }
}

impl IntoResponse for WebhookRejection {
    fn into_response(self) -> Response {
        tracing::debug!(rejection = %self, "refusing a Greenhouse webhook");
        (self.status(), self.body()).into_response()
    }
}

impl<S> FromRequest<S> for VerifiedWebhook
where
    WebhookVerifier: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = WebhookRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let verifier = WebhookVerifier::from_ref(state);
        let headers = req.headers().clone();
        let body = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                WebhookRejection::TooLarge
            } else {
                WebhookRejection::Malformed {
                    detail: e.body_text(),
                }
            }
        })?;
        let signature = headers
            .get(SIGNATURE_HEADER)
            .map(|v| v.to_str().unwrap_or_default());
        verifier.verify(&body, signature).map_err(|e| match e {
            Error::InvalidSignature { reason } => WebhookRejection::InvalidSignature { reason },
            other => WebhookRejection::Malformed {
                detail: other.to_string(),
            },
        })?;
        let event = parse_event(&body).map_err(|e| WebhookRejection::Malformed {
            detail: e.to_string(),
        })?;
        let digest = hex::encode(Sha256::digest(&body));
        Ok(VerifiedWebhook {
            delivery_id: delivery_id(&headers, &digest),
            digest,
            event,
        })
    }
}

/// `Greenhouse-Event-ID` when present and readable, else the body's digest.
fn delivery_id(headers: &HeaderMap, digest: &str) -> String {
    headers
        .get(EVENT_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map_or_else(|| format!("sha256:{digest}"), str::to_owned)
}

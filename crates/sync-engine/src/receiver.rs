//! The webhook receiver: an `axum` router (feature `axum`).
//!
//! | route | answer |
//! |---|---|
//! | `POST /webhooks/lever/{tenant}` | 202 recorded, 200 duplicate, 401 bad signature or stale, 400 malformed, 404 unknown tenant, 413 too large, 503 store down |
//! | `POST /webhooks/greenhouse/{tenant}` | same |
//! | `GET /health` | 200 `ok` |
//!
//! The body is taken as raw bytes (signatures cover the bytes exactly as
//! sent) and recorded durably before the 2xx, so an ATS never gets a success
//! for a delivery the engine could lose.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};

use crate::engine::Engine;
use crate::error::Error;
use crate::tenant::{Ats, TenantId};
use crate::webhook::{Received, WebhookHeaders};

/// Largest accepted delivery. Greenhouse candidate payloads with many
/// applications are tens of kilobytes; 1 MiB leaves ample room and bounds
/// what an unauthenticated caller can make us buffer.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The receiver's routes over a shared engine.
pub fn router(engine: Arc<Engine>) -> Router {
    Router::new()
        .route("/webhooks/lever/{tenant}", post(lever))
        .route("/webhooks/greenhouse/{tenant}", post(greenhouse))
        .route("/health", get(|| async { "ok" }))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(engine)
}

async fn lever(
    State(engine): State<Arc<Engine>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    receive_off_thread(engine, Ats::Lever, tenant, headers, body).await
}

async fn greenhouse(
    State(engine): State<Arc<Engine>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    receive_off_thread(engine, Ats::Greenhouse, tenant, headers, body).await
}

/// Verification and the durable write (an fsync) run on tokio's blocking
/// pool, so a burst of deliveries never stalls the async workers.
async fn receive_off_thread(
    engine: Arc<Engine>,
    ats: Ats,
    tenant: String,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    tokio::task::spawn_blocking(move || receive(&engine, ats, &tenant, &headers, &body))
        .await
        .unwrap_or_else(|e| {
            tracing::error!(error = %e, "webhook handler panicked");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal error".to_owned(),
            )
        })
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

fn receive(
    engine: &Engine,
    ats: Ats,
    tenant: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> (StatusCode, String) {
    let wanted = WebhookHeaders {
        signature: header(headers, "signature"),
        event_id: header(headers, "greenhouse-event-id"),
    };
    let result = TenantId::new(tenant).and_then(|t| engine.receive_webhook(ats, &t, &wanted, body));
    let (status, message) = match result {
        Ok(Received::Recorded) => (StatusCode::ACCEPTED, "recorded".to_owned()),
        Ok(Received::Duplicate) => (StatusCode::OK, "duplicate delivery ignored".to_owned()),
        Err(e) => (status_for(&e), e.to_string()),
    };
    if status.is_success() {
        tracing::debug!(%ats, tenant, %status, "webhook answered");
    } else {
        tracing::warn!(%ats, tenant, %status, reason = %message, "webhook refused");
    }
    (status, message)
}

fn status_for(error: &Error) -> StatusCode {
    match error {
        Error::WebhookRejected(_) => StatusCode::UNAUTHORIZED,
        Error::MalformedPayload(_) => StatusCode::BAD_REQUEST,
        Error::InvalidTenant(_) | Error::UnknownTenant(_) | Error::NotConnected { .. } => {
            StatusCode::NOT_FOUND
        }
        // Store trouble: ask the ATS to deliver again later.
        _ => StatusCode::SERVICE_UNAVAILABLE,
    }
}

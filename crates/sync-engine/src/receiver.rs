//! The webhook receiver: an `axum` router (feature `axum`).
//!
//! | route | answer |
//! |---|---|
//! | `POST /webhooks/lever/{tenant}` | 202 recorded, 200 duplicate, 401 refused, 400 malformed, 413 too large, 503 store down |
//! | `POST /webhooks/greenhouse/{tenant}` | same |
//! | `GET /health` | 200 `ok` |
//!
//! A refusal before the signature is verified says nothing more than
//! `401 webhook refused`, whatever the reason (a bad or stale signature, an
//! unknown tenant, a tenant without that ATS): an unauthenticated caller
//! cannot tell which tenants exist. The log has the real reason. A `400`
//! comes only after a valid signature.
//!
//! The body is taken as raw bytes (signatures cover the bytes exactly as
//! sent) and recorded durably before the 2xx, so an ATS never gets a success
//! for a delivery the engine could lose.
//!
//! ## Limits against slow or abusive callers
//! The routes are open to the internet, so nothing an unauthenticated
//! caller does may hold resources for long ([`ReceiverLimits`]):
//! - at most `max_in_flight` requests are handled at once; more get 503 at
//!   once (load shedding) instead of queueing;
//! - a request (body included) must complete within `request_timeout`, or
//!   it gets 408;
//! - [`serve`] also bounds how long a connection may take to send its
//!   headers (`header_read_timeout`) and how many connections are open
//!   (`max_connections`), which `axum::serve` does not. Use it instead of
//!   `axum::serve`, or put equivalent limits in your own server or proxy.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::error_handling::HandleErrorLayer;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use std::time::Duration;
use tower::ServiceBuilder;
use tower::limit::GlobalConcurrencyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::engine::Engine;
use crate::error::Error;
use crate::tenant::{Ats, TenantId};
use crate::webhook::{Received, WebhookHeaders};

/// Largest accepted delivery. Greenhouse candidate payloads with many
/// applications are tens of kilobytes; 1 MiB leaves ample room and bounds
/// what an unauthenticated caller can make us buffer.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Bounds on what callers may hold (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReceiverLimits {
    /// Requests handled at once; more are refused with 503.
    pub max_in_flight: usize,
    /// Longest time for one request, body read included (408 after it).
    pub request_timeout: Duration,
    /// Longest time a connection may take to send a request's headers
    /// ([`serve`] only).
    pub header_read_timeout: Duration,
    /// Open connections at most ([`serve`] only); further connections wait
    /// in the listen backlog.
    pub max_connections: usize,
}

impl Default for ReceiverLimits {
    /// 256 requests in flight, 10 s per request, 5 s for headers, 1,024 connections.
    fn default() -> Self {
        Self {
            max_in_flight: 256,
            request_timeout: Duration::from_secs(10),
            header_read_timeout: Duration::from_secs(5),
            max_connections: 1024,
        }
    }
}

/// The receiver's routes over a shared engine, with the default [`ReceiverLimits`].
pub fn router(engine: Arc<Engine>) -> Router {
    router_with_limits(engine, ReceiverLimits::default())
}

/// The receiver's routes with explicit limits.
pub fn router_with_limits(engine: Arc<Engine>, limits: ReceiverLimits) -> Router {
    Router::new()
        .route("/webhooks/lever/{tenant}", post(lever))
        .route("/webhooks/greenhouse/{tenant}", post(greenhouse))
        .route("/health", get(|| async { "ok" }))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        // A span per request (method, path, status, latency). Headers and
        // bodies are not recorded: they carry signatures and personal data.
        .layer(TraceLayer::new_for_http())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.request_timeout,
        ))
        .layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(|_: tower::BoxError| async {
                    (StatusCode::SERVICE_UNAVAILABLE, "busy, retry later")
                }))
                .load_shed()
                // One semaphore shared by every route (a plain
                // `concurrency_limit` would give each route its own).
                .layer(GlobalConcurrencyLimitLayer::new(
                    limits.max_in_flight.max(1),
                )),
        )
        // Outermost, so it sees the refusals of the layers above too.
        .layer(axum::middleware::map_response(close_if_body_unread))
        .with_state(engine)
}

/// A refusal sent before the request body was read (too large, too slow,
/// too busy) ends the connection and says so: the unread rest of the body
/// would otherwise be taken for the next request, and a sender that reuses
/// the connection would see its next delivery fail without an answer.
async fn close_if_body_unread(mut response: axum::response::Response) -> axum::response::Response {
    if matches!(
        response.status(),
        StatusCode::PAYLOAD_TOO_LARGE
            | StatusCode::REQUEST_TIMEOUT
            | StatusCode::SERVICE_UNAVAILABLE
    ) {
        response.headers_mut().insert(
            axum::http::header::CONNECTION,
            axum::http::HeaderValue::from_static("close"),
        );
    }
    response
}

/// Serves `router` on `listener` until `shutdown` completes, with the
/// connection-level limits of `limits` (header read timeout, connection
/// cap) that `axum::serve` lacks. In-flight requests finish before it returns.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    limits: ReceiverLimits,
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    use hyper_util::server::conn::auto::Builder;
    use hyper_util::service::TowerToHyperService;

    let slots = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    let (closing, _) = tokio::sync::watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown);
    let mut connections = tokio::task::JoinSet::new();
    loop {
        let permit = tokio::select! {
            _ = &mut shutdown => break,
            permit = slots.clone().acquire_owned() => permit.map_err(std::io::Error::other)?,
        };
        let (stream, _) = tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    continue;
                }
            },
        };
        let service = TowerToHyperService::new(router.clone());
        let mut closing = closing.subscribe();
        let header_timeout = limits.header_read_timeout;
        connections.spawn(async move {
            let _permit = permit;
            let mut builder = Builder::new(TokioExecutor::new());
            builder
                .http1()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout);
            let conn = builder.serve_connection(TokioIo::new(stream), service);
            let mut conn = std::pin::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = closing.changed() => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
        });
        // Reap finished connection tasks so the set stays small.
        while connections.try_join_next().is_some() {}
    }
    let _ = closing.send(true);
    while connections.join_next().await.is_some() {}
    Ok(())
}

async fn lever(
    State(engine): State<Arc<Engine>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    receive(&engine, Ats::Lever, &tenant, &headers, &body).await
}

async fn greenhouse(
    State(engine): State<Arc<Engine>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    receive(&engine, Ats::Greenhouse, &tenant, &headers, &body).await
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Verifies the signature (microseconds of CPU) in place; the durable write
/// runs where the store puts it (SQLite: the blocking pool), so a burst of
/// deliveries never stalls the async workers.
async fn receive(
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
    let result = match TenantId::new(tenant) {
        Ok(t) => engine.receive_webhook(ats, &t, &wanted, body).await,
        Err(e) => Err(e),
    };
    let (status, message) = match result {
        Ok(Received::Recorded) => (StatusCode::ACCEPTED, "recorded".to_owned()),
        Ok(Received::Duplicate) => (StatusCode::OK, "duplicate delivery ignored".to_owned()),
        Err(e) => (status_for(&e), e.to_string()),
    };
    if status.is_success() {
        tracing::debug!(%ats, tenant, %status, "webhook answered");
        return (status, message);
    }
    tracing::warn!(%ats, tenant, %status, reason = %message, "webhook refused");
    if status == StatusCode::UNAUTHORIZED {
        return (status, REFUSED.to_owned());
    }
    (status, message)
}

/// The whole answer to every unauthenticated refusal (see the module docs).
const REFUSED: &str = "webhook refused";

fn status_for(error: &Error) -> StatusCode {
    match error {
        Error::WebhookRejected(_)
        | Error::InvalidTenant(_)
        | Error::UnknownTenant(_)
        | Error::NotConnected { .. } => StatusCode::UNAUTHORIZED,
        Error::MalformedPayload(_) => StatusCode::BAD_REQUEST,
        // Store trouble: ask the ATS to deliver again later.
        _ => StatusCode::SERVICE_UNAVAILABLE,
    }
}

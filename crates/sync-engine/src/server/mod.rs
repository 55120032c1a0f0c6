//! A multi-tenant server (feature `server`): one `axum` app for many
//! tenants, with the webhook routes, an admin API, health and readiness,
//! Prometheus metrics, the background workers and graceful shutdown.
//!
//! It is a library module, not a binary, so a platform can mount
//! [`Server::router`] inside its own app (or call [`Server::run`]) and tests
//! can drive it in-process; the workspace's `examples/webhook_server.rs` is
//! the thin binary that reads [`ServerConfig`] and runs it.
//!
//! | route | auth | answer |
//! |---|---|---|
//! | `POST /webhooks/{lever,greenhouse}/{tenant}` | ATS signature | the routes of [`crate::receiver`]; every refusal of an unauthenticated caller (bad signature, unknown tenant, tenant without that ATS) is the same `401 webhook refused` |
//! | `GET /healthz` | none | 200 while the process serves |
//! | `GET /readyz` | none | 200 when the store answers, else 503 |
//! | `GET /metrics` | none | Prometheus text ([`metrics`]) |
//! | `/admin/v1/…` | `Authorization: Bearer <admin token>` | the admin API ([`admin`]) |
//! | `/settings/…`, `/oauth/lever/callback` | session cookie + CSRF token; the OAuth `state` | the integrations page ([`settings`]) |
//!
//! ## Shutdown
//! [`Server::run`] stops when its `shutdown` future completes ([`shutdown_signal`]:
//! SIGTERM or SIGINT): it stops accepting connections, lets requests in
//! flight finish, then stops the background workers after their current
//! pass, so a note being posted is posted and recorded. All of it within
//! [`ServerConfig::shutdown_grace`]; past it, the remaining work is
//! abandoned, and the outbox's leases and marker checks make the next start
//! finish it without duplicates.

pub mod admin;
mod auth;
pub mod config;
pub mod logging;
pub mod metrics;
pub mod settings;

use std::collections::BTreeSet;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

pub use config::{ConfigError, LogFormat, Secret, ServerConfig};
pub use logging::init_logging;
pub use metrics::{Metrics, MetricsLayer};

use crate::connection::Connections;
use crate::engine::{Engine, Tenant};
use crate::receiver::{self, ReceiverLimits};
use crate::tenant::{Ats, TenantId};

/// The server: an engine, its configuration and metrics. Cheap to clone.
#[derive(Clone)]
pub struct Server {
    pub(crate) state: Arc<ServerState>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("config", &self.state.config)
            .finish_non_exhaustive()
    }
}

/// What every handler shares.
pub(crate) struct ServerState {
    pub(crate) engine: Arc<Engine>,
    pub(crate) connections: Arc<Connections>,
    pub(crate) config: ServerConfig,
    pub(crate) metrics: Arc<Metrics>,
    pub(crate) limits: ReceiverLimits,
    /// Tenants built in code ([`Server::add_tenant`]), next to the
    /// persisted ones of `connections` (for metrics).
    pub(crate) tenants: RwLock<BTreeSet<TenantId>>,
}

impl Server {
    /// A server over the tenants and connections of `connections` (and
    /// their engine), configured by `config`.
    pub fn new(connections: Arc<Connections>, config: ServerConfig) -> Self {
        Self {
            state: Arc::new(ServerState {
                engine: connections.engine().clone(),
                connections,
                config,
                metrics: Arc::new(Metrics::new()),
                limits: ReceiverLimits::default(),
                tenants: RwLock::new(BTreeSet::new()),
            }),
        }
    }

    /// The engine.
    pub fn engine(&self) -> &Arc<Engine> {
        &self.state.engine
    }

    /// The metrics (install [`Metrics::layer`] in your `tracing` subscriber
    /// to count the clients' retries).
    pub fn metrics(&self) -> &Arc<Metrics> {
        &self.state.metrics
    }

    /// The tenants and their connections.
    pub fn connections(&self) -> &Arc<Connections> {
        &self.state.connections
    }

    /// Registers (or replaces) a tenant built in code, with its connections,
    /// next to the persisted ones (it is not persisted: a platform that
    /// builds tenants in code registers them at every start).
    pub fn add_tenant(&self, tenant: Tenant) -> crate::Result<()> {
        let id = tenant.id().clone();
        self.state.engine.add_tenant(tenant)?;
        self.state.remember(id);
        Ok(())
    }

    /// Every route of the server, ready to serve or to nest in a larger app.
    pub fn router(&self) -> Router {
        let webhooks =
            receiver::router_with_limits(self.state.engine.clone(), self.state.limits).layer(
                middleware::from_fn_with_state(self.state.clone(), webhook_answers),
            );
        Router::new()
            .route("/healthz", get(|| async { "ok" }))
            .route("/readyz", get(readyz))
            .route("/metrics", get(metrics_text))
            .nest("/admin/v1", admin::router(self.state.clone()))
            .merge(settings::router())
            .with_state(self.state.clone())
            .merge(webhooks)
    }

    /// Serves on `listener` and runs the background workers until
    /// `shutdown` completes, then shuts down gracefully (see the module docs).
    pub async fn run(
        self,
        listener: tokio::net::TcpListener,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let stop_signal = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
            let _ = rx.wait_for(|stop| *stop).await;
        };
        let mut serving = tokio::spawn(receiver::serve(
            listener,
            self.router(),
            self.state.limits,
            stop_signal(stopped.clone()),
        ));
        let workers = tokio::spawn(
            self.state
                .engine
                .clone()
                .run_workers(self.state.config.worker_every, stop_signal(stopped)),
        );
        let aborts = [serving.abort_handle(), workers.abort_handle()];
        tokio::select! {
            _ = shutdown => {}
            // The server failed on its own (it only returns early on error).
            ended = &mut serving => {
                let _ = stop.send(true);
                let _ = workers.await;
                return ended.map_err(std::io::Error::other)?;
            }
        }
        tracing::info!("shutting down: no new connections; finishing requests and posts in flight");
        let _ = stop.send(true);
        let grace = self.state.config.shutdown_grace;
        // `serve` returns once in-flight requests are answered; the workers
        // once their current pass ends (a post in flight is recorded).
        let drained = tokio::time::timeout(grace, async {
            let served = serving.await;
            let _ = workers.await;
            served
        })
        .await;
        match drained {
            Ok(served) => {
                tracing::info!("stopped");
                served.map_err(std::io::Error::other)?
            }
            Err(_) => {
                tracing::warn!(
                    ?grace,
                    "work still in flight after the grace period; abandoned (leases and marker checks make the next start finish it without duplicates)"
                );
                aborts.iter().for_each(|a| a.abort());
                Ok(())
            }
        }
    }
}

impl ServerState {
    pub(crate) fn remember(&self, tenant: TenantId) {
        self.tenants
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(tenant);
    }

    /// Every tenant: persisted ones and those built in code.
    pub(crate) async fn tenant_ids(&self) -> crate::Result<Vec<TenantId>> {
        let mut all: BTreeSet<TenantId> = self.connections.tenants().await?.into_iter().collect();
        all.extend(
            self.tenants
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .iter()
                .cloned(),
        );
        Ok(all.into_iter().collect())
    }
}

/// Completes on SIGTERM or SIGINT (Ctrl-C); on non-Unix systems on Ctrl-C.
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM; Ctrl-C only");
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Readiness: the store must answer a read.
async fn readyz(State(state): State<Arc<ServerState>>) -> Response {
    let probe = TenantId::new("readiness-probe").expect("a valid constant id");
    match state.engine.store().checkpoint(&probe, "readiness").await {
        Ok(_) => (StatusCode::OK, "ready").into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "not ready: the store does not answer");
            (StatusCode::SERVICE_UNAVAILABLE, "store unavailable").into_response()
        }
    }
}

async fn metrics_text(State(state): State<Arc<ServerState>>) -> Response {
    let rendered = match state.tenant_ids().await {
        Ok(tenants) => state.metrics.render(state.engine.store(), &tenants).await,
        Err(e) => Err(e),
    };
    match rendered {
        Ok(text) => (
            [(
                axum::http::header::CONTENT_TYPE,
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
            )],
            text,
        )
            .into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "metrics unavailable");
            (StatusCode::SERVICE_UNAVAILABLE, "metrics unavailable").into_response()
        }
    }
}

/// Counts webhook answers. (The receiver itself makes every refusal of an
/// unauthenticated caller look the same: `401 webhook refused`.)
async fn webhook_answers(
    State(state): State<Arc<ServerState>>,
    request: Request,
    next: Next,
) -> Response {
    let ats = match request.uri().path().split('/').nth(2) {
        Some("lever") => Some(Ats::Lever),
        Some("greenhouse") => Some(Ats::Greenhouse),
        _ => None,
    };
    let response = next.run(request).await;
    let Some(ats) = ats else {
        return response;
    };
    let status = response.status();
    state.metrics.webhook_answered(ats, status.as_u16());
    response
}

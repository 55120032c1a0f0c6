//! The production-shaped receiver and worker for one tenant, configured
//! from environment variables, on the SQLite store (one machine) or on
//! PostgreSQL (several replicas behind a load balancer share one database):
//!
//! ```text
//! ASPECT_TENANT=acme LEVER_API_KEY=… LEVER_WEBHOOK_TOKENS=tok1,tok2 \
//! GREENHOUSE_CLIENT_ID=… GREENHOUSE_CLIENT_SECRET=… GREENHOUSE_USER_ID=4080 \
//! GREENHOUSE_WEBHOOK_SECRETS=… cargo run --example webhook_server
//! ```
//!
//! | variable | meaning | default |
//! |---|---|---|
//! | `ASPECT_TENANT` | tenant id used in the webhook URLs | required |
//! | `ASPECT_LISTEN` | address to listen on | `127.0.0.1:8080` |
//! | `ASPECT_DATABASE_URL` | a `postgres://` / `postgresql://` URL (the PostgreSQL store, for several replicas; TLS is not used, see the store's docs), or a SQLite file path | `aspect-engine.sqlite3` |
//! | `ASPECT_DB` | the earlier name for a SQLite path (read when `ASPECT_DATABASE_URL` is unset) | — |
//! | `ASPECT_DATABASE_POOL_SIZE` | PostgreSQL connections per replica | the store's default (16) |
//! | `ASPECT_OWN_DOMAINS` | comma-separated e-mail domains of the customer (never candidates) | none |
//! | `ASPECT_RECORDING_BASE_URL` | meeting pages, linked from every note | none |
//! | `ASPECT_SYNC_EVERY_SECS` | how often to run "Sync now" (upcoming Greenhouse interviews arrive this way) | `900` |
//! | `LEVER_API_KEY` | Lever API key (enables Lever) | — |
//! | `LEVER_BASE_URL` | Lever API root | `https://api.lever.co/v1` |
//! | `LEVER_WEBHOOK_TOKENS` | comma-separated webhook signature tokens | required with Lever |
//! | `LEVER_PERFORM_AS` | Lever user id notes are posted as | none |
//! | `GREENHOUSE_CLIENT_ID`, `GREENHOUSE_CLIENT_SECRET` | Harvest v3 OAuth credentials (enable Greenhouse) | — |
//! | `GREENHOUSE_USER_ID` | the user notes are attributed to (`sub`) | the credentials' service account |
//! | `GREENHOUSE_WEBHOOK_SECRETS` | comma-separated webhook secret keys | required with Greenhouse |
//! | `GREENHOUSE_BASE_URL`, `GREENHOUSE_TOKEN_URL` | Harvest v3 and token URLs | Greenhouse's |
//!
//! Point Lever's webhooks at `http://<host>/webhooks/lever/<tenant>` and
//! Greenhouse's at `http://<host>/webhooks/greenhouse/<tenant>` (behind a
//! TLS-terminating proxy: both ATSs deliver over HTTPS only). `GET /health`
//! answers `ok`. Ctrl-C stops it.

use std::sync::Arc;
use std::time::Duration;

use aspect_interview_core::{Meeting, MeetingId};
use aspect_sync_engine::greenhouse::GreenhouseConnection;
use aspect_sync_engine::lever::LeverConnection;
use aspect_sync_engine::receiver::{self, ReceiverLimits};
use aspect_sync_engine::store::{PostgresStore, SqliteStore, Store};
use aspect_sync_engine::{
    Ats, Engine, NoteTaker, NoteTakerError, Tenant, TenantId, TenantSettings,
};
use async_trait::async_trait;

/// Logs what a real recording bot would be asked to do.
struct LoggingNoteTaker;

#[async_trait]
impl NoteTaker for LoggingNoteTaker {
    async fn schedule(&self, tenant: &TenantId, meeting: &Meeting) -> Result<(), NoteTakerError> {
        tracing::info!(%tenant, meeting = %meeting.id, start = %meeting.start, "schedule note taker");
        Ok(())
    }

    async fn cancel(&self, tenant: &TenantId, meeting: &MeetingId) -> Result<(), NoteTakerError> {
        tracing::info!(%tenant, %meeting, "cancel note taker");
        Ok(())
    }
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn list(name: &str) -> Vec<String> {
    var(name)
        .map(|v| {
            v.split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

fn lever(tenant: Tenant) -> Result<Tenant, Box<dyn std::error::Error>> {
    let Some(key) = var("LEVER_API_KEY") else {
        return Ok(tenant);
    };
    let tokens = list("LEVER_WEBHOOK_TOKENS");
    if tokens.is_empty() {
        return Err("LEVER_WEBHOOK_TOKENS is required with LEVER_API_KEY".into());
    }
    let mut builder = lever_client::LeverClient::builder().api_key(key);
    if let Some(url) = var("LEVER_BASE_URL") {
        builder = builder.base_url(url);
    }
    let verifier = lever_client::WebhookVerifier::with_tokens(
        tokens.into_iter().map(lever_client::SignatureToken::new),
    );
    let mut connection = LeverConnection::new(builder.build()?, verifier);
    if let Some(user) = var("LEVER_PERFORM_AS") {
        connection = connection.perform_as(user);
    }
    tracing::info!("Lever connected");
    Ok(tenant.with_lever(connection))
}

fn greenhouse(tenant: Tenant) -> Result<Tenant, Box<dyn std::error::Error>> {
    let (Some(id), Some(secret)) = (var("GREENHOUSE_CLIENT_ID"), var("GREENHOUSE_CLIENT_SECRET"))
    else {
        return Ok(tenant);
    };
    let mut secrets = list("GREENHOUSE_WEBHOOK_SECRETS").into_iter();
    let first = secrets
        .next()
        .ok_or("GREENHOUSE_WEBHOOK_SECRETS is required with Greenhouse")?;
    let verifier = secrets.fold(greenhouse_harvest::WebhookVerifier::new(first), |v, s| {
        v.with_secret(s)
    });
    let user = var("GREENHOUSE_USER_ID")
        .map(|u| u.parse::<u64>())
        .transpose()?;
    let mut builder =
        greenhouse_harvest::HarvestClient::builder().client_credentials(id, secret, user);
    if let Some(url) = var("GREENHOUSE_BASE_URL") {
        builder = builder.base_url(url);
    }
    if let Some(url) = var("GREENHOUSE_TOKEN_URL") {
        builder = builder.token_url(url);
    }
    tracing::info!("Greenhouse connected");
    Ok(tenant.with_greenhouse(GreenhouseConnection::new(builder.build()?, verifier)))
}

/// "Sync now" for every connected ATS, then again every `every`: webhooks
/// keep the index current between runs; Greenhouse's upcoming interviews
/// have no webhook and arrive through these syncs.
async fn periodic_sync(engine: Arc<Engine>, tenant: TenantId, every: Duration) {
    loop {
        for ats in [Ats::Lever, Ats::Greenhouse] {
            let result = engine
                .sync_now(&tenant, ats, |p| {
                    if p.done {
                        tracing::info!(%ats, resource = p.resource, items = p.items, pages = p.pages, "synced");
                    }
                })
                .await;
            match result {
                Ok(_) | Err(aspect_sync_engine::Error::NotConnected { .. }) => {}
                Err(e) => tracing::warn!(%ats, error = %e, "sync failed; retried next round"),
            }
        }
        tokio::time::sleep(every).await;
    }
}

/// The store `ASPECT_DATABASE_URL` names, and a description of it for the
/// log (a PostgreSQL URL is not logged: it may hold a password).
async fn open_store() -> Result<(Arc<dyn Store>, String), Box<dyn std::error::Error>> {
    let target = var("ASPECT_DATABASE_URL")
        .or_else(|| var("ASPECT_DB"))
        .unwrap_or_else(|| "aspect-engine.sqlite3".into());
    if target.starts_with("postgres://") || target.starts_with("postgresql://") {
        let mut builder = PostgresStore::builder(&target)?;
        if let Some(size) = var("ASPECT_DATABASE_POOL_SIZE") {
            builder = builder.pool_size(size.parse()?);
        }
        let store = builder.connect().await?;
        let shown = format!("{store:?}");
        return Ok((Arc::new(store), shown));
    }
    Ok((Arc::new(SqliteStore::open(&target)?), target))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let tenant_id =
        TenantId::new(var("ASPECT_TENANT").ok_or("set ASPECT_TENANT (see the example's docs)")?)?;
    let mut settings = TenantSettings::new().own_domains(list("ASPECT_OWN_DOMAINS"));
    if let Some(url) = var("ASPECT_RECORDING_BASE_URL") {
        settings = settings.recording_base_url(url);
    }
    let tenant = greenhouse(lever(Tenant::new(tenant_id.clone(), settings))?)?;

    let (store, db) = open_store().await?;
    let engine = Arc::new(Engine::new(store, Arc::new(LoggingNoteTaker)));
    engine.add_tenant(tenant)?;

    let listen = var("ASPECT_LISTEN").unwrap_or_else(|| "127.0.0.1:8080".into());
    let listener = tokio::net::TcpListener::bind(&listen).await?;
    tracing::info!(%listen, %db, tenant = %tenant_id, "receiving webhooks");
    let workers = tokio::spawn(engine.clone().run_workers(Duration::from_secs(2), async {
        let _ = tokio::signal::ctrl_c().await;
    }));
    let every = var("ASPECT_SYNC_EVERY_SECS")
        .map(|v| v.parse::<u64>())
        .transpose()?
        .unwrap_or(900);
    tokio::spawn(periodic_sync(
        engine.clone(),
        tenant_id.clone(),
        Duration::from_secs(every.max(60)),
    ));
    // `receiver::serve` bounds header reads and open connections, which
    // `axum::serve` does not (see the receiver's docs).
    let limits = ReceiverLimits::default();
    receiver::serve(
        listener,
        receiver::router_with_limits(engine, limits),
        limits,
        async {
            let _ = tokio::signal::ctrl_c().await;
        },
    )
    .await?;
    workers.await?;
    Ok(())
}

//! The multi-tenant server (`aspect_sync_engine::server`) as a binary: reads
//! its configuration, opens the store, and serves the webhook routes, the
//! admin API, `/healthz`, `/readyz` and `/metrics` until SIGTERM or SIGINT.
//!
//! ```text
//! ASPECT_ADMIN_TOKEN=… cargo run --example webhook_server -- server.toml
//! ```
//!
//! The configuration comes from an optional TOML file (first argument, or
//! `ASPECT_CONFIG`) and environment variables, which override it; see
//! `aspect_sync_engine::server::config` for every key. Secrets (the admin
//! token) come only from the environment or a `*_file`. The store:
//! `ASPECT_DATABASE_URL` is a `postgres://` URL (several replicas on one
//! database) or a SQLite file (`sqlite://path` or a plain path).
//!
//! `ASPECT_SECRET_KEYS` (`id:BASE64KEY,…`, newest first) seals credentials
//! and tokens at rest. Tenants are created and connected through the admin
//! API (`POST /admin/v1/tenants`, `…/lever/connect` with
//! `LEVER_OAUTH_CLIENT_ID`/`LEVER_OAUTH_CLIENT_SECRET` set,
//! `…/greenhouse/connect`) and persisted in the store.
//! For a single tenant connected from the environment, as before, also set:
//!
//! | variable | meaning | default |
//! |---|---|---|
//! | `ASPECT_TENANT` | tenant id used in the webhook URLs | none (no tenant at start) |
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
//! Point Lever's webhooks at `<public_url>/webhooks/lever/<tenant>` and
//! Greenhouse's at `<public_url>/webhooks/greenhouse/<tenant>` (behind a
//! TLS-terminating proxy: both ATSs deliver over HTTPS only).

use std::sync::Arc;
use std::time::Duration;

use aspect_interview_core::{Meeting, MeetingId};
use aspect_sync_engine::connection::{ConnectConfig, Connections, GreenhouseApi, LeverApp};
use aspect_sync_engine::greenhouse::GreenhouseConnection;
use aspect_sync_engine::lever::LeverConnection;
use aspect_sync_engine::secrets::SecretBox;
use aspect_sync_engine::server::{Server, ServerConfig, init_logging, shutdown_signal};
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

/// The keys that seal credentials at rest: `ASPECT_SECRET_KEYS`
/// (`id:BASE64,…`, newest first) or the file `ASPECT_SECRET_KEYS_FILE` names.
fn secrets() -> Result<SecretBox, Box<dyn std::error::Error>> {
    let spec = match (var("ASPECT_SECRET_KEYS"), var("ASPECT_SECRET_KEYS_FILE")) {
        (Some(spec), _) => spec,
        (None, Some(path)) => std::fs::read_to_string(path)?.trim().to_owned(),
        (None, None) => {
            return Err(format!(
                "set ASPECT_SECRET_KEYS (for example k1:{})",
                SecretBox::generate_key()?
            )
            .into());
        }
    };
    Ok(SecretBox::from_config(&spec)?)
}

/// The public URL and, with `LEVER_OAUTH_CLIENT_ID` and
/// `LEVER_OAUTH_CLIENT_SECRET`, the Lever OAuth app (optional
/// `LEVER_AUTHORIZE_URL`, `LEVER_TOKEN_URL`, `LEVER_BASE_URL` for a sandbox
/// or a fake); Greenhouse endpoints from `GREENHOUSE_BASE_URL` and
/// `GREENHOUSE_TOKEN_URL`.
fn connect_config(config: &ServerConfig) -> Result<ConnectConfig, Box<dyn std::error::Error>> {
    let mut connect = ConnectConfig::new(config.public_url.parse()?);
    if let (Some(id), Some(secret)) = (
        var("LEVER_OAUTH_CLIENT_ID"),
        var("LEVER_OAUTH_CLIENT_SECRET"),
    ) {
        let mut app = LeverApp::new(id, secret);
        if let Some(url) = var("LEVER_AUTHORIZE_URL") {
            app = app.authorize_url(url);
        }
        if let Some(url) = var("LEVER_TOKEN_URL") {
            app = app.token_url(url);
        }
        if let Some(url) = var("LEVER_BASE_URL") {
            app = app.api_base_url(url);
        }
        connect = connect.lever(app);
    }
    let mut greenhouse = GreenhouseApi::new();
    if let Some(url) = var("GREENHOUSE_BASE_URL") {
        greenhouse = greenhouse.base_url(url);
    }
    if let Some(url) = var("GREENHOUSE_TOKEN_URL") {
        greenhouse = greenhouse.token_url(url);
    }
    Ok(connect.greenhouse(greenhouse))
}

/// The store named by `ASPECT_DATABASE_URL`: a `postgres://` URL (several
/// replicas share one database; `ASPECT_DATABASE_POOL_SIZE` connections per
/// process) or a SQLite file (`sqlite://path` or a plain path).
async fn open_store(url: &str) -> Result<Arc<dyn Store>, Box<dyn std::error::Error>> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let mut builder = PostgresStore::builder(url)?;
        if let Some(size) = var("ASPECT_DATABASE_POOL_SIZE") {
            builder = builder.pool_size(size.parse().map_err(|_| {
                format!("ASPECT_DATABASE_POOL_SIZE must be a number, not `{size}`")
            })?);
        }
        return Ok(Arc::new(builder.connect().await?));
    }
    let path = url.strip_prefix("sqlite://").unwrap_or(url).to_owned();
    let store = tokio::task::spawn_blocking(move || SqliteStore::open(path)).await??;
    Ok(Arc::new(store))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let file = std::env::args().nth(1).or_else(|| var("ASPECT_CONFIG"));
    let config = ServerConfig::load(file.as_deref().map(std::path::Path::new))?;
    let store = open_store(&config.database_url).await?;
    let engine = Arc::new(Engine::new(store.clone(), Arc::new(LoggingNoteTaker)));
    let connections = Arc::new(Connections::new(
        engine.clone(),
        store,
        secrets()?,
        connect_config(&config)?,
    ));
    let server = Server::new(connections.clone(), config.clone());
    init_logging(
        config.log_format,
        &config.log_filter,
        Some(server.metrics()),
    )
    .map_err(|e| e.to_string())?;
    tracing::info!(?config, "configuration");
    let loaded = connections.load().await?;
    tracing::info!(tenants = loaded, "tenants loaded from the store");

    if let Some(tenant) = var("ASPECT_TENANT") {
        let tenant_id = TenantId::new(tenant)?;
        let mut settings = TenantSettings::new().own_domains(list("ASPECT_OWN_DOMAINS"));
        if let Some(url) = var("ASPECT_RECORDING_BASE_URL") {
            settings = settings.recording_base_url(url);
        }
        server.add_tenant(greenhouse(lever(Tenant::new(
            tenant_id.clone(),
            settings,
        ))?)?)?;
        let every = var("ASPECT_SYNC_EVERY_SECS")
            .map(|v| v.parse::<u64>())
            .transpose()?
            .unwrap_or(900);
        tokio::spawn(periodic_sync(
            engine.clone(),
            tenant_id,
            Duration::from_secs(every.max(60)),
        ));
    }

    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    tracing::info!(listen = %config.listen, public_url = %config.public_url, "serving");
    server.run(listener, shutdown_signal()).await?;
    Ok(())
}

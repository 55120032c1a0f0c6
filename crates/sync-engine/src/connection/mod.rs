//! Connecting a customer's ATS the way an admin does it, with everything
//! persisted (features `lever` and `greenhouse`).
//!
//! [`Connections`] owns the lifecycle of tenants and their connections on
//! top of an [`Engine`]: it keeps them in the store's record family (every
//! store: memory, SQLite, PostgreSQL), so a restart or another replica
//! rebuilds the same tenants with [`Connections::load`], and it registers
//! the resulting connectors with the engine.
//!
//! - **Lever** (OAuth consent): [`start_lever`](Connections::start_lever)
//!   gives the authorize URL for the admin's pop-up, with a random
//!   single-use `state` bound to the tenant that expires after ten
//!   minutes; the OAuth callback calls
//!   [`complete_lever`](Connections::complete_lever) with the `state` and
//!   `code`, which exchanges the code, saves the tokens through a durable
//!   [`StoreTokenStore`] (Lever rotates the refresh token on every refresh:
//!   the chain lives in the store, so it survives restarts and is shared by
//!   replicas), registers the engine's eight webhooks through Lever's API
//!   and marks the connection Active. The admin still switches each webhook
//!   group on in Lever; the status lists those not seen yet.
//! - **Greenhouse** (Harvest v3 credentials):
//!   [`connect_greenhouse`](Connections::connect_greenhouse) checks the
//!   credentials, finds the Greenhouse user with the admin's e-mail (notes
//!   are posted on their behalf), generates the webhook secret and returns
//!   it with the tenant's endpoint URL for the admin to copy into
//!   Greenhouse; the connection turns Active after its first successful
//!   [`sync`](Connections::sync).
//! - [`status`](Connections::status) reports, per ATS, Active / Inactive
//!   (why) / never connected, the last Sync and its progress, the last
//!   webhook received, parked and failed notes and the webhooks the admin
//!   still has to create. A revoked or lapsed credential turns the
//!   connection Inactive with its reason and parks its work (the engine
//!   does); connecting again resumes it.
//! - [`disconnect`](Connections::disconnect) deletes the credentials,
//!   tokens and webhook secrets (and Lever webhooks registered through the
//!   API), and detaches the connector.
//!
//! ## Wiring
//! ```no_run
//! # async fn wire() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//! use aspect_sync_engine::connection::{ConnectConfig, Connections, LeverApp};
//! use aspect_sync_engine::secrets::SecretBox;
//! use aspect_sync_engine::store::{SqliteStore, Store};
//! use aspect_sync_engine::{Engine, RecordingNoteTaker};
//!
//! let store: Arc<dyn Store> = Arc::new(SqliteStore::open("engine.sqlite3")?);
//! let engine = Arc::new(Engine::new(store.clone(), Arc::new(RecordingNoteTaker::new())));
//! // Keys from configuration, current first: "k2:BASE64,k1:BASE64".
//! let secrets = SecretBox::from_config(&std::env::var("ASPECT_SECRET_KEYS")?)?;
//! let config = ConnectConfig::new("https://sync.example.com".parse()?)
//!     .lever(LeverApp::new("client-id", "client-secret"));
//! let connections = Connections::new(engine.clone(), store, secrets, config);
//! connections.load().await?; // every persisted tenant, back in the engine
//! // Serve `receiver::router(engine)` for webhooks, the OAuth callback at
//! // `config.lever_redirect_uri()`, and run `engine.run_workers(..)`.
//! # Ok(()) }
//! ```
//! Replicas call [`load`](Connections::load) at start and then every
//! minute or so: it rebuilds only tenants whose settings or connections
//! changed.
//!
//! ## What is encrypted
//! With the [`SecretBox`] (XChaCha20-Poly1305, keys from configuration,
//! each value bound to its record): the Lever OAuth tokens, the Lever
//! webhook signature tokens, the Greenhouse client secret and the
//! Greenhouse webhook secret. Not encrypted: tenant settings, client ids,
//! the admin's e-mail, the Greenhouse user id, states and progress. OAuth
//! `state` values are stored only as their SHA-256.
//!
//! ## Key rotation
//! Configure the new key first and keep the old ones after it
//! (`"k2:NEW,k1:OLD"`); values sealed with `k1` still open, new values
//! are sealed with `k2`. Run [`reencrypt_all`](Connections::reencrypt_all)
//! (or let connections rewrite their records over time), then drop `k1`.

mod records;
mod tokens;
mod watched;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use aspect_interview_core::matching::MatchConfig;
use chrono::{DateTime, Utc};
use greenhouse_harvest::HarvestClient;
use lever_client::{LeverClient, OAuthConfig, SignatureToken, WebhookVerifier};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use url::Url;

use crate::engine::{Engine, Tenant, TenantSettings};
use crate::error::{Error, Result};
use crate::greenhouse::GreenhouseConnection;
use crate::ingest::IngestReport;
use crate::lever::LeverConnection;
use crate::secrets::{SecretBox, random_token};
use crate::store::Store;
use crate::sync::SyncProgress;
use crate::tenant::{Ats, TenantId};

pub use records::{CONNECTION, LEVER_TOKENS, OAUTH_STATE, TENANT, WEBHOOKS_SEEN};
pub use tokens::StoreTokenStore;

use records::{
    ConnectionDoc, GreenhouseDoc, LeverDoc, SeenDoc, StateDoc, StoredState, TenantDoc, Versioned,
    connection_key,
};
use watched::{Live, Watched};

/// The path of the Lever OAuth callback under [`ConnectConfig::public_base_url`].
pub const LEVER_CALLBACK_PATH: &str = "/oauth/lever/callback";

/// How long a Lever authorization may take from the pop-up to the callback.
pub const STATE_TTL: std::time::Duration = std::time::Duration::from_secs(600);

/// The Lever webhooks the engine registers, with the names Lever's
/// settings page shows (Aspect's Lever setup guide, research note
/// domain.md §1.1; event strings lever.md §10.7).
pub const LEVER_WEBHOOKS: [WebhookHint; 8] = [
    WebhookHint::new("applicationCreated", "Application Created"),
    WebhookHint::new("candidateStageChange", "Candidate Stage Change"),
    WebhookHint::new("candidateArchiveChange", "Candidate Archive State Change"),
    WebhookHint::new("candidateHired", "Candidate Hired"),
    WebhookHint::new("candidateDeleted", "Candidate Deleted"),
    WebhookHint::new("interviewCreated", "Interview Created"),
    WebhookHint::new("interviewUpdated", "Interview Updated"),
    WebhookHint::new("interviewDeleted", "Interview Deleted"),
];

/// The Greenhouse webhooks the admin creates with the endpoint URL and
/// secret: the four of Aspect's Greenhouse setup guide (research note
/// domain.md §1.1), plus candidate deletion and merge, which keep the
/// engine's "deletion is final" promise without waiting for a Sync. The
/// labels follow the guide's wording; Greenhouse's exact menu names for the
/// last two are unconfirmed.
pub const GREENHOUSE_WEBHOOKS: [WebhookHint; 6] = [
    WebhookHint::new("job_post_updated", "Job Post Updated"),
    WebhookHint::new("job_created", "Job Created"),
    WebhookHint::new("update_candidate", "Candidate or Prospect Updated"),
    WebhookHint::new("candidate_stage_change", "Candidate Has Changed Stage"),
    WebhookHint::new("delete_candidate", "Candidate Deleted"),
    WebhookHint::new("merge_candidate", "Candidate Merged"),
];

/// A webhook the admin has to create or switch on in the ATS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct WebhookHint {
    /// The event string deliveries carry (Lever `event`, Greenhouse `action`).
    pub event: &'static str,
    /// What the ATS's settings page calls it.
    pub label: &'static str,
}

impl WebhookHint {
    const fn new(event: &'static str, label: &'static str) -> Self {
        Self { event, label }
    }
}

/// The platform's Lever OAuth app (register it with Lever's partner team).
#[derive(Clone)]
pub struct LeverApp {
    client_id: String,
    client_secret: String,
    authorize_url: String,
    token_url: String,
    api_base_url: String,
    scopes: Vec<String>,
}

impl std::fmt::Debug for LeverApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LeverApp")
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .field("authorize_url", &self.authorize_url)
            .field("token_url", &self.token_url)
            .field("api_base_url", &self.api_base_url)
            .field("scopes", &self.scopes)
            .finish()
    }
}

impl LeverApp {
    /// Lever production's endpoints and the scopes an interview-notes
    /// integration needs ([`lever_client::INTERVIEW_INTELLIGENCE_SCOPES`]).
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            authorize_url: String::new(),
            token_url: String::new(),
            api_base_url: String::new(),
            scopes: lever_client::INTERVIEW_INTELLIGENCE_SCOPES
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
        }
        .environment(lever_client::Environment::Production)
    }

    /// Lever production or the partner sandbox (all three endpoints).
    pub fn environment(mut self, environment: lever_client::Environment) -> Self {
        self.authorize_url = environment.authorize_url().to_owned();
        self.token_url = environment.token_url().to_owned();
        self.api_base_url = environment.api_base_url().to_owned();
        self
    }

    /// Overrides the consent page (e.g. the fake server's `/oauth/authorize`).
    pub fn authorize_url(mut self, url: impl Into<String>) -> Self {
        self.authorize_url = url.into();
        self
    }

    /// Overrides the token endpoint.
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = url.into();
        self
    }

    /// Overrides the API root (ending in `/v1`).
    pub fn api_base_url(mut self, url: impl Into<String>) -> Self {
        self.api_base_url = url.into();
        self
    }

    /// Replaces the requested scopes (keep `offline_access`: without it
    /// Lever issues no refresh token).
    pub fn scopes<I, S>(mut self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    fn oauth(&self, redirect_uri: &Url) -> OAuthConfig {
        OAuthConfig::new(
            self.client_id.clone(),
            self.client_secret.clone(),
            redirect_uri.as_str(),
        )
        .token_endpoint(self.token_url.clone())
    }
}

/// Where the Greenhouse clients connect (Greenhouse's own hosts by default).
#[derive(Debug, Clone)]
pub struct GreenhouseApi {
    base_url: String,
    token_url: String,
}

impl Default for GreenhouseApi {
    fn default() -> Self {
        Self {
            base_url: greenhouse_harvest::DEFAULT_BASE_URL.to_owned(),
            token_url: greenhouse_harvest::auth::DEFAULT_TOKEN_URL.to_owned(),
        }
    }
}

impl GreenhouseApi {
    /// Greenhouse's Harvest v3 and token endpoints.
    pub fn new() -> Self {
        Self::default()
    }

    /// Overrides the Harvest v3 root (e.g. the fake server's).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Overrides the token endpoint.
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = url.into();
        self
    }
}

/// How [`Connections`] reaches the ATSs and how the platform is reached.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ConnectConfig {
    /// The platform's public root: webhook endpoints are
    /// `{root}/webhooks/{ats}/{tenant}` (the receiver's routes) and the
    /// Lever redirect URI is `{root}/oauth/lever/callback`.
    pub public_base_url: Url,
    /// The Lever OAuth app; without it Lever cannot be connected.
    pub lever: Option<LeverApp>,
    /// The Greenhouse endpoints.
    pub greenhouse: GreenhouseApi,
}

impl ConnectConfig {
    /// A configuration for a platform served at `public_base_url`, with no
    /// Lever app and Greenhouse's own endpoints.
    pub fn new(public_base_url: Url) -> Self {
        Self {
            public_base_url,
            lever: None,
            greenhouse: GreenhouseApi::default(),
        }
    }

    /// Sets the Lever OAuth app.
    pub fn lever(mut self, app: LeverApp) -> Self {
        self.lever = Some(app);
        self
    }

    /// Sets the Greenhouse endpoints.
    pub fn greenhouse(mut self, api: GreenhouseApi) -> Self {
        self.greenhouse = api;
        self
    }

    /// The Lever OAuth redirect URI (register it with the Lever app).
    pub fn lever_redirect_uri(&self) -> Url {
        self.at(LEVER_CALLBACK_PATH)
    }

    /// The webhook endpoint of `tenant` for `ats`.
    pub fn webhook_url(&self, ats: Ats, tenant: &TenantId) -> Url {
        self.at(&format!("/webhooks/{ats}/{tenant}"))
    }

    fn at(&self, path: &str) -> Url {
        let mut url = self.public_base_url.clone();
        let base = url.path().trim_end_matches('/').to_owned();
        url.set_path(&format!("{base}{path}"));
        url.set_query(None);
        url
    }
}

/// Harvest v3 credentials and the admin on whose behalf notes are posted.
#[derive(Clone)]
pub struct GreenhouseCredentials {
    /// The Harvest v3 OAuth client id.
    pub client_id: String,
    /// The Harvest v3 OAuth client secret.
    pub client_secret: String,
    /// The admin's e-mail: the Greenhouse user with it authors the notes.
    pub admin_email: String,
}

impl std::fmt::Debug for GreenhouseCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GreenhouseCredentials")
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .field("admin_email", &self.admin_email)
            .finish()
    }
}

/// What the admin copies into Greenhouse's webhook settings.
#[derive(Clone, Serialize)]
pub struct GreenhouseSetup {
    /// The tenant's Greenhouse webhook endpoint.
    pub endpoint_url: String,
    /// The secret key to enter for every webhook.
    pub webhook_secret: String,
    /// The Greenhouse user notes are posted as.
    pub user_id: u64,
}

impl std::fmt::Debug for GreenhouseSetup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GreenhouseSetup")
            .field("endpoint_url", &self.endpoint_url)
            .field("webhook_secret", &"[redacted]")
            .field("user_id", &self.user_id)
            .finish()
    }
}

/// Where a connection stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ConnectionState {
    /// The tenant never connected this ATS (or disconnected it).
    NeverConnected,
    /// Connected and working.
    Active,
    /// Connected but not working; `reason` says why and what to do
    /// (credentials revoked or lapsed: connect again; first Sync pending).
    Inactive {
        /// Why, for the admin.
        reason: String,
    },
}

/// The last (or running) Sync of a connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncStatus {
    /// Whether it is still running.
    pub running: bool,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// When it ended.
    pub finished_at: Option<DateTime<Utc>>,
    /// Resources to sync (jobs, candidates…).
    pub resources_total: u32,
    /// Resources finished.
    pub resources_done: u32,
    /// The resource being synced.
    pub resource: Option<String>,
    /// Pages fetched so far.
    pub pages: u32,
    /// Items applied so far.
    pub items: u64,
    /// Why it failed, if it did.
    pub error: Option<String>,
}

impl SyncStatus {
    /// Progress for a progress bar, 0–100 (by finished resources; 100 once done).
    pub fn percent(&self) -> u8 {
        if !self.running && self.error.is_none() {
            return 100;
        }
        let total = self.resources_total.max(1);
        u8::try_from(self.resources_done.min(total) * 100 / total).unwrap_or(100)
    }
}

/// One connection's status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AtsStatus {
    /// The ATS.
    pub ats: Ats,
    /// Active, Inactive (why) or never connected.
    pub state: ConnectionState,
    /// When the current credentials were connected.
    pub connected_at: Option<DateTime<Utc>>,
    /// The last or running Sync.
    pub last_sync: Option<SyncStatus>,
    /// When the last authentic webhook arrived.
    pub last_webhook_at: Option<DateTime<Utc>>,
    /// Notes parked until the tenant reconnects.
    pub parked_notes: u64,
    /// Notes that failed for good.
    pub failed_notes: u64,
    /// Webhooks not received yet: those the admin still has to create
    /// (Greenhouse) or switch on (Lever). Empty when never connected.
    pub webhooks_to_create: Vec<WebhookHint>,
    /// The tenant's webhook endpoint for this ATS.
    pub endpoint_url: String,
}

/// A tenant's status, per ATS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TenantStatus {
    /// The tenant.
    pub tenant: TenantId,
    /// The Lever connection.
    pub lever: AtsStatus,
    /// The Greenhouse connection.
    pub greenhouse: AtsStatus,
}

impl TenantStatus {
    /// The status of one ATS.
    pub fn get(&self, ats: Ats) -> &AtsStatus {
        match ats {
            Ats::Lever => &self.lever,
            Ats::Greenhouse => &self.greenhouse,
        }
    }
}

/// What a tenant was last built from: rebuilt only when it changes.
#[derive(Debug, Clone, PartialEq, Eq)]
struct BuiltFrom {
    settings_version: u64,
    connections: BTreeMap<Ats, DateTime<Utc>>,
}

/// Tenants and their ATS connections, persisted and registered with the
/// engine (see the module docs).
pub struct Connections {
    engine: Arc<Engine>,
    store: Arc<dyn Store>,
    secrets: Arc<SecretBox>,
    config: ConnectConfig,
    built: Mutex<BTreeMap<TenantId, BuiltFrom>>,
}

impl std::fmt::Debug for Connections {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connections")
            .field("config", &self.config)
            .field("secrets", &self.secrets)
            .finish_non_exhaustive()
    }
}

impl Connections {
    /// Connections over `engine`, persisted in `store` (normally the
    /// engine's own store) with secrets sealed by `secrets`.
    pub fn new(
        engine: Arc<Engine>,
        store: Arc<dyn Store>,
        secrets: SecretBox,
        config: ConnectConfig,
    ) -> Self {
        Self {
            engine,
            store,
            secrets: Arc::new(secrets),
            config,
            built: Mutex::new(BTreeMap::new()),
        }
    }

    /// The engine.
    pub fn engine(&self) -> &Arc<Engine> {
        &self.engine
    }

    /// The configuration.
    pub fn config(&self) -> &ConnectConfig {
        &self.config
    }

    /// Creates a tenant, or updates an existing tenant's settings (its
    /// connections stay). Settings that cannot work are refused with
    /// [`Error::InvalidSettings`] before anything is stored.
    pub async fn create_tenant(&self, tenant: TenantId, settings: TenantSettings) -> Result<()> {
        MatchConfig::with_internal_domains(settings.own_domains.iter().cloned())
            .normalization(settings.email_normalization.clone())
            .validate()
            .map_err(|e| Error::InvalidSettings(e.to_string()))?;
        let mut doc = TenantDoc::of(&settings);
        if let Some(existing) =
            records::read::<TenantDoc>(&*self.store, TENANT, tenant.as_str()).await?
        {
            doc.created_at = existing.doc.created_at;
        }
        records::replace(&*self.store, TENANT, tenant.as_str(), &doc).await?;
        self.rebuild(&tenant).await
    }

    /// The persisted tenants.
    pub async fn tenants(&self) -> Result<Vec<TenantId>> {
        self.store
            .records(TENANT)
            .await?
            .into_iter()
            .map(|(key, _)| TenantId::new(key))
            .collect()
    }

    /// Rebuilds every persisted tenant and its connections into the engine
    /// (at start, and periodically on replicas: tenants whose settings and
    /// connections did not change are left as they are). Returns how many
    /// tenants are persisted. A tenant that cannot be rebuilt (e.g. its
    /// secrets do not decrypt with the configured keys) is logged and
    /// skipped, so one bad record does not keep the others down.
    pub async fn load(&self) -> Result<usize> {
        let tenants = self.tenants().await?;
        for tenant in &tenants {
            if let Err(e) = self.rebuild(tenant).await {
                tracing::error!(%tenant, error = %e, "tenant not loaded");
            }
        }
        Ok(tenants.len())
    }

    /// Starts connecting Lever: the URL of Lever's consent page for the
    /// admin's pop-up. Its `state` is random, single-use, bound to
    /// `tenant` and expires after [`STATE_TTL`].
    pub async fn start_lever(&self, tenant: &TenantId) -> Result<Url> {
        let app = self.lever_app()?;
        self.tenant_doc(tenant).await?;
        self.prune_states().await?;
        let state = random_token::<32>()?;
        let doc = StateDoc {
            tenant: tenant.clone(),
            ats: Ats::Lever,
            expires_at: Utc::now() + chrono::Duration::from_std(STATE_TTL).unwrap_or_default(),
        };
        let stored = self
            .store
            .put_record(
                OAUTH_STATE,
                &state_key(&state),
                &serde_json::to_string(&doc)?,
                None,
            )
            .await?;
        if stored.is_none() {
            return Err(Error::Authorization("state collision; try again".into()));
        }
        // Lever's parameters (client id, redirect URI, scopes, state,
        // audience) as lever-client builds them, on the configured endpoint.
        let scopes: Vec<&str> = app.scopes.iter().map(String::as_str).collect();
        let built = app
            .oauth(&self.config.lever_redirect_uri())
            .authorization_url(&scopes, &state)
            .map_err(|e| Error::Setup(format!("Lever authorize URL: {e}")))?;
        let mut url = Url::parse(&app.authorize_url)
            .map_err(|e| Error::Setup(format!("Lever authorize URL: {e}")))?;
        url.set_query(built.query());
        Ok(url)
    }

    /// Completes a Lever authorization from the OAuth callback's `state`
    /// and `code`: takes the state (once), exchanges the code, saves the
    /// tokens, registers the eight webhooks, marks the connection Active
    /// and resumes work parked by an earlier revocation. Returns the tenant.
    pub async fn complete_lever(&self, state: &str, code: &str) -> Result<TenantId> {
        let app = self.lever_app()?.clone();
        let taken = self.take_state(state).await?;
        let tenant = taken.tenant;
        self.tenant_doc(&tenant).await?;
        let tokens = app
            .oauth(&self.config.lever_redirect_uri())
            .exchange_code(code)
            .await
            .map_err(|e| Error::Authorization(format!("Lever refused the code: {e}")))?;
        let token_store = Arc::new(StoreTokenStore::new(
            self.store.clone(),
            self.secrets.clone(),
            tenant.clone(),
        ));
        token_store.replace(&tokens).await?;
        let client = lever_client(&app, &self.config, token_store)?;
        let webhook_url = self.config.webhook_url(Ats::Lever, &tenant);
        let key = connection_key(&tenant, Ats::Lever);
        let signature_tokens =
            match crate::lever::register_webhooks(&client, webhook_url.as_str()).await {
                Ok(tokens) => tokens,
                Err(e) => {
                    let reason = format!("Lever webhooks could not be registered: {}", e.message);
                    self.save_inactive(&tenant, Ats::Lever, &reason).await?;
                    return Err(Error::Setup(reason));
                }
            };
        let plain: Vec<&str> = signature_tokens
            .iter()
            .map(SignatureToken::expose)
            .collect();
        let doc = ConnectionDoc {
            state: StoredState::Active,
            connected_at: Utc::now(),
            sync: None,
            lever: Some(LeverDoc {
                webhook_tokens: self.secrets.seal_str(
                    CONNECTION,
                    &key,
                    &serde_json::to_string(&plain)?,
                )?,
                webhook_url: webhook_url.to_string(),
            }),
            greenhouse: None,
        };
        records::replace(&*self.store, CONNECTION, &key, &doc).await?;
        self.rebuild(&tenant).await?;
        self.engine.resume_tenant(&tenant, Ats::Lever).await?;
        tracing::info!(%tenant, "Lever connected");
        Ok(tenant)
    }

    /// The admin denied the consent (the callback carries `error` instead
    /// of `code`): takes the state so it cannot be used any more and
    /// returns its tenant, whose connection is left as it was.
    pub async fn abandon_lever(&self, state: &str) -> Result<TenantId> {
        Ok(self.take_state(state).await?.tenant)
    }

    /// Connects Greenhouse with Harvest v3 client credentials: checks them,
    /// finds the Greenhouse user with the admin's e-mail (notes are posted
    /// as them), generates the webhook secret and saves everything; the
    /// connection turns Active after its first successful [`sync`](Self::sync).
    /// Connecting again replaces the credentials and the secret.
    pub async fn connect_greenhouse(
        &self,
        tenant: &TenantId,
        credentials: GreenhouseCredentials,
    ) -> Result<GreenhouseSetup> {
        self.tenant_doc(tenant).await?;
        let admin_email = credentials.admin_email.trim().to_owned();
        if credentials.client_id.trim().is_empty() || credentials.client_secret.is_empty() {
            return Err(Error::Setup(
                "enter the Harvest client id and secret".into(),
            ));
        }
        if !admin_email.contains('@') {
            return Err(Error::Setup("enter the admin's e-mail address".into()));
        }
        // As the credentials' service account, only to find the admin.
        let probe = greenhouse_client(
            &self.config.greenhouse,
            credentials.client_id.trim(),
            &credentials.client_secret,
            None,
        )?;
        let user = probe
            .find_user_by_email(&admin_email)
            .await
            .map_err(|e| {
                if e.is_auth() {
                    Error::Setup(format!("Greenhouse refused these credentials: {e}"))
                } else {
                    Error::Setup(format!("Greenhouse users could not be read: {e}"))
                }
            })?
            .ok_or_else(|| {
                Error::Setup(format!(
                    "no Greenhouse user has the e-mail {admin_email}; notes are posted on behalf of the admin, so use the admin's Greenhouse e-mail"
                ))
            })?;
        let webhook_secret = random_token::<32>()?;
        let key = connection_key(tenant, Ats::Greenhouse);
        let doc = ConnectionDoc {
            state: StoredState::AwaitingSync,
            connected_at: Utc::now(),
            sync: None,
            lever: None,
            greenhouse: Some(GreenhouseDoc {
                client_id: credentials.client_id.trim().to_owned(),
                client_secret: self.secrets.seal_str(
                    CONNECTION,
                    &key,
                    &credentials.client_secret,
                )?,
                admin_email,
                user_id: user.id,
                webhook_secret: self.secrets.seal_str(CONNECTION, &key, &webhook_secret)?,
            }),
        };
        records::replace(&*self.store, CONNECTION, &key, &doc).await?;
        self.rebuild(tenant).await?;
        self.engine.resume_tenant(tenant, Ats::Greenhouse).await?;
        tracing::info!(%tenant, "Greenhouse connected; waiting for the first Sync");
        Ok(GreenhouseSetup {
            endpoint_url: self.config.webhook_url(Ats::Greenhouse, tenant).to_string(),
            webhook_secret,
            user_id: user.id,
        })
    }

    /// The Greenhouse endpoint and secret to show the admin again, if
    /// Greenhouse is connected.
    pub async fn greenhouse_setup(&self, tenant: &TenantId) -> Result<Option<GreenhouseSetup>> {
        let key = connection_key(tenant, Ats::Greenhouse);
        let Some(found) = records::read::<ConnectionDoc>(&*self.store, CONNECTION, &key).await?
        else {
            return Ok(None);
        };
        let Some(gh) = found.doc.greenhouse else {
            return Ok(None);
        };
        Ok(Some(GreenhouseSetup {
            endpoint_url: self.config.webhook_url(Ats::Greenhouse, tenant).to_string(),
            webhook_secret: self
                .secrets
                .open_str(CONNECTION, &key, &gh.webhook_secret)?,
            user_id: gh.user_id,
        }))
    }

    /// Runs a Sync of one connection, recording its progress after every
    /// page (see [`status`](Self::status)); a first successful Greenhouse
    /// Sync makes the connection Active. Fails with
    /// [`Error::SyncInProgress`] while another Sync of it runs anywhere.
    pub async fn sync(&self, tenant: &TenantId, ats: Ats) -> Result<IngestReport> {
        let key = connection_key(tenant, ats);
        if self.connection_doc(tenant, ats).await?.is_none() {
            return Err(Error::NotConnected {
                tenant: tenant.to_string(),
                ats,
            });
        }
        let resources = self.engine.tenant(tenant)?.sync_source(ats)?.resources();
        let started = SyncStatus {
            running: true,
            started_at: Utc::now(),
            finished_at: None,
            resources_total: u32::try_from(resources.len()).unwrap_or(u32::MAX),
            resources_done: 0,
            resource: resources.first().map(|r| (*r).to_owned()),
            pages: 0,
            items: 0,
            error: None,
        };
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<SyncProgress>();
        let writer = {
            let store = self.store.clone();
            let key = key.clone();
            let mut status = started.clone();
            tokio::spawn(async move {
                // Progress counts per resource; the status adds them up.
                let (mut done, mut pages_before, mut items_before) = (0u32, 0u32, 0u64);
                while let Some(progress) = rx.recv().await {
                    status.resource = Some(progress.resource.to_owned());
                    status.pages = pages_before + progress.pages;
                    status.items = items_before + progress.items;
                    if progress.done {
                        done += 1;
                        pages_before = status.pages;
                        items_before = status.items;
                    }
                    status.resources_done = done.min(status.resources_total);
                    let _ = set_sync(&*store, &key, &status, None).await;
                }
            })
        };
        set_sync(&*self.store, &key, &started, None).await?;
        let result = self
            .engine
            .sync_now(tenant, ats, |p| {
                let _ = tx.send(p.clone());
            })
            .await;
        drop(tx);
        let _ = writer.await;
        let mut finished = self
            .connection_doc(tenant, ats)
            .await?
            .and_then(|d| d.doc.sync)
            .unwrap_or(started);
        finished.running = false;
        finished.finished_at = Some(Utc::now());
        match &result {
            Ok(_) => {
                finished.resources_done = finished.resources_total;
                set_sync(&*self.store, &key, &finished, Some(StoredState::Active)).await?;
            }
            Err(Error::SyncInProgress { .. }) => {}
            Err(e) => {
                finished.error = Some(e.to_string());
                set_sync(&*self.store, &key, &finished, None).await?;
            }
        }
        result
    }

    /// The tenant's status, per ATS.
    pub async fn status(&self, tenant: &TenantId) -> Result<TenantStatus> {
        self.tenant_doc(tenant).await?;
        Ok(TenantStatus {
            tenant: tenant.clone(),
            lever: self.ats_status(tenant, Ats::Lever).await?,
            greenhouse: self.ats_status(tenant, Ats::Greenhouse).await?,
        })
    }

    /// Disconnects one ATS: deletes its credentials, tokens and webhook
    /// secrets (for Lever, also the webhooks registered through the API,
    /// when the tokens still work) and detaches the connector. Queued
    /// notes for it stay queued (not parked) and go out if the tenant
    /// connects again. Returns whether there was a connection.
    pub async fn disconnect(&self, tenant: &TenantId, ats: Ats) -> Result<bool> {
        let key = connection_key(tenant, ats);
        let Some(found) = self.connection_doc(tenant, ats).await? else {
            return Ok(false);
        };
        if let (Ats::Lever, Some(lever)) = (ats, &found.doc.lever) {
            self.unregister_lever_webhooks(tenant, &lever.webhook_url)
                .await;
            StoreTokenStore::new(self.store.clone(), self.secrets.clone(), tenant.clone())
                .delete()
                .await?;
        }
        self.store.delete_record(CONNECTION, &key, None).await?;
        self.store.delete_record(WEBHOOKS_SEEN, &key, None).await?;
        self.rebuild(tenant).await?;
        let discarded = self.discard_unsent_notes(tenant, ats).await?;
        tracing::info!(%tenant, %ats, discarded, "disconnected");
        Ok(true)
    }

    /// Disconnecting keeps nothing the customer did not ask to keep: every
    /// note not yet posted to `ats` (pending, sending or parked) is marked
    /// failed ("disconnected") and its text dropped. Posted entries stay
    /// (without their text after the retention period) so a reconnected
    /// ATS never gets a meeting's note twice. Returns how many went.
    async fn discard_unsent_notes(&self, tenant: &TenantId, ats: Ats) -> Result<u64> {
        let mut discarded = 0;
        for state in ["pending", "sending", "parked"] {
            for mut entry in self.store.notes_in_state(tenant, state).await? {
                if entry.key.ats != ats {
                    continue;
                }
                entry.state = crate::outbox::OutboxState::Failed {
                    reason: format!("{ats} was disconnected before the note was posted"),
                };
                entry.body.clear();
                entry.lease = None;
                match self.store.update_claimed(&mut entry).await {
                    Ok(()) => discarded += 1,
                    // A worker changed it meanwhile: it is its to finish.
                    Err(Error::LeaseLost(_)) => {}
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(discarded)
    }

    /// Resumes a tenant's parked work for one ATS (see
    /// [`Engine::resume_tenant`]); returns how many notes resumed.
    pub async fn resume(&self, tenant: &TenantId, ats: Ats) -> Result<u32> {
        self.engine.resume_tenant(tenant, ats).await
    }

    /// Re-seals every stored secret with the current key (after a key
    /// rotation); returns how many records were rewritten.
    pub async fn reencrypt_all(&self) -> Result<u64> {
        let mut rewritten = 0;
        for (key, record) in self.store.records(LEVER_TOKENS).await? {
            if let Some(sealed) = self.secrets.reencrypt(LEVER_TOKENS, &key, &record.value)?
                && self
                    .store
                    .put_record(LEVER_TOKENS, &key, &sealed, Some(record.version))
                    .await?
                    .is_some()
            {
                rewritten += 1;
            }
        }
        for (key, _) in self.store.records(CONNECTION).await? {
            let secrets = self.secrets.clone();
            let mut failure = None;
            let changed =
                records::update::<ConnectionDoc, _>(&*self.store, CONNECTION, &key, |doc| {
                    let mut doc = doc?;
                    match reseal_connection(&secrets, &key, &mut doc) {
                        Ok(true) => Some(doc),
                        Ok(false) => None,
                        Err(e) => {
                            failure = Some(e);
                            None
                        }
                    }
                })
                .await?;
            if let Some(e) = failure {
                return Err(e);
            }
            rewritten += u64::from(changed.is_some());
        }
        Ok(rewritten)
    }

    // ----- building tenants -------------------------------------------------------------

    /// Builds the tenant from its records and registers it with the
    /// engine, unless it was built from the same records already.
    async fn rebuild(&self, tenant: &TenantId) -> Result<()> {
        let settings = self.tenant_doc(tenant).await?;
        let mut from = BuiltFrom {
            settings_version: settings.version,
            connections: BTreeMap::new(),
        };
        let mut docs = Vec::new();
        for ats in [Ats::Lever, Ats::Greenhouse] {
            if let Some(found) = self.connection_doc(tenant, ats).await? {
                from.connections.insert(ats, found.doc.connected_at);
                docs.push((ats, found.doc));
            }
        }
        let unchanged = self
            .built
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(tenant)
            == Some(&from);
        if unchanged && self.engine.tenant(tenant).is_ok() {
            return Ok(());
        }
        let mut built = Tenant::new(tenant.clone(), settings.doc.settings());
        for (ats, doc) in docs {
            // One connection that cannot be built (its secrets do not open
            // with the configured keys, no Lever app is configured) must
            // not keep the tenant's other connection down; it is tried
            // again on the next `load`.
            match self.watched(tenant, ats, &doc) {
                Ok(watched) => built = built.with_connection(Arc::new(watched)),
                Err(e) => {
                    tracing::error!(%tenant, %ats, error = %e, "connection not loaded");
                    from.connections.remove(&ats);
                }
            }
        }
        self.engine.add_tenant(built)?;
        self.built
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(tenant.clone(), from);
        Ok(())
    }

    fn watched(&self, tenant: &TenantId, ats: Ats, doc: &ConnectionDoc) -> Result<Watched> {
        let key = connection_key(tenant, ats);
        let rebuild: watched::Rebuild = match (ats, &doc.lever, &doc.greenhouse) {
            (Ats::Lever, Some(lever), _) => {
                let app = self.lever_app()?.clone();
                let tokens: Vec<String> = serde_json::from_str(&self.secrets.open_str(
                    CONNECTION,
                    &key,
                    &lever.webhook_tokens,
                )?)
                .map_err(|_| Error::Corrupt("stored Lever webhook tokens".into()))?;
                let (store, secrets, tenant, config) = (
                    self.store.clone(),
                    self.secrets.clone(),
                    tenant.clone(),
                    self.config.clone(),
                );
                Box::new(move || {
                    let token_store = Arc::new(StoreTokenStore::new(
                        store.clone(),
                        secrets.clone(),
                        tenant.clone(),
                    ));
                    let client = lever_client(&app, &config, token_store.clone())?;
                    let verifier = WebhookVerifier::with_tokens(
                        tokens.iter().map(|t| SignatureToken::new(t.clone())),
                    );
                    Ok(Live {
                        connection: Arc::new(LeverConnection::new(client, verifier)),
                        tokens: Some(token_store),
                    })
                })
            }
            (Ats::Greenhouse, _, Some(gh)) => {
                let secret = self.secrets.open_str(CONNECTION, &key, &gh.client_secret)?;
                let webhook_secret = self
                    .secrets
                    .open_str(CONNECTION, &key, &gh.webhook_secret)?;
                let (api, client_id, user_id) = (
                    self.config.greenhouse.clone(),
                    gh.client_id.clone(),
                    gh.user_id,
                );
                Box::new(move || {
                    let client = greenhouse_client(&api, &client_id, &secret, Some(user_id))?;
                    let verifier = greenhouse_harvest::WebhookVerifier::new(webhook_secret.clone());
                    Ok(Live {
                        connection: Arc::new(GreenhouseConnection::new(client, verifier)),
                        tokens: None,
                    })
                })
            }
            _ => {
                return Err(Error::Corrupt(format!(
                    "{ats} connection record of `{tenant}` has no {ats} setup"
                )));
            }
        };
        Watched::new(
            ats,
            tenant.clone(),
            doc.connected_at,
            self.store.clone(),
            rebuild,
        )
    }

    // ----- helpers ----------------------------------------------------------------------

    fn lever_app(&self) -> Result<&LeverApp> {
        self.config
            .lever
            .as_ref()
            .ok_or_else(|| Error::Setup("no Lever OAuth app is configured".into()))
    }

    async fn tenant_doc(&self, tenant: &TenantId) -> Result<Versioned<TenantDoc>> {
        records::read(&*self.store, TENANT, tenant.as_str())
            .await?
            .ok_or_else(|| Error::UnknownTenant(tenant.to_string()))
    }

    async fn connection_doc(
        &self,
        tenant: &TenantId,
        ats: Ats,
    ) -> Result<Option<Versioned<ConnectionDoc>>> {
        records::read(&*self.store, CONNECTION, &connection_key(tenant, ats)).await
    }

    /// Takes a state once: unknown, used and expired states are refused.
    async fn take_state(&self, state: &str) -> Result<StateDoc> {
        let refused = || {
            Error::Authorization("unknown or already used authorization state; start again".into())
        };
        if state.is_empty() || state.len() > 128 {
            return Err(refused());
        }
        let key = state_key(state);
        let found = records::read::<StateDoc>(&*self.store, OAUTH_STATE, &key)
            .await?
            .ok_or_else(refused)?;
        // Delete at the version read: of two callbacks with one state, one wins.
        if !self
            .store
            .delete_record(OAUTH_STATE, &key, Some(found.version))
            .await?
        {
            return Err(refused());
        }
        if found.doc.expires_at <= Utc::now() {
            return Err(Error::Authorization(
                "the authorization took too long and expired; start again".into(),
            ));
        }
        Ok(found.doc)
    }

    /// Drops expired states (abandoned pop-ups).
    async fn prune_states(&self) -> Result<()> {
        let now = Utc::now();
        for (key, record) in self.store.records(OAUTH_STATE).await? {
            let expired = serde_json::from_str::<StateDoc>(&record.value)
                .map_or(true, |s| s.expires_at <= now);
            if expired {
                self.store
                    .delete_record(OAUTH_STATE, &key, Some(record.version))
                    .await?;
            }
        }
        Ok(())
    }

    async fn save_inactive(&self, tenant: &TenantId, ats: Ats, reason: &str) -> Result<()> {
        let key = connection_key(tenant, ats);
        records::update::<ConnectionDoc, _>(&*self.store, CONNECTION, &key, |doc| {
            let mut doc = doc?;
            doc.state = StoredState::Inactive {
                reason: reason.to_owned(),
            };
            Some(doc)
        })
        .await?;
        Ok(())
    }

    async fn ats_status(&self, tenant: &TenantId, ats: Ats) -> Result<AtsStatus> {
        let key = connection_key(tenant, ats);
        let doc = self.connection_doc(tenant, ats).await?.map(|d| d.doc);
        let seen = records::read::<SeenDoc>(&*self.store, WEBHOOKS_SEEN, &key)
            .await?
            .map(|s| s.doc)
            .unwrap_or_default();
        let parked_reason = self.engine.is_parked(tenant, ats).await?;
        let state = match doc.as_ref().map(|d| &d.state) {
            None => ConnectionState::NeverConnected,
            Some(StoredState::Inactive { reason }) => ConnectionState::Inactive {
                reason: reason.clone(),
            },
            Some(_) if parked_reason.is_some() => ConnectionState::Inactive {
                reason: format!("posting is parked: {}", parked_reason.unwrap_or_default()),
            },
            Some(StoredState::AwaitingSync) => ConnectionState::Inactive {
                reason: "connected; run Sync to finish the setup".into(),
            },
            Some(StoredState::Active) => ConnectionState::Active,
        };
        let count = |entries: Vec<crate::outbox::OutboxEntry>| {
            entries.iter().filter(|e| e.key.ats == ats).count() as u64
        };
        let hints: &[WebhookHint] = match ats {
            Ats::Lever => &LEVER_WEBHOOKS,
            Ats::Greenhouse => &GREENHOUSE_WEBHOOKS,
        };
        let webhooks_to_create = if doc.is_some() {
            hints
                .iter()
                .filter(|h| !seen.kinds.contains_key(h.event))
                .copied()
                .collect()
        } else {
            Vec::new()
        };
        Ok(AtsStatus {
            ats,
            state,
            connected_at: doc.as_ref().map(|d| d.connected_at),
            last_sync: doc.and_then(|d| d.sync),
            last_webhook_at: seen.last_at,
            parked_notes: count(self.engine.parked_notes(tenant).await?),
            failed_notes: count(self.engine.failed_notes(tenant).await?),
            webhooks_to_create,
            endpoint_url: self.config.webhook_url(ats, tenant).to_string(),
        })
    }

    /// Deletes the webhooks registered for `url`, as far as the tokens
    /// still allow (after a revocation Lever refuses, and the customer's
    /// "Revoke Access" already stopped them).
    async fn unregister_lever_webhooks(&self, tenant: &TenantId, url: &str) {
        let Ok(app) = self.lever_app() else {
            return;
        };
        let token_store = Arc::new(StoreTokenStore::new(
            self.store.clone(),
            self.secrets.clone(),
            tenant.clone(),
        ));
        let Ok(client) = lever_client(app, &self.config, token_store) else {
            return;
        };
        match client.webhooks().await {
            Ok(hooks) => {
                for hook in hooks.into_iter().filter(|h| h.url.as_deref() == Some(url)) {
                    if let Err(e) = client.delete_webhook(&hook.id).await {
                        tracing::warn!(%tenant, error = %e, "a Lever webhook could not be deleted");
                    }
                }
            }
            Err(e) => {
                tracing::warn!(%tenant, error = %e, "Lever webhooks not removed on disconnect")
            }
        }
    }
}

/// The stored key of an OAuth state: its SHA-256, so the store never
/// holds a usable state.
fn state_key(state: &str) -> String {
    hex::encode(Sha256::digest(state.as_bytes()))
}

fn lever_client(
    app: &LeverApp,
    config: &ConnectConfig,
    tokens: Arc<StoreTokenStore>,
) -> Result<LeverClient> {
    LeverClient::builder()
        .oauth(app.oauth(&config.lever_redirect_uri()), tokens)
        .base_url(app.api_base_url.clone())
        .build()
        .map_err(|e| Error::Setup(format!("Lever client: {e}")))
}

fn greenhouse_client(
    api: &GreenhouseApi,
    client_id: &str,
    client_secret: &str,
    user_id: Option<u64>,
) -> Result<HarvestClient> {
    HarvestClient::builder()
        .client_credentials(client_id, client_secret, user_id)
        .base_url(api.base_url.clone())
        .token_url(api.token_url.clone())
        .build()
        .map_err(|e| Error::Setup(format!("Greenhouse client: {e}")))
}

/// Writes a connection's sync status (and, when given, its new state,
/// only if it was waiting for this Sync or already Active).
async fn set_sync(
    store: &dyn Store,
    key: &str,
    status: &SyncStatus,
    state: Option<StoredState>,
) -> Result<()> {
    records::update::<ConnectionDoc, _>(store, CONNECTION, key, |doc| {
        let mut doc = doc?;
        doc.sync = Some(status.clone());
        if let Some(state) = &state
            && matches!(doc.state, StoredState::AwaitingSync | StoredState::Active)
        {
            doc.state = state.clone();
        }
        Some(doc)
    })
    .await?;
    Ok(())
}

/// Re-seals a connection's secrets with the current key; whether any changed.
fn reseal_connection(secrets: &SecretBox, key: &str, doc: &mut ConnectionDoc) -> Result<bool> {
    let mut changed = false;
    let mut reseal = |value: &mut String| -> Result<()> {
        if let Some(new) = secrets.reencrypt(CONNECTION, key, value)? {
            *value = new;
            changed = true;
        }
        Ok(())
    };
    if let Some(lever) = &mut doc.lever {
        reseal(&mut lever.webhook_tokens)?;
    }
    if let Some(gh) = &mut doc.greenhouse {
        reseal(&mut gh.client_secret)?;
        reseal(&mut gh.webhook_secret)?;
    }
    Ok(changed)
}

//! Authentication: API keys and the OAuth 2.0 authorization-code flow (LD "Authentication";
//! research note §1).
//!
//! An API key is sent as HTTP Basic with the key as user name and a blank password. OAuth access
//! tokens last one hour and **every refresh returns a new refresh token** that replaces the old one,
//! so the [`TokenStore`] is written after every refresh, before the new access token is used.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use futures::future::BoxFuture;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use url::Url;

use crate::error::{BoxError, Error, ReconnectReason};
use crate::models::Timestamp;

/// Lever environment: production or the partner sandbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Environment {
    /// `api.lever.co`.
    #[default]
    Production,
    /// `api.sandbox.lever.co`, with Lever's Auth0 sandbox tenant for OAuth (research note §1.3).
    Sandbox,
}

impl Environment {
    /// API root (LD "Introduction"; LDS).
    pub fn api_base_url(self) -> &'static str {
        match self {
            Self::Production => "https://api.lever.co/v1",
            Self::Sandbox => "https://api.sandbox.lever.co/v1",
        }
    }

    /// OAuth authorize endpoint (LD "OAuth" step 1; sandbox per research note §1.3).
    pub fn authorize_url(self) -> &'static str {
        match self {
            Self::Production => "https://auth.lever.co/authorize",
            Self::Sandbox => "https://sandbox-lever.auth0.com/authorize",
        }
    }

    /// OAuth token endpoint (LD "OAuth" step 3).
    pub fn token_url(self) -> &'static str {
        match self {
            Self::Production => "https://auth.lever.co/oauth/token",
            Self::Sandbox => "https://sandbox-lever.auth0.com/oauth/token",
        }
    }

    /// The required `audience` parameter; note the trailing slash (LD "OAuth" step 1).
    pub fn audience(self) -> &'static str {
        match self {
            Self::Production => "https://api.lever.co/v1/",
            Self::Sandbox => "https://api.sandbox.lever.co/v1/",
        }
    }
}

/// Scopes an interview-intelligence integration needs: read candidates, interviews, panels,
/// users and stages, write notes, manage its webhooks, and `offline_access` for a refresh token
/// (LD "Scopes"; research note §1.4). Add `confidential:access:admin` to see confidential
/// candidates.
pub const INTERVIEW_INTELLIGENCE_SCOPES: &[&str] = &[
    "offline_access",
    "opportunities:read:admin",
    "interviews:read:admin",
    "panels:read:admin",
    "users:read:admin",
    "stages:read:admin",
    "notes:write:admin",
    "webhooks:write:admin",
];

/// Refresh tokens lapse after 90 days without use (LD "OAuth" step 5).
const REFRESH_TOKEN_IDLE_LIFETIME: chrono::TimeDelta = chrono::TimeDelta::days(90);
/// ... and after one year in any case (LD "OAuth" step 5).
const REFRESH_TOKEN_MAX_LIFETIME: chrono::TimeDelta = chrono::TimeDelta::days(365);

/// A partner app's OAuth registration: client id and secret, redirect URI and endpoints.
#[derive(Clone)]
pub struct OAuthConfig {
    client_id: String,
    client_secret: SecretString,
    redirect_uri: String,
    environment: Environment,
    authorize_endpoint: String,
    token_endpoint: String,
}

impl std::fmt::Debug for OAuthConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthConfig")
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .field("redirect_uri", &self.redirect_uri)
            .field("environment", &self.environment)
            .field("token_endpoint", &self.token_endpoint)
            .finish()
    }
}

impl OAuthConfig {
    /// A production configuration.
    pub fn new(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        redirect_uri: impl Into<String>,
    ) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: SecretString::from(client_secret.into()),
            redirect_uri: redirect_uri.into(),
            environment: Environment::Production,
            authorize_endpoint: Environment::Production.authorize_url().to_owned(),
            token_endpoint: Environment::Production.token_url().to_owned(),
        }
    }

    /// Use this environment's authorize and token endpoints and audience.
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = environment;
        self.authorize_endpoint = environment.authorize_url().to_owned();
        self.token_endpoint = environment.token_url().to_owned();
        self
    }

    /// Override the token endpoint (tests point it at a local server).
    pub fn token_endpoint(mut self, url: impl Into<String>) -> Self {
        self.token_endpoint = url.into();
        self
    }

    /// The client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The URL to send the customer's browser to (LD "OAuth" step 1). Include `offline_access` in
    /// `scopes` to get a refresh token. Verify `state` on the callback.
    pub fn authorization_url(&self, scopes: &[&str], state: &str) -> Result<Url, Error> {
        let mut url = Url::parse(&self.authorize_endpoint)
            .map_err(|e| Error::Config(format!("authorize URL: {e}")))?;
        url.query_pairs_mut()
            .append_pair("client_id", &self.client_id)
            .append_pair("redirect_uri", &self.redirect_uri)
            .append_pair("response_type", "code")
            .append_pair("state", state)
            .append_pair("scope", &scopes.join(" "))
            .append_pair("audience", self.environment.audience());
        Ok(url)
    }

    /// Exchange the `code` from the callback for tokens (LD "OAuth" step 3). Save the result in
    /// your [`TokenStore`] before using it.
    pub async fn exchange_code(&self, code: &str) -> Result<TokenSet, Error> {
        let http = crate::client::build_http(Duration::from_secs(30))?;
        let form = [
            ("grant_type", "authorization_code"),
            ("client_id", &self.client_id),
            ("client_secret", self.client_secret.expose_secret()),
            ("code", code),
            ("redirect_uri", &self.redirect_uri),
        ];
        token_request(&http, &self.token_endpoint, &form, None).await
    }
}

/// OAuth tokens of one connection. `Debug` never shows the tokens.
#[derive(Debug, Clone)]
pub struct TokenSet {
    /// The bearer token.
    pub access_token: SecretString,
    /// The refresh token; replaced on every refresh.
    pub refresh_token: Option<SecretString>,
    /// When the access token expires.
    pub expires_at: Timestamp,
    /// When the current refresh token was issued (its last use, since each use rotates it).
    pub refresh_token_issued_at: Timestamp,
    /// Granted scopes.
    pub scope: Option<String>,
}

impl TokenSet {
    /// Tokens loaded from storage. `refresh_token_issued_at` is set to now; set it to the stored
    /// value if you keep one, so a refresh token that lapsed after 90 idle days is reported as
    /// [`ReconnectReason::RefreshTokenExpired`] rather than as revoked.
    pub fn new(
        access_token: impl Into<String>,
        refresh_token: Option<String>,
        expires_at: Timestamp,
    ) -> Self {
        Self {
            access_token: SecretString::from(access_token.into()),
            refresh_token: refresh_token.map(SecretString::from),
            expires_at,
            refresh_token_issued_at: Utc::now(),
            scope: None,
        }
    }
}

/// Persistent storage for one connection's tokens. [`TokenStore::save`] is awaited after every
/// refresh before the new access token is used, because the old refresh token is dead by then.
///
/// One client refreshes a connection at a time. After a 401 the client first reloads the store,
/// so tokens refreshed by another process are picked up; processes that may refresh the same
/// connection at the same moment should still serialize refreshes (e.g. a row lock in `save`'s
/// database).
pub trait TokenStore: Send + Sync {
    /// Load the current tokens, if any.
    fn load(&self) -> BoxFuture<'_, Result<Option<TokenSet>, BoxError>>;
    /// Replace the stored tokens.
    fn save(&self, tokens: TokenSet) -> BoxFuture<'_, Result<(), BoxError>>;
}

/// A [`TokenStore`] in memory, for tests and short-lived programs.
#[derive(Debug, Default)]
pub struct MemoryTokenStore {
    tokens: std::sync::Mutex<Option<TokenSet>>,
    saves: std::sync::atomic::AtomicUsize,
}

impl MemoryTokenStore {
    /// An empty store (the same as [`Default`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// A store holding `tokens` (e.g. right after a code exchange).
    pub fn with_tokens(tokens: TokenSet) -> Self {
        Self {
            tokens: std::sync::Mutex::new(Some(tokens)),
            saves: Default::default(),
        }
    }

    /// The stored tokens.
    pub fn tokens(&self) -> Option<TokenSet> {
        self.tokens
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// How many times tokens were saved.
    pub fn save_count(&self) -> usize {
        self.saves.load(std::sync::atomic::Ordering::SeqCst)
    }
}

impl TokenStore for MemoryTokenStore {
    fn load(&self) -> BoxFuture<'_, Result<Option<TokenSet>, BoxError>> {
        Box::pin(async move { Ok(self.tokens()) })
    }

    fn save(&self, tokens: TokenSet) -> BoxFuture<'_, Result<(), BoxError>> {
        Box::pin(async move {
            *self.tokens.lock().unwrap_or_else(|e| e.into_inner()) = Some(tokens);
            self.saves.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Ok(())
        })
    }
}

/// Credentials for [`LeverClientBuilder`](crate::LeverClientBuilder).
#[derive(Clone)]
pub(crate) enum Credentials {
    ApiKey(SecretString),
    OAuth(Arc<OAuthSession>),
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::ApiKey(_) => f.write_str("ApiKey([redacted])"),
            Self::OAuth(s) => write!(f, "OAuth({:?})", s.config),
        }
    }
}

/// One OAuth connection: the current tokens behind an async mutex, so only one refresh runs at a
/// time and the callers waiting on it reuse its result.
pub(crate) struct OAuthSession {
    pub(crate) config: OAuthConfig,
    store: Arc<dyn TokenStore>,
    current: tokio::sync::Mutex<Option<TokenSet>>,
    http: reqwest::Client,
    /// Refresh this long before expiry.
    margin: chrono::TimeDelta,
}

impl OAuthSession {
    pub(crate) fn new(
        config: OAuthConfig,
        store: Arc<dyn TokenStore>,
        http: reqwest::Client,
    ) -> Self {
        Self {
            config,
            store,
            current: tokio::sync::Mutex::new(None),
            http,
            margin: chrono::TimeDelta::minutes(5),
        }
    }

    /// A valid access token, refreshed first when it expires within the margin.
    pub(crate) async fn access_token(&self) -> Result<SecretString, Error> {
        let mut guard = self.current.lock().await;
        self.ensure_loaded(&mut guard).await?;
        let expiring = guard
            .as_ref()
            .is_some_and(|t| t.expires_at - self.margin <= Utc::now());
        if expiring {
            self.refresh_locked(&mut guard).await?;
        }
        current_access(&guard)
    }

    /// Called after a 401 with `rejected`: refresh unless another caller already did.
    pub(crate) async fn refresh_after_unauthorized(
        &self,
        rejected: &SecretString,
    ) -> Result<SecretString, Error> {
        let mut guard = self.current.lock().await;
        self.ensure_loaded(&mut guard).await?;
        let differs = |t: &Option<TokenSet>| {
            t.as_ref()
                .is_some_and(|t| t.access_token.expose_secret() != rejected.expose_secret())
        };
        if differs(&guard) {
            // Another caller of this connection refreshed meanwhile.
            return current_access(&guard);
        }
        // Another process sharing the store may have refreshed (and rotated the refresh token).
        let stored = self
            .store
            .load()
            .await
            .map_err(|source| Error::TokenStore { source })?;
        if differs(&stored) {
            *guard = stored;
        } else {
            self.refresh_locked(&mut guard).await?;
        }
        current_access(&guard)
    }

    async fn ensure_loaded(&self, guard: &mut Option<TokenSet>) -> Result<(), Error> {
        if guard.is_none() {
            *guard = self
                .store
                .load()
                .await
                .map_err(|source| Error::TokenStore { source })?;
        }
        Ok(())
    }

    async fn refresh_locked(&self, guard: &mut Option<TokenSet>) -> Result<(), Error> {
        let Some(old) = guard.as_ref() else {
            return Err(reconnect(ReconnectReason::NoTokens));
        };
        let Some(refresh) = old.refresh_token.clone() else {
            return Err(reconnect(ReconnectReason::NoRefreshToken));
        };
        let issued_at = old.refresh_token_issued_at;
        let form = [
            ("grant_type", "refresh_token"),
            ("client_id", self.config.client_id.as_str()),
            ("client_secret", self.config.client_secret.expose_secret()),
            ("refresh_token", refresh.expose_secret()),
        ];
        tracing::debug!(client_id = %self.config.client_id, "refreshing Lever OAuth token");
        let mut fresh = match token_request(
            &self.http,
            &self.config.token_endpoint,
            &form,
            Some(refresh.clone()),
        )
        .await
        {
            Err(Error::OAuth { error, .. }) if error.as_deref() == Some("invalid_grant") => {
                return Err(classify_rejected_refresh(issued_at));
            }
            other => other?,
        };
        if fresh.scope.is_none() {
            fresh.scope = old.scope.clone();
        }
        *guard = Some(fresh.clone());
        // Persist at once: the previous refresh token no longer works (LD "OAuth" step 5).
        self.store
            .save(fresh)
            .await
            .map_err(|source| Error::TokenStore { source })
    }
}

fn current_access(guard: &Option<TokenSet>) -> Result<SecretString, Error> {
    guard
        .as_ref()
        .map(|t| t.access_token.clone())
        .ok_or_else(|| reconnect(ReconnectReason::NoTokens))
}

fn reconnect(reason: ReconnectReason) -> Error {
    Error::ReconnectRequired { reason }
}

/// A rejected refresh token past Lever's documented lifetime means it lapsed; inside the lifetime
/// it was revoked ("Revoke Access"). Lever does not document the error body; Auth0, which serves
/// Lever's sandbox, answers `invalid_grant` (research note §1.2).
fn classify_rejected_refresh(issued_at: Timestamp) -> Error {
    let age = Utc::now() - issued_at;
    if age >= REFRESH_TOKEN_IDLE_LIFETIME || age >= REFRESH_TOKEN_MAX_LIFETIME {
        reconnect(ReconnectReason::RefreshTokenExpired)
    } else {
        Error::Revoked {
            message: Some("the OAuth refresh token was rejected (invalid_grant)".into()),
        }
    }
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    expires_in: Option<i64>,
    #[serde(default)]
    scope: Option<String>,
}

#[derive(Deserialize)]
struct OAuthErrorBody {
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    error_description: Option<String>,
}

/// POST a form to the token endpoint. Bodies are never copied into errors: they carry tokens.
async fn token_request(
    http: &reqwest::Client,
    endpoint: &str,
    form: &[(&str, &str)],
    previous_refresh: Option<SecretString>,
) -> Result<TokenSet, Error> {
    let response = http
        .post(endpoint)
        .form(form)
        .send()
        .await
        .map_err(Error::from_reqwest)?;
    let status = response.status().as_u16();
    let body = response.bytes().await.map_err(Error::from_reqwest)?;
    if !(200..300).contains(&status) {
        let parsed: Option<OAuthErrorBody> = serde_json::from_slice(&body).ok();
        return Err(Error::OAuth {
            status: Some(status),
            error: parsed.as_ref().and_then(|p| p.error.clone()),
            description: parsed.and_then(|p| p.error_description),
        });
    }
    let mut de = serde_json::Deserializer::from_slice(&body);
    let parsed: TokenResponse =
        serde_path_to_error::deserialize(&mut de).map_err(|e| Error::OAuth {
            status: Some(status),
            error: Some("invalid_token_response".into()),
            description: Some(format!("unexpected token response at `{}`", e.path())),
        })?;
    let now = Utc::now();
    // "Tokens expire after 1 hour by default" (LD "OAuth" step 3).
    let expires_in = parsed.expires_in.unwrap_or(3600);
    let refresh_token = parsed
        .refresh_token
        .map(SecretString::from)
        .or(previous_refresh);
    Ok(TokenSet {
        access_token: SecretString::from(parsed.access_token),
        refresh_token,
        expires_at: now + chrono::TimeDelta::seconds(expires_in),
        refresh_token_issued_at: now,
        scope: parsed.scope,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorization_url_has_required_params() {
        let cfg = OAuthConfig::new("cid", "csecret", "https://app.example/cb");
        let url = cfg
            .authorization_url(&["offline_access", "notes:write:admin"], "st8")
            .unwrap();
        let full = cfg
            .authorization_url(INTERVIEW_INTELLIGENCE_SCOPES, "s")
            .unwrap();
        assert!(
            full.as_str()
                .contains("offline_access+opportunities%3Aread%3Aadmin")
        );
        let pairs: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
        assert_eq!(url.host_str(), Some("auth.lever.co"));
        assert_eq!(pairs["audience"], "https://api.lever.co/v1/");
        assert_eq!(pairs["response_type"], "code");
        assert_eq!(pairs["state"], "st8");
        assert_eq!(pairs["scope"], "offline_access notes:write:admin");
        assert!(!url.as_str().contains("csecret"));
        let sandbox = cfg.environment(Environment::Sandbox);
        let url = sandbox.authorization_url(&["offline_access"], "s").unwrap();
        assert_eq!(url.host_str(), Some("sandbox-lever.auth0.com"));
        assert!(url.as_str().contains("api.sandbox.lever.co"));
    }

    #[test]
    fn rejected_refresh_is_classified_by_age() {
        assert!(matches!(
            classify_rejected_refresh(Utc::now() - chrono::TimeDelta::days(91)),
            Error::ReconnectRequired {
                reason: ReconnectReason::RefreshTokenExpired
            }
        ));
        assert!(matches!(
            classify_rejected_refresh(Utc::now() - chrono::TimeDelta::days(2)),
            Error::Revoked { .. }
        ));
    }
}

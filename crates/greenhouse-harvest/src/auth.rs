//! OAuth 2.0 for Harvest v3: client credentials (customer-built integrations)
//! and authorization code (partners), token caching with single-flight
//! refresh, a pluggable token store, and token introspection.
//!
//! Sources: harvestdocs.greenhouse.io/docs/authentication (token endpoint,
//! Basic client auth, form body `grant_type=client_credentials&sub=<user id>`),
//! harvestdocs.greenhouse.io/docs/harvest-partner-oauth (authorize URL, TTLs:
//! code 1 minute, access token 1 hour, refresh token 24 hours), research notes §1.3.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use url::Url;

use futures::future::BoxFuture;

use crate::error::{BoxError, Error, Result, snippet};

/// Greenhouse's token endpoint.
pub const DEFAULT_TOKEN_URL: &str = "https://auth.greenhouse.io/token";
/// Greenhouse's consent page for the authorization-code flow.
pub const DEFAULT_AUTHORIZE_URL: &str = "https://auth.greenhouse.io/authorize";
/// Token introspection endpoint. The reference page
/// (harvestdocs.greenhouse.io/reference/introspect-token) exists but its URL and
/// shape were not confirmed (research notes §6.5); this follows RFC 7662 on the
/// auth host and can be overridden with [`OAuthConfig::introspection_url`].
pub const DEFAULT_INTROSPECTION_URL: &str = "https://auth.greenhouse.io/introspect";

/// Access tokens live one hour (partner OAuth guide); used when a token
/// response states no lifetime.
const DEFAULT_ACCESS_TTL: TimeDelta = TimeDelta::hours(1);
/// Refresh tokens live 24 hours (partner OAuth guide).
const DEFAULT_REFRESH_TTL: TimeDelta = TimeDelta::hours(24);

/// A Harvest v3 OAuth client id and secret. `Debug` never shows the secret.
#[derive(Clone)]
pub struct ClientCredentials {
    client_id: String,
    client_secret: SecretString,
}

impl ClientCredentials {
    /// Wraps a client id and secret.
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        ClientCredentials {
            client_id: client_id.into(),
            client_secret: SecretString::from(client_secret.into()),
        }
    }

    /// The client id (not a secret).
    pub fn client_id(&self) -> &str {
        &self.client_id
    }
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .finish()
    }
}

/// Tokens issued by the token endpoint. `Debug` shows expiries, never tokens.
#[derive(Clone)]
#[non_exhaustive]
pub struct TokenSet {
    /// The bearer token.
    pub access_token: SecretString,
    /// `Bearer` unless Greenhouse says otherwise.
    pub token_type: String,
    /// When the access token expires.
    pub expires_at: DateTime<Utc>,
    /// The refresh token (authorization-code flow only). It rotates on every refresh.
    pub refresh_token: Option<SecretString>,
    /// When the refresh token lapses (24 hours after issue unless stated).
    pub refresh_expires_at: Option<DateTime<Utc>>,
    /// Granted scopes, space separated, when the server says.
    pub scope: Option<String>,
}

impl TokenSet {
    /// Builds a token set, e.g. to seed a [`TokenStore`] from elsewhere.
    pub fn new(access_token: impl Into<String>, expires_at: DateTime<Utc>) -> Self {
        TokenSet {
            access_token: SecretString::from(access_token.into()),
            token_type: "Bearer".into(),
            expires_at,
            refresh_token: None,
            refresh_expires_at: None,
            scope: None,
        }
    }

    /// Adds a refresh token and its expiry.
    pub fn with_refresh_token(
        mut self,
        refresh_token: impl Into<String>,
        expires_at: DateTime<Utc>,
    ) -> Self {
        self.refresh_token = Some(SecretString::from(refresh_token.into()));
        self.refresh_expires_at = Some(expires_at);
        self
    }

    fn access_fresh(&self, now: DateTime<Utc>, margin: TimeDelta) -> bool {
        self.expires_at - margin > now
    }

    fn refresh_lapsed(&self, now: DateTime<Utc>) -> bool {
        match (&self.refresh_token, self.refresh_expires_at) {
            (None, _) => true,
            (Some(_), Some(at)) => at <= now,
            (Some(_), None) => false,
        }
    }

    fn refresh_near_lapse(&self, now: DateTime<Utc>, margin: TimeDelta) -> bool {
        matches!(self.refresh_expires_at, Some(at) if self.refresh_token.is_some() && at - margin <= now)
    }
}

impl fmt::Debug for TokenSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSet")
            .field("access_token", &"[redacted]")
            .field("token_type", &self.token_type)
            .field("expires_at", &self.expires_at)
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "[redacted]"),
            )
            .field("refresh_expires_at", &self.refresh_expires_at)
            .field("scope", &self.scope)
            .finish()
    }
}

/// Where tokens are kept between runs (e.g. an encrypted database row per
/// connected customer). Async, with the same signatures as `lever-client`'s
/// `TokenStore`, so one store type can serve both clients' connections.
///
/// Called while the refresh lock is held, so a store sees one writer at a
/// time per client; [`TokenStore::save`] is awaited before the new access
/// token is used, because the old refresh token is dead by then.
///
/// ```
/// use greenhouse_harvest::{BoxError, TokenSet, TokenStore};
/// use futures::future::BoxFuture;
///
/// struct Discard;
///
/// impl TokenStore for Discard {
///     fn load(&self) -> BoxFuture<'_, Result<Option<TokenSet>, BoxError>> {
///         Box::pin(async { Ok(None) })
///     }
///     fn save(&self, _tokens: TokenSet) -> BoxFuture<'_, Result<(), BoxError>> {
///         Box::pin(async { Ok(()) })
///     }
/// }
/// ```
pub trait TokenStore: Send + Sync {
    /// The last saved tokens, if any.
    fn load(&self) -> BoxFuture<'_, std::result::Result<Option<TokenSet>, BoxError>>;
    /// Persists newly issued tokens (refresh tokens rotate: always save).
    fn save(&self, tokens: TokenSet) -> BoxFuture<'_, std::result::Result<(), BoxError>>;
}

/// A [`TokenStore`] in memory (the default), for tests and short-lived programs.
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
        MemoryTokenStore {
            tokens: std::sync::Mutex::new(Some(tokens)),
            saves: Default::default(),
        }
    }

    /// The stored tokens.
    pub fn tokens(&self) -> Option<TokenSet> {
        // A poisoned lock still holds the last complete write: a panic elsewhere
        // cannot leave a half-written `Option`.
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
    fn load(&self) -> BoxFuture<'_, std::result::Result<Option<TokenSet>, BoxError>> {
        Box::pin(async move { Ok(self.tokens()) })
    }

    fn save(&self, tokens: TokenSet) -> BoxFuture<'_, std::result::Result<(), BoxError>> {
        Box::pin(async move {
            *self.tokens.lock().unwrap_or_else(|e| e.into_inner()) = Some(tokens);
            self.saves.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Ok(())
        })
    }
}

/// Result of token introspection (RFC 7662 fields; everything but `active` optional).
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct Introspection {
    /// Whether the token is currently valid.
    #[serde(default)]
    pub active: bool,
    /// Granted scopes, space separated.
    #[serde(default)]
    pub scope: Option<String>,
    /// The acting user (a number or a string, kept as JSON).
    #[serde(default)]
    pub sub: Option<serde_json::Value>,
    /// Client id.
    #[serde(default)]
    pub client_id: Option<String>,
    /// Expiry, seconds since the epoch.
    #[serde(default)]
    pub exp: Option<i64>,
    /// Other claims.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl Introspection {
    /// Whether `scope` was granted.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scope
            .as_deref()
            .is_some_and(|s| s.split([' ', ',']).any(|x| x == scope))
    }
}

/// Endpoints and credentials for the OAuth calls.
#[derive(Clone)]
pub struct OAuthConfig {
    pub(crate) credentials: ClientCredentials,
    pub(crate) token_url: Url,
    pub(crate) authorize_url: Url,
    pub(crate) introspection_url: Url,
    pub(crate) redirect_uri: Option<String>,
    /// The HTTP client, or why it could not be built (reported on the first call).
    pub(crate) http: std::result::Result<reqwest::Client, String>,
}

impl fmt::Debug for OAuthConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthConfig")
            .field("credentials", &self.credentials)
            .field("token_url", &self.token_url.as_str())
            .field("authorize_url", &self.authorize_url.as_str())
            .field("introspection_url", &self.introspection_url.as_str())
            .field("redirect_uri", &self.redirect_uri)
            .finish()
    }
}

impl OAuthConfig {
    /// Greenhouse's production endpoints for these credentials.
    pub fn new(credentials: ClientCredentials) -> Self {
        OAuthConfig {
            credentials,
            token_url: Url::parse(DEFAULT_TOKEN_URL).expect("valid constant"),
            authorize_url: Url::parse(DEFAULT_AUTHORIZE_URL).expect("valid constant"),
            introspection_url: Url::parse(DEFAULT_INTROSPECTION_URL).expect("valid constant"),
            redirect_uri: None,
            http: crate::http::build_http_client().map_err(|e| e.to_string()),
        }
    }

    /// Overrides the token endpoint (tests, proxies).
    pub fn token_url(mut self, url: &str) -> Result<Self> {
        self.token_url = parse_url(url)?;
        Ok(self)
    }

    /// Overrides the consent page URL.
    pub fn authorize_url(mut self, url: &str) -> Result<Self> {
        self.authorize_url = parse_url(url)?;
        Ok(self)
    }

    /// Overrides the introspection endpoint.
    pub fn introspection_url(mut self, url: &str) -> Result<Self> {
        self.introspection_url = parse_url(url)?;
        Ok(self)
    }

    /// The redirect URI registered with Greenhouse Partner Support (authorization-code flow).
    pub fn redirect_uri(mut self, uri: impl Into<String>) -> Self {
        self.redirect_uri = Some(uri.into());
        self
    }

    /// The consent URL to send the customer to: `response_type=code`, the
    /// client id, redirect URI, space-separated scopes and an anti-CSRF `state`
    /// (partner OAuth guide, step 2).
    pub fn authorization_url(&self, scopes: &[&str], state: &str) -> Url {
        let mut url = self.authorize_url.clone();
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("response_type", "code")
                .append_pair("client_id", &self.credentials.client_id);
            if let Some(uri) = &self.redirect_uri {
                q.append_pair("redirect_uri", uri);
            }
            q.append_pair("scope", &scopes.join(" "))
                .append_pair("state", state);
        }
        url
    }

    /// Exchanges an authorization code (valid one minute) for tokens.
    pub async fn exchange_code(&self, code: &str) -> Result<TokenSet> {
        let mut form = vec![("grant_type", "authorization_code"), ("code", code)];
        if let Some(uri) = &self.redirect_uri {
            form.push(("redirect_uri", uri));
        }
        self.token_request(&form, GrantKind::AuthorizationCode, &[code])
            .await
    }

    /// Exchanges a refresh token for new tokens. Refresh tokens rotate: save
    /// the returned set. A lapsed or rotated-away refresh token gives
    /// [`Error::ReauthorizationRequired`].
    pub async fn refresh(&self, refresh_token: &SecretString) -> Result<TokenSet> {
        let secret = refresh_token.expose_secret();
        let form = [("grant_type", "refresh_token"), ("refresh_token", secret)];
        self.token_request(&form, GrantKind::Refresh, &[secret])
            .await
    }

    /// Issues a client-credentials token acting as Greenhouse user `user_id`
    /// (the `sub`; without it Greenhouse uses the credentials' service account).
    pub async fn client_credentials_token(&self, user_id: Option<u64>) -> Result<TokenSet> {
        let sub = user_id.map(|id| id.to_string());
        let mut form = vec![("grant_type", "client_credentials")];
        if let Some(sub) = &sub {
            form.push(("sub", sub));
        }
        self.token_request(&form, GrantKind::ClientCredentials, &[])
            .await
    }

    /// Asks Greenhouse whether a token is active and what it grants.
    pub async fn introspect(&self, token: &SecretString) -> Result<Introspection> {
        let secret = token.expose_secret();
        let resp = self
            .http()?
            .post(self.introspection_url.clone())
            .basic_auth(
                &self.credentials.client_id,
                Some(self.credentials.client_secret.expose_secret()),
            )
            .form(&[("token", secret)])
            .send()
            .await
            .map_err(Error::transport)?;
        let status = resp.status().as_u16();
        let body = resp.bytes().await.map_err(Error::transport)?;
        if !(200..300).contains(&status) {
            return Err(self.token_error(status, &body, GrantKind::Introspection, &[secret]));
        }
        crate::http::decode_json(&body)
    }

    /// The HTTP client, or a configuration error saying why it could not be built.
    fn http(&self) -> Result<&reqwest::Client> {
        self.http.as_ref().map_err(|e| Error::Config(e.clone()))
    }

    async fn token_request(
        &self,
        form: &[(&str, &str)],
        kind: GrantKind,
        extra_secrets: &[&str],
    ) -> Result<TokenSet> {
        let resp = self
            .http()?
            .post(self.token_url.clone())
            .basic_auth(
                &self.credentials.client_id,
                Some(self.credentials.client_secret.expose_secret()),
            )
            .form(form)
            .send()
            .await
            .map_err(Error::transport)?;
        let status = resp.status().as_u16();
        let body = resp.bytes().await.map_err(Error::transport)?;
        if !(200..300).contains(&status) {
            return Err(self.token_error(status, &body, kind, extra_secrets));
        }
        let raw: RawToken = crate::http::decode_json(&body)?;
        raw.into_token_set(Utc::now())
    }

    /// Maps a token-endpoint failure to a distinct error, scrubbing secrets the
    /// server might echo (it echoes the client id, research notes §1.3).
    fn token_error(&self, status: u16, body: &[u8], kind: GrantKind, extra: &[&str]) -> Error {
        let mut secrets = vec![self.credentials.client_secret.expose_secret()];
        secrets.extend_from_slice(extra);
        let text = scrub(&snippet(body), &secrets);
        let parsed: OAuthErrorBody = serde_json::from_slice(body).unwrap_or_default();
        let code = parsed.error.clone().unwrap_or_default();
        let description = parsed
            .error_description
            .or(parsed.message)
            .map(|d| scrub(&d, &secrets));
        let message = description.clone().unwrap_or_else(|| text.clone());
        if status == 429 || status >= 500 {
            return Error::Api {
                status,
                message: description,
                details: vec![],
                body_snippet: text,
            };
        }
        match code.as_str() {
            "invalid_client" | "unauthorized_client" => Error::InvalidClient { message },
            "invalid_grant" if matches!(kind, GrantKind::Refresh) => {
                Error::ReauthorizationRequired { message }
            }
            "invalid_scope" => Error::MissingScope {
                scope: find_scope(&message).unwrap_or_else(|| "(requested scope)".into()),
                message: Some(message),
            },
            "" if status == 401 => Error::InvalidClient { message },
            "" => Error::OAuth {
                status,
                error: message,
                description: None,
            },
            _ => Error::OAuth {
                status,
                error: code,
                description,
            },
        }
    }
}

#[derive(Clone, Copy)]
enum GrantKind {
    ClientCredentials,
    AuthorizationCode,
    Refresh,
    Introspection,
}

#[derive(Default, Deserialize)]
struct OAuthErrorBody {
    error: Option<String>,
    error_description: Option<String>,
    message: Option<String>,
}

/// The token response. Evidence conflicts on lifetime fields (`expires_in`
/// seconds vs `expires_at` timestamp, research notes §1.3), so both are read.
#[derive(Deserialize)]
struct RawToken {
    access_token: String,
    #[serde(default)]
    token_type: Option<String>,
    #[serde(default)]
    expires_in: Option<serde_json::Value>,
    #[serde(default)]
    expires_at: Option<serde_json::Value>,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    refresh_token_expires_in: Option<serde_json::Value>,
    #[serde(default)]
    scope: Option<String>,
}

impl RawToken {
    fn into_token_set(self, now: DateTime<Utc>) -> Result<TokenSet> {
        let expires_at = self
            .expires_in
            .as_ref()
            .and_then(seconds)
            .map(|s| now + TimeDelta::seconds(s))
            .or_else(|| self.expires_at.as_ref().and_then(instant))
            .unwrap_or(now + DEFAULT_ACCESS_TTL);
        let refresh_expires_at = self.refresh_token.as_ref().map(|_| {
            self.refresh_token_expires_in
                .as_ref()
                .and_then(seconds)
                .map(|s| now + TimeDelta::seconds(s))
                .unwrap_or(now + DEFAULT_REFRESH_TTL)
        });
        Ok(TokenSet {
            access_token: SecretString::from(self.access_token),
            token_type: self.token_type.unwrap_or_else(|| "Bearer".into()),
            expires_at,
            refresh_token: self.refresh_token.map(SecretString::from),
            refresh_expires_at,
            scope: self.scope,
        })
    }
}

/// Seconds as a JSON number or numeric string.
fn seconds(v: &serde_json::Value) -> Option<i64> {
    match v {
        serde_json::Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// An instant as RFC 3339, `%Y-%m-%dT%H:%M:%S%z` (Airbyte's format), or epoch seconds.
fn instant(v: &serde_json::Value) -> Option<DateTime<Utc>> {
    match v {
        serde_json::Value::String(s) => DateTime::parse_from_rfc3339(s)
            .or_else(|_| DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%z"))
            .map(|t| t.with_timezone(&Utc))
            .ok()
            .or_else(|| {
                s.parse::<i64>()
                    .ok()
                    .and_then(|e| DateTime::from_timestamp(e, 0))
            }),
        serde_json::Value::Number(n) => n.as_i64().and_then(|e| DateTime::from_timestamp(e, 0)),
        _ => None,
    }
}

fn parse_url(url: &str) -> Result<Url> {
    Url::parse(url).map_err(|e| Error::Config(format!("invalid URL {url:?}: {e}")))
}

/// Replaces every occurrence of a secret with `[redacted]`.
pub(crate) fn scrub(text: &str, secrets: &[&str]) -> String {
    secrets
        .iter()
        .filter(|s| s.len() >= 4)
        .fold(text.to_owned(), |acc, s| acc.replace(s, "[redacted]"))
}

/// Finds a `harvest:<resource>:<verb>` scope name in a message.
pub(crate) fn find_scope(text: &str) -> Option<String> {
    let start = text.find("harvest:")?;
    let scope: String = text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == ':' || *c == '_')
        .collect();
    (scope.matches(':').count() >= 2).then_some(scope)
}

/// How the client obtains tokens.
#[derive(Debug, Clone)]
pub(crate) enum Grant {
    /// Client credentials acting as `user_id`.
    ClientCredentials { user_id: Option<u64> },
    /// Authorization code: tokens come from the store and are refreshed.
    AuthorizationCode,
}

/// Caches tokens for all clones of a client and refreshes them one at a time.
pub(crate) struct TokenManager {
    pub(crate) oauth: OAuthConfig,
    pub(crate) grant: Grant,
    store: Arc<dyn TokenStore>,
    /// The async mutex *is* the single-flight: a caller that finds the token
    /// stale refreshes while holding it; the others wait and then reuse the
    /// new token instead of starting their own refresh.
    cached: tokio::sync::Mutex<Option<TokenSet>>,
    margin: TimeDelta,
    retry: crate::RetryPolicy,
    issued: AtomicU64,
}

impl TokenManager {
    pub(crate) fn new(
        oauth: OAuthConfig,
        grant: Grant,
        store: Arc<dyn TokenStore>,
        margin: Duration,
        retry: crate::RetryPolicy,
    ) -> Self {
        TokenManager {
            oauth,
            grant,
            store,
            cached: tokio::sync::Mutex::new(None),
            margin: TimeDelta::from_std(margin).unwrap_or(TimeDelta::minutes(5)),
            retry,
            issued: AtomicU64::new(0),
        }
    }

    /// Number of tokens obtained from the token endpoint so far.
    pub(crate) fn tokens_issued(&self) -> u64 {
        self.issued.load(Ordering::Relaxed)
    }

    /// A usable access token. `rejected` is a token the API just answered 401
    /// to: if it is still the cached one, it is replaced; if another caller
    /// already replaced it, the new one is returned without a second refresh.
    pub(crate) async fn access_token(
        &self,
        rejected: Option<&SecretString>,
    ) -> Result<SecretString> {
        let mut cached = self.cached.lock().await;
        if cached.is_none() {
            *cached = self
                .store
                .load()
                .await
                .map_err(|source| Error::TokenStore { source })?;
        }
        let now = Utc::now();
        if let Some(tokens) = cached.as_ref() {
            let was_rejected =
                rejected.is_some_and(|r| r.expose_secret() == tokens.access_token.expose_secret());
            let proactive = matches!(self.grant, Grant::AuthorizationCode)
                && tokens.refresh_near_lapse(now, self.margin)
                && !tokens.refresh_lapsed(now);
            if !was_rejected && tokens.access_fresh(now, self.margin) && !proactive {
                return Ok(tokens.access_token.clone());
            }
        }
        let fresh = self.obtain_with_retry(cached.as_ref(), now).await?;
        self.issued.fetch_add(1, Ordering::Relaxed);
        self.store
            .save(fresh.clone())
            .await
            .map_err(|source| Error::TokenStore { source })?;
        let token = fresh.access_token.clone();
        *cached = Some(fresh);
        Ok(token)
    }

    /// Token requests are retried like GETs (transport errors, 429, 5xx),
    /// except refreshes: refresh tokens rotate, so a refresh whose response was
    /// lost may already have consumed the token; it is retried only when the
    /// request provably was not sent or was refused with a 429.
    async fn obtain_with_retry(
        &self,
        current: Option<&TokenSet>,
        now: DateTime<Utc>,
    ) -> Result<TokenSet> {
        use backon::Retryable;
        let refreshing = matches!(self.grant, Grant::AuthorizationCode);
        (|| self.obtain(current, now))
            .retry(self.retry.backoff())
            .sleep(tokio::time::sleep)
            .when(|e: &Error| {
                if refreshing {
                    e.is_connect() || e.status() == Some(429)
                } else {
                    e.is_retryable()
                }
            })
            .adjust(self.retry.adjuster())
            .await
    }

    async fn obtain(&self, current: Option<&TokenSet>, now: DateTime<Utc>) -> Result<TokenSet> {
        match &self.grant {
            Grant::ClientCredentials { user_id } => {
                self.oauth.client_credentials_token(*user_id).await
            }
            Grant::AuthorizationCode => {
                let lapsed = || Error::ReauthorizationRequired {
                    message: String::new(),
                };
                let tokens = current.ok_or_else(lapsed)?;
                if tokens.refresh_lapsed(now) {
                    return Err(lapsed());
                }
                let refresh = tokens.refresh_token.as_ref().ok_or_else(lapsed)?;
                tracing::debug!("refreshing Greenhouse access token");
                self.oauth.refresh(refresh).await
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_lifetimes_are_read_in_every_seen_shape() {
        let now = Utc::now();
        let t: RawToken =
            serde_json::from_str(r#"{"access_token":"a","expires_in":3600}"#).unwrap();
        assert_eq!(
            t.into_token_set(now).unwrap().expires_at,
            now + TimeDelta::seconds(3600)
        );
        let t: RawToken = serde_json::from_str(
            r#"{"access_token":"a","expires_at":"2030-01-01T00:00:00+0000","refresh_token":"r"}"#,
        )
        .unwrap();
        let set = t.into_token_set(now).unwrap();
        assert_eq!(set.expires_at.to_rfc3339(), "2030-01-01T00:00:00+00:00");
        assert_eq!(set.refresh_expires_at, Some(now + DEFAULT_REFRESH_TTL));
        let t: RawToken = serde_json::from_str(
            r#"{"access_token":"a","expires_in":"120","token_type":"bearer"}"#,
        )
        .unwrap();
        let set = t.into_token_set(now).unwrap();
        assert_eq!(set.expires_at, now + TimeDelta::seconds(120));
        assert_eq!(set.token_type, "bearer");
    }

    #[test]
    fn scopes_are_found_in_messages() {
        assert_eq!(
            find_scope("Missing required scope harvest:notes:create for this route").as_deref(),
            Some("harvest:notes:create")
        );
        assert_eq!(find_scope("no scope here"), None);
    }

    #[test]
    fn debug_output_hides_secrets() {
        let creds = ClientCredentials::new("client-123", "very-secret-value");
        let tokens = TokenSet::new("access-token-value", Utc::now())
            .with_refresh_token("refresh-token-value", Utc::now());
        let text = format!("{creds:?} {tokens:?}");
        assert!(text.contains("client-123"));
        for secret in [
            "very-secret-value",
            "access-token-value",
            "refresh-token-value",
        ] {
            assert!(!text.contains(secret), "{secret} leaked in {text}");
        }
    }
}

//! The client, its builder and the request pipeline (rate limit → auth → send → retry).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::{Duration, Instant};

use backon::Retryable;
use reqwest::{Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use tracing::Instrument;
use url::Url;

use crate::auth::{Credentials, Environment, OAuthConfig, OAuthSession, TokenStore};
use crate::error::{Error, body_snippet, decode};
use crate::pagination::append_offset;
use crate::retry::{RateLimit, RetryPolicy};
use crate::telemetry;

const USER_AGENT: &str = concat!(
    "lever-client/",
    env!("CARGO_PKG_VERSION"),
    " (+https://github.com/aspect-interview/aspect-ats)"
);

/// An async client for Lever's v1 API. Cheap to clone; clones share the connection pool, the
/// rate limiter and the OAuth token state.
///
/// ```no_run
/// # async fn demo() -> Result<(), lever_client::Error> {
/// let client = lever_client::LeverClient::builder().api_key("my-key").build()?;
/// let user = client.user_by_email("rachel@example.com").await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct LeverClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: Url,
    credentials: Credentials,
    limiter: Option<governor::DefaultDirectRateLimiter>,
    retry: RetryPolicy,
    page_size: u8,
}

impl std::fmt::Debug for LeverClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LeverClient")
            .field("base_url", &self.inner.base_url.as_str())
            .field("credentials", &self.inner.credentials)
            .field("retry", &self.inner.retry)
            .field("page_size", &self.inner.page_size)
            .finish()
    }
}

/// Builds a [`LeverClient`].
pub struct LeverClientBuilder {
    credentials: Option<PendingCredentials>,
    environment: Environment,
    base_url: Option<String>,
    retry: RetryPolicy,
    rate_limit: Option<RateLimit>,
    timeout: Duration,
    page_size: u8,
}

enum PendingCredentials {
    ApiKey(SecretString),
    OAuth(OAuthConfig, Arc<dyn TokenStore>),
}

impl std::fmt::Debug for LeverClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let creds = match &self.credentials {
            None => "none".to_owned(),
            Some(PendingCredentials::ApiKey(_)) => "ApiKey([redacted])".to_owned(),
            Some(PendingCredentials::OAuth(c, _)) => format!("OAuth({c:?})"),
        };
        f.debug_struct("LeverClientBuilder")
            .field("credentials", &creds)
            .field("environment", &self.environment)
            .field("base_url", &self.base_url)
            .field("retry", &self.retry)
            .field("rate_limit", &self.rate_limit)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl Default for LeverClientBuilder {
    fn default() -> Self {
        Self {
            credentials: None,
            environment: Environment::Production,
            base_url: None,
            retry: RetryPolicy::default(),
            rate_limit: Some(RateLimit::default()),
            timeout: Duration::from_secs(30),
            page_size: 100,
        }
    }
}

impl LeverClientBuilder {
    /// Authenticate with an API key (HTTP Basic, key as user name, blank password).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.credentials = Some(PendingCredentials::ApiKey(SecretString::from(key.into())));
        self
    }

    /// Authenticate as an OAuth partner app with tokens from `store`.
    pub fn oauth(mut self, config: OAuthConfig, store: Arc<dyn TokenStore>) -> Self {
        self.credentials = Some(PendingCredentials::OAuth(config, store));
        self
    }

    /// Production (default) or sandbox API root.
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = environment;
        self
    }

    /// Override the API root, e.g. a local fake: `http://127.0.0.1:8080/v1`.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Retry policy (default: [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Client-side rate limit (default: Lever's 10/s with bursts of 20); `None` disables it.
    pub fn rate_limit(mut self, limit: Option<RateLimit>) -> Self {
        self.rate_limit = limit;
        self
    }

    /// Per-attempt timeout (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Page size for list calls, 1 to 100 (Lever's maximum, LD "Pagination"); default 100.
    pub fn page_size(mut self, size: u8) -> Self {
        self.page_size = size.clamp(1, 100);
        self
    }

    /// Build the client.
    pub fn build(self) -> Result<LeverClient, Error> {
        let raw = self
            .base_url
            .unwrap_or_else(|| self.environment.api_base_url().to_owned());
        let base_url = Url::parse(raw.trim_end_matches('/'))
            .map_err(|e| Error::Config(format!("base URL: {e}")))?;
        if base_url.cannot_be_a_base() {
            return Err(Error::Config("base URL cannot be a base".into()));
        }
        let http = build_http(self.timeout)?;
        let credentials = match self.credentials {
            None => {
                return Err(Error::Config(
                    "no credentials: call api_key or oauth".into(),
                ));
            }
            Some(PendingCredentials::ApiKey(k)) => Credentials::ApiKey(k),
            Some(PendingCredentials::OAuth(config, store)) => {
                Credentials::OAuth(Arc::new(OAuthSession::new(config, store, http.clone())))
            }
        };
        Ok(LeverClient {
            inner: Arc::new(Inner {
                http,
                base_url,
                credentials,
                limiter: self.rate_limit.map(|r| r.limiter()),
                retry: self.retry,
                page_size: self.page_size,
            }),
        })
    }
}

/// Build the HTTP client. Redirects are not followed: reqwest would drop `Authorization` on a
/// cross-host 301 (research note §1.2), so a 301 surfaces as [`Error::Api`] instead.
pub(crate) fn build_http(timeout: Duration) -> Result<reqwest::Client, Error> {
    // TLS comes from the crate's features with an explicit provider (see `tls.rs`): nothing
    // process-wide is read or installed, so the application's own clients are unaffected.
    let builder = reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(10)))
        .redirect(reqwest::redirect::Policy::none());
    crate::tls::configure(builder)
        .map_err(Error::Config)?
        .build()
        .map_err(|e| Error::Config(format!("HTTP client: {e}")))
}

/// One API request, rebuilt for each attempt.
#[derive(Debug, Clone)]
pub(crate) struct Call {
    pub(crate) method: Method,
    pub(crate) path: Vec<String>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) offset: Option<String>,
    pub(crate) body: Option<serde_json::Value>,
    /// A `multipart/form-data` body (file uploads), built once and resent as is.
    pub(crate) multipart: Option<Arc<crate::api::files::Multipart>>,
}

impl Call {
    pub(crate) fn get(path: &[&str]) -> Self {
        Self {
            method: Method::GET,
            path: path.iter().map(|s| (*s).to_owned()).collect(),
            query: Vec::new(),
            offset: None,
            body: None,
            multipart: None,
        }
    }

    pub(crate) fn with_method(mut self, method: Method) -> Self {
        self.method = method;
        self
    }

    pub(crate) fn query(mut self, key: &str, value: impl Into<String>) -> Self {
        self.query.push((key.to_owned(), value.into()));
        self
    }

    pub(crate) fn body(mut self, body: serde_json::Value) -> Self {
        self.body = Some(body);
        self
    }

    pub(crate) fn multipart(mut self, body: crate::api::files::Multipart) -> Self {
        self.multipart = Some(Arc::new(body));
        self
    }

    /// The same call with another method (`Call::get(path).with_method(..)` reads oddly for
    /// writes).
    pub(crate) fn new(method: Method, path: &[&str]) -> Self {
        Self::get(path).with_method(method)
    }

    /// GET/PUT/DELETE are idempotent; POST is not.
    fn idempotent(&self) -> bool {
        self.method != Method::POST
    }
}

/// What one attempt produced.
enum Attempted {
    Body(Vec<u8>),
    Response(reqwest::Response),
}

/// `{"data": …}` — every success body is wrapped (LD "Responses and Errors").
#[derive(Deserialize)]
pub(crate) struct Envelope<T> {
    pub(crate) data: T,
}

#[derive(Deserialize)]
struct ApiErrorBody {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

impl LeverClient {
    /// Start building a client.
    pub fn builder() -> LeverClientBuilder {
        LeverClientBuilder::default()
    }

    /// The API root this client talks to.
    pub fn base_url(&self) -> &str {
        self.inner.base_url.as_str()
    }

    pub(crate) fn page_size(&self) -> u8 {
        self.inner.page_size
    }

    /// Send `call` and decode `{"data": T}`.
    pub(crate) async fn data<T: DeserializeOwned>(&self, call: Call) -> Result<T, Error> {
        let body = self.execute(call).await?;
        Ok(decode::<Envelope<T>>(&body)?.data)
    }

    /// Send `call` and decode `{"data": T}`, or a bare `T` where LD's examples lack the
    /// envelope (feedback-template and feedback create responses; research note §6).
    pub(crate) async fn data_or_bare<T: DeserializeOwned>(&self, call: Call) -> Result<T, Error> {
        let body = self.execute(call).await?;
        match decode::<Envelope<serde_json::Value>>(&body) {
            Ok(envelope) if envelope.data.is_object() || envelope.data.is_array() => {
                serde_path_to_error::deserialize(envelope.data).map_err(|e| Error::Decode {
                    path: format!("data.{}", e.path()),
                    message: e.inner().to_string(),
                    body_snippet: crate::error::body_snippet(&body),
                })
            }
            _ => decode(&body),
        }
    }

    /// Send `call` and decode the whole body as `T`.
    pub(crate) async fn json<T: DeserializeOwned>(&self, call: Call) -> Result<T, Error> {
        let body = self.execute(call).await?;
        decode(&body)
    }

    /// Send `call` with retries, returning the success body.
    pub(crate) async fn execute(&self, call: Call) -> Result<Vec<u8>, Error> {
        match self.retrying(call, true).await? {
            Attempted::Body(body) => Ok(body),
            Attempted::Response(r) => Ok(r.bytes().await.map_err(Error::from_reqwest)?.to_vec()),
        }
    }

    /// Send `call` with retries until a success status arrives, and hand back the response
    /// with its body still unread (downloads stream it).
    pub(crate) async fn execute_response(&self, call: Call) -> Result<reqwest::Response, Error> {
        match self.retrying(call, false).await? {
            Attempted::Response(r) => Ok(r),
            // Not produced when `read_body` is false; kept total rather than panicking.
            Attempted::Body(_) => Err(Error::Config("internal: body already read".into())),
        }
    }

    /// The retry loop around [`LeverClient::attempt`]; with `read_body` the body is read inside
    /// each attempt, so a body cut off mid-way is retried like any transport error. Each attempt
    /// runs in its own `api_request` span (see the `telemetry` module).
    async fn retrying(&self, call: Call, read_body: bool) -> Result<Attempted, Error> {
        let idempotent = call.idempotent();
        let policy = &self.inner.retry;
        // Set just before the request goes on the wire, so a failure before that (an OAuth
        // refresh that hit a 503) is known not to have sent anything.
        let sent = AtomicBool::new(false);
        let route = telemetry::route_template(&call.path);
        let attempts = AtomicU32::new(0);
        (|| {
            let attempt = attempts.fetch_add(1, Ordering::SeqCst) + 1;
            let span = telemetry::request_span(&call.method, &route, attempt);
            async {
                sent.store(false, Ordering::SeqCst);
                let response = self.attempt(&call, &sent).await?;
                if !read_body {
                    return Ok(Attempted::Response(response));
                }
                let body = response.bytes().await.map_err(Error::from_reqwest)?;
                Ok(Attempted::Body(body.to_vec()))
            }
            .instrument(span)
        })
        .retry(policy.backoff())
        .when(|e: &Error| {
            // A POST is retried only when it provably never left: a connect error, or a
            // failure before sending.
            e.is_retryable() && (idempotent || e.is_connect() || !sent.load(Ordering::SeqCst))
        })
        .adjust(policy.adjuster())
        .notify(|e: &Error, wait: Duration| {
            tracing::warn!(error = %e, ?wait, "retrying Lever request");
        })
        .await
    }

    /// One attempt; on 401 with OAuth it refreshes once and resends, and it follows one
    /// redirect to a trusted host (see [`LeverClient::redirect_target`]).
    async fn attempt(&self, call: &Call, sent: &AtomicBool) -> Result<reqwest::Response, Error> {
        let mut refreshed = false;
        let mut redirect: Option<Url> = None;
        let mut bearer = match &self.inner.credentials {
            Credentials::OAuth(session) => Some(session.access_token().await?),
            Credentials::ApiKey(_) => None,
        };
        loop {
            if let Some(limiter) = &self.inner.limiter {
                limiter.until_ready().await;
            }
            let url = match &redirect {
                Some(url) => url.clone(),
                None => self.url(call)?,
            };
            sent.store(true, Ordering::SeqCst);
            let started = Instant::now();
            let response = self
                .request(call, url, bearer.as_ref())
                .send()
                .await
                .map_err(Error::from_reqwest)?;
            let status = response.status();
            telemetry::record_answer(status.as_u16(), started.elapsed());
            if status == StatusCode::UNAUTHORIZED
                && let (Credentials::OAuth(session), Some(used), false) =
                    (&self.inner.credentials, &bearer, refreshed)
            {
                // Refresh once on 401 (the token may have been invalidated early).
                bearer = Some(session.refresh_after_unauthorized(used).await?);
                refreshed = true;
                continue;
            }
            if redirect.is_none()
                && let Some(target) = self.redirect_target(call, &response)
            {
                tracing::debug!(%status, host = ?target.host_str(), "following Lever redirect");
                redirect = Some(target);
                continue;
            }
            return check_response(response).await;
        }
    }

    /// Where to follow a redirect, if it is safe to send the credentials there.
    ///
    /// Lever documents 301 with a `Location` to use instead (LD "Responses and Errors"), and
    /// says EU OAuth traffic is "re-directed automatically" (research note §1.2). reqwest would
    /// drop `Authorization` on a cross-host hop, so redirects are handled here: at most one, only
    /// to an `https` `*.lever.co` host or the configured base URL's origin, and a POST only on
    /// 307/308 (which keep the method and body).
    fn redirect_target(&self, call: &Call, response: &reqwest::Response) -> Option<Url> {
        let status = response.status();
        let keeps_method = matches!(
            status,
            StatusCode::TEMPORARY_REDIRECT | StatusCode::PERMANENT_REDIRECT
        );
        let may_follow = keeps_method
            || (matches!(status, StatusCode::MOVED_PERMANENTLY | StatusCode::FOUND)
                && call.method == Method::GET);
        if !may_follow {
            return None;
        }
        let location = response
            .headers()
            .get(reqwest::header::LOCATION)?
            .to_str()
            .ok()?;
        let target = response.url().join(location).ok()?;
        let base = &self.inner.base_url;
        let same_origin = target.origin() == base.origin();
        let lever_host = target.scheme() == "https"
            && target
                .host_str()
                .is_some_and(|h| h == "lever.co" || h.ends_with(".lever.co"));
        (same_origin || lever_host).then_some(target)
    }

    fn url(&self, call: &Call) -> Result<Url, Error> {
        let mut url = self.inner.base_url.clone();
        url.path_segments_mut()
            .map_err(|_| Error::Config("base URL cannot be a base".into()))?
            .pop_if_empty()
            .extend(&call.path);
        if !call.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&call.query);
        }
        if let Some(offset) = &call.offset {
            append_offset(&mut url, offset);
        }
        Ok(url)
    }

    fn request(
        &self,
        call: &Call,
        url: Url,
        bearer: Option<&SecretString>,
    ) -> reqwest::RequestBuilder {
        let mut builder = self.inner.http.request(call.method.clone(), url);
        builder = match (&self.inner.credentials, bearer) {
            (_, Some(token)) => builder.bearer_auth(token.expose_secret()),
            // Basic auth: the key is the user name and the password is blank (LD "Basic Auth").
            (Credentials::ApiKey(key), None) => builder.basic_auth(key.expose_secret(), Some("")),
            (Credentials::OAuth(_), None) => builder,
        };
        if let Some(body) = &call.body {
            builder = builder.json(body);
        } else if let Some(form) = &call.multipart {
            builder = builder
                .header(reqwest::header::CONTENT_TYPE, form.content_type())
                .body(form.bytes().to_vec());
        }
        builder
    }
}

/// A success response unchanged; any other status read into an [`Error`].
async fn check_response(response: reqwest::Response) -> Result<reqwest::Response, Error> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(parse_retry_after);
    let location = response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = response
        .bytes()
        .await
        .map_err(Error::from_reqwest)?
        .to_vec();
    let parsed: Option<ApiErrorBody> = serde_json::from_slice(&body).ok();
    let (code, mut message) = parsed.map(|p| (p.code, p.message)).unwrap_or_default();
    if status == StatusCode::UNAUTHORIZED {
        return Err(Error::Revoked { message });
    }
    if status.is_redirection() {
        message = message.or(location.map(|l| format!("moved to {l}")));
    }
    Err(Error::Api {
        status: status.as_u16(),
        code,
        message,
        body_snippet: body_snippet(&body),
        retry_after,
    })
}

/// `Retry-After` as delta-seconds or an HTTP date (RFC 9110 §10.2.3).
fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let delta = at.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(delta.to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_formats() {
        assert_eq!(parse_retry_after("3"), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn base_url_trailing_slash_is_normalised() {
        let c = LeverClient::builder()
            .api_key("k")
            .base_url("http://127.0.0.1:9/v1/")
            .build()
            .unwrap();
        let url = c.url(&Call::get(&["opportunities", "a b"])).unwrap();
        let req = c
            .request(&Call::get(&["opportunities"]), url, None)
            .build()
            .unwrap();
        assert_eq!(
            req.url().as_str(),
            "http://127.0.0.1:9/v1/opportunities/a%20b"
        );
    }

    #[test]
    fn environments_select_the_api_root() {
        let sandbox = LeverClient::builder()
            .api_key("k")
            .environment(Environment::Sandbox)
            .build()
            .unwrap();
        assert_eq!(sandbox.base_url(), "https://api.sandbox.lever.co/v1");
        let prod = LeverClient::builder().api_key("k").build().unwrap();
        assert_eq!(prod.base_url(), "https://api.lever.co/v1");
        assert!(matches!(
            LeverClient::builder().build(),
            Err(Error::Config(_))
        ));
    }
}

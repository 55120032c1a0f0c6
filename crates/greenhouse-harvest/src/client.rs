//! The Harvest v3 client: builder, request pipeline (pacing → token → send →
//! 401 refresh → error mapping → retry) and the endpoints.

use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use backon::Retryable;
use chrono::{DateTime, Utc};
use futures::stream::{self, BoxStream, StreamExt};
use reqwest::Method;
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use tracing::Instrument;
use url::Url;

use crate::auth::{
    ClientCredentials, Grant, Introspection, MemoryTokenStore, OAuthConfig, TokenManager,
    TokenStore, find_scope,
};
use crate::error::{Error, Result, parse_error_body, snippet};
use crate::http::{build_http_client_with, decode_json, retry_after};

/// A page's records in page order, and its next URL.
type PageRecords<T> = (Vec<std::result::Result<T, RecordError>>, Option<Url>);
use crate::models::{Candidate, Interview, Interviewer, NewNote, Note, ScheduledInterview, User};
use crate::pagination::{
    DateFilter, ListQuery, MAX_IDS, Page, RecordError, decode_records, next_link,
};
use crate::rate_limit::{Pacer, RateLimitStatus};
use crate::retry::RetryPolicy;

/// Harvest v3's root.
pub const DEFAULT_BASE_URL: &str = "https://harvest.greenhouse.io/v3/";
/// Harvest v3 rate-limit window ("fixed 30-second windows", research notes §2.4).
pub const DEFAULT_RATE_LIMIT_WINDOW: Duration = Duration::from_secs(30);

/// An async Harvest v3 client. Cheap to clone; clones share the token cache,
/// the rate-limit pacer and the connection pool.
#[derive(Clone)]
pub struct HarvestClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: Url,
    tokens: TokenManager,
    retry: RetryPolicy,
    pacer: Pacer,
}

impl fmt::Debug for HarvestClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HarvestClient")
            .field("base_url", &self.inner.base_url.as_str())
            .field("oauth", &self.inner.tokens.oauth)
            .field("grant", &self.inner.tokens.grant)
            .field("retry", &self.inner.retry)
            .finish()
    }
}

enum GrantChoice {
    ClientCredentials { user_id: Option<u64> },
    AuthorizationCode,
}

/// Configures a [`HarvestClient`].
pub struct HarvestClientBuilder {
    credentials: Option<ClientCredentials>,
    grant: Option<GrantChoice>,
    store: Option<Arc<dyn TokenStore>>,
    base_url: String,
    token_url: Option<String>,
    authorize_url: Option<String>,
    introspection_url: Option<String>,
    redirect_uri: Option<String>,
    retry: RetryPolicy,
    window: Duration,
    refresh_margin: Duration,
    timeout: Duration,
}

impl fmt::Debug for HarvestClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HarvestClientBuilder")
            .field("credentials", &self.credentials)
            .field("base_url", &self.base_url)
            .field("token_url", &self.token_url)
            .finish_non_exhaustive()
    }
}

impl Default for HarvestClientBuilder {
    fn default() -> Self {
        HarvestClientBuilder {
            credentials: None,
            grant: None,
            store: None,
            base_url: DEFAULT_BASE_URL.into(),
            token_url: None,
            authorize_url: None,
            introspection_url: None,
            redirect_uri: None,
            retry: RetryPolicy::default(),
            window: DEFAULT_RATE_LIMIT_WINDOW,
            refresh_margin: Duration::from_secs(300),
            timeout: Duration::from_secs(60),
        }
    }
}

impl HarvestClientBuilder {
    /// Client-credentials flow (customer-built integrations): tokens act as
    /// Greenhouse user `user_id` (the `sub`), so notes are attributed to them.
    /// `None` lets Greenhouse use the credentials' service account.
    pub fn client_credentials(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        user_id: Option<u64>,
    ) -> Self {
        self.credentials = Some(ClientCredentials::new(client_id, client_secret));
        self.grant = Some(GrantChoice::ClientCredentials { user_id });
        self
    }

    /// Authorization-code flow (partners): tokens come from `store` (seed it
    /// with [`OAuthConfig::exchange_code`]'s result) and are refreshed and
    /// saved back there.
    pub fn authorization_code(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        store: Arc<dyn TokenStore>,
    ) -> Self {
        self.credentials = Some(ClientCredentials::new(client_id, client_secret));
        self.grant = Some(GrantChoice::AuthorizationCode);
        self.store = Some(store);
        self
    }

    /// Keeps client-credentials tokens in `store` too (e.g. to share across processes).
    pub fn token_store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.store = Some(store);
        self
    }

    /// Harvest v3 root (default `https://harvest.greenhouse.io/v3/`); a trailing slash is added.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Token endpoint (default `https://auth.greenhouse.io/token`).
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// Consent page for [`HarvestClient::oauth`]'s `authorization_url`.
    pub fn authorize_url(mut self, url: impl Into<String>) -> Self {
        self.authorize_url = Some(url.into());
        self
    }

    /// Introspection endpoint.
    pub fn introspection_url(mut self, url: impl Into<String>) -> Self {
        self.introspection_url = Some(url.into());
        self
    }

    /// Redirect URI of the authorization-code flow.
    pub fn redirect_uri(mut self, uri: impl Into<String>) -> Self {
        self.redirect_uri = Some(uri.into());
        self
    }

    /// Retry policy (default [`RetryPolicy::default`]: six attempts, 0.5–30 s jittered backoff,
    /// 120 s of waiting in total, `Retry-After` up to 60 s).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Length of a rate-limit window, used when `X-RateLimit-Reset` is absent (default 30 s).
    pub fn rate_limit_window(mut self, window: Duration) -> Self {
        self.window = window;
        self
    }

    /// Refresh tokens this long before they expire (default 5 minutes).
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        self
    }

    /// Per-request timeout (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Builds the client. Fails on a missing grant or an unparsable URL.
    pub fn build(self) -> Result<HarvestClient> {
        let credentials = self.credentials.ok_or_else(|| {
            Error::Config("call client_credentials() or authorization_code() first".into())
        })?;
        let mut base = self.base_url;
        if !base.ends_with('/') {
            base.push('/');
        }
        let base_url = Url::parse(&base)
            .map_err(|e| Error::Config(format!("invalid base URL {base:?}: {e}")))?;
        let http = build_http_client_with(self.timeout)?;
        let mut oauth = OAuthConfig::new(credentials);
        oauth.http = Ok(http.clone());
        if let Some(u) = &self.token_url {
            oauth = oauth.token_url(u)?;
        }
        if let Some(u) = &self.authorize_url {
            oauth = oauth.authorize_url(u)?;
        }
        if let Some(u) = &self.introspection_url {
            oauth = oauth.introspection_url(u)?;
        }
        if let Some(u) = self.redirect_uri {
            oauth = oauth.redirect_uri(u);
        }
        let grant = match self.grant {
            Some(GrantChoice::ClientCredentials { user_id }) => {
                Grant::ClientCredentials { user_id }
            }
            _ => Grant::AuthorizationCode,
        };
        let store = self
            .store
            .unwrap_or_else(|| Arc::new(MemoryTokenStore::new()));
        Ok(HarvestClient {
            inner: Arc::new(Inner {
                http,
                base_url,
                tokens: TokenManager::new(
                    oauth,
                    grant,
                    store,
                    self.refresh_margin,
                    self.retry.clone(),
                ),
                retry: self.retry,
                pacer: Pacer::new(self.window),
            }),
        })
    }
}

impl HarvestClient {
    /// Starts configuring a client.
    pub fn builder() -> HarvestClientBuilder {
        HarvestClientBuilder::default()
    }

    /// The Harvest v3 root this client talks to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// The OAuth endpoints and credentials (authorize URL, code exchange, introspection).
    pub fn oauth(&self) -> &OAuthConfig {
        &self.inner.tokens.oauth
    }

    /// The Greenhouse user the client-credentials tokens act as.
    pub fn user_id(&self) -> Option<u64> {
        match self.inner.tokens.grant {
            Grant::ClientCredentials { user_id } => user_id,
            Grant::AuthorizationCode => None,
        }
    }

    /// What the last response said about the rate limit.
    pub async fn rate_limit_status(&self) -> RateLimitStatus {
        self.inner.pacer.status()
    }

    /// How many tokens this client (and its clones) obtained from the token endpoint.
    pub fn tokens_issued(&self) -> u64 {
        self.inner.tokens.tokens_issued()
    }

    /// A valid access token (obtaining or refreshing one if needed).
    pub async fn access_token(&self) -> Result<SecretString> {
        self.inner.tokens.access_token(None).await
    }

    /// Introspects the client's current access token.
    pub async fn introspect_current_token(&self) -> Result<Introspection> {
        let token = self.access_token().await?;
        self.oauth().introspect(&token).await
    }

    /// The page at a `next` URL saved from an earlier page (for example a
    /// sync checkpoint), so a restarted process resumes a list where it
    /// stopped instead of starting over. The URL must be on this client's
    /// host and name a list endpoint. v3 cursors expire (422); restart the
    /// list from its first page then (research notes §2.2).
    pub async fn page_at<T: DeserializeOwned>(&self, next_url: &str) -> Result<Page<T>> {
        let url = self.checked_next(next_url)?;
        let resource = url
            .path_segments()
            .and_then(|mut s| s.next_back())
            .unwrap_or_default();
        let scope = crate::routes::list_scope(resource).ok_or_else(|| {
            Error::Config(format!(
                "`{}` is not a Harvest v3 list endpoint",
                url.path()
            ))
        })?;
        self.get_page(url, scope).await
    }

    /// The page after `page`, or `None` on the last page.
    pub async fn next_page<T: DeserializeOwned>(&self, page: &Page<T>) -> Result<Option<Page<T>>> {
        match &page.next_url {
            Some(url) => self.get_page(url.clone(), page.scope).await.map(Some),
            None => Ok(None),
        }
    }

    /// One candidate by id (via the `ids` filter, which every v3 list accepts;
    /// single-resource routes were not confirmed, research notes §1.4).
    pub async fn get_candidate(&self, id: u64) -> Result<Option<Candidate>> {
        self.get::<Candidate>(id).await
    }

    /// Candidates having `email` among their addresses (`email` filter, used
    /// by independent v3 clients; results are re-checked locally).
    pub async fn find_candidates_by_email(&self, email: &str) -> Result<Vec<Candidate>> {
        let found: Vec<Candidate> = self
            .candidates(ListQuery::new().param("email", email))
            .collect_skipping_records()
            .await?;
        Ok(found.into_iter().filter(|c| c.has_email(email)).collect())
    }

    /// The user whose primary or secondary e-mail is `email`. Whether
    /// `/v3/users` filters by `email` is unconfirmed (research notes §3.5), so the
    /// filter is sent and the answer is checked locally.
    pub async fn find_user_by_email(&self, email: &str) -> Result<Option<User>> {
        let mut users = self.users(ListQuery::new().param("email", email));
        while let Some(user) = users.next().await {
            let user = match user {
                Ok(user) => user,
                Err(Error::Record(e)) => {
                    tracing::warn!(error = %e, "skipping a malformed Greenhouse record");
                    continue;
                }
                Err(e) => return Err(e),
            };
            if user.has_email(email) {
                return Ok(Some(user));
            }
        }
        Ok(None)
    }

    /// All notes of one candidate.
    pub async fn candidate_notes(&self, candidate_id: u64) -> Result<Vec<Note>> {
        self.notes(ListQuery::new().id_list("candidate_ids", &[candidate_id]))
            .collect_skipping_records()
            .await
    }

    /// Interviews starting at or after `from`, each with its interviewers.
    ///
    /// Uses `starts_at=gte|…`, which leaves out all-day interviews (they have
    /// no `starts_at`, research notes §3.3).
    pub async fn upcoming_interviews(
        &self,
        from: DateTime<Utc>,
    ) -> Result<Vec<ScheduledInterview>> {
        let query = ListQuery::new().param("starts_at", DateFilter::gte(from).to_query_value());
        let interviews: Vec<Interview> = self.interviews(query).collect_skipping_records().await?;
        let interviews: Vec<Interview> = interviews
            .into_iter()
            .filter(|i| i.starts_at.is_some_and(|s| s >= from))
            .collect();
        let ids: Vec<u64> = interviews.iter().map(|i| i.id).collect();
        // Interviewers grouped by interview once, so the join is linear in
        // interviews + interviewers instead of their product.
        let mut panels: std::collections::HashMap<u64, Vec<Interviewer>> =
            std::collections::HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(MAX_IDS) {
            let rows = self
                .interviewers(ListQuery::new().id_list("interview_ids", chunk))
                .collect_skipping_records()
                .await?;
            for row in rows {
                if let Some(interview_id) = row.interview_id {
                    panels.entry(interview_id).or_default().push(row);
                }
            }
        }
        Ok(interviews
            .into_iter()
            .map(|interview| {
                let interviewers = panels.remove(&interview.id).unwrap_or_default();
                ScheduledInterview {
                    interview,
                    interviewers,
                }
            })
            .collect())
    }

    /// Creates a note on a candidate (`POST /v3/notes`, scope `harvest:notes:create`).
    ///
    /// The note is attributed to the token's user (`sub`); `user_id` defaults
    /// to the client-credentials user id.
    ///
    /// **Never retried blindly**: Harvest v3 has no idempotency keys, so a
    /// retry after a lost response would post the note twice. The POST is
    /// retried only when the connection was never established (the request
    /// provably was not sent) and after a 401 that made the client refresh
    /// its token (the request was refused, not processed). A 429, a 5xx or a
    /// timeout is returned to the caller, who must treat the outcome as
    /// unknown (e.g. list the candidate's notes before posting again);
    /// [`Error::may_have_been_applied`] tells these cases apart.
    pub async fn create_note(&self, note: &NewNote) -> Result<Note> {
        let mut note = note.clone();
        if note.user_id.is_none() {
            note.user_id = self.user_id();
        }
        let body = serde_json::to_value(&note)
            .map_err(|e| Error::Config(format!("unserializable note: {e}")))?;
        let bytes = self
            .write(Method::POST, "notes", Some(&body), "harvest:notes:create")
            .await?;
        decode_json(&bytes)
    }

    /// Sends a write (POST, PATCH, DELETE) under the note POST's retry rule:
    /// retried only when the connection was never established (and once
    /// after a 401 that refreshed the token), never after the request may
    /// have been processed. Returns the response body.
    pub(crate) async fn write(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
        scope: &'static str,
    ) -> Result<Vec<u8>> {
        let url = self.endpoint(path)?;
        let attempts = AtomicU32::new(0);
        let op = || self.send_once(method.clone(), url.clone(), body, scope, &attempts);
        let (_, bytes) = op
            .retry(self.inner.retry.backoff())
            .sleep(tokio::time::sleep)
            .when(Error::is_connect)
            .adjust(self.inner.retry.adjuster())
            .await?;
        Ok(bytes)
    }

    pub(crate) fn endpoint(&self, path: &str) -> Result<Url> {
        self.inner
            .base_url
            .join(path)
            .map_err(|e| Error::Config(format!("bad path {path:?}: {e}")))
    }

    pub(crate) async fn first_page<T: DeserializeOwned>(
        &self,
        path: &str,
        scope: &'static str,
        query: &ListQuery,
    ) -> Result<Page<T>> {
        query.validate()?;
        let mut url = self.endpoint(path)?;
        query.apply(&mut url);
        self.get_page(url, scope).await
    }

    pub(crate) fn paginate<T: DeserializeOwned + Send + 'static>(
        &self,
        path: &'static str,
        scope: &'static str,
        query: ListQuery,
    ) -> BoxStream<'static, Result<T>> {
        struct State {
            client: HarvestClient,
            next: Option<Result<Url>>,
            seen: HashSet<String>,
        }
        let first = query.validate().and_then(|_| {
            let mut url = self.endpoint(path)?;
            query.apply(&mut url);
            Ok(url)
        });
        let state = State {
            client: self.clone(),
            next: Some(first),
            seen: HashSet::new(),
        };
        // Nothing is sent until the stream is polled; `next` becomes `None` on
        // the last page, on a repeated cursor and after an error.
        let pages = stream::unfold(state, move |mut st| async move {
            let url = match st.next.take()? {
                Ok(url) => url,
                Err(e) => return Some((Err(e), st)),
            };
            st.seen.insert(url.to_string());
            match st.client.get_records::<T>(url, scope).await {
                Ok((records, next_url)) => {
                    if let Some(next) = next_url {
                        if st.seen.contains(next.as_str()) {
                            tracing::warn!(%next, "Greenhouse repeated a pagination cursor; stopping");
                        } else {
                            st.next = Some(Ok(next));
                        }
                    }
                    Some((Ok(records), st))
                }
                Err(e) => Some((Err(e), st)),
            }
        });
        // A malformed record becomes an `Error::Record` item in its place and
        // the stream goes on; any other error ends it.
        pages
            .flat_map(|page| match page {
                Ok(records) => {
                    stream::iter(records.into_iter().map(|r| r.map_err(Error::from))).left_stream()
                }
                Err(e) => stream::once(async move { Err(e) }).right_stream(),
            })
            .boxed()
    }

    async fn get_page<T: DeserializeOwned>(
        &self,
        url: Url,
        scope: &'static str,
    ) -> Result<Page<T>> {
        let (records, next_url) = self.get_records(url, scope).await?;
        Ok(Page::from_records(records, next_url, scope))
    }

    /// One page, record by record in page order, and its checked next URL.
    async fn get_records<T: DeserializeOwned>(
        &self,
        url: Url,
        scope: &'static str,
    ) -> Result<PageRecords<T>> {
        let resource = url
            .path_segments()
            .and_then(|mut s| s.next_back())
            .unwrap_or_default()
            .to_owned();
        let retry = &self.inner.retry;
        let attempts = AtomicU32::new(0);
        let op = || self.send_once(Method::GET, url.clone(), None, scope, &attempts);
        let (next, bytes) = op
            .retry(retry.backoff())
            .sleep(tokio::time::sleep)
            .when(Error::is_retryable)
            .adjust(retry.adjuster())
            .notify(|e, d| tracing::warn!(error = %e, delay = ?d, "retrying Greenhouse request"))
            .await?;
        let records = decode_records(&bytes, &resource)?;
        let next_url = match next {
            Some(link) => Some(self.checked_next(&link)?),
            None => None,
        };
        Ok((records, next_url))
    }

    /// The bearer token must only go to our own Harvest host: a next link to
    /// another origin is refused rather than followed.
    fn checked_next(&self, link: &str) -> Result<Url> {
        let url = self
            .inner
            .base_url
            .join(link)
            .map_err(|e| Error::Config(format!("unparsable next link: {e}")))?;
        if url.origin() != self.inner.base_url.origin() {
            return Err(Error::Config(format!(
                "next link points to another host ({}); not following it",
                url.origin().ascii_serialization()
            )));
        }
        Ok(url)
    }

    /// One attempt: pace, authorise, send, refresh once on 401, map errors.
    /// Each HTTP request sent runs in an `api_request` span; `attempts` numbers
    /// them across the retries of one call (a re-send after a 401 counts too).
    pub(crate) async fn send_once(
        &self,
        method: Method,
        url: Url,
        body: Option<&serde_json::Value>,
        scope: &'static str,
        attempts: &AtomicU32,
    ) -> Result<(Option<String>, Vec<u8>)> {
        let route = crate::span::route_template(&self.inner.base_url, &url);
        let mut token = self.inner.tokens.access_token(None).await?;
        let mut refreshed = false;
        loop {
            let attempt = attempts.fetch_add(1, Ordering::Relaxed) + 1;
            let span = crate::span::api_request(&method, &route, attempt);
            let (status, headers, bytes) = self
                .send_attempt(&method, &url, body, &token, &span)
                .instrument(span.clone())
                .await?;
            if (200..300).contains(&status) {
                return Ok((next_link(&headers), bytes));
            }
            if status == 401 && !refreshed {
                // The token may have been revoked or expired early: get a new
                // one (shared with concurrent callers) and try once more.
                refreshed = true;
                token = self.inner.tokens.access_token(Some(&token)).await?;
                continue;
            }
            return Err(map_status(status, &headers, &bytes, scope));
        }
    }

    /// Sends one request inside `span` (paced), recording its status and latency there.
    async fn send_attempt(
        &self,
        method: &Method,
        url: &Url,
        body: Option<&serde_json::Value>,
        token: &SecretString,
        span: &tracing::Span,
    ) -> Result<(u16, reqwest::header::HeaderMap, Vec<u8>)> {
        let permit = self.inner.pacer.acquire().await;
        let started = Instant::now();
        let mut req = self
            .inner
            .http
            .request(method.clone(), url.clone())
            .bearer_auth(token.expose_secret())
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(body) = body {
            req = req.json(body);
        }
        let resp = req.send().await.map_err(Error::transport)?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        self.inner.pacer.observe(permit, &headers, status);
        crate::span::finish(span, status, started);
        let bytes = resp.bytes().await.map_err(Error::transport)?.to_vec();
        Ok((status, headers, bytes))
    }
}

/// Turns a non-success response into the matching error.
fn map_status(
    status: u16,
    headers: &reqwest::header::HeaderMap,
    body: &[u8],
    scope: &'static str,
) -> Error {
    let (message, details) = parse_error_body(body);
    match status {
        401 => Error::Unauthorized {
            message: message.or_else(|| details.first().cloned()),
        },
        429 => Error::RateLimited {
            retry_after: retry_after(headers),
            body_snippet: snippet(body),
        },
        // Missing scopes and non-admin users both give 403 (research notes
        // §1.3); Greenhouse's wording is undocumented, so a body mentioning a
        // scope is read as a missing scope and attributed to this route's.
        403 if String::from_utf8_lossy(body)
            .to_ascii_lowercase()
            .contains("scope") =>
        {
            let text = String::from_utf8_lossy(body);
            Error::MissingScope {
                scope: find_scope(&text).unwrap_or_else(|| scope.to_owned()),
                message,
            }
        }
        _ => Error::Api {
            status,
            message,
            details,
            body_snippet: snippet(body),
        },
    }
}

/// Collects a stream of results for the convenience calls: a malformed
/// record is logged and left out (it must not hide the others, e.g. the one
/// candidate having the e-mail looked for), any other error stops.
trait CollectSkippingRecords<T> {
    async fn collect_skipping_records(self) -> Result<Vec<T>>;
}

impl<T> CollectSkippingRecords<T> for BoxStream<'static, Result<T>> {
    async fn collect_skipping_records(mut self) -> Result<Vec<T>> {
        let mut out = Vec::new();
        while let Some(item) = self.next().await {
            match item {
                Ok(item) => out.push(item),
                Err(Error::Record(e)) => {
                    tracing::warn!(error = %e, "skipping a malformed Greenhouse record")
                }
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }
}

//! A fake Harvest v3 server for your own tests (feature `testing`).
//!
//! [`FakeGreenhouse`] is a `wiremock` server on 127.0.0.1 whose single
//! responder keeps state: it serves the token endpoint (client credentials,
//! authorization code and refresh, with expiry and rotation), the v3 list
//! routes with cursor `Link` pagination and filters (every list route of the
//! client; filters it does not know are accepted and not applied), `POST /v3/notes`
//! (attributed to the token's `sub`), rate-limit headers with fixed windows,
//! and failure injection. It is seeded with realistic users, jobs, job posts,
//! stages, openings, candidates with e-mail addresses, applications, upcoming
//! interviews with video links and interviewers, and the organization records
//! they point at (department, office, source, roles, reasons, a tag).
//! [`add_raw_record`](FakeGreenhouse::add_raw_record) seeds any record
//! verbatim (malformed ones included) and
//! [`serve_empty_lists_as_null`](FakeGreenhouse::serve_empty_lists_as_null)
//! answers the way Greenhouse does for empty lists.
//! [`start_empty`](FakeGreenhouse::start_empty) starts without the seed data.
//!
//! ```
//! # async fn run() -> Result<(), greenhouse_harvest::Error> {
//! use greenhouse_harvest::testing::{FakeGreenhouse, NewCandidate};
//! use greenhouse_harvest::{ListQuery, NewNote, Visibility};
//!
//! let fake = FakeGreenhouse::start().await;
//! let client = fake.client();
//! let id = fake.add_candidate(NewCandidate::new("Ada Lovelace", "ada@example.com"));
//! let found = client.find_candidates_by_email("ada@example.com").await?;
//! assert_eq!(found[0].id, id);
//! client.create_note(&NewNote::new(id, "Strong hire", Visibility::Private)).await?;
//! assert_eq!(fake.notes()[0].user_id, Some(fake.user_id()));
//! # Ok(()) }
//! # tokio::runtime::Runtime::new().unwrap().block_on(run()).unwrap();
//! ```

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine;
use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{Value, json};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::models::timestamp;

mod front;
mod table;

use crate::{HarvestClient, HarvestClientBuilder, RetryPolicy, webhooks};
use table::{RowKey, Table};

const CLIENT_ID: &str = "fake-client-id";
const CLIENT_SECRET: &str = "fake-client-secret-do-not-log";
const WEBHOOK_SECRET: &str = "fake-webhook-secret";
/// The seeded Site Admin the default client acts as.
const ADMIN_USER_ID: u64 = 4080;

/// A failure to inject into upcoming responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Failure {
    /// 429 with `Retry-After` (whole seconds, rounded up) when given.
    RateLimited {
        /// The `Retry-After` value, or none (no header).
        retry_after: Option<Duration>,
    },
    /// Any status, e.g. 500 or 503, with a JSON error body, without processing the request.
    Status(u16),
    /// Process the request (a note is stored) and answer this status anyway: the outcome is
    /// unknown to the client.
    AcceptThenFail(u16),
    /// Process the request and answer normally, but only after this delay: longer than the
    /// client's timeout, it is a timeout after the write was applied.
    AcceptThenDelay(Duration),
    /// Reset the TCP connection (an RST, no answer) without processing the request.
    ResetBeforeApplied,
    /// Process the request (a note is stored), then reset the TCP connection without an
    /// answer: the client cannot know the outcome.
    ResetAfterApplied,
}

/// A candidate to add with [`FakeGreenhouse::add_candidate`] (the same shape as
/// `lever-client`'s `testing::NewCandidate`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCandidate {
    first_name: String,
    last_name: String,
    emails: Vec<String>,
}

impl NewCandidate {
    /// A candidate with one e-mail address. Greenhouse stores first and last names apart:
    /// `name` is split at its first whitespace (`"Ada King Lovelace"` → `"Ada"`,
    /// `"King Lovelace"`); use [`names`](Self::names) to set them exactly.
    pub fn new(name: &str, email: impl Into<String>) -> Self {
        let name = name.trim();
        let (first, last) = name
            .split_once(char::is_whitespace)
            .map_or((name, ""), |(f, l)| (f, l.trim_start()));
        NewCandidate {
            first_name: first.to_owned(),
            last_name: last.to_owned(),
            emails: vec![email.into()],
        }
    }

    /// Sets the first and last names exactly.
    pub fn names(mut self, first: impl Into<String>, last: impl Into<String>) -> Self {
        self.first_name = first.into();
        self.last_name = last.into();
        self
    }

    /// Another e-mail address (a `work` address; the first one is `personal`).
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.emails.push(email.into());
        self
    }
}

/// A note as the fake received it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PostedNote {
    /// Id the fake assigned.
    pub id: u64,
    /// The candidate.
    pub candidate_id: u64,
    /// Body text.
    pub body: String,
    /// Visibility as sent (`public` | `private` | `admin_only`).
    pub visibility: String,
    /// The user the note is attributed to: the `sub` of the token used.
    pub user_id: Option<u64>,
    /// The `user_id` field of the request body, if any.
    pub requested_user_id: Option<u64>,
}

#[derive(Debug)]
struct Injection {
    remaining: u32,
    failure: Failure,
    only_note_posts: bool,
}

/// What a cursor stands for: resource, first-request filters, the last record served, page size.
type Cursor = (String, Vec<(String, String)>, RowKey, usize);

#[derive(Debug, Clone)]
struct IssuedToken {
    sub: Option<u64>,
    expires_at: Instant,
}

#[derive(Debug)]
struct State {
    next_id: u64,
    resources: BTreeMap<String, Table>,
    /// Serve empty list and map fields as `null`, as Greenhouse does.
    null_empty_lists: bool,
    posted: Vec<PostedNote>,
    access_tokens: HashMap<String, IssuedToken>,
    refresh_tokens: HashMap<String, IssuedToken>,
    codes: HashMap<String, IssuedToken>,
    access_ttl: Duration,
    refresh_ttl: Duration,
    tokens_issued: u64,
    revoked: bool,
    injections: Vec<Injection>,
    counters: BTreeMap<String, u64>,
    cursors: HashMap<String, Cursor>,
    window: Duration,
    budget: u32,
    started: Instant,
    started_system: SystemTime,
    window_index: u64,
    window_count: u32,
    throttled: u64,
}

/// The fake Harvest v3 server. Dropping it stops the server.
pub struct FakeGreenhouse {
    // Declared first so the front stops before the server behind it.
    front: front::Front,
    _server: MockServer,
    state: Arc<Mutex<State>>,
}

impl std::fmt::Debug for FakeGreenhouse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeGreenhouse")
            .field("uri", &self.uri())
            .finish_non_exhaustive()
    }
}

impl FakeGreenhouse {
    /// Starts the server on 127.0.0.1 and seeds it.
    pub async fn start() -> Self {
        let fake = Self::start_unseeded().await;
        fake.seed_admin();
        fake.seed();
        fake
    }

    /// The server with empty state.
    async fn start_unseeded() -> Self {
        let server = MockServer::start().await;
        let state = Arc::new(Mutex::new(State {
            next_id: 1000,
            resources: BTreeMap::new(),
            null_empty_lists: false,
            posted: Vec::new(),
            access_tokens: HashMap::new(),
            refresh_tokens: HashMap::new(),
            codes: HashMap::new(),
            access_ttl: Duration::from_secs(3600),
            refresh_ttl: Duration::from_secs(24 * 3600),
            tokens_issued: 0,
            revoked: false,
            injections: Vec::new(),
            counters: BTreeMap::new(),
            cursors: HashMap::new(),
            window: Duration::from_secs(30),
            budget: 500,
            started: Instant::now(),
            started_system: SystemTime::now(),
            window_index: 0,
            window_count: 0,
            throttled: 0,
        }));
        // Clients talk to the front (which can reset a connection); it forwards to wiremock.
        let front = front::Front::start(server.uri());
        Mock::given(wiremock::matchers::any())
            .respond_with(Responder {
                state: state.clone(),
                base: front.uri(),
            })
            .mount(&server)
            .await;
        FakeGreenhouse {
            front,
            _server: server,
            state,
        }
    }

    /// The fake's root, e.g. `http://127.0.0.1:PORT`.
    pub fn uri(&self) -> String {
        self.front.uri()
    }

    /// Starts a fake with no seed data: no jobs, candidates, applications, interviews or
    /// organization records, and only one user, the Site Admin that
    /// [`client`](Self::client) acts as ([`user_id`](Self::user_id)), so notes can still be
    /// attributed. Add what a test needs with the `add_*` methods.
    pub async fn start_empty() -> Self {
        let fake = Self::start_unseeded().await;
        fake.seed_admin();
        fake
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Harvest v3 root, e.g. `http://127.0.0.1:PORT/v3/`.
    pub fn base_url(&self) -> String {
        format!("{}/v3/", self.uri())
    }
    /// Token endpoint.
    pub fn token_url(&self) -> String {
        format!("{}/token", self.uri())
    }
    /// Introspection endpoint.
    pub fn introspection_url(&self) -> String {
        format!("{}/introspect", self.uri())
    }
    /// Consent page URL (not served: use [`issue_authorization_code`](Self::issue_authorization_code)).
    pub fn authorize_url(&self) -> String {
        format!("{}/authorize", self.uri())
    }
    /// The accepted client id.
    pub fn client_id(&self) -> &str {
        CLIENT_ID
    }
    /// The accepted client secret.
    pub fn client_secret(&self) -> &str {
        CLIENT_SECRET
    }
    /// The seeded Site Admin the default client acts as.
    pub fn user_id(&self) -> u64 {
        ADMIN_USER_ID
    }
    /// The secret [`signed_webhook`](Self::signed_webhook) signs with.
    pub fn webhook_secret(&self) -> &str {
        WEBHOOK_SECRET
    }

    /// A builder pointing at the fake (all URLs), with client credentials as
    /// [`user_id`](Self::user_id), fast retries and the fake's window length.
    pub fn client_builder(&self) -> HarvestClientBuilder {
        let window = self.lock().window;
        HarvestClient::builder()
            .client_credentials(CLIENT_ID, CLIENT_SECRET, Some(ADMIN_USER_ID))
            .base_url(self.base_url())
            .token_url(self.token_url())
            .introspection_url(self.introspection_url())
            .authorize_url(self.authorize_url())
            .retry_policy(RetryPolicy::fast())
            .rate_limit_window(window)
    }

    /// A client-credentials client for the fake.
    pub fn client(&self) -> HarvestClient {
        self.client_builder()
            .build()
            .expect("the fake's URLs are valid")
    }

    /// A partner (authorization-code) client acting as `user_id`: simulates
    /// the consent, exchanges the code and returns the client with its token
    /// store (which receives every rotated refresh token).
    pub async fn partner_client(
        &self,
        user_id: u64,
    ) -> crate::Result<(HarvestClient, Arc<crate::MemoryTokenStore>)> {
        let client = self.client();
        let code = self.issue_authorization_code(user_id);
        let tokens = client.oauth().exchange_code(&code).await?;
        let store = Arc::new(crate::MemoryTokenStore::with_tokens(tokens));
        let client = self
            .client_builder()
            .authorization_code(CLIENT_ID, CLIENT_SECRET, store.clone())
            .build()?;
        Ok((client, store))
    }

    /// Simulates a customer's consent: an authorization code (valid one minute)
    /// whose tokens act as `user_id`.
    pub fn issue_authorization_code(&self, user_id: u64) -> String {
        let mut s = self.lock();
        let code = format!("code-{}", s.bump());
        let expires_at = Instant::now() + Duration::from_secs(60);
        s.codes.insert(
            code.clone(),
            IssuedToken {
                sub: Some(user_id),
                expires_at,
            },
        );
        code
    }

    /// Lifetimes of newly issued tokens (defaults: 1 hour and 24 hours).
    pub fn set_token_ttls(&self, access: Duration, refresh: Duration) {
        let mut s = self.lock();
        s.access_ttl = access;
        s.refresh_ttl = refresh;
    }

    /// Makes every outstanding access token expire now.
    pub fn expire_access_tokens(&self) {
        let now = Instant::now();
        self.lock()
            .access_tokens
            .values_mut()
            .for_each(|t| t.expires_at = now);
    }

    /// Makes every outstanding refresh token lapse now.
    pub fn expire_refresh_tokens(&self) {
        let now = Instant::now();
        self.lock()
            .refresh_tokens
            .values_mut()
            .for_each(|t| t.expires_at = now);
    }

    /// Successful token-endpoint answers so far.
    pub fn tokens_issued(&self) -> u64 {
        self.lock().tokens_issued
    }

    /// Adds a user; returns its id.
    pub fn add_user(&self, first: &str, last: &str, email: &str) -> u64 {
        let mut s = self.lock();
        let id = s.bump();
        let user = user_json(id, first, last, email, false);
        s.push("users", user);
        id
    }

    /// Adds a candidate (the first e-mail address is `personal`, the others `work`); returns
    /// its id. Takes a [`NewCandidate`], as `lever-client`'s fake does.
    pub fn add_candidate(&self, candidate: NewCandidate) -> u64 {
        let emails: Vec<&str> = candidate.emails.iter().map(String::as_str).collect();
        self.add_candidate_parts(&candidate.first_name, &candidate.last_name, &emails)
    }

    fn add_candidate_parts(&self, first: &str, last: &str, emails: &[&str]) -> u64 {
        let mut s = self.lock();
        let id = s.bump();
        s.push("candidates", candidate_json(id, first, last, emails));
        id
    }

    /// Adds an application of `candidate_id` to `job_id`; returns its id.
    pub fn add_application(&self, candidate_id: u64, job_id: u64) -> u64 {
        let mut s = self.lock();
        let id = s.bump();
        let stage = s
            .list("job_interview_stages")
            .into_iter()
            .find(|st| st["job_id"] == json!(job_id))
            .map(|st| st["id"].clone())
            .unwrap_or(Value::Null);
        s.push(
            "applications",
            application_json(id, candidate_id, job_id, stage.clone()),
        );
        // The stay in the first stage, as `/v3/application_stages` reports it.
        let row = s.bump();
        let now = ts(Utc::now());
        s.push(
            "application_stages",
            json!({
                "id": row, "application_id": id, "job_interview_stage_id": stage,
                "name": "Application Review", "entered_at": now, "exited_at": null,
                "created_at": now, "updated_at": now
            }),
        );
        id
    }

    /// Adds a scheduled interview on an application, with a video link and
    /// the given users as interviewers; returns the interview id.
    pub fn add_interview(
        &self,
        application_id: u64,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        video_conferencing_url: Option<&str>,
        interviewer_user_ids: &[u64],
    ) -> u64 {
        let mut s = self.lock();
        let id = s.bump();
        let job_id = s
            .find("applications", application_id)
            .map(|a| a["job_id"].clone())
            .unwrap_or(Value::Null);
        let now = ts(Utc::now());
        s.push(
            "interviews",
            json!({
                "id": id, "application_id": application_id, "job_id": job_id,
                "job_interview_id": id + 7, "status": "scheduled",
                "starts_at": ts(starts_at), "ends_at": ts(ends_at),
                "all_day_start_on": null, "all_day_end_on": null,
                "location": "Video call", "video_conferencing_url": video_conferencing_url,
                "organizer_id": ADMIN_USER_ID, "external_event_id": format!("evt-{id}"),
                "scheduled_at": now, "created_at": now, "updated_at": now
            }),
        );
        for user_id in interviewer_user_ids {
            let row_id = s.bump();
            let email = s
                .find("users", *user_id)
                .map(|u| u["primary_email"].clone())
                .unwrap_or(Value::Null);
            s.push(
                "interviewers",
                json!({
                    "id": row_id, "interview_id": id, "user_id": user_id, "email": email,
                    "response_status": "accepted", "scorecard_id": null,
                    "created_at": now, "updated_at": now
                }),
            );
        }
        id
    }

    /// Adds a record to a list resource exactly as given, without any check:
    /// a malformed record (a wrong type, a missing id) to test that one bad
    /// record does not lose its page, or a record of a resource the fake does
    /// not seed. Records without a numeric `id` are served last.
    pub fn add_raw_record(&self, resource: &str, record: Value) {
        self.lock().push(resource, record);
    }

    /// When `on`, every empty list or map field of a served record goes out
    /// as `null` (`"office_ids": null`, `"custom_fields": null`), the way
    /// Harvest v3 sends them for many records. Off by default.
    pub fn serve_empty_lists_as_null(&self, on: bool) {
        self.lock().null_empty_lists = on;
    }

    /// Deletes a candidate and its applications; `false` if it did not exist.
    pub fn delete_candidate(&self, candidate_id: u64) -> bool {
        let mut s = self.lock();
        let before = s.count("candidates");
        s.retain("candidates", |c| c["id"] != json!(candidate_id));
        s.retain("applications", |a| a["candidate_id"] != json!(candidate_id));
        s.count("candidates") != before
    }

    /// Merges `merged_id` into `surviving_id` (applications and e-mails move, the
    /// merged candidate disappears); `false` if either does not exist.
    pub fn merge_candidates(&self, merged_id: u64, surviving_id: u64) -> bool {
        let mut s = self.lock();
        let (Some(merged), Some(_)) = (
            s.find("candidates", merged_id),
            s.find("candidates", surviving_id),
        ) else {
            return false;
        };
        let moved_emails = merged["email_addresses"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let now = ts(Utc::now());
        if let Some(list) = s.resources.get_mut("candidates") {
            list.for_each_mut(|c| {
                if c["id"] == json!(surviving_id) {
                    if let Some(emails) = c["email_addresses"].as_array_mut() {
                        emails.extend(moved_emails.iter().cloned());
                    }
                    c["updated_at"] = json!(now);
                }
            });
            list.retain(|c| c["id"] != json!(merged_id));
        }
        if let Some(apps) = s.resources.get_mut("applications") {
            apps.for_each_mut(|a| {
                if a["candidate_id"] == json!(merged_id) {
                    a["candidate_id"] = json!(surviving_id);
                    a["updated_at"] = json!(now);
                }
            });
        }
        true
    }

    /// Ids of the seeded and added jobs.
    pub fn job_ids(&self) -> Vec<u64> {
        self.ids("jobs")
    }
    /// Ids of the candidates.
    pub fn candidate_ids(&self) -> Vec<u64> {
        self.ids("candidates")
    }
    /// Ids of the users.
    pub fn user_ids(&self) -> Vec<u64> {
        self.ids("users")
    }
    /// The id of the candidate having `email`, if any.
    pub fn candidate_id_by_email(&self, email: &str) -> Option<u64> {
        self.lock()
            .list("candidates")
            .iter()
            .find(|c| has_email(c, email))
            .and_then(|c| c["id"].as_u64())
    }

    fn ids(&self, resource: &str) -> Vec<u64> {
        self.lock()
            .list(resource)
            .iter()
            .filter_map(|v| v["id"].as_u64())
            .collect()
    }

    /// Every note posted so far, in order.
    pub fn notes(&self) -> Vec<PostedNote> {
        self.lock().posted.clone()
    }

    /// The next `n` API requests (not token requests) answer `failure`.
    pub fn fail_next(&self, n: u32, failure: Failure) {
        self.inject(n, failure, false);
    }

    /// The next `n` note POSTs answer `failure` (stored or not as the failure says).
    pub fn fail_next_note_posts(&self, n: u32, failure: Failure) {
        self.inject(n, failure, true);
    }

    /// The next note POST is stored but answered with a 500: the client cannot
    /// know the note exists. Same as
    /// `fail_next_note_posts(1, Failure::AcceptThenFail(500))`.
    pub fn accept_next_note_then_fail(&self) {
        self.inject(1, Failure::AcceptThenFail(500), true);
    }

    fn inject(&self, n: u32, failure: Failure, only_note_posts: bool) {
        self.lock().injections.push(Injection {
            remaining: n,
            failure,
            only_note_posts,
        });
    }

    /// Every call (API and token endpoint) answers 401 until [`restore`](Self::restore).
    pub fn revoke(&self) {
        self.lock().revoked = true;
    }

    /// Undoes [`revoke`](Self::revoke).
    pub fn restore(&self) {
        self.lock().revoked = false;
    }

    /// Requests served per route, keyed like `"GET /v3/candidates"` or `"POST /token"`.
    pub fn request_counts(&self) -> BTreeMap<String, u64> {
        self.lock().counters.clone()
    }

    /// Requests served on one route, e.g. `"POST /v3/notes"`.
    pub fn request_count(&self, route: &str) -> u64 {
        self.lock().counters.get(route).copied().unwrap_or(0)
    }

    /// Requests served on every route, token requests included.
    pub fn total_requests(&self) -> u64 {
        self.lock().counters.values().sum()
    }

    /// Sets the fixed rate-limit window and its request budget (default 500 per 30 s).
    /// Set this before [`client`](Self::client) so the client knows the window.
    pub fn set_rate_limit(&self, budget: u32, window: Duration) {
        let mut s = self.lock();
        s.budget = budget;
        s.window = window;
        s.window_index = 0;
        s.window_count = 0;
        s.started = Instant::now();
        s.started_system = SystemTime::now();
    }

    /// 429s the fake sent because a window's budget was exceeded (not injected ones).
    pub fn throttled_requests(&self) -> u64 {
        self.lock().throttled
    }

    /// A webhook delivery of `payload` (the whole `{"action": …, "payload": …}` envelope) as
    /// Greenhouse would send it: the exact body bytes (with `<`, `>` and `&` escaped as
    /// `\u003c`, `\u003e`, `\u0026`, as Greenhouse does before signing) and the value of the
    /// `Signature` header (`sha256 <hex>`), signed with [`webhook_secret`](Self::webhook_secret).
    ///
    /// The counterpart of `lever-client`'s `FakeLever::signed_webhook`, with the one difference
    /// the two ATSs impose: Lever signs inside the body, so its helper returns only the body;
    /// Greenhouse signs in a header, so this one returns `(body, signature_header)`. Send both
    /// to your receiver, or give them to
    /// [`WebhookVerifier::verify_and_parse`](crate::WebhookVerifier::verify_and_parse).
    ///
    /// ```
    /// # async fn run() {
    /// use greenhouse_harvest::WebhookVerifier;
    /// use greenhouse_harvest::testing::FakeGreenhouse;
    ///
    /// let fake = FakeGreenhouse::start_empty().await;
    /// let (body, signature) = fake.signed_webhook(&serde_json::json!({
    ///     "action": "ping",
    ///     "payload": {}
    /// }));
    /// let verifier = WebhookVerifier::new(fake.webhook_secret());
    /// assert_eq!(verifier.verify_and_parse(&body, Some(&signature)).unwrap().action(), "ping");
    /// # }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(run());
    /// ```
    pub fn signed_webhook(&self, payload: &Value) -> (Vec<u8>, String) {
        let body = serde_json::to_string(payload)
            .expect("JSON values serialize")
            .replace('<', "\\u003c")
            .replace('>', "\\u003e")
            .replace('&', "\\u0026")
            .into_bytes();
        let signature = webhooks::sign(WEBHOOK_SECRET, &body);
        (body, signature)
    }

    /// The Site Admin every default client acts as.
    fn seed_admin(&self) {
        let user = user_json(
            ADMIN_USER_ID,
            "Kate",
            "Austen",
            "kate.austen@example.com",
            true,
        );
        self.lock().push("users", user);
    }

    fn seed(&self) {
        let mut s = self.lock();
        let users = [
            (4081, "Jack", "Shepard", "jack.shepard@example.com", false),
            (4082, "Sayid", "Jarrah", "sayid.jarrah@example.com", false),
        ];
        for (id, first, last, email, admin) in users {
            s.push("users", user_json(id, first, last, email, admin));
        }
        let jobs = [
            (5001, "Senior Backend Engineer", "open"),
            (5002, "Product Designer", "open"),
            (5003, "Data Analyst", "closed"),
        ];
        let created = ts(Utc::now() - TimeDelta::days(30));
        for (id, name, status) in jobs {
            s.push(
                "jobs",
                json!({
                    "id": id, "name": name, "requisition_id": format!("REQ-{id}"), "notes": null,
                    "confidential": false, "status": status, "is_template": false,
                    "copied_from_id": null, "department_id": 61, "office_ids": [71],
                    "custom_fields": {}, "opened_at": created, "closed_at": null,
                    "created_at": created, "updated_at": created
                }),
            );
            s.push(
                "job_posts",
                json!({
                    "id": id + 1000, "title": name, "job_id": id, "job_board_id": 80,
                    "language": "en", "public_url": format!("https://job-boards.greenhouse.io/acme/jobs/{}", id + 1000),
                    "featured": false, "internal": false, "external": true, "active": true,
                    "live": status == "open", "location": {"name": "New York, NY"},
                    "content": "<p>Come work with us!</p>", "internal_content": null,
                    "first_published_at": created, "created_at": created, "updated_at": created
                }),
            );
            for (i, stage) in ["Application Review", "Phone Screen", "Onsite", "Offer"]
                .iter()
                .enumerate()
            {
                s.push(
                    "job_interview_stages",
                    json!({
                        "id": id * 10 + i as u64, "job_id": id, "name": stage, "active": true,
                        "sort_order": i, "created_at": created, "updated_at": created
                    }),
                );
            }
        }
        seed_dictionaries(&mut s, &created);
        drop(s);
        let ada = self.add_candidate_parts(
            "Ada",
            "Lovelace",
            &["ada.lovelace@example.com", "ada@analytical.example"],
        );
        let grace = self.add_candidate_parts("Grace", "Hopper", &["grace.hopper@example.com"]);
        let alan = self.add_candidate_parts("Alan", "Turing", &["alan.turing@example.com"]);
        self.add_candidate_parts("Katherine", "Johnson", &["katherine.johnson@example.com"]);
        self.add_candidate_parts("Linus", "Torvalds", &["linus@example.com"]);
        let a1 = self.add_application(ada, 5001);
        let a2 = self.add_application(grace, 5001);
        self.add_application(alan, 5002);
        let start = Utc::now() + TimeDelta::days(1);
        self.add_interview(
            a1,
            start,
            start + TimeDelta::minutes(45),
            Some("https://meet.example.com/ada-onsite"),
            &[ADMIN_USER_ID, 4081],
        );
        let start = Utc::now() + TimeDelta::days(2);
        self.add_interview(
            a2,
            start,
            start + TimeDelta::minutes(30),
            Some("https://zoom.example.com/j/123456789"),
            &[4082],
        );
    }
}

/// The organization records the seeded jobs, applications and users point
/// at (department 61, office 71, source 11), plus roles, reasons, a tag and
/// one opening per job.
fn seed_dictionaries(s: &mut State, created: &str) {
    let stamp = |mut v: Value| {
        v["created_at"] = json!(created);
        v["updated_at"] = json!(created);
        v
    };
    let rows = [
        (
            "departments",
            json!({"id": 61, "name": "Engineering", "parent_id": null, "external_id": "ENG"}),
        ),
        (
            "offices",
            json!({"id": 71, "name": "New York", "parent_id": null, "external_id": "NYC",
                   "location": "New York, NY", "primary_in_house_contact_user_id": ADMIN_USER_ID}),
        ),
        (
            "sources",
            json!({"id": 11, "name": "LinkedIn (Prospecting)", "type": {"id": 5, "name": "Prospecting"}}),
        ),
        (
            "user_roles",
            json!({"id": 1, "name": "Site Admin", "role_type": "site_admin"}),
        ),
        (
            "user_roles",
            json!({"id": 7, "name": "Recruiter", "role_type": "job_admin"}),
        ),
        (
            "close_reasons",
            json!({"id": 31, "name": "Hire - New Headcount"}),
        ),
        (
            "rejection_reasons",
            json!({"id": 14, "name": "Not a cultural fit",
                   "type": {"id": 1, "key": "WE_REJECTED_THEM", "name": "We rejected them"}}),
        ),
        ("candidate_tags", json!({"id": 21, "name": "Referral"})),
    ];
    for (resource, row) in rows {
        s.push(resource, stamp(row));
    }
    for job_id in [5001u64, 5002, 5003] {
        s.push(
            "openings",
            stamp(json!({
                "id": job_id + 2000, "job_id": job_id, "opening_id": format!("REQ-{job_id}-1"),
                "open": job_id != 5003, "opened_at": created,
                "closed_at": if job_id == 5003 { json!(created) } else { Value::Null },
                "application_id": null, "close_reason_id": null, "target_start_on": null,
                "sort_order": 0, "custom_fields": {}
            })),
        );
    }
}

impl State {
    fn bump(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }
    fn push(&mut self, resource: &str, value: Value) {
        self.resources
            .entry(resource.to_owned())
            .or_default()
            .push(value);
    }
    /// A resource's records in insertion order (for accessors; pages use `Table::page`).
    fn list(&self, resource: &str) -> Vec<&Value> {
        self.resources
            .get(resource)
            .map_or_else(Vec::new, Table::in_insertion_order)
    }
    fn count(&self, resource: &str) -> usize {
        self.resources.get(resource).map_or(0, Table::len)
    }
    fn find(&self, resource: &str, id: u64) -> Option<Value> {
        self.resources.get(resource)?.find(id).cloned()
    }
    fn retain(&mut self, resource: &str, keep: impl FnMut(&Value) -> bool) {
        if let Some(v) = self.resources.get_mut(resource) {
            v.retain(keep);
        }
    }
}

fn ts(t: DateTime<Utc>) -> String {
    timestamp::format(&t)
}

fn user_json(id: u64, first: &str, last: &str, email: &str, admin: bool) -> Value {
    let now = ts(Utc::now() - TimeDelta::days(90));
    json!({
        "id": id, "first_name": first, "last_name": last, "name": format!("{first} {last}"),
        "primary_email": email, "emails": [email], "employee_id": format!("E{id}"),
        "site_admin": admin, "deactivated": false, "job_title": "Interviewer",
        "department_ids": [61], "office_ids": [71], "linked_candidate_ids": [],
        "custom_fields": {}, "created_at": now, "updated_at": now
    })
}

fn candidate_json(id: u64, first: &str, last: &str, emails: &[&str]) -> Value {
    let now = ts(Utc::now());
    let emails: Vec<Value> = emails
        .iter()
        .enumerate()
        .map(|(i, e)| json!({"value": e, "type": if i == 0 { "personal" } else { "work" }}))
        .collect();
    json!({
        "id": id, "first_name": first, "last_name": last, "preferred_name": null,
        "company": "Analytical Engines Ltd", "title": "Engineer", "private": false,
        "can_email": true, "time_zone": "Europe/London", "tags": ["Referral"],
        "email_addresses": emails, "phone_numbers": [{"value": "+44 20 7946 0000", "type": "mobile"}],
        "addresses": [], "website_addresses": [], "social_media_addresses": [],
        "linked_user_ids": [], "custom_fields": {},
        "last_activity_at": now, "created_at": now, "updated_at": now
    })
}

fn application_json(id: u64, candidate_id: u64, job_id: u64, stage: Value) -> Value {
    let now = ts(Utc::now());
    json!({
        "id": id, "candidate_id": candidate_id, "job_id": job_id, "job_post_id": job_id + 1000,
        "job_interview_stage_id": stage, "status": "in_process", "prospect": false,
        "prospective_job_ids": [], "source_id": 11, "referrer_id": null,
        "recruiter_id": ADMIN_USER_ID, "coordinator_id": 4081, "rejection_reason_id": null,
        "rejected_at": null, "last_activity_at": now, "location_address": null,
        "answers": [], "custom_fields": {}, "created_at": now, "updated_at": now
    })
}

fn has_email(candidate: &Value, email: &str) -> bool {
    candidate["email_addresses"].as_array().is_some_and(|a| {
        a.iter().any(|e| {
            e["value"]
                .as_str()
                .is_some_and(|v| v.eq_ignore_ascii_case(email))
        })
    })
}

struct Responder {
    state: Arc<Mutex<State>>,
    base: String,
}

fn error(status: u16, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({ "message": message }))
}

impl Respond for Responder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let route = format!("{} {}", request.method, request.url.path());
        *s.counters.entry(route.clone()).or_default() += 1;
        match (request.method.as_str(), request.url.path()) {
            ("POST", "/token") => token_endpoint(&mut s, request),
            ("POST", "/introspect") => introspect(&mut s, request),
            (_, path) if path.starts_with("/v3/") => {
                let is_note_post = route == "POST /v3/notes";
                let sub = match authorize(&mut s, request) {
                    Ok(sub) => sub,
                    Err(resp) => return *resp,
                };
                let failure = take_injection(&mut s, is_note_post);
                if let Some(resp) = failure.and_then(refused) {
                    return with_limit_headers(&s, resp);
                }
                if let Some(resp) = throttle(&mut s) {
                    return resp;
                }
                let resp = match (request.method.as_str(), &path[4..]) {
                    ("POST", "notes") => create_note(&mut s, request, sub),
                    ("GET", resource)
                        if is_list(resource) || s.resources.contains_key(resource) =>
                    {
                        list(&mut s, request, resource, &self.base)
                    }
                    _ => error(404, "Resource not found"),
                };
                with_limit_headers(&s, after_processing(failure, resp))
            }
            _ => error(404, "Resource not found"),
        }
    }
}

/// Every list route the client knows is served (empty when not seeded).
fn is_list(resource: &str) -> bool {
    crate::routes::list_scope(resource).is_some()
}

fn basic_auth_ok(request: &Request) -> bool {
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"))
    );
    request
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == expected)
}

fn form(request: &Request) -> HashMap<String, String> {
    url::form_urlencoded::parse(&request.body)
        .into_owned()
        .collect()
}

fn oauth_error(status: u16, code: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({ "error": code }))
}

fn token_endpoint(s: &mut State, request: &Request) -> ResponseTemplate {
    if s.revoked || !basic_auth_ok(request) {
        return oauth_error(401, "invalid_client");
    }
    let form = form(request);
    let now = Instant::now();
    let (sub, with_refresh) = match form.get("grant_type").map(String::as_str) {
        Some("client_credentials") => match form.get("sub").map(|v| v.parse::<u64>()) {
            None => (None, false),
            Some(Ok(id)) => (Some(id), false),
            Some(Err(_)) => return oauth_error(400, "invalid_request"),
        },
        Some("authorization_code") => {
            let code = form.get("code").cloned().unwrap_or_default();
            match s.codes.remove(&code) {
                Some(t) if t.expires_at > now => (t.sub, true),
                _ => return oauth_error(400, "invalid_grant"),
            }
        }
        Some("refresh_token") => {
            // Refresh tokens rotate: the presented one is consumed.
            let token = form.get("refresh_token").cloned().unwrap_or_default();
            match s.refresh_tokens.remove(&token) {
                Some(t) if t.expires_at > now => (t.sub, true),
                _ => return oauth_error(400, "invalid_grant"),
            }
        }
        None => return error(400, "Must include `grant_type` parameter in /token request"),
        Some(_) => return oauth_error(400, "unsupported_grant_type"),
    };
    let n = s.bump();
    let access = format!("fake-access-{n}");
    s.access_tokens.insert(
        access.clone(),
        IssuedToken {
            sub,
            expires_at: now + s.access_ttl,
        },
    );
    s.tokens_issued += 1;
    let mut body = json!({
        "access_token": access,
        "token_type": "Bearer",
        "expires_in": s.access_ttl.as_secs_f64().ceil() as u64,
    });
    if with_refresh {
        let refresh = format!("fake-refresh-{n}");
        s.refresh_tokens.insert(
            refresh.clone(),
            IssuedToken {
                sub,
                expires_at: now + s.refresh_ttl,
            },
        );
        body["refresh_token"] = json!(refresh);
    }
    ResponseTemplate::new(200).set_body_json(body)
}

fn introspect(s: &mut State, request: &Request) -> ResponseTemplate {
    if s.revoked || !basic_auth_ok(request) {
        return oauth_error(401, "invalid_client");
    }
    let token = form(request).remove("token").unwrap_or_default();
    let body = match s.access_tokens.get(&token) {
        Some(t) if t.expires_at > Instant::now() => {
            let left = t.expires_at.saturating_duration_since(Instant::now());
            let exp = SystemTime::now() + left;
            json!({
                "active": true,
                "sub": t.sub.map(|v| v.to_string()),
                "client_id": CLIENT_ID,
                "scope": "harvest:candidates:list harvest:notes:list harvest:notes:create",
                "exp": exp.duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0),
            })
        }
        _ => json!({ "active": false }),
    };
    ResponseTemplate::new(200).set_body_json(body)
}

fn authorize(s: &mut State, request: &Request) -> Result<Option<u64>, Box<ResponseTemplate>> {
    let unauthorized = |detail: &str| {
        Box::new(
            ResponseTemplate::new(401)
                .set_body_json(json!({"message": "Unauthorized", "errors": [detail]})),
        )
    };
    if s.revoked {
        return Err(unauthorized("The credentials have been revoked."));
    }
    let token = request
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    match s.access_tokens.get(token) {
        Some(t) if t.expires_at > Instant::now() => Ok(t.sub),
        Some(_) => Err(unauthorized("Token has expired.")),
        None => Err(unauthorized("Token could not be decoded.")),
    }
}

/// Takes the next injected failure that applies to this request, if any.
fn take_injection(s: &mut State, is_note_post: bool) -> Option<Failure> {
    let idx = s
        .injections
        .iter()
        .position(|i| i.remaining > 0 && (!i.only_note_posts || is_note_post))?;
    let inj = &mut s.injections[idx];
    inj.remaining -= 1;
    let failure = inj.failure;
    if inj.remaining == 0 {
        s.injections.remove(idx);
    }
    Some(failure)
}

/// The answer of a failure that stops the request before it is processed, if `failure` is one.
fn refused(failure: Failure) -> Option<ResponseTemplate> {
    Some(match failure {
        Failure::RateLimited { retry_after } => {
            let response = error(429, "Rate limit exceeded");
            match retry_after {
                Some(after) => {
                    response.insert_header("Retry-After", after.as_secs_f64().ceil().to_string())
                }
                None => response,
            }
        }
        Failure::Status(code) => error(code, "Injected failure"),
        Failure::ResetBeforeApplied => reset_connection(),
        Failure::AcceptThenFail(_) | Failure::AcceptThenDelay(_) | Failure::ResetAfterApplied => {
            return None;
        }
    })
}

/// What becomes of a processed request's answer under `failure`.
fn after_processing(failure: Option<Failure>, resp: ResponseTemplate) -> ResponseTemplate {
    match failure {
        Some(Failure::AcceptThenFail(code)) => error(code, "Injected failure after processing"),
        Some(Failure::AcceptThenDelay(delay)) => resp.set_delay(delay),
        Some(Failure::ResetAfterApplied) => reset_connection(),
        _ => resp,
    }
}

/// Asks the front to reset the client's connection instead of answering.
fn reset_connection() -> ResponseTemplate {
    ResponseTemplate::new(500).insert_header(front::RESET_HEADER, "1")
}

/// Fixed windows counted from the (re)start of the limiter.
fn current_window(s: &State) -> (u64, SystemTime) {
    let window = s.window.max(Duration::from_millis(1));
    let idx = (s.started.elapsed().as_nanos() / window.as_nanos()) as u64;
    let end = s.started_system + window * (idx as u32 + 1);
    (idx, end)
}

fn throttle(s: &mut State) -> Option<ResponseTemplate> {
    let (idx, end) = current_window(s);
    if idx != s.window_index {
        s.window_index = idx;
        s.window_count = 0;
    }
    if s.window_count >= s.budget {
        s.throttled += 1;
        let wait = end.duration_since(SystemTime::now()).unwrap_or_default();
        return Some(with_limit_headers(
            s,
            error(429, "Rate limit exceeded").insert_header(
                "Retry-After",
                wait.as_secs_f64().ceil().max(1.0).to_string(),
            ),
        ));
    }
    s.window_count += 1;
    None
}

fn with_limit_headers(s: &State, resp: ResponseTemplate) -> ResponseTemplate {
    let (_, end) = current_window(s);
    // Integer epoch seconds, rounded up so a client waiting until then is in the next window.
    let reset = end
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64().ceil() as u64)
        .unwrap_or(0);
    resp.insert_header("X-RateLimit-Limit", s.budget.to_string())
        .insert_header(
            "X-RateLimit-Remaining",
            s.budget.saturating_sub(s.window_count).to_string(),
        )
        .insert_header("X-RateLimit-Reset", reset.to_string())
}

fn create_note(s: &mut State, request: &Request, sub: Option<u64>) -> ResponseTemplate {
    let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
        return error(400, "Malformed JSON");
    };
    let candidate_id = body["candidate_id"].as_u64();
    let text = body["body"].as_str().unwrap_or_default().to_owned();
    let visibility = body["visibility"]
        .as_str()
        .unwrap_or("admin_only")
        .to_owned();
    let mut errors = Vec::new();
    if text.is_empty() {
        errors.push(json!({"message": "Missing required field: body", "field": "body"}));
    }
    if !matches!(visibility.as_str(), "public" | "private" | "admin_only") {
        errors.push(json!({"message": "Must be one of: public, private, admin_only", "field": "visibility"}));
    }
    let Some(candidate_id) = candidate_id else {
        errors.push(
            json!({"message": "Missing required field: candidate_id", "field": "candidate_id"}),
        );
        return ResponseTemplate::new(422)
            .set_body_json(json!({"message": "Validation error", "errors": errors}));
    };
    if !errors.is_empty() {
        return ResponseTemplate::new(422)
            .set_body_json(json!({"message": "Validation error", "errors": errors}));
    }
    if s.find("candidates", candidate_id).is_none() {
        return error(404, "Resource not found");
    }
    let id = s.bump();
    let now = ts(Utc::now());
    let read_visibility = format!("{visibility}_visible")
        .replace("public_visible", "publicly_visible")
        .replace("private_visible", "privately_visible");
    let note = json!({
        "id": id, "candidate_id": candidate_id, "application_id": null, "user_id": sub,
        "type": "NOTE", "body": text, "subject": null, "visibility": read_visibility,
        "created_at": now, "updated_at": now
    });
    s.push("notes", note.clone());
    s.posted.push(PostedNote {
        id,
        candidate_id,
        body: text,
        visibility,
        user_id: sub,
        requested_user_id: body["user_id"].as_u64(),
    });
    ResponseTemplate::new(201).set_body_json(note)
}

fn list(s: &mut State, request: &Request, resource: &str, base: &str) -> ResponseTemplate {
    let query: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    let (filters, after, per_page) = match query.iter().find(|(k, _)| k == "cursor") {
        Some((_, cursor)) => {
            if query.len() > 1 {
                return ResponseTemplate::new(422)
                    .set_body_json(json!({"errors": ["When passing a cursor, do not include other query params."]}));
            }
            match s.cursors.get(cursor) {
                Some((res, filters, after, per_page)) if res == resource => {
                    (filters.clone(), Some(*after), *per_page)
                }
                _ => {
                    return ResponseTemplate::new(422)
                        .set_body_json(json!({"errors": ["Invalid or expired cursor."]}));
                }
            }
        }
        None => {
            let per_page = match query.iter().find(|(k, _)| k == "per_page") {
                Some((_, v)) => match v.parse::<usize>() {
                    Ok(n) if (1..=500).contains(&n) => n,
                    _ => {
                        return ResponseTemplate::new(422).set_body_json(
                            json!({"errors": ["per_page must be between 1 and 500"]}),
                        );
                    }
                },
                None => 100,
            };
            let filters = query.into_iter().filter(|(k, _)| k != "per_page").collect();
            (filters, None, per_page)
        }
    };
    // A range read after the cursor's record, in id-descending order (see `table.rs`).
    let (page, next) = s
        .resources
        .get(resource)
        .map_or((Vec::new(), None), |table| {
            table.page(after, per_page, |item| {
                filters
                    .iter()
                    .all(|(k, v)| matches_filter(resource, item, k, v))
            })
        });
    let mut page: Vec<Value> = page.into_iter().cloned().collect();
    if s.null_empty_lists {
        page.iter_mut().for_each(null_empty_fields);
    }
    let mut resp = ResponseTemplate::new(200).set_body_json(Value::Array(page));
    if let Some(last) = next {
        let n = s.bump();
        let cursor = format!("Y3Vyc29y{n}");
        s.cursors.insert(
            cursor.clone(),
            (resource.to_owned(), filters, last, per_page),
        );
        resp = resp.insert_header(
            "Link",
            format!("<{base}/v3/{resource}?cursor={cursor}>; rel=\"next\""),
        );
    }
    resp
}

/// Replaces each empty array or object field of a record with `null`.
fn null_empty_fields(record: &mut Value) {
    if let Some(map) = record.as_object_mut() {
        for value in map.values_mut() {
            let empty = match value {
                Value::Array(a) => a.is_empty(),
                Value::Object(o) => o.is_empty(),
                _ => false,
            };
            if empty {
                *value = Value::Null;
            }
        }
    }
}

fn matches_filter(resource: &str, item: &Value, key: &str, value: &str) -> bool {
    let ids = || {
        value
            .split(',')
            .filter_map(|v| v.trim().parse::<u64>().ok())
            .collect::<Vec<_>>()
    };
    let field_in = |field: &str| item[field].as_u64().is_some_and(|id| ids().contains(&id));
    match key {
        "ids" => field_in("id"),
        "candidate_ids" => field_in("candidate_id"),
        "application_ids" => field_in("application_id"),
        "interview_ids" => field_in("interview_id"),
        "job_ids" => field_in("job_id"),
        "email" if resource == "candidates" => has_email(item, value),
        "email" if resource == "users" => item["emails"].as_array().is_some_and(|a| {
            a.iter()
                .any(|e| e.as_str().is_some_and(|e| e.eq_ignore_ascii_case(value)))
        }),
        "status" => {
            let wanted = if resource == "applications" && value == "active" {
                "in_process"
            } else {
                value
            };
            item["status"].as_str() == Some(wanted)
        }
        "updated_at" | "created_at" | "starts_at" => date_filter(item[key].as_str(), value),
        _ => true,
    }
}

/// Applies `gte|t|lte|t`-style filters; items without the field never match.
fn date_filter(field: Option<&str>, filter: &str) -> bool {
    let Some(t) = field.and_then(|f| DateTime::parse_from_rfc3339(f).ok()) else {
        return false;
    };
    let parts: Vec<&str> = filter.split('|').collect();
    parts.chunks(2).all(|pair| {
        let [op, bound] = pair else { return false };
        let Ok(bound) = DateTime::parse_from_rfc3339(bound) else {
            return false;
        };
        match *op {
            "gte" => t >= bound,
            "gt" => t > bound,
            "lte" => t <= bound,
            "lt" => t < bound,
            _ => false,
        }
    })
}

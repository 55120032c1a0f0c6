//! A fake Lever server for tests (feature `testing`), built on [`wiremock`].
//!
//! [`FakeLever`] serves the endpoints this crate calls from shared in-memory state: seeded users,
//! stages, archive reasons, postings, opportunities (with contact, e-mails, stage, applications,
//! tags, owner, followers) and interviews. It checks Basic auth with its API key, paginates with
//! opaque, already-percent-encoded offset tokens (as Lever has been observed to), enforces a
//! token-bucket rate limit with 429s, stores posted notes so tests can read them back, updates
//! contacts (`PUT /contacts/:id`), lists deleted opportunities, injects failures on demand
//! (statuses, 429s, late answers, and TCP connection resets before or after the request was
//! applied; see [`Failure`]) and signs webhook deliveries (including a `contactUpdated` built from
//! a contact's current data).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), lever_client::Error> {
//! use lever_client::{NewNote, testing::{FakeLever, NewCandidate}};
//! let fake = FakeLever::start().await;
//! let opp = fake.add_candidate(NewCandidate::new("Katherine Johnson", "kj@example.com"));
//! let client = fake.client();
//! let found = client.opportunities_by_email("kj@example.com").await?;
//! assert_eq!(found[0].id, opp);
//! client.add_note(&opp, &NewNote::new("Great interview")).await?;
//! assert_eq!(fake.notes()[0].value, "Great interview");
//! # Ok(()) }
//! ```

mod front;
mod oauth;
mod opportunities;
mod routes;
mod state;
mod wire;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use chrono::Utc;
use serde_json::Value;
use wiremock::{Mock, MockServer, matchers::any};

use routes::Router;
use state::{Bucket, State};

use crate::auth::{OAuthConfig, TokenSet, TokenStore};
use crate::models::Timestamp;
use crate::retry::{RateLimit, RetryPolicy};
use crate::webhooks::{WebhookVerifier, signed_delivery};
use crate::{LeverClient, LeverClientBuilder};

/// E-mail of the seeded candidate Ada Lovelace (one active and one archived opportunity).
pub const SEED_CANDIDATE_EMAIL: &str = "ada.lovelace@example.com";
/// E-mail of the seeded confidential candidate Grace Hopper.
pub const SEED_CONFIDENTIAL_EMAIL: &str = "grace.hopper@example.com";
/// E-mail of the seeded recruiter Rachel Green (a super admin).
pub const SEED_USER_EMAIL: &str = "rachel.green@example.com";
/// E-mail of the seeded interviewer Ross Geller.
pub const SEED_INTERVIEWER_EMAIL: &str = "ross.geller@example.com";

/// A failure to inject into the fake's next responses.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Failure {
    /// Answer 429, with `Retry-After` (whole seconds, rounded up) when given.
    RateLimited {
        /// The `Retry-After` value, or none (no header).
        retry_after: Option<Duration>,
    },
    /// Answer this status (e.g. 500, 503) with a Lever error body, without processing.
    Status(u16),
    /// Process the request (a note is stored) and answer this status anyway: the outcome is
    /// unknown to the client.
    AcceptThenFail(u16),
    /// Process the request and answer normally, but only after this delay (longer than the
    /// client's timeout simulates a lost response).
    AcceptThenDelay(Duration),
    /// Reset the TCP connection (RST, no answer) without processing the request: the client
    /// sees a transport error although nothing was applied.
    ResetBeforeApplied,
    /// Process the request (a note is stored), then reset the TCP connection (RST) instead of
    /// answering: the outcome is unknown to the client.
    ResetAfterApplied,
}

/// Which requests an injected failure applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FailureScope {
    /// Any request.
    Any,
    /// Only `POST /opportunities/:id/notes`.
    NotePosts,
}

/// Which documented response shape the fake uses for a created note (research note §3.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum NoteResponseShape {
    /// The full note with both `id` and `noteId` (observed on the sandbox).
    #[default]
    FullNote,
    /// `{"data":{"noteId":…}}` as LD documents.
    NoteIdOnly,
}

/// A note as the fake received it.
#[derive(Debug, Clone, PartialEq)]
pub struct PostedNote {
    /// Note id assigned by the fake.
    pub id: String,
    /// Opportunity it was posted on.
    pub opportunity_id: String,
    /// The `value` text.
    pub value: String,
    /// The `perform_as` user id.
    pub perform_as: Option<String>,
    /// `secret`.
    pub secret: bool,
    /// `score`.
    pub score: Option<i64>,
    /// `notifyFollowers`.
    pub notify_followers: bool,
    /// `createdAt` (sent, or the time of posting).
    pub created_at: Timestamp,
    /// `note_id` query parameter, when posted as a comment.
    pub reply_to: Option<String>,
}

/// A candidate to seed with [`FakeLever::add_candidate`].
#[derive(Debug, Clone)]
pub struct NewCandidate {
    name: String,
    emails: Vec<String>,
    stage: String,
    posting: Option<String>,
    tags: Vec<String>,
    owner: Option<String>,
    confidential: bool,
}

impl NewCandidate {
    /// A candidate at stage `applicant-new` with one e-mail.
    pub fn new(name: impl Into<String>, email: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            emails: vec![email.into()],
            stage: "applicant-new".into(),
            posting: None,
            tags: Vec::new(),
            owner: None,
            confidential: false,
        }
    }

    /// Another e-mail address.
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.emails.push(email.into());
        self
    }

    /// Stage id.
    pub fn stage(mut self, stage_id: impl Into<String>) -> Self {
        self.stage = stage_id.into();
        self
    }

    /// Applied to this posting id.
    pub fn posting(mut self, posting_id: impl Into<String>) -> Self {
        self.posting = Some(posting_id.into());
        self
    }

    /// A tag.
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.tags.push(tag.into());
        self
    }

    /// Owner (and follower) user id.
    pub fn owner(mut self, user_id: impl Into<String>) -> Self {
        self.owner = Some(user_id.into());
        self
    }

    /// Confidential (only listed with `confidentiality=all|confidential`).
    pub fn confidential(mut self, confidential: bool) -> Self {
        self.confidential = confidential;
        self
    }
}

/// An interview to seed with [`FakeLever::add_interview`].
#[derive(Debug, Clone)]
pub struct NewInterview {
    start: Timestamp,
    duration_minutes: i64,
    interviewers: Vec<String>,
    location: Option<String>,
    subject: Option<String>,
}

impl NewInterview {
    /// An interview starting at `start` lasting `duration_minutes`.
    pub fn new(start: Timestamp, duration_minutes: i64) -> Self {
        Self {
            start,
            duration_minutes,
            interviewers: Vec::new(),
            location: None,
            subject: None,
        }
    }

    /// An interviewer (user id).
    pub fn interviewer(mut self, user_id: impl Into<String>) -> Self {
        self.interviewers.push(user_id.into());
        self
    }

    /// Location: a room, phone number or conferencing URL.
    pub fn location(mut self, location: impl Into<String>) -> Self {
        self.location = Some(location.into());
        self
    }

    /// Subject.
    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }
}

/// Settings for [`FakeLever::start_with`].
#[derive(Debug, Clone)]
pub struct FakeConfig {
    /// Server-side rate limit; `None` disables it. Default: Lever's 10/s with bursts of 20.
    pub rate_limit: Option<RateLimit>,
    /// Default page size when the request has no `limit` (Lever: 100).
    pub default_page_size: usize,
    /// Seed the realistic default data.
    pub seed: bool,
}

impl Default for FakeConfig {
    fn default() -> Self {
        Self {
            rate_limit: Some(RateLimit::default()),
            default_page_size: 100,
            seed: true,
        }
    }
}

/// A running fake Lever server. Dropping it stops the server.
///
/// Requests reach a small HTTP/1 front that forwards them to a wiremock server; the front exists
/// so that [`Failure::ResetBeforeApplied`] and [`Failure::ResetAfterApplied`] can reset the
/// connection, which wiremock cannot.
pub struct FakeLever {
    front: front::Front,
    // Kept alive for the front to forward to.
    _server: MockServer,
    state: Arc<Mutex<State>>,
    api_key: String,
    signature_token: String,
}

impl std::fmt::Debug for FakeLever {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeLever")
            .field("base_url", &self.base_url())
            .finish_non_exhaustive()
    }
}

impl FakeLever {
    /// Start a fake with the default configuration and seed data.
    pub async fn start() -> Self {
        Self::start_with(FakeConfig::default()).await
    }

    /// Start a fake with the default configuration and no seed data (no users, postings,
    /// stages, candidates or interviews); add what a test needs with the `add_*` methods.
    /// The same as `start_with(FakeConfig { seed: false, ..Default::default() })`.
    pub async fn start_empty() -> Self {
        Self::start_with(FakeConfig {
            seed: false,
            ..FakeConfig::default()
        })
        .await
    }

    /// Start a fake with `config`.
    pub async fn start_with(config: FakeConfig) -> Self {
        let api_key = format!("fake-lever-key-{}", wire::random_hex(16));
        let signature_token = wire::random_hex(48);
        let mut state = State::new(&config, &api_key);
        if config.seed {
            state.seed();
        }
        let state = Arc::new(Mutex::new(state));
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(Router {
                state: state.clone(),
            })
            .mount(&server)
            .await;
        let front = front::Front::start(server.uri())
            .await
            .expect("the fake's front binds a loopback port");
        Self {
            front,
            _server: server,
            state,
            api_key,
            signature_token,
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The API root to pass to [`LeverClientBuilder::base_url`], ending in `/v1`.
    pub fn base_url(&self) -> String {
        format!("{}/v1", self.front.uri())
    }

    /// The API key the fake accepts (HTTP Basic, blank password).
    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// A builder preconfigured for this fake: its key and URL, [`RetryPolicy::fast`], a 2 s
    /// timeout and a client-side rate limit just under the fake's.
    ///
    /// Its client-side bucket is two requests smaller than the fake's: requests that leave the
    /// client together can reach the server spread out, and a server bucket that is already full
    /// wastes the refill meanwhile, so an exactly matching bucket can still draw a 429.
    pub fn client_builder(&self) -> LeverClientBuilder {
        let limit = self.state().bucket.as_ref().map(|b| {
            RateLimit::new(
                b.limit.per_second(),
                b.limit.burst().saturating_sub(2).max(1),
            )
        });
        LeverClient::builder()
            .api_key(self.api_key.clone())
            .base_url(self.base_url())
            .retry_policy(RetryPolicy::fast())
            .rate_limit(limit)
            .timeout(Duration::from_secs(2))
    }

    /// An API-key client pointing at the fake with fast test retries.
    pub fn client(&self) -> LeverClient {
        self.client_builder()
            .build()
            .expect("a client for the fake builds")
    }

    // ----- seeding -------------------------------------------------------------------------

    /// Add a candidate (contact + opportunity); returns the opportunity id.
    pub fn add_candidate(&self, candidate: NewCandidate) -> String {
        self.state().add_candidate(candidate)
    }

    /// Add an interview (in a new panel) to an opportunity; returns the interview id.
    pub fn add_interview(&self, opportunity_id: &str, interview: NewInterview) -> String {
        self.state().add_interview(opportunity_id, interview)
    }

    /// Archive an opportunity with this archive reason id (`None`: the seeded "Withdrew").
    pub fn archive_opportunity(&self, opportunity_id: &str, reason_id: Option<&str>) {
        self.state().archive(opportunity_id, reason_id)
    }

    /// Delete an opportunity: later reads answer 404.
    pub fn delete_opportunity(&self, opportunity_id: &str) {
        self.state().delete(opportunity_id)
    }

    /// Delete an interview (as when it is cancelled in Lever); `false` if it did not exist.
    pub fn delete_interview(&self, opportunity_id: &str, interview_id: &str) -> bool {
        self.state().delete_interview(opportunity_id, interview_id)
    }

    /// Add an active user; returns its id.
    pub fn add_user(&self, name: &str, email: &str) -> String {
        self.state().add_user(name, email, "team member")
    }

    /// Id of the seeded or added user with this e-mail.
    pub fn user_id(&self, email: &str) -> Option<String> {
        self.state().user_id(email)
    }

    /// Ids of the opportunities whose e-mails include `email` (including confidential ones).
    pub fn opportunity_ids(&self, email: &str) -> Vec<String> {
        self.state().opportunity_ids(email)
    }

    // ----- OAuth --------------------------------------------------------------------------

    /// The fake's OAuth app registration; its token endpoint is the fake's `/oauth/token`.
    pub fn oauth_config(&self) -> OAuthConfig {
        let st = self.state();
        OAuthConfig::new(
            st.oauth.client_id.clone(),
            st.oauth.client_secret.clone(),
            "https://app.example/lever/callback",
        )
        .token_endpoint(format!("{}/oauth/token", self.front.uri()))
    }

    /// A one-time authorization code, as if the customer approved the app; exchange it with
    /// [`OAuthConfig::exchange_code`].
    pub fn authorization_code(&self) -> String {
        self.state().oauth.new_code()
    }

    /// Issue a token pair directly, the access token valid for `expires_in`.
    pub fn issue_tokens(&self, expires_in: Duration) -> TokenSet {
        let secs = i64::try_from(expires_in.as_secs()).unwrap_or(i64::MAX / 2000);
        let issued = self.state().oauth.issue(secs);
        TokenSet::new(
            issued.access,
            Some(issued.refresh),
            Utc::now() + chrono::Duration::seconds(issued.expires_in),
        )
    }

    /// Invalidate every access token now (refresh tokens keep working), so the next call gets
    /// a 401 and must refresh.
    pub fn expire_access_tokens(&self) {
        self.state().oauth.expire_access_tokens();
    }

    /// An OAuth client pointing at the fake, with tokens from `store`.
    pub fn oauth_client(&self, store: Arc<dyn TokenStore>) -> LeverClient {
        self.client_builder()
            .oauth(self.oauth_config(), store)
            .build()
            .expect("an OAuth client for the fake builds")
    }

    // ----- notes ---------------------------------------------------------------------------

    /// Every note posted so far, in order.
    pub fn notes(&self) -> Vec<PostedNote> {
        self.state().notes.clone()
    }

    /// Notes posted on one opportunity.
    pub fn notes_for(&self, opportunity_id: &str) -> Vec<PostedNote> {
        self.notes()
            .into_iter()
            .filter(|n| n.opportunity_id == opportunity_id)
            .collect()
    }

    /// Response shape for created notes.
    pub fn set_note_response_shape(&self, shape: NoteResponseShape) {
        self.state().note_shape = shape;
    }

    // ----- failures ------------------------------------------------------------------------

    /// The next `n` requests answer with `failure`.
    pub fn fail_next(&self, n: u32, failure: Failure) {
        self.inject(n, FailureScope::Any, failure)
    }

    /// The next `n` note POSTs answer with `failure`.
    pub fn fail_next_note_posts(&self, n: u32, failure: Failure) {
        self.inject(n, FailureScope::NotePosts, failure)
    }

    /// Inject `n` failures for `scope`.
    pub fn inject(&self, n: u32, scope: FailureScope, failure: Failure) {
        let mut st = self.state();
        // u32 → usize is lossless on every platform Rust supports with std (16-bit has none).
        st.failures
            .extend(std::iter::repeat_n((scope, failure), n as usize));
    }

    /// Remove pending injected failures.
    pub fn clear_failures(&self) {
        self.state().failures.clear();
    }

    /// Behave as after Lever's "Revoke Access": every call answers 401 and every OAuth token
    /// of the app dies (refreshing answers `invalid_grant`).
    pub fn revoke(&self) {
        let mut st = self.state();
        st.revoked = true;
        st.oauth.revoke_all();
    }

    /// Undo [`revoke`](Self::revoke) for the API key. OAuth connections stay dead, as at Lever:
    /// the customer has to authorize the app again.
    pub fn restore(&self) {
        self.state().revoked = false;
    }

    /// Change the server-side rate limit (`None` disables it).
    pub fn set_rate_limit(&self, limit: Option<RateLimit>) {
        self.state().bucket = limit.map(Bucket::new);
    }

    /// Requests received for a route such as `GET /opportunities`, `GET /opportunities/:id`,
    /// `GET /opportunities/:id/interviews` or `POST /opportunities/:id/notes`.
    pub fn request_count(&self, route: &str) -> u64 {
        self.state().counts.get(route).copied().unwrap_or(0)
    }

    /// All per-route request counts, keyed like `"GET /opportunities"`.
    pub fn request_counts(&self) -> BTreeMap<String, u64> {
        self.state().counts.clone()
    }

    /// Total requests received.
    pub fn total_requests(&self) -> u64 {
        self.state().counts.values().sum()
    }

    // ----- webhooks ------------------------------------------------------------------------

    /// The signature token of the latest webhook created through the API for
    /// `event` (e.g. `applicationCreated`), if any: Lever signs a delivery
    /// with the token of the webhook that sent it.
    pub fn webhook_signature_token(&self, event: &str) -> Option<String> {
        self.state()
            .webhook_tokens
            .iter()
            .rev()
            .find(|(e, _)| e == event)
            .map(|(_, token)| token.clone())
    }

    /// A signed delivery of `event` as the webhook registered through the
    /// API for it would send it (signed with that webhook's token); `None`
    /// when no such webhook was created (where
    /// [`signed_webhook`](Self::signed_webhook) would fall back to the fake's
    /// own token).
    pub fn signed_by_registered_webhook(&self, event: &str, data: Value) -> Option<Vec<u8>> {
        let token = self.webhook_signature_token(event)?;
        Some(signed_delivery(&token, event, data, Utc::now()))
    }

    /// The signature token the fake signs webhook deliveries with.
    pub fn signature_token(&self) -> &str {
        &self.signature_token
    }

    /// A verifier for the fake's deliveries: the fake's own token and the
    /// token of every webhook registered through the API so far.
    pub fn verifier(&self) -> WebhookVerifier {
        let registered: Vec<String> = self
            .state()
            .webhook_tokens
            .iter()
            .map(|(_, token)| token.clone())
            .collect();
        registered.into_iter().fold(
            WebhookVerifier::new(self.signature_token.as_str()),
            |v, token| v.add_token(token),
        )
    }

    /// A delivery body `{id, event, triggeredAt, token, signature, data}` signed now, as
    /// Lever would POST it: with the token of the webhook registered for `event` through
    /// the API when there is one (each Lever webhook signs with its own token), else
    /// with the fake's [`signature_token`](Self::signature_token).
    pub fn signed_webhook(&self, event: &str, data: Value) -> Vec<u8> {
        self.signed_webhook_at(event, data, Utc::now())
    }

    /// A delivery body signed with an explicit `triggeredAt` (stale or future deliveries),
    /// with the same token as [`signed_webhook`](Self::signed_webhook).
    pub fn signed_webhook_at(&self, event: &str, data: Value, triggered_at: Timestamp) -> Vec<u8> {
        let token = self
            .webhook_signature_token(event)
            .unwrap_or_else(|| self.signature_token.clone());
        signed_delivery(&token, event, data, triggered_at)
    }

    /// Renamed to [`signed_webhook`](Self::signed_webhook), the name `greenhouse-harvest`'s
    /// fake uses too.
    #[deprecated(note = "renamed to signed_webhook")]
    pub fn signed_delivery(&self, event: &str, data: Value) -> Vec<u8> {
        self.signed_webhook(event, data)
    }

    /// Renamed to [`signed_webhook_at`](Self::signed_webhook_at).
    #[deprecated(note = "renamed to signed_webhook_at")]
    pub fn signed_delivery_at(&self, event: &str, data: Value, triggered_at: Timestamp) -> Vec<u8> {
        self.signed_webhook_at(event, data, triggered_at)
    }

    /// Change the e-mails of a contact (on all its opportunities), as when a recruiter edits
    /// the person in Lever; `false` if no opportunity has that contact.
    pub fn set_contact_emails(&self, contact_id: &str, emails: &[&str]) -> bool {
        self.state()
            .update_contact(contact_id, &serde_json::json!({ "emails": emails }))
    }

    /// The contact id of an opportunity.
    pub fn contact_id(&self, opportunity_id: &str) -> Option<String> {
        let state = self.state();
        state
            .opportunities
            .get(opportunity_id)
            .and_then(|o| o["contact"].as_str().map(str::to_owned))
    }

    /// A signed `contactUpdated` delivery carrying the contact as it is now (`contactId`,
    /// `name`, `headline`, `location`, `emails`, `phones`); `None` for an unknown contact.
    /// Lever does not document this payload (see
    /// [`ContactHint`](crate::webhooks::ContactHint)); this is one faithful shape.
    pub fn contact_updated_delivery(&self, contact_id: &str) -> Option<Vec<u8>> {
        let mut contact = self.state().contact_json(contact_id);
        let map = contact.as_object_mut()?;
        if let Some(id) = map.remove("id") {
            map.insert("contactId".into(), id);
        }
        Some(self.signed_webhook("contactUpdated", contact))
    }
}

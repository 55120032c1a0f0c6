//! A fake Lever server for tests (feature `testing`), built on [`wiremock`].
//!
//! [`FakeLever`] serves the endpoints this crate calls from shared in-memory state: seeded users,
//! stages, archive reasons, postings, opportunities (with contact, e-mails, stage, applications,
//! tags, owner, followers) and interviews. It checks Basic auth with its API key, paginates with
//! opaque, already-percent-encoded offset tokens (as Lever has been observed to), enforces a
//! token-bucket rate limit with 429s, stores posted notes so tests can read them back, injects
//! failures on demand and signs webhook deliveries.
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

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use chrono::Utc;
use serde_json::{Map, Value, json};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate, matchers::any};

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

const ROUTE_NOTE_POST: &str = "POST /opportunities/:id/notes";

/// A failure to inject into the fake's next responses.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Failure {
    /// Answer 429, with `Retry-After: <seconds>` when given.
    RateLimited {
        /// Seconds for `Retry-After`, or none.
        retry_after: Option<u64>,
    },
    /// Answer this status (e.g. 500, 503) with a Lever error body, without processing.
    Status(u16),
    /// Process the request (a note is stored) and answer this status anyway: the outcome is
    /// unknown to the client.
    AcceptThenFail(u16),
    /// Process the request and answer normally, but only after this delay (longer than the
    /// client's timeout simulates a lost response).
    AcceptThenDelay(Duration),
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
pub struct FakeLever {
    server: MockServer,
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

    /// Start a fake with `config`.
    pub async fn start_with(config: FakeConfig) -> Self {
        let api_key = format!("fake-lever-key-{}", random_hex(16));
        let signature_token = random_hex(48);
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
        Self {
            server,
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
        format!("{}/v1", self.server.uri())
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
    pub fn fail_next(&self, n: usize, failure: Failure) {
        self.inject(n, FailureScope::Any, failure)
    }

    /// The next `n` note POSTs answer with `failure`.
    pub fn fail_next_note_posts(&self, n: usize, failure: Failure) {
        self.inject(n, FailureScope::NotePosts, failure)
    }

    /// Inject `n` failures for `scope`.
    pub fn inject(&self, n: usize, scope: FailureScope, failure: Failure) {
        let mut st = self.state();
        st.failures.extend(std::iter::repeat_n((scope, failure), n));
    }

    /// Remove pending injected failures.
    pub fn clear_failures(&self) {
        self.state().failures.clear();
    }

    /// Behave as after Lever's "Revoke Access": every call answers 401.
    pub fn revoke(&self) {
        self.state().revoked = true;
    }

    /// Undo [`revoke`](Self::revoke).
    pub fn restore(&self) {
        self.state().revoked = false;
    }

    /// Change the server-side rate limit (`None` disables it).
    pub fn set_rate_limit(&self, limit: Option<RateLimit>) {
        self.state().bucket = limit.map(Bucket::new);
    }

    /// Requests received for a route such as `GET /opportunities`, `GET /opportunities/:id`,
    /// `GET /opportunities/:id/interviews` or `POST /opportunities/:id/notes`.
    pub fn request_count(&self, route: &str) -> usize {
        self.state().counts.get(route).copied().unwrap_or(0)
    }

    /// All per-route request counts.
    pub fn request_counts(&self) -> HashMap<String, usize> {
        self.state().counts.clone()
    }

    /// Total requests received.
    pub fn total_requests(&self) -> usize {
        self.state().counts.values().sum()
    }

    // ----- webhooks ------------------------------------------------------------------------

    /// The signature token the fake signs webhook deliveries with.
    pub fn signature_token(&self) -> &str {
        &self.signature_token
    }

    /// A verifier for the fake's deliveries.
    pub fn verifier(&self) -> WebhookVerifier {
        WebhookVerifier::new(self.signature_token.as_str())
    }

    /// A delivery body `{id, event, triggeredAt, token, signature, data}` signed now.
    pub fn signed_delivery(&self, event: &str, data: Value) -> Vec<u8> {
        self.signed_delivery_at(event, data, Utc::now())
    }

    /// A delivery body signed with an explicit `triggeredAt`.
    pub fn signed_delivery_at(&self, event: &str, data: Value, triggered_at: Timestamp) -> Vec<u8> {
        signed_delivery(&self.signature_token, event, data, triggered_at)
    }
}

// ----- server state --------------------------------------------------------------------------

struct Bucket {
    limit: RateLimit,
    tokens: f64,
    last: Instant,
}

impl Bucket {
    fn new(limit: RateLimit) -> Self {
        Self {
            limit,
            tokens: f64::from(limit.burst()),
            last: Instant::now(),
        }
    }

    fn take(&mut self) -> bool {
        let now = Instant::now();
        let refill =
            now.duration_since(self.last).as_secs_f64() * f64::from(self.limit.per_second());
        self.tokens = (self.tokens + refill).min(f64::from(self.limit.burst()));
        self.last = now;
        // A little slack for clock granularity between client and server buckets.
        if self.tokens >= 1.0 - 1e-3 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

struct State {
    expected_auth: String,
    users: Vec<Value>,
    stages: Vec<Value>,
    archive_reasons: Vec<Value>,
    postings: Vec<Value>,
    opportunities: Vec<Value>,
    interviews: Vec<(String, Value)>,
    notes: Vec<PostedNote>,
    webhooks: Vec<Value>,
    failures: VecDeque<(FailureScope, Failure)>,
    revoked: bool,
    counts: HashMap<String, usize>,
    bucket: Option<Bucket>,
    default_page_size: usize,
    note_shape: NoteResponseShape,
}

fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

fn random_hex(len: usize) -> String {
    std::iter::repeat_with(|| char::from_digit(fastrand::u32(..16), 16).unwrap_or('0'))
        .take(len)
        .collect()
}

fn uuid() -> String {
    let h = random_hex(32);
    format!(
        "{}-{}-4{}-a{}-{}",
        &h[..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..]
    )
}

const DAY_MS: i64 = 86_400_000;
const STAGE_SCREEN: &str = "8f1c4e1a-0b5d-4c51-9c5e-2d1a7b9f3e10";
const STAGE_ONSITE: &str = "3a0e6f2b-7c44-4d8e-a1f5-6b2c9d8e7f01";
const REASON_HIRED: &str = "63dd55b2-a99f-4e7b-985f-22c7bf80ab42";
const REASON_WITHDREW: &str = "4b2c9e1d-5f3a-4c7e-8d6b-1a2f3e4d5c6b";

impl State {
    fn new(config: &FakeConfig, api_key: &str) -> Self {
        Self {
            expected_auth: format!("Basic {}", base64(format!("{api_key}:").as_bytes())),
            users: Vec::new(),
            stages: Vec::new(),
            archive_reasons: Vec::new(),
            postings: Vec::new(),
            opportunities: Vec::new(),
            interviews: Vec::new(),
            notes: Vec::new(),
            webhooks: Vec::new(),
            failures: VecDeque::new(),
            revoked: false,
            counts: HashMap::new(),
            bucket: config.rate_limit.map(Bucket::new),
            default_page_size: config.default_page_size.clamp(1, 100),
            note_shape: NoteResponseShape::default(),
        }
    }

    fn seed(&mut self) {
        let t0 = now_ms() - 60 * DAY_MS;
        let rachel = self.add_user("Rachel Green", SEED_USER_EMAIL, "super admin");
        let ross = self.add_user("Ross Geller", SEED_INTERVIEWER_EMAIL, "interviewer");
        let monica = self.add_user("Monica Geller", "monica.geller@example.com", "admin");
        for (id, text) in [
            ("lead-new", "New lead"),
            ("applicant-new", "New applicant"),
            (STAGE_SCREEN, "Phone screen"),
            (STAGE_ONSITE, "On-site interview"),
            ("offer", "Offer"),
        ] {
            self.stages.push(json!({"id": id, "text": text}));
        }
        for (id, text, kind) in [
            (REASON_HIRED, "Hired", "hired"),
            (REASON_WITHDREW, "Withdrew", "non-hired"),
            (
                "9a8b7c6d-1e2f-4a3b-8c4d-5e6f7a8b9c0d",
                "Underqualified",
                "non-hired",
            ),
        ] {
            self.archive_reasons
                .push(json!({"id": id, "text": text, "status": "active", "type": kind}));
        }
        let backend = self.add_posting("Senior Backend Engineer", "Engineering", &rachel, t0);
        let _design = self.add_posting("Product Designer", "Design", &monica, t0);

        let ada = self.add_candidate(
            NewCandidate::new("Ada Lovelace", SEED_CANDIDATE_EMAIL)
                .email("ada@analytical-engine.example")
                .stage(STAGE_SCREEN)
                .posting(backend.clone())
                .tag("backend")
                .tag("referral")
                .owner(rachel.clone()),
        );
        self.follow(&ada, &ross);
        // An older candidacy of the same person, archived.
        let old = self.add_candidate(
            NewCandidate::new("Ada Lovelace", SEED_CANDIDATE_EMAIL).owner(monica.clone()),
        );
        self.archive(&old, Some(REASON_WITHDREW));
        let grace = self.add_candidate(
            NewCandidate::new("Grace Hopper", SEED_CONFIDENTIAL_EMAIL)
                .stage(STAGE_ONSITE)
                .posting(backend)
                .owner(monica)
                .confidential(true),
        );
        let tomorrow = Utc::now()
            .date_naive()
            .succ_opt()
            .unwrap_or(Utc::now().date_naive());
        let start = tomorrow
            .and_hms_opt(15, 0, 0)
            .map(|d| d.and_utc())
            .unwrap_or_else(Utc::now);
        self.add_interview(
            &ada,
            NewInterview::new(start, 45)
                .interviewer(ross.clone())
                .subject("Phone screen with Ada Lovelace")
                .location("https://meet.example.com/abc-defg-hij"),
        );
        self.add_interview(
            &grace,
            NewInterview::new(start + chrono::Duration::hours(2), 60)
                .interviewer(ross)
                .interviewer(rachel)
                .subject("On-site: system design")
                .location("https://zoom.example.com/j/5551234567"),
        );
        self.add_candidate(
            NewCandidate::new("Alan Turing", "alan.turing@example.com").stage("lead-new"),
        );
    }

    fn add_user(&mut self, name: &str, email: &str, role: &str) -> String {
        let id = uuid();
        let username = email.split('@').next().unwrap_or(email);
        self.users.push(json!({
            "id": id, "name": name, "username": username, "email": email,
            "createdAt": now_ms() - 400 * DAY_MS, "deactivatedAt": null, "accessRole": role,
            "photo": null, "externalDirectoryId": null, "linkedContactIds": null,
            "jobTitle": null, "managerId": null,
        }));
        id
    }

    fn user_id(&self, email: &str) -> Option<String> {
        self.users
            .iter()
            .find(|u| {
                u["email"]
                    .as_str()
                    .is_some_and(|e| e.eq_ignore_ascii_case(email))
            })
            .and_then(|u| u["id"].as_str().map(str::to_owned))
    }

    fn add_posting(&mut self, title: &str, team: &str, owner: &str, at: i64) -> String {
        let id = uuid();
        self.postings.push(json!({
            "id": id, "text": title, "createdAt": at, "updatedAt": at, "user": owner,
            "owner": owner, "hiringManager": owner, "confidentiality": "non-confidential",
            "categories": {"team": team, "department": team, "location": "Remote",
                           "allLocations": ["Remote"], "commitment": "Full-time", "level": null},
            "tags": [], "state": "published", "distributionChannels": ["public", "internal"],
            "requisitionCodes": [], "workplaceType": "remote", "followers": [owner],
            "urls": {"list": "https://jobs.lever.co/example",
                     "show": format!("https://jobs.lever.co/example/{id}"),
                     "apply": format!("https://jobs.lever.co/example/{id}/apply")},
        }));
        id
    }

    fn add_candidate(&mut self, c: NewCandidate) -> String {
        let id = uuid();
        let contact = self
            .opportunities
            .iter()
            .find(|o| {
                o["emails"].as_array().is_some_and(|e| {
                    e.iter()
                        .any(|e| e.as_str() == c.emails.first().map(String::as_str))
                })
            })
            .map(|o| o["contact"].clone())
            .unwrap_or_else(|| json!(uuid()));
        let now = now_ms();
        let applications: Vec<Value> = c
            .posting
            .iter()
            .map(|p| {
                json!({"id": uuid(), "opportunityId": id, "candidateId": id, "type": "posting",
                       "posting": p, "createdAt": now, "archived": null})
            })
            .collect();
        let followers: Vec<Value> = c.owner.iter().map(|o| json!(o)).collect();
        self.opportunities.push(json!({
            "id": id, "name": c.name, "headline": "", "contact": contact,
            "emails": c.emails, "phones": [{"type": "mobile", "value": "+1 555 0100"}],
            "links": [], "location": "Remote", "stage": c.stage,
            "stageChanges": [{"toStageId": c.stage, "toStageIndex": 1, "userId": c.owner, "updatedAt": now}],
            "confidentiality": if c.confidential { "confidential" } else { "non-confidential" },
            "archived": null, "tags": c.tags, "sources": ["LinkedIn"], "origin": "applied",
            "sourcedBy": null, "owner": c.owner, "followers": followers,
            "applications": applications, "createdAt": now, "updatedAt": now,
            "lastInteractionAt": now, "lastAdvancedAt": now, "snoozedUntil": null,
            "urls": {"list": "https://hire.lever.co/candidates",
                     "show": format!("https://hire.lever.co/candidates/{id}")},
            "dataProtection": null, "isAnonymized": false,
        }));
        id
    }

    fn opportunity_mut(&mut self, id: &str) -> Option<&mut Map<String, Value>> {
        self.opportunities
            .iter_mut()
            .find(|o| o["id"] == id)
            .and_then(Value::as_object_mut)
    }

    fn follow(&mut self, opportunity_id: &str, user_id: &str) {
        if let Some(o) = self.opportunity_mut(opportunity_id)
            && let Some(f) = o.get_mut("followers").and_then(Value::as_array_mut)
        {
            f.push(json!(user_id));
        }
    }

    fn opportunity_ids(&self, email: &str) -> Vec<String> {
        self.opportunities
            .iter()
            .filter(|o| has_email(o, email))
            .filter_map(|o| o["id"].as_str().map(str::to_owned))
            .collect()
    }

    fn add_interview(&mut self, opportunity_id: &str, i: NewInterview) -> String {
        let id = uuid();
        let interviewers: Vec<Value> = i
            .interviewers
            .iter()
            .map(|uid| {
                let user = self.users.iter().find(|u| u["id"] == uid.as_str());
                json!({"id": uid, "name": user.map(|u| u["name"].clone()),
                       "email": user.map(|u| u["email"].clone()), "feedbackTemplate": null})
            })
            .collect();
        let stage = self
            .opportunities
            .iter()
            .find(|o| o["id"] == opportunity_id)
            .map(|o| o["stage"].clone())
            .unwrap_or(Value::Null);
        let interview = json!({
            "id": id, "panel": uuid(), "subject": i.subject, "note": null,
            "interviewers": interviewers, "timezone": "UTC", "createdAt": now_ms(),
            "date": i.start.timestamp_millis(), "duration": i.duration_minutes,
            "location": i.location, "feedbackTemplate": null, "feedbackForms": [],
            "feedbackReminder": "frequently", "user": i.interviewers.first(), "stage": stage,
            "canceledAt": null, "postings": [],
        });
        self.interviews.push((opportunity_id.to_owned(), interview));
        id
    }

    fn archive(&mut self, opportunity_id: &str, reason: Option<&str>) {
        let reason = reason.unwrap_or(REASON_WITHDREW).to_owned();
        if let Some(o) = self.opportunity_mut(opportunity_id) {
            let now = now_ms();
            o.insert(
                "archived".into(),
                json!({"archivedAt": now, "reason": reason}),
            );
            o.insert("updatedAt".into(), json!(now));
        }
    }

    fn delete(&mut self, opportunity_id: &str) {
        self.opportunities.retain(|o| o["id"] != opportunity_id);
        self.interviews.retain(|(o, _)| o != opportunity_id);
    }

    // ----- request handling -----

    fn handle(&mut self, req: &Request) -> ResponseTemplate {
        let path: Vec<String> = req
            .url
            .path_segments()
            .map(|s| s.map(decode_component).collect())
            .unwrap_or_default();
        let segs: Vec<&str> = path.iter().map(String::as_str).collect();
        let Some(("v1", rest)) = segs.split_first().map(|(a, b)| (*a, b)) else {
            return error(404, "ResourceNotFound", "unknown route");
        };
        let method = req.method.as_str().to_owned();
        let route = route_name(&method, rest);
        *self.counts.entry(route.clone()).or_default() += 1;

        if self.revoked {
            return error(
                401,
                "Unauthorized",
                "Access for this integration has been revoked",
            );
        }
        let auth = req
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if auth != self.expected_auth {
            return error(401, "Unauthorized", "A valid API key was not provided");
        }
        let failure = self.take_failure(&route);
        match &failure {
            Some(Failure::RateLimited { retry_after }) => {
                let mut r = error(429, "TooManyRequests", "Too many requests");
                if let Some(s) = retry_after {
                    r = r.insert_header("Retry-After", s.to_string().as_str());
                }
                return r;
            }
            Some(Failure::Status(status)) => {
                return error(*status, "ServerError", "injected failure");
            }
            _ => {}
        }
        if let Some(bucket) = &mut self.bucket
            && !bucket.take()
        {
            return error(429, "TooManyRequests", "Rate limit exceeded");
        }
        let query = Query::parse(req.url.query().unwrap_or(""));
        let response = self.dispatch(&method, rest, &query, req);
        match failure {
            Some(Failure::AcceptThenFail(status)) => {
                error(status, "ServerError", "injected failure after processing")
            }
            Some(Failure::AcceptThenDelay(delay)) => response.set_delay(delay),
            _ => response,
        }
    }

    fn take_failure(&mut self, route: &str) -> Option<Failure> {
        let pos = self.failures.iter().position(|(scope, _)| match scope {
            FailureScope::Any => true,
            FailureScope::NotePosts => route == ROUTE_NOTE_POST,
        })?;
        self.failures.remove(pos).map(|(_, f)| f)
    }

    fn dispatch(
        &mut self,
        method: &str,
        segs: &[&str],
        q: &Query,
        req: &Request,
    ) -> ResponseTemplate {
        match (method, segs) {
            ("GET", ["opportunities"]) => {
                let items = self.list_opportunities(q);
                self.paged(items, q)
            }
            ("GET", ["opportunities", id]) => match self.find_opportunity(id) {
                Some(o) => data(o),
                None => not_found("opportunities", id),
            },
            ("GET", ["opportunities", id, "interviews"]) => match self.find_opportunity(id) {
                Some(_) => {
                    let items = self.interviews_of(id);
                    self.paged(items, q)
                }
                None => not_found("opportunities", id),
            },
            ("GET", ["opportunities", id, "interviews", iid]) => self
                .interviews_of(id)
                .into_iter()
                .find(|i| i["id"] == *iid)
                .map(data)
                .unwrap_or_else(|| not_found("interviews", iid)),
            ("GET", ["opportunities", id, "panels"]) => match self.find_opportunity(id) {
                Some(_) => {
                    let items = self.panels_of(id);
                    self.paged(items, q)
                }
                None => not_found("opportunities", id),
            },
            ("GET", ["opportunities", id, "panels", pid]) => self
                .panels_of(id)
                .into_iter()
                .find(|p| p["id"] == *pid)
                .map(data)
                .unwrap_or_else(|| not_found("panels", pid)),
            ("GET", ["opportunities", id, "notes"]) => match self.find_opportunity(id) {
                Some(_) => {
                    let items = self.notes_json(id);
                    self.paged(items, q)
                }
                None => not_found("opportunities", id),
            },
            ("GET", ["opportunities", id, "notes", nid]) => self
                .notes_json(id)
                .into_iter()
                .find(|n| n["id"] == *nid)
                .map(data)
                .unwrap_or_else(|| not_found("notes", nid)),
            ("POST", ["opportunities", id, "notes"]) => self.post_note(id, q, &req.body),
            ("GET", ["contacts", id]) => self.contact(id),
            ("GET", ["users"]) => {
                let items = self.list_users(q);
                self.paged(items, q)
            }
            ("GET", ["users", id]) => {
                find(&self.users, id).unwrap_or_else(|| not_found("users", id))
            }
            ("GET", ["stages"]) => self.paged(self.stages.clone(), q),
            ("GET", ["stages", id]) => {
                find(&self.stages, id).unwrap_or_else(|| not_found("stages", id))
            }
            ("GET", ["archive_reasons"]) => self.paged(self.archive_reasons.clone(), q),
            ("GET", ["archive_reasons", id]) => {
                find(&self.archive_reasons, id).unwrap_or_else(|| not_found("archive_reasons", id))
            }
            ("GET", ["postings"]) => self.paged(self.postings.clone(), q),
            ("GET", ["postings", id]) => {
                find(&self.postings, id).unwrap_or_else(|| not_found("postings", id))
            }
            ("GET", ["webhooks"]) => data(Value::Array(self.webhooks.clone())),
            ("POST", ["webhooks"]) => self.create_webhook(&req.body),
            ("DELETE", ["webhooks", id]) => {
                let before = self.webhooks.len();
                self.webhooks.retain(|w| w["id"] != *id);
                if self.webhooks.len() < before {
                    ResponseTemplate::new(204)
                } else {
                    not_found("webhooks", id)
                }
            }
            _ => error(404, "ResourceNotFound", "unknown route"),
        }
    }

    /// Lever-style paging with opaque tokens that are already percent-encoded JSON arrays
    /// (`[1,<index>]`), as observed on the sandbox (research note §2.2). A re-encoded token
    /// (`%255B…`) is rejected like Lever rejects unknown tokens.
    fn paged(&self, items: Vec<Value>, q: &Query) -> ResponseTemplate {
        let limit = match q.first("limit").map(|l| l.parse::<usize>()) {
            None => self.default_page_size,
            Some(Ok(l)) if (1..=100).contains(&l) => l,
            Some(_) => return error(400, "BadRequest", "limit must be between 1 and 100"),
        };
        let start = match q.raw_offset.as_deref() {
            None => 0,
            Some(raw) => match raw
                .strip_prefix("%5B1%2C")
                .and_then(|r| r.strip_suffix("%5D"))
                .and_then(|n| n.parse::<usize>().ok())
            {
                Some(n) => n,
                None => {
                    return error(
                        400,
                        "BadRequest",
                        "Invalid offset token: Offset token is invalid for sort",
                    );
                }
            },
        };
        let end = (start + limit).min(items.len());
        let page: Vec<Value> = items
            .get(start..end)
            .map(<[Value]>::to_vec)
            .unwrap_or_default();
        let has_next = end < items.len();
        let mut body = json!({"data": page, "hasNext": has_next});
        if has_next {
            body["next"] = json!(format!("%5B1%2C{end}%5D"));
        }
        ResponseTemplate::new(200).set_body_json(body)
    }

    fn find_opportunity(&self, id: &str) -> Option<Value> {
        self.opportunities.iter().find(|o| o["id"] == id).cloned()
    }

    fn list_opportunities(&self, q: &Query) -> Vec<Value> {
        let confidentiality = q.first("confidentiality").unwrap_or("non-confidential");
        let expand_contact = q.all("expand").any(|e| e == "contact");
        self.opportunities
            .iter()
            .filter(|o| {
                confidentiality == "all" || o["confidentiality"].as_str() == Some(confidentiality)
            })
            .filter(|o| q.first("email").is_none_or(|e| has_email(o, e)))
            .filter(|o| {
                q.all("stage_id").count() == 0 || q.all("stage_id").any(|s| o["stage"] == s)
            })
            .filter(|o| {
                q.all("tag").all(|t| {
                    o["tags"]
                        .as_array()
                        .is_some_and(|ts| ts.iter().any(|x| x == t))
                })
            })
            .filter(|o| q.first("contact_id").is_none_or(|c| o["contact"] == c))
            .filter(|o| match q.first("archived") {
                Some("true") => !o["archived"].is_null(),
                Some("false") => o["archived"].is_null(),
                _ => true,
            })
            .filter(|o| {
                let updated = o["updatedAt"].as_i64().unwrap_or(0);
                q.first("updated_at_start")
                    .and_then(|s| s.parse::<i64>().ok())
                    .is_none_or(|s| updated >= s)
                    && q.first("updated_at_end")
                        .and_then(|s| s.parse::<i64>().ok())
                        .is_none_or(|e| updated <= e)
            })
            .map(|o| {
                let mut o = o.clone();
                if expand_contact {
                    o["contact"] = self.contact_json(o["contact"].as_str().unwrap_or_default());
                }
                o
            })
            .collect()
    }

    fn contact_json(&self, contact_id: &str) -> Value {
        let opp = self
            .opportunities
            .iter()
            .find(|o| o["contact"] == contact_id);
        match opp {
            Some(o) => json!({
                "id": contact_id, "name": o["name"], "headline": o["headline"],
                "location": {"name": o["location"]}, "emails": o["emails"],
                "phones": o["phones"], "isAnonymized": false,
            }),
            None => Value::Null,
        }
    }

    fn contact(&self, id: &str) -> ResponseTemplate {
        match self.contact_json(id) {
            Value::Null => not_found("contacts", id),
            c => data(c),
        }
    }

    fn interviews_of(&self, opportunity_id: &str) -> Vec<Value> {
        self.interviews
            .iter()
            .filter(|(o, _)| o == opportunity_id)
            .map(|(_, i)| i.clone())
            .collect()
    }

    fn panels_of(&self, opportunity_id: &str) -> Vec<Value> {
        let apps: Vec<Value> = self
            .find_opportunity(opportunity_id)
            .and_then(|o| o["applications"].as_array().cloned())
            .unwrap_or_default()
            .iter()
            .map(|a| a["id"].clone())
            .collect();
        self.interviews_of(opportunity_id)
            .into_iter()
            .map(|i| {
                let start = i["date"].as_i64().unwrap_or(0);
                let end = start + i["duration"].as_i64().unwrap_or(0) * 60_000;
                json!({
                    "id": i["panel"], "applications": apps, "canceledAt": null,
                    "createdAt": i["createdAt"], "start": start, "end": end,
                    "timezone": i["timezone"], "feedbackReminder": "daily", "user": i["user"],
                    "stage": i["stage"], "note": null, "externallyManaged": false,
                    "externalUrl": null, "interviews": [i],
                })
            })
            .collect()
    }

    fn notes_json(&self, opportunity_id: &str) -> Vec<Value> {
        self.notes
            .iter()
            .filter(|n| n.opportunity_id == opportunity_id && n.reply_to.is_none())
            .map(|n| self.note_json(n))
            .collect()
    }

    fn note_json(&self, n: &PostedNote) -> Value {
        let at = n.created_at.timestamp_millis();
        let stage = self
            .find_opportunity(&n.opportunity_id)
            .map(|o| o["stage"].clone())
            .unwrap_or(Value::Null);
        let mut fields = vec![json!({"type": "note", "text": "Comment", "value": n.value,
            "createdAt": at, "user": n.perform_as, "score": n.score, "stage": stage})];
        for reply in self
            .notes
            .iter()
            .filter(|r| r.reply_to.as_deref() == Some(&n.id))
        {
            fields.push(
                json!({"type": "note", "text": "Comment", "value": reply.value,
                "createdAt": reply.created_at.timestamp_millis(), "user": reply.perform_as,
                "score": reply.score, "stage": stage}),
            );
        }
        json!({"id": n.id, "noteId": n.id, "text": "Note", "fields": fields,
               "user": n.perform_as, "secret": n.secret, "completedAt": at, "createdAt": at,
               "deletedAt": null})
    }

    fn post_note(&mut self, opportunity_id: &str, q: &Query, body: &[u8]) -> ResponseTemplate {
        if self.find_opportunity(opportunity_id).is_none() {
            return not_found("opportunities", opportunity_id);
        }
        let Ok(body) = serde_json::from_slice::<Value>(body) else {
            return error(400, "BadRequest", "body must be JSON");
        };
        let Some(value) = body["value"].as_str().filter(|v| !v.is_empty()) else {
            return error(400, "BadRequest", "Missing required field: value");
        };
        let perform_as = q.first("perform_as").map(str::to_owned);
        if let Some(user) = &perform_as
            && !self.users.iter().any(|u| u["id"] == user.as_str())
        {
            return error(400, "BadRequest", "perform_as user not found");
        }
        let score = body["score"].as_i64();
        if score.is_some_and(|s| !(1..=4).contains(&s)) {
            return error(400, "BadRequest", "score must be between 1 and 4");
        }
        let created_at = match body["createdAt"].as_i64() {
            Some(ms) if ms > now_ms() + 60_000 => {
                return error(400, "BadRequest", "You cannot create a note in the future");
            }
            Some(ms) => crate::models::common::from_millis(ms).unwrap_or_else(Utc::now),
            None => Utc::now(),
        };
        let note = PostedNote {
            id: uuid(),
            opportunity_id: opportunity_id.to_owned(),
            value: value.to_owned(),
            perform_as,
            secret: body["secret"].as_bool().unwrap_or(false),
            score,
            notify_followers: body["notifyFollowers"].as_bool().unwrap_or(false),
            created_at,
            reply_to: q.first("note_id").map(str::to_owned),
        };
        let response = match self.note_shape {
            NoteResponseShape::FullNote => self.note_json(&note),
            NoteResponseShape::NoteIdOnly => json!({"noteId": note.id}),
        };
        self.notes.push(note);
        ResponseTemplate::new(201).set_body_json(json!({ "data": response }))
    }

    fn list_users(&self, q: &Query) -> Vec<Value> {
        let include_deactivated = q.first("includeDeactivated") == Some("true");
        self.users
            .iter()
            .filter(|u| include_deactivated || u["deactivatedAt"].is_null())
            .filter(|u| {
                q.first("email").is_none_or(|e| {
                    u["email"]
                        .as_str()
                        .is_some_and(|m| m.eq_ignore_ascii_case(e))
                })
            })
            .cloned()
            .collect()
    }

    fn create_webhook(&mut self, body: &[u8]) -> ResponseTemplate {
        let Ok(body) = serde_json::from_slice::<Value>(body) else {
            return error(400, "BadRequest", "body must be JSON");
        };
        if body["url"].as_str().is_none() || body["event"].as_str().is_none() {
            return error(400, "BadRequest", "url and event are required");
        }
        let now = now_ms();
        let mut hook = json!({"id": uuid(), "url": body["url"], "event": body["event"],
            "createdAt": now, "updatedAt": now,
            "configuration": body.get("configuration").cloned().unwrap_or(json!({}))});
        self.webhooks.push(hook.clone());
        hook["configuration"]["signatureToken"] = json!(random_hex(48));
        ResponseTemplate::new(201).set_body_json(json!({ "data": hook }))
    }
}

fn has_email(opportunity: &Value, email: &str) -> bool {
    opportunity["emails"].as_array().is_some_and(|emails| {
        emails.iter().any(|e| {
            e.as_str()
                .is_some_and(|e| e.eq_ignore_ascii_case(email.trim()))
        })
    })
}

fn route_name(method: &str, segs: &[&str]) -> String {
    let mut parts = Vec::with_capacity(segs.len());
    for (i, s) in segs.iter().enumerate() {
        // Collection names sit at even positions, ids at odd ones.
        parts.push(if i % 2 == 1 { ":id" } else { s });
    }
    format!("{method} /{}", parts.join("/"))
}

fn find(items: &[Value], id: &str) -> Option<ResponseTemplate> {
    items.iter().find(|i| i["id"] == id).cloned().map(data)
}

fn data(value: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({ "data": value }))
}

fn error(status: u16, code: &str, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({"code": code, "message": message}))
}

fn not_found(kind: &str, id: &str) -> ResponseTemplate {
    error(
        404,
        "ResourceNotFound",
        &format!("{kind} {id} was not found"),
    )
}

/// Query parameters, plus the raw (undecoded) `offset` so the token can be checked byte for byte.
struct Query {
    pairs: Vec<(String, String)>,
    raw_offset: Option<String>,
}

impl Query {
    fn parse(raw: &str) -> Self {
        let mut pairs = Vec::new();
        let mut raw_offset = None;
        for part in raw.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            if k == "offset" {
                raw_offset = Some(v.to_owned());
            } else {
                pairs.push((decode_component(k), decode_component(v)));
            }
        }
        Self { pairs, raw_offset }
    }

    fn first(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs
            .iter()
            .filter(move |(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

fn decode_component(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

fn base64(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

struct Router {
    state: Arc<Mutex<State>>,
}

impl Respond for Router {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .handle(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foob"), "Zm9vYg==");
    }

    #[test]
    fn route_names() {
        assert_eq!(
            route_name("POST", &["opportunities", "x", "notes"]),
            ROUTE_NOTE_POST
        );
        assert_eq!(route_name("GET", &["users"]), "GET /users");
    }
}

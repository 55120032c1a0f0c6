//! Typed async client for the Greenhouse **Harvest v3** API and Greenhouse
//! Recruiting webhooks.
//!
//! Harvest v1/v2 (API keys over Basic auth, page numbers, `On-Behalf-Of`) were
//! retired on 31 August 2026. This crate speaks v3 only: OAuth 2.0 tokens from
//! `https://auth.greenhouse.io/token`, `Authorization: Bearer`, routes under
//! `https://harvest.greenhouse.io/v3/`, cursor pagination via the `Link` header.
//!
//! * [`HarvestClient`] — client-credentials or authorization-code auth with
//!   tokens cached, shared by clones and refreshed one at a time; retries with
//!   jittered backoff (`backon`); pacing from the `X-RateLimit-*` headers;
//!   typed v3 [`models`]; one-page calls and lazy streams for every list,
//!   [`HarvestClient::get`] by id for every listed resource, and the
//!   documented writes (notes, candidates, applications, tags).
//! * Tolerant reading: `null` lists and maps read as empty, and one malformed
//!   record never loses its page ([`Page::skipped`], [`Error::Record`]).
//! * [`webhooks`] — `Signature: sha256 <hex>` verification over the raw body,
//!   every documented action typed, and a [`webhooks::sign`] helper.
//! * `testing` (feature `testing`) — a fake Harvest v3 server for your own tests.
//!
//! TLS comes from a feature: `rustls-ring` (default), `rustls-aws-lc` or `native-tls`. The
//! client configures its own TLS and never installs rustls's process-wide provider (see the
//! README's TLS section).
//!
//! # Example
//!
//! ```no_run
//! use futures::TryStreamExt;
//! use greenhouse_harvest::{HarvestClient, ListQuery, NewNote, Visibility};
//!
//! # async fn run() -> Result<(), greenhouse_harvest::Error> {
//! let client = HarvestClient::builder()
//!     .client_credentials("client-id", "client-secret", Some(4080)) // act as user 4080
//!     .build()?;
//!
//! // Every open job, page after page, lazily.
//! let jobs: Vec<_> = client
//!     .jobs(ListQuery::new().param("status", "open").per_page(500))
//!     .try_collect()
//!     .await?;
//! println!("{} open jobs", jobs.len());
//!
//! // Post an interview summary on a candidate found by e-mail.
//! if let Some(candidate) = client.find_candidates_by_email("kate@example.com").await?.first() {
//!     let note = NewNote::new(candidate.id, "Interview summary: …", Visibility::Private);
//!     client.create_note(&note).await?;
//! }
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs, missing_debug_implementations)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod auth;
mod client;
mod error;
mod http;
pub mod models;
mod pagination;
mod rate_limit;
mod retry;
mod routes;
mod span;
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;
mod tls;
pub mod webhooks;
mod writes;

pub use auth::{
    ClientCredentials, Introspection, MemoryTokenStore, OAuthConfig, TokenSet, TokenStore,
};
pub use client::{
    DEFAULT_BASE_URL, DEFAULT_RATE_LIMIT_WINDOW, HarvestClient, HarvestClientBuilder,
};
pub use error::{BoxError, Error, Result};
pub use models::{
    Application, ApplicationStage, ApplicationStatus, ApplicationUpdate, Candidate,
    CandidateUpdate, EmailAddress, EmailType, Interview, InterviewStatus, Interviewer, Job,
    JobInterviewStage, JobPost, JobStatus, MoveApplication, NewApplication, NewCandidate, NewNote,
    Note, NoteType, NoteVisibility, ScheduledInterview, User, Visibility,
};
pub use pagination::{
    DateFilter, ListQuery, MAX_IDS, MAX_PER_PAGE, Page, RecordError, parse_next_link,
};
pub use rate_limit::RateLimitStatus;
pub use retry::RetryPolicy;
pub use routes::Resource;
pub use webhooks::{WebhookEvent, WebhookVerifier};

/// The README's examples, compiled as doctests so they stay correct.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

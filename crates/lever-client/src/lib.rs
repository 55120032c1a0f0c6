//! Typed async client for the [Lever](https://hire.lever.co/developer/documentation) v1 API:
//! API-key and OAuth auth, typed models, lazy pagination, client-side rate limiting with
//! bounded retries, notes, webhook management and verified webhooks.
//!
//! ```no_run
//! use futures::TryStreamExt;
//! use lever_client::{LeverClient, NewNote};
//!
//! # async fn demo() -> Result<(), lever_client::Error> {
//! let client = LeverClient::builder().api_key(std::env::var("LEVER_API_KEY").unwrap()).build()?;
//!
//! // Find the candidate's opportunities by e-mail (confidential ones included).
//! let opportunities = client.opportunities_by_email("ada@example.com").await?;
//!
//! // Post a note as a Lever user.
//! let author = client.user_by_email("rachel@example.com").await?;
//! for opp in &opportunities {
//!     let mut note = NewNote::new("Interview summary: strong system design.");
//!     if let Some(user) = &author {
//!         note = note.perform_as(&user.id);
//!     }
//!     let created = client.add_note(&opp.id, &note).await?;
//!     println!("note {} on {}", created.note_id, opp.id);
//! }
//!
//! // Or stream every interview of an opportunity, page by page.
//! let interviews: Vec<_> = client.interviews(&opportunities[0].id).try_collect().await?;
//! # Ok(()) }
//! ```
//!
//! # Behaviour worth knowing
//!
//! * **Rate limits**: a token bucket of 10 requests/second with bursts of 20 (Lever's documented
//!   limits) is shared by all clones of a client. 429 and 503 are retried for GETs with
//!   `Retry-After` (capped) or full-jitter exponential backoff; see [`RetryPolicy`].
//! * **POSTs are not retried blindly**: adding a note is retried only after a connection error
//!   (the request provably was not sent). Lever has no idempotency key.
//! * **OAuth**: tokens are refreshed five minutes before expiry and once after a 401, one refresh
//!   at a time per connection; the rotated refresh token is saved in your [`TokenStore`] at once.
//!   A revoked connection gives [`Error::Revoked`], a lapsed one [`Error::ReconnectRequired`].
//! * **Malformed records**: one record that does not match its model never loses its page:
//!   [`Page::skipped`] names it (index, `id`, serde path) and list streams yield
//!   [`Error::Record`] for it after the page's good records, then go on.
//! * **Nulls and unknown fields**: lists accept `null` as empty, unknown fields are kept in
//!   `extra` at every level, and explicit `null`s are written back as `null`.
//! * **Webhooks**: see [`webhooks`]. Event data is unsigned — a hint to re-fetch, never a fact.
//!   The `axum` feature adds an extractor, `webhooks::axum::VerifiedWebhook`.
//! * **Tracing**: every request attempt runs in an INFO span `api_request` (method, route
//!   template, attempt, status, latency; never secrets, ids or personal data).
//! * **Testing**: the `testing` feature adds `testing::FakeLever`, a local fake Lever server.
//! * **TLS**: `rustls-ring` (default), `rustls-aws-lc` or `native-tls`. The client configures
//!   its own TLS and never installs rustls's process-wide provider (see the README's TLS section).
//!
//! # Public dependencies
//!
//! These crates' types appear in the API on purpose: `chrono` (timestamps), `serde_json`
//! (`Value` for raw and unmodelled data), `secrecy` (`SecretString` in [`TokenSet`]), `url`
//! (the authorize URL) and `futures` (`Stream`). `reqwest` is an implementation detail: none of
//! its types are exposed, and transport errors are boxed.
#![forbid(unsafe_code)]
#![deny(missing_docs, missing_debug_implementations)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod api;
pub mod auth;
mod client;
pub mod error;
pub mod models;
pub mod pagination;
pub mod retry;
mod telemetry;
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;
mod tls;
pub mod webhooks;

pub use api::{
    AuditEventQuery, ConfidentialityFilter, CreateOpportunityOptions, DeletedOpportunityQuery,
    Download, EeoQuery, FileUpload, ListOptions, OpportunityList, OpportunityQuery, PostingQuery,
    RequisitionQuery, UserQuery,
};
pub use auth::{
    Environment, INTERVIEW_INTELLIGENCE_SCOPES, MemoryTokenStore, OAuthConfig, TokenSet, TokenStore,
};
pub use client::{LeverClient, LeverClientBuilder};
pub use error::{Error, ReconnectReason, Result};
pub use models::*;
pub use pagination::{Page, RecordError};
pub use retry::{RateLimit, RetryPolicy};
pub use webhooks::{ContactHint, Delivery, SignatureToken, WebhookEvent, WebhookVerifier};

/// Compiles the README's examples as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

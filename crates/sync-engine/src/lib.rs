//! Posts interview summaries into Lever and Greenhouse: webhook ingest, a
//! candidate index, "Sync now", note-taker scheduling and a durable,
//! duplicate-free note outbox.
//!
//! The [`Engine`] holds the tenants (customers) and a [`store::Store`]. Each
//! [`Tenant`] connects Lever ([`lever::LeverConnection`]), Greenhouse
//! ([`greenhouse::GreenhouseConnection`]), or your own implementation of
//! the [`AtsConnector`], [`WebhookSource`] and [`sync::SyncSource`] traits
//! for one of the two (a different client, a proxy, a test double). The
//! ATSs themselves are the closed [`Ats`] enum: storage, URLs and outbox
//! keys name them, so a new ATS is a change to this crate, not a plug-in.
//!
//! ```
//! use std::sync::Arc;
//! use aspect_interview_core::{ExtractiveSummarizer, Meeting, Participant, ParticipantRole,
//!     Summarizer, SummaryRequest, Transcript};
//! use aspect_sync_engine::index::{CandidateKey, CandidateStatus, IndexedCandidate};
//! use aspect_sync_engine::ingest::IndexUpdate;
//! use aspect_sync_engine::store::MemoryStore;
//! use aspect_sync_engine::{Ats, Engine, RecordingNoteTaker, Tenant, TenantId, TenantSettings};
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let engine = Engine::new(Arc::new(MemoryStore::new()), Arc::new(RecordingNoteTaker::new()));
//! let acme = TenantId::new("acme")?;
//! let settings = TenantSettings::new().own_domains(["acme.example"]);
//! // A real tenant adds `.with_lever(..)` and/or `.with_greenhouse(..)`.
//! engine.add_tenant(Tenant::new(acme.clone(), settings))?;
//!
//! // Webhooks and syncs keep the candidate index current; here, by hand.
//! engine.apply_updates(vec![IndexUpdate::Profile {
//!     key: CandidateKey { tenant: acme.clone(), ats: Ats::Greenhouse, candidate_id: "42".into() },
//!     name: Some("Jordan Ellis".into()),
//!     emails: vec!["Jordan.Ellis@example.com".into()],
//!     updated_at: chrono::Utc::now(),
//! }]).await?;
//!
//! // After the interview: summarize, then preview (or enqueue) the notes.
//! let transcript = Transcript::parse("WEBVTT\n\n00:00.000 --> 00:04.000\n<v Priya>What do you work on?\n\n\
//!     00:04.000 --> 00:09.000\n<v Jordan>Shipment tracking, mostly the ingestion pipeline.\n")?;
//! let notes = ExtractiveSummarizer::default().summarize(&SummaryRequest::new(&transcript)).await?;
//! let meeting = Meeting::new("meeting-1", "Technical interview", chrono::Utc::now())
//!     .with_participant(Participant::new("priya@acme.example", ParticipantRole::Interviewer))
//!     .with_participant(Participant::new("jordan.ellis@example.com", ParticipantRole::Unknown));
//! let plan = engine.preview_notes(&acme, &meeting, &notes).await?;
//! // No Greenhouse connection in this sketch, so nothing is planned yet;
//! // with one, `plan.notes` holds the exact note for candidate 42.
//! assert!(plan.notes.is_empty());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```
//!
//! # Guarantees and their limits
//!
//! **Who gets a note.** A meeting registered from an ATS interview posts only to
//! that interview's candidate; any other participant who matches a candidate is
//! reported in `PostingPlan::other_candidates`, never posted to. Otherwise every
//! participant address that is not the hiring side (an interviewer entry, the
//! organizer, the tenant's own domains; an address is judged over *all* its
//! entries, whatever their order or case) is confirmed with the ATS's own e-mail
//! lookup before anything is queued. A candidate the lookup returns must really
//! carry the address; an address two candidates share is reported as ambiguous
//! and gets no note; the index only adds facts the lookup lacks (status,
//! applications), so the archived policy is applied on complete facts. An "own
//! domain" that is not a domain is refused when the tenant is added. *Limit:* a
//! meeting planned while an ATS is unreachable or revoked is not queued for that
//! ATS (reported in `PostingPlan::failed`); plan it again later.
//!
//! **Exactly once.** Workers claim outbox entries with leases (owner, expiry,
//! version); every write under a claim is fenced by the version, and each ATS
//! call is bounded well inside the lease. Any number of passes, processes or
//! replicas may run on one store. An entry is marked *sending* before its post;
//! after an unknown outcome or a takeover, the candidate's notes are searched for
//! the note's marker before any new post. Marker checks and posts both count
//! toward `RetrySchedule::max_attempts`, except refusals that say when to come
//! back (429 or 503 with `Retry-After`: the note waits, never dropped for an
//! ATS being busy); an entry that exhausts them, or fails permanently, is
//! `failed` with its reason and listed by `Engine::failed_notes`.
//! Merges re-point every entry, posted ones too (a posted entry wins). *Limit:* a
//! post that stays in flight longer than the call limit is abandoned as "outcome
//! unknown", and only the marker check protects it.
//!
//! **Deletion is final.** A deleted candidate is purged under every id it ever
//! had (merged-away ids included): index, e-mails, applications, interviews (by
//! candidate and by application) and outbox entries, in one transaction, after
//! its upcoming recordings are cancelled; a tombstone (tenant, ATS, id, time: no
//! personal data) makes every later update for that key a no-op, whatever its
//! order or source. Deleted applications are tombstoned the same way. Deliveries
//! are deduplicated by delivery id *and* by a digest of the signed body
//! (Greenhouse's event id is not signed). SQLite overwrites deleted rows and
//! checkpoints the WAL after the deleting delivery's own body is cleared (a
//! blocked checkpoint is retried, then logged as an error). Processed deliveries
//! and posted note bodies are kept for `Retention` (30 days by default; dedupe
//! keys at least 15 days), then pruned.
//!
//! **Webhooks are hints; authentic deliveries are never dropped.** Lever events
//! are re-fetched before they change anything; an interview deletion counts only
//! if the interview is gone under the opportunity the engine stored as well.
//! Lever deliveries up to 15 days old are accepted (Lever retries and offers a
//! manual "Rerun" for two weeks). A delivery whose processing fails is retried
//! with backoff (10 s doubling to 1 h, no cap), or parked while its tenant's
//! credentials are revoked and processed after `Engine::resume_tenant`.
//! Upcoming Greenhouse interviews missing from a complete sync are cancelled.
//!
//! **No tenant stalls another.** Outbox claims and delivery scans take tenants
//! round-robin; entries of an unknown tenant or a disconnected ATS are put back
//! for five minutes without counting an attempt; after one failure for a
//! (tenant, ATS), a pass skips that pair's other deliveries; planning isolates
//! each ATS. The receiver caps requests in flight (503 beyond), bounds each
//! request (408) and, with `receiver::serve`, header reads and connections.
//!
//! See the workspace's `examples/demo.rs` for the whole flow against the
//! clients' fake servers, and `examples/webhook_server.rs` for the
//! multi-tenant server (the `server` module, feature `server`) on SQLite or
//! PostgreSQL.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[cfg(all(feature = "lever", feature = "greenhouse"))]
#[cfg_attr(docsrs, doc(cfg(all(feature = "lever", feature = "greenhouse"))))]
pub mod connection;
pub mod connector;
mod engine;
pub mod error;
#[cfg(feature = "greenhouse")]
#[cfg_attr(docsrs, doc(cfg(feature = "greenhouse")))]
pub mod greenhouse;
pub mod index;
pub mod ingest;
mod lanes;
#[cfg(feature = "lever")]
#[cfg_attr(docsrs, doc(cfg(feature = "lever")))]
pub mod lever;
pub mod notetaker;
pub mod outbox;
pub mod posting;
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod receiver;
mod render;
pub mod secrets;
#[cfg(feature = "server")]
#[cfg_attr(docsrs, doc(cfg(feature = "server")))]
pub mod server;
pub mod store;
pub mod sync;
pub mod tenant;
pub mod webhook;
pub mod worker;

pub use connector::{AtsConnector, ConnectorError, ErrorFacts, FailureKind};
pub use engine::{Engine, LeaseSettings, Retention, Tenant, TenantSettings};
pub use error::{Error, Result};
pub use notetaker::{NoteTaker, NoteTakerError, RecordingNoteTaker};
pub use tenant::{ArchivedPolicy, Ats, TenantId};
pub use webhook::{Received, Verified, WebhookHeaders, WebhookSource};

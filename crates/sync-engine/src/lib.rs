//! Posts interview summaries into Lever and Greenhouse: webhook ingest, a
//! candidate index, "Sync now", note-taker scheduling and a durable,
//! duplicate-free note outbox.
//!
//! The [`Engine`] holds the tenants (customers) and a [`store::Store`]. Each
//! [`Tenant`] connects Lever ([`lever::LeverConnection`]), Greenhouse
//! ([`greenhouse::GreenhouseConnection`]) or any ATS through the
//! [`AtsConnector`], [`WebhookSource`] and [`sync::SyncSource`] traits.
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
//! let settings = TenantSettings { own_domains: vec!["acme.example".into()], ..Default::default() };
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
//! See the workspace's `examples/demo.rs` for the whole flow against the
//! clients' fake servers, and `examples/webhook_server.rs` for a
//! production-shaped receiver.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod connector;
mod engine;
pub mod error;
#[cfg(feature = "greenhouse")]
pub mod greenhouse;
pub mod index;
pub mod ingest;
#[cfg(feature = "lever")]
pub mod lever;
pub mod notetaker;
pub mod outbox;
pub mod posting;
#[cfg(feature = "axum")]
pub mod receiver;
mod render;
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

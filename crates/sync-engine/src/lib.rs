//! Posts interview summaries into Lever and Greenhouse: webhook ingest, a
//! candidate index and a durable, duplicate-free note outbox.
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

pub use connector::{AtsConnector, ConnectorError, FailureKind};
pub use engine::{Engine, Tenant, TenantSettings};
pub use error::{Error, Result};
pub use notetaker::{NoteTaker, NoteTakerError, RecordingNoteTaker};
pub use tenant::{ArchivedPolicy, Ats, TenantId};
pub use webhook::{Received, Verified, WebhookHeaders, WebhookSource};

//! The engine's error type.

/// Everything that can go wrong in the engine.
///
/// ATS-specific failures are classified by the connector into
/// [`ConnectorError`](crate::connector::ConnectorError) before they reach this
/// type, so the engine never matches on a client crate's error variants.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A tenant id failed validation.
    #[error("invalid tenant id `{0}`: use 1-64 ASCII letters, digits, `-` or `_`")]
    InvalidTenant(String),
    /// A tenant's settings cannot work as intended (the message says which).
    #[error("invalid tenant settings: {0}")]
    InvalidSettings(String),
    /// No tenant with this id is registered with the engine.
    #[error("unknown tenant `{0}`")]
    UnknownTenant(String),
    /// The tenant has no connection to this ATS.
    #[error("tenant `{tenant}` has no {ats} connection")]
    NotConnected {
        /// The tenant.
        tenant: String,
        /// The ATS that was asked for.
        ats: crate::Ats,
    },
    /// The store failed (I/O, SQLite, a lock poisoned by a panic).
    #[error("store error: {0}")]
    Store(String),
    /// A stored row could not be decoded (a bug or a hand-edited database).
    #[error("corrupt stored data: {0}")]
    Corrupt(String),
    /// A webhook delivery failed verification (bad or missing signature, stale timestamp).
    #[error("webhook rejected: {0}")]
    WebhookRejected(String),
    /// A webhook delivery was authentic but its JSON could not be read.
    #[error("malformed webhook payload: {0}")]
    MalformedPayload(String),
    /// A worker's claim on an outbox entry is gone: its lease expired and
    /// another worker took the entry over, or the entry was purged or
    /// re-pointed. The worker must drop the entry without writing.
    #[error("outbox entry for meeting {0} is no longer held by this worker")]
    LeaseLost(String),
    /// The ATS call failed.
    #[error(transparent)]
    Connector(#[from] crate::connector::ConnectorError),
    /// Summarizing or rendering the meeting failed.
    #[error("interview processing failed: {0}")]
    Interview(String),
}

#[cfg(feature = "sqlite")]
impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Store(e.to_string())
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::Corrupt(e.to_string())
    }
}

/// Shorthand for results in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

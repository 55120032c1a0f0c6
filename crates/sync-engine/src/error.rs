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
    /// The store failed (a lock poisoned by a panic, a writer that stopped).
    #[error("store error: {0}")]
    Store(String),
    /// The database backend failed (I/O, SQLite); the backend's error is
    /// the [`source`](std::error::Error::source).
    #[error("database error: {0}")]
    Database(#[source] Box<dyn std::error::Error + Send + Sync + 'static>),
    /// A stored row could not be decoded (a bug or a hand-edited database).
    #[error("corrupt stored data: {0}")]
    Corrupt(String),
    /// A stored JSON document could not be read or written; the JSON
    /// error (with its line and column) is the source.
    #[error("stored JSON: {0}")]
    Json(#[source] serde_json::Error),
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
    /// A Sync now of this tenant's ATS is already running (here or on
    /// another replica); this one did not start.
    #[error("a sync of {ats} for tenant `{tenant}` is already running")]
    SyncInProgress {
        /// The tenant.
        tenant: String,
        /// The ATS being synced.
        ats: crate::Ats,
    },
    /// The ATS call failed.
    #[error(transparent)]
    Connector(#[from] crate::connector::ConnectorError),
    /// Summarizing or rendering the meeting failed.
    #[error("interview processing failed: {0}")]
    Interview(String),
    /// Encryption at rest failed: a key is missing or malformed in the
    /// configuration, or a stored secret does not decrypt (wrong key,
    /// tampered, or moved to another record). Never holds key material.
    #[error("secret storage: {0}")]
    Secret(String),
    /// An OAuth authorization could not be completed: its `state` is
    /// unknown, used or expired, or the code exchange was refused.
    #[error("authorization failed: {0}")]
    Authorization(String),
    /// Connecting an ATS failed for a reason the admin can fix (wrong
    /// credentials, no user with the admin's e-mail); the message says which.
    #[error("connection setup failed: {0}")]
    Setup(String),
}

#[cfg(feature = "sqlite")]
impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Database(Box::new(e))
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::Json(e)
    }
}

/// Shorthand for results in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_errors_keep_their_source() {
        let json = serde_json::from_str::<u32>("x").unwrap_err();
        let e = Error::from(json);
        assert!(std::error::Error::source(&e).is_some());
        #[cfg(feature = "sqlite")]
        {
            let e = Error::from(rusqlite::Error::InvalidQuery);
            assert!(std::error::Error::source(&e).is_some());
        }
    }
}

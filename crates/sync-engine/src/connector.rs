//! The engine's view of an ATS: the few calls the posting flow needs, with
//! failures already classified. The Lever and Greenhouse connections
//! implement it; so may a custom connection to one of them (another
//! client, a proxy, a test double). [`Ats`] is closed: a connector speaks
//! for Lever or Greenhouse.

use std::time::Duration;

use async_trait::async_trait;

use crate::index::IndexedCandidate;
use crate::outbox::NoteTarget;
use crate::tenant::{Ats, TenantId};

/// How a failed ATS call should be handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FailureKind {
    /// Nothing was changed in the ATS (a read failed, or a write was refused
    /// with 429 or never reached the server): try again later.
    Transient {
        /// The server's `Retry-After`, when it sent one.
        retry_after: Option<Duration>,
    },
    /// A write may or may not have been applied (timeout after sending, 5xx
    /// after the body went out): look before writing again.
    OutcomeUnknown,
    /// The credentials were revoked or lapsed: the customer must reconnect.
    Revoked,
    /// The target does not exist (any more).
    NotFound,
    /// Any other error that retrying will not fix (bad request, missing scope).
    Permanent,
}

/// What the engine needs to know about a client's error to classify it;
/// each connection fills it from its client's error type.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ErrorFacts {
    /// Credentials rejected, revoked or lapsed (not a missing scope).
    pub auth: bool,
    /// HTTP 404.
    pub not_found: bool,
    /// The request provably did not change anything (429, connect error).
    pub not_applied: bool,
    /// A later attempt may succeed (429, 5xx, timeouts, transport errors).
    pub retryable: bool,
    /// The server's `Retry-After`.
    pub retry_after: Option<Duration>,
}

impl FailureKind {
    /// Classifies an error; `write` marks a non-idempotent request (a note
    /// POST), whose retryable failure after sending leaves the outcome unknown.
    pub fn classify(facts: &ErrorFacts, write: bool) -> Self {
        if facts.auth {
            FailureKind::Revoked
        } else if facts.not_found {
            FailureKind::NotFound
        } else if facts.not_applied || (facts.retryable && !write) {
            FailureKind::Transient {
                retry_after: facts.retry_after,
            }
        } else if facts.retryable {
            FailureKind::OutcomeUnknown
        } else {
            FailureKind::Permanent
        }
    }
}

/// A classified ATS failure. Its message never contains secrets.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{ats} call failed ({kind:?}): {message}")]
pub struct ConnectorError {
    /// The ATS that failed.
    pub ats: Ats,
    /// The classification.
    pub kind: FailureKind,
    /// A human-readable message (the client's error, secrets redacted).
    pub message: String,
}

impl ConnectorError {
    /// Builds an error.
    pub fn new(ats: Ats, kind: FailureKind, message: impl Into<String>) -> Self {
        Self {
            ats,
            kind,
            message: message.into(),
        }
    }
}

/// The calls the posting flow makes to one tenant's ATS.
#[async_trait]
pub trait AtsConnector: Send + Sync {
    /// Which ATS this is.
    fn ats(&self) -> Ats;

    /// Candidates with this (normalized) e-mail, straight from the ATS: the
    /// fallback when the index has no match. Lever must include confidential
    /// candidates.
    async fn find_candidates_by_email(
        &self,
        tenant: &TenantId,
        email: &str,
    ) -> Result<Vec<IndexedCandidate>, ConnectorError>;

    /// The texts of the notes already on the target, to look for a marker
    /// after an uncertain post.
    async fn note_texts(&self, target: &NoteTarget) -> Result<Vec<String>, ConnectorError>;

    /// Posts a note; returns the ATS's note id when it gave one. Must not
    /// retry on its own unless the request provably was not sent.
    async fn post_note(
        &self,
        target: &NoteTarget,
        body: &str,
    ) -> Result<Option<String>, ConnectorError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification_never_retries_an_uncertain_write_blindly() {
        let server_error = ErrorFacts {
            retryable: true,
            ..Default::default()
        };
        assert_eq!(
            FailureKind::classify(&server_error, true),
            FailureKind::OutcomeUnknown
        );
        assert_eq!(
            FailureKind::classify(&server_error, false),
            FailureKind::Transient { retry_after: None }
        );
        let throttled = ErrorFacts {
            not_applied: true,
            retryable: true,
            retry_after: Some(Duration::from_secs(3)),
            ..Default::default()
        };
        assert_eq!(
            FailureKind::classify(&throttled, true),
            FailureKind::Transient {
                retry_after: Some(Duration::from_secs(3))
            }
        );
        let revoked = ErrorFacts {
            auth: true,
            ..Default::default()
        };
        assert_eq!(FailureKind::classify(&revoked, true), FailureKind::Revoked);
        let gone = ErrorFacts {
            not_found: true,
            ..Default::default()
        };
        assert_eq!(FailureKind::classify(&gone, false), FailureKind::NotFound);
        assert_eq!(
            FailureKind::classify(&ErrorFacts::default(), true),
            FailureKind::Permanent
        );
    }
}

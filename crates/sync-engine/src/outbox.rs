//! The durable note outbox: one entry per (tenant, meeting, ATS, candidate).
//!
//! The key is the duplicate guard: enqueuing the same meeting for the same
//! candidate twice is a no-op, and a worker that finds an entry in
//! [`OutboxState::Sending`] (the outcome of its last post is unknown) first
//! lists the candidate's notes and looks for the entry's marker before it
//! posts again.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::tenant::{Ats, TenantId};

/// The identity of one note: at most one note is ever posted per key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct OutboxKey {
    /// The tenant.
    pub tenant: TenantId,
    /// The platform's meeting id.
    pub meeting_id: String,
    /// The ATS.
    pub ats: Ats,
    /// Lever contact id / Greenhouse candidate id.
    pub candidate_id: String,
}

impl OutboxKey {
    /// The candidate this note is for.
    pub fn into_candidate_key(self) -> crate::index::CandidateKey {
        crate::index::CandidateKey {
            tenant: self.tenant,
            ats: self.ats,
            candidate_id: self.candidate_id,
        }
    }
}

/// Where in the ATS a note goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteTarget {
    /// Lever contact id / Greenhouse candidate id.
    pub candidate_id: String,
    /// Lever: the opportunity the note is added to (Lever shows a note on all of
    /// a candidate's opportunities, so one is enough). Greenhouse: the
    /// application the interview belongs to, informational only (Greenhouse
    /// notes live on the candidate).
    pub application_id: Option<String>,
}

/// Where an entry is in its life.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum OutboxState {
    /// Waiting for (another) attempt at `next_attempt_at`.
    Pending,
    /// A post was started and its outcome was not recorded: the next attempt
    /// must look for the marker before posting.
    Sending,
    /// The ATS accepted the note.
    Posted {
        /// The ATS's note id, when it returned one.
        note_id: Option<String>,
        /// When the engine recorded success.
        at: DateTime<Utc>,
    },
    /// Held because the tenant's credentials were revoked; resumed by
    /// [`Engine::resume_tenant`](crate::Engine::resume_tenant). Nothing is dropped.
    Parked {
        /// Why (no secrets, no personal data).
        reason: String,
    },
    /// Given up after a permanent error (e.g. the candidate no longer exists).
    Failed {
        /// Why (no secrets, no personal data).
        reason: String,
    },
}

impl OutboxState {
    /// Short name used in storage and reports.
    pub fn name(&self) -> &'static str {
        match self {
            OutboxState::Pending => "pending",
            OutboxState::Sending => "sending",
            OutboxState::Posted { .. } => "posted",
            OutboxState::Parked { .. } => "parked",
            OutboxState::Failed { .. } => "failed",
        }
    }

    /// Whether a worker should pick the entry up.
    pub fn is_open(&self) -> bool {
        matches!(self, OutboxState::Pending | OutboxState::Sending)
    }
}

/// One note waiting to be (or already) posted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEntry {
    /// The duplicate guard.
    pub key: OutboxKey,
    /// Where the note goes.
    pub target: NoteTarget,
    /// The rendered note, exactly as it will be posted.
    pub body: String,
    /// The machine-readable marker inside `body` that identifies this meeting's note.
    pub marker: String,
    /// Current state.
    pub state: OutboxState,
    /// Attempts made so far.
    pub attempts: u32,
    /// Earliest time of the next attempt.
    pub next_attempt_at: DateTime<Utc>,
    /// The last error, for operators (no secrets).
    pub last_error: Option<String>,
    /// When the entry was enqueued.
    pub created_at: DateTime<Utc>,
    /// The worker that holds the entry, and until when.
    #[serde(default)]
    pub lease: Option<Lease>,
    /// Advanced on every claimed write: the fencing token that keeps a
    /// worker whose lease expired from overwriting its successor's work.
    #[serde(default)]
    pub version: u64,
}

impl OutboxEntry {
    /// A new pending entry, due now.
    pub fn new(key: OutboxKey, target: NoteTarget, body: String, marker: String) -> Self {
        let now = Utc::now();
        Self {
            key,
            target,
            body,
            marker,
            state: OutboxState::Pending,
            attempts: 0,
            next_attempt_at: now,
            last_error: None,
            created_at: now,
            lease: None,
            version: 0,
        }
    }

    /// Whether some worker holds a lease on the entry that is live at `now`.
    pub fn is_leased_at(&self, now: DateTime<Utc>) -> bool {
        self.lease.as_ref().is_some_and(|l| l.until > now)
    }
}

/// A worker's claim on an outbox entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lease {
    /// The worker (unique per engine instance).
    pub owner: String,
    /// When the claim lapses and another worker may take the entry over.
    pub until: DateTime<Utc>,
}

/// What happened to a candidate's data, for the audit log. Holds no personal
/// data: no names, no e-mails, no ATS ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// The tenant.
    pub tenant: TenantId,
    /// The ATS whose event caused it.
    pub ats: Ats,
    /// What was done.
    pub action: AuditAction,
    /// How many stored rows it touched.
    pub rows: u64,
    /// When.
    pub at: DateTime<Utc>,
}

/// Kinds of audited actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    /// A candidate was deleted in the ATS and purged here.
    CandidatePurged,
    /// A candidate was anonymized in the ATS and purged here.
    CandidateAnonymized,
    /// Two candidates were merged; index and pending notes re-pointed.
    CandidateMerged,
    /// Posting for the tenant was parked after a revoked credential.
    TenantParked,
    /// Posting for the tenant resumed.
    TenantResumed,
}

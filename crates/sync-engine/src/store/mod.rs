//! Durable state: the [`Store`] trait and its two implementations,
//! [`MemoryStore`] (tests, demos) and [`SqliteStore`] (the default durable
//! store: one file, no server, versioned schema migrations).
//!
//! The trait is synchronous on purpose: both implementations answer from
//! memory or a local file in microseconds, and a synchronous trait keeps
//! every method object-safe and callable from any context. Every method that
//! changes more than one row does so atomically.

mod memory;
#[cfg(feature = "sqlite")]
mod sqlite;

#[cfg(test)]
mod conformance;

pub use memory::MemoryStore;
#[cfg(feature = "sqlite")]
pub use sqlite::SqliteStore;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::index::{CandidateKey, IndexedCandidate, IndexedJob, ScheduledInterview};
use crate::outbox::{AuditRecord, OutboxEntry, OutboxKey};
use crate::tenant::{Ats, TenantId};

/// A verified webhook delivery, recorded before the receiver answers 2xx.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// The tenant whose webhook URL received it.
    pub tenant: TenantId,
    /// The sending ATS.
    pub ats: Ats,
    /// Lever's delivery `token` or Greenhouse's `Greenhouse-Event-ID` (or a
    /// hash of the body when Greenhouse sent no id): the dedupe key.
    pub delivery_id: String,
    /// The source's payload for processing (see
    /// [`Verified::payload`](crate::webhook::Verified)). Emptied once the
    /// delivery is processed, so a purged candidate leaves no copy behind.
    pub body: Vec<u8>,
    /// When the receiver recorded it.
    pub received_at: DateTime<Utc>,
    /// Whether the engine has applied it.
    pub processed: bool,
}

/// The engine's durable state. All rows are keyed by tenant; no method returns
/// another tenant's rows.
pub trait Store: Send + Sync + 'static {
    /// Records a delivery; `Ok(false)` when the same (tenant, ATS, delivery id)
    /// was recorded before, in which case nothing changes.
    fn record_delivery(&self, delivery: &Delivery) -> Result<bool>;
    /// Unprocessed deliveries in the order received, at most `limit`.
    fn pending_deliveries(&self, limit: usize) -> Result<Vec<Delivery>>;
    /// Marks a delivery processed and drops its body.
    fn mark_delivery_processed(&self, tenant: &TenantId, ats: Ats, delivery_id: &str)
    -> Result<()>;

    /// Inserts or replaces a candidate and its e-mail index rows.
    fn upsert_candidate(&self, candidate: &IndexedCandidate) -> Result<()>;
    /// One candidate.
    fn candidate(&self, key: &CandidateKey) -> Result<Option<IndexedCandidate>>;
    /// Candidates of one tenant with this normalized e-mail, in any ATS.
    fn candidates_by_email(&self, tenant: &TenantId, email: &str) -> Result<Vec<IndexedCandidate>>;
    /// The candidate that has this application (Lever opportunity /
    /// Greenhouse application), if any.
    fn candidate_by_application(
        &self,
        tenant: &TenantId,
        ats: Ats,
        application_id: &str,
    ) -> Result<Option<IndexedCandidate>>;
    /// Number of candidates indexed for a tenant.
    fn candidate_count(&self, tenant: &TenantId) -> Result<u64>;
    /// Removes the candidate, its e-mails, its interviews and all its outbox
    /// entries (they hold the note text); returns how many rows went.
    fn purge_candidate(&self, key: &CandidateKey) -> Result<u64>;
    /// Folds `from` into the surviving candidate `into_id` of the same tenant
    /// and ATS: applications and e-mails move over, interviews and outbox
    /// entries not yet posted are re-pointed, `from` is removed. Returns the rows touched.
    fn merge_candidate(&self, from: &CandidateKey, into_id: &str) -> Result<u64>;

    /// Inserts or replaces a job.
    fn upsert_job(&self, job: &IndexedJob) -> Result<()>;
    /// The tenant's cached jobs for one ATS.
    fn jobs(&self, tenant: &TenantId, ats: Ats) -> Result<Vec<IndexedJob>>;

    /// Inserts or replaces a scheduled interview.
    fn upsert_interview(&self, interview: &ScheduledInterview) -> Result<()>;
    /// One interview.
    fn interview(
        &self,
        tenant: &TenantId,
        ats: Ats,
        interview_id: &str,
    ) -> Result<Option<ScheduledInterview>>;
    /// Removes one interview, returning it if it existed.
    fn remove_interview(
        &self,
        tenant: &TenantId,
        ats: Ats,
        interview_id: &str,
    ) -> Result<Option<ScheduledInterview>>;
    /// The tenant's scheduled interviews, by start time.
    fn interviews(&self, tenant: &TenantId) -> Result<Vec<ScheduledInterview>>;

    /// Adds an outbox entry; `Ok(false)` (and no change) when its key exists.
    fn enqueue_note(&self, entry: &OutboxEntry) -> Result<bool>;
    /// One outbox entry.
    fn outbox_entry(&self, key: &OutboxKey) -> Result<Option<OutboxEntry>>;
    /// Replaces an existing outbox entry (matched by key).
    fn update_note(&self, entry: &OutboxEntry) -> Result<()>;
    /// Open entries (pending or sending) due at `now`, oldest first, at most `limit`.
    fn due_notes(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<OutboxEntry>>;
    /// All of a tenant's outbox entries, oldest first.
    fn outbox(&self, tenant: &TenantId) -> Result<Vec<OutboxEntry>>;

    /// Appends an audit record.
    fn record_audit(&self, record: &AuditRecord) -> Result<()>;
    /// The tenant's audit log, oldest first.
    fn audit_log(&self, tenant: &TenantId) -> Result<Vec<AuditRecord>>;

    /// A named sync checkpoint (e.g. the `updated_after` of the last full sync).
    fn checkpoint(&self, tenant: &TenantId, name: &str) -> Result<Option<String>>;
    /// Stores a named sync checkpoint.
    fn set_checkpoint(&self, tenant: &TenantId, name: &str, value: &str) -> Result<()>;
}

/// Moves the loser's applications and e-mails into the survivor (shared by
/// both stores so a merge means the same thing everywhere).
fn merge_into(survivor: &mut IndexedCandidate, loser: IndexedCandidate) {
    for app in loser.applications {
        if !survivor.applications.iter().any(|a| a.id == app.id) {
            survivor.applications.push(app);
        }
    }
    for email in loser.emails {
        if !survivor.emails.contains(&email) {
            survivor.emails.push(email);
        }
    }
    survivor.updated_at = survivor.updated_at.max(loser.updated_at);
}

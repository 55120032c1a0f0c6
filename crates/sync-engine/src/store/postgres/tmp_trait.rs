#![allow(missing_docs, dead_code)]
use crate::error::Result;
use crate::index::{CandidateKey, IndexedCandidate, IndexedJob, ScheduledInterview};
use crate::outbox::{AuditRecord, OutboxEntry, OutboxKey};
use crate::store::{Delivery, PruneReport, TombstoneKind};
use crate::tenant::{Ats, TenantId};
use chrono::{DateTime, Utc};
#[async_trait::async_trait]
pub trait Store: Send + Sync + 'static {
    /// Records a delivery; `Ok(false)` when the same (tenant, ATS, delivery
    /// id), or the same (tenant, ATS, digest), was recorded before, in
    /// which case nothing changes.
    async fn record_delivery(&self, delivery: &Delivery) -> Result<bool>;
    /// Unprocessed, unparked deliveries due at `now`, at most `limit`, fair
    /// across tenants: each tenant's oldest first, taken round-robin, so one
    /// tenant's backlog never starves another's.
    async fn pending_deliveries(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<Delivery>>;
    /// Marks a delivery processed and drops its body.
    async fn mark_delivery_processed(
        &self,
        tenant: &TenantId,
        ats: Ats,
        delivery_id: &str,
    ) -> Result<()>;
    /// Records a failed processing attempt: the delivery stays queued with
    /// its `attempts`, `next_attempt_at`, `parked` and `last_error` as given.
    async fn retry_delivery(&self, delivery: &Delivery) -> Result<()>;
    /// Un-parks a tenant's deliveries for one ATS (it reconnected); returns how many.
    async fn resume_deliveries(&self, tenant: &TenantId, ats: Ats) -> Result<u64>;

    /// Inserts or replaces a candidate and its e-mail index rows; returns
    /// `false` (and writes nothing) when the candidate has a tombstone.
    async fn upsert_candidate(&self, candidate: &IndexedCandidate) -> Result<bool>;
    /// One candidate.
    async fn candidate(&self, key: &CandidateKey) -> Result<Option<IndexedCandidate>>;
    /// Candidates of one tenant with this normalized e-mail, in any ATS.
    async fn candidates_by_email(
        &self,
        tenant: &TenantId,
        email: &str,
    ) -> Result<Vec<IndexedCandidate>>;
    /// The candidate that has this application (Lever opportunity /
    /// Greenhouse application), if any.
    async fn candidate_by_application(
        &self,
        tenant: &TenantId,
        ats: Ats,
        application_id: &str,
    ) -> Result<Option<IndexedCandidate>>;
    /// Number of candidates indexed for a tenant.
    async fn candidate_count(&self, tenant: &TenantId) -> Result<u64>;
    /// Every id the person behind `key` has had here: `key`'s own id and
    /// the ids of candidates merged into it (transitively).
    async fn candidate_ids(&self, key: &CandidateKey) -> Result<Vec<String>>;
    /// Removes the candidate under every id it has had (see
    /// [`candidate_ids`](Store::candidate_ids)): its rows, e-mails,
    /// applications, interviews (by candidate and by application) and all
    /// its outbox entries (they hold the note text), in one transaction;
    /// with `tombstone_at`, also writes a candidate tombstone for each id.
    /// Returns how many rows went.
    async fn purge_candidate(
        &self,
        key: &CandidateKey,
        tombstone_at: Option<DateTime<Utc>>,
    ) -> Result<u64>;
    /// Folds `from` into the surviving candidate `into_id` of the same tenant
    /// and ATS: applications and e-mails move over, interviews and every
    /// outbox entry are re-pointed (for one meeting a posted entry beats an
    /// unposted one, and the survivor's entry wins a tie), `from` becomes an
    /// alias of the survivor. Returns the rows touched.
    async fn merge_candidate(&self, from: &CandidateKey, into_id: &str) -> Result<u64>;

    /// Records that a key is deleted for good.
    async fn add_tombstone(
        &self,
        tenant: &TenantId,
        ats: Ats,
        kind: TombstoneKind,
        id: &str,
        at: DateTime<Utc>,
    ) -> Result<()>;
    /// When the key was deleted, if it was.
    async fn tombstone(
        &self,
        tenant: &TenantId,
        ats: Ats,
        kind: TombstoneKind,
        id: &str,
    ) -> Result<Option<DateTime<Utc>>>;

    /// Inserts or replaces a job.
    async fn upsert_job(&self, job: &IndexedJob) -> Result<()>;
    /// The tenant's cached jobs for one ATS.
    async fn jobs(&self, tenant: &TenantId, ats: Ats) -> Result<Vec<IndexedJob>>;

    /// Inserts or replaces a scheduled interview.
    async fn upsert_interview(&self, interview: &ScheduledInterview) -> Result<()>;
    /// One interview.
    async fn interview(
        &self,
        tenant: &TenantId,
        ats: Ats,
        interview_id: &str,
    ) -> Result<Option<ScheduledInterview>>;
    /// Removes one interview, returning it if it existed.
    async fn remove_interview(
        &self,
        tenant: &TenantId,
        ats: Ats,
        interview_id: &str,
    ) -> Result<Option<ScheduledInterview>>;
    /// The tenant's scheduled interviews, by start time.
    async fn interviews(&self, tenant: &TenantId) -> Result<Vec<ScheduledInterview>>;
    /// The interviews of one person: by any of `candidate_ids` or by any of
    /// `application_ids` (Greenhouse interviews may name only the application).
    async fn candidate_interviews(
        &self,
        tenant: &TenantId,
        ats: Ats,
        candidate_ids: &[String],
        application_ids: &[String],
    ) -> Result<Vec<ScheduledInterview>>;

    /// Adds an outbox entry; `Ok(false)` (and no change) when its key exists.
    async fn enqueue_note(&self, entry: &OutboxEntry) -> Result<bool>;
    /// One outbox entry.
    async fn outbox_entry(&self, key: &OutboxKey) -> Result<Option<OutboxEntry>>;
    /// Atomically leases up to `limit` open entries due at `now` whose lease
    /// is absent or expired to `owner` until `until`, fair across tenants
    /// (each tenant's most overdue first, taken round-robin), and returns
    /// them with the lease set and `version` advanced.
    async fn claim_due_notes(
        &self,
        owner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<OutboxEntry>>;
    /// Writes a claimed entry, fenced: succeeds only if the stored entry
    /// still has `entry.version` (every claim and every other write
    /// advances it, so only the current holder's copy matches); then
    /// stores it with `version` advanced (and updates `entry.version` to
    /// match). Setting `entry.lease` to `None` releases the claim.
    /// Otherwise [`Error::LeaseLost`](crate::Error::LeaseLost) and nothing changes.
    async fn update_claimed(&self, entry: &mut OutboxEntry) -> Result<()>;
    /// Parks every open entry of `tenant` for `ats` that no live lease
    /// holds (at `now`); returns how many.
    async fn park_notes(
        &self,
        tenant: &TenantId,
        ats: Ats,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<u64>;
    /// Makes every parked entry of `tenant` for `ats` due at `now` in the
    /// `sending` state (the marker is checked before any post); returns how many.
    async fn resume_notes(&self, tenant: &TenantId, ats: Ats, now: DateTime<Utc>) -> Result<u64>;
    /// Open entries (pending or sending) due at `now`, oldest first, at
    /// most `limit`, for inspection. Workers use
    /// [`claim_due_notes`](Store::claim_due_notes).
    async fn due_notes(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<OutboxEntry>>;
    /// All of a tenant's outbox entries, oldest first.
    async fn outbox(&self, tenant: &TenantId) -> Result<Vec<OutboxEntry>>;
    /// A tenant's entries in one state ([`OutboxState::name`](crate::outbox::OutboxState::name)), oldest first.
    async fn notes_in_state(&self, tenant: &TenantId, state: &str) -> Result<Vec<OutboxEntry>>;

    /// Appends an audit record.
    async fn record_audit(&self, record: &AuditRecord) -> Result<()>;
    /// The tenant's audit log, oldest first.
    async fn audit_log(&self, tenant: &TenantId) -> Result<Vec<AuditRecord>>;

    /// A named sync checkpoint (e.g. the `updated_after` of the last full sync).
    async fn checkpoint(&self, tenant: &TenantId, name: &str) -> Result<Option<String>>;
    /// Stores a named sync checkpoint.
    async fn set_checkpoint(&self, tenant: &TenantId, name: &str, value: &str) -> Result<()>;

    /// Retention: deletes processed delivery rows received before
    /// `deliveries_before` and clears the body of notes posted before
    /// `note_bodies_before`.
    async fn prune(
        &self,
        deliveries_before: DateTime<Utc>,
        note_bodies_before: DateTime<Utc>,
    ) -> Result<PruneReport>;
    /// Makes deleted data unrecoverable from the store's files where the
    /// backend keeps old page images (SQLite: checkpoints and truncates the
    /// WAL, retrying while another connection blocks it). Returns whether
    /// it completed; the default does nothing and reports success.
    async fn scrub(&self) -> Result<bool> {
        Ok(true)
    }
    /// lease
    async fn acquire_sync_lease(
        &self,
        tenant: &TenantId,
        ats: Ats,
        owner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<bool>;
    /// release
    async fn release_sync_lease(&self, tenant: &TenantId, ats: Ats, owner: &str) -> Result<()>;
    /// wait
    async fn wait_for_work(&self, timeout: std::time::Duration);
}

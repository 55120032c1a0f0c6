//! Durable state: the [`Store`] trait and its implementations,
//! [`MemoryStore`] (tests, demos), [`SqliteStore`] (the default durable
//! store: one file, no server, versioned schema migrations) and, behind the
//! `postgres` feature, a PostgreSQL store for several replicas.
//!
//! The trait is async: a database round trip must never hold a tokio
//! worker. The memory and SQLite stores are written against a synchronous
//! twin of the trait (`BlockingStore`) and get the async one from a single
//! macro: the memory store answers in place, the SQLite store runs each
//! call on tokio's blocking pool. Every method that changes more than one
//! row does so atomically.
//!
//! Deletion is final: [`Store::purge_candidate`] writes a tombstone (tenant,
//! ATS, id, time: no personal data) and [`Store::upsert_candidate`] refuses a
//! tombstoned key, so no late or replayed update can bring a person back.

#[macro_use]
mod derive;
#[cfg(feature = "sqlite")]
mod group_commit;
mod memory;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "sqlite")]
mod sqlite;

#[cfg(test)]
mod conformance;

pub use memory::MemoryStore;
#[cfg(feature = "postgres")]
pub use postgres::{DEFAULT_POOL_SIZE, PostgresStore, PostgresStoreBuilder};
#[cfg(feature = "sqlite")]
pub use sqlite::SqliteStore;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
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
    /// SHA-256 (hex) of the raw signed body: a second dedupe key, because
    /// Greenhouse's `Greenhouse-Event-ID` header is not covered by the
    /// signature, so a replayed body may arrive with a fresh id.
    pub digest: Option<String>,
    /// The source's payload for processing (see
    /// [`Verified::payload`](crate::webhook::Verified)). Emptied once the
    /// delivery is processed, so a purged candidate leaves no copy behind.
    pub body: Vec<u8>,
    /// When the receiver recorded it.
    pub received_at: DateTime<Utc>,
    /// Whether the engine has applied it.
    pub processed: bool,
    /// Processing attempts that failed so far.
    pub attempts: u32,
    /// Earliest time of the next processing attempt.
    pub next_attempt_at: DateTime<Utc>,
    /// Held until the tenant reconnects this ATS (its credentials were
    /// revoked while the delivery needed the API). Never dropped.
    pub parked: bool,
    /// The last processing error, for operators (no secrets).
    pub last_error: Option<String>,
}

impl Delivery {
    /// A fresh, unprocessed delivery received now.
    pub fn new(tenant: TenantId, ats: Ats, delivery_id: impl Into<String>, body: Vec<u8>) -> Self {
        let now = Utc::now();
        Self {
            tenant,
            ats,
            delivery_id: delivery_id.into(),
            digest: None,
            body,
            received_at: now,
            processed: false,
            attempts: 0,
            next_attempt_at: now,
            parked: false,
            last_error: None,
        }
    }

    /// Sets the digest of the raw signed body (builder style).
    pub fn with_digest(mut self, digest: impl Into<String>) -> Self {
        self.digest = Some(digest.into());
        self
    }
}

/// What a record of deletion remembers: no personal data, only which key
/// is gone, so that a late or replayed update cannot bring it back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TombstoneKind {
    /// A person (Lever contact, Greenhouse candidate).
    Candidate,
    /// One application (Lever opportunity, Greenhouse application).
    Application,
}

impl TombstoneKind {
    fn as_str(self) -> &'static str {
        match self {
            TombstoneKind::Candidate => "candidate",
            TombstoneKind::Application => "application",
        }
    }
}

/// What [`Store::prune`] removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PruneReport {
    /// Processed delivery rows (dedupe keys) deleted.
    pub deliveries: u64,
    /// Posted notes whose body was cleared (the entry stays, so
    /// re-processing the meeting still finds it posted).
    pub note_bodies: u64,
}

/// One versioned record of the generic record family (see
/// [`Store::record`]): tenants, connections, OAuth states and tokens are
/// kept this way, so every store persists them with one primitive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRecord {
    /// The record's value (the caller's encoding, usually JSON; secrets
    /// inside it are encrypted by the caller).
    pub value: String,
    /// Starts at 1 and grows by one with every write: the compare-and-set
    /// token of [`Store::put_record`] and [`Store::delete_record`].
    pub version: u64,
    /// When it was last written.
    pub updated_at: DateTime<Utc>,
}

/// The engine's durable state. All rows are keyed by tenant; no method returns
/// another tenant's rows.
///
/// ## Outbox claims
/// Workers (several tasks, processes or replicas) never pick entries with a
/// plain read: [`claim_due_notes`](Store::claim_due_notes) atomically leases
/// due entries to one owner, and every later change under that claim goes
/// through [`update_claimed`](Store::update_claimed), which is fenced by
/// the entry's `version`: it fails with [`Error::LeaseLost`] when another
/// writer changed the entry since the claim. An expired lease (its worker
/// died) is claimed again. A PostgreSQL store implements the same contract
/// with `FOR UPDATE SKIP LOCKED`.
#[async_trait]
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
    /// Leases one unprocessed delivery to `owner` until `until`, so that one
    /// worker (task, process or replica) processes it at a time: `Ok(true)`
    /// when no other owner holds a live lease on it (at `now`). Processing
    /// it twice at once could, for instance, schedule two recordings of one
    /// interview. [`mark_delivery_processed`](Store::mark_delivery_processed)
    /// and [`retry_delivery`](Store::retry_delivery) end the lease; a
    /// worker that died leaves one that lapses at `until`.
    async fn claim_delivery(
        &self,
        tenant: &TenantId,
        ats: Ats,
        delivery_id: &str,
        owner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<bool>;
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
    /// Otherwise [`Error::LeaseLost`] and nothing changes.
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
    /// Takes or extends the Sync-now lease of one tenant's ATS for `owner`
    /// until `until`: `Ok(true)` when no other owner holds a live lease (at
    /// `now`), so one sync per tenant and ATS runs at a time across workers,
    /// processes and replicas; `Ok(false)` and no change otherwise.
    async fn acquire_sync_lease(
        &self,
        tenant: &TenantId,
        ats: Ats,
        owner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<bool>;
    /// Ends `owner`'s Sync-now lease (another owner's lease is left alone).
    async fn release_sync_lease(&self, tenant: &TenantId, ats: Ats, owner: &str) -> Result<()>;
    /// Waits until new work may be due (a delivery recorded, a note queued
    /// or resumed through this store or, where the backend can tell, another
    /// process's store), or `timeout` passes. Workers call it between
    /// passes instead of polling in a tight loop; a wake-up may be spurious
    /// and one may be missed, so `timeout` bounds the wait.
    async fn wait_for_work(&self, timeout: Duration);
    /// What the index holds about the people one sync page names, in one
    /// read: the stored candidates among `candidate_ids`, and which of
    /// `candidate_ids` and `application_ids` have tombstones. The sync
    /// merges a whole page against it in memory instead of asking once
    /// per item. The default asks once per id; the bundled stores answer
    /// in one call.
    async fn candidate_snapshot(
        &self,
        tenant: &TenantId,
        ats: Ats,
        candidate_ids: &[String],
        application_ids: &[String],
    ) -> Result<CandidateSnapshot> {
        let mut snapshot = CandidateSnapshot::default();
        for id in candidate_ids {
            let key = CandidateKey {
                tenant: tenant.clone(),
                ats,
                candidate_id: id.clone(),
            };
            if let Some(c) = self.candidate(&key).await? {
                snapshot.candidates.push(c);
            }
            if self
                .tombstone(tenant, ats, TombstoneKind::Candidate, id)
                .await?
                .is_some()
            {
                snapshot.deleted_candidates.push(id.clone());
            }
        }
        for id in application_ids {
            if self
                .tombstone(tenant, ats, TombstoneKind::Application, id)
                .await?
                .is_some()
            {
                snapshot.deleted_applications.push(id.clone());
            }
        }
        Ok(snapshot)
    }
    /// Inserts or replaces every candidate (with its e-mail and
    /// application index rows) in one transaction, so a sync page costs
    /// one commit; per candidate, in order, whether it was written:
    /// `false` (and nothing written for it) when its key has a tombstone,
    /// exactly as [`upsert_candidate`](Store::upsert_candidate). The
    /// default calls `upsert_candidate` once per candidate; the bundled
    /// stores write the batch atomically.
    async fn apply_candidates(&self, candidates: &[IndexedCandidate]) -> Result<Vec<bool>> {
        let mut written = Vec::with_capacity(candidates.len());
        for c in candidates {
            written.push(self.upsert_candidate(c).await?);
        }
        Ok(written)
    }
    /// One record of the generic record family: `kind` names the family
    /// (e.g. `connection`), `key` the record inside it (e.g. a tenant id).
    async fn record(&self, kind: &str, key: &str) -> Result<Option<StoredRecord>>;
    /// Writes a record with compare-and-set: `expected_version` `None`
    /// means the record must not exist yet, `Some(v)` that it must be at
    /// version `v`. Returns the new version, or `None` (and no change) when
    /// the expectation failed, so of two writers holding the same version
    /// exactly one wins (a rotated refresh token is never overwritten by a
    /// stale copy).
    async fn put_record(
        &self,
        kind: &str,
        key: &str,
        value: &str,
        expected_version: Option<u64>,
    ) -> Result<Option<u64>>;
    /// Deletes a record: with `expected_version`, only while it is at that
    /// version (so of two takers of a single-use record only one wins);
    /// with `None`, whatever its version. Whether a record was deleted.
    async fn delete_record(
        &self,
        kind: &str,
        key: &str,
        expected_version: Option<u64>,
    ) -> Result<bool>;
    /// Every record of one kind, by key.
    async fn records(&self, kind: &str) -> Result<Vec<(String, StoredRecord)>>;
}

/// The synchronous form of [`Store`], with the same contract, for the
/// stores that answer from memory or a local file; [`Store`] is derived
/// from it (see `async_store!`).
pub(crate) trait BlockingStore: Send + Sync + 'static {
    fn record_delivery(&self, delivery: &Delivery) -> Result<bool>;
    /// Hands `delivery` to a group-commit writer without holding a thread
    /// while it waits, when the store has one (a SQLite file); the receipt
    /// resolves after the commit that holds it. `Err` gives the delivery
    /// back: record it with [`BlockingStore::record_delivery`] instead.
    fn submit_delivery(
        &self,
        delivery: Delivery,
    ) -> std::result::Result<DeliveryReceipt, Box<Delivery>> {
        Err(Box::new(delivery))
    }
    fn pending_deliveries(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<Delivery>>;
    fn mark_delivery_processed(&self, tenant: &TenantId, ats: Ats, delivery_id: &str)
    -> Result<()>;
    fn retry_delivery(&self, delivery: &Delivery) -> Result<()>;
    fn claim_delivery(
        &self,
        tenant: &TenantId,
        ats: Ats,
        delivery_id: &str,
        owner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<bool>;
    fn resume_deliveries(&self, tenant: &TenantId, ats: Ats) -> Result<u64>;
    fn upsert_candidate(&self, candidate: &IndexedCandidate) -> Result<bool>;
    fn candidate(&self, key: &CandidateKey) -> Result<Option<IndexedCandidate>>;
    fn candidates_by_email(&self, tenant: &TenantId, email: &str) -> Result<Vec<IndexedCandidate>>;
    fn candidate_by_application(
        &self,
        tenant: &TenantId,
        ats: Ats,
        application_id: &str,
    ) -> Result<Option<IndexedCandidate>>;
    fn candidate_count(&self, tenant: &TenantId) -> Result<u64>;
    fn candidate_ids(&self, key: &CandidateKey) -> Result<Vec<String>>;
    fn purge_candidate(
        &self,
        key: &CandidateKey,
        tombstone_at: Option<DateTime<Utc>>,
    ) -> Result<u64>;
    fn merge_candidate(&self, from: &CandidateKey, into_id: &str) -> Result<u64>;
    fn add_tombstone(
        &self,
        tenant: &TenantId,
        ats: Ats,
        kind: TombstoneKind,
        id: &str,
        at: DateTime<Utc>,
    ) -> Result<()>;
    fn tombstone(
        &self,
        tenant: &TenantId,
        ats: Ats,
        kind: TombstoneKind,
        id: &str,
    ) -> Result<Option<DateTime<Utc>>>;
    fn upsert_job(&self, job: &IndexedJob) -> Result<()>;
    fn jobs(&self, tenant: &TenantId, ats: Ats) -> Result<Vec<IndexedJob>>;
    fn upsert_interview(&self, interview: &ScheduledInterview) -> Result<()>;
    fn interview(
        &self,
        tenant: &TenantId,
        ats: Ats,
        interview_id: &str,
    ) -> Result<Option<ScheduledInterview>>;
    fn remove_interview(
        &self,
        tenant: &TenantId,
        ats: Ats,
        interview_id: &str,
    ) -> Result<Option<ScheduledInterview>>;
    fn interviews(&self, tenant: &TenantId) -> Result<Vec<ScheduledInterview>>;
    fn candidate_interviews(
        &self,
        tenant: &TenantId,
        ats: Ats,
        candidate_ids: &[String],
        application_ids: &[String],
    ) -> Result<Vec<ScheduledInterview>>;
    fn enqueue_note(&self, entry: &OutboxEntry) -> Result<bool>;
    fn outbox_entry(&self, key: &OutboxKey) -> Result<Option<OutboxEntry>>;
    fn claim_due_notes(
        &self,
        owner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<OutboxEntry>>;
    fn update_claimed(&self, entry: &mut OutboxEntry) -> Result<()>;
    fn park_notes(
        &self,
        tenant: &TenantId,
        ats: Ats,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<u64>;
    fn resume_notes(&self, tenant: &TenantId, ats: Ats, now: DateTime<Utc>) -> Result<u64>;
    fn due_notes(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<OutboxEntry>>;
    fn outbox(&self, tenant: &TenantId) -> Result<Vec<OutboxEntry>>;
    fn notes_in_state(&self, tenant: &TenantId, state: &str) -> Result<Vec<OutboxEntry>>;
    fn record_audit(&self, record: &AuditRecord) -> Result<()>;
    fn audit_log(&self, tenant: &TenantId) -> Result<Vec<AuditRecord>>;
    fn checkpoint(&self, tenant: &TenantId, name: &str) -> Result<Option<String>>;
    fn set_checkpoint(&self, tenant: &TenantId, name: &str, value: &str) -> Result<()>;
    fn prune(
        &self,
        deliveries_before: DateTime<Utc>,
        note_bodies_before: DateTime<Utc>,
    ) -> Result<PruneReport>;
    fn scrub(&self) -> Result<bool> {
        Ok(true)
    }
    fn candidate_snapshot(
        &self,
        tenant: &TenantId,
        ats: Ats,
        candidate_ids: &[String],
        application_ids: &[String],
    ) -> Result<CandidateSnapshot>;
    fn apply_candidates(&self, candidates: &[IndexedCandidate]) -> Result<Vec<bool>>;
    fn acquire_sync_lease(
        &self,
        tenant: &TenantId,
        ats: Ats,
        owner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<bool>;
    fn release_sync_lease(&self, tenant: &TenantId, ats: Ats, owner: &str) -> Result<()>;
    fn record(&self, kind: &str, key: &str) -> Result<Option<StoredRecord>>;
    fn put_record(
        &self,
        kind: &str,
        key: &str,
        value: &str,
        expected_version: Option<u64>,
    ) -> Result<Option<u64>>;
    fn delete_record(&self, kind: &str, key: &str, expected_version: Option<u64>) -> Result<bool>;
    fn records(&self, kind: &str) -> Result<Vec<(String, StoredRecord)>>;
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

/// For one meeting, which of two entries survives a merge: a posted entry
/// beats an unposted one (its note is in the ATS, and the ATS moves notes
/// to the survivor), and the survivor's own entry wins a tie.
fn merged_entry_wins(loser: &OutboxEntry, survivor: Option<&OutboxEntry>) -> bool {
    let posted = |e: &OutboxEntry| matches!(e.state, crate::outbox::OutboxState::Posted { .. });
    match survivor {
        None => true,
        Some(s) => posted(loser) && !posted(s),
    }
}

/// Runs a store call in place: for stores that do no I/O.
pub(crate) async fn run_in_place<B, T>(db: &Arc<B>, call: impl FnOnce(&B) -> T) -> Result<T> {
    Ok(call(db))
}

/// Runs a store call on tokio's blocking pool, so that no async worker
/// waits on the disk. A panic inside the call becomes an error.
pub(crate) async fn run_blocking<B, T>(
    db: &Arc<B>,
    call: impl FnOnce(&B) -> T + Send + 'static,
) -> Result<T>
where
    B: Send + Sync + 'static,
    T: Send + 'static,
{
    let db = Arc::clone(db);
    tokio::task::spawn_blocking(move || call(&db))
        .await
        .map_err(|e| Error::Store(format!("a store call did not finish: {e}")))
}

/// The answer of a group-committed [`BlockingStore::submit_delivery`].
pub(crate) type DeliveryReceipt = tokio::sync::oneshot::Receiver<Result<bool>>;

/// Waits for a [`DeliveryReceipt`].
pub(crate) async fn delivery_committed(receipt: DeliveryReceipt) -> Result<bool> {
    receipt
        .await
        .unwrap_or_else(|_| Err(Error::Store("the delivery writer stopped".into())))
}

/// Wakes [`Store::wait_for_work`] callers after a write that may have made
/// work due.
pub(crate) fn wake_if_ok<T>(wake: &tokio::sync::Notify, out: &Result<T>) {
    if out.is_ok() {
        wake.notify_waiters();
    }
}

/// What [`Store::candidate_snapshot`] found: the stored side of one sync
/// page.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct CandidateSnapshot {
    /// The stored candidates among the ids asked for (absent ones are new).
    pub candidates: Vec<IndexedCandidate>,
    /// The asked-for candidate ids that have a candidate tombstone.
    pub deleted_candidates: Vec<String>,
    /// The asked-for application ids that have an application tombstone.
    pub deleted_applications: Vec<String>,
}

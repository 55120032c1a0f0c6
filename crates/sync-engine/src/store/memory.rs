//! An in-memory [`Store`], for tests and demos. Nothing survives the process.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Utc};

use super::{BlockingStore, CandidateSnapshot, Delivery, PruneReport, TombstoneKind};
use crate::error::{Error, Result};
use crate::index::{CandidateKey, IndexedCandidate, IndexedJob, ScheduledInterview};
use crate::outbox::{AuditRecord, Lease, OutboxEntry, OutboxKey, OutboxState};
use crate::tenant::{Ats, TenantId};

type DeliveryKey = (TenantId, Ats, String);
type RowKey = (TenantId, Ats, String);
type TombstoneKey = (TenantId, Ats, TombstoneKind, String);

#[derive(Default)]
struct Inner {
    deliveries: BTreeMap<DeliveryKey, (u64, Delivery)>,
    /// (tenant, ats, body digest) of every stored delivery that has one:
    /// the dedupe by body is a lookup, not a scan.
    delivery_digests: std::collections::BTreeSet<RowKey>,
    next_seq: u64,
    candidates: BTreeMap<CandidateKey, IndexedCandidate>,
    /// (tenant, ats, application id) → the candidate that owns it: the last
    /// one written that names it, as the SQL stores' application rows.
    application_owners: BTreeMap<RowKey, String>,
    /// (tenant, ats, alias id) → the id it was merged into.
    aliases: BTreeMap<RowKey, String>,
    tombstones: BTreeMap<TombstoneKey, DateTime<Utc>>,
    jobs: BTreeMap<RowKey, IndexedJob>,
    interviews: BTreeMap<RowKey, ScheduledInterview>,
    outbox: BTreeMap<OutboxKey, OutboxEntry>,
    audit: Vec<AuditRecord>,
    checkpoints: BTreeMap<(TenantId, String), String>,
    /// Delivery → (owner, until) of its processing lease.
    delivery_leases: BTreeMap<DeliveryKey, (String, DateTime<Utc>)>,
    /// (tenant, ats) → (owner, until) of the Sync-now lease.
    sync_leases: BTreeMap<(TenantId, Ats), (String, DateTime<Utc>)>,
    /// (kind, key) → the record of the generic record family.
    records: BTreeMap<(String, String), super::StoredRecord>,
}

/// A [`Store`](super::Store) that keeps everything in mutex-guarded maps.
#[derive(Default)]
pub struct MemoryStore {
    db: Arc<MemoryDb>,
    wake: tokio::sync::Notify,
}

async_store!(MemoryStore, db, wake, crate::store::run_in_place);

#[derive(Default)]
struct MemoryDb {
    inner: Mutex<Inner>,
}

impl std::fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryStore").finish_non_exhaustive()
    }
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
}

impl MemoryDb {
    fn lock(&self) -> Result<MutexGuard<'_, Inner>> {
        self.inner
            .lock()
            .map_err(|_| Error::Store("memory store lock poisoned by a panic".into()))
    }
}

fn owned_by(key: &OutboxKey, tenant: &TenantId, ats: Ats, ids: &[String]) -> bool {
    &key.tenant == tenant && key.ats == ats && ids.contains(&key.candidate_id)
}

/// Round-robin across tenants: each tenant's items in `order`, then the
/// first of every tenant, the second of every tenant, and so on.
fn fair<T>(mut items: Vec<T>, tenant: impl Fn(&T) -> &TenantId, limit: usize) -> Vec<T> {
    let mut by_tenant: BTreeMap<TenantId, Vec<T>> = BTreeMap::new();
    for item in items.drain(..) {
        by_tenant
            .entry(tenant(&item).clone())
            .or_default()
            .push(item);
    }
    let mut queues: Vec<std::collections::VecDeque<T>> =
        by_tenant.into_values().map(Into::into).collect();
    let mut out = Vec::new();
    while out.len() < limit && queues.iter().any(|q| !q.is_empty()) {
        for q in &mut queues {
            if out.len() < limit
                && let Some(item) = q.pop_front()
            {
                out.push(item);
            }
        }
    }
    out
}

impl Inner {
    fn ids_of(&self, key: &CandidateKey) -> Vec<String> {
        let mut ids = vec![key.candidate_id.clone()];
        let mut i = 0;
        while i < ids.len() {
            let current = ids[i].clone();
            for ((t, a, alias), into) in &self.aliases {
                if t == &key.tenant && *a == key.ats && into == &current && !ids.contains(alias) {
                    ids.push(alias.clone());
                }
            }
            i += 1;
        }
        ids
    }

    /// Stores `c` (replacing the person's previous row) and its
    /// application ownership.
    fn put_candidate(&mut self, c: &IndexedCandidate) {
        let old = self.candidates.insert(c.key.clone(), c.clone());
        self.disown_applications(old.as_ref());
        self.own_applications(c);
    }

    /// Removes the person's row and the applications it owned.
    fn take_candidate(&mut self, key: &CandidateKey) -> Option<IndexedCandidate> {
        let old = self.candidates.remove(key);
        self.disown_applications(old.as_ref());
        old
    }

    fn disown_applications(&mut self, old: Option<&IndexedCandidate>) {
        for app in old.iter().flat_map(|c| &c.applications) {
            let k = old.map(|c| (c.key.tenant.clone(), c.key.ats, app.id.clone()));
            if let Some(k) = k
                && self.application_owners.get(&k) == old.map(|c| &c.key.candidate_id)
            {
                self.application_owners.remove(&k);
            }
        }
    }

    fn own_applications(&mut self, c: &IndexedCandidate) {
        for app in &c.applications {
            self.application_owners.insert(
                (c.key.tenant.clone(), c.key.ats, app.id.clone()),
                c.key.candidate_id.clone(),
            );
        }
    }

    fn is_tombstoned(&self, key: &CandidateKey) -> bool {
        self.tombstones.contains_key(&(
            key.tenant.clone(),
            key.ats,
            TombstoneKind::Candidate,
            key.candidate_id.clone(),
        ))
    }
}

impl BlockingStore for MemoryDb {
    fn record_delivery(&self, delivery: &Delivery) -> Result<bool> {
        let mut inner = self.lock()?;
        let key = (
            delivery.tenant.clone(),
            delivery.ats,
            delivery.delivery_id.clone(),
        );
        let digest_key = delivery
            .digest
            .as_ref()
            .map(|digest| (delivery.tenant.clone(), delivery.ats, digest.clone()));
        let same_body = digest_key
            .as_ref()
            .is_some_and(|k| inner.delivery_digests.contains(k));
        if same_body || inner.deliveries.contains_key(&key) {
            return Ok(false);
        }
        if let Some(k) = digest_key {
            inner.delivery_digests.insert(k);
        }
        inner.next_seq += 1;
        let seq = inner.next_seq;
        inner.deliveries.insert(key, (seq, delivery.clone()));
        Ok(true)
    }

    fn pending_deliveries(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<Delivery>> {
        let inner = self.lock()?;
        let mut pending: Vec<_> = inner
            .deliveries
            .values()
            .filter(|(_, d)| !d.processed && !d.parked && d.next_attempt_at <= now)
            .collect();
        pending.sort_by_key(|(seq, _)| *seq);
        let pending = pending.into_iter().map(|(_, d)| d.clone()).collect();
        Ok(fair(pending, |d: &Delivery| &d.tenant, limit))
    }

    fn mark_delivery_processed(&self, tenant: &TenantId, ats: Ats, id: &str) -> Result<()> {
        let mut inner = self.lock()?;
        let key = (tenant.clone(), ats, id.to_owned());
        inner.delivery_leases.remove(&key);
        if let Some((_, d)) = inner.deliveries.get_mut(&key) {
            d.processed = true;
            d.body.clear();
        }
        Ok(())
    }

    fn retry_delivery(&self, delivery: &Delivery) -> Result<()> {
        let mut inner = self.lock()?;
        let key = (
            delivery.tenant.clone(),
            delivery.ats,
            delivery.delivery_id.clone(),
        );
        inner.delivery_leases.remove(&key);
        if let Some((_, d)) = inner.deliveries.get_mut(&key) {
            d.attempts = delivery.attempts;
            d.next_attempt_at = delivery.next_attempt_at;
            d.parked = delivery.parked;
            d.last_error.clone_from(&delivery.last_error);
        }
        Ok(())
    }

    fn claim_delivery(
        &self,
        tenant: &TenantId,
        ats: Ats,
        delivery_id: &str,
        owner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<bool> {
        let mut inner = self.lock()?;
        let key = (tenant.clone(), ats, delivery_id.to_owned());
        let open = inner
            .deliveries
            .get(&key)
            .is_some_and(|(_, d)| !d.processed);
        let taken = inner
            .delivery_leases
            .get(&key)
            .is_some_and(|(holder, expires)| holder != owner && *expires > now);
        if !open || taken {
            return Ok(false);
        }
        inner.delivery_leases.insert(key, (owner.to_owned(), until));
        Ok(true)
    }

    fn resume_deliveries(&self, tenant: &TenantId, ats: Ats) -> Result<u64> {
        let mut inner = self.lock()?;
        let mut n = 0;
        for (_, d) in inner.deliveries.values_mut() {
            if &d.tenant == tenant && d.ats == ats && d.parked && !d.processed {
                d.parked = false;
                d.next_attempt_at = Utc::now();
                n += 1;
            }
        }
        Ok(n)
    }

    fn upsert_candidate(&self, candidate: &IndexedCandidate) -> Result<bool> {
        let mut inner = self.lock()?;
        if inner.is_tombstoned(&candidate.key) {
            return Ok(false);
        }
        inner.put_candidate(candidate);
        Ok(true)
    }

    fn candidate(&self, key: &CandidateKey) -> Result<Option<IndexedCandidate>> {
        Ok(self.lock()?.candidates.get(key).cloned())
    }

    fn candidates_by_email(&self, tenant: &TenantId, email: &str) -> Result<Vec<IndexedCandidate>> {
        let inner = self.lock()?;
        Ok(inner
            .candidates
            .values()
            .filter(|c| &c.key.tenant == tenant && c.emails.iter().any(|e| e == email))
            .cloned()
            .collect())
    }

    fn candidate_by_application(
        &self,
        tenant: &TenantId,
        ats: Ats,
        application_id: &str,
    ) -> Result<Option<IndexedCandidate>> {
        let inner = self.lock()?;
        let owner = inner
            .application_owners
            .get(&(tenant.clone(), ats, application_id.to_owned()));
        Ok(owner.and_then(|id| {
            inner
                .candidates
                .get(&CandidateKey {
                    tenant: tenant.clone(),
                    ats,
                    candidate_id: id.clone(),
                })
                .cloned()
        }))
    }

    fn candidate_count(&self, tenant: &TenantId) -> Result<u64> {
        let inner = self.lock()?;
        Ok(inner
            .candidates
            .keys()
            .filter(|k| &k.tenant == tenant)
            .count() as u64)
    }

    fn candidate_ids(&self, key: &CandidateKey) -> Result<Vec<String>> {
        Ok(self.lock()?.ids_of(key))
    }

    fn purge_candidate(
        &self,
        key: &CandidateKey,
        tombstone_at: Option<DateTime<Utc>>,
    ) -> Result<u64> {
        let mut inner = self.lock()?;
        let ids = inner.ids_of(key);
        let mut rows = 0;
        let mut applications: Vec<String> = Vec::new();
        for id in &ids {
            let k = CandidateKey {
                candidate_id: id.clone(),
                ..key.clone()
            };
            // Count like the SQL store: the candidate row plus one row per
            // e-mail and per application.
            if let Some(c) = inner.take_candidate(&k) {
                rows += 1 + (c.emails.len() + c.applications.len()) as u64;
                applications.extend(c.applications.into_iter().map(|a| a.id));
            }
            if let Some(at) = tombstone_at {
                inner.tombstones.insert(
                    (
                        key.tenant.clone(),
                        key.ats,
                        TombstoneKind::Candidate,
                        id.clone(),
                    ),
                    at,
                );
            }
            inner
                .aliases
                .remove(&(key.tenant.clone(), key.ats, id.clone()));
        }
        let before = inner.interviews.len();
        inner.interviews.retain(|_, i| {
            !(i.tenant == key.tenant
                && i.ats == key.ats
                && (i.candidate_id.as_ref().is_some_and(|c| ids.contains(c))
                    || i.application_id
                        .as_ref()
                        .is_some_and(|a| applications.contains(a))))
        });
        rows += (before - inner.interviews.len()) as u64;
        let before = inner.outbox.len();
        inner
            .outbox
            .retain(|k, _| !owned_by(k, &key.tenant, key.ats, &ids));
        rows += (before - inner.outbox.len()) as u64;
        Ok(rows)
    }

    fn merge_candidate(&self, from: &CandidateKey, into_id: &str) -> Result<u64> {
        let mut inner = self.lock()?;
        let into_key = CandidateKey {
            candidate_id: into_id.to_owned(),
            ..from.clone()
        };
        if inner.is_tombstoned(&into_key) || from.candidate_id == into_id {
            return Ok(0);
        }
        let mut rows = 0;
        if let Some(loser) = inner.take_candidate(from) {
            rows += 1;
            let survivor =
                inner
                    .candidates
                    .entry(into_key.clone())
                    .or_insert_with(|| IndexedCandidate {
                        key: into_key.clone(),
                        applications: vec![],
                        ..loser.clone()
                    });
            super::merge_into(survivor, loser);
            let survivor = survivor.clone();
            inner.own_applications(&survivor);
        }
        for i in inner.interviews.values_mut() {
            if i.tenant == from.tenant
                && i.ats == from.ats
                && i.candidate_id.as_deref() == Some(&from.candidate_id)
            {
                i.candidate_id = Some(into_id.to_owned());
                rows += 1;
            }
        }
        let moved: Vec<OutboxKey> = inner
            .outbox
            .keys()
            .filter(|k| {
                owned_by(
                    k,
                    &from.tenant,
                    from.ats,
                    std::slice::from_ref(&from.candidate_id),
                )
            })
            .cloned()
            .collect();
        for key in moved {
            let Some(mut entry) = inner.outbox.remove(&key) else {
                continue;
            };
            entry.key.candidate_id = into_id.to_owned();
            entry.target.candidate_id = into_id.to_owned();
            entry.version += 1;
            if super::merged_entry_wins(&entry, inner.outbox.get(&entry.key)) {
                inner.outbox.insert(entry.key.clone(), entry);
            }
            rows += 1;
        }
        for into in inner.aliases.values_mut() {
            if *into == from.candidate_id {
                into_id.clone_into(into);
            }
        }
        inner.aliases.insert(
            (from.tenant.clone(), from.ats, from.candidate_id.clone()),
            into_id.to_owned(),
        );
        Ok(rows)
    }

    fn add_tombstone(
        &self,
        tenant: &TenantId,
        ats: Ats,
        kind: TombstoneKind,
        id: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.lock()?
            .tombstones
            .entry((tenant.clone(), ats, kind, id.to_owned()))
            .or_insert(at);
        Ok(())
    }

    fn tombstone(
        &self,
        tenant: &TenantId,
        ats: Ats,
        kind: TombstoneKind,
        id: &str,
    ) -> Result<Option<DateTime<Utc>>> {
        Ok(self
            .lock()?
            .tombstones
            .get(&(tenant.clone(), ats, kind, id.to_owned()))
            .copied())
    }

    fn upsert_job(&self, job: &IndexedJob) -> Result<()> {
        let key = (job.tenant.clone(), job.ats, job.job_id.clone());
        self.lock()?.jobs.insert(key, job.clone());
        Ok(())
    }

    fn jobs(&self, tenant: &TenantId, ats: Ats) -> Result<Vec<IndexedJob>> {
        let inner = self.lock()?;
        Ok(inner
            .jobs
            .values()
            .filter(|j| &j.tenant == tenant && j.ats == ats)
            .cloned()
            .collect())
    }

    fn upsert_interview(&self, interview: &ScheduledInterview) -> Result<()> {
        let key = (
            interview.tenant.clone(),
            interview.ats,
            interview.interview_id.clone(),
        );
        self.lock()?.interviews.insert(key, interview.clone());
        Ok(())
    }

    fn interview(
        &self,
        tenant: &TenantId,
        ats: Ats,
        interview_id: &str,
    ) -> Result<Option<ScheduledInterview>> {
        let key = (tenant.clone(), ats, interview_id.to_owned());
        Ok(self.lock()?.interviews.get(&key).cloned())
    }

    fn remove_interview(
        &self,
        tenant: &TenantId,
        ats: Ats,
        interview_id: &str,
    ) -> Result<Option<ScheduledInterview>> {
        Ok(self
            .lock()?
            .interviews
            .remove(&(tenant.clone(), ats, interview_id.to_owned())))
    }

    fn interviews(&self, tenant: &TenantId) -> Result<Vec<ScheduledInterview>> {
        let inner = self.lock()?;
        let mut list: Vec<_> = inner
            .interviews
            .values()
            .filter(|i| &i.tenant == tenant)
            .cloned()
            .collect();
        list.sort_by(|a, b| {
            a.start
                .cmp(&b.start)
                .then(a.interview_id.cmp(&b.interview_id))
        });
        Ok(list)
    }

    fn candidate_interviews(
        &self,
        tenant: &TenantId,
        ats: Ats,
        candidate_ids: &[String],
        application_ids: &[String],
    ) -> Result<Vec<ScheduledInterview>> {
        Ok(self
            .interviews(tenant)?
            .into_iter()
            .filter(|i| {
                i.ats == ats
                    && (i
                        .candidate_id
                        .as_ref()
                        .is_some_and(|c| candidate_ids.contains(c))
                        || i.application_id
                            .as_ref()
                            .is_some_and(|a| application_ids.contains(a)))
            })
            .collect())
    }

    fn enqueue_note(&self, entry: &OutboxEntry) -> Result<bool> {
        let mut inner = self.lock()?;
        if inner.outbox.contains_key(&entry.key) {
            return Ok(false);
        }
        inner.outbox.insert(entry.key.clone(), entry.clone());
        Ok(true)
    }

    fn outbox_entry(&self, key: &OutboxKey) -> Result<Option<OutboxEntry>> {
        Ok(self.lock()?.outbox.get(key).cloned())
    }

    fn claim_due_notes(
        &self,
        owner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<OutboxEntry>> {
        let mut inner = self.lock()?;
        let mut due: Vec<OutboxKey> = inner
            .outbox
            .values()
            .filter(|e| e.state.is_open() && e.next_attempt_at <= now && !e.is_leased_at(now))
            .map(|e| e.key.clone())
            .collect();
        due.sort_by(|a, b| {
            let (ea, eb) = (&inner.outbox[a], &inner.outbox[b]);
            (ea.next_attempt_at, ea.created_at, a).cmp(&(eb.next_attempt_at, eb.created_at, b))
        });
        let mut claimed = Vec::new();
        for key in fair(due, |k: &OutboxKey| &k.tenant, limit) {
            let Some(entry) = inner.outbox.get_mut(&key) else {
                continue;
            };
            entry.lease = Some(Lease {
                owner: owner.to_owned(),
                until,
            });
            entry.version += 1;
            claimed.push(entry.clone());
        }
        Ok(claimed)
    }

    fn update_claimed(&self, entry: &mut OutboxEntry) -> Result<()> {
        let mut inner = self.lock()?;
        match inner.outbox.get_mut(&entry.key) {
            Some(slot) if slot.version == entry.version => {
                entry.version += 1;
                *slot = entry.clone();
                Ok(())
            }
            _ => Err(Error::LeaseLost(entry.key.meeting_id.clone())),
        }
    }

    fn park_notes(
        &self,
        tenant: &TenantId,
        ats: Ats,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<u64> {
        let mut inner = self.lock()?;
        let mut n = 0;
        for e in inner.outbox.values_mut() {
            if &e.key.tenant == tenant
                && e.key.ats == ats
                && e.state.is_open()
                && !e.is_leased_at(now)
            {
                e.state = OutboxState::Parked {
                    reason: reason.to_owned(),
                };
                e.lease = None;
                e.version += 1;
                n += 1;
            }
        }
        Ok(n)
    }

    fn resume_notes(&self, tenant: &TenantId, ats: Ats, now: DateTime<Utc>) -> Result<u64> {
        let mut inner = self.lock()?;
        let mut n = 0;
        for e in inner.outbox.values_mut() {
            if &e.key.tenant == tenant
                && e.key.ats == ats
                && matches!(e.state, OutboxState::Parked { .. })
            {
                e.state = OutboxState::Sending;
                e.next_attempt_at = now;
                e.lease = None;
                e.version += 1;
                n += 1;
            }
        }
        Ok(n)
    }

    fn due_notes(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<OutboxEntry>> {
        let inner = self.lock()?;
        let mut due: Vec<_> = inner
            .outbox
            .values()
            .filter(|e| e.state.is_open() && e.next_attempt_at <= now)
            .cloned()
            .collect();
        due.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.key.cmp(&b.key)));
        due.truncate(limit);
        Ok(due)
    }

    fn outbox(&self, tenant: &TenantId) -> Result<Vec<OutboxEntry>> {
        let inner = self.lock()?;
        let mut list: Vec<_> = inner
            .outbox
            .values()
            .filter(|e| &e.key.tenant == tenant)
            .cloned()
            .collect();
        list.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.key.cmp(&b.key)));
        Ok(list)
    }

    fn notes_in_state(&self, tenant: &TenantId, state: &str) -> Result<Vec<OutboxEntry>> {
        Ok(self
            .outbox(tenant)?
            .into_iter()
            .filter(|e| e.state.name() == state)
            .collect())
    }

    fn record_audit(&self, record: &AuditRecord) -> Result<()> {
        self.lock()?.audit.push(record.clone());
        Ok(())
    }

    fn audit_log(&self, tenant: &TenantId) -> Result<Vec<AuditRecord>> {
        let inner = self.lock()?;
        Ok(inner
            .audit
            .iter()
            .filter(|r| &r.tenant == tenant)
            .cloned()
            .collect())
    }

    fn checkpoint(&self, tenant: &TenantId, name: &str) -> Result<Option<String>> {
        Ok(self
            .lock()?
            .checkpoints
            .get(&(tenant.clone(), name.to_owned()))
            .cloned())
    }

    fn set_checkpoint(&self, tenant: &TenantId, name: &str, value: &str) -> Result<()> {
        self.lock()?
            .checkpoints
            .insert((tenant.clone(), name.to_owned()), value.to_owned());
        Ok(())
    }

    fn prune(
        &self,
        deliveries_before: DateTime<Utc>,
        note_bodies_before: DateTime<Utc>,
    ) -> Result<PruneReport> {
        let mut inner = self.lock()?;
        let before = inner.deliveries.len();
        inner
            .deliveries
            .retain(|_, (_, d)| !(d.processed && d.received_at < deliveries_before));
        let deliveries = (before - inner.deliveries.len()) as u64;
        if deliveries > 0 {
            let kept = inner
                .deliveries
                .values()
                .filter_map(|(_, d)| Some((d.tenant.clone(), d.ats, d.digest.clone()?)))
                .collect();
            inner.delivery_digests = kept;
        }
        let mut note_bodies = 0;
        for e in inner.outbox.values_mut() {
            if let OutboxState::Posted { at, .. } = e.state
                && at < note_bodies_before
                && !e.body.is_empty()
            {
                e.body.clear();
                note_bodies += 1;
            }
        }
        Ok(PruneReport {
            deliveries,
            note_bodies,
        })
    }

    fn candidate_snapshot(
        &self,
        tenant: &TenantId,
        ats: Ats,
        candidate_ids: &[String],
        application_ids: &[String],
    ) -> Result<CandidateSnapshot> {
        let inner = self.lock()?;
        let mut snapshot = CandidateSnapshot::default();
        for id in candidate_ids {
            let key = CandidateKey {
                tenant: tenant.clone(),
                ats,
                candidate_id: id.clone(),
            };
            if let Some(c) = inner.candidates.get(&key) {
                snapshot.candidates.push(c.clone());
            }
            if inner.is_tombstoned(&key) {
                snapshot.deleted_candidates.push(id.clone());
            }
        }
        for id in application_ids {
            let key = (tenant.clone(), ats, TombstoneKind::Application, id.clone());
            if inner.tombstones.contains_key(&key) {
                snapshot.deleted_applications.push(id.clone());
            }
        }
        Ok(snapshot)
    }

    fn apply_candidates(&self, candidates: &[IndexedCandidate]) -> Result<Vec<bool>> {
        // One lock for the batch: no reader sees half of it.
        let mut inner = self.lock()?;
        Ok(candidates
            .iter()
            .map(|c| {
                let write = !inner.is_tombstoned(&c.key);
                if write {
                    inner.put_candidate(c);
                }
                write
            })
            .collect())
    }

    fn acquire_sync_lease(
        &self,
        tenant: &TenantId,
        ats: Ats,
        owner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<bool> {
        let mut inner = self.lock()?;
        let key = (tenant.clone(), ats);
        if let Some((holder, expires)) = inner.sync_leases.get(&key)
            && holder != owner
            && *expires > now
        {
            return Ok(false);
        }
        inner.sync_leases.insert(key, (owner.to_owned(), until));
        Ok(true)
    }

    fn release_sync_lease(&self, tenant: &TenantId, ats: Ats, owner: &str) -> Result<()> {
        let mut inner = self.lock()?;
        let key = (tenant.clone(), ats);
        if inner.sync_leases.get(&key).is_some_and(|(h, _)| h == owner) {
            inner.sync_leases.remove(&key);
        }
        Ok(())
    }

    fn record(&self, kind: &str, key: &str) -> Result<Option<super::StoredRecord>> {
        Ok(self
            .lock()?
            .records
            .get(&(kind.to_owned(), key.to_owned()))
            .cloned())
    }

    fn put_record(
        &self,
        kind: &str,
        key: &str,
        value: &str,
        expected_version: Option<u64>,
    ) -> Result<Option<u64>> {
        let mut inner = self.lock()?;
        let slot = (kind.to_owned(), key.to_owned());
        let current = inner.records.get(&slot).map(|r| r.version);
        if current != expected_version {
            return Ok(None);
        }
        let version = current.unwrap_or(0) + 1;
        inner.records.insert(
            slot,
            super::StoredRecord {
                value: value.to_owned(),
                version,
                updated_at: Utc::now(),
            },
        );
        Ok(Some(version))
    }

    fn delete_record(&self, kind: &str, key: &str, expected_version: Option<u64>) -> Result<bool> {
        let mut inner = self.lock()?;
        let slot = (kind.to_owned(), key.to_owned());
        let matches = inner
            .records
            .get(&slot)
            .is_some_and(|r| expected_version.is_none_or(|v| v == r.version));
        if matches {
            inner.records.remove(&slot);
        }
        Ok(matches)
    }

    fn records(&self, kind: &str) -> Result<Vec<(String, super::StoredRecord)>> {
        Ok(self
            .lock()?
            .records
            .iter()
            .filter(|((k, _), _)| k == kind)
            .map(|((_, key), r)| (key.clone(), r.clone()))
            .collect())
    }
}

//! An in-memory [`Store`], for tests and demos. Nothing survives the process.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

use chrono::{DateTime, Utc};

use super::{Delivery, Store};
use crate::error::{Error, Result};
use crate::index::{CandidateKey, IndexedCandidate, IndexedJob, ScheduledInterview};
use crate::outbox::{AuditRecord, OutboxEntry, OutboxKey, OutboxState};
use crate::tenant::{Ats, TenantId};

type DeliveryKey = (TenantId, Ats, String);
type RowKey = (TenantId, Ats, String);

#[derive(Default)]
struct Inner {
    deliveries: BTreeMap<DeliveryKey, (u64, Delivery)>,
    next_seq: u64,
    candidates: BTreeMap<CandidateKey, IndexedCandidate>,
    jobs: BTreeMap<RowKey, IndexedJob>,
    interviews: BTreeMap<RowKey, ScheduledInterview>,
    outbox: BTreeMap<OutboxKey, OutboxEntry>,
    audit: Vec<AuditRecord>,
    checkpoints: BTreeMap<(TenantId, String), String>,
}

/// A [`Store`] that keeps everything in a mutex-guarded map.
#[derive(Default)]
pub struct MemoryStore {
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

    fn lock(&self) -> Result<MutexGuard<'_, Inner>> {
        self.inner
            .lock()
            .map_err(|_| Error::Store("memory store lock poisoned by a panic".into()))
    }
}

fn belongs_to(key: &OutboxKey, candidate: &CandidateKey) -> bool {
    key.tenant == candidate.tenant
        && key.ats == candidate.ats
        && key.candidate_id == candidate.candidate_id
}

impl Store for MemoryStore {
    fn record_delivery(&self, delivery: &Delivery) -> Result<bool> {
        let mut inner = self.lock()?;
        let key = (
            delivery.tenant.clone(),
            delivery.ats,
            delivery.delivery_id.clone(),
        );
        if inner.deliveries.contains_key(&key) {
            return Ok(false);
        }
        inner.next_seq += 1;
        let seq = inner.next_seq;
        inner.deliveries.insert(key, (seq, delivery.clone()));
        Ok(true)
    }

    fn pending_deliveries(&self, limit: usize) -> Result<Vec<Delivery>> {
        let inner = self.lock()?;
        let mut pending: Vec<_> = inner
            .deliveries
            .values()
            .filter(|(_, d)| !d.processed)
            .collect();
        pending.sort_by_key(|(seq, _)| *seq);
        Ok(pending
            .into_iter()
            .take(limit)
            .map(|(_, d)| d.clone())
            .collect())
    }

    fn mark_delivery_processed(&self, tenant: &TenantId, ats: Ats, id: &str) -> Result<()> {
        let mut inner = self.lock()?;
        if let Some((_, d)) = inner
            .deliveries
            .get_mut(&(tenant.clone(), ats, id.to_owned()))
        {
            d.processed = true;
            d.body.clear();
        }
        Ok(())
    }

    fn upsert_candidate(&self, candidate: &IndexedCandidate) -> Result<()> {
        let mut inner = self.lock()?;
        inner
            .candidates
            .insert(candidate.key.clone(), candidate.clone());
        Ok(())
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
        Ok(inner
            .candidates
            .values()
            .find(|c| {
                &c.key.tenant == tenant
                    && c.key.ats == ats
                    && c.applications.iter().any(|a| a.id == application_id)
            })
            .cloned())
    }

    fn candidate_count(&self, tenant: &TenantId) -> Result<u64> {
        let inner = self.lock()?;
        Ok(inner
            .candidates
            .keys()
            .filter(|k| &k.tenant == tenant)
            .count() as u64)
    }

    fn purge_candidate(&self, key: &CandidateKey) -> Result<u64> {
        let mut inner = self.lock()?;
        // Count like the SQL store: the candidate row plus one row per
        // e-mail and per application.
        let mut rows = inner
            .candidates
            .remove(key)
            .map_or(0, |c| 1 + (c.emails.len() + c.applications.len()) as u64);
        let before = inner.interviews.len();
        inner.interviews.retain(|_, i| {
            !(i.tenant == key.tenant
                && i.ats == key.ats
                && i.candidate_id.as_deref() == Some(&key.candidate_id))
        });
        rows += (before - inner.interviews.len()) as u64;
        let before = inner.outbox.len();
        inner.outbox.retain(|k, _| !belongs_to(k, key));
        rows += (before - inner.outbox.len()) as u64;
        Ok(rows)
    }

    fn merge_candidate(&self, from: &CandidateKey, into_id: &str) -> Result<u64> {
        let mut inner = self.lock()?;
        let into_key = CandidateKey {
            candidate_id: into_id.to_owned(),
            ..from.clone()
        };
        let mut rows = 0;
        if let Some(loser) = inner.candidates.remove(from) {
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
            .iter()
            .filter(|(k, e)| belongs_to(k, from) && !matches!(e.state, OutboxState::Posted { .. }))
            .map(|(k, _)| k.clone())
            .collect();
        for key in moved {
            let mut entry = inner.outbox.remove(&key).expect("key was just listed");
            entry.key.candidate_id = into_id.to_owned();
            entry.target.candidate_id = into_id.to_owned();
            // Keep an existing entry for the survivor: it is the same meeting's note.
            inner.outbox.entry(entry.key.clone()).or_insert(entry);
            rows += 1;
        }
        Ok(rows)
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

    fn update_note(&self, entry: &OutboxEntry) -> Result<()> {
        let mut inner = self.lock()?;
        match inner.outbox.get_mut(&entry.key) {
            Some(slot) => {
                *slot = entry.clone();
                Ok(())
            }
            None => Err(Error::Store(format!(
                "no outbox entry for meeting {}",
                entry.key.meeting_id
            ))),
        }
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
}

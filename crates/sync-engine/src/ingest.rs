//! Applying what a webhook or a sync learned to the index, the job cache and
//! the interview schedule.
//!
//! The ATS-specific modules turn a delivery into [`IndexUpdate`]s; this module
//! applies them the same way for every ATS: newer-wins for candidates (so
//! out-of-order deliveries cannot roll the index back), purge with an audit
//! record for deleted or anonymized candidates, re-pointing for merges, and
//! note-taker calls for interview changes.

use chrono::{DateTime, Utc};

use crate::engine::Engine;
use crate::error::Result;
use crate::index::{
    CandidateKey, CandidateStatus, IndexedApplication, IndexedCandidate, IndexedJob,
    ScheduledInterview,
};
use crate::notetaker::{interview_meeting, interview_meeting_id};
use crate::outbox::{AuditAction, AuditRecord};
use crate::store::TombstoneKind;
use crate::tenant::{Ats, TenantId};

/// One change to the engine's view of an ATS.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum IndexUpdate {
    /// A candidate as the ATS now has it (applied only if not older than what is stored).
    Candidate(IndexedCandidate),
    /// One application of a candidate as the ATS now has it (Lever: one
    /// opportunity), merged into the candidate's record, which is created if
    /// new. The candidate's status follows its applications.
    Application {
        /// Whose.
        key: CandidateKey,
        /// The candidate's display name.
        name: Option<String>,
        /// The candidate's e-mail addresses (raw; normalized on apply).
        emails: Vec<String>,
        /// The application.
        application: IndexedApplication,
    },
    /// A candidate's name and e-mails changed (Greenhouse "candidate or
    /// prospect updated"); applications are kept. Creates the candidate if new.
    Profile {
        /// Who.
        key: CandidateKey,
        /// Display name.
        name: Option<String>,
        /// E-mail addresses (raw; normalized on apply). They replace the old ones.
        emails: Vec<String>,
        /// When the ATS changed it; older than the index's copy means stale.
        updated_at: DateTime<Utc>,
    },
    /// One application was deleted; a candidate left with none is purged.
    ApplicationGone {
        /// The tenant.
        tenant: TenantId,
        /// The ATS.
        ats: Ats,
        /// Whose, when the event said; otherwise the index is asked.
        candidate_id: Option<String>,
        /// Which.
        application_id: String,
    },
    /// The candidate was deleted (or anonymized) in the ATS: remove every trace.
    CandidateGone {
        /// Who.
        key: CandidateKey,
        /// Anonymized rather than deleted (recorded differently in the audit log).
        anonymized: bool,
    },
    /// Two candidates were merged in the ATS.
    CandidateMerged {
        /// The candidate that no longer exists.
        from: CandidateKey,
        /// The surviving candidate's id.
        into_id: String,
    },
    /// A job as the ATS now has it.
    Job(IndexedJob),
    /// An interview was scheduled or changed.
    Interview(ScheduledInterview),
    /// An interview was cancelled or deleted.
    InterviewGone {
        /// The tenant.
        tenant: TenantId,
        /// The ATS.
        ats: Ats,
        /// The ATS's interview id.
        interview_id: String,
    },
    /// A complete list of the ATS's upcoming interviews (a full sync):
    /// stored interviews starting at or after `as_of` that it does not list
    /// are gone, and their recordings are cancelled.
    UpcomingInterviews {
        /// The tenant.
        tenant: TenantId,
        /// The ATS.
        ats: Ats,
        /// The ids the ATS listed.
        interview_ids: Vec<String>,
        /// The instant the list describes.
        as_of: DateTime<Utc>,
    },
}

/// What applying a batch of updates did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestReport {
    /// Candidates inserted or updated.
    pub candidates: u32,
    /// Updates skipped because the index already had newer data.
    pub stale: u32,
    /// Candidates purged (deleted or anonymized).
    pub purged: u32,
    /// Merges applied.
    pub merged: u32,
    /// Jobs inserted or updated.
    pub jobs: u32,
    /// Interviews scheduled, rescheduled or cancelled with the note taker.
    pub interviews: u32,
    /// Updates ignored because they concern a deleted candidate or
    /// application (deletion is final).
    pub ignored_deleted: u32,
    /// Deliveries whose processing failed and that stay queued (retried
    /// with backoff, or parked until the tenant reconnects).
    pub deferred: u32,
}

impl IngestReport {
    /// Adds another report's counts to this one.
    pub fn merge(mut self, other: &IngestReport) -> Self {
        self.candidates += other.candidates;
        self.stale += other.stale;
        self.purged += other.purged;
        self.merged += other.merged;
        self.jobs += other.jobs;
        self.interviews += other.interviews;
        self.ignored_deleted += other.ignored_deleted;
        self.deferred += other.deferred;
        self
    }
}

impl Engine {
    /// Applies updates in order. After a purge the store is scrubbed
    /// (see [`Store::scrub`](crate::store::Store::scrub)), so deleted data
    /// does not linger in its files; webhook processing scrubs once more
    /// after the deleting delivery's own body is cleared.
    pub async fn apply_updates(&self, updates: Vec<IndexUpdate>) -> Result<IngestReport> {
        let mut report = IngestReport::default();
        for update in updates {
            self.apply_update(update, &mut report).await?;
        }
        if report.purged > 0 {
            self.scrub_deleted_data().await;
        }
        Ok(report)
    }

    async fn apply_update(&self, update: IndexUpdate, report: &mut IngestReport) -> Result<()> {
        if self.concerns_deleted(&update).await? {
            report.ignored_deleted += 1;
            return Ok(());
        }
        match update {
            IndexUpdate::Candidate(mut c) => {
                c.emails = self.normalize_emails_for(&c.key.tenant, &c.emails);
                let newer = self
                    .store
                    .candidate(&c.key)
                    .await?
                    .is_none_or(|old| old.updated_at <= c.updated_at);
                if newer {
                    c.applications = self.live_applications(&c.key, c.applications).await?;
                    self.upsert(&c, report).await?;
                } else {
                    report.stale += 1;
                }
            }
            IndexUpdate::Application {
                key,
                name,
                emails,
                application,
            } => match self
                .merge_application(key, name, &emails, application)
                .await?
            {
                Some(c) => self.upsert(&c, report).await?,
                None => report.stale += 1,
            },
            IndexUpdate::Profile {
                key,
                name,
                emails,
                updated_at,
            } => {
                let emails = self.normalize_emails_for(&key.tenant, &emails);
                let stored = self.store.candidate(&key).await?;
                match with_profile(stored, key, name, emails, updated_at) {
                    Some(c) => self.upsert(&c, report).await?,
                    None => report.stale += 1,
                }
            }
            IndexUpdate::ApplicationGone {
                tenant,
                ats,
                candidate_id,
                application_id,
            } => {
                self.application_gone(tenant, ats, candidate_id, application_id, report)
                    .await?
            }
            IndexUpdate::CandidateGone { key, anonymized } => {
                let action = if anonymized {
                    AuditAction::CandidateAnonymized
                } else {
                    AuditAction::CandidatePurged
                };
                self.purge(&key, true, action).await?;
                report.purged += 1;
            }
            IndexUpdate::CandidateMerged { from, into_id } => {
                let rows = self.store.merge_candidate(&from, &into_id).await?;
                self.audit(&from.tenant, from.ats, AuditAction::CandidateMerged, rows)
                    .await?;
                report.merged += 1;
            }
            IndexUpdate::Job(job) => {
                self.store.upsert_job(&job).await?;
                report.jobs += 1;
            }
            IndexUpdate::Interview(interview) => self.schedule_interview(interview, report).await?,
            IndexUpdate::InterviewGone {
                tenant,
                ats,
                interview_id,
            } => {
                if let Some(old) = self
                    .store
                    .remove_interview(&tenant, ats, &interview_id)
                    .await?
                {
                    self.cancel_note_taker(&old).await;
                    report.interviews += 1;
                }
            }
            IndexUpdate::UpcomingInterviews {
                tenant,
                ats,
                interview_ids,
                as_of,
            } => {
                for old in self.store.interviews(&tenant).await? {
                    let vanished = old.ats == ats
                        && old.start >= as_of
                        && !interview_ids.contains(&old.interview_id);
                    if vanished {
                        self.store
                            .remove_interview(&tenant, ats, &old.interview_id)
                            .await?;
                        self.cancel_note_taker(&old).await;
                        report.interviews += 1;
                    }
                }
            }
        }
        Ok(())
    }

    async fn upsert(&self, c: &IndexedCandidate, report: &mut IngestReport) -> Result<()> {
        if self.store.upsert_candidate(c).await? {
            report.candidates += 1;
        } else {
            report.ignored_deleted += 1;
        }
        Ok(())
    }

    /// Whether an update is about a person or application that was
    /// deleted: such updates are late or replayed, and must not bring
    /// personal data back.
    async fn concerns_deleted(&self, update: &IndexUpdate) -> Result<bool> {
        Ok(match update {
            IndexUpdate::Candidate(c) => self.person_deleted(&c.key).await?,
            IndexUpdate::Profile { key, .. } => self.person_deleted(key).await?,
            IndexUpdate::Application {
                key,
                application: a,
                ..
            } => {
                self.person_deleted(key).await?
                    || self
                        .application_deleted(&key.tenant, key.ats, &a.id)
                        .await?
            }
            IndexUpdate::Interview(i) => {
                let by_person = match &i.candidate_id {
                    Some(id) => {
                        self.person_deleted(&CandidateKey {
                            tenant: i.tenant.clone(),
                            ats: i.ats,
                            candidate_id: id.clone(),
                        })
                        .await?
                    }
                    None => false,
                };
                let by_application = match &i.application_id {
                    Some(id) => self.application_deleted(&i.tenant, i.ats, id).await?,
                    None => false,
                };
                by_person || by_application
            }
            IndexUpdate::CandidateMerged { from, .. } => self.person_deleted(from).await?,
            _ => false,
        })
    }
    async fn person_deleted(&self, key: &CandidateKey) -> Result<bool> {
        let at = self
            .store
            .tombstone(
                &key.tenant,
                key.ats,
                TombstoneKind::Candidate,
                &key.candidate_id,
            )
            .await?;
        Ok(at.is_some())
    }

    async fn application_deleted(&self, tenant: &TenantId, ats: Ats, id: &str) -> Result<bool> {
        let at = self
            .store
            .tombstone(tenant, ats, TombstoneKind::Application, id)
            .await?;
        Ok(at.is_some())
    }

    /// Drops applications that were deleted.
    async fn live_applications(
        &self,
        key: &CandidateKey,
        applications: Vec<IndexedApplication>,
    ) -> Result<Vec<IndexedApplication>> {
        let mut live = Vec::with_capacity(applications.len());
        for a in applications {
            let gone = self
                .store
                .tombstone(&key.tenant, key.ats, TombstoneKind::Application, &a.id)
                .await?;
            if gone.is_none() {
                live.push(a);
            }
        }
        Ok(live)
    }

    async fn application_gone(
        &self,
        tenant: TenantId,
        ats: Ats,
        candidate_id: Option<String>,
        application_id: String,
        report: &mut IngestReport,
    ) -> Result<()> {
        self.store
            .add_tombstone(
                &tenant,
                ats,
                TombstoneKind::Application,
                &application_id,
                Utc::now(),
            )
            .await?;
        let owner = match candidate_id {
            Some(id) => {
                self.store
                    .candidate(&CandidateKey {
                        tenant: tenant.clone(),
                        ats,
                        candidate_id: id,
                    })
                    .await?
            }
            None => {
                self.store
                    .candidate_by_application(&tenant, ats, &application_id)
                    .await?
            }
        };
        // Its interviews' recordings go with it.
        for interview in self
            .store
            .candidate_interviews(&tenant, ats, &[], std::slice::from_ref(&application_id))
            .await?
        {
            self.store
                .remove_interview(&tenant, ats, &interview.interview_id)
                .await?;
            self.cancel_note_taker(&interview).await;
        }
        let Some(mut c) = owner else {
            return Ok(());
        };
        let key = c.key.clone();
        c.applications.retain(|a| a.id != application_id);
        if c.applications.is_empty() {
            // The person's last application went: forget them, but keep no
            // person tombstone (a Lever contact may apply again; its old
            // opportunity stays tombstoned).
            self.purge(&key, false, AuditAction::CandidatePurged)
                .await?;
            report.purged += 1;
        } else {
            c.status = status_of(&c.applications);
            self.upsert(&c, report).await?;
        }
        Ok(())
    }

    /// Cancels every upcoming recording of the person (by any id they had
    /// and by their applications), then removes every trace of them.
    async fn purge(&self, key: &CandidateKey, tombstone: bool, action: AuditAction) -> Result<()> {
        let ids = self.store.candidate_ids(key).await?;
        let mut applications = Vec::new();
        for id in &ids {
            let k = CandidateKey {
                candidate_id: id.clone(),
                ..key.clone()
            };
            if let Some(c) = self.store.candidate(&k).await? {
                applications.extend(c.applications.into_iter().map(|a| a.id));
            }
        }
        for interview in self
            .store
            .candidate_interviews(&key.tenant, key.ats, &ids, &applications)
            .await?
        {
            self.cancel_note_taker(&interview).await;
        }
        if tombstone {
            // Their applications are gone with them: an interview that
            // names only the application must not bring a recording back.
            for app in &applications {
                self.store
                    .add_tombstone(
                        &key.tenant,
                        key.ats,
                        TombstoneKind::Application,
                        app,
                        Utc::now(),
                    )
                    .await?;
            }
        }
        let rows = self
            .store
            .purge_candidate(key, tombstone.then(Utc::now))
            .await?;
        self.audit(&key.tenant, key.ats, action, rows).await
    }

    async fn schedule_interview(
        &self,
        mut interview: ScheduledInterview,
        report: &mut IngestReport,
    ) -> Result<()> {
        // Greenhouse interviews name their application only: find its candidate.
        if let (None, Some(app)) = (&interview.candidate_id, &interview.application_id) {
            interview.candidate_id = self
                .store
                .candidate_by_application(&interview.tenant, interview.ats, app)
                .await?
                .map(|c| c.key.candidate_id);
        }
        self.store.upsert_interview(&interview).await?;
        let upcoming = interview.end.unwrap_or(interview.start) >= Utc::now();
        if interview.conferencing_url.is_some() && upcoming {
            let meeting = interview_meeting(&interview);
            if let Err(e) = self.note_taker.schedule(&interview.tenant, &meeting).await {
                tracing::warn!(tenant = %interview.tenant, interview = %interview.interview_id, error = %e, "note taker refused the interview");
            }
            report.interviews += 1;
        } else {
            // Moved into the past or lost its video link: make sure no bot is waiting.
            self.cancel_note_taker(&interview).await;
        }
        Ok(())
    }

    async fn cancel_note_taker(&self, interview: &ScheduledInterview) {
        let id = interview_meeting_id(interview);
        if let Err(e) = self.note_taker.cancel(&interview.tenant, &id).await {
            tracing::warn!(tenant = %interview.tenant, interview = %interview.interview_id, error = %e, "note taker cancel failed");
        }
    }

    /// The candidate with `application` merged in, or `None` when the index
    /// already has a newer copy of that application.
    async fn merge_application(
        &self,
        key: CandidateKey,
        name: Option<String>,
        emails: &[String],
        application: IndexedApplication,
    ) -> Result<Option<IndexedCandidate>> {
        let emails = self.normalize_emails_for(&key.tenant, emails);
        let stored = self.store.candidate(&key).await?;
        Ok(with_application(stored, key, name, emails, application))
    }

    /// Normalizes addresses with the tenant's rules (the defaults when the
    /// tenant is not registered), dropping unusable ones and duplicates.
    pub(crate) fn normalize_emails_for(&self, tenant: &TenantId, emails: &[String]) -> Vec<String> {
        let rules = self
            .tenant(tenant)
            .map(|t| t.settings.email_normalization.clone())
            .unwrap_or_default();
        let mut out: Vec<String> = Vec::new();
        for email in emails.iter().filter_map(|e| rules.normalize(e)) {
            if !out.iter().any(|o| o == email.as_str()) {
                out.push(email.as_str().to_owned());
            }
        }
        out
    }

    async fn audit(
        &self,
        tenant: &TenantId,
        ats: Ats,
        action: AuditAction,
        rows: u64,
    ) -> Result<()> {
        self.store
            .record_audit(&AuditRecord {
                tenant: tenant.clone(),
                ats,
                action,
                rows,
                at: Utc::now(),
            })
            .await
    }
}

/// `stored` (or a new candidate) with `application` merged in, or `None`
/// when `stored` already has a newer copy of that application. `emails`
/// are normalized.
fn with_application(
    stored: Option<IndexedCandidate>,
    key: CandidateKey,
    name: Option<String>,
    emails: Vec<String>,
    application: IndexedApplication,
) -> Option<IndexedCandidate> {
    let mut c = stored.unwrap_or_else(|| IndexedCandidate {
        key,
        name: None,
        emails: Vec::new(),
        status: CandidateStatus::Active,
        applications: Vec::new(),
        updated_at: application.updated_at,
    });
    match c.applications.iter_mut().find(|a| a.id == application.id) {
        Some(old) if old.updated_at > application.updated_at => return None,
        Some(old) => *old = application.clone(),
        None => c.applications.push(application.clone()),
    }
    // The update carries the person's addresses as the ATS has them
    // now: when it is the newest news of the person, they replace the
    // stored list (a corrected address stops matching); an older
    // update leaves them alone.
    let newest = c.emails.is_empty() || application.updated_at >= c.updated_at;
    if newest {
        if !emails.is_empty() {
            c.emails = emails;
        }
        c.name = name.or(c.name);
    }
    c.status = status_of(&c.applications);
    c.updated_at = c.updated_at.max(application.updated_at);
    Some(c)
}

/// `stored` (or a new candidate) with a new name and e-mails
/// (normalized), or `None` when `stored` is newer than the change.
fn with_profile(
    stored: Option<IndexedCandidate>,
    key: CandidateKey,
    name: Option<String>,
    emails: Vec<String>,
    updated_at: DateTime<Utc>,
) -> Option<IndexedCandidate> {
    match stored {
        Some(old) if old.updated_at > updated_at => None,
        Some(old) => Some(IndexedCandidate {
            name: name.or(old.name),
            emails,
            updated_at,
            ..old
        }),
        None => Some(IndexedCandidate {
            key,
            name,
            emails,
            status: CandidateStatus::Active,
            applications: Vec::new(),
            updated_at,
        }),
    }
}

/// Archived once every application is; active otherwise.
pub(crate) fn status_of(applications: &[IndexedApplication]) -> CandidateStatus {
    if !applications.is_empty() && applications.iter().all(|a| a.archived) {
        CandidateStatus::Archived
    } else {
        CandidateStatus::Active
    }
}

/// The tenant and ATS of an update the sync can write in a page batch:
/// those that only create or replace a candidate record.
fn batch_scope(update: &IndexUpdate) -> Option<(&TenantId, Ats)> {
    let key = match update {
        IndexUpdate::Candidate(c) => &c.key,
        IndexUpdate::Application { key, .. } | IndexUpdate::Profile { key, .. } => key,
        _ => return None,
    };
    Some((&key.tenant, key.ats))
}

/// One page's candidate updates being merged in memory before their single
/// write: the stored records and tombstones the page touches, the merged
/// records, and how many updates each touched record carries.
struct PageBatch {
    current: std::collections::HashMap<String, IndexedCandidate>,
    deleted_candidates: std::collections::HashSet<String>,
    deleted_applications: std::collections::HashSet<String>,
    /// Ids in first-touched order, with the updates applied to each.
    touched: Vec<(String, u32)>,
}

impl PageBatch {
    fn touch(&mut self, c: IndexedCandidate) {
        let id = c.key.candidate_id.clone();
        match self.touched.iter_mut().find(|(t, _)| *t == id) {
            Some((_, n)) => *n += 1,
            None => self.touched.push((id.clone(), 1)),
        }
        self.current.insert(id, c);
    }
}

impl Engine {
    /// Applies one sync page: runs of candidate updates (full records,
    /// applications, profiles) of one tenant and ATS are merged in memory
    /// against one read of the store and written in one transaction
    /// ([`Store::apply_candidates`](crate::store::Store::apply_candidates)),
    /// with the same rules as [`apply_updates`](Engine::apply_updates):
    /// deleted people and applications stay deleted, older data never
    /// replaces newer. Every other update takes the per-item path, in order.
    pub(crate) async fn apply_page(&self, updates: Vec<IndexUpdate>) -> Result<IngestReport> {
        let mut report = IngestReport::default();
        let mut run: Vec<IndexUpdate> = Vec::new();
        for update in updates {
            let joins = match (batch_scope(&update), run.first().and_then(batch_scope)) {
                (Some(scope), Some(current)) => scope == current,
                (Some(_), None) => true,
                (None, _) => false,
            };
            if !joins && !run.is_empty() {
                self.apply_candidate_run(std::mem::take(&mut run), &mut report)
                    .await?;
            }
            if batch_scope(&update).is_some() {
                run.push(update);
            } else {
                self.apply_update(update, &mut report).await?;
            }
        }
        if !run.is_empty() {
            self.apply_candidate_run(run, &mut report).await?;
        }
        if report.purged > 0 {
            self.scrub_deleted_data().await;
        }
        Ok(report)
    }

    /// Merges a run of candidate updates of one tenant and ATS in memory
    /// and writes the results in one store call.
    async fn apply_candidate_run(
        &self,
        run: Vec<IndexUpdate>,
        report: &mut IngestReport,
    ) -> Result<()> {
        let Some((tenant, ats)) = run
            .first()
            .and_then(batch_scope)
            .map(|(t, a)| (t.clone(), a))
        else {
            return Ok(());
        };
        let mut batch = self.load_batch(&tenant, ats, &run).await?;
        for update in run {
            self.merge_into_batch(update, &mut batch, report);
        }
        let (ids, counts): (Vec<String>, Vec<u32>) = batch.touched.iter().cloned().unzip();
        let records: Vec<IndexedCandidate> = ids
            .iter()
            .filter_map(|id| batch.current.remove(id))
            .collect();
        let written = self.store.apply_candidates(&records).await?;
        for (ok, n) in written.into_iter().zip(counts) {
            if ok {
                report.candidates += n;
            } else {
                report.ignored_deleted += n;
            }
        }
        Ok(())
    }

    async fn load_batch(
        &self,
        tenant: &TenantId,
        ats: Ats,
        run: &[IndexUpdate],
    ) -> Result<PageBatch> {
        let mut candidate_ids: Vec<String> = Vec::new();
        let mut application_ids: Vec<String> = Vec::new();
        for update in run {
            match update {
                IndexUpdate::Candidate(c) => {
                    candidate_ids.push(c.key.candidate_id.clone());
                    application_ids.extend(c.applications.iter().map(|a| a.id.clone()));
                }
                IndexUpdate::Application {
                    key, application, ..
                } => {
                    candidate_ids.push(key.candidate_id.clone());
                    application_ids.push(application.id.clone());
                }
                IndexUpdate::Profile { key, .. } => candidate_ids.push(key.candidate_id.clone()),
                _ => {}
            }
        }
        candidate_ids.sort_unstable();
        candidate_ids.dedup();
        application_ids.sort_unstable();
        application_ids.dedup();
        let snapshot = self
            .store
            .candidate_snapshot(tenant, ats, &candidate_ids, &application_ids)
            .await?;
        Ok(PageBatch {
            current: snapshot
                .candidates
                .into_iter()
                .map(|c| (c.key.candidate_id.clone(), c))
                .collect(),
            deleted_candidates: snapshot.deleted_candidates.into_iter().collect(),
            deleted_applications: snapshot.deleted_applications.into_iter().collect(),
            touched: Vec::new(),
        })
    }

    /// One update of a run, merged in memory: the same decisions as
    /// [`apply_update`](Engine::apply_update) makes against the store.
    fn merge_into_batch(
        &self,
        update: IndexUpdate,
        batch: &mut PageBatch,
        report: &mut IngestReport,
    ) {
        let merged = match update {
            IndexUpdate::Candidate(mut c) => {
                if batch.deleted_candidates.contains(&c.key.candidate_id) {
                    report.ignored_deleted += 1;
                    return;
                }
                c.emails = self.normalize_emails_for(&c.key.tenant, &c.emails);
                let newer = batch
                    .current
                    .get(&c.key.candidate_id)
                    .is_none_or(|old| old.updated_at <= c.updated_at);
                if newer {
                    c.applications
                        .retain(|a| !batch.deleted_applications.contains(&a.id));
                    Some(c)
                } else {
                    None
                }
            }
            IndexUpdate::Application {
                key,
                name,
                emails,
                application,
            } => {
                if batch.deleted_candidates.contains(&key.candidate_id)
                    || batch.deleted_applications.contains(&application.id)
                {
                    report.ignored_deleted += 1;
                    return;
                }
                let emails = self.normalize_emails_for(&key.tenant, &emails);
                let stored = batch.current.get(&key.candidate_id).cloned();
                with_application(stored, key, name, emails, application)
            }
            IndexUpdate::Profile {
                key,
                name,
                emails,
                updated_at,
            } => {
                if batch.deleted_candidates.contains(&key.candidate_id) {
                    report.ignored_deleted += 1;
                    return;
                }
                let emails = self.normalize_emails_for(&key.tenant, &emails);
                let stored = batch.current.get(&key.candidate_id).cloned();
                with_profile(stored, key, name, emails, updated_at)
            }
            _ => return,
        };
        match merged {
            Some(c) => batch.touch(c),
            None => report.stale += 1,
        }
    }
}

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
        self
    }
}

impl Engine {
    /// Applies updates in order.
    pub async fn apply_updates(&self, updates: Vec<IndexUpdate>) -> Result<IngestReport> {
        let mut report = IngestReport::default();
        for update in updates {
            self.apply_update(update, &mut report).await?;
        }
        Ok(report)
    }

    async fn apply_update(&self, update: IndexUpdate, report: &mut IngestReport) -> Result<()> {
        match update {
            IndexUpdate::Candidate(mut c) => {
                c.emails = self.normalize_emails_for(&c.key.tenant, &c.emails);
                let newer = self
                    .store
                    .candidate(&c.key)?
                    .is_none_or(|old| old.updated_at <= c.updated_at);
                if newer {
                    self.store.upsert_candidate(&c)?;
                    report.candidates += 1;
                } else {
                    report.stale += 1;
                }
            }
            IndexUpdate::Application {
                key,
                name,
                emails,
                application,
            } => {
                let c = self.merge_application(key, name, &emails, application)?;
                match c {
                    Some(c) => {
                        self.store.upsert_candidate(&c)?;
                        report.candidates += 1;
                    }
                    None => report.stale += 1,
                }
            }
            IndexUpdate::Profile {
                key,
                name,
                emails,
                updated_at,
            } => {
                let emails = self.normalize_emails_for(&key.tenant, &emails);
                let c = match self.store.candidate(&key)? {
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
                };
                match c {
                    Some(c) => {
                        self.store.upsert_candidate(&c)?;
                        report.candidates += 1;
                    }
                    None => report.stale += 1,
                }
            }
            IndexUpdate::ApplicationGone {
                tenant,
                ats,
                candidate_id,
                application_id,
            } => {
                let owner = match candidate_id {
                    Some(id) => self.store.candidate(&CandidateKey {
                        tenant,
                        ats,
                        candidate_id: id,
                    })?,
                    None => self
                        .store
                        .candidate_by_application(&tenant, ats, &application_id)?,
                };
                if let Some(mut c) = owner {
                    let key = c.key.clone();
                    c.applications.retain(|a| a.id != application_id);
                    if c.applications.is_empty() {
                        let rows = self.store.purge_candidate(&key)?;
                        self.audit(&key.tenant, key.ats, AuditAction::CandidatePurged, rows)?;
                        report.purged += 1;
                    } else {
                        c.status = status_of(&c.applications);
                        self.store.upsert_candidate(&c)?;
                        report.candidates += 1;
                    }
                }
            }
            IndexUpdate::CandidateGone { key, anonymized } => {
                let rows = self.store.purge_candidate(&key)?;
                let action = if anonymized {
                    AuditAction::CandidateAnonymized
                } else {
                    AuditAction::CandidatePurged
                };
                self.audit(&key.tenant, key.ats, action, rows)?;
                report.purged += 1;
            }
            IndexUpdate::CandidateMerged { from, into_id } => {
                let rows = self.store.merge_candidate(&from, &into_id)?;
                self.audit(&from.tenant, from.ats, AuditAction::CandidateMerged, rows)?;
                report.merged += 1;
            }
            IndexUpdate::Job(job) => {
                self.store.upsert_job(&job)?;
                report.jobs += 1;
            }
            IndexUpdate::Interview(interview) => self.schedule_interview(interview, report).await?,
            IndexUpdate::InterviewGone {
                tenant,
                ats,
                interview_id,
            } => {
                if let Some(old) = self.store.remove_interview(&tenant, ats, &interview_id)? {
                    self.cancel_note_taker(&old).await;
                    report.interviews += 1;
                }
            }
        }
        Ok(())
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
                .candidate_by_application(&interview.tenant, interview.ats, app)?
                .map(|c| c.key.candidate_id);
        }
        self.store.upsert_interview(&interview)?;
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
    fn merge_application(
        &self,
        key: CandidateKey,
        name: Option<String>,
        emails: &[String],
        application: IndexedApplication,
    ) -> Result<Option<IndexedCandidate>> {
        let emails = self.normalize_emails_for(&key.tenant, emails);
        let mut c = match self.store.candidate(&key)? {
            Some(c) => c,
            None => IndexedCandidate {
                key,
                name: None,
                emails: Vec::new(),
                status: CandidateStatus::Active,
                applications: Vec::new(),
                updated_at: application.updated_at,
            },
        };
        match c.applications.iter_mut().find(|a| a.id == application.id) {
            Some(old) if old.updated_at > application.updated_at => return Ok(None),
            Some(old) => *old = application.clone(),
            None => c.applications.push(application.clone()),
        }
        c.name = name.or(c.name);
        for email in emails {
            if !c.emails.contains(&email) {
                c.emails.push(email);
            }
        }
        c.status = status_of(&c.applications);
        c.updated_at = c.updated_at.max(application.updated_at);
        Ok(Some(c))
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

    fn audit(&self, tenant: &TenantId, ats: Ats, action: AuditAction, rows: u64) -> Result<()> {
        self.store.record_audit(&AuditRecord {
            tenant: tenant.clone(),
            ats,
            action,
            rows,
            at: Utc::now(),
        })
    }
}

/// Archived once every application is; active otherwise.
fn status_of(applications: &[IndexedApplication]) -> CandidateStatus {
    if !applications.is_empty() && applications.iter().all(|a| a.archived) {
        CandidateStatus::Archived
    } else {
        CandidateStatus::Active
    }
}

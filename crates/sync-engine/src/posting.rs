//! From a processed meeting to outbox entries: match participants to
//! candidates, choose where each note goes, render it, enqueue it.
//!
//! ## Where a note goes
//! - Matching runs per ATS, against the index first and the ATS's e-mail
//!   lookup second (a person may be a candidate in both ATSs; each gets a
//!   note). Interviewers, the organizer and the tenant's own domains are
//!   never candidates; an address shared by several candidates of one ATS
//!   is reported as ambiguous and gets no note.
//! - One note per candidate. Lever shows a note on all of a candidate's
//!   opportunities, so the note goes on one opportunity: the one tied to the
//!   interview the meeting came from, else the most recently updated active
//!   one, else the most recently updated one. Greenhouse notes live on the
//!   candidate.
//! - Archived, rejected or hired candidates follow the tenant's
//!   [`ArchivedPolicy`].
//! - The outbox key (tenant, meeting, ATS, candidate) makes re-processing a
//!   meeting a no-op for notes already queued or posted.

use std::collections::HashMap;

use aspect_interview_core::matching::{
    MatchConfig, NormalizedEmail, lookup_addresses, match_meeting,
};
use aspect_interview_core::{InterviewNotes, Meeting};
use chrono::Utc;

use crate::engine::{Engine, Tenant};
use crate::error::Result;
use crate::index::{CandidateStatus, IndexedCandidate};
use crate::notetaker::interview_meeting_id;
use crate::outbox::{NoteTarget, OutboxEntry, OutboxKey, OutboxState};
use crate::render::render_note;
use crate::tenant::{ArchivedPolicy, Ats};

/// What the engine did, or in a preview would do, with one candidate's note.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum NoteDisposition {
    /// A new outbox entry (preview: one would be created).
    Queued,
    /// An entry for this meeting and candidate existed already, in this state.
    AlreadyQueued(String),
    /// Skipped by the tenant's archived-candidate policy.
    SkippedArchived,
    /// The candidate has no application to attach a Lever note to.
    SkippedNoApplication,
}

/// One candidate's note in a [`PostingPlan`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedNote {
    /// The outbox key.
    pub key: OutboxKey,
    /// Where it goes.
    pub target: NoteTarget,
    /// The note exactly as it will be posted.
    pub body: String,
    /// The marker inside `body`.
    pub marker: String,
    /// What happened.
    pub disposition: NoteDisposition,
}

/// An address several candidates of one ATS share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmbiguousParticipant {
    /// The ATS.
    pub ats: Ats,
    /// The normalized address.
    pub email: String,
    /// The candidates that share it.
    pub candidate_ids: Vec<String>,
}

/// The result of planning (or previewing) the notes of one meeting.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PostingPlan {
    /// One entry per (ATS, candidate) matched.
    pub notes: Vec<PlannedNote>,
    /// Participants (label or address) that matched no candidate in any ATS.
    pub unmatched: Vec<String>,
    /// Addresses that matched several candidates and got no note.
    pub ambiguous: Vec<AmbiguousParticipant>,
}

impl PostingPlan {
    /// Whether the meeting produced no note at all.
    pub fn is_empty(&self) -> bool {
        self.notes.is_empty()
    }
}

impl Engine {
    /// Dry run: the notes that [`Engine::enqueue_notes`] would queue, exactly
    /// as they would be posted and where, without writing anything.
    pub async fn preview_notes(
        &self,
        tenant: &crate::TenantId,
        meeting: &Meeting,
        notes: &InterviewNotes,
    ) -> Result<PostingPlan> {
        self.plan(tenant, meeting, notes, false).await
    }

    /// Matches the meeting's participants to candidates and queues one note
    /// per candidate in the outbox. Calling it again for the same meeting
    /// queues nothing new.
    pub async fn enqueue_notes(
        &self,
        tenant: &crate::TenantId,
        meeting: &Meeting,
        notes: &InterviewNotes,
    ) -> Result<PostingPlan> {
        self.plan(tenant, meeting, notes, true).await
    }

    async fn plan(
        &self,
        tenant_id: &crate::TenantId,
        meeting: &Meeting,
        notes: &InterviewNotes,
        commit: bool,
    ) -> Result<PostingPlan> {
        let tenant = self.tenant(tenant_id)?;
        let config =
            MatchConfig::with_internal_domains(tenant.settings.own_domains.iter().cloned())
                .normalization(tenant.settings.email_normalization.clone());
        let mut plan = PostingPlan::default();
        let mut matched_anywhere: Vec<String> = Vec::new();
        let mut unmatched: Vec<(String, String)> = Vec::new();
        for (&ats, connector) in &tenant.connectors {
            let directory = self
                .directory(&tenant, ats, meeting, &config, &**connector, commit)
                .await?;
            let report = match_meeting(meeting, &directory, &config);
            for m in &report.matched {
                matched_anywhere.push(m.email.as_str().to_owned());
                plan.notes.push(self.plan_note(
                    &tenant,
                    ats,
                    meeting,
                    notes,
                    &m.candidate,
                    commit,
                )?);
            }
            for a in report.ambiguous {
                matched_anywhere.push(a.email.as_str().to_owned());
                plan.ambiguous.push(AmbiguousParticipant {
                    ats,
                    email: a.email.as_str().to_owned(),
                    candidate_ids: a
                        .candidates
                        .into_iter()
                        .map(|c| c.key.candidate_id)
                        .collect(),
                });
            }
            for (participant, _) in report.unmatched {
                let email = participant.email.clone().unwrap_or_default();
                let label = participant
                    .label()
                    .unwrap_or("participant without e-mail")
                    .to_owned();
                unmatched.push((
                    config
                        .normalization
                        .normalize(&email)
                        .map(|e| e.as_str().to_owned())
                        .unwrap_or(email),
                    label,
                ));
            }
        }
        for (email, label) in unmatched {
            if !matched_anywhere.contains(&email) && !plan.unmatched.contains(&label) {
                plan.unmatched.push(label);
            }
        }
        tracing::info!(
            tenant = %tenant_id, meeting = %meeting.id, notes = plan.notes.len(),
            unmatched = plan.unmatched.len(), ambiguous = plan.ambiguous.len(), commit,
            "planned meeting notes"
        );
        Ok(plan)
    }

    /// Index hits first; an ATS lookup for addresses the index does not know.
    /// Only the addresses core's matching would look up are fetched (no
    /// interviewers, organizer or internal domains).
    async fn directory(
        &self,
        tenant: &Tenant,
        ats: Ats,
        meeting: &Meeting,
        config: &MatchConfig,
        connector: &dyn crate::AtsConnector,
        commit: bool,
    ) -> Result<HashMap<NormalizedEmail, Vec<IndexedCandidate>>> {
        let mut map = HashMap::new();
        for email in lookup_addresses(meeting, config) {
            let mut found: Vec<IndexedCandidate> = self
                .store
                .candidates_by_email(&tenant.id, email.as_str())?
                .into_iter()
                .filter(|c| c.key.ats == ats)
                .collect();
            if found.is_empty() {
                for mut candidate in connector
                    .find_candidates_by_email(&tenant.id, email.as_str())
                    .await?
                {
                    candidate.emails = self.normalize_emails_for(&tenant.id, &candidate.emails);
                    if commit {
                        self.store.upsert_candidate(&candidate)?;
                    }
                    found.push(candidate);
                }
            }
            map.insert(email, found);
        }
        Ok(map)
    }

    fn plan_note(
        &self,
        tenant: &Tenant,
        ats: Ats,
        meeting: &Meeting,
        notes: &InterviewNotes,
        candidate: &IndexedCandidate,
        commit: bool,
    ) -> Result<PlannedNote> {
        let application_id = self
            .interview_application(tenant, ats, meeting, candidate)?
            .or_else(|| candidate.default_application().map(|a| a.id.clone()));
        let target = NoteTarget {
            candidate_id: candidate.key.candidate_id.clone(),
            application_id,
        };
        let key = OutboxKey {
            tenant: tenant.id.clone(),
            meeting_id: meeting.id.as_str().to_owned(),
            ats,
            candidate_id: candidate.key.candidate_id.clone(),
        };
        let rendered = render_note(ats, meeting, notes, &tenant.settings)?;
        let mut planned = PlannedNote {
            key,
            target,
            body: rendered.body,
            marker: rendered.marker,
            disposition: NoteDisposition::Queued,
        };
        let archived = candidate.status != CandidateStatus::Active;
        if archived && tenant.settings.archived_policy == ArchivedPolicy::Skip {
            planned.disposition = NoteDisposition::SkippedArchived;
        } else if ats == Ats::Lever && planned.target.application_id.is_none() {
            planned.disposition = NoteDisposition::SkippedNoApplication;
        } else if let Some(existing) = self.store.outbox_entry(&planned.key)? {
            planned.disposition = NoteDisposition::AlreadyQueued(existing.state.name().to_owned());
        } else if commit {
            self.queue(&planned)?;
        }
        Ok(planned)
    }

    fn queue(&self, planned: &PlannedNote) -> Result<()> {
        let now = Utc::now();
        let parked = self.is_parked(&planned.key.tenant, planned.key.ats)?;
        let entry = OutboxEntry {
            key: planned.key.clone(),
            target: planned.target.clone(),
            body: planned.body.clone(),
            marker: planned.marker.clone(),
            state: match parked {
                Some(reason) => OutboxState::Parked { reason },
                None => OutboxState::Pending,
            },
            attempts: 0,
            next_attempt_at: now,
            last_error: None,
            created_at: now,
        };
        self.store.enqueue_note(&entry)?;
        Ok(())
    }

    /// The application of the ATS interview this meeting was registered
    /// from, when it belongs to this candidate.
    fn interview_application(
        &self,
        tenant: &Tenant,
        ats: Ats,
        meeting: &Meeting,
        candidate: &IndexedCandidate,
    ) -> Result<Option<String>> {
        let interviews = self.store.interviews(&tenant.id)?;
        Ok(interviews
            .into_iter()
            .find(|i| i.ats == ats && interview_meeting_id(i) == meeting.id)
            .and_then(|i| i.application_id)
            .filter(|app| candidate.applications.iter().any(|a| &a.id == app)))
    }
}

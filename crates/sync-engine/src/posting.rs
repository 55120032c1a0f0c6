//! From a processed meeting to outbox entries: match participants to
//! candidates, choose where each note goes, render it, enqueue it.
//!
//! ## Where a note goes
//! - A meeting registered from an ATS interview (see
//!   [`interview_meeting_id`](crate::notetaker::interview_meeting_id)) knows
//!   its candidate: its note goes to that candidate only, and any other
//!   participant who matches a candidate is reported in
//!   [`PostingPlan::other_candidates`], never posted to.
//! - Otherwise matching runs per ATS by e-mail (a person may be a candidate
//!   in both ATSs; each gets a note). Every address is confirmed with the
//!   ATS's own e-mail lookup before anything is queued: the index alone may
//!   be stale, or hold one of two candidates who share an address. A
//!   candidate the lookup returns must really carry the address. The index
//!   only adds facts the lookup lacks (status, applications); a lookup never
//!   erases them. Interviewers, the organizer and the tenant's own domains
//!   are never candidates (an address is judged over all its entries); an
//!   address shared by several candidates of one ATS is reported as
//!   ambiguous and gets no note.
//! - Planning is isolated per ATS: one ATS failing (revoked, down) is
//!   reported in [`PostingPlan::failed`] and does not keep the other's
//!   notes from being queued.
//! - Group meetings (several candidates): each candidate gets a note with
//!   the shared context and only their own answers and points (see
//!   `aspect_interview_core::group`), and only when the transcript's
//!   speakers can be tied to the candidates with certainty; otherwise no
//!   note is planned and [`PostingPlan::needs_review`] says why.
//! - One note per candidate. Lever shows a note on all of a candidate's
//!   opportunities, so the note goes on one opportunity: the one tied to the
//!   interview the meeting came from, else the most recently updated active
//!   one, else the most recently updated one. Greenhouse notes live on the
//!   candidate.
//! - Archived, rejected or hired candidates follow the tenant's
//!   [`ArchivedPolicy`].
//! - The outbox key (tenant, meeting, ATS, candidate) makes re-processing a
//!   meeting a no-op for notes already queued or posted.
//!
//! ## What a note may say
//! The notes come from the caller: an LLM's answer, a summarizer of the
//! caller's own, or text typed by hand. Before anything is rendered, notes
//! that no content policy checked get the default [`ContentPolicy`] (no
//! hiring recommendations, ratings, culture-fit judgements or statements
//! about protected characteristics); notes that one checked still lose
//! statements about protected characteristics, which no tenant setting
//! allows. The note's footer says what was removed.

use std::borrow::Cow;
use std::collections::HashMap;

use aspect_interview_core::group::{Attribution, attribute_candidates};
use aspect_interview_core::matching::{
    MatchConfig, NormalizedEmail, lookup_addresses, match_meeting,
};
use aspect_interview_core::{ContentPolicy, Guardrails, InterviewNotes, Meeting, Participant};
use chrono::Utc;

use crate::engine::{Engine, Tenant};
use crate::error::Result;
use crate::index::{CandidateStatus, IndexedCandidate};
use crate::notetaker::interview_of_meeting;
use crate::outbox::{NoteTarget, OutboxEntry, OutboxKey, OutboxState};
use crate::render::{Rendered, render_note};
use crate::store::TombstoneKind;
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

/// A matched candidate who gets no note because the meeting belongs to
/// another candidate's ATS interview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherCandidate {
    /// The ATS.
    pub ats: Ats,
    /// The normalized address that matched.
    pub email: String,
    /// The candidate it matched.
    pub candidate_id: String,
}

/// An ATS whose part of the plan could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedAts {
    /// The ATS.
    pub ats: Ats,
    /// Why (no secrets).
    pub error: String,
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
    /// Candidates matched in a meeting that belongs to another candidate's
    /// ATS interview: reported for review, not posted to.
    pub other_candidates: Vec<OtherCandidate>,
    /// ATSs whose planning failed (the others were planned). Planning the
    /// meeting again retries them; notes already queued are not duplicated.
    pub failed: Vec<FailedAts>,
    /// Set when the meeting matched several candidates but the transcript's
    /// speakers cannot be tied to them with certainty: no note is planned
    /// (one candidate's words must never land on another's record), and
    /// the reason is given for a person to review.
    pub needs_review: Option<String>,
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
        let checked = checked_notes(notes);
        let notes = checked.as_ref();
        let config =
            MatchConfig::with_internal_domains(tenant.settings.own_domains.iter().cloned())
                .normalization(tenant.settings.email_normalization.clone());
        let planner = Planner {
            engine: self,
            tenant: &tenant,
            meeting,
            notes,
            config,
            commit,
        };
        let mut plan = PostingPlan::default();
        // Addresses matched (or ambiguous) in any ATS, and those unmatched
        // somewhere: a person known to one ATS only is not "unmatched".
        let mut seen: Vec<String> = Vec::new();
        let mut unmatched: Vec<(String, String)> = Vec::new();
        let mut matches: Vec<AtsMatches> = Vec::new();
        for (&ats, connector) in &tenant.connectors {
            match planner.match_ats(ats, &**connector, &mut plan).await {
                Ok(found) => {
                    seen.extend(found.seen.iter().cloned());
                    unmatched.extend(found.unmatched.iter().cloned());
                    matches.push(found);
                }
                Err(e) => planner.ats_failed(&mut plan, ats, &e),
            }
        }
        // Every candidate seen in the meeting, in any ATS, counts for
        // attribution, also those who get no note here.
        let mut people: Vec<&Participant> = Vec::new();
        for p in matches.iter().flat_map(AtsMatches::candidate_participants) {
            if !people.iter().any(|q| q.email == p.email) {
                people.push(p);
            }
        }
        match attribute_candidates(meeting, people, notes) {
            Attribution::Uncertain { reason } => {
                tracing::warn!(tenant = %tenant_id, meeting = %meeting.id, %reason, "group meeting needs review; no note planned");
                plan.needs_review = Some(reason.to_string());
            }
            attribution => {
                for found in &matches {
                    if let Err(e) = planner.plan_targets(found, &attribution, &mut plan).await {
                        planner.ats_failed(&mut plan, found.ats, &e);
                    }
                }
            }
        }
        for (email, label) in unmatched {
            if !seen.contains(&email) && !plan.unmatched.contains(&label) {
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

    async fn queue(&self, planned: &PlannedNote) -> Result<()> {
        let now = Utc::now();
        let parked = self.is_parked(&planned.key.tenant, planned.key.ats).await?;
        let mut entry = OutboxEntry::new(
            planned.key.clone(),
            planned.target.clone(),
            planned.body.clone(),
            planned.marker.clone(),
        );
        entry.next_attempt_at = now;
        entry.created_at = now;
        if let Some(reason) = parked {
            entry.state = OutboxState::Parked { reason };
        }
        self.store.enqueue_note(&entry).await?;
        Ok(())
    }
}

/// The notes as the engine posts them (see the module docs): the default
/// content policy when none checked them, else the protected
/// characteristics again, which no relaxation allows.
fn checked_notes(notes: &InterviewNotes) -> Cow<'_, InterviewNotes> {
    let policy = if notes.policy.is_none() {
        ContentPolicy::default()
    } else {
        let mut everything_allowed = Guardrails::default();
        everything_allowed.allow_recommendation = true;
        everything_allowed.allow_trait_inference = true;
        ContentPolicy::default().relaxed_by(everything_allowed)
    };
    let mut checked = notes.clone();
    let report = policy.apply(&mut checked);
    if notes.policy.is_some() && report.removed.is_empty() {
        // Nothing more to remove: post the notes exactly as given.
        return Cow::Borrowed(notes);
    }
    Cow::Owned(checked)
}

/// Plans one meeting's notes for one tenant.
struct Planner<'a> {
    engine: &'a Engine,
    tenant: &'a Tenant,
    meeting: &'a Meeting,
    notes: &'a InterviewNotes,
    config: MatchConfig,
    commit: bool,
}

/// One candidate who gets a note in one ATS, and the meeting participant
/// they were matched from (none for an ATS interview's own candidate who
/// joined under another address).
struct Target {
    candidate: IndexedCandidate,
    participant: Option<Participant>,
}

/// What matching one ATS found.
struct AtsMatches {
    ats: Ats,
    targets: Vec<Target>,
    /// Candidates matched but not posted to (another candidate's interview).
    others: Vec<Participant>,
    /// Normalized addresses matched or ambiguous in this ATS.
    seen: Vec<String>,
    /// (normalized address, label) of participants this ATS did not know.
    unmatched: Vec<(String, String)>,
}

impl AtsMatches {
    fn candidate_participants(&self) -> impl Iterator<Item = &Participant> {
        self.targets
            .iter()
            .filter_map(|t| t.participant.as_ref())
            .chain(&self.others)
    }
}

impl Planner<'_> {
    fn ats_failed(&self, plan: &mut PostingPlan, ats: Ats, e: &crate::Error) {
        tracing::warn!(tenant = %self.tenant.id, meeting = %self.meeting.id, %ats, error = %e, "planning failed for one ATS");
        plan.failed.push(FailedAts {
            ats,
            error: e.to_string(),
        });
    }

    async fn match_ats(
        &self,
        ats: Ats,
        connector: &dyn crate::AtsConnector,
        plan: &mut PostingPlan,
    ) -> Result<AtsMatches> {
        let interview_candidate = self.interview_candidate(ats).await?;
        // A meeting from a known ATS interview only reports other matches,
        // so the index is enough; otherwise every address is confirmed.
        let directory = self
            .directory(ats, connector, interview_candidate.is_none())
            .await?;
        let report = match_meeting(self.meeting, &directory, &self.config);
        let mut out = AtsMatches {
            ats,
            targets: Vec::new(),
            others: Vec::new(),
            seen: Vec::new(),
            unmatched: Vec::new(),
        };
        let mut known_participant = None;
        for m in &report.matched {
            out.seen.push(m.email.as_str().to_owned());
            match &interview_candidate {
                Some(known) if known.key != m.candidate.key => {
                    plan.other_candidates.push(OtherCandidate {
                        ats,
                        email: m.email.as_str().to_owned(),
                        candidate_id: m.candidate.key.candidate_id.clone(),
                    });
                    out.others.push(m.participant.clone());
                }
                Some(_) => known_participant = Some(m.participant.clone()),
                None => out.targets.push(Target {
                    candidate: m.candidate.clone(),
                    participant: Some(m.participant.clone()),
                }),
            }
        }
        if let Some(candidate) = interview_candidate {
            out.targets.push(Target {
                candidate,
                participant: known_participant,
            });
        }
        for a in report.ambiguous {
            out.seen.push(a.email.as_str().to_owned());
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
            let raw = participant.email.clone().unwrap_or_default();
            let email = self
                .config
                .normalization
                .normalize(&raw)
                .map_or(raw, |e| e.as_str().to_owned());
            let label = participant
                .label()
                .unwrap_or("participant without e-mail")
                .to_owned();
            out.unmatched.push((email, label));
        }
        Ok(out)
    }

    /// Renders and plans each target's note: one shared rendering when the
    /// meeting has one candidate, each candidate's own note otherwise.
    async fn plan_targets(
        &self,
        found: &AtsMatches,
        attribution: &Attribution,
        plan: &mut PostingPlan,
    ) -> Result<()> {
        let settings = &self.tenant.settings;
        let mut shared: Option<Rendered> = None;
        let mut planned = Vec::new();
        for target in &found.targets {
            let own = match (attribution, &target.participant) {
                (Attribution::Certain(group), Some(p)) => group.notes_for(self.notes, p),
                _ => None,
            };
            let rendered = match own {
                Some(own) => {
                    render_note(found.ats, self.meeting, Some(&own), self.notes, settings)?
                }
                None if matches!(attribution, Attribution::Certain(_)) => {
                    // A group meeting whose candidate has no speaker of their
                    // own cannot get a note without the others' words.
                    plan.needs_review.get_or_insert_with(|| {
                        "a matched candidate could not be tied to a speaker".to_owned()
                    });
                    continue;
                }
                None => match &shared {
                    Some(r) => r.clone(),
                    None => shared
                        .insert(render_note(
                            found.ats,
                            self.meeting,
                            None,
                            self.notes,
                            settings,
                        )?)
                        .clone(),
                },
            };
            planned.push(
                self.plan_note(found.ats, &target.candidate, &rendered)
                    .await?,
            );
        }
        plan.notes.extend(planned);
        Ok(())
    }

    /// The candidate of the ATS interview this meeting was registered from,
    /// when the index knows it.
    async fn interview_candidate(&self, ats: Ats) -> Result<Option<IndexedCandidate>> {
        let Some(interview_id) = interview_of_meeting(&self.meeting.id, ats) else {
            return Ok(None);
        };
        let store = &self.engine.store;
        let Some(interview) = store.interview(&self.tenant.id, ats, interview_id).await? else {
            return Ok(None);
        };
        let by_id = match &interview.candidate_id {
            Some(id) => {
                store
                    .candidate(&crate::index::CandidateKey {
                        tenant: self.tenant.id.clone(),
                        ats,
                        candidate_id: id.clone(),
                    })
                    .await?
            }
            None => None,
        };
        match (by_id, &interview.application_id) {
            (Some(c), _) => Ok(Some(c)),
            (None, Some(app)) => {
                store
                    .candidate_by_application(&self.tenant.id, ats, app)
                    .await
            }
            (None, None) => Ok(None),
        }
    }

    /// The candidates behind each address the meeting's matching looks up
    /// (no interviewers, organizer or internal domains). With `confirm`,
    /// the ATS's e-mail lookup decides who has the address and the index
    /// only adds facts; without it, index hits stand and the lookup only
    /// fills in addresses the index does not know.
    async fn directory(
        &self,
        ats: Ats,
        connector: &dyn crate::AtsConnector,
        confirm: bool,
    ) -> Result<HashMap<NormalizedEmail, Vec<IndexedCandidate>>> {
        let (engine, tenant) = (self.engine, &self.tenant.id);
        let mut map = HashMap::new();
        for email in lookup_addresses(self.meeting, &self.config) {
            let indexed: Vec<IndexedCandidate> = engine
                .store
                .candidates_by_email(tenant, email.as_str())
                .await?
                .into_iter()
                .filter(|c| c.key.ats == ats)
                .collect();
            if !confirm && !indexed.is_empty() {
                map.insert(email, indexed);
                continue;
            }
            let mut found = Vec::new();
            for candidate in connector
                .find_candidates_by_email(tenant, email.as_str())
                .await?
            {
                if let Some(c) = self.confirmed(candidate, &email, &indexed).await? {
                    if self.commit {
                        engine.store.upsert_candidate(&c).await?;
                    }
                    found.push(c);
                }
            }
            map.insert(email, found);
        }
        Ok(map)
    }

    /// A candidate from the ATS lookup, kept only if it really carries the
    /// address and is not deleted, with what the index knows of it added:
    /// a lookup may add applications, never erase status or applications.
    async fn confirmed(
        &self,
        mut found: IndexedCandidate,
        email: &NormalizedEmail,
        indexed: &[IndexedCandidate],
    ) -> Result<Option<IndexedCandidate>> {
        let store = &self.engine.store;
        found.emails = self
            .engine
            .normalize_emails_for(&self.tenant.id, &found.emails);
        if !found.emails.iter().any(|e| e == email.as_str()) {
            tracing::warn!(ats = %found.key.ats, "ATS e-mail lookup returned a candidate without the address; ignored");
            return Ok(None);
        }
        let k = &found.key;
        if store
            .tombstone(&k.tenant, k.ats, TombstoneKind::Candidate, &k.candidate_id)
            .await?
            .is_some()
        {
            return Ok(None);
        }
        let mut live = Vec::new();
        for a in found.applications.drain(..) {
            if store
                .tombstone(&k.tenant, k.ats, TombstoneKind::Application, &a.id)
                .await?
                .is_none()
            {
                live.push(a);
            }
        }
        found.applications = live;
        let known = match indexed.iter().find(|c| c.key == found.key) {
            Some(c) => Some(c.clone()),
            None => store.candidate(&found.key).await?,
        };
        Ok(Some(match known {
            Some(known) => with_lookup_facts(known, found),
            None => found,
        }))
    }

    async fn plan_note(
        &self,
        ats: Ats,
        candidate: &IndexedCandidate,
        rendered: &Rendered,
    ) -> Result<PlannedNote> {
        let application_id = self
            .interview_application(ats, candidate)
            .await?
            .or_else(|| candidate.default_application().map(|a| a.id.clone()));
        let mut planned = PlannedNote {
            key: OutboxKey {
                tenant: self.tenant.id.clone(),
                meeting_id: self.meeting.id.as_str().to_owned(),
                ats,
                candidate_id: candidate.key.candidate_id.clone(),
            },
            target: NoteTarget {
                candidate_id: candidate.key.candidate_id.clone(),
                application_id,
            },
            body: rendered.body.clone(),
            marker: rendered.marker.clone(),
            disposition: NoteDisposition::Queued,
        };
        // Status comes from complete facts: the index's, with what the
        // lookup added (never from a bare lookup hit that lacks applications).
        let archived = candidate.status != CandidateStatus::Active;
        if archived && self.tenant.settings.archived_policy == ArchivedPolicy::Skip {
            planned.disposition = NoteDisposition::SkippedArchived;
        } else if ats == Ats::Lever && planned.target.application_id.is_none() {
            planned.disposition = NoteDisposition::SkippedNoApplication;
        } else if let Some(existing) = self.engine.store.outbox_entry(&planned.key).await? {
            planned.disposition = NoteDisposition::AlreadyQueued(existing.state.name().to_owned());
        } else if self.commit {
            self.engine.queue(&planned).await?;
        }
        Ok(planned)
    }

    /// The application of the ATS interview this meeting was registered
    /// from, when it belongs to this candidate.
    async fn interview_application(
        &self,
        ats: Ats,
        candidate: &IndexedCandidate,
    ) -> Result<Option<String>> {
        let Some(interview_id) = interview_of_meeting(&self.meeting.id, ats) else {
            return Ok(None);
        };
        let interview = self
            .engine
            .store
            .interview(&self.tenant.id, ats, interview_id)
            .await?;
        Ok(interview
            .and_then(|i| i.application_id)
            .filter(|app| candidate.applications.iter().any(|a| &a.id == app)))
    }
}

/// The indexed candidate with what an ATS lookup adds: applications it did
/// not know and addresses; its status and applications are never erased.
fn with_lookup_facts(mut known: IndexedCandidate, found: IndexedCandidate) -> IndexedCandidate {
    let had_applications = !known.applications.is_empty();
    for app in found.applications {
        if !known.applications.iter().any(|a| a.id == app.id) {
            known.applications.push(app);
        }
    }
    for email in found.emails {
        if !known.emails.contains(&email) {
            known.emails.push(email);
        }
    }
    if !had_applications {
        known.status = found.status;
    }
    known.name = known.name.or(found.name);
    known
}

//! The typed delivery: one variant per documented action, and what an event
//! means for a sync (candidate, application, status change, deletion).

use super::payloads::{
    AnonymizedCandidate, DeletedApplication, DeletedInterview, DeletedJob,
    DeletedJobInterviewStage, DeletedOrgUnit, DeletedScorecard, JobApproval, MergedCandidate, Ping,
    RemovedCandidate, WebhookApplication, WebhookCandidate, WebhookJob, WebhookJobPost,
    WebhookOffer,
};

/// A parsed webhook delivery: one variant per documented action (the 29 of
/// the Greenhouse webhook reference, grnhse/greenhouse-api-docs
/// `source/includes/webhooks/_*_events.md`), `ping`, and `Unknown` for
/// actions added later.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum WebhookEvent {
    /// `ping`: sent when a webhook is saved; answer 200 or Greenhouse disables it.
    Ping(Ping),
    /// `new_candidate_application` ("Application created").
    NewCandidateApplication(Box<WebhookApplication>),
    /// `new_prospect_application` ("Prospect created").
    NewProspectApplication(Box<WebhookApplication>),
    /// `application_updated`.
    ApplicationUpdated(Box<WebhookApplication>),
    /// `delete_application`: one application was destroyed (not sent when its
    /// candidate is deleted). Carries ids only, no candidate object.
    ApplicationDeleted(DeletedApplication),
    /// `offer_created` (also sent when a change creates a new offer version).
    OfferCreated(WebhookOffer),
    /// `offer_approved`: the offer's approval was received.
    OfferApproved(WebhookOffer),
    /// `offer_updated` (also sent on the old version when a new one is created, and on hire).
    OfferUpdated(WebhookOffer),
    /// `offer_deleted`.
    OfferDeleted(WebhookOffer),
    /// `job_post_created`: the post sits directly in `payload`.
    JobPostCreated(WebhookJobPost),
    /// `job_post_updated` ("Job post updated"): the post sits directly in `payload`.
    JobPostUpdated(WebhookJobPost),
    /// `job_post_deleted`.
    JobPostDeleted(WebhookJobPost),
    /// `job_created` ("Job created").
    JobCreated(Box<WebhookJob>),
    /// `job_updated`.
    JobUpdated(Box<WebhookJob>),
    /// `job_approved`: the final approval of a job's approval flow.
    JobApproved(Box<JobApproval>),
    /// `job_deleted`.
    JobDeleted(DeletedJob),
    /// `job_interview_stage_deleted`.
    JobInterviewStageDeleted(DeletedJobInterviewStage),
    /// `update_candidate` ("Candidate or prospect updated").
    CandidateUpdated(Box<WebhookCandidate>),
    /// `candidate_stage_change` ("Candidate has changed stage"); no previous stage is included.
    CandidateStageChanged(Box<WebhookApplication>),
    /// `hire_candidate`: an offer was accepted; carries `offer`, `opening` and the deprecated `job`.
    CandidateHired(Box<WebhookApplication>),
    /// `unhire_candidate`.
    CandidateUnhired(Box<WebhookApplication>),
    /// `reject_candidate`: a candidate or prospect was rejected (once per candidate in bulk rejections).
    CandidateRejected(Box<WebhookApplication>),
    /// `unreject_candidate`.
    CandidateUnrejected(Box<WebhookApplication>),
    /// `delete_candidate`: the candidate no longer exists (also sent for merges
    /// when no merge webhook is configured).
    CandidateDeleted(RemovedCandidate),
    /// `merge_candidate`: the candidate was merged into another one.
    CandidateMerged(MergedCandidate),
    /// `candidate_anonymized`: personal fields were erased.
    CandidateAnonymized(AnonymizedCandidate),
    /// `interview_deleted`: a scheduled interview was cancelled or deleted
    /// (not sent when its candidate, application or hiring plan is deleted).
    InterviewDeleted(DeletedInterview),
    /// `scorecard_deleted`.
    ScorecardDeleted(DeletedScorecard),
    /// `department_deleted`.
    DepartmentDeleted(DeletedOrgUnit),
    /// `office_deleted`.
    OfficeDeleted(DeletedOrgUnit),
    /// Any other action, with the whole body kept.
    Unknown {
        /// The `action` string.
        action: String,
        /// The entire delivery as JSON.
        raw: serde_json::Value,
    },
}

/// How an event changes a candidate's standing on an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StatusChange {
    /// `hire_candidate`.
    Hired,
    /// `unhire_candidate`.
    Unhired,
    /// `reject_candidate`.
    Rejected,
    /// `unreject_candidate`.
    Unrejected,
}

/// What a deletion event removed, by id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Deletion {
    /// `delete_candidate`, with the applications removed along with it.
    Candidate {
        /// The candidate.
        id: u64,
        /// Its applications that went with it.
        application_ids: Vec<u64>,
    },
    /// `merge_candidate`: `id` now lives on as `into`.
    CandidateMerged {
        /// The merged-away candidate.
        id: u64,
        /// The surviving candidate.
        into: u64,
    },
    /// `delete_application`.
    Application {
        /// The application.
        id: u64,
        /// Its candidate, when sent.
        candidate_id: Option<u64>,
    },
    /// `offer_deleted`.
    Offer(u64),
    /// `interview_deleted`.
    Interview(u64),
    /// `scorecard_deleted`.
    Scorecard(u64),
    /// `job_deleted`.
    Job(u64),
    /// `job_post_deleted`.
    JobPost(u64),
    /// `job_interview_stage_deleted`.
    JobInterviewStage(u64),
    /// `department_deleted`.
    Department(u64),
    /// `office_deleted`.
    Office(u64),
}

impl WebhookEvent {
    /// The `action` string of the delivery.
    pub fn action(&self) -> &str {
        use WebhookEvent as E;
        match self {
            E::Ping(_) => "ping",
            E::NewCandidateApplication(_) => "new_candidate_application",
            E::NewProspectApplication(_) => "new_prospect_application",
            E::ApplicationUpdated(_) => "application_updated",
            E::ApplicationDeleted(_) => "delete_application",
            E::OfferCreated(_) => "offer_created",
            E::OfferApproved(_) => "offer_approved",
            E::OfferUpdated(_) => "offer_updated",
            E::OfferDeleted(_) => "offer_deleted",
            E::JobPostCreated(_) => "job_post_created",
            E::JobPostUpdated(_) => "job_post_updated",
            E::JobPostDeleted(_) => "job_post_deleted",
            E::JobCreated(_) => "job_created",
            E::JobUpdated(_) => "job_updated",
            E::JobApproved(_) => "job_approved",
            E::JobDeleted(_) => "job_deleted",
            E::JobInterviewStageDeleted(_) => "job_interview_stage_deleted",
            E::CandidateUpdated(_) => "update_candidate",
            E::CandidateStageChanged(_) => "candidate_stage_change",
            E::CandidateHired(_) => "hire_candidate",
            E::CandidateUnhired(_) => "unhire_candidate",
            E::CandidateRejected(_) => "reject_candidate",
            E::CandidateUnrejected(_) => "unreject_candidate",
            E::CandidateDeleted(_) => "delete_candidate",
            E::CandidateMerged(_) => "merge_candidate",
            E::CandidateAnonymized(_) => "candidate_anonymized",
            E::InterviewDeleted(_) => "interview_deleted",
            E::ScorecardDeleted(_) => "scorecard_deleted",
            E::DepartmentDeleted(_) => "department_deleted",
            E::OfficeDeleted(_) => "office_deleted",
            E::Unknown { action, .. } => action,
        }
    }

    /// The application of an application, candidate-status or stage event.
    pub fn application(&self) -> Option<&WebhookApplication> {
        use WebhookEvent as E;
        match self {
            E::NewCandidateApplication(a)
            | E::NewProspectApplication(a)
            | E::ApplicationUpdated(a)
            | E::CandidateStageChanged(a)
            | E::CandidateHired(a)
            | E::CandidateUnhired(a)
            | E::CandidateRejected(a)
            | E::CandidateUnrejected(a) => Some(a),
            _ => None,
        }
    }

    /// The candidate the event is about, when it names one.
    pub fn candidate_id(&self) -> Option<u64> {
        use WebhookEvent as E;
        if let Some(a) = self.application() {
            return Some(a.candidate.id);
        }
        match self {
            E::CandidateUpdated(c) => Some(c.id),
            E::CandidateDeleted(p) => Some(p.id),
            E::CandidateMerged(m) => Some(m.merged.id),
            E::CandidateAnonymized(a) => Some(a.candidate_id),
            E::ApplicationDeleted(a) => a.candidate_id,
            E::ScorecardDeleted(s) => s.candidate_id,
            _ => None,
        }
    }

    /// The application the event is about, when it names one.
    pub fn application_id(&self) -> Option<u64> {
        use WebhookEvent as E;
        if let Some(a) = self.application() {
            return Some(a.id);
        }
        match self {
            E::ApplicationDeleted(a) => Some(a.id),
            E::OfferCreated(o) | E::OfferApproved(o) | E::OfferUpdated(o) | E::OfferDeleted(o) => {
                o.application_id
            }
            _ => None,
        }
    }

    /// For hire, unhire, reject and unreject events: how the candidate's
    /// standing on the application changed.
    pub fn status_change(&self) -> Option<StatusChange> {
        Some(match self {
            WebhookEvent::CandidateHired(_) => StatusChange::Hired,
            WebhookEvent::CandidateUnhired(_) => StatusChange::Unhired,
            WebhookEvent::CandidateRejected(_) => StatusChange::Rejected,
            WebhookEvent::CandidateUnrejected(_) => StatusChange::Unrejected,
            _ => return None,
        })
    }

    /// For deletion events (and merges): what no longer exists.
    pub fn deletion(&self) -> Option<Deletion> {
        use WebhookEvent as E;
        Some(match self {
            E::CandidateDeleted(p) => Deletion::Candidate {
                id: p.id,
                application_ids: p.deleted_application_ids.clone(),
            },
            E::CandidateMerged(m) => Deletion::CandidateMerged {
                id: m.merged.id,
                into: m.surviving_candidate_id,
            },
            E::ApplicationDeleted(a) => Deletion::Application {
                id: a.id,
                candidate_id: a.candidate_id,
            },
            E::OfferDeleted(o) => Deletion::Offer(o.id),
            E::InterviewDeleted(i) => Deletion::Interview(i.id),
            E::ScorecardDeleted(s) => Deletion::Scorecard(s.id),
            E::JobDeleted(j) => Deletion::Job(j.id),
            E::JobPostDeleted(p) => Deletion::JobPost(p.id),
            E::JobInterviewStageDeleted(s) => Deletion::JobInterviewStage(s.id),
            E::DepartmentDeleted(d) => Deletion::Department(d.id),
            E::OfficeDeleted(o) => Deletion::Office(o.id),
            _ => return None,
        })
    }

    /// The applications this event removed: the one of `delete_application`,
    /// or those deleted with a candidate by `delete_candidate`.
    pub fn deleted_application_ids(&self) -> Vec<u64> {
        match self {
            WebhookEvent::ApplicationDeleted(a) => vec![a.id],
            WebhookEvent::CandidateDeleted(p) => p.deleted_application_ids.clone(),
            _ => Vec::new(),
        }
    }

    /// The interview an `interview_deleted` event cancelled.
    pub fn deleted_interview_id(&self) -> Option<u64> {
        match self {
            WebhookEvent::InterviewDeleted(i) => Some(i.id),
            _ => None,
        }
    }
}

//! Greenhouse Recruiting webhooks: signature verification over the raw body,
//! typed events, and a signer for tests.
//!
//! Delivery (unchanged by Harvest v3, research notes §4): a JSON POST
//! `{"action": …, "payload": {…}}` with `Signature: sha256 <hex>`, where
//! `<hex>` is the lowercase HMAC-SHA256 of the **entire raw body** keyed by the
//! secret entered when the webhook was created. Greenhouse escapes characters
//! such as `<` as `\u003c` *before* signing, so the body must be verified
//! exactly as received — never re-serialized. Deliveries are at-least-once
//! (up to 7 attempts over ~15 hours): de-duplicate on the
//! `Greenhouse-Event-ID` header and answer 200 quickly.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::error::{Error, Result};
pub use crate::models::OfferStatus;
use crate::models::common::{location_name, null_as_empty};
use crate::models::{
    ApplicationStatus, CustomField, EmailAddress, InterviewStatus, JobStatus, ResponseStatus,
    TypedValue, timestamp,
};

/// Name of the signature header.
pub const SIGNATURE_HEADER: &str = "Signature";
/// Name of the per-delivery id header, for de-duplication.
pub const EVENT_ID_HEADER: &str = "Greenhouse-Event-ID";

type HmacSha256 = Hmac<Sha256>;

/// The `Signature` header value Greenhouse would send for `body` signed with `secret`:
/// `sha256 <lowercase hex>`.
pub fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac =
        HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC accepts any key length");
    mac.update(body);
    format!("sha256 {}", hex::encode(mac.finalize().into_bytes()))
}

/// Verifies deliveries against one or more secrets (several during a rotation).
/// `Debug` never shows the secrets.
#[derive(Clone)]
pub struct WebhookVerifier {
    secrets: Vec<SecretString>,
}

impl fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookVerifier")
            .field(
                "secrets",
                &format_args!("[{} redacted]", self.secrets.len()),
            )
            .finish()
    }
}

impl WebhookVerifier {
    /// A verifier for one secret.
    pub fn new(secret: impl Into<String>) -> Self {
        WebhookVerifier {
            secrets: vec![SecretString::from(secret.into())],
        }
    }

    /// Also accepts `secret` (e.g. the new one while both are live).
    pub fn with_secret(mut self, secret: impl Into<String>) -> Self {
        self.secrets.push(SecretString::from(secret.into()));
        self
    }

    /// Checks `signature_header` (the `Signature` header value, if any) against
    /// the raw `body` in constant time.
    pub fn verify(&self, body: &[u8], signature_header: Option<&str>) -> Result<()> {
        let header = signature_header.ok_or(Error::InvalidSignature {
            reason: "missing Signature header",
        })?;
        // "the SHA algorithm used to generate the signature, a space, and the
        // signature": split at the first space (never strip a character set).
        let (algorithm, digest) = header
            .trim()
            .split_once(' ')
            .ok_or(Error::InvalidSignature {
                reason: "malformed Signature header (expected `sha256 <hex>`)",
            })?;
        if !algorithm.eq_ignore_ascii_case("sha256") {
            return Err(Error::InvalidSignature {
                reason: "unsupported signature algorithm (expected sha256)",
            });
        }
        let expected = hex::decode(digest.trim()).map_err(|_| Error::InvalidSignature {
            reason: "signature is not hexadecimal",
        })?;
        let matched = self.secrets.iter().any(|secret| {
            let mut mac = HmacSha256::new_from_slice(secret.expose_secret().as_bytes())
                .expect("HMAC accepts any key length");
            mac.update(body);
            mac.verify_slice(&expected).is_ok()
        });
        if matched {
            Ok(())
        } else {
            Err(Error::InvalidSignature {
                reason: "signature does not match the body",
            })
        }
    }

    /// Verifies, then parses the delivery into a [`WebhookEvent`].
    pub fn verify_and_parse(
        &self,
        body: &[u8],
        signature_header: Option<&str>,
    ) -> Result<WebhookEvent> {
        self.verify(body, signature_header)?;
        parse_event(body)
    }
}

/// Parses an (already verified) delivery body. Unknown actions become
/// [`WebhookEvent::Unknown`]; a known action whose payload does not match gives
/// [`Error::InvalidWebhookPayload`] naming the JSON path.
pub fn parse_event(body: &[u8]) -> Result<WebhookEvent> {
    #[derive(Deserialize)]
    struct Envelope {
        action: String,
        #[serde(default)]
        payload: serde_json::Value,
    }
    let raw: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| Error::InvalidWebhookPayload {
            path: String::new(),
            message: e.to_string(),
        })?;
    let env: Envelope = typed(&raw, "")?;
    let p = &env.payload;
    Ok(match env.action.as_str() {
        "ping" => WebhookEvent::Ping(typed(p, "payload")?),
        // Application events (webhooks/_application_events.md).
        "new_candidate_application" => {
            WebhookEvent::NewCandidateApplication(field(p, "application")?)
        }
        "new_prospect_application" => {
            WebhookEvent::NewProspectApplication(field(p, "application")?)
        }
        "application_updated" => WebhookEvent::ApplicationUpdated(field(p, "application")?),
        "delete_application" => WebhookEvent::ApplicationDeleted(field(p, "application")?),
        // Offer payloads sit directly in `payload`, except `offer_deleted`'s.
        "offer_created" => WebhookEvent::OfferCreated(typed(p, "payload")?),
        "offer_approved" => WebhookEvent::OfferApproved(typed(p, "payload")?),
        "offer_updated" => WebhookEvent::OfferUpdated(typed(p, "payload")?),
        "offer_deleted" => WebhookEvent::OfferDeleted(field(p, "offer")?),
        // Candidate events (webhooks/_candidate_events.md).
        "update_candidate" => WebhookEvent::CandidateUpdated(field(p, "candidate")?),
        "candidate_stage_change" => WebhookEvent::CandidateStageChanged(field(p, "application")?),
        "hire_candidate" => WebhookEvent::CandidateHired(field(p, "application")?),
        "unhire_candidate" => WebhookEvent::CandidateUnhired(field(p, "application")?),
        "reject_candidate" => WebhookEvent::CandidateRejected(field(p, "application")?),
        "unreject_candidate" => WebhookEvent::CandidateUnrejected(field(p, "application")?),
        "delete_candidate" => WebhookEvent::CandidateDeleted(field(p, "person")?),
        "merge_candidate" => {
            let person: RemovedCandidate = field(p, "person")?;
            let surviving =
                person
                    .new_candidate_id
                    .ok_or_else(|| Error::InvalidWebhookPayload {
                        path: "payload.person.new_candidate_id".into(),
                        message: "missing field `new_candidate_id`".into(),
                    })?;
            WebhookEvent::CandidateMerged(MergedCandidate {
                merged: person,
                surviving_candidate_id: surviving,
            })
        }
        "candidate_anonymized" => WebhookEvent::CandidateAnonymized(typed(p, "payload")?),
        // Interview events (webhooks/_interview_events.md).
        "interview_deleted" => WebhookEvent::InterviewDeleted(field(p, "interview")?),
        "scorecard_deleted" => WebhookEvent::ScorecardDeleted(field(p, "scorecard")?),
        // Job events (webhooks/_job_events.md).
        "job_created" => WebhookEvent::JobCreated(field(p, "job")?),
        "job_updated" => WebhookEvent::JobUpdated(field(p, "job")?),
        "job_deleted" => WebhookEvent::JobDeleted(field(p, "job")?),
        "job_approved" => WebhookEvent::JobApproved(Box::new(typed(p, "payload")?)),
        // `job_post_created`/`_updated` put the post directly in `payload`,
        // `job_post_deleted` wraps it in `job_post`.
        "job_post_created" => WebhookEvent::JobPostCreated(typed(p, "payload")?),
        "job_post_updated" => WebhookEvent::JobPostUpdated(typed(p, "payload")?),
        "job_post_deleted" => WebhookEvent::JobPostDeleted(field(p, "job_post")?),
        "job_interview_stage_deleted" => {
            WebhookEvent::JobInterviewStageDeleted(field(p, "job_interview_stage")?)
        }
        // Organization events (webhooks/_organization_events.md).
        "department_deleted" => WebhookEvent::DepartmentDeleted(field(p, "department")?),
        "office_deleted" => WebhookEvent::OfficeDeleted(field(p, "office")?),
        _ => WebhookEvent::Unknown {
            action: env.action,
            raw,
        },
    })
}

fn typed<T: DeserializeOwned>(value: &serde_json::Value, prefix: &str) -> Result<T> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        Error::InvalidWebhookPayload {
            path: match (prefix.is_empty(), path.as_str()) {
                (true, _) => path,
                (false, ".") => prefix.to_owned(),
                (false, _) => format!("{prefix}.{path}"),
            },
            message: e.into_inner().to_string(),
        }
    })
}

fn field<T: DeserializeOwned>(payload: &serde_json::Value, name: &str) -> Result<T> {
    let value = payload
        .get(name)
        .ok_or_else(|| Error::InvalidWebhookPayload {
            path: format!("payload.{name}"),
            message: format!("missing field `{name}`"),
        })?;
    typed(value, &format!("payload.{name}"))
}

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

/// The `ping` payload (undocumented; shape observed in grnhse/greenhouse-api-docs#276).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Ping {
    /// The webhook's id.
    #[serde(default)]
    pub web_hook_id: Option<u64>,
    /// Where deliveries go.
    #[serde(default)]
    pub endpoint_url: Option<String>,
    /// The webhook's name.
    #[serde(default)]
    pub name: Option<String>,
    /// The UI event name, e.g. `Job Post Created`.
    #[serde(default)]
    pub event: Option<String>,
    /// Whether the webhook is enabled.
    #[serde(default)]
    pub active: Option<bool>,
    /// Delivery content type (the key is hyphenated on the wire).
    #[serde(rename = "content-type", default)]
    pub content_type: Option<String>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// A user reference in webhooks (unlike Harvest, it carries `email`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WebhookUser {
    /// User id.
    pub id: u64,
    /// E-mail.
    #[serde(default)]
    pub email: Option<String>,
    /// Full name.
    #[serde(default)]
    pub name: Option<String>,
    /// External employee id.
    #[serde(default)]
    pub employee_id: Option<String>,
}

/// Webhook custom fields: always `{key: {name, type, value}}` objects.
pub type WebhookCustomFields = BTreeMap<String, CustomField>;

/// A department on a webhook job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WebhookDepartment {
    /// Id.
    pub id: u64,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// The customer's id for it.
    #[serde(default)]
    pub external_id: Option<String>,
}

/// An office on a webhook job (`location` is a string here).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WebhookOffice {
    /// Id.
    pub id: u64,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Location text.
    #[serde(default)]
    pub location: Option<String>,
    /// The customer's id for it.
    #[serde(default)]
    pub external_id: Option<String>,
}

/// A hiring-team member.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct HiringTeamMember {
    /// User id.
    pub user_id: u64,
    /// External employee id.
    #[serde(default)]
    pub employee_id: Option<String>,
}

/// A job's hiring team.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct HiringTeam {
    /// Hiring managers.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub hiring_managers: Vec<HiringTeamMember>,
    /// Sourcers.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub sourcers: Vec<HiringTeamMember>,
    /// Recruiters.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub recruiters: Vec<HiringTeamMember>,
    /// Coordinators.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub coordinators: Vec<HiringTeamMember>,
}

/// An opening of a job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WebhookOpening {
    /// Id.
    #[serde(default)]
    pub id: Option<u64>,
    /// The customer's opening id.
    #[serde(default)]
    pub opening_id: Option<String>,
    /// Opening custom fields (an empty array in the official examples).
    #[serde(default)]
    pub custom_fields: serde_json::Value,
}

/// A job in webhook payloads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WebhookJob {
    /// Job id.
    pub id: u64,
    /// Internal name.
    #[serde(default)]
    pub name: Option<String>,
    /// Requisition id.
    #[serde(default)]
    pub requisition_id: Option<String>,
    /// Notes (HTML).
    #[serde(default)]
    pub notes: Option<String>,
    /// Confidential job.
    #[serde(default)]
    pub confidential: Option<bool>,
    /// The job's post.
    #[serde(default)]
    pub job_post_id: Option<u64>,
    /// Status.
    #[serde(default)]
    pub status: Option<JobStatus>,
    /// Creator.
    #[serde(default)]
    pub created_by_id: Option<u64>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Opening time.
    #[serde(default, with = "timestamp::option")]
    pub opened_at: Option<DateTime<Utc>>,
    /// Closing time.
    #[serde(default, with = "timestamp::option")]
    pub closed_at: Option<DateTime<Utc>>,
    /// Departments.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub departments: Vec<WebhookDepartment>,
    /// Offices.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub offices: Vec<WebhookOffice>,
    /// Link to the job in Greenhouse (on `jobs[]` of application events).
    #[serde(default)]
    pub url: Option<String>,
    /// Deprecated spelling of `opened_at` on the `application.job` of
    /// `hire_candidate` ("Deprecated. Use `application.jobs[].opened_at`").
    #[serde(default, with = "timestamp::option")]
    pub open_date: Option<DateTime<Utc>>,
    /// Deprecated spelling of `closed_at` on the `application.job` of `hire_candidate`.
    #[serde(default, with = "timestamp::option")]
    pub close_date: Option<DateTime<Utc>>,
    /// Hiring team (absent in jobs nested in applications).
    #[serde(default)]
    pub hiring_team: Option<HiringTeam>,
    /// Openings.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub openings: Vec<WebhookOpening>,
    /// Custom fields.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub custom_fields: WebhookCustomFields,
}

/// An application question on a job post.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WebhookQuestion {
    /// Required answer.
    #[serde(default)]
    pub required: Option<bool>,
    /// Private question.
    #[serde(default)]
    pub private: Option<bool>,
    /// Label.
    #[serde(default)]
    pub label: Option<String>,
    /// Input type, e.g. `input_text`.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// Options of select questions.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub values: Vec<serde_json::Value>,
}

/// A job post in webhook payloads (`location` is a string here).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WebhookJobPost {
    /// Post id.
    pub id: u64,
    /// Title.
    #[serde(default)]
    pub title: Option<String>,
    /// Location text.
    #[serde(default)]
    pub location: Option<String>,
    /// Body (HTML, delivered with `\u003c`-style escapes).
    #[serde(default)]
    pub content: Option<String>,
    /// Internal body.
    #[serde(default)]
    pub internal_content: Option<String>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
    /// The job; absent for a prospect post.
    #[serde(default)]
    pub job_id: Option<u64>,
    /// Posted externally.
    #[serde(default)]
    pub external: Option<bool>,
    /// Posted internally.
    #[serde(default)]
    pub internal: Option<bool>,
    /// Live.
    #[serde(default)]
    pub live: Option<bool>,
    /// Application questions.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub questions: Vec<WebhookQuestion>,
}

impl WebhookJobPost {
    /// "If `job_id` is not present, the payload represents an updated prospect post."
    pub fn is_prospect_post(&self) -> bool {
        self.job_id.is_none()
    }
}

/// An education entry (dates as sent, e.g. `01/01/2012`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Education {
    /// School.
    #[serde(default)]
    pub school_name: Option<String>,
    /// Degree.
    #[serde(default)]
    pub degree: Option<String>,
    /// Discipline.
    #[serde(default)]
    pub discipline: Option<String>,
    /// Start (`MM/DD/YYYY`).
    #[serde(default)]
    pub start_date: Option<String>,
    /// End (`MM/DD/YYYY`).
    #[serde(default)]
    pub end_date: Option<String>,
}

/// An employment entry (dates as sent, e.g. `01/01/2012`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Employment {
    /// Company.
    #[serde(default)]
    pub company_name: Option<String>,
    /// Title.
    #[serde(default)]
    pub title: Option<String>,
    /// Start (`MM/DD/YYYY`).
    #[serde(default)]
    pub start_date: Option<String>,
    /// End (`MM/DD/YYYY`).
    #[serde(default)]
    pub end_date: Option<String>,
}

/// An attachment (URLs expire).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Attachment {
    /// File name.
    #[serde(default)]
    pub filename: Option<String>,
    /// Download URL.
    #[serde(default)]
    pub url: Option<String>,
    /// Kind, e.g. `resume`, `cover_letter`, `attachment`.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
}

/// A candidate in webhook payloads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WebhookCandidate {
    /// Candidate id.
    pub id: u64,
    /// First name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Title.
    #[serde(default)]
    pub title: Option<String>,
    /// Company.
    #[serde(default)]
    pub company: Option<String>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// The customer's id.
    #[serde(default)]
    pub external_id: Option<String>,
    /// Photo (usually null).
    #[serde(default)]
    pub photo_url: Option<String>,
    /// Profile URL in Greenhouse.
    #[serde(default)]
    pub url: Option<String>,
    /// Private candidate.
    #[serde(default)]
    pub is_private: Option<bool>,
    /// May be e-mailed.
    #[serde(default)]
    pub can_email: Option<bool>,
    /// Phone numbers.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub phone_numbers: Vec<TypedValue>,
    /// E-mail addresses.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub email_addresses: Vec<EmailAddress>,
    /// Postal addresses.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub addresses: Vec<TypedValue>,
    /// Websites.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub website_addresses: Vec<TypedValue>,
    /// Social media.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub social_media_addresses: Vec<TypedValue>,
    /// Education.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub educations: Vec<Education>,
    /// Employment history.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub employments: Vec<Employment>,
    /// Recruiter.
    #[serde(default)]
    pub recruiter: Option<WebhookUser>,
    /// Coordinator.
    #[serde(default)]
    pub coordinator: Option<WebhookUser>,
    /// Attachments.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub attachments: Vec<Attachment>,
    /// Tags.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub tags: Vec<String>,
    /// Custom fields.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub custom_fields: WebhookCustomFields,
}

/// An application's source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WebhookSource {
    /// Id.
    #[serde(default)]
    pub id: Option<u64>,
    /// Name (`name` or `public_name` depending on the event).
    #[serde(default, alias = "public_name")]
    pub name: Option<String>,
}

/// An interviewer of a stage interview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StageInterviewer {
    /// User id.
    #[serde(default)]
    pub id: Option<u64>,
    /// Display name.
    #[serde(default)]
    pub display_name: Option<String>,
    /// Calendar response.
    #[serde(default)]
    pub status: Option<ResponseStatus>,
}

/// A question of an interview kit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InterviewKitQuestion {
    /// Id.
    #[serde(default)]
    pub id: Option<u64>,
    /// The question.
    #[serde(default)]
    pub question: Option<String>,
}

/// The interview kit of a stage interview.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InterviewKit {
    /// Link to the kit in Greenhouse.
    #[serde(default)]
    pub url: Option<String>,
    /// Directions (HTML).
    #[serde(default)]
    pub content: Option<String>,
    /// Questions.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub questions: Vec<InterviewKitQuestion>,
}

/// An interview of the current stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StageInterview {
    /// Id.
    #[serde(default)]
    pub id: Option<u64>,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Status.
    #[serde(default)]
    pub status: Option<InterviewStatus>,
    /// Interview kit.
    #[serde(default)]
    pub interview_kit: Option<InterviewKit>,
    /// Interviewers.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub interviewers: Vec<StageInterviewer>,
}

/// The stage an application is in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CurrentStage {
    /// Stage id.
    pub id: u64,
    /// Stage name.
    #[serde(default)]
    pub name: Option<String>,
    /// Interviews of the stage.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub interviews: Vec<StageInterview>,
}

/// An application in webhook payloads (with its candidate and jobs embedded).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WebhookApplication {
    /// Application id.
    pub id: u64,
    /// Rejection time.
    #[serde(default, with = "timestamp::option")]
    pub rejected_at: Option<DateTime<Utc>>,
    /// Prospect application.
    #[serde(default)]
    pub prospect: Option<bool>,
    /// Status (`active`, `rejected`, `hired`).
    #[serde(default)]
    pub status: Option<ApplicationStatus>,
    /// Application time.
    #[serde(default, with = "timestamp::option")]
    pub applied_at: Option<DateTime<Utc>>,
    /// Last activity.
    #[serde(default, with = "timestamp::option")]
    pub last_activity_at: Option<DateTime<Utc>>,
    /// Link in Greenhouse.
    #[serde(default)]
    pub url: Option<String>,
    /// Source.
    #[serde(default)]
    pub source: Option<WebhookSource>,
    /// Who gets credit.
    #[serde(default)]
    pub credited_to: Option<WebhookUser>,
    /// Why the application was rejected (`reject_candidate`).
    #[serde(default)]
    pub rejection_reason: Option<WebhookRejectionReason>,
    /// Answers to the rejection questions.
    #[serde(default)]
    pub rejection_details: Option<RejectionDetails>,
    /// Prospect pool, stage and owner (application events).
    #[serde(default)]
    pub prospect_detail: Option<ProspectDetail>,
    /// The stage the application is now in.
    #[serde(default)]
    pub current_stage: Option<CurrentStage>,
    /// Custom fields.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub custom_fields: WebhookCustomFields,
    /// The candidate.
    pub candidate: WebhookCandidate,
    /// The jobs applied to.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub jobs: Vec<WebhookJob>,
    /// Deprecated single job of `hire_candidate` ("Use `application.jobs[]` instead").
    #[serde(default)]
    pub job: Option<WebhookJob>,
    /// The opening filled (`hire_candidate`).
    #[serde(default)]
    pub opening: Option<WebhookOpening>,
    /// The accepted offer (`hire_candidate`).
    #[serde(default)]
    pub offer: Option<HiredOffer>,
}

/// `{id, name}` of a rejection reason's type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RejectionType {
    /// Id.
    #[serde(default)]
    pub id: Option<u64>,
    /// Name, e.g. `Wrong skill set`.
    #[serde(default)]
    pub name: Option<String>,
}

/// A rejection reason on a webhook application.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WebhookRejectionReason {
    /// Id.
    #[serde(default)]
    pub id: Option<u64>,
    /// Name, e.g. `Too Junior`.
    #[serde(default)]
    pub name: Option<String>,
    /// The reason's type.
    #[serde(rename = "type", default)]
    pub kind: Option<RejectionType>,
}

/// Answers to rejection questions.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RejectionDetails {
    /// Rejection-question custom fields.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub custom_fields: WebhookCustomFields,
}

/// `prospect_detail` of a webhook application. Every example in the webhook
/// reference shows the three values as `null`; Harvest v1 shapes them as
/// `{id, name}` objects, which is not confirmed for webhooks, so they are
/// kept as raw JSON.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ProspectDetail {
    /// The prospect pool.
    #[serde(default)]
    pub prospect_pool: Option<serde_json::Value>,
    /// The stage in the pool.
    #[serde(default)]
    pub prospect_stage: Option<serde_json::Value>,
    /// The prospect's owner.
    #[serde(default)]
    pub prospect_owner: Option<serde_json::Value>,
}

/// The offer of `hire_candidate` (`application.offer`). Its date fields are
/// kept as sent: the example has dates (`"sent_at": "2014-11-10"`,
/// `"starts_at": "2015-01-23"`, "Expected format is YYYY-MM-DD") under
/// names that elsewhere hold date-times.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct HiredOffer {
    /// Offer id (read more with `HarvestClient::offers`).
    pub id: u64,
    /// Offer version.
    #[serde(default)]
    pub version: Option<u32>,
    /// When the offer was drafted.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// When it was sent, as sent (example: `2014-11-10`).
    #[serde(default)]
    pub sent_at: Option<String>,
    /// The reference's table names this `sent_on`; kept in case it is sent so.
    #[serde(default)]
    pub sent_on: Option<String>,
    /// When it was accepted.
    #[serde(default, with = "timestamp::option")]
    pub resolved_at: Option<DateTime<Utc>>,
    /// Start date, `YYYY-MM-DD`.
    #[serde(default)]
    pub starts_at: Option<String>,
    /// Offer custom fields.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub custom_fields: WebhookCustomFields,
}

/// An offer in `offer_created`/`_approved`/`_updated` (directly in `payload`)
/// and `offer_deleted` (`payload.offer`, with `offering_user_id` instead of
/// `user_id` and no custom fields).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WebhookOffer {
    /// Offer id.
    pub id: u64,
    /// The application.
    #[serde(default)]
    pub application_id: Option<u64>,
    /// The job.
    #[serde(default)]
    pub job_id: Option<u64>,
    /// The offering user (create/approve/update events).
    #[serde(default)]
    pub user_id: Option<u64>,
    /// The offering user (`offer_deleted`).
    #[serde(default)]
    pub offering_user_id: Option<u64>,
    /// Version; a change to tracked fields creates a new one.
    #[serde(default)]
    pub version: Option<u32>,
    /// When the offer was sent (`YYYY-MM-DD` in the examples).
    #[serde(default)]
    pub sent_on: Option<String>,
    /// When this version was accepted, rejected or deprecated.
    #[serde(default, with = "timestamp::option")]
    pub resolved_at: Option<DateTime<Utc>>,
    /// Start date as sent (`MM/DD/YYYY` in the examples).
    #[serde(default)]
    pub start_date: Option<String>,
    /// Notes.
    #[serde(default)]
    pub notes: Option<String>,
    /// Status.
    #[serde(default)]
    pub offer_status: Option<OfferStatus>,
    /// Offer custom fields.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub custom_fields: WebhookCustomFields,
}

/// The application of `delete_application`: ids only, no candidate object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DeletedApplication {
    /// Application id.
    pub id: u64,
    /// Its candidate.
    #[serde(default)]
    pub candidate_id: Option<u64>,
    /// Its job.
    #[serde(default)]
    pub job_id: Option<u64>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Source.
    #[serde(default)]
    pub source_id: Option<u64>,
    /// Rejection reason.
    #[serde(default)]
    pub candidate_rejection_reason_id: Option<u64>,
    /// The rejection note.
    #[serde(default)]
    pub rejection_note_id: Option<u64>,
    /// Rejection time.
    #[serde(default, with = "timestamp::option")]
    pub rejected_at: Option<DateTime<Utc>>,
    /// Referrer.
    #[serde(default)]
    pub referrer_id: Option<u64>,
    /// Prospect application.
    #[serde(default)]
    pub prospect: Option<bool>,
    /// "The Greenhouse user who rejected this application, if the application is rejected."
    #[serde(default)]
    pub rejected_by_user_id: Option<u64>,
}

/// The interview of `interview_deleted` (only its id is sent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DeletedInterview {
    /// The scheduled interview's id (as in `GET /v3/interviews`).
    pub id: u64,
}

/// The scorecard of `scorecard_deleted`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DeletedScorecard {
    /// Scorecard id.
    pub id: u64,
    /// The candidate.
    #[serde(default)]
    pub candidate_id: Option<u64>,
    /// Interview time.
    #[serde(default, with = "timestamp::option")]
    pub interviewed_at: Option<DateTime<Utc>>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
    /// Status, e.g. `complete`.
    #[serde(default)]
    pub scorecard_status: Option<String>,
}

/// The job of `job_deleted`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DeletedJob {
    /// Job id.
    pub id: u64,
    /// Job name.
    #[serde(default)]
    pub name: Option<String>,
}

/// The stage of `job_interview_stage_deleted`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DeletedJobInterviewStage {
    /// Stage id.
    pub id: u64,
    /// The job.
    #[serde(default)]
    pub job_id: Option<u64>,
    /// Stage name.
    #[serde(default)]
    pub name: Option<String>,
    /// Whether the stage was active.
    #[serde(default)]
    pub active: Option<bool>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// The department of `department_deleted` or the office of `office_deleted`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DeletedOrgUnit {
    /// Id.
    pub id: u64,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Former child ids ("will be [] if empty").
    #[serde(default, deserialize_with = "null_as_empty")]
    pub child_ids: Vec<u64>,
    /// Parent id ("will be null if empty").
    #[serde(default)]
    pub parent_id: Option<u64>,
    /// The customer's id for it.
    #[serde(default)]
    pub external_id: Option<String>,
    /// Offices only: the location name. The office example sends
    /// `{"name": …}` where job payloads send a plain string; both are read.
    #[serde(default, deserialize_with = "location_name")]
    pub location: Option<String>,
}

/// `approval_flow` of `job_approved`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApprovalFlowRef {
    /// `open_job` ("Approvals to start recruiting") or `offer_job` ("Official job approval").
    #[serde(default)]
    pub approval_flow_type: Option<String>,
}

/// `job_approved`: the approval flow and the job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct JobApproval {
    /// Which approval flow finished.
    #[serde(default)]
    pub approval_flow: ApprovalFlowRef,
    /// The job.
    pub job: WebhookJob,
}

/// The person of `delete_candidate` / `merge_candidate`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RemovedCandidate {
    /// The id that no longer exists.
    pub id: u64,
    /// First name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Company.
    #[serde(default)]
    pub company: Option<String>,
    /// Title.
    #[serde(default)]
    pub title: Option<String>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Headline.
    #[serde(default)]
    pub headline: Option<String>,
    /// Private candidate.
    #[serde(default)]
    pub is_private: Option<bool>,
    /// Recruiter.
    #[serde(default)]
    pub recruiter_user_id: Option<u64>,
    /// Coordinator.
    #[serde(default)]
    pub coordinator_user_id: Option<u64>,
    /// May be e-mailed.
    #[serde(default)]
    pub can_email: Option<bool>,
    /// Applications removed with the candidate (often empty for merges).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub deleted_application_ids: Vec<u64>,
    /// For merges: the surviving candidate.
    #[serde(default)]
    pub new_candidate_id: Option<u64>,
}

/// `merge_candidate`: `merged` is gone, `surviving_candidate_id` holds its data now.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct MergedCandidate {
    /// The candidate that was merged away.
    pub merged: RemovedCandidate,
    /// The candidate that remains (`new_candidate_id`).
    pub surviving_candidate_id: u64,
}

/// `candidate_anonymized`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AnonymizedCandidate {
    /// The candidate.
    pub candidate_id: u64,
    /// Erased fields, e.g. `full_name`, `current_title`.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub anonymized_fields: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Test vector from grnhse/greenhouse-api-docs#276, recomputed in the research notes (§4.1).
    const SECRET: &str = "1uSUju2H6AohOE7OQVaxeLT3O8Uxxuas";
    const BODY: &str = r#"{"action":"ping","payload":{"web_hook_id":4001693002,"endpoint_url":"https://67e09e60.ngrok.io/webhooks","created_at":"2018-12-20T15:43:12Z","updated_at":"2018-12-27T09:40:14Z","name":"Job Post Create","event":"Job Post Created","active":true,"content-type":"application/json"}}"#;
    const DIGEST: &str = "395b1309fd37f0732d1ed11c15e03edd61b818918df6bf93be7c71bafb09c877";

    #[test]
    fn known_vector_verifies_and_parses() {
        assert_eq!(sign(SECRET, BODY.as_bytes()), format!("sha256 {DIGEST}"));
        let v = WebhookVerifier::new(SECRET);
        let event = v
            .verify_and_parse(BODY.as_bytes(), Some(&format!("sha256 {DIGEST}")))
            .unwrap();
        let WebhookEvent::Ping(ping) = event else {
            panic!("not a ping")
        };
        assert_eq!(ping.web_hook_id, Some(4001693002));
        assert_eq!(ping.content_type.as_deref(), Some("application/json"));
        assert_eq!(ping.event.as_deref(), Some("Job Post Created"));
    }

    #[test]
    fn leading_hex_digits_are_not_stripped() {
        // `lstrip("sha256 ")` would eat this digest's leading `5`/`2`/`6`/`a`
        // characters; splitting on the first space does not.
        let body = b"{\"action\":\"x\",\"payload\":{}}";
        let header = sign("k", body);
        assert!(
            WebhookVerifier::new("k")
                .verify(body, Some(&header))
                .is_ok()
        );
        assert!(
            WebhookVerifier::new("k")
                .verify(body, Some(&header.to_uppercase()))
                .is_ok()
        );
    }

    #[test]
    fn bad_headers_are_rejected_without_panicking() {
        let v = WebhookVerifier::new(SECRET);
        for header in [
            None,
            Some(""),
            Some("sha256"),
            Some("sha1 abcd"),
            Some("sha256 zz"),
            Some("sha256 abcd"),
        ] {
            let err = v.verify(BODY.as_bytes(), header).unwrap_err();
            assert!(matches!(err, Error::InvalidSignature { .. }), "{header:?}");
            assert!(!err.to_string().contains(SECRET));
            assert!(!err.to_string().contains(DIGEST));
        }
    }
}

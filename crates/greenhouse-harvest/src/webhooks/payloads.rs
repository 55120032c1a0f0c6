//! The payload objects of webhook deliveries, field for field as the
//! Greenhouse webhook reference documents them (grnhse/greenhouse-api-docs
//! `source/includes/webhooks/_*_events.md`). Every list and map reads `null`
//! as empty; every field the examples may leave out is optional.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::models::OfferStatus;
use crate::models::common::{location_name, null_as_empty};
use crate::models::{
    ApplicationStatus, CustomField, EmailAddress, InterviewStatus, JobStatus, ResponseStatus,
    TypedValue, timestamp,
};

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

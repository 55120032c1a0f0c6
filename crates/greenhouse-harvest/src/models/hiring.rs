//! Hiring records: openings, scorecards, offers, approval flows, prospect
//! pools and their stages, e-mail templates, tracking links, EEOC answers.
//!
//! Field sets follow the Harvest v3 reference pages as inventoried by a
//! third party that read them in full (public file ref 60100158998: "GET
//! /v3/openings", "/v3/scorecards", "/v3/offers", "/v3/approval_flows",
//! "/v3/prospect_pools", "/v3/prospect_pool_stages", "/v3/tracking_links",
//! "/v3/eeoc"), except [`EmailTemplate`], whose v3 schema was not seen (see
//! there). Every field but `id` is optional.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::common::{CustomFields, null_as_empty, string_enum, timestamp};

/// A job opening (`GET /v3/openings`): one unit of headcount on a job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Opening {
    /// Greenhouse id.
    pub id: u64,
    /// The job.
    #[serde(default)]
    pub job_id: Option<u64>,
    /// The customer's opening id (e.g. `abc-1`).
    #[serde(default)]
    pub opening_id: Option<String>,
    /// Whether the opening is available (`closed_at` is null).
    #[serde(default)]
    pub open: Option<bool>,
    /// When it first opened (null while the job is a draft).
    #[serde(default, with = "timestamp::option")]
    pub opened_at: Option<DateTime<Utc>>,
    /// When it closed.
    #[serde(default, with = "timestamp::option")]
    pub closed_at: Option<DateTime<Utc>>,
    /// The application that filled it, when closed as a hire.
    #[serde(default)]
    pub application_id: Option<u64>,
    /// Why it closed (see [`CloseReason`](crate::models::CloseReason)).
    #[serde(default)]
    pub close_reason_id: Option<u64>,
    /// Target start date.
    #[serde(default)]
    pub target_start_on: Option<NaiveDate>,
    /// Position among the job's openings.
    #[serde(default)]
    pub sort_order: Option<i64>,
    /// Opening custom fields.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub custom_fields: CustomFields,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

string_enum! {
    /// A scorecard's overall recommendation (v1's `overall_recommendation`).
    pub enum CandidateRating {
        /// `strong_no`
        StrongNo => "strong_no",
        /// `no`
        No => "no",
        /// `yes`
        Yes => "yes",
        /// `strong_yes`
        StrongYes => "strong_yes",
        /// `no_decision` (submitted without choosing)
        NoDecision => "no_decision",
    }
}

string_enum! {
    /// Scorecard status.
    pub enum ScorecardStatus {
        /// Not submitted yet.
        Draft => "draft",
        /// Submitted.
        Complete => "complete",
    }
}

/// An interviewer's scorecard (`GET /v3/scorecards`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Scorecard {
    /// Greenhouse id.
    pub id: u64,
    /// The application.
    #[serde(default)]
    pub application_id: Option<u64>,
    /// The interview kit it was filled against.
    #[serde(default)]
    pub interview_kit_id: Option<u64>,
    /// The user it is assigned to.
    #[serde(default)]
    pub interviewer_id: Option<u64>,
    /// The user who submitted it (differs when an admin submits on behalf).
    #[serde(default)]
    pub submitter_id: Option<u64>,
    /// Overall recommendation.
    #[serde(default)]
    pub candidate_rating: Option<CandidateRating>,
    /// Status.
    #[serde(default)]
    pub status: Option<ScorecardStatus>,
    /// When the interview took place.
    #[serde(default, with = "timestamp::option")]
    pub interviewed_at: Option<DateTime<Utc>>,
    /// When it was submitted (null while a draft).
    #[serde(default, with = "timestamp::option")]
    pub submitted_at: Option<DateTime<Utc>>,
    /// Key take-aways.
    #[serde(default)]
    pub notes: Option<String>,
    /// Private notes.
    #[serde(default)]
    pub private_notes: Option<String>,
    /// Public notes.
    #[serde(default)]
    pub public_notes: Option<String>,
    /// `notes` with @-mention tags.
    #[serde(default)]
    pub notes_with_tags: Option<String>,
    /// `private_notes` with @-mention tags.
    #[serde(default)]
    pub private_notes_with_tags: Option<String>,
    /// `public_notes` with @-mention tags.
    #[serde(default)]
    pub public_notes_with_tags: Option<String>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

string_enum! {
    /// Offer status: "One of Created, Accepted, Rejected, or Deprecated"
    /// (capitalised in both the webhooks and the v3 `status` filter).
    pub enum OfferStatus {
        /// `Created`
        Created => "Created",
        /// `Accepted`
        Accepted => "Accepted",
        /// `Rejected`
        Rejected => "Rejected",
        /// `Deprecated` (a newer version exists)
        Deprecated => "Deprecated",
    }
}

/// One version of an offer (`GET /v3/offers`; `current_only=true` keeps the latest version).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Offer {
    /// Greenhouse id.
    pub id: u64,
    /// Version; a change to tracked fields creates a new one.
    #[serde(default)]
    pub version: Option<u32>,
    /// The application.
    #[serde(default)]
    pub application_id: Option<u64>,
    /// The job.
    #[serde(default)]
    pub job_id: Option<u64>,
    /// The candidate.
    #[serde(default)]
    pub candidate_id: Option<u64>,
    /// The opening.
    #[serde(default)]
    pub opening_id: Option<u64>,
    /// Status.
    #[serde(default)]
    pub status: Option<OfferStatus>,
    /// Start date.
    #[serde(default)]
    pub starts_on: Option<NaiveDate>,
    /// When it was sent.
    #[serde(default)]
    pub sent_on: Option<NaiveDate>,
    /// When it was accepted or rejected.
    #[serde(default, with = "timestamp::option")]
    pub resolved_at: Option<DateTime<Utc>>,
    /// Offer custom fields (compensation: sensitive).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub custom_fields: CustomFields,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

string_enum! {
    /// What an approval flow approves.
    pub enum ApprovalType {
        /// Approval to start recruiting.
        OpenJob => "open_job",
        /// Official job approval (offers on the job).
        OfferJob => "offer_job",
        /// Approval of one candidate's offer.
        OfferCandidate => "offer_candidate",
    }
}

string_enum! {
    /// State of an approval flow.
    pub enum ApprovalStatus {
        /// Waiting for approvers.
        Pending => "pending",
        /// Rejected.
        Rejected => "rejected",
        /// Approved.
        Approved => "approved",
    }
}

/// An approval flow of a job or an offer (`GET /v3/approval_flows`; the
/// `job_ids` filter leaves out `offer_candidate` flows, airbyte AGENTS.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApprovalFlow {
    /// Greenhouse id.
    pub id: u64,
    /// The job.
    #[serde(default)]
    pub job_id: Option<u64>,
    /// The offer, for offer approvals.
    #[serde(default)]
    pub offer_id: Option<u64>,
    /// What is approved.
    #[serde(default)]
    pub approval_type: Option<ApprovalType>,
    /// Whether approver groups approve one after another.
    #[serde(default)]
    pub sequential: Option<bool>,
    /// Version.
    #[serde(default)]
    pub version: Option<u32>,
    /// Who requested the approvals.
    #[serde(default)]
    pub requested_by_id: Option<u64>,
    /// State.
    #[serde(default)]
    pub approval_status: Option<ApprovalStatus>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// A prospect pool (`GET /v3/prospect_pools`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ProspectPool {
    /// Greenhouse id.
    pub id: u64,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Whether it is in use.
    #[serde(default)]
    pub active: Option<bool>,
    /// Departments.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub department_ids: Vec<u64>,
    /// Offices.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub office_ids: Vec<u64>,
    /// Jobs.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub job_ids: Vec<u64>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// A stage of a prospect pool (`GET /v3/prospect_pool_stages`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ProspectPoolStage {
    /// Greenhouse id.
    pub id: u64,
    /// The pool.
    #[serde(default)]
    pub prospect_pool_id: Option<u64>,
    /// Name, e.g. `In Discussion`.
    #[serde(default)]
    pub name: Option<String>,
    /// Position in the pool.
    #[serde(default)]
    pub sort_order: Option<i64>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// An e-mail template (`GET /v3/email_templates`).
///
/// The route and its scope are listed by Airbyte's v3 connector (stream
/// `email_templates`, incremental on `updated_at`); its v3 field set was not
/// seen, so the fields are those of the v1 object (`name`, `description`,
/// `default`, `type`, `from`, `cc`, `body`, `html_body`) plus the v3
/// id-reference convention (`user_id`), all optional. Unconfirmed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmailTemplate {
    /// Greenhouse id.
    pub id: u64,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Whether it is the default for its type.
    #[serde(default)]
    pub default: Option<bool>,
    /// Template type, e.g. `candidate_rejection`.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// Sender.
    #[serde(default)]
    pub from: Option<String>,
    /// Copied addresses.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub cc: Vec<String>,
    /// Plain-text body.
    #[serde(default)]
    pub body: Option<String>,
    /// HTML body.
    #[serde(default)]
    pub html_body: Option<String>,
    /// Owner, for personal templates.
    #[serde(default)]
    pub user_id: Option<u64>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// A tracking link (`GET /v3/tracking_links`): the `gh_src` token of a campaign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TrackingLink {
    /// Greenhouse id.
    pub id: u64,
    /// The `gh_src` token.
    #[serde(default)]
    pub token: Option<String>,
    /// Source credited.
    #[serde(default)]
    pub source_id: Option<u64>,
    /// Referrer credited.
    #[serde(default)]
    pub referrer_id: Option<u64>,
    /// Job.
    #[serde(default)]
    pub job_id: Option<u64>,
    /// Job board.
    #[serde(default)]
    pub job_board_id: Option<u64>,
    /// Job post.
    #[serde(default)]
    pub job_post_id: Option<u64>,
    /// Related post.
    #[serde(default)]
    pub related_post_id: Option<u64>,
    /// Related post's type.
    #[serde(default)]
    pub related_post_type: Option<String>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// One answer of an EEOC self-identification (`{id, description}`; `null` when skipped).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EeocAnswer {
    /// Id of the federal category.
    #[serde(default)]
    pub id: Option<u64>,
    /// Its description.
    #[serde(default)]
    pub description: Option<String>,
}

/// An application's EEOC self-identification (`GET /v3/eeoc`). Row-level,
/// sensitive personal data: the scope `harvest:eeoc:list` gates it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Eeoc {
    /// Greenhouse id.
    pub id: u64,
    /// The application.
    #[serde(default)]
    pub application_id: Option<u64>,
    /// The candidate.
    #[serde(default)]
    pub candidate_id: Option<u64>,
    /// Gender.
    #[serde(default)]
    pub gender: Option<EeocAnswer>,
    /// Race.
    #[serde(default)]
    pub race: Option<EeocAnswer>,
    /// Veteran status.
    #[serde(default)]
    pub veteran_status: Option<EeocAnswer>,
    /// Disability status.
    #[serde(default)]
    pub disability_status: Option<EeocAnswer>,
    /// When it was submitted.
    #[serde(default, with = "timestamp::option")]
    pub submitted_at: Option<DateTime<Utc>>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

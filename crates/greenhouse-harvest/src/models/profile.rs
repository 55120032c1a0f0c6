//! Candidate and application records beside the main objects: attachments, education, employment, prospect details, rejection details.
//!
//! Field sets follow the Harvest v3 reference pages as inventoried by a
//! third party that read them in full (public file ref 60100158998). Every
//! field but `id` is optional; `created_at`/`updated_at` are on every v3
//! resource (harvestdocs.greenhouse.io/docs/standardizations).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::common::{CustomFields, null_as_empty, timestamp};

/// A file on a candidate or application (`GET /v3/attachments`). The `url` expires after 7 days: fetch a fresh one when needed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CandidateAttachment {
    /// Greenhouse id.
    pub id: u64,
    /// The application.
    #[serde(default)]
    pub application_id: Option<u64>,
    /// The candidate.
    #[serde(default)]
    pub candidate_id: Option<u64>,
    /// `resume`, `cover_letter`, `offer_letter`, `take_home_test`, `other`, ...
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// File name.
    #[serde(default)]
    pub filename: Option<String>,
    /// Time-limited download URL.
    #[serde(default)]
    pub url: Option<String>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// An education entry (`GET /v3/candidate_educations`); school, degree and discipline are custom-field options (`/v3/custom_field_options`). The month/year part fields the reference also lists are not modelled (names unconfirmed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CandidateEducation {
    /// Greenhouse id.
    pub id: u64,
    /// The candidate.
    #[serde(default)]
    pub candidate_id: Option<u64>,
    /// School option.
    #[serde(default)]
    pub school_name_custom_field_option_id: Option<u64>,
    /// Degree option.
    #[serde(default)]
    pub degree_custom_field_option_id: Option<u64>,
    /// Discipline option.
    #[serde(default)]
    pub discipline_custom_field_option_id: Option<u64>,
    /// Start.
    #[serde(default, with = "timestamp::option")]
    pub start_at: Option<DateTime<Utc>>,
    /// End.
    #[serde(default, with = "timestamp::option")]
    pub end_at: Option<DateTime<Utc>>,
    /// The most recent entry.
    #[serde(default)]
    pub latest: Option<bool>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// An employment entry (`GET /v3/candidate_employments`). Dates are kept as sent (their v3 format was not confirmed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CandidateEmployment {
    /// Greenhouse id.
    pub id: u64,
    /// The candidate.
    #[serde(default)]
    pub candidate_id: Option<u64>,
    /// Company.
    #[serde(default)]
    pub company_name: Option<String>,
    /// Title.
    #[serde(default)]
    pub title: Option<String>,
    /// Start, as sent.
    #[serde(default)]
    pub start_date: Option<String>,
    /// End, as sent (`null` for the current job).
    #[serde(default)]
    pub end_date: Option<String>,
    /// The most recent entry.
    #[serde(default)]
    pub latest: Option<bool>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// Prospect pipeline state of an application (`GET /v3/prospect_details`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ProspectDetailRecord {
    /// Greenhouse id.
    pub id: u64,
    /// The application.
    #[serde(default)]
    pub application_id: Option<u64>,
    /// Prospect pool.
    #[serde(default)]
    pub pool_id: Option<u64>,
    /// Stage in the pool.
    #[serde(default)]
    pub pool_stage_id: Option<u64>,
    /// Owner.
    #[serde(default)]
    pub prospect_owner_id: Option<u64>,
    /// Prospective department.
    #[serde(default)]
    pub department_id: Option<u64>,
    /// Prospective office.
    #[serde(default)]
    pub office_id: Option<u64>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// The rejection of an application (`GET /v3/rejection_details`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RejectionDetail {
    /// Greenhouse id.
    pub id: u64,
    /// The application.
    #[serde(default)]
    pub application_id: Option<u64>,
    /// Who rejected it (`null` for automatic rejections).
    #[serde(default)]
    pub rejected_by_id: Option<u64>,
    /// Reason (`/v3/rejection_reasons`).
    #[serde(default)]
    pub rejection_reason_id: Option<u64>,
    /// The note with the free text (`/v3/notes`).
    #[serde(default)]
    pub rejection_note_id: Option<u64>,
    /// When.
    #[serde(default, with = "timestamp::option")]
    pub rejected_at: Option<DateTime<Utc>>,
    /// Answers to rejection questions.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub question_custom_fields: CustomFields,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

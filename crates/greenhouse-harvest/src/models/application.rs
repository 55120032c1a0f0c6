//! `GET /v3/applications` and `GET /v3/application_stages`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::common::{CustomFields, null_as_empty, string_enum, timestamp};

string_enum! {
    /// Response `status` of an application. v3 answers `in_process` where the
    /// `status` *filter* says `active` (research notes §3.2).
    pub enum ApplicationStatus {
        /// `in_process` (an active application).
        InProcess => "in_process",
        /// `active` (v1 / webhook spelling).
        Active => "active",
        /// `rejected`
        Rejected => "rejected",
        /// `hired`
        Hired => "hired",
        /// `converted` (prospect converted to candidate).
        Converted => "converted",
    }
}

/// A question/answer pair on an application.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    /// The question.
    #[serde(default)]
    pub question: Option<String>,
    /// The answer.
    #[serde(default)]
    pub answer: Option<String>,
}

/// An application of a candidate to a job (or a prospect application).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Application {
    /// Greenhouse id.
    pub id: u64,
    /// The candidate.
    #[serde(default)]
    pub candidate_id: Option<u64>,
    /// The job (absent for prospects without a job).
    #[serde(default)]
    pub job_id: Option<u64>,
    /// The job post applied through.
    #[serde(default)]
    pub job_post_id: Option<u64>,
    /// Current job interview stage id.
    #[serde(default)]
    pub job_interview_stage_id: Option<u64>,
    /// Current stage id (alias kept by some v3 payloads).
    #[serde(default)]
    pub stage_id: Option<u64>,
    /// Current stage name.
    #[serde(default)]
    pub stage_name: Option<String>,
    /// Status.
    #[serde(default)]
    pub status: Option<ApplicationStatus>,
    /// Whether this is a prospect application.
    #[serde(default)]
    pub prospect: Option<bool>,
    /// Jobs a prospect is considered for.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub prospective_job_ids: Vec<u64>,
    /// Source id.
    #[serde(default)]
    pub source_id: Option<u64>,
    /// Referrer id.
    #[serde(default)]
    pub referrer_id: Option<u64>,
    /// Recruiter user id.
    #[serde(default)]
    pub recruiter_id: Option<u64>,
    /// Coordinator user id.
    #[serde(default)]
    pub coordinator_id: Option<u64>,
    /// Rejection reason id.
    #[serde(default)]
    pub rejection_reason_id: Option<u64>,
    /// Rejection time.
    #[serde(default, with = "timestamp::option")]
    pub rejected_at: Option<DateTime<Utc>>,
    /// Last activity.
    #[serde(default, with = "timestamp::option")]
    pub last_activity_at: Option<DateTime<Utc>>,
    /// Location address given by the applicant.
    #[serde(default)]
    pub location_address: Option<String>,
    /// Application question answers.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub answers: Vec<Answer>,
    /// Custom fields.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub custom_fields: CustomFields,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// One stay of an application in a stage (`/v3/application_stages`, the v3
/// home of stage history, research notes §1.4). The v3 schema was not
/// confirmed; every field but `id` is optional.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApplicationStage {
    /// Greenhouse id.
    pub id: u64,
    /// The application.
    #[serde(default)]
    pub application_id: Option<u64>,
    /// The job interview stage.
    #[serde(default)]
    pub job_interview_stage_id: Option<u64>,
    /// Stage name.
    #[serde(default)]
    pub name: Option<String>,
    /// When the application entered the stage.
    #[serde(default, with = "timestamp::option")]
    pub entered_at: Option<DateTime<Utc>>,
    /// When it left the stage.
    #[serde(default, with = "timestamp::option")]
    pub exited_at: Option<DateTime<Utc>>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_application_status_is_kept() {
        let a: Application =
            serde_json::from_str(r#"{"id":1,"status":"on_hold","brand_new_field":[1]}"#).unwrap();
        assert_eq!(a.status, Some(ApplicationStatus::Unknown("on_hold".into())));
        let a: Application = serde_json::from_str(r#"{"id":1,"status":"in_process"}"#).unwrap();
        assert_eq!(a.status, Some(ApplicationStatus::InProcess));
    }
}

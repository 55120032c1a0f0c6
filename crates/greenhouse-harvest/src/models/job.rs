//! `GET /v3/jobs`, `GET /v3/job_posts`, `GET /v3/job_interview_stages`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::common::{CustomFields, null_as_empty, string_enum, timestamp};

string_enum! {
    /// Job status.
    pub enum JobStatus {
        /// `open`
        Open => "open",
        /// `closed`
        Closed => "closed",
        /// `draft`
        Draft => "draft",
    }
}

/// A job (v3: ids only, no embedded hiring team; research notes §3.4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Job {
    /// Greenhouse id.
    pub id: u64,
    /// Internal job name.
    #[serde(default)]
    pub name: Option<String>,
    /// Requisition id.
    #[serde(default)]
    pub requisition_id: Option<String>,
    /// Notes.
    #[serde(default)]
    pub notes: Option<String>,
    /// Confidential job.
    #[serde(default)]
    pub confidential: Option<bool>,
    /// Status.
    #[serde(default)]
    pub status: Option<JobStatus>,
    /// Whether the job is a template.
    #[serde(default)]
    pub is_template: Option<bool>,
    /// The job it was copied from.
    #[serde(default)]
    pub copied_from_id: Option<u64>,
    /// Department.
    #[serde(default)]
    pub department_id: Option<u64>,
    /// Offices.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub office_ids: Vec<u64>,
    /// Custom fields.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub custom_fields: CustomFields,
    /// When the job was opened.
    #[serde(default, with = "timestamp::option")]
    pub opened_at: Option<DateTime<Utc>>,
    /// When the job was closed.
    #[serde(default, with = "timestamp::option")]
    pub closed_at: Option<DateTime<Utc>>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// A job post (or a prospect post when `job_id` is absent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct JobPost {
    /// Greenhouse id.
    pub id: u64,
    /// Public title.
    #[serde(default)]
    pub title: Option<String>,
    /// The job; `None` for a prospect post.
    #[serde(default)]
    pub job_id: Option<u64>,
    /// Job board the post belongs to.
    #[serde(default)]
    pub job_board_id: Option<u64>,
    /// Language code.
    #[serde(default)]
    pub language: Option<String>,
    /// Public URL of the post.
    #[serde(default)]
    pub public_url: Option<String>,
    /// Featured on the board.
    #[serde(default)]
    pub featured: Option<bool>,
    /// Posted internally.
    #[serde(default)]
    pub internal: Option<bool>,
    /// Posted externally.
    #[serde(default)]
    pub external: Option<bool>,
    /// Not deleted (inactive posts are excluded unless `active=false`).
    #[serde(default)]
    pub active: Option<bool>,
    /// Currently live.
    #[serde(default)]
    pub live: Option<bool>,
    /// Location; an object in Harvest, kept raw because its v3 shape was not confirmed.
    #[serde(default)]
    pub location: Option<serde_json::Value>,
    /// Post body (HTML).
    #[serde(default)]
    pub content: Option<String>,
    /// Internal post body (HTML).
    #[serde(default)]
    pub internal_content: Option<String>,
    /// First publication.
    #[serde(default, with = "timestamp::option")]
    pub first_published_at: Option<DateTime<Utc>>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// An interview stage of a job (`/v3/job_interview_stages`; v1 `priority` is `sort_order`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct JobInterviewStage {
    /// Greenhouse id.
    pub id: u64,
    /// The job.
    #[serde(default)]
    pub job_id: Option<u64>,
    /// Stage name.
    #[serde(default)]
    pub name: Option<String>,
    /// Whether the stage is active.
    #[serde(default)]
    pub active: Option<bool>,
    /// Position in the job's pipeline.
    #[serde(default)]
    pub sort_order: Option<i64>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

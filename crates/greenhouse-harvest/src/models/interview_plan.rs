//! Interview plans: interview steps of jobs, interview kits, scorecard questions and answers.
//!
//! Field sets follow the Harvest v3 reference pages as inventoried by a
//! third party that read them in full (public file ref 60100158998). Every
//! field but `id` is optional; `created_at`/`updated_at` are on every v3
//! resource (harvestdocs.greenhouse.io/docs/standardizations).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::common::timestamp;

/// An interview step of a job's plan (`GET /v3/job_interviews`; `interview.job_interview_id` points here).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct JobInterview {
    /// Greenhouse id.
    pub id: u64,
    /// The job.
    #[serde(default)]
    pub job_id: Option<u64>,
    /// Its stage.
    #[serde(default)]
    pub job_interview_stage_id: Option<u64>,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Position in the stage.
    #[serde(default)]
    pub sort_order: Option<i64>,
    /// `none`, `needs_scheduling`, `take_home_test` or `offer`.
    #[serde(default)]
    pub scheduling_type: Option<String>,
    /// Duration (minutes).
    #[serde(default)]
    pub duration: Option<i64>,
    /// In the current plan.
    #[serde(default)]
    pub active: Option<bool>,
    /// Interviewers must submit a scorecard.
    #[serde(default)]
    pub require_scorecard: Option<bool>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// The interview kit of an interview step (`GET /v3/interview_kits`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct JobInterviewKit {
    /// Greenhouse id.
    pub id: u64,
    /// The job.
    #[serde(default)]
    pub job_id: Option<u64>,
    /// The interview step.
    #[serde(default)]
    pub job_interview_id: Option<u64>,
    /// Interview prep (HTML).
    #[serde(default)]
    pub exercises: Option<String>,
    /// Hide the candidate's name from interviewers.
    #[serde(default)]
    pub anonymize_candidate: Option<bool>,
    /// Hide resumes from interviewers.
    #[serde(default)]
    pub anonymize_resumes: Option<bool>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// A question of an interview kit's scorecard (`GET /v3/scorecard_questions`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ScorecardQuestion {
    /// Greenhouse id.
    pub id: u64,
    /// The kit.
    #[serde(default)]
    pub interview_kit_id: Option<u64>,
    /// The question (HTML).
    #[serde(default)]
    pub question: Option<String>,
    /// Position.
    #[serde(default)]
    pub sort_order: Option<i64>,
    /// In use.
    #[serde(default)]
    pub active: Option<bool>,
    /// `text`, `yes_no`, `single_select`, `multi_select` or `instruction`.
    #[serde(default)]
    pub answer_type: Option<String>,
    /// Must be answered.
    #[serde(default)]
    pub required: Option<bool>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// An interviewer's answer to a scorecard question (`GET /v3/scorecard_question_answers`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ScorecardQuestionAnswer {
    /// Greenhouse id.
    pub id: u64,
    /// The scorecard.
    #[serde(default)]
    pub scorecard_id: Option<u64>,
    /// The question.
    #[serde(default)]
    pub scorecard_question_id: Option<u64>,
    /// Free-text answer.
    #[serde(default)]
    pub answer: Option<String>,
    /// Yes/no answer.
    #[serde(default)]
    pub boolean_value: Option<bool>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

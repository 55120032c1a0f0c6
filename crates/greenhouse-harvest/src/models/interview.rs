//! `GET /v3/interviews` and `GET /v3/interviewers` (the v3 replacement of
//! `/v1/scheduled_interviews`, research notes §3.3).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::common::{string_enum, timestamp};

string_enum! {
    /// Interview status (webhook and v3 vocabulary, research notes §3.3 / §4.3).
    pub enum InterviewStatus {
        /// `to_be_scheduled`
        ToBeScheduled => "to_be_scheduled",
        /// `scheduled`
        Scheduled => "scheduled",
        /// `awaiting_feedback`
        AwaitingFeedback => "awaiting_feedback",
        /// `complete`
        Complete => "complete",
        /// `skipped`
        Skipped => "skipped",
        /// `collect_feedback`
        CollectFeedback => "collect_feedback",
        /// `to_be_sent`
        ToBeSent => "to_be_sent",
        /// `sent`
        Sent => "sent",
        /// `received`
        Received => "received",
    }
}

string_enum! {
    /// An interviewer's calendar response.
    pub enum ResponseStatus {
        /// `needs_action`
        NeedsAction => "needs_action",
        /// `declined`
        Declined => "declined",
        /// `tentative`
        Tentative => "tentative",
        /// `accepted`
        Accepted => "accepted",
    }
}

/// A scheduled interview. All-day interviews carry `all_day_start_on` /
/// `all_day_end_on` instead of `starts_at` / `ends_at`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Interview {
    /// Greenhouse id.
    pub id: u64,
    /// The application interviewed for.
    #[serde(default)]
    pub application_id: Option<u64>,
    /// The job.
    #[serde(default)]
    pub job_id: Option<u64>,
    /// The interview step of the job's stage.
    #[serde(default)]
    pub job_interview_id: Option<u64>,
    /// Status.
    #[serde(default)]
    pub status: Option<InterviewStatus>,
    /// Start.
    #[serde(default, with = "timestamp::option")]
    pub starts_at: Option<DateTime<Utc>>,
    /// End.
    #[serde(default, with = "timestamp::option")]
    pub ends_at: Option<DateTime<Utc>>,
    /// First day of an all-day interview.
    #[serde(default)]
    pub all_day_start_on: Option<NaiveDate>,
    /// Last day of an all-day interview.
    #[serde(default)]
    pub all_day_end_on: Option<NaiveDate>,
    /// Free-text location.
    #[serde(default)]
    pub location: Option<String>,
    /// Video meeting link.
    #[serde(default)]
    pub video_conferencing_url: Option<String>,
    /// Organizer user id.
    #[serde(default)]
    pub organizer_id: Option<u64>,
    /// Calendar event id.
    #[serde(default)]
    pub external_event_id: Option<String>,
    /// When it was scheduled.
    #[serde(default, with = "timestamp::option")]
    pub scheduled_at: Option<DateTime<Utc>>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// One panel member of an interview (`/v3/interviewers`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Interviewer {
    /// Greenhouse id of this row.
    pub id: u64,
    /// The interview.
    #[serde(default)]
    pub interview_id: Option<u64>,
    /// The user, when the interviewer is a Greenhouse user.
    #[serde(default)]
    pub user_id: Option<u64>,
    /// The interviewer's e-mail.
    #[serde(default)]
    pub email: Option<String>,
    /// Calendar response.
    #[serde(default)]
    pub response_status: Option<ResponseStatus>,
    /// Submitted scorecard.
    #[serde(default)]
    pub scorecard_id: Option<u64>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// An interview together with its panel, as assembled by
/// [`HarvestClient::upcoming_interviews`](crate::HarvestClient::upcoming_interviews).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ScheduledInterview {
    /// The interview.
    pub interview: Interview,
    /// Its interviewers.
    pub interviewers: Vec<Interviewer>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_day_interviews_and_unknown_statuses_parse() {
        let i: Interview = serde_json::from_str(
            r#"{"id":9,"status":"rescheduling","all_day_start_on":"2017-08-22","starts_at":null}"#,
        )
        .unwrap();
        assert_eq!(
            i.status,
            Some(InterviewStatus::Unknown("rescheduling".into()))
        );
        assert_eq!(i.all_day_start_on, NaiveDate::from_ymd_opt(2017, 8, 22));
        let p: Interviewer =
            serde_json::from_str(r#"{"id":1,"response_status":"maybe_later"}"#).unwrap();
        assert_eq!(
            p.response_status,
            Some(ResponseStatus::Unknown("maybe_later".into()))
        );
    }
}

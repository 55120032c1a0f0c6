//! The [`NoteTaker`] trait: how the engine hands upcoming interviews to the
//! platform's recording bot.

use async_trait::async_trait;

use aspect_interview_core::{Meeting, MeetingId, Participant, ParticipantRole, RegistrationSource};

use crate::index::ScheduledInterview;
use crate::tenant::{Ats, TenantId};

/// An error from the platform's note-taker service.
#[derive(Debug, Clone, thiserror::Error)]
#[error("note taker: {0}")]
pub struct NoteTakerError(pub String);

/// The platform's recording bot. The engine calls it when an upcoming
/// interview with a conferencing URL appears, changes or disappears, and when
/// a calendar event matches the tenant's auto-processing terms.
/// Implementations must be idempotent per meeting id: the same meeting is
/// scheduled again after every update.
#[async_trait]
pub trait NoteTaker: Send + Sync {
    /// Schedule (or reschedule) the bot for this meeting.
    async fn schedule(&self, tenant: &TenantId, meeting: &Meeting) -> Result<(), NoteTakerError>;
    /// Cancel the bot for this meeting.
    async fn cancel(&self, tenant: &TenantId, meeting: &MeetingId) -> Result<(), NoteTakerError>;
}

/// The meeting id the engine gives an ATS interview: stable across updates,
/// unique across ATSs, so re-processing the same interview finds the same
/// outbox entries.
pub fn interview_meeting_id(interview: &ScheduledInterview) -> MeetingId {
    MeetingId::new(format!(
        "{}-interview-{}",
        interview.ats, interview.interview_id
    ))
}

/// The ATS interview a meeting was registered from, if it was (the inverse
/// of [`interview_meeting_id`]).
pub fn interview_of_meeting(meeting: &MeetingId, ats: Ats) -> Option<&str> {
    meeting
        .as_str()
        .strip_prefix(ats.as_str())?
        .strip_prefix("-interview-")
}

/// The meeting registration for an ATS interview: its interviewers as
/// participants (the candidate joins from the ATS's own invitation and is
/// matched by e-mail after the meeting).
pub fn interview_meeting(interview: &ScheduledInterview) -> Meeting {
    let mut meeting = Meeting::new(
        interview_meeting_id(interview),
        interview.title.clone(),
        interview.start,
    );
    meeting.end = interview.end;
    meeting.conferencing_url = interview.conferencing_url.clone();
    meeting.registration = RegistrationSource::Automatic;
    for email in &interview.interviewer_emails {
        meeting.participants.push(Participant::new(
            email.clone(),
            ParticipantRole::Interviewer,
        ));
    }
    meeting
}

/// A [`NoteTaker`] that only records what it was asked, for tests and demos.
#[derive(Debug, Default)]
pub struct RecordingNoteTaker {
    log: std::sync::Mutex<Vec<NoteTakerCall>>,
}

/// One call made to a [`RecordingNoteTaker`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoteTakerCall {
    /// `schedule` was called.
    Scheduled(TenantId, Box<Meeting>),
    /// `cancel` was called.
    Cancelled(TenantId, MeetingId),
}

impl RecordingNoteTaker {
    /// An empty recorder.
    pub fn new() -> Self {
        Self::default()
    }

    /// The calls so far, in order.
    pub fn calls(&self) -> Vec<NoteTakerCall> {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn push(&self, call: NoteTakerCall) {
        self.log
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(call);
    }
}

#[async_trait]
impl NoteTaker for RecordingNoteTaker {
    async fn schedule(&self, tenant: &TenantId, meeting: &Meeting) -> Result<(), NoteTakerError> {
        self.push(NoteTakerCall::Scheduled(
            tenant.clone(),
            Box::new(meeting.clone()),
        ));
        Ok(())
    }

    async fn cancel(&self, tenant: &TenantId, meeting: &MeetingId) -> Result<(), NoteTakerError> {
        self.push(NoteTakerCall::Cancelled(tenant.clone(), meeting.clone()));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interview_meeting_ids_round_trip() {
        let interview = ScheduledInterview {
            tenant: TenantId::new("acme").unwrap(),
            ats: Ats::Greenhouse,
            interview_id: "9128481".into(),
            candidate_id: None,
            application_id: None,
            title: "Onsite".into(),
            start: chrono::Utc::now(),
            end: None,
            conferencing_url: None,
            interviewer_emails: vec![],
            updated_at: chrono::Utc::now(),
        };
        let id = interview_meeting_id(&interview);
        assert_eq!(interview_of_meeting(&id, Ats::Greenhouse), Some("9128481"));
        assert_eq!(interview_of_meeting(&id, Ats::Lever), None);
        assert_eq!(
            interview_of_meeting(&MeetingId::new("calendar-42"), Ats::Lever),
            None
        );
    }
}

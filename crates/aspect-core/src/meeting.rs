//! Meetings, their participants and the processing lifecycle.
//!
//! A meeting is registered (manually, or automatically from a calendar event
//! whose title matches the customer's [auto-processing
//! terms](crate::terms::AutoProcessingTerms)), then recorded, processed into
//! a summary, and finally processed — or it fails or is cancelled on the way.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::macros::string_enum;
use crate::terms::{AutoProcessingTerms, TermDecision};

/// Opaque identifier of a meeting, chosen by the caller (calendar event id,
/// conferencing id, database key...). It is what the note marker carries.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MeetingId(String);

impl MeetingId {
    /// Wraps an identifier.
    pub fn new(id: impl Into<String>) -> Self {
        MeetingId(id.into())
    }

    /// The identifier as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for MeetingId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for MeetingId {
    fn from(id: &str) -> Self {
        MeetingId::new(id)
    }
}

impl From<String> for MeetingId {
    fn from(id: String) -> Self {
        MeetingId(id)
    }
}

string_enum! {
    /// What a participant is in the interview.
    pub enum ParticipantRole {
        /// Someone from the hiring side.
        Interviewer => "interviewer",
        /// The person being interviewed.
        Candidate => "candidate",
        /// Not determined (yet); matching may decide.
        Unknown => "unknown",
        _ => Other
    }
}

/// A person invited to or present in a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    /// E-mail address as given by the calendar or conferencing system.
    #[serde(default)]
    pub email: Option<String>,
    /// Display name (also what transcripts usually label the speaker with).
    #[serde(default)]
    pub display_name: Option<String>,
    /// Role in the interview.
    #[serde(default = "unknown_role")]
    pub role: ParticipantRole,
}

fn unknown_role() -> ParticipantRole {
    ParticipantRole::Unknown
}

impl Participant {
    /// A participant with an e-mail address and a role.
    pub fn new(email: impl Into<String>, role: ParticipantRole) -> Self {
        Participant {
            email: Some(email.into()),
            display_name: None,
            role,
        }
    }

    /// Sets the display name.
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.display_name = Some(name.into());
        self
    }

    /// Best label for people: the display name, else the e-mail address.
    pub fn label(&self) -> Option<&str> {
        self.display_name.as_deref().or(self.email.as_deref())
    }
}

string_enum! {
    /// Where a meeting is in its processing lifecycle.
    ///
    /// Legal transitions (anything else is [`Error::IllegalTransition`]):
    ///
    /// | from | to |
    /// |---|---|
    /// | registered | recording, processing (transcript uploaded), failed, cancelled |
    /// | recording | processing, failed, cancelled |
    /// | processing | processed, failed |
    /// | processed | processing (re-processing) |
    /// | failed | processing (retry), cancelled |
    /// | cancelled | — (terminal) |
    pub enum MeetingState {
        /// Registered; nothing recorded yet.
        Registered => "registered",
        /// The recorder is in the call.
        Recording => "recording",
        /// Transcript is being summarized.
        Processing => "processing",
        /// Summary produced.
        Processed => "processed",
        /// Recording or processing failed.
        Failed => "failed",
        /// The meeting was cancelled or deregistered.
        Cancelled => "cancelled",
        _ => Unknown
    }
}

impl MeetingState {
    /// Whether the lifecycle allows going from `self` to `to`.
    pub fn can_transition_to(&self, to: &MeetingState) -> bool {
        use MeetingState::*;
        matches!(
            (self, to),
            (Registered, Recording | Processing | Failed | Cancelled)
                | (Recording, Processing | Failed | Cancelled)
                | (Processing, Processed | Failed)
                | (Processed, Processing)
                | (Failed, Processing | Cancelled)
        )
    }

    /// True for states no transition leaves except explicit re-processing.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            MeetingState::Processed | MeetingState::Cancelled | MeetingState::Failed
        )
    }
}

string_enum! {
    /// How a meeting came to be registered.
    pub enum RegistrationSource {
        /// A user registered it by hand.
        Manual => "manual",
        /// A calendar event matched the auto-processing terms.
        Automatic => "automatic",
        _ => Other
    }
}

/// An interview meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    /// Identifier (also carried by the note marker).
    pub id: MeetingId,
    /// Title, usually the calendar event's.
    pub title: String,
    /// Scheduled or actual start.
    pub start: DateTime<Utc>,
    /// Scheduled or actual end, when known.
    #[serde(default)]
    pub end: Option<DateTime<Utc>>,
    /// Organizer's e-mail address, when known.
    #[serde(default)]
    pub organizer: Option<String>,
    /// Invitees and attendees.
    #[serde(default)]
    pub participants: Vec<Participant>,
    /// Conferencing (Zoom, Teams, Meet) join URL.
    #[serde(default)]
    pub conferencing_url: Option<String>,
    /// How the meeting was registered.
    pub registration: RegistrationSource,
    /// For automatic registration, the auto-processing term that matched.
    #[serde(default)]
    pub matched_term: Option<String>,
    /// Why the meeting failed, when it did.
    #[serde(default)]
    pub failure_reason: Option<String>,
    state: MeetingState,
}

impl Meeting {
    /// A manually registered meeting in state `registered`.
    pub fn new(id: impl Into<MeetingId>, title: impl Into<String>, start: DateTime<Utc>) -> Self {
        Meeting {
            id: id.into(),
            title: title.into(),
            start,
            end: None,
            organizer: None,
            participants: Vec::new(),
            conferencing_url: None,
            registration: RegistrationSource::Manual,
            matched_term: None,
            failure_reason: None,
            state: MeetingState::Registered,
        }
    }

    /// Registers a meeting from a calendar event when its title matches the
    /// auto-processing terms (and no exclusion does); `None` otherwise.
    pub fn from_calendar_event(event: &CalendarEvent, terms: &AutoProcessingTerms) -> Option<Self> {
        let TermDecision::Matched { term } = terms.decide(&event.title) else {
            return None;
        };
        let mut meeting = Meeting::new(event.id.clone(), event.title.clone(), event.start);
        meeting.end = event.end;
        meeting.organizer = event.organizer.clone();
        meeting.participants = event.attendees.clone();
        meeting.conferencing_url = event.conferencing_url.clone();
        meeting.registration = RegistrationSource::Automatic;
        meeting.matched_term = Some(term);
        Some(meeting)
    }

    /// Adds a participant (builder style).
    pub fn with_participant(mut self, participant: Participant) -> Self {
        self.participants.push(participant);
        self
    }

    /// Current lifecycle state.
    pub fn state(&self) -> &MeetingState {
        &self.state
    }

    /// Moves to `to`, or fails with [`Error::IllegalTransition`] leaving the
    /// meeting unchanged.
    pub fn transition(&mut self, to: MeetingState) -> Result<(), Error> {
        if !self.state.can_transition_to(&to) {
            return Err(Error::IllegalTransition {
                from: self.state.clone(),
                to,
            });
        }
        if to != MeetingState::Failed {
            self.failure_reason = None;
        }
        self.state = to;
        Ok(())
    }

    /// `registered → recording`.
    pub fn start_recording(&mut self) -> Result<(), Error> {
        self.transition(MeetingState::Recording)
    }

    /// `registered | recording | processed | failed → processing`.
    pub fn start_processing(&mut self) -> Result<(), Error> {
        self.transition(MeetingState::Processing)
    }

    /// `processing → processed`.
    pub fn mark_processed(&mut self) -> Result<(), Error> {
        self.transition(MeetingState::Processed)
    }

    /// `registered | recording | processing → failed`, keeping the reason.
    pub fn mark_failed(&mut self, reason: impl Into<String>) -> Result<(), Error> {
        self.transition(MeetingState::Failed)?;
        self.failure_reason = Some(reason.into());
        Ok(())
    }

    /// `registered | recording | failed → cancelled`.
    pub fn cancel(&mut self) -> Result<(), Error> {
        self.transition(MeetingState::Cancelled)
    }

    /// Participants with the given role.
    pub fn participants_with_role<'a>(
        &'a self,
        role: &'a ParticipantRole,
    ) -> impl Iterator<Item = &'a Participant> + 'a {
        self.participants.iter().filter(move |p| &p.role == role)
    }
}

/// The parts of a calendar event that automatic registration looks at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarEvent {
    /// Calendar event id; becomes the meeting id.
    pub id: String,
    /// Event title; the auto-processing terms are matched against it.
    pub title: String,
    /// Start time.
    pub start: DateTime<Utc>,
    /// End time.
    #[serde(default)]
    pub end: Option<DateTime<Utc>>,
    /// Organizer's e-mail address.
    #[serde(default)]
    pub organizer: Option<String>,
    /// Invitees.
    #[serde(default)]
    pub attendees: Vec<Participant>,
    /// Conferencing join URL.
    #[serde(default)]
    pub conferencing_url: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn meeting() -> Meeting {
        Meeting::new(
            "m-1",
            "Phone screen",
            Utc.with_ymd_and_hms(2026, 11, 24, 15, 0, 0).unwrap(),
        )
    }

    #[test]
    fn happy_path_lifecycle() {
        let mut m = meeting();
        assert_eq!(m.state(), &MeetingState::Registered);
        m.start_recording().unwrap();
        m.start_processing().unwrap();
        m.mark_processed().unwrap();
        assert_eq!(m.state(), &MeetingState::Processed);
        // Re-processing is allowed.
        m.start_processing().unwrap();
    }

    #[test]
    fn illegal_transitions_are_errors_and_leave_state() {
        let mut m = meeting();
        let err = m.mark_processed().unwrap_err();
        assert!(matches!(
            err,
            Error::IllegalTransition {
                from: MeetingState::Registered,
                to: MeetingState::Processed
            }
        ));
        assert_eq!(m.state(), &MeetingState::Registered);
        m.cancel().unwrap();
        assert!(m.start_recording().is_err());
        assert!(m.start_processing().is_err());
        assert!(m.cancel().is_err());
        assert_eq!(m.state(), &MeetingState::Cancelled);
    }

    #[test]
    fn failure_keeps_reason_and_retry_clears_it() {
        let mut m = meeting();
        m.start_recording().unwrap();
        m.mark_failed("recorder was not admitted").unwrap();
        assert_eq!(
            m.failure_reason.as_deref(),
            Some("recorder was not admitted")
        );
        assert!(m.mark_processed().is_err());
        m.start_processing().unwrap();
        assert_eq!(m.failure_reason, None);
    }

    #[test]
    fn processing_cannot_be_cancelled_nor_recorded() {
        let mut m = meeting();
        m.start_processing().unwrap();
        assert!(m.cancel().is_err());
        assert!(m.start_recording().is_err());
    }

    #[test]
    fn unknown_state_and_role_deserialize_and_round_trip() {
        let state: MeetingState = serde_json::from_str("\"archived\"").unwrap();
        assert_eq!(state, MeetingState::Unknown("archived".into()));
        assert_eq!(serde_json::to_string(&state).unwrap(), "\"archived\"");
        assert!(!state.can_transition_to(&MeetingState::Processing));
        let role: ParticipantRole = serde_json::from_str("\"observer\"").unwrap();
        assert_eq!(role, ParticipantRole::Other("observer".into()));
        let role: ParticipantRole = serde_json::from_str("\"Interviewer\"").unwrap();
        assert_eq!(role, ParticipantRole::Interviewer);
        let source: RegistrationSource = serde_json::from_str("\"api\"").unwrap();
        assert_eq!(source, RegistrationSource::Other("api".into()));
    }

    #[test]
    fn meeting_serde_round_trip_keeps_state() {
        let mut m = meeting().with_participant(
            Participant::new("ana@example.com", ParticipantRole::Interviewer).with_name("Ana"),
        );
        m.start_recording().unwrap();
        let json = serde_json::to_string(&m).unwrap();
        let back: Meeting = serde_json::from_str(&json).unwrap();
        assert_eq!(back, m);
        assert_eq!(back.state(), &MeetingState::Recording);
    }

    #[test]
    fn participant_missing_role_is_unknown() {
        let p: Participant = serde_json::from_str(r#"{"email":"x@y.com"}"#).unwrap();
        assert_eq!(p.role, ParticipantRole::Unknown);
        assert_eq!(p.label(), Some("x@y.com"));
    }

    #[test]
    fn calendar_event_registration_uses_terms() {
        let terms = AutoProcessingTerms::new(["interview", "phone screen"]).excluding(["internal"]);
        let event = CalendarEvent {
            id: "evt-9".into(),
            title: "Phone Screen – Backend Engineer".into(),
            start: Utc.with_ymd_and_hms(2026, 11, 24, 15, 0, 0).unwrap(),
            end: None,
            organizer: Some("ana@acme.com".into()),
            attendees: vec![Participant::new("cand@gmail.com", ParticipantRole::Unknown)],
            conferencing_url: Some("https://zoom.us/j/123".into()),
        };
        let m = Meeting::from_calendar_event(&event, &terms).unwrap();
        assert_eq!(m.registration, RegistrationSource::Automatic);
        assert_eq!(m.matched_term.as_deref(), Some("phone screen"));
        assert_eq!(m.id.as_str(), "evt-9");
        assert_eq!(m.participants.len(), 1);

        let excluded = CalendarEvent {
            title: "Internal interview calibration".into(),
            ..event.clone()
        };
        assert!(Meeting::from_calendar_event(&excluded, &terms).is_none());
        let unrelated = CalendarEvent {
            title: "Sprint planning".into(),
            ..event
        };
        assert!(Meeting::from_calendar_event(&unrelated, &terms).is_none());
    }
}

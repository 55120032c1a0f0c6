//! Interview-intelligence core: meetings, transcript parsing (WebVTT, SRT,
//! STT JSON), summaries, smart Q&A, candidate matching and ATS note
//! rendering.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod macros;

pub mod error;
pub mod extractive;
pub mod llm;
pub mod matching;
pub mod meeting;
pub mod notes;
pub mod summary;
pub mod terms;
pub mod transcript;

pub use error::Error;
pub use extractive::ExtractiveSummarizer;
pub use llm::{OpenAiConfig, OpenAiSummarizer, RetryPolicy};
pub use meeting::{
    CalendarEvent, Meeting, MeetingId, MeetingState, Participant, ParticipantRole,
    RegistrationSource,
};
pub use notes::{
    NoteInput, NoteLimits, RenderedNote, find_meeting_marker, meeting_marker,
    render_greenhouse_note, render_lever_note,
};
pub use summary::{
    Citation, CitedPoint, Guardrails, InterviewNotes, InterviewSummary, QaPair, SpeakerRoles,
    Summarizer, SummaryRequest,
};
pub use terms::{AutoProcessingTerms, TermDecision};
pub use transcript::{
    ParseOptions, TimeOffset, Transcript, TranscriptFormat, Utterance, UtteranceId,
};

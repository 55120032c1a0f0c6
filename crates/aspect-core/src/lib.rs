//! Interview-intelligence core: meetings, transcript parsing (WebVTT, SRT,
//! STT JSON), summaries, smart Q&A, candidate matching and ATS note
//! rendering.
//!
//! This crate holds no ATS client and makes no ATS HTTP call; its only
//! network use is the optional OpenAI-compatible summarizer backend.
//!
//! | module | what it holds |
//! |---|---|
//! | [`meeting`] | [`Meeting`], [`Participant`], roles and the lifecycle state machine |
//! | [`terms`] | [`AutoProcessingTerms`]: which calendar events get registered |
//! | [`transcript`] | [`Transcript`] parsed from WebVTT (Teams, Zoom), SRT, SBV, Zoom text, Deepgram, AssemblyAI, AWS Transcribe, Google Speech-to-Text, IBM Watson, Rev.ai, Whisper `verbose_json`, `segments`, Google Meet entries; bad cues skipped as [`ParseWarning`]s |
//! | [`matching`] | participant ↔ candidate matching by normalized e-mail |
//! | [`summary`] | [`InterviewSummary`], [`QaPair`], citations, the [`Summarizer`] trait |
//! | [`extractive`] | [`ExtractiveSummarizer`], deterministic and offline |
//! | [`llm`] | [`OpenAiSummarizer`], any chat-completions server |
//! | [`policy`] | [`ContentPolicy`]: recommendations, ratings, protected characteristics and culture fit removed from any summary |
//! | [`group`] | group interviews: speakers tied to candidates, one note per candidate |
//! | [`notes`] | Lever and Greenhouse note rendering and the meeting marker |
//!
//! # Example
//!
//! ```
//! use aspect_interview_core::{
//!     ExtractiveSummarizer, Meeting, NoteInput, NoteLimits, Participant, ParticipantRole,
//!     SummaryRequest, Transcript, find_meeting_marker, render_lever_note,
//! };
//! use chrono::{TimeZone, Utc};
//!
//! let vtt = "WEBVTT\n\n\
//!     00:00:01.000 --> 00:00:04.000\n\
//!     Priya Raman: Could you walk me through your current role?\n\n\
//!     00:00:04.500 --> 00:00:09.000\n\
//!     Jordan Ellis: I lead the ingestion team at Northwind Freight.\n";
//! let transcript = Transcript::parse(vtt)?;
//!
//! let meeting = Meeting::new("evt-42", "Phone screen", Utc.with_ymd_and_hms(2026, 11, 24, 15, 0, 0).unwrap())
//!     .with_participant(Participant::new("priya@acme.example", ParticipantRole::Interviewer).with_name("Priya Raman"))
//!     .with_participant(Participant::new("jordan@example.com", ParticipantRole::Candidate).with_name("Jordan Ellis"));
//!
//! // Offline and deterministic; `OpenAiSummarizer` implements the same trait.
//! let notes = ExtractiveSummarizer::default()
//!     .summarize_now(&SummaryRequest::for_meeting(&meeting, &transcript));
//! assert_eq!(notes.qa[0].question, "Could you walk me through your current role?");
//! assert_eq!(notes.qa[0].answered_by.as_deref(), Some("Jordan Ellis"));
//!
//! let note = render_lever_note(&NoteInput::new(&meeting, &notes), &NoteLimits::lever())?;
//! assert_eq!(find_meeting_marker(&note.text), Some(meeting.id.clone()));
//! # Ok::<(), aspect_interview_core::Error>(())
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs, missing_debug_implementations)]

mod macros;

pub mod error;
pub mod extractive;
pub mod group;
#[cfg(feature = "openai")]
#[cfg_attr(docsrs, doc(cfg(feature = "openai")))]
pub mod llm;
pub mod matching;
pub mod meeting;
pub mod notes;
pub mod policy;
pub mod summary;
pub mod terms;
pub mod transcript;

pub use error::Error;
pub use extractive::{ExtractiveSummarizer, detect_language};
pub use group::{
    Attribution, AttributionGap, CandidateNotes, CandidateSpeakers, GroupAttribution,
    attribute_candidates,
};
#[cfg(feature = "openai")]
pub use llm::{OpenAiConfig, OpenAiSummarizer, RetryPolicy};
pub use matching::{
    CandidateDirectory, CandidateIndex, EmailNormalization, MatchConfig, MatchReport,
    NormalizedEmail, lookup_addresses, match_meeting, match_participants, normalize_email,
};
pub use meeting::{
    CalendarEvent, Meeting, MeetingId, MeetingState, Participant, ParticipantRole,
    RegistrationSource,
};
pub use notes::{
    NoteInput, NoteLimits, RenderedNote, find_meeting_marker, has_meeting_marker, meeting_marker,
    render_greenhouse_note, render_lever_note,
};
pub use policy::{
    ContentPolicy, NoteField, PolicyCategory, PolicyReport, PolicySummarizer, RemovedContent,
};
pub use summary::{
    Citation, CitedPoint, Guardrails, InterviewNotes, InterviewSummary, QaPair, RoleSource,
    SpeakerRoles, Summarizer, SummaryRequest,
};
pub use terms::{AutoProcessingTerms, TermDecision};
pub use transcript::{
    ParseOptions, ParseWarning, SourcePosition, TimeOffset, Transcript, TranscriptFormat,
    Utterance, UtteranceId,
};

/// Compiles and runs the README's example as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
#[derive(Debug)]
pub struct ReadmeDoctests;

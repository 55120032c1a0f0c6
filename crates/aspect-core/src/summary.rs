//! Interview summaries, smart Q&A, and the [`Summarizer`] trait.
//!
//! Every key point and every answer cites the utterances it came from
//! ([`Citation`]: utterance id, time, speaker), so a note can quote its
//! evidence (research notes §5 item 19). By default nothing here — neither
//! the offline [`ExtractiveSummarizer`](crate::extractive::ExtractiveSummarizer)
//! nor the prompts of the LLM backend — makes a hire/no-hire recommendation
//! or infers personal traits (the guardrail a peer states, §1.3 / §3.1).

use futures::future::BoxFuture;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::macros::string_enum;
use crate::meeting::{Meeting, ParticipantRole};
use crate::terms::words;
use crate::transcript::{TimeOffset, Transcript, Utterance, UtteranceId};

/// A pointer to the utterance a statement came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    /// The utterance.
    pub utterance: UtteranceId,
    /// When it started.
    pub start: TimeOffset,
    /// Who said it, when known.
    #[serde(default)]
    pub speaker: Option<String>,
}

impl Citation {
    /// Cites `utterance`.
    pub fn of(utterance: &Utterance) -> Self {
        Citation {
            utterance: utterance.id,
            start: utterance.start,
            speaker: utterance.speaker.clone(),
        }
    }
}

/// A statement with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitedPoint {
    /// The statement.
    pub text: String,
    /// Utterances supporting it (at least one when produced by this crate).
    #[serde(default)]
    pub citations: Vec<Citation>,
}

/// The summary of one interview.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterviewSummary {
    /// A few sentences on what the conversation covered.
    pub overview: String,
    /// The most salient points.
    #[serde(default)]
    pub key_points: Vec<CitedPoint>,
    /// Evidence of strengths, in the candidate's own words.
    #[serde(default)]
    pub strengths: Vec<CitedPoint>,
    /// Gaps or open concerns the candidate stated or left open.
    #[serde(default)]
    pub concerns: Vec<CitedPoint>,
    /// Things to follow up on (promised answers, unanswered questions,
    /// next steps).
    #[serde(default)]
    pub follow_ups: Vec<CitedPoint>,
}

/// One question and its answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QaPair {
    /// The question as asked.
    pub question: String,
    /// Who asked it.
    #[serde(default)]
    pub asked_by: Option<String>,
    /// When it was asked.
    pub asked_at: TimeOffset,
    /// The utterance holding the question.
    pub question_citation: Citation,
    /// What the answer said, briefly.
    pub answer_summary: String,
    /// Who answered.
    #[serde(default)]
    pub answered_by: Option<String>,
    /// Utterances of the answer (empty when the question went unanswered).
    #[serde(default)]
    pub answer_citations: Vec<Citation>,
}

/// What a [`Summarizer`] produces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterviewNotes {
    /// The summary.
    pub summary: InterviewSummary,
    /// Smart Q&A, in the order the questions were asked.
    #[serde(default)]
    pub qa: Vec<QaPair>,
    /// Which summarizer made this (e.g. `extractive`, `openai:gpt-4o-mini`).
    pub generator: String,
    /// What the [`ContentPolicy`](crate::policy::ContentPolicy) checked and
    /// removed; `None` when no policy was applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<crate::policy::PolicyReport>,
    /// How the speakers' roles were established; a note should say when
    /// they were guessed. `None` when the summarizer did not record it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_source: Option<RoleSource>,
    /// The transcript's language as a BCP 47 primary language subtag
    /// (`en`, `es`, `ja`...), when detected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

string_enum! {
    /// How the speakers' roles in a summary were established, so a reader
    /// knows whether "who said what" is given or guessed.
    pub enum RoleSource {
        /// Every speaker's role came from the meeting's participants or
        /// from names the caller gave (e.g. the ATS interview's
        /// interviewers).
        Given => "given",
        /// Some speakers' roles were inferred from their behaviour (who
        /// asks the questions, who answers them).
        Inferred => "inferred",
        /// The transcript has fewer than two speaker labels: questions and
        /// answers were told apart from the text alone, sentence by
        /// sentence.
        Unlabelled => "unlabelled",
        _ => Other
    }
}

impl RoleSource {
    /// Whether roles were guessed rather than given.
    pub fn is_guessed(&self) -> bool {
        !matches!(self, RoleSource::Given)
    }
}

/// Which transcript speaker is interviewer or candidate.
///
/// Roles set by the caller ([`set`](Self::set), [`from_meeting`](Self::from_meeting),
/// [`from_names`](Self::from_names)) are *given*; [`resolved`](Self::resolved)
/// adds *inferred* roles for the speakers left over. Any number of
/// speakers may be interviewers (a panel); the candidate is exactly the
/// speakers given as candidates or, when none is, the one speaker who
/// answers the most.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpeakerRoles {
    roles: Vec<(String, ParticipantRole)>,
    /// Speakers whose role [`resolved`](Self::resolved) inferred.
    inferred: Vec<String>,
}

impl SpeakerRoles {
    /// No speaker known.
    pub fn new() -> Self {
        Self::default()
    }

    /// Assigns `role` to `speaker` (builder style).
    pub fn with(mut self, speaker: impl Into<String>, role: ParticipantRole) -> Self {
        self.set(speaker, role);
        self
    }

    /// Assigns `role` to `speaker` (a given role: it replaces an inferred
    /// one).
    pub fn set(&mut self, speaker: impl Into<String>, role: ParticipantRole) {
        let speaker = speaker.into();
        self.inferred.retain(|s| *s != speaker);
        self.put(speaker, role);
    }

    fn put(&mut self, speaker: String, role: ParticipantRole) {
        match self.roles.iter_mut().find(|(s, _)| *s == speaker) {
            Some(entry) => entry.1 = role,
            None => self.roles.push((speaker, role)),
        }
    }

    /// The role of `speaker` ([`ParticipantRole::Unknown`] when not set).
    pub fn role_of(&self, speaker: Option<&str>) -> ParticipantRole {
        speaker
            .and_then(|s| self.roles.iter().find(|(name, _)| name == s))
            .map_or(ParticipantRole::Unknown, |(_, role)| role.clone())
    }

    /// Speakers with `role`, in the order they were set.
    pub fn speakers_with(&self, role: &ParticipantRole) -> Vec<&str> {
        self.roles
            .iter()
            .filter(|(_, r)| r == role)
            .map(|(s, _)| s.as_str())
            .collect()
    }

    /// Whether `speaker`'s role was inferred by [`resolved`](Self::resolved)
    /// rather than given.
    pub fn is_inferred(&self, speaker: &str) -> bool {
        self.inferred.iter().any(|s| s == speaker)
    }

    /// How the roles for `transcript` were established: `Unlabelled` when
    /// it has fewer than two speaker labels, `Inferred` when any speaker's
    /// role was inferred, else `Given`.
    pub fn source(&self, transcript: &Transcript) -> RoleSource {
        let speakers = transcript.speakers();
        if speakers.len() < 2 {
            RoleSource::Unlabelled
        } else if speakers
            .iter()
            .any(|s| self.is_inferred(s) || self.role_of(Some(s)) == ParticipantRole::Unknown)
        {
            RoleSource::Inferred
        } else {
            RoleSource::Given
        }
    }

    /// Maps transcript speakers to the meeting's participants by name: a
    /// speaker label matches a participant whose display name (or e-mail
    /// local part) has the same words, ignoring case, accents and order
    /// ("Souza, Ana" = "Ana Souza" = `ana.souza@...`).
    pub fn from_meeting(meeting: &Meeting, transcript: &Transcript) -> Self {
        let mut roles = SpeakerRoles::new();
        for speaker in transcript.speakers() {
            let key = name_key(speaker);
            let found = meeting.participants.iter().find(|p| {
                let by_name = p.display_name.as_deref().map(name_key);
                let by_mail = p
                    .email
                    .as_deref()
                    .and_then(|e| e.split('@').next())
                    .map(name_key);
                by_name.as_ref() == Some(&key) || by_mail.as_ref() == Some(&key)
            });
            if let Some(p) = found {
                roles.set(speaker, p.role.clone());
            }
        }
        roles
    }

    /// Roles from explicit names, e.g. the interviewers of the ATS
    /// interview and the candidate's name. A speaker label matches a name
    /// with the same words in any order, ignoring case and accents, or —
    /// when only one name fits and that name fits only this label — with a
    /// subset of its words ("Priya" matches "Priya Raman"). Speakers
    /// matching no name stay unknown.
    pub fn from_names<I, C>(transcript: &Transcript, interviewers: I, candidates: C) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
        C: IntoIterator,
        C::Item: AsRef<str>,
    {
        let mut named: Vec<(Vec<String>, ParticipantRole)> = Vec::new();
        for name in interviewers {
            named.push((name_key(name.as_ref()), ParticipantRole::Interviewer));
        }
        for name in candidates {
            named.push((name_key(name.as_ref()), ParticipantRole::Candidate));
        }
        named.retain(|(key, _)| !key.is_empty());
        let speakers: Vec<(&str, Vec<String>)> = transcript
            .speakers()
            .into_iter()
            .map(|s| (s, name_key(s)))
            .filter(|(_, key)| !key.is_empty())
            .collect();
        let partly = |a: &[String], b: &[String]| is_subset(a, b) || is_subset(b, a);
        let mut roles = SpeakerRoles::new();
        for (speaker, key) in &speakers {
            let exact = named.iter().find(|(k, _)| k == key);
            // A partial match counts only when it is unambiguous both ways:
            // one name fits this label, and no other label fits that name
            // ("Ana" names nobody when "Ana Souza" and "Ana Lima" speak).
            let partial: Vec<&(Vec<String>, ParticipantRole)> =
                named.iter().filter(|(k, _)| partly(key, k)).collect();
            let found = exact.or(match partial.as_slice() {
                [only]
                    if speakers
                        .iter()
                        .filter(|(_, other)| partly(other, &only.0))
                        .count()
                        == 1 =>
                {
                    Some(*only)
                }
                _ => None,
            });
            if let Some((_, role)) = found {
                roles.set(*speaker, role.clone());
            }
        }
        roles
    }

    /// The roles the caller gave, without inferred ones.
    pub fn given(&self) -> SpeakerRoles {
        SpeakerRoles {
            roles: self
                .roles
                .iter()
                .filter(|(s, _)| !self.is_inferred(s))
                .cloned()
                .collect(),
            inferred: Vec::new(),
        }
    }

    /// Fills in the speakers without a given role. When no candidate is
    /// given, the unknown speaker who answers the most interview questions
    /// (most turns right after someone else's question and before the
    /// hand-over to the candidate's questions; ties: more said in those
    /// turns, fewer questions asked, more said overall) is taken as the
    /// candidate. Every
    /// other unknown speaker is taken as an interviewer: a panel has
    /// several, and a second interviewer must not be read as a second
    /// candidate. A transcript with fewer than two speaker labels gets no
    /// inferred role. Inferred roles from an earlier call are recomputed.
    pub fn resolved(&self, transcript: &Transcript) -> SpeakerRoles {
        let mut roles = self.given();
        if transcript.speakers().len() < 2 {
            // One label for everything (or none) says nothing about roles:
            // summarizers read such a transcript sentence by sentence.
            return roles;
        }
        let unknown: Vec<&str> = transcript
            .speakers()
            .into_iter()
            .filter(|s| roles.role_of(Some(s)) == ParticipantRole::Unknown)
            .collect();
        if unknown.is_empty() {
            return roles;
        }
        let given_candidate = !roles.speakers_with(&ParticipantRole::Candidate).is_empty();
        let candidates = likely_candidates(transcript, &unknown, !given_candidate);
        for speaker in unknown {
            let role = if candidates.contains(&speaker) {
                ParticipantRole::Candidate
            } else {
                ParticipantRole::Interviewer
            };
            roles.put(speaker.to_owned(), role);
            roles.inferred.push(speaker.to_owned());
        }
        roles
    }
}

fn name_key(name: &str) -> Vec<String> {
    let mut w = words(name);
    w.sort();
    w
}

fn is_subset(small: &[String], big: &[String]) -> bool {
    !small.is_empty() && small.iter().all(|w| big.contains(w))
}

/// The candidates among `unknown`: the one who behaves most like a
/// candidate (when no candidate is given), plus (group interviews) every
/// other speaker who answered more questions than they asked. Erring
/// this way is the safe side: a speaker taken for a candidate must be tied
/// to a participant before a group note is split, while a candidate taken
/// for an interviewer would have their answers dropped from the notes.
fn likely_candidates<'a>(
    transcript: &Transcript,
    unknown: &[&'a str],
    pick_primary: bool,
) -> Vec<&'a str> {
    let stats = crate::extractive::speaker_stats(transcript);
    let mut out: Vec<&'a str> = Vec::new();
    if pick_primary {
        out.extend(likely_candidate(transcript, unknown));
    }
    for speaker in unknown {
        let st = stats.get(*speaker).copied().unwrap_or_default();
        if !out.contains(speaker) && st.answers >= 1 && st.answers > st.questions {
            out.push(speaker);
        }
    }
    out
}

/// The speaker among `unknown` who behaves most like the candidate (see
/// [`SpeakerRoles::resolved`]).
fn likely_candidate<'a>(transcript: &Transcript, unknown: &[&'a str]) -> Option<&'a str> {
    let stats = crate::extractive::speaker_stats(transcript);
    unknown
        .iter()
        .enumerate()
        .max_by_key(|(i, s)| {
            let st = stats.get(**s).copied().unwrap_or_default();
            (
                st.answers,
                st.answer_len,
                std::cmp::Reverse(st.questions),
                std::cmp::Reverse(st.question_marks),
                st.len,
                // Ties go to whoever spoke first (max_by_key keeps the last).
                std::cmp::Reverse(*i),
            )
        })
        .map(|(_, s)| *s)
}

/// Switches for what a summary may say. Both are off by default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Guardrails {
    /// Allow a hire / no-hire recommendation.
    pub allow_recommendation: bool,
    /// Allow inferring personal traits, characteristics or "fit".
    pub allow_trait_inference: bool,
}

/// Everything a summarizer needs.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SummaryRequest<'a> {
    /// The transcript.
    pub transcript: &'a Transcript,
    /// Who is interviewer and who is candidate.
    pub roles: SpeakerRoles,
    /// Meeting title, for context.
    pub meeting_title: Option<String>,
    /// What the summary may say.
    pub guardrails: Guardrails,
}

impl<'a> SummaryRequest<'a> {
    /// A request with roles inferred from the transcript alone.
    pub fn new(transcript: &'a Transcript) -> Self {
        SummaryRequest {
            transcript,
            roles: SpeakerRoles::new().resolved(transcript),
            meeting_title: None,
            guardrails: Guardrails::default(),
        }
    }

    /// A request whose roles come from the meeting's participants (see
    /// [`SpeakerRoles::from_meeting`]), with the meeting title.
    pub fn for_meeting(meeting: &Meeting, transcript: &'a Transcript) -> Self {
        SummaryRequest {
            transcript,
            roles: SpeakerRoles::from_meeting(meeting, transcript).resolved(transcript),
            meeting_title: Some(meeting.title.clone()),
            guardrails: Guardrails::default(),
        }
    }

    /// Replaces the roles (builder style); unknown speakers are resolved
    /// as in [`SpeakerRoles::resolved`].
    pub fn with_roles(mut self, roles: SpeakerRoles) -> Self {
        self.roles = roles.resolved(self.transcript);
        self
    }

    /// Replaces the guardrails (builder style).
    pub fn with_guardrails(mut self, guardrails: Guardrails) -> Self {
        self.guardrails = guardrails;
        self
    }

    /// Adds the names of the interviewers (builder style), e.g. those of
    /// the ATS interview: speakers matching them (see
    /// [`SpeakerRoles::from_names`]) become interviewers unless a role is
    /// already given, and the rest are resolved again.
    pub fn with_interviewer_names<I>(mut self, interviewers: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let mut roles = self.roles.given();
        let named =
            SpeakerRoles::from_names(self.transcript, interviewers, std::iter::empty::<&str>());
        for (speaker, role) in named.roles {
            if roles.role_of(Some(&speaker)) == ParticipantRole::Unknown {
                roles.set(speaker, role);
            }
        }
        self.roles = roles.resolved(self.transcript);
        self
    }

    /// How the roles in this request were established (see
    /// [`SpeakerRoles::source`]).
    pub fn role_source(&self) -> RoleSource {
        self.roles.source(self.transcript)
    }

    /// Whether `utterance` was spoken by an interviewer.
    pub fn is_interviewer(&self, utterance: &Utterance) -> bool {
        self.roles.role_of(utterance.speaker.as_deref()) == ParticipantRole::Interviewer
    }
}

/// Turns a transcript into [`InterviewNotes`].
///
/// Object-safe, so the engine can hold an `Arc<dyn Summarizer>` and swap
/// the offline extractive implementation for the LLM backend by config.
pub trait Summarizer: Send + Sync {
    /// A short name recorded in [`InterviewNotes::generator`].
    fn name(&self) -> String;

    /// Summarizes the transcript in `request`.
    fn summarize<'a>(
        &'a self,
        request: &'a SummaryRequest<'_>,
    ) -> BoxFuture<'a, Result<InterviewNotes, Error>>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meeting::Participant;
    use chrono::Utc;

    #[test]
    fn roles_from_meeting_match_names_in_any_order() {
        let transcript = Transcript::from_vtt(
            "WEBVTT\n\n00:00.000 --> 00:01.000\n<v Souza, Ana>Why this role?\n\n00:01.000 --> 00:02.000\n<v marcus lee>Growth.\n\n00:02.000 --> 00:03.000\n<v Observer>hi\n",
        )
        .unwrap();
        let meeting = Meeting::new("m", "Interview", Utc::now())
            .with_participant(
                Participant::new("ana@acme.com", ParticipantRole::Interviewer)
                    .with_name("Ana Souza"),
            )
            .with_participant(Participant::new(
                "Marcus.Lee@gmail.com",
                ParticipantRole::Candidate,
            ));
        let roles = SpeakerRoles::from_meeting(&meeting, &transcript);
        assert_eq!(
            roles.role_of(Some("Souza, Ana")),
            ParticipantRole::Interviewer
        );
        assert_eq!(
            roles.role_of(Some("marcus lee")),
            ParticipantRole::Candidate
        );
        assert_eq!(roles.role_of(Some("Observer")), ParticipantRole::Unknown);
        // The candidate is given, so the unmatched speaker is on the
        // hiring side (an observer), never a second candidate.
        let resolved = roles.resolved(&transcript);
        assert_eq!(
            resolved.role_of(Some("Observer")),
            ParticipantRole::Interviewer
        );
        assert!(resolved.is_inferred("Observer") && !resolved.is_inferred("marcus lee"));
        assert_eq!(resolved.source(&transcript), RoleSource::Inferred);
    }

    #[test]
    fn most_questions_makes_the_interviewer() {
        let transcript = Transcript::parse(
            "WEBVTT\n\n00:00.000 --> 00:01.000\nA: Hello.\n\n00:01.000 --> 00:02.000\nB: Why? And how?\n\n00:02.000 --> 00:03.000\nA: Because. Ok?\n",
        )
        .unwrap();
        let roles = SpeakerRoles::new().resolved(&transcript);
        assert_eq!(roles.speakers_with(&ParticipantRole::Interviewer), ["B"]);
        assert_eq!(roles.speakers_with(&ParticipantRole::Candidate), ["A"]);
    }

    #[test]
    fn ambiguous_partial_names_match_nobody() {
        let transcript = Transcript::parse(
            "WEBVTT\n\n00:00.000 --> 00:01.000\n<v Ana Souza>Hi.\n\n00:01.000 --> 00:02.000\n<v Ana Lima>Hello.\n\n00:02.000 --> 00:03.000\n<v Bo Chen>Hey.\n",
        )
        .unwrap();
        let roles = SpeakerRoles::from_names(&transcript, ["Ana", "Bo"], ["Ana Lima"]);
        assert_eq!(roles.role_of(Some("Ana Souza")), ParticipantRole::Unknown);
        assert_eq!(roles.role_of(Some("Ana Lima")), ParticipantRole::Candidate);
        assert_eq!(roles.role_of(Some("Bo Chen")), ParticipantRole::Interviewer);
    }

    #[test]
    fn one_speaker_label_infers_no_role() {
        let transcript = Transcript::parse(
            "WEBVTT\n\n00:00.000 --> 00:05.000\nSpeaker 0: How did you scale it? We sharded by tenant.\n",
        )
        .unwrap();
        let roles = SpeakerRoles::new().resolved(&transcript);
        assert_eq!(roles.role_of(Some("Speaker 0")), ParticipantRole::Unknown);
        assert_eq!(roles.source(&transcript), RoleSource::Unlabelled);
        assert!(RoleSource::Unlabelled.is_guessed() && !RoleSource::Given.is_guessed());
    }

    #[test]
    fn notes_round_trip_through_json() {
        let notes = InterviewNotes {
            summary: InterviewSummary {
                overview: "o".into(),
                key_points: vec![CitedPoint {
                    text: "k".into(),
                    citations: vec![Citation {
                        utterance: UtteranceId(3),
                        start: TimeOffset::from_millis(1500),
                        speaker: Some("A".into()),
                    }],
                }],
                ..InterviewSummary::default()
            },
            qa: vec![],
            generator: "test".into(),
            policy: None,
            role_source: Some(RoleSource::Inferred),
            language: Some("en".into()),
        };
        let json = serde_json::to_string(&notes).unwrap();
        assert!(json.contains(r#""utterance":3"#) && json.contains(r#""start":1500"#));
        assert_eq!(
            serde_json::from_str::<InterviewNotes>(&json).unwrap(),
            notes
        );
    }
}

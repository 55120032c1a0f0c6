//! Group interviews: tying transcript speakers to the matched candidates,
//! and splitting one meeting's notes into one note per candidate.
//!
//! When a meeting matches two or more candidates (a group interview, an
//! assessment day), each candidate's ATS record must hold only what
//! concerns that candidate: the shared context (meeting, interviewers, the
//! questions asked), then only that candidate's answers, points and
//! citations. Another candidate appears, if at all, as "another
//! candidate" — never by name, e-mail or quote.
//!
//! That is only possible when every point can be tied to a candidate, so
//! [`attribute_candidates`] first checks that each matched candidate is
//! exactly one (or several, same-person) transcript speaker. It answers
//! [`Attribution::Uncertain`] instead of guessing when the speakers are
//! unlabelled, a candidate has no speaker, one speaker fits two candidates,
//! or someone who matches no participant is quoted as answering; the
//! caller then reports the meeting for review instead of posting.
//!
//! Attribution is by speaker: a point or an answer belongs to a candidate
//! when every utterance it cites is that candidate's or the hiring side's
//! (the extractive summarizer quotes the candidate's own utterances; the
//! LLM backend's citations carry the cited utterance's speaker).
//!
//! # Example
//!
//! ```
//! use aspect_interview_core::{
//!     Attribution, ExtractiveSummarizer, Meeting, NoteInput, NoteLimits, Participant,
//!     ParticipantRole, SummaryRequest, Transcript, attribute_candidates, render_lever_note,
//! };
//! use chrono::Utc;
//!
//! let ana = Participant::new("ana@example.com", ParticipantRole::Candidate).with_name("Ana Lima");
//! let ben = Participant::new("ben@example.com", ParticipantRole::Candidate).with_name("Ben Okoro");
//! let meeting = Meeting::new("evt-9", "Assessment day", Utc::now())
//!     .with_participant(Participant::new("kim@acme.example", ParticipantRole::Interviewer).with_name("Kim Park"))
//!     .with_participant(ana.clone())
//!     .with_participant(ben.clone());
//! let transcript = Transcript::parse("WEBVTT\n\n\
//!     00:01.000 --> 00:04.000\nKim Park: Could you each describe a project you led?\n\n\
//!     00:05.000 --> 00:09.000\nAna Lima: I led our move to event sourcing for orders.\n\n\
//!     00:10.000 --> 00:14.000\nBen Okoro: I led a rewrite of the mobile checkout, unlike Ana.\n")?;
//! let notes = ExtractiveSummarizer::default()
//!     .summarize_now(&SummaryRequest::for_meeting(&meeting, &transcript));
//!
//! // The participants the ATS matched (e.g. `report.matched[..].participant`).
//! let Attribution::Certain(group) = attribute_candidates(&meeting, [&ana, &ben], &notes) else {
//!     panic!("report the meeting for review instead of posting");
//! };
//! let bens = group.notes_for(&notes, &ben).expect("Ben is one of the group");
//! let note = render_lever_note(&NoteInput::for_candidate(&meeting, &bens), &NoteLimits::lever())?;
//! assert!(note.text.contains("mobile checkout, unlike another candidate."));
//! assert!(!note.text.contains("event sourcing") && !note.text.contains("Ana"));
//! # Ok::<(), aspect_interview_core::Error>(())
//! ```

use std::fmt;

use crate::matching::normalize_email;
use crate::meeting::{Meeting, Participant};
use crate::summary::{Citation, CitedPoint, InterviewNotes, QaPair};
use crate::terms::{fold, words};

/// What replaces another candidate's name or e-mail.
pub const ANOTHER_CANDIDATE: &str = "another candidate";

/// Answer text shown for a question the candidate did not answer.
pub const NO_ANSWER_FROM_CANDIDATE: &str = "No answer from this candidate.";

/// Answer text shown when an answer cites several candidates' words.
pub const ANSWER_WITHHELD: &str =
    "Answer not shown: it combines several candidates' words (see the full summary).";

/// Whether and how a meeting's speakers are tied to its matched candidates.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Attribution {
    /// At most one matched candidate: no split is needed, the meeting's
    /// single note is that candidate's (render it as before).
    NotRequired,
    /// Every matched candidate is tied to their own transcript speaker(s).
    Certain(GroupAttribution),
    /// The speakers cannot be tied to the candidates: post nothing, report
    /// the meeting for review.
    Uncertain {
        /// Why.
        reason: AttributionGap,
    },
}

/// Why speakers could not be tied to the matched candidates.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AttributionGap {
    /// The notes cite no speaker label at all (plain captions, SRT).
    NoSpeakerLabels,
    /// Some answers or points cite utterances without a speaker label.
    UnlabelledSpeech,
    /// No speaker's label matches this candidate's name or e-mail.
    NoSpeakerFor {
        /// The candidate's display name or e-mail.
        candidate: String,
    },
    /// One speaker label matches several candidates (or a candidate and
    /// someone on the hiring side).
    SharedSpeaker {
        /// The speaker label.
        speaker: String,
        /// The participants it matches, candidates first.
        candidates: Vec<String>,
    },
    /// Speakers who match no meeting participant answer or are quoted.
    UnknownSpeakers {
        /// Their labels.
        speakers: Vec<String>,
    },
}

impl fmt::Display for AttributionGap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AttributionGap::NoSpeakerLabels => f.write_str(
                "the transcript has no speaker labels, so answers cannot be tied to candidates",
            ),
            AttributionGap::UnlabelledSpeech => {
                f.write_str("some answers or points come from utterances without a speaker label")
            }
            AttributionGap::NoSpeakerFor { candidate } => {
                write!(f, "no transcript speaker matches candidate {candidate}")
            }
            AttributionGap::SharedSpeaker {
                speaker,
                candidates,
            } => write!(
                f,
                "speaker {speaker:?} matches several participants ({})",
                candidates.join(", ")
            ),
            AttributionGap::UnknownSpeakers { speakers } => write!(
                f,
                "speakers matching no participant answer or are quoted: {}",
                speakers.join(", ")
            ),
        }
    }
}

/// A matched candidate and the transcript speaker label(s) that are them
/// (several when the same person appears under two labels, e.g. "Ana
/// Souza" and "Souza, Ana").
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CandidateSpeakers {
    /// The candidate as matched.
    pub participant: Participant,
    /// Their speaker labels, as the notes cite them.
    pub speakers: Vec<String>,
}

/// Every matched candidate of a group interview with their speakers (see
/// [`Attribution::Certain`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupAttribution {
    candidates: Vec<CandidateSpeakers>,
    /// Participants who are not candidates (interviewers, observers).
    others: Vec<Participant>,
}

/// One candidate's share of a group interview's notes: ready to render
/// with [`NoteInput::for_candidate`](crate::notes::NoteInput::for_candidate).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CandidateNotes {
    /// The candidate.
    pub candidate: Participant,
    /// Their speaker labels.
    pub speakers: Vec<String>,
    /// How many candidates the meeting matched.
    pub group_size: usize,
    /// The notes reduced to this candidate: the shared questions, only
    /// this candidate's answers and points, other candidates' names and
    /// e-mails replaced by "another candidate".
    pub notes: InterviewNotes,
    /// Items left out because they cite this and another candidate's
    /// words together, or a question another candidate asked.
    pub withheld: usize,
    scrubber: Scrubber,
}

impl CandidateNotes {
    /// Replaces other candidates' names, speaker labels and e-mail
    /// addresses in `text` by "another candidate" (e.g. for a meeting
    /// title shown next to this candidate's note).
    pub fn scrub(&self, text: &str) -> String {
        self.scrubber.scrub(text)
    }
}

/// Ties each matched candidate to the speaker labels the notes cite.
///
/// `candidates` are the participants matched to ATS candidates (e.g.
/// `report.matched.iter().map(|m| &m.participant)`); duplicates (same
/// e-mail) count once. With at most one candidate the answer is
/// [`Attribution::NotRequired`]. Otherwise a speaker label is a
/// participant when it has the same words as the participant's display
/// name, e-mail local part or e-mail, ignoring case, accents and order;
/// the answer is [`Attribution::Certain`] only when every candidate has a
/// speaker, no speaker fits two candidates, and everyone who answers or is
/// quoted is a participant. A speaker who matches no participant but only
/// asks questions is taken as the hiring side.
pub fn attribute_candidates<'a, I>(
    meeting: &Meeting,
    candidates: I,
    notes: &InterviewNotes,
) -> Attribution
where
    I: IntoIterator<Item = &'a Participant>,
{
    let candidates = distinct(candidates);
    if candidates.len() <= 1 {
        return Attribution::NotRequired;
    }
    match tie(meeting, &candidates, notes) {
        Ok(group) => Attribution::Certain(group),
        Err(reason) => Attribution::Uncertain { reason },
    }
}

fn distinct<'a>(candidates: impl IntoIterator<Item = &'a Participant>) -> Vec<Participant> {
    let mut out: Vec<Participant> = Vec::new();
    for c in candidates {
        if !out.iter().any(|o| same_person(o, c)) {
            out.push(c.clone());
        }
    }
    out
}

fn same_person(a: &Participant, b: &Participant) -> bool {
    let mail = |p: &Participant| p.email.as_deref().and_then(normalize_email);
    match (mail(a), mail(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

fn tie(
    meeting: &Meeting,
    candidates: &[Participant],
    notes: &InterviewNotes,
) -> Result<GroupAttribution, AttributionGap> {
    let spoken = SpeakerUse::of(notes);
    if spoken.labels.is_empty() {
        return Err(AttributionGap::NoSpeakerLabels);
    }
    if spoken.unlabelled_content {
        return Err(AttributionGap::UnlabelledSpeech);
    }
    let mut tied = Vec::new();
    for candidate in candidates {
        let speakers: Vec<String> = spoken
            .labels
            .iter()
            .filter(|s| is_participant(s, candidate))
            .cloned()
            .collect();
        if speakers.is_empty() {
            return Err(AttributionGap::NoSpeakerFor {
                candidate: label(candidate),
            });
        }
        tied.push(CandidateSpeakers {
            participant: candidate.clone(),
            speakers,
        });
    }
    let hiring_side: Vec<&Participant> = meeting
        .participants
        .iter()
        .filter(|p| !candidates.iter().any(|c| same_person(c, p)))
        .collect();
    for speaker in &spoken.labels {
        let mut owners: Vec<String> = tied
            .iter()
            .filter(|c| c.speakers.contains(speaker))
            .map(|c| label(&c.participant))
            .collect();
        if !owners.is_empty() {
            // A candidate's label that also names an interviewer could be
            // either of them.
            owners.extend(
                hiring_side
                    .iter()
                    .filter(|p| is_participant(speaker, p))
                    .map(|p| label(p)),
            );
        }
        if owners.len() > 1 {
            return Err(AttributionGap::SharedSpeaker {
                speaker: speaker.clone(),
                candidates: owners,
            });
        }
    }
    let unknown: Vec<String> = spoken
        .content
        .iter()
        .filter(|s| !meeting.participants.iter().any(|p| is_participant(s, p)))
        .filter(|s| !tied.iter().any(|c| c.speakers.contains(s)))
        .cloned()
        .collect();
    if !unknown.is_empty() {
        return Err(AttributionGap::UnknownSpeakers { speakers: unknown });
    }
    Ok(GroupAttribution {
        candidates: tied,
        others: hiring_side.into_iter().cloned().collect(),
    })
}

/// The speaker labels a set of notes cites.
struct SpeakerUse {
    /// Every label, in first-cited order.
    labels: Vec<String>,
    /// Labels of answers and summary points (not of questions).
    content: Vec<String>,
    /// Whether some answer or point cites an utterance without a label.
    unlabelled_content: bool,
}

impl SpeakerUse {
    fn of(notes: &InterviewNotes) -> Self {
        let mut use_ = SpeakerUse {
            labels: Vec::new(),
            content: Vec::new(),
            unlabelled_content: false,
        };
        for pair in &notes.qa {
            use_.note(pair.asked_by.as_deref(), false);
            use_.note(pair.question_citation.speaker.as_deref(), false);
            use_.note(pair.answered_by.as_deref(), true);
            for c in &pair.answer_citations {
                use_.cited(c, true);
            }
        }
        let summary = &notes.summary;
        for list in [&summary.key_points, &summary.strengths, &summary.concerns] {
            for c in list.iter().flat_map(|p| &p.citations) {
                use_.cited(c, true);
            }
        }
        for c in summary.follow_ups.iter().flat_map(|p| &p.citations) {
            use_.cited(c, false);
        }
        use_
    }

    fn cited(&mut self, citation: &Citation, content: bool) {
        if citation.speaker.is_none() && content {
            self.unlabelled_content = true;
        }
        self.note(citation.speaker.as_deref(), content);
    }

    fn note(&mut self, speaker: Option<&str>, content: bool) {
        let Some(speaker) = speaker.filter(|s| !s.trim().is_empty()) else {
            return;
        };
        if !self.labels.iter().any(|s| s == speaker) {
            self.labels.push(speaker.to_owned());
        }
        if content && !self.content.iter().any(|s| s == speaker) {
            self.content.push(speaker.to_owned());
        }
    }
}

/// Whether a speaker label names this participant: the same words as the
/// display name, the e-mail's local part or the whole e-mail, in any order
/// (the rule [`SpeakerRoles::from_meeting`](crate::summary::SpeakerRoles::from_meeting)
/// uses).
fn is_participant(speaker: &str, participant: &Participant) -> bool {
    let key = name_key(speaker);
    if key.is_empty() {
        return false;
    }
    let email = participant.email.as_deref();
    let forms = [
        participant.display_name.as_deref(),
        email.and_then(|e| e.split('@').next()),
        email,
    ];
    forms
        .into_iter()
        .flatten()
        .any(|form| name_key(form) == key)
}

fn name_key(name: &str) -> Vec<String> {
    let mut w = words(name);
    w.sort();
    w
}

fn label(p: &Participant) -> String {
    p.label()
        .unwrap_or("candidate without name or e-mail")
        .to_owned()
}

impl GroupAttribution {
    /// The candidates with their speakers, in the order given.
    pub fn candidates(&self) -> &[CandidateSpeakers] {
        &self.candidates
    }

    /// The speaker labels of `candidate` (matched by e-mail), if they are
    /// one of the group.
    pub fn speakers_of(&self, candidate: &Participant) -> Option<&[String]> {
        self.find(candidate).map(|c| c.speakers.as_slice())
    }

    /// `notes` reduced to what concerns `candidate` (see [`CandidateNotes`]);
    /// `None` when `candidate` is not one of the group.
    pub fn notes_for(
        &self,
        notes: &InterviewNotes,
        candidate: &Participant,
    ) -> Option<CandidateNotes> {
        let own = self.find(candidate)?;
        let scrubber = Scrubber::new(own, &self.candidates, &self.others);
        let view = View {
            own: &own.speakers,
            others: self
                .candidates
                .iter()
                .filter(|c| !std::ptr::eq(*c, own))
                .flat_map(|c| c.speakers.iter())
                .collect(),
        };
        let mut withheld = 0;
        let qa = split_qa(&notes.qa, &view, &mut withheld);
        let summary = &notes.summary;
        let keep = |points: &[CitedPoint], shared: bool| -> Vec<CitedPoint> {
            points
                .iter()
                .filter(|p| match view.owner(&p.citations) {
                    Owner::Own => true,
                    Owner::Shared => shared,
                    Owner::Other | Owner::Mixed => false,
                })
                .cloned()
                .collect()
        };
        withheld += [
            &summary.key_points,
            &summary.strengths,
            &summary.concerns,
            &summary.follow_ups,
        ]
        .iter()
        .flat_map(|list| list.iter())
        .filter(|p| view.owner(&p.citations) == Owner::Mixed)
        .count();
        // Spread from the originals so fields added later carry over.
        let mut reduced = InterviewNotes {
            summary: crate::summary::InterviewSummary {
                key_points: keep(&summary.key_points, false),
                strengths: keep(&summary.strengths, false),
                concerns: keep(&summary.concerns, false),
                follow_ups: keep(&summary.follow_ups, true),
                ..summary.clone()
            },
            qa,
            ..notes.clone()
        };
        scrubber.scrub_notes(&mut reduced);
        Some(CandidateNotes {
            candidate: own.participant.clone(),
            speakers: own.speakers.clone(),
            group_size: self.candidates.len(),
            notes: reduced,
            withheld,
            scrubber,
        })
    }

    /// [`GroupAttribution::notes_for`] for every candidate, in order.
    pub fn split(&self, notes: &InterviewNotes) -> Vec<CandidateNotes> {
        self.candidates
            .iter()
            .filter_map(|c| self.notes_for(notes, &c.participant))
            .collect()
    }

    fn find(&self, candidate: &Participant) -> Option<&CandidateSpeakers> {
        self.candidates
            .iter()
            .find(|c| same_person(&c.participant, candidate))
    }
}

/// Whose words a set of citations is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    /// This candidate's (possibly with the hiring side's).
    Own,
    /// Only the hiring side's (or nobody's: no citation).
    Shared,
    /// Another candidate's (possibly with the hiring side's).
    Other,
    /// This and another candidate's together.
    Mixed,
}

struct View<'a> {
    own: &'a [String],
    others: Vec<&'a String>,
}

impl View<'_> {
    fn owner(&self, citations: &[Citation]) -> Owner {
        let speakers = || citations.iter().filter_map(|c| c.speaker.as_deref());
        let own = speakers().any(|s| self.is_own(s));
        let other = speakers().any(|s| self.is_other(s))
            // Unlabelled evidence cannot be shown as anyone's.
            || citations.iter().any(|c| c.speaker.is_none());
        match (own, other) {
            (true, false) => Owner::Own,
            (false, false) => Owner::Shared,
            (false, true) => Owner::Other,
            (true, true) => Owner::Mixed,
        }
    }

    fn is_own(&self, speaker: &str) -> bool {
        self.own.iter().any(|s| s == speaker)
    }

    fn is_other(&self, speaker: &str) -> bool {
        self.others.iter().any(|s| *s == speaker)
    }
}

/// Every question once (shared context), with this candidate's answers
/// only. A question another candidate asked is left out.
fn split_qa(qa: &[QaPair], view: &View<'_>, withheld: &mut usize) -> Vec<QaPair> {
    let mut out: Vec<QaPair> = Vec::new();
    for group in same_question(qa) {
        let asked = &group[0].question_citation;
        let asker = group[0].asked_by.as_deref().or(asked.speaker.as_deref());
        if asker.is_some_and(|s| view.is_other(s)) {
            *withheld += group.len();
            continue;
        }
        let mut mine = Vec::new();
        let mut answered_by_others = false;
        let mut nobody = true;
        for &pair in &group {
            let owner = answer_owner(pair, view);
            nobody &= owner == Owner::Shared && pair.answer_citations.is_empty();
            match owner {
                Owner::Own => mine.push(pair.clone()),
                Owner::Other => answered_by_others = true,
                Owner::Mixed => {
                    *withheld += 1;
                    mine.push(QaPair {
                        answer_summary: ANSWER_WITHHELD.to_owned(),
                        answered_by: None,
                        answer_citations: Vec::new(),
                        ..pair.clone()
                    });
                }
                Owner::Shared => {}
            }
        }
        if !mine.is_empty() {
            out.extend(mine);
        } else if nobody && !answered_by_others {
            out.push(group[0].clone());
        } else {
            out.push(QaPair {
                answer_summary: NO_ANSWER_FROM_CANDIDATE.to_owned(),
                answered_by: None,
                answer_citations: Vec::new(),
                ..group[0].clone()
            });
        }
    }
    out
}

/// Pairs grouped by the question they answer (the same asking), in the
/// order first asked: the extractive summarizer gives each answering
/// candidate their own pair of a group question.
fn same_question(qa: &[QaPair]) -> Vec<Vec<&QaPair>> {
    let mut groups: Vec<Vec<&QaPair>> = Vec::new();
    for pair in qa {
        let same = |g: &&mut Vec<&QaPair>| {
            g[0].question_citation.utterance == pair.question_citation.utterance
                && g[0].question == pair.question
        };
        match groups.iter_mut().find(same) {
            Some(group) => group.push(pair),
            None => groups.push(vec![pair]),
        }
    }
    groups
}

/// Whose an answer is: its citations' speakers, else who answered.
fn answer_owner(pair: &QaPair, view: &View<'_>) -> Owner {
    if !pair.answer_citations.is_empty() {
        return view.owner(&pair.answer_citations);
    }
    match pair.answered_by.as_deref() {
        Some(s) if view.is_own(s) => Owner::Own,
        Some(s) if view.is_other(s) => Owner::Other,
        _ => Owner::Shared,
    }
}

/// Replaces other candidates' identities in text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Scrubber {
    /// Lowercase ASCII-folded e-mail addresses.
    emails: Vec<String>,
    /// Folded word sequences of names and labels, longest first.
    phrases: Vec<Vec<String>>,
    /// Folded single name words not shared with anyone else in the meeting.
    words: Vec<String>,
}

impl Scrubber {
    fn new(own: &CandidateSpeakers, all: &[CandidateSpeakers], others: &[Participant]) -> Self {
        let forms = |p: &Participant, speakers: &[String]| -> Vec<String> {
            let mut out: Vec<String> = speakers.to_vec();
            out.extend(p.display_name.clone());
            out.extend(
                p.email
                    .as_deref()
                    .and_then(|e| e.split('@').next())
                    .map(str::to_owned),
            );
            out
        };
        let mut protected: Vec<String> = forms(&own.participant, &own.speakers)
            .iter()
            .chain(
                others
                    .iter()
                    .flat_map(|p| forms(p, &[]))
                    .collect::<Vec<_>>()
                    .iter(),
            )
            .flat_map(|f| words(f))
            .collect();
        protected.extend(words(ANOTHER_CANDIDATE));
        let mut scrubber = Scrubber {
            emails: Vec::new(),
            phrases: Vec::new(),
            words: Vec::new(),
        };
        for other in all.iter().filter(|c| !std::ptr::eq(*c, own)) {
            if let Some(email) = other.participant.email.as_deref() {
                scrubber.emails.push(email.trim().to_ascii_lowercase());
            }
            for form in forms(&other.participant, &other.speakers) {
                let phrase = words(&form);
                for w in &phrase {
                    if w.chars().count() >= 2
                        && !protected.contains(w)
                        && !scrubber.words.contains(w)
                    {
                        scrubber.words.push(w.clone());
                    }
                }
                if !phrase.is_empty() && !scrubber.phrases.contains(&phrase) {
                    scrubber.phrases.push(phrase);
                }
            }
        }
        scrubber.emails.retain(|e| e.contains('@'));
        scrubber.phrases.sort_by_key(|p| std::cmp::Reverse(p.len()));
        scrubber
    }

    fn scrub_notes(&self, notes: &mut InterviewNotes) {
        let s = &notes.summary;
        let mut summary = s.clone();
        summary.overview = self.scrub(&s.overview);
        for list in [
            &mut summary.key_points,
            &mut summary.strengths,
            &mut summary.concerns,
            &mut summary.follow_ups,
        ] {
            for point in list.iter_mut() {
                point.text = self.scrub(&point.text);
            }
        }
        notes.summary = summary;
        for pair in &mut notes.qa {
            pair.question = self.scrub(&pair.question);
            pair.answer_summary = self.scrub(&pair.answer_summary);
            pair.asked_by = pair.asked_by.as_deref().map(|a| self.scrub(a));
        }
    }

    fn scrub(&self, text: &str) -> String {
        let text = self.scrub_emails(text);
        let tokens = tokens(&text);
        let mut out = String::with_capacity(text.len());
        let mut copied = 0;
        let mut i = 0;
        while i < tokens.len() {
            let Some(len) = self.name_at(&text, &tokens[i..]) else {
                i += 1;
                continue;
            };
            out.push_str(&text[copied..tokens[i].start]);
            out.push_str(ANOTHER_CANDIDATE);
            copied = tokens[i + len - 1].end;
            i += len;
        }
        out.push_str(&text[copied..]);
        out
    }

    /// How many tokens from here form another candidate's name.
    fn name_at(&self, text: &str, tokens: &[Token]) -> Option<usize> {
        let first = tokens.first()?;
        // A single name word only when written as a name (not lowercase),
        // so a candidate called "Will" does not eat the verb "will".
        let capitalised = text[first.start..]
            .chars()
            .next()
            .is_some_and(|c| !c.is_lowercase());
        for phrase in &self.phrases {
            if (phrase.len() > 1 || capitalised)
                && phrase.len() <= tokens.len()
                && phrase.iter().zip(tokens).all(|(w, t)| *w == t.folded)
                && tokens[..phrase.len()]
                    .windows(2)
                    .all(|pair| is_name_gap(&text[pair[0].end..pair[1].start]))
            {
                return Some(phrase.len());
            }
        }
        (capitalised && self.words.contains(&first.folded)).then_some(1)
    }

    fn scrub_emails(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for email in &self.emails {
            // ASCII lowercasing keeps byte offsets.
            while let Some(at) = text.to_ascii_lowercase().find(email.as_str()) {
                text.replace_range(at..at + email.len(), ANOTHER_CANDIDATE);
            }
        }
        text
    }
}

/// Between two words of one name: spaces and name punctuation only.
fn is_name_gap(gap: &str) -> bool {
    gap.chars().count() <= 2
        && gap
            .chars()
            .all(|c| c.is_whitespace() || ".,-_'".contains(c))
}

struct Token {
    start: usize,
    end: usize,
    folded: String,
}

fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(Token {
                    start: s,
                    end: i,
                    folded: fold(&text[s..i]),
                });
                start = None;
            }
            _ => {}
        }
    }
    out
}

//! Who said each sentence: from speaker roles when the transcript labels
//! its speakers, guessed from the text when it does not.

use std::collections::HashMap;

use super::languages::{Lang, contains_cue, text_len};
use super::questions::{
    is_handover, is_pleasantry, is_question, is_small_talk, question_part, sentences,
};
use crate::meeting::ParticipantRole;
use crate::summary::SummaryRequest;
use crate::transcript::{Transcript, Utterance};

/// The side of the interview a sentence belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    Interviewer,
    Candidate,
    /// Neither can be told (the opening before the first question, the
    /// candidate's own questions and what answers them, logistics).
    Other,
}

/// One sentence, its side and the utterances it came from.
#[derive(Debug, Clone)]
pub(crate) struct Said<'a> {
    pub text: String,
    pub cites: Vec<&'a Utterance>,
    pub side: Side,
    /// An interview question (asked by the interviewer side).
    pub question: bool,
}

/// Sentences of a transcript with speaker labels, sided by role.
pub(crate) fn labelled<'a>(request: &SummaryRequest<'a>, lang: Lang) -> Vec<Said<'a>> {
    let mut out = Vec::new();
    for u in &request.transcript.utterances {
        let side = match request.roles.role_of(u.speaker.as_deref()) {
            ParticipantRole::Interviewer => Side::Interviewer,
            ParticipantRole::Candidate => Side::Candidate,
            _ => Side::Other,
        };
        for s in sentences(&u.text) {
            out.push(Said {
                text: s.to_owned(),
                question: side == Side::Interviewer && is_question(s, lang),
                cites: vec![u],
                side,
            });
        }
    }
    out
}

/// Most utterances an unterminated sentence may run across (caption cues
/// split sentences; unpunctuated captions would otherwise never end one).
const MAX_SENTENCE_CUES: usize = 5;

/// Sentences of a transcript without usable speaker labels (none, or one
/// speaker for everything), sided from the text alone:
///
/// - an interview question is a question sentence; an acknowledgement
///   just before it ("Great, thanks.") is the interviewer's too;
/// - after the *last* hand-over ("what questions do you have for me?")
///   and after a question that asks about the role or the team ("what
///   are the biggest technical challenges the team faces?"), the candidate
///   is asking and the interviewer answering: neither is interview Q&A;
/// - anything before the first question is the opening, not an answer;
/// - every other sentence is the candidate's answer.
pub(crate) fn unlabelled<'a>(transcript: &'a Transcript, lang: Lang) -> Vec<Said<'a>> {
    let mut out = stream(transcript);
    let last_handover = out.iter().rposition(|s| is_handover(&s.text, lang));
    let mut asked = false;
    let mut reversed = false;
    for (i, said) in out.iter_mut().enumerate() {
        let text = said.text.as_str();
        let after_handover = last_handover.is_some_and(|h| i > h);
        if Some(i) == last_handover || is_handover(text, lang) {
            said.side = Side::Interviewer;
            reversed = Some(i) == last_handover;
        } else if let Some(part) = question_part(text, lang) {
            let part = part.to_owned();
            if after_handover || asks_about_the_job(text, lang) {
                said.side = Side::Other;
                reversed = true;
            } else {
                said.side = Side::Interviewer;
                said.question = true;
                // Keep only the question when a lead-in ran into it.
                said.text = part;
                asked = true;
                reversed = false;
            }
        } else if !asked || reversed || after_handover || is_small_talk(text, lang) {
            said.side = Side::Other;
        } else if is_short_question(text, lang) {
            // "Why?" / "Really?": an interviewer prompt inside an answer.
            said.side = Side::Other;
        } else {
            said.side = Side::Candidate;
        }
    }
    mark_acknowledgements(&mut out, lang);
    out
}

/// A short acknowledgement right before an interview question is the
/// interviewer's ("Great, thanks. How did you..."); right before the
/// candidate's own question it is no part of an answer.
fn mark_acknowledgements(out: &mut [Said<'_>], lang: Lang) {
    for i in 1..out.len() {
        let before_interview_question = out[i].question || is_handover(&out[i].text, lang);
        // Before the candidate's own question, whoever said it, it is not
        // part of an answer either.
        let before_own_question =
            out[i].side == Side::Other && question_part(&out[i].text, lang).is_some();
        let acknowledgement = is_pleasantry(&out[i - 1].text, lang)
            || contains_cue(&out[i - 1].text, lang.lexicon().acknowledgements)
                && text_len(&out[i - 1].text, lang) <= 5;
        if out[i - 1].side == Side::Candidate && acknowledgement {
            if before_interview_question {
                out[i - 1].side = Side::Interviewer;
            } else if before_own_question {
                out[i - 1].side = Side::Other;
            }
        }
    }
}

/// A question a candidate asks about the job, in `lang` or in English
/// (the language of much tech vocabulary in any interview).
fn asks_about_the_job(text: &str, lang: Lang) -> bool {
    contains_cue(text, lang.lexicon().job_questions)
        || contains_cue(text, Lang::En.lexicon().job_questions)
}

fn is_short_question(text: &str, lang: Lang) -> bool {
    text.trim_end().ends_with(['?', '？']) && !is_question(text, lang)
}

/// The transcript's sentences in order, a sentence that runs over several
/// utterances citing all of them.
fn stream(transcript: &Transcript) -> Vec<Said<'_>> {
    let mut out: Vec<Said<'_>> = Vec::new();
    let mut open = false;
    for u in &transcript.utterances {
        for (k, s) in sentences(&u.text).into_iter().enumerate() {
            match out.last_mut() {
                Some(last) if open && k == 0 && last.cites.len() < MAX_SENTENCE_CUES => {
                    last.text.push(' ');
                    last.text.push_str(s);
                    last.cites.push(u);
                }
                _ => out.push(Said {
                    text: s.to_owned(),
                    cites: vec![u],
                    side: Side::Other,
                    question: false,
                }),
            }
            open = !is_terminated(s);
        }
    }
    out
}

fn is_terminated(sentence: &str) -> bool {
    sentence
        .trim_end_matches(['」', '』', '）', ')', '"', '”'])
        .ends_with(['.', '?', '!', '…', '。', '？', '！'])
}

/// What a speaker did in a labelled transcript, for telling interviewers
/// from the candidate.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct SpeakerStats {
    /// Turns that answer someone else's interview question (see
    /// [`speaker_stats`]).
    pub answers: usize,
    /// Length of those turns.
    pub answer_len: usize,
    /// Interview questions they asked.
    pub questions: usize,
    /// Question marks in their turns (a weak tie-breaker).
    pub question_marks: usize,
    /// Length of everything they said.
    pub len: usize,
}

/// [`SpeakerStats`] of every labelled speaker. Lengths are in words, or in
/// characters for Japanese and Chinese.
///
/// A turn answers when it directly follows someone else's turn with an
/// interview question and does not end in a question itself (a rhetorical
/// "Why did we do that? Because..." inside an answer is fine; a
/// follow-up question from a second interviewer is not an answer). Turns after the last
/// hand-over ("what questions do you have for me?") do not count: there
/// the interviewer answers the candidate, and a long pitch there must not
/// make the interviewer look like the candidate.
pub(crate) fn speaker_stats(transcript: &Transcript) -> HashMap<String, SpeakerStats> {
    let lang = Lang::detect(transcript.utterances.iter().map(|u| u.text.as_str()));
    let last_handover = transcript
        .utterances
        .iter()
        .rposition(|u| sentences(&u.text).iter().any(|s| is_handover(s, lang)));
    let mut stats: HashMap<String, SpeakerStats> = HashMap::new();
    // The speaker whose question is still open: every other speaker's
    // turn before the asker speaks again answers it (in a group
    // interview several candidates answer one question in turn).
    let mut open_question: Option<&str> = None;
    for (i, u) in transcript.utterances.iter().enumerate() {
        let Some(speaker) = u.speaker.as_deref() else {
            open_question = None;
            continue;
        };
        let said = sentences(&u.text);
        let questions = said.iter().filter(|s| is_question(s, lang)).count();
        let len = text_len(&u.text, lang);
        let entry = stats.entry(speaker.to_owned()).or_default();
        entry.questions += questions;
        entry.question_marks += u.text.matches(['?', '？']).count();
        entry.len += len;
        let before_handover = last_handover.is_none_or(|h| i < h);
        if let Some(asker) = open_question
            && asker != speaker
            && !said.last().is_some_and(|s| is_question(s, lang))
            && before_handover
        {
            entry.answers += 1;
            entry.answer_len += len;
        }
        if questions > 0 && said.last().is_some_and(|s| is_question(s, lang)) {
            open_question = Some(speaker);
        } else if open_question == Some(speaker) {
            open_question = None;
        }
    }
    stats
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sides(text: &str) -> Vec<(String, Side, bool)> {
        let t = Transcript::parse(text).unwrap();
        unlabelled(&t, Lang::En)
            .into_iter()
            .map(|s| (s.text, s.side, s.question))
            .collect()
    }

    #[test]
    fn the_candidate_answers_most_even_after_a_long_pitch() {
        // The interviewer's answers to the candidate's questions are long;
        // the candidate's answers hold a rhetorical question.
        let t = Transcript::parse(
            "WEBVTT\n\n\
             00:00.000 --> 00:01.000\nA: How did you pick the database?\n\n\
             00:01.000 --> 00:02.000\nB: Why did we choose Postgres? Because we knew it well and it had the extensions we needed.\n\n\
             00:02.000 --> 00:03.000\nA: What was the hardest migration step?\n\n\
             00:03.000 --> 00:04.000\nB: Moving the billing tables without downtime.\n\n\
             00:04.000 --> 00:05.000\nA: Great. What questions do you have for me?\n\n\
             00:05.000 --> 00:06.000\nB: What does the team work on this year?\n\n\
             00:06.000 --> 00:09.000\nA: We are rebuilding the whole ingestion layer, moving every batch job to streaming, \
             hiring four engineers, opening an office in Lisbon and replacing our deployment tooling, \
             which is a very large amount of work for a team our size, honestly.\n\n\
             00:09.000 --> 00:10.000\nB: How is on-call organised for the platform?\n\n\
             00:10.000 --> 00:13.000\nA: Weekly, across eight people, with a secondary and a generous compensation policy \
             that we revised last spring after feedback from the whole engineering organisation.\n",
        )
        .unwrap();
        let stats = speaker_stats(&t);
        assert_eq!(stats["B"].answers, 2);
        assert_eq!(stats["A"].answers, 0);
        let roles = crate::summary::SpeakerRoles::new().resolved(&t);
        assert_eq!(roles.role_of(Some("B")), ParticipantRole::Candidate);
        assert_eq!(roles.role_of(Some("A")), ParticipantRole::Interviewer);
    }

    #[test]
    fn sentences_split_over_cues_are_joined() {
        let got = sides(
            "1\n00:00:01,000 --> 00:00:02,000\nHow did you measure the impact\n\n\
             2\n00:00:02,000 --> 00:00:03,000\nof that change?\n\n\
             3\n00:00:03,000 --> 00:00:05,000\nWe compared error rates. They fell.\n",
        );
        assert_eq!(got[0].0, "How did you measure the impact of that change?");
        assert!(got[0].2);
        assert_eq!(got[1].1, Side::Candidate);
        assert_eq!(got[2].1, Side::Candidate);
    }

    #[test]
    fn the_candidates_questions_are_not_interview_questions() {
        let got = sides(
            "WEBVTT\n\n00:00.000 --> 00:30.000\nSpeaker 0: Hi, thanks for joining. How did you scale the billing service? \
             We sharded by tenant and it held ten times the load. Great. Do you have any questions for me? \
             Yes, what are the biggest technical challenges the team is facing? \
             Mostly the migration to event sourcing, and we are hiring to speed it up.\n",
        );
        let questions: Vec<&str> = got.iter().filter(|s| s.2).map(|s| s.0.as_str()).collect();
        assert_eq!(questions, ["How did you scale the billing service?"]);
        let candidate: Vec<&str> = got
            .iter()
            .filter(|s| s.1 == Side::Candidate)
            .map(|s| s.0.as_str())
            .collect();
        assert_eq!(
            candidate,
            ["We sharded by tenant and it held ten times the load."]
        );
    }
}

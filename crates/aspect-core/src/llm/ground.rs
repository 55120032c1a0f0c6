//! Grounding: a claim of the model is kept only when its verbatim quote is
//! found in the utterances it cites, spoken by the right people.
//!
//! - Every key point, strength, concern and follow-up needs a quote of at
//!   least [`MIN_QUOTE_WORDS`] words (or [`MIN_QUOTE_CHARS`] characters in
//!   scripts without spaces) found in its cited utterances; strengths and
//!   concerns must cite the candidate.
//! - A Q&A's question must be an interviewer's utterance; the question
//!   shown is the sentence of that utterance the model's question matches
//!   (so it is always as asked). Its answer must cite utterances of a
//!   candidate after the question, with a quote found in them; an answer
//!   whose citations fail is dropped with its question. A question the
//!   model reports as unanswered (no answer ids, no quote) is kept.
//! - Q&A come out in transcript order, one per question utterance.
//!
//! Quotes are compared on folded words: case, accents, whitespace,
//! punctuation and curly or straight quotes do not matter.
//!
//! The overview cites nothing, so it cannot be grounded this way; like
//! everything else it goes through the content policy.

use crate::meeting::ParticipantRole;
use crate::policy::sentences;
use crate::summary::SummaryRequest;
use crate::terms::words;
use crate::transcript::{Utterance, UtteranceId};

use super::wire::{ModelNotes, ModelPoint, ModelQa};

/// Fewest words in a quote (a one-word quote is found almost anywhere).
pub(crate) const MIN_QUOTE_WORDS: usize = 3;
/// Fewest letters in a quote written without spaces (Japanese, Chinese).
pub(crate) const MIN_QUOTE_CHARS: usize = 6;

/// Answer summary of a question the candidate did not answer.
pub(crate) const NO_ANSWER: &str = "No answer captured.";

/// What grounding removed, for the log.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Dropped {
    pub points: usize,
    pub qa: usize,
}

impl Dropped {
    pub(crate) fn total(&self) -> usize {
        self.points + self.qa
    }
}

/// Keeps only the grounded claims of `model`, with their citations
/// narrowed to existing, deduplicated ids.
pub(crate) fn ground(model: ModelNotes, request: &SummaryRequest<'_>) -> (ModelNotes, Dropped) {
    let mut dropped = Dropped::default();
    let mut points = |list: Vec<ModelPoint>, candidate_only: bool| -> Vec<ModelPoint> {
        let before = list.len();
        let kept: Vec<ModelPoint> = list
            .into_iter()
            .filter_map(|p| ground_point(p, request, candidate_only))
            .collect();
        dropped.points += before - kept.len();
        kept
    };
    let key_points = points(model.key_points, false);
    let strengths = points(model.strengths, true);
    let concerns = points(model.concerns, true);
    let follow_ups = points(model.follow_ups, false);
    let before = model.qa.len();
    let qa = order_qa(
        model
            .qa
            .into_iter()
            .filter_map(|q| ground_qa(q, request))
            .collect(),
    );
    dropped.qa = before - qa.len();
    let grounded = ModelNotes {
        overview: model.overview,
        key_points,
        strengths,
        concerns,
        follow_ups,
        qa,
    };
    (grounded, dropped)
}

/// Q&A sorted by question utterance, the first of each kept.
pub(crate) fn order_qa(mut qa: Vec<ModelQa>) -> Vec<ModelQa> {
    qa.sort_by_key(|q| q.question_utterance_id);
    qa.dedup_by_key(|q| q.question_utterance_id);
    qa
}

fn ground_point(
    point: ModelPoint,
    request: &SummaryRequest<'_>,
    candidate_only: bool,
) -> Option<ModelPoint> {
    let cited: Vec<&Utterance> = existing(&point.utterance_ids, request)
        .into_iter()
        .filter(|u| !candidate_only || is_candidate(request, u))
        .collect();
    if cited.is_empty() || !quote_found(&point.quote, &cited) {
        return None;
    }
    Some(ModelPoint {
        utterance_ids: cited.iter().map(|u| u.id.0).collect(),
        ..point
    })
}

fn ground_qa(qa: ModelQa, request: &SummaryRequest<'_>) -> Option<ModelQa> {
    let asked = request
        .transcript
        .utterance(UtteranceId(qa.question_utterance_id))?;
    if !request.is_interviewer(asked) {
        return None;
    }
    let question = as_asked(&qa.question, asked)?;
    let unanswered = qa.answer_utterance_ids.is_empty() && qa.answer_quote.trim().is_empty();
    if unanswered {
        return Some(ModelQa {
            question,
            answer_summary: NO_ANSWER.to_owned(),
            answer_quote: String::new(),
            ..qa
        });
    }
    let answers: Vec<&Utterance> = existing(&qa.answer_utterance_ids, request)
        .into_iter()
        .filter(|u| u.id > asked.id && is_candidate(request, u))
        .collect();
    if answers.is_empty() || !quote_found(&qa.answer_quote, &answers) {
        return None;
    }
    let answer_summary = if qa.answer_summary.trim().is_empty() {
        qa.answer_quote.clone()
    } else {
        qa.answer_summary
    };
    Some(ModelQa {
        question,
        answer_summary,
        answer_utterance_ids: answers.iter().map(|u| u.id.0).collect(),
        ..qa
    })
}

fn is_candidate(request: &SummaryRequest<'_>, u: &Utterance) -> bool {
    request.roles.role_of(u.speaker.as_deref()) == ParticipantRole::Candidate
}

/// The cited utterances that exist, each once, in citation order.
fn existing<'t>(ids: &[u32], request: &SummaryRequest<'t>) -> Vec<&'t Utterance> {
    let mut out: Vec<&Utterance> = Vec::new();
    for id in ids {
        if let Some(u) = request.transcript.utterance(UtteranceId(*id))
            && !out.iter().any(|o| o.id == u.id)
        {
            out.push(u);
        }
    }
    out
}

/// Whether `quote` (long enough) occurs as a run of words in the cited
/// utterances, read in transcript order as one text.
pub(crate) fn quote_found(quote: &str, cited: &[&Utterance]) -> bool {
    let quote = words(quote);
    let letters: usize = quote.iter().map(|w| w.chars().count()).sum();
    if quote.len() < MIN_QUOTE_WORDS && letters < MIN_QUOTE_CHARS {
        return false;
    }
    let mut ordered: Vec<&&Utterance> = cited.iter().collect();
    ordered.sort_by_key(|u| u.id);
    let source: Vec<String> = ordered.iter().flat_map(|u| words(&u.text)).collect();
    let needle = format!(" {} ", quote.join(" "));
    let haystack = format!(" {} ", source.join(" "));
    if haystack.contains(&needle) {
        return true;
    }
    // Scripts without spaces make one long "word" of a sentence: compare
    // the letters alone.
    quote.len() < MIN_QUOTE_WORDS && source.concat().contains(&quote.concat())
}

/// The question as asked: the model's text when it is verbatim in the
/// utterance, else the utterance's sentence sharing most of its words
/// (at least half of them); `None` when none does.
fn as_asked(question: &str, asked: &Utterance) -> Option<String> {
    let wanted = words(question);
    if wanted.is_empty() {
        return None;
    }
    if quote_found(question, &[asked]) {
        return Some(question.trim().to_owned());
    }
    sentences(&asked.text)
        .into_iter()
        .map(|s| {
            let have = words(s);
            let shared = wanted.iter().filter(|w| have.contains(w)).count();
            (shared, s)
        })
        .filter(|(shared, _)| shared * 2 >= wanted.len())
        .max_by_key(|(shared, _)| *shared)
        .map(|(_, s)| s.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::TimeOffset;

    fn utterance(id: u32, text: &str) -> Utterance {
        Utterance {
            id: UtteranceId(id),
            speaker: Some("A".into()),
            start: TimeOffset::from_millis(0),
            end: TimeOffset::from_millis(0),
            text: text.into(),
        }
    }

    #[test]
    fn quotes_match_ignoring_case_punctuation_and_curly_quotes() {
        let u = utterance(1, "I said: “we don't ship on Fridays,” and MEANT it.");
        assert!(quote_found("We don’t ship on fridays and meant", &[&u]));
        assert!(quote_found("we  DON'T   ship", &[&u]));
        assert!(!quote_found("we never ship on Fridays", &[&u]));
        assert!(!quote_found("ship", &[&u]), "too short to prove anything");
        assert!(!quote_found("", &[&u]));
    }

    #[test]
    fn quotes_may_span_consecutive_cited_utterances() {
        let a = utterance(1, "The hardest one was our tracking database.");
        let b = utterance(2, "I led the migration to replicas.");
        assert!(quote_found(
            "tracking database I led the migration",
            &[&b, &a]
        ));
    }

    #[test]
    fn cjk_quotes_compare_letters() {
        let u = utterance(1, "私はバックエンドエンジニアとして五年間働いています。");
        assert!(quote_found("バックエンドエンジニアとして", &[&u]));
        assert!(!quote_found("フロントエンドエンジニアとして", &[&u]));
    }

    #[test]
    fn questions_are_shown_as_asked() {
        let u = utterance(
            3,
            "Great, thanks. Could you start by walking me through your current role?",
        );
        assert_eq!(
            as_asked("Could you walk me through your current role?", &u).as_deref(),
            Some("Could you start by walking me through your current role?")
        );
        assert_eq!(as_asked("What is your salary history?", &u), None);
    }
}

//! A deterministic, offline summarizer: no AI service, same output for the
//! same transcript.
//!
//! - **Questions**: sentences of interviewer utterances that end in `?` or
//!   open with an interrogative or a request ("what", "how", "tell me",
//!   "walk me through"...) — the lexical cue that works best without
//!   prosody (research notes §3.4) — minus greetings and logistics ("can
//!   you hear me", "what questions do you have for me") and fragments
//!   under four words.
//! - **Answers**: the candidate turns after a question, up to the next
//!   interviewer question (short interviewer back-channels like "Mm-hmm" do
//!   not end an answer); the summary is the answer's lead sentences.
//! - **Key points**: candidate sentences ranked by salience (rare content
//!   words, numbers), shown in time order.
//! - **Strengths / concerns / follow-ups**: candidate sentences that state
//!   an accomplishment, a stated gap, or a promise to follow up, quoted as
//!   said. Nothing is inferred about the person and no recommendation is
//!   made.

use std::collections::{BTreeMap, HashMap};

use futures::future::BoxFuture;

use crate::error::Error;
use crate::meeting::ParticipantRole;
use crate::policy::ContentPolicy;
use crate::summary::{
    Citation, CitedPoint, InterviewNotes, InterviewSummary, QaPair, Summarizer, SummaryRequest,
};
use crate::terms::{fold, words};
use crate::transcript::Utterance;

/// The offline summarizer. See the [module docs](self) for how it works.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ExtractiveSummarizer {
    /// Most key points to keep. Default 5.
    pub max_key_points: usize,
    /// Most strengths, concerns and follow-ups to keep, each. Default 4.
    pub max_per_section: usize,
    /// Longest answer summary, in characters. Default 300.
    pub max_answer_chars: usize,
}

impl Default for ExtractiveSummarizer {
    fn default() -> Self {
        ExtractiveSummarizer {
            max_key_points: 5,
            max_per_section: 4,
            max_answer_chars: 300,
        }
    }
}

impl Summarizer for ExtractiveSummarizer {
    fn name(&self) -> String {
        "extractive".into()
    }

    fn summarize<'a>(
        &'a self,
        request: &'a SummaryRequest<'_>,
    ) -> BoxFuture<'a, Result<InterviewNotes, Error>> {
        Box::pin(async move { Ok(self.summarize_now(request)) })
    }
}

/// Openings that make a sentence a question even without `?` (compared on
/// case- and accent-folded words).
const INTERROGATIVE_OPENINGS: &[&str] = &[
    "what",
    "how",
    "why",
    "when",
    "where",
    "who",
    "which",
    "whose",
    "can you",
    "could you",
    "would you",
    "will you",
    "do you",
    "did you",
    "have you",
    "has your",
    "are you",
    "were you",
    "is there",
    "is it",
    "tell me",
    "walk me",
    "talk me",
    "describe",
    "explain",
    "share",
    "give me an example",
];

/// Words that may precede the interrogative opening.
const FILLERS: &[&str] = &[
    "so", "and", "okay", "ok", "great", "alright", "now", "then", "well", "right", "nice", "cool",
    "next", "also", "but", "um", "uh",
];

/// Greetings and logistics, not interview questions.
const SMALL_TALK: &[&str] = &[
    "can you hear me",
    "hear me okay",
    "how are you",
    "can you see my screen",
    "is my audio",
    "questions do you have for me",
    "any questions for me",
    "do you have any questions",
];

const STRENGTH_CUES: &[&str] = &[
    "i led",
    "i built",
    "i designed",
    "i wrote",
    "i created",
    "i own",
    "i owned",
    "i launched",
    "i shipped",
    "i mentored",
    "i introduced",
    "i migrated",
    "i rebuilt",
    "i automated",
    "i reduced",
    "we reduced",
    "i improved",
    "we improved",
    "i increased",
    "we increased",
    "i m the tech lead",
    "i am the tech lead",
    "cut",
    "saved",
];

const CONCERN_CUES: &[&str] = &[
    "haven t",
    "have not",
    "hasn t",
    "not in production",
    "never used",
    "never worked",
    "not familiar",
    "unfamiliar",
    "don t know",
    "do not know",
    "no experience",
    "limited experience",
    "not sure",
    "didn t get to",
    "struggled",
];

const FOLLOW_UP_CUES: &[&str] = &[
    "get back to you",
    "need to check",
    "follow up",
    "send you",
    "send over",
    "next steps",
    "look it up",
    "i ll check",
    "i will check",
    "circle back",
];

impl ExtractiveSummarizer {
    /// The same as [`Summarizer::summarize`], synchronously.
    pub fn summarize_now(&self, request: &SummaryRequest<'_>) -> InterviewNotes {
        let utterances = &request.transcript.utterances;
        let anonymous = anonymous(request);
        let qa = self.questions_and_answers(request, anonymous);
        let candidate_sentences: Vec<(&Utterance, &str)> = utterances
            .iter()
            .filter(|u| is_candidate(request, anonymous, u))
            .flat_map(|u| sentences(&u.text).into_iter().map(move |s| (u, s)))
            .collect();

        // Chosen per candidate, so in a group interview each candidate's
        // points are their own and one talkative candidate cannot crowd
        // out the others.
        let key_points = per_speaker(&candidate_sentences, |s| self.key_points(request, s));
        let strengths = per_speaker(&candidate_sentences, |s| self.cued(s, STRENGTH_CUES));
        let concerns = per_speaker(&candidate_sentences, |s| self.cued(s, CONCERN_CUES));
        // Follow-ups come from anyone: the interviewer promising next steps
        // counts as much as the candidate promising numbers.
        let all_sentences: Vec<(&Utterance, &str)> = utterances
            .iter()
            .flat_map(|u| sentences(&u.text).into_iter().map(move |s| (u, s)))
            .collect();
        let mut follow_ups = self.cued(&all_sentences, FOLLOW_UP_CUES);
        for pair in qa.iter().filter(|q| q.answer_citations.is_empty()) {
            follow_ups.push(CitedPoint {
                text: format!("Unanswered: {}", pair.question),
                citations: vec![pair.question_citation.clone()],
            });
        }
        follow_ups.truncate(self.max_per_section + 2);

        let mut notes = InterviewNotes {
            summary: InterviewSummary {
                overview: overview(request, distinct_questions(&qa)),
                key_points,
                strengths,
                concerns,
                follow_ups,
            },
            qa,
            generator: self.name(),
            policy: None,
        };
        // Quoted sentences can carry what a note may not (a candidate
        // mentioning their children): the same policy as the LLM backend.
        ContentPolicy::for_guardrails(request.guardrails).apply(&mut notes);
        notes
    }

    fn questions_and_answers(&self, request: &SummaryRequest<'_>, anonymous: bool) -> Vec<QaPair> {
        let utterances = &request.transcript.utterances;
        let mut out = Vec::new();
        for (i, u) in utterances.iter().enumerate() {
            if !is_asker(request, anonymous, u) {
                continue;
            }
            let Some(question) = question_text(&u.text) else {
                continue;
            };
            let answers: Vec<&Utterance> = utterances[i + 1..]
                .iter()
                .take_while(|next| {
                    !is_asker(request, anonymous, next) || is_backchannel(&next.text)
                })
                .filter(|next| is_candidate(request, anonymous, next))
                .collect();
            // One pair per answering speaker, so a group interview's
            // answers stay attributed to the candidate who gave them.
            for answers in by_speaker(&answers) {
                let answer_summary = match answers.first() {
                    Some(first) => lead(&first.text, self.max_answer_chars),
                    None => "No answer captured.".to_owned(),
                };
                out.push(QaPair {
                    question: question.clone(),
                    asked_by: u.speaker.clone(),
                    asked_at: u.start,
                    question_citation: Citation::of(u),
                    answer_summary,
                    answered_by: answers.first().and_then(|a| a.speaker.clone()),
                    answer_citations: answers.iter().map(|a| Citation::of(a)).collect(),
                });
            }
        }
        out
    }

    fn key_points(
        &self,
        request: &SummaryRequest<'_>,
        sentences: &[(&Utterance, &str)],
    ) -> Vec<CitedPoint> {
        let rarity = rarity(request);
        let mut scored: Vec<(f64, usize)> = sentences
            .iter()
            .enumerate()
            .filter(|(_, (_, s))| s.split_whitespace().count() >= 6)
            .map(|(i, (_, s))| (salience(s, &rarity), i))
            .collect();
        // Highest score first; ties keep time order, so output is stable.
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut chosen: Vec<usize> = scored
            .into_iter()
            .take(self.max_key_points)
            .map(|(_, i)| i)
            .collect();
        chosen.sort_unstable();
        chosen
            .into_iter()
            .map(|i| point(sentences[i].0, sentences[i].1))
            .collect()
    }

    fn cued(&self, sentences: &[(&Utterance, &str)], cues: &[&str]) -> Vec<CitedPoint> {
        sentences
            .iter()
            .filter(|(_, s)| contains_cue(s, cues))
            .take(self.max_per_section)
            .map(|(u, s)| point(u, s))
            .collect()
    }
}

/// A transcript without any speaker label (plain captions, SRT): roles
/// cannot be known, so any question counts and the turns after it are
/// its answer.
fn anonymous(request: &SummaryRequest<'_>) -> bool {
    request
        .transcript
        .utterances
        .iter()
        .all(|u| u.speaker.is_none())
}

fn is_asker(request: &SummaryRequest<'_>, anonymous: bool, u: &Utterance) -> bool {
    if anonymous {
        question_text(&u.text).is_some()
    } else {
        request.is_interviewer(u)
    }
}

fn is_candidate(request: &SummaryRequest<'_>, anonymous: bool, u: &Utterance) -> bool {
    if anonymous {
        question_text(&u.text).is_none()
    } else {
        request.roles.role_of(u.speaker.as_deref()) == ParticipantRole::Candidate
    }
}

fn point(u: &Utterance, sentence: &str) -> CitedPoint {
    CitedPoint {
        text: sentence.to_owned(),
        citations: vec![Citation::of(u)],
    }
}

/// Questions asked, not pairs (a group question has one pair per
/// answering candidate).
fn distinct_questions(qa: &[QaPair]) -> usize {
    let mut asked: Vec<_> = qa.iter().map(|q| q.question_citation.utterance).collect();
    asked.dedup();
    asked.len()
}

/// `select` applied to each speaker's sentences, results in time order.
fn per_speaker<'u>(
    sentences: &[(&'u Utterance, &'u str)],
    select: impl Fn(&[(&'u Utterance, &'u str)]) -> Vec<CitedPoint>,
) -> Vec<CitedPoint> {
    let mut speakers: Vec<Option<&str>> = Vec::new();
    for (u, _) in sentences {
        if !speakers.contains(&u.speaker.as_deref()) {
            speakers.push(u.speaker.as_deref());
        }
    }
    let mut out: Vec<CitedPoint> = speakers
        .into_iter()
        .flat_map(|speaker| {
            let own: Vec<(&Utterance, &str)> = sentences
                .iter()
                .filter(|(u, _)| u.speaker.as_deref() == speaker)
                .copied()
                .collect();
            select(&own)
        })
        .collect();
    // Stable: one speaker's points keep their order.
    out.sort_by_key(|p| p.citations.first().map(|c| c.utterance));
    out
}

/// Answer turns grouped by speaker, in order of first turn; one empty
/// group when there is no answer.
fn by_speaker<'u>(answers: &[&'u Utterance]) -> Vec<Vec<&'u Utterance>> {
    let mut groups: Vec<Vec<&Utterance>> = Vec::new();
    for a in answers {
        match groups.iter_mut().find(|g| g[0].speaker == a.speaker) {
            Some(group) => group.push(a),
            None => groups.push(vec![a]),
        }
    }
    if groups.is_empty() {
        groups.push(Vec::new());
    }
    groups
}

/// "Mm-hmm", "Right, okay": short interviewer turns that do not end the
/// candidate's answer.
fn is_backchannel(text: &str) -> bool {
    text.split_whitespace().count() <= 4 && !text.contains('?')
}

/// The interview questions in an utterance, joined; `None` when it has
/// none.
fn question_text(text: &str) -> Option<String> {
    let questions: Vec<&str> = sentences(text)
        .into_iter()
        .filter(|s| is_question(s))
        .collect();
    (!questions.is_empty()).then(|| questions.join(" "))
}

fn is_question(sentence: &str) -> bool {
    let folded = words(sentence).join(" ");
    if sentence.split_whitespace().count() < 4 || SMALL_TALK.iter().any(|p| folded.contains(p)) {
        return false;
    }
    // Discourse markers ("So what...", "And how...") do not change the act.
    let mut opening = folded.as_str();
    while let Some((first, rest)) = opening.split_once(' ')
        && FILLERS.contains(&first)
    {
        opening = rest;
    }
    let opens = INTERROGATIVE_OPENINGS
        .iter()
        .any(|o| opening == *o || opening.starts_with(&format!("{o} ")));
    sentence.trim_end().ends_with('?') || opens
}

/// Whether any cue phrase occurs as whole words.
fn contains_cue(sentence: &str, cues: &[&str]) -> bool {
    let folded = format!(" {} ", words(sentence).join(" "));
    cues.iter().any(|c| folded.contains(&format!(" {c} ")))
}

/// Splits after `.`, `?` or `!` followed by whitespace.
pub(crate) fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if matches!(c, '.' | '?' | '!') && chars.peek().is_none_or(|(_, next)| next.is_whitespace())
        {
            let s = text[start..i + c.len_utf8()].trim();
            if !s.is_empty() {
                out.push(s);
            }
            start = i + c.len_utf8();
        }
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

/// The first sentences of `text` up to `max_chars`, cut on a word with an
/// ellipsis when even the first sentence is longer.
fn lead(text: &str, max_chars: usize) -> String {
    let mut out = String::new();
    for s in sentences(text).into_iter().take(2) {
        let candidate = if out.is_empty() {
            s.to_owned()
        } else {
            format!("{out} {s}")
        };
        if candidate.chars().count() > max_chars {
            break;
        }
        out = candidate;
    }
    if out.is_empty() {
        let cut: String = text.chars().take(max_chars.saturating_sub(1)).collect();
        let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
        out = format!("{}…", cut.trim_end());
    }
    out
}

const STOPWORDS: &[&str] = &[
    "the", "and", "that", "this", "with", "for", "was", "were", "are", "you", "your", "our", "but",
    "have", "has", "had", "not", "from", "they", "them", "then", "than", "there", "their", "what",
    "when", "where", "which", "who", "how", "why", "would", "could", "should", "will", "can",
    "about", "into", "just", "like", "also", "been", "being", "did", "does", "doing", "its",
    "it's", "i'm", "i've", "i'd", "we", "us", "me", "my", "mine", "so", "very", "really", "yes",
    "yeah", "okay", "sure", "thanks", "thank", "some", "more", "most", "any", "all", "each",
    "every", "one", "two", "out", "over", "only", "own", "too", "same", "other", "such", "because",
    "while", "these", "those", "here", "after", "before", "both", "few", "many", "much", "well",
    "know", "think", "mean", "kind", "sort", "lot", "got", "get", "make", "made", "let", "way",
    "time", "things", "thing", "bit", "tell", "walk", "through", "start", "great", "good", "nice",
    "call", "today",
];

fn is_content(word: &str) -> bool {
    word.chars().count() >= 3 && !STOPWORDS.contains(&word) && !word.chars().all(char::is_numeric)
}

/// Inverse utterance frequency of every content word.
fn rarity(request: &SummaryRequest<'_>) -> HashMap<String, f64> {
    let utterances = &request.transcript.utterances;
    let mut df: HashMap<String, usize> = HashMap::new();
    for u in utterances {
        let mut seen: Vec<String> = words(&u.text)
            .into_iter()
            .filter(|w| is_content(w))
            .collect();
        seen.sort();
        seen.dedup();
        for w in seen {
            *df.entry(w).or_default() += 1;
        }
    }
    let n = utterances.len().max(1) as f64;
    df.into_iter()
        .map(|(w, count)| (w, (1.0 + n / count as f64).ln()))
        .collect()
}

fn salience(sentence: &str, rarity: &HashMap<String, f64>) -> f64 {
    let mut seen: Vec<String> = words(sentence)
        .into_iter()
        .filter(|w| is_content(w))
        .collect();
    seen.sort();
    seen.dedup();
    let content: f64 = seen
        .iter()
        .map(|w| rarity.get(w).copied().unwrap_or(1.0))
        .sum();
    let has_number = sentence.chars().any(|c| c.is_ascii_digit())
        || ["percent", "million", "billion", "thousand", "hundred"]
            .iter()
            .any(|n| fold(sentence).contains(n));
    content + if has_number { 2.0 } else { 0.0 }
}

fn overview(request: &SummaryRequest<'_>, questions: usize) -> String {
    let names = |role| {
        let list = request.roles.speakers_with(&role);
        if list.is_empty() {
            "unknown".to_owned()
        } else {
            list.join(", ")
        }
    };
    let minutes = (request.transcript.duration().millis() as f64 / 60_000.0).round() as i64;
    let minutes = minutes.max(1);
    let mut text = format!(
        "Conversation between {} (interviewer) and {} (candidate), about {} minute{}. {} interview question{} detected.",
        names(ParticipantRole::Interviewer),
        names(ParticipantRole::Candidate),
        minutes,
        if minutes == 1 { "" } else { "s" },
        questions,
        if questions == 1 { "" } else { "s" },
    );
    let topics = topics(request, 5);
    if !topics.is_empty() {
        text.push_str(&format!(" Topics mentioned most: {}.", topics.join(", ")));
    }
    text
}

/// Most frequent content words (ties alphabetical, so deterministic).
/// Speakers' names are people, not topics (and in a group interview a
/// candidate's note must not name another candidate).
fn topics(request: &SummaryRequest<'_>, n: usize) -> Vec<String> {
    let names: Vec<String> = request
        .transcript
        .speakers()
        .into_iter()
        .flat_map(words)
        .collect();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for u in &request.transcript.utterances {
        for w in words(&u.text)
            .into_iter()
            .filter(|w| is_content(w) && w.chars().count() >= 4 && !names.contains(w))
        {
            *counts.entry(w).or_default() += 1;
        }
    }
    let mut ranked: Vec<(String, usize)> = counts.into_iter().filter(|(_, c)| *c >= 2).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.into_iter().take(n).map(|(w, _)| w).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_splitting() {
        assert_eq!(
            sentences("Hi. How are you? Fine!  3.5 years. End"),
            ["Hi.", "How are you?", "Fine!", "3.5 years.", "End"]
        );
        assert!(sentences("   ").is_empty());
    }

    #[test]
    fn question_detection() {
        assert!(is_question(
            "Could you start by walking me through your role?"
        ));
        assert!(is_question("Tell me about your experience with Kafka."));
        assert!(is_question("So what would you change"));
        assert!(!is_question("Can you hear me okay?"));
        assert!(!is_question("Why?"));
        assert!(!is_question("I built the pipeline."));
        assert!(!is_question("What questions do you have for me?"));
    }

    #[test]
    fn lead_is_bounded() {
        let long = "word ".repeat(100);
        let cut = lead(&long, 50);
        assert!(cut.chars().count() <= 50, "{cut}");
        assert!(cut.ends_with('…'));
        assert_eq!(lead("One. Two. Three.", 300), "One. Two.");
    }

    #[test]
    fn cues_match_whole_words() {
        assert!(contains_cue("I haven't used it.", CONCERN_CUES));
        assert!(contains_cue(
            "I'd need to check the numbers.",
            FOLLOW_UP_CUES
        ));
        assert!(!contains_cue("The shortcut works.", STRENGTH_CUES));
    }
}

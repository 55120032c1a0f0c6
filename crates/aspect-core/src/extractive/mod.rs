//! A deterministic, offline summarizer: no AI service, same output for the
//! same transcript.
//!
//! - **Language**: detected from the transcript (English, Spanish, French,
//!   German, Portuguese, Japanese, Chinese; English when undecided) and
//!   recorded in [`InterviewNotes::language`]; every cue list below is per
//!   language, and lengths count characters for Japanese and Chinese.
//! - **Roles**: from the request's [`SpeakerRoles`](crate::SpeakerRoles)
//!   (any number of interviewers). A transcript with fewer than two
//!   speaker labels is read sentence by sentence instead: questions are
//!   the interviewer's, what follows them the candidate's, and the
//!   candidate's own questions (after the hand-over, or about the role)
//!   are left out. [`InterviewNotes::role_source`] and the overview say
//!   when roles were guessed.
//! - **Questions**: interviewer sentences that end in `?`/`？`, open with
//!   `¿`, an interrogative or a request ("what", "tell me", "cuéntame",
//!   "décrivez", "beschreiben Sie", "descreva"), or contain a request or end
//!   in a question particle (教えてください, ですか, 请介绍, 吗) — the
//!   lexical cue that works best without prosody (research notes §3.4) —
//!   minus greetings, logistics and the hand-over ("can you hear me",
//!   "what questions do you have for me") and fragments under four words
//!   (six characters in Japanese and Chinese).
//! - **Answers**: the candidate turns after a question, up to the next
//!   interviewer question (short interviewer back-channels like "Mm-hmm" do
//!   not end an answer); the summary is the answer's lead sentences,
//!   skipping pleasantries ("Hi! Thank you for having me.").
//! - **Key points**: candidate sentences ranked by salience (rare content
//!   words, numbers), shown in time order.
//! - **Strengths / concerns / follow-ups**: candidate sentences that state
//!   an accomplishment, a stated gap, or a promise to follow up, quoted as
//!   said. Nothing is inferred about the person and no recommendation is
//!   made.

mod languages;
mod lexicons;
mod questions;
mod roles;

use std::collections::{BTreeMap, HashMap};

use futures::future::BoxFuture;

use crate::error::Error;
use crate::meeting::ParticipantRole;
use crate::policy::ContentPolicy;
use crate::summary::{
    Citation, CitedPoint, InterviewNotes, InterviewSummary, QaPair, RoleSource, Summarizer,
    SummaryRequest,
};
use crate::terms::fold;
use crate::transcript::Utterance;

use languages::{Lang, contains_cue, text_len, tokens};
use questions::{is_handover, is_pleasantry, question_text, sentences};
pub(crate) use roles::speaker_stats;
use roles::{Said, Side};

/// Detects the language of a transcript's text (BCP 47 primary subtag:
/// `en`, `es`, `fr`, `de`, `pt`, `ja` or `zh`; `en` when undecided).
pub fn detect_language(transcript: &crate::transcript::Transcript) -> &'static str {
    Lang::detect(transcript.utterances.iter().map(|u| u.text.as_str())).code()
}

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

impl ExtractiveSummarizer {
    /// The same as [`Summarizer::summarize`], synchronously.
    pub fn summarize_now(&self, request: &SummaryRequest<'_>) -> InterviewNotes {
        let transcript = request.transcript;
        let lang = Lang::detect(transcript.utterances.iter().map(|u| u.text.as_str()));
        let source = request.role_source();
        let (said, qa) = if source == RoleSource::Unlabelled {
            let said = roles::unlabelled(transcript, lang);
            let qa = self.qa_from_sentences(&said, lang);
            (said, qa)
        } else {
            let qa = self.qa_from_turns(request, lang);
            (roles::labelled(request, lang), qa)
        };
        let candidate: Vec<&Said<'_>> = said
            .iter()
            .filter(|s| s.side == Side::Candidate && !is_pleasantry(&s.text, lang))
            .collect();
        let lexicon = lang.lexicon();
        // Chosen per candidate, so in a group interview each candidate's
        // points are their own and one talkative candidate cannot crowd
        // out the others.
        let key_points = per_speaker(&candidate, |s| self.key_points(request, s, lang));
        let strengths = per_speaker(&candidate, |s| self.cued(s, lexicon.strengths));
        let concerns = per_speaker(&candidate, |s| self.cued(s, lexicon.concerns));
        // Follow-ups come from anyone: the interviewer promising next steps
        // counts as much as the candidate promising numbers.
        let everyone: Vec<&Said<'_>> = said.iter().collect();
        let mut follow_ups = self.cued(&everyone, lexicon.follow_ups);
        for pair in qa.iter().filter(|q| q.answer_citations.is_empty()) {
            follow_ups.push(CitedPoint {
                text: format!("Unanswered: {}", pair.question),
                citations: vec![pair.question_citation.clone()],
            });
        }
        follow_ups.truncate(self.max_per_section + 2);

        let mut notes = InterviewNotes {
            summary: InterviewSummary {
                overview: overview(request, &source, lang, distinct_questions(&qa)),
                key_points,
                strengths,
                concerns,
                follow_ups,
            },
            qa,
            generator: self.name(),
            role_source: Some(source),
            language: Some(lang.code().to_owned()),
            policy: None,
        };
        // Quoted sentences can carry what a note may not (a candidate
        // mentioning their children): the same policy as the LLM backend.
        ContentPolicy::for_guardrails(request.guardrails).apply(&mut notes);
        notes
    }

    /// Q&A of a labelled transcript: a question is an interviewer turn
    /// with interview questions, its answer the candidate turns up to the
    /// next interviewer turn that is more than a back-channel.
    fn qa_from_turns(&self, request: &SummaryRequest<'_>, lang: Lang) -> Vec<QaPair> {
        let utterances = &request.transcript.utterances;
        let is_candidate = |u: &Utterance| {
            request.roles.role_of(u.speaker.as_deref()) == ParticipantRole::Candidate
        };
        let mut out = Vec::new();
        for (i, u) in utterances.iter().enumerate() {
            if !request.is_interviewer(u) {
                continue;
            }
            let Some(question) = question_text(&u.text, lang) else {
                continue;
            };
            // Another interviewer chiming in before the candidate speaks
            // ("...and how did you test it?") does not leave this question
            // unanswered: the candidate's next turn answers both.
            let answers: Vec<&Utterance> = utterances[i + 1..]
                .iter()
                .skip_while(|next| request.is_interviewer(next) && next.speaker != u.speaker)
                .take_while(|next| {
                    !request.is_interviewer(next) || is_backchannel(&next.text, lang)
                })
                .filter(|next| is_candidate(next))
                .collect();
            // One pair per answering speaker, so a group interview's
            // answers stay attributed to the candidate who gave them.
            for answers in by_speaker(&answers) {
                let answer_sentences: Vec<&str> =
                    answers.iter().flat_map(|a| sentences(&a.text)).collect();
                out.push(QaPair {
                    question: question.clone(),
                    asked_by: u.speaker.clone(),
                    asked_at: u.start,
                    question_citation: Citation::of(u),
                    answer_summary: self.answer_summary(&answer_sentences, lang),
                    answered_by: answers.first().and_then(|a| a.speaker.clone()),
                    answer_citations: answers.iter().map(|a| Citation::of(a)).collect(),
                });
            }
        }
        out
    }

    /// Q&A of an unlabelled transcript: consecutive question sentences
    /// are one question; the candidate sentences up to the next question
    /// (or hand-over) are its answer.
    fn qa_from_sentences(&self, said: &[Said<'_>], lang: Lang) -> Vec<QaPair> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < said.len() {
            if !said[i].question {
                i += 1;
                continue;
            }
            let mut end = i + 1;
            while end < said.len() && said[end].question {
                end += 1;
            }
            let question: Vec<&str> = said[i..end].iter().map(|s| s.text.as_str()).collect();
            let mut answer: Vec<&Said<'_>> = Vec::new();
            let mut next = end;
            while next < said.len() && !said[next].question && !is_handover(&said[next].text, lang)
            {
                if said[next].side == Side::Candidate {
                    answer.push(&said[next]);
                }
                next += 1;
            }
            let mut answer_citations: Vec<Citation> = Vec::new();
            for u in answer.iter().flat_map(|s| s.cites.iter()) {
                if !answer_citations.iter().any(|c| c.utterance == u.id) {
                    answer_citations.push(Citation::of(u));
                }
            }
            let asked = said[i].cites[0];
            let answer_sentences: Vec<&str> = answer.iter().map(|s| s.text.as_str()).collect();
            out.push(QaPair {
                question: question.join(lang_separator(lang)),
                // Nobody can be named when the labels do not tell who spoke.
                asked_by: None,
                asked_at: asked.start,
                question_citation: Citation::of(asked),
                answer_summary: self.answer_summary(&answer_sentences, lang),
                answered_by: None,
                answer_citations,
            });
            i = next;
        }
        out
    }

    /// The answer's lead sentences without pleasantries; the pleasantries
    /// themselves when that is all there is.
    fn answer_summary(&self, answer: &[&str], lang: Lang) -> String {
        if answer.is_empty() {
            return "No answer captured.".to_owned();
        }
        let substantive: Vec<&str> = answer
            .iter()
            .copied()
            .filter(|s| !is_pleasantry(s, lang))
            .collect();
        let chosen = if substantive.is_empty() {
            answer
        } else {
            &substantive
        };
        lead(chosen, self.max_answer_chars, lang)
    }

    fn key_points(
        &self,
        request: &SummaryRequest<'_>,
        said: &[&Said<'_>],
        lang: Lang,
    ) -> Vec<CitedPoint> {
        let rarity = rarity(request, lang);
        let min_len = if lang.unspaced() { 15 } else { 6 };
        let mut scored: Vec<(f64, usize)> = said
            .iter()
            .enumerate()
            .filter(|(_, s)| text_len(&s.text, lang) >= min_len)
            .map(|(i, s)| (salience(&s.text, &rarity, lang), i))
            .collect();
        // Highest score first; ties keep time order, so output is stable.
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut chosen: Vec<usize> = scored
            .into_iter()
            .take(self.max_key_points)
            .map(|(_, i)| i)
            .collect();
        chosen.sort_unstable();
        chosen.into_iter().map(|i| point(said[i])).collect()
    }

    fn cued(&self, said: &[&Said<'_>], cues: &[&'static str]) -> Vec<CitedPoint> {
        said.iter()
            .filter(|s| contains_cue(&s.text, cues))
            .take(self.max_per_section)
            .map(|s| point(s))
            .collect()
    }
}

fn point(said: &Said<'_>) -> CitedPoint {
    CitedPoint {
        text: said.text.clone(),
        citations: said.cites.iter().map(|u| Citation::of(u)).collect(),
    }
}

/// How sentences are joined: with a space, or nothing in Japanese and
/// Chinese.
fn lang_separator(lang: Lang) -> &'static str {
    if lang.unspaced() { "" } else { " " }
}

/// "Mm-hmm", "Right, okay": short interviewer turns that do not end the
/// candidate's answer.
fn is_backchannel(text: &str, lang: Lang) -> bool {
    let limit = if lang.unspaced() { 8 } else { 4 };
    text_len(text, lang) <= limit && !text.contains(['?', '？'])
}

/// The first sentences up to `max_chars`, cut on a word with an ellipsis
/// when even the first sentence is longer.
fn lead(answer: &[&str], max_chars: usize, lang: Lang) -> String {
    let mut out = String::new();
    for s in answer.iter().take(2) {
        let candidate = if out.is_empty() {
            (*s).to_owned()
        } else {
            format!("{out}{}{s}", lang_separator(lang))
        };
        if candidate.chars().count() > max_chars {
            break;
        }
        out = candidate;
    }
    if out.is_empty() {
        let first = answer.first().copied().unwrap_or_default();
        let cut: String = first.chars().take(max_chars.saturating_sub(1)).collect();
        let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
        out = format!("{}…", cut.trim_end());
    }
    out
}

fn is_content(token: &str, lang: Lang) -> bool {
    let cjk = token
        .chars()
        .any(|c| languages::is_han(c) || languages::is_kana(c));
    let long_enough = if cjk {
        // A bigram of kana alone is mostly grammar (particles, endings).
        token.chars().any(languages::is_han)
    } else {
        token.chars().count() >= 3
    };
    long_enough
        && !lang.folded().stopwords.contains(token)
        && !Lang::En.folded().stopwords.contains(token)
        && !token.chars().all(char::is_numeric)
}

/// Inverse utterance frequency of every content token.
fn rarity(request: &SummaryRequest<'_>, lang: Lang) -> HashMap<String, f64> {
    let utterances = &request.transcript.utterances;
    let mut df: HashMap<String, usize> = HashMap::new();
    for u in utterances {
        let mut seen: Vec<String> = tokens(&u.text)
            .into_iter()
            .filter(|w| is_content(w, lang))
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

fn salience(sentence: &str, rarity: &HashMap<String, f64>, lang: Lang) -> f64 {
    let mut seen: Vec<String> = tokens(sentence)
        .into_iter()
        .filter(|w| is_content(w, lang))
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

fn overview(
    request: &SummaryRequest<'_>,
    source: &RoleSource,
    lang: Lang,
    questions: usize,
) -> String {
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
    let length = format!(
        "about {} minute{}",
        minutes,
        if minutes == 1 { "" } else { "s" }
    );
    let mut text = if *source == RoleSource::Unlabelled {
        format!(
            "Conversation without speaker labels, {length}; interviewer and candidate were told \
             apart from the text alone, so who said what is a guess."
        )
    } else {
        let interviewers = request.roles.speakers_with(&ParticipantRole::Interviewer);
        format!(
            "Conversation between {} ({}) and {} (candidate), {length}.",
            names(ParticipantRole::Interviewer),
            if interviewers.len() > 1 {
                "interviewers"
            } else {
                "interviewer"
            },
            names(ParticipantRole::Candidate),
        )
    };
    if *source == RoleSource::Inferred {
        text.push_str(" Roles were inferred from who asks and who answers.");
    }
    text.push_str(&format!(
        " {} interview question{} detected. Language: {}.",
        questions,
        if questions == 1 { "" } else { "s" },
        lang.code(),
    ));
    let topics = topics(request, lang, 5);
    if !topics.is_empty() {
        text.push_str(&format!(" Topics mentioned most: {}.", topics.join(", ")));
    }
    text
}

/// Most frequent content words (ties alphabetical, so deterministic).
/// Speakers' names are people, not topics (and in a group interview a
/// candidate's note must not name another candidate).
fn topics(request: &SummaryRequest<'_>, lang: Lang, n: usize) -> Vec<String> {
    let names: Vec<String> = request
        .transcript
        .speakers()
        .into_iter()
        .flat_map(tokens)
        .collect();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for u in &request.transcript.utterances {
        for w in tokens(&u.text)
            .into_iter()
            .filter(|w| is_content(w, lang) && w.chars().count() >= 4 && !names.contains(w))
        {
            *counts.entry(w).or_default() += 1;
        }
    }
    let mut ranked: Vec<(String, usize)> = counts.into_iter().filter(|(_, c)| *c >= 2).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.into_iter().take(n).map(|(w, _)| w).collect()
}

/// Questions asked, not pairs (a group question has one pair per
/// answering candidate).
fn distinct_questions(qa: &[QaPair]) -> usize {
    let mut asked: Vec<_> = qa.iter().map(|q| q.question_citation.utterance).collect();
    asked.dedup();
    asked.len()
}

/// `select` applied to each speaker's sentences, results in time order.
fn per_speaker<'s, 'u>(
    said: &[&'s Said<'u>],
    select: impl Fn(&[&'s Said<'u>]) -> Vec<CitedPoint>,
) -> Vec<CitedPoint> {
    let speaker = |s: &Said<'_>| s.cites.first().and_then(|u| u.speaker.clone());
    let mut speakers: Vec<Option<String>> = Vec::new();
    for s in said {
        let who = speaker(s);
        if !speakers.contains(&who) {
            speakers.push(who);
        }
    }
    let mut out: Vec<CitedPoint> = speakers
        .into_iter()
        .flat_map(|who| {
            let own: Vec<&Said<'_>> = said.iter().copied().filter(|s| speaker(s) == who).collect();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lead_is_bounded_and_skips_pleasantries() {
        let long = "word ".repeat(100);
        let cut = lead(&[long.as_str()], 50, Lang::En);
        assert!(cut.chars().count() <= 50, "{cut}");
        assert!(cut.ends_with('…'));
        assert_eq!(
            lead(&["One.", "Two.", "Three."], 300, Lang::En),
            "One. Two."
        );
        let summarizer = ExtractiveSummarizer::default();
        assert_eq!(
            summarizer.answer_summary(
                &[
                    "Hi!",
                    "Thank you for having me.",
                    "I lead the payments team.",
                    "It has six people."
                ],
                Lang::En
            ),
            "I lead the payments team. It has six people."
        );
        assert_eq!(summarizer.answer_summary(&["Yes."], Lang::En), "Yes.");
    }

    #[test]
    fn cues_match_whole_words() {
        assert!(contains_cue("I haven't used it.", lexicons::EN.concerns));
        assert!(contains_cue(
            "I'd need to check the numbers.",
            lexicons::EN.follow_ups
        ));
        assert!(!contains_cue("The shortcut works.", lexicons::EN.strengths));
        assert!(contains_cue("Lideré la migración.", lexicons::ES.strengths));
        assert!(contains_cue(
            "No tengo experiencia con Go.",
            lexicons::ES.concerns
        ));
        assert!(contains_cue(
            "決済基盤の移行をリードしました。",
            lexicons::JA.strengths
        ));
    }
}

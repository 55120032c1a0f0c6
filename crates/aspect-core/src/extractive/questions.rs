//! Sentences, questions and pleasantries, per language.

use super::languages::{
    Lang, contains_cue, is_bare_interrogative, is_han, is_kana, opening_of, text_len,
};
use crate::terms::{fold, words};

/// Shortest interview question, in words (spaced scripts): "Why?" or
/// "Any questions?" are not interview questions.
const MIN_QUESTION_WORDS: usize = 4;
/// Shortest interview question, in characters (Japanese, Chinese).
const MIN_QUESTION_CHARS: usize = 6;

/// Splits after `.`, `?`, `!` or `…` followed by whitespace (or the end),
/// and after the full-width terminators `。`, `？`, `！`, which need no
/// space.
pub(crate) fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let spaced_end = matches!(c, '.' | '?' | '!' | '…')
            && chars.peek().is_none_or(|(_, next)| next.is_whitespace());
        let full_width_end = matches!(c, '。' | '？' | '！');
        if spaced_end || full_width_end {
            // Keep a closing quote or bracket with its sentence.
            let mut end = i + c.len_utf8();
            while let Some(&(j, q)) = chars.peek()
                && matches!(q, '」' | '』' | '）' | ')' | '"' | '”')
            {
                end = j + q.len_utf8();
                chars.next();
            }
            let s = text[start..end].trim();
            if !s.is_empty() {
                out.push(s);
            }
            start = end;
        }
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

/// Whether `sentence` is an interview question in `lang`: it ends with a
/// question mark (any width), opens with `¿`, opens with an interrogative
/// or a request ("tell me", "cuéntame", "décrivez"), or — in Japanese and
/// Chinese — contains a request or ends with a question particle; minus
/// greetings, logistics, the hand-over to the candidate's questions, and
/// fragments too short to be a question.
pub(crate) fn is_question(sentence: &str, lang: Lang) -> bool {
    if text_len(sentence, lang) < min_len(lang) || is_small_talk(sentence, lang) {
        return false;
    }
    let marked = ends_with_mark(sentence) || sentence.trim_start().starts_with('¿');
    marked || opening_of(sentence, lang).is_some() || ends_with_particle(sentence, lang)
}

/// Ends with a question mark of any width (closing quotes aside).
fn ends_with_mark(sentence: &str) -> bool {
    sentence
        .trim_end_matches(|c: char| c.is_whitespace() || c == '"' || c == '”')
        .ends_with(['?', '？'])
}

fn min_len(lang: Lang) -> usize {
    if lang.unspaced() {
        MIN_QUESTION_CHARS
    } else {
        MIN_QUESTION_WORDS
    }
}

/// Japanese か, Chinese 吗 / 呢 at the end of the sentence.
fn ends_with_particle(sentence: &str, lang: Lang) -> bool {
    let folded = fold(sentence);
    let core = folded.trim_end_matches(|c: char| !(is_kana(c) || is_han(c) || c.is_alphanumeric()));
    lang.lexicon()
        .endings
        .iter()
        .any(|e| core.ends_with(fold(e).as_str()))
}

/// Greetings, logistics and the hand-over ("what questions do you have
/// for me?"): question-shaped, but not interview questions.
pub(crate) fn is_small_talk(sentence: &str, lang: Lang) -> bool {
    let lexicon = lang.lexicon();
    contains_cue(sentence, lexicon.small_talk) || is_handover(sentence, lang)
}

/// The interviewer inviting the candidate's own questions; what follows
/// is the candidate asking, not the interview.
pub(crate) fn is_handover(sentence: &str, lang: Lang) -> bool {
    contains_cue(sentence, lang.lexicon().handover)
}

/// A sentence that is only a greeting or thanks ("Hi! Thank you for
/// having me."), which an answer summary skips.
pub(crate) fn is_pleasantry(sentence: &str, lang: Lang) -> bool {
    let lexicon = lang.lexicon();
    if lang.unspaced() {
        let mut rest = fold(sentence);
        // Longest first, so a phrase is not broken up by a shorter one.
        let mut cues: Vec<String> = lexicon.pleasantries.iter().map(|p| fold(p)).collect();
        cues.sort_by_key(|c| std::cmp::Reverse(c.chars().count()));
        let had_cue = cues.iter().any(|c| rest.contains(c.as_str()));
        for c in &cues {
            rest = rest.replace(c.as_str(), "");
        }
        return had_cue && rest.chars().filter(|c| c.is_alphanumeric()).count() <= 2;
    }
    let sentence_words = words(sentence);
    if sentence_words.is_empty() || sentence_words.len() > 12 {
        return false;
    }
    let polite = &lang.folded().polite;
    let other = sentence_words
        .iter()
        .filter(|w| !polite.contains(w.as_str()))
        .count();
    other == 0 || (other == 1 && sentence_words.len() >= 3)
}

/// Most words before a comma that a question may follow in the same
/// sentence ("To start, could you...", "Para empezar, cuéntame...").
const MAX_LEAD_IN_WORDS: usize = 6;

/// Hesitations after which speech recognition often runs a question on
/// without punctuation ("...platform team so to kick us off uh what are
/// you working on").
const HESITATIONS: &[&str] = &["uh", "um", "erm", "eh", "ehm", "euh", "äh", "ähm", "hmm"];

/// The interview question in `sentence`: all of it when it is one,
/// else a question that follows a short lead-in clause or a hesitation
/// in an unpunctuated run (speech-to-text output often lacks the
/// sentence break).
pub(crate) fn question_part(sentence: &str, lang: Lang) -> Option<&str> {
    if is_question(sentence, lang) {
        return Some(sentence);
    }
    if lang.unspaced() {
        return None;
    }
    let mut previous: Option<&str> = None;
    for (seen_words, (start, token)) in token_spans(sentence).enumerate() {
        if let Some(prev) = previous {
            let after_comma = prev.ends_with(',') && seen_words <= MAX_LEAD_IN_WORDS;
            let after_hesitation = words(prev)
                .first()
                .is_some_and(|w| HESITATIONS.contains(&w.as_str()));
            let rest = &sentence[start..];
            let opening = opening_of(rest, lang);
            // After a comma, a bare "which"/"what" usually opens a relative
            // clause ("..., which we rebuilt"); it asks only when a question
            // mark or an inverted auxiliary follows ("..., why are you").
            let after_comma = after_comma
                && opening.is_some_and(|o| {
                    !is_bare_interrogative(o) || ends_with_mark(rest) || inverts(rest)
                });
            if (after_comma || after_hesitation && opening.is_some()) && is_question(rest, lang) {
                return Some(rest);
            }
        }
        previous = Some(token);
    }
    None
}

/// English auxiliaries that follow the interrogative in a question
/// ("why are you", "how did you") but not in a relative clause.
const AUXILIARIES: &[&str] = &[
    "are", "is", "do", "does", "did", "would", "could", "can", "have", "has", "was", "were",
    "will", "should",
];

/// Whether the word after the opening interrogative is an auxiliary.
fn inverts(clause: &str) -> bool {
    words(clause)
        .get(1)
        .is_some_and(|w| AUXILIARIES.contains(&w.as_str()))
}

/// Whitespace-separated tokens with their byte offsets.
fn token_spans(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_whitespace()
        .map(move |t| (t.as_ptr() as usize - text.as_ptr() as usize, t))
}

/// The interview questions in `text`, joined; `None` when it has none.
pub(crate) fn question_text(text: &str, lang: Lang) -> Option<String> {
    let questions: Vec<&str> = sentences(text)
        .into_iter()
        .filter_map(|s| question_part(s, lang))
        .collect();
    (!questions.is_empty()).then(|| questions.join(" "))
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
        assert_eq!(
            sentences("はい。「移行」について教えてください。何を学びましたか？"),
            [
                "はい。",
                "「移行」について教えてください。",
                "何を学びましたか？"
            ]
        );
    }

    #[test]
    fn english_questions() {
        let en = Lang::En;
        assert!(is_question(
            "Could you start by walking me through your role?",
            en
        ));
        assert!(is_question("Tell me about your experience with Kafka.", en));
        assert!(is_question("So what would you change", en));
        assert!(!is_question("Can you hear me okay?", en));
        assert!(!is_question("Why?", en));
        assert!(!is_question("I built the pipeline.", en));
        assert!(!is_question("What questions do you have for me?", en));
        // Requests phrased as statements; logistics phrased as questions.
        assert!(is_question(
            "So I'd love to hear how you got into tooling.",
            en
        ));
        assert!(!is_question(
            "Should I share my screen with the agenda?",
            en
        ));
        assert!(!is_question("Shall we move on to the scenario part?", en));
        assert!(!is_question(
            "We're almost out of time, anything you want to ask me?",
            en
        ));
    }

    #[test]
    fn questions_in_every_language() {
        let yes = [
            ("¿Cuál fue el mayor reto del proyecto?", Lang::Es),
            ("Cuéntame sobre tu experiencia con Kubernetes.", Lang::Es),
            (
                "Describe un conflicto que resolviste en tu equipo.",
                Lang::Es,
            ),
            ("Décrivez un projet dont vous êtes fier.", Lang::Fr),
            ("Comment avez-vous géré la migration ?", Lang::Fr),
            ("Beschreiben Sie bitte Ihr letztes Projekt.", Lang::De),
            ("Wie sind Sie mit dem Ausfall umgegangen?", Lang::De),
            ("Descreva um projeto de que você se orgulha.", Lang::Pt),
            ("O que você faria de diferente hoje", Lang::Pt),
            ("前職でのプロジェクトについて教えてください。", Lang::Ja),
            ("チームではどのような役割でしたか。", Lang::Ja),
            ("障害対応で一番難しかったことは何ですか？", Lang::Ja),
            ("请介绍一下你最近的项目。", Lang::Zh),
            ("你在团队里负责什么工作？", Lang::Zh),
            ("你用过 Kafka 吗", Lang::Zh),
        ];
        for (s, lang) in yes {
            assert!(is_question(s, lang), "{s}");
        }
        // Accented fillers are compared folded, like the text.
        assert!(is_question(
            "Très bien, décrivez votre dernier projet.",
            Lang::Fr
        ));
        assert!(is_question(
            "Então, descreva o seu último projeto.",
            Lang::Pt
        ));
        let no = [
            ("Lideré la migración a Kubernetes en 2022.", Lang::Es),
            ("¿Me escuchas bien?", Lang::Es),
            ("¿Tienes alguna pregunta para mí?", Lang::Es),
            ("J'ai conçu le service de facturation.", Lang::Fr),
            ("Ich habe das Team geleitet.", Lang::De),
            ("Eu liderei a migração do sistema.", Lang::Pt),
            ("はい、よろしくお願いします。", Lang::Ja),
            ("前職では決済基盤の開発を担当しました。", Lang::Ja),
            ("聞こえますか？", Lang::Ja),
            ("何か質問はありますか？", Lang::Ja),
            ("我负责支付系统的开发。", Lang::Zh),
        ];
        for (s, lang) in no {
            assert!(!is_question(s, lang), "{s}");
        }
    }

    #[test]
    fn questions_after_a_lead_in_or_a_hesitation() {
        assert_eq!(
            question_part(
                "Para empezar, cuéntame sobre tu experiencia actual.",
                Lang::Es
            ),
            Some("cuéntame sobre tu experiencia actual.")
        );
        assert_eq!(
            question_part(
                "this is the first screen so to kick us off uh what are you working on right now",
                Lang::En
            ),
            Some("what are you working on right now")
        );
        assert_eq!(
            question_part(
                "um last one from me, why are you interested in this role",
                Lang::En
            ),
            Some("why are you interested in this role")
        );
        // A long statement with a comma is not a lead-in.
        assert_eq!(
            question_part(
                "We moved the whole billing stack to the new cluster last year, what we learned is that tests matter.",
                Lang::En
            ),
            None
        );
        assert_eq!(question_part("I know what you mean.", Lang::En), None);
        assert_eq!(
            question_part(
                "Sure, mostly the data platform, which we are rebuilding.",
                Lang::En
            ),
            None
        );
    }

    #[test]
    fn pleasantries() {
        assert!(is_pleasantry("Hi!", Lang::En));
        assert!(is_pleasantry("Thank you for having me.", Lang::En));
        assert!(is_pleasantry(
            "Thanks for the invite, it's great to be here.",
            Lang::En
        ));
        assert!(!is_pleasantry("Sure, I led the migration.", Lang::En));
        assert!(!is_pleasantry("I led the migration.", Lang::En));
        assert!(is_pleasantry("¡Hola! Gracias por la invitación.", Lang::Es));
        assert!(is_pleasantry(
            "本日はお招きいただきありがとうございます。",
            Lang::Ja
        ));
        assert!(!is_pleasantry(
            "前職では決済基盤の開発を担当しました。",
            Lang::Ja
        ));
    }
}

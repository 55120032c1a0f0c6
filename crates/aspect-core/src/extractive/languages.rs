//! Per-language lexicons and a small language detector.
//!
//! The detector is deliberately simple and dependency-free: Japanese and
//! Chinese are told apart by script (kana only occur in Japanese), the
//! Latin-script languages by counting their most frequent function words.
//! That is enough for a whole interview transcript, which has thousands of
//! such words; it is not meant for single sentences.
//!
//! Every cue list is compared on case- and accent-folded words (see
//! `terms::words`), so entries are written folded: `como`, not `Cómo`.
//! Japanese and Chinese entries are matched as substrings of the folded
//! text because those scripts do not separate words with spaces.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock, RwLock};

use crate::terms::{fold, words};

/// A language the extractive summarizer has lexicons for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Lang {
    En,
    Es,
    Fr,
    De,
    Pt,
    Ja,
    Zh,
}

/// The words and phrases that carry meaning for the summarizer in one
/// language.
#[derive(Debug)]
pub(crate) struct Lexicon {
    /// Openings that make a sentence a question even without `?`
    /// (interrogatives and requests such as "describe", "cuéntame").
    pub openings: &'static [&'static str],
    /// Sentence-final question particles (Japanese か, Chinese 吗).
    pub endings: &'static [&'static str],
    /// Discourse markers that may precede an opening ("so", "entonces").
    pub fillers: &'static [&'static str],
    /// Greetings and logistics that look like questions but are not
    /// interview questions.
    pub small_talk: &'static [&'static str],
    /// Short acknowledgements an interviewer says before the next
    /// question ("Got it.", "Entendido."), read as the interviewer's in an
    /// unlabelled transcript.
    pub acknowledgements: &'static [&'static str],
    /// Questions only a candidate asks, about the job or the team ("what
    /// are the biggest challenges the team is facing?").
    pub job_questions: &'static [&'static str],
    /// The interviewer handing over to the candidate's own questions.
    pub handover: &'static [&'static str],
    /// Pleasantries an answer summary skips.
    pub pleasantries: &'static [&'static str],
    /// The candidate stating an accomplishment.
    pub strengths: &'static [&'static str],
    /// The candidate stating a gap.
    pub concerns: &'static [&'static str],
    /// Someone promising a follow-up.
    pub follow_ups: &'static [&'static str],
    /// Function words: detection and key-point salience.
    pub stopwords: &'static [&'static str],
}

impl Lang {
    /// The BCP 47 primary language subtag.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
            Lang::Fr => "fr",
            Lang::De => "de",
            Lang::Pt => "pt",
            Lang::Ja => "ja",
            Lang::Zh => "zh",
        }
    }

    /// Whether the script writes words without spaces, so lengths are
    /// counted in characters.
    pub fn unspaced(self) -> bool {
        matches!(self, Lang::Ja | Lang::Zh)
    }

    /// This language's cue lists.
    pub fn lexicon(self) -> &'static Lexicon {
        match self {
            Lang::En => &super::lexicons::EN,
            Lang::Es => &super::lexicons::ES,
            Lang::Fr => &super::lexicons::FR,
            Lang::De => &super::lexicons::DE,
            Lang::Pt => &super::lexicons::PT,
            Lang::Ja => &super::lexicons::JA,
            Lang::Zh => &super::lexicons::ZH,
        }
    }

    /// Detects the language of `texts` (an interview's utterances).
    /// Falls back to English when nothing decides.
    pub fn detect<'a>(texts: impl IntoIterator<Item = &'a str>) -> Lang {
        let mut kana = 0usize;
        let mut han = 0usize;
        let mut latin_hits = [0usize; 5];
        let latin = [Lang::En, Lang::Es, Lang::Fr, Lang::De, Lang::Pt];
        for text in texts {
            for c in text.chars() {
                if is_kana(c) {
                    kana += 1;
                } else if is_han(c) {
                    han += 1;
                }
            }
            for w in words(text) {
                for (hits, list) in latin_hits.iter_mut().zip(DETECTION_WORDS) {
                    if list.contains(&w.as_str()) {
                        *hits += 1;
                    }
                }
            }
        }
        let latin_total: usize = latin_hits.iter().sum();
        // A CJK character carries roughly a word's worth of text; compare
        // against the Latin function words so a few names or terms in
        // another script do not flip the language.
        if kana + han > latin_total {
            // Kana only occur in Japanese; a Japanese text always has
            // plenty of them (particles), Chinese none.
            return if kana * 10 >= han { Lang::Ja } else { Lang::Zh };
        }
        latin_hits
            .iter()
            .enumerate()
            // Ties go to the earlier (more common) language.
            .rev()
            .max_by_key(|(_, n)| **n)
            .filter(|(_, n)| **n > 0)
            .map_or(Lang::En, |(i, _)| latin[i])
    }
}

/// Function words frequent in one Latin-script language and rare in the
/// others (folded), used only for detection, in the order of `latin`.
const DETECTION_WORDS: [&[&str]; 5] = [
    &[
        "the", "and", "you", "that", "with", "have", "this", "what", "was", "for", "it", "is",
        "we", "how",
    ],
    &[
        "el", "los", "las", "que", "y", "con", "una", "por", "para", "es", "del", "como", "pero",
        "muy", "tu", "usted", "fue", "hemos",
    ],
    &[
        "le", "les", "des", "et", "est", "une", "vous", "avec", "pour", "dans", "je", "nous",
        "pas", "du", "c", "j", "qu",
    ],
    &[
        "der", "die", "das", "und", "ist", "ich", "sie", "nicht", "mit", "wir", "ein", "eine",
        "auf", "fur", "haben", "wie",
    ],
    &[
        "o", "os", "uma", "voce", "nao", "com", "para", "que", "e", "do", "da", "em", "foi", "nos",
        "isso", "mais",
    ],
];

/// Hiragana or katakana.
pub(crate) fn is_kana(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{31f0}'..='\u{31ff}' | '\u{ff66}'..='\u{ff9f}')
}

/// A CJK ideograph.
pub(crate) fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}')
}

fn is_cjk(c: char) -> bool {
    is_kana(c) || is_han(c)
}

/// How long `text` is in the units that matter for `lang`: words for
/// spaced scripts, characters (letters, not punctuation) for Japanese and
/// Chinese.
pub(crate) fn text_len(text: &str, lang: Lang) -> usize {
    if lang.unspaced() {
        text.chars().filter(|c| c.is_alphanumeric()).count()
    } else {
        words(text).len()
    }
}

/// Tokens for salience: folded words, with runs of CJK characters split
/// into character bigrams (a common word-free stand-in for CJK words).
pub(crate) fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for w in words(text) {
        if !w.chars().any(is_cjk) {
            out.push(w);
            continue;
        }
        let chars: Vec<char> = w.chars().collect();
        if chars.len() == 1 {
            out.push(w);
        }
        for pair in chars.windows(2) {
            out.push(pair.iter().collect());
        }
    }
    out
}

/// Whether any cue phrase occurs: as whole words for spaced scripts, as a
/// substring for CJK cues.
pub(crate) fn contains_cue(sentence: &str, cues: &[&'static str]) -> bool {
    let spaced = format!(" {} ", words(sentence).join(" "));
    let folded = fold(sentence);
    cues.iter().any(|c| match cue_form(c) {
        CueForm::Cjk(form) => folded.contains(&*form),
        CueForm::Spaced(form) => spaced.contains(&format!(" {form} ")),
    })
}

/// The opening `sentence` starts with, after any fillers (CJK openings:
/// anywhere in the sentence).
pub(crate) fn opening_of(sentence: &str, lang: Lang) -> Option<&'static str> {
    let lexicon = lang.lexicon();
    let folded = words(sentence).join(" ");
    let fillers = &lang.folded().fillers;
    let mut opening = folded.as_str();
    while let Some((first, rest)) = opening.split_once(' ')
        && fillers.contains(first)
    {
        opening = rest;
    }
    let trimmed = fold(sentence);
    let trimmed = trimmed.trim_start_matches(|c: char| !c.is_alphanumeric());
    lexicon
        .openings
        .iter()
        .copied()
        .find(|o| match cue_form(o) {
            // CJK requests close the sentence as often as they open it.
            CueForm::Cjk(form) => trimmed.contains(&*form),
            CueForm::Spaced(form) => {
                opening == &*form
                    || opening
                        .strip_prefix(&*form)
                        .is_some_and(|rest| rest.starts_with(' '))
            }
        })
}

/// A cue phrase as compared: folded words joined by one space, or the
/// folded text of a CJK cue.
#[derive(Debug, Clone)]
enum CueForm {
    Spaced(Arc<str>),
    Cjk(Arc<str>),
}

/// The compared form of a static cue, folded once: folding every cue for
/// every sentence dominated the time spent on long transcripts.
fn cue_form(cue: &'static str) -> CueForm {
    static CACHE: OnceLock<RwLock<HashMap<&'static str, CueForm>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(form) = cache.read().ok().and_then(|m| m.get(cue).cloned()) {
        return form;
    }
    let form = if cue.chars().any(is_cjk) {
        CueForm::Cjk(fold(cue).into())
    } else {
        CueForm::Spaced(words(cue).join(" ").into())
    };
    if let Ok(mut m) = cache.write() {
        m.insert(cue, form.clone());
    }
    form
}

/// Word sets of a lexicon, folded like the text they are compared with
/// ("très" is compared as "tres").
#[derive(Debug, Default)]
pub(crate) struct FoldedLexicon {
    /// Filler words.
    pub fillers: HashSet<String>,
    /// Stopwords.
    pub stopwords: HashSet<String>,
    /// Every word of every pleasantry.
    pub polite: HashSet<String>,
}

impl Lang {
    /// The folded word sets of this language's lexicon, computed once.
    pub(crate) fn folded(self) -> &'static FoldedLexicon {
        const ALL: [Lang; 7] = [
            Lang::En,
            Lang::Es,
            Lang::Fr,
            Lang::De,
            Lang::Pt,
            Lang::Ja,
            Lang::Zh,
        ];
        static FOLDED: OnceLock<Vec<FoldedLexicon>> = OnceLock::new();
        let all = FOLDED.get_or_init(|| {
            let set = |list: &[&str]| list.iter().flat_map(|w| words(w)).collect();
            ALL.iter()
                .map(|lang| {
                    let l = lang.lexicon();
                    FoldedLexicon {
                        fillers: set(l.fillers),
                        stopwords: set(l.stopwords),
                        polite: set(l.pleasantries),
                    }
                })
                .collect()
        });
        let index = ALL.iter().position(|l| *l == self).unwrap_or(0);
        &all[index]
    }
}

/// A single interrogative word ("what", "which", "que", "wie"): it also
/// opens relative and subordinate clauses ("..., which we rebuilt").
pub(crate) fn is_bare_interrogative(opening: &str) -> bool {
    !opening.contains(' ') && BARE_INTERROGATIVES.contains(&words(opening).concat().as_str())
}

/// Folded single-word interrogatives of every supported language.
const BARE_INTERROGATIVES: &[&str] = &[
    "what", "how", "why", "when", "where", "who", "which", "whose", "que", "como", "cuando",
    "donde", "quien", "cual", "quand", "comment", "pourquoi", "combien", "quel", "quelle", "quels",
    "quelles", "was", "wie", "warum", "wieso", "weshalb", "wann", "wo", "wer", "welche", "welcher",
    "welches", "welchen", "quanto", "quantos", "quais", "onde", "quem", "qual",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_language() {
        let cases = [
            (
                "Could you tell me how you handled the migration and what you learned?",
                Lang::En,
            ),
            (
                "¿Podrías contarme cómo fue la migración y qué aprendiste con el equipo?",
                Lang::Es,
            ),
            (
                "Pouvez-vous décrire la migration et ce que vous avez appris avec l'équipe ?",
                Lang::Fr,
            ),
            (
                "Können Sie beschreiben, wie die Migration lief und was Sie gelernt haben?",
                Lang::De,
            ),
            (
                "Você pode descrever como foi a migração e o que você aprendeu com a equipe?",
                Lang::Pt,
            ),
            (
                "移行プロジェクトについて教えてください。何を学びましたか？",
                Lang::Ja,
            ),
            ("请介绍一下你负责的迁移项目。你学到了什么？", Lang::Zh),
        ];
        for (text, lang) in cases {
            assert_eq!(Lang::detect([text]), lang, "{text}");
        }
        assert_eq!(Lang::detect([""]), Lang::En);
    }

    #[test]
    fn lengths_count_characters_without_spaces() {
        assert_eq!(text_len("教えてください。", Lang::Ja), 7);
        assert_eq!(text_len("Tell me more, please.", Lang::En), 4);
    }

    #[test]
    fn cjk_tokens_are_bigrams() {
        assert_eq!(tokens("Rust 移行"), ["rust", "移行"]);
        assert_eq!(tokens("移行作業"), ["移行", "行作", "作業"]);
    }
}

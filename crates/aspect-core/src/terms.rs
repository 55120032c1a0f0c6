//! Auto-processing terms: which calendar events get registered.
//!
//! A customer lists words or phrases ("interview", "phone screen") and,
//! optionally, exclusions ("internal", "debrief"). An event title is
//! registered when some term occurs in it as whole words and no exclusion
//! does. Matching ignores case and accents ("Entrevista Técnica" matches
//! "tecnica") and treats any run of non-alphanumeric characters as a word
//! break, so "Phone-Screen" matches "phone screen" but "interviewer" does not
//! match "interview".

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// A customer's auto-processing terms and exclusions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoProcessingTerms {
    /// Words or phrases that make an event eligible.
    #[serde(default)]
    pub include: Vec<String>,
    /// Words or phrases that veto an event even when a term matched.
    #[serde(default)]
    pub exclude: Vec<String>,
}

/// The outcome of checking one text against the terms.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TermDecision {
    /// An include term matched and no exclusion did; `term` is the
    /// customer's spelling of the first term that matched.
    Matched {
        /// The matching term as configured.
        term: String,
    },
    /// An exclusion matched (whether or not a term did).
    Excluded {
        /// The matching exclusion as configured.
        term: String,
    },
    /// No include term matched.
    NoMatch,
}

impl AutoProcessingTerms {
    /// Terms without exclusions.
    pub fn new<I, S>(include: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        AutoProcessingTerms {
            include: include.into_iter().map(Into::into).collect(),
            exclude: Vec::new(),
        }
    }

    /// Adds exclusions (builder style).
    pub fn excluding<I, S>(mut self, exclude: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.exclude.extend(exclude.into_iter().map(Into::into));
        self
    }

    /// Decides whether `text` (usually an event title) is registered.
    pub fn decide(&self, text: &str) -> TermDecision {
        let words = words(text);
        if let Some(term) = first_match(&self.exclude, &words) {
            return TermDecision::Excluded { term };
        }
        match first_match(&self.include, &words) {
            Some(term) => TermDecision::Matched { term },
            None => TermDecision::NoMatch,
        }
    }

    /// Shorthand for `decide(text)` being [`TermDecision::Matched`].
    pub fn matches(&self, text: &str) -> bool {
        matches!(self.decide(text), TermDecision::Matched { .. })
    }
}

fn first_match(terms: &[String], words: &[String]) -> Option<String> {
    terms
        .iter()
        .find(|term| contains_phrase(words, &self::words(term)))
        .cloned()
}

/// Whether `phrase` occurs as a contiguous run of whole words. An empty
/// phrase (a term made only of punctuation) never matches.
fn contains_phrase(words: &[String], phrase: &[String]) -> bool {
    !phrase.is_empty() && words.windows(phrase.len()).any(|w| w == phrase)
}

/// Splits into case-folded, accent-stripped words.
pub(crate) fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Case- and accent-folds: compatibility decomposition (so "ﬁ" becomes "fi"
/// and "é" becomes "e" + a combining mark), combining marks dropped,
/// lowercased.
pub(crate) fn fold(text: &str) -> String {
    text.nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms() -> AutoProcessingTerms {
        AutoProcessingTerms::new(["interview", "Phone Screen", "entrevista técnica"])
            .excluding(["internal", "debrief"])
    }

    #[test]
    fn case_and_accent_insensitive() {
        let t = terms();
        assert!(t.matches("INTERVIEW with Sam"));
        assert!(t.matches("phone screen: Backend"));
        assert!(t.matches("Entrevista Tecnica - Maria"));
        assert!(t.matches("ENTREVISTA TÉCNICA"));
        assert!(AutoProcessingTerms::new(["cafe"]).matches("Café chat"));
    }

    #[test]
    fn whole_words_only() {
        let t = terms();
        assert!(!t.matches("Interviewer training"));
        assert!(!t.matches("Phone screening sync"));
        assert!(t.matches("Phone-Screen (Alex)"));
        assert!(t.matches("Final-round interview."));
        assert!(!t.matches("phone call, screen share"));
    }

    #[test]
    fn exclusions_win() {
        let t = terms();
        assert_eq!(
            t.decide("Interview debrief"),
            TermDecision::Excluded {
                term: "debrief".into()
            }
        );
        assert_eq!(
            t.decide("Internal: interview loop planning"),
            TermDecision::Excluded {
                term: "internal".into()
            }
        );
        assert_eq!(
            t.decide("Onsite interview"),
            TermDecision::Matched {
                term: "interview".into()
            }
        );
        assert_eq!(t.decide("1:1"), TermDecision::NoMatch);
    }

    #[test]
    fn empty_and_punctuation_terms_never_match() {
        let t = AutoProcessingTerms::new(["", "  ", "--"]);
        assert!(!t.matches("anything -- at all"));
        assert!(!AutoProcessingTerms::default().matches("interview"));
    }

    #[test]
    fn deserializes_from_config() {
        let t: AutoProcessingTerms =
            serde_json::from_str(r#"{"include":["interview"],"extra":1}"#).unwrap();
        assert!(t.exclude.is_empty());
        assert!(t.matches("Interview"));
    }

    #[test]
    fn non_latin_scripts_work() {
        let t = AutoProcessingTerms::new(["собеседование", "面接"]);
        assert!(t.matches("Собеседование: Иван"));
        assert!(t.matches("面接 田中"));
    }
}

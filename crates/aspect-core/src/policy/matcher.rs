//! The small pattern language of the content policy, matched over the
//! folded words of one sentence.
//!
//! A pattern is a whitespace-separated list of steps:
//! - `word` matches that word exactly (after folding: lower case, accents
//!   and width variants removed, punctuation a word break);
//! - `word*` matches any word starting with `word` (`hir*`: hire, hired,
//!   hiring, hires);
//! - `*text*` matches any word containing `text`: for Chinese and Japanese,
//!   which put no spaces between words, so a whole run of text is one
//!   "word" (`*录用*`);
//! - `a|b|c` matches any alternative; an alternative may be several words
//!   joined by `+` (`gen+z`) and each may end in `*`;
//! - `#n` matches a number, in digits or spelled out (zero to twenty,
//!   hundred);
//! - `~N` allows up to `N` other words before the next step;
//! - `^` as the first token ties the first step to the sentence's first
//!   word, `$` as the last token ties the last step to its last word
//!   (`^ hire $` is the sentence "Hire." and nothing longer; `^ ~1 word`
//!   lets one word come first).
//!
//! Steps must occur in order; without `^` the first step may occur
//! anywhere.

use crate::error::Error;
use crate::terms::fold;

/// Characters that render as nothing and are removed before matching, so
/// `hi\u{200B}re` cannot dodge a term (zero-width space/joiners, word
/// joiner, BOM, soft hyphen, Mongolian vowel separator, grapheme joiner).
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}' | '\u{180E}' | '\u{034F}')
}

/// The folded words of `text`: invisible characters dropped, apostrophes
/// joined (`don't` → `dont`, `I’d` → `id`), every other non-alphanumeric
/// character a break.
pub(crate) fn policy_words(text: &str) -> Vec<String> {
    let cleaned: String = text
        .chars()
        .filter(|c| !is_invisible(*c) && !matches!(c, '\'' | '’' | '‘' | 'ʼ' | '`' | '´'))
        .collect();
    fold(&cleaned)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

const NUMBER_WORDS: &[&str] = &[
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "hundred",
];

fn is_number(word: &str) -> bool {
    word.chars().all(|c| c.is_ascii_digit()) || NUMBER_WORDS.contains(&word)
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Unit {
    Exact(String),
    Prefix(String),
    Infix(String),
    Number,
}

impl Unit {
    fn matches(&self, word: &str) -> bool {
        match self {
            Unit::Exact(w) => word == w,
            Unit::Prefix(p) => word.starts_with(p.as_str()),
            Unit::Infix(p) => word.contains(p.as_str()),
            Unit::Number => is_number(word),
        }
    }
}

/// One alternative: a run of consecutive words.
type Alternative = Vec<Unit>;

#[derive(Debug, Clone, PartialEq, Eq)]
struct Step {
    /// Words that may be skipped before this step.
    gap: usize,
    alternatives: Vec<Alternative>,
}

/// A compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pattern {
    steps: Vec<Step>,
    /// `^`: the first step starts at the first word.
    at_start: bool,
    /// `$`: the last step ends at the last word.
    at_end: bool,
}

impl Pattern {
    /// Compiles `source`; a pattern with no word, a dangling `~N` or an
    /// empty alternative is a [`Error::Config`].
    pub(crate) fn parse(source: &str) -> Result<Self, Error> {
        let bad = |why: &str| Error::Config(format!("content policy pattern `{source}`: {why}"));
        let mut steps = Vec::new();
        let mut gap = 0;
        let tokens: Vec<&str> = source.split_whitespace().collect();
        let at_start = tokens.first() == Some(&"^");
        let at_end = tokens.len() > 1 && tokens.last() == Some(&"$");
        let inner = &tokens[usize::from(at_start)..tokens.len() - usize::from(at_end)];
        for &token in inner {
            if token == "^" || token == "$" {
                return Err(bad("`^` only first and `$` only last"));
            }
            if let Some(n) = token.strip_prefix('~') {
                gap = n.parse().map_err(|_| bad("`~` needs a number"))?;
                continue;
            }
            let mut alternatives = Vec::new();
            for alt in token.split('|') {
                let mut units = Vec::new();
                for part in alt.split('+') {
                    units.extend(units_of(part));
                }
                if units.is_empty() {
                    return Err(bad("empty alternative"));
                }
                alternatives.push(units);
            }
            steps.push(Step {
                gap: std::mem::take(&mut gap),
                alternatives,
            });
        }
        if steps.is_empty() {
            return Err(bad("no word"));
        }
        if gap > 0 {
            return Err(bad("`~N` at the end"));
        }
        Ok(Pattern {
            steps,
            at_start,
            at_end,
        })
    }

    /// A plain phrase (a tenant's term): its words in order, adjacent.
    pub(crate) fn phrase(phrase: &str) -> Result<Self, Error> {
        let units: Vec<Unit> = policy_words(phrase).into_iter().map(Unit::Exact).collect();
        if units.is_empty() {
            return Err(Error::Config(format!(
                "content policy term `{phrase}` has no word"
            )));
        }
        Ok(Pattern {
            steps: units
                .into_iter()
                .map(|u| Step {
                    gap: 0,
                    alternatives: vec![vec![u]],
                })
                .collect(),
            at_start: false,
            at_end: false,
        })
    }

    /// Whether the pattern occurs in `words`.
    pub(crate) fn is_in(&self, words: &[String]) -> bool {
        let starts = if self.at_start {
            // `^ ~N word`: the first step within the first N + 1 words.
            0..words.len().min(self.steps[0].gap + 1)
        } else {
            0..words.len()
        };
        starts.into_iter().any(|start| self.from(words, start, 0))
    }

    /// Whether steps `step..` match with step `step` at exactly `at`.
    fn from(&self, words: &[String], at: usize, step: usize) -> bool {
        let Some(current) = self.steps.get(step) else {
            return true;
        };
        current.alternatives.iter().any(|alt| {
            let end = at + alt.len();
            end <= words.len()
                && alt.iter().zip(&words[at..end]).all(|(u, w)| u.matches(w))
                && match self.steps.get(step + 1) {
                    None => !self.at_end || end == words.len(),
                    Some(next) => (end..=end + next.gap)
                        .take_while(|p| *p < words.len())
                        .any(|p| self.from(words, p, step + 1)),
                }
        })
    }
}

/// The units of one `+`-separated part: `#n`, `word*`, or a word that may
/// fold into several (`gen-z` → `gen`, `z`).
fn units_of(part: &str) -> Vec<Unit> {
    if part == "#n" {
        return vec![Unit::Number];
    }
    if let Some(inner) = part
        .strip_prefix('*')
        .and_then(|p| p.strip_suffix('*'))
        .filter(|p| !p.is_empty())
    {
        let folded: String = policy_words(inner).concat();
        return if folded.is_empty() {
            Vec::new()
        } else {
            vec![Unit::Infix(folded)]
        };
    }
    let (body, prefix) = match part.strip_suffix('*') {
        Some(body) => (body, true),
        None => (part, false),
    };
    let words = policy_words(body);
    let last = words.len().saturating_sub(1);
    words
        .into_iter()
        .enumerate()
        .map(|(i, w)| {
            if prefix && i == last {
                Unit::Prefix(w)
            } else {
                Unit::Exact(w)
            }
        })
        .collect()
}

/// Word positions covered by any occurrence of `pattern`, for masking
/// neutral phrases (`race condition`, `child process`).
pub(crate) fn mask(pattern: &Pattern, words: &mut [String]) {
    // Neutral patterns are plain word runs without gaps, so an occurrence
    // spans exactly as many words as it has steps of one unit each.
    let width: usize = pattern
        .steps
        .iter()
        .map(|s| s.alternatives.iter().map(Vec::len).max().unwrap_or(1))
        .sum();
    let mut i = 0;
    while i < words.len() {
        if pattern.from(words, i, 0) {
            for w in words.iter_mut().skip(i).take(width) {
                w.clear();
            }
            i += width;
        } else {
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(pattern: &str, text: &str) -> bool {
        Pattern::parse(pattern).unwrap().is_in(&policy_words(text))
    }

    #[test]
    fn words_fold_case_width_accents_and_apostrophes() {
        assert_eq!(
            policy_words("ＳＴＲＯＮＧ  Hi\u{200B}re! Don’t café"),
            ["strong", "hire", "dont", "cafe"]
        );
    }

    #[test]
    fn steps_prefixes_gaps_and_numbers() {
        assert!(hit("strong hire", "A STRONG-hire."));
        assert!(!hit("strong hire", "strong, well-documented hire process"));
        assert!(hit(
            "recommend* ~3 hir*",
            "I would recommend that we hire her"
        ));
        assert!(!hit("recommend* ~1 hir*", "I recommend that we hire her"));
        assert!(!hit("#n out of 5|10", "four out of five"));
        assert!(hit("#n out of five|ten", "four out of five"));
        assert!(hit("#n out of 5|10", "8 out of 10"));
        assert!(hit("gen+z", "a Gen-Z hire"));
        assert!(hit("*录用*", "建议录用该候选人"));
        assert!(!hit("*录用*", "建议使用该方案"));
        assert!(!hit("hire", "hiring"));
    }

    #[test]
    fn anchors_tie_a_pattern_to_the_sentence_ends() {
        assert!(hit("^ hire $", "Hire!"));
        assert!(!hit("^ hire $", "Hire more engineers."));
        assert!(!hit("^ hire $", "We will hire."));
        assert!(hit("^ hire", "Hire more engineers."));
        assert!(hit("highly recommended $", "Highly recommended."));
        assert!(!hit(
            "highly recommended $",
            "Highly recommended to use TLS."
        ));
        assert!(hit("^ ~1 highly recommend $", "I highly recommend."));
        assert!(!hit(
            "^ ~1 highly recommended $",
            "TLS is highly recommended."
        ));
    }

    #[test]
    fn bad_patterns_are_config_errors() {
        for bad in [
            "", "~2", "a ~x b", "a ~2", "a||b", "^", "^ $", "a ^ b", "a $ b",
        ] {
            assert!(
                matches!(Pattern::parse(bad), Err(Error::Config(_))),
                "{bad}"
            );
        }
        assert!(Pattern::phrase("  !! ").is_err());
    }

    #[test]
    fn masking_blanks_neutral_phrases() {
        let mut words = policy_words("a race condition in the race");
        mask(&Pattern::parse("race condition*").unwrap(), &mut words);
        assert_eq!(words, ["a", "", "", "in", "the", "race"]);
    }
}

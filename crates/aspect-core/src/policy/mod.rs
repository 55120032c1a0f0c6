//! The content policy: what a summary may not say, enforced on the output
//! of any summarizer.
//!
//! A note about a person lands in the customer's system of record, so the
//! policy does not trust a prompt to keep a model in line: it reads what
//! came back and removes
//!
//! - **hiring recommendations and decisions** ("strong hire", "no hire",
//!   "I'd recommend advancing her", "should hire", "a great hire"),
//!   verdicts without the word ("she should get the job", "he should be
//!   rejected", "passed the interview", "below the hiring bar"), votes
//!   ("I'm a yes", "a no from me", "she gets my vote") and one-word
//!   verdicts ("Hire.", "Highly recommended.");
//! - **ratings and scores** ("9/10", "4 out of 5", "★★★★☆", "overall
//!   rating: strong", "Grade: A") and rankings against other people ("top
//!   5% of candidates", "outperformed every other candidate");
//! - **statements about protected characteristics**: age (a bare age,
//!   retirement), sex or gender, pregnancy or family status (children,
//!   grandchildren, childcare), marital status, race, ethnicity, national
//!   origin (nationality, "originally from"), religion, disability or
//!   health and sexual orientation;
//! - **"culture fit" judgements** ("great culture fit", "would fit in with
//!   the team").
//!
//! In an overview the offending *sentence* is dropped and the rest kept;
//! a key point, strength, concern or follow-up that offends is dropped
//! whole, and so is a Q&A pair whose question or answer offends. What was
//! removed is recorded in [`InterviewNotes::policy`] as category, field
//! and count — never the removed text itself, which would keep the
//! statement in the note's data. Note rendering says only what is true:
//! which categories were removed, or that the checked categories were not
//! found.
//!
//! The lists are English, with the common hiring verdicts also in French,
//! German, Spanish, Portuguese, Japanese and Chinese and worded ratings in
//! the first four ([`PolicyCategory::built_in_languages`]); symbolic ratings
//! are caught in any language. A note's footer says which categories were
//! not checked in the note's language rather than claim none were found.
//!
//! Matching ignores case, accents, full-width forms, punctuation and
//! invisible characters, and covers simple inflections (`hire`, `hired`,
//! `hiring`); everyday engineering phrases that share a word with a term
//! ("race condition", "child process", "health check", "foreign key") are
//! left alone. The lists err on the side of removing a sentence.
//!
//! # Where a tenant tightens it
//!
//! [`ContentPolicy::with_term`] adds a plain phrase to a category (an
//! existing one or a tenant's own [`PolicyCategory::Custom`]);
//! [`ContentPolicy::with_pattern`] adds a pattern in the small language of
//! the built-in lists (`word*` prefix, `a|b` alternatives, `~N` up to N
//! words between, `#n` a number, `^` and `$` the sentence's first and last
//! word, `*text*` a word containing `text`). Pass the policy to
//! [`OpenAiConfig::content_policy`](crate::OpenAiConfig::content_policy) or
//! wrap any summarizer in a [`PolicySummarizer`]. The
//! [`Guardrails`] of a request can only switch off recommendations,
//! ratings and culture fit (when a tenant explicitly allows them);
//! protected characteristics are always removed.
//!
//! ```
//! use aspect_interview_core::policy::{ContentPolicy, PolicyCategory};
//!
//! let policy = ContentPolicy::default()
//!     .with_term(PolicyCategory::Custom("salary".into()), "current salary")?;
//! assert_eq!(
//!     policy.violations("Strong hire, 9/10."),
//!     [PolicyCategory::HiringRecommendation, PolicyCategory::RatingOrScore]
//! );
//! assert_eq!(
//!     policy.violation("Her current salary is high."),
//!     Some(PolicyCategory::Custom("salary".into()))
//! );
//! assert_eq!(policy.violation("She has ten years of experience."), None);
//! # Ok::<(), aspect_interview_core::Error>(())
//! ```

mod matcher;
mod rules;

use std::sync::Arc;

use futures::future::BoxFuture;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::summary::{Guardrails, InterviewNotes, Summarizer, SummaryRequest};
use matcher::{Pattern, mask, policy_words};

/// Why a statement was removed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PolicyCategory {
    /// A hire / no-hire recommendation or decision.
    HiringRecommendation,
    /// A rating or score of the candidate.
    RatingOrScore,
    /// A statement about a protected characteristic.
    ProtectedCharacteristic,
    /// A "culture fit" judgement.
    CultureFit,
    /// A tenant's own category, by its label.
    Custom(String),
}

impl PolicyCategory {
    /// The languages (BCP 47 primary subtags: `en`, `fr`...) whose wording
    /// the built-in lists of this category cover; `None` for a tenant's
    /// own category, whose terms are whatever the tenant wrote. A note in
    /// another language is not vouched for in this category (its footer
    /// says so), though symbolic ratings ("8/10") are caught in any.
    pub fn built_in_languages(&self) -> Option<&'static [&'static str]> {
        match self {
            PolicyCategory::HiringRecommendation => Some(rules::RECOMMENDATION_LANGUAGES),
            PolicyCategory::RatingOrScore => Some(rules::RATING_LANGUAGES),
            PolicyCategory::ProtectedCharacteristic | PolicyCategory::CultureFit => {
                Some(rules::ENGLISH_ONLY)
            }
            PolicyCategory::Custom(_) => None,
        }
    }

    /// Whether the built-in lists of this category cover `language` (a
    /// BCP 47 tag; only its primary subtag counts).
    pub fn covers_language(&self, language: &str) -> bool {
        let primary = language
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        self.built_in_languages()
            .is_none_or(|languages| languages.contains(&primary.as_str()))
    }

    /// A short human label ("hiring recommendation", ...).
    pub fn label(&self) -> &str {
        match self {
            PolicyCategory::HiringRecommendation => "hiring recommendation",
            PolicyCategory::RatingOrScore => "rating or score",
            PolicyCategory::ProtectedCharacteristic => "statement about a protected characteristic",
            PolicyCategory::CultureFit => "culture-fit judgement",
            PolicyCategory::Custom(label) => label,
        }
    }
}

/// The part of the notes a removal came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum NoteField {
    /// Sentences of the overview.
    Overview,
    /// Key points.
    KeyPoints,
    /// Strengths.
    Strengths,
    /// Concerns.
    Concerns,
    /// Follow-ups.
    FollowUps,
    /// Question-and-answer pairs.
    Qa,
}

/// How many statements of one category were removed from one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemovedContent {
    /// Where they were.
    pub field: NoteField,
    /// Why they were removed.
    pub category: PolicyCategory,
    /// How many (sentences of the overview, items elsewhere). A statement
    /// violating several categories counts once in each.
    pub count: usize,
}

/// What a policy checked and removed. The removed text itself is not kept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyReport {
    /// The categories that were checked.
    #[serde(default)]
    pub checked: Vec<PolicyCategory>,
    /// What was removed, one entry per field and category.
    #[serde(default)]
    pub removed: Vec<RemovedContent>,
}

impl PolicyReport {
    /// Whether nothing was removed.
    pub fn is_clean(&self) -> bool {
        self.removed.is_empty()
    }

    /// Statements of `category` removed, over all fields.
    pub fn removed_count(&self, category: &PolicyCategory) -> usize {
        self.removed
            .iter()
            .filter(|r| &r.category == category)
            .map(|r| r.count)
            .sum()
    }

    /// Categories with removals, in first-removal order.
    pub fn removed_categories(&self) -> Vec<&PolicyCategory> {
        let mut out: Vec<&PolicyCategory> = Vec::new();
        for r in &self.removed {
            if !out.contains(&&r.category) {
                out.push(&r.category);
            }
        }
        out
    }

    /// Adds `other`'s checks and removals to this report.
    pub fn merge(&mut self, other: &PolicyReport) {
        for c in &other.checked {
            if !self.checked.contains(c) {
                self.checked.push(c.clone());
            }
        }
        for r in &other.removed {
            self.record(r.field, r.category.clone(), r.count);
        }
    }

    /// Records `found` against one item of `field`; whether to keep it.
    fn keep(&mut self, field: NoteField, found: Vec<PolicyCategory>) -> bool {
        let keep = found.is_empty();
        for category in found {
            self.record(field, category, 1);
        }
        keep
    }

    fn record(&mut self, field: NoteField, category: PolicyCategory, count: usize) {
        match self
            .removed
            .iter_mut()
            .find(|r| r.field == field && r.category == category)
        {
            Some(entry) => entry.count += count,
            None => self.removed.push(RemovedContent {
                field,
                category,
                count,
            }),
        }
    }
}

#[derive(Debug, Clone)]
struct Rule {
    category: PolicyCategory,
    pattern: Pattern,
}

/// The policy: term lists per category, applied with
/// [`ContentPolicy::apply`]. The default checks every built-in category.
#[derive(Clone)]
pub struct ContentPolicy {
    rules: Vec<Rule>,
    neutral: Vec<Pattern>,
}

impl std::fmt::Debug for ContentPolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The compiled lists are long; their categories and size say enough.
        f.debug_struct("ContentPolicy")
            .field("categories", &self.categories())
            .field("rules", &self.rules.len())
            .finish_non_exhaustive()
    }
}

impl Default for ContentPolicy {
    fn default() -> Self {
        let built_in = [
            (PolicyCategory::HiringRecommendation, rules::RECOMMENDATION),
            (
                PolicyCategory::HiringRecommendation,
                rules::RECOMMENDATION_INTL,
            ),
            (PolicyCategory::RatingOrScore, rules::RATING),
            (PolicyCategory::RatingOrScore, rules::RATING_INTL),
            (PolicyCategory::ProtectedCharacteristic, rules::PROTECTED),
            (PolicyCategory::CultureFit, rules::CULTURE_FIT),
        ];
        let rules = built_in
            .into_iter()
            .flat_map(|(category, list)| {
                list.iter().map(move |source| Rule {
                    category: category.clone(),
                    pattern: Pattern::parse(source).expect("built-in policy pattern"),
                })
            })
            .collect();
        let neutral = rules::NEUTRAL
            .iter()
            .map(|source| Pattern::parse(source).expect("built-in neutral pattern"))
            .collect();
        ContentPolicy { rules, neutral }
    }
}

impl ContentPolicy {
    /// The policy a request's [`Guardrails`] ask for: the default, minus
    /// recommendations and ratings when `allow_recommendation`, minus
    /// culture fit when `allow_trait_inference`. Protected characteristics
    /// stay whatever the guardrails say.
    pub fn for_guardrails(guardrails: Guardrails) -> Self {
        Self::default().relaxed_by(guardrails)
    }

    /// This policy without the categories `guardrails` allow (see
    /// [`ContentPolicy::for_guardrails`]); tenant rules of those categories
    /// go too, custom categories stay.
    pub fn relaxed_by(mut self, guardrails: Guardrails) -> Self {
        self.rules.retain(|r| match r.category {
            PolicyCategory::HiringRecommendation | PolicyCategory::RatingOrScore => {
                !guardrails.allow_recommendation
            }
            PolicyCategory::CultureFit => !guardrails.allow_trait_inference,
            _ => true,
        });
        self
    }

    /// Adds a plain phrase to `category`, matched as whole words in order
    /// (case, accents and punctuation ignored). A phrase with no word is a
    /// [`Error::Config`].
    pub fn with_term(mut self, category: PolicyCategory, phrase: &str) -> Result<Self, Error> {
        self.rules.push(Rule {
            category,
            pattern: Pattern::phrase(phrase)?,
        });
        Ok(self)
    }

    /// Adds a pattern to `category` in the language of the built-in lists
    /// (see the module docs); an invalid pattern is a [`Error::Config`].
    pub fn with_pattern(mut self, category: PolicyCategory, pattern: &str) -> Result<Self, Error> {
        self.rules.push(Rule {
            category,
            pattern: Pattern::parse(pattern)?,
        });
        Ok(self)
    }

    /// The categories this policy checks, in rule order.
    pub fn categories(&self) -> Vec<PolicyCategory> {
        let mut out: Vec<PolicyCategory> = Vec::new();
        for r in &self.rules {
            if !out.contains(&r.category) {
                out.push(r.category.clone());
            }
        }
        out
    }

    /// The first category `text` violates (any of its sentences), if any.
    pub fn violation(&self, text: &str) -> Option<PolicyCategory> {
        self.violations(text).into_iter().next()
    }

    /// Every category `text` violates, each once, in rule order.
    pub fn violations(&self, text: &str) -> Vec<PolicyCategory> {
        let mut out: Vec<PolicyCategory> = Vec::new();
        for sentence in sentences(text) {
            for category in self.sentence_violations(sentence) {
                if !out.contains(&category) {
                    out.push(category);
                }
            }
        }
        out
    }

    fn sentence_violations(&self, sentence: &str) -> Vec<PolicyCategory> {
        let mut words = policy_words(sentence);
        for neutral in &self.neutral {
            mask(neutral, &mut words);
        }
        let mut out: Vec<PolicyCategory> = Vec::new();
        for rule in &self.rules {
            let symbolic =
                rule.category == PolicyCategory::RatingOrScore && has_symbolic_rating(sentence);
            if !out.contains(&rule.category) && (symbolic || rule.pattern.is_in(&words)) {
                out.push(rule.category.clone());
            }
        }
        out
    }

    /// Removes what the policy forbids from `notes` (sentences of the
    /// overview, whole items elsewhere), records it in
    /// [`InterviewNotes::policy`] (merged with earlier applications) and
    /// returns what this application removed.
    pub fn apply(&self, notes: &mut InterviewNotes) -> PolicyReport {
        let mut report = PolicyReport {
            checked: self.categories(),
            removed: Vec::new(),
        };
        let summary = &mut notes.summary;
        let mut kept = Vec::new();
        for sentence in sentences(&summary.overview) {
            let found = self.sentence_violations(sentence);
            if found.is_empty() {
                kept.push(sentence);
            }
            for category in found {
                report.record(NoteField::Overview, category, 1);
            }
        }
        let overview = kept.join(" ");
        summary.overview = overview;
        let lists = [
            (NoteField::KeyPoints, &mut summary.key_points),
            (NoteField::Strengths, &mut summary.strengths),
            (NoteField::Concerns, &mut summary.concerns),
            (NoteField::FollowUps, &mut summary.follow_ups),
        ];
        for (field, points) in lists {
            points.retain(|p| report.keep(field, self.violations(&p.text)));
        }
        notes.qa.retain(|pair| {
            let mut found = self.violations(&pair.question);
            for c in self.violations(&pair.answer_summary) {
                if !found.contains(&c) {
                    found.push(c);
                }
            }
            report.keep(NoteField::Qa, found)
        });
        if !report.is_clean() {
            tracing::info!(
                removed = report.removed.iter().map(|r| r.count).sum::<usize>(),
                "content policy removed statements from the notes"
            );
        }
        notes
            .policy
            .get_or_insert_with(PolicyReport::default)
            .merge(&report);
        report
    }
}

/// `9/10`, `4.5 / 5`, `80/100` (out of 5, 10 or 100, numerator not above
/// it) or two or more rating stars.
fn has_symbolic_rating(text: &str) -> bool {
    if text
        .chars()
        .filter(|c| matches!(c, '★' | '☆' | '⭐'))
        .count()
        >= 2
    {
        return true;
    }
    let folded = crate::terms::fold(text);
    let chars: Vec<char> = folded.chars().collect();
    let is_num = |c: &char| c.is_ascii_digit() || *c == '.';
    // The number ending at `end` (inclusive) and the one starting at
    // `start`, with the index just past it.
    let number_ending = |end: usize| -> Option<f64> {
        let start = (0..=end).rev().take_while(|&i| is_num(&chars[i])).last()?;
        let s: String = chars[start..=end].iter().collect();
        s.trim_matches('.').parse().ok()
    };
    let number_starting = |start: usize| -> Option<(f64, usize)> {
        let end = (start..chars.len())
            .take_while(|&i| is_num(&chars[i]))
            .last()?;
        let s: String = chars[start..=end].iter().collect();
        s.trim_matches('.').parse().ok().map(|v| (v, end + 1))
    };
    for (slash, c) in chars.iter().enumerate() {
        if !matches!(c, '/' | '⁄' | '∕') {
            continue;
        }
        let before = (0..slash).rev().find(|&i| chars[i] != ' ');
        let after = (slash + 1..chars.len()).find(|&i| chars[i] != ' ');
        let (Some(b), Some(a)) = (before, after) else {
            continue;
        };
        let (Some(numerator), Some((denominator, end))) = (number_ending(b), number_starting(a))
        else {
            continue;
        };
        // `4/5/2026` is a date.
        let date_like = chars.get(end) == Some(&'/');
        if [5.0, 10.0, 100.0].contains(&denominator) && numerator <= denominator && !date_like {
            return true;
        }
    }
    false
}

/// Sentences of `text`: split after `.`, `!`, `?`, `;`, `…` followed by
/// whitespace (or the end), after CJK full stops, and at line breaks.
pub(crate) fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let end_here = match c {
            '\n' | '\r' | '。' | '！' | '？' => true,
            '.' | '!' | '?' | ';' | '…' => {
                chars.peek().is_none_or(|(_, next)| next.is_whitespace())
            }
            _ => false,
        };
        if end_here {
            let piece = text[start..i + c.len_utf8()].trim();
            if !piece.is_empty() {
                out.push(piece);
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

/// Any [`Summarizer`] with a [`ContentPolicy`] applied to its output (on
/// top of whatever the inner summarizer applies itself): the way to give
/// one tenant a tighter policy. Works with a concrete summarizer or an
/// `Arc<dyn Summarizer>`.
pub struct PolicySummarizer<S: ?Sized> {
    inner: Arc<S>,
    policy: ContentPolicy,
}

impl<S: Summarizer + ?Sized> PolicySummarizer<S> {
    /// Wraps `inner` (`Arc::new(summarizer)`, or the engine's
    /// `Arc<dyn Summarizer>`).
    pub fn new(inner: Arc<S>, policy: ContentPolicy) -> Self {
        PolicySummarizer { inner, policy }
    }

    /// The policy applied.
    pub fn policy(&self) -> &ContentPolicy {
        &self.policy
    }
}

impl<S: ?Sized> Clone for PolicySummarizer<S> {
    fn clone(&self) -> Self {
        PolicySummarizer {
            inner: Arc::clone(&self.inner),
            policy: self.policy.clone(),
        }
    }
}

impl<S: Summarizer + ?Sized> std::fmt::Debug for PolicySummarizer<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PolicySummarizer")
            .field("inner", &self.inner.name())
            .field("categories", &self.policy.categories())
            .finish()
    }
}

impl<S: Summarizer + ?Sized> Summarizer for PolicySummarizer<S> {
    fn name(&self) -> String {
        self.inner.name()
    }

    fn summarize<'a>(
        &'a self,
        request: &'a SummaryRequest<'_>,
    ) -> BoxFuture<'a, Result<InterviewNotes, Error>> {
        Box::pin(async move {
            let mut notes = self.inner.summarize(request).await?;
            self.policy
                .clone()
                .relaxed_by(request.guardrails)
                .apply(&mut notes);
            Ok(notes)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbolic_ratings() {
        for yes in ["Rating 9/10.", "8.5 / 10", "4/5", "★★★★☆", "80/100 overall"] {
            assert!(has_symbolic_rating(yes), "{yes}");
        }
        for no in [
            "24/7 on call",
            "50/50 split",
            "3/4 of traffic",
            "the 1/2 mark",
            "12/05/2026",
        ] {
            assert!(!has_symbolic_rating(no), "{no}");
        }
    }

    #[test]
    fn sentences_split_on_terminators_not_decimals() {
        assert_eq!(
            sentences("Rated 8.5 overall. Good! Then; more\nlast"),
            ["Rated 8.5 overall.", "Good!", "Then;", "more", "last"]
        );
        assert_eq!(sentences("一。二"), ["一。", "二"]);
    }
}

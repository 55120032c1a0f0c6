//! Scoring of a summarizer against the annotated evaluation set in this
//! directory. Shared by `tests/evaluation.rs` (which asserts the targets)
//! and `benches/eval.rs` (which prints the figures), through `#[path]`.
//!
//! Each `<name>.json` names its transcript and lists the interview
//! questions (a verbatim span of the question) with the candidate's
//! answer (a verbatim span: the first substantive sentence of the answer,
//! after any greeting).
//!
//! - A detected question is **correct** when its text contains an
//!   annotated question span (compared on letters and digits only, case
//!   folded). A model that rephrases also matches when the cited utterance
//!   contains the span and the rephrasing keeps at least 60% of its words.
//! - **Precision** = correct detected questions / detected questions;
//!   **recall** = annotated questions found / annotated questions.
//! - An answer is **right** when its evidence contains the annotated
//!   answer span — the extractive answer summary (it quotes), or for an
//!   LLM the text of the cited utterances — and, when the annotation names
//!   the candidate, it is attributed to the candidate.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use aspect_interview_core::{InterviewNotes, QaPair, SummaryRequest, Transcript};
use serde::Deserialize;

/// One annotated transcript.
#[derive(Debug, Deserialize)]
pub struct Case {
    /// File name of the transcript, next to the annotation.
    pub transcript: String,
    /// What the case exercises (panel, unlabelled, long...).
    pub kind: String,
    /// Expected BCP 47 language.
    pub language: String,
    /// The candidate's speaker label, when the transcript labels speakers.
    #[serde(default)]
    pub candidate: Option<String>,
    /// Interviewer names known from the ATS, passed to the request.
    #[serde(default)]
    pub interviewers: Vec<String>,
    /// The interview questions and answers, in order.
    pub qa: Vec<GoldQa>,
}

/// An annotated question and the start of its answer.
#[derive(Debug, Deserialize)]
pub struct GoldQa {
    /// Verbatim span of the question.
    pub question: String,
    /// Verbatim span of the candidate's answer.
    pub answer: String,
}

/// A case with its parsed transcript.
#[derive(Debug)]
pub struct Loaded {
    /// The annotation's file stem.
    pub name: String,
    /// The annotation.
    pub case: Case,
    /// The parsed transcript.
    pub transcript: Transcript,
}

impl Loaded {
    /// The summary request for this case.
    pub fn request(&self) -> SummaryRequest<'_> {
        let request = SummaryRequest::new(&self.transcript);
        if self.case.interviewers.is_empty() {
            request
        } else {
            request.with_interviewer_names(&self.case.interviewers)
        }
    }
}

/// The directory holding the evaluation set.
pub fn eval_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("eval")
}

/// Loads every case, sorted by name.
pub fn load_all() -> Result<Vec<Loaded>, String> {
    let dir = eval_dir();
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|path| {
            let read =
                |p: &Path| std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()));
            let case: Case = serde_json::from_str(&read(&path)?)
                .map_err(|e| format!("{}: {e}", path.display()))?;
            let transcript = Transcript::parse(&read(&dir.join(&case.transcript))?)
                .map_err(|e| format!("{}: {e}", case.transcript))?;
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            Ok(Loaded {
                name,
                case,
                transcript,
            })
        })
        .collect()
}

/// Where an answer's evidence is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// The answer summary (extractive: quoted text).
    Summary,
    /// The text of the cited answer utterances (LLM: paraphrased summary).
    Citations,
}

/// Counts for one or more cases.
#[derive(Debug, Clone, Copy, Default)]
pub struct Score {
    /// Questions the summarizer reported.
    pub detected: usize,
    /// Of those, how many match an annotated question.
    pub correct: usize,
    /// Annotated questions.
    pub gold: usize,
    /// Annotated questions found.
    pub found: usize,
    /// Found questions whose answer is right.
    pub answers_right: usize,
    /// Cases whose detected language is the annotated one.
    pub language_right: usize,
    /// Cases where the summarizer reported a language at all.
    pub language_reported: usize,
    /// Cases.
    pub cases: usize,
}

impl Score {
    /// Correct / detected (1 when nothing was detected and nothing was
    /// expected).
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.detected, self.gold == 0)
    }

    /// Found / annotated.
    pub fn recall(&self) -> f64 {
        ratio(self.found, self.gold, true)
    }

    /// Right answers / found questions; `None` when no question was
    /// found, so there is no answer to judge.
    pub fn answer_accuracy(&self) -> Option<f64> {
        (self.found > 0).then(|| ratio(self.answers_right, self.found, true))
    }

    /// Adds `other` into `self`.
    pub fn add(&mut self, other: &Score) {
        self.detected += other.detected;
        self.correct += other.correct;
        self.gold += other.gold;
        self.found += other.found;
        self.answers_right += other.answers_right;
        self.language_right += other.language_right;
        self.language_reported += other.language_reported;
        self.cases += other.cases;
    }
}

fn ratio(n: usize, d: usize, empty_is_perfect: bool) -> f64 {
    if d == 0 {
        if empty_is_perfect { 1.0 } else { 0.0 }
    } else {
        n as f64 / d as f64
    }
}

/// Letters and digits only, case-folded: spacing, punctuation and
/// full-width forms do not decide a match.
pub fn norm(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn norm_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn question_matches(loaded: &Loaded, pair: &QaPair, gold: &GoldQa) -> bool {
    let span = norm(&gold.question);
    if norm(&pair.question).contains(&span) {
        return true;
    }
    let cited = loaded
        .transcript
        .utterance(pair.question_citation.utterance)
        .map(|u| norm(&u.text))
        .unwrap_or_default();
    let gold_words = norm_words(&gold.question);
    let said = norm_words(&pair.question);
    let kept = gold_words.iter().filter(|w| said.contains(w)).count();
    cited.contains(&span) && !gold_words.is_empty() && kept * 10 >= gold_words.len() * 6
}

fn answer_right(loaded: &Loaded, pair: &QaPair, gold: &GoldQa, evidence: Evidence) -> bool {
    let text = match evidence {
        Evidence::Summary => pair.answer_summary.clone(),
        Evidence::Citations => pair
            .answer_citations
            .iter()
            .filter_map(|c| loaded.transcript.utterance(c.utterance))
            .map(|u| u.text.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    };
    let by_candidate = match (&loaded.case.candidate, &pair.answered_by) {
        (Some(expected), Some(got)) => expected == got,
        (Some(_), None) => false,
        (None, _) => true,
    };
    by_candidate && norm(&text).contains(&norm(&gold.answer))
}

/// Scores `notes` against the case.
pub fn score(loaded: &Loaded, notes: &InterviewNotes, evidence: Evidence) -> Score {
    let gold = &loaded.case.qa;
    let mut found = vec![false; gold.len()];
    let mut answered = vec![false; gold.len()];
    let mut correct = 0;
    for pair in &notes.qa {
        let mut matched = false;
        for (i, g) in gold.iter().enumerate() {
            if !found[i] && question_matches(loaded, pair, g) {
                found[i] = true;
                answered[i] = answer_right(loaded, pair, g, evidence);
                matched = true;
            }
        }
        if matched {
            correct += 1;
        }
    }
    Score {
        detected: notes.qa.len(),
        correct,
        gold: gold.len(),
        found: found.iter().filter(|f| **f).count(),
        answers_right: answered.iter().filter(|a| **a).count(),
        language_right: usize::from(notes.language.as_deref() == Some(&loaded.case.language)),
        language_reported: usize::from(notes.language.is_some()),
        cases: 1,
    }
}

/// What went wrong in a case, for diagnosis: questions detected that
/// match nothing, annotated questions missed, and wrong answers.
pub fn misses(loaded: &Loaded, notes: &InterviewNotes, evidence: Evidence) -> Vec<String> {
    let mut out = Vec::new();
    for pair in &notes.qa {
        if !loaded
            .case
            .qa
            .iter()
            .any(|g| question_matches(loaded, pair, g))
        {
            out.push(format!("extra question: {:?}", pair.question));
        }
    }
    for g in &loaded.case.qa {
        match notes.qa.iter().find(|p| question_matches(loaded, p, g)) {
            None => out.push(format!("missed question: {:?}", g.question)),
            Some(p) if !answer_right(loaded, p, g, evidence) => out.push(format!(
                "wrong answer to {:?}: {:?} by {:?}",
                g.question, p.answer_summary, p.answered_by
            )),
            Some(_) => {}
        }
    }
    out
}

/// A table row.
pub fn row(name: &str, s: &Score) -> String {
    let answers = s
        .answer_accuracy()
        .map_or_else(|| "-".to_owned(), |a| format!("{a:.2}"));
    format!(
        "{name:<16} {:>4} {:>4} {:>9.2} {:>6.2} {:>8}",
        s.gold,
        s.detected,
        s.precision(),
        s.recall(),
        answers
    )
}

/// The table header matching [`row`].
pub fn header() -> String {
    format!(
        "{:<16} {:>4} {:>4} {:>9} {:>6} {:>8}",
        "case", "gold", "det", "precision", "recall", "answers"
    )
}

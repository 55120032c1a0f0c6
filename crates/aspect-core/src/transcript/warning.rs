//! Warnings: what a parser skipped or repaired while still returning a
//! transcript. Real exports have broken cues; a note built from the rest is
//! worth more than no note, but the caller should be able to see what was
//! lost.

use serde::{Deserialize, Serialize};

/// Where in the source file something was found.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SourcePosition {
    /// A 1-based line number (WebVTT, SRT, SBV, Zoom text).
    Line(usize),
    /// A JSON field path such as `results[2].alternatives[0]`.
    JsonPath(String),
}

impl std::fmt::Display for SourcePosition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SourcePosition::Line(line) => write!(f, "line {line}"),
            SourcePosition::JsonPath(path) => write!(f, "`{path}`"),
        }
    }
}

/// Something the parser skipped (a malformed cue, a block without timing)
/// or repaired (a NUL character), with where and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ParseWarning {
    /// Where the skipped or repaired content starts.
    pub position: SourcePosition,
    /// What was wrong and what the parser did about it.
    pub reason: String,
}

impl ParseWarning {
    /// A warning about a line of a text format.
    pub fn at_line(line: usize, reason: impl Into<String>) -> Self {
        ParseWarning {
            position: SourcePosition::Line(line),
            reason: reason.into(),
        }
    }

    /// A warning about a JSON field.
    pub fn at_path(path: impl Into<String>, reason: impl Into<String>) -> Self {
        ParseWarning {
            position: SourcePosition::JsonPath(path.into()),
            reason: reason.into(),
        }
    }

    /// The 1-based line, when the position is a line.
    pub fn line(&self) -> Option<usize> {
        match self.position {
            SourcePosition::Line(line) => Some(line),
            SourcePosition::JsonPath(_) => None,
        }
    }
}

impl std::fmt::Display for ParseWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.position, self.reason)
    }
}

//! The crate's one error type.

use crate::meeting::MeetingState;

/// Longest body snippet kept in an [`Error::Api`], in bytes.
pub const BODY_SNIPPET_LIMIT: usize = 512;

/// Everything that can go wrong in this crate.
///
/// No variant ever holds an API key: the summarizer backend keeps its key in
/// a [`secrecy::SecretString`] and only ever puts it in a request header.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A transcript could not be parsed; `line` is 1-based.
    #[error("{format} transcript, line {line}: {message}")]
    Parse {
        /// Format being parsed (e.g. `WebVTT`).
        format: &'static str,
        /// 1-based line number where the problem was found.
        line: usize,
        /// What was wrong.
        message: String,
    },
    /// A JSON document had the wrong shape; `path` names the field.
    #[error("{format} JSON at `{path}`: {message}")]
    Json {
        /// Format being parsed (e.g. `Deepgram`).
        format: &'static str,
        /// Field path such as `results.utterances[3].start`.
        path: String,
        /// What was wrong.
        message: String,
    },
    /// A meeting was asked to make a lifecycle transition it may not make.
    #[error("illegal meeting transition from `{from}` to `{to}`")]
    IllegalTransition {
        /// State the meeting was in.
        from: MeetingState,
        /// State that was requested.
        to: MeetingState,
    },
    /// The summarizer service answered with a non-success HTTP status.
    #[error("summarizer API returned HTTP {status}{}", message.as_deref().map(|m| format!(": {m}")).unwrap_or_default())]
    Api {
        /// HTTP status code.
        status: u16,
        /// The API's own error message, when the body carried one.
        message: Option<String>,
        /// The start of the response body (at most [`BODY_SNIPPET_LIMIT`] bytes).
        body_snippet: String,
        /// `Retry-After` in seconds, when the server sent one.
        retry_after_secs: Option<u64>,
    },
    /// The request did not complete (connection refused, reset, TLS, ...).
    #[error("summarizer request failed: {message}")]
    Transport {
        /// Description of the failure.
        message: String,
        /// True when the connection was never established, so the request
        /// provably was not sent.
        connect: bool,
    },
    /// The request took longer than the configured timeout.
    #[error("summarizer request timed out")]
    Timeout,
    /// The model answered, but not with the structured output we asked for.
    #[error("model output is not a valid summary: {message}")]
    ModelOutput {
        /// What was wrong (with the JSON path where there is one).
        message: String,
        /// The start of the model's output (bounded like a body snippet).
        snippet: String,
    },
    /// The model declined to answer.
    #[error("model refused: {0}")]
    Refusal(String),
    /// A configuration value is unusable.
    #[error("invalid configuration: {0}")]
    Config(String),
}

impl Error {
    /// Whether repeating the same call may succeed: throttling, server-side
    /// failures, timeouts and transport errors.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api { status, .. } => *status == 408 || *status == 429 || *status >= 500,
            Error::Transport { .. } | Error::Timeout => true,
            _ => false,
        }
    }

    pub(crate) fn parse(format: &'static str, line: usize, message: impl Into<String>) -> Self {
        Error::Parse {
            format,
            line,
            message: message.into(),
        }
    }
}

/// Cuts `text` to at most `max_bytes` bytes on a character boundary.
// Only the OpenAI summarizer quotes response bodies.
#[cfg_attr(not(feature = "openai"), allow(dead_code))]
pub(crate) fn snippet(text: &str, max_bytes: usize) -> String {
    if text.len() <= max_bytes {
        return text.to_owned();
    }
    let mut end = max_bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_cuts_on_char_boundary() {
        let text = "ééé"; // 6 bytes
        assert_eq!(snippet(text, 3), "é");
        assert_eq!(snippet(text, 6), "ééé");
        assert_eq!(snippet("abc", 0), "");
    }

    #[test]
    fn retryable_classification() {
        let api = |status| Error::Api {
            status,
            message: None,
            body_snippet: String::new(),
            retry_after_secs: None,
        };
        assert!(api(429).is_retryable());
        assert!(api(503).is_retryable());
        assert!(!api(400).is_retryable());
        assert!(!api(401).is_retryable());
        assert!(Error::Timeout.is_retryable());
        assert!(!Error::Refusal("no".into()).is_retryable());
        assert!(!Error::parse("WebVTT", 3, "bad").is_retryable());
    }

    #[test]
    fn parse_error_names_line() {
        let err = Error::parse("SRT", 12, "bad timing");
        assert_eq!(err.to_string(), "SRT transcript, line 12: bad timing");
    }
}

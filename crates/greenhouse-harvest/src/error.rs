//! The crate's single error type.
//!
//! Every variant keeps what a caller needs to decide what to do next (HTTP
//! status, Greenhouse's own message, a bounded body snippet) and nothing
//! secret: token-endpoint bodies are scrubbed of the client secret and tokens
//! before they are stored (see `auth.rs`).

use std::time::Duration;

/// Longest body excerpt kept in an error, in bytes.
pub(crate) const SNIPPET_LIMIT: usize = 512;

/// A boxed error, what a [`TokenStore`](crate::TokenStore) returns (as in `lever-client`).
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Result alias used throughout the crate (the same alias `lever-client` exports).
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong when talking to Greenhouse or checking a webhook.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Greenhouse answered with a non-success status that has no more specific variant.
    #[error("Greenhouse API error {status}: {}", message.as_deref().unwrap_or("(no message)"))]
    Api {
        /// HTTP status code.
        status: u16,
        /// Greenhouse's `message` field, when the body had one.
        message: Option<String>,
        /// Entries of Greenhouse's `errors` array (strings, or `message` of `{message, field}` objects).
        details: Vec<String>,
        /// The start of the response body (at most 512 bytes).
        body_snippet: String,
    },

    /// HTTP 429: the rate-limit window's budget is spent.
    #[error("rate limited by Greenhouse (retry after {retry_after:?})")]
    RateLimited {
        /// The `Retry-After` delay, when the response carried one.
        retry_after: Option<Duration>,
        /// The start of the response body.
        body_snippet: String,
    },

    /// The token endpoint rejected the client id / client secret (`invalid_client`).
    #[error("Greenhouse rejected the OAuth client credentials (invalid_client): {message}")]
    InvalidClient {
        /// What the token endpoint said, scrubbed of secrets.
        message: String,
    },

    /// The refresh token has lapsed (24 hours without use) or was rotated away:
    /// the customer must connect the integration again.
    #[error("the Greenhouse refresh token has lapsed; the customer must reconnect the integration")]
    ReauthorizationRequired {
        /// What the token endpoint said, scrubbed of secrets (empty when the lapse was detected locally).
        message: String,
    },

    /// The credentials lack a scope the call needs.
    #[error("the Greenhouse credentials lack the scope `{scope}`")]
    MissingScope {
        /// The missing scope, e.g. `harvest:notes:create`.
        scope: String,
        /// Greenhouse's message, when there was one.
        message: Option<String>,
    },

    /// HTTP 401 even with a freshly issued token: the credentials or the
    /// connection were revoked or disabled in Greenhouse.
    #[error("Greenhouse refused the access token (revoked or disabled credentials): {}", message.as_deref().unwrap_or("401"))]
    Unauthorized {
        /// Greenhouse's message, when there was one.
        message: Option<String>,
    },

    /// Another OAuth error from the token endpoint (RFC 6749 §5.2).
    #[error("OAuth error from Greenhouse ({status}): {error}{}", description.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    OAuth {
        /// HTTP status code.
        status: u16,
        /// The `error` code, or `message` when Greenhouse sent that shape instead.
        error: String,
        /// The `error_description`, when present.
        description: Option<String>,
    },

    /// A response body did not match the expected shape.
    #[error("could not decode the Greenhouse response at `{path}`: {message}")]
    Decode {
        /// JSON path of the offending field (e.g. `[3].email_addresses[0].value`).
        path: String,
        /// What serde reported.
        message: String,
        /// The start of the body.
        body_snippet: String,
    },

    /// One record of a list page did not match its model. Streams yield this
    /// in the record's place and go on with the next record; one-page calls
    /// put it in [`Page::skipped`](crate::Page::skipped) instead.
    #[error(transparent)]
    Record(#[from] crate::pagination::RecordError),

    /// The request never produced an HTTP response (DNS, connect, TLS, timeout, reset).
    #[error("transport error talking to Greenhouse{}: {message}", if *.connect { " (connection not established)" } else { "" })]
    Transport {
        /// `true` when the connection was never established, so the request
        /// provably was not sent (the only case in which a POST is retried).
        connect: bool,
        /// `true` when the request timed out.
        timeout: bool,
        /// Description of the failure.
        message: String,
        /// The underlying error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },

    /// The `Signature` header is missing, malformed, uses another algorithm, or does not match.
    #[error("webhook signature verification failed: {reason}")]
    InvalidSignature {
        /// Why the check failed (never contains the secret or the expected digest).
        reason: &'static str,
    },

    /// A verified webhook body is not valid JSON of the expected shape.
    #[error("invalid webhook payload at `{path}`: {message}")]
    InvalidWebhookPayload {
        /// JSON path of the offending field.
        path: String,
        /// What serde reported.
        message: String,
    },

    /// A value given to the client was unusable (bad base URL, more than 50 ids, ...).
    #[error("invalid configuration or argument: {0}")]
    Config(String),

    /// The pluggable token store failed.
    #[error("OAuth token store failed")]
    TokenStore {
        /// The store's error.
        #[source]
        source: BoxError,
    },
}

impl Error {
    /// Whether retrying the same (idempotent) request later may succeed:
    /// transport failures, 408, 429 and 5xx.
    ///
    /// A note POST is *not* retried on these: see [`crate::HarvestClient::create_note`].
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport { .. } | Error::RateLimited { .. } => true,
            Error::Api { status, .. } => *status == 408 || (500..=599).contains(status),
            _ => false,
        }
    }

    /// Whether the error means the integration must be re-authorised or
    /// re-configured (bad credentials, lapsed refresh token, missing scope, revoked access).
    pub fn is_auth(&self) -> bool {
        matches!(
            self,
            Error::InvalidClient { .. }
                | Error::ReauthorizationRequired { .. }
                | Error::MissingScope { .. }
                | Error::Unauthorized { .. }
                | Error::OAuth { .. }
        )
    }

    /// The HTTP status code, when the error came from an HTTP response.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } | Error::OAuth { status, .. } => Some(*status),
            Error::RateLimited { .. } => Some(429),
            Error::Unauthorized { .. } => Some(401),
            _ => None,
        }
    }

    /// The server-requested delay of a 429, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// For a write (the note POST): whether Greenhouse may have applied it
    /// despite the error, so posting again could duplicate it. `true` for
    /// 5xx, timeouts and other failures after the request was sent, and for
    /// an unreadable success body; `false` for refusals (4xx, 429, auth
    /// errors) and for connections that were never established.
    pub fn may_have_been_applied(&self) -> bool {
        match self {
            Error::Transport { connect, .. } => !connect,
            Error::Api { status, .. } => *status >= 500,
            Error::Decode { .. } => true,
            _ => false,
        }
    }

    /// `true` for a single malformed record of a list ([`Error::Record`]):
    /// the list itself goes on, so a caller may log it and keep reading.
    pub fn is_record(&self) -> bool {
        matches!(self, Error::Record(_))
    }

    /// `true` when the request provably never reached Greenhouse.
    pub fn is_connect(&self) -> bool {
        matches!(self, Error::Transport { connect: true, .. })
    }

    pub(crate) fn transport(err: reqwest::Error) -> Self {
        // Drop the URL: ours never carry secrets (tokens travel in headers or
        // form bodies) but list filters can carry personal data (`email=`).
        let err = err.without_url();
        Error::Transport {
            connect: err.is_connect(),
            timeout: err.is_timeout(),
            message: err.to_string(),
            source: Box::new(err),
        }
    }

    pub(crate) fn decode(err: serde_path_to_error::Error<serde_json::Error>, body: &[u8]) -> Self {
        Error::Decode {
            path: err.path().to_string(),
            message: err.inner().to_string(),
            body_snippet: snippet(body),
        }
    }
}

/// The first [`SNIPPET_LIMIT`] bytes of `body` as text, cut on a char boundary.
pub(crate) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    if text.len() <= SNIPPET_LIMIT {
        return text.into_owned();
    }
    let mut end = SNIPPET_LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// Greenhouse's error bodies come as `{message}`, `{message, errors: [..]}` or
/// `{errors: [..]}`, with `errors` holding strings or `{message, field}` objects
/// (research notes §2.5). This pulls out what is there without ever failing.
pub(crate) fn parse_error_body(body: &[u8]) -> (Option<String>, Vec<String>) {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return (None, Vec::new());
    };
    let message = value
        .get("message")
        .and_then(|m| m.as_str())
        .map(str::to_owned);
    let details = value
        .get("errors")
        .and_then(|e| e.as_array())
        .map(|items| {
            items
                .iter()
                .filter_map(|item| match item {
                    serde_json::Value::String(s) => Some(s.clone()),
                    serde_json::Value::Object(map) => {
                        let msg = map.get("message").and_then(|m| m.as_str())?;
                        Some(match map.get("field").and_then(|f| f.as_str()) {
                            Some(field) => format!("{field}: {msg}"),
                            None => msg.to_owned(),
                        })
                    }
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    (message, details)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_is_bounded_and_cut_on_a_char_boundary() {
        let body = "é".repeat(400); // 800 bytes, 2 bytes per char
        let s = snippet(body.as_bytes());
        assert!(s.len() <= SNIPPET_LIMIT + '…'.len_utf8());
        assert!(s.ends_with('…'));
        assert!(s.trim_end_matches('…').chars().all(|c| c == 'é'));
    }

    #[test]
    fn error_bodies_of_every_documented_shape_parse() {
        let (m, d) = parse_error_body(
            br#"{"message":"Validation error","errors":[{"message":"Must be one of: candidate, prospect","field":"type"}]}"#,
        );
        assert_eq!(m.as_deref(), Some("Validation error"));
        assert_eq!(d, vec!["type: Must be one of: candidate, prospect"]);
        let (m, d) = parse_error_body(
            br#"{"errors":["When passing a cursor, do not include other query params."]}"#,
        );
        assert_eq!(m, None);
        assert_eq!(d.len(), 1);
        let (m, d) = parse_error_body(b"<html>bad gateway</html>");
        assert_eq!((m, d.len()), (None, 0));
    }

    #[test]
    fn retryability_follows_the_status() {
        let api = |status| Error::Api {
            status,
            message: None,
            details: vec![],
            body_snippet: String::new(),
        };
        assert!(api(503).is_retryable());
        assert!(api(408).is_retryable());
        assert!(!api(422).is_retryable());
        assert!(!api(404).is_retryable());
        let rl = Error::RateLimited {
            retry_after: Some(Duration::from_secs(3)),
            body_snippet: String::new(),
        };
        assert!(rl.is_retryable());
        assert_eq!(rl.retry_after(), Some(Duration::from_secs(3)));
        assert!(
            Error::MissingScope {
                scope: "harvest:notes:create".into(),
                message: None
            }
            .is_auth()
        );
    }
}

//! The crate's single error type.

use std::time::Duration;

/// A boxed error source, so foreign crates' error types stay out of the public API.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The crate's result type (the same alias `greenhouse-harvest` exports).
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Maximum size of a response body kept in an error, in bytes.
pub(crate) const SNIPPET_LIMIT: usize = 512;

/// Everything that can go wrong when talking to Lever or verifying its webhooks.
///
/// No variant ever contains the API key, an OAuth token, the client secret or a webhook
/// signature token: they are kept in [`secrecy::SecretString`]s and never formatted.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Lever answered with a non-success status (other than 401).
    #[error(
        "Lever API error: HTTP {status}{}{}",
        fmt_opt(" ", code),
        fmt_opt(": ", message)
    )]
    Api {
        /// HTTP status code.
        status: u16,
        /// Lever's error `code` (for example `ResourceNotFound`), when the body had one.
        code: Option<String>,
        /// Lever's error `message`, when the body had one.
        message: Option<String>,
        /// The start of the response body (at most 512 bytes), even when it was not JSON.
        body_snippet: String,
        /// The `Retry-After` delay the server asked for, if any.
        retry_after: Option<Duration>,
    },
    /// Lever rejected the credentials with HTTP 401: the API key is invalid or deleted, or the
    /// customer revoked the OAuth app's access ("Revoke Access" in Lever's settings). Never retried;
    /// stop calling and ask the customer to reconnect.
    #[error(
        "Lever rejected the credentials (HTTP 401): the API key is invalid or access was revoked{}",
        fmt_opt(": ", message)
    )]
    Revoked {
        /// Lever's error message, if the body had one.
        message: Option<String>,
    },
    /// The OAuth connection can no longer be refreshed and the user must run the
    /// authorization flow again.
    #[error("the Lever OAuth connection must be re-authorized: {reason}")]
    ReconnectRequired {
        /// Why the connection cannot continue.
        reason: ReconnectReason,
    },
    /// The OAuth token endpoint failed in a way that is not a rejected grant.
    #[error("Lever OAuth token endpoint error{}{}{}", status.map(|s| format!(": HTTP {s}")).unwrap_or_default(), fmt_opt(" ", error), fmt_opt(": ", description))]
    OAuth {
        /// HTTP status, if a response arrived.
        status: Option<u16>,
        /// The OAuth `error` code, if any.
        error: Option<String>,
        /// The OAuth `error_description`, if any.
        description: Option<String>,
    },
    /// The connection could not be established, so the request was provably not sent.
    #[error("could not connect to Lever (the request was not sent)")]
    Connect {
        /// The underlying transport error.
        #[source]
        source: BoxError,
    },
    /// The request timed out; it may or may not have been processed by Lever.
    #[error("request to Lever timed out (it may have been processed)")]
    Timeout {
        /// The underlying transport error.
        #[source]
        source: BoxError,
    },
    /// Another transport failure after the request may have been sent.
    #[error("HTTP transport error talking to Lever")]
    Transport {
        /// The underlying transport error.
        #[source]
        source: BoxError,
    },
    /// A response body did not match the expected shape.
    #[error("could not decode Lever response at `{path}`: {message}")]
    Decode {
        /// The JSON path of the offending field, e.g. `data[3].stage`.
        path: String,
        /// What serde reported.
        message: String,
        /// The start of the body (at most 512 bytes).
        body_snippet: String,
    },
    /// One record of a list page did not match its model; the page's other records were
    /// delivered and a list stream goes on after this error (see [`Page`](crate::Page)).
    #[error(
        "Lever list record {index}{} does not decode at `{path}`: {message}",
        fmt_opt(" id ", id)
    )]
    Record {
        /// Position of the record in its page's `data`, from 0.
        index: usize,
        /// The record's `id`, when it has one.
        id: Option<String>,
        /// Serde path of the failing field inside the record.
        path: String,
        /// What serde reported.
        message: String,
    },
    /// The server sent the same pagination token twice; the listing stopped instead of looping.
    #[error("Lever returned an offset token that was already used; pagination stopped")]
    RepeatedCursor,
    /// An argument was rejected before any request was made.
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// The client could not be built.
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// The pluggable OAuth token store failed.
    #[error("OAuth token store failed")]
    TokenStore {
        /// The store's error.
        #[source]
        source: BoxError,
    },
    /// A webhook's signature did not match any configured signature token.
    #[error("webhook signature is missing or does not match")]
    WebhookSignature,
    /// A webhook's `triggeredAt` is older than the accepted window.
    #[error("webhook delivery is too old ({age:?} > {tolerance:?})")]
    WebhookTooOld {
        /// How old the delivery is.
        age: Duration,
        /// The configured window.
        tolerance: Duration,
    },
    /// A webhook's `triggeredAt` lies further in the future than the accepted window.
    #[error("webhook delivery is dated in the future ({ahead:?} > {tolerance:?})")]
    WebhookFromFuture {
        /// How far in the future.
        ahead: Duration,
        /// The configured window.
        tolerance: Duration,
    },
    /// A webhook delivery with this `token` was already accepted (replay).
    #[error("webhook delivery was already received (replayed token)")]
    WebhookReplayed,
    /// A webhook body is not a Lever delivery envelope.
    #[error("malformed webhook delivery: {0}")]
    WebhookMalformed(String),
}

/// Why an OAuth connection needs the user to authorize the app again.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReconnectReason {
    /// The token store holds no tokens for this connection.
    NoTokens,
    /// The refresh token is past Lever's lifetime (one year, or 90 days without use) and was
    /// rejected.
    RefreshTokenExpired,
    /// The last token response carried no refresh token (`offline_access` scope missing).
    NoRefreshToken,
}

impl std::fmt::Display for ReconnectReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::NoTokens => "no tokens stored",
            Self::RefreshTokenExpired => "the refresh token expired (one year, or 90 days idle)",
            Self::NoRefreshToken => "no refresh token (request the offline_access scope)",
        })
    }
}

fn fmt_opt(prefix: &str, value: &Option<String>) -> String {
    value
        .as_deref()
        .map(|v| format!("{prefix}{v}"))
        .unwrap_or_default()
}

impl Error {
    /// Whether retrying the same request later may succeed: throttling (429), server errors
    /// (500, 502, 503, 504), connection failures and timeouts.
    ///
    /// The client itself only retries a non-idempotent request (adding a note) when
    /// [`Error::is_connect`] is true, because only then was it provably not sent.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Api { status, .. } => matches!(status, 429 | 500 | 502 | 503 | 504),
            Self::Connect { .. } | Self::Timeout { .. } | Self::Transport { .. } => true,
            Self::OAuth { status, .. } => status.is_none_or(|s| s >= 500 || s == 429),
            _ => false,
        }
    }

    /// True when the request provably never reached Lever (connection failure).
    pub fn is_connect(&self) -> bool {
        matches!(self, Self::Connect { .. })
    }

    /// True when Lever throttled the request (HTTP 429).
    pub fn is_rate_limited(&self) -> bool {
        matches!(self, Self::Api { status: 429, .. })
    }

    /// True when Lever answered 404 (unknown object or route; a deleted opportunity).
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::Api { status: 404, .. })
    }

    /// True when the customer must reconnect: credentials revoked or OAuth connection lapsed.
    pub fn needs_reconnect(&self) -> bool {
        matches!(self, Self::Revoked { .. } | Self::ReconnectRequired { .. })
    }

    /// The HTTP status of an API error, if this is one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Api { status, .. } => Some(*status),
            Self::Revoked { .. } => Some(401),
            Self::OAuth { status, .. } => *status,
            _ => None,
        }
    }

    /// The `Retry-After` delay Lever asked for, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Api { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    pub(crate) fn from_reqwest(err: reqwest::Error) -> Self {
        // Drop the URL: it can carry personal data (an e-mail filter) and is not needed.
        let connect = err.is_connect();
        let timeout = err.is_timeout();
        let source: BoxError = Box::new(err.without_url());
        if connect {
            Self::Connect { source }
        } else if timeout {
            Self::Timeout { source }
        } else {
            Self::Transport { source }
        }
    }
}

/// The first [`SNIPPET_LIMIT`] bytes of a body as text, cut on a char boundary.
pub(crate) fn body_snippet(body: &[u8]) -> String {
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

/// Deserialize `body` as `T`, naming the failing field path.
pub(crate) fn decode<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    let mut de = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut de).map_err(|e| Error::Decode {
        path: e.path().to_string(),
        message: e.inner().to_string(),
        body_snippet: body_snippet(body),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_is_bounded_and_cut_on_char_boundary() {
        let body = "é".repeat(400); // 800 bytes
        let s = body_snippet(body.as_bytes());
        assert!(s.len() <= SNIPPET_LIMIT + '…'.len_utf8());
        assert!(s.ends_with('…'));
    }

    #[test]
    fn decode_error_names_the_path() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Outer {
            data: Vec<Inner>,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Inner {
            id: String,
        }
        let err = decode::<Outer>(br#"{"data":[{"id":"a"},{"id":5}]}"#).unwrap_err();
        match err {
            Error::Decode {
                path, body_snippet, ..
            } => {
                assert_eq!(path, "data[1].id");
                assert!(body_snippet.contains("\"id\":5"));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn retryable_classification() {
        let api = |status| Error::Api {
            status,
            code: None,
            message: None,
            body_snippet: String::new(),
            retry_after: None,
        };
        assert!(api(429).is_retryable());
        assert!(api(503).is_retryable());
        assert!(!api(404).is_retryable());
        assert!(!Error::Revoked { message: None }.is_retryable());
        assert!(Error::Revoked { message: None }.needs_reconnect());
    }
}

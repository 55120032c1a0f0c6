//! HTTP plumbing shared by the API client and the OAuth calls.

use std::time::Duration;

use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

/// Builds the `reqwest` client used for every call, with the TLS backend the crate's
/// features select (see `tls.rs`: no process-wide rustls provider is read or installed).
pub(crate) fn build_http_client_with(timeout: Duration) -> Result<reqwest::Client> {
    let builder = reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(Duration::from_secs(10))
        .user_agent(concat!("greenhouse-harvest-rs/", env!("CARGO_PKG_VERSION")));
    crate::tls::configure(builder)
        .map_err(Error::Config)?
        .build()
        .map_err(|e| Error::Config(format!("HTTP client: {e}")))
}

/// The client with the default 60-second request timeout.
pub(crate) fn build_http_client() -> Result<reqwest::Client> {
    build_http_client_with(Duration::from_secs(60))
}

/// Deserializes a body, naming the JSON path of the first mismatch.
pub(crate) fn decode_json<T: DeserializeOwned>(body: &[u8]) -> Result<T> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| Error::decode(e, body))
}

/// `Retry-After` in seconds (the form Greenhouse documents, research notes §2.3).
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    let secs: f64 = value.trim().parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs))
}

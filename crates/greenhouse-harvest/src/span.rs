//! The `tracing` span every Harvest request attempt runs in, shared in shape
//! with `lever-client`: `api_request{client, method, route, status, attempt,
//! latency_ms}`. Only the route **template** is recorded (`/applications/{id}/move`),
//! never a concrete id, a query string (which may carry an e-mail filter), a
//! token or a body.

use reqwest::Method;
use tracing::Span;
use tracing::field::Empty;
use url::Url;

/// A new span for one attempt; `status` and `latency_ms` are recorded by [`finish`].
pub(crate) fn api_request(method: &Method, route: &str, attempt: u32) -> Span {
    tracing::info_span!(
        "api_request",
        client = "greenhouse",
        method = %method,
        route = %route,
        status = Empty,
        attempt,
        latency_ms = Empty,
    )
}

/// Records the answer's status and the attempt's latency on `span`.
pub(crate) fn finish(span: &Span, status: u16, started: std::time::Instant) {
    span.record("status", status);
    span.record("latency_ms", started.elapsed().as_millis() as u64);
}

/// The route of `url` below the API root `base`, with every numeric path
/// segment (a record id) replaced by `{id}`; no query string.
pub(crate) fn route_template(base: &Url, url: &Url) -> String {
    let path = url.path();
    let relative = path.strip_prefix(base.path()).unwrap_or(path);
    let segments: Vec<&str> = relative
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            if s.bytes().all(|b| b.is_ascii_digit()) {
                "{id}"
            } else {
                s
            }
        })
        .collect();
    format!("/{}", segments.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_queries_never_reach_the_route() {
        let base = Url::parse("https://harvest.greenhouse.io/v3/").unwrap();
        let at = |p: &str| route_template(&base, &base.join(p).unwrap());
        assert_eq!(at("applications/123/move"), "/applications/{id}/move");
        assert_eq!(at("candidates?email=ada%40example.com"), "/candidates");
        assert_eq!(at("notes"), "/notes");
        assert_eq!(
            at("candidate_tags/7/applied?cursor=abc"),
            "/candidate_tags/{id}/applied"
        );
    }
}

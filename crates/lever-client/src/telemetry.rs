//! The `tracing` span around every API request attempt.
//!
//! Each attempt runs inside an INFO span named `api_request` with the fields `client`
//! (`"lever"`), `method`, `route` (the route **template**, e.g. `/opportunities/{id}/notes`),
//! `attempt` (from 1), and `status` and `latency_ms`, recorded when Lever's answer arrives.
//! `greenhouse-harvest` uses the same span name and fields, so one subscriber filter covers both
//! clients. The span never carries a token, key, secret, e-mail, id, query string or body: the
//! route keeps only the words of Lever's documented routes and shows every other path segment as
//! `{id}`, so an unexpected segment is hidden rather than logged.

use std::time::Duration;

use reqwest::Method;

/// The fixed words of Lever's documented routes (LD "Data API reference"; the README's coverage
/// table lists every route this crate calls, and a test checks each against this list).
const ROUTE_WORDS: &[&str] = &[
    "addLinks",
    "addSources",
    "addTags",
    "applications",
    "apply",
    "archive_reasons",
    "archived",
    "audit_events",
    "contacts",
    "deactivate",
    "deleted",
    "diversity",
    "download",
    "eeo",
    "feedback",
    "feedback_templates",
    "files",
    "form_templates",
    "forms",
    "interviews",
    "notes",
    "offers",
    "opportunities",
    "options",
    "panels",
    "pii",
    "postings",
    "reactivate",
    "referrals",
    "removeLinks",
    "removeSources",
    "removeTags",
    "requisition_fields",
    "requisitions",
    "responses",
    "resumes",
    "sources",
    "stage",
    "stages",
    "surveys",
    "tags",
    "uploads",
    "users",
    "webhooks",
];

/// The route template of a request path given as segments below the API root: known route words
/// are kept, anything else (ids, and any segment not in [`ROUTE_WORDS`]) becomes `{id}`.
pub(crate) fn route_template(path: &[String]) -> String {
    if path.is_empty() {
        return "/".to_owned();
    }
    let mut route = String::with_capacity(path.len() * 12);
    for segment in path {
        route.push('/');
        if ROUTE_WORDS.contains(&segment.as_str()) {
            route.push_str(segment);
        } else {
            route.push_str("{id}");
        }
    }
    route
}

/// The span one attempt runs in; `status` and `latency_ms` are filled in by [`record_answer`].
pub(crate) fn request_span(method: &Method, route: &str, attempt: u32) -> tracing::Span {
    tracing::info_span!(
        "api_request",
        client = "lever",
        method = %method,
        route = route,
        status = tracing::field::Empty,
        attempt = attempt,
        latency_ms = tracing::field::Empty,
    )
}

/// Record Lever's answer on the current `api_request` span.
pub(crate) fn record_answer(status: u16, latency: Duration) {
    let span = tracing::Span::current();
    span.record("status", status);
    span.record(
        "latency_ms",
        u64::try_from(latency.as_millis()).unwrap_or(u64::MAX),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(path: &str) -> String {
        let segments: Vec<String> = path
            .trim_start_matches('/')
            .split('/')
            .map(str::to_owned)
            .collect();
        route_template(&segments)
    }

    #[test]
    fn ids_and_unknown_segments_become_placeholders() {
        assert_eq!(
            template("/opportunities/250d8f03-738a-4bba-a671-8a3d73477145/notes"),
            "/opportunities/{id}/notes"
        );
        assert_eq!(template("/opportunities/deleted"), "/opportunities/deleted");
        assert_eq!(template("/users/ada@example.com"), "/users/{id}");
        assert_eq!(template("/eeo/responses/pii"), "/eeo/responses/pii");
        assert_eq!(route_template(&[]), "/");
    }

    /// Every route of the README's coverage table maps to its own template, so no documented
    /// word is hidden and no id slips through.
    #[test]
    fn every_documented_route_keeps_its_words() {
        let readme = include_str!("../README.md");
        let mut checked = 0;
        for line in readme.lines().filter(|l| l.starts_with("| `")) {
            // The route cell, without its remarks in parentheses (filters, `include`...).
            let cell = line.split(" | ").next().unwrap_or_default();
            let cell = cell.split(" (").next().unwrap_or_default();
            let mut last: Option<Vec<String>> = None;
            for (i, code) in cell.split('`').enumerate().filter(|(i, _)| i % 2 == 1) {
                let path = match code.split_once(' ') {
                    Some((_method, path)) => path.split('?').next().unwrap_or(path),
                    // `addLinks`, `removeLinks`: the same route with another last word.
                    None if i > 1 => code,
                    None => continue,
                };
                let mut documented: Vec<String> = match (&last, path.starts_with('/')) {
                    (_, true) => path[1..].split('/').map(str::to_owned).collect(),
                    (Some(prev), false) => {
                        let mut p = prev.clone();
                        p.pop();
                        p.push(path.to_owned());
                        p
                    }
                    (None, false) => continue,
                };
                last = Some(documented.clone());
                let concrete: Vec<String> = documented
                    .iter()
                    .map(|s| {
                        if s.starts_with(':') {
                            "2b7e9c1a-0d4f-4e8a-9b3c-5f6a7d8e9f01".to_owned()
                        } else {
                            s.clone()
                        }
                    })
                    .collect();
                for s in &mut documented {
                    if s.starts_with(':') {
                        *s = "{id}".to_owned();
                    }
                }
                assert_eq!(
                    route_template(&concrete),
                    format!("/{}", documented.join("/")),
                    "README row: {line}"
                );
                checked += 1;
            }
        }
        assert!(
            checked > 100,
            "the coverage table was read ({checked} routes)"
        );
    }
}

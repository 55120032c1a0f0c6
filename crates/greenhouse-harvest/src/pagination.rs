//! Cursor pagination: one-page results, the `Link: <…>; rel="next"` parser,
//! list filters, and the lazy item stream.
//!
//! "keep calling the rel=\"next\" URL from the response Link header until
//! there's no next link"; "When you pass a cursor, it must be the only query
//! parameter" — so filters and `per_page` go on the first request only and
//! the next URL is followed verbatim (harvestdocs.greenhouse.io/docs/pagination).

use chrono::{DateTime, Utc};
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use url::Url;

use crate::http::decode_json;
use crate::models::timestamp;

/// Largest `per_page` Harvest v3 accepts (research notes §2.2).
pub const MAX_PER_PAGE: u32 = 500;
/// Largest number of ids in one `*_ids` filter (research notes §2.2).
pub const MAX_IDS: usize = 50;

/// One page of a list endpoint.
///
/// A page is read record by record: a record that does not match its model
/// (a wrong type, a missing `id`) is left out of [`items`](Self::items) and
/// described in [`skipped`](Self::skipped), so one malformed record never
/// loses the rest of the page. Only a body that is not a JSON array fails the
/// whole page (with [`Error::Decode`](crate::Error::Decode)).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Page<T> {
    /// The records of this page that were read (v3 list bodies are bare JSON arrays).
    pub items: Vec<T>,
    /// The records that could not be read, in page order.
    pub skipped: Vec<RecordError>,
    /// The `rel="next"` URL, `None` on the last page.
    pub next_url: Option<Url>,
    pub(crate) scope: &'static str,
}

impl<T> Page<T> {
    /// Whether another page follows.
    pub fn has_next(&self) -> bool {
        self.next_url.is_some()
    }

    /// Whether every record of the page was read.
    pub fn is_complete(&self) -> bool {
        self.skipped.is_empty()
    }
}

/// A record of a list page that does not match its model.
///
/// Carries where it was (resource, index in the page, id when the record has
/// a numeric `id`) and what was wrong (the serde path inside the record and
/// serde's message) — never the record's content, which may be personal data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("skipped {resource} record #{index}{} at `{path}`: {message}", id.map(|i| format!(" (id {i})")).unwrap_or_default())]
#[non_exhaustive]
pub struct RecordError {
    /// The list resource, e.g. `candidates`.
    pub resource: String,
    /// Zero-based position of the record in its page.
    pub index: usize,
    /// The record's `id`, when it has a numeric one.
    pub id: Option<u64>,
    /// JSON path of the offending field inside the record, e.g. `email_addresses[0].value`.
    pub path: String,
    /// What serde reported, with quoted values elided (`invalid type: string "…"`).
    pub message: String,
}

/// Reads a list body record by record, keeping page order: `Ok` for each
/// record that matches `T`, `Err` for each that does not.
pub(crate) fn decode_records<T: DeserializeOwned>(
    body: &[u8],
    resource: &str,
) -> crate::Result<Vec<Result<T, RecordError>>> {
    let raw: Vec<serde_json::Value> = decode_json(body)?;
    Ok(raw
        .into_iter()
        .enumerate()
        .map(|(index, value)| {
            let id = value.get("id").and_then(serde_json::Value::as_u64);
            serde_path_to_error::deserialize(value).map_err(|e| RecordError {
                resource: resource.to_owned(),
                index,
                id,
                path: e.path().to_string(),
                message: redact_quoted(&e.into_inner().to_string()),
            })
        })
        .collect())
}

/// serde quotes the offending string (`invalid type: string "ada@…"`); a
/// record error must not carry record content, so quoted text is elided.
fn redact_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut parts = message.split('"');
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    let rest: Vec<&str> = parts.collect();
    // Pairs of (quoted, following) segments; an unmatched quote is kept as is.
    for pair in rest.chunks(2) {
        match pair {
            [_, after] => {
                out.push_str("\"…\"");
                out.push_str(after);
            }
            [tail] => {
                out.push('"');
                out.push_str(tail);
            }
            _ => {}
        }
    }
    out
}

impl<T> Page<T> {
    /// Splits decoded records into a page.
    pub(crate) fn from_records(
        records: Vec<Result<T, RecordError>>,
        next_url: Option<Url>,
        scope: &'static str,
    ) -> Self {
        let mut items = Vec::with_capacity(records.len());
        let mut skipped = Vec::new();
        for record in records {
            match record {
                Ok(item) => items.push(item),
                Err(e) => skipped.push(e),
            }
        }
        Page {
            items,
            skipped,
            next_url,
            scope,
        }
    }
}

/// The `rel="next"` target among all `Link` headers of a response.
pub(crate) fn next_link(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(reqwest::header::LINK)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(parse_next_link)
}

/// Extracts the `rel="next"` target from a `Link` header value (RFC 8288).
/// Tolerates several links per value, line breaks, unquoted `rel` and
/// multi-valued `rel="next last"`.
///
/// ```
/// let link = r#"<https://harvest.greenhouse.io/v3/jobs?cursor=abc>; rel="next""#;
/// assert_eq!(
///     greenhouse_harvest::parse_next_link(link).as_deref(),
///     Some("https://harvest.greenhouse.io/v3/jobs?cursor=abc")
/// );
/// ```
pub fn parse_next_link(value: &str) -> Option<String> {
    let mut rest = value;
    while let Some(open) = rest.find('<') {
        let close = open + rest[open..].find('>')?;
        let target = rest[open + 1..close].trim();
        let params_end = rest[close..].find('<').map_or(rest.len(), |i| close + i);
        let is_next = rest[close + 1..params_end].split(';').any(|p| {
            let Some((key, val)) = p.split_once('=') else {
                return false;
            };
            key.trim().eq_ignore_ascii_case("rel")
                && val
                    .trim()
                    .trim_end_matches(',')
                    .trim()
                    .trim_matches('"')
                    .split_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("next"))
        });
        if is_next && !target.is_empty() {
            return Some(target.to_owned());
        }
        rest = &rest[params_end..];
    }
    None
}

/// A date filter in v3's pipe-delimited operator form, e.g.
/// `updated_at=gte|2024-01-01T00:00:00.000Z|lte|2024-01-02T00:00:00.000Z`
/// (research notes §2.2, verified by Airbyte against the reference page).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DateFilter {
    parts: Vec<(&'static str, DateTime<Utc>)>,
}

impl DateFilter {
    /// At or after `t`.
    pub fn gte(t: DateTime<Utc>) -> Self {
        DateFilter::default().and("gte", t)
    }
    /// Strictly after `t`.
    pub fn gt(t: DateTime<Utc>) -> Self {
        DateFilter::default().and("gt", t)
    }
    /// At or before `t`.
    pub fn lte(t: DateTime<Utc>) -> Self {
        DateFilter::default().and("lte", t)
    }
    /// Strictly before `t`.
    pub fn lt(t: DateTime<Utc>) -> Self {
        DateFilter::default().and("lt", t)
    }
    /// Adds an upper bound (at or before `t`).
    pub fn and_lte(self, t: DateTime<Utc>) -> Self {
        self.and("lte", t)
    }
    /// Adds an upper bound (before `t`).
    pub fn and_lt(self, t: DateTime<Utc>) -> Self {
        self.and("lt", t)
    }
    fn and(mut self, op: &'static str, t: DateTime<Utc>) -> Self {
        self.parts.push((op, t));
        self
    }
    /// The wire value.
    pub fn to_query_value(&self) -> String {
        self.parts
            .iter()
            .map(|(op, t)| format!("{op}|{}", timestamp::format(t)))
            .collect::<Vec<_>>()
            .join("|")
    }
}

/// Filters and page size for the *first* request of a list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListQuery {
    pub(crate) per_page: Option<u32>,
    pub(crate) params: Vec<(String, String)>,
}

impl ListQuery {
    /// No filters, server page size (100).
    pub fn new() -> Self {
        Self::default()
    }
    /// Page size, 1–500.
    pub fn per_page(mut self, n: u32) -> Self {
        self.per_page = Some(n);
        self
    }
    /// Only these ids (`ids=`, at most 50).
    pub fn ids(self, ids: &[u64]) -> Self {
        self.id_list("ids", ids)
    }
    /// A comma-separated id filter such as `candidate_ids` (at most 50 ids).
    pub fn id_list(self, name: &str, ids: &[u64]) -> Self {
        let value = ids.iter().map(u64::to_string).collect::<Vec<_>>().join(",");
        self.param(name, value)
    }
    /// `updated_at` filter (v3's name for v1's `updated_after`/`updated_before`).
    pub fn updated_at(self, filter: DateFilter) -> Self {
        let v = filter.to_query_value();
        self.param("updated_at", v)
    }
    /// `created_at` filter (don't combine with `updated_at`, research notes §2.2).
    pub fn created_at(self, filter: DateFilter) -> Self {
        let v = filter.to_query_value();
        self.param("created_at", v)
    }
    /// Any other filter, e.g. `("status", "open")`.
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.push((name.into(), value.into()));
        self
    }

    pub(crate) fn validate(&self) -> crate::Result<()> {
        if let Some(n) = self.per_page
            && !(1..=MAX_PER_PAGE).contains(&n)
        {
            return Err(crate::Error::Config(format!(
                "per_page must be 1..=500, got {n}"
            )));
        }
        for (name, value) in &self.params {
            if name.ends_with("ids") && value.split(',').count() > MAX_IDS {
                return Err(crate::Error::Config(format!(
                    "{name} takes at most {MAX_IDS} ids"
                )));
            }
        }
        Ok(())
    }

    pub(crate) fn apply(&self, url: &mut Url) {
        let mut q = url.query_pairs_mut();
        for (k, v) in &self.params {
            q.append_pair(k, v);
        }
        if let Some(n) = self.per_page {
            q.append_pair("per_page", &n.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn next_links_in_every_seen_form() {
        let mut h = HeaderMap::new();
        h.insert(
            "link",
            HeaderValue::from_static(
                "<https://harvest.greenhouse.io/v3/jobs?cursor=abc>; rel=\"next\"",
            ),
        );
        assert_eq!(
            next_link(&h).as_deref(),
            Some("https://harvest.greenhouse.io/v3/jobs?cursor=abc")
        );

        h.insert(
            "link",
            HeaderValue::from_static(
                "<https://x/v1/c?page=1>; rel=\"prev\",\t <https://x/v1/c?page=3>; rel=next, <https://x/v1/c?page=9>; rel=\"last\"",
            ),
        );
        assert_eq!(next_link(&h).as_deref(), Some("https://x/v1/c?page=3"));

        h.insert("link", HeaderValue::from_static(""));
        assert_eq!(next_link(&h), None);
        h.insert(
            "link",
            HeaderValue::from_static("<https://x/a>; rel=\"last\""),
        );
        assert_eq!(next_link(&h), None);
    }

    #[test]
    fn record_errors_never_quote_record_content() {
        let body = br#"[{"id": 9, "tags": "ada@example.com"}, {"id": 10, "kind": "x\"y"}]"#;
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct R {
            id: u64,
            #[serde(default)]
            tags: Vec<String>,
        }
        let records = decode_records::<R>(body, "candidates").unwrap();
        let err = records[0].as_ref().unwrap_err();
        assert_eq!((err.id, err.path.as_str()), (Some(9), "tags"));
        assert!(!err.to_string().contains("ada@example.com"), "{err}");
        assert!(
            err.message.starts_with("invalid type: string \"…\""),
            "{err}"
        );
        assert!(records[1].is_ok());
        assert_eq!(redact_quoted(r#"a "b" c "d"#), r#"a "…" c "d"#);
    }

    #[test]
    fn date_filters_use_the_pipe_form() {
        let a = DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let b = DateTime::parse_from_rfc3339("2024-01-02T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            DateFilter::gte(a).and_lte(b).to_query_value(),
            "gte|2024-01-01T00:00:00.000Z|lte|2024-01-02T00:00:00.000Z"
        );
    }

    #[test]
    fn limits_are_checked() {
        assert!(ListQuery::new().per_page(501).validate().is_err());
        let ids: Vec<u64> = (0..51).collect();
        assert!(
            ListQuery::new()
                .id_list("candidate_ids", &ids)
                .validate()
                .is_err()
        );
        assert!(
            ListQuery::new()
                .per_page(500)
                .ids(&ids[..50])
                .validate()
                .is_ok()
        );
    }
}

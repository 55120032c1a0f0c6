//! Offset-token pagination (LD "Pagination"; research note §2.2).
//!
//! Lists answer `{"data": [...], "next": "<token>", "hasNext": true}`. The token is opaque and
//! has been observed already percent-encoded, so it is sent back **byte for byte**: only
//! characters that cannot appear in a query at all are escaped, never `%`.

use std::collections::HashSet;

use futures::{Stream, StreamExt, TryStreamExt, stream};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use url::Url;

use crate::client::{Call, LeverClient};
use crate::error::Error;

/// One page of a list.
///
/// # Malformed records
///
/// One record that does not match the model never loses its page: each element of `data` is
/// decoded on its own, the good ones land in [`data`](Self::data) and every failure in
/// [`skipped`](Self::skipped) with its index on the page, its `id` when it has one and the serde
/// path of the offending field. The list streams yield the good records and then one
/// [`Error::Record`] per skipped record, and carry on with the next page.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The records that decoded.
    pub data: Vec<T>,
    /// Offset token of the next page, exactly as received.
    pub next: Option<String>,
    /// Whether there are more pages; some list responses omit it, which means no.
    pub has_next: Option<bool>,
    /// Records of this page that did not decode, in page order.
    pub skipped: Vec<RecordError>,
}

/// A record of a list page that did not match its model (see [`Page`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    /// Position of the record in the page's `data` array, from 0.
    pub index: usize,
    /// The record's `id`, when it has a string one.
    pub id: Option<String>,
    /// Serde path of the failing field inside the record, e.g. `stage` or `phones[0].value`
    /// (`.` when the record itself has the wrong type).
    pub path: String,
    /// What serde reported.
    pub message: String,
}

impl std::fmt::Display for RecordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "record {}", self.index)?;
        if let Some(id) = &self.id {
            write!(f, " (id {id})")?;
        }
        write!(f, " at `{}`: {}", self.path, self.message)
    }
}

impl From<RecordError> for Error {
    fn from(e: RecordError) -> Self {
        Error::Record {
            index: e.index,
            id: e.id,
            path: e.path,
            message: e.message,
        }
    }
}

/// The envelope as sent, with each record still raw. `data: null` reads as an empty page.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPage {
    #[serde(default, deserialize_with = "crate::models::common::null_default")]
    data: Vec<serde_json::Value>,
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    has_next: Option<bool>,
}

/// A list body: the documented envelope, or a bare array as some LD examples show
/// (`GET /opportunities/:id/files`; research note §6).
#[derive(Deserialize)]
#[serde(untagged)]
enum ListBody {
    Envelope(RawPage),
    Bare(Vec<serde_json::Value>),
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Page<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = match ListBody::deserialize(d)? {
            ListBody::Envelope(raw) => raw,
            ListBody::Bare(data) => RawPage {
                data,
                next: None,
                has_next: None,
            },
        };
        let mut data = Vec::with_capacity(raw.data.len());
        let mut skipped = Vec::new();
        for (index, record) in raw.data.into_iter().enumerate() {
            match decode_record(index, record) {
                Ok(item) => data.push(item),
                Err(e) => skipped.push(e),
            }
        }
        Ok(Page {
            data,
            next: raw.next,
            has_next: raw.has_next,
            skipped,
        })
    }
}

fn decode_record<T: DeserializeOwned>(
    index: usize,
    record: serde_json::Value,
) -> Result<T, RecordError> {
    let id = record
        .get("id")
        .and_then(serde_json::Value::as_str)
        .map(str::to_owned);
    serde_path_to_error::deserialize(record).map_err(|e| {
        tracing::warn!(index, id = ?id, path = %e.path(), "skipping a Lever record that does not decode");
        RecordError {
            index,
            id,
            path: e.path().to_string(),
            message: e.inner().to_string(),
        }
    })
}

impl<T> Page<T> {
    /// The token to request the next page with, or `None` at the end of the list
    /// (`hasNext` not `true`, or no `next`).
    pub fn next_offset(&self) -> Option<&str> {
        match (self.has_next, self.next.as_deref()) {
            (Some(true), Some(next)) if !next.is_empty() => Some(next),
            _ => None,
        }
    }
}

/// Append `offset=<token>` without re-encoding the token's `%` escapes.
pub(crate) fn append_offset(url: &mut Url, token: &str) {
    let mut encoded = String::with_capacity(token.len());
    for byte in token.bytes() {
        let keep = byte.is_ascii_alphanumeric() || b"-._~%!$'()*,;:@/?".contains(&byte);
        if keep {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    let query = match url.query() {
        Some(q) if !q.is_empty() => format!("{q}&offset={encoded}"),
        _ => format!("offset={encoded}"),
    };
    url.set_query(Some(&query));
}

impl LeverClient {
    /// Fetch one page of `call` starting at `offset`.
    pub(crate) async fn page<T: DeserializeOwned>(
        &self,
        mut call: Call,
        offset: Option<&str>,
    ) -> Result<Page<T>, Error> {
        if !call.query.iter().any(|(k, _)| k == "limit") {
            call.query
                .push(("limit".into(), self.page_size().to_string()));
        }
        call.offset = offset.map(str::to_owned);
        self.json(call).await
    }

    /// A lazy stream over every item of every page of `call`. Nothing is sent until it is
    /// polled; a record that does not decode is yielded as [`Error::Record`] after the page's
    /// good records and the stream goes on. It ends at the last page, after the first request
    /// error, or with
    /// [`Error::RepeatedCursor`] if Lever repeats a token.
    pub(crate) fn paginate<T>(
        &self,
        call: Call,
    ) -> impl Stream<Item = Result<T, Error>> + Send + 'static
    where
        T: DeserializeOwned + Send + 'static,
    {
        struct State {
            client: LeverClient,
            call: Call,
            offset: Option<String>,
            seen: HashSet<String>,
            finished: bool,
            pending_error: Option<Error>,
        }
        let start = State {
            client: self.clone(),
            call,
            offset: None,
            seen: HashSet::new(),
            finished: false,
            pending_error: None,
        };
        stream::unfold(start, |mut st| async move {
            if let Some(err) = st.pending_error.take() {
                st.finished = true;
                return Some((Err(err), st));
            }
            if st.finished {
                return None;
            }
            let result = st
                .client
                .page::<T>(st.call.clone(), st.offset.as_deref())
                .await;
            match result {
                Err(e) => {
                    st.finished = true;
                    Some((Err(e), st))
                }
                Ok(page) => {
                    match page.next_offset() {
                        None => st.finished = true,
                        Some(next) if !st.seen.insert(next.to_owned()) => {
                            tracing::warn!("Lever repeated a pagination token; stopping");
                            st.pending_error = Some(Error::RepeatedCursor);
                        }
                        Some(next) => st.offset = Some(next.to_owned()),
                    }
                    Some((Ok(page), st))
                }
            }
        })
        .map_ok(|page| {
            let errors = page.skipped.into_iter().map(|e| Err(Error::from(e)));
            stream::iter(page.data.into_iter().map(Ok).chain(errors))
        })
        .try_flatten()
        .boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_is_appended_verbatim() {
        let mut url = Url::parse("http://x/v1/opportunities?limit=100").unwrap();
        append_offset(&mut url, "%5B1%2C1750233409740%2C%2248dd%22%5D");
        assert_eq!(
            url.as_str(),
            "http://x/v1/opportunities?limit=100&offset=%5B1%2C1750233409740%2C%2248dd%22%5D"
        );
        let mut url = Url::parse("http://x/v1/users").unwrap();
        append_offset(&mut url, "0.14148.a607 &x");
        assert_eq!(url.query(), Some("offset=0.14148.a607%20%26x"));
    }

    #[test]
    fn next_offset_requires_has_next() {
        let p: Page<u8> = serde_json::from_str(r#"{"data":[],"next":"a"}"#).unwrap();
        assert_eq!(p.next_offset(), None);
        let p: Page<u8> =
            serde_json::from_str(r#"{"data":[1],"next":"a","hasNext":true}"#).unwrap();
        assert_eq!(p.next_offset(), Some("a"));
        let p: Page<u8> = serde_json::from_str(r#"{"data":[],"hasNext":false}"#).unwrap();
        assert_eq!(p.next_offset(), None);
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Rec {
        id: String,
        n: u8,
    }

    #[test]
    fn a_bad_record_is_skipped_with_its_index_id_and_path() {
        let page: Page<Rec> = serde_json::from_str(
            r#"{"data":[{"id":"a","n":1},{"id":"b","n":"two"},7,{"id":"d","n":4}],
                "hasNext":true,"next":"t"}"#,
        )
        .unwrap();
        assert_eq!(page.data.iter().map(|r| r.n).collect::<Vec<_>>(), [1, 4]);
        assert_eq!(page.next_offset(), Some("t"));
        assert_eq!(page.skipped.len(), 2);
        let first = &page.skipped[0];
        assert_eq!((first.index, first.id.as_deref()), (1, Some("b")));
        assert_eq!(first.path, "n");
        assert!(first.to_string().contains("record 1 (id b) at `n`"));
        assert_eq!(
            (page.skipped[1].index, page.skipped[1].id.as_deref()),
            (2, None)
        );
    }

    #[test]
    fn null_data_is_an_empty_page() {
        let page: Page<Rec> = serde_json::from_str(r#"{"data":null}"#).unwrap();
        assert!(page.data.is_empty() && page.skipped.is_empty());
    }
}

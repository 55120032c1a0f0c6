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
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    /// The items.
    pub data: Vec<T>,
    /// Offset token of the next page, exactly as received.
    #[serde(default)]
    pub next: Option<String>,
    /// Whether there are more pages; some list responses omit it, which means no.
    #[serde(default)]
    pub has_next: Option<bool>,
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
    /// polled; it ends at the last page, after the first error, or with
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
                    Some((Ok(page.data), st))
                }
            }
        })
        .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
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
}

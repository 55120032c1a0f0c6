//! The delivery envelope `{id, event, triggeredAt, token, signature, data}`, read in one pass
//! that borrows every field's raw JSON from the body; fields are decoded only when needed.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::error::Error;

/// Every field is optional here so that a missing or odd field becomes a precise error later
/// (a signature problem before verification, a malformed payload after it), not a parse error
/// of the whole body.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Envelope<'a> {
    #[serde(default, borrow)]
    id: Option<&'a RawValue>,
    #[serde(default, borrow)]
    event: Option<&'a RawValue>,
    #[serde(default, borrow)]
    triggered_at: Option<&'a RawValue>,
    #[serde(default, borrow)]
    token: Option<&'a RawValue>,
    #[serde(default, borrow)]
    signature: Option<&'a RawValue>,
    #[serde(default, borrow)]
    data: Option<&'a RawValue>,
}

/// What Lever signs, and the signature (LD "Request signing").
pub(super) struct Signed<'a> {
    pub(super) token: String,
    /// `triggeredAt` as the decimal digits JavaScript prints for it: the signed text.
    pub(super) triggered_digits: Cow<'a, str>,
    pub(super) signature: Cow<'a, str>,
}

impl<'a> Envelope<'a> {
    pub(super) fn read(body: &'a [u8]) -> Result<Self, Error> {
        serde_json::from_slice(body)
            .map_err(|e| Error::WebhookMalformed(format!("not a Lever delivery: {e}")))
    }

    /// The signed fields; without a token, a timestamp and a signature nothing can be verified.
    pub(super) fn signed_parts(&self) -> Result<Signed<'a>, Error> {
        let token = self
            .token
            .and_then(|raw| serde_json::from_str::<String>(raw.get()).ok())
            .ok_or_else(|| Error::WebhookMalformed("token is missing or not a string".into()))?;
        let triggered_digits = self.triggered_at.and_then(digits).ok_or_else(|| {
            Error::WebhookMalformed("triggeredAt is not an integer of milliseconds".into())
        })?;
        let signature = self
            .signature
            .and_then(string)
            .ok_or(Error::WebhookSignature)?;
        Ok(Signed {
            token,
            triggered_digits,
            signature,
        })
    }

    /// The unsigned part: event id, event name and the raw `data` (`null` when absent).
    pub(super) fn payload(&self) -> Result<(Option<String>, Cow<'a, str>, &'a RawValue), Error> {
        let id = match self.id {
            None => None,
            Some(raw) => Some(
                serde_json::from_str::<Option<String>>(raw.get())
                    .map_err(|_| Error::WebhookMalformed("id is not a string".into()))?,
            )
            .flatten(),
        };
        let event = self
            .event
            .and_then(string)
            .ok_or_else(|| Error::WebhookMalformed("event is missing or not a string".into()))?;
        Ok((id, event, self.data.unwrap_or(RawValue::NULL)))
    }
}

/// A JSON string's text, borrowed when it has no escapes.
fn string(raw: &RawValue) -> Option<Cow<'_, str>> {
    let text = raw.get();
    let inner = text.strip_prefix('"')?.strip_suffix('"')?;
    if inner.contains('\\') {
        serde_json::from_str::<String>(text).ok().map(Cow::Owned)
    } else {
        Some(Cow::Borrowed(inner))
    }
}

/// `triggeredAt` as digits: a JSON integer, or a string of digits (seen in the wild; the
/// signed text is the same digits either way).
fn digits(raw: &RawValue) -> Option<Cow<'_, str>> {
    let text = raw.get();
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if all_digits(text) {
        return Some(Cow::Borrowed(text));
    }
    string(raw).filter(|s| all_digits(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(json: &str) -> Box<RawValue> {
        RawValue::from_string(json.to_owned()).unwrap()
    }

    #[test]
    fn strings_borrow_unless_escaped() {
        assert!(matches!(
            string(&raw(r#""abc""#)),
            Some(Cow::Borrowed("abc"))
        ));
        assert_eq!(string(&raw(r#""a\"b""#)).as_deref(), Some("a\"b"));
        assert_eq!(string(&raw("5")), None);
    }

    #[test]
    fn triggered_at_must_be_whole_milliseconds() {
        assert_eq!(
            digits(&raw("1431454330072")).as_deref(),
            Some("1431454330072")
        );
        assert_eq!(
            digits(&raw(r#""1431454330072""#)).as_deref(),
            Some("1431454330072")
        );
        for bad in ["1.5", "-5", "1e3", r#""""#, r#""12a""#, "null", "[]"] {
            assert_eq!(digits(&raw(bad)), None, "{bad}");
        }
    }
}

//! Wire helpers: response builders, query parsing, ids, base64.

use chrono::Utc;
use serde_json::{Value, json};
use wiremock::ResponseTemplate;

pub(super) const ROUTE_NOTE_POST: &str = "POST /opportunities/:id/notes";

pub(super) fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

pub(super) fn random_hex(len: usize) -> String {
    std::iter::repeat_with(|| char::from_digit(fastrand::u32(..16), 16).unwrap_or('0'))
        .take(len)
        .collect()
}

pub(super) fn uuid() -> String {
    let h = random_hex(32);
    format!(
        "{}-{}-4{}-a{}-{}",
        &h[..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..]
    )
}

pub(super) fn has_email(opportunity: &Value, email: &str) -> bool {
    opportunity["emails"].as_array().is_some_and(|emails| {
        emails.iter().any(|e| {
            e.as_str()
                .is_some_and(|e| e.eq_ignore_ascii_case(email.trim()))
        })
    })
}

pub(super) fn route_name(method: &str, segs: &[&str]) -> String {
    let mut parts = Vec::with_capacity(segs.len());
    for (i, s) in segs.iter().enumerate() {
        // Collection names sit at even positions, ids at odd ones.
        parts.push(if i % 2 == 1 { ":id" } else { s });
    }
    format!("{method} /{}", parts.join("/"))
}

pub(super) fn find(items: &[Value], id: &str) -> Option<ResponseTemplate> {
    items.iter().find(|i| i["id"] == id).cloned().map(data)
}

pub(super) fn data(value: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({ "data": value }))
}

pub(super) fn error(status: u16, code: &str, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({"code": code, "message": message}))
}

pub(super) fn not_found(kind: &str, id: &str) -> ResponseTemplate {
    error(
        404,
        "ResourceNotFound",
        &format!("{kind} {id} was not found"),
    )
}

/// Query parameters, plus the raw (undecoded) `offset` so the token can be checked byte for byte.
pub(super) struct Query {
    pairs: Vec<(String, String)>,
    pub(super) raw_offset: Option<String>,
}

impl Query {
    pub(super) fn parse(raw: &str) -> Self {
        let mut pairs = Vec::new();
        let mut raw_offset = None;
        for part in raw.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            if k == "offset" {
                raw_offset = Some(v.to_owned());
            } else {
                pairs.push((decode_component(k), decode_component(v)));
            }
        }
        Self { pairs, raw_offset }
    }

    pub(super) fn first(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub(super) fn all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs
            .iter()
            .filter(move |(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

pub(super) fn decode_component(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

pub(super) fn base64(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foob"), "Zm9vYg==");
    }

    #[test]
    fn route_names() {
        assert_eq!(
            route_name("POST", &["opportunities", "x", "notes"]),
            ROUTE_NOTE_POST
        );
        assert_eq!(route_name("GET", &["users"]), "GET /users");
    }
}

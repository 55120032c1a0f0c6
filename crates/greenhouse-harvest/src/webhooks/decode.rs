//! The fast webhook decoder: one pass from the body bytes to the typed event.
//!
//! The envelope is read key by key. Greenhouse sends `action` before `payload`, so the payload
//! is decoded straight into its type as it is read; a payload that comes first is borrowed as
//! raw JSON (no copy) and decoded once the action is known. No `serde_json::Value` is built.
//! Errors carry no JSON path here: when this decoder fails, the caller decodes again through
//! `serde_path_to_error` to say where (the slow path runs only for bad deliveries), and an
//! unknown action, which keeps the whole body as a `Value`, takes that path too.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, Error as _, IgnoredAny, MapAccess,
    Visitor,
};
use serde_json::value::RawValue;

use super::event::WebhookEvent;
use super::payloads::{MergedCandidate, RemovedCandidate};

/// The event, or `None` for an action this crate does not know (or any failure: the caller
/// then takes the slow path, which builds [`WebhookEvent::Unknown`] or the error with its path).
pub(crate) fn decode(body: &[u8]) -> Option<WebhookEvent> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let parts = de.deserialize_map(EnvelopeVisitor).ok()?;
    de.end().ok()?;
    let action = parts.action?;
    match parts.payload {
        Payload::Decoded(event) => event,
        Payload::Raw(raw) => {
            decode_payload(&action, &mut serde_json::Deserializer::from_str(raw.get())).ok()?
        }
        // A missing payload reads as `null`, as on the slow path.
        Payload::Absent => {
            decode_payload(&action, &mut serde_json::Deserializer::from_str("null")).ok()?
        }
    }
}

// One per delivery, on the stack: boxing the event would add an allocation to the hot path.
#[allow(clippy::large_enum_variant)]
enum Payload<'de> {
    Absent,
    Raw(&'de RawValue),
    Decoded(Option<WebhookEvent>),
}

struct Parts<'de> {
    action: Option<String>,
    payload: Payload<'de>,
}

struct EnvelopeVisitor;

impl<'de> Visitor<'de> for EnvelopeVisitor {
    type Value = Parts<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a webhook envelope")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Parts<'de>, A::Error> {
        let mut parts = Parts {
            action: None,
            payload: Payload::Absent,
        };
        while let Some(key) = map.next_key_seed(KeyIs("action"))? {
            match key {
                Key::Named => parts.action = Some(map.next_value()?),
                Key::Other("payload") => {
                    parts.payload = match &parts.action {
                        Some(action) => Payload::Decoded(map.next_value_seed(PayloadSeed(action))?),
                        None => Payload::Raw(map.next_value()?),
                    }
                }
                Key::Other(_) => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(parts)
    }
}

/// Decodes the payload of `action` from `d`; `None` for an unknown action.
struct PayloadSeed<'a>(&'a str);

impl<'de> DeserializeSeed<'de> for PayloadSeed<'_> {
    type Value = Option<WebhookEvent>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        decode_payload(self.0, d)
    }
}

/// The typed event of `action` from its payload, with the same shapes as
/// `parse_event_with_paths` (webhooks/mod.rs), which is the reference.
fn decode_payload<'de, D: Deserializer<'de>>(
    action: &str,
    d: D,
) -> Result<Option<WebhookEvent>, D::Error> {
    use WebhookEvent as E;
    let event = match action {
        "ping" => E::Ping(whole(d)?),
        "new_candidate_application" => E::NewCandidateApplication(field(d, "application")?),
        "new_prospect_application" => E::NewProspectApplication(field(d, "application")?),
        "application_updated" => E::ApplicationUpdated(field(d, "application")?),
        "delete_application" => E::ApplicationDeleted(field(d, "application")?),
        "offer_created" => E::OfferCreated(whole(d)?),
        "offer_approved" => E::OfferApproved(whole(d)?),
        "offer_updated" => E::OfferUpdated(whole(d)?),
        "offer_deleted" => E::OfferDeleted(field(d, "offer")?),
        "update_candidate" => E::CandidateUpdated(field(d, "candidate")?),
        "candidate_stage_change" => E::CandidateStageChanged(field(d, "application")?),
        "hire_candidate" => E::CandidateHired(field(d, "application")?),
        "unhire_candidate" => E::CandidateUnhired(field(d, "application")?),
        "reject_candidate" => E::CandidateRejected(field(d, "application")?),
        "unreject_candidate" => E::CandidateUnrejected(field(d, "application")?),
        "delete_candidate" => E::CandidateDeleted(field(d, "person")?),
        "merge_candidate" => {
            let person: RemovedCandidate = field(d, "person")?;
            let surviving = person
                .new_candidate_id
                .ok_or_else(|| D::Error::custom("missing field `new_candidate_id`"))?;
            E::CandidateMerged(MergedCandidate {
                merged: person,
                surviving_candidate_id: surviving,
            })
        }
        "candidate_anonymized" => E::CandidateAnonymized(whole(d)?),
        "interview_deleted" => E::InterviewDeleted(field(d, "interview")?),
        "scorecard_deleted" => E::ScorecardDeleted(field(d, "scorecard")?),
        "job_created" => E::JobCreated(field(d, "job")?),
        "job_updated" => E::JobUpdated(field(d, "job")?),
        "job_deleted" => E::JobDeleted(field(d, "job")?),
        "job_approved" => E::JobApproved(Box::new(whole(d)?)),
        "job_post_created" => E::JobPostCreated(whole(d)?),
        "job_post_updated" => E::JobPostUpdated(whole(d)?),
        "job_post_deleted" => E::JobPostDeleted(field(d, "job_post")?),
        "job_interview_stage_deleted" => {
            E::JobInterviewStageDeleted(field(d, "job_interview_stage")?)
        }
        "department_deleted" => E::DepartmentDeleted(field(d, "department")?),
        "office_deleted" => E::OfficeDeleted(field(d, "office")?),
        _ => {
            <IgnoredAny as de::Deserialize>::deserialize(d)?;
            return Ok(None);
        }
    };
    Ok(Some(event))
}

fn whole<'de, T: DeserializeOwned, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    T::deserialize(d)
}

/// The value of the payload's field `name`, decoded in place; other fields are skipped.
fn field<'de, T: DeserializeOwned, D: Deserializer<'de>>(
    d: D,
    name: &'static str,
) -> Result<T, D::Error> {
    d.deserialize_map(FieldVisitor::<T> {
        name,
        out: PhantomData,
    })
}

struct FieldVisitor<T> {
    name: &'static str,
    out: PhantomData<T>,
}

impl<'de, T: DeserializeOwned> Visitor<'de> for FieldVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object with `{}`", self.name)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key_seed(KeyIs(self.name))? {
            match key {
                Key::Named if found.is_none() => found = Some(map.next_value::<T>()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        found.ok_or_else(|| A::Error::missing_field(self.name))
    }
}

/// A map key compared with a wanted name without allocating (for `payload`, the only other
/// key the envelope reads, the name is kept).
struct KeyIs(&'static str);

enum Key {
    Named,
    Other(&'static str),
}

impl<'de> DeserializeSeed<'de> for KeyIs {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for KeyIs {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        Ok(match key {
            k if k == self.0 => Key::Named,
            "payload" => Key::Other("payload"),
            _ => Key::Other(""),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::webhooks::parse_event_with_paths;

    fn fixtures() -> Vec<(String, Vec<u8>)> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/webhooks");
        let mut out: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
            .filter(|(_, body)| !body.is_empty())
            .collect();
        out.sort();
        out
    }

    /// Every documented example decodes on the fast path, to exactly what the reference
    /// decoder gives.
    #[test]
    fn the_fast_path_matches_the_reference_on_every_fixture() {
        let all = fixtures();
        assert!(all.len() >= 25, "fixtures found: {}", all.len());
        for (name, body) in all {
            let fast = decode(&body).unwrap_or_else(|| panic!("{name} left the fast path"));
            assert_eq!(fast, parse_event_with_paths(&body).unwrap(), "{name}");
        }
    }

    /// A payload before its action is kept raw and decoded afterwards; a missing one reads
    /// as null; other keys are skipped.
    #[test]
    fn key_order_and_extra_keys_do_not_matter() {
        let body = br#"{"payload":{"candidate_id":7,"anonymized_fields":[]},"extra":[1,{"a":2}],"action":"candidate_anonymized"}"#;
        let event = decode(body).expect("fast path");
        assert_eq!(event, parse_event_with_paths(body).unwrap());
        assert_eq!(event.candidate_id(), Some(7));
        let body = br#"{"action":"job_deleted","payload":{"other":{"x":1},"job":{"id":3}}}"#;
        assert_eq!(decode(body), Some(parse_event_with_paths(body).unwrap()));
    }

    /// What the fast path refuses falls to the reference decoder: unknown actions (kept
    /// whole), wrong types (the error needs its path), trailing bytes.
    #[test]
    fn failures_and_unknown_actions_leave_the_fast_path() {
        for body in [
            &br#"{"action":"brand_new","payload":{"x":1}}"#[..],
            br#"{"action":"delete_candidate","payload":{"person":{"id":"x"}}}"#,
            br#"{"action":"delete_candidate","payload":{"person":{"id":1}}} trailing"#,
            br#"{"payload":{}}"#,
            b"[]",
        ] {
            assert_eq!(decode(body), None, "{}", String::from_utf8_lossy(body));
        }
        let err = crate::webhooks::parse_event(
            br#"{"action":"delete_candidate","payload":{"person":{"id":"x"}}}"#,
        )
        .unwrap_err();
        assert!(
            matches!(&err, crate::Error::InvalidWebhookPayload { path, .. } if path == "payload.person.id"),
            "{err:?}"
        );
    }
}

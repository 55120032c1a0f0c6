//! Webhook verification and parsing: every event, forged/stale/future/replayed deliveries,
//! rotation and unknown events.

use std::time::Duration;

use chrono::{DateTime, Utc};
use lever_client::Error;
use lever_client::testing::FakeLever;
use lever_client::webhooks::{WebhookEvent, WebhookVerifier, sign, signed_delivery};
use serde_json::{Value, json};

const DOC_KEY: &str = "73311ged32110cc40e00c672c2e03e1a42fa28a4fabde089";

fn at(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap()
}

#[test]
fn documented_stage_change_delivery_verifies_and_parses() {
    let body = include_bytes!("fixtures/delivery_stage_change.json");
    let verifier = WebhookVerifier::new(DOC_KEY);
    let delivery = verifier.verify_at(body, at(1431454330072 + 1_000)).unwrap();
    assert_eq!(
        delivery.token,
        "be58f711f349c7780e4579cd7c63341ac6f881e4dccc3154"
    );
    assert!(delivery.id.is_none(), "LD's example has no id");
    assert_eq!(delivery.triggered_at.timestamp_millis(), 1431454330072);
    match &delivery.event {
        WebhookEvent::CandidateStageChange(h) => {
            assert_eq!(
                h.opportunity_id.as_deref(),
                Some("3410c8b9-5c31-4bab-b7e9-9f710206d647")
            );
            assert_eq!(
                h.to_stage_id.as_deref(),
                Some("7c2690d8-6308-4ed9-ae2a-cbfe7db26593")
            );
            assert_eq!(
                h.from_stage_id.as_deref(),
                Some("992f01a9-ee19-41d2-ae79-1040701b195c")
            );
            assert_eq!(
                h.contact_id.as_deref(),
                Some("05c248f9-ccb1-435f-bab5-0ec608aec263")
            );
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(
        delivery.event.opportunity_id(),
        Some("3410c8b9-5c31-4bab-b7e9-9f710206d647")
    );
}

#[test]
fn every_needed_event_parses_into_its_variant() {
    let data: Value =
        serde_json::from_str(include_str!("fixtures/webhook_event_data.json")).unwrap();
    let verifier = WebhookVerifier::new("key");
    for (event, payload) in data.as_object().unwrap() {
        let body = signed_delivery("key", event, payload.clone(), Utc::now());
        let delivery = verifier.verify(&body).unwrap();
        assert_eq!(delivery.event.name(), event);
        assert_eq!(&delivery.data_value().unwrap(), payload);
        // The raw data is the delivery's own text, byte for byte.
        let body_text = std::str::from_utf8(&body).unwrap();
        assert!(body_text.contains(delivery.raw_data.get()));
        match &delivery.event {
            WebhookEvent::ApplicationCreated(h) => {
                assert_eq!(
                    h.application_id.as_deref(),
                    Some("cdb25b3d-5e84-43c3-a4f8-f36e9b6a9e0f")
                );
                assert_eq!(
                    h.posting_id.as_deref(),
                    Some("f2f01e16-27f8-4711-a728-7d49499795a0")
                );
            }
            WebhookEvent::CandidateStageChange(h) => assert!(h.to_stage_id.is_some()),
            WebhookEvent::CandidateArchiveChange(h) => {
                assert!(h.from_archived.is_none());
                let to = h.to_archived.as_ref().unwrap();
                assert_eq!(
                    to.reason.as_deref(),
                    Some("63dd55b2-a99f-4e7b-985f-22c7bf80ab42")
                );
                assert_eq!(to.archived_at.unwrap().timestamp_millis(), 1431454330072);
            }
            WebhookEvent::CandidateHired(h) => assert!(h.opportunity_id.is_some()),
            WebhookEvent::CandidateDeleted(h) => {
                assert!(h.opportunity_id.is_some());
                assert!(h.extra.contains_key("deletedBy"));
            }
            WebhookEvent::InterviewCreated(h) => {
                assert_eq!(
                    h.interview_id.as_deref(),
                    Some("b1d8d4d5-2f5f-4a0c-bb8f-6b04d0e0f6a1")
                );
                assert_eq!(
                    h.panel_id.as_deref(),
                    Some("7f1c5f39-4a5b-4d3b-8f8e-6f2b6d2e1a9c")
                );
            }
            WebhookEvent::InterviewUpdated(h) => {
                // `id` is accepted for the interview id.
                assert_eq!(
                    h.interview_id.as_deref(),
                    Some("b1d8d4d5-2f5f-4a0c-bb8f-6b04d0e0f6a1")
                );
            }
            WebhookEvent::InterviewDeleted(h) => {
                // Beta event with nothing in it still parses.
                assert!(h.interview_id.is_none() && h.opportunity_id.is_none());
            }
            WebhookEvent::ContactCreated(h) => {
                // The contact's fields at the top level (LD "Contacts" object shape).
                assert_eq!(
                    h.contact_id.as_deref(),
                    Some("7f23e772-a2e6-4b64-a4d4-ae9e0dfd8d26")
                );
                assert_eq!(h.emails(), Some(&["shane@exampleq3.com".to_owned()][..]));
                assert_eq!(
                    h.location.as_ref().unwrap().name.as_deref(),
                    Some("Oakland")
                );
                assert_eq!(
                    h.phones.as_ref().unwrap()[0].value.as_deref(),
                    Some("(123) 456-7891")
                );
                assert_eq!(h.extra["isAnonymized"], false);
            }
            WebhookEvent::ContactUpdated(h) => {
                // The contact nested under `contact`, its `id` read as the contact id.
                assert_eq!(
                    delivery.event.contact_id(),
                    Some("7f23e772-a2e6-4b64-a4d4-ae9e0dfd8d26")
                );
                assert_eq!(
                    h.emails().unwrap(),
                    ["shane@brickly.example", "shane@exampleq3.com"]
                );
                assert_eq!(h.phones.as_deref(), Some(&[][..]));
                assert_eq!(
                    delivery.event.opportunity_id(),
                    Some("250d8f03-738a-4bba-a671-8a3d73477145")
                );
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}

#[test]
fn unknown_and_test_events_keep_raw_json() {
    let verifier = WebhookVerifier::new("key");
    let body = signed_delivery(
        "key",
        "contactMerged",
        json!({"contactId": "c1"}),
        Utc::now(),
    );
    match verifier.verify(&body).unwrap().event {
        WebhookEvent::Unknown { event, data } => {
            assert_eq!(event, "contactMerged");
            assert_eq!(data["contactId"], "c1");
        }
        other => panic!("unexpected {other:?}"),
    }
    // The settings page's test button sends `"data": {}` for a configured event.
    let body = signed_delivery("key", "candidateHired", json!({}), Utc::now());
    assert!(matches!(
        verifier.verify(&body).unwrap().event,
        WebhookEvent::CandidateHired(_)
    ));
}

#[test]
fn contact_updated_without_addresses_does_not_claim_an_empty_list() {
    let verifier = WebhookVerifier::new("key");
    for data in [
        json!({"contactId": "c1", "name": "Ada"}),
        json!({"contactId": "c1", "emails": null}),
    ] {
        let body = signed_delivery("key", "contactUpdated", data, Utc::now());
        match verifier.verify(&body).unwrap().event {
            WebhookEvent::ContactUpdated(h) => {
                assert_eq!(h.contact_id.as_deref(), Some("c1"));
                assert_eq!(
                    h.emails(),
                    None,
                    "absent or null e-mails are unknown, not empty"
                );
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    // A bare contact id under `contact`.
    let body = signed_delivery(
        "key",
        "contactCreated",
        json!({"contact": "c9"}),
        Utc::now(),
    );
    assert_eq!(
        verifier.verify(&body).unwrap().event.contact_id(),
        Some("c9")
    );
    // Sent but empty: the person has no addresses left.
    let body = signed_delivery(
        "key",
        "contactUpdated",
        json!({"id": "c1", "emails": []}),
        Utc::now(),
    );
    match verifier.verify(&body).unwrap().event {
        WebhookEvent::ContactUpdated(h) => {
            assert_eq!(h.contact_id.as_deref(), Some("c1"));
            assert_eq!(h.emails(), Some(&[][..]));
        }
        other => panic!("unexpected {other:?}"),
    }
    // A wrong type is a clear error naming the field, not a panic.
    let body = signed_delivery(
        "key",
        "contactUpdated",
        json!({"emails": "a@x.io"}),
        Utc::now(),
    );
    let err = verifier.verify(&body).unwrap_err().to_string();
    assert!(err.contains("emails") || err.contains("sequence"), "{err}");
}

#[test]
fn forged_signatures_are_rejected() {
    let verifier = WebhookVerifier::new("right-key");
    let now = Utc::now();
    let body = signed_delivery("wrong-key", "candidateHired", json!({}), now);
    assert!(matches!(
        verifier.verify(&body),
        Err(Error::WebhookSignature)
    ));

    // Tampered token: the signature no longer matches.
    let mut v: Value = serde_json::from_slice(&signed_delivery(
        "right-key",
        "candidateHired",
        json!({}),
        now,
    ))
    .unwrap();
    v["token"] = json!("another-token");
    assert!(matches!(
        verifier.verify(&serde_json::to_vec(&v).unwrap()),
        Err(Error::WebhookSignature)
    ));

    // Missing and non-hex signatures.
    v.as_object_mut().unwrap().remove("signature");
    assert!(matches!(
        verifier.verify(&serde_json::to_vec(&v).unwrap()),
        Err(Error::WebhookSignature)
    ));
    v["signature"] = json!("m3e7-not-hex");
    assert!(matches!(
        verifier.verify(&serde_json::to_vec(&v).unwrap()),
        Err(Error::WebhookSignature)
    ));
}

#[test]
fn data_is_not_signed_so_it_is_only_a_hint() {
    // Lever signs token + triggeredAt only: swapping `data` keeps the signature valid. This test
    // documents why consumers must re-fetch from the API.
    let verifier = WebhookVerifier::new("key");
    let body = signed_delivery(
        "key",
        "candidateHired",
        json!({"opportunityId": "real"}),
        Utc::now(),
    );
    let mut v: Value = serde_json::from_slice(&body).unwrap();
    v["data"]["opportunityId"] = json!("swapped");
    let delivery = verifier.verify(&serde_json::to_vec(&v).unwrap()).unwrap();
    assert_eq!(delivery.event.opportunity_id(), Some("swapped"));
}

#[test]
fn stale_and_future_deliveries_are_rejected_with_distinct_errors() {
    let verifier = WebhookVerifier::new("key");
    let now = Utc::now();
    let old = signed_delivery(
        "key",
        "candidateHired",
        json!({}),
        now - chrono::Duration::minutes(6),
    );
    match verifier.verify_at(&old, now) {
        Err(Error::WebhookTooOld { age, tolerance }) => {
            assert!(age >= Duration::from_secs(360));
            assert_eq!(tolerance, Duration::from_secs(300));
        }
        other => panic!("unexpected {other:?}"),
    }
    let future = signed_delivery(
        "key",
        "candidateHired",
        json!({}),
        now + chrono::Duration::minutes(6),
    );
    assert!(matches!(
        verifier.verify_at(&future, now),
        Err(Error::WebhookFromFuture { .. })
    ));
    // Inside a wider window both pass.
    let lenient = WebhookVerifier::new("key").tolerance(Duration::from_secs(600));
    assert!(lenient.verify_at(&old, now).is_ok());
    assert!(lenient.verify_at(&future, now).is_ok());
    // A slightly early clock is fine.
    let skewed = signed_delivery(
        "key",
        "candidateHired",
        json!({}),
        now + chrono::Duration::seconds(20),
    );
    assert!(verifier.verify_at(&skewed, now).is_ok());
}

#[test]
fn replayed_deliveries_are_rejected_with_replay_protection() {
    let verifier = WebhookVerifier::new("key").with_replay_protection();
    let body = signed_delivery("key", "candidateHired", json!({}), Utc::now());
    let first = verifier.verify(&body).unwrap();
    assert!(matches!(
        verifier.verify(&body),
        Err(Error::WebhookReplayed)
    ));
    // A forged replay is reported as forged, and does not poison the cache.
    let other = signed_delivery("key", "candidateHired", json!({}), Utc::now());
    assert_ne!(verifier.verify(&other).unwrap().token, first.token);
    // Without protection, the token is exposed for the caller's own dedupe.
    let plain = WebhookVerifier::new("key");
    assert_eq!(plain.verify(&body).unwrap().token, first.token);
    assert_eq!(plain.verify(&body).unwrap().token, first.token);
}

#[test]
fn rotation_accepts_any_configured_token() {
    let verifier = WebhookVerifier::new("old-key").add_token("new-key");
    for key in ["old-key", "new-key"] {
        let body = signed_delivery(key, "candidateHired", json!({}), Utc::now());
        assert!(verifier.verify(&body).is_ok(), "{key}");
    }
    let body = signed_delivery("retired", "candidateHired", json!({}), Utc::now());
    assert!(matches!(
        verifier.verify(&body),
        Err(Error::WebhookSignature)
    ));
}

#[test]
fn malformed_bodies_give_clear_errors_not_panics() {
    let verifier = WebhookVerifier::new("key");
    for body in [
        &b""[..],
        b"not json",
        b"[]",
        br#"{"event":"candidateHired"}"#,
        br#"{"event":"candidateHired","token":"t","triggeredAt":1.5,"signature":"00"}"#,
        br#"{"event":"candidateHired","token":"t","triggeredAt":-5,"signature":"00"}"#,
    ] {
        let err = verifier.verify(body).unwrap_err();
        assert!(
            matches!(err, Error::WebhookMalformed(_) | Error::WebhookSignature),
            "{err:?}"
        );
    }
    // Signed, but data has a wrong type for a known field.
    let now = Utc::now();
    let ms = now.timestamp_millis();
    let body = json!({"event": "candidateHired", "token": "t", "triggeredAt": ms,
        "signature": sign("key", "t", ms), "data": {"opportunityId": 5}});
    match verifier.verify(&serde_json::to_vec(&body).unwrap()) {
        Err(Error::WebhookMalformed(m)) => assert!(m.contains("opportunityId"), "{m}"),
        other => panic!("unexpected {other:?}"),
    }
    // triggeredAt sent as a digit string is accepted (signed text is the digits).
    let body = json!({"event": "candidateHired", "token": "t", "triggeredAt": ms.to_string(),
        "signature": sign("key", "t", ms), "data": {}});
    assert!(verifier.verify(&serde_json::to_vec(&body).unwrap()).is_ok());
}

#[tokio::test]
async fn fake_signs_deliveries_like_lever() {
    let fake = FakeLever::start().await;
    let body = fake.signed_webhook("interviewCreated", json!({"opportunityId": "o1"}));
    let envelope: Value = serde_json::from_slice(&body).unwrap();
    for field in ["id", "event", "triggeredAt", "token", "signature", "data"] {
        assert!(envelope.get(field).is_some(), "{field}");
    }
    let delivery = WebhookVerifier::new(fake.signature_token())
        .verify(&body)
        .unwrap();
    assert!(matches!(delivery.event, WebhookEvent::InterviewCreated(_)));
    let stale = fake.signed_webhook_at(
        "interviewCreated",
        json!({}),
        Utc::now() - chrono::Duration::hours(1),
    );
    assert!(matches!(
        fake.verifier().verify(&stale),
        Err(Error::WebhookTooOld { .. })
    ));
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Arbitrary bytes never panic the verifier.
        #[test]
        fn arbitrary_bodies_never_panic(body in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = WebhookVerifier::new("key").verify(&body);
        }

        /// Any window, including absurd ones, works with replay protection.
        #[test]
        fn any_tolerance_is_safe(secs in any::<u64>(), offset_ms in any::<i32>()) {
            let at = Utc::now() + chrono::Duration::milliseconds(i64::from(offset_ms));
            let body = signed_delivery("key", "candidateHired", json!({}), at);
            let _ = WebhookVerifier::new("key")
                .tolerance(Duration::from_secs(secs))
                .with_replay_protection()
                .verify(&body);
        }

        /// Envelope-shaped JSON with arbitrary field values never panics and is only accepted
        /// with the right signature.
        #[test]
        fn envelope_like_json_never_panics(
            token in ".{0,60}",
            triggered in any::<i64>(),
            event in "[a-zA-Z]{0,24}",
            sig in "[0-9a-f]{0,64}",
        ) {
            let body = json!({"event": event, "token": token, "triggeredAt": triggered,
                              "signature": sig, "data": {}});
            let result = WebhookVerifier::new("key")
                .tolerance(Duration::from_secs(u64::MAX / 4))
                .with_replay_protection()
                .verify(&serde_json::to_vec(&body).unwrap());
            if result.is_ok() {
                prop_assert_eq!(sig, sign("key", &token, triggered));
            }
        }
    }
}

#[tokio::test]
#[allow(deprecated)]
async fn the_fakes_old_signing_names_still_sign_valid_deliveries() {
    let fake = FakeLever::start_empty().await;
    let verifier = fake.verifier();
    let body = fake.signed_delivery("candidateHired", json!({"opportunityId": "o1"}));
    assert_eq!(
        verifier.verify(&body).unwrap().event.opportunity_id(),
        Some("o1")
    );
    let at = Utc::now() - chrono::Duration::seconds(30);
    let body = fake.signed_delivery_at("candidateHired", json!({}), at);
    let delivery = verifier.verify(&body).unwrap();
    assert_eq!(delivery.triggered_at.timestamp(), at.timestamp());
}

//! Hostile input never panics: webhook headers and bodies, `Link` headers.

use greenhouse_harvest::parse_next_link;
use greenhouse_harvest::webhooks::{self, WebhookVerifier, parse_event};
use proptest::prelude::*;

proptest! {
    #[test]
    fn signing_then_verifying_round_trips(secret in ".{1,64}", body in proptest::collection::vec(any::<u8>(), 0..512)) {
        let header = webhooks::sign(&secret, &body);
        prop_assert!(WebhookVerifier::new(secret.clone()).verify(&body, Some(&header)).is_ok());
        // Any single flipped byte breaks the signature.
        if !body.is_empty() {
            let mut tampered = body.clone();
            tampered[0] ^= 0x01;
            prop_assert!(WebhookVerifier::new(secret).verify(&tampered, Some(&header)).is_err());
        }
    }

    #[test]
    fn arbitrary_headers_and_bodies_never_panic(header in ".{0,200}", body in proptest::collection::vec(any::<u8>(), 0..256)) {
        let verifier = WebhookVerifier::new("secret");
        let _ = verifier.verify(&body, Some(&header));
        let _ = parse_event(&body);
    }

    #[test]
    fn arbitrary_json_envelopes_never_panic(action in "[a-z_]{0,30}", payload in "\\{.{0,80}\\}") {
        let body = format!(r#"{{"action":"{action}","payload":{payload}}}"#);
        let _ = parse_event(body.as_bytes());
    }

    #[test]
    fn link_parsing_never_panics(value in ".{0,300}") {
        let _ = parse_next_link(&value);
    }

    #[test]
    fn next_links_are_found_among_others(cursor in "[A-Za-z0-9_-]{1,60}") {
        let next = format!("https://harvest.greenhouse.io/v3/candidates?cursor={cursor}");
        let value = format!(r#"<https://harvest.greenhouse.io/v3/candidates?cursor=prev>; rel="prev", <{next}>; rel="next""#);
        prop_assert_eq!(parse_next_link(&value), Some(next));
    }
}

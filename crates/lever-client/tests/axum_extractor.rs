//! The axum extractor: verified deliveries reach the handler, everything else is refused with a
//! bare status and a fixed body.
#![cfg(feature = "axum")]

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{DefaultBodyLimit, FromRef};
use axum::http::{Request, StatusCode};
use axum::routing::post;
use chrono::Utc;
use lever_client::webhooks::axum::{VerifiedWebhook, WebhookRejection};
use lever_client::webhooks::{WebhookEvent, WebhookVerifier, sign, signed_delivery};
use serde_json::json;
use sha2::{Digest, Sha256};
use tower::ServiceExt;

const TOKEN: &str = "sig-token-never-shown";

#[derive(Clone)]
struct AppState {
    verifier: WebhookVerifier,
}

impl FromRef<AppState> for WebhookVerifier {
    fn from_ref(state: &AppState) -> Self {
        state.verifier.clone()
    }
}

async fn handler(hook: VerifiedWebhook) -> String {
    let opportunity = match &hook.event {
        WebhookEvent::CandidateStageChange(h) => h.opportunity_id.clone().unwrap_or_default(),
        other => format!("unexpected {}", other.name()),
    };
    format!("{} {} {}", hook.delivery_id, opportunity, hook.digest)
}

fn app() -> Router {
    Router::new()
        .route("/lever", post(handler))
        .layer(DefaultBodyLimit::max(4096))
        .with_state(AppState {
            verifier: WebhookVerifier::new(TOKEN),
        })
}

async fn send(body: Vec<u8>) -> (StatusCode, String) {
    let request = Request::post("/lever")
        .header("content-type", "application/json")
        .body(Body::from(body))
        .unwrap();
    let response = app().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

#[tokio::test]
async fn a_valid_delivery_reaches_the_handler_with_its_event_and_delivery_id() {
    let body = signed_delivery(
        TOKEN,
        "candidateStageChange",
        json!({"opportunityId": "opp-1", "toStageId": "s2"}),
        Utc::now(),
    );
    let token = serde_json::from_slice::<serde_json::Value>(&body).unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let digest = hex::encode(Sha256::digest(&body));
    let (status, text) = send(body).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(text, format!("{token} opp-1 {digest}"));
}

#[tokio::test]
async fn a_forged_or_stale_delivery_is_401_with_a_bare_body() {
    let forged = signed_delivery(TOKEN, "candidateHired", json!({}), Utc::now());
    let forged = String::from_utf8(forged)
        .unwrap()
        .replace("\"token\":\"", "\"token\":\"x");
    let stale = signed_delivery(
        TOKEN,
        "candidateHired",
        json!({}),
        Utc::now() - chrono::Duration::hours(1),
    );
    let other_key = signed_delivery("another-key", "candidateHired", json!({}), Utc::now());
    for body in [
        forged.into_bytes(),
        stale,
        other_key,
        b"not json".to_vec(),
        br#"{"event":"candidateHired","token":"t","triggeredAt":1}"#.to_vec(),
    ] {
        let (status, text) = send(body).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(text, "invalid signature");
    }
}

#[tokio::test]
async fn a_signed_but_wrongly_typed_delivery_is_400() {
    let ms = Utc::now().timestamp_millis();
    let body = json!({"event": "candidateStageChange", "token": "t", "triggeredAt": ms,
        "signature": sign(TOKEN, "t", ms), "data": {"opportunityId": 5}});
    let (status, text) = send(serde_json::to_vec(&body).unwrap()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(text, "malformed webhook");
    // A signed delivery without an event name is malformed too, not a signature problem.
    let body = json!({"token": "t", "triggeredAt": ms, "signature": sign(TOKEN, "t", ms)});
    let (status, text) = send(serde_json::to_vec(&body).unwrap()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(text, "malformed webhook");
}

#[tokio::test]
async fn a_body_over_the_limit_is_413() {
    let big = "x".repeat(8192);
    let body = signed_delivery(TOKEN, "candidateHired", json!({ "note": big }), Utc::now());
    let (status, text) = send(body).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(!text.contains(TOKEN));
}

#[test]
fn rejections_say_why_in_logs_but_never_the_token() {
    let rejection = WebhookRejection::InvalidSignature(lever_client::Error::WebhookSignature);
    let text = format!("{rejection} {rejection:?}");
    assert!(text.contains("signature"), "{text}");
    assert!(!text.contains(TOKEN));
    assert_eq!(rejection.status(), StatusCode::UNAUTHORIZED);
    assert!(std::error::Error::source(&rejection).is_some());
}

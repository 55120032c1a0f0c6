//! `webhooks::axum::VerifiedWebhook` in a router: valid deliveries reach the
//! handler; forged, wrongly typed and oversized ones are refused without details.
#![cfg(feature = "axum")]

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, FromRef};
use axum::http::{Request, StatusCode};
use axum::routing::post;
use greenhouse_harvest::WebhookVerifier;
use greenhouse_harvest::webhooks::axum::VerifiedWebhook;
use greenhouse_harvest::webhooks::{self, WebhookEvent};
use serde_json::json;
use sha2::{Digest, Sha256};
use tower::ServiceExt;

const SECRET: &str = "axum-test-secret";

#[derive(Clone)]
struct AppState {
    verifier: WebhookVerifier,
    seen: Arc<Mutex<Vec<(String, String, String)>>>,
}

impl FromRef<AppState> for WebhookVerifier {
    fn from_ref(state: &AppState) -> Self {
        state.verifier.clone()
    }
}

async fn receive(
    axum::extract::State(state): axum::extract::State<AppState>,
    webhook: VerifiedWebhook,
) -> StatusCode {
    let id = match &webhook.event {
        WebhookEvent::CandidateAnonymized(a) => a.candidate_id.to_string(),
        other => other.action().to_owned(),
    };
    state
        .seen
        .lock()
        .unwrap()
        .push((webhook.delivery_id, webhook.digest, id));
    StatusCode::OK
}

fn app(state: AppState) -> Router {
    Router::new()
        .route("/hook", post(receive))
        .layer(DefaultBodyLimit::max(4096))
        .with_state(state)
}

fn state() -> AppState {
    AppState {
        verifier: WebhookVerifier::new(SECRET),
        seen: Arc::default(),
    }
}

fn delivery(body: &[u8], signature: &str, event_id: Option<&str>) -> Request<Body> {
    let mut req = Request::post("/hook")
        .header("content-type", "application/json")
        .header(webhooks::SIGNATURE_HEADER, signature);
    if let Some(id) = event_id {
        req = req.header(webhooks::EVENT_ID_HEADER, id);
    }
    req.body(Body::from(body.to_vec())).unwrap()
}

async fn answer(app: Router, req: Request<Body>) -> (StatusCode, String) {
    let resp = app.oneshot(req).await.unwrap();
    let status = resp.status();
    let body = axum::body::to_bytes(resp.into_body(), 1 << 16)
        .await
        .unwrap();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

fn anonymized(candidate_id: u64) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "action": "candidate_anonymized",
        "payload": {"candidate_id": candidate_id, "anonymized_fields": ["full_name"]}
    }))
    .unwrap()
}

#[tokio::test]
async fn a_valid_delivery_reaches_the_handler_with_its_delivery_id() {
    let state = state();
    let body = anonymized(42);
    let digest = hex::encode(Sha256::digest(&body));
    let signature = webhooks::sign(SECRET, &body);
    let (status, _) = answer(
        app(state.clone()),
        delivery(&body, &signature, Some("evt-123")),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // Without the event-id header, the body's digest is the dedupe key.
    let (status, _) = answer(app(state.clone()), delivery(&body, &signature, None)).await;
    assert_eq!(status, StatusCode::OK);
    let seen = state.seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        vec![
            ("evt-123".to_owned(), digest.clone(), "42".to_owned()),
            (format!("sha256:{digest}"), digest, "42".to_owned()),
        ]
    );
}

#[tokio::test]
async fn forged_or_unsigned_deliveries_get_401_and_nothing_else() {
    let state = state();
    let body = anonymized(42);
    let forged = webhooks::sign("not-the-secret", &body);
    for signature in [forged.as_str(), "", "sha256 zz", "md5 00"] {
        let (status, text) = answer(app(state.clone()), delivery(&body, signature, None)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{signature:?}");
        assert_eq!(text, "invalid signature");
    }
    // A valid signature over other bytes.
    let signature = webhooks::sign(SECRET, &anonymized(43));
    let (status, text) = answer(app(state.clone()), delivery(&body, &signature, None)).await;
    assert_eq!(
        (status, text.as_str()),
        (StatusCode::UNAUTHORIZED, "invalid signature")
    );
    assert!(state.seen.lock().unwrap().is_empty());
}

#[tokio::test]
async fn signed_but_wrongly_typed_deliveries_get_400() {
    let state = state();
    let bodies = [
        br#"{"action":"candidate_anonymized","payload":{"candidate_id":"not a number"}}"#.to_vec(),
        b"not json at all".to_vec(),
    ];
    for body in bodies {
        let signature = webhooks::sign(SECRET, &body);
        let (status, text) = answer(app(state.clone()), delivery(&body, &signature, None)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(text, "malformed webhook");
    }
    assert!(state.seen.lock().unwrap().is_empty());
}

#[tokio::test]
async fn bodies_over_the_limit_get_413() {
    let state = state();
    let body = serde_json::to_vec(&json!({
        "action": "ping",
        "payload": {"padding": "x".repeat(8192)}
    }))
    .unwrap();
    let signature = webhooks::sign(SECRET, &body);
    let (status, _) = answer(app(state.clone()), delivery(&body, &signature, None)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(state.seen.lock().unwrap().is_empty());
}

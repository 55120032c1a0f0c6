//! The axum receiver with a simple test webhook source: status codes, the
//! body limit, dedupe, and processing of what was recorded.
#![cfg(feature = "axum")]

use std::sync::Arc;

use async_trait::async_trait;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use tower::ServiceExt;

use aspect_sync_engine::index::{CandidateKey, CandidateStatus, IndexedCandidate};
use aspect_sync_engine::ingest::IndexUpdate;
use aspect_sync_engine::receiver::{MAX_BODY_BYTES, router};
use aspect_sync_engine::store::{MemoryStore, Store};
use aspect_sync_engine::{
    Ats, Engine, Error, RecordingNoteTaker, Tenant, TenantId, TenantSettings, Verified,
    WebhookHeaders, WebhookSource,
};

/// Accepts deliveries whose `Signature` header is `ok`; the body is
/// `{"id": "...", "candidate": "..."}`.
struct TestSource;

#[async_trait]
impl WebhookSource for TestSource {
    fn ats(&self) -> Ats {
        Ats::Greenhouse
    }
    fn verify(
        &self,
        _tenant: &TenantId,
        headers: &WebhookHeaders,
        body: &[u8],
    ) -> Result<Verified, Error> {
        if headers.signature.as_deref() != Some("ok") {
            return Err(Error::WebhookRejected("signature does not match".into()));
        }
        let value: serde_json::Value =
            serde_json::from_slice(body).map_err(|e| Error::MalformedPayload(e.to_string()))?;
        let candidate = value["candidate"]
            .as_str()
            .unwrap_or_default()
            .as_bytes()
            .to_vec();
        Ok(Verified {
            delivery_id: value["id"].as_str().unwrap_or_default().to_owned(),
            payload: candidate,
        })
    }
    async fn updates(
        &self,
        tenant: &TenantId,
        payload: &[u8],
        _store: &dyn aspect_sync_engine::store::Store,
    ) -> Result<Vec<IndexUpdate>, Error> {
        Ok(vec![IndexUpdate::Candidate(IndexedCandidate {
            key: CandidateKey {
                tenant: tenant.clone(),
                ats: Ats::Greenhouse,
                candidate_id: String::from_utf8(payload.to_vec()).unwrap(),
            },
            name: None,
            emails: vec!["ada@example.com".into()],
            status: CandidateStatus::Active,
            applications: vec![],
            updated_at: chrono::Utc::now(),
        })])
    }
}

fn setup() -> (Arc<Engine>, Arc<MemoryStore>) {
    let store = Arc::new(MemoryStore::new());
    let engine = Engine::new(store.clone(), Arc::new(RecordingNoteTaker::new()));
    let tenant = Tenant::new(TenantId::new("acme").unwrap(), TenantSettings::default())
        .with_webhook_source(Arc::new(TestSource));
    engine.add_tenant(tenant).unwrap();
    (Arc::new(engine), store)
}

async fn post(
    engine: &Arc<Engine>,
    uri: &str,
    signature: &str,
    body: Vec<u8>,
) -> (StatusCode, String) {
    let request = Request::post(uri)
        .header("Signature", signature)
        .body(Body::from(body))
        .unwrap();
    let response = router(engine.clone()).oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

#[tokio::test]
async fn records_once_then_processes() {
    let (engine, store) = setup();
    let body = br#"{"id":"evt-1","candidate":"42"}"#.to_vec();
    let uri = "/webhooks/greenhouse/acme";
    assert_eq!(
        post(&engine, uri, "ok", body.clone()).await.0,
        StatusCode::ACCEPTED
    );
    let (status, text) = post(&engine, uri, "ok", body).await;
    assert_eq!(status, StatusCode::OK);
    assert!(text.contains("duplicate"), "{text}");
    let report = engine.process_deliveries().await.unwrap();
    assert_eq!(report.candidates, 1);
    let tenant = TenantId::new("acme").unwrap();
    assert_eq!(
        store
            .candidates_by_email(&tenant, "ada@example.com")
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(
        store
            .pending_deliveries(chrono::Utc::now(), 10)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn refusals_have_clear_statuses_and_messages() {
    let (engine, _) = setup();
    let good = br#"{"id":"evt-1","candidate":"42"}"#.to_vec();
    // A forged signature, an unknown tenant, a malformed tenant id and a
    // tenant without that ATS look the same to the caller: nothing tells
    // an unauthenticated sender which tenants exist.
    let forged = post(&engine, "/webhooks/greenhouse/acme", "forged", good.clone()).await;
    assert_eq!(
        forged,
        (StatusCode::UNAUTHORIZED, "webhook refused".to_owned())
    );
    for path in [
        "/webhooks/greenhouse/globex",
        "/webhooks/greenhouse/not%20a%20tenant",
        "/webhooks/lever/acme",
    ] {
        assert_eq!(
            post(&engine, path, "ok", good.clone()).await,
            forged,
            "{path}"
        );
    }
    let (status, text) = post(
        &engine,
        "/webhooks/greenhouse/acme",
        "ok",
        b"{not json".to_vec(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(text.contains("malformed"), "{text}");
    let huge = vec![b' '; MAX_BODY_BYTES + 1];
    assert_eq!(
        post(&engine, "/webhooks/greenhouse/acme", "ok", huge)
            .await
            .0,
        StatusCode::PAYLOAD_TOO_LARGE
    );
}

/// A body refused before it was read closes the connection, and says so:
/// otherwise a sender reusing the connection loses its next delivery.
#[tokio::test]
async fn a_refused_unread_body_closes_the_connection() {
    use tower::ServiceExt as _;
    let (engine, _) = setup();
    let request = axum::http::Request::post("/webhooks/greenhouse/acme")
        .header("Signature", "ok")
        .body(axum::body::Body::from(vec![b' '; MAX_BODY_BYTES + 1]))
        .unwrap();
    let response = router(engine).oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        response.headers().get("connection").map(|v| v.as_bytes()),
        Some(&b"close"[..])
    );
}

#[tokio::test]
async fn health_answers_ok() {
    let (engine, _) = setup();
    let response = router(engine)
        .oneshot(Request::get("/health").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

mod limits {
    use super::*;
    use aspect_sync_engine::receiver::{ReceiverLimits, router_with_limits, serve};
    use std::time::Duration;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    async fn start(
        limits: ReceiverLimits,
    ) -> (std::net::SocketAddr, tokio::sync::oneshot::Sender<()>) {
        let (engine, _) = setup();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(serve(
            listener,
            router_with_limits(engine, limits),
            limits,
            async {
                let _ = stopped.await;
            },
        ));
        (addr, stop)
    }

    /// Reads what the server sends until it closes or `wait` passes.
    async fn answer(stream: &mut TcpStream, wait: Duration) -> Option<String> {
        let mut buf = Vec::new();
        match tokio::time::timeout(wait, stream.read_to_end(&mut buf)).await {
            Ok(_) => Some(String::from_utf8_lossy(&buf).into_owned()),
            Err(_) => None,
        }
    }

    #[tokio::test]
    async fn a_connection_that_never_finishes_its_headers_is_closed() {
        let limits = ReceiverLimits {
            header_read_timeout: Duration::from_millis(200),
            ..ReceiverLimits::default()
        };
        let (addr, _stop) = start(limits).await;
        let mut slow = TcpStream::connect(addr).await.unwrap();
        slow.write_all(b"POST /webhooks/greenhouse/acme HTTP/1.1\r\nHost: x\r\n")
            .await
            .unwrap();
        let closed = answer(&mut slow, Duration::from_secs(3)).await;
        assert!(closed.is_some(), "the server must hang up on a slow sender");
    }

    #[tokio::test]
    async fn a_body_that_never_arrives_times_out_and_excess_requests_are_shed() {
        let limits = ReceiverLimits {
            max_in_flight: 1,
            request_timeout: Duration::from_millis(800),
            ..ReceiverLimits::default()
        };
        let (addr, _stop) = start(limits).await;
        let mut slow = TcpStream::connect(addr).await.unwrap();
        slow.write_all(
            b"POST /webhooks/greenhouse/acme HTTP/1.1\r\nHost: x\r\nSignature: ok\r\nContent-Length: 100\r\n\r\n{\"id\":",
        )
        .await
        .unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
        // The one slot is taken: another request is refused at once.
        let mut other = TcpStream::connect(addr).await.unwrap();
        other
            .write_all(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        let shed = answer(&mut other, Duration::from_secs(2)).await.unwrap();
        assert!(shed.starts_with("HTTP/1.1 503"), "{shed}");
        // The slow body is cut off with 408.
        let cut = answer(&mut slow, Duration::from_secs(3)).await.unwrap();
        assert!(cut.starts_with("HTTP/1.1 408"), "{cut}");
    }
}

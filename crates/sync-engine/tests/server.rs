//! The multi-tenant server in-process: admin auth, what unauthenticated
//! callers learn, health and readiness, metrics, a submitted meeting posted
//! by the server's own workers, and a graceful shutdown that finishes a post
//! in flight.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use aspect_interview_core::Summarizer;
use aspect_sync_engine::connection::{ConnectConfig, Connections};
use aspect_sync_engine::index::{CandidateKey, CandidateStatus, IndexedCandidate};
use aspect_sync_engine::outbox::{NoteTarget, OutboxKey, OutboxState};
use aspect_sync_engine::secrets::SecretBox;
use aspect_sync_engine::server::{Secret, Server, ServerConfig};
use aspect_sync_engine::store::MemoryStore;
use aspect_sync_engine::{
    Ats, AtsConnector, ConnectorError, Engine, RecordingNoteTaker, Tenant, TenantId, TenantSettings,
};
use async_trait::async_trait;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::Utc;
use tokio::sync::Notify;
use tower::ServiceExt;

const TOKEN: &str = "test-admin-token-0123456789";
const CANDIDATE: &str = "jordan.ellis@example.com";
const VTT: &str = "WEBVTT\n\n00:00.000 --> 00:04.000\n<v Priya>What do you work on?\n\n\
    00:04.000 --> 00:09.000\n<v Jordan>Shipment tracking, mostly the ingestion pipeline.\n";

/// A Greenhouse stand-in that knows one candidate and records posts; a post
/// can be held until the test releases it.
#[derive(Default)]
struct Ats1 {
    posted: Mutex<Vec<(String, String)>>,
    hold: Option<(Arc<Notify>, Arc<Notify>)>,
}

#[async_trait]
impl AtsConnector for Ats1 {
    fn ats(&self) -> Ats {
        Ats::Greenhouse
    }
    async fn find_candidates_by_email(
        &self,
        tenant: &TenantId,
        email: &str,
    ) -> Result<Vec<IndexedCandidate>, ConnectorError> {
        if !email.eq_ignore_ascii_case(CANDIDATE) {
            return Ok(vec![]);
        }
        Ok(vec![IndexedCandidate {
            key: CandidateKey {
                tenant: tenant.clone(),
                ats: Ats::Greenhouse,
                candidate_id: "42".into(),
            },
            name: Some("Jordan Ellis".into()),
            emails: vec![CANDIDATE.into()],
            status: CandidateStatus::Active,
            applications: vec![],
            updated_at: Utc::now(),
        }])
    }
    async fn note_texts(&self, _: &NoteTarget) -> Result<Vec<String>, ConnectorError> {
        Ok(vec![])
    }
    async fn post_note(
        &self,
        target: &NoteTarget,
        body: &str,
    ) -> Result<Option<String>, ConnectorError> {
        if let Some((started, release)) = &self.hold {
            started.notify_one();
            release.notified().await;
        }
        self.posted
            .lock()
            .unwrap()
            .push((target.candidate_id.clone(), body.to_owned()));
        Ok(Some("note-1".into()))
    }
}

fn key() -> OutboxKey {
    OutboxKey {
        tenant: acme(),
        meeting_id: "meeting-1".into(),
        ats: Ats::Greenhouse,
        candidate_id: "42".into(),
    }
}

fn acme() -> TenantId {
    TenantId::new("acme").unwrap()
}

fn server_with(connector: Arc<Ats1>) -> Server {
    let engine = Arc::new(Engine::new(
        Arc::new(MemoryStore::new()),
        Arc::new(RecordingNoteTaker::new()),
    ));
    let config = ServerConfig::new(Secret::new(TOKEN))
        .with_worker_every(Duration::from_millis(50))
        .with_shutdown_grace(Duration::from_secs(10));
    let connections = Connections::new(
        engine.clone(),
        engine.store().clone(),
        SecretBox::new("k1", &[7; 32]).unwrap(),
        ConnectConfig::new("https://sync.example.com/".parse().unwrap()),
    );
    let server = Server::new(Arc::new(connections), config);
    server
        .add_tenant(
            Tenant::new(acme(), TenantSettings::new().own_domains(["acme.example"]))
                .with_connector(connector),
        )
        .unwrap();
    server
}

async fn call(server: &Server, request: Request<Body>) -> (StatusCode, String) {
    let response = server.router().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

fn admin(method: &str, path: &str, token: Option<&str>, body: serde_json::Value) -> Request<Body> {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", "application/json");
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    request.body(Body::from(body.to_string())).unwrap()
}

/// Submits `meeting("queue")` for acme through the admin API.
async fn queue_meeting(server: &Server) {
    let request = admin(
        "POST",
        "/admin/v1/tenants/acme/meetings",
        Some(TOKEN),
        meeting("queue"),
    );
    let (status, body) = call(server, request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

type Running = tokio::task::JoinHandle<std::io::Result<()>>;

/// Runs the whole server on a loopback port until `stop` is sent.
async fn serve(
    server: &Server,
) -> (
    std::net::SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    Running,
) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(server.clone().run(listener, async {
        let _ = stopped.await;
    }));
    (address, stop, running)
}

fn meeting(mode: &str) -> serde_json::Value {
    serde_json::json!({
        "mode": mode,
        "id": "meeting-1",
        "title": "Technical interview",
        "participants": [
            {"email": "priya@acme.example", "name": "Priya", "role": "interviewer"},
            {"email": CANDIDATE, "name": "Jordan"}
        ],
        "transcript": VTT,
    })
}

#[tokio::test]
async fn the_admin_api_refuses_missing_and_wrong_tokens_alike() {
    let server = server_with(Arc::default());
    let mut answers = vec![];
    for token in [None, Some("wrong"), Some(&TOKEN[..TOKEN.len() - 1])] {
        for path in [
            "/admin/v1/tenants/acme/status",
            "/admin/v1/tenants/nobody/status",
        ] {
            answers.push(call(&server, admin("GET", path, token, serde_json::json!({}))).await);
        }
    }
    assert!(
        answers.iter().all(|a| a
            == &(
                StatusCode::UNAUTHORIZED,
                r#"{"error":"unauthorized"}"#.into()
            )),
        "{answers:?}"
    );
    let (status, body) = call(
        &server,
        admin(
            "POST",
            "/admin/v1/tenants",
            Some(TOKEN),
            serde_json::json!({"tenant": "globex"}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = call(
        &server,
        admin(
            "GET",
            "/admin/v1/tenants/globex/status",
            Some(TOKEN),
            serde_json::json!({}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let status: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        status["lever"]["state"]["state"], "never_connected",
        "{body}"
    );
    assert_eq!(
        status["greenhouse"]["endpoint_url"],
        "https://sync.example.com/webhooks/greenhouse/globex"
    );
}

#[tokio::test]
async fn the_admin_api_answers_bad_requests_clearly() {
    let server = server_with(Arc::default());
    let post = |path: &str, body: serde_json::Value| admin("POST", path, Some(TOKEN), body);
    let (status, _) = call(
        &server,
        post("/admin/v1/tenants", serde_json::json!({"tenant": "a/b"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    call(
        &server,
        post("/admin/v1/tenants", serde_json::json!({"tenant": "globex"})),
    )
    .await;
    // Nothing to sync before a connection exists; nothing to disconnect.
    let (status, body) = call(
        &server,
        post("/admin/v1/tenants/globex/lever/sync", serde_json::json!({})),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (status, body) = call(
        &server,
        post(
            "/admin/v1/tenants/globex/greenhouse/disconnect",
            serde_json::json!({}),
        ),
    )
    .await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::OK, r#"{"disconnected":false}"#)
    );
    let (status, body) = call(
        &server,
        post(
            "/admin/v1/tenants/globex/greenhouse/connect",
            serde_json::json!({"client_id": "id", "client_secret": "s3cret-value", "admin_email": "nobody"}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(!body.contains("s3cret-value"), "{body}");
    let (status, _) = call(
        &server,
        post(
            "/admin/v1/tenants/globex/workday/sync",
            serde_json::json!({}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // No Lever app is configured on this server: a clear error, not a panic.
    let (status, body) = call(
        &server,
        post(
            "/admin/v1/tenants/globex/lever/connect",
            serde_json::json!({}),
        ),
    )
    .await;
    assert!(
        status.is_client_error() || status.is_server_error(),
        "{status} {body}"
    );
    assert!(body.contains("error"), "{body}");
}

#[tokio::test]
async fn unknown_tenants_and_tenants_without_the_ats_look_alike_to_webhook_callers() {
    let server = server_with(Arc::default());
    let post = |path: &str| {
        Request::post(path)
            .header("content-type", "application/json")
            .header("signature", "00")
            .body(Body::from("{}"))
            .unwrap()
    };
    // acme has no Lever at all, and no Greenhouse webhook source; "nobody"
    // does not exist; "../x" is not even a tenant id.
    let no_ats = call(&server, post("/webhooks/lever/acme")).await;
    let no_source = call(&server, post("/webhooks/greenhouse/acme")).await;
    let unknown = call(&server, post("/webhooks/lever/nobody")).await;
    let invalid = call(&server, post("/webhooks/lever/bad%20id")).await;
    assert_eq!(no_ats, (StatusCode::UNAUTHORIZED, "webhook refused".into()));
    assert_eq!(no_source, no_ats);
    assert_eq!(unknown, no_ats);
    assert_eq!(invalid, no_ats);
}

#[tokio::test]
async fn health_and_readiness_answer() {
    let server = server_with(Arc::default());
    let get = |path: &str| Request::get(path).body(Body::empty()).unwrap();
    assert_eq!(
        call(&server, get("/healthz")).await,
        (StatusCode::OK, "ok".into())
    );
    assert_eq!(
        call(&server, get("/readyz")).await,
        (StatusCode::OK, "ready".into())
    );
}

#[tokio::test]
async fn metrics_count_refusals_and_queued_notes() {
    let server = server_with(Arc::default());
    let refused = Request::post("/webhooks/lever/nobody")
        .body(Body::from("{}"))
        .unwrap();
    call(&server, refused).await;
    queue_meeting(&server).await;
    let (status, text) = call(
        &server,
        Request::get("/metrics").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        text.contains(r#"aspect_webhooks_refused_total{ats="lever",reason="refused"} 1"#),
        "{text}"
    );
    assert!(
        text.contains(r#"aspect_outbox_notes{state="pending"} 1"#),
        "{text}"
    );
    assert!(text.contains("aspect_outbox_oldest_due_seconds "), "{text}");
    assert!(
        text.contains(r#"aspect_ats_call_seconds_count{ats="greenhouse",op="plan"} 1"#),
        "{text}"
    );
    assert!(text.trim_end().ends_with("# EOF"), "{text}");
}

#[tokio::test]
async fn a_submitted_meeting_is_previewed_then_queued_and_posted_by_the_workers() {
    let connector = Arc::new(Ats1::default());
    let server = server_with(connector.clone());
    let (status, body) = call(
        &server,
        admin(
            "POST",
            "/admin/v1/tenants/acme/meetings",
            Some(TOKEN),
            meeting("preview"),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let preview: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(preview["queued"], false);
    assert_eq!(preview["notes"][0]["candidate_id"], "42");
    assert!(
        preview["notes"][0]["body"]
            .as_str()
            .unwrap()
            .contains("ingestion pipeline")
    );
    let key = key();
    let store = server.engine().store().clone();
    assert!(
        store.outbox_entry(&key).await.unwrap().is_none(),
        "a preview writes nothing"
    );

    queue_meeting(&server).await;

    let (_, stop, running) = serve(&server).await;
    let posted = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            let entry = store.outbox_entry(&key).await.unwrap().unwrap();
            if matches!(entry.state, OutboxState::Posted { .. }) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    assert!(posted.is_ok(), "the workers did not post the note");
    let notes = connector.posted.lock().unwrap().clone();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].0, "42");
    let _ = stop.send(());
    running.await.unwrap().unwrap();
}

#[tokio::test]
async fn bad_meetings_are_clear_errors() {
    let server = server_with(Arc::default());
    let mut both = meeting("queue");
    let transcript = aspect_interview_core::Transcript::parse(VTT).unwrap();
    let notes = aspect_interview_core::ExtractiveSummarizer::default()
        .summarize(&aspect_interview_core::SummaryRequest::new(&transcript))
        .await
        .unwrap();
    both["notes"] = serde_json::to_value(notes).unwrap();
    let (status, body) = call(
        &server,
        admin("POST", "/admin/v1/tenants/acme/meetings", Some(TOKEN), both),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.contains("exactly one"), "{body}");
    let mut bad_role = meeting("queue");
    bad_role["participants"][0]["role"] = "boss".into();
    let (status, body) = call(
        &server,
        admin(
            "POST",
            "/admin/v1/tenants/acme/meetings",
            Some(TOKEN),
            bad_role,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("boss"), "{body}");
    let (status, _) = call(
        &server,
        admin(
            "POST",
            "/admin/v1/tenants/nobody/meetings",
            Some(TOKEN),
            meeting("queue"),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn shutdown_waits_for_a_post_in_flight() {
    let started = Arc::new(Notify::new());
    let release = Arc::new(Notify::new());
    let connector = Arc::new(Ats1 {
        hold: Some((started.clone(), release.clone())),
        ..Ats1::default()
    });
    let server = server_with(connector.clone());
    queue_meeting(&server).await;
    let (address, stop, running) = serve(&server).await;
    tokio::time::timeout(Duration::from_secs(10), started.notified())
        .await
        .expect("the post never started");
    let _ = stop.send(());
    // Shutdown has begun: no new connections, but the post is still held.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!running.is_finished(), "shutdown did not wait for the post");
    assert!(
        tokio::net::TcpStream::connect(address).await.is_err(),
        "still accepting connections while shutting down"
    );
    release.notify_one();
    tokio::time::timeout(Duration::from_secs(10), running)
        .await
        .expect("shutdown did not finish")
        .unwrap()
        .unwrap();
    let key = key();
    let entry = server
        .engine()
        .store()
        .outbox_entry(&key)
        .await
        .unwrap()
        .unwrap();
    assert!(
        matches!(entry.state, OutboxState::Posted { .. }),
        "{:?}",
        entry.state
    );
    assert_eq!(connector.posted.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn the_settings_page_needs_a_session_and_its_posts_a_csrf_token() {
    let server = server_with(Arc::default());
    server
        .connections()
        .create_tenant(TenantId::new("globex").unwrap(), TenantSettings::new())
        .await
        .unwrap();
    let response = server
        .router()
        .oneshot(
            Request::get("/settings/globex")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(
        response.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/settings/login")
    );

    let login = |token: &str| {
        Request::post("/settings/login")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "token={token}&next=%2Fsettings%2Fglobex"
            )))
            .unwrap()
    };
    let (status, _) = call(&server, login("wrong-token")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let response = server.router().oneshot(login(TOKEN)).await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert!(
        !cookie.contains(TOKEN),
        "the cookie must not hold the token"
    );
    let session = cookie.split(';').next().unwrap().to_owned();

    let page = Request::get("/settings/globex")
        .header("cookie", &session)
        .body(Body::empty())
        .unwrap();
    let (status, html) = call(&server, page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Not connected") && html.contains("id=lever-toggle"),
        "{html}"
    );

    // A POST with the session but without the CSRF token is refused.
    let forged = Request::post("/settings/globex/greenhouse")
        .header("cookie", &session)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(
            "client_id=a&client_secret=b&admin_email=c%40d.example",
        ))
        .unwrap();
    assert_eq!(call(&server, forged).await.0, StatusCode::FORBIDDEN);
    let no_session = Request::post("/settings/globex/greenhouse/sync")
        .body(Body::empty())
        .unwrap();
    assert_eq!(call(&server, no_session).await.0, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_lever_callback_without_a_valid_state_connects_nothing() {
    let server = server_with(Arc::default());
    let (status, html) = call(
        &server,
        Request::get("/oauth/lever/callback?code=abc&state=forged")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("not connected"), "{html}");
    let (status, html) = call(
        &server,
        Request::get(
            "/oauth/lever/callback?error=access_denied&error_description=%3Cb%3Edenied%3C%2Fb%3E",
        )
        .body(Body::empty())
        .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        html.contains("&lt;b&gt;denied"),
        "the reason is escaped: {html}"
    );
}

//! The settings page in a real headless browser (Debian's `chromium`, driven
//! by `tests/browser/settings.mjs` through `playwright-core`), against the
//! server and the fake Lever and Greenhouse, all in this process:
//! toggle Lever → consent → Active; Greenhouse credentials → Update → Sync
//! completes → endpoint and secret shown; revoke in the fake Lever →
//! Inactive with its reason.
//!
//! Needs `node`, `chromium` and `npm install` in `tests/browser` (`.ci/run`
//! installs them). Without them the test prints why and passes, except under
//! `CI=true`, where it fails.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use aspect_interview_core::{
    ExtractiveSummarizer, Meeting, Participant, ParticipantRole, Summarizer, SummaryRequest,
    Transcript,
};
use aspect_sync_engine::connection::{ConnectConfig, Connections, GreenhouseApi, LeverApp};
use aspect_sync_engine::secrets::SecretBox;
use aspect_sync_engine::server::{Secret, Server, ServerConfig};
use aspect_sync_engine::store::{MemoryStore, Store};
use aspect_sync_engine::worker::RetrySchedule;
use aspect_sync_engine::{Engine, RecordingNoteTaker, TenantId, TenantSettings};
use chrono::Utc;
use greenhouse_harvest::testing::FakeGreenhouse;
use lever_client::testing::{FakeLever, NewCandidate};

const TOKEN: &str = "browser-admin-token-0123456789";

fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// Why the browser test cannot run here, if it cannot.
fn missing_tools() -> Option<String> {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() {
        return Some(format!(
            "no chromium at {chromium} (apt-get install chromium)"
        ));
    }
    if Command::new("node").arg("--version").output().is_err() {
        return Some("no node on PATH".into());
    }
    if !browser_dir().join("node_modules/playwright-core").exists() {
        return Some(format!(
            "playwright-core not installed (npm install in {})",
            browser_dir().display()
        ));
    }
    None
}

/// Runs one phase of the browser script; returns its output.
async fn browser(args: Vec<String>) -> String {
    let output = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg(browser_dir().join("settings.mjs"))
            .args(&args)
            .output()
            .expect("node runs")
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    print!("{stdout}");
    assert!(
        output.status.success(),
        "browser step failed:\n{stdout}\n{stderr}"
    );
    stdout
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_connects_both_ats_in_a_real_browser() {
    if let Some(why) = missing_tools() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "the browser test cannot run under CI: {why}"
        );
        println!("SKIPPED the browser test: {why}");
        return;
    }
    let lever = FakeLever::start().await;
    lever.set_rate_limit(None);
    let greenhouse = FakeGreenhouse::start().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());

    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let engine = Arc::new(
        Engine::new(store.clone(), Arc::new(RecordingNoteTaker::new())).with_retry_schedule(
            RetrySchedule {
                base_delay: Duration::ZERO,
                max_delay: Duration::ZERO,
                max_attempts: 6,
            },
        ),
    );
    let connect = ConnectConfig::new(url.parse().unwrap())
        .lever(
            LeverApp::new(lever.oauth_client_id(), lever.oauth_client_secret())
                .authorize_url(lever.authorize_url())
                .token_url(lever.token_url())
                .api_base_url(lever.base_url()),
        )
        .greenhouse(
            GreenhouseApi::new()
                .base_url(greenhouse.base_url())
                .token_url(greenhouse.token_url()),
        );
    let connections = Arc::new(Connections::new(
        engine.clone(),
        store,
        SecretBox::new("k1", &[7; 32]).unwrap(),
        connect,
    ));
    let acme = TenantId::new("acme").unwrap();
    connections
        .create_tenant(
            acme.clone(),
            TenantSettings::new().own_domains(["acme.example"]),
        )
        .await
        .unwrap();
    // Long worker interval: the test delivers notes itself, step by step.
    let config = ServerConfig::new(Secret::new(TOKEN))
        .with_public_url(&url)
        .with_worker_every(Duration::from_secs(3600));
    let server = Server::new(connections.clone(), config);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(server.clone().run(listener, async {
        let _ = stopped.await;
    }));

    let out = browser(vec![
        "connect".into(),
        url.clone(),
        TOKEN.into(),
        greenhouse.client_id().into(),
        greenhouse.client_secret().into(),
        "kate.austen@example.com".into(),
    ])
    .await;
    let shown: serde_json::Value =
        serde_json::from_str(out.lines().last().unwrap()).expect("the endpoint and secret");
    let setup = connections.greenhouse_setup(&acme).await.unwrap().unwrap();
    assert_eq!(shown["endpoint"], format!("{url}/webhooks/greenhouse/acme"));
    assert_eq!(shown["secret"], setup.webhook_secret.as_str());

    // Stop the server, so that its workers (woken by new work) cannot post
    // before the revocation; the test posts by hand, then serves again.
    let _ = stop.send(());
    running.await.unwrap().unwrap();

    // The customer clicks "Revoke Access" in Lever; the next post is refused.
    lever.add_candidate(NewCandidate::new("Jordan Ellis", "jordan@example.com"));
    let transcript = Transcript::parse(
        "WEBVTT\n\n00:00.000 --> 00:04.000\n<v Priya>What do you work on?\n\n\
         00:04.000 --> 00:09.000\n<v Jordan>Shipment tracking, mostly the ingestion pipeline.\n",
    )
    .unwrap();
    let notes = ExtractiveSummarizer::default()
        .summarize(&SummaryRequest::new(&transcript))
        .await
        .unwrap();
    let meeting = Meeting::new("m1", "Technical interview", Utc::now())
        .with_participant(Participant::new(
            "priya@acme.example",
            ParticipantRole::Interviewer,
        ))
        .with_participant(Participant::new(
            "jordan@example.com",
            ParticipantRole::Unknown,
        ));
    let plan = engine.enqueue_notes(&acme, &meeting, &notes).await.unwrap();
    assert!(!plan.notes.is_empty(), "{plan:?}");
    lever.revoke_oauth_access();
    let report = engine.deliver_due_notes().await.unwrap();
    assert!(report.parked >= 1, "{report:?}");

    let listener = tokio::net::TcpListener::bind(url.trim_start_matches("http://"))
        .await
        .unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(server.run(listener, async {
        let _ = stopped.await;
    }));
    browser(vec!["revoked".into(), url.clone(), TOKEN.into()]).await;

    let _ = stop.send(());
    running.await.unwrap().unwrap();
}

//! The connection lifecycle against the fake Lever and Greenhouse servers:
//! Lever's OAuth consent (through the fake's consent page), Greenhouse's
//! credentials and Sync, status, revocation and reconnection, disconnect,
//! and restarts: the rotating Lever refresh token survives a restart and
//! two processes on one store share one token chain.

use std::sync::Arc;
use std::time::Duration;

use aspect_interview_core::{
    ExtractiveSummarizer, InterviewNotes, Meeting, Participant, ParticipantRole, Summarizer,
    SummaryRequest, Transcript,
};
use aspect_sync_engine::connection::{
    CONNECTION, ConnectConfig, ConnectionState, Connections, GreenhouseApi, GreenhouseCredentials,
    LEVER_TOKENS, LeverApp, OAUTH_STATE, TenantStatus,
};
use aspect_sync_engine::secrets::SecretBox;
use aspect_sync_engine::store::{MemoryStore, SqliteStore, Store};
use aspect_sync_engine::worker::RetrySchedule;
use aspect_sync_engine::{
    Ats, Engine, Error, RecordingNoteTaker, TenantId, TenantSettings, WebhookHeaders,
};
use chrono::Utc;
use greenhouse_harvest::testing::FakeGreenhouse;
use lever_client::testing::{FakeLever, NewCandidate};
use serde_json::json;
use url::Url;

const KEY: [u8; 32] = [7; 32];

fn acme() -> TenantId {
    TenantId::new("acme").unwrap()
}

fn secrets() -> SecretBox {
    SecretBox::new("k1", &KEY).unwrap()
}

fn config(lever: &FakeLever, greenhouse: Option<&FakeGreenhouse>) -> ConnectConfig {
    let mut config = ConnectConfig::new("https://sync.example.com/".parse().unwrap()).lever(
        LeverApp::new(lever.oauth_client_id(), lever.oauth_client_secret())
            .authorize_url(lever.authorize_url())
            .token_url(lever.token_url())
            .api_base_url(lever.base_url()),
    );
    if let Some(gh) = greenhouse {
        config = config.greenhouse(
            GreenhouseApi::new()
                .base_url(gh.base_url())
                .token_url(gh.token_url()),
        );
    }
    config
}

/// One process: an engine and its connections over `store`.
fn process(store: Arc<dyn Store>, config: ConnectConfig) -> Connections {
    let engine = Engine::new(store.clone(), Arc::new(RecordingNoteTaker::new()))
        .with_retry_schedule(RetrySchedule {
            base_delay: Duration::ZERO,
            max_delay: Duration::ZERO,
            max_attempts: 6,
        });
    Connections::new(Arc::new(engine), store, secrets(), config)
}

async fn with_tenant(connections: &Connections) {
    connections
        .create_tenant(acme(), TenantSettings::new().own_domains(["acme.example"]))
        .await
        .unwrap();
}

/// Follows the fake's consent page like the admin: opens it, checks the
/// requested permissions are listed, clicks Accept; returns the callback's
/// `state` and `code`.
async fn consent(authorize: &Url) -> (String, String) {
    // reqwest is built without a TLS provider of its own in this workspace.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = http.get(authorize.clone()).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("notes:write:admin"), "{html}");
    assert!(html.contains("webhooks:write:admin"), "{html}");
    assert!(html.contains(r#"id="accept""#), "{html}");
    // The form posts its hidden fields (the authorize query) and the decision.
    let mut form: Vec<(String, String)> = authorize.query_pairs().into_owned().collect();
    form.push(("decision".into(), "accept".into()));
    let mut action = authorize.clone();
    action.set_query(None);
    let answer = http.post(action).form(&form).send().await.unwrap();
    assert_eq!(answer.status(), 302);
    let location: Url = answer.headers()["location"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        location.as_str().split('?').next(),
        Some("https://sync.example.com/oauth/lever/callback")
    );
    let pair = |k: &str| {
        location
            .query_pairs()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.into_owned())
            .unwrap_or_else(|| panic!("no {k} in {location}"))
    };
    (pair("state"), pair("code"))
}

/// The fake Lever, without its rate limit (these tests are not about pacing).
async fn lever_fake() -> FakeLever {
    let lever = FakeLever::start().await;
    lever.set_rate_limit(None);
    lever
}

/// A process with the acme tenant, connected to Lever through consent.
async fn connected(store: Arc<dyn Store>, config: ConnectConfig) -> Connections {
    let connections = process(store, config);
    with_tenant(&connections).await;
    connect_lever(&connections).await;
    connections
}

async fn connect_lever(connections: &Connections) {
    let url = connections.start_lever(&acme()).await.unwrap();
    let (state, code) = consent(&url).await;
    assert_eq!(
        connections.complete_lever(&state, &code).await.unwrap(),
        acme()
    );
}

async fn status(connections: &Connections) -> TenantStatus {
    connections.status(&acme()).await.unwrap()
}

async fn notes() -> InterviewNotes {
    let transcript = Transcript::parse(
        "WEBVTT\n\n00:00.000 --> 00:04.000\n<v Priya>What do you work on?\n\n\
         00:04.000 --> 00:09.000\n<v Jordan>Shipment tracking, mostly the ingestion pipeline.\n",
    )
    .unwrap();
    ExtractiveSummarizer::default()
        .summarize(&SummaryRequest::new(&transcript))
        .await
        .unwrap()
}

fn meeting(id: &str, candidate: &str) -> Meeting {
    Meeting::new(id, "Technical interview", Utc::now())
        .with_participant(Participant::new(
            "priya@acme.example",
            ParticipantRole::Interviewer,
        ))
        .with_participant(Participant::new(candidate, ParticipantRole::Unknown))
}

/// Waits for the background note of a received webhook.
async fn until(connections: &Connections, done: impl Fn(&TenantStatus) -> bool) -> TenantStatus {
    for _ in 0..100 {
        let now = status(connections).await;
        if done(&now) {
            return now;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    status(connections).await
}

/// The signature tokens stored for the tenant's Lever webhooks (sealed).
async fn stored_signature_tokens(store: &dyn Store) -> Vec<String> {
    let record = store
        .record(CONNECTION, "acme/lever")
        .await
        .unwrap()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_str(&record.value).unwrap();
    let sealed = doc["lever"]["webhook_tokens"].as_str().unwrap();
    let plain = secrets()
        .open_str(CONNECTION, "acme/lever", sealed)
        .unwrap();
    serde_json::from_str(&plain).unwrap()
}

#[tokio::test]
async fn lever_connects_through_consent_registers_webhooks_and_posts() {
    let lever = lever_fake().await;
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let connections = process(store.clone(), config(&lever, None));
    with_tenant(&connections).await;
    let before = status(&connections).await;
    assert_eq!(before.lever.state, ConnectionState::NeverConnected);
    assert!(before.lever.webhooks_to_create.is_empty());
    assert_eq!(
        before.lever.endpoint_url,
        "https://sync.example.com/webhooks/lever/acme"
    );

    let url = connections.start_lever(&acme()).await.unwrap();
    assert!(url.as_str().starts_with(&lever.authorize_url()), "{url}");
    let (state, code) = consent(&url).await;
    connections.complete_lever(&state, &code).await.unwrap();

    // Active, with the eight webhooks registered for the tenant's URL.
    let now = status(&connections).await;
    assert_eq!(now.lever.state, ConnectionState::Active);
    assert_eq!(now.lever.webhooks_to_create.len(), 8);
    let hooks = lever.client().webhooks().await.unwrap();
    assert_eq!(hooks.len(), 8);
    assert!(
        hooks
            .iter()
            .all(|h| h.url.as_deref() == Some("https://sync.example.com/webhooks/lever/acme"))
    );
    // Tokens and webhook secrets are stored sealed, never in clear.
    let tokens = store.record(LEVER_TOKENS, "acme").await.unwrap().unwrap();
    assert!(tokens.value.starts_with("v1.k1."));
    assert!(!tokens.value.contains("eyJfake"));
    let signature_tokens = stored_signature_tokens(&*store).await;
    assert_eq!(signature_tokens.len(), 8);
    let connection = store
        .record(CONNECTION, "acme/lever")
        .await
        .unwrap()
        .unwrap();
    assert!(!connection.value.contains(&signature_tokens[0]));

    // A signed delivery is accepted, and its kind leaves the to-do list.
    let body = lever_client::webhooks::signed_delivery(
        &signature_tokens[1],
        "candidateStageChange",
        json!({"opportunityId": "o-1", "toStageId": "s", "fromStageId": "t"}),
        Utc::now(),
    );
    connections
        .engine()
        .receive_webhook(Ats::Lever, &acme(), &WebhookHeaders::default(), &body)
        .await
        .unwrap();
    let seen = until(&connections, |s| s.lever.last_webhook_at.is_some()).await;
    assert!(seen.lever.last_webhook_at.is_some());
    assert_eq!(seen.lever.webhooks_to_create.len(), 7);
    assert!(
        seen.lever
            .webhooks_to_create
            .iter()
            .all(|h| h.event != "candidateStageChange")
    );

    // A note goes out through the OAuth connection.
    let opportunity = lever.add_candidate(NewCandidate::new("Jordan Ellis", "jordan@example.com"));
    let engine = connections.engine();
    let plan = engine
        .enqueue_notes(
            &acme(),
            &meeting("m1", "jordan@example.com"),
            &notes().await,
        )
        .await
        .unwrap();
    assert_eq!(plan.notes.len(), 1, "{plan:?}");
    assert_eq!(engine.deliver_due_notes().await.unwrap().posted, 1);
    assert_eq!(lever.notes_for(&opportunity).len(), 1);
}

#[tokio::test]
async fn states_are_single_use_bound_and_expire() {
    let lever = lever_fake().await;
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let connections = process(store.clone(), config(&lever, None));
    // No tenant, no authorization.
    assert!(matches!(
        connections.start_lever(&acme()).await,
        Err(Error::UnknownTenant(_))
    ));
    with_tenant(&connections).await;
    let url = connections.start_lever(&acme()).await.unwrap();
    let (state, code) = consent(&url).await;
    // The state is stored only as its hash.
    let stored = store.records(OAUTH_STATE).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0].0, state);
    assert!(!stored[0].1.value.contains(&state));

    // An unknown state is refused; the right one works once.
    assert!(matches!(
        connections.complete_lever("forged", &code).await,
        Err(Error::Authorization(_))
    ));
    connections.complete_lever(&state, &code).await.unwrap();
    assert!(matches!(
        connections.complete_lever(&state, &code).await,
        Err(Error::Authorization(_))
    ));

    // An expired state is refused (and consumed).
    let url = connections.start_lever(&acme()).await.unwrap();
    let (state, code) = consent(&url).await;
    let (key, record) = store.records(OAUTH_STATE).await.unwrap().remove(0);
    let mut doc: serde_json::Value = serde_json::from_str(&record.value).unwrap();
    doc["expires_at"] = json!((Utc::now() - chrono::Duration::seconds(1)).to_rfc3339());
    store
        .put_record(OAUTH_STATE, &key, &doc.to_string(), Some(record.version))
        .await
        .unwrap()
        .unwrap();
    let err = connections.complete_lever(&state, &code).await.unwrap_err();
    assert!(err.to_string().contains("expired"), "{err}");
    assert!(store.records(OAUTH_STATE).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_revoked_lever_connection_turns_inactive_and_reconnecting_resumes_its_work() {
    let lever = lever_fake().await;
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let connections = connected(store.clone(), config(&lever, None)).await;
    let opportunity = lever.add_candidate(NewCandidate::new("Jordan Ellis", "jordan@example.com"));
    let engine = connections.engine().clone();
    engine
        .enqueue_notes(
            &acme(),
            &meeting("m1", "jordan@example.com"),
            &notes().await,
        )
        .await
        .unwrap();

    // The customer clicks "Revoke Access" in Lever.
    lever.revoke_oauth_access();
    let report = engine.deliver_due_notes().await.unwrap();
    assert_eq!(report.parked, 1, "{report:?}");
    let now = status(&connections).await;
    let ConnectionState::Inactive { reason } = &now.lever.state else {
        panic!("{:?}", now.lever.state);
    };
    assert!(reason.contains("refused"), "{reason}");
    assert_eq!(now.lever.parked_notes, 1);
    assert!(lever.notes_for(&opportunity).is_empty());

    // Connecting again makes it Active and posts the parked note.
    connect_lever(&connections).await;
    let now = status(&connections).await;
    assert_eq!(now.lever.state, ConnectionState::Active);
    assert_eq!(now.lever.parked_notes, 0);
    engine.deliver_due_notes().await.unwrap();
    assert_eq!(lever.notes_for(&opportunity).len(), 1);
}

#[tokio::test]
async fn greenhouse_connects_syncs_to_active_and_disconnects() {
    let lever = FakeLever::start().await;
    let greenhouse = FakeGreenhouse::start().await;
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let connections = process(store.clone(), config(&lever, Some(&greenhouse)));
    with_tenant(&connections).await;
    let credentials = |email: &str, secret: &str| GreenhouseCredentials {
        client_id: greenhouse.client_id().to_owned(),
        client_secret: secret.to_owned(),
        admin_email: email.to_owned(),
    };
    // Wrong secret, unknown admin: clear errors, nothing stored.
    let bad = connections
        .connect_greenhouse(&acme(), credentials("kate.austen@example.com", "wrong"))
        .await
        .unwrap_err();
    assert!(matches!(bad, Error::Setup(_)), "{bad}");
    let unknown = connections
        .connect_greenhouse(
            &acme(),
            credentials("nobody@example.com", greenhouse.client_secret()),
        )
        .await
        .unwrap_err();
    assert!(
        unknown.to_string().contains("nobody@example.com"),
        "{unknown}"
    );
    assert_eq!(
        status(&connections).await.greenhouse.state,
        ConnectionState::NeverConnected
    );

    let setup = connections
        .connect_greenhouse(
            &acme(),
            credentials("Kate.Austen@example.com", greenhouse.client_secret()),
        )
        .await
        .unwrap();
    assert_eq!(
        setup.endpoint_url,
        "https://sync.example.com/webhooks/greenhouse/acme"
    );
    assert_eq!(setup.user_id, greenhouse.user_id());
    assert!(setup.webhook_secret.len() >= 32);
    assert!(!format!("{setup:?}").contains(&setup.webhook_secret));
    let again = connections
        .greenhouse_setup(&acme())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.webhook_secret, setup.webhook_secret);
    let record = store
        .record(CONNECTION, "acme/greenhouse")
        .await
        .unwrap()
        .unwrap();
    assert!(!record.value.contains(&setup.webhook_secret));
    assert!(!record.value.contains(greenhouse.client_secret()));
    let waiting = status(&connections).await.greenhouse;
    assert!(
        matches!(&waiting.state, ConnectionState::Inactive { reason } if reason.contains("Sync")),
        "{waiting:?}"
    );
    assert_eq!(waiting.webhooks_to_create.len(), 6);

    // Sync: progress recorded, then Active.
    let report = connections.sync(&acme(), Ats::Greenhouse).await.unwrap();
    let synced = status(&connections).await.greenhouse;
    assert_eq!(synced.state, ConnectionState::Active);
    let last = synced.last_sync.unwrap();
    assert!(!last.running && last.error.is_none());
    assert_eq!(last.percent(), 100);
    assert_eq!(last.resources_done, last.resources_total);
    assert!(
        last.items > 0 && report.candidates > 0,
        "{last:?} {report:?}"
    );

    // A delivery signed with the generated secret is accepted.
    let body = serde_json::to_vec(
        &json!({"action": "update_candidate", "payload": {"candidate": {
        "id": 15696179, "first_name": "Ronald", "last_name": "Ronnie",
        "email_addresses": [{"value": "ronald@example.com", "type": "work"}]}}}),
    )
    .unwrap();
    let headers = WebhookHeaders {
        signature: Some(greenhouse_harvest::webhooks::sign(
            &setup.webhook_secret,
            &body,
        )),
        event_id: Some("evt-1".into()),
    };
    let engine = connections.engine().clone();
    engine
        .receive_webhook(Ats::Greenhouse, &acme(), &headers, &body)
        .await
        .unwrap();
    let seen = until(&connections, |s| s.greenhouse.last_webhook_at.is_some()).await;
    assert_eq!(seen.greenhouse.webhooks_to_create.len(), 5);

    // Disconnect: secrets gone, connector detached, deliveries refused.
    assert!(
        connections
            .disconnect(&acme(), Ats::Greenhouse)
            .await
            .unwrap()
    );
    assert!(
        store
            .record(CONNECTION, "acme/greenhouse")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        connections
            .greenhouse_setup(&acme())
            .await
            .unwrap()
            .is_none()
    );
    let gone = status(&connections).await.greenhouse;
    assert_eq!(gone.state, ConnectionState::NeverConnected);
    assert!(gone.last_webhook_at.is_none());
    assert!(matches!(
        engine
            .receive_webhook(Ats::Greenhouse, &acme(), &headers, &body)
            .await,
        Err(Error::NotConnected { .. })
    ));
    assert!(
        !connections
            .disconnect(&acme(), Ats::Greenhouse)
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn lever_disconnect_deletes_tokens_and_webhooks() {
    let lever = lever_fake().await;
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let connections = connected(store.clone(), config(&lever, None)).await;
    assert_eq!(lever.client().webhooks().await.unwrap().len(), 8);
    // A note waiting to be posted when the admin disconnects.
    let waiting = aspect_sync_engine::outbox::OutboxEntry::new(
        aspect_sync_engine::outbox::OutboxKey {
            tenant: acme(),
            meeting_id: "m-waiting".into(),
            ats: Ats::Lever,
            candidate_id: "c-1".into(),
        },
        aspect_sync_engine::outbox::NoteTarget {
            candidate_id: "c-1".into(),
            application_id: Some("o-1".into()),
        },
        "what the candidate said".into(),
        "[aspect-meeting:m-waiting]".into(),
    );
    assert!(store.enqueue_note(&waiting).await.unwrap());
    assert!(connections.disconnect(&acme(), Ats::Lever).await.unwrap());
    // Nothing the customer did not ask to keep: the note text is gone and
    // the note will never be posted.
    let kept = store.outbox_entry(&waiting.key).await.unwrap().unwrap();
    assert!(
        matches!(
            kept.state,
            aspect_sync_engine::outbox::OutboxState::Failed { .. }
        ),
        "{:?}",
        kept.state
    );
    assert!(kept.body.is_empty());
    assert!(lever.client().webhooks().await.unwrap().is_empty());
    assert!(store.record(LEVER_TOKENS, "acme").await.unwrap().is_none());
    assert!(
        store
            .record(CONNECTION, "acme/lever")
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        status(&connections).await.lever.state,
        ConnectionState::NeverConnected
    );
    assert!(
        connections.engine().tenant(&acme()).is_ok(),
        "the tenant stays"
    );
}

#[tokio::test]
async fn a_rotated_refresh_token_survives_a_restart() {
    let lever = lever_fake().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("engine.sqlite3");
    let open = || -> Arc<dyn Store> { Arc::new(SqliteStore::open(&path).unwrap()) };
    {
        let connections = connected(open(), config(&lever, None)).await;
        // The access token lapses: the next call refreshes, rotating the
        // refresh token (the fake kills the used one).
        lever.expire_access_tokens();
        connections.sync(&acme(), Ats::Lever).await.unwrap();
        assert_eq!(lever.request_count("POST /oauth/token"), 2);
    }
    // A new process on the same file: everything comes back from the store.
    let connections = process(open(), config(&lever, None));
    assert_eq!(connections.load().await.unwrap(), 1);
    lever.expire_access_tokens();
    connections.sync(&acme(), Ats::Lever).await.unwrap();
    assert_eq!(lever.request_count("POST /oauth/token"), 3);
    assert_eq!(lever.live_refresh_tokens(), 1, "one chain");
    assert_eq!(
        status(&connections).await.lever.state,
        ConnectionState::Active
    );
}

#[tokio::test]
async fn two_processes_on_one_store_share_one_token_chain() {
    let lever = lever_fake().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("engine.sqlite3");
    let open = || -> Arc<dyn Store> { Arc::new(SqliteStore::open(&path).unwrap()) };
    let first = connected(open(), config(&lever, None)).await;
    let second = process(open(), config(&lever, None));
    assert_eq!(second.load().await.unwrap(), 1);
    lever.add_candidate(NewCandidate::new("Jordan Ellis", "jordan@example.com"));
    let lookup = |connections: &Connections, id: &str| {
        let engine = connections.engine().clone();
        let meeting = meeting(id, "jordan@example.com");
        async move {
            engine
                .preview_notes(&acme(), &meeting, &notes().await)
                .await
        }
    };
    // Both hold the same tokens in memory.
    for connections in [&first, &second] {
        let plan = lookup(connections, "warm").await.unwrap();
        assert!(plan.failed.is_empty(), "{plan:?}");
    }
    // The access token lapses and both refresh at once: the fake takes the
    // refresh token once, so one of them is refused and must pick up the
    // other's rotation from the store instead of reporting a revocation.
    for round in 0..3 {
        lever.expire_access_tokens();
        let (a, b) = tokio::join!(
            lookup(&first, &format!("a{round}")),
            lookup(&second, &format!("b{round}"))
        );
        for plan in [a.unwrap(), b.unwrap()] {
            assert!(plan.failed.is_empty(), "round {round}: {plan:?}");
            assert_eq!(plan.notes.len(), 1, "round {round}: {plan:?}");
        }
    }
    assert_eq!(lever.live_refresh_tokens(), 1, "one chain");
    for connections in [&first, &second] {
        assert_eq!(
            status(connections).await.lever.state,
            ConnectionState::Active
        );
    }
    // A third process continues the same chain.
    let third = process(open(), config(&lever, None));
    third.load().await.unwrap();
    lever.expire_access_tokens();
    assert!(lookup(&third, "c").await.unwrap().failed.is_empty());
}

#[tokio::test]
async fn tenants_come_back_from_the_store_with_key_rotation() {
    let lever = lever_fake().await;
    let greenhouse = FakeGreenhouse::start().await;
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let connections = connected(store.clone(), config(&lever, Some(&greenhouse))).await;
    let setup = connections
        .connect_greenhouse(
            &acme(),
            GreenhouseCredentials {
                client_id: greenhouse.client_id().into(),
                client_secret: greenhouse.client_secret().into(),
                admin_email: "kate.austen@example.com".into(),
            },
        )
        .await
        .unwrap();
    // A new key goes first; the old one stays for reading.
    let rotated = SecretBox::new("k2", &[9; 32])
        .unwrap()
        .with_old_key("k1", &KEY)
        .unwrap();
    let engine = Engine::new(store.clone(), Arc::new(RecordingNoteTaker::new()));
    let replica = Connections::new(
        Arc::new(engine),
        store.clone(),
        rotated,
        config(&lever, Some(&greenhouse)),
    );
    assert_eq!(replica.load().await.unwrap(), 1);
    assert_eq!(
        replica
            .greenhouse_setup(&acme())
            .await
            .unwrap()
            .unwrap()
            .webhook_secret,
        setup.webhook_secret
    );
    assert_eq!(replica.reencrypt_all().await.unwrap(), 3);
    assert_eq!(replica.reencrypt_all().await.unwrap(), 0);
    // Only the new key is needed now.
    let engine = Engine::new(store.clone(), Arc::new(RecordingNoteTaker::new()));
    let new_only = Connections::new(
        Arc::new(engine),
        store.clone(),
        SecretBox::new("k2", &[9; 32]).unwrap(),
        config(&lever, Some(&greenhouse)),
    );
    new_only.load().await.unwrap();
    let tenant = new_only.engine().tenant(&acme()).unwrap();
    assert_eq!(
        format!("{tenant:?}").matches("Lever").count(),
        1,
        "{tenant:?}"
    );
    new_only.sync(&acme(), Ats::Lever).await.unwrap();
    new_only.sync(&acme(), Ats::Greenhouse).await.unwrap();
    let now = new_only.status(&acme()).await.unwrap();
    assert_eq!(now.lever.state, ConnectionState::Active);
    assert_eq!(now.greenhouse.state, ConnectionState::Active);

    // A replica without the Lever app still serves Greenhouse.
    let engine = Engine::new(store.clone(), Arc::new(RecordingNoteTaker::new()));
    let no_lever = ConnectConfig::new("https://sync.example.com/".parse().unwrap()).greenhouse(
        GreenhouseApi::new()
            .base_url(greenhouse.base_url())
            .token_url(greenhouse.token_url()),
    );
    let partial = Connections::new(
        Arc::new(engine),
        store.clone(),
        SecretBox::new("k2", &[9; 32]).unwrap(),
        no_lever,
    );
    assert_eq!(partial.load().await.unwrap(), 1);
    partial.sync(&acme(), Ats::Greenhouse).await.unwrap();
    assert!(matches!(
        partial.sync(&acme(), Ats::Lever).await,
        Err(Error::NotConnected { .. })
    ));
}

#[tokio::test]
async fn the_fake_consent_page_refuses_unknown_apps_and_reports_a_denial() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let lever = FakeLever::start().await;
    let connections = process(Arc::new(MemoryStore::new()), config(&lever, None));
    with_tenant(&connections).await;
    let authorize = connections.start_lever(&acme()).await.unwrap();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    // Another app's client id gets an error page, not a consent page.
    let mut forged = authorize.clone();
    let pairs: Vec<(String, String)> = authorize
        .query_pairs()
        .map(|(k, v)| {
            let v = if k == "client_id" {
                "someone-else".into()
            } else {
                v.into_owned()
            };
            (k.into_owned(), v)
        })
        .collect();
    forged.query_pairs_mut().clear().extend_pairs(&pairs);
    let page = http.get(forged).send().await.unwrap();
    assert_eq!(page.status(), 400);
    // Deny: back to the app with `error=access_denied` and the state, no code.
    let mut form: Vec<(String, String)> = authorize.query_pairs().into_owned().collect();
    form.push(("decision".into(), "deny".into()));
    let mut action = authorize.clone();
    action.set_query(None);
    let answer = http.post(action).form(&form).send().await.unwrap();
    assert_eq!(answer.status(), 302);
    let location = answer.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.contains("error=access_denied"), "{location}");
    assert!(location.contains("state="), "{location}");
    assert!(!location.contains("code="), "{location}");
    // The app gives the state up: it names the tenant and cannot be used again.
    let location: Url = location.parse().unwrap();
    let state = location
        .query_pairs()
        .find(|(k, _)| k == "state")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    assert_eq!(connections.abandon_lever(&state).await.unwrap(), acme());
    assert!(matches!(
        connections.complete_lever(&state, "any").await,
        Err(Error::Authorization(_))
    ));
    assert_eq!(
        status(&connections).await.lever.state,
        ConnectionState::NeverConnected
    );
}

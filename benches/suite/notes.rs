//! (2) Requests per note: what one note costs the ATS, counted on the fake.
//!
//! The candidate is indexed first (a signed webhook, processed); the note
//! is queued for a meeting with them and delivered. "Unknown outcome": the
//! ATS stores the note and then answers 500, so the engine must find out
//! whether it was posted (it lists the candidate's notes for its marker)
//! before it may post again.

use std::sync::Arc;

use aspect_interview_core::{
    ExtractiveSummarizer, InterviewNotes, Meeting, Participant, ParticipantRole, SummaryRequest,
    Transcript,
};
use aspect_sync_engine::greenhouse::GreenhouseConnection;
use aspect_sync_engine::lever::LeverConnection;
use aspect_sync_engine::receiver::router;
use aspect_sync_engine::store::SqliteStore;
use aspect_sync_engine::worker::RetrySchedule;
use aspect_sync_engine::{Engine, RecordingNoteTaker, Tenant, TenantId, TenantSettings};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::Utc;
use greenhouse_harvest::testing::{FakeGreenhouse, NewCandidate as GreenhouseCandidate};
use lever_client::testing::{Failure, FakeLever, NewCandidate};
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::report::{Figure, Report, Target};

const INTERVIEWER: &str = "priya.raman@acme.example";

struct World {
    lever: FakeLever,
    greenhouse: FakeGreenhouse,
    engine: Arc<Engine>,
    notes: InterviewNotes,
    _dir: tempfile::TempDir,
}

fn acme() -> TenantId {
    TenantId::new("acme").expect("a tenant id")
}

async fn world() -> World {
    let lever = FakeLever::start().await;
    let greenhouse = FakeGreenhouse::start().await;
    let dir = tempfile::tempdir().expect("a temp dir");
    let store = Arc::new(SqliteStore::open(dir.path().join("notes.sqlite3")).expect("a store"));
    let engine = Engine::new(store, Arc::new(RecordingNoteTaker::new())).with_retry_schedule(
        RetrySchedule {
            base_delay: std::time::Duration::ZERO,
            max_delay: std::time::Duration::ZERO,
            max_attempts: 6,
        },
    );
    let settings = TenantSettings::new().own_domains(["acme.example"]);
    let tenant = Tenant::new(acme(), settings)
        .with_lever(LeverConnection::new(lever.client(), lever.verifier()))
        .with_greenhouse(GreenhouseConnection::new(
            greenhouse.client(),
            greenhouse_harvest::WebhookVerifier::new(greenhouse.webhook_secret()),
        ));
    engine.add_tenant(tenant).expect("the tenant");
    let vtt = include_str!("../../examples/data/sample_interview.vtt");
    let transcript = Transcript::parse(vtt).expect("the sample transcript");
    let notes = ExtractiveSummarizer::default().summarize_now(&SummaryRequest::new(&transcript));
    World {
        lever,
        greenhouse,
        engine: Arc::new(engine),
        notes,
        _dir: dir,
    }
}

async fn post(engine: &Arc<Engine>, path: &str, headers: &[(&str, &str)], body: Vec<u8>) {
    let mut request = Request::post(path).header("content-type", "application/json");
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let response = router(engine.clone())
        .oneshot(request.body(Body::from(body)).expect("a request"))
        .await
        .expect("a response");
    assert_eq!(response.status(), StatusCode::ACCEPTED, "delivery refused");
}

impl World {
    async fn lever_candidate(&self, email: &str) {
        let opportunity = self
            .lever
            .add_candidate(NewCandidate::new("Ada Lovelace", email));
        let body = self.lever.signed_webhook(
            "applicationCreated",
            json!({ "opportunityId": opportunity }),
        );
        post(&self.engine, "/webhooks/lever/acme", &[], body).await;
        self.engine.process_deliveries().await.expect("processing");
    }

    async fn greenhouse_candidate(&self, email: &str) {
        let job = self.greenhouse.job_ids()[0];
        let candidate = self
            .greenhouse
            .add_candidate(GreenhouseCandidate::new("Ada", email).names("Ada", "Lovelace"));
        let application = self.greenhouse.add_application(candidate, job);
        let mut payload: Value = serde_json::from_str(include_str!(
            "../../crates/greenhouse-harvest/tests/fixtures/webhooks/candidate_stage_change.json"
        ))
        .expect("the fixture");
        let app = &mut payload["payload"]["application"];
        app["id"] = json!(application);
        app["last_activity_at"] = json!(Utc::now().to_rfc3339());
        app["candidate"]["id"] = json!(candidate);
        app["candidate"]["email_addresses"] = json!([{ "value": email, "type": "personal" }]);
        app["jobs"][0]["id"] = json!(job);
        let (body, signature) = self.greenhouse.signed_webhook(&payload);
        let event = format!("evt-{application}");
        post(
            &self.engine,
            "/webhooks/greenhouse/acme",
            &[("Signature", &signature), ("Greenhouse-Event-ID", &event)],
            body,
        )
        .await;
        self.engine.process_deliveries().await.expect("processing");
    }

    /// Requests the ATS saw while the note for `email` was delivered
    /// (every pass until nothing is due).
    async fn note_requests(&self, meeting: &str, email: &str, count: impl Fn() -> u64) -> u64 {
        let m = Meeting::new(meeting, "Technical interview", Utc::now())
            .with_participant(Participant::new(INTERVIEWER, ParticipantRole::Interviewer))
            .with_participant(Participant::new(email, ParticipantRole::Unknown));
        self.engine
            .enqueue_notes(&acme(), &m, &self.notes)
            .await
            .expect("queued");
        let before = count();
        for _ in 0..4 {
            self.engine.deliver_due_notes().await.expect("a pass");
        }
        count() - before
    }
}

pub async fn run(report: &mut Report) {
    report.section(
        "2. Requests per note",
        "Requests the fake ATS received to post one note for an indexed candidate (counted on the \
         fake, every route), and when the ATS stores the note but answers 500 (outcome unknown: \
         the engine checks for its marker before posting again). Baseline: one request.",
    );
    let w = world().await;
    w.lever_candidate("ada@example.com").await;
    let n = w
        .note_requests("m-lever", "ada@example.com", || w.lever.total_requests())
        .await;
    report.add(per_note("Lever, indexed candidate", n).target(Target::AtMost(1.0)));
    w.lever_candidate("grace@example.com").await;
    w.lever
        .fail_next_note_posts(1, Failure::AcceptThenFail(500));
    let n = w
        .note_requests("m-lever-2", "grace@example.com", || {
            w.lever.total_requests()
        })
        .await;
    report.add(per_note("Lever, unknown outcome (stored, then 500)", n));

    // OAuth token requests are not per note: they are left out.
    let greenhouse_api = || {
        w.greenhouse
            .request_counts()
            .iter()
            .filter(|(route, _)| !route.ends_with("/token"))
            .map(|(_, n)| n)
            .sum::<u64>()
    };
    w.greenhouse_candidate("ada.gh@example.com").await;
    let n = w
        .note_requests("m-gh", "ada.gh@example.com", greenhouse_api)
        .await;
    report.add(per_note("Greenhouse, indexed candidate", n).target(Target::AtMost(1.0)));
    w.greenhouse_candidate("grace.gh@example.com").await;
    w.greenhouse.accept_next_note_then_fail();
    let n = w
        .note_requests("m-gh-2", "grace.gh@example.com", greenhouse_api)
        .await;
    report.add(per_note(
        "Greenhouse, unknown outcome (stored, then 500)",
        n,
    ));
}

fn per_note(name: &str, requests: u64) -> Figure {
    Figure::new(name, format!("{requests} requests")).against("1 request", requests as f64)
}

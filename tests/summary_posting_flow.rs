//! The whole summary-posting flow across the four crates: signed webhooks
//! from the fake Lever and Greenhouse servers go through the engine's axum
//! receiver into a SQLite store, the note taker is scheduled, a transcript is
//! summarized, and the notes land in the fake ATSs exactly once, through
//! rate limits, server errors, crashes and revoked credentials.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use aspect_interview_core::{
    ExtractiveSummarizer, InterviewNotes, Meeting, Participant, ParticipantRole, Summarizer,
    SummaryRequest, Transcript,
};
use aspect_sync_engine::greenhouse::GreenhouseConnection;
use aspect_sync_engine::index::ScheduledInterview;
use aspect_sync_engine::ingest::IndexUpdate;
use aspect_sync_engine::lever::LeverConnection;
use aspect_sync_engine::notetaker::NoteTakerCall;
use aspect_sync_engine::outbox::{AuditAction, OutboxState};
use aspect_sync_engine::posting::NoteDisposition;
use aspect_sync_engine::receiver::router;
use aspect_sync_engine::store::{SqliteStore, Store};
use aspect_sync_engine::worker::RetrySchedule;
use aspect_sync_engine::{Ats, Engine, RecordingNoteTaker, Tenant, TenantId, TenantSettings};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::Utc;
use greenhouse_harvest::testing::{FakeGreenhouse, NewCandidate as GreenhouseCandidate};
use lever_client::testing::{Failure, FakeLever, NewCandidate, NewInterview};
use serde_json::{Value, json};
use tower::ServiceExt;

const OWN_DOMAIN: &str = "acme.example";
const INTERVIEWER: &str = "priya.raman@acme.example";

/// Everything one test needs: two fake ATSs, an engine on a SQLite file,
/// and the tenant `acme` connected to both.
struct World {
    lever: FakeLever,
    greenhouse: FakeGreenhouse,
    engine: Arc<Engine>,
    store: Arc<SqliteStore>,
    taker: Arc<RecordingNoteTaker>,
    dir: tempfile::TempDir,
}

fn acme() -> TenantId {
    TenantId::new("acme").unwrap()
}

fn fast() -> RetrySchedule {
    RetrySchedule {
        base_delay: Duration::ZERO,
        max_delay: Duration::ZERO,
        max_attempts: 6,
    }
}

fn tenant(id: TenantId, lever: &FakeLever, greenhouse: &FakeGreenhouse) -> Tenant {
    let settings = TenantSettings::new()
        .own_domains([OWN_DOMAIN])
        .recording_base_url("https://app.aspect.example/meetings");
    let lever_connection = LeverConnection::new(
        lever.client(),
        lever_client::WebhookVerifier::new(lever.signature_token()),
    );
    let greenhouse_connection = GreenhouseConnection::new(
        greenhouse.client(),
        greenhouse_harvest::WebhookVerifier::new(greenhouse.webhook_secret()),
    );
    Tenant::new(id, settings)
        .with_lever(lever_connection)
        .with_greenhouse(greenhouse_connection)
}

fn engine_on(
    path: &std::path::Path,
    taker: Arc<RecordingNoteTaker>,
) -> (Arc<Engine>, Arc<SqliteStore>) {
    let store = Arc::new(SqliteStore::open(path).unwrap());
    let engine = Engine::new(store.clone(), taker).with_retry_schedule(fast());
    (Arc::new(engine), store)
}

async fn world() -> World {
    let lever = FakeLever::start().await;
    let greenhouse = FakeGreenhouse::start().await;
    let dir = tempfile::tempdir().unwrap();
    let taker = Arc::new(RecordingNoteTaker::new());
    let (engine, store) = engine_on(&dir.path().join("engine.sqlite3"), taker.clone());
    engine
        .add_tenant(tenant(acme(), &lever, &greenhouse))
        .unwrap();
    World {
        lever,
        greenhouse,
        engine,
        store,
        taker,
        dir,
    }
}

/// The sample interview, summarized once by the offline summarizer.
async fn interview_notes() -> InterviewNotes {
    static NOTES: OnceLock<InterviewNotes> = OnceLock::new();
    if let Some(notes) = NOTES.get() {
        return notes.clone();
    }
    let vtt = include_str!("../examples/data/sample_interview.vtt");
    let transcript = Transcript::parse(vtt).unwrap();
    let notes = ExtractiveSummarizer::default()
        .summarize(&SummaryRequest::new(&transcript))
        .await
        .unwrap();
    NOTES.get_or_init(|| notes).clone()
}

/// A meeting with the interviewer and the given candidate addresses, as a
/// calendar invitation would list them (roles unknown).
fn meeting(id: &str, candidates: &[&str]) -> Meeting {
    let mut m = Meeting::new(id, "Backend engineer – technical interview", Utc::now())
        .with_participant(Participant::new(INTERVIEWER, ParticipantRole::Interviewer));
    for email in candidates {
        m = m.with_participant(Participant::new(*email, ParticipantRole::Unknown));
    }
    m
}

async fn post(
    engine: &Arc<Engine>,
    path: &str,
    signature: Option<&str>,
    event_id: Option<&str>,
    body: Vec<u8>,
) -> StatusCode {
    let mut request = Request::post(path).header("content-type", "application/json");
    if let Some(sig) = signature {
        request = request.header("Signature", sig);
    }
    if let Some(id) = event_id {
        request = request.header("Greenhouse-Event-ID", id);
    }
    let response = router(engine.clone())
        .oneshot(request.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    response.status()
}

impl World {
    /// Seeds a Lever candidate and delivers `applicationCreated` for it.
    async fn lever_candidate(&self, name: &str, email: &str) -> String {
        let opportunity = self.lever.add_candidate(NewCandidate::new(name, email));
        let body = self.lever.signed_webhook(
            "applicationCreated",
            json!({ "opportunityId": opportunity }),
        );
        assert_eq!(
            post(&self.engine, "/webhooks/lever/acme", None, None, body).await,
            StatusCode::ACCEPTED
        );
        opportunity
    }

    /// Seeds a Greenhouse candidate with an application and delivers
    /// `candidate_stage_change` for it (the official example payload with
    /// this candidate's ids and address).
    async fn greenhouse_candidate(&self, first: &str, last: &str, email: &str) -> u64 {
        let job = self.greenhouse.job_ids()[0];
        let candidate = self
            .greenhouse
            .add_candidate(GreenhouseCandidate::new(first, email).names(first, last));
        let application = self.greenhouse.add_application(candidate, job);
        let payload = stage_change_payload(candidate, application, job, first, last, email);
        let (body, signature) = self.greenhouse.signed_webhook(&payload);
        let event_id = format!("evt-{application}");
        let status = post(
            &self.engine,
            "/webhooks/greenhouse/acme",
            Some(&signature),
            Some(&event_id),
            body,
        )
        .await;
        assert_eq!(status, StatusCode::ACCEPTED);
        candidate
    }

    /// The indexed candidates with this (normalized) address.
    async fn indexed(&self, email: &str) -> Vec<aspect_sync_engine::index::IndexedCandidate> {
        self.store
            .candidates_by_email(&acme(), email)
            .await
            .unwrap()
    }

    async fn process(&self) {
        self.engine.process_deliveries().await.unwrap();
    }

    /// Queues a Greenhouse note for `email`, then revokes the credentials
    /// before it is posted, so it stays parked in the outbox.
    async fn parked_greenhouse_note(&self, meeting_id: &str, email: &str) {
        let notes = interview_notes().await;
        let plan = self
            .engine
            .enqueue_notes(&acme(), &meeting(meeting_id, &[email]), &notes)
            .await
            .unwrap();
        assert_eq!(plan.notes.len(), 1, "{plan:?}");
        self.greenhouse.revoke();
        assert_eq!(self.engine.deliver_due_notes().await.unwrap().parked, 1);
        self.greenhouse.restore();
    }

    /// Delivers one of Greenhouse's documented example webhooks (a JSON
    /// text) with its `payload.person` fields replaced by `person`.
    async fn greenhouse_person_event(
        &self,
        example: &str,
        person: Value,
        event_id: &str,
    ) -> StatusCode {
        let mut payload: Value = serde_json::from_str(example).unwrap();
        for (field, value) in person.as_object().unwrap() {
            payload["payload"]["person"][field] = value.clone();
        }
        let (body, signature) = self.greenhouse.signed_webhook(&payload);
        post(
            &self.engine,
            "/webhooks/greenhouse/acme",
            Some(&signature),
            Some(event_id),
            body,
        )
        .await
    }
}

fn stage_change_payload(
    candidate: u64,
    application: u64,
    job: u64,
    first: &str,
    last: &str,
    email: &str,
) -> Value {
    let mut v: Value = serde_json::from_str(include_str!(
        "../crates/greenhouse-harvest/tests/fixtures/webhooks/candidate_stage_change.json"
    ))
    .unwrap();
    let app = &mut v["payload"]["application"];
    app["id"] = json!(application);
    app["last_activity_at"] = json!(Utc::now().to_rfc3339());
    app["candidate"]["id"] = json!(candidate);
    app["candidate"]["first_name"] = json!(first);
    app["candidate"]["last_name"] = json!(last);
    app["candidate"]["email_addresses"] = json!([{ "value": email, "type": "personal" }]);
    app["jobs"][0]["id"] = json!(job);
    v
}

#[tokio::test]
async fn a_meeting_posts_one_note_in_each_ats_exactly_once() {
    let w = world().await;
    let opportunity = w
        .lever_candidate("Jordan Ellis", "jordan.ellis@example.com")
        .await;
    let gh_candidate = w
        .greenhouse_candidate("Jordan", "Ellis", "Jordan.Ellis@Example.com")
        .await;
    w.process().await;

    // An interview is scheduled in Lever: the note taker is sent.
    let user = w.lever.add_user("Priya Raman", INTERVIEWER);
    let start = Utc::now() + chrono::Duration::hours(2);
    let interview = w.lever.add_interview(
        &opportunity,
        NewInterview::new(start, 45)
            .interviewer(user)
            .location("https://zoom.example/j/123")
            .subject("Technical interview"),
    );
    let body = w.lever.signed_webhook(
        "interviewCreated",
        json!({ "opportunityId": opportunity, "interviewId": interview }),
    );
    assert_eq!(
        post(&w.engine, "/webhooks/lever/acme", None, None, body).await,
        StatusCode::ACCEPTED
    );
    w.process().await;
    let scheduled: Vec<Meeting> = w
        .taker
        .calls()
        .into_iter()
        .filter_map(|c| match c {
            NoteTakerCall::Scheduled(_, m) => Some(*m),
            _ => None,
        })
        .collect();
    assert_eq!(scheduled.len(), 1);
    assert_eq!(
        scheduled[0].conferencing_url.as_deref(),
        Some("https://zoom.example/j/123")
    );

    // The meeting happens; the candidate joins from the invitation.
    let mut meeting = scheduled[0].clone();
    meeting.participants.push(Participant::new(
        "jordan.ellis@example.com",
        ParticipantRole::Unknown,
    ));
    let notes = interview_notes().await;
    let preview = w
        .engine
        .preview_notes(&acme(), &meeting, &notes)
        .await
        .unwrap();
    assert_eq!(preview.notes.len(), 2, "{preview:?}");
    assert!(
        w.store.outbox(&acme()).await.unwrap().is_empty(),
        "a preview writes nothing"
    );

    let plan = w
        .engine
        .enqueue_notes(&acme(), &meeting, &notes)
        .await
        .unwrap();
    assert_eq!(
        plan.notes, preview.notes,
        "the preview shows exactly what is queued"
    );
    let lever_note = plan.notes.iter().find(|n| n.key.ats == Ats::Lever).unwrap();
    assert_eq!(
        lever_note.target.application_id.as_deref(),
        Some(opportunity.as_str()),
        "on the interview's opportunity"
    );

    let report = w.engine.deliver_due_notes().await.unwrap();
    assert_eq!(report.posted, 2, "{report:?}");
    let lever_notes = w.lever.notes();
    assert_eq!(lever_notes.len(), 1);
    assert_eq!(lever_notes[0].opportunity_id, opportunity);
    assert_eq!(lever_notes[0].value, lever_note.body);
    assert!(lever_notes[0].value.contains(&lever_note.marker));
    let gh_notes = w.greenhouse.notes();
    assert_eq!(gh_notes.len(), 1);
    assert_eq!(gh_notes[0].candidate_id, gh_candidate);
    assert_eq!(
        gh_notes[0].user_id,
        Some(w.greenhouse.user_id()),
        "attributed to the integration's user"
    );

    // Re-processing the meeting posts nothing new.
    let again = w
        .engine
        .enqueue_notes(&acme(), &meeting, &notes)
        .await
        .unwrap();
    assert!(
        again
            .notes
            .iter()
            .all(|n| matches!(n.disposition, NoteDisposition::AlreadyQueued(_)))
    );
    assert_eq!(w.engine.deliver_due_notes().await.unwrap().posted, 0);
    assert_eq!((w.lever.notes().len(), w.greenhouse.notes().len()), (1, 1));
}

#[tokio::test]
async fn duplicate_and_forged_deliveries_change_nothing() {
    let w = world().await;
    let opportunity = w
        .lever
        .add_candidate(NewCandidate::new("Ada Lovelace", "ada@example.com"));
    let body = w.lever.signed_webhook(
        "candidateStageChange",
        json!({ "opportunityId": opportunity }),
    );
    assert_eq!(
        post(&w.engine, "/webhooks/lever/acme", None, None, body.clone()).await,
        StatusCode::ACCEPTED
    );
    assert_eq!(
        post(&w.engine, "/webhooks/lever/acme", None, None, body.clone()).await,
        StatusCode::OK
    );

    // Same delivery with its data swapped: the signature covers only token
    // and triggeredAt, so it verifies, but it is the same token: a duplicate.
    let mut forged: Value = serde_json::from_slice(&body).unwrap();
    forged["data"]["opportunityId"] = json!("someone-else");
    let forged = serde_json::to_vec(&forged).unwrap();
    assert_eq!(
        post(&w.engine, "/webhooks/lever/acme", None, None, forged).await,
        StatusCode::OK
    );

    // A wrong signature is refused.
    let mut bad: Value = serde_json::from_slice(&body).unwrap();
    bad["token"] = json!("another-token");
    assert_eq!(
        post(
            &w.engine,
            "/webhooks/lever/acme",
            None,
            None,
            serde_json::to_vec(&bad).unwrap()
        )
        .await,
        StatusCode::UNAUTHORIZED
    );
    let (gh_body, _) = w
        .greenhouse
        .signed_webhook(&json!({"action": "ping", "payload": {}}));
    assert_eq!(
        post(
            &w.engine,
            "/webhooks/greenhouse/acme",
            Some("sha256 00"),
            None,
            gh_body
        )
        .await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        post(
            &w.engine,
            "/webhooks/greenhouse/acme",
            None,
            None,
            b"{not json".to_vec()
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "an unsigned body is refused before it is parsed"
    );

    let report = w.engine.process_deliveries().await.unwrap();
    assert_eq!(report.candidates, 1, "one delivery applied: {report:?}");
    assert_eq!(w.indexed("ada@example.com").await.len(), 1);
    assert_eq!(
        w.lever.request_count("GET /opportunities/:id"),
        1,
        "the duplicate caused no re-fetch"
    );
}

#[tokio::test]
async fn several_tenants_never_see_each_other() {
    let w = world().await;
    let (lever2, greenhouse2) = (FakeLever::start().await, FakeGreenhouse::start().await);
    let globex = TenantId::new("globex").unwrap();
    w.engine
        .add_tenant(tenant(globex.clone(), &lever2, &greenhouse2))
        .unwrap();

    w.lever_candidate("Ada Lovelace", "ada@example.com").await;
    // Globex's fake signs with its own token: acme's URL refuses it.
    let opportunity2 = lever2.add_candidate(NewCandidate::new("Ada Lovelace", "ada@example.com"));
    let body = lever2.signed_webhook(
        "applicationCreated",
        json!({ "opportunityId": opportunity2 }),
    );
    assert_eq!(
        post(&w.engine, "/webhooks/lever/acme", None, None, body.clone()).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        post(&w.engine, "/webhooks/lever/globex", None, None, body).await,
        StatusCode::ACCEPTED
    );
    w.process().await;

    let notes = interview_notes().await;
    let m = meeting("m-tenants", &["ada@example.com"]);
    w.engine.enqueue_notes(&globex, &m, &notes).await.unwrap();
    w.engine.deliver_due_notes().await.unwrap();
    assert_eq!(lever2.notes().len(), 1);
    assert!(w.lever.notes().is_empty(), "acme's Lever got nothing");
    assert!(w.store.outbox(&acme()).await.unwrap().is_empty());
    let acme_ada = w.indexed("ada@example.com").await;
    let globex_ada = w
        .store
        .candidates_by_email(&globex, "ada@example.com")
        .await
        .unwrap();
    assert_eq!((acme_ada.len(), globex_ada.len()), (1, 1));
    assert_ne!(
        acme_ada[0].applications[0].id,
        globex_ada[0].applications[0].id
    );
}

#[tokio::test]
async fn out_of_order_lever_events_follow_the_api_not_the_order() {
    let w = world().await;
    let opportunity = w
        .lever
        .add_candidate(NewCandidate::new("Ada Lovelace", "ada@example.com"));
    // The archive arrives before the creation; both re-fetch the current state.
    w.lever.archive_opportunity(&opportunity, None);
    let archived = w.lever.signed_webhook(
        "candidateArchiveChange",
        json!({ "opportunityId": opportunity }),
    );
    let created = w.lever.signed_webhook(
        "applicationCreated",
        json!({ "opportunityId": opportunity }),
    );
    post(&w.engine, "/webhooks/lever/acme", None, None, archived).await;
    post(&w.engine, "/webhooks/lever/acme", None, None, created).await;
    w.process().await;
    let ada = w.indexed("ada@example.com").await;
    assert!(ada[0].applications[0].archived, "{ada:?}");
}

#[tokio::test]
async fn a_deleted_candidate_leaves_nothing_behind() {
    let w = world().await;
    let candidate = w
        .greenhouse_candidate("Ada", "Lovelace", "ada@example.com")
        .await;
    w.process().await;
    // Credentials revoked, so the note stays queued when the deletion arrives.
    w.parked_greenhouse_note("m-del", "ada@example.com").await;

    w.greenhouse.delete_candidate(candidate);
    let example =
        include_str!("../crates/greenhouse-harvest/tests/fixtures/webhooks/delete_candidate.json");
    let status = w
        .greenhouse_person_event(example, json!({ "id": candidate }), "evt-del")
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let report = w.engine.process_deliveries().await.unwrap();
    assert_eq!(report.purged, 1, "{report:?}");

    assert!(w.indexed("ada@example.com").await.is_empty());
    assert!(
        w.store
            .outbox(&acme())
            .await
            .unwrap()
            .iter()
            .all(|e| e.key.ats != Ats::Greenhouse)
    );
    assert!(
        w.store
            .pending_deliveries(chrono::Utc::now() + chrono::Duration::days(1), 100)
            .await
            .unwrap()
            .is_empty()
    );
    let audit = w.store.audit_log(&acme()).await.unwrap();
    assert!(
        audit
            .iter()
            .any(|r| r.action == AuditAction::CandidatePurged)
    );
    // Nothing personal left in the database files (main file and WAL).
    for file in ["engine.sqlite3", "engine.sqlite3-wal"] {
        let bytes = std::fs::read(w.dir.path().join(file)).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("ada@example.com") && !text.contains("Lovelace"),
            "{file}"
        );
    }
}

/// One interviewer and two candidates, each speaking under their name.
const GROUP_VTT: &str = "WEBVTT

00:00:01.000 --> 00:00:06.000
Priya Raman: Welcome both. Could you each tell me about a system you built?

00:00:07.000 --> 00:00:15.000
Ada Lovelace: I built the billing reconciliation service, which matches 40,000 invoices a day.

00:00:16.000 --> 00:00:24.000
Grace Hopper: I led the migration of our search cluster to OpenSearch and cut query latency by half.

00:00:25.000 --> 00:00:29.000
Priya Raman: How do you handle on-call incidents for services you own?

00:00:30.000 --> 00:00:38.000
Ada Lovelace: I write a runbook for every alert I own and review them each quarter.

00:00:39.000 --> 00:00:47.000
Grace Hopper: I pair with a junior engineer during the first week of every rotation.
";

async fn group_notes(vtt: &str) -> InterviewNotes {
    let transcript = Transcript::parse(vtt).unwrap();
    ExtractiveSummarizer::default()
        .summarize(&SummaryRequest::new(&transcript))
        .await
        .unwrap()
}

fn group_meeting(id: &str) -> Meeting {
    Meeting::new(id, "Group assessment", Utc::now())
        .with_participant(
            Participant::new(INTERVIEWER, ParticipantRole::Interviewer).with_name("Priya Raman"),
        )
        .with_participant(
            Participant::new("ada@example.com", ParticipantRole::Unknown).with_name("Ada Lovelace"),
        )
        .with_participant(
            Participant::new("grace@example.org", ParticipantRole::Unknown)
                .with_name("Grace Hopper"),
        )
}

#[tokio::test]
async fn a_group_meeting_gives_each_candidate_only_their_own_note_in_both_ats() {
    let w = world().await;
    let ada = w.lever_candidate("Ada Lovelace", "ada@example.com").await;
    let grace = w.lever_candidate("Grace Hopper", "grace@example.org").await;
    w.greenhouse_candidate("Ada", "Lovelace", "ada@example.com")
        .await;
    w.greenhouse_candidate("Grace", "Hopper", "grace@example.org")
        .await;
    w.process().await;
    let notes = group_notes(GROUP_VTT).await;
    let plan = w
        .engine
        .enqueue_notes(&acme(), &group_meeting("m-group"), &notes)
        .await
        .unwrap();
    assert_eq!(plan.notes.len(), 4, "{plan:?}");
    assert!(plan.needs_review.is_none());
    w.engine.deliver_due_notes().await.unwrap();

    let ada_words = ["billing reconciliation", "runbook"];
    let grace_words = ["OpenSearch", "junior engineer"];
    let check = |text: &str, own: &[&str], other: &[&str], other_name: &str| {
        assert!(
            own.iter().any(|w| text.contains(w)),
            "own answers missing:\n{text}"
        );
        for w in other {
            assert!(
                !text.contains(w),
                "another candidate's words `{w}`:\n{text}"
            );
        }
        assert!(
            !text.contains(other_name),
            "another candidate named:\n{text}"
        );
    };
    let lever_notes = w.lever.notes();
    assert_eq!(lever_notes.len(), 2);
    for note in &lever_notes {
        if note.opportunity_id == ada {
            check(&note.value, &ada_words, &grace_words, "Grace");
        } else {
            assert_eq!(note.opportunity_id, grace);
            check(&note.value, &grace_words, &ada_words, "Ada");
        }
    }
    let greenhouse_notes = w.greenhouse.notes();
    assert_eq!(greenhouse_notes.len(), 2);
    assert_ne!(greenhouse_notes[0].body, greenhouse_notes[1].body);
    for note in &greenhouse_notes {
        let own_is_ada = note.body.contains("runbook");
        if own_is_ada {
            check(&note.body, &ada_words, &grace_words, "Grace");
        } else {
            check(&note.body, &grace_words, &ada_words, "Ada");
        }
    }
}

#[tokio::test]
async fn a_group_meeting_without_speaker_labels_is_reported_not_posted() {
    let w = world().await;
    w.lever_candidate("Ada Lovelace", "ada@example.com").await;
    w.lever_candidate("Grace Hopper", "grace@example.org").await;
    w.process().await;
    let unlabelled = "WEBVTT\n\n00:00:01.000 --> 00:00:05.000\nCould you each tell me about a system you built?\n\n\
        00:00:06.000 --> 00:00:12.000\nI built the billing reconciliation service.\n\n\
        00:00:13.000 --> 00:00:20.000\nI led the migration of our search cluster.\n";
    let notes = group_notes(unlabelled).await;
    let plan = w
        .engine
        .enqueue_notes(&acme(), &group_meeting("m-unlabelled"), &notes)
        .await
        .unwrap();
    assert!(plan.notes.is_empty(), "{plan:?}");
    assert!(plan.needs_review.is_some());
    assert_eq!(w.engine.deliver_due_notes().await.unwrap().posted, 0);
    assert!(w.lever.notes().is_empty());
}

#[tokio::test]
async fn a_meeting_with_no_candidate_posts_nothing_and_says_so() {
    let w = world().await;
    let notes = interview_notes().await;
    let m = meeting(
        "m-none",
        &["stranger@nowhere.example", "colleague@acme.example"],
    );
    let plan = w.engine.enqueue_notes(&acme(), &m, &notes).await.unwrap();
    assert!(plan.is_empty());
    assert_eq!(
        plan.unmatched,
        vec!["stranger@nowhere.example".to_owned()],
        "{plan:?}"
    );
    assert_eq!(w.engine.deliver_due_notes().await.unwrap().posted, 0);
    assert!(w.lever.notes().is_empty() && w.greenhouse.notes().is_empty());
}

#[tokio::test]
async fn rate_limits_and_server_errors_during_posting_never_duplicate() {
    let w = world().await;
    let opportunity = w.lever_candidate("Ada Lovelace", "ada@example.com").await;
    w.process().await;
    let notes = interview_notes().await;
    w.engine
        .enqueue_notes(&acme(), &meeting("m-errors", &["ada@example.com"]), &notes)
        .await
        .unwrap();

    // The client retries 429s itself; past its budget the engine reschedules.
    w.lever.fail_next_note_posts(
        8,
        Failure::RateLimited {
            retry_after: Some(std::time::Duration::ZERO),
        },
    );
    let first = w.engine.deliver_due_notes().await.unwrap();
    assert_eq!(first.rescheduled, 1, "{first:?}");
    // A 500 after the note was stored: the outcome is unknown.
    w.lever.clear_failures();
    w.lever
        .fail_next_note_posts(1, Failure::AcceptThenFail(500));
    let second = w.engine.deliver_due_notes().await.unwrap();
    assert_eq!(second.rescheduled, 1, "{second:?}");
    // A plain 503 (nothing stored) on the marker check's heels.
    let third = w.engine.deliver_due_notes().await.unwrap();
    assert_eq!(third.already_present, 1, "the marker was found: {third:?}");
    let posted = w.lever.notes_for(&opportunity);
    assert_eq!(posted.len(), 1, "exactly one note");
}

#[tokio::test]
async fn a_crash_between_post_and_record_does_not_duplicate() {
    let w = world().await;
    w.greenhouse_candidate("Ada", "Lovelace", "ada@example.com")
        .await;
    w.process().await;
    let notes = interview_notes().await;
    w.engine
        .enqueue_notes(&acme(), &meeting("m-crash", &["ada@example.com"]), &notes)
        .await
        .unwrap();
    // Greenhouse stores the note, then the response is lost (500).
    w.greenhouse.accept_next_note_then_fail();
    w.engine.deliver_due_notes().await.unwrap();
    assert_eq!(w.greenhouse.notes().len(), 1);

    // The process dies here. A new one opens the same database.
    let path = w.dir.path().join("engine.sqlite3");
    drop(w.engine);
    let (engine, store) = engine_on(&path, Arc::new(RecordingNoteTaker::new()));
    engine
        .add_tenant(tenant(acme(), &w.lever, &w.greenhouse))
        .unwrap();
    let report = engine.deliver_due_notes().await.unwrap();
    assert_eq!(report.already_present, 1, "{report:?}");
    assert_eq!(w.greenhouse.notes().len(), 1, "no duplicate");
    assert!(matches!(
        store.outbox(&acme()).await.unwrap()[0].state,
        OutboxState::Posted { .. }
    ));
}

#[tokio::test]
async fn revoked_credentials_park_then_resume() {
    let w = world().await;
    w.lever_candidate("Ada Lovelace", "ada@example.com").await;
    w.lever_candidate("Grace Hopper", "grace@example.org").await;
    w.process().await;
    let notes = interview_notes().await;
    w.engine
        .enqueue_notes(
            &acme(),
            &meeting("m-revoke-1", &["ada@example.com"]),
            &notes,
        )
        .await
        .unwrap();
    w.engine
        .enqueue_notes(
            &acme(),
            &meeting("m-revoke-2", &["grace@example.org"]),
            &notes,
        )
        .await
        .unwrap();

    w.lever.revoke();
    let report = w.engine.deliver_due_notes().await.unwrap();
    assert_eq!(report.parked, 2, "{report:?}");
    assert_eq!(
        w.lever.request_count("POST /opportunities/:id/notes"),
        1,
        "one 401, no retry loop"
    );
    assert!(
        w.engine
            .is_parked(&acme(), Ats::Lever)
            .await
            .unwrap()
            .is_some()
    );
    // A meeting planned while Lever is revoked cannot be confirmed with
    // Lever: the plan says so (the caller plans it again after the
    // reconnect), and nothing is queued on unconfirmed index data.
    let m3 = meeting("m-revoke-3", &["ada@example.com"]);
    let plan = w.engine.enqueue_notes(&acme(), &m3, &notes).await.unwrap();
    assert!(plan.notes.is_empty());
    assert_eq!(plan.failed.len(), 1, "{plan:?}");
    assert_eq!(plan.failed[0].ats, Ats::Lever);
    assert_eq!(
        w.engine.deliver_due_notes().await.unwrap(),
        Default::default()
    );

    w.lever.restore();
    assert_eq!(
        w.engine.resume_tenant(&acme(), Ats::Lever).await.unwrap(),
        2
    );
    let plan = w.engine.enqueue_notes(&acme(), &m3, &notes).await.unwrap();
    assert_eq!(plan.notes.len(), 1);
    let report = w.engine.deliver_due_notes().await.unwrap();
    assert_eq!(report.posted, 3, "{report:?}");
    assert_eq!(w.lever.notes().len(), 3);
}

#[tokio::test]
async fn sync_now_indexes_greenhouse_and_schedules_its_interviews() {
    let w = world().await;
    let candidate = w
        .greenhouse
        .add_candidate(GreenhouseCandidate::new("Ada Lovelace", "ada@example.com"));
    let application = w
        .greenhouse
        .add_application(candidate, w.greenhouse.job_ids()[0]);
    let start = Utc::now() + chrono::Duration::hours(3);
    let interviewer = w.greenhouse.user_ids()[0];
    w.greenhouse.add_interview(
        application,
        start,
        start + chrono::Duration::hours(1),
        Some("https://meet.example/abc"),
        &[interviewer],
    );

    let mut progress = Vec::new();
    w.engine
        .sync_now(&acme(), Ats::Greenhouse, |p| progress.push(p.clone()))
        .await
        .unwrap();
    assert!(
        progress
            .iter()
            .any(|p| p.resource == "candidates" && p.done)
    );
    let ada = w.indexed("ada@example.com").await;
    assert_eq!(ada.len(), 1);
    assert!(
        ada[0]
            .applications
            .iter()
            .any(|a| a.id == application.to_string())
    );
    let interviews = w.store.interviews(&acme()).await.unwrap();
    let ours = interviews
        .iter()
        .find(|i| i.application_id.as_deref() == Some(&application.to_string()))
        .unwrap();
    assert_eq!(
        ours.candidate_id.as_deref(),
        Some(candidate.to_string().as_str())
    );
    assert!(w.taker.calls().iter().any(|c| matches!(c, NoteTakerCall::Scheduled(_, m) if m.conferencing_url.as_deref() == Some("https://meet.example/abc"))));

    // Lever backfill too.
    w.lever
        .add_candidate(NewCandidate::new("Grace Hopper", "grace@example.org"));
    w.engine
        .sync_now(&acme(), Ats::Lever, |_| {})
        .await
        .unwrap();
    assert_eq!(w.indexed("grace@example.org").await.len(), 1);
}

#[tokio::test]
async fn a_greenhouse_merge_repoints_pending_notes_to_the_survivor() {
    let w = world().await;
    let loser = w
        .greenhouse_candidate("Ada", "Lovelace", "ada@example.com")
        .await;
    let survivor = w
        .greenhouse_candidate("Ada", "King", "ada.king@example.net")
        .await;
    w.process().await;
    // Queued for the duplicate record while posting is held up.
    w.parked_greenhouse_note("m-merge", "ada@example.com").await;

    w.greenhouse.merge_candidates(loser, survivor);
    let example =
        include_str!("../crates/greenhouse-harvest/tests/fixtures/webhooks/merge_candidate.json");
    let person = json!({ "id": loser, "new_candidate_id": survivor });
    let status = w
        .greenhouse_person_event(example, person, "evt-merge")
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(w.engine.process_deliveries().await.unwrap().merged, 1);

    // Both addresses now find the survivor, and the pending note goes there.
    let by_old = w.indexed("ada@example.com").await;
    assert_eq!(by_old[0].key.candidate_id, survivor.to_string());
    w.engine
        .resume_tenant(&acme(), Ats::Greenhouse)
        .await
        .unwrap();
    let report = w.engine.deliver_due_notes().await.unwrap();
    let posted = w.greenhouse.notes();
    assert_eq!(
        posted.len(),
        1,
        "{report:?} {:?}",
        w.store.outbox(&acme()).await.unwrap()
    );
    assert_eq!(posted[0].candidate_id, survivor);
}

#[tokio::test]
async fn lever_candidates_are_indexed_with_their_posting() {
    let w = world().await;
    w.lever_candidate("Ada Lovelace", "ada@example.com").await;
    w.process().await;
    w.engine
        .sync_now(&acme(), Ats::Lever, |_| {})
        .await
        .unwrap();
    // The seeded candidate applied to a posting: the index knows which.
    let seeded = w
        .store
        .candidates_by_email(&acme(), lever_client::testing::SEED_CANDIDATE_EMAIL)
        .await
        .unwrap();
    assert!(!seeded.is_empty());
    assert!(
        seeded[0].applications.iter().any(|a| a.job_id.is_some()),
        "{seeded:?}"
    );
}

#[tokio::test]
async fn an_interrupted_greenhouse_sync_resumes_at_its_page_in_a_new_process() {
    let w = world().await;
    for i in 0..5 {
        w.greenhouse.add_candidate(GreenhouseCandidate::new(
            &format!("Extra Person{i}"),
            format!("extra{i}@example.com"),
        ));
    }
    let small_pages = |engine: &Arc<Engine>| {
        let connection = GreenhouseConnection::new(
            w.greenhouse.client(),
            greenhouse_harvest::WebhookVerifier::new(w.greenhouse.webhook_secret()),
        )
        .page_size(2);
        engine
            .add_tenant(Tenant::new(acme(), TenantSettings::default()).with_greenhouse(connection))
            .unwrap();
    };
    small_pages(&w.engine);
    // The connection is lost after the first page of candidates.
    let result = w
        .engine
        .sync_now(&acme(), Ats::Greenhouse, |p| {
            if p.resource == "candidates" && p.pages == 1 {
                w.greenhouse.revoke();
            }
        })
        .await;
    assert!(result.is_err());
    w.greenhouse.restore();
    let total = w.greenhouse.candidate_ids().len() as u64;
    let before = w.store.candidate_count(&acme()).await.unwrap();
    // The sync fetches the next page while it writes the current one, so
    // the page in flight when the connection went may have landed too.
    assert!(
        before >= 2 && before < total && before % 2 == 0,
        "whole pages of candidates were applied, not all: {before} of {total}"
    );

    // A new process on the same database picks up at the saved page.
    let path = w.dir.path().join("engine.sqlite3");
    let (engine, store) = engine_on(&path, Arc::new(RecordingNoteTaker::new()));
    small_pages(&engine);
    let first_page_requests = w.greenhouse.request_count("GET /v3/candidates");
    let mut progress = Vec::new();
    engine
        .sync_now(&acme(), Ats::Greenhouse, |p| progress.push(p.clone()))
        .await
        .unwrap();
    let candidates: Vec<_> = progress
        .iter()
        .filter(|p| p.resource == "candidates")
        .collect();
    assert!(candidates[0].resumed, "{progress:?}");
    assert_eq!(store.candidate_count(&acme()).await.unwrap(), total);
    let pages = total.div_ceil(2);
    let requests = w.greenhouse.request_count("GET /v3/candidates") - first_page_requests;
    assert_eq!(
        requests,
        pages - before / 2,
        "the pages applied before the interruption were not fetched again"
    );
}

#[tokio::test]
async fn a_lever_deletion_purges_the_candidate_even_without_a_contact_id() {
    let w = world().await;
    let opportunity = w.lever_candidate("Ada Lovelace", "ada@example.com").await;
    w.process().await;
    assert_eq!(w.indexed("ada@example.com").await.len(), 1);

    w.lever.delete_opportunity(&opportunity);
    let body = w
        .lever
        .signed_webhook("candidateDeleted", json!({ "opportunityId": opportunity }));
    assert_eq!(
        post(&w.engine, "/webhooks/lever/acme", None, None, body).await,
        StatusCode::ACCEPTED
    );
    let report = w.engine.process_deliveries().await.unwrap();
    assert_eq!(report.purged, 1, "{report:?}");
    assert!(w.indexed("ada@example.com").await.is_empty());
    let audit = w.store.audit_log(&acme()).await.unwrap();
    assert_eq!(audit.last().unwrap().action, AuditAction::CandidatePurged);
}

#[tokio::test]
async fn connections_never_show_their_secrets() {
    let w = world().await;
    let lever = LeverConnection::new(
        w.lever.client(),
        lever_client::WebhookVerifier::new(w.lever.signature_token()),
    );
    let greenhouse = GreenhouseConnection::new(
        w.greenhouse.client(),
        greenhouse_harvest::WebhookVerifier::new(w.greenhouse.webhook_secret()),
    );
    let shown = format!("{lever:?} {greenhouse:?} {:?}", w.engine);
    for secret in [
        w.lever.api_key(),
        w.lever.signature_token(),
        w.greenhouse.client_secret(),
        w.greenhouse.webhook_secret(),
    ] {
        assert!(
            !shown.contains(secret),
            "a secret leaked into Debug: {shown}"
        );
    }
    let tenant = tenant(acme(), &w.lever, &w.greenhouse);
    let shown = format!("{tenant:?}");
    assert!(!shown.contains(w.lever.api_key()) && !shown.contains(w.greenhouse.client_secret()));
}

#[tokio::test]
async fn lever_interview_deletions_are_checked_before_the_note_taker_is_cancelled() {
    let w = world().await;
    let opportunity = w.lever_candidate("Ada Lovelace", "ada@example.com").await;
    let start = Utc::now() + chrono::Duration::hours(1);
    let interview = w.lever.add_interview(
        &opportunity,
        NewInterview::new(start, 30).location("https://zoom.example/j/1"),
    );
    let event = |name: &str| {
        w.lever.signed_webhook(
            name,
            json!({ "opportunityId": opportunity, "interviewId": interview }),
        )
    };
    post(
        &w.engine,
        "/webhooks/lever/acme",
        None,
        None,
        event("interviewCreated"),
    )
    .await;
    // A deletion event for an interview that still exists changes nothing.
    post(
        &w.engine,
        "/webhooks/lever/acme",
        None,
        None,
        event("interviewDeleted"),
    )
    .await;
    w.process().await;
    assert_eq!(w.store.interviews(&acme()).await.unwrap().len(), 1);
    let cancelled = |w: &World| {
        w.taker
            .calls()
            .iter()
            .filter(|c| matches!(c, NoteTakerCall::Cancelled(..)))
            .count()
    };
    assert_eq!(cancelled(&w), 0);

    // Once it is really gone, the next deletion event cancels the note taker.
    assert!(w.lever.delete_interview(&opportunity, &interview));
    post(
        &w.engine,
        "/webhooks/lever/acme",
        None,
        None,
        event("interviewDeleted"),
    )
    .await;
    w.process().await;
    assert!(w.store.interviews(&acme()).await.unwrap().is_empty());
    assert_eq!(cancelled(&w), 1);
}

#[tokio::test]
async fn the_engine_registers_its_lever_webhooks_and_verifies_with_their_tokens() {
    use aspect_sync_engine::lever::{ENGINE_EVENTS, register_webhooks};
    let w = world().await;
    let client = w.lever.client();
    let url = "https://hooks.aspect.example/webhooks/lever/acme";
    let first = register_webhooks(&client, url).await.unwrap();
    let tokens = register_webhooks(&client, url).await.unwrap();
    assert_eq!((first.len(), tokens.len()), (8, 8));
    let hooks = client.webhooks().await.unwrap();
    assert_eq!(
        hooks.len(),
        ENGINE_EVENTS.len(),
        "re-registering replaced, not doubled"
    );
    assert_ne!(first[0].expose(), tokens[0].expose(), "tokens were rotated");

    // A tenant verifying with the registered tokens accepts their deliveries.
    let globex = TenantId::new("globex").unwrap();
    let verifier = lever_client::WebhookVerifier::with_tokens(tokens.clone());
    w.engine
        .add_tenant(
            Tenant::new(globex, TenantSettings::default())
                .with_lever(LeverConnection::new(w.lever.client(), verifier)),
        )
        .unwrap();
    let opportunity = w
        .lever
        .add_candidate(NewCandidate::new("Ada Lovelace", "ada@example.com"));
    let signed = lever_client::webhooks::signed_delivery(
        tokens[3].expose(),
        "candidateHired",
        json!({ "opportunityId": opportunity }),
        Utc::now(),
    );
    assert_eq!(
        post(&w.engine, "/webhooks/lever/globex", None, None, signed).await,
        StatusCode::ACCEPTED
    );
    let stale_token = lever_client::webhooks::signed_delivery(
        first[3].expose(),
        "candidateHired",
        json!({ "opportunityId": opportunity }),
        Utc::now(),
    );
    assert_eq!(
        post(&w.engine, "/webhooks/lever/globex", None, None, stale_token).await,
        StatusCode::UNAUTHORIZED,
        "a rotated-out token no longer verifies"
    );
}

#[tokio::test]
async fn a_replayed_signed_body_cannot_bring_a_deleted_candidate_back() {
    let w = world().await;
    let job = w.greenhouse.job_ids()[0];
    let candidate = w
        .greenhouse
        .add_candidate(GreenhouseCandidate::new("Ada Lovelace", "ada@example.com"));
    let application = w.greenhouse.add_application(candidate, job);
    let payload = stage_change_payload(
        candidate,
        application,
        job,
        "Ada",
        "Lovelace",
        "ada@example.com",
    );
    let (body, signature) = w.greenhouse.signed_webhook(&payload);
    let first = post(
        &w.engine,
        "/webhooks/greenhouse/acme",
        Some(&signature),
        Some("evt-1"),
        body.clone(),
    )
    .await;
    assert_eq!(first, StatusCode::ACCEPTED);
    w.process().await;
    w.greenhouse.delete_candidate(candidate);
    let example =
        include_str!("../crates/greenhouse-harvest/tests/fixtures/webhooks/delete_candidate.json");
    w.greenhouse_person_event(example, json!({ "id": candidate }), "evt-del")
        .await;
    w.process().await;

    // The earlier stage-change body, replayed byte for byte under a fresh
    // (unsigned) event id: a duplicate by its digest.
    let replay = post(
        &w.engine,
        "/webhooks/greenhouse/acme",
        Some(&signature),
        Some("evt-fresh"),
        body,
    )
    .await;
    assert_eq!(replay, StatusCode::OK, "a replay is a duplicate");

    // A late, different update about the deleted person is applied as nothing.
    let mut update: Value = serde_json::from_str(include_str!(
        "../crates/greenhouse-harvest/tests/fixtures/webhooks/update_candidate.json"
    ))
    .unwrap();
    let person = &mut update["payload"]["candidate"];
    person["id"] = json!(candidate);
    person["email_addresses"] = json!([{ "value": "ada@example.com", "type": "personal" }]);
    let (body, signature) = w.greenhouse.signed_webhook(&update);
    let status = post(
        &w.engine,
        "/webhooks/greenhouse/acme",
        Some(&signature),
        Some("evt-late"),
        body,
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let report = w.engine.process_deliveries().await.unwrap();
    assert_eq!(report.ignored_deleted, 1, "{report:?}");
    assert!(w.indexed("ada@example.com").await.is_empty());
}

#[tokio::test]
async fn lever_reruns_from_days_ago_are_accepted_and_older_ones_refused() {
    let w = world().await;
    let opportunity = w
        .lever
        .add_candidate(NewCandidate::new("Ada Lovelace", "ada@example.com"));
    let at = |days: i64| Utc::now() - chrono::Duration::days(days);
    let rerun = w.lever.signed_webhook_at(
        "applicationCreated",
        json!({ "opportunityId": opportunity }),
        at(3),
    );
    assert_eq!(
        post(&w.engine, "/webhooks/lever/acme", None, None, rerun).await,
        StatusCode::ACCEPTED,
        "Lever offers Rerun for two weeks"
    );
    let ancient = w.lever.signed_webhook_at(
        "applicationCreated",
        json!({ "opportunityId": opportunity }),
        at(20),
    );
    assert_eq!(
        post(&w.engine, "/webhooks/lever/acme", None, None, ancient).await,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_forged_lever_interview_deletion_naming_another_opportunity_cancels_nothing() {
    let w = world().await;
    let ada = w.lever_candidate("Ada Lovelace", "ada@example.com").await;
    let grace = w.lever_candidate("Grace Hopper", "grace@example.org").await;
    let start = Utc::now() + chrono::Duration::hours(1);
    let interview = w.lever.add_interview(
        &ada,
        NewInterview::new(start, 30).location("https://zoom.example/j/1"),
    );
    let created = w.lever.signed_webhook(
        "interviewCreated",
        json!({ "opportunityId": ada, "interviewId": interview }),
    );
    post(&w.engine, "/webhooks/lever/acme", None, None, created).await;
    w.process().await;
    // Lever signs only token + triggeredAt, so `data` can pair a live
    // interview with another opportunity; Lever answers 404 for that pair.
    let forged = w.lever.signed_webhook(
        "interviewDeleted",
        json!({ "opportunityId": grace, "interviewId": interview }),
    );
    post(&w.engine, "/webhooks/lever/acme", None, None, forged).await;
    w.process().await;
    assert_eq!(w.store.interviews(&acme()).await.unwrap().len(), 1);
    assert!(
        !w.taker
            .calls()
            .iter()
            .any(|c| matches!(c, NoteTakerCall::Cancelled(..))),
        "the live interview keeps its note taker"
    );
}

#[tokio::test]
async fn a_lever_deletion_received_while_revoked_waits_and_is_applied_on_resume() {
    let w = world().await;
    let opportunity = w.lever_candidate("Ada Lovelace", "ada@example.com").await;
    w.process().await;
    w.lever.delete_opportunity(&opportunity);
    w.lever.revoke();
    let deleted = w
        .lever
        .signed_webhook("candidateDeleted", json!({ "opportunityId": opportunity }));
    assert_eq!(
        post(&w.engine, "/webhooks/lever/acme", None, None, deleted).await,
        StatusCode::ACCEPTED
    );
    let report = w.engine.process_deliveries().await.unwrap();
    assert_eq!(report.deferred, 1, "{report:?}");
    assert_eq!(
        w.indexed("ada@example.com").await.len(),
        1,
        "not applied yet, and not dropped"
    );
    w.lever.restore();
    w.engine.resume_tenant(&acme(), Ats::Lever).await.unwrap();
    let report = w.engine.process_deliveries().await.unwrap();
    assert_eq!(report.purged, 1, "{report:?}");
    assert!(w.indexed("ada@example.com").await.is_empty());
}

/// Greenhouse's documented `reject_candidate`, `delete_application` and
/// `interview_deleted` examples change what the engine knows.
#[tokio::test]
async fn greenhouse_rejections_deleted_applications_and_interviews_are_applied() {
    let w = world().await;
    let signed = |text: &str| {
        let payload: Value = serde_json::from_str(text).unwrap();
        w.greenhouse.signed_webhook(&payload)
    };
    let deliver = |(body, signature): (Vec<u8>, String), id: &'static str| {
        let engine = w.engine.clone();
        async move {
            post(
                &engine,
                "/webhooks/greenhouse/acme",
                Some(&signature),
                Some(id),
                body,
            )
            .await
        }
    };
    let fixture = |name: &str| {
        std::fs::read_to_string(format!(
            "crates/greenhouse-harvest/tests/fixtures/webhooks/{name}.json"
        ))
        .unwrap()
    };
    // The rejected candidate's application is archived in the index.
    let status = deliver(signed(&fixture("reject_candidate")), "evt-reject").await;
    assert_eq!(status, StatusCode::ACCEPTED);
    w.process().await;
    let rejected = w
        .store
        .candidate(&aspect_sync_engine::index::CandidateKey {
            tenant: acme(),
            ats: Ats::Greenhouse,
            candidate_id: "265788".into(),
        })
        .await
        .unwrap()
        .unwrap();
    assert!(rejected.applications.iter().all(|a| a.archived));
    assert_ne!(
        rejected.status,
        aspect_sync_engine::index::CandidateStatus::Active
    );

    // A deleted application is tombstoned; its candidate, left with none, is forgotten.
    let mut deleted: Value = serde_json::from_str(&fixture("delete_application")).unwrap();
    deleted["payload"]["application"]["id"] = json!(265293);
    deleted["payload"]["application"]["candidate_id"] = json!(265788);
    let status = deliver(w.greenhouse.signed_webhook(&deleted), "evt-del-app").await;
    assert_eq!(status, StatusCode::ACCEPTED);
    w.process().await;
    assert_eq!(w.store.candidate_count(&acme()).await.unwrap(), 0);

    // An interview deletion cancels its recording.
    let interview = ScheduledInterview {
        tenant: acme(),
        ats: Ats::Greenhouse,
        interview_id: "31087450".into(),
        candidate_id: None,
        application_id: Some("1".into()),
        title: "Onsite".into(),
        start: Utc::now() + chrono::Duration::hours(2),
        end: None,
        conferencing_url: Some("https://meet.example.com/x".into()),
        interviewer_emails: vec![],
        updated_at: Utc::now(),
    };
    w.engine
        .apply_updates(vec![IndexUpdate::Interview(interview)])
        .await
        .unwrap();
    let status = deliver(signed(&fixture("interview_deleted")), "evt-del-iv").await;
    assert_eq!(status, StatusCode::ACCEPTED);
    w.process().await;
    assert!(w.store.interviews(&acme()).await.unwrap().is_empty());
    assert!(
        w.taker.calls().iter().any(
            |c| matches!(c, NoteTakerCall::Cancelled(_, m) if m.as_str().ends_with("31087450"))
        )
    );
}

#[tokio::test]
async fn a_corrected_lever_contact_address_stops_matching_the_old_one() {
    let w = world().await;
    w.lever_candidate("Ada Lovelace", "ada@typo.example").await;
    w.process().await;
    let contact = w.indexed("ada@typo.example").await[0]
        .key
        .candidate_id
        .clone();
    assert!(w.lever.set_contact_emails(&contact, &["ada@example.com"]));
    let delivery = w.lever.contact_updated_delivery(&contact).unwrap();
    assert_eq!(
        post(&w.engine, "/webhooks/lever/acme", None, None, delivery).await,
        StatusCode::ACCEPTED
    );
    w.process().await;
    assert!(w.indexed("ada@typo.example").await.is_empty());
    assert_eq!(w.indexed("ada@example.com").await.len(), 1);
}

/// The Greenhouse lookup fetches every found candidate's applications
/// (in calls of at most 50 ids), so no candidate's status is guessed.
#[tokio::test]
async fn a_greenhouse_lookup_gives_every_candidate_its_applications() {
    use aspect_sync_engine::AtsConnector;
    let w = world().await;
    let job = w.greenhouse.job_ids()[0];
    let mut ids = Vec::new();
    for i in 0..55 {
        let id = w.greenhouse.add_candidate(GreenhouseCandidate::new(
            &format!("Shared Person{i}"),
            "shared@example.com",
        ));
        w.greenhouse.add_application(id, job);
        ids.push(id);
    }
    let connection = GreenhouseConnection::new(
        w.greenhouse.client(),
        greenhouse_harvest::WebhookVerifier::new(w.greenhouse.webhook_secret()),
    );
    let found = connection
        .find_candidates_by_email(&acme(), "shared@example.com")
        .await
        .unwrap();
    assert_eq!(found.len(), 55);
    assert!(
        found.iter().all(|c| c.applications.len() == 1),
        "a candidate came back without its application"
    );
}

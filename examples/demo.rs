//! The offline end-to-end demo (the README's main command):
//!
//! ```text
//! cargo run --example demo
//! ```
//!
//! It starts the fake Lever and Greenhouse servers from the clients' testing
//! kits, an engine on a SQLite file in a temporary directory, and the webhook
//! receiver on loopback. The fakes send signed webhooks (a candidate
//! applies, an interview is scheduled), the engine sends the note taker, the
//! sample transcript is summarized, the meeting is processed, and the notes
//! land in both fake ATSs. The exit code is 0 only if each ATS received its
//! note exactly once. Nothing leaves the machine.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use aspect_interview_core::{
    ExtractiveSummarizer, Meeting, MeetingId, Participant, ParticipantRole, Summarizer,
    SummaryRequest, Transcript,
};
use aspect_sync_engine::greenhouse::GreenhouseConnection;
use aspect_sync_engine::lever::LeverConnection;
use aspect_sync_engine::posting::NoteDisposition;
use aspect_sync_engine::store::SqliteStore;
use aspect_sync_engine::worker::RetrySchedule;
use aspect_sync_engine::{
    Ats, Engine, NoteTaker, NoteTakerError, Tenant, TenantId, TenantSettings,
};
use async_trait::async_trait;
use chrono::Utc;
use greenhouse_harvest::testing::{FakeGreenhouse, NewCandidate as GreenhouseCandidate};
use lever_client::testing::{FakeLever, NewCandidate, NewInterview};
use serde_json::{Value, json};
use tokio::sync::Mutex;

const CANDIDATE_EMAIL: &str = "jordan.ellis@example.com";
const INTERVIEWER_EMAIL: &str = "priya.raman@acme.example";

/// The platform's recording bot, as far as the demo is concerned: it
/// remembers the meetings it was sent to.
#[derive(Default)]
struct DemoNoteTaker {
    meetings: Mutex<Vec<Meeting>>,
}

#[async_trait]
impl NoteTaker for DemoNoteTaker {
    async fn schedule(&self, tenant: &TenantId, meeting: &Meeting) -> Result<(), NoteTakerError> {
        step(&format!(
            "note taker scheduled for tenant {tenant}: \"{}\" at {} ({})",
            meeting.title,
            meeting.start.format("%Y-%m-%d %H:%M UTC"),
            meeting.conferencing_url.as_deref().unwrap_or("no link")
        ));
        let mut meetings = self.meetings.lock().await;
        meetings.retain(|m| m.id != meeting.id);
        meetings.push(meeting.clone());
        Ok(())
    }

    async fn cancel(&self, _tenant: &TenantId, meeting: &MeetingId) -> Result<(), NoteTakerError> {
        self.meetings.lock().await.retain(|m| &m.id != meeting);
        Ok(())
    }
}

/// What happened to one candidate's note when the meeting was processed, in words.
fn describe_disposition(disposition: &NoteDisposition) -> String {
    match disposition {
        NoteDisposition::Queued => "a new note was queued".to_owned(),
        NoteDisposition::AlreadyQueued(state) => {
            format!("the note is already in the outbox ({state})")
        }
        NoteDisposition::SkippedArchived => {
            "skipped: the candidate is archived and the tenant skips archived candidates".to_owned()
        }
        NoteDisposition::SkippedNoApplication => {
            "skipped: the candidate has no application to attach a note to".to_owned()
        }
        _ => "handled in a way this demo does not describe".to_owned(),
    }
}

fn step(text: &str) {
    println!("  • {text}");
}

fn section(n: u32, title: &str) {
    println!("\n[{n}] {title}");
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("\nFAILED: the notes did not arrive exactly once in each ATS");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("\nFAILED: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<bool, Box<dyn std::error::Error>> {
    // reqwest is built without a TLS crypto provider; the demo only talks
    // plain HTTP to loopback, but a client still needs one installed.
    let _ = rustls::crypto::ring::default_provider().install_default();
    println!("Aspect ATS demo: interview notes into Lever and Greenhouse, fully offline");

    section(1, "Start the fake ATSs, the store and the receiver");
    let lever = FakeLever::start().await;
    let greenhouse = FakeGreenhouse::start().await;
    step(&format!("fake Lever at {}", lever.base_url()));
    step(&format!(
        "fake Greenhouse (Harvest v3) at {}",
        greenhouse.base_url()
    ));
    let dir = tempfile::tempdir()?;
    let store = Arc::new(SqliteStore::open(dir.path().join("engine.sqlite3"))?);
    step(&format!(
        "SQLite store at {} (schema v{})",
        dir.path().join("engine.sqlite3").display(),
        store.schema_version()?
    ));
    let taker = Arc::new(DemoNoteTaker::default());
    let engine = Arc::new(
        Engine::new(store.clone(), taker.clone()).with_retry_schedule(RetrySchedule {
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(2),
            max_attempts: 8,
        }),
    );
    let tenant = TenantId::new("acme")?;
    let lever_user = lever.add_user("Priya Raman", INTERVIEWER_EMAIL);
    engine.add_tenant(
        Tenant::new(
            tenant.clone(),
            TenantSettings::new()
                .own_domains(["acme.example"])
                .recording_base_url("https://app.aspect.example/meetings"),
        )
        .with_lever(
            LeverConnection::new(
                lever.client(),
                lever_client::WebhookVerifier::new(lever.signature_token()),
            )
            .perform_as(lever_user.clone()),
        )
        .with_greenhouse(GreenhouseConnection::new(
            greenhouse.client(),
            greenhouse_harvest::WebhookVerifier::new(greenhouse.webhook_secret()),
        )),
    )?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let receiver = format!("http://{}", listener.local_addr()?);
    let app = aspect_sync_engine::receiver::router(engine.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    step(&format!("webhook receiver listening on {receiver}"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let workers = tokio::spawn(
        engine
            .clone()
            .run_workers(Duration::from_millis(100), async {
                let _ = stopped.await;
            }),
    );
    let http = reqwest::Client::new();

    section(2, "A candidate applies (signed webhooks from both ATSs)");
    let opportunity = lever.add_candidate(NewCandidate::new("Jordan Ellis", CANDIDATE_EMAIL));
    let body = lever.signed_webhook(
        "applicationCreated",
        json!({ "opportunityId": opportunity }),
    );
    let status = http
        .post(format!("{receiver}/webhooks/lever/acme"))
        .body(body)
        .send()
        .await?
        .status();
    step(&format!(
        "Lever applicationCreated for opportunity {opportunity} → receiver answered {status}"
    ));
    let job = greenhouse.job_ids()[0];
    let gh_candidate =
        greenhouse.add_candidate(GreenhouseCandidate::new("Jordan Ellis", CANDIDATE_EMAIL));
    let application = greenhouse.add_application(gh_candidate, job);
    let payload = stage_change(gh_candidate, application, job);
    let (body, signature) = greenhouse.signed_webhook(&payload);
    let status = http
        .post(format!("{receiver}/webhooks/greenhouse/acme"))
        .header("Signature", signature)
        .header("Greenhouse-Event-ID", format!("demo-{application}"))
        .body(body)
        .send()
        .await?
        .status();
    step(&format!(
        "Greenhouse candidate_stage_change for candidate {gh_candidate} → receiver answered {status}"
    ));

    section(
        3,
        "An interview is scheduled in Lever; Greenhouse is synced (\"Sync now\")",
    );
    let start = Utc::now() + chrono::Duration::minutes(30);
    let interview = lever.add_interview(
        &opportunity,
        NewInterview::new(start, 45)
            .interviewer(lever_user)
            .location("https://zoom.example/j/8675309")
            .subject("Backend engineer – technical interview"),
    );
    let body = lever.signed_webhook(
        "interviewCreated",
        json!({ "opportunityId": opportunity, "interviewId": interview }),
    );
    let status = http
        .post(format!("{receiver}/webhooks/lever/acme"))
        .body(body)
        .send()
        .await?
        .status();
    step(&format!(
        "Lever interviewCreated {interview} → receiver answered {status}"
    ));
    let report = engine
        .sync_now(&tenant, Ats::Greenhouse, |p| {
            if p.done {
                step(&format!(
                    "synced Greenhouse {}: {} item(s) in {} page(s)",
                    p.resource, p.items, p.pages
                ));
            }
        })
        .await?;
    step(&format!(
        "sync applied {} candidate update(s), {} job(s)",
        report.candidates, report.jobs
    ));
    let meeting = wait_for_meeting(&taker)
        .await
        .ok_or("the note taker was never scheduled")?;

    section(4, "The interview happens; the transcript is summarized");
    let transcript = Transcript::parse(include_str!("data/sample_interview.vtt"))?;
    step(&format!(
        "{} utterances from {}",
        transcript.utterances.len(),
        transcript.speakers().join(" and ")
    ));
    let notes = ExtractiveSummarizer::default()
        .summarize(&SummaryRequest::new(&transcript))
        .await?;
    step(&format!(
        "summary with {} key point(s) and {} Q&A pair(s) ({})",
        notes.summary.key_points.len(),
        notes.qa.len(),
        notes.generator
    ));

    section(5, "The meeting is processed: match, preview, queue, post");
    let mut meeting = meeting;
    meeting
        .participants
        .push(Participant::new(CANDIDATE_EMAIL, ParticipantRole::Unknown));
    let preview = engine.preview_notes(&tenant, &meeting, &notes).await?;
    for note in &preview.notes {
        step(&format!(
            "preview: {} note for candidate {} ({} chars)",
            note.key.ats,
            note.key.candidate_id,
            note.body.chars().count()
        ));
    }
    let plan = engine.enqueue_notes(&tenant, &meeting, &notes).await?;
    step(&format!(
        "queued {} note(s); {}",
        plan.notes.len(),
        if plan.unmatched.is_empty() {
            "no participant was left unmatched".to_owned()
        } else {
            format!(
                "these participants matched no candidate: {}",
                plan.unmatched.join(", ")
            )
        }
    ));
    let again = engine.enqueue_notes(&tenant, &meeting, &notes).await?;
    step(&format!(
        "processing the meeting again queues nothing new: {}",
        again
            .notes
            .iter()
            .map(|n| describe_disposition(&n.disposition))
            .collect::<Vec<_>>()
            .join("; ")
    ));
    wait_for_notes(&lever, &greenhouse).await;
    let _ = stop.send(());
    workers.await?;

    section(6, "What each ATS received");
    let lever_notes = lever.notes();
    let gh_notes = greenhouse.notes();
    for note in &lever_notes {
        println!(
            "\n--- Lever note on opportunity {}, {} ---\n{}",
            note.opportunity_id,
            match &note.perform_as {
                Some(user) => format!("posted on behalf of user {user}"),
                None => "posted as the API key's own user".to_owned(),
            },
            note.value
        );
    }
    for note in &gh_notes {
        println!(
            "\n--- Greenhouse note on candidate {}, {} visibility, {} ---\n{}",
            note.candidate_id,
            note.visibility.replace('_', " "),
            match note.user_id {
                Some(user) => format!("written as user {user}"),
                None => "with no author".to_owned(),
            },
            note.body
        );
    }
    let ok = lever_notes.len() == 1 && gh_notes.len() == 1;
    println!(
        "\nResult: Lever received {} note(s), Greenhouse {} note(s): {}",
        lever_notes.len(),
        gh_notes.len(),
        if ok {
            "each exactly once"
        } else {
            "NOT exactly once"
        }
    );
    Ok(ok)
}

async fn wait_for_meeting(taker: &DemoNoteTaker) -> Option<Meeting> {
    // Up to 30 s: generous for a loaded CI machine; typically well under 1 s.
    for _ in 0..600 {
        if let Some(m) = taker
            .meetings
            .lock()
            .await
            .iter()
            .find(|m| m.id.as_str().starts_with("lever-"))
        {
            return Some(m.clone());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    None
}

async fn wait_for_notes(lever: &FakeLever, greenhouse: &FakeGreenhouse) {
    // Up to 30 s: generous for a loaded CI machine; typically well under 1 s.
    for _ in 0..600 {
        if !lever.notes().is_empty() && !greenhouse.notes().is_empty() {
            // One more worker pass, to show that nothing is posted twice.
            tokio::time::sleep(Duration::from_millis(300)).await;
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A `candidate_stage_change` delivery in the shape of Greenhouse's
/// documented example, for the fake's candidate.
fn stage_change(candidate: u64, application: u64, job: u64) -> Value {
    json!({
        "action": "candidate_stage_change",
        "payload": {
            "application": {
                "id": application,
                "rejected_at": null,
                "prospect": false,
                "status": "active",
                "applied_at": Utc::now().to_rfc3339(),
                "last_activity_at": Utc::now().to_rfc3339(),
                "current_stage": { "id": 71416, "name": "Technical interview", "interviews": [] },
                "candidate": {
                    "id": candidate,
                    "first_name": "Jordan",
                    "last_name": "Ellis",
                    "email_addresses": [{ "value": CANDIDATE_EMAIL, "type": "personal" }],
                    "phone_numbers": [],
                    "addresses": []
                },
                "jobs": [{ "id": job, "name": "Backend Engineer", "status": "open" }]
            }
        }
    })
}

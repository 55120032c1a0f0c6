//! The offline end-to-end demo (the README's main command):
//!
//! ```text
//! cargo run --example demo
//! ```
//!
//! It starts the fake Lever and Greenhouse servers from the clients' testing
//! kits, an engine on a SQLite file in a temporary directory, and the webhook
//! receiver on loopback. The admin connects both ATSs as a customer does:
//! Lever through its OAuth consent page (the fake's), Greenhouse with Harvest
//! credentials, a generated webhook secret and a first Sync. The fakes then
//! send signed webhooks (a candidate applies, an interview is scheduled),
//! the engine sends the note taker, the sample transcript is summarized, the
//! meeting is processed, and the notes land in both fake ATSs. The exit code
//! is 0 only if each ATS received its note exactly once. Nothing leaves the
//! machine.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use aspect_interview_core::{
    ExtractiveSummarizer, Meeting, MeetingId, Participant, ParticipantRole, Summarizer,
    SummaryRequest, Transcript,
};
use aspect_sync_engine::connection::{
    ConnectConfig, ConnectionState, Connections, GreenhouseApi, GreenhouseCredentials, LeverApp,
};
use aspect_sync_engine::posting::NoteDisposition;
use aspect_sync_engine::secrets::SecretBox;
use aspect_sync_engine::store::SqliteStore;
use aspect_sync_engine::worker::RetrySchedule;
use aspect_sync_engine::{Ats, Engine, NoteTaker, NoteTakerError, TenantId, TenantSettings};
use async_trait::async_trait;
use chrono::Utc;
use greenhouse_harvest::testing::{FakeGreenhouse, NewCandidate as GreenhouseCandidate};
use lever_client::testing::{FakeLever, NewCandidate, NewInterview};
use serde_json::{Value, json};
use tokio::sync::Mutex;

const CANDIDATE_EMAIL: &str = "jordan.ellis@example.com";
const INTERVIEWER_EMAIL: &str = "priya.raman@acme.example";
/// The customer's admin who connects Greenhouse: notes are written as the
/// Greenhouse user with this e-mail (a Site Admin the fake is seeded with).
const GREENHOUSE_ADMIN_EMAIL: &str = "kate.austen@example.com";

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
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let receiver = format!("http://{}", listener.local_addr()?);
    let app = aspect_sync_engine::receiver::router(engine.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    step(&format!("webhook receiver listening on {receiver}"));
    let config = ConnectConfig::new(format!("{receiver}/").parse()?)
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
    // Credentials and tokens are sealed at rest; a real deployment reads the
    // key from its configuration (ASPECT_SECRET_KEYS).
    let sealing = SecretBox::from_config(&format!("demo:{}", SecretBox::generate_key()?))?;
    let connections = Connections::new(engine.clone(), store.clone(), sealing, config);
    connections
        .create_tenant(
            tenant.clone(),
            TenantSettings::new()
                .own_domains(["acme.example"])
                .recording_base_url("https://app.aspect.example/meetings"),
        )
        .await?;
    step("tenant acme created (own domain acme.example)");

    section(
        2,
        "The admin connects Lever (OAuth consent) and Greenhouse (Harvest credentials)",
    );
    let authorize = connections.start_lever(&tenant).await?;
    step("Lever toggle clicked: the consent page opens");
    let (state, code) = accept_consent(&authorize).await?;
    step("the admin reviews the requested permissions and clicks Accept");
    connections.complete_lever(&state, &code).await?;
    let lever_status = connections.status(&tenant).await?.lever;
    step(&format!(
        "Lever is {}; the eight webhooks were registered through the API",
        describe_state(&lever_status.state)
    ));
    let setup = connections
        .connect_greenhouse(
            &tenant,
            GreenhouseCredentials {
                client_id: greenhouse.client_id().to_owned(),
                client_secret: greenhouse.client_secret().to_owned(),
                admin_email: GREENHOUSE_ADMIN_EMAIL.to_owned(),
            },
        )
        .await?;
    step(&format!(
        "Greenhouse credentials saved (Update); notes will be written as user {}, the one with the admin's e-mail",
        setup.user_id
    ));
    step(&format!(
        "the admin copies the endpoint {} and the generated {}-character secret into Greenhouse's webhooks",
        setup.endpoint_url,
        setup.webhook_secret.chars().count()
    ));
    let synced = connections.sync(&tenant, Ats::Greenhouse).await?;
    step(&format!(
        "Sync clicked: {} candidate update(s) and {} job(s) indexed",
        synced.candidates, synced.jobs
    ));
    let greenhouse_status = connections.status(&tenant).await?.greenhouse;
    step(&format!(
        "Greenhouse is {}",
        describe_state(&greenhouse_status.state)
    ));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let workers = tokio::spawn(
        engine
            .clone()
            .run_workers(Duration::from_millis(100), async {
                let _ = stopped.await;
            }),
    );
    let http = reqwest::Client::new();

    section(3, "A candidate applies (signed webhooks from both ATSs)");
    let opportunity = lever.add_candidate(NewCandidate::new("Jordan Ellis", CANDIDATE_EMAIL));
    // Signed with the token of the webhook the connect flow registered.
    let body = lever
        .signed_by_registered_webhook(
            "applicationCreated",
            json!({ "opportunityId": opportunity }),
        )
        .ok_or("no applicationCreated webhook was registered")?;
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
    // Greenhouse signs with the secret the admin pasted into its webhook.
    let body = serde_json::to_vec(&payload)?;
    let signature = greenhouse_harvest::webhooks::sign(&setup.webhook_secret, &body);
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
        4,
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
    let body = lever
        .signed_by_registered_webhook(
            "interviewCreated",
            json!({ "opportunityId": opportunity, "interviewId": interview }),
        )
        .ok_or("no interviewCreated webhook was registered")?;
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

    section(5, "The interview happens; the transcript is summarized");
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

    section(6, "The meeting is processed: match, preview, queue, post");
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

    section(7, "What each ATS received");
    let lever_notes = lever.notes();
    let gh_notes = greenhouse.notes();
    for note in &lever_notes {
        println!(
            "\n--- Lever note on opportunity {}, {} ---\n{}",
            note.opportunity_id,
            match &note.perform_as {
                Some(user) => format!("posted on behalf of user {user}"),
                None => "posted as the Lever user who connected the app".to_owned(),
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

/// The admin's click through Lever's consent page (the fake's): opens it,
/// clicks Accept, and follows the redirect back to the callback, whose
/// `state` and `code` the server hands to `Connections::complete_lever`.
async fn accept_consent(
    authorize: &reqwest::Url,
) -> Result<(String, String), Box<dyn std::error::Error>> {
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let page = browser.get(authorize.clone()).send().await?.text().await?;
    if !page.contains("notes:write:admin") {
        return Err("the consent page does not list the permissions the app asks for".into());
    }
    let mut form: Vec<(String, String)> = authorize.query_pairs().into_owned().collect();
    form.push(("decision".into(), "accept".into()));
    let mut action = authorize.clone();
    action.set_query(None);
    let answer = browser.post(action).form(&form).send().await?;
    let location: reqwest::Url = answer
        .headers()
        .get("location")
        .ok_or("the consent page did not redirect back")?
        .to_str()?
        .parse()?;
    let value = |name: &str| {
        location
            .query_pairs()
            .find(|(key, _)| key == name)
            .map(|(_, v)| v.into_owned())
            .ok_or_else(|| format!("the callback carries no {name}"))
    };
    Ok((value("state")?, value("code")?))
}

fn describe_state(state: &ConnectionState) -> String {
    match state {
        ConnectionState::Active => "Active".to_owned(),
        ConnectionState::Inactive { reason } => format!("Inactive ({reason})"),
        ConnectionState::NeverConnected => "not connected".to_owned(),
    }
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

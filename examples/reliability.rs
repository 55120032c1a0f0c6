//! Reliability proofs: what the engine promises, tried against failures.
//!
//! ```sh
//! cargo run --release --example reliability -- all            # full size
//! cargo run --example reliability -- all --quick              # what CI runs
//! cargo run --example reliability -- faults --notes 1000      # one proof
//! ```
//!
//! Each proof prints its figures and the program exits non-zero when one
//! falls short:
//! - `faults`: notes for candidates in both ATSs while about 30% of ATS
//!   requests fail (429 with `Retry-After`, 5xx before and after the write
//!   was applied, timeouts after it was applied, connection resets before
//!   and after it was applied): every note posted exactly once.
//! - `crashes`: the engine runs in a child process on a SQLite file and is
//!   killed with SIGKILL at random moments while it posts, then restarted on
//!   the same file; the fake ATSs live in this (parent) process: every note
//!   exactly once.
//! - `bad-input`: forged, stale, replayed, truncated, oversized, non-UTF-8,
//!   deeply nested and wrongly typed deliveries and slow connections,
//!   interleaved with valid ones, against the receiver on a real socket:
//!   each refused with its status, each valid one applied, memory bounded.
//! - `secrets`: a whole flow (sync, webhooks, notes, failures) with
//!   `tracing` captured at TRACE level: no API key, token or webhook secret
//!   in the output.
//!
//! - `replicas`: three engine processes on one PostgreSQL database (the URL
//!   in `ASPECT_TEST_POSTGRES_URL`), all posting from one outbox while 30%
//!   of ATS requests fail and processes are killed and restarted: every
//!   note exactly once. Skipped with a message when no URL is set (failed
//!   under `CI=true`).

use std::collections::BTreeMap;
use std::io::Write as _;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aspect_interview_core::{
    ExtractiveSummarizer, InterviewNotes, Meeting, Participant, ParticipantRole, Summarizer,
    SummaryRequest, Transcript,
};
use aspect_sync_engine::greenhouse::GreenhouseConnection;
use aspect_sync_engine::lever::LeverConnection;
use aspect_sync_engine::receiver::{ReceiverLimits, router_with_limits, serve};
use aspect_sync_engine::store::{PostgresStore, SqliteStore, Store};
use aspect_sync_engine::worker::RetrySchedule;
use aspect_sync_engine::{
    Ats, Engine, LeaseSettings, RecordingNoteTaker, Tenant, TenantId, TenantSettings,
};
use chrono::Utc;
use greenhouse_harvest::testing::{FakeGreenhouse, NewCandidate as GreenhouseCandidate};
use lever_client::testing::{FakeLever, NewCandidate as LeverCandidate};

const INTERVIEWER: &str = "lead@acme.example";
const OWN_DOMAIN: &str = "acme.example";

type Outcome = Result<(), String>;

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // This program's own HTTP client (the bad-input sender) uses reqwest with
    // rustls: an application picks its crypto provider once, at start.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    if args.first().map(String::as_str) == Some("engine-child") {
        return runtime.block_on(child::run());
    }
    let options = Options::parse(&args);
    let proofs: Vec<&str> = match options.proof.as_str() {
        "all" => vec!["faults", "crashes", "replicas", "bad-input", "secrets"],
        one => vec![one],
    };
    let mut failed = Vec::new();
    for proof in proofs {
        println!("== {proof}");
        let started = Instant::now();
        let outcome = runtime.block_on(async {
            match proof {
                "faults" => faults::run(&options).await,
                "crashes" => crashes::run(&options).await,
                "replicas" => replicas::run(&options).await,
                "bad-input" => bad_input::run(&options).await,
                "secrets" => secrets::run(&options).await,
                other => Err(format!(
                    "unknown proof `{other}` (faults, crashes, replicas, bad-input, secrets, all)"
                )),
            }
        });
        match outcome {
            Ok(()) => println!("   PASS in {:.1} s", started.elapsed().as_secs_f64()),
            Err(why) => {
                println!("   FAIL: {why}");
                failed.push(proof);
            }
        }
    }
    if failed.is_empty() {
        println!("every proof held");
        std::process::ExitCode::SUCCESS
    } else {
        println!("proofs that failed: {}", failed.join(", "));
        std::process::ExitCode::FAILURE
    }
}

/// Command-line options.
struct Options {
    proof: String,
    notes: usize,
    kills: usize,
    seed: u64,
}

impl Options {
    fn parse(args: &[String]) -> Self {
        let quick = args.iter().any(|a| a == "--quick");
        let value = |name: &str| {
            args.iter()
                .position(|a| a == name)
                .and_then(|i| args.get(i + 1))
                .and_then(|v| v.parse::<u64>().ok())
        };
        Self {
            proof: args
                .first()
                .filter(|a| !a.starts_with("--"))
                .cloned()
                .unwrap_or_else(|| "all".into()),
            notes: value("--notes").map_or(if quick { 200 } else { 1000 }, |n| n as usize),
            kills: value("--kills").map_or(if quick { 5 } else { 20 }, |n| n as usize),
            seed: value("--seed").unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(7, |d| d.as_nanos() as u64)
            }),
        }
    }
}

/// A small deterministic generator (xorshift), so a failing run can be
/// repeated with its printed `--seed`.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0.max(1);
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

fn acme() -> TenantId {
    TenantId::new("acme").expect("a valid tenant id")
}

fn settings() -> TenantSettings {
    TenantSettings::new()
        .own_domains([OWN_DOMAIN])
        .recording_base_url("https://app.aspect.example/meetings")
}

/// Retries that do not give up within a proof (the point is that a note is
/// eventually posted once, whatever the failures cost), with the default
/// schedule's shape shrunk from seconds to milliseconds.
fn patient() -> RetrySchedule {
    RetrySchedule {
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(500),
        max_attempts: 60,
    }
}

/// A meeting id that is never a substring of another (fixed width).
fn meeting_id(i: usize) -> String {
    format!("rel-{i:06}")
}

fn meeting(i: usize, email: &str) -> Meeting {
    Meeting::new(
        meeting_id(i),
        "Backend engineer – technical interview",
        Utc::now(),
    )
    .with_participant(Participant::new(INTERVIEWER, ParticipantRole::Interviewer))
    .with_participant(Participant::new(email, ParticipantRole::Unknown))
}

async fn sample_notes() -> Result<InterviewNotes, String> {
    let vtt = include_str!("data/sample_interview.vtt");
    let transcript = Transcript::parse(vtt).map_err(|e| e.to_string())?;
    ExtractiveSummarizer::default()
        .summarize(&SummaryRequest::new(&transcript))
        .await
        .map_err(|e| e.to_string())
}

/// The two fake ATSs with `n` candidates split between them; candidate `i`
/// has the address `c{i}@candidates.example` and belongs to Lever when `i`
/// is even, Greenhouse when odd.
struct Fakes {
    lever: FakeLever,
    greenhouse: FakeGreenhouse,
    emails: Vec<String>,
}

impl Fakes {
    async fn start(n: usize) -> Self {
        let lever = FakeLever::start_empty().await;
        // No server-side bucket: the 429s a proof wants are injected, so
        // that every process (and its fresh client-side bucket) sees the same fake.
        lever.set_rate_limit(None);
        // The seeded fake: it comes with the jobs an application needs.
        let greenhouse = FakeGreenhouse::start().await;
        let job = greenhouse.job_ids()[0];
        let mut emails = Vec::with_capacity(n);
        for i in 0..n {
            let email = format!("c{i}@candidates.example");
            if i % 2 == 0 {
                lever.add_candidate(LeverCandidate::new(format!("Lever {i}"), &email));
            } else {
                let id = greenhouse.add_candidate(
                    GreenhouseCandidate::new("Greenhouse", &email)
                        .names("Greenhouse", i.to_string()),
                );
                greenhouse.add_application(id, job);
            }
            emails.push(email);
        }
        Self {
            lever,
            greenhouse,
            emails,
        }
    }

    fn tenant(&self, timeout: Duration) -> Tenant {
        let lever = self
            .lever
            .client_builder()
            .rate_limit(None)
            .timeout(timeout)
            .build()
            .expect("a Lever client");
        let greenhouse = self
            .greenhouse
            .client_builder()
            .timeout(timeout)
            .build()
            .expect("a Harvest client");
        Tenant::new(acme(), settings())
            .with_lever(LeverConnection::new(
                lever,
                lever_client::WebhookVerifier::new(self.lever.signature_token()),
            ))
            .with_greenhouse(GreenhouseConnection::new(
                greenhouse,
                greenhouse_harvest::WebhookVerifier::new(self.greenhouse.webhook_secret()),
            ))
    }

    /// How many notes each meeting got, over both ATSs.
    fn notes_per_meeting(&self, n: usize) -> Vec<usize> {
        let mut texts: Vec<String> = self.lever.notes().into_iter().map(|n| n.value).collect();
        texts.extend(self.greenhouse.notes().into_iter().map(|n| n.body));
        let mut counts = vec![0usize; n];
        for text in texts {
            for (i, count) in counts.iter_mut().enumerate() {
                if text.contains(&meeting_id(i)) {
                    *count += 1;
                }
            }
        }
        counts
    }

    fn requests(&self) -> u64 {
        self.lever.request_counts().values().sum::<u64>()
            + self.greenhouse.request_counts().values().sum::<u64>()
    }
}

/// Posted / expected / duplicates / lost, and whether it is exactly once.
fn exactly_once(counts: &[usize]) -> Outcome {
    let expected = counts.len();
    let posted = counts.iter().filter(|&&c| c > 0).count();
    let duplicates: usize = counts.iter().map(|&c| c.saturating_sub(1)).sum();
    let lost = counts.iter().filter(|&&c| c == 0).count();
    println!("   posted {posted} / expected {expected}, duplicates {duplicates}, lost {lost}");
    if duplicates == 0 && lost == 0 {
        Ok(())
    } else {
        Err(format!("{duplicates} duplicate and {lost} lost notes"))
    }
}

/// Indexes every candidate (a Sync now of both ATSs) and queues one note per
/// candidate, planning again whatever an ATS failure left unplanned.
async fn index_and_queue(engine: &Engine, fakes: &Fakes) -> Outcome {
    for ats in [Ats::Lever, Ats::Greenhouse] {
        let mut tries = 0;
        while let Err(e) = engine.sync_now(&acme(), ats, |_| {}).await {
            tries += 1;
            if tries > 50 {
                return Err(format!("the {ats} sync kept failing: {e}"));
            }
        }
    }
    let notes = sample_notes().await?;
    for (i, email) in fakes.emails.iter().enumerate() {
        let mut tries = 0;
        loop {
            match engine
                .enqueue_notes(&acme(), &meeting(i, email), &notes)
                .await
            {
                Ok(plan) if plan.failed.is_empty() && plan.notes.len() == 1 => break,
                Ok(plan) if plan.failed.is_empty() => {
                    return Err(format!(
                        "meeting {i} planned {} notes: {plan:?}",
                        plan.notes.len()
                    ));
                }
                Ok(_) | Err(_) => {}
            }
            tries += 1;
            if tries > 100 {
                return Err(format!("meeting {i} could not be planned"));
            }
        }
    }
    Ok(())
}

/// Whether any note is still open (pending or sending, leased or not).
async fn open_notes(store: &dyn Store) -> Result<usize, String> {
    let far = Utc::now() + chrono::Duration::days(365);
    Ok(store
        .due_notes(far, usize::MAX)
        .await
        .map_err(|e| e.to_string())?
        .len())
}

mod faults {
    use super::*;
    use greenhouse_harvest::testing::Failure as GreenhouseFailure;
    use lever_client::testing::Failure as LeverFailure;

    /// The kinds injected, with how often each was.
    pub type Tally = Arc<Mutex<BTreeMap<&'static str, u64>>>;

    /// Keeps about `percent` of all ATS requests failing: for every request
    /// the fakes saw since the last look, queues a failure with that chance.
    pub fn inject(
        fakes: Arc<Fakes>,
        percent: u64,
        seed: u64,
        tally: Tally,
    ) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut rng = Rng(seed);
            let mut seen = fakes.requests();
            loop {
                tokio::time::sleep(Duration::from_millis(1)).await;
                let now = fakes.requests();
                for _ in seen..now {
                    if rng.chance(percent) {
                        let kind = if rng.chance(50) {
                            lever(&fakes, &mut rng)
                        } else {
                            greenhouse(&fakes, &mut rng)
                        };
                        *tally.lock().unwrap().entry(kind).or_default() += 1;
                    }
                }
                seen = now;
            }
        })
    }

    fn lever(fakes: &Fakes, rng: &mut Rng) -> &'static str {
        let (kind, failure) = match rng.below(6) {
            0 => (
                "429 with Retry-After",
                LeverFailure::RateLimited {
                    retry_after: Some(Duration::from_millis(20)),
                },
            ),
            1 => ("5xx before the write", LeverFailure::Status(503)),
            2 => ("5xx after the write", LeverFailure::AcceptThenFail(500)),
            3 => (
                "timeout after the write",
                LeverFailure::AcceptThenDelay(Duration::from_millis(600)),
            ),
            4 => ("reset before the write", LeverFailure::ResetBeforeApplied),
            _ => ("reset after the write", LeverFailure::ResetAfterApplied),
        };
        fakes.lever.fail_next(1, failure);
        kind
    }

    fn greenhouse(fakes: &Fakes, rng: &mut Rng) -> &'static str {
        let (kind, failure) = match rng.below(6) {
            0 => (
                "429 with Retry-After",
                GreenhouseFailure::RateLimited {
                    retry_after: Some(Duration::from_millis(20)),
                },
            ),
            1 => ("5xx before the write", GreenhouseFailure::Status(503)),
            2 => (
                "5xx after the write",
                GreenhouseFailure::AcceptThenFail(500),
            ),
            3 => (
                "timeout after the write",
                GreenhouseFailure::AcceptThenDelay(Duration::from_millis(600)),
            ),
            4 => (
                "reset before the write",
                GreenhouseFailure::ResetBeforeApplied,
            ),
            _ => (
                "reset after the write",
                GreenhouseFailure::ResetAfterApplied,
            ),
        };
        fakes.greenhouse.fail_next(1, failure);
        kind
    }

    pub async fn run(options: &Options) -> Outcome {
        let n = options.notes;
        println!(
            "   {n} notes, 30% of ATS requests failing, seed {}",
            options.seed
        );
        let fakes = Arc::new(Fakes::start(n).await);
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let store = Arc::new(
            SqliteStore::open(dir.path().join("engine.sqlite3")).map_err(|e| e.to_string())?,
        );
        let engine = Engine::new(store.clone(), Arc::new(RecordingNoteTaker::new()))
            .with_retry_schedule(patient());
        engine
            .add_tenant(fakes.tenant(Duration::from_millis(300)))
            .map_err(|e| e.to_string())?;
        let tally: Tally = Arc::default();
        let before = fakes.requests();
        let injector = inject(fakes.clone(), 30, options.seed, tally.clone());
        let result = async {
            index_and_queue(&engine, &fakes).await?;
            let deadline = Instant::now() + Duration::from_secs(600);
            while open_notes(&*store).await? > 0 {
                if Instant::now() > deadline {
                    return Err("notes still open after 10 minutes".to_owned());
                }
                engine
                    .deliver_due_notes()
                    .await
                    .map_err(|e| e.to_string())?;
            }
            Ok(())
        }
        .await;
        injector.abort();
        let requests = fakes.requests() - before;
        let injected: u64 = tally.lock().unwrap().values().sum();
        println!(
            "   {requests} ATS requests, {injected} failed ({:.0}%): {:?}",
            injected as f64 * 100.0 / requests.max(1) as f64,
            tally.lock().unwrap()
        );
        result?;
        exactly_once(&fakes.notes_per_meeting(n))
    }
}

/// The engine process the crash proof kills: configured from the
/// environment, it posts until the outbox is empty, then exits 0.
mod child {
    use super::*;

    fn var(name: &str) -> Result<String, String> {
        std::env::var(name).map_err(|_| format!("{name} is not set"))
    }

    fn tenant() -> Result<Tenant, String> {
        let timeout = Duration::from_millis(300);
        let lever = lever_client::LeverClient::builder()
            .api_key(var("REL_LEVER_KEY")?)
            .base_url(var("REL_LEVER_URL")?)
            .retry_policy(lever_client::RetryPolicy::fast())
            .rate_limit(None)
            .timeout(timeout)
            .build()
            .map_err(|e| e.to_string())?;
        let user: u64 = var("REL_GH_USER")?
            .parse()
            .map_err(|_| "REL_GH_USER is not a number")?;
        let greenhouse = greenhouse_harvest::HarvestClient::builder()
            .client_credentials(var("REL_GH_ID")?, var("REL_GH_SECRET")?, Some(user))
            .base_url(var("REL_GH_URL")?)
            .token_url(var("REL_GH_TOKEN_URL")?)
            .introspection_url(var("REL_GH_INTROSPECT_URL")?)
            .retry_policy(greenhouse_harvest::RetryPolicy::fast())
            .timeout(timeout)
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Tenant::new(acme(), settings())
            .with_lever(LeverConnection::new(
                lever,
                lever_client::WebhookVerifier::new(var("REL_LEVER_SIGNATURE")?),
            ))
            .with_greenhouse(GreenhouseConnection::new(
                greenhouse,
                greenhouse_harvest::WebhookVerifier::new(var("REL_GH_WEBHOOK")?),
            )))
    }

    async fn post_all() -> Outcome {
        let store = open_store(&var("REL_DB")?, std::env::var("REL_SCHEMA").ok()).await?;
        let engine = Engine::new(store.clone(), Arc::new(RecordingNoteTaker::new()))
            .with_retry_schedule(patient())
            .with_leases(LeaseSettings {
                lease: Duration::from_millis(1200),
                call_limit: Duration::from_millis(300),
            });
        engine.add_tenant(tenant()?).map_err(|e| e.to_string())?;
        while open_notes(&*store).await? > 0 {
            let report = engine
                .deliver_due_notes()
                .await
                .map_err(|e| e.to_string())?;
            if report == Default::default() {
                // Entries leased by a killed process: wait for the leases to lapse.
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
        Ok(())
    }

    pub async fn run() -> std::process::ExitCode {
        // Faults are expected here: keep the proof's own output readable.
        match post_all().await {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("engine child: {e}");
                std::process::ExitCode::FAILURE
            }
        }
    }

    /// The environment a child needs to reach the fakes.
    pub fn env(fakes: &Fakes, db: &std::path::Path) -> Vec<(&'static str, String)> {
        vec![
            ("REL_DB", db.display().to_string()),
            ("REL_LEVER_URL", fakes.lever.base_url()),
            ("REL_LEVER_KEY", fakes.lever.api_key().to_owned()),
            (
                "REL_LEVER_SIGNATURE",
                fakes.lever.signature_token().to_owned(),
            ),
            ("REL_GH_URL", fakes.greenhouse.base_url().to_string()),
            ("REL_GH_TOKEN_URL", fakes.greenhouse.token_url().to_string()),
            (
                "REL_GH_INTROSPECT_URL",
                fakes.greenhouse.introspection_url().to_string(),
            ),
            ("REL_GH_ID", fakes.greenhouse.client_id().to_owned()),
            ("REL_GH_SECRET", fakes.greenhouse.client_secret().to_owned()),
            ("REL_GH_USER", fakes.greenhouse.user_id().to_string()),
            (
                "REL_GH_WEBHOOK",
                fakes.greenhouse.webhook_secret().to_owned(),
            ),
        ]
    }
}

/// A SQLite file, or a PostgreSQL database (in `schema`) for a `postgres://` URL.
async fn open_store(db: &str, schema: Option<String>) -> Result<Arc<dyn Store>, String> {
    if db.starts_with("postgres://") || db.starts_with("postgresql://") {
        let mut builder = PostgresStore::builder(db).map_err(|e| e.to_string())?;
        if let Some(schema) = schema {
            builder = builder.schema(&schema).map_err(|e| e.to_string())?;
        }
        let store = builder.connect().await.map_err(|e| e.to_string())?;
        Ok(Arc::new(store))
    } else {
        Ok(Arc::new(SqliteStore::open(db).map_err(|e| e.to_string())?))
    }
}

mod replicas {
    use super::*;

    pub async fn run(options: &Options) -> Outcome {
        let Ok(url) = std::env::var("ASPECT_TEST_POSTGRES_URL") else {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                return Err("ASPECT_TEST_POSTGRES_URL is not set (required under CI=true)".into());
            }
            println!("   SKIPPED: set ASPECT_TEST_POSTGRES_URL to a PostgreSQL database to run it");
            return Ok(());
        };
        let n = options.notes;
        let kills = options.kills;
        let schema = format!("reliability_{}", options.seed % 1_000_000_007);
        println!(
            "   {n} notes, 3 engine processes on one PostgreSQL outbox, 30% of ATS requests failing, {kills} kills, seed {}",
            options.seed
        );
        let fakes = Arc::new(Fakes::start(n).await);
        {
            let store = open_store(&url, Some(schema.clone())).await?;
            let engine = Engine::new(store, Arc::new(RecordingNoteTaker::new()));
            engine
                .add_tenant(fakes.tenant(Duration::from_secs(2)))
                .map_err(|e| e.to_string())?;
            index_and_queue(&engine, &fakes).await?;
        }
        let mut env = child::env(&fakes, std::path::Path::new(""));
        env.retain(|(k, _)| *k != "REL_DB");
        env.push(("REL_DB", url.clone()));
        env.push(("REL_SCHEMA", schema.clone()));
        let tally: faults::Tally = Arc::default();
        let injector = faults::inject(fakes.clone(), 30, options.seed, tally.clone());
        let result = run_replicas(&env, kills, options.seed).await;
        injector.abort();
        let injected: u64 = tally.lock().unwrap().values().sum();
        println!(
            "   {injected} ATS requests failed on purpose: {:?}",
            tally.lock().unwrap()
        );
        result?;
        exactly_once(&fakes.notes_per_meeting(n))
    }

    async fn run_replicas(env: &[(&'static str, String)], kills: usize, seed: u64) -> Outcome {
        let mut rng = Rng(seed ^ 0x5eed);
        let mut replicas = Vec::new();
        for _ in 0..3 {
            replicas.push(crashes::spawn_child(env)?);
        }
        for _ in 0..kills {
            tokio::time::sleep(Duration::from_millis(100 + rng.below(400))).await;
            let victim = rng.below(3) as usize;
            if replicas[victim]
                .try_wait()
                .map_err(|e| e.to_string())?
                .is_none()
            {
                replicas[victim].kill().await.map_err(|e| e.to_string())?;
            }
            replicas[victim] = crashes::spawn_child(env)?;
        }
        let deadline = Instant::now() + Duration::from_secs(600);
        for replica in &mut replicas {
            let left = deadline.saturating_duration_since(Instant::now());
            let status = tokio::time::timeout(left, replica.wait())
                .await
                .map_err(|_| "the replicas did not finish in 10 minutes".to_owned())?
                .map_err(|e| e.to_string())?;
            if !status.success() {
                return Err(format!("a replica failed: {status}"));
            }
        }
        Ok(())
    }
}

mod crashes {
    use super::*;

    pub fn spawn_child(env: &[(&'static str, String)]) -> Result<tokio::process::Child, String> {
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        tokio::process::Command::new(exe)
            .arg("engine-child")
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot start the engine process: {e}"))
    }

    pub async fn run(options: &Options) -> Outcome {
        let n = options.notes;
        let kills = options.kills;
        println!(
            "   {n} notes, engine process killed {kills} times with SIGKILL, seed {}",
            options.seed
        );
        let fakes = Fakes::start(n).await;
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let db = dir.path().join("engine.sqlite3");
        {
            // Index and queue in this process, then leave the posting to the children.
            let store = Arc::new(SqliteStore::open(&db).map_err(|e| e.to_string())?);
            let engine = Engine::new(store, Arc::new(RecordingNoteTaker::new()));
            engine
                .add_tenant(fakes.tenant(Duration::from_secs(2)))
                .map_err(|e| e.to_string())?;
            index_and_queue(&engine, &fakes).await?;
        }
        let env = child::env(&fakes, &db);
        let mut rng = Rng(options.seed);
        let mut killed_while_posting = 0;
        for _ in 0..kills {
            let mut engine = spawn_child(&env)?;
            let posted_before = fakes.lever.notes().len() + fakes.greenhouse.notes().len();
            tokio::time::sleep(Duration::from_millis(150 + rng.below(600))).await;
            match engine.try_wait().map_err(|e| e.to_string())? {
                Some(status) => {
                    println!("   the engine finished before its kill ({status})");
                    break;
                }
                None => {
                    engine.kill().await.map_err(|e| e.to_string())?;
                    let posted_after = fakes.lever.notes().len() + fakes.greenhouse.notes().len();
                    if posted_after > posted_before {
                        killed_while_posting += 1;
                    }
                }
            }
        }
        println!("   {killed_while_posting} kills landed while notes were being posted");
        let mut last = spawn_child(&env)?;
        let status = tokio::time::timeout(Duration::from_secs(600), last.wait())
            .await
            .map_err(|_| "the last engine did not finish in 10 minutes".to_owned())?
            .map_err(|e| e.to_string())?;
        if !status.success() {
            return Err(format!("the last engine process failed: {status}"));
        }
        let counts = fakes.notes_per_meeting(n);
        let outcome = exactly_once(&counts);
        if outcome.is_err() {
            explain(&db, &counts).await?;
        }
        outcome
    }
}

/// Prints the outbox entries of the meetings whose count is wrong.
async fn explain(db: &std::path::Path, counts: &[usize]) -> Outcome {
    let store = SqliteStore::open(db).map_err(|e| e.to_string())?;
    let entries = store.outbox(&acme()).await.map_err(|e| e.to_string())?;
    for (i, &count) in counts.iter().enumerate() {
        if count != 1 {
            for e in entries.iter().filter(|e| e.key.meeting_id == meeting_id(i)) {
                println!(
                    "   meeting {} has {count} notes; its entry: {:?} after {} attempts, last error {:?}",
                    meeting_id(i),
                    e.state,
                    e.attempts,
                    e.last_error
                );
            }
        }
    }
    Ok(())
}

mod bad_input {
    use super::*;
    use tokio::io::AsyncWriteExt;

    /// Peak resident memory of this process, from `/proc` (Linux); zero elsewhere.
    pub fn peak_rss_kb() -> u64 {
        std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmHWM:"))
                    .and_then(|l| l.split_whitespace().nth(1))
                    .and_then(|v| v.parse().ok())
            })
            .unwrap_or(0)
    }

    struct Case {
        name: &'static str,
        body: Vec<u8>,
        headers: Vec<(&'static str, String)>,
        path: &'static str,
        expected: u16,
    }

    fn nested(depth: usize) -> Vec<u8> {
        let mut s = "[".repeat(depth);
        s.push_str(&"]".repeat(depth));
        s.into_bytes()
    }

    fn greenhouse_case(
        fakes: &Fakes,
        name: &'static str,
        payload: &serde_json::Value,
        event: String,
        expected: u16,
    ) -> Case {
        let (body, signature) = fakes.greenhouse.signed_webhook(payload);
        Case {
            name,
            body,
            headers: vec![("Signature", signature), ("Greenhouse-Event-ID", event)],
            path: "/webhooks/greenhouse/acme",
            expected,
        }
    }

    /// The bad deliveries of round `i`, each with the status it must get.
    fn bad_cases(fakes: &Fakes, i: usize, valid: &Case) -> Vec<Case> {
        let lever = |name, body: Vec<u8>, expected| Case {
            name,
            body,
            headers: vec![],
            path: "/webhooks/lever/acme",
            expected,
        };
        let signed = fakes.lever.signed_webhook(
            "candidateStageChange",
            serde_json::json!({ "opportunityId": format!("o-{i}") }),
        );
        let mut forged = signed.clone();
        if let Some(b) = forged.iter_mut().rev().find(|b| b.is_ascii_digit()) {
            *b = if *b == b'1' { b'2' } else { b'1' };
        }
        let stale = fakes.lever.signed_webhook_at(
            "candidateStageChange",
            serde_json::json!({ "opportunityId": "o-stale" }),
            // Older than the engine's re-run window (15 days).
            Utc::now() - chrono::Duration::days(20),
        );
        let ping = serde_json::json!({ "action": "ping" });
        let (mut gh_body, gh_sig) = fakes.greenhouse.signed_webhook(&ping);
        gh_body.truncate(gh_body.len() / 2);
        let (nested_body, nested_sig) = {
            let body = nested(10_000);
            let sig = greenhouse_harvest::webhooks::sign(fakes.greenhouse.webhook_secret(), &body);
            (body, sig)
        };
        let (utf8_body, utf8_sig) = {
            let body = vec![0xff, 0xfe, b'{', 0x80, b'}'];
            let sig = greenhouse_harvest::webhooks::sign(fakes.greenhouse.webhook_secret(), &body);
            (body, sig)
        };
        vec![
            lever("forged signature", forged, 401),
            lever("stale timestamp", stale, 401),
            // Lever signs inside the body: a body that is not JSON carries no
            // signature to check, so it is malformed (400), not forged (401).
            lever("truncated body", signed[..signed.len() / 2].to_vec(), 400),
            lever("oversized body", vec![b' '; 2 * 1024 * 1024], 413),
            lever("non-UTF-8 bytes", vec![0xff, 0xfe, 0xfd], 400),
            Case {
                name: "replayed delivery",
                body: valid.body.clone(),
                headers: valid.headers.clone(),
                path: valid.path,
                expected: 200,
            },
            Case {
                name: "truncated Greenhouse body",
                body: gh_body,
                headers: vec![
                    ("Signature", gh_sig),
                    ("Greenhouse-Event-ID", format!("t-{i}")),
                ],
                path: "/webhooks/greenhouse/acme",
                expected: 401,
            },
            Case {
                name: "deeply nested JSON (signed)",
                body: nested_body,
                headers: vec![
                    ("Signature", nested_sig),
                    ("Greenhouse-Event-ID", format!("n-{i}")),
                ],
                path: "/webhooks/greenhouse/acme",
                expected: 400,
            },
            Case {
                name: "non-UTF-8 body (signed)",
                body: utf8_body,
                headers: vec![
                    ("Signature", utf8_sig),
                    ("Greenhouse-Event-ID", format!("u-{i}")),
                ],
                path: "/webhooks/greenhouse/acme",
                expected: 400,
            },
            greenhouse_case(
                fakes,
                "wrongly typed payload (signed)",
                &serde_json::json!({ "action": "candidate_stage_change", "payload": { "application": "not an object" } }),
                format!("w-{i}"),
                400,
            ),
        ]
    }

    /// A valid Greenhouse delivery (a distinct event each round).
    fn valid_case(fakes: &Fakes, i: usize) -> Case {
        greenhouse_case(
            fakes,
            "valid",
            &serde_json::json!({ "action": "ping", "payload": { "round": i } }),
            format!("valid-{i}"),
            202,
        )
    }

    async fn send(client: &reqwest::Client, base: &str, case: &Case) -> Result<u16, String> {
        let mut request = client
            .post(format!("{base}{}", case.path))
            .header("content-type", "application/json")
            .body(case.body.clone());
        for (name, value) in &case.headers {
            request = request.header(*name, value);
        }
        match request.send().await {
            Ok(response) => Ok(response.status().as_u16()),
            // An oversized body may be cut off by the server before it is all sent.
            Err(e) if case.expected == 413 => Err(format!("connection closed: {e}")),
            Err(e) => Err(e.to_string()),
        }
    }

    /// A connection that sends half a request line and then nothing.
    async fn slow_connection(addr: std::net::SocketAddr) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            if let Ok(mut stream) = tokio::net::TcpStream::connect(addr).await {
                let _ = stream
                    .write_all(b"POST /webhooks/lever/acme HTTP/1.1\r\nHost: x\r\n")
                    .await;
                tokio::time::sleep(Duration::from_secs(30)).await;
            }
        })
    }

    pub async fn run(options: &Options) -> Outcome {
        let rounds = (options.notes / 4).max(20);
        let fakes = Fakes::start(2).await;
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let store = Arc::new(
            SqliteStore::open(dir.path().join("engine.sqlite3")).map_err(|e| e.to_string())?,
        );
        let engine = Arc::new(Engine::new(
            store.clone(),
            Arc::new(RecordingNoteTaker::new()),
        ));
        engine
            .add_tenant(fakes.tenant(Duration::from_secs(2)))
            .map_err(|e| e.to_string())?;
        let limits = ReceiverLimits {
            header_read_timeout: Duration::from_millis(500),
            ..ReceiverLimits::default()
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| e.to_string())?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(serve(
            listener,
            router_with_limits(engine.clone(), limits),
            limits,
            async {
                let _ = stopped.await;
            },
        ));
        let base = format!("http://{addr}");
        let client = reqwest::Client::new();
        let mut slow = Vec::new();
        let mut wrong: Vec<String> = Vec::new();
        let mut refused: BTreeMap<&'static str, u64> = BTreeMap::new();
        let rss_start = peak_rss_kb();
        for i in 0..rounds {
            if i % 5 == 0 {
                slow.push(slow_connection(addr).await);
            }
            let valid = valid_case(&fakes, i);
            let status = send(&client, &base, &valid).await?;
            if status != 202 {
                wrong.push(format!("valid delivery {i}: {status}"));
            }
            for case in bad_cases(&fakes, i, &valid) {
                match send(&client, &base, &case).await {
                    Ok(status) if status == case.expected => {
                        *refused.entry(case.name).or_default() += 1;
                    }
                    Ok(status) => wrong.push(format!(
                        "{}: {status}, expected {}",
                        case.name, case.expected
                    )),
                    Err(e) if case.expected == 413 => {
                        *refused.entry(case.name).or_default() += 1;
                        let _ = e;
                    }
                    Err(e) => wrong.push(format!("{}: {e}", case.name)),
                }
            }
        }
        let rss_end = peak_rss_kb();
        engine
            .process_deliveries()
            .await
            .map_err(|e| e.to_string())?;
        let pending = store
            .pending_deliveries(Utc::now() + chrono::Duration::days(1), usize::MAX)
            .await
            .map_err(|e| e.to_string())?;
        for task in slow {
            task.abort();
        }
        let _ = stop.send(());
        let _ = server.await;
        println!(
            "   {rounds} rounds: {rounds} valid deliveries and {} bad ones",
            refused.values().sum::<u64>()
        );
        for (name, count) in &refused {
            println!("   refused as expected: {name} × {count}");
        }
        println!(
            "   peak memory {} MB at the start of the rounds, {} MB at the end",
            rss_start / 1024,
            rss_end / 1024
        );
        if !wrong.is_empty() {
            return Err(format!(
                "{} wrong answers, first: {}",
                wrong.len(),
                wrong[0]
            ));
        }
        if !pending.is_empty() {
            return Err(format!(
                "{} valid deliveries were not applied",
                pending.len()
            ));
        }
        // Every body is at most 1 MB and the oversized ones are cut off at the
        // limit: the peak must not grow with the number of rounds.
        if rss_end > rss_start + 64 * 1024 {
            return Err(format!(
                "memory grew by {} MB",
                (rss_end - rss_start) / 1024
            ));
        }
        Ok(())
    }
}

mod secrets {
    use super::*;
    use base64::Engine as _;

    /// A `tracing` writer into a shared buffer.
    #[derive(Clone, Default)]
    struct Capture(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Capture {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Capture {
        type Writer = Capture;
        fn make_writer(&'a self) -> Self::Writer {
            self.clone()
        }
    }

    pub async fn run(_options: &Options) -> Outcome {
        let capture = Capture::default();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(capture.clone())
            .with_ansi(false)
            .with_max_level(tracing::Level::TRACE)
            .finish();
        // Global, so that tasks the clients and the server spawn are captured too.
        tracing::subscriber::set_global_default(subscriber)
            .map_err(|_| "a tracing subscriber was already installed".to_owned())?;
        let fakes = Fakes::start(6).await;
        let secrets = [
            ("Lever API key", fakes.lever.api_key().to_owned()),
            (
                "Lever webhook signature token",
                fakes.lever.signature_token().to_owned(),
            ),
            (
                "Greenhouse client secret",
                fakes.greenhouse.client_secret().to_owned(),
            ),
            (
                "Greenhouse webhook secret",
                fakes.greenhouse.webhook_secret().to_owned(),
            ),
        ];
        let flow = async {
            let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
            let store = Arc::new(
                SqliteStore::open(dir.path().join("engine.sqlite3")).map_err(|e| e.to_string())?,
            );
            let engine = Arc::new(
                Engine::new(store.clone(), Arc::new(RecordingNoteTaker::new()))
                    .with_retry_schedule(patient()),
            );
            engine
                .add_tenant(fakes.tenant(Duration::from_millis(300)))
                .map_err(|e| e.to_string())?;
            // A forged and a valid webhook through the receiver.
            let router = aspect_sync_engine::receiver::router(engine.clone());
            let (body, signature) = fakes
                .greenhouse
                .signed_webhook(&serde_json::json!({ "action": "ping", "payload": {} }));
            for sig in [signature.clone(), "sha256 0000".to_owned()] {
                let request = axum::http::Request::post("/webhooks/greenhouse/acme")
                    .header("Signature", sig)
                    .header("Greenhouse-Event-ID", "secret-flow")
                    .body(axum::body::Body::from(body.clone()))
                    .map_err(|e| e.to_string())?;
                tower::ServiceExt::oneshot(router.clone(), request)
                    .await
                    .map_err(|e| e.to_string())?;
            }
            // Failures on the way, so errors are logged too.
            fakes
                .lever
                .fail_next(2, lever_client::testing::Failure::Status(503));
            fakes
                .greenhouse
                .fail_next(2, greenhouse_harvest::testing::Failure::Status(503));
            index_and_queue(&engine, &fakes).await?;
            while open_notes(&*store).await? > 0 {
                engine
                    .deliver_due_notes()
                    .await
                    .map_err(|e| e.to_string())?;
            }
            engine
                .process_deliveries()
                .await
                .map_err(|e| e.to_string())?;
            Ok::<_, String>(())
        };
        flow.await?;
        let output = String::from_utf8_lossy(&capture.0.lock().unwrap()).into_owned();
        println!(
            "   {} lines of TRACE output captured",
            output.lines().count()
        );
        let lever_basic = base64_basic(fakes.lever.api_key());
        let mut leaked = Vec::new();
        for (name, secret) in &secrets {
            if output.contains(secret.as_str()) {
                leaked.push(*name);
            }
        }
        if output.contains(&lever_basic) {
            leaked.push("Lever API key (as HTTP Basic credentials)");
        }
        if output.to_ascii_lowercase().contains("bearer ") {
            leaked.push("a bearer token");
        }
        let _ = std::io::stdout().flush();
        if leaked.is_empty() {
            println!("   no secret in the output ({} checked)", secrets.len() + 2);
            Ok(())
        } else {
            Err(format!("leaked: {}", leaked.join(", ")))
        }
    }

    /// `key:` in base64, as HTTP Basic sends an API key with a blank password.
    fn base64_basic(key: &str) -> String {
        base64::engine::general_purpose::STANDARD.encode(format!("{key}:"))
    }
}

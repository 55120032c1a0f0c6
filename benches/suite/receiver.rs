//! (4) Receiver deliveries per second and p50/p99 at 32 concurrent senders,
//! against an empty axum endpoint served and loaded the same way.
//!
//! The receiver is `aspect_sync_engine::receiver` over an engine on a
//! SQLite file (every 2xx follows the durable record of its delivery); the
//! deliveries are real signed Lever deliveries from the fake, each with its
//! own token so none is a duplicate. Senders are 32 tasks sharing one
//! HTTP/1 client with keep-alive, in this process.

use std::sync::Arc;
use std::time::{Duration, Instant};

use aspect_sync_engine::lever::LeverConnection;
use aspect_sync_engine::receiver::{ReceiverLimits, router, serve};
use aspect_sync_engine::store::{MemoryStore, PostgresStore, SqliteStore, Store};
use aspect_sync_engine::{Engine, RecordingNoteTaker, Tenant, TenantId, TenantSettings};
use axum::Router;
use axum::http::StatusCode;
use axum::routing::post;
use lever_client::testing::FakeLever;
use serde_json::json;

use crate::Sizes;
use crate::report::{Figure, Report, Target, percentile};

const SENDERS: usize = 32;

struct Load {
    per_second: f64,
    p50: Duration,
    p99: Duration,
    failed: usize,
    /// This process's CPU time per delivery (senders, server, engine and
    /// store threads together), and the cores it kept busy; `None` where
    /// `/proc/self/stat` does not exist.
    cpu: Option<(Duration, f64)>,
    /// The cores the whole machine kept busy, kernel threads included
    /// (block writeback, the file system's journal); from `/proc/stat`.
    machine: Option<f64>,
}

impl Load {
    /// "CPU x µs per delivery, y of n cores busy", or nothing.
    fn cpu_note(&self) -> String {
        match self.cpu {
            Some((per, busy)) => {
                let machine = self
                    .machine
                    .map(|m| format!(", the machine {m:.2}"))
                    .unwrap_or_default();
                format!(
                    "{:.0} µs CPU per delivery in this process, {busy:.2} of {} cores busy{machine}",
                    per.as_secs_f64() * 1e6,
                    std::thread::available_parallelism().map_or(0, |n| n.get())
                )
            }
            None => String::new(),
        }
    }
}

/// Serves `app` on loopback and sends every body from 32 tasks.
async fn load(app: Router, path: &str, bodies: Vec<Vec<u8>>) -> Load {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let url = format!(
        "http://{}{path}",
        listener.local_addr().expect("an address")
    );
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(listener, app, ReceiverLimits::default(), async {
        let _ = stopped.await;
    }));
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(SENDERS)
        .build()
        .expect("a client");
    let queue = Arc::new(std::sync::Mutex::new(bodies));
    let cpu_before = process_cpu();
    let machine_before = machine_ticks();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..SENDERS {
        let (client, url, queue) = (client.clone(), url.clone(), queue.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut failed = 0;
            while let Some(body) = queue.lock().map(|mut q| q.pop()).unwrap_or_default() {
                let t = Instant::now();
                let ok = client
                    .post(&url)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await
                    .is_ok_and(|r| r.status().is_success());
                latencies.push(t.elapsed());
                if !ok {
                    failed += 1;
                }
            }
            (latencies, failed)
        }));
    }
    let mut latencies = Vec::new();
    let mut failed = 0;
    for task in tasks {
        let (l, f) = task.await.expect("a sender");
        latencies.extend(l);
        failed += f;
    }
    let elapsed = started.elapsed();
    let cpu = process_cpu()
        .zip(cpu_before)
        .map(|(after, before)| after.saturating_sub(before))
        .map(|used| {
            let per = used / latencies.len().max(1) as u32;
            (per, used.as_secs_f64() / elapsed.as_secs_f64())
        });
    let machine = machine_ticks()
        .zip(machine_before)
        .map(|((busy, all), (busy0, all0))| {
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
            cores * busy.saturating_sub(busy0) as f64 / all.saturating_sub(all0).max(1) as f64
        });
    let _ = stop.send(());
    let _ = server.await;
    latencies.sort_unstable();
    Load {
        per_second: latencies.len() as f64 / elapsed.as_secs_f64(),
        p50: percentile(&latencies, 50.0),
        p99: percentile(&latencies, 99.0),
        failed,
        cpu,
        machine,
    }
}

pub async fn run(sizes: &Sizes, report: &mut Report) {
    report.section(
        "4. Receiver throughput at 32 concurrent senders",
        "Signed Lever deliveries posted by 32 concurrent senders (HTTP/1 keep-alive, loopback) to \
         the receiver over an engine on a SQLite file, against an empty axum endpoint (202, no work) \
         served the same way, in the same run. Every 2xx follows the flush (`fdatasync`) of the WAL \
         holding its delivery: deliveries are committed in groups and the flush of one group overlaps \
         the commit of the next. The same receiver over the memory store shows the engine's share \
         without the disk. Each line notes the CPU time per delivery of this process (senders, \
         server and store threads together) and the cores this process and the whole machine kept \
         busy. Each sender waits for its own answer, so throughput is 32 ÷ the round trip. The \
         SQLite line adds to the memory-store line a hand-over to the store's writer threads and \
         back, a commit and a flush. On 2 cores shared with the senders the hand-overs alone cost \
         about as much as the disk: the alternatives tried and their figures are in the module docs \
         of `crates/sync-engine/src/store/group_commit.rs`.",
    );
    let fake = FakeLever::start_empty().await;
    let dir = tempfile::tempdir().expect("a temp dir");
    let on_file: Arc<dyn Store> =
        Arc::new(SqliteStore::open(dir.path().join("receiver.sqlite3")).expect("a store"));
    let engine = receiving_engine(&fake, on_file);
    let in_memory = receiving_engine(&fake, Arc::new(MemoryStore::new()));
    let bodies = fresh_bodies(&fake, sizes);
    let empty = Router::new().route("/hook", post(|| async { StatusCode::ACCEPTED }));
    let baseline = load(empty, "/hook", bodies.clone()).await;
    let memory = load(router(in_memory), "/webhooks/lever/acme", bodies.clone()).await;
    let measured = load(router(engine), "/webhooks/lever/acme", bodies).await;
    report.add(
        throughput("Receiver deliveries/s, SQLite file", &measured, &baseline)
            .target(Target::AtLeast(0.5))
            .note(join([
                format!(
                    "{} deliveries, {} failed",
                    sizes.deliveries, measured.failed
                ),
                measured.cpu_note(),
                baseline
                    .cpu
                    .map(|_| format!("empty axum: {}", baseline.cpu_note()))
                    .unwrap_or_default(),
            ])),
    );
    report.add(
        throughput(
            "Receiver deliveries/s, memory store (no disk: the engine's share)",
            &memory,
            &baseline,
        )
        .note(join([
            format!("{} failed", memory.failed),
            memory.cpu_note(),
        ])),
    );
    if let Some(url) = postgres_url() {
        let store = PostgresStore::builder(&url)
            .and_then(|b| b.schema(&format!("bench_receiver_{}", std::process::id())))
            .expect("a PostgreSQL URL")
            .connect()
            .await
            .expect("the PostgreSQL store");
        let engine = receiving_engine(&fake, Arc::new(store));
        let durability = postgres_durability(&url).await;
        let bodies = fresh_bodies(&fake, sizes);
        let pg = load(router(engine), "/webhooks/lever/acme", bodies).await;
        report.add(
            throughput(
                "Receiver deliveries/s, PostgreSQL (pool of 16, same host)",
                &pg,
                &baseline,
            )
            .target(Target::AtLeast(0.5))
            .note(join([
                format!(
                    "{durability}; p50 {:.2} ms, p99 {:.2} ms, {} failed",
                    pg.p50.as_secs_f64() * 1e3,
                    pg.p99.as_secs_f64() * 1e3,
                    pg.failed
                ),
                pg.cpu_note(),
            ])),
        );
    } else {
        println!(
            "  (receiver on PostgreSQL skipped: set ASPECT_BENCH_POSTGRES_URL or ASPECT_TEST_POSTGRES_URL)"
        );
    }
    let ms = |d: Duration| format!("{:.2} ms", d.as_secs_f64() * 1e3);
    report.add(
        Figure::new("Receiver p50 latency", ms(measured.p50)).against(
            format!("{} empty axum", ms(baseline.p50)),
            measured.p50.as_secs_f64() / baseline.p50.as_secs_f64().max(1e-9),
        ),
    );
    report.add(
        Figure::new("Receiver p99 latency", ms(measured.p99))
            .against("10 ms (target)", measured.p99.as_secs_f64() / 0.010)
            .target(Target::AtMost(1.0))
            .note(format!("empty axum p99 {}", ms(baseline.p99))),
    );
}

/// The non-empty parts of a note, joined.
fn join<const N: usize>(parts: [String; N]) -> String {
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Deliveries per second of `measured` against the empty endpoint's.
fn throughput(name: &str, measured: &Load, baseline: &Load) -> Figure {
    Figure::new(name, format!("{:.0}/s", measured.per_second)).against(
        format!("{:.0}/s empty axum", baseline.per_second),
        measured.per_second / baseline.per_second,
    )
}

/// An engine with one tenant connected to `fake`'s Lever, over `store`.
fn receiving_engine(fake: &FakeLever, store: Arc<dyn Store>) -> Arc<Engine> {
    let engine = Engine::new(store, Arc::new(RecordingNoteTaker::new()));
    let tenant = Tenant::new(
        TenantId::new("acme").expect("an id"),
        TenantSettings::default(),
    )
    .with_lever(LeverConnection::new(fake.client(), fake.verifier()));
    engine.add_tenant(tenant).expect("the tenant");
    Arc::new(engine)
}

/// `sizes.deliveries` signed Lever deliveries, each with its own token.
fn fresh_bodies(fake: &FakeLever, sizes: &Sizes) -> Vec<Vec<u8>> {
    (0..sizes.deliveries)
        .map(|i| {
            fake.signed_webhook(
                "candidateStageChange",
                json!({ "opportunityId": format!("opp-{i}"), "toStageId": "stage-2" }),
            )
        })
        .collect()
}

/// CPU time this process used so far (user + system), from
/// `/proc/self/stat` (fields 14 and 15, in clock ticks: proc(5)). Linux
/// reports them in USER_HZ, 100 per second on every architecture the
/// kernel exports to user space, so runs of a second or more read it to
/// about 1%. Kernel threads working for the process (block writeback, the
/// ext4 journal) are not counted.
fn process_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) may hold spaces; count after its ')'.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i)?.parse::<u64>().ok();
    let total = ticks(11)? + ticks(12)?;
    Some(Duration::from_millis(total * 10))
}

/// The machine's busy and total clock ticks over all cores so far, from the
/// `cpu` line of `/proc/stat` (proc(5)): idle and iowait count as not busy.
fn machine_ticks() -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let line = stat.lines().next()?.strip_prefix("cpu ")?;
    let ticks: Vec<u64> = line
        .split_whitespace()
        .map(|t| t.parse().ok())
        .collect::<Option<_>>()?;
    let all: u64 = ticks.iter().take(8).sum();
    let idle = ticks.get(3)? + ticks.get(4)?;
    Some((all - idle, all))
}

/// The PostgreSQL server to measure the receiver on, if any.
fn postgres_url() -> Option<String> {
    ["ASPECT_BENCH_POSTGRES_URL", "ASPECT_TEST_POSTGRES_URL"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
}

/// The server's `fsync` and `synchronous_commit`, which decide whether a
/// commit waits for the disk (a throwaway test cluster turns both off).
async fn postgres_durability(url: &str) -> String {
    let setting = |client: tokio_postgres::Client, name: &'static str| async move {
        let value = client
            .query_one(&format!("SHOW {name}"), &[])
            .await
            .ok()
            .and_then(|row| row.try_get::<_, String>(0).ok())
            .unwrap_or_else(|| "?".into());
        (client, format!("{name}={value}"))
    };
    let Ok((client, connection)) = tokio_postgres::connect(url, tokio_postgres::NoTls).await else {
        return "server settings unknown".into();
    };
    let driver = tokio::spawn(connection);
    let (client, fsync) = setting(client, "fsync").await;
    let (client, commit) = setting(client, "synchronous_commit").await;
    drop(client);
    let _ = driver.await;
    format!("{fsync}, {commit}")
}

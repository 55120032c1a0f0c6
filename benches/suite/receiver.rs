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
    let _ = stop.send(());
    let _ = server.await;
    latencies.sort_unstable();
    Load {
        per_second: latencies.len() as f64 / elapsed.as_secs_f64(),
        p50: percentile(&latencies, 50.0),
        p99: percentile(&latencies, 99.0),
        failed,
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
         without the disk. \
         Each sender waits for its own answer, so throughput is 32 ÷ the round trip: the empty \
         endpoint's, plus the engine's share (the memory-store line), plus waiting for a commit and a \
         flush of the disk. The last part is latency, not CPU: the machine is not saturated while the \
         SQLite line runs.",
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
            .note(format!(
                "{} deliveries, {} failed",
                sizes.deliveries, measured.failed
            )),
    );
    report.add(
        throughput(
            "Receiver deliveries/s, memory store (no disk: the engine's share)",
            &memory,
            &baseline,
        )
        .note(format!("{} failed", memory.failed)),
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
            .note(format!(
                "{durability}; p50 {:.2} ms, p99 {:.2} ms, {} failed",
                pg.p50.as_secs_f64() * 1e3,
                pg.p99.as_secs_f64() * 1e3,
                pg.failed
            )),
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

//! (1) sync time ÷ rate-limit bound, and (5) sync ÷ streaming the same pages.
//!
//! A sync is the engine's `sync_now` on a SQLite file; streaming is the same
//! connection's [`SyncSource::page`] calls, page after page, with no writes.
//! Both ATSs at their largest page size (Lever 100, Greenhouse 500), the
//! fakes in this process enforcing 10 requests/second (Lever: its token
//! bucket, 10/s with bursts of 20; Greenhouse: 20 requests per 2 s window).
//! The bound is pages ÷ 10 per second.

use std::sync::Arc;
use std::time::{Duration, Instant};

use aspect_sync_engine::greenhouse::GreenhouseConnection;
use aspect_sync_engine::lever::LeverConnection;
use aspect_sync_engine::store::SqliteStore;
use aspect_sync_engine::sync::SyncSource;
use aspect_sync_engine::{Ats, Engine, RecordingNoteTaker, Tenant, TenantId, TenantSettings};
use greenhouse_harvest::testing::{FakeGreenhouse, NewCandidate as GreenhouseCandidate};
use lever_client::testing::{FakeConfig, FakeLever, NewCandidate};

use crate::Sizes;
use crate::report::{Figure, Report, Target, secs};

/// Both fakes allow 10 requests per second.
const RATE: f64 = 10.0;
const LEVER_PAGE: u8 = 100;
const GREENHOUSE_PAGE: u32 = 500;

/// One measured pass over every resource.
#[derive(Debug, Clone, Copy)]
pub struct Pass {
    pub elapsed: Duration,
    pub pages: u64,
    pub requests: u64,
    pub throttled: u64,
}

/// The sync and streaming passes of one ATS at one size, for (5).
pub struct Measured {
    pub ats: Ats,
    pub records: usize,
    pub sync: Pass,
    pub stream: Option<Pass>,
}

/// A fake of one ATS seeded with `n` candidates, and a connection to it.
enum Fake {
    Lever(FakeLever),
    Greenhouse(FakeGreenhouse),
}

impl Fake {
    async fn start(ats: Ats, n: usize) -> Self {
        match ats {
            Ats::Lever => {
                let fake = FakeLever::start_with(FakeConfig {
                    seed: false,
                    ..FakeConfig::default()
                })
                .await;
                for i in 0..n {
                    fake.add_candidate(NewCandidate::new(
                        format!("Candidate {i}"),
                        format!("c{i}@example.com"),
                    ));
                }
                Fake::Lever(fake)
            }
            _ => {
                let fake = FakeGreenhouse::start_empty().await;
                for i in 0..n {
                    fake.add_candidate(GreenhouseCandidate::new(
                        &format!("Candidate {i}"),
                        format!("c{i}@example.com"),
                    ));
                }
                Fake::Greenhouse(fake)
            }
        }
    }

    /// A fresh connection (and a fresh rate-limit window on the server).
    fn tenant(&self, id: &TenantId) -> (Tenant, Arc<dyn SyncSource>) {
        let settings = TenantSettings::default();
        match self {
            Fake::Lever(fake) => {
                let client = fake
                    .client_builder()
                    .page_size(LEVER_PAGE)
                    .build()
                    .expect("a Lever client");
                let connection = LeverConnection::new(client, fake.verifier());
                let source: Arc<dyn SyncSource> = Arc::new(LeverConnection::new(
                    fake.client_builder()
                        .page_size(LEVER_PAGE)
                        .build()
                        .expect("a Lever client"),
                    fake.verifier(),
                ));
                (
                    Tenant::new(id.clone(), settings).with_lever(connection),
                    source,
                )
            }
            Fake::Greenhouse(fake) => {
                fake.set_rate_limit(20, Duration::from_secs(2));
                let verifier = || greenhouse_harvest::WebhookVerifier::new(fake.webhook_secret());
                let connection =
                    GreenhouseConnection::new(fake.client(), verifier()).page_size(GREENHOUSE_PAGE);
                let source: Arc<dyn SyncSource> = Arc::new(
                    GreenhouseConnection::new(fake.client(), verifier()).page_size(GREENHOUSE_PAGE),
                );
                (
                    Tenant::new(id.clone(), settings).with_greenhouse(connection),
                    source,
                )
            }
        }
    }

    fn requests(&self) -> u64 {
        match self {
            Fake::Lever(f) => f.total_requests(),
            Fake::Greenhouse(f) => f.total_requests(),
        }
    }

    /// 429s the server sent for its rate limit. Lever's fake does not
    /// count them apart, so for Lever it is every request beyond one per
    /// page (a retry follows each 429).
    fn throttled(&self, requests: u64, pages: u64) -> u64 {
        match self {
            Fake::Lever(_) => requests.saturating_sub(pages),
            Fake::Greenhouse(f) => f.throttled_requests(),
        }
    }

    /// Waits out the server's rate-limit state so the next pass starts fresh.
    async fn settle(&self) {
        tokio::time::sleep(Duration::from_secs(3)).await;
    }
}

async fn sync_pass(fake: &Fake, ats: Ats) -> Pass {
    let dir = tempfile::tempdir().expect("a temp dir");
    let store = Arc::new(SqliteStore::open(dir.path().join("sync.sqlite3")).expect("a store"));
    let engine = Engine::new(store, Arc::new(RecordingNoteTaker::new()));
    let tenant = TenantId::new("bench").expect("a tenant id");
    let (t, _) = fake.tenant(&tenant);
    engine.add_tenant(t).expect("the tenant");
    let before = fake.requests();
    let mut pages = std::collections::BTreeMap::new();
    let started = Instant::now();
    engine
        .sync_now(&tenant, ats, |p| {
            pages.insert(p.resource, p.pages);
        })
        .await
        .expect("the sync");
    let elapsed = started.elapsed();
    let pages: u64 = pages.values().map(|&p| u64::from(p)).sum();
    let requests = fake.requests() - before;
    Pass {
        elapsed,
        pages,
        requests,
        throttled: fake.throttled(requests, pages),
    }
}

async fn stream_pass(fake: &Fake) -> Pass {
    let tenant = TenantId::new("bench").expect("a tenant id");
    let (_, source) = fake.tenant(&tenant);
    let before = fake.requests();
    let throttled_before = match fake {
        Fake::Greenhouse(f) => f.throttled_requests(),
        Fake::Lever(_) => 0,
    };
    let mut pages = 0u64;
    let started = Instant::now();
    for resource in source.resources() {
        let mut cursor: Option<String> = None;
        loop {
            let page = source
                .page(&tenant, resource, None, cursor.as_deref())
                .await
                .expect("a page");
            pages += 1;
            std::hint::black_box(&page.updates);
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
    }
    let elapsed = started.elapsed();
    let requests = fake.requests() - before;
    Pass {
        elapsed,
        pages,
        requests,
        throttled: fake.throttled(requests, pages) - throttled_before,
    }
}

/// Runs (1) and collects the passes (5) compares.
pub async fn run(sizes: &Sizes, report: &mut Report) -> Vec<Measured> {
    report.section(
        "1. Sync time ÷ rate-limit bound",
        "Engine `sync_now` into a SQLite file against each fake in this process, largest page size \
         (Lever 100, Greenhouse 500), both fakes allowing 10 requests/s (Lever: 10/s, bursts of 20; \
         Greenhouse: 20 per 2 s window). Bound = pages ÷ 10/s. Lever's fake does not count its 429s \
         apart: its 429 figure is requests beyond one per page.",
    );
    let mut out = Vec::new();
    for ats in [Ats::Lever, Ats::Greenhouse] {
        for (i, &n) in sizes.sync.iter().enumerate() {
            let fake = Fake::start(ats, n).await;
            let sync = sync_pass(&fake, ats).await;
            let bound = sync.pages as f64 / RATE;
            report.add(
                Figure::new(format!("{ats} sync, {n} records"), secs(sync.elapsed))
                    .against(
                        format!("{bound:.2} s ({} pages)", sync.pages),
                        sync.elapsed.as_secs_f64() / bound,
                    )
                    .target(Target::AtMost(1.1))
                    .note(format!(
                        "{} × 429, {:.2} requests/page",
                        sync.throttled,
                        sync.requests as f64 / sync.pages.max(1) as f64
                    )),
            );
            // The streaming pass of (5) at the smallest size, on the same fake.
            let stream = if i == 0 {
                fake.settle().await;
                Some(stream_pass(&fake).await)
            } else {
                None
            };
            out.push(Measured {
                ats,
                records: n,
                sync,
                stream,
            });
        }
    }
    out
}

/// (5): the sync ÷ streaming the same pages, and streaming ÷ its bound.
pub fn write_overhead(measured: &[Measured], report: &mut Report) {
    report.section(
        "5. Sync write overhead ÷ streaming alone",
        "The sync of section 1 against the same connection's pages fetched one after another with \
         no writes (same fake, same rate limit, same run). The streaming pass is also shown against \
         its own rate-limit bound (the Greenhouse pacer's target is ≤ 1.05).",
    );
    for m in measured {
        let Some(stream) = m.stream else { continue };
        report.add(
            Figure::new(
                format!("{} sync ÷ streaming, {} records", m.ats, m.records),
                secs(m.sync.elapsed),
            )
            .against(
                format!("{} streaming", secs(stream.elapsed)),
                m.sync.elapsed.as_secs_f64() / stream.elapsed.as_secs_f64(),
            )
            .target(Target::AtMost(1.1)),
        );
        let bound = stream.pages as f64 / RATE;
        report.add(
            Figure::new(
                format!("{} streaming ÷ bound, {} records", m.ats, m.records),
                secs(stream.elapsed),
            )
            .against(
                format!("{bound:.2} s ({} pages)", stream.pages),
                stream.elapsed.as_secs_f64() / bound,
            )
            .target(Target::AtMost(if m.ats == Ats::Greenhouse {
                1.05
            } else {
                1.1
            }))
            .note(format!("{} × 429", stream.throttled)),
        );
    }
}

//! Webhook deliveries are processed by one worker at a time, whatever the
//! number of workers, their timing, and workers killed mid-pass; and a
//! delivery whose ATS reads run long gives up its turn before its lease
//! could lapse, so no other worker ever works on it at the same time.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use chrono::Utc;

use aspect_sync_engine::ingest::IndexUpdate;
use aspect_sync_engine::store::{MemoryStore, SqliteStore, Store};
use aspect_sync_engine::{
    Ats, Engine, Error, LeaseSettings, RecordingNoteTaker, Tenant, TenantId, TenantSettings,
    Verified, WebhookHeaders, WebhookSource,
};

/// A source whose processing takes a while and records who works on what.
#[derive(Default)]
struct WatchedSource {
    /// Deliveries being processed right now.
    in_flight: Mutex<HashSet<Vec<u8>>>,
    /// Deliveries that two workers processed at the same moment.
    overlaps: Mutex<Vec<Vec<u8>>>,
    /// How often each delivery's processing ran to its end.
    done: Mutex<HashMap<Vec<u8>, u32>>,
    /// Processing time per delivery: `seed`-derived, or `slow` for one body.
    seed: AtomicU64,
    max_delay_ms: u64,
    slow: Option<(Vec<u8>, Duration)>,
}

/// Takes a delivery off the in-flight set however its processing ends
/// (finished, or dropped with a killed pass or a timeout).
struct InFlight<'a>(&'a WatchedSource, Vec<u8>);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.lock().unwrap().remove(&self.1);
    }
}

impl WatchedSource {
    fn delay(&self, payload: &[u8]) -> Duration {
        if let Some((body, delay)) = &self.slow
            && body == payload
        {
            return *delay;
        }
        let mixed = payload
            .iter()
            .fold(self.seed.load(Ordering::Relaxed), |h, b| {
                h.wrapping_mul(31).wrapping_add(u64::from(*b))
            });
        Duration::from_millis(mixed % (self.max_delay_ms + 1))
    }
}

#[async_trait]
impl WebhookSource for WatchedSource {
    fn ats(&self) -> Ats {
        Ats::Greenhouse
    }
    fn verify(
        &self,
        _: &TenantId,
        headers: &WebhookHeaders,
        body: &[u8],
    ) -> Result<Verified, Error> {
        Ok(Verified {
            delivery_id: headers.event_id.clone().unwrap_or_default(),
            payload: body.to_vec(),
        })
    }
    async fn updates(
        &self,
        _: &TenantId,
        payload: &[u8],
        _: &dyn Store,
    ) -> Result<Vec<IndexUpdate>, Error> {
        if !self.in_flight.lock().unwrap().insert(payload.to_vec()) {
            self.overlaps.lock().unwrap().push(payload.to_vec());
        }
        let _guard = InFlight(self, payload.to_vec());
        tokio::time::sleep(self.delay(payload)).await;
        *self
            .done
            .lock()
            .unwrap()
            .entry(payload.to_vec())
            .or_default() += 1;
        Ok(Vec::new())
    }
}

fn acme() -> TenantId {
    TenantId::new("acme").unwrap()
}

fn engine_on(
    store: Arc<dyn Store>,
    source: Arc<WatchedSource>,
    leases: LeaseSettings,
) -> Arc<Engine> {
    let engine = Engine::new(store, Arc::new(RecordingNoteTaker::new())).with_leases(leases);
    engine
        .add_tenant(Tenant::new(acme(), TenantSettings::default()).with_webhook_source(source))
        .unwrap();
    Arc::new(engine)
}

async fn receive(engine: &Engine, i: usize) {
    let headers = WebhookHeaders {
        signature: None,
        event_id: Some(format!("ev-{i}")),
    };
    engine
        .receive_webhook(
            Ats::Greenhouse,
            &acme(),
            &headers,
            format!("body-{i}").as_bytes(),
        )
        .await
        .unwrap();
}

/// Runs passes on every engine until nothing is pending.
async fn drain(engines: &[Arc<Engine>], store: &dyn Store) {
    let mut tasks = Vec::new();
    for engine in engines {
        let engine = engine.clone();
        tasks.push(tokio::spawn(async move {
            for _ in 0..500 {
                engine.process_deliveries().await.unwrap();
                let left = engine
                    .store()
                    .pending_deliveries(Utc::now() + chrono::Duration::days(1), 1)
                    .await
                    .unwrap();
                if left.is_empty() {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let left = store
        .pending_deliveries(Utc::now() + chrono::Duration::days(1), 10)
        .await
        .unwrap();
    assert!(left.is_empty(), "{} deliveries never processed", left.len());
}

mod interleavings {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

        /// Any number of workers on one store (memory, or one SQLite file),
        /// any processing times, workers killed mid-pass: no delivery is
        /// ever processed by two workers at once, each is processed to its
        /// end, and only a killed pass costs a second run.
        #[test]
        fn one_worker_at_a_time_whatever_the_interleaving(
            deliveries in 1usize..30,
            workers in 2usize..5,
            seed in any::<u64>(),
            kills in 0usize..4,
            on_file in any::<bool>(),
        ) {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let dir = tempfile::tempdir().unwrap();
                let store: Arc<dyn Store> = if on_file {
                    Arc::new(SqliteStore::open(dir.path().join("d.sqlite3")).unwrap())
                } else {
                    Arc::new(MemoryStore::new())
                };
                let source = Arc::new(WatchedSource {
                    max_delay_ms: 8,
                    ..WatchedSource::default()
                });
                source.seed.store(seed, Ordering::Relaxed);
                let leases = LeaseSettings {
                    lease: Duration::from_millis(80),
                    call_limit: Duration::from_millis(20),
                };
                let engines: Vec<_> = (0..workers)
                    .map(|_| engine_on(store.clone(), source.clone(), leases))
                    .collect();
                for i in 0..deliveries {
                    receive(&engines[i % workers], i).await;
                }
                // Killed workers: a pass dropped at a random moment.
                for k in 0..kills {
                    let engine = engines[k % workers].clone();
                    let after = Duration::from_micros(seed.rotate_left(k as u32 * 7) % 6000);
                    let _ = tokio::time::timeout(after, engine.process_deliveries()).await;
                }
                tokio::time::sleep(leases.lease).await;
                drain(&engines, &*store).await;

                assert!(source.overlaps.lock().unwrap().is_empty(), "processed twice at once");
                let done = source.done.lock().unwrap();
                assert_eq!(done.len(), deliveries, "every delivery processed to its end");
                let runs: u32 = done.values().sum();
                assert!(
                    runs as usize <= deliveries + kills,
                    "{runs} runs for {deliveries} deliveries and {kills} kills"
                );
            });
        }
    }
}

/// Two engines as two replicas, each with its own connection to one SQLite
/// file, process the same queue at once: each delivery is processed by one
/// of them only (processing one twice could, for instance, schedule two
/// recordings of one interview).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_on_one_file_never_process_one_delivery_twice() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("engine.sqlite3");
    let source = Arc::new(WatchedSource {
        max_delay_ms: 2,
        ..WatchedSource::default()
    });
    let engines: Vec<Arc<Engine>> = (0..2)
        .map(|_| {
            let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&path).unwrap());
            engine_on(store, source.clone(), LeaseSettings::default())
        })
        .collect();
    for i in 0..60 {
        receive(&engines[0], i).await;
    }
    let (a, b) = tokio::join!(
        engines[0].process_deliveries(),
        engines[1].process_deliveries()
    );
    a.unwrap();
    b.unwrap();
    let done = source.done.lock().unwrap().clone();
    assert_eq!(done.len(), 60);
    assert!(
        done.values().all(|runs| *runs == 1),
        "each delivery processed once"
    );
    assert!(source.overlaps.lock().unwrap().is_empty());
    let pending = engines[0]
        .store()
        .pending_deliveries(Utc::now() + chrono::Duration::days(1), 100)
        .await
        .unwrap();
    assert!(pending.is_empty(), "{} left unprocessed", pending.len());
}

/// ATS reads that run past the call limit are abandoned within the lease:
/// the delivery is retried later, and a second worker that looks meanwhile
/// does not start on it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_processing_gives_up_its_turn_before_the_lease_lapses() {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let source = Arc::new(WatchedSource {
        slow: Some((b"body-0".to_vec(), Duration::from_secs(5))),
        ..WatchedSource::default()
    });
    let leases = LeaseSettings {
        lease: Duration::from_millis(400),
        call_limit: Duration::from_millis(50),
    };
    let first = engine_on(store.clone(), source.clone(), leases);
    let second = engine_on(store.clone(), source.clone(), leases);
    receive(&first, 0).await;

    let started = std::time::Instant::now();
    let report = first.process_deliveries().await.unwrap();
    assert_eq!(report.deferred, 1, "given up, to be retried");
    assert!(
        started.elapsed() < leases.lease,
        "the pass ended inside the lease ({:?})",
        started.elapsed()
    );
    // Past the first lease: the delivery waits for its retry, it is not
    // taken over while the abandoned read could still be running.
    tokio::time::sleep(leases.lease).await;
    second.process_deliveries().await.unwrap();
    assert!(source.overlaps.lock().unwrap().is_empty());
    assert!(
        source.done.lock().unwrap().is_empty(),
        "nothing ran to its end"
    );
    let waiting = store
        .pending_deliveries(Utc::now() + chrono::Duration::days(1), 10)
        .await
        .unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].attempts, 1);
    assert!(
        waiting[0]
            .last_error
            .as_deref()
            .unwrap_or_default()
            .contains("longer than")
    );
}

//! (7) Store lookups (by e-mail, by application) and note enqueue at
//! growing index sizes, SQLite on a file. The index is built with the batch
//! write the sync uses (`Store::apply_candidates`, 5,000 per transaction).
//! The baseline of each operation is its time at the smallest size.

use std::sync::Arc;
use std::time::{Duration, Instant};

use aspect_sync_engine::index::{
    CandidateKey, CandidateStatus, IndexedApplication, IndexedCandidate,
};
use aspect_sync_engine::outbox::{NoteTarget, OutboxEntry, OutboxKey};
use aspect_sync_engine::store::{SqliteStore, Store};
use aspect_sync_engine::{Ats, TenantId};
use chrono::Utc;

use crate::Sizes;
use crate::report::{Figure, Report, Target};

const BATCH: usize = 5_000;
const LOOKUPS: usize = 2_000;
const ENQUEUES: usize = 300;

fn candidate(tenant: &TenantId, i: usize) -> IndexedCandidate {
    IndexedCandidate {
        key: CandidateKey {
            tenant: tenant.clone(),
            ats: Ats::Lever,
            candidate_id: format!("c-{i}"),
        },
        name: Some(format!("Candidate {i}")),
        emails: vec![format!("c{i}@example.com")],
        status: CandidateStatus::Active,
        applications: vec![IndexedApplication {
            id: format!("opp-{i}"),
            job_id: Some("posting-1".into()),
            archived: false,
            updated_at: Utc::now(),
        }],
        updated_at: Utc::now(),
    }
}

/// A fixed pseudo-random sequence of indexes (no dependency, repeatable).
fn picks(n: usize, count: usize) -> Vec<usize> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..count)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % n as u64) as usize
        })
        .collect()
}

#[derive(Clone, Copy)]
struct Times {
    build: Duration,
    by_email: Duration,
    by_application: Duration,
    enqueue: Duration,
}

async fn measure(n: usize) -> Times {
    let dir = tempfile::tempdir().expect("a temp dir");
    let store = Arc::new(SqliteStore::open(dir.path().join("index.sqlite3")).expect("a store"));
    let tenant = TenantId::new("bench").expect("an id");
    let started = Instant::now();
    for start in (0..n).step_by(BATCH) {
        let batch: Vec<IndexedCandidate> = (start..(start + BATCH).min(n))
            .map(|i| candidate(&tenant, i))
            .collect();
        store.apply_candidates(&batch).await.expect("a batch");
    }
    let build = started.elapsed();
    let picked = picks(n, LOOKUPS);
    let t = Instant::now();
    for &i in &picked {
        let found = store
            .candidates_by_email(&tenant, &format!("c{i}@example.com"))
            .await
            .expect("a lookup");
        assert_eq!(found.len(), 1);
    }
    let by_email = t.elapsed() / LOOKUPS as u32;
    let t = Instant::now();
    for &i in &picked {
        let found = store
            .candidate_by_application(&tenant, Ats::Lever, &format!("opp-{i}"))
            .await
            .expect("a lookup");
        assert!(found.is_some());
    }
    let by_application = t.elapsed() / LOOKUPS as u32;
    let t = Instant::now();
    for (k, &i) in picks(n, ENQUEUES).iter().enumerate() {
        let entry = OutboxEntry::new(
            OutboxKey {
                tenant: tenant.clone(),
                meeting_id: format!("m-{k}"),
                ats: Ats::Lever,
                candidate_id: format!("c-{i}"),
            },
            NoteTarget {
                candidate_id: format!("c-{i}"),
                application_id: Some(format!("opp-{i}")),
            },
            "Interview notes".into(),
            format!("[aspect-meeting:m-{k}]"),
        );
        assert!(store.enqueue_note(&entry).await.expect("an enqueue"));
    }
    let enqueue = t.elapsed() / ENQUEUES as u32;
    Times {
        build,
        by_email,
        by_application,
        enqueue,
    }
}

pub async fn run(sizes: &Sizes, report: &mut Report) {
    report.section(
        "7. Store lookups and enqueue by index size",
        "SQLite on a file (WAL, synchronous writes), one tenant. Lookups: 2,000 random existing keys \
         through the async `Store` (so each includes the hop to the blocking pool); enqueue: 300 \
         notes, each its own durable commit. Baseline: the same operation at the smallest size. \
         Target: at most 2× the smallest size's time (indexed lookups, no scans).",
    );
    let us = |d: Duration| format!("{:.1} µs", d.as_secs_f64() * 1e6);
    let mut first: Option<Times> = None;
    for &n in &sizes.store {
        let t = measure(n).await;
        let base = *first.get_or_insert(t);
        let rows = [
            ("e-mail lookup", t.by_email, base.by_email),
            ("application lookup", t.by_application, base.by_application),
            ("note enqueue", t.enqueue, base.enqueue),
        ];
        for (what, d, b) in rows {
            report.add(
                Figure::new(format!("{what}, {n} candidates"), us(d))
                    .against(
                        format!("{} at {}", us(b), sizes.store[0]),
                        d.as_secs_f64() / b.as_secs_f64(),
                    )
                    .target(Target::AtMost(2.0)),
            );
        }
        report.add(Figure::new(
            format!("building the index, {n} candidates"),
            format!(
                "{:.2} s ({:.0}/s)",
                t.build.as_secs_f64(),
                n as f64 / t.build.as_secs_f64()
            ),
        ));
    }
}

//! The PostgreSQL store shared by replicas: several `PostgresStore`
//! instances (each with its own pool and `LISTEN` connection, as separate
//! processes would have) on one database schema.
//!
//! Needs `--features postgres` and a database in `ASPECT_TEST_POSTGRES_URL`
//! (`.ci/postgres start DIR` makes one); without the URL every test passes
//! after printing that the suite was skipped, except under `CI=true`.
#![cfg(feature = "postgres")]

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use aspect_sync_engine::outbox::{NoteTarget, OutboxEntry, OutboxKey, OutboxState};
use aspect_sync_engine::store::{Delivery, PostgresStore, Store};
use aspect_sync_engine::{Ats, Error, TenantId};
use chrono::{TimeZone, Utc};

#[path = "../src/store/postgres/test_support.rs"]
mod pg;

fn tenant(id: &str) -> TenantId {
    TenantId::new(id).unwrap()
}

fn entry(t: &str, meeting: &str) -> OutboxEntry {
    let mut e = OutboxEntry::new(
        OutboxKey {
            tenant: tenant(t),
            meeting_id: meeting.into(),
            ats: Ats::Greenhouse,
            candidate_id: "42".into(),
        },
        NoteTarget {
            candidate_id: "42".into(),
            application_id: None,
        },
        "note".into(),
        format!("[aspect-meeting:{meeting}]"),
    );
    let at = Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap();
    e.next_attempt_at = at;
    e.created_at = at;
    e
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_claiming_at_once_never_take_the_same_entry() {
    let Some(schema) = pg::TestSchema::new() else {
        return;
    };
    let a = Arc::new(schema.store().await);
    let b = Arc::new(schema.store().await);
    const NOTES: usize = 120;
    for i in 0..NOTES {
        let t = ["t1", "t2", "t3"][i % 3];
        assert!(a.enqueue_note(&entry(t, &format!("m{i}"))).await.unwrap());
    }
    let now = Utc.with_ymd_and_hms(2026, 11, 2, 10, 0, 0).unwrap();
    let until = now + chrono::Duration::minutes(10);
    // Each replica claims small batches as fast as it can and finishes
    // every entry it got; a duplicate claim would post a note twice.
    let worker = |store: Arc<PostgresStore>, owner: &'static str| async move {
        let mut mine = Vec::new();
        loop {
            let batch = store.claim_due_notes(owner, now, until, 7).await.unwrap();
            if batch.is_empty() {
                return mine;
            }
            for mut e in batch {
                e.state = OutboxState::Posted {
                    note_id: None,
                    at: now,
                };
                e.lease = None;
                store.update_claimed(&mut e).await.unwrap();
                mine.push(e.key);
            }
        }
    };
    let (from_a, from_b) = tokio::join!(
        tokio::spawn(worker(a.clone(), "replica-a")),
        tokio::spawn(worker(b.clone(), "replica-b"))
    );
    let (from_a, from_b) = (from_a.unwrap(), from_b.unwrap());
    let all: Vec<&OutboxKey> = from_a.iter().chain(&from_b).collect();
    let unique: HashSet<&OutboxKey> = all.iter().copied().collect();
    assert_eq!(all.len(), NOTES, "every entry claimed");
    assert_eq!(unique.len(), NOTES, "no entry claimed twice");
    assert!(
        !from_a.is_empty() && !from_b.is_empty(),
        "both replicas got work: a {} b {}",
        from_a.len(),
        from_b.len()
    );
    for t in ["t1", "t2", "t3"] {
        assert!(
            a.outbox(&tenant(t))
                .await
                .unwrap()
                .iter()
                .all(|e| matches!(e.state, OutboxState::Posted { .. })),
            "{t}"
        );
    }
    schema.cleanup().await;
}

/// Claims and posts (in the store) everything due at `now`; returns the
/// keys this replica recorded as posted.
async fn drain(
    store: Arc<PostgresStore>,
    owner: String,
    now: chrono::DateTime<Utc>,
) -> Vec<OutboxKey> {
    let until = now + chrono::Duration::seconds(30);
    let mut posted = Vec::new();
    loop {
        let batch = store.claim_due_notes(&owner, now, until, 5).await.unwrap();
        if batch.is_empty() {
            return posted;
        }
        for mut e in batch {
            e.state = OutboxState::Posted {
                note_id: None,
                at: now,
            };
            e.lease = None;
            store.update_claimed(&mut e).await.unwrap();
            posted.push(e.key);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_replicas_one_stalling_post_every_note_exactly_once() {
    let Some(schema) = pg::TestSchema::new() else {
        return;
    };
    let replicas = [
        Arc::new(schema.store().await),
        Arc::new(schema.store().await),
        Arc::new(schema.store().await),
    ];
    const NOTES: usize = 90;
    for i in 0..NOTES {
        let t = ["t1", "t2", "t3"][i % 3];
        replicas[i % 3]
            .enqueue_note(&entry(t, &format!("m{i}")))
            .await
            .unwrap();
    }
    let now = Utc.with_ymd_and_hms(2026, 11, 2, 10, 0, 0).unwrap();
    // Replica 2 claims a batch and stalls (a GC pause, a lost network, a
    // SIGKILL) before recording anything.
    let mut stalled = replicas[2]
        .claim_due_notes("r2", now, now + chrono::Duration::seconds(30), 10)
        .await
        .unwrap();
    assert_eq!(stalled.len(), 10);
    // The others drain what they can now, and take the stalled batch over
    // once its lease lapses.
    let mut posted = Vec::new();
    for at in [now, now + chrono::Duration::seconds(31)] {
        let (x, y) = tokio::join!(
            tokio::spawn(drain(replicas[0].clone(), "r0".into(), at)),
            tokio::spawn(drain(replicas[1].clone(), "r1".into(), at))
        );
        posted.extend(x.unwrap());
        posted.extend(y.unwrap());
    }
    // Replica 2 comes back and tries to finish its batch: fenced off.
    for e in &mut stalled {
        e.state = OutboxState::Posted {
            note_id: None,
            at: now,
        };
        assert!(matches!(
            replicas[2].update_claimed(e).await,
            Err(Error::LeaseLost(_))
        ));
    }
    let unique: HashSet<&OutboxKey> = posted.iter().collect();
    assert_eq!(posted.len(), NOTES, "posted once each, none twice");
    assert_eq!(unique.len(), NOTES, "every note posted");
    assert!(stalled.iter().all(|e| unique.contains(&e.key)));
    schema.cleanup().await;
}

#[tokio::test]
async fn a_lease_left_by_a_dead_replica_is_taken_over() {
    let Some(schema) = pg::TestSchema::new() else {
        return;
    };
    let a = schema.store().await;
    let b = schema.store().await;
    a.enqueue_note(&entry("t1", "m1")).await.unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 2, 10, 0, 0).unwrap();
    let until = now + chrono::Duration::seconds(30);
    let mut held = a
        .claim_due_notes("replica-a", now, until, 10)
        .await
        .unwrap();
    assert_eq!(held.len(), 1);
    assert!(
        b.claim_due_notes("replica-b", now, until, 10)
            .await
            .unwrap()
            .is_empty(),
        "a live lease is respected"
    );
    // Replica a stalls past its lease; b takes the entry over.
    let later = until + chrono::Duration::seconds(1);
    let taken = b
        .claim_due_notes(
            "replica-b",
            later,
            later + chrono::Duration::seconds(30),
            10,
        )
        .await
        .unwrap();
    assert_eq!(taken.len(), 1);
    assert_eq!(taken[0].lease.as_ref().unwrap().owner, "replica-b");
    // a wakes up and tries to record its (stale) result: fenced off.
    held[0].state = OutboxState::Posted {
        note_id: None,
        at: later,
    };
    assert!(matches!(
        a.update_claimed(&mut held[0]).await,
        Err(Error::LeaseLost(_))
    ));
    let mut done = taken[0].clone();
    done.state = OutboxState::Posted {
        note_id: Some("n1".into()),
        at: later,
    };
    done.lease = None;
    b.update_claimed(&mut done).await.unwrap();
    let stored = a.outbox_entry(&done.key).await.unwrap().unwrap();
    assert_eq!(stored.state, done.state);
    assert_eq!(stored.version, done.version);
    schema.cleanup().await;
}

#[tokio::test]
async fn a_claim_skips_rows_another_transaction_holds_instead_of_waiting() {
    let Some(schema) = pg::TestSchema::new() else {
        return;
    };
    let store = schema.store().await;
    store.enqueue_note(&entry("t1", "m1")).await.unwrap();
    store.enqueue_note(&entry("t2", "m2")).await.unwrap();
    // Another replica's claim in progress: m1's row locked, not committed.
    let (mut other, connection) = tokio_postgres::connect(schema.url(), tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    let tx = other.transaction().await.unwrap();
    tx.batch_execute(&format!(
        "SELECT 1 FROM \"{}\".outbox WHERE meeting_id = 'm1' FOR UPDATE",
        schema.name()
    ))
    .await
    .unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 2, 10, 0, 0).unwrap();
    let claimed = tokio::time::timeout(
        Duration::from_secs(5),
        store.claim_due_notes("w", now, now + chrono::Duration::minutes(1), 10),
    )
    .await
    .expect("the claim does not wait for the other transaction")
    .unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].key.meeting_id, "m2");
    tx.rollback().await.unwrap();
    let rest = store
        .claim_due_notes("w", now, now + chrono::Duration::minutes(1), 10)
        .await
        .unwrap();
    assert_eq!(rest.len(), 1, "released, m1 is claimed next");
    assert_eq!(rest[0].key.meeting_id, "m1");
    schema.cleanup().await;
}

#[tokio::test]
async fn the_sync_lease_lets_one_replica_sync_a_tenant_at_a_time() {
    let Some(schema) = pg::TestSchema::new() else {
        return;
    };
    let a = schema.store().await;
    let b = schema.store().await;
    let t = tenant("t1");
    let now = Utc.with_ymd_and_hms(2026, 11, 2, 10, 0, 0).unwrap();
    let until = now + chrono::Duration::minutes(5);
    assert!(
        a.acquire_sync_lease(&t, Ats::Lever, "a", now, until)
            .await
            .unwrap()
    );
    assert!(
        !b.acquire_sync_lease(&t, Ats::Lever, "b", now, until)
            .await
            .unwrap(),
        "held by a"
    );
    assert!(
        b.acquire_sync_lease(&t, Ats::Greenhouse, "b", now, until)
            .await
            .unwrap(),
        "another ATS is another lease"
    );
    assert!(
        b.acquire_sync_lease(&tenant("t2"), Ats::Lever, "b", now, until)
            .await
            .unwrap(),
        "another tenant is another lease"
    );
    // The holder extends its own lease.
    let extended = until + chrono::Duration::minutes(5);
    assert!(
        a.acquire_sync_lease(&t, Ats::Lever, "a", until, extended)
            .await
            .unwrap()
    );
    assert!(
        !b.acquire_sync_lease(&t, Ats::Lever, "b", until, extended)
            .await
            .unwrap(),
        "the extension holds"
    );
    // Releasing someone else's lease does nothing; the owner's release frees it.
    b.release_sync_lease(&t, Ats::Lever, "b").await.unwrap();
    assert!(
        !b.acquire_sync_lease(&t, Ats::Lever, "b", now, until)
            .await
            .unwrap()
    );
    a.release_sync_lease(&t, Ats::Lever, "a").await.unwrap();
    assert!(
        b.acquire_sync_lease(&t, Ats::Lever, "b", now, until)
            .await
            .unwrap()
    );
    // A lease whose holder died lapses.
    assert!(
        a.acquire_sync_lease(&t, Ats::Lever, "a", until, extended)
            .await
            .unwrap(),
        "b's lease expired at `until`"
    );
    schema.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_sync_lease_requests_have_one_winner() {
    let Some(schema) = pg::TestSchema::new() else {
        return;
    };
    let stores = [
        Arc::new(schema.store().await),
        Arc::new(schema.store().await),
        Arc::new(schema.store().await),
    ];
    let now = Utc::now();
    let until = now + chrono::Duration::minutes(5);
    let tries = stores.iter().enumerate().map(|(i, s)| {
        let s = s.clone();
        tokio::spawn(async move {
            s.acquire_sync_lease(&tenant("t1"), Ats::Greenhouse, &format!("r{i}"), now, until)
                .await
                .unwrap()
        })
    });
    let won: Vec<bool> = futures::future::join_all(tries)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(won.iter().filter(|w| **w).count(), 1, "{won:?}");
    schema.cleanup().await;
}

/// Waits on `waiter` while `act` runs on another replica; returns how long the wait took.
async fn wake_time<F>(waiter: Arc<PostgresStore>, act: F) -> Duration
where
    F: std::future::Future<Output = ()>,
{
    let waiting = tokio::spawn(async move {
        let started = Instant::now();
        waiter.wait_for_work(Duration::from_secs(30)).await;
        started.elapsed()
    });
    // Let the waiter park first.
    tokio::time::sleep(Duration::from_millis(200)).await;
    act.await;
    tokio::time::timeout(Duration::from_secs(20), waiting)
        .await
        .expect("the waiter woke before its own 30 s timeout")
        .unwrap()
}

#[tokio::test]
async fn wait_for_work_wakes_on_a_notify_from_another_replica() {
    let Some(schema) = pg::TestSchema::new() else {
        return;
    };
    let a = Arc::new(schema.store().await);
    let b = schema.store().await;
    // Nothing happens: the wait runs to its timeout.
    let started = Instant::now();
    a.wait_for_work(Duration::from_millis(300)).await;
    assert!(started.elapsed() >= Duration::from_millis(290));

    let took = wake_time(a.clone(), async {
        assert!(b.enqueue_note(&entry("t1", "m1")).await.unwrap());
    })
    .await;
    assert!(took < Duration::from_secs(10), "enqueue woke it: {took:?}");

    let took = wake_time(a.clone(), async {
        let d = Delivery::new(tenant("t1"), Ats::Lever, "tok-1", b"{}".to_vec());
        assert!(b.record_delivery(&d).await.unwrap());
    })
    .await;
    assert!(
        took < Duration::from_secs(10),
        "a delivery woke it: {took:?}"
    );

    let now = Utc::now();
    b.park_notes(&tenant("t1"), Ats::Greenhouse, "revoked", now)
        .await
        .unwrap();
    let took = wake_time(a.clone(), async {
        assert_eq!(
            b.resume_notes(&tenant("t1"), Ats::Greenhouse, now)
                .await
                .unwrap(),
            1
        );
    })
    .await;
    assert!(
        took < Duration::from_secs(10),
        "resumed notes woke it: {took:?}"
    );
    schema.cleanup().await;
}

#[tokio::test]
async fn the_listener_reconnects_after_its_connection_is_killed() {
    let Some(schema) = pg::TestSchema::new() else {
        return;
    };
    let name = format!("{}-a", schema.name());
    let a = Arc::new(
        PostgresStore::builder(schema.url())
            .unwrap()
            .schema(schema.name())
            .unwrap()
            .application_name(&name)
            .connect()
            .await
            .unwrap(),
    );
    let b = schema.store().await;
    let (admin, connection) = tokio_postgres::connect(schema.url(), tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    // The server ends a's LISTEN connection (a failover, an idle timeout).
    let killed = admin
        .query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
            &[&format!("{name} listener")],
        )
        .await
        .unwrap();
    assert_eq!(killed.len(), 1, "a's listener connection was found");
    // Back and listening, the listener wakes the workers once (whatever was
    // notified meanwhile is lost), well before the wait's own timeout.
    let started = Instant::now();
    a.wait_for_work(Duration::from_secs(30)).await;
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    // And it hears new work again.
    let took = wake_time(a.clone(), async {
        assert!(b.enqueue_note(&entry("t1", "m1")).await.unwrap());
    })
    .await;
    assert!(took < Duration::from_secs(10), "enqueue woke it: {took:?}");
    schema.cleanup().await;
}

#[tokio::test]
async fn work_in_another_schema_does_not_wake_a_store() {
    let (Some(mine), Some(theirs)) = (pg::TestSchema::new(), pg::TestSchema::new()) else {
        return;
    };
    let a = mine.store().await;
    let other = theirs.store().await;
    other.enqueue_note(&entry("t1", "m1")).await.unwrap();
    let started = Instant::now();
    a.wait_for_work(Duration::from_millis(500)).await;
    mine.cleanup().await;
    theirs.cleanup().await;
    assert!(
        started.elapsed() >= Duration::from_millis(490),
        "woken by another schema's work after {:?}",
        started.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replicas_starting_at_once_migrate_once() {
    let Some(schema) = pg::TestSchema::new() else {
        return;
    };
    let (a, b, c) = tokio::join!(schema.store(), schema.store(), schema.store());
    // Every instance sees the same, current version (the first one to take
    // the migration lock applied them all).
    let version = a.schema_version().await.unwrap();
    assert!(version >= 2, "delivery leases arrived with migration 2");
    for s in [&b, &c] {
        assert_eq!(s.schema_version().await.unwrap(), version);
    }
    // And the schema works from every instance.
    assert!(a.enqueue_note(&entry("t1", "m1")).await.unwrap());
    assert!(!c.enqueue_note(&entry("t1", "m1")).await.unwrap());
    schema.cleanup().await;
}

#[tokio::test]
async fn a_database_from_a_newer_build_is_refused() {
    let Some(schema) = pg::TestSchema::new() else {
        return;
    };
    drop(schema.store().await);
    let (client, connection) = tokio_postgres::connect(schema.url(), tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    client
        .batch_execute(&format!(
            "INSERT INTO \"{}\".aspect_schema_version (version) VALUES (99)",
            schema.name()
        ))
        .await
        .unwrap();
    let err = PostgresStore::builder(schema.url())
        .unwrap()
        .schema(schema.name())
        .unwrap()
        .connect()
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("newer"), "{err}");
    schema.cleanup().await;
}

#[tokio::test]
async fn a_purge_on_one_replica_is_final_for_the_other() {
    use aspect_sync_engine::index::{CandidateKey, CandidateStatus, IndexedCandidate};
    let Some(schema) = pg::TestSchema::new() else {
        return;
    };
    let a = Arc::new(schema.store().await);
    let b = Arc::new(schema.store().await);
    let key = CandidateKey {
        tenant: tenant("t1"),
        ats: Ats::Greenhouse,
        candidate_id: "42".into(),
    };
    let person = IndexedCandidate {
        key: key.clone(),
        name: Some("Ada".into()),
        emails: vec!["ada@example.com".into()],
        status: CandidateStatus::Active,
        applications: vec![],
        updated_at: Utc::now(),
    };
    a.upsert_candidate(&person).await.unwrap();
    // Late updates race the purge on the other replica: whatever the
    // order, the person stays gone once the purge committed.
    let updates = {
        let (a, person) = (a.clone(), person.clone());
        tokio::spawn(async move {
            for _ in 0..30 {
                a.upsert_candidate(&person).await.unwrap();
            }
        })
    };
    b.purge_candidate(&key, Some(Utc::now())).await.unwrap();
    updates.await.unwrap();
    assert!(a.candidate(&key).await.unwrap().is_none());
    assert!(
        b.candidates_by_email(&tenant("t1"), "ada@example.com")
            .await
            .unwrap()
            .is_empty()
    );
    assert!(!a.upsert_candidate(&person).await.unwrap());
    schema.cleanup().await;
}

#[tokio::test]
async fn the_password_never_shows_in_errors_or_debug() {
    // Nothing listens on port 1: connecting fails without a database.
    let url = "postgres://aspect:s3cret-pw@127.0.0.1:1/aspect?connect_timeout=2";
    let builder = PostgresStore::builder(url).unwrap();
    let debug = format!("{builder:?}");
    assert!(debug.contains("127.0.0.1"), "{debug}");
    assert!(!debug.contains("s3cret-pw"), "{debug}");
    let err = builder.connect().await.unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(matches!(err, Error::Database(_)), "{shown}");
    assert!(!shown.contains("s3cret-pw"), "{shown}");
    // A malformed URL is a clear error, not a panic, and does not echo it.
    let err = PostgresStore::connect("postgres://aspect:s3cret-pw@[::1/aspect")
        .await
        .unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("s3cret-pw"), "{shown}");
}

#[tokio::test]
async fn bad_schema_names_are_refused() {
    let builder = PostgresStore::builder("postgres://u@127.0.0.1/db").unwrap();
    for bad in ["", "Upper", "1st", "semi;colon", "a b", &"x".repeat(64)] {
        assert!(
            matches!(
                PostgresStore::builder("postgres://u@127.0.0.1/db")
                    .unwrap()
                    .schema(bad),
                Err(Error::InvalidSettings(_))
            ),
            "{bad:?}"
        );
    }
    assert!(builder.schema("aspect_prod_2").is_ok());
}

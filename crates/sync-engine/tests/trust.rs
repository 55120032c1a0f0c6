//! The engine's promises, attacked: exactly once with concurrent workers and
//! processes, deletion is final, and no tenant or ATS stalls another.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aspect_sync_engine::index::{
    CandidateKey, CandidateStatus, IndexedApplication, IndexedCandidate, ScheduledInterview,
};
use aspect_sync_engine::ingest::IndexUpdate;
use aspect_sync_engine::notetaker::{NoteTakerCall, interview_meeting_id};
use aspect_sync_engine::outbox::{NoteTarget, OutboxEntry, OutboxKey, OutboxState};
use aspect_sync_engine::store::{MemoryStore, SqliteStore, Store};
use aspect_sync_engine::webhook::{Received, Verified, WebhookHeaders, WebhookSource};
use aspect_sync_engine::worker::RetrySchedule;
use aspect_sync_engine::{
    Ats, AtsConnector, ConnectorError, Engine, Error, FailureKind, LeaseSettings,
    RecordingNoteTaker, Tenant, TenantId, TenantSettings,
};
use async_trait::async_trait;
use chrono::Utc;

fn tenant(id: &str) -> TenantId {
    TenantId::new(id).unwrap()
}

/// A small deterministic generator, so failures replay.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

/// An ATS that stores every note it is sent (the post is applied at once,
/// then the answer takes a while) and counts posts per meeting marker.
#[derive(Default)]
struct CountingAts {
    notes: Mutex<Vec<(String, String)>>,
    posts: Mutex<HashMap<String, u32>>,
    seed: AtomicU64,
    /// Marker checks fail transiently while set.
    failing_checks: std::sync::atomic::AtomicBool,
    checks: AtomicU32,
    /// When set, a post takes this long and is applied only at its end
    /// (the worst case for a lease that lapses mid-post).
    slow_post: Option<Duration>,
}

impl CountingAts {
    fn posts(&self) -> HashMap<String, u32> {
        self.posts.lock().unwrap().clone()
    }

    async fn jitter(&self) {
        let n = self.seed.fetch_add(1, Ordering::Relaxed);
        let mut rng = Lcg(n ^ 0x9e37_79b9);
        tokio::time::sleep(Duration::from_micros(rng.next() % 3000)).await;
    }
}

#[async_trait]
impl AtsConnector for CountingAts {
    fn ats(&self) -> Ats {
        Ats::Greenhouse
    }
    async fn find_candidates_by_email(
        &self,
        _: &TenantId,
        _: &str,
    ) -> Result<Vec<IndexedCandidate>, ConnectorError> {
        Ok(vec![])
    }
    async fn note_texts(&self, target: &NoteTarget) -> Result<Vec<String>, ConnectorError> {
        self.checks.fetch_add(1, Ordering::Relaxed);
        if self.failing_checks.load(Ordering::Relaxed) {
            return Err(ConnectorError::new(
                Ats::Greenhouse,
                FailureKind::Transient { retry_after: None },
                "503 while listing notes",
            ));
        }
        self.jitter().await;
        Ok(self
            .notes
            .lock()
            .unwrap()
            .iter()
            .filter(|(c, _)| *c == target.candidate_id)
            .map(|(_, body)| body.clone())
            .collect())
    }
    async fn post_note(
        &self,
        target: &NoteTarget,
        body: &str,
    ) -> Result<Option<String>, ConnectorError> {
        if let Some(delay) = self.slow_post {
            tokio::time::sleep(delay).await;
        }
        self.notes
            .lock()
            .unwrap()
            .push((target.candidate_id.clone(), body.to_owned()));
        *self
            .posts
            .lock()
            .unwrap()
            .entry(body.to_owned())
            .or_default() += 1;
        self.jitter().await;
        Ok(None)
    }
}

fn entry(t: &TenantId, meeting: &str) -> OutboxEntry {
    OutboxEntry::new(
        OutboxKey {
            tenant: t.clone(),
            meeting_id: meeting.into(),
            ats: Ats::Greenhouse,
            candidate_id: format!("c-{meeting}"),
        },
        NoteTarget {
            candidate_id: format!("c-{meeting}"),
            application_id: None,
        },
        format!("Summary\n[aspect-meeting:{meeting}]"),
        format!("[aspect-meeting:{meeting}]"),
    )
}

fn engine_on(store: Arc<dyn Store>, ats: Arc<CountingAts>, leases: LeaseSettings) -> Arc<Engine> {
    let engine = Engine::new(store, Arc::new(RecordingNoteTaker::new()))
        .with_leases(leases)
        .with_retry_schedule(RetrySchedule {
            base_delay: Duration::ZERO,
            max_delay: Duration::ZERO,
            max_attempts: 50,
        });
    engine
        .add_tenant(Tenant::new(tenant("acme"), TenantSettings::default()).with_connector(ats))
        .unwrap();
    Arc::new(engine)
}

/// Runs `passes` concurrent worker loops over `engines` until the outbox is
/// empty of open entries (bounded).
async fn drain(engines: &[Arc<Engine>], passes: usize, store: &dyn Store) {
    let mut tasks = Vec::new();
    for i in 0..passes {
        let engine = engines[i % engines.len()].clone();
        tasks.push(tokio::spawn(async move {
            for _ in 0..200 {
                let report = engine.deliver_due_notes().await.unwrap();
                if report == Default::default() {
                    tokio::time::sleep(Duration::from_millis(2)).await;
                }
                if engine
                    .store()
                    .due_notes(Utc::now() + chrono::Duration::days(1), 1)
                    .await
                    .unwrap()
                    .is_empty()
                {
                    return;
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    assert!(
        store
            .due_notes(Utc::now() + chrono::Duration::days(1), 1)
            .await
            .unwrap()
            .is_empty(),
        "every note was delivered"
    );
}

fn assert_each_posted_once(ats: &CountingAts, meetings: usize) {
    let posts = ats.posts();
    assert_eq!(posts.len(), meetings, "every note posted");
    let twice: Vec<_> = posts.iter().filter(|(_, n)| **n != 1).collect();
    assert!(twice.is_empty(), "posted more than once: {twice:?}");
}

/// Two engines (two processes' worth: each its own SQLite connection) on
/// one file, eight concurrent passes, 200 notes: each posted exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_engines_on_one_sqlite_file_post_each_note_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("engine.sqlite3");
    let first: Arc<dyn Store> = Arc::new(SqliteStore::open(&path).unwrap());
    let second: Arc<dyn Store> = Arc::new(SqliteStore::open(&path).unwrap());
    let acme = tenant("acme");
    for i in 0..200 {
        first
            .enqueue_note(&entry(&acme, &format!("m{i}")))
            .await
            .unwrap();
    }
    let ats = Arc::new(CountingAts::default());
    let engines = [
        engine_on(first.clone(), ats.clone(), LeaseSettings::default()),
        engine_on(second, ats.clone(), LeaseSettings::default()),
    ];
    drain(&engines, 8, &*first).await;
    assert_each_posted_once(&ats, 200);
    let posted = first.notes_in_state(&acme, "posted").await.unwrap();
    assert_eq!(posted.len(), 200);
}

/// `run_workers` and a manual pass at the same time, on one engine.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manual_pass_beside_the_background_workers_posts_nothing_twice() {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let acme = tenant("acme");
    for i in 0..60 {
        store
            .enqueue_note(&entry(&acme, &format!("m{i}")))
            .await
            .unwrap();
    }
    let ats = Arc::new(CountingAts::default());
    let engine = engine_on(store.clone(), ats.clone(), LeaseSettings::default());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let background = tokio::spawn(engine.clone().run_workers(Duration::from_millis(1), async {
        let _ = stopped.await;
    }));
    drain(std::slice::from_ref(&engine), 3, &*store).await;
    let _ = stop.send(());
    background.await.unwrap();
    assert_each_posted_once(&ats, 60);
}

/// Long batches on short leases, posts applied only at their end: a
/// worker never posts on a lease that can lapse mid-post, so no other
/// worker takes the entry over and posts it again.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn long_batches_on_short_leases_post_each_note_once() {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let acme = tenant("acme");
    for i in 0..40 {
        store
            .enqueue_note(&entry(&acme, &format!("m{i}")))
            .await
            .unwrap();
    }
    let ats = Arc::new(CountingAts {
        slow_post: Some(Duration::from_millis(12)),
        ..Default::default()
    });
    let leases = LeaseSettings {
        lease: Duration::from_millis(80),
        call_limit: Duration::from_millis(20),
    };
    let engines: Vec<_> = (0..3)
        .map(|_| engine_on(store.clone(), ats.clone(), leases))
        .collect();
    drain(&engines, 3, &*store).await;
    assert_each_posted_once(&ats, 40);
}

mod interleavings {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

        /// Any number of workers, any timing, and workers killed mid-pass
        /// (their leases lapse and others take over): each note once.
        #[test]
        fn any_interleaving_posts_each_note_once(
            notes in 1usize..25,
            workers in 2usize..5,
            seed in any::<u64>(),
            kills in 0usize..4,
        ) {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
                let acme = tenant("acme");
                for i in 0..notes {
                    store.enqueue_note(&entry(&acme, &format!("m{i}"))).await.unwrap();
                }
                let ats = Arc::new(CountingAts::default());
                ats.seed.store(seed, Ordering::Relaxed);
                let leases = LeaseSettings {
                    lease: Duration::from_millis(60),
                    call_limit: Duration::from_millis(30),
                };
                let engines: Vec<_> = (0..workers)
                    .map(|_| engine_on(store.clone(), ats.clone(), leases))
                    .collect();
                // Killed workers: a pass dropped at a random moment.
                let mut rng = Lcg(seed);
                for k in 0..kills {
                    let engine = engines[k % workers].clone();
                    let after = Duration::from_micros(rng.next() % 4000);
                    let _ = tokio::time::timeout(after, engine.deliver_due_notes()).await;
                }
                tokio::time::sleep(leases.lease).await;
                drain(&engines, workers, &*store).await;
                assert_each_posted_once(&ats, notes);
            });
        }
    }
}

/// A marker check that keeps failing counts toward the attempt cap; the
/// entry then fails, visibly.
#[tokio::test]
async fn a_failing_marker_check_exhausts_the_cap_and_the_failure_is_visible() {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let acme = tenant("acme");
    let mut uncertain = entry(&acme, "m1");
    uncertain.state = OutboxState::Sending;
    store.enqueue_note(&uncertain).await.unwrap();
    let ats = Arc::new(CountingAts::default());
    ats.failing_checks.store(true, Ordering::Relaxed);
    let engine = Engine::new(store.clone(), Arc::new(RecordingNoteTaker::new()))
        .with_retry_schedule(RetrySchedule {
            base_delay: Duration::ZERO,
            max_delay: Duration::ZERO,
            max_attempts: 4,
        });
    engine
        .add_tenant(
            Tenant::new(acme.clone(), TenantSettings::default()).with_connector(ats.clone()),
        )
        .unwrap();
    let mut failed = 0;
    for _ in 0..10 {
        failed += engine.deliver_due_notes().await.unwrap().failed;
    }
    assert_eq!(failed, 1);
    assert_eq!(
        ats.checks.load(Ordering::Relaxed),
        4,
        "checks count as attempts"
    );
    assert!(ats.posts().is_empty(), "never posted blind");
    let failures = engine.failed_notes(&acme).await.unwrap();
    assert_eq!(failures.len(), 1);
    assert!(
        matches!(&failures[0].state, OutboxState::Failed { reason } if reason.contains("4 attempts")),
        "{:?}",
        failures[0].state
    );
}

/// 100 entries of a removed tenant at the head of the outbox do not block
/// a live tenant's note, and are not retried every pass.
#[tokio::test]
async fn a_removed_tenants_backlog_blocks_no_one() {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let gone = tenant("gone");
    for i in 0..100 {
        let mut e = entry(&gone, &format!("g{i}"));
        e.created_at = Utc::now() - chrono::Duration::hours(1);
        e.next_attempt_at = e.created_at;
        store.enqueue_note(&e).await.unwrap();
    }
    store
        .enqueue_note(&entry(&tenant("acme"), "live"))
        .await
        .unwrap();
    let ats = Arc::new(CountingAts::default());
    let engine = engine_on(store.clone(), ats.clone(), LeaseSettings::default());
    let report = engine.deliver_due_notes().await.unwrap();
    assert_eq!(report.posted, 1, "{report:?}");
    assert_eq!(report.deferred, 99, "{report:?}");
    // The deferred entries are out of the way for a while.
    let report = engine.deliver_due_notes().await.unwrap();
    assert_eq!(report.deferred, 1, "{report:?}");
    assert_eq!(
        engine.deliver_due_notes().await.unwrap(),
        Default::default()
    );
    // Nothing was dropped.
    assert_eq!(store.outbox(&gone).await.unwrap().len(), 100);
}

/// A webhook source whose ATS is down (or revoked) for one tenant.
struct FlakySource {
    calls: AtomicU32,
    failure: Mutex<Option<FailureKind>>,
}

#[async_trait]
impl WebhookSource for FlakySource {
    fn ats(&self) -> Ats {
        Ats::Lever
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
        _: &[u8],
        _: &dyn Store,
    ) -> Result<Vec<IndexUpdate>, Error> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        match *self.failure.lock().unwrap() {
            Some(kind) => Err(ConnectorError::new(Ats::Lever, kind, "ATS unavailable").into()),
            None => Ok(vec![]),
        }
    }
}

fn flaky(failure: Option<FailureKind>) -> Arc<FlakySource> {
    Arc::new(FlakySource {
        calls: AtomicU32::new(0),
        failure: Mutex::new(failure),
    })
}

fn headers(id: &str) -> WebhookHeaders {
    WebhookHeaders {
        signature: None,
        event_id: Some(id.into()),
    }
}

#[tokio::test]
async fn one_tenants_failing_ats_does_not_block_other_tenants_deliveries() {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let engine = Engine::new(store.clone(), Arc::new(RecordingNoteTaker::new()));
    let down = flaky(Some(FailureKind::Transient { retry_after: None }));
    let healthy = flaky(None);
    engine
        .add_tenant(
            Tenant::new(tenant("down"), TenantSettings::default())
                .with_webhook_source(down.clone()),
        )
        .unwrap();
    engine
        .add_tenant(
            Tenant::new(tenant("ok"), TenantSettings::default())
                .with_webhook_source(healthy.clone()),
        )
        .unwrap();
    for i in 0..500 {
        let body = format!("{{\"n\":{i}}}");
        engine
            .receive_webhook(
                Ats::Lever,
                &tenant("down"),
                &headers(&format!("d{i}")),
                body.as_bytes(),
            )
            .await
            .unwrap();
    }
    engine
        .receive_webhook(Ats::Lever, &tenant("ok"), &headers("ok-1"), b"{}")
        .await
        .unwrap();
    let report = engine.process_deliveries().await.unwrap();
    assert_eq!(
        healthy.calls.load(Ordering::Relaxed),
        1,
        "the healthy tenant's delivery was processed"
    );
    assert_eq!(
        down.calls.load(Ordering::Relaxed),
        1,
        "one request to the failing ATS per pass"
    );
    assert_eq!(report.deferred, 1);
    // The failed one backs off; the next pass tries the next in line once.
    engine.process_deliveries().await.unwrap();
    assert_eq!(down.calls.load(Ordering::Relaxed), 2);
    // Nothing is dropped: all 500 are still queued for later.
    let far = Utc::now() + chrono::Duration::days(2);
    assert_eq!(
        store.pending_deliveries(far, 1000).await.unwrap().len(),
        500
    );
}

#[tokio::test]
async fn a_delivery_needing_a_revoked_ats_is_parked_then_applied_on_resume() {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let engine = Engine::new(store.clone(), Arc::new(RecordingNoteTaker::new()));
    let source = flaky(Some(FailureKind::Revoked));
    let acme = tenant("acme");
    engine
        .add_tenant(
            Tenant::new(acme.clone(), TenantSettings::default())
                .with_webhook_source(source.clone()),
        )
        .unwrap();
    engine
        .receive_webhook(Ats::Lever, &acme, &headers("candidate-deleted-1"), b"{}")
        .await
        .unwrap();
    engine.process_deliveries().await.unwrap();
    engine.process_deliveries().await.unwrap();
    assert_eq!(
        source.calls.load(Ordering::Relaxed),
        1,
        "parked: not retried while revoked"
    );
    let far = Utc::now() + chrono::Duration::days(365);
    assert!(store.pending_deliveries(far, 10).await.unwrap().is_empty());
    *source.failure.lock().unwrap() = None;
    engine.resume_tenant(&acme, Ats::Lever).await.unwrap();
    engine.process_deliveries().await.unwrap();
    assert_eq!(
        source.calls.load(Ordering::Relaxed),
        2,
        "applied after the reconnect"
    );
    assert!(store.pending_deliveries(far, 10).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_replayed_body_with_a_fresh_event_id_is_a_duplicate() {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let engine = Engine::new(store, Arc::new(RecordingNoteTaker::new()));
    let acme = tenant("acme");
    engine
        .add_tenant(
            Tenant::new(acme.clone(), TenantSettings::default()).with_webhook_source(flaky(None)),
        )
        .unwrap();
    let body = br#"{"action":"delete_candidate","payload":{"person":{"id":7}}}"#;
    assert_eq!(
        engine
            .receive_webhook(Ats::Lever, &acme, &headers("e1"), body)
            .await
            .unwrap(),
        Received::Recorded
    );
    assert_eq!(
        engine
            .receive_webhook(Ats::Lever, &acme, &headers("e2-fresh"), body)
            .await
            .unwrap(),
        Received::Duplicate
    );
}

fn key(id: &str) -> CandidateKey {
    CandidateKey {
        tenant: tenant("acme"),
        ats: Ats::Greenhouse,
        candidate_id: id.into(),
    }
}

fn person(id: &str, email: &str, app: &str) -> IndexedCandidate {
    IndexedCandidate {
        key: key(id),
        name: Some("Ada Lovelace".into()),
        emails: vec![email.into()],
        status: CandidateStatus::Active,
        applications: vec![IndexedApplication {
            id: app.into(),
            job_id: None,
            archived: false,
            updated_at: Utc::now(),
        }],
        updated_at: Utc::now(),
    }
}

fn upcoming(id: &str, candidate: Option<&str>, application: Option<&str>) -> ScheduledInterview {
    ScheduledInterview {
        tenant: tenant("acme"),
        ats: Ats::Greenhouse,
        interview_id: id.into(),
        candidate_id: candidate.map(str::to_owned),
        application_id: application.map(str::to_owned),
        title: "Onsite".into(),
        start: Utc::now() + chrono::Duration::hours(2),
        end: None,
        conferencing_url: Some("https://meet.example.com/x".into()),
        interviewer_emails: vec![],
        updated_at: Utc::now(),
    }
}

fn cancelled(taker: &RecordingNoteTaker) -> Vec<String> {
    taker
        .calls()
        .into_iter()
        .filter_map(|c| match c {
            NoteTakerCall::Cancelled(_, m) => Some(m.as_str().to_owned()),
            _ => None,
        })
        .collect()
}

/// Every kind of late update after a deletion, in any order: the person
/// never comes back and no recording is scheduled for them.
#[tokio::test]
async fn deletion_is_final_whatever_arrives_later() {
    let late_updates = || {
        vec![
            IndexUpdate::Candidate(person("7", "ada@example.com", "app-7")),
            IndexUpdate::Profile {
                key: key("7"),
                name: Some("Ada Lovelace".into()),
                emails: vec!["ada@example.com".into()],
                updated_at: Utc::now() + chrono::Duration::hours(1),
            },
            IndexUpdate::Application {
                key: key("7"),
                name: Some("Ada Lovelace".into()),
                emails: vec!["ada@example.com".into()],
                application: IndexedApplication {
                    id: "app-8".into(),
                    job_id: None,
                    archived: false,
                    updated_at: Utc::now() + chrono::Duration::hours(1),
                },
            },
            IndexUpdate::Interview(upcoming("iv-late", Some("7"), None)),
        ]
    };
    for rotation in 0..4 {
        let store = Arc::new(MemoryStore::new());
        let taker = Arc::new(RecordingNoteTaker::new());
        let engine = Engine::new(store.clone(), taker.clone());
        engine
            .apply_updates(vec![
                IndexUpdate::Candidate(person("7", "ada@example.com", "app-7")),
                IndexUpdate::CandidateGone {
                    key: key("7"),
                    anonymized: false,
                },
            ])
            .await
            .unwrap();
        let mut late = late_updates();
        late.rotate_left(rotation);
        let report = engine.apply_updates(late).await.unwrap();
        assert_eq!(report.ignored_deleted, 4, "{report:?}");
        assert!(store.candidate(&key("7")).await.unwrap().is_none());
        assert!(
            store
                .candidates_by_email(&tenant("acme"), "ada@example.com")
                .await
                .unwrap()
                .is_empty()
        );
        assert!(store.interviews(&tenant("acme")).await.unwrap().is_empty());
        assert!(
            !taker
                .calls()
                .iter()
                .any(|c| matches!(c, NoteTakerCall::Scheduled(..))),
            "no recording for a deleted person"
        );
    }
}

#[tokio::test]
async fn purging_cancels_every_upcoming_recording_of_the_person() {
    let store = Arc::new(MemoryStore::new());
    let taker = Arc::new(RecordingNoteTaker::new());
    let engine = Engine::new(store.clone(), taker.clone());
    let by_candidate = upcoming("iv-1", Some("7"), None);
    let by_application = upcoming("iv-2", None, Some("app-7"));
    let merged_away = upcoming("iv-3", Some("6"), None);
    engine
        .apply_updates(vec![
            IndexUpdate::Candidate(person("6", "ada@old.example", "app-6")),
            IndexUpdate::Candidate(person("7", "ada@example.com", "app-7")),
            IndexUpdate::Interview(by_candidate.clone()),
            IndexUpdate::Interview(by_application.clone()),
            IndexUpdate::Interview(merged_away.clone()),
            IndexUpdate::CandidateMerged {
                from: key("6"),
                into_id: "7".into(),
            },
            IndexUpdate::CandidateGone {
                key: key("7"),
                anonymized: false,
            },
        ])
        .await
        .unwrap();
    let mut gone = cancelled(&taker);
    gone.sort();
    let mut expected: Vec<String> = [by_candidate, by_application, merged_away]
        .iter()
        .map(|i| interview_meeting_id(i).as_str().to_owned())
        .collect();
    expected.sort();
    assert_eq!(gone, expected);
    assert!(store.interviews(&tenant("acme")).await.unwrap().is_empty());
    assert!(store.candidate(&key("6")).await.unwrap().is_none());
}

#[tokio::test]
async fn a_deleted_application_stays_deleted_but_the_person_may_apply_again() {
    let store = Arc::new(MemoryStore::new());
    let engine = Engine::new(store.clone(), Arc::new(RecordingNoteTaker::new()));
    let lever_key = CandidateKey {
        ats: Ats::Lever,
        ..key("contact-1")
    };
    let opportunity = |id: &str| IndexUpdate::Application {
        key: lever_key.clone(),
        name: Some("Ada".into()),
        emails: vec!["ada@example.com".into()],
        application: IndexedApplication {
            id: id.into(),
            job_id: None,
            archived: false,
            updated_at: Utc::now(),
        },
    };
    engine
        .apply_updates(vec![
            opportunity("opp-1"),
            IndexUpdate::ApplicationGone {
                tenant: tenant("acme"),
                ats: Ats::Lever,
                candidate_id: None,
                application_id: "opp-1".into(),
            },
        ])
        .await
        .unwrap();
    assert!(store.candidate(&lever_key).await.unwrap().is_none());
    // A late copy of the deleted opportunity is ignored...
    let report = engine
        .apply_updates(vec![opportunity("opp-1")])
        .await
        .unwrap();
    assert_eq!(report.ignored_deleted, 1);
    assert!(store.candidate(&lever_key).await.unwrap().is_none());
    // ...but a new application of the same contact is indexed.
    engine
        .apply_updates(vec![opportunity("opp-2")])
        .await
        .unwrap();
    let back = store.candidate(&lever_key).await.unwrap().unwrap();
    assert_eq!(back.applications.len(), 1);
    assert_eq!(back.applications[0].id, "opp-2");
}

#[tokio::test]
async fn a_corrected_address_replaces_the_old_one() {
    let store = Arc::new(MemoryStore::new());
    let engine = Engine::new(store.clone(), Arc::new(RecordingNoteTaker::new()));
    let lever_key = CandidateKey {
        ats: Ats::Lever,
        ..key("contact-1")
    };
    let update = |email: &str, minutes: i64| IndexUpdate::Application {
        key: lever_key.clone(),
        name: Some("Ada".into()),
        emails: vec![email.into()],
        application: IndexedApplication {
            id: "opp-1".into(),
            job_id: None,
            archived: false,
            updated_at: Utc::now() + chrono::Duration::minutes(minutes),
        },
    };
    engine
        .apply_updates(vec![
            update("ada@typo.example", 0),
            update("ada@example.com", 5),
        ])
        .await
        .unwrap();
    let acme = tenant("acme");
    assert!(
        store
            .candidates_by_email(&acme, "ada@typo.example")
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store
            .candidates_by_email(&acme, "ada@example.com")
            .await
            .unwrap()
            .len(),
        1
    );
    // An older copy arriving late does not bring the typo back.
    engine
        .apply_updates(vec![update("ada@typo.example", -5)])
        .await
        .unwrap();
    assert!(
        store
            .candidates_by_email(&acme, "ada@typo.example")
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn interviews_missing_from_a_complete_sync_are_cancelled() {
    let store = Arc::new(MemoryStore::new());
    let taker = Arc::new(RecordingNoteTaker::new());
    let engine = Engine::new(store.clone(), taker.clone());
    let kept = upcoming("iv-kept", Some("7"), None);
    let vanished = upcoming("iv-gone", Some("7"), None);
    let mut past = upcoming("iv-past", Some("7"), None);
    past.start = Utc::now() - chrono::Duration::days(1);
    engine
        .apply_updates(vec![
            IndexUpdate::Interview(kept.clone()),
            IndexUpdate::Interview(vanished.clone()),
            IndexUpdate::Interview(past),
        ])
        .await
        .unwrap();
    let before = cancelled(&taker).len();
    engine
        .apply_updates(vec![IndexUpdate::UpcomingInterviews {
            tenant: tenant("acme"),
            ats: Ats::Greenhouse,
            interview_ids: vec!["iv-kept".into()],
            as_of: Utc::now(),
        }])
        .await
        .unwrap();
    assert_eq!(
        cancelled(&taker)[before..],
        [interview_meeting_id(&vanished).as_str().to_owned()]
    );
    let left: Vec<_> = store
        .interviews(&tenant("acme"))
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.interview_id)
        .collect();
    assert_eq!(left, ["iv-past", "iv-kept"]);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn late_update(op: u8, minutes: i64) -> IndexUpdate {
        let at = Utc::now() + chrono::Duration::minutes(minutes);
        match op % 5 {
            0 => IndexUpdate::Candidate(IndexedCandidate {
                updated_at: at,
                ..person("7", "ada@example.com", "app-7")
            }),
            1 => IndexUpdate::Profile {
                key: key("7"),
                name: Some("Ada".into()),
                emails: vec!["ada@example.com".into()],
                updated_at: at,
            },
            2 => IndexUpdate::Application {
                key: key("7"),
                name: None,
                emails: vec!["ada@example.com".into()],
                application: IndexedApplication {
                    id: format!("app-{minutes}"),
                    job_id: None,
                    archived: false,
                    updated_at: at,
                },
            },
            3 => IndexUpdate::Interview(upcoming(&format!("iv-{minutes}"), Some("7"), None)),
            _ => {
                IndexUpdate::Interview(upcoming(&format!("iv-app-{minutes}"), None, Some("app-7")))
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        /// Deletion is final: any sequence of late updates of any kind and
        /// any timestamp, applied after the deletion, leaves no trace of
        /// the person and schedules no recording for them.
        #[test]
        fn no_sequence_of_late_updates_brings_a_deleted_person_back(
            ops in prop::collection::vec((any::<u8>(), -120i64..120), 1..12),
        ) {
            let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
            rt.block_on(async move {
                let store = Arc::new(MemoryStore::new());
                let taker = Arc::new(RecordingNoteTaker::new());
                let engine = Engine::new(store.clone(), taker.clone());
                engine
                    .apply_updates(vec![
                        IndexUpdate::Candidate(person("7", "ada@example.com", "app-7")),
                        IndexUpdate::CandidateGone { key: key("7"), anonymized: false },
                    ])
                    .await
                    .unwrap();
                let updates = ops.iter().map(|&(op, m)| late_update(op, m)).collect();
                engine.apply_updates(updates).await.unwrap();
                assert!(store.candidate(&key("7")).await.unwrap().is_none());
                assert!(store
                    .candidates_by_email(&tenant("acme"), "ada@example.com").await
                    .unwrap()
                    .is_empty());
                assert!(!taker
                    .calls()
                    .iter()
                    .any(|c| matches!(c, NoteTakerCall::Scheduled(..))));
            });
        }

        /// No tenant stalls another: whatever the backlogs, one claim of
        /// as many entries as there are tenants takes one from each, in
        /// both stores.
        #[test]
        fn every_tenant_with_due_work_is_served_in_each_pass(
            backlogs in prop::collection::vec(1usize..40, 1..7),
        ) {
            let memory: Arc<dyn Store> = Arc::new(MemoryStore::new());
            let sqlite: Arc<dyn Store> = Arc::new(SqliteStore::open_in_memory().unwrap());
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            let served_per_store = rt.block_on(async {
            let mut served_per_store = Vec::new();
            for store in [memory, sqlite] {
                let now = Utc::now();
                for (t, &n) in backlogs.iter().enumerate() {
                    let id = tenant(&format!("t{t}"));
                    for i in 0..n {
                        let mut e = entry(&id, &format!("m{i}"));
                        // Bigger backlogs are older: the worst case for a FIFO scan.
                        e.next_attempt_at = now - chrono::Duration::minutes((n * 10 + i) as i64);
                        e.created_at = e.next_attempt_at;
                        store.enqueue_note(&e).await.unwrap();
                    }
                }
                let claimed = store
                    .claim_due_notes("w", now, now + chrono::Duration::minutes(5), backlogs.len()).await
                    .unwrap();
                let mut served: Vec<String> =
                    claimed.iter().map(|e| e.key.tenant.to_string()).collect();
                served.sort();
                served.dedup();
                served_per_store.push(served.len());
            }
            served_per_store
            });
            for served in served_per_store {
                prop_assert_eq!(served, backlogs.len());
            }
        }
    }
}

/// Lever deliveries dedupe on their signed token alone (no body digest):
/// a byte-identical replay, and a replay whose unsigned fields were edited
/// under the same signature, are both duplicates; on memory and on a
/// SQLite file (the group-commit path).
#[tokio::test]
async fn a_replayed_lever_delivery_is_a_duplicate_however_its_body_was_edited() {
    let lever = lever_client::testing::FakeLever::start_empty().await;
    let dir = tempfile::tempdir().unwrap();
    let stores: [Arc<dyn Store>; 2] = [
        Arc::new(MemoryStore::new()),
        Arc::new(SqliteStore::open(dir.path().join("d.sqlite3")).unwrap()),
    ];
    for store in stores {
        let engine = Engine::new(store, Arc::new(RecordingNoteTaker::new()));
        let connection =
            aspect_sync_engine::lever::LeverConnection::new(lever.client(), lever.verifier());
        engine
            .add_tenant(
                Tenant::new(tenant("acme"), TenantSettings::default()).with_lever(connection),
            )
            .unwrap();
        let body = lever.signed_webhook(
            "candidateStageChange",
            serde_json::json!({ "opportunityId": "opp-1", "toStageId": "stage-2" }),
        );
        let receive = |bytes: Vec<u8>| {
            let engine = &engine;
            async move {
                engine
                    .receive_webhook(
                        Ats::Lever,
                        &tenant("acme"),
                        &WebhookHeaders::default(),
                        &bytes,
                    )
                    .await
                    .unwrap()
            }
        };
        assert_eq!(receive(body.clone()).await, Received::Recorded);
        assert_eq!(receive(body.clone()).await, Received::Duplicate);
        // Lever signs token + triggeredAt only: the data can be edited
        // without breaking the signature, and the token still names it.
        let edited = String::from_utf8(body)
            .unwrap()
            .replace("stage-2", "stage-9")
            .into_bytes();
        assert_eq!(receive(edited).await, Received::Duplicate);
    }
}

/// An ATS that never answers (a customer's outage that hangs instead of
/// failing): posts, note lists and webhook reads all wait forever.
#[derive(Default)]
struct HangingAts {
    calls: AtomicU32,
}

impl HangingAts {
    async fn hang<T>(&self) -> T {
        self.calls.fetch_add(1, Ordering::Relaxed);
        std::future::pending().await
    }
}

#[async_trait]
impl AtsConnector for HangingAts {
    fn ats(&self) -> Ats {
        Ats::Greenhouse
    }
    async fn find_candidates_by_email(
        &self,
        _: &TenantId,
        _: &str,
    ) -> Result<Vec<IndexedCandidate>, ConnectorError> {
        self.hang().await
    }
    async fn note_texts(&self, _: &NoteTarget) -> Result<Vec<String>, ConnectorError> {
        self.hang().await
    }
    async fn post_note(&self, _: &NoteTarget, _: &str) -> Result<Option<String>, ConnectorError> {
        self.hang().await
    }
}

#[async_trait]
impl WebhookSource for HangingAts {
    fn ats(&self) -> Ats {
        Ats::Lever
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
        _: &[u8],
        _: &dyn Store,
    ) -> Result<Vec<IndexUpdate>, Error> {
        self.hang().await
    }
}

const HANG_LIMIT: Duration = Duration::from_millis(300);

fn hang_leases() -> LeaseSettings {
    LeaseSettings {
        lease: HANG_LIMIT * 8,
        call_limit: HANG_LIMIT,
    }
}

/// One customer's ATS hangs; another's works. One outbox pass posts every
/// note of the healthy customer and waits for the hanging one once (one
/// call limit), not once per queued note; the hanging customer's notes are
/// all kept for later.
#[tokio::test]
async fn a_hanging_ats_holds_up_only_its_own_customers_notes() {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let hanging = Arc::new(HangingAts::default());
    let healthy = Arc::new(CountingAts::default());
    let engine =
        Engine::new(store.clone(), Arc::new(RecordingNoteTaker::new())).with_leases(hang_leases());
    for (id, connector) in [
        ("down", hanging.clone() as Arc<dyn AtsConnector>),
        ("acme", healthy.clone() as Arc<dyn AtsConnector>),
    ] {
        engine
            .add_tenant(
                Tenant::new(tenant(id), TenantSettings::default()).with_connector(connector),
            )
            .unwrap();
    }
    let start = Utc::now() - chrono::Duration::minutes(10);
    for i in 0..8 {
        // The hanging customer's notes are older: first in every round.
        for (t, age) in [("down", 0), ("acme", 1)] {
            let mut e = entry(&tenant(t), &format!("{t}-{i}"));
            e.created_at = start + chrono::Duration::seconds(i * 2 + age);
            e.next_attempt_at = e.created_at;
            store.enqueue_note(&e).await.unwrap();
        }
    }
    let started = std::time::Instant::now();
    let report = engine.deliver_due_notes().await.unwrap();
    let took = started.elapsed();
    assert_eq!(report.posted, 8, "{report:?}");
    assert_eq!(healthy.posts().len(), 8);
    assert_eq!(
        hanging.calls.load(Ordering::Relaxed),
        1,
        "one attempt per pass"
    );
    assert!(
        took < HANG_LIMIT * 3,
        "the pass waited {took:?} for a hanging ATS (call limit {HANG_LIMIT:?})"
    );
    let kept = store.outbox(&tenant("down")).await.unwrap();
    assert_eq!(kept.len(), 8);
    assert!(kept.iter().all(|e| e.state.is_open()), "{kept:?}");
}

/// The same for webhook deliveries: the healthy customer's deliveries are
/// processed while the hanging customer's first one still waits, and the
/// pass waits for the hanging one once.
#[tokio::test]
async fn a_hanging_ats_holds_up_only_its_own_customers_deliveries() {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let hanging = Arc::new(HangingAts::default());
    let healthy = flaky(None);
    let engine =
        Engine::new(store.clone(), Arc::new(RecordingNoteTaker::new())).with_leases(hang_leases());
    engine
        .add_tenant(
            Tenant::new(tenant("down"), TenantSettings::default())
                .with_webhook_source(hanging.clone()),
        )
        .unwrap();
    engine
        .add_tenant(
            Tenant::new(tenant("ok"), TenantSettings::default())
                .with_webhook_source(healthy.clone()),
        )
        .unwrap();
    for i in 0..5 {
        for t in ["down", "ok"] {
            let body = format!("{{\"n\":{i}}}");
            engine
                .receive_webhook(
                    Ats::Lever,
                    &tenant(t),
                    &headers(&format!("{t}-{i}")),
                    body.as_bytes(),
                )
                .await
                .unwrap();
        }
    }
    let pass = engine.process_deliveries();
    let watch = async {
        let started = std::time::Instant::now();
        while healthy.calls.load(Ordering::Relaxed) < 5 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        started.elapsed()
    };
    let (report, healthy_done) = tokio::join!(pass, watch);
    let report = report.unwrap();
    assert!(
        healthy_done < HANG_LIMIT / 2,
        "the healthy customer waited {healthy_done:?} for another's hanging ATS"
    );
    assert_eq!(hanging.calls.load(Ordering::Relaxed), 1, "{report:?}");
    assert_eq!(report.deferred, 1, "{report:?}");
    // Nothing is dropped: the hanging customer's five are still queued.
    let far = Utc::now() + chrono::Duration::days(2);
    let queued = store.pending_deliveries(far, 100).await.unwrap();
    assert_eq!(queued.len(), 5);
    assert!(queued.iter().all(|d| d.tenant == tenant("down")));
}

/// The background workers: while one customer's lane waits for its hanging
/// ATS (for as long as the call limit allows), a note and a delivery of
/// another customer that arrive meanwhile are handled within moments, not
/// after the hang.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn background_workers_serve_other_customers_while_one_ats_hangs() {
    let limit = Duration::from_millis(1500);
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let hanging = Arc::new(HangingAts::default());
    let healthy = Arc::new(CountingAts::default());
    let healthy_source = flaky(None);
    let engine = Engine::new(store.clone(), Arc::new(RecordingNoteTaker::new())).with_leases(
        LeaseSettings {
            lease: limit * 8,
            call_limit: limit,
        },
    );
    engine
        .add_tenant(
            Tenant::new(tenant("down"), TenantSettings::default())
                .with_connector(hanging.clone())
                .with_webhook_source(hanging.clone()),
        )
        .unwrap();
    engine
        .add_tenant(
            Tenant::new(tenant("acme"), TenantSettings::default())
                .with_connector(healthy.clone())
                .with_webhook_source(healthy_source.clone()),
        )
        .unwrap();
    let engine = Arc::new(engine);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let workers = tokio::spawn(
        engine
            .clone()
            .run_workers(Duration::from_millis(50), async {
                let _ = stopped.await;
            }),
    );
    // The hanging customer's note and delivery come first and get stuck.
    store
        .enqueue_note(&entry(&tenant("down"), "stuck"))
        .await
        .unwrap();
    engine
        .receive_webhook(Ats::Lever, &tenant("down"), &headers("down-1"), b"{}")
        .await
        .unwrap();
    let waited = std::time::Instant::now();
    while hanging.calls.load(Ordering::Relaxed) < 2 {
        assert!(waited.elapsed() < limit, "the hanging ATS was never called");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // Now another customer's work arrives.
    let arrived = std::time::Instant::now();
    store
        .enqueue_note(&entry(&tenant("acme"), "live"))
        .await
        .unwrap();
    engine
        .receive_webhook(Ats::Lever, &tenant("acme"), &headers("acme-1"), b"{}")
        .await
        .unwrap();
    while healthy.posts().is_empty() || healthy_source.calls.load(Ordering::Relaxed) == 0 {
        assert!(
            arrived.elapsed() < limit / 3,
            "the healthy customer waited {:?} behind a hanging ATS",
            arrived.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let _ = stop.send(());
    workers.await.unwrap();
    // The hanging customer's note was kept for later, not dropped.
    let kept = store.outbox(&tenant("down")).await.unwrap();
    assert_eq!(kept.len(), 1);
    assert!(kept[0].state.is_open(), "{kept:?}");
}

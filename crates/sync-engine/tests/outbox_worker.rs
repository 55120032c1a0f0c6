//! The outbox worker against a scripted connector: retries, unknown outcomes,
//! crashes between post and record, revocation and resume.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aspect_sync_engine::index::IndexedCandidate;
use aspect_sync_engine::outbox::{NoteTarget, OutboxEntry, OutboxKey, OutboxState};
use aspect_sync_engine::store::{MemoryStore, Store};
use aspect_sync_engine::worker::RetrySchedule;
use aspect_sync_engine::{
    Ats, AtsConnector, ConnectorError, Engine, FailureKind, RecordingNoteTaker, Tenant, TenantId,
    TenantSettings,
};
use async_trait::async_trait;

/// What the scripted ATS does with the next post.
#[derive(Clone, Copy)]
enum Script {
    Accept,
    /// Refuse with 429 and `Retry-After` (nothing stored).
    RateLimited,
    /// Fail before reaching the ATS, with no hint of when to retry.
    Unreachable,
    /// Store the note, then report an unknown outcome (timeout after send).
    AcceptButTimeOut,
    Revoked,
}

#[derive(Default)]
struct ScriptedAts {
    script: Mutex<VecDeque<Script>>,
    notes: Mutex<Vec<String>>,
    posts: Mutex<u32>,
}

impl ScriptedAts {
    fn with(script: &[Script]) -> Arc<Self> {
        Arc::new(Self {
            script: Mutex::new(script.iter().copied().collect()),
            ..Default::default()
        })
    }
    fn notes(&self) -> Vec<String> {
        self.notes.lock().unwrap().clone()
    }
}

#[async_trait]
impl AtsConnector for ScriptedAts {
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
    async fn note_texts(&self, _: &NoteTarget) -> Result<Vec<String>, ConnectorError> {
        Ok(self.notes())
    }
    async fn post_note(
        &self,
        _: &NoteTarget,
        body: &str,
    ) -> Result<Option<String>, ConnectorError> {
        *self.posts.lock().unwrap() += 1;
        let step = self
            .script
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or(Script::Accept);
        let err = |kind| Err(ConnectorError::new(Ats::Greenhouse, kind, "scripted"));
        match step {
            Script::Accept => {
                self.notes.lock().unwrap().push(body.to_owned());
                Ok(Some(format!("note-{}", self.notes().len())))
            }
            Script::RateLimited => err(FailureKind::Transient {
                retry_after: Some(Duration::ZERO),
            }),
            Script::Unreachable => err(FailureKind::Transient { retry_after: None }),
            Script::AcceptButTimeOut => {
                self.notes.lock().unwrap().push(body.to_owned());
                err(FailureKind::OutcomeUnknown)
            }
            Script::Revoked => err(FailureKind::Revoked),
        }
    }
}

fn tenant() -> TenantId {
    TenantId::new("acme").unwrap()
}

fn engine(ats: Arc<ScriptedAts>) -> (Engine, Arc<MemoryStore>) {
    let store = Arc::new(MemoryStore::new());
    let engine = Engine::new(store.clone(), Arc::new(RecordingNoteTaker::new()))
        .with_retry_schedule(RetrySchedule {
            base_delay: Duration::ZERO,
            max_delay: Duration::ZERO,
            max_attempts: 5,
        });
    engine
        .add_tenant(Tenant::new(tenant(), TenantSettings::default()).with_connector(ats))
        .unwrap();
    (engine, store)
}

fn entry(meeting: &str) -> OutboxEntry {
    OutboxEntry::new(
        OutboxKey {
            tenant: tenant(),
            meeting_id: meeting.into(),
            ats: Ats::Greenhouse,
            candidate_id: "42".into(),
        },
        NoteTarget {
            candidate_id: "42".into(),
            application_id: None,
        },
        format!("Summary\n[aspect-meeting:{meeting}]"),
        format!("[aspect-meeting:{meeting}]"),
    )
}

#[tokio::test]
async fn posts_once_and_only_once() {
    let ats = ScriptedAts::with(&[]);
    let (engine, store) = engine(ats.clone());
    assert!(store.enqueue_note(&entry("m1")).await.unwrap());
    assert!(!store.enqueue_note(&entry("m1")).await.unwrap());
    let report = engine.deliver_due_notes().await.unwrap();
    assert_eq!(report.posted, 1);
    assert_eq!(engine.deliver_due_notes().await.unwrap().posted, 0);
    assert_eq!(ats.notes().len(), 1);
    let stored = store.outbox_entry(&entry("m1").key).await.unwrap().unwrap();
    assert!(matches!(
        stored.state,
        OutboxState::Posted {
            note_id: Some(_),
            ..
        }
    ));
}

#[tokio::test]
async fn rate_limited_post_is_retried_later() {
    let ats = ScriptedAts::with(&[Script::RateLimited, Script::RateLimited]);
    let (engine, store) = engine(ats.clone());
    store.enqueue_note(&entry("m1")).await.unwrap();
    assert_eq!(engine.deliver_due_notes().await.unwrap().rescheduled, 1);
    let pending = store.outbox_entry(&entry("m1").key).await.unwrap().unwrap();
    assert_eq!(
        pending.state,
        OutboxState::Pending,
        "429 means nothing was written"
    );
    assert_eq!(engine.deliver_due_notes().await.unwrap().rescheduled, 1);
    assert_eq!(engine.deliver_due_notes().await.unwrap().posted, 1);
    assert_eq!(ats.notes().len(), 1);
}

#[tokio::test]
async fn unknown_outcome_is_resolved_by_the_marker_not_a_second_post() {
    let ats = ScriptedAts::with(&[Script::AcceptButTimeOut]);
    let (engine, store) = engine(ats.clone());
    store.enqueue_note(&entry("m1")).await.unwrap();
    assert_eq!(engine.deliver_due_notes().await.unwrap().rescheduled, 1);
    let report = engine.deliver_due_notes().await.unwrap();
    assert_eq!(report.already_present, 1);
    assert_eq!(report.posted, 0);
    assert_eq!(ats.notes().len(), 1, "no duplicate note");
    assert_eq!(*ats.posts.lock().unwrap(), 1);
}

#[tokio::test]
async fn crash_between_post_and_record_does_not_duplicate() {
    let ats = ScriptedAts::with(&[]);
    let (engine, store) = engine(ats.clone());
    // The previous process marked the entry Sending, the ATS stored the note,
    // and the process died before recording success.
    let mut e = entry("m1");
    ats.notes.lock().unwrap().push(e.body.clone());
    e.state = OutboxState::Sending;
    e.attempts = 1;
    store.enqueue_note(&e).await.unwrap();
    let report = engine.deliver_due_notes().await.unwrap();
    assert_eq!(report.already_present, 1);
    assert_eq!(*ats.posts.lock().unwrap(), 0);
    assert_eq!(ats.notes().len(), 1);
}

#[tokio::test]
async fn revoked_credentials_park_everything_until_resumed() {
    let ats = ScriptedAts::with(&[Script::Revoked]);
    let (engine, store) = engine(ats.clone());
    for m in ["m1", "m2", "m3"] {
        store.enqueue_note(&entry(m)).await.unwrap();
    }
    let report = engine.deliver_due_notes().await.unwrap();
    assert_eq!(report.parked, 3, "{report:?}");
    assert_eq!(
        *ats.posts.lock().unwrap(),
        1,
        "one failed request, no retry loop"
    );
    assert!(
        store
            .outbox(&tenant())
            .await
            .unwrap()
            .iter()
            .all(|e| matches!(e.state, OutboxState::Parked { .. }))
    );
    assert_eq!(
        engine.deliver_due_notes().await.unwrap(),
        Default::default(),
        "parked stays parked"
    );

    assert_eq!(
        engine
            .resume_tenant(&tenant(), Ats::Greenhouse)
            .await
            .unwrap(),
        3
    );
    let report = engine.deliver_due_notes().await.unwrap();
    assert_eq!(report.posted, 3);
    assert_eq!(ats.notes().len(), 3);
}

#[tokio::test]
async fn transient_failures_give_up_after_max_attempts() {
    let ats = ScriptedAts::with(&[Script::Unreachable; 10]);
    let (engine, store) = engine(ats.clone());
    store.enqueue_note(&entry("m1")).await.unwrap();
    for _ in 0..5 {
        engine.deliver_due_notes().await.unwrap();
    }
    let e = store.outbox_entry(&entry("m1").key).await.unwrap().unwrap();
    assert!(
        matches!(e.state, OutboxState::Failed { .. }),
        "{:?}",
        e.state
    );
    assert_eq!(*ats.posts.lock().unwrap(), 5);
}

/// A 429 with `Retry-After` is the ATS pacing us: the note backs off and
/// waits for as long as it takes, and is posted once the ATS accepts.
#[tokio::test]
async fn rate_limited_notes_wait_instead_of_giving_up() {
    let ats = ScriptedAts::with(&[Script::RateLimited; 10]);
    let (engine, store) = engine(ats.clone());
    store.enqueue_note(&entry("m1")).await.unwrap();
    for _ in 0..10 {
        let report = engine.deliver_due_notes().await.unwrap();
        assert_eq!(report.failed, 0);
    }
    let e = store.outbox_entry(&entry("m1").key).await.unwrap().unwrap();
    assert_eq!(e.state, OutboxState::Pending, "twice max_attempts refusals");
    assert!(
        e.attempts >= 10,
        "each refusal still counts for the backoff"
    );
    let report = engine.deliver_due_notes().await.unwrap();
    assert_eq!(report.posted, 1);
    assert_eq!(ats.notes().len(), 1, "posted exactly once");
    assert_eq!(*ats.posts.lock().unwrap(), 11);
}

#[tokio::test]
async fn entries_of_a_disconnected_ats_wait_without_blocking_the_others() {
    let ats = ScriptedAts::with(&[]);
    let (engine, store) = engine(ats.clone());
    let mut lever_entry = entry("m-lever");
    lever_entry.key.ats = Ats::Lever;
    store.enqueue_note(&lever_entry).await.unwrap();
    store.enqueue_note(&entry("m1")).await.unwrap();
    let report = engine.deliver_due_notes().await.unwrap();
    assert_eq!(report.posted, 1, "the Greenhouse note went out");
    let waiting = store.outbox_entry(&lever_entry.key).await.unwrap().unwrap();
    assert_eq!(waiting.state, OutboxState::Pending);
}

//! "Sync now": paging, progress, resume after a crash, incremental runs.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use aspect_sync_engine::index::{CandidateKey, CandidateStatus, IndexedCandidate};
use aspect_sync_engine::ingest::IndexUpdate;
use aspect_sync_engine::store::{MemoryStore, Store};
use aspect_sync_engine::sync::{SyncPage, SyncProgress, SyncSource};
use aspect_sync_engine::{
    Ats, ConnectorError, Engine, Error, FailureKind, RecordingNoteTaker, Tenant, TenantId,
    TenantSettings,
};

/// The `(since, cursor)` of each page request.
type PageCalls = Mutex<Vec<(Option<DateTime<Utc>>, Option<String>)>>;

/// Three pages of two candidates each; can be told to fail on one page once.
#[derive(Default)]
struct PagedAts {
    fail_on_cursor: Mutex<Option<String>>,
    calls: PageCalls,
    /// How long each page takes (a slow ATS).
    page_delay: Mutex<std::time::Duration>,
}

fn candidate(tenant: &TenantId, id: u32) -> IndexUpdate {
    IndexUpdate::Candidate(IndexedCandidate {
        key: CandidateKey {
            tenant: tenant.clone(),
            ats: Ats::Greenhouse,
            candidate_id: id.to_string(),
        },
        name: None,
        emails: vec![format!("c{id}@example.com")],
        status: CandidateStatus::Active,
        applications: vec![],
        updated_at: Utc::now(),
    })
}

#[async_trait]
impl SyncSource for PagedAts {
    fn ats(&self) -> Ats {
        Ats::Greenhouse
    }
    fn resources(&self) -> &'static [&'static str] {
        &["candidates"]
    }
    async fn page(
        &self,
        tenant: &TenantId,
        _resource: &str,
        since: Option<DateTime<Utc>>,
        cursor: Option<&str>,
    ) -> Result<SyncPage, Error> {
        self.calls
            .lock()
            .unwrap()
            .push((since, cursor.map(str::to_owned)));
        let delay = *self.page_delay.lock().unwrap();
        tokio::time::sleep(delay).await;
        let mut fail = self.fail_on_cursor.lock().unwrap();
        if fail.is_some() && fail.as_deref() == cursor {
            *fail = None;
            return Err(ConnectorError::new(
                Ats::Greenhouse,
                FailureKind::Transient { retry_after: None },
                "boom",
            )
            .into());
        }
        let Ok(page) = cursor.map_or(Ok(0), |c| c.trim_start_matches("page-").parse::<u32>())
        else {
            // Like Lever's "Invalid offset token" (a 400).
            return Err(ConnectorError::new(
                Ats::Greenhouse,
                FailureKind::Permanent,
                "invalid cursor",
            )
            .into());
        };
        if since.is_some() {
            // Incremental: nothing changed.
            return Ok(SyncPage::default());
        }
        Ok(SyncPage {
            updates: vec![candidate(tenant, page * 2), candidate(tenant, page * 2 + 1)],
            next_cursor: (page < 2).then(|| format!("page-{}", page + 1)),
        })
    }
}

fn setup() -> (Engine, Arc<MemoryStore>, Arc<PagedAts>, TenantId) {
    let store = Arc::new(MemoryStore::new());
    let ats = Arc::new(PagedAts::default());
    let tenant = TenantId::new("acme").unwrap();
    let engine = Engine::new(store.clone(), Arc::new(RecordingNoteTaker::new()));
    engine
        .add_tenant(
            Tenant::new(tenant.clone(), TenantSettings::default()).with_sync_source(ats.clone()),
        )
        .unwrap();
    (engine, store, ats, tenant)
}

#[tokio::test]
async fn full_sync_reports_progress_per_page() {
    let (engine, store, ats, tenant) = setup();
    let mut seen: Vec<SyncProgress> = Vec::new();
    let report = engine
        .sync_now(&tenant, Ats::Greenhouse, |p| seen.push(p.clone()))
        .await
        .unwrap();
    assert_eq!(report.candidates, 6);
    assert_eq!(store.candidate_count(&tenant).await.unwrap(), 6);
    assert_eq!(seen.len(), 3);
    assert_eq!(seen.last().unwrap().pages, 3);
    assert!(seen.last().unwrap().done && !seen[0].done);
    assert_eq!(ats.calls.lock().unwrap().len(), 3, "one request per page");
}

#[tokio::test]
async fn an_interrupted_sync_resumes_from_its_checkpoint() {
    let (engine, store, ats, tenant) = setup();
    *ats.fail_on_cursor.lock().unwrap() = Some("page-2".into());
    assert!(
        engine
            .sync_now(&tenant, Ats::Greenhouse, |_| {})
            .await
            .is_err()
    );
    assert_eq!(store.candidate_count(&tenant).await.unwrap(), 4);

    let mut seen = Vec::new();
    engine
        .sync_now(&tenant, Ats::Greenhouse, |p| seen.push(p.clone()))
        .await
        .unwrap();
    assert!(seen[0].resumed);
    assert_eq!(store.candidate_count(&tenant).await.unwrap(), 6);
    let calls = ats.calls.lock().unwrap();
    // page-0, page-1, page-2 (failed), then page-2 again: no restart from the top.
    let cursors: Vec<_> = calls.iter().map(|(_, c)| c.clone()).collect();
    assert_eq!(
        cursors,
        vec![
            None,
            Some("page-1".into()),
            Some("page-2".into()),
            Some("page-2".into())
        ]
    );
}

#[tokio::test]
async fn the_second_sync_is_incremental() {
    let (engine, _, ats, tenant) = setup();
    let before = Utc::now();
    engine
        .sync_now(&tenant, Ats::Greenhouse, |_| {})
        .await
        .unwrap();
    let mut seen = Vec::new();
    engine
        .sync_now(&tenant, Ats::Greenhouse, |p| seen.push(p.clone()))
        .await
        .unwrap();
    assert!(seen[0].incremental);
    let calls = ats.calls.lock().unwrap();
    let since = calls
        .last()
        .unwrap()
        .0
        .expect("incremental run passes `since`");
    assert!(since >= before, "since is the first run's start time");
}

#[tokio::test]
async fn sync_of_an_unconnected_ats_is_a_clear_error() {
    let (engine, _, _, tenant) = setup();
    let err = engine
        .sync_now(&tenant, Ats::Lever, |_| {})
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("no lever connection"), "{err}");
}

#[tokio::test]
async fn a_saved_cursor_the_ats_refuses_restarts_the_resource() {
    let (engine, store, ats, tenant) = setup();
    store
        .set_checkpoint(
            &tenant,
            "sync:greenhouse:candidates:cursor",
            "expired-token",
        )
        .await
        .unwrap();
    let mut seen = Vec::new();
    let report = engine
        .sync_now(&tenant, Ats::Greenhouse, |p| seen.push(p.clone()))
        .await
        .unwrap();
    assert_eq!(report.candidates, 6);
    assert!(!seen.last().unwrap().resumed);
    let cursors: Vec<_> = ats
        .calls
        .lock()
        .unwrap()
        .iter()
        .map(|(_, c)| c.clone())
        .collect();
    assert_eq!(cursors[0].as_deref(), Some("expired-token"));
    assert_eq!(cursors[1], None, "restarted from the first page");
}

#[tokio::test]
async fn a_sync_already_running_elsewhere_is_not_started_twice() {
    let (engine, store, ats, tenant) = setup();
    // Another replica holds the lease.
    let now = Utc::now();
    assert!(
        store
            .acquire_sync_lease(
                &tenant,
                Ats::Greenhouse,
                "replica-2",
                now,
                now + chrono::Duration::minutes(5)
            )
            .await
            .unwrap()
    );
    let err = engine
        .sync_now(&tenant, Ats::Greenhouse, |_| {})
        .await
        .unwrap_err();
    assert!(matches!(err, Error::SyncInProgress { .. }), "{err}");
    assert!(ats.calls.lock().unwrap().is_empty(), "no page was fetched");
    // Once it is released, Sync now runs.
    store
        .release_sync_lease(&tenant, Ats::Greenhouse, "replica-2")
        .await
        .unwrap();
    let report = engine
        .sync_now(&tenant, Ats::Greenhouse, |_| {})
        .await
        .unwrap();
    assert_eq!(report.candidates, 6);
    // Its own lease is gone afterwards: another replica may sync next.
    assert!(
        store
            .acquire_sync_lease(&tenant, Ats::Greenhouse, "replica-2", now, now)
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn two_engines_on_one_store_run_one_sync_at_a_time() {
    let (engine, store, ats, tenant) = setup();
    *ats.page_delay.lock().unwrap() = std::time::Duration::from_millis(40);
    let other = Engine::new(store.clone(), Arc::new(RecordingNoteTaker::new()));
    other
        .add_tenant(
            Tenant::new(tenant.clone(), TenantSettings::default()).with_sync_source(ats.clone()),
        )
        .unwrap();
    let (a, b) = tokio::join!(
        engine.sync_now(&tenant, Ats::Greenhouse, |_| {}),
        other.sync_now(&tenant, Ats::Greenhouse, |_| {}),
    );
    let refused = [&a, &b]
        .iter()
        .filter(|r| matches!(r, Err(Error::SyncInProgress { .. })))
        .count();
    assert_eq!(refused, 1, "{a:?} {b:?}");
    assert_eq!(ats.calls.lock().unwrap().len(), 3, "one run's pages only");
    assert_eq!(store.candidate_count(&tenant).await.unwrap(), 6);
}

/// One page of Lever-style updates (one per opportunity), fixed.
struct OnePage(Vec<IndexUpdate>);

#[async_trait]
impl SyncSource for OnePage {
    fn ats(&self) -> Ats {
        Ats::Lever
    }
    fn resources(&self) -> &'static [&'static str] {
        &["opportunities"]
    }
    async fn page(
        &self,
        _tenant: &TenantId,
        _resource: &str,
        _since: Option<DateTime<Utc>>,
        _cursor: Option<&str>,
    ) -> Result<SyncPage, Error> {
        Ok(SyncPage {
            updates: self.0.clone(),
            next_cursor: None,
        })
    }
}

fn lever_key(tenant: &TenantId, id: &str) -> CandidateKey {
    CandidateKey {
        tenant: tenant.clone(),
        ats: Ats::Lever,
        candidate_id: id.into(),
    }
}

fn opportunity(tenant: &TenantId, contact: &str, id: &str) -> IndexUpdate {
    IndexUpdate::Application {
        key: lever_key(tenant, contact),
        name: Some(format!("Contact {contact}")),
        emails: vec![format!("{contact}@Example.com")],
        application: aspect_sync_engine::index::IndexedApplication {
            id: id.into(),
            job_id: None,
            archived: false,
            updated_at: Utc::now(),
        },
    }
}

/// A page is written in one batch; deleted people and applications in it
/// stay deleted, and several updates of one person in a page compose.
async fn a_synced_page_keeps_deleted_people_deleted(store: Arc<dyn Store>) {
    let tenant = TenantId::new("acme").unwrap();
    let now = Utc::now();
    use aspect_sync_engine::store::TombstoneKind;
    store
        .add_tombstone(&tenant, Ats::Lever, TombstoneKind::Candidate, "gone", now)
        .await
        .unwrap();
    store
        .add_tombstone(
            &tenant,
            Ats::Lever,
            TombstoneKind::Application,
            "opp-x",
            now,
        )
        .await
        .unwrap();
    let page = vec![
        opportunity(&tenant, "kept", "opp-1"),
        opportunity(&tenant, "gone", "opp-2"),
        opportunity(&tenant, "kept", "opp-3"),
        opportunity(&tenant, "new", "opp-x"),
        IndexUpdate::Candidate(IndexedCandidate {
            key: lever_key(&tenant, "gone"),
            name: None,
            emails: vec!["gone@example.com".into()],
            status: CandidateStatus::Active,
            applications: vec![],
            updated_at: now,
        }),
    ];
    let engine = Engine::new(store.clone(), Arc::new(RecordingNoteTaker::new()));
    engine
        .add_tenant(
            Tenant::new(tenant.clone(), TenantSettings::default())
                .with_sync_source(Arc::new(OnePage(page))),
        )
        .unwrap();
    let report = engine.sync_now(&tenant, Ats::Lever, |_| {}).await.unwrap();
    assert_eq!(report.candidates, 2, "{report:?}");
    assert_eq!(report.ignored_deleted, 3, "{report:?}");
    assert!(
        store
            .candidate(&lever_key(&tenant, "gone"))
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .candidate(&lever_key(&tenant, "new"))
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .candidates_by_email(&tenant, "gone@example.com")
            .await
            .unwrap()
            .is_empty()
    );
    let kept = store
        .candidate(&lever_key(&tenant, "kept"))
        .await
        .unwrap()
        .unwrap();
    let apps: Vec<&str> = kept.applications.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(apps, ["opp-1", "opp-3"]);
    assert_eq!(kept.emails, ["kept@example.com"]);
    assert_eq!(store.candidate_count(&tenant).await.unwrap(), 1);
}

#[tokio::test]
async fn a_synced_page_keeps_deleted_people_deleted_in_memory() {
    a_synced_page_keeps_deleted_people_deleted(Arc::new(MemoryStore::new())).await;
}

#[tokio::test]
async fn a_synced_page_keeps_deleted_people_deleted_in_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let store = aspect_sync_engine::store::SqliteStore::open(dir.path().join("s.sqlite3")).unwrap();
    a_synced_page_keeps_deleted_people_deleted(Arc::new(store)).await;
}

/// A stale update in a page does not roll back what the index has.
#[tokio::test]
async fn a_synced_page_never_replaces_newer_data() {
    let tenant = TenantId::new("acme").unwrap();
    let store = Arc::new(MemoryStore::new());
    let newer = IndexedCandidate {
        key: lever_key(&tenant, "c"),
        name: Some("New name".into()),
        emails: vec!["new@example.com".into()],
        status: CandidateStatus::Active,
        applications: vec![],
        updated_at: Utc::now(),
    };
    store.upsert_candidate(&newer).await.unwrap();
    let old = IndexedCandidate {
        name: Some("Old name".into()),
        emails: vec!["old@example.com".into()],
        updated_at: newer.updated_at - chrono::Duration::hours(1),
        ..newer.clone()
    };
    let engine = Engine::new(store.clone(), Arc::new(RecordingNoteTaker::new()));
    engine
        .add_tenant(
            Tenant::new(tenant.clone(), TenantSettings::default())
                .with_sync_source(Arc::new(OnePage(vec![IndexUpdate::Candidate(old)]))),
        )
        .unwrap();
    let report = engine.sync_now(&tenant, Ats::Lever, |_| {}).await.unwrap();
    assert_eq!(report.stale, 1);
    assert_eq!(
        store.candidate(&newer.key).await.unwrap(),
        Some(newer.clone())
    );
}

//! "Sync now": a full, then incremental, page-by-page sync of one tenant's
//! ATS into the index, resumable after a crash, with progress reports.
//!
//! Each resource (jobs, candidates, interviews…) is synced in pages. After
//! every page the engine applies the page's updates and stores the cursor of
//! the next page as a checkpoint, so a crashed sync resumes where it stopped
//! instead of starting over. When a resource completes, the run's start time
//! becomes its `since` bound and the next run only asks for what changed.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::connector::FailureKind;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::ingest::{IndexUpdate, IngestReport};
use crate::tenant::{Ats, TenantId};

/// One page of a sync.
#[derive(Debug, Clone, Default)]
pub struct SyncPage {
    /// What the page says.
    pub updates: Vec<IndexUpdate>,
    /// Opaque cursor of the next page; `None` on the last page.
    pub next_cursor: Option<String>,
}

/// One ATS's side of a sync for one tenant.
#[async_trait]
pub trait SyncSource: Send + Sync {
    /// Which ATS this is.
    fn ats(&self) -> Ats;
    /// The resources to sync, in order (e.g. jobs before candidates).
    fn resources(&self) -> &'static [&'static str];
    /// Fetches one page of `resource`: the first page of a run when `cursor`
    /// is `None` (only items changed since `since`, when given), else the
    /// page the cursor names.
    async fn page(
        &self,
        tenant: &TenantId,
        resource: &str,
        since: Option<DateTime<Utc>>,
        cursor: Option<&str>,
    ) -> Result<SyncPage>;
}

/// Progress of a running sync, reported after every page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncProgress {
    /// The ATS.
    pub ats: Ats,
    /// The resource being synced.
    pub resource: &'static str,
    /// Pages done for this resource in this run.
    pub pages: u32,
    /// Items (updates) applied for this resource in this run.
    pub items: u64,
    /// Whether this resource is finished.
    pub done: bool,
    /// Whether this run resumed from a checkpoint left by an interrupted one.
    pub resumed: bool,
    /// Whether this is an incremental run (only changes since the last one).
    pub incremental: bool,
}

/// How long a sync lease lives without renewal (it is renewed after every
/// page, so only a run that died, or hangs on one page this long, loses it).
pub const SYNC_LEASE: std::time::Duration = std::time::Duration::from_secs(300);

/// One run's hold on the store's sync lease of a tenant's ATS.
struct SyncLease<'a> {
    tenant: &'a TenantId,
    ats: Ats,
    owner: String,
}

impl SyncLease<'_> {
    /// Takes or extends the lease; whether this run holds it.
    async fn renew(&self, store: &dyn crate::store::Store) -> Result<bool> {
        let now = Utc::now();
        let until = now + chrono::Duration::from_std(SYNC_LEASE).unwrap_or_default();
        store
            .acquire_sync_lease(self.tenant, self.ats, &self.owner, now, until)
            .await
    }

    async fn release(&self, store: &dyn crate::store::Store) -> Result<()> {
        store
            .release_sync_lease(self.tenant, self.ats, &self.owner)
            .await
    }
}

/// Tells apart two runs in one engine (the engine's worker id is shared).
fn unique_run() -> u64 {
    static RUNS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

fn cursor_key(ats: Ats, resource: &str) -> String {
    format!("sync:{ats}:{resource}:cursor")
}

fn since_key(ats: Ats, resource: &str) -> String {
    format!("sync:{ats}:{resource}:since")
}

fn started_key(ats: Ats, resource: &str) -> String {
    format!("sync:{ats}:{resource}:started")
}

impl Engine {
    /// Runs a sync of `tenant`'s `ats`, calling `progress` after every page.
    ///
    /// One sync per tenant and ATS runs at a time across every engine on
    /// the store (tasks, processes, replicas): the run holds the store's
    /// sync lease, renewed after every page, and a second call fails with
    /// [`Error::SyncInProgress`] while it lives. A replica that dies
    /// mid-sync leaves a lease that expires after [`SYNC_LEASE`]; the next
    /// run resumes from the saved cursor.
    pub async fn sync_now(
        &self,
        tenant: &TenantId,
        ats: Ats,
        mut progress: impl FnMut(&SyncProgress) + Send,
    ) -> Result<IngestReport> {
        let source = self.tenant(tenant)?.sync_source(ats)?.clone();
        let lease = SyncLease {
            tenant,
            ats,
            owner: format!("{}:{}", self.worker_id(), unique_run()),
        };
        if !lease.renew(&*self.store).await? {
            return Err(Error::SyncInProgress {
                tenant: tenant.to_string(),
                ats,
            });
        }
        let result = self.sync_resources(&*source, &lease, &mut progress).await;
        lease.release(&*self.store).await?;
        result
    }

    async fn sync_resources(
        &self,
        source: &dyn SyncSource,
        lease: &SyncLease<'_>,
        progress: &mut (impl FnMut(&SyncProgress) + Send),
    ) -> Result<IngestReport> {
        let mut report = IngestReport::default();
        for resource in source.resources() {
            let applied = self
                .sync_resource(source, lease, resource, progress)
                .await?;
            report = report.merge(&applied);
        }
        Ok(report)
    }

    async fn sync_resource(
        &self,
        source: &dyn SyncSource,
        lease: &SyncLease<'_>,
        resource: &'static str,
        progress: &mut (impl FnMut(&SyncProgress) + Send),
    ) -> Result<IngestReport> {
        let tenant = lease.tenant;
        let ats = source.ats();
        let store = &self.store;
        let since = parse_time(store.checkpoint(tenant, &since_key(ats, resource)).await?);
        let mut cursor = store
            .checkpoint(tenant, &cursor_key(ats, resource))
            .await?
            .filter(|c| !c.is_empty());
        // A resumed run keeps the start time of the run it resumes, so the
        // next incremental run still covers changes made while it was down.
        let started = match (
            &cursor,
            parse_time(
                store
                    .checkpoint(tenant, &started_key(ats, resource))
                    .await?,
            ),
        ) {
            (Some(_), Some(t)) => t,
            _ => {
                let now = Utc::now();
                store
                    .set_checkpoint(tenant, &started_key(ats, resource), &now.to_rfc3339())
                    .await?;
                now
            }
        };
        let mut state = SyncProgress {
            ats,
            resource,
            pages: 0,
            items: 0,
            done: false,
            resumed: cursor.is_some(),
            incremental: since.is_some(),
        };
        let mut report = IngestReport::default();
        let mut page = self
            .first_page(source, tenant, resource, since, &mut cursor, &mut state)
            .await?;
        loop {
            // The lease must still be ours before this page is written: if
            // it lapsed and another run took it over, stop instead of
            // racing that run's cursor.
            if !lease.renew(&**store).await? {
                return Err(Error::SyncInProgress {
                    tenant: tenant.to_string(),
                    ats,
                });
            }
            state.items += page.updates.len() as u64;
            state.pages += 1;
            let next = page
                .next_cursor
                .filter(|next| Some(next) != cursor.as_ref());
            // The next page is fetched while this one is written (one
            // transaction, on the store's side of the thread pool), so
            // the writes hide behind the API's rate limit instead of
            // adding to it.
            let write = self.apply_page(page.updates);
            let (applied, fetched) = match &next {
                Some(next) => {
                    let fetch = source.page(tenant, resource, since, Some(next));
                    let (applied, fetched) = futures::join!(write, fetch);
                    (applied, Some(fetched))
                }
                None => (write.await, None),
            };
            report = report.merge(&applied?);
            let (Some(next), Some(fetched)) = (next, fetched) else {
                break;
            };
            store
                .set_checkpoint(tenant, &cursor_key(ats, resource), &next)
                .await?;
            progress(&state);
            cursor = Some(next);
            page = fetched?;
        }
        store
            .set_checkpoint(tenant, &since_key(ats, resource), &started.to_rfc3339())
            .await?;
        store
            .set_checkpoint(tenant, &cursor_key(ats, resource), "")
            .await?;
        state.done = true;
        progress(&state);
        Ok(report)
    }
}

impl Engine {
    /// The first page of a run: at the saved cursor when resuming, or from
    /// the start when the ATS refuses that cursor.
    async fn first_page(
        &self,
        source: &dyn SyncSource,
        tenant: &TenantId,
        resource: &'static str,
        since: Option<DateTime<Utc>>,
        cursor: &mut Option<String>,
        state: &mut SyncProgress,
    ) -> Result<SyncPage> {
        match source
            .page(tenant, resource, since, cursor.as_deref())
            .await
        {
            Ok(page) => Ok(page),
            // A saved cursor the ATS no longer accepts (Lever: "Invalid
            // offset token"; Greenhouse: 422 for an expired cursor,
            // research notes) would wedge every later run: start this
            // resource over instead. Re-applied pages are harmless.
            Err(Error::Connector(e)) if state.resumed && e.kind == FailureKind::Permanent => {
                tracing::warn!(ats = %state.ats, resource, error = %e, "saved sync cursor refused; restarting the resource");
                state.resumed = false;
                *cursor = None;
                source.page(tenant, resource, since, None).await
            }
            Err(e) => Err(e),
        }
    }
}

fn parse_time(value: Option<String>) -> Option<DateTime<Utc>> {
    value
        .and_then(|v| DateTime::parse_from_rfc3339(&v).ok())
        .map(|t| t.with_timezone(&Utc))
}

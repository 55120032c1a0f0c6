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
    pub async fn sync_now(
        &self,
        tenant: &TenantId,
        ats: Ats,
        mut progress: impl FnMut(&SyncProgress) + Send,
    ) -> Result<IngestReport> {
        let source = self.tenant(tenant)?.sync_source(ats)?.clone();
        let mut report = IngestReport::default();
        for resource in source.resources() {
            let applied = self
                .sync_resource(&*source, tenant, resource, &mut progress)
                .await?;
            report = report.merge(&applied);
        }
        Ok(report)
    }

    async fn sync_resource(
        &self,
        source: &dyn SyncSource,
        tenant: &TenantId,
        resource: &'static str,
        progress: &mut (impl FnMut(&SyncProgress) + Send),
    ) -> Result<IngestReport> {
        let ats = source.ats();
        let store = &self.store;
        let since = parse_time(store.checkpoint(tenant, &since_key(ats, resource))?);
        let mut cursor = store
            .checkpoint(tenant, &cursor_key(ats, resource))?
            .filter(|c| !c.is_empty());
        // A resumed run keeps the start time of the run it resumes, so the
        // next incremental run still covers changes made while it was down.
        let started = match (
            &cursor,
            parse_time(store.checkpoint(tenant, &started_key(ats, resource))?),
        ) {
            (Some(_), Some(t)) => t,
            _ => {
                let now = Utc::now();
                store.set_checkpoint(tenant, &started_key(ats, resource), &now.to_rfc3339())?;
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
        loop {
            let page = match source
                .page(tenant, resource, since, cursor.as_deref())
                .await
            {
                Ok(page) => page,
                // A saved cursor the ATS no longer accepts (Lever: "Invalid
                // offset token"; Greenhouse: 422 for an expired cursor,
                // research notes) would wedge every later run: start this
                // resource over instead. Re-applied pages are harmless.
                Err(Error::Connector(e))
                    if state.resumed && state.pages == 0 && e.kind == FailureKind::Permanent =>
                {
                    tracing::warn!(%ats, resource, error = %e, "saved sync cursor refused; restarting the resource");
                    state.resumed = false;
                    cursor = None;
                    continue;
                }
                Err(e) => return Err(e),
            };
            state.items += page.updates.len() as u64;
            state.pages += 1;
            report = report.merge(&self.apply_updates(page.updates).await?);
            match page.next_cursor {
                Some(next) if Some(&next) != cursor.as_ref() => {
                    store.set_checkpoint(tenant, &cursor_key(ats, resource), &next)?;
                    progress(&state);
                    cursor = Some(next);
                }
                _ => break,
            }
        }
        store.set_checkpoint(tenant, &since_key(ats, resource), &started.to_rfc3339())?;
        store.set_checkpoint(tenant, &cursor_key(ats, resource), "")?;
        state.done = true;
        progress(&state);
        Ok(report)
    }
}

fn parse_time(value: Option<String>) -> Option<DateTime<Utc>> {
    value
        .and_then(|v| DateTime::parse_from_rfc3339(&v).ok())
        .map(|t| t.with_timezone(&Utc))
}

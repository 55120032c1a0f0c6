//! The [`Engine`]: tenants, their connectors, the store, and the flows that
//! tie them together.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use aspect_interview_core::matching::EmailNormalization;
use aspect_interview_core::{AutoProcessingTerms, CalendarEvent, Meeting};
use chrono::Utc;

use crate::connector::AtsConnector;
use crate::error::{Error, Result};
use crate::notetaker::NoteTaker;
use crate::outbox::{AuditAction, AuditRecord, OutboxState};
use crate::store::Store;
use crate::sync::SyncSource;
use crate::tenant::{ArchivedPolicy, Ats, TenantId};
use crate::webhook::WebhookSource;
use crate::worker::{self, DeliveryReport, RetrySchedule};

/// Per-tenant settings that shape the posting flow.
#[derive(Debug, Clone, Default)]
pub struct TenantSettings {
    /// Notes for archived / rejected / hired candidates: post or skip.
    pub archived_policy: ArchivedPolicy,
    /// The customer's own e-mail domains: participants there are never
    /// matched as candidates (they are employees).
    pub own_domains: Vec<String>,
    /// Base URL of the platform's meeting pages; a note links to
    /// `{recording_base_url}/{meeting id}`.
    pub recording_base_url: Option<String>,
    /// Words or phrases that make a calendar event an interview to record
    /// (see [`Engine::register_calendar_event`]); `None` registers nothing
    /// automatically.
    pub auto_processing_terms: Option<AutoProcessingTerms>,
    /// How e-mail addresses are normalized, both when candidates are indexed
    /// and when participants are matched (plus-tag and dot rules are off by
    /// default).
    pub email_normalization: EmailNormalization,
}

/// One customer: its settings and its ATS connections.
pub struct Tenant {
    pub(crate) id: TenantId,
    pub(crate) settings: TenantSettings,
    pub(crate) connectors: BTreeMap<Ats, Arc<dyn AtsConnector>>,
    pub(crate) sources: BTreeMap<Ats, Arc<dyn WebhookSource>>,
    pub(crate) syncs: BTreeMap<Ats, Arc<dyn SyncSource>>,
}

impl std::fmt::Debug for Tenant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Connections hold credentials: list only which ATSs are connected.
        f.debug_struct("Tenant")
            .field("id", &self.id)
            .field("settings", &self.settings)
            .field("connected", &self.connectors.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl Tenant {
    /// A tenant with no ATS connection yet.
    pub fn new(id: TenantId, settings: TenantSettings) -> Self {
        Self {
            id,
            settings,
            connectors: BTreeMap::new(),
            sources: BTreeMap::new(),
            syncs: BTreeMap::new(),
        }
    }

    /// Adds (or replaces) a posting connector for one ATS. The Lever and
    /// Greenhouse connections (`with_lever`, `with_greenhouse`) call this for
    /// you; use it directly for a custom connector.
    pub fn with_connector(mut self, connector: Arc<dyn AtsConnector>) -> Self {
        self.connectors.insert(connector.ats(), connector);
        self
    }

    /// Adds one ATS connection that posts, receives webhooks and syncs
    /// (as the Lever and Greenhouse connections do).
    pub fn with_connection<C>(self, connection: Arc<C>) -> Self
    where
        C: AtsConnector + WebhookSource + SyncSource + 'static,
    {
        self.with_connector(connection.clone())
            .with_webhook_source(connection.clone())
            .with_sync_source(connection)
    }

    /// Adds (or replaces) the webhook source for one ATS.
    pub fn with_webhook_source(mut self, source: Arc<dyn WebhookSource>) -> Self {
        self.sources.insert(source.ats(), source);
        self
    }

    /// Adds (or replaces) the sync source for one ATS.
    pub fn with_sync_source(mut self, source: Arc<dyn SyncSource>) -> Self {
        self.syncs.insert(source.ats(), source);
        self
    }

    /// The tenant's id.
    pub fn id(&self) -> &TenantId {
        &self.id
    }

    /// The tenant's settings.
    pub fn settings(&self) -> &TenantSettings {
        &self.settings
    }

    pub(crate) fn source(&self, ats: Ats) -> Result<&Arc<dyn WebhookSource>> {
        self.sources.get(&ats).ok_or_else(|| Error::NotConnected {
            tenant: self.id.to_string(),
            ats,
        })
    }

    pub(crate) fn sync_source(&self, ats: Ats) -> Result<&Arc<dyn SyncSource>> {
        self.syncs.get(&ats).ok_or_else(|| Error::NotConnected {
            tenant: self.id.to_string(),
            ats,
        })
    }

    pub(crate) fn connector(&self, ats: Ats) -> Result<&Arc<dyn AtsConnector>> {
        self.connectors
            .get(&ats)
            .ok_or_else(|| Error::NotConnected {
                tenant: self.id.to_string(),
                ats,
            })
    }
}

/// The summary-posting engine. Cheap to share behind an `Arc`; every method
/// takes `&self`.
pub struct Engine {
    pub(crate) store: Arc<dyn Store>,
    tenants: RwLock<BTreeMap<TenantId, Arc<Tenant>>>,
    pub(crate) schedule: RetrySchedule,
    pub(crate) note_taker: Arc<dyn NoteTaker>,
    batch: usize,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let tenants = self.tenants.read().map(|t| t.len()).unwrap_or_default();
        f.debug_struct("Engine")
            .field("tenants", &tenants)
            .field("schedule", &self.schedule)
            .finish_non_exhaustive()
    }
}

impl Engine {
    /// An engine over `store` that hands upcoming interviews to `note_taker`.
    pub fn new(store: Arc<dyn Store>, note_taker: Arc<dyn NoteTaker>) -> Self {
        Self {
            store,
            tenants: RwLock::new(BTreeMap::new()),
            schedule: RetrySchedule::default(),
            note_taker,
            batch: 100,
        }
    }

    /// Replaces the outbox retry schedule (tests use short delays).
    pub fn with_retry_schedule(mut self, schedule: RetrySchedule) -> Self {
        self.schedule = schedule;
        self
    }

    /// Registers or replaces a tenant.
    pub fn add_tenant(&self, tenant: Tenant) {
        let mut tenants = self.tenants.write().unwrap_or_else(|e| e.into_inner());
        tenants.insert(tenant.id.clone(), Arc::new(tenant));
    }

    /// A registered tenant.
    pub fn tenant(&self, id: &TenantId) -> Result<Arc<Tenant>> {
        let tenants = self.tenants.read().unwrap_or_else(|e| e.into_inner());
        tenants
            .get(id)
            .cloned()
            .ok_or_else(|| Error::UnknownTenant(id.to_string()))
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// One pass of the outbox worker: attempts every due entry once.
    ///
    /// Entries of a tenant whose credentials turn out to be revoked are
    /// parked, together with every other open entry of that tenant and ATS,
    /// so one revocation costs one failed request.
    pub async fn deliver_due_notes(&self) -> Result<DeliveryReport> {
        let mut report = DeliveryReport::default();
        let mut revoked: Vec<(TenantId, Ats)> = Vec::new();
        for entry in self.store.due_notes(Utc::now(), self.batch)? {
            let key = (entry.key.tenant.clone(), entry.key.ats);
            if revoked.contains(&key) {
                continue;
            }
            let Ok(tenant) = self.tenant(&key.0) else {
                tracing::warn!(tenant = %key.0, "outbox entry for an unregistered tenant; left queued");
                continue;
            };
            let Ok(connector) = tenant.connector(key.1).cloned() else {
                tracing::warn!(tenant = %key.0, ats = %key.1, "outbox entry for a disconnected ATS; left queued");
                continue;
            };
            let outcome =
                worker::attempt(&*self.store, &*connector, &self.schedule, entry.clone()).await?;
            if outcome.parked > 0 {
                let reason = self
                    .store
                    .outbox_entry(&entry.key)?
                    .and_then(|e| e.last_error)
                    .unwrap_or_else(|| "credentials revoked".into());
                let more = worker::park_open_entries(&*self.store, &key.0, key.1, &reason)?;
                self.store
                    .set_checkpoint(&key.0, &parked_key(key.1), &reason)?;
                report.parked += more;
                tracing::error!(tenant = %key.0, ats = %key.1, "credentials revoked: posting parked until the tenant reconnects");
                revoked.push(key);
            }
            report = report.merge(&outcome);
        }
        Ok(report)
    }

    /// Runs the two background passes, webhook processing and outbox
    /// delivery, every `every` until `shutdown` completes. Errors are logged
    /// and the loop goes on (the store keeps everything for the next pass).
    pub async fn run_workers(
        self: Arc<Self>,
        every: std::time::Duration,
        shutdown: impl std::future::Future<Output = ()>,
    ) {
        let mut shutdown = std::pin::pin!(shutdown);
        loop {
            if let Err(e) = self.process_deliveries().await {
                tracing::error!(error = %e, "webhook processing pass failed");
            }
            match self.deliver_due_notes().await {
                Ok(report) if report != DeliveryReport::default() => {
                    tracing::info!(?report, "outbox pass");
                }
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "outbox pass failed"),
            }
            tokio::select! {
                _ = &mut shutdown => return,
                _ = tokio::time::sleep(every) => {}
            }
        }
    }

    /// Why posting to `ats` is parked for `tenant`, if it is.
    pub fn is_parked(&self, tenant: &TenantId, ats: Ats) -> Result<Option<String>> {
        Ok(self
            .store
            .checkpoint(tenant, &parked_key(ats))?
            .filter(|r| !r.is_empty()))
    }

    /// Registers a calendar event with the note taker when its title matches
    /// the tenant's auto-processing terms; returns the registered meeting.
    pub async fn register_calendar_event(
        &self,
        tenant: &TenantId,
        event: &CalendarEvent,
    ) -> Result<Option<Meeting>> {
        let tenant = self.tenant(tenant)?;
        let Some(terms) = &tenant.settings.auto_processing_terms else {
            return Ok(None);
        };
        let Some(meeting) = Meeting::from_calendar_event(event, terms) else {
            return Ok(None);
        };
        self.note_taker
            .schedule(&tenant.id, &meeting)
            .await
            .map_err(|e| Error::Interview(e.to_string()))?;
        Ok(Some(meeting))
    }

    /// Resumes a tenant's parked entries for one ATS (after the customer
    /// reconnected): they become due at once. Returns how many resumed.
    pub async fn resume_tenant(&self, tenant: &TenantId, ats: Ats) -> Result<u32> {
        self.store.set_checkpoint(tenant, &parked_key(ats), "")?;
        let mut resumed = 0;
        for mut entry in self.store.outbox(tenant)? {
            if entry.key.ats == ats && matches!(entry.state, OutboxState::Parked { .. }) {
                // It may have been sent when the 401 came back on a retry of
                // an uncertain post, so look for the marker first.
                entry.state = OutboxState::Sending;
                entry.next_attempt_at = Utc::now();
                self.store.update_note(&entry)?;
                resumed += 1;
            }
        }
        self.store.record_audit(&AuditRecord {
            tenant: tenant.clone(),
            ats,
            action: AuditAction::TenantResumed,
            rows: u64::from(resumed),
            at: Utc::now(),
        })?;
        Ok(resumed)
    }
}

fn parked_key(ats: Ats) -> String {
    format!("parked:{ats}")
}

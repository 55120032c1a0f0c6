//! The [`Engine`]: tenants, their connectors, the store, and the flows that
//! tie them together.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use aspect_interview_core::matching::{EmailNormalization, MatchConfig};
use aspect_interview_core::{AutoProcessingTerms, CalendarEvent, Meeting};
use chrono::Utc;

use crate::connector::AtsConnector;
use crate::error::{Error, Result};
use crate::lanes::{LaneGuard, LaneKey};
use crate::notetaker::NoteTaker;
use crate::outbox::{AuditAction, AuditRecord, OutboxEntry, OutboxState};
use crate::store::Store;
use crate::sync::SyncSource;
use crate::tenant::{ArchivedPolicy, Ats, TenantId};
use crate::webhook::WebhookSource;
use crate::worker::{self, DeliveryReport, RetrySchedule};

/// Per-tenant settings that shape the posting flow. Build them with
/// [`TenantSettings::new`] (or `default()`) and the builder methods; the
/// struct is non-exhaustive so settings can be added without breaking you.
///
/// ```
/// use aspect_sync_engine::{ArchivedPolicy, TenantSettings};
/// let settings = TenantSettings::new()
///     .own_domains(["acme.example"])
///     .archived_policy(ArchivedPolicy::Skip)
///     .recording_base_url("https://app.aspect.example/meetings");
/// assert_eq!(settings.own_domains, ["acme.example"]);
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
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

impl TenantSettings {
    /// The defaults: post for archived candidates, no own domains, no
    /// recording link, no auto-processing terms, plain e-mail normalization.
    pub fn new() -> Self {
        Self::default()
    }

    /// The customer's own e-mail domains (never matched as candidates).
    pub fn own_domains<I, S>(mut self, domains: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.own_domains = domains.into_iter().map(Into::into).collect();
        self
    }

    /// What to do with notes for archived, rejected or hired candidates.
    pub fn archived_policy(mut self, policy: ArchivedPolicy) -> Self {
        self.archived_policy = policy;
        self
    }

    /// Base URL of the platform's meeting pages, linked from every note.
    pub fn recording_base_url(mut self, url: impl Into<String>) -> Self {
        self.recording_base_url = Some(url.into());
        self
    }

    /// Calendar events whose titles match these terms are recorded.
    pub fn auto_processing_terms(mut self, terms: AutoProcessingTerms) -> Self {
        self.auto_processing_terms = Some(terms);
        self
    }

    /// How addresses are normalized when indexed and matched.
    pub fn email_normalization(mut self, rules: EmailNormalization) -> Self {
        self.email_normalization = rules;
        self
    }
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

    /// The ATSs this tenant posts to (has a connector for).
    pub fn connected_ats(&self) -> Vec<Ats> {
        self.connectors.keys().copied().collect()
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
    /// This engine's name in outbox leases: unique per instance, so two
    /// engines (tasks, processes, replicas) never mistake each other's claims.
    worker_id: String,
    pub(crate) leases: LeaseSettings,
    pub(crate) retention: Retention,
    /// The worker lanes this engine is running (see `lanes`).
    pub(crate) lanes: crate::lanes::Busy,
}

/// How long a worker holds a claimed outbox entry, and how long one ATS
/// call may take inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeaseSettings {
    /// How long a claim lasts. A worker that dies mid-pass delays its
    /// entries by at most this long; another worker then takes them over.
    pub lease: std::time::Duration,
    /// The longest one ATS call (marker check or post) may take. The engine
    /// caps it at a quarter of `lease` and renews the lease before each
    /// attempt, so a check plus a post end before the lease can lapse.
    pub call_limit: std::time::Duration,
}

impl Default for LeaseSettings {
    fn default() -> Self {
        Self {
            lease: std::time::Duration::from_secs(600),
            call_limit: std::time::Duration::from_secs(120),
        }
    }
}

/// How long the engine keeps what it no longer needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Processed webhook deliveries (their dedupe keys; bodies are cleared
    /// as soon as a delivery is processed). Never shorter than
    /// [`Retention::MIN_DELIVERIES`], so Lever reruns stay deduplicated.
    pub deliveries: std::time::Duration,
    /// The text of posted notes (the entry itself stays, so re-processing a
    /// meeting still finds it posted).
    pub posted_note_bodies: std::time::Duration,
}

impl Retention {
    /// Lever keeps two weeks of delivery history with a manual "Rerun"
    /// (research note lever.md §4.1): dedupe keys live at least that long, plus a day.
    pub const MIN_DELIVERIES: std::time::Duration = std::time::Duration::from_secs(15 * 24 * 3600);
}

impl Default for Retention {
    /// 30 days for both.
    fn default() -> Self {
        Self {
            deliveries: std::time::Duration::from_secs(30 * 24 * 3600),
            posted_note_bodies: std::time::Duration::from_secs(30 * 24 * 3600),
        }
    }
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
            worker_id: new_worker_id(),
            leases: LeaseSettings::default(),
            retention: Retention::default(),
            lanes: crate::lanes::Busy::default(),
        }
    }

    /// Replaces the outbox lease settings (the call limit is capped at a quarter of the lease).
    pub fn with_leases(mut self, mut leases: LeaseSettings) -> Self {
        leases.call_limit = leases.call_limit.min(leases.lease / 4);
        self.leases = leases;
        self
    }

    /// Replaces the retention periods (deliveries are kept at least
    /// [`Retention::MIN_DELIVERIES`]).
    pub fn with_retention(mut self, retention: Retention) -> Self {
        self.retention = retention;
        self
    }

    /// This engine's worker id, as written in the leases it holds.
    pub fn worker_id(&self) -> &str {
        &self.worker_id
    }

    /// Replaces the outbox retry schedule (tests use short delays).
    pub fn with_retry_schedule(mut self, schedule: RetrySchedule) -> Self {
        self.schedule = schedule;
        self
    }

    /// Registers or replaces a tenant. Fails with
    /// [`Error::InvalidSettings`] when a setting cannot work as intended
    /// (an "own domain" that is not a domain would exclude nobody and let
    /// employees be matched as candidates).
    pub fn add_tenant(&self, tenant: Tenant) -> Result<()> {
        MatchConfig::with_internal_domains(tenant.settings.own_domains.iter().cloned())
            .normalization(tenant.settings.email_normalization.clone())
            .validate()
            .map_err(|e| Error::InvalidSettings(e.to_string()))?;
        let mut tenants = self.tenants.write().unwrap_or_else(|e| e.into_inner());
        tenants.insert(tenant.id.clone(), Arc::new(tenant));
        Ok(())
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

    /// One pass of the outbox worker: claims due entries (fairly across
    /// tenants) and attempts each once, each tenant's notes for each ATS in
    /// a lane of their own, the lanes side by side (see `deliver_lane`: a
    /// slow or hanging ATS holds up only its own customer's notes).
    ///
    /// Any number of passes may run at once, in one process or several on
    /// one store: each entry is claimed by one of them. Entries of a tenant
    /// this engine does not know, or of an ATS the tenant has not
    /// connected, are put back for later without counting an attempt, so
    /// they never block other tenants. Entries of a tenant whose
    /// credentials turn out to be revoked are parked, together with every
    /// other open entry of that tenant and ATS, so one revocation costs one
    /// failed request.
    pub async fn deliver_due_notes(&self) -> Result<DeliveryReport> {
        let now = Utc::now();
        let until = now + chrono::Duration::from_std(self.leases.lease).unwrap_or_default();
        let (lanes, skipped) = self.note_lanes(now, until).await?;
        let done = futures::future::join_all(lanes.into_iter().map(|(guard, lane)| async move {
            let _guard = guard;
            self.deliver_lane(lane).await
        }));
        let report = crate::lanes::merged(done.await, skipped, |a, b| a.merge(&b))?;
        Ok(report)
    }

    /// Claims due notes and splits them into lanes this engine may enter.
    /// The claimed notes of a lane one of its passes is still running go
    /// back at once (counted as deferred).
    pub(crate) async fn note_lanes(
        &self,
        now: chrono::DateTime<Utc>,
        until: chrono::DateTime<Utc>,
    ) -> Result<(Vec<(LaneGuard, Vec<OutboxEntry>)>, DeliveryReport)> {
        let claimed = self
            .store
            .claim_due_notes(&self.worker_id, now, until, self.batch)
            .await?;
        let mut entered = Vec::new();
        let mut skipped = DeliveryReport::default();
        for lane in crate::lanes::by_key(claimed, |e| (e.key.tenant.clone(), e.key.ats)) {
            let Some(first) = lane.first() else { continue };
            match self
                .lanes
                .enter(LaneKey::Notes(first.key.tenant.clone(), first.key.ats))
            {
                Some(guard) => entered.push((guard, lane)),
                None => skipped = skipped.merge(&self.put_back(lane).await?),
            }
        }
        Ok((entered, skipped))
    }

    /// Releases claimed notes unattempted, due as before.
    async fn put_back(
        &self,
        entries: impl IntoIterator<Item = OutboxEntry>,
    ) -> Result<DeliveryReport> {
        let mut report = DeliveryReport::default();
        for mut entry in entries {
            entry.lease = None;
            match self.store.update_claimed(&mut entry).await {
                Ok(()) => report.deferred += 1,
                Err(Error::LeaseLost(_)) => report.lease_lost += 1,
                Err(e) => return Err(e),
            }
        }
        Ok(report)
    }

    /// One tenant's claimed notes for one ATS, in claim order. Lanes run
    /// side by side, so one customer's slow or hanging ATS holds up only its
    /// own notes. After a transient failure or an unknown outcome (the
    /// ATS is down, slow or asking to wait) the rest of the lane goes back
    /// unattempted, due as before: an outage costs one request, and one
    /// call limit of waiting, per pass.
    pub(crate) async fn deliver_lane(&self, lane: Vec<OutboxEntry>) -> Result<DeliveryReport> {
        let mut report = DeliveryReport::default();
        let mut revoked: Vec<(TenantId, Ats, String)> = Vec::new();
        let mut entries = lane.into_iter();
        while let Some(entry) = entries.next() {
            let outcome = match self.deliver_claimed(entry, &mut revoked).await {
                Ok(outcome) => outcome,
                Err(Error::LeaseLost(meeting)) => {
                    tracing::info!(%meeting, "outbox entry taken over by another worker");
                    DeliveryReport {
                        lease_lost: 1,
                        ..Default::default()
                    }
                }
                Err(e) => return Err(e),
            };
            report = report.merge(&outcome);
            if outcome.rescheduled > 0 {
                report = report.merge(&self.put_back(entries.by_ref()).await?);
            }
        }
        Ok(report)
    }

    async fn deliver_claimed(
        &self,
        mut entry: crate::outbox::OutboxEntry,
        revoked: &mut Vec<(TenantId, Ats, String)>,
    ) -> Result<DeliveryReport> {
        let (tenant_id, ats) = (entry.key.tenant.clone(), entry.key.ats);
        if let Some((_, _, reason)) = revoked
            .iter()
            .find(|(t, a, _)| *t == tenant_id && *a == ats)
        {
            entry.state = OutboxState::Parked {
                reason: reason.clone(),
            };
            entry.lease = None;
            self.store.update_claimed(&mut entry).await?;
            return Ok(DeliveryReport {
                parked: 1,
                ..Default::default()
            });
        }
        let connector = self
            .tenant(&tenant_id)
            .ok()
            .and_then(|t| t.connector(ats).ok().cloned());
        let Some(connector) = connector else {
            tracing::warn!(tenant = %tenant_id, %ats, "outbox entry for an unregistered tenant or a disconnected ATS; put back for later");
            entry.next_attempt_at = Utc::now() + chrono::Duration::minutes(5);
            entry.lease = None;
            self.store.update_claimed(&mut entry).await?;
            return Ok(DeliveryReport {
                deferred: 1,
                ..Default::default()
            });
        };
        // Renew the claim before the attempt: entries late in a long batch
        // must still have a whole lease ahead when their post starts (a
        // marker check plus a post take at most two call limits, half the
        // lease), so no other worker can take them over mid-post.
        let renewed =
            Utc::now() + chrono::Duration::from_std(self.leases.lease).unwrap_or_default();
        if let Some(lease) = entry.lease.as_mut() {
            lease.until = renewed;
        }
        self.store.update_claimed(&mut entry).await?;
        let key = entry.key.clone();
        let mut outcome = worker::attempt(
            &*self.store,
            &*connector,
            &self.schedule,
            self.leases.call_limit,
            entry,
        )
        .await?;
        if outcome.parked > 0 {
            let reason = self
                .store
                .outbox_entry(&key)
                .await?
                .and_then(|e| e.last_error)
                .unwrap_or_else(|| "credentials revoked".into());
            outcome.parked +=
                worker::park_open_entries(&*self.store, &tenant_id, ats, &reason).await?;
            self.store
                .set_checkpoint(&tenant_id, &parked_key(ats), &reason)
                .await?;
            tracing::error!(tenant = %tenant_id, %ats, "credentials revoked: posting parked until the tenant reconnects");
            revoked.push((tenant_id, ats, reason));
        }
        Ok(outcome)
    }

    /// A tenant's notes that failed for good (permanent error, or attempts
    /// exhausted), with their reasons: never silent, for operators to act on.
    pub async fn failed_notes(&self, tenant: &TenantId) -> Result<Vec<crate::outbox::OutboxEntry>> {
        self.store.notes_in_state(tenant, "failed").await
    }

    /// A tenant's notes parked until it reconnects an ATS.
    pub async fn parked_notes(&self, tenant: &TenantId) -> Result<Vec<crate::outbox::OutboxEntry>> {
        self.store.notes_in_state(tenant, "parked").await
    }

    /// Applies the [`Retention`] periods: deletes processed deliveries and
    /// clears posted notes' bodies older than them. `run_workers` calls it hourly.
    pub async fn prune_expired(&self) -> Result<crate::store::PruneReport> {
        let now = Utc::now();
        let ago = |d: std::time::Duration| now - chrono::Duration::from_std(d).unwrap_or_default();
        let deliveries = self.retention.deliveries.max(Retention::MIN_DELIVERIES);
        self.store
            .prune(ago(deliveries), ago(self.retention.posted_note_bodies))
            .await
    }

    /// Runs the two background passes, webhook processing and outbox
    /// delivery, until `shutdown` completes: again as soon as the store
    /// reports new work ([`Store::wait_for_work`]: a delivery recorded or a
    /// note queued through this store, or through another replica's where
    /// the backend can tell, as PostgreSQL's `LISTEN/NOTIFY` does), and at
    /// the latest every `every` (work made due by time, such as a retry's
    /// backoff, or written by a process the store cannot hear). Errors are
    /// logged and the loop goes on (the store keeps everything for the next
    /// pass).
    ///
    /// Each customer's deliveries, and its notes for each ATS, run as a lane
    /// of their own in a task of their own: a pass does not wait for a lane
    /// that waits for a slow or hanging ATS, so one customer's outage delays
    /// no other customer's work, and later passes skip the busy lane. When
    /// `shutdown` completes, the running lanes finish what they started
    /// before this returns.
    pub async fn run_workers(
        self: Arc<Self>,
        every: std::time::Duration,
        shutdown: impl std::future::Future<Output = ()>,
    ) {
        let mut shutdown = std::pin::pin!(shutdown);
        let mut last_prune: Option<std::time::Instant> = None;
        // Lanes run as tasks of their own: a lane waiting for a customer's
        // hanging ATS does not hold up the next pass, which serves every
        // other customer (and skips the busy lane).
        let mut running = tokio::task::JoinSet::new();
        loop {
            if last_prune.is_none_or(|t| t.elapsed() >= std::time::Duration::from_secs(3600)) {
                match self.prune_expired().await {
                    Ok(pruned) => tracing::debug!(?pruned, "retention pass"),
                    Err(e) => tracing::error!(error = %e, "retention pass failed"),
                }
                last_prune = Some(std::time::Instant::now());
            }
            while let Some(ended) = running.try_join_next() {
                log_lane(ended);
            }
            self.start_lanes(&mut running).await;
            // Not woken by a lane ending: a lane that found its work taken
            // by another replica would otherwise start the next pass at once,
            // again and again. What a busy lane left is picked up on the
            // next wake-up, at the latest after `every`.
            tokio::select! {
                _ = &mut shutdown => break,
                _ = self.store.wait_for_work(every) => {}
            }
        }
        // Lanes finish what they started (each call is bounded by the call
        // limit); none is cut off half-way through a post.
        while let Some(ended) = running.join_next().await {
            log_lane(ended);
        }
    }

    /// Starts a task for every webhook and outbox lane with due work that
    /// no lane of this engine is running.
    async fn start_lanes(self: &Arc<Self>, running: &mut tokio::task::JoinSet<LaneEnd>) {
        match self.delivery_lanes().await {
            Ok(lanes) => {
                for (guard, lane) in lanes {
                    let engine = Arc::clone(self);
                    running.spawn(async move {
                        let _guard = guard;
                        LaneEnd::Deliveries(engine.process_lane(lane).await)
                    });
                }
            }
            Err(e) => tracing::error!(error = %e, "webhook processing pass failed"),
        }
        let now = Utc::now();
        let until = now + chrono::Duration::from_std(self.leases.lease).unwrap_or_default();
        match self.note_lanes(now, until).await {
            Ok((lanes, skipped)) => {
                if skipped != DeliveryReport::default() {
                    tracing::debug!(?skipped, "outbox notes of busy lanes put back");
                }
                for (guard, lane) in lanes {
                    let engine = Arc::clone(self);
                    running.spawn(async move {
                        let _guard = guard;
                        LaneEnd::Notes(engine.deliver_lane(lane).await)
                    });
                }
            }
            Err(e) => tracing::error!(error = %e, "outbox pass failed"),
        }
    }

    /// Why posting to `ats` is parked for `tenant`, if it is.
    pub async fn is_parked(&self, tenant: &TenantId, ats: Ats) -> Result<Option<String>> {
        Ok(self
            .store
            .checkpoint(tenant, &parked_key(ats))
            .await?
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

    /// Resumes a tenant's parked work for one ATS (after the customer
    /// reconnected): parked notes become due at once (their marker is
    /// checked before any post) and parked webhook deliveries are processed
    /// on the next pass. Returns how many notes resumed.
    pub async fn resume_tenant(&self, tenant: &TenantId, ats: Ats) -> Result<u32> {
        self.store
            .set_checkpoint(tenant, &parked_key(ats), "")
            .await?;
        let resumed = self.store.resume_notes(tenant, ats, Utc::now()).await?;
        let deliveries = self.store.resume_deliveries(tenant, ats).await?;
        self.store
            .record_audit(&AuditRecord {
                tenant: tenant.clone(),
                ats,
                action: AuditAction::TenantResumed,
                rows: resumed + deliveries,
                at: Utc::now(),
            })
            .await?;
        Ok(u32::try_from(resumed).unwrap_or(u32::MAX))
    }
}

/// A worker id unique to this engine instance: process id, start time and a
/// per-process counter.
/// What a background lane did.
enum LaneEnd {
    Deliveries(Result<crate::ingest::IngestReport>),
    Notes(Result<DeliveryReport>),
}

/// Logs an ended background lane (the store keeps everything for the next
/// pass, so errors are logged and the loop goes on).
fn log_lane(ended: std::result::Result<LaneEnd, tokio::task::JoinError>) {
    match ended {
        Ok(LaneEnd::Deliveries(Ok(report))) => tracing::debug!(?report, "webhook lane"),
        Ok(LaneEnd::Deliveries(Err(e))) => {
            tracing::error!(error = %e, "webhook processing lane failed");
        }
        Ok(LaneEnd::Notes(Ok(report))) if report != DeliveryReport::default() => {
            tracing::info!(?report, "outbox lane");
        }
        Ok(LaneEnd::Notes(Ok(_))) => {}
        Ok(LaneEnd::Notes(Err(e))) => tracing::error!(error = %e, "outbox lane failed"),
        Err(e) => tracing::error!(error = %e, "a worker lane panicked or was cancelled"),
    }
}

fn new_worker_id() -> String {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let nanos = Utc::now().timestamp_nanos_opt().unwrap_or_default();
    format!("worker-{}-{nanos:x}-{n}", std::process::id())
}

fn parked_key(ats: Ats) -> String {
    format!("parked:{ats}")
}

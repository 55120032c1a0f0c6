//! Webhook deliveries: verify and record durably (the receiver answers 2xx
//! only after that), then process recorded deliveries into index updates.
//!
//! Recording and processing are separate on purpose. Recording is fast and
//! local, so the ATS gets its answer quickly and a crash after the answer
//! loses nothing; processing may call the ATS API (Lever deliveries are
//! re-fetched, because Lever signs only `token + triggeredAt`, not `data`) and
//! is retried on the next pass when that call fails transiently.

use async_trait::async_trait;
use chrono::Utc;
use sha2::{Digest, Sha256};

use crate::connector::FailureKind;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::ingest::{IndexUpdate, IngestReport};
use crate::lanes::{LaneGuard, LaneKey};
use crate::store::{Delivery, Store};
use crate::worker::RetrySchedule;

/// Backoff for webhook deliveries whose processing failed: 10 s doubling
/// to an hour. Deliveries have no attempt cap: an authentic delivery is
/// kept until it is applied (operators see `attempts` and `last_error`).
pub const DELIVERY_RETRY: RetrySchedule = RetrySchedule {
    base_delay: std::time::Duration::from_secs(10),
    max_delay: std::time::Duration::from_secs(3600),
    max_attempts: u32::MAX,
};

fn retry_after(error: &Error) -> Option<std::time::Duration> {
    match error {
        Error::Connector(e) => match e.kind {
            FailureKind::Transient { retry_after } => retry_after,
            _ => None,
        },
        _ => None,
    }
}
use crate::tenant::{Ats, TenantId};

/// The request headers a webhook verification may need, copied out of the
/// HTTP framework's header map (so no `http` type is in this API).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WebhookHeaders {
    /// Greenhouse's `Signature` header (`sha256 <hex>`).
    pub signature: Option<String>,
    /// Greenhouse's `Greenhouse-Event-ID` header, the delivery id.
    pub event_id: Option<String>,
}

/// A verified delivery, reduced to what processing needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The dedupe id (Lever's delivery `token`, Greenhouse's event id).
    pub delivery_id: String,
    /// What the source needs later to compute the updates, in the source's
    /// own encoding. Sources keep it minimal (ids, not whole payloads), so
    /// the inbox holds little personal data and nothing is parsed twice.
    pub payload: Vec<u8>,
}

/// One ATS's webhooks for one tenant: how to verify a delivery and what it means.
#[async_trait]
pub trait WebhookSource: Send + Sync {
    /// The sending ATS.
    fn ats(&self) -> Ats;

    /// Verifies a delivery over its raw bytes and parses it.
    /// Errors: [`Error::WebhookRejected`] (bad signature, stale) or
    /// [`Error::MalformedPayload`].
    fn verify(&self, tenant: &TenantId, headers: &WebhookHeaders, body: &[u8]) -> Result<Verified>;

    /// Whether [`Verified::delivery_id`] is covered by the signature, so a
    /// replayed body always carries the id it was first recorded with.
    /// When it is not (the default: Greenhouse's event id is a header
    /// outside the signature), the engine also dedupes on the body's
    /// SHA-256; when it is, that second unique key would add nothing but
    /// one more index write per delivery.
    fn delivery_id_signed(&self) -> bool {
        false
    }

    /// Turns a recorded delivery's payload into index updates; may call the
    /// ATS API, and may read (never write) the engine's `store` to check a
    /// hint against what the engine already knows.
    async fn updates(
        &self,
        tenant: &TenantId,
        payload: &[u8],
        store: &dyn Store,
    ) -> Result<Vec<IndexUpdate>>;
}

/// What happened to a delivery at the receiver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received {
    /// Verified and durably recorded for processing.
    Recorded,
    /// Verified, but this delivery id was recorded before: nothing changed.
    Duplicate,
}

impl Engine {
    /// Verifies a delivery for `tenant` from `ats` and records it durably.
    /// Call before answering the ATS; answer 2xx only on `Ok`.
    pub async fn receive_webhook(
        &self,
        ats: Ats,
        tenant: &TenantId,
        headers: &WebhookHeaders,
        body: &[u8],
    ) -> Result<Received> {
        let tenant = self.tenant(tenant)?;
        let source = tenant.source(ats)?;
        let verified = source.verify(tenant.id(), headers, body)?;
        let mut delivery = Delivery::new(
            tenant.id().clone(),
            ats,
            verified.delivery_id,
            verified.payload,
        );
        if !source.delivery_id_signed() {
            // Dedupe on the signed bytes too: an unsigned id (Greenhouse's
            // event id header) may come fresh with a replayed body.
            delivery = delivery.with_digest(hex::encode(Sha256::digest(body)));
        }
        if self.store.record_delivery(&delivery).await? {
            tracing::info!(tenant = %delivery.tenant, %ats, delivery = %delivery.delivery_id, "webhook recorded");
            Ok(Received::Recorded)
        } else {
            tracing::info!(tenant = %delivery.tenant, %ats, delivery = %delivery.delivery_id, "duplicate webhook ignored");
            Ok(Received::Duplicate)
        }
    }

    /// Processes due deliveries, each tenant's in arrival order (the due
    /// deliveries are read round-robin across tenants). An authentic delivery is never dropped: one
    /// whose processing fails is retried with exponential backoff
    /// ([`DELIVERY_RETRY`]), and one that needs an ATS whose credentials
    /// were revoked is parked with the tenant and processed after
    /// [`Engine::resume_tenant`]. After one failure for a (tenant, ATS),
    /// the pass skips that pair's other deliveries, so an ATS outage costs
    /// one request per pass, not one per queued delivery.
    ///
    /// Each tenant's deliveries form a lane, and the lanes run side by
    /// side: one customer's slow or hanging ATS holds up only its own
    /// deliveries (each read bounded by [`LeaseSettings::call_limit`]),
    /// never another customer's.
    ///
    /// [`LeaseSettings::call_limit`]: crate::LeaseSettings::call_limit
    pub async fn process_deliveries(&self) -> Result<IngestReport> {
        let lanes = self.delivery_lanes().await?;
        let done = futures::future::join_all(lanes.into_iter().map(|(guard, lane)| async move {
            let _guard = guard;
            self.process_lane(lane).await
        }));
        crate::lanes::merged(done.await, IngestReport::default(), |a, b| a.merge(&b))
    }

    /// The due deliveries, one lane per tenant, without the tenants whose
    /// lane one of this engine's passes is still running (their deliveries
    /// stay due, in order, for a later pass).
    pub(crate) async fn delivery_lanes(&self) -> Result<Vec<(LaneGuard, Vec<Delivery>)>> {
        let due = self.store.pending_deliveries(Utc::now(), 500).await?;
        Ok(crate::lanes::by_key(due, |d| d.tenant.clone())
            .into_iter()
            .filter_map(|lane| {
                let tenant = lane.first()?.tenant.clone();
                Some((self.lanes.enter(LaneKey::Deliveries(tenant))?, lane))
            })
            .collect())
    }

    /// One tenant's due deliveries, in arrival order.
    pub(crate) async fn process_lane(&self, lane: Vec<Delivery>) -> Result<IngestReport> {
        let mut report = IngestReport::default();
        let mut failing: Vec<Ats> = Vec::new();
        for delivery in lane {
            if failing.contains(&delivery.ats) || !self.claim(&delivery).await? {
                continue;
            }
            match self.delivery_updates(&delivery).await {
                Ok(updates) => {
                    let applied = self.apply_updates(updates).await?;
                    self.store
                        .mark_delivery_processed(
                            &delivery.tenant,
                            delivery.ats,
                            &delivery.delivery_id,
                        )
                        .await?;
                    if applied.purged > 0 {
                        // Scrub only now: the deleting delivery's own body
                        // (with the ids) was cleared just above.
                        self.scrub_deleted_data().await;
                    }
                    report = report.merge(&applied);
                }
                Err(e) => {
                    let ats = delivery.ats;
                    self.retry_later(delivery, &e).await?;
                    report.deferred += 1;
                    failing.push(ats);
                }
            }
        }
        Ok(report)
    }

    /// Leases a delivery to this engine for one processing attempt, so that
    /// another worker or replica does not process it at the same time.
    async fn claim(&self, delivery: &Delivery) -> Result<bool> {
        let now = Utc::now();
        let until = now + chrono::Duration::from_std(self.leases.lease).unwrap_or_default();
        self.store
            .claim_delivery(
                &delivery.tenant,
                delivery.ats,
                &delivery.delivery_id,
                self.worker_id(),
                now,
                until,
            )
            .await
    }

    /// Checkpoints the store after a purge, and says so loudly when
    /// another connection kept deleted pages in the log.
    pub(crate) async fn scrub_deleted_data(&self) {
        match self.store.scrub().await {
            Ok(true) => {}
            Ok(false) => tracing::error!(
                "store scrub after a purge was blocked by another connection; deleted data may stay in the write-ahead log until the next checkpoint"
            ),
            Err(e) => tracing::error!(error = %e, "store scrub after a purge failed"),
        }
    }

    async fn retry_later(&self, mut delivery: Delivery, error: &Error) -> Result<()> {
        delivery.attempts += 1;
        delivery.last_error = Some(error.to_string());
        let revoked = matches!(error, Error::Connector(e) if e.kind == FailureKind::Revoked);
        if revoked {
            delivery.parked = true;
            tracing::error!(tenant = %delivery.tenant, ats = %delivery.ats, error = %error, "delivery parked until the tenant reconnects");
        } else {
            let delay = DELIVERY_RETRY.delay(delivery.attempts, retry_after(error));
            delivery.next_attempt_at =
                Utc::now() + chrono::Duration::from_std(delay).unwrap_or_default();
            tracing::warn!(tenant = %delivery.tenant, ats = %delivery.ats, attempts = delivery.attempts, ?delay, error = %error, "delivery left queued");
        }
        self.store.retry_delivery(&delivery).await
    }

    /// The delivery's index updates, computed within the lease: the ATS
    /// reads behind them get [`LeaseSettings::call_limit`] in all (at most a
    /// quarter of the lease), so no other worker can take the delivery over
    /// while this one still works on it. Reads are safe to abandon; a
    /// delivery that runs out of time is retried later.
    ///
    /// [`LeaseSettings::call_limit`]: crate::LeaseSettings::call_limit
    async fn delivery_updates(&self, delivery: &Delivery) -> Result<Vec<IndexUpdate>> {
        let tenant = self.tenant(&delivery.tenant)?;
        let source = tenant.source(delivery.ats)?;
        let limit = self.leases.call_limit;
        tokio::time::timeout(
            limit,
            source.updates(&delivery.tenant, &delivery.body, &*self.store),
        )
        .await
        .unwrap_or_else(|_| {
            Err(Error::Connector(crate::ConnectorError::new(
                delivery.ats,
                FailureKind::Transient { retry_after: None },
                format!("reading the ATS took longer than {limit:?}"),
            )))
        })
    }
}

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

use crate::connector::FailureKind;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::ingest::{IndexUpdate, IngestReport};
use crate::store::Delivery;
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

    /// Turns a recorded delivery's payload into index updates; may call the ATS API.
    async fn updates(&self, tenant: &TenantId, payload: &[u8]) -> Result<Vec<IndexUpdate>>;
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
    pub fn receive_webhook(
        &self,
        ats: Ats,
        tenant: &TenantId,
        headers: &WebhookHeaders,
        body: &[u8],
    ) -> Result<Received> {
        let tenant = self.tenant(tenant)?;
        let source = tenant.source(ats)?;
        let verified = source.verify(tenant.id(), headers, body)?;
        let delivery = Delivery {
            tenant: tenant.id().clone(),
            ats,
            delivery_id: verified.delivery_id,
            body: verified.payload,
            received_at: Utc::now(),
            processed: false,
        };
        if self.store.record_delivery(&delivery)? {
            tracing::info!(tenant = %delivery.tenant, %ats, delivery = %delivery.delivery_id, "webhook recorded");
            Ok(Received::Recorded)
        } else {
            tracing::info!(tenant = %delivery.tenant, %ats, delivery = %delivery.delivery_id, "duplicate webhook ignored");
            Ok(Received::Duplicate)
        }
    }

    /// Processes recorded deliveries in arrival order. A delivery whose ATS
    /// call fails transiently stays queued for the next pass; one that cannot
    /// be understood is logged and dropped (it was authentic, so retrying it
    /// will not help).
    pub async fn process_deliveries(&self) -> Result<IngestReport> {
        let mut report = IngestReport::default();
        for delivery in self.store.pending_deliveries(500)? {
            let updates = match self.delivery_updates(&delivery).await {
                Ok(updates) => updates,
                Err(Error::Connector(e)) if matches!(e.kind, FailureKind::Transient { .. }) => {
                    tracing::warn!(tenant = %delivery.tenant, error = %e, "delivery left queued");
                    continue;
                }
                Err(e) => {
                    tracing::error!(tenant = %delivery.tenant, ats = %delivery.ats, error = %e, "delivery dropped");
                    Vec::new()
                }
            };
            let applied = self.apply_updates(updates).await?;
            report = report.merge(&applied);
            self.store.mark_delivery_processed(
                &delivery.tenant,
                delivery.ats,
                &delivery.delivery_id,
            )?;
        }
        Ok(report)
    }

    async fn delivery_updates(&self, delivery: &Delivery) -> Result<Vec<IndexUpdate>> {
        let tenant = self.tenant(&delivery.tenant)?;
        tenant
            .source(delivery.ats)?
            .updates(&delivery.tenant, &delivery.body)
            .await
    }
}

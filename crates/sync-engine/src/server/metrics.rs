//! `/metrics` in the Prometheus (OpenMetrics) text format.
//!
//! Built on `prometheus-client`, the Prometheus project's own Rust client:
//! its registry is a plain value, not a process-wide recorder (as the
//! `metrics` facade installs), so every [`Server`](super::Server) — several
//! in one test process, or one mounted inside a platform that has its own
//! recorder — keeps its own metrics.
//!
//! | metric | kind | source |
//! |---|---|---|
//! | `aspect_webhooks_received_total{ats}` | counter | every webhook request answered 2xx |
//! | `aspect_webhooks_refused_total{ats,reason}` | counter | every other answer, by reason (`refused`: bad signature or no such tenant/ATS, `malformed`, `too_large`, `timeout`, `busy`, `store`) |
//! | `aspect_outbox_notes{state}` | gauge | notes in the store per state (`pending`, `sending`, `posted`, `parked`, `failed`) over the server's tenants, read at scrape time: exact, and shared by replicas |
//! | `aspect_outbox_oldest_due_seconds` | gauge | age of the oldest note that is due and not yet posted (0 when none) |
//! | `aspect_ats_call_seconds{ats,op}` | histogram | the ATS work the server starts itself: `sync` (a whole Sync) and `plan` (the e-mail lookups of a submitted meeting). *Approximation:* the clients do not report single requests, so this measures whole operations, not each HTTP call |
//! | `aspect_ats_retries_total{ats}`, `aspect_ats_throttled_total{ats}` | counter | the clients' "retrying … request" log events (all retries, and those for HTTP 429), counted by [`MetricsLayer`] when it is installed in the `tracing` subscriber (`init_logging` does). *Approximation:* a 429 that is not retried (its budget spent) is not counted |

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::store::Store;
use crate::tenant::{Ats, TenantId};

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct AtsLabel {
    ats: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RefusedLabels {
    ats: String,
    reason: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabel {
    state: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CallLabels {
    ats: String,
    op: String,
}

/// The server's metrics (see the module docs).
pub struct Metrics {
    registry: Registry,
    received: Family<AtsLabel, Counter>,
    refused: Family<RefusedLabels, Counter>,
    notes: Family<StateLabel, Gauge>,
    oldest_due: Gauge,
    calls: Family<CallLabels, Histogram>,
    retries: Family<AtsLabel, Counter>,
    throttled: Family<AtsLabel, Counter>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

/// The outbox states counted in `aspect_outbox_notes`.
const STATES: [&str; 5] = ["pending", "sending", "posted", "parked", "failed"];

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// Empty metrics, registered under the `aspect` prefix.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("aspect");
        let received = Family::<AtsLabel, Counter>::default();
        let refused = Family::<RefusedLabels, Counter>::default();
        let notes = Family::<StateLabel, Gauge>::default();
        let oldest_due = Gauge::default();
        let calls = Family::<CallLabels, Histogram>::new_with_constructor(|| {
            // 50 ms to ~100 s.
            Histogram::new(exponential_buckets(0.05, 2.0, 12))
        });
        let retries = Family::<AtsLabel, Counter>::default();
        let throttled = Family::<AtsLabel, Counter>::default();
        registry.register(
            "webhooks_received",
            "Webhook deliveries accepted",
            received.clone(),
        );
        registry.register(
            "webhooks_refused",
            "Webhook requests refused, by reason",
            refused.clone(),
        );
        registry.register(
            "outbox_notes",
            "Notes in the outbox per state",
            notes.clone(),
        );
        registry.register(
            "outbox_oldest_due_seconds",
            "Age of the oldest due, unposted note",
            oldest_due.clone(),
        );
        registry.register(
            "ats_call_seconds",
            "Duration of ATS operations the server starts (sync, plan)",
            calls.clone(),
        );
        registry.register(
            "ats_retries",
            "ATS requests retried by the clients",
            retries.clone(),
        );
        registry.register(
            "ats_throttled",
            "ATS requests answered 429 and retried",
            throttled.clone(),
        );
        Self {
            registry,
            received,
            refused,
            notes,
            oldest_due,
            calls,
            retries,
            throttled,
        }
    }

    /// Counts one webhook answer with `status`.
    pub(crate) fn webhook_answered(&self, ats: Ats, status: u16) {
        let ats = ats.as_str().to_owned();
        if (200..300).contains(&status) {
            self.received.get_or_create(&AtsLabel { ats }).inc();
            return;
        }
        let reason = match status {
            401 | 404 => "refused",
            400 => "malformed",
            413 => "too_large",
            408 => "timeout",
            503 => "busy_or_store",
            _ => "other",
        };
        self.refused
            .get_or_create(&RefusedLabels {
                ats,
                reason: reason.to_owned(),
            })
            .inc();
    }

    /// Records how long an ATS operation took.
    pub(crate) fn ats_call(&self, ats: Ats, op: &str, took: Duration) {
        self.calls
            .get_or_create(&CallLabels {
                ats: ats.as_str().to_owned(),
                op: op.to_owned(),
            })
            .observe(took.as_secs_f64());
    }

    fn client_retry(&self, ats: Ats, throttled: bool) {
        let label = AtsLabel {
            ats: ats.as_str().to_owned(),
        };
        self.retries.get_or_create(&label).inc();
        if throttled {
            self.throttled.get_or_create(&label).inc();
        }
    }

    /// Reads the store's gauges for `tenants`, then encodes everything.
    pub(crate) async fn render(
        &self,
        store: &Arc<dyn Store>,
        tenants: &[TenantId],
    ) -> crate::Result<String> {
        let mut counts = [0i64; STATES.len()];
        for tenant in tenants {
            for (i, state) in STATES.iter().enumerate() {
                counts[i] += store.notes_in_state(tenant, state).await?.len() as i64;
            }
        }
        for (state, count) in STATES.iter().zip(counts) {
            self.notes
                .get_or_create(&StateLabel {
                    state: (*state).to_owned(),
                })
                .set(count);
        }
        let now = Utc::now();
        let oldest = store
            .due_notes(now, 1)
            .await?
            .first()
            .map(|e| (now - e.created_at).num_seconds().max(0))
            .unwrap_or(0);
        self.oldest_due.set(oldest);
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry)
            .map_err(|e| crate::Error::Corrupt(format!("metrics encoding: {e}")))?;
        Ok(text)
    }

    /// A `tracing` layer that counts the clients' retries and 429s into
    /// these metrics.
    pub fn layer(self: &Arc<Self>) -> MetricsLayer {
        MetricsLayer {
            metrics: self.clone(),
        }
    }
}

/// Counts the API clients' retry events (see the module docs).
pub struct MetricsLayer {
    metrics: Arc<Metrics>,
}

impl std::fmt::Debug for MetricsLayer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MetricsLayer").finish_non_exhaustive()
    }
}

/// The fields of one event that the layer reads.
#[derive(Default)]
struct RetryEvent {
    message: String,
    error: String,
}

impl tracing::field::Visit for RetryEvent {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        match field.name() {
            "message" => self.message = format!("{value:?}"),
            "error" => self.error = format!("{value:?}"),
            _ => {}
        }
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for MetricsLayer {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        let target = event.metadata().target();
        let ats = if target.starts_with("lever_client") {
            Ats::Lever
        } else if target.starts_with("greenhouse_harvest") {
            Ats::Greenhouse
        } else {
            return;
        };
        let mut fields = RetryEvent::default();
        event.record(&mut fields);
        if !fields.message.starts_with("retrying") {
            return;
        }
        // The clients' error texts: Lever "Lever API error: HTTP 429 …",
        // Greenhouse "rate limited by Greenhouse …" (their error.rs).
        let throttled = fields.error.contains("HTTP 429") || fields.error.contains("rate limited");
        self.metrics.client_retry(ats, throttled);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tracing_subscriber::layer::SubscriberExt;

    #[test]
    fn the_layer_counts_client_retries_and_429s() {
        let metrics = Arc::new(Metrics::new());
        let subscriber = tracing_subscriber::registry().with(metrics.layer());
        tracing::subscriber::with_default(subscriber, || {
            tracing::warn!(target: "lever_client::client", error = %"Lever API error: HTTP 429", "retrying Lever request");
            tracing::warn!(target: "greenhouse_harvest::client", error = %"HTTP 502", "retrying Greenhouse request");
            tracing::warn!(target: "other", error = %"HTTP 429", "retrying something");
        });
        let lever = AtsLabel {
            ats: "lever".into(),
        };
        let greenhouse = AtsLabel {
            ats: "greenhouse".into(),
        };
        assert_eq!(metrics.retries.get_or_create(&lever).get(), 1);
        assert_eq!(metrics.throttled.get_or_create(&lever).get(), 1);
        assert_eq!(metrics.retries.get_or_create(&greenhouse).get(), 1);
        assert_eq!(metrics.throttled.get_or_create(&greenhouse).get(), 0);
    }
}

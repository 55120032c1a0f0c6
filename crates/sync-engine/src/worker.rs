//! The outbox worker: posts due notes, never twice.
//!
//! An entry is marked [`OutboxState::Sending`] durably *before* its post. If
//! the process dies after the ATS accepted the note but before the success is
//! recorded, or the post timed out, the entry is still `Sending` next time,
//! and the worker lists the candidate's notes and looks for the entry's
//! marker before it posts again. A revoked credential parks the tenant's
//! entries for that ATS until [`Engine::resume_tenant`](crate::Engine::resume_tenant).
//!
//! Workers claim entries with a lease (see [`Store`]'s "Outbox claims"):
//! any number of passes, tasks, processes or replicas may run at once, and
//! each entry is attempted by one of them at a time. Every ATS call is
//! bounded well inside the lease, so a lease never lapses while its holder
//! may still post.

use std::time::Duration;

use aspect_interview_core::MeetingId;
use aspect_interview_core::notes::has_meeting_marker;
use chrono::Utc;

use crate::connector::{AtsConnector, ConnectorError, FailureKind};
use crate::error::Result;
use crate::outbox::{AuditAction, AuditRecord, OutboxEntry, OutboxState};
use crate::store::Store;

/// How the worker schedules attempts.
#[derive(Debug, Clone)]
pub struct RetrySchedule {
    /// Delay after the first failure; doubles per attempt.
    pub base_delay: Duration,
    /// Upper bound of the delay.
    pub max_delay: Duration,
    /// Attempts before an entry is marked failed. Revocations do not count
    /// (those entries are parked instead), and neither do refusals with a
    /// `Retry-After` (the ATS asked to wait; the entry keeps waiting, backing
    /// off up to `max_delay`).
    pub max_attempts: u32,
}

impl Default for RetrySchedule {
    fn default() -> Self {
        Self {
            base_delay: Duration::from_secs(30),
            max_delay: Duration::from_secs(3600),
            max_attempts: 12,
        }
    }
}

impl RetrySchedule {
    /// The delay before attempt `attempts + 1`, at least the server's `Retry-After`.
    pub fn delay(&self, attempts: u32, retry_after: Option<Duration>) -> Duration {
        let exp = self
            .base_delay
            .saturating_mul(1u32 << attempts.saturating_sub(1).min(20));
        exp.min(self.max_delay)
            .max(retry_after.unwrap_or_default().min(self.max_delay))
    }
}

/// What one pass of the worker did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    /// Notes the ATS accepted in this pass.
    pub posted: u32,
    /// Entries found already posted (marker present) after an uncertain attempt.
    pub already_present: u32,
    /// Entries rescheduled after a transient failure or an unknown outcome.
    pub rescheduled: u32,
    /// Entries parked because the tenant's credentials were revoked.
    pub parked: u32,
    /// Entries given up on.
    pub failed: u32,
    /// Entries put back for later without an attempt (none counted): their
    /// tenant is not registered with this engine or has no connection to
    /// the ATS, or an earlier note for the same tenant and ATS failed
    /// transiently in this pass.
    pub deferred: u32,
    /// Entries this worker stopped handling because its lease was lost
    /// (another worker took the entry over, or it was purged or merged).
    pub lease_lost: u32,
}

impl DeliveryReport {
    /// Adds another report's counts to this one.
    pub fn merge(mut self, other: &DeliveryReport) -> Self {
        self.posted += other.posted;
        self.already_present += other.already_present;
        self.rescheduled += other.rescheduled;
        self.parked += other.parked;
        self.failed += other.failed;
        self.deferred += other.deferred;
        self.lease_lost += other.lease_lost;
        self
    }
}

/// One ATS call, bounded so that it ends well inside the worker's lease:
/// a lease must never lapse while its holder may still post.
async fn bounded<T>(
    ats: crate::Ats,
    limit: Duration,
    call: impl std::future::Future<Output = Result<T, ConnectorError>>,
) -> Result<T, ConnectorError> {
    tokio::time::timeout(limit, call).await.unwrap_or_else(|_| {
        Err(ConnectorError::new(
            ats,
            FailureKind::OutcomeUnknown,
            format!("ATS call did not finish within {limit:?}"),
        ))
    })
}

/// Attempts one claimed entry. Every write is fenced by the claim, so a
/// worker whose lease lapsed cannot overwrite its successor. Both the
/// marker check of an uncertain entry and the post count as an attempt.
pub(crate) async fn attempt(
    store: &dyn Store,
    connector: &dyn AtsConnector,
    schedule: &RetrySchedule,
    call_limit: Duration,
    mut entry: OutboxEntry,
) -> Result<DeliveryReport> {
    let mut report = DeliveryReport::default();
    entry.attempts += 1;
    if entry.state == OutboxState::Sending {
        let meeting = MeetingId::new(entry.key.meeting_id.clone());
        match bounded(
            connector.ats(),
            call_limit,
            connector.note_texts(&entry.target),
        )
        .await
        {
            Ok(texts) if texts.iter().any(|t| has_meeting_marker(t, &meeting)) => {
                entry.state = OutboxState::Posted {
                    note_id: None,
                    at: Utc::now(),
                };
                entry.last_error = None;
                entry.lease = None;
                store.update_claimed(&mut entry).await?;
                report.already_present += 1;
                return Ok(report);
            }
            Ok(_) => {}
            Err(e) => return on_failure(store, schedule, entry, e, true).await,
        }
    }
    entry.state = OutboxState::Sending;
    store.update_claimed(&mut entry).await?;
    match bounded(
        connector.ats(),
        call_limit,
        connector.post_note(&entry.target, &entry.body),
    )
    .await
    {
        Ok(note_id) => {
            entry.state = OutboxState::Posted {
                note_id,
                at: Utc::now(),
            };
            entry.last_error = None;
            entry.lease = None;
            store.update_claimed(&mut entry).await?;
            report.posted += 1;
            Ok(report)
        }
        Err(e) => on_failure(store, schedule, entry, e, false).await,
    }
}

async fn on_failure(
    store: &dyn Store,
    schedule: &RetrySchedule,
    mut entry: OutboxEntry,
    error: ConnectorError,
    while_checking: bool,
) -> Result<DeliveryReport> {
    let mut report = DeliveryReport::default();
    let (kind, message) = (error.kind, error.message);
    entry.last_error = Some(message.clone());
    entry.lease = None;
    match kind {
        FailureKind::Revoked => {
            entry.state = OutboxState::Parked {
                reason: message.clone(),
            };
            report.parked += 1;
        }
        FailureKind::NotFound | FailureKind::Permanent => {
            entry.state = OutboxState::Failed {
                reason: message.clone(),
            };
            report.failed += 1;
        }
        // A refusal that names when to come back (429 or 503 with
        // `Retry-After`) wrote nothing and is the ATS pacing us, not failing:
        // it backs off like any attempt but never exhausts the note's
        // attempts, so a busy ATS delays a note and never drops it.
        FailureKind::Transient { retry_after: None } | FailureKind::OutcomeUnknown
            if entry.attempts >= schedule.max_attempts =>
        {
            entry.state = OutboxState::Failed {
                reason: format!("gave up after {} attempts: {message}", entry.attempts),
            };
            report.failed += 1;
        }
        FailureKind::Transient { retry_after } => {
            // A transient failure of the marker check leaves the outcome
            // unknown; a refused post (429, not sent) means nothing was written.
            if !while_checking {
                entry.state = OutboxState::Pending;
            }
            let delay = schedule.delay(entry.attempts.max(1), retry_after);
            entry.next_attempt_at =
                Utc::now() + chrono::Duration::from_std(delay).unwrap_or_default();
            report.rescheduled += 1;
        }
        FailureKind::OutcomeUnknown => {
            entry.state = OutboxState::Sending;
            let delay = schedule.delay(entry.attempts.max(1), None);
            entry.next_attempt_at =
                Utc::now() + chrono::Duration::from_std(delay).unwrap_or_default();
            report.rescheduled += 1;
        }
    }
    if report.failed > 0 {
        tracing::error!(
            tenant = %entry.key.tenant, ats = %entry.key.ats, meeting = %entry.key.meeting_id,
            attempts = entry.attempts, ?kind, error = %message, "note failed for good; see Engine::failed_notes"
        );
    } else {
        tracing::warn!(
            tenant = %entry.key.tenant, ats = %entry.key.ats, meeting = %entry.key.meeting_id,
            ?kind, error = %message, "note attempt failed"
        );
    }
    store.update_claimed(&mut entry).await?;
    Ok(report)
}

/// Parks every open entry of `tenant` for `ats` that no other worker holds,
/// and records it in the audit log.
pub(crate) async fn park_open_entries(
    store: &dyn Store,
    tenant: &crate::TenantId,
    ats: crate::Ats,
    reason: &str,
) -> Result<u32> {
    let parked = store.park_notes(tenant, ats, reason, Utc::now()).await?;
    store
        .record_audit(&AuditRecord {
            tenant: tenant.clone(),
            ats,
            action: AuditAction::TenantParked,
            rows: parked,
            at: Utc::now(),
        })
        .await?;
    Ok(u32::try_from(parked).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delay_doubles_caps_and_respects_retry_after() {
        let s = RetrySchedule {
            base_delay: Duration::from_secs(10),
            max_delay: Duration::from_secs(60),
            max_attempts: 5,
        };
        assert_eq!(s.delay(1, None), Duration::from_secs(10));
        assert_eq!(s.delay(2, None), Duration::from_secs(20));
        assert_eq!(s.delay(3, None), Duration::from_secs(40));
        assert_eq!(s.delay(9, None), Duration::from_secs(60));
        assert_eq!(
            s.delay(1, Some(Duration::from_secs(45))),
            Duration::from_secs(45)
        );
        assert_eq!(
            s.delay(1, Some(Duration::from_secs(4500))),
            Duration::from_secs(60)
        );
        assert_eq!(s.delay(u32::MAX, None), Duration::from_secs(60));
    }
}

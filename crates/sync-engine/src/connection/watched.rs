//! The connector the engine gets for a managed connection: it delegates
//! to the Lever or Greenhouse connection and watches what passes through.
//!
//! - Every verified webhook delivery is noted (time and event kind) in the
//!   [`WEBHOOKS_SEEN`](super::records::WEBHOOKS_SEEN) record, from which
//!   the status tells which webhooks the admin still has to switch on.
//! - A call refused for revoked credentials marks the connection Inactive
//!   with the reason (the engine parks the work itself), unless the stored
//!   Lever token chain moved on since this client loaded it: then another
//!   replica (or client) rotated the refresh token, this client's copy is
//!   dead, and the connection is rebuilt from the store and the call made
//!   once more, so two replicas refreshing at once lose no rotation and
//!   report no false revocation.

use std::sync::{Arc, RwLock};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use futures::future::BoxFuture;

use crate::connector::{AtsConnector, ConnectorError, FailureKind};
use crate::error::{Error, Result};
use crate::index::IndexedCandidate;
use crate::ingest::IndexUpdate;
use crate::outbox::NoteTarget;
use crate::store::Store;
use crate::sync::{SyncPage, SyncSource};
use crate::tenant::{Ats, TenantId};
use crate::webhook::{Verified, WebhookHeaders, WebhookSource};

use super::records::{self, CONNECTION, ConnectionDoc, SeenDoc, StoredState, WEBHOOKS_SEEN};
use super::tokens::StoreTokenStore;

/// A full ATS connection: posting, webhooks and sync.
pub(crate) trait FullConnection: AtsConnector + WebhookSource + SyncSource {}
impl<T: AtsConnector + WebhookSource + SyncSource> FullConnection for T {}

/// The live connection and, for Lever, the token store its client uses.
#[derive(Clone)]
pub(crate) struct Live {
    pub(crate) connection: Arc<dyn FullConnection>,
    pub(crate) tokens: Option<Arc<StoreTokenStore>>,
}

/// Builds a fresh live connection (a new client over a new token store).
pub(crate) type Rebuild = Box<dyn Fn() -> Result<Live> + Send + Sync>;

/// The engine-facing connector of one managed connection.
pub(crate) struct Watched {
    ats: Ats,
    tenant: TenantId,
    connected_at: DateTime<Utc>,
    store: Arc<dyn Store>,
    live: RwLock<Live>,
    rebuild: Rebuild,
}

/// How long to look for another process's rotation before calling a
/// refused refresh a revocation: its token request consumed the old
/// refresh token a moment before its save lands in the store.
const ROTATION_CHECKS: [u64; 4] = [0, 200, 500, 1000];

/// Errors that may say "revoked".
trait Revocable {
    fn revoked(&self) -> Option<&str>;
}

impl Revocable for ConnectorError {
    fn revoked(&self) -> Option<&str> {
        (self.kind == FailureKind::Revoked).then_some(self.message.as_str())
    }
}

impl Revocable for Error {
    fn revoked(&self) -> Option<&str> {
        match self {
            Error::Connector(e) => e.revoked(),
            _ => None,
        }
    }
}

impl Watched {
    pub(crate) fn new(
        ats: Ats,
        tenant: TenantId,
        connected_at: DateTime<Utc>,
        store: Arc<dyn Store>,
        rebuild: Rebuild,
    ) -> Result<Self> {
        let live = rebuild()?;
        Ok(Self {
            ats,
            tenant,
            connected_at,
            store,
            live: RwLock::new(live),
            rebuild,
        })
    }

    fn live(&self) -> Live {
        self.live.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Runs `call` on the live connection; after a revocation, recovers
    /// from another process's rotation (once) or records the revocation.
    async fn run<'a, T, E>(
        &'a self,
        call: impl Fn(Arc<dyn FullConnection>) -> BoxFuture<'a, std::result::Result<T, E>>,
    ) -> std::result::Result<T, E>
    where
        E: Revocable,
    {
        let live = self.live();
        let first = call(live.connection.clone()).await;
        let reason = match &first {
            Err(e) => match e.revoked() {
                Some(reason) => reason.to_owned(),
                None => return first,
            },
            Ok(_) => return first,
        };
        if self.recovered(&live).await {
            let retried = call(self.live().connection).await;
            if let Err(e) = &retried
                && let Some(reason) = e.revoked()
            {
                self.mark_inactive(reason).await;
            }
            return retried;
        }
        self.mark_inactive(&reason).await;
        first
    }

    /// Whether the stored token chain moved on since `live`'s client read
    /// it; if so the live connection is rebuilt from the store.
    async fn recovered(&self, live: &Live) -> bool {
        let Some(tokens) = &live.tokens else {
            return false;
        };
        for pause in ROTATION_CHECKS {
            tokio::time::sleep(std::time::Duration::from_millis(pause)).await;
            match tokens.is_stale().await {
                Ok(true) => match (self.rebuild)() {
                    Ok(fresh) => {
                        tracing::info!(tenant = %self.tenant, ats = %self.ats, "token chain rotated elsewhere; connection rebuilt from the store");
                        *self.live.write().unwrap_or_else(|e| e.into_inner()) = fresh;
                        return true;
                    }
                    Err(e) => {
                        tracing::error!(tenant = %self.tenant, ats = %self.ats, error = %e, "cannot rebuild the connection");
                        return false;
                    }
                },
                Ok(false) => {}
                Err(e) => {
                    tracing::warn!(tenant = %self.tenant, ats = %self.ats, error = %e, "cannot read the stored tokens");
                    return false;
                }
            }
        }
        false
    }

    /// Records that this connection's credentials were refused.
    async fn mark_inactive(&self, reason: &str) {
        let key = records::connection_key(&self.tenant, self.ats);
        let connected_at = self.connected_at;
        let reason = format!("the {} credentials were refused: {reason}", self.ats);
        let result = records::update::<ConnectionDoc, _>(&*self.store, CONNECTION, &key, |doc| {
            let mut doc = doc?;
            // A revocation seen by a connector of an older credential
            // chain says nothing about the current one.
            if doc.connected_at != connected_at || matches!(doc.state, StoredState::Inactive { .. })
            {
                return None;
            }
            doc.state = StoredState::Inactive {
                reason: reason.clone(),
            };
            Some(doc)
        })
        .await;
        match result {
            Ok(Some(_)) => {
                tracing::error!(tenant = %self.tenant, ats = %self.ats, "connection inactive: credentials refused")
            }
            Ok(None) => {}
            Err(e) => {
                tracing::error!(tenant = %self.tenant, ats = %self.ats, error = %e, "cannot record the revocation")
            }
        }
    }
}

/// The event kind of an authentic delivery: Lever's `event`, Greenhouse's `action`.
fn event_kind(ats: Ats, body: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let field = match ats {
        Ats::Lever => "event",
        Ats::Greenhouse => "action",
    };
    let kind = value.get(field)?.as_str()?;
    // Only short plain names are kept: the record is shown to admins.
    (kind.len() <= 64 && kind.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
        .then(|| kind.to_owned())
}

/// Notes a verified delivery in the background: verification is
/// synchronous, and the note is a status hint, not part of the delivery's
/// durability (the delivery itself is recorded by the engine).
fn note_delivery(store: Arc<dyn Store>, tenant: &TenantId, ats: Ats, kind: Option<String>) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    let key = records::connection_key(tenant, ats);
    runtime.spawn(async move {
        let at = Utc::now();
        let result = records::update::<SeenDoc, _>(&*store, WEBHOOKS_SEEN, &key, |seen| {
            let mut seen = seen.unwrap_or_default();
            seen.last_at = Some(seen.last_at.map_or(at, |t| t.max(at)));
            if let Some(kind) = &kind {
                seen.kinds.insert(kind.clone(), at);
            }
            Some(seen)
        })
        .await;
        if let Err(e) = result {
            tracing::warn!(%key, error = %e, "cannot note a received webhook");
        }
    });
}

#[async_trait]
impl AtsConnector for Watched {
    fn ats(&self) -> Ats {
        self.ats
    }

    async fn find_candidates_by_email(
        &self,
        tenant: &TenantId,
        email: &str,
    ) -> std::result::Result<Vec<IndexedCandidate>, ConnectorError> {
        self.run(|c| Box::pin(async move { c.find_candidates_by_email(tenant, email).await }))
            .await
    }

    async fn note_texts(
        &self,
        target: &NoteTarget,
    ) -> std::result::Result<Vec<String>, ConnectorError> {
        self.run(|c| Box::pin(async move { c.note_texts(target).await }))
            .await
    }

    async fn post_note(
        &self,
        target: &NoteTarget,
        body: &str,
    ) -> std::result::Result<Option<String>, ConnectorError> {
        // A post refused with 401 was not applied, so making it again on a
        // rebuilt client cannot post twice.
        self.run(|c| Box::pin(async move { c.post_note(target, body).await }))
            .await
    }
}

#[async_trait]
impl WebhookSource for Watched {
    fn ats(&self) -> Ats {
        self.ats
    }

    fn verify(&self, tenant: &TenantId, headers: &WebhookHeaders, body: &[u8]) -> Result<Verified> {
        let verified = self.live().connection.verify(tenant, headers, body)?;
        note_delivery(
            self.store.clone(),
            tenant,
            self.ats,
            event_kind(self.ats, body),
        );
        Ok(verified)
    }

    async fn updates(
        &self,
        tenant: &TenantId,
        payload: &[u8],
        store: &dyn Store,
    ) -> Result<Vec<IndexUpdate>> {
        self.run(|c| Box::pin(async move { c.updates(tenant, payload, store).await }))
            .await
    }
}

#[async_trait]
impl SyncSource for Watched {
    fn ats(&self) -> Ats {
        self.ats
    }

    fn resources(&self) -> &'static [&'static str] {
        self.live().connection.resources()
    }

    async fn page(
        &self,
        tenant: &TenantId,
        resource: &str,
        since: Option<DateTime<Utc>>,
        cursor: Option<&str>,
    ) -> Result<SyncPage> {
        self.run(|c| Box::pin(async move { c.page(tenant, resource, since, cursor).await }))
            .await
    }
}

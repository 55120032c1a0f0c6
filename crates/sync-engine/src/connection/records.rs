//! What the connection lifecycle keeps in the store's record family, and
//! the compare-and-set helpers that read and update it.
//!
//! | kind | key | value | secret parts |
//! |---|---|---|---|
//! | [`TENANT`] | tenant id | settings | none |
//! | [`CONNECTION`] | `tenant/ats` | state, sync progress, setup | Greenhouse client secret and webhook secret, Lever webhook signature tokens (sealed) |
//! | [`LEVER_TOKENS`] | tenant id | the OAuth token set | the whole value (sealed) |
//! | [`OAUTH_STATE`] | SHA-256 of the `state` | tenant, expiry | none (the key is a hash) |
//! | [`WEBHOOKS_SEEN`] | `tenant/ats` | last delivery time per event kind | none |

use std::collections::BTreeMap;

use aspect_interview_core::AutoProcessingTerms;
use aspect_interview_core::matching::EmailNormalization;
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::engine::TenantSettings;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::tenant::{ArchivedPolicy, Ats, TenantId};

use super::SyncStatus;

/// Record kind of a tenant's settings.
pub const TENANT: &str = "tenant";
/// Record kind of one tenant's connection to one ATS.
pub const CONNECTION: &str = "connection";
/// Record kind of a tenant's Lever OAuth tokens (sealed).
pub const LEVER_TOKENS: &str = "lever_tokens";
/// Record kind of a pending OAuth authorization (single use).
pub const OAUTH_STATE: &str = "oauth_state";
/// Record kind of the webhook event kinds a connection has received.
pub const WEBHOOKS_SEEN: &str = "webhooks_seen";

/// How many times a compare-and-set update is retried against other writers.
const CAS_ATTEMPTS: usize = 32;

/// The key of a per-ATS record.
pub(crate) fn connection_key(tenant: &TenantId, ats: Ats) -> String {
    format!("{tenant}/{ats}")
}

/// A tenant's settings as stored (no secrets).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct TenantDoc {
    pub(crate) archived_policy: ArchivedPolicy,
    pub(crate) own_domains: Vec<String>,
    pub(crate) recording_base_url: Option<String>,
    pub(crate) auto_processing_terms: Option<AutoProcessingTerms>,
    pub(crate) email_normalization: EmailNormalization,
    pub(crate) created_at: DateTime<Utc>,
}

impl TenantDoc {
    pub(crate) fn of(settings: &TenantSettings) -> Self {
        Self {
            archived_policy: settings.archived_policy,
            own_domains: settings.own_domains.clone(),
            recording_base_url: settings.recording_base_url.clone(),
            auto_processing_terms: settings.auto_processing_terms.clone(),
            email_normalization: settings.email_normalization.clone(),
            created_at: Utc::now(),
        }
    }

    pub(crate) fn settings(&self) -> TenantSettings {
        let mut settings = TenantSettings::new()
            .own_domains(self.own_domains.clone())
            .archived_policy(self.archived_policy)
            .email_normalization(self.email_normalization.clone());
        if let Some(url) = &self.recording_base_url {
            settings = settings.recording_base_url(url.clone());
        }
        if let Some(terms) = &self.auto_processing_terms {
            settings = settings.auto_processing_terms(terms.clone());
        }
        settings
    }
}

/// Where a connection stands, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub(crate) enum StoredState {
    /// Credentials saved; the first Sync has not completed (Greenhouse).
    AwaitingSync,
    /// Working.
    Active,
    /// Stopped: the credentials were revoked or lapsed, or setup failed.
    Inactive { reason: String },
}

/// One tenant's connection to one ATS.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ConnectionDoc {
    pub(crate) state: StoredState,
    /// When this connection (this credential chain) was made: a revocation
    /// reported by an older chain's connector is ignored.
    pub(crate) connected_at: DateTime<Utc>,
    #[serde(default)]
    pub(crate) sync: Option<SyncStatus>,
    #[serde(default)]
    pub(crate) lever: Option<LeverDoc>,
    #[serde(default)]
    pub(crate) greenhouse: Option<GreenhouseDoc>,
}

/// The Lever side of a connection.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct LeverDoc {
    /// The signature tokens of the registered webhooks, as a sealed JSON list.
    pub(crate) webhook_tokens: String,
    /// The endpoint the webhooks were registered for.
    pub(crate) webhook_url: String,
}

/// The Greenhouse side of a connection.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct GreenhouseDoc {
    pub(crate) client_id: String,
    /// Sealed.
    pub(crate) client_secret: String,
    pub(crate) admin_email: String,
    /// The Greenhouse user notes are posted as (the admin).
    pub(crate) user_id: u64,
    /// Sealed.
    pub(crate) webhook_secret: String,
}

/// A pending Lever authorization.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct StateDoc {
    pub(crate) tenant: TenantId,
    pub(crate) ats: Ats,
    pub(crate) expires_at: DateTime<Utc>,
}

/// When each webhook event kind last arrived.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct SeenDoc {
    pub(crate) last_at: Option<DateTime<Utc>>,
    pub(crate) kinds: BTreeMap<String, DateTime<Utc>>,
}

/// A decoded record and the version it was read at.
pub(crate) struct Versioned<T> {
    pub(crate) doc: T,
    pub(crate) version: u64,
}

/// Reads and decodes one record.
pub(crate) async fn read<T: DeserializeOwned>(
    store: &dyn Store,
    kind: &str,
    key: &str,
) -> Result<Option<Versioned<T>>> {
    let Some(record) = store.record(kind, key).await? else {
        return Ok(None);
    };
    let doc = serde_json::from_str(&record.value)
        .map_err(|e| Error::Corrupt(format!("{kind} record `{key}`: {e}")))?;
    Ok(Some(Versioned {
        doc,
        version: record.version,
    }))
}

/// Writes `doc` whatever is stored (create or replace), retrying against
/// concurrent writers; returns the new version.
pub(crate) async fn replace<T: Serialize>(
    store: &dyn Store,
    kind: &str,
    key: &str,
    doc: &T,
) -> Result<u64> {
    let value = serde_json::to_string(doc)?;
    for _ in 0..CAS_ATTEMPTS {
        let current = store.record(kind, key).await?.map(|r| r.version);
        if let Some(version) = store.put_record(kind, key, &value, current).await? {
            return Ok(version);
        }
    }
    Err(contended(kind, key))
}

/// Applies `change` to the stored record with compare-and-set, retrying
/// when another writer got in between. `change` sees the current record
/// (or `None`) and returns the new one, or `None` to leave it as it is.
pub(crate) async fn update<T, F>(
    store: &dyn Store,
    kind: &str,
    key: &str,
    mut change: F,
) -> Result<Option<T>>
where
    T: Serialize + DeserializeOwned,
    F: FnMut(Option<T>) -> Option<T> + Send,
{
    for _ in 0..CAS_ATTEMPTS {
        let current = read::<T>(store, kind, key).await?;
        let version = current.as_ref().map(|c| c.version);
        let Some(next) = change(current.map(|c| c.doc)) else {
            return Ok(None);
        };
        let value = serde_json::to_string(&next)?;
        if store
            .put_record(kind, key, &value, version)
            .await?
            .is_some()
        {
            return Ok(Some(next));
        }
    }
    Err(contended(kind, key))
}

fn contended(kind: &str, key: &str) -> Error {
    Error::Store(format!(
        "{kind} record `{key}` kept changing under concurrent writers"
    ))
}

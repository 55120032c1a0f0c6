//! A durable Lever [`TokenStore`] on the store's record family.
//!
//! Lever rotates the refresh token on every refresh and the old one dies
//! (research note lever.md §1, §10.2): a token kept only in memory is lost
//! at the next restart. [`StoreTokenStore`] keeps the token set sealed in
//! the [`LEVER_TOKENS`](super::records::LEVER_TOKENS) record, written with
//! compare-and-set against the version it last read, so every replica and
//! every restart continues the one chain and a stale writer never replaces
//! a newer rotation.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use lever_client::{TokenSet, TokenStore};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::secrets::SecretBox;
use crate::store::Store;
use crate::tenant::TenantId;

use super::records::LEVER_TOKENS;

/// The sealed plaintext of a token set.
#[derive(Serialize, Deserialize)]
struct TokenDoc {
    access_token: String,
    refresh_token: Option<String>,
    expires_at: DateTime<Utc>,
    refresh_token_issued_at: DateTime<Utc>,
    scope: Option<String>,
}

/// One tenant's Lever tokens in the engine's store, sealed with a
/// [`SecretBox`]. Build one per client: it remembers the record version it
/// read last, which is how a replica notices that another one rotated the
/// chain ([`is_stale`](Self::is_stale)).
pub struct StoreTokenStore {
    store: Arc<dyn Store>,
    secrets: Arc<SecretBox>,
    tenant: TenantId,
    seen: Mutex<Option<u64>>,
}

impl std::fmt::Debug for StoreTokenStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreTokenStore")
            .field("tenant", &self.tenant)
            .finish_non_exhaustive()
    }
}

impl StoreTokenStore {
    /// The token store of `tenant`'s Lever connection.
    pub fn new(store: Arc<dyn Store>, secrets: Arc<SecretBox>, tenant: TenantId) -> Self {
        Self {
            store,
            secrets,
            tenant,
            seen: Mutex::new(None),
        }
    }

    /// The stored token set, if any.
    pub async fn read(&self) -> Result<Option<TokenSet>> {
        let Some(record) = self
            .store
            .record(LEVER_TOKENS, self.tenant.as_str())
            .await?
        else {
            self.remember(None);
            return Ok(None);
        };
        let plain = self
            .secrets
            .open_str(LEVER_TOKENS, self.tenant.as_str(), &record.value)?;
        let doc: TokenDoc = serde_json::from_str(&plain)
            .map_err(|_| Error::Corrupt("stored Lever tokens are not a token set".into()))?;
        self.remember(Some(record.version));
        Ok(Some(TokenSet {
            access_token: doc.access_token.into(),
            refresh_token: doc.refresh_token.map(Into::into),
            expires_at: doc.expires_at,
            refresh_token_issued_at: doc.refresh_token_issued_at,
            scope: doc.scope,
        }))
    }

    /// Replaces whatever chain is stored with `tokens` (a new authorization
    /// starts a new chain).
    pub async fn replace(&self, tokens: &TokenSet) -> Result<()> {
        let value = self.seal(tokens)?;
        for _ in 0..32 {
            let current = self
                .store
                .record(LEVER_TOKENS, self.tenant.as_str())
                .await?
                .map(|r| r.version);
            if let Some(v) = self
                .store
                .put_record(LEVER_TOKENS, self.tenant.as_str(), &value, current)
                .await?
            {
                self.remember(Some(v));
                return Ok(());
            }
        }
        Err(Error::Store(
            "Lever tokens kept changing while saved".into(),
        ))
    }

    /// Writes a rotated set over the version this store read last. When
    /// another writer rotated the chain first, its set is kept (it is the
    /// one the other replicas already use) and `false` is returned.
    pub async fn save_rotation(&self, tokens: &TokenSet) -> Result<bool> {
        let value = self.seal(tokens)?;
        let expected = *self.seen.lock().unwrap_or_else(|e| e.into_inner());
        match self
            .store
            .put_record(LEVER_TOKENS, self.tenant.as_str(), &value, expected)
            .await?
        {
            Some(v) => {
                self.remember(Some(v));
                Ok(true)
            }
            None => {
                tracing::warn!(tenant = %self.tenant, "Lever tokens were rotated by another process first; keeping the stored chain");
                Ok(false)
            }
        }
    }

    /// Whether the stored chain moved on since this store read or wrote it
    /// (another replica or client refreshed): a client built on this store
    /// then holds a dead refresh token and must be rebuilt.
    pub async fn is_stale(&self) -> Result<bool> {
        let stored = self
            .store
            .record(LEVER_TOKENS, self.tenant.as_str())
            .await?
            .map(|r| r.version);
        let seen = *self.seen.lock().unwrap_or_else(|e| e.into_inner());
        Ok(stored.is_some() && stored != seen)
    }

    /// Deletes the stored tokens.
    pub async fn delete(&self) -> Result<bool> {
        self.remember(None);
        self.store
            .delete_record(LEVER_TOKENS, self.tenant.as_str(), None)
            .await
    }

    fn seal(&self, tokens: &TokenSet) -> Result<String> {
        let doc = TokenDoc {
            access_token: expose(&tokens.access_token),
            refresh_token: tokens.refresh_token.as_ref().map(expose),
            expires_at: tokens.expires_at,
            refresh_token_issued_at: tokens.refresh_token_issued_at,
            scope: tokens.scope.clone(),
        };
        self.secrets.seal_str(
            LEVER_TOKENS,
            self.tenant.as_str(),
            &serde_json::to_string(&doc)?,
        )
    }

    fn remember(&self, version: Option<u64>) {
        *self.seen.lock().unwrap_or_else(|e| e.into_inner()) = version;
    }
}

impl TokenStore for StoreTokenStore {
    fn load(
        &self,
    ) -> BoxFuture<'_, std::result::Result<Option<TokenSet>, lever_client::error::BoxError>> {
        Box::pin(async move { self.read().await.map_err(Into::into) })
    }

    fn save(
        &self,
        tokens: TokenSet,
    ) -> BoxFuture<'_, std::result::Result<(), lever_client::error::BoxError>> {
        Box::pin(async move {
            self.save_rotation(&tokens)
                .await
                .map(|_| ())
                .map_err(Into::into)
        })
    }
}

fn expose(secret: &secrecy::SecretString) -> String {
    secret.expose_secret().to_owned()
}

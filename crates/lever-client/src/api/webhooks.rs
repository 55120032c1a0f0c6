//! Managing webhook subscriptions (LD "Webhooks via the API"; research note §4.5). A Super Admin
//! still has to toggle the webhook group on in Lever's settings before deliveries start.

use reqwest::Method;
use serde_json::json;

use crate::client::{Call, LeverClient};
use crate::error::Error;
use crate::models::{CreatedWebhook, NewWebhook, Webhook, WebhookUpdate};

impl LeverClient {
    /// Webhooks created through the API (`GET /webhooks`).
    pub async fn webhooks(&self) -> Result<Vec<Webhook>, Error> {
        self.data(Call::get(&["webhooks"])).await
    }

    /// Register a webhook (`POST /webhooks`). The response carries its signature token; store it
    /// for verification. Like every POST, retried only after a connection error.
    pub async fn create_webhook(&self, webhook: &NewWebhook) -> Result<CreatedWebhook, Error> {
        let body = serde_json::to_value(webhook).map_err(|e| Error::InvalidInput(e.to_string()))?;
        self.data(
            Call::get(&["webhooks"])
                .with_method(Method::POST)
                .body(body),
        )
        .await
    }

    /// Update API-created webhooks (`PUT /webhooks`).
    pub async fn update_webhooks(&self, updates: &[WebhookUpdate]) -> Result<Vec<Webhook>, Error> {
        let body = json!({ "data": updates });
        self.data(Call::get(&["webhooks"]).with_method(Method::PUT).body(body))
            .await
    }

    /// Delete an API-created webhook (`DELETE /webhooks/:id`, 204).
    pub async fn delete_webhook(&self, id: &str) -> Result<(), Error> {
        self.execute(Call::get(&["webhooks", id]).with_method(Method::DELETE))
            .await
            .map(drop)
    }
}

//! Requisitions and requisition fields (LD "Requisitions", "Requisition Fields").

use reqwest::Method;
use serde_json::{Value, json};

use crate::api::query::{filters, list_endpoint};
use crate::client::{Call, LeverClient};
use crate::error::Error;
use crate::models::{Requisition, RequisitionField, Timestamp};

filters! {
    /// Filters for listing requisitions (LD "List all requisitions").
    RequisitionQuery {
        /// Created at or after.
        created_at_start: Timestamp => "created_at_start",
        /// Created at or before.
        created_at_end: Timestamp => "created_at_end",
        /// With this requisition code (repeatable).
        requisition_code: &str => "requisition_code",
        /// With this status (`open`, `onHold`, `closed`, `draft`).
        status: &str => "status",
        /// Confidentiality (`confidential`, `non-confidential`, `all`).
        confidentiality: &str => "confidentiality",
    }
}

/// A write body must be a JSON object.
fn object_body(body: &Value, what: &str) -> Result<Value, Error> {
    if body.is_object() {
        Ok(body.clone())
    } else {
        Err(Error::InvalidInput(format!("{what} must be a JSON object")))
    }
}

impl LeverClient {
    list_endpoint! {
        /// Requisitions (`GET /requisitions`).
        requisitions_page / requisitions -> Requisition,
        (query: &RequisitionQuery) => query.apply(Call::get(&["requisitions"]))
    }

    /// One requisition (`GET /requisitions/:id`).
    pub async fn requisition(&self, id: &str) -> Result<Requisition, Error> {
        self.data(Call::get(&["requisitions", id])).await
    }

    /// Create a requisition (`POST /requisitions`). The body is the documented requisition
    /// object (`requisitionCode`, `name`, `headcountTotal`, `status`, `hiringManager`,
    /// `owner`, `customFields`...), sent as given.
    pub async fn create_requisition(&self, body: &Value) -> Result<Requisition, Error> {
        let call =
            Call::new(Method::POST, &["requisitions"]).body(object_body(body, "a requisition")?);
        self.data(call).await
    }

    /// Replace a requisition (`PUT /requisitions/:id`).
    pub async fn update_requisition(&self, id: &str, body: &Value) -> Result<Requisition, Error> {
        let call =
            Call::new(Method::PUT, &["requisitions", id]).body(object_body(body, "a requisition")?);
        self.data(call).await
    }

    /// Delete (archive) a requisition (`DELETE /requisitions/:id`, 204).
    pub async fn delete_requisition(&self, id: &str) -> Result<(), Error> {
        let call = Call::new(Method::DELETE, &["requisitions", id]);
        self.execute(call).await.map(drop)
    }

    list_endpoint! {
        /// Requisition fields (`GET /requisition_fields`).
        requisition_fields_page / requisition_fields -> RequisitionField,
        () => Call::get(&["requisition_fields"])
    }

    /// One requisition field (`GET /requisition_fields/:id`).
    pub async fn requisition_field(&self, id: &str) -> Result<RequisitionField, Error> {
        self.data(Call::get(&["requisition_fields", id])).await
    }

    /// Create a requisition field (`POST /requisition_fields`; body `{id, text, type,
    /// isRequired?, options?}`).
    pub async fn create_requisition_field(&self, body: &Value) -> Result<RequisitionField, Error> {
        let call = Call::new(Method::POST, &["requisition_fields"])
            .body(object_body(body, "a requisition field")?);
        self.data(call).await
    }

    /// Replace a requisition field (`PUT /requisition_fields/:id`).
    pub async fn update_requisition_field(
        &self,
        id: &str,
        body: &Value,
    ) -> Result<RequisitionField, Error> {
        let call = Call::new(Method::PUT, &["requisition_fields", id])
            .body(object_body(body, "a requisition field")?);
        self.data(call).await
    }

    /// Delete a requisition field (`DELETE /requisition_fields/:id`, 204).
    pub async fn delete_requisition_field(&self, id: &str) -> Result<(), Error> {
        let call = Call::new(Method::DELETE, &["requisition_fields", id]);
        self.execute(call).await.map(drop)
    }

    /// Add options to an `object` requisition field
    /// (`POST /requisition_fields/:id/options` `{"values":[{"text":…}]}`).
    pub async fn add_requisition_field_options(
        &self,
        id: &str,
        texts: &[&str],
    ) -> Result<RequisitionField, Error> {
        let values: Vec<Value> = texts.iter().map(|t| json!({ "text": t })).collect();
        let call = Call::new(Method::POST, &["requisition_fields", id, "options"])
            .body(json!({ "values": values }));
        self.data(call).await
    }

    /// Rename options (`PUT /requisition_fields/:id/options`
    /// `{"values":[{"id":…,"text":…}]}`); pairs are `(option id, new text)`.
    pub async fn update_requisition_field_options(
        &self,
        id: &str,
        options: &[(&str, &str)],
    ) -> Result<RequisitionField, Error> {
        let values: Vec<Value> = options
            .iter()
            .map(|(option, text)| json!({ "id": option, "text": text }))
            .collect();
        let call = Call::new(Method::PUT, &["requisition_fields", id, "options"])
            .body(json!({ "values": values }));
        self.data(call).await
    }

    /// Remove options (`DELETE /requisition_fields/:id/options` `{"values":[{"id":…}]}`).
    /// The answer's shape is UNCONFIRMED (204 or the field), so only success is reported.
    pub async fn delete_requisition_field_options(
        &self,
        id: &str,
        option_ids: &[&str],
    ) -> Result<(), Error> {
        let values: Vec<Value> = option_ids.iter().map(|o| json!({ "id": o })).collect();
        let call = Call::new(Method::DELETE, &["requisition_fields", id, "options"])
            .body(json!({ "values": values }));
        self.execute(call).await.map(drop)
    }
}

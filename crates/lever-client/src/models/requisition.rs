//! Requisitions and requisition fields (LD "Requisitions", "Requisition Fields").

use serde::{Deserialize, Serialize};

use super::common::{Expandable, Extra, HasId, Timestamp, null_default, opt_millis};
use super::user::User;

/// A requisition (an approved headcount).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Requisition {
    /// Requisition id.
    pub id: String,
    /// The customer's requisition code.
    #[serde(default)]
    pub requisition_code: Option<String>,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Whether it backfills a departure.
    #[serde(default)]
    pub backfill: Option<bool>,
    /// Confidentiality (`confidential`, `non-confidential`).
    #[serde(default)]
    pub confidentiality: Option<String>,
    /// Creation time.
    #[serde(default, with = "opt_millis")]
    pub created_at: Option<Timestamp>,
    /// Creator.
    #[serde(default)]
    pub creator: Option<Expandable<User>>,
    /// Owner.
    #[serde(default)]
    pub owner: Option<Expandable<User>>,
    /// Hiring manager.
    #[serde(default)]
    pub hiring_manager: Option<Expandable<User>>,
    /// Hires so far.
    #[serde(default)]
    pub headcount_hired: Option<i64>,
    /// Total headcount (Lever sends the string `unlimited` for open-ended ones, so kept as JSON).
    #[serde(default)]
    pub headcount_total: Option<serde_json::Value>,
    /// Status (`open`, `onHold`, `closed`, `draft`), free text.
    #[serde(default)]
    pub status: Option<String>,
    /// Compensation band, as sent.
    #[serde(default)]
    pub compensation_band: Option<serde_json::Value>,
    /// Employment status (`full-time`...).
    #[serde(default)]
    pub employment_status: Option<String>,
    /// Location.
    #[serde(default)]
    pub location: Option<String>,
    /// Internal notes.
    #[serde(default)]
    pub internal_notes: Option<String>,
    /// Linked posting ids.
    #[serde(default, deserialize_with = "null_default")]
    pub postings: Vec<String>,
    /// Department.
    #[serde(default)]
    pub department: Option<String>,
    /// Team.
    #[serde(default)]
    pub team: Option<String>,
    /// Offers made against it.
    #[serde(default, deserialize_with = "null_default")]
    pub offer_ids: Vec<String>,
    /// Approval workflow, as sent.
    #[serde(default)]
    pub approval: Option<serde_json::Value>,
    /// Custom requisition fields by field id.
    #[serde(default, deserialize_with = "null_default")]
    pub custom_fields: Extra,
    /// Fields this version does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl HasId for Requisition {
    fn id(&self) -> &str {
        &self.id
    }
}

/// A custom requisition field. Ids are snake_case names such as `cost_center`, not UUIDs
/// (research note §5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequisitionField {
    /// Field id.
    pub id: String,
    /// Label.
    #[serde(default)]
    pub text: Option<String>,
    /// Type (`number`, `text`, `date`, `object`), free text.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// Whether a value is required.
    #[serde(default)]
    pub is_required: Option<bool>,
    /// Options of a field with a fixed set of values (`{id, text}`).
    #[serde(default, deserialize_with = "null_default")]
    pub options: Vec<serde_json::Value>,
    /// Sub-fields of an `object` field (e.g. a cost center's `city` and `campus_code`; shape
    /// as in a sandbox response recorded by amp-labs/connectors, `providers/lever/test`).
    #[serde(default, deserialize_with = "null_default")]
    pub subfields: Vec<RequisitionField>,
    /// Fields this version does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl HasId for RequisitionField {
    fn id(&self) -> &str {
        &self.id
    }
}

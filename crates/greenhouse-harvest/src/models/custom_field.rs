//! Custom-field definitions and their options (`GET /v3/custom_fields`,
//! `GET /v3/custom_field_options`), which also serve education: "The v1
//! `/schools`, `/degrees`, `/disciplines` endpoints are served here — pass the
//! matching `custom_field_key`" (v3 reference as quoted in public file ref
//! 60100158998; Airbyte's v3 connector reads degrees, disciplines and schools
//! with `custom_field_key=degree|discipline|school_name`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::common::timestamp;

/// A custom field's definition: what a key in a `custom_fields` map means.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CustomFieldDefinition {
    /// Greenhouse id.
    pub id: u64,
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Stable key used in `custom_fields` maps ("use this, not id").
    #[serde(default)]
    pub name_key: Option<String>,
    /// What it is attached to: `job`, `opening`, `offer`, `candidate`, `application`, ...
    #[serde(default)]
    pub field_type: Option<String>,
    /// Value type: `short_text`, `single_select`, `currency_range`, ...
    #[serde(default)]
    pub value_type: Option<String>,
    /// Built-in meaning, e.g. `degree`, `school_name`, `employment_type`.
    #[serde(default)]
    pub internal_type: Option<String>,
    /// Private field.
    #[serde(default)]
    pub private: Option<bool>,
    /// Required field.
    #[serde(default)]
    pub required: Option<bool>,
    /// Whether it is in use.
    #[serde(default)]
    pub active: Option<bool>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// One option of a select custom field (or a degree, discipline or school).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CustomFieldOption {
    /// Greenhouse id.
    pub id: u64,
    /// The field.
    #[serde(default)]
    pub custom_field_id: Option<u64>,
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// The customer's id.
    #[serde(default)]
    pub external_id: Option<String>,
    /// Position.
    #[serde(default)]
    pub sort_order: Option<i64>,
    /// Whether it can be chosen.
    #[serde(default)]
    pub active: Option<bool>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

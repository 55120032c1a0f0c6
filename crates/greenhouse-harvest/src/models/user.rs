//! `GET /v3/users`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::common::{CustomFields, null_as_empty, timestamp};

/// A Greenhouse user (research notes §3.5). Service accounts have an empty `primary_email`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct User {
    /// Greenhouse id (the value to pass as the client-credentials `sub`).
    pub id: u64,
    /// First name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Full name.
    #[serde(default)]
    pub name: Option<String>,
    /// Primary e-mail.
    #[serde(default)]
    pub primary_email: Option<String>,
    /// All e-mails.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub emails: Vec<String>,
    /// External employee id.
    #[serde(default)]
    pub employee_id: Option<String>,
    /// Site Admin (needed for v3 list reads).
    #[serde(default)]
    pub site_admin: Option<bool>,
    /// Deactivated user.
    #[serde(default)]
    pub deactivated: Option<bool>,
    /// Job title.
    #[serde(default)]
    pub job_title: Option<String>,
    /// Departments.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub department_ids: Vec<u64>,
    /// Offices.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub office_ids: Vec<u64>,
    /// Candidates linked to this user.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub linked_candidate_ids: Vec<u64>,
    /// Custom fields.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub custom_fields: CustomFields,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

impl User {
    /// Whether `email` is the primary or a secondary address (case-insensitive).
    pub fn has_email(&self, email: &str) -> bool {
        self.primary_email
            .iter()
            .chain(self.emails.iter())
            .any(|e| e.eq_ignore_ascii_case(email))
    }
}

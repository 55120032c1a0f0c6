//! `GET /v3/candidates`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::common::{CustomFields, EmailAddress, TypedValue, null_as_empty, timestamp};

/// A candidate or prospect (v3 fields per research notes §3.1; no applications
/// are embedded in v3 — list them with `candidate_ids`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Candidate {
    /// Greenhouse id.
    pub id: u64,
    /// First name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Preferred name.
    #[serde(default)]
    pub preferred_name: Option<String>,
    /// Current company.
    #[serde(default)]
    pub company: Option<String>,
    /// Current title.
    #[serde(default)]
    pub title: Option<String>,
    /// Whether the candidate is marked private.
    #[serde(default)]
    pub private: Option<bool>,
    /// Whether the candidate may be e-mailed.
    #[serde(default)]
    pub can_email: Option<bool>,
    /// IANA-style time zone, when known.
    #[serde(default)]
    pub time_zone: Option<String>,
    /// Tags.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub tags: Vec<String>,
    /// E-mail addresses with their types.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub email_addresses: Vec<EmailAddress>,
    /// Phone numbers.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub phone_numbers: Vec<TypedValue>,
    /// Postal addresses.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub addresses: Vec<TypedValue>,
    /// Websites.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub website_addresses: Vec<TypedValue>,
    /// Social media profiles (`type` usually absent).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub social_media_addresses: Vec<TypedValue>,
    /// Ids of Greenhouse users linked to this candidate (internal applicants).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub linked_user_ids: Vec<u64>,
    /// Custom fields keyed by field key.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub custom_fields: CustomFields,
    /// Last activity.
    #[serde(default, with = "timestamp::option")]
    pub last_activity_at: Option<DateTime<Utc>>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

impl Candidate {
    /// "First Last" from the parts that are present.
    pub fn full_name(&self) -> String {
        [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Whether any of the candidate's addresses equals `email` (case-insensitive).
    pub fn has_email(&self, email: &str) -> bool {
        self.email_addresses
            .iter()
            .filter_map(|e| e.value.as_deref())
            .any(|v| v.eq_ignore_ascii_case(email))
    }
}

//! Organization dictionaries: departments, offices, user roles, sources,
//! close and rejection reasons, custom job-board locations, tags.
//!
//! Field sets follow the Harvest v3 reference pages as inventoried by a
//! third party that read them in full (public file ref 60100158998: "GET
//! /v3/departments", "/v3/offices", "/v3/user_roles", "/v3/sources",
//! "/v3/close_reasons", "/v3/rejection_reasons", "/v3/job_board_custom_locations",
//! "/v3/candidate_tags", "/v3/applied_candidate_tags"). Every field but `id` is
//! optional and `created_at`/`updated_at` are on every v3 resource
//! (harvestdocs.greenhouse.io/docs/standardizations).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::common::{location_name, string_enum, timestamp};

/// A department (`GET /v3/departments`); departments form a tree through `parent_id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Department {
    /// Greenhouse id.
    pub id: u64,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Parent department.
    #[serde(default)]
    pub parent_id: Option<u64>,
    /// The customer's (HRIS) id.
    #[serde(default)]
    pub external_id: Option<String>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// An office (`GET /v3/offices`); offices form a tree through `parent_id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Office {
    /// Greenhouse id.
    pub id: u64,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Parent office.
    #[serde(default)]
    pub parent_id: Option<u64>,
    /// The customer's (HRIS) id.
    #[serde(default)]
    pub external_id: Option<String>,
    /// Location name. Its v3 shape was not confirmed (v1 and the
    /// `office_deleted` webhook send `{"name": …}`, job webhooks a string):
    /// both are read.
    #[serde(default, deserialize_with = "location_name")]
    pub location: Option<String>,
    /// The office's primary in-house contact.
    #[serde(default)]
    pub primary_in_house_contact_user_id: Option<u64>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

string_enum! {
    /// `role_type` of a user role.
    pub enum RoleType {
        /// Assigned per job (`user_job_permissions`).
        JobAdmin => "job_admin",
        /// Organization-wide.
        SiteAdmin => "site_admin",
        /// Legacy interviewer role.
        DeprecatedInterviewer => "deprecated_interviewer",
    }
}

/// A user role (`GET /v3/user_roles`), e.g. `Standard`, `Site Admin`, `Recruiter`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UserRole {
    /// Greenhouse id (the `role_id` of job permissions).
    pub id: u64,
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Kind of role.
    #[serde(default)]
    pub role_type: Option<RoleType>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// `{id, name}` of a source's type (the sourcing strategy, e.g. `Referral`, `Agencies`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SourceType {
    /// Id.
    #[serde(default)]
    pub id: Option<u64>,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
}

/// A source (`GET /v3/sources`), e.g. `LinkedIn (Prospecting)`; `application.source_id` points here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Source {
    /// Greenhouse id.
    pub id: u64,
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// The sourcing strategy.
    #[serde(rename = "type", default)]
    pub kind: Option<SourceType>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// A reason an opening was closed (`GET /v3/close_reasons`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CloseReason {
    /// Greenhouse id.
    pub id: u64,
    /// Name, e.g. `Hire - New Headcount`, `On Hold`.
    #[serde(default)]
    pub name: Option<String>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

impl CloseReason {
    /// Whether Greenhouse reporting counts this reason as a hire: "names
    /// starting with `Hire -` are treated as hire outcomes" (v3 reference,
    /// as quoted in public file ref 60100158998).
    pub fn is_hire(&self) -> bool {
        self.name
            .as_deref()
            .is_some_and(|n| n.starts_with("Hire -"))
    }
}

string_enum! {
    /// `type.key` of a rejection reason ("prefer matching on key over name").
    pub enum RejectionReasonKey {
        /// We rejected them.
        WeRejectedThem => "WE_REJECTED_THEM",
        /// They rejected us (withdrew).
        TheyRejectedUs => "THEY_REJECTED_US",
        /// None specified.
        NoneSpecified => "NONE_SPECIFIED",
        /// Security concern (only when the organization enables it).
        SecurityConcern => "SECURITY_CONCERN",
    }
}

/// The type of a rejection reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RejectionReasonType {
    /// Id.
    #[serde(default)]
    pub id: Option<u64>,
    /// Stable key.
    #[serde(default)]
    pub key: Option<RejectionReasonKey>,
    /// Display name, e.g. `We rejected them`.
    #[serde(default)]
    pub name: Option<String>,
}

/// A rejection reason (`GET /v3/rejection_reasons`; pass
/// `include_defaults=true` for Greenhouse's built-in reasons too).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RejectionReason {
    /// Greenhouse id.
    pub id: u64,
    /// Name, e.g. `Not a cultural fit`.
    #[serde(default)]
    pub name: Option<String>,
    /// Its type.
    #[serde(rename = "type", default)]
    pub kind: Option<RejectionReasonType>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// A custom location of a job board (`GET /v3/job_board_custom_locations`),
/// the target of a job post location of type `custom_list`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CustomLocation {
    /// Greenhouse id.
    pub id: u64,
    /// The location label.
    #[serde(default)]
    pub value: Option<String>,
    /// Whether it can be chosen.
    #[serde(default)]
    pub active: Option<bool>,
    /// The job board.
    #[serde(default)]
    pub greenhouse_job_board_id: Option<u64>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// A candidate tag of the organization's dictionary (`GET /v3/candidate_tags`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CandidateTag {
    /// Greenhouse id.
    pub id: u64,
    /// Tag name, e.g. `Silver Medalist`.
    #[serde(default)]
    pub name: Option<String>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// A tag on a candidate (`GET /v3/applied_candidate_tags`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AppliedCandidateTag {
    /// Greenhouse id (delete it to untag).
    pub id: u64,
    /// The candidate.
    #[serde(default)]
    pub candidate_id: Option<u64>,
    /// The tag.
    #[serde(default)]
    pub candidate_tag_id: Option<u64>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

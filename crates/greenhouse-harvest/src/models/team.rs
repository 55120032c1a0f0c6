//! Who works on jobs: job owners and hiring managers, referrers, user e-mails and job permissions.
//!
//! Field sets follow the Harvest v3 reference pages as inventoried by a
//! third party that read them in full (public file ref 60100158998). Every
//! field but `id` is optional; `created_at`/`updated_at` are on every v3
//! resource (harvestdocs.greenhouse.io/docs/standardizations).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::common::timestamp;

/// A recruiter, coordinator or sourcer of a job (`GET /v3/job_owners`; hiring managers are in `/v3/job_hiring_managers`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct JobOwner {
    /// Greenhouse id.
    pub id: u64,
    /// The job.
    #[serde(default)]
    pub job_id: Option<u64>,
    /// The user.
    #[serde(default)]
    pub user_id: Option<u64>,
    /// `recruiter`, `coordinator` or `sourcer`.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// Default assignee for new applications (always false for sourcers).
    #[serde(default)]
    pub responsible: Option<bool>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// A hiring manager of a job (`GET /v3/job_hiring_managers`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct JobHiringManager {
    /// Greenhouse id.
    pub id: u64,
    /// The job.
    #[serde(default)]
    pub job_id: Option<u64>,
    /// The user.
    #[serde(default)]
    pub user_id: Option<u64>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// A referrer (`GET /v3/referrers`); `application.referrer_id` points here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Referrer {
    /// Greenhouse id.
    pub id: u64,
    /// The "Who Gets Credit" label.
    #[serde(default)]
    pub name: Option<String>,
    /// The Greenhouse user, for internal employees (not the id space of `referrer_id`).
    #[serde(default)]
    pub user_id: Option<u64>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// An e-mail address of a user (`GET /v3/user_emails`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UserEmail {
    /// Greenhouse id.
    pub id: u64,
    /// The user.
    #[serde(default)]
    pub user_id: Option<u64>,
    /// The address.
    #[serde(default)]
    pub email: Option<String>,
    /// Whether it was verified.
    #[serde(default)]
    pub verified: Option<bool>,
    /// When the verification e-mail went out.
    #[serde(default, with = "timestamp::option")]
    pub verification_token_sent_at: Option<DateTime<Utc>>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// A user's access to one job (`GET /v3/user_job_permissions`; Site Admins are not listed: they see every non-confidential job).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UserJobPermission {
    /// Greenhouse id.
    pub id: u64,
    /// The user.
    #[serde(default)]
    pub user_id: Option<u64>,
    /// The job.
    #[serde(default)]
    pub job_id: Option<u64>,
    /// The job-admin role (`/v3/user_roles`).
    #[serde(default)]
    pub role_id: Option<u64>,
    /// Created by a permission rule rather than by hand.
    #[serde(default)]
    pub automated: Option<bool>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// A grant applied to future jobs (`GET /v3/future_job_permissions`; both scope ids `null` means every future job).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FutureJobPermission {
    /// Greenhouse id.
    pub id: u64,
    /// The user.
    #[serde(default)]
    pub user_id: Option<u64>,
    /// The job-admin role.
    #[serde(default)]
    pub role_id: Option<u64>,
    /// Department scope.
    #[serde(default)]
    pub department_id: Option<u64>,
    /// Office scope.
    #[serde(default)]
    pub office_id: Option<u64>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

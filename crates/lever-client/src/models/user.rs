//! Lever users: recruiters, interviewers, admins (LD "Users"; research note §3.5).

use serde::{Deserialize, Serialize};

use super::common::{Extra, HasId, Timestamp, open_enum, opt_millis};

/// A Lever user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// User id (use it as `perform_as`).
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Username, used for `@username` mentions in notes.
    #[serde(default)]
    pub username: Option<String>,
    /// E-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// Creation time.
    #[serde(default, with = "opt_millis")]
    pub created_at: Option<Timestamp>,
    /// When the user was deactivated; `None` while active.
    #[serde(default, with = "opt_millis")]
    pub deactivated_at: Option<Timestamp>,
    /// Access role.
    #[serde(default)]
    pub access_role: Option<AccessRole>,
    /// Photo URL.
    #[serde(default)]
    pub photo: Option<String>,
    /// Id in the customer's directory.
    #[serde(default)]
    pub external_directory_id: Option<String>,
    /// Contacts linked to this user. Lever documents the field as "array or null" (LD
    /// "Users"), so an explicit `null` is kept as `None` and written back as `null`; see
    /// [`User::linked_contacts`] for a plain slice.
    #[serde(default)]
    pub linked_contact_ids: Option<Vec<String>>,
    /// Job title.
    #[serde(default)]
    pub job_title: Option<String>,
    /// Manager's user id.
    #[serde(default)]
    pub manager_id: Option<String>,
    /// Fields this version does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl User {
    /// The linked contact ids; empty when Lever sent `null` or nothing.
    pub fn linked_contacts(&self) -> &[String] {
        self.linked_contact_ids.as_deref().unwrap_or_default()
    }
}

impl HasId for User {
    fn id(&self) -> &str {
        &self.id
    }
}

open_enum! {
    /// A user's access role (LD "Users").
    AccessRole {
        /// Super admin.
        SuperAdmin = "super admin",
        /// Admin.
        Admin = "admin",
        /// Team member.
        TeamMember = "team member",
        /// Limited team member.
        LimitedTeamMember = "limited team member",
        /// Interviewer.
        Interviewer = "interviewer",
    }
}

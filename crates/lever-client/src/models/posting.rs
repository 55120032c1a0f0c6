//! Job postings (LD "Postings"; research note §3.7).

use serde::{Deserialize, Serialize};

use super::common::{Expandable, Extra, HasId, Timestamp, null_default, open_enum, opt_millis};
use super::opportunity::Confidentiality;
use super::user::User;

/// A job posting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Posting {
    /// Posting id.
    pub id: String,
    /// Title.
    #[serde(default)]
    pub text: Option<String>,
    /// Creation time.
    #[serde(default, with = "opt_millis")]
    pub created_at: Option<Timestamp>,
    /// Last update.
    #[serde(default, with = "opt_millis")]
    pub updated_at: Option<Timestamp>,
    /// Creator.
    #[serde(default)]
    pub user: Option<Expandable<User>>,
    /// Owner.
    #[serde(default)]
    pub owner: Option<Expandable<User>>,
    /// Hiring manager.
    #[serde(default)]
    pub hiring_manager: Option<Expandable<User>>,
    /// Confidentiality.
    #[serde(default)]
    pub confidentiality: Option<Confidentiality>,
    /// Team, department, location...
    #[serde(default)]
    pub categories: Option<PostingCategories>,
    /// Country code.
    #[serde(default)]
    pub country: Option<String>,
    /// Tags.
    #[serde(default, deserialize_with = "null_default")]
    pub tags: Vec<String>,
    /// Publication state.
    #[serde(default)]
    pub state: Option<PostingState>,
    /// Distribution channels (`public`, `internal`).
    #[serde(default, deserialize_with = "null_default")]
    pub distribution_channels: Vec<String>,
    /// Requisition codes.
    #[serde(default, deserialize_with = "null_default")]
    pub requisition_codes: Vec<String>,
    /// Workplace type.
    #[serde(default)]
    pub workplace_type: Option<WorkplaceType>,
    /// Followers.
    #[serde(default, deserialize_with = "null_default")]
    pub followers: Vec<Expandable<User>>,
    /// Fields this version does not model (content, salary, urls...).
    #[serde(flatten)]
    pub extra: Extra,
}

impl HasId for Posting {
    fn id(&self) -> &str {
        &self.id
    }
}

/// A posting's categories.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostingCategories {
    /// Team.
    #[serde(default)]
    pub team: Option<String>,
    /// Department.
    #[serde(default)]
    pub department: Option<String>,
    /// Primary location.
    #[serde(default)]
    pub location: Option<String>,
    /// All locations.
    #[serde(default, deserialize_with = "null_default")]
    pub all_locations: Vec<String>,
    /// Commitment (full-time...).
    #[serde(default)]
    pub commitment: Option<String>,
    /// Level.
    #[serde(default)]
    pub level: Option<String>,
    /// Fields this version does not model, kept so nothing Lever adds is lost.
    #[serde(flatten)]
    pub extra: Extra,
}

open_enum! {
    /// Publication state of a posting.
    PostingState {
        /// Published.
        Published = "published",
        /// Internal only.
        Internal = "internal",
        /// Closed.
        Closed = "closed",
        /// Draft.
        Draft = "draft",
        /// Pending approval.
        Pending = "pending",
        /// Rejected.
        Rejected = "rejected",
    }
}

open_enum! {
    /// Where the job is done.
    WorkplaceType {
        /// On site.
        Onsite = "onsite",
        /// Remote.
        Remote = "remote",
        /// Hybrid.
        Hybrid = "hybrid",
        /// Not specified (Lever's default).
        Unspecified = "unspecified",
    }
}

//! Pipeline stages and archive reasons (LD "Stages", "Archive Reasons"; research note §3.6).

use serde::{Deserialize, Serialize};

use super::common::{Extra, HasId, open_enum};

/// A pipeline stage. Built-in stage ids are slugs (`lead-new`, `applicant-new`, `offer`...),
/// not UUIDs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stage {
    /// Stage id.
    pub id: String,
    /// Stage name.
    #[serde(default)]
    pub text: Option<String>,
    /// Fields this version does not model, kept so nothing Lever adds is lost.
    #[serde(flatten)]
    pub extra: Extra,
}

impl HasId for Stage {
    fn id(&self) -> &str {
        &self.id
    }
}

/// Why an opportunity was archived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchiveReason {
    /// Reason id.
    pub id: String,
    /// Reason text.
    #[serde(default)]
    pub text: Option<String>,
    /// Active or inactive.
    #[serde(default)]
    pub status: Option<ArchiveReasonStatus>,
    /// Hired or not.
    #[serde(default, rename = "type")]
    pub kind: Option<ArchiveReasonType>,
    /// Fields this version does not model, kept so nothing Lever adds is lost.
    #[serde(flatten)]
    pub extra: Extra,
}

impl HasId for ArchiveReason {
    fn id(&self) -> &str {
        &self.id
    }
}

open_enum! {
    /// Whether an archive reason can still be used.
    ArchiveReasonStatus {
        /// Usable.
        Active = "active",
        /// Retired.
        Inactive = "inactive",
    }
}

open_enum! {
    /// Kind of archive reason; there is exactly one `hired` reason per account.
    ArchiveReasonType {
        /// The candidate was hired.
        Hired = "hired",
        /// Any other outcome.
        NonHired = "non-hired",
    }
}

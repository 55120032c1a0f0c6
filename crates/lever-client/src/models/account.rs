//! Account-wide records: sources, tags, audit events, EEO responses, diversity surveys,
//! posting application forms and deleted opportunities (LD "Sources", "Tags", "Audit Events",
//! "EEO questions", "Surveys", "Retrieve posting application questions", "List deleted
//! opportunities").

use serde::{Deserialize, Serialize};

use super::common::{Extra, HasId, Timestamp, null_default, opt_millis};
use super::opportunity::Opportunity;

/// A candidate source and how many opportunities use it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// The source's text.
    pub text: String,
    /// Number of opportunities with it.
    #[serde(default)]
    pub count: Option<i64>,
    /// Fields this version does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A tag and how many opportunities carry it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tag {
    /// The tag's text.
    pub text: String,
    /// Number of opportunities with it.
    #[serde(default)]
    pub count: Option<i64>,
    /// Fields this version does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One entry of the account's audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEvent {
    /// Event id.
    pub id: String,
    /// Event type (e.g. `user_login`), free text.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// Acting user (`{id, name, email}`), as sent.
    #[serde(default)]
    pub user: Option<serde_json::Value>,
    /// Target (`{targetId, targetType, label}`), as sent.
    #[serde(default)]
    pub target: Option<serde_json::Value>,
    /// Event-specific details.
    #[serde(default)]
    pub meta: Option<serde_json::Value>,
    /// When (ms since the epoch).
    #[serde(default, with = "opt_millis")]
    pub created_at: Option<Timestamp>,
    /// Fields this version does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl HasId for AuditEvent {
    fn id(&self) -> &str {
        &self.id
    }
}

/// One candidate's EEO answers. LD's examples quote numbers (`appliedAt`) and differ between
/// the anonymous and the PII variant, so only the common fields are typed and everything else
/// (`gender`, `race`, `veteran`, `disability`, `name`, `email`...) stays in `extra`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EeoResponse {
    /// Opportunity id (PII variant), when sent.
    #[serde(default)]
    pub opportunity_id: Option<String>,
    /// Posting id, when sent.
    #[serde(default)]
    pub posting_id: Option<String>,
    /// When the candidate applied.
    #[serde(default, with = "opt_millis")]
    pub applied_at: Option<Timestamp>,
    /// The answers and other fields as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A diversity survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DiversitySurvey {
    /// Survey id.
    pub id: String,
    /// Title.
    #[serde(default)]
    pub text: Option<String>,
    /// Whether the candidate picks their location first.
    #[serde(default)]
    pub candidate_selects_location: Option<bool>,
    /// Instructions.
    #[serde(default)]
    pub instructions: Option<String>,
    /// Questions, as sent.
    #[serde(default, deserialize_with = "null_default")]
    pub fields: Vec<serde_json::Value>,
    /// Creation time.
    #[serde(default, with = "opt_millis")]
    pub created_at: Option<Timestamp>,
    /// Last update.
    #[serde(default, with = "opt_millis")]
    pub updated_at: Option<Timestamp>,
    /// Fields this version does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl HasId for DiversitySurvey {
    fn id(&self) -> &str {
        &self.id
    }
}

/// The questions of a posting's application form (`GET /postings/:id/apply`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationQuestions {
    /// Posting id.
    #[serde(default)]
    pub id: Option<String>,
    /// Posting title.
    #[serde(default)]
    pub text: Option<String>,
    /// Custom question forms, as sent.
    #[serde(default, deserialize_with = "null_default")]
    pub custom_questions: Vec<serde_json::Value>,
    /// EEO questions, as sent.
    #[serde(default)]
    pub eeo_questions: Option<serde_json::Value>,
    /// Personal-information fields (`name`, `email`, `phone`...), as sent.
    #[serde(default, deserialize_with = "null_default")]
    pub personal_information: Vec<serde_json::Value>,
    /// URL fields, as sent.
    #[serde(default, deserialize_with = "null_default")]
    pub urls: Vec<serde_json::Value>,
    /// Fields this version does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// An opportunity from the deleted list: the opportunity plus who deleted it and when
/// (research note §3.1: `deletedBy`/`deletedAt` appear on the deleted list only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeletedOpportunity {
    /// Deletion time.
    #[serde(default, with = "opt_millis")]
    pub deleted_at: Option<Timestamp>,
    /// Who deleted it (user id).
    #[serde(default)]
    pub deleted_by: Option<String>,
    /// The rest of the record.
    #[serde(flatten)]
    pub opportunity: Opportunity,
}

impl HasId for DeletedOpportunity {
    fn id(&self) -> &str {
        &self.opportunity.id
    }
}

/// The result of applying to a posting or adding an application.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationCreated {
    /// The new application's id, when sent.
    #[serde(default)]
    pub application_id: Option<String>,
    /// The opportunity, when sent.
    #[serde(default)]
    pub opportunity_id: Option<String>,
    /// Deprecated alias of the opportunity id, when sent.
    #[serde(default)]
    pub candidate_id: Option<String>,
    /// Everything else as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

//! Forms: interview feedback, profile forms and referrals share one shape, and so do their
//! templates (LD "Feedback", "Feedback Templates", "Profile Forms", "Profile Form Templates",
//! "Referrals", "Form Fields").

use serde::{Deserialize, Serialize};

use super::common::{Expandable, Extra, HasId, Timestamp, null_default, opt_millis};
use super::user::User;

/// A completed (or draft) form on an opportunity: interview feedback (`type: interview`),
/// a profile form (`form`) or a referral (`referral`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Form {
    /// Form id.
    pub id: String,
    /// Kind of form (`interview`, `form`, `referral`...), free text.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// Title.
    #[serde(default)]
    pub text: Option<String>,
    /// Instructions.
    #[serde(default)]
    pub instructions: Option<String>,
    /// The template it was filled from.
    #[serde(default)]
    pub base_template_id: Option<String>,
    /// The fields with their values.
    #[serde(default, deserialize_with = "null_default")]
    pub fields: Vec<FormField>,
    /// Author.
    #[serde(default)]
    pub user: Option<Expandable<User>>,
    /// Referrer (referrals only).
    #[serde(default)]
    pub referrer: Option<Expandable<User>>,
    /// Interview id (feedback only).
    #[serde(default)]
    pub interview: Option<String>,
    /// Panel id (feedback only).
    #[serde(default)]
    pub panel: Option<String>,
    /// Stage id when written.
    #[serde(default)]
    pub stage: Option<String>,
    /// Creation time.
    #[serde(default, with = "opt_millis")]
    pub created_at: Option<Timestamp>,
    /// Completion time.
    #[serde(default, with = "opt_millis")]
    pub completed_at: Option<Timestamp>,
    /// Last update.
    #[serde(default, with = "opt_millis")]
    pub updated_at: Option<Timestamp>,
    /// Deletion time.
    #[serde(default, with = "opt_millis")]
    pub deleted_at: Option<Timestamp>,
    /// Fields this version does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl HasId for Form {
    fn id(&self) -> &str {
        &self.id
    }
}

/// One field of a form or template (LD "Form Fields": `code`, `currency`, `date`, `dropdown`,
/// `multiple-choice`, `multiple-select`, `score-system`, `score`, `scorecard`, `text`,
/// `textarea`, `yes-no`, `note`, `file-upload`...). The value's JSON type depends on the field
/// type, so it is kept as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FormField {
    /// Field id (template fields).
    #[serde(default)]
    pub id: Option<String>,
    /// Field type, free text.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// Label.
    #[serde(default)]
    pub text: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Whether an answer is required.
    #[serde(default)]
    pub required: Option<bool>,
    /// The answer, shaped by the field type.
    #[serde(default)]
    pub value: serde_json::Value,
    /// Fields this version does not model (`options`, `prompt`, `scores`...).
    #[serde(flatten)]
    pub extra: Extra,
}

/// A template for feedback or profile forms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FormTemplate {
    /// Template id.
    pub id: String,
    /// Title.
    #[serde(default)]
    pub text: Option<String>,
    /// Instructions.
    #[serde(default)]
    pub instructions: Option<String>,
    /// Group (`{id, name}`), when the template belongs to one.
    #[serde(default)]
    pub group: Option<serde_json::Value>,
    /// Default stage id (feedback templates).
    #[serde(default)]
    pub stage: Option<String>,
    /// The fields.
    #[serde(default, deserialize_with = "null_default")]
    pub fields: Vec<FormField>,
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

impl HasId for FormTemplate {
    fn id(&self) -> &str {
        &self.id
    }
}

/// A form to submit (feedback or profile form): the template and the answers
/// (LD "Create a feedback form": `baseTemplateId`, `panel`, `interview`, `fieldValues`,
/// `createdAt`, `completedAt`; "Create a profile form": `baseTemplateId`, `fieldValues`,
/// `secret`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FormSubmission {
    /// The template to fill (required on create).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_template_id: Option<String>,
    /// Panel the feedback is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub panel: Option<String>,
    /// Interview the feedback is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interview: Option<String>,
    /// The answers.
    pub field_values: Vec<FieldValue>,
    /// Secret (profile forms).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<bool>,
    /// Back-dated creation.
    #[serde(with = "opt_millis", skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    /// Completion time.
    #[serde(with = "opt_millis", skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<Timestamp>,
}

/// One answer of a [`FormSubmission`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldValue {
    /// Template field id.
    pub id: String,
    /// The answer, shaped by the field type.
    pub value: serde_json::Value,
}

//! Files, resumes, offers and uploads (LD "Files", "Resumes", "Offers", "Uploads").

use serde::{Deserialize, Serialize};

use super::common::{Expandable, Extra, HasId, Timestamp, null_default, opt_millis};
use super::user::User;

/// A file attached to an opportunity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct File {
    /// File id.
    pub id: String,
    /// API download URL.
    #[serde(default)]
    pub download_url: Option<String>,
    /// Extension.
    #[serde(default)]
    pub ext: Option<String>,
    /// File name.
    #[serde(default)]
    pub name: Option<String>,
    /// Upload time (LD's example quotes it as a string; both are accepted).
    #[serde(default, with = "opt_millis")]
    pub uploaded_at: Option<Timestamp>,
    /// Processing status.
    #[serde(default)]
    pub status: Option<String>,
    /// Size in bytes.
    #[serde(default)]
    pub size: Option<i64>,
    /// Fields this version does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl HasId for File {
    fn id(&self) -> &str {
        &self.id
    }
}

/// A resume of an opportunity, with Lever's parse of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Resume {
    /// Resume id.
    pub id: String,
    /// Creation time.
    #[serde(default, with = "opt_millis")]
    pub created_at: Option<Timestamp>,
    /// The file (`name`, `ext`, `downloadUrl`, `uploadedAt`, `status`, `size`).
    #[serde(default)]
    pub file: Option<ResumeFile>,
    /// Parsed positions and schools, as sent.
    #[serde(default)]
    pub parsed_data: Option<serde_json::Value>,
    /// Fields this version does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl HasId for Resume {
    fn id(&self) -> &str {
        &self.id
    }
}

/// The file of a [`Resume`] (no id of its own).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResumeFile {
    /// File name.
    #[serde(default)]
    pub name: Option<String>,
    /// Extension.
    #[serde(default)]
    pub ext: Option<String>,
    /// API download URL.
    #[serde(default)]
    pub download_url: Option<String>,
    /// Upload time.
    #[serde(default, with = "opt_millis")]
    pub uploaded_at: Option<Timestamp>,
    /// Processing status.
    #[serde(default)]
    pub status: Option<String>,
    /// Size in bytes.
    #[serde(default)]
    pub size: Option<i64>,
    /// Fields this version does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// An offer on an opportunity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Offer {
    /// Offer id.
    pub id: String,
    /// Creation time.
    #[serde(default, with = "opt_millis")]
    pub created_at: Option<Timestamp>,
    /// Status (`draft`, `approval-sent`, `approved`, `sent`, `sent-manually`, `opened`,
    /// `denied`, `signed`), free text.
    #[serde(default)]
    pub status: Option<String>,
    /// Who created it.
    #[serde(default)]
    pub creator: Option<Expandable<User>>,
    /// The offer's fields (`{text, identifier, value}`).
    #[serde(default, deserialize_with = "null_default")]
    pub fields: Vec<OfferField>,
    /// Signatures, as sent.
    #[serde(default)]
    pub signatures: Option<serde_json::Value>,
    /// Whether approved.
    #[serde(default)]
    pub approved: Option<bool>,
    /// Approval time.
    #[serde(default, with = "opt_millis")]
    pub approved_at: Option<Timestamp>,
    /// When sent.
    #[serde(default, with = "opt_millis")]
    pub sent_at: Option<Timestamp>,
    /// The document sent, as sent.
    #[serde(default)]
    pub sent_document: Option<serde_json::Value>,
    /// The signed document, as sent.
    #[serde(default)]
    pub signed_document: Option<serde_json::Value>,
    /// Fields this version does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl HasId for Offer {
    fn id(&self) -> &str {
        &self.id
    }
}

/// One field of an [`Offer`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfferField {
    /// Label.
    #[serde(default)]
    pub text: Option<String>,
    /// Machine name, e.g. `salary_amount`.
    #[serde(default)]
    pub identifier: Option<String>,
    /// Value, shaped by the field.
    #[serde(default)]
    pub value: serde_json::Value,
    /// Fields this version does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A file uploaded with `POST /uploads`, to reference in a later application.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Upload {
    /// URI to pass where a file is expected.
    #[serde(default)]
    pub uri: Option<String>,
    /// File name.
    #[serde(default)]
    pub filename: Option<String>,
    /// When the upload expires.
    #[serde(default, with = "opt_millis")]
    pub expires_at: Option<Timestamp>,
    /// Fields this version does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

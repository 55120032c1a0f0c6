//! Opportunities (candidacies), their applications and the contact they belong to
//! (LD "Opportunities", "Applications", "Contacts"; research note §3.1, §3.2, §3.8).

use serde::{Deserialize, Serialize};

use super::common::{Expandable, Extra, HasId, Timestamp, null_default, open_enum, opt_millis};
use super::posting::Posting;
use super::stage::Stage;
use super::user::User;

/// One candidacy of a person (a contact) in Lever. `candidateId` in older payloads is the same
/// id (LD migration note).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Opportunity {
    /// Opportunity id.
    pub id: String,
    /// The candidate's name.
    #[serde(default)]
    pub name: Option<String>,
    /// Headline (for example current company).
    #[serde(default)]
    pub headline: Option<String>,
    /// The person: a contact id, or the contact with `expand=contact`.
    #[serde(default)]
    pub contact: Option<Expandable<Contact>>,
    /// E-mail addresses.
    #[serde(default, deserialize_with = "null_default")]
    pub emails: Vec<String>,
    /// Phone numbers.
    #[serde(default, deserialize_with = "null_default")]
    pub phones: Vec<Phone>,
    /// Links (LinkedIn, portfolio...).
    #[serde(default, deserialize_with = "null_default")]
    pub links: Vec<String>,
    /// Free-text location.
    #[serde(default)]
    pub location: Option<String>,
    /// Current stage: an id (often a slug such as `applicant-new`) or the stage with `expand=stage`.
    #[serde(default)]
    pub stage: Option<Expandable<Stage>>,
    /// Stage history.
    #[serde(default, deserialize_with = "null_default")]
    pub stage_changes: Vec<StageChange>,
    /// Whether the opportunity is confidential.
    #[serde(default)]
    pub confidentiality: Option<Confidentiality>,
    /// Archive state; `None` (JSON `null`) while the opportunity is active.
    #[serde(default)]
    pub archived: Option<Archived>,
    /// Tags.
    #[serde(default, deserialize_with = "null_default")]
    pub tags: Vec<String>,
    /// Sources.
    #[serde(default, deserialize_with = "null_default")]
    pub sources: Vec<String>,
    /// How the candidate entered the pipeline.
    #[serde(default)]
    pub origin: Option<Origin>,
    /// Who sourced the candidate.
    #[serde(default)]
    pub sourced_by: Option<Expandable<User>>,
    /// The owner (recruiter).
    #[serde(default)]
    pub owner: Option<Expandable<User>>,
    /// Followers, notified of activity.
    #[serde(default, deserialize_with = "null_default")]
    pub followers: Vec<Expandable<User>>,
    /// Applications; Lever documents "up to one" per opportunity.
    #[serde(default, deserialize_with = "null_default")]
    pub applications: Vec<Expandable<Application>>,
    /// Creation time.
    #[serde(default, with = "opt_millis")]
    pub created_at: Option<Timestamp>,
    /// Last update (null for never).
    #[serde(default, with = "opt_millis")]
    pub updated_at: Option<Timestamp>,
    /// Last interaction.
    #[serde(default, with = "opt_millis")]
    pub last_interaction_at: Option<Timestamp>,
    /// Last stage advance.
    #[serde(default, with = "opt_millis")]
    pub last_advanced_at: Option<Timestamp>,
    /// Snoozed until.
    #[serde(default, with = "opt_millis")]
    pub snoozed_until: Option<Timestamp>,
    /// Links into Lever's UI.
    #[serde(default)]
    pub urls: Option<OpportunityUrls>,
    /// Whether personal data was anonymized.
    #[serde(default)]
    pub is_anonymized: Option<bool>,
    /// Fields this version does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl HasId for Opportunity {
    fn id(&self) -> &str {
        &self.id
    }
}

impl Opportunity {
    /// Whether the opportunity is archived (hired or rejected).
    pub fn is_archived(&self) -> bool {
        self.archived.is_some()
    }
}

/// Archive state of an opportunity (`{archivedAt, reason}`; LD collapses the child fields,
/// shape per research note §3.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Archived {
    /// When it was archived.
    #[serde(default, with = "opt_millis")]
    pub archived_at: Option<Timestamp>,
    /// Archive reason id.
    #[serde(default)]
    pub reason: Option<String>,
    /// Fields this version does not model, kept so nothing Lever adds is lost.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A phone number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Phone {
    /// Kind of number (`mobile`, `work`...), free text.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// The number.
    #[serde(default)]
    pub value: Option<String>,
    /// Fields this version does not model, kept so nothing Lever adds is lost.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One entry of an opportunity's stage history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StageChange {
    /// Stage moved to.
    #[serde(default)]
    pub to_stage_id: Option<String>,
    /// Index of that stage in the pipeline.
    #[serde(default)]
    pub to_stage_index: Option<i64>,
    /// Who moved it.
    #[serde(default)]
    pub user_id: Option<String>,
    /// When.
    #[serde(default, with = "opt_millis")]
    pub updated_at: Option<Timestamp>,
    /// Fields this version does not model, kept so nothing Lever adds is lost.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Links into Lever's UI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpportunityUrls {
    /// The list view.
    #[serde(default)]
    pub list: Option<String>,
    /// The opportunity's page.
    #[serde(default)]
    pub show: Option<String>,
    /// Fields this version does not model, kept so nothing Lever adds is lost.
    #[serde(flatten)]
    pub extra: Extra,
}

open_enum! {
    /// Confidentiality of an opportunity or posting.
    Confidentiality {
        /// Visible to everyone with access.
        NonConfidential = "non-confidential",
        /// Only visible to users (and API keys) granted confidential access.
        Confidential = "confidential",
    }
}

open_enum! {
    /// How a candidate entered the pipeline (LD "Opportunities" `origin`).
    Origin {
        /// Through an agency.
        Agency = "agency",
        /// Applied.
        Applied = "applied",
        /// Internal applicant.
        Internal = "internal",
        /// Referred.
        Referred = "referred",
        /// Sourced.
        Sourced = "sourced",
        /// University recruiting.
        University = "university",
    }
}

/// A person in Lever; one contact can have several opportunities (LD "Contacts").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Contact {
    /// Contact id.
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Headline.
    #[serde(default)]
    pub headline: Option<String>,
    /// Location; an object on contacts (a string on opportunities).
    #[serde(default)]
    pub location: Option<ContactLocation>,
    /// E-mail addresses.
    #[serde(default, deserialize_with = "null_default")]
    pub emails: Vec<String>,
    /// Phones.
    #[serde(default, deserialize_with = "null_default")]
    pub phones: Vec<Phone>,
    /// Whether personal data was anonymized.
    #[serde(default)]
    pub is_anonymized: Option<bool>,
    /// Fields this version does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl HasId for Contact {
    fn id(&self) -> &str {
        &self.id
    }
}

/// A contact's location.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactLocation {
    /// Location name.
    #[serde(default)]
    pub name: Option<String>,
    /// Fields this version does not model, kept so nothing Lever adds is lost.
    #[serde(flatten)]
    pub extra: Extra,
}

open_enum! {
    /// Kind of application (LD "Applications").
    ApplicationType {
        /// Applied to a posting.
        Posting = "posting",
        /// Added by a user.
        User = "user",
        /// Referral.
        Referral = "referral",
    }
}

/// An application of an opportunity to a posting (expand with `expand=applications`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Application {
    /// Application id.
    pub id: String,
    /// The opportunity.
    #[serde(default)]
    pub opportunity_id: Option<String>,
    /// Deprecated alias of the opportunity id.
    #[serde(default)]
    pub candidate_id: Option<String>,
    /// Kind of application.
    #[serde(default, rename = "type")]
    pub kind: Option<ApplicationType>,
    /// The posting applied to.
    #[serde(default)]
    pub posting: Option<Expandable<Posting>>,
    /// Who added it.
    #[serde(default)]
    pub user: Option<Expandable<User>>,
    /// Creation time.
    #[serde(default, with = "opt_millis")]
    pub created_at: Option<Timestamp>,
    /// Archive state.
    #[serde(default)]
    pub archived: Option<Archived>,
    /// Fields this version does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl HasId for Application {
    fn id(&self) -> &str {
        &self.id
    }
}

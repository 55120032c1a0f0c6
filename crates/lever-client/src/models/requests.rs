//! Request bodies of the write endpoints. Optional fields are left out when `None`; `extra`
//! carries any documented field not modelled here, sent as is.

use serde::Serialize;

use super::common::{Extra, Timestamp, opt_millis};
use super::interview::FeedbackReminder;
use super::opportunity::{ContactLocation, Origin, Phone};
use super::user::AccessRole;

/// An interview to create or replace (LD "Create an interview": `panel`, `interviewers` and
/// `date`, `duration` required; `PUT` replaces the whole interview).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InterviewRequest {
    /// The externally managed panel it belongs to.
    pub panel: String,
    /// Subject.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Note for interviewers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Interviewers (at least one; only `id` and `feedbackTemplate` are read).
    pub interviewers: Vec<InterviewerRef>,
    /// Start.
    #[serde(with = "opt_millis")]
    pub date: Option<Timestamp>,
    /// Length in minutes (at least 1).
    pub duration: u32,
    /// Room, phone or video link.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Feedback template id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feedback_template: Option<String>,
    /// Reminder frequency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feedback_reminder: Option<FeedbackReminder>,
    /// Other documented fields, sent as is.
    #[serde(flatten)]
    pub extra: Extra,
}

impl InterviewRequest {
    /// An interview on `panel` at `date` for `duration` minutes with these interviewers.
    pub fn new(
        panel: impl Into<String>,
        date: Timestamp,
        duration: u32,
        interviewers: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        Self {
            panel: panel.into(),
            subject: None,
            note: None,
            interviewers: interviewers.into_iter().map(InterviewerRef::new).collect(),
            date: Some(date),
            duration,
            location: None,
            feedback_template: None,
            feedback_reminder: None,
            extra: Extra::new(),
        }
    }
}

/// An interviewer in a request: the user id and optionally their feedback template.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InterviewerRef {
    /// User id.
    pub id: String,
    /// Feedback template id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feedback_template: Option<String>,
}

impl InterviewerRef {
    /// The user with this id.
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            feedback_template: None,
        }
    }
}

/// A panel to create or replace (LD "Create a panel": `timezone` and a non-empty
/// `interviews` required; on `PUT`, interviews that keep their `id` are updated, the others
/// are created).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PanelRequest {
    /// Application ids.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub applications: Vec<String>,
    /// IANA time zone.
    pub timezone: String,
    /// Reminder frequency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feedback_reminder: Option<FeedbackReminder>,
    /// Note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Link to the managing system.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_url: Option<String>,
    /// The interviews.
    pub interviews: Vec<PanelInterview>,
    /// Other documented fields, sent as is.
    #[serde(flatten)]
    pub extra: Extra,
}

/// An interview inside a [`PanelRequest`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PanelInterview {
    /// Existing interview id (updates only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Subject.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Interviewers.
    pub interviewers: Vec<InterviewerRef>,
    /// Start.
    #[serde(with = "opt_millis")]
    pub date: Option<Timestamp>,
    /// Length in minutes.
    pub duration: u32,
    /// Location.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Feedback template id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feedback_template: Option<String>,
}

/// A new opportunity (LD "Create an opportunity"; `perform_as` is required and passed to the
/// method). Lever deduplicates by e-mail onto an existing contact.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewOpportunity {
    /// Name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Headline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headline: Option<String>,
    /// Stage id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// Location.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Phones.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<Phone>,
    /// E-mails.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<String>,
    /// Links.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<String>,
    /// Tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Sources.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// Origin.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
    /// Owner user id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Follower user ids.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub followers: Vec<String>,
    /// Posting ids to apply to (at most one).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub postings: Vec<String>,
    /// Back-dated creation.
    #[serde(with = "opt_millis", skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    /// Add to this existing contact.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// Other documented fields (`archived`...), sent as is.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A contact update (LD "Update a contact": the whole contact is replaced).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactUpdate {
    /// Name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Headline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headline: Option<String>,
    /// Location.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<ContactLocation>,
    /// E-mails.
    pub emails: Vec<String>,
    /// Phones.
    pub phones: Vec<Phone>,
}

/// A user to create or replace (LD "Create a user"; "Update a user" needs `name`, `email`,
/// `accessRole`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserRequest {
    /// Name.
    pub name: String,
    /// E-mail.
    pub email: String,
    /// Access role (Lever's default on create: interviewer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_role: Option<AccessRole>,
    /// Id in the customer's directory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_directory_id: Option<String>,
    /// Job title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_title: Option<String>,
    /// Manager's user id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manager_id: Option<String>,
}

impl UserRequest {
    /// A user with this name and e-mail.
    pub fn new(name: impl Into<String>, email: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            email: email.into(),
            access_role: None,
            external_directory_id: None,
            job_title: None,
            manager_id: None,
        }
    }

    /// With this access role.
    pub fn access_role(mut self, role: AccessRole) -> Self {
        self.access_role = Some(role);
        self
    }
}

/// A note update (LD "Update a note": the comments are replaced atomically; only notes created
/// through the API can be updated).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NoteUpdate {
    /// The comments, in order.
    pub values: Vec<NoteComment>,
    /// Secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<bool>,
    /// Score.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<super::note::NoteScore>,
    /// Author user id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Creation time.
    #[serde(with = "opt_millis", skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    /// Completion time.
    #[serde(with = "opt_millis", skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<Timestamp>,
}

/// One comment of a [`NoteUpdate`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NoteComment {
    /// The text.
    pub value: String,
    /// Creation time.
    #[serde(with = "opt_millis", skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
}

impl NoteComment {
    /// A comment with this text.
    pub fn new(value: impl Into<String>) -> Self {
        Self {
            value: value.into(),
            created_at: None,
        }
    }
}

/// A feedback or profile form template to create or replace (LD "Create a feedback
/// template": `text`, `instructions`, `group`, `fields`; field objects follow LD "Form Fields"
/// and are sent as given).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FormTemplateRequest {
    /// Title.
    pub text: String,
    /// Instructions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
    /// Group id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The fields.
    pub fields: Vec<serde_json::Value>,
    /// Other documented fields, sent as is.
    #[serde(flatten)]
    pub extra: Extra,
}

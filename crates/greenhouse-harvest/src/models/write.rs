//! Request bodies of the documented v3 writes on candidates, applications
//! and tags.
//!
//! The routes and scopes are those of the v3 reference (as catalogued, page
//! by page, in public file ref 63219392169: `POST /v3/candidates`,
//! `PATCH /v3/candidates/{id}`, `POST /v3/applications`,
//! `PATCH /v3/applications/{id}`, `POST /v3/applications/{id}/move`,
//! `POST`/`DELETE /v3/candidate_tags`, `POST`/`DELETE /v3/applied_candidate_tags`).
//! The field-level request schemas were **not** seen: the bodies below use
//! the v3 read vocabulary for the same fields, leave out what is not set, and
//! carry an `extra` map for any other documented field, so a field this
//! crate does not name can still be sent.

use std::collections::BTreeMap;

use serde::Serialize;

use super::common::{CustomFields, EmailAddress, EmailType, TypedValue};

/// A candidate to create (`POST /v3/candidates`, scope `harvest:candidates:create`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct NewCandidate {
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Current company.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// Current title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// E-mail addresses.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub email_addresses: Vec<EmailAddress>,
    /// Phone numbers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub phone_numbers: Vec<TypedValue>,
    /// Tags by name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Any other field, sent as given.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl NewCandidate {
    /// A candidate with a name and nothing else.
    pub fn new(first_name: impl Into<String>, last_name: impl Into<String>) -> Self {
        NewCandidate {
            first_name: first_name.into(),
            last_name: last_name.into(),
            company: None,
            title: None,
            email_addresses: Vec::new(),
            phone_numbers: Vec::new(),
            tags: Vec::new(),
            extra: BTreeMap::new(),
        }
    }

    /// Adds an e-mail address.
    pub fn email(mut self, address: impl Into<String>, kind: EmailType) -> Self {
        self.email_addresses.push(EmailAddress {
            value: Some(address.into()),
            kind: Some(kind),
        });
        self
    }

    /// Adds a phone number with its type (`home`, `work`, `mobile`, `skype`, `other`).
    pub fn phone(mut self, number: impl Into<String>, kind: impl Into<String>) -> Self {
        self.phone_numbers.push(TypedValue {
            value: Some(number.into()),
            kind: Some(kind.into()),
        });
        self
    }

    /// Sets the current company.
    pub fn company(mut self, company: impl Into<String>) -> Self {
        self.company = Some(company.into());
        self
    }

    /// Sets the current title.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// Adds a tag.
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.tags.push(tag.into());
        self
    }

    /// Sets any other field, e.g. `("application", json!({"job_id": 5001}))`.
    pub fn field(mut self, key: impl Into<String>, value: serde_json::Value) -> Self {
        self.extra.insert(key.into(), value);
        self
    }
}

/// Changes to a candidate (`PATCH /v3/candidates/{id}`, scope
/// `harvest:candidates:update`): only the fields set are sent.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[non_exhaustive]
pub struct CandidateUpdate {
    /// First name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Current company.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// Current title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Any other field, sent as given (e.g. `custom_fields`).
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl CandidateUpdate {
    /// No change yet.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets the first name.
    pub fn first_name(mut self, v: impl Into<String>) -> Self {
        self.first_name = Some(v.into());
        self
    }
    /// Sets the last name.
    pub fn last_name(mut self, v: impl Into<String>) -> Self {
        self.last_name = Some(v.into());
        self
    }
    /// Sets the current company.
    pub fn company(mut self, v: impl Into<String>) -> Self {
        self.company = Some(v.into());
        self
    }
    /// Sets the current title.
    pub fn title(mut self, v: impl Into<String>) -> Self {
        self.title = Some(v.into());
        self
    }
    /// Sets any other field.
    pub fn field(mut self, key: impl Into<String>, value: serde_json::Value) -> Self {
        self.extra.insert(key.into(), value);
        self
    }
}

/// An application to create (`POST /v3/applications`, scope
/// `harvest:applications:create`): a candidate on a job, or a prospect.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct NewApplication {
    /// The candidate.
    pub candidate_id: u64,
    /// The job (absent for a jobless prospect application).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_id: Option<u64>,
    /// Whether this is a prospect application.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prospect: Option<bool>,
    /// Source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_id: Option<u64>,
    /// Referrer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub referrer_id: Option<u64>,
    /// Any other field, sent as given.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl NewApplication {
    /// `candidate_id` applying to `job_id`.
    pub fn for_job(candidate_id: u64, job_id: u64) -> Self {
        NewApplication {
            candidate_id,
            job_id: Some(job_id),
            prospect: None,
            source_id: None,
            referrer_id: None,
            extra: BTreeMap::new(),
        }
    }
    /// A prospect application of `candidate_id` (optionally on a job).
    pub fn prospect(candidate_id: u64, job_id: Option<u64>) -> Self {
        NewApplication {
            prospect: Some(true),
            job_id,
            ..Self::for_job(candidate_id, 0)
        }
    }
    /// Sets the source.
    pub fn source_id(mut self, id: u64) -> Self {
        self.source_id = Some(id);
        self
    }
    /// Sets the referrer.
    pub fn referrer_id(mut self, id: u64) -> Self {
        self.referrer_id = Some(id);
        self
    }
    /// Sets any other field.
    pub fn field(mut self, key: impl Into<String>, value: serde_json::Value) -> Self {
        self.extra.insert(key.into(), value);
        self
    }
}

/// Changes to an application (`PATCH /v3/applications/{id}`, scope
/// `harvest:applications:update`; the reference names source, referrer,
/// recruiter, coordinator, `prospect_pool_id`, `rejected_at`, `created_at`
/// and `custom_fields`). Only the fields set are sent.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[non_exhaustive]
pub struct ApplicationUpdate {
    /// Source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_id: Option<u64>,
    /// Referrer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub referrer_id: Option<u64>,
    /// Recruiter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recruiter_id: Option<u64>,
    /// Coordinator.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coordinator_id: Option<u64>,
    /// Prospect pool.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prospect_pool_id: Option<u64>,
    /// Custom fields by key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_fields: Option<CustomFields>,
    /// Any other field, sent as given.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl ApplicationUpdate {
    /// No change yet.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets the source.
    pub fn source_id(mut self, id: u64) -> Self {
        self.source_id = Some(id);
        self
    }
    /// Sets the referrer.
    pub fn referrer_id(mut self, id: u64) -> Self {
        self.referrer_id = Some(id);
        self
    }
    /// Sets the recruiter.
    pub fn recruiter_id(mut self, id: u64) -> Self {
        self.recruiter_id = Some(id);
        self
    }
    /// Sets the coordinator.
    pub fn coordinator_id(mut self, id: u64) -> Self {
        self.coordinator_id = Some(id);
        self
    }
    /// Sets the prospect pool.
    pub fn prospect_pool_id(mut self, id: u64) -> Self {
        self.prospect_pool_id = Some(id);
        self
    }
    /// Sets any other field.
    pub fn field(mut self, key: impl Into<String>, value: serde_json::Value) -> Self {
        self.extra.insert(key.into(), value);
        self
    }
}

/// A stage move (`POST /v3/applications/{id}/move`, scope
/// `harvest:applications:move`).
///
/// `from_stage_id` must be the stage the application is in now: Greenhouse
/// refuses the move otherwise, so a stale read never moves the wrong stage
/// (and a repeated move fails instead of moving twice). "Leave `to_stage_id`
/// and `to_job_id` blank if wanting to advance" (v3 write migration guide,
/// research notes §1.4); `to_job_id` transfers to another job's first stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct MoveApplication {
    /// The stage the application is in now (`Application::stage_id`).
    pub from_stage_id: u64,
    /// The stage to move to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_stage_id: Option<u64>,
    /// The job to transfer to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_job_id: Option<u64>,
}

impl MoveApplication {
    /// To the next stage.
    pub fn advance(from_stage_id: u64) -> Self {
        MoveApplication {
            from_stage_id,
            to_stage_id: None,
            to_job_id: None,
        }
    }
    /// To a given stage of the same job.
    pub fn to_stage(from_stage_id: u64, to_stage_id: u64) -> Self {
        MoveApplication {
            to_stage_id: Some(to_stage_id),
            ..Self::advance(from_stage_id)
        }
    }
    /// To another job (its first stage, or `to_stage_id` when given).
    pub fn to_job(from_stage_id: u64, to_job_id: u64, to_stage_id: Option<u64>) -> Self {
        MoveApplication {
            from_stage_id,
            to_stage_id,
            to_job_id: Some(to_job_id),
        }
    }
}

/// The e-mail that tells a candidate of a rejection (part of [`RejectApplication`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RejectionEmail {
    /// The template to send.
    pub email_template_id: u64,
    /// The sender.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_from_user_id: Option<u64>,
    /// When to send it (now when absent).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "super::common::timestamp::option::serialize"
    )]
    pub send_email_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl RejectionEmail {
    /// Sends `email_template_id` now, from the default sender.
    pub fn template(email_template_id: u64) -> Self {
        RejectionEmail {
            email_template_id,
            email_from_user_id: None,
            send_email_at: None,
        }
    }
    /// Sets the sender.
    pub fn from_user(mut self, user_id: u64) -> Self {
        self.email_from_user_id = Some(user_id);
        self
    }
    /// Schedules the e-mail.
    pub fn send_at(mut self, at: chrono::DateTime<chrono::Utc>) -> Self {
        self.send_email_at = Some(at);
        self
    }
}

/// A rejection (`POST /v3/applications/{id}/reject`, scope
/// `harvest:applications:reject`). The candidate is e-mailed only when
/// [`rejection_email`](Self::rejection_email) is set (v3 reference, as
/// catalogued in public file ref 63219392169: `email_template_id`,
/// `send_email_at`, `email_from_user_id`); the other field names follow the
/// v1 reject body and are unconfirmed for v3.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct RejectApplication {
    /// Why (`/v3/rejection_reasons`).
    pub rejection_reason_id: u64,
    /// A note on the rejection.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// The e-mail to the candidate, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rejection_email: Option<RejectionEmail>,
    /// Any other field, sent as given.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl RejectApplication {
    /// A rejection for `rejection_reason_id`, without e-mail.
    pub fn reason(rejection_reason_id: u64) -> Self {
        RejectApplication {
            rejection_reason_id,
            notes: None,
            rejection_email: None,
            extra: BTreeMap::new(),
        }
    }
    /// Adds a note.
    pub fn notes(mut self, notes: impl Into<String>) -> Self {
        self.notes = Some(notes.into());
        self
    }
    /// Tells the candidate by e-mail.
    pub fn email(mut self, email: RejectionEmail) -> Self {
        self.rejection_email = Some(email);
        self
    }
}

/// A hire (`POST /v3/applications/{id}/hire`, scope `harvest:applications:hire`):
/// "`opening_id` required when >1 open" (v3 reference, as catalogued in
/// public file ref 63219392169); `start_date` and `close_reason_id` follow
/// the v1 hire body and are unconfirmed for v3.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[non_exhaustive]
pub struct HireApplication {
    /// The opening filled (an `Opening::id`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opening_id: Option<u64>,
    /// Start date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_date: Option<chrono::NaiveDate>,
    /// Why the opening closes (`/v3/close_reasons`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub close_reason_id: Option<u64>,
    /// Any other field, sent as given.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl HireApplication {
    /// A hire with nothing set (enough when the job has one open opening).
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets the opening.
    pub fn opening_id(mut self, id: u64) -> Self {
        self.opening_id = Some(id);
        self
    }
    /// Sets the start date.
    pub fn start_date(mut self, date: chrono::NaiveDate) -> Self {
        self.start_date = Some(date);
        self
    }
    /// Sets the close reason.
    pub fn close_reason_id(mut self, id: u64) -> Self {
        self.close_reason_id = Some(id);
        self
    }
}

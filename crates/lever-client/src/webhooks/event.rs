//! Typed webhook events and their data hints.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::error::Error;
use crate::models::common::{Extra, Timestamp, opt_millis};

/// Decode a hint from the raw `data` JSON; `null` reads as `{}` (every hint field is optional).
fn hint<T: DeserializeOwned>(data: &RawValue) -> Result<T, Error> {
    let json = match data.get() {
        "null" => "{}",
        json => json,
    };
    serde_json::from_str(json).map_err(|_| hint_error::<T>(json))
}

/// Decode again, this time tracking the path, to say where the data is wrong.
#[cold]
fn hint_error<T: DeserializeOwned>(json: &str) -> Error {
    let mut de = serde_json::Deserializer::from_str(json);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Err(e) => Error::WebhookMalformed(format!("data.{}: {}", e.path(), e.inner())),
        // Unreachable in practice (the fast decode failed on the same text); stay total.
        Ok(_) => Error::WebhookMalformed("data does not match the event".into()),
    }
}

/// A webhook event with its (unsigned) data as a hint.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum WebhookEvent {
    /// `applicationCreated`.
    ApplicationCreated(ApplicationHint),
    /// `candidateStageChange`.
    CandidateStageChange(StageChangeHint),
    /// `candidateArchiveChange`.
    CandidateArchiveChange(ArchiveChangeHint),
    /// `candidateHired`.
    CandidateHired(OpportunityHint),
    /// `candidateDeleted`.
    CandidateDeleted(OpportunityHint),
    /// `interviewCreated` (Beta at Lever; fields may be missing).
    InterviewCreated(InterviewHint),
    /// `interviewUpdated` (Beta at Lever).
    InterviewUpdated(InterviewHint),
    /// `interviewDeleted` (Beta at Lever).
    InterviewDeleted(InterviewHint),
    /// `contactCreated`: a person was added.
    ContactCreated(ContactHint),
    /// `contactUpdated`: a person's details changed; [`ContactHint::emails`] carries the
    /// addresses when the delivery has them.
    ContactUpdated(ContactHint),
    /// Any other event (including the settings page's test delivery); the raw JSON is kept.
    Unknown {
        /// The `event` string.
        event: String,
        /// The `data` object.
        data: Value,
    },
}

impl WebhookEvent {
    /// Decode the typed hint for `event` straight from the raw `data` JSON (one pass; the
    /// `serde_path_to_error` pass runs only to describe a failure).
    pub(crate) fn parse(event: &str, data: &RawValue) -> Result<Self, Error> {
        Ok(match event {
            "applicationCreated" => Self::ApplicationCreated(hint(data)?),
            "candidateStageChange" => Self::CandidateStageChange(hint(data)?),
            "candidateArchiveChange" => Self::CandidateArchiveChange(hint(data)?),
            "candidateHired" => Self::CandidateHired(hint(data)?),
            "candidateDeleted" => Self::CandidateDeleted(hint(data)?),
            "interviewCreated" => Self::InterviewCreated(hint(data)?),
            "interviewUpdated" => Self::InterviewUpdated(hint(data)?),
            "interviewDeleted" => Self::InterviewDeleted(hint(data)?),
            "contactCreated" => Self::ContactCreated(hint(data)?),
            "contactUpdated" => Self::ContactUpdated(hint(data)?),
            other => Self::Unknown {
                event: other.to_owned(),
                data: serde_json::from_str(data.get())
                    .map_err(|e| Error::WebhookMalformed(format!("data: {e}")))?,
            },
        })
    }

    /// The event name as Lever sends it.
    pub fn name(&self) -> &str {
        match self {
            Self::ApplicationCreated(_) => "applicationCreated",
            Self::CandidateStageChange(_) => "candidateStageChange",
            Self::CandidateArchiveChange(_) => "candidateArchiveChange",
            Self::CandidateHired(_) => "candidateHired",
            Self::CandidateDeleted(_) => "candidateDeleted",
            Self::InterviewCreated(_) => "interviewCreated",
            Self::InterviewUpdated(_) => "interviewUpdated",
            Self::InterviewDeleted(_) => "interviewDeleted",
            Self::ContactCreated(_) => "contactCreated",
            Self::ContactUpdated(_) => "contactUpdated",
            Self::Unknown { event, .. } => event,
        }
    }

    /// The opportunity the event is about, if the hint names one: re-fetch it before acting.
    pub fn opportunity_id(&self) -> Option<&str> {
        match self {
            Self::ApplicationCreated(h) => h.opportunity_id.as_deref(),
            Self::CandidateStageChange(h) => h.opportunity_id.as_deref(),
            Self::CandidateArchiveChange(h) => h.opportunity_id.as_deref(),
            Self::CandidateHired(h) | Self::CandidateDeleted(h) => h.opportunity_id.as_deref(),
            Self::InterviewCreated(h) | Self::InterviewUpdated(h) | Self::InterviewDeleted(h) => {
                h.opportunity_id.as_deref()
            }
            Self::ContactCreated(h) | Self::ContactUpdated(h) => h.opportunity_id.as_deref(),
            Self::Unknown { data, .. } => data.get("opportunityId").and_then(Value::as_str),
        }
    }

    /// The contact (person) the event is about, if the hint names one.
    pub fn contact_id(&self) -> Option<&str> {
        match self {
            Self::ApplicationCreated(h) => h.contact_id.as_deref(),
            Self::CandidateStageChange(h) => h.contact_id.as_deref(),
            Self::CandidateArchiveChange(h) => h.contact_id.as_deref(),
            Self::CandidateHired(h) | Self::CandidateDeleted(h) => h.contact_id.as_deref(),
            Self::InterviewCreated(h) | Self::InterviewUpdated(h) | Self::InterviewDeleted(h) => {
                h.contact_id.as_deref()
            }
            Self::ContactCreated(h) | Self::ContactUpdated(h) => h.contact_id.as_deref(),
            Self::Unknown { data, .. } => data.get("contactId").and_then(Value::as_str),
        }
    }
}

/// Data hint of `applicationCreated` (fields beyond the envelope are collapsed in LD; names per
/// research note §4.3, all optional).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationHint {
    /// Application id.
    #[serde(default)]
    pub application_id: Option<String>,
    /// Opportunity id.
    #[serde(default)]
    pub opportunity_id: Option<String>,
    /// Contact id.
    #[serde(default)]
    pub contact_id: Option<String>,
    /// Posting id.
    #[serde(default)]
    pub posting_id: Option<String>,
    /// Anything else.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Data hint of `candidateStageChange` (documented in LD "Example delivery").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StageChangeHint {
    /// Opportunity id.
    #[serde(default)]
    pub opportunity_id: Option<String>,
    /// Deprecated alias of the opportunity id.
    #[serde(default)]
    pub candidate_id: Option<String>,
    /// Contact id.
    #[serde(default)]
    pub contact_id: Option<String>,
    /// New stage.
    #[serde(default)]
    pub to_stage_id: Option<String>,
    /// Previous stage.
    #[serde(default)]
    pub from_stage_id: Option<String>,
    /// Anything else.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Data hint of `candidateArchiveChange`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArchiveChangeHint {
    /// Opportunity id.
    #[serde(default)]
    pub opportunity_id: Option<String>,
    /// Contact id.
    #[serde(default)]
    pub contact_id: Option<String>,
    /// Previous archive state (`None`: was active).
    #[serde(default)]
    pub from_archived: Option<ArchiveStateHint>,
    /// New archive state (`None`: now active).
    #[serde(default)]
    pub to_archived: Option<ArchiveStateHint>,
    /// Anything else.
    #[serde(flatten)]
    pub extra: Extra,
}

/// An archive state inside [`ArchiveChangeHint`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArchiveStateHint {
    /// Archive reason id.
    #[serde(default)]
    pub reason: Option<String>,
    /// When archived.
    #[serde(default, with = "opt_millis")]
    pub archived_at: Option<Timestamp>,
}

/// Data hint of `candidateHired` and `candidateDeleted`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OpportunityHint {
    /// Opportunity id.
    #[serde(default)]
    pub opportunity_id: Option<String>,
    /// Contact id.
    #[serde(default)]
    pub contact_id: Option<String>,
    /// Anything else.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Data hint of the Beta interview events; Lever does not document the fields, so all are
/// optional and `interviewId` falls back to `id`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InterviewHint {
    /// Interview id (`interviewId`, or `id`).
    #[serde(default, alias = "id")]
    pub interview_id: Option<String>,
    /// Panel id.
    #[serde(default)]
    pub panel_id: Option<String>,
    /// Opportunity id.
    #[serde(default)]
    pub opportunity_id: Option<String>,
    /// Contact id.
    #[serde(default)]
    pub contact_id: Option<String>,
    /// Anything else.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Data hint of `contactCreated` and `contactUpdated`.
///
/// UNCONFIRMED shape: Lever lists both events (LD "Webhooks"; research note §4.3) but collapses
/// their `data` fields, and no public payload was found. The hint therefore reads the contact
/// tolerantly: `contactId` (or the contact's own `id`), the Contact object's documented fields
/// (`name`, `headline`, `emails`, `phones`, `location`; LD "Contacts") at the top level or
/// nested under `contact`, and keeps everything else in [`extra`](Self::extra).
///
/// [`emails`](Self::emails) is `None` when the delivery did not carry the addresses (absent
/// or `null`) and `Some` (possibly empty) when it did, so a consumer can **replace** a person's
/// addresses only when Lever actually sent them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactHint {
    /// Contact id (`contactId`, or the contact's `id`).
    pub contact_id: Option<String>,
    /// Opportunity id, when the delivery names one.
    pub opportunity_id: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Headline.
    pub headline: Option<String>,
    /// E-mail addresses, when sent (see the type's docs).
    pub emails: Option<Vec<String>>,
    /// Phones, when sent.
    pub phones: Option<Vec<crate::models::Phone>>,
    /// Location (an object `{name}` on contacts).
    pub location: Option<crate::models::ContactLocation>,
    /// Anything else.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ContactHint {
    /// The contact's e-mail addresses, when the delivery carried them.
    pub fn emails(&self) -> Option<&[String]> {
        self.emails.as_deref()
    }
}

impl<'de> Deserialize<'de> for ContactHint {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Raw {
            #[serde(default)]
            contact_id: Option<String>,
            #[serde(default)]
            id: Option<String>,
            #[serde(default)]
            opportunity_id: Option<String>,
            #[serde(default)]
            name: Option<String>,
            #[serde(default)]
            headline: Option<String>,
            #[serde(default)]
            emails: Option<Vec<String>>,
            #[serde(default)]
            phones: Option<Vec<crate::models::Phone>>,
            #[serde(default)]
            location: Option<crate::models::ContactLocation>,
            #[serde(flatten)]
            extra: Extra,
        }
        let mut value = Value::deserialize(d)?;
        // A contact nested under `contact` is lifted to the top level (top-level keys win);
        // a bare `contact` id string is read as `contactId`.
        if let Some(map) = value.as_object_mut() {
            match map.get("contact").cloned() {
                Some(Value::Object(nested)) => {
                    map.remove("contact");
                    for (key, field) in nested {
                        let key = if key == "id" {
                            "contactId".to_owned()
                        } else {
                            key
                        };
                        map.entry(key).or_insert(field);
                    }
                }
                Some(Value::String(id)) => {
                    map.remove("contact");
                    map.entry("contactId").or_insert(Value::String(id));
                }
                _ => {}
            }
        }
        let raw: Raw = serde_json::from_value(value).map_err(D::Error::custom)?;
        Ok(Self {
            contact_id: raw.contact_id.or(raw.id),
            opportunity_id: raw.opportunity_id,
            name: raw.name,
            headline: raw.headline,
            emails: raw.emails,
            phones: raw.phones,
            location: raw.location,
            extra: raw.extra,
        })
    }
}

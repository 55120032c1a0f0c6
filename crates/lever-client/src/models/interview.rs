//! Interviews and panels of an opportunity (LD "Interviews", "Panels"; research note §3.3, §3.4).

use serde::{Deserialize, Serialize};

use super::common::{Expandable, Extra, HasId, Timestamp, null_default, open_enum, opt_millis};
use super::stage::Stage;
use super::user::User;

/// One scheduled interview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Interview {
    /// Interview id.
    pub id: String,
    /// The panel it belongs to.
    #[serde(default)]
    pub panel: Option<String>,
    /// Subject.
    #[serde(default)]
    pub subject: Option<String>,
    /// Note shown to interviewers.
    #[serde(default)]
    pub note: Option<String>,
    /// Interviewers.
    #[serde(default, deserialize_with = "null_default")]
    pub interviewers: Vec<Interviewer>,
    /// IANA time zone, e.g. `America/Los_Angeles`.
    #[serde(default)]
    pub timezone: Option<String>,
    /// Creation time.
    #[serde(default, with = "opt_millis")]
    pub created_at: Option<Timestamp>,
    /// Scheduled start.
    #[serde(default, with = "opt_millis")]
    pub date: Option<Timestamp>,
    /// Length in **minutes** (LD "Interviews").
    #[serde(default)]
    pub duration: Option<i64>,
    /// Room, phone number or video link (free text).
    #[serde(default)]
    pub location: Option<String>,
    /// Feedback template id.
    #[serde(default)]
    pub feedback_template: Option<String>,
    /// Feedback forms (ids, or objects with `expand`).
    #[serde(default, deserialize_with = "null_default")]
    pub feedback_forms: Vec<serde_json::Value>,
    /// Reminder frequency.
    #[serde(default)]
    pub feedback_reminder: Option<FeedbackReminder>,
    /// Creator.
    #[serde(default)]
    pub user: Option<Expandable<User>>,
    /// Stage of the opportunity when scheduled.
    #[serde(default)]
    pub stage: Option<Expandable<Stage>>,
    /// When it was canceled; `None` if never.
    #[serde(default, with = "opt_millis")]
    pub canceled_at: Option<Timestamp>,
    /// Posting ids.
    #[serde(default, deserialize_with = "null_default")]
    pub postings: Vec<serde_json::Value>,
    /// Google Calendar event link (observed, not in LD; research note §3.3).
    #[serde(default)]
    pub gcal_event_url: Option<String>,
    /// Fields this version does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl HasId for Interview {
    fn id(&self) -> &str {
        &self.id
    }
}

impl Interview {
    /// The scheduled end: `date + duration` minutes (Lever has no end field).
    pub fn end(&self) -> Option<Timestamp> {
        Some(self.date? + chrono::Duration::minutes(self.duration?))
    }

    /// Whether the interview was canceled.
    pub fn is_canceled(&self) -> bool {
        self.canceled_at.is_some()
    }
}

/// An interviewer on an interview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Interviewer {
    /// User id.
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// E-mail.
    #[serde(default)]
    pub email: Option<String>,
    /// Feedback template id.
    #[serde(default)]
    pub feedback_template: Option<String>,
    /// Fields this version does not model, kept so nothing Lever adds is lost.
    #[serde(flatten)]
    pub extra: Extra,
}

open_enum! {
    /// How often Lever reminds interviewers to submit feedback.
    FeedbackReminder {
        /// Once.
        Once = "once",
        /// Daily.
        Daily = "daily",
        /// Every six hours.
        Frequently = "frequently",
        /// Never.
        None = "none",
    }
}

/// A panel: a group of interviews scheduled together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Panel {
    /// Panel id.
    pub id: String,
    /// Application ids.
    #[serde(default, deserialize_with = "null_default")]
    pub applications: Vec<String>,
    /// When canceled.
    #[serde(default, with = "opt_millis")]
    pub canceled_at: Option<Timestamp>,
    /// Creation time.
    #[serde(default, with = "opt_millis")]
    pub created_at: Option<Timestamp>,
    /// Start of the first interview.
    #[serde(default, with = "opt_millis")]
    pub start: Option<Timestamp>,
    /// End of the last interview.
    #[serde(default, with = "opt_millis")]
    pub end: Option<Timestamp>,
    /// IANA time zone.
    #[serde(default)]
    pub timezone: Option<String>,
    /// Reminder frequency.
    #[serde(default)]
    pub feedback_reminder: Option<FeedbackReminder>,
    /// Creator.
    #[serde(default)]
    pub user: Option<Expandable<User>>,
    /// Stage.
    #[serde(default)]
    pub stage: Option<Expandable<Stage>>,
    /// Note.
    #[serde(default)]
    pub note: Option<String>,
    /// True when created through the API or an integration.
    #[serde(default)]
    pub externally_managed: Option<bool>,
    /// Link to the managing system.
    #[serde(default)]
    pub external_url: Option<String>,
    /// The interviews.
    #[serde(default, deserialize_with = "null_default")]
    pub interviews: Vec<Interview>,
    /// Fields this version does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl HasId for Panel {
    fn id(&self) -> &str {
        &self.id
    }
}

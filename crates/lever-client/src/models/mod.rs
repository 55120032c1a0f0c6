//! Typed models with Lever's exact field names. Every field Lever may omit is optional,
//! unknown fields are kept in `extra`, and every enum keeps unknown values.

pub mod common;
pub mod interview;
pub mod note;
pub mod opportunity;
pub mod posting;
pub mod stage;
pub mod user;
pub mod webhook;

pub use common::{Expandable, Extra, HasId, Timestamp};
pub use interview::{FeedbackReminder, Interview, Interviewer, Panel};
pub use note::{CreatedNote, NewNote, Note, NoteField, NoteScore};
pub use opportunity::{
    Application, ApplicationType, Archived, Confidentiality, Contact, ContactLocation, Opportunity,
    OpportunityUrls, Origin, Phone, StageChange,
};
pub use posting::{Posting, PostingCategories, PostingState, WorkplaceType};
pub use stage::{ArchiveReason, ArchiveReasonStatus, ArchiveReasonType, Stage};
pub use user::{AccessRole, User};
pub use webhook::{
    CreatedWebhook, NewWebhook, Webhook, WebhookConditions, WebhookConfiguration, WebhookEventType,
    WebhookUpdate,
};

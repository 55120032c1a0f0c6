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

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use serde::de::DeserializeOwned;

    /// A value Lever adds later becomes `Unknown` and serializes back unchanged.
    fn check_open<T>(known: &str)
    where
        T: DeserializeOwned + Serialize + std::fmt::Debug + PartialEq,
    {
        let new: T = serde_json::from_str("\"added-next-year\"").unwrap();
        assert_eq!(serde_json::to_string(&new).unwrap(), "\"added-next-year\"");
        let old: T = serde_json::from_str(&format!("\"{known}\"")).unwrap();
        assert_ne!(old, new);
        assert_eq!(serde_json::to_string(&old).unwrap(), format!("\"{known}\""));
    }

    #[test]
    fn every_open_enum_keeps_unknown_values() {
        check_open::<Confidentiality>("confidential");
        check_open::<Origin>("referred");
        check_open::<ApplicationType>("referral");
        check_open::<AccessRole>("limited team member");
        check_open::<ArchiveReasonStatus>("inactive");
        check_open::<ArchiveReasonType>("non-hired");
        check_open::<FeedbackReminder>("none");
        check_open::<PostingState>("draft");
        check_open::<WorkplaceType>("hybrid");
        check_open::<WebhookEventType>("interviewDeleted");
        assert_eq!(
            AccessRole::from("super admin"),
            AccessRole::SuperAdmin,
            "values with spaces map to their variant"
        );
    }

    #[test]
    fn timestamps_serialize_back_to_milliseconds() {
        let json = r#"{"id":"s1","createdAt":1407460071043,"updatedAt":null,"archived":{"archivedAt":"1507745488290","reason":"r"}}"#;
        let opp: Opportunity = serde_json::from_str(json).unwrap();
        let back = serde_json::to_value(&opp).unwrap();
        assert_eq!(back["createdAt"], 1407460071043i64);
        assert_eq!(back["archived"]["archivedAt"], 1507745488290i64);
        assert!(back.get("updatedAt").is_none());
    }
}

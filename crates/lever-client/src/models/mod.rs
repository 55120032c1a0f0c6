//! Typed models with Lever's exact field names. Every field Lever may omit is optional,
//! unknown fields are kept in `extra`, and every enum keeps unknown values.

pub mod account;
pub mod common;
pub mod file;
pub mod form;
pub mod interview;
pub mod note;
pub mod opportunity;
pub mod posting;
pub mod requests;
pub mod requisition;
pub mod stage;
pub mod user;
pub mod webhook;

pub use account::{
    ApplicationCreated, ApplicationQuestions, AuditEvent, DeletedOpportunity, DiversitySurvey,
    EeoResponse, Source, Tag,
};
pub use common::{Expandable, Extra, HasId, Timestamp};
pub use file::{File, Offer, OfferField, Resume, ResumeFile, Upload};
pub use form::{FieldValue, Form, FormField, FormSubmission, FormTemplate};
pub use interview::{FeedbackReminder, Interview, Interviewer, Panel};
pub use note::{CreatedNote, NewNote, Note, NoteField, NoteScore};
pub use opportunity::{
    Application, ApplicationType, Archived, Confidentiality, Contact, ContactLocation, Opportunity,
    OpportunityUrls, Origin, Phone, StageChange,
};
pub use posting::{Posting, PostingCategories, PostingState, WorkplaceType};
pub use requests::{
    ContactUpdate, FormTemplateRequest, InterviewRequest, InterviewerRef, NewOpportunity,
    NoteComment, NoteUpdate, PanelInterview, PanelRequest, UserRequest,
};
pub use requisition::{Requisition, RequisitionField};
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
        // An explicit null stays an explicit null.
        assert_eq!(back["updatedAt"], serde_json::Value::Null);
    }

    /// Deserialize, serialize, and compare with the input as JSON values.
    fn round_trip<T: DeserializeOwned + Serialize>(json: serde_json::Value) {
        let typed: T = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(serde_json::to_value(&typed).unwrap(), json);
    }

    #[test]
    fn nested_structs_keep_unknown_fields_and_nulls() {
        round_trip::<Stage>(serde_json::json!({"id":"lead-new","text":"New lead","color":"blue"}));
        round_trip::<ArchiveReason>(serde_json::json!({
            "id":"r1","text":"Hired","status":"active","type":"hired","rank":3}));
        round_trip::<Interview>(serde_json::json!({
            "id":"i1","panel":"p1","subject":null,"note":null,
            "interviewers":[{"id":"u1","name":"Ross","email":"r@x.io","feedbackTemplate":null,"role":"lead"}],
            "timezone":"UTC","createdAt":1420312438110_i64,"date":1420312438110_i64,"duration":30,
            "location":null,"feedbackTemplate":null,"feedbackForms":[],"feedbackReminder":"daily",
            "user":"u1","stage":"lead-new","canceledAt":null,"postings":[],"gcalEventUrl":null,
            "conferenceData":{"provider":"zoom"}}));
        round_trip::<User>(serde_json::json!({
            "id":"u1","name":"Chandler","username":"chandler","email":"c@x.io",
            "createdAt":1420312438110_i64,"deactivatedAt":null,"accessRole":"admin","photo":null,
            "externalDirectoryId":null,"linkedContactIds":null,"jobTitle":null,"managerId":null}));
        round_trip::<Webhook>(serde_json::json!({
            "id":"w1","url":"https://x.io/h","event":"candidateHired","createdAt":1,"updatedAt":null,
            "configuration":{"conditions":{"origins":["applied"],"other":1}},"enabled":true}));
        round_trip::<Note>(serde_json::json!({
            "id":"n1","text":"Note","fields":[{"type":"note","text":"Comment","value":"hi",
            "createdAt":1420312438110_i64,"user":"u1","score":null,"stage":"offer","mentions":[]}],
            "user":null,"secret":false,"completedAt":null,"createdAt":1420312438110_i64,"deletedAt":null}));
        round_trip::<PostingCategories>(serde_json::json!({
            "team":"Eng","department":null,"location":"NYC","allLocations":["NYC"],
            "commitment":null,"level":null,"country":"US"}));
        let opp = serde_json::json!({
            "id":"o1","name":null,"headline":null,"contact":"c1","emails":[],
            "phones":[{"type":"mobile","value":"+1","verified":true}],"links":[],"location":null,
            "stage":"offer","stageChanges":[{"toStageId":"offer","toStageIndex":2,"userId":"u1",
            "updatedAt":1,"note":"x"}],"confidentiality":"non-confidential",
            "archived":{"archivedAt":1,"reason":"r1","by":"u1"},"tags":[],"sources":[],"origin":null,
            "sourcedBy":null,"owner":null,"followers":[],"applications":[],"createdAt":1,
            "updatedAt":null,"lastInteractionAt":null,"lastAdvancedAt":null,"snoozedUntil":null,
            "urls":{"list":"l","show":"s","edit":"e"},"isAnonymized":false,"dataProtection":null});
        round_trip::<Opportunity>(opp);
        round_trip::<Contact>(serde_json::json!({
            "id":"c1","name":"Ada","headline":null,"location":{"name":"London","lat":51.5},
            "emails":["a@x.io"],"phones":[],"isAnonymized":false}));
    }

    #[test]
    fn null_lists_read_as_empty() {
        let opp: Opportunity = serde_json::from_str(
            r#"{"id":"o1","emails":null,"phones":null,"links":null,"stageChanges":null,
            "tags":null,"sources":null,"followers":null,"applications":null}"#,
        )
        .unwrap();
        assert!(opp.emails.is_empty() && opp.tags.is_empty() && opp.applications.is_empty());
        let conditions: WebhookConditions = serde_json::from_str(r#"{"origins":null}"#).unwrap();
        assert!(conditions.origins.is_empty());
        let user: User = serde_json::from_str(r#"{"id":"u","linkedContactIds":null}"#).unwrap();
        assert!(user.linked_contacts().is_empty());
        assert_eq!(user.linked_contact_ids, None);
    }
}

//! Postings: list with filters, get, create, update, application questions and apply
//! (LD "Postings"; research note §3.7).

use reqwest::Method;
use serde_json::Value;

use crate::api::ConfidentialityFilter;
use crate::api::query::{filters, list_endpoint};
use crate::client::{Call, LeverClient};
use crate::error::Error;
use crate::models::{ApplicationCreated, ApplicationQuestions, Posting, PostingState, Timestamp};

filters! {
    /// Filters for listing postings (LD "List all postings"). Note Lever's quirks: with
    /// `state=published` only public-channel postings come back unless `distributionChannel`
    /// is set, and `updated_at_*` only work together with `confidentiality`.
    PostingQuery {
        /// In this state (repeatable).
        state: PostingState => "state",
        /// On this distribution channel (`public`, `internal`; repeatable).
        distribution_channel: &str => "distributionChannel",
        /// Confidentiality; `All` includes confidential postings.
        confidentiality: ConfidentialityFilter => "confidentiality",
        /// With this team (repeatable).
        team: &str => "team",
        /// With this department (repeatable).
        department: &str => "department",
        /// In this location (repeatable).
        location: &str => "location",
        /// With this commitment (repeatable).
        commitment: &str => "commitment",
        /// At this level (repeatable).
        level: &str => "level",
        /// With this tag (repeatable).
        tag: &str => "tag",
        /// Updated at or after.
        updated_at_start: Timestamp => "updated_at_start",
        /// Updated at or before.
        updated_at_end: Timestamp => "updated_at_end",
    }
}

fn posting_body(body: &Value) -> Result<Value, Error> {
    if body.is_object() {
        Ok(body.clone())
    } else {
        Err(Error::InvalidInput(
            "a posting body must be a JSON object".into(),
        ))
    }
}

impl LeverClient {
    list_endpoint! {
        /// Postings matching `query` (`GET /postings`).
        postings_page / postings -> Posting,
        (query: &PostingQuery) => query.apply(Call::get(&["postings"]))
    }

    /// One posting (`GET /postings/:id`).
    pub async fn posting(&self, id: &str) -> Result<Posting, Error> {
        self.data(Call::get(&["postings", id])).await
    }

    /// Create a posting (`POST /postings?perform_as=`). The body is the documented posting
    /// object (`text`, `state`, `distributionChannels`, `owner`, `hiringManager`,
    /// `categories`, `content`, `tags`, `workplaceType`, `requisitionCodes`, `salaryRange`...).
    pub async fn create_posting(&self, body: &Value, perform_as: &str) -> Result<Posting, Error> {
        let call = Call::new(Method::POST, &["postings"])
            .query("perform_as", perform_as)
            .body(posting_body(body)?);
        self.data(call).await
    }

    /// Update a posting (`POST /postings/:id?perform_as=`; Lever updates postings with POST).
    pub async fn update_posting(
        &self,
        id: &str,
        body: &Value,
        perform_as: &str,
    ) -> Result<Posting, Error> {
        let call = Call::new(Method::POST, &["postings", id])
            .query("perform_as", perform_as)
            .body(posting_body(body)?);
        self.data(call).await
    }

    /// A posting's application questions (`GET /postings/:id/apply`).
    pub async fn application_questions(&self, id: &str) -> Result<ApplicationQuestions, Error> {
        self.data(Call::get(&["postings", id, "apply"])).await
    }

    /// Apply to a posting on a candidate's behalf (`POST /postings/:id/apply`); the body holds
    /// `personalInformation`, `urls`, `customQuestions`, `eeoResponses`... as documented.
    /// `send_confirmation_email` maps to the query parameter of that name.
    pub async fn apply_to_posting(
        &self,
        id: &str,
        body: &Value,
        send_confirmation_email: Option<bool>,
    ) -> Result<ApplicationCreated, Error> {
        let mut call =
            Call::new(Method::POST, &["postings", id, "apply"]).body(posting_body(body)?);
        if let Some(send) = send_confirmation_email {
            call = call.query("send_confirmation_email", send.to_string());
        }
        self.data(call).await
    }
}

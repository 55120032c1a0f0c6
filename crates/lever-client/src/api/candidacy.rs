//! Writing opportunities (create, stage, archive state, links, tags, sources), the deleted
//! list, applications and contact updates (LD "Opportunities", "Applications", "Contacts").

use reqwest::Method;
use serde_json::json;

use crate::api::query::{filters, list_endpoint, list_endpoint_with_options};
use crate::client::{Call, LeverClient};
use crate::error::Error;
use crate::models::{
    Application, Contact, ContactUpdate, DeletedOpportunity, NewOpportunity, Opportunity, Timestamp,
};

filters! {
    /// Filters for the deleted-opportunities list (LD "List deleted opportunities").
    DeletedOpportunityQuery {
        /// Deleted at or after.
        deleted_at_start: Timestamp => "deleted_at_start",
        /// Deleted at or before.
        deleted_at_end: Timestamp => "deleted_at_end",
    }
}

/// Options of [`LeverClient::create_opportunity`] besides the body (LD "Create an
/// opportunity" query parameters).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreateOpportunityOptions {
    /// `parse`: parse an attached resume to fill in the contact.
    pub parse: Option<bool>,
    /// `perform_as_posting_owner`: act as the posting's owner instead of `perform_as`.
    pub perform_as_posting_owner: Option<bool>,
}

/// Which list of an opportunity `add`/`remove` changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum OpportunityList {
    /// `links` (`addLinks`/`removeLinks`).
    Links,
    /// `tags` (`addTags`/`removeTags`).
    Tags,
    /// `sources` (`addSources`/`removeSources`).
    Sources,
}

impl OpportunityList {
    fn field(self) -> &'static str {
        match self {
            Self::Links => "links",
            Self::Tags => "tags",
            Self::Sources => "sources",
        }
    }

    fn route(self, add: bool) -> &'static str {
        match (self, add) {
            (Self::Links, true) => "addLinks",
            (Self::Links, false) => "removeLinks",
            (Self::Tags, true) => "addTags",
            (Self::Tags, false) => "removeTags",
            (Self::Sources, true) => "addSources",
            (Self::Sources, false) => "removeSources",
        }
    }
}

fn with_perform_as(call: Call, perform_as: Option<&str>) -> Call {
    match perform_as {
        Some(user) => call.query("perform_as", user),
        None => call,
    }
}

fn to_body<T: serde::Serialize>(value: &T) -> Result<serde_json::Value, Error> {
    serde_json::to_value(value).map_err(|e| Error::InvalidInput(e.to_string()))
}

impl LeverClient {
    list_endpoint! {
        /// Deleted opportunities (`GET /opportunities/deleted`).
        deleted_opportunities_page / deleted_opportunities -> DeletedOpportunity,
        (query: &DeletedOpportunityQuery) => query.apply(Call::get(&["opportunities", "deleted"]))
    }

    /// Create an opportunity (`POST /opportunities?perform_as=`, `perform_as` required). Lever
    /// attaches it to the existing contact with the same e-mail. Retried only after a
    /// connection error.
    pub async fn create_opportunity(
        &self,
        opportunity: &NewOpportunity,
        perform_as: &str,
        options: &CreateOpportunityOptions,
    ) -> Result<Opportunity, Error> {
        let mut call = Call::new(Method::POST, &["opportunities"])
            .query("perform_as", perform_as)
            .body(to_body(opportunity)?);
        if let Some(parse) = options.parse {
            call = call.query("parse", parse.to_string());
        }
        if let Some(owner) = options.perform_as_posting_owner {
            call = call.query("perform_as_posting_owner", owner.to_string());
        }
        self.data(call).await
    }

    /// Move an opportunity to a stage (`PUT /opportunities/:id/stage` `{stage}`).
    pub async fn update_stage(
        &self,
        opportunity_id: &str,
        stage_id: &str,
        perform_as: Option<&str>,
    ) -> Result<Opportunity, Error> {
        let call = Call::new(Method::PUT, &["opportunities", opportunity_id, "stage"])
            .body(json!({ "stage": stage_id }));
        self.data(with_perform_as(call, perform_as)).await
    }

    /// Archive an opportunity for `reason`, or unarchive it with `None`
    /// (`PUT /opportunities/:id/archived` `{reason, cleanInterviews?, requisitionId?}`; a
    /// `null` reason unarchives, research note §3.1).
    pub async fn update_archived(
        &self,
        opportunity_id: &str,
        reason: Option<&str>,
        clean_interviews: Option<bool>,
        requisition_id: Option<&str>,
        perform_as: Option<&str>,
    ) -> Result<Opportunity, Error> {
        let mut body = json!({ "reason": reason });
        if let Some(clean) = clean_interviews {
            body["cleanInterviews"] = clean.into();
        }
        if let Some(req) = requisition_id {
            body["requisitionId"] = req.into();
        }
        let call =
            Call::new(Method::PUT, &["opportunities", opportunity_id, "archived"]).body(body);
        self.data(with_perform_as(call, perform_as)).await
    }

    /// Add values to an opportunity's links, tags or sources
    /// (`POST /opportunities/:id/addLinks|addTags|addSources`).
    pub async fn add_to_opportunity(
        &self,
        opportunity_id: &str,
        list: OpportunityList,
        values: &[&str],
        perform_as: Option<&str>,
    ) -> Result<Opportunity, Error> {
        self.change_list(opportunity_id, list, true, values, perform_as)
            .await
    }

    /// Remove values from an opportunity's links, tags or sources
    /// (`POST /opportunities/:id/removeLinks|removeTags|removeSources`).
    pub async fn remove_from_opportunity(
        &self,
        opportunity_id: &str,
        list: OpportunityList,
        values: &[&str],
        perform_as: Option<&str>,
    ) -> Result<Opportunity, Error> {
        self.change_list(opportunity_id, list, false, values, perform_as)
            .await
    }

    async fn change_list(
        &self,
        opportunity_id: &str,
        list: OpportunityList,
        add: bool,
        values: &[&str],
        perform_as: Option<&str>,
    ) -> Result<Opportunity, Error> {
        let call = Call::new(
            Method::POST,
            &["opportunities", opportunity_id, list.route(add)],
        )
        .body(json!({ list.field(): values }));
        self.data(with_perform_as(call, perform_as)).await
    }

    list_endpoint_with_options! {
        /// An opportunity's applications (`GET /opportunities/:id/applications`; Lever
        /// prefers `expand=applications` on the opportunity).
        applications_page / applications, applications_page_with / applications_with -> Application,
        (opportunity_id: &str) => Call::get(&["opportunities", opportunity_id, "applications"])
    }

    /// One application (`GET /opportunities/:id/applications/:application`).
    pub async fn application(
        &self,
        opportunity_id: &str,
        application_id: &str,
    ) -> Result<Application, Error> {
        self.data(Call::get(&[
            "opportunities",
            opportunity_id,
            "applications",
            application_id,
        ]))
        .await
    }

    /// Replace a contact's details (`PUT /contacts/:id`).
    pub async fn update_contact(
        &self,
        contact_id: &str,
        contact: &ContactUpdate,
    ) -> Result<Contact, Error> {
        let call = Call::new(Method::PUT, &["contacts", contact_id]).body(to_body(contact)?);
        self.data(call).await
    }
}

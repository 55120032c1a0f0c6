//! Opportunities, contacts, interviews and panels (LD "Opportunities", "Contacts", "Interviews",
//! "Panels").

use futures::Stream;

use crate::api::query::list_endpoint_with_options;
use crate::client::{Call, LeverClient};
use crate::error::Error;
use crate::models::{Contact, Interview, Opportunity, Origin, Panel, Timestamp};
use crate::pagination::Page;

/// The `confidentiality` filter (LD "List all opportunities").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfidentialityFilter {
    /// Only non-confidential opportunities (Lever's default when unspecified).
    NonConfidential,
    /// Only confidential ones (needs a key with confidential access).
    Confidential,
    /// Both.
    All,
}

impl ConfidentialityFilter {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::NonConfidential => "non-confidential",
            Self::Confidential => "confidential",
            Self::All => "all",
        }
    }
}

/// Filters for listing opportunities (LD "List all opportunities": `include`, `expand`,
/// `tag`, `email`, `origin`, `source`, `confidentiality`, `stage_id`, `posting_id`,
/// `archived_posting_id`, `created_at_*`, `updated_at_*`, `advanced_at_*`, `archived_at_*`,
/// `archived`, `archive_reason_id`, `snoozed`, `contact_id`, `location`). Time filters are
/// inclusive and sent in milliseconds; repeatable filters are sent once per value.
///
/// ```
/// let q = lever_client::OpportunityQuery::new().email("ada@example.com").archived(false);
/// ```
#[derive(Debug, Clone, Default)]
pub struct OpportunityQuery {
    params: Vec<(&'static str, String)>,
    extra: Vec<(String, String)>,
    email: bool,
    confidentiality: Option<ConfidentialityFilter>,
}

impl OpportunityQuery {
    /// No filters.
    pub fn new() -> Self {
        Self::default()
    }

    fn push(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.params.push((key, value.into()));
        self
    }

    /// Opportunities whose contact has this e-mail (canonicalized by Lever). Unless
    /// [`confidentiality`](Self::confidentiality) is set, this also sends `confidentiality=all`,
    /// because Lever otherwise silently skips confidential candidates (LD; research note §10.9).
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = true;
        self.push("email", email)
    }

    /// Confidentiality filter.
    pub fn confidentiality(mut self, filter: ConfidentialityFilter) -> Self {
        self.confidentiality = Some(filter);
        self
    }

    /// Updated at or after.
    pub fn updated_at_start(self, at: Timestamp) -> Self {
        self.push("updated_at_start", at.timestamp_millis().to_string())
    }

    /// Updated at or before.
    pub fn updated_at_end(self, at: Timestamp) -> Self {
        self.push("updated_at_end", at.timestamp_millis().to_string())
    }

    /// Created at or after.
    pub fn created_at_start(self, at: Timestamp) -> Self {
        self.push("created_at_start", at.timestamp_millis().to_string())
    }

    /// Created at or before.
    pub fn created_at_end(self, at: Timestamp) -> Self {
        self.push("created_at_end", at.timestamp_millis().to_string())
    }

    /// Advanced to a new stage at or after.
    pub fn advanced_at_start(self, at: Timestamp) -> Self {
        self.push("advanced_at_start", at.timestamp_millis().to_string())
    }

    /// Advanced to a new stage at or before.
    pub fn advanced_at_end(self, at: Timestamp) -> Self {
        self.push("advanced_at_end", at.timestamp_millis().to_string())
    }

    /// Archived at or after.
    pub fn archived_at_start(self, at: Timestamp) -> Self {
        self.push("archived_at_start", at.timestamp_millis().to_string())
    }

    /// Archived at or before.
    pub fn archived_at_end(self, at: Timestamp) -> Self {
        self.push("archived_at_end", at.timestamp_millis().to_string())
    }

    /// Archived for this reason (repeatable).
    pub fn archive_reason_id(self, reason: impl Into<String>) -> Self {
        self.push("archive_reason_id", reason)
    }

    /// Archived from this posting (repeatable).
    pub fn archived_posting_id(self, posting: impl Into<String>) -> Self {
        self.push("archived_posting_id", posting)
    }

    /// With this origin (repeatable).
    pub fn origin(self, origin: Origin) -> Self {
        self.push("origin", origin.as_str())
    }

    /// With this source (repeatable).
    pub fn source(self, source: impl Into<String>) -> Self {
        self.push("source", source)
    }

    /// Only snoozed (`true`) or only not snoozed (`false`).
    pub fn snoozed(self, snoozed: bool) -> Self {
        self.push("snoozed", snoozed.to_string())
    }

    /// In this location (repeatable).
    pub fn location(self, location: impl Into<String>) -> Self {
        self.push("location", location)
    }

    /// Return only these fields (repeatable; LD "Customizing the Response").
    pub fn include(self, field: impl Into<String>) -> Self {
        self.push("include", field)
    }

    /// Any other query parameter, sent as is.
    pub fn param(mut self, key: &str, value: impl Into<String>) -> Self {
        self.extra.push((key.to_owned(), value.into()));
        self
    }

    /// In this stage (repeatable).
    pub fn stage_id(self, stage: impl Into<String>) -> Self {
        self.push("stage_id", stage)
    }

    /// Applied to this posting (repeatable).
    pub fn posting_id(self, posting: impl Into<String>) -> Self {
        self.push("posting_id", posting)
    }

    /// Only archived (`true`) or only active (`false`); both when unset.
    pub fn archived(self, archived: bool) -> Self {
        self.push("archived", archived.to_string())
    }

    /// With this tag (repeatable).
    pub fn tag(self, tag: impl Into<String>) -> Self {
        self.push("tag", tag)
    }

    /// Of this contact.
    pub fn contact_id(self, contact: impl Into<String>) -> Self {
        self.push("contact_id", contact)
    }

    /// Expand a field into its object (`contact`, `stage`, `owner`, `followers`, `applications`).
    pub fn expand(self, field: impl Into<String>) -> Self {
        self.push("expand", field)
    }

    /// Page size, 1–100.
    pub fn limit(self, limit: u8) -> Self {
        self.push("limit", limit.clamp(1, 100).to_string())
    }

    fn call(&self) -> Call {
        let mut call = Call::get(&["opportunities"]);
        for (k, v) in &self.params {
            call = call.query(k, v.clone());
        }
        for (k, v) in &self.extra {
            call = call.query(k, v.clone());
        }
        let confidentiality = self
            .confidentiality
            .or(self.email.then_some(ConfidentialityFilter::All));
        if let Some(c) = confidentiality {
            call = call.query("confidentiality", c.as_str());
        }
        call
    }
}

impl LeverClient {
    /// One page of opportunities (`GET /opportunities`).
    pub async fn opportunities_page(
        &self,
        query: &OpportunityQuery,
        offset: Option<&str>,
    ) -> Result<Page<Opportunity>, Error> {
        self.page(query.call(), offset).await
    }

    /// Every opportunity matching `query`, lazily page by page.
    pub fn opportunities(
        &self,
        query: &OpportunityQuery,
    ) -> impl Stream<Item = Result<Opportunity, Error>> + Send + 'static {
        self.paginate(query.call())
    }

    /// All opportunities of the person with this e-mail, confidential ones included, with the
    /// contact and applications expanded (so the posting of each candidacy is at hand; one
    /// person can have several opportunities, research note §3.1).
    pub async fn opportunities_by_email(&self, email: &str) -> Result<Vec<Opportunity>, Error> {
        use futures::TryStreamExt;
        let query = OpportunityQuery::new()
            .email(email)
            .expand("contact")
            .expand("applications");
        self.opportunities(&query).try_collect().await
    }

    /// One opportunity (`GET /opportunities/:id`).
    pub async fn opportunity(&self, id: &str) -> Result<Opportunity, Error> {
        self.data(Call::get(&["opportunities", id])).await
    }

    /// One opportunity with these fields expanded into objects, e.g.
    /// `&["applications", "stage", "owner"]` (LD "Customizing the Response").
    pub async fn opportunity_expanded(
        &self,
        id: &str,
        expand: &[&str],
    ) -> Result<Opportunity, Error> {
        let call = expand
            .iter()
            .fold(Call::get(&["opportunities", id]), |c, field| {
                c.query("expand", *field)
            });
        self.data(call).await
    }

    /// One contact (`GET /contacts/:id`).
    pub async fn contact(&self, id: &str) -> Result<Contact, Error> {
        self.data(Call::get(&["contacts", id])).await
    }

    list_endpoint_with_options! {
        /// An opportunity's interviews (`GET /opportunities/:id/interviews`).
        interviews_page / interviews, interviews_page_with / interviews_with -> Interview,
        (opportunity_id: &str) => interviews_call(opportunity_id)
    }

    /// One interview.
    pub async fn interview(
        &self,
        opportunity_id: &str,
        interview_id: &str,
    ) -> Result<Interview, Error> {
        self.data(Call::get(&[
            "opportunities",
            opportunity_id,
            "interviews",
            interview_id,
        ]))
        .await
    }

    list_endpoint_with_options! {
        /// An opportunity's panels (`GET /opportunities/:id/panels`).
        panels_page / panels, panels_page_with / panels_with -> Panel,
        (opportunity_id: &str) => panels_call(opportunity_id)
    }

    /// One panel.
    pub async fn panel(&self, opportunity_id: &str, panel_id: &str) -> Result<Panel, Error> {
        self.data(Call::get(&[
            "opportunities",
            opportunity_id,
            "panels",
            panel_id,
        ]))
        .await
    }
}

fn interviews_call(opportunity_id: &str) -> Call {
    Call::get(&["opportunities", opportunity_id, "interviews"])
}

fn panels_call(opportunity_id: &str) -> Call {
    Call::get(&["opportunities", opportunity_id, "panels"])
}

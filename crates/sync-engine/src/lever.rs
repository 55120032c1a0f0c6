//! The Lever connection (feature `lever`): posting, e-mail lookup, webhook
//! verification and processing, and the opportunity backfill, on
//! [`lever_client`].
//!
//! In the index a Lever *candidate* is a contact (the person) and its
//! *applications* are the contact's opportunities.
//!
//! Lever signs only `token + triggeredAt`, not `data` (research note §4.4),
//! so a delivery's data is treated as a hint: processing re-fetches the
//! opportunity or interview from the API before anything changes.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use lever_client::{
    Error as LeverError, Expandable, Interview, LeverClient, NewNote, NewWebhook, Opportunity,
    OpportunityQuery, SignatureToken, WebhookEvent, WebhookEventType, WebhookVerifier,
};
use serde::{Deserialize, Serialize};

use crate::connector::{AtsConnector, ConnectorError, ErrorFacts, FailureKind};
use crate::engine::Tenant;
use crate::error::{Error, Result};
use crate::index::{
    CandidateKey, CandidateStatus, IndexedApplication, IndexedCandidate, ScheduledInterview,
};
use crate::ingest::IndexUpdate;
use crate::outbox::NoteTarget;
use crate::sync::{SyncPage, SyncSource};
use crate::tenant::{Ats, TenantId};
use crate::webhook::{Verified, WebhookHeaders, WebhookSource};

/// One tenant's Lever connection.
#[derive(Debug)]
pub struct LeverConnection {
    client: LeverClient,
    verifier: WebhookVerifier,
    perform_as: Option<String>,
}

impl LeverConnection {
    /// A connection over `client` whose webhooks are verified by `verifier`
    /// (one signature token per registered webhook; add several for rotation).
    /// Do not enable the verifier's own replay cache: the engine dedupes on
    /// the delivery token durably and answers a redelivery with 200.
    ///
    /// The verifier's time window is set to [`RERUN_WINDOW`] (use
    /// [`rerun_window`](Self::rerun_window) to change it): Lever retries a
    /// failed delivery with growing delays and offers a manual "Rerun" of
    /// the original body and `triggeredAt` for two weeks, and a 5-minute
    /// window would refuse those authentic retries with 401 and lose the
    /// event. The wide window is safe here because every event is
    /// re-fetched from the API before it changes anything and delivery
    /// tokens are deduplicated durably (kept at least as long, see
    /// [`Retention::MIN_DELIVERIES`](crate::Retention::MIN_DELIVERIES)).
    pub fn new(client: LeverClient, verifier: WebhookVerifier) -> Self {
        Self {
            client,
            verifier: verifier.tolerance(RERUN_WINDOW),
            perform_as: None,
        }
    }

    /// Accept deliveries whose `triggeredAt` is within this window of now.
    pub fn rerun_window(self, window: std::time::Duration) -> Self {
        Self {
            verifier: self.verifier.tolerance(window),
            ..self
        }
    }

    /// Post notes as this Lever user (`perform_as`); without it Lever shows
    /// the note with no author.
    pub fn perform_as(mut self, user_id: impl Into<String>) -> Self {
        self.perform_as = Some(user_id.into());
        self
    }
}

/// How old a Lever delivery may be and still be accepted: Lever's delivery
/// history offers "Rerun" for deliveries "from the past two weeks"
/// (research note lever.md §4.1), plus a day of margin.
pub const RERUN_WINDOW: std::time::Duration = std::time::Duration::from_secs(15 * 24 * 3600);

/// The Lever events the engine consumes (research note §4.3).
pub const ENGINE_EVENTS: [WebhookEventType; 8] = [
    WebhookEventType::ApplicationCreated,
    WebhookEventType::CandidateStageChange,
    WebhookEventType::CandidateArchiveChange,
    WebhookEventType::CandidateHired,
    WebhookEventType::CandidateDeleted,
    WebhookEventType::InterviewCreated,
    WebhookEventType::InterviewUpdated,
    WebhookEventType::InterviewDeleted,
];

/// Registers the engine's eight webhooks for `url` (the tenant's
/// `/webhooks/lever/{tenant}` URL) through Lever's webhooks API, so the
/// customer does not create them by hand, and returns their signature
/// tokens: store them (they are secrets) and build the tenant's verifier
/// with [`WebhookVerifier::with_tokens`].
///
/// Earlier API-created webhooks for the same URL are deleted first, so
/// calling it again rotates the tokens instead of doubling every delivery.
/// Lever still asks a Super Admin to switch each webhook group on in its
/// settings before deliveries start (research note §4.5), and only webhooks
/// created through the API can be managed this way.
pub async fn register_webhooks(
    client: &LeverClient,
    url: &str,
) -> std::result::Result<Vec<SignatureToken>, ConnectorError> {
    let err = |e| classify(e, true);
    for hook in client.webhooks().await.map_err(|e| classify(e, false))? {
        if hook.url.as_deref() == Some(url) {
            client.delete_webhook(&hook.id).await.map_err(err)?;
        }
    }
    let mut tokens = Vec::with_capacity(ENGINE_EVENTS.len());
    for event in ENGINE_EVENTS {
        let created = client
            .create_webhook(&NewWebhook::new(url, event.clone()))
            .await
            .map_err(err)?;
        let token = created.signature_token.ok_or_else(|| {
            ConnectorError::new(
                Ats::Lever,
                FailureKind::Permanent,
                "Lever returned no signature token",
            )
        })?;
        tokens.push(token);
    }
    Ok(tokens)
}

impl Tenant {
    /// Connects Lever: posting, webhooks and sync for this tenant.
    pub fn with_lever(self, connection: LeverConnection) -> Self {
        self.with_connection(Arc::new(connection))
    }
}

/// Classifies a client error for the engine. `write` marks a POST, whose
/// failure after sending leaves its outcome unknown.
fn classify(e: LeverError, write: bool) -> ConnectorError {
    let facts = ErrorFacts {
        auth: e.needs_reconnect() || matches!(e, LeverError::Revoked { .. }),
        not_found: e.status() == Some(404),
        not_applied: e.is_rate_limited() || e.is_connect(),
        retryable: e.is_retryable(),
        retry_after: e.retry_after(),
    };
    ConnectorError::new(
        Ats::Lever,
        FailureKind::classify(&facts, write),
        e.to_string(),
    )
}

fn time(t: Option<DateTime<Utc>>) -> DateTime<Utc> {
    t.unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

/// The contact id of an opportunity (Lever always sends `contact`; fall back
/// to the opportunity id so a malformed record still indexes somewhere stable).
fn contact_id(o: &Opportunity) -> String {
    o.contact
        .as_ref()
        .map_or_else(|| o.id.clone(), |c| c.id().to_owned())
}

fn application_update(tenant: &TenantId, o: &Opportunity) -> IndexUpdate {
    IndexUpdate::Application {
        key: CandidateKey {
            tenant: tenant.clone(),
            ats: Ats::Lever,
            candidate_id: contact_id(o),
        },
        name: o.name.clone(),
        emails: o.emails.clone(),
        application: IndexedApplication {
            id: o.id.clone(),
            job_id: o.applications.first().and_then(|a| match a {
                Expandable::Object(app) => app.posting.as_ref().map(|p| p.id().to_owned()),
                _ => None,
            }),
            archived: o
                .archived
                .as_ref()
                .is_some_and(|a| a.archived_at.is_some() || a.reason.is_some()),
            updated_at: time(o.updated_at.or(o.created_at)),
        },
    }
}

fn candidates_of(tenant: &TenantId, opportunities: &[Opportunity]) -> Vec<IndexedCandidate> {
    let mut out: Vec<IndexedCandidate> = Vec::new();
    for o in opportunities {
        let IndexUpdate::Application {
            key,
            name,
            emails,
            application,
        } = application_update(tenant, o)
        else {
            continue;
        };
        let status = if application.archived {
            CandidateStatus::Archived
        } else {
            CandidateStatus::Active
        };
        match out.iter_mut().find(|c| c.key == key) {
            Some(c) => {
                c.updated_at = c.updated_at.max(application.updated_at);
                if !application.archived {
                    c.status = CandidateStatus::Active;
                }
                c.applications.push(application);
                for e in emails {
                    if !c.emails.contains(&e) {
                        c.emails.push(e);
                    }
                }
            }
            None => out.push(IndexedCandidate {
                key,
                name,
                emails,
                status,
                updated_at: application.updated_at,
                applications: vec![application],
            }),
        }
    }
    out
}

fn interview_update(tenant: &TenantId, opportunity: &Opportunity, i: &Interview) -> IndexUpdate {
    let start = time(i.date);
    let end = i
        .duration
        .map(|minutes| start + chrono::Duration::minutes(minutes));
    // Lever has no dedicated video-link field; `location` holds the meeting
    // URL when the interview is remote (research note §3.3).
    let conferencing_url = i
        .location
        .clone()
        .filter(|l| l.starts_with("https://") || l.starts_with("http://"));
    if i.canceled_at.is_some() {
        return IndexUpdate::InterviewGone {
            tenant: tenant.clone(),
            ats: Ats::Lever,
            interview_id: i.id.clone(),
        };
    }
    IndexUpdate::Interview(ScheduledInterview {
        tenant: tenant.clone(),
        ats: Ats::Lever,
        interview_id: i.id.clone(),
        candidate_id: Some(contact_id(opportunity)),
        application_id: Some(opportunity.id.clone()),
        title: i.subject.clone().unwrap_or_else(|| "Interview".to_owned()),
        start,
        end,
        conferencing_url,
        interviewer_emails: i
            .interviewers
            .iter()
            .filter_map(|p| p.email.clone())
            .collect(),
        updated_at: Utc::now(),
    })
}

/// What the engine keeps of a Lever delivery until it is processed: the
/// event name and the ids to re-fetch. No personal data.
#[derive(Debug, Serialize, Deserialize)]
struct Hint {
    event: String,
    opportunity_id: Option<String>,
    contact_id: Option<String>,
    interview_id: Option<String>,
}

impl Hint {
    fn of(event: &WebhookEvent) -> Self {
        let (contact_id, interview_id) = match event {
            WebhookEvent::ApplicationCreated(h) => (h.contact_id.clone(), None),
            WebhookEvent::CandidateStageChange(h) => (h.contact_id.clone(), None),
            WebhookEvent::CandidateArchiveChange(h) => (h.contact_id.clone(), None),
            WebhookEvent::CandidateHired(h) | WebhookEvent::CandidateDeleted(h) => {
                (h.contact_id.clone(), None)
            }
            WebhookEvent::InterviewCreated(h)
            | WebhookEvent::InterviewUpdated(h)
            | WebhookEvent::InterviewDeleted(h) => (h.contact_id.clone(), h.interview_id.clone()),
            other => (other.contact_id().map(str::to_owned), None),
        };
        Hint {
            event: event.name().to_owned(),
            opportunity_id: event.opportunity_id().map(str::to_owned),
            contact_id,
            interview_id,
        }
    }
}

impl LeverConnection {
    /// A contact's name and addresses as Lever has them now (the delivery's
    /// data is unsigned, so it is only the contact id to re-fetch). The
    /// addresses replace the indexed ones: a corrected address stops
    /// matching at once.
    async fn contact_update(&self, tenant: &TenantId, hint: &Hint) -> Result<Vec<IndexUpdate>> {
        let Some(contact_id) = &hint.contact_id else {
            return Ok(Vec::new());
        };
        let contact = match self.client.contact(contact_id).await {
            Ok(contact) => contact,
            Err(e) if e.status() == Some(404) => return Ok(Vec::new()),
            Err(e) => return Err(classify(e, false).into()),
        };
        if contact.emails.is_empty() {
            // Nothing to replace the addresses with; keep what is known.
            return Ok(Vec::new());
        }
        Ok(vec![IndexUpdate::Profile {
            key: CandidateKey {
                tenant: tenant.clone(),
                ats: Ats::Lever,
                candidate_id: contact.id,
            },
            name: contact.name,
            emails: contact.emails,
            updated_at: Utc::now(),
        }])
    }

    /// The interview as Lever has it under this opportunity (with the
    /// opportunity's own update), or `None` when either answers 404.
    async fn interview_under(
        &self,
        tenant: &TenantId,
        opportunity_id: &str,
        interview_id: &str,
    ) -> Result<Option<Vec<IndexUpdate>>> {
        let Some(opportunity) = self.opportunity(opportunity_id).await? else {
            return Ok(None);
        };
        match self.client.interview(opportunity_id, interview_id).await {
            Ok(interview) => Ok(Some(vec![
                application_update(tenant, &opportunity),
                interview_update(tenant, &opportunity, &interview),
            ])),
            Err(e) if e.status() == Some(404) => Ok(None),
            Err(e) => Err(classify(e, false).into()),
        }
    }

    async fn opportunity(&self, id: &str) -> Result<Option<Opportunity>> {
        // `applications` expanded: the posting (job) is on the application.
        match self
            .client
            .opportunity_expanded(id, &["applications"])
            .await
        {
            Ok(o) => Ok(Some(o)),
            Err(e) if e.status() == Some(404) => Ok(None),
            Err(e) => Err(classify(e, false).into()),
        }
    }

    /// The update for a deleted (or vanished) opportunity. Lever's
    /// `candidateDeleted` data is undocumented beyond `opportunityId`
    /// (research note §4.3), so without a `contactId` the engine finds the
    /// owner in its index.
    fn opportunity_gone(tenant: &TenantId, hint: &Hint) -> Vec<IndexUpdate> {
        let Some(opportunity_id) = hint.opportunity_id.clone() else {
            return Vec::new();
        };
        vec![IndexUpdate::ApplicationGone {
            tenant: tenant.clone(),
            ats: Ats::Lever,
            candidate_id: hint.contact_id.clone(),
            application_id: opportunity_id,
        }]
    }
}

#[async_trait]
impl AtsConnector for LeverConnection {
    fn ats(&self) -> Ats {
        Ats::Lever
    }

    async fn find_candidates_by_email(
        &self,
        tenant: &TenantId,
        email: &str,
    ) -> Result<Vec<IndexedCandidate>, ConnectorError> {
        // `opportunities_by_email` asks with `confidentiality=all`, so
        // confidential candidates are found too (research note §10.9).
        let found = self
            .client
            .opportunities_by_email(email)
            .await
            .map_err(|e| classify(e, false))?;
        // Lever's `email` filter is trusted no further than this: keep only
        // opportunities that really carry the address.
        let wanted = aspect_interview_core::normalize_email(email);
        let carries = |o: &&Opportunity| {
            o.emails
                .iter()
                .any(|e| aspect_interview_core::normalize_email(e) == wanted)
        };
        let found: Vec<Opportunity> = found.iter().filter(carries).cloned().collect();
        Ok(candidates_of(tenant, &found))
    }

    async fn note_texts(&self, target: &NoteTarget) -> Result<Vec<String>, ConnectorError> {
        let Some(opportunity) = &target.application_id else {
            return Ok(Vec::new());
        };
        let notes: Vec<lever_client::Note> = self
            .client
            .notes(opportunity)
            .try_collect()
            .await
            .map_err(|e| classify(e, false))?;
        Ok(notes
            .into_iter()
            .map(|n| {
                let mut text = n.text.unwrap_or_default();
                for field in n.fields {
                    text.push('\n');
                    text.push_str(
                        field
                            .value
                            .as_deref()
                            .or(field.text.as_deref())
                            .unwrap_or_default(),
                    );
                }
                text
            })
            .collect())
    }

    async fn post_note(
        &self,
        target: &NoteTarget,
        body: &str,
    ) -> Result<Option<String>, ConnectorError> {
        let Some(opportunity) = &target.application_id else {
            return Err(ConnectorError::new(
                Ats::Lever,
                FailureKind::Permanent,
                "no opportunity to post on",
            ));
        };
        let mut note = NewNote::new(body);
        if let Some(user) = &self.perform_as {
            note = note.perform_as(user.clone());
        }
        let created = self
            .client
            .add_note(opportunity, &note)
            .await
            .map_err(|e| classify(e, true))?;
        Ok(Some(created.note_id))
    }
}

#[async_trait]
impl WebhookSource for LeverConnection {
    fn ats(&self) -> Ats {
        Ats::Lever
    }

    fn verify(
        &self,
        _tenant: &TenantId,
        _headers: &WebhookHeaders,
        body: &[u8],
    ) -> Result<Verified> {
        let delivery = self.verifier.verify(body).map_err(|e| match e {
            LeverError::WebhookMalformed(m) => Error::MalformedPayload(m),
            other => Error::WebhookRejected(other.to_string()),
        })?;
        let payload = serde_json::to_vec(&Hint::of(&delivery.event))?;
        Ok(Verified {
            delivery_id: delivery.token,
            payload,
        })
    }

    /// Lever signs `token` + `triggeredAt`, and the delivery id is that
    /// token (research lever.md §4.4, "Concatenate token and triggeredAt"):
    /// a replayed body carries its id with it.
    fn delivery_id_signed(&self) -> bool {
        true
    }

    async fn updates(
        &self,
        tenant: &TenantId,
        payload: &[u8],
        store: &dyn crate::store::Store,
    ) -> Result<Vec<IndexUpdate>> {
        let hint: Hint = serde_json::from_slice(payload)?;
        if matches!(hint.event.as_str(), "contactCreated" | "contactUpdated") {
            return self.contact_update(tenant, &hint).await;
        }
        let Some(opportunity_id) = hint.opportunity_id.clone() else {
            tracing::info!(event = %hint.event, "Lever event without an opportunity id; nothing to do");
            return Ok(Vec::new());
        };
        match hint.event.as_str() {
            // Deletions are re-checked too: unsigned data cannot cancel a
            // note taker for an interview that still exists.
            "interviewCreated" | "interviewUpdated" | "interviewDeleted" => {
                let Some(interview_id) = &hint.interview_id else {
                    return Ok(Vec::new());
                };
                if let Some(found) = self
                    .interview_under(tenant, &opportunity_id, interview_id)
                    .await?
                {
                    return Ok(found);
                }
                // The hint's pairing may be wrong (unsigned data): only a 404
                // under the opportunity the engine stored for this interview
                // too means it is gone.
                let stored = store
                    .interview(tenant, Ats::Lever, interview_id)
                    .await?
                    .and_then(|i| i.application_id)
                    .filter(|stored| *stored != opportunity_id);
                if let Some(stored) = stored
                    && let Some(found) = self.interview_under(tenant, &stored, interview_id).await?
                {
                    tracing::warn!(interview = %interview_id, "Lever interview event named the wrong opportunity; used the stored one");
                    return Ok(found);
                }
                Ok(vec![IndexUpdate::InterviewGone {
                    tenant: tenant.clone(),
                    ats: Ats::Lever,
                    interview_id: interview_id.clone(),
                }])
            }
            "applicationCreated"
            | "candidateStageChange"
            | "candidateArchiveChange"
            | "candidateHired"
            | "candidateDeleted" => match self.opportunity(&opportunity_id).await? {
                Some(o) => Ok(vec![application_update(tenant, &o)]),
                None => Ok(Self::opportunity_gone(tenant, &hint)),
            },
            other => {
                tracing::info!(event = other, "Lever event not used by the engine");
                Ok(Vec::new())
            }
        }
    }
}

#[async_trait]
impl SyncSource for LeverConnection {
    fn ats(&self) -> Ats {
        Ats::Lever
    }

    fn resources(&self) -> &'static [&'static str] {
        &["opportunities"]
    }

    async fn page(
        &self,
        tenant: &TenantId,
        _resource: &str,
        since: Option<DateTime<Utc>>,
        cursor: Option<&str>,
    ) -> Result<SyncPage> {
        let mut query = OpportunityQuery::new().expand("applications");
        if let Some(since) = since {
            query = query.updated_at_start(since);
        }
        let page = self
            .client
            .opportunities_page(&query, cursor)
            .await
            .map_err(|e| classify(e, false))?;
        for skipped in &page.skipped {
            // A record the client could not read is reported, never silently
            // lost; the rest of the page is applied.
            tracing::error!(record = %skipped, "Lever sync skipped a malformed opportunity");
        }
        Ok(SyncPage {
            updates: page
                .data
                .iter()
                .map(|o| application_update(tenant, o))
                .collect(),
            next_cursor: if page.has_next == Some(true) {
                page.next
            } else {
                None
            },
        })
    }
}

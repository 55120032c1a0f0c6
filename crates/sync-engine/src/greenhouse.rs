//! The Greenhouse connection (feature `greenhouse`): posting, e-mail lookup,
//! webhook verification and processing, and "Sync now" of jobs, candidates,
//! applications and upcoming interviews, on [`greenhouse_harvest`] (Harvest v3).
//!
//! Greenhouse signs the whole body (`Signature: sha256 <hex>`), so a
//! verified delivery's payload is trusted as is and turned into index
//! updates at once; nothing is re-fetched.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use futures::{StreamExt, TryStreamExt};
use greenhouse_harvest::models::{Application, ApplicationStatus, Candidate, Job};
use greenhouse_harvest::webhooks::{WebhookApplication, WebhookCandidate, parse_event};
use greenhouse_harvest::{
    DateFilter, Error as GreenhouseError, HarvestClient, ListQuery, NewNote, Page, Visibility,
    WebhookEvent, WebhookVerifier,
};
use sha2::{Digest, Sha256};

use crate::connector::{AtsConnector, ConnectorError, ErrorFacts, FailureKind};
use crate::engine::Tenant;
use crate::error::{Error, Result};
use crate::index::{
    CandidateKey, IndexedApplication, IndexedCandidate, IndexedJob, ScheduledInterview,
};
use crate::ingest::IndexUpdate;
use crate::outbox::NoteTarget;
use crate::sync::{SyncPage, SyncSource};
use crate::tenant::{Ats, TenantId};
use crate::webhook::{Verified, WebhookHeaders, WebhookSource};

/// One tenant's Greenhouse connection.
pub struct GreenhouseConnection {
    client: HarvestClient,
    verifier: WebhookVerifier,
    visibility: Visibility,
    page_size: u32,
}

impl std::fmt::Debug for GreenhouseConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GreenhouseConnection")
            .field("client", &self.client)
            .field("verifier", &self.verifier)
            .field("visibility", &self.visibility)
            .field("page_size", &self.page_size)
            .finish_non_exhaustive()
    }
}

impl GreenhouseConnection {
    /// A connection over `client` (its token's user is the author of every
    /// note: with the client-credentials grant, the `sub` user who set the
    /// integration up) whose webhooks are verified by `verifier`.
    ///
    /// Notes are posted `private` (visible to users allowed to see private
    /// notes) unless [`visibility`](Self::visibility) says otherwise:
    /// interview notes are sensitive, so the default errs on the side of fewer readers.
    pub fn new(client: HarvestClient, verifier: WebhookVerifier) -> Self {
        Self {
            client,
            verifier,
            visibility: Visibility::Private,
            page_size: greenhouse_harvest::MAX_PER_PAGE,
        }
    }

    /// Items per page in "Sync now" (1–500; default 500, the most Harvest v3
    /// allows, so a sync makes as few requests as possible).
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = size.clamp(1, greenhouse_harvest::MAX_PER_PAGE);
        self
    }

    /// The visibility of posted notes.
    pub fn visibility(mut self, visibility: Visibility) -> Self {
        self.visibility = visibility;
        self
    }
}

impl Tenant {
    /// Connects Greenhouse: posting, webhooks and sync for this tenant.
    pub fn with_greenhouse(self, connection: GreenhouseConnection) -> Self {
        self.with_connection(Arc::new(connection))
    }
}

fn classify(e: GreenhouseError, write: bool) -> ConnectorError {
    let facts = ErrorFacts {
        // A missing scope needs the customer to change the grant, not a
        // reconnect; it fails the entry instead of parking the tenant.
        auth: e.is_auth() && !matches!(e, GreenhouseError::MissingScope { .. }),
        not_found: e.status() == Some(404),
        not_applied: e.status() == Some(429) || e.is_connect(),
        retryable: e.is_retryable(),
        retry_after: e.retry_after(),
    };
    ConnectorError::new(
        Ats::Greenhouse,
        FailureKind::classify(&facts, write),
        e.to_string(),
    )
}

fn key(tenant: &TenantId, candidate_id: u64) -> CandidateKey {
    CandidateKey {
        tenant: tenant.clone(),
        ats: Ats::Greenhouse,
        candidate_id: candidate_id.to_string(),
    }
}

fn parse_id(id: &str) -> Result<u64, ConnectorError> {
    id.parse().map_err(|_| {
        ConnectorError::new(
            Ats::Greenhouse,
            FailureKind::Permanent,
            format!("`{id}` is not a Greenhouse id"),
        )
    })
}

fn full_name(first: &Option<String>, last: &Option<String>) -> Option<String> {
    let name = [first.as_deref(), last.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    (!name.is_empty()).then_some(name)
}

fn closed(status: Option<&ApplicationStatus>, rejected_at: Option<DateTime<Utc>>) -> bool {
    rejected_at.is_some()
        || matches!(
            status,
            Some(ApplicationStatus::Rejected | ApplicationStatus::Hired)
        )
}

fn profile(tenant: &TenantId, c: &Candidate) -> IndexUpdate {
    IndexUpdate::Profile {
        key: key(tenant, c.id),
        name: full_name(&c.first_name, &c.last_name),
        emails: c
            .email_addresses
            .iter()
            .filter_map(|e| e.value.clone())
            .collect(),
        updated_at: c
            .updated_at
            .or(c.created_at)
            .unwrap_or(DateTime::<Utc>::UNIX_EPOCH),
    }
}

fn webhook_profile(tenant: &TenantId, c: &WebhookCandidate) -> IndexUpdate {
    IndexUpdate::Profile {
        key: key(tenant, c.id),
        name: full_name(&c.first_name, &c.last_name),
        emails: c
            .email_addresses
            .iter()
            .filter_map(|e| e.value.clone())
            .collect(),
        // The webhook carries no `updated_at`; delivery order is the best we have.
        updated_at: Utc::now(),
    }
}

fn webhook_application(tenant: &TenantId, a: &WebhookApplication) -> IndexUpdate {
    IndexUpdate::Application {
        key: key(tenant, a.candidate.id),
        name: full_name(&a.candidate.first_name, &a.candidate.last_name),
        emails: a
            .candidate
            .email_addresses
            .iter()
            .filter_map(|e| e.value.clone())
            .collect(),
        application: IndexedApplication {
            id: a.id.to_string(),
            job_id: a.jobs.first().map(|j| j.id.to_string()),
            archived: closed(a.status.as_ref(), a.rejected_at),
            updated_at: a.last_activity_at.unwrap_or_else(Utc::now),
        },
    }
}

fn application(tenant: &TenantId, a: &Application) -> Option<IndexUpdate> {
    Some(IndexUpdate::Application {
        key: key(tenant, a.candidate_id?),
        name: None,
        emails: Vec::new(),
        application: IndexedApplication {
            id: a.id.to_string(),
            job_id: a.job_id.map(|j| j.to_string()),
            archived: closed(a.status.as_ref(), a.rejected_at),
            updated_at: a.last_activity_at.unwrap_or(DateTime::<Utc>::UNIX_EPOCH),
        },
    })
}

fn job(tenant: &TenantId, id: String, name: Option<String>, status: Option<String>) -> IndexUpdate {
    IndexUpdate::Job(IndexedJob {
        tenant: tenant.clone(),
        ats: Ats::Greenhouse,
        job_id: id,
        name: name.unwrap_or_default(),
        status,
        updated_at: Utc::now(),
    })
}

fn job_post(
    tenant: &TenantId,
    post_id: u64,
    title: Option<String>,
    live: Option<bool>,
) -> IndexUpdate {
    let status = live.map(|l| if l { "live" } else { "not_live" }.to_owned());
    job(tenant, format!("post-{post_id}"), title, status)
}

/// The index updates a webhook event implies.
fn event_updates(tenant: &TenantId, event: &WebhookEvent) -> Vec<IndexUpdate> {
    match event {
        WebhookEvent::JobCreated(j) | WebhookEvent::JobUpdated(j) => {
            vec![job(
                tenant,
                j.id.to_string(),
                j.name.clone(),
                j.status.as_ref().map(|s| s.as_str().to_owned()),
            )]
        }
        WebhookEvent::JobPostUpdated(p) => vec![job_post(tenant, p.id, p.title.clone(), p.live)],
        WebhookEvent::CandidateUpdated(c) => vec![webhook_profile(tenant, c)],
        WebhookEvent::CandidateDeleted(c) => {
            // The candidate's applications went with it: tombstone them too.
            let mut updates: Vec<IndexUpdate> = c
                .deleted_application_ids
                .iter()
                .map(|id| IndexUpdate::ApplicationGone {
                    tenant: tenant.clone(),
                    ats: Ats::Greenhouse,
                    candidate_id: Some(c.id.to_string()),
                    application_id: id.to_string(),
                })
                .collect();
            updates.push(IndexUpdate::CandidateGone {
                key: key(tenant, c.id),
                anonymized: false,
            });
            updates
        }
        WebhookEvent::ApplicationDeleted(a) => vec![IndexUpdate::ApplicationGone {
            tenant: tenant.clone(),
            ats: Ats::Greenhouse,
            candidate_id: a.candidate_id.map(|id| id.to_string()),
            application_id: a.id.to_string(),
        }],
        WebhookEvent::InterviewDeleted(i) => vec![IndexUpdate::InterviewGone {
            tenant: tenant.clone(),
            ats: Ats::Greenhouse,
            interview_id: i.id.to_string(),
        }],
        WebhookEvent::CandidateAnonymized(c) => {
            vec![IndexUpdate::CandidateGone {
                key: key(tenant, c.candidate_id),
                anonymized: true,
            }]
        }
        WebhookEvent::CandidateMerged(m) => vec![IndexUpdate::CandidateMerged {
            from: key(tenant, m.merged.id),
            into_id: m.surviving_candidate_id.to_string(),
        }],
        // New applications, stage changes, hires, rejections and their
        // reversals all carry the application with its status: the
        // candidate's status follows it.
        other => match other.application() {
            Some(a) => vec![webhook_application(tenant, a)],
            // `ping` (sent when a webhook is saved) and events the engine does not use.
            None => Vec::new(),
        },
    }
}

#[async_trait]
impl AtsConnector for GreenhouseConnection {
    fn ats(&self) -> Ats {
        Ats::Greenhouse
    }

    async fn find_candidates_by_email(
        &self,
        tenant: &TenantId,
        email: &str,
    ) -> Result<Vec<IndexedCandidate>, ConnectorError> {
        let found = self
            .client
            .find_candidates_by_email(email)
            .await
            .map_err(|e| classify(e, false))?;
        if found.is_empty() {
            return Ok(Vec::new());
        }
        // v3 candidates carry no applications (research note greenhouse.md
        // §3.1), and the archived policy needs them.
        let ids: Vec<u64> = found.iter().map(|c| c.id).collect();
        let applications = self.applications_of(&ids).await?;
        Ok(found
            .iter()
            .map(|c| {
                let apps: Vec<IndexedApplication> = applications
                    .iter()
                    .filter(|a| a.candidate_id == Some(c.id))
                    .filter_map(|a| match application(tenant, a) {
                        Some(IndexUpdate::Application { application, .. }) => Some(application),
                        _ => None,
                    })
                    .collect();
                IndexedCandidate {
                    key: key(tenant, c.id),
                    name: full_name(&c.first_name, &c.last_name),
                    emails: c
                        .email_addresses
                        .iter()
                        .filter_map(|e| e.value.clone())
                        .collect(),
                    status: crate::ingest::status_of(&apps),
                    applications: apps,
                    updated_at: c.updated_at.unwrap_or_else(Utc::now),
                }
            })
            .collect())
    }

    async fn note_texts(&self, target: &NoteTarget) -> Result<Vec<String>, ConnectorError> {
        let id = parse_id(&target.candidate_id)?;
        let notes = self
            .client
            .candidate_notes(id)
            .await
            .map_err(|e| classify(e, false))?;
        Ok(notes.into_iter().filter_map(|n| n.body).collect())
    }

    async fn post_note(
        &self,
        target: &NoteTarget,
        body: &str,
    ) -> Result<Option<String>, ConnectorError> {
        let id = parse_id(&target.candidate_id)?;
        let note = NewNote::new(id, body, self.visibility.clone());
        let created = self
            .client
            .create_note(&note)
            .await
            .map_err(|e| classify(e, true))?;
        Ok(Some(created.id.to_string()))
    }
}

#[async_trait]
impl WebhookSource for GreenhouseConnection {
    fn ats(&self) -> Ats {
        Ats::Greenhouse
    }

    fn verify(&self, tenant: &TenantId, headers: &WebhookHeaders, body: &[u8]) -> Result<Verified> {
        self.verifier
            .verify(body, headers.signature.as_deref())
            .map_err(|e| Error::WebhookRejected(e.to_string()))?;
        let event = parse_event(body).map_err(|e| Error::MalformedPayload(e.to_string()))?;
        // `Greenhouse-Event-ID` identifies a delivery (research note §4.1);
        // without it the body's hash stands in, so a byte-identical
        // redelivery still dedupes.
        let delivery_id = headers
            .event_id
            .clone()
            .filter(|id| !id.trim().is_empty())
            .unwrap_or_else(|| format!("sha256:{}", hex::encode(Sha256::digest(body))));
        // The body is signed, so its updates can be computed now, and the
        // inbox keeps only them, not the whole candidate payload.
        let payload = serde_json::to_vec(&event_updates(tenant, &event))?;
        Ok(Verified {
            delivery_id,
            payload,
        })
    }

    async fn updates(
        &self,
        _tenant: &TenantId,
        payload: &[u8],
        _store: &dyn crate::store::Store,
    ) -> Result<Vec<IndexUpdate>> {
        Ok(serde_json::from_slice(payload)?)
    }
}

/// A first-page list call of the Harvest client.
type ListFn<T> = for<'a> fn(
    &'a HarvestClient,
    &'a ListQuery,
) -> futures::future::BoxFuture<'a, greenhouse_harvest::Result<Page<T>>>;

impl GreenhouseConnection {
    /// Every application of these candidates, in list calls filtered by
    /// `candidate_ids` (at most 50 ids per call, research note §3.1), so no
    /// candidate is left without the facts its status depends on. A
    /// malformed application record is skipped with a warning; any other
    /// error fails the lookup.
    async fn applications_of(&self, ids: &[u64]) -> Result<Vec<Application>, ConnectorError> {
        let mut out = Vec::new();
        for chunk in ids.chunks(50) {
            let page: Vec<Application> = self
                .client
                .applications(ListQuery::new().id_list("candidate_ids", chunk))
                .filter_map(|r| async move {
                    match r {
                        Err(e) if e.is_record() => {
                            tracing::warn!(error = %e, "malformed Greenhouse application skipped");
                            None
                        }
                        other => Some(other),
                    }
                })
                .try_collect()
                .await
                .map_err(|e| classify(e, false))?;
            out.extend(page);
        }
        Ok(out)
    }

    /// The first page of a list (changes since `since` when given), or the
    /// page a saved cursor names.
    async fn list_or_resume<T: serde::de::DeserializeOwned>(
        &self,
        cursor: Option<&str>,
        since: Option<DateTime<Utc>>,
        first: ListFn<T>,
    ) -> Result<Page<T>> {
        let page = match cursor {
            Some(next) => self.client.page_at(next).await,
            None => {
                let mut query = ListQuery::new().per_page(self.page_size);
                if let Some(since) = since {
                    query = query.updated_at(DateFilter::gte(since));
                }
                first(&self.client, &query).await
            }
        };
        let page = page.map_err(|e| classify(e, false))?;
        for skipped in &page.skipped {
            // A record the client could not read is reported, never silently
            // lost; the rest of the page is applied.
            tracing::error!(record = %skipped, "Greenhouse sync skipped a malformed record");
        }
        Ok(page)
    }

    async fn interviews_page(&self, tenant: &TenantId) -> Result<SyncPage> {
        let as_of = Utc::now();
        let upcoming = self
            .client
            .upcoming_interviews(as_of)
            .await
            .map_err(|e| classify(e, false))?;
        // The list is complete: stored upcoming interviews it no longer
        // names were cancelled or deleted, and their recordings go too.
        let listed = IndexUpdate::UpcomingInterviews {
            tenant: tenant.clone(),
            ats: Ats::Greenhouse,
            interview_ids: upcoming
                .iter()
                .map(|s| s.interview.id.to_string())
                .collect(),
            as_of,
        };
        let updates = upcoming
            .into_iter()
            .filter_map(|s| {
                let i = s.interview;
                Some(IndexUpdate::Interview(ScheduledInterview {
                    tenant: tenant.clone(),
                    ats: Ats::Greenhouse,
                    interview_id: i.id.to_string(),
                    candidate_id: None,
                    application_id: i.application_id.map(|a| a.to_string()),
                    title: "Interview".to_owned(),
                    start: i.starts_at?,
                    end: i.ends_at,
                    conferencing_url: i.video_conferencing_url.clone(),
                    interviewer_emails: s
                        .interviewers
                        .iter()
                        .filter_map(|p| p.email.clone())
                        .collect(),
                    updated_at: i.updated_at.unwrap_or_else(Utc::now),
                }))
            })
            .chain(std::iter::once(listed))
            .collect();
        Ok(SyncPage {
            updates,
            next_cursor: None,
        })
    }
}

#[async_trait]
impl SyncSource for GreenhouseConnection {
    fn ats(&self) -> Ats {
        Ats::Greenhouse
    }

    fn resources(&self) -> &'static [&'static str] {
        // Candidates before applications, so applications find their candidate.
        &["jobs", "candidates", "applications", "interviews"]
    }

    /// Pages follow Greenhouse's `Link` cursor: the cursor is the `next` URL,
    /// so a sync resumed after a restart continues at the page it stopped at.
    async fn page(
        &self,
        tenant: &TenantId,
        resource: &str,
        since: Option<DateTime<Utc>>,
        cursor: Option<&str>,
    ) -> Result<SyncPage> {
        match resource {
            "jobs" => {
                let page: Page<Job> = self
                    .list_or_resume(cursor, since, |c, q| Box::pin(c.list_jobs(q)))
                    .await?;
                let updates = page
                    .items
                    .iter()
                    .map(|j| {
                        job(
                            tenant,
                            j.id.to_string(),
                            j.name.clone(),
                            j.status.as_ref().map(|s| s.as_str().to_owned()),
                        )
                    })
                    .collect();
                Ok(SyncPage {
                    updates,
                    next_cursor: page.next_url.map(String::from),
                })
            }
            "candidates" => {
                let page: Page<Candidate> = self
                    .list_or_resume(cursor, since, |c, q| Box::pin(c.list_candidates(q)))
                    .await?;
                let updates = page.items.iter().map(|x| profile(tenant, x)).collect();
                Ok(SyncPage {
                    updates,
                    next_cursor: page.next_url.map(String::from),
                })
            }
            "applications" => {
                let page: Page<Application> = self
                    .list_or_resume(cursor, since, |c, q| Box::pin(c.list_applications(q)))
                    .await?;
                let updates = page
                    .items
                    .iter()
                    .filter_map(|x| application(tenant, x))
                    .collect();
                Ok(SyncPage {
                    updates,
                    next_cursor: page.next_url.map(String::from),
                })
            }
            "interviews" => self.interviews_page(tenant).await,
            other => Err(Error::Corrupt(format!(
                "unknown Greenhouse sync resource `{other}`"
            ))),
        }
    }
}

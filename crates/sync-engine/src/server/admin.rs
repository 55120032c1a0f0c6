//! The admin API under `/admin/v1`, for the platform that embeds the
//! engine. Every route needs `Authorization: Bearer <admin token>`; a
//! missing or wrong token gets `401` with the same body whatever the route
//! or tenant, so the API reveals nothing to unauthenticated callers.
//!
//! | route | body | answer |
//! |---|---|---|
//! | `POST /tenants` | [`CreateTenant`] | 201 (creates, or updates an existing tenant's settings) |
//! | `GET /tenants/{tenant}/status` | | the [`TenantStatus`] of the connection lifecycle |
//! | `POST /tenants/{tenant}/lever/connect` | | 200 `{"authorize_url": …}`: open it for the admin (Lever's consent page); the callback completes it |
//! | `POST /tenants/{tenant}/greenhouse/connect` | [`ConnectGreenhouse`] | 200 `{"endpoint_url", "webhook_secret", "user_id"}` to copy into Greenhouse |
//! | `POST /tenants/{tenant}/{ats}/sync` | | 202: a Sync starts in the background; its progress is in the status |
//! | `POST /tenants/{tenant}/{ats}/disconnect` | | 200 `{"disconnected": bool}`: credentials, tokens and secrets deleted |
//! | `POST /tenants/{tenant}/{ats}/resume` | | 200 `{"resumed": n}`: parked notes and deliveries are processed again |
//! | `POST /tenants/{tenant}/meetings` | [`SubmitMeeting`] | 200 with the plan: `preview` plans only, `queue` queues the notes, which the workers then post |
//!
//! Errors are `{"error": "…"}` with 400 (bad input), 404 (unknown tenant,
//! or an ATS the tenant has not connected), 409 or 503 (store trouble).

use std::sync::Arc;
use std::time::Instant;

use aspect_interview_core::{
    ExtractiveSummarizer, InterviewNotes, Meeting, Participant, ParticipantRole, Summarizer,
    SummaryRequest, Transcript,
};
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ServerState;
use super::auth;
use crate::connection::{ConnectionState, GreenhouseCredentials, GreenhouseSetup, TenantStatus};
use crate::engine::TenantSettings;
use crate::error::Error;
use crate::posting::{NoteDisposition, PostingPlan};
use crate::tenant::{ArchivedPolicy, Ats, TenantId};

pub(crate) fn router(state: Arc<ServerState>) -> Router<Arc<ServerState>> {
    Router::new()
        .route("/tenants", post(create_tenant))
        .route("/tenants/{tenant}/status", get(status))
        .route("/tenants/{tenant}/lever/connect", post(connect_lever))
        .route(
            "/tenants/{tenant}/greenhouse/connect",
            post(connect_greenhouse),
        )
        .route("/tenants/{tenant}/{ats}/sync", post(sync))
        .route("/tenants/{tenant}/{ats}/disconnect", post(disconnect))
        .route("/tenants/{tenant}/{ats}/resume", post(resume))
        .route("/tenants/{tenant}/meetings", post(submit_meeting))
        .layer(middleware::from_fn_with_state(state, require_bearer))
}

async fn require_bearer(
    State(state): State<Arc<ServerState>>,
    request: Request,
    next: Next,
) -> Response {
    if auth::has_bearer(request.headers(), &state.config.admin_token) {
        return next.run(request).await;
    }
    (
        StatusCode::UNAUTHORIZED,
        [(header::WWW_AUTHENTICATE, "Bearer")],
        Json(serde_json::json!({ "error": "unauthorized" })),
    )
        .into_response()
}

/// An admin API error: a status and a message for the (authenticated) caller.
pub(crate) struct ApiError(StatusCode, String);

impl ApiError {
    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self(StatusCode::BAD_REQUEST, message.into())
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        let status = match &e {
            Error::InvalidTenant(_) | Error::InvalidSettings(_) | Error::MalformedPayload(_) => {
                StatusCode::BAD_REQUEST
            }
            Error::UnknownTenant(_) | Error::NotConnected { .. } => StatusCode::NOT_FOUND,
            _ => StatusCode::SERVICE_UNAVAILABLE,
        };
        if status == StatusCode::SERVICE_UNAVAILABLE {
            tracing::error!(error = %e, "admin request failed");
        }
        Self(status, e.to_string())
    }
}

impl ApiError {
    /// The message for the admin.
    pub(crate) fn message(&self) -> String {
        self.1.clone()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, Json(serde_json::json!({ "error": self.1 }))).into_response()
    }
}

fn tenant_id(raw: &str) -> Result<TenantId, ApiError> {
    Ok(TenantId::new(raw)?)
}

fn ats(raw: &str) -> Result<Ats, ApiError> {
    raw.parse()
        .map_err(|_| ApiError(StatusCode::NOT_FOUND, format!("no ATS `{raw}`")))
}

/// `POST /tenants`: a new tenant, without connections yet.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateTenant {
    /// The tenant id (1–64 letters, digits, `-`, `_`).
    pub tenant: String,
    /// The customer's own e-mail domains (never candidates).
    #[serde(default)]
    pub own_domains: Vec<String>,
    /// Base URL of the platform's meeting pages, linked from notes.
    #[serde(default)]
    pub recording_base_url: Option<String>,
    /// `post` (default) or `skip` notes for archived candidates.
    #[serde(default)]
    pub archived_policy: ArchivedPolicy,
}

async fn create_tenant(
    State(state): State<Arc<ServerState>>,
    Json(body): Json<CreateTenant>,
) -> Result<Response, ApiError> {
    let id = tenant_id(&body.tenant)?;
    let mut settings = TenantSettings::new()
        .own_domains(body.own_domains)
        .archived_policy(body.archived_policy);
    if let Some(url) = body.recording_base_url {
        settings = settings.recording_base_url(url);
    }
    state
        .connections
        .create_tenant(id.clone(), settings)
        .await?;
    tracing::info!(tenant = %id, "tenant created");
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "tenant": id })),
    )
        .into_response())
}

async fn status(
    State(state): State<Arc<ServerState>>,
    Path(tenant): Path<String>,
) -> Result<Json<TenantStatus>, ApiError> {
    let id = tenant_id(&tenant)?;
    Ok(Json(state.connections.status(&id).await?))
}

async fn connect_lever(
    State(state): State<Arc<ServerState>>,
    Path(tenant): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let id = tenant_id(&tenant)?;
    let url = state.connections.start_lever(&id).await?;
    Ok(Json(serde_json::json!({ "authorize_url": url.as_str() })))
}

/// `POST /tenants/{tenant}/greenhouse/connect`: Harvest v3 credentials and
/// the admin whose Greenhouse user authors the notes.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectGreenhouse {
    /// The Harvest v3 OAuth client id.
    pub client_id: String,
    /// The Harvest v3 OAuth client secret.
    pub client_secret: String,
    /// The admin's e-mail.
    pub admin_email: String,
}

impl std::fmt::Debug for ConnectGreenhouse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectGreenhouse")
            .field("client_id", &self.client_id)
            .field("admin_email", &self.admin_email)
            .finish_non_exhaustive()
    }
}

pub(crate) async fn greenhouse_connect(
    state: &ServerState,
    id: &TenantId,
    body: ConnectGreenhouse,
) -> Result<GreenhouseSetup, ApiError> {
    if body.client_id.trim().is_empty()
        || body.client_secret.trim().is_empty()
        || !body.admin_email.contains('@')
    {
        return Err(ApiError::bad_request(
            "a client id, a client secret and the admin's e-mail address are needed",
        ));
    }
    let credentials = GreenhouseCredentials {
        client_id: body.client_id.trim().to_owned(),
        client_secret: body.client_secret.trim().to_owned(),
        admin_email: body.admin_email.trim().to_owned(),
    };
    Ok(state
        .connections
        .connect_greenhouse(id, credentials)
        .await?)
}

async fn connect_greenhouse(
    State(state): State<Arc<ServerState>>,
    Path(tenant): Path<String>,
    Json(body): Json<ConnectGreenhouse>,
) -> Result<Json<GreenhouseSetup>, ApiError> {
    let id = tenant_id(&tenant)?;
    Ok(Json(greenhouse_connect(&state, &id, body).await?))
}

async fn sync(
    State(state): State<Arc<ServerState>>,
    Path((tenant, ats_name)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let id = tenant_id(&tenant)?;
    let ats = ats(&ats_name)?;
    start_sync(&state, &id, ats).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(serde_json::json!({ "started": true })),
    )
        .into_response())
}

/// Starts a Sync in the background once the connection is known to exist;
/// its progress is recorded by the connection lifecycle (see the status).
pub(crate) async fn start_sync(
    state: &Arc<ServerState>,
    id: &TenantId,
    ats: Ats,
) -> Result<(), ApiError> {
    // Fail now, not in the background, when there is nothing to sync.
    if state.connections.status(id).await?.get(ats).state == ConnectionState::NeverConnected {
        return Err(Error::NotConnected {
            tenant: id.to_string(),
            ats,
        }
        .into());
    }
    let state = state.clone();
    let id = id.clone();
    tokio::spawn(async move {
        let started = Instant::now();
        let result = state.connections.sync(&id, ats).await;
        state.metrics.ats_call(ats, "sync", started.elapsed());
        match result {
            Ok(report) => tracing::info!(tenant = %id, %ats, ?report, "sync finished"),
            Err(e) => tracing::warn!(tenant = %id, %ats, error = %e, "sync failed"),
        }
    });
    Ok(())
}

async fn disconnect(
    State(state): State<Arc<ServerState>>,
    Path((tenant, ats_name)): Path<(String, String)>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let id = tenant_id(&tenant)?;
    let ats = ats(&ats_name)?;
    let disconnected = state.connections.disconnect(&id, ats).await?;
    Ok(Json(serde_json::json!({ "disconnected": disconnected })))
}

async fn resume(
    State(state): State<Arc<ServerState>>,
    Path((tenant, ats_name)): Path<(String, String)>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let id = tenant_id(&tenant)?;
    let ats = ats(&ats_name)?;
    state.engine.tenant(&id)?;
    let resumed = state.connections.resume(&id, ats).await?;
    Ok(Json(serde_json::json!({ "resumed": resumed })))
}

/// Preview the notes, or queue them for posting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SubmitMode {
    /// Plan only: nothing is written.
    #[default]
    Preview,
    /// Queue the notes; the workers post them.
    Queue,
}

/// One participant of a submitted meeting.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubmittedParticipant {
    /// E-mail address.
    pub email: String,
    /// Display name (transcripts usually label speakers with it).
    #[serde(default)]
    pub name: Option<String>,
    /// `interviewer`, `candidate` or `unknown` (default).
    #[serde(default)]
    pub role: Option<String>,
}

/// `POST /tenants/{tenant}/meetings`: a processed meeting. Exactly one of
/// `transcript` (WebVTT text, summarized here by the offline extractive
/// summarizer) and `notes` (a finished summary) is given.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubmitMeeting {
    /// `preview` (default) or `queue`.
    #[serde(default)]
    pub mode: SubmitMode,
    /// The meeting's id (re-submitting the same id queues nothing new).
    pub id: String,
    /// Its title.
    pub title: String,
    /// When it started (default: now).
    #[serde(default)]
    pub start: Option<DateTime<Utc>>,
    /// Who took part.
    pub participants: Vec<SubmittedParticipant>,
    /// The transcript as WebVTT.
    #[serde(default)]
    pub transcript: Option<String>,
    /// A finished summary.
    #[serde(default)]
    pub notes: Option<InterviewNotes>,
}

/// One planned note in a [`MeetingAnswer`].
#[derive(Debug, Serialize)]
pub struct PlannedNoteView {
    /// The ATS.
    pub ats: Ats,
    /// The candidate.
    pub candidate_id: String,
    /// `queued`, `already_queued`, `skipped: …` (see the engine's `NoteDisposition`).
    pub disposition: String,
    /// The note as it will be posted.
    pub body: String,
}

/// The answer to a submitted meeting.
#[derive(Debug, Serialize)]
pub struct MeetingAnswer {
    /// Whether notes were queued (`queue`) or only planned (`preview`).
    pub queued: bool,
    /// The notes.
    pub notes: Vec<PlannedNoteView>,
    /// Participants matched to no candidate.
    pub unmatched: Vec<String>,
    /// Participants matched to several candidates (no note).
    pub ambiguous: Vec<String>,
    /// ATSs that could not be planned (unreachable, revoked) with the reason.
    pub failed: Vec<String>,
    /// Why the meeting needs a human, when it does.
    pub needs_review: Option<String>,
}

fn answer(plan: PostingPlan, queued: bool) -> MeetingAnswer {
    MeetingAnswer {
        queued,
        notes: plan
            .notes
            .into_iter()
            .map(|n| PlannedNoteView {
                ats: n.key.ats,
                candidate_id: n.key.candidate_id.clone(),
                disposition: match n.disposition {
                    NoteDisposition::Queued => "queued".to_owned(),
                    other => format!("{other:?}").to_lowercase(),
                },
                body: n.body,
            })
            .collect(),
        unmatched: plan.unmatched,
        ambiguous: plan.ambiguous.into_iter().map(|a| a.email).collect(),
        failed: plan
            .failed
            .into_iter()
            .map(|f| format!("{}: {}", f.ats, f.error))
            .collect(),
        needs_review: plan.needs_review,
    }
}

fn role(raw: Option<&str>) -> Result<ParticipantRole, ApiError> {
    match raw.unwrap_or("unknown") {
        "interviewer" => Ok(ParticipantRole::Interviewer),
        "candidate" => Ok(ParticipantRole::Candidate),
        "unknown" => Ok(ParticipantRole::Unknown),
        other => Err(ApiError::bad_request(format!(
            "participant role `{other}` is not interviewer, candidate or unknown"
        ))),
    }
}

async fn submit_meeting(
    State(state): State<Arc<ServerState>>,
    Path(tenant): Path<String>,
    Json(body): Json<SubmitMeeting>,
) -> Result<Json<MeetingAnswer>, ApiError> {
    let id = tenant_id(&tenant)?;
    if body.id.trim().is_empty() || body.participants.is_empty() {
        return Err(ApiError::bad_request(
            "a meeting needs an id and at least one participant",
        ));
    }
    let mut meeting = Meeting::new(
        body.id.as_str(),
        body.title.as_str(),
        body.start.unwrap_or_else(Utc::now),
    );
    for p in &body.participants {
        let mut participant = Participant::new(p.email.trim(), role(p.role.as_deref())?);
        if let Some(name) = &p.name {
            participant = participant.with_name(name.as_str());
        }
        meeting = meeting.with_participant(participant);
    }
    let notes = match (body.transcript, body.notes) {
        (Some(vtt), None) => summarize(&vtt).await?,
        (None, Some(notes)) => notes,
        _ => {
            return Err(ApiError::bad_request(
                "give exactly one of `transcript` (WebVTT) and `notes` (a finished summary)",
            ));
        }
    };
    let started = Instant::now();
    let queue = body.mode == SubmitMode::Queue;
    let plan = if queue {
        state.engine.enqueue_notes(&id, &meeting, &notes).await?
    } else {
        state.engine.preview_notes(&id, &meeting, &notes).await?
    };
    let took = started.elapsed();
    for ats in state.engine.tenant(&id)?.connected_ats() {
        state.metrics.ats_call(ats, "plan", took);
    }
    tracing::info!(tenant = %id, meeting = %meeting.id, queue, notes = plan.notes.len(), "meeting planned");
    Ok(Json(answer(plan, queue)))
}

async fn summarize(vtt: &str) -> Result<InterviewNotes, ApiError> {
    let transcript =
        Transcript::parse(vtt).map_err(|e| ApiError::bad_request(format!("transcript: {e}")))?;
    ExtractiveSummarizer::default()
        .summarize(&SummaryRequest::new(&transcript))
        .await
        .map_err(|e| ApiError::bad_request(format!("summary: {e}")))
}

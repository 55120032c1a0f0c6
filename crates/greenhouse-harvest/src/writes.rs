//! The documented v3 writes on candidates, applications and tags (the note
//! POST lives with the client). Every write follows the note POST's retry
//! rule (see [`HarvestClient::create_note`]): Harvest v3 has no idempotency
//! keys, so a write is retried only when it provably was not sent, and
//! [`Error::may_have_been_applied`](crate::Error::may_have_been_applied) tells
//! a caller whether a failed one may still have taken effect.
//!
//! Responses are read as the written resource, as `POST /v3/notes` answers
//! (research notes §3.6); the reference's response bodies for these routes
//! were not seen.

use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::client::HarvestClient;
use crate::error::{Error, Result};
use crate::http::decode_json;
use crate::models::{
    Application, ApplicationUpdate, AppliedCandidateTag, Candidate, CandidateTag, CandidateUpdate,
    HireApplication, MoveApplication, NewApplication, NewCandidate, RejectApplication,
};

impl HarvestClient {
    /// Creates a candidate (`POST /v3/candidates`, scope `harvest:candidates:create`).
    pub async fn create_candidate(&self, candidate: &NewCandidate) -> Result<Candidate> {
        self.send_json(
            Method::POST,
            "candidates",
            candidate,
            "harvest:candidates:create",
        )
        .await
    }

    /// Updates a candidate (`PATCH /v3/candidates/{id}`, scope `harvest:candidates:update`).
    pub async fn update_candidate(&self, id: u64, changes: &CandidateUpdate) -> Result<Candidate> {
        let path = format!("candidates/{id}");
        self.send_json(Method::PATCH, &path, changes, "harvest:candidates:update")
            .await
    }

    /// Creates an application (`POST /v3/applications`, scope `harvest:applications:create`).
    pub async fn create_application(&self, application: &NewApplication) -> Result<Application> {
        self.send_json(
            Method::POST,
            "applications",
            application,
            "harvest:applications:create",
        )
        .await
    }

    /// Updates an application (`PATCH /v3/applications/{id}`, scope `harvest:applications:update`).
    pub async fn update_application(
        &self,
        id: u64,
        changes: &ApplicationUpdate,
    ) -> Result<Application> {
        let path = format!("applications/{id}");
        self.send_json(Method::PATCH, &path, changes, "harvest:applications:update")
            .await
    }

    /// Moves an application to another stage or job (`POST
    /// /v3/applications/{id}/move`, scope `harvest:applications:move`).
    /// Greenhouse's stage-transition rules run, which can e-mail the
    /// candidate (v3 reference, as catalogued in public file ref 63219392169).
    pub async fn move_application(&self, id: u64, to: &MoveApplication) -> Result<Application> {
        let path = format!("applications/{id}/move");
        self.send_json(Method::POST, &path, to, "harvest:applications:move")
            .await
    }

    /// Rejects an application (`POST /v3/applications/{id}/reject`, scope
    /// `harvest:applications:reject`); e-mails the candidate only when the
    /// request carries a [`RejectionEmail`](crate::models::RejectionEmail).
    pub async fn reject_application(
        &self,
        id: u64,
        rejection: &RejectApplication,
    ) -> Result<Application> {
        let path = format!("applications/{id}/reject");
        self.send_json(
            Method::POST,
            &path,
            rejection,
            "harvest:applications:reject",
        )
        .await
    }

    /// Reinstates a rejected application (`POST /v3/applications/{id}/unreject`,
    /// scope `harvest:applications:unreject`).
    pub async fn unreject_application(&self, id: u64) -> Result<Application> {
        let path = format!("applications/{id}/unreject");
        let body = serde_json::json!({});
        self.send_json(Method::POST, &path, &body, "harvest:applications:unreject")
            .await
    }

    /// Marks an application hired (`POST /v3/applications/{id}/hire`, scope
    /// `harvest:applications:hire`), closing the opening.
    pub async fn hire_application(&self, id: u64, hire: &HireApplication) -> Result<Application> {
        let path = format!("applications/{id}/hire");
        self.send_json(Method::POST, &path, hire, "harvest:applications:hire")
            .await
    }

    /// Adds a tag to the organization's dictionary (`POST /v3/candidate_tags`,
    /// scope `harvest:candidate_tags:create`).
    pub async fn create_candidate_tag(&self, name: &str) -> Result<CandidateTag> {
        let body = serde_json::json!({ "name": name });
        self.send_json(
            Method::POST,
            "candidate_tags",
            &body,
            "harvest:candidate_tags:create",
        )
        .await
    }

    /// Deletes a tag from the dictionary and from every candidate (`DELETE
    /// /v3/candidate_tags/{id}`, scope `harvest:candidate_tags:destroy`).
    pub async fn delete_candidate_tag(&self, id: u64) -> Result<()> {
        let path = format!("candidate_tags/{id}");
        self.write(
            Method::DELETE,
            &path,
            None,
            "harvest:candidate_tags:destroy",
        )
        .await
        .map(drop)
    }

    /// Tags a candidate (`POST /v3/applied_candidate_tags`, scope
    /// `harvest:applied_candidate_tags:create`).
    pub async fn tag_candidate(
        &self,
        candidate_id: u64,
        candidate_tag_id: u64,
    ) -> Result<AppliedCandidateTag> {
        let body = serde_json::json!({
            "candidate_id": candidate_id,
            "candidate_tag_id": candidate_tag_id,
        });
        self.send_json(
            Method::POST,
            "applied_candidate_tags",
            &body,
            "harvest:applied_candidate_tags:create",
        )
        .await
    }

    /// Removes a tag from a candidate, by the id of the applied tag (`DELETE
    /// /v3/applied_candidate_tags/{id}`, scope `harvest:applied_candidate_tags:destroy`).
    pub async fn untag_candidate(&self, applied_candidate_tag_id: u64) -> Result<()> {
        let path = format!("applied_candidate_tags/{applied_candidate_tag_id}");
        self.write(
            Method::DELETE,
            &path,
            None,
            "harvest:applied_candidate_tags:destroy",
        )
        .await
        .map(drop)
    }

    async fn send_json<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: &B,
        scope: &'static str,
    ) -> Result<T> {
        let body = serde_json::to_value(body)
            .map_err(|e| Error::Config(format!("unserializable request body: {e}")))?;
        let bytes = self.write(method, path, Some(&body), scope).await?;
        decode_json(&bytes)
    }
}

//! Every Harvest v3 list route of the client: a one-page call and a lazy
//! stream each, on the shared pagination machinery of `client.rs`.
//!
//! Routes and scopes: "Scopes are `harvest:<resource>:<verb>`" (research
//! notes §1.3); the resource names are those of the v3 reference as listed by
//! Airbyte's v3 connector and a third-party inventory of the reference pages
//! (public file ref 60100158998). Every list takes `ids` (max 50),
//! `created_at`/`updated_at`, `per_page` and `cursor`; resource filters are
//! named on each method.

use futures::stream::BoxStream;
use serde::de::DeserializeOwned;

use crate::client::HarvestClient;
use crate::error::Result;
use crate::models::{
    Application, ApplicationStage, AppliedCandidateTag, ApprovalFlow, Candidate, CandidateTag,
    CloseReason, CustomFieldDefinition, CustomFieldOption, CustomLocation, Department, Eeoc,
    EmailTemplate, Interview, Interviewer, Job, JobInterviewStage, JobPost, Note, Offer, Office,
    Opening, ProspectPool, ProspectPoolStage, RejectionReason, Scorecard, Source, TrackingLink,
    User, UserRole,
};
use crate::models::{
    CandidateAttachment, CandidateEducation, CandidateEmployment, FutureJobPermission,
    JobHiringManager, JobInterview, JobInterviewKit, JobOwner, ProspectDetailRecord, Referrer,
    RejectionDetail, ScorecardQuestion, ScorecardQuestionAnswer, UserEmail, UserJobPermission,
};
use crate::pagination::{ListQuery, Page};

/// Declares the table of list resources and their `list` scopes.
macro_rules! list_resources {
    ($($resource:ident),+ $(,)?) => {
        /// Every list resource of the client with its `list` scope.
        pub(crate) const LIST_SCOPES: &[(&str, &str)] = &[
            $((stringify!($resource), concat!("harvest:", stringify!($resource), ":list")),)+
        ];
    };
}

list_resources!(
    candidates,
    applications,
    jobs,
    job_posts,
    job_interview_stages,
    application_stages,
    users,
    interviews,
    interviewers,
    notes,
    openings,
    departments,
    offices,
    user_roles,
    scorecards,
    approval_flows,
    prospect_pools,
    prospect_pool_stages,
    email_templates,
    close_reasons,
    rejection_reasons,
    custom_fields,
    custom_field_options,
    job_board_custom_locations,
    offers,
    candidate_tags,
    applied_candidate_tags,
    eeoc,
    tracking_links,
    sources,
    job_owners,
    job_hiring_managers,
    referrers,
    user_emails,
    user_job_permissions,
    future_job_permissions,
    attachments,
    candidate_educations,
    candidate_employments,
    prospect_details,
    rejection_details,
    job_interviews,
    interview_kits,
    scorecard_questions,
    scorecard_question_answers,
);

/// The `list` scope of a list resource, e.g. `harvest:candidates:list`.
pub(crate) fn list_scope(resource: &str) -> Option<&'static str> {
    LIST_SCOPES
        .iter()
        .find(|(r, _)| *r == resource)
        .map(|(_, scope)| *scope)
}

/// A record type with its own v3 list route, for the generic
/// [`HarvestClient::get`] and [`HarvestClient::get_many`].
///
/// Implemented by every model this crate lists; sealed, because the route
/// and scope must match what the client knows.
pub trait Resource: DeserializeOwned + Send + 'static + sealed::Sealed {
    /// The list route under `/v3/`, e.g. `candidates`.
    const PATH: &'static str;
    /// Its `list` scope, e.g. `harvest:candidates:list`.
    const SCOPE: &'static str;
    /// The record's Greenhouse id.
    fn id(&self) -> u64;
}

mod sealed {
    /// Keeps [`Resource`](super::Resource) implemented by this crate only.
    pub trait Sealed {}
}

/// Declares a one-page call and a lazy stream for a list endpoint, and the
/// model's [`Resource`] implementation.
macro_rules! list_endpoint {
    ($(#[$doc:meta])* $page_fn:ident, $stream_fn:ident, $ty:ident, $path:literal) => {
        impl sealed::Sealed for $ty {}
        impl Resource for $ty {
            const PATH: &'static str = $path;
            const SCOPE: &'static str = concat!("harvest:", $path, ":list");
            fn id(&self) -> u64 {
                self.id
            }
        }

        impl HarvestClient {
            $(#[$doc])*
            ///
            /// One page; follow with [`HarvestClient::next_page`]. Records that do
            /// not match the model are listed in [`Page::skipped`].
            #[doc = concat!("Route `GET /v3/", $path, "`, scope `harvest:", $path, ":list`.")]
            pub async fn $page_fn(&self, query: &ListQuery) -> Result<Page<$ty>> {
                self.first_page($path, concat!("harvest:", $path, ":list"), query)
                    .await
            }

            $(#[$doc])*
            ///
            /// Every item of every page, fetched lazily as the stream is polled. A
            /// record that does not match the model is yielded as
            /// [`Error::Record`](crate::Error::Record) (index, id, path) in its
            /// place and the stream goes on; any other error ends the stream.
            #[doc = concat!("Route `GET /v3/", $path, "`, scope `harvest:", $path, ":list`.")]
            pub fn $stream_fn(&self, query: ListQuery) -> BoxStream<'static, Result<$ty>> {
                self.paginate($path, concat!("harvest:", $path, ":list"), query)
            }
        }
    };
}

/// Declares a list of the options of one built-in custom field (the v3 home
/// of v1's `/degrees`, `/disciplines`, `/schools`).
macro_rules! field_options_endpoint {
    ($(#[$doc:meta])* $page_fn:ident, $stream_fn:ident, $key:literal) => {
        impl HarvestClient {
            $(#[$doc])*
            ///
            #[doc = concat!("Route `GET /v3/custom_field_options?custom_field_key=", $key, "`, scope `harvest:custom_field_options:list`; one page.")]
            pub async fn $page_fn(&self, query: &ListQuery) -> Result<Page<CustomFieldOption>> {
                let query = query.clone().param("custom_field_key", $key);
                self.list_custom_field_options(&query).await
            }

            $(#[$doc])*
            ///
            #[doc = concat!("Route `GET /v3/custom_field_options?custom_field_key=", $key, "`; every page, lazily.")]
            pub fn $stream_fn(
                &self,
                query: ListQuery,
            ) -> BoxStream<'static, Result<CustomFieldOption>> {
                self.custom_field_options(query.param("custom_field_key", $key))
            }
        }
    };
}

list_endpoint!(
    /// Candidates and prospects (filters `email`, `tag`, `private`, `last_activity_at`).
    list_candidates, candidates, Candidate, "candidates"
);
list_endpoint!(
    /// Applications (filters `candidate_ids`, `job_ids`, `status`, `prospect`, `stage_ids`).
    list_applications, applications, Application, "applications"
);
list_endpoint!(
    /// Jobs (filters `status`, `department_id`, `office_id`, `requisition_id`).
    list_jobs, jobs, Job, "jobs"
);
list_endpoint!(
    /// Job posts (deleted posts only with `active=false`; filters `job_ids`, `live`).
    list_job_posts, job_posts, JobPost, "job_posts"
);
list_endpoint!(
    /// Interview stages of jobs (filters `job_ids`, `active`).
    list_job_interview_stages, job_interview_stages, JobInterviewStage, "job_interview_stages"
);
list_endpoint!(
    /// Stage history of applications (filters `application_ids`, `current`).
    list_application_stages, application_stages, ApplicationStage, "application_stages"
);
list_endpoint!(
    /// Users (filters `primary_email`, `deactivated`, `show_service_accounts`).
    list_users, users, User, "users"
);
list_endpoint!(
    /// Scheduled interviews (filters `starts_at`, `application_ids`, `status`).
    list_interviews, interviews, Interview, "interviews"
);
list_endpoint!(
    /// Interview panel rows (filters `interview_ids`, `user_ids`).
    list_interviewers, interviewers, Interviewer, "interviewers"
);
list_endpoint!(
    /// Notes and other activity rows (filters `candidate_ids`, `application_ids`, `type`).
    list_notes, notes, Note, "notes"
);
list_endpoint!(
    /// Job openings (filters `job_ids`, `open`, `opened_at`, `closed_at`, `close_reason_ids`).
    list_openings, openings, Opening, "openings"
);
list_endpoint!(
    /// Departments (filters `parent_id`, `external_id`).
    list_departments, departments, Department, "departments"
);
list_endpoint!(
    /// Offices (filters `parent_id`, `external_id`).
    list_offices, offices, Office, "offices"
);
list_endpoint!(
    /// User roles.
    list_user_roles, user_roles, UserRole, "user_roles"
);
list_endpoint!(
    /// Scorecards (filters `application_ids`, `interviewer_ids`, `status`, `submitted_at`).
    list_scorecards, scorecards, Scorecard, "scorecards"
);
list_endpoint!(
    /// Job and offer approval flows (filters `job_ids`, `offer_ids`, `approval_type`).
    list_approval_flows, approval_flows, ApprovalFlow, "approval_flows"
);
list_endpoint!(
    /// Prospect pools.
    list_prospect_pools, prospect_pools, ProspectPool, "prospect_pools"
);
list_endpoint!(
    /// Stages of prospect pools (filter `prospect_pool_ids`).
    list_prospect_pool_stages, prospect_pool_stages, ProspectPoolStage, "prospect_pool_stages"
);
list_endpoint!(
    /// E-mail templates (route from Airbyte's v3 connector; fields unconfirmed).
    list_email_templates, email_templates, EmailTemplate, "email_templates"
);
list_endpoint!(
    /// Reasons for closing openings.
    list_close_reasons, close_reasons, CloseReason, "close_reasons"
);
list_endpoint!(
    /// Rejection reasons (`include_defaults=true` adds Greenhouse's built-in ones).
    list_rejection_reasons, rejection_reasons, RejectionReason, "rejection_reasons"
);
list_endpoint!(
    /// Custom-field definitions (filters `field_type`, `name_key`, `active`).
    list_custom_fields, custom_fields, CustomFieldDefinition, "custom_fields"
);
list_endpoint!(
    /// Options of select custom fields (filters `custom_field_ids`, `custom_field_key`, `active`).
    list_custom_field_options, custom_field_options, CustomFieldOption, "custom_field_options"
);
field_options_endpoint!(
    /// Degrees (education).
    list_degrees, degrees, "degree"
);
field_options_endpoint!(
    /// Disciplines (education).
    list_disciplines, disciplines, "discipline"
);
field_options_endpoint!(
    /// Schools (education).
    list_schools, schools, "school_name"
);
list_endpoint!(
    /// Custom job-board locations.
    list_custom_locations, custom_locations, CustomLocation, "job_board_custom_locations"
);
list_endpoint!(
    /// Offers, one row per version (filters `application_ids`, `status`, `current_only`).
    list_offers, offers, Offer, "offers"
);
list_endpoint!(
    /// The organization's candidate tags.
    list_candidate_tags, candidate_tags, CandidateTag, "candidate_tags"
);
list_endpoint!(
    /// Tags applied to candidates (filter `candidate_ids`).
    list_applied_candidate_tags, applied_candidate_tags, AppliedCandidateTag, "applied_candidate_tags"
);
list_endpoint!(
    /// EEOC self-identification answers (filters `application_ids`, `submitted_at`).
    list_eeoc, eeoc, Eeoc, "eeoc"
);
list_endpoint!(
    /// Tracking links (filters `job_ids`, `source_ids`, `token`).
    list_tracking_links, tracking_links, TrackingLink, "tracking_links"
);
list_endpoint!(
    /// Sources (`application.source_id` points here).
    list_sources, sources, Source, "sources"
);
list_endpoint!(
    /// Recruiters, coordinators and sourcers of jobs (filters `job_ids`, `user_ids`, `type`).
    list_job_owners, job_owners, JobOwner, "job_owners"
);
list_endpoint!(
    /// Hiring managers of jobs (filters `job_ids`, `user_ids`).
    list_job_hiring_managers, job_hiring_managers, JobHiringManager, "job_hiring_managers"
);
list_endpoint!(
    /// Referrers (filter `user_ids`).
    list_referrers, referrers, Referrer, "referrers"
);
list_endpoint!(
    /// E-mail addresses of users.
    list_user_emails, user_emails, UserEmail, "user_emails"
);
list_endpoint!(
    /// Per-job permissions of users (filters `user_ids`, `job_ids`, `role_ids`).
    list_user_job_permissions, user_job_permissions, UserJobPermission, "user_job_permissions"
);
list_endpoint!(
    /// Permissions on future jobs.
    list_future_job_permissions, future_job_permissions, FutureJobPermission, "future_job_permissions"
);
list_endpoint!(
    /// Attachments (filters `candidate_ids`, `application_ids`, `type`).
    list_attachments, attachments, CandidateAttachment, "attachments"
);
list_endpoint!(
    /// Education entries of candidates.
    list_candidate_educations, candidate_educations, CandidateEducation, "candidate_educations"
);
list_endpoint!(
    /// Employment entries of candidates.
    list_candidate_employments, candidate_employments, CandidateEmployment, "candidate_employments"
);
list_endpoint!(
    /// Prospect pipeline state of applications (filters `application_ids`, `pool_ids`).
    list_prospect_details, prospect_details, ProspectDetailRecord, "prospect_details"
);
list_endpoint!(
    /// Rejections of applications (filters `application_ids`, `rejection_reason_ids`).
    list_rejection_details, rejection_details, RejectionDetail, "rejection_details"
);
list_endpoint!(
    /// Interview steps of job plans (filters `job_ids`, `job_interview_stage_ids`, `active`).
    list_job_interviews, job_interviews, JobInterview, "job_interviews"
);
list_endpoint!(
    /// Interview kits (filters `job_ids`, `job_interview_ids`).
    list_interview_kits, interview_kits, JobInterviewKit, "interview_kits"
);
list_endpoint!(
    /// Scorecard questions (filters `interview_kit_ids`, `active`).
    list_scorecard_questions, scorecard_questions, ScorecardQuestion, "scorecard_questions"
);
list_endpoint!(
    /// Answers to scorecard questions (filters `scorecard_ids`, `scorecard_question_ids`).
    list_scorecard_question_answers, scorecard_question_answers, ScorecardQuestionAnswer, "scorecard_question_answers"
);

impl HarvestClient {
    /// One record by id, of any listed resource: `client.get::<Offer>(6601)`.
    ///
    /// Uses the `ids` filter every v3 list accepts (single-record routes were
    /// not confirmed for every resource, research notes §1.4). `Ok(None)` when
    /// no such record exists; [`Error::Record`](crate::Error::Record) when it
    /// exists but does not match the model.
    pub async fn get<T: Resource>(&self, id: u64) -> Result<Option<T>> {
        let page: Page<T> = self
            .first_page(T::PATH, T::SCOPE, &ListQuery::new().ids(&[id]))
            .await?;
        if let Some(bad) = page.skipped.into_iter().find(|e| e.id == Some(id)) {
            return Err(bad.into());
        }
        Ok(page.items.into_iter().find(|r| r.id() == id))
    }

    /// The records with these ids, of any listed resource, in as many
    /// requests of at most 50 ids as needed (malformed records are logged
    /// and left out). Ids that do not exist are simply absent.
    pub async fn get_many<T: Resource>(&self, ids: &[u64]) -> Result<Vec<T>> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(crate::MAX_IDS) {
            let mut records = self.paginate::<T>(T::PATH, T::SCOPE, ListQuery::new().ids(chunk));
            while let Some(record) = futures::StreamExt::next(&mut records).await {
                match record {
                    Ok(r) => out.push(r),
                    Err(crate::Error::Record(e)) => {
                        tracing::warn!(error = %e, "skipping a malformed Greenhouse record")
                    }
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scope_follows_the_harvest_pattern() {
        assert_eq!(list_scope("candidates"), Some("harvest:candidates:list"));
        assert_eq!(
            list_scope("job_board_custom_locations"),
            Some("harvest:job_board_custom_locations:list")
        );
        assert_eq!(list_scope("tokens"), None);
        let mut names: Vec<_> = LIST_SCOPES.iter().map(|(r, _)| *r).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), LIST_SCOPES.len());
    }
}

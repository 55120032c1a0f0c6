//! Audit events, EEO responses and diversity surveys (LD "Audit Events", "EEO questions",
//! "Surveys").

use crate::api::query::{filters, list_endpoint};
use crate::client::{Call, LeverClient};
use crate::error::Error;
use crate::models::{AuditEvent, DiversitySurvey, EeoResponse, Timestamp};

filters! {
    /// Filters for the audit log (LD "Audit Events").
    AuditEventQuery {
        /// Created at or after.
        created_at_start: Timestamp => "created_at_start",
        /// Created at or before.
        created_at_end: Timestamp => "created_at_end",
        /// Of this event type (repeatable).
        kind: &str => "type",
        /// By this user.
        user_id: &str => "user_id",
        /// On this target.
        target_id: &str => "target_id",
        /// On targets of this type.
        target_type: &str => "target_type",
    }
}

filters! {
    /// Filters for EEO responses. UNCONFIRMED names: LD's EEO section was not readable in
    /// full; the date filters follow Lever's `*_start`/`*_end` convention in milliseconds.
    /// Use `param` for anything else.
    EeoQuery {
        /// Applied at or after.
        created_at_start: Timestamp => "created_at_start",
        /// Applied at or before.
        created_at_end: Timestamp => "created_at_end",
    }
}

impl LeverClient {
    list_endpoint! {
        /// The account's audit events (`GET /audit_events`).
        audit_events_page / audit_events -> AuditEvent,
        (query: &AuditEventQuery) => query.apply(Call::get(&["audit_events"]))
    }

    // amp-labs/connectors' Lever README says the EEO answers are "embedded within their
    // respective objectName under data"; the exact nesting is UNCONFIRMED, so records keep all
    // their keys in `EeoResponse::extra` and a record that does not fit is reported per record
    // (see `Page`) rather than failing the page.
    list_endpoint! {
        /// Anonymous EEO responses (`GET /eeo/responses`).
        eeo_responses_page / eeo_responses -> EeoResponse,
        (query: &EeoQuery) => query.apply(Call::get(&["eeo", "responses"]))
    }

    list_endpoint! {
        /// EEO responses with personal data (`GET /eeo/responses/pii`; needs the
        /// `eeo_responses_pii:read:admin` scope).
        eeo_responses_pii_page / eeo_responses_pii -> EeoResponse,
        (query: &EeoQuery) => query.apply(Call::get(&["eeo", "responses", "pii"]))
    }

    /// The diversity survey shown for a posting (`GET /surveys/diversity/:posting`; the path is
    /// also listed in amp-labs/connectors' Lever README); pass the candidate's `location` when
    /// the survey has `candidateSelectsLocation` (parameter name UNCONFIRMED).
    pub async fn diversity_survey(
        &self,
        posting_id: &str,
        location: Option<&str>,
    ) -> Result<DiversitySurvey, Error> {
        let mut call = Call::get(&["surveys", "diversity", posting_id]);
        if let Some(location) = location {
            call = call.query("location", location);
        }
        self.data(call).await
    }
}

//! The candidate index: normalized e-mail → ATS candidate, its applications
//! (Lever opportunities, Greenhouse applications) and status, plus the job
//! cache and the interview schedule.
//!
//! These rows are what webhooks and syncs maintain and what posting reads
//! first, before it falls back to an API lookup by e-mail.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::tenant::{Ats, TenantId};

/// Where a candidate lives: tenant, ATS and the ATS's own id for the person
/// (Lever contact id, Greenhouse candidate id).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CandidateKey {
    /// The tenant that owns the row.
    pub tenant: TenantId,
    /// The ATS.
    pub ats: Ats,
    /// The ATS's id of the person (Lever: contact id; Greenhouse: candidate id).
    pub candidate_id: String,
}

/// Where a candidate stands in the hiring process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CandidateStatus {
    /// In process.
    #[default]
    Active,
    /// Archived (Lever) or rejected (Greenhouse) on every application.
    Archived,
    /// Hired.
    Hired,
}

/// One application of a candidate: a Lever opportunity or a Greenhouse application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexedApplication {
    /// Lever opportunity id or Greenhouse application id.
    pub id: String,
    /// Lever posting id or Greenhouse job id, when known.
    pub job_id: Option<String>,
    /// Archived / rejected.
    pub archived: bool,
    /// Last change seen in the ATS.
    pub updated_at: DateTime<Utc>,
}

/// A candidate as the engine knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexedCandidate {
    /// Tenant, ATS and id.
    pub key: CandidateKey,
    /// Display name, when the ATS gave one.
    pub name: Option<String>,
    /// Normalized e-mail addresses (see `aspect_interview_core`'s matching).
    pub emails: Vec<String>,
    /// Overall status.
    pub status: CandidateStatus,
    /// The candidate's applications.
    pub applications: Vec<IndexedApplication>,
    /// Last change seen in the ATS; older updates are ignored (out-of-order webhooks).
    pub updated_at: DateTime<Utc>,
}

impl IndexedCandidate {
    /// The application a note should go on when no interview ties it to one:
    /// the most recently updated active application, else the most recently
    /// updated one.
    pub fn default_application(&self) -> Option<&IndexedApplication> {
        fn newest<'a>(
            apps: impl Iterator<Item = &'a IndexedApplication>,
        ) -> Option<&'a IndexedApplication> {
            apps.max_by(|a, b| a.updated_at.cmp(&b.updated_at).then(b.id.cmp(&a.id)))
        }
        newest(self.applications.iter().filter(|a| !a.archived))
            .or_else(|| newest(self.applications.iter()))
    }
}

/// A job (Greenhouse job, Lever posting) in the job cache.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexedJob {
    /// The tenant that owns the row.
    pub tenant: TenantId,
    /// The ATS.
    pub ats: Ats,
    /// The ATS's job id.
    pub job_id: String,
    /// Job name / posting title.
    pub name: String,
    /// The ATS's status string (`open`, `closed`, `published`…), kept verbatim.
    pub status: Option<String>,
    /// Last change seen.
    pub updated_at: DateTime<Utc>,
}

/// An upcoming interview from the ATS schedule (Lever interview, Greenhouse
/// scheduled interview): what a note taker joins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduledInterview {
    /// The tenant that owns the row.
    pub tenant: TenantId,
    /// The ATS.
    pub ats: Ats,
    /// The ATS's interview id.
    pub interview_id: String,
    /// The interviewed candidate (Lever contact id / Greenhouse candidate id), when known.
    pub candidate_id: Option<String>,
    /// The application (Lever opportunity / Greenhouse application) the interview belongs to.
    pub application_id: Option<String>,
    /// A title for the meeting.
    pub title: String,
    /// Start time.
    pub start: DateTime<Utc>,
    /// End time, when known.
    pub end: Option<DateTime<Utc>>,
    /// Video-conferencing URL; interviews without one get no note taker.
    pub conferencing_url: Option<String>,
    /// Normalized e-mails of the interviewers.
    pub interviewer_emails: Vec<String>,
    /// Last change seen.
    pub updated_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn app(id: &str, archived: bool, day: u32) -> IndexedApplication {
        IndexedApplication {
            id: id.into(),
            job_id: None,
            archived,
            updated_at: Utc.with_ymd_and_hms(2026, 11, day, 0, 0, 0).unwrap(),
        }
    }

    fn candidate(apps: Vec<IndexedApplication>) -> IndexedCandidate {
        IndexedCandidate {
            key: CandidateKey {
                tenant: TenantId::new("t").unwrap(),
                ats: Ats::Lever,
                candidate_id: "c".into(),
            },
            name: None,
            emails: vec![],
            status: CandidateStatus::Active,
            applications: apps,
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn default_application_prefers_newest_active() {
        let c = candidate(vec![
            app("old", false, 1),
            app("arch", true, 20),
            app("new", false, 10),
        ]);
        assert_eq!(c.default_application().unwrap().id, "new");
    }

    #[test]
    fn default_application_falls_back_to_newest_archived() {
        let c = candidate(vec![app("a", true, 1), app("b", true, 3)]);
        assert_eq!(c.default_application().unwrap().id, "b");
        assert!(candidate(vec![]).default_application().is_none());
    }
}

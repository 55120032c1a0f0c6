//! Typed Harvest v3 resources.
//!
//! v3 resources are flat and reference each other by id ("Child resources are
//! no longer embedded within parent resources", harvestdocs.greenhouse.io/docs/overview-and-philosophy).
//! Field names follow the v3 schemas (research notes §3); every field the API
//! may omit is an `Option` or defaults, unknown fields are ignored, and every
//! enum keeps values it does not know in `Unknown(String)`.

mod application;
mod candidate;
pub(crate) mod common;
mod custom_field;
mod hiring;
mod interview;
mod interview_plan;
mod job;
mod note;
mod organization;
mod profile;
mod team;
mod user;
mod write;

pub use application::{Answer, Application, ApplicationStage, ApplicationStatus};
pub use candidate::Candidate;
pub use common::{CustomField, CustomFields, EmailAddress, EmailType, TypedValue, timestamp};
pub use custom_field::{CustomFieldDefinition, CustomFieldOption};
pub use hiring::{
    ApprovalFlow, ApprovalStatus, ApprovalType, CandidateRating, Eeoc, EeocAnswer, EmailTemplate,
    Offer, OfferStatus, Opening, ProspectPool, ProspectPoolStage, Scorecard, ScorecardStatus,
    TrackingLink,
};
pub use interview::{Interview, InterviewStatus, Interviewer, ResponseStatus, ScheduledInterview};
pub use interview_plan::{
    JobInterview, JobInterviewKit, ScorecardQuestion, ScorecardQuestionAnswer,
};
pub use job::{Job, JobInterviewStage, JobPost, JobStatus};
pub use note::{NewNote, Note, NoteType, NoteVisibility, Visibility};
pub use organization::{
    AppliedCandidateTag, CandidateTag, CloseReason, CustomLocation, Department, Office,
    RejectionReason, RejectionReasonKey, RejectionReasonType, RoleType, Source, SourceType,
    UserRole,
};
pub use profile::{
    CandidateAttachment, CandidateEducation, CandidateEmployment, ProspectDetailRecord,
    RejectionDetail,
};
pub use team::{
    FutureJobPermission, JobHiringManager, JobOwner, Referrer, UserEmail, UserJobPermission,
};
pub use user::User;
pub use write::{
    ApplicationUpdate, CandidateUpdate, HireApplication, MoveApplication, NewApplication,
    NewCandidate, RejectApplication, RejectionEmail,
};

//! Endpoint methods on [`LeverClient`](crate::LeverClient), grouped by resource.

pub mod candidacy;
pub mod files;
pub mod forms;
pub mod interviews;
pub mod notes;
pub mod opportunities;
pub mod postings;
pub(crate) mod query;
pub mod reference;
pub mod reports;
pub mod requisitions;
pub mod users;
pub mod webhooks;

pub use candidacy::{CreateOpportunityOptions, DeletedOpportunityQuery, OpportunityList};
pub use files::{Download, FileUpload};
pub use opportunities::{ConfidentialityFilter, OpportunityQuery};
pub use postings::PostingQuery;
pub use query::ListOptions;
pub use reports::{AuditEventQuery, EeoQuery};
pub use requisitions::RequisitionQuery;
pub use users::UserQuery;

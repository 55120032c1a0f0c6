//! Endpoint methods on [`LeverClient`](crate::LeverClient), grouped by resource.

pub mod notes;
pub mod opportunities;
pub mod reference;
pub mod users;
pub mod webhooks;

pub use opportunities::{ConfidentialityFilter, OpportunityQuery};
pub use users::UserQuery;

//! Users (LD "Users").

use futures::{Stream, TryStreamExt};

use crate::client::{Call, LeverClient};
use crate::error::Error;
use crate::models::{AccessRole, User, UserRequest};
use crate::pagination::Page;
use reqwest::Method;

/// Filters for listing users.
#[derive(Debug, Clone, Default)]
pub struct UserQuery {
    params: Vec<(&'static str, String)>,
}

impl UserQuery {
    /// Active users (Lever's default).
    pub fn new() -> Self {
        Self::default()
    }

    /// Exact match on the canonical e-mail.
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.params.push(("email", email.into()));
        self
    }

    /// Include deactivated users.
    pub fn include_deactivated(mut self, include: bool) -> Self {
        self.params
            .push(("includeDeactivated", include.to_string()));
        self
    }

    /// Only this access role (repeatable). Sent in the bracket form of LD's own example,
    /// `accessRole[]=super%20admin&accessRole[]=admin` (research note §2.2).
    pub fn access_role(mut self, role: &AccessRole) -> Self {
        self.params.push(("accessRole[]", role.as_str().to_owned()));
        self
    }

    /// Only the user with this id in the customer's directory.
    pub fn external_directory_id(mut self, id: impl Into<String>) -> Self {
        self.params.push(("external_directory_id", id.into()));
        self
    }

    /// Return only these fields (repeatable; LD "Customizing the Response").
    pub fn include(mut self, field: impl Into<String>) -> Self {
        self.params.push(("include", field.into()));
        self
    }

    fn call(&self) -> Call {
        self.params
            .iter()
            .fold(Call::get(&["users"]), |c, (k, v)| c.query(k, v.clone()))
    }
}

impl LeverClient {
    /// One page of users (`GET /users`).
    pub async fn users_page(
        &self,
        query: &UserQuery,
        offset: Option<&str>,
    ) -> Result<Page<User>, Error> {
        self.page(query.call(), offset).await
    }

    /// Every user matching `query`.
    pub fn users(
        &self,
        query: &UserQuery,
    ) -> impl Stream<Item = Result<User, Error>> + Send + 'static {
        self.paginate(query.call())
    }

    /// One user.
    pub async fn user(&self, id: &str) -> Result<User, Error> {
        self.data(Call::get(&["users", id])).await
    }

    /// Create a user (`POST /users`). Retried only after a connection error.
    pub async fn create_user(&self, user: &UserRequest) -> Result<User, Error> {
        let call = Call::new(Method::POST, &["users"]).body(user_body(user)?);
        self.data(call).await
    }

    /// Replace a user (`PUT /users/:id`; `name`, `email` and `accessRole` are required by
    /// Lever, so a missing role is refused here).
    pub async fn update_user(&self, id: &str, user: &UserRequest) -> Result<User, Error> {
        if user.access_role.is_none() {
            return Err(Error::InvalidInput(
                "updating a user needs an access role".into(),
            ));
        }
        let call = Call::new(Method::PUT, &["users", id]).body(user_body(user)?);
        self.data(call).await
    }

    /// Deactivate a user (`POST /users/:id/deactivate`; Lever answers with the user, its
    /// `deactivatedAt` set).
    pub async fn deactivate_user(&self, id: &str) -> Result<User, Error> {
        self.data(Call::new(Method::POST, &["users", id, "deactivate"]))
            .await
    }

    /// Reactivate a user (`POST /users/:id/reactivate`).
    pub async fn reactivate_user(&self, id: &str) -> Result<User, Error> {
        self.data(Call::new(Method::POST, &["users", id, "reactivate"]))
            .await
    }

    /// The user with this e-mail (exact canonical match), e.g. to post notes as them.
    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>, Error> {
        let query = UserQuery::new().email(email);
        let users: Vec<User> = self.users(&query).try_collect().await?;
        Ok(users.into_iter().next())
    }
}

fn user_body(user: &UserRequest) -> Result<serde_json::Value, Error> {
    if user.name.trim().is_empty() || user.email.trim().is_empty() {
        return Err(Error::InvalidInput(
            "a user needs a name and an e-mail".into(),
        ));
    }
    serde_json::to_value(user).map_err(|e| Error::InvalidInput(e.to_string()))
}

//! Users (LD "Users").

use futures::{Stream, TryStreamExt};

use crate::client::{Call, LeverClient};
use crate::error::Error;
use crate::models::{AccessRole, User};
use crate::pagination::Page;

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

    /// Only this access role (repeatable).
    pub fn access_role(mut self, role: &AccessRole) -> Self {
        self.params.push(("accessRole", role.as_str().to_owned()));
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

    /// The user with this e-mail (exact canonical match), e.g. to post notes as them.
    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>, Error> {
        let query = UserQuery::new().email(email);
        let users: Vec<User> = self.users(&query).try_collect().await?;
        Ok(users.into_iter().next())
    }
}

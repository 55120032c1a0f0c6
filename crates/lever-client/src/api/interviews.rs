//! Creating, replacing and deleting interviews and panels (LD "Interviews", "Panels"). Only
//! panels with `externallyManaged == true` can be changed through the API, and `perform_as`
//! is required.

use reqwest::Method;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::client::{Call, LeverClient};
use crate::error::Error;
use crate::models::{Interview, InterviewRequest, Panel, PanelRequest};

/// The create/update answers of interviews and panels. LD shows them wrapped twice,
/// `{"data":{"data":[…],"hasNext":false}}` (research note §6); the real shape is UNCONFIRMED,
/// so a bare object, a list, or one more `data` level are all accepted and the first record
/// is returned.
#[derive(Deserialize)]
#[serde(untagged)]
enum Wrapped<T> {
    One(T),
    Many(Vec<T>),
    Nested { data: Box<Wrapped<T>> },
}

impl<T> Wrapped<T> {
    fn first(self) -> Option<T> {
        match self {
            Self::One(item) => Some(item),
            Self::Many(items) => items.into_iter().next(),
            Self::Nested { data } => data.first(),
        }
    }
}

fn interview_path<'a>(opportunity_id: &'a str, rest: &[&'a str]) -> Vec<&'a str> {
    let mut path = vec!["opportunities", opportunity_id];
    path.extend_from_slice(rest);
    path
}

impl LeverClient {
    async fn write_one<T: DeserializeOwned>(&self, call: Call) -> Result<T, Error> {
        let wrapped: Wrapped<T> = self.data(call).await?;
        wrapped.first().ok_or_else(|| Error::Decode {
            path: "data".into(),
            message: "Lever returned no record".into(),
            body_snippet: String::new(),
        })
    }

    /// Schedule an interview on an externally managed panel
    /// (`POST /opportunities/:id/interviews?perform_as=`). Retried only after a connection
    /// error.
    pub async fn create_interview(
        &self,
        opportunity_id: &str,
        interview: &InterviewRequest,
        perform_as: &str,
    ) -> Result<Interview, Error> {
        let body = body_of(interview)?;
        let call = Call::new(
            Method::POST,
            &interview_path(opportunity_id, &["interviews"]),
        )
        .query("perform_as", perform_as)
        .body(body);
        self.write_one(call).await
    }

    /// Replace an interview (`PUT /opportunities/:id/interviews/:interview?perform_as=`).
    pub async fn update_interview(
        &self,
        opportunity_id: &str,
        interview_id: &str,
        interview: &InterviewRequest,
        perform_as: &str,
    ) -> Result<Interview, Error> {
        let path = interview_path(opportunity_id, &["interviews", interview_id]);
        let call = Call::new(Method::PUT, &path)
            .query("perform_as", perform_as)
            .body(body_of(interview)?);
        self.write_one(call).await
    }

    /// Delete an interview (`DELETE /opportunities/:id/interviews/:interview?perform_as=`,
    /// 204). Deleting a panel's last interview deletes the panel.
    pub async fn delete_interview(
        &self,
        opportunity_id: &str,
        interview_id: &str,
        perform_as: &str,
    ) -> Result<(), Error> {
        let path = interview_path(opportunity_id, &["interviews", interview_id]);
        let call = Call::new(Method::DELETE, &path).query("perform_as", perform_as);
        self.execute(call).await.map(drop)
    }

    /// Create a panel with its interviews (`POST /opportunities/:id/panels?perform_as=`).
    pub async fn create_panel(
        &self,
        opportunity_id: &str,
        panel: &PanelRequest,
        perform_as: &str,
    ) -> Result<Panel, Error> {
        let call = Call::new(Method::POST, &interview_path(opportunity_id, &["panels"]))
            .query("perform_as", perform_as)
            .body(body_of(panel)?);
        self.write_one(call).await
    }

    /// Replace a panel (`PUT /opportunities/:id/panels/:panel?perform_as=`).
    pub async fn update_panel(
        &self,
        opportunity_id: &str,
        panel_id: &str,
        panel: &PanelRequest,
        perform_as: &str,
    ) -> Result<Panel, Error> {
        let path = interview_path(opportunity_id, &["panels", panel_id]);
        let call = Call::new(Method::PUT, &path)
            .query("perform_as", perform_as)
            .body(body_of(panel)?);
        self.write_one(call).await
    }

    /// Delete a panel and its interviews (`DELETE /opportunities/:id/panels/:panel`, 204).
    pub async fn delete_panel(
        &self,
        opportunity_id: &str,
        panel_id: &str,
        perform_as: &str,
    ) -> Result<(), Error> {
        let path = interview_path(opportunity_id, &["panels", panel_id]);
        let call = Call::new(Method::DELETE, &path).query("perform_as", perform_as);
        self.execute(call).await.map(drop)
    }
}

fn body_of<T: serde::Serialize>(value: &T) -> Result<serde_json::Value, Error> {
    serde_json::to_value(value).map_err(|e| Error::InvalidInput(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_wrapping_yields_the_record() {
        for body in [
            r#"{"id":"a"}"#,
            r#"[{"id":"a"},{"id":"b"}]"#,
            r#"{"data":[{"id":"a"}],"hasNext":false}"#,
        ] {
            let w: Wrapped<crate::models::Stage> = serde_json::from_str(body).unwrap();
            assert_eq!(w.first().unwrap().id, "a", "{body}");
        }
        let empty: Wrapped<crate::models::Stage> = serde_json::from_str("[]").unwrap();
        assert!(empty.first().is_none());
    }
}

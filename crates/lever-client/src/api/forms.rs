//! Feedback, profile forms, referrals and their templates (LD "Feedback", "Feedback
//! Templates", "Profile Forms", "Profile Form Templates", "Referrals").

use reqwest::Method;

use crate::api::query::{list_endpoint, list_endpoint_with_options};
use crate::client::{Call, LeverClient};
use crate::error::Error;
use crate::models::{Form, FormSubmission, FormTemplate, FormTemplateRequest};

fn on_opportunity<'a>(opportunity_id: &'a str, rest: &[&'a str]) -> Vec<&'a str> {
    let mut path = vec!["opportunities", opportunity_id];
    path.extend_from_slice(rest);
    path
}

fn body_of<T: serde::Serialize>(value: &T) -> Result<serde_json::Value, Error> {
    serde_json::to_value(value).map_err(|e| Error::InvalidInput(e.to_string()))
}

impl LeverClient {
    list_endpoint_with_options! {
        /// An opportunity's interview feedback (`GET /opportunities/:id/feedback`).
        feedback_page / feedback, feedback_page_with / feedback_with -> Form,
        (opportunity_id: &str) => Call::get(&on_opportunity(opportunity_id, &["feedback"]))
    }

    /// One feedback form (`GET /opportunities/:id/feedback/:feedback`).
    pub async fn feedback_form(
        &self,
        opportunity_id: &str,
        feedback_id: &str,
    ) -> Result<Form, Error> {
        let path = on_opportunity(opportunity_id, &["feedback", feedback_id]);
        self.data(Call::get(&path)).await
    }

    /// Submit feedback (`POST /opportunities/:id/feedback?perform_as=`; LD's example answer
    /// lacks the `data` envelope, both are accepted).
    pub async fn create_feedback(
        &self,
        opportunity_id: &str,
        feedback: &FormSubmission,
        perform_as: &str,
    ) -> Result<Form, Error> {
        if feedback.base_template_id.is_none() {
            return Err(Error::InvalidInput(
                "feedback needs a baseTemplateId".into(),
            ));
        }
        let path = on_opportunity(opportunity_id, &["feedback"]);
        let call = Call::new(Method::POST, &path)
            .query("perform_as", perform_as)
            .body(body_of(feedback)?);
        self.data_or_bare(call).await
    }

    /// Update feedback (`PUT /opportunities/:id/feedback/:feedback?perform_as=`).
    pub async fn update_feedback(
        &self,
        opportunity_id: &str,
        feedback_id: &str,
        feedback: &FormSubmission,
        perform_as: &str,
    ) -> Result<Form, Error> {
        let path = on_opportunity(opportunity_id, &["feedback", feedback_id]);
        let call = Call::new(Method::PUT, &path)
            .query("perform_as", perform_as)
            .body(body_of(feedback)?);
        self.data_or_bare(call).await
    }

    /// Delete feedback (`DELETE /opportunities/:id/feedback/:feedback`, 204).
    pub async fn delete_feedback(
        &self,
        opportunity_id: &str,
        feedback_id: &str,
        perform_as: Option<&str>,
    ) -> Result<(), Error> {
        let path = on_opportunity(opportunity_id, &["feedback", feedback_id]);
        let mut call = Call::new(Method::DELETE, &path);
        if let Some(user) = perform_as {
            call = call.query("perform_as", user);
        }
        self.execute(call).await.map(drop)
    }

    list_endpoint_with_options! {
        /// An opportunity's profile forms (`GET /opportunities/:id/forms`).
        profile_forms_page / profile_forms, profile_forms_page_with / profile_forms_with -> Form,
        (opportunity_id: &str) => Call::get(&on_opportunity(opportunity_id, &["forms"]))
    }

    /// One profile form (`GET /opportunities/:id/forms/:form`).
    pub async fn profile_form(&self, opportunity_id: &str, form_id: &str) -> Result<Form, Error> {
        let path = on_opportunity(opportunity_id, &["forms", form_id]);
        self.data(Call::get(&path)).await
    }

    /// Fill in a profile form (`POST /opportunities/:id/forms?perform_as=`).
    pub async fn create_profile_form(
        &self,
        opportunity_id: &str,
        form: &FormSubmission,
        perform_as: &str,
    ) -> Result<Form, Error> {
        if form.base_template_id.is_none() {
            return Err(Error::InvalidInput(
                "a profile form needs a baseTemplateId".into(),
            ));
        }
        let path = on_opportunity(opportunity_id, &["forms"]);
        let call = Call::new(Method::POST, &path)
            .query("perform_as", perform_as)
            .body(body_of(form)?);
        self.data_or_bare(call).await
    }

    list_endpoint_with_options! {
        /// An opportunity's referrals (`GET /opportunities/:id/referrals`).
        referrals_page / referrals, referrals_page_with / referrals_with -> Form,
        (opportunity_id: &str) => Call::get(&on_opportunity(opportunity_id, &["referrals"]))
    }

    /// One referral (`GET /opportunities/:id/referrals/:referral`).
    pub async fn referral(&self, opportunity_id: &str, referral_id: &str) -> Result<Form, Error> {
        let path = on_opportunity(opportunity_id, &["referrals", referral_id]);
        self.data(Call::get(&path)).await
    }

    list_endpoint! {
        /// Feedback templates (`GET /feedback_templates`).
        feedback_templates_page / feedback_templates -> FormTemplate,
        () => Call::get(&["feedback_templates"])
    }

    /// One feedback template (`GET /feedback_templates/:id`).
    pub async fn feedback_template(&self, id: &str) -> Result<FormTemplate, Error> {
        self.data(Call::get(&["feedback_templates", id])).await
    }

    /// Create a feedback template (`POST /feedback_templates`; LD's example answer lacks the
    /// `data` envelope, both are accepted).
    pub async fn create_feedback_template(
        &self,
        template: &FormTemplateRequest,
    ) -> Result<FormTemplate, Error> {
        let call = Call::new(Method::POST, &["feedback_templates"]).body(body_of(template)?);
        self.data_or_bare(call).await
    }

    /// Replace a feedback template (`PUT /feedback_templates/:id`).
    pub async fn update_feedback_template(
        &self,
        id: &str,
        template: &FormTemplateRequest,
    ) -> Result<FormTemplate, Error> {
        let call = Call::new(Method::PUT, &["feedback_templates", id]).body(body_of(template)?);
        self.data_or_bare(call).await
    }

    /// Delete a feedback template (`DELETE /feedback_templates/:id`, 204).
    pub async fn delete_feedback_template(&self, id: &str) -> Result<(), Error> {
        let call = Call::new(Method::DELETE, &["feedback_templates", id]);
        self.execute(call).await.map(drop)
    }

    list_endpoint! {
        /// Profile form templates (`GET /form_templates`).
        form_templates_page / form_templates -> FormTemplate,
        () => Call::get(&["form_templates"])
    }

    /// One profile form template (`GET /form_templates/:id`).
    pub async fn form_template(&self, id: &str) -> Result<FormTemplate, Error> {
        self.data(Call::get(&["form_templates", id])).await
    }

    /// Create a profile form template (`POST /form_templates`).
    pub async fn create_form_template(
        &self,
        template: &FormTemplateRequest,
    ) -> Result<FormTemplate, Error> {
        let call = Call::new(Method::POST, &["form_templates"]).body(body_of(template)?);
        self.data_or_bare(call).await
    }

    /// Replace a profile form template (`PUT /form_templates/:id`).
    pub async fn update_form_template(
        &self,
        id: &str,
        template: &FormTemplateRequest,
    ) -> Result<FormTemplate, Error> {
        let call = Call::new(Method::PUT, &["form_templates", id]).body(body_of(template)?);
        self.data_or_bare(call).await
    }

    /// Delete a profile form template (`DELETE /form_templates/:id`, 204).
    pub async fn delete_form_template(&self, id: &str) -> Result<(), Error> {
        let call = Call::new(Method::DELETE, &["form_templates", id]);
        self.execute(call).await.map(drop)
    }
}

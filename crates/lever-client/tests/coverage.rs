//! One wiremock test per endpoint group added for full coverage of Lever's reference: each
//! checks the method, path, documented query parameters and body, and parses a response
//! modelled on LD's example for that endpoint (quirks such as double `data` wrapping and
//! missing envelopes included).

use chrono::{DateTime, Utc};
use futures::{StreamExt, TryStreamExt};
use lever_client::{
    AccessRole, ArchiveReasonType, AuditEventQuery, ConfidentialityFilter, ContactUpdate,
    CreateOpportunityOptions, DeletedOpportunityQuery, EeoQuery, FieldValue, FileUpload,
    FormSubmission, FormTemplateRequest, InterviewRequest, InterviewerRef, LeverClient,
    NewOpportunity, NoteComment, NoteScore, NoteUpdate, OpportunityList, OpportunityQuery, Origin,
    PanelInterview, PanelRequest, PostingQuery, PostingState, RequisitionQuery, RetryPolicy,
    UserQuery, UserRequest,
};
use serde_json::{Value, json};
use wiremock::matchers::{
    body_json, body_partial_json, body_string_contains, header, header_regex, method, path,
    query_param,
};
use wiremock::{Mock, MockBuilder, MockServer, ResponseTemplate};

// base64("test-api-key:")
const BASIC: &str = "Basic dGVzdC1hcGkta2V5Og==";
const OPP: &str = "250d8f03-738a-4bba-a671-8a3d73477145";
const USER: &str = "8d49b010-cc6a-4f40-ace5-e86061c677ed";

async fn setup() -> (MockServer, LeverClient) {
    let server = MockServer::start().await;
    let client = LeverClient::builder()
        .api_key("test-api-key")
        .base_url(format!("{}/v1", server.uri()))
        .retry_policy(RetryPolicy::fast())
        .build()
        .unwrap();
    (server, client)
}

fn on(verb: &str, p: &str) -> MockBuilder {
    Mock::given(method(verb))
        .and(path(format!("/v1{p}")))
        .and(header("authorization", BASIC))
}

fn reply(status: u16, body: Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

fn ms(at: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(at).unwrap()
}

fn opportunity(id: &str) -> Value {
    json!({"id": id, "name": "Shane Smith", "contact": "7f23e772-a2e6-4b64-a4d4-ae9e0dfd8d26",
           "stage": "00922a60-7c15-422b-b086-f62000824fd7", "tags": ["Customer Success"],
           "sources": ["linkedin"], "links": ["indeed.com/r/Shane-Smith/0b2d3a6f"],
           "archived": null, "createdAt": 1407460071043_i64, "updatedAt": null})
}

#[tokio::test]
async fn opportunities_list_sends_every_documented_filter() {
    let (server, client) = setup().await;
    let mut mock = on("GET", "/opportunities");
    for (k, v) in [
        ("created_at_start", "1407460071043"),
        ("created_at_end", "1407460071044"),
        ("updated_at_start", "1407460071045"),
        ("updated_at_end", "1407460071046"),
        ("advanced_at_start", "1407460071047"),
        ("advanced_at_end", "1407460071048"),
        ("archived_at_start", "1407460071049"),
        ("archived_at_end", "1407460071050"),
        ("archived", "true"),
        ("archive_reason_id", "63dd55b2-a99f-4e7b-985f-22c7bf80ab42"),
        ("stage_id", "offer"),
        ("posting_id", "f2f01e16-27f8-4711-a728-7d49499795a0"),
        (
            "archived_posting_id",
            "f2f01e16-27f8-4711-a728-7d49499795a1",
        ),
        ("origin", "referred"),
        ("source", "linkedin"),
        ("tag", "engineering"),
        ("tag", "product"),
        ("contact_id", "7f23e772-a2e6-4b64-a4d4-ae9e0dfd8d26"),
        ("snoozed", "false"),
        ("location", "Oakland"),
        ("expand", "stage"),
        ("include", "followers"),
        ("confidentiality", "all"),
        ("x_future", "1"),
    ] {
        mock = mock.and(query_param(k, v));
    }
    mock.respond_with(reply(
        200,
        json!({"data": [opportunity(OPP)], "hasNext": false}),
    ))
    .expect(1)
    .mount(&server)
    .await;
    let query = OpportunityQuery::new()
        .created_at_start(ms(1407460071043))
        .created_at_end(ms(1407460071044))
        .updated_at_start(ms(1407460071045))
        .updated_at_end(ms(1407460071046))
        .advanced_at_start(ms(1407460071047))
        .advanced_at_end(ms(1407460071048))
        .archived_at_start(ms(1407460071049))
        .archived_at_end(ms(1407460071050))
        .archived(true)
        .archive_reason_id("63dd55b2-a99f-4e7b-985f-22c7bf80ab42")
        .stage_id("offer")
        .posting_id("f2f01e16-27f8-4711-a728-7d49499795a0")
        .archived_posting_id("f2f01e16-27f8-4711-a728-7d49499795a1")
        .origin(Origin::Referred)
        .source("linkedin")
        .tag("engineering")
        .tag("product")
        .contact_id("7f23e772-a2e6-4b64-a4d4-ae9e0dfd8d26")
        .snoozed(false)
        .location("Oakland")
        .expand("stage")
        .include("followers")
        .confidentiality(ConfidentialityFilter::All)
        .param("x_future", "1");
    let page = client.opportunities_page(&query, None).await.unwrap();
    assert_eq!(page.data[0].id, OPP);
    assert_eq!(page.data[0].tags, ["Customer Success"]);
}

#[tokio::test]
async fn deleted_opportunities_carry_who_and_when() {
    let (server, client) = setup().await;
    let mut deleted = opportunity(OPP);
    deleted["deletedAt"] = json!(1526925087354_i64);
    deleted["deletedBy"] = json!(USER);
    on("GET", "/opportunities/deleted")
        .and(query_param("deleted_at_start", "1526925087000"))
        .and(query_param("deleted_at_end", "1526925088000"))
        .respond_with(reply(200, json!({"data": [deleted], "hasNext": false})))
        .expect(1)
        .mount(&server)
        .await;
    let query = DeletedOpportunityQuery::new()
        .deleted_at_start(ms(1526925087000))
        .deleted_at_end(ms(1526925088000));
    let all: Vec<_> = client
        .deleted_opportunities(&query)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all[0].opportunity.id, OPP);
    assert_eq!(all[0].deleted_by.as_deref(), Some(USER));
    assert_eq!(all[0].deleted_at.unwrap().timestamp_millis(), 1526925087354);
    assert_eq!(all[0].opportunity.name.as_deref(), Some("Shane Smith"));
}

#[tokio::test]
async fn opportunity_writes() {
    let (server, client) = setup().await;
    on("POST", "/opportunities")
        .and(query_param("perform_as", USER))
        .and(query_param("parse", "true"))
        .and(query_param("perform_as_posting_owner", "false"))
        .and(body_json(json!({
            "name": "Shane Smith", "emails": ["shane@exampleq3.com"], "origin": "sourced",
            "tags": ["Customer Success"]})))
        .respond_with(reply(201, json!({"data": opportunity(OPP)})))
        .expect(1)
        .mount(&server)
        .await;
    on("PUT", &format!("/opportunities/{OPP}/stage"))
        .and(query_param("perform_as", USER))
        .and(body_json(json!({"stage": "offer"})))
        .respond_with(reply(200, json!({"data": opportunity(OPP)})))
        .expect(1)
        .mount(&server)
        .await;
    on("PUT", &format!("/opportunities/{OPP}/archived"))
        .and(body_json(
            json!({"reason": "63dd55b2-a99f-4e7b-985f-22c7bf80ab42",
                              "cleanInterviews": true, "requisitionId": "req-1"}),
        ))
        .respond_with(reply(200, json!({"data": opportunity(OPP)})))
        .expect(1)
        .mount(&server)
        .await;
    on("PUT", &format!("/opportunities/{OPP}/archived"))
        .and(body_json(json!({"reason": null})))
        .respond_with(reply(200, json!({"data": opportunity(OPP)})))
        .expect(1)
        .mount(&server)
        .await;
    for (route, field) in [
        ("addLinks", "links"),
        ("removeLinks", "links"),
        ("addTags", "tags"),
        ("removeTags", "tags"),
        ("addSources", "sources"),
        ("removeSources", "sources"),
    ] {
        on("POST", &format!("/opportunities/{OPP}/{route}"))
            .and(body_json(json!({ field: ["x"] })))
            .respond_with(reply(200, json!({"data": opportunity(OPP)})))
            .expect(1)
            .mount(&server)
            .await;
    }

    let new = NewOpportunity {
        name: Some("Shane Smith".into()),
        emails: vec!["shane@exampleq3.com".into()],
        origin: Some(Origin::Sourced),
        tags: vec!["Customer Success".into()],
        ..NewOpportunity::default()
    };
    let options = CreateOpportunityOptions {
        parse: Some(true),
        perform_as_posting_owner: Some(false),
    };
    let created = client
        .create_opportunity(&new, USER, &options)
        .await
        .unwrap();
    assert_eq!(created.id, OPP);
    client.update_stage(OPP, "offer", Some(USER)).await.unwrap();
    client
        .update_archived(
            OPP,
            Some("63dd55b2-a99f-4e7b-985f-22c7bf80ab42"),
            Some(true),
            Some("req-1"),
            None,
        )
        .await
        .unwrap();
    client
        .update_archived(OPP, None, None, None, None)
        .await
        .unwrap();
    for list in [
        OpportunityList::Links,
        OpportunityList::Tags,
        OpportunityList::Sources,
    ] {
        client
            .add_to_opportunity(OPP, list, &["x"], None)
            .await
            .unwrap();
        client
            .remove_from_opportunity(OPP, list, &["x"], None)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn applications_and_contacts() {
    let (server, client) = setup().await;
    let application = json!({
        "id": "cdb25b3d-5e84-43c3-a4f8-f36e9b6a9e0f", "opportunityId": OPP, "candidateId": OPP,
        "createdAt": 1417586757260_i64, "type": "posting",
        "posting": "f2f01e16-27f8-4711-a728-7d49499795a0", "user": null, "name": "Shane Smith",
        "email": "shane@exampleq3.com", "phone": {"type": null, "value": "(123) 456-7891"},
        "customQuestions": [], "archived": null, "requisitionForHire": null});
    on("GET", &format!("/opportunities/{OPP}/applications"))
        .respond_with(reply(
            200,
            json!({"data": [application.clone()], "hasNext": false}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    on(
        "GET",
        &format!("/opportunities/{OPP}/applications/cdb25b3d-5e84-43c3-a4f8-f36e9b6a9e0f"),
    )
    .respond_with(reply(200, json!({ "data": application })))
    .expect(1)
    .mount(&server)
    .await;
    on("PUT", "/contacts/7f23e772-a2e6-4b64-a4d4-ae9e0dfd8d26")
        .and(body_json(
            json!({"name": "Shane Smith", "location": {"name": "Oakland"},
                              "emails": ["shane@exampleq3.com"], "phones": []}),
        ))
        .respond_with(reply(
            200,
            json!({"data": {
            "id": "7f23e772-a2e6-4b64-a4d4-ae9e0dfd8d26", "name": "Shane Smith",
            "headline": null, "location": {"name": "Oakland"},
            "emails": ["shane@exampleq3.com"], "phones": [], "isAnonymized": false}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let apps: Vec<_> = client.applications(OPP).try_collect().await.unwrap();
    assert_eq!(apps[0].opportunity_id.as_deref(), Some(OPP));
    assert_eq!(apps[0].extra["email"], "shane@exampleq3.com");
    let app = client
        .application(OPP, "cdb25b3d-5e84-43c3-a4f8-f36e9b6a9e0f")
        .await
        .unwrap();
    assert_eq!(
        app.posting.unwrap().id(),
        "f2f01e16-27f8-4711-a728-7d49499795a0"
    );
    let update = ContactUpdate {
        name: Some("Shane Smith".into()),
        location: serde_json::from_value(json!({"name": "Oakland"})).unwrap(),
        emails: vec!["shane@exampleq3.com".into()],
        ..ContactUpdate::default()
    };
    let contact = client
        .update_contact("7f23e772-a2e6-4b64-a4d4-ae9e0dfd8d26", &update)
        .await
        .unwrap();
    assert_eq!(contact.emails, ["shane@exampleq3.com"]);
}

fn interview_json(id: &str) -> Value {
    json!({"id": id, "panel": "1d5d4a8c-8a5a-4c4a-a4a0-2b6d2b0f6b4f", "subject": "On-site",
           "interviewers": [{"id": USER, "name": "Chandler Bing", "email": "chandler@example.com",
                             "feedbackTemplate": null}],
           "timezone": "America/Los_Angeles", "createdAt": 1423187000000_i64,
           "date": 1423187000000_i64, "duration": 30, "location": "Room 1",
           "feedbackReminder": "frequently", "canceledAt": null, "postings": []})
}

#[tokio::test]
async fn interview_and_panel_writes_unwrap_the_double_data() {
    let (server, client) = setup().await;
    // LD shows create/update answers wrapped twice.
    let twice = |v: Value| json!({"data": {"data": [v], "hasNext": false}});
    on("POST", &format!("/opportunities/{OPP}/interviews"))
        .and(query_param("perform_as", USER))
        .and(body_partial_json(json!({
            "panel": "1d5d4a8c-8a5a-4c4a-a4a0-2b6d2b0f6b4f", "duration": 30,
            "date": 1423187000000_i64, "interviewers": [{"id": USER}]})))
        .respond_with(reply(201, twice(interview_json("i-1"))))
        .expect(1)
        .mount(&server)
        .await;
    on("PUT", &format!("/opportunities/{OPP}/interviews/i-1"))
        .and(query_param("perform_as", USER))
        .and(body_partial_json(json!({"subject": "Moved"})))
        .respond_with(reply(200, twice(interview_json("i-1"))))
        .expect(1)
        .mount(&server)
        .await;
    on("DELETE", &format!("/opportunities/{OPP}/interviews/i-1"))
        .and(query_param("perform_as", USER))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let panel = json!({"id": "1d5d4a8c-8a5a-4c4a-a4a0-2b6d2b0f6b4f", "applications": [],
        "canceledAt": null, "createdAt": 1423187000000_i64, "timezone": "America/Los_Angeles",
        "externallyManaged": true, "externalUrl": "https://example.com/p/1",
        "interviews": [interview_json("i-1")]});
    on("POST", &format!("/opportunities/{OPP}/panels"))
        .and(query_param("perform_as", USER))
        .and(body_partial_json(json!({"timezone": "America/Los_Angeles",
            "externalUrl": "https://example.com/p/1",
            "interviews": [{"duration": 30, "interviewers": [{"id": USER}]}]})))
        .respond_with(reply(201, twice(panel.clone())))
        .expect(1)
        .mount(&server)
        .await;
    on(
        "PUT",
        &format!("/opportunities/{OPP}/panels/1d5d4a8c-8a5a-4c4a-a4a0-2b6d2b0f6b4f"),
    )
    .and(body_partial_json(json!({"interviews": [{"id": "i-1"}]})))
    .respond_with(reply(200, twice(panel)))
    .expect(1)
    .mount(&server)
    .await;
    on(
        "DELETE",
        &format!("/opportunities/{OPP}/panels/1d5d4a8c-8a5a-4c4a-a4a0-2b6d2b0f6b4f"),
    )
    .and(query_param("perform_as", USER))
    .respond_with(ResponseTemplate::new(204))
    .expect(1)
    .mount(&server)
    .await;

    let mut request = InterviewRequest::new(
        "1d5d4a8c-8a5a-4c4a-a4a0-2b6d2b0f6b4f",
        ms(1423187000000),
        30,
        [USER],
    );
    let created = client.create_interview(OPP, &request, USER).await.unwrap();
    assert_eq!(created.id, "i-1");
    assert_eq!(created.interviewers[0].id, USER);
    request.subject = Some("Moved".into());
    client
        .update_interview(OPP, "i-1", &request, USER)
        .await
        .unwrap();
    client.delete_interview(OPP, "i-1", USER).await.unwrap();

    let mut panel = PanelRequest {
        applications: vec![],
        timezone: "America/Los_Angeles".into(),
        feedback_reminder: None,
        note: None,
        external_url: Some("https://example.com/p/1".into()),
        interviews: vec![PanelInterview {
            id: None,
            subject: None,
            note: None,
            interviewers: vec![InterviewerRef::new(USER)],
            date: Some(ms(1423187000000)),
            duration: 30,
            location: None,
            feedback_template: None,
        }],
        extra: Default::default(),
    };
    let created = client.create_panel(OPP, &panel, USER).await.unwrap();
    assert_eq!(created.externally_managed, Some(true));
    assert_eq!(created.interviews.len(), 1);
    panel.interviews[0].id = Some("i-1".into());
    client
        .update_panel(OPP, "1d5d4a8c-8a5a-4c4a-a4a0-2b6d2b0f6b4f", &panel, USER)
        .await
        .unwrap();
    client
        .delete_panel(OPP, "1d5d4a8c-8a5a-4c4a-a4a0-2b6d2b0f6b4f", USER)
        .await
        .unwrap();
}

#[tokio::test]
async fn note_update_and_delete() {
    let (server, client) = setup().await;
    on(
        "PUT",
        &format!("/opportunities/{OPP}/notes/915a6cef-4f91-4f3d-b8ff-a49e1eae2c30"),
    )
    .and(body_json(
        json!({"values": [{"value": "Edited summary"}], "score": 3}),
    ))
    .respond_with(reply(
        200,
        json!({"data": {"noteId": "915a6cef-4f91-4f3d-b8ff-a49e1eae2c30"}}),
    ))
    .expect(1)
    .mount(&server)
    .await;
    on(
        "DELETE",
        &format!("/opportunities/{OPP}/notes/915a6cef-4f91-4f3d-b8ff-a49e1eae2c30"),
    )
    .respond_with(ResponseTemplate::new(204))
    .expect(1)
    .mount(&server)
    .await;
    let update = NoteUpdate {
        values: vec![NoteComment::new("Edited summary")],
        score: Some(NoteScore::Yes),
        ..NoteUpdate::default()
    };
    let done = client
        .update_note(OPP, "915a6cef-4f91-4f3d-b8ff-a49e1eae2c30", &update)
        .await
        .unwrap();
    assert_eq!(done.note_id, "915a6cef-4f91-4f3d-b8ff-a49e1eae2c30");
    client
        .delete_note(OPP, "915a6cef-4f91-4f3d-b8ff-a49e1eae2c30")
        .await
        .unwrap();
    let empty = NoteUpdate {
        values: vec![NoteComment::new("  ")],
        ..NoteUpdate::default()
    };
    assert!(matches!(
        client.update_note(OPP, "n", &empty).await,
        Err(lever_client::Error::InvalidInput(_))
    ));
}

fn form_json(id: &str, kind: &str) -> Value {
    json!({"id": id, "type": kind, "text": "Code Review", "instructions": "Ask about Go",
           "baseTemplateId": "d3b4f8a6-6c27-4b1d-b6a4-2f2f6b1b4a11", "user": USER,
           "panel": "1d5d4a8c-8a5a-4c4a-a4a0-2b6d2b0f6b4f", "interview": "i-1",
           "fields": [
               {"type": "score-system", "text": "Rating", "description": "", "required": true,
                "id": "f-1", "value": "4 - Strong Hire", "options": [{"text": "4 - Strong Hire"}]},
               {"type": "textarea", "text": "Notes", "required": false, "id": "f-2", "value": null}],
           "createdAt": 1423187000000_i64, "completedAt": 1423187001000_i64,
           "deletedAt": null, "stage": "offer"})
}

#[tokio::test]
async fn feedback_profile_forms_and_referrals() {
    let (server, client) = setup().await;
    on("GET", &format!("/opportunities/{OPP}/feedback"))
        .respond_with(reply(
            200,
            json!({"data": [form_json("fb-1", "interview")], "hasNext": false}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    on("GET", &format!("/opportunities/{OPP}/feedback/fb-1"))
        .respond_with(reply(200, json!({"data": form_json("fb-1", "interview")})))
        .expect(1)
        .mount(&server)
        .await;
    // LD's create-feedback answer has no `data` envelope.
    on("POST", &format!("/opportunities/{OPP}/feedback"))
        .and(query_param("perform_as", USER))
        .and(body_json(
            json!({"baseTemplateId": "d3b4f8a6-6c27-4b1d-b6a4-2f2f6b1b4a11",
            "interview": "i-1", "fieldValues": [{"id": "f-1", "value": "4 - Strong Hire"}]}),
        ))
        .respond_with(reply(201, form_json("fb-1", "interview")))
        .expect(1)
        .mount(&server)
        .await;
    on("PUT", &format!("/opportunities/{OPP}/feedback/fb-1"))
        .and(query_param("perform_as", USER))
        .respond_with(reply(200, json!({"data": form_json("fb-1", "interview")})))
        .expect(1)
        .mount(&server)
        .await;
    on("DELETE", &format!("/opportunities/{OPP}/feedback/fb-1"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    on("GET", &format!("/opportunities/{OPP}/forms"))
        .respond_with(reply(200, json!({"data": [form_json("pf-1", "form")]})))
        .expect(1)
        .mount(&server)
        .await;
    on("GET", &format!("/opportunities/{OPP}/forms/pf-1"))
        .respond_with(reply(200, json!({"data": form_json("pf-1", "form")})))
        .expect(1)
        .mount(&server)
        .await;
    on("POST", &format!("/opportunities/{OPP}/forms"))
        .and(query_param("perform_as", USER))
        .and(body_partial_json(json!({"secret": true})))
        .respond_with(reply(201, json!({"data": form_json("pf-1", "form")})))
        .expect(1)
        .mount(&server)
        .await;
    let mut referral = form_json("rf-1", "referral");
    referral["referrer"] = json!(USER);
    on("GET", &format!("/opportunities/{OPP}/referrals"))
        .respond_with(reply(
            200,
            json!({"data": [referral.clone()], "hasNext": false}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    on("GET", &format!("/opportunities/{OPP}/referrals/rf-1"))
        .respond_with(reply(200, json!({ "data": referral })))
        .expect(1)
        .mount(&server)
        .await;

    let all: Vec<_> = client.feedback(OPP).try_collect().await.unwrap();
    assert_eq!(all[0].fields[0].value, "4 - Strong Hire");
    assert_eq!(all[0].fields[1].value, Value::Null);
    assert_eq!(all[0].kind.as_deref(), Some("interview"));
    client.feedback_form(OPP, "fb-1").await.unwrap();
    let submission = FormSubmission {
        base_template_id: Some("d3b4f8a6-6c27-4b1d-b6a4-2f2f6b1b4a11".into()),
        interview: Some("i-1".into()),
        field_values: vec![FieldValue {
            id: "f-1".into(),
            value: json!("4 - Strong Hire"),
        }],
        ..FormSubmission::default()
    };
    let created = client
        .create_feedback(OPP, &submission, USER)
        .await
        .unwrap();
    assert_eq!(created.id, "fb-1");
    client
        .update_feedback(OPP, "fb-1", &submission, USER)
        .await
        .unwrap();
    client.delete_feedback(OPP, "fb-1", None).await.unwrap();
    assert!(matches!(
        client
            .create_feedback(OPP, &FormSubmission::default(), USER)
            .await,
        Err(lever_client::Error::InvalidInput(_))
    ));

    let forms: Vec<_> = client.profile_forms(OPP).try_collect().await.unwrap();
    assert_eq!(forms[0].kind.as_deref(), Some("form"));
    client.profile_form(OPP, "pf-1").await.unwrap();
    let form = FormSubmission {
        secret: Some(true),
        ..submission.clone()
    };
    client.create_profile_form(OPP, &form, USER).await.unwrap();

    let referrals: Vec<_> = client.referrals(OPP).try_collect().await.unwrap();
    assert_eq!(referrals[0].referrer.as_ref().unwrap().id(), USER);
    client.referral(OPP, "rf-1").await.unwrap();
}

#[tokio::test]
async fn feedback_and_profile_form_templates() {
    let (server, client) = setup().await;
    let template = json!({"id": "d3b4f8a6-6c27-4b1d-b6a4-2f2f6b1b4a11", "text": "Code Review",
        "instructions": "Ask about Go", "group": {"id": "g-1", "name": "Engineering"},
        "stage": null, "createdAt": 1423187000000_i64, "updatedAt": 1423187000000_i64,
        "fields": [{"type": "yes-no", "text": "Hire?", "required": true, "id": "f-1"}]});
    for base in ["feedback_templates", "form_templates"] {
        on("GET", &format!("/{base}"))
            .respond_with(reply(
                200,
                json!({"data": [template.clone()], "hasNext": false}),
            ))
            .expect(1)
            .mount(&server)
            .await;
        on(
            "GET",
            &format!("/{base}/d3b4f8a6-6c27-4b1d-b6a4-2f2f6b1b4a11"),
        )
        .respond_with(reply(200, json!({"data": template.clone()})))
        .expect(1)
        .mount(&server)
        .await;
        // LD's create-template answer lacks the envelope; update has it.
        on("POST", &format!("/{base}"))
            .and(body_json(json!({"text": "Code Review", "group": "g-1",
                "fields": [{"type": "yes-no", "text": "Hire?"}]})))
            .respond_with(reply(201, template.clone()))
            .expect(1)
            .mount(&server)
            .await;
        on(
            "PUT",
            &format!("/{base}/d3b4f8a6-6c27-4b1d-b6a4-2f2f6b1b4a11"),
        )
        .respond_with(reply(200, json!({"data": template.clone()})))
        .expect(1)
        .mount(&server)
        .await;
        on(
            "DELETE",
            &format!("/{base}/d3b4f8a6-6c27-4b1d-b6a4-2f2f6b1b4a11"),
        )
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    }
    let request = FormTemplateRequest {
        text: "Code Review".into(),
        group: Some("g-1".into()),
        fields: vec![json!({"type": "yes-no", "text": "Hire?"})],
        ..FormTemplateRequest::default()
    };
    let id = "d3b4f8a6-6c27-4b1d-b6a4-2f2f6b1b4a11";

    let all: Vec<_> = client.feedback_templates().try_collect().await.unwrap();
    assert_eq!(all[0].group.as_ref().unwrap()["name"], "Engineering");
    client.feedback_template(id).await.unwrap();
    let created = client.create_feedback_template(&request).await.unwrap();
    assert_eq!(created.fields[0].kind.as_deref(), Some("yes-no"));
    client.update_feedback_template(id, &request).await.unwrap();
    client.delete_feedback_template(id).await.unwrap();

    let all: Vec<_> = client.form_templates().try_collect().await.unwrap();
    assert_eq!(all[0].id, id);
    client.form_template(id).await.unwrap();
    client.create_form_template(&request).await.unwrap();
    client.update_form_template(id, &request).await.unwrap();
    client.delete_form_template(id).await.unwrap();
}

#[tokio::test]
async fn files_resumes_offers_and_uploads() {
    let (server, client) = setup().await;
    let file = json!({"id": "f3e2c2b0-9a1e-4c8e-b5d4-8b9c0f1a2b3c",
        "downloadUrl": format!("https://api.lever.co/v1/opportunities/{OPP}/files/f3e2c2b0-9a1e-4c8e-b5d4-8b9c0f1a2b3c/download"),
        "ext": "pdf", "name": "Offer letter.pdf", "uploadedAt": "1468953420000",
        "status": "processed", "size": 1024});
    // LD's files list example is a bare array, without `data`.
    on("GET", &format!("/opportunities/{OPP}/files"))
        .respond_with(reply(200, json!([file.clone()])))
        .expect(1)
        .mount(&server)
        .await;
    on(
        "GET",
        &format!("/opportunities/{OPP}/files/f3e2c2b0-9a1e-4c8e-b5d4-8b9c0f1a2b3c"),
    )
    .respond_with(reply(200, json!({"data": file.clone()})))
    .expect(1)
    .mount(&server)
    .await;
    on(
        "GET",
        &format!("/opportunities/{OPP}/files/f3e2c2b0-9a1e-4c8e-b5d4-8b9c0f1a2b3c/download"),
    )
    .respond_with(
        ResponseTemplate::new(200).set_body_raw(b"%PDF-1.4 offer".to_vec(), "application/pdf"),
    )
    .expect(1)
    .mount(&server)
    .await;
    on("POST", &format!("/opportunities/{OPP}/files"))
        .and(query_param("perform_as", USER))
        .and(header_regex(
            "content-type",
            "^multipart/form-data; boundary=lever-client-",
        ))
        .and(body_string_contains("filename=\"Offer letter.pdf\""))
        .and(body_string_contains("%PDF-1.4 offer"))
        .respond_with(reply(201, json!({"data": file.clone()})))
        .expect(1)
        .mount(&server)
        .await;
    on(
        "DELETE",
        &format!("/opportunities/{OPP}/files/f3e2c2b0-9a1e-4c8e-b5d4-8b9c0f1a2b3c"),
    )
    .and(query_param("perform_as", USER))
    .respond_with(ResponseTemplate::new(204))
    .expect(1)
    .mount(&server)
    .await;
    let resume = json!({"id": "5d5b6b04-6d8e-4b53-b0a1-3cb8b1b1d2e9", "createdAt": 1468953420000_i64,
        "file": {"name": "Resume.pdf", "ext": "pdf", "downloadUrl": "https://x/download",
                 "uploadedAt": 1468953420000_i64, "status": "processed", "size": 2048},
        "parsedData": {"positions": [{"org": "Brickly LLC", "title": "Engineer"}], "schools": []}});
    on("GET", &format!("/opportunities/{OPP}/resumes"))
        .respond_with(reply(200, json!({"data": [resume.clone()]})))
        .expect(1)
        .mount(&server)
        .await;
    on(
        "GET",
        &format!("/opportunities/{OPP}/resumes/5d5b6b04-6d8e-4b53-b0a1-3cb8b1b1d2e9"),
    )
    .respond_with(reply(200, json!({ "data": resume })))
    .expect(1)
    .mount(&server)
    .await;
    on(
        "GET",
        &format!("/opportunities/{OPP}/resumes/5d5b6b04-6d8e-4b53-b0a1-3cb8b1b1d2e9/download"),
    )
    .respond_with(ResponseTemplate::new(422).set_body_json(json!({
            "code": "UnprocessableEntity", "message": "File could not be processed"})))
    .expect(1)
    .mount(&server)
    .await;
    let offer = json!({"id": "0c2a8c2e-7d2a-4a8a-9a8d-2d2f7a8b9c0d", "createdAt": 1468953420000_i64,
        "status": "signed", "creator": USER,
        "fields": [{"text": "Salary", "identifier": "salary_amount", "value": 100000}],
        "signatures": {"candidate": {"email": "shane@exampleq3.com", "signed": true}},
        "approved": true, "approvedAt": 1468953420000_i64, "sentAt": 1468953420000_i64,
        "sentDocument": {"fileName": "offer.pdf"}, "signedDocument": null});
    on("GET", &format!("/opportunities/{OPP}/offers"))
        .respond_with(reply(200, json!({"data": [offer], "hasNext": false})))
        .expect(1)
        .mount(&server)
        .await;
    on(
        "GET",
        &format!("/opportunities/{OPP}/offers/0c2a8c2e-7d2a-4a8a-9a8d-2d2f7a8b9c0d/download"),
    )
    .and(query_param("status", "signed"))
    .respond_with(ResponseTemplate::new(200).set_body_raw(b"signed".to_vec(), "application/pdf"))
    .expect(1)
    .mount(&server)
    .await;
    on("POST", "/uploads")
        .and(body_string_contains("name=\"file\"; filename=\"cv.pdf\""))
        .respond_with(reply(
            200,
            json!({"data": {
            "uri": "https://api.lever.co/v1/uploads/083d56ef-cv.pdf", "filename": "cv.pdf",
            "expiresAt": 1468953420000_i64}}),
        ))
        .expect(1)
        .mount(&server)
        .await;

    let files: Vec<_> = client.files(OPP).try_collect().await.unwrap();
    assert_eq!(
        files[0].uploaded_at.unwrap().timestamp_millis(),
        1468953420000
    );
    let one = client
        .file(OPP, "f3e2c2b0-9a1e-4c8e-b5d4-8b9c0f1a2b3c")
        .await
        .unwrap();
    assert_eq!(one.size, Some(1024));
    let download = client
        .download_file(OPP, "f3e2c2b0-9a1e-4c8e-b5d4-8b9c0f1a2b3c")
        .await
        .unwrap();
    assert_eq!(download.content_type.as_deref(), Some("application/pdf"));
    assert_eq!(download.bytes().await.unwrap(), b"%PDF-1.4 offer");
    let upload = FileUpload::new(
        "Offer letter.pdf",
        "application/pdf",
        b"%PDF-1.4 offer".to_vec(),
    );
    client.upload_file(OPP, &upload, USER).await.unwrap();
    client
        .delete_file(OPP, "f3e2c2b0-9a1e-4c8e-b5d4-8b9c0f1a2b3c", Some(USER))
        .await
        .unwrap();

    let resumes: Vec<_> = client.resumes(OPP).try_collect().await.unwrap();
    assert_eq!(
        resumes[0].file.as_ref().unwrap().name.as_deref(),
        Some("Resume.pdf")
    );
    client
        .resume(OPP, "5d5b6b04-6d8e-4b53-b0a1-3cb8b1b1d2e9")
        .await
        .unwrap();
    let err = client
        .download_resume(OPP, "5d5b6b04-6d8e-4b53-b0a1-3cb8b1b1d2e9")
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(422));

    let offers: Vec<_> = client.offers(OPP).try_collect().await.unwrap();
    assert_eq!(
        offers[0].fields[0].identifier.as_deref(),
        Some("salary_amount")
    );
    assert_eq!(offers[0].status.as_deref(), Some("signed"));
    let mut chunks = client
        .download_offer(OPP, "0c2a8c2e-7d2a-4a8a-9a8d-2d2f7a8b9c0d", Some("signed"))
        .await
        .unwrap();
    let mut body = Vec::new();
    while let Some(chunk) = chunks.next().await {
        body.extend(chunk.unwrap());
    }
    assert_eq!(body, b"signed");

    let uploaded = client
        .upload(&FileUpload::new(
            "cv.pdf",
            "application/pdf",
            b"cv".to_vec(),
        ))
        .await
        .unwrap();
    assert_eq!(uploaded.filename.as_deref(), Some("cv.pdf"));
}

#[tokio::test]
async fn requisitions_and_fields() {
    let (server, client) = setup().await;
    let requisition = json!({"id": "r-1", "requisitionCode": "ENG-145", "name": "Platform engineer",
        "backfill": false, "confidentiality": "non-confidential", "createdAt": 1468953420000_i64,
        "creator": USER, "owner": USER, "hiringManager": USER, "headcountHired": 0,
        "headcountTotal": "unlimited", "status": "open",
        "compensationBand": {"currency": "USD", "interval": "per-year-salary", "min": 1, "max": 2},
        "employmentStatus": "full-time", "location": "Oakland", "internalNotes": null,
        "postings": ["f2f01e16-27f8-4711-a728-7d49499795a0"], "department": "Engineering",
        "team": "Platform", "offerIds": null, "approval": null,
        "customFields": {"cost_center": "Oakland"}});
    on("GET", "/requisitions")
        .and(query_param("requisition_code", "ENG-145"))
        .and(query_param("status", "open"))
        .and(query_param("created_at_start", "1468953420000"))
        .and(query_param("confidentiality", "all"))
        .respond_with(reply(
            200,
            json!({"data": [requisition.clone()], "hasNext": false}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    on("GET", "/requisitions/r-1")
        .respond_with(reply(200, json!({"data": requisition.clone()})))
        .expect(1)
        .mount(&server)
        .await;
    // Shaped like a recorded sandbox answer: object custom fields, `approval.steps`.
    let created = json!({"id": "5e0f2b8a-4c1d-4f2e-9a7b-3c6d8e9f0a1b", "requisitionCode": "ENG-146",
        "name": "Data engineer", "backfill": true, "createdAt": 1452306348935_i64,
        "creator": USER, "headcountHired": 0, "headcountTotal": 2, "owner": USER,
        "status": "open", "hiringManager": USER, "approval": {"steps": []},
        "compensationBand": {"currency": "EUR", "interval": "per-year-salary", "min": 1, "max": 2},
        "employmentStatus": "full-time", "location": "Berlin", "internalNotes": "", "postings": [],
        "team": "Data", "offerIds": [],
        "customFields": {"cost_center": {"city": "Berlin", "campus_code": "3"},
                         "target_hire_date": 1452067200000_i64}});
    on("POST", "/requisitions")
        .and(body_json(
            json!({"requisitionCode": "ENG-145", "headcountTotal": 1}),
        ))
        .respond_with(reply(201, json!({ "data": created })))
        .expect(1)
        .mount(&server)
        .await;
    on("PUT", "/requisitions/r-1")
        .respond_with(reply(200, json!({"data": requisition})))
        .expect(1)
        .mount(&server)
        .await;
    on("DELETE", "/requisitions/r-1")
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let field = json!({"id": "cost_center", "text": "Cost center", "type": "object",
        "isRequired": true, "options": [{"id": "o-1", "text": "Oakland"}],
        "subfields": [{"id": "city", "text": "City", "type": "text"},
                      {"id": "campus_code", "text": "Campus code", "type": "number"}]});
    on("GET", "/requisition_fields")
        .respond_with(reply(
            200,
            json!({"data": [field.clone()], "hasNext": false}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    for (verb, p, body) in [
        ("GET", "/requisition_fields/cost_center", None),
        (
            "POST",
            "/requisition_fields",
            Some(json!({"id": "cost_center", "text": "Cost center", "type": "object"})),
        ),
        (
            "PUT",
            "/requisition_fields/cost_center",
            Some(json!({"text": "Cost centre"})),
        ),
        (
            "POST",
            "/requisition_fields/cost_center/options",
            Some(json!({"values": [{"text": "Paris"}]})),
        ),
        (
            "PUT",
            "/requisition_fields/cost_center/options",
            Some(json!({"values": [{"id": "o-1", "text": "SF"}]})),
        ),
    ] {
        let mut mock = on(verb, p);
        if let Some(body) = body {
            mock = mock.and(body_json(body));
        }
        mock.respond_with(reply(200, json!({"data": field.clone()})))
            .expect(1)
            .mount(&server)
            .await;
    }
    on("DELETE", "/requisition_fields/cost_center/options")
        .and(body_json(json!({"values": [{"id": "o-1"}]})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    on("DELETE", "/requisition_fields/cost_center")
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let query = RequisitionQuery::new()
        .requisition_code("ENG-145")
        .status("open")
        .created_at_start(ms(1468953420000))
        .confidentiality("all");
    let all: Vec<_> = client.requisitions(&query).try_collect().await.unwrap();
    assert_eq!(all[0].custom_fields["cost_center"], "Oakland");
    assert!(all[0].offer_ids.is_empty(), "null list reads as empty");
    assert_eq!(all[0].headcount_total, Some(json!("unlimited")));
    client.requisition("r-1").await.unwrap();
    let made = client
        .create_requisition(&json!({"requisitionCode": "ENG-145", "headcountTotal": 1}))
        .await
        .unwrap();
    assert_eq!(made.custom_fields["cost_center"]["city"], "Berlin");
    assert_eq!(made.approval.as_ref().unwrap()["steps"], json!([]));
    client
        .update_requisition("r-1", &json!({"name": "x"}))
        .await
        .unwrap();
    client.delete_requisition("r-1").await.unwrap();
    assert!(matches!(
        client.create_requisition(&json!([1])).await,
        Err(lever_client::Error::InvalidInput(_))
    ));

    let fields: Vec<_> = client.requisition_fields().try_collect().await.unwrap();
    assert_eq!(fields[0].is_required, Some(true));
    assert_eq!(fields[0].subfields[1].kind.as_deref(), Some("number"));
    client.requisition_field("cost_center").await.unwrap();
    client
        .create_requisition_field(
            &json!({"id": "cost_center", "text": "Cost center", "type": "object"}),
        )
        .await
        .unwrap();
    client
        .update_requisition_field("cost_center", &json!({"text": "Cost centre"}))
        .await
        .unwrap();
    client
        .add_requisition_field_options("cost_center", &["Paris"])
        .await
        .unwrap();
    client
        .update_requisition_field_options("cost_center", &[("o-1", "SF")])
        .await
        .unwrap();
    client
        .delete_requisition_field_options("cost_center", &["o-1"])
        .await
        .unwrap();
    client
        .delete_requisition_field("cost_center")
        .await
        .unwrap();
}

#[tokio::test]
async fn postings_with_filters_writes_and_apply() {
    let (server, client) = setup().await;
    let posting = json!({"id": "f2f01e16-27f8-4711-a728-7d49499795a0", "text": "Platform engineer",
        "state": "published", "distributionChannels": ["public", "internal"],
        "confidentiality": "non-confidential", "categories": {"team": "Platform",
        "department": "Engineering", "location": "Oakland", "allLocations": ["Oakland"],
        "commitment": "Full-time", "level": "Senior"}, "tags": [], "workplaceType": "hybrid",
        "content": {"description": "Build things", "lists": []}});
    let mut mock = on("GET", "/postings");
    for (k, v) in [
        ("state", "published"),
        ("distributionChannel", "internal"),
        ("confidentiality", "all"),
        ("team", "Platform"),
        ("department", "Engineering"),
        ("location", "Oakland"),
        ("commitment", "Full-time"),
        ("level", "Senior"),
        ("tag", "remote-ok"),
        ("updated_at_start", "1468953420000"),
        ("include", "content"),
        ("expand", "owner"),
    ] {
        mock = mock.and(query_param(k, v));
    }
    mock.respond_with(reply(
        200,
        json!({"data": [posting.clone()], "hasNext": false}),
    ))
    .expect(1)
    .mount(&server)
    .await;
    on("POST", "/postings")
        .and(query_param("perform_as", USER))
        .and(body_json(
            json!({"text": "Platform engineer", "state": "draft"}),
        ))
        .respond_with(reply(201, json!({"data": posting.clone()})))
        .expect(1)
        .mount(&server)
        .await;
    on("POST", "/postings/f2f01e16-27f8-4711-a728-7d49499795a0")
        .and(query_param("perform_as", USER))
        .respond_with(reply(200, json!({"data": posting})))
        .expect(1)
        .mount(&server)
        .await;
    on(
        "GET",
        "/postings/f2f01e16-27f8-4711-a728-7d49499795a0/apply",
    )
    .respond_with(reply(
        200,
        json!({"data": {"id": "f2f01e16-27f8-4711-a728-7d49499795a0",
            "text": "Platform engineer",
            "customQuestions": [{"id": "cq-1", "text": "Visa", "fields": []}],
            "eeoQuestions": null,
            "personalInformation": [{"name": "fullName", "required": true}],
            "urls": [{"name": "LinkedIn", "required": false}]}}),
    ))
    .expect(1)
    .mount(&server)
    .await;
    on(
        "POST",
        "/postings/f2f01e16-27f8-4711-a728-7d49499795a0/apply",
    )
    .and(query_param("send_confirmation_email", "true"))
    .and(body_partial_json(
        json!({"personalInformation": [{"name": "fullName", "value": "Shane Smith"}]}),
    ))
    .respond_with(reply(
        200,
        json!({"data": {"applicationId": "cdb25b3d-5e84-43c3-a4f8-f36e9b6a9e0f"}}),
    ))
    .expect(1)
    .mount(&server)
    .await;

    let query = PostingQuery::new()
        .state(PostingState::Published)
        .distribution_channel("internal")
        .confidentiality(ConfidentialityFilter::All)
        .team("Platform")
        .department("Engineering")
        .location("Oakland")
        .commitment("Full-time")
        .level("Senior")
        .tag("remote-ok")
        .updated_at_start(ms(1468953420000))
        .include("content")
        .expand("owner");
    let postings: Vec<_> = client.postings(&query).try_collect().await.unwrap();
    assert_eq!(
        postings[0].categories.as_ref().unwrap().level.as_deref(),
        Some("Senior")
    );
    client
        .create_posting(
            &json!({"text": "Platform engineer", "state": "draft"}),
            USER,
        )
        .await
        .unwrap();
    client
        .update_posting(
            "f2f01e16-27f8-4711-a728-7d49499795a0",
            &json!({"text": "x"}),
            USER,
        )
        .await
        .unwrap();
    let questions = client
        .application_questions("f2f01e16-27f8-4711-a728-7d49499795a0")
        .await
        .unwrap();
    assert_eq!(questions.personal_information[0]["name"], "fullName");
    let applied = client
        .apply_to_posting(
            "f2f01e16-27f8-4711-a728-7d49499795a0",
            &json!({"personalInformation": [{"name": "fullName", "value": "Shane Smith"}]}),
            Some(true),
        )
        .await
        .unwrap();
    assert_eq!(
        applied.application_id.as_deref(),
        Some("cdb25b3d-5e84-43c3-a4f8-f36e9b6a9e0f")
    );
}

#[tokio::test]
async fn sources_tags_and_archive_reasons_by_type() {
    let (server, client) = setup().await;
    on("GET", "/sources")
        .respond_with(reply(
            200,
            json!({"data": [{"text": "linkedin", "count": 12}], "hasNext": false}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    on("GET", "/tags")
        .respond_with(reply(
            200,
            json!({"data": [{"text": "Customer Success", "count": 3}]}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    // LD's `?type=hired` example answers with one object, not a list.
    on("GET", "/archive_reasons")
        .and(query_param("type", "hired"))
        .respond_with(reply(
            200,
            json!({"data": {"id": "63dd55b2-a99f-4e7b-985f-22c7bf80ab42",
            "text": "Hired", "status": "active", "type": "hired"}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    on("GET", "/archive_reasons")
        .and(query_param("type", "non-hired"))
        .respond_with(reply(
            200,
            json!({"data": [
            {"id": "a1", "text": "Underqualified", "status": "active", "type": "non-hired"},
            {"id": "a2", "text": "Withdrew", "status": "inactive", "type": "non-hired"}]}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let sources: Vec<_> = client.sources().try_collect().await.unwrap();
    assert_eq!(
        (sources[0].text.as_str(), sources[0].count),
        ("linkedin", Some(12))
    );
    let tags: Vec<_> = client.tags().try_collect().await.unwrap();
    assert_eq!(tags[0].text, "Customer Success");
    let hired = client
        .archive_reasons_of_type(&ArchiveReasonType::Hired)
        .await
        .unwrap();
    assert_eq!(hired.len(), 1);
    assert_eq!(hired[0].text.as_deref(), Some("Hired"));
    let others = client
        .archive_reasons_of_type(&ArchiveReasonType::NonHired)
        .await
        .unwrap();
    assert_eq!(others.len(), 2);
}

fn user_json(deactivated: Option<i64>) -> Value {
    json!({"id": USER, "name": "Chandler Bing", "username": "chandler",
           "email": "chandler@example.com", "createdAt": 1478030090000_i64,
           "deactivatedAt": deactivated, "accessRole": "admin", "photo": null,
           "externalDirectoryId": "ext-42", "linkedContactIds": null,
           "jobTitle": "IT procurements manager", "managerId": null})
}

#[tokio::test]
async fn users_filters_and_writes() {
    let (server, client) = setup().await;
    on("GET", "/users")
        .and(query_param("accessRole[]", "super admin"))
        .and(query_param("accessRole[]", "admin"))
        .and(query_param("external_directory_id", "ext-42"))
        .and(query_param("includeDeactivated", "true"))
        .respond_with(reply(200, json!({"data": [user_json(None)]})))
        .expect(1)
        .mount(&server)
        .await;
    on("POST", "/users")
        .and(body_json(
            json!({"name": "Chandler Bing", "email": "chandler@example.com",
            "accessRole": "admin", "jobTitle": "IT procurements manager"}),
        ))
        .respond_with(reply(201, json!({"data": user_json(None)})))
        .expect(1)
        .mount(&server)
        .await;
    on("PUT", &format!("/users/{USER}"))
        .respond_with(reply(200, json!({"data": user_json(None)})))
        .expect(1)
        .mount(&server)
        .await;
    on("POST", &format!("/users/{USER}/deactivate"))
        .respond_with(reply(200, json!({"data": user_json(Some(1478030099000))})))
        .expect(1)
        .mount(&server)
        .await;
    on("POST", &format!("/users/{USER}/reactivate"))
        .respond_with(reply(200, json!({"data": user_json(None)})))
        .expect(1)
        .mount(&server)
        .await;

    let query = UserQuery::new()
        .access_role(&AccessRole::SuperAdmin)
        .access_role(&AccessRole::Admin)
        .external_directory_id("ext-42")
        .include_deactivated(true);
    let users: Vec<_> = client.users(&query).try_collect().await.unwrap();
    assert_eq!(users[0].external_directory_id.as_deref(), Some("ext-42"));
    let mut request =
        UserRequest::new("Chandler Bing", "chandler@example.com").access_role(AccessRole::Admin);
    request.job_title = Some("IT procurements manager".into());
    client.create_user(&request).await.unwrap();
    client.update_user(USER, &request).await.unwrap();
    let off = client.deactivate_user(USER).await.unwrap();
    assert_eq!(
        off.deactivated_at.unwrap().timestamp_millis(),
        1478030099000
    );
    let on_again = client.reactivate_user(USER).await.unwrap();
    assert!(on_again.deactivated_at.is_none());
    let no_role = UserRequest::new("A", "a@example.com");
    assert!(matches!(
        client.update_user(USER, &no_role).await,
        Err(lever_client::Error::InvalidInput(_))
    ));
}

#[tokio::test]
async fn audit_events_eeo_and_diversity_surveys() {
    let (server, client) = setup().await;
    on("GET", "/audit_events")
        .and(query_param("type", "user_login"))
        .and(query_param("user_id", USER))
        .and(query_param("target_type", "user"))
        .and(query_param("target_id", USER))
        .and(query_param("created_at_start", "1478030090000"))
        .and(query_param("created_at_end", "1478030099000"))
        .respond_with(reply(
            200,
            json!({"data": [{"id": "ae-1", "type": "user_login",
            "user": {"id": USER, "name": "Chandler Bing", "email": "chandler@example.com"},
            "target": {"targetId": USER, "targetType": "user"}, "meta": {},
            "createdAt": 1478030095000_i64}], "hasNext": false}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    // LD's EEO example quotes `appliedAt`.
    let eeo = json!({"opportunityId": OPP, "postingId": "f2f01e16-27f8-4711-a728-7d49499795a0",
        "appliedAt": "1478030095000", "gender": "Decline to self-identify", "race": null});
    on("GET", "/eeo/responses")
        .and(query_param("created_at_start", "1478030090000"))
        .respond_with(reply(200, json!({"data": [eeo.clone()], "hasNext": false})))
        .expect(1)
        .mount(&server)
        .await;
    let mut pii = eeo;
    pii["email"] = json!("shane@exampleq3.com");
    on("GET", "/eeo/responses/pii")
        .respond_with(reply(200, json!({"data": [pii], "hasNext": false})))
        .expect(1)
        .mount(&server)
        .await;
    on(
        "GET",
        "/surveys/diversity/f2f01e16-27f8-4711-a728-7d49499795a0",
    )
    .and(query_param("location", "Oakland"))
    .respond_with(reply(
        200,
        json!({"data": {"id": "ds-1", "text": "Diversity survey",
            "candidateSelectsLocation": true, "instructions": "Optional",
            "fields": [{"type": "multiple-choice", "text": "Gender", "options": []}],
            "createdAt": 1478030090000_i64, "updatedAt": null}}),
    ))
    .expect(1)
    .mount(&server)
    .await;

    let query = AuditEventQuery::new()
        .kind("user_login")
        .user_id(USER)
        .target_type("user")
        .target_id(USER)
        .created_at_start(ms(1478030090000))
        .created_at_end(ms(1478030099000));
    let events: Vec<_> = client.audit_events(&query).try_collect().await.unwrap();
    assert_eq!(events[0].kind.as_deref(), Some("user_login"));
    let eeo: Vec<_> = client
        .eeo_responses(&EeoQuery::new().created_at_start(ms(1478030090000)))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(eeo[0].applied_at.unwrap().timestamp_millis(), 1478030095000);
    assert_eq!(eeo[0].extra["gender"], "Decline to self-identify");
    let pii: Vec<_> = client
        .eeo_responses_pii(&EeoQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pii[0].extra["email"], "shane@exampleq3.com");
    let survey = client
        .diversity_survey("f2f01e16-27f8-4711-a728-7d49499795a0", Some("Oakland"))
        .await
        .unwrap();
    assert_eq!(survey.candidate_selects_location, Some(true));
}

#[tokio::test]
async fn list_options_send_include_and_expand() {
    use lever_client::ListOptions;
    let (server, client) = setup().await;
    let mut interview = interview_json("i-1");
    interview["user"] = json!({"id": USER, "name": "Chandler Bing"});
    on("GET", &format!("/opportunities/{OPP}/interviews"))
        .and(query_param("expand", "user"))
        .and(query_param("include", "subject"))
        .respond_with(reply(200, json!({"data": [interview], "hasNext": false})))
        .expect(1)
        .mount(&server)
        .await;
    on("GET", &format!("/opportunities/{OPP}/offers"))
        .and(query_param("expand", "creator"))
        .respond_with(reply(
            200,
            json!({"data": [{"id": "of-1",
            "creator": {"id": USER, "name": "Chandler Bing"}}]}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let options = ListOptions::new().expand("user").include("subject");
    let interviews: Vec<_> = client
        .interviews_with(OPP, &options)
        .try_collect()
        .await
        .unwrap();
    let user = interviews[0].user.as_ref().unwrap();
    assert_eq!(
        user.object().unwrap().name.as_deref(),
        Some("Chandler Bing")
    );
    let offers = client
        .offers_page_with(OPP, &ListOptions::new().expand("creator"), None)
        .await
        .unwrap();
    assert_eq!(offers.data[0].creator.as_ref().unwrap().id(), USER);
}

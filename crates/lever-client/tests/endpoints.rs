//! Every endpoint against wiremock with fixtures built from Lever's documented examples.

use futures::{StreamExt, TryStreamExt};
use lever_client::{
    AccessRole, ArchiveReasonType, Confidentiality, Expandable, FeedbackReminder, LeverClient,
    NewNote, NewWebhook, NoteScore, OpportunityQuery, Origin, PostingState, RetryPolicy, UserQuery,
    WebhookEventType, WebhookUpdate, WorkplaceType,
};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "test-api-key";
// base64("test-api-key:")
const BASIC: &str = "Basic dGVzdC1hcGkta2V5Og==";

async fn setup() -> (MockServer, LeverClient) {
    let server = MockServer::start().await;
    let client = LeverClient::builder()
        .api_key(KEY)
        .base_url(format!("{}/v1/", server.uri()))
        .retry_policy(RetryPolicy::fast())
        .build()
        .unwrap();
    (server, client)
}

fn fixture(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.as_bytes().to_vec(), "application/json")
}

#[tokio::test]
async fn get_opportunity_parses_documented_example() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path(
            "/v1/opportunities/250d8f03-738a-4bba-a671-8a3d73477145",
        ))
        .and(header("authorization", BASIC))
        .respond_with(fixture(include_str!("fixtures/opportunity.json")))
        .expect(1)
        .mount(&server)
        .await;
    let opp = client
        .opportunity("250d8f03-738a-4bba-a671-8a3d73477145")
        .await
        .unwrap();
    assert_eq!(opp.name.as_deref(), Some("Shane Smith"));
    assert_eq!(opp.emails, ["shane@exampleq3.com"]);
    assert_eq!(
        opp.contact.as_ref().unwrap().id(),
        "7f23e772-a2e6-4b64-a4d4-ae9e0dfd8d26"
    );
    assert_eq!(opp.confidentiality, Some(Confidentiality::NonConfidential));
    assert_eq!(opp.origin, Some(Origin::Sourced));
    assert!(opp.is_archived());
    let archived = opp.archived.as_ref().unwrap();
    assert_eq!(
        archived.archived_at.unwrap().timestamp_millis(),
        1507745488290
    );
    assert_eq!(
        opp.stage_changes[0].to_stage_id.as_deref(),
        Some("lead-new")
    );
    assert_eq!(opp.followers.len(), 2);
    assert_eq!(
        opp.applications[0].id(),
        "cdb25b3d-5e84-43c3-a4f8-f36e9b6a9e0f"
    );
    assert_eq!(
        opp.owner.as_ref().unwrap().id(),
        "df0e5f2f-2c5b-4d5a-a4ba-3d2a6a2b1c47"
    );
    assert_eq!(opp.created_at.unwrap().timestamp_millis(), 1407460071043);
    // Fields outside the model are kept.
    assert!(opp.extra.contains_key("dataProtection"));
    assert!(opp.extra.contains_key("archiveReason"));
}

#[tokio::test]
async fn get_opportunity_with_expand_sends_repeated_params() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/v1/opportunities/o1"))
        .and(query_param("expand", "applications"))
        .and(query_param("expand", "stage"))
        .respond_with(fixture(
            r#"{"data":{"id":"o1","stage":{"id":"offer","text":"Offer"},"applications":[{"id":"a1","posting":"p1","type":"posting"}]}}"#,
        ))
        .expect(1)
        .mount(&server)
        .await;
    let opp = client
        .opportunity_expanded("o1", &["applications", "stage"])
        .await
        .unwrap();
    let app = opp.applications[0].object().unwrap();
    assert_eq!(app.posting.as_ref().unwrap().id(), "p1");
    assert_eq!(
        opp.stage.unwrap().object().unwrap().text.as_deref(),
        Some("Offer")
    );
}

#[tokio::test]
async fn list_opportunities_by_email_sends_confidentiality_all_and_parses_expanded() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/v1/opportunities"))
        .and(query_param("email", "ada+lever@example.com"))
        .and(query_param("confidentiality", "all"))
        .and(query_param("archived", "false"))
        .and(query_param("stage_id", "lead-new"))
        .and(query_param("updated_at_start", "1407460071043"))
        .and(query_param("limit", "100"))
        .and(query_param_is_missing("offset"))
        .respond_with(fixture(include_str!(
            "fixtures/opportunities_expanded.json"
        )))
        .expect(1)
        .mount(&server)
        .await;
    let query = OpportunityQuery::new()
        .email("ada+lever@example.com")
        .archived(false)
        .stage_id("lead-new")
        .updated_at_start(chrono::DateTime::from_timestamp_millis(1407460071043).unwrap());
    let page = client.opportunities_page(&query, None).await.unwrap();
    assert_eq!(page.data.len(), 1);
    assert_eq!(
        page.next_offset(),
        Some("%5B1%2C1750233409740%2C%2248dd4e94-fea0-4f9a-be5f-95b1853cbbbe%22%5D")
    );
    let opp = &page.data[0];
    let contact = opp.contact.as_ref().unwrap().object().unwrap();
    assert_eq!(
        contact.location.as_ref().unwrap().name.as_deref(),
        Some("London")
    );
    assert!(
        matches!(&opp.stage, Some(Expandable::Object(s)) if s.text.as_deref() == Some("New lead"))
    );
    assert_eq!(opp.confidentiality, Some(Confidentiality::Confidential));
    // Unknown enum values are kept, not rejected.
    assert_eq!(
        opp.origin,
        Some(Origin::Unknown("a-brand-new-origin".into()))
    );
    assert_eq!(opp.origin.as_ref().unwrap().as_str(), "a-brand-new-origin");
    // A quoted timestamp and a null one.
    assert_eq!(opp.created_at.unwrap().timestamp_millis(), 1407460071043);
    assert!(opp.updated_at.is_none());
    assert!(opp.extra.contains_key("futureField"));
    let owner = opp.owner.as_ref().unwrap().object().unwrap();
    assert_eq!(owner.access_role, Some(AccessRole::SuperAdmin));
}

#[tokio::test]
async fn explicit_confidentiality_wins_over_email_default() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/v1/opportunities"))
        .and(query_param("confidentiality", "non-confidential"))
        .respond_with(fixture(r#"{"data":[],"hasNext":false}"#))
        .expect(1)
        .mount(&server)
        .await;
    let q = OpportunityQuery::new()
        .email("a@example.com")
        .confidentiality(lever_client::ConfidentialityFilter::NonConfidential);
    assert!(
        client
            .opportunities_page(&q, None)
            .await
            .unwrap()
            .data
            .is_empty()
    );
}

#[tokio::test]
async fn interviews_and_panels() {
    let (server, client) = setup().await;
    let opp = "250d8f03-738a-4bba-a671-8a3d73477145";
    Mock::given(method("GET"))
        .and(path(format!("/v1/opportunities/{opp}/interviews")))
        .respond_with(fixture(include_str!("fixtures/interviews.json")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!(
            "/v1/opportunities/{opp}/interviews/b1d8d4d5-2f5f-4a0c-bb8f-6b04d0e0f6a1"
        )))
        .respond_with(fixture(&format!(
            r#"{{"data":{}}}"#,
            serde_json::from_str::<serde_json::Value>(include_str!("fixtures/interviews.json"))
                .unwrap()["data"][0]
        )))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v1/opportunities/{opp}/panels")))
        .respond_with(fixture(include_str!("fixtures/panels.json")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!(
            "/v1/opportunities/{opp}/panels/7f1c5f39-4a5b-4d3b-8f8e-6f2b6d2e1a9c"
        )))
        .respond_with(fixture(&format!(
            r#"{{"data":{}}}"#,
            serde_json::from_str::<serde_json::Value>(include_str!("fixtures/panels.json"))
                .unwrap()["data"][0]
        )))
        .mount(&server)
        .await;

    let interviews: Vec<_> = client.interviews(opp).try_collect().await.unwrap();
    assert_eq!(interviews.len(), 2);
    let first = &interviews[0];
    assert_eq!(first.duration, Some(45));
    assert_eq!(first.timezone.as_deref(), Some("America/Los_Angeles"));
    assert_eq!(
        first.end().unwrap().timestamp_millis() - first.date.unwrap().timestamp_millis(),
        45 * 60_000
    );
    assert_eq!(
        first.interviewers[0].email.as_deref(),
        Some("rachel@example.com")
    );
    assert_eq!(first.feedback_reminder, Some(FeedbackReminder::Frequently));
    assert_eq!(
        first.location.as_deref(),
        Some("https://meet.example.com/xyz")
    );
    assert!(first.gcal_event_url.is_some());
    let second = &interviews[1];
    assert!(second.is_canceled());
    assert!(second.location.is_none());
    assert_eq!(
        second.feedback_reminder,
        Some(FeedbackReminder::Unknown("every-full-moon".into()))
    );

    let one = client
        .interview(opp, "b1d8d4d5-2f5f-4a0c-bb8f-6b04d0e0f6a1")
        .await
        .unwrap();
    assert_eq!(&one, first);

    let page = client.panels_page(opp, None).await.unwrap();
    assert_eq!(page.next_offset(), None, "missing hasNext means the end");
    let panel = &page.data[0];
    assert_eq!(panel.externally_managed, Some(true));
    assert_eq!(panel.interviews.len(), 1);
    let panels: Vec<_> = client.panels(opp).try_collect().await.unwrap();
    assert_eq!(panels.len(), 1);
    let p = client
        .panel(opp, "7f1c5f39-4a5b-4d3b-8f8e-6f2b6d2e1a9c")
        .await
        .unwrap();
    assert_eq!(p.end.unwrap().timestamp_millis(), 1423193400000);
    let ip = client.interviews_page(opp, None).await.unwrap();
    assert_eq!(ip.data.len(), 2);
}

#[tokio::test]
async fn users_stages_archive_reasons_postings_contacts() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/v1/users"))
        .and(query_param("email", "chandler@example.com"))
        .respond_with(fixture(include_str!("fixtures/users.json")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/users"))
        .and(query_param("includeDeactivated", "true"))
        .respond_with(fixture(include_str!("fixtures/users.json")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/users/df0e5f2f-2c5b-4d5a-a4ba-3d2a6a2b1c47"))
        .respond_with(fixture(
            r#"{"data":{"id":"df0e5f2f-2c5b-4d5a-a4ba-3d2a6a2b1c47","name":"Chandler Bing"}}"#,
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/stages"))
        .respond_with(fixture(include_str!("fixtures/stages.json")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/stages/offer"))
        .respond_with(fixture(r#"{"data":{"id":"offer","text":"Offer"}}"#))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/archive_reasons"))
        .respond_with(fixture(include_str!("fixtures/archive_reasons.json")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/archive_reasons/63dd55b2-a99f-4e7b-985f-22c7bf80ab42"))
        .respond_with(fixture(r#"{"data":{"id":"63dd55b2-a99f-4e7b-985f-22c7bf80ab42","text":"Hired","status":"active","type":"hired"}}"#))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/postings"))
        .respond_with(fixture(include_str!("fixtures/postings.json")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/postings/f2f01e16-27f8-4711-a728-7d49499795a0"))
        .respond_with(fixture(r#"{"data":{"id":"f2f01e16-27f8-4711-a728-7d49499795a0","text":"Office Manager","state":"closed"}}"#))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/contacts/7f23e772-a2e6-4b64-a4d4-ae9e0dfd8d26"))
        .respond_with(fixture(r#"{"data":{"id":"7f23e772-a2e6-4b64-a4d4-ae9e0dfd8d26","name":"Shane Smith","headline":"Brickly LLC","location":{"name":"Oakland"},"emails":["shane@exampleq3.com"],"isAnonymized":false,"phones":[{"type":"mobile","value":"(123) 456-7891"}]}}"#))
        .mount(&server)
        .await;

    let chandler = client
        .user_by_email("chandler@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(chandler.username.as_deref(), Some("chandler"));
    assert_eq!(chandler.access_role, Some(AccessRole::SuperAdmin));
    assert!(
        chandler.linked_contacts().is_empty(),
        "null list reads as empty"
    );
    let all = client
        .users_page(&UserQuery::new().include_deactivated(true), None)
        .await
        .unwrap();
    assert_eq!(
        all.data[1].access_role,
        Some(AccessRole::Unknown("chief vibes officer".into()))
    );
    let users: Vec<_> = client
        .users(&UserQuery::new().include_deactivated(true))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(users.len(), 2);
    assert_eq!(
        client
            .user("df0e5f2f-2c5b-4d5a-a4ba-3d2a6a2b1c47")
            .await
            .unwrap()
            .name
            .as_deref(),
        Some("Chandler Bing")
    );

    let stages: Vec<_> = client.stages().try_collect().await.unwrap();
    assert_eq!(stages[0].id, "lead-new");
    assert_eq!(client.stages_page(None).await.unwrap().data.len(), 5);
    assert_eq!(
        client.stage("offer").await.unwrap().text.as_deref(),
        Some("Offer")
    );

    let reasons: Vec<_> = client.archive_reasons().try_collect().await.unwrap();
    assert_eq!(reasons[0].kind, Some(ArchiveReasonType::Hired));
    assert_eq!(
        client.archive_reasons_page(None).await.unwrap().data.len(),
        2
    );
    let hired = client
        .archive_reason("63dd55b2-a99f-4e7b-985f-22c7bf80ab42")
        .await
        .unwrap();
    assert_eq!(hired.text.as_deref(), Some("Hired"));

    let postings: Vec<_> = client
        .postings(&lever_client::PostingQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(postings[0].state, Some(PostingState::Published));
    assert_eq!(
        postings[0].workplace_type,
        Some(WorkplaceType::Unknown("on-the-moon".into()))
    );
    assert_eq!(
        postings[0].categories.as_ref().unwrap().all_locations,
        ["Los Angeles", "Remote"]
    );
    assert!(postings[0].extra.contains_key("salaryRange"));
    assert_eq!(
        client
            .postings_page(&lever_client::PostingQuery::new(), None)
            .await
            .unwrap()
            .data
            .len(),
        1
    );
    let closed = client
        .posting("f2f01e16-27f8-4711-a728-7d49499795a0")
        .await
        .unwrap();
    assert_eq!(closed.state, Some(PostingState::Closed));

    let contact = client
        .contact("7f23e772-a2e6-4b64-a4d4-ae9e0dfd8d26")
        .await
        .unwrap();
    assert_eq!(contact.emails, ["shane@exampleq3.com"]);
}

#[tokio::test]
async fn notes_list_get_and_add_both_response_shapes() {
    let (server, client) = setup().await;
    let opp = "250d8f03-738a-4bba-a671-8a3d73477145";
    Mock::given(method("GET"))
        .and(path(format!("/v1/opportunities/{opp}/notes")))
        .respond_with(fixture(include_str!("fixtures/notes.json")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!(
            "/v1/opportunities/{opp}/notes/b1dbbcfe-d5ae-4a73-90d3-6b0e7ac43ef3"
        )))
        .respond_with(fixture(&format!(
            r#"{{"data":{}}}"#,
            serde_json::from_str::<serde_json::Value>(include_str!("fixtures/notes.json")).unwrap()
                ["data"][0]
        )))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/v1/opportunities/{opp}/notes")))
        .and(query_param(
            "perform_as",
            "df0e5f2f-2c5b-4d5a-a4ba-3d2a6a2b1c47",
        ))
        .and(body_json(json!({
            "value": "Summary: strong hire",
            "secret": true,
            "score": 4,
            "notifyFollowers": true,
            "createdAt": 1700000000000i64
        })))
        .respond_with(ResponseTemplate::new(201).set_body_raw(
            include_str!("fixtures/note_created_documented.json"),
            "application/json",
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/v1/opportunities/{opp}/notes")))
        .and(query_param_is_missing("perform_as"))
        .and(query_param(
            "note_id",
            "b1dbbcfe-d5ae-4a73-90d3-6b0e7ac43ef3",
        ))
        .and(body_json(json!({"value": "Follow-up"})))
        .respond_with(ResponseTemplate::new(201).set_body_raw(
            include_str!("fixtures/note_created_full.json"),
            "application/json",
        ))
        .expect(1)
        .mount(&server)
        .await;

    let notes: Vec<_> = client.notes(opp).try_collect().await.unwrap();
    assert_eq!(
        notes[0].value(),
        Some("@rachel We should move forward with this candidate")
    );
    assert_eq!(notes[0].fields[0].score, Some(3));
    assert!(notes[0].deleted_at.is_some());
    assert_eq!(client.notes_page(opp, None).await.unwrap().data.len(), 1);
    let one = client
        .note(opp, "b1dbbcfe-d5ae-4a73-90d3-6b0e7ac43ef3")
        .await
        .unwrap();
    assert_eq!(one, notes[0]);

    let documented = client
        .add_note(
            opp,
            &NewNote::new("Summary: strong hire")
                .perform_as("df0e5f2f-2c5b-4d5a-a4ba-3d2a6a2b1c47")
                .secret(true)
                .score(NoteScore::StrongYes)
                .notify_followers(true)
                .created_at(chrono::DateTime::from_timestamp_millis(1700000000000).unwrap()),
        )
        .await
        .unwrap();
    assert_eq!(documented.note_id, "915a6cef-4f91-4f3d-b8ff-a49e1eae2c30");
    assert!(documented.note.is_none());

    let full = client
        .add_note(
            opp,
            &NewNote::new("Follow-up").reply_to("b1dbbcfe-d5ae-4a73-90d3-6b0e7ac43ef3"),
        )
        .await
        .unwrap();
    assert_eq!(full.note_id, "d0b4e9a1-5c3f-4d8e-9a7b-2c1f0e9d8c7b");
    let note = full.note.unwrap();
    assert!(note.user.is_none());
    assert_eq!(note.fields[0].stage.as_deref(), Some("lead-new"));

    let empty = client.add_note(opp, &NewNote::new("  ")).await.unwrap_err();
    assert!(matches!(empty, lever_client::Error::InvalidInput(_)));
}

#[tokio::test]
async fn webhook_management() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/v1/webhooks"))
        .respond_with(fixture(include_str!("fixtures/webhooks_list.json")))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/webhooks"))
        .and(body_json(
            json!({"url": "https://example.com/lever/stage", "event": "candidateStageChange"}),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_raw(
            include_str!("fixtures/webhook_created.json"),
            "application/json",
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/v1/webhooks"))
        .and(body_json(json!({"data": [{"id": "1d6e6d0a-6e4b-4e9e-8f2e-3b0c4f5a6b7c", "url": "https://example.com/new"}]})))
        .respond_with(fixture(include_str!("fixtures/webhooks_list.json")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v1/webhooks/1d6e6d0a-6e4b-4e9e-8f2e-3b0c4f5a6b7c"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let hooks = client.webhooks().await.unwrap();
    assert_eq!(hooks[0].event, Some(WebhookEventType::CandidateStageChange));
    let created = client
        .create_webhook(&NewWebhook::new(
            "https://example.com/lever/stage",
            WebhookEventType::CandidateStageChange,
        ))
        .await
        .unwrap();
    assert_eq!(
        created.signature_token.as_ref().unwrap().expose(),
        "73311ged32110cc40e00c672c2e03e1a42fa28a4fabde089"
    );
    assert_eq!(created.webhook.id, "1d6e6d0a-6e4b-4e9e-8f2e-3b0c4f5a6b7c");
    let origins = &created
        .webhook
        .configuration
        .as_ref()
        .unwrap()
        .conditions
        .as_ref()
        .unwrap()
        .origins;
    assert_eq!(origins, &[Origin::Applied, Origin::Sourced]);
    assert!(!format!("{created:?}").contains("73311ged"));

    let updated = client
        .update_webhooks(&[WebhookUpdate {
            id: "1d6e6d0a-6e4b-4e9e-8f2e-3b0c4f5a6b7c".into(),
            url: "https://example.com/new".into(),
            configuration: None,
        }])
        .await
        .unwrap();
    assert_eq!(updated.len(), 1);
    client
        .delete_webhook("1d6e6d0a-6e4b-4e9e-8f2e-3b0c4f5a6b7c")
        .await
        .unwrap();
}

#[tokio::test]
async fn api_errors_keep_status_code_message_and_snippet() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/v1/stages/nope"))
        .respond_with(ResponseTemplate::new(404).set_body_json(
            json!({"code": "ResourceNotFound", "message": "stages nope was not found"}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/stages/forbidden"))
        .respond_with(ResponseTemplate::new(403).set_body_string("<html>forbidden</html>"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/stages/garbled"))
        .respond_with(fixture(r#"{"data":{"id":42}}"#))
        .mount(&server)
        .await;
    match client.stage("nope").await.unwrap_err() {
        lever_client::Error::Api {
            status,
            code,
            message,
            body_snippet,
            ..
        } => {
            assert_eq!(status, 404);
            assert_eq!(code.as_deref(), Some("ResourceNotFound"));
            assert_eq!(message.as_deref(), Some("stages nope was not found"));
            assert!(body_snippet.contains("ResourceNotFound"));
        }
        other => panic!("unexpected {other:?}"),
    }
    let err = client.stage("forbidden").await.unwrap_err();
    assert_eq!(err.status(), Some(403));
    assert!(!err.is_retryable());
    assert!(err.to_string().contains("403"));
    match client.stage("garbled").await.unwrap_err() {
        lever_client::Error::Decode {
            path, body_snippet, ..
        } => {
            assert_eq!(path, "data.id");
            assert!(body_snippet.contains("42"));
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn a_malformed_record_does_not_lose_its_page() {
    let (server, client) = setup().await;
    // Page 1: a good record, one whose `stage` is a number, one whose `emails` is `null` (fine).
    Mock::given(method("GET"))
        .and(path("/v1/opportunities"))
        .and(query_param_is_missing("offset"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [
                {"id": "o1", "stage": "offer"},
                {"id": "o2", "stage": 42},
                {"id": "o3", "emails": null},
            ],
            "hasNext": true,
            "next": "page2",
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/opportunities"))
        .and(query_param("offset", "page2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [{"id": "o4"}], "hasNext": false,
        })))
        .mount(&server)
        .await;

    let page = client
        .opportunities_page(&OpportunityQuery::new(), None)
        .await
        .unwrap();
    let ids: Vec<_> = page.data.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["o1", "o3"]);
    assert_eq!(page.skipped.len(), 1);
    assert_eq!(page.skipped[0].index, 1);
    assert_eq!(page.skipped[0].id.as_deref(), Some("o2"));
    assert_eq!(page.skipped[0].path, "stage");

    // The stream yields the good records, the record error, then goes on to page 2.
    let items: Vec<_> = client
        .opportunities(&OpportunityQuery::new())
        .collect()
        .await;
    let summary: Vec<String> = items
        .iter()
        .map(|r| match r {
            Ok(o) => o.id.clone(),
            Err(lever_client::Error::Record {
                index, id, path, ..
            }) => format!("err {index} {} {path}", id.as_deref().unwrap_or("-")),
            Err(other) => panic!("unexpected error {other}"),
        })
        .collect();
    assert_eq!(summary, ["o1", "o3", "err 1 o2 stage", "o4"]);
}

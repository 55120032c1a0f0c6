//! The documented v3 writes on candidates, applications and tags: route,
//! method, body and scope, the response read back, and no blind retries.

use greenhouse_harvest::models::{
    ApplicationUpdate, CandidateUpdate, EmailType, MoveApplication, NewApplication, NewCandidate,
};
use greenhouse_harvest::{Error, HarvestClient, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server() -> (MockServer, HarvestClient) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"access_token": "t", "token_type": "Bearer", "expires_in": 3600}),
        ))
        .mount(&server)
        .await;
    let client = HarvestClient::builder()
        .client_credentials("id", "secret", Some(4080))
        .base_url(format!("{}/v3/", server.uri()))
        .token_url(format!("{}/token", server.uri()))
        .retry_policy(RetryPolicy::fast())
        .build()
        .unwrap();
    (server, client)
}

async fn expect(
    server: &MockServer,
    verb: &str,
    route: &str,
    body: serde_json::Value,
    status: u16,
    answer: serde_json::Value,
) {
    Mock::given(method(verb))
        .and(path(route))
        .and(body_json(body))
        .respond_with(ResponseTemplate::new(status).set_body_json(answer))
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn candidates_are_created_and_updated() {
    let (server, client) = server().await;
    expect(
        &server,
        "POST",
        "/v3/candidates",
        json!({
            "first_name": "Ada", "last_name": "Lovelace", "company": "Analytical Engines",
            "email_addresses": [{"value": "ada@example.com", "type": "personal"}],
            "phone_numbers": [{"value": "+44 20 7946 0000", "type": "mobile"}],
            "tags": ["Referral"], "application": {"job_id": 5001}
        }),
        201,
        json!({"id": 1001, "first_name": "Ada", "last_name": "Lovelace",
               "email_addresses": [{"value": "ada@example.com", "type": "personal"}],
               "tags": ["Referral"], "custom_fields": null}),
    )
    .await;
    let created = client
        .create_candidate(
            &NewCandidate::new("Ada", "Lovelace")
                .company("Analytical Engines")
                .email("ada@example.com", EmailType::Personal)
                .phone("+44 20 7946 0000", "mobile")
                .tag("Referral")
                .field("application", json!({"job_id": 5001})),
        )
        .await
        .unwrap();
    assert_eq!(created.id, 1001);
    assert!(created.has_email("ada@example.com"));

    expect(
        &server,
        "PATCH",
        "/v3/candidates/1001",
        json!({"title": "Countess", "custom_fields": {"desired_salary": "100000"}}),
        200,
        json!({"id": 1001, "title": "Countess"}),
    )
    .await;
    let updated = client
        .update_candidate(
            1001,
            &CandidateUpdate::new()
                .title("Countess")
                .field("custom_fields", json!({"desired_salary": "100000"})),
        )
        .await
        .unwrap();
    assert_eq!(updated.title.as_deref(), Some("Countess"));
}

#[tokio::test]
async fn applications_are_created_updated_and_moved() {
    let (server, client) = server().await;
    expect(
        &server,
        "POST",
        "/v3/applications",
        json!({"candidate_id": 1001, "job_id": 5002, "source_id": 11}),
        201,
        json!({"id": 7002, "candidate_id": 1001, "job_id": 5002, "status": "in_process"}),
    )
    .await;
    let app = client
        .create_application(&NewApplication::for_job(1001, 5002).source_id(11))
        .await
        .unwrap();
    assert_eq!((app.id, app.job_id), (7002, Some(5002)));

    expect(
        &server,
        "POST",
        "/v3/applications",
        json!({"candidate_id": 1001, "prospect": true}),
        201,
        json!({"id": 7003, "candidate_id": 1001, "prospect": true, "job_id": null}),
    )
    .await;
    let prospect = client
        .create_application(&NewApplication::prospect(1001, None))
        .await
        .unwrap();
    assert_eq!(prospect.prospect, Some(true));

    expect(
        &server,
        "PATCH",
        "/v3/applications/7002",
        json!({"recruiter_id": 4080, "coordinator_id": 4081}),
        200,
        json!({"id": 7002, "recruiter_id": 4080, "coordinator_id": 4081}),
    )
    .await;
    let app = client
        .update_application(
            7002,
            &ApplicationUpdate::new()
                .recruiter_id(4080)
                .coordinator_id(4081),
        )
        .await
        .unwrap();
    assert_eq!(app.coordinator_id, Some(4081));

    for (body, mv) in [
        (
            json!({"from_stage_id": 50021}),
            MoveApplication::advance(50021),
        ),
        (
            json!({"from_stage_id": 50021, "to_stage_id": 50023}),
            MoveApplication::to_stage(50021, 50023),
        ),
        (
            json!({"from_stage_id": 50021, "to_job_id": 5003}),
            MoveApplication::to_job(50021, 5003, None),
        ),
    ] {
        expect(
            &server,
            "POST",
            "/v3/applications/7002/move",
            body,
            200,
            json!({"id": 7002, "stage_id": 50022}),
        )
        .await;
        let moved = client.move_application(7002, &mv).await.unwrap();
        assert_eq!(moved.stage_id, Some(50022));
    }
}

#[tokio::test]
async fn tags_are_created_applied_removed_and_deleted() {
    let (server, client) = server().await;
    expect(
        &server,
        "POST",
        "/v3/candidate_tags",
        json!({"name": "Silver Medalist"}),
        201,
        json!({"id": 21, "name": "Silver Medalist"}),
    )
    .await;
    expect(
        &server,
        "POST",
        "/v3/applied_candidate_tags",
        json!({"candidate_id": 1001, "candidate_tag_id": 21}),
        201,
        json!({"id": 2101, "candidate_id": 1001, "candidate_tag_id": 21}),
    )
    .await;
    for route in ["/v3/applied_candidate_tags/2101", "/v3/candidate_tags/21"] {
        Mock::given(method("DELETE"))
            .and(path(route))
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;
    }
    let tag = client
        .create_candidate_tag("Silver Medalist")
        .await
        .unwrap();
    assert_eq!(tag.id, 21);
    let applied = client.tag_candidate(1001, tag.id).await.unwrap();
    assert_eq!(applied.candidate_tag_id, Some(21));
    client.untag_candidate(applied.id).await.unwrap();
    client.delete_candidate_tag(tag.id).await.unwrap();
}

#[tokio::test]
async fn a_failed_write_is_not_retried_and_says_it_may_have_been_applied() {
    let (server, client) = server().await;
    Mock::given(method("POST"))
        .and(path("/v3/applications/7002/move"))
        .respond_with(ResponseTemplate::new(503).set_body_json(json!({"message": "busy"})))
        .expect(1)
        .mount(&server)
        .await;
    let err = client
        .move_application(7002, &MoveApplication::advance(1))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert!(err.may_have_been_applied());

    Mock::given(method("PATCH"))
        .and(path("/v3/candidates/9"))
        .respond_with(
            ResponseTemplate::new(403).set_body_json(
                json!({"message": "Missing required scope: harvest:candidates:update"}),
            ),
        )
        .mount(&server)
        .await;
    let err = client
        .update_candidate(9, &CandidateUpdate::new().title("x"))
        .await
        .unwrap_err();
    let Error::MissingScope { scope, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(scope, "harvest:candidates:update");
    assert!(!err.may_have_been_applied());
}

#[tokio::test]
async fn applications_are_rejected_unrejected_and_hired() {
    use chrono::{NaiveDate, TimeZone, Utc};
    use greenhouse_harvest::models::{HireApplication, RejectApplication, RejectionEmail};
    let (server, client) = server().await;
    expect(
        &server,
        "POST",
        "/v3/applications/7002/reject",
        json!({"rejection_reason_id": 14, "notes": "Not this time",
               "rejection_email": {"email_template_id": 501, "email_from_user_id": 4080,
                                   "send_email_at": "2025-01-10T09:00:00.000Z"}}),
        200,
        json!({"id": 7002, "status": "rejected", "rejection_reason_id": 14}),
    )
    .await;
    let rejected = client
        .reject_application(
            7002,
            &RejectApplication::reason(14).notes("Not this time").email(
                RejectionEmail::template(501)
                    .from_user(4080)
                    .send_at(Utc.with_ymd_and_hms(2025, 1, 10, 9, 0, 0).unwrap()),
            ),
        )
        .await
        .unwrap();
    assert_eq!(rejected.rejection_reason_id, Some(14));

    expect(
        &server,
        "POST",
        "/v3/applications/7002/unreject",
        json!({}),
        200,
        json!({"id": 7002, "status": "in_process"}),
    )
    .await;
    let back = client.unreject_application(7002).await.unwrap();
    assert_eq!(
        back.status,
        Some(greenhouse_harvest::ApplicationStatus::InProcess)
    );

    expect(
        &server,
        "POST",
        "/v3/applications/7002/hire",
        json!({"opening_id": 4001, "start_date": "2025-02-03"}),
        200,
        json!({"id": 7002, "status": "hired"}),
    )
    .await;
    let hired = client
        .hire_application(
            7002,
            &HireApplication::new()
                .opening_id(4001)
                .start_date(NaiveDate::from_ymd_opt(2025, 2, 3).unwrap()),
        )
        .await
        .unwrap();
    assert_eq!(
        hired.status,
        Some(greenhouse_harvest::ApplicationStatus::Hired)
    );
}

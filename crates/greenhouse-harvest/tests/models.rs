//! v3 model fixtures (field sets from the research notes §3, v3 schemas) served
//! over HTTP exactly as Harvest returns them: bare JSON arrays.

use chrono::{NaiveDate, TimeZone, Utc};
use greenhouse_harvest::models::{
    EmailType, InterviewStatus, JobStatus, NoteType, NoteVisibility, ResponseStatus,
};
use greenhouse_harvest::{ApplicationStatus, HarvestClient, ListQuery, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn serving(routes: &[(&str, &str)]) -> (MockServer, HarvestClient) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            serde_json::json!({"access_token": "t", "token_type": "Bearer", "expires_in": 3600}),
        ))
        .mount(&server)
        .await;
    for (route, body) in routes {
        Mock::given(method("GET"))
            .and(path(format!("/v3/{route}")))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_raw(body.as_bytes().to_vec(), "application/json"),
            )
            .mount(&server)
            .await;
    }
    let client = HarvestClient::builder()
        .client_credentials("id", "secret", Some(4080))
        .base_url(format!("{}/v3/", server.uri()))
        .token_url(format!("{}/token", server.uri()))
        .retry_policy(RetryPolicy::fast())
        .build()
        .unwrap();
    (server, client)
}

#[tokio::test]
async fn v3_fixtures_deserialize_with_exact_values() {
    let (_server, client) = serving(&[
        ("candidates", include_str!("fixtures/v3/candidates.json")),
        (
            "applications",
            include_str!("fixtures/v3/applications.json"),
        ),
        ("interviews", include_str!("fixtures/v3/interviews.json")),
        (
            "interviewers",
            include_str!("fixtures/v3/interviewers.json"),
        ),
        ("users", include_str!("fixtures/v3/users.json")),
        ("jobs", include_str!("fixtures/v3/jobs.json")),
        ("job_posts", include_str!("fixtures/v3/job_posts.json")),
        (
            "job_interview_stages",
            include_str!("fixtures/v3/job_interview_stages.json"),
        ),
        ("notes", include_str!("fixtures/v3/notes.json")),
    ])
    .await;
    let q = ListQuery::new();

    let candidates = client.list_candidates(&q).await.unwrap().items;
    let ada = &candidates[0];
    assert_eq!(ada.email_addresses[1].kind, Some(EmailType::Work));
    assert!(ada.has_email("ADA@example.com"));
    assert_eq!(
        ada.created_at,
        Some(Utc.with_ymd_and_hms(2024, 12, 15, 3, 55, 0).unwrap())
    );
    assert_eq!(ada.custom_fields["desired_salary"]["value"], "120000");
    assert_eq!(candidates[1].private, Some(true));
    assert_eq!(candidates[1].full_name(), "Grace Hopper");

    let apps = client.list_applications(&q).await.unwrap().items;
    assert_eq!(apps[0].status, Some(ApplicationStatus::InProcess));
    assert_eq!(apps[0].answers[0].answer.as_deref(), Some("Yes"));
    assert_eq!(apps[1].status, Some(ApplicationStatus::Converted));
    assert_eq!(apps[1].prospective_job_ids, vec![4011, 4013]);

    let interviews = client.list_interviews(&q).await.unwrap().items;
    assert_eq!(interviews[0].status, Some(InterviewStatus::Scheduled));
    assert_eq!(
        interviews[0].video_conferencing_url.as_deref(),
        Some("https://meet.example.com/abc-defg-hij")
    );
    assert_eq!(interviews[1].starts_at, None);
    assert_eq!(
        interviews[1].all_day_start_on,
        NaiveDate::from_ymd_opt(2026, 8, 22)
    );

    let panel = client.list_interviewers(&q).await.unwrap().items;
    assert_eq!(panel[0].response_status, Some(ResponseStatus::NeedsAction));
    assert_eq!(panel[1].user_id, None);
    assert_eq!(
        panel[1].email.as_deref(),
        Some("external.panelist@partner.example")
    );

    let users = client.list_users(&q).await.unwrap().items;
    assert!(users[0].has_email("kate@example.org"));
    assert_eq!(
        users[1].primary_email.as_deref(),
        Some(""),
        "service account"
    );

    let jobs = client.list_jobs(&q).await.unwrap().items;
    assert_eq!(jobs[0].status, Some(JobStatus::Open));
    assert_eq!(jobs[0].office_ids, vec![71, 72]);

    let posts = client.list_job_posts(&q).await.unwrap().items;
    assert_eq!(posts[0].location.as_ref().unwrap()["name"], "London, UK");
    assert_eq!(posts[0].featured, Some(true));

    let stages = client.list_job_interview_stages(&q).await.unwrap().items;
    assert_eq!(stages[1].sort_order, Some(2));

    let notes = client.list_notes(&q).await.unwrap().items;
    assert_eq!(notes[0].kind, Some(NoteType::Note));
    assert_eq!(notes[0].visibility, Some(NoteVisibility::AdminOnlyVisible));
    assert_eq!(notes[1].kind, Some(NoteType::Email));
    assert_eq!(notes[1].subject.as_deref(), Some("Next steps"));
}

#[tokio::test]
async fn models_round_trip_in_the_v3_timestamp_format() {
    let (_server, client) =
        serving(&[("candidates", include_str!("fixtures/v3/candidates.json"))]).await;
    let candidates = client
        .list_candidates(&ListQuery::new())
        .await
        .unwrap()
        .items;
    let fixture: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/v3/candidates.json")).unwrap();
    let written = serde_json::to_value(&candidates).unwrap();
    // Every modelled field is written back exactly as Harvest sent it.
    for (i, item) in written.as_array().unwrap().iter().enumerate() {
        for (key, value) in item.as_object().unwrap() {
            assert_eq!(&fixture[i][key], value, "candidate {i} field {key}");
        }
    }
}

//! The v3 resources beyond the note flow (issue 10 §3), each read through
//! `wiremock` from a fixture in `fixtures/v3/`.
//!
//! The Harvest v3 reference's own example responses were not available to
//! us; each fixture is a faithful example built from the field list of the
//! resource's reference page (as inventoried in public file ref
//! 60100158998), in v3's wire format: a bare JSON array, `_at` date-times
//! like `2024-12-15T03:55:00.000Z`, `_on` dates.

use chrono::{NaiveDate, TimeZone, Utc};
use futures::TryStreamExt;
use greenhouse_harvest::models::{
    ApprovalStatus, ApprovalType, CandidateRating, OfferStatus, RejectionReasonKey, RoleType,
    ScorecardStatus,
};
use greenhouse_harvest::{HarvestClient, ListQuery, RetryPolicy};
use wiremock::matchers::{method, path, query_param};
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

macro_rules! fixture {
    ($name:literal) => {
        ($name, include_str!(concat!("fixtures/v3/", $name, ".json")))
    };
}

fn at(s: &str) -> chrono::DateTime<Utc> {
    chrono::DateTime::parse_from_rfc3339(s)
        .unwrap()
        .with_timezone(&Utc)
}

#[tokio::test]
async fn organization_dictionaries() {
    let (_s, client) = serving(&[
        fixture!("departments"),
        fixture!("offices"),
        fixture!("user_roles"),
        fixture!("close_reasons"),
        fixture!("rejection_reasons"),
        fixture!("sources"),
        fixture!("job_board_custom_locations"),
    ])
    .await;
    let q = ListQuery::new();
    let d = client.list_departments(&q).await.unwrap();
    assert!(d.is_complete());
    assert_eq!(d.items[1].parent_id, Some(61));
    assert_eq!(d.items[0].external_id.as_deref(), Some("ENG"));
    assert_eq!(d.items[0].created_at, Some(at("2024-12-15T03:55:00Z")));

    let o = client.list_offices(&q).await.unwrap().items;
    assert_eq!(o[0].location.as_deref(), Some("New York, NY"));
    assert_eq!(o[1].location.as_deref(), Some("Anywhere"));
    assert_eq!(o[0].primary_in_house_contact_user_id, Some(4080));

    let roles = client.list_user_roles(&q).await.unwrap().items;
    assert_eq!(roles[0].role_type, Some(RoleType::SiteAdmin));
    assert_eq!(roles[1].role_type, Some(RoleType::JobAdmin));
    assert_eq!(
        roles[2].role_type,
        Some(RoleType::Unknown("interviewer_plus".into()))
    );

    let reasons = client.list_close_reasons(&q).await.unwrap().items;
    assert!(reasons[0].is_hire());
    assert!(!reasons[1].is_hire());

    let r = client.list_rejection_reasons(&q).await.unwrap().items;
    let kind = r[1].kind.as_ref().unwrap();
    assert_eq!(kind.key, Some(RejectionReasonKey::TheyRejectedUs));
    assert_eq!(kind.name.as_deref(), Some("They rejected us"));

    let sources = client.list_sources(&q).await.unwrap().items;
    assert_eq!(
        sources[0].kind.as_ref().unwrap().name.as_deref(),
        Some("Prospecting")
    );
    assert!(sources[1].kind.is_none());

    let locations = client.list_custom_locations(&q).await.unwrap().items;
    assert_eq!(locations[0].value.as_deref(), Some("Berlin, Germany"));
    assert_eq!(locations[0].greenhouse_job_board_id, Some(80));
}

#[tokio::test]
async fn hiring_records() {
    let (_s, client) = serving(&[
        fixture!("openings"),
        fixture!("scorecards"),
        fixture!("offers"),
        fixture!("approval_flows"),
        fixture!("eeoc"),
        fixture!("tracking_links"),
    ])
    .await;
    let q = ListQuery::new();
    let openings = client.list_openings(&q).await.unwrap();
    assert!(openings.is_complete(), "{:?}", openings.skipped);
    let (open, closed) = (&openings.items[0], &openings.items[1]);
    assert_eq!(open.open, Some(true));
    assert_eq!(open.target_start_on, NaiveDate::from_ymd_opt(2025, 3, 1));
    assert_eq!(open.custom_fields["budgeted"]["value"], true);
    assert_eq!(
        (closed.application_id, closed.close_reason_id),
        (Some(7001), Some(61))
    );
    assert!(closed.custom_fields.is_empty());

    let cards = client.list_scorecards(&q).await.unwrap().items;
    assert_eq!(cards[0].candidate_rating, Some(CandidateRating::StrongYes));
    assert_eq!(cards[0].status, Some(ScorecardStatus::Complete));
    assert_eq!(
        cards[0].submitted_at,
        Some(Utc.with_ymd_and_hms(2025, 1, 8, 16, 10, 0).unwrap())
    );
    assert_eq!(cards[1].status, Some(ScorecardStatus::Draft));
    assert_eq!(cards[1].submitter_id, Some(4080));

    let offer = &client.list_offers(&q).await.unwrap().items[0];
    assert_eq!(offer.status, Some(OfferStatus::Accepted));
    assert_eq!(offer.starts_on, NaiveDate::from_ymd_opt(2025, 2, 3));
    assert_eq!(offer.custom_fields["salary"]["value"]["amount"], 120000);

    let flows = client.list_approval_flows(&q).await.unwrap().items;
    assert_eq!(flows[0].approval_type, Some(ApprovalType::OpenJob));
    assert_eq!(flows[1].approval_status, Some(ApprovalStatus::Pending));
    assert_eq!(flows[1].offer_id, Some(6601));

    let eeoc = &client.list_eeoc(&q).await.unwrap().items[0];
    assert_eq!(
        eeoc.gender.as_ref().unwrap().description.as_deref(),
        Some("Female")
    );
    assert!(eeoc.race.is_none());

    let link = &client.list_tracking_links(&q).await.unwrap().items[0];
    assert_eq!(link.token.as_deref(), Some("a1b2c3d4"));
    assert_eq!(link.related_post_type.as_deref(), Some("JobPost"));
}

#[tokio::test]
async fn pools_templates_tags_and_custom_fields() {
    let (_s, client) = serving(&[
        fixture!("prospect_pools"),
        fixture!("prospect_pool_stages"),
        fixture!("email_templates"),
        fixture!("candidate_tags"),
        fixture!("applied_candidate_tags"),
        fixture!("custom_fields"),
    ])
    .await;
    let q = ListQuery::new();
    let pool = &client.list_prospect_pools(&q).await.unwrap().items[0];
    assert_eq!(pool.department_ids, vec![61]);
    assert!(pool.office_ids.is_empty() && pool.job_ids.is_empty());
    let stages: Vec<_> = client
        .prospect_pool_stages(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(stages[1].name.as_deref(), Some("In Discussion"));
    let template = &client.list_email_templates(&q).await.unwrap().items[0];
    assert_eq!(template.kind.as_deref(), Some("candidate_rejection"));
    assert_eq!(template.cc, vec!["recruiting@example.com"]);
    let tags = client.list_candidate_tags(&q).await.unwrap().items;
    assert_eq!(tags[0].name.as_deref(), Some("Silver Medalist"));
    let applied = &client.list_applied_candidate_tags(&q).await.unwrap().items[0];
    assert_eq!(
        (applied.candidate_id, applied.candidate_tag_id),
        (Some(1001), Some(21))
    );
    let fields = client.list_custom_fields(&q).await.unwrap().items;
    assert_eq!(fields[1].name_key.as_deref(), Some("degree"));
    assert_eq!(fields[1].internal_type.as_deref(), Some("degree"));
    assert_eq!(fields[0].private, Some(true));
}

#[tokio::test]
async fn education_lists_ask_for_their_custom_field_key() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            serde_json::json!({"access_token": "t", "token_type": "Bearer", "expires_in": 3600}),
        ))
        .mount(&server)
        .await;
    let options = include_str!("fixtures/v3/custom_field_options.json");
    for key in ["degree", "discipline", "school_name"] {
        Mock::given(method("GET"))
            .and(path("/v3/custom_field_options"))
            .and(query_param("custom_field_key", key))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_raw(options.as_bytes().to_vec(), "application/json"),
            )
            .expect(2)
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
    let q = ListQuery::new();
    let degrees = client.list_degrees(&q).await.unwrap().items;
    assert_eq!(degrees[0].name.as_deref(), Some("Bachelor's Degree"));
    assert_eq!(degrees[1].active, Some(false));
    assert_eq!(client.list_disciplines(&q).await.unwrap().items.len(), 2);
    assert_eq!(client.list_schools(&q).await.unwrap().items.len(), 2);
    for stream in [
        client.degrees(ListQuery::new()),
        client.disciplines(ListQuery::new()),
        client.schools(ListQuery::new()),
    ] {
        let all: Vec<_> = stream.try_collect().await.unwrap();
        assert_eq!(all[1].external_id.as_deref(), Some("MSC"));
    }
    // Each route was hit exactly twice (`expect(2)`), checked on drop.
}

#[tokio::test]
async fn a_saved_cursor_of_a_new_resource_resumes_with_its_scope() {
    let (server, client) = serving(&[]).await;
    Mock::given(method("GET"))
        .and(path("/v3/offices"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(include_str!("fixtures/v3/offices.json"), "application/json"),
        )
        .mount(&server)
        .await;
    let page: greenhouse_harvest::Page<greenhouse_harvest::models::Office> = client
        .page_at(&format!("{}/v3/offices?cursor=abc", server.uri()))
        .await
        .unwrap();
    assert_eq!(page.items.len(), 2);
}

#[tokio::test]
async fn the_fake_serves_the_organization_records_its_jobs_point_at() {
    let fake = greenhouse_harvest::testing::FakeGreenhouse::start().await;
    fake.serve_empty_lists_as_null(true);
    let client = fake.client();
    let q = ListQuery::new();
    let job = &client
        .list_jobs(&q.clone().ids(&[5001]))
        .await
        .unwrap()
        .items[0];
    let department = &client.list_departments(&q).await.unwrap().items[0];
    assert_eq!(job.department_id, Some(department.id));
    let office = &client.list_offices(&q).await.unwrap().items[0];
    assert_eq!(job.office_ids, vec![office.id]);
    let app = &client.list_applications(&q).await.unwrap().items[0];
    let source = &client.list_sources(&q).await.unwrap().items[0];
    assert_eq!(app.source_id, Some(source.id));
    let openings: Vec<_> = client
        .openings(ListQuery::new().id_list("job_ids", &[5001]))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(openings.len(), 1);
    assert_eq!(openings[0].open, Some(true));
    assert!(openings[0].custom_fields.is_empty());
    for page in [
        client.list_user_roles(&q).await.unwrap().skipped,
        client.list_close_reasons(&q).await.unwrap().skipped,
        client.list_rejection_reasons(&q).await.unwrap().skipped,
        client.list_candidate_tags(&q).await.unwrap().skipped,
    ] {
        assert!(page.is_empty());
    }
    // A resource nothing was seeded for is an empty list, not a 404.
    assert!(client.list_eeoc(&q).await.unwrap().items.is_empty());
}

#[tokio::test]
async fn team_profile_and_interview_plan_records() {
    let (_s, client) = serving(&[
        fixture!("job_owners"),
        fixture!("job_hiring_managers"),
        fixture!("referrers"),
        fixture!("user_emails"),
        fixture!("user_job_permissions"),
        fixture!("future_job_permissions"),
        fixture!("attachments"),
        fixture!("candidate_educations"),
        fixture!("candidate_employments"),
        fixture!("prospect_details"),
        fixture!("rejection_details"),
        fixture!("job_interviews"),
        fixture!("interview_kits"),
        fixture!("scorecard_questions"),
        fixture!("scorecard_question_answers"),
    ])
    .await;
    let q = ListQuery::new();
    let owners = client.list_job_owners(&q).await.unwrap().items;
    assert_eq!(owners[0].kind.as_deref(), Some("recruiter"));
    assert_eq!(owners[1].responsible, Some(false));
    let hm = &client.list_job_hiring_managers(&q).await.unwrap().items[0];
    assert_eq!((hm.job_id, hm.user_id), (Some(5001), Some(4081)));
    let referrers = client.list_referrers(&q).await.unwrap().items;
    assert_eq!(referrers[1].user_id, None);
    let email = &client.list_user_emails(&q).await.unwrap().items[0];
    assert_eq!(email.verified, Some(true));
    assert_eq!(
        email.verification_token_sent_at,
        Some(at("2024-12-15T03:56:00Z"))
    );
    let perm = &client.list_user_job_permissions(&q).await.unwrap().items[0];
    assert_eq!((perm.role_id, perm.automated), (Some(7), None));
    let future = &client.list_future_job_permissions(&q).await.unwrap().items[0];
    assert_eq!((future.department_id, future.office_id), (Some(61), None));
    let file = &client.list_attachments(&q).await.unwrap().items[0];
    assert_eq!(file.kind.as_deref(), Some("resume"));
    let edu = &client.list_candidate_educations(&q).await.unwrap().items[0];
    assert_eq!(edu.degree_custom_field_option_id, Some(1121));
    assert_eq!(edu.end_at, Some(at("2014-06-30T00:00:00Z")));
    let job = &client.list_candidate_employments(&q).await.unwrap().items[0];
    assert_eq!(
        (job.start_date.as_deref(), job.end_date.as_deref()),
        (Some("2015-01-01"), None)
    );
    let prospect = &client.list_prospect_details(&q).await.unwrap().items[0];
    assert_eq!(prospect.pool_stage_id, Some(3012));
    let rejection = &client.list_rejection_details(&q).await.unwrap().items[0];
    assert_eq!(rejection.rejection_note_id, Some(8881));
    assert!(rejection.question_custom_fields.is_empty());
    let step = &client.list_job_interviews(&q).await.unwrap().items[0];
    assert_eq!(
        (step.duration, step.require_scorecard),
        (Some(45), Some(true))
    );
    let kit = &client.list_interview_kits(&q).await.unwrap().items[0];
    assert_eq!(kit.anonymize_resumes, Some(true));
    let question = &client.list_scorecard_questions(&q).await.unwrap().items[0];
    assert_eq!(question.answer_type.as_deref(), Some("yes_no"));
    let answer = &client
        .list_scorecard_question_answers(&q)
        .await
        .unwrap()
        .items[0];
    assert_eq!(
        (answer.answer.as_deref(), answer.boolean_value),
        (None, Some(true))
    );
}

#[tokio::test]
async fn any_resource_is_fetched_by_id_and_in_batches_of_fifty() {
    use greenhouse_harvest::models::{Department, Job, Offer};
    use greenhouse_harvest::{Candidate, Error};
    let fake = greenhouse_harvest::testing::FakeGreenhouse::start().await;
    let client = fake.client();
    let job: Job = client.get(5002).await.unwrap().unwrap();
    assert_eq!(job.name.as_deref(), Some("Product Designer"));
    let department: Option<Department> = client.get(61).await.unwrap();
    assert_eq!(department.unwrap().name.as_deref(), Some("Engineering"));
    assert_eq!(client.get::<Offer>(1).await.unwrap(), None);

    // A record that exists but does not read is an error naming it, not `None`.
    fake.add_raw_record(
        "candidates",
        serde_json::json!({"id": 77, "tags": "not a list"}),
    );
    let err = client.get::<Candidate>(77).await.unwrap_err();
    let Error::Record(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!((e.id, e.path.as_str()), (Some(77), "tags"));
    assert!(matches!(
        client.get_candidate(77).await,
        Err(Error::Record(_))
    ));

    let mut ids = fake.candidate_ids();
    ids.extend(100_000..100_060); // 60 ids that do not exist
    let before = fake.request_count("GET /v3/candidates");
    let found: Vec<Candidate> = client.get_many(&ids).await.unwrap();
    // Every real, readable candidate; the malformed one is logged and left out.
    assert_eq!(found.len(), fake.candidate_ids().len() - 1);
    assert_eq!(
        fake.request_count("GET /v3/candidates") - before,
        ids.len().div_ceil(50) as u64
    );
}

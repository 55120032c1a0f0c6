//! Webhook verification and parsing against the official example payloads of
//! the Greenhouse webhook documentation (grnhse/greenhouse-api-docs,
//! `source/includes/webhooks/_application_events.md`, `_candidate_events.md`,
//! `_interview_events.md`, `_job_events.md`, `_organization_events.md`).
//! Every fixture in `fixtures/webhooks/` except `ping.json` (an observed
//! delivery, grnhse/greenhouse-api-docs#276) is a documented example.

use greenhouse_harvest::models::{ApplicationStatus, EmailType, InterviewStatus, JobStatus};
use greenhouse_harvest::testing::FakeGreenhouse;
use greenhouse_harvest::webhooks::{self, WebhookEvent, WebhookVerifier};
use greenhouse_harvest::{Error, models::ResponseStatus};

const SECRET: &str = "whsec-test-secret";

fn deliver(body: &str) -> WebhookEvent {
    let header = webhooks::sign(SECRET, body.as_bytes());
    WebhookVerifier::new(SECRET)
        .verify_and_parse(body.as_bytes(), Some(&header))
        .expect("official example verifies and parses")
}

#[test]
fn job_post_updated_official_example() {
    let WebhookEvent::JobPostUpdated(post) =
        deliver(include_str!("fixtures/webhooks/job_post_updated.json"))
    else {
        panic!("wrong variant")
    };
    assert_eq!(post.id, 1813002);
    assert_eq!(post.job_id, Some(1842002));
    assert!(!post.is_prospect_post());
    assert_eq!(post.location.as_deref(), Some("At a Cool Place"));
    assert_eq!(post.content.as_deref(), Some("<p>Come work for us!</p>"));
    assert_eq!(post.questions.len(), 3);
    assert_eq!(post.questions[0].kind.as_deref(), Some("input_text"));
    assert_eq!(
        post.updated_at.unwrap().to_rfc3339(),
        "2017-10-12T18:29:08.399+00:00"
    );
}

#[test]
fn job_created_official_example() {
    let WebhookEvent::JobCreated(job) = deliver(include_str!("fixtures/webhooks/job_created.json"))
    else {
        panic!("wrong variant")
    };
    assert_eq!(job.id, 371417);
    assert_eq!(job.status, Some(JobStatus::Open));
    assert_eq!(job.offices[1].location, None);
    let team = job.hiring_team.as_ref().unwrap();
    assert_eq!(team.recruiters[1].employee_id.as_deref(), Some("abc-234"));
    assert_eq!(job.openings[0].opening_id.as_deref(), Some("abc-1"));
    // currency_range values arrive as strings.
    assert_eq!(
        job.custom_fields["salary_range"].value["min_value"],
        "10000.0"
    );
}

#[test]
fn candidate_updated_official_example() {
    let WebhookEvent::CandidateUpdated(c) =
        deliver(include_str!("fixtures/webhooks/update_candidate.json"))
    else {
        panic!("wrong variant")
    };
    assert_eq!(c.id, 15696179);
    assert_eq!(
        c.email_addresses[0].value.as_deref(),
        Some("123456email@email.com")
    );
    assert_eq!(c.email_addresses[0].kind, Some(EmailType::Work));
    assert_eq!(c.educations[0].start_date.as_deref(), Some("01/01/2012"));
    assert_eq!(
        c.recruiter.as_ref().unwrap().email.as_deref(),
        Some("hank.hollandaise.169779@example.com")
    );
    assert_eq!(c.social_media_addresses[0].kind, None);
    assert_eq!(
        c.custom_fields["current_salary"].value,
        serde_json::Value::Null
    );
}

#[test]
fn candidate_stage_change_official_example() {
    let WebhookEvent::CandidateStageChanged(app) = deliver(include_str!(
        "fixtures/webhooks/candidate_stage_change.json"
    )) else {
        panic!("wrong variant")
    };
    assert_eq!(app.id, 265277);
    assert_eq!(app.status, Some(ApplicationStatus::Active));
    let stage = app.current_stage.as_ref().unwrap();
    assert_eq!(stage.name.as_deref(), Some("Assessment"));
    assert_eq!(
        stage.interviews[0].status,
        Some(InterviewStatus::ToBeScheduled)
    );
    assert_eq!(
        stage.interviews[0].interviewers[0].status,
        Some(ResponseStatus::Tentative)
    );
    assert_eq!(app.candidate.id, 265772);
    assert_eq!(
        app.candidate.email_addresses[0].value.as_deref(),
        Some("giuseppe.hurley@example.com")
    );
    assert_eq!(app.jobs[0].id, 3485);
    assert_eq!(app.source.as_ref().unwrap().name.as_deref(), Some("Agency"));
}

#[test]
fn candidate_deleted_merged_and_anonymized_official_examples() {
    let WebhookEvent::CandidateDeleted(p) =
        deliver(include_str!("fixtures/webhooks/delete_candidate.json"))
    else {
        panic!("wrong variant")
    };
    assert_eq!(p.id, 37031511);
    assert_eq!(p.deleted_application_ids, vec![46196263, 46196258]);

    let WebhookEvent::CandidateMerged(m) =
        deliver(include_str!("fixtures/webhooks/merge_candidate.json"))
    else {
        panic!("wrong variant")
    };
    assert_eq!(m.merged.id, 37031511);
    assert_eq!(m.surviving_candidate_id, 457456);

    let WebhookEvent::CandidateAnonymized(a) =
        deliver(include_str!("fixtures/webhooks/candidate_anonymized.json"))
    else {
        panic!("wrong variant")
    };
    assert_eq!(a.candidate_id, 37031511);
    assert_eq!(a.anonymized_fields, vec!["full_name", "current_title"]);
}

#[test]
fn ping_from_the_documented_test_vector() {
    let body = include_str!("fixtures/webhooks/ping.json");
    let header = "sha256 395b1309fd37f0732d1ed11c15e03edd61b818918df6bf93be7c71bafb09c877";
    let event = WebhookVerifier::new("1uSUju2H6AohOE7OQVaxeLT3O8Uxxuas")
        .verify_and_parse(body.as_bytes(), Some(header))
        .unwrap();
    assert_eq!(event.action(), "ping");
    let WebhookEvent::Ping(ping) = event else {
        panic!("wrong variant")
    };
    assert_eq!(ping.name.as_deref(), Some("Job Post Create"));
    assert_eq!(ping.active, Some(true));
}

#[test]
fn unknown_actions_keep_the_raw_json() {
    // An action Greenhouse may add later; every documented one is typed.
    let body = r#"{"action":"candidate_teleported","payload":{"candidate":{"id":7}}}"#;
    let event = deliver(body);
    assert_eq!(event.action(), "candidate_teleported");
    assert_eq!(event.candidate_id(), None);
    let WebhookEvent::Unknown { action, raw } = event else {
        panic!("wrong variant")
    };
    assert_eq!(action, "candidate_teleported");
    assert_eq!(raw["payload"]["candidate"]["id"], 7);
}

#[test]
fn unknown_enum_values_and_extra_fields_do_not_fail() {
    let mut v: serde_json::Value = serde_json::from_str(include_str!(
        "fixtures/webhooks/candidate_stage_change.json"
    ))
    .unwrap();
    v["payload"]["application"]["status"] = "paused".into();
    v["payload"]["application"]["current_stage"]["interviews"][0]["status"] = "rescheduled".into();
    v["payload"]["application"]["brand_new"] = serde_json::json!({"x": 1});
    v["organization_id"] = 42.into();
    let body = serde_json::to_string(&v).unwrap();
    let WebhookEvent::CandidateStageChanged(app) = deliver(&body) else {
        panic!("wrong variant")
    };
    assert_eq!(
        app.status,
        Some(ApplicationStatus::Unknown("paused".into()))
    );
    assert_eq!(
        app.current_stage.unwrap().interviews[0].status,
        Some(InterviewStatus::Unknown("rescheduled".into()))
    );
}

#[test]
fn forged_and_tampered_bodies_are_rejected() {
    let body = include_str!("fixtures/webhooks/update_candidate.json");
    let header = webhooks::sign(SECRET, body.as_bytes());
    let verifier = WebhookVerifier::new(SECRET);
    let tampered = body.replace("Ronald", "Donald");
    assert!(matches!(
        verifier.verify(tampered.as_bytes(), Some(&header)),
        Err(Error::InvalidSignature { .. })
    ));
    let forged = webhooks::sign("not-the-secret", body.as_bytes());
    assert!(verifier.verify(body.as_bytes(), Some(&forged)).is_err());
    // Re-serializing the JSON (reordering/whitespace) breaks the signature:
    // verification must use the raw bytes.
    let reserialized =
        serde_json::to_string(&serde_json::from_str::<serde_json::Value>(body).unwrap()).unwrap();
    assert!(
        verifier
            .verify(reserialized.as_bytes(), Some(&header))
            .is_err()
    );
}

#[test]
fn unicode_escaped_bodies_verify_over_the_exact_bytes() {
    let fake_secret_holder = tokio::runtime::Runtime::new().unwrap();
    let fake = fake_secret_holder.block_on(FakeGreenhouse::start());
    let payload: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/webhooks/job_post_updated.json")).unwrap();
    let (body, header) = fake.signed_webhook(&payload);
    let text = String::from_utf8(body.clone()).unwrap();
    assert!(
        text.contains(r"\u003cp\u003eCome work for us!\u003c/p\u003e"),
        "{text}"
    );
    let verifier = WebhookVerifier::new(fake.webhook_secret());
    let WebhookEvent::JobPostUpdated(post) =
        verifier.verify_and_parse(&body, Some(&header)).unwrap()
    else {
        panic!("wrong variant")
    };
    assert_eq!(post.content.as_deref(), Some("<p>Come work for us!</p>"));
    // The unescaped equivalent is a different byte string and must not pass.
    let unescaped = text.replace(r"\u003c", "<").replace(r"\u003e", ">");
    assert!(
        verifier
            .verify(unescaped.as_bytes(), Some(&header))
            .is_err()
    );
}

#[test]
fn rotated_secrets_are_all_accepted() {
    let body = include_str!("fixtures/webhooks/delete_candidate.json");
    let verifier = WebhookVerifier::new("old-secret").with_secret("new-secret");
    for secret in ["old-secret", "new-secret"] {
        let header = webhooks::sign(secret, body.as_bytes());
        assert!(verifier.verify(body.as_bytes(), Some(&header)).is_ok());
    }
    assert!(!format!("{verifier:?}").contains("secret\""));
    assert!(!format!("{verifier:?}").contains("old-secret"));
}

#[test]
fn malformed_payloads_name_the_field() {
    let body = r#"{"action":"merge_candidate","payload":{"person":{"id":"not-a-number"}}}"#;
    let header = webhooks::sign(SECRET, body.as_bytes());
    let err = WebhookVerifier::new(SECRET)
        .verify_and_parse(body.as_bytes(), Some(&header))
        .unwrap_err();
    let Error::InvalidWebhookPayload { path, .. } = err else {
        panic!("{err:?}")
    };
    assert_eq!(path, "payload.person.id");
    let not_json = b"not json";
    let header = webhooks::sign(SECRET, not_json);
    assert!(
        WebhookVerifier::new(SECRET)
            .verify_and_parse(not_json, Some(&header))
            .is_err()
    );
}

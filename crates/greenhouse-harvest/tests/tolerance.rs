//! Real-world data never breaks a sync (issue 10 §1): `null` lists and maps
//! read as empty, one malformed record never loses its page, and custom
//! fields keep keys the models do not name.

use futures::StreamExt;
use greenhouse_harvest::models::CustomField;
use greenhouse_harvest::testing::FakeGreenhouse;
use greenhouse_harvest::{Candidate, Error, ListQuery, User};
use serde_json::json;

#[tokio::test]
async fn every_seeded_resource_reads_with_empty_lists_sent_as_null() {
    let fake = FakeGreenhouse::start().await;
    fake.serve_empty_lists_as_null(true);
    let client = fake.client();
    // The seeded records have empty `custom_fields`, `answers`,
    // `prospective_job_ids`, `addresses`, `linked_user_ids`, ...: all `null` now.
    let page = client.list_candidates(&ListQuery::new()).await.unwrap();
    assert!(page.is_complete(), "{:?}", page.skipped);
    assert!(page.items.iter().all(|c| c.addresses.is_empty()));
    let page = client.list_applications(&ListQuery::new()).await.unwrap();
    assert!(page.is_complete(), "{:?}", page.skipped);
    assert!(page.items.iter().all(|a| a.prospective_job_ids.is_empty()));
    for skipped in [
        client.list_users(&ListQuery::new()).await.unwrap().skipped,
        client.list_jobs(&ListQuery::new()).await.unwrap().skipped,
        client
            .list_job_posts(&ListQuery::new())
            .await
            .unwrap()
            .skipped,
        client
            .list_interviews(&ListQuery::new())
            .await
            .unwrap()
            .skipped,
        client.list_notes(&ListQuery::new()).await.unwrap().skipped,
    ] {
        assert!(skipped.is_empty(), "{skipped:?}");
    }
}

#[tokio::test]
async fn explicit_nulls_in_every_list_field_read_as_empty() {
    let fake = FakeGreenhouse::start().await;
    let client = fake.client();
    fake.add_raw_record(
        "candidates",
        json!({"id": 1, "first_name": "Null", "tags": null, "custom_fields": null,
               "email_addresses": [{"value": null, "type": "personal"}, {"value": "n@example.com"}],
               "phone_numbers": null, "addresses": null, "website_addresses": null,
               "social_media_addresses": null, "linked_user_ids": null}),
    );
    fake.add_raw_record(
        "applications",
        json!({"id": 2, "prospective_job_ids": null, "answers": null, "custom_fields": null}),
    );
    fake.add_raw_record(
        "jobs",
        json!({"id": 3, "office_ids": null, "custom_fields": null}),
    );
    fake.add_raw_record(
        "users",
        json!({"id": 4, "emails": null, "department_ids": null, "office_ids": null,
               "linked_candidate_ids": null, "custom_fields": null}),
    );
    let c: Candidate = client
        .list_candidates(&ListQuery::new().ids(&[1]))
        .await
        .unwrap()
        .items
        .remove(0);
    assert!(c.tags.is_empty() && c.custom_fields.is_empty() && c.phone_numbers.is_empty());
    assert_eq!(c.email_addresses[0].value, None);
    assert!(c.has_email("n@example.com"));
    let a = client
        .list_applications(&ListQuery::new().ids(&[2]))
        .await
        .unwrap();
    assert!(a.is_complete() && a.items[0].prospective_job_ids.is_empty());
    let j = client.list_jobs(&ListQuery::new().ids(&[3])).await.unwrap();
    assert!(j.is_complete() && j.items[0].office_ids.is_empty());
    let u: User = client
        .list_users(&ListQuery::new().ids(&[4]))
        .await
        .unwrap()
        .items
        .remove(0);
    assert!(u.emails.is_empty() && u.office_ids.is_empty());
}

#[tokio::test]
async fn a_stream_yields_good_records_and_a_record_error_in_place_then_goes_on() {
    let fake = FakeGreenhouse::start().await;
    let client = fake.client();
    let before = fake.candidate_ids().len();
    // Served id-descending: 999_999 first, then the record without an id last.
    fake.add_raw_record(
        "candidates",
        json!({"id": 999_999, "email_addresses": "not a list"}),
    );
    fake.add_raw_record("candidates", json!({"first_name": "No id"}));
    let items: Vec<_> = client
        .candidates(ListQuery::new().per_page(2))
        .collect()
        .await;
    assert_eq!(items.len(), before + 2);
    let Err(Error::Record(first)) = &items[0] else {
        panic!("{:?}", items[0])
    };
    assert_eq!(
        (first.index, first.id, first.path.as_str()),
        (0, Some(999_999), "email_addresses")
    );
    // The good records of the same page and of later pages all arrive.
    let good = items.iter().filter(|i| i.is_ok()).count();
    assert_eq!(good, before);
    let Err(last) = items.last().unwrap() else {
        panic!("the id-less record is last")
    };
    assert!(last.is_record() && !last.is_retryable());
    let Error::Record(last) = last else {
        unreachable!()
    };
    assert_eq!(last.id, None);
    assert!(last.message.contains("missing field `id`"), "{last}");
    // The message names the record but never shows its content.
    assert!(!last.to_string().contains("No id"));
    assert!(
        first
            .to_string()
            .contains("candidates record #0 (id 999999)")
    );
}

#[tokio::test]
async fn a_malformed_candidate_does_not_hide_the_one_looked_up_by_email() {
    let fake = FakeGreenhouse::start().await;
    let client = fake.client();
    fake.add_raw_record(
        "candidates",
        json!({"id": 5, "email_addresses": [{"value": "ada.lovelace@example.com", "type": 3}]}),
    );
    let found = client
        .find_candidates_by_email("ada.lovelace@example.com")
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_ne!(found[0].id, 5);
}

#[test]
fn custom_fields_keep_unknown_keys_and_write_them_back() {
    let raw = json!({
        "name": "Salary", "type": "currency_range",
        "value": {"unit": "USD", "min_value": "100000.0", "max_value": "120000.0"},
        "compensation_type": "base", "frequency": "yearly", "rationale": null
    });
    let field: CustomField = serde_json::from_value(raw.clone()).unwrap();
    assert_eq!(field.extra["compensation_type"], "base");
    assert_eq!(field.extra["frequency"], "yearly");
    assert!(field.extra.contains_key("rationale"));
    assert_eq!(serde_json::to_value(&field).unwrap(), raw);
}

#[test]
fn webhook_payloads_read_null_lists_and_maps_as_empty() {
    let body = json!({"action": "update_candidate", "payload": {"candidate": {
        "id": 7, "phone_numbers": null, "email_addresses": [{"value": null, "type": "work"}],
        "addresses": null, "website_addresses": null, "social_media_addresses": null,
        "educations": null, "employments": null, "attachments": null, "tags": null,
        "custom_fields": null
    }}});
    let event = greenhouse_harvest::webhooks::parse_event(body.to_string().as_bytes()).unwrap();
    let greenhouse_harvest::WebhookEvent::CandidateUpdated(c) = event else {
        panic!("{event:?}")
    };
    assert!(c.tags.is_empty() && c.custom_fields.is_empty() && c.educations.is_empty());
    assert_eq!(c.email_addresses[0].value, None);
    let body = json!({"action": "job_created", "payload": {"job": {
        "id": 8, "departments": null, "offices": null, "openings": null, "custom_fields": null,
        "hiring_team": {"hiring_managers": null, "sourcers": null, "recruiters": null, "coordinators": null}
    }}});
    let event = greenhouse_harvest::webhooks::parse_event(body.to_string().as_bytes()).unwrap();
    let greenhouse_harvest::WebhookEvent::JobCreated(j) = event else {
        panic!("{event:?}")
    };
    assert!(j.offices.is_empty() && j.hiring_team.unwrap().recruiters.is_empty());
}

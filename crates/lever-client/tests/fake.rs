//! The testing kit itself: seed data, runtime seeding, notes, failures, revoke.

use chrono::Utc;
use futures::TryStreamExt;
use lever_client::testing::{
    Failure, FakeLever, NewCandidate, NewInterview, NoteResponseShape, SEED_CANDIDATE_EMAIL,
    SEED_CONFIDENTIAL_EMAIL, SEED_INTERVIEWER_EMAIL, SEED_USER_EMAIL,
};
use lever_client::{
    ConfidentialityFilter, Error, Expandable, NewNote, NoteScore, OpportunityQuery, UserQuery,
};

#[tokio::test]
async fn seed_data_is_realistic_and_typed() {
    let fake = FakeLever::start().await;
    let client = fake.client();

    let ada = client
        .opportunities_by_email(SEED_CANDIDATE_EMAIL)
        .await
        .unwrap();
    assert_eq!(ada.len(), 2, "one active and one archived candidacy");
    let active = ada.iter().find(|o| !o.is_archived()).unwrap();
    assert!(matches!(&active.contact, Some(Expandable::Object(c)) if c.emails.len() == 2));
    assert!(
        active.applications[0].object().is_some(),
        "expanded by the e-mail lookup"
    );
    let plain = client.opportunity(&active.id).await.unwrap();
    let expanded = client
        .opportunity_expanded(&active.id, &["applications", "contact"])
        .await
        .unwrap();
    assert!(plain.applications[0].object().is_none());
    assert!(expanded.applications[0].object().unwrap().posting.is_some());
    assert!(expanded.contact.unwrap().object().is_some());
    assert_eq!(active.tags, ["backend", "referral"]);
    assert_eq!(active.applications.len(), 1);
    assert_eq!(active.followers.len(), 2);
    assert!(active.owner.is_some());
    let contact_id = active.contact.as_ref().unwrap().id().to_owned();
    assert_eq!(
        ada[0].contact.as_ref().unwrap().id(),
        ada[1].contact.as_ref().unwrap().id()
    );
    let contact = client.contact(&contact_id).await.unwrap();
    assert_eq!(contact.name.as_deref(), Some("Ada Lovelace"));

    let interviews: Vec<_> = client.interviews(&active.id).try_collect().await.unwrap();
    assert_eq!(interviews.len(), 1);
    let interview = &interviews[0];
    assert_eq!(interview.duration, Some(45));
    assert!(
        interview
            .location
            .as_deref()
            .unwrap()
            .starts_with("https://")
    );
    assert_eq!(
        interview.interviewers[0].email.as_deref(),
        Some(SEED_INTERVIEWER_EMAIL)
    );
    let panels: Vec<_> = client.panels(&active.id).try_collect().await.unwrap();
    assert_eq!(panels[0].interviews[0].id, interview.id);
    assert_eq!(
        client
            .interview(&active.id, &interview.id)
            .await
            .unwrap()
            .id,
        interview.id
    );

    // Confidential candidates are hidden unless asked for (Lever's default).
    let q = OpportunityQuery::new()
        .email(SEED_CONFIDENTIAL_EMAIL)
        .confidentiality(ConfidentialityFilter::NonConfidential);
    assert!(
        client
            .opportunities_page(&q, None)
            .await
            .unwrap()
            .data
            .is_empty()
    );
    assert_eq!(
        client
            .opportunities_by_email(SEED_CONFIDENTIAL_EMAIL)
            .await
            .unwrap()
            .len(),
        1
    );

    let expanded = client
        .opportunities_page(
            &OpportunityQuery::new()
                .email(SEED_CANDIDATE_EMAIL)
                .archived(false)
                .expand("applications"),
            None,
        )
        .await
        .unwrap();
    let app = expanded.data[0].applications[0].object().unwrap();
    assert_eq!(app.opportunity_id.as_deref(), Some(active.id.as_str()));
    assert!(app.posting.is_some());
    let postings: Vec<_> = client
        .postings(&lever_client::PostingQuery::new())
        .try_collect()
        .await
        .unwrap();
    let backend = postings
        .iter()
        .find(|p| p.text.as_deref() == Some("Senior Backend Engineer"))
        .unwrap();
    let q = OpportunityQuery::new()
        .posting_id(&backend.id)
        .confidentiality(ConfidentialityFilter::All);
    let on_backend = client.opportunities_page(&q, None).await.unwrap().data;
    assert_eq!(on_backend.len(), 2, "Ada and Grace applied to it");

    let stages: Vec<_> = client.stages().try_collect().await.unwrap();
    assert!(stages.iter().any(|s| s.id == "applicant-new"));
    let reasons: Vec<_> = client.archive_reasons().try_collect().await.unwrap();
    assert_eq!(reasons.len(), 3);
    let postings: Vec<_> = client
        .postings(&lever_client::PostingQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(postings.len(), 2);
    let rachel = client
        .user_by_email(SEED_USER_EMAIL)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(Some(rachel.id.clone()), fake.user_id(SEED_USER_EMAIL));
    let users: Vec<_> = client.users(&UserQuery::new()).try_collect().await.unwrap();
    assert_eq!(users.len(), 3);
}

#[tokio::test]
async fn runtime_seeding_archive_and_delete() {
    let fake = FakeLever::start().await;
    let client = fake.client();
    let uid = fake.add_user("Phoebe Buffay", "phoebe@example.com");
    let opp = fake.add_candidate(
        NewCandidate::new("Margaret Hamilton", "mh@example.com")
            .email("margaret@apollo.example")
            .stage("lead-new")
            .owner(uid.clone()),
    );
    assert_eq!(
        fake.opportunity_ids("margaret@apollo.example"),
        vec![opp.clone()]
    );
    let start = Utc::now() + chrono::Duration::days(1);
    let iid = fake.add_interview(
        &opp,
        NewInterview::new(start, 30)
            .interviewer(uid.clone())
            .location("https://meet.example.com/mh")
            .subject("Intro"),
    );
    let interview = client.interview(&opp, &iid).await.unwrap();
    assert_eq!(
        interview.date.unwrap().timestamp_millis(),
        start.timestamp_millis()
    );
    assert_eq!(interview.interviewers[0].id, uid);

    fake.archive_opportunity(&opp, None);
    assert!(client.opportunity(&opp).await.unwrap().is_archived());
    let active = OpportunityQuery::new()
        .email("mh@example.com")
        .archived(false);
    assert!(
        client
            .opportunities_page(&active, None)
            .await
            .unwrap()
            .data
            .is_empty()
    );

    fake.delete_opportunity(&opp);
    let err = client.opportunity(&opp).await.unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert!(err.is_not_found());
    assert!(fake.request_count("GET /opportunities/:id") >= 2);
}

#[tokio::test]
async fn notes_are_stored_read_back_and_listed_with_pagination() {
    let fake = FakeLever::start().await;
    let client = fake.client_builder().page_size(2).build().unwrap();
    let opp = fake.opportunity_ids(SEED_CANDIDATE_EMAIL)[0].clone();
    let author = fake.user_id(SEED_USER_EMAIL).unwrap();
    for i in 0..3 {
        let note = NewNote::new(format!("Summary {i}"))
            .perform_as(&author)
            .secret(i == 0)
            .score(NoteScore::Yes)
            .notify_followers(true);
        let created = client.add_note(&opp, &note).await.unwrap();
        assert_eq!(
            created.note.unwrap().value(),
            Some(format!("Summary {i}").as_str())
        );
    }
    let posted = fake.notes_for(&opp);
    assert_eq!(posted.len(), 3);
    assert_eq!(posted[0].perform_as.as_deref(), Some(author.as_str()));
    assert!(posted[0].secret && !posted[1].secret);
    assert_eq!(posted[0].score, Some(3));
    assert!(posted[0].notify_followers);

    let listed: Vec<_> = client.notes(&opp).try_collect().await.unwrap();
    assert_eq!(listed.len(), 3);
    assert_eq!(fake.request_count("GET /opportunities/:id/notes"), 2);

    fake.set_note_response_shape(NoteResponseShape::NoteIdOnly);
    let created = client.add_note(&opp, &NewNote::new("short")).await.unwrap();
    assert!(created.note.is_none());
    assert_eq!(fake.notes().last().unwrap().id, created.note_id);

    // Lever-like validation.
    let bad = client
        .add_note(&opp, &NewNote::new("x").perform_as("no-such-user"))
        .await
        .unwrap_err();
    assert_eq!(bad.status(), Some(400));
    let future = client
        .add_note(
            &opp,
            &NewNote::new("x").created_at(Utc::now() + chrono::Duration::days(1)),
        )
        .await
        .unwrap_err();
    assert_eq!(future.status(), Some(400));
}

#[tokio::test]
async fn injected_failures_are_retried_for_gets() {
    let fake = FakeLever::start().await;
    let client = fake.client();
    fake.fail_next(2, Failure::Status(503));
    client.stage("offer").await.unwrap();
    assert_eq!(fake.request_count("GET /stages/:id"), 3);
    fake.fail_next(
        1,
        Failure::RateLimited {
            retry_after: Some(std::time::Duration::from_secs(1)),
        },
    );
    client.stage("offer").await.unwrap();
    assert_eq!(fake.request_count("GET /stages/:id"), 5);
    fake.fail_next(10, Failure::Status(500));
    fake.clear_failures();
    client.stage("offer").await.unwrap();
}

#[tokio::test]
async fn revoke_and_restore() {
    let fake = FakeLever::start().await;
    let client = fake.client();
    fake.revoke();
    let err = client.stages_page(None).await.unwrap_err();
    assert!(matches!(err, Error::Revoked { .. }));
    assert_eq!(fake.request_count("GET /stages"), 1, "no retry loop");
    fake.restore();
    assert!(!client.stages_page(None).await.unwrap().data.is_empty());

    // A wrong key is rejected too.
    let stranger = lever_client::LeverClient::builder()
        .api_key("not-the-key")
        .base_url(fake.base_url())
        .build()
        .unwrap();
    assert!(matches!(
        stranger.stages_page(None).await,
        Err(Error::Revoked { .. })
    ));
    assert!(fake.total_requests() >= 3);
}

#[tokio::test]
async fn oauth_connection_against_the_fake() {
    use lever_client::{MemoryTokenStore, TokenStore};
    use secrecy::ExposeSecret;
    use std::sync::Arc;

    let fake = FakeLever::start().await;
    // Connect: exchange a code, store the tokens.
    let tokens = fake
        .oauth_config()
        .exchange_code(&fake.authorization_code())
        .await
        .unwrap();
    let first_refresh = tokens.refresh_token.clone().unwrap();
    let store = Arc::new(MemoryTokenStore::with_tokens(tokens));
    let client = fake.oauth_client(store.clone() as Arc<dyn TokenStore>);
    assert!(!client.stages_page(None).await.unwrap().data.is_empty());
    assert_eq!(fake.request_count("POST /oauth/token"), 1);

    // Access tokens die early: one refresh, rotated refresh token saved.
    fake.expire_access_tokens();
    client.stage("offer").await.unwrap();
    assert_eq!(fake.request_count("POST /oauth/token"), 2);
    let saved = store.tokens().unwrap();
    assert_ne!(
        saved.refresh_token.unwrap().expose_secret(),
        first_refresh.expose_secret()
    );

    // The old refresh token no longer works (rotation).
    let stale = lever_client::TokenSet::new(
        "dead",
        Some(first_refresh.expose_secret().to_owned()),
        Utc::now() - chrono::Duration::seconds(1),
    );
    let stale_client = fake.oauth_client(Arc::new(MemoryTokenStore::with_tokens(stale)));
    assert!(matches!(
        stale_client.stage("offer").await,
        Err(Error::Revoked { .. })
    ));

    // Revoke Access: the connection is dead, even after the fake is restored.
    fake.revoke();
    let err = client.stage("offer").await.unwrap_err();
    assert!(err.needs_reconnect(), "{err:?}");
    fake.restore();
    assert!(client.stage("offer").await.unwrap_err().needs_reconnect());
    assert!(
        fake.client().stage("offer").await.is_ok(),
        "API keys work again"
    );

    // Directly issued tokens work too.
    let direct = fake.issue_tokens(std::time::Duration::from_secs(3600));
    let direct_client = fake.oauth_client(Arc::new(MemoryTokenStore::with_tokens(direct)));
    direct_client.stage("offer").await.unwrap();
}

#[tokio::test]
async fn contact_updates_deleted_list_and_contact_updated_deliveries() {
    use lever_client::webhooks::WebhookEvent;
    use lever_client::{ContactUpdate, DeletedOpportunityQuery};

    let fake = FakeLever::start().await;
    let opp = fake.add_candidate(NewCandidate::new("Mary Jackson", "mj@example.com"));
    let contact = fake.contact_id(&opp).unwrap();
    let client = fake.client();

    // A recruiter replaces the person's addresses in Lever: the delivery carries the new list.
    assert!(fake.set_contact_emails(&contact, &["mary@nasa.example"]));
    let body = fake.contact_updated_delivery(&contact).unwrap();
    let delivery = fake.verifier().verify(&body).unwrap();
    match &delivery.event {
        WebhookEvent::ContactUpdated(h) => {
            assert_eq!(h.contact_id.as_deref(), Some(contact.as_str()));
            assert_eq!(h.emails().unwrap(), ["mary@nasa.example"]);
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(fake.contact_updated_delivery("no-such-contact").is_none());

    // `update_contact` goes through the fake and is visible on the opportunity.
    let update = ContactUpdate {
        name: Some("Mary W. Jackson".into()),
        emails: vec!["mwj@nasa.example".into()],
        ..ContactUpdate::default()
    };
    let updated = client.update_contact(&contact, &update).await.unwrap();
    assert_eq!(updated.emails, ["mwj@nasa.example"]);
    let again = client.opportunity(&opp).await.unwrap();
    assert_eq!(again.emails, ["mwj@nasa.example"]);
    assert_eq!(again.name.as_deref(), Some("Mary W. Jackson"));

    // A deleted opportunity leaves the list and shows up in the deleted list.
    fake.delete_opportunity(&opp);
    let deleted: Vec<_> = client
        .deleted_opportunities(&DeletedOpportunityQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(deleted.len(), 1);
    assert_eq!(deleted[0].opportunity.id, opp);
    assert!(deleted[0].deleted_at.is_some());
}

#[tokio::test]
async fn an_empty_fake_serves_only_what_the_test_adds() {
    let fake = FakeLever::start_empty().await;
    let client = fake.client();
    assert!(fake.user_id(SEED_USER_EMAIL).is_none(), "no seeded users");
    assert!(
        client
            .opportunities_by_email(SEED_CANDIDATE_EMAIL)
            .await
            .unwrap()
            .is_empty(),
        "no seeded candidates"
    );
    let id = fake.add_candidate(NewCandidate::new("Ada Lovelace", "ada@example.com"));
    let found = client
        .opportunities_by_email("ada@example.com")
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, id);
    let counted: u64 = fake.request_counts().values().sum();
    assert_eq!(fake.total_requests(), counted);
    assert!(fake.total_requests() >= 2);
}

#[tokio::test]
async fn a_rate_limit_retry_after_is_sent_in_whole_seconds_rounded_up() {
    let fake = FakeLever::start().await;
    let client = fake
        .client_builder()
        .retry_policy(lever_client::RetryPolicy::none())
        .build()
        .unwrap();
    fake.fail_next(
        1,
        Failure::RateLimited {
            retry_after: Some(std::time::Duration::from_millis(1500)),
        },
    );
    let err = client.user_by_email(SEED_USER_EMAIL).await.unwrap_err();
    assert_eq!(err.retry_after(), Some(std::time::Duration::from_secs(2)));
}

#[tokio::test]
async fn opportunity_pages_resume_at_the_next_record_even_after_a_deletion() {
    let fake = FakeLever::start_empty().await;
    let ids: Vec<String> = (0..5)
        .map(|i| fake.add_candidate(NewCandidate::new(format!("C{i}"), format!("c{i}@x.io"))))
        .collect();
    let client = fake.client();
    let query = OpportunityQuery::new().limit(2);
    let first = client.opportunities_page(&query, None).await.unwrap();
    let seen: Vec<&str> = first.data.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(seen, [ids[0].as_str(), ids[1].as_str()]);
    // A record of the page already read disappears: the next page must not skip one.
    fake.delete_opportunity(&ids[0]);
    let second = client
        .opportunities_page(&query, first.next.as_deref())
        .await
        .unwrap();
    let seen: Vec<&str> = second.data.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(seen, [ids[2].as_str(), ids[3].as_str()]);
    let third = client
        .opportunities_page(&query, second.next.as_deref())
        .await
        .unwrap();
    assert_eq!(third.data.len(), 1);
    assert_eq!(third.data[0].id, ids[4]);
    assert_eq!(third.has_next, Some(false));
    assert!(third.next.is_none());
}

#[tokio::test]
async fn e_mail_lookups_use_any_case_and_follow_contact_updates() {
    let fake = FakeLever::start_empty().await;
    let opp = fake.add_candidate(NewCandidate::new("Ada", "Ada@Example.com"));
    let again = fake.add_candidate(NewCandidate::new("Ada", "ada@example.com"));
    let contact = fake.contact_id(&opp).unwrap();
    assert_eq!(fake.contact_id(&again).as_deref(), Some(contact.as_str()));
    let client = fake.client();
    assert_eq!(
        client
            .opportunities_by_email("ADA@example.com")
            .await
            .unwrap()
            .len(),
        2
    );
    assert!(fake.set_contact_emails(&contact, &["lovelace@example.com"]));
    assert!(
        client
            .opportunities_by_email("ada@example.com")
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(fake.opportunity_ids("lovelace@example.com"), [opp, again]);
}

/// Lever signs each webhook's deliveries with that webhook's own token:
/// once one is registered for an event, the fake's deliveries of that event
/// carry its signature, and only a verifier holding that token accepts them.
#[tokio::test]
async fn deliveries_are_signed_by_the_registered_webhook() {
    let fake = FakeLever::start().await;
    let before = fake.signed_webhook("candidateStageChange", serde_json::json!({}));
    let global_only = fake.verifier();
    assert!(global_only.verify(&before).is_ok());

    let created = fake
        .client()
        .create_webhook(&lever_client::NewWebhook::new(
            "https://example.com/lever/stage",
            lever_client::WebhookEventType::CandidateStageChange,
        ))
        .await
        .unwrap();
    let token = created.signature_token.expect("a signature token");
    let after = fake.signed_webhook("candidateStageChange", serde_json::json!({}));
    assert!(
        global_only.verify(&after).is_err(),
        "signed with the webhook's token, not the fake's"
    );
    assert!(
        lever_client::WebhookVerifier::new(token)
            .verify(&after)
            .is_ok()
    );
    assert!(
        fake.verifier().verify(&after).is_ok(),
        "verifier() knows it now"
    );
    // Another event without a registered webhook keeps the fake's token.
    let other = fake.signed_webhook("candidateHired", serde_json::json!({}));
    assert!(global_only.verify(&other).is_ok());
}

//! The client against the fake Harvest v3 server (and raw wiremock where a
//! misbehaving server is needed). Everything runs on 127.0.0.1.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};
use futures::{StreamExt, TryStreamExt};
use greenhouse_harvest::testing::{Failure, FakeGreenhouse, NewCandidate};
use greenhouse_harvest::{
    ApplicationStatus, BoxError, ClientCredentials, DateFilter, Error, HarvestClient, ListQuery,
    MemoryTokenStore, NewNote, NoteVisibility, OAuthConfig, RetryPolicy, TokenSet, TokenStore,
    Visibility,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn oauth_for(fake: &FakeGreenhouse) -> OAuthConfig {
    OAuthConfig::new(ClientCredentials::new(
        fake.client_id(),
        fake.client_secret(),
    ))
    .token_url(&fake.token_url())
    .unwrap()
    .introspection_url(&fake.introspection_url())
    .unwrap()
    .authorize_url(&fake.authorize_url())
    .unwrap()
    .redirect_uri("https://app.example.com/greenhouse/callback")
}

/// A wiremock server with a working token endpoint, for raw-response tests.
async fn raw_server() -> (MockServer, HarvestClient) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            serde_json::json!({"access_token": "raw-token", "token_type": "Bearer", "expires_in": 3600}),
        ))
        .mount(&server)
        .await;
    let client = HarvestClient::builder()
        .client_credentials("id", "secret", Some(1))
        .base_url(format!("{}/v3", server.uri()))
        .token_url(format!("{}/token", server.uri()))
        .retry_policy(RetryPolicy::fast())
        .build()
        .unwrap();
    (server, client)
}

#[tokio::test]
async fn client_credentials_token_is_cached_and_shared_by_clones() {
    let fake = FakeGreenhouse::start().await;
    let client = fake.client();
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move { c.list_jobs(&ListQuery::new()).await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    client.list_users(&ListQuery::new()).await.unwrap();
    assert_eq!(
        fake.tokens_issued(),
        1,
        "one token for all clones and concurrent callers"
    );
    assert_eq!(client.tokens_issued(), 1);
    assert_eq!(fake.request_count("POST /token"), 1);
}

#[tokio::test]
async fn expired_token_is_refreshed_after_a_401() {
    let fake = FakeGreenhouse::start().await;
    let client = fake.client();
    client.list_jobs(&ListQuery::new()).await.unwrap();
    fake.expire_access_tokens();
    let jobs = client.list_jobs(&ListQuery::new()).await.unwrap();
    assert_eq!(jobs.items.len(), 3);
    assert_eq!(fake.tokens_issued(), 2);
}

#[tokio::test]
async fn tokens_near_expiry_are_refreshed_before_use() {
    let fake = FakeGreenhouse::start().await;
    fake.set_token_ttls(Duration::from_secs(60), Duration::from_secs(24 * 3600));
    let client = fake
        .client_builder()
        .refresh_margin(Duration::from_secs(120))
        .build()
        .unwrap();
    client.list_jobs(&ListQuery::new()).await.unwrap();
    client.list_jobs(&ListQuery::new()).await.unwrap();
    // Each token expires inside the margin, so each call gets a new one and no 401 is seen.
    assert_eq!(fake.tokens_issued(), 2);
    assert_eq!(fake.request_count("GET /v3/jobs"), 2);
}

#[tokio::test]
async fn wrong_client_secret_is_invalid_client_and_never_printed() {
    let fake = FakeGreenhouse::start().await;
    let client = HarvestClient::builder()
        .client_credentials(fake.client_id(), "wrong-secret-value", Some(fake.user_id()))
        .base_url(fake.base_url())
        .token_url(fake.token_url())
        .retry_policy(RetryPolicy::fast())
        .build()
        .unwrap();
    let err = client.list_jobs(&ListQuery::new()).await.unwrap_err();
    assert!(matches!(err, Error::InvalidClient { .. }), "{err:?}");
    assert!(err.is_auth());
    for text in [format!("{err}"), format!("{err:?}"), format!("{client:?}")] {
        assert!(!text.contains("wrong-secret-value"), "{text}");
    }
}

#[tokio::test]
async fn authorization_code_flow_exchange_refresh_and_attribution() {
    let fake = FakeGreenhouse::start().await;
    let oauth = oauth_for(&fake);
    let url = oauth.authorization_url(
        &["harvest:candidates:list", "harvest:notes:create"],
        "csrf-123",
    );
    let query: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
    assert_eq!(query["response_type"], "code");
    assert_eq!(query["client_id"], fake.client_id());
    assert_eq!(
        query["scope"],
        "harvest:candidates:list harvest:notes:create"
    );
    assert_eq!(query["state"], "csrf-123");
    assert_eq!(
        query["redirect_uri"],
        "https://app.example.com/greenhouse/callback"
    );

    let code = fake.issue_authorization_code(4081);
    let tokens = oauth.exchange_code(&code).await.unwrap();
    assert!(tokens.refresh_token.is_some());
    // Codes are single use.
    assert!(oauth.exchange_code(&code).await.is_err());

    let store = Arc::new(MemoryTokenStore::with_tokens(tokens));
    let client = fake
        .client_builder()
        .authorization_code(fake.client_id(), fake.client_secret(), store.clone())
        .build()
        .unwrap();
    let candidate = fake.candidate_ids()[0];
    client
        .create_note(&NewNote::new(candidate, "Partner note", Visibility::Public))
        .await
        .unwrap();
    assert_eq!(
        fake.notes()[0].user_id,
        Some(4081),
        "attributed to the authorizing user"
    );

    // Access token expires → refresh with the rotating refresh token.
    let before = store.tokens().unwrap();
    fake.expire_access_tokens();
    client.list_jobs(&ListQuery::new()).await.unwrap();
    let after = store.tokens().unwrap();
    use secrecy::ExposeSecret;
    assert_ne!(
        before.refresh_token.unwrap().expose_secret(),
        after.refresh_token.unwrap().expose_secret(),
        "the rotated refresh token was saved"
    );

    let info = client.introspect_current_token().await.unwrap();
    assert!(info.active);
    assert!(info.has_scope("harvest:notes:create"));
}

#[tokio::test]
async fn lapsed_refresh_token_asks_for_reauthorization() {
    let fake = FakeGreenhouse::start().await;
    let tokens = oauth_for(&fake)
        .exchange_code(&fake.issue_authorization_code(4080))
        .await
        .unwrap();
    let client = fake
        .client_builder()
        .authorization_code(
            fake.client_id(),
            fake.client_secret(),
            Arc::new(MemoryTokenStore::with_tokens(tokens)),
        )
        .build()
        .unwrap();
    client.list_jobs(&ListQuery::new()).await.unwrap();
    fake.expire_refresh_tokens();
    fake.expire_access_tokens();
    let err = client.list_jobs(&ListQuery::new()).await.unwrap_err();
    assert!(
        matches!(err, Error::ReauthorizationRequired { .. }),
        "{err:?}"
    );

    // Detected locally too: both tokens past their expiry, no request sent.
    let stale = TokenSet::new("old-access", Utc::now() - TimeDelta::hours(2))
        .with_refresh_token("old-refresh", Utc::now() - TimeDelta::hours(1));
    let client = fake
        .client_builder()
        .authorization_code(
            fake.client_id(),
            fake.client_secret(),
            Arc::new(MemoryTokenStore::with_tokens(stale)),
        )
        .build()
        .unwrap();
    let before = fake.request_count("POST /token");
    let err = client.list_jobs(&ListQuery::new()).await.unwrap_err();
    assert!(
        matches!(err, Error::ReauthorizationRequired { .. }),
        "{err:?}"
    );
    assert_eq!(fake.request_count("POST /token"), before);
}

#[tokio::test]
async fn concurrent_callers_share_one_refresh() {
    let fake = FakeGreenhouse::start().await;
    let mut tokens = oauth_for(&fake)
        .exchange_code(&fake.issue_authorization_code(4080))
        .await
        .unwrap();
    tokens.expires_at = Utc::now() - TimeDelta::seconds(1); // stale access, valid refresh
    let client = fake
        .client_builder()
        .authorization_code(
            fake.client_id(),
            fake.client_secret(),
            Arc::new(MemoryTokenStore::with_tokens(tokens)),
        )
        .build()
        .unwrap();
    let issued_before = fake.tokens_issued();
    let calls = (0..10).map(|_| {
        let c = client.clone();
        async move { c.list_candidates(&ListQuery::new()).await }
    });
    for r in futures::future::join_all(calls).await {
        r.unwrap();
    }
    assert_eq!(
        fake.tokens_issued() - issued_before,
        1,
        "exactly one refresh"
    );
    assert_eq!(client.tokens_issued(), 1);
}

#[tokio::test]
async fn revoked_credentials_give_an_auth_error_until_restored() {
    let fake = FakeGreenhouse::start().await;
    let client = fake.client();
    client.list_jobs(&ListQuery::new()).await.unwrap();
    fake.revoke();
    let err = client.list_jobs(&ListQuery::new()).await.unwrap_err();
    assert!(err.is_auth(), "{err:?}");
    fake.restore();
    client.list_jobs(&ListQuery::new()).await.unwrap();
}

#[tokio::test]
async fn a_401_with_a_fresh_token_is_unauthorized() {
    let (server, client) = raw_server().await;
    Mock::given(path("/v3/jobs"))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            serde_json::json!({"message": "Unauthorized", "errors": ["Token could not be decoded."]}),
        ))
        .mount(&server)
        .await;
    let err = client.list_jobs(&ListQuery::new()).await.unwrap_err();
    assert!(matches!(err, Error::Unauthorized { .. }), "{err:?}");
    assert_eq!(client.tokens_issued(), 2, "one refresh was tried");
}

#[tokio::test]
async fn missing_scope_names_the_scope() {
    let (server, client) = raw_server().await;
    Mock::given(path("/v3/notes"))
        .respond_with(
            ResponseTemplate::new(403)
                .set_body_json(serde_json::json!({"message": "Missing required scope"})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/v3/users"))
        .respond_with(ResponseTemplate::new(403).set_body_json(
            serde_json::json!({"message": "Forbidden", "errors": ["token lacks scope harvest:users:list"]}),
        ))
        .mount(&server)
        .await;
    Mock::given(path("/v3/jobs"))
        .respond_with(
            ResponseTemplate::new(403)
                .set_body_json(serde_json::json!({"message": "You don't have access"})),
        )
        .mount(&server)
        .await;
    let err = client
        .create_note(&NewNote::new(1, "x", Visibility::Private))
        .await
        .unwrap_err();
    let Error::MissingScope { scope, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(scope, "harvest:notes:create");
    assert!(err.to_string().contains("harvest:notes:create"));
    let err = client.list_users(&ListQuery::new()).await.unwrap_err();
    assert!(
        matches!(&err, Error::MissingScope { scope, .. } if scope == "harvest:users:list"),
        "{err:?}"
    );
    let err = client.list_jobs(&ListQuery::new()).await.unwrap_err();
    assert!(matches!(err, Error::Api { status: 403, .. }), "{err:?}");
}

#[tokio::test]
async fn every_endpoint_returns_typed_records() {
    let fake = FakeGreenhouse::start().await;
    let client = fake.client();
    let q = ListQuery::new();
    let candidates = client.list_candidates(&q).await.unwrap().items;
    assert_eq!(candidates.len(), 5);
    assert!(
        candidates.windows(2).all(|w| w[0].id > w[1].id),
        "id descending"
    );
    assert!(candidates.iter().all(|c| !c.email_addresses.is_empty()));
    let apps = client.list_applications(&q).await.unwrap().items;
    assert_eq!(apps.len(), 3);
    assert_eq!(apps[0].status, Some(ApplicationStatus::InProcess));
    assert_eq!(client.list_jobs(&q).await.unwrap().items.len(), 3);
    let open = client
        .list_jobs(&ListQuery::new().param("status", "open"))
        .await
        .unwrap()
        .items;
    assert_eq!(open.len(), 2);
    assert_eq!(client.list_job_posts(&q).await.unwrap().items.len(), 3);
    let stages = client
        .list_job_interview_stages(&ListQuery::new().id_list("job_ids", &[5001]))
        .await
        .unwrap()
        .items;
    assert_eq!(stages.len(), 4);
    let history = client.list_application_stages(&q).await.unwrap().items;
    assert_eq!(history.len(), 3);
    assert!(
        history
            .iter()
            .all(|h| h.entered_at.is_some() && h.application_id.is_some())
    );
    assert_eq!(client.list_users(&q).await.unwrap().items.len(), 3);
    assert_eq!(client.list_interviews(&q).await.unwrap().items.len(), 2);
    assert_eq!(client.list_interviewers(&q).await.unwrap().items.len(), 3);
    assert!(client.list_notes(&q).await.unwrap().items.is_empty());

    let ada = client
        .find_candidates_by_email("ADA@analytical.example")
        .await
        .unwrap();
    assert_eq!(ada.len(), 1);
    assert_eq!(ada[0].full_name(), "Ada Lovelace");
    assert_eq!(
        client.get_candidate(ada[0].id).await.unwrap().unwrap().id,
        ada[0].id
    );
    assert!(client.get_candidate(1).await.unwrap().is_none());
    let kate = client
        .find_user_by_email("kate.austen@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kate.id, fake.user_id());
    assert!(
        client
            .find_user_by_email("nobody@example.com")
            .await
            .unwrap()
            .is_none()
    );

    let upcoming = client.upcoming_interviews(Utc::now()).await.unwrap();
    assert_eq!(upcoming.len(), 2);
    let with_two = upcoming.iter().find(|s| s.interviewers.len() == 2).unwrap();
    assert!(
        with_two
            .interview
            .video_conferencing_url
            .as_deref()
            .unwrap()
            .starts_with("https://")
    );
    assert!(
        with_two
            .interviewers
            .iter()
            .any(|i| i.email.as_deref() == Some("kate.austen@example.com"))
    );
    let later = client
        .upcoming_interviews(Utc::now() + TimeDelta::days(3))
        .await
        .unwrap();
    assert!(later.is_empty());

    let recent = client
        .list_candidates(
            &ListQuery::new().updated_at(DateFilter::gte(Utc::now() - TimeDelta::hours(1))),
        )
        .await
        .unwrap();
    assert_eq!(recent.items.len(), 5);
    let future = client
        .list_candidates(
            &ListQuery::new().updated_at(DateFilter::gte(Utc::now() + TimeDelta::hours(1))),
        )
        .await
        .unwrap();
    assert!(future.items.is_empty());
}

#[tokio::test]
async fn runtime_seeding_is_visible_through_the_api() {
    let fake = FakeGreenhouse::start().await;
    let client = fake.client();
    let user = fake.add_user("Ben", "Linus", "ben.linus@example.com");
    let cand = fake.add_candidate(
        NewCandidate::new("Juliet Burke", "juliet@example.com").email("jb@work.example"),
    );
    let app = fake.add_application(cand, fake.job_ids()[0]);
    let start = Utc::now() + TimeDelta::hours(5);
    let interview = fake.add_interview(
        app,
        start,
        start + TimeDelta::hours(1),
        Some("https://meet.example.com/x"),
        &[user],
    );
    let upcoming = client.upcoming_interviews(Utc::now()).await.unwrap();
    let found = upcoming
        .iter()
        .find(|s| s.interview.id == interview)
        .unwrap();
    assert_eq!(found.interview.application_id, Some(app));
    assert_eq!(
        found.interviewers[0].email.as_deref(),
        Some("ben.linus@example.com")
    );

    let other = fake.add_candidate(NewCandidate::new("J B", "juliet.old@example.com"));
    assert!(fake.merge_candidates(other, cand));
    let merged = client
        .find_candidates_by_email("juliet.old@example.com")
        .await
        .unwrap();
    assert_eq!(merged[0].id, cand);
    assert!(fake.delete_candidate(cand));
    assert!(client.get_candidate(cand).await.unwrap().is_none());
    assert!(!fake.delete_candidate(cand));
}

#[tokio::test]
async fn cursor_pagination_across_many_pages() {
    let fake = FakeGreenhouse::start().await;
    let client = fake.client();
    for i in 0..6 {
        fake.add_candidate(NewCandidate::new(
            &format!("Extra Person{i}"),
            format!("extra{i}@example.com"),
        ));
    }
    // One page at a time.
    let first = client
        .list_candidates(&ListQuery::new().per_page(4))
        .await
        .unwrap();
    assert_eq!(first.items.len(), 4);
    assert!(first.has_next());
    let next_url = first.next_url.clone().unwrap();
    let pairs: Vec<_> = next_url.query_pairs().collect();
    assert_eq!(pairs.len(), 1, "the cursor is the only query parameter");
    assert_eq!(pairs[0].0, "cursor");
    let second = client.next_page(&first).await.unwrap().unwrap();
    assert_eq!(second.items.len(), 4);
    let third = client.next_page(&second).await.unwrap().unwrap();
    assert_eq!(third.items.len(), 3);
    assert!(client.next_page(&third).await.unwrap().is_none());

    // As a stream: all 11, id-descending, no duplicates, 3 requests.
    let before = fake.request_count("GET /v3/candidates");
    let all: Vec<_> = client
        .candidates(ListQuery::new().per_page(4))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 11);
    let mut ids: Vec<u64> = all.iter().map(|c| c.id).collect();
    ids.dedup();
    assert_eq!(ids.len(), 11);
    assert_eq!(fake.request_count("GET /v3/candidates") - before, 3);

    // A saved `next` URL resumes the list in a fresh client (a restarted sync).
    let resumed: greenhouse_harvest::Page<greenhouse_harvest::models::Candidate> =
        fake.client().page_at(next_url.as_str()).await.unwrap();
    let second_ids: Vec<u64> = second.items.iter().map(|c| c.id).collect();
    assert_eq!(
        resumed.items.iter().map(|c| c.id).collect::<Vec<_>>(),
        second_ids
    );
    let elsewhere = client
        .page_at::<greenhouse_harvest::models::Candidate>(
            "https://evil.example/v3/candidates?cursor=x",
        )
        .await;
    assert!(
        matches!(elsewhere, Err(Error::Config(_))),
        "another host is refused"
    );
    let not_a_list = client
        .page_at::<greenhouse_harvest::models::Candidate>(&format!(
            "{}/oauth/secret",
            fake.base_url()
        ))
        .await;
    assert!(matches!(not_a_list, Err(Error::Config(_))));
}

#[tokio::test]
async fn streams_are_lazy_and_end_after_the_first_error() {
    let fake = FakeGreenhouse::start().await;
    let client = fake.client();
    let stream = client.candidates(ListQuery::new().per_page(2));
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(
        fake.request_counts().is_empty(),
        "nothing sent before polling"
    );
    drop(stream);

    fake.fail_next(1, Failure::Status(404));
    let mut stream = client.candidates(ListQuery::new().per_page(2));
    assert!(matches!(
        stream.next().await,
        Some(Err(Error::Api { status: 404, .. }))
    ));
    assert!(stream.next().await.is_none());

    let mut bad = client.candidates(ListQuery::new().per_page(0));
    assert!(matches!(bad.next().await, Some(Err(Error::Config(_)))));
    assert!(bad.next().await.is_none());
}

#[tokio::test]
async fn a_repeated_cursor_stops_the_stream() {
    let (server, client) = raw_server().await;
    let link = format!("<{}/v3/jobs?cursor=same>; rel=\"next\"", server.uri());
    Mock::given(path("/v3/jobs"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!([{"id": 1, "name": "Loop"}]))
                .insert_header("Link", link.as_str()),
        )
        .expect(2)
        .mount(&server)
        .await;
    let jobs: Vec<_> = client.jobs(ListQuery::new()).try_collect().await.unwrap();
    assert_eq!(jobs.len(), 2);
}

#[tokio::test]
async fn a_next_link_to_another_host_is_refused() {
    let (server, client) = raw_server().await;
    Mock::given(path("/v3/jobs"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!([]))
                .insert_header(
                    "Link",
                    "<https://evil.example.com/v3/jobs?cursor=x>; rel=\"next\"",
                ),
        )
        .mount(&server)
        .await;
    let err = client.list_jobs(&ListQuery::new()).await.unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
}

#[tokio::test]
async fn a_body_that_is_not_a_list_is_a_decode_error_naming_the_path() {
    let (server, client) = raw_server().await;
    Mock::given(path("/v3/candidates"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"message": "busy"})),
        )
        .mount(&server)
        .await;
    let err = client.list_candidates(&ListQuery::new()).await.unwrap_err();
    let Error::Decode {
        path, body_snippet, ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(path, ".");
    assert!(body_snippet.contains("busy"));
}

#[tokio::test]
async fn a_malformed_record_is_skipped_with_its_index_id_and_path() {
    // Before issue 10 this whole page failed with `Error::Decode`.
    let (server, client) = raw_server().await;
    Mock::given(path("/v3/candidates"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            serde_json::json!([{"id": 1}, {"id": 2, "email_addresses": [{"value": 7}]}]),
        ))
        .mount(&server)
        .await;
    let page = client.list_candidates(&ListQuery::new()).await.unwrap();
    assert_eq!(page.items.iter().map(|c| c.id).collect::<Vec<_>>(), [1]);
    assert!(!page.is_complete());
    let skipped = &page.skipped[0];
    assert_eq!(
        (skipped.index, skipped.id, skipped.path.as_str()),
        (1, Some(2), "email_addresses[0].value")
    );
    assert_eq!(skipped.resource, "candidates");
}

#[tokio::test]
async fn pacing_keeps_a_long_sync_under_the_window_budget() {
    let fake = FakeGreenhouse::start().await;
    fake.set_rate_limit(4, Duration::from_secs(1));
    let client = fake.client();
    let started = Instant::now();
    // 5 candidate pages + 3 job pages + 3 user pages = 11 requests, almost 3 windows' worth.
    let candidates: Vec<_> = client
        .candidates(ListQuery::new().per_page(1))
        .try_collect()
        .await
        .unwrap();
    let jobs: Vec<_> = client
        .jobs(ListQuery::new().per_page(1))
        .try_collect()
        .await
        .unwrap();
    let users: Vec<_> = client
        .users(ListQuery::new().per_page(1))
        .try_collect()
        .await
        .unwrap();
    assert_eq!((candidates.len(), jobs.len(), users.len()), (5, 3, 3));
    assert_eq!(fake.throttled_requests(), 0, "no 429 was needed");
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "the client waited for a reset"
    );
    let status = client.rate_limit_status().await;
    assert_eq!(status.limit, Some(4));
}

#[tokio::test]
async fn without_pacing_information_the_same_sync_would_be_throttled() {
    // Control for the test above: a burst straight at the fake exceeds the budget.
    let fake = FakeGreenhouse::start().await;
    fake.set_rate_limit(4, Duration::from_secs(30));
    // A raw reqwest client, as an application would build one. With the default
    // `rustls-ring` feature reqwest is compiled with `rustls-no-provider`, so the
    // application installs a provider first (our client no longer does it for it).
    #[cfg(feature = "rustls-ring")]
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();
    let token = fake.client().access_token().await.unwrap();
    use secrecy::ExposeSecret;
    let mut statuses = Vec::new();
    for _ in 0..6 {
        let resp = http
            .get(format!("{}jobs", fake.base_url()))
            .bearer_auth(token.expose_secret())
            .send()
            .await
            .unwrap();
        statuses.push(resp.status().as_u16());
    }
    assert_eq!(statuses, vec![200, 200, 200, 200, 429, 429]);
    assert_eq!(fake.throttled_requests(), 2);
}

#[tokio::test]
async fn a_429_is_retried_after_retry_after() {
    let fake = FakeGreenhouse::start().await;
    let client = fake.client();
    fake.fail_next(
        1,
        Failure::RateLimited {
            retry_after: Some(Duration::from_secs(1)),
        },
    );
    let started = Instant::now();
    let jobs = client.list_jobs(&ListQuery::new()).await.unwrap();
    assert_eq!(jobs.items.len(), 3);
    assert!(started.elapsed() >= Duration::from_millis(950));
    assert_eq!(fake.request_count("GET /v3/jobs"), 2);
}

#[tokio::test]
async fn server_errors_are_retried_with_backoff_then_surface() {
    let fake = FakeGreenhouse::start().await;
    let client = fake.client();
    fake.fail_next(2, Failure::Status(503));
    client.list_jobs(&ListQuery::new()).await.unwrap();
    assert_eq!(fake.request_count("GET /v3/jobs"), 3);

    let client = fake
        .client_builder()
        .retry_policy(RetryPolicy::fast().max_attempts(3))
        .build()
        .unwrap();
    fake.fail_next(10, Failure::Status(500));
    let err = client.list_users(&ListQuery::new()).await.unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert!(err.is_retryable());
    assert_eq!(fake.request_count("GET /v3/users"), 3);
}

#[tokio::test]
async fn notes_are_created_with_attribution_and_read_back() {
    let fake = FakeGreenhouse::start().await;
    let client = fake.client();
    let candidate = fake
        .candidate_id_by_email("grace.hopper@example.com")
        .unwrap();
    let note = client
        .create_note(&NewNote::new(
            candidate,
            "Interview summary: strong systems design.",
            Visibility::Private,
        ))
        .await
        .unwrap();
    assert_eq!(note.candidate_id, Some(candidate));
    assert_eq!(note.user_id, Some(fake.user_id()));
    assert_eq!(note.visibility, Some(NoteVisibility::PrivatelyVisible));
    let posted = fake.notes();
    assert_eq!(posted.len(), 1);
    assert_eq!(posted[0].body, "Interview summary: strong systems design.");
    assert_eq!(posted[0].visibility, "private");
    assert_eq!(posted[0].user_id, Some(fake.user_id()));
    assert_eq!(posted[0].requested_user_id, Some(fake.user_id()));
    let read = client.candidate_notes(candidate).await.unwrap();
    assert_eq!(read.len(), 1);
    assert_eq!(read[0].id, note.id);

    let err = client
        .create_note(&NewNote::new(candidate, "", Visibility::Public))
        .await
        .unwrap_err();
    let Error::Api {
        status: 422,
        details,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(details[0], "body: Missing required field: body");
}

#[tokio::test]
async fn the_note_post_is_never_retried_blindly() {
    let fake = FakeGreenhouse::start().await;
    let client = fake.client();
    let candidate = fake.candidate_ids()[0];
    let note = NewNote::new(candidate, "Summary", Visibility::AdminOnly);

    fake.fail_next_note_posts(1, Failure::Status(503));
    let err = client.create_note(&note).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert!(err.may_have_been_applied());
    fake.fail_next_note_posts(
        1,
        Failure::RateLimited {
            retry_after: Some(Duration::from_secs(1)),
        },
    );
    let err = client.create_note(&note).await.unwrap_err();
    assert!(matches!(err, Error::RateLimited { .. }));
    assert!(!err.may_have_been_applied());
    assert_eq!(fake.request_count("POST /v3/notes"), 2);
    assert!(fake.notes().is_empty());

    // Accepted, then answered 500: the note exists once, and no retry duplicated it.
    fake.accept_next_note_then_fail();
    let err = client.create_note(&note).await.unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert!(err.may_have_been_applied(), "and it was");
    assert_eq!(fake.notes().len(), 1);
    assert_eq!(fake.request_count("POST /v3/notes"), 3);
}

#[tokio::test]
async fn the_note_post_is_retried_only_when_it_was_not_sent() {
    let fake = FakeGreenhouse::start().await;
    // A port nobody listens on: the connection is refused, the POST never left.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = closed.local_addr().unwrap();
    drop(closed);
    let client = fake
        .client_builder()
        .base_url(format!("http://{addr}/v3/"))
        .retry_policy(RetryPolicy::fast().max_attempts(3))
        .build()
        .unwrap();
    let err = client
        .create_note(&NewNote::new(1, "x", Visibility::Private))
        .await
        .unwrap_err();
    assert!(err.is_connect(), "{err:?}");
    assert!(!err.may_have_been_applied());
}

#[tokio::test]
async fn secrets_never_appear_in_debug_display_or_errors() {
    let fake = FakeGreenhouse::start().await;
    let client = fake.client();
    client.list_jobs(&ListQuery::new()).await.unwrap();
    use secrecy::ExposeSecret;
    let token = client
        .access_token()
        .await
        .unwrap()
        .expose_secret()
        .to_owned();
    let builder = fake.client_builder();
    fake.revoke();
    let err = client.list_jobs(&ListQuery::new()).await.unwrap_err();
    let oauth = oauth_for(&fake);
    let refresh_err = oauth
        .refresh(&secrecy::SecretString::from(
            "refresh-secret-token".to_owned(),
        ))
        .await
        .unwrap_err();
    let tokens = TokenSet::new(token.clone(), Utc::now())
        .with_refresh_token("refresh-secret-token", Utc::now());
    let texts = [
        format!("{client:?}"),
        format!("{builder:?}"),
        format!("{oauth:?}"),
        format!("{err}"),
        format!("{err:?}"),
        format!("{refresh_err}"),
        format!("{refresh_err:?}"),
        format!("{tokens:?}"),
        format!(
            "{:?}",
            greenhouse_harvest::WebhookVerifier::new(fake.webhook_secret())
        ),
    ];
    for text in texts {
        for secret in [
            fake.client_secret(),
            token.as_str(),
            "refresh-secret-token",
            fake.webhook_secret(),
        ] {
            assert!(!text.contains(secret), "{secret:?} leaked in {text}");
        }
    }
}

#[tokio::test]
async fn a_failing_token_endpoint_is_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(
            ResponseTemplate::new(503)
                .set_body_json(serde_json::json!({"message": "Service Unavailable"})),
        )
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            serde_json::json!({"access_token": "t", "expires_at": "2099-01-01T00:00:00+0000"}),
        ))
        .mount(&server)
        .await;
    Mock::given(path("/v3/jobs"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([{"id": 1}])))
        .mount(&server)
        .await;
    let client = HarvestClient::builder()
        .client_credentials("id", "secret", None)
        .base_url(format!("{}/v3/", server.uri()))
        .token_url(format!("{}/token", server.uri()))
        .retry_policy(RetryPolicy::fast())
        .build()
        .unwrap();
    assert_eq!(
        client
            .list_jobs(&ListQuery::new())
            .await
            .unwrap()
            .items
            .len(),
        1
    );
    let token_requests = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/token")
        .count();
    assert_eq!(token_requests, 3);
}

#[tokio::test]
async fn the_fake_hands_out_partner_clients() {
    let fake = FakeGreenhouse::start().await;
    let (client, store) = fake.partner_client(4082).await.unwrap();
    let candidate = fake.candidate_ids()[0];
    client
        .create_note(&NewNote::new(
            candidate,
            "From a partner",
            Visibility::AdminOnly,
        ))
        .await
        .unwrap();
    assert_eq!(fake.notes()[0].user_id, Some(4082));
    assert!(store.tokens().unwrap().refresh_token.is_some());
}

#[tokio::test]
async fn pacing_is_shared_by_concurrent_clones() {
    let fake = FakeGreenhouse::start().await;
    fake.set_rate_limit(4, Duration::from_secs(1));
    let client = fake.client();
    client.access_token().await.unwrap();
    let a = client.clone();
    let b = client.clone();
    let c = client.clone();
    let (candidates, jobs, users) = tokio::join!(
        async move {
            a.candidates(ListQuery::new().per_page(1))
                .try_collect::<Vec<_>>()
                .await
        },
        async move {
            b.jobs(ListQuery::new().per_page(1))
                .try_collect::<Vec<_>>()
                .await
        },
        async move {
            c.users(ListQuery::new().per_page(1))
                .try_collect::<Vec<_>>()
                .await
        },
    );
    assert_eq!(
        (
            candidates.unwrap().len(),
            jobs.unwrap().len(),
            users.unwrap().len()
        ),
        (5, 3, 3)
    );
    assert_eq!(fake.throttled_requests(), 0);
}

#[tokio::test]
async fn a_burst_of_clones_does_not_overshoot_an_unknown_budget() {
    let fake = FakeGreenhouse::start().await;
    fake.set_rate_limit(3, Duration::from_secs(1));
    let client = fake.client();
    client.access_token().await.unwrap();
    // Nothing is known about the window yet when ten clones start at once.
    let calls = (0..10).map(|_| {
        let c = client.clone();
        async move { c.list_jobs(&ListQuery::new()).await }
    });
    for r in futures::future::join_all(calls).await {
        assert_eq!(r.unwrap().items.len(), 3);
    }
    assert_eq!(fake.throttled_requests(), 0);
    assert_eq!(fake.request_count("GET /v3/jobs"), 10);
}

/// A store that awaits before answering and fails its saves: the async `TokenStore` is
/// awaited, and its error reaches the caller as `Error::TokenStore` with the source kept.
struct SlowFailingStore {
    tokens: TokenSet,
}

impl TokenStore for SlowFailingStore {
    fn load(&self) -> futures::future::BoxFuture<'_, Result<Option<TokenSet>, BoxError>> {
        Box::pin(async move {
            tokio::task::yield_now().await;
            Ok(Some(self.tokens.clone()))
        })
    }

    fn save(&self, _tokens: TokenSet) -> futures::future::BoxFuture<'_, Result<(), BoxError>> {
        Box::pin(async move {
            tokio::task::yield_now().await;
            Err("database is read-only".into())
        })
    }
}

#[tokio::test]
async fn an_async_token_store_is_awaited_and_its_error_keeps_its_source() {
    let fake = FakeGreenhouse::start().await;
    let tokens = oauth_for(&fake)
        .exchange_code(&fake.issue_authorization_code(4081))
        .await
        .unwrap();
    let client = fake
        .client_builder()
        .authorization_code(
            fake.client_id(),
            fake.client_secret(),
            Arc::new(SlowFailingStore { tokens }),
        )
        .build()
        .unwrap();
    // The loaded (still fresh) token is used as is.
    client.list_jobs(&ListQuery::new()).await.unwrap();
    // A refresh must be saved before use; the failed save is reported, not ignored.
    fake.expire_access_tokens();
    let err = client.list_jobs(&ListQuery::new()).await.unwrap_err();
    match &err {
        Error::TokenStore { source } => assert_eq!(source.to_string(), "database is read-only"),
        other => panic!("expected a token store error, got {other:?}"),
    }
    assert_eq!(
        std::error::Error::source(&err).map(ToString::to_string),
        Some("database is read-only".to_owned())
    );
}

#[tokio::test]
async fn memory_token_store_starts_empty_and_counts_saves() {
    let store = MemoryTokenStore::new();
    assert!(store.tokens().is_none());
    assert!(store.load().await.unwrap().is_none());
    let fake = FakeGreenhouse::start().await;
    let tokens = oauth_for(&fake)
        .exchange_code(&fake.issue_authorization_code(4081))
        .await
        .unwrap();
    store.save(tokens).await.unwrap();
    assert!(store.tokens().is_some());
    assert_eq!(store.save_count(), 1);
    assert!(MemoryTokenStore::default().tokens().is_none());
}

#[tokio::test]
async fn an_empty_fake_serves_only_what_the_test_adds() {
    let fake = FakeGreenhouse::start_empty().await;
    let client = fake.client();
    assert!(fake.job_ids().is_empty());
    assert!(fake.candidate_ids().is_empty());
    assert!(
        client
            .list_candidates(&ListQuery::new())
            .await
            .unwrap()
            .items
            .is_empty()
    );
    let id = fake.add_candidate(
        NewCandidate::new("Ada King Lovelace", "ada@example.com").email("ada@work.example"),
    );
    let found = client
        .find_candidates_by_email("ada@work.example")
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, id);
    assert_eq!(found[0].first_name.as_deref(), Some("Ada"));
    assert_eq!(found[0].last_name.as_deref(), Some("King Lovelace"));
    // Notes are still attributed to the Site Admin the client acts as.
    client
        .create_note(&NewNote::new(id, "Strong hire", Visibility::Private))
        .await
        .unwrap();
    assert_eq!(fake.notes()[0].user_id, Some(fake.user_id()));
    let counted: u64 = fake.request_counts().values().sum();
    assert_eq!(fake.total_requests(), counted);
    assert!(fake.total_requests() >= 4, "token, list, search, note");
}

#[tokio::test]
async fn a_rate_limit_without_retry_after_is_retried_with_backoff() {
    let fake = FakeGreenhouse::start().await;
    let client = fake.client();
    fake.fail_next(1, Failure::RateLimited { retry_after: None });
    client.list_jobs(&ListQuery::new()).await.unwrap();
    assert_eq!(fake.request_count("GET /v3/jobs"), 2);

    let client = fake
        .client_builder()
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    fake.fail_next(1, Failure::RateLimited { retry_after: None });
    let err = client.list_users(&ListQuery::new()).await.unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert_eq!(err.retry_after(), None, "no header, no hint");
}

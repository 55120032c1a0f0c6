//! Pagination, retries, rate limiting and the no-blind-POST-retry rule.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures::{StreamExt, TryStreamExt};
use lever_client::testing::{Failure, FakeConfig, FakeLever, NewCandidate};
use lever_client::{Error, LeverClient, NewNote, OpportunityQuery, RateLimit, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

fn client_for(server: &MockServer, policy: RetryPolicy) -> LeverClient {
    LeverClient::builder()
        .api_key("k")
        .base_url(format!("{}/v1", server.uri()))
        .retry_policy(policy)
        .build()
        .unwrap()
}

fn stage_page(ids: &[&str], next: Option<&str>) -> ResponseTemplate {
    let data: Vec<_> = ids.iter().map(|id| json!({"id": id, "text": id})).collect();
    let mut body = json!({"data": data, "hasNext": next.is_some()});
    if let Some(n) = next {
        body["next"] = json!(n);
    }
    ResponseTemplate::new(200).set_body_json(body)
}

#[tokio::test]
async fn stream_walks_every_page_passing_tokens_verbatim() {
    let server = MockServer::start().await;
    let token = "%5B1%2C1750233409740%2C%2248dd%22%5D";
    Mock::given(path("/v1/stages"))
        .and(query_param_is_missing("offset"))
        .respond_with(stage_page(&["a", "b"], Some(token)))
        .expect(1)
        .mount(&server)
        .await;
    // wiremock decodes query values, so match on the raw URL instead.
    struct Raw;
    impl Respond for Raw {
        fn respond(&self, req: &Request) -> ResponseTemplate {
            let q = req.url.query().unwrap_or_default();
            if q.ends_with("offset=%5B1%2C1750233409740%2C%2248dd%22%5D") {
                stage_page(&["c"], Some("0.1414895548650.a6070140"))
            } else if q.ends_with("offset=0.1414895548650.a6070140") {
                stage_page(&[], None)
            } else {
                ResponseTemplate::new(400).set_body_string(format!("bad offset in {q}"))
            }
        }
    }
    Mock::given(path("/v1/stages"))
        .and(wiremock::matchers::query_param_contains("offset", ""))
        .respond_with(Raw)
        .expect(2)
        .mount(&server)
        .await;
    let client = client_for(&server, RetryPolicy::none());
    let ids: Vec<String> = client
        .stages()
        .map_ok(|s| s.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["a", "b", "c"], "empty last page ends the stream");
}

#[tokio::test]
async fn stream_is_lazy_and_stops_on_repeated_token() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/stages"))
        .and(query_param_is_missing("offset"))
        .respond_with(stage_page(&["a"], Some("tok")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/v1/stages"))
        .and(query_param("offset", "tok"))
        .respond_with(stage_page(&["b"], Some("tok")))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server, RetryPolicy::none());
    let stream = client.stages();
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        0,
        "nothing sent before polling"
    );
    let items: Vec<Result<_, Error>> = stream.collect().await;
    assert_eq!(items.len(), 3);
    assert_eq!(items[0].as_ref().unwrap().id, "a");
    assert_eq!(items[1].as_ref().unwrap().id, "b");
    assert!(matches!(items[2], Err(Error::RepeatedCursor)));
}

#[tokio::test]
async fn stream_ends_after_first_error() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/stages"))
        .and(query_param_is_missing("offset"))
        .respond_with(stage_page(&["a"], Some("t1")))
        .mount(&server)
        .await;
    Mock::given(path("/v1/stages"))
        .and(query_param("offset", "t1"))
        .respond_with(ResponseTemplate::new(400).set_body_json(
            json!({"code": "BadRequest", "message": "Invalid offset token: Offset token is invalid for sort"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server, RetryPolicy::fast());
    let items: Vec<Result<_, Error>> = client.stages().collect().await;
    assert_eq!(items.len(), 2);
    assert_eq!(items[1].as_ref().unwrap_err().status(), Some(400));
}

#[tokio::test]
async fn empty_list_yields_nothing() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/postings"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": []})))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server, RetryPolicy::none());
    let postings: Vec<_> = client
        .postings(&lever_client::PostingQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert!(postings.is_empty());
}

/// Fails `failures` times with `failure`, then answers `ok`.
struct FlakyThen {
    calls: Arc<AtomicUsize>,
    failures: usize,
    failure: ResponseTemplate,
    ok: ResponseTemplate,
}

impl Respond for FlakyThen {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        if self.calls.fetch_add(1, Ordering::SeqCst) < self.failures {
            self.failure.clone()
        } else {
            self.ok.clone()
        }
    }
}

fn flaky(failures: usize, failure: ResponseTemplate) -> (FlakyThen, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    (
        FlakyThen {
            calls: calls.clone(),
            failures,
            failure,
            ok: ResponseTemplate::new(200)
                .set_body_json(json!({"data": {"id": "offer", "text": "Offer"}})),
        },
        calls,
    )
}

#[tokio::test]
async fn get_retries_429_without_retry_after_and_5xx() {
    let server = MockServer::start().await;
    let (responder, calls) = flaky(
        3,
        ResponseTemplate::new(429)
            .set_body_json(json!({"code": "TooManyRequests", "message": "slow down"})),
    );
    Mock::given(path("/v1/stages/offer"))
        .respond_with(responder)
        .mount(&server)
        .await;
    let client = client_for(&server, RetryPolicy::fast());
    assert_eq!(client.stage("offer").await.unwrap().id, "offer");
    assert_eq!(calls.load(Ordering::SeqCst), 4);

    let server = MockServer::start().await;
    let (responder, calls) = flaky(2, ResponseTemplate::new(503));
    Mock::given(path("/v1/stages/offer"))
        .respond_with(responder)
        .mount(&server)
        .await;
    let client = client_for(&server, RetryPolicy::fast());
    client.stage("offer").await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = MockServer::start().await;
    let (responder, calls) = flaky(
        1,
        ResponseTemplate::new(429).insert_header("Retry-After", "1"),
    );
    Mock::given(path("/v1/stages/offer"))
        .respond_with(responder)
        .mount(&server)
        .await;
    let client = client_for(
        &server,
        RetryPolicy::fast()
            .max_retry_after(Duration::from_secs(5))
            .max_total_delay(Duration::from_secs(5)),
    );
    let started = Instant::now();
    client.stage("offer").await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn attempts_are_bounded() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/stages/offer"))
        .respond_with(
            ResponseTemplate::new(500)
                .set_body_json(json!({"code": "InternalError", "message": "boom"})),
        )
        .expect(3)
        .mount(&server)
        .await;
    let client = client_for(&server, RetryPolicy::fast().max_attempts(3));
    let err = client.stage("offer").await.unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert!(err.is_retryable());
}

#[tokio::test]
async fn note_post_is_not_retried_after_5xx_429_or_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/opportunities/o1/notes"))
        .respond_with(ResponseTemplate::new(500))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server, RetryPolicy::fast());
    let err = client
        .add_note("o1", &NewNote::new("hello"))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert!(
        err.is_retryable(),
        "the caller may retry later, after checking"
    );

    let fake = FakeLever::start().await;
    let opp = fake.add_candidate(NewCandidate::new("Tim Berners-Lee", "tim@example.com"));
    fake.fail_next_note_posts(1, Failure::RateLimited { retry_after: None });
    let err = fake
        .client()
        .add_note(&opp, &NewNote::new("x"))
        .await
        .unwrap_err();
    assert!(err.is_rate_limited());
    assert_eq!(fake.request_count("POST /opportunities/:id/notes"), 1);
    assert!(fake.notes().is_empty());

    // Accepted, then the response is lost to a timeout: outcome unknown, not retried.
    fake.fail_next_note_posts(1, Failure::AcceptThenDelay(Duration::from_millis(800)));
    let client = fake
        .client_builder()
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let err = client
        .add_note(&opp, &NewNote::new("once"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert_eq!(fake.request_count("POST /opportunities/:id/notes"), 2);
    assert_eq!(fake.notes().len(), 1, "stored exactly once");

    // Accepted, then 500: also exactly one note.
    fake.fail_next_note_posts(1, Failure::AcceptThenFail(500));
    let err = fake
        .client()
        .add_note(&opp, &NewNote::new("twice?"))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert_eq!(fake.notes_for(&opp).len(), 2);
    assert_eq!(fake.request_count("POST /opportunities/:id/notes"), 3);
}

#[tokio::test]
async fn note_post_is_retried_after_connect_error() {
    // Reserve a port, then close it so the first connection attempt is refused.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let client = LeverClient::builder()
        .api_key("k")
        .base_url(format!("http://{addr}/v1"))
        .retry_policy(
            RetryPolicy::fast()
                .base_delay(Duration::from_millis(150))
                .max_delay(Duration::from_millis(300))
                .max_attempts(8),
        )
        .build()
        .unwrap();
    let server = async move {
        // Come up after the first attempt has failed.
        tokio::time::sleep(Duration::from_millis(60)).await;
        let listener = std::net::TcpListener::bind(addr).unwrap();
        let server = MockServer::builder().listener(listener).start().await;
        Mock::given(method("POST"))
            .and(path("/v1/opportunities/o1/notes"))
            .respond_with(
                ResponseTemplate::new(201).set_body_json(json!({"data": {"noteId": "n1"}})),
            )
            .expect(1)
            .mount(&server)
            .await;
        server
    };
    let server = tokio::spawn(server);
    // Full jitter can make a retry fire before the server is up; keep attempts generous.
    let result = client.add_note("o1", &NewNote::new("hello")).await;
    let _server = server.await.unwrap();
    assert_eq!(result.unwrap().note_id, "n1");
}

#[tokio::test]
async fn connect_error_is_classified() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let client = LeverClient::builder()
        .api_key("k")
        .base_url(format!("http://{addr}/v1"))
        .retry_policy(RetryPolicy::fast().max_attempts(2))
        .build()
        .unwrap();
    let err = client.stage("offer").await.unwrap_err();
    assert!(err.is_connect(), "{err:?}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn unauthorized_is_revoked_and_not_retried() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/stages"))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            json!({"code": "Unauthorized", "message": "A valid API key was not provided"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server, RetryPolicy::fast());
    let err = client.stages_page(None).await.unwrap_err();
    assert!(matches!(err, Error::Revoked { .. }));
    assert!(err.needs_reconnect());
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn client_side_bucket_is_shared_by_clones() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/stages/offer"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": {"id": "offer"}})))
        .mount(&server)
        .await;
    let client = LeverClient::builder()
        .api_key("k")
        .base_url(format!("{}/v1", server.uri()))
        .rate_limit(Some(RateLimit::new(20, 5)))
        .build()
        .unwrap();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..15 {
        let c = client.clone();
        tasks.push(tokio::spawn(
            async move { c.stage("offer").await.map(|_| ()) },
        ));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    // 5 immediately, then 10 more at 20/s: at least ~450 ms.
    assert!(
        started.elapsed() >= Duration::from_millis(400),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn fake_enforces_its_rate_limit_and_client_stays_under_it() {
    let fake = FakeLever::start_with(FakeConfig {
        rate_limit: Some(RateLimit::new(10, 5)),
        ..FakeConfig::default()
    })
    .await;
    // Without a client-side limit, a burst gets 429s.
    let unthrottled = fake
        .client_builder()
        .rate_limit(None)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let results = futures::future::join_all((0..12).map(|_| unthrottled.stage("offer"))).await;
    let throttled = results
        .iter()
        .filter(|r| matches!(r, Err(e) if e.is_rate_limited()))
        .count();
    assert!(throttled >= 5, "only {throttled} throttled");

    // With the fake's own client (a bucket just under the server's), none are.
    tokio::time::sleep(Duration::from_millis(600)).await;
    let polite = fake
        .client_builder()
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let results = futures::future::join_all((0..10).map(|_| polite.stage("offer"))).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
}

#[tokio::test]
async fn fake_paginates_with_encoded_tokens() {
    let fake = FakeLever::start().await;
    for i in 0..7 {
        fake.add_candidate(
            NewCandidate::new(format!("Candidate {i}"), format!("c{i}@example.com")).tag("bulk"),
        );
    }
    let client = fake.client_builder().page_size(3).build().unwrap();
    let q = OpportunityQuery::new().tag("bulk");
    let first = client.opportunities_page(&q, None).await.unwrap();
    assert_eq!(first.data.len(), 3);
    assert!(first.next_offset().unwrap().starts_with("%5B"));
    let all: Vec<_> = client.opportunities(&q).try_collect().await.unwrap();
    assert_eq!(all.len(), 7);
    assert_eq!(fake.request_count("GET /opportunities"), 4);
}

#[tokio::test]
async fn follows_one_redirect_to_the_same_origin_with_credentials() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/stages/offer"))
        .respond_with(ResponseTemplate::new(301).insert_header("Location", "/eu/v1/stages/offer"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/eu/v1/stages/offer"))
        .and(wiremock::matchers::header("authorization", "Basic azo="))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": {"id": "offer"}})))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server, RetryPolicy::none());
    assert_eq!(client.stage("offer").await.unwrap().id, "offer");
}

#[tokio::test]
async fn does_not_send_credentials_to_foreign_redirects() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/stages/offer"))
        .respond_with(
            ResponseTemplate::new(301)
                .insert_header("Location", "https://evil.example/v1/stages/offer"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server, RetryPolicy::none());
    match client.stage("offer").await.unwrap_err() {
        Error::Api {
            status, message, ..
        } => {
            assert_eq!(status, 301);
            assert!(message.unwrap().contains("evil.example"));
        }
        other => panic!("unexpected {other:?}"),
    }
    // A note POST is not replayed on a 301 either.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(301).insert_header("Location", "/elsewhere"))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server, RetryPolicy::fast());
    let err = client.add_note("o1", &NewNote::new("x")).await.unwrap_err();
    assert_eq!(err.status(), Some(301));
}

//! OAuth: code exchange, proactive refresh, refresh once on 401, single-flight refresh, rotation
//! persisted, revoked and lapsed connections.

use std::sync::Arc;

use chrono::Utc;
use lever_client::{
    Error, LeverClient, MemoryTokenStore, OAuthConfig, ReconnectReason, RetryPolicy, TokenSet,
};
use secrecy::ExposeSecret;
use serde_json::json;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn config(server: &MockServer) -> OAuthConfig {
    OAuthConfig::new(
        "client-123",
        "client-secret-xyz",
        "https://app.example/callback",
    )
    .token_endpoint(format!("{}/oauth/token", server.uri()))
}

fn client(server: &MockServer, store: Arc<MemoryTokenStore>) -> LeverClient {
    LeverClient::builder()
        .oauth(config(server), store)
        .base_url(format!("{}/v1", server.uri()))
        .retry_policy(RetryPolicy::fast())
        .build()
        .unwrap()
}

fn tokens(access: &str, refresh: &str, expires_in_secs: i64) -> TokenSet {
    TokenSet::new(
        access,
        Some(refresh.to_owned()),
        Utc::now() + chrono::Duration::seconds(expires_in_secs),
    )
}

fn token_response(access: &str, refresh: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "access_token": access, "refresh_token": refresh, "token_type": "Bearer",
        "scope": "offline_access notes:write:admin", "expires_in": 3600
    }))
}

/// Mounts the token endpoint, expected `times` times.
async fn token_route(server: &MockServer, response: ResponseTemplate, times: u64) {
    Mock::given(path("/oauth/token"))
        .respond_with(response)
        .expect(times)
        .mount(server)
        .await;
}

/// Mounts `GET /v1/stages/offer` (only for `bearer`'s requests, when given),
/// expected `times` times.
async fn stage_route(
    server: &MockServer,
    bearer: Option<&str>,
    response: ResponseTemplate,
    times: u64,
) {
    let mut mock = Mock::given(path("/v1/stages/offer"));
    if let Some(token) = bearer {
        mock = mock.and(header("authorization", format!("Bearer {token}")));
    }
    mock.respond_with(response)
        .expect(times)
        .mount(server)
        .await;
}

fn stage_ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"data": {"id": "offer", "text": "Offer"}}))
}

fn unauthorized() -> ResponseTemplate {
    ResponseTemplate::new(401)
        .set_body_json(json!({"code": "Unauthorized", "message": "Invalid token"}))
}

#[tokio::test]
async fn exchange_code_posts_the_documented_form() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(body_string_contains("grant_type=authorization_code"))
        .and(body_string_contains("client_id=client-123"))
        .and(body_string_contains("client_secret=client-secret-xyz"))
        .and(body_string_contains("code=the-code"))
        .and(body_string_contains(
            "redirect_uri=https%3A%2F%2Fapp.example%2Fcallback",
        ))
        .respond_with(token_response("access-1", "DOOIm_refresh-1"))
        .expect(1)
        .mount(&server)
        .await;
    let tokens = config(&server).exchange_code("the-code").await.unwrap();
    assert_eq!(tokens.access_token.expose_secret(), "access-1");
    assert_eq!(
        tokens.refresh_token.unwrap().expose_secret(),
        "DOOIm_refresh-1"
    );
    assert!(tokens.expires_at > Utc::now() + chrono::Duration::minutes(59));
}

#[tokio::test]
async fn refreshes_before_expiry_and_persists_the_rotated_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(body_string_contains("grant_type=refresh_token"))
        .and(body_string_contains("refresh_token=refresh-1"))
        .and(body_string_contains("client_secret=client-secret-xyz"))
        .respond_with(token_response("access-2", "v1.refresh-2"))
        .expect(1)
        .mount(&server)
        .await;
    stage_route(&server, Some("access-2"), stage_ok(), 2).await;
    // Expires in 60 s: inside the 5-minute margin.
    let store = Arc::new(MemoryTokenStore::with_tokens(tokens(
        "access-1",
        "refresh-1",
        60,
    )));
    let client = client(&server, store.clone());
    client.stage("offer").await.unwrap();
    client.stage("offer").await.unwrap();
    let saved = store.tokens().unwrap();
    assert_eq!(saved.access_token.expose_secret(), "access-2");
    assert_eq!(saved.refresh_token.unwrap().expose_secret(), "v1.refresh-2");
    assert_eq!(store.save_count(), 1);
}

#[tokio::test]
async fn refreshes_once_on_401_then_succeeds() {
    let server = MockServer::start().await;
    token_route(&server, token_response("access-2", "refresh-2"), 1).await;
    stage_route(&server, Some("access-1"), unauthorized(), 1).await;
    stage_route(&server, Some("access-2"), stage_ok(), 1).await;
    let store = Arc::new(MemoryTokenStore::with_tokens(tokens(
        "access-1",
        "refresh-1",
        3600,
    )));
    client(&server, store.clone()).stage("offer").await.unwrap();
    assert_eq!(
        store
            .tokens()
            .unwrap()
            .refresh_token
            .unwrap()
            .expose_secret(),
        "refresh-2"
    );
}

#[tokio::test]
async fn concurrent_calls_share_one_refresh() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .respond_with(
            token_response("access-2", "refresh-2")
                .set_delay(std::time::Duration::from_millis(100)),
        )
        .expect(1)
        .mount(&server)
        .await;
    stage_route(&server, Some("access-2"), stage_ok(), 8).await;
    let store = Arc::new(MemoryTokenStore::with_tokens(tokens(
        "access-1",
        "refresh-1",
        -10,
    )));
    let client = client(&server, store);
    let calls = (0..8).map(|_| {
        let c = client.clone();
        tokio::spawn(async move { c.stage("offer").await })
    });
    for r in futures::future::join_all(calls).await {
        r.unwrap().unwrap();
    }
}

#[tokio::test]
async fn revoked_access_gives_revoked_without_a_retry_loop() {
    let server = MockServer::start().await;
    token_route(&server, token_response("access-2", "refresh-2"), 1).await;
    stage_route(&server, None, unauthorized(), 2).await;
    let store = Arc::new(MemoryTokenStore::with_tokens(tokens(
        "access-1",
        "refresh-1",
        3600,
    )));
    let err = client(&server, store).stage("offer").await.unwrap_err();
    assert!(matches!(err, Error::Revoked { .. }), "{err:?}");
    assert!(err.needs_reconnect());
}

#[tokio::test]
async fn rejected_refresh_token_is_revoked_or_lapsed() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(403).set_body_json(
            json!({"error": "invalid_grant", "error_description": "Unknown or invalid refresh token."}),
        ))
        .expect(2)
        .mount(&server)
        .await;
    stage_route(&server, None, stage_ok(), 0).await;
    let store = Arc::new(MemoryTokenStore::with_tokens(tokens("a", "r", -1)));
    let err = client(&server, store).stage("offer").await.unwrap_err();
    assert!(matches!(err, Error::Revoked { .. }), "{err:?}");

    // Unused for more than 90 days: the token lapsed.
    let mut idle = tokens("a", "r", -1);
    idle.refresh_token_issued_at = Utc::now() - chrono::Duration::days(120);
    let store = Arc::new(MemoryTokenStore::with_tokens(idle));
    let err = client(&server, store).stage("offer").await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::ReconnectRequired {
                reason: ReconnectReason::RefreshTokenExpired
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn missing_tokens_require_reconnect() {
    let server = MockServer::start().await;
    let store = Arc::new(MemoryTokenStore::new());
    let err = client(&server, store).stage("offer").await.unwrap_err();
    assert!(matches!(
        err,
        Error::ReconnectRequired {
            reason: ReconnectReason::NoTokens
        }
    ));
    let no_refresh = TokenSet::new("a", None, Utc::now() - chrono::Duration::seconds(1));
    let store = Arc::new(MemoryTokenStore::with_tokens(no_refresh));
    let err = client(&server, store).stage("offer").await.unwrap_err();
    assert!(matches!(
        err,
        Error::ReconnectRequired {
            reason: ReconnectReason::NoRefreshToken
        }
    ));
}

#[tokio::test]
async fn token_endpoint_outage_is_retryable_oauth_error() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let store = Arc::new(MemoryTokenStore::with_tokens(tokens("a", "r", -1)));
    let err = client(&server, store).stage("offer").await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::OAuth {
                status: Some(503),
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_retryable());
}

#[tokio::test]
async fn note_post_is_retried_when_the_refresh_failed_before_sending() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    token_route(&server, token_response("access-2", "refresh-2"), 1).await;
    Mock::given(method("POST"))
        .and(path("/v1/opportunities/o1/notes"))
        .and(header("authorization", "Bearer access-2"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"data": {"noteId": "n1"}})))
        .expect(1)
        .mount(&server)
        .await;
    let store = Arc::new(MemoryTokenStore::with_tokens(tokens(
        "access-1",
        "refresh-1",
        -1,
    )));
    let created = client(&server, store)
        .add_note("o1", &lever_client::NewNote::new("summary"))
        .await
        .unwrap();
    assert_eq!(created.note_id, "n1");
}

#[tokio::test]
async fn after_401_tokens_refreshed_by_another_process_are_reused() {
    let server = MockServer::start().await;
    token_route(&server, token_response("never", "never"), 0).await;
    stage_route(&server, Some("access-1"), unauthorized(), 1).await;
    stage_route(&server, Some("access-from-elsewhere"), stage_ok(), 1).await;
    let store = Arc::new(MemoryTokenStore::with_tokens(tokens(
        "access-1",
        "refresh-1",
        3600,
    )));
    let client = client(&server, store.clone());
    // Load access-1 into the client, then another process rotates the stored tokens.
    let _ = client.stages_page(None).await;
    use lever_client::TokenStore;
    store
        .save(tokens("access-from-elsewhere", "refresh-2", 3600))
        .await
        .unwrap();
    client.stage("offer").await.unwrap();
}

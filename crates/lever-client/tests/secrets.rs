//! Secrets never appear in Debug, Display, logs or errors.

use std::io::Write;
use std::sync::{Arc, Mutex};

use chrono::Utc;
use lever_client::testing::FakeLever;
use lever_client::{
    Error, LeverClient, MemoryTokenStore, OAuthConfig, RetryPolicy, TokenSet, WebhookVerifier,
};
use serde_json::json;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

const API_KEY: &str = "sk-live-API-KEY-never-print";
const CLIENT_SECRET: &str = "client-SECRET-never-print";
const ACCESS: &str = "eyJ-ACCESS-never-print";
const REFRESH: &str = "DOOIm-REFRESH-never-print";
const NEW_ACCESS: &str = "eyJ-NEW-ACCESS-never-print";
const NEW_REFRESH: &str = "v1.NEW-REFRESH-never-print";
const SIGNING: &str = "SIGNING-TOKEN-never-print";
const ALL: [&str; 7] = [
    API_KEY,
    CLIENT_SECRET,
    ACCESS,
    REFRESH,
    NEW_ACCESS,
    NEW_REFRESH,
    SIGNING,
];

fn assert_clean(text: &str) {
    for secret in ALL {
        assert!(
            !text.contains(secret),
            "secret {secret} leaked into: {text}"
        );
    }
}

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn secrets_stay_out_of_debug_display_errors_and_logs() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": NEW_ACCESS, "refresh_token": NEW_REFRESH, "expires_in": 3600
        })))
        .mount(&server)
        .await;
    Mock::given(path("/v1/stages/offer"))
        .respond_with(
            ResponseTemplate::new(500).set_body_json(json!({"code": "Oops", "message": "boom"})),
        )
        .mount(&server)
        .await;

    let config = OAuthConfig::new("client-id", CLIENT_SECRET, "https://app.example/cb")
        .token_endpoint(format!("{}/oauth/token", server.uri()));
    let tokens = TokenSet::new(ACCESS, Some(REFRESH.into()), Utc::now());
    let store = Arc::new(MemoryTokenStore::with_tokens(tokens.clone()));
    let builder = LeverClient::builder()
        .oauth(config.clone(), store.clone())
        .base_url(format!("{}/v1", server.uri()))
        .retry_policy(RetryPolicy::fast().max_attempts(2));
    let mut seen = format!("{builder:?} {config:?} {tokens:?} {store:?}");
    let client = builder.build().unwrap();
    seen += &format!("{client:?}");
    let err = client.stage("offer").await.unwrap_err();
    seen += &format!("{err} {err:?}");
    seen += &format!("{:?}", store.tokens());

    let key_builder = LeverClient::builder().api_key(API_KEY);
    seen += &format!("{key_builder:?}");
    let key_client = key_builder
        .base_url(format!("{}/v1", server.uri()))
        .build()
        .unwrap();
    seen += &format!("{key_client:?}");

    let verifier = WebhookVerifier::new(SIGNING).add_token(SIGNING);
    seen += &format!("{verifier:?}");
    let bad = verifier.verify(b"{}").unwrap_err();
    seen += &format!("{bad} {bad:?}");

    // An OAuth error body that echoes a token is not copied into the error.
    let echo = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(400).set_body_string(format!("bad refresh {REFRESH}")))
        .mount(&echo)
        .await;
    let err = OAuthConfig::new("client-id", CLIENT_SECRET, "https://app.example/cb")
        .token_endpoint(format!("{}/oauth/token", echo.uri()))
        .exchange_code("code")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::OAuth { .. }));
    seen += &format!("{err} {err:?}");

    drop(_guard);
    seen += &String::from_utf8_lossy(&capture.0.lock().unwrap());
    assert!(
        seen.contains("retrying Lever request"),
        "logs were captured"
    );
    assert_clean(&seen);
}

#[tokio::test]
async fn fake_api_key_is_not_in_client_debug() {
    let fake = FakeLever::start().await;
    let text = format!("{:?} {:?}", fake.client(), fake.client_builder());
    assert!(!text.contains(fake.api_key()));
}

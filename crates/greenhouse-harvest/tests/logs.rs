//! Secrets never reach the logs, even at TRACE level and through failures.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use greenhouse_harvest::testing::{Failure, FakeGreenhouse};
use greenhouse_harvest::{ListQuery, NewNote, Visibility};
use secrecy::ExposeSecret;

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_secret_is_logged() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let fake = FakeGreenhouse::start().await;
    let (partner, _store) = fake.partner_client(4081).await.unwrap();
    let client = fake.client();
    fake.fail_next(2, Failure::Status(503));
    client.list_jobs(&ListQuery::new()).await.unwrap();
    fake.fail_next(
        1,
        Failure::RateLimited {
            retry_after: Some(Duration::from_secs(1)),
        },
    );
    client.list_users(&ListQuery::new()).await.unwrap();
    fake.expire_access_tokens();
    partner.list_jobs(&ListQuery::new()).await.unwrap();
    let token = client
        .access_token()
        .await
        .unwrap()
        .expose_secret()
        .to_owned();
    let partner_token = partner
        .access_token()
        .await
        .unwrap()
        .expose_secret()
        .to_owned();
    fake.revoke();
    let _ = client
        .create_note(&NewNote::new(
            fake.candidate_ids()[0],
            "x",
            Visibility::Private,
        ))
        .await;

    let logs = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("retrying Greenhouse request"),
        "the test exercised the logging paths:\n{logs}"
    );
    for secret in [
        fake.client_secret(),
        token.as_str(),
        partner_token.as_str(),
        "fake-refresh-",
    ] {
        assert!(!logs.contains(secret), "{secret:?} leaked into the logs");
    }
}

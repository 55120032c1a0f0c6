//! Every Harvest request attempt runs in an `api_request` span with the route
//! template, method, status, attempt and latency, and nothing personal or secret.

use std::io::Write;
use std::sync::{Arc, Mutex};

use greenhouse_harvest::testing::{Failure, FakeGreenhouse, NewCandidate};
use greenhouse_harvest::{NewNote, Visibility};
use secrecy::ExposeSecret;
use tracing_subscriber::fmt::format::FmtSpan;

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

/// The closed `api_request` spans, one line each with its fields.
fn closed_spans(logs: &str) -> Vec<&str> {
    logs.lines()
        .filter(|l| l.contains("api_request{") && l.contains("close"))
        .collect()
}

#[tokio::test]
async fn each_attempt_runs_in_an_api_request_span() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let fake = FakeGreenhouse::start_empty().await;
    let email = "ada.private@example.com";
    let id = fake.add_candidate(NewCandidate::new("Ada Lovelace", email));
    let client = fake.client();
    // A GET whose query carries an e-mail, retried once after a 503.
    fake.fail_next(1, Failure::Status(503));
    let found = client.find_candidates_by_email(email).await.unwrap();
    assert_eq!(found[0].id, id);
    let note_text = "Strong systems thinking";
    client
        .create_note(&NewNote::new(id, note_text, Visibility::Private))
        .await
        .unwrap();
    let token = client.access_token().await.unwrap();

    let logs = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    let spans = closed_spans(&logs);
    assert_eq!(spans.len(), 3, "two GET attempts and one POST:\n{logs}");
    let expect = |line: &str, fields: &[&str]| {
        for field in fields {
            assert!(line.contains(field), "{field} missing in {line}");
        }
        assert!(line.contains("latency_ms="), "latency missing in {line}");
    };
    let get = [r#"client="greenhouse""#, "method=GET", "route=/candidates"];
    expect(spans[0], &[&get[..], &["status=503", "attempt=1"]].concat());
    expect(spans[1], &[&get[..], &["status=200", "attempt=2"]].concat());
    expect(
        spans[2],
        &[
            r#"client="greenhouse""#,
            "method=POST",
            "route=/notes",
            "status=201",
            "attempt=1",
        ],
    );
    for leaked in [
        email,
        "ada.private",
        note_text,
        token.expose_secret(),
        fake.client_secret(),
        fake.webhook_secret(),
    ] {
        assert!(!logs.contains(leaked), "{leaked:?} appears in the logs");
    }
}

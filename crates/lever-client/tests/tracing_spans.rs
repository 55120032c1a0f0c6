//! Every API request attempt runs in an `api_request` span with the route template, and no
//! secret, id, e-mail or body reaches the captured output.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::{Arc, Mutex};

use lever_client::NewNote;
use lever_client::testing::{Failure, FakeConfig, FakeLever, NewCandidate};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

/// The fields of every `api_request` span, in creation order.
#[derive(Clone, Default)]
struct Spans(Arc<Mutex<Vec<BTreeMap<String, String>>>>);

/// Index of a span's entry in [`Spans`], kept in the span's extensions.
struct Slot(usize);

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

impl<S: tracing::Subscriber + for<'a> LookupSpan<'a>> tracing_subscriber::Layer<S> for Spans {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        if attrs.metadata().name() != "api_request" {
            return;
        }
        assert_eq!(*attrs.metadata().level(), tracing::Level::INFO);
        let mut fields = BTreeMap::new();
        attrs.record(&mut Fields(&mut fields));
        let mut all = self.0.lock().unwrap();
        all.push(fields);
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(Slot(all.len() - 1));
        }
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else { return };
        let Some(Slot(slot)) = span.extensions().get::<Slot>().map(|s| Slot(s.0)) else {
            return;
        };
        values.record(&mut Fields(&mut self.0.lock().unwrap()[slot]));
    }
}

#[derive(Clone, Default)]
struct Text(Arc<Mutex<Vec<u8>>>);

impl Write for Text {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn field<'a>(span: &'a BTreeMap<String, String>, name: &str) -> &'a str {
    span.get(name)
        .map(String::as_str)
        .unwrap_or_else(|| panic!("span has no `{name}`: {span:?}"))
}

#[tokio::test(flavor = "current_thread")]
async fn each_attempt_has_a_span_with_route_template_status_and_latency() {
    let spans = Spans::default();
    let text = Text::default();
    let writer = text.clone();
    let subscriber = tracing_subscriber::registry().with(spans.clone()).with(
        tracing_subscriber::fmt::layer()
            .with_writer(move || writer.clone())
            // Each span is printed on close with its recorded fields; no filter: every level.
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE),
    );
    let _guard = tracing::subscriber::set_default(subscriber);

    let fake = FakeLever::start_with(FakeConfig {
        rate_limit: None,
        ..FakeConfig::default()
    })
    .await;
    let email = "katherine.johnson@example.com";
    let opp = fake.add_candidate(NewCandidate::new("Katherine Johnson", email));
    let client = fake.client();

    // A GET that is throttled once, then answered: two attempts, two spans.
    fake.fail_next(1, Failure::RateLimited { retry_after: None });
    let found = client.opportunities_by_email(email).await.unwrap();
    assert_eq!(found[0].id, opp);
    let note_text = "Confidential interview summary: strong on orbital mechanics";
    client
        .add_note(&opp, &NewNote::new(note_text))
        .await
        .unwrap();
    drop(_guard);

    let spans = spans.0.lock().unwrap().clone();
    let gets: Vec<_> = spans
        .iter()
        .filter(|s| field(s, "method") == "GET")
        .collect();
    assert_eq!(gets.len(), 2, "one span per attempt: {spans:?}");
    for (i, get) in gets.iter().enumerate() {
        assert_eq!(field(get, "client"), "lever");
        assert_eq!(field(get, "route"), "/opportunities");
        assert_eq!(field(get, "attempt"), (i + 1).to_string());
        field(get, "latency_ms").parse::<u64>().unwrap();
    }
    assert_eq!(field(gets[0], "status"), "429");
    assert_eq!(field(gets[1], "status"), "200");

    let posts: Vec<_> = spans
        .iter()
        .filter(|s| field(s, "method") == "POST")
        .collect();
    assert_eq!(posts.len(), 1, "{spans:?}");
    assert_eq!(field(posts[0], "route"), "/opportunities/{id}/notes");
    assert_eq!(field(posts[0], "status"), "201");
    assert_eq!(field(posts[0], "attempt"), "1");
    field(posts[0], "latency_ms").parse::<u64>().unwrap();

    let mut output = String::from_utf8_lossy(&text.0.lock().unwrap()).into_owned();
    assert!(
        output.contains("api_request"),
        "the fmt layer saw the spans: {output}"
    );
    output += &format!("{spans:?}");
    for secret in [fake.api_key(), email, opp.as_str(), note_text, "katherine"] {
        assert!(
            !output.contains(secret),
            "`{secret}` leaked into the trace output: {output}"
        );
    }
}

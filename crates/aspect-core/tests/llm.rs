//! The OpenAI-compatible backend against a local wiremock server.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use aspect_interview_core::{
    Error, OpenAiConfig, OpenAiSummarizer, RetryPolicy, Summarizer, SummaryRequest, Transcript,
    UtteranceId,
};
use serde_json::{Value, json};
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const KEY: &str = "sk-test-5f0c1e2d3c4b5a69";

fn transcript() -> Transcript {
    Transcript::parse(include_str!("fixtures/interview_zoom.vtt")).unwrap()
}

fn completion(content: &str) -> Value {
    let mut envelope: Value =
        serde_json::from_str(include_str!("fixtures/chat_completion.json")).unwrap();
    envelope["choices"][0]["message"]["content"] = Value::String(content.to_owned());
    envelope
}

fn good_completion() -> Value {
    completion(include_str!("fixtures/model_notes.json"))
}

fn config(server: &MockServer) -> OpenAiConfig {
    OpenAiConfig::new(&format!("{}/v1", server.uri()), "gpt-4o-mini")
        .unwrap()
        .api_key(KEY)
        .timeout(Duration::from_secs(5))
        .retry(RetryPolicy::fast(3))
}

async fn summarize(config: OpenAiConfig) -> Result<aspect_interview_core::InterviewNotes, Error> {
    let t = transcript();
    let summarizer = OpenAiSummarizer::new(config).unwrap();
    let request = SummaryRequest::new(&t);
    summarizer.summarize(&request).await
}

#[tokio::test]
async fn success_maps_citations_to_the_transcript() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .and(body_partial_json(json!({
            "model": "gpt-4o-mini",
            "response_format": {"type": "json_schema", "json_schema": {"name": "interview_notes", "strict": true}}
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(good_completion()))
        .expect(1)
        .mount(&server)
        .await;

    let notes = summarize(config(&server)).await.unwrap();
    assert_eq!(notes.generator, "openai-compatible:gpt-4o-mini");
    assert!(
        notes
            .summary
            .overview
            .starts_with("Priya Raman interviewed Jordan Ellis")
    );
    // The point citing a non-existent utterance is dropped.
    assert_eq!(notes.summary.key_points.len(), 2);
    let migration = &notes.summary.key_points[1];
    let cited: Vec<UtteranceId> = migration.citations.iter().map(|c| c.utterance).collect();
    assert_eq!(cited, [UtteranceId(6), UtteranceId(8)]);
    assert_eq!(migration.citations[0].start.millis(), 50_300);
    assert_eq!(
        migration.citations[0].speaker.as_deref(),
        Some("Jordan Ellis")
    );
    // Q&A: speakers and times come from the transcript, not the model;
    // duplicate ids collapse; the hallucinated question is dropped.
    assert_eq!(notes.qa.len(), 2);
    assert_eq!(notes.qa[0].asked_by.as_deref(), Some("Priya Raman"));
    assert_eq!(notes.qa[0].asked_at.millis(), 6_500);
    assert_eq!(notes.qa[0].answered_by.as_deref(), Some("Jordan Ellis"));
    assert_eq!(notes.qa[1].answer_citations.len(), 1);

    // The prompt carries ids, roles and the guardrails.
    let requests = server.received_requests().await.unwrap();
    let body: Value = serde_json::from_slice(&requests[0].body).unwrap();
    let system = body["messages"][0]["content"].as_str().unwrap();
    let user = body["messages"][1]["content"].as_str().unwrap();
    assert!(system.contains("Do not make any hiring recommendation"));
    assert!(system.contains("Do not infer personal traits"));
    assert!(system.contains("JSON"));
    assert!(
        user.contains("#3 [00:06] Priya Raman (interviewer): Great."),
        "{user}"
    );
    assert!(user.contains("#4 [00:18] Jordan Ellis (candidate): Sure."));
}

#[tokio::test]
async fn malformed_model_output_is_a_clear_error() {
    let cases = [
        ("Sure! Here is the summary you asked for.", None),
        (
            r#"{"overview":"x","key_points":[],"strengths":[],"concerns":[],"follow_ups":[],"qa":[{"question":"q","question_utterance_id":"three","answer_summary":"a","answer_utterance_ids":[]}]}"#,
            Some("qa[0].question_utterance_id"),
        ),
        (
            r#"{"overview":"x","key_points":[{"text":"t"}],"strengths":[],"concerns":[],"follow_ups":[],"qa":[]}"#,
            Some("key_points[0]"),
        ),
    ];
    for (content, path_hint) in cases {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200).set_body_json(completion(content)))
            .expect(1) // not retried: the same prompt would fail the same way
            .mount(&server)
            .await;
        match summarize(config(&server)).await {
            Err(Error::ModelOutput { message, snippet }) => {
                if let Some(p) = path_hint {
                    assert!(message.contains(p), "{message}");
                }
                assert!(content.starts_with(&snippet[..snippet.len().min(20)]));
            }
            other => panic!("expected ModelOutput, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn fenced_json_is_accepted() {
    let server = MockServer::start().await;
    let fenced = format!(
        "```json\n{}\n```",
        include_str!("fixtures/model_notes.json")
    );
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(completion(&fenced)))
        .mount(&server)
        .await;
    assert_eq!(summarize(config(&server)).await.unwrap().qa.len(), 2);
}

#[tokio::test]
async fn timeout_is_retried_then_reported() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(good_completion())
                .set_delay(Duration::from_secs(3)),
        )
        .expect(2)
        .mount(&server)
        .await;
    let config = config(&server)
        .timeout(Duration::from_millis(200))
        .retry(RetryPolicy::fast(2));
    let started = std::time::Instant::now();
    let err = summarize(config).await.unwrap_err();
    assert!(matches!(err, Error::Timeout), "{err:?}");
    assert!(err.is_retryable());
    assert!(started.elapsed() < Duration::from_secs(2));
}

/// Fails with the given responses first, then succeeds.
struct FailThenSucceed {
    calls: Arc<AtomicUsize>,
    failures: Vec<ResponseTemplate>,
}

impl Respond for FailThenSucceed {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        self.failures
            .get(n)
            .cloned()
            .unwrap_or_else(|| ResponseTemplate::new(200).set_body_json(good_completion()))
    }
}

#[tokio::test]
async fn throttling_and_server_errors_are_retried() {
    let server = MockServer::start().await;
    let calls = Arc::new(AtomicUsize::new(0));
    Mock::given(method("POST"))
        .respond_with(FailThenSucceed {
            calls: calls.clone(),
            failures: vec![
                ResponseTemplate::new(429)
                    .insert_header("retry-after", "0")
                    .set_body_json(
                        json!({"error": {"message": "Rate limit reached", "type": "requests"}}),
                    ),
                ResponseTemplate::new(503).set_body_string("upstream unavailable"),
            ],
        })
        .mount(&server)
        .await;
    let notes = summarize(config(&server)).await.unwrap();
    assert_eq!(notes.qa.len(), 2);
    assert_eq!(calls.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn client_errors_are_not_retried_and_keep_the_api_message() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "error": {"message": "Incorrect API key provided.", "type": "invalid_request_error", "code": "invalid_api_key"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let err = summarize(config(&server)).await.unwrap_err();
    match &err {
        Error::Api {
            status,
            message,
            body_snippet,
            ..
        } => {
            assert_eq!(*status, 401);
            assert_eq!(message.as_deref(), Some("Incorrect API key provided."));
            assert!(body_snippet.contains("invalid_api_key"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "summarizer API returned HTTP 401: Incorrect API key provided."
    );
    assert!(!format!("{err:?}").contains(KEY));
}

#[tokio::test]
async fn refusal_and_truncation_are_reported() {
    let server = MockServer::start().await;
    let mut refusal = completion("");
    refusal["choices"][0]["message"]["content"] = Value::Null;
    refusal["choices"][0]["message"]["refusal"] = json!("I can't help with that.");
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(refusal))
        .mount(&server)
        .await;
    let err = summarize(config(&server)).await.unwrap_err();
    assert!(
        matches!(err, Error::Refusal(ref m) if m == "I can't help with that."),
        "{err:?}"
    );

    let server = MockServer::start().await;
    let mut cut = completion(r#"{"overview":"The candidate"#);
    cut["choices"][0]["finish_reason"] = json!("length");
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(cut))
        .mount(&server)
        .await;
    let err = summarize(config(&server)).await.unwrap_err();
    assert!(
        matches!(err, Error::ModelOutput { ref message, .. } if message.contains("length")),
        "{err:?}"
    );
}

#[tokio::test]
async fn long_transcripts_are_summarized_map_reduce() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(good_completion()))
        .mount(&server)
        .await;
    let notes = summarize(config(&server).chunk_chars(1_200)).await.unwrap();
    assert_eq!(notes.qa.len(), 2);

    let requests = server.received_requests().await.unwrap();
    assert!(
        requests.len() >= 3,
        "at least two map calls and one reduce call"
    );
    let users: Vec<String> = requests
        .iter()
        .map(|r| {
            let body: Value = serde_json::from_slice(&r.body).unwrap();
            body["messages"][1]["content"].as_str().unwrap().to_owned()
        })
        .collect();
    let maps = users.len() - 1;
    // Map calls run two at a time, so they may arrive in any order.
    for part in 1..=maps {
        let label = format!("This is part {part} of {maps} ");
        assert_eq!(
            users[..maps].iter().filter(|u| u.contains(&label)).count(),
            1,
            "{label}"
        );
    }
    for user in &users[..maps] {
        assert!(user.chars().count() < 1_200 + 300);
    }
    // Every utterance is sent exactly once across the map calls.
    for id in 1..=transcript().utterances.len() {
        let needle = format!("#{id} [");
        assert_eq!(
            users[..maps].iter().filter(|u| u.contains(&needle)).count(),
            1,
            "{needle}"
        );
    }
    let reduce = users.last().unwrap();
    assert!(reduce.starts_with("Merge these partial JSON summaries"));
    assert!(reduce.contains("\"utterance_ids\":[6,8]"));
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    // Bind and drop a listener to get a port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let config = OpenAiConfig::new(&format!("http://127.0.0.1:{port}/v1"), "m")
        .unwrap()
        .retry(RetryPolicy::fast(2));
    let err = summarize(config).await.unwrap_err();
    assert!(
        matches!(err, Error::Transport { connect: true, .. }),
        "{err:?}"
    );
}

#[test]
fn secrets_never_appear_in_debug() {
    let config = OpenAiConfig::new("http://127.0.0.1:9/v1", "m")
        .unwrap()
        .api_key(KEY);
    assert!(!format!("{config:?}").contains(KEY));
    let summarizer = OpenAiSummarizer::new(config).unwrap();
    assert!(!format!("{summarizer:?}").contains(KEY));
}

#[test]
fn base_url_paths_are_kept() {
    for base in ["http://127.0.0.1:8080/v1", "http://127.0.0.1:8080/v1/"] {
        let config = OpenAiConfig::new(base, "m").unwrap();
        assert_eq!(config.base_url.as_str(), "http://127.0.0.1:8080/v1/");
    }
    assert!(matches!(
        OpenAiConfig::new("not a url", "m"),
        Err(Error::Config(_))
    ));
}

//! The OpenAI-compatible chat-completions summarizer.
//!
//! Works with any server that speaks `POST {base_url}/chat/completions`
//! (OpenAI, Azure-style gateways, vLLM, Ollama's `/v1`, ...). It asks for
//! JSON-schema structured output (`response_format: json_schema`, `strict:
//! true`, research notes §3.2), checks every cited utterance id against the
//! transcript, and maps the answer to [`InterviewNotes`].
//!
//! Transcripts longer than [`OpenAiConfig::chunk_chars`] are summarized
//! map-reduce style (§3.3): each chunk separately, then one call merges the
//! partial summaries; utterance ids are global, so citations survive both
//! steps.
//!
//! Each attempt has a timeout; retryable failures (429, 408, 5xx, timeouts,
//! transport errors — see [`Error::is_retryable`]) are retried with
//! exponential backoff and jitter, bounded in attempts and total delay,
//! honouring a capped `Retry-After`. Retrying this POST is safe: a chat
//! completion creates nothing on the server, so a repeat only costs tokens.

mod prompt;
mod wire;

use std::time::Duration;

use backon::{ExponentialBuilder, Retryable};
use futures::future::BoxFuture;
use futures::{StreamExt, TryStreamExt};
use secrecy::{ExposeSecret, SecretString};
use url::Url;

use crate::error::{BODY_SNIPPET_LIMIT, Error, snippet};
use crate::summary::{
    Citation, CitedPoint, InterviewNotes, InterviewSummary, QaPair, Summarizer, SummaryRequest,
};
use crate::transcript::{Transcript, UtteranceId};
use wire::{ChatRequest, ChatResponse, ErrorBody, FinishReason, Message, ModelNotes, ModelPoint};

/// Retry settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in total, the first included (1 = no retry). Default 3.
    pub max_attempts: usize,
    /// First backoff delay. Default 500 ms.
    pub base_delay: Duration,
    /// Largest single delay, also the cap on `Retry-After`. Default 20 s.
    pub max_delay: Duration,
    /// Largest sum of all delays. Default 60 s.
    pub max_total_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(20),
            max_total_delay: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// `max_attempts` attempts with millisecond-scale delays, for tests.
    pub fn fast(max_attempts: usize) -> Self {
        RetryPolicy {
            max_attempts,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(5),
            max_total_delay: Duration::from_millis(50),
        }
    }

    fn backoff(&self) -> ExponentialBuilder {
        ExponentialBuilder::default()
            .with_jitter()
            .with_min_delay(self.base_delay)
            .with_max_delay(self.max_delay)
            .with_max_times(self.max_attempts.saturating_sub(1))
            .with_total_delay(Some(self.max_total_delay))
    }
}

/// Settings of the chat-completions backend. `Debug` never shows the key.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct OpenAiConfig {
    /// API root; requests go to `{base_url}/chat/completions` (e.g.
    /// `https://api.openai.com/v1`, `http://127.0.0.1:11434/v1`).
    pub base_url: Url,
    /// Model name.
    pub model: String,
    /// Bearer token, when the server needs one.
    pub api_key: Option<SecretString>,
    /// Timeout of one attempt. Default 120 s.
    pub timeout: Duration,
    /// Retry settings.
    pub retry: RetryPolicy,
    /// Largest transcript slice sent in one call, in characters (roughly 4
    /// per token). Default 48,000 (~12k tokens).
    pub chunk_chars: usize,
    /// Map calls in flight at once for long transcripts. Default 2.
    pub max_concurrency: usize,
    /// `temperature`; unset by default (some models accept only their own).
    pub temperature: Option<f32>,
    /// `max_tokens` for the answer; unset by default.
    pub max_output_tokens: Option<u32>,
}

/// Model used by [`OpenAiConfig::from_env`] when `OPENAI_MODEL` is unset.
pub const DEFAULT_MODEL: &str = "gpt-4o-mini";

impl OpenAiConfig {
    /// Configuration for `base_url` and `model`, without a key.
    pub fn new(base_url: &str, model: impl Into<String>) -> Result<Self, Error> {
        let mut base_url = Url::parse(base_url)
            .map_err(|e| Error::Config(format!("base URL `{base_url}`: {e}")))?;
        // `join` replaces the last path segment unless the path ends in `/`.
        if !base_url.path().ends_with('/') {
            let path = format!("{}/", base_url.path());
            base_url.set_path(&path);
        }
        Ok(OpenAiConfig {
            base_url,
            model: model.into(),
            api_key: None,
            timeout: Duration::from_secs(120),
            retry: RetryPolicy::default(),
            chunk_chars: 48_000,
            max_concurrency: 2,
            temperature: None,
            max_output_tokens: None,
        })
    }

    /// From `OPENAI_BASE_URL` (required), `OPENAI_API_KEY` and
    /// `OPENAI_MODEL` (default [`DEFAULT_MODEL`]); `Ok(None)` when
    /// `OPENAI_BASE_URL` is unset.
    pub fn from_env() -> Result<Option<Self>, Error> {
        let Ok(base) = std::env::var("OPENAI_BASE_URL") else {
            return Ok(None);
        };
        let model = std::env::var("OPENAI_MODEL").unwrap_or_else(|_| DEFAULT_MODEL.to_owned());
        let mut config = Self::new(&base, model)?;
        if let Ok(key) = std::env::var("OPENAI_API_KEY") {
            config.api_key = Some(SecretString::from(key));
        }
        Ok(Some(config))
    }

    /// Sets the API key (builder style).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(SecretString::from(key.into()));
        self
    }

    /// Sets the per-attempt timeout (builder style).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the retry policy (builder style).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sets the chunk size in characters (builder style).
    pub fn chunk_chars(mut self, chars: usize) -> Self {
        self.chunk_chars = chars;
        self
    }

    fn endpoint(&self) -> Result<Url, Error> {
        self.base_url
            .join("chat/completions")
            .map_err(|e| Error::Config(format!("base URL: {e}")))
    }
}

/// The chat-completions [`Summarizer`].
#[derive(Debug, Clone)]
pub struct OpenAiSummarizer {
    config: OpenAiConfig,
    endpoint: Url,
    http: reqwest::Client,
}

impl OpenAiSummarizer {
    /// Builds the HTTP client.
    pub fn new(config: OpenAiConfig) -> Result<Self, Error> {
        // reqwest 0.13's default rustls backend (aws-lc) can need cmake to
        // build; the workspace selects rustls with `ring`, which builds with
        // just a C compiler. Installing fails harmlessly when the
        // application already installed a provider, which then stays.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .user_agent(concat!("aspect-interview-core/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::Config(format!("HTTP client: {e}")))?;
        Ok(OpenAiSummarizer {
            endpoint: config.endpoint()?,
            config,
            http,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &OpenAiConfig {
        &self.config
    }

    async fn run(&self, request: &SummaryRequest<'_>) -> Result<InterviewNotes, Error> {
        let transcript = request.transcript;
        let lines: Vec<String> = transcript
            .utterances
            .iter()
            .map(|u| prompt::transcript_line(request, u))
            .collect();
        let chunks = prompt::chunk_lines(lines, self.config.chunk_chars.max(1));
        let parts = chunks.len().max(1);
        let system = prompt::system_prompt(request);

        let model_notes = if parts == 1 {
            let lines = chunks.into_iter().next().unwrap_or_default();
            self.complete(&system, prompt::chunk_prompt(request, &lines, 1, 1))
                .await?
        } else {
            tracing::debug!(parts, "summarizing a long transcript map-reduce style");
            // Prompts are built up front so the stream maps owned strings
            // (borrowed items trip higher-ranked lifetime inference on the
            // `Send` future).
            let prompts: Vec<String> = chunks
                .iter()
                .enumerate()
                .map(|(i, lines)| prompt::chunk_prompt(request, lines, i + 1, parts))
                .collect();
            let system_ref = system.as_str();
            let partials: Vec<ModelNotes> = futures::stream::iter(prompts)
                .map(|user| self.complete(system_ref, user))
                .buffered(self.config.max_concurrency.max(1))
                .try_collect()
                .await?;
            let partials_json = serde_json::to_string(&partials)
                .map_err(|e| Error::Config(format!("encoding partial summaries: {e}")))?;
            self.complete(&system, prompt::reduce_prompt(request, &partials_json))
                .await?
        };
        Ok(to_notes(model_notes, transcript, self.name()))
    }

    /// One chat completion with retries, parsed as [`ModelNotes`].
    async fn complete(&self, system: &str, user: String) -> Result<ModelNotes, Error> {
        let body = ChatRequest {
            model: &self.config.model,
            messages: vec![
                Message {
                    role: "system",
                    content: system.to_owned(),
                },
                Message {
                    role: "user",
                    content: user,
                },
            ],
            response_format: wire::response_format(),
            temperature: self.config.temperature,
            max_tokens: self.config.max_output_tokens,
        };
        let cap = self.config.retry.max_delay;
        let content = (|| self.send_once(&body))
            .retry(self.config.retry.backoff())
            .when(Error::is_retryable)
            .adjust(|e, delay| match e {
                // Honour the server's Retry-After, capped, but only while
                // the backoff still allows another attempt.
                Error::Api {
                    retry_after_secs: Some(secs),
                    ..
                } => delay.map(|_| Duration::from_secs(*secs).min(cap)),
                _ => delay,
            })
            .notify(|e, delay| tracing::warn!(error = %e, ?delay, "retrying chat completion"))
            .await?;
        parse_model_notes(&content)
    }

    /// One attempt: the assistant message content, or an error.
    async fn send_once(&self, body: &ChatRequest<'_>) -> Result<String, Error> {
        let mut request = self.http.post(self.endpoint.clone()).json(body);
        if let Some(key) = &self.config.api_key {
            request = request.bearer_auth(key.expose_secret());
        }
        let response = request.send().await.map_err(transport)?;
        let status = response.status();
        let retry_after_secs = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        let text = response.text().await.map_err(transport)?;
        if !status.is_success() {
            let message = serde_json::from_str::<ErrorBody>(&text)
                .ok()
                .and_then(|b| b.error.message);
            return Err(Error::Api {
                status: status.as_u16(),
                message,
                body_snippet: snippet(&text, BODY_SNIPPET_LIMIT),
                retry_after_secs,
            });
        }
        let mut de = serde_json::Deserializer::from_str(&text);
        let parsed: ChatResponse =
            serde_path_to_error::deserialize(&mut de).map_err(|e| Error::Json {
                format: "chat completion",
                path: e.path().to_string(),
                message: e.into_inner().to_string(),
            })?;
        let choice = parsed
            .choices
            .into_iter()
            .next()
            .ok_or_else(|| Error::ModelOutput {
                message: "response has no choices".into(),
                snippet: snippet(&text, BODY_SNIPPET_LIMIT),
            })?;
        let message = choice.message.unwrap_or(wire::ResponseMessage {
            content: None,
            refusal: None,
        });
        if let Some(refusal) = message.refusal.filter(|r| !r.trim().is_empty()) {
            return Err(Error::Refusal(refusal));
        }
        match choice.finish_reason {
            Some(FinishReason::Length) => {
                return Err(Error::ModelOutput {
                    message: "output cut off at the token limit (finish_reason `length`)".into(),
                    snippet: snippet(message.content.as_deref().unwrap_or(""), BODY_SNIPPET_LIMIT),
                });
            }
            Some(FinishReason::ContentFilter) => {
                return Err(Error::Refusal("output withheld by a content filter".into()));
            }
            _ => {}
        }
        message.content.ok_or_else(|| Error::ModelOutput {
            message: "assistant message has no content".into(),
            snippet: snippet(&text, BODY_SNIPPET_LIMIT),
        })
    }
}

impl Summarizer for OpenAiSummarizer {
    fn name(&self) -> String {
        format!("openai-compatible:{}", self.config.model)
    }

    fn summarize<'a>(
        &'a self,
        request: &'a SummaryRequest<'_>,
    ) -> BoxFuture<'a, Result<InterviewNotes, Error>> {
        Box::pin(self.run(request))
    }
}

fn transport(e: reqwest::Error) -> Error {
    if e.is_timeout() {
        Error::Timeout
    } else {
        Error::Transport {
            // `reqwest::Error`'s Display includes the URL, never headers,
            // so the key cannot leak through it.
            message: e.to_string(),
            connect: e.is_connect(),
        }
    }
}

/// Parses the model's JSON, naming the failing field.
fn parse_model_notes(content: &str) -> Result<ModelNotes, Error> {
    // Some servers wrap JSON in a markdown fence even in JSON mode.
    let trimmed = content.trim();
    let json = trimmed
        .strip_prefix("```json")
        .or_else(|| trimmed.strip_prefix("```"))
        .and_then(|s| s.strip_suffix("```"))
        .unwrap_or(trimmed);
    let mut de = serde_json::Deserializer::from_str(json);
    let notes = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        Error::ModelOutput {
            message: if path == "." {
                inner.to_string()
            } else {
                format!("at `{path}`: {inner}")
            },
            snippet: snippet(content, BODY_SNIPPET_LIMIT),
        }
    })?;
    de.end().map_err(|e| Error::ModelOutput {
        message: e.to_string(),
        snippet: snippet(content, BODY_SNIPPET_LIMIT),
    })?;
    Ok(notes)
}

/// Resolves cited ids against the transcript. Ids that do not exist are
/// dropped; a point or answer left without any citation is dropped too,
/// because every statement must carry its evidence.
fn to_notes(model: ModelNotes, transcript: &Transcript, generator: String) -> InterviewNotes {
    let cite = |ids: &[u32]| -> Vec<Citation> {
        let mut out: Vec<Citation> = Vec::new();
        for id in ids {
            if let Some(u) = transcript.utterance(UtteranceId(*id))
                && !out.iter().any(|c| c.utterance == u.id)
            {
                out.push(Citation::of(u));
            }
        }
        out
    };
    let mut dropped = 0usize;
    let mut points = |list: Vec<ModelPoint>| -> Vec<CitedPoint> {
        list.into_iter()
            .filter_map(|p| {
                let citations = cite(&p.utterance_ids);
                if citations.is_empty() {
                    dropped += 1;
                    return None;
                }
                Some(CitedPoint {
                    text: p.text,
                    citations,
                })
            })
            .collect()
    };
    let summary = InterviewSummary {
        overview: model.overview,
        key_points: points(model.key_points),
        strengths: points(model.strengths),
        concerns: points(model.concerns),
        follow_ups: points(model.follow_ups),
    };
    let qa: Vec<QaPair> = model
        .qa
        .into_iter()
        .filter_map(|q| {
            let Some(asked) = transcript.utterance(UtteranceId(q.question_utterance_id)) else {
                dropped += 1;
                return None;
            };
            let answer_citations = cite(&q.answer_utterance_ids);
            Some(QaPair {
                question: q.question,
                asked_by: asked.speaker.clone(),
                asked_at: asked.start,
                question_citation: Citation::of(asked),
                answer_summary: q.answer_summary,
                answered_by: answer_citations.first().and_then(|c| c.speaker.clone()),
                answer_citations,
            })
        })
        .collect();
    if dropped > 0 {
        tracing::warn!(
            dropped,
            "dropped model statements citing no existing utterance"
        );
    }
    InterviewNotes {
        summary,
        qa,
        generator,
        role_source: None,
        language: None,
    }
}

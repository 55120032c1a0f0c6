//! The OpenAI-compatible chat-completions summarizer.
//!
//! Works with any server that speaks `POST {base_url}/chat/completions`
//! (OpenAI, Azure-style gateways, vLLM, Ollama's `/v1`, ...). It asks for
//! JSON-schema structured output (`response_format: json_schema`, `strict:
//! true`, research notes §3.2) and does not trust what comes back:
//!
//! - **Transcript as data.** Utterances go to the model as a JSON array of
//!   `{id, start, speaker, role, text}` objects, with the explicit rule that
//!   it is data, not instructions, so a speaker cannot forge an utterance,
//!   a speaker or a role by saying something that looks like a transcript
//!   line.
//! - **Repair, then retry with feedback.** An answer wrapped in prose or a
//!   code fence, with ids as strings (`"12"`, `"#12"`) or missing lists is
//!   repaired; anything else (truncated JSON, a missing field) is sent back
//!   to the model as a follow-up message with the parse error, at most
//!   [`OpenAiConfig::output_retries`] times.
//! - **Grounding.** Each claim carries a verbatim quote and is kept only
//!   when the quote is found in the utterances it cites; a Q&A needs an
//!   interviewer's question and the candidate's answer (see the roles of
//!   the request); Q&A come out in transcript order.
//! - **Content policy.** The [`ContentPolicy`] of the configuration
//!   (relaxed only as the request's guardrails allow) removes hiring
//!   recommendations, ratings, statements about protected characteristics
//!   and culture-fit judgements, and records what it removed.
//! - **Long transcripts** are summarized map-reduce style within
//!   [`OpenAiConfig::chunk_chars`] per prompt: chunk summaries are merged
//!   in groups that fit the budget, level by level; a merge that fails or
//!   comes back empty falls back to a deterministic merge of its validated
//!   inputs, so partial results are never lost. Utterance ids are global,
//!   so citations survive every level.
//!
//! Each attempt has a timeout; retryable failures (429, 408, 5xx, timeouts,
//! transport errors — see [`Error::is_retryable`]) are retried with
//! exponential backoff and jitter, bounded in attempts and total delay,
//! honouring a capped `Retry-After`. Retrying this POST is safe: a chat
//! completion creates nothing on the server, so a repeat only costs tokens.

mod ground;
mod prompt;
mod repair;
mod wire;

use std::time::Duration;

use backon::{ExponentialBuilder, Retryable};
use futures::future::BoxFuture;
use futures::{StreamExt, TryStreamExt};
use secrecy::{ExposeSecret, SecretString};
use url::Url;

use crate::error::{BODY_SNIPPET_LIMIT, Error, snippet};
use crate::policy::ContentPolicy;
use crate::summary::{
    Citation, CitedPoint, InterviewNotes, InterviewSummary, QaPair, Summarizer, SummaryRequest,
};
use crate::terms::words;
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
    /// Largest prompt of one call, in characters (roughly 4 per token): the
    /// system message, the user message and any repair follow-up together,
    /// for map and reduce calls alike. Default 48,000 (~12k tokens).
    pub chunk_chars: usize,
    /// Map calls in flight at once for long transcripts. Default 2.
    pub max_concurrency: usize,
    /// `temperature`; unset by default (some models accept only their own).
    pub temperature: Option<f32>,
    /// `max_tokens` for the answer; unset by default.
    pub max_output_tokens: Option<u32>,
    /// Follow-ups asking for a corrected answer when the model's output
    /// cannot be used (truncated JSON, a missing field...). Default 2.
    pub output_retries: usize,
    /// The content policy applied to every summary (relaxed only as far as
    /// a request's guardrails allow). Default [`ContentPolicy::default`].
    pub content_policy: ContentPolicy,
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
            output_retries: 2,
            content_policy: ContentPolicy::default(),
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

    /// Sets how many corrective follow-ups an unusable answer gets
    /// (builder style).
    pub fn output_retries(mut self, retries: usize) -> Self {
        self.output_retries = retries;
        self
    }

    /// Sets the content policy, e.g. a tenant's tightened one (builder
    /// style).
    pub fn content_policy(mut self, policy: ContentPolicy) -> Self {
        self.content_policy = policy;
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

/// A rustls config like reqwest's own: the platform trust store (the same
/// `rustls-platform-verifier` reqwest uses), safe protocol versions, ALPN
/// for HTTP/2 and HTTP/1.1, with the `ring` provider passed explicitly.
fn tls_config() -> Result<rustls::ClientConfig, Error> {
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let verifier = rustls_platform_verifier::Verifier::new(provider.clone())
        .map_err(|e| Error::Config(format!("TLS certificate verifier: {e}")))?;
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Config(format!("TLS protocol versions: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(std::sync::Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

impl OpenAiSummarizer {
    /// Builds the HTTP client.
    pub fn new(config: OpenAiConfig) -> Result<Self, Error> {
        // reqwest is handed a finished rustls config with the `ring`
        // provider as a value: nothing is read from or installed into
        // rustls's process-wide default, so the application's own reqwest
        // clients are unaffected (and ours works whatever it installed).
        let http = reqwest::Client::builder()
            .use_preconfigured_tls(tls_config()?)
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
        let system = prompt::system_prompt(request);
        let budget = self.data_budget(&system, request)?;
        let items: Vec<((u32, String), usize)> = prompt::transcript_items(request, budget)
            .into_iter()
            .map(|item| {
                let len = item.1.chars().count();
                (item, len)
            })
            .collect();
        let mut chunks = prompt::group_by_size(items, budget);
        if chunks.is_empty() {
            chunks.push(Vec::new());
        }
        let parts = chunks.len();
        if parts > 1 {
            tracing::debug!(parts, "summarizing a long transcript map-reduce style");
        }
        // Prompts are built up front so the stream maps owned strings
        // (borrowed items trip higher-ranked lifetime inference on the
        // `Send` future).
        let mut ranges = Vec::with_capacity(parts);
        let mut prompts = Vec::with_capacity(parts);
        for (i, chunk) in chunks.iter().enumerate() {
            let first = chunk.first().map_or(0, |(id, _)| *id);
            let last = chunk.last().map_or(0, |(id, _)| *id);
            let jsons: Vec<String> = chunk.iter().map(|(_, json)| json.clone()).collect();
            ranges.push((first, last));
            prompts.push(prompt::chunk_prompt(request, &jsons, i + 1, parts));
        }
        let system_ref = system.as_str();
        let mapped: Vec<ModelNotes> = futures::stream::iter(prompts)
            .map(|user| self.complete_grounded(system_ref, user, request))
            .buffered(self.config.max_concurrency.max(1))
            .try_collect()
            .await?;
        // Every grounded question is kept, merged without the model: the
        // reduce steps only merge the overview and the points.
        let mut qa = Vec::new();
        let partials: Vec<Partial> = mapped
            .into_iter()
            .zip(ranges)
            .map(|(mut notes, range)| {
                qa.append(&mut notes.qa);
                Partial { notes, range }
            })
            .collect();
        let mut merged = self.reduce(request, system_ref, partials, budget).await;
        merged.qa = ground::order_qa(qa);
        let mut notes = to_notes(merged, request.transcript, self.name());
        // Roles come from the request (the model is told them), and the
        // language from the transcript, as for the extractive summarizer.
        notes.role_source = Some(request.role_source());
        notes.language = Some(crate::detect_language(request.transcript).to_owned());
        self.config
            .content_policy
            .clone()
            .relaxed_by(request.guardrails)
            .apply(&mut notes);
        Ok(notes)
    }

    /// Characters left for data (utterances or partial summaries) in one
    /// prompt once the system message, the instructions and the room for a
    /// repair follow-up are counted.
    fn data_budget(&self, system: &str, request: &SummaryRequest<'_>) -> Result<usize, Error> {
        let template = prompt::chunk_prompt(request, &[], 999_999, 999_999)
            .chars()
            .count()
            .max(
                prompt::reduce_prompt(request, &[], (u32::MAX, u32::MAX))
                    .chars()
                    .count(),
            );
        let fixed = system.chars().count() + template + prompt::FOLLOW_UP_RESERVE;
        self.config
            .chunk_chars
            .checked_sub(fixed)
            .filter(|room| *room >= prompt::MIN_DATA_CHARS)
            .ok_or_else(|| {
                Error::Config(format!(
                    "chunk_chars {} leaves no room for the transcript: prompts need {} characters \
                     of instructions plus at least {} of data",
                    self.config.chunk_chars,
                    fixed,
                    prompt::MIN_DATA_CHARS
                ))
            })
    }

    /// Merges partial summaries level by level, in consecutive groups
    /// whose JSON fits `budget`, until one is left. A group whose merge
    /// fails or comes back empty is merged deterministically instead; when
    /// no group can take two partials, everything left is.
    async fn reduce(
        &self,
        request: &SummaryRequest<'_>,
        system: &str,
        mut partials: Vec<Partial>,
        budget: usize,
    ) -> ModelNotes {
        let mut level = 0;
        while partials.len() > 1 {
            level += 1;
            let sized: Vec<(Partial, usize)> = partials
                .into_iter()
                .map(|p| {
                    let len = p.json().chars().count();
                    (p, len)
                })
                .collect();
            let groups = prompt::group_by_size(sized, budget);
            if groups.iter().all(|g| g.len() < 2) {
                tracing::warn!(
                    level,
                    partials = groups.len(),
                    "partial summaries too large to merge within the prompt budget; merging them deterministically"
                );
                return merge_partials(groups.into_iter().flatten().collect()).notes;
            }
            tracing::debug!(level, groups = groups.len(), "merging partial summaries");
            partials = futures::stream::iter(groups)
                .map(|group| self.reduce_group(request, system, group))
                .buffered(self.config.max_concurrency.max(1))
                .collect()
                .await;
        }
        partials.pop().map(|p| p.notes).unwrap_or_default()
    }

    async fn reduce_group(
        &self,
        request: &SummaryRequest<'_>,
        system: &str,
        group: Vec<Partial>,
    ) -> Partial {
        if group.len() < 2 {
            return merge_partials(group);
        }
        let range = span(&group);
        let encoded: Vec<String> = group.iter().map(Partial::json).collect();
        let user = prompt::reduce_prompt(request, &encoded, range);
        match self.complete_grounded(system, user, request).await {
            Ok(mut notes) if !notes.is_empty() => {
                notes.qa.clear();
                Partial { notes, range }
            }
            Ok(_) => {
                tracing::warn!(
                    "merge answer was empty; merging the partial summaries deterministically"
                );
                merge_partials(group)
            }
            Err(e) => {
                tracing::warn!(error = %e, "merge call failed; merging the partial summaries deterministically");
                merge_partials(group)
            }
        }
    }

    /// [`Self::complete`], then [`ground::ground`].
    async fn complete_grounded(
        &self,
        system: &str,
        user: String,
        request: &SummaryRequest<'_>,
    ) -> Result<ModelNotes, Error> {
        let answer = self.complete(system, user).await?;
        let (grounded, dropped) = ground::ground(answer, request);
        if dropped.total() > 0 {
            tracing::warn!(
                points = dropped.points,
                qa = dropped.qa,
                "dropped model statements not grounded in the cited utterances"
            );
        }
        Ok(grounded)
    }

    /// One chat completion parsed as [`ModelNotes`]: HTTP failures retried
    /// per [`RetryPolicy`], an unusable answer sent back with the reason
    /// up to [`OpenAiConfig::output_retries`] times.
    async fn complete(&self, system: &str, user: String) -> Result<ModelNotes, Error> {
        let base = vec![Message::new("system", system), Message::new("user", user)];
        let mut messages = base.clone();
        let mut attempt = 0;
        loop {
            let (error, answer) = match self.send(messages).await {
                Ok(content) => match repair::parse_model_notes(&content) {
                    Ok(notes) => return Ok(notes),
                    Err(e) => (e, Some(content)),
                },
                Err(e @ Error::ModelOutput { .. }) => (e, None),
                Err(e) => return Err(e),
            };
            if attempt >= self.config.output_retries {
                return Err(error);
            }
            attempt += 1;
            tracing::warn!(error = %error, attempt, "model answer unusable; asking again with the reason");
            messages = base.clone();
            if let Some(answer) = answer {
                messages.push(Message::new("assistant", prompt::echo(&answer)));
            }
            messages.push(Message::new("user", prompt::feedback(&error)));
        }
    }

    /// One chat completion with HTTP retries: the assistant's content.
    async fn send(&self, messages: Vec<Message>) -> Result<String, Error> {
        let body = ChatRequest {
            model: &self.config.model,
            messages,
            response_format: wire::response_format(),
            temperature: self.config.temperature,
            max_tokens: self.config.max_output_tokens,
        };
        let cap = self.config.retry.max_delay;
        (|| self.send_once(&body))
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
            .await
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

/// A validated summary of utterances `range.0..=range.1`.
#[derive(Debug, Clone)]
struct Partial {
    notes: ModelNotes,
    range: (u32, u32),
}

impl Partial {
    fn json(&self) -> String {
        // Plain strings and integers: serializing cannot fail.
        serde_json::to_string(&self.notes).unwrap_or_default()
    }
}

/// The utterances a group of consecutive partials covers.
fn span(group: &[Partial]) -> (u32, u32) {
    let first = group.iter().map(|p| p.range.0).min().unwrap_or(0);
    let last = group.iter().map(|p| p.range.1).max().unwrap_or(0);
    (first, last)
}

/// The deterministic merge: overviews joined, lists concatenated without
/// repeated statements, Q&A in transcript order.
fn merge_partials(partials: Vec<Partial>) -> Partial {
    let range = span(&partials);
    let mut out = ModelNotes::default();
    let mut overviews: Vec<String> = Vec::new();
    for Partial { notes: p, .. } in partials {
        let overview = p.overview.trim();
        if !overview.is_empty() {
            overviews.push(overview.to_owned());
        }
        let lists = [
            (&mut out.key_points, p.key_points),
            (&mut out.strengths, p.strengths),
            (&mut out.concerns, p.concerns),
            (&mut out.follow_ups, p.follow_ups),
        ];
        for (into, from) in lists {
            for point in from {
                let key = words(&point.text);
                if !into.iter().any(|q| words(&q.text) == key) {
                    into.push(point);
                }
            }
        }
        out.qa.extend(p.qa);
    }
    out.overview = overviews.join(" ");
    out.qa = ground::order_qa(out.qa);
    Partial { notes: out, range }
}

/// Maps grounded model notes to [`InterviewNotes`]: citations, speakers
/// and times come from the transcript, never from the model.
fn to_notes(model: ModelNotes, transcript: &Transcript, generator: String) -> InterviewNotes {
    let cite = |ids: &[u32]| -> Vec<Citation> {
        ids.iter()
            .filter_map(|id| transcript.utterance(UtteranceId(*id)))
            .map(Citation::of)
            .collect()
    };
    let points = |list: Vec<ModelPoint>| -> Vec<CitedPoint> {
        list.into_iter()
            .map(|p| CitedPoint {
                citations: cite(&p.utterance_ids),
                text: p.text,
            })
            .filter(|p| !p.citations.is_empty())
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
            let asked = transcript.utterance(UtteranceId(q.question_utterance_id))?;
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
    InterviewNotes {
        summary,
        qa,
        generator,
        policy: None,
        role_source: None,
        language: None,
    }
}

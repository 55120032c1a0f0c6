//! Chat-completions wire types (research notes §3.2) and the JSON schema
//! the model must answer with.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::macros::string_enum;

/// Request body of `POST {base}/chat/completions`.
#[derive(Debug, Serialize)]
pub(crate) struct ChatRequest<'a> {
    pub model: &'a str,
    pub messages: Vec<Message>,
    pub response_format: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Message {
    pub role: &'static str,
    pub content: String,
}

impl Message {
    pub(crate) fn new(role: &'static str, content: impl Into<String>) -> Self {
        Message {
            role,
            content: content.into(),
        }
    }
}

/// `{"choices":[{"message":{"content","refusal"},"finish_reason"}]}`;
/// everything else (`id`, `usage`, `system_fingerprint`...) is ignored.
#[derive(Debug, Deserialize)]
pub(crate) struct ChatResponse {
    #[serde(default)]
    pub choices: Vec<Choice>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Choice {
    #[serde(default)]
    pub message: Option<ResponseMessage>,
    #[serde(default)]
    pub finish_reason: Option<FinishReason>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct ResponseMessage {
    #[serde(default)]
    pub content: Option<String>,
    /// Structured-output refusals arrive here (§3.2, [L2b]).
    #[serde(default)]
    pub refusal: Option<String>,
}

string_enum! {
    /// `finish_reason` values (§3.2, [L1b]).
    pub(crate) enum FinishReason {
        /// Natural end.
        Stop => "stop",
        /// Output hit the token limit: the JSON is cut off.
        Length => "length",
        /// Output withheld by a content filter.
        ContentFilter => "content_filter",
        /// The model called a tool.
        ToolCalls => "tool_calls",
        /// Deprecated function call.
        FunctionCall => "function_call",
        _ => Other
    }
}

/// `{"error":{"message":...}}`, the usual error body.
#[derive(Debug, Deserialize)]
pub(crate) struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Deserialize)]
pub(crate) struct ErrorDetail {
    #[serde(default)]
    pub message: Option<String>,
}

/// What the model must return. Every field is required in the schema and
/// ids are integers, the portable strict-mode subset (§3.2, [L2c]); when
/// parsing, missing lists and quotes default to empty (a claim without a
/// quote is then dropped by grounding), see `repair`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct ModelNotes {
    #[serde(default)]
    pub overview: String,
    #[serde(default)]
    pub key_points: Vec<ModelPoint>,
    #[serde(default)]
    pub strengths: Vec<ModelPoint>,
    #[serde(default)]
    pub concerns: Vec<ModelPoint>,
    #[serde(default)]
    pub follow_ups: Vec<ModelPoint>,
    #[serde(default)]
    pub qa: Vec<ModelQa>,
}

impl ModelNotes {
    /// Whether there is nothing in it.
    pub fn is_empty(&self) -> bool {
        self.overview.trim().is_empty()
            && self.key_points.is_empty()
            && self.strengths.is_empty()
            && self.concerns.is_empty()
            && self.follow_ups.is_empty()
            && self.qa.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ModelPoint {
    pub text: String,
    /// Words copied verbatim from a cited utterance.
    #[serde(default)]
    pub quote: String,
    #[serde(default)]
    pub utterance_ids: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ModelQa {
    pub question: String,
    pub question_utterance_id: u32,
    #[serde(default)]
    pub answer_summary: String,
    /// Words copied verbatim from an answer utterance.
    #[serde(default)]
    pub answer_quote: String,
    #[serde(default)]
    pub answer_utterance_ids: Vec<u32>,
}

/// `response_format` asking for [`ModelNotes`] with `strict: true`; the
/// name matches `[a-zA-Z0-9_-]{1,64}` (§3.2, [L2a]).
pub(crate) fn response_format() -> Value {
    let point = json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["text", "quote", "utterance_ids"],
        "properties": {
            "text": {"type": "string"},
            "quote": {"type": "string"},
            "utterance_ids": {"type": "array", "items": {"type": "integer"}}
        }
    });
    let points = json!({"type": "array", "items": point});
    json!({
        "type": "json_schema",
        "json_schema": {
            "name": "interview_notes",
            "strict": true,
            "schema": {
                "type": "object",
                "additionalProperties": false,
                "required": ["overview", "key_points", "strengths", "concerns", "follow_ups", "qa"],
                "properties": {
                    "overview": {"type": "string"},
                    "key_points": points,
                    "strengths": points,
                    "concerns": points,
                    "follow_ups": points,
                    "qa": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "additionalProperties": false,
                            "required": ["question", "question_utterance_id", "answer_summary", "answer_quote", "answer_utterance_ids"],
                            "properties": {
                                "question": {"type": "string"},
                                "question_utterance_id": {"type": "integer"},
                                "answer_summary": {"type": "string"},
                                "answer_quote": {"type": "string"},
                                "answer_utterance_ids": {"type": "array", "items": {"type": "integer"}}
                            }
                        }
                    }
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_finish_reason_is_kept() {
        let choice: Choice =
            serde_json::from_str(r#"{"message":{"content":"x"},"finish_reason":"eos"}"#).unwrap();
        assert_eq!(
            choice.finish_reason,
            Some(FinishReason::Other("eos".into()))
        );
        let choice: Choice = serde_json::from_str(r#"{"finish_reason":"length"}"#).unwrap();
        assert_eq!(choice.finish_reason, Some(FinishReason::Length));
        assert!(choice.message.is_none());
    }

    #[test]
    fn schema_requires_every_property() {
        let format = response_format();
        let schema = &format["json_schema"]["schema"];
        let required: Vec<&str> = schema["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let properties: Vec<&str> = schema["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        for p in properties {
            assert!(required.contains(&p), "{p}");
        }
        assert_eq!(format["json_schema"]["strict"], true);
    }
}

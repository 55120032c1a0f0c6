//! Reading the model's answer: what is unambiguous is repaired, the rest
//! is an error the caller feeds back to the model.
//!
//! Repaired: a JSON object wrapped in prose or a markdown fence (the one
//! balanced top-level object is taken), utterance ids sent as strings
//! (`"12"`, `"#12"`), missing lists and quotes (empty). Not repaired:
//! truncated JSON, several candidate objects, ids that are not numbers,
//! a missing `text`, `question` or `question_utterance_id`.

use serde_json::Value;

use crate::error::{BODY_SNIPPET_LIMIT, Error, snippet};

use super::wire::ModelNotes;

/// Keys whose values are utterance ids (a number or a list of numbers).
const ID_KEYS: &[&str] = &[
    "utterance_ids",
    "answer_utterance_ids",
    "question_utterance_id",
];

/// Parses the model's answer into [`ModelNotes`], repairing what is
/// unambiguous; the error names the failing field.
pub(crate) fn parse_model_notes(content: &str) -> Result<ModelNotes, Error> {
    let fail = |message: String| Error::ModelOutput {
        message,
        snippet: snippet(content, BODY_SNIPPET_LIMIT),
    };
    if content.trim().is_empty() {
        return Err(fail("the answer is empty".into()));
    }
    let mut value = match serde_json::from_str::<Value>(content.trim()) {
        Ok(value) => value,
        Err(whole) => {
            let object = only_object(content).ok_or_else(|| {
                fail(format!(
                    "no complete JSON object found ({whole}); the answer may be cut off"
                ))
            })?;
            serde_json::from_str(object).map_err(|e| fail(e.to_string()))?
        }
    };
    if !value.is_object() {
        return Err(fail("the answer is not a JSON object".into()));
    }
    normalize_ids(&mut value);
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        fail(if path == "." {
            inner.to_string()
        } else {
            format!("at `{path}`: {inner}")
        })
    })
}

/// The one balanced top-level `{...}` in `text` (outside JSON strings);
/// `None` when there is none or more than one, which is ambiguous.
fn only_object(text: &str) -> Option<&str> {
    let mut found: Option<(usize, usize)> = None;
    let mut depth = 0usize;
    let mut start = 0;
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' if depth > 0 => in_string = true,
            '{' => {
                if depth == 0 {
                    start = i;
                }
                depth += 1;
            }
            '}' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    if found.is_some() {
                        return None;
                    }
                    found = Some((start, i + 1));
                }
            }
            _ => {}
        }
    }
    found.map(|(s, e)| &text[s..e])
}

/// Turns string ids (`"12"`, `" #12 "`) into numbers wherever an id key
/// appears; a string that is not a number stays and fails typed parsing
/// with its path.
fn normalize_ids(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if ID_KEYS.contains(&key.as_str()) {
                    match v {
                        Value::Array(items) => items.iter_mut().for_each(number_from_string),
                        other => number_from_string(other),
                    }
                } else {
                    normalize_ids(v);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                normalize_ids(item);
            }
        }
        _ => {}
    }
}

fn number_from_string(v: &mut Value) {
    if let Value::String(s) = v
        && let Ok(n) = s.trim().trim_start_matches('#').trim().parse::<u32>()
    {
        *v = Value::from(n);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"overview":"o","key_points":[{"text":"t","quote":"q","utterance_ids":[1]}],"strengths":[],"concerns":[],"follow_ups":[],"qa":[]}"#;

    #[test]
    fn prose_and_fences_around_one_object_are_stripped() {
        for wrapped in [
            format!("Here is the summary:\n{GOOD}\nHope this helps!"),
            format!("```json\n{GOOD}\n```"),
            format!("```\n{GOOD}\n```\nNote: braces {{ in prose }} after"),
        ] {
            let result = parse_model_notes(&wrapped);
            if wrapped.contains("braces") {
                // Two top-level objects: ambiguous, not guessed.
                assert!(result.is_err());
            } else {
                assert_eq!(result.unwrap().key_points[0].utterance_ids, [1]);
            }
        }
    }

    #[test]
    fn braces_inside_strings_do_not_confuse_extraction() {
        let text = r#"Sure: {"overview":"a } b {","qa":[]} done"#;
        assert_eq!(parse_model_notes(text).unwrap().overview, "a } b {");
    }

    #[test]
    fn string_ids_and_missing_lists_are_repaired() {
        let text = r##"{"overview":"o","key_points":[{"text":"t","quote":"q","utterance_ids":["12","#13"," 14 "]}],"qa":[{"question":"q?","question_utterance_id":"#3"}]}"##;
        let notes = parse_model_notes(text).unwrap();
        assert_eq!(notes.key_points[0].utterance_ids, [12, 13, 14]);
        assert_eq!(notes.qa[0].question_utterance_id, 3);
        assert!(notes.qa[0].answer_utterance_ids.is_empty());
        assert!(notes.strengths.is_empty());
    }

    #[test]
    fn unrepairable_answers_name_the_problem() {
        let cases = [
            ("", "empty"),
            (r#"{"overview":"The candidate"#, "cut off"),
            ("[1, 2]", "not a JSON object"),
            (
                r#"{"qa":[{"question":"q","question_utterance_id":"three"}]}"#,
                "qa[0].question_utterance_id",
            ),
            (r#"{"key_points":[{"quote":"q"}]}"#, "key_points[0]"),
        ];
        for (text, hint) in cases {
            match parse_model_notes(text) {
                Err(Error::ModelOutput { message, .. }) => {
                    assert!(message.contains(hint), "{text}: {message}")
                }
                other => panic!("{text}: {other:?}"),
            }
        }
    }
}

//! Cloud speech-to-text JSON with a `results[].alternatives[]` shape
//! (Google Speech-to-Text, IBM Watson) and Rev.ai's `monologues`. Only the
//! fields needed are modelled and optional ones default, so that a vendor
//! adding or omitting a field does not break parsing.

use serde::Deserialize;
use serde_json::Value;

use super::speaker_index::SpeakerIndex;
use super::stt_json::{Word, from_json, group_words, time};
use super::{ParseWarning, Segment, TimeOffset};
use crate::error::Error;

// ---- Google Speech-to-Text ----
//
// `RecognizeResponse`/`LongRunningRecognizeResponse` JSON: `results[]` of
// `{alternatives[{transcript, confidence, words[]}], channelTag,
// resultEndTime, languageCode}`; a word is `{startTime, endTime, word,
// speakerTag}` in v1 and `{startOffset, endOffset, word, speakerLabel}` in
// v2 (cloud.google.com Speech v1 `WordInfo`: "speaker_tag is set if
// enable_speaker_diarization = 'true' and only in the top alternative"; v2
// `RecognitionFeatures.diarizationConfig`: "the diarization results will be
// provided only in the top alternative of the FINAL
// SpeechRecognitionResult"). Durations are protobuf JSON strings such as
// `"1.300s"`; a `{seconds, nanos}` object is accepted too.

const GOOGLE: &str = "Google Speech-to-Text";

#[derive(Deserialize)]
struct GoogleEnvelope {
    /// A long-running operation (`operations.get`) wraps the response.
    #[serde(default)]
    response: Option<GoogleResponse>,
    #[serde(default)]
    results: Vec<GoogleResult>,
}

#[derive(Deserialize)]
struct GoogleResponse {
    #[serde(default)]
    results: Vec<GoogleResult>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GoogleResult {
    #[serde(default)]
    alternatives: Vec<GoogleAlternative>,
    #[serde(default, alias = "resultEndOffset")]
    result_end_time: Option<Value>,
}

#[derive(Deserialize)]
struct GoogleAlternative {
    #[serde(default)]
    transcript: String,
    #[serde(default)]
    words: Vec<GoogleWord>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GoogleWord {
    #[serde(default, alias = "startOffset")]
    start_time: Option<Value>,
    #[serde(default, alias = "endOffset")]
    end_time: Option<Value>,
    #[serde(default)]
    word: String,
    #[serde(default)]
    speaker_tag: Option<i64>,
    #[serde(default)]
    speaker_label: Option<String>,
}

impl GoogleWord {
    fn speaker(&self) -> Option<String> {
        match (&self.speaker_label, self.speaker_tag) {
            (Some(label), _) if !label.trim().is_empty() => {
                let label = label.trim();
                // v2 labels are usually numbers ("1"); keep other labels as given.
                Some(if label.bytes().all(|b| b.is_ascii_digit()) {
                    format!("Speaker {label}")
                } else {
                    label.to_owned()
                })
            }
            // 0 is protobuf's "unset".
            (_, Some(tag)) if tag > 0 => Some(format!("Speaker {tag}")),
            _ => None,
        }
    }
}

/// A protobuf `Duration` in JSON: `"1.300s"` or `{"seconds": "1", "nanos": 300000000}`.
fn duration(value: &Value) -> Option<TimeOffset> {
    match value {
        Value::String(text) => {
            let secs: f64 = text.trim().strip_suffix('s')?.parse().ok()?;
            TimeOffset::from_secs_f64(secs)
        }
        Value::Object(map) => {
            let seconds = match map.get("seconds") {
                Some(Value::String(s)) => s.parse::<f64>().ok()?,
                Some(Value::Number(n)) => n.as_f64()?,
                None => 0.0,
                _ => return None,
            };
            let nanos = map.get("nanos").and_then(Value::as_f64).unwrap_or(0.0);
            TimeOffset::from_secs_f64(seconds + nanos / 1e9)
        }
        _ => None,
    }
}

pub(crate) fn parse_google(input: &str) -> Result<(Vec<Segment>, Vec<ParseWarning>), Error> {
    let envelope: GoogleEnvelope = from_json(GOOGLE, input)?;
    let (results, prefix) = match envelope.response {
        Some(response) => (response.results, "response.results"),
        None => (envelope.results, "results"),
    };
    let mut warnings = Vec::new();
    // With diarization the last result's top alternative repeats every
    // word with its speaker; the earlier results are the same speech
    // without speakers, so only that word list is used.
    let diarized = results.iter().rposition(|r| {
        r.alternatives
            .first()
            .is_some_and(|a| a.words.iter().any(|w| w.speaker().is_some()))
    });
    if let Some(r) = diarized {
        let words = results
            .into_iter()
            .nth(r)
            .and_then(|r| r.alternatives.into_iter().next())
            .map(|a| a.words)
            .unwrap_or_default();
        let mut out: Vec<Word> = Vec::with_capacity(words.len());
        let mut untimed = false;
        for (i, w) in words.into_iter().enumerate() {
            let path = |f: &str| format!("{prefix}[{r}].alternatives[0].words[{i}].{f}");
            // Offsets are only set with `enable_word_time_offsets`; without
            // them a word is placed at the previous word's end.
            let previous = out.last().map_or(TimeOffset::ZERO, |p| p.end);
            let start = match &w.start_time {
                Some(v) => time(GOOGLE, || path("startTime"), duration(v))?,
                None => {
                    untimed = true;
                    previous
                }
            };
            let end = match &w.end_time {
                Some(v) => time(GOOGLE, || path("endTime"), duration(v))?,
                None => start,
            };
            out.push(Word {
                speaker: w.speaker(),
                start,
                end,
                text: w.word,
            });
        }
        if untimed {
            warnings.push(ParseWarning::at_path(
                format!("{prefix}[{r}].alternatives[0].words"),
                "words without time offsets: times are approximate",
            ));
        }
        return Ok((group_words(out), warnings));
    }
    // No speakers: one segment per result, timed by its words or, without
    // word offsets, from the previous result's end to its own.
    let mut segments = Vec::with_capacity(results.len());
    let mut previous_end = TimeOffset::ZERO;
    for (r, result) in results.into_iter().enumerate() {
        let result_end = result.result_end_time.as_ref().and_then(duration);
        let Some(alt) = result.alternatives.into_iter().next() else {
            warnings.push(ParseWarning::at_path(
                format!("{prefix}[{r}]"),
                "result without alternatives skipped",
            ));
            continue;
        };
        let first_start = alt
            .words
            .first()
            .and_then(|w| w.start_time.as_ref())
            .and_then(duration);
        let last_end = alt
            .words
            .last()
            .and_then(|w| w.end_time.as_ref())
            .and_then(duration);
        let start = first_start.unwrap_or(previous_end);
        let end = last_end.or(result_end).unwrap_or(start);
        previous_end = end;
        segments.push(Segment {
            speaker: None,
            start,
            end,
            text: alt.transcript,
        });
    }
    Ok((segments, warnings))
}

// ---- IBM Watson Speech to Text ----
//
// `SpeechRecognitionResults`: `results[]{final, alternatives[{transcript,
// confidence, timestamps: [[word, start, end], ...]}]}` and, with
// `speaker_labels=true`, a top-level `speaker_labels[]{from, to, speaker,
// confidence, final}` whose `from` "matches the start time of a word from
// the timestamps array" (IBM Cloud docs "Speaker labels"; Watson SDK
// `SpeakerLabelsResult`). Times are seconds.

const WATSON: &str = "IBM Watson";

#[derive(Deserialize)]
struct WatsonResponse {
    #[serde(default)]
    results: Vec<WatsonResult>,
    #[serde(default)]
    speaker_labels: Vec<WatsonLabel>,
}

#[derive(Deserialize)]
struct WatsonResult {
    #[serde(default)]
    alternatives: Vec<WatsonAlternative>,
}

#[derive(Deserialize)]
struct WatsonAlternative {
    #[serde(default)]
    transcript: String,
    #[serde(default)]
    timestamps: Vec<(String, f64, f64)>,
}

#[derive(Deserialize)]
struct WatsonLabel {
    from: f64,
    to: f64,
    speaker: i64,
}

pub(crate) fn parse_watson(input: &str) -> Result<(Vec<Segment>, Vec<ParseWarning>), Error> {
    let response: WatsonResponse = from_json(WATSON, input)?;
    let mut points = Vec::with_capacity(response.speaker_labels.len());
    let mut spans = Vec::with_capacity(response.speaker_labels.len());
    for (i, label) in response.speaker_labels.iter().enumerate() {
        let path = |f: &str| format!("speaker_labels[{i}].{f}");
        let from = time(
            WATSON,
            || path("from"),
            TimeOffset::from_secs_f64(label.from),
        )?;
        let to = time(WATSON, || path("to"), TimeOffset::from_secs_f64(label.to))?;
        let speaker = format!("Speaker {}", label.speaker);
        points.push((from.millis(), speaker.clone()));
        spans.push((from.millis(), to.millis(), speaker));
    }
    let speakers = SpeakerIndex::new(points, spans);
    let mut warnings = Vec::new();
    let mut words = Vec::new();
    let mut untimed = Vec::new();
    for (r, result) in response.results.into_iter().enumerate() {
        let Some(alt) = result.alternatives.into_iter().next() else {
            warnings.push(ParseWarning::at_path(
                format!("results[{r}]"),
                "result without alternatives skipped",
            ));
            continue;
        };
        if alt.timestamps.is_empty() {
            untimed.push((r, alt.transcript));
            continue;
        }
        for (i, (word, start, end)) in alt.timestamps.into_iter().enumerate() {
            if word == HESITATION {
                continue;
            }
            let path = |n: usize| format!("results[{r}].alternatives[0].timestamps[{i}][{n}]");
            let start = time(WATSON, || path(1), TimeOffset::from_secs_f64(start))?;
            let end = time(WATSON, || path(2), TimeOffset::from_secs_f64(end))?;
            words.push(Word {
                speaker: speakers.lookup(start).map(str::to_owned),
                start,
                end,
                text: word,
            });
        }
    }
    let mut segments = group_words(words);
    for (r, transcript) in untimed {
        // Without `timestamps=true` there are no times at all.
        warnings.push(ParseWarning::at_path(
            format!("results[{r}].alternatives[0]"),
            "no word timestamps: text kept without times",
        ));
        segments.push(Segment {
            speaker: None,
            start: TimeOffset::ZERO,
            end: TimeOffset::ZERO,
            text: transcript
                .split_whitespace()
                .filter(|w| *w != HESITATION)
                .collect::<Vec<_>>()
                .join(" "),
        });
    }
    Ok((segments, warnings))
}

/// Watson writes `%HESITATION` for "um"/"uh" (IBM Cloud docs, "Speech
/// recognition results": hesitation markers); it is not speech for a note.
const HESITATION: &str = "%HESITATION";

// ---- Rev.ai ----
//
// `GET /jobs/{id}/transcript` (`application/vnd.rev.transcript.v1.0+json`):
// `monologues[]{speaker, speaker_info{display_name}?, elements[]{type:
// text|punct|unknown, value, ts, end_ts, confidence}}`; `ts`/`end_ts` are
// seconds and only set on `text` elements; spaces are `punct` elements
// (docs.rev.ai API reference, transcript object).

const REV: &str = "Rev.ai";

#[derive(Deserialize)]
struct RevTranscript {
    monologues: Vec<RevMonologue>,
}

#[derive(Deserialize)]
struct RevMonologue {
    #[serde(default)]
    speaker: Option<i64>,
    #[serde(default)]
    speaker_info: Option<RevSpeakerInfo>,
    #[serde(default)]
    elements: Vec<RevElement>,
}

#[derive(Deserialize)]
struct RevSpeakerInfo {
    #[serde(default)]
    display_name: Option<String>,
}

#[derive(Deserialize)]
struct RevElement {
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    ts: Option<f64>,
    #[serde(default)]
    end_ts: Option<f64>,
}

pub(crate) fn parse_rev(input: &str) -> Result<(Vec<Segment>, Vec<ParseWarning>), Error> {
    let transcript: RevTranscript = from_json(REV, input)?;
    let mut segments = Vec::with_capacity(transcript.monologues.len());
    let mut warnings = Vec::new();
    let mut previous_end = TimeOffset::ZERO;
    for (m, monologue) in transcript.monologues.into_iter().enumerate() {
        let speaker = monologue
            .speaker_info
            .and_then(|i| i.display_name)
            .filter(|n| !n.trim().is_empty())
            .or_else(|| monologue.speaker.map(|s| format!("Speaker {s}")));
        let mut text = String::new();
        let (mut start, mut end): (Option<TimeOffset>, Option<TimeOffset>) = (None, None);
        for (e, element) in monologue.elements.into_iter().enumerate() {
            // `unknown` holds tags such as `<inaudible>`, not speech.
            if element.kind == "unknown" {
                continue;
            }
            let path = |f: &str| format!("monologues[{m}].elements[{e}].{f}");
            if let Some(ts) = element.ts {
                let ts = time(REV, || path("ts"), TimeOffset::from_secs_f64(ts))?;
                start = Some(start.map_or(ts, |s| s.min(ts)));
            }
            if let Some(end_ts) = element.end_ts {
                let end_ts = time(REV, || path("end_ts"), TimeOffset::from_secs_f64(end_ts))?;
                end = Some(end.map_or(end_ts, |x| x.max(end_ts)));
            }
            text.push_str(&element.value);
        }
        if start.is_none() && !text.trim().is_empty() {
            warnings.push(ParseWarning::at_path(
                format!("monologues[{m}]"),
                "monologue without timestamps: placed after the previous one",
            ));
        }
        let start = start.unwrap_or(previous_end);
        let end = end.unwrap_or(start).max(start);
        previous_end = end;
        segments.push(Segment {
            speaker,
            start,
            end,
            // Spaces are elements of their own; a skipped `unknown` leaves two.
            text: text.split_whitespace().collect::<Vec<_>>().join(" "),
        });
    }
    Ok((segments, warnings))
}

//! Diarized speech-to-text JSON (field names from research notes §2.4 and
//! §2.6). Only the fields needed are modelled; everything else is ignored,
//! and optional fields are `Option`/defaulted so a provider adding or
//! omitting a field does not break parsing.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::speaker_index::SpeakerIndex;
use super::{Segment, TimeOffset, TranscriptFormat};
use crate::error::Error;

/// Picks the JSON shape from its keys. Each vendor's shape is checked by
/// what only it has, so that one vendor's file is not taken for another's
/// (Google and Watson both have a `results` *array*; Deepgram and AWS a
/// `results` *object*).
pub(crate) fn detect(input: &str) -> Result<TranscriptFormat, Error> {
    let value: Value = serde_json::from_str(input).map_err(|e| syntax("JSON", &e))?;
    let results = value.get("results");
    let format = match &value {
        Value::Object(_) if results.is_some_and(Value::is_array) => {
            if is_watson(&value) {
                TranscriptFormat::IbmWatson
            } else {
                TranscriptFormat::GoogleStt
            }
        }
        // A Google long-running operation wraps the response.
        Value::Object(map)
            if map
                .get("response")
                .and_then(|r| r.get("results"))
                .is_some_and(Value::is_array) =>
        {
            TranscriptFormat::GoogleStt
        }
        // AWS Transcribe also has a `results` object, but with `items` or
        // `transcripts` instead of Deepgram's `channels`.
        Value::Object(_)
            if results.is_some_and(|r| {
                r.get("channels").is_none()
                    && (r.get("items").is_some() || r.get("transcripts").is_some())
            }) =>
        {
            TranscriptFormat::AwsTranscribe
        }
        Value::Object(map) if map.contains_key("results") => TranscriptFormat::Deepgram,
        Value::Object(map) if map.contains_key("monologues") => TranscriptFormat::RevAi,
        Value::Object(map) if map.contains_key("utterances") => TranscriptFormat::AssemblyAi,
        Value::Object(map) if map.contains_key("transcriptEntries") => {
            TranscriptFormat::MeetEntries
        }
        Value::Object(map) if map.contains_key("segments") => {
            if is_whisper_verbose(&value) {
                TranscriptFormat::WhisperVerbose
            } else {
                TranscriptFormat::Segments
            }
        }
        Value::Array(items) if items.iter().any(|i| i.get("participant").is_some()) => {
            TranscriptFormat::MeetEntries
        }
        _ => {
            return Err(Error::parse(
                "JSON",
                1,
                "unrecognized speech-to-text JSON: expected `results` (Deepgram, AWS Transcribe, \
                 Google Speech-to-Text, IBM Watson), `monologues` (Rev.ai), `utterances` \
                 (AssemblyAI), `segments` (OpenAI, Whisper, Mistral) or `transcriptEntries` \
                 (Google Meet)",
            ));
        }
    };
    Ok(format)
}

/// IBM Watson's recognize response: `result_index` and `speaker_labels` at
/// the top, `final` on results, `timestamps`/`word_confidence` arrays on
/// alternatives (IBM Cloud docs "Speaker labels"; Watson SDK
/// `SpeechRecognitionResults`). Google has none of these.
fn is_watson(value: &Value) -> bool {
    if value.get("result_index").is_some() || value.get("speaker_labels").is_some() {
        return true;
    }
    let results = value.get("results").and_then(Value::as_array);
    results.into_iter().flatten().any(|r| {
        r.get("final").is_some()
            || r.get("alternatives")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .any(|a| a.get("timestamps").is_some() || a.get("word_confidence").is_some())
    })
}

/// OpenAI Whisper `verbose_json`: `task`/`language`/`duration` at the top
/// and segments with `seek`, `tokens`, `avg_logprob`... but no speakers
/// (research notes §2.6, [T12]). A diarized `segments` file is
/// [`TranscriptFormat::Segments`].
fn is_whisper_verbose(value: &Value) -> bool {
    let segments = value.get("segments").and_then(Value::as_array);
    let any_speaker = segments
        .into_iter()
        .flatten()
        .any(|s| s.get("speaker").is_some() || s.get("speaker_id").is_some());
    let whisper_fields = ["task", "language", "duration"]
        .iter()
        .any(|k| value.get(k).is_some())
        || segments
            .into_iter()
            .flatten()
            .any(|s| s.get("seek").is_some() || s.get("avg_logprob").is_some());
    !any_speaker && whisper_fields
}

pub(crate) fn syntax(format: &'static str, e: &serde_json::Error) -> Error {
    // serde_json's message ends with "at line L column C".
    Error::parse(format, e.line().max(1), e.to_string())
}

/// Deserializes with the failing field's path in the error.
pub(crate) fn from_json<T: DeserializeOwned>(
    format: &'static str,
    input: &str,
) -> Result<T, Error> {
    let mut de = serde_json::Deserializer::from_str(input);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            syntax(format, &inner)
        } else {
            Error::Json {
                format,
                path,
                message: inner.to_string(),
            }
        }
    })?;
    de.end().map_err(|e| syntax(format, &e))?;
    Ok(value)
}

pub(crate) fn time(
    format: &'static str,
    path: impl FnOnce() -> String,
    value: Option<TimeOffset>,
) -> Result<TimeOffset, Error> {
    value.ok_or_else(|| Error::Json {
        format,
        path: path(),
        message: "time out of range".into(),
    })
}

// ---- Deepgram: seconds as floats, integer speakers (§2.6, [T9]) ----

#[derive(Deserialize)]
struct DgResponse {
    results: DgResults,
}

#[derive(Deserialize)]
struct DgResults {
    #[serde(default)]
    utterances: Option<Vec<DgUtterance>>,
    #[serde(default)]
    channels: Vec<DgChannel>,
}

#[derive(Deserialize)]
struct DgUtterance {
    start: f64,
    end: f64,
    #[serde(default)]
    speaker: Option<u64>,
    #[serde(default)]
    transcript: String,
}

#[derive(Deserialize)]
struct DgChannel {
    #[serde(default)]
    alternatives: Vec<DgAlternative>,
}

#[derive(Deserialize)]
struct DgAlternative {
    #[serde(default)]
    words: Vec<DgWord>,
}

#[derive(Deserialize)]
struct DgWord {
    word: String,
    #[serde(default)]
    punctuated_word: Option<String>,
    start: f64,
    end: f64,
    #[serde(default)]
    speaker: Option<u64>,
}

const DEEPGRAM: &str = "Deepgram";

pub(crate) fn parse_deepgram(input: &str) -> Result<Vec<Segment>, Error> {
    let response: DgResponse = from_json(DEEPGRAM, input)?;
    let results = response.results;
    if let Some(utterances) = results.utterances.filter(|u| !u.is_empty()) {
        return utterances
            .into_iter()
            .enumerate()
            .map(|(i, u)| {
                let path = |f: &str| format!("results.utterances[{i}].{f}");
                Ok(Segment {
                    speaker: u.speaker.map(|s| format!("Speaker {s}")),
                    start: time(
                        DEEPGRAM,
                        || path("start"),
                        TimeOffset::from_secs_f64(u.start),
                    )?,
                    end: time(DEEPGRAM, || path("end"), TimeOffset::from_secs_f64(u.end))?,
                    text: u.transcript,
                })
            })
            .collect();
    }
    // No `utterances` (the option was off): rebuild turns from diarized words.
    let words = results
        .channels
        .into_iter()
        .next()
        .and_then(|c| c.alternatives.into_iter().next())
        .map(|a| a.words)
        .unwrap_or_default();
    let mut words_out = Vec::with_capacity(words.len());
    for (i, w) in words.into_iter().enumerate() {
        let path = |f: &str| format!("results.channels[0].alternatives[0].words[{i}].{f}");
        words_out.push(Word {
            speaker: w.speaker.map(|s| format!("Speaker {s}")),
            start: time(
                DEEPGRAM,
                || path("start"),
                TimeOffset::from_secs_f64(w.start),
            )?,
            end: time(DEEPGRAM, || path("end"), TimeOffset::from_secs_f64(w.end))?,
            text: w.punctuated_word.unwrap_or(w.word),
        });
    }
    Ok(group_words(words_out))
}

// ---- AssemblyAI: milliseconds, letter speakers (§2.6, [T10]) ----

#[derive(Deserialize)]
struct AaiResponse {
    #[serde(default)]
    utterances: Option<Vec<AaiUtterance>>,
    #[serde(default)]
    words: Vec<AaiUtterance>,
}

/// Utterances and words share their fields (`text`, `start`, `end`,
/// `speaker`).
#[derive(Deserialize)]
struct AaiUtterance {
    #[serde(default)]
    speaker: Option<String>,
    start: f64,
    end: f64,
    #[serde(default)]
    text: String,
}

const ASSEMBLYAI: &str = "AssemblyAI";

pub(crate) fn parse_assemblyai(input: &str) -> Result<Vec<Segment>, Error> {
    let response: AaiResponse = from_json(ASSEMBLYAI, input)?;
    let (items, key, words) = match response.utterances.filter(|u| !u.is_empty()) {
        Some(u) => (u, "utterances", false),
        None => (response.words, "words", true),
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, u) in items.into_iter().enumerate() {
        let path = |f: &str| format!("{key}[{i}].{f}");
        out.push(Word {
            speaker: u
                .speaker
                .filter(|s| !s.is_empty())
                .map(|s| format!("Speaker {s}")),
            start: time(
                ASSEMBLYAI,
                || path("start"),
                TimeOffset::from_millis_f64(u.start),
            )?,
            end: time(
                ASSEMBLYAI,
                || path("end"),
                TimeOffset::from_millis_f64(u.end),
            )?,
            text: u.text,
        });
    }
    Ok(if words {
        group_words(out)
    } else {
        out.into_iter().map(Word::into_segment).collect()
    })
}

// ---- `segments`: OpenAI diarized / verbose JSON, Mistral (§2.6) ----

#[derive(Deserialize)]
struct SegmentsResponse {
    segments: Vec<RawSegment>,
}

#[derive(Deserialize)]
struct RawSegment {
    start: f64,
    end: f64,
    #[serde(default)]
    text: String,
    /// OpenAI's diarized output says `speaker`; Mistral says `speaker_id`.
    #[serde(default, alias = "speaker_id")]
    speaker: Option<Label>,
}

/// Speaker labels come as strings or integers depending on the provider.
#[derive(Deserialize)]
#[serde(untagged)]
enum Label {
    Text(String),
    Number(i64),
}

pub(crate) const SEGMENTS: &str = "segments";
pub(crate) const WHISPER: &str = "OpenAI Whisper verbose_json";

/// `format` names the flavour in errors: [`SEGMENTS`] or [`WHISPER`].
pub(crate) fn parse_segments(input: &str, format: &'static str) -> Result<Vec<Segment>, Error> {
    let response: SegmentsResponse = from_json(format, input)?;
    response
        .segments
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let path = |f: &str| format!("segments[{i}].{f}");
            Ok(Segment {
                speaker: s.speaker.and_then(|l| match l {
                    Label::Text(t) => Some(t).filter(|t| !t.trim().is_empty()),
                    Label::Number(n) => Some(format!("Speaker {n}")),
                }),
                start: time(format, || path("start"), TimeOffset::from_secs_f64(s.start))?,
                end: time(format, || path("end"), TimeOffset::from_secs_f64(s.end))?,
                text: s.text,
            })
        })
        .collect()
}

// ---- Google Meet `transcripts.entries`: RFC 3339 times (§2.4, [T7a]) ----

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MeetEntry {
    /// `conferenceRecords/{id}/participants/{id}`; Meet gives no e-mail, the
    /// caller maps it to a person (People API, research notes §2.4).
    #[serde(default)]
    participant: Option<String>,
    #[serde(default)]
    text: String,
    start_time: DateTime<Utc>,
    #[serde(default)]
    end_time: Option<DateTime<Utc>>,
}

const MEET: &str = "Google Meet";

pub(crate) fn parse_meet_entries(
    input: &str,
) -> Result<(Vec<Segment>, Option<DateTime<Utc>>), Error> {
    // Untagged enums lose field paths, so pick the shape first and then
    // deserialize the entries with paths.
    let entries: Vec<MeetEntry> = if input.trim_start().starts_with('[') {
        from_json(MEET, input)?
    } else {
        from_json::<MeetList>(MEET, input)?.entries
    };
    let Some(origin) = entries.iter().map(|e| e.start_time).min() else {
        return Ok((Vec::new(), None));
    };
    let offset = |t: DateTime<Utc>| TimeOffset::from_millis((t - origin).num_milliseconds());
    let segments = entries
        .into_iter()
        .map(|e| Segment {
            speaker: e.participant.filter(|p| !p.is_empty()),
            start: offset(e.start_time),
            end: offset(e.end_time.unwrap_or(e.start_time)),
            text: e.text,
        })
        .collect();
    Ok((segments, Some(origin)))
}

/// The list response: `{"transcriptEntries": [...], "nextPageToken": ...}`.
#[derive(Deserialize)]
struct MeetList {
    #[serde(rename = "transcriptEntries", default)]
    entries: Vec<MeetEntry>,
}

// ---- AWS Transcribe batch: seconds as strings, `spk_N` (§2.6, [T11]) ----

#[derive(Deserialize)]
struct AwsResponse {
    results: AwsResults,
}

#[derive(Deserialize)]
struct AwsResults {
    #[serde(default)]
    items: Vec<AwsItem>,
    #[serde(default)]
    speaker_labels: Option<AwsSpeakerLabels>,
}

#[derive(Deserialize)]
struct AwsItem {
    #[serde(default)]
    start_time: Option<String>,
    #[serde(default)]
    end_time: Option<String>,
    #[serde(default)]
    speaker_label: Option<String>,
    #[serde(default)]
    alternatives: Vec<AwsAlternative>,
    /// `pronunciation` or `punctuation`; kept as text so a new kind does
    /// not break parsing.
    #[serde(default, rename = "type")]
    kind: String,
}

#[derive(Deserialize)]
struct AwsAlternative {
    #[serde(default)]
    content: String,
}

#[derive(Deserialize)]
struct AwsSpeakerLabels {
    #[serde(default)]
    segments: Vec<AwsSegment>,
}

#[derive(Deserialize)]
struct AwsSegment {
    #[serde(default)]
    start_time: Option<String>,
    #[serde(default)]
    end_time: Option<String>,
    #[serde(default)]
    speaker_label: Option<String>,
    #[serde(default)]
    items: Vec<AwsSegmentItem>,
}

/// Older outputs put the speaker only here, keyed by the word's start time.
#[derive(Deserialize)]
struct AwsSegmentItem {
    #[serde(default)]
    start_time: Option<String>,
    #[serde(default)]
    speaker_label: Option<String>,
}

const AWS: &str = "AWS Transcribe";

pub(crate) fn parse_aws(input: &str) -> Result<Vec<Segment>, Error> {
    let response: AwsResponse = from_json(AWS, input)?;
    let speakers = aws_speaker_index(response.results.speaker_labels);
    let mut words: Vec<Word> = Vec::new();
    for (i, item) in response.results.items.into_iter().enumerate() {
        let content = item
            .alternatives
            .into_iter()
            .next()
            .map(|a| a.content)
            .unwrap_or_default();
        if item.kind == "punctuation" {
            // Punctuation has no times and attaches to the previous word.
            if let Some(last) = words.last_mut() {
                last.text.push_str(&content);
            }
            continue;
        }
        let seconds = |raw: Option<&String>, field: &str| {
            let path = || format!("results.items[{i}].{field}");
            let secs = raw.ok_or_else(|| Error::Json {
                format: AWS,
                path: path(),
                message: "missing time".into(),
            })?;
            let value = secs
                .trim()
                .parse::<f64>()
                .ok()
                .and_then(TimeOffset::from_secs_f64);
            time(AWS, path, value)
        };
        let start = seconds(item.start_time.as_ref(), "start_time")?;
        let end = seconds(item.end_time.as_ref(), "end_time")?;
        let speaker = item
            .speaker_label
            .or_else(|| speakers.lookup(start).map(str::to_owned));
        words.push(Word {
            speaker,
            start,
            end,
            text: content,
        });
    }
    Ok(group_words(words))
}

/// Word start → speaker from `speaker_labels.segments` (AWS diarization
/// output, research notes §2.6 [T11]): each segment's `items` give exact
/// word starts, the segment's own times the turn.
fn aws_speaker_index(labels: Option<AwsSpeakerLabels>) -> SpeakerIndex {
    let millis = |raw: Option<&String>| {
        raw.and_then(|r| r.trim().parse::<f64>().ok())
            .and_then(TimeOffset::from_secs_f64)
            .map(TimeOffset::millis)
    };
    let mut points = Vec::new();
    let mut spans = Vec::new();
    for segment in labels.map(|l| l.segments).unwrap_or_default() {
        if let (Some(start), Some(end), Some(label)) = (
            millis(segment.start_time.as_ref()),
            millis(segment.end_time.as_ref()),
            segment.speaker_label.clone(),
        ) {
            spans.push((start, end, label));
        }
        for item in segment.items {
            let label = item.speaker_label.or_else(|| segment.speaker_label.clone());
            if let (Some(start), Some(label)) = (millis(item.start_time.as_ref()), label) {
                points.push((start, label));
            }
        }
    }
    SpeakerIndex::new(points, spans)
}

// ---- shared ----

pub(crate) struct Word {
    pub speaker: Option<String>,
    pub start: TimeOffset,
    pub end: TimeOffset,
    pub text: String,
}

impl Word {
    fn into_segment(self) -> Segment {
        Segment {
            speaker: self.speaker,
            start: self.start,
            end: self.end,
            text: self.text,
        }
    }
}

/// Joins consecutive words of one speaker into a segment.
pub(crate) fn group_words(words: Vec<Word>) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    for w in words {
        match out.last_mut() {
            Some(last) if last.speaker == w.speaker => {
                last.text.push(' ');
                last.text.push_str(&w.text);
                last.end = last.end.max(w.end);
            }
            _ => out.push(w.into_segment()),
        }
    }
    out
}

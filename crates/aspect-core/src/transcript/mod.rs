//! Transcripts: one model for every source format.
//!
//! Parsers turn WebVTT (plain, Microsoft Teams `<v>` voice tags, Zoom's
//! `Name: text` cues, and caption files from other tools, e.g. Google Meet,
//! that label speakers the same way), SRT, YouTube SBV, Zoom's
//! `[Name] hh:mm:ss` text export and diarized speech-to-text JSON
//! (Deepgram, AssemblyAI, AWS Transcribe, Google Speech-to-Text, IBM
//! Watson, Rev.ai, OpenAI Whisper `verbose_json`, OpenAI/Mistral-style
//! `segments`, Google Meet transcript entries) into a [`Transcript`]: a list
//! of [`Utterance`]s with speaker, start, end and text, where consecutive
//! cues of the same speaker are merged into one turn.
//! [`TranscriptFormat::detect`] names the format it chose, and
//! [`Transcript::format`] keeps it.
//!
//! Real exports are not clean, and the parsers accept what they send:
//! Teams' `0:0:0.0` timestamps (invalid per strict WebVTT, research notes
//! §0.2 and §2.3), overlapping and negative cue times, a BOM, `NOTE`,
//! `STYLE` and `REGION` blocks, CRLF line ends, and Zoom turns split over
//! many cues (§2.2). A bad cue (an elision line `...`, an end time like
//! `00:00:1d.890`, a missing timing line) is skipped as the W3C WebVTT
//! parser algorithm skips it, and reported in [`Transcript::warnings`] with
//! its line. Google Meet's own transcript is a Google Doc; its
//! machine-readable form is the REST `transcripts.entries` list (§2.4),
//! supported as [`TranscriptFormat::MeetEntries`]. Input that cannot be read
//! at all yields [`Error::Parse`] naming the format and a 1-based line
//! number (or [`Error::Json`] with a field path); no input panics, and every
//! parser runs in time linear (up to a log factor) in its input.

mod cloud_json;
mod sbv;
mod speaker_index;
mod srt;
mod stt_json;
mod text;
mod timestamp;
mod vtt;
mod warning;
mod zoom_text;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::macros::string_enum;

pub use timestamp::TimeOffset;
pub use warning::{ParseWarning, SourcePosition};

/// Identifier of an utterance within its transcript (1-based, in order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UtteranceId(pub u32);

impl std::fmt::Display for UtteranceId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// One speaker turn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Utterance {
    /// Position in the transcript, starting at 1.
    pub id: UtteranceId,
    /// Speaker label as the source wrote it (display name, `Speaker 0`,
    /// `Speaker A`, a Meet participant resource name...), when known.
    #[serde(default)]
    pub speaker: Option<String>,
    /// Start, relative to the start of the recording (may be negative for
    /// Teams transcripts that began mid-conversation).
    pub start: TimeOffset,
    /// End, never before `start`.
    pub end: TimeOffset,
    /// Plain text with markup removed.
    pub text: String,
}

string_enum! {
    /// A transcript source format.
    pub enum TranscriptFormat {
        /// WebVTT, including Teams, Zoom and Meet flavours.
        WebVtt => "webvtt",
        /// SubRip.
        Srt => "srt",
        /// Deepgram pre-recorded JSON (`results.utterances` or diarized words).
        Deepgram => "deepgram",
        /// AssemblyAI transcript JSON with `utterances` (milliseconds).
        AssemblyAi => "assemblyai",
        /// `segments[]{start, end, text, speaker|speaker_id}` in seconds, as
        /// written by OpenAI's diarized/verbose JSON and Mistral.
        Segments => "segments",
        /// Google Meet REST `transcripts.entries` (RFC 3339 times).
        MeetEntries => "meet_entries",
        /// AWS Transcribe batch JSON (`results.items`, times as strings).
        AwsTranscribe => "aws_transcribe",
        /// Google Speech-to-Text JSON (`results[].alternatives[]`, word
        /// `speakerTag`/`speakerLabel`), bare or in a long-running operation.
        GoogleStt => "google_stt",
        /// IBM Watson Speech to Text JSON (`results[].alternatives[]` with
        /// `timestamps`, top-level `speaker_labels`).
        IbmWatson => "ibm_watson",
        /// OpenAI Whisper `verbose_json` (`segments` without speakers).
        WhisperVerbose => "whisper_verbose_json",
        /// Rev.ai transcript JSON (`monologues[].elements[]`).
        RevAi => "rev_ai",
        /// YouTube SBV captions (`0:00:00.000,0:00:03.000` timing lines).
        Sbv => "sbv",
        /// Zoom's plain-text transcript (`[Name] hh:mm:ss` lines, then text).
        ZoomText => "zoom_txt",
        _ => Other
    }
}

/// A parsed transcript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transcript {
    /// Format it was parsed from.
    pub format: TranscriptFormat,
    /// Wall-clock time of offset zero, when the source carries one (Meet).
    #[serde(default)]
    pub started_at: Option<DateTime<Utc>>,
    /// Speaker turns in time order.
    pub utterances: Vec<Utterance>,
    /// What the parser skipped or repaired (bad cues, blocks without
    /// timing, NULs), in file order; empty for a clean file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<ParseWarning>,
}

/// Knobs for the parsers.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ParseOptions {
    /// Merge consecutive cues of the same (known) speaker into one
    /// utterance. Cues without a speaker are never merged. Default: true.
    pub merge_same_speaker: bool,
    /// Do not merge when the silence between two cues of the same speaker
    /// is longer than this. Default: no limit (a turn only ends when
    /// someone else speaks).
    pub max_merge_gap: Option<TimeOffset>,
    /// Recognize `Name: text` speaker prefixes in cue text (Zoom, Meet
    /// caption exports, many SRT files). Default: true.
    pub speaker_prefixes: bool,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            merge_same_speaker: true,
            max_merge_gap: None,
            speaker_prefixes: true,
        }
    }
}

/// A cue or segment before merging; `line` is where it started (for
/// diagnostics only).
#[derive(Debug, Clone)]
pub(crate) struct Segment {
    pub speaker: Option<String>,
    pub start: TimeOffset,
    pub end: TimeOffset,
    pub text: String,
}

impl Transcript {
    /// Parses `input`, detecting the format (see [`TranscriptFormat::detect`]).
    pub fn parse(input: &str) -> Result<Self, Error> {
        Self::parse_with(input, None, &ParseOptions::default())
    }

    /// Parses raw bytes (which must be UTF-8, with or without a BOM).
    pub fn parse_bytes(input: &[u8]) -> Result<Self, Error> {
        Self::parse(utf8(input)?)
    }

    /// Parses `input` as `format` (or detects it when `None`) with options.
    pub fn parse_with(
        input: &str,
        format: Option<TranscriptFormat>,
        options: &ParseOptions,
    ) -> Result<Self, Error> {
        let input = input.strip_prefix('\u{feff}').unwrap_or(input);
        let format = match format {
            Some(f) => f,
            None => {
                let detected = TranscriptFormat::detect(input)?;
                tracing::debug!(format = %detected, "detected transcript format");
                detected
            }
        };
        let name = format.display_name();
        let mut warnings = Vec::new();
        let mut started_at = None;
        let segments = match &format {
            TranscriptFormat::WebVtt => with_warnings(vtt::parse(input, options)?, &mut warnings),
            TranscriptFormat::Srt => with_warnings(srt::parse(input, options), &mut warnings),
            TranscriptFormat::Sbv => with_warnings(sbv::parse(input, options), &mut warnings),
            TranscriptFormat::ZoomText => with_warnings(zoom_text::parse(input), &mut warnings),
            TranscriptFormat::Deepgram => stt_json::parse_deepgram(input)?,
            TranscriptFormat::AssemblyAi => stt_json::parse_assemblyai(input)?,
            TranscriptFormat::Segments | TranscriptFormat::WhisperVerbose => {
                stt_json::parse_segments(input, name)?
            }
            TranscriptFormat::MeetEntries => {
                let (segments, origin) = stt_json::parse_meet_entries(input)?;
                started_at = origin;
                segments
            }
            TranscriptFormat::AwsTranscribe => stt_json::parse_aws(input)?,
            TranscriptFormat::GoogleStt => {
                with_warnings(cloud_json::parse_google(input)?, &mut warnings)
            }
            TranscriptFormat::IbmWatson => {
                with_warnings(cloud_json::parse_watson(input)?, &mut warnings)
            }
            TranscriptFormat::RevAi => with_warnings(cloud_json::parse_rev(input)?, &mut warnings),
            TranscriptFormat::Other(name) => {
                return Err(Error::parse(
                    "transcript",
                    1,
                    format!("unsupported transcript format `{name}`"),
                ));
            }
        };
        Ok(Transcript {
            format,
            started_at,
            utterances: merge(segments, options),
            warnings,
        })
    }

    /// What the parser skipped or repaired, with positions and reasons
    /// (the [`Transcript::warnings`](Transcript#structfield.warnings) field).
    pub fn warnings(&self) -> &[ParseWarning] {
        &self.warnings
    }

    /// Parses WebVTT.
    pub fn from_vtt(input: &str) -> Result<Self, Error> {
        Self::parse_with(
            input,
            Some(TranscriptFormat::WebVtt),
            &ParseOptions::default(),
        )
    }

    /// Parses SRT.
    pub fn from_srt(input: &str) -> Result<Self, Error> {
        Self::parse_with(input, Some(TranscriptFormat::Srt), &ParseOptions::default())
    }

    /// Distinct speaker labels in order of first appearance.
    pub fn speakers(&self) -> Vec<&str> {
        let mut seen: Vec<&str> = Vec::new();
        for speaker in self.utterances.iter().filter_map(|u| u.speaker.as_deref()) {
            if !seen.contains(&speaker) {
                seen.push(speaker);
            }
        }
        seen
    }

    /// Renames speakers, e.g. Google Meet participant resource names or
    /// `Speaker 0` labels to display names; `rename` returns `None` to
    /// keep a label. Utterances are not re-merged, so ids stay stable.
    pub fn map_speakers(&mut self, mut rename: impl FnMut(&str) -> Option<String>) {
        for u in &mut self.utterances {
            if let Some(new) = u.speaker.as_deref().and_then(&mut rename) {
                u.speaker = Some(new);
            }
        }
    }

    /// The utterance with this id.
    pub fn utterance(&self, id: UtteranceId) -> Option<&Utterance> {
        // Ids are 1-based positions, so this is usually a direct index.
        let direct = usize::try_from(id.0)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|index| self.utterances.get(index))
            .filter(|u| u.id == id);
        // A transcript built or edited elsewhere may not number 1..n.
        direct.or_else(|| self.utterances.iter().find(|u| u.id == id))
    }

    /// Time from the first utterance's start to the last one's end.
    pub fn duration(&self) -> TimeOffset {
        match (
            self.utterances.first(),
            self.utterances.iter().map(|u| u.end).max(),
        ) {
            (Some(first), Some(end)) => {
                TimeOffset::from_millis(end.millis() - first.start.millis())
            }
            _ => TimeOffset::ZERO,
        }
    }
}

impl TranscriptFormat {
    /// Guesses the format from the content and names the one it chose:
    /// a `WEBVTT` header → WebVTT; `[Name] hh:mm:ss` first line → Zoom
    /// text (checked before JSON, since it also starts with `[`); JSON by
    /// the keys only its vendor writes (`results` array → Google
    /// Speech-to-Text or IBM Watson, `results` object → Deepgram or AWS
    /// Transcribe, `monologues` → Rev.ai, `utterances` → AssemblyAI,
    /// `segments` → Whisper `verbose_json` without speakers or diarized
    /// `segments`, `transcriptEntries` → Google Meet); a `start,end` first
    /// line → SBV; a `-->` timing line → SRT.
    pub fn detect(input: &str) -> Result<Self, Error> {
        let trimmed = input.trim_start_matches('\u{feff}').trim_start();
        if trimmed.starts_with("WEBVTT") {
            return Ok(TranscriptFormat::WebVtt);
        }
        let first_line = trimmed.lines().next().unwrap_or("");
        if zoom_text::header(first_line).is_some() {
            return Ok(TranscriptFormat::ZoomText);
        }
        if trimmed.starts_with('{') {
            return stt_json::detect(trimmed);
        }
        if trimmed.starts_with('[') {
            // Not a Zoom header line, so JSON; say both if it is neither.
            return stt_json::detect(trimmed).map_err(|e| match e {
                Error::Parse {
                    format,
                    line,
                    message,
                } => Error::Parse {
                    format,
                    line,
                    message: format!(
                        "{message} (neither a JSON array nor a Zoom `[Name] hh:mm:ss` transcript)"
                    ),
                },
                other => other,
            });
        }
        if sbv::timing(first_line).is_some() {
            return Ok(TranscriptFormat::Sbv);
        }
        if trimmed.lines().take(4).any(|l| l.contains("-->")) {
            return Ok(TranscriptFormat::Srt);
        }
        Err(Error::parse(
            "transcript",
            1,
            "unrecognized format: expected a WEBVTT header, SRT or SBV cues, a Zoom \
             `[Name] hh:mm:ss` transcript or speech-to-text JSON",
        ))
    }

    /// The human name used in errors, e.g. `Google Speech-to-Text`.
    pub fn display_name(&self) -> &'static str {
        match self {
            TranscriptFormat::WebVtt => "WebVTT",
            TranscriptFormat::Srt => "SRT",
            TranscriptFormat::Deepgram => "Deepgram",
            TranscriptFormat::AssemblyAi => "AssemblyAI",
            TranscriptFormat::Segments => stt_json::SEGMENTS,
            TranscriptFormat::MeetEntries => "Google Meet",
            TranscriptFormat::AwsTranscribe => "AWS Transcribe",
            TranscriptFormat::GoogleStt => "Google Speech-to-Text",
            TranscriptFormat::IbmWatson => "IBM Watson",
            TranscriptFormat::WhisperVerbose => stt_json::WHISPER,
            TranscriptFormat::RevAi => "Rev.ai",
            TranscriptFormat::Sbv => "SBV",
            TranscriptFormat::ZoomText => "Zoom text",
            TranscriptFormat::Other(_) => "transcript",
        }
    }
}

fn with_warnings(
    (segments, found): (Vec<Segment>, Vec<ParseWarning>),
    warnings: &mut Vec<ParseWarning>,
) -> Vec<Segment> {
    warnings.extend(found);
    segments
}

/// Checks UTF-8, reporting the line of the first invalid byte.
fn utf8(input: &[u8]) -> Result<&str, Error> {
    std::str::from_utf8(input).map_err(|e| {
        let line = 1 + input[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        Error::parse("transcript", line, "input is not valid UTF-8")
    })
}

/// Orders segments by start (stably, so overlapping Teams cues keep file
/// order), merges consecutive same-speaker segments and numbers the result.
fn merge(mut segments: Vec<Segment>, options: &ParseOptions) -> Vec<Utterance> {
    segments.retain(|s| !s.text.trim().is_empty());
    segments.sort_by_key(|s| s.start);
    let mut out: Vec<Utterance> = Vec::with_capacity(segments.len());
    for seg in segments {
        let end = seg.end.max(seg.start);
        if let Some(last) = out.last_mut()
            && options.merge_same_speaker
            && same_speaker(last.speaker.as_deref(), seg.speaker.as_deref())
            && options
                .max_merge_gap
                .is_none_or(|gap| seg.start.millis() - last.end.millis() <= gap.millis())
        {
            last.text.push(' ');
            last.text.push_str(seg.text.trim());
            last.end = last.end.max(end);
            continue;
        }
        let id = UtteranceId(u32::try_from(out.len() + 1).unwrap_or(u32::MAX));
        out.push(Utterance {
            id,
            speaker: seg.speaker,
            start: seg.start,
            end,
            text: seg.text.trim().to_owned(),
        });
    }
    out
}

fn same_speaker(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.trim().eq_ignore_ascii_case(b.trim()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(speaker: Option<&str>, start: i64, end: i64, text: &str) -> Segment {
        Segment {
            speaker: speaker.map(str::to_owned),
            start: TimeOffset::from_millis(start),
            end: TimeOffset::from_millis(end),
            text: text.into(),
        }
    }

    #[test]
    fn merges_same_speaker_but_not_anonymous() {
        let out = merge(
            vec![
                seg(Some("A"), 0, 1000, "Hello"),
                seg(Some("a"), 1000, 2000, "there."),
                seg(Some("B"), 2000, 3000, "Hi."),
                seg(None, 3000, 4000, "one"),
                seg(None, 4000, 5000, "two"),
            ],
            &ParseOptions::default(),
        );
        assert_eq!(out.len(), 4);
        assert_eq!(out[0].text, "Hello there.");
        assert_eq!(out[0].end.millis(), 2000);
        assert_eq!(out[1].id, UtteranceId(2));
        assert_eq!(out[3].text, "two");
    }

    #[test]
    fn merge_gap_limit_is_honoured() {
        let options = ParseOptions {
            max_merge_gap: Some(TimeOffset::from_millis(500)),
            ..ParseOptions::default()
        };
        let out = merge(
            vec![
                seg(Some("A"), 0, 1000, "one"),
                seg(Some("A"), 1200, 2000, "two"),
                seg(Some("A"), 9000, 9500, "three"),
            ],
            &options,
        );
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].text, "one two");
    }

    #[test]
    fn overlapping_cues_sorted_stably() {
        let out = merge(
            vec![
                seg(Some("A"), 0, 570, "first"),
                seg(Some("B"), 210, 1130, "second"),
                seg(Some("A"), 100, 300, "early"),
            ],
            &ParseOptions::default(),
        );
        let texts: Vec<_> = out.iter().map(|u| u.text.as_str()).collect();
        assert_eq!(texts, ["first early", "second"]);
    }

    #[test]
    fn invalid_utf8_reports_line() {
        let err =
            Transcript::parse_bytes(b"WEBVTT\n\n00:00.000 --> 00:01.000\n\xff\n").unwrap_err();
        assert!(matches!(err, Error::Parse { line: 4, .. }), "{err}");
    }

    #[test]
    fn unknown_format_name_is_kept_and_rejected() {
        let format: TranscriptFormat = serde_json::from_str("\"sonix\"").unwrap();
        assert_eq!(format, TranscriptFormat::Other("sonix".into()));
        let err = Transcript::parse_with("x", Some(format), &ParseOptions::default()).unwrap_err();
        assert!(err.to_string().contains("sonix"));
    }

    #[test]
    fn detect_rejects_plain_text() {
        let err = Transcript::parse("hello world").unwrap_err();
        assert!(matches!(err, Error::Parse { line: 1, .. }));
    }
}

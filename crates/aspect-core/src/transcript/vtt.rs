//! WebVTT, as real conferencing tools write it (research notes §2.1–§2.4).

use serde::Deserialize;

use super::text::{RawCue, cues_to_segments};
use super::{ParseOptions, Segment, TimeOffset};
use crate::error::Error;

const FORMAT: &str = "WebVTT";

pub(crate) fn parse(input: &str, options: &ParseOptions) -> Result<Vec<Segment>, Error> {
    let lines = split_lines(input);
    // Blank lines before the header are tolerated (files glued together
    // by tools); the header must come first otherwise.
    let first = lines.iter().position(|(_, l)| !is_blank(l)).unwrap_or(0);
    let lines = &lines[first..];
    let (header_no, header) = lines.first().copied().unwrap_or((1, ""));
    if !is_header(header) {
        return Err(Error::parse(FORMAT, header_no, "missing `WEBVTT` header"));
    }
    let mut cues = Vec::new();
    let mut metadata = Vec::new();
    // Header metadata lines run to the first blank line; a timing line ends
    // them too (some tools omit the blank line after the header).
    let mut i = 1;
    while i < lines.len() && !is_blank(lines[i].1) && !lines[i].1.contains("-->") {
        i += 1;
    }
    for block in blocks(&lines[i..]) {
        let (first_no, first) = block[0];
        if is_keyword_block(first) {
            continue;
        }
        let timing_at = if first.contains("-->") {
            0
        } else if block.len() > 1 && block[1].1.contains("-->") {
            1
        } else {
            return Err(Error::parse(
                FORMAT,
                first_no,
                format!(
                    "expected a cue timing line `start --> end`, found `{}`",
                    preview(first)
                ),
            ));
        };
        let (line_no, timing) = block[timing_at];
        let (start, end) = parse_timing(timing).map_err(|m| Error::parse(FORMAT, line_no, m))?;
        let payload: Vec<&str> = block[timing_at + 1..].iter().map(|(_, l)| *l).collect();
        match teams_metadata(&payload) {
            Some((speaker, text)) => metadata.push(Segment {
                speaker,
                start,
                end,
                text,
            }),
            None => cues.push(RawCue {
                start,
                end,
                lines: payload,
            }),
        }
    }
    let mut segments = cues_to_segments(&cues, options);
    segments.extend(metadata);
    Ok(segments)
}

fn is_header(line: &str) -> bool {
    line.strip_prefix("WEBVTT")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
}

/// `NOTE`, `STYLE` and `REGION` blocks carry no speech.
fn is_keyword_block(first: &str) -> bool {
    ["NOTE", "STYLE", "REGION"].iter().any(|kw| {
        first
            .strip_prefix(kw)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
    })
}

/// `start --> end [settings]`, shared with SRT (which may add coordinates).
pub(crate) fn parse_timing(line: &str) -> Result<(TimeOffset, TimeOffset), String> {
    let Some((start, rest)) = line.split_once("-->") else {
        return Err("expected `start --> end`".into());
    };
    let end = rest.split_whitespace().next().unwrap_or("");
    let parse = |raw: &str, which: &str| {
        TimeOffset::parse_cue(raw)
            .ok_or_else(|| format!("invalid {which} timestamp `{}`", preview(raw.trim())))
    };
    Ok((parse(start, "start")?, parse(end, "end")?))
}

/// Teams' `metadataContent` VTT carries JSON payloads with `speakerName`
/// and `spokenText` (Graph `callTranscript` docs, research notes §2.3).
fn teams_metadata(payload: &[&str]) -> Option<(Option<String>, String)> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Metadata {
        #[serde(default)]
        speaker_name: Option<String>,
        spoken_text: String,
    }
    let first = payload.first()?;
    if !first.trim_start().starts_with('{') {
        return None;
    }
    let joined = payload.join("\n");
    let meta: Metadata = serde_json::from_str(&joined).ok()?;
    Some((
        meta.speaker_name.filter(|s| !s.trim().is_empty()),
        meta.spoken_text,
    ))
}

/// Lines with 1-based numbers; `\r\n`, `\n` and lone `\r` all end a line.
pub(crate) fn split_lines(input: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = input.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                out.push(&input[start..i]);
                start = i + 1;
            }
            b'\r' => {
                out.push(&input[start..i]);
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < input.len() {
        out.push(&input[start..]);
    }
    out.into_iter()
        .enumerate()
        .map(|(n, l)| (n + 1, l))
        .collect()
}

/// Groups lines into blocks separated by blank lines.
pub(crate) fn blocks<'a, 'b>(lines: &'b [(usize, &'a str)]) -> Vec<&'b [(usize, &'a str)]> {
    lines
        .split(|(_, l)| is_blank(l))
        .filter(|b| !b.is_empty())
        .collect()
}

pub(crate) fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// At most 40 characters of `text`, for error messages.
pub(crate) fn preview(text: &str) -> String {
    let mut out: String = text.chars().take(40).collect();
    if text.chars().nth(40).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_variants() {
        assert!(is_header("WEBVTT"));
        assert!(is_header("WEBVTT - Zoom"));
        assert!(!is_header("WEBVTTX"));
        assert!(!is_header(""));
    }

    #[test]
    fn line_splitting() {
        let lines = split_lines("a\r\nb\rc\n\nd");
        let texts: Vec<_> = lines.iter().map(|(_, l)| *l).collect();
        assert_eq!(texts, ["a", "b", "c", "", "d"]);
        assert_eq!(lines[4].0, 5);
    }

    #[test]
    fn timing_with_settings() {
        let (s, e) = parse_timing("00:01.000 --> 00:02.500 align:start position:10%").unwrap();
        assert_eq!((s.millis(), e.millis()), (1000, 2500));
        assert!(
            parse_timing("00:01.000 --> soon")
                .unwrap_err()
                .contains("end")
        );
    }
}

//! WebVTT, parsed with the W3C WebVTT parser algorithm (W3C WebVTT
//! §6.1 "WebVTT file parsing", <https://www.w3.org/TR/webvtt1/>) so that one
//! bad cue is skipped and reported instead of failing the file, and as real
//! conferencing tools write it (research notes §2.1–§2.4).
//!
//! Per §6.1, a block whose timing line is missing or unparsable (an elision
//! line `...`, an end time `00:00:1d.890`) yields no cue and parsing carries
//! on; a line containing `-->` inside a cue ends that cue and starts the
//! next one; `STYLE` and `REGION` blocks are recognised only before the
//! first cue, and `NOTE` blocks are comments. NUL characters become U+FFFD
//! (§6.1 step 1). Departures, each for real exports: blank lines before the
//! header are tolerated, whitespace-only lines count as blank, and
//! timestamps are parsed leniently (see [`TimeOffset::parse_cue`]).

use serde::Deserialize;

use super::text::{RawCue, cues_to_segments};
use super::{ParseOptions, ParseWarning, Segment, TimeOffset};
use crate::error::Error;

const FORMAT: &str = "WebVTT";

pub(crate) fn parse(
    input: &str,
    options: &ParseOptions,
) -> Result<(Vec<Segment>, Vec<ParseWarning>), Error> {
    let mut warnings = Vec::new();
    // §6.1 step 1: NULs become U+FFFD (line numbers are unchanged).
    let replaced;
    let input = if input.contains('\0') {
        replaced = input.replace('\0', "\u{FFFD}");
        &replaced
    } else {
        input
    };
    let lines = split_lines(input);
    for (no, line) in &lines {
        if line.contains('\u{FFFD}') {
            warnings.push(ParseWarning::at_line(
                *no,
                "NUL or invalid character replaced by U+FFFD (WebVTT §6.1)",
            ));
        }
    }
    // Blank lines before the header are tolerated (files glued together
    // by tools); the header must come first otherwise (§6.1 steps 4–6).
    let first = lines.iter().position(|(_, l)| !is_blank(l)).unwrap_or(0);
    let lines = &lines[first..];
    let (header_no, header) = lines.first().copied().unwrap_or((1, ""));
    if !is_header(header) {
        return Err(Error::parse(FORMAT, header_no, "missing `WEBVTT` header"));
    }
    // The header block runs to the first blank line; a line with `-->`
    // ends it too (§6.1 "collect a WebVTT block" with *in header* set).
    let mut pos = 1;
    while pos < lines.len() && !is_blank(lines[pos].1) && !lines[pos].1.contains("-->") {
        pos += 1;
    }
    let mut cues = Vec::new();
    let mut metadata = Vec::new();
    let mut seen_cue = false;
    while pos < lines.len() {
        if is_blank(lines[pos].1) {
            pos += 1;
            continue;
        }
        let (block, next) = collect_block(lines, pos, &mut seen_cue);
        pos = next;
        match block {
            Block::Cue(cue) => match teams_metadata(&cue.lines) {
                Some((speaker, text)) => metadata.push(Segment {
                    speaker,
                    start: cue.start,
                    end: cue.end,
                    text,
                }),
                None => cues.push(cue),
            },
            Block::Ignored => {}
            Block::Skipped(warning) => warnings.push(warning),
        }
    }
    let mut segments = cues_to_segments(&cues, options);
    segments.extend(metadata);
    // NUL warnings were found first; report everything in file order.
    warnings.sort_by_key(|w| w.line());
    Ok((segments, warnings))
}

/// What one block of the file turned out to be.
enum Block<'a> {
    Cue(RawCue<'a>),
    /// A comment, style sheet or region definition: no speech.
    Ignored,
    /// A block that is not a valid cue, with the reason.
    Skipped(ParseWarning),
}

/// §6.1 "collect a WebVTT block" over `lines[pos..]`; returns the block and
/// the position after it.
fn collect_block<'a>(
    lines: &[(usize, &'a str)],
    mut pos: usize,
    seen_cue: &mut bool,
) -> (Block<'a>, usize) {
    let first_no = lines[pos].0;
    let mut line_count = 0;
    let mut seen_arrow = false;
    let mut buffer: Vec<&'a str> = Vec::new();
    let mut timing: Option<(TimeOffset, TimeOffset)> = None;
    let mut bad_timing: Option<(usize, String)> = None;
    let mut keyword_block = false;
    while pos < lines.len() {
        let (no, line) = lines[pos];
        if is_blank(line) {
            break;
        }
        pos += 1;
        line_count += 1;
        if line.contains("-->") {
            if line_count == 1 || (line_count == 2 && !seen_arrow) {
                seen_arrow = true;
                match parse_timing(line) {
                    Ok(times) => {
                        timing = Some(times);
                        buffer.clear();
                        *seen_cue = true;
                    }
                    Err(message) => {
                        timing = None;
                        bad_timing = Some((no, message));
                    }
                }
                continue;
            }
            // A timing line inside a cue starts the next block.
            pos -= 1;
            break;
        }
        if line_count == 2
            && !*seen_cue
            && buffer.len() == 1
            && matches!(buffer[0].trim_end(), "STYLE" | "REGION")
        {
            keyword_block = true;
        }
        buffer.push(line);
    }
    let block = match (timing, bad_timing) {
        (Some((start, end)), _) => Block::Cue(RawCue {
            start,
            end,
            lines: buffer,
        }),
        (None, Some((no, message))) => {
            Block::Skipped(ParseWarning::at_line(no, format!("cue skipped: {message}")))
        }
        (None, None)
            if keyword_block || buffer.first().is_some_and(|l| is_keyword(l, &["NOTE"])) =>
        {
            Block::Ignored
        }
        (None, None) => {
            let first = buffer.first().copied().unwrap_or("");
            let reason = if is_keyword(first, &["STYLE", "REGION"]) {
                format!(
                    "`{}` block after the first cue ignored (WebVTT §6.1)",
                    preview(first)
                )
            } else {
                format!(
                    "block without a cue timing line `start --> end` skipped: `{}`",
                    preview(first)
                )
            };
            Block::Skipped(ParseWarning::at_line(first_no, reason))
        }
    };
    (block, pos)
}

fn is_header(line: &str) -> bool {
    line.strip_prefix("WEBVTT")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
}

/// `keyword` alone or followed by whitespace and more text (a `NOTE`
/// comment block's first line; a late `STYLE`/`REGION` block for the
/// warning). §6.1 itself recognises `STYLE`/`REGION` only when nothing but
/// whitespace follows, which `collect_block` checks exactly.
fn is_keyword(line: &str, keywords: &[&str]) -> bool {
    keywords.iter().any(|kw| {
        line.strip_prefix(kw)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
    })
}

/// `start --> end [settings]` (§6.3 "collect WebVTT cue timings and
/// settings"), shared with SRT (which may add coordinates after the end).
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

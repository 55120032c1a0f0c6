//! SubRip (`.srt`). There is no official specification (research notes
//! §2.5); this follows the common shape: an optional sequence number, a
//! `HH:MM:SS,mmm --> HH:MM:SS,mmm` line (coordinates may follow), text
//! lines, a blank line.

use super::text::{RawCue, cues_to_segments};
use super::vtt::{blocks, parse_timing, preview, split_lines};
use super::{ParseOptions, Segment};
use crate::error::Error;

const FORMAT: &str = "SRT";

pub(crate) fn parse(input: &str, options: &ParseOptions) -> Result<Vec<Segment>, Error> {
    let lines = split_lines(input);
    let mut cues: Vec<RawCue<'_>> = Vec::new();
    for block in blocks(&lines) {
        let (first_no, first) = block[0];
        let is_index = !first.trim().is_empty() && first.trim().bytes().all(|b| b.is_ascii_digit());
        let timing_at = if first.contains("-->") {
            0
        } else if is_index && block.len() > 1 {
            1
        } else if let Some(previous) = cues.last_mut()
            && !is_index
        {
            // Text after a blank line inside a cue: real files do this, so
            // it continues the previous cue rather than failing.
            previous.lines.extend(block.iter().map(|(_, l)| *l));
            continue;
        } else {
            return Err(Error::parse(
                FORMAT,
                first_no,
                format!(
                    "expected a cue number or timing line, found `{}`",
                    preview(first)
                ),
            ));
        };
        let (line_no, timing) = block[timing_at];
        if !timing.contains("-->") {
            return Err(Error::parse(
                FORMAT,
                line_no,
                format!(
                    "expected `start --> end` after the cue number, found `{}`",
                    preview(timing)
                ),
            ));
        }
        let (start, end) = parse_timing(timing).map_err(|m| Error::parse(FORMAT, line_no, m))?;
        cues.push(RawCue {
            start,
            end,
            lines: block[timing_at + 1..].iter().map(|(_, l)| *l).collect(),
        });
    }
    Ok(cues_to_segments(&cues, options))
}

//! SubRip (`.srt`). There is no official specification (research notes
//! §2.5); this follows the common shape: an optional sequence number, a
//! `HH:MM:SS,mmm --> HH:MM:SS,mmm` line (coordinates may follow), text
//! lines, a blank line.
//!
//! Recovery mirrors the WebVTT algorithm (W3C WebVTT §6.1): a cue whose
//! timing line is missing or invalid is skipped with a warning and parsing
//! carries on; a timing line inside a block starts a new cue (files with a
//! missing blank line); text after a blank line continues the previous good
//! cue, as real files do.

use super::text::{RawCue, cues_to_segments};
use super::vtt::{blocks, parse_timing, preview, split_lines};
use super::{ParseOptions, ParseWarning, Segment};

pub(crate) fn parse(input: &str, options: &ParseOptions) -> (Vec<Segment>, Vec<ParseWarning>) {
    let lines = split_lines(input);
    let mut cues: Vec<RawCue<'_>> = Vec::new();
    let mut warnings = Vec::new();
    // Whether the last thing read was a good cue, which stray text may
    // continue; after a skipped cue its stray text is skipped too.
    let mut last_ok = false;
    for block in blocks(&lines) {
        let timings: Vec<usize> = (0..block.len())
            .filter(|i| block[*i].1.contains("-->"))
            .collect();
        let lead_end = timings.first().copied().unwrap_or(block.len());
        // Lines before the first timing line: the cue number, or stray text.
        let lead = &block[..lead_end];
        let has_number = lead.iter().any(|(_, l)| is_index(l));
        if timings.is_empty() {
            // An elision line `...` carries no speech to continue with.
            let has_words = block
                .iter()
                .any(|(_, l)| l.chars().any(char::is_alphanumeric));
            if let Some(previous) = cues.last_mut()
                && last_ok
                && !has_number
                && has_words
            {
                previous.lines.extend(block.iter().map(|(_, l)| *l));
                continue;
            }
            let (no, first) = block[0];
            warnings.push(ParseWarning::at_line(
                no,
                format!(
                    "cue without a timing line `start --> end` skipped: `{}`",
                    preview(first)
                ),
            ));
            last_ok = false;
            continue;
        }
        if let Some((no, stray)) = lead.iter().find(|(_, l)| !is_index(l)) {
            warnings.push(ParseWarning::at_line(
                *no,
                format!(
                    "text before the cue timing line skipped: `{}`",
                    preview(stray)
                ),
            ));
        }
        for (n, &at) in timings.iter().enumerate() {
            let (line_no, timing) = block[at];
            let mut until = timings.get(n + 1).copied().unwrap_or(block.len());
            // The next cue's number sits just before its timing line.
            if until < block.len() && until > at + 1 && is_index(block[until - 1].1) {
                until -= 1;
            }
            match parse_timing(timing) {
                Ok((start, end)) => {
                    cues.push(RawCue {
                        start,
                        end,
                        lines: block[at + 1..until].iter().map(|(_, l)| *l).collect(),
                    });
                    last_ok = true;
                }
                Err(message) => {
                    warnings.push(ParseWarning::at_line(
                        line_no,
                        format!("cue skipped: {message}"),
                    ));
                    last_ok = false;
                }
            }
        }
    }
    (cues_to_segments(&cues, options), warnings)
}

fn is_index(line: &str) -> bool {
    let line = line.trim();
    !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit())
}

//! YouTube SBV (SubViewer as YouTube writes it): blocks of a
//! `h:mm:ss.mmm,h:mm:ss.mmm` timing line and caption lines, separated by a
//! blank line; no cue numbers, no header, no styling (YouTube's caption
//! format help; subvertapp.com and socaptions.com format notes describe the
//! same shape). Recovery follows the WebVTT rule (W3C WebVTT §6.1): a block
//! without a valid timing line is skipped with a warning; a timing line
//! inside a block starts a new cue.

use super::text::{RawCue, cues_to_segments};
use super::vtt::{blocks, preview, split_lines};
use super::{ParseOptions, ParseWarning, Segment, TimeOffset};

pub(crate) fn parse(input: &str, options: &ParseOptions) -> (Vec<Segment>, Vec<ParseWarning>) {
    let lines = split_lines(input);
    let mut cues: Vec<RawCue<'_>> = Vec::new();
    let mut warnings = Vec::new();
    for block in blocks(&lines) {
        let mut current: Option<RawCue<'_>> = None;
        for (i, &(no, line)) in block.iter().enumerate() {
            if let Some((start, end)) = timing(line) {
                cues.extend(current.take());
                current = Some(RawCue {
                    start,
                    end,
                    lines: Vec::new(),
                });
                continue;
            }
            match current.as_mut() {
                Some(cue) => cue.lines.push(line),
                None if i == 0 => {
                    warnings.push(ParseWarning::at_line(
                        no,
                        format!(
                            "cue without a valid `start,end` timing line skipped: `{}`",
                            preview(line)
                        ),
                    ));
                }
                // The rest of a skipped block.
                None => {}
            }
        }
        cues.extend(current);
    }
    (cues_to_segments(&cues, options), warnings)
}

/// `0:00:01.000,0:00:03.500` (spaces around the comma tolerated).
pub(crate) fn timing(line: &str) -> Option<(TimeOffset, TimeOffset)> {
    let (start, end) = line.trim().split_once(',')?;
    if !start.contains(':') || !end.contains(':') || end.contains(',') {
        return None;
    }
    Some((TimeOffset::parse_cue(start)?, TimeOffset::parse_cue(end)?))
}

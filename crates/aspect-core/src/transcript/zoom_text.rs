//! Zoom's plain-text transcript export: a `[Display Name] hh:mm:ss` (or
//! `h:mm:ss AM`) header
//! line per turn, then the turn's text lines (the shape quoted in issue 9,
//! as Zoom writes saved captions; no vendor reference for it was found, so
//! the parser is tolerant: blank lines are ignored and text before the first
//! header is skipped with a warning).
//!
//! The clock is wall time, so offsets are relative to the first header, and
//! a clock that goes backwards is taken as passing midnight. A turn ends
//! where the next one starts.

use super::vtt::{is_blank, preview, split_lines};
use super::{ParseWarning, Segment, TimeOffset};

const DAY_MILLIS: i64 = 24 * 3_600_000;

pub(crate) fn parse(input: &str) -> (Vec<Segment>, Vec<ParseWarning>) {
    let mut segments: Vec<Segment> = Vec::new();
    let mut warnings = Vec::new();
    let mut origin: Option<i64> = None;
    let mut day_offset = 0;
    let mut last_clock = 0;
    for (no, line) in split_lines(input) {
        if let Some((name, clock)) = header(line) {
            let origin = *origin.get_or_insert(clock);
            if clock < last_clock {
                day_offset += DAY_MILLIS;
            }
            last_clock = clock;
            let start = TimeOffset::from_millis(clock - origin + day_offset);
            if let Some(previous) = segments.last_mut() {
                previous.end = previous.end.max(start);
            }
            segments.push(Segment {
                speaker: Some(name.to_owned()),
                start,
                end: start,
                text: String::new(),
            });
            continue;
        }
        if is_blank(line) {
            continue;
        }
        match segments.last_mut() {
            Some(turn) => {
                if !turn.text.is_empty() {
                    turn.text.push(' ');
                }
                turn.text.push_str(line.trim());
            }
            None => warnings.push(ParseWarning::at_line(
                no,
                format!(
                    "text before the first `[Name] hh:mm:ss` line skipped: `{}`",
                    preview(line)
                ),
            )),
        }
    }
    (segments, warnings)
}

/// `[Name] hh:mm:ss` or `[Name] h:mm:ss PM` → (name, milliseconds since
/// midnight).
pub(crate) fn header(line: &str) -> Option<(&str, i64)> {
    let rest = line.trim().strip_prefix('[')?;
    let close = rest.rfind(']')?;
    let name = rest[..close].trim();
    let mut clock = rest[close + 1..].trim();
    if name.is_empty() {
        return None;
    }
    // A 12-hour clock (`2:02:05 PM`) where the locale uses one.
    let mut afternoon = None;
    if let Some((time, suffix)) = clock.rsplit_once(' ') {
        afternoon = match suffix.to_ascii_uppercase().as_str() {
            "AM" => Some(false),
            "PM" => Some(true),
            _ => return None,
        };
        clock = time.trim_end();
    }
    let mut fields = clock.split(':');
    let (h, m, s) = (fields.next()?, fields.next()?, fields.next()?);
    if fields.next().is_some() || h.is_empty() || h.len() > 2 || m.len() != 2 || s.len() != 2 {
        return None;
    }
    let number = |f: &str| {
        f.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| f.parse::<i64>().ok())
            .flatten()
    };
    let (mut h, m, s) = (number(h)?, number(m)?, number(s)?);
    if let Some(pm) = afternoon {
        if !(1..=12).contains(&h) {
            return None;
        }
        h = h % 12 + if pm { 12 } else { 0 };
    }
    (h < 24 && m < 60 && s < 60).then_some((name, ((h * 60 + m) * 60 + s) * 1000))
}

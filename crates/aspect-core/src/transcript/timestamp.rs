//! Offsets into a recording, and the lenient cue-timestamp parser.

use serde::{Deserialize, Serialize};

/// A signed offset from the start of the recording, in milliseconds.
///
/// Signed because Microsoft Teams writes negative offsets when the
/// transcription began while the conversation was already going (Graph
/// `callTranscript` docs, research notes §2.3). Serialized as an integer
/// number of milliseconds.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct TimeOffset(i64);

/// Largest offset accepted from input: 100,000 hours. Anything larger is a
/// corrupt file, and the bound keeps arithmetic far from overflow.
const MAX_MILLIS: i64 = 100_000 * 3_600_000;

impl TimeOffset {
    /// Offset zero.
    pub const ZERO: TimeOffset = TimeOffset(0);

    /// From milliseconds.
    pub const fn from_millis(millis: i64) -> Self {
        TimeOffset(millis)
    }

    /// Milliseconds.
    pub const fn millis(self) -> i64 {
        self.0
    }

    /// From (fractional) seconds, as speech-to-text JSON writes them;
    /// `None` for non-finite or absurdly large values.
    pub fn from_secs_f64(secs: f64) -> Option<Self> {
        let millis = (secs * 1000.0).round();
        (millis.is_finite() && millis.abs() <= MAX_MILLIS as f64)
            .then_some(TimeOffset(millis as i64))
    }

    /// From milliseconds given as a float (AssemblyAI); same bounds.
    pub fn from_millis_f64(millis: f64) -> Option<Self> {
        Self::from_secs_f64(millis / 1000.0)
    }

    /// Parses a cue timestamp: `[-][h:]m:s[.frac]`, the fraction after `.`
    /// or `,`. Minutes and seconds must be 0–59, as the WebVTT timestamp
    /// algorithm requires (W3C WebVTT §6.3 "collect a WebVTT timestamp":
    /// "If value2 is greater than 59 or if value3 is greater than 59, return
    /// an error"), so `00:00:60.000` and `75:00.000` are rejected. Digit
    /// counts are lenient where the spec is strict (exactly two digits for
    /// minutes and seconds, three for the fraction): Microsoft Teams writes
    /// `0:0:5.32`, which a strict parser drops (research notes §0.2), and
    /// SRT writes `00:01:02,345`. A leading `-` is Teams' negative offset.
    pub fn parse_cue(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        let (negative, raw) = match raw.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, raw),
        };
        let (clock, fraction) = match raw.find(['.', ',']) {
            Some(i) => (&raw[..i], &raw[i + 1..]),
            None => (raw, ""),
        };
        let fields: Vec<&str> = clock.split(':').collect();
        if !(2..=3).contains(&fields.len()) {
            return None;
        }
        let mut seconds: i64 = 0;
        for (i, field) in fields.iter().enumerate() {
            let value = small_number(field)?;
            // Every field but the hours (the first of three) is base 60.
            let is_hours = fields.len() == 3 && i == 0;
            if !is_hours && value > 59 {
                return None;
            }
            seconds = seconds.checked_mul(60)?.checked_add(value)?;
        }
        let millis = seconds
            .checked_mul(1000)?
            .checked_add(fraction_millis(fraction)?)?;
        if millis > MAX_MILLIS {
            return None;
        }
        Some(TimeOffset(if negative { -millis } else { millis }))
    }

    /// `h:mm:ss` when an hour or more, else `mm:ss` (negative with `-`).
    pub fn clock(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let total = self.0.unsigned_abs() / 1000;
        let (h, m, s) = (total / 3600, (total / 60) % 60, total % 60);
        if h > 0 {
            format!("{sign}{h}:{m:02}:{s:02}")
        } else {
            format!("{sign}{m:02}:{s:02}")
        }
    }
}

impl std::fmt::Display for TimeOffset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.clock())
    }
}

/// A run of 1..=9 ASCII digits.
fn small_number(field: &str) -> Option<i64> {
    if field.is_empty() || field.len() > 9 || !field.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    field.parse().ok()
}

/// A decimal fraction of a second as milliseconds: "5" is 500, "32" is 320,
/// "3204" is 320 (digits beyond milliseconds are dropped).
fn fraction_millis(fraction: &str) -> Option<i64> {
    if fraction.is_empty() {
        return Some(0);
    }
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut digits: String = fraction.chars().take(3).collect();
    while digits.len() < 3 {
        digits.push('0');
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(s: &str) -> Option<i64> {
        TimeOffset::parse_cue(s).map(TimeOffset::millis)
    }

    #[test]
    fn strict_and_lenient_forms() {
        assert_eq!(ms("00:01:02.345"), Some(62_345));
        assert_eq!(ms("01:02.345"), Some(62_345));
        assert_eq!(ms("00:01:02,345"), Some(62_345));
        assert_eq!(ms("0:0:0.0"), Some(0));
        assert_eq!(ms("0:0:5.320"), Some(5_320));
        assert_eq!(ms("0:0:5.32"), Some(5_320));
        assert_eq!(ms("0:1:5.3204"), Some(65_320));
        assert_eq!(ms("1:00:00"), Some(3_600_000));
        assert_eq!(ms("-0:0:1.5"), Some(-1_500));
        // Hours are unbounded; minutes and seconds stop at 59.
        assert_eq!(ms("100:59:59.999"), Some(363_599_999));
        assert_eq!(ms("59:59.000"), Some(3_599_000));
    }

    #[test]
    fn rejects_garbage() {
        for bad in [
            "",
            "abc",
            "1.5",
            "00:00:00:00.000",
            "00:xx.000",
            "0:0:0.1a",
            "::",
            "1234567890:00",
            // Out of range per W3C WebVTT §6.3.
            "00:00:60.000",
            "00:60:00.000",
            "75:00.000",
            "00:00:1d.890",
        ] {
            assert_eq!(ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn clock_formatting() {
        assert_eq!(TimeOffset::from_millis(62_345).clock(), "01:02");
        assert_eq!(TimeOffset::from_millis(3_723_000).clock(), "1:02:03");
        assert_eq!(TimeOffset::from_millis(-1_500).clock(), "-00:01");
    }

    #[test]
    fn float_seconds() {
        assert_eq!(TimeOffset::from_secs_f64(4.87).unwrap().millis(), 4870);
        assert_eq!(TimeOffset::from_secs_f64(f64::NAN), None);
        assert_eq!(TimeOffset::from_secs_f64(1e20), None);
        assert_eq!(TimeOffset::from_millis_f64(1234.4).unwrap().millis(), 1234);
    }
}

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

    /// Parses a cue timestamp leniently: `[-][h:]m:s[.frac]` where every
    /// field may have any number of digits and the fraction may use `.` or
    /// `,`. This accepts strict WebVTT (`00:01:02.345`, `01:02.345`), SRT
    /// (`00:01:02,345`) and Teams (`0:0:5.32`, which strict WebVTT rejects:
    /// research notes §0.2).
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
        for field in fields {
            seconds = seconds.checked_mul(60)?.checked_add(small_number(field)?)?;
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

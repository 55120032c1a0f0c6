//! (8) Summarising 15 min, 1 h and 3 h transcripts with the offline
//! (extractive) summarizer, and the growth exponent from a log-log fit.
//!
//! The transcripts repeat the sample interview's cues (3 min 45 s) with
//! shifted timestamps, numbered so no two cues are identical, until the
//! length is reached. Timing: parse excluded, best of three.

use std::time::{Duration, Instant};

use aspect_interview_core::{ExtractiveSummarizer, SummaryRequest, Transcript};

use crate::Sizes;
use crate::report::{Figure, Report, Target};

const SAMPLE: &str = include_str!("../../examples/data/sample_interview.vtt");

fn parse_ts(s: &str) -> Option<f64> {
    let mut parts = s.trim().split(':').rev();
    let secs: f64 = parts.next()?.parse().ok()?;
    let mins: f64 = parts.next()?.parse().ok()?;
    let hours: f64 = parts.next().map_or(Some(0.0), |h| h.parse().ok())?;
    Some(hours * 3600.0 + mins * 60.0 + secs)
}

fn format_ts(t: f64) -> String {
    let ms = (t * 1000.0).round() as u64;
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        ms / 3_600_000,
        (ms / 60_000) % 60,
        (ms / 1000) % 60,
        ms % 1000
    )
}

/// The sample's cues as (start, end, text lines).
fn sample_cues() -> Vec<(f64, f64, String)> {
    let mut cues = Vec::new();
    for block in SAMPLE.split("\n\n") {
        let mut lines = block.lines().skip_while(|l| !l.contains("-->"));
        let Some(timing) = lines.next() else { continue };
        let Some((a, b)) = timing.split_once("-->") else {
            continue;
        };
        let (Some(start), Some(end)) = (parse_ts(a), parse_ts(b)) else {
            continue;
        };
        cues.push((start, end, lines.collect::<Vec<_>>().join("\n")));
    }
    cues
}

/// A WebVTT transcript of about `minutes` minutes.
pub fn transcript_of(minutes: u32) -> String {
    let cues = sample_cues();
    let period = cues.last().map_or(1.0, |c| c.1) + 1.0;
    let target = f64::from(minutes) * 60.0;
    let mut vtt = String::from("WEBVTT\n\n");
    let mut round = 0u32;
    let mut n = 0u32;
    'outer: loop {
        let offset = f64::from(round) * period;
        for (start, end, text) in &cues {
            if offset + end > target {
                break 'outer;
            }
            n += 1;
            vtt.push_str(&format!(
                "{n}\n{} --> {}\n{text} (part {round})\n\n",
                format_ts(offset + start),
                format_ts(offset + end)
            ));
        }
        round += 1;
    }
    vtt
}

/// Least-squares slope of log(time) against log(length).
fn growth_exponent(points: &[(f64, f64)]) -> f64 {
    let logs: Vec<(f64, f64)> = points.iter().map(|(x, y)| (x.ln(), y.ln())).collect();
    let n = logs.len() as f64;
    let mx = logs.iter().map(|p| p.0).sum::<f64>() / n;
    let my = logs.iter().map(|p| p.1).sum::<f64>() / n;
    let sxy: f64 = logs.iter().map(|(x, y)| (x - mx) * (y - my)).sum();
    let sxx: f64 = logs.iter().map(|(x, _)| (x - mx).powi(2)).sum();
    sxy / sxx
}

pub fn run(sizes: &Sizes, report: &mut Report) {
    report.section(
        "8. Summarising long transcripts",
        "`ExtractiveSummarizer::summarize_now` (offline) on transcripts built from the sample \
         interview's cues; best of three, parsing excluded. Baseline: the shortest transcript. The \
         growth exponent is the slope of a log-log fit over all lengths (1 = linear); target ≤ 1.2.",
    );
    let summarizer = ExtractiveSummarizer::default();
    let mut points = Vec::new();
    let mut first: Option<Duration> = None;
    for &minutes in &sizes.transcripts {
        let transcript = Transcript::parse(&transcript_of(minutes)).expect("a valid transcript");
        let utterances = transcript.utterances.len();
        let best = (0..3)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(summarizer.summarize_now(&SummaryRequest::new(&transcript)));
                t.elapsed()
            })
            .min()
            .unwrap_or_default();
        let base = *first.get_or_insert(best);
        points.push((f64::from(minutes), best.as_secs_f64()));
        let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1e3);
        report.add(
            Figure::new(format!("{minutes} min transcript"), ms(best))
                .against(
                    format!("{} at {} min", ms(base), sizes.transcripts[0]),
                    best.as_secs_f64() / base.as_secs_f64(),
                )
                .note(format!("{utterances} utterances")),
        );
    }
    let exponent = growth_exponent(&points);
    report.add(
        Figure::new("growth exponent (log-log fit)", format!("{exponent:.2}"))
            .against("1.00 (linear)", exponent)
            .target(Target::AtMost(1.2)),
    );
}

/// Checks of the bench's own code, run by `cargo test --benches`.
pub fn self_check() {
    let vtt = transcript_of(15);
    let t = Transcript::parse(&vtt).expect("a built transcript parses");
    assert!(t.utterances.len() > 28 * 3, "{}", t.utterances.len());
    let linear = [(1.0, 2.0), (4.0, 8.0), (12.0, 24.0)];
    assert!((growth_exponent(&linear) - 1.0).abs() < 1e-9);
    let square = [(1.0, 1.0), (2.0, 4.0), (3.0, 9.0)];
    assert!((growth_exponent(&square) - 2.0).abs() < 1e-9);
}

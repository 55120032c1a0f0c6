//! The fake Lever and fake Greenhouse servers from the clients' testing kits,
//! in a process of their own, for benchmarks and reliability runs that must
//! not share memory or CPU accounting with the fakes:
//!
//! ```text
//! cargo run --example fake_ats -- --candidates 10000
//! ```
//!
//! Options (each also read from the environment variable in brackets):
//! - `--candidates N` [`FAKE_ATS_CANDIDATES`]: candidates seeded into each
//!   fake (default 100);
//! - `--lever-rate PER_SECOND,BURST` [`FAKE_ATS_LEVER_RATE`]: the Lever
//!   fake's token bucket (default Lever's 10/s with bursts of 20), or `off`;
//! - `--greenhouse-rate BUDGET,WINDOW_MS` [`FAKE_ATS_GREENHOUSE_RATE`]: the
//!   Greenhouse fake's fixed window (default 500 per 30 000 ms), or `off`
//!   (a budget too large to reach).
//!
//! Once seeded it prints one line per fake on stdout, `key=value` pairs
//! separated by spaces (no value contains a space), then `ready`:
//!
//! ```text
//! lever base_url=http://127.0.0.1:PORT/v1 api_key=… candidates=N
//! greenhouse base_url=http://127.0.0.1:PORT/v3/ token_url=… introspection_url=… client_id=… client_secret=… user_id=… candidates=N
//! ready
//! ```
//!
//! A `stats` line on stdin prints the request counts
//! (`stats lever_requests=… greenhouse_requests=… greenhouse_throttled=…`).
//! It runs until stdin closes or the process gets SIGTERM or Ctrl-C.

use std::io::{BufRead, Write};
use std::process::ExitCode;
use std::time::Duration;

use greenhouse_harvest::testing::{FakeGreenhouse, NewCandidate as GreenhouseCandidate};
use lever_client::RateLimit;
use lever_client::testing::{FakeConfig, FakeLever, NewCandidate as LeverCandidate};

/// What the command line and environment ask for.
#[derive(Debug, Clone, PartialEq)]
struct Options {
    candidates: usize,
    lever_rate: Option<RateLimit>,
    greenhouse_rate: Option<(u32, Duration)>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            candidates: 100,
            lever_rate: Some(RateLimit::default()),
            greenhouse_rate: Some((500, Duration::from_secs(30))),
        }
    }
}

/// Two numbers separated by a comma, or `off`.
fn parse_pair(name: &str, value: &str) -> Result<Option<(u64, u64)>, String> {
    if value.eq_ignore_ascii_case("off") {
        return Ok(None);
    }
    let bad = || format!("{name}: expected two numbers like 10,20 or `off`, got {value:?}");
    let (a, b) = value.split_once(',').ok_or_else(bad)?;
    let a = a.trim().parse().map_err(|_| bad())?;
    let b = b.trim().parse().map_err(|_| bad())?;
    if a == 0 || b == 0 {
        return Err(bad());
    }
    Ok(Some((a, b)))
}

fn apply(options: &mut Options, key: &str, value: &str) -> Result<(), String> {
    match key {
        "candidates" => {
            options.candidates = value
                .parse()
                .map_err(|_| format!("candidates: expected a number, got {value:?}"))?;
        }
        "lever-rate" => {
            options.lever_rate = parse_pair(key, value)?.map(|(per_second, burst)| {
                RateLimit::new(
                    u32::try_from(per_second).unwrap_or(u32::MAX),
                    u32::try_from(burst).unwrap_or(u32::MAX),
                )
            });
        }
        "greenhouse-rate" => {
            options.greenhouse_rate = parse_pair(key, value)?.map(|(budget, window_ms)| {
                (
                    u32::try_from(budget).unwrap_or(u32::MAX),
                    Duration::from_millis(window_ms),
                )
            });
        }
        other => return Err(format!("unknown option --{other}")),
    }
    Ok(())
}

/// Environment first, then the command line (which wins).
fn parse_options(
    args: impl IntoIterator<Item = String>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Options, String> {
    let mut options = Options::default();
    for (key, var) in [
        ("candidates", "FAKE_ATS_CANDIDATES"),
        ("lever-rate", "FAKE_ATS_LEVER_RATE"),
        ("greenhouse-rate", "FAKE_ATS_GREENHOUSE_RATE"),
    ] {
        if let Some(value) = env(var) {
            apply(&mut options, key, &value)?;
        }
    }
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let Some(flag) = arg.strip_prefix("--") else {
            return Err(format!("unexpected argument {arg:?}"));
        };
        let (key, value) = match flag.split_once('=') {
            Some((k, v)) => (k.to_owned(), v.to_owned()),
            None => {
                let value = args
                    .next()
                    .ok_or_else(|| format!("--{flag} needs a value"))?;
                (flag.to_owned(), value)
            }
        };
        apply(&mut options, &key, &value)?;
    }
    Ok(options)
}

async fn start_lever(options: &Options) -> FakeLever {
    let fake = FakeLever::start_with(FakeConfig {
        rate_limit: options.lever_rate,
        seed: false,
        ..FakeConfig::default()
    })
    .await;
    for i in 0..options.candidates {
        fake.add_candidate(LeverCandidate::new(
            format!("Candidate {i}"),
            format!("c{i}@example.com"),
        ));
    }
    fake
}

async fn start_greenhouse(options: &Options) -> FakeGreenhouse {
    let fake = FakeGreenhouse::start_empty().await;
    for i in 0..options.candidates {
        fake.add_candidate(GreenhouseCandidate::new(
            &format!("Candidate {i}"),
            format!("c{i}@example.com"),
        ));
    }
    // "Off" is a budget no run reaches, in a window as long as the default.
    let (budget, window) = options
        .greenhouse_rate
        .unwrap_or((u32::MAX, Duration::from_secs(30)));
    fake.set_rate_limit(budget, window);
    fake
}

/// Reads stdin on a plain thread (tokio's stdin needs a feature the
/// workspace does not enable): each line goes to the channel, and the
/// channel closes when stdin does.
fn stdin_lines() -> tokio::sync::mpsc::UnboundedReceiver<String> {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

fn print_line(line: &str) {
    let mut out = std::io::stdout().lock();
    // A reader that went away is not this process's problem: it stops on EOF.
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

async fn terminated() {
    let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(term) => term,
        Err(_) => return std::future::pending().await,
    };
    term.recv().await;
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = match parse_options(std::env::args().skip(1), |k| std::env::var(k).ok()) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("fake_ats: {message}");
            return ExitCode::from(2);
        }
    };
    let lever = start_lever(&options).await;
    let greenhouse = start_greenhouse(&options).await;
    print_line(&format!(
        "lever base_url={} api_key={} candidates={}",
        lever.base_url(),
        lever.api_key(),
        options.candidates
    ));
    print_line(&format!(
        "greenhouse base_url={} token_url={} introspection_url={} client_id={} client_secret={} user_id={} candidates={}",
        greenhouse.base_url(),
        greenhouse.token_url(),
        greenhouse.introspection_url(),
        greenhouse.client_id(),
        greenhouse.client_secret(),
        greenhouse.user_id(),
        options.candidates
    ));
    print_line("ready");
    let mut lines = stdin_lines();
    loop {
        tokio::select! {
            line = lines.recv() => match line {
                Some(line) if line.trim() == "stats" => print_line(&format!(
                    "stats lever_requests={} greenhouse_requests={} greenhouse_throttled={}",
                    lever.total_requests(),
                    greenhouse.total_requests(),
                    greenhouse.throttled_requests()
                )),
                Some(_) => {}
                None => break,
            },
            _ = terminated() => break,
            _ = tokio::signal::ctrl_c() => break,
        }
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_command_line_wins_over_the_environment() {
        let env = |k: &str| (k == "FAKE_ATS_CANDIDATES").then(|| "7".to_owned());
        let options = parse_options(args(&["--candidates", "42"]), env).unwrap();
        assert_eq!(options.candidates, 42);
        let options = parse_options(args(&[]), env).unwrap();
        assert_eq!(options.candidates, 7);
    }

    #[test]
    fn rates_parse_or_turn_off() {
        let options = parse_options(
            args(&["--lever-rate=5,9", "--greenhouse-rate", "20,2000"]),
            |_| None,
        )
        .unwrap();
        assert_eq!(options.lever_rate, Some(RateLimit::new(5, 9)));
        assert_eq!(
            options.greenhouse_rate,
            Some((20, Duration::from_millis(2000)))
        );
        let options = parse_options(
            args(&["--lever-rate", "off", "--greenhouse-rate=OFF"]),
            |_| None,
        )
        .unwrap();
        assert_eq!(options.lever_rate, None);
        assert_eq!(options.greenhouse_rate, None);
    }

    #[test]
    fn bad_input_is_a_clear_error() {
        let err = parse_options(args(&["--lever-rate", "ten"]), |_| None).unwrap_err();
        assert!(err.contains("lever-rate"), "{err}");
        let err = parse_options(args(&["--candidates"]), |_| None).unwrap_err();
        assert!(err.contains("needs a value"), "{err}");
        let err = parse_options(args(&["--nope", "1"]), |_| None).unwrap_err();
        assert!(err.contains("unknown option"), "{err}");
        let err = parse_options(args(&["--lever-rate", "0,5"]), |_| None).unwrap_err();
        assert!(err.contains("lever-rate"), "{err}");
    }
}

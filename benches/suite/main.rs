//! The benchmark suite of issue 12, in one command:
//!
//! ```text
//! cargo bench --bench suite            # full sizes, writes BENCHMARKS.md
//! ASPECT_BENCH_QUICK=1 cargo bench --bench suite   # small sizes (CI), same file
//! ```
//!
//! Every figure is printed next to the bound or baseline it is measured
//! against, taken in the same run on the same machine, with the ratio and,
//! where the issue sets one, the target with PASS/FAIL. With
//! `ASPECT_BENCH_STRICT=1` the process exits non-zero when a target fails.
//! `ASPECT_BENCH_OUT` names the report file (default `BENCHMARKS.md` in the
//! workspace root). `ASPECT_BENCH_ONLY=receiver,webhooks` runs only the named
//! sections (`sync`, `notes`, `webhooks`, `receiver`, `rss`, `store`,
//! `summary`; `sync` includes the write overhead) while working on one.

mod notes;
mod receiver;
mod report;
mod rss;
mod store;
mod summary;
mod sync;
mod webhooks;

use std::process::ExitCode;

use report::Report;

/// Sizes for one run: the issue's (full) or small ones for CI (quick).
#[derive(Debug, Clone)]
pub struct Sizes {
    pub quick: bool,
    /// Records synced against the rate limits (issue: 10k and 100k).
    pub sync: Vec<usize>,
    /// Records streamed for the peak-RSS figure (issue: 100k), and the
    /// smaller size it is compared with.
    pub rss: (usize, usize),
    /// Indexed candidates for store lookups (issue: 10k, 100k, 1M).
    pub store: Vec<usize>,
    /// Signed deliveries sent to the receiver per endpoint.
    pub deliveries: usize,
    /// Transcript lengths in minutes (issue: 15, 60, 180).
    pub transcripts: Vec<u32>,
}

impl Sizes {
    fn from_env() -> Self {
        let quick = std::env::args().any(|a| a == "--quick")
            || std::env::var("ASPECT_BENCH_QUICK").is_ok_and(|v| v == "1");
        if quick {
            Sizes {
                quick,
                sync: vec![1_000],
                rss: (1_000, 5_000),
                store: vec![1_000, 10_000],
                deliveries: 2_000,
                transcripts: vec![5, 15, 30],
            }
        } else {
            Sizes {
                quick,
                sync: vec![10_000, 100_000],
                rss: (10_000, 100_000),
                store: vec![10_000, 100_000, 1_000_000],
                deliveries: 20_000,
                transcripts: vec![15, 60, 180],
            }
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    // `cargo test --benches` runs bench binaries with `--test`: only the
    // checks of the suite's own helpers run then.
    if args.iter().any(|a| a == "--test") {
        webhooks::self_check();
        summary::self_check();
        println!("suite self-checks passed");
        return ExitCode::SUCCESS;
    }
    // The peak-RSS child (see `rss.rs`): streams and reports, nothing else.
    if let Some(i) = args.iter().position(|a| a == "--rss-child") {
        return rss::child(&args[i + 1..]);
    }
    // reqwest is built without a TLS crypto provider; everything here is
    // plain HTTP on loopback, but a client still needs one installed.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sizes = Sizes::from_env();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let mut report = Report::new(sizes.quick);
    println!("aspect benchmark suite ({})", report.header_line());

    let only = std::env::var("ASPECT_BENCH_ONLY").unwrap_or_default();
    let wanted = |section: &str| only.is_empty() || only.split(',').any(|s| s.trim() == section);
    let streamed = if wanted("sync") {
        runtime.block_on(sync::run(&sizes, &mut report))
    } else {
        Vec::new()
    };
    if wanted("notes") {
        runtime.block_on(notes::run(&mut report));
    }
    if wanted("webhooks") {
        webhooks::run(&sizes, &mut report);
    }
    if wanted("receiver") {
        runtime.block_on(receiver::run(&sizes, &mut report));
    }
    if wanted("sync") {
        sync::write_overhead(&streamed, &mut report);
    }
    if wanted("rss") {
        rss::run(&sizes, &mut report);
    }
    if wanted("store") {
        runtime.block_on(store::run(&sizes, &mut report));
    }
    if wanted("summary") {
        summary::run(&sizes, &mut report);
    }

    let path = std::env::var("ASPECT_BENCH_OUT")
        .unwrap_or_else(|_| format!("{}/BENCHMARKS.md", env!("CARGO_MANIFEST_DIR")));
    match report.write(&path) {
        Ok(()) => println!("\nwrote {path}"),
        Err(e) => {
            eprintln!("could not write {path}: {e}");
            return ExitCode::FAILURE;
        }
    }
    let failed = report.failed();
    if failed > 0 {
        println!("{failed} target(s) failed");
        if std::env::var("ASPECT_BENCH_STRICT").is_ok_and(|v| v == "1") {
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}

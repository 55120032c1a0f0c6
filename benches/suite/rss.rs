//! (6) Peak RSS while streaming records, with the fakes in another process.
//!
//! The suite builds `examples/fake_ats` (release), then runs itself again
//! as a child (`--rss-child`) per size: the child starts the fake process,
//! streams every Lever opportunity (pages of 100) and every Greenhouse
//! candidate (pages of 500) from it without keeping them, and reports its
//! own `VmHWM` (peak resident set, /proc/self/status) before and after.
//! The figure is the larger size's peak against the smaller size's.

use std::io::{BufRead, BufReader};
use std::process::{Command, ExitCode, Stdio};

use futures::TryStreamExt;

use crate::Sizes;
use crate::report::{Figure, Report, Target};

/// `VmHWM` of this process in kB.
fn vm_hwm_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

/// Builds the fake server example in the bench's profile and returns its path.
fn fake_ats_binary() -> Result<std::path::PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    // target/<profile>/deps/suite-… → target/<profile>/examples/fake_ats
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .ok_or("no target directory")?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let release = profile_dir.file_name().is_some_and(|n| n == "release");
    let mut build = Command::new(cargo);
    build
        .args(["build", "--example", "fake_ats"])
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    // `cargo bench` sets the package's variables for this process; a nested
    // build that sees them fingerprints differently and rebuilds everything.
    for (key, _) in std::env::vars() {
        let package_var = key.starts_with("CARGO_PKG_")
            || key.starts_with("CARGO_BIN_")
            || matches!(
                key.as_str(),
                "CARGO_MANIFEST_DIR"
                    | "CARGO_MANIFEST_PATH"
                    | "CARGO_PRIMARY_PACKAGE"
                    | "CARGO_CRATE_NAME"
            );
        if package_var {
            build.env_remove(key);
        }
    }
    if release {
        build.arg("--release");
    }
    let status = build.status().map_err(|e| format!("cargo: {e}"))?;
    if !status.success() {
        return Err("cargo build --example fake_ats failed".into());
    }
    Ok(profile_dir.join("examples").join("fake_ats"))
}

pub fn run(sizes: &Sizes, report: &mut Report) {
    report.section(
        "6. Peak RSS streaming records",
        "A child process streams every Lever opportunity (pages of 100) and every Greenhouse \
         candidate (pages of 500) from `examples/fake_ats` running in a third process (no rate \
         limit), keeping none; `VmHWM` from /proc/self/status. The larger run's peak is compared \
         with the smaller run's: flat memory means a ratio near 1.",
    );
    let fake = match fake_ats_binary() {
        Ok(path) => path,
        Err(e) => {
            report.add(Figure::new("peak RSS", "not measured").note(e));
            return;
        }
    };
    let (small, large) = sizes.rss;
    let peak = |n: usize| -> Result<(u64, u64), String> {
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let out = Command::new(exe)
            .arg("--rss-child")
            .arg(&fake)
            .arg(n.to_string())
            .output()
            .map_err(|e| e.to_string())?;
        let text = String::from_utf8_lossy(&out.stdout);
        let line = text
            .lines()
            .find_map(|l| l.strip_prefix("rss "))
            .ok_or_else(|| format!("child failed: {}", String::from_utf8_lossy(&out.stderr)))?;
        let field = |k: &str| {
            line.split_whitespace()
                .find_map(|kv| kv.strip_prefix(k))
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0)
        };
        Ok((field("start_kb="), field("peak_kb=")))
    };
    match (peak(small), peak(large)) {
        (Ok((_, small_peak)), Ok((start, large_peak))) => report.add(
            Figure::new(
                format!("peak RSS streaming {large} + {large} records"),
                format!("{:.1} MB", large_peak as f64 / 1024.0),
            )
            .against(
                format!("{:.1} MB at {small} + {small}", small_peak as f64 / 1024.0),
                large_peak as f64 / small_peak.max(1) as f64,
            )
            .target(Target::AtMost(1.25))
            .note(format!("{:.1} MB before streaming", start as f64 / 1024.0)),
        ),
        (Err(e), _) | (_, Err(e)) => report.add(Figure::new("peak RSS", "not measured").note(e)),
    }
}

/// The child: `--rss-child <fake_ats path> <records>`.
pub fn child(args: &[String]) -> ExitCode {
    let (Some(fake), Some(n)) = (args.first(), args.get(1)) else {
        eprintln!("usage: --rss-child <fake_ats> <records>");
        return ExitCode::from(2);
    };
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut server = match Command::new(fake)
        .args([
            "--candidates",
            n,
            "--lever-rate",
            "off",
            "--greenhouse-rate",
            "off",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => {
            eprintln!("cannot start {fake}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut fields = std::collections::HashMap::new();
    if let Some(stdout) = server.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if line == "ready" {
                break;
            }
            let mut parts = line.split_whitespace();
            let which = parts.next().unwrap_or_default().to_owned();
            for kv in parts {
                if let Some((k, v)) = kv.split_once('=') {
                    fields.insert(format!("{which}.{k}"), v.to_owned());
                }
            }
        }
    }
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let result = runtime.block_on(async {
        let lever = lever_client::LeverClient::builder()
            .api_key(get("lever.api_key"))
            .base_url(get("lever.base_url"))
            .page_size(100)
            .rate_limit(None)
            .build()
            .map_err(|e| e.to_string())?;
        let user_id = get("greenhouse.user_id").parse().ok();
        let greenhouse = greenhouse_harvest::HarvestClient::builder()
            .client_credentials(
                get("greenhouse.client_id"),
                get("greenhouse.client_secret"),
                user_id,
            )
            .base_url(get("greenhouse.base_url"))
            .token_url(get("greenhouse.token_url"))
            .introspection_url(get("greenhouse.introspection_url"))
            .build()
            .map_err(|e| e.to_string())?;
        let start = vm_hwm_kb();
        let mut records = 0u64;
        lever
            .opportunities(&lever_client::OpportunityQuery::new())
            .map_err(|e| e.to_string())
            .try_for_each(|o| {
                std::hint::black_box(&o);
                records += 1;
                futures::future::ok(())
            })
            .await?;
        greenhouse
            .candidates(greenhouse_harvest::ListQuery::new().per_page(500))
            .map_err(|e| e.to_string())
            .try_for_each(|c| {
                std::hint::black_box(&c);
                records += 1;
                futures::future::ok(())
            })
            .await?;
        Ok::<_, String>((start, records))
    });
    // Closing its stdin stops the fake.
    drop(server.stdin.take());
    let _ = server.wait();
    match result {
        Ok((start, records)) => {
            println!(
                "rss start_kb={start} peak_kb={} records={records}",
                vm_hwm_kb()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("streaming failed: {e}");
            ExitCode::FAILURE
        }
    }
}

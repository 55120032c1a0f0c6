//! Webhook verify + typed parse against the raw baseline (issue 12): HMAC-SHA256 over the whole
//! body plus a plain `serde_json::from_slice::<Value>`, at 1 KB, 3 KB and 50 KB.
//!
//! `cargo bench -p lever-client --bench webhooks -- --warm-up-time 1 --measurement-time 3`
//! prints criterion's figures for both sides, then a ratio table (target: ≤ 1.5×).

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use criterion::{BenchmarkId, Criterion, Throughput};
use hmac::{Hmac, Mac};
use lever_client::webhooks::{WebhookVerifier, signed_delivery};
use serde_json::{Value, json};
use sha2::Sha256;

const KEY: &str = "b7f1c2d3e4a5968778695a4b3c2d1e0f1a2b3c4d5e6f7a8b";
const SIZES: [(&str, usize); 3] = [("1KB", 1024), ("3KB", 3 * 1024), ("50KB", 50 * 1024)];

/// A `candidateStageChange` delivery of about `size` bytes: the documented fields plus a stage
/// history, the kind of extra data a delivery carries and the hint keeps in `extra`.
fn delivery(size: usize) -> Vec<u8> {
    let at = Utc.timestamp_millis_opt(1_700_000_000_000).unwrap();
    let mut history = Vec::new();
    loop {
        let data = json!({
            "opportunityId": "250d8f03-738a-4bba-a671-8a3d73477145",
            "candidateId": "250d8f03-738a-4bba-a671-8a3d73477145",
            "contactId": "7f6a1c54-2f0b-4f3e-9a51-0e5d4c3b2a19",
            "toStageId": "3a0e6f2b-7c44-4d8e-a1f5-6b2c9d8e7f01",
            "fromStageId": "8f1c4e1a-0b5d-4c51-9c5e-2d1a7b9f3e10",
            "history": history,
        });
        let body = signed_delivery(KEY, "candidateStageChange", data, at);
        if body.len() >= size {
            return body;
        }
        let i = history.len();
        history.push(json!({
            "stageId": format!("stage-{i}"), "at": 1_700_000_000_000_i64 + i as i64,
            "userId": "e7c3b1a2-5d4f-4e6a-8b9c-0d1e2f3a4b5c", "auto": i % 2 == 0,
            "reason": "Moved after the phone screen",
        }));
    }
}

fn baseline(body: &[u8]) -> Value {
    let mut mac = Hmac::<Sha256>::new_from_slice(KEY.as_bytes()).expect("any key length");
    mac.update(body);
    black_box(mac.finalize().into_bytes());
    serde_json::from_slice(body).expect("valid JSON")
}

fn lever(verifier: &WebhookVerifier, body: &[u8]) -> lever_client::Delivery {
    let now = Utc.timestamp_millis_opt(1_700_000_000_000).unwrap();
    verifier.verify_at(body, now).expect("verifies")
}

fn bench(c: &mut Criterion) {
    let verifier = WebhookVerifier::new(KEY);
    let mut group = c.benchmark_group("webhook");
    for (name, size) in SIZES {
        let body = delivery(size);
        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_with_input(
            BenchmarkId::new("baseline_hmac_value", name),
            &body,
            |b, body| b.iter(|| baseline(black_box(body))),
        );
        group.bench_with_input(
            BenchmarkId::new("lever_verify_parse", name),
            &body,
            |b, body| b.iter(|| lever(&verifier, black_box(body))),
        );
    }
    group.finish();
}

/// Median time per call over several batches.
fn median_per_call(mut f: impl FnMut()) -> Duration {
    let mut batches = Vec::new();
    for _ in 0..15 {
        let started = Instant::now();
        for _ in 0..200 {
            f();
        }
        batches.push(started.elapsed() / 200);
    }
    batches.sort();
    batches[batches.len() / 2]
}

fn ratios() {
    let verifier = WebhookVerifier::new(KEY);
    println!("\nverify + typed parse ÷ (HMAC-SHA256 over the body + Value parse), target ≤ 1.5×");
    for (name, size) in SIZES {
        let body = delivery(size);
        let base = median_per_call(|| {
            black_box(baseline(black_box(&body)));
        });
        let ours = median_per_call(|| {
            black_box(lever(&verifier, black_box(&body)));
        });
        println!(
            "{name:>5} ({:>6} B): baseline {:>9.2?}  lever {:>9.2?}  ratio {:.2}×",
            body.len(),
            base,
            ours,
            ours.as_secs_f64() / base.as_secs_f64()
        );
    }
}

fn main() {
    // `cargo test --all-targets` runs bench binaries with `--test`: a quick check only.
    if std::env::args().any(|a| a == "--test") {
        let body = delivery(1024);
        assert!(lever(&WebhookVerifier::new(KEY), &body).event.name() == "candidateStageChange");
        return;
    }
    let mut criterion = Criterion::default().configure_from_args();
    bench(&mut criterion);
    criterion.final_summary();
    ratios();
}

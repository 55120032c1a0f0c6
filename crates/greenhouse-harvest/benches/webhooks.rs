//! Webhook verify + typed parse against its floor: a raw HMAC-SHA256 over the same bytes plus
//! a plain `serde_json::Value` parse (issue 12's target: at most 1.5× at 1, 3 and 50 KB).
//!
//! `cargo bench -p greenhouse-harvest --bench webhooks -- --warm-up-time 1 --measurement-time 3`
//! prints, per size, `verify+parse` and `hmac+value`; the ratio is the first over the second.
//! Bodies are documented example deliveries (tests/fixtures/webhooks), compact as sent; the
//! 50 KB one is an application whose candidate has many attachments (typed records, so the
//! typed parse decodes all of it).

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use greenhouse_harvest::webhooks::{self, WebhookVerifier};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

const SECRET: &str = "bench-webhook-secret";

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/webhooks/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_slice(&std::fs::read(path).expect("fixture")).expect("fixture JSON")
}

/// An application delivery padded with attachments to at least `size` bytes.
fn padded_application(size: usize) -> Vec<u8> {
    let mut delivery = fixture("new_candidate_application");
    let mut i = 0;
    loop {
        let body = serde_json::to_vec(&delivery).expect("serializes");
        if body.len() >= size {
            return body;
        }
        let attachments = delivery["payload"]["application"]["candidate"]["attachments"]
            .as_array_mut()
            .expect("attachments");
        attachments.push(json!({
            "filename": format!("Portfolio part {i}.pdf"),
            "url": format!("https://prod-heroku.s3.amazonaws.com/attachments/{i}/portfolio.pdf?X-Amz-Expires=604800"),
            "type": "other"
        }));
        i += 1;
    }
}

fn bodies() -> Vec<(&'static str, Vec<u8>)> {
    let compact = |name| serde_json::to_vec(&fixture(name)).expect("serializes");
    vec![
        ("1KB", compact("job_updated")),
        ("3KB", compact("candidate_stage_change")),
        ("50KB", padded_application(50 * 1024)),
    ]
}

fn verify_and_parse(c: &mut Criterion) {
    let verifier = WebhookVerifier::new(SECRET);
    for (label, body) in bodies() {
        let signature = webhooks::sign(SECRET, &body);
        let expected = hex::decode(signature.split_once(' ').expect("sha256 <hex>").1).unwrap();
        // Both sides must succeed on these bytes, or the comparison means nothing.
        verifier
            .verify_and_parse(&body, Some(&signature))
            .expect("a valid delivery");
        let mut group = c.benchmark_group(format!("webhook/{label}"));
        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_function(BenchmarkId::new("verify+parse", body.len()), |b| {
            b.iter(|| {
                verifier
                    .verify_and_parse(black_box(&body), Some(black_box(&signature)))
                    .unwrap()
            })
        });
        group.bench_function(BenchmarkId::new("hmac+value", body.len()), |b| {
            b.iter(|| {
                let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
                mac.update(black_box(&body));
                mac.verify_slice(&expected).unwrap();
                serde_json::from_slice::<Value>(black_box(&body)).unwrap()
            })
        });
        group.finish();
    }
}

criterion_group!(benches, verify_and_parse);
criterion_main!(benches);

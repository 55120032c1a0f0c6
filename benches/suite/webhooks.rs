//! (3) Verify + typed parse ÷ raw HMAC + `serde_json::Value` parse, per ATS
//! and body size, and the same against the Standard Webhooks scheme.
//!
//! - typed: the client's own verifier (Lever: `WebhookVerifier::verify`,
//!   which checks the HMAC of `token + triggeredAt` and decodes the
//!   delivery; Greenhouse: `verify_and_parse`, HMAC-SHA256 of the body and
//!   the typed event);
//! - raw: HMAC-SHA256 of the whole body, hex, compared in constant time,
//!   plus a parse into `serde_json::Value` (the least any receiver does);
//! - Standard Webhooks, as svix verifies it: HMAC-SHA256 over
//!   `{id}.{timestamp}.{body}` with the secret, base64, compared in constant
//!   time with the `v1,` signature, plus the same `Value` parse. Written
//!   here from the published scheme (no svix dependency).

use std::time::{Duration, Instant};

use greenhouse_harvest::testing::FakeGreenhouse;
use hmac::{Hmac, Mac};
use lever_client::testing::FakeLever;
use serde_json::{Value, json};
use sha2::Sha256;

use crate::Sizes;
use crate::report::{Figure, Report, Target};

type HmacSha256 = Hmac<Sha256>;

const SIZES: [(&str, usize); 3] = [("1 KB", 1_024), ("3 KB", 3_072), ("50 KB", 51_200)];

/// Mean time of `f` over enough calls to fill ~`budget`, best of five rounds.
fn time_per_call(budget: Duration, mut f: impl FnMut()) -> Duration {
    let started = Instant::now();
    let mut calibration = 0u32;
    while started.elapsed() < budget / 20 || calibration < 10 {
        f();
        calibration += 1;
    }
    let per = started.elapsed() / calibration;
    let calls = ((budget.as_nanos() / 5) / per.as_nanos().max(1)).clamp(10, 1_000_000) as u32;
    (0..5)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..calls {
                f();
            }
            t.elapsed() / calls
        })
        .min()
        .unwrap_or_default()
}

fn raw_hmac_and_value(secret: &[u8], body: &[u8], signature_hex: &str) -> Value {
    let mut mac = HmacSha256::new_from_slice(secret).expect("any key length");
    mac.update(body);
    let expected = hex::decode(signature_hex).expect("hex");
    assert!(mac.verify_slice(&expected).is_ok(), "raw HMAC must match");
    serde_json::from_slice(body).expect("JSON")
}

/// Standard Webhooks verification (`webhook-id`, `webhook-timestamp`,
/// `webhook-signature: v1,<base64>`), then a `Value` parse.
fn standard_webhooks(secret: &[u8], id: &str, timestamp: &str, body: &[u8], sig: &str) -> Value {
    let mut mac = HmacSha256::new_from_slice(secret).expect("any key length");
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    let computed = base64(&mac.finalize().into_bytes());
    let matched = sig
        .split(' ')
        .filter_map(|s| s.strip_prefix("v1,"))
        .any(|s| constant_time_eq(s.as_bytes(), computed.as_bytes()));
    assert!(matched, "Standard Webhooks signature must match");
    serde_json::from_slice(body).expect("JSON")
}

fn standard_signature(secret: &[u8], id: &str, timestamp: &str, body: &[u8]) -> String {
    let mut mac = HmacSha256::new_from_slice(secret).expect("any key length");
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body);
    format!("v1,{}", base64(&mac.finalize().into_bytes()))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Standard base64 with padding (RFC 4648 §4).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Filler text that grows a body to about `size` bytes.
fn filler(current: usize, size: usize) -> String {
    "lorem ipsum ".repeat(size.saturating_sub(current) / 12)
}

fn lever_body(fake: &FakeLever, size: usize) -> Vec<u8> {
    let data = |pad: &str| {
        json!({
            "opportunityId": "250d8f03-738a-4bba-a671-8a3d73477145",
            "candidateId": "250d8f03-738a-4bba-a671-8a3d73477145",
            "contactId": "7f23e772-ea3a-4a7e-8f5c-2ab4b38d2a8f",
            "toStageId": "00922a60-7c15-422b-b086-f62000824fd7",
            "fromStageId": "lead-new",
            "notes": pad,
        })
    };
    let short = fake.signed_webhook("candidateStageChange", data("")).len();
    fake.signed_webhook("candidateStageChange", data(&filler(short, size)))
}

fn greenhouse_body(fake: &FakeGreenhouse, size: usize) -> (Vec<u8>, String) {
    let mut payload: Value = serde_json::from_str(include_str!(
        "../../crates/greenhouse-harvest/tests/fixtures/webhooks/candidate_stage_change.json"
    ))
    .expect("the fixture");
    if size < 2_000 {
        // The smallest typed event for the 1 KB body.
        payload = serde_json::from_str(include_str!(
            "../../crates/greenhouse-harvest/tests/fixtures/webhooks/delete_application.json"
        ))
        .expect("the fixture");
    }
    let short = serde_json::to_vec(&payload).expect("JSON").len();
    payload["payload"]["notes"] = json!(filler(short, size));
    fake.signed_webhook(&payload)
}

pub fn run(sizes: &Sizes, report: &mut Report) {
    report.section(
        "3. Webhook verify + typed parse",
        "Per delivery, mean of the best of five rounds. Raw baseline: HMAC-SHA256 of the body (hex, \
         constant-time compare) + `serde_json::Value` parse. Standard Webhooks baseline: HMAC-SHA256 \
         over `id.timestamp.body`, base64, as svix verifies, + `Value` parse (implemented in the \
         bench). Lever bodies are `candidateStageChange`, Greenhouse bodies `delete_application` \
         (1 KB) and `candidate_stage_change` (3 KB, 50 KB), padded with a text field.",
    );
    let budget = if sizes.quick {
        Duration::from_millis(150)
    } else {
        Duration::from_millis(600)
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let lever = runtime.block_on(FakeLever::start_empty());
    let greenhouse = runtime.block_on(FakeGreenhouse::start_empty());
    let std_secret = b"whsec-bench-secret-0123456789abcdef";
    for (label, size) in SIZES {
        // Lever.
        let body = lever_body(&lever, size);
        let verifier = lever.verifier();
        let secret = lever.signature_token().as_bytes().to_vec();
        let mut mac = HmacSha256::new_from_slice(&secret).expect("any key length");
        mac.update(&body);
        let body_sig = hex::encode(mac.finalize().into_bytes());
        verifier
            .verify(&body)
            .expect("the fake's delivery verifies");
        let typed = time_per_call(budget, || {
            std::hint::black_box(verifier.verify(std::hint::black_box(&body)).ok());
        });
        add_three(
            report,
            "Lever",
            label,
            body.len(),
            typed,
            budget,
            &secret,
            &body,
            &body_sig,
            std_secret,
        );

        // Greenhouse.
        let (body, signature) = greenhouse_body(&greenhouse, size);
        let verifier = greenhouse_harvest::WebhookVerifier::new(greenhouse.webhook_secret());
        verifier
            .verify_and_parse(&body, Some(&signature))
            .expect("the fake's webhook verifies");
        let secret = greenhouse.webhook_secret().as_bytes().to_vec();
        let mut mac = HmacSha256::new_from_slice(&secret).expect("any key length");
        mac.update(&body);
        let body_sig = hex::encode(mac.finalize().into_bytes());
        let typed = time_per_call(budget, || {
            std::hint::black_box(
                verifier
                    .verify_and_parse(std::hint::black_box(&body), Some(&signature))
                    .ok(),
            );
        });
        add_three(
            report,
            "Greenhouse",
            label,
            body.len(),
            typed,
            budget,
            &secret,
            &body,
            &body_sig,
            std_secret,
        );
    }
}

#[allow(clippy::too_many_arguments)]
fn add_three(
    report: &mut Report,
    ats: &str,
    label: &str,
    len: usize,
    typed: Duration,
    budget: Duration,
    secret: &[u8],
    body: &[u8],
    body_sig: &str,
    std_secret: &[u8],
) {
    let raw = time_per_call(budget, || {
        std::hint::black_box(raw_hmac_and_value(
            secret,
            std::hint::black_box(body),
            body_sig,
        ));
    });
    let (id, ts) = ("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", "1732900000");
    let std_sig = standard_signature(std_secret, id, ts, body);
    let standard = time_per_call(budget, || {
        std::hint::black_box(standard_webhooks(
            std_secret,
            id,
            ts,
            std::hint::black_box(body),
            &std_sig,
        ));
    });
    let us = |d: Duration| format!("{:.1} µs", d.as_secs_f64() * 1e6);
    report.add(
        Figure::new(
            format!("{ats} {label} ({len} B) ÷ raw HMAC + Value"),
            us(typed),
        )
        .against(us(raw), typed.as_secs_f64() / raw.as_secs_f64())
        .target(Target::AtMost(1.5)),
    );
    report.add(
        Figure::new(
            format!("{ats} {label} ({len} B) ÷ Standard Webhooks"),
            us(typed),
        )
        .against(us(standard), typed.as_secs_f64() / standard.as_secs_f64()),
    );
}

/// Checks of the bench's own code, run by `cargo test --benches` (the
/// binary has no libtest harness, so `--test` runs these instead).
pub fn self_check() {
    for (input, output) in [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ] {
        assert_eq!(base64(input.as_bytes()), output, "RFC 4648 vector");
    }
}

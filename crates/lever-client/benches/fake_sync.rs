//! How long the testing fake takes to serve a 10k-candidate list-all through the client, with no
//! rate limit (issue 12: the fake must serve a page in O(page) so that benchmarks measure the
//! client, not the fake).
//!
//! `cargo bench -p lever-client --bench fake_sync [-- <items>]`

use std::time::Instant;

use futures::TryStreamExt;
use lever_client::OpportunityQuery;
use lever_client::testing::{FakeConfig, FakeLever, NewCandidate};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `cargo test --all-targets` runs bench binaries with `--test`: a small run only.
    let items: usize = if args.iter().any(|a| a == "--test") {
        300
    } else {
        args.iter()
            .skip(1)
            .find_map(|a| a.parse().ok())
            .unwrap_or(10_000)
    };
    let fake = FakeLever::start_with(FakeConfig {
        rate_limit: None,
        seed: false,
        ..FakeConfig::default()
    })
    .await;
    let seeding = Instant::now();
    for i in 0..items {
        fake.add_candidate(NewCandidate::new(
            format!("Candidate {i}"),
            format!("c{i}@example.com"),
        ));
    }
    let seeded = seeding.elapsed();
    let client = fake
        .client_builder()
        .rate_limit(None)
        .build()
        .expect("client");
    let started = Instant::now();
    let all: Vec<_> = client
        .opportunities(&OpportunityQuery::new())
        .try_collect()
        .await
        .expect("list-all");
    let elapsed = started.elapsed();
    assert_eq!(all.len(), items);
    let pages = fake.request_count("GET /opportunities");
    println!(
        "fake list-all: {items} items, {pages} pages, {:.2} s ({:.1} ms per page); seeding {:.2} s",
        elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1000.0 / pages as f64,
        seeded.as_secs_f64()
    );
}

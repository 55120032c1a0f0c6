//! How long the fake takes to serve a 10k-record list through the client, without a rate
//! limit: `cargo bench -p greenhouse-harvest --bench fake_list`. The fake should serve a page
//! in O(page), so that a sync benchmark measures the client, not the fake.

use std::time::{Duration, Instant};

use futures::TryStreamExt;
use greenhouse_harvest::ListQuery;
use greenhouse_harvest::testing::{FakeGreenhouse, NewCandidate};

const RECORDS: usize = 10_000;

async fn list_all(fake: &FakeGreenhouse, per_page: u32) -> (usize, Duration) {
    let client = fake.client();
    let started = Instant::now();
    let all: Vec<_> = client
        .candidates(ListQuery::new().per_page(per_page))
        .try_collect()
        .await
        .expect("list");
    (all.len(), started.elapsed())
}

#[tokio::main]
async fn main() {
    // `cargo test --all-targets` runs bench binaries with `--test`: nothing to do then.
    if std::env::args().any(|a| a == "--test") {
        return;
    }
    let fake = FakeGreenhouse::start_empty().await;
    for i in 0..RECORDS {
        fake.add_candidate(NewCandidate::new(
            &format!("Candidate {i}"),
            format!("c{i}@example.com"),
        ));
    }
    fake.set_rate_limit(u32::MAX, Duration::from_secs(30));
    for per_page in [100, 500] {
        let (items, elapsed) = list_all(&fake, per_page).await;
        assert_eq!(items, RECORDS);
        println!(
            "fake list-all: {items} candidates, {per_page} per page, {} pages: {:.3} s ({:.1} ms/page)",
            items.div_ceil(per_page as usize),
            elapsed.as_secs_f64(),
            elapsed.as_secs_f64() * 1000.0 / items.div_ceil(per_page as usize) as f64
        );
    }
}

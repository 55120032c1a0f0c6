//! How fast a long sync runs against each ATS's rate limit, on the clients'
//! fake servers (loopback only): `cargo bench --bench sync_pace`.
//!
//! The target is the limit itself: a sync should run at the API's bound and
//! no faster, one request per page, with no 429 along the way.
//!
//! - Lever allows a steady 10 requests/second per key with bursts of 20
//!   (research note §2.3); `lever-client` paces itself with a token bucket.
//! - Greenhouse Harvest v3 meters fixed windows and reports the remaining
//!   budget in `X-RateLimit-*` headers (research note §2.4); the fake here
//!   allows 20 requests per 2-second window, i.e. 10 requests/second, and
//!   `greenhouse-harvest` paces itself from the headers.
//!
//! It prints, per ATS: pages, requests, 429s seen by the server, elapsed time
//! and requests per second.

use std::time::{Duration, Instant};

use futures::TryStreamExt;
use greenhouse_harvest::ListQuery;
use greenhouse_harvest::testing::{FakeGreenhouse, NewCandidate as GreenhouseCandidate};
use lever_client::OpportunityQuery;
use lever_client::testing::{FakeLever, NewCandidate};

const ITEMS: usize = 400;
const PAGE: usize = 5;

struct Figures {
    ats: &'static str,
    items: usize,
    requests: u64,
    throttled: u64,
    elapsed: Duration,
}

impl Figures {
    fn print(&self) {
        let pages = self.items.div_ceil(PAGE);
        println!(
            "{:<11} {:>6} items {:>4} pages {:>4} requests {:>3} × 429  {:>6.2} s  {:>5.1} req/s",
            self.ats,
            self.items,
            pages,
            self.requests,
            self.throttled,
            self.elapsed.as_secs_f64(),
            self.requests as f64 / self.elapsed.as_secs_f64()
        );
    }
}

async fn lever() -> Figures {
    let fake = FakeLever::start().await;
    for i in 0..ITEMS {
        fake.add_candidate(NewCandidate::new(
            format!("Candidate {i}"),
            format!("c{i}@example.com"),
        ));
    }
    let client = fake
        .client_builder()
        .page_size(PAGE as u8)
        .build()
        .expect("client");
    let before = fake.total_requests();
    let started = Instant::now();
    let all: Vec<_> = client
        .opportunities(&OpportunityQuery::new())
        .try_collect()
        .await
        .expect("sync");
    let elapsed = started.elapsed();
    let requests = fake.total_requests() - before;
    let pages = all.len().div_ceil(PAGE) as u64;
    Figures {
        ats: "Lever",
        items: all.len(),
        requests,
        throttled: requests.saturating_sub(pages),
        elapsed,
    }
}

async fn greenhouse() -> Figures {
    let fake = FakeGreenhouse::start().await;
    for i in 0..ITEMS {
        fake.add_candidate(GreenhouseCandidate::new(
            &format!("Candidate {i}"),
            format!("c{i}@example.com"),
        ));
    }
    fake.set_rate_limit(20, Duration::from_secs(2));
    let client = fake.client();
    let started = Instant::now();
    let all: Vec<_> = client
        .candidates(ListQuery::new().per_page(PAGE as u32))
        .try_collect()
        .await
        .expect("sync");
    let elapsed = started.elapsed();
    let requests = fake.request_count("GET /v3/candidates");
    Figures {
        ats: "Greenhouse",
        items: all.len(),
        requests,
        throttled: fake.throttled_requests(),
        elapsed,
    }
}

#[tokio::main]
async fn main() {
    // `cargo test --all-targets` runs bench binaries with `--test`: nothing to do then.
    if std::env::args().any(|a| a == "--test") {
        return;
    }
    println!(
        "sync pace against the fakes' rate limits (target: ≈10 req/s, 0 × 429, one request per page)"
    );
    lever().await.print();
    greenhouse().await.print();
}

//! The pacer against the fake's fixed rate-limit windows: a long list runs at
//! the rate-limit bound, without idling after each window reset.
//!
//! The fake, like Harvest v3 (research notes §2.4: "`X-RateLimit-Reset` = UTC
//! epoch seconds"), reports whole seconds, rounded up. The windows here are
//! made to end 0.1 s after a whole second, so a pacer that waited for the
//! reported reset would idle 0.9 s per window (1.22× the bound below).

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures::TryStreamExt;
use greenhouse_harvest::ListQuery;
use greenhouse_harvest::testing::{FakeGreenhouse, NewCandidate};

const BUDGET: u32 = 5;
const WINDOW: Duration = Duration::from_secs(2);
/// Three windows' worth of requests: two waits for a window to end.
const REQUESTS: usize = 15;

/// Sleeps until the wall clock is 0.1 s past a whole second.
async fn align_to_a_tenth_past_a_second() {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    let past = Duration::from_nanos(u64::from(now.subsec_nanos()));
    let target = Duration::from_millis(100);
    let wait = if past <= target {
        target - past
    } else {
        Duration::from_secs(1) - past + target
    };
    tokio::time::sleep(wait).await;
}

/// Lists every candidate `per_page` at a time; returns the elapsed time and the page count.
async fn list_all(fake: &FakeGreenhouse, per_page: u32) -> (Duration, usize) {
    let client = fake.client();
    let started = Instant::now();
    let all: Vec<_> = client
        .candidates(ListQuery::new().per_page(per_page))
        .try_collect()
        .await
        .expect("list");
    (started.elapsed(), all.len().div_ceil(per_page as usize))
}

/// Paced time of `REQUESTS` pages of `per_page` ÷ the bound: the windows the budget
/// forces the list to wait for, plus the unpaced time of the last window's requests.
async fn paced_ratio(per_page: u32) -> f64 {
    let fake = FakeGreenhouse::start_empty().await;
    for i in 0..REQUESTS * per_page as usize {
        fake.add_candidate(NewCandidate::new(
            &format!("Candidate {i}"),
            format!("c{i}@example.com"),
        ));
    }
    // The same list unpaced: what the requests themselves cost.
    fake.set_rate_limit(u32::MAX, WINDOW);
    let (unpaced, pages) = list_all(&fake, per_page).await;
    assert_eq!(pages, REQUESTS);
    align_to_a_tenth_past_a_second().await;
    let anchored = Instant::now();
    fake.set_rate_limit(BUDGET, WINDOW);
    list_all(&fake, per_page).await;
    // From the start of the fake's first window, as the bound is.
    let paced = anchored.elapsed();
    let windows = REQUESTS.div_ceil(BUDGET as usize);
    let last_window = REQUESTS - (windows - 1) * BUDGET as usize;
    let bound = WINDOW * (windows as u32 - 1) + unpaced * last_window as u32 / REQUESTS as u32;
    assert_eq!(fake.throttled_requests(), 0, "paced, never throttled");
    let ratio = paced.as_secs_f64() / bound.as_secs_f64();
    eprintln!(
        "per_page {per_page}: {REQUESTS} requests paced in {:.3} s, bound {:.3} s: {ratio:.3}×",
        paced.as_secs_f64(),
        bound.as_secs_f64()
    );
    ratio
}

/// The measured ratio is printed (`--nocapture`); the assertion leaves room for a busy
/// machine, the target being ≤ 1.05×.
#[tokio::test]
async fn a_paced_list_runs_at_the_rate_limit_bound() {
    for per_page in [1, 100, 500] {
        let ratio = paced_ratio(per_page).await;
        assert!(ratio <= 1.15, "per_page {per_page}: {ratio:.3}× the bound");
    }
}

//! Header-driven pacing for Harvest v3's fixed rate-limit windows.
//!
//! Harvest v3 limits requests "in fixed 30-second windows"; every response
//! reports the allowance left in `X-RateLimit-Remaining` and when the window
//! resets in `X-RateLimit-Reset` (UTC epoch seconds); the ceiling is not
//! published and differs between custom and partner integrations
//! (harvestdocs.greenhouse.io/docs/api-rate-limiting as summarised in research
//! notes §2.4 — the guide's own text was not available, so `Reset` is also
//! accepted as a number of seconds when it is too small to be an epoch).
//!
//! The pacer spends the window's budget and, once it is exhausted, holds
//! further requests until the reset instead of provoking a 429. Requests
//! already in flight are counted locally so concurrent callers do not
//! overshoot the budget between two responses.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderMap;

/// Values smaller than this in `X-RateLimit-Reset` are read as "seconds from now".
const EPOCH_THRESHOLD: f64 = 1_000_000_000.0;

/// A snapshot of what the last response said about the rate limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct RateLimitStatus {
    /// `X-RateLimit-Limit`: requests allowed per window.
    pub limit: Option<u32>,
    /// Requests left in the current window (server value minus requests in flight).
    pub remaining: Option<u32>,
    /// When the current window ends.
    pub reset_at: Option<SystemTime>,
}

pub(crate) struct Pacer {
    state: tokio::sync::Mutex<RateLimitStatus>,
    window: Duration,
}

impl Pacer {
    pub(crate) fn new(window: Duration) -> Self {
        Pacer {
            state: tokio::sync::Mutex::new(RateLimitStatus::default()),
            window,
        }
    }

    pub(crate) async fn status(&self) -> RateLimitStatus {
        *self.state.lock().await
    }

    /// Waits until the current window has budget left, then reserves one request.
    pub(crate) async fn acquire(&self) {
        loop {
            let wait = {
                let mut s = self.state.lock().await;
                let now = SystemTime::now();
                if s.reset_at.is_some_and(|r| now >= r) {
                    // A new window: its budget is the limit, or unknown.
                    s.remaining = s.limit;
                    s.reset_at = None;
                }
                match s.remaining {
                    Some(0) => s
                        .reset_at
                        .and_then(|r| r.duration_since(now).ok())
                        .unwrap_or(self.window),
                    Some(n) => {
                        s.remaining = Some(n - 1);
                        return;
                    }
                    None => return,
                }
            };
            tracing::debug!(
                ?wait,
                "Greenhouse rate-limit budget spent; waiting for the window reset"
            );
            tokio::time::sleep(wait).await;
            // After a wait without a known reset, let one request probe the new window.
            let mut s = self.state.lock().await;
            if s.reset_at.is_none() && s.remaining == Some(0) {
                s.remaining = None;
            }
        }
    }

    /// Records the limit headers of a response (429s included).
    pub(crate) async fn observe(&self, headers: &HeaderMap, status: u16) {
        let limit = header_f64(headers, "x-ratelimit-limit").map(|v| v as u32);
        let remaining = header_f64(headers, "x-ratelimit-remaining").map(|v| v.max(0.0) as u32);
        let reset = header_f64(headers, "x-ratelimit-reset").map(reset_instant);
        let mut s = self.state.lock().await;
        if limit.is_some() {
            s.limit = limit;
        }
        let remaining = if status == 429 { Some(0) } else { remaining };
        // On a 429 the server's `Retry-After` is the authoritative wait; the
        // retry loop sleeps that long, so the pacer must not add a second,
        // longer wait for the window reset.
        let reset = match (status, crate::http::retry_after(headers)) {
            (429, Some(after)) => Some(SystemTime::now() + after),
            _ => reset,
        };
        let Some(remaining) = remaining else { return };
        let same_window = reset.is_some() && reset == s.reset_at;
        s.remaining = Some(match (same_window, s.remaining) {
            // Out-of-order responses of one window: the smaller count is the truth.
            (true, Some(local)) => local.min(remaining),
            _ => remaining,
        });
        s.reset_at = reset.or(s.reset_at);
    }
}

fn header_f64(headers: &HeaderMap, name: &str) -> Option<f64> {
    headers
        .get(name)?
        .to_str()
        .ok()?
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

fn reset_instant(value: f64) -> SystemTime {
    if value >= EPOCH_THRESHOLD {
        UNIX_EPOCH + Duration::from_secs_f64(value)
    } else {
        SystemTime::now() + Duration::from_secs_f64(value.max(0.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(limit: u32, remaining: u32, reset: f64) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-ratelimit-limit", HeaderValue::from(limit));
        h.insert("x-ratelimit-remaining", HeaderValue::from(remaining));
        h.insert(
            "x-ratelimit-reset",
            HeaderValue::from_str(&reset.to_string()).unwrap(),
        );
        h
    }

    #[tokio::test]
    async fn waits_for_the_reset_when_the_budget_is_spent() {
        let pacer = Pacer::new(Duration::from_secs(30));
        pacer.observe(&headers(5, 0, 0.2), 200).await;
        let start = std::time::Instant::now();
        pacer.acquire().await;
        assert!(start.elapsed() >= Duration::from_millis(150));
        // The new window's budget is the limit, minus this request.
        assert_eq!(pacer.status().await.remaining, Some(4));
    }

    #[tokio::test]
    async fn counts_requests_in_flight() {
        let pacer = Pacer::new(Duration::from_secs(30));
        let reset = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs_f64()
            + 60.0;
        pacer.observe(&headers(50, 2, reset), 200).await;
        pacer.acquire().await;
        pacer.acquire().await;
        assert_eq!(pacer.status().await.remaining, Some(0));
        // A late response of the same window cannot raise the count again.
        pacer.observe(&headers(50, 1, reset), 200).await;
        assert_eq!(pacer.status().await.remaining, Some(0));
    }
}

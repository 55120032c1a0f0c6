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
//! further requests until the reset instead of provoking a 429. Requests in
//! flight are subtracted from the server's last count, so concurrent clones do
//! not overshoot the budget between two responses (conservatively: a request
//! the server already counted may be subtracted twice, which only slows down).
//! While nothing is known about the window (before the first answer, or when
//! a server sends no limit headers at all) requests go one at a time.

use std::sync::{Mutex, MutexGuard};
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
    /// Requests left in the current window (server count minus requests in flight).
    pub remaining: Option<u32>,
    /// When the current window ends.
    pub reset_at: Option<SystemTime>,
}

#[derive(Debug, Default)]
struct State {
    limit: Option<u32>,
    /// The server's last word on the current window.
    server_remaining: Option<u32>,
    reset_at: Option<SystemTime>,
    in_flight: u32,
}

impl State {
    fn available(&self) -> Option<u32> {
        self.server_remaining
            .map(|r| r.saturating_sub(self.in_flight))
    }
}

pub(crate) struct Pacer {
    // A std mutex: never held across an await, and `Permit::drop` needs it.
    state: Mutex<State>,
    /// Signalled when a request finishes, for callers waiting to probe.
    finished: tokio::sync::Notify,
    window: Duration,
}

/// One request's place in the window; dropping it (also when the request
/// future is cancelled) releases the in-flight slot.
pub(crate) struct Permit<'a> {
    pacer: &'a Pacer,
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        {
            let mut s = self.pacer.lock();
            s.in_flight = s.in_flight.saturating_sub(1);
        }
        self.pacer.finished.notify_waiters();
    }
}

impl Pacer {
    pub(crate) fn new(window: Duration) -> Self {
        Pacer {
            state: Mutex::new(State::default()),
            finished: tokio::sync::Notify::new(),
            window,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn status(&self) -> RateLimitStatus {
        let s = self.lock();
        RateLimitStatus {
            limit: s.limit,
            remaining: s.available(),
            reset_at: s.reset_at,
        }
    }

    /// Waits until the current window has budget left, then takes a slot.
    pub(crate) async fn acquire(&self) -> Permit<'_> {
        loop {
            let finished = self.finished.notified();
            let wait = {
                let mut s = self.lock();
                let now = SystemTime::now();
                if s.reset_at.is_some_and(|r| now >= r) {
                    // A new window: its budget is the limit, or unknown.
                    s.server_remaining = s.limit;
                    s.reset_at = None;
                }
                match s.available() {
                    // Nothing known about the window (first request, or the
                    // server sends no headers): one request at a time probes
                    // it, so a burst of clones cannot overshoot an unknown budget.
                    None if s.in_flight > 0 => None,
                    Some(0) => Some(
                        s.reset_at
                            .and_then(|r| r.duration_since(now).ok())
                            .unwrap_or(self.window),
                    ),
                    _ => {
                        s.in_flight += 1;
                        return Permit { pacer: self };
                    }
                }
            };
            let Some(wait) = wait else {
                // Bounded, in case the probe's answer carries no headers.
                let _ = tokio::time::timeout(Duration::from_millis(250), finished).await;
                continue;
            };
            tracing::debug!(
                ?wait,
                "Greenhouse rate-limit budget spent; waiting for the window reset"
            );
            tokio::time::sleep(wait).await;
            let mut s = self.lock();
            if s.reset_at.is_none() && s.available() == Some(0) {
                // Waited a whole window without knowing its end: let a request probe.
                s.server_remaining = None;
            }
        }
    }

    /// Records the limit headers of the response to `permit`'s request (429s included).
    pub(crate) fn observe(&self, permit: Permit<'_>, headers: &HeaderMap, status: u16) {
        let limit = header_f64(headers, "x-ratelimit-limit").map(|v| v as u32);
        let remaining = header_f64(headers, "x-ratelimit-remaining").map(|v| v.max(0.0) as u32);
        // On a 429 the server's `Retry-After` is the authoritative wait; the
        // retry loop sleeps that long, so the pacer must not add a second,
        // longer wait for the window reset.
        let reset = match (status, crate::http::retry_after(headers)) {
            (429, Some(after)) => Some(SystemTime::now() + after),
            _ => header_f64(headers, "x-ratelimit-reset").map(reset_instant),
        };
        {
            let mut s = self.lock();
            if limit.is_some() {
                s.limit = limit;
            }
            let remaining = if status == 429 { Some(0) } else { remaining };
            if let Some(remaining) = remaining {
                match window_relation(reset, s.reset_at) {
                    // A late answer from a window that is already over.
                    Window::Older => {}
                    // Out-of-order answers of one window: the smaller count is the truth.
                    Window::Current => {
                        s.server_remaining =
                            Some(s.server_remaining.map_or(remaining, |r| r.min(remaining)));
                        s.reset_at = reset.or(s.reset_at);
                    }
                    Window::Newer => {
                        s.server_remaining = Some(remaining);
                        s.reset_at = reset;
                    }
                }
                if status == 429 {
                    s.server_remaining = Some(0);
                    s.reset_at = reset.or(s.reset_at);
                }
            }
        }
        drop(permit);
    }
}

enum Window {
    Older,
    Current,
    Newer,
}

/// Resets within a second of each other name the same window (epoch values
/// repeat exactly; "seconds from now" values drift by the elapsed time).
fn window_relation(header: Option<SystemTime>, known: Option<SystemTime>) -> Window {
    let (Some(header), Some(known)) = (header, known) else {
        return Window::Current;
    };
    let tolerance = Duration::from_secs(1);
    match header.duration_since(known) {
        Ok(ahead) if ahead < tolerance => Window::Current,
        Ok(_) => Window::Newer,
        Err(e) if e.duration() < tolerance => Window::Current,
        Err(_) => Window::Older,
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
        let permit = pacer.acquire().await;
        pacer.observe(permit, &headers(5, 0, 0.2), 200);
        let start = std::time::Instant::now();
        let _permit = pacer.acquire().await;
        assert!(start.elapsed() >= Duration::from_millis(150));
        // The new window's budget is the limit, minus the request in flight.
        assert_eq!(pacer.status().remaining, Some(4));
    }

    #[tokio::test]
    async fn counts_requests_in_flight() {
        let pacer = Pacer::new(Duration::from_secs(30));
        let reset = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs_f64()
            + 60.0;
        let permit = pacer.acquire().await;
        pacer.observe(permit, &headers(50, 2, reset), 200);
        let first = pacer.acquire().await;
        let _second = pacer.acquire().await;
        assert_eq!(pacer.status().remaining, Some(0));
        // A response of the same window cannot raise the count again.
        pacer.observe(first, &headers(50, 1, reset), 200);
        assert_eq!(pacer.status().remaining, Some(0));
    }

    #[tokio::test]
    async fn cancelled_requests_release_their_slot() {
        let pacer = Pacer::new(Duration::from_secs(30));
        let reset = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs_f64()
            + 60.0;
        let permit = pacer.acquire().await;
        pacer.observe(permit, &headers(50, 1, reset), 200);
        drop(pacer.acquire().await);
        assert_eq!(pacer.status().remaining, Some(1));
    }

    #[tokio::test]
    async fn late_answers_from_an_old_window_are_ignored() {
        let pacer = Pacer::new(Duration::from_secs(30));
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs_f64();
        let permit = pacer.acquire().await;
        pacer.observe(permit, &headers(50, 40, now + 60.0), 200);
        let permit = pacer.acquire().await;
        pacer.observe(permit, &headers(50, 2, now + 30.0), 200);
        assert_eq!(pacer.status().remaining, Some(40));
    }
}

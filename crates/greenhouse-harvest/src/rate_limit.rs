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
//! further requests until the window's end instead of provoking a 429.
//!
//! **When the window ends.** Epoch seconds are whole seconds, so the reset a
//! server reports may be up to a second after the real end (a server that
//! rounds up) — waiting for it idled up to a second per window (1.41× the bound
//! on 2-second windows). The pacer therefore also uses what it observed: every
//! request counted in a window was processed after that window began, so the
//! window ends at the latest one window length after the first answer of that
//! window arrived. The wait ends at the earlier of the two bounds; both are
//! upper bounds, so neither can end a wait early. A reset with a fractional
//! part is taken as exact. This needs [`rate_limit_window`] not to be shorter
//! than the server's window; after a 429 the observed bound is no longer
//! trusted and only the server's reset is used.
//!
//! [`rate_limit_window`]: crate::HarvestClientBuilder::rate_limit_window Requests in
//! flight are subtracted from the server's last count, so concurrent clones do
//! not overshoot the budget between two responses (conservatively: a request
//! the server already counted may be subtracted twice, which only slows down).
//! While nothing is known about the window (before the first answer, or when
//! a server sends no limit headers at all) requests go one at a time.

use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

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

#[derive(Debug)]
struct State {
    limit: Option<u32>,
    /// The server's last word on the current window.
    server_remaining: Option<u32>,
    /// The server's `X-RateLimit-Reset` for the current window (or `Retry-After` after a 429).
    reset_at: Option<SystemTime>,
    /// When the current window ends at the latest: the earlier of `reset_at` and the first
    /// answer of the window plus one window length. Waits end here.
    window_end: Option<Instant>,
    /// The reset of the window the pacer last saw end, so that a late answer of that window
    /// (sent before, answered after its end) is not taken for the new window's first word.
    ended_reset: Option<SystemTime>,
    /// Whether answer time + window length may bound the window's end (off after a 429,
    /// which would mean the configured window is shorter than the server's).
    trust_observed: bool,
    in_flight: u32,
}

impl Default for State {
    fn default() -> Self {
        State {
            limit: None,
            server_remaining: None,
            reset_at: None,
            window_end: None,
            ended_reset: None,
            trust_observed: true,
            in_flight: 0,
        }
    }
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
                let now = Instant::now();
                if s.window_end.is_some_and(|end| now >= end) {
                    // A new window: its budget is the limit, or unknown.
                    s.server_remaining = s.limit;
                    s.ended_reset = s.reset_at.take().or(s.ended_reset);
                    s.window_end = None;
                }
                match s.available() {
                    // Nothing known about the window (first request, or the
                    // server sends no headers): one request at a time probes
                    // it, so a burst of clones cannot overshoot an unknown budget.
                    None if s.in_flight > 0 => None,
                    Some(0) => Some(
                        s.window_end
                            .map(|end| end.saturating_duration_since(now))
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
            if s.window_end.is_none() && s.available() == Some(0) {
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
        let answered = Instant::now();
        {
            let mut s = self.lock();
            if limit.is_some() {
                s.limit = limit;
            }
            if status == 429 && s.trust_observed {
                tracing::debug!(
                    "Greenhouse answered 429: pacing by the server's reset only from now on"
                );
                s.trust_observed = false;
            }
            // This answer's request was counted after its window began, so the window ends
            // one window length after this answer at the latest.
            let observed_end = s.trust_observed.then(|| answered + self.window);
            let end = earliest(reset.map(|r| instant_of(r, answered)), observed_end);
            let remaining = if status == 429 { Some(0) } else { remaining };
            if let Some(remaining) = remaining {
                let relation = match window_relation(reset, s.ended_reset) {
                    Window::Newer => window_relation(reset, s.reset_at),
                    // Same reset as the window that ended (or no reset to tell): a late answer
                    // of that window when one ended, else the current window's word.
                    _ if reset.is_some() && s.ended_reset.is_some() => Window::Older,
                    _ => window_relation(reset, s.reset_at),
                };
                match relation {
                    // A late answer from a window that is already over.
                    Window::Older => {}
                    // Out-of-order answers of one window: the smaller count is the truth.
                    Window::Current => {
                        s.server_remaining =
                            Some(s.server_remaining.map_or(remaining, |r| r.min(remaining)));
                        s.reset_at = reset.or(s.reset_at);
                        s.window_end = earliest(s.window_end, end);
                    }
                    Window::Newer => {
                        s.server_remaining = Some(remaining);
                        s.reset_at = reset;
                        s.window_end = end;
                    }
                }
                if status == 429 {
                    // `Retry-After` is authoritative: the wait ends there, not earlier.
                    s.server_remaining = Some(0);
                    s.reset_at = reset.or(s.reset_at);
                    if let Some(r) = reset {
                        s.window_end = Some(instant_of(r, answered));
                    }
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

/// The earlier of two optional instants (either alone when the other is unknown).
fn earliest(a: Option<Instant>, b: Option<Instant>) -> Option<Instant> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The monotonic instant of a wall-clock time, taking `now` as the present.
fn instant_of(at: SystemTime, now: Instant) -> Instant {
    match at.duration_since(SystemTime::now()) {
        Ok(ahead) => now + ahead,
        Err(behind) => now.checked_sub(behind.duration()).unwrap_or(now),
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

    fn epoch_now() -> f64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs_f64()
    }

    /// A whole-second reset far ahead does not hold the pacer once the window, counted from
    /// the answer, must be over: before, it idled until the reset.
    #[tokio::test]
    async fn the_window_ends_one_length_after_its_first_answer() {
        let pacer = Pacer::new(Duration::from_millis(100));
        let permit = pacer.acquire().await;
        pacer.observe(permit, &headers(5, 0, (epoch_now() + 5.0).ceil()), 200);
        let start = std::time::Instant::now();
        let _permit = tokio::time::timeout(Duration::from_secs(2), pacer.acquire())
            .await
            .expect("the wait ends one window after the answer, not at the reset");
        assert!(start.elapsed() >= Duration::from_millis(80));
        assert_eq!(pacer.status().remaining, Some(4));
    }

    /// A 429 means the configured window may be shorter than the server's: from then on only
    /// the server's reset ends a wait.
    #[tokio::test]
    async fn after_a_429_only_the_servers_reset_counts() {
        let pacer = Pacer::new(Duration::from_millis(20));
        let permit = pacer.acquire().await;
        let mut throttled = headers(5, 0, 0.05);
        throttled.insert("retry-after", HeaderValue::from_static("0"));
        pacer.observe(permit, &throttled, 429);
        let permit = pacer.acquire().await;
        let reset = (epoch_now() + 1.5).ceil();
        pacer.observe(permit, &headers(5, 0, reset), 200);
        let _permit = pacer.acquire().await;
        assert!(epoch_now() >= reset - 0.01, "waited for the server's reset");
    }

    /// An answer of the window that just ended (sent before its end) must not make the pacer
    /// believe the new window is spent.
    #[tokio::test]
    async fn late_answers_of_the_ended_window_are_ignored() {
        let pacer = Pacer::new(Duration::from_millis(100));
        let reset = (epoch_now() + 10.0).ceil();
        let probe = pacer.acquire().await;
        pacer.observe(probe, &headers(5, 2, reset), 200);
        let late = pacer.acquire().await;
        let last = pacer.acquire().await;
        pacer.observe(last, &headers(5, 0, reset), 200);
        let _next = tokio::time::timeout(Duration::from_secs(2), pacer.acquire())
            .await
            .expect("a new window");
        assert_eq!(pacer.status().remaining, Some(3), "5 minus two in flight");
        pacer.observe(late, &headers(5, 1, reset), 200);
        assert_eq!(pacer.status().remaining, Some(4), "5 minus one in flight");
    }
}

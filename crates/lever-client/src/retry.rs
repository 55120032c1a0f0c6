//! Retry policy and client-side rate limiting.
//!
//! Lever rate-limits per API key with a token bucket of 10 requests/second steady and bursts up
//! to 20 (LD "Rate Limits"); the client keeps under it with the same bucket shape, shared by all
//! clones of a [`LeverClient`](crate::LeverClient). On 429/503 it honours `Retry-After` (not
//! documented by Lever, so honoured when present and capped) and otherwise backs off
//! exponentially with full jitter, with bounded attempts and total delay.

use std::num::NonZeroU32;
use std::time::Duration;

use backon::ExponentialBuilder;

use crate::error::Error;

/// How failed requests are retried.
///
/// GET requests are retried on [`Error::is_retryable`] errors. A POST (adding a note, creating a
/// webhook) is retried **only** on a connection error or a failure before sending, when it
/// provably was not sent: Lever has no
/// idempotency key, so a retried POST could create a duplicate note.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    max_attempts: usize,
    base_delay: Duration,
    max_delay: Duration,
    max_total_delay: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// Six attempts in total (the first and five retries), 500 ms base delay doubling to at most
    /// 30 s per wait, at most 120 s of waiting in total; `Retry-After` honoured up to 60 s.
    ///
    /// Why these numbers: a throttled or briefly unavailable Lever (a deploy, a 503 burst)
    /// usually recovers within a minute, and a note that gives up too early is parked and needs
    /// a human; a call that waits longer than two minutes instead holds a worker and hides an
    /// outage. `greenhouse-harvest` uses the same defaults, so an engine driving both clients
    /// configures one policy. Tune it with the builder methods, or use [`RetryPolicy::none`].
    fn default() -> Self {
        Self {
            max_attempts: 6,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_total_delay: Duration::from_secs(120),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        Self::default().max_attempts(1)
    }

    /// Millisecond delays for tests: five attempts, 1 ms base, 20 ms cap, `Retry-After` capped at
    /// 50 ms.
    pub fn fast() -> Self {
        Self {
            max_attempts: 5,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(20),
            max_total_delay: Duration::from_secs(2),
            max_retry_after: Duration::from_millis(50),
        }
    }

    /// Total attempts including the first (at least 1).
    pub fn max_attempts(mut self, attempts: usize) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// First backoff delay.
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// Largest single backoff delay.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Largest sum of all waits for one call.
    pub fn max_total_delay(mut self, delay: Duration) -> Self {
        self.max_total_delay = delay;
        self
    }

    /// Largest `Retry-After` honoured; longer requests are cut to this.
    pub fn max_retry_after(mut self, delay: Duration) -> Self {
        self.max_retry_after = delay;
        self
    }

    /// The exponential schedule. Jitter is applied in [`RetryPolicy::adjuster`] rather than with
    /// backon's `with_jitter`, which adds up to one base delay on top instead of full jitter.
    pub(crate) fn backoff(&self) -> ExponentialBuilder {
        ExponentialBuilder::default()
            .with_min_delay(self.base_delay)
            .with_max_delay(self.max_delay)
            .with_factor(2.0)
            .with_max_times(self.max_attempts - 1)
            .with_total_delay(Some(self.max_total_delay))
    }

    /// A stateful adjuster for backon: `Retry-After` (capped) when the error carries one,
    /// otherwise full jitter over the exponential delay; stops once the total would be exceeded.
    pub(crate) fn adjuster(
        &self,
    ) -> impl FnMut(&Error, Option<Duration>) -> Option<Duration> + use<> {
        let policy = self.clone();
        let mut spent = Duration::ZERO;
        move |err, next| {
            let next = next?;
            let wait = match err.retry_after() {
                Some(after) => after.min(policy.max_retry_after),
                // Full jitter: uniform in [0, next] (AWS architecture blog, "Exponential Backoff
                // And Jitter"), so throttled clients spread out.
                None => next.mul_f64(fastrand::f64()),
            };
            if spent + wait > policy.max_total_delay {
                return None;
            }
            spent += wait;
            Some(wait)
        }
    }
}

/// Client-side token bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    per_second: NonZeroU32,
    burst: NonZeroU32,
}

impl Default for RateLimit {
    /// Lever's documented default: 10 requests/second, bursts of 20.
    fn default() -> Self {
        Self::new(10, 20)
    }
}

impl RateLimit {
    /// `per_second` steady rate with bursts up to `burst` (both at least 1).
    pub fn new(per_second: u32, burst: u32) -> Self {
        let one = NonZeroU32::MIN;
        Self {
            per_second: NonZeroU32::new(per_second).unwrap_or(one),
            burst: NonZeroU32::new(burst).unwrap_or(one),
        }
    }

    /// Steady requests per second.
    pub fn per_second(&self) -> u32 {
        self.per_second.get()
    }

    /// Burst size.
    pub fn burst(&self) -> u32 {
        self.burst.get()
    }

    pub(crate) fn limiter(&self) -> governor::DefaultDirectRateLimiter {
        governor::RateLimiter::direct(
            governor::Quota::per_second(self.per_second).allow_burst(self.burst),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_is_capped_and_total_bounded() {
        let policy = RetryPolicy::default()
            .max_retry_after(Duration::from_secs(2))
            .max_total_delay(Duration::from_secs(3));
        let mut adjust = policy.adjuster();
        let throttled = Error::Api {
            status: 429,
            code: None,
            message: None,
            body_snippet: String::new(),
            retry_after: Some(Duration::from_secs(60)),
        };
        let d = Some(Duration::from_millis(100));
        assert_eq!(adjust(&throttled, d), Some(Duration::from_secs(2)));
        assert_eq!(adjust(&throttled, d), None, "total delay exceeded");
        assert_eq!(adjust(&throttled, None), None);
    }

    #[test]
    fn defaults_match_the_documented_shared_policy() {
        let p = RetryPolicy::default();
        assert_eq!(p.max_attempts, 6, "first attempt and five retries");
        assert_eq!(p.base_delay, Duration::from_millis(500));
        assert_eq!(p.max_delay, Duration::from_secs(30));
        assert_eq!(p.max_total_delay, Duration::from_secs(120));
        assert_eq!(p.max_retry_after, Duration::from_secs(60));
        // A 90 s Retry-After is cut to the 60 s cap, and a second one would pass 120 s.
        let mut adjust = p.adjuster();
        let throttled = Error::Api {
            status: 429,
            code: None,
            message: None,
            body_snippet: String::new(),
            retry_after: Some(Duration::from_secs(90)),
        };
        let next = Some(Duration::from_millis(500));
        assert_eq!(adjust(&throttled, next), Some(Duration::from_secs(60)));
        assert_eq!(adjust(&throttled, next), Some(Duration::from_secs(60)));
        assert_eq!(adjust(&throttled, next), None, "120 s in total");
    }

    #[test]
    fn full_jitter_stays_within_delay() {
        let mut adjust = RetryPolicy::default().adjuster();
        let err = Error::Timeout { source: "t".into() };
        for _ in 0..20 {
            let w = adjust(&err, Some(Duration::from_millis(100))).unwrap();
            assert!(w <= Duration::from_millis(100));
        }
    }
}

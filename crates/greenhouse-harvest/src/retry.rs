//! Retry policy for transient failures, built on the `backon` crate — the
//! same crate `lever-client` uses, so the two clients share one well-kept
//! backoff implementation instead of two hand-written loops.

use std::time::Duration;

use backon::ExponentialBuilder;

/// How failed requests are retried: exponential backoff with full jitter, a bounded
/// number of attempts and total delay, and `Retry-After` honoured up to a cap.
///
/// Which failures are retried: transport errors, 408, 429 and 5xx for GETs
/// and token requests ([`Error::is_retryable`](crate::Error::is_retryable));
/// for the note POST only a connection that was never established.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    max_attempts: usize,
    base_delay: Duration,
    max_delay: Duration,
    max_total_delay: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// Six attempts in total (the first and five retries), 500 ms base delay doubling to at
    /// most 30 s per wait, at most 120 s of waiting in total; `Retry-After` honoured up to 60 s.
    ///
    /// The same defaults as `lever-client`'s, so one engine can reason about both clients
    /// with one bound. Why these numbers: Harvest v3 throttles per fixed window (30 s per
    /// research notes §2.4), so a throttled call must be able to sit out one whole window plus
    /// the server's `Retry-After` (hence a 60 s cap, twice the window); 120 s in total keeps
    /// one call from holding a worker for minutes when Greenhouse is down, after which the
    /// caller's own retry (an outbox, a later sync) takes over. Until 0.1 the total was 300 s
    /// and `Retry-After` was honoured up to 120 s.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 6,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_total_delay: Duration::from_secs(120),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// Never retry: one attempt.
    pub fn none() -> Self {
        Self::default().max_attempts(1)
    }

    /// Millisecond delays for tests against a fake server: five attempts, 5 ms base, 50 ms
    /// cap, 5 s in total, `Retry-After` capped at 2 s.
    pub fn fast() -> Self {
        RetryPolicy {
            max_attempts: 5,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(50),
            max_total_delay: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(2),
        }
    }

    /// Total attempts including the first (at least 1), as in `lever-client`.
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

    /// Largest sum of all waits for one call (`Retry-After` included).
    pub fn max_total_delay(mut self, delay: Duration) -> Self {
        self.max_total_delay = delay;
        self
    }

    /// Largest `Retry-After` honoured; longer requests are cut to this.
    pub fn max_retry_after(mut self, delay: Duration) -> Self {
        self.max_retry_after = delay;
        self
    }

    /// Sets the number of retries after the first attempt.
    #[deprecated(
        since = "0.2.0",
        note = "use `max_attempts(retries + 1)`: attempts count the first one, as in lever-client"
    )]
    pub fn with_max_retries(self, retries: usize) -> Self {
        self.max_attempts(retries.saturating_add(1))
    }

    /// Sets the cap on obeyed `Retry-After` values.
    #[deprecated(
        since = "0.2.0",
        note = "renamed `max_retry_after`, as in lever-client"
    )]
    pub fn with_max_retry_after(self, cap: Duration) -> Self {
        self.max_retry_after(cap)
    }

    /// The exponential schedule (doubling from `base_delay`, capped). Jitter
    /// is applied by [`RetryPolicy::adjuster`]: backon's own `with_jitter`
    /// adds up to one delay on top, whereas full jitter draws the whole wait.
    pub(crate) fn backoff(&self) -> ExponentialBuilder {
        ExponentialBuilder::default()
            .with_min_delay(self.base_delay)
            .with_max_delay(self.max_delay)
            .with_factor(2.0)
            .with_max_times(self.max_attempts - 1)
            .with_total_delay(Some(self.max_total_delay))
    }

    /// The wait before each retry, for backon's `adjust`: the server's
    /// `Retry-After` (capped at `max_retry_after`) when it sent one, else full
    /// jitter — uniform in `[0, backoff]` ("Exponential Backoff And Jitter",
    /// AWS Architecture Blog) so throttled clients spread out. Gives up once
    /// the sum of waits would pass `max_total_delay`, and keeps backon's
    /// "attempts exhausted" (`None`).
    pub(crate) fn adjuster(
        &self,
    ) -> impl FnMut(&crate::Error, Option<Duration>) -> Option<Duration> + use<> {
        let max_retry_after = self.max_retry_after;
        let max_total = self.max_total_delay;
        let mut spent = Duration::ZERO;
        move |err, backoff| {
            let backoff = backoff?;
            let wait = match err.retry_after() {
                Some(after) => after.min(max_retry_after),
                None => backoff.mul_f64(fastrand::f64()),
            };
            if spent + wait > max_total {
                return None;
            }
            spent += wait;
            Some(wait)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    fn throttled(secs: u64) -> Error {
        Error::RateLimited {
            retry_after: Some(Duration::from_secs(secs)),
            body_snippet: String::new(),
        }
    }

    /// Attempts count the first one, as in lever-client: three attempts are two retries.
    #[test]
    fn max_attempts_counts_the_first_attempt() {
        use backon::BackoffBuilder;
        let retries = |p: &RetryPolicy| p.backoff().build().count();
        assert_eq!(retries(&RetryPolicy::fast().max_attempts(3)), 2);
        assert_eq!(retries(&RetryPolicy::none()), 0);
        assert_eq!(
            retries(&RetryPolicy::fast().max_attempts(0)),
            0,
            "at least one attempt"
        );
        assert_eq!(retries(&RetryPolicy::default()), 5);
        #[allow(deprecated)]
        let old = RetryPolicy::fast().with_max_retries(2);
        assert_eq!(retries(&old), 2);
    }

    /// The defaults shared with lever-client (issue 14): 6 attempts, 0.5 s doubling to 30 s,
    /// 120 s in total, `Retry-After` up to 60 s.
    #[test]
    fn defaults_are_the_shared_ones() {
        let p = RetryPolicy::default();
        assert_eq!(p.max_attempts, 6);
        assert_eq!(p.base_delay, Duration::from_millis(500));
        assert_eq!(p.max_delay, Duration::from_secs(30));
        assert_eq!(p.max_total_delay, Duration::from_secs(120));
        assert_eq!(p.max_retry_after, Duration::from_secs(60));
        // A 90 s Retry-After is cut to 60 s, and a second one would pass the 120 s total.
        let mut adjust = p.adjuster();
        let d = Some(Duration::from_millis(500));
        assert_eq!(adjust(&throttled(90), d), Some(Duration::from_secs(60)));
        assert_eq!(adjust(&throttled(50), d), Some(Duration::from_secs(50)));
        assert_eq!(
            adjust(&throttled(11), d),
            None,
            "110 s spent, 11 more pass 120 s"
        );
    }

    #[test]
    fn retry_after_wins_but_is_capped() {
        let p = RetryPolicy::fast();
        let mut adjust = p.adjuster();
        let d = Some(Duration::from_millis(7));
        assert_eq!(adjust(&throttled(1), d), Some(Duration::from_secs(1)));
        let mut adjust = p.adjuster();
        assert_eq!(adjust(&throttled(600), d), Some(p.max_retry_after));
    }

    #[test]
    fn backoff_is_fully_jittered_and_exhaustion_is_kept() {
        let p = RetryPolicy::fast();
        let err = Error::Config(String::new());
        let mut adjust = p.adjuster();
        for _ in 0..50 {
            let wait = adjust(&err, Some(Duration::from_millis(40))).unwrap();
            assert!(wait <= Duration::from_millis(40));
        }
        assert_eq!(adjust(&throttled(1), None), None);
    }

    #[test]
    fn the_total_wait_is_bounded() {
        let p = RetryPolicy::fast(); // 5 s total, Retry-After capped at 2 s
        let mut adjust = p.adjuster();
        let d = Some(Duration::from_millis(5));
        assert!(adjust(&throttled(2), d).is_some());
        assert!(adjust(&throttled(2), d).is_some());
        assert_eq!(
            adjust(&throttled(2), d),
            None,
            "4 s spent, 2 more would pass 5 s"
        );
    }
}

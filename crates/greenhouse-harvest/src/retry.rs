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
#[non_exhaustive]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: usize,
    /// First backoff delay.
    pub min_delay: Duration,
    /// Largest single backoff delay.
    pub max_delay: Duration,
    /// Upper bound on the sum of all waits of one call (`Retry-After` included).
    pub max_total_delay: Duration,
    /// Largest `Retry-After` that is obeyed; longer requests are cut to this.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 5,
            min_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_total_delay: Duration::from_secs(300),
            max_retry_after: Duration::from_secs(120),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// Millisecond delays, for tests against a fake server.
    pub fn fast() -> Self {
        RetryPolicy {
            max_retries: 4,
            min_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(50),
            max_total_delay: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(2),
        }
    }

    /// Sets the number of retries.
    pub fn with_max_retries(mut self, n: usize) -> Self {
        self.max_retries = n;
        self
    }

    /// Sets the cap on obeyed `Retry-After` values.
    pub fn with_max_retry_after(mut self, cap: Duration) -> Self {
        self.max_retry_after = cap;
        self
    }

    /// The exponential schedule (doubling from `min_delay`, capped). Jitter
    /// is applied by [`RetryPolicy::adjuster`]: backon's own `with_jitter`
    /// adds up to one delay on top, whereas full jitter draws the whole wait.
    pub(crate) fn backoff(&self) -> ExponentialBuilder {
        ExponentialBuilder::default()
            .with_min_delay(self.min_delay)
            .with_max_delay(self.max_delay)
            .with_factor(2.0)
            .with_max_times(self.max_retries)
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

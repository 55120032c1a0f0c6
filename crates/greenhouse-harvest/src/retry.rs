//! Retry policy for transient failures, built on the `backon` crate — the
//! same crate `lever-client` uses, so the two clients share one well-kept
//! backoff implementation instead of two hand-written loops.

use std::time::Duration;

use backon::ExponentialBuilder;

/// How failed requests are retried: exponential backoff with jitter, a bounded
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
    /// Upper bound on the sum of backoff delays.
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

    pub(crate) fn backoff(&self) -> ExponentialBuilder {
        ExponentialBuilder::default()
            .with_min_delay(self.min_delay)
            .with_max_delay(self.max_delay)
            .with_max_times(self.max_retries)
            .with_total_delay(Some(self.max_total_delay))
            .with_jitter()
    }

    /// The delay before the next attempt: the server's `Retry-After` (capped)
    /// when it sent one, else the jittered backoff. `None` (attempts exhausted)
    /// stays `None`.
    pub(crate) fn adjust(
        &self,
        retry_after: Option<Duration>,
        backoff: Option<Duration>,
    ) -> Option<Duration> {
        let backoff = backoff?;
        Some(match retry_after {
            Some(ra) => ra.min(self.max_retry_after),
            None => backoff,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_wins_but_is_capped_and_exhaustion_is_kept() {
        let p = RetryPolicy::fast();
        let d = Duration::from_millis(7);
        assert_eq!(
            p.adjust(Some(Duration::from_secs(1)), Some(d)),
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            p.adjust(Some(Duration::from_secs(600)), Some(d)),
            Some(p.max_retry_after)
        );
        assert_eq!(p.adjust(None, Some(d)), Some(d));
        assert_eq!(p.adjust(Some(Duration::from_secs(1)), None), None);
    }
}

//! How often and how patiently calls that may be repeated are tried again.

use std::time::Duration;

/// How often and how patiently safe retries happen.
///
/// Start from [`RetryPolicy::default`] (3 attempts, 200 ms first delay) and change what you
/// need: `RetryPolicy::default().max_attempts(5)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in all, the first included; 1 disables retries.
    pub max_attempts: u32,
    /// Delay before the first retry; doubled for each further one.
    pub base_delay: Duration,
}

impl RetryPolicy {
    /// The longest `Retry-After` a read waits for before trying again. A server that asks for
    /// longer gets no retry: the call fails at once, and [`Error::retry_after`](crate::Error::retry_after) says how long
    /// the server asked to wait.
    pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(10);

    /// No retries: every call is attempted once.
    pub const NEVER: RetryPolicy = RetryPolicy {
        max_attempts: 1,
        base_delay: Duration::ZERO,
    };

    /// The same policy with `attempts` attempts in all, the first included (at least 1).
    pub const fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = if attempts == 0 { 1 } else { attempts };
        self
    }

    /// The same policy waiting `delay` before the first retry (doubled for each further one).
    pub const fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// How long to wait before the attempt after `attempts` failed ones, or `None` to give up:
    /// the exponential backoff, or the server's `Retry-After` when that is longer.
    pub(crate) fn delay(&self, attempts: u32, retry_after: Option<Duration>) -> Option<Duration> {
        if attempts >= self.max_attempts {
            return None;
        }
        let backoff = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(attempts.saturating_sub(1)));
        match retry_after {
            Some(wait) if wait > Self::MAX_RETRY_AFTER => None,
            Some(wait) => Some(wait.max(backoff)),
            None => Some(backoff),
        }
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: RetryPolicy = RetryPolicy {
        max_attempts: 4,
        base_delay: Duration::from_millis(100),
    };

    #[test]
    fn backoff_doubles_and_stops_after_max_attempts() {
        let delays: Vec<_> = (1..=4)
            .map(|attempts| POLICY.delay(attempts, None))
            .collect();
        let ms = Duration::from_millis;
        assert_eq!(delays, [Some(ms(100)), Some(ms(200)), Some(ms(400)), None]);
    }

    #[test]
    fn a_policy_is_changed_through_its_setters() {
        let policy = RetryPolicy::default()
            .max_attempts(0)
            .base_delay(Duration::from_millis(5));
        assert_eq!(policy.max_attempts, 1, "at least one attempt");
        assert_eq!(policy.base_delay, Duration::from_millis(5));
        assert_eq!(RetryPolicy::NEVER.delay(1, None), None);
    }

    #[test]
    fn retry_after_lengthens_the_wait_up_to_the_cap() {
        let s = Duration::from_secs;
        assert_eq!(POLICY.delay(1, Some(s(3))), Some(s(3)));
        // Never shorter than the backoff.
        assert_eq!(
            POLICY.delay(3, Some(s(0))),
            Some(Duration::from_millis(400))
        );
        assert_eq!(
            POLICY.delay(1, Some(RetryPolicy::MAX_RETRY_AFTER)),
            Some(RetryPolicy::MAX_RETRY_AFTER)
        );
        // Longer than the cap: give up now rather than hold the caller.
        assert_eq!(POLICY.delay(1, Some(s(11))), None);
        assert_eq!(POLICY.delay(4, Some(s(1))), None);
    }
}

//! How often and how patiently calls that may be repeated are tried again.

use std::time::Duration;

use crate::backoff::Backoff;

/// How often and how patiently safe retries happen.
///
/// Start from [`RetryPolicy::default`] (3 attempts; waits drawn up to 200 ms, doubling, at most
/// 5 s) and change what you need: `RetryPolicy::default().max_attempts(5)`. Which calls may be
/// retried at all is the operation's to say (its effect), never the policy's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    max_attempts: u32,
    backoff: Backoff,
}

impl RetryPolicy {
    /// The longest `Retry-After` a call waits for before trying again. A server that asks for
    /// longer gets no retry: the call fails at once, and
    /// [`Error::retry_after`](crate::Error::retry_after) says how long the server asked to
    /// wait.
    pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(10);

    /// No retries: every call is attempted once.
    pub const NEVER: RetryPolicy = RetryPolicy {
        max_attempts: 1,
        backoff: Backoff::new(Duration::ZERO, Duration::ZERO),
    };

    /// Attempts in all, the first included; 1: no retries.
    pub const fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The waits between attempts.
    pub const fn backoff(&self) -> Backoff {
        self.backoff
    }

    /// The same policy with `attempts` attempts in all, the first included (at least 1).
    pub const fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = if attempts == 0 { 1 } else { attempts };
        self
    }

    /// The same policy waiting up to `delay` before the first retry (the bound doubles for
    /// each further one, up to the cap).
    pub const fn base_delay(mut self, delay: Duration) -> Self {
        self.backoff = Backoff::new(delay, self.backoff.max());
        self
    }

    /// The same policy never waiting longer than `cap` between attempts (a server's
    /// `Retry-After` aside).
    pub const fn max_delay(mut self, cap: Duration) -> Self {
        self.backoff = Backoff::new(self.backoff.first(), cap);
        self
    }

    /// How long to wait before the attempt after `attempts` failed ones, or `None` to give up:
    /// the backoff's draw, or the server's `Retry-After` when that is longer.
    pub(crate) fn delay(&self, attempts: u32, retry_after: Option<Duration>) -> Option<Duration> {
        if attempts >= self.max_attempts {
            return None;
        }
        let backoff = self.backoff.delay(attempts);
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
            backoff: Backoff::new(Duration::from_millis(200), Duration::from_secs(5)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: RetryPolicy = RetryPolicy {
        max_attempts: 4,
        backoff: Backoff::new(Duration::from_millis(100), Duration::from_millis(300)),
    };

    #[test]
    fn waits_stay_within_the_backoff_and_stop_after_max_attempts() {
        for attempts in 1..=3 {
            for _ in 0..50 {
                let delay = POLICY.delay(attempts, None).unwrap();
                assert!(
                    delay <= POLICY.backoff.bound(attempts),
                    "{attempts}: {delay:?}"
                );
            }
        }
        assert_eq!(POLICY.delay(4, None), None);
        assert_eq!(RetryPolicy::NEVER.delay(1, None), None);
    }

    #[test]
    fn a_policy_is_changed_through_its_setters() {
        let policy = RetryPolicy::default()
            .max_attempts(0)
            .base_delay(Duration::from_millis(5))
            .max_delay(Duration::from_millis(20));
        assert_eq!(policy.attempts(), 1, "at least one attempt");
        assert_eq!(
            policy.backoff(),
            Backoff::new(Duration::from_millis(5), Duration::from_millis(20))
        );
    }

    #[test]
    fn retry_after_lengthens_the_wait_up_to_the_cap() {
        let s = Duration::from_secs;
        assert_eq!(POLICY.delay(1, Some(s(3))), Some(s(3)));
        assert_eq!(
            POLICY.delay(1, Some(RetryPolicy::MAX_RETRY_AFTER)),
            Some(RetryPolicy::MAX_RETRY_AFTER)
        );
        // Never shorter than the backoff's draw; longer than the cap: give up now rather than
        // hold the caller.
        assert!(POLICY.delay(3, Some(s(0))).unwrap() <= Duration::from_millis(300));
        assert_eq!(POLICY.delay(1, Some(s(11))), None);
        assert_eq!(POLICY.delay(4, Some(s(1))), None);
    }
}

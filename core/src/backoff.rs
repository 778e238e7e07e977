//! The one backoff of the SDK: exponential, capped, with full jitter. Retries of calls and
//! reconnections of streams both wait by it.

use std::time::Duration;

/// Exponential backoff with a cap and full jitter: before try `n` (1 for the first retry) the
/// wait is drawn at random between zero and `first × 2ⁿ⁻¹`, never above `max`. The random
/// draw spreads the clients that failed together, so they do not come back together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Backoff {
    first: Duration,
    max: Duration,
}

impl Backoff {
    /// Waits bounded by `first`, doubling up to `max` (at least `first`).
    pub const fn new(first: Duration, max: Duration) -> Self {
        let max = if max.as_nanos() < first.as_nanos() {
            first
        } else {
            max
        };
        Self { first, max }
    }

    /// The bound of the first wait.
    pub const fn first(&self) -> Duration {
        self.first
    }

    /// The bound no wait exceeds.
    pub const fn max(&self) -> Duration {
        self.max
    }

    /// The bound of the wait before try `n` (1 for the first retry): `first × 2ⁿ⁻¹`, at most
    /// `max`.
    pub fn bound(&self, n: u32) -> Duration {
        let exponent = n.saturating_sub(1).min(31);
        self.first.saturating_mul(1u32 << exponent).min(self.max)
    }

    /// The wait before try `n`: drawn at random up to its [`bound`](Backoff::bound).
    pub fn delay(&self, n: u32) -> Duration {
        let bound = u64::try_from(self.bound(n).as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(fastrand::u64(0..=bound))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_double_up_to_the_cap() {
        let ms = Duration::from_millis;
        let backoff = Backoff::new(ms(100), ms(500));
        let bounds: Vec<_> = (1..=5).map(|n| backoff.bound(n)).collect();
        assert_eq!(bounds, [ms(100), ms(200), ms(400), ms(500), ms(500)]);
        assert_eq!(backoff.bound(u32::MAX), ms(500));
        assert_eq!(
            Backoff::new(ms(100), ms(1)).max,
            ms(100),
            "the cap is never below the first"
        );
    }

    #[test]
    fn every_delay_is_within_its_bound_and_they_spread() {
        let backoff = Backoff::new(Duration::from_millis(100), Duration::from_secs(1));
        for n in 1..=6 {
            let delays: Vec<_> = (0..200).map(|_| backoff.delay(n)).collect();
            assert!(delays.iter().all(|d| *d <= backoff.bound(n)), "try {n}");
            let distinct: std::collections::BTreeSet<_> = delays.iter().collect();
            assert!(
                distinct.len() > 100,
                "try {n}: the waits are drawn at random"
            );
        }
    }
}

//! A client-side rate limiter: calls wait their turn rather than reach the platform's limit
//! and come back `429`, which, persisted in, gets an Open API key banned (`418`) for minutes.

use std::collections::VecDeque;
use std::fmt;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

/// No more than `calls` requests in any window of `per`, shared by every clone.
///
/// Give one to an Open API key ([`OpenApiKey::with_limiter`](crate::OpenApiKey::with_limiter))
/// and every attempt signed with that key (retries included, as the platform counts them)
/// waits until it fits, in the order the calls asked. A call dropped while it waits keeps its
/// turn: the limiter errs on the side of sending less.
///
/// It counts over a sliding window, so a burst can never put more than `calls` requests in
/// any window of `per`, however the platform aligns its own windows.
#[derive(Clone)]
pub struct Limiter {
    inner: Arc<Inner>,
}

struct Inner {
    calls: usize,
    per: Duration,
    /// When each of the latest turns was (or will be) taken, oldest first.
    turns: Mutex<VecDeque<Instant>>,
}

impl Limiter {
    /// Calls an Open API key may make per minute, as upstream documents it (its "Open API"
    /// request rules): more are refused with `429`, and going on after that bans the key.
    pub const OPEN_API_KEY_CALLS_PER_MINUTE: u32 = 100;

    /// At most `calls` requests in any window of `per`.
    pub fn new(calls: NonZeroU32, per: Duration) -> Self {
        let calls = usize::try_from(calls.get()).unwrap_or(usize::MAX);
        Self {
            inner: Arc::new(Inner {
                calls,
                per,
                turns: Mutex::new(VecDeque::with_capacity(calls.min(1024))),
            }),
        }
    }

    /// Upstream's documented rate for one Open API key:
    /// [`OPEN_API_KEY_CALLS_PER_MINUTE`](Self::OPEN_API_KEY_CALLS_PER_MINUTE) a minute.
    pub fn open_api_key() -> Self {
        let calls = NonZeroU32::new(Self::OPEN_API_KEY_CALLS_PER_MINUTE).unwrap_or(NonZeroU32::MIN);
        Self::new(calls, Duration::from_secs(60))
    }

    /// Waits for the next turn and takes it.
    pub async fn until_ready(&self) {
        let turn = self.take_turn(Instant::now());
        tokio::time::sleep_until(turn).await;
    }

    /// Books the first turn at or after `now` that keeps every window of `per` within
    /// `calls`: the turn `calls` places back, plus `per`.
    fn take_turn(&self, now: Instant) -> Instant {
        let inner = &*self.inner;
        let mut turns = inner.turns.lock().unwrap_or_else(PoisonError::into_inner);
        // Turns out of every window that can still come are forgotten.
        while turns.front().is_some_and(|&taken| taken + inner.per <= now) {
            turns.pop_front();
        }
        let turn = match turns.len().checked_sub(inner.calls) {
            Some(back) => turns[back] + inner.per,
            None => now,
        }
        .max(now);
        turns.push_back(turn);
        turn
    }
}

impl fmt::Debug for Limiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Limiter")
            .field("calls", &self.inner.calls)
            .field("per", &self.inner.per)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(calls: u32, per_secs: u64) -> Limiter {
        Limiter::new(
            NonZeroU32::new(calls).unwrap(),
            Duration::from_secs(per_secs),
        )
    }

    /// Every window of `per` starting at a turn holds at most `calls` turns.
    fn assert_within(turns: &[Instant], calls: usize, per: Duration) {
        for (i, &start) in turns.iter().enumerate() {
            let in_window = turns[i..].iter().filter(|&&t| t < start + per).count();
            assert!(
                in_window <= calls,
                "{in_window} turns in the window from turn {i}"
            );
        }
    }

    // On paused time: the two minutes the burst takes pass at once, and the bound is on the
    // same clock.
    #[tokio::test(start_paused = true)]
    async fn a_burst_is_spread_to_the_documented_rate() {
        mm_sdk_test_support::bounded_for(Duration::from_secs(600), a_burst()).await;
    }

    async fn a_burst() {
        let limiter = Limiter::open_api_key();
        let start = Instant::now();
        let tasks: Vec<_> = (0..250)
            .map(|_| {
                let limiter = limiter.clone();
                tokio::spawn(async move {
                    limiter.until_ready().await;
                    Instant::now()
                })
            })
            .collect();
        let mut turns = Vec::new();
        for task in tasks {
            turns.push(task.await.unwrap());
        }
        turns.sort();
        assert_within(&turns, 100, Duration::from_secs(60));
        // Nothing waits longer than it must: 100 at once, the next 100 a minute later.
        assert_eq!(turns.iter().filter(|&&t| t == start).count(), 100);
        assert_eq!(turns[100], start + Duration::from_secs(60));
        assert_eq!(turns[249], start + Duration::from_secs(120));
    }

    #[test]
    fn turns_free_up_as_the_window_slides() {
        let limiter = limiter(2, 10);
        let t0 = Instant::now();
        let s = Duration::from_secs;
        assert_eq!(limiter.take_turn(t0), t0);
        assert_eq!(limiter.take_turn(t0 + s(4)), t0 + s(4));
        // The third waits until the first leaves the window, the fourth for the second.
        assert_eq!(limiter.take_turn(t0 + s(5)), t0 + s(10));
        assert_eq!(limiter.take_turn(t0 + s(5)), t0 + s(14));
        // Long after, a turn is free at once.
        assert_eq!(limiter.take_turn(t0 + s(60)), t0 + s(60));
        assert!(limiter.inner.turns.lock().unwrap().len() <= 2);
    }

    #[test]
    fn clones_share_their_turns_and_debug_shows_the_rate() {
        let limiter = limiter(1, 60);
        let clone = limiter.clone();
        let now = Instant::now();
        assert_eq!(limiter.take_turn(now), now);
        assert_eq!(clone.take_turn(now), now + Duration::from_secs(60));
        assert_eq!(format!("{limiter:?}"), "Limiter { calls: 1, per: 60s, .. }");
    }
}

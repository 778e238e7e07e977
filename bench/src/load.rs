//! Closed-loop load: `concurrency` tasks share one client and call in a loop, every latency
//! recorded. The SDK and the baseline run in alternating short slices, in alternating order,
//! so that a noisy machine disturbs both alike.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::task::JoinSet;

use crate::calls::{Call, Clients, Side};

/// How long to measure: `rounds` slices of `slice` for each side, after one warm-up slice each.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    /// Slices per side.
    pub rounds: u32,
    /// Length of one slice.
    pub slice: Duration,
}

/// Every latency of one side, and the time it spent calling.
#[derive(Debug, Default, Clone)]
pub struct Samples {
    latencies: Vec<Duration>,
    busy: Duration,
}

impl Samples {
    /// The `q`-quantile of the latencies (`q` in `0.0..=1.0`, nearest rank), or zero if none.
    pub fn quantile(&self, q: f64) -> Duration {
        let mut sorted = self.latencies.clone();
        sorted.sort_unstable();
        if sorted.is_empty() {
            return Duration::ZERO;
        }
        let rank = (q.clamp(0.0, 1.0) * sorted.len() as f64).ceil() as usize;
        sorted[rank.saturating_sub(1)]
    }

    /// Requests completed per second of calling.
    pub fn throughput(&self) -> f64 {
        self.latencies.len() as f64 / self.busy.as_secs_f64().max(f64::EPSILON)
    }

    /// Requests completed.
    pub fn requests(&self) -> usize {
        self.latencies.len()
    }

    fn extend(&mut self, other: Samples) {
        self.latencies.extend(other.latencies);
        self.busy += other.busy;
    }
}

/// Measures `call` at `concurrency` through both sides, interleaved; returns the baseline's
/// samples and the SDK's.
pub async fn compare(
    clients: &Arc<Clients>,
    call: Call,
    concurrency: usize,
    plan: Plan,
) -> Result<(Samples, Samples), String> {
    for side in Side::BOTH {
        run(clients, side, call, concurrency, plan.slice).await?;
    }
    let (mut baseline, mut sdk) = (Samples::default(), Samples::default());
    for round in 0..plan.rounds {
        for side in Side::in_turn(round) {
            let samples = run(clients, side, call, concurrency, plan.slice).await?;
            match side {
                Side::Baseline => baseline.extend(samples),
                Side::Sdk => sdk.extend(samples),
            }
        }
    }
    Ok((baseline, sdk))
}

/// `concurrency` tasks calling in a loop for `slice`.
async fn run(
    clients: &Arc<Clients>,
    side: Side,
    call: Call,
    concurrency: usize,
    slice: Duration,
) -> Result<Samples, String> {
    let start = Instant::now();
    let deadline = start + slice;
    let mut tasks = JoinSet::new();
    for _ in 0..concurrency {
        let clients = Arc::clone(clients);
        tasks.spawn(async move {
            let mut latencies = Vec::new();
            while Instant::now() < deadline {
                let sent = Instant::now();
                clients.call(side, call).await?;
                latencies.push(sent.elapsed());
            }
            Ok::<_, String>(latencies)
        });
    }
    let mut samples = Samples::default();
    while let Some(joined) = tasks.join_next().await {
        samples
            .latencies
            .extend(joined.map_err(|e| format!("a load task failed: {e}"))??);
    }
    samples.busy = start.elapsed();
    Ok(samples)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_nearest_rank() {
        let samples = Samples {
            latencies: (1..=100).rev().map(Duration::from_millis).collect(),
            busy: Duration::from_secs(2),
        };
        assert_eq!(samples.quantile(0.5), Duration::from_millis(50));
        assert_eq!(samples.quantile(0.99), Duration::from_millis(99));
        assert_eq!(samples.quantile(1.0), Duration::from_millis(100));
        assert_eq!(samples.quantile(0.0), Duration::from_millis(1));
        assert_eq!(samples.throughput(), 50.0);
        assert_eq!(Samples::default().quantile(0.5), Duration::ZERO);
    }
}

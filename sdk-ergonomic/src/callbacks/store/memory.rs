//! The store of one process: a map behind a lock.

use std::collections::HashMap;
use std::fmt;

use std::sync::{Mutex, MutexGuard, PoisonError};

use super::machine::{self, Now, Record, Step};
use super::{
    AdjustmentStore, Begin, Cancel, Claim, Fingerprint, Outcome, PruneSchedule, ReverseClaim,
    StoreError, StoreOptions, StoredAnswer, millis, now_ms,
};

/// An [`AdjustmentStore`] in this process's memory: for a single receiver, when losing the
/// entries on a restart is acceptable (the platform's repeats after a restart would be applied
/// again). Entries are pruned after the retention, so it stays bounded by the traffic of that
/// period.
pub struct MemoryStore {
    options: StoreOptions,
    entries: Mutex<HashMap<String, Record>>,
    pruning: PruneSchedule,
}

impl MemoryStore {
    /// An empty store.
    pub fn new(options: StoreOptions) -> Self {
        Self {
            options,
            entries: Mutex::new(HashMap::new()),
            pruning: PruneSchedule::new(),
        }
    }

    /// How many entries it holds.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The lock is only held by code that cannot panic halfway through an update, so a
    /// poisoned lock still guards a consistent map.
    fn lock(&self) -> MutexGuard<'_, HashMap<String, Record>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Decides and applies one event under the lock.
    fn step<T>(
        &self,
        key: &str,
        decide: impl FnOnce(Option<&Record>, Now) -> Result<Step<T>, StoreError>,
    ) -> Result<T, StoreError> {
        let now = Now {
            at: now_ms(),
            lease: millis(self.options.lease),
        };
        self.prune_if_due(now.at);
        let mut entries = self.lock();
        let step = decide(entries.get(key), now)?;
        if let Some(record) = step.write {
            // In place when the key is there: no new copy of the key.
            match entries.get_mut(key) {
                Some(entry) => *entry = record,
                None => {
                    entries.insert(key.to_owned(), record);
                }
            }
        }
        Ok(step.outcome)
    }

    fn prune_if_due(&self, now: i64) {
        if self.pruning.due(now, self.options.prune_every) {
            self.prune_now(now);
        }
    }

    fn prune_now(&self, now: i64) -> u64 {
        let cutoff = now.saturating_sub(millis(self.options.retention));
        let mut entries = self.lock();
        let before = entries.len();
        entries.retain(|_, record| !machine::prunable(record, cutoff, now));
        u64::try_from(before - entries.len()).unwrap_or(u64::MAX)
    }
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self::new(StoreOptions::default())
    }
}

impl fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryStore")
            .field("options", &self.options)
            .field("entries", &self.len())
            .finish()
    }
}

impl AdjustmentStore for MemoryStore {
    async fn begin(
        &self,
        request_unique_no: &str,
        fingerprint: &Fingerprint,
    ) -> Result<Begin, StoreError> {
        self.step(request_unique_no, |current, now| {
            machine::begin(request_unique_no, current, fingerprint, now)
        })
    }

    async fn finish(&self, claim: &Claim, outcome: Outcome) -> Result<(), StoreError> {
        self.step(claim.request_unique_no(), |current, now| {
            machine::finish(current, claim, outcome, now)
        })
    }

    async fn cancel(
        &self,
        reverse_request_unique_no: &str,
        cancel_request_unique_no: &str,
    ) -> Result<Cancel, StoreError> {
        self.step(reverse_request_unique_no, |current, now| {
            machine::cancel(
                reverse_request_unique_no,
                current,
                cancel_request_unique_no,
                now,
            )
        })
    }

    async fn finish_cancel(
        &self,
        claim: &ReverseClaim,
        answer: StoredAnswer,
    ) -> Result<(), StoreError> {
        self.step(claim.request_unique_no(), |current, now| {
            machine::finish_cancel(current, claim, answer, now)
        })
    }

    async fn prune(&self) -> Result<u64, StoreError> {
        let now = now_ms();
        self.pruning.pruned(now);
        Ok(self.prune_now(now))
    }
}

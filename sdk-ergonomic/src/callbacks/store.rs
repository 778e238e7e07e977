//! Money adjusted exactly once: what the receiver of the credit-limit webhooks remembers about
//! each adjustment, keyed by its `requestUniqueNo`.
//!
//! The platform sends an adjustment and expects an answer within 3 s; on a timeout or an error
//! it sends a cancel naming the adjustment (`reverseRequestUniqueNo`), and retries the cancel
//! until it is answered. So an adjustment may arrive twice, twice at once, or after its own
//! cancel. Around the code that moves the money, the receiver asks the store:
//!
//! ```no_run
//! # use mm_sdk::callbacks::store::*;
//! # async fn apply() -> StoredAnswer { StoredAnswer::new(r#"{"code":"0"}"#) }
//! # async fn reverse(_: bool) -> StoredAnswer { StoredAnswer::new(r#"{"code":"0"}"#) }
//! # async fn run(store: &impl AdjustmentStore, key: &str, body: &[u8], cancel_key: &str) -> Result<(), StoreError> {
//! // An adjustment.
//! match store.begin(key, &Fingerprint::of(body)).await? {
//!     Begin::Claimed(claim) => {
//!         let answer = apply().await; // move the money, once
//!         store.finish(&claim, Outcome::Applied(answer)).await?;
//!     }
//!     Begin::Answered(answer) => { /* send `answer` again; move nothing */ }
//!     Begin::InProgress => { /* another request is applying it: answer a failure */ }
//!     Begin::Cancelled => { /* its cancel came first: refuse, move nothing */ }
//!     _ => {}
//! }
//! // Its cancel.
//! match store.cancel(key, cancel_key).await? {
//!     Cancel::Reverse(claim) => {
//!         let answer = reverse(true).await; // give the money back, once
//!         store.finish_cancel(&claim, answer).await?;
//!     }
//!     Cancel::ReverseIfApplied(claim) => {
//!         let answer = reverse(false).await; // only what your ledger shows applied
//!         store.finish_cancel(&claim, answer).await?;
//!     }
//!     Cancel::Answered(answer) => { /* send `answer` again */ }
//!     Cancel::NotApplied => { /* received, not applied: the docs' US_0000001 */ }
//!     Cancel::NeverArrived => { /* never received (now refused): the docs' US_0000002 */ }
//!     Cancel::InProgress => { /* answer a failure: the platform retries the cancel */ }
//!     _ => {}
//! }
//! # Ok(()) }
//! ```
//!
//! Each outcome is decided and recorded atomically, and durably with `SqlStore`: two
//! requests racing on one key, in one process or in several receivers sharing a database,
//! never both get a claim.
//!
//! **A claim has a lease** ([`StoreOptions::lease`], 30 s by default). A claim never finished
//! (the process died while applying) would otherwise block its key for ever: once its lease
//! has run out, a repeat of the adjustment claims it again ([`Claim::is_retry`]), and a cancel
//! takes it over to reverse ([`Cancel::ReverseIfApplied`]). That is the at-least-once edge: the
//! first process may have moved the money before it died, or may still be running when its
//! lease ends. The store cannot know; the code that moves the money can, if it is itself
//! idempotent by `requestUniqueNo` (a unique key in your ledger), so make it so where you can,
//! and give the lease a comfortable margin over the time an adjustment takes. A late
//! [`finish`](AdjustmentStore::finish) of a claim that was taken over fails with
//! [`StoreError::ClaimLost`].
//!
//! **The states of an adjustment**, and what each call answers in each (a lease is "on" until
//! it runs out; "holder": the claim given to the caller):
//!
//! | state | `begin` | `finish` (holder) | `cancel` | `finish_cancel` (holder) |
//! |---|---|---|---|---|
//! | none | → Applying: `Claimed` | `ClaimLost` | → Tombstone: `NeverArrived` | `ClaimLost` |
//! | Applying, lease on | `InProgress` | → Applied or NotApplied | `InProgress` | `ClaimLost` |
//! | Applying, lease out | new holder: `Claimed`, a retry | as above | → Reversing: `ReverseIfApplied` | `ClaimLost` |
//! | Applied | `Answered` | done (same outcome) | → Reversing: `Reverse` | `ClaimLost` |
//! | NotApplied | `Answered` | done (same outcome) | `NotApplied` | `ClaimLost` |
//! | Tombstone | `Cancelled` | `ClaimLost` | `NeverArrived` | `ClaimLost` |
//! | Reversing, lease on | `Cancelled` | done if it was Applied, else `ClaimLost` | `InProgress` | → Reversed |
//! | Reversing, lease out | `Cancelled` | as above | new holder: as from Applied or Applying, a retry | → Reversed |
//! | Reversed | `Cancelled` | as above | `Answered` | done |
//!
//! `begin` with another fingerprint than the entry's is `Conflict`, in every state but
//! Tombstone (which has none). A claim whose holder was replaced gets `ClaimLost`.
//!
//! Entries are kept for [`StoreOptions::retention`] (7 days by default) after their last
//! change, then pruned: an adjustment arriving later than that after its cancel would be
//! applied.

mod machine;
mod memory;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod sql;

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::millis;

use bytes::Bytes;

pub use memory::MemoryStore;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub use sql::{SCHEMA, SqlStore};
/// The `sqlx` that [`SqlStore`] is built on, to make the pools it takes.
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub use sqlx;

/// Where the receiver records each adjustment and its cancel: [`MemoryStore`] for one
/// process, `SqlStore` (features `sqlite`, `postgres`) to survive restarts or to share
/// among receivers.
///
/// A store of your own implements each method as a plain `async fn` (its future must be
/// `Send`), and must keep the contract of the module docs: each outcome decided and recorded
/// atomically. The receiver holds it behind a pointer of its own, so the store can still be
/// chosen by configuration when the receiver is built. All `now`s are this machine's clock:
/// receivers sharing a database should keep their clocks within a small part of the lease.
pub trait AdjustmentStore: Send + Sync + fmt::Debug + 'static {
    /// An adjustment arrived: claims it to apply, or says why not. See [`Begin`].
    ///
    /// `fingerprint` identifies its body: the same key with another fingerprint is
    /// [`StoreError::Conflict`].
    fn begin(
        &self,
        request_unique_no: &str,
        fingerprint: &Fingerprint,
    ) -> impl Future<Output = Result<Begin, StoreError>> + Send;

    /// Records how a claimed adjustment ended and the answer given, for its repeats.
    ///
    /// Finishing again with the same outcome is a no-op, so a `finish` that failed on a
    /// broken connection can be retried. [`StoreError::ClaimLost`] if the claim's lease ran
    /// out and another request took it over.
    fn finish(
        &self,
        claim: &Claim,
        outcome: Outcome,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// A cancel of adjustment `reverse_request_unique_no` arrived (its own key is
    /// `cancel_request_unique_no`, kept for reference): claims the reversal, or says why not.
    /// See [`Cancel`]. There is one reversal per adjustment, whatever the cancel's own key.
    fn cancel(
        &self,
        reverse_request_unique_no: &str,
        cancel_request_unique_no: &str,
    ) -> impl Future<Output = Result<Cancel, StoreError>> + Send;

    /// Records the answer to a claimed reversal, given again to every later cancel.
    /// Idempotent like [`finish`](Self::finish).
    fn finish_cancel(
        &self,
        claim: &ReverseClaim,
        answer: StoredAnswer,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Removes the entries unchanged for longer than the retention; returns how many. The
    /// stores also do it by themselves, at most once per [`StoreOptions::prune_every`].
    fn prune(&self) -> impl Future<Output = Result<u64, StoreError>> + Send;
}

/// What to do with an adjustment, from [`AdjustmentStore::begin`].
#[derive(Debug)]
#[must_use]
#[non_exhaustive]
pub enum Begin {
    /// Yours to apply: apply it, then [`finish`](AdjustmentStore::finish) the claim.
    Claimed(Claim),
    /// Already answered: give this answer again, and apply nothing.
    Answered(StoredAnswer),
    /// Another request holds the claim and is applying it now: apply nothing, answer a
    /// failure (or wait a little and ask again).
    InProgress,
    /// Its cancel arrived first: refuse it, and never apply it.
    Cancelled,
}

/// What to do with a cancel, from [`AdjustmentStore::cancel`].
#[derive(Debug)]
#[must_use]
#[non_exhaustive]
pub enum Cancel {
    /// The adjustment was applied: reverse it, then
    /// [`finish_cancel`](AdjustmentStore::finish_cancel) the claim.
    Reverse(ReverseClaim),
    /// The claim to apply the adjustment ran out unfinished: it may or may not have been
    /// applied. Reverse it only if your ledger shows it applied, then `finish_cancel`. It will
    /// never be applied from now on.
    ReverseIfApplied(ReverseClaim),
    /// Already reversed (or found not applied) by an earlier cancel: give this answer again.
    Answered(StoredAnswer),
    /// The adjustment was received and answered without being applied: nothing to reverse
    /// (the docs' answer: `US_0000001`).
    NotApplied,
    /// The adjustment never arrived. It is now refused should it come later, so nothing will
    /// ever need reversing (the docs' answer: `US_0000002`).
    NeverArrived,
    /// The adjustment is being applied, or reversed, by another request right now: answer a
    /// failure, and the platform will send the cancel again.
    InProgress,
}

/// How a claimed adjustment ended, with the answer given to the platform (its shape is the
/// receiver's business), for [`AdjustmentStore::finish`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Outcome {
    /// The money moved.
    Applied(StoredAnswer),
    /// Nothing moved (refused, or failed before anything was done); a cancel has nothing to
    /// reverse.
    NotApplied(StoredAnswer),
}

/// An answer as it was first sent: its JSON body, kept by the store and sent again to every
/// repeat. The store keeps the bytes as given (their shape is the receiver's business); a
/// clone shares them.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredAnswer(Bytes);

impl StoredAnswer {
    /// The answer's JSON body.
    pub fn new(json: impl Into<Bytes>) -> Self {
        Self(json.into())
    }

    /// The JSON body, as given.
    pub fn as_bytes(&self) -> &Bytes {
        &self.0
    }
}

impl fmt::Debug for StoredAnswer {
    /// The text: an answer holds codes and messages, no secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("StoredAnswer")
            .field(&String::from_utf8_lossy(&self.0))
            .finish()
    }
}

/// The right to apply one adjustment, from [`Begin::Claimed`]: held until its lease runs out.
#[derive(Debug)]
pub struct Claim {
    request_unique_no: String,
    token: machine::Token,
    retry: bool,
}

impl Claim {
    /// The adjustment's `requestUniqueNo`.
    pub fn request_unique_no(&self) -> &str {
        &self.request_unique_no
    }

    /// An earlier claim of the same adjustment ran out unfinished: it may have applied it
    /// already. Check your ledger before applying.
    pub fn is_retry(&self) -> bool {
        self.retry
    }
}

/// The right to reverse one adjustment, from [`Cancel::Reverse`] or
/// [`Cancel::ReverseIfApplied`]: held until its lease runs out.
#[derive(Debug)]
pub struct ReverseClaim {
    request_unique_no: String,
    token: machine::Token,
    retry: bool,
}

impl ReverseClaim {
    /// The `requestUniqueNo` of the adjustment to reverse.
    pub fn request_unique_no(&self) -> &str {
        &self.request_unique_no
    }

    /// An earlier reversal ran out unfinished: it may have reversed it already. Check your
    /// ledger before reversing.
    pub fn is_retry(&self) -> bool {
        self.retry
    }
}

/// What identifies an adjustment's content, to tell a repeat from a different request reusing
/// its key. Build it from the fields that say what money moves (user, currency, amount,
/// operation, order), or from the whole body with [`Fingerprint::of`] when the platform
/// repeats bodies byte for byte.
///
/// Shared text: the store keeps it with each entry, and copying it costs a count, not a string.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fingerprint(Arc<str>);

impl Fingerprint {
    /// A fingerprint of your own making (a digest, say; the store keeps and compares it).
    pub fn new(fingerprint: impl Into<String>) -> Self {
        Self(fingerprint.into().into())
    }

    /// A fingerprint of `bytes`: their MD5 digest in hex. Collisions do not matter here: a
    /// request mistaken for a repeat gets the first answer again and moves no money.
    pub fn of(bytes: &[u8]) -> Self {
        use md5::{Digest, Md5};
        let digest = Md5::digest(bytes);
        // Written on the stack, then shared: one allocation. (The 16 bytes always fit.)
        let mut hex = [0_u8; 32];
        match hex::encode_to_slice(digest, &mut hex) {
            Ok(()) => Self(String::from_utf8_lossy(&hex).into()),
            Err(_) => Self::new(hex::encode(digest)),
        }
    }

    /// The fingerprint as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Timing of a store: leases, retention, pruning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreOptions {
    lease: Duration,
    retention: Duration,
    prune_every: Duration,
}

impl Default for StoreOptions {
    /// A 30 s lease, 7 days' retention, pruned at most every 10 minutes.
    fn default() -> Self {
        Self {
            lease: Duration::from_secs(30),
            retention: Duration::from_secs(7 * 24 * 60 * 60),
            prune_every: Duration::from_secs(10 * 60),
        }
    }
}

impl StoreOptions {
    /// How long a claim is held before a repeat or a cancel may take it over (default 30 s):
    /// well above the time applying or reversing takes.
    pub fn lease(mut self, lease: Duration) -> Self {
        self.lease = lease;
        self
    }

    /// How long an entry is kept after its last change (default 7 days): longer than the
    /// platform goes on repeating an adjustment or its cancel.
    pub fn retention(mut self, retention: Duration) -> Self {
        self.retention = retention;
        self
    }

    /// How often, at most, a store prunes by itself while in use (default 10 minutes).
    pub fn prune_every(mut self, every: Duration) -> Self {
        self.prune_every = every;
        self
    }
}

/// Why a store could not answer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The key was first seen with another fingerprint: a different request reusing a
    /// `requestUniqueNo`. Refuse it; apply nothing.
    #[error("requestUniqueNo {request_unique_no:?} was first used for a different request")]
    Conflict {
        /// The reused key.
        request_unique_no: String,
    },
    /// The claim is no longer the caller's: its lease ran out and another request took it
    /// over (or the entry was pruned). Its outcome was not recorded.
    #[error("the claim on requestUniqueNo {request_unique_no:?} was taken over or is gone")]
    ClaimLost {
        /// The claimed key.
        request_unique_no: String,
    },
    /// Other requests kept changing the entry while this one tried to: try again later.
    #[error("requestUniqueNo {request_unique_no:?} is changing too fast to update")]
    Contended {
        /// The key.
        request_unique_no: String,
    },
    /// An entry in the database is not one this store wrote.
    #[error("the stored entry for requestUniqueNo {request_unique_no:?} is unreadable: {reason}")]
    Corrupt {
        /// The key.
        request_unique_no: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The database failed (connection, I/O, schema).
    #[error("the adjustment store's database failed")]
    Database(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// This machine's clock, in milliseconds since the Unix epoch (the stores' time).
fn now_ms() -> i64 {
    super::unix_millis(SystemTime::now())
}

/// When a store last pruned itself: of the events that find a period gone by, one prunes.
#[derive(Debug)]
struct PruneSchedule(std::sync::atomic::AtomicI64);

impl PruneSchedule {
    /// Starting now.
    fn new() -> Self {
        Self(std::sync::atomic::AtomicI64::new(now_ms()))
    }

    /// Whether the caller should prune at `now`, `every` after the last time: true for one
    /// caller only.
    fn due(&self, now: i64, every: Duration) -> bool {
        use std::sync::atomic::Ordering;
        let last = self.0.load(Ordering::Relaxed);
        now.saturating_sub(last) >= millis(every)
            && self
                .0
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
    }

    /// A prune asked for at `now`: the next is due a period later.
    fn pruned(&self, now: i64) {
        self.0.store(now, std::sync::atomic::Ordering::Relaxed);
    }
}

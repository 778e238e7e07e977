//! The contract of an adjustment store (`mm_sdk::callbacks::store`), one suite run against
//! every store: in memory, SQLite (feature `sqlite`, a temporary file) and PostgreSQL (feature
//! `postgres`, the database named by `MM_TEST_POSTGRES_URL`, which `scripts/postgres.sh`
//! starts; each test in a schema of its own). Without that variable the PostgreSQL cases say
//! they were skipped, except under CI, where they fail.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures::future::BoxFuture;
use mm_sdk::callbacks::store::{
    AdjustmentStore, Begin, Cancel, Fingerprint, MemoryStore, Outcome, StoreError, StoreOptions,
    StoredAnswer,
};
use serde_json::json;

use crate::common::bounded;

/// A fresh, empty store for one test; a second store on the same data, as a second receiver
/// behind a load balancer would have (the same store, in memory); and whatever must go when
/// the test ends.
struct Harness<S> {
    store: Arc<S>,
    peer: Arc<S>,
    _cleanup: Option<Box<dyn Send>>,
}

impl<S> Harness<S> {
    /// The store of the `i`th of several concurrent requests: both receivers, in turn.
    fn receiver(&self, i: usize) -> Arc<S> {
        if i.is_multiple_of(2) {
            self.store.clone()
        } else {
            self.peer.clone()
        }
    }
}

/// Opens a [`Harness`] with these options; `None` when the store cannot run here.
type Open<S> = fn(StoreOptions) -> BoxFuture<'static, Option<Harness<S>>>;

/// Options for tests: a lease no test outlives unless it means to.
fn options() -> StoreOptions {
    StoreOptions::default().lease(Duration::from_secs(30))
}

fn fingerprint(amount: &str) -> Fingerprint {
    Fingerprint::of(
        json!({"userName": "86000001", "currency": "USDT", "amount": amount})
            .to_string()
            .as_bytes(),
    )
}

fn key() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

fn answer(code: &str) -> StoredAnswer {
    StoredAnswer::new(
        json!({"code": code, "ok": code == "0", "msg": "answer", "data": {}}).to_string(),
    )
}

/// The cases, each taking the store to run against.
mod cases {
    use super::*;

    pub async fn first_claim<S: AdjustmentStore>(open: Open<S>) {
        let Some(h) = open(options()).await else {
            return;
        };
        let key = key();
        match h.store.begin(&key, &fingerprint("10")).await.unwrap() {
            Begin::Claimed(claim) => {
                assert_eq!(claim.request_unique_no(), key);
                assert!(!claim.is_retry());
            }
            other => panic!("{other:?}"),
        }
    }

    pub async fn repeat_after_finish_returns_the_first_answer<S: AdjustmentStore>(open: Open<S>) {
        let Some(h) = open(options()).await else {
            return;
        };
        let (key, fp) = (key(), fingerprint("10"));
        let Begin::Claimed(claim) = h.store.begin(&key, &fp).await.unwrap() else {
            panic!("no claim")
        };
        h.store
            .finish(&claim, Outcome::Applied(answer("0")))
            .await
            .unwrap();
        // A `finish` retried after a lost acknowledgement changes nothing.
        h.store
            .finish(&claim, Outcome::Applied(answer("0")))
            .await
            .unwrap();
        for _ in 0..3 {
            match h.store.begin(&key, &fp).await.unwrap() {
                Begin::Answered(given) => assert_eq!(given, answer("0")),
                other => panic!("{other:?}"),
            }
        }
    }

    pub async fn concurrent_duplicates_claim_once<S: AdjustmentStore>(open: Open<S>) {
        let Some(h) = open(options()).await else {
            return;
        };
        let (key, fp) = (key(), fingerprint("10"));
        let claims = Arc::new(AtomicUsize::new(0));
        let busy = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..1_000)
            .map(|i| {
                let (store, key, fp) = (h.receiver(i), key.clone(), fp.clone());
                let (claims, busy) = (claims.clone(), busy.clone());
                tokio::spawn(async move {
                    match store.begin(&key, &fp).await.unwrap() {
                        Begin::Claimed(_) => claims.fetch_add(1, Ordering::SeqCst),
                        Begin::InProgress => busy.fetch_add(1, Ordering::SeqCst),
                        other => panic!("{other:?}"),
                    };
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(claims.load(Ordering::SeqCst), 1);
        assert_eq!(busy.load(Ordering::SeqCst), 999);
    }

    pub async fn cancel_before_adjustment_refuses_it<S: AdjustmentStore>(open: Open<S>) {
        let Some(h) = open(options()).await else {
            return;
        };
        let key = key();
        for _ in 0..2 {
            assert!(matches!(
                h.store.cancel(&key, "cancel-1").await.unwrap(),
                Cancel::NeverArrived
            ));
        }
        for _ in 0..2 {
            assert!(matches!(
                h.store.begin(&key, &fingerprint("10")).await.unwrap(),
                Begin::Cancelled
            ));
        }
        assert!(matches!(
            h.store.cancel(&key, "cancel-2").await.unwrap(),
            Cancel::NeverArrived
        ));
    }

    pub async fn cancel_after_applied_reverses_once<S: AdjustmentStore>(open: Open<S>) {
        let Some(h) = open(options()).await else {
            return;
        };
        let (key, fp) = (key(), fingerprint("10"));
        let Begin::Claimed(claim) = h.store.begin(&key, &fp).await.unwrap() else {
            panic!("no claim")
        };
        h.store
            .finish(&claim, Outcome::Applied(answer("0")))
            .await
            .unwrap();
        let reversals = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..100)
            .map(|i| {
                let (store, key, reversals) = (h.receiver(i), key.clone(), reversals.clone());
                tokio::spawn(async move {
                    match store.cancel(&key, &format!("cancel-{i}")).await.unwrap() {
                        Cancel::Reverse(claim) => {
                            reversals.fetch_add(1, Ordering::SeqCst);
                            Some(claim)
                        }
                        Cancel::InProgress => None,
                        other => panic!("{other:?}"),
                    }
                })
            })
            .collect();
        let mut claims = Vec::new();
        for task in tasks {
            claims.extend(task.await.unwrap());
        }
        assert_eq!(reversals.load(Ordering::SeqCst), 1);
        let reverse = claims.pop().unwrap();
        assert_eq!(reverse.request_unique_no(), key);
        assert!(!reverse.is_retry());
        h.store.finish_cancel(&reverse, answer("0")).await.unwrap();
        // The adjustment is never applied again, and its first finish stays recorded.
        assert!(matches!(
            h.store.begin(&key, &fp).await.unwrap(),
            Begin::Cancelled
        ));
        h.store
            .finish(&claim, Outcome::Applied(answer("0")))
            .await
            .unwrap();
    }

    pub async fn repeated_cancel_returns_the_recorded_answer<S: AdjustmentStore>(open: Open<S>) {
        let Some(h) = open(options()).await else {
            return;
        };
        let (key, fp) = (key(), fingerprint("10"));
        let Begin::Claimed(claim) = h.store.begin(&key, &fp).await.unwrap() else {
            panic!("no claim")
        };
        h.store
            .finish(&claim, Outcome::Applied(answer("0")))
            .await
            .unwrap();
        let Cancel::Reverse(reverse) = h.store.cancel(&key, "cancel-1").await.unwrap() else {
            panic!("no reverse claim")
        };
        // While it is being reversed, another cancel waits.
        assert!(matches!(
            h.store.cancel(&key, "cancel-1").await.unwrap(),
            Cancel::InProgress
        ));
        let reversed = StoredAnswer::new(r#"{"code":"0","reversed":true}"#);
        h.store
            .finish_cancel(&reverse, reversed.clone())
            .await
            .unwrap();
        h.store
            .finish_cancel(&reverse, reversed.clone())
            .await
            .unwrap();
        for cancel_key in ["cancel-1", "cancel-2"] {
            match h.store.cancel(&key, cancel_key).await.unwrap() {
                Cancel::Answered(given) => assert_eq!(given, reversed),
                other => panic!("{other:?}"),
            }
        }
    }

    pub async fn cancel_of_a_failed_adjustment_reverses_nothing<S: AdjustmentStore>(open: Open<S>) {
        let Some(h) = open(options()).await else {
            return;
        };
        let (key, fp) = (key(), fingerprint("10"));
        let Begin::Claimed(claim) = h.store.begin(&key, &fp).await.unwrap() else {
            panic!("no claim")
        };
        let refused = answer("INSUFFICIENT_CREDIT");
        h.store
            .finish(&claim, Outcome::NotApplied(refused.clone()))
            .await
            .unwrap();
        for _ in 0..2 {
            assert!(matches!(
                h.store.cancel(&key, "cancel-1").await.unwrap(),
                Cancel::NotApplied
            ));
        }
        match h.store.begin(&key, &fp).await.unwrap() {
            Begin::Answered(given) => assert_eq!(given, refused),
            other => panic!("{other:?}"),
        }
        // A claim finished one way cannot be finished the other.
        assert!(matches!(
            h.store.finish(&claim, Outcome::Applied(answer("0"))).await,
            Err(StoreError::ClaimLost { .. })
        ));
    }

    pub async fn same_key_with_another_body_conflicts<S: AdjustmentStore>(open: Open<S>) {
        let Some(h) = open(options()).await else {
            return;
        };
        let key = key();
        let Begin::Claimed(claim) = h.store.begin(&key, &fingerprint("10")).await.unwrap() else {
            panic!("no claim")
        };
        let conflict = h.store.begin(&key, &fingerprint("11")).await.unwrap_err();
        assert!(
            matches!(&conflict, StoreError::Conflict { request_unique_no } if *request_unique_no == key),
            "{conflict:?}"
        );
        h.store
            .finish(&claim, Outcome::Applied(answer("0")))
            .await
            .unwrap();
        assert!(matches!(
            h.store.begin(&key, &fingerprint("11")).await,
            Err(StoreError::Conflict { .. })
        ));
    }

    pub async fn an_expired_lease_can_be_claimed_again<S: AdjustmentStore>(open: Open<S>) {
        let lease = Duration::from_millis(400);
        let Some(h) = open(options().lease(lease)).await else {
            return;
        };
        let (key, fp) = (key(), fingerprint("10"));
        let Begin::Claimed(first) = h.store.begin(&key, &fp).await.unwrap() else {
            panic!("no claim")
        };
        assert!(matches!(
            h.store.begin(&key, &fp).await.unwrap(),
            Begin::InProgress
        ));
        assert!(matches!(
            h.store.cancel(&key, "cancel-1").await.unwrap(),
            Cancel::InProgress
        ));
        tokio::time::sleep(lease + Duration::from_millis(200)).await;
        let Begin::Claimed(second) = h.store.begin(&key, &fp).await.unwrap() else {
            panic!("no second claim")
        };
        assert!(second.is_retry());
        // The first holder's late finish is refused; the second's is recorded.
        assert!(matches!(
            h.store.finish(&first, Outcome::Applied(answer("0"))).await,
            Err(StoreError::ClaimLost { .. })
        ));
        h.store
            .finish(&second, Outcome::Applied(answer("0")))
            .await
            .unwrap();
        assert!(matches!(
            h.store.begin(&key, &fp).await.unwrap(),
            Begin::Answered(_)
        ));
    }

    pub async fn a_cancel_takes_over_an_expired_claim<S: AdjustmentStore>(open: Open<S>) {
        let lease = Duration::from_millis(400);
        let Some(h) = open(options().lease(lease)).await else {
            return;
        };
        let (key, fp) = (key(), fingerprint("10"));
        let Begin::Claimed(first) = h.store.begin(&key, &fp).await.unwrap() else {
            panic!("no claim")
        };
        tokio::time::sleep(lease + Duration::from_millis(200)).await;
        let Cancel::ReverseIfApplied(reverse) = h.store.cancel(&key, "cancel-1").await.unwrap()
        else {
            panic!("no reverse-if-applied claim")
        };
        // From now on the adjustment is refused, and its first holder cannot record it.
        assert!(matches!(
            h.store.begin(&key, &fp).await.unwrap(),
            Begin::Cancelled
        ));
        assert!(matches!(
            h.store.finish(&first, Outcome::Applied(answer("0"))).await,
            Err(StoreError::ClaimLost { .. })
        ));
        // An unfinished reversal is taken over in turn.
        tokio::time::sleep(lease + Duration::from_millis(200)).await;
        let Cancel::ReverseIfApplied(again) = h.store.cancel(&key, "cancel-1").await.unwrap()
        else {
            panic!("no second reverse claim")
        };
        assert!(again.is_retry());
        assert!(matches!(
            h.store.finish_cancel(&reverse, answer("0")).await,
            Err(StoreError::ClaimLost { .. })
        ));
        h.store.finish_cancel(&again, answer("0")).await.unwrap();
    }

    pub async fn old_entries_are_pruned<S: AdjustmentStore>(open: Open<S>) {
        let retention = Duration::from_millis(300);
        let options = options()
            .retention(retention)
            .prune_every(Duration::from_secs(3600));
        let Some(h) = open(options).await else { return };
        let (done, live, fp) = (key(), key(), fingerprint("10"));
        let Begin::Claimed(claim) = h.store.begin(&done, &fp).await.unwrap() else {
            panic!("no claim")
        };
        h.store
            .finish(&claim, Outcome::Applied(answer("0")))
            .await
            .unwrap();
        let Begin::Claimed(_held) = h.store.begin(&live, &fp).await.unwrap() else {
            panic!("no claim")
        };
        tokio::time::sleep(retention + Duration::from_millis(200)).await;
        // The finished entry goes; the claim whose lease still runs stays.
        assert_eq!(h.store.prune().await.unwrap(), 1);
        assert!(matches!(
            h.store.begin(&done, &fp).await.unwrap(),
            Begin::Claimed(claim) if !claim.is_retry()
        ));
        assert!(matches!(
            h.store.begin(&live, &fp).await.unwrap(),
            Begin::InProgress
        ));
    }

    pub async fn pruning_runs_by_itself<S: AdjustmentStore>(open: Open<S>) {
        let retention = Duration::from_millis(300);
        let options = options().retention(retention).prune_every(Duration::ZERO);
        let Some(h) = open(options).await else { return };
        let key = key();
        assert!(matches!(
            h.store.cancel(&key, "cancel-1").await.unwrap(),
            Cancel::NeverArrived
        ));
        tokio::time::sleep(retention + Duration::from_millis(200)).await;
        // The tombstone is gone: past the retention, a late adjustment is applied.
        assert!(matches!(
            h.store.begin(&key, &fingerprint("10")).await.unwrap(),
            Begin::Claimed(_)
        ));
        assert_eq!(h.store.prune().await.unwrap(), 0);
    }
}

/// One test per case for a store, under a module named after it.
macro_rules! contract {
    ($store:ident, $open:expr) => {
        mod $store {
            use super::*;

            contract!(@cases $open;
                first_claim,
                repeat_after_finish_returns_the_first_answer,
                concurrent_duplicates_claim_once,
                cancel_before_adjustment_refuses_it,
                cancel_after_applied_reverses_once,
                repeated_cancel_returns_the_recorded_answer,
                cancel_of_a_failed_adjustment_reverses_nothing,
                same_key_with_another_body_conflicts,
                an_expired_lease_can_be_claimed_again,
                a_cancel_takes_over_an_expired_claim,
                old_entries_are_pruned,
                pruning_runs_by_itself,
            );
        }
    };
    (@cases $open:expr; $($case:ident,)*) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                bounded(cases::$case($open)).await;
            }
        )*
    };
}

fn open_memory(options: StoreOptions) -> BoxFuture<'static, Option<Harness<MemoryStore>>> {
    Box::pin(async move {
        let store = Arc::new(MemoryStore::new(options));
        Some(Harness {
            peer: store.clone(),
            store,
            _cleanup: None,
        })
    })
}

contract!(memory, open_memory);

#[cfg(feature = "sqlite")]
mod sqlite_store {
    use super::*;
    use mm_sdk::callbacks::store::SqlStore;

    /// Removes a database file and its WAL companions.
    struct TempDatabase(std::path::PathBuf);

    impl Drop for TempDatabase {
        fn drop(&mut self) {
            for suffix in ["", "-wal", "-shm"] {
                let mut path = self.0.clone().into_os_string();
                path.push(suffix);
                let _ = std::fs::remove_file(path);
            }
        }
    }

    pub fn open(options: StoreOptions) -> BoxFuture<'static, Option<Harness<SqlStore>>> {
        Box::pin(async move {
            let path = std::env::temp_dir().join(format!("mm-sdk-store-{}.db", key()));
            let cleanup = TempDatabase(path.clone());
            let url = format!("sqlite://{}", path.display());
            let store = SqlStore::connect(&url, options).await.unwrap();
            let peer = SqlStore::connect(&url, options).await.unwrap();
            store.migrate().await.unwrap();
            // Idempotent.
            peer.migrate().await.unwrap();
            Some(Harness {
                store: Arc::new(store),
                peer: Arc::new(peer),
                _cleanup: Some(Box::new(cleanup)),
            })
        })
    }

    /// An entry this store did not write (a claim token that is not 32 hex digits, an answer
    /// that is not JSON) is refused as `Corrupt`, naming the key and the fault; nothing is
    /// claimed over it.
    #[tokio::test]
    async fn an_entry_it_did_not_write_is_corrupt() {
        bounded(async {
            let path = std::env::temp_dir().join(format!("mm-sdk-store-{}.db", key()));
            let _cleanup = TempDatabase(path.clone());
            let url = format!("sqlite://{}", path.display());
            let pool =
                mm_sdk::callbacks::store::sqlx::SqlitePool::connect(&format!("{url}?mode=rwc"))
                    .await
                    .unwrap();
            let store = SqlStore::sqlite(pool.clone(), options());
            store.migrate().await.unwrap();
            for (column, value, fault) in [
                ("token", "not-a-token", "a claim token is not 32 hex digits"),
                ("answer", "{broken", "an answer is not JSON"),
            ] {
                let key = key();
                let claimed = store.begin(&key, &fingerprint("125.50")).await.unwrap();
                assert!(matches!(claimed, Begin::Claimed(_)), "{claimed:?}");
                let tamper = format!(
                    "UPDATE mm_sdk_adjustments SET {column} = ?1, state = 'applied' \
                     WHERE request_unique_no = ?2"
                );
                mm_sdk::callbacks::store::sqlx::query(&tamper)
                    .bind(value)
                    .bind(&key)
                    .execute(&pool)
                    .await
                    .unwrap();
                match store.begin(&key, &fingerprint("125.50")).await {
                    Err(StoreError::Corrupt {
                        request_unique_no,
                        reason,
                    }) => {
                        assert_eq!(request_unique_no, key);
                        assert!(reason.starts_with(fault), "{reason}");
                    }
                    other => panic!("{column}: expected Corrupt, got {other:?}"),
                }
            }
        })
        .await;
    }
}

#[cfg(feature = "sqlite")]
contract!(sqlite, sqlite_store::open);

#[cfg(feature = "postgres")]
mod postgres_store {
    use super::*;
    use mm_sdk::callbacks::store::{SqlStore, sqlx};
    use std::str::FromStr;

    /// The database to test against, or why there is none.
    fn url() -> Option<String> {
        match std::env::var("MM_TEST_POSTGRES_URL") {
            Ok(url) if !url.is_empty() => Some(url),
            _ if std::env::var_os("CI").is_some() => {
                panic!("MM_TEST_POSTGRES_URL is not set: start a database with scripts/postgres.sh")
            }
            _ => {
                eprintln!("PostgreSQL store test skipped: MM_TEST_POSTGRES_URL is not set");
                None
            }
        }
    }

    pub fn open(options: StoreOptions) -> BoxFuture<'static, Option<Harness<SqlStore>>> {
        Box::pin(async move {
            let url = url()?;
            // A schema per test: tests run at once, and pruning empties a whole table.
            let schema = format!("mm_sdk_test_{}", key());
            let admin = sqlx::PgPool::connect(&url).await.unwrap();
            sqlx::query(&format!("CREATE SCHEMA {schema}"))
                .execute(&admin)
                .await
                .unwrap();
            admin.close().await;
            let connect = sqlx::postgres::PgConnectOptions::from_str(&url)
                .unwrap()
                .options([("search_path", schema.as_str())]);
            let receiver = || async {
                let pool = sqlx::postgres::PgPoolOptions::new()
                    .max_connections(4)
                    .connect_with(connect.clone())
                    .await
                    .unwrap();
                let store = SqlStore::postgres(pool, options);
                store.migrate().await.unwrap();
                store
            };
            // Both receivers start, and create the table, at once.
            let (store, peer) = futures::join!(receiver(), receiver());
            Some(Harness {
                store: Arc::new(store),
                peer: Arc::new(peer),
                _cleanup: None,
            })
        })
    }
}

#[cfg(feature = "postgres")]
contract!(postgres, postgres_store::open);

#[test]
fn stores_are_shareable() {
    fn shareable<T: AdjustmentStore + Send + Sync + 'static>() {}
    shareable::<MemoryStore>();
    let store = MemoryStore::default();
    assert!(format!("{store:?}").contains("entries: 0"));
}

//! Several receiver processes (`src/main.rs`) sharing one PostgreSQL, as behind a load
//! balancer: the platform's duplicates of each adjustment and of each cancel are spread over
//! them all at once, and each adjustment moves money once and is reversed once; then a
//! receiver is killed (`SIGKILL`) while it holds an adjustment, at a failpoint between the
//! claim and the record of its outcome, and the platform's repeats and cancel, served by the
//! one left, settle it with nothing moved twice and nothing lost.
//!
//! Needs `MM_TEST_POSTGRES_URL` (`scripts/postgres.sh`); without it, the test is skipped,
//! except in CI, where it fails. The figures it prints are in RELIABILITY.md.

use std::collections::BTreeMap;
use std::os::unix::process::ExitStatusExt;
use std::process::Stdio;
use std::str::FromStr;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use mm_sdk::callbacks::paths;
use mm_sdk::callbacks::receiver::codes;
use mm_sdk::callbacks::store::sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use mm_sdk::callbacks::store::sqlx::{self, PgPool};
use mm_sdk_test_support::bounded_for;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStderr, Command};

/// Receivers serving the duplicates; the last two are then killed at a failpoint each.
const RECEIVERS: usize = 3;
/// Adjustments sent at once, each as this many duplicates.
const ADJUSTMENTS: usize = 4;
const DUPLICATES: usize = 1_000;
/// Of the adjustments, the first this many are cancelled (each cancel as many duplicates).
const CANCELLED: usize = 2;
/// The store's lease in the receivers: how long a dead receiver's claim blocks its key. Long
/// enough that no claim of the bursts, on a loaded machine, outlives it.
const LEASE: Duration = Duration::from_secs(10);
/// The whole test, receivers' start and PostgreSQL's work included.
const LIMIT: Duration = Duration::from_secs(300);
const COMPANY: i64 = 421;

/// The failpoints of receivers 2 and 3 (`MM_SDK_TEST_FAILPOINT`): each pauses only the
/// adjustments whose key has its prefix, so both serve the duplicates like receiver 1.
const CLAIMED_PREFIX: &str = "crash-claimed-";
const APPLIED_PREFIX: &str = "crash-applied-";

/// The database named by `MM_TEST_POSTGRES_URL`, or why there is none.
fn url() -> Option<String> {
    match std::env::var("MM_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var_os("CI").is_some() => {
            panic!("MM_TEST_POSTGRES_URL is not set: start a database with scripts/postgres.sh")
        }
        _ => {
            eprintln!("several-receivers test skipped: MM_TEST_POSTGRES_URL is not set");
            None
        }
    }
}

fn now_ms() -> i64 {
    let since = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    i64::try_from(since.as_millis()).unwrap()
}

fn unique() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// A receiver process, its URL, and what it says on standard error.
struct Process {
    name: String,
    child: Child,
    base: String,
    stderr: Lines<BufReader<ChildStderr>>,
}

impl Process {
    async fn start(url: &str, schema: &str, name: &str, failpoint: Option<&str>) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_receiver"));
        command
            .env("MM_TEST_POSTGRES_URL", url)
            .env("MM_SCALE_OUT_SCHEMA", schema)
            .env("MM_SCALE_OUT_NAME", name)
            .env("MM_SCALE_OUT_LEASE_MS", LEASE.as_millis().to_string())
            .env_remove("MM_SDK_TEST_FAILPOINT")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        if let Some(failpoint) = failpoint {
            command.env("MM_SDK_TEST_FAILPOINT", failpoint);
        }
        let mut child = command.spawn().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
        let stderr = BufReader::new(child.stderr.take().unwrap()).lines();
        let line = stdout.next_line().await.unwrap();
        let base = line
            .as_deref()
            .and_then(|line| line.strip_prefix("listening "))
            .unwrap_or_else(|| panic!("{name} did not start: {line:?}"))
            .to_owned();
        Self {
            name: name.to_owned(),
            child,
            base,
            stderr,
        }
    }

    /// Waits for the failpoint's line for `key`: the process is paused there.
    async fn paused_at(&mut self, point: &str, key: &str) {
        let expected = format!("mm-sdk test failpoint {point} reached: {key}");
        while let Some(line) = self.stderr.next_line().await.unwrap() {
            if line == expected {
                return;
            }
        }
        panic!("{} ended before its failpoint", self.name);
    }

    /// `kill -9`, and what the process died of.
    async fn kill_9(&mut self) {
        self.child.start_kill().unwrap();
        let status = self.child.wait().await.unwrap();
        assert_eq!(status.signal(), Some(9), "{}: {status}", self.name);
    }
}

/// The platform's side: webhooks as it sends them.
struct Platform {
    http: reqwest::Client,
}

impl Platform {
    fn adjustment(key: &str) -> Value {
        json!({
            "thirdServerCode": "wallet-7731", "userName": "86000001", "currency": "USD",
            "bizType": 1, "operationType": "OPEN_POSITION", "amount": "125.50",
            "amountDigits": 2, "orderId": 908_123_456_789_i64, "requestUniqueNo": key,
            "requestTime": now_ms(), "ip": "203.0.113.7"
        })
    }

    fn cancel(cancel_key: &str, key: &str) -> Value {
        json!({
            "thirdServerCode": "wallet-7731", "userName": "86000001", "currency": "USD",
            "bizType": 1, "amount": "125.50", "amountDigits": 2,
            "orderId": 908_123_456_789_i64, "requestUniqueNo": cancel_key,
            "reverseRequestUniqueNo": key, "requestTime": now_ms(), "ip": "203.0.113.7",
            "cancelRemark": "adjustment timed out"
        })
    }

    /// Sends `body` to `path` of the receiver at `base`: the answer's `code`, or an error
    /// (the connection broke, as it does when the receiver is killed).
    async fn send(&self, base: &str, path: &str, body: &Value) -> Result<String, reqwest::Error> {
        let answer: Value = self
            .http
            .post(format!("{}{}", base.trim_end_matches('/'), path))
            .header("trace", format!("t-{}", unique()))
            .header("companyId", COMPANY.to_string())
            .header("timestamp", now_ms().to_string())
            .json(body)
            .send()
            .await?
            .json()
            .await?;
        Ok(answer["code"].as_str().unwrap_or("<none>").to_owned())
    }

    /// Sends every `(path, body)` `DUPLICATES` times, all at once, duplicate `i` to receiver
    /// `i % bases.len()`; how many answers had each code.
    async fn burst(&self, bases: &[String], requests: &[(&str, Value)]) -> BTreeMap<String, usize> {
        let sends = requests.iter().flat_map(|(path, body)| {
            (0..DUPLICATES).map(move |i| {
                let base = &bases[i % bases.len()];
                async move { self.send(base, path, body).await.unwrap() }
            })
        });
        let mut counts = BTreeMap::new();
        for code in futures::future::join_all(sends).await {
            *counts.entry(code).or_insert(0) += 1;
        }
        counts
    }
}

/// The state of the store's entry for `key`.
async fn state(db: &PgPool, key: &str) -> Option<String> {
    sqlx::query_scalar("SELECT state FROM mm_sdk_adjustments WHERE request_unique_no = $1")
        .bind(key)
        .fetch_optional(db)
        .await
        .unwrap()
}

/// Waits until every key's entry is in `wanted`: an answer past the deadline leaves the work
/// to finish on its own.
async fn settled(db: &PgPool, keys: &[String], wanted: &str) {
    for key in keys {
        while state(db, key).await.as_deref() != Some(wanted) {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// The wallet's calls for `key`: `(kind, receiver, retry, moved)`, in order.
async fn calls(db: &PgPool, key: &str) -> Vec<(String, String, bool, bool)> {
    sqlx::query_as(
        "SELECT kind, receiver, retry, moved FROM calls WHERE request_unique_no = $1 ORDER BY id",
    )
    .bind(key)
    .fetch_all(db)
    .await
    .unwrap()
}

/// The ledger's row for `key`: `(applied_by, reversed_by)`.
async fn ledger(db: &PgPool, key: &str) -> Option<(String, Option<String>)> {
    sqlx::query_as("SELECT applied_by, reversed_by FROM ledger WHERE request_unique_no = $1")
        .bind(key)
        .fetch_optional(db)
        .await
        .unwrap()
}

fn moves(calls: &[(String, String, bool, bool)], kind: &str) -> usize {
    calls.iter().filter(|c| c.0 == kind && c.3).count()
}

/// Answers the platform may get while duplicates race: the claimant's success (then the
/// stored one), another request holding the claim, or the deadline while the work goes on.
fn assert_racing_codes(what: &str, counts: &BTreeMap<String, usize>) {
    for code in counts.keys() {
        assert!(
            [codes::SUCCESS, codes::IN_PROGRESS, codes::DEADLINE].contains(&code.as_str()),
            "{what}: unexpected answer {code}: {counts:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn receivers_sharing_postgres_move_money_once_and_survive_a_kill() {
    bounded_for(LIMIT, async {
        let Some(url) = url() else { return };
        let started = Instant::now();
        let schema = format!("mm_sdk_scale_out_{}", unique());
        let connect = PgConnectOptions::from_str(&url)
            .unwrap()
            .options([("search_path", schema.as_str())]);
        let db = PgPoolOptions::new()
            .max_connections(2)
            .connect_with(connect)
            .await
            .unwrap();
        for statement in [
            format!("CREATE SCHEMA {schema}"),
            "CREATE TABLE ledger (request_unique_no TEXT PRIMARY KEY, amount TEXT NOT NULL, \
             applied_by TEXT NOT NULL, reversed_by TEXT)"
                .to_owned(),
            "CREATE TABLE calls (id BIGSERIAL PRIMARY KEY, request_unique_no TEXT NOT NULL, \
             kind TEXT NOT NULL, receiver TEXT NOT NULL, retry BOOLEAN NOT NULL, \
             moved BOOLEAN NOT NULL)"
                .to_owned(),
        ] {
            sqlx::query(&statement).execute(&db).await.unwrap();
        }

        // Three receivers start at once (and create the store's table at once).
        let failpoints = [
            None,
            Some(format!("adjustment-claimed:{CLAIMED_PREFIX}")),
            Some(format!("adjustment-applied:{APPLIED_PREFIX}")),
        ];
        let mut receivers = futures::future::join_all((0..RECEIVERS).map(|i| {
            let (url, schema) = (&url, &schema);
            let failpoint = failpoints[i].as_deref();
            async move { Process::start(url, schema, &format!("r{}", i + 1), failpoint).await }
        }))
        .await;
        let bases: Vec<String> = receivers.iter().map(|r| r.base.clone()).collect();
        let platform = Platform {
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(60))
                .build()
                .unwrap(),
        };

        // 1. Every adjustment as DUPLICATES duplicates, all at once, over every receiver.
        let keys: Vec<String> = (0..ADJUSTMENTS).map(|_| unique()).collect();
        let adjustments: Vec<_> = keys
            .iter()
            .map(|key| (paths::CREDIT_LIMIT_ADJUSTMENT, Platform::adjustment(key)))
            .collect();
        let burst = Instant::now();
        let first = platform.burst(&bases, &adjustments).await;
        settled(&db, &keys, "applied").await;
        let adjusted_in = burst.elapsed();
        assert_racing_codes("adjustments", &first);
        assert!(first.get(codes::SUCCESS).copied().unwrap_or(0) >= ADJUSTMENTS);
        let mut applied_by = BTreeMap::new();
        for key in &keys {
            let calls = calls(&db, key).await;
            assert_eq!(calls.len(), 1, "{key}: one claim, one call: {calls:?}");
            assert_eq!((calls[0].2, calls[0].3), (false, true), "{key}: {calls:?}");
            *applied_by.entry(calls[0].1.clone()).or_insert(0) += 1;
            assert_eq!(ledger(&db, key).await.unwrap().1, None);
        }

        // 2. The cancels of the first CANCELLED, and more duplicates of the others, at once.
        let cancel_keys: Vec<String> = (0..CANCELLED).map(|_| unique()).collect();
        let mut second: Vec<_> = cancel_keys
            .iter()
            .zip(&keys)
            .map(|(cancel, key)| {
                (
                    paths::CANCEL_CREDIT_LIMIT_ADJUSTMENT,
                    Platform::cancel(cancel, key),
                )
            })
            .collect();
        second.extend(adjustments[CANCELLED..].iter().cloned());
        let burst = Instant::now();
        let second = platform.burst(&bases, &second).await;
        settled(&db, &keys[..CANCELLED], "reversed").await;
        let cancelled_in = burst.elapsed();
        assert_racing_codes("cancels and repeats", &second);
        for (i, key) in keys.iter().enumerate() {
            let calls = calls(&db, key).await;
            let (applied, reversed) = (moves(&calls, "apply"), moves(&calls, "reverse"));
            let row = ledger(&db, key).await.unwrap();
            if i < CANCELLED {
                assert_eq!(
                    (applied, reversed, calls.len()),
                    (1, 1, 2),
                    "{key}: {calls:?}"
                );
                assert!(row.1.is_some(), "{key}: reversed in the ledger");
            } else {
                assert_eq!(
                    (applied, reversed, calls.len()),
                    (1, 0, 1),
                    "{key}: {calls:?}"
                );
                assert_eq!(state(&db, key).await.as_deref(), Some("applied"));
            }
        }

        // 3. Receivers 2 and 3 each take an adjustment and stop at their failpoint: 3 after
        // the wallet moved the money, 2 before; each is killed there.
        let crash_applied = format!("{APPLIED_PREFIX}{}", unique());
        let crash_claimed = format!("{CLAIMED_PREFIX}{}", unique());
        let mut in_flight = Vec::new();
        for (receiver, key, point) in [
            (2, &crash_applied, "adjustment-applied"),
            (1, &crash_claimed, "adjustment-claimed"),
        ] {
            let (http, base) = (platform.http.clone(), bases[receiver].clone());
            let body = Platform::adjustment(key);
            in_flight.push(tokio::spawn(async move {
                let platform = Platform { http };
                platform
                    .send(&base, paths::CREDIT_LIMIT_ADJUSTMENT, &body)
                    .await
            }));
            receivers[receiver].paused_at(point, key).await;
            assert_eq!(state(&db, key).await.as_deref(), Some("applying"));
            receivers[receiver].kill_9().await;
        }
        // What the dead held: 3 had moved the money (unrecorded), 2 nothing.
        assert_eq!(
            ledger(&db, &crash_applied).await,
            Some(("r3".to_owned(), None))
        );
        assert_eq!(ledger(&db, &crash_claimed).await, None);
        for sent in in_flight {
            // The platform's request died with the receiver, or got the deadline's answer.
            match sent.await.unwrap() {
                Err(_) => {}
                Ok(code) => assert_eq!(code, codes::DEADLINE),
            }
        }

        // The platform repeats each adjustment and sends its cancel, again and again, to the
        // receiver left, until each cancel is answered for good.
        let settle = Instant::now();
        let base = &bases[0];
        let mut answers: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        let mut open = vec![
            (crash_applied.as_str(), unique()),
            (crash_claimed.as_str(), unique()),
        ];
        while !open.is_empty() {
            tokio::time::sleep(Duration::from_millis(200)).await;
            let mut still_open = Vec::new();
            for (key, cancel_key) in open {
                let repeat = platform
                    .send(
                        base,
                        paths::CREDIT_LIMIT_ADJUSTMENT,
                        &Platform::adjustment(key),
                    )
                    .await
                    .unwrap();
                let cancel = platform
                    .send(
                        base,
                        paths::CANCEL_CREDIT_LIMIT_ADJUSTMENT,
                        &Platform::cancel(&cancel_key, key),
                    )
                    .await
                    .unwrap();
                answers
                    .entry(key)
                    .or_default()
                    .push(format!("{repeat}/{cancel}"));
                if cancel != codes::SUCCESS && cancel != codes::NOT_APPLIED {
                    still_open.push((key, cancel_key));
                }
            }
            open = still_open;
        }
        let settled_in = settle.elapsed();
        for key in [&crash_applied, &crash_claimed] {
            assert_eq!(state(&db, key).await.as_deref(), Some("reversed"), "{key}");
            // Once settled, a repeat is refused: never applied again.
            let repeat = platform
                .send(
                    base,
                    paths::CREDIT_LIMIT_ADJUSTMENT,
                    &Platform::adjustment(key),
                )
                .await
                .unwrap();
            assert_eq!(repeat, codes::CANCELLED, "{key}");
        }
        // What the wallet was asked, call by call: the wallet itself would refuse to move
        // money twice (its ledger is keyed by requestUniqueNo), so what the receivers asked
        // of it is what shows the SDK's part. The dead receiver's claim is taken over by the
        // one left, as a retry: by the platform's repeat (which applies, for the wallet to
        // find in its ledger, and the cancel then reverses what is applied) or, when the
        // lease runs out between a repeat and its cancel, by the cancel (which reverses
        // whatever the ledger holds). Never an apply after the reverse, never a second
        // reverse.
        let call = |kind: &str, receiver: &str, retry: bool, moved: bool| {
            (kind.to_owned(), receiver.to_owned(), retry, moved)
        };
        let applied_calls = calls(&db, &crash_applied).await;
        let by_r3 = call("apply", "r3", false, true);
        assert!(
            [
                vec![
                    by_r3.clone(),
                    call("apply", "r1", true, false),
                    call("reverse", "r1", false, true),
                ],
                vec![by_r3.clone(), call("reverse", "r1", true, true)],
            ]
            .contains(&applied_calls),
            "{applied_calls:?} {answers:?}"
        );
        assert_eq!(
            ledger(&db, &crash_applied).await,
            Some(("r3".to_owned(), Some("r1".to_owned())))
        );
        let claimed_calls = calls(&db, &crash_claimed).await;
        assert!(
            [
                vec![
                    call("apply", "r1", true, true),
                    call("reverse", "r1", false, true),
                ],
                vec![call("reverse", "r1", true, false)],
            ]
            .contains(&claimed_calls),
            "{claimed_calls:?} {answers:?}"
        );

        eprintln!(
            "several receivers: {RECEIVERS} receivers, {ADJUSTMENTS} adjustments x {DUPLICATES} \
             duplicates answered {first:?} in {adjusted_in:?} (each applied once; claims won \
             by {applied_by:?}); {CANCELLED} cancels x {DUPLICATES} with {rest} adjustments x \
             {DUPLICATES} more answered {second:?} in {cancelled_in:?} (each reversed once); 2 \
             receivers killed at their failpoints, settled by the one left in {settled_in:?} \
             ({rounds:?} rounds of repeat and cancel); {total:?} in all",
            rest = ADJUSTMENTS - CANCELLED,
            rounds = answers.values().map(Vec::len).collect::<Vec<_>>(),
            total = started.elapsed(),
        );
        drop(receivers);
        db.close().await;
        let admin = PgPoolOptions::new()
            .max_connections(1)
            .connect(&url)
            .await
            .unwrap();
        sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
            .execute(&admin)
            .await
            .unwrap();
    })
    .await;
}

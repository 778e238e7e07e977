//! The callback receiver (`mm_sdk::callbacks::receiver`): each case sends requests as the
//! platform would and asserts the exact answers (status, `code`) and how often each handler
//! method ran. The store is in memory, or SQLite (feature `sqlite`) where it is cheap. The
//! handlers are plain `async fn`s; two cases go through the receiver as a tower service, one in
//! process with chunked bodies, one mounted in axum over a real socket.

use std::collections::HashSet;
use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use bytes::Bytes;
use http::{HeaderMap, Method, Request, Response, StatusCode};
use http_body::{Body, Frame, SizeHint};
use http_body_util::{BodyExt, StreamBody};
use mm_sdk::callbacks::message_sign::MessageSignVerifier;
use mm_sdk::callbacks::paths;
use mm_sdk::callbacks::receiver::{
    Adjustment, AdjustmentCancel, AnswerBody, Callback, MessageHandler, Reason, Receiver, Refusal,
    Reversal, WasApplied, WebhookContext, WebhookHandler, codes,
};
use mm_sdk::callbacks::store::{AdjustmentStore, MemoryStore, StoreOptions};
use mm_sdk::callbacks::types::{EmailMessage, SmsMessage, UserAmount, UserAmountQuery};
use rsa::PrivateKey;
use rsa::pkcs8::DecodePrivateKey;
use secrecy::SecretString;
use serde_json::{Value, json};
use tower_service::Service;

use crate::common::bounded;

/// What the wallet does when asked to apply.
#[derive(Debug, Clone, Copy)]
enum Behaviour {
    Apply,
    Refuse,
    Panic,
}

/// A wallet that counts its calls and keeps a ledger of what it applied.
#[derive(Debug)]
struct Wallet {
    behaviour: Behaviour,
    delay: Duration,
    user_amounts: AtomicUsize,
    applies: AtomicUsize,
    /// Apply calls that ran to their end.
    applied: AtomicUsize,
    ledger: Mutex<HashSet<String>>,
    amounts: Mutex<Vec<String>>,
    reverses: Mutex<Vec<(String, WasApplied)>>,
}

impl Wallet {
    fn new(behaviour: Behaviour, delay: Duration) -> Arc<Self> {
        Arc::new(Self {
            behaviour,
            delay,
            user_amounts: AtomicUsize::new(0),
            applies: AtomicUsize::new(0),
            applied: AtomicUsize::new(0),
            ledger: Mutex::new(HashSet::new()),
            amounts: Mutex::new(Vec::new()),
            reverses: Mutex::new(Vec::new()),
        })
    }

    fn applying() -> Arc<Self> {
        Self::new(Behaviour::Apply, Duration::ZERO)
    }

    fn applies(&self) -> usize {
        self.applies.load(Ordering::SeqCst)
    }

    fn reverses(&self) -> Vec<(String, WasApplied)> {
        self.reverses.lock().unwrap().clone()
    }
}

impl WebhookHandler for Wallet {
    async fn user_amount(
        &self,
        _cx: &WebhookContext,
        query: &UserAmountQuery,
    ) -> Result<UserAmount, Refusal> {
        self.user_amounts.fetch_add(1, Ordering::SeqCst);
        if query.user_name == "nobody" {
            return Err(Refusal::new("USER_UNKNOWN", "no such user"));
        }
        Ok(UserAmount::new(
            "42.1".parse::<mm_sdk::Decimal>().unwrap(),
            4,
            query.currency.clone(),
            query.user_name.clone(),
        ))
    }

    async fn apply(
        &self,
        _cx: &WebhookContext,
        adjustment: &Adjustment,
        _retry: bool,
    ) -> Result<(), Refusal> {
        self.applies.fetch_add(1, Ordering::SeqCst);
        self.amounts
            .lock()
            .unwrap()
            .push(adjustment.amount().to_string());
        tokio::time::sleep(self.delay).await;
        match self.behaviour {
            Behaviour::Apply => {
                self.ledger
                    .lock()
                    .unwrap()
                    .insert(adjustment.request_unique_no().to_owned());
                self.applied.fetch_add(1, Ordering::SeqCst);
                Ok(())
            }
            Behaviour::Refuse => Err(Refusal::new("WALLET_LOW", "insufficient funds")),
            Behaviour::Panic => panic!("the wallet's ledger broke (a test panic)"),
        }
    }

    async fn reverse(
        &self,
        _cx: &WebhookContext,
        cancel: &AdjustmentCancel,
        applied: WasApplied,
    ) -> Result<Reversal, Refusal> {
        let key = cancel.reverse_request_unique_no().to_owned();
        self.reverses.lock().unwrap().push((key.clone(), applied));
        if self.ledger.lock().unwrap().remove(&key) {
            Ok(Reversal::Reversed)
        } else {
            Ok(Reversal::NotApplied)
        }
    }
}

/// A message channel that counts what it sent.
#[derive(Debug, Default)]
struct Mailer {
    emails: AtomicUsize,
    sms: AtomicUsize,
}

impl MessageHandler for Mailer {
    async fn email(&self, _message: &EmailMessage) -> Result<(), Refusal> {
        self.emails.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    async fn sms(&self, _message: &SmsMessage) -> Result<(), Refusal> {
        self.sms.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

/// The white label's message key (the message-sign tests' fixture).
const MESSAGE_KEY: &str = include_str!("fixtures/open_api_key.pkcs8.b64");
const COMPANY: i64 = 421;

fn memory() -> Arc<MemoryStore> {
    Arc::new(MemoryStore::new(StoreOptions::default()))
}

fn receiver(store: Arc<impl AdjustmentStore>, wallet: &Arc<Wallet>) -> Receiver {
    Receiver::builder().webhooks(store, wallet.clone()).build()
}

/// A receiver of bodies of at most 1 KiB, in memory.
fn small_bodies(wallet: &Arc<Wallet>) -> Receiver {
    Receiver::builder()
        .webhooks(memory(), wallet.clone())
        .body_limit(1024)
        .build()
}

fn key() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

fn now_ms() -> i64 {
    i64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap()
}

fn adjustment(key: &str) -> Value {
    json!({
        "thirdServerCode": "wallet-7731", "userName": "86000001", "currency": "USD",
        "bizType": 1, "operationType": "OPEN_POSITION", "amount": "125.50", "amountDigits": 2,
        "orderId": 908_123_456_789_i64, "requestUniqueNo": key, "requestTime": now_ms(),
        "ip": "203.0.113.7", "metadata": "{\"symbol\":\"EURUSD\"}"
    })
}

fn cancel(cancel_key: &str, key: &str) -> Value {
    json!({
        "thirdServerCode": "wallet-7731", "userName": "86000001", "currency": "USD",
        "bizType": 1, "amount": "125.50", "amountDigits": 2, "orderId": 908_123_456_789_i64,
        "requestUniqueNo": cancel_key, "reverseRequestUniqueNo": key, "requestTime": now_ms(),
        "ip": "203.0.113.7", "cancelRemark": "adjustment timed out"
    })
}

/// A webhook as the platform sends it, with its three headers.
fn webhook(path: &str, body: impl Into<Bytes>) -> Request<Bytes> {
    Request::post(path)
        .header("content-type", "application/json")
        .header("trace", format!("t-{}", key()))
        .header("companyId", COMPANY.to_string())
        .header("timestamp", now_ms().to_string())
        .body(body.into())
        .unwrap()
}

fn json_request(path: &str, body: &Value) -> Request<Bytes> {
    webhook(path, body.to_string())
}

/// Sends `request`; the answer's status and body.
async fn send(receiver: &Receiver, request: Request<Bytes>) -> (StatusCode, Value) {
    let trace = request.headers().get("trace").cloned();
    let response = receiver.handle(request).await;
    let status = response.status();
    assert_eq!(
        response.headers().get("content-type").unwrap(),
        "application/json"
    );
    let body: Value = serde_json::from_slice(response.body()).expect("a JSON answer");
    // A webhook's answer repeats the request's trace.
    if let (Some(trace), Some(echoed)) = (trace, body.get("trace")) {
        assert_eq!(echoed, trace.to_str().unwrap(), "{body}");
    }
    (status, body)
}

/// Asserts a webhook's answer: status, `code`, and `ok` only for `"0"`.
fn assert_answer(answer: &(StatusCode, Value), status: StatusCode, code: &str) {
    let (got, body) = answer;
    assert_eq!(
        (*got, body["code"].as_str()),
        (status, Some(code)),
        "{body}"
    );
    if body.get("ok").is_some() {
        assert_eq!(body["ok"], json!(code == codes::SUCCESS), "{body}");
        assert_eq!(body["fail"], json!(code != codes::SUCCESS), "{body}");
    }
}

async fn adjust(receiver: &Receiver, key: &str) -> (StatusCode, Value) {
    send(
        receiver,
        json_request(paths::CREDIT_LIMIT_ADJUSTMENT, &adjustment(key)),
    )
    .await
}

async fn cancel_it(receiver: &Receiver, cancel_key: &str, key: &str) -> (StatusCode, Value) {
    send(
        receiver,
        json_request(
            paths::CANCEL_CREDIT_LIMIT_ADJUSTMENT,
            &cancel(cancel_key, key),
        ),
    )
    .await
}

/// Waits until `done` holds, or fails saying `what`.
async fn eventually(what: &str, done: impl Fn() -> bool) {
    let wait = async {
        while !done() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(10), wait)
        .await
        .unwrap_or_else(|_| panic!("{what} did not happen within 10 s"));
}

/// Scenarios run against each store.
mod scenarios {
    use super::*;

    /// Applied once, repeated, cancelled (reversed once), cancelled again, repeated again.
    pub async fn duplicates_then_cancel(store: Arc<impl AdjustmentStore>) {
        let wallet = Wallet::applying();
        let receiver = receiver(store, &wallet);
        let key = key();
        let first = adjust(&receiver, &key).await;
        assert_answer(&first, StatusCode::OK, codes::SUCCESS);
        assert_eq!(first.1["data"], json!({}));
        assert_answer(
            &adjust(&receiver, &key).await,
            StatusCode::OK,
            codes::SUCCESS,
        );
        assert_eq!(wallet.applies(), 1, "a repeat moves nothing");
        assert_eq!(*wallet.amounts.lock().unwrap(), ["125.50"]);

        let cancel_key = key_for_cancel();
        let reversed = cancel_it(&receiver, &cancel_key, &key).await;
        assert_answer(&reversed, StatusCode::OK, codes::SUCCESS);
        // The platform repeats the cancel, with its key or another.
        assert_answer(
            &cancel_it(&receiver, &cancel_key, &key).await,
            StatusCode::OK,
            codes::SUCCESS,
        );
        assert_answer(
            &cancel_it(&receiver, &key_for_cancel(), &key).await,
            StatusCode::OK,
            codes::SUCCESS,
        );
        assert_eq!(wallet.reverses(), [(key.clone(), WasApplied::Yes)]);
        // The adjustment once more, after its reversal: never applied again.
        assert_answer(
            &adjust(&receiver, &key).await,
            StatusCode::OK,
            codes::CANCELLED,
        );
        assert_eq!(wallet.applies(), 1);
        assert!(wallet.ledger.lock().unwrap().is_empty());
    }

    /// The cancel overtakes its adjustment: US_0000002, then the adjustment is refused.
    pub async fn cancel_before_adjustment(store: Arc<impl AdjustmentStore>) {
        let wallet = Wallet::applying();
        let receiver = receiver(store, &wallet);
        let key = key();
        let cancel_key = key_for_cancel();
        assert_answer(
            &cancel_it(&receiver, &cancel_key, &key).await,
            StatusCode::OK,
            codes::NEVER_ARRIVED,
        );
        assert_answer(
            &adjust(&receiver, &key).await,
            StatusCode::OK,
            codes::CANCELLED,
        );
        assert_answer(
            &cancel_it(&receiver, &cancel_key, &key).await,
            StatusCode::OK,
            codes::NEVER_ARRIVED,
        );
        assert_eq!(wallet.applies(), 0);
        assert!(wallet.reverses().is_empty());
    }

    fn key_for_cancel() -> String {
        format!("cancel-{}", key())
    }
}

#[tokio::test]
async fn duplicate_deliveries_apply_once_and_the_cancel_reverses_once() {
    bounded(scenarios::duplicates_then_cancel(memory())).await;
}

#[tokio::test]
async fn a_cancel_before_its_adjustment_refuses_the_adjustment() {
    bounded(scenarios::cancel_before_adjustment(memory())).await;
}

#[cfg(feature = "sqlite")]
mod sqlite {
    use super::*;
    use mm_sdk::callbacks::store::{SqlStore, sqlx};

    /// A store in a fresh SQLite file, and the file's removal.
    async fn sqlite() -> (Arc<SqlStore>, impl Drop) {
        let (store, _pool, cleanup) = sqlite_with_pool().await;
        (store, cleanup)
    }

    /// As [`sqlite`], with a pool on the same file to reach the table directly.
    async fn sqlite_with_pool() -> (Arc<SqlStore>, sqlx::SqlitePool, impl Drop) {
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
        let path = std::env::temp_dir().join(format!("mm-sdk-receiver-{}.db", key()));
        let cleanup = TempDatabase(path.clone());
        let url = format!("sqlite://{}", path.display());
        let store = SqlStore::connect(&url, StoreOptions::default())
            .await
            .unwrap();
        store.migrate().await.unwrap();
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        (Arc::new(store), pool, cleanup)
    }

    /// An entry the store cannot read back (here a claim token it did not write): the
    /// adjustment's repeat and its cancel are answered `RCV_STORE_FAILED` (500, so the
    /// platform tries again), and neither moves money.
    #[tokio::test]
    async fn an_unreadable_entry_is_a_store_failure_and_moves_nothing() {
        bounded(async {
            let (store, pool, _cleanup) = sqlite_with_pool().await;
            let wallet = Wallet::applying();
            let receiver = receiver(store, &wallet);
            let key = key();
            assert_answer(
                &adjust(&receiver, &key).await,
                StatusCode::OK,
                codes::SUCCESS,
            );
            sqlx::query(
                "UPDATE mm_sdk_adjustments SET token = 'not-a-token' WHERE request_unique_no = ?1",
            )
            .bind(&key)
            .execute(&pool)
            .await
            .unwrap();
            let failed = StatusCode::INTERNAL_SERVER_ERROR;
            assert_answer(&adjust(&receiver, &key).await, failed, codes::STORE_FAILED);
            assert_answer(
                &cancel_it(&receiver, &self::key(), &key).await,
                failed,
                codes::STORE_FAILED,
            );
            assert_eq!(wallet.applies(), 1);
            assert_eq!(wallet.reverses(), Vec::new());
        })
        .await;
    }

    #[tokio::test]
    async fn duplicate_deliveries_apply_once_and_the_cancel_reverses_once_in_sqlite() {
        bounded(async {
            let (store, _cleanup) = sqlite().await;
            scenarios::duplicates_then_cancel(store).await;
        })
        .await;
    }

    #[tokio::test]
    async fn a_cancel_before_its_adjustment_refuses_the_adjustment_in_sqlite() {
        bounded(async {
            let (store, _cleanup) = sqlite().await;
            scenarios::cancel_before_adjustment(store).await;
        })
        .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_duplicates_apply_once() {
    bounded(async {
        let wallet = Wallet::new(Behaviour::Apply, Duration::from_millis(100));
        let receiver = receiver(memory(), &wallet);
        let key = key();
        let body = adjustment(&key).to_string();
        let tasks: Vec<_> = (0..1_000)
            .map(|_| {
                let receiver = receiver.clone();
                let request = webhook(paths::CREDIT_LIMIT_ADJUSTMENT, body.clone());
                tokio::spawn(async move { send(&receiver, request).await })
            })
            .collect();
        let mut successes = 0;
        for task in tasks {
            let answer = task.await.unwrap();
            match answer.1["code"].as_str() {
                Some(codes::SUCCESS) => {
                    assert_answer(&answer, StatusCode::OK, codes::SUCCESS);
                    successes += 1;
                }
                _ => assert_answer(&answer, StatusCode::OK, codes::IN_PROGRESS),
            }
        }
        assert!(successes >= 1, "the claimant answers success");
        assert_eq!(wallet.applies(), 1, "applied exactly once");
        assert_eq!(wallet.applied.load(Ordering::SeqCst), 1);
        // Once done, every repeat gets the recorded success.
        assert_answer(
            &adjust(&receiver, &key).await,
            StatusCode::OK,
            codes::SUCCESS,
        );
        assert_eq!(wallet.applies(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_refused_adjustment_is_answered_again_and_its_cancel_finds_it_not_applied() {
    bounded(async {
        let wallet = Wallet::new(Behaviour::Refuse, Duration::ZERO);
        let receiver = receiver(memory(), &wallet);
        let key = key();
        let refused = adjust(&receiver, &key).await;
        assert_answer(&refused, StatusCode::OK, "WALLET_LOW");
        assert_eq!(refused.1["msg"], "insufficient funds");
        assert_answer(&adjust(&receiver, &key).await, StatusCode::OK, "WALLET_LOW");
        assert_eq!(wallet.applies(), 1);
        assert_answer(
            &cancel_it(&receiver, "cancel-1", &key).await,
            StatusCode::OK,
            codes::NOT_APPLIED,
        );
        assert!(wallet.reverses().is_empty(), "nothing to reverse");
    })
    .await;
}

#[tokio::test]
async fn a_repeat_gets_the_first_answer_with_its_own_trace() {
    bounded(async {
        let wallet = Wallet::applying();
        let receiver = receiver(memory(), &wallet);
        let body = adjustment(&key()).to_string();
        let with_trace = |trace: &str| {
            let mut request = webhook(paths::CREDIT_LIMIT_ADJUSTMENT, body.clone());
            request
                .headers_mut()
                .insert("trace", trace.parse().unwrap());
            request
        };
        let first = receiver.handle(with_trace("t-first")).await;
        assert_eq!(first.status(), StatusCode::OK);
        // The same delivery again: the same bytes.
        let again = receiver.handle(with_trace("t-first")).await;
        assert_eq!(
            (again.status(), again.body()),
            (StatusCode::OK, first.body())
        );
        // Another trace: the first answer, repeating this request's trace.
        let other = receiver.handle(with_trace("t-other")).await;
        let json = |body: &[u8]| serde_json::from_slice::<Value>(body).unwrap();
        let mut expected = json(first.body());
        expected["trace"] = json!("t-other");
        assert_eq!(
            (other.status(), json(other.body())),
            (StatusCode::OK, expected)
        );
        assert_eq!(wallet.applies(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_slow_handler_is_answered_at_the_deadline_and_its_work_completes() {
    bounded(async {
        let wallet = Wallet::new(Behaviour::Apply, Duration::from_millis(600));
        let receiver = Receiver::builder()
            .webhooks(memory(), wallet.clone())
            .deadline(Duration::from_millis(150))
            .build();
        let key = key();
        let started = Instant::now();
        let answer = adjust(&receiver, &key).await;
        let took = started.elapsed();
        assert_answer(&answer, StatusCode::OK, codes::DEADLINE);
        assert!(
            took < Duration::from_millis(500),
            "answered after {took:?}, not at the 150 ms deadline"
        );
        assert_eq!(wallet.applied.load(Ordering::SeqCst), 0, "still applying");
        // The platform cancels while the work runs: asked to repeat.
        assert_answer(
            &cancel_it(&receiver, "cancel-1", &key).await,
            StatusCode::OK,
            codes::IN_PROGRESS,
        );
        // The work was not dropped: it completes and records its outcome.
        eventually("the slow adjustment's completion", || {
            wallet.applied.load(Ordering::SeqCst) == 1
        })
        .await;
        // Recorded just after the handler returns.
        let reversed = loop {
            let answer = cancel_it(&receiver, "cancel-1", &key).await;
            if answer.1["code"] != codes::IN_PROGRESS {
                break answer;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        };
        assert_answer(&reversed, StatusCode::OK, codes::SUCCESS);
        assert_eq!(wallet.reverses(), [(key.clone(), WasApplied::Yes)]);
        assert_eq!(wallet.applies(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_panicking_handler_records_nothing_and_its_cancel_reverses_if_applied() {
    bounded(async {
        let wallet = Wallet::new(Behaviour::Panic, Duration::ZERO);
        // Long enough for the panic hook to print its backtrace within it.
        let lease = Duration::from_secs(2);
        let store = Arc::new(MemoryStore::new(StoreOptions::default().lease(lease)));
        let receiver = receiver(store, &wallet);
        let key = key();
        assert_answer(
            &adjust(&receiver, &key).await,
            StatusCode::INTERNAL_SERVER_ERROR,
            codes::HANDLER_FAILED,
        );
        // Within the lease, the claim still stands.
        assert_answer(
            &cancel_it(&receiver, "cancel-1", &key).await,
            StatusCode::OK,
            codes::IN_PROGRESS,
        );
        tokio::time::sleep(lease + Duration::from_millis(50)).await;
        // The ledger shows nothing applied: US_0000001, recorded for the repeats.
        assert_answer(
            &cancel_it(&receiver, "cancel-1", &key).await,
            StatusCode::OK,
            codes::NOT_APPLIED,
        );
        assert_answer(
            &cancel_it(&receiver, "cancel-1", &key).await,
            StatusCode::OK,
            codes::NOT_APPLIED,
        );
        assert_eq!(wallet.reverses(), [(key.clone(), WasApplied::Maybe)]);
        assert_eq!(wallet.applies(), 1);
    })
    .await;
}

#[tokio::test]
async fn the_balance_is_answered_with_its_digits() {
    bounded(async {
        let wallet = Wallet::applying();
        let receiver = receiver(memory(), &wallet);
        let query = json!({"thirdServerCode": "wallet-7731", "userName": "86000001", "currency": "USD"});
        let answer = send(&receiver, json_request(paths::GET_USER_AMOUNT, &query)).await;
        assert_answer(&answer, StatusCode::OK, codes::SUCCESS);
        assert_eq!(
            answer.1["data"],
            json!({"userName": "86000001", "currency": "USD", "amount": "42.1000", "amountDigits": 4})
        );
        let nobody = json!({"thirdServerCode": "x", "userName": "nobody", "currency": "USD"});
        let refused = send(&receiver, json_request(paths::GET_USER_AMOUNT, &nobody)).await;
        assert_answer(&refused, StatusCode::OK, "USER_UNKNOWN");
        assert_eq!(refused.1["data"], Value::Null);
        assert_eq!(wallet.user_amounts.load(Ordering::SeqCst), 2);
    })
    .await;
}

#[tokio::test]
async fn malformed_json_is_refused_before_the_handler() {
    bounded(async {
        let wallet = Wallet::applying();
        let receiver = receiver(memory(), &wallet);
        for body in ["{\"requestUniqueNo\": \"k\"", "", "not json", "\u{0}"] {
            let answer = send(&receiver, webhook(paths::CREDIT_LIMIT_ADJUSTMENT, body)).await;
            assert_answer(&answer, StatusCode::BAD_REQUEST, codes::MALFORMED_JSON);
        }
        assert_eq!(wallet.applies(), 0);
    })
    .await;
}

#[tokio::test]
async fn wrong_types_are_refused_naming_the_json_path() {
    bounded(async {
        let wallet = Wallet::applying();
        let receiver = receiver(memory(), &wallet);
        let cases = [
            ("amountDigits", json!("two")),
            ("orderId", json!("908123456789")),
            ("operationType", json!("SOMETHING_ELSE")),
            ("requestUniqueNo", json!("k".repeat(49))),
        ];
        for (field, value) in cases {
            let mut body = adjustment(&key());
            body[field] = value;
            let answer = send(&receiver, json_request(paths::CREDIT_LIMIT_ADJUSTMENT, &body)).await;
            assert_answer(&answer, StatusCode::BAD_REQUEST, codes::INVALID_FIELD);
            let msg = answer.1["msg"].as_str().unwrap();
            assert!(msg.contains(&format!("field {field}:")), "{msg}");
        }
        let mut missing = adjustment(&key());
        missing.as_object_mut().unwrap().remove("requestUniqueNo");
        let answer = send(&receiver, json_request(paths::CREDIT_LIMIT_ADJUSTMENT, &missing)).await;
        assert_answer(&answer, StatusCode::BAD_REQUEST, codes::INVALID_FIELD);
        assert!(answer.1["msg"].as_str().unwrap().contains("requestUniqueNo"));
        let answer = send(&receiver, json_request(paths::CREDIT_LIMIT_ADJUSTMENT, &json!([1]))).await;
        assert_answer(&answer, StatusCode::BAD_REQUEST, codes::INVALID_FIELD);
        // The typed step gives the path too.
        let mut body = adjustment(&key());
        body["amountDigits"] = json!(true);
        let request = json_request(paths::CREDIT_LIMIT_ADJUSTMENT, &body);
        let rejection = receiver
            .parse(
                Callback::Adjustment,
                &Method::POST,
                request.headers(),
                request.body(),
            )
            .unwrap_err();
        assert!(
            matches!(rejection.reason(), Reason::InvalidField { path, .. } if path == "amountDigits"),
            "{rejection:?}"
        );
        assert_eq!(wallet.applies(), 0);
    })
    .await;
}

#[tokio::test]
async fn a_repeated_field_or_broken_json_after_a_wrong_field_is_refused() {
    bounded(async {
        let wallet = Wallet::applying();
        let receiver = receiver(memory(), &wallet);
        let key = key();
        let body = adjustment(&key).to_string();
        // Two `amount`s: which one would move money is ambiguous, so neither does.
        let repeated = body.replacen('{', r#"{"amount":"999.00","#, 1);
        let answer = send(&receiver, webhook(paths::CREDIT_LIMIT_ADJUSTMENT, repeated)).await;
        assert_answer(&answer, StatusCode::BAD_REQUEST, codes::INVALID_FIELD);
        assert!(
            answer.1["msg"]
                .as_str()
                .unwrap()
                .contains("duplicate field"),
            "{}",
            answer.1
        );
        // A wrong field, then a body that is not JSON: the body is refused as not JSON.
        let broken = r#"{"amountDigits":"two","#;
        let answer = send(&receiver, webhook(paths::CREDIT_LIMIT_ADJUSTMENT, broken)).await;
        assert_answer(&answer, StatusCode::BAD_REQUEST, codes::MALFORMED_JSON);
        // Trailing data after the object.
        let trailing = format!("{body} {{}}");
        let answer = send(&receiver, webhook(paths::CREDIT_LIMIT_ADJUSTMENT, trailing)).await;
        assert_answer(&answer, StatusCode::BAD_REQUEST, codes::MALFORMED_JSON);
        assert_eq!(wallet.applies(), 0);
        // The body itself, once, is applied.
        let answer = send(&receiver, webhook(paths::CREDIT_LIMIT_ADJUSTMENT, body)).await;
        assert_answer(&answer, StatusCode::OK, codes::SUCCESS);
        assert_eq!(wallet.applies(), 1);
    })
    .await;
}

#[tokio::test]
async fn amounts_are_exact_or_refused() {
    bounded(async {
        let wallet = Wallet::applying();
        let receiver = receiver(memory(), &wallet);
        for (amount, digits) in [
            (json!("125.505"), json!(2)),
            (json!("125.50"), json!(-1)),
            (json!("1e3"), json!(2)),
            (json!("12,5"), json!(2)),
            (json!(" 12"), json!(2)),
            (json!("125.50"), json!(29)),
            (json!("99999999999999999999999999999"), json!(0)),
        ] {
            let mut body = adjustment(&key());
            body["amount"] = amount.clone();
            body["amountDigits"] = digits;
            let answer = send(
                &receiver,
                json_request(paths::CREDIT_LIMIT_ADJUSTMENT, &body),
            )
            .await;
            let code = answer.1["code"].as_str().unwrap_or_default().to_owned();
            assert!(
                code == codes::INVALID_AMOUNT || code == codes::INVALID_FIELD,
                "{amount}: {}",
                answer.1
            );
            assert_eq!(answer.0, StatusCode::BAD_REQUEST, "{amount}");
        }
        // More places than amountDigits is the receiver's own check, named as such.
        let mut body = adjustment(&key());
        body["amount"] = json!("125.505");
        let answer = send(
            &receiver,
            json_request(paths::CREDIT_LIMIT_ADJUSTMENT, &body),
        )
        .await;
        assert_answer(&answer, StatusCode::BAD_REQUEST, codes::INVALID_AMOUNT);
        assert_eq!(wallet.applies(), 0);
        // Fewer places are padded, never rounded; a JSON number is read digit for digit.
        for (amount, expected) in [(json!("125.5"), "125.50"), (json!(0.1), "0.10")] {
            let mut body = adjustment(&key());
            body["amount"] = amount;
            let answer = send(
                &receiver,
                json_request(paths::CREDIT_LIMIT_ADJUSTMENT, &body),
            )
            .await;
            assert_answer(&answer, StatusCode::OK, codes::SUCCESS);
            assert_eq!(wallet.amounts.lock().unwrap().last().unwrap(), expected);
        }
    })
    .await;
}

#[tokio::test]
async fn missing_or_bad_headers_are_refused() {
    bounded(async {
        let wallet = Wallet::applying();
        let receiver = Receiver::builder()
            .webhooks(memory(), wallet.clone())
            .company_id(COMPANY)
            .build();
        let body = adjustment(&key());
        for header in ["trace", "companyId", "timestamp"] {
            let mut request = json_request(paths::CREDIT_LIMIT_ADJUSTMENT, &body);
            request.headers_mut().remove(header);
            let answer = send(&receiver, request).await;
            assert_answer(&answer, StatusCode::BAD_REQUEST, codes::MISSING_HEADER);
            assert!(answer.1["msg"].as_str().unwrap().contains(header));
        }
        for (header, value) in [
            ("companyId", "four-twenty-one"),
            ("companyId", "422"),
            ("timestamp", "yesterday"),
            ("trace", ""),
        ] {
            let mut request = json_request(paths::CREDIT_LIMIT_ADJUSTMENT, &body);
            request.headers_mut().insert(header, value.parse().unwrap());
            let answer = send(&receiver, request).await;
            assert_answer(&answer, StatusCode::BAD_REQUEST, codes::INVALID_HEADER);
        }
        assert_eq!(wallet.applies(), 0);
    })
    .await;
}

#[tokio::test]
async fn oversized_bodies_wrong_methods_and_unknown_paths_are_refused() {
    bounded(async {
        let wallet = Wallet::applying();
        let receiver = small_bodies(&wallet);
        let mut body = adjustment(&key());
        body["ip"] = json!("x".repeat(2048));
        let answer = send(
            &receiver,
            json_request(paths::CREDIT_LIMIT_ADJUSTMENT, &body),
        )
        .await;
        assert_answer(&answer, StatusCode::PAYLOAD_TOO_LARGE, codes::TOO_LARGE);

        let mut get = json_request(paths::CREDIT_LIMIT_ADJUSTMENT, &adjustment(&key()));
        *get.method_mut() = Method::GET;
        let response = receiver.handle(get).await;
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(response.headers().get("allow").unwrap(), "POST");
        let answer: Value = serde_json::from_slice(response.body()).unwrap();
        assert_eq!(answer["code"], codes::METHOD_NOT_ALLOWED);

        for path in [
            "/",
            "/get-user-amount/",
            "/GET-USER-AMOUNT",
            paths::EMAIL_MESSAGE,
        ] {
            let answer = send(&receiver, json_request(path, &adjustment(&key()))).await;
            assert_answer(&answer, StatusCode::NOT_FOUND, codes::UNKNOWN_PATH);
        }
        assert_eq!(wallet.applies(), 0);
    })
    .await;
}

fn message_key() -> PrivateKey {
    PrivateKey::from_pkcs8_der(&BASE64.decode(MESSAGE_KEY.trim()).unwrap()).unwrap()
}

/// `toUser@timestamp@trace` encrypted for the white label's key, as the platform signs.
fn platform_sign(to_user: &str, timestamp: i64, trace: &str) -> String {
    let text = format!("{to_user}@{timestamp}@{trace}");
    let block = message_key()
        .to_public_key()
        .pkcs1v15_encrypt(text.as_bytes())
        .unwrap();
    BASE64.encode(block)
}

fn email(to_user: &str, timestamp: i64, sign: &str) -> Value {
    json!({
        "toUser": to_user, "trace": "aaaaaaaaaabbbbbbbbbb11111", "sign": sign,
        "title": "Verification Code", "content": "Your verification code is 847999.",
        "timestamp": timestamp
    })
}

fn message_receiver(mailer: &Arc<Mailer>) -> Receiver {
    let verifier = MessageSignVerifier::new(&SecretString::from(MESSAGE_KEY.to_owned())).unwrap();
    Receiver::builder()
        .messages(mailer.clone(), verifier)
        .build()
}

fn message(path: &str, body: &Value) -> Request<Bytes> {
    Request::post(path)
        .header("content-type", "application/json")
        .body(Bytes::from(body.to_string()))
        .unwrap()
}

#[tokio::test]
async fn messages_with_a_bad_or_replayed_sign_are_refused() {
    bounded(async {
        let mailer = Arc::new(Mailer::default());
        let receiver = message_receiver(&mailer);
        let trace = "aaaaaaaaaabbbbbbbbbb11111";
        let now = now_ms();
        let sign = platform_sign("someone@example.com", now, trace);
        let good = email("someone@example.com", now, &sign);
        let (status, body) = send(&receiver, message(paths::EMAIL_MESSAGE, &good)).await;
        assert_eq!(
            (status, body),
            (StatusCode::OK, json!({"msg": "success", "code": "200"}))
        );
        assert_eq!(mailer.emails.load(Ordering::SeqCst), 1);

        let refused = json!({"msg": "the sign was refused", "code": codes::BAD_SIGN});
        // The same message again: a replay.
        let replay = send(&receiver, message(paths::EMAIL_MESSAGE, &good)).await;
        assert_eq!(replay, (StatusCode::UNAUTHORIZED, refused.clone()));
        // Another recipient under that sign; a stale one; garbage.
        let other = platform_sign("someone@example.com", now, trace);
        let stale_at = now - 10 * 60 * 1000;
        let stale = platform_sign("someone@example.com", stale_at, trace);
        for body in [
            email("else@example.com", now, &other),
            email("someone@example.com", stale_at, &stale),
            email("someone@example.com", now, "not base64!"),
            email("someone@example.com", now, &BASE64.encode([7u8; 128])),
        ] {
            let answer = send(&receiver, message(paths::EMAIL_MESSAGE, &body)).await;
            assert_eq!(answer, (StatusCode::UNAUTHORIZED, refused.clone()));
        }
        assert_eq!(mailer.emails.load(Ordering::SeqCst), 1);

        // An SMS, signed, once; its malformed JSON is answered in the message shape.
        let sms = json!({
            "toUser": "18321956010", "trace": trace, "content": "847999", "timestamp": now,
            "sign": platform_sign("18321956010", now, trace), "pushType": "whatsapp"
        });
        let answer = send(&receiver, message(paths::SMS_MESSAGE, &sms)).await;
        assert_eq!(
            answer,
            (StatusCode::OK, json!({"msg": "success", "code": "200"}))
        );
        let (status, body) = send(
            &receiver,
            Request::post(paths::SMS_MESSAGE)
                .body(Bytes::from("{"))
                .unwrap(),
        )
        .await;
        assert_eq!(
            (status, &body["code"]),
            (StatusCode::BAD_REQUEST, &json!(codes::MALFORMED_JSON))
        );
        assert!(body.get("ok").is_none(), "{body}");
        assert_eq!(mailer.sms.load(Ordering::SeqCst), 1);

        // Webhooks are not served by this receiver.
        let answer = send(
            &receiver,
            json_request(paths::CREDIT_LIMIT_ADJUSTMENT, &adjustment(&key())),
        )
        .await;
        assert_answer(&answer, StatusCode::NOT_FOUND, codes::UNKNOWN_PATH);
        // Its Debug shows no key.
        let debug = format!("{receiver:?}");
        assert!(!debug.contains(&MESSAGE_KEY[40..72]), "{debug}");
    })
    .await;
}

/// Calls the receiver as a framework calls a tower service; the answer's status, headers and
/// body, whose announced size must be its length.
async fn call_service<B>(receiver: &Receiver, request: Request<B>) -> (StatusCode, HeaderMap, Value)
where
    Receiver: Service<Request<B>, Response = Response<AnswerBody>, Error = Infallible>,
{
    let mut service = receiver.clone();
    let Ok(()) = std::future::poll_fn(|cx| service.poll_ready(cx)).await;
    let Ok(response) = service.call(request).await;
    let (parts, body) = response.into_parts();
    let announced = body.size_hint().exact();
    let Ok(body) = body.collect().await.map(|collected| collected.to_bytes());
    assert_eq!(announced, Some(body.len() as u64));
    let json = serde_json::from_slice(&body).expect("a JSON answer");
    (parts.status, parts.headers, json)
}

/// A request body as a socket delivers it: in chunks, its size unannounced; `then_fail` ends
/// it with a broken connection instead.
fn chunked(text: &str, then_fail: bool) -> impl Body<Data = Bytes, Error = std::io::Error> + use<> {
    let mut frames: Vec<Result<Frame<Bytes>, std::io::Error>> = text
        .as_bytes()
        .chunks(100)
        .map(|chunk| Ok(Frame::data(Bytes::copy_from_slice(chunk))))
        .collect();
    if then_fail {
        frames.push(Err(std::io::Error::other("connection reset")));
    }
    StreamBody::new(futures::stream::iter(frames))
}

/// A body announcing `size` bytes that fails the test if anything reads it.
struct Unread {
    size: u64,
}

impl Body for Unread {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        panic!("a body the receiver refuses unread was read");
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.size)
    }
}

fn with_body<B>(request: Request<Bytes>, body: B) -> Request<B> {
    request.map(|_| body)
}

/// The wallet (plain `async fn`s) behind the receiver as a tower service: a chunked adjustment
/// is applied and its repeat answered from the store, with the answer `Receiver::handle`
/// gives; a body past the limit is refused whether it announces its size (then it is not read
/// at all) or not; a body that breaks off is refused; a request refused for its method or path
/// is answered without its body being read.
#[tokio::test]
async fn the_tower_service_reads_chunked_bodies_within_the_limit() {
    bounded(async {
        let wallet = Wallet::applying();
        let receiver = small_bodies(&wallet);
        let key = key();
        let body = adjustment(&key).to_string();
        let request = json_request(paths::CREDIT_LIMIT_ADJUSTMENT, &adjustment(&key));
        let trace = request.headers()["trace"].to_str().unwrap().to_owned();

        let (status, headers, applied) =
            call_service(&receiver, with_body(request.clone(), chunked(&body, false))).await;
        assert_eq!(headers["content-type"], "application/json");
        assert_answer(&(status, applied.clone()), StatusCode::OK, codes::SUCCESS);
        assert_eq!(
            (&applied["trace"], &applied["data"]),
            (&json!(trace), &json!({}))
        );
        let (status, _, repeated) =
            call_service(&receiver, with_body(request.clone(), chunked(&body, false))).await;
        assert_eq!((status, &repeated), (StatusCode::OK, &applied));
        let handled = send(&receiver, request.clone()).await;
        assert_eq!(handled, (StatusCode::OK, applied));
        assert_eq!(wallet.applies(), 1);

        let mut big = adjustment(&self::key());
        big["ip"] = json!("x".repeat(2048));
        let big = big.to_string();
        let unannounced = call_service(&receiver, with_body(request.clone(), chunked(&big, false)));
        let (status, _, answer) = unannounced.await;
        assert_answer(
            &(status, answer),
            StatusCode::PAYLOAD_TOO_LARGE,
            codes::TOO_LARGE,
        );
        let announced = with_body(request.clone(), Unread { size: 1025 });
        let (status, _, answer) = call_service(&receiver, announced).await;
        assert_answer(
            &(status, answer),
            StatusCode::PAYLOAD_TOO_LARGE,
            codes::TOO_LARGE,
        );
        // A body of exactly the limit is read whole, and applied.
        let mut at_limit = adjustment(&self::key()).to_string();
        at_limit.push_str(&" ".repeat(1024 - at_limit.len()));
        let (status, _, answer) = call_service(
            &receiver,
            with_body(request.clone(), chunked(&at_limit, false)),
        )
        .await;
        assert_answer(&(status, answer), StatusCode::OK, codes::SUCCESS);
        assert_eq!(wallet.applies(), 2);

        let broken = with_body(request.clone(), chunked(&body[..150], true));
        let (status, _, answer) = call_service(&receiver, broken).await;
        assert_answer(
            &(status, answer.clone()),
            StatusCode::BAD_REQUEST,
            codes::MALFORMED_JSON,
        );
        assert_eq!(
            answer["msg"],
            "the body is not JSON: the body could not be read"
        );

        let mut get = with_body(request.clone(), Unread { size: 10 });
        *get.method_mut() = Method::GET;
        let (status, headers, answer) = call_service(&receiver, get).await;
        assert_eq!(headers["allow"], "POST");
        assert_answer(
            &(status, answer),
            StatusCode::METHOD_NOT_ALLOWED,
            codes::METHOD_NOT_ALLOWED,
        );
        for path in [paths::EMAIL_MESSAGE, "/elsewhere"] {
            let mut elsewhere = with_body(request.clone(), Unread { size: 10 });
            *elsewhere.uri_mut() = path.parse().unwrap();
            let (status, _, answer) = call_service(&receiver, elsewhere).await;
            assert_answer(
                &(status, answer),
                StatusCode::NOT_FOUND,
                codes::UNKNOWN_PATH,
            );
        }
        assert_eq!(wallet.applies(), 2);
    })
    .await;
}

/// The receiver mounted in an axum application with no SDK feature for it: a tower service
/// nested under a prefix, next to a route of the application's own, over a real socket.
#[tokio::test]
async fn the_receiver_mounts_in_axum_as_a_service_over_a_socket() {
    bounded(async {
        let wallet = Wallet::applying();
        let receiver = small_bodies(&wallet);
        let app = axum::Router::new()
            .route("/health", axum::routing::get(|| async { "ok" }))
            .nest_service("/callbacks", receiver);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let server = tokio::spawn(async move { axum::serve(listener, app).await });
        let client = reqwest::Client::new();
        let post = |path: &str, body: String| {
            client
                .post(format!("{base}/callbacks{path}"))
                .header("content-type", "application/json")
                .header("trace", "t-axum")
                .header("companyId", COMPANY.to_string())
                .header("timestamp", now_ms().to_string())
                .body(body)
                .send()
        };
        let answer = |response: reqwest::Response| async move {
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap();
            (StatusCode::from_u16(status).unwrap(), body)
        };

        let key = key();
        let applied = answer(
            post(paths::CREDIT_LIMIT_ADJUSTMENT, adjustment(&key).to_string())
                .await
                .unwrap(),
        )
        .await;
        assert_answer(&applied, StatusCode::OK, codes::SUCCESS);
        assert_eq!(applied.1["trace"], "t-axum");
        let repeat = answer(
            post(paths::CREDIT_LIMIT_ADJUSTMENT, adjustment(&key).to_string())
                .await
                .unwrap(),
        )
        .await;
        assert_answer(&repeat, StatusCode::OK, codes::SUCCESS);
        let reversed = answer(
            post(
                paths::CANCEL_CREDIT_LIMIT_ADJUSTMENT,
                cancel("c-1", &key).to_string(),
            )
            .await
            .unwrap(),
        )
        .await;
        assert_answer(&reversed, StatusCode::OK, codes::SUCCESS);

        let mut big = adjustment(&format!("{key}-big"));
        big["ip"] = json!("x".repeat(4096));
        let too_large = answer(
            post(paths::CREDIT_LIMIT_ADJUSTMENT, big.to_string())
                .await
                .unwrap(),
        )
        .await;
        assert_answer(&too_large, StatusCode::PAYLOAD_TOO_LARGE, codes::TOO_LARGE);

        let get = client
            .get(format!("{base}/callbacks{}", paths::GET_USER_AMOUNT))
            .send()
            .await
            .unwrap();
        assert_eq!(get.headers().get("allow").unwrap(), "POST");
        assert_answer(
            &answer(get).await,
            StatusCode::METHOD_NOT_ALLOWED,
            codes::METHOD_NOT_ALLOWED,
        );
        // Messages are not configured: answered in the callbacks' shape.
        let none = answer(post(paths::EMAIL_MESSAGE, "{}".to_owned()).await.unwrap()).await;
        assert_answer(&none, StatusCode::NOT_FOUND, codes::UNKNOWN_PATH);
        // The application's own route is untouched.
        let health = client.get(format!("{base}/health")).send().await.unwrap();
        assert_eq!(health.text().await.unwrap(), "ok");

        assert_eq!(wallet.applies(), 1);
        assert_eq!(wallet.reverses(), [(key, WasApplied::Yes)]);
        server.abort();
    })
    .await;
}

#[test]
fn callbacks_are_routed_by_their_exact_paths() {
    for callback in Callback::ALL {
        assert_eq!(Callback::from_path(callback.path()), Some(callback));
    }
    assert_eq!(Callback::from_path("/messages/email/"), None);
    assert!(Callback::Email.is_message() && !Callback::Cancel.is_message());
}

#[test]
fn the_receiver_is_send_sync_clone() {
    fn check<T: Send + Sync + Clone + 'static>() {}
    check::<Receiver>();
}

#[test]
fn exact_amounts_are_padded_never_rounded() {
    use mm_sdk::callbacks::receiver::{AmountError, exact_amount};
    assert_eq!(exact_amount("125.5", 2).unwrap().to_string(), "125.50");
    assert_eq!(exact_amount("-0.1", 4).unwrap().to_string(), "-0.1000");
    assert_eq!(exact_amount("42", 0).unwrap().to_string(), "42");
    assert_eq!(
        exact_amount("1.005", 2),
        Err(AmountError::TooManyPlaces {
            places: 3,
            digits: 2
        })
    );
    assert_eq!(exact_amount("1", -1), Err(AmountError::NegativeDigits));
    assert_eq!(exact_amount("1", 29), Err(AmountError::TooManyDigits));
    for text in ["", "-", ".5", "5.", "+5", "1_000", "1e3", "0x10", "1.2.3"] {
        assert_eq!(
            exact_amount(text, 4),
            Err(AmountError::NotADecimal),
            "{text:?}"
        );
    }
    // 28 digits of mantissa cannot take 28 places more.
    assert_eq!(
        exact_amount("7922816251426433759354395033", 28),
        Err(AmountError::NotADecimal)
    );
}

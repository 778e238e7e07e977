//! The platform's side of the callbacks: what it sends to an integrator's server, and how.
//!
//! A [`Platform`] sends the three webhooks of an external wallet and the two message
//! callbacks to a receiver's base URL, as `openapi/callbacks/callbacks.yaml` describes them:
//! `POST`, JSON, the headers `trace` (fresh per request), `companyId` and `timestamp`. It
//! follows upstream's protocol for an adjustment ([`Platform::adjust`]): wait
//! [`Platform::deadline`] (3 s) for the answer; on a timeout, an error or a failure answer,
//! send the cancel, and send it again until it is answered. It also produces, on demand, the
//! deliveries a real network does now and then: the same adjustment twice
//! ([`Platform::deliver_twice`]), many times at once ([`Platform::deliver_concurrently`]), and
//! its cancel before it ([`Platform::cancel_first`]). Every exchange is returned as a
//! [`Reply`] so that a test or an example can check what the receiver answered.
//!
//! Message callbacks carry `sign`: `toUser@timestamp@trace` encrypted with the white label's
//! RSA public key (PKCS#1 v1.5) and base64-encoded, as upstream makes it.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use rsa::RsaPublicKey;
use rsa::pkcs1v15::Pkcs1v15Encrypt;
use rsa::pkcs8::DecodePublicKey;
use rsa::rand_core::OsRng;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use url::Url;

/// The paths the platform sends to, as the callback spec names them.
pub mod paths {
    /// The balance query.
    pub const GET_USER_AMOUNT: &str = "/get-user-amount";
    /// An adjustment.
    pub const CREDIT_LIMIT_ADJUSTMENT: &str = "/external-system-credit-limit-adjustment";
    /// The cancel of an adjustment.
    pub const CANCEL_CREDIT_LIMIT_ADJUSTMENT: &str =
        "/cancel-external-system-credit-limit-adjustment";
    /// An email (a path the receiver chooses; this is the SDK's).
    pub const EMAIL_MESSAGE: &str = "/messages/email";
    /// A text message (likewise).
    pub const SMS_MESSAGE: &str = "/messages/sms";
}

/// The codes with which a receiver answers a cancel that needs no repeat: reversed, received
/// but not applied, never received.
const CANCEL_SETTLED: [&str; 3] = ["0", "US_0000001", "US_0000002"];

/// Why a delivery got no answer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DeliveryError {
    /// No answer within the deadline.
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    /// The receiver could not be reached, or broke the connection.
    #[error("the receiver could not be reached: {0}")]
    Transport(String),
    /// The answer was not JSON.
    #[error("the answer (HTTP {status}) is not JSON: {body}")]
    NotJson {
        /// Its HTTP status.
        status: u16,
        /// Its first bytes.
        body: String,
    },
}

/// A message key that is not an RSA public key in base64 DER (SubjectPublicKeyInfo).
#[derive(Debug, thiserror::Error)]
#[error("the message key is not an RSA public key in base64 DER (SubjectPublicKeyInfo)")]
pub struct InvalidMessageKey;

/// What the receiver answered to one request.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// The answer.
    pub body: Value,
}

impl Reply {
    /// The answer's `code` (`"0"` for a webhook's success, `"200"` for a message's).
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or_default()
    }

    /// Whether it is a webhook's success: `code` `"0"` and `ok: true`.
    pub fn is_success(&self) -> bool {
        self.code() == "0" && self.body["ok"] == Value::Bool(true)
    }
}

/// An adjustment as the platform sends it; [`Adjustment::body`] is its JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Adjustment {
    /// The user's id on the platform.
    pub user_name: String,
    /// The user's id in the integrator's system.
    pub third_server_code: String,
    /// The account's currency.
    pub currency: String,
    /// The change: positive when opening or closing, negative for an abnormal loss.
    pub amount: Decimal,
    /// `OPEN_POSITION`, `NORMAL_CLOSE` or `ABNORMAL_OVERTRADING`.
    pub operation_type: String,
    /// The order behind it.
    pub order_id: i64,
    /// Its idempotency key.
    pub request_unique_no: String,
}

impl Adjustment {
    /// An adjustment of `amount` in `currency` for `user_name`, opening a position, keyed by
    /// `request_unique_no`.
    pub fn new(
        user_name: impl Into<String>,
        currency: impl Into<String>,
        amount: Decimal,
        request_unique_no: impl Into<String>,
    ) -> Self {
        let user_name = user_name.into();
        Self {
            third_server_code: format!("wallet-{user_name}"),
            user_name,
            currency: currency.into(),
            amount,
            operation_type: "OPEN_POSITION".into(),
            order_id: 908_123_456_789,
            request_unique_no: request_unique_no.into(),
        }
    }

    /// Its JSON, sent at `now_ms`: `amount` as a string with `amountDigits` its places.
    pub fn body(&self, now_ms: i64) -> Value {
        json!({
            "thirdServerCode": self.third_server_code,
            "userName": self.user_name,
            "currency": self.currency,
            "bizType": 1,
            "operationType": self.operation_type,
            "amount": self.amount.to_string(),
            "amountDigits": self.amount.scale(),
            "orderId": self.order_id,
            "requestUniqueNo": self.request_unique_no,
            "requestTime": now_ms,
            "ip": "203.0.113.7",
            "metadata": "{\"source\":\"sandbox\"}",
        })
    }

    /// The JSON of its cancel, sent at `now_ms`, itself keyed by `cancel_no`.
    pub fn cancel_body(&self, cancel_no: &str, now_ms: i64, remark: &str) -> Value {
        json!({
            "thirdServerCode": self.third_server_code,
            "userName": self.user_name,
            "currency": self.currency,
            "bizType": 1,
            "amount": self.amount.abs().to_string(),
            "amountDigits": self.amount.scale(),
            "orderId": self.order_id,
            "requestUniqueNo": cancel_no,
            "reverseRequestUniqueNo": self.request_unique_no,
            "requestTime": now_ms,
            "ip": "203.0.113.7",
            "cancelRemark": remark,
        })
    }

    /// The `requestUniqueNo` of its cancel: one per adjustment, the same on every repeat.
    pub fn cancel_no(&self) -> String {
        format!("cancel-{}", self.request_unique_no)
    }
}

/// How an adjustment ended, as the platform saw it.
#[derive(Debug)]
pub struct Settlement {
    /// The answer to the adjustment, or why there was none in time.
    pub adjustment: Result<Reply, DeliveryError>,
    /// Each attempt of the cancel, when one was needed, oldest first.
    pub cancels: Vec<Result<Reply, DeliveryError>>,
}

impl Settlement {
    /// Whether the adjustment was applied and stays so: answered with success in time.
    pub fn applied(&self) -> bool {
        self.adjustment.as_ref().is_ok_and(Reply::is_success)
    }

    /// The answer that settled the cancel, if it was settled.
    pub fn cancel_settled(&self) -> Option<&Reply> {
        self.cancels
            .iter()
            .filter_map(|attempt| attempt.as_ref().ok())
            .find(|reply| CANCEL_SETTLED.contains(&reply.code()))
    }
}

/// The platform, sending callbacks to one receiver.
#[derive(Debug, Clone)]
pub struct Platform {
    /// The client, or why none could be made (no TLS crypto provider): said by each delivery.
    http: Result<reqwest::Client, String>,
    base: Url,
    company_id: i64,
    deadline: Duration,
    cancel_attempts: u32,
    cancel_pause: Duration,
    message_key: Option<RsaPublicKey>,
}

/// An HTTP client on the SDK's TLS configuration; without a crypto provider (neither provider
/// feature, and none installed), why not, instead of reqwest's panic.
fn http_client() -> Result<reqwest::Client, String> {
    let tls = mm_sdk_core::__private::tls_client_config()?;
    reqwest::Client::builder()
        .use_preconfigured_tls((*tls).clone())
        .build()
        .map_err(|e| format!("cannot set up an HTTP client: {e}"))
}

impl Platform {
    /// The platform of company `company_id`, sending to the receiver at `base` (its paths
    /// appended), with upstream's 3 s deadline and up to 5 attempts of a cancel, 200 ms apart.
    pub fn new(base: Url, company_id: i64) -> Self {
        Self {
            http: http_client(),
            base,
            company_id,
            deadline: Duration::from_secs(3),
            cancel_attempts: 5,
            cancel_pause: Duration::from_millis(200),
            message_key: None,
        }
    }

    /// How long it waits for an answer (upstream: 3 s).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// How many times it sends a cancel at most, and the pause between two.
    pub fn cancel_attempts(mut self, attempts: u32, pause: Duration) -> Self {
        self.cancel_attempts = attempts.max(1);
        self.cancel_pause = pause;
        self
    }

    /// The white label's public key (base64 DER, as the back office takes it), to sign
    /// messages with.
    pub fn message_key(mut self, public_key: &str) -> Result<Self, InvalidMessageKey> {
        let der = BASE64
            .decode(public_key.trim())
            .map_err(|_| InvalidMessageKey)?;
        self.message_key =
            Some(RsaPublicKey::from_public_key_der(&der).map_err(|_| InvalidMessageKey)?);
        Ok(self)
    }

    /// Sends `body` to `path` once, with fresh headers, and waits for the answer.
    pub async fn deliver(&self, path: &str, body: &Value) -> Result<Reply, DeliveryError> {
        let url = self
            .base
            .join(path.trim_start_matches('/'))
            .map_err(|e| DeliveryError::Transport(e.to_string()))?;
        let http = self
            .http
            .as_ref()
            .map_err(|e| DeliveryError::Transport(e.clone()))?;
        let request = http
            .post(url)
            .header("trace", format!("x-{}", uuid::Uuid::new_v4()))
            .header("companyId", self.company_id)
            .header("timestamp", now_ms())
            .json(body)
            .timeout(self.deadline);
        let response = request.send().await.map_err(|e| self.failure(e))?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await.map_err(|e| self.failure(e))?;
        serde_json::from_slice(&bytes)
            .map(|body| Reply { status, body })
            .map_err(|_| DeliveryError::NotJson {
                status,
                body: String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).into_owned(),
            })
    }

    fn failure(&self, error: reqwest::Error) -> DeliveryError {
        if error.is_timeout() {
            DeliveryError::Timeout(self.deadline)
        } else {
            DeliveryError::Transport(error.without_url().to_string())
        }
    }

    /// Asks for `user_name`'s balance in `currency`.
    pub async fn balance(&self, user_name: &str, currency: &str) -> Result<Reply, DeliveryError> {
        let body = json!({
            "thirdServerCode": format!("wallet-{user_name}"),
            "userName": user_name,
            "currency": currency,
        });
        self.deliver(paths::GET_USER_AMOUNT, &body).await
    }

    /// Upstream's protocol for one adjustment: send it; unless it is answered with success
    /// within the deadline, send its cancel until the cancel is settled (reversed, received
    /// but not applied, never received) or the attempts run out.
    pub async fn adjust(&self, adjustment: &Adjustment) -> Settlement {
        let answer = self
            .deliver(paths::CREDIT_LIMIT_ADJUSTMENT, &adjustment.body(now_ms()))
            .await;
        let mut settlement = Settlement {
            adjustment: answer,
            cancels: Vec::new(),
        };
        if !settlement.applied() {
            let remark = match &settlement.adjustment {
                Ok(reply) => format!("refused: {}", reply.code()),
                Err(error) => error.to_string(),
            };
            settlement.cancels = self.cancel(adjustment, &remark).await;
        }
        settlement
    }

    /// Sends the cancel of `adjustment` until it is settled or the attempts run out; every
    /// attempt carries the same cancel number.
    pub async fn cancel(
        &self,
        adjustment: &Adjustment,
        remark: &str,
    ) -> Vec<Result<Reply, DeliveryError>> {
        let cancel_no = adjustment.cancel_no();
        let mut attempts = Vec::new();
        for attempt in 0..self.cancel_attempts {
            if attempt > 0 {
                tokio::time::sleep(self.cancel_pause).await;
            }
            let body = adjustment.cancel_body(&cancel_no, now_ms(), remark);
            let reply = self
                .deliver(paths::CANCEL_CREDIT_LIMIT_ADJUSTMENT, &body)
                .await;
            let settled = reply
                .as_ref()
                .is_ok_and(|reply| CANCEL_SETTLED.contains(&reply.code()));
            attempts.push(reply);
            if settled {
                break;
            }
        }
        attempts
    }

    /// The same adjustment delivered twice, one after the other (a retry after a lost answer).
    pub async fn deliver_twice(
        &self,
        adjustment: &Adjustment,
    ) -> [Result<Reply, DeliveryError>; 2] {
        let body = adjustment.body(now_ms());
        let first = self.deliver(paths::CREDIT_LIMIT_ADJUSTMENT, &body).await;
        let second = self.deliver(paths::CREDIT_LIMIT_ADJUSTMENT, &body).await;
        [first, second]
    }

    /// The same adjustment delivered `copies` times at once.
    pub async fn deliver_concurrently(
        &self,
        adjustment: &Adjustment,
        copies: usize,
    ) -> Vec<Result<Reply, DeliveryError>> {
        let body = adjustment.body(now_ms());
        futures::future::join_all(
            (0..copies).map(|_| self.deliver(paths::CREDIT_LIMIT_ADJUSTMENT, &body)),
        )
        .await
    }

    /// Out of order: the cancel of `adjustment` first, then the adjustment itself (its cancel
    /// overtook it on the network).
    pub async fn cancel_first(
        &self,
        adjustment: &Adjustment,
    ) -> (
        Vec<Result<Reply, DeliveryError>>,
        Result<Reply, DeliveryError>,
    ) {
        let cancels = self.cancel(adjustment, "sent before its adjustment").await;
        let late = self
            .deliver(paths::CREDIT_LIMIT_ADJUSTMENT, &adjustment.body(now_ms()))
            .await;
        (cancels, late)
    }

    /// An email to `to`, signed with the message key.
    pub async fn email(
        &self,
        to: &str,
        title: &str,
        content: &str,
    ) -> Result<Reply, DeliveryError> {
        let mut body = self.message(to, content)?;
        body["title"] = Value::from(title);
        self.deliver(paths::EMAIL_MESSAGE, &body).await
    }

    /// A text message to `to`, signed with the message key.
    pub async fn sms(&self, to: &str, content: &str) -> Result<Reply, DeliveryError> {
        let body = self.message(to, content)?;
        self.deliver(paths::SMS_MESSAGE, &body).await
    }

    /// A message's fields and its `sign`.
    fn message(&self, to: &str, content: &str) -> Result<Value, DeliveryError> {
        let key = self.message_key.as_ref().ok_or_else(|| {
            DeliveryError::Transport("no message key: set one with Platform::message_key".into())
        })?;
        let trace = uuid::Uuid::new_v4().simple().to_string();
        let timestamp = now_ms();
        let signed = format!("{to}@{timestamp}@{trace}");
        let sign = key
            .encrypt(&mut OsRng, Pkcs1v15Encrypt, signed.as_bytes())
            .map_err(|e| DeliveryError::Transport(format!("cannot sign: {e}")))?;
        Ok(json!({
            "toUser": to,
            "trace": trace,
            "sign": BASE64.encode(sign),
            "content": content,
            "timestamp": timestamp,
        }))
    }
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

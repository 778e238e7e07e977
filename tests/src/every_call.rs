//! The harness of `tests/every_call.rs`, which the codegen writes: every operation called as
//! users call it, `mm.<api>().<group>().<method>(...)`, compared with the same operation sent
//! from the same example through the one call path that `tests/wire.rs` checks against its
//! spec. Both must put the same request on the wire and read the same answer.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::future::IntoFuture;

use mm_sdk::{
    AccessToken, AppSecret, Endpoints, Environment, LoginToken, ManagerToken, MultiMarkets,
    OpenApiKey, QuoteToken, RetryPolicy,
};
use mm_sdk_core::{Builder, Encoding, Runtime};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::every_operation::{Sendable, TOKEN, sendable};
use crate::examples::failure_envelope;
use crate::recorder::{Received, Recorder};

const COMPANY: &str = "421";
const API_KEY: &str = "1710e1f6b4b54c15bea72e8669966591";
/// A PKCS#8 RSA test key (never used anywhere real).
const TEST_KEY: &str = include_str!("../../sdk-ergonomic/tests/fixtures/open_api_key.pkcs8.b64");

/// The headers whose value changes from one call to the next: compared by their presence.
const PER_CALL_HEADERS: [&str; 4] = ["trace", "idempotency-key", "timestamp", "signature"];

/// A recording server, a client configured for it, and every operation with its examples.
#[derive(Debug)]
pub struct Harness {
    server: Recorder,
    mm: MultiMarkets,
    runtime: Runtime,
    operations: BTreeMap<(String, String), Sendable>,
    /// Each operation's header and query arguments, from its examples.
    arguments: BTreeMap<(String, String), Vec<String>>,
    problems: RefCell<Vec<String>>,
    checked: RefCell<usize>,
}

impl Harness {
    /// Starts the server; the client has every credential an operation may need.
    pub async fn start() -> Self {
        let server = Recorder::start().await;
        let key = || OpenApiKey::new(API_KEY, TEST_KEY).expect("the test key");
        let mm =
            MultiMarkets::builder(Environment::custom(Endpoints::same_host(server.base_url())))
                .company_id(COMPANY)
                .manager_token(ManagerToken::new("manager-token"))
                .quote_token(QuoteToken::new("quote-token"))
                .app_credentials("app-id", AppSecret::new("app-secret"))
                .open_api_key(key())
                .retry(RetryPolicy::NEVER)
                .build()
                .expect("a valid configuration");
        let runtime =
            Builder::<Runtime>::new(Environment::custom(Endpoints::same_host(server.base_url())))
                .company_id(COMPANY)
                .lang(mm.lang().clone())
                .manager_token(ManagerToken::new("manager-token"))
                .quote_token(QuoteToken::new("quote-token"))
                .open_api_key(key())
                .retry(RetryPolicy::NEVER)
                .build()
                .expect("a valid configuration");
        let areas = crate::areas();
        let operations: BTreeMap<_, _> = sendable(&areas)
            .into_iter()
            .map(|s| ((s.op.api.as_str().to_owned(), s.op.id.to_owned()), s))
            .collect();
        let arguments = operations
            .iter()
            .map(|(key, s)| {
                let values = s.header_values().into_iter().map(Option::unwrap_or_default);
                (key.clone(), values.collect())
            })
            .collect();
        Self {
            server,
            mm,
            runtime,
            operations,
            arguments,
            problems: RefCell::default(),
            checked: RefCell::default(),
        }
    }

    /// The client, as a user has it.
    pub fn client(&self) -> &MultiMarkets {
        &self.mm
    }

    /// The login token of the calls that take one.
    pub fn login_token(&self) -> LoginToken {
        LoginToken::new(TOKEN)
    }

    /// The Auth2 access token of the calls that take one.
    pub fn access_token(&self) -> AccessToken {
        AccessToken::new(TOKEN)
    }

    fn operation(&self, api: &str, id: &str) -> &Sendable {
        self.operations
            .get(&(api.to_owned(), id.to_owned()))
            .unwrap_or_else(|| panic!("{api} `{id}` is not an operation of the specs"))
    }

    /// The value of the operation's header or query argument `index`.
    pub fn argument(&self, api: &str, id: &str, index: usize) -> &str {
        &self.arguments[&(api.to_owned(), id.to_owned())][index]
    }

    /// The operation's request, made from its first documented example.
    pub fn request<T: DeserializeOwned>(&self, api: &str, id: &str) -> T {
        let operation = self.operation(api, id);
        let example = match operation.op.encoding {
            Encoding::Traced => &operation.requests[0]["data"],
            _ => &operation.requests[0],
        };
        serde_json::from_value(example.clone())
            .unwrap_or_else(|e| panic!("{api} `{id}`: the example is not its request type: {e}"))
    }

    /// Awaits `call` (the operation's method, as users call it) with the server answering the
    /// operation's first documented answer, then sends the operation from the same example
    /// through the one call path, and records where the two differ.
    pub async fn check<T: Serialize>(
        &self,
        api: &str,
        id: &str,
        call: impl IntoFuture<Output = Result<T, mm_sdk::Error>>,
    ) {
        let operation = self.operation(api, id);
        let answer = operation
            .responses
            .first()
            .cloned()
            .unwrap_or_else(failure_envelope);
        self.server.answer(operation.op.path, answer);
        let typed = call
            .await
            .map(|data| serde_json::to_value(data).expect("data writes as JSON"));
        let typed_requests = self.server.take();
        let raw = operation.send(&self.runtime, 0, TOKEN).await;
        let raw_requests = self.server.take();
        let mut problems = self.problems.borrow_mut();
        let context = format!("{api} `{id}`");
        match (typed_requests.as_slice(), raw_requests.as_slice()) {
            ([typed], [raw]) => {
                for problem in differences(typed, raw) {
                    problems.push(format!("{context}: {problem}"));
                }
            }
            (typed, raw) => problems.push(format!(
                "{context}: {} requests from the method, {} from the call path",
                typed.len(),
                raw.len()
            )),
        }
        match (typed, raw) {
            (Ok(typed), Ok(raw)) if typed == raw => {}
            (Err(typed), Err(raw)) if typed.kind() == raw.kind() => {}
            (typed, raw) => problems.push(format!(
                "{context}: the method answered {typed:?}, the call path {raw:?}"
            )),
        }
        *self.checked.borrow_mut() += 1;
    }

    /// Fails with every difference found, and unless `count` calls were checked, one per
    /// operation of the specs.
    pub fn finish(&self, count: usize) {
        let problems = self.problems.borrow();
        assert!(
            problems.is_empty(),
            "{} difference(s):\n{}",
            problems.len(),
            problems.join("\n")
        );
        assert_eq!(*self.checked.borrow(), count);
        assert_eq!(count, self.operations.len(), "every operation is called");
    }
}

/// Where two requests of one operation differ, what changes per call aside.
fn differences(typed: &Received, raw: &Received) -> Vec<String> {
    let mut out = Vec::new();
    if typed.method != raw.method || typed.path != raw.path {
        out.push(format!(
            "{} {} instead of {} {}",
            typed.method, typed.path, raw.method, raw.path
        ));
    }
    let query = |received: &Received| -> Vec<(String, String)> {
        received
            .query
            .iter()
            .map(|(name, value)| (name.clone(), without_trace(value)))
            .collect()
    };
    if query(typed) != query(raw) {
        out.push(format!(
            "query {:?} instead of {:?}",
            query(typed),
            query(raw)
        ));
    }
    let headers = |received: &Received| -> BTreeMap<String, String> {
        received
            .headers
            .iter()
            .map(|(name, value)| {
                let value = if PER_CALL_HEADERS.contains(&name.as_str()) {
                    "<per call>".to_owned()
                } else {
                    without_boundary(value.to_str().unwrap_or("<not text>"), received)
                };
                (name.to_string(), value)
            })
            .collect()
    };
    if headers(typed) != headers(raw) {
        out.push(format!(
            "headers {:?} instead of {:?}",
            headers(typed),
            headers(raw)
        ));
    }
    let body = |received: &Received| {
        let text = String::from_utf8_lossy(&received.body);
        without_boundary(&without_trace(&text), received)
    };
    if body(typed) != body(raw) {
        out.push(format!("body {:?} instead of {:?}", body(typed), body(raw)));
    }
    out
}

/// `text` without the trace a traced request carries (`{"trace": <the call's>, "data": ...}`).
fn without_trace(text: &str) -> String {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(mut map)) if map.contains_key("trace") && map.contains_key("data") => {
            map.remove("trace");
            Value::Object(map).to_string()
        }
        _ => text.to_owned(),
    }
}

/// `text` with the multipart boundary of `received` (a fresh one per call) replaced.
fn without_boundary(text: &str, received: &Received) -> String {
    let boundary = received
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once("boundary="))
        .map(|(_, boundary)| boundary.to_owned());
    match boundary {
        Some(boundary) if !boundary.is_empty() => text.replace(&boundary, "<boundary>"),
        _ => text.to_owned(),
    }
}

//! Every operation of every spec, sent with each of its documented request examples to a local
//! server that answers with its documented response examples: the request must be exactly what
//! the spec says (method, path, every header and where its value comes from, the body) and each
//! answer must decode into the operation's types without losing a field. A new operation is
//! covered by its spec and examples alone.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use mm_sdk_codegen::model::Source;
use mm_sdk_core::Source as Filled;
use mm_sdk_core::{Endpoints, ErrorKind, ManagerToken, OpenApiKey, RetryPolicy, Runtime, Settings};
use mm_sdk_tests::every_operation::{Sendable, TOKEN, sendable};
use mm_sdk_tests::examples::{failure_envelope, normalized};
use mm_sdk_tests::recorder::{Received, Recorder};
use mm_sdk_tests::{areas, bounded};
use serde_json::Value;

const COMPANY: &str = "421";
const LANG: &str = "en-US";
const VERSION: &str = "0.0.1";
const MANAGER_TOKEN: &str = "a541f9d5-2507-42b3-b790-59e1f755c380app";
const API_KEY: &str = "1710e1f6b4b54c15bea72e8669966591";
const RECV_WINDOW_MS: u64 = 5000;
/// A PKCS#8 RSA test key (never used anywhere real).
const TEST_KEY: &str = include_str!("../../sdk-ergonomic/tests/fixtures/open_api_key.pkcs8.b64");

fn key() -> OpenApiKey {
    OpenApiKey::new(API_KEY, TEST_KEY).unwrap()
}

fn runtime(server: &Recorder) -> Runtime {
    Runtime::new(
        reqwest::Client::new(),
        Settings {
            endpoints: Endpoints::same_host(server.base_url()),
            company_id: COMPANY.into(),
            lang: LANG.into(),
            api_version: VERSION.into(),
            manager_token: Some(ManagerToken::new(MANAGER_TOKEN)),
            open_api_key: Some(key()),
            recv_window: Some(Duration::from_millis(RECV_WINDOW_MS)),
            retry: RetryPolicy {
                max_attempts: 1,
                base_delay: Duration::ZERO,
            },
        },
    )
    .unwrap()
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

#[tokio::test]
async fn every_operation_sends_its_examples_as_its_spec_says_and_decodes_the_answers() {
    bounded(async {
        let server = Recorder::start().await;
        let runtime = runtime(&server);
        let areas = areas();
        let all = sendable(&areas);
        let mut problems = Vec::new();
        for operation in &all {
            let mut responses = operation.responses.clone();
            if responses.is_empty() {
                // No documented answer: a failure envelope, which every response schema
                // admits, still exercises the request side.
                responses.push(failure_envelope());
            }
            let exchanges = operation.requests.len().max(responses.len());
            for index in 0..exchanges {
                let request = index % operation.requests.len();
                let response = &responses[index % responses.len()];
                server.answer(operation.op.path, response.clone());
                let before = now_ms();
                let result = operation.send(&runtime, request, TOKEN).await;
                let after = now_ms();
                let received = server.take();
                let context = format!("{} `{}` example {index}", operation.op.api, operation.op.id);
                match received.as_slice() {
                    [one] => {
                        for problem in check_request(operation, request, one, before..=after) {
                            problems.push(format!("{context}: {problem}"));
                        }
                    }
                    other => problems.push(format!(
                        "{context}: {} requests reached the server, not one",
                        other.len()
                    )),
                }
                if let Err(problem) = check_answer(operation, response, result) {
                    problems.push(format!("{context}: {problem}"));
                }
            }
        }
        assert!(
            problems.is_empty(),
            "{} problem(s):\n{}",
            problems.len(),
            problems.join("\n")
        );
        assert_eq!(all.len(), mm_sdk_generated::operations().count());
    })
    .await;
}

/// What is wrong with the request that `operation` sent for its request example `index`.
fn check_request(
    operation: &Sendable,
    index: usize,
    received: &Received,
    sent_during: std::ops::RangeInclusive<u64>,
) -> Vec<String> {
    let mut problems = Vec::new();
    let op = operation.op;
    if received.method.as_str() != operation.model.method {
        problems.push(format!("method {}", received.method));
    }
    if received.path != op.path {
        problems.push(format!("path {}", received.path));
    }

    // The body: exactly the example as the request type writes it.
    let example = serde_json::to_vec(&operation.requests[index]).unwrap();
    let expected = op
        .codec
        .request(&example)
        .expect("the example fits the request type");
    if received.body.as_ref() != expected.as_slice() {
        problems.push(format!(
            "body {:?}, expected {:?}",
            String::from_utf8_lossy(&received.body),
            String::from_utf8_lossy(&expected)
        ));
    }
    let body: Value = serde_json::from_slice(&received.body).unwrap_or(Value::Null);
    if normalized(body.clone()) != normalized(operation.requests[index].clone()) {
        problems.push(format!("body {body} differs from the documented example"));
    }

    // Every header, from where the spec says its value comes.
    let header = |name: &str| {
        received
            .headers
            .get(name)
            .map(|v| v.to_str().unwrap_or("<not text>").to_owned())
    };
    let timestamp = op
        .headers
        .iter()
        .find(|h| h.source == Filled::Timestamp)
        .and_then(|h| header(h.name));
    let arguments = operation.header_values();
    for declared in &operation.model.headers {
        let name = declared.name.to_ascii_lowercase();
        let value = header(&name);
        let expected: Option<String> = match &declared.source {
            // A fresh UUID v4 per call: the trace id, and the idempotency key, which must
            // differ from it (a key is the call's, not its trace's).
            Source::Filled(Filled::Trace) => match value.as_deref().map(uuid::Uuid::parse_str) {
                Some(Ok(uuid)) if uuid.get_version_num() == 4 => value.clone(),
                _ => None,
            },
            Source::Filled(Filled::IdempotencyKey) => {
                match value.as_deref().map(uuid::Uuid::parse_str) {
                    Some(Ok(uuid)) if uuid.get_version_num() == 4 && value != header("trace") => {
                        value.clone()
                    }
                    _ => None,
                }
            }
            Source::Filled(Filled::CompanyId) => Some(COMPANY.into()),
            Source::Filled(Filled::Lang) => Some(LANG.into()),
            Source::Filled(Filled::Version) => Some(VERSION.into()),
            Source::Filled(Filled::Credential) => match op.credential {
                mm_sdk_core::Credential::ManagerToken => Some(MANAGER_TOKEN.into()),
                c if c.is_per_call() => Some(TOKEN.into()),
                _ => None,
            },
            Source::Filled(Filled::Timestamp) => value
                .as_deref()
                .and_then(|v| v.parse::<u64>().ok())
                .filter(|t| sent_during.contains(t))
                .map(|t| t.to_string()),
            Source::Filled(Filled::ApiKey) => Some(API_KEY.into()),
            Source::Filled(Filled::Signature) => timestamp
                .as_deref()
                .and_then(|t| t.parse().ok())
                .map(|t| key().sign(&body, t)),
            Source::Filled(Filled::RecvWindow) => Some(RECV_WINDOW_MS.to_string()),
            Source::Filled(other) => {
                problems.push(format!("header `{name}`: unknown source {other:?}"));
                continue;
            }
            Source::Fixed(fixed) => Some(fixed.clone()),
            Source::Argument(index) => arguments[*index].clone(),
        };
        if value != expected {
            problems.push(format!(
                "header `{name}` ({:?}) is {value:?}, expected {expected:?}",
                declared.source
            ));
        }
    }
    // Nothing else but what HTTP itself needs.
    for name in received.headers.keys() {
        let declared = operation
            .model
            .headers
            .iter()
            .any(|h| h.name.eq_ignore_ascii_case(name.as_str()));
        let http = matches!(
            name.as_str(),
            "accept" | "content-type" | "content-length" | "host"
        );
        if !declared && !http {
            problems.push(format!("header `{name}` is not in the spec"));
        }
    }
    problems
}

/// Whether the answer decoded as the documented response says it should.
fn check_answer(
    operation: &Sendable,
    response: &Value,
    result: Result<Value, mm_sdk_core::Error>,
) -> Result<(), String> {
    let ok = response["ok"] == Value::Bool(true) && response["fail"] != Value::Bool(true);
    match result {
        Ok(data) if ok => {
            let expected = if operation.op.returns_nothing {
                Value::Null
            } else {
                response["data"].clone()
            };
            if normalized(data.clone()) == normalized(expected.clone()) {
                Ok(())
            } else {
                Err(format!(
                    "the decoded data does not write back to the example's:\n  got      {data}\n  expected {expected}"
                ))
            }
        }
        Err(error) if !ok => match error.kind() {
            ErrorKind::Api(api) if api.code == response["code"] => Ok(()),
            other => Err(format!("expected the example's API error, got {other}")),
        },
        Ok(data) => Err(format!("a failure example decoded as data {data}")),
        Err(error) => Err(format!("the example did not decode: {error}")),
    }
}

//! Every operation of every spec, sent with each of its documented request examples to a local
//! server that answers with its documented response examples: the request must be exactly what
//! the spec says (method, path, every header and where its value comes from, the body) and each
//! answer must decode into the operation's types without losing a field. A new operation is
//! covered by its spec and examples alone.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use mm_sdk_codegen::model::Source;
use mm_sdk_core::Source as Filled;
use mm_sdk_core::{
    Builder, Encoding, Endpoints, Environment, ErrorKind, ManagerToken, OpenApiKey, QuoteToken,
    RetryPolicy, Runtime,
};
use mm_sdk_tests::every_operation::{Sendable, TOKEN, sendable};
use mm_sdk_tests::examples::{failure_envelope, normalized};
use mm_sdk_tests::recorder::{Received, Recorder};
use mm_sdk_tests::{areas, bounded};
use serde_json::Value;

const COMPANY: &str = "421";
const LANG: &str = "en-US";
const VERSION: &str = "0.0.1";
const MANAGER_TOKEN: &str = "a541f9d5-2507-42b3-b790-59e1f755c380app";
const QUOTE_TOKEN: &str = "65b31e26-312c-4e71-89ae-f5e33073d1c8-1676446387481";
const API_KEY: &str = "1710e1f6b4b54c15bea72e8669966591";
const RECV_WINDOW_MS: u64 = 5000;
/// A PKCS#8 RSA test key (never used anywhere real).
const TEST_KEY: &str = include_str!("../../sdk-ergonomic/tests/fixtures/open_api_key.pkcs8.b64");

fn key() -> OpenApiKey {
    OpenApiKey::new(API_KEY, TEST_KEY).unwrap()
}

/// A runtime with every credential, sending to `server` and never retrying (also the rules
/// test's).
pub(crate) fn runtime(server: &Recorder) -> Runtime {
    Builder::<Runtime>::new(Environment::custom(Endpoints::same_host(server.base_url())))
        .company_id(COMPANY)
        .lang(LANG.parse().unwrap())
        .api_version(VERSION)
        .manager_token(ManagerToken::new(MANAGER_TOKEN))
        .quote_token(QuoteToken::new(QUOTE_TOKEN))
        .open_api_key(key())
        .recv_window(Duration::from_millis(RECV_WINDOW_MS))
        .retry(RetryPolicy::NEVER)
        .build()
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
        let mut signed = 0;
        for operation in &all {
            let mut responses = operation.responses.clone();
            if responses.is_empty() {
                // No documented answer: a failure envelope, which every response schema
                // admits, still exercises the request side.
                responses.push(failure_envelope());
            }
            let exchanges = operation.requests.len().max(responses.len());
            let mut sent: Vec<(String, Exchange)> = (0..exchanges)
                .map(|index| {
                    let context =
                        format!("{} `{}` example {index}", operation.op.api, operation.op.id);
                    let exchange = Exchange {
                        operation,
                        form: Form::Login,
                        request: index % operation.requests.len(),
                        response: &responses[index % responses.len()],
                    };
                    (context, exchange)
                })
                .collect();
            // The other form of an operation an Open API key may call: its route, signed.
            if operation.model.open_api.is_some() {
                signed += 1;
                let context = format!(
                    "{} `{}` with an Open API key",
                    operation.op.api, operation.op.id
                );
                let exchange = Exchange {
                    operation,
                    form: Form::OpenApi,
                    request: 0,
                    response: &responses[0],
                };
                sent.push((context, exchange));
            }
            for (context, exchange) in sent {
                let found = exchange.run(&server, &runtime).await;
                problems.extend(found.into_iter().map(|p| format!("{context}: {p}")));
            }
        }
        assert!(
            problems.is_empty(),
            "{} problem(s):\n{}",
            problems.len(),
            problems.join("\n")
        );
        assert_eq!(all.len(), mm_sdk_generated::operations().count());
        // Every Client operation under the gateway's `/api/global/` that takes a login.
        assert!(
            signed > 250,
            "only {signed} operations were sent with an Open API key"
        );
    })
    .await;
}

/// One request of an operation in one of its forms, and the answer the server gives it.
struct Exchange<'a> {
    operation: &'a Sendable,
    form: Form,
    /// The index of the request example.
    request: usize,
    response: &'a Value,
}

impl Exchange<'_> {
    /// Sends it to `server` through `runtime`: what is wrong with the request the server
    /// received and with the answer decoded.
    async fn run(&self, server: &Recorder, runtime: &Runtime) -> Vec<String> {
        let operation = self.operation;
        let path = match (self.form, &operation.model.open_api) {
            (Form::OpenApi, Some(route)) => route.path.as_str(),
            _ => operation.op.path,
        };
        server.answer(path, self.response.clone());
        let before = now_ms();
        let result = match self.form {
            Form::Login => operation.send(runtime, self.request, TOKEN).await,
            Form::OpenApi => operation.send_signed(runtime, self.request).await,
        };
        let after = now_ms();
        let mut problems = match server.take().as_slice() {
            [one] => check_request(operation, self.form, self.request, one, before..=after),
            other => vec![format!(
                "{} requests reached the server, not one",
                other.len()
            )],
        };
        if let Err(problem) = check_answer(operation, self.response, result) {
            problems.push(problem);
        }
        problems
    }
}

/// Which of an operation's forms a request was sent in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// Its own route: a login token, the configured credentials, or nothing.
    Login,
    /// Its Open API route, signed with the configured key.
    OpenApi,
}

/// What is wrong with the request that `operation` sent for its request example `index`.
fn check_request(
    operation: &Sendable,
    form: Form,
    index: usize,
    received: &Received,
    sent_during: std::ops::RangeInclusive<u64>,
) -> Vec<String> {
    let mut problems = Vec::new();
    let op = operation.op;
    let (path, headers, credential) = match (form, &operation.model.open_api) {
        (Form::OpenApi, Some(route)) => (
            route.path.as_str(),
            &route.headers,
            mm_sdk_core::Credential::OpenApiSignature,
        ),
        _ => (op.path, &operation.model.headers, op.credential),
    };
    if received.method.as_str() != operation.model.method {
        problems.push(format!("method {}", received.method));
    }
    if received.path != path {
        problems.push(format!("path {}", received.path));
    }

    // The request: exactly the example as the request type writes it, where the operation
    // sends it (the body, or the query parameter that carries it), written as its encoding
    // says.
    let example = &operation.requests[index];
    let request = match op.encoding {
        Encoding::Traced => &example["data"],
        _ => example,
    };
    let expected = op
        .codec
        .request(&serde_json::to_vec(request).unwrap())
        .expect("the example fits the request type");
    let in_query = operation
        .model
        .query
        .iter()
        .find(|q| q.source == Source::Request)
        .map(|q| {
            received
                .query
                .iter()
                .find(|(name, _)| *name == q.name)
                .map(|(_, value)| value.as_bytes().to_vec())
                .unwrap_or_default()
        });
    if in_query.is_some() && !received.body.is_empty() {
        problems.push("a body, although the request goes in the query".into());
    }
    let carried = in_query.unwrap_or_else(|| received.body.to_vec());
    match op.encoding {
        Encoding::None => {
            if !carried.is_empty() {
                problems.push(format!("body {:?}", String::from_utf8_lossy(&carried)));
            }
        }
        Encoding::Multipart => {
            let content_type = received
                .headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            if !content_type.starts_with("multipart/form-data; boundary=") {
                problems.push(format!("content type {content_type:?}"));
            }
            let fields: serde_json::Map<String, Value> =
                serde_json::from_slice(&expected).unwrap_or_default();
            for (name, value) in fields {
                let Some(text) = value.as_str() else { continue };
                let part = format!("name=\"{name}\"\r\n\r\n{text}\r\n");
                if !carried
                    .windows(part.len())
                    .any(|window| window == part.as_bytes())
                {
                    problems.push(format!("no part `{name}` holding {text:?}"));
                }
            }
        }
        Encoding::Traced => {
            let sent: Value = serde_json::from_slice(&carried).unwrap_or(Value::Null);
            let data = serde_json::to_vec(&sent["data"]).unwrap();
            if data != expected {
                problems.push(format!("traced request {sent}, expected data {expected:?}"));
            }
            let trace = sent["trace"].as_str().map(uuid::Uuid::parse_str);
            if !matches!(trace, Some(Ok(uuid)) if uuid.get_version_num() == 4) {
                problems.push(format!("trace {} is not a fresh UUID v4", sent["trace"]));
            }
        }
        _ => {
            if carried != expected {
                problems.push(format!(
                    "body {:?}, expected {:?}",
                    String::from_utf8_lossy(&carried),
                    String::from_utf8_lossy(&expected)
                ));
            }
            let body: Value = serde_json::from_slice(&carried).unwrap_or(Value::Null);
            if normalized(body.clone()) != normalized(request.clone()) {
                problems.push(format!("body {body} differs from the documented example"));
            }
        }
    }

    // Every query parameter, from where the spec says its value comes.
    let arguments = operation.header_values();
    for declared in &operation.model.query {
        let value = received
            .query
            .iter()
            .find(|(name, _)| *name == declared.name)
            .map(|(_, value)| value.clone());
        let expected = match &declared.source {
            Source::Filled(Filled::Credential) => Some(QUOTE_TOKEN.to_owned()),
            Source::Argument(index) => arguments[*index].clone(),
            Source::Request => continue,
            other => {
                problems.push(format!(
                    "query `{}`: unexpected source {other:?}",
                    declared.name
                ));
                continue;
            }
        };
        if value != expected {
            problems.push(format!(
                "query `{}` {value:?}, expected {expected:?}",
                declared.name
            ));
        }
    }

    // Every header, from where the spec says its value comes (the signature covers the
    // body as sent).
    let header = |name: &str| {
        received
            .headers
            .get(name)
            .map(|v| v.to_str().unwrap_or("<not text>").to_owned())
    };
    let timestamp = headers
        .iter()
        .find(|h| h.source == Source::Filled(Filled::Timestamp))
        .and_then(|h| header(&h.name.to_ascii_lowercase()));
    for declared in headers {
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
            Source::Filled(Filled::Credential) => match credential {
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
                .and_then(|t| key().sign(&received.body, t).ok()),
            Source::Filled(Filled::RecvWindow) => Some(RECV_WINDOW_MS.to_string()),
            Source::Filled(other) => {
                problems.push(format!("header `{name}`: unknown source {other:?}"));
                continue;
            }
            Source::Fixed(fixed) => Some(fixed.clone()),
            Source::Argument(index) => arguments[*index].clone(),
            Source::Request => {
                problems.push(format!("header `{name}` cannot carry the request"));
                continue;
            }
        };
        if value != expected {
            problems.push(format!(
                "header `{name}` ({:?}) is {value:?}, expected {expected:?}",
                declared.source
            ));
        }
    }
    // The SDK names itself, as every HTTP client does.
    let agent = received
        .headers
        .get("user-agent")
        .and_then(|v| v.to_str().ok());
    if !agent.is_some_and(|agent| agent.starts_with("mm-sdk/")) {
        problems.push(format!("the user agent is {agent:?}, not the SDK's"));
    }
    // Nothing else but what HTTP itself needs.
    for name in received.headers.keys() {
        let declared = headers
            .iter()
            .any(|h| h.name.eq_ignore_ascii_case(name.as_str()));
        let http = matches!(
            name.as_str(),
            "accept" | "content-type" | "content-length" | "host" | "user-agent"
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
    // The quote service's envelope says `ret: 200`; the platform's `ok: true`.
    let code = match response.get("ret") {
        Some(ret) => Value::String(ret.to_string()),
        None => response["code"].clone(),
    };
    // Success as `mm_sdk_core::Envelope::is_success` reads it: `ok` not false, `fail` not true,
    // and a code of "0" or none.
    let ok = match response.get("ret") {
        Some(ret) => ret == 200,
        None => {
            let code = response["code"].as_str().unwrap_or_default();
            response["ok"] != Value::Bool(false)
                && response["fail"] != Value::Bool(true)
                && (code.is_empty() || code == "0")
        }
    };
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
            ErrorKind::Api(api) if api.code == code => Ok(()),
            other => Err(format!("expected the example's API error, got {other}")),
        },
        Ok(data) => Err(format!("a failure example decoded as data {data}")),
        Err(error) => Err(format!("the example did not decode: {error}")),
    }
}

/// `get_symbol_detail` (upstream's export) and `telegram_verify` (upstream's changelog) take
/// interface version 0.0.2 where the others take the configured one: each sends its own, from
/// the same client.
#[tokio::test]
async fn an_operation_with_its_own_interface_version_sends_it() {
    bounded(async {
        let server = Recorder::start().await;
        let runtime = runtime(&server);
        let areas = areas();
        let all = sendable(&areas);
        let mut sent = Vec::new();
        for id in ["get_symbol_detail", "telegram_verify", "apple_verify"] {
            let operation = all
                .iter()
                .find(|o| o.op.api == mm_sdk_core::Api::Client && o.op.id == id)
                .unwrap();
            server.answer(operation.op.path, operation.responses[0].clone());
            operation.send(&runtime, 0, TOKEN).await.unwrap();
            let received = server.take();
            let version = received[0]
                .headers
                .get("version")
                .unwrap()
                .to_str()
                .unwrap();
            sent.push((id, version.to_owned()));
        }
        assert_eq!(
            sent,
            [
                ("get_symbol_detail", "0.0.2".to_owned()),
                ("telegram_verify", "0.0.2".to_owned()),
                ("apple_verify", VERSION.to_owned()),
            ]
        );
    })
    .await;
}

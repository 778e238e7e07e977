//! Calls one generated operation against a local mock server with its documented examples and
//! records what went over the wire.

use std::collections::BTreeMap;
use std::future::Future;
use std::path::Path;

use mm_sdk_codegen::{Api, Spec};
use openapiv3::{Operation, ReferenceOr};
use serde::Serialize;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// One documented operation: where it lives and its example bodies.
#[derive(Debug, Clone)]
pub struct Documented {
    /// HTTP method, upper case.
    pub method: String,
    /// Path as written in the spec (no path parameters are used by these APIs).
    pub path: String,
    /// The request body examples, in spec order (empty for body-less operations).
    pub requests: Vec<Value>,
    /// The response body examples, in spec order.
    pub responses: Vec<Value>,
}

/// Finds `operation_id` in `spec` and loads its examples.
pub fn documented(spec: &Spec, operation_id: &str) -> Documented {
    let (route, verb, operation) = spec
        .openapi
        .operations()
        .find(|(_, _, op)| op.operation_id.as_deref() == Some(operation_id))
        .unwrap_or_else(|| panic!("{}: no operation `{operation_id}`", spec.path.display()));
    let base = spec.path.parent().unwrap_or(Path::new(""));
    Documented {
        method: verb.to_uppercase(),
        path: route.to_owned(),
        requests: request_examples(operation)
            .map(|file| read_json(&base.join(file)))
            .collect(),
        responses: response_examples(operation)
            .map(|file| read_json(&base.join(file)))
            .collect(),
    }
}

/// The `externalValue` of every example of the operation's JSON request body.
pub fn request_examples(operation: &Operation) -> impl Iterator<Item = &str> {
    operation
        .request_body
        .iter()
        .filter_map(|body| match body {
            ReferenceOr::Item(body) => body.content.get("application/json"),
            ReferenceOr::Reference { .. } => None,
        })
        .flat_map(|media| media.examples.values())
        .filter_map(external_value)
}

/// The `externalValue` of every example of the operation's JSON 200 response.
pub fn response_examples(operation: &Operation) -> impl Iterator<Item = &str> {
    operation
        .responses
        .responses
        .values()
        .filter_map(|response| match response {
            ReferenceOr::Item(response) => response.content.get("application/json"),
            ReferenceOr::Reference { .. } => None,
        })
        .flat_map(|media| media.examples.values())
        .filter_map(external_value)
}

fn external_value(example: &ReferenceOr<openapiv3::Example>) -> Option<&str> {
    match example {
        ReferenceOr::Item(example) => example.external_value.as_deref(),
        ReferenceOr::Reference { .. } => None,
    }
}

/// `value` in a form where JSON that means the same compares equal: object members whose
/// value is `null` removed, and whole-valued numbers written as integers (`5.0` as `5`).
///
/// Upstream sends absent and `null` fields interchangeably (an example may leave `msgParams`
/// out where others send `null`), and a number decoded into `f64` re-encodes as `5.0`; a round
/// trip may change either, but must not lose or change a value.
pub fn normalized(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, normalized(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(normalized).collect()),
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 9.0e15 => Value::from(f as i64),
            _ => Value::Number(n),
        },
        other => other,
    }
}

/// A failure envelope as upstream sends it: HTTP 200, `ok: false`, `data: null`.
pub fn failure_envelope() -> Value {
    json!({
        "msg": "System error", "fail": true, "trace": "x-1", "code": "G500", "data": null,
        "bizCode": "", "tm": 1, "msgParams": null, "ok": false
    })
}

/// Reads a JSON file, panicking with its path if it is missing or malformed.
pub fn read_json(file: &Path) -> Value {
    let text = std::fs::read_to_string(file)
        .unwrap_or_else(|e| panic!("{}: cannot read: {e}", file.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: not JSON: {e}", file.display()))
}

/// Exercises `operation_id` of `api`: once per documented request example (or once, for a
/// body-less operation), each answered by the mock server with a documented response example.
///
/// `call` gets the mock server's base URL and the request example and returns the decoded
/// response. Asserts that the body on the wire equals the example and that the decoded response
/// re-serializes to exactly the example (no field lost or added), and returns the requests the
/// server received, for a snapshot.
pub async fn exercise<T, F, Fut>(api: &Api, operation_id: &str, call: F) -> Vec<Value>
where
    T: Serialize,
    F: Fn(String, Value) -> Fut,
    Fut: Future<Output = T>,
{
    let spec = crate::load_spec(api);
    let mut documented = documented(&spec, operation_id);
    if documented.responses.is_empty() {
        // The docs show no response for this operation: answer with a failure envelope, which
        // every response schema admits, so the request side is still exercised.
        documented.responses.push(failure_envelope());
    }
    let calls = documented.requests.len().max(documented.responses.len());

    let mut recorded = Vec::new();
    for index in 0..calls {
        let request = (!documented.requests.is_empty())
            .then(|| documented.requests[index % documented.requests.len()].clone());
        let response = &documented.responses[index % documented.responses.len()];

        let server = MockServer::start().await;
        Mock::given(method(documented.method.as_str()))
            .and(path(documented.path.as_str()))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_raw(serde_json::to_vec(response).unwrap(), "application/json"),
            )
            .expect(1)
            .mount(&server)
            .await;

        let decoded = call(server.uri(), request.clone().unwrap_or(Value::Null)).await;
        assert_eq!(
            normalized(serde_json::to_value(&decoded).unwrap()),
            normalized(response.clone()),
            "{operation_id}: the decoded response does not re-serialize to the example"
        );

        let received = server.received_requests().await.unwrap_or_default();
        assert_eq!(
            received.len(),
            1,
            "{operation_id}: expected exactly one request"
        );
        let wire = &received[0];
        let body: Option<Value> = (!wire.body.is_empty()).then(|| {
            serde_json::from_slice(&wire.body)
                .unwrap_or_else(|e| panic!("{operation_id}: request body is not JSON: {e}"))
        });
        if let Some(example) = &request {
            assert_eq!(
                body.clone().map(normalized),
                Some(normalized(example.clone())),
                "{operation_id}: the body on the wire differs from the documented example"
            );
        }
        let headers: BTreeMap<String, String> = wire
            .headers
            .iter()
            .filter(|(name, _)| !matches!(name.as_str(), "host" | "content-length"))
            .map(|(name, value)| {
                (
                    name.as_str().to_owned(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect();
        recorded.push(json!({
            "method": wire.method.as_str(),
            "path": wire.url.path(),
            "query": wire.url.query(),
            "headers": headers,
            "body": body,
        }));
        server.verify().await;
    }
    recorded
}

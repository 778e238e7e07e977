//! The documented examples of each operation, as the specs reference them.

use std::path::Path;

use mm_sdk_codegen::Spec;
use openapiv3::{Operation, ReferenceOr};
use serde_json::{Value, json};

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
        requests: mm_sdk_codegen::model::request_examples(operation)
            .map(|file| read_json(&base.join(file)))
            .collect(),
        responses: response_examples(operation)
            .map(|file| read_json(&base.join(file)))
            .collect(),
    }
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
/// value is `null` or an empty list removed, and whole-valued numbers written as integers
/// (`5.0` as `5`).
///
/// Upstream sends absent and `null` fields interchangeably (an example may leave `msgParams`
/// out where others send `null`), and a number decoded into `f64` re-encodes as `5.0`; a round
/// trip may change either, but must not lose or change a value.
pub fn normalized(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                // A field left out, `null` and (for an optional list) `[]` all say "none":
                // the generated types write an optional empty list as nothing.
                .filter(|(_, v)| !v.is_null() && v.as_array().is_none_or(|items| !items.is_empty()))
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

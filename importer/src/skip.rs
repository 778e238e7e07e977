//! Which operations of an export the import leaves out, and why: what is no operation of the
//! platform (a pseudo-operation, a webhook), what a hand-kept spec or an earlier export already
//! has, and the shapes the conventions leave to a person.

use std::collections::BTreeMap;

use serde_yaml_ng::Value;

use crate::export::Operation;
use crate::import::Candidate;

/// The operations of the hand-kept specs: (METHOD, path) → (spec file, `operationId`).
pub(crate) type Kept = BTreeMap<(String, String), (String, String)>;

/// Why the import leaves out `op`, if it does. `kept` are the hand-kept specs' operations,
/// `imported` the operations imported before it; `callbacks` is the callback spec, which names
/// the webhooks.
pub(crate) fn skip_reason(
    op: &Operation,
    callbacks: Option<&Value>,
    kept: &Kept,
    imported: &[Candidate],
) -> Option<String> {
    let method = op.method.as_str();
    let path = op.path.as_str();
    if method == "HEAD" && op.upstream_path == "/" {
        return Some(
            "the \"Global Unified Request Header\" pseudo-operation: it documents the common \
             headers, it is not an endpoint"
                .into(),
        );
    }
    if op.tags().contains(&"External Settlement") {
        let received = callbacks
            .and_then(|spec| callback_id(spec, op.upstream_path))
            .map(|id| format!("; it is `{id}` in `callbacks/callbacks.yaml` (`mm_sdk::callbacks`)"))
            .unwrap_or_default();
        return Some(format!(
            "External Settlement: the platform calls this on the integrator's system (a \
             webhook the integrator implements), it is not an operation of the platform's \
             API{received}"
        ));
    }
    if let Some((spec, id)) = kept.get(&(method.to_owned(), path.to_owned())) {
        return Some(format!(
            "already in the hand-kept `{spec}` as `{id}` (`{method} {path}`), which keeps priority"
        ));
    }
    if let Some(first) = imported
        .iter()
        .find(|c| c.operation.method == method && c.operation.path == path)
    {
        return Some(format!(
            "the same method and path as `{} {}` of the {} export, imported from there",
            first.operation.method,
            first.operation.upstream_path,
            first.operation.export().name
        ));
    }
    if op.request_content().get("multipart/form-data").is_some() {
        return Some(
            "a `multipart/form-data` file upload: which fields are files is for a person to \
             say, in a hand-kept spec"
                .into(),
        );
    }
    let other: Vec<String> = op
        .other_parameters()
        .into_iter()
        .map(|p| {
            format!(
                "`{}` in {}",
                p["name"].as_str().unwrap_or("?"),
                p["in"].as_str().unwrap_or("?")
            )
        })
        .collect();
    if !other.is_empty() {
        return Some(format!(
            "`{method}` with parameters outside the headers ({}): which parameter carries the \
             request, and which the call takes, is for a person to say, in a hand-kept spec",
            other.join(", ")
        ));
    }
    if method != "POST" {
        return Some(format!(
            "`{method}`: the conventions have `POST` operations only"
        ));
    }
    None
}

/// Why the import leaves out `op` for what it is (a pseudo-operation, a webhook, a shape the
/// conventions do not take), whatever the specs have.
pub(crate) fn intrinsic_skip_reason(op: &Operation) -> Option<String> {
    skip_reason(op, None, &Kept::new(), &[])
}

/// The `operationId` of the callback at `path` in the callback spec `spec`, if it describes it.
fn callback_id(spec: &Value, path: &str) -> Option<String> {
    spec["paths"][path]["post"]["operationId"]
        .as_str()
        .map(str::to_owned)
}

//! The operations without a stateful model: each is answered from its spec, its credential
//! checked as the spec says, with the `data` of its first documented successful example.

use serde_json::Value;

use crate::context::{Call, Shared};
use crate::envelope::Failure;
use crate::spec::{Operation, Request};
use crate::{client_api, examples, manager_api, open_api};

/// An operation without a stateful model: its credential checked as the spec says, then
/// the `data` of its first documented successful answer. One without such an example is
/// answered as upstream answers an interface it has not opened.
pub(crate) fn answer(
    shared: &Shared,
    operation: &Operation,
    call: &Call<'_>,
) -> Result<Value, Failure> {
    match operation.request {
        Request::Json => drop(call.body::<Value>()?),
        Request::Multipart => check_multipart(call)?,
        Request::None => {}
    }
    for name in &operation.required_query {
        if call.query(name).is_none_or(|value| value.is_empty()) {
            return Err(Failure::invalid(format!(
                "the query parameter `{name}` is missing"
            )));
        }
    }
    match operation.credential.as_str() {
        "manager-token" => manager_api::check_token(shared, call)?,
        "open-api-signature" => drop(open_api::verify(shared, call)?),
        "client-login" => drop(client_api::signed_in(shared, call)?),
        _ => {}
    }
    examples::first_success(operation.examples.iter().map(String::as_str))
        .cloned()
        .ok_or_else(|| Failure::not_open(operation.api, &operation.id))
}

/// A multipart body: its content type names a boundary and the body holds its parts.
fn check_multipart(call: &Call<'_>) -> Result<(), Failure> {
    let boundary = call
        .header("content-type")
        .and_then(|value| value.strip_prefix("multipart/form-data; boundary="))
        .ok_or_else(|| Failure::invalid("the body is not multipart/form-data"))?;
    let closing = format!("--{boundary}--");
    if call
        .body
        .windows(closing.len())
        .any(|window| window == closing.as_bytes())
    {
        Ok(())
    } else {
        Err(Failure::invalid("the multipart body is not closed"))
    }
}

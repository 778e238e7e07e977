//! The Manager API's quote service (`/quote-b-api/...`, `/quote-stock-b-api/...`): its own
//! token in the query, the request `{trace, data}` in the `query` parameter or the body, and
//! its own envelope `{ret, msg, trace, data}`. Answers come from the spec's examples, like
//! every operation without a model.

use serde_json::{Value, json};

use crate::context::{Call, Shared};
use crate::documented;
use crate::envelope::Failure;
use crate::spec::Operation;

/// The `x-mm-credential` of the quote service's operations.
pub(crate) const CREDENTIAL: &str = "quote-token";

/// `ret` of a success, of a refused token and of a bad request.
const OK: i64 = 200;
const BAD_TOKEN: i64 = 401;
const BAD_REQUEST: i64 = 400;

/// The answer to one call, in the quote service's envelope.
pub(crate) fn answer(shared: &Shared, operation: &Operation, call: &Call<'_>) -> Value {
    if call.query("token").as_deref() != Some(shared.config.quote_token.as_str()) {
        return failure(BAD_TOKEN, "", "invalid token");
    }
    let request = match call.query("query") {
        Some(query) => serde_json::from_str::<Value>(&query),
        None => serde_json::from_slice::<Value>(call.body),
    };
    let request = match request {
        Ok(request) if request["trace"].is_string() && request["data"].is_object() => request,
        _ => {
            return failure(
                BAD_REQUEST,
                "",
                "the request is not {\"trace\": ..., \"data\": {...}}",
            );
        }
    };
    let trace = request["trace"].as_str().unwrap_or_default();
    // Checks the rest as for any operation answered from its spec: that check reads a body,
    // which the query-carried requests do not have.
    let plain = Call {
        headers: call.headers,
        query: call.query,
        body: b"{}",
        open_api: call.open_api,
    };
    match documented::answer(shared, operation, &plain) {
        Ok(data) => json!({"ret": OK, "msg": "ok", "trace": trace, "data": data}),
        Err(Failure { msg, .. }) => failure(BAD_REQUEST, trace, &msg),
    }
}

fn failure(ret: i64, trace: &str, msg: &str) -> Value {
    json!({"ret": ret, "msg": msg, "trace": trace, "data": null})
}

//! The HTTP router: the streams' routes, and every other request dispatched to its
//! operation, whose headers are checked as its spec says before its model, or its examples,
//! answer it; repeats of a Client API write are answered from the idempotency keys. A paged
//! operation's rows, its model's or those made from its examples, are answered by pages as
//! its `x-mm-paging` says.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use serde_json::Value;

use crate::config::Config;
use crate::context::{Answer, Call, Request, Shared};
use crate::envelope::{Failure, envelope};
use crate::idempotency::Claim;
use crate::spec::Operation;
use crate::{
    auth2_api, client_api, documented, funds, manager_api, open_api, quote, streams, trading,
    trading_ui,
};

/// Every route of the sandbox, on `shared`.
pub(crate) fn app(shared: Arc<Shared>) -> Router {
    streams::routes().fallback(dispatch).with_state(shared)
}

async fn dispatch(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let operation = shared
        .operations
        .get(uri.path())
        .filter(|operation| operation.method == method);
    if method == Method::GET && operation.is_none() {
        return trading_ui::page(&shared, &uri);
    }
    let trace = format!("x-{}", uuid::Uuid::new_v4());
    let Some(operation) = operation else {
        return if method == Method::POST {
            let body = envelope(&trace, Err(Failure::no_such_operation(uri.path())));
            Json(body).into_response()
        } else {
            StatusCode::METHOD_NOT_ALLOWED.into_response()
        };
    };
    let call = Call {
        headers: &headers,
        query: uri.query(),
        body: &body,
        open_api: operation.credential == "open-api-signature",
    };
    let body = if operation.credential == quote::CREDENTIAL {
        quote::answer(&shared, operation, &call)
    } else {
        envelope(&trace, answer(&shared, operation, &call, uri.path()))
    };
    if shared.config.record_answers || shared.answer_log.is_some() {
        let answer = Answer {
            api: operation.api,
            operation: operation.id.clone(),
            request: request(&uri, call.headers, call.body),
            body: body.clone(),
        };
        if let Some(log) = &shared.answer_log {
            let line = answer.to_json().to_string() + "\n";
            let mut file = log.lock().unwrap_or_else(|e| e.into_inner());
            if let Err(e) = std::io::Write::write_all(&mut *file, line.as_bytes()) {
                eprintln!("sandbox: the answer log cannot be written: {e}");
            }
        }
        if shared.config.record_answers {
            shared
                .answers
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(answer);
        }
    }
    Json(body).into_response()
}

/// The request as [`Answer::request`] keeps it.
fn request(uri: &Uri, headers: &HeaderMap, body: &[u8]) -> Request {
    let mut kept = std::collections::BTreeMap::<String, String>::new();
    for (name, value) in headers {
        let value = String::from_utf8_lossy(value.as_bytes());
        kept.entry(name.as_str().to_owned())
            .and_modify(|all| {
                all.push_str(", ");
                all.push_str(&value);
            })
            .or_insert_with(|| value.into_owned());
    }
    Request {
        path: uri.path().to_owned(),
        query: uri.query().map(str::to_owned),
        headers: kept,
        body: body.to_vec(),
    }
}

/// The answer to one call: the headers checked, then its model or its examples; a call of the
/// Client API's gateway that carries an `idempotency-key` gets the first answer to its key
/// again instead.
fn answer(
    shared: &Shared,
    operation: &Operation,
    call: &Call<'_>,
    path: &str,
) -> Result<Value, Failure> {
    let run = || {
        check_headers(&shared.config, operation, call)
            .and_then(|()| handle(shared, operation, call))
    };
    let key = call
        .header("idempotency-key")
        .filter(|key| operation.api == "client" && path.starts_with("/api/") && !key.is_empty());
    let Some(key) = key else {
        return run();
    };
    let company = call.header("companyid").unwrap_or_default();
    match shared.replays.claim(company, path, key, shared.now_ms()) {
        Claim::Repeat(answer) => answer,
        Claim::First => {
            let answer = run();
            shared
                .replays
                .keep(company, path, key, &answer, shared.now_ms());
            answer
        }
    }
}

/// The checks every operation shares: the headers its spec marks required are present, and
/// well formed where the sandbox can tell.
fn check_headers(config: &Config, operation: &Operation, call: &Call<'_>) -> Result<(), Failure> {
    for name in &operation.required_headers {
        let value = call.header(name);
        match name.as_str() {
            "token" if value.is_none_or(str::is_empty) => return Err(Failure::token_missing()),
            "companyid" | "company" => match value {
                None | Some("") => return Err(Failure::company_missing()),
                Some(id) if !id.bytes().all(|b| b.is_ascii_digit()) => {
                    return Err(Failure::invalid(format!(
                        "company id `{id}` is not a number"
                    )));
                }
                Some(id) if id != config.company_id => return Err(Failure::unknown_company()),
                Some(_) => {}
            },
            "trace" => match value {
                None | Some("") => return Err(Failure::header("trace", "is missing")),
                Some(trace) if trace.len() > 128 => {
                    return Err(Failure::header("trace", "is longer than 128 characters"));
                }
                Some(_) => {}
            },
            _ if value.is_none_or(str::is_empty) => {
                return Err(Failure::header(name, "is missing"));
            }
            _ => {}
        }
    }
    Ok(())
}

/// A stateful model of one operation.
type Model = fn(&Shared, &Call<'_>) -> Result<Value, Failure>;

/// The operations with a stateful model, by API and `operationId`; every other one is
/// answered from its spec.
const MODELS: &[((&str, &str), Model)] = &[
    (("client", "login"), client_api::login),
    (
        ("client", "replacement_token"),
        client_api::replacement_token,
    ),
    (("client", "send_verify_code"), open_api::send_verify_code),
    (("client", "apply_api"), open_api::apply_api),
    (
        ("client", "set_api_permissions"),
        open_api::set_api_permissions,
    ),
    (("client", "delete_api"), open_api::delete_api),
    (("client", "open_msg_token"), open_api::open_msg_token),
    (("client", "order_add_market_order"), trading::place_order),
    (
        ("client", "order_close_trade_pbo_order"),
        trading::cancel_order,
    ),
    (
        ("client", "cfd_wbw_order_query_order_detail"),
        trading::order,
    ),
    (
        ("client", "position_query_position_detail"),
        trading::position,
    ),
    (("client", "create_deposit_proposal"), funds::create_deposit),
    (("client", "query_deposit_proposal"), funds::deposit),
    (
        ("client", "create_withdraw_proposal"),
        funds::create_withdrawal,
    ),
    (
        ("client", "open_customer_info"),
        open_api::open_customer_info,
    ),
    (("manager", "authorize"), manager_api::authorize),
    (("manager", "customer_group"), manager_api::customer_group),
    (
        ("manager", "register_customer"),
        manager_api::register_customer,
    ),
    (("manager", "customer_info"), manager_api::customer_info),
    (("manager", "get_balance"), manager_api::get_balance),
    (("manager", "balance_update"), manager_api::balance_update),
    (
        ("manager", "cfd_wbw_order_add_market_order"),
        trading::manager_place_order,
    ),
    (("auth2", "auth_code"), auth2_api::auth_code),
    (("auth2", "access_token"), auth2_api::access_token),
    (("auth2", "user_info"), auth2_api::user_info),
    (("auth2", "refresh_token"), auth2_api::refresh_token),
];

/// A stateful model of a paged operation: every row it holds for the call, in order; the
/// page asked for is cut from them as the operation's `x-mm-paging` says.
type Rows = fn(&Shared, &Call<'_>) -> Result<Vec<Value>, Failure>;

/// The paged operations with a stateful model, by API and `operationId`; every other paged
/// operation holds rows made from its examples.
const LISTS: &[((&str, &str), Rows)] = &[
    (("client", "order_query_order_page"), trading::orders),
    (
        ("client", "position_query_position_page"),
        trading::positions,
    ),
    (
        ("client", "order_query_capital_flow_list"),
        trading::capital_flow,
    ),
    (("client", "query_deposit_page_list"), funds::deposits),
    (("client", "query_withdraw_page_list"), funds::withdrawals),
    (("manager", "customer_list"), manager_api::customers),
];

/// The operations the sandbox models statefully, as (API, `operationId`): the rest are
/// answered from their specs.
pub fn modelled_operations() -> impl Iterator<Item = (&'static str, &'static str)> {
    let answers = MODELS.iter().map(|(key, _)| *key);
    answers.chain(LISTS.iter().map(|(key, _)| *key))
}

fn handle(shared: &Shared, operation: &Operation, call: &Call<'_>) -> Result<Value, Failure> {
    if let Some(paging) = &operation.paging {
        let rows = rows(shared, operation, call)?;
        let template = documented::data(operation).unwrap_or(&Value::Null);
        return paging.answer(&call.body()?, template, rows);
    }
    let key = (operation.api, operation.id.as_str());
    match MODELS.iter().find(|(modelled, _)| *modelled == key) {
        Some((_, model)) => model(shared, call),
        None => documented::answer(shared, operation, call),
    }
}

/// Every row paged `operation` holds for `call`, in order: its model's, or the rows made from
/// its examples.
pub(crate) fn rows(
    shared: &Shared,
    operation: &Operation,
    call: &Call<'_>,
) -> Result<Vec<Value>, Failure> {
    let key = (operation.api, operation.id.as_str());
    match LISTS.iter().find(|(modelled, _)| *modelled == key) {
        Some((_, model)) => model(shared, call),
        None => documented::rows(shared, operation, call),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_are_the_paged_operations_and_the_other_models_are_not() {
        let operations = crate::spec::operations().expect("the embedded specs");
        let paged = |key: &(&str, &str)| {
            operations
                .values()
                .find(|op| (op.api, op.id.as_str()) == *key)
                .unwrap_or_else(|| panic!("{key:?} is not an operation of the specs"))
                .paging
                .is_some()
        };
        for (key, _) in LISTS {
            assert!(paged(key), "{key:?} is listed but does not page");
        }
        for (key, _) in MODELS {
            assert!(!paged(key), "{key:?} pages, so its model must list rows");
        }
    }
}

//! Shared set-up: a client pointed at a local mock server.
#![allow(dead_code)]

use std::time::Duration;

use mm_sdk::{AppSecret, Endpoints, Environment, ManagerToken, MultiMarkets, RetryPolicy};
use serde_json::Value;
use url::Url;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub use mm_sdk_test_support::bounded;

pub const COMPANY: &str = "421";
pub const APP_ID: &str = "088b591f5fd735be62608a272f4d971f";
pub const APP_SECRET: &str = "262f13697a56fe059b1daa0ba2ec7b6b";
pub const MANAGER_TOKEN: &str = "manager-token-5a4a3c1e8b10";

/// A client whose three APIs and trading UI all point at `server`.
pub fn client_for(server: &MockServer) -> MultiMarkets {
    builder_for(server).build().unwrap()
}

/// The configuration of [`client_for`], to add to.
pub fn builder_for(server: &MockServer) -> mm_sdk::Builder {
    builder_at(&Url::parse(&server.uri()).unwrap())
}

/// A configuration whose three APIs point at `base`: the test credentials, and [`quick`].
pub fn builder_at(base: &Url) -> mm_sdk::Builder {
    quick(
        MultiMarkets::builder(Environment::custom(
            Endpoints::same_host(base.clone())
                .trading_ui(Url::parse("https://www.headline.net").unwrap()),
        ))
        .company_id(COMPANY)
        .app_credentials(APP_ID, AppSecret::new(APP_SECRET))
        .manager_token(ManagerToken::new(MANAGER_TOKEN)),
    )
}

/// `builder` with what every test's client has: a 2 s timeout and fast retries.
pub fn quick(builder: mm_sdk::Builder) -> mm_sdk::Builder {
    builder.timeout(Duration::from_secs(2)).retry(
        RetryPolicy::default()
            .max_attempts(3)
            .base_delay(Duration::from_millis(1)),
    )
}

/// `get_balance`'s request for the perpetual-contract accounts of `customer_no`.
pub fn balance_request(customer_no: &str) -> mm_sdk::manager::funds::GetBalanceRequest {
    mm_sdk::manager::funds::GetBalanceRequest::new(customer_no, 1)
}

/// An example body from `openapi/examples/`.
pub fn example(path: &str) -> Value {
    let file = format!("{}/../openapi/examples/{path}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap()
}

/// A success envelope around `data`, for the operations whose docs show no response.
pub fn success(data: Value) -> Value {
    serde_json::json!({
        "msg": "Success", "fail": false, "trace": "x-server-trace", "code": "0", "data": data,
        "bizCode": "", "tm": 3, "msgParams": null, "ok": true
    })
}

/// Mounts `body` as the answer to every `POST route`.
pub async fn mount(server: &MockServer, route: &str, body: Value) {
    Mock::given(method("POST"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(server)
        .await;
}

/// A failure envelope as upstream sends it: HTTP 200, `ok: false`, `data: null`.
pub fn failure(code: &str, msg: &str) -> Value {
    serde_json::json!({
        "msg": msg, "fail": true, "trace": "x-server-trace", "code": code, "data": null,
        "bizCode": "", "tm": 3, "msgParams": null, "ok": false
    })
}

/// The one request `server` received, as (headers, JSON body).
pub async fn only_request(server: &MockServer) -> wiremock::Request {
    let mut received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1, "expected exactly one request");
    received.remove(0)
}

pub fn header<'a>(request: &'a wiremock::Request, name: &str) -> &'a str {
    request
        .headers
        .get(name)
        .unwrap_or_else(|| panic!("no `{name}` header"))
        .to_str()
        .unwrap()
}

pub fn json_body(request: &wiremock::Request) -> Value {
    serde_json::from_slice(&request.body).unwrap()
}
pub mod captured;
pub mod faulty;

//! Coded values are the shared enums of `mm_sdk::enums`: one type per concept in every
//! operation, read from a number or a quoted number, an unknown code kept, and sent back as
//! the number upstream expects. And every `x-mm-enum` of the specs names a concept of
//! `openapi/codes/enums.yaml`, on a field sent as that concept's codes are.

use mm_sdk::client::trade::{
    OrderAddMarketOrderRequest, PositionQueryPositionDetailData, PositionQueryPositionDetailRequest,
};
use mm_sdk::enums::{EntryType, OrderDirection};
use mm_sdk::{Decimal, Endpoints, Environment, LoginToken, MultiMarkets, RetryPolicy};
use mm_sdk_tests::recorder::Recorder;
use mm_sdk_tests::{bounded, workspace_root};
use serde_json::{Value as Json, json};
use serde_yaml_ng::Value;

/// Where the two operations of these tests are sent.
const POSITION: &str = "/api/global/tradeapi.app.PositionApiService.queryPositionDetail";
const ORDER: &str = "/api/global/tradeapi.app.OrderApiService.addMarketOrder";

/// A success envelope around `data`.
fn success(data: Json) -> Json {
    json!({"msg": "Success", "fail": false, "trace": "t", "code": "0", "data": data, "ok": true})
}

/// The Client API on `server`.
fn client(server: &Recorder) -> MultiMarkets {
    MultiMarkets::builder(Environment::custom(Endpoints::same_host(server.base_url())))
        .company_id("421")
        .retry(RetryPolicy::NEVER)
        .build()
        .unwrap()
}

/// The position detail `server` answers with `direction`.
async fn position(
    server: &Recorder,
    direction: Json,
) -> Result<PositionQueryPositionDetailData, mm_sdk::Error> {
    server.answer(POSITION, success(json!({ "direction": direction })));
    let request = PositionQueryPositionDetailRequest::new(2023022819827_i64, 2_i64);
    client(server)
        .client()
        .trade()
        .position_query_position_detail(&LoginToken::new("token"), &request)
        .await
}

#[tokio::test]
async fn a_code_read_from_one_operation_is_sent_by_another_as_upstream_expects() {
    bounded(async {
        let server = Recorder::start().await;
        server.answer(ORDER, success(json!({})));
        let mm = client(&server);
        for (sent, read) in [
            (json!(2), OrderDirection::Sell),
            // Quoted, as upstream sends some codes: read all the same.
            (json!("1"), OrderDirection::Buy),
            // A code this SDK does not know: kept, and sent back as it came.
            (json!(7), OrderDirection::Unknown(7)),
        ] {
            let direction = position(&server, sent.clone())
                .await
                .unwrap_or_else(|e| panic!("{sent}: {e}"))
                .direction
                .unwrap_or_else(|| panic!("{sent}: no direction"));
            assert_eq!(direction, read, "{sent}");

            // The same value closes the position: no conversion between the two operations.
            let order = OrderAddMarketOrderRequest::new(
                "USDT",
                6,
                2,
                direction,
                EntryType::ByQuantity,
                Decimal::ONE,
                Decimal::ZERO,
                1_700_000_000_000_i64,
                12_i64,
                2_i64,
            );
            server.take();
            mm.client()
                .trade()
                .order_add_market_order(&LoginToken::new("token"), &order)
                .await
                .unwrap_or_else(|e| panic!("{sent}: {e}"));
            let received = server.take();
            let body: Json = serde_json::from_slice(&received[0].body).unwrap();
            assert_eq!(received[0].path, ORDER, "{sent}");
            assert_eq!(body["direction"], json!(read.code()), "{sent}");
            assert_eq!(body["entryType"], json!(1), "{sent}");
        }
    })
    .await;
}

#[tokio::test]
async fn a_code_that_is_no_integer_is_an_error_naming_the_field() {
    bounded(async {
        let server = Recorder::start().await;
        let error = position(&server, json!("buy"))
            .await
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("direction") && error.contains("an integer code"),
            "{error}"
        );
    })
    .await;
}

/// Every `x-mm-enum` of every API spec, with where it is.
fn enum_fields() -> Vec<(String, String, Value)> {
    let root = workspace_root().join("openapi");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&root).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if !name.ends_with(".yaml") {
            continue;
        }
        let spec: Value =
            serde_yaml_ng::from_str(&std::fs::read_to_string(root.join(&name)).unwrap()).unwrap();
        walk(&name, "", &spec, &mut found);
    }
    found
}

fn walk(file: &str, at: &str, value: &Value, found: &mut Vec<(String, String, Value)>) {
    match value {
        Value::Mapping(map) => {
            if map.contains_key("x-mm-enum") {
                found.push((file.to_owned(), at.to_owned(), value.clone()));
            }
            for (key, child) in map {
                walk(
                    file,
                    &format!("{at}/{}", key.as_str().unwrap_or("?")),
                    child,
                    found,
                );
            }
        }
        Value::Sequence(items) => {
            for (i, child) in items.iter().enumerate() {
                walk(file, &format!("{at}/{i}"), child, found);
            }
        }
        _ => {}
    }
}

#[test]
fn every_coded_field_names_a_concept_and_is_sent_as_its_codes_are() {
    let concepts: Value = serde_yaml_ng::from_str(
        &std::fs::read_to_string(workspace_root().join("openapi/codes/enums.yaml")).unwrap(),
    )
    .unwrap();
    let wire = |name: &str| {
        concepts
            .as_sequence()
            .unwrap()
            .iter()
            .find(|c| c["enum"].as_str() == Some(name))
            .and_then(|c| c["wire"].as_str())
            .map(str::to_owned)
    };
    let fields = enum_fields();
    // The trading concepts users touch first are typed in the trading areas and the hand-kept
    // specs alike.
    for (file, concept) in [
        ("client-trade-contract.yaml", "OrderDirection"),
        ("client-trade-contract.yaml", "EntryType"),
        ("manager.yaml", "TradeType"),
        ("client.yaml", "OrderDirection"),
    ] {
        assert!(
            fields
                .iter()
                .any(|(f, _, field)| f == file && field["x-mm-enum"].as_str() == Some(concept)),
            "no {concept} in {file}"
        );
    }
    for (file, at, field) in &fields {
        let name = field["x-mm-enum"].as_str().unwrap_or_default();
        let wire = wire(name).unwrap_or_else(|| panic!("{file}{at}: `{name}` is no concept"));
        assert_eq!(field["type"].as_str(), Some(wire.as_str()), "{file}{at}");
    }
}

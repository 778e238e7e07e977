//! Manager basic-data calls decode the docs' examples and send the documented requests.

mod common;

use common::*;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn mount(server: &MockServer, route: &str, body: serde_json::Value) {
    Mock::given(method("POST"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(server)
        .await;
}

#[tokio::test]
async fn dictionaries_and_products() {
    let server = MockServer::start().await;
    mount(
        &server,
        "/openapi-b/config.admin.AdminDictDubboService.getListByParentCode",
        example("manager/universal_dictionaries.response.json"),
    )
    .await;
    mount(
        &server,
        "/openapi-b/config.admin.AdminSymbolDubboService.getSymbolByCompanyId",
        example("manager/product_list.response.json"),
    )
    .await;
    let mm = client_for(&server);

    let entries = mm.manager().dictionaries("USDT").await.unwrap();
    let documented = example("manager/universal_dictionaries.response.json")["data"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(entries.len(), documented);

    let products = mm.manager().products(Some(1)).await.unwrap();
    assert_eq!(products.len(), 635);

    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        json_body(&requests[0]),
        serde_json::json!({"parentCode": "USDT"})
    );
    assert_eq!(
        json_body(&requests[1]),
        serde_json::json!({"companyId": COMPANY, "tradeType": 1})
    );
    for request in &requests {
        assert_eq!(header(request, "token"), MANAGER_TOKEN);
        assert_eq!(header(request, "companyid"), COMPANY);
    }
}

#[tokio::test]
async fn without_a_manager_token_nothing_is_sent() {
    let server = MockServer::start().await;
    let mm = mm_sdk::MultiMarkets::builder(mm_sdk::Environment::custom(mm_sdk::Endpoints {
        client: url::Url::parse(&server.uri()).unwrap(),
        manager: url::Url::parse(&server.uri()).unwrap(),
        auth2: url::Url::parse(&server.uri()).unwrap(),
        trading_ui: url::Url::parse("https://www.headline.net").unwrap(),
    }))
    .company_id(COMPANY)
    .build()
    .unwrap();
    let error = mm.manager().balances("86021976", 1).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid input: the Manager API token is not configured (`Builder::manager_token`)"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

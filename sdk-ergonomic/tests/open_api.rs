//! Open API calls carry the API key, the timestamp and a signature over both.

mod common;

use common::*;
use mm_sdk::OpenApiKey;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A 1024-bit RSA key made with OpenSSL for these tests (PKCS#8, base64), like the keys
/// `apply_api` hands out.
const TEST_KEY: &str = include_str!("fixtures/open_api_key.pkcs8.b64");

#[tokio::test]
async fn open_msg_token_is_signed_over_body_and_timestamp() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/openapi-c/global/getMsgPushToken"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(example("client/open_msg_token.response.json")),
        )
        .mount(&server)
        .await;
    let key = OpenApiKey::new("1710e1f6b4b54c15bea72e8669966591", TEST_KEY).unwrap();
    let mm = mm_sdk::MultiMarkets::builder(mm_sdk::Environment::custom(mm_sdk::Endpoints {
        client: url::Url::parse(&server.uri()).unwrap(),
        manager: url::Url::parse(&server.uri()).unwrap(),
        auth2: url::Url::parse(&server.uri()).unwrap(),
        trading_ui: url::Url::parse("https://www.headline.net").unwrap(),
    }))
    .company_id(COMPANY)
    .open_api_key(key.clone())
    .build()
    .unwrap();

    let token = mm.client().open_msg_token().await.unwrap();
    assert_eq!(
        token,
        example("client/open_msg_token.response.json")["data"]
            .as_str()
            .unwrap()
    );

    let request = only_request(&server).await;
    assert_eq!(
        header(&request, "apikey"),
        "1710e1f6b4b54c15bea72e8669966591"
    );
    assert_eq!(header(&request, "companyid"), COMPANY);
    assert_eq!(json_body(&request), serde_json::json!({}));
    let timestamp: u64 = header(&request, "timestamp").parse().unwrap();
    assert_eq!(
        header(&request, "signature"),
        key.sign(&serde_json::json!({}), timestamp)
    );
}

#[tokio::test]
async fn without_a_key_nothing_is_sent() {
    let server = MockServer::start().await;
    let error = client_for(&server)
        .client()
        .open_msg_token()
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), mm_sdk::ErrorKind::InvalidInput(_)),
        "{error:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

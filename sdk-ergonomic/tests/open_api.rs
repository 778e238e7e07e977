//! Signed operations (`x-mm-credential: open-api-signature`) carry the API key, the timestamp
//! and a signature over both, made afresh on every attempt. (What each one sends and decodes
//! is checked for every operation by the workspace's wire test.)

use crate::common::*;
use mm_sdk::OpenApiKey;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A 1024-bit RSA key made with OpenSSL for these tests (PKCS#8, base64), like the keys
/// `apply_api` hands out.
const TEST_KEY: &str = include_str!("fixtures/open_api_key.pkcs8.b64");
const API_KEY: &str = "1710e1f6b4b54c15bea72e8669966591";

fn open_client(server: &MockServer) -> mm_sdk::MultiMarkets {
    let key = OpenApiKey::new(API_KEY, TEST_KEY).unwrap();
    builder_for(server).open_api_key(key).build().unwrap()
}

/// The headers every Open API call carries: no login token, the API key instead.
fn assert_open_api_headers(request: &wiremock::Request) {
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(header(request, "apikey"), API_KEY);
    assert_eq!(header(request, "companyid"), COMPANY);
    assert_eq!(header(request, "version"), "0.0.1");
    assert_eq!(header(request, "lang"), "en-US");
    uuid::Uuid::parse_str(header(request, "trace")).unwrap();
    assert!(request.headers.get("token").is_none());
}

/// Checks the `signature` header with the public half of the test key, independently of the
/// SDK's signer: SHA1withRSA over `fields` (the sorted body, written as the Sign page says)
/// followed by the `timestamp` header.
fn assert_signed(request: &wiremock::Request, fields: &str) {
    use base64::Engine;
    use rsa::pkcs8::DecodePrivateKey;

    let der = base64::engine::general_purpose::STANDARD
        .decode(TEST_KEY.trim())
        .unwrap();
    let public = rsa::PrivateKey::from_pkcs8_der(&der)
        .unwrap()
        .to_public_key();
    let signature = base64::engine::general_purpose::STANDARD
        .decode(header(request, "signature"))
        .unwrap();
    let signed = format!("{fields}{}", header(request, "timestamp"));
    public
        .pkcs1v15_verify::<sha1::Sha1>(signed.as_bytes(), &signature)
        .unwrap_or_else(|e| panic!("signature over {signed:?} does not verify: {e}"));
}

#[tokio::test]
async fn open_msg_token_is_signed_over_body_and_timestamp() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/openapi-c/global/getMsgPushToken"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(example("client/open_msg_token.response.json")),
            )
            .mount(&server)
            .await;
        let key = OpenApiKey::new(API_KEY, TEST_KEY).unwrap();
        let mm = builder_for(&server)
            .open_api_key(key.clone())
            .build()
            .unwrap();

        let token = mm.client().open_api().open_msg_token().await.unwrap();
        assert_eq!(
            token,
            example("client/open_msg_token.response.json")["data"]
                .as_str()
                .unwrap()
        );

        let request = only_request(&server).await;
        assert_open_api_headers(&request);
        assert_eq!(json_body(&request), serde_json::json!({}));
        assert_signed(&request, "{}");
    })
    .await;
}

#[tokio::test]
async fn without_a_key_nothing_is_sent() {
    bounded(async {
        let server = MockServer::start().await;
        let error = client_for(&server)
            .client()
            .open_api()
            .open_msg_token()
            .await
            .unwrap_err();
        assert_eq!(
            error.kind(),
            &mm_sdk::ErrorKind::MissingCredential(mm_sdk::Credential::OpenApiSignature)
        );
        assert!(server.received_requests().await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn open_contract_order_signs_the_order_and_decodes_the_execution() {
    bounded(async {
        let server = MockServer::start().await;
        mount(
            &server,
            "/openapi-c/global/tradeapi.app.CfdMMOrderApiService.addMarketOrder",
            example("client/open_contract_order.response.json"),
        )
        .await;
        let order: mm_sdk::client::open_api::ContractOrderRequest = serde_json::from_value(
            example("client/open_contract_order.order-process.request.json"),
        )
        .unwrap();
        let executed = open_client(&server)
            .client()
            .open_api()
            .open_contract_order(&order)
            .await
            .unwrap();

        assert_eq!(executed.order_id, 14460002);
        assert_eq!(executed.position_id, 2023022819810);
        assert_eq!(executed.symbol_name.as_deref(), Some("BINAN_SOL_USDT"));
        assert_eq!(
            executed.execute_price.map(|p| p.to_string()).as_deref(),
            Some("22.25")
        );
        let request = only_request(&server).await;
        assert_open_api_headers(&request);
        assert_eq!(header(&request, "group"), "tradeApi");
        assert_eq!(
            json_body(&request),
            example("client/open_contract_order.order-process.request.json")
        );
        assert_signed(
            &request,
            "{accountCurrency:CNY,accountDigits:2,accountId:1034124,bizType:1,crossLevelNum:1,\
             direction:1,entryType:1,expireType:1,requestNum:0.100000,requestPrice:167655,\
             requestTime:1698299972000,symbolId:8390,tradeType:2}",
        );
    })
    .await;
}

#[tokio::test]
async fn an_order_is_not_repeated_and_a_refused_signature_is_an_auth_error() {
    bounded(async {
        let server = MockServer::start().await;
        // The Open API "Request" page's code for a signature that does not verify.
        mount(
            &server,
            "/openapi-c/global/tradeapi.app.CfdMMOrderApiService.addMarketOrder",
            failure("00012001", "Signature verification failed"),
        )
        .await;
        let order: mm_sdk::client::open_api::ContractOrderRequest = serde_json::from_value(
            example("client/open_contract_order.order-process.request.json"),
        )
        .unwrap();
        let error = open_client(&server)
            .client()
            .open_api()
            .open_contract_order(&order)
            .await
            .unwrap_err();

        assert!(error.is_auth());
        let mm_sdk::ErrorKind::Api(api) = error.kind() else {
            panic!("{error:?}");
        };
        assert_eq!(api.code, "00012001");
        assert_eq!(error.code(), Some(mm_sdk::ErrorCode::OPEN_API_00012001));
        assert_eq!(
            error.to_string(),
            format!(
                "open_contract_order: API error 00012001: Signature verification failed \
                 [The request signature did not verify.] (trace {})",
                error.trace().unwrap()
            )
        );
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn reads_are_signed_afresh_when_retried() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/openapi-c/global/getMsgPushToken"))
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        mount(
            &server,
            "/openapi-c/global/getMsgPushToken",
            example("client/open_msg_token.response.json"),
        )
        .await;
        open_client(&server)
            .client()
            .open_api()
            .open_msg_token()
            .await
            .unwrap();
        let requests = server.received_requests().await.unwrap();
        assert_eq!(requests.len(), 2);
        for request in &requests {
            assert_signed(request, "{}");
        }
        assert_eq!(header(&requests[0], "trace"), header(&requests[1], "trace"));
    })
    .await;
}

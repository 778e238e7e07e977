//! Conformance with an independent peer: every operation of the three specs sent through
//! `sdk-ergonomic` to Prism mock servers of those specs, which validate each request (path,
//! headers, body) against them and answer HTTP 422 with the violations when it does not match.
//!
//! Prism answers with responses it makes up from the schemas (`fail: true` among them, so many
//! calls end in an API error); what counts here is that no request was refused.
//!
//! Needs Prism: `npm ci --prefix conformance`. CI runs it with `--ignored`.

use std::time::Duration;

use mm_sdk::{
    AppSecret, Endpoints, Environment, ErrorKind, ManagerToken, MultiMarkets, OpenApiKey,
    RetryPolicy,
};
use mm_sdk_tests::prism::Prism;
use url::Url;

/// A PKCS#8 RSA test key (never used anywhere real).
const TEST_KEY: &str = include_str!("../../sdk-ergonomic/tests/fixtures/open_api_key.pkcs8.b64");

/// What came of one call: Prism accepted the request, or refused it.
fn accepted<T: std::fmt::Debug>(operation: &str, result: Result<T, mm_sdk::Error>) {
    let Err(error) = result else { return };
    match error.kind() {
        // Prism's made-up answers: failure envelopes, or data the SDK finds odd.
        ErrorKind::Api(_) | ErrorKind::Decode { .. } | ErrorKind::MissingData => {}
        _ => panic!("Prism refused `{operation}`: {error}\n{error:?}"),
    }
}

#[tokio::test]
#[ignore = "needs Prism: `npm ci --prefix conformance`; CI runs it with --ignored"]
async fn every_operation_the_sdk_sends_is_valid_for_prism() {
    let client = Prism::start("openapi/client.yaml").unwrap();
    let manager = Prism::start("openapi/manager.yaml").unwrap();
    let auth2 = Prism::start("openapi/auth2.yaml").unwrap();
    let url = |prism: &Prism| Url::parse(&prism.base_url()).unwrap();
    let mm = MultiMarkets::builder(Environment::custom(Endpoints {
        client: url(&client),
        manager: url(&manager),
        auth2: url(&auth2),
        trading_ui: Url::parse("https://www.headline.net").unwrap(),
    }))
    .company_id("421")
    .manager_token(ManagerToken::new("manager-token"))
    .app_credentials("app-id", AppSecret::new("app-secret"))
    .open_api_key(OpenApiKey::new("api-key", TEST_KEY).unwrap())
    .timeout(Duration::from_secs(20))
    .retry(RetryPolicy {
        max_attempts: 1,
        base_delay: Duration::from_millis(1),
    })
    .build()
    .unwrap();
    // The control: Prism does refuse a request that breaks the spec (no `company` header).
    let refused = reqwest::Client::new()
        .post(format!(
            "{}/cats-gateway-auth2/auth2/user",
            auth2.base_url()
        ))
        .header("trace", "t-1")
        .json(&serde_json::json!({ "accessToken": "a" }))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let results = mm_sdk_tests::every_operation::call_every_operation(&mm).await;
    let mut sent = Vec::new();
    for (operation, result) in results {
        accepted(operation, result);
        sent.push(operation.to_owned());
    }
    sent.sort();
    assert_eq!(
        sent,
        mm_sdk_tests::every_operation::all_operation_ids(),
        "operations sent vs operations in the specs"
    );
}

//! Conformance with an independent peer: every operation of the three specs sent through
//! `sdk-ergonomic` to Prism mock servers of those specs, which validate each request (path,
//! headers, body) against them and answer HTTP 422 with the violations when it does not match.
//!
//! Prism answers with responses it makes up from the schemas (`fail: true` among them, so many
//! calls end in an API error); what counts here is that no request was refused.
//!
//! Needs Prism: `npm ci --prefix conformance`. CI runs it with `--ignored`.

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use mm_sdk::client_api::{
    ApiKeyChanges, ApiPermissionCode, Confirmation, Device, GoogleCredential, LoginName, SignUp,
    SocialProvider, VerifyCodeKind, VerifyCodeRequest,
};
use mm_sdk::manager_api::{ProfilePart, Registration};
use mm_sdk::{
    AccessToken, AppSecret, AuthCode, Endpoints, Environment, ErrorKind, GoogleToken, LoginToken,
    ManagerToken, MultiMarkets, OpenApiKey, Password, RefreshToken, RetryPolicy, SendToken,
    VerifyCode,
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

fn example<T: serde::de::DeserializeOwned>(path: &str) -> T {
    let file = mm_sdk_tests::workspace_root()
        .join("openapi/examples")
        .join(path);
    serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap()
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
    let session = LoginToken::new("login-token");
    let password = Password::from_plain("a password");
    let mut covered = Vec::new();
    let mut check = |operation: &'static str, result| {
        covered.push(operation);
        accepted(operation, result)
    };

    // Client API.
    let c = mm.client();
    let email = LoginName::Email("someone@example.com".into());
    check(
        "login",
        c.login(&email, &password, Device::PcWeb).await.map(drop),
    );
    check(
        "third_login_config",
        c.third_login_config(SocialProvider::Google).await.map(drop),
    );
    let google = GoogleCredential::IdToken(GoogleToken::new("google-id-token"));
    check("google_verify", c.google_verify(&google).await.map(drop));
    let to = VerifyCodeRequest::to(VerifyCodeKind::EmailRegister, "someone@example.com");
    check("send_verify_code", c.send_verify_code(&to).await.map(drop));
    let sign_up = SignUp::email(
        "someone@example.com",
        VerifyCode::new("123456"),
        SendToken::new("send-token"),
        "CN",
    )
    .password(password.clone());
    let ip = IpAddr::V4(Ipv4Addr::new(203, 0, 113, 10));
    check(
        "register_customer",
        c.register_customer(sign_up, ip).await.map(drop),
    );
    check(
        "replacement_token",
        c.exchange_one_time_token(&session).await.map(drop),
    );
    let confirm = Confirmation::new().google(VerifyCode::new("123456"));
    check(
        "apply_api",
        c.apply_api(&session, "bot", &confirm).await.map(drop),
    );
    let changes = ApiKeyChanges::new()
        .tag("bot")
        .enable(ApiPermissionCode::ContractTrade);
    check(
        "set_api_permissions",
        c.set_api_permissions(&session, 3, &changes, &confirm)
            .await
            .map(drop),
    );
    check("delete_api", c.delete_api(&session, 3).await);
    check(
        "open_symbol_base_info",
        c.open_symbol_base_info(1).await.map(drop),
    );
    check("open_customer_info", c.open_customer_info().await.map(drop));
    let order = example("client/open_contract_order.request.json");
    check(
        "open_contract_order",
        c.open_contract_order(&order).await.map(drop),
    );
    check("open_msg_token", c.open_msg_token().await.map(drop));

    // Manager API.
    let m = mm.manager();
    check(
        "authorize",
        m.authorize("app-id", &AppSecret::new("app-secret"))
            .await
            .map(drop),
    );
    check(
        "universal_dictionaries",
        m.dictionaries("COUNTRY").await.map(drop),
    );
    check("company_currency", m.company_currency().await.map(drop));
    check("product_list", m.products(Some(1)).await.map(drop));
    check("customer_list", m.customer_page(1, 20).await.map(drop));
    let registration =
        Registration::email("someone@example.com", "+86", password, "CN", 1).account("USDT", "1");
    check(
        "register_customer",
        m.register_customer(registration).await.map(drop),
    );
    check(
        "customer_info",
        m.customer_info(1176, "86001175", ProfilePart::BaseInfo)
            .await
            .map(drop),
    );
    check(
        "customer_group",
        m.customer_groups(Some(1), None).await.map(drop),
    );
    check("get_balance", m.balances("86001175", 1).await.map(drop));
    let update = example("manager/balance_update.request.json");
    check("balance_update", m.update_balance(update).await.map(drop));

    // Auth2 API.
    let a = mm.auth2();
    check("auth_code", a.auth_code(&session, "mall-x").await.map(drop));
    let code = AuthCode::new("f25bcfc4-0b0c-48ac-adab-ef45714d9543");
    check("access_token", a.exchange_code(&code).await.map(drop));
    let access = AccessToken::new("access-token");
    check("user_info", a.user_info(&access).await.map(drop));
    let tokens = mm_sdk::auth2::Tokens {
        access,
        refresh: RefreshToken::new("refresh-token"),
    };
    check("refresh_token", a.refresh(&tokens).await.map(drop));

    // Every operation of the specs was sent.
    let mut expected: Vec<String> = Vec::new();
    for api in &mm_sdk_codegen::APIS {
        let spec = mm_sdk_tests::load_spec(api);
        for (_, _, operation) in spec.openapi.operations() {
            expected.push(operation.operation_id.clone().unwrap());
        }
    }
    let mut covered: Vec<String> = covered.into_iter().map(String::from).collect();
    covered.sort();
    expected.sort();
    assert_eq!(
        covered, expected,
        "operations sent vs operations in the specs"
    );
}

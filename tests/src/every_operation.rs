//! Every operation of the three specs, called once through `sdk-ergonomic` with plausible
//! inputs: what the conformance and sandbox-contract tests send.

use std::net::{IpAddr, Ipv4Addr};

use mm_sdk::client_api::{
    ApiKeyChanges, ApiPermissionCode, Confirmation, Device, GoogleCredential, LoginName, SignUp,
    SocialProvider, VerifyCodeKind, VerifyCodeRequest,
};
use mm_sdk::manager_api::{BalanceAdjustment, ProfilePart, Registration};
use mm_sdk::{
    AccessToken, AppSecret, AuthCode, GoogleToken, LoginToken, MultiMarkets, Password,
    RefreshToken, SendToken, VerifyCode,
};

/// Calls every operation once through `mm`, returning each `operationId` with its outcome.
/// `mm` needs a Manager token, Auth2 app credentials and an Open API key.
pub async fn call_every_operation(
    mm: &MultiMarkets,
) -> Vec<(&'static str, Result<(), mm_sdk::Error>)> {
    let session = LoginToken::new("login-token");
    let password = Password::from_plain("a password");
    let mut results = Vec::new();
    let mut check = |operation: &'static str, result: Result<(), mm_sdk::Error>| {
        results.push((operation, result));
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
    let bonus = BalanceAdjustment::new("86000020", "USDT", 5.0)
        .account_id(1000450)
        .remark("test");
    check("balance_update", m.update_balance(&bonus).await);

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

    results
}

/// Every `operationId` of the three specs, sorted.
pub fn all_operation_ids() -> Vec<String> {
    let mut ids = Vec::new();
    for api in &mm_sdk_codegen::APIS {
        let spec = crate::load_spec(api);
        for (_, _, operation) in spec.openapi.operations() {
            ids.extend(operation.operation_id.clone());
        }
    }
    ids.sort();
    ids
}

fn example<T: serde::de::DeserializeOwned>(path: &str) -> T {
    let file = crate::workspace_root().join("openapi/examples").join(path);
    serde_json::from_value(crate::wire::read_json(&file))
        .unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

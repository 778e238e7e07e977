//! The SDK's flows end to end against the local sandbox, failure paths included. Every answer
//! the sandbox gives in these tests is checked against the specs, so the sandbox cannot drift
//! from them.

use std::sync::OnceLock;
use std::time::Duration;

use mm_sdk::client::funds::{
    CreateCustomerDepositReqDto, CreateWithdrawProposalRequest, QueryCustomerDepositProposalReqDto,
    QueryDepositProposalPageReqDto, QueryWithdrawProposalPageReqDto,
};
use mm_sdk::client::open_api::SymbolBaseListRequest;
use mm_sdk::client::trade::{
    CfdWbwOrderQueryOrderDetailRequest, OrderAddMarketOrderRequest, OrderCloseTradePboOrderRequest,
    OrderQueryCapitalFlowListRequest, OrderQueryOrderPageRequest,
    PositionQueryPositionDetailRequest, PositionQueryPositionPageRequest,
};
use mm_sdk::enums::{EntryType, OrderDirection, OrderType, TradeType};
use mm_sdk::extras::Device;
use mm_sdk::extras::api_keys::{ApiKeyGrant, Confirmation};
use mm_sdk::extras::back_office::{BalanceAdjustment, Registration};
use mm_sdk::extras::sign_up::{VerifyCodeKind, VerifyCodeRequest};
use mm_sdk::extras::web_iframe::{LoginName, LoginSession};
use mm_sdk::ids::{CustomerNo, SymbolId};
use mm_sdk::manager::contract_trading::CfdWbwOrderAddMarketOrderRequest;
use mm_sdk::manager::customer::CustomerListRequest;
use mm_sdk::manager::funds::GetBalanceRequest;
use mm_sdk::{
    AppSecret, ClientAccess, Decimal, DecimalNumber, Endpoints, Environment, ErrorKind,
    ManagerToken, MultiMarkets, Password, QuoteToken, RetryPolicy, VerifyCode,
};
use mm_sdk_core::{Builder, Runtime};
use mm_sdk_sandbox::{Config, Sandbox};
use mm_sdk_test_support::sandbox::{self as support, api_code, password, registration};
use mm_sdk_tests::bounded;
use mm_sdk_tests::contract::Contract;
use mm_sdk_tests::every_operation::{call_flows, flow_methods, sendable};
use url::Url;

/// A sandbox recording its answers, and an SDK client configured for it.
struct Fixture {
    sandbox: Sandbox,
    mm: MultiMarkets,
}

impl Fixture {
    async fn start() -> Self {
        Self::with(Config {
            record_answers: true,
            ..Config::default()
        })
        .await
    }

    async fn with(config: Config) -> Self {
        let sandbox = Sandbox::start(config).await.unwrap();
        let mm = client(&sandbox, &sandbox.config().manager_token);
        Self { sandbox, mm }
    }

    /// Registers a customer by email with one USDT account and logs them in.
    async fn customer(&self, email: &str) -> (CustomerNo, LoginSession) {
        support::customer(&self.mm, email, "1").await
    }

    /// Registers and logs in a customer, then applies for an Open API key for them with the
    /// sandbox's verification code.
    async fn api_key(&self, email: &str) -> (CustomerNo, LoginSession, ApiKeyGrant) {
        let (customer_no, session) = self.customer(email).await;
        let code = &self.sandbox.config().verify_code;
        let grant = support::api_key(&self.mm, email, &session, code, "bot").await;
        (customer_no, session, grant)
    }

    async fn login(&self, email: &str) -> LoginSession {
        support::login(&self.mm, email).await
    }

    /// Fails the test if any answer the sandbox gave does not match its spec.
    fn assert_answers_match_specs(&self) {
        static CONTRACT: OnceLock<Contract> = OnceLock::new();
        let contract = CONTRACT.get_or_init(Contract::load);
        let answers = self.sandbox.answers();
        assert!(!answers.is_empty(), "the test made no API call");
        for answer in answers {
            if let Err(problems) = contract.check(answer.api, &answer.operation, &answer.body) {
                panic!(
                    "the sandbox answered against the spec: {problems}\n{:#}",
                    answer.body
                );
            }
        }
    }
}

/// A client for `sandbox` with its company and Auth2 app, and the given Manager token.
fn client(sandbox: &Sandbox, manager_token: &str) -> MultiMarkets {
    builder(sandbox)
        .manager_token(ManagerToken::new(manager_token))
        .build()
        .unwrap()
}

fn builder(sandbox: &Sandbox) -> mm_sdk::Builder {
    mm_sdk::sandbox::builder(sandbox).retry(
        RetryPolicy::default()
            .max_attempts(2)
            .base_delay(Duration::from_millis(1)),
    )
}

/// Sends a hand-built request; the answer's code as upstream's tables print it.
async fn answered_code(request: reqwest::RequestBuilder) -> String {
    let body: serde_json::Value = request.send().await.unwrap().json().await.unwrap();
    format!(
        "{}{}",
        body["bizCode"].as_str().unwrap(),
        body["code"].as_str().unwrap()
    )
}

fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn web_iframe_flow_register_login_iframe_exchange() {
    bounded(async {
        let f = Fixture::start().await;
        let (customer_no, session) = f.customer("iframe@example.com").await;
        assert_eq!(session.customer.customer_no, customer_no);

        let iframe = f.mm.web_iframe().url(&session);
        let expected_prefix = format!("{}en-US/home?tsource=", f.sandbox.base_url());
        assert!(iframe.as_str().starts_with(&expected_prefix), "{iframe}");

        // The trading UI opens with the one-time token and spends it.
        let page = browser().get(iframe.as_str()).send().await.unwrap();
        assert_eq!(page.status(), 200);
        let text = page.text().await.unwrap();
        assert!(text.contains(customer_no.as_str()), "{text}");

        // Spent: neither the UI nor anyone else can exchange it again.
        let again =
            f.mm.web_iframe()
                .exchange_one_time_token(&session.token)
                .await;
        assert_eq!(api_code(again), "USCUSTOMER_API_0000128");

        // A fresh login's token is exchanged once through the API.
        let fresh =
            f.mm.web_iframe()
                .login(
                    &LoginName::CustomerNo(customer_no),
                    &password(),
                    Device::PcWeb,
                )
                .await
                .unwrap();
        let real =
            f.mm.web_iframe()
                .exchange_one_time_token(&fresh.token)
                .await;
        assert!(!real.unwrap().expose_secret().is_empty());
        let twice =
            f.mm.web_iframe()
                .exchange_one_time_token(&fresh.token)
                .await;
        assert_eq!(api_code(twice), "USCUSTOMER_API_0000128");
        f.assert_answers_match_specs();
    })
    .await;
}

#[tokio::test]
async fn registration_and_login_failures_are_the_documented_errors() {
    bounded(async {
        let f = Fixture::start().await;
        let manager = f.mm.back_office();
        manager
            .register_customer(registration("dup@example.com", "1"))
            .await
            .unwrap();
        let duplicate = manager
            .register_customer(registration("dup@example.com", "1"))
            .await;
        assert_eq!(api_code(duplicate), "USCUSTOMER_API_0000107");

        let by_phone =
            || Registration::phone("13500001111", "+86", password(), "CN", 1).account("USDT", "1");
        manager.register_customer(by_phone()).await.unwrap();
        assert_eq!(
            api_code(manager.register_customer(by_phone()).await),
            "USCUSTOMER_API_0000106"
        );
        // The phone customer logs in by phone number and area code.
        let phone = LoginName::Phone {
            area: Some("+86".into()),
            number: "13500001111".into(),
        };
        f.mm.web_iframe()
            .login(&phone, &password(), Device::MobileWeb)
            .await
            .unwrap();

        let wrong =
            f.mm.web_iframe()
                .login(
                    &LoginName::Email("dup@example.com".into()),
                    &Password::from_plain("not the password"),
                    Device::MobileWeb,
                )
                .await;
        assert_eq!(api_code(wrong), "USCUSTOMER_API_0000102");
        let unknown =
            f.mm.web_iframe()
                .login(
                    &LoginName::Email("nobody@example.com".into()),
                    &password(),
                    Device::MobileWeb,
                )
                .await;
        assert_eq!(api_code(unknown), "USCUSTOMER_API_0000102");
        f.assert_answers_match_specs();
    })
    .await;
}

#[tokio::test]
async fn an_expired_one_time_token_is_refused() {
    bounded(async {
        let f = Fixture::start().await;
        let (_, session) = f.customer("late@example.com").await;
        f.sandbox
            .advance_clock(f.sandbox.config().login_token_ttl + Duration::from_secs(1));
        let late =
            f.mm.web_iframe()
                .exchange_one_time_token(&session.token)
                .await;
        assert_eq!(api_code(late), "USCUSTOMER_API_0000128");
        let unknown = mm_sdk::LoginToken::new("never-issued");
        let unknown = f.mm.web_iframe().exchange_one_time_token(&unknown).await;
        assert_eq!(api_code(unknown), "USCUSTOMER_API_0000128");
        f.assert_answers_match_specs();
    })
    .await;
}

/// What the browser does on the authorization page: the user is signed in (the sandbox's
/// `token` parameter stands for the session), approves, and is redirected back.
async fn authorize_in_browser(f: &Fixture, session: &LoginSession, redirect: &Url) -> String {
    let mut page =
        f.mm.auth2_login()
            .authorization_url("mall-x", redirect)
            .unwrap();
    page.query_pairs_mut()
        .append_pair("token", session.token.expose_secret());
    let response = browser().get(page.as_str()).send().await.unwrap();
    assert_eq!(response.status(), 302);
    response.headers()["location"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn auth2_flow_authorize_code_token_user_info_refresh() {
    bounded(async {
        let f = Fixture::start().await;
        let (customer_no, session) = f.customer("auth2@example.com").await;
        let redirect = Url::parse("https://platform.example/mm/callback?user=42").unwrap();
        let auth2 = f.mm.auth2_login();

        let location = authorize_in_browser(&f, &session, &redirect).await;
        let authorization = auth2.parse_redirect(&redirect, &location).unwrap();
        assert_eq!(authorization.app, "headline");
        let tokens = auth2.exchange_code(&authorization.code).await.unwrap();
        let user = auth2.user_info(&tokens.access).await.unwrap();
        assert_eq!(user.customer_no, customer_no);
        assert_eq!(user.email.as_deref(), Some("auth2@example.com"));

        // Codes are single-use.
        let reused = auth2.exchange_code(&authorization.code).await;
        assert_eq!(api_code(reused), "GGATEWAY_CODE_015");

        // A refresh rotates both tokens; the old ones stop working.
        let rotated = auth2.refresh(&tokens).await.unwrap();
        assert_ne!(rotated, tokens);
        let user = auth2.user_info(&rotated.access).await.unwrap();
        assert_eq!(user.customer_no, customer_no);
        let old_access = auth2.user_info(&tokens.access).await.unwrap_err();
        assert!(old_access.is_auth(), "{old_access}");
        assert_eq!(api_code(auth2.refresh(&tokens).await), "GGATEWAY_CODE_005");

        // Access tokens expire; the refresh token still renews them.
        f.sandbox
            .advance_clock(f.sandbox.config().access_token_ttl + Duration::from_secs(1));
        let expired = auth2.user_info(&rotated.access).await.unwrap_err();
        assert!(expired.is_auth(), "{expired}");
        let renewed = auth2.refresh(&rotated).await.unwrap();
        auth2.user_info(&renewed.access).await.unwrap();
        f.assert_answers_match_specs();
    })
    .await;
}

#[tokio::test]
async fn auth2_codes_expire_and_wrong_app_secrets_are_refused() {
    bounded(async {
        let f = Fixture::start().await;
        let (_, session) = f.customer("codes@example.com").await;
        let redirect = Url::parse("https://platform.example/callback").unwrap();
        let location = authorize_in_browser(&f, &session, &redirect).await;
        let authorization =
            f.mm.auth2_login()
                .parse_redirect(&redirect, &location)
                .unwrap();
        f.sandbox
            .advance_clock(f.sandbox.config().auth_code_ttl + Duration::from_secs(1));
        let expired = f.mm.auth2_login().exchange_code(&authorization.code).await;
        assert_eq!(api_code(expired), "GGATEWAY_CODE_015");

        let session = f.login("codes@example.com").await;
        let location = authorize_in_browser(&f, &session, &redirect).await;
        let authorization =
            f.mm.auth2_login()
                .parse_redirect(&redirect, &location)
                .unwrap();
        let impostor = builder(&f.sandbox)
            .app_credentials(
                f.sandbox.config().auth2_app.id.as_str(),
                AppSecret::new("not-the-secret"),
            )
            .build()
            .unwrap();
        let refused = impostor
            .auth2_login()
            .exchange_code(&authorization.code)
            .await;
        assert_eq!(api_code(refused), "GGATEWAY_CODE_019");
        // The refused attempt did not spend the code.
        f.mm.auth2_login()
            .exchange_code(&authorization.code)
            .await
            .unwrap();
        f.assert_answers_match_specs();
    })
    .await;
}

fn deposit(customer_no: &str, amount: &str) -> BalanceAdjustment {
    let amount = Decimal::from_str_exact(amount).expect("a test amount");
    BalanceAdjustment::new(customer_no, "USDT", amount).remark("sandbox test")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_balance_updates_are_all_kept() {
    bounded(async {
        let f = Fixture::start().await;
        let (customer_no, _) = f.customer("funds@example.com").await;
        let updates = (0..64).map(|_| {
            let (mm, customer_no) = (f.mm.clone(), customer_no.clone());
            tokio::spawn(async move {
                mm.back_office()
                    .adjust_balance(&deposit(&customer_no, "1.5"))
                    .await
            })
        });
        for update in futures::future::join_all(updates).await {
            update.unwrap().unwrap();
        }
        let request = GetBalanceRequest::new(customer_no.as_str(), 1);
        let balances = f.mm.manager().funds().get_balance(&request).await.unwrap();
        assert_eq!(balances.len(), 1);
        assert_eq!(balances[0].balance.to_string(), "96.000000");
        let account_id = balances[0].account_id;
        assert_eq!(
            f.sandbox.balance(&customer_no, account_id),
            Some(Decimal::new(96, 0))
        );

        let overdraw =
            f.mm.back_office()
                .adjust_balance(&deposit(&customer_no, "-96.000001"))
                .await;
        assert_eq!(api_code(overdraw), "FS540013");
        assert_eq!(
            f.sandbox.balance(&customer_no, account_id),
            Some(Decimal::new(96, 0))
        );
        f.assert_answers_match_specs();
    })
    .await;
}

#[tokio::test]
async fn missing_or_malformed_headers_are_refused_as_upstream_does() {
    bounded(async {
        let f = Fixture::start().await;
        let url = format!(
            "{}openapi-b/customer.admin.WhiteCustomerAdminApiService.page",
            f.sandbox.base_url()
        );
        let token = f.sandbox.config().manager_token.clone();
        let full = [
            ("trace", "t-1"),
            ("companyId", "421"),
            ("token", token.as_str()),
            ("version", "0.0.1"),
        ];
        let send = |skip: &'static str, replace: Option<(&'static str, &'static str)>| {
            let mut request = browser().post(url.as_str()).json(&serde_json::json!({}));
            for (name, value) in full {
                if name == skip {
                    continue;
                }
                let value = match replace {
                    Some((replaced, new)) if replaced == name => new,
                    _ => value,
                };
                request = request.header(name, value);
            }
            async move { answered_code(request).await }
        };
        assert_eq!(send("", None).await, "0");
        assert_eq!(send("trace", None).await, "GGATEWAY_CODE_009");
        assert_eq!(send("companyId", None).await, "GGATEWAY_CODE_003");
        assert_eq!(
            send("", Some(("companyId", "abc"))).await,
            "GGATEWAY_CODE_015"
        );
        assert_eq!(
            send("", Some(("companyId", "999"))).await,
            "USCUSTOMER_API_0000111"
        );
        assert_eq!(send("token", None).await, "GGATEWAY_CODE_001");
        assert_eq!(send("version", None).await, "GGATEWAY_CODE_009");

        // Through the SDK, a wrong Manager token is an authentication error.
        let stranger = client(&f.sandbox, "not-the-token");
        let refused = stranger
            .manager()
            .customer()
            .customer_list(&CustomerListRequest::new())
            .await
            .unwrap_err();
        assert!(refused.is_auth(), "{refused}");
        f.assert_answers_match_specs();
    })
    .await;
}

#[tokio::test]
async fn state_survives_a_restart_with_a_state_file() {
    bounded(async {
        let dir = std::env::temp_dir().join(format!("mm-sandbox-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let state_file = dir.join("state.json");
        let _ = std::fs::remove_file(&state_file);
        let config = Config {
            state_file: Some(state_file.clone()),
            record_answers: true,
            ..Config::default()
        };
        let first = Fixture::with(config.clone()).await;
        let (customer_no, _) = first.customer("kept@example.com").await;
        first
            .mm
            .back_office()
            .adjust_balance(&deposit(&customer_no, "7.25"))
            .await
            .unwrap();
        first.assert_answers_match_specs();
        drop(first);

        let second = Fixture::with(config).await;
        let request = GetBalanceRequest::new(customer_no.as_str(), 1);
        let balances = second
            .mm
            .manager()
            .funds()
            .get_balance(&request)
            .await
            .unwrap();
        assert_eq!(balances[0].balance.to_string(), "7.250000");
        let duplicate = second
            .mm
            .back_office()
            .register_customer(registration("kept@example.com", "1"))
            .await;
        assert_eq!(api_code(duplicate), "USCUSTOMER_API_0000107");
        second.assert_answers_match_specs();
        std::fs::remove_dir_all(&dir).unwrap();
    })
    .await;
}

#[tokio::test]
async fn open_api_keys_sign_calls_and_bad_signatures_are_refused() {
    bounded(async {
        let f = Fixture::start().await;
        let (customer_no, session) = f.customer("bot@example.com").await;
        let keys = f.mm.api_keys();
        let ticket =
            f.mm.sign_up()
                .send_verify_code(&VerifyCodeRequest::to(
                    VerifyCodeKind::EmailCommon,
                    "bot@example.com",
                ))
                .await
                .unwrap();
        let code = VerifyCode::new(f.sandbox.config().verify_code.as_str());
        let wrong = Confirmation::new().email(VerifyCode::new("000000"), ticket.clone());
        let refused = keys.create(&session.token, "bot", &wrong).await;
        assert_eq!(api_code(refused), "MSP_VERIFY_CODE_ERROR");
        let confirmation = Confirmation::new().email(code, ticket);
        let grant = keys
            .create(&session.token, "bot", &confirmation)
            .await
            .unwrap();
        let key = grant.open_api_key().unwrap();

        let bot = builder(&f.sandbox)
            .open_api_key(key.clone())
            .build()
            .unwrap();
        let me = bot.client().open_api().open_customer_info().await.unwrap();
        assert_eq!(me.customer_no.as_deref(), Some(customer_no.as_str()));
        bot.client().open_api().open_msg_token().await.unwrap();
        let symbols = bot
            .client()
            .open_api()
            .open_symbol_base_info(&SymbolBaseListRequest::new(1))
            .await
            .unwrap();
        assert!(!symbols.is_empty());

        // A body signed for another body, a stale timestamp, an unknown key.
        let url = format!(
            "{}openapi-c/global/customer.app.CustomerWebApiService.findCustomerInfo",
            f.sandbox.base_url()
        );
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as u64;
        let signed_elsewhere = key.sign(br#"{"other":1}"#, now).unwrap();
        let send = |api_key: &str, timestamp: u64, signature: &str| {
            let request = browser()
                .post(url.as_str())
                .header("companyId", "421")
                .header("trace", "t-open")
                .header("version", "0.0.1")
                .header("lang", "en-US")
                .header("apiKey", api_key)
                .header("timestamp", timestamp.to_string())
                .header("signature", signature)
                .json(&serde_json::json!({}));
            async move { answered_code(request).await }
        };
        let api_key = key.api_key().to_owned();
        let good = key.sign(b"{}", now).unwrap();
        assert_eq!(send(&api_key, now, &good).await, "0");
        assert_eq!(send(&api_key, now, &signed_elsewhere).await, "00012001");
        assert_eq!(send(&api_key, now, "not base64!").await, "00012001");
        let stale = now - 60_000;
        let stale_signature = key.sign(b"{}", stale).unwrap();
        assert_eq!(send(&api_key, stale, &stale_signature).await, "00012002");
        assert_eq!(send("no-such-key", now, &good).await, "00012003");

        // A deleted key stops working at once.
        keys.delete(&session.token, grant.key.id).await.unwrap();
        let deleted = bot.client().open_api().open_customer_info().await;
        assert_eq!(api_code(deleted), "00012003");
        f.assert_answers_match_specs();
    })
    .await;
}

/// A customer with an isolated-margin USDT account credited with 1,000, logged in.
async fn funded_trader(f: &Fixture, email: &str) -> (CustomerNo, LoginSession) {
    let (customer_no, session) = support::customer(&f.mm, email, "2").await;
    let credit = BalanceAdjustment::new(&customer_no, "USDT", Decimal::new(1000, 0))
        .trade_type(TradeType::CfdIsolatedMargin);
    f.mm.back_office().adjust_balance(&credit).await.unwrap();
    (customer_no, session)
}

#[tokio::test]
async fn an_open_api_key_trades_for_its_customer_per_handle_or_per_call() {
    bounded(async {
        let f = Fixture::start().await;
        // A funded customer, and a key of theirs.
        let email = "keyed@example.com";
        let (_, session) = funded_trader(&f, email).await;
        let code = &f.sandbox.config().verify_code;
        let grant = support::api_key(&f.mm, email, &session, code, "bot").await;
        let key = grant.open_api_key().unwrap();
        let buy = OrderAddMarketOrderRequest::new(
            "USDT",
            6,
            OrderType::MarketOpen,
            OrderDirection::Buy,
            EntryType::ByQuantity,
            Decimal::ONE,
            Decimal::ONE,
            0,
            969,
            TradeType::CfdIsolatedMargin,
        )
        .source("a server with a key");
        let positions = PositionQueryPositionPageRequest::new(TradeType::CfdIsolatedMargin);

        // Per handle: a server with the key and no login opens a position...
        let bot = builder(&f.sandbox)
            .open_api_key(key.clone())
            .build()
            .unwrap();
        let opened = bot
            .client()
            .trade()
            .order_add_market_order(ClientAccess::OpenApiKey, &buy)
            .await
            .unwrap();
        let position_id = opened.position_id.unwrap();
        // ... that the customer's own login lists, and the key's calls list too.
        let listed =
            f.mm.client()
                .trade()
                .position_query_position_page(&session.token, &positions)
                .await
                .unwrap();
        let ids = |page: &mm_sdk::client::trade::PositionQueryPositionPageData| {
            page.iter().map(|p| p.position_id).collect::<Vec<_>>()
        };
        assert_eq!(ids(&listed), [Some(position_id)]);
        let by_key = bot
            .client()
            .trade()
            .position_query_position_page(ClientAccess::OpenApiKey, &positions)
            .await
            .unwrap();
        assert_eq!(ids(&by_key), [Some(position_id)]);

        // Per call: a handle without a key signs one call with the key it is given.
        let per_call =
            f.mm.client()
                .trade()
                .position_query_position_page(ClientAccess::OpenApiKey, &positions)
                .open_api_key(&key)
                .await
                .unwrap();
        assert_eq!(ids(&per_call), [Some(position_id)]);
        // Without one, nothing is sent: the key is missing.
        let missing =
            f.mm.client()
                .trade()
                .position_query_position_page(ClientAccess::OpenApiKey, &positions)
                .await
                .unwrap_err();
        assert!(
            matches!(missing.kind(), ErrorKind::MissingCredential(_)),
            "{missing}"
        );
        // A key given to a call made with a login is refused, not silently unused.
        let both =
            f.mm.client()
                .trade()
                .position_query_position_page(&session.token, &positions)
                .open_api_key(&key)
                .await
                .unwrap_err();
        assert!(matches!(both.kind(), ErrorKind::InvalidInput(_)), "{both}");
        assert!(
            both.to_string().contains("ClientAccess::OpenApiKey"),
            "{both}"
        );
        f.assert_answers_match_specs();
    })
    .await;
}

#[tokio::test]
async fn a_manager_order_opens_a_position_the_customer_lists() {
    bounded(async {
        let f = Fixture::start().await;
        let (customer_no, session) = funded_trader(&f, "managed@example.com").await;
        let balances =
            f.mm.manager()
                .funds()
                .get_balance(&GetBalanceRequest::new(customer_no.as_str(), 2))
                .await
                .unwrap();
        let account_id = balances[0].account_id;

        // The operator buys 1 at the market for the customer's isolated-margin account.
        let order = CfdWbwOrderAddMarketOrderRequest::new(
            "USDT",
            6,
            OrderType::MarketOpen,
            OrderDirection::Buy,
            EntryType::ByQuantity,
            Decimal::ONE,
            Decimal::ONE,
            0,
            969,
            TradeType::CfdIsolatedMargin,
        )
        .account_id(account_id);
        let opened =
            f.mm.manager()
                .contract_trading()
                .cfd_wbw_order_add_market_order(&order)
                .await
                .unwrap();
        let position_id = opened.position_id.expect("a position");
        // The margin left the balance ...
        let after =
            f.mm.manager()
                .funds()
                .get_balance(&GetBalanceRequest::new(customer_no.as_str(), 2))
                .await
                .unwrap();
        assert!(after[0].balance < balances[0].balance);
        // ... and the customer's own login lists the position.
        let positions = f
            .mm
            .client()
            .trade()
            .position_query_position_page(&session.token, &PositionQueryPositionPageRequest::new(2))
            .await
            .unwrap();
        let listed: Vec<_> = positions.iter().map(|p| p.position_id).collect();
        assert_eq!(listed, [Some(position_id)]);

        // An account nobody holds is refused, and nothing changes.
        let unheld =
            f.mm.manager()
                .contract_trading()
                .cfd_wbw_order_add_market_order(&order.clone().account_id(999_999_i64))
                .await;
        assert_eq!(api_code(unheld), "USCUSTOMER_API_0000003");
        f.assert_answers_match_specs();
    })
    .await;
}

#[tokio::test]
async fn trading_and_funds_answers_match_the_specs() {
    bounded(async {
        let f = Fixture::start().await;
        let email = "trader@example.com";
        let registration = registration(email, "1").account("USDT", "2");
        let customer_no =
            f.mm.back_office()
                .register_customer(registration)
                .await
                .unwrap();
        let credit = BalanceAdjustment::new(&customer_no, "USDT", Decimal::new(1000, 0))
            .trade_type(TradeType::CfdIsolatedMargin);
        f.mm.back_office().adjust_balance(&credit).await.unwrap();
        let session = f.login(email).await;
        let (trade, funds, token) = (f.mm.client().trade(), f.mm.client().funds(), &session.token);
        // Every answer of the models, successes and refusals: opening, resting, closing,
        // cancelling, the queries, then both kinds of proposal.
        let order = |biz_type: i32, direction: i64| {
            OrderAddMarketOrderRequest::new(
                "USDT",
                6,
                biz_type,
                direction,
                1_i64,
                Decimal::ONE,
                Decimal::ONE,
                0,
                969,
                2,
            )
            .source("test")
        };
        let send = |order: OrderAddMarketOrderRequest| async move {
            trade.order_add_market_order(token, &order).await
        };
        let opened = send(order(1, 1)).await.unwrap();
        let position_id = opened.position_id.unwrap();
        let resting = send(order(10, 1)).await.unwrap();
        let mut unknown = order(1, 1);
        unknown.symbol_id = SymbolId::new(1);
        send(unknown).await.unwrap_err();
        let request = PositionQueryPositionPageRequest::new(2);
        assert_eq!(
            trade
                .position_query_position_page(token, &request)
                .await
                .unwrap()
                .len(),
            1
        );
        let request = OrderQueryOrderPageRequest::new(2);
        trade.order_query_order_page(token, &request).await.unwrap();
        let request = CfdWbwOrderQueryOrderDetailRequest::new(resting.order_id.unwrap(), 2);
        trade
            .cfd_wbw_order_query_order_detail(token, &request)
            .await
            .unwrap();
        let order_id = resting.order_id.unwrap();
        let request = OrderCloseTradePboOrderRequest::new(order_id, 2);
        trade
            .order_close_trade_pbo_order(token, &request)
            .await
            .unwrap();
        send(order(2, 2).position_id(position_id)).await.unwrap();
        let request = PositionQueryPositionDetailRequest::new(position_id, 2);
        trade
            .position_query_position_detail(token, &request)
            .await
            .unwrap();
        let request = OrderQueryCapitalFlowListRequest::new(2);
        let flow = trade
            .order_query_capital_flow_list(token, &request)
            .await
            .unwrap();
        assert_eq!(flow.total, Some(6));

        let request = CreateCustomerDepositReqDto::new(
            "USDT",
            1,
            "web",
            "bank-transfer",
            "bank",
            "USDT",
            "m-1",
            2,
        )
        .deposit_amount(DecimalNumber::from(Decimal::new(50, 0)));
        let created = funds
            .create_deposit_proposal(token, &request)
            .await
            .unwrap();
        let mut request = QueryCustomerDepositProposalReqDto::new(2);
        request.proposal_no = created.proposal_no;
        funds.query_deposit_proposal(token, &request).await.unwrap();
        funds
            .query_deposit_page_list(token, &QueryDepositProposalPageReqDto::new())
            .await
            .unwrap();
        let withdraw = |amount: i64| {
            CreateWithdrawProposalRequest::new(1, 2, "bank")
                .amount(DecimalNumber::from(Decimal::new(amount, 0)))
        };
        funds
            .create_withdraw_proposal(token, &withdraw(10))
            .await
            .unwrap();
        let refused = funds.create_withdraw_proposal(token, &withdraw(5000)).await;
        assert_eq!(api_code(refused), "FS52005");
        funds
            .query_withdraw_page_list(token, &QueryWithdrawProposalPageReqDto::new())
            .await
            .unwrap();
        f.assert_answers_match_specs();
    })
    .await;
}

#[tokio::test]
async fn every_operation_answers_as_its_spec_says() {
    bounded(async {
        let f = Fixture::start().await;
        let (_, session, first) = f.api_key("every@example.com").await;
        // The calls are signed with a second key: `delete_api`'s example deletes the first.
        let ticket = f
            .mm
            .sign_up()
            .send_verify_code(&VerifyCodeRequest::to(
                VerifyCodeKind::EmailCommon,
                "every@example.com",
            ))
            .await
            .unwrap();
        let code = VerifyCode::new(f.sandbox.config().verify_code.as_str());
        let grant = f
            .mm
            .api_keys()
            .create(&session.token, "second", &Confirmation::new().email(code, ticket))
            .await
            .unwrap();
        assert_eq!(first.key.id, 1, "the key `delete_api`'s example deletes");
        let config = f.sandbox.config();
        // Every operation, from its examples, through the one call path: those without a
        // model must succeed, answered from their specs.
        let runtime =
            Builder::<Runtime>::new(Environment::custom(Endpoints::same_host(f.sandbox.base_url())))
                .company_id(config.company_id.as_str())
                .manager_token(ManagerToken::new(config.manager_token.as_str()))
                .quote_token(QuoteToken::new(config.quote_token.as_str()))
                .open_api_key(grant.open_api_key().unwrap())
                .build()
                .unwrap();
        let areas = mm_sdk_tests::areas();
        let mut signed = 0;
        for sendable in sendable(&areas) {
            let result = sendable
                .send(&runtime, 0, session.token.expose_secret())
                .await;
            let key = (sendable.op.api.as_str(), sendable.op.id);
            let modelled = mm_sdk_sandbox::modelled_operations().any(|m| m == key);
            // Upstream shows no successful answer of some operations: the sandbox, which has
            // none to give, says the interface is not open.
            let unanswerable = !modelled
                && !sendable
                    .responses
                    .iter()
                    .any(|answer| answer["ok"] == serde_json::Value::Bool(true) || answer.get("ret").is_some());
            match result {
                Ok(_) => {}
                // A model may refuse the example's made-up data (an unknown customer).
                Err(error) if modelled && matches!(error.kind(), ErrorKind::Api(_)) => {}
                Err(error)
                    if unanswerable
                        && matches!(error.kind(), ErrorKind::Api(api) if api.code == "GATEWAY_CODE_201") => {}
                Err(error) => panic!(
                    "`{}`: the sandbox did not answer it as its spec says: {error}",
                    sendable.op.id
                ),
            }
            // The same operation by its Open API route: the sandbox checks the signature with
            // its own code, then answers for the key's customer.
            if sendable.model.open_api.is_some() {
                signed += 1;
                match sendable.send_signed(&runtime, 0).await {
                    Ok(_) => {}
                    Err(error)
                        if matches!(error.kind(), ErrorKind::Api(api) if api.code.starts_with("000120")) =>
                    {
                        panic!("`{}` with an Open API key: refused: {error}", sendable.op.id)
                    }
                    Err(error) if modelled && matches!(error.kind(), ErrorKind::Api(_)) => {}
                    Err(error)
                        if unanswerable
                            && matches!(error.kind(), ErrorKind::Api(api) if api.code == "GATEWAY_CODE_201") => {}
                    Err(error) => panic!(
                        "`{}` with an Open API key: the sandbox did not answer it as its spec \
                         says: {error}",
                        sendable.op.id
                    ),
                }
            }
        }
        assert!(signed > 250, "only {signed} operations were sent with an Open API key");
        // The flows, through their methods.
        let mm = builder(&f.sandbox)
            .manager_token(ManagerToken::new(config.manager_token.as_str()))
            .open_api_key(grant.open_api_key().unwrap())
            .build()
            .unwrap();
        for call in call_flows(&mm).await {
            if let Err(error) = &call.result {
                assert!(
                    matches!(error.kind(), ErrorKind::Api(_)),
                    "`{}` ({}): the sandbox answered with something other than an envelope: {error}",
                    call.key(),
                    call.flow
                );
            }
        }
        let mut answered: Vec<String> = f
            .sandbox
            .answers()
            .into_iter()
            .map(|answer| format!("{} {}", answer.api, answer.operation))
            .collect();
        answered.sort();
        answered.dedup();
        let mut all: Vec<String> = mm_sdk_generated::operations()
            .map(|op| format!("{} {}", op.api, op.id))
            .collect();
        all.sort();
        assert_eq!(answered, all);
        f.assert_answers_match_specs();
    })
    .await;
}

#[test]
fn every_flow_is_called_by_the_conformance_routine() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // Nothing listens on port 9: every call fails at once, which is all this needs.
    let mm = MultiMarkets::builder(Environment::custom(Endpoints::same_host(
        Url::parse("http://127.0.0.1:9").unwrap(),
    )))
    .company_id("421")
    .manager_token(ManagerToken::new("t"))
    .app_credentials("app", AppSecret::new("secret"))
    .retry(RetryPolicy::NEVER)
    .build()
    .unwrap();
    let mut called: Vec<String> = runtime
        .block_on(call_flows(&mm))
        .into_iter()
        .map(|call| call.flow.to_owned())
        .collect();
    called.sort();
    assert_eq!(called, flow_methods(), "flows the routine misses");
}

#[test]
fn the_contract_check_rejects_an_answer_against_the_spec() {
    let contract = Contract::load();
    let mut body: serde_json::Value = serde_json::from_str(include_str!(
        "../../openapi/examples/manager/get_balance.response.json"
    ))
    .unwrap();
    contract.check("manager", "get_balance", &body).unwrap();
    body["data"][0]["accountId"] = "1003496".into();
    body["ok"] = serde_json::Value::Null;
    let problems = contract.check("manager", "get_balance", &body).unwrap_err();
    assert!(problems.contains("/data/0/accountId"), "{problems}");
    assert!(problems.contains("/ok"), "{problems}");
}

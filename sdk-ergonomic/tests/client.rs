//! Client API calls beyond login: social login, verification codes, self-registration and
//! API-key management send the documented requests and decode the documented answers.

use std::net::IpAddr;

use crate::common::*;
use mm_sdk::extras::Device;
use mm_sdk::extras::api_keys::{ApiKeyChanges, ApiPermissionCode, Confirmation};
use mm_sdk::extras::sign_up::{
    GoogleCredential, SignUp, SocialProvider, UtmTags, VerifyCodeKind, VerifyCodeRequest,
};
use mm_sdk::{CaptchaToken, ErrorKind, GoogleToken, LoginToken, Password, SendToken, VerifyCode};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SESSION: &str = "a541f9d5-2507-42b3-b790-59e1f755c380app";
const APPLY: &str = "/api/global/customer.app.CustomerApiWebService.applyApi";
const EDIT: &str = "/api/global/customer.app.CustomerApiWebService.editApiPermission";
const DELETE: &str = "/api/global/customer.app.CustomerApiWebService.delApi";
const SEND_CODE: &str = "/api/global/message.app.VerificationApiService.verifyCodeSend";

/// The headers every Client API call here carries.
fn assert_client_headers(request: &wiremock::Request) {
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(header(request, "companyid"), COMPANY);
    assert_eq!(header(request, "version"), "0.0.1");
    assert_eq!(header(request, "lang"), "en-US");
    uuid::Uuid::parse_str(header(request, "trace")).unwrap();
}

fn api_error(error: &mm_sdk::Error) -> &mm_sdk::ApiError {
    match error.kind() {
        ErrorKind::Api(api) => api,
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test]
async fn third_login_config_asks_for_one_provider() {
    bounded(async {
        let server = MockServer::start().await;
        // The docs' response sample is a placeholder; this one follows their schema.
        mount(
            &server,
            "/api/global/customer.app.CustomerThirdLoginService.config",
            success(json!({
                "thirdSource": "google",
                "clientId": "1234-abc.apps.googleusercontent.com",
                "developerAccount": null
            })),
        )
        .await;
        let config = client_for(&server)
            .sign_up()
            .third_login_config(SocialProvider::Google)
            .await
            .unwrap();

        assert_eq!(config.third_source.as_deref(), Some("google"));
        assert_eq!(
            config.client_id.as_deref(),
            Some("1234-abc.apps.googleusercontent.com")
        );
        assert_eq!(config.developer_account, None);
        let request = only_request(&server).await;
        assert_client_headers(&request);
        assert_eq!(json_body(&request), json!({"thirdSource": "google"}));
    })
    .await;
}

#[tokio::test]
async fn google_verify_sends_one_credential_and_keeps_the_token_apart() {
    bounded(async {
        let server = MockServer::start().await;
        mount(
            &server,
            "/api/h/com.cats.customer.api.app.CustomerThirdLoginService/googleVerify",
            success(json!({
                "thirdSource": "google", "result": true, "phone": null, "action": "register",
                "failReason": null, "userId": "109876543210", "email": "someone@example.com",
                "token": "next-step-token-77"
            })),
        )
        .await;
        let verification = client_for(&server)
            .sign_up()
            .google_verify(&GoogleCredential::IdToken(GoogleToken::new(
                "eyJhbGciOi.id.token",
            )))
            .await
            .unwrap();

        assert_eq!(
            verification.token.unwrap().expose_secret(),
            "next-step-token-77"
        );
        assert_eq!(verification.result.token, None);
        assert!(verification.result.result);
        assert_eq!(verification.result.action.as_deref(), Some("register"));
        assert_eq!(verification.result.user_id.as_deref(), Some("109876543210"));
        let request = only_request(&server).await;
        assert_client_headers(&request);
        assert_eq!(
            json_body(&request),
            json!({"idToken": "eyJhbGciOi.id.token"})
        );
    })
    .await;
}

#[tokio::test]
async fn send_verify_code_sends_the_docs_request_and_returns_the_ticket() {
    bounded(async {
        let server = MockServer::start().await;
        mount(
            &server,
            SEND_CODE,
            example("client/send_verify_code.response.json"),
        )
        .await;
        // The docs' example is company 39's.
        let mm = builder_for(&server).company_id("39").build().unwrap();
        let request = VerifyCodeRequest::to(VerifyCodeKind::EmailPassword, "4632144@qq.com")
            .customer_id(88)
            .captcha(CaptchaToken::new("recaptcha-response"));
        let ticket = mm.sign_up().send_verify_code(&request).await.unwrap();

        assert_eq!(
            ticket.expose_secret(),
            "38caf08b-fafd-4cb5-b36c-ebdd1878b974"
        );
        let sent = only_request(&server).await;
        assert_eq!(
            json_body(&sent),
            example("client/send_verify_code.request.json")
        );
        assert_eq!(header(&sent, "companyid"), "39");
        assert_eq!(header(&sent, "captcha"), "recaptcha-response");
        assert_eq!(header(&sent, "version"), "0.0.1");
    })
    .await;
}

#[tokio::test]
async fn send_verify_code_to_a_customer_without_a_captcha() {
    bounded(async {
        let server = MockServer::start().await;
        mount(
            &server,
            SEND_CODE,
            example("client/send_verify_code.response.json"),
        )
        .await;
        let request = VerifyCodeRequest::to_customer(VerifyCodeKind::SmsLoggedIn, "86001175");
        client_for(&server)
            .sign_up()
            .send_verify_code(&request)
            .await
            .unwrap();
        let sent = only_request(&server).await;
        assert_eq!(
            json_body(&sent),
            json!({"companyId": 421, "bizType": "SMS_LOGINED_VERIFICATION_CODE", "customerNo": "86001175"})
        );
        assert!(sent.headers.get("captcha").is_none());
    })
    .await;
}

/// `send_verify_code` goes through the Client API's gateway with an idempotency key: after a
/// server error it is sent again with the same key, which the gateway answers from its cache,
/// so the customer still gets one code.
#[tokio::test]
async fn send_verify_code_is_repeated_after_a_server_error_with_one_idempotency_key() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(SEND_CODE))
            .respond_with(ResponseTemplate::new(503))
            .mount(&server)
            .await;
        let request = VerifyCodeRequest::to(VerifyCodeKind::SmsRegister, "13429837442");
        let error = client_for(&server)
            .sign_up()
            .send_verify_code(&request)
            .await
            .unwrap_err();
        assert!(matches!(
            error.kind(),
            ErrorKind::Status { status: 503, .. }
        ));
        let received = server.received_requests().await.unwrap();
        // The test client's `RetryPolicy::max_attempts`.
        assert_eq!(received.len(), 3);
        let keys: Vec<_> = received
            .iter()
            .map(|r| header(r, "idempotency-key"))
            .collect();
        assert!(
            !keys[0].is_empty() && keys.iter().all(|k| *k == keys[0]),
            "{keys:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_company_id_that_is_not_a_number_is_refused_before_sending_a_code() {
    bounded(async {
        let server = MockServer::start().await;
        let mm = builder_for(&server).company_id("brand-a").build().unwrap();
        let request = VerifyCodeRequest::to(VerifyCodeKind::EmailRegister, "a@b.example");
        let error = mm.sign_up().send_verify_code(&request).await.unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid input: send_verify_code needs a numeric company id (`Builder::company_id`)"
        );
        assert!(server.received_requests().await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn register_customer_sends_the_sign_up_and_the_users_address() {
    bounded(async {
        let server = MockServer::start().await;
        // No response example is published; this one follows the docs' schema.
        mount(
            &server,
            "/api/register/customer.app.CustomerWebApiService.register",
            success(json!({
                "customerNo": "86021976", "companyId": 421, "customerGroupId": 1, "id": 2001,
                "email": "someone@example.com", "registerTime": 1678360534200_i64, "list": null
            })),
        )
        .await;
        let sign_up = SignUp::email(
            "someone@example.com",
            VerifyCode::new("482913"),
            SendToken::new("38caf08b-fafd-4cb5-b36c-ebdd1878b974"),
            "CN",
        )
        .password(Password::from_plain("123456"))
        .device(Device::PcWeb)
        .customer_group(1)
        .account("USDT", "1")
        .utm(UtmTags {
            source: Some("newsletter".into()),
            ..UtmTags::default()
        })
        .captcha(CaptchaToken::new("recaptcha-response"));
        let ip: IpAddr = "203.0.113.10".parse().unwrap();
        let customer = client_for(&server)
            .sign_up()
            .register(sign_up, ip)
            .await
            .unwrap();

        assert_eq!(customer.customer_no.as_deref(), Some("86021976"));
        assert_eq!(customer.id, Some(2001));
        let request = only_request(&server).await;
        assert_client_headers(&request);
        assert_eq!(header(&request, "x-forwarded-for"), "203.0.113.10");
        assert_eq!(header(&request, "captcha"), "recaptcha-response");
        assert_eq!(
            json_body(&request),
            json!({
                "type": 1,
                "loginName": "someone@example.com",
                "verifyCode": "482913",
                "sendToken": "38caf08b-fafd-4cb5-b36c-ebdd1878b974",
                "country": "CN",
                "pwd": "e10adc3949ba59abbe56e057f20f883e",
                "registerSource": 2,
                "customerGroupId": 1,
                "openAccountType": 0,
                "tradeTypeCurrencyList": [{"allCurrency": "USDT", "tradeType": "1"}],
                "utmSource": "newsletter"
            })
        );
    })
    .await;
}

#[tokio::test]
async fn register_customer_by_phone() {
    bounded(async {
        let server = MockServer::start().await;
        mount(
            &server,
            "/api/register/customer.app.CustomerWebApiService.register",
            success(json!({"customerNo": "86021977"})),
        )
        .await;
        let sign_up = SignUp::phone(
            "+86",
            "13429837442",
            VerifyCode::new("1"),
            SendToken::new("t"),
            "CN",
        )
        .enterprise();
        client_for(&server)
            .sign_up()
            .register(sign_up, "::1".parse().unwrap())
            .await
            .unwrap();
        let request = only_request(&server).await;
        assert_eq!(header(&request, "x-forwarded-for"), "::1");
        assert_eq!(
            json_body(&request),
            json!({
                "type": 2, "loginName": "13429837442", "phoneArea": "+86", "verifyCode": "1",
                "sendToken": "t", "country": "CN", "registerSource": 1, "openAccountType": 1
            })
        );
    })
    .await;
}

#[tokio::test]
async fn apply_api_returns_the_key_pair_with_the_private_key_kept_secret() {
    bounded(async {
        let server = MockServer::start().await;
        mount(&server, APPLY, example("client/apply_api.response.json")).await;
        let documented = example("client/apply_api.response.json")["data"].clone();
        let confirmation = Confirmation::new()
            .email(VerifyCode::new("482913"), SendToken::new("email-ticket"))
            .google(VerifyCode::new("735021"));
        let grant = client_for(&server)
            .api_keys()
            .create(&LoginToken::new(SESSION), "2343", &confirmation)
            .await
            .unwrap();

        assert_eq!(
            grant.private_key.expose_secret(),
            documented["privateKey"].as_str().unwrap()
        );
        assert_eq!(grant.key.private_key.expose_secret(), "");
        assert_eq!(grant.key.secret_key_md5.expose_secret(), "");
        assert_eq!(grant.key.id, 3);
        assert_eq!(grant.key.api_key, "47b471e57c394e8fbc18535805e04016");
        assert_eq!(grant.key.validity_days, 90);
        assert_eq!(grant.key.permission_dto_list.len(), 4);
        assert_eq!(grant.key.permission_dto_list[3].code, "captial_out");
        let key = grant.open_api_key().unwrap();
        assert_eq!(key.api_key(), "47b471e57c394e8fbc18535805e04016");

        let request = only_request(&server).await;
        assert_client_headers(&request);
        assert_eq!(header(&request, "token"), SESSION);
        assert_eq!(
            json_body(&request),
            json!({
                "tag": "2343", "googleCode": "735021", "emailCode": "482913",
                "emailSendToken": "email-ticket"
            })
        );
    })
    .await;
}

#[tokio::test]
async fn api_key_calls_without_a_verification_code_or_a_change_send_nothing() {
    bounded(async {
        let server = MockServer::start().await;
        let mm = client_for(&server);
        let session = LoginToken::new(SESSION);
        let error = mm
            .api_keys()
            .create(&session, "bot", &Confirmation::new())
            .await
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid input: creating an API key needs a verification code (`Confirmation::google`, `phone` or `email`)"
        );
        let confirmation = Confirmation::new().google(VerifyCode::new("735021"));
        let error = mm
            .api_keys()
            .set_permissions(&session, 3, &ApiKeyChanges::new(), &confirmation)
            .await
            .unwrap_err();
        assert!(
            matches!(error.kind(), ErrorKind::InvalidInput(_)),
            "{error}"
        );
        assert!(server.received_requests().await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn set_api_permissions_sends_the_changes() {
    bounded(async {
        let server = MockServer::start().await;
        mount(
            &server,
            EDIT,
            example("client/set_api_permissions.response.json"),
        )
        .await;
        let changes = ApiKeyChanges::new()
            .tag("bot")
            .enable(ApiPermissionCode::ContractTrade)
            .disable(ApiPermissionCode::Withdraw)
            .white_ips([
                "203.0.113.10".parse().unwrap(),
                "2001:db8::1".parse().unwrap(),
            ]);
        let confirmation =
            Confirmation::new().phone(VerifyCode::new("551200"), SendToken::new("sms"));
        client_for(&server)
            .api_keys()
            .set_permissions(&LoginToken::new(SESSION), 3, &changes, &confirmation)
            .await
            .unwrap();

        let request = only_request(&server).await;
        assert_client_headers(&request);
        assert_eq!(header(&request, "token"), SESSION);
        assert_eq!(
            json_body(&request),
            json!({
                "id": 3,
                "tag": "bot",
                "permissionList": [
                    {"code": "contract_trade", "status": 1},
                    {"code": "captial_out", "status": 2}
                ],
                "whiteIps": "203.0.113.10,2001:db8::1",
                "phoneCode": "551200",
                "phoneSendToken": "sms"
            })
        );
    })
    .await;
}

#[tokio::test]
async fn a_wrong_verification_code_is_the_documented_api_error() {
    bounded(async {
        let server = MockServer::start().await;
        mount(
            &server,
            EDIT,
            example("client/set_api_permissions.invalid-code.response.json"),
        )
        .await;
        let confirmation = Confirmation::new().google(VerifyCode::new("000000"));
        let error = client_for(&server)
            .api_keys()
            .set_permissions(
                &LoginToken::new(SESSION),
                3,
                &ApiKeyChanges::new().tag("bot"),
                &confirmation,
            )
            .await
            .unwrap_err();

        let api = api_error(&error);
        assert_eq!(
            (api.code.as_str(), api.biz_code.as_str(), api.msg.as_str()),
            ("P_VERIFY_CODE_ERROR", "MS", "Invalid verification code")
        );
        assert_eq!(
            api.server_trace,
            "x-yhi2311h-372n4ygp-8eyz2-80981j5-1677656124"
        );
        assert_eq!(error.operation(), Some("set_api_permissions"));
        assert!(!error.is_retryable());
    })
    .await;
}

#[tokio::test]
async fn delete_api_by_id_and_the_documented_not_found() {
    bounded(async {
        let server = MockServer::start().await;
        mount(&server, DELETE, example("client/delete_api.response.json")).await;
        let mm = client_for(&server);
        let session = LoginToken::new(SESSION);
        mm.api_keys().delete(&session, 3).await.unwrap();
        let request = only_request(&server).await;
        assert_client_headers(&request);
        assert_eq!(header(&request, "token"), SESSION);
        assert_eq!(json_body(&request), json!({"id": 3}));

        server.reset().await;
        mount(
            &server,
            DELETE,
            example("client/delete_api.not-found.response.json"),
        )
        .await;
        let error = mm.api_keys().delete(&session, 3).await.unwrap_err();
        let api = api_error(&error);
        assert_eq!(
            (api.code.as_str(), api.biz_code.as_str(), api.msg.as_str()),
            ("CUSTOMER_API_0000003", "US", "Data not exist ")
        );
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
    })
    .await;
}

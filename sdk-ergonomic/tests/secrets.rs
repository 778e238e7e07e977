//! No secret reaches `Debug`, `Display`, error messages or logs, whatever the flow does.

use crate::common::captured::Captured;
use crate::common::*;
use mm_sdk::client::open_api::ContractOrderRequest;
use mm_sdk::extras::Device;
use mm_sdk::extras::api_keys::{ApiKeyChanges, ApiPermissionCode, Confirmation};
use mm_sdk::extras::sign_up::{GoogleCredential, SignUp, VerifyCodeKind, VerifyCodeRequest};
use mm_sdk::extras::web_iframe::LoginName;
use mm_sdk::{
    AccessToken, AuthCode, CaptchaToken, GoogleToken, LoginToken, Password, SendToken, VerifyCode,
};
use wiremock::MockServer;

const PASSWORD: &str = "correct horse battery staple";
const ACCESS: &str = "650c1011-db8f-49bb-91e2-75ef207d2e4e";
const REFRESH: &str = "9a1c03e9-cfe0-4796-8a73-20d53f6b399e";
const CODE: &str = "e06a0a7f-9332-4e5a-a539-e2dc976fd08e";
const LOGIN_TOKEN: &str = "a541f9d5-2507-42b3-b790-59e1f755c380app";
const R_TOKEN: &str = "291e08e4e0af86b3d8af85f2947a02125a1c1746db58b303b06cc1aba389f4cd";
const SESSION: &str = "qfx13-8z5850-mf4l657-gkqbn-167756399";

/// Fails if any of `secrets` is in the logs or in any of the texts `shown`.
fn assert_free_of(captured: &Captured, secrets: &[&str], shown: &[String]) {
    let logs = captured.text();
    assert!(
        logs.contains("mm_sdk.call"),
        "the flows were logged at all:\n{logs}"
    );
    for secret in secrets {
        assert!(!logs.contains(secret), "a secret is in the logs:\n{logs}");
        for text in shown {
            assert!(!text.contains(secret), "a secret is in {text}");
        }
    }
}

#[tokio::test]
async fn no_flow_leaks_a_secret() {
    bounded(async {
        let (captured, _guard) = Captured::start(tracing::Level::TRACE);

        let server = MockServer::start().await;
        mount(
            &server,
            "/cats-gateway-auth2/auth2/token",
            example("auth2/access_token.response.json"),
        )
        .await;
        mount(
            &server,
            "/cats-gateway-auth2/auth2/user",
            failure("GGATEWAY_CODE_005", "Login info is expired"),
        )
        .await;
        mount(
            &server,
            "/cats-gateway-auth2/auth2/refresh",
            example("auth2/refresh_token.response.json"),
        )
        .await;
        mount(
            &server,
            "/api/login/customer.app.CustomerWebApiService.login",
            example("client/login.response.json"),
        )
        .await;
        mount(
            &server,
            "/openapi-b/customer.admin.WhiteCustomerAdminApiService.addCusAndOpenAccountAndKyc",
            example("manager/register_customer.response.json"),
        )
        .await;
        mount(
            &server,
            "/api/global/thirdExt/randomKey",
            example("client/replacement_token.response.json"),
        )
        .await;

        let mm = client_for(&server);
        let password = Password::from_plain(PASSWORD);
        let mut shown = vec![format!("{mm:?}"), format!("{password:?}")];

        let registered = mm
            .back_office()
            .register_customer(
                mm_sdk::extras::back_office::Registration::email(
                    "a@b.example",
                    "+86",
                    password.clone(),
                    "CN",
                    1,
                )
                .account("USDT", "1"),
            )
            .await
            .unwrap();
        shown.push(format!("{registered:?}"));

        let tokens = mm
            .auth2_login()
            .exchange_code(&AuthCode::new(CODE))
            .await
            .unwrap();
        shown.push(format!("{tokens:?}"));
        let error = mm
            .auth2_login()
            .user_info(&tokens.access)
            .await
            .unwrap_err();
        shown.extend([format!("{error:?}"), error.to_string()]);
        let refreshed = mm.auth2_login().refresh(&tokens).await.unwrap();
        shown.push(format!("{refreshed:?}"));
        let session = mm
            .web_iframe()
            .login(
                &LoginName::Phone {
                    area: None,
                    number: "13429837442".into(),
                },
                &password,
                Device::MobileWeb,
            )
            .await
            .unwrap();
        shown.push(format!("{session:?}"));
        assert_eq!(session.token.expose_secret(), LOGIN_TOKEN);
        let real = mm
            .web_iframe()
            .exchange_one_time_token(&session.token)
            .await
            .unwrap();
        shown.push(format!("{real:?}"));
        let redirect = url::Url::parse("https://www.hg.com/login").unwrap();
        let parse_error = mm
            .auth2_login()
            .parse_redirect(
                &redirect,
                &format!("https://evil.example/login?code={CODE}&app=headline"),
            )
            .unwrap_err();
        shown.extend([format!("{parse_error:?}"), parse_error.to_string()]);
        shown.push(format!("{:?}", AccessToken::new(ACCESS)));
        shown.push(format!("{:?}", LoginToken::new(LOGIN_TOKEN)));

        assert_free_of(
            &captured,
            &[
                PASSWORD,
                password.expose_md5_hex(),
                APP_SECRET,
                MANAGER_TOKEN,
                ACCESS,
                REFRESH,
                CODE,
                LOGIN_TOKEN,
                R_TOKEN,
                SESSION,
            ],
            &shown,
        );
    })
    .await;
}

const GOOGLE_ID_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.google-id-token-payload.sig";
const SOCIAL_TOKEN: &str = "social-next-step-token-4b1e";
const CAPTCHA: &str = "03AFcWeA-recaptcha-response-token";
const EMAIL_CODE: &str = "482913";
const GOOGLE_CODE: &str = "735021";
const SEND_TOKEN: &str = "38caf08b-fafd-4cb5-b36c-ebdd1878b974";
/// `secretKeyMd5` of the docs' `apply_api` example: derived from the private key.
const SECRET_KEY_MD5: &str = "95cfcea9ef853cd519d65858ddc01dfe";

#[tokio::test]
async fn verification_codes_api_keys_and_signed_calls_leak_nothing() {
    bounded(async {
        let (captured, _guard) = Captured::start(tracing::Level::TRACE);
        let server = MockServer::start().await;
        mount(
            &server,
            "/api/global/message.app.VerificationApiService.verifyCodeSend",
            example("client/send_verify_code.response.json"),
        )
        .await;
        mount(
            &server,
            "/api/h/com.cats.customer.api.app.CustomerThirdLoginService/googleVerify",
            success(serde_json::json!({
                "thirdSource": "google", "result": true, "phone": null, "action": "login",
                "failReason": null, "userId": "1098", "email": null, "token": SOCIAL_TOKEN
            })),
        )
        .await;
        mount(
            &server,
            "/api/register/customer.app.CustomerWebApiService.register",
            failure("CUSTOMER_API_0000511", "The verification code is incorrect"),
        )
        .await;
        mount(
            &server,
            "/api/global/customer.app.CustomerApiWebService.applyApi",
            example("client/apply_api.response.json"),
        )
        .await;
        mount(
            &server,
            "/api/global/customer.app.CustomerApiWebService.editApiPermission",
            example("client/set_api_permissions.invalid-code.response.json"),
        )
        .await;
        mount(
            &server,
            "/openapi-c/global/tradeapi.app.CfdMMOrderApiService.addMarketOrder",
            failure("00012001", "Signature verification failed"),
        )
        .await;
        mount(
            &server,
            "/openapi-c/global/customer.app.CustomerWebApiService.findCustomerInfo",
            success(serde_json::json!({"customerNo": "86000116"})),
        )
        .await;

        let mm = client_for(&server);
        let session = LoginToken::new(LOGIN_TOKEN);
        let password = Password::from_plain(PASSWORD);
        let mut shown = Vec::new();

        let request = VerifyCodeRequest::to(VerifyCodeKind::EmailRegister, "a@b.example")
            .captcha(CaptchaToken::new(CAPTCHA));
        shown.push(format!("{request:?}"));
        let ticket = mm.sign_up().send_verify_code(&request).await.unwrap();
        shown.push(format!("{ticket:?}"));

        let credential = GoogleCredential::IdToken(GoogleToken::new(GOOGLE_ID_TOKEN));
        shown.push(format!("{credential:?}"));
        let verification = mm.sign_up().google_verify(&credential).await.unwrap();
        shown.push(format!("{verification:?}"));

        let sign_up = SignUp::email("a@b.example", VerifyCode::new(EMAIL_CODE), ticket, "CN")
            .password(password.clone())
            .captcha(CaptchaToken::new(CAPTCHA));
        shown.push(format!("{sign_up:?}"));
        let error = mm
            .sign_up()
            .register(sign_up, "203.0.113.10".parse().unwrap())
            .await
            .unwrap_err();
        shown.extend([format!("{error:?}"), error.to_string()]);

        let confirmation = Confirmation::new()
            .google(VerifyCode::new(GOOGLE_CODE))
            .email(VerifyCode::new(EMAIL_CODE), SendToken::new(SEND_TOKEN));
        shown.push(format!("{confirmation:?}"));
        let grant = mm
            .api_keys()
            .create(&session, "bot", &confirmation)
            .await
            .unwrap();
        shown.push(format!("{grant:?}"));
        let key = grant.open_api_key().unwrap();
        shown.push(format!("{key:?}"));
        let error = mm
            .api_keys()
            .set_permissions(
                &session,
                grant.key.id,
                &ApiKeyChanges::new().enable(ApiPermissionCode::ContractTrade),
                &confirmation,
            )
            .await
            .unwrap_err();
        shown.extend([format!("{error:?}"), error.to_string()]);

        // Signed calls with the new key.
        let mm = builder_for(&server).open_api_key(key).build().unwrap();
        shown.push(format!("{mm:?}"));
        mm.client().open_api().open_customer_info().await.unwrap();
        let order: ContractOrderRequest = serde_json::from_value(example(
            "client/open_contract_order.order-process.request.json",
        ))
        .unwrap();
        let error = mm
            .client()
            .open_api()
            .open_contract_order(&order)
            .await
            .unwrap_err();
        shown.extend([format!("{error:?}"), error.to_string()]);

        let private_key = grant.private_key.expose_secret();
        assert_free_of(
            &captured,
            &[
                GOOGLE_ID_TOKEN,
                SOCIAL_TOKEN,
                CAPTCHA,
                EMAIL_CODE,
                GOOGLE_CODE,
                SEND_TOKEN,
                SECRET_KEY_MD5,
                LOGIN_TOKEN,
                PASSWORD,
                password.expose_md5_hex(),
                // Any stretch of the private key, wherever it would start.
                &private_key[0..40],
                &private_key[300..340],
                &private_key[private_key.len() - 40..],
            ],
            &shown,
        );
    })
    .await;
}

/// The generated methods hand back the answers as they are: their secret fields (tokens,
/// keys) are redacted in `Debug` all the same, and the requests' (codes, password digests).
#[tokio::test]
async fn generated_answers_and_requests_keep_their_secrets_out_of_debug() {
    bounded(async {
        let server = MockServer::start().await;
        mount(
            &server,
            "/api/login/customer.app.CustomerWebApiService.login",
            example("client/login.response.json"),
        )
        .await;
        let mm = client_for(&server);
        let digest = Password::from_plain(PASSWORD).expose_md5_hex().to_owned();
        let request = mm_sdk::client::auth::LoginRequest::new(1, false, "86021976", 3)
            .login_pwd(digest.as_str())
            .verify_code("123456")
            .send_token("ticket-of-the-code");
        let answer = mm.client().auth().login(None, &request).await.unwrap();
        let shown = format!("{answer:?} {request:?}");
        assert!(
            !answer.token.expose_secret().is_empty(),
            "the example has a token"
        );
        for secret in [
            answer.token.expose_secret(),
            answer.r_token.as_ref().map_or("", |t| t.expose_secret()),
            digest.as_str(),
            "123456",
            "ticket-of-the-code",
        ]
        .into_iter()
        .filter(|secret| !secret.is_empty())
        {
            assert!(!shown.contains(secret), "a secret is in {shown}");
        }
        assert!(shown.contains("SecretText(<redacted>)"), "{shown}");
    })
    .await;
}

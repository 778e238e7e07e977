//! No secret reaches `Debug`, `Display`, error messages or logs, whatever the flow does.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::*;
use mm_sdk::client_api::{Device, LoginName};
use mm_sdk::{AccessToken, AuthCode, LoginToken, Password};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PASSWORD: &str = "correct horse battery staple";
const ACCESS: &str = "650c1011-db8f-49bb-91e2-75ef207d2e4e";
const REFRESH: &str = "9a1c03e9-cfe0-4796-8a73-20d53f6b399e";
const CODE: &str = "e06a0a7f-9332-4e5a-a539-e2dc976fd08e";
const LOGIN_TOKEN: &str = "a541f9d5-2507-42b3-b790-59e1f755c380app";
const R_TOKEN: &str = "291e08e4e0af86b3d8af85f2947a02125a1c1746db58b303b06cc1aba389f4cd";
const SESSION: &str = "qfx13-8z5850-mf4l657-gkqbn-167756399";

/// A `tracing` writer that keeps everything in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

async fn mount(server: &MockServer, route: &str, body: serde_json::Value) {
    Mock::given(method("POST"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(server)
        .await;
}

#[tokio::test]
async fn no_flow_leaks_a_secret() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

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
        .manager()
        .register_customer(
            mm_sdk::manager_api::Registration::email(
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
        .auth2()
        .exchange_code(&AuthCode::new(CODE))
        .await
        .unwrap();
    shown.push(format!("{tokens:?}"));
    let error = mm.auth2().user_info(&tokens.access).await.unwrap_err();
    shown.extend([format!("{error:?}"), error.to_string()]);
    let refreshed = mm.auth2().refresh(&tokens).await.unwrap();
    shown.push(format!("{refreshed:?}"));
    let session = mm
        .client()
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
        .client()
        .exchange_one_time_token(&session.token)
        .await
        .unwrap();
    shown.push(format!("{real:?}"));
    let redirect = url::Url::parse("https://www.hg.com/login").unwrap();
    let parse_error = mm
        .auth2()
        .parse_redirect(
            &redirect,
            &format!("https://evil.example/login?code={CODE}&app=headline"),
        )
        .unwrap_err();
    shown.extend([format!("{parse_error:?}"), parse_error.to_string()]);
    shown.push(format!("{:?}", AccessToken::new(ACCESS)));
    shown.push(format!("{:?}", LoginToken::new(LOGIN_TOKEN)));

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("mm_sdk.call"),
        "the flows were logged at all:\n{logs}"
    );
    let secrets = [
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
    ];
    for secret in secrets {
        assert!(!logs.contains(secret), "a secret is in the logs:\n{logs}");
        for text in &shown {
            assert!(!text.contains(secret), "a secret is in {text}");
        }
    }
}

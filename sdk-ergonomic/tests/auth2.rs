//! The Auth2 flow against a local mock server: exact requests, typed results, typed errors.

use crate::common::*;
use mm_sdk::{AuthCode, ErrorKind};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn mock(server: &MockServer, route: &str, response: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(path(route))
        .respond_with(response)
        .mount(server)
        .await;
}

fn ok_json(body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

#[tokio::test]
async fn exchange_code_sends_the_documented_request_and_returns_tokens() {
    bounded(async {
        let server = MockServer::start().await;
        mock(
            &server,
            "/cats-gateway-auth2/auth2/token",
            ok_json(example("auth2/access_token.response.json")),
        )
        .await;

        let mm = client_for(&server);
        let tokens = mm
            .auth2_login()
            .exchange_code(&AuthCode::new("e06a0a7f-9332-4e5a-a539-e2dc976fd08e"))
            .await
            .unwrap();
        assert_eq!(
            tokens.access.expose_secret(),
            "650c1011-db8f-49bb-91e2-75ef207d2e4e"
        );
        assert_eq!(
            tokens.refresh.expose_secret(),
            "9a1c03e9-cfe0-4796-8a73-20d53f6b399e"
        );

        let request = only_request(&server).await;
        assert_eq!(
            json_body(&request),
            example("auth2/access_token.request.json")
        );
        assert_eq!(header(&request, "company"), COMPANY);
        assert_eq!(header(&request, "content-type"), "application/json");
        let trace = header(&request, "trace");
        assert_eq!(uuid::Uuid::parse_str(trace).unwrap().get_version_num(), 4);
        assert!(request.headers.get("api-version").is_none());
    })
    .await;
}

#[tokio::test]
async fn user_info_is_typed() {
    bounded(async {
        let server = MockServer::start().await;
        mock(
            &server,
            "/cats-gateway-auth2/auth2/user",
            ok_json(example("auth2/user_info.response.json")),
        )
        .await;

        let mm = client_for(&server);
        let user = mm
            .auth2_login()
            .user_info(&mm_sdk::AccessToken::new(
                "6f60d5e7-9b31-429c-84f1-a0a927d40961",
            ))
            .await
            .unwrap();
        assert_eq!(user.customer_no, "86021063");
        assert_eq!(user.account_id, 0);
        assert_eq!(user.email, None);
        assert_eq!(
            user.third_login_source.as_deref(),
            Some("telegram,google,facebook,telegram,3")
        );
        assert_eq!(
            json_body(&only_request(&server).await),
            example("auth2/user_info.request.json")
        );
    })
    .await;
}

#[tokio::test]
async fn refresh_sends_the_refresh_token_and_rotates() {
    bounded(async {
        let server = MockServer::start().await;
        mock(
            &server,
            "/cats-gateway-auth2/auth2/refresh",
            ok_json(example("auth2/refresh_token.response.json")),
        )
        .await;
        let mm = client_for(&server);
        let old = mm_sdk::extras::auth2_login::Tokens {
            access: mm_sdk::AccessToken::new("old-access"),
            refresh: mm_sdk::RefreshToken::new("b497129d-c0ec-452d-94aa-be5c278fe8f6"),
        };
        let new = mm.auth2_login().refresh(&old).await.unwrap();
        assert_ne!(new.refresh, old.refresh);
        let request = only_request(&server).await;
        assert_eq!(
            json_body(&request),
            example("auth2/refresh_token.request.json")
        );
        assert_eq!(header(&request, "token"), "old-access");
    })
    .await;
}

#[tokio::test]
async fn a_failure_envelope_is_an_api_error_with_the_trace() {
    bounded(async {
        let server = MockServer::start().await;
        mock(
            &server,
            "/cats-gateway-auth2/auth2/user",
            ok_json(failure("GGATEWAY_CODE_005", "Login info is expired")),
        )
        .await;
        let mm = client_for(&server);
        let error = mm
            .auth2_login()
            .user_info(&mm_sdk::AccessToken::new("t"))
            .await
            .unwrap_err();

        let ErrorKind::Api(api) = error.kind() else {
            panic!("{error:?}")
        };
        assert_eq!(api.code, "GGATEWAY_CODE_005");
        assert_eq!(error.code(), Some(mm_sdk::ErrorCode::GGATEWAY_CODE_005));
        assert_eq!(api.msg, "Login info is expired");
        assert_eq!(api.server_trace, "x-server-trace");
        assert!(error.is_auth());
        assert!(!error.is_retryable());
        assert_eq!(error.operation(), Some("user_info"));
        let sent = header(&only_request(&server).await, "trace").to_owned();
        assert_eq!(error.trace().unwrap().as_str(), sent);
        assert_eq!(
            error.to_string(),
            format!(
                "user_info: API error GGATEWAY_CODE_005: Login info is expired \
                 [The session has lapsed; sign in again for a fresh token.] (trace {sent})"
            )
        );
    })
    .await;
}

#[tokio::test]
async fn decode_errors_name_the_json_path() {
    bounded(async {
        let server = MockServer::start().await;
        let mut body = example("auth2/user_info.response.json");
        body["data"]["accountId"] = json!("not a number");
        mock(&server, "/cats-gateway-auth2/auth2/user", ok_json(body)).await;
        let error = client_for(&server)
            .auth2_login()
            .user_info(&mm_sdk::AccessToken::new("t"))
            .await
            .unwrap_err();
        let ErrorKind::Decode { path, .. } = error.kind() else {
            panic!("{error:?}")
        };
        assert_eq!(path, "data.accountId");
    })
    .await;
}

#[tokio::test]
async fn success_without_data_is_an_error() {
    bounded(async {
        let server = MockServer::start().await;
        let mut body = example("auth2/user_info.response.json");
        body.as_object_mut().unwrap().remove("data");
        mock(&server, "/cats-gateway-auth2/auth2/user", ok_json(body)).await;
        let error = client_for(&server)
            .auth2_login()
            .user_info(&mm_sdk::AccessToken::new("t"))
            .await
            .unwrap_err();
        assert_eq!(error.kind(), &ErrorKind::MissingData);
        assert!(error.trace().is_some());
    })
    .await;
}

#[tokio::test]
async fn an_html_gateway_page_is_a_status_error_and_reads_are_retried() {
    bounded(async {
        let server = MockServer::start().await;
        let page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
        mock(
            &server,
            "/cats-gateway-auth2/auth2/user",
            ResponseTemplate::new(502).set_body_string(page),
        )
        .await;
        let error = client_for(&server)
            .auth2_login()
            .user_info(&mm_sdk::AccessToken::new("t"))
            .await
            .unwrap_err();
        assert_eq!(
            error.kind(),
            &ErrorKind::Status {
                status: 502,
                body: page.into()
            }
        );
        assert!(error.is_retryable());
        assert_eq!(
            server.received_requests().await.unwrap().len(),
            3,
            "a read is retried up to max_attempts"
        );
    })
    .await;
}

#[tokio::test]
async fn a_code_exchange_is_never_retried_after_it_may_have_reached_the_server() {
    bounded(async {
        let server = MockServer::start().await;
        mock(
            &server,
            "/cats-gateway-auth2/auth2/token",
            ResponseTemplate::new(503),
        )
        .await;
        let error = client_for(&server)
            .auth2_login()
            .exchange_code(&AuthCode::new("c"))
            .await
            .unwrap_err();
        assert!(matches!(
            error.kind(),
            ErrorKind::Status { status: 503, .. }
        ));
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn html_with_status_200_is_not_json() {
    bounded(async {
        let server = MockServer::start().await;
        mock(
            &server,
            "/cats-gateway-auth2/auth2/user",
            ResponseTemplate::new(200).set_body_string("<html>maintenance</html>"),
        )
        .await;
        let error = client_for(&server)
            .auth2_login()
            .user_info(&mm_sdk::AccessToken::new("t"))
            .await
            .unwrap_err();
        assert_eq!(
            error.kind(),
            &ErrorKind::NotJson {
                status: 200,
                body: "<html>maintenance</html>".into()
            }
        );
    })
    .await;
}

#[test]
fn the_authorization_url_uses_the_configured_app_and_locale() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let server = rt.block_on(MockServer::start());
    let mm = client_for(&server);
    let url = mm
        .auth2_login()
        .authorization_url("HG", &url::Url::parse("https://www.hg.com/login").unwrap())
        .unwrap();
    assert_eq!(
        url.as_str(),
        "https://www.headline.net/en-US/auth2/code?appId=088b591f5fd735be62608a272f4d971f&thirdAppType=HG&url=https%3A%2F%2Fwww.hg.com%2Flogin"
    );
}

#[tokio::test]
async fn a_failure_whose_data_is_not_the_success_type_is_still_an_api_error() {
    bounded(async {
        // Upstream puts the failed bizType (a string) in `data` on some failures.
        let server = MockServer::start().await;
        let mut body = failure("G500", "System error");
        body["data"] = json!("auth2.user");
        mock(&server, "/cats-gateway-auth2/auth2/user", ok_json(body)).await;
        let error = client_for(&server)
            .auth2_login()
            .user_info(&mm_sdk::AccessToken::new("t"))
            .await
            .unwrap_err();
        let ErrorKind::Api(api) = error.kind() else {
            panic!("{error:?}")
        };
        assert_eq!(api.code, "G500");
        assert!(error.trace().is_some());
    })
    .await;
}

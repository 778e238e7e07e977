//! The web iframe flow against a local mock server: register, log in, build the iframe URL,
//! exchange the one-time token; and the Manager list pagination.

use crate::common::*;
use futures::TryStreamExt;
use mm_sdk::Password;
use mm_sdk::extras::Device;
use mm_sdk::extras::back_office::Registration;
use mm_sdk::extras::web_iframe::LoginName;
use mm_sdk::ids::CustomerNo;
use serde_json::json;
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const REGISTER: &str =
    "/openapi-b/customer.admin.WhiteCustomerAdminApiService.addCusAndOpenAccountAndKyc";
const LOGIN: &str = "/api/login/customer.app.CustomerWebApiService.login";
const EXCHANGE: &str = "/api/global/thirdExt/randomKey";

#[tokio::test]
async fn register_login_iframe_exchange() {
    bounded(async {
        let server = MockServer::start().await;
        mount(
            &server,
            REGISTER,
            example("manager/register_customer.response.json"),
        )
        .await;
        mount(&server, LOGIN, example("client/login.response.json")).await;
        mount(
            &server,
            EXCHANGE,
            example("client/replacement_token.response.json"),
        )
        .await;
        let mm = client_for(&server);
        // The docs' password digest, given as a digest.
        let password = Password::from_md5_hex("dc483e80a7a0bd9ef71d8cf973673924").unwrap();

        let customer_no = mm
            .back_office()
            .register_customer(
                Registration::email("test439@chixi88.com", "+86", password.clone(), "CN", 1)
                    .account("USDT", "1"),
            )
            .await
            .unwrap();
        assert_eq!(customer_no, "86021976");

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
        assert_eq!(session.customer.customer_no, "86001175");
        assert!(
            session.customer.r_token.is_none(),
            "the refresh token is not handed out in the profile"
        );

        assert_eq!(
            mm.web_iframe().url(&session).as_str(),
            "https://www.headline.net/en-US/home?tsource=a541f9d5-2507-42b3-b790-59e1f755c380app"
        );

        let real = mm
            .web_iframe()
            .exchange_one_time_token(&session.token)
            .await
            .unwrap();
        assert_eq!(real.expose_secret(), "qfx13-8z5850-mf4l657-gkqbn-167756399");

        let requests = server.received_requests().await.unwrap();
        assert_eq!(requests.len(), 3);
        let [register, login, exchange] = &requests[..] else {
            unreachable!()
        };

        // Registration: the docs' email example, byte-equal as JSON, with the docs' headers.
        assert_eq!(
            json_body(register),
            example("manager/register_customer.email.request.json")
        );
        assert_eq!(header(register, "companyid"), COMPANY);
        assert_eq!(header(register, "token"), MANAGER_TOKEN);
        assert_eq!(header(register, "version"), "0.0.1");
        assert!(uuid::Uuid::parse_str(header(register, "trace")).is_ok());

        // Login: the docs' example body.
        assert_eq!(json_body(login), example("client/login.request.json"));
        assert_eq!(header(login, "companyId"), COMPANY);
        assert_eq!(header(login, "lang"), "en-US");

        // Exchange: `{}` with the one-time token.
        assert_eq!(json_body(exchange), json!({}));
        assert_eq!(
            header(exchange, "token"),
            "a541f9d5-2507-42b3-b790-59e1f755c380app"
        );
        // Every request had its own trace id.
        let traces: std::collections::HashSet<_> = requests
            .iter()
            .map(|r| header(r, "trace").to_owned())
            .collect();
        assert_eq!(traces.len(), 3);
    })
    .await;
}

#[tokio::test]
async fn a_duplicate_registration_is_an_api_error_and_not_retried() {
    bounded(async {
        let server = MockServer::start().await;
        mount(
            &server,
            REGISTER,
            failure("USCUSTOMER_API_0000141", "email bound to another account"),
        )
        .await;
        let error = client_for(&server)
            .back_office()
            .register_customer(
                Registration::phone("13429837442", "+86", Password::from_plain("pw"), "CN", 1)
                    .account("USDT", "1"),
            )
            .await
            .unwrap_err();
        let mm_sdk::ErrorKind::Api(api) = error.kind() else {
            panic!("{error:?}")
        };
        assert_eq!(api.code, "USCUSTOMER_API_0000141");
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn customers_streams_every_page() {
    bounded(async {
        let server = MockServer::start().await;
        let summary = |no: &str| {
            let mut c =
                example("manager/customer_list.response.json")["data"]["records"][0].clone();
            c["customerNo"] = json!(no);
            c
        };
        for (current, records) in [
            (1, vec![summary("1"), summary("2")]),
            (2, vec![summary("3")]),
        ] {
            // The docs' example is a schema placeholder (`ok: false`); make it a success.
            let mut page = example("manager/customer_list.response.json");
            page["ok"] = json!(true);
            page["fail"] = json!(false);
            page["data"]["records"] = json!(records);
            page["data"]["current"] = json!(current);
            page["data"]["size"] = json!(2);
            page["data"]["total"] = json!(3);
            Mock::given(method("POST"))
                .and(path(
                    "/openapi-b/customer.admin.WhiteCustomerAdminApiService.page",
                ))
                .and(body_partial_json(json!({"current": current, "size": 2})))
                .respond_with(ResponseTemplate::new(200).set_body_json(page))
                .expect(1)
                .mount(&server)
                .await;
        }
        let mm = client_for(&server);
        let every = mm_sdk::manager::customer::CustomerListRequest::new().size(2);
        let numbers: Vec<CustomerNo> = mm
            .manager()
            .customer()
            .customer_list_pages(&every)
            .items()
            .map_ok(|c| c.customer_no)
            .try_collect()
            .await
            .unwrap();
        assert_eq!(numbers, ["1", "2", "3"]);
    })
    .await;
}

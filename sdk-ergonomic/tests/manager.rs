//! Manager basic-data calls decode the docs' examples and send the documented requests.
// The deprecated shorthands of earlier versions are gone: their tests call the generated
// operations that replaced them, with the same assertions.

use crate::common::*;
use mm_sdk::enums::TradeType;
use mm_sdk::extras::back_office::{BalanceAdjustment, ProfilePart};
use mm_sdk::manager::basic_data::DictionaryRequest;
use mm_sdk::manager::customer::CustomerGroupRequest;
use mm_sdk::manager::funds::GetBalanceRequest;
use mm_sdk::{Credential, ErrorKind};
use wiremock::MockServer;

#[tokio::test]
async fn dictionaries_and_products() {
    bounded(async {
        let server = MockServer::start().await;
        mount(
            &server,
            "/openapi-b/config.admin.AdminDictDubboService.getListByParentCode",
            example("manager/universal_dictionaries.response.json"),
        )
        .await;
        mount(
            &server,
            "/openapi-b/config.admin.AdminSymbolDubboService.getSymbolByCompanyId",
            example("manager/product_list.response.json"),
        )
        .await;
        let mm = client_for(&server);

        let entries = mm
            .manager()
            .basic_data()
            .universal_dictionaries(&DictionaryRequest::new("USDT"))
            .await
            .unwrap();
        let documented = example("manager/universal_dictionaries.response.json")["data"]
            .as_array()
            .unwrap()
            .len();
        assert_eq!(entries.len(), documented);

        let products = mm
            .back_office()
            .products(Some(TradeType::CfdCrossMargin))
            .await
            .unwrap();
        assert_eq!(products.len(), 635);

        let requests = server.received_requests().await.unwrap();
        assert_eq!(
            json_body(&requests[0]),
            serde_json::json!({"parentCode": "USDT"})
        );
        assert_eq!(
            json_body(&requests[1]),
            serde_json::json!({"companyId": COMPANY, "tradeType": 1})
        );
        for request in &requests {
            assert_eq!(header(request, "token"), MANAGER_TOKEN);
            assert_eq!(header(request, "companyid"), COMPANY);
        }
    })
    .await;
}

#[tokio::test]
async fn without_a_manager_token_nothing_is_sent() {
    bounded(async {
        let server = MockServer::start().await;
        let mm = mm_sdk::MultiMarkets::builder(mm_sdk::Environment::custom(
            mm_sdk::Endpoints::same_host(url::Url::parse(&server.uri()).unwrap())
                .trading_ui(url::Url::parse("https://www.headline.net").unwrap()),
        ))
        .company_id(COMPANY)
        .build()
        .unwrap();
        let error = mm
            .manager()
            .funds()
            .get_balance(&GetBalanceRequest::new("86021976", 1))
            .await
            .unwrap_err();
        assert_eq!(
            error.kind(),
            &ErrorKind::MissingCredential(Credential::ManagerToken)
        );
        assert!(
            error.to_string().starts_with(
                "get_balance: the Manager API token is not configured (`Builder::manager_token`)"
            ),
            "{error}"
        );
        assert!(server.received_requests().await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn customer_info_asks_for_one_part_of_one_customer() {
    bounded(async {
        let server = MockServer::start().await;
        // The docs' example is a generated placeholder (zeros and empty strings) that says both
        // `ok: true` and `fail: true`; its `data`, with this customer's numbers, is served here in
        // a success envelope.
        let mut data = example("manager/customer_info.response.json")["data"].clone();
        data["customerNo"] = "86001175".into();
        data["id"] = 1176.into();
        mount(
            &server,
            "/openapi-b/customer.admin.WhiteCustomerAdminApiService.detail",
            success(data),
        )
        .await;
        let detail = client_for(&server)
            .back_office()
            .customer_info(1176, "86001175", ProfilePart::TradeAccount)
            .await
            .unwrap();

        assert_eq!((detail.customer_no.as_str(), detail.id), ("86001175", 1176));
        assert_eq!(detail.email.as_deref(), Some(""));
        assert_eq!(detail.account_list, serde_json::json!({}));
        assert_eq!(detail.api_check_switch, Some(true));

        let request = only_request(&server).await;
        assert_eq!(
            json_body(&request),
            serde_json::json!({"type": "tradeAccount", "id": "1176", "customerNo": "86001175"})
        );
        assert_eq!(header(&request, "token"), MANAGER_TOKEN);
        assert_eq!(header(&request, "companyid"), COMPANY);
        assert_eq!(header(&request, "version"), "0.0.1");
    })
    .await;
}

#[tokio::test]
async fn customer_groups_filter_and_decode() {
    bounded(async {
        let server = MockServer::start().await;
        // The docs publish no response for this page; the groups follow its schema.
        let response = success(serde_json::json!([
            {"id": 1, "name": "Default", "openAccountType": 1, "type": 0, "tradeType": 5,
             "assets": "USDT"},
            {"tradeType": 1, "assets": "USDT,BTC"}
        ]));
        mount(
            &server,
            "/openapi-b/customer.admin.CustomerGroupAdminApiService.groupList",
            response,
        )
        .await;
        let mm = client_for(&server);
        let groups = mm
            .manager()
            .customer()
            .customer_group(
                &CustomerGroupRequest::new()
                    .trade_type(5)
                    .customer_no("86000020"),
            )
            .await
            .unwrap();

        assert_eq!(groups.len(), 2);
        assert_eq!(
            (groups[0].id, groups[0].trade_type),
            (Some(1), TradeType::Spot)
        );
        assert_eq!(groups[0].name.as_deref(), Some("Default"));
        assert_eq!(
            (groups[1].id, groups[1].assets.as_str()),
            (None, "USDT,BTC")
        );

        let request = only_request(&server).await;
        // The docs' example body.
        assert_eq!(
            json_body(&request),
            example("manager/customer_group.request.json")
        );
        assert_eq!(header(&request, "version"), "0.0.1");

        server.reset().await;
        mount(
            &server,
            "/openapi-b/customer.admin.CustomerGroupAdminApiService.groupList",
            success(serde_json::json!([])),
        )
        .await;
        assert!(
            mm.manager()
                .customer()
                .customer_group(&CustomerGroupRequest::new())
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            json_body(&only_request(&server).await),
            serde_json::json!({})
        );
    })
    .await;
}

#[tokio::test]
async fn an_expired_manager_token_is_an_auth_error() {
    bounded(async {
        let server = MockServer::start().await;
        mount(
            &server,
            "/openapi-b/customer.admin.CustomerGroupAdminApiService.groupList",
            failure(
                "GGATEWAY_CODE_005",
                "Login info is expired, please login again",
            ),
        )
        .await;
        let error = client_for(&server)
            .manager()
            .customer()
            .customer_group(&CustomerGroupRequest::new())
            .await
            .unwrap_err();

        assert!(error.is_auth());
        assert!(!error.is_retryable());
        assert_eq!(error.operation(), Some("customer_group"));
        let mm_sdk::ErrorKind::Api(api) = error.kind() else {
            panic!("{error:?}");
        };
        assert_eq!(api.code, "GGATEWAY_CODE_005");
        assert_eq!(api.msg, "Login info is expired, please login again");
        // Refused credentials are not retried, even for a read.
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
    })
    .await;
}

const BALANCE_UPDATE: &str =
    "/openapi-b/fund.admin.CustomerAdjustProposalAdminDubboService.addCustomerAdjustProposal";

#[tokio::test]
async fn a_balance_adjustment_sends_the_docs_body_and_is_confirmed() {
    bounded(async {
        let server = MockServer::start().await;
        mount(
            &server,
            BALANCE_UPDATE,
            example("manager/balance_update.response.json"),
        )
        .await;
        let bonus = BalanceAdjustment::new("86000020", "USDT", 5.into())
            .account_id(1000450)
            .remark("test");
        client_for(&server)
            .back_office()
            .adjust_balance(&bonus)
            .await
            .unwrap();

        let request = only_request(&server).await;
        // The docs write the amount `5`: a JSON number, digit for digit.
        assert_eq!(
            json_body(&request),
            example("manager/balance_update.request.json")
        );
        assert!(
            std::str::from_utf8(&request.body)
                .unwrap()
                .contains("\"amount\":5,")
        );
        assert_eq!(header(&request, "token"), MANAGER_TOKEN);
        assert_eq!(header(&request, "version"), "0.0.1");
        uuid::Uuid::parse_str(header(&request, "trace")).unwrap();
    })
    .await;
}

#[tokio::test]
async fn an_unconfirmed_adjustment_is_an_error_and_a_bad_amount_is_never_sent() {
    bounded(async {
        let server = MockServer::start().await;
        mount(&server, BALANCE_UPDATE, success(serde_json::json!(false))).await;
        let mm = client_for(&server);
        let debit = BalanceAdjustment::new("86000020", "USDT", mm_sdk::Decimal::new(-15, 1));
        let error = mm.back_office().adjust_balance(&debit).await.unwrap_err();
        assert_eq!(
            error.kind(),
            &mm_sdk::ErrorKind::Decode {
                path: "data".into(),
                message: "expected `true`, the adjustment's confirmation, got `false`".into(),
            }
        );
        assert_eq!(server.received_requests().await.unwrap().len(), 1);

        let nothing = BalanceAdjustment::new("86000020", "USDT", 0.into());
        let error = mm.back_office().adjust_balance(&nothing).await.unwrap_err();
        assert!(
            matches!(error.kind(), mm_sdk::ErrorKind::InvalidInput(why) if why.contains("non-zero")),
            "{error}"
        );
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
    })
    .await;
}

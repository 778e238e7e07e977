//! Raw calls: what goes on the wire for each credential, the idempotency key only where the
//! gateway documents it, the retries that follow, and the calls refused before sending.

use std::time::Duration;

use mm_sdk_core::{
    Api, Builder, Call, Endpoints, Environment, ErrorKind, Header, LoginToken, ManagerToken,
    OpenApiKey, RawCall, RetryPolicy, Runtime, Source,
};
use mm_sdk_test_support::bounded;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A PKCS#8 RSA test key (never used anywhere real).
const TEST_KEY: &str = include_str!("../../sdk-ergonomic/tests/fixtures/open_api_key.pkcs8.b64");

/// The Client API's filled headers, as the generated `raw_headers` gives them.
const CLIENT: &[Header] = &[
    Header::new("apikey", Source::ApiKey, false),
    Header::new("companyid", Source::CompanyId, false),
    Header::new("idempotency-key", Source::IdempotencyKey, false),
    Header::new("lang", Source::Lang, false),
    Header::new("recvwindow", Source::RecvWindow, false),
    Header::new("signature", Source::Signature, false),
    Header::new("timestamp", Source::Timestamp, false),
    Header::new("token", Source::Credential, false),
    Header::new("trace", Source::Trace, false),
    Header::new("version", Source::Version, false),
];

fn runtime(server: &MockServer, attempts: u32) -> Runtime {
    let base = url::Url::parse(&server.uri()).unwrap();
    Builder::<Runtime>::new(Environment::custom(Endpoints::same_host(base)))
        .company_id("421")
        .manager_token(ManagerToken::new("manager-token"))
        .open_api_key(OpenApiKey::new("api-key", TEST_KEY).unwrap())
        .retry(
            RetryPolicy::default()
                .max_attempts(attempts)
                .base_delay(Duration::from_millis(1)),
        )
        .build()
        .unwrap()
}

fn success(data: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"code": "0", "ok": true, "data": data}))
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn a_gateway_write_carries_its_headers_body_and_an_idempotency_key_kept_across_retries() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/api/global/x.app.Thing.add"))
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/api/global/x.app.Thing.add"))
            .respond_with(success(json!({"id": 7})))
            .mount(&server)
            .await;
        let call = RawCall::post(Api::Client, "/api/global/x.app.Thing.add")
            .login_token(&LoginToken::new("login-token"))
            .json(json!({"name": "a"}));
        let data = Call::raw(&runtime(&server, 2), &call, CLIENT)
            .header("group", "tradeApi")
            .await
            .unwrap();
        assert_eq!(data, json!({"id": 7}));
        let received = server.received_requests().await.unwrap();
        assert_eq!(received.len(), 2, "retried once after the 503");
        for request in &received {
            assert_eq!(request.body_json::<Value>().unwrap(), json!({"name": "a"}));
            assert_eq!(header(request, "token"), Some("login-token"));
            assert_eq!(header(request, "companyid"), Some("421"));
            assert_eq!(header(request, "lang"), Some("en-US"));
            assert_eq!(header(request, "version"), Some("0.0.1"));
            assert_eq!(header(request, "group"), Some("tradeApi"));
            assert!(header(request, "signature").is_none());
        }
        let key = |i: usize| header(&received[i], "idempotency-key").map(str::to_owned);
        assert!(key(0).is_some());
        assert_eq!(key(0), key(1), "one key for every attempt of the call");
        assert_ne!(header(&received[0], "trace"), key(0).as_deref());
    })
    .await;
}

#[tokio::test]
async fn a_signed_write_carries_no_idempotency_key_and_is_not_sent_again() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(503))
            .mount(&server)
            .await;
        let call = RawCall::post(Api::Client, "/openapi-c/global/x.app.Orders.add")
            .signed()
            .json(json!({"symbolId": 1}));
        let error = Call::raw(&runtime(&server, 3), &call, CLIENT)
            .await
            .unwrap_err();
        assert!(
            matches!(error.kind(), ErrorKind::Status { status: 503, .. }),
            "{error}"
        );
        let received = server.received_requests().await.unwrap();
        assert_eq!(
            received.len(),
            1,
            "a write without a key may have been applied"
        );
        let request = &received[0];
        assert!(header(request, "idempotency-key").is_none());
        assert!(header(request, "token").is_none());
        assert_eq!(header(request, "apikey"), Some("api-key"));
        let timestamp: u64 = header(request, "timestamp").unwrap().parse().unwrap();
        let key = OpenApiKey::new("api-key", TEST_KEY).unwrap();
        let signature = key.sign(&request.body, timestamp).unwrap();
        assert_eq!(header(request, "signature"), Some(signature.as_str()));
    })
    .await;
}

#[tokio::test]
async fn a_read_with_query_parameters_and_no_data_answers_null() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/api/things"))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(json!({"code": "0", "ok": true})),
            )
            .mount(&server)
            .await;
        let call = RawCall::get(Api::Client, "/api/things").query("page", "2");
        let data = Call::raw(&runtime(&server, 1), &call, CLIENT)
            .await
            .unwrap();
        assert_eq!(data, Value::Null);
        let received = server.received_requests().await.unwrap();
        assert_eq!(received[0].url.query(), Some("page=2"));
        assert!(received[0].body.is_empty());
        assert!(
            header(&received[0], "idempotency-key").is_none(),
            "a read needs none"
        );
    })
    .await;
}

#[tokio::test]
async fn calls_that_cannot_be_sent_are_refused_before_sending() {
    bounded(async {
        let server = MockServer::start().await;
        let runtime = runtime(&server, 1);
        let refused = [
            // The Manager token must never go to another API's host.
            RawCall::post(Api::Client, "/api/x").as_manager(),
            RawCall::post(Api::Manager, "/openapi-b/x").signed(),
            RawCall::post(Api::Client, "/api/x?page=1"),
            RawCall::post(Api::Client, "api/x"),
            RawCall::get(Api::Client, "/api/x").json(json!({})),
        ];
        for call in refused {
            let error = Call::raw(&runtime, &call, CLIENT).await.unwrap_err();
            assert!(
                matches!(error.kind(), ErrorKind::InvalidInput(_)),
                "{call:?}: {error}"
            );
        }
        // A header the call adds that cannot be sent is refused, without repeating its value.
        let call = RawCall::post(Api::Client, "/api/x");
        for (name, value) in [("bad name", "v"), ("captcha", "secret-part\nb")] {
            let error = Call::raw(&runtime, &call, CLIENT)
                .header(name, value)
                .await
                .unwrap_err();
            assert!(!error.to_string().contains("secret-part"), "{error}");
            assert!(
                matches!(error.kind(), ErrorKind::InvalidInput(_)),
                "{call:?}: {error}"
            );
            assert!(!format!("{error} {call:?}").contains("manager-token"));
        }
        assert!(server.received_requests().await.unwrap().is_empty());
    })
    .await;
}

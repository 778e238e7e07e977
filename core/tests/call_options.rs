//! A call's own options, its metadata, and the configuration it reads, each seen on the wire:
//! what a recording server received, and what the call returned.

use std::future::IntoFuture;
use std::num::NonZeroU32;
use std::time::Duration;

use http::Method;
use mm_sdk_core::{
    Api, Builder, Call, Credential, Effect, Endpoints, Environment, ErrorKind, Header, Limiter,
    Locale, ManagerToken, OpenApiKey, Operation, RetryPolicy, Runtime, Source, Types,
};
use mm_sdk_test_support::{bounded, bounded_for};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

type Json = Types<Value, Value>;

/// A write of the Client gateway: it carries an idempotency key, and is retried with it.
static ORDER: Operation<'static> = Operation {
    api: Api::Client,
    id: "add_order",
    group: "trade",
    method: Method::POST,
    path: "/api/global/order.add",
    headers: &[
        Header::new("trace", Source::Trace, true),
        Header::new("companyid", Source::CompanyId, true),
        Header::new("lang", Source::Lang, false),
        Header::new("token", Source::Credential, true),
        Header::new("idempotency-key", Source::IdempotencyKey, true),
    ],
    query: &[],
    encoding: mm_sdk_core::Encoding::Json,
    envelope: mm_sdk_core::EnvelopeKind::Platform,
    credential: Credential::ClientLogin,
    effect: Effect::Write,
    returns_nothing: false,
    paging: None,
    rules: &[],
    codec: &Json::NEW,
    open_api: None,
};

/// A read of the Manager API, authenticated by the Manager token.
static CUSTOMERS: Operation<'static> = Operation {
    api: Api::Manager,
    id: "customer_list",
    group: "customer",
    method: Method::POST,
    path: "/openapi-b/customer.list",
    headers: &[
        Header::new("trace", Source::Trace, true),
        Header::new("company", Source::CompanyId, true),
        Header::new("lang", Source::Lang, false),
        Header::new("token", Source::Credential, true),
    ],
    query: &[],
    encoding: mm_sdk_core::Encoding::Json,
    envelope: mm_sdk_core::EnvelopeKind::Platform,
    credential: Credential::ManagerToken,
    effect: Effect::Read,
    returns_nothing: false,
    paging: None,
    rules: &[],
    codec: &Json::NEW,
    open_api: None,
};

/// A signed Open API operation.
static SIGNED: Operation<'static> = Operation {
    api: Api::Client,
    id: "open_order",
    group: "open_api",
    method: Method::POST,
    path: "/openapi-c/global/order.add",
    headers: &[
        Header::new("apikey", Source::ApiKey, true),
        Header::new("timestamp", Source::Timestamp, true),
        Header::new("signature", Source::Signature, true),
    ],
    query: &[],
    encoding: mm_sdk_core::Encoding::Json,
    envelope: mm_sdk_core::EnvelopeKind::Platform,
    credential: Credential::OpenApiSignature,
    effect: Effect::Write,
    returns_nothing: false,
    paging: None,
    rules: &[],
    codec: &Json::NEW,
    open_api: None,
};

/// A PKCS#8 RSA test key (never used anywhere real).
const TEST_KEY: &str = include_str!("../../sdk-ergonomic/tests/fixtures/open_api_key.pkcs8.b64");

fn builder(server: &MockServer) -> Builder<Runtime> {
    let base = url::Url::parse(&server.uri()).unwrap();
    Builder::new(Environment::custom(Endpoints::same_host(base)))
        .company_id("421")
        .manager_token(ManagerToken::new("manager-token"))
        .retry(RetryPolicy::NEVER)
}

fn success(data: Value) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"code": "0", "ok": true, "trace": "server-7", "data": data}))
}

fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

fn order(runtime: &Runtime) -> Call<'_, Value> {
    Call::new(
        runtime,
        &ORDER,
        Some("login-token"),
        Vec::new(),
        &json!({"qty": "1"}),
    )
}

fn signed(runtime: &Runtime) -> Call<'_, Value> {
    Call::new(runtime, &SIGNED, None, Vec::new(), &json!({"qty": "1"}))
}

fn customers(runtime: &Runtime) -> Call<'_, Value> {
    Call::new(runtime, &CUSTOMERS, None, Vec::new(), &json!({}))
}

async fn mount(server: &MockServer, route: &str, response: ResponseTemplate, times: u64) {
    Mock::given(method("POST"))
        .and(path(route))
        .respond_with(response)
        .up_to_n_times(times)
        .mount(server)
        .await;
}

#[tokio::test]
async fn the_callers_idempotency_key_is_sent_on_every_attempt_even_after_a_timeout() {
    bounded(async {
        let server = MockServer::start().await;
        // The first attempt gets no answer in time; the second one succeeds.
        mount(
            &server,
            ORDER.path,
            success(json!({})).set_delay(Duration::from_secs(5)),
            1,
        )
        .await;
        mount(&server, ORDER.path, success(json!({"orderId": 9})), 1).await;
        let runtime = builder(&server).build().unwrap();
        let data = order(&runtime)
            .idempotency_key("order-2026-12-05-0001")
            .attempt_timeout(Duration::from_millis(300))
            .retry(RetryPolicy::default().base_delay(Duration::from_millis(1)))
            .await
            .unwrap();
        assert_eq!(data, json!({"orderId": 9}));
        let received = server.received_requests().await.unwrap();
        assert_eq!(received.len(), 2, "a timed-out write with a key is retried");
        for request in &received {
            assert_eq!(
                header(request, "idempotency-key"),
                Some("order-2026-12-05-0001")
            );
        }
    })
    .await;
}

#[tokio::test]
async fn an_idempotency_key_on_an_operation_without_one_is_refused_before_sending() {
    bounded(async {
        let server = MockServer::start().await;
        let runtime = builder(&server).build().unwrap();
        let error = customers(&runtime).idempotency_key("k").await.unwrap_err();
        assert!(matches!(error.kind(), ErrorKind::InvalidInput(m) if m.contains("idempotency")));
        assert_eq!(error.operation(), Some("customer_list"));
        assert!(server.received_requests().await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn the_callers_trace_id_is_sent_on_every_attempt_and_named_by_the_error() {
    bounded(async {
        let server = MockServer::start().await;
        mount(&server, CUSTOMERS.path, ResponseTemplate::new(503), 10).await;
        let runtime = builder(&server).build().unwrap();
        let error = customers(&runtime)
            .trace_id("desk-42")
            .retry(
                RetryPolicy::default()
                    .max_attempts(2)
                    .base_delay(Duration::from_millis(1)),
            )
            .await
            .unwrap_err();
        assert_eq!(error.trace().map(|t| t.as_str()), Some("desk-42"));
        let received = server.received_requests().await.unwrap();
        assert_eq!(received.len(), 2);
        for request in &received {
            assert_eq!(header(request, "trace"), Some("desk-42"));
        }
        let refused = customers(&runtime).trace_id("a\nb").await.unwrap_err();
        assert!(matches!(refused.kind(), ErrorKind::InvalidInput(m) if m.contains("trace id")));
    })
    .await;
}

#[tokio::test]
async fn a_deadline_ends_a_call_whose_attempts_time_out_and_retry() {
    bounded(async {
        let server = MockServer::start().await;
        mount(
            &server,
            CUSTOMERS.path,
            success(json!({})).set_delay(Duration::from_secs(5)),
            100,
        )
        .await;
        let runtime = builder(&server).build().unwrap();
        let limit = Duration::from_millis(700);
        let error = customers(&runtime)
            .attempt_timeout(Duration::from_millis(150))
            .retry(
                RetryPolicy::default()
                    .max_attempts(50)
                    .base_delay(Duration::from_millis(1)),
            )
            .deadline(limit)
            .await
            .unwrap_err();
        assert_eq!(error.kind(), &ErrorKind::Deadline { limit });
        assert!(error.trace().is_some(), "the error still names its call");
        let attempts = server.received_requests().await.unwrap().len();
        assert!(
            (2..50).contains(&attempts),
            "each attempt timed out and was retried until the deadline: {attempts}"
        );
    })
    .await;
}

#[tokio::test]
async fn the_calls_retry_policy_replaces_the_configured_one() {
    bounded(async {
        let server = MockServer::start().await;
        mount(&server, CUSTOMERS.path, ResponseTemplate::new(503), 2).await;
        mount(&server, CUSTOMERS.path, success(json!([1])), 1).await;
        // Configured never to retry.
        let runtime = builder(&server).build().unwrap();
        let data = customers(&runtime)
            .retry(
                RetryPolicy::default()
                    .max_attempts(3)
                    .base_delay(Duration::from_millis(1)),
            )
            .await
            .unwrap();
        assert_eq!(data, json!([1]));
        assert_eq!(server.received_requests().await.unwrap().len(), 3);
    })
    .await;
}

#[tokio::test]
async fn an_extra_header_is_sent_and_one_the_operation_declares_is_refused() {
    bounded(async {
        let server = MockServer::start().await;
        mount(&server, CUSTOMERS.path, success(json!({})), 1).await;
        let runtime = builder(&server).build().unwrap();
        customers(&runtime)
            .header("x-campaign", "spring")
            .await
            .unwrap();
        let received = server.received_requests().await.unwrap();
        assert_eq!(header(&received[0], "x-campaign"), Some("spring"));
        for (name, value) in [("lang", "fr-FR"), ("bad name", "v"), ("x-ok", "a\r\nb")] {
            let error = customers(&runtime).header(name, value).await.unwrap_err();
            assert!(
                matches!(error.kind(), ErrorKind::InvalidInput(_)),
                "{name}: {error}"
            );
        }
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn the_credential_language_and_company_id_are_chosen_per_call() {
    bounded(async {
        let server = MockServer::start().await;
        mount(&server, CUSTOMERS.path, success(json!({})), 2).await;
        let runtime = builder(&server).build().unwrap();
        customers(&runtime).await.unwrap();
        let other = ManagerToken::new("other-operator");
        customers(&runtime)
            .manager_token(&other)
            .lang(Locale::zh_cn())
            .company_id("422")
            .await
            .unwrap();
        let received = server.received_requests().await.unwrap();
        let seen = |r: &Request| {
            (
                header(r, "token").map(str::to_owned),
                header(r, "lang").map(str::to_owned),
                header(r, "company").map(str::to_owned),
            )
        };
        assert_eq!(
            seen(&received[0]),
            (
                Some("manager-token".into()),
                Some("en-US".into()),
                Some("421".into())
            )
        );
        assert_eq!(
            seen(&received[1]),
            (
                Some("other-operator".into()),
                Some("zh-CN".into()),
                Some("422".into())
            )
        );
        // A Manager token is never sent to another API.
        let error = order(&runtime).manager_token(&other).await.unwrap_err();
        assert!(
            matches!(error.kind(), ErrorKind::InvalidInput(_)),
            "{error}"
        );
        assert!(!format!("{error:?}").contains("other-operator"));
    })
    .await;
}

#[tokio::test]
async fn a_successful_call_gives_its_metadata_when_asked() {
    bounded(async {
        let server = MockServer::start().await;
        let answer = success(json!({"total": 3}))
            .insert_header("x-ratelimit-limit", "300")
            .insert_header("x-ratelimit-remairing", "299")
            .insert_header("x-ratelimit-reset", "60");
        mount(&server, CUSTOMERS.path, answer, 1).await;
        let runtime = builder(&server).build().unwrap();
        let response = customers(&runtime).with_metadata().await.unwrap();
        assert_eq!(response.data, json!({"total": 3}));
        let metadata = &response.metadata;
        assert_eq!(metadata.status(), http::StatusCode::OK);
        assert_eq!(metadata.attempts(), 1);
        assert_eq!(metadata.envelope_trace(), Some("server-7"));
        let received = server.received_requests().await.unwrap();
        assert_eq!(
            header(&received[0], "trace"),
            Some(metadata.trace().as_str())
        );
        let limit = metadata.rate_limit().unwrap();
        assert_eq!(
            (limit.limit, limit.remaining, limit.window),
            (Some(300), Some(299), Some(Duration::from_secs(60)))
        );
        assert_eq!(metadata.headers().get("x-ratelimit-limit").unwrap(), "300");
    })
    .await;
}

#[tokio::test]
async fn every_request_names_the_sdk_and_the_application_in_its_user_agent() {
    bounded(async {
        let server = MockServer::start().await;
        mount(&server, CUSTOMERS.path, success(json!({})), 2).await;
        let runtime = builder(&server).build().unwrap();
        customers(&runtime).await.unwrap();
        let runtime = builder(&server).user_agent("desk/2.1").build().unwrap();
        customers(&runtime).await.unwrap();
        let received = server.received_requests().await.unwrap();
        let sdk = format!("mm-sdk/{}", env!("CARGO_PKG_VERSION"));
        assert_eq!(header(&received[0], "user-agent"), Some(sdk.as_str()));
        assert_eq!(
            header(&received[1], "user-agent"),
            Some(format!("desk/2.1 {sdk}").as_str())
        );
    })
    .await;
}

#[tokio::test]
async fn a_supplied_http_client_is_the_one_that_sends() {
    bounded(async {
        let server = MockServer::start().await;
        mount(&server, CUSTOMERS.path, success(json!({})), 1).await;
        let mut defaults = http::HeaderMap::new();
        defaults.insert("x-egress", http::HeaderValue::from_static("proxy-7"));
        let client = reqwest::Client::builder()
            .default_headers(defaults)
            .build()
            .unwrap();
        let runtime = builder(&server).http_client(client).build().unwrap();
        customers(&runtime).await.unwrap();
        let received = server.received_requests().await.unwrap();
        assert_eq!(header(&received[0], "x-egress"), Some("proxy-7"));
    })
    .await;
}

#[tokio::test]
async fn a_rotated_manager_token_is_used_by_new_calls_while_calls_in_flight_finish() {
    bounded(async {
        let server = MockServer::start().await;
        // The first call's answer comes late; it is in flight while the token is rotated.
        mount(
            &server,
            CUSTOMERS.path,
            success(json!("first")).set_delay(Duration::from_millis(600)),
            1,
        )
        .await;
        mount(&server, CUSTOMERS.path, success(json!("second")), 1).await;
        let runtime = std::sync::Arc::new(builder(&server).build().unwrap());
        let in_flight = tokio::spawn({
            let runtime = runtime.clone();
            async move { customers(&runtime).await }
        });
        while server.received_requests().await.unwrap().is_empty() {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        runtime
            .rotate_manager_token(&ManagerToken::new("rotated-token"))
            .unwrap();
        let second = customers(&runtime).await.unwrap();
        let first = in_flight.await.unwrap().unwrap();
        assert_eq!((first, second), (json!("first"), json!("second")));
        let received = server.received_requests().await.unwrap();
        assert_eq!(header(&received[0], "token"), Some("manager-token"));
        assert_eq!(header(&received[1], "token"), Some("rotated-token"));
        // A token that cannot be sent is refused, and the current one stays.
        let error = runtime
            .rotate_manager_token(&ManagerToken::new("bad\ntoken"))
            .unwrap_err();
        assert!(!error.to_string().contains("bad"), "{error}");
    })
    .await;
}

#[tokio::test]
async fn a_rotated_open_api_key_signs_new_calls_while_calls_in_flight_finish() {
    bounded(async {
        let server = MockServer::start().await;
        mount(
            &server,
            SIGNED.path,
            success(json!("first")).set_delay(Duration::from_millis(600)),
            1,
        )
        .await;
        mount(&server, SIGNED.path, success(json!("second")), 1).await;
        let key = |id: &str| mm_sdk_core::OpenApiKey::new(id, TEST_KEY).unwrap();
        let runtime = std::sync::Arc::new(
            builder(&server)
                .open_api_key(key("key-one"))
                .build()
                .unwrap(),
        );
        let in_flight = tokio::spawn({
            let runtime = runtime.clone();
            async move { signed(&runtime).await }
        });
        while server.received_requests().await.unwrap().is_empty() {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        runtime.rotate_open_api_key(&key("key-two")).unwrap();
        let second = signed(&runtime).await.unwrap();
        let first = in_flight.await.unwrap().unwrap();
        assert_eq!((first, second), (json!("first"), json!("second")));
        let received = server.received_requests().await.unwrap();
        assert_eq!(header(&received[0], "apikey"), Some("key-one"));
        assert_eq!(header(&received[1], "apikey"), Some("key-two"));
        assert!(header(&received[1], "signature").is_some());
    })
    .await;
}

#[tokio::test]
async fn an_open_api_keys_limiter_holds_back_a_call_past_its_rate() {
    bounded(async {
        let server = MockServer::start().await;
        mount(&server, SIGNED.path, success(json!("sent")), 10).await;
        let limiter = Limiter::new(NonZeroU32::new(2).unwrap(), Duration::from_secs(3600));
        let key = OpenApiKey::new("key-one", TEST_KEY)
            .unwrap()
            .with_limiter(limiter);
        let runtime = builder(&server).open_api_key(key).build().unwrap();
        assert_eq!(signed(&runtime).await.unwrap(), json!("sent"));
        assert_eq!(signed(&runtime).await.unwrap(), json!("sent"));
        // The third has no turn for an hour: it waits, and nothing reaches the server.
        let third =
            tokio::time::timeout(Duration::from_millis(300), signed(&runtime).into_future()).await;
        assert!(third.is_err(), "the third call was not held back");
        assert_eq!(server.received_requests().await.unwrap().len(), 2);
        // A key without a limiter (per call, here) is not held back.
        let unlimited = OpenApiKey::new("key-two", TEST_KEY).unwrap();
        let sent = signed(&runtime).open_api_key(&unlimited).await.unwrap();
        assert_eq!(sent, json!("sent"));
        assert_eq!(server.received_requests().await.unwrap().len(), 3);
    })
    .await;
}

#[tokio::test]
async fn empty_ids_and_headers_the_sdk_sets_are_refused_before_sending() {
    bounded(async {
        let server = MockServer::start().await;
        let runtime = builder(&server).build().unwrap();
        for error in [
            order(&runtime).idempotency_key("").await.unwrap_err(),
            customers(&runtime).trace_id("").await.unwrap_err(),
            customers(&runtime)
                .header("User-Agent", "other")
                .await
                .unwrap_err(),
            customers(&runtime)
                .header("content-type", "text/plain")
                .await
                .unwrap_err(),
        ] {
            assert!(
                matches!(error.kind(), ErrorKind::InvalidInput(_)),
                "{error}"
            );
        }
        assert!(server.received_requests().await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_retry_wait_past_the_deadline_ends_the_call_with_the_last_error() {
    bounded(async {
        let server = MockServer::start().await;
        mount(
            &server,
            CUSTOMERS.path,
            ResponseTemplate::new(429).insert_header("retry-after", "5"),
            10,
        )
        .await;
        let runtime = builder(&server).build().unwrap();
        let error = customers(&runtime)
            .retry(RetryPolicy::default().max_attempts(3))
            .deadline(Duration::from_secs(2))
            .await
            .unwrap_err();
        // The server's own answer, not a deadline that hides it; and no wait slept in vain.
        assert!(
            matches!(error.kind(), ErrorKind::RateLimited { .. }),
            "{error}"
        );
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
    })
    .await;
}

#[tokio::test(start_paused = true)]
async fn retries_wait_within_the_backoffs_bounds() {
    // The waits are virtual time: the bound is too.
    bounded_for(Duration::from_secs(600), retry_waits()).await;
}

/// Nothing listens: every attempt fails at once and is retried (it never left).
async fn retry_waits() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let base = url::Url::parse(&format!("http://127.0.0.1:{port}/")).unwrap();
    let policy = RetryPolicy::default()
        .max_attempts(5)
        .base_delay(Duration::from_secs(1))
        .max_delay(Duration::from_secs(4));
    let runtime = Builder::<Runtime>::new(Environment::custom(Endpoints::same_host(base)))
        .company_id("421")
        .manager_token(ManagerToken::new("t"))
        .retry(policy)
        .build()
        .unwrap();
    for _ in 0..5 {
        let started = tokio::time::Instant::now();
        let error = customers(&runtime).await.unwrap_err();
        assert!(
            matches!(error.kind(), ErrorKind::Transport { connect: true }),
            "{error}"
        );
        // Four waits, bounded by 1, 2, 4 and 4 s (the cap).
        let waited = started.elapsed();
        assert!(waited <= Duration::from_secs(11), "{waited:?}");
    }
}

//! The requests that are not a JSON body: query parameters (an argument, the quote token, the
//! request itself), the quote service's traced request and envelope, and multipart uploads.
//! Each asserts what goes on the wire and what the call returns.

use std::time::Duration;

use http::Method;
use mm_sdk_core::{
    Api, Builder, Call, Credential, Effect, EmptyBody, Encoding, EnvelopeKind, Environment,
    ErrorKind, Operation, QueryParam, QuoteToken, RetryPolicy, Runtime, Source, Types, Upload,
};
use mm_sdk_test_support::bounded;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const QUOTE_TOKEN: &str = "quote-token-secret";

type Json = Types<Value, Value>;

static QUOTE: Operation<'static> = operation(
    Api::Manager,
    Method::GET,
    "/quote-b-api/depth-tick",
    &[
        QueryParam::new("token", Source::Credential, true),
        QueryParam::new("query", Source::Request, true),
    ],
    Encoding::Traced,
    Credential::QuoteToken,
);

static BATCH: Operation<'static> = operation(
    Api::Manager,
    Method::GET,
    "/quote-b-api/batch-kline",
    &[QueryParam::new("token", Source::Credential, true)],
    Encoding::Traced,
    Credential::QuoteToken,
);

static COUNTRY: Operation<'static> = operation(
    Api::Client,
    Method::GET,
    "/api/geoip/country",
    &[QueryParam::new("ip", Source::Argument(0), false)],
    Encoding::None,
    Credential::None,
);

static UPLOAD: Operation<'static> = operation(
    Api::Client,
    Method::POST,
    "/api/passToCreditUpload",
    &[],
    Encoding::Multipart,
    Credential::None,
);

/// An operation as the codegen would write it; the quote service's envelope goes with its
/// token.
const fn operation(
    api: Api,
    method: Method,
    path: &'static str,
    query: &'static [QueryParam],
    encoding: Encoding,
    credential: Credential,
) -> Operation<'static> {
    Operation {
        api,
        id: path,
        group: "test",
        method,
        path,
        headers: &[],
        query,
        encoding,
        envelope: match credential {
            Credential::QuoteToken => EnvelopeKind::Quote,
            _ => EnvelopeKind::Platform,
        },
        credential,
        effect: Effect::Read,
        returns_nothing: false,
        paging: None,
        rules: &[],
        codec: &Json::NEW,
        open_api: None,
    }
}

fn runtime(base: &str, quote_token: Option<&str>) -> Runtime {
    let base = url::Url::parse(base).expect("URL");
    let mut builder =
        Builder::<Runtime>::new(Environment::custom(mm_sdk_core::Endpoints::same_host(base)))
            .company_id("421")
            .timeout(Duration::from_secs(5))
            .retry(RetryPolicy::default().max_attempts(1));
    if let Some(token) = quote_token {
        builder = builder.quote_token(QuoteToken::new(token));
    }
    builder.build().expect("runtime")
}

fn query_pairs(request: &wiremock::Request) -> Vec<(String, String)> {
    request.url.query_pairs().into_owned().collect()
}

#[tokio::test]
async fn a_quote_query_carries_the_token_and_the_traced_request_in_the_url() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/quote-b-api/depth-tick"))
            .respond_with(ResponseTemplate::new(200).set_body_json(
                json!({"ret": 200, "msg": "ok", "trace": "t", "data": {"tick_list": []}}),
            ))
            .expect(1)
            .mount(&server)
            .await;
        let runtime = runtime(&server.uri(), Some(QUOTE_TOKEN));
        let request = json!({"symbol_list": [{"code": "EUR USD"}]});
        let data: Value = Call::new(&runtime, &QUOTE, None, Vec::new(), &request)
            .await
            .expect("a success");
        assert_eq!(data, json!({"tick_list": []}));

        let received = &server.received_requests().await.expect("recorded")[0];
        assert!(
            received.body.is_empty(),
            "a GET whose request is in the URL has no body"
        );
        assert!(received.headers.get("content-type").is_none());
        let pairs = query_pairs(received);
        assert_eq!(pairs[0], ("token".to_owned(), QUOTE_TOKEN.to_owned()));
        assert_eq!(pairs[1].0, "query");
        let sent: Value = serde_json::from_str(&pairs[1].1).expect("the query is JSON");
        assert_eq!(
            sent["data"], request,
            "the request, space included, survives"
        );
        let trace = sent["trace"].as_str().expect("a trace");
        assert!(uuid_like(trace), "the call's trace id: {trace}");
    })
    .await
}

#[tokio::test]
async fn a_quote_failure_is_an_api_error_with_its_ret() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"ret": 402, "msg": "token expired", "trace": "t"})),
            )
            .mount(&server)
            .await;
        let runtime = runtime(&server.uri(), Some(QUOTE_TOKEN));
        let error = Call::<Value>::new(
            &runtime,
            &QUOTE,
            None,
            Vec::new(),
            &json!({"symbol_list": []}),
        )
        .await
        .expect_err("a failure");
        match error.kind() {
            ErrorKind::Api(api) => assert_eq!(
                (api.code.as_str(), api.msg.as_str()),
                ("402", "token expired")
            ),
            other => panic!("expected an API error, got {other:?}"),
        }
    })
    .await
}

#[tokio::test]
async fn without_a_quote_token_nothing_is_sent() {
    bounded(async {
        let server = MockServer::start().await;
        let runtime = runtime(&server.uri(), None);
        let error = Call::<Value>::new(
            &runtime,
            &QUOTE,
            None,
            Vec::new(),
            &json!({"symbol_list": []}),
        )
        .await
        .expect_err("no token");
        assert_eq!(
            error.kind(),
            &ErrorKind::MissingCredential(Credential::QuoteToken)
        );
        assert!(
            server
                .received_requests()
                .await
                .expect("recorded")
                .is_empty()
        );
    })
    .await
}

#[tokio::test]
async fn a_batch_query_sends_the_traced_request_as_the_body_of_a_get() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/quote-b-api/batch-kline"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ret": 200, "data": {}})))
            .mount(&server)
            .await;
        let runtime = runtime(&server.uri(), Some(QUOTE_TOKEN));
        let request = json!({"data_list": [{"code": "EURUSD", "kline_type": 1}]});
        Call::<Value>::new(&runtime, &BATCH, None, Vec::new(), &request)
            .await
            .expect("a success");
        let received = &server.received_requests().await.expect("recorded")[0];
        assert_eq!(
            query_pairs(received),
            [("token".to_owned(), QUOTE_TOKEN.to_owned())]
        );
        assert_eq!(
            received
                .headers
                .get("content-type")
                .map(|v| v.to_str().unwrap()),
            Some("application/json")
        );
        let sent: Value = serde_json::from_slice(&received.body).expect("JSON");
        assert_eq!(sent["data"], request);
        assert!(sent["trace"].as_str().is_some_and(uuid_like));
    })
    .await
}

#[tokio::test]
async fn an_optional_query_argument_is_sent_when_given_and_left_out_when_not() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/api/geoip/country"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"code": "0", "ok": true, "data": {"iso_code": "FR"}})),
            )
            .mount(&server)
            .await;
        let runtime = runtime(&server.uri(), None);
        for ip in [Some("203.0.113.7"), None] {
            let data: Value = Call::new(&runtime, &COUNTRY, None, vec![ip], &EmptyBody)
                .await
                .expect("a success");
            assert_eq!(data["iso_code"], "FR");
        }
        let received = server.received_requests().await.expect("recorded");
        assert!(
            received.iter().all(|r| r.body.is_empty()),
            "a GET without a request has no body"
        );
        assert_eq!(received[0].url.query(), Some("ip=203.0.113.7"));
        assert_eq!(received[1].url.query(), None);
    })
    .await
}

#[tokio::test]
async fn a_multipart_request_sends_one_part_per_field_and_the_file_as_bytes() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/api/passToCreditUpload"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"code": "0", "ok": true, "data": "https://files/1"})),
            )
            .mount(&server)
            .await;
        let runtime = runtime(&server.uri(), None);
        let request = json!({
            "userPhone": "85212345678",
            "object": Upload::new("id.jpg", "image/jpeg", &b"\xff\xd8\xff"[..]),
        });
        let data: Value = Call::new(&runtime, &UPLOAD, None, Vec::new(), &request)
            .await
            .expect("a success");
        assert_eq!(data, "https://files/1");

        let received = &server.received_requests().await.expect("recorded")[0];
        let content_type = received.headers["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .expect("a multipart content type");
        let body = &received.body;
        let find = |needle: &[u8]| body.windows(needle.len()).any(|w| w == needle);
        assert!(
            find(b"name=\"userPhone\"\r\n\r\n85212345678\r\n"),
            "{}",
            String::from_utf8_lossy(body)
        );
        assert!(
            find(b"name=\"object\"; filename=\"id.jpg\"\r\n"),
            "{}",
            String::from_utf8_lossy(body)
        );
        assert!(find(b"image/jpeg\r\n\r\n\xff\xd8\xff\r\n"));
        assert!(body.ends_with(format!("--{boundary}--\r\n").as_bytes()));
    })
    .await
}

#[tokio::test]
async fn a_field_no_part_can_carry_is_refused_before_anything_is_sent() {
    bounded(async {
        let server = MockServer::start().await;
        let runtime = runtime(&server.uri(), None);
        let error = Call::<Value>::new(
            &runtime,
            &UPLOAD,
            None,
            Vec::new(),
            &json!({"userPhone": "1", "tags": ["a"]}),
        )
        .await
        .expect_err("refused");
        assert!(
            matches!(error.kind(), ErrorKind::InvalidInput(m) if m.contains("`tags`")),
            "{error}"
        );
        assert!(
            server
                .received_requests()
                .await
                .expect("recorded")
                .is_empty()
        );
    })
    .await
}

#[tokio::test]
async fn a_transport_error_does_not_repeat_the_token_in_the_url() {
    bounded(async {
        // Nothing listens on port 9 of localhost.
        let runtime = runtime("http://127.0.0.1:9", Some(QUOTE_TOKEN));
        let error = Call::<Value>::new(
            &runtime,
            &QUOTE,
            None,
            Vec::new(),
            &json!({"symbol_list": []}),
        )
        .await
        .expect_err("nothing listens");
        let shown = format!("{error} {error:?} {:?}", std::error::Error::source(&error));
        assert!(!shown.contains(QUOTE_TOKEN), "{shown}");
    })
    .await
}

fn uuid_like(text: &str) -> bool {
    text.len() == 36 && text.bytes().filter(|&b| b == b'-').count() == 4
}

//! Paging: every page requested once, in order, with the request's own fields kept; the stream
//! ends on the answer's count, or on a short page where there is none; a failure ends it.

use futures::{StreamExt, TryStreamExt};
use http::Method;
use mm_sdk_core::{
    Api, Builder, Count, Credential, Decimal, DecimalNumber, Effect, Endpoints, Environment,
    ErrorKind, ManagerToken, Operation, Pager, Paging, RetryPolicy, Runtime, Types,
};
use mm_sdk_test_support::bounded;
use serde_json::{Value, json};
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

type Json = Types<Value, Value>;

const fn paged(path: &'static str, paging: &'static Paging) -> Operation<'static> {
    Operation {
        api: Api::Manager,
        id: path,
        group: "test",
        method: Method::POST,
        path,
        headers: &[],
        query: &[],
        encoding: mm_sdk_core::Encoding::Json,
        envelope: mm_sdk_core::EnvelopeKind::Platform,
        credential: Credential::None,
        effect: Effect::Read,
        returns_nothing: false,
        paging: Some(paging),
        rules: &[],
        codec: &Json::NEW,
        open_api: None,
    }
}

static BY_TOTAL: Operation<'static> = paged(
    "/total",
    &Paging {
        page: "current",
        size: "size",
        first: 1,
        items: &["records"],
        count: Count::Rows(&["total"]),
    },
);

static BY_PAGES: Operation<'static> = paged(
    "/pages",
    &Paging {
        page: "current",
        size: "size",
        first: 1,
        items: &["list"],
        count: Count::Pages(&["totalPage"]),
    },
);

static BARE: Operation<'static> = paged(
    "/bare",
    &Paging {
        page: "current",
        size: "size",
        first: 1,
        items: &[],
        count: Count::Absent,
    },
);

fn runtime(server: &MockServer) -> Runtime {
    let base = url::Url::parse(&server.uri()).unwrap();
    Builder::<Runtime>::new(Environment::custom(Endpoints::same_host(base)))
        .company_id("421")
        .manager_token(ManagerToken::new("t"))
        .retry(RetryPolicy::NEVER)
        .build()
        .unwrap()
}

async fn answer(server: &MockServer, route: &str, current: u64, data: Value) {
    Mock::given(method("POST"))
        .and(path(route))
        .and(body_partial_json(json!({"current": current})))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"code": "0", "ok": true, "data": data})),
        )
        .expect(1)
        .mount(server)
        .await;
}

fn rows(range: std::ops::Range<u64>) -> Vec<Value> {
    range.map(|id| json!({"id": id})).collect()
}

#[tokio::test]
async fn rows_are_read_until_the_total_and_the_request_keeps_its_fields() {
    bounded(async {
        let server = MockServer::start().await;
        answer(
            &server,
            "/total",
            1,
            json!({"records": rows(0..2), "total": 5}),
        )
        .await;
        answer(
            &server,
            "/total",
            2,
            json!({"records": rows(2..4), "total": 5}),
        )
        .await;
        answer(
            &server,
            "/total",
            3,
            json!({"records": rows(4..5), "total": 5}),
        )
        .await;
        let runtime = runtime(&server);
        let request = json!({"size": 2, "status": "active"});
        let items: Vec<Value> =
            Pager::<Value, Value>::new(&runtime, &BY_TOTAL, None, Vec::new(), &request)
                .items()
                .try_collect()
                .await
                .unwrap();
        assert_eq!(items, rows(0..5));
        for received in server.received_requests().await.unwrap() {
            let body: Value = serde_json::from_slice(&received.body).unwrap();
            assert_eq!(
                (&body["size"], &body["status"]),
                (&json!(2), &json!("active"))
            );
        }
    })
    .await;
}

/// A row with money of both kinds, as the generated types have them.
#[derive(Debug, PartialEq, serde::Deserialize)]
struct Priced {
    #[serde(with = "mm_sdk_core::exact_decimal")]
    price: Decimal,
    volume: DecimalNumber,
}

#[tokio::test]
async fn money_in_the_rows_is_read_exactly_from_strings_and_numbers() {
    bounded(async {
        let server = MockServer::start().await;
        // Written out: a `json!` value would hold the numbers as f64s.
        let body = r#"{"code": "0", "ok": true, "data": {"total": "2", "records": [
            {"price": 1234567890.12345678, "volume": "0.10"},
            {"price": "0.1", "volume": 50.0}]}}"#;
        Mock::given(method("POST"))
            .and(path("/total"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
            .expect(1)
            .mount(&server)
            .await;
        let runtime = runtime(&server);
        let request = json!({"size": 2});
        let rows: Vec<Priced> =
            Pager::<Value, Priced>::new(&runtime, &BY_TOTAL, None, Vec::new(), &request)
                .items()
                .try_collect()
                .await
                .unwrap();
        let decimal = |text: &str| Decimal::from_str_exact(text).unwrap();
        assert_eq!(
            rows,
            [
                Priced {
                    price: decimal("1234567890.12345678"),
                    volume: DecimalNumber(decimal("0.10")),
                },
                Priced {
                    price: decimal("0.1"),
                    volume: DecimalNumber(decimal("50.0")),
                },
            ]
        );
        assert_eq!(rows[1].volume.to_string(), "50.0");
    })
    .await;
}

#[tokio::test]
async fn pages_are_read_until_the_page_count_from_the_requests_page() {
    bounded(async {
        let server = MockServer::start().await;
        answer(
            &server,
            "/pages",
            2,
            json!({"list": rows(2..4), "totalPage": 3}),
        )
        .await;
        answer(
            &server,
            "/pages",
            3,
            json!({"list": rows(4..6), "totalPage": 3}),
        )
        .await;
        let runtime = runtime(&server);
        let pages: Vec<Value> = Pager::<Value, Value>::new(
            &runtime,
            &BY_PAGES,
            None,
            Vec::new(),
            &json!({"current": 2, "size": 2}),
        )
        .pages()
        .try_collect()
        .await
        .unwrap();
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[1]["list"], json!(rows(4..6)));
    })
    .await;
}

#[tokio::test]
async fn without_a_count_a_short_page_is_the_last() {
    bounded(async {
        let server = MockServer::start().await;
        answer(&server, "/bare", 1, json!(rows(0..3))).await;
        answer(&server, "/bare", 2, json!(rows(3..4))).await;
        let runtime = runtime(&server);
        let items: Vec<Value> =
            Pager::<Value, Value>::new(&runtime, &BARE, None, Vec::new(), &json!({"size": 3}))
                .items()
                .try_collect()
                .await
                .unwrap();
        assert_eq!(items, rows(0..4));
    })
    .await;
}

#[tokio::test]
async fn a_failed_page_ends_the_stream_after_its_error() {
    bounded(async {
        let server = MockServer::start().await;
        answer(&server, "/total", 1, json!({"records": rows(0..2), "total": 9})).await;
        Mock::given(method("POST"))
            .and(path("/total"))
            .respond_with(ResponseTemplate::new(200).set_body_json(
                json!({"code": "G500", "ok": false, "fail": true, "msg": "busy"}),
            ))
            .mount(&server)
            .await;
        let runtime = runtime(&server);
        let seen: Vec<Result<Value, mm_sdk_core::Error>> =
            Pager::<Value, Value>::new(&runtime, &BY_TOTAL, None, Vec::new(), &json!({"size": 2}))
                .items()
                .collect()
                .await;
        assert_eq!(seen.len(), 3, "two rows, then the error, then nothing");
        assert!(matches!(seen[2].as_ref().unwrap_err().kind(), ErrorKind::Api(api) if api.code == "G500"));
        let refused: Vec<_> =
            Pager::<Value, Value>::new(&runtime, &BY_TOTAL, None, Vec::new(), &json!({"size": "two"}))
                .pages()
                .collect()
                .await;
        assert_eq!(refused.len(), 1);
        assert!(matches!(refused[0].as_ref().unwrap_err().kind(), ErrorKind::InvalidInput(m) if m.contains("`size`")));
    })
    .await;
}

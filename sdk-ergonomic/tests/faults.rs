//! Whatever the network or the server does, a call returns the right typed error, keeps its
//! trace id, and is sent again only when that is safe: a read (Manager `get_balance`) is
//! retried a bounded number of times, a write (Manager `balance_update`, which moves money)
//! never once it may have reached the server.

use std::time::Duration;

use crate::common::captured::Captured;
use crate::common::faulty::{FaultyServer, Reply, client_at, response};
use crate::common::{balance_request, bounded, example, failure};
use mm_sdk::extras::back_office::BalanceAdjustment;
use mm_sdk::manager::funds::AccountBalance;
use mm_sdk::{Error, ErrorKind, MAX_RESPONSE_BYTES, MultiMarkets};
use serde_json::json;

/// Attempts in all of a retried read (the test client's `RetryPolicy::max_attempts`).
const READ_ATTEMPTS: usize = 3;

async fn read(mm: &MultiMarkets) -> Result<Vec<AccountBalance>, Error> {
    mm.manager()
        .funds()
        .get_balance(&balance_request("86000188"))
        .await
}

async fn write(mm: &MultiMarkets) -> Result<(), Error> {
    let bonus = BalanceAdjustment::new("86000020", "USDT", 5.into())
        .account_id(1000450)
        .remark("test");
    mm.back_office().adjust_balance(&bonus).await
}

/// Runs the read against a server answering every request with `reply`.
async fn read_with(reply: Reply) -> (Result<Vec<AccountBalance>, Error>, FaultyServer) {
    let server = FaultyServer::start(move |_| reply.clone()).await;
    let result = read(&client_at(&server.url())).await;
    (result, server)
}

/// Runs the write against a server answering every request with `reply`.
async fn write_with(reply: Reply) -> (Result<(), Error>, FaultyServer) {
    let server = FaultyServer::start(move |_| reply.clone()).await;
    let result = write(&client_at(&server.url())).await;
    (result, server)
}

/// `error` is `kind`, came after exactly `requests` requests, and carries the one trace id
/// all of them were sent with.
fn assert_failed(error: &Error, server: &FaultyServer, kind: &ErrorKind, requests: usize) {
    assert_eq!(error.kind(), kind, "{error:?}");
    let received = server.requests();
    assert_eq!(received.len(), requests, "requests received for {kind:?}");
    let trace = error
        .trace()
        .expect("an error from a call keeps its trace id");
    for request in &received {
        assert_eq!(request.header("trace"), Some(trace.as_str()));
    }
    assert!(error.to_string().contains(trace.as_str()), "{error}");
}

fn transport_broken() -> ErrorKind {
    ErrorKind::Transport { connect: false }
}

fn balances_envelope() -> serde_json::Value {
    example("manager/get_balance.response.json")
}

/// The status line and headers of a JSON response with the given (possibly false) length.
fn json_head(length: usize) -> Vec<u8> {
    format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {length}\r\n\r\n")
        .into_bytes()
}

#[tokio::test]
async fn connection_refused_is_retried_for_reads_and_writes_alike() {
    bounded(async {
        // Nothing listens on the port: the request certainly never left, so even the write may
        // be sent again; it still fails after the bounded attempts.
        let port = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap().port()
        };
        let mm = client_at(&url::Url::parse(&format!("http://127.0.0.1:{port}")).unwrap());
        for error in [read(&mm).await.unwrap_err(), write(&mm).await.unwrap_err()] {
            assert_eq!(error.kind(), &ErrorKind::Transport { connect: true });
            assert!(error.trace().is_some());
            assert!(error.is_retryable());
        }
    })
    .await;
}

#[tokio::test]
async fn a_connection_closed_before_the_answer_fails_the_write_once() {
    bounded(async {
        let (result, server) = write_with(Reply::Close(Vec::new())).await;
        assert_failed(&result.unwrap_err(), &server, &transport_broken(), 1);
        let (result, server) = read_with(Reply::Close(Vec::new())).await;
        assert_failed(
            &result.unwrap_err(),
            &server,
            &transport_broken(),
            READ_ATTEMPTS,
        );
    })
    .await;
}

#[tokio::test]
async fn a_reset_mid_response_is_retried_for_the_read_only() {
    bounded(async {
        let body = balances_envelope().to_string().into_bytes();
        let half = [json_head(body.len()), body[..body.len() / 2].to_vec()].concat();
        let (result, server) = read_with(Reply::Reset(half.clone())).await;
        assert_failed(
            &result.unwrap_err(),
            &server,
            &transport_broken(),
            READ_ATTEMPTS,
        );
        let (result, server) = write_with(Reply::Reset(half)).await;
        assert_failed(&result.unwrap_err(), &server, &transport_broken(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_body_cut_short_is_a_broken_transfer() {
    bounded(async {
        // The server promises more than it sends, then closes cleanly.
        let body = balances_envelope().to_string().into_bytes();
        let cut = [json_head(body.len()), body[..body.len() - 10].to_vec()].concat();
        let (result, server) = write_with(Reply::Close(cut)).await;
        assert_failed(&result.unwrap_err(), &server, &transport_broken(), 1);
    })
    .await;
}

#[tokio::test]
async fn headers_then_silence_times_out() {
    bounded(async {
        let stall = Reply::Stall(json_head(500));
        let (result, server) = read_with(stall.clone()).await;
        let error = result.unwrap_err();
        assert_failed(&error, &server, &ErrorKind::Timeout, READ_ATTEMPTS);
        assert!(error.is_retryable());
        let (result, server) = write_with(stall).await;
        assert_failed(&result.unwrap_err(), &server, &ErrorKind::Timeout, 1);
    })
    .await;
}

#[tokio::test]
async fn silence_before_the_headers_times_out() {
    bounded(async {
        let (result, server) = write_with(Reply::Stall(Vec::new())).await;
        assert_failed(&result.unwrap_err(), &server, &ErrorKind::Timeout, 1);
    })
    .await;
}

/// The balances envelope in `count` pieces, `gap` apart.
fn trickle(count: usize, gap: Duration) -> Reply {
    let body = balances_envelope().to_string().into_bytes();
    Reply::Trickle {
        head: json_head(body.len()),
        pieces: body
            .chunks(body.len() / count + 1)
            .map(<[u8]>::to_vec)
            .collect(),
        gap,
    }
}

#[tokio::test]
async fn a_slow_body_that_ends_in_time_is_accepted() {
    bounded(async {
        let (result, server) = read_with(trickle(4, Duration::from_millis(20))).await;
        let balances = result.unwrap();
        assert_eq!(balances[0].account_id, 1003496);
        assert_eq!(server.requests().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_body_slower_than_the_timeout_times_out() {
    bounded(async {
        // Five pieces 200 ms apart cannot arrive within the client's 500 ms.
        let (result, server) = read_with(trickle(5, Duration::from_millis(200))).await;
        assert_failed(
            &result.unwrap_err(),
            &server,
            &ErrorKind::Timeout,
            READ_ATTEMPTS,
        );
    })
    .await;
}

#[tokio::test]
async fn truncated_json_is_not_json_and_not_retried() {
    bounded(async {
        let body = balances_envelope().to_string();
        let truncated = &body[..body.len() / 2];
        let (result, server) = read_with(Reply::close(200, &[], truncated.as_bytes())).await;
        let expected = ErrorKind::NotJson {
            status: 200,
            body: truncated.to_owned(),
        };
        assert_failed(&result.unwrap_err(), &server, &expected, 1);
    })
    .await;
}

#[tokio::test]
async fn an_empty_body_is_not_json() {
    bounded(async {
        let (result, server) = read_with(Reply::close(200, &[], b"")).await;
        let expected = ErrorKind::NotJson {
            status: 200,
            body: String::new(),
        };
        assert_failed(&result.unwrap_err(), &server, &expected, 1);
    })
    .await;
}

#[tokio::test]
async fn an_html_502_page_is_a_status_error_retried_for_the_read_only() {
    bounded(async {
        let page = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
        let reply = Reply::close(502, &[("content-type", "text/html")], page.as_bytes());
        let expected = ErrorKind::Status {
            status: 502,
            body: page.into(),
        };
        let (result, server) = read_with(reply.clone()).await;
        assert_failed(&result.unwrap_err(), &server, &expected, READ_ATTEMPTS);
        let (result, server) = write_with(reply).await;
        assert_failed(&result.unwrap_err(), &server, &expected, 1);
    })
    .await;
}

#[tokio::test]
async fn a_long_error_page_is_cut_to_the_excerpt() {
    bounded(async {
        let page = "x".repeat(10 * mm_sdk::BODY_EXCERPT_LIMIT);
        let (result, server) = write_with(Reply::close(503, &[], page.as_bytes())).await;
        let expected = ErrorKind::Status {
            status: 503,
            body: page[..mm_sdk::BODY_EXCERPT_LIMIT].to_owned(),
        };
        assert_failed(&result.unwrap_err(), &server, &expected, 1);
    })
    .await;
}

#[tokio::test]
async fn a_binary_error_page_gives_an_excerpt_within_the_limit() {
    bounded(async {
        // Every invalid byte shows as a 3-byte U+FFFD; the excerpt still keeps to its limit.
        let page = vec![0x88; 4 * mm_sdk::BODY_EXCERPT_LIMIT];
        let (result, server) = write_with(Reply::close(502, &[], &page)).await;
        let expected = ErrorKind::Status {
            status: 502,
            body: "\u{FFFD}".repeat(mm_sdk::BODY_EXCERPT_LIMIT / 3),
        };
        assert_failed(&result.unwrap_err(), &server, &expected, 1);
    })
    .await;
}

#[tokio::test]
async fn status_500_is_not_retried_and_503_is_for_reads() {
    bounded(async {
        let status = |status: u16| ErrorKind::Status {
            status,
            body: "down".into(),
        };
        let (result, server) = read_with(Reply::close(500, &[], b"down")).await;
        assert_failed(&result.unwrap_err(), &server, &status(500), 1);
        let (result, server) = read_with(Reply::close(503, &[], b"down")).await;
        assert_failed(&result.unwrap_err(), &server, &status(503), READ_ATTEMPTS);
        let (result, server) = write_with(Reply::close(503, &[], b"down")).await;
        assert_failed(&result.unwrap_err(), &server, &status(503), 1);
    })
    .await;
}

#[tokio::test]
async fn status_429_without_retry_after_backs_off_for_reads_only() {
    bounded(async {
        let too_many = || {
            Reply::close(
                429,
                &[
                    ("x-ratelimit-limit", "100"),
                    ("x-ratelimit-remairing", "0"),
                    ("x-ratelimit-reset", "60"),
                ],
                b"slow down",
            )
        };
        let expected = ErrorKind::RateLimited {
            body: "slow down".into(),
        };
        let (result, server) = read_with(too_many()).await;
        let error = result.unwrap_err();
        assert_failed(&error, &server, &expected, READ_ATTEMPTS);
        assert_eq!(error.retry_after(), None);
        // The window the answer reported, typed (upstream's docs spell `remairing`).
        let limit = error.rate_limit().expect("the rate limit headers, read");
        assert_eq!(
            (limit.limit, limit.remaining, limit.window),
            (Some(100), Some(0), Some(Duration::from_secs(60)))
        );
        let (result, server) = write_with(too_many()).await;
        assert_failed(&result.unwrap_err(), &server, &expected, 1);
    })
    .await;
}

#[tokio::test]
async fn status_418_is_a_banned_key_never_retried_and_says_how_long() {
    bounded(async {
        let banned = || Reply::close(418, &[("retry-after", "300")], b"banned");
        let expected = ErrorKind::KeyBanned {
            body: "banned".into(),
        };
        // Not even a read tries again: each call would lengthen the ban.
        let (result, server) = read_with(banned()).await;
        let error = result.unwrap_err();
        assert_failed(&error, &server, &expected, 1);
        assert!(!error.is_retryable());
        assert_eq!(error.retry_after(), Some(Duration::from_secs(300)));
        assert!(error.to_string().contains("disabled"), "{error}");
        let (result, server) = write_with(banned()).await;
        assert_failed(&result.unwrap_err(), &server, &expected, 1);
    })
    .await;
}

#[tokio::test]
async fn status_429_with_retry_after_is_waited_out_by_a_read() {
    bounded(async {
        let envelope = balances_envelope();
        let server = FaultyServer::start(move |n| match n {
            0 => Reply::close(429, &[("retry-after", "1")], b""),
            _ => Reply::json(&envelope),
        })
        .await;
        let balances = read(&client_at(&server.url())).await.unwrap();
        assert_eq!(balances[0].customer_no, "86000188");
        let received = server.requests();
        assert_eq!(received.len(), 2);
        assert_eq!(received[0].header("trace"), received[1].header("trace"));
    })
    .await;
}

#[tokio::test]
async fn a_read_waits_the_backoff_or_the_longer_retry_after() {
    bounded(async {
        let (captured, _guard) = Captured::start(tracing::Level::DEBUG);

        let envelope = balances_envelope();
        let server = FaultyServer::start(move |n| match n {
            0 => Reply::close(503, &[], b""),
            1 => Reply::close(429, &[("retry-after", "1")], b""),
            _ => Reply::json(&envelope),
        })
        .await;
        read(&client_at(&server.url())).await.unwrap();
        assert_eq!(server.requests().len(), 3);

        // A wait drawn up to the 1 ms base, then the server's longer Retry-After.
        let logs = captured.text();
        let delays: Vec<_> = logs
            .lines()
            .filter(|line| line.contains("retrying"))
            .filter_map(|line| line.split(" delay=").nth(1))
            .map(|rest| rest.split_whitespace().next().unwrap())
            .collect();
        assert_eq!(delays.len(), 2, "{logs}");
        let first = delays[0];
        assert!(
            first == "1ms" || ["ns", "µs"].iter().any(|unit| first.ends_with(unit)),
            "the first wait is at most 1 ms: {logs}"
        );
        assert_eq!(delays[1], "1s", "{logs}");
    })
    .await;
}

#[tokio::test]
async fn status_429_with_a_long_retry_after_fails_at_once_and_says_how_long() {
    bounded(async {
        let reply = Reply::close(429, &[("retry-after", "120")], b"");
        let expected = ErrorKind::RateLimited {
            body: String::new(),
        };
        let (result, server) = read_with(reply.clone()).await;
        let error = result.unwrap_err();
        assert_failed(&error, &server, &expected, 1);
        assert_eq!(error.retry_after(), Some(Duration::from_secs(120)));
        let (result, server) = write_with(reply).await;
        let error = result.unwrap_err();
        assert_failed(&error, &server, &expected, 1);
        assert_eq!(error.retry_after(), Some(Duration::from_secs(120)));
    })
    .await;
}

#[tokio::test]
async fn a_failure_envelope_with_status_200_is_an_api_error() {
    bounded(async {
        let (result, server) =
            write_with(Reply::json(&failure("C0001", "Account not found"))).await;
        let error = result.unwrap_err();
        let ErrorKind::Api(api) = error.kind() else {
            panic!("{error:?}")
        };
        assert_eq!(
            (api.code.as_str(), api.msg.as_str()),
            ("C0001", "Account not found")
        );
        assert_eq!(api.server_trace, "x-server-trace");
        let expected = error.kind().clone();
        assert_failed(&error, &server, &expected, 1);
    })
    .await;
}

#[tokio::test]
async fn a_success_without_data_is_missing_data() {
    bounded(async {
        let mut envelope = example("manager/balance_update.response.json");
        envelope.as_object_mut().unwrap().remove("data");
        let (result, server) = write_with(Reply::json(&envelope)).await;
        assert_failed(&result.unwrap_err(), &server, &ErrorKind::MissingData, 1);
        envelope["data"] = serde_json::Value::Null;
        let (result, server) = read_with(Reply::json(&envelope)).await;
        assert_failed(&result.unwrap_err(), &server, &ErrorKind::MissingData, 1);
    })
    .await;
}

#[tokio::test]
async fn wrong_types_in_data_name_the_field_and_are_not_retried() {
    bounded(async {
        let mut envelope = balances_envelope();
        // An id reads from a number or from text holding one: not from a word.
        envelope["data"][0]["accountId"] = json!("the first account");
        let (result, server) = read_with(Reply::json(&envelope)).await;
        let error = result.unwrap_err();
        let ErrorKind::Decode { path, message } = error.kind() else {
            panic!("{error:?}")
        };
        assert_eq!(path, "data[0].accountId");
        assert!(message.contains("an integer code"), "{message}");
        let expected = error.kind().clone();
        assert_failed(&error, &server, &expected, 1);
    })
    .await;
}

#[tokio::test]
async fn wrong_types_in_the_envelope_are_decode_errors() {
    bounded(async {
        let mut envelope = balances_envelope();
        envelope["ok"] = json!("true");
        let (result, server) = read_with(Reply::json(&envelope)).await;
        let error = result.unwrap_err();
        assert!(
            matches!(error.kind(), ErrorKind::Decode { path, .. } if path == "ok"),
            "{error:?}"
        );
        assert_eq!(server.requests().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn unknown_fields_anywhere_are_accepted() {
    bounded(async {
        let mut envelope = balances_envelope();
        envelope["newEnvelopeField"] = json!({"nested": [1, 2]});
        envelope["data"][0]["newAccountField"] = json!("whatever");
        let (result, server) = read_with(Reply::json(&envelope)).await;
        let balances = result.unwrap();
        assert_eq!(balances.len(), 1);
        assert_eq!(balances[0].account_id, 1003496);
        assert_eq!(server.requests().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_50_mb_streamed_body_stops_at_the_limit() {
    bounded(async {
        let (result, server) = read_with(Reply::Huge {
            len: 50 * 1024 * 1024,
            declared: false,
        })
        .await;
        let error = result.unwrap_err();
        let expected = ErrorKind::TooLarge {
            limit: MAX_RESPONSE_BYTES,
        };
        assert_failed(&error, &server, &expected, 1);
        assert!(!error.is_retryable());
        assert!(
            error
                .to_string()
                .contains("the response body is larger than 16777216 bytes"),
            "{error}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_50_mb_declared_body_is_refused_before_reading() {
    bounded(async {
        let (result, server) = write_with(Reply::Huge {
            len: 50 * 1024 * 1024,
            declared: true,
        })
        .await;
        let expected = ErrorKind::TooLarge {
            limit: MAX_RESPONSE_BYTES,
        };
        assert_failed(&result.unwrap_err(), &server, &expected, 1);
    })
    .await;
}

#[tokio::test]
async fn retries_of_a_read_reuse_the_trace_id_and_then_succeed() {
    bounded(async {
        let envelope = balances_envelope();
        let server = FaultyServer::start(move |n| match n {
            0 => Reply::close(503, &[], b"busy"),
            1 => Reply::Reset(Vec::new()),
            _ => Reply::json(&envelope),
        })
        .await;
        let balances = read(&client_at(&server.url())).await.unwrap();
        assert_eq!(balances[0].account_id, 1003496);
        let received = server.requests();
        assert_eq!(received.len(), 3);
        assert!(received.iter().all(|r| r.path() == received[0].path()));
        let traces: Vec<_> = received.iter().map(|r| r.header("trace")).collect();
        assert!(traces[0].is_some() && traces.iter().all(|t| *t == traces[0]));
    })
    .await;
}

#[tokio::test]
async fn a_plain_keep_alive_response_is_accepted() {
    bounded(async {
        // The well-behaved baseline the faults above depart from.
        let body = balances_envelope().to_string();
        let server =
            FaultyServer::start(move |_| Reply::KeepAlive(response(200, &[], body.as_bytes())))
                .await;
        let balances = read(&client_at(&server.url())).await.unwrap();
        assert_eq!(balances[0].currency, "USDT");
        assert_eq!(
            server.requests()[0].path(),
            "/openapi-b/customer.admin.CustomerAdminApiService.queryAccountList"
        );
    })
    .await;
}

#[tokio::test]
async fn each_attempt_is_traced_with_its_number_status_and_duration() {
    bounded(async {
        let envelope = balances_envelope();
        let server = FaultyServer::start(move |n| match n {
            0 => Reply::close(503, &[], b"busy"),
            1 => Reply::Reset(Vec::new()),
            _ => Reply::json(&envelope),
        })
        .await;
        let (captured, _guard) = Captured::start(tracing::Level::DEBUG);
        read(&client_at(&server.url())).await.unwrap();
        let log = captured.text();
        // Each attempt's event, in the call's span: `mm_sdk.call{...}: ... attempt ...`.
        let attempts: Vec<&str> = log
            .lines()
            .filter(|line| line.contains("attempt succeeded") || line.contains("attempt failed"))
            .map(|line| {
                assert!(
                    line.contains("mm_sdk.call{operation=\"get_balance\""),
                    "{line}"
                );
                line.split_once("}: ").map_or(line, |(_, event)| event)
            })
            .collect();
        assert_eq!(attempts.len(), 3, "{log}");
        for (n, event) in attempts.iter().enumerate() {
            assert!(event.contains(&format!(" attempt={}", n + 1)), "{event}");
            assert!(event.contains(" duration_ms="), "{event}");
        }
        assert!(attempts[0].contains("status=503"), "{}", attempts[0]);
        assert!(
            !attempts[1].contains("status="),
            "no response, no status: {}",
            attempts[1]
        );
        assert!(attempts[2].contains("attempt succeeded") && attempts[2].contains("status=200"));
    })
    .await;
}

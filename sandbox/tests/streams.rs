//! The sandbox's WebSocket streams, driven by a raw `tokio-tungstenite` client: market data,
//! the Open API messages and the Manager's Data Push, with their errors, heartbeats and the
//! faults tests inject.

use std::collections::HashMap;
use std::future::Future;
use std::io::Read;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use futures::{SinkExt, StreamExt};
use mm_sdk_sandbox::{Config, Decimal, Sandbox, Stream, StreamFault};
use mm_sdk_test_support::{bounded, bounded_for};
use rsa::RsaPrivateKey;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer};
use serde_json::{Value, json};
use sha1::Sha1;
use tokio::net::TcpStream;
use tokio::time::{Instant, timeout};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Connects without Nagle's algorithm, so small frames go out at once (on a paused clock a
/// delayed ACK would let virtual time run on).
async fn connect_async(
    request: impl IntoClientRequest + Unpin,
) -> Result<
    (
        Ws,
        tokio_tungstenite::tungstenite::handshake::client::Response,
    ),
    WsError,
> {
    tokio_tungstenite::connect_async_with_config(request, None, true).await
}

/// Fails the test with `what` if `future` takes longer than `secs` (on the test's clock).
async fn within<T>(secs: u64, what: &str, future: impl Future<Output = T>) -> T {
    match timeout(Duration::from_secs(secs), future).await {
        Ok(value) => value,
        Err(_) => panic!("timed out after {secs} s: {what}"),
    }
}

/// A sandbox pushing quotes every 20 ms, so tests see many quickly.
async fn sandbox() -> Sandbox {
    Sandbox::start(Config {
        quote_interval: Duration::from_millis(20),
        ..Config::default()
    })
    .await
    .expect("the sandbox starts")
}

fn ws_url(sandbox: &Sandbox, path: &str) -> String {
    format!("ws://{}{path}", sandbox.addr())
}

async fn connect(url: &str) -> Ws {
    let (ws, _) = within(10, "the WebSocket handshake", connect_async(url))
        .await
        .unwrap_or_else(|e| panic!("cannot connect to {url}: {e}"));
    ws
}

/// The status of a refused handshake.
async fn refused(request: impl IntoClientRequest + Unpin) -> u16 {
    match within(10, "the refused handshake", connect_async(request)).await {
        Err(WsError::Http(response)) => response.status().as_u16(),
        Err(other) => panic!("expected an HTTP refusal, got {other}"),
        Ok(_) => panic!("expected an HTTP refusal, the handshake succeeded"),
    }
}

/// The next message (pings and pongs skipped), or `None` when the stream ended.
async fn next(ws: &mut Ws, what: &str) -> Option<Result<Message, WsError>> {
    next_within(10, ws, what).await
}

/// [`next`], waiting up to `secs`.
async fn next_within(secs: u64, ws: &mut Ws, what: &str) -> Option<Result<Message, WsError>> {
    within(secs, what, async {
        loop {
            match ws.next().await {
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                other => return other,
            }
        }
    })
    .await
}

async fn next_text(ws: &mut Ws, what: &str) -> String {
    match next(ws, what).await {
        Some(Ok(Message::Text(text))) => text.as_str().to_owned(),
        other => panic!("{what}: expected a text frame, got {other:?}"),
    }
}

async fn next_json(ws: &mut Ws, what: &str) -> Value {
    let text = next_text(ws, what).await;
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {text}"))
}

/// The next JSON reply of the market-data stream, skipping pushes.
async fn next_reply(ws: &mut Ws, what: &str) -> Value {
    loop {
        match next(ws, what).await {
            Some(Ok(Message::Text(text))) if text.starts_with('{') => {
                return serde_json::from_str(text.as_str()).expect("a JSON reply");
            }
            Some(Ok(Message::Text(_))) => {}
            Some(Ok(Message::Binary(bytes))) => return inflate(&bytes),
            other => panic!("{what}: expected a reply, got {other:?}"),
        }
    }
}

/// A zlib-compressed JSON frame.
fn inflate(bytes: &[u8]) -> Value {
    let mut text = String::new();
    flate2::read::ZlibDecoder::new(bytes)
        .read_to_string(&mut text)
        .expect("a zlib stream");
    serde_json::from_str(&text).expect("JSON inside")
}

/// The close frame that ends the connection: code and reason.
async fn next_close(ws: &mut Ws, what: &str) -> (u16, String) {
    next_close_within(10, ws, what).await
}

/// [`next_close`], waiting up to `secs` for each frame.
async fn next_close_within(secs: u64, ws: &mut Ws, what: &str) -> (u16, String) {
    loop {
        match next_within(secs, ws, what).await {
            Some(Ok(Message::Close(Some(frame)))) => {
                return (u16::from(frame.code), frame.reason.as_str().to_owned());
            }
            Some(Ok(Message::Text(_) | Message::Binary(_))) => {}
            other => panic!("{what}: expected a close frame, got {other:?}"),
        }
    }
}

async fn send_json(ws: &mut Ws, value: &Value) {
    ws.send(Message::text(value.to_string()))
        .await
        .expect("the request is sent");
}

fn request(cmd_id: u64, seq_id: u64, data: Value) -> Value {
    json!({"cmd_id": cmd_id, "seq_id": seq_id, "ext": format!("ext-{seq_id}"), "data": data})
}

/// USDCHF and GBPUSD, as listed in the docs' `product_list` example (trade type 3).
fn two_products() -> Value {
    json!([
        {"symbol_id": 2, "trade_type": 3, "trade_mode": 1},
        {"symbol_id": 4, "trade_type": 3, "trade_mode": 1},
    ])
}

/// The fields of a push `name(a,b,...);`.
fn push_fields<'a>(push: &'a str, name: &str) -> Vec<&'a str> {
    let inner = push
        .strip_prefix(&format!("{name}("))
        .and_then(|rest| rest.strip_suffix(");"))
        .unwrap_or_else(|| panic!("not a `{name}` push: {push}"));
    inner.split(',').collect()
}

/// Checks a decimal with exactly `digits` decimals.
fn assert_decimal(value: &str, digits: usize) {
    let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
    assert!(
        !whole.is_empty() && whole.bytes().all(|b| b.is_ascii_digit()),
        "{value}"
    );
    assert_eq!(fraction.len(), digits, "{value} has {digits} decimals");
    assert!(fraction.bytes().all(|b| b.is_ascii_digit()), "{value}");
}

fn assert_integer(value: &str) -> u64 {
    value
        .parse()
        .unwrap_or_else(|_| panic!("`{value}` is not an integer"))
}

// ---- HTTP set-up: a customer, a login token, an Open API key, a message token ----

const PWD_MD5: &str = "dc483e80a7a0bd9ef71d8cf973673924";

async fn post(sandbox: &Sandbox, path: &str, headers: &[(&str, &str)], body: &Value) -> Value {
    let mut request = reqwest::Client::new()
        .post(format!("http://{}{path}", sandbox.addr()))
        .header("trace", "t-streams")
        .header("companyId", sandbox.config().company_id.as_str())
        .header("version", "0.0.1")
        .header("lang", "en-US")
        .json(body);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let answer: Value = within(10, path, async {
        request
            .send()
            .await
            .expect("the call is answered")
            .json()
            .await
            .expect("a JSON envelope")
    })
    .await;
    assert_eq!(answer["code"], "0", "{path}: {answer}");
    answer["data"].clone()
}

/// Registers a customer by email with a USDT account of trade type 1; its customer number.
async fn register(sandbox: &Sandbox, email: &str) -> String {
    let token = sandbox.config().manager_token.clone();
    let data = post(
        sandbox,
        "/openapi-b/customer.admin.WhiteCustomerAdminApiService.addCusAndOpenAccountAndKyc",
        &[("token", token.as_str())],
        &json!({
            "email": email, "pwd": PWD_MD5, "country": "CN", "customerGroupId": 1,
            "registerSource": 1,
            "tradeTypeCurrencyList": [{"tradeType": "1", "allCurrency": "USDT"}],
        }),
    )
    .await;
    data.as_str().expect("a customer number").to_owned()
}

/// Registers and logs a customer in; the login token.
async fn login(sandbox: &Sandbox, email: &str) -> String {
    register(sandbox, email).await;
    let data = post(
        sandbox,
        "/api/login/customer.app.CustomerWebApiService.login",
        &[],
        &json!({"type": 1, "loginName": email, "loginPwd": PWD_MD5}),
    )
    .await;
    data["token"].as_str().expect("a login token").to_owned()
}

/// A message-stream token, got as a real client gets it: an Open API key applied for, then
/// the signed `open_msg_token` call.
async fn msg_token(sandbox: &Sandbox) -> String {
    let session = login(sandbox, "messages@example.com").await;
    let ticket = post(
        sandbox,
        "/api/global/message.app.VerificationApiService.verifyCodeSend",
        &[("token", session.as_str())],
        &json!({"type": 1, "email": "messages@example.com"}),
    )
    .await;
    let grant = post(
        sandbox,
        "/api/global/customer.app.CustomerApiWebService.applyApi",
        &[("token", session.as_str())],
        &json!({
            "tag": "streams", "emailCode": sandbox.config().verify_code,
            "emailSendToken": ticket["token"],
        }),
    )
    .await;
    let api_key = grant["apiKey"].as_str().expect("an API key");
    let der = BASE64
        .decode(
            grant["privateKey"]
                .as_str()
                .expect("the key pair's private half"),
        )
        .expect("base64");
    let key = SigningKey::<Sha1>::new(RsaPrivateKey::from_pkcs8_der(&der).expect("PKCS#8"));
    let timestamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_millis()
        .to_string();
    let signature = BASE64.encode(key.sign(format!("{{}}{timestamp}").as_bytes()).to_vec());
    let token = post(
        sandbox,
        "/openapi-c/global/getMsgPushToken",
        &[
            ("apiKey", api_key),
            ("timestamp", timestamp.as_str()),
            ("signature", signature.as_str()),
        ],
        &json!({}),
    )
    .await;
    token.as_str().expect("a token").to_owned()
}

// ---- Market data ----

#[tokio::test]
async fn ticker_subscription_answers_a_snapshot_then_pushes_in_upstreams_grammar() {
    bounded(async {
        let sandbox = sandbox().await;
        let token = login(&sandbox, "ticker@example.com").await;
        let mut ws = connect(&ws_url(&sandbox, &format!("/apiQuote/quote?token={token}"))).await;
        send_json(
            &mut ws,
            &request(14000, 7, json!({"symbol_list": two_products()})),
        )
        .await;
        let reply = next_reply(&mut ws, "the 14001 snapshot").await;
        assert_eq!(reply["ret"], 200, "{reply}");
        assert_eq!(reply["msg"], "ok");
        assert_eq!(reply["cmd_id"], 14001);
        assert_eq!(reply["seq_id"], 7);
        assert_eq!(reply["ext"], "ext-7");
        let ticks = reply["data"]["tick_list"].as_array().expect("tick_list");
        assert_eq!(ticks.len(), 2);
        let mut digits = HashMap::new();
        let mut last_seq = HashMap::new();
        for tick in ticks {
            let id = tick["symbol_id"].as_u64().expect("symbol_id");
            let d = tick["price_digits"].as_u64().expect("price_digits") as usize;
            assert_decimal(tick["price"].as_str().expect("price"), d);
            assert_eq!(tick["tick_deep"].as_array().map(Vec::len), Some(1));
            digits.insert(id, d);
            last_seq.insert(id, tick["seq"].as_u64().expect("seq"));
        }
        let mut seen = HashMap::new();
        while seen.values().copied().min().unwrap_or(0) < 5 || seen.len() < 2 {
            let push = next_text(&mut ws, "a ticker push").await;
            let fields = push_fields(&push, "p");
            assert_eq!(fields.len(), 10, "{push}");
            let id = assert_integer(fields[0]);
            assert_eq!((fields[1], fields[2]), ("3", "1"), "{push}");
            let seq = assert_integer(fields[3]);
            assert!(seq > last_seq[&id], "seq increases: {push}");
            last_seq.insert(id, seq);
            assert_integer(fields[4]);
            for price in &fields[5..8] {
                assert_decimal(price, digits[&id]);
            }
            let [price, bid, ask] =
                [fields[5], fields[6], fields[7]].map(|p| p.parse::<f64>().expect("a price"));
            assert!(bid < price && price < ask, "{push}");
            assert_integer(fields[8]);
            assert_integer(fields[9]);
            *seen.entry(id).or_insert(0) += 1;
        }
    })
    .await;
}

#[tokio::test]
async fn market_subscription_pushes_depth_and_trades_and_replaces_the_previous_one() {
    bounded(async {
        let sandbox = sandbox().await;
        let mut ws = connect(&ws_url(&sandbox, "/apiQuote/quote_guest")).await;
        let first = json!({"symbol_list": [{"symbol_id": 4, "trade_type": 3, "trade_mode": 1}]});
        send_json(&mut ws, &request(14010, 1, first)).await;
        assert_eq!(next_reply(&mut ws, "the first snapshot").await["ret"], 200);
        let symbols = json!({"symbol_list": [{
            "symbol_id": 2, "trade_type": 3, "trade_mode": 1, "depth_level": 3,
            "merge_accuracy": "0.001", "trade_info_count": 2,
        }]});
        send_json(&mut ws, &request(14010, 2, symbols)).await;
        let reply = next_reply(&mut ws, "the 14011 snapshot").await;
        assert_eq!(
            (reply["ret"].clone(), reply["cmd_id"].clone()),
            (json!(200), json!(14011))
        );
        let tick = &reply["data"]["tick_list"][0];
        assert_eq!(tick["bid_deep"].as_array().map(Vec::len), Some(3), "{tick}");
        assert_eq!(tick["ask_deep"].as_array().map(Vec::len), Some(3));
        assert_eq!(tick["trade_info"].as_array().map(Vec::len), Some(2));
        let digits = tick["price_digits"].as_u64().expect("digits") as usize;
        let mut seq = tick["seq"].as_u64().expect("seq");
        let (mut depths, mut trades) = (0, 0);
        while depths < 5 || trades < 5 {
            let push = next_text(&mut ws, "a market push").await;
            if push.starts_with("pd(") {
                let (head, book) = push.split_once(");").expect("pd head");
                let head = format!("{head});");
                let fields = push_fields(&head, "pd");
                assert_eq!(fields.len(), 5, "{push}");
                assert_eq!(fields[0], "2", "only the latest subscription: {push}");
                let this = assert_integer(fields[3]);
                assert!(this > seq, "seq increases: {push}");
                seq = this;
                let sides: Vec<&str> = book.split(';').collect();
                assert_eq!(sides.len(), 3, "bids;asks; — {push}");
                assert_eq!(sides[2], "", "ends with `;`: {push}");
                for side in &sides[..2] {
                    let levels: Vec<&str> = side
                        .strip_prefix('(')
                        .and_then(|s| s.strip_suffix(')'))
                        .expect("(price,volume)...")
                        .split(")(")
                        .collect();
                    assert_eq!(levels.len(), 3, "{push}");
                    for level in levels {
                        let (price, volume) = level.split_once(',').expect("price,volume");
                        assert_decimal(price, digits);
                        assert_integer(volume);
                    }
                }
                depths += 1;
            } else {
                let fields = push_fields(&push, "pt");
                assert_eq!(fields.len(), 8, "{push}");
                assert_eq!(assert_integer(fields[3]), seq, "pt shares pd's seq: {push}");
                assert_decimal(fields[5], digits);
                assert_integer(fields[6]);
                assert!(["1", "2"].contains(&fields[7]), "{push}");
                trades += 1;
            }
        }
    })
    .await;
}

#[tokio::test]
async fn cancel_stops_the_pushes() {
    bounded(async {
        let sandbox = sandbox().await;
        let mut ws = connect(&ws_url(&sandbox, "/apiQuote/quote_guest")).await;
        send_json(
            &mut ws,
            &request(14000, 1, json!({"symbol_list": two_products()})),
        )
        .await;
        next_reply(&mut ws, "the snapshot").await;
        assert!(next_text(&mut ws, "a push").await.starts_with("p("));
        send_json(&mut ws, &request(14006, 2, json!({"cancel_type": 1}))).await;
        let reply = next_reply(&mut ws, "the 14007 answer").await;
        assert_eq!(
            (reply["ret"].clone(), reply["cmd_id"].clone()),
            (json!(200), json!(14007))
        );
        // Ten push intervals go by without a push.
        let quiet = timeout(Duration::from_millis(200), ws.next()).await;
        assert!(quiet.is_err(), "a push after the cancel: {quiet:?}");
    })
    .await;
}

#[tokio::test]
async fn kline_answers_are_zlib_compressed_binary_frames() {
    bounded(async {
        let sandbox = sandbox().await;
        let mut ws = connect(&ws_url(&sandbox, "/apiQuote/quote_guest")).await;
        let data = json!({
            "symbol_id": 2, "trade_type": 3, "trade_mode": 1, "kline_type": 1,
            "kline_timestamp_end": 1_605_509_068, "query_kline_num": 100,
        });
        send_json(&mut ws, &request(14012, 9, data.clone())).await;
        let bytes = match next(&mut ws, "the 14013 answer").await {
            Some(Ok(Message::Binary(bytes))) => bytes,
            other => panic!("expected a binary frame, got {other:?}"),
        };
        let reply = inflate(&bytes);
        assert_eq!(
            (reply["ret"].clone(), reply["cmd_id"].clone()),
            (json!(200), json!(14013))
        );
        assert_eq!(
            (reply["seq_id"].clone(), reply["ext"].clone()),
            (json!(9), json!("ext-9"))
        );
        let bars = reply["data"]["kline_list"].as_array().expect("kline_list");
        assert_eq!(bars.len(), 100);
        let times: Vec<i64> = bars
            .iter()
            .map(|b| b["timestamp"].as_i64().expect("ts"))
            .collect();
        assert!(
            times.windows(2).all(|w| w[1] - w[0] == 60),
            "one minute apart, newest last"
        );
        let newest = *times.last().expect("bars");
        assert!(newest <= 1_605_509_068 && 1_605_509_068 < newest + 60);

        // The same query gives the same bars.
        send_json(&mut ws, &request(14012, 10, data)).await;
        let again = match next(&mut ws, "the same query again").await {
            Some(Ok(Message::Binary(bytes))) => inflate(&bytes),
            other => panic!("expected a binary frame, got {other:?}"),
        };
        assert_eq!(again["data"], reply["data"]);
    })
    .await;
}

#[tokio::test]
async fn bad_requests_get_201_and_202() {
    bounded(async {
        let sandbox = sandbox().await;
        let mut ws = connect(&ws_url(&sandbox, "/apiQuote/quote_guest")).await;
        let check = |reply: Value, ret: i64, cmd_id: u64, seq_id: u64| {
            assert_eq!(reply["ret"], ret, "{reply}");
            assert_eq!(reply["cmd_id"], cmd_id, "{reply}");
            assert_eq!(reply["seq_id"], seq_id, "{reply}");
        };
        ws.send(Message::text("not json")).await.expect("sent");
        let reply = next_reply(&mut ws, "201 for garbage").await;
        check(reply.clone(), 201, 0, 0);
        assert_eq!(reply["ext"], "");
        send_json(&mut ws, &json!({"cmd_id": 14008, "seq_id": 3, "data": {}})).await;
        check(next_reply(&mut ws, "201 without ext").await, 201, 14009, 3);

        let unknown =
            json!({"symbol_list": [{"symbol_id": 999_999, "trade_type": 1, "trade_mode": 1}]});
        send_json(&mut ws, &request(14000, 4, unknown)).await;
        check(
            next_reply(&mut ws, "202 for an unknown product").await,
            202,
            14001,
            4,
        );
        let many: Vec<Value> = (0..101)
            .map(|_| json!({"symbol_id": 2, "trade_type": 3, "trade_mode": 1}))
            .collect();
        send_json(&mut ws, &request(14010, 5, json!({"symbol_list": many}))).await;
        check(
            next_reply(&mut ws, "202 for 101 products").await,
            202,
            14011,
            5,
        );
        for (seq_id, count) in [(6, 0), (7, 1001)] {
            let data = json!({
                "symbol_id": 2, "trade_type": 3, "trade_mode": 1, "kline_type": 1,
                "query_kline_num": count,
            });
            send_json(&mut ws, &request(14012, seq_id, data)).await;
            let reply = match next(&mut ws, "202 for a bad K-line count").await {
                Some(Ok(Message::Binary(bytes))) => inflate(&bytes),
                other => panic!("expected a compressed answer, got {other:?}"),
            };
            check(reply, 202, 14013, seq_id);
        }
        let far = json!({
            "symbol_id": 2, "trade_type": 3, "trade_mode": 1, "kline_type": 10,
            "kline_timestamp_end": u64::MAX, "query_kline_num": 1000,
        });
        send_json(&mut ws, &request(14012, 9, far)).await;
        match next(&mut ws, "202 for an end beyond reason").await {
            Some(Ok(Message::Binary(bytes))) => check(inflate(&bytes), 202, 14013, 9),
            other => panic!("expected a compressed answer, got {other:?}"),
        }
        send_json(&mut ws, &request(12345, 8, json!({}))).await;
        check(
            next_reply(&mut ws, "202 for an unknown cmd_id").await,
            202,
            12346,
            8,
        );
        ws.send(Message::binary(vec![0xff, 0x00, 0x9c]))
            .await
            .expect("sent");
        check(next_reply(&mut ws, "201 for bytes").await, 201, 0, 0);
        send_json(&mut ws, &json!([1, 2, 3])).await;
        check(next_reply(&mut ws, "201 for an array").await, 201, 0, 0);
    })
    .await;
}

// On a paused clock, so the burst is within one second however loaded the machine is.
#[tokio::test(start_paused = true)]
async fn more_than_50_requests_a_second_get_500_and_injected_failures_answer_once() {
    bounded(async {
        let sandbox = sandbox().await;
        let mut ws = connect(&ws_url(&sandbox, "/apiQuote/quote_guest")).await;
        for seq_id in 0..60 {
            ws.feed(Message::text(request(14008, seq_id, json!({})).to_string()))
                .await
                .expect("queued");
        }
        ws.flush().await.expect("the burst is sent");
        let mut rets = Vec::new();
        for _ in 0..60 {
            let reply = next_reply(&mut ws, "an answer of the burst").await;
            if reply["ret"] == 500 {
                assert_eq!(reply["msg"], "request frequency too fast");
            }
            rets.push(reply["ret"].as_i64().expect("ret"));
        }
        assert_eq!(rets.iter().filter(|r| **r == 200).count(), 50, "{rets:?}");
        assert_eq!(rets.iter().filter(|r| **r == 500).count(), 10, "{rets:?}");
        assert_eq!(sandbox.stream_requests(Stream::MarketData).len(), 60);

        tokio::time::sleep(Duration::from_millis(1100)).await;
        sandbox.fail_next_quote_request(203, "client_ip_port is not exist");
        send_json(&mut ws, &request(14008, 100, json!({}))).await;
        let reply = next_reply(&mut ws, "the injected failure").await;
        assert_eq!(reply["ret"], 203);
        assert_eq!(reply["msg"], "client_ip_port is not exist");
        assert_eq!(reply["cmd_id"], 14009);
        send_json(&mut ws, &request(14008, 101, json!({}))).await;
        assert_eq!(next_reply(&mut ws, "the next answer").await["ret"], 200);
    })
    .await;
}

#[tokio::test]
async fn registered_routes_refuse_a_missing_or_unknown_token_with_401() {
    bounded(async {
        let sandbox = sandbox().await;
        assert_eq!(refused(ws_url(&sandbox, "/apiQuote/quote")).await, 401);
        assert_eq!(
            refused(ws_url(&sandbox, "/apiQuote/quote_stock?token=nope")).await,
            401
        );
        let token = login(&sandbox, "stock@example.com").await;
        connect(&ws_url(
            &sandbox,
            &format!("/apiQuote/quote_stock?token={token}"),
        ))
        .await;
        connect(&ws_url(&sandbox, "/apiQuote/quote_guest")).await;
        assert_eq!(sandbox.stream_connections(Stream::MarketData), 2);
    })
    .await;
}

#[tokio::test(start_paused = true)]
async fn a_silent_market_data_connection_is_closed_after_30_seconds() {
    bounded_for(Duration::from_secs(600), async {
        let sandbox = Sandbox::start(Config::default()).await.expect("starts");
        let mut ws = connect(&ws_url(&sandbox, "/apiQuote/quote_guest")).await;
        let opened = Instant::now();
        let (code, reason) = next_close_within(300, &mut ws, "the heartbeat cut-off").await;
        assert_eq!((code, reason.as_str()), (4000, "heartbeat timeout"));
        let after = opened.elapsed();
        assert!(
            (Duration::from_secs(30)..Duration::from_secs(32)).contains(&after),
            "closed after {after:?}"
        );
    })
    .await;
}

#[tokio::test(start_paused = true)]
async fn heartbeats_keep_a_market_data_connection_open_past_30_seconds() {
    bounded_for(Duration::from_secs(600), async {
        let sandbox = Sandbox::start(Config::default()).await.expect("starts");
        let mut ws = connect(&ws_url(&sandbox, "/apiQuote/quote_guest")).await;
        let opened = Instant::now();
        for seq_id in 0..8 {
            tokio::time::sleep(Duration::from_secs(10)).await;
            send_json(&mut ws, &request(14008, seq_id, json!({}))).await;
            let reply = within(300, "a heartbeat answer", next_reply(&mut ws, "14009")).await;
            assert_eq!(
                (reply["ret"].clone(), reply["cmd_id"].clone()),
                (json!(200), json!(14009))
            );
        }
        assert!(opened.elapsed() >= Duration::from_secs(80));
        let requests = sandbox.stream_requests(Stream::MarketData);
        assert_eq!(requests.len(), 8);
        assert!(
            requests
                .windows(2)
                .all(|w| w[1] - w[0] >= Duration::from_secs(10))
        );
    })
    .await;
}

#[tokio::test]
async fn market_data_faults_cut_stall_or_garble_the_next_frame() {
    bounded(async {
        let sandbox = sandbox().await;
        let subscribe = request(14000, 1, json!({"symbol_list": two_products()}));

        let mut ws = connect(&ws_url(&sandbox, "/apiQuote/quote_guest")).await;
        send_json(&mut ws, &subscribe).await;
        next_reply(&mut ws, "the snapshot").await;
        sandbox.inject(Stream::MarketData, StreamFault::MalformedFrame);
        let mut texts = Vec::new();
        while texts.len() < 4 {
            texts.push(next_text(&mut ws, "pushes around the garbage").await);
        }
        let garbage = texts
            .iter()
            .position(|t| t == "p(1,2")
            .expect("the malformed frame");
        assert!(
            texts[garbage + 1..]
                .iter()
                .all(|t| t.starts_with("p(") && t.ends_with(");"))
        );

        sandbox.inject(Stream::MarketData, StreamFault::DropMidFrame);
        loop {
            match next(&mut ws, "the cut frame").await {
                Some(Ok(Message::Text(text))) => {
                    assert!(text.ends_with(");"), "a whole frame before the cut: {text}")
                }
                Some(Err(_)) | None => break,
                other => panic!("expected the connection to break, got {other:?}"),
            }
        }

        let mut ws = connect(&ws_url(&sandbox, "/apiQuote/quote_guest")).await;
        send_json(&mut ws, &subscribe).await;
        next_reply(&mut ws, "the snapshot").await;
        sandbox.inject(Stream::MarketData, StreamFault::Stall);
        // At most the push in flight, then silence, though the client asks.
        send_json(&mut ws, &request(14008, 2, json!({}))).await;
        let silence = async {
            while let Some(Ok(message)) = ws.next().await {
                if let Message::Text(text) = &message {
                    assert!(
                        text.starts_with("p("),
                        "nothing but a push in flight: {text}"
                    );
                }
            }
        };
        assert!(timeout(Duration::from_millis(300), silence).await.is_err());
        assert_eq!(sandbox.stream_connections(Stream::MarketData), 2);
    })
    .await;
}

// ---- Open API messages ----

fn message(msg_type: &str, token: &str, seq_id: u64, data: Option<Value>) -> Value {
    let mut message = json!({
        "head": {"msgType": msg_type, "token": token, "sendTime": 1_628_899_424_051_u64, "lang": "en-US"},
        "device": 1, "seqId": seq_id, "trace": format!("trace-{seq_id}"),
    });
    if let Some(data) = data {
        message["data"] = data;
    }
    message
}

fn assert_answer(answer: &Value, msg_code: &str, seq_id: u64, code: &str) {
    assert_eq!(answer["msgCode"], msg_code, "{answer}");
    assert_eq!(answer["seqId"], seq_id, "{answer}");
    assert_eq!(answer["trace"], format!("trace-{seq_id}"), "{answer}");
    assert_eq!(answer["content"]["code"], code, "{answer}");
    assert!(answer["timestamp"].is_i64(), "{answer}");
}

#[tokio::test]
async fn open_messages_login_subscribe_receive_trades_and_logout() {
    bounded(async {
        let sandbox = sandbox().await;
        let token = msg_token(&sandbox).await;
        assert!(token.ends_with("app"), "{token}");
        let mut ws = connect(&ws_url(&sandbox, "/openapi-c/openMsg/sandbox-app")).await;

        send_json(&mut ws, &message("ping", &token, 1, None)).await;
        let answer = next_json(&mut ws, "a ping before login").await;
        assert_answer(&answer, "pong", 1, "401");
        assert_eq!(answer["content"]["msg"], "token invalid");
        send_json(&mut ws, &message("login", "not-a-token", 2, None)).await;
        assert_answer(&next_json(&mut ws, "a bad login").await, "login", 2, "401");

        send_json(&mut ws, &message("login", &token, 3, None)).await;
        let answer = next_json(&mut ws, "the login").await;
        assert_answer(&answer, "login", 3, "0");
        assert_eq!(answer["content"]["msg"], "success");
        send_json(&mut ws, &message("ping", &token, 4, None)).await;
        assert_answer(&next_json(&mut ws, "a ping").await, "pong", 4, "0");
        let subscribe = message(
            "subscribe_asset",
            &token,
            5,
            Some(json!({"tradeTypes": "1,2"})),
        );
        send_json(&mut ws, &subscribe).await;
        assert_answer(
            &next_json(&mut ws, "the subscription").await,
            "subscribe_asset",
            5,
            "0",
        );

        let trade = |trade_type: i64, order_id: &str| {
            json!({
                "accountId": 1_034_124, "companyId": 421, "customerId": 2482,
                "bizType": "POSITION_OPEN", "tradeType": trade_type,
                "paramMap": {"orderId": order_id, "symbolId": "8390", "orderStatus": "2"},
            })
        };
        sandbox.emit_trade_message(trade(5, "not-subscribed"));
        sandbox.emit_trade_message(trade(2, "21257491"));
        let pushed = next_json(&mut ws, "the trade message").await;
        assert_eq!(pushed["msgCode"], "trade", "{pushed}");
        assert_eq!(pushed["content"], trade(2, "21257491"));
        assert!(
            pushed["timestamp"].is_i64() && pushed["seqId"].is_u64() && pushed["trace"].is_string()
        );

        let cancel = message(
            "cancel_subscribe_asset",
            &token,
            6,
            Some(json!({"tradeTypes": "2"})),
        );
        send_json(&mut ws, &cancel).await;
        assert_answer(
            &next_json(&mut ws, "the cancel").await,
            "cancel_subscribe_asset",
            6,
            "0",
        );
        sandbox.emit_trade_message(trade(2, "after-cancel"));
        sandbox.emit_trade_message(trade(1, "still-subscribed"));
        let pushed = next_json(&mut ws, "the trade of mode 1").await;
        assert_eq!(pushed["content"]["paramMap"]["orderId"], "still-subscribed");

        send_json(&mut ws, &message("logout", &token, 7, None)).await;
        assert_answer(&next_json(&mut ws, "the logout").await, "logout", 7, "0");
        assert_eq!(next_close(&mut ws, "the close after logout").await.0, 1000);
        assert_eq!(sandbox.stream_requests(Stream::OpenMessages).len(), 7);
    })
    .await;
}

#[tokio::test]
async fn open_messages_refuse_expired_tokens_and_garbage_without_closing() {
    bounded(async {
        let sandbox = sandbox().await;
        let token = msg_token(&sandbox).await;
        let mut ws = connect(&ws_url(&sandbox, "/openapi-c/openMsg/app")).await;
        send_json(&mut ws, &message("login", &token, 1, None)).await;
        assert_answer(&next_json(&mut ws, "the login").await, "login", 1, "0");
        ws.send(Message::text("garbage")).await.expect("sent");
        let answer = next_json(&mut ws, "the answer to garbage").await;
        assert_eq!(answer["content"]["code"], "400", "{answer}");

        sandbox.advance_clock(Duration::from_secs(25 * 60 * 60));
        send_json(&mut ws, &message("ping", &token, 2, None)).await;
        assert_answer(
            &next_json(&mut ws, "a ping with an expired token").await,
            "pong",
            2,
            "401",
        );
        send_json(&mut ws, &message("login", &token, 3, None)).await;
        assert_answer(
            &next_json(&mut ws, "a login with it").await,
            "login",
            3,
            "401",
        );
    })
    .await;
}

#[tokio::test(start_paused = true)]
async fn a_silent_open_messages_session_is_closed_after_45_seconds() {
    bounded_for(Duration::from_secs(600), async {
        let sandbox = Sandbox::start(Config::default()).await.expect("starts");
        let mut ws = connect(&ws_url(&sandbox, "/openapi-c/openMsg/app")).await;
        let opened = Instant::now();
        let (code, reason) = next_close_within(300, &mut ws, "the heartbeat cut-off").await;
        assert_eq!((code, reason.as_str()), (4000, "heartbeat timeout"));
        assert!(opened.elapsed() >= Duration::from_secs(45));
    })
    .await;
}

// ---- Manager Data Push ----

async fn data_push(sandbox: &Sandbox, group: Option<&str>) -> Ws {
    let mut request = ws_url(sandbox, "/openapi-b/ws")
        .into_client_request()
        .expect("a request");
    let token = HeaderValue::from_str(&sandbox.config().manager_token).expect("a header");
    request.headers_mut().insert("token", token);
    if let Some(group) = group {
        let group = HeaderValue::from_str(group).expect("a header");
        request.headers_mut().insert("group", group);
    }
    let (ws, _) = within(10, "the Data Push handshake", connect_async(request))
        .await
        .expect("the handshake succeeds");
    ws
}

/// The next event: (eventType, data).
async fn next_event(ws: &mut Ws, what: &str) -> (String, Value) {
    let frame = next_json(ws, what).await;
    let event_type = frame["eventType"].as_str().expect("eventType").to_owned();
    (event_type, frame["data"].clone())
}

/// Asserts nothing arrives for a while.
async fn quiet(ws: &mut Ws) {
    let arrived = timeout(Duration::from_millis(200), ws.next()).await;
    assert!(arrived.is_err(), "expected nothing, got {arrived:?}");
}

#[tokio::test]
async fn data_push_needs_the_manager_token() {
    bounded(async {
        let sandbox = sandbox().await;
        assert_eq!(refused(ws_url(&sandbox, "/openapi-b/ws")).await, 401);
        let mut request = ws_url(&sandbox, "/openapi-b/ws")
            .into_client_request()
            .expect("a request");
        request
            .headers_mut()
            .insert("token", HeaderValue::from_static("wrong"));
        assert_eq!(refused(request).await, 401);
        assert_eq!(sandbox.stream_connections(Stream::DataPush), 0);
    })
    .await;
}

#[tokio::test]
async fn a_group_gets_only_events_from_its_first_connection_on_and_those_it_missed_offline() {
    bounded(async {
        let sandbox = sandbox().await;
        sandbox.emit_data_push("kyc", json!({"n": 0}));
        let mut ws = data_push(&sandbox, Some("cats")).await;
        sandbox.emit_data_push("kyc", json!({"n": 1}));
        assert_eq!(
            next_event(&mut ws, "the first event").await.1,
            json!({"n": 1})
        );
        ws.close(None).await.expect("closed");
        drop(ws);

        for n in 2..=4 {
            sandbox.emit_data_push("kyc", json!({"n": n}));
        }
        let mut ws = data_push(&sandbox, Some("cats")).await;
        for n in 2..=4 {
            assert_eq!(
                next_event(&mut ws, "a missed event").await.1,
                json!({"n": n})
            );
        }
        quiet(&mut ws).await;

        // A group without a name is new each time: it gets only what comes next.
        let mut anonymous = data_push(&sandbox, None).await;
        sandbox.emit_data_push("kyc", json!({"n": 5}));
        assert_eq!(
            next_event(&mut anonymous, "anonymous").await.1,
            json!({"n": 5})
        );
        assert_eq!(
            next_event(&mut ws, "the named group too").await.1,
            json!({"n": 5})
        );
    })
    .await;
}

#[tokio::test]
async fn a_frame_cut_mid_way_is_delivered_once_on_the_next_connection() {
    bounded(async {
        let sandbox = sandbox().await;
        let mut ws = data_push(&sandbox, Some("g")).await;
        sandbox.emit_data_push("deposit", json!({"n": 1}));
        assert_eq!(
            next_event(&mut ws, "before the fault").await.1,
            json!({"n": 1})
        );
        sandbox.inject(Stream::DataPush, StreamFault::DropMidFrame);
        sandbox.emit_data_push("deposit", json!({"n": 2}));
        match next(&mut ws, "the cut frame").await {
            Some(Err(_)) | None => {}
            other => panic!("expected the connection to break, got {other:?}"),
        }
        let mut ws = data_push(&sandbox, Some("g")).await;
        assert_eq!(
            next_event(&mut ws, "the cut event").await.1,
            json!({"n": 2})
        );
        sandbox.emit_data_push("deposit", json!({"n": 3}));
        assert_eq!(
            next_event(&mut ws, "the next event").await.1,
            json!({"n": 3})
        );
        quiet(&mut ws).await;
    })
    .await;
}

#[tokio::test]
async fn a_second_connection_of_a_group_takes_it_over_with_4001() {
    bounded(async {
        let sandbox = sandbox().await;
        let mut first = data_push(&sandbox, Some("cats")).await;
        sandbox.emit_data_push("kyc", json!({"n": 1}));
        assert_eq!(
            next_event(&mut first, "to the first").await.1,
            json!({"n": 1})
        );
        let mut second = data_push(&sandbox, Some("cats")).await;
        let (code, reason) = next_close(&mut first, "the take-over").await;
        assert_eq!(code, 4001);
        assert_eq!(reason, "group cats taken over by another connection");
        sandbox.emit_data_push("kyc", json!({"n": 2}));
        assert_eq!(
            next_event(&mut second, "to the second").await.1,
            json!({"n": 2})
        );
        assert_eq!(sandbox.stream_connections(Stream::DataPush), 2);
    })
    .await;
}

#[tokio::test]
async fn data_push_answers_ping_with_a_pong_and_carries_the_sandboxs_own_events() {
    bounded(async {
        let sandbox = sandbox().await;
        let mut ws = data_push(&sandbox, Some("ops")).await;
        ws.send(Message::text("ping")).await.expect("sent");
        let pong = within(10, "the pong", ws.next()).await;
        match pong {
            Some(Ok(Message::Pong(payload))) => assert_eq!(&payload[..], b"pong"),
            other => panic!("expected a pong, got {other:?}"),
        }

        let customer_no = register(&sandbox, "pushed@example.com").await;
        let (event_type, data) = next_event(&mut ws, "register").await;
        assert_eq!(event_type, "register");
        assert_eq!(data["customerNo"], customer_no.as_str());
        assert_eq!(data["email"], "pushed@example.com");
        let (event_type, account) = next_event(&mut ws, "open_account").await;
        assert_eq!(event_type, "open_account");
        assert_eq!(account["currencyCode"], "USDT");
        let account_id: i64 = account["id"].as_str().expect("id").parse().expect("number");

        let token = sandbox.config().manager_token.clone();
        post(
            &sandbox,
            "/openapi-b/fund.admin.CustomerAdjustProposalAdminDubboService.addCustomerAdjustProposal",
            &[("token", token.as_str())],
            &json!({
                "customerNo": customer_no, "accountId": account_id, "accountCurrency": "USDT",
                "tradeType": 1, "amount": 12.5,
            }),
        )
        .await;
        let (event_type, data) = next_event(&mut ws, "account_adjust").await;
        assert_eq!(event_type, "account_adjust");
        assert_eq!((data["accountId"].clone(), data["amount"].clone()), (json!(account_id), json!(12.5)));

        sandbox
            .simulate_deposit(&customer_no, account_id, Decimal::new(50, 0))
            .expect("a deposit");
        let (event_type, data) = next_event(&mut ws, "deposit").await;
        assert_eq!(event_type, "deposit");
        assert_eq!(data["finalAmount"], json!(50));
        assert_eq!(sandbox.balance(&customer_no, account_id), Some(Decimal::new(625, 1)));
        assert!(sandbox.simulate_deposit("nobody", account_id, Decimal::ONE).is_err());
        assert!(sandbox.simulate_deposit(&customer_no, 1, Decimal::ONE).is_err());
        assert!(sandbox.simulate_deposit(&customer_no, account_id, Decimal::ZERO).is_err());
    })
    .await;
}

#[tokio::test]
async fn a_malformed_data_push_frame_is_followed_by_the_event() {
    bounded(async {
        let sandbox = sandbox().await;
        let mut ws = data_push(&sandbox, Some("g")).await;
        sandbox.inject(Stream::DataPush, StreamFault::MalformedFrame);
        sandbox.emit_data_push("kyc", json!({"n": 1}));
        assert_eq!(next_text(&mut ws, "the garbage").await, "{\"eventType\":");
        assert_eq!(next_event(&mut ws, "the event").await.1, json!({"n": 1}));
    })
    .await;
}

#[tokio::test(start_paused = true)]
async fn a_silent_data_push_connection_is_closed_after_30_seconds() {
    bounded_for(Duration::from_secs(600), async {
        let sandbox = Sandbox::start(Config::default()).await.expect("starts");
        let mut ws = data_push(&sandbox, Some("quiet")).await;
        let opened = Instant::now();
        let (code, reason) = next_close_within(300, &mut ws, "the heartbeat cut-off").await;
        assert_eq!((code, reason.as_str()), (4000, "heartbeat timeout"));
        assert!(opened.elapsed() >= Duration::from_secs(30));
    })
    .await;
}

#[tokio::test]
async fn a_stalled_group_is_taken_over_and_its_event_delivered_to_the_new_connection() {
    bounded(async {
        let sandbox = sandbox().await;
        let mut stalled = data_push(&sandbox, Some("g")).await;
        sandbox.inject(Stream::DataPush, StreamFault::Stall);
        sandbox.emit_data_push("kyc", json!({"n": 1}));
        stalled.send(Message::text("ping")).await.expect("sent");
        quiet(&mut stalled).await;
        // The client gives up on it without closing it, and connects again.
        let mut ws = data_push(&sandbox, Some("g")).await;
        assert_eq!(
            next_event(&mut ws, "the stalled event").await.1,
            json!({"n": 1})
        );
        ws.send(Message::text("ping")).await.expect("sent");
        match within(10, "the pong", ws.next()).await {
            Some(Ok(Message::Pong(payload))) => assert_eq!(&payload[..], b"pong"),
            other => panic!("expected a pong, got {other:?}"),
        }
        // The stalled connection is dropped without a close frame.
        match next(&mut stalled, "the end of the stalled connection").await {
            Some(Err(_)) | None => {}
            other => panic!("expected the connection to end, got {other:?}"),
        }
    })
    .await;
}

#[tokio::test]
async fn dropping_the_sandbox_ends_every_stream_connection() {
    bounded(async {
        let sandbox = sandbox().await;
        let mut quotes = connect(&ws_url(&sandbox, "/apiQuote/quote_guest")).await;
        let mut messages = connect(&ws_url(&sandbox, "/openapi-c/openMsg/app")).await;
        let mut push = data_push(&sandbox, Some("g")).await;
        drop(sandbox);
        for ws in [&mut quotes, &mut messages, &mut push] {
            match next(ws, "the end of the connection").await {
                Some(Err(_)) | None => {}
                other => panic!("expected the connection to end, got {other:?}"),
            }
        }
    })
    .await;
}

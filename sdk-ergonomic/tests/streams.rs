//! The three streams against the sandbox: subscribe, receive, cancel; reconnection with
//! resubscription; heartbeats on the sandbox's paused clock; the lag policy; limits; error
//! replies; Data Push without loss or duplicates; clean close.

use std::time::Duration;

use futures::StreamExt;
use mm_sdk::enums::{self, TradeMode};
use mm_sdk::ids::SymbolId;
use mm_sdk::sandbox::{Config, Sandbox, Stream, StreamFault};
use mm_sdk::streams::{
    Bars, DataPushEvent, Events, Gap, KlineType, MarketEvent, OpenEvent, Options, Product,
    QuoteFeed, ReplyCode, StreamError,
};
use mm_sdk::{LoginToken, ManagerToken, MultiMarkets};
use mm_sdk_test_support::sandbox as support;
use serde_json::json;

use crate::common::{bounded, quick};

/// USDCHF, the first product of the sandbox's catalogue (`product_list`'s example).
const USDCHF: Product = Product {
    symbol_id: SymbolId::new(2),
    trade_type: enums::TradeType::LeveragedCrossMargin,
    trade_mode: TradeMode::MarketMaker,
};
/// GBPUSD, the second.
const GBPUSD: Product = Product {
    symbol_id: SymbolId::new(4),
    trade_type: enums::TradeType::LeveragedCrossMargin,
    trade_mode: TradeMode::MarketMaker,
};

async fn sandbox(config: Config) -> (Sandbox, MultiMarkets) {
    let sandbox = Sandbox::start(config).await.unwrap();
    let mm = quick(mm_sdk::sandbox::builder(&sandbox)).build().unwrap();
    (sandbox, mm)
}

/// The `kyc` event of the docs' example, with `id`.
fn kyc(id: &str) -> serde_json::Value {
    let mut message = crate::common::example("streams/data_push_kyc.json");
    let mut data = message["data"].take();
    data["id"] = json!(id);
    data
}

fn fast_quotes() -> Config {
    Config {
        quote_interval: Duration::from_millis(10),
        ..Config::default()
    }
}

/// The next item, failing the test with `what` if none comes within 40 s of (virtual) time:
/// a stall is only detected after 30 s.
async fn next<E: std::fmt::Debug>(events: &mut Events<E>, what: &str) -> Result<E, StreamError> {
    match tokio::time::timeout(Duration::from_secs(40), events.next()).await {
        Ok(Some(item)) => item,
        Ok(None) => panic!("the stream ended while waiting for {what}"),
        Err(_) => panic!("no item within 40 s while waiting for {what}"),
    }
}

/// Skips items until `wanted` matches one; fails after 200 items.
async fn until<E: std::fmt::Debug>(
    events: &mut Events<E>,
    what: &str,
    wanted: impl Fn(&Result<E, StreamError>) -> bool,
) -> Result<E, StreamError> {
    for _ in 0..200 {
        let item = next(events, what).await;
        if wanted(&item) {
            return item;
        }
    }
    panic!("200 items and still no {what}");
}

#[tokio::test]
async fn ticker_subscription_delivers_its_snapshot_then_pushes_until_cancelled() {
    bounded(async {
        let (sandbox, mm) = sandbox(fast_quotes()).await;
        let (quotes, mut events) = mm.market_data().connect().await.unwrap();
        quotes.subscribe_tickers([USDCHF]).await.unwrap();

        let snapshot = next(&mut events, "the snapshot").await.unwrap();
        let MarketEvent::TickerSnapshot(ticks) = snapshot else {
            panic!("expected the snapshot first, got {snapshot:?}");
        };
        assert_eq!(ticks.len(), 1);
        assert_eq!(
            (ticks[0].symbol_id, ticks[0].trade_type),
            (USDCHF.symbol_id, USDCHF.trade_type)
        );

        let mut last_seq = 0;
        for _ in 0..5 {
            match next(&mut events, "a ticker push").await.unwrap() {
                MarketEvent::Ticker(push) => {
                    assert_eq!(push.product.symbol_id, USDCHF.symbol_id);
                    assert!(
                        push.seq > last_seq,
                        "seq goes up: {} then {}",
                        last_seq,
                        push.seq
                    );
                    assert!(
                        push.bid <= push.ask,
                        "bid {} above ask {}",
                        push.bid,
                        push.ask
                    );
                    last_seq = push.seq;
                }
                other => panic!("expected a ticker push, got {other:?}"),
            }
        }

        quotes.cancel_all().await.unwrap();
        // Whatever was in flight drains; then nothing more comes.
        tokio::time::sleep(Duration::from_millis(100)).await;
        while let Some(Some(_)) = futures::FutureExt::now_or_never(events.next()) {}
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(
            futures::FutureExt::now_or_never(events.next()).is_none(),
            "a push arrived after the cancellation"
        );
        assert_eq!(sandbox.stream_connections(Stream::MarketData), 1);
    })
    .await;
}

#[tokio::test]
async fn depth_subscription_delivers_depth_and_trades() {
    bounded(async {
        let (_sandbox, mm) = sandbox(fast_quotes()).await;
        let (quotes, mut events) = mm.market_data().connect().await.unwrap();
        let symbol = mm::market_symbol(GBPUSD, 3);
        quotes.subscribe_market([symbol]).await.unwrap();
        let snapshot = next(&mut events, "the depth snapshot").await.unwrap();
        assert!(matches!(snapshot, MarketEvent::MarketSnapshot(ref ticks) if ticks.len() == 1));
        let depth = until(&mut events, "a depth push", |item| {
            matches!(item, Ok(MarketEvent::Depth(_)))
        })
        .await
        .unwrap();
        let MarketEvent::Depth(depth) = depth else {
            unreachable!()
        };
        assert_eq!(depth.product.symbol_id, GBPUSD.symbol_id);
        assert_eq!(depth.bids.len(), 3, "the requested depth level");
        until(&mut events, "a trade push", |item| {
            matches!(item, Ok(MarketEvent::Trade(_)))
        })
        .await
        .unwrap();
    })
    .await;
}

mod mm {
    use mm_sdk::streams::{Product, types};

    /// A depth subscription of `levels` levels, merged at 0.0001, with 5 trades.
    pub fn market_symbol(product: Product, levels: u32) -> types::MarketSymbol {
        types::MarketSymbol {
            symbol_id: product.symbol_id,
            trade_type: product.trade_type,
            trade_mode: product.trade_mode,
            depth_level: Some(levels),
            merge_accuracy: "0.0001".parse().unwrap(),
            trade_info_count: 5,
        }
    }
}

#[tokio::test]
async fn klines_arrive_inflated_and_typed() {
    bounded(async {
        let (_sandbox, mm) = sandbox(Config::default()).await;
        let (quotes, _events) = mm.market_data().connect().await.unwrap();
        let history = quotes
            .klines(USDCHF, KlineType::Minute5, Bars::Latest(120))
            .await
            .unwrap();
        assert_eq!(history.kline_list.len(), 120);
        let times: Vec<u64> = history
            .kline_list
            .iter()
            .map(|k| k.timestamp.unwrap())
            .collect();
        assert!(
            times.windows(2).all(|w| w[1] - w[0] == 300),
            "5-minute bars, oldest first"
        );
        let bar = &history.kline_list[0];
        let (high, low) = (bar.high_price.unwrap(), bar.low_price.unwrap());
        assert!(low <= high, "low {low} above high {high}");
    })
    .await;
}

#[tokio::test]
async fn limits_are_enforced_before_anything_is_sent() {
    bounded(async {
        let (sandbox, mm) = sandbox(Config::default()).await;
        let (quotes, _events) = mm.market_data().connect().await.unwrap();
        let before = sandbox.stream_requests(Stream::MarketData).len();
        let products = (1..=101).map(|symbol_id| Product {
            symbol_id: SymbolId::new(symbol_id),
            ..USDCHF
        });
        let refused = quotes.subscribe_tickers(products).await.unwrap_err();
        assert_eq!(
            refused,
            StreamError::TooManyProducts {
                limit: 100,
                requested: 101
            }
        );
        let refused = quotes
            .klines(USDCHF, KlineType::Minute1, Bars::Latest(1001))
            .await
            .unwrap_err();
        assert_eq!(
            refused,
            StreamError::TooManyBars {
                limit: 1000,
                requested: 1001
            }
        );
        assert_eq!(sandbox.stream_requests(Stream::MarketData).len(), before);
    })
    .await;
}

#[tokio::test(start_paused = true)]
async fn requests_are_paced_under_fifty_per_second() {
    bounded(async {
        let (sandbox, mm) = sandbox(Config::default()).await;
        let (quotes, _events) = mm.market_data().connect().await.unwrap();
        for i in 0..120 {
            let product = if i % 2 == 0 { USDCHF } else { GBPUSD };
            // Every answer is 200: the sandbox answers 500 beyond 50 requests per second.
            quotes.subscribe_tickers([product]).await.unwrap();
            quotes.unsubscribe_tickers([product]).await.unwrap();
        }
        let sent = sandbox.stream_requests(Stream::MarketData);
        assert!(sent.len() >= 240);
        for (i, at) in sent.iter().enumerate().skip(50) {
            assert!(
                *at - sent[i - 50] >= Duration::from_secs(1),
                "requests {} and {i} within one second",
                i - 50
            );
        }
    })
    .await;
}

#[tokio::test]
async fn each_documented_error_reply_is_a_typed_error() {
    bounded(async {
        let (sandbox, mm) = sandbox(Config::default()).await;
        let (quotes, _events) = mm.market_data().connect().await.unwrap();
        for (ret, code) in [
            (201, ReplyCode::HeaderInvalid),
            (202, ReplyCode::DataInvalid),
            (203, ReplyCode::UnknownClient),
            (500, ReplyCode::Failed),
        ] {
            sandbox.fail_next_quote_request(ret, "refused by the test");
            let error = quotes.subscribe_tickers([USDCHF]).await.unwrap_err();
            assert_eq!(
                error,
                StreamError::Rejected {
                    request: "ticker subscription",
                    code,
                    message: "refused by the test".into()
                }
            );
        }
        // An unknown product is the server's 202, not a client-side error.
        let unknown = Product {
            symbol_id: SymbolId::new(999_999),
            ..USDCHF
        };
        let error = quotes.subscribe_tickers([unknown]).await.unwrap_err();
        assert!(
            matches!(
                error,
                StreamError::Rejected {
                    code: ReplyCode::DataInvalid,
                    ..
                }
            ),
            "{error:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_connection_dropped_mid_frame_reconnects_and_resubscribes() {
    bounded(async {
        let (sandbox, mm) = sandbox(fast_quotes()).await;
        let (quotes, mut events) = mm.market_data().connect().await.unwrap();
        quotes.subscribe_tickers([USDCHF]).await.unwrap();
        until(&mut events, "a ticker push", |item| {
            matches!(item, Ok(MarketEvent::Ticker(_)))
        })
        .await
        .unwrap();

        sandbox.inject(Stream::MarketData, StreamFault::DropMidFrame);
        let lost = until(&mut events, "the lost connection", Result::is_err).await;
        assert!(
            matches!(lost, Err(StreamError::Disconnected(_))),
            "{lost:?}"
        );
        let back = next(&mut events, "the reconnection").await.unwrap();
        assert_eq!(back, MarketEvent::Reconnected);
        let snapshot = next(&mut events, "the snapshot of the resubscription")
            .await
            .unwrap();
        assert!(
            matches!(snapshot, MarketEvent::TickerSnapshot(_)),
            "{snapshot:?}"
        );
        until(
            &mut events,
            "a push after the reconnection",
            |item| matches!(item, Ok(MarketEvent::Ticker(push)) if push.product == USDCHF),
        )
        .await
        .unwrap();
        assert_eq!(sandbox.stream_connections(Stream::MarketData), 2);
    })
    .await;
}

#[tokio::test]
async fn a_malformed_frame_is_reported_and_the_stream_goes_on() {
    bounded(async {
        let (sandbox, mm) = sandbox(fast_quotes()).await;
        let (quotes, mut events) = mm.market_data().connect().await.unwrap();
        quotes.subscribe_tickers([USDCHF]).await.unwrap();
        next(&mut events, "the snapshot").await.unwrap();
        sandbox.inject(Stream::MarketData, StreamFault::MalformedFrame);
        let bad = until(&mut events, "the decode error", Result::is_err).await;
        assert!(
            matches!(&bad, Err(StreamError::Decode { stream: "market data", excerpt, .. }) if excerpt == "p(1,2"),
            "{bad:?}"
        );
        let good = next(&mut events, "the next push").await.unwrap();
        assert!(matches!(good, MarketEvent::Ticker(_)), "{good:?}");
        assert_eq!(sandbox.stream_connections(Stream::MarketData), 1);
    })
    .await;
}

#[tokio::test(start_paused = true)]
async fn heartbeats_keep_a_silent_connection_alive_past_thirty_seconds() {
    bounded(async {
        let (sandbox, mm) = sandbox(Config::default()).await;
        let (quotes, mut events) = mm.market_data().connect().await.unwrap();
        // 45 s on the paused clock with no subscription: only heartbeats cross the wire, and
        // the sandbox cuts a connection after 30 s without one.
        tokio::time::sleep(Duration::from_secs(45)).await;
        assert!(
            futures::FutureExt::now_or_never(events.next()).is_none(),
            "nothing happens on a quiet, healthy connection"
        );
        let heartbeats = sandbox.stream_requests(Stream::MarketData).len();
        assert!(heartbeats >= 4, "a heartbeat every 10 s: {heartbeats}");
        assert_eq!(sandbox.stream_connections(Stream::MarketData), 1);
        quotes.subscribe_tickers([USDCHF]).await.unwrap();
    })
    .await;
}

#[tokio::test(start_paused = true)]
async fn a_stalled_server_is_detected_and_left() {
    bounded(async {
        let (sandbox, mm) = sandbox(Config::default()).await;
        let (_quotes, mut events) = mm.market_data().connect().await.unwrap();
        sandbox.inject(Stream::MarketData, StreamFault::Stall);
        let stalled = next(&mut events, "the stall").await;
        assert!(
            matches!(stalled, Err(StreamError::Stalled { silent_for }) if silent_for >= Duration::from_secs(30)),
            "{stalled:?}"
        );
        assert_eq!(next(&mut events, "the reconnection").await.unwrap(), MarketEvent::Reconnected);
        assert_eq!(sandbox.stream_connections(Stream::MarketData), 2);
    })
    .await;
}

#[tokio::test]
async fn a_slow_consumer_sees_the_lag_and_the_buffer_stays_bounded() {
    bounded(async {
        let (_sandbox, mm) = sandbox(Config {
            quote_interval: Duration::from_millis(2),
            ..Config::default()
        })
        .await;
        let (quotes, mut events) = mm
            .market_data()
            .options(Options::default().buffer(16))
            .connect()
            .await
            .unwrap();
        quotes.subscribe_tickers([USDCHF, GBPUSD]).await.unwrap();
        // Not reading while a few hundred pushes arrive.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let first = next(&mut events, "the lag event").await.unwrap();
        let MarketEvent::Lagged { missed } = first else {
            panic!("expected the lag event first, got {first:?}");
        };
        assert!(missed > 16, "dropped {missed}");
        let mut waiting = 0;
        while let Some(Some(_)) = futures::FutureExt::now_or_never(events.next()) {
            waiting += 1;
            if waiting > 64 {
                break;
            }
        }
        // The buffer held at most its 16 events (a few more may arrive while draining).
        assert!(waiting <= 32, "{waiting} events were buffered");
    })
    .await;
}

#[tokio::test]
async fn data_push_loses_and_repeats_nothing_across_a_dropped_connection() {
    bounded(async {
        let (sandbox, mm) = sandbox(Config::default()).await;
        let (_push, mut events) = mm.data_push().group("sdk-test").connect().await.unwrap();
        let emit = |n: u64| sandbox.emit_data_push("kyc", kyc(&n.to_string()));
        let mut seen = Vec::new();
        let mut reconnected = None;
        for n in 1..=20 {
            emit(n);
            if n == 8 {
                sandbox.inject(Stream::DataPush, StreamFault::DropMidFrame);
            }
        }
        while seen.len() < 20 {
            match next(&mut events, "the events").await {
                Ok(DataPushEvent::Event(event)) => {
                    assert_eq!(event.event_type(), "kyc");
                    let mm_sdk::streams::types::DataPush::Kyc(kyc) = *event else {
                        panic!("a kyc event");
                    };
                    seen.push(kyc.id.parse::<u64>().unwrap());
                }
                Ok(DataPushEvent::Reconnected { gap }) => reconnected = Some(gap),
                Ok(other) => panic!("unexpected {other:?}"),
                Err(StreamError::Disconnected(_)) => {}
                Err(other) => panic!("unexpected error {other:?}"),
            }
        }
        assert_eq!(
            seen,
            (1..=20).collect::<Vec<_>>(),
            "every event once, in order"
        );
        assert_eq!(reconnected, Some(Gap::None));
        assert_eq!(sandbox.stream_connections(Stream::DataPush), 2);
    })
    .await;
}

#[tokio::test]
async fn data_push_drops_an_event_sent_again_after_a_reconnection() {
    bounded(async {
        let (sandbox, mm) = sandbox(Config::default()).await;
        let (_push, mut events) = mm.data_push().group("twice").connect().await.unwrap();
        for n in 1..=10 {
            sandbox.emit_data_push("kyc", kyc(&n.to_string()));
            if n == 5 {
                // Event 6 is written whole, the connection dropped, and event 6 sent again.
                sandbox.inject(Stream::DataPush, StreamFault::DropAfterFrame);
            }
        }
        let mut seen = Vec::new();
        while seen.len() < 10 {
            match next(&mut events, "the events").await {
                Ok(DataPushEvent::Event(event)) => {
                    let mm_sdk::streams::types::DataPush::Kyc(kyc) = *event else {
                        panic!("a kyc event");
                    };
                    seen.push(kyc.id.parse::<u64>().unwrap());
                }
                Ok(DataPushEvent::Reconnected { .. }) | Err(StreamError::Disconnected(_)) => {}
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!(
            seen,
            (1..=10).collect::<Vec<_>>(),
            "every event once, in order"
        );
        assert_eq!(sandbox.stream_connections(Stream::DataPush), 2);
        let extra = tokio::time::timeout(Duration::from_millis(200), events.next()).await;
        assert!(extra.is_err(), "nothing more: {extra:?}");
    })
    .await;
}

#[tokio::test]
async fn a_slow_data_push_consumer_holds_the_socket_back_and_loses_nothing() {
    bounded(async {
        let (sandbox, mm) = sandbox(Config::default()).await;
        let (_push, mut events) = mm
            .data_push()
            .group("slow")
            .options(Options::default().buffer(4))
            .connect()
            .await
            .unwrap();
        for n in 1..=200 {
            sandbox.emit_data_push("kyc", kyc(&n.to_string()));
        }
        // Not reading while the events are sent: the client stops reading the socket.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let mut seen = Vec::new();
        while seen.len() < 200 {
            match next(&mut events, "the events").await {
                Ok(DataPushEvent::Event(event)) => {
                    let mm_sdk::streams::types::DataPush::Kyc(kyc) = *event else {
                        panic!("a kyc event");
                    };
                    seen.push(kyc.id.parse::<u64>().unwrap());
                }
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!(
            seen,
            (1..=200).collect::<Vec<_>>(),
            "no event dropped, none lagged"
        );
        assert_eq!(sandbox.stream_connections(Stream::DataPush), 1);
    })
    .await;
}

#[tokio::test]
async fn data_push_replays_what_a_group_missed_while_closed() {
    bounded(async {
        let (sandbox, mm) = sandbox(Config::default()).await;
        let (push, _events) = mm.data_push().group("replay").connect().await.unwrap();
        push.close().await;
        sandbox.emit_data_push("kyc", kyc("while-away"));
        let (_push, mut events) = mm.data_push().group("replay").connect().await.unwrap();
        let event = next(&mut events, "the replayed event").await.unwrap();
        assert!(
            matches!(&event, DataPushEvent::Event(event) if matches!(event.as_ref(), mm_sdk::streams::types::DataPush::Kyc(kyc) if kyc.id == "while-away")),
            "{event:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_second_connection_with_the_same_group_ends_the_first() {
    bounded(async {
        let (_sandbox, mm) = sandbox(Config::default()).await;
        let (_first, mut first_events) = mm.data_push().group("cats").connect().await.unwrap();
        let (_second, _second_events) = mm.data_push().group("cats").connect().await.unwrap();
        let kicked = next(&mut first_events, "the kick").await;
        assert_eq!(
            kicked.unwrap_err(),
            StreamError::Kicked {
                group: "cats".into()
            }
        );
        let end = tokio::time::timeout(Duration::from_secs(10), first_events.next()).await;
        assert!(matches!(end, Ok(None)), "the kicked stream ends: {end:?}");
    })
    .await;
}

#[tokio::test]
async fn a_refused_manager_token_fails_the_connection_at_once() {
    bounded(async {
        let sandbox = Sandbox::start(Config::default()).await.unwrap();
        let mm = quick(mm_sdk::sandbox::builder(&sandbox))
            .manager_token(ManagerToken::new("not-the-token"))
            .build()
            .unwrap();
        let refused = mm.data_push().group("g").connect().await.unwrap_err();
        assert_eq!(refused, StreamError::Refused { status: 401 });
        assert!(refused.is_fatal());
    })
    .await;
}

#[tokio::test]
async fn closing_or_dropping_a_handle_closes_the_connection() {
    bounded(async {
        let (sandbox, mm) = sandbox(Config::default()).await;
        let (quotes, events) = mm.market_data().connect().await.unwrap();
        quotes.close().await;
        drop(events);
        let (push, events) = mm.data_push().group("bye").connect().await.unwrap();
        drop(push);
        drop(events);
        for _ in 0..200 {
            if sandbox.open_stream_connections(Stream::MarketData) == 0
                && sandbox.open_stream_connections(Stream::DataPush) == 0
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("connections still open after their handles were dropped");
    })
    .await;
}

#[tokio::test]
async fn the_registered_feed_takes_a_login_token_and_refuses_others() {
    bounded(async {
        let (_sandbox, mm) = sandbox(Config::default()).await;
        let refused = mm
            .market_data()
            .feed(QuoteFeed::Registered(LoginToken::new("not-a-token")))
            .connect()
            .await
            .unwrap_err();
        assert_eq!(refused, StreamError::Refused { status: 401 });
        let (_, session) = support::customer(&mm, "quotes@example.com", "1").await;
        let (quotes, mut events) = mm
            .market_data()
            .feed(QuoteFeed::Registered(session.token))
            .connect()
            .await
            .unwrap();
        quotes.subscribe_tickers([USDCHF]).await.unwrap();
        let snapshot = next(&mut events, "the snapshot").await.unwrap();
        assert!(
            matches!(snapshot, MarketEvent::TickerSnapshot(_)),
            "{snapshot:?}"
        );
    })
    .await;
}

/// A client signing with a fresh Open API key of a new sandbox customer.
async fn open_api_client(sandbox: &Sandbox, mm: &MultiMarkets) -> MultiMarkets {
    let email = "streams@example.com";
    let (_, session) = support::customer(mm, email, "1").await;
    let verify_code = &sandbox.config().verify_code;
    let grant = support::api_key(mm, email, &session, verify_code, "streams").await;
    quick(mm_sdk::sandbox::builder(sandbox))
        .open_api_key(grant.open_api_key().unwrap())
        .build()
        .unwrap()
}

#[tokio::test]
async fn open_messages_log_in_subscribe_and_deliver_trades() {
    bounded(async {
        let (sandbox, mm) = sandbox(Config::default()).await;
        let open = open_api_client(&sandbox, &mm).await;
        let (messages, mut events) = open.open_messages("sdk-app").connect().await.unwrap();
        messages
            .subscribe_assets([enums::TradeType::CfdIsolatedMargin])
            .await
            .unwrap();
        let mut trade = crate::common::example("streams/open_trade.json");
        sandbox.emit_trade_message(trade["content"].take());
        let event = until(&mut events, "the trade message", |item| {
            matches!(item, Ok(OpenEvent::Trade(_)))
        })
        .await
        .unwrap();
        let OpenEvent::Trade(trade) = event else {
            unreachable!()
        };
        assert_eq!(trade.biz_type, "POSITION_OPEN");
        assert_eq!(trade.trade_type, Some(enums::TradeType::CfdIsolatedMargin));
        let params = trade.param_map.expect("the trade's parameters");
        assert_eq!(params.order_id.as_deref(), Some("21257491"));
        messages.close().await;
        assert_eq!(sandbox.stream_connections(Stream::OpenMessages), 1);
    })
    .await;
}

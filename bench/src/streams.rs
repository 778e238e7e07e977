//! Market-data pushes: parsing alone, and end to end from the sandbox.
//!
//! **Parsing.** The SDK's one-pass parser ([`QuotePush::parse`]) against what an integrator
//! would write by hand. The baseline strips the `p(` prefix and the `);` suffix, `split`s the
//! rest on `,` into a `Vec<&str>`, checks the field count, and parses each field with
//! `str::parse` (integers) or [`Decimal::from_str_exact`] (prices and volumes), the same decimal
//! parser the SDK uses. A depth push is split on `;` into its header and two sides, and each
//! side on `)(` into levels.
//!
//! The inputs are deterministic: [`ticker_pushes`] and [`depth_pushes`] give the same frames on
//! every run, so both sides and every run parse the same bytes.
//!
//! **End to end** ([`Feed`]). One in-process sandbox, on the caller's runtime, pushing a ticker
//! of each of up to [`MAX_PRODUCTS`] products every millisecond on `/apiQuote/quote_guest`. Each
//! side connects, subscribes to all of them, lets the stream run for a warm-up, then counts the
//! ticker pushes it receives and parses during a fixed window, and closes:
//!
//! - the baseline with `tokio-tungstenite` alone: `connect_async_with_config` (no Nagle, as the
//!   SDK), the subscription JSON written by hand and its answer's `ret` checked, then every text
//!   frame starting with `p(` parsed by [`baseline_ticker`], other frames ignored, a heartbeat
//!   (`14008`) every 10 s;
//! - the SDK with `mm.market_data().connect()`, `subscribe_tickers`, then the
//!   [`MarketEvent::Ticker`] items of its event stream; what it reports as dropped
//!   ([`MarketEvent::Lagged`]) is counted apart.
//!
//! The sides alternate, in alternating order, each round on a fresh connection
//! ([`Feed::compare`]), so that whatever else the machine does disturbs both alike. The
//! sandbox shares the cores with the client: a client that needs less CPU leaves more to the
//! sandbox, and a slower one holds it back through TCP, so pushes per second measure the whole
//! path.

use std::alloc::System;
use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use mm_sdk::MultiMarkets;
use mm_sdk::sandbox::{Config, Sandbox, Stream};
use mm_sdk::streams::{DepthPush, MarketEvent, Product, QuotePush, TickerPush};
use rust_decimal::Decimal;
use stats_alloc::{Region, StatsAlloc};
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;

use crate::calls::Side;

/// A parsing failure, as text: the inputs are generated valid, so any failure is a bug.
pub type Result<T> = std::result::Result<T, String>;

/// How many distinct pushes each benchmark iteration parses.
pub const PUSHES: usize = 1_000;

/// How many levels each side of a generated depth push has.
pub const DEPTH_LEVELS: usize = 5;

/// A ticker push, as an integrator would declare it: the same fields as [`TickerPush`], with
/// the product's three numbers inline.
#[derive(Debug, Clone, PartialEq)]
pub struct Ticker {
    /// `symbol_id`.
    pub symbol_id: u64,
    /// `trade_type`.
    pub trade_type: u32,
    /// `trade_mode`.
    pub trade_mode: u32,
    /// `seq`.
    pub seq: u64,
    /// `tick_time`.
    pub tick_time: u64,
    /// `price`.
    pub price: Decimal,
    /// `price_bid1`.
    pub bid: Decimal,
    /// `price_ask1`.
    pub ask: Decimal,
    /// `volume_bid1`.
    pub bid_volume: Decimal,
    /// `volume_ask1`.
    pub ask_volume: Decimal,
}

/// One level of a hand-parsed order book.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Level {
    /// The level's price.
    pub price: Decimal,
    /// The volume at that price.
    pub volume: Decimal,
}

/// A depth push, as an integrator would declare it: the same fields as [`DepthPush`].
#[derive(Debug, Clone, PartialEq)]
pub struct Depth {
    /// `symbol_id`.
    pub symbol_id: u64,
    /// `trade_type`.
    pub trade_type: u32,
    /// `trade_mode`.
    pub trade_mode: u32,
    /// `seq`.
    pub seq: u64,
    /// `tick_time`.
    pub tick_time: u64,
    /// The bid levels, best first.
    pub bids: Vec<Level>,
    /// The ask levels, best first.
    pub asks: Vec<Level>,
}

/// Parses a ticker push with the SDK.
pub fn sdk_ticker(text: &str) -> Result<TickerPush> {
    match QuotePush::parse(text) {
        Ok(QuotePush::Ticker(push)) => Ok(push),
        Ok(other) => Err(format!("not a ticker push: {other:?}")),
        Err(e) => Err(e.to_string()),
    }
}

/// Parses a depth push with the SDK.
pub fn sdk_depth(text: &str) -> Result<DepthPush> {
    match QuotePush::parse(text) {
        Ok(QuotePush::Depth(push)) => Ok(push),
        Ok(other) => Err(format!("not a depth push: {other:?}")),
        Err(e) => Err(e.to_string()),
    }
}

/// Parses a ticker push by hand: strip, split on `,`, count, parse each field.
pub fn baseline_ticker(text: &str) -> Result<Ticker> {
    let inner = text
        .strip_prefix("p(")
        .and_then(|rest| rest.strip_suffix(");"))
        .ok_or("not a ticker push")?;
    let fields: Vec<&str> = inner.split(',').collect();
    if fields.len() != 10 {
        return Err(format!("expected 10 fields, got {}", fields.len()));
    }
    Ok(Ticker {
        symbol_id: integer(fields[0])?,
        trade_type: integer(fields[1])?,
        trade_mode: integer(fields[2])?,
        seq: integer(fields[3])?,
        tick_time: integer(fields[4])?,
        price: decimal(fields[5])?,
        bid: decimal(fields[6])?,
        ask: decimal(fields[7])?,
        bid_volume: decimal(fields[8])?,
        ask_volume: decimal(fields[9])?,
    })
}

/// Parses a depth push by hand: split on `;` into the header and the two sides, the header on
/// `,`, and each side on `)(` into levels.
pub fn baseline_depth(text: &str) -> Result<Depth> {
    let parts: Vec<&str> = text.split(';').collect();
    // `pd(…);bids;asks;` splits into four parts, the last one empty.
    if parts.len() != 4 || !parts[3].is_empty() {
        return Err(format!("expected 3 `;`-terminated parts, got {parts:?}"));
    }
    let header = parts[0]
        .strip_prefix("pd(")
        .and_then(|rest| rest.strip_suffix(')'))
        .ok_or("not a depth push")?;
    let fields: Vec<&str> = header.split(',').collect();
    if fields.len() != 5 {
        return Err(format!("expected 5 header fields, got {}", fields.len()));
    }
    Ok(Depth {
        symbol_id: integer(fields[0])?,
        trade_type: integer(fields[1])?,
        trade_mode: integer(fields[2])?,
        seq: integer(fields[3])?,
        tick_time: integer(fields[4])?,
        bids: levels(parts[1])?,
        asks: levels(parts[2])?,
    })
}

/// `(p,v)(p,v)…` (or nothing) into levels.
fn levels(side: &str) -> Result<Vec<Level>> {
    if side.is_empty() {
        return Ok(Vec::new());
    }
    let inner = side
        .strip_prefix('(')
        .and_then(|rest| rest.strip_suffix(')'))
        .ok_or_else(|| format!("not a list of levels: {side:?}"))?;
    inner
        .split(")(")
        .map(|level| {
            let (price, volume) = level
                .split_once(',')
                .ok_or_else(|| format!("not a level: {level:?}"))?;
            Ok(Level {
                price: decimal(price)?,
                volume: decimal(volume)?,
            })
        })
        .collect()
}

fn integer<T: std::str::FromStr>(field: &str) -> Result<T> {
    field
        .parse()
        .map_err(|_| format!("not an integer: {field:?}"))
}

fn decimal(field: &str) -> Result<Decimal> {
    Decimal::from_str_exact(field).map_err(|e| format!("not a decimal: {field:?}: {e}"))
}

/// A small deterministic generator (xorshift64*), so the inputs need no dependency and are the
/// same on every run.
#[derive(Debug)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Renders `units` hundred-thousandths as a price with 5 decimals: `108_123` as `1.08123`.
fn price(units: u64) -> String {
    format!("{}.{:05}", units / 100_000, units % 100_000)
}

/// Renders `cents` hundredths as a volume with 2 decimals (`0.50`, `1250.75`).
fn volume(cents: u64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// A market being quoted: a product and a random walk of its mid price and clock.
#[derive(Debug)]
struct Market {
    rng: Rng,
    /// The mid price, in hundred-thousandths.
    mid: u64,
    seq: u64,
    /// Milliseconds since the epoch.
    time: u64,
}

impl Market {
    fn new(seed: u64) -> Self {
        Market {
            rng: Rng(seed),
            mid: 108_250,
            seq: 48_213_907,
            time: 1_750_000_000_000,
        }
    }

    /// Moves the market on by one quote: a later time, the next sequence number, a new mid.
    fn step(&mut self) -> (u64, u64, u64) {
        self.seq += 1;
        self.time += 1 + self.rng.below(250);
        self.mid = (self.mid + self.rng.below(21))
            .saturating_sub(10)
            .max(1_000);
        let symbol_id = [1123, 1124, 1127, 2051][self.rng.below(4) as usize];
        (symbol_id, self.seq, self.time)
    }

    fn volume(&mut self) -> String {
        volume(1 + self.rng.below(500_000))
    }
}

/// `count` distinct ticker pushes such as
/// `p(1123,1,1,48213908,1750000000137,1.08251,1.08247,1.08255,1520.50,87.25);`.
pub fn ticker_pushes(count: usize) -> Vec<String> {
    let mut market = Market::new(0x7ac3_e1b0_55ed_0001);
    (0..count)
        .map(|_| {
            let (symbol_id, seq, time) = market.step();
            let last = market.mid - 5 + market.rng.below(11);
            let half_spread = 1 + market.rng.below(15);
            format!(
                "p({symbol_id},1,1,{seq},{time},{},{},{},{},{});",
                price(last),
                price(market.mid - half_spread),
                price(market.mid + half_spread),
                market.volume(),
                market.volume(),
            )
        })
        .collect()
}

/// `count` distinct depth pushes with [`DEPTH_LEVELS`] levels a side, such as
/// `pd(1123,1,1,48213908,1750000000137);(1.08247,1520.50)…;(1.08255,87.25)…;`.
pub fn depth_pushes(count: usize) -> Vec<String> {
    let mut market = Market::new(0x7ac3_e1b0_55ed_0002);
    (0..count)
        .map(|_| {
            let (symbol_id, seq, time) = market.step();
            let mut text = format!("pd({symbol_id},1,1,{seq},{time});");
            let half_spread = 1 + market.rng.below(15);
            let mut bid = market.mid - half_spread;
            let mut ask = market.mid + half_spread;
            for _ in 0..DEPTH_LEVELS {
                text += &format!("({},{})", price(bid), market.volume());
                bid -= 1 + market.rng.below(5);
            }
            text.push(';');
            for _ in 0..DEPTH_LEVELS {
                text += &format!("({},{})", price(ask), market.volume());
                ask += 1 + market.rng.below(5);
            }
            text.push(';');
            text
        })
        .collect()
}

/// The most products one market-data connection may subscribe (upstream's limit, which the
/// sandbox enforces).
pub const MAX_PRODUCTS: usize = 100;

/// The baseline's heartbeat period (upstream's).
const HEARTBEAT_PERIOD: Duration = Duration::from_secs(10);

/// How long to measure: `rounds` windows of `window` for each side, each on `connections`
/// fresh connections that were given `warm_up` to connect, subscribe and run.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    /// Windows per side.
    pub rounds: u32,
    /// Connections each side opens per round, each subscribed to every product and read by a
    /// task of its own; they count during the same window.
    pub connections: usize,
    /// How long from the start of a round to its window: the connections connect, subscribe
    /// and run meanwhile.
    pub warm_up: Duration,
    /// How long each window counts.
    pub window: Duration,
}

/// What one side received over its counted windows.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Received {
    /// Ticker pushes received and parsed.
    pub pushes: u64,
    /// The time counted.
    pub elapsed: Duration,
    /// Pushes the SDK reported dropped (`Lagged`); always 0 for the baseline, which never drops.
    pub missed: u64,
    /// Heap allocations during the windows, process-wide: the client's, the sandbox's and
    /// anything else running.
    pub allocations: u64,
}

impl Received {
    /// Ticker pushes per second of counting.
    pub fn per_second(&self) -> f64 {
        self.pushes as f64 / self.elapsed.as_secs_f64().max(f64::EPSILON)
    }

    /// Allocations per ticker push received.
    pub fn allocations_per_push(&self) -> f64 {
        self.allocations as f64 / self.pushes.max(1) as f64
    }

    fn add(&mut self, other: Received) {
        self.pushes += other.pushes;
        self.elapsed += other.elapsed;
        self.missed += other.missed;
        self.allocations += other.allocations;
    }
}

/// A sandbox pushing market data, and what each side needs to read it.
#[derive(Debug)]
pub struct Feed {
    /// Kept alive for as long as the feed: dropping it stops the server.
    sandbox: Sandbox,
    /// `ws://<addr>/apiQuote/quote_guest`, for the baseline.
    url: String,
    /// The SDK's client, pointed at the sandbox.
    mm: MultiMarkets,
    products: Vec<Product>,
}

impl Feed {
    /// Starts a sandbox on the current runtime that pushes every `quote_interval`, with a
    /// client of the SDK pointed at it.
    pub async fn start(quote_interval: Duration) -> Result<Arc<Self>> {
        let sandbox = Sandbox::start(Config {
            quote_interval,
            ..Config::default()
        })
        .await
        .map_err(|e| format!("cannot start the sandbox: {e}"))?;
        let base = sandbox.base_url();
        let host = base.host_str().ok_or("the sandbox's URL has no host")?;
        let port = base.port().ok_or("the sandbox's URL has no port")?;
        let url = format!("ws://{host}:{port}/apiQuote/quote_guest");
        let mm = mm_sdk::sandbox::builder(&sandbox)
            .build()
            .map_err(|e| format!("cannot build the SDK's client: {e}"))?;
        let products = sandbox_products()?;
        Ok(Arc::new(Feed {
            sandbox,
            url,
            mm,
            products,
        }))
    }

    /// How many products each connection subscribes to.
    pub fn products(&self) -> usize {
        self.products.len()
    }

    /// The market-data connections the sandbox accepted so far (one per side, round and
    /// connection of the plan).
    pub fn connections(&self) -> usize {
        self.sandbox.stream_connections(Stream::MarketData)
    }

    /// Both sides, `plan.rounds` windows each, interleaved in alternating order, each window
    /// on fresh connections; `report` is told each window's result as it comes. Allocations
    /// are counted through `alloc`, which should be the global allocator. Returns the
    /// baseline's totals and the SDK's.
    pub async fn compare(
        self: &Arc<Self>,
        plan: Plan,
        alloc: &StatsAlloc<System>,
        mut report: impl FnMut(u32, Side, &Received),
    ) -> Result<[Received; 2]> {
        let mut totals = [Received::default(); 2];
        for round in 0..plan.rounds {
            for side in Side::in_turn(round) {
                let received = self.receive(side, plan, alloc).await?;
                report(round, side, &received);
                totals[usize::from(side == Side::Sdk)].add(received);
            }
        }
        Ok(totals)
    }

    /// One window through `side`, on `plan.connections` connections of its own, each read by
    /// its own task. Allocations are counted from the window's start to its end.
    pub async fn receive(
        self: &Arc<Self>,
        side: Side,
        plan: Plan,
        alloc: &StatsAlloc<System>,
    ) -> Result<Received> {
        let window_start = Instant::now() + plan.warm_up;
        let window_end = window_start + plan.window;
        let tasks: Vec<_> = (0..plan.connections)
            .map(|_| {
                let feed = Arc::clone(self);
                tokio::spawn(async move {
                    match side {
                        Side::Baseline => feed.baseline(window_start, window_end).await,
                        Side::Sdk => feed.sdk(window_start, window_end).await,
                    }
                })
            })
            .collect();
        tokio::time::sleep_until(window_start).await;
        let region = Region::new(alloc);
        tokio::time::sleep_until(window_end).await;
        let allocations = region.change().allocations as u64;
        let mut received = Received {
            elapsed: plan.window,
            allocations,
            ..Received::default()
        };
        for task in tasks {
            let (pushes, missed) = task
                .await
                .map_err(|e| format!("{}: a connection's task failed: {e}", side.name()))??;
            received.pushes += pushes;
            received.missed += missed;
        }
        Ok(received)
    }

    /// One connection of the hand-written client (tokio-tungstenite and [`baseline_ticker`]):
    /// the ticker pushes parsed from `window_start` to `window_end`, and none missed.
    async fn baseline(&self, window_start: Instant, window_end: Instant) -> Result<(u64, u64)> {
        let (mut ws, _) = tokio_tungstenite::connect_async_with_config(&self.url, None, true)
            .await
            .map_err(|e| format!("baseline: cannot connect: {e}"))?;
        let mut seq_id = 1;
        ws.send(Message::text(ticker_subscription(&self.products, seq_id)))
            .await
            .map_err(|e| format!("baseline: cannot subscribe: {e}"))?;
        // The answer comes before any push.
        loop {
            match ws.next().await {
                Some(Ok(Message::Text(text))) if text.starts_with('{') => {
                    let answer: serde_json::Value = serde_json::from_str(&text)
                        .map_err(|e| format!("baseline: the subscription's answer: {e}"))?;
                    if answer["cmd_id"] != 14001 || answer["ret"] != 200 {
                        return Err(format!("baseline: the subscription was refused: {text}"));
                    }
                    break;
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(format!("baseline: before the answer: {e}")),
                None => return Err("baseline: closed before the answer".into()),
            }
        }
        subscribed_in_time("baseline", window_start)?;
        let mut heartbeats =
            tokio::time::interval_at(Instant::now() + HEARTBEAT_PERIOD, HEARTBEAT_PERIOD);
        baseline_window(&mut ws, window_start, &mut heartbeats, &mut seq_id).await?;
        let pushes = baseline_window(&mut ws, window_end, &mut heartbeats, &mut seq_id).await?;
        let _ = ws.close(None).await;
        Ok((pushes, 0))
    }

    /// One connection of the SDK's client (`market_data()`, `subscribe_tickers`, the event
    /// stream): the ticker pushes received from `window_start` to `window_end`, and those the
    /// SDK reported dropped.
    async fn sdk(&self, window_start: Instant, window_end: Instant) -> Result<(u64, u64)> {
        let (quotes, mut events) = self
            .mm
            .market_data()
            .connect()
            .await
            .map_err(|e| format!("SDK: cannot connect: {e}"))?;
        quotes
            .subscribe_tickers(self.products.iter().copied())
            .await
            .map_err(|e| format!("SDK: cannot subscribe: {e}"))?;
        subscribed_in_time("SDK", window_start)?;
        sdk_window(&mut events, window_start).await?;
        let counted = sdk_window(&mut events, window_end).await?;
        quotes.close().await;
        Ok(counted)
    }
}

/// A connection must be subscribed before its window opens, or it would count less.
fn subscribed_in_time(side: &str, window_start: Instant) -> Result<()> {
    if Instant::now() < window_start {
        Ok(())
    } else {
        Err(format!(
            "{side}: connecting and subscribing took longer than the warm-up"
        ))
    }
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Reads `ws` until `until`, parsing every ticker push; returns how many were parsed.
async fn baseline_window(
    ws: &mut Socket,
    until: Instant,
    heartbeats: &mut tokio::time::Interval,
    seq_id: &mut u64,
) -> Result<u64> {
    let deadline = tokio::time::sleep_until(until);
    tokio::pin!(deadline);
    let mut pushes = 0;
    loop {
        tokio::select! {
            biased;
            () = &mut deadline => return Ok(pushes),
            _ = heartbeats.tick() => {
                *seq_id += 1;
                let heartbeat = format!(
                    r#"{{"cmd_id":14008,"seq_id":{seq_id},"ext":"x","data":{{}}}}"#
                );
                ws.send(Message::text(heartbeat))
                    .await
                    .map_err(|e| format!("baseline: cannot send a heartbeat: {e}"))?;
            }
            frame = ws.next() => match frame {
                Some(Ok(Message::Text(text))) if text.starts_with("p(") => {
                    black_box(baseline_ticker(&text)?);
                    pushes += 1;
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(format!("baseline: connection lost: {e}")),
                None => return Err("baseline: the sandbox closed the connection".into()),
            },
        }
    }
}

/// Reads the SDK's events until `until`; returns the ticker pushes received and the pushes
/// the SDK reported dropped.
async fn sdk_window(
    events: &mut mm_sdk::streams::Events<MarketEvent>,
    until: Instant,
) -> Result<(u64, u64)> {
    let deadline = tokio::time::sleep_until(until);
    tokio::pin!(deadline);
    let (mut pushes, mut missed) = (0, 0);
    loop {
        tokio::select! {
            biased;
            () = &mut deadline => return Ok((pushes, missed)),
            event = events.next() => match event {
                Some(Ok(MarketEvent::Ticker(push))) => {
                    black_box(push);
                    pushes += 1;
                }
                Some(Ok(MarketEvent::Lagged { missed: dropped })) => missed += dropped,
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(format!("SDK: {e}")),
                None => return Err("SDK: the event stream ended".into()),
            },
        }
    }
}

/// The ticker subscription (`14000`) of `products`, as the baseline writes it.
pub fn ticker_subscription(products: &[Product], seq_id: u64) -> String {
    let list: Vec<serde_json::Value> = products
        .iter()
        .map(|p| {
            serde_json::json!({
                "symbol_id": p.symbol_id,
                "trade_type": p.trade_type,
                "trade_mode": p.trade_mode,
            })
        })
        .collect();
    serde_json::json!({
        "cmd_id": 14000,
        "seq_id": seq_id,
        "ext": "x",
        "data": { "symbol_list": list },
    })
    .to_string()
}

/// The first [`MAX_PRODUCTS`] distinct products (`symbolId` and `tradeType`) of the docs'
/// `product_list` example, which are those the sandbox quotes, with trade mode 1.
pub fn sandbox_products() -> Result<Vec<Product>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../openapi/examples/manager/product_list.response.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let example: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut products: Vec<Product> = Vec::new();
    for entry in example["data"].as_array().into_iter().flatten() {
        // A product listing gives the three keys: `dealMode` is the trade mode.
        let (Some(symbol_id), Some(trade_type), Some(trade_mode)) = (
            entry["symbolId"].as_i64(),
            entry["tradeType"].as_i64(),
            entry["dealMode"].as_i64(),
        ) else {
            continue;
        };
        let product = Product {
            symbol_id: symbol_id.into(),
            trade_type: trade_type.into(),
            trade_mode: trade_mode.into(),
        };
        if !products.contains(&product) {
            products.push(product);
        }
        if products.len() == MAX_PRODUCTS {
            break;
        }
    }
    if products.is_empty() {
        return Err(format!("{}: no products", path.display()));
    }
    Ok(products)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use mm_sdk_test_support::bounded;

    use super::*;

    /// Equal values written the same way: `from_str_exact` keeps the scale, so both sides must
    /// have kept the same digits, not just the same number.
    fn same(a: Decimal, b: Decimal) -> bool {
        a == b && a.scale() == b.scale()
    }

    fn same_levels(baseline: &[Level], sdk: &[mm_sdk::streams::Level]) -> bool {
        baseline.len() == sdk.len()
            && baseline
                .iter()
                .zip(sdk)
                .all(|(b, s)| same(b.price, s.price) && same(b.volume, s.volume))
    }

    #[test]
    fn inputs_are_distinct_and_deterministic() {
        let tickers = ticker_pushes(PUSHES);
        assert_eq!(tickers.len(), PUSHES);
        assert_eq!(tickers.iter().collect::<HashSet<_>>().len(), PUSHES);
        assert_eq!(tickers, ticker_pushes(PUSHES));
        let depths = depth_pushes(PUSHES);
        assert_eq!(depths.len(), PUSHES);
        assert_eq!(depths.iter().collect::<HashSet<_>>().len(), PUSHES);
        assert_eq!(depths, depth_pushes(PUSHES));
    }

    /// The product's keys as the baseline reads them off the wire.
    fn wire_keys(product: Product) -> Option<(u64, u32, u32)> {
        Some((
            u64::try_from(product.symbol_id.get()).ok()?,
            u32::try_from(product.trade_type.code()).ok()?,
            u32::try_from(product.trade_mode.code()).ok()?,
        ))
    }

    #[test]
    fn baseline_and_sdk_agree_on_every_ticker() {
        for text in ticker_pushes(PUSHES) {
            let b = baseline_ticker(&text).unwrap_or_else(|e| panic!("baseline, {text:?}: {e}"));
            let s = sdk_ticker(&text).unwrap_or_else(|e| panic!("sdk, {text:?}: {e}"));
            assert_eq!(
                (
                    Some((b.symbol_id, b.trade_type, b.trade_mode)),
                    b.seq,
                    b.tick_time
                ),
                (wire_keys(s.product), s.seq, s.tick_time),
                "{text}"
            );
            assert!(
                same(b.price, s.price)
                    && same(b.bid, s.bid)
                    && same(b.ask, s.ask)
                    && same(b.bid_volume, s.bid_volume)
                    && same(b.ask_volume, s.ask_volume),
                "{text}: {b:?} against {s:?}"
            );
            assert!(b.bid < b.ask, "{text}");
            // The numbers are the ones written: rendering them gives the push back.
            assert_eq!(
                format!(
                    "p({},{},{},{},{},{},{},{},{},{});",
                    b.symbol_id,
                    b.trade_type,
                    b.trade_mode,
                    b.seq,
                    b.tick_time,
                    b.price,
                    b.bid,
                    b.ask,
                    b.bid_volume,
                    b.ask_volume
                ),
                text
            );
        }
    }

    #[test]
    fn baseline_and_sdk_agree_on_every_depth_push() {
        for text in depth_pushes(PUSHES) {
            let b = baseline_depth(&text).unwrap_or_else(|e| panic!("baseline, {text:?}: {e}"));
            let s = sdk_depth(&text).unwrap_or_else(|e| panic!("sdk, {text:?}: {e}"));
            assert_eq!(
                (
                    Some((b.symbol_id, b.trade_type, b.trade_mode)),
                    b.seq,
                    b.tick_time
                ),
                (wire_keys(s.product), s.seq, s.tick_time),
                "{text}"
            );
            assert_eq!(b.bids.len(), DEPTH_LEVELS, "{text}");
            assert_eq!(b.asks.len(), DEPTH_LEVELS, "{text}");
            assert!(same_levels(&b.bids, &s.bids), "{text}: {b:?} against {s:?}");
            assert!(same_levels(&b.asks, &s.asks), "{text}: {b:?} against {s:?}");
        }
    }

    #[test]
    fn baseline_rejects_what_it_should() {
        assert!(baseline_ticker("p(1,1,1,1,1,1,1,1,1);").is_err());
        assert!(baseline_ticker("p(1,1,1,1,1,1,1,1,1,1,1);").is_err());
        assert!(baseline_ticker("p(1,1,1,1,1,x,1,1,1,1);").is_err());
        assert!(baseline_ticker("pt(1,1,1,1,1,1,1,1);").is_err());
        assert!(baseline_depth("pd(1,1,1,1,1);(1,1)(2;(3,3);").is_err());
        assert!(baseline_depth("pd(1,1,1,1);;;").is_err());
        let empty = baseline_depth("pd(1,1,1,1,1);;;").expect("parses");
        assert!(empty.bids.is_empty() && empty.asks.is_empty());
    }

    #[test]
    fn the_subscription_lists_every_product() {
        let products = sandbox_products().expect("the product list");
        assert_eq!(products.len(), MAX_PRODUCTS);
        let request: serde_json::Value =
            serde_json::from_str(&ticker_subscription(&products[..2], 1)).expect("JSON");
        assert_eq!(
            request,
            serde_json::json!({
                "cmd_id": 14000, "seq_id": 1, "ext": "x",
                "data": {"symbol_list": [
                    {"symbol_id": 2, "trade_type": 3, "trade_mode": 1},
                    {"symbol_id": 4, "trade_type": 3, "trade_mode": 1},
                ]},
            })
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn both_sides_receive_pushes_from_the_sandbox() {
        bounded(async {
            let feed = Feed::start(Duration::from_millis(5))
                .await
                .expect("sandbox");
            let plan = Plan {
                rounds: 1,
                connections: 2,
                warm_up: Duration::from_millis(100),
                window: Duration::from_millis(200),
            };
            let alloc = &stats_alloc::INSTRUMENTED_SYSTEM;
            let [baseline, sdk] = feed
                .compare(plan, alloc, |_, _, _| {})
                .await
                .expect("both sides");
            assert!(baseline.pushes > 0, "{baseline:?}");
            assert!(sdk.pushes > 0, "{sdk:?}");
            assert_eq!(feed.connections(), 4);
        })
        .await;
    }
}

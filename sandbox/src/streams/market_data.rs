//! The market-data stream (`/apiQuote/quote`, `/apiQuote/quote_guest`,
//! `/apiQuote/quote_stock`): JSON requests `{cmd_id, seq_id, ext, data}` answered
//! `{ret, msg, cmd_id + 1, seq_id, ext, data}`, and the `p(...)`, `pd(...)` and `pt(...)`
//! pushes of the subscribed products.

use std::collections::VecDeque;
use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use flate2::Compression;
use flate2::write::ZlibEncoder;
use serde_json::{Map, Value, json};
use tokio::time::{Instant, MissedTickBehavior, sleep_until};
use tokio_tungstenite::tungstenite::Message;

use super::Registration;
use super::socket::{self, Incoming, Socket};
use crate::context::Shared;
use crate::hub::Stream;
use crate::model::quotes::{self, Product, Tick};

use mm_sdk_api_streams::protocol::market_data as protocol;

const TICKER_SUBSCRIBE: u64 = protocol::TICKER_SUBSCRIBE as u64;
const CANCEL: u64 = protocol::CANCEL as u64;
const HEARTBEAT: u64 = protocol::HEARTBEAT as u64;
const MARKET_SUBSCRIBE: u64 = protocol::MARKET_SUBSCRIBE as u64;
const KLINE: u64 = protocol::KLINE as u64;
/// The answer to [`KLINE`], sent zlib-compressed as a binary frame.
const KLINE_REPLY: u64 = KLINE + 1;

/// At most this many products in one subscription (upstream's limit).
const MAX_PRODUCTS: usize = protocol::PRODUCTS_PER_SUBSCRIPTION as usize;
/// At most this many K-line bars in one query (upstream's limit).
const MAX_BARS: u64 = protocol::BARS_PER_QUERY as u64;
/// At most this many requests in any second (upstream's limit), heartbeats included.
const MAX_REQUESTS_PER_SECOND: usize = protocol::REQUESTS_PER_SECOND as usize;
/// The longest `ext` upstream accepts.
const MAX_EXT: usize = 64;
/// The depth of the sandbox's book: `depth_level` above it gets this many levels.
const MAX_DEPTH: u64 = 20;
/// At most this many trades in a market snapshot's `trade_info`.
const MAX_TRADE_INFO: u64 = 20;
/// The latest `kline_timestamp_end` taken for seconds (the year 33658).
const MAX_KLINE_END: u64 = 1_000_000_000_000;

/// `GET /apiQuote/quote?token=…`: registered users (a login token the sandbox issued).
pub(crate) async fn quote(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    handshake(&shared, request, true)
}

/// `GET /apiQuote/quote_guest`: visitors, no token.
pub(crate) async fn quote_guest(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    handshake(&shared, request, false)
}

/// `GET /apiQuote/quote_stock?token=…`: registered users of the stock area.
pub(crate) async fn quote_stock(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    handshake(&shared, request, true)
}

fn handshake(shared: &Arc<Shared>, mut request: Request, needs_token: bool) -> Response {
    if needs_token {
        let token = request.uri().query().and_then(|query| {
            url::form_urlencoded::parse(query.as_bytes())
                .find(|(name, _)| name == "token")
                .map(|(_, value)| value.into_owned())
        });
        let now = shared.now_ms();
        let signed_in = token.is_some_and(|token| {
            shared.read(|state| crate::model::state::signed_in(state, &token, now).is_some())
        });
        if !signed_in {
            return socket::refuse(
                StatusCode::UNAUTHORIZED,
                "`token` must be a login token of a signed-in customer",
            );
        }
    }
    match socket::accept(&mut request) {
        Ok(handshake) => handshake.spawn(Registration::new(shared, Stream::MarketData), serve),
        Err(refusal) => refusal.into_response(),
    }
}

/// One connection: answers requests, pushes every [`Config::quote_interval`] and closes
/// after [`Config::quote_heartbeat_timeout`] without a heartbeat.
///
/// [`Config::quote_interval`]: crate::Config::quote_interval
/// [`Config::quote_heartbeat_timeout`]: crate::Config::quote_heartbeat_timeout
async fn serve(mut socket: Socket) {
    let shared = socket.shared().clone();
    let config = &shared.config;
    let period = config.quote_interval.max(Duration::from_millis(1));
    let mut pushes = tokio::time::interval_at(Instant::now() + period, period);
    pushes.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut connection = Connection::default();
    let mut heartbeat = Instant::now();
    loop {
        let deadline = heartbeat + config.quote_heartbeat_timeout;
        let outgoing = tokio::select! {
            biased;
            incoming = socket.recv() => match incoming {
                Incoming::Frame(request) => {
                    let (reply, is_heartbeat) = connection.answer(&shared, &request);
                    if is_heartbeat {
                        heartbeat = Instant::now();
                    }
                    vec![reply]
                }
                Incoming::Ping => continue,
                Incoming::Gone | Incoming::Kicked => return,
            },
            () = sleep_until(deadline) => {
                socket.close(4000, "heartbeat timeout").await;
                return;
            }
            _ = pushes.tick() => connection.pushes(&shared),
        };
        for message in outgoing {
            if socket.send(message).await.is_err() {
                return;
            }
        }
    }
}

/// A product a connection subscribed to, with what the subscription asked for.
#[derive(Debug, Clone)]
struct Subscription {
    product: &'static Product,
    trade_mode: u64,
    depth: u64,
    trade_info: u64,
}

/// What one connection asked for, and the times of its latest requests.
#[derive(Debug, Default)]
struct Connection {
    ticker: Vec<Subscription>,
    market: Vec<Subscription>,
    recent: VecDeque<Instant>,
}

/// The header of the request being answered, as echoed in its answer.
#[derive(Debug)]
struct Reply {
    cmd_id: u64,
    seq_id: u64,
    ext: String,
}

impl Reply {
    fn ok(&self, data: Value) -> Message {
        self.message(200, "ok", data)
    }

    fn error(&self, ret: i32, msg: &str) -> Message {
        self.message(ret, msg, json!({}))
    }

    fn bad_data(&self, why: &str) -> Message {
        self.error(202, &format!("request data param invalid: {why}"))
    }

    /// The answer frame: text, but zlib-compressed binary for a K-line answer.
    fn message(&self, ret: i32, msg: &str, data: Value) -> Message {
        let body = json!({
            "ret": ret, "msg": msg, "cmd_id": self.cmd_id, "seq_id": self.seq_id,
            "ext": self.ext, "data": data,
        })
        .to_string();
        if self.cmd_id == KLINE_REPLY {
            let mut encoder = ZlibEncoder::new(Vec::new(), Compression::default());
            if let Ok(compressed) = encoder
                .write_all(body.as_bytes())
                .and_then(|()| encoder.finish())
            {
                return Message::binary(compressed);
            }
        }
        Message::text(body)
    }
}

impl Connection {
    /// Whether a request arriving `now` is within the rate limit; every request counts.
    fn admit(&mut self, now: Instant) -> bool {
        while self
            .recent
            .front()
            .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1))
        {
            self.recent.pop_front();
        }
        let admitted = self.recent.len() < MAX_REQUESTS_PER_SECOND;
        if !admitted {
            self.recent.pop_front();
        }
        self.recent.push_back(now);
        admitted
    }

    /// The answer to one request frame, and whether it was a heartbeat.
    fn answer(&mut self, shared: &Shared, frame: &[u8]) -> (Message, bool) {
        let request = match serde_json::from_slice::<Value>(frame) {
            Ok(Value::Object(request)) => Some(request),
            _ => None,
        };
        let field = |name: &str| request.as_ref().and_then(|r| r.get(name));
        let cmd_id = field("cmd_id").and_then(Value::as_u64);
        let seq_id = field("seq_id").and_then(Value::as_u64);
        let ext = field("ext").and_then(Value::as_str);
        let reply = Reply {
            cmd_id: cmd_id.map_or(0, |c| c.saturating_add(1)),
            seq_id: seq_id.unwrap_or(0),
            ext: ext.unwrap_or_default().to_owned(),
        };
        let is_heartbeat = cmd_id == Some(HEARTBEAT);
        if !self.admit(Instant::now()) {
            return (reply.error(500, "request frequency too fast"), is_heartbeat);
        }
        if let Some((ret, msg)) = shared.streams.next_quote_failure() {
            return (reply.error(ret, &msg), is_heartbeat);
        }
        let (Some(cmd_id), Some(_), Some(ext)) = (cmd_id, seq_id, ext) else {
            return (
                reply.error(201, "request header param invalid"),
                is_heartbeat,
            );
        };
        if ext.len() > MAX_EXT {
            return (
                reply.error(201, "request header param invalid: `ext` is too long"),
                is_heartbeat,
            );
        }
        let empty = Map::new();
        let data = match field("data") {
            Some(Value::Object(data)) => data,
            _ => &empty,
        };
        let answer = match cmd_id {
            TICKER_SUBSCRIBE => self.subscribe(shared, data, false),
            MARKET_SUBSCRIBE => self.subscribe(shared, data, true),
            CANCEL => self.cancel(data),
            HEARTBEAT => Ok(json!({})),
            KLINE => kline(shared, data),
            other => Err(format!("unknown cmd_id {other}")),
        };
        let message = match answer {
            Ok(data) => reply.ok(data),
            Err(why) => reply.bad_data(&why),
        };
        (message, is_heartbeat)
    }

    /// `14000` (ticker) or `14010` (market): replaces the subscription of that kind and
    /// answers a snapshot of each product.
    fn subscribe(
        &mut self,
        shared: &Shared,
        data: &Map<String, Value>,
        market: bool,
    ) -> Result<Value, String> {
        let list = data
            .get("symbol_list")
            .and_then(Value::as_array)
            .ok_or("`symbol_list` is missing or not an array")?;
        if list.len() > MAX_PRODUCTS {
            return Err(format!(
                "{} products: at most {MAX_PRODUCTS} in one subscription",
                list.len()
            ));
        }
        let mut subscriptions: Vec<Subscription> = Vec::with_capacity(list.len());
        for entry in list {
            let number = |name: &str| entry.get(name).and_then(Value::as_u64);
            let (Some(symbol_id), Some(trade_type), Some(trade_mode)) = (
                number("symbol_id"),
                number("trade_type"),
                number("trade_mode"),
            ) else {
                return Err(
                    "each product needs a numeric `symbol_id`, `trade_type` and `trade_mode`"
                        .into(),
                );
            };
            let product = quotes::product(symbol_id, trade_type).ok_or_else(|| {
                format!("unknown product: symbol_id {symbol_id}, trade_type {trade_type}")
            })?;
            if subscriptions.iter().any(|s| s.product == product) {
                continue;
            }
            subscriptions.push(Subscription {
                product,
                trade_mode,
                depth: number("depth_level").unwrap_or(1).clamp(1, MAX_DEPTH),
                trade_info: number("trade_info_count").unwrap_or(1).min(MAX_TRADE_INFO),
            });
        }
        let now = shared.now_ms();
        let tick_list: Vec<Value> = subscriptions
            .iter()
            .map(|s| {
                let tick = shared.streams.quotes.current(s.product);
                if market {
                    market_snapshot(s, tick, now)
                } else {
                    ticker_snapshot(s, tick, now)
                }
            })
            .collect();
        if market {
            self.market = subscriptions;
        } else {
            self.ticker = subscriptions;
        }
        Ok(json!({ "tick_list": tick_list }))
    }

    /// `14006`: 0 cancels everything, 1 the ticker subscription, 2 the market one, 3 the
    /// 24-hour rolling quotes (which the sandbox does not push).
    fn cancel(&mut self, data: &Map<String, Value>) -> Result<Value, String> {
        match data.get("cancel_type").and_then(Value::as_u64) {
            Some(0) => {
                self.ticker.clear();
                self.market.clear();
            }
            Some(1) => self.ticker.clear(),
            Some(2) => self.market.clear(),
            Some(3) => {}
            _ => return Err("`cancel_type` must be 0, 1, 2 or 3".into()),
        }
        Ok(json!({}))
    }

    /// One tick of every subscribed product: `p` for the ticker subscription, `pd` and `pt`
    /// for the market one, all three with the tick's `seq`.
    fn pushes(&self, shared: &Shared) -> Vec<Message> {
        let mut products: Vec<&'static Product> = Vec::new();
        for s in self.ticker.iter().chain(&self.market) {
            if !products.contains(&s.product) {
                products.push(s.product);
            }
        }
        let now = shared.now_ms();
        let mut frames = Vec::new();
        for product in products {
            let tick = shared.streams.quotes.advance(product);
            if let Some(s) = self.ticker.iter().find(|s| s.product == product) {
                frames.push(Message::text(ticker_push(s, tick, now)));
            }
            if let Some(s) = self.market.iter().find(|s| s.product == product) {
                frames.push(Message::text(depth_push(s, tick, now)));
                frames.push(Message::text(trade_push(s, tick, now)));
            }
        }
        frames
    }
}

/// `p(symbol_id,trade_type,trade_mode,seq,tick_time,price,bid,ask,bid_volume,ask_volume);`
fn ticker_push(s: &Subscription, tick: Tick, now: i64) -> String {
    let p = s.product;
    format!(
        "p({},{},{},{},{now},{},{},{},{},{});",
        p.symbol_id,
        p.trade_type,
        s.trade_mode,
        tick.seq,
        p.price(tick.points),
        p.price(tick.bid(0)),
        p.price(tick.ask(0)),
        p.volume(tick.seq, 0),
        p.volume(tick.seq, 1),
    )
}

/// `pd(symbol_id,trade_type,trade_mode,seq,tick_time);(bid,vol)...;(ask,vol)...;`
fn depth_push(s: &Subscription, tick: Tick, now: i64) -> String {
    let p = s.product;
    let side = |price: fn(Tick, u64) -> i64, first_volume: u64| {
        (0..s.depth)
            .map(|level| {
                let volume = p.volume(tick.seq, first_volume + 2 * level);
                format!("({},{volume})", p.price(price(tick, level)))
            })
            .collect::<String>()
    };
    format!(
        "pd({},{},{},{},{now});{};{};",
        p.symbol_id,
        p.trade_type,
        s.trade_mode,
        tick.seq,
        side(Tick::bid, 0),
        side(Tick::ask, 1),
    )
}

/// `pt(symbol_id,trade_type,trade_mode,seq,tick_time,price,volume,direction);`
fn trade_push(s: &Subscription, tick: Tick, now: i64) -> String {
    let p = s.product;
    format!(
        "pt({},{},{},{},{now},{},{},{});",
        p.symbol_id,
        p.trade_type,
        s.trade_mode,
        tick.seq,
        p.price(tick.points),
        p.volume(tick.seq, u64::MAX),
        direction(tick.seq),
    )
}

/// The trade direction of tick `seq`: 1 (buy) and 2 (sell) in turn.
fn direction(seq: u64) -> u64 {
    1 + seq % 2
}

/// A `14001` snapshot of one product.
fn ticker_snapshot(s: &Subscription, tick: Tick, now: i64) -> Value {
    let p = s.product;
    json!({
        "symbol_id": p.symbol_id, "trade_type": p.trade_type, "trade_mode": s.trade_mode,
        "seq": tick.seq, "tick_time": now, "price_digits": p.digits,
        "price": p.price(tick.points),
        "tick_deep": [{
            "price_bid": p.price(tick.bid(0)), "price_ask": p.price(tick.ask(0)),
            "volume_bid": p.volume(tick.seq, 0).to_string(),
            "volume_ask": p.volume(tick.seq, 1).to_string(),
        }],
        "open_price": p.price(p.base), "close_price": p.price(tick.points),
        "high_price": p.price(p.base + quotes::WALK_LIMIT),
        "low_price": p.price(p.base - quotes::WALK_LIMIT),
        "yesterday_close_price": p.price(p.base),
    })
}

/// A `14011` snapshot of one product.
fn market_snapshot(s: &Subscription, tick: Tick, now: i64) -> Value {
    let p = s.product;
    let bid_deep: Vec<Value> = (0..s.depth)
        .map(|level| {
            json!({
                "price_bid": p.price(tick.bid(level)),
                "volume_bid": p.volume(tick.seq, 2 * level).to_string(),
            })
        })
        .collect();
    let ask_deep: Vec<Value> = (0..s.depth)
        .map(|level| {
            json!({
                "price_ask": p.price(tick.ask(level)),
                "volume_ask": p.volume(tick.seq, 2 * level + 1).to_string(),
            })
        })
        .collect();
    let trade_info: Vec<Value> = (0..s.trade_info)
        .map(|back| {
            let seq = tick.seq.saturating_sub(back);
            json!({
                "price": p.price(tick.points),
                "volume": p.volume(seq, u64::MAX).to_string(),
                "trade_direction": direction(seq),
                "trade_time": now / 1000,
            })
        })
        .collect();
    json!({
        "symbol_id": p.symbol_id, "trade_type": p.trade_type, "trade_mode": s.trade_mode,
        "seq": tick.seq, "tick_time": now, "price_digits": p.digits,
        "bid_deep": bid_deep, "ask_deep": ask_deep, "trade_info": trade_info,
    })
}

/// `14012`: `query_kline_num` bars (1 to 1000) ending at `kline_timestamp_end` (seconds; the
/// sandbox's now when absent or 0), newest last.
fn kline(shared: &Shared, data: &Map<String, Value>) -> Result<Value, String> {
    let number = |name: &str| data.get(name).and_then(Value::as_u64);
    let (Some(symbol_id), Some(trade_type), Some(trade_mode)) = (
        number("symbol_id"),
        number("trade_type"),
        number("trade_mode"),
    ) else {
        return Err("`symbol_id`, `trade_type` and `trade_mode` are required numbers".into());
    };
    let product = quotes::product(symbol_id, trade_type).ok_or_else(|| {
        format!("unknown product: symbol_id {symbol_id}, trade_type {trade_type}")
    })?;
    let kline_type = number("kline_type").unwrap_or(0);
    let spacing = quotes::kline_spacing(kline_type)
        .ok_or_else(|| format!("`kline_type` {kline_type} is not 1 to 10"))?;
    let count = number("query_kline_num").unwrap_or(0);
    if !(1..=MAX_BARS).contains(&count) {
        return Err(format!("`query_kline_num` {count} is not 1 to {MAX_BARS}"));
    }
    let end = match number("kline_timestamp_end") {
        Some(end) if end > MAX_KLINE_END => {
            return Err(format!("`kline_timestamp_end` {end} is not in seconds"));
        }
        Some(end) if end > 0 => end as i64,
        _ => shared.now_ms() / 1000,
    };
    let kline_list: Vec<Value> = quotes::bars(product, spacing, end, count as usize)
        .into_iter()
        .map(|bar| {
            json!({
                "timestamp": bar.timestamp,
                "open_price": product.price(bar.open),
                "close_price": product.price(bar.close),
                "high_price": product.price(bar.high),
                "low_price": product.price(bar.low),
                "last_tick_time": (bar.timestamp + spacing) * 1000 - 1,
                "last_tick_seq": bar.timestamp,
                "transactions_number": bar.transactions.to_string(),
            })
        })
        .collect();
    Ok(json!({
        "symbol_id": symbol_id, "trade_type": trade_type, "trade_mode": trade_mode,
        "kline_type": kline_type, "price_digits": product.digits, "kline_list": kline_list,
    }))
}

//! Market data (`/apiQuote/...`): ticker and depth subscriptions, their text pushes, and
//! historical K-lines.
//!
//! Upstream's subscription requests *replace* the connection's previous subscription of the
//! same kind; [`MarketData`] keeps the sets for you, so `subscribe_*` adds to what is
//! subscribed and `unsubscribe_*` removes from it, and a reconnection sends them again.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Read;
use std::sync::Arc;

use mm_sdk_core::{LoginToken, Runtime};
use serde::de::DeserializeOwned;
use tokio::sync::{mpsc, oneshot};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::http::Request;
use url::Url;

use super::quote_push::{DepthPush, Product, QuotePush, TickerPush, TradePush, is_push};
use super::supervisor::{self, Control, Link, Protocol};
use super::types::{self, protocol::market_data as protocol};
use super::{Events, Options, Overflow, StreamError, excerpt, socket};

/// Most products one connection may subscribe (tickers and depth together).
const MAX_PRODUCTS: usize = protocol::PRODUCTS_PER_SUBSCRIPTION as usize;
/// Largest K-line reply accepted once decompressed.
const MAX_INFLATED: u64 = 16 << 20;

/// Which market-data feed to connect to.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum QuoteFeed {
    /// `/quote_guest`: visitors' quotes of the crypto and forex area; no token.
    Guest,
    /// `/quote`: registered users of the crypto and forex area, with a customer's login token.
    Registered(LoginToken),
    /// `/quote_stock`: registered users of the stock area, with a customer's login token.
    Stock(LoginToken),
}

/// Upstream's market-data reply codes other than 200.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReplyCode {
    /// 201: the request's header fields (`cmd_id`, `seq_id`, `ext`) are not valid.
    HeaderInvalid,
    /// 202: the request's `data` is not valid (an unknown product, a bad K-line query).
    DataInvalid,
    /// 203: the server does not know this client's connection.
    UnknownClient,
    /// 500: the request failed (also: too many requests per second).
    Failed,
    /// A code upstream does not document.
    Other(i32),
}

impl ReplyCode {
    fn from_ret(ret: i32) -> Self {
        match ret {
            201 => Self::HeaderInvalid,
            202 => Self::DataInvalid,
            203 => Self::UnknownClient,
            500 => Self::Failed,
            other => Self::Other(other),
        }
    }

    /// The number upstream sends.
    pub fn code(self) -> i32 {
        match self {
            Self::HeaderInvalid => 201,
            Self::DataInvalid => 202,
            Self::UnknownClient => 203,
            Self::Failed => 500,
            Self::Other(code) => code,
        }
    }
}

impl std::fmt::Display for ReplyCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.code())
    }
}

/// The period of each K-line bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KlineType {
    /// 1 minute.
    Minute1,
    /// 5 minutes.
    Minute5,
    /// 15 minutes.
    Minute15,
    /// 30 minutes.
    Minute30,
    /// 1 hour.
    Hour1,
    /// 2 hours.
    Hour2,
    /// 4 hours.
    Hour4,
    /// 1 day.
    Day,
    /// 1 week.
    Week,
    /// 1 month.
    Month,
}

impl KlineType {
    fn code(self) -> u32 {
        self as u32 + 1
    }
}

/// Which bars a K-line query returns (1 to 1,000 of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Bars {
    /// The latest `n` bars, the current one included.
    Latest(u32),
    /// `n` bars ending at `end` (Unix seconds).
    Until {
        /// The last bar's time, in Unix seconds.
        end: u64,
        /// How many bars.
        n: u32,
    },
}

/// What the market-data stream yields.
///
/// Serialized as `{"event": "<variant in snake case>", "data": ...}`: what `mm stream` prints,
/// one per line.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "event", content = "data", rename_all = "snake_case")]
#[non_exhaustive]
pub enum MarketEvent {
    /// A ticker push (`p(...)`): last price and the best bid and ask.
    Ticker(TickerPush),
    /// A trade push (`pt(...)`), for depth subscriptions.
    Trade(TradePush),
    /// A depth push (`pd(...)`), for depth subscriptions.
    Depth(DepthPush),
    /// The snapshot that answers a ticker subscription.
    TickerSnapshot(Vec<types::Tick>),
    /// The snapshot that answers a depth subscription.
    MarketSnapshot(Vec<types::MarketTick>),
    /// The connection was restored and the subscriptions sent again; pushes in between were
    /// missed (snapshots follow).
    Reconnected,
    /// The consumer fell behind: this many events were dropped, the oldest first.
    Lagged {
        /// Events dropped.
        missed: u64,
    },
}

/// Opens a market-data stream: [`MultiMarkets::market_data`](crate::MultiMarkets::market_data).
#[derive(Debug, Clone)]
pub struct MarketDataBuilder {
    runtime: Arc<Runtime>,
    feed: QuoteFeed,
    options: Options,
}

impl MarketDataBuilder {
    pub(crate) fn new(runtime: Arc<Runtime>) -> Self {
        Self {
            runtime,
            feed: QuoteFeed::Guest,
            options: Options::default(),
        }
    }

    /// The feed (default [`QuoteFeed::Guest`]).
    pub fn feed(mut self, feed: QuoteFeed) -> Self {
        self.feed = feed;
        self
    }

    /// Buffering and reconnection; market data drops the oldest events by default when the
    /// consumer falls behind.
    pub fn options(mut self, options: Options) -> Self {
        self.options = options;
        self
    }

    /// Connects; fails if the first connection cannot be made.
    pub async fn connect(self) -> Result<(MarketData, Events<MarketEvent>), StreamError> {
        let (path, token) = match self.feed {
            QuoteFeed::Guest => ("/apiQuote/quote_guest", None),
            QuoteFeed::Registered(token) => ("/apiQuote/quote", Some(token)),
            QuoteFeed::Stock(token) => ("/apiQuote/quote_stock", Some(token)),
        };
        let protocol = Quotes {
            url: socket::ws_url(&self.runtime.config().endpoints().client, path)?,
            token,
            tickers: BTreeSet::new(),
            markets: BTreeMap::new(),
            session: fastrand::u64(..),
            seq: 0,
            pending: HashMap::new(),
        };
        let (control, events) = supervisor::start(protocol, self.options, self.runtime).await?;
        Ok((MarketData { control }, events))
    }
}

/// The handle of a market-data stream: subscribe, query K-lines, close. Cheap to clone; the
/// connection closes when every clone and the event stream are dropped, or on [`close`].
///
/// [`close`]: MarketData::close
#[derive(Debug, Clone)]
pub struct MarketData {
    control: mpsc::Sender<Control<Command>>,
}

#[derive(Debug)]
enum Command {
    Tickers {
        add: Vec<Product>,
        remove: Vec<Product>,
        done: oneshot::Sender<Result<(), StreamError>>,
    },
    Markets {
        add: Vec<types::MarketSymbol>,
        remove: Vec<Product>,
        done: oneshot::Sender<Result<(), StreamError>>,
    },
    CancelAll(oneshot::Sender<Result<(), StreamError>>),
    Klines {
        query: types::KlineQuery,
        done: oneshot::Sender<Result<types::KlineHistory, StreamError>>,
    },
}

impl MarketData {
    /// Adds `products` to the ticker subscription; resolves when the server acknowledged it
    /// (its snapshot arrives on the stream), or at once while disconnected (it is sent on
    /// reconnection).
    pub async fn subscribe_tickers(
        &self,
        products: impl IntoIterator<Item = Product>,
    ) -> Result<(), StreamError> {
        let add = products.into_iter().collect();
        self.ask(|done| Command::Tickers {
            add,
            remove: Vec::new(),
            done,
        })
        .await?
    }

    /// Removes `products` from the ticker subscription.
    pub async fn unsubscribe_tickers(
        &self,
        products: impl IntoIterator<Item = Product>,
    ) -> Result<(), StreamError> {
        let remove = products.into_iter().collect();
        self.ask(|done| Command::Tickers {
            add: Vec::new(),
            remove,
            done,
        })
        .await?
    }

    /// Adds depth-and-trades subscriptions (one per product; a product already subscribed
    /// takes the new settings).
    pub async fn subscribe_market(
        &self,
        symbols: impl IntoIterator<Item = types::MarketSymbol>,
    ) -> Result<(), StreamError> {
        let add = symbols.into_iter().collect();
        self.ask(|done| Command::Markets {
            add,
            remove: Vec::new(),
            done,
        })
        .await?
    }

    /// Removes `products` from the depth subscription.
    pub async fn unsubscribe_market(
        &self,
        products: impl IntoIterator<Item = Product>,
    ) -> Result<(), StreamError> {
        let remove = products.into_iter().collect();
        self.ask(|done| Command::Markets {
            add: Vec::new(),
            remove,
            done,
        })
        .await?
    }

    /// Cancels every subscription of the connection.
    pub async fn cancel_all(&self) -> Result<(), StreamError> {
        self.ask(Command::CancelAll).await?
    }

    /// Historical K-lines of `product`, oldest first; at most 1,000 bars per query
    /// ([`StreamError::TooManyBars`] otherwise, without sending).
    pub async fn klines(
        &self,
        product: Product,
        kline: KlineType,
        bars: Bars,
    ) -> Result<types::KlineHistory, StreamError> {
        let (end, n) = match bars {
            Bars::Latest(n) => (None, n),
            Bars::Until { end, n } => (Some(end), n),
        };
        let count = std::num::NonZeroU32::new(n)
            .filter(|n| n.get() <= protocol::BARS_PER_QUERY)
            .ok_or(StreamError::TooManyBars {
                limit: protocol::BARS_PER_QUERY,
                requested: n,
            })?;
        let query = types::KlineQuery {
            symbol_id: product.symbol_id,
            trade_type: product.trade_type,
            trade_mode: product.trade_mode,
            kline_type: kline.code(),
            kline_timestamp_end: end,
            query_kline_num: count,
        };
        self.ask(|done| Command::Klines { query, done }).await?
    }

    /// Closes the connection cleanly and waits until it is closed.
    pub async fn close(self) {
        supervisor::shut_down(&self.control).await;
    }

    async fn ask<T>(
        &self,
        command: impl FnOnce(oneshot::Sender<T>) -> Command,
    ) -> Result<T, StreamError> {
        supervisor::ask(&self.control, command).await
    }
}

/// The market-data protocol, driven by the supervisor.
#[derive(Debug)]
struct Quotes {
    url: Url,
    token: Option<LoginToken>,
    tickers: BTreeSet<Product>,
    markets: BTreeMap<Product, types::MarketSymbol>,
    session: u64,
    seq: u32,
    pending: HashMap<u32, Pending>,
}

#[derive(Debug)]
enum Pending {
    Ack(oneshot::Sender<Result<(), StreamError>>),
    Klines(oneshot::Sender<Result<types::KlineHistory, StreamError>>),
}

impl Quotes {
    /// A request frame; `done` waits for its reply.
    fn request<R: protocol::Request>(
        &mut self,
        data: &R,
        link: &mut Link<MarketEvent>,
        pending: Option<Pending>,
    ) {
        self.seq = self.seq.wrapping_add(1);
        let data = match serde_json::to_value(data) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => serde_json::Map::new(),
        };
        // 7 + 16 + 1 + at most 10 characters: always within the 64 allowed.
        let ext = format!("mm-sdk-{:016x}-{}", self.session, self.seq).parse();
        let frame = ext.map(|ext| types::QuoteRequest {
            cmd_id: R::CMD_ID,
            seq_id: self.seq,
            ext,
            data,
        });
        match frame
            .map_err(|e| e.to_string())
            .and_then(|frame| serde_json::to_string(&frame).map_err(|e| e.to_string()))
        {
            Ok(text) => {
                if let Some(pending) = pending {
                    self.pending.insert(self.seq, pending);
                }
                link.send(Message::text(text));
            }
            Err(e) => link.error(StreamError::Config(format!("cannot encode a request: {e}"))),
        }
    }

    fn send_tickers(&mut self, link: &mut Link<MarketEvent>, pending: Option<Pending>) {
        if self.tickers.is_empty() {
            self.request(&types::QuoteCancel { cancel_type: 1 }, link, pending);
            return;
        }
        let subscription = types::TickerSubscription {
            symbol_list: self.tickers.iter().map(|p| quote_symbol(*p)).collect(),
        };
        self.request(&subscription, link, pending);
    }

    fn send_markets(&mut self, link: &mut Link<MarketEvent>, pending: Option<Pending>) {
        if self.markets.is_empty() {
            self.request(&types::QuoteCancel { cancel_type: 2 }, link, pending);
            return;
        }
        let subscription = types::MarketSubscription {
            symbol_list: self.markets.values().cloned().collect(),
        };
        self.request(&subscription, link, pending);
    }

    /// The products subscribed if `tickers` and `markets` were the sets.
    fn products(
        tickers: &BTreeSet<Product>,
        markets: &BTreeMap<Product, types::MarketSymbol>,
    ) -> usize {
        tickers
            .iter()
            .chain(markets.keys())
            .collect::<BTreeSet<_>>()
            .len()
    }

    /// Resolves a request at once: sent, or kept for the reconnection.
    fn settle(
        &self,
        link: &Link<MarketEvent>,
        done: oneshot::Sender<Result<(), StreamError>>,
    ) -> Option<Pending> {
        if link.online {
            Some(Pending::Ack(done))
        } else {
            let _ = done.send(Ok(()));
            None
        }
    }

    fn reply(&mut self, text: &str, link: &mut Link<MarketEvent>) {
        let reply: types::QuoteReply = match serde_json::from_str(text) {
            Ok(reply) => reply,
            Err(e) => return link.error(decode_error(e.to_string(), text)),
        };
        let pending = self.pending.remove(&reply.seq_id);
        let request = protocol::request_name(reply.cmd_id.wrapping_sub(1)).unwrap_or("request");
        if reply.ret != 200 {
            let error = StreamError::Rejected {
                request,
                code: ReplyCode::from_ret(reply.ret),
                message: reply.msg.clone().unwrap_or_default(),
            };
            match pending {
                Some(Pending::Ack(done)) => {
                    let _ = done.send(Err(error));
                }
                Some(Pending::Klines(done)) => {
                    let _ = done.send(Err(error));
                }
                None => link.error(error),
            }
            return;
        }
        let data = serde_json::Value::Object(reply.data);
        match reply.cmd_id.wrapping_sub(1) {
            protocol::TICKER_SUBSCRIBE => match decode::<types::TickerSnapshot>(data, text) {
                Ok(snapshot) => link.event(MarketEvent::TickerSnapshot(snapshot.tick_list)),
                Err(e) => link.error(e),
            },
            protocol::MARKET_SUBSCRIBE => match decode::<types::MarketSnapshot>(data, text) {
                Ok(snapshot) => link.event(MarketEvent::MarketSnapshot(snapshot.tick_list)),
                Err(e) => link.error(e),
            },
            protocol::KLINE => {
                let history = decode::<types::KlineHistory>(data, text);
                if let Some(Pending::Klines(done)) = pending {
                    let _ = done.send(history);
                    return;
                }
            }
            _ => {}
        }
        if let Some(Pending::Ack(done)) = pending {
            let _ = done.send(Ok(()));
        }
    }
}

impl Protocol for Quotes {
    type Event = MarketEvent;
    type Command = Command;

    const HEARTBEAT: std::time::Duration = protocol::HEARTBEAT_PERIOD;
    const OVERFLOW: Overflow = Overflow::DropOldest;
    const REQUESTS_PER_SECOND: Option<usize> = Some(protocol::REQUESTS_PER_SECOND as usize);

    async fn request(&mut self) -> Result<Request<()>, StreamError> {
        let mut url = self.url.clone();
        if let Some(token) = &self.token {
            url.query_pairs_mut()
                .append_pair("token", token.expose_secret());
        }
        socket::request(&url, &[])
    }

    fn connected(&mut self, link: &mut Link<MarketEvent>, reconnect: bool) {
        if reconnect {
            link.event(MarketEvent::Reconnected);
        }
        if !self.tickers.is_empty() {
            self.send_tickers(link, None);
        }
        if !self.markets.is_empty() {
            self.send_markets(link, None);
        }
    }

    fn heartbeat(&mut self, link: &mut Link<MarketEvent>) {
        self.request(&types::Heartbeat(serde_json::Map::new()), link, None);
    }

    fn command(&mut self, command: Command, link: &mut Link<MarketEvent>) {
        match command {
            Command::Tickers { add, remove, done } => {
                let mut tickers = self.tickers.clone();
                tickers.extend(add);
                for product in &remove {
                    tickers.remove(product);
                }
                let requested = Self::products(&tickers, &self.markets);
                if requested > MAX_PRODUCTS {
                    let _ = done.send(Err(StreamError::TooManyProducts {
                        limit: MAX_PRODUCTS,
                        requested,
                    }));
                    return;
                }
                self.tickers = tickers;
                let pending = self.settle(link, done);
                self.send_tickers(link, pending);
            }
            Command::Markets { add, remove, done } => {
                let mut markets = self.markets.clone();
                for symbol in add {
                    markets.insert(product_of(&symbol), symbol);
                }
                for product in &remove {
                    markets.remove(product);
                }
                let requested = Self::products(&self.tickers, &markets);
                if requested > MAX_PRODUCTS {
                    let _ = done.send(Err(StreamError::TooManyProducts {
                        limit: MAX_PRODUCTS,
                        requested,
                    }));
                    return;
                }
                self.markets = markets;
                let pending = self.settle(link, done);
                self.send_markets(link, pending);
            }
            Command::CancelAll(done) => {
                self.tickers.clear();
                self.markets.clear();
                let pending = self.settle(link, done);
                self.request(&types::QuoteCancel { cancel_type: 0 }, link, pending);
            }
            Command::Klines { query, done } => {
                if !link.online {
                    let _ = done.send(Err(StreamError::Disconnected(
                        "not connected; try again after the reconnection".to_owned(),
                    )));
                    return;
                }
                self.request(&query, link, Some(Pending::Klines(done)));
            }
        }
    }

    fn frame(&mut self, frame: Message, link: &mut Link<MarketEvent>) {
        match frame {
            Message::Text(text) => {
                let text = text.as_str();
                if is_push(text) {
                    match QuotePush::parse(text) {
                        Ok(QuotePush::Ticker(push)) => link.event(MarketEvent::Ticker(push)),
                        Ok(QuotePush::Trade(push)) => link.event(MarketEvent::Trade(push)),
                        Ok(QuotePush::Depth(push)) => link.event(MarketEvent::Depth(push)),
                        Err(e) => link.error(decode_error(e.to_string(), text)),
                    }
                } else {
                    self.reply(text, link);
                }
            }
            // The K-line reply: the whole JSON reply, zlib-compressed.
            Message::Binary(bytes) => {
                let mut inflated = String::new();
                let read = flate2::read::ZlibDecoder::new(&bytes[..])
                    .take(MAX_INFLATED)
                    .read_to_string(&mut inflated);
                match read {
                    Ok(_) => self.reply(&inflated, link),
                    Err(e) => link.error(StreamError::Decode {
                        stream: "market data",
                        reason: format!("a binary frame that is not zlib-compressed text: {e}"),
                        excerpt: String::new(),
                    }),
                }
            }
            _ => {}
        }
    }

    fn disconnected(&mut self) {
        for (_, pending) in self.pending.drain() {
            match pending {
                Pending::Ack(done) => {
                    let _ = done.send(Err(StreamError::answer_lost()));
                }
                Pending::Klines(done) => {
                    let _ = done.send(Err(StreamError::answer_lost()));
                }
            }
        }
    }

    fn lagged(missed: u64) -> MarketEvent {
        MarketEvent::Lagged { missed }
    }
}

fn quote_symbol(product: Product) -> types::QuoteSymbol {
    types::QuoteSymbol {
        symbol_id: product.symbol_id,
        trade_type: product.trade_type,
        trade_mode: product.trade_mode,
    }
}

fn product_of(symbol: &types::MarketSymbol) -> Product {
    Product {
        symbol_id: symbol.symbol_id,
        trade_type: symbol.trade_type,
        trade_mode: symbol.trade_mode,
    }
}

fn decode<T: DeserializeOwned>(data: serde_json::Value, text: &str) -> Result<T, StreamError> {
    serde_json::from_value(data).map_err(|e| decode_error(e.to_string(), text))
}

fn decode_error(reason: String, text: &str) -> StreamError {
    StreamError::Decode {
        stream: "market data",
        reason,
        excerpt: excerpt(text),
    }
}

//! The platform's three WebSocket streams: market data (`/apiQuote/...`), the Open API
//! messages (`/openapi-c/openMsg/{appId}`) and the Manager's Data Push (`/openapi-b/ws`), with
//! the faults tests inject into them and the counts they check.
//!
//! Each module has one job: [`socket`] the handshake and the fault-capable socket, [`quotes`]
//! the quoted products and their prices, [`market_data`] the market-data protocol,
//! [`open_messages`] the message protocol, [`event_log`] the Data Push log and its groups,
//! [`events`] the Data Push payloads, [`data_push`] the Data Push connections.

mod data_push;
mod event_log;
pub(crate) mod events;
mod market_data;
mod open_messages;
mod quotes;
mod socket;

pub(crate) use quotes::Quote;

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::routing::get;
use rust_decimal::Decimal;
use serde_json::Value;
use tokio::sync::watch;
use tokio::time::Instant;

use crate::context::Shared;
use crate::funds;
use crate::server::Sandbox;

/// Which stream a fault or a count is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Stream {
    /// Market data: `/apiQuote/quote`, `/apiQuote/quote_guest`, `/apiQuote/quote_stock`.
    MarketData,
    /// The Open API messages: `/openapi-c/openMsg/{appId}`.
    OpenMessages,
    /// The Manager's Data Push: `/openapi-b/ws`.
    DataPush,
}

impl Stream {
    fn index(self) -> usize {
        match self {
            Self::MarketData => 0,
            Self::OpenMessages => 1,
            Self::DataPush => 2,
        }
    }
}

/// A fault the next frame the sandbox sends on a stream suffers, on every connection of that
/// stream open at the time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StreamFault {
    /// Write the first half of the next frame's bytes, then close the TCP connection (no close
    /// frame).
    DropMidFrame,
    /// Stop sending anything (pushes, replies, pongs) and stop reading, without closing, until
    /// the client goes away.
    Stall,
    /// Write the next frame whole, then close the TCP connection: the frame counts as not
    /// delivered, so Data Push sends its event again on the group's next connection (an
    /// at-least-once delivery, as upstream may do around a reconnection).
    DropAfterFrame,
    /// Send one text frame that is not valid for the stream (for market data `p(1,2`;
    /// otherwise `{"eventType":` ), then carry on normally.
    MalformedFrame,
}

/// The routes of the three streams; everything else is the HTTP APIs'.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/apiQuote/quote", get(market_data::quote))
        .route("/apiQuote/quote_guest", get(market_data::quote_guest))
        .route("/apiQuote/quote_stock", get(market_data::quote_stock))
        .route("/openapi-c/openMsg/{app_id}", get(open_messages::handshake))
        .route("/openapi-b/ws", get(data_push::handshake))
}

/// What the streams share: the stop signal, the counts and faults of each stream, the quote
/// feed, the Open API messages' outbox and the Data Push log.
#[derive(Debug)]
pub(crate) struct Hub {
    shutdown: watch::Sender<bool>,
    stats: [Stats; 3],
    next_connection: AtomicU64,
    quotes: quotes::Feed,
    quote_failures: Mutex<VecDeque<(i32, String)>>,
    messages: open_messages::Outbox,
    pub(crate) log: event_log::EventLog,
    next_proposal: AtomicU64,
}

impl Default for Hub {
    fn default() -> Self {
        Self {
            shutdown: watch::channel(false).0,
            stats: Default::default(),
            next_connection: AtomicU64::new(1),
            quotes: quotes::Feed::default(),
            quote_failures: Mutex::default(),
            messages: open_messages::Outbox::default(),
            log: event_log::EventLog::default(),
            next_proposal: AtomicU64::new(1),
        }
    }
}

/// One stream's counts and the fault slots of its open connections.
#[derive(Debug, Default)]
struct Stats {
    handshakes: AtomicUsize,
    requests: Mutex<Vec<Instant>>,
    open: Mutex<HashMap<u64, Arc<FaultSlot>>>,
}

/// The fault waiting for a connection's next frame.
#[derive(Debug, Default)]
struct FaultSlot(Mutex<Option<StreamFault>>);

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Nothing here is left half-changed by a panic: every critical section is one operation.
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl Hub {
    /// Ends every stream connection (the sandbox is being dropped).
    pub(crate) fn shut_down(&self) {
        self.shutdown.send_replace(true);
    }

    fn shutdown_signal(&self) -> watch::Receiver<bool> {
        self.shutdown.subscribe()
    }

    fn stats(&self, stream: Stream) -> &Stats {
        &self.stats[stream.index()]
    }

    /// A new id for a Data Push `account_adjust` proposal.
    pub(crate) fn next_proposal(&self) -> u64 {
        self.next_proposal.fetch_add(1, Ordering::Relaxed)
    }

    /// The quote of product `symbol_id` under `trade_type` as the market-data stream last
    /// pushed it (its base price before its first tick); `None` for a product the sandbox does
    /// not quote. Orders fill at it, so a client sees the prices it trades at.
    pub(crate) fn quote(&self, symbol_id: i64, trade_type: i64) -> Option<Quote> {
        let (symbol_id, trade_type) = (
            u64::try_from(symbol_id).ok()?,
            u64::try_from(trade_type).ok()?,
        );
        let product = quotes::product(symbol_id, trade_type)?;
        Some(Quote {
            product,
            tick: self.quotes.current(product),
        })
    }

    /// The answer queued by [`Sandbox::fail_next_quote_request`], if any.
    fn next_quote_failure(&self) -> Option<(i32, String)> {
        lock(&self.quote_failures).pop_front()
    }
}

/// A connection of a stream, counted and open to faults from its handshake until it is
/// dropped.
#[derive(Debug)]
pub(crate) struct Registration {
    shared: Arc<Shared>,
    stream: Stream,
    id: u64,
    fault: Arc<FaultSlot>,
}

impl Registration {
    /// Counts a completed handshake and makes the connection reachable by
    /// [`Sandbox::inject`].
    fn new(shared: &Arc<Shared>, stream: Stream) -> Self {
        let hub = &shared.streams;
        let id = hub.next_connection.fetch_add(1, Ordering::Relaxed);
        let fault = Arc::new(FaultSlot::default());
        let stats = hub.stats(stream);
        lock(&stats.open).insert(id, fault.clone());
        stats.handshakes.fetch_add(1, Ordering::SeqCst);
        Self {
            shared: shared.clone(),
            stream,
            id,
            fault,
        }
    }

    fn take_fault(&self) -> Option<StreamFault> {
        lock(&self.fault.0).take()
    }

    fn record_request(&self) {
        lock(&self.shared.streams.stats(self.stream).requests).push(Instant::now());
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        lock(&self.shared.streams.stats(self.stream).open).remove(&self.id);
    }
}

impl Sandbox {
    /// Makes the next frame the sandbox sends on `stream` suffer `fault`, on every connection
    /// of that stream open now (a stream with no open connection is left alone).
    pub fn inject(&self, stream: Stream, fault: StreamFault) {
        let open = lock(&self.shared().streams.stats(stream).open);
        for slot in open.values() {
            *lock(&slot.0) = Some(fault);
        }
    }

    /// Handshakes completed so far on the stream (reconnections count).
    pub fn stream_connections(&self, stream: Stream) -> usize {
        self.shared()
            .streams
            .stats(stream)
            .handshakes
            .load(Ordering::SeqCst)
    }

    /// Connections of the stream open now (a client that closed or dropped its handle is no
    /// longer counted once the sandbox has seen the connection end).
    pub fn open_stream_connections(&self, stream: Stream) -> usize {
        lock(&self.shared().streams.stats(stream).open).len()
    }

    /// `tokio::time::Instant`s at which the sandbox received each request frame on the
    /// stream, oldest first (for pacing checks). A request frame is a text or binary frame
    /// (market-data requests, Open API messages, Data Push `ping`s), not a control frame.
    pub fn stream_requests(&self, stream: Stream) -> Vec<Instant> {
        lock(&self.shared().streams.stats(stream).requests).clone()
    }

    /// Answers the next market-data request with this `ret` code and message instead of
    /// processing it (for error-mapping tests): 201, 202, 203 or 500. Calls queue up: each
    /// answers one request, on whichever connection sends it.
    pub fn fail_next_quote_request(&self, ret: i32, msg: &str) {
        lock(&self.shared().streams.quote_failures).push_back((ret, msg.to_owned()));
    }

    /// Appends a Data Push event to the log, delivered to every group (a group that has never
    /// connected yet is not owed it).
    pub fn emit_data_push(&self, event_type: &str, data: Value) {
        let shared = self.shared();
        shared.streams.log.append(shared.now_ms(), event_type, data);
    }

    /// A customer pays in through the trading UI: credits the account, records a paid
    /// deposit proposal (listed by `query_deposit_page_list`) and emits a `deposit` event
    /// (payload shaped like `data_push_deposit.json`, with the proposal's number). Errors as a
    /// `String` for an unknown customer or account, or an amount that is not positive.
    pub fn simulate_deposit(
        &self,
        customer_no: &str,
        account_id: i64,
        amount: Decimal,
    ) -> Result<(), String> {
        if amount <= Decimal::ZERO {
            return Err(format!("a deposit is a positive amount, not {amount}"));
        }
        let shared = self.shared();
        let deposit = shared
            .change(|state, now| funds::pay_in(state, customer_no, account_id, amount, now))
            .map_err(|failure| failure.msg)?;
        let data = events::deposit(shared, &deposit);
        shared.streams.log.append(shared.now_ms(), "deposit", data);
        Ok(())
    }

    /// Sends a `trade` message (content as given) to the subscribed Open API sessions: the
    /// logged-in ones subscribed to the content's `tradeType` (every subscribed one when it
    /// has none).
    pub fn emit_trade_message(&self, content: Value) {
        let shared = self.shared();
        shared.streams.messages.send(shared.now_ms(), content);
    }
}

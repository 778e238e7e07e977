//! What the three WebSocket streams share, whichever connection serves them: the stop signal,
//! each stream's counts and the faults waiting for its open connections, the quote feed, the
//! Open API messages' outbox ([`outbox`]) and the Data Push log ([`event_log`]). The
//! connections themselves are `streams`'.

pub(crate) mod event_log;
pub(crate) mod outbox;

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::watch;
use tokio::time::Instant;

use crate::model::quotes::{self, Feed, Quote};

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

/// What the streams share.
#[derive(Debug)]
pub(crate) struct Hub {
    shutdown: watch::Sender<bool>,
    stats: [Stats; 3],
    next_connection: AtomicU64,
    /// The current tick of every product quoted so far.
    pub(crate) quotes: Feed,
    quote_failures: Mutex<VecDeque<(i32, String)>>,
    /// The Open API messages' `trade` messages.
    pub(crate) messages: outbox::Outbox,
    /// The Data Push events and groups.
    pub(crate) log: event_log::EventLog,
    next_proposal: AtomicU64,
}

impl Default for Hub {
    fn default() -> Self {
        Self {
            shutdown: watch::channel(false).0,
            stats: Default::default(),
            next_connection: AtomicU64::new(1),
            quotes: Feed::default(),
            quote_failures: Mutex::default(),
            messages: outbox::Outbox::default(),
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
pub(crate) struct FaultSlot(Mutex<Option<StreamFault>>);

impl FaultSlot {
    /// The fault waiting, which no longer waits.
    pub(crate) fn take(&self) -> Option<StreamFault> {
        lock(&self.0).take()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Nothing here is left half-changed by a panic: every critical section is one operation.
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl Hub {
    /// Ends every stream connection (the sandbox is being dropped).
    pub(crate) fn shut_down(&self) {
        self.shutdown.send_replace(true);
    }

    /// Turns `true` when the sandbox stops.
    pub(crate) fn shutdown_signal(&self) -> watch::Receiver<bool> {
        self.shutdown.subscribe()
    }

    fn stats(&self, stream: Stream) -> &Stats {
        &self.stats[stream.index()]
    }

    /// Counts a completed handshake on `stream`: the new connection's id, and the slot where
    /// [`Hub::inject`] leaves its faults until [`Hub::close`].
    pub(crate) fn open(&self, stream: Stream) -> (u64, Arc<FaultSlot>) {
        let id = self.next_connection.fetch_add(1, Ordering::Relaxed);
        let fault = Arc::new(FaultSlot::default());
        let stats = self.stats(stream);
        lock(&stats.open).insert(id, fault.clone());
        stats.handshakes.fetch_add(1, Ordering::SeqCst);
        (id, fault)
    }

    /// The connection `id` of `stream` has ended.
    pub(crate) fn close(&self, stream: Stream, id: u64) {
        lock(&self.stats(stream).open).remove(&id);
    }

    /// A request frame arrived on `stream` now.
    pub(crate) fn record_request(&self, stream: Stream) {
        lock(&self.stats(stream).requests).push(Instant::now());
    }

    /// Makes the next frame of every connection of `stream` open now suffer `fault`.
    pub(crate) fn inject(&self, stream: Stream, fault: StreamFault) {
        for slot in lock(&self.stats(stream).open).values() {
            *lock(&slot.0) = Some(fault);
        }
    }

    /// Handshakes completed so far on `stream`.
    pub(crate) fn handshakes(&self, stream: Stream) -> usize {
        self.stats(stream).handshakes.load(Ordering::SeqCst)
    }

    /// Connections of `stream` open now.
    pub(crate) fn open_connections(&self, stream: Stream) -> usize {
        lock(&self.stats(stream).open).len()
    }

    /// When each request frame of `stream` arrived, oldest first.
    pub(crate) fn requests(&self, stream: Stream) -> Vec<Instant> {
        lock(&self.stats(stream).requests).clone()
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

    /// Queues the answer of a market-data request that is to fail.
    pub(crate) fn fail_next_quote_request(&self, ret: i32, msg: &str) {
        lock(&self.quote_failures).push_back((ret, msg.to_owned()));
    }

    /// The answer queued by [`Hub::fail_next_quote_request`], if any.
    pub(crate) fn next_quote_failure(&self) -> Option<(i32, String)> {
        lock(&self.quote_failures).pop_front()
    }
}

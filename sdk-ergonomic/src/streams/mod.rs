//! Live data over WebSocket: market data, Open API messages and Manager Data Push, each a
//! `Stream` of typed events plus a handle to subscribe, cancel and close.
//!
//! | Stream | Open with | Events |
//! | --- | --- | --- |
//! | Market data (`/apiQuote/...`) | [`MultiMarkets::market_data`](crate::MultiMarkets::market_data) | [`MarketEvent`] |
//! | Open API messages (`/openapi-c/openMsg/{appId}`) | [`MultiMarkets::open_messages`](crate::MultiMarkets::open_messages) | [`OpenEvent`] |
//! | Manager Data Push (`/openapi-b/ws`) | [`MultiMarkets::data_push`](crate::MultiMarkets::data_push) | [`DataPushEvent`] |
//!
//! The frames are described in `openapi/streams/asyncapi.yaml` and their types generated into
//! [`types`]; the market-data text pushes (`p(...)`, `pt(...)`, `pd(...)`) are parsed by
//! [`QuotePush::parse`] in one pass, with no allocation per field.
//!
//! # What every stream does for you
//!
//! - **Heartbeats** at upstream's period (market data and Data Push 10 s, Open API messages
//!   15 s), plus a WebSocket ping; a connection silent for three periods is treated as dead.
//! - **Reconnection** with exponential backoff and full jitter ([`Options::reconnect`]), then
//!   everything is restored: the market-data subscriptions, the Open API login and asset
//!   subscriptions, the Data Push `group`. Each lost connection is reported as an
//!   `Err(StreamError)` item and each restored one as a `Reconnected` event; the stream goes on.
//! - **Limits before sending**: the 101st market-data product is refused with
//!   [`StreamError::TooManyProducts`] and a K-line query of more than 1,000 bars with
//!   [`StreamError::TooManyBars`], both without sending; market-data requests are paced under
//!   upstream's 50 per second.
//! - **A bounded buffer** between the socket and your code ([`Options::buffer`]). When it is
//!   full, market data drops the oldest events and then yields a `Lagged { missed }` event
//!   ([`Overflow::DropOldest`]); Open API messages and Data Push stop reading the socket until
//!   you catch up ([`Overflow::Backpressure`]), so no business event is dropped. Memory never
//!   grows without bound.
//! - **Clean shutdown**: `close().await` on a handle (or dropping every handle, or the event
//!   stream) logs out where the protocol has a logout and sends a close frame.
//!
//! The first connection is made by `connect().await`, which fails at once if it cannot be
//! made (a wrong host, a refused credential); later failures are reported on the stream.
//!
//! # Data Push and gaps
//!
//! The platform keeps each `group`'s events for 168 hours and sends the ones produced while
//! the group was offline when it reconnects. So: always name a group (see
//! [`DataPushBuilder::group`]); keep it stable across restarts; use one connection per group (a
//! second connection with the same group takes it over, and the first ends with
//! [`StreamError::Kicked`], without reconnecting). [`DataPushEvent::Reconnected`] says whether
//! events may have been missed: always without a group, and with one when the connection was
//! down longer than the retention. The server cannot know whether the last events it wrote
//! before a connection broke were read, so it may send them again: the client drops a frame
//! identical to one of the 64 received before the reconnection (events carry their record's
//! id and times, so an identical frame is the same event). Handle events idempotently anyway
//! (by `id` and update time): across a restart of your process, nothing is remembered.

mod buffer;
mod data_push;
mod market_data;
#[cfg(feature = "client-open-api")]
mod open_messages;
mod quote_push;
mod socket;
mod supervisor;

use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

pub use buffer::Overflow;
pub use data_push::{DataPush, DataPushBuilder, DataPushEvent, Gap};
pub use market_data::{
    Bars, KlineType, MarketData, MarketDataBuilder, MarketEvent, QuoteFeed, ReplyCode,
};
pub use mm_sdk_generated::streams as types;
#[cfg(feature = "client-open-api")]
pub use open_messages::{OpenEvent, OpenMessages, OpenMessagesBuilder, TradeType};
pub use quote_push::{
    DepthPush, Level, Product, PushError, QuotePush, TickerPush, TradeDirection, TradePush, is_push,
};

use buffer::{Buffer, Next};
use supervisor::Item;

/// Why a stream, or one request on it, failed.
///
/// Items of an event stream are `Result<Event, StreamError>`: an `Err` item reports something
/// that went wrong (a lost connection, a frame that could not be decoded, a subscription the
/// server refused) and the stream goes on; the stream ends after a fatal error
/// ([`StreamError::is_fatal`]) or a close.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StreamError {
    /// The configuration cannot open this stream (a missing credential, a bad endpoint).
    #[error("stream configuration: {0}")]
    Config(String),
    /// The connection could not be made.
    #[error("cannot connect: {0}")]
    Connect(String),
    /// The server refused the handshake with this HTTP status (401: the credential).
    #[error("the server refused the connection with HTTP {status}")]
    Refused {
        /// The HTTP status of the refusal.
        status: u16,
    },
    /// The connection was lost; the stream reconnects.
    #[error("connection lost: {0}")]
    Disconnected(String),
    /// Nothing was heard for three heartbeat periods; the stream reconnects.
    #[error("the server went silent for {} ms", silent_for.as_millis())]
    Stalled {
        /// How long nothing was heard.
        silent_for: Duration,
    },
    /// A frame could not be decoded; the stream goes on with the next one.
    #[error("cannot decode a {stream} frame: {reason} (frame starts: {excerpt:?})")]
    Decode {
        /// Which stream.
        stream: &'static str,
        /// What was wrong.
        reason: String,
        /// The frame's first characters (frames of these streams carry no secrets, but the
        /// excerpt is short anyway).
        excerpt: String,
    },
    /// The server answered a market-data request with an error code.
    #[error("market data refused `{request}`: {code} ({message})")]
    Rejected {
        /// The request: `ticker subscription`, `K-line query`, ...
        request: &'static str,
        /// Upstream's code.
        code: ReplyCode,
        /// The server's message.
        message: String,
    },
    /// The server refused an Open API message request (`content.code` not `0`).
    #[error("Open API messages refused `{request}`: code {code} ({message})")]
    Refusal {
        /// The request's `msgType`.
        request: String,
        /// The server's code (`401`: the token is not valid).
        code: String,
        /// The server's message.
        message: String,
    },
    /// More products than a market-data connection may subscribe; nothing was sent.
    #[error(
        "a market-data connection subscribes at most {limit} products; this would be {requested}"
    )]
    TooManyProducts {
        /// Upstream's limit (100).
        limit: usize,
        /// The products the subscription would hold.
        requested: usize,
    },
    /// A K-line query for more bars than upstream allows; nothing was sent.
    #[error("a K-line query returns 1 to {limit} bars; {requested} were asked for")]
    TooManyBars {
        /// Upstream's limit (1,000).
        limit: u32,
        /// The bars asked for.
        requested: u32,
    },
    /// Another connection with the same Data Push group took over; this one is closed.
    #[error("Data Push group `{group}` was taken over by another connection")]
    Kicked {
        /// The group.
        group: String,
    },
    /// The stream is closed: a request on a closed handle.
    #[error("the stream is closed")]
    Closed,
    /// The token for Open API messages could not be obtained.
    #[error("cannot get the message token: {0}")]
    Token(String),
}

impl StreamError {
    /// A request whose connection was lost before its answer came.
    pub(crate) fn answer_lost() -> Self {
        StreamError::Disconnected("the connection was lost before the answer".to_owned())
    }

    /// Whether the stream ends with this error rather than reconnecting: a refused
    /// credential, a taken-over group, a configuration problem.
    pub fn is_fatal(&self) -> bool {
        matches!(
            self,
            StreamError::Config(_)
                | StreamError::Refused { status: 400..=499 }
                | StreamError::Kicked { .. }
                | StreamError::Closed
        )
    }
}

/// How a stream buffers and reconnects. [`Options::default`] suits most uses.
#[derive(Debug, Clone)]
pub struct Options {
    buffer: usize,
    /// `None`: the stream's own policy.
    overflow: Option<Overflow>,
    reconnect_first: Duration,
    reconnect_max: Duration,
    connect_timeout: Duration,
}

impl Options {
    /// Events buffered for a slow consumer (default 1,024); see [`Overflow`].
    pub fn buffer(mut self, events: usize) -> Self {
        self.buffer = events.max(1);
        self
    }

    /// What happens when the buffer is full. Unset, each stream keeps its own policy:
    /// [`Overflow::DropOldest`] for market data, [`Overflow::Backpressure`] for Open API
    /// messages and Data Push.
    pub fn overflow(mut self, overflow: Overflow) -> Self {
        self.overflow = Some(overflow);
        self
    }

    /// Reconnection delays: the first at most `first`, doubling up to `max`, each drawn at
    /// random below its bound (full jitter), so that many clients do not reconnect at once.
    /// Defaults: 250 ms and 30 s.
    pub fn reconnect(mut self, first: Duration, max: Duration) -> Self {
        self.reconnect_first = first;
        self.reconnect_max = max.max(first);
        self
    }

    /// How long a connection and its handshake may take (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }
}

impl Default for Options {
    fn default() -> Self {
        Self {
            buffer: 1024,
            overflow: None,
            reconnect_first: Duration::from_millis(250),
            reconnect_max: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
        }
    }
}

impl Options {
    /// The delay before reconnection attempt `failures` (1 for the first).
    fn backoff(&self, failures: u32) -> Duration {
        let exponent = failures.saturating_sub(1).min(16);
        let bound = self
            .reconnect_first
            .saturating_mul(1 << exponent)
            .min(self.reconnect_max);
        let millis = u64::try_from(bound.as_millis()).unwrap_or(u64::MAX);
        Duration::from_millis(fastrand::u64(0..=millis))
    }
}

/// The events of one stream: a `futures::Stream` of `Result<E, StreamError>`.
///
/// Dropping it closes the connection, as closing the handle does.
pub struct Events<E> {
    buffer: Arc<Buffer<Item<E>>>,
    lagged: fn(u64) -> E,
}

impl<E> fmt::Debug for Events<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Events").finish_non_exhaustive()
    }
}

impl<E> Events<E> {
    fn new(buffer: Arc<Buffer<Item<E>>>, lagged: fn(u64) -> E) -> Self {
        Self { buffer, lagged }
    }
}

impl<E> futures::Stream for Events<E> {
    type Item = Result<E, StreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.buffer.poll_next(cx).map(|next| match next {
            Next::Item(item) => Some(item),
            Next::Lagged(missed) => Some(Ok((self.lagged)(missed))),
            Next::End => None,
        })
    }
}

impl<E> Drop for Events<E> {
    fn drop(&mut self) {
        self.buffer.close();
    }
}

/// The first characters of a frame, for a decode error.
fn excerpt(text: &str) -> String {
    text.chars().take(48).collect()
}

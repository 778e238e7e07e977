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
//! - **Reconnection** after the SDK's one [`Backoff`] (exponential, capped,
//!   full jitter: [`Options::reconnect`]), then everything is restored: the market-data
//!   subscriptions, the Open API login and asset subscriptions, the Data Push `group`. Each
//!   lost connection is reported as an `Err(StreamError)` item and each restored one as a
//!   `Reconnected` event; the stream goes on.
//! - **The client's configuration**: the TLS of the SDK's HTTP client (rustls with the
//!   platform's certificate verifier, certificates always checked; an HTTP client of your own,
//!   given to [`Builder::http_client`](crate::Builder::http_client), leaves it as it is), the
//!   configured `User-Agent` on every handshake, and the configured connect timeout unless
//!   [`Options::connect_timeout`] sets one.
//!   Credentials are read at each connection, the first and every reconnection: Data Push
//!   sends the Manager token as it is then (so a token replaced with
//!   [`MultiMarkets::rotate_manager_token`](crate::MultiMarkets::rotate_manager_token) is
//!   used from the next reconnection on), and Open API messages fetch a fresh token, signed
//!   with the current key; a failed fetch is [`StreamError::Call`], holding the call's
//!   [`Error`](crate::Error).
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
mod error;
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
pub use error::StreamError;
pub use market_data::{
    Bars, KlineType, MarketData, MarketDataBuilder, MarketEvent, QuoteFeed, ReplyCode,
};
pub use mm_sdk_generated::streams as types;
#[cfg(feature = "client-open-api")]
pub use open_messages::{OpenEvent, OpenMessages, OpenMessagesBuilder};
pub use quote_push::{
    DepthPush, Level, Product, PushError, QuotePush, TickerPush, TradeDirection, TradePush, is_push,
};

use buffer::{Buffer, Next};
use mm_sdk_core::Backoff;
use supervisor::Item;

/// How a stream buffers and reconnects. [`Options::default`] suits most uses.
#[derive(Debug, Clone)]
pub struct Options {
    buffer: usize,
    /// `None`: the stream's own policy.
    overflow: Option<Overflow>,
    reconnect: Backoff,
    /// `None`: the client's configured connect timeout.
    connect_timeout: Option<Duration>,
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
    /// random below its bound (full jitter), so that many clients do not reconnect at once;
    /// the SDK's one [`Backoff`], as call retries use. Defaults: 250 ms and 30 s.
    pub fn reconnect(mut self, first: Duration, max: Duration) -> Self {
        self.reconnect = Backoff::new(first, max);
        self
    }

    /// How long a connection and its handshake may take. Unset, the client's own
    /// [`Builder::connect_timeout`](crate::Builder::connect_timeout) (10 s unless configured).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }
}

impl Default for Options {
    fn default() -> Self {
        Self {
            buffer: 1024,
            overflow: None,
            reconnect: Backoff::new(Duration::from_millis(250), Duration::from_secs(30)),
            connect_timeout: None,
        }
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

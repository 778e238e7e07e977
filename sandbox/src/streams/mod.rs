//! The platform's three WebSocket streams: market data (`/apiQuote/...`), the Open API
//! messages (`/openapi-c/openMsg/{appId}`) and the Manager's Data Push (`/openapi-b/ws`). What
//! they share across connections (counts, faults, the quote feed, the outbox, the event log)
//! is the `hub`'s; this module holds the connections.
//!
//! Each module has one job: [`socket`] the handshake and the fault-capable socket,
//! [`market_data`] the market-data protocol, [`open_messages`] the message protocol,
//! [`events`] the Data Push payloads, [`data_push`] the Data Push connections.

mod data_push;
pub(crate) mod events;
mod market_data;
mod open_messages;
mod socket;

use std::sync::Arc;

use axum::Router;
use axum::routing::get;

use crate::context::Shared;
use crate::hub::{FaultSlot, Stream, StreamFault};

/// The routes of the three streams; everything else is the HTTP APIs'.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/apiQuote/quote", get(market_data::quote))
        .route("/apiQuote/quote_guest", get(market_data::quote_guest))
        .route("/apiQuote/quote_stock", get(market_data::quote_stock))
        .route("/openapi-c/openMsg/{app_id}", get(open_messages::handshake))
        .route("/openapi-b/ws", get(data_push::handshake))
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
    /// [`Sandbox::inject`](crate::Sandbox::inject).
    fn new(shared: &Arc<Shared>, stream: Stream) -> Self {
        let (id, fault) = shared.streams.open(stream);
        Self {
            shared: shared.clone(),
            stream,
            id,
            fault,
        }
    }

    fn take_fault(&self) -> Option<StreamFault> {
        self.fault.take()
    }

    fn record_request(&self) {
        self.shared.streams.record_request(self.stream);
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        self.shared.streams.close(self.stream, self.id);
    }
}

//! The crate's integration tests, one module per concern, linked into one test binary: each
//! extra binary would link the whole dependency tree again, for nothing but time and disk.

mod common;

mod auth2;
mod callback_store;
mod client;
mod faults;
mod idempotency;
mod manager;
mod message_sign;
mod open_api;
mod receiver;
mod secrets;
mod sign;
mod stream_handshakes;
mod streams;
mod token_holder;
mod transport;
mod web_iframe;

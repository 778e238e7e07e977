//! The receiving side: what the platform sends to the integrator's own server.
//!
//! Two kinds of callbacks reach you:
//!
//! - **Webhooks** (the docs' "Webhook API"): with an external wallet, the platform asks your
//!   server for a user's balance and tells it to adjust their credit
//!   (`/external-system-credit-limit-adjustment`), then, when that timed out or failed, to
//!   cancel the adjustment (`/cancel-external-system-credit-limit-adjustment`, retried until it
//!   is answered). Each adjustment carries a `requestUniqueNo` that it must be applied once
//!   by: [`store`] keeps, per key, whether it was applied, is being applied, was cancelled,
//!   and the answer given, so that a repeat, a concurrent duplicate or a cancel that overtook
//!   its adjustment never moves money twice.
//! - **Messages** (the docs' "Message API"): a white label with its own email or SMS channel
//!   receives each message to send, authenticated by a `sign` only its RSA private key
//!   can read: [`message_sign`] checks it.
//!
//! What each callback carries is described in `openapi/callbacks/callbacks.yaml`, like the
//! APIs the SDK calls: [`types`] holds the request and answer types made from it, [`paths`]
//! the path of each callback.
//!
//! [`receiver`] puts them together: a [`Receiver`](receiver::Receiver) reads each request
//! into a typed event or refuses it with a typed answer, runs your handler through the store
//! (once per adjustment, to its end even when the platform's 3 s run out: it answers within
//! its own deadline and lets the work finish and record its outcome), checks each message's
//! `sign`, and writes the answers the platform expects. It holds no server: it is a
//! `tower_service::Service` of `http::Request`s, which axum, hyper and the frameworks built on
//! tower mount whatever their major version, and it also answers an `http::Request<Bytes>`
//! read by any other means. The parts stay public for a receiver of your own making.

pub mod message_sign;
pub mod receiver;
pub mod store;

pub use mm_sdk_generated::callbacks::{paths, types};

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// `time` in milliseconds since the Unix epoch, as the platform's timestamps count (negative
/// before it).
fn unix_millis(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => millis(after),
        Err(before) => millis(before.duration()).saturating_neg(),
    }
}

/// A duration in milliseconds, saturating.
fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

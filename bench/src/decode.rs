//! Envelope decoding alone, without the network: the SDK's types against hand-written ones.
//!
//! The SDK decodes a response body with one `serde_json::from_slice` into
//! `Envelope<T>` of the generated types (progenitor's `ResponseValue::from_response`) and then
//! moves `data` out; that is what [`sdk_user_info`] and [`sdk_customer_page`] do.

use mm_sdk::auth2::login::UserInfo;
use mm_sdk::manager::customer::CustomerPage;
use mm_sdk_core::Envelope;

use crate::baseline;

/// A decoding failure, as text: the bodies are fixed, so any failure is a bug.
pub type Result<T> = std::result::Result<T, String>;

/// Decodes a `user_info` answer as the SDK does.
pub fn sdk_user_info(body: &[u8]) -> Result<UserInfo> {
    sdk(body)
}

/// Decodes a `customer_list` answer as the SDK does.
pub fn sdk_customer_page(body: &[u8]) -> Result<CustomerPage> {
    sdk(body)
}

/// Decodes a `user_info` answer into the hand-written structs.
pub fn baseline_user_info(body: &[u8]) -> Result<baseline::UserInfo> {
    hand_written(body)
}

/// Decodes a `customer_list` answer into the hand-written structs.
pub fn baseline_customer_page(body: &[u8]) -> Result<baseline::CustomerPage> {
    hand_written(body)
}

fn sdk<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T> {
    let envelope: Envelope<T> = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    match envelope.data {
        Some(data) if envelope.is_success() => Ok(data),
        _ => Err(format!("a failure envelope: {}", envelope.code)),
    }
}

fn hand_written<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T> {
    let envelope: baseline::Envelope<T> =
        serde_json::from_slice(body).map_err(|e| e.to_string())?;
    baseline::open(envelope).map_err(|e| format!("{e:?}"))
}

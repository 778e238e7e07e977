//! Envelope decoding alone, without the network: the SDK's types against hand-written ones.
//!
//! The SDK decodes a response body with one `serde_json::from_slice` into
//! `Envelope<T>` of the generated types (progenitor's `ResponseValue::from_response`) and then
//! moves `data` out; that is what [`sdk_user_info`], [`sdk_customer_page`] and
//! [`sdk_positions_page`] do.

use mm_sdk::auth2::login::UserInfo;
use mm_sdk::manager::customer::CustomerPage;
use mm_sdk::manager::trading::{QueryPositionPageData, QueryPositionPageDataItem};
use mm_sdk_core::{Decimal, Envelope};

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

/// Decodes a `query_position_page` answer (Manager API) as the SDK does: every money field a
/// [`Decimal`], read exactly from a JSON string or number.
pub fn sdk_positions_page(body: &[u8]) -> Result<QueryPositionPageData> {
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

/// Decodes a `query_position_page` answer into the hand-written structs: every money field a
/// `String`.
pub fn baseline_positions_page(body: &[u8]) -> Result<baseline::PositionPage> {
    hand_written(body)
}

/// Checks that the SDK and the baseline decode the positions page `body` alike, or comparing
/// them means nothing: the same rows, and in each the same text of every money field (the
/// SDK's decimal as written, against the baseline's string), ids and texts. The rows
/// checked.
pub fn positions_agree(body: &[u8]) -> Result<usize> {
    let sdk = sdk_positions_page(body)?;
    let baseline = baseline_positions_page(body)?;
    if sdk.len() != baseline.len() {
        return Err(format!(
            "positions page: the SDK decoded {} rows, the baseline {}",
            sdk.len(),
            baseline.len()
        ));
    }
    for (row, (s, b)) in sdk.iter().zip(&baseline).enumerate() {
        for (field, sdk, baseline) in money_fields(s, b) {
            let sdk = sdk.map(|value| value.to_string());
            if sdk.as_deref() != Some(baseline) {
                return Err(format!(
                    "positions page, row {row}, `{field}`: the SDK decoded {sdk:?}, the \
                     baseline {baseline:?}"
                ));
            }
        }
        let sdk_rest = (
            s.position_id.map(i64::from),
            s.direction.map(i64::from),
            s.open_time.map(i64::from),
            s.symbol_name.as_deref(),
            s.remark.as_deref(),
        );
        let baseline_rest = (
            Some(b.position_id),
            Some(i64::from(b.direction)),
            Some(b.open_time),
            Some(b.symbol_name.as_str()),
            b.remark.as_deref(),
        );
        if sdk_rest != baseline_rest {
            return Err(format!(
                "positions page, row {row}: the SDK decoded {sdk_rest:?}, the baseline \
                 {baseline_rest:?}"
            ));
        }
    }
    Ok(sdk.len())
}

/// The money fields of a position row: its name upstream, the SDK's value, the baseline's.
fn money_fields<'a>(
    s: &QueryPositionPageDataItem,
    b: &'a baseline::Position,
) -> [(&'static str, Option<Decimal>, &'a str); 16] {
    [
        ("closeFee", s.close_fee, &b.close_fee),
        ("closeNum", s.close_num, &b.close_num),
        ("closePrice", s.close_price, &b.close_price),
        ("closeVolume", s.close_volume, &b.close_volume),
        ("margin", s.margin, &b.margin),
        ("minVolume", s.min_volume, &b.min_volume),
        ("openFee", s.open_fee, &b.open_fee),
        ("openMargin", s.open_margin, &b.open_margin),
        ("openNum", s.open_num, &b.open_num),
        ("openPrice", s.open_price, &b.open_price),
        ("profit", s.profit, &b.profit),
        ("stopLoss", s.stop_loss, &b.stop_loss),
        ("stopLossDecimal", s.stop_loss_decimal, &b.stop_loss_decimal),
        ("takeProfit", s.take_profit, &b.take_profit),
        (
            "takeProfitDecimal",
            s.take_profit_decimal,
            &b.take_profit_decimal,
        ),
        ("volume", s.volume, &b.volume),
    ]
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

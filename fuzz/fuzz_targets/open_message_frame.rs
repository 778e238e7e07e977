//! Any Open API message frame, decoded as the client does: the server message, then its
//! `content` as a trade or as an acknowledgement. An error or a value, never a panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mm_sdk::streams::types::{OpenMessage, OpenMessageAck, TradeMessage};

fuzz_target!(|text: &str| {
    let Ok(message) = serde_json::from_str::<OpenMessage>(text) else {
        return;
    };
    let content = message.content.unwrap_or_default();
    if message.msg_code == "trade" {
        let _ = serde_json::from_value::<TradeMessage>(content);
    } else {
        let _ = serde_json::from_value::<OpenMessageAck>(content);
    }
});

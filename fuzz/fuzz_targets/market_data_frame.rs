//! Any market-data text frame, decoded as the client does: a push by its grammar, anything
//! else as a reply whose `data` is then read as the snapshot or K-lines its `cmd_id` names.
//! An error or a value, never a panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mm_sdk::streams::types::{KlineHistory, MarketSnapshot, QuoteReply, TickerSnapshot};
use mm_sdk::streams::{QuotePush, is_push};

fuzz_target!(|text: &str| {
    if is_push(text) {
        let _ = QuotePush::parse(text);
        return;
    }
    let Ok(reply) = serde_json::from_str::<QuoteReply>(text) else {
        return;
    };
    let data = serde_json::Value::Object(reply.data);
    let _ = match reply.cmd_id {
        14001 => serde_json::from_value::<TickerSnapshot>(data).map(drop),
        14011 => serde_json::from_value::<MarketSnapshot>(data).map(drop),
        14013 => serde_json::from_value::<KlineHistory>(data).map(drop),
        _ => Ok(()),
    };
});

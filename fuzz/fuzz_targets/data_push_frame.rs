//! Any Data Push frame, decoded by its `eventType`: an error or an event whose type is the
//! frame's, never a panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mm_sdk::streams::types::DataPush;

fuzz_target!(|text: &str| {
    if let Ok(event) = DataPush::decode(text) {
        let frame: serde_json::Value = serde_json::from_str(text).expect("decoded, so JSON");
        assert_eq!(Some(event.event_type()), frame["eventType"].as_str());
    }
});

//! Any Data Push frame, decoded by its `eventType`: an error or an event whose type is the
//! frame's, never a panic.

#![no_main]

use std::collections::HashMap;

use libfuzzer_sys::fuzz_target;
use mm_sdk::streams::types::DataPush;
use serde_json::value::RawValue;

fuzz_target!(|text: &str| {
    if let Ok(event) = DataPush::decode(text) {
        // Read as text, not as a `serde_json::Value`: the frame's numbers are read digit for
        // digit, so one past `f64`'s range decodes and a `Value` would refuse it.
        let frame: HashMap<String, Box<RawValue>> =
            serde_json::from_str(text).expect("decoded, so a JSON object");
        let event_type = frame
            .get("eventType")
            .and_then(|raw| serde_json::from_str::<String>(raw.get()).ok());
        assert_eq!(Some(event.event_type()), event_type.as_deref());
    }
});

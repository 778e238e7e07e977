//! Any response body, decoded as the envelope of every operation: an error or the data, never
//! a panic; a failure envelope is an API error whatever its `data`; excerpts stay bounded.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mm_sdk::{BODY_EXCERPT_LIMIT, ErrorKind};
use mm_sdk_generated::Envelope;
use serde::de::DeserializeOwned;

include!(concat!(env!("OUT_DIR"), "/response_types.rs"));

fuzz_target!(|body: &[u8]| {
    let failure = serde_json::from_slice::<Envelope<serde_json::Value>>(body)
        .is_ok_and(|envelope| !envelope.ok || envelope.fail);
    each_response_type!(check, (body, failure));
});

fn check<T: DeserializeOwned>((body, failure): (&[u8], bool)) {
    match mm_sdk::fuzzing::decode::<T>(body) {
        Ok(_) => assert!(!failure, "a failure envelope decoded as data"),
        Err(error) => {
            let shown = error.to_string();
            match error.kind() {
                ErrorKind::Api(_) => {}
                _ => assert!(!failure, "a failure envelope gave {shown}"),
            }
            if let ErrorKind::NotJson { body: excerpt, .. } = error.kind() {
                assert!(excerpt.len() <= BODY_EXCERPT_LIMIT);
            }
        }
    }
}

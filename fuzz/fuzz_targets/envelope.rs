//! Any response body, decoded as the envelope of every operation (the platform's or the quote
//! service's): an error or the data, never a panic; a failure envelope is an API error
//! whatever its `data`; excerpts stay bounded.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mm_sdk_core::{BODY_EXCERPT_LIMIT, Envelope, EnvelopeKind, ErrorKind, QuoteEnvelope};

fuzz_target!(|body: &[u8]| {
    let platform_failure = serde_json::from_slice::<Envelope<serde_json::Value>>(body)
        .is_ok_and(|envelope| !envelope.is_success());
    let quote_failure = serde_json::from_slice::<QuoteEnvelope<serde_json::Value>>(body)
        .is_ok_and(|envelope| envelope.ret != QuoteEnvelope::<()>::SUCCESS);
    // Every operation's response type, as its calls decode it.
    for op in mm_sdk_generated::operations() {
        let failure = match op.envelope {
            EnvelopeKind::Quote => quote_failure,
            _ => platform_failure,
        };
        match op.codec.response(op, body) {
            Ok(_) => assert!(!failure, "{}: a failure envelope decoded as data", op.id),
            Err(error) => {
                let shown = error.to_string();
                match error.kind() {
                    ErrorKind::Api(_) => {}
                    _ => assert!(!failure, "{}: a failure envelope gave {shown}", op.id),
                }
                if let ErrorKind::NotJson { body: excerpt, .. } = error.kind() {
                    assert!(excerpt.len() <= BODY_EXCERPT_LIMIT);
                }
            }
        }
    }
});

//! The specs and examples, embedded by the build script.

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

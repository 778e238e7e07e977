//! The workspace's tests, one module per concern, linked into one test binary: each extra binary
//! would link the whole dependency tree again, for nothing but time and disk.

mod enums;
// Written by `cargo xtask codegen` (prettyplease); `--check` compares bytes.
#[rustfmt::skip]
mod every_call;
mod freshness;
mod generated_code;
mod hygiene;
mod inventory;
mod json_schema;
mod money;
mod paging;
mod prism;
mod rules;
mod sandbox;
mod spec_errors;
mod streams_spec;
mod tolerant;
mod upstream_answers;
mod wire;

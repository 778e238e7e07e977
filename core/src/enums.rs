//! The coded values of the platform: one type per concept, shared by every operation that
//! sends or returns it, so that a value read from one call can be passed to another as it is.
//!
//! Upstream sends these as numbers (or, for a few concepts, as strings) and documents what each
//! code means. Every enum here is `#[non_exhaustive]` and keeps a code it does not know in
//! `Unknown`: a new code of upstream's decodes, and goes back unchanged. Generated from
//! `openapi/codes/enums.yaml` (the names and docs are the SDK's own words); the operations'
//! specs name the concept of a field with `x-mm-enum`.
//!
//! # Every concept
//!
#![doc = include_str!("enums/table.md")]

#[allow(clippy::all)]
#[rustfmt::skip] // Generated and formatted by `cargo xtask codegen`; `--check` compares bytes.
mod table;

pub use table::*;

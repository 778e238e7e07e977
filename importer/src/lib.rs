//! The importer of upstream's OpenAPI exports, as a library: `cargo xtask import` turns the
//! exports into the area specs `openapi/<area>.yaml` with it, following the conventions of
//! `openapi/README.md`, and `cargo xtask upstream-diff` compares an export with the specs by the
//! same model of an export.
//!
//! Everything here works in memory: the caller reads the files (the exports, the specs there
//! are now) and writes what comes back (the area specs, their example files, the README's
//! section). An error is a value naming the export, operation, field or file at fault; nothing
//! in an input makes it panic.
//!
//! - [`export`]: the model of an export: which one it is, its operations as the import reads
//!   them, `$ref`s into its components resolved.
//! - [`import()`]: the import, from [`Input`] to [`Output`].
//! - [`area`]: one area spec and its example files.
//! - [`readme`]: the README's section on the import.
//! - [`diff`]: what differs between an export and the specs, and the acknowledgements of it.
//! - [`spec`]: one of our specs, as read.
//! - [`counts`]: the rewrites, counted.
//!
//! and, inside: `tags` (upstream's tag → our tag, area and group), `skip` (which operations are
//! not imported, and why), `ids` (`operationId`s), `effect`, `credential` and `headers` (what an
//! operation does, what authenticates it, which headers it takes), `schemas` (the converter of
//! upstream's schemas), `envelope` (the answer's envelope), `paging` (which operations page, and
//! how: `x-mm-paging`) and `examples` (upstream's repaired and fitted, or written from the
//! schema).

#![warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod area;
pub mod counts;
mod credential;
pub mod diff;
mod effect;
mod envelope;
mod examples;
pub mod export;
mod headers;
mod ids;
mod import;
mod paging;
pub mod readme;
mod schemas;
mod skip;
pub mod spec;
mod tags;
mod value;

use std::fmt;

pub use import::{Input, Output, Skipped, import};

/// What stopped the import or the comparison: a message naming the export, operation, field or
/// file at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(String);

impl Error {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Error(message.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

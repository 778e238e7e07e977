//! The importer of upstream's OpenAPI exports, as a library: `cargo xtask import` turns the
//! exports into the area specs `openapi/<area>.yaml` with it, following the conventions of
//! `openapi/README.md`, and `cargo xtask upstream-diff` compares an export with the specs by the
//! same model of an export.
//!
//! Everything here but [`git`] works in memory: the caller reads the files (the exports, the
//! specs there are now) and writes what comes back (the area specs, their example files, the
//! inventory, the README's section). An error is a value naming the export, operation, field or
//! file at fault; nothing in an input makes it panic.
//!
//! - [`export`]: the model of an export: which one it is, its operations as the import reads
//!   them, `$ref`s into its components resolved.
//! - [`sources`]: where each export is read: a file of one of upstream's repositories at a
//!   pinned revision (`openapi/import/sources.yaml`); [`git`] reads it there.
//! - [`import()`]: the import, from [`Input`] to [`Output`].
//! - [`area`]: one area spec and its example files.
//! - [`inventory`]: every operation of every export and what was made of it, and its check
//!   against the specs.
//! - [`readme`]: the README's section on the import.
//! - [`diff`]: what differs between an export and the specs, and the acknowledgements of it.
//! - [`spec`]: one of our specs, as read.
//! - [`prose`]: the words written here: operations' titles and descriptions, fields'
//!   sentences (`openapi/import/prose/`).
//! - [`overlap`]: runs of words our text shares with upstream's (`cargo xtask prose-check`).
//! - [`counts`]: the rewrites, counted.
//! - [`skip`]: which operations are not imported, and why.
//! - [`money`]: which fields hold money or a quantity, by name (they become decimals), and
//!   [`not_money`] the fields so named that hold something else, with why.
//!
//! and, inside: `tags` (upstream's tag → our tag, area and group), `titles` (our titles of the
//! operations upstream titles in Chinese only), `ids` (`operationId`s), `effect`,
//! `credential` and `headers` (what an operation does, what authenticates it, which headers
//! it takes), `union` (the components of several exports as one namespace), `schemas` (the
//! converter of upstream's schemas), `envelope` (the answer's envelope), `paging` (which
//! operations page, and how: `x-mm-paging`), `examples` (upstream's repaired and fitted, or
//! written from the schema; and upstream's answers kept as written, `x-mm-upstream-examples`)
//! and `widen` (the schemas widened where upstream's answers disagree with them).

#![warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod area;
pub mod counts;
mod credential;
pub mod diff;
mod effect;
pub mod enums;
mod envelope;
mod examples;
pub mod export;
pub mod git;
mod headers;
mod ids;
mod import;
pub mod inventory;
pub mod money;
pub mod not_money;
pub mod overlap;
mod paging;
pub mod prose;
pub mod readme;
pub mod replay;
mod schemas;
pub mod skip;
pub mod sources;
pub mod spec;
mod tags;
mod titles;
mod union;
mod value;
mod widen;

use std::fmt;

pub use import::{HandKeptAnswers, Input, Output, Skipped, answers_text, import};

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

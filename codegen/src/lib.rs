//! Turns the hand-written OpenAPI specs under `openapi/` into the Rust sources under
//! `generated/src/`.
//!
//! The pipeline is [`load`] (parse and check a spec, reporting problems with the file and the
//! YAML line/column or JSON pointer), then [`generate`] (progenitor, then prettyplease). Output
//! depends only on the spec text, so it is byte-identical on every run and every machine.
//! `cargo xtask codegen` is the one entry point that drives this for every spec in [`APIS`].

pub mod envelope;
mod error;
mod generate;
mod spec;

pub use error::{Error, Problem};
pub use generate::generate;
pub use spec::{Spec, load, parse};

/// One upstream API: where its spec lives and where its generated client goes, both relative
/// to the workspace root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Api {
    /// Short name, also the name of the generated module.
    pub name: &'static str,
    /// The hand-written OpenAPI document.
    pub spec: &'static str,
    /// The generated Rust source.
    pub output: &'static str,
}

/// Every API of the SDK, in the order they are generated.
pub const APIS: [Api; 3] = [
    Api {
        name: "client",
        spec: "openapi/client.yaml",
        output: "generated/src/client.rs",
    },
    Api {
        name: "manager",
        spec: "openapi/manager.yaml",
        output: "generated/src/manager.rs",
    },
    Api {
        name: "auth2",
        spec: "openapi/auth2.yaml",
        output: "generated/src/auth2.rs",
    },
];

//! Turns the hand-written OpenAPI specs under `openapi/` into the crates under `generated/`.
//!
//! Every spec is an *area*: `openapi/<area>.yaml` becomes the crate `generated/<area>/`
//! (`mm-sdk-api-<area>`), so that a change to one area rebuilds only its crate, and areas
//! build in parallel. `generated/all/` (`mm-sdk-generated`) gathers them for `mm-sdk`.
//!
//! The pipeline is [`load`] (parse and check a spec, reporting problems with the file and the
//! YAML line/column or JSON pointer), [`model::build`] (the `x-mm-*` facts of every operation,
//! checked), then [`generate`] (progenitor's types, the operations, prettyplease). Output
//! depends only on the specs' text, so it is byte-identical on every run and every machine.
//! `cargo xtask codegen` is the one entry point: it writes what [`files`] returns.

mod absent;
mod callbacks;
mod cli_table;
mod compat;
mod crates;
mod enums;
pub mod envelope;
mod error;
mod error_codes;
mod generate;
mod ids;
mod json_schema;
pub mod model;
mod money;
mod names;
mod paging;
mod reach;
mod rows;
pub mod rules;
mod secret;
mod spec;
mod stream_protocol;
mod streams;
mod surface;
mod surface_crate;
mod times;

pub use callbacks::CALLBACKS_SPEC;
pub use crates::{Area, GENERATED, README, UMBRELLA, areas, files};
pub use enums::ENUMS_SPEC;
pub use error::{Error, Problem};
pub use error_codes::ERROR_CODES_SPEC;
pub use generate::{Generated, generate};
pub use ids::IDS_SPEC;
pub use secret::is_secret_name;
pub use spec::{Spec, load, parse};
pub use streams::STREAMS_SPEC;
pub use surface::surface;
pub use times::TIMES_SPEC;

/// Loads the spec of `area` (relative to `root`) and builds its model.
pub fn load_model(root: &std::path::Path, area: &Area) -> Result<(Spec, model::Model), Error> {
    let spec = load(&root.join(&area.spec))?;
    let model = model_of(&spec)?;
    Ok((spec, model))
}

/// The model of `spec`: its `x-mm-*` facts, checked.
pub fn model_of(spec: &Spec) -> Result<model::Model, Error> {
    model::build(&spec.openapi).map_err(|(pointer, problem)| Error::Invalid {
        path: spec.path.clone(),
        pointer,
        problem,
    })
}

//! Helpers shared by the workspace-level integration tests.

use std::path::{Path, PathBuf};

use mm_sdk_codegen::model::Model;
use mm_sdk_codegen::{Area, Spec};

pub mod contract;
pub mod every_call;
pub mod every_operation;
pub mod examples;
pub mod prism;
pub mod recorder;

/// The workspace root, which the specs' and examples' paths are relative to.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// One area: its spec and the model the codegen builds of it.
#[derive(Debug)]
pub struct Loaded {
    /// The area.
    pub area: Area,
    /// Its spec.
    pub spec: Spec,
    /// What the generated code says of it.
    pub model: Model,
}

/// Every area of the workspace, loaded and checked; panics with the loader's message if one
/// is broken.
pub fn areas() -> Vec<Loaded> {
    let root = workspace_root();
    mm_sdk_codegen::areas(&root)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|area| {
            let (spec, model) =
                mm_sdk_codegen::load_model(&root, &area).unwrap_or_else(|e| panic!("{e}"));
            Loaded { area, spec, model }
        })
        .collect()
}

pub use mm_sdk_test_support::{TEST_LIMIT, bounded, bounded_for};

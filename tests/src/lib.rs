//! Helpers shared by the workspace-level integration tests.

use std::path::{Path, PathBuf};

/// The workspace root, which the specs' and examples' paths are relative to.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Loads and checks the spec of `api`, panicking with the loader's message if it is broken.
pub fn load_spec(api: &mm_sdk_codegen::Api) -> mm_sdk_codegen::Spec {
    mm_sdk_codegen::load(&workspace_root().join(api.spec)).unwrap_or_else(|e| panic!("{e}"))
}

pub mod contract;
pub mod every_operation;
pub mod prism;
pub mod wire;

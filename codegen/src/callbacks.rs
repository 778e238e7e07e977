//! The callback spec, `openapi/callbacks/callbacks.yaml`: what the platform sends to the
//! integrator's server. Its operations run the other way from every other spec's, so they
//! become no calls: only their types (by the same progenitor pipeline as the areas', envelopes
//! and decimals included) and the path of each, in `generated/callbacks/`
//! (`mm-sdk-api-callbacks`). `mm_sdk::callbacks` receives them.
//!
//! The spec lives outside `openapi/*.yaml` so that nothing that sends the areas' operations
//! (the sandbox, the conformance run, the tests that call every operation) takes these for
//! operations of the platform.

use std::path::{Path, PathBuf};

use quote::{format_ident, quote};

use crate::crates::{generated_lib, generated_manifest};
use crate::{Error, Problem};

/// The callback spec, relative to the workspace root.
pub const CALLBACKS_SPEC: &str = "openapi/callbacks/callbacks.yaml";

/// The crate's folder, relative to the workspace root.
pub(crate) const CALLBACKS_CRATE: &str = "generated/callbacks";

/// The crate's package name.
pub(crate) const CALLBACKS_PACKAGE: &str = "mm-sdk-api-callbacks";

/// The generated crate's files, if the workspace at `root` has a callback spec.
pub(crate) fn files(root: &Path) -> Result<Option<Vec<(PathBuf, String)>>, Error> {
    let path = root.join(CALLBACKS_SPEC);
    if !path.exists() {
        return Ok(None);
    }
    let spec = crate::load(&path)?;
    let mut paths = Vec::new();
    for (route, method, op) in spec.openapi.operations() {
        let pointer = format!("/paths/{}/{method}", crate::spec::escape(route));
        if method != "post" {
            return Err(Error::Invalid {
                path: path.clone(),
                pointer,
                problem: Problem::Callback("the platform sends every callback as a POST".into()),
            });
        }
        let id = op.operation_id.clone().unwrap_or_default();
        let name = format_ident!("{}", id.to_ascii_uppercase());
        let doc = format!(
            "`POST {route}` (`{id}`): {}",
            op.summary.as_deref().unwrap_or_default()
        );
        paths.push(quote! {
            #[doc = #doc]
            pub const #name: &str = #route;
        });
    }
    let types = crate::generate::types(&spec)?;
    let api = crate::generate::unparse(
        &spec,
        types,
        quote! {
            /// The path of each callback, which the platform appends to the URL the white
            /// label configures.
            pub mod paths {
                #(#paths)*
            }
        },
    )?;
    let source = "callbacks/callbacks.yaml";
    let title = &spec.openapi.info.title;
    let dir = Path::new(CALLBACKS_CRATE);
    Ok(Some(vec![
        (
            dir.join("Cargo.toml"),
            generated_manifest(
                source,
                CALLBACKS_PACKAGE,
                &format!("{title}: the types of openapi/{source}."),
                &["mm-sdk-core", "regress", "serde", "serde_json"],
                true,
            ),
        ),
        (
            dir.join("src/lib.rs"),
            generated_lib(
                source,
                &format!(
                    "{title}: the types of what the platform sends to the integrator, and the \
                     path of each, from\n//! `openapi/{source}`. Use them through `mm-sdk` \
                     (`mm_sdk::callbacks`)."
                ),
                "api",
            ),
        ),
        (dir.join("src/api.rs"), api),
    ]))
}

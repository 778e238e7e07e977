//! The generated crates: one per area (spec), and the umbrella crate that gathers them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::generate::{banner, generate, source_name};
use crate::model::{Api, Model};
use crate::names::snake_case;
use crate::{Error, Problem, Spec};

/// Where the generated crates live, relative to the workspace root.
pub const GENERATED: &str = "generated";

/// The umbrella crate's folder under [`GENERATED`]; no area may have this name.
pub const UMBRELLA: &str = "all";

/// One spec and the crate generated from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Area {
    /// The spec's file stem: `client` for `openapi/client.yaml`.
    pub name: String,
    /// The spec, relative to the workspace root.
    pub spec: PathBuf,
}

impl Area {
    /// The crate's folder, relative to the workspace root.
    pub fn crate_dir(&self) -> PathBuf {
        Path::new(GENERATED).join(&self.name)
    }

    /// The crate's package name.
    pub fn package(&self) -> String {
        format!("mm-sdk-api-{}", self.name)
    }

    /// The crate's library name.
    pub fn library(&self) -> String {
        format!("mm_sdk_api_{}", snake_case(&self.name))
    }

    /// The area's module in the umbrella crate.
    pub fn module(&self) -> String {
        snake_case(&self.name)
    }
}

/// Every area of the workspace at `root`: one per `openapi/*.yaml`, sorted by name.
pub fn areas(root: &Path) -> Result<Vec<Area>, Error> {
    let folder = root.join("openapi");
    let entries = std::fs::read_dir(&folder).map_err(|source| Error::Read {
        path: folder.clone(),
        source,
    })?;
    let mut areas = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|source| Error::Read {
                path: folder.clone(),
                source,
            })?
            .path();
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let valid = name.starts_with(|c: char| c.is_ascii_lowercase())
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && name != UMBRELLA;
        if !valid {
            return Err(Error::Invalid {
                path,
                pointer: String::new(),
                problem: Problem::AreaName(name),
            });
        }
        areas.push(Area {
            spec: Path::new("openapi").join(format!("{name}.yaml")),
            name,
        });
    }
    areas.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(areas)
}

/// Every file of the generated crates of the workspace at `root`, as (path relative to the
/// root, contents), sorted by path.
pub fn files(root: &Path) -> Result<Vec<(PathBuf, String)>, Error> {
    let areas = areas(root)?;
    let mut files = Vec::new();
    let mut models = Vec::new();
    // Areas are independent: generate them on every core, then report the first error in
    // area order, so the outcome is the same however the threads ran.
    for (area, generated) in areas.iter().zip(in_parallel(&areas, |area| {
        let (spec, model) = crate::load_model(root, area)?;
        let api = generate(&spec, &model)?;
        Ok((spec, model, api))
    })) {
        let (spec, model, api) = generated?;
        let dir = area.crate_dir();
        files.push((dir.join("Cargo.toml"), area_manifest(area, &spec, &model)));
        files.push((dir.join("src/lib.rs"), area_lib(&spec, &model)));
        files.push((dir.join("src/api.rs"), api));
        models.push((area, spec, model));
    }
    unique_operation_ids(&models)?;
    let streams = crate::streams::files(root)?;
    let has_streams = streams.is_some();
    files.extend(streams.into_iter().flatten());
    let callbacks = crate::callbacks::files(root)?;
    let has_callbacks = callbacks.is_some();
    files.extend(callbacks.into_iter().flatten());
    let umbrella = Path::new(GENERATED).join(UMBRELLA);
    files.push((
        umbrella.join("Cargo.toml"),
        umbrella_manifest(&areas, has_streams, has_callbacks),
    ));
    files.push((
        umbrella.join("src/lib.rs"),
        umbrella_lib(&models, has_streams, has_callbacks),
    ));
    let readme = Path::new(README);
    let current = std::fs::read_to_string(root.join(readme)).map_err(|source| Error::Read {
        path: root.join(readme),
        source,
    })?;
    files.push((readme.to_owned(), with_operations_table(&current, &models)?));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

/// `work` of each of `items`, in their order, spread over the machine's cores.
fn in_parallel<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers.min(items.len()))
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(item) = items.get(index) else {
                            return done;
                        };
                        done.push((index, work(item)));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| match handle.join() {
                Ok(done) => done,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    });
    results.sort_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, result)| result).collect()
}

/// The specs' README, whose table of operations is generated.
pub const README: &str = "openapi/README.md";

const TABLE_START: &str = "<!-- operations: generated by `cargo xtask codegen` -->\n";
const TABLE_END: &str = "<!-- end of operations -->\n";

/// `readme` with the table between its markers made from `models`: one row per operation.
fn with_operations_table(readme: &str, models: &[(&Area, Spec, Model)]) -> Result<String, Error> {
    let markers = readme
        .find(TABLE_START)
        .and_then(|start| Some((start, readme[start..].find(TABLE_END)? + start)));
    let Some((start, end)) = markers else {
        return Err(Error::Invalid {
            path: README.into(),
            pointer: String::new(),
            problem: Problem::ReadmeMarkers,
        });
    };
    let mut table = String::from(TABLE_START);
    table.push_str(
        "| docs page | method + path | operationId | spec file | credential | retried |\n",
    );
    table.push_str("|---|---|---|---|---|---|\n");
    for (_, spec, model) in models {
        for op in &model.operations {
            let page = match &op.docs_page {
                Some((description, url)) => format!("[{description}]({url})"),
                None => "–".to_owned(),
            };
            let mut id = match &op.curated {
                Some(method) if *method != op.id => format!("`{}` (`{method}`)", op.id),
                _ => format!("`{}`", op.id),
            };
            if op.deprecated {
                id.push_str(" (deprecated)");
            }
            table.push_str(&format!(
                "| {page} | {} `{}` | {id} | `{}` | {} | {} |\n",
                op.method,
                op.path,
                source_name(spec),
                op.credential.as_str(),
                op.retries().0,
            ));
        }
    }
    Ok(format!("{}{table}{}", &readme[..start], &readme[end..]))
}

/// Operations of one API hang on one handle: their ids must differ across its areas.
fn unique_operation_ids(models: &[(&Area, Spec, Model)]) -> Result<(), Error> {
    let mut seen: BTreeMap<(Api, &str), &Area> = BTreeMap::new();
    for (area, spec, model) in models {
        for op in &model.operations {
            if let Some(first) = seen.insert((model.api, op.id.as_str()), area) {
                return Err(Error::Invalid {
                    path: spec.path.clone(),
                    pointer: format!("/paths/{}", crate::spec::escape(&op.path)),
                    problem: Problem::DuplicateOperationId {
                        id: op.id.clone(),
                        first: first.spec.display().to_string(),
                    },
                });
            }
        }
    }
    Ok(())
}

fn area_manifest(area: &Area, spec: &Spec, model: &Model) -> String {
    let source = source_name(spec);
    generated_manifest(
        &source,
        &area.package(),
        &format!(
            "{}: the operations and types of openapi/{source}.",
            model.title
        ),
        &["mm-sdk-core", "regress", "serde", "serde_json"],
        true,
    )
}

fn area_lib(spec: &Spec, model: &Model) -> String {
    let source = source_name(spec);
    generated_lib(
        &source,
        &format!(
            "{}: the operations and types of `openapi/{source}`.\n//!\n\
             //! Every operation is a static `Operation` in [`operations`], a function in [`calls`], and,\n\
             //! unless `mm-sdk` writes it by hand, a method of its tag's trait, implemented for the API's\n\
             //! handle. Use them through `mm-sdk`, which re-exports them.",
            model.title
        ),
        "api",
    )
}

/// The manifest of a generated crate: its package, description and workspace dependencies,
/// and with `json_schema` the feature that derives `schemars::JsonSchema` on its types.
pub(crate) fn generated_manifest(
    source: &str,
    package: &str,
    description: &str,
    dependencies: &[&str],
    json_schema: bool,
) -> String {
    let mut dependencies: String = dependencies
        .iter()
        .map(|name| format!("{name}.workspace = true\n"))
        .collect();
    let mut features = String::new();
    if json_schema {
        dependencies.push_str("schemars = { workspace = true, optional = true }\n");
        features = format!(
            "\n[features]\n\
             # `schemars::JsonSchema` on every type: what each really accepts, as a JSON Schema.\n\
             {feature} = [\"dep:schemars\", \"mm-sdk-core/{feature}\"]\n",
            feature = crate::json_schema::FEATURE
        );
    }
    format!(
        r#"{banner}
[package]
name = "{package}"
description = "{description}"
version.workspace = true
edition.workspace = true
rust-version.workspace = true
license.workspace = true
publish.workspace = true

[lib]
# The docs come from the spec, whose text is not Rust.
doctest = false

[dependencies]
{dependencies}{features}
[lints]
workspace = true
"#,
        banner = banner(source, "#"),
    )
}

/// The `lib.rs` of a generated crate: its docs (`docs` continues a `//!` line) and the one
/// generated `module`, re-exported whole.
pub(crate) fn generated_lib(source: &str, docs: &str, module: &str) -> String {
    format!(
        r#"{banner}
//! {docs}
#![allow(
    rustdoc::bare_urls,
    rustdoc::broken_intra_doc_links,
    rustdoc::invalid_html_tags,
    rustdoc::invalid_rust_codeblocks
)]

#[allow(clippy::all, missing_docs, unused_imports)]
#[rustfmt::skip] // prettyplease formats it; `cargo xtask codegen --check` compares bytes.
mod {module};

pub use {module}::*;
"#,
        banner = banner(source, "//"),
    )
}

fn umbrella_manifest(areas: &[Area], streams: bool, callbacks: bool) -> String {
    let mut dependencies: String = areas
        .iter()
        .map(|area| format!("{} = {{ path = \"../{}\" }}\n", area.package(), area.name))
        .collect();
    if streams {
        dependencies.push_str("mm-sdk-api-streams = { path = \"../streams\" }\n");
    }
    let callbacks = callbacks.then_some(crate::callbacks::CALLBACKS_PACKAGE);
    if let Some(package) = callbacks {
        dependencies.push_str(&format!("{package} = {{ path = \"../callbacks\" }}\n"));
    }
    let feature = crate::json_schema::FEATURE;
    dependencies.push_str("schemars = { workspace = true, optional = true }\n");
    let json_schema: Vec<String> = [
        "\"dep:schemars\"".to_owned(),
        format!("\"mm-sdk-core/{feature}\""),
    ]
    .into_iter()
    .chain(
        areas
            .iter()
            .map(|area| area.package())
            .chain(callbacks.map(str::to_owned))
            .map(|package| format!("\"{package}/{feature}\"")),
    )
    .collect();
    let json_schema = format!(
        "[features]\n# `schemars::JsonSchema` on the types of every area.\n{feature} = [\n    {},\n]\n",
        json_schema.join(",\n    ")
    );
    format!(
        r#"# @generated by `cargo xtask codegen` from openapi/*.yaml.
# Do not edit: change the spec or the codegen settings and regenerate.

[package]
name = "mm-sdk-generated"
description = "Every generated API area of the MultiMarkets SDK, gathered for mm-sdk."
version.workspace = true
edition.workspace = true
rust-version.workspace = true
license.workspace = true
publish.workspace = true

[dependencies]
mm-sdk-core.workspace = true
{dependencies}
{json_schema}
[lints]
workspace = true
"#
    )
}

fn umbrella_lib(models: &[(&Area, Spec, Model)], streams: bool, callbacks: bool) -> String {
    // Each crate's `pub use`, by library name: the order `rustfmt` keeps.
    let mut modules = std::collections::BTreeMap::new();
    let mut all = String::new();
    let mut schemas = String::new();
    let mut prelude = String::new();
    for (area, spec, model) in models {
        modules.insert(
            area.library(),
            format!(
                "/// {}: `openapi/{}`.\npub use {} as {};\n",
                model.title,
                source_name(spec),
                area.library(),
                area.module()
            ),
        );
        all.push_str(&format!(
            "        {}::operations::ALL.as_slice(),\n",
            area.module()
        ));
        schemas.push_str(&format!(
            "        ({:?}, {}::json_schemas()),\n",
            area.name,
            area.module()
        ));
        if model.operations.iter().any(|op| op.curated.is_none()) {
            prelude.push_str(&format!(
                "    pub use crate::{}::prelude::*;\n",
                area.module()
            ));
        }
    }
    if streams {
        modules.insert(
            "mm_sdk_api_streams".into(),
            "/// The frames of the WebSocket streams: `openapi/streams/asyncapi.yaml`.\npub use mm_sdk_api_streams as streams;\n".into(),
        );
    }
    if callbacks {
        modules.insert(
            "mm_sdk_api_callbacks".into(),
            "/// What the platform sends to the integrator: `openapi/callbacks/callbacks.yaml`.\npub use mm_sdk_api_callbacks as callbacks;\n".into(),
        );
    }
    let modules: String = modules.into_values().collect();
    let count = models.len();
    format!(
        r#"// @generated by `cargo xtask codegen` from openapi/*.yaml.
// Do not edit: change the spec or the codegen settings and regenerate.

//! Every generated API area of the MultiMarkets SDK, one crate each, gathered here for
//! `mm-sdk`.

{modules}
/// Every operation of every area.
pub fn operations() -> impl Iterator<Item = &'static mm_sdk_core::Operation> {{
    let areas: [&'static [&'static mm_sdk_core::Operation]; {count}] = [
{all}    ];
    areas.into_iter().flatten().copied()
}}

/// The JSON Schema of every type made from a component schema, by area and component name
/// (see each area's `json_schemas`).
#[cfg(feature = "json-schema")]
#[rustfmt::skip] // One line per area, as the codegen writes it; `--check` compares bytes.
pub fn json_schemas() -> Vec<(&'static str, Vec<(&'static str, schemars::schema::RootSchema)>)> {{
    vec![
{schemas}    ]
}}

/// Every operation trait of every area, to bring their methods into scope.
pub mod prelude {{
{prelude}}}
"#
    )
}

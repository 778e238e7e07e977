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
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
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

/// Every file of the generated crates of the workspace at `root`, and the generated parts of
/// the files beside them, as (path relative to the root, contents), sorted by path.
pub fn files(root: &Path) -> Result<Vec<(PathBuf, String)>, Error> {
    let areas = areas(root)?;
    let concepts = crate::enums::concepts(root)?;
    let ids = crate::ids::ids(root)?;
    let times = crate::times::times(root)?;
    let mut excepted_times = std::collections::BTreeSet::new();
    let mut files = Vec::new();
    let mut generated = Vec::new();
    // Areas are independent: generate them on every core, then report the first error in
    // area order, so the outcome is the same however the threads ran.
    for (area, output) in areas.iter().zip(in_parallel(&areas, |area| {
        let (mut spec, model) = crate::load_model(root, area)?;
        crate::enums::check_fields(&spec, &concepts)?;
        crate::ids::mark(&mut spec, &ids);
        let excepted = crate::times::mark(&mut spec, &area.name, &times);
        let code = generate(&spec, &model)?;
        Ok((spec, model, code, excepted))
    })) {
        let (spec, model, code, excepted) = output?;
        excepted_times.extend(excepted);
        let dir = area.crate_dir();
        files.push((dir.join("Cargo.toml"), area_manifest(area, &spec, &model)));
        files.push((dir.join("src/lib.rs"), area_lib(&spec, &model)));
        files.push((dir.join("src/api.rs"), code.code.clone()));
        generated.push((area, spec, model, code));
    }
    let models: Vec<_> = generated
        .iter()
        .map(|(area, spec, model, _)| (*area, spec, model))
        .collect();
    unique_operation_ids(&models)?;
    files.extend(crate::cli_table::file(root, &models)?);
    let streams = crate::streams::files(root, &ids, &times, &mut excepted_times)?;
    crate::times::check_exceptions(root, &times, &excepted_times)?;
    let has_streams = streams.is_some();
    files.extend(streams.into_iter().flatten());
    let callbacks = crate::callbacks::files(root)?;
    let has_callbacks = callbacks.is_some();
    files.extend(callbacks.into_iter().flatten());
    files.extend(crate::error_codes::files(root)?);
    files.extend(crate::enums::files(root, &concepts)?);
    files.extend(crate::ids::files(root, &ids)?);
    let current = |path: &str| {
        std::fs::read_to_string(root.join(path)).map_err(|source| Error::Read {
            path: root.join(path),
            source,
        })
    };
    let outputs: Vec<_> = generated
        .iter()
        .map(
            |(area, spec, model, generated)| crate::surface_crate::AreaOutput {
                area,
                spec,
                model,
                generated,
            },
        )
        .collect();
    files.extend(crate::surface_crate::files(
        &outputs,
        has_streams,
        has_callbacks,
        current,
    )?);
    files.extend(licences(root, &files)?);
    files.push((
        README.into(),
        with_operations_table(&current(README)?, &models)?,
    ));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

/// The workspace's licence texts, which every published package carries.
const LICENCES: [&str; 2] = ["LICENSE-APACHE", "LICENSE-MIT"];

/// A copy of each licence text of the workspace at `root` in each generated crate among
/// `files` (none where the workspace has none): a package carries its licence, and cannot
/// reach the workspace's.
fn licences(root: &Path, files: &[(PathBuf, String)]) -> Result<Vec<(PathBuf, String)>, Error> {
    let crates: Vec<&Path> = files
        .iter()
        .filter(|(path, _)| path.file_name().is_some_and(|name| name == "Cargo.toml"))
        .filter_map(|(path, _)| path.parent())
        .collect();
    let mut copies = Vec::new();
    for licence in LICENCES {
        if let Some(text) = crate::spec::read_if_present(&root.join(licence))? {
            copies.extend(crates.iter().map(|dir| (dir.join(licence), text.clone())));
        }
    }
    Ok(copies)
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

/// `text` (the file `file`) with what lies between the lines `start` and `end` replaced by
/// `part`: the part of a file the codegen writes, the rest being someone's.
pub(crate) fn between(
    file: &str,
    text: &str,
    start: &str,
    end: &str,
    part: &str,
) -> Result<String, Error> {
    let markers = text
        .find(start)
        .and_then(|at| Some((at, text[at..].find(end)? + at)));
    let Some((at, until)) = markers else {
        return Err(Error::Invalid {
            path: file.into(),
            pointer: String::new(),
            problem: Problem::Markers(start.trim().to_owned()),
        });
    };
    Ok(format!("{}{start}{part}{}", &text[..at], &text[until..]))
}

/// `readme` with the table between its markers made from `models`: one row per operation.
fn with_operations_table(readme: &str, models: &[(&Area, &Spec, &Model)]) -> Result<String, Error> {
    let mut table = String::from(
        "| docs page | method + path | SDK call | spec file | credential | retried |\n\
         |---|---|---|---|---|---|\n",
    );
    for (_, spec, model) in models {
        for op in &model.operations {
            let page = match &op.docs_page {
                Some((description, url)) => format!("[{description}]({url})"),
                None => "–".to_owned(),
            };
            let mut call = format!("`mm.{}().{}().{}()`", model.api.as_str(), op.group, op.id);
            if op.deprecated {
                call.push_str(" (deprecated)");
            }
            table.push_str(&format!(
                "| {page} | {} `{}` | {call} | `{}` | {} | {} |\n",
                op.method,
                op.path,
                source_name(spec),
                match op.open_api {
                    Some(_) => "client-login or open-api-signature",
                    None => op.credential.as_str(),
                },
                op.retries().0,
            ));
        }
    }
    between(README, readme, TABLE_START, TABLE_END, &table)
}

/// Operations of one API hang on one handle: their ids must differ across its areas.
fn unique_operation_ids(models: &[(&Area, &Spec, &Model)]) -> Result<(), Error> {
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
             //! An implementation detail of `mm-sdk`, which shows them by API and group\n\
             //! (`mm_sdk::{}::<group>`): which of these crates holds an operation is a build\n\
             //! decision no user path depends on. Every operation is a static `Operation` in\n\
             //! [`operations`] and a function in [`calls`], which its method calls.",
            model.title,
            model.api.as_str()
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
{published}
[lib]
# The docs come from the spec, whose text is not Rust.
doctest = false

[dependencies]
{dependencies}{features}
[lints]
workspace = true
"#,
        banner = banner(source, "#"),
        published = published(package),
    )
}

/// The `[package]` keys every generated crate shares with the hand-kept crates users depend
/// on: published, with the workspace's licence, keywords and categories, documented on
/// docs.rs.
pub(crate) fn published(package: &str) -> String {
    format!(
        "license.workspace = true
keywords.workspace = true
categories.workspace = true
documentation = \"https://docs.rs/{package}\"
publish = true
"
    )
}

/// How a generated crate names another of the same release: its path here, its version on
/// the registry (the codegen's own, which is the workspace's).
pub(crate) fn sibling(package: &str, folder: &str) -> String {
    format!(
        "{package} = {{ path = \"../{folder}\", version = \"{}\", optional = true }}\n",
        env!("CARGO_PKG_VERSION")
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

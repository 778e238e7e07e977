//! The import: upstream's exports and the specs there are now in, the area specs with their
//! examples and the README's section out.
//!
//! The hand-kept specs (`client.yaml`, `manager.yaml`, `auth2.yaml`) keep priority: an
//! operation whose method and path they already have is skipped, and their `operationId`s are
//! never reused. Everything returned is derived deterministically from the input: importing
//! twice gives the same output. Upstream's prose (descriptions of operations and fields) is not
//! copied; the summaries and descriptions are written from the operation's path, tag and title.

use std::collections::{BTreeMap, BTreeSet};

use serde_yaml_ng::Value;

use crate::Error;
use crate::area::{self, Area};
use crate::counts::Counts;
use crate::export::{Document, Export, Operation};
use crate::ids::{self, Unnamed};
use crate::readme::{self, ExportCount};
use crate::skip::{Kept, skip_reason};
use crate::spec::Spec;
use crate::tags;

/// What the import reads.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// Upstream's exports, in the order they are imported: an operation two of them have is
    /// imported from the first.
    pub exports: &'a [Document],
    /// The hand-kept specs, each by its file name in `openapi/` (`client.yaml`): their
    /// operations are skipped, their `operationId`s and component names are not reused.
    pub hand_kept: &'a [Spec],
    /// Every spec there is now (`openapi/*.yaml`), in the order of their files: an operation
    /// they have keeps its group (`x-mm-group`), whatever upstream's tag now says.
    pub specs: &'a [Spec],
    /// The callback spec (`callbacks/callbacks.yaml`), which names the webhooks the import
    /// skips.
    pub callbacks: Option<&'a Value>,
}

/// What the import makes.
#[derive(Debug, Clone)]
pub struct Output {
    /// The area specs, by name.
    pub areas: Vec<Area>,
    /// What was made of each export, in the order of the input.
    pub exports: Vec<ExportCount>,
    /// How many operations were imported.
    pub imported: usize,
    /// The operations not imported, and why.
    pub skipped: Vec<Skipped>,
    /// The rewrites, counted.
    pub counts: Counts,
    /// The README's section on the import (`openapi/README.md`, "Imported from upstream's
    /// exports"), markers included: [`crate::readme::replace_section`] puts it in.
    pub readme_section: String,
}

/// An operation of an export that is imported.
#[derive(Debug)]
pub(crate) struct Candidate<'a> {
    pub(crate) operation: Operation<'a>,
    pub(crate) upstream_tag: String,
    /// Ours.
    pub(crate) tag: &'static str,
    pub(crate) area: &'static str,
    /// `x-mm-group`: as the specs have it, or from the tag for a new operation.
    pub(crate) group: String,
    pub(crate) id: String,
}

/// An operation of an export that is not imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The export it is in.
    pub export: &'static Export,
    /// Upper case.
    pub method: String,
    /// As upstream writes it.
    pub path: String,
    /// Upstream's title.
    pub title: String,
    /// Why it is not imported.
    pub reason: String,
}

/// Imports `input`'s exports (see the module's documentation).
pub fn import(input: &Input) -> Result<Output, Error> {
    let hand_kept = HandKept::of(input.hand_kept);
    let groups = groups(input.specs);
    let Selection {
        mut candidates,
        skipped,
        exports,
    } = select(input, &hand_kept.operations, &groups)?;
    name(&mut candidates, &hand_kept.ids);
    let mut counts = Counts::default();
    let areas = areas(&candidates, hand_kept.type_names, &mut counts)?;
    let readme_section = readme::section(&exports, &areas, &skipped, &counts);
    Ok(Output {
        areas,
        exports,
        imported: candidates.len(),
        skipped,
        counts,
        readme_section,
    })
}

/// What the hand-kept specs have.
#[derive(Debug, Default)]
struct HandKept {
    /// Their operations.
    operations: Kept,
    /// Their `operationId`s, per API.
    ids: BTreeMap<String, BTreeSet<String>>,
    /// Their component names, per API.
    type_names: BTreeMap<String, BTreeSet<String>>,
}

impl HandKept {
    fn of(specs: &[Spec]) -> Self {
        let mut kept = HandKept::default();
        for spec in specs {
            let stem = spec.file.strip_suffix(".yaml").unwrap_or(&spec.file);
            let api = spec.api().unwrap_or(stem).to_owned();
            kept.type_names.entry(api.clone()).or_default().extend(
                spec.value["components"]["schemas"]
                    .as_mapping()
                    .into_iter()
                    .flatten()
                    .filter_map(|(name, _)| name.as_str().map(str::to_owned)),
            );
            for (path, method, op) in spec.operations() {
                let id = op["operationId"].as_str().unwrap_or_default().to_owned();
                kept.operations
                    .insert((method, path.to_owned()), (spec.file.clone(), id.clone()));
                kept.ids.entry(api.clone()).or_default().insert(id);
            }
        }
        kept
    }
}

/// The group (`x-mm-group`) of every operation the specs have, by API, method and path: a
/// re-import keeps it, so that a user's path to an operation never moves because upstream
/// re-tagged it.
fn groups(specs: &[Spec]) -> BTreeMap<(String, String, String), String> {
    let mut groups = BTreeMap::new();
    for spec in specs {
        let api = spec.api().unwrap_or_default();
        for (path, method, op) in spec.operations() {
            if let Some(group) = op["x-mm-group"].as_str() {
                groups.insert((api.to_owned(), method, path.to_owned()), group.to_owned());
            }
        }
    }
    groups
}

/// Every operation of every export, sorted into imported and skipped.
struct Selection<'a> {
    candidates: Vec<Candidate<'a>>,
    skipped: Vec<Skipped>,
    exports: Vec<ExportCount>,
}

/// Which operations of the exports are imported, with their tag, area and group, and which are
/// skipped, with why.
fn select<'a>(
    input: &Input<'a>,
    kept: &Kept,
    groups: &BTreeMap<(String, String, String), String>,
) -> Result<Selection<'a>, Error> {
    let mut selection = Selection {
        candidates: Vec::new(),
        skipped: Vec::new(),
        exports: Vec::new(),
    };
    for document in input.exports {
        let export = document.export();
        let mut count = ExportCount {
            export,
            operations: 0,
            imported: 0,
            skipped: 0,
        };
        for operation in document.operations() {
            count.operations += 1;
            let upstream_tag = operation.upstream_tag();
            let reason = skip_reason(&operation, input.callbacks, kept, &selection.candidates);
            if let Some(reason) = reason {
                selection.skipped.push(Skipped {
                    export,
                    method: operation.method.clone(),
                    path: operation.upstream_path.to_owned(),
                    title: operation.title().to_owned(),
                    reason,
                });
                count.skipped += 1;
                continue;
            }
            let Some(tag) = tags::find(&upstream_tag) else {
                return Err(Error::new(format!(
                    "{}: `{} {}`: upstream tag `{upstream_tag}` has no area",
                    export.file, operation.method, operation.upstream_path
                )));
            };
            count.imported += 1;
            let key = (
                export.api.to_owned(),
                operation.method.clone(),
                operation.path.clone(),
            );
            selection.candidates.push(Candidate {
                group: groups
                    .get(&key)
                    .cloned()
                    .unwrap_or_else(|| tag.group.to_owned()),
                operation,
                upstream_tag,
                tag: tag.tag,
                area: tag.area,
                id: String::new(),
            });
        }
        selection.exports.push(count);
    }
    Ok(selection)
}

/// Gives each candidate its `operationId`, unique in its API with the hand-kept ones
/// (`reserved`).
fn name(candidates: &mut [Candidate], reserved: &BTreeMap<String, BTreeSet<String>>) {
    let unnamed: Vec<Unnamed> = candidates
        .iter()
        .map(|c| Unnamed {
            api: c.operation.export().api,
            method: &c.operation.method,
            path: &c.operation.path,
            upstream_path: c.operation.upstream_path,
        })
        .collect();
    let ids = ids::assign(&unnamed, reserved);
    for (candidate, id) in candidates.iter_mut().zip(ids) {
        candidate.id = id;
    }
}

/// One spec per area, by name. `type_names` are the component names of each API's hand-kept
/// specs; each area's are added to its API's as it is made.
fn areas(
    candidates: &[Candidate],
    mut type_names: BTreeMap<String, BTreeSet<String>>,
    counts: &mut Counts,
) -> Result<Vec<Area>, Error> {
    let mut members: BTreeMap<&str, Vec<&Candidate>> = BTreeMap::new();
    for candidate in candidates {
        members.entry(candidate.area).or_default().push(candidate);
    }
    let mut areas = Vec::new();
    for (name, ops) in members {
        let api = ops
            .first()
            .map(|c| c.operation.export().api)
            .unwrap_or_default();
        let taken = type_names.entry(api.to_owned()).or_default();
        areas.push(area::area(name, &ops, taken, counts)?);
    }
    Ok(areas)
}

//! The inventory (`openapi/import/inventory.yaml`): every operation of every export the import
//! read, by method and path, with what was made of it: imported (its `operationId`), or
//! skipped and why. The import writes it; [`check`] holds it against the specs, so that no
//! operation of upstream's goes missing from the SDK without a reason, even where CI has no
//! copy of upstream's exports. The file:
//!
//! ```yaml
//! - export: MultiMarkets-ClientAPI.openapi.en.yaml
//!   repository: CTradeExchange/multimarkets-api-swagger   # where it was read, when pinned
//!   path: MultiMarkets-ClientAPI.openapi.en.yaml
//!   revision: 3bd7552194ae74e2df70c53054d8869e066faa16
//!   committed: 2026-08-18T04:46:08Z
//!   operations:
//!   # one line each: upstream's method and path, ours, and the outcome
//!   - {"method": "POST", "path": "/global/x.y.Z.get", "ours": "/api/global/x.y.Z.get", "id": "get"}
//!   - {"method": "HEAD", "path": "/", "ours": "/api/", "skipped": "pseudo-operation", "why": "..."}
//!   - {"method": "POST", ..., "skipped": "hand-kept", "spec": "client.yaml", "id": "login"}
//!   - {"method": "POST", ..., "skipped": "newer-export", "export": "<file>", "at": "<its path>"}
//! ```
//!
//! `deprecated: true` marks an operation upstream marks so. The skip codes are those of
//! [`Skip::code`]: `repeated` names the earlier path of the same export in `at`, `slash-typo`
//! the export and path written correctly in `export` and `at`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_yaml_ng::Value;

use crate::Error;
use crate::export::{self, Export};
use crate::import::Skipped;
use crate::skip::Skip;
use crate::sources::Pin;
use crate::spec::Spec;

/// The inventory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inventory {
    /// One per export read, in the order they were given.
    pub exports: Vec<ExportInventory>,
}

/// The operations of one export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportInventory {
    /// The export.
    pub export: &'static Export,
    /// The revision it was read at, where that is known.
    pub pin: Option<Pin>,
    /// Its operations, in its order.
    pub operations: Vec<Entry>,
}

/// An operation of an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Upper case.
    pub method: String,
    /// As upstream writes it.
    pub path: String,
    /// As our specs write it.
    pub ours: String,
    /// Whether upstream marks it deprecated.
    pub deprecated: bool,
    /// What was made of it.
    pub outcome: Outcome,
}

/// What the import made of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Imported, with this `operationId`.
    Imported {
        /// Its `operationId`.
        id: String,
    },
    /// A hand-kept spec has it.
    HandKept {
        /// The spec's file.
        spec: String,
        /// The `operationId` there.
        id: String,
    },
    /// Another operation of upstream's decides it: a newer export's (`newer-export`), an
    /// earlier one of the same export (`repeated`), the correctly written path of a typo
    /// (`slash-typo`).
    Elsewhere {
        /// The skip code.
        code: String,
        /// The export of the operation that decides it.
        export: String,
        /// That operation's path, as upstream writes it.
        at: String,
    },
    /// Left out for what it is, or for a shape the conventions leave to a person.
    LeftOut {
        /// The skip code.
        code: String,
        /// Why, in a sentence.
        why: String,
    },
}

impl Outcome {
    /// What the inventory says of the operation `skipped`.
    pub(crate) fn of(skipped: &Skipped) -> Outcome {
        match &skipped.skip {
            Skip::HandKept { spec, id } => Outcome::HandKept {
                spec: spec.clone(),
                id: id.clone(),
            },
            Skip::Newer { export, path } => Outcome::Elsewhere {
                code: skipped.skip.code().into(),
                export: export.file.into(),
                at: path.clone(),
            },
            Skip::Repeated { path } => Outcome::Elsewhere {
                code: skipped.skip.code().into(),
                export: skipped.export.file.into(),
                at: path.clone(),
            },
            Skip::SlashTypo { corrected, export } => Outcome::Elsewhere {
                code: skipped.skip.code().into(),
                export: export.file.into(),
                at: corrected.clone(),
            },
            other => Outcome::LeftOut {
                code: other.code().into(),
                why: skipped.reason.clone(),
            },
        }
    }
}

/// The codes a left-out operation may have.
const LEFT_OUT: [&str; 7] = [
    "pseudo-operation",
    "webhook",
    "not-the-api",
    "no-downstream",
    "file-upload",
    "parameters",
    "method",
];

/// The codes of an operation another one decides.
const ELSEWHERE: [&str; 3] = ["newer-export", "repeated", "slash-typo"];

/// What the file starts with.
const HEADER: &str = "# Written by `cargo xtask import` (see openapi/README.md, \"Imported from upstream's \
     exports\"): every operation\n# of every export it read, by upstream's method and path and \
     ours, and what was made of it.\n# Do not edit by hand. The tests hold it against the specs.\n";

impl Inventory {
    /// The file's text (see the module's documentation).
    pub fn text(&self) -> String {
        let mut out = HEADER.to_owned();
        for export in &self.exports {
            let _ = writeln!(out, "- export: {}", scalar(export.export.file));
            if let Some(pin) = &export.pin {
                let _ = writeln!(out, "  repository: {}", scalar(&pin.repository));
                let _ = writeln!(out, "  path: {}", scalar(&pin.path));
                let _ = writeln!(out, "  revision: {}", scalar(&pin.revision));
                let _ = writeln!(out, "  committed: {}", scalar(&pin.committed));
            }
            out.push_str("  operations:\n");
            for entry in &export.operations {
                let _ = writeln!(out, "  - {}", entry.line());
            }
        }
        out
    }

    /// The inventory file `file`, read as `value`.
    pub fn parse(file: &str, value: &Value) -> Result<Inventory, Error> {
        let at = |what: String| Error::new(format!("{file}: {what}"));
        let exports = value
            .as_sequence()
            .ok_or_else(|| at("not a list of exports".into()))?;
        let mut inventory = Inventory {
            exports: Vec::new(),
        };
        for (index, item) in exports.iter().enumerate() {
            let export =
                parse_export(item).map_err(|e| at(format!("export {}: {e}", index + 1)))?;
            inventory.exports.push(export);
        }
        Ok(inventory)
    }

    /// The operations of export `file`.
    pub fn of(&self, file: &str) -> Option<&ExportInventory> {
        self.exports.iter().find(|e| e.export.file == file)
    }

    /// The export whose version of operation `method path` (ours) of `api` the specs follow:
    /// the one it was imported from; for a hand-kept one, the last committed of those that
    /// define it; for one no export defines, the last committed export of the API. `None` where
    /// the inventory has no export of the API.
    pub fn owner(&self, api: &str, method: &str, ours: &str) -> Option<&'static Export> {
        let of_api = || self.exports.iter().filter(|e| e.export.api == api);
        let defines = |e: &&ExportInventory| {
            e.operations
                .iter()
                .any(|o| o.method == method && o.ours == ours)
        };
        let imported = of_api().find(|e| {
            e.operations.iter().any(|o| {
                o.method == method
                    && o.ours == ours
                    && matches!(o.outcome, Outcome::Imported { .. })
            })
        });
        imported
            .or_else(|| of_api().filter(defines).max_by(newest))
            .or_else(|| of_api().max_by(newest))
            .map(|e| e.export)
    }

    /// The outcome of operation `method path` (upstream's) of export `file`, where the
    /// inventory has it.
    pub fn outcome(&self, file: &str, method: &str, path: &str) -> Option<&Outcome> {
        self.of(file)?
            .operations
            .iter()
            .find(|o| o.method == method && o.path == path)
            .map(|o| &o.outcome)
    }
}

/// The later committed of two exports (an unpinned one is the older; of two alike, the one
/// listed first).
fn newest(a: &&ExportInventory, b: &&ExportInventory) -> std::cmp::Ordering {
    let committed = |e: &ExportInventory| e.pin.as_ref().map(|p| p.committed.clone());
    // `max_by` compares the maximum so far with the next and keeps the last of equals:
    // answering `Greater` for equal times keeps the one met first, the one listed first.
    committed(a)
        .cmp(&committed(b))
        .then(std::cmp::Ordering::Greater)
}

impl Entry {
    /// Its line: a JSON object, which YAML reads as a flow mapping.
    fn line(&self) -> String {
        let mut fields = serde_json::Map::new();
        let mut put = |key: &str, value: &str| {
            fields.insert(key.into(), serde_json::Value::from(value));
        };
        put("method", &self.method);
        put("path", &self.path);
        put("ours", &self.ours);
        match &self.outcome {
            Outcome::Imported { id } => put("id", id),
            Outcome::HandKept { spec, id } => {
                put("skipped", "hand-kept");
                put("spec", spec);
                put("id", id);
            }
            Outcome::Elsewhere { code, export, at } => {
                put("skipped", code);
                put("export", export);
                put("at", at);
            }
            Outcome::LeftOut { code, why } => {
                put("skipped", code);
                put("why", why);
            }
        }
        if self.deprecated {
            fields.insert("deprecated".into(), serde_json::Value::Bool(true));
        }
        serde_json::Value::Object(fields).to_string()
    }
}

/// `text` as a YAML scalar: as it is where YAML reads it back so, else quoted.
fn scalar(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || "-_./:".contains(c))
        && !text.starts_with(['-', ':', '.']);
    if plain {
        text.to_owned()
    } else {
        serde_json::Value::from(text).to_string()
    }
}

fn parse_export(item: &Value) -> Result<ExportInventory, String> {
    let file = item["export"].as_str().ok_or("`export` is not a string")?;
    let export = export::find(file).ok_or_else(|| {
        format!(
            "`{file}` is not one of the importer's exports ({})",
            export::files()
        )
    })?;
    let text = |key: &str| item[key].as_str().map(str::to_owned);
    let pin = match (
        text("repository"),
        text("path"),
        text("revision"),
        text("committed"),
    ) {
        (Some(repository), Some(path), Some(revision), Some(committed)) => Some(Pin {
            repository,
            path,
            revision,
            committed,
        }),
        (None, None, None, None) => None,
        _ => return Err("`repository`, `path`, `revision` and `committed` go together".into()),
    };
    let operations = item["operations"]
        .as_sequence()
        .ok_or("`operations` is not a list")?
        .iter()
        .enumerate()
        .map(|(index, entry)| {
            parse_entry(entry).map_err(|e| format!("operation {}: {e}", index + 1))
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(ExportInventory {
        export,
        pin,
        operations,
    })
}

fn parse_entry(entry: &Value) -> Result<Entry, String> {
    let text = |key: &str| {
        entry[key]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("`{key}` is not a string"))
    };
    let outcome = match entry.get("skipped").and_then(Value::as_str) {
        None => Outcome::Imported { id: text("id")? },
        Some("hand-kept") => Outcome::HandKept {
            spec: text("spec")?,
            id: text("id")?,
        },
        Some(code) if ELSEWHERE.contains(&code) => Outcome::Elsewhere {
            code: code.to_owned(),
            export: text("export")?,
            at: text("at")?,
        },
        Some(code) if LEFT_OUT.contains(&code) => Outcome::LeftOut {
            code: code.to_owned(),
            why: text("why")?,
        },
        Some(code) => {
            return Err(format!(
                "`skipped` is `{code}`, not a reason the import has"
            ));
        }
    };
    Ok(Entry {
        method: text("method")?,
        path: text("path")?,
        ours: text("ours")?,
        deprecated: entry["deprecated"].as_bool() == Some(true),
        outcome,
    })
}

/// What is wrong between `inventory` and the specs `specs` (by file, hand-kept ones included):
/// an imported operation that no spec of its API has by method and path (or not under its id,
/// or not marked deprecated where upstream marks it), a hand-kept one its spec lacks, an
/// operation decided elsewhere whose deciding operation the inventory lacks or does not
/// account for, a left-out one without a reason, and an operation of an imported area spec
/// that no export's operation was imported as. Empty when they agree.
pub fn check(inventory: &Inventory, specs: &[Spec]) -> Vec<String> {
    let mut operations: BTreeMap<(String, String, String), (&Spec, &Value)> = BTreeMap::new();
    for spec in specs {
        let api = spec.api().unwrap_or_default().to_owned();
        for (path, method, op) in spec.operations() {
            operations.insert((api.clone(), method, path.to_owned()), (spec, op));
        }
    }
    let mut problems = Vec::new();
    let mut imported: BTreeSet<(String, String, String)> = BTreeSet::new();
    for export in &inventory.exports {
        let api = export.export.api;
        for entry in &export.operations {
            let name = format!("{}: `{} {}`", export.export.file, entry.method, entry.path);
            let key = (api.to_owned(), entry.method.clone(), entry.ours.clone());
            let found = operations.get(&key);
            match &entry.outcome {
                Outcome::Imported { id } => {
                    imported.insert(key.clone());
                    match found {
                        None => problems.push(format!(
                            "{name}: imported as `{id}`, but no spec has `{} {}`",
                            entry.method, entry.ours
                        )),
                        Some((spec, op)) => {
                            if op["operationId"].as_str() != Some(id) {
                                problems.push(format!(
                                    "{name}: imported as `{id}`, but {} calls `{} {}` `{}`",
                                    spec.file,
                                    entry.method,
                                    entry.ours,
                                    op["operationId"].as_str().unwrap_or("nothing")
                                ));
                            }
                            if entry.deprecated && op["deprecated"].as_bool() != Some(true) {
                                problems.push(format!(
                                    "{name}: upstream marks it deprecated, {} does not",
                                    spec.file
                                ));
                            }
                        }
                    }
                }
                Outcome::HandKept { spec, id } => {
                    let in_spec = found.is_some_and(|(s, op)| {
                        file_name(&s.file) == spec && op["operationId"].as_str() == Some(id)
                    });
                    if !in_spec {
                        problems.push(format!(
                            "{name}: said to be `{id}` of the hand-kept `{spec}`, which has no \
                             `{} {}` of that id",
                            entry.method, entry.ours
                        ));
                    }
                }
                Outcome::Elsewhere {
                    code,
                    export: by,
                    at,
                } => {
                    if let Some(problem) = decided_elsewhere(inventory, &entry.method, code, by, at)
                    {
                        problems.push(format!("{name}: {problem}"));
                    }
                    let committed = |e: Option<&ExportInventory>| {
                        e.and_then(|e| e.pin.as_ref()).map(|p| p.committed.clone())
                    };
                    if let (Some(ours), Some(theirs)) =
                        (committed(Some(export)), committed(inventory.of(by)))
                        && code == "newer-export"
                        && theirs < ours
                    {
                        problems.push(format!(
                            "{name}: said to be decided by the newer `{by}`, committed {theirs}, \
                             before this export ({ours})"
                        ));
                    }
                }
                Outcome::LeftOut { code, why } => {
                    if why.trim().is_empty() {
                        problems.push(format!("{name}: left out (`{code}`) without a reason"));
                    }
                }
            }
        }
    }
    for spec in specs.iter().filter(|s| !s.imported_from().is_empty()) {
        let api = spec.api().unwrap_or_default();
        for (path, method, op) in spec.operations() {
            let key = (api.to_owned(), method.clone(), path.to_owned());
            if !imported.contains(&key) {
                problems.push(format!(
                    "{}: `{method} {path}` (`{}`) was imported from no export the inventory \
                     lists",
                    spec.file,
                    op["operationId"].as_str().unwrap_or("?")
                ));
            }
        }
    }
    problems
}

/// What is wrong with an operation said to be decided by operation `method at` of export
/// `by`, where anything is: the inventory must have that operation and account for it.
fn decided_elsewhere(
    inventory: &Inventory,
    method: &str,
    code: &str,
    by: &str,
    at: &str,
) -> Option<String> {
    let Some(outcome) = inventory.outcome(by, method, at) else {
        return Some(format!(
            "`{code}`: decided by `{method} {at}` of `{by}`, which the inventory does not have"
        ));
    };
    match (code, outcome) {
        // The corrected path is the operation: it must be in the SDK.
        ("slash-typo", Outcome::LeftOut { .. }) => Some(format!(
            "`{code}`: `{method} {at}` of `{by}`, which it is a typo of, is left out too"
        )),
        _ => None,
    }
}

/// The last component of a spec's file (`openapi/client.yaml` → `client.yaml`).
fn file_name(file: &str) -> &str {
    file.rsplit('/').next().unwrap_or(file)
}

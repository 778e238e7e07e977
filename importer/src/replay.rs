//! A step of an export's history replayed: what a newer version of the export changes in the
//! specs the import made from the older one, each change with what it means for users of the
//! SDK (`cargo xtask replay`, and the CHANGELOG's sections made from its report).
//!
//! A revision whose file is not an export (upstream's exporter has committed a gateway's error
//! page, and documents without a path, in place of the file) is refused, not read as the
//! removal of every operation.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_yaml_ng::Value;

use crate::diff::{self, Change, Difference, Kind};
use crate::export::Document;
use crate::spec::Spec;
use crate::{Error, Output};

/// Why `value`, read from an export's file, is not an export: not an OpenAPI document, or one
/// without a single path. `None` for an export.
pub fn refusal(value: &Value) -> Option<String> {
    let Some(document) = value.as_mapping() else {
        return Some("not an OpenAPI document (its text is not a YAML or JSON map)".into());
    };
    if !document.contains_key("openapi") && !document.contains_key("swagger") {
        return Some("not an OpenAPI document (no `openapi` version)".into());
    }
    match value.get("paths").and_then(Value::as_mapping) {
        Some(paths) if !paths.is_empty() => None,
        _ => Some("an OpenAPI document without a single path".into()),
    }
}

/// What `newer` changes in the specs `output` imported from `older` beside `specs` (the specs
/// there were): the import's area specs replace those of `specs` of the same file, and `newer`
/// is compared with them and the import's inventory; what `older` already differs in from them
/// (the hand-kept specs' own choices) is left out: it is not the step's.
pub fn changes(
    output: &Output,
    specs: &[Spec],
    older: &Document,
    newer: &Document,
) -> Result<Vec<Difference>, Error> {
    let mut specs: BTreeMap<String, Spec> = specs
        .iter()
        .map(|spec| (file_name(&spec.file), spec.clone()))
        .collect();
    for area in &output.areas {
        specs.insert(area.file(), Spec::new(area.file(), area.spec.clone()));
    }
    let specs: Vec<Spec> = specs.into_values().collect();
    let before = diff::compare(older, &specs, Some(&output.inventory))?;
    let mut differences = diff::compare(newer, &specs, Some(&output.inventory))?;
    differences.retain(|difference| !before.contains(difference));
    differences.sort();
    Ok(differences)
}

fn file_name(path: &str) -> String {
    path.rsplit('/').next().unwrap_or(path).to_owned()
}

/// The counts of a step's changes, those another export decides left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Operations added and removed.
    pub operations: (usize, usize),
    /// Fields added and removed.
    pub fields: (usize, usize),
    /// Fields whose type changed.
    pub retyped: usize,
    /// Fields that became required or optional.
    pub required: usize,
    /// Fields that may now be null.
    pub nullable: usize,
    /// Fields whose list of values changed.
    pub values: usize,
    /// Headers added, removed, changed in required-ness, spelling or value, and credentials
    /// changed.
    pub headers: usize,
    /// The release the step needs; `None` when nothing changes.
    pub release: Option<Change>,
    /// The changes that break users' code.
    pub breaking: usize,
}

impl Summary {
    /// The summary of `differences`.
    pub fn of(differences: &[Difference]) -> Self {
        let counted: Vec<&Difference> = differences
            .iter()
            .filter(|d| d.decided_by.is_none())
            .collect();
        let count = |kinds: &[Kind]| counted.iter().filter(|d| kinds.contains(&d.kind)).count();
        Summary {
            operations: (
                count(&[Kind::AddedOperation]),
                count(&[Kind::RemovedOperation]),
            ),
            fields: (count(&[Kind::FieldAdded]), count(&[Kind::FieldRemoved])),
            retyped: count(&[Kind::FieldRetyped]),
            required: count(&[Kind::FieldRequired]),
            nullable: count(&[Kind::FieldNullable]),
            values: count(&[Kind::FieldValues]),
            headers: count(&[
                Kind::HeaderAdded,
                Kind::HeaderRemoved,
                Kind::HeaderRequired,
                Kind::HeaderSpelling,
                Kind::HeaderValue,
                Kind::Credential,
            ]),
            release: counted.iter().map(|d| d.change).max(),
            breaking: counted.iter().filter(|d| d.change == Change::Major).count(),
        }
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "operations +{} -{}; fields +{} -{}, {} retyped, {} changed in required-ness, {} \
             may be null, {} with other values; headers {}; release {}, {} breaking",
            self.operations.0,
            self.operations.1,
            self.fields.0,
            self.fields.1,
            self.retyped,
            self.required,
            self.nullable,
            self.values,
            self.headers,
            self.release.map_or("none (nothing changes)", Change::name),
            self.breaking
        )
    }
}

/// The report of one step, `from` → `to`: its [`Summary`], then each operation with its
/// changes, one line each, marked with what they mean for users. A change another export
/// decides (it defines the operation too, and the specs follow it) is listed and not counted.
pub fn report(from: &str, to: &str, differences: &[Difference]) -> String {
    let mut out = format!("{from} -> {to}: {}\n", Summary::of(differences));
    let mut operation = None;
    for difference in differences {
        if operation != Some(&difference.operation) {
            let _ = writeln!(out, "  {}", difference.operation);
            operation = Some(&difference.operation);
        }
        let decided = difference
            .decided_by
            .map(|export| format!(" (decided by {export}: not counted)"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "    [{}] {difference}{decided}",
            difference.change.name()
        );
    }
    out
}

/// The report of a step whose newer revision is not an export.
pub fn refused(from: &str, to: &str, why: &str) -> String {
    format!("{from} -> {to}: refused, {why}: the next step compares with {from}\n")
}

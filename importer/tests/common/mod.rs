//! What the tests share: reading the fixtures, and importing them.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use mm_sdk_importer::enums::EnumField;
use mm_sdk_importer::export::{self, Document};
use mm_sdk_importer::not_money::NotMoney;
use mm_sdk_importer::prose::Prose;
use mm_sdk_importer::spec::Spec;
use mm_sdk_importer::{Input, Output};
use serde_yaml_ng::Value;

/// The Client API export the Client-like fixtures are versions of.
pub const CLIENT: &str = "MultiMarkets-ClientAPI.openapi.en.yaml";

/// The Manager API export the Manager-like fixture is a version of.
pub const MANAGER: &str = "MultiMarkets-BusinessAPI.openapi.en.yaml";

/// The folder of the fixtures.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The YAML (or JSON) file `path`.
pub fn read(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    export::parse(&path.display().to_string(), &text).unwrap_or_else(|e| panic!("{e}"))
}

/// The fixture `file` (under `fixtures/import/`) as a version of export `name`.
pub fn document(file: &str, name: &str) -> Document {
    let export = export::find(name).unwrap_or_else(|| panic!("`{name}` is an export"));
    Document::new(export, read(&fixtures().join("import").join(file)))
}

/// The two fixture exports, the Client-like one first, as the import orders them.
pub fn exports() -> Vec<Document> {
    vec![
        document("client-export.yaml", CLIENT),
        document("manager-export.yaml", MANAGER),
    ]
}

/// The fixture hand-kept specs, by file name.
pub fn hand_kept() -> Vec<Spec> {
    ["client.yaml", "manager.yaml"]
        .into_iter()
        .map(|file| Spec::new(file, read(&fixtures().join("import/specs").join(file))))
        .collect()
}

/// The fixture callback spec.
pub fn callbacks() -> Value {
    read(&fixtures().join("import/callbacks.yaml"))
}

/// Imports `exports` with the fixture hand-kept specs, and `existing` as the area specs there
/// are already.
pub fn import(exports: &[Document], existing: &[Spec]) -> Output {
    try_import(exports, existing).unwrap_or_else(|e| panic!("{e}"))
}

/// As [`import`], the error kept.
pub fn try_import(
    exports: &[Document],
    existing: &[Spec],
) -> Result<Output, mm_sdk_importer::Error> {
    try_import_except(exports, existing, &[])
}

/// As [`try_import`], with `not_money` the fields named like money that are not.
pub fn try_import_except(
    exports: &[Document],
    existing: &[Spec],
    not_money: &[NotMoney],
) -> Result<Output, mm_sdk_importer::Error> {
    try_import_with(exports, existing, not_money, &[])
}

/// As [`try_import_except`], with `enums` the fields that carry a shared coded value.
pub fn try_import_with(
    exports: &[Document],
    existing: &[Spec],
    not_money: &[NotMoney],
    enums: &[EnumField],
) -> Result<Output, mm_sdk_importer::Error> {
    try_import_worded(exports, existing, not_money, enums, &Prose::default())
}

/// As [`try_import_with`], with `prose` the words written here.
pub fn try_import_worded(
    exports: &[Document],
    existing: &[Spec],
    not_money: &[NotMoney],
    enums: &[EnumField],
    prose: &Prose,
) -> Result<Output, mm_sdk_importer::Error> {
    let hand_kept = hand_kept();
    let mut specs = hand_kept.clone();
    specs.extend(existing.iter().cloned());
    let callbacks = callbacks();
    mm_sdk_importer::import(&Input {
        exports,
        hand_kept: &hand_kept,
        specs: &specs,
        callbacks: Some(&callbacks),
        not_money,
        enums,
        prose,
    })
}

/// The area specs of `output` as specs there are, as the next import reads them.
pub fn as_specs(output: &Output) -> Vec<Spec> {
    output
        .areas
        .iter()
        .map(|area| Spec::new(area.file(), area.spec.clone()))
        .collect()
}

/// The operation at `path` (POST) of the area `area` of `output`.
pub fn operation<'o>(output: &'o Output, area: &str, path: &str) -> &'o Value {
    let area = output
        .areas
        .iter()
        .find(|a| a.name == area)
        .unwrap_or_else(|| panic!("no area `{area}`"));
    let op = &area.spec["paths"][path]["post"];
    assert!(op.is_mapping(), "no `POST {path}` in `{}`", area.name);
    op
}

/// The operation ids of `output`, by method and path.
pub fn ids(output: &Output) -> Vec<(String, String)> {
    let mut ids = Vec::new();
    for area in &output.areas {
        for (path, item) in area.spec["paths"].as_mapping().into_iter().flatten() {
            for (method, op) in item.as_mapping().into_iter().flatten() {
                ids.push((
                    format!(
                        "{} {}",
                        method.as_str().unwrap_or_default(),
                        path.as_str().unwrap_or_default()
                    ),
                    op["operationId"].as_str().unwrap_or_default().to_owned(),
                ));
            }
        }
    }
    ids.sort();
    ids
}

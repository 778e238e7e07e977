//! `cargo xtask upstream-diff <export> [--as EXPORT] [--specs DIR] [--ack FILE]
//! [--inventory FILE | --no-inventory] [--all]`: what differs between one of upstream's exports
//! and our specs, for when upstream's docs change (README.md, "When upstream's docs change").
//!
//! The comparison is `mm_sdk_importer::diff`, which says what is compared and how; this reads
//! the export, the specs of `DIR` (default `openapi/`), the acknowledgements of `--ack FILE`
//! (default `openapi/upstream-diff/acknowledged.yaml`, entries as `mm_sdk_importer::diff::ack`
//! describes them) and the inventory of `--inventory FILE` (default
//! `openapi/import/inventory.yaml`: which export the specs follow for each operation, and what
//! the import skipped), and prints the report. What another, newer export decides is listed
//! and does not fail the run.
//!
//! The run fails when a difference is not acknowledged, and when an acknowledgement of this
//! export (or one field or header of it) matches no difference: it is stale, and the file stays
//! true by losing it. It prints the differences not acknowledged (every one with `--all`)
//! grouped per operation, sorted, one line each, then the stale acknowledgements and the count
//! of each kind.
//!
//! `--as EXPORT` compares a file of another name (a draft, a test's fixture) as a version of the
//! importer's export `EXPORT`.

use std::path::{Path, PathBuf};

use mm_sdk_importer::diff::{self, Ack, Shown, Verdict};
use mm_sdk_importer::export::{self, Document};
use mm_sdk_importer::inventory::Inventory;
use mm_sdk_importer::spec::Spec;
use serde_yaml_ng::Value;

use crate::import;

const USAGE: &str = "usage: cargo xtask upstream-diff <export> [--as EXPORT] [--specs DIR] \
                     [--ack FILE] [--inventory FILE | --no-inventory] [--all]";

pub(crate) fn run(args: &[&str]) -> Result<(), String> {
    let options = Options::parse(args)?;
    let upstream = read_export(&options.export, options.name.as_deref())?;
    let specs = read_specs(&options.specs)?;
    let acks = read_ours(&options.ack).and_then(|value| {
        Ack::parse_all(&options.ack.display().to_string(), &value).map_err(|e| e.to_string())
    })?;
    let inventory = match &options.inventory {
        Some(file) => {
            let value = read_ours(file)?;
            Some(Inventory::parse(&file.display().to_string(), &value).map_err(|e| e.to_string())?)
        }
        None => None,
    };
    let differences =
        diff::compare(&upstream, &specs, inventory.as_ref()).map_err(|e| e.to_string())?;
    let verdict = Verdict::new(upstream.export(), differences, &acks);
    print!(
        "{}",
        verdict.report(&Shown {
            export: &options.export.display().to_string(),
            specs: &options.specs.display().to_string(),
            ack: &options.ack.display().to_string(),
            all: options.all,
        })
    );
    verdict
        .outcome(&options.ack.display().to_string())
        .map_err(|e| e.to_string())
}

/// The command line.
#[derive(Debug)]
struct Options {
    export: PathBuf,
    /// `--as`: the importer's export it is a version of.
    name: Option<String>,
    specs: PathBuf,
    ack: PathBuf,
    /// `--inventory`, or none with `--no-inventory`.
    inventory: Option<PathBuf>,
    all: bool,
}

impl Options {
    fn parse(args: &[&str]) -> Result<Self, String> {
        let mut export = None;
        let mut options = Options {
            export: PathBuf::new(),
            name: None,
            specs: PathBuf::from("openapi"),
            ack: PathBuf::from("openapi/upstream-diff/acknowledged.yaml"),
            inventory: Some(PathBuf::from(import::INVENTORY)),
            all: false,
        };
        let mut args = args.iter();
        while let Some(&arg) = args.next() {
            let mut value = || {
                args.next()
                    .map(|v| (*v).to_owned())
                    .ok_or_else(|| format!("{arg} needs a value\n{USAGE}"))
            };
            match arg {
                "--as" => options.name = Some(value()?),
                "--specs" => options.specs = value()?.into(),
                "--ack" => options.ack = value()?.into(),
                "--inventory" => options.inventory = Some(value()?.into()),
                "--no-inventory" => options.inventory = None,
                "--all" => options.all = true,
                flag if flag.starts_with("--") => {
                    return Err(format!("unknown option `{flag}`\n{USAGE}"));
                }
                path if export.is_none() => export = Some(PathBuf::from(path)),
                extra => return Err(format!("one export at a time, not also `{extra}`\n{USAGE}")),
            }
        }
        options.export = export.ok_or(USAGE)?;
        Ok(options)
    }
}

/// The export compared, read as the version of the importer's export `name` (by default, the
/// one its file is named as).
fn read_export(path: &Path, name: Option<&str>) -> Result<Document, String> {
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let name = name.map(str::to_owned).or(file_name).unwrap_or_default();
    let export = export::find(&name).ok_or_else(|| {
        format!(
            "{}: `{name}` is not one of the importer's exports ({}); name the one it is a \
             version of with --as",
            path.display(),
            export::files()
        )
    })?;
    let document = import::read_yaml(path)?;
    if !document["paths"].is_mapping() {
        return Err(format!(
            "{}: no `paths` mapping: not an OpenAPI export",
            path.display()
        ));
    }
    Ok(Document::new(export, document))
}

/// The specs of `dir` (`*.yaml`), by file name.
fn read_specs(dir: &Path) -> Result<Vec<Spec>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if path.extension().is_some_and(|e| e == "yaml") && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    files
        .into_iter()
        .map(|path| Ok(Spec::new(path.display().to_string(), read_ours(&path)?)))
        .collect()
}

/// One of our YAML files.
fn read_ours(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_yaml_ng::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

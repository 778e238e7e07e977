//! `cargo xtask import [--refresh]`: turns upstream's OpenAPI exports (copied from the docs'
//! GitBook source into `openapi/upstream/`, which is not committed: their text is upstream's)
//! into new area specs
//! `openapi/<area>.yaml` with their examples under `openapi/examples/<area>/`, following the
//! conventions of `openapi/README.md`, and rewrites the README's "Imported from upstream's
//! exports" section.
//!
//! The import itself is `mm_sdk_importer::import`, which works in memory; this reads what it
//! takes (the exports, the hand-kept specs `client.yaml`, `manager.yaml` and `auth2.yaml`, every
//! spec of `openapi/`, the callback spec), writes what it makes, and prints what was done.
//! `--refresh` first copies the exports from a git clone of the docs' GitBook source (its
//! folder in `MM_DOCS_REPO`); it is needed once per checkout.

use std::path::{Path, PathBuf};

use mm_sdk_importer::area::Area;
use mm_sdk_importer::export::{self, Document, EXPORTS};
use mm_sdk_importer::spec::Spec;
use mm_sdk_importer::{Input, readme};
use serde_yaml_ng::Value;

const UPSTREAM: &str = "openapi/upstream";
const README: &str = "openapi/README.md";

/// The hand-kept specs of `openapi/`, in the order they are read (a later one has the last
/// word on an operation two of them have).
const HAND_KEPT: [&str; 3] = ["client", "manager", "auth2"];

pub(crate) fn run(args: &[&str]) -> Result<(), String> {
    match args {
        [] => {}
        ["--refresh"] => refresh()?,
        _ => return Err("usage: cargo xtask import [--refresh]".into()),
    }
    let hand_kept = HAND_KEPT
        .iter()
        .map(|spec| {
            let file = format!("{spec}.yaml");
            let value = read_yaml(&Path::new("openapi").join(&file))?;
            Ok(Spec::new(file, value))
        })
        .collect::<Result<Vec<_>, String>>()?;
    let specs = specs()?;
    let callbacks = read_yaml(Path::new(mm_sdk_codegen::CALLBACKS_SPEC)).ok();
    let exports = EXPORTS
        .iter()
        .map(|export| {
            let value = read_yaml(&Path::new(UPSTREAM).join(export.file))?;
            Ok(Document::new(export, value))
        })
        .collect::<Result<Vec<_>, String>>()?;
    let output = mm_sdk_importer::import(&Input {
        exports: &exports,
        hand_kept: &hand_kept,
        specs: &specs,
        callbacks: callbacks.as_ref(),
    })
    .map_err(|e| e.to_string())?;

    for area in &output.areas {
        write_area(area)?;
        println!(
            "wrote openapi/{} ({} operations)",
            area.file(),
            area.operations
        );
    }
    let text = std::fs::read_to_string(README).map_err(|e| format!("{README}: {e}"))?;
    let text = readme::replace_section(&text, &output.readme_section);
    std::fs::write(README, text).map_err(|e| format!("{README}: {e}"))?;
    println!(
        "{} operations imported into {} areas, {} skipped",
        output.imported,
        output.areas.len(),
        output.skipped.len()
    );
    for (what, count) in output.counts.iter() {
        println!("  {count:5} × {what}");
    }
    Ok(())
}

/// Every spec of `openapi/` (`*.yaml`), in the order of their files.
fn specs() -> Result<Vec<Spec>, String> {
    let entries = std::fs::read_dir("openapi").map_err(|e| format!("openapi: {e}"))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|file| Ok(Spec::new(file.display().to_string(), read_yaml(&file)?)))
        .collect()
}

/// Writes `area`: its examples, in a folder of their own emptied first, then its spec.
fn write_area(area: &Area) -> Result<(), String> {
    let openapi = Path::new("openapi");
    let examples = format!("openapi/{}", area.examples_dir());
    let _ = std::fs::remove_dir_all(&examples);
    std::fs::create_dir_all(&examples).map_err(|e| format!("{examples}: {e}"))?;
    for example in &area.examples {
        let path = openapi.join(&example.path);
        let text = example.text().map_err(|e| e.to_string())?;
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let file = openapi.join(area.file());
    let text = area.text().map_err(|e| e.to_string())?;
    std::fs::write(&file, text).map_err(|e| format!("{}: {e}", file.display()))
}

/// Copies the exports from a git clone of the docs' GitBook source (`MM_DOCS_REPO`) into `openapi/upstream/`.
fn refresh() -> Result<(), String> {
    let mirror = std::env::var("MM_DOCS_REPO").map_err(|_| {
        "--refresh needs MM_DOCS_REPO: the folder of a git clone of the docs' GitBook source"
            .to_owned()
    })?;
    std::fs::create_dir_all(UPSTREAM).map_err(|e| format!("{UPSTREAM}: {e}"))?;
    for export in &EXPORTS {
        let output = std::process::Command::new("git")
            .args(["-C", &mirror, "show"])
            .arg(format!("HEAD:.gitbook/assets/{}", export.file))
            .output()
            .map_err(|e| format!("git: {e}"))?;
        if !output.status.success() {
            return Err(format!(
                "git show {}: {}",
                export.file,
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        let out = Path::new(UPSTREAM).join(export.file);
        std::fs::write(&out, output.stdout).map_err(|e| format!("{}: {e}", out.display()))?;
        println!("copied {}", out.display());
    }
    Ok(())
}

/// An export (or a spec): YAML, or JSON where YAML does not read it.
pub(crate) fn read_yaml(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "{}: {e} (run `cargo xtask import --refresh` with MM_DOCS_REPO naming a clone of the docs)",
            path.display()
        )
    })?;
    export::parse(&path.display().to_string(), &text).map_err(|e| e.to_string())
}

//! `cargo xtask import [--refresh [--git OWNER/NAME=DIR]...]`: turns upstream's OpenAPI exports
//! (in `openapi/upstream/`, which is not committed: their text is upstream's) into the area
//! specs `openapi/<area>.yaml` with their examples under `openapi/examples/<area>/`, following
//! the conventions of `openapi/README.md`; writes the inventory `openapi/import/inventory.yaml`
//! and rewrites the README's "Imported from upstream's exports" section.
//!
//! The import itself is `mm_sdk_importer::import`, which works in memory; this reads what it
//! takes (the pins of `openapi/import/sources.yaml`, the exports, the hand-kept specs
//! `client.yaml`, `manager.yaml` and `auth2.yaml`, every spec of `openapi/`, the callback
//! spec), writes what it makes, and prints what was done.
//!
//! `--refresh` first reads each export from a git directory of its repository, at the revision
//! the sources file pins (`git show REV:PATH`), and checks the revision's commit time against
//! the pin's. The git directory of a repository (bare, as a mirror is, or a clone's) is named
//! by `--git OWNER/NAME=DIR`, or else by the environment variable the sources file gives it
//! (`MM_SWAGGER_REPO`, `MM_POSTMAN_REPO`, `MM_DOCS_REPO`); a relative `DIR` is taken from the
//! workspace's root. It is needed once per checkout, and after a pin changes. Where the
//! repository's `HEAD` has a newer commit of an export's file, it says so: change the pin to
//! import it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use mm_sdk_importer::area::{Area, ExampleFile};
use mm_sdk_importer::export::{self, Document};
use mm_sdk_importer::sources::{Source, Sources};
use mm_sdk_importer::spec::Spec;
use mm_sdk_importer::{Input, git, readme};
use serde_yaml_ng::Value;

const UPSTREAM: &str = "openapi/upstream";
const README: &str = "openapi/README.md";
/// The pins of the exports.
pub(crate) const SOURCES: &str = "openapi/import/sources.yaml";
/// Every operation of every export, and what was made of it.
pub(crate) const INVENTORY: &str = "openapi/import/inventory.yaml";
/// Upstream's answers to the hand-kept specs' operations.
const ANSWERS: &str = "openapi/import/answers.yaml";
/// The fields that carry a shared coded value, by area, component and field.
const ENUM_FIELDS: &str = "openapi/import/enums.yaml";
/// The words written here: operations' titles and descriptions, fields' sentences.
const PROSE_OPERATIONS: &str = "openapi/import/prose/operations.yaml";
const PROSE_FIELDS: &str = "openapi/import/prose/fields.yaml";

const USAGE: &str = "usage: cargo xtask import [--refresh [--git OWNER/NAME=DIR]...]";

/// The hand-kept specs of `openapi/`, in the order they are read (a later one has the last
/// word on an operation two of them have).
const HAND_KEPT: [&str; 3] = ["client", "manager", "auth2"];

pub(crate) fn run(args: &[&str]) -> Result<(), String> {
    let sources = sources()?;
    let mut refresh = false;
    let mut dirs: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut args = args.iter();
    while let Some(&arg) = args.next() {
        match arg {
            "--refresh" => refresh = true,
            "--git" => {
                let value = args.next().ok_or(USAGE)?;
                let (repository, dir) = value
                    .split_once('=')
                    .ok_or_else(|| format!("--git takes OWNER/NAME=DIR, not `{value}`"))?;
                if sources.repository(repository).is_none() {
                    return Err(format!("--git {repository}: not a repository of {SOURCES}"));
                }
                dirs.insert(repository.to_owned(), PathBuf::from(dir));
            }
            _ => return Err(USAGE.into()),
        }
    }
    if !dirs.is_empty() && !refresh {
        return Err(format!("--git is for --refresh\n{USAGE}"));
    }
    if refresh {
        self::refresh(&sources, &dirs)?;
    }
    let hand_kept = hand_kept()?;
    let specs = specs()?;
    let enum_fields = enum_fields()?;
    let callbacks = read_yaml(Path::new(mm_sdk_codegen::CALLBACKS_SPEC)).ok();
    let exports = exports(&sources)?;
    let output = mm_sdk_importer::import(&Input {
        exports: &exports,
        hand_kept: &hand_kept,
        specs: &specs,
        callbacks: callbacks.as_ref(),
        not_money: mm_sdk_importer::not_money::NOT_MONEY,
        enums: &enum_fields,
        prose: &prose()?,
    })
    .map_err(|e| e.to_string())?;

    write(&output)
}

/// Writes what the import made: the area specs and their examples, upstream's answers to the
/// hand-kept specs, the inventory and the README's section; prints what was done.
pub(crate) fn write(output: &mm_sdk_importer::Output) -> Result<(), String> {
    for area in &output.areas {
        write_area(area)?;
        println!(
            "wrote openapi/{} ({} operations)",
            area.file(),
            area.operations
        );
    }
    write_hand_kept_answers(&output.hand_kept_answers)?;
    std::fs::write(INVENTORY, output.inventory.text()).map_err(|e| format!("{INVENTORY}: {e}"))?;
    println!("wrote {INVENTORY}");
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

/// The words written here (`openapi/import/prose/`).
pub(crate) fn prose() -> Result<mm_sdk_importer::prose::Prose, String> {
    let read = |path: &str| std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"));
    mm_sdk_importer::prose::Prose::parse(&read(PROSE_OPERATIONS)?, &read(PROSE_FIELDS)?)
        .map_err(|e| e.to_string())
}

/// The fields that carry a shared coded value (`openapi/import/enums.yaml`).
pub(crate) fn enum_fields() -> Result<Vec<mm_sdk_importer::enums::EnumField>, String> {
    mm_sdk_importer::enums::parse(
        &std::fs::read_to_string(ENUM_FIELDS).map_err(|e| format!("{ENUM_FIELDS}: {e}"))?,
    )
    .map_err(|e| e.to_string())
}

/// Every export of `openapi/upstream/`, each with the revision `sources` pins it at.
pub(crate) fn exports(sources: &Sources) -> Result<Vec<Document>, String> {
    export::EXPORTS
        .iter()
        .map(|export| {
            let value = read_yaml(&Path::new(UPSTREAM).join(export.file))?;
            let document = Document::new(export, value);
            // `Sources::parse` refuses a sources file that leaves an export out.
            let source = sources
                .of(export)
                .ok_or_else(|| format!("{SOURCES}: no pinned source of `{}`", export.file))?;
            Ok(document.pinned(source.pin.clone()))
        })
        .collect()
}

/// The sources file, read.
pub(crate) fn sources() -> Result<Sources, String> {
    let text = std::fs::read_to_string(SOURCES).map_err(|e| format!("{SOURCES}: {e}"))?;
    let value: Value = serde_yaml_ng::from_str(&text).map_err(|e| format!("{SOURCES}: {e}"))?;
    Sources::parse(SOURCES, &value).map_err(|e| e.to_string())
}

/// The hand-kept specs, in the order the import reads them.
pub(crate) fn hand_kept() -> Result<Vec<Spec>, String> {
    HAND_KEPT
        .iter()
        .map(|spec| {
            let file = format!("{spec}.yaml");
            let value = read_yaml(&Path::new("openapi").join(&file))?;
            Ok(Spec::new(file, value))
        })
        .collect()
}

/// Every spec of `openapi/` (`*.yaml`), in the order of their files.
pub(crate) fn specs() -> Result<Vec<Spec>, String> {
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
        write_example(example)?;
    }
    let file = openapi.join(area.file());
    let text = area.text().map_err(|e| e.to_string())?;
    std::fs::write(&file, text).map_err(|e| format!("{}: {e}", file.display()))
}

/// Writes `example` under `openapi/`, its folder made if need be.
fn write_example(example: &ExampleFile) -> Result<(), String> {
    let path = Path::new("openapi").join(&example.path);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    let text = example.text().map_err(|e| e.to_string())?;
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Writes upstream's answers to the hand-kept specs' operations: their files, in each hand-kept
/// spec's `examples/<spec>/upstream/` (emptied first; the spec's own examples stay), and their
/// list, `openapi/import/answers.yaml`.
fn write_hand_kept_answers(answers: &[mm_sdk_importer::HandKeptAnswers]) -> Result<(), String> {
    for spec in HAND_KEPT {
        let dir = format!("openapi/examples/{spec}/upstream");
        let _ = std::fs::remove_dir_all(&dir);
    }
    for example in answers.iter().flat_map(|a| &a.files) {
        write_example(example)?;
    }
    let text = mm_sdk_importer::answers_text(answers).map_err(|e| e.to_string())?;
    std::fs::write(ANSWERS, text).map_err(|e| format!("{ANSWERS}: {e}"))?;
    println!("wrote {ANSWERS}");
    Ok(())
}

/// Reads every export at its pinned revision from a git directory of its repository (`dirs`,
/// else the repository's environment variable) into `openapi/upstream/`.
fn refresh(sources: &Sources, dirs: &BTreeMap<String, PathBuf>) -> Result<(), String> {
    std::fs::create_dir_all(UPSTREAM).map_err(|e| format!("{UPSTREAM}: {e}"))?;
    for source in &sources.exports {
        let dir = git_dir(sources, source, dirs)?;
        let pin = &source.pin;
        let committed = git::committed(&dir, &pin.revision).map_err(|e| e.to_string())?;
        if committed != pin.committed {
            return Err(format!(
                "{SOURCES}: `{}` is pinned to {} committed {}, but {} says it was committed \
                 {committed}",
                source.export.file,
                pin.revision,
                pin.committed,
                dir.display()
            ));
        }
        let text = git::show(&dir, &pin.revision, &pin.path).map_err(|e| e.to_string())?;
        let out = Path::new(UPSTREAM).join(source.export.file);
        std::fs::write(&out, text).map_err(|e| format!("{}: {e}", out.display()))?;
        println!(
            "read {}@{} {} into {}",
            pin.repository,
            &pin.revision[..12],
            pin.path,
            out.display()
        );
        match git::last_change(&dir, &pin.path) {
            Ok(Some(newest)) if newest != pin.revision => println!(
                "  note: {} of {} changes it again since (pin it to import that)",
                newest,
                dir.display()
            ),
            Ok(_) => {}
            Err(e) => println!("  note: the newest revision is unknown: {e}"),
        }
    }
    Ok(())
}

/// The git directory of `source`'s repository: from `--git`, else its environment variable.
fn git_dir(
    sources: &Sources,
    source: &Source,
    dirs: &BTreeMap<String, PathBuf>,
) -> Result<PathBuf, String> {
    let repository = &source.pin.repository;
    if let Some(dir) = dirs.get(repository) {
        return Ok(dir.clone());
    }
    let env = sources
        .repository(repository)
        .map(|r| r.env.as_str())
        .ok_or_else(|| format!("{SOURCES}: `{repository}` is not among its repositories"))?;
    std::env::var_os(env).map(PathBuf::from).ok_or_else(|| {
        format!(
            "--refresh needs a git directory of {repository} (for `{}`): name it with \
             `--git {repository}=DIR` or in {env}",
            source.export.file
        )
    })
}

/// An export (or a spec): YAML, or JSON where YAML does not read it.
pub(crate) fn read_yaml(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "{}: {e} (run `cargo xtask import --refresh` with a git directory of each of \
             upstream's repositories: see {SOURCES})",
            path.display()
        )
    })?;
    export::parse(&path.display().to_string(), &text).map_err(|e| e.to_string())
}

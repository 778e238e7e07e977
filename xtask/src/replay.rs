//! `cargo xtask replay <git dir> [<revision>...] [--expect FILE]`: replays the history of
//! upstream's Client export (`MultiMarkets-ClientAPI.openapi.en.yaml` of
//! `CTradeExchange/multimarkets-api-swagger`, read from a git directory of it with `git show`),
//! revision after revision: each is imported alone, as the newest export of the Client API, and
//! the codegen reads every area spec it makes; then the next revision is compared with those
//! specs (`mm_sdk_importer::replay`). Each step prints its report: what changed, per operation,
//! and what it means for users of the SDK. A revision that is not an export is refused, and
//! the next step compares with the one before it.
//!
//! `--expect FILE` (`openapi/upstream-diff/replay.yaml`) holds what each step should report,
//! written down before the replay: the revisions to replay when none are given, and per step
//! the counts and release expected. The run fails when a step reports otherwise.
//!
//! `--build` also regenerates the workspace from each newer revision, as `cargo xtask import`
//! would with that revision in `openapi/upstream/` (the other exports as pinned), runs the
//! codegen, builds the workspace and runs the tests that send and decode every operation
//! (`wire`, `upstream_answers`, the sandbox's `every_operation`): each step's outcome and
//! time is printed, a failure too, and the replay goes on. It rewrites `openapi/` and
//! `generated/`: run it in a scratch worktree (`git worktree add ../replay HEAD`).

use std::path::{Path, PathBuf};
use std::time::Instant;

use mm_sdk_importer::diff::Change;
use mm_sdk_importer::export::{self, Document};
use mm_sdk_importer::replay::{self, Summary};
use mm_sdk_importer::{Input, git};
use serde_yaml_ng::Value;

use crate::import;

const USAGE: &str = "usage: cargo xtask replay <git dir> [<revision>...] [--expect FILE] [--build]";
/// The export replayed.
const EXPORT: &str = "MultiMarkets-ClientAPI.openapi.en.yaml";

pub(crate) fn run(args: &[&str]) -> Result<(), String> {
    let Options {
        dir,
        mut revisions,
        expect,
        build,
    } = parse(args)?;
    if build {
        scratch_only()?;
    }
    let expected = match &expect {
        Some(file) => Some(import::read_yaml(file)?),
        None => None,
    };
    if revisions.is_empty() {
        revisions = expected
            .as_ref()
            .and_then(|e| e.get("revisions"))
            .and_then(Value::as_sequence)
            .map(|list| {
                list.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
    }
    if revisions.len() < 2 {
        return Err(format!("at least two revisions to replay\n{USAGE}"));
    }
    let export = export::find(EXPORT).ok_or_else(|| format!("`{EXPORT}` is not an export"))?;
    let hand_kept = import::hand_kept()?;
    let specs = import::specs()?;
    let callbacks = import::read_yaml(Path::new(mm_sdk_codegen::CALLBACKS_SPEC)).ok();
    let steps = expected
        .as_ref()
        .and_then(|e| e.get("steps"))
        .and_then(Value::as_sequence)
        .cloned()
        .unwrap_or_default();

    let mut previous: Option<(String, Document)> = None;
    let mut failures = Vec::new();
    for revision in &revisions {
        let text = git::show(&dir, revision, EXPORT).map_err(|e| e.to_string())?;
        let text = String::from_utf8_lossy(&text);
        let value = export::parse(revision, &text).unwrap_or(Value::Null);
        let Some((from, older)) = &previous else {
            if let Some(why) = replay::refusal(&value) {
                return Err(format!(
                    "{revision}: the first revision is not an export: {why}"
                ));
            }
            previous = Some((revision.clone(), Document::new(export, value)));
            continue;
        };
        let expectation = steps.iter().find(|step| {
            step["from"].as_str() == Some(from.as_str())
                && step["to"].as_str() == Some(revision.as_str())
        });
        if let Some(why) = replay::refusal(&value) {
            print!("{}", replay::refused(from, revision, &why));
            if let Some(step) = expectation
                && step["refused"] != Value::Bool(true)
            {
                failures.push(format!(
                    "{from} -> {revision}: refused ({why}), not expected"
                ));
            }
            continue;
        }
        let newer = Document::new(export, value);
        let started = Instant::now();
        let exports = [Document::new(export, older.value().clone())];
        let input = Input {
            exports: &exports,
            hand_kept: &hand_kept,
            specs: &specs,
            callbacks: callbacks.as_ref(),
            not_money: mm_sdk_importer::not_money::NOT_MONEY,
            // The shared coded values name fields of the newest exports, which older ones
            // may lack: they change no field's presence, type or required-ness.
            enums: &[],
            prose: &mm_sdk_importer::prose::Prose::default(),
        };
        let output = mm_sdk_importer::import(&input).map_err(|e| e.to_string())?;
        let changes = replay::changes(&output, &specs, older, &newer).map_err(|e| e.to_string())?;
        let generated = codegen_reads(&output)?;
        let took = started.elapsed();
        print!("{}", replay::report(from, revision, &changes));
        println!(
            "  (import, codegen of {generated} area specs and comparison: {:.1} s)\n",
            took.as_secs_f64()
        );
        if build {
            println!(
                "  {}\n",
                regenerate(export, newer.value(), &hand_kept, callbacks.as_ref())
            );
        }
        let summary = Summary::of(&changes);
        match expectation {
            Some(step) => failures.extend(
                unmet(step, &summary)
                    .into_iter()
                    .map(|why| format!("{from} -> {revision}: {why}")),
            ),
            None if expect.is_some() => {
                failures.push(format!("{from} -> {revision}: no expectation written"));
            }
            None => {}
        }
        previous = Some((revision.clone(), newer));
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} step(s) reported otherwise than expected:\n{}",
            failures.len(),
            failures.join("\n")
        ))
    }
}

struct Options {
    dir: PathBuf,
    revisions: Vec<String>,
    expect: Option<PathBuf>,
    build: bool,
}

fn parse(args: &[&str]) -> Result<Options, String> {
    let mut dir = None;
    let mut revisions = Vec::new();
    let mut expect = None;
    let mut build = false;
    let mut args = args.iter();
    while let Some(&arg) = args.next() {
        match arg {
            "--expect" => expect = Some(PathBuf::from(args.next().ok_or(USAGE)?)),
            "--build" => build = true,
            _ if arg.starts_with("--") => return Err(USAGE.into()),
            _ if dir.is_none() => dir = Some(PathBuf::from(arg)),
            _ => revisions.push(arg.to_owned()),
        }
    }
    Ok(Options {
        dir: dir.ok_or(USAGE)?,
        revisions,
        expect,
        build,
    })
}

/// Regenerates the workspace with `value` as export `export` (the others as pinned), then
/// builds it and runs the tests that send and decode every operation: what happened, timed.
fn regenerate(
    export: &'static mm_sdk_importer::export::Export,
    value: &Value,
    hand_kept: &[mm_sdk_importer::spec::Spec],
    callbacks: Option<&Value>,
) -> String {
    let started = Instant::now();
    let imported = (|| -> Result<(), String> {
        let sources = import::sources()?;
        let exports: Vec<Document> = import::exports(&sources)?
            .into_iter()
            .map(|document| match document.pin() {
                // Its text replaced, its pin kept: what `cargo xtask import` does with that
                // text in `openapi/upstream/`, where it stays the newest Client export.
                Some(pin) if document.export().file == export.file => {
                    Document::new(export, value.clone()).pinned(pin.clone())
                }
                _ => document,
            })
            .collect();
        let specs = import::specs()?;
        let enums = import::enum_fields()?;
        let prose = import::prose()?;
        let output = mm_sdk_importer::import(&Input {
            exports: &exports,
            hand_kept,
            specs: &specs,
            callbacks,
            not_money: mm_sdk_importer::not_money::NOT_MONEY,
            enums: &enums,
            prose: &prose,
        })
        .map_err(|e| e.to_string())?;
        import::write(&output)?;
        crate::codegen::run(crate::codegen::Mode::Write)
    })();
    if let Err(why) = imported {
        return format!("regeneration refused: {why}");
    }
    let codegen = started.elapsed().as_secs_f64();
    let build = cargo(&["build", "--workspace", "--all-features", "--quiet"]);
    let tests = build.as_ref().ok().map(|_| {
        cargo(&[
            "test",
            "-p",
            "mm-sdk-tests",
            "--test",
            "workspace",
            "--all-features",
            "--quiet",
            "--",
            "wire",
            "upstream_answers",
            "every_operation",
        ])
    });
    let show = |result: &Result<f64, String>| match result {
        Ok(seconds) => format!("passed in {seconds:.0} s"),
        Err(why) => format!("failed: {why}"),
    };
    format!(
        "regenerated in {codegen:.1} s; build {}; tests {}",
        show(&build),
        tests.as_ref().map_or("not run".into(), show)
    )
}

/// `--build` rewrites `openapi/` and `generated/`: refused outside a linked worktree of git
/// (`git worktree add`), and in one whose `openapi/` or `generated/` has changes.
fn scratch_only() -> Result<(), String> {
    let git = |args: &[&str]| -> Result<String, String> {
        let output = std::process::Command::new("git")
            .args(args)
            .output()
            .map_err(|e| format!("git {}: {e}", args.join(" ")))?;
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
    };
    let dir = git(&["rev-parse", "--absolute-git-dir"])?;
    let common = git(&["rev-parse", "--path-format=absolute", "--git-common-dir"])?;
    if dir == common {
        return Err(
            "--build rewrites openapi/ and generated/: run it in a linked worktree \
                    (`git worktree add ../replay HEAD`), not in the main checkout"
                .into(),
        );
    }
    if !git(&["status", "--porcelain", "--", "openapi", "generated"])?.is_empty() {
        return Err(
            "--build: openapi/ or generated/ has changes here; start from a clean \
                    worktree (`git checkout -- openapi generated`)"
                .into(),
        );
    }
    Ok(())
}

/// Runs `cargo args`: its time, or the last lines it printed.
fn cargo(args: &[&str]) -> Result<f64, String> {
    let started = Instant::now();
    let output = std::process::Command::new(std::env::var("CARGO").unwrap_or("cargo".into()))
        .args(args)
        .output()
        .map_err(|e| format!("cargo {}: {e}", args.join(" ")))?;
    if output.status.success() {
        return Ok(started.elapsed().as_secs_f64());
    }
    let text = String::from_utf8_lossy(&output.stderr);
    let last: Vec<&str> = text.lines().rev().take(6).collect();
    Err(last.into_iter().rev().collect::<Vec<_>>().join(" | "))
}

/// Has the codegen read each area spec of `output` (their models, as `cargo xtask codegen`
/// reads them): how many.
fn codegen_reads(output: &mm_sdk_importer::Output) -> Result<usize, String> {
    for area in &output.areas {
        let text = area.text().map_err(|e| e.to_string())?;
        let path = Path::new("openapi").join(area.file());
        let spec = mm_sdk_codegen::parse(&path, &text).map_err(|e| e.to_string())?;
        mm_sdk_codegen::model_of(&spec).map_err(|e| e.to_string())?;
    }
    Ok(output.areas.len())
}

/// What `summary` reports otherwise than the expectation `step` says (each of its keys is
/// checked; one left out is not).
fn unmet(step: &Value, summary: &Summary) -> Vec<String> {
    let mut unmet = Vec::new();
    let pair = |key: &str| {
        step.get(key).and_then(Value::as_sequence).map(|pair| {
            (
                pair.first().and_then(Value::as_u64).unwrap_or(0) as usize,
                pair.get(1).and_then(Value::as_u64).unwrap_or(0) as usize,
            )
        })
    };
    let number = |key: &str| step.get(key).and_then(Value::as_u64).map(|n| n as usize);
    let mut check = |what: &str, expected: Option<String>, found: String| {
        if let Some(expected) = expected
            && expected != found
        {
            unmet.push(format!("{what} {found}, expected {expected}"));
        }
    };
    let show = |(a, b): (usize, usize)| format!("+{a} -{b}");
    check(
        "operations",
        pair("operations").map(show),
        show(summary.operations),
    );
    check("fields", pair("fields").map(show), show(summary.fields));
    check(
        "retyped",
        number("retyped").map(|n| n.to_string()),
        summary.retyped.to_string(),
    );
    check(
        "required",
        number("required").map(|n| n.to_string()),
        summary.required.to_string(),
    );
    check(
        "breaking",
        number("breaking").map(|n| n.to_string()),
        summary.breaking.to_string(),
    );
    let release = match summary.release {
        None => "none",
        Some(Change::Patch) => "patch",
        Some(Change::Minor) => "minor",
        Some(Change::Major) => "major",
    };
    check(
        "release",
        step.get("release")
            .and_then(Value::as_str)
            .map(str::to_owned),
        release.to_owned(),
    );
    if step["refused"] == Value::Bool(true) {
        unmet.push("compared, but expected refused".into());
    }
    unmet
}

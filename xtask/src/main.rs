//! `cargo xtask`: the project's automation, run through the alias in `.cargo/config.toml`.
//!
//! - `cargo xtask codegen` regenerates the crates of `generated/` (and the table of operations
//!   of `openapi/README.md`) from `openapi/*.yaml`; `--check` fails, naming the stale files,
//!   when the committed output differs.
//! - `cargo xtask sandbox` runs the local sandbox of the three APIs (the `mm-sdk-sandbox`
//!   binary, through `cargo run`) and prints its base URLs.
//! - `cargo xtask bench` runs the benchmarks and prints one table.
//! - `cargo xtask synthesize` writes synthetic specs into a copy of the workspace, to measure
//!   how code generation and builds scale.
//! - `cargo xtask import [--refresh]` converts upstream's OpenAPI exports (`openapi/upstream/`,
//!   not committed) into new area specs and the inventory; `--refresh` first reads them from
//!   git directories of upstream's repositories at the revisions `openapi/import/sources.yaml`
//!   pins.
//! - `cargo xtask package` runs `cargo package` on every crate the workspace publishes, then
//!   checks each from its package against its siblings' packages.
//! - `cargo xtask rust-version` fails when a resolved package declares a newer `rust-version`
//!   than the workspace.
//! - `cargo xtask upstream-diff <export>` prints what differs between one of upstream's exports
//!   and the specs, and fails on a difference not acknowledged in `openapi/upstream-diff/acknowledged.yaml`.
//! - `cargo xtask prose-check <git dir>...` fails where a text of ours shares a run of eight
//!   words with upstream's (its docs and exports, at each git directory's `HEAD`).
//! - `cargo xtask replay <git dir>` replays the history of upstream's Client export, step by
//!   step, and checks each step's report against `openapi/upstream-diff/replay.yaml`.

mod bench;
mod cargo;
mod codegen;
mod import;
mod package;
mod prose_check;
mod replay;
mod rust_version;
mod sandbox;
mod synthesize;
mod upstream_diff;

use std::path::Path;
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <command>

  codegen [--check]                  regenerate generated/ from openapi/ (or check it is fresh)
  sandbox [--port N] [--state FILE]  run the local sandbox of the three APIs
  bench [--quick] [--build-time | --build-time-only]
                                     run the benchmarks and print one table
  synthesize --into DIR [--operations N]
                                     add synthetic specs to the workspace copy DIR (400 operations
                                     in all by default), to measure scale
  import [--refresh [--git OWNER/NAME=DIR]...]
                                     convert upstream's exports (openapi/upstream/) into area
                                     specs and openapi/import/inventory.yaml (--refresh: first
                                     read them at the revisions openapi/import/sources.yaml
                                     pins, from git directories named by --git or by the
                                     variables the sources file gives)
  upstream-diff <export> [--as EXPORT] [--specs DIR] [--ack FILE]
                [--inventory FILE | --no-inventory] [--all]
                                     what differs between an export and the specs (openapi/);
                                     fails on a difference not acknowledged in FILE
                                     (openapi/upstream-diff/acknowledged.yaml)
  replay <git dir> [<revision>...] [--expect FILE] [--build]
                                     replay the Client export's history: each revision
                                     imported, the codegen reading its specs, the next
                                     compared; fails where a step reports otherwise than FILE
                                     expects (openapi/upstream-diff/replay.yaml); --build also
                                     regenerates, builds and tests each step (in a scratch
                                     worktree: it rewrites openapi/ and generated/)
  prose-check <git dir>...           fail where a text of ours (specs' words, Markdown, doc
                                     comments) shares a run of eight words with upstream's text
                                     (the files of each git directory's HEAD)
  package [ARGS]                     cargo package (ARGS) of every published crate, then a
                                     check of each from its package (not with --no-verify)
  rust-version                       fail when a package the lock file resolves declares a
                                     newer rust-version than the workspace";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    // Work from the workspace root so that paths, in errors too, read as the user knows them.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    if let Err(e) = std::env::set_current_dir(&root) {
        eprintln!("cannot enter the workspace root {}: {e}", root.display());
        return ExitCode::FAILURE;
    }
    let result = match args.as_slice() {
        ["codegen"] => codegen::run(codegen::Mode::Write),
        ["codegen", "--check"] => codegen::run(codegen::Mode::Check),
        ["sandbox", rest @ ..] => sandbox::run(rest),
        ["bench", rest @ ..] => bench::run(rest),
        ["synthesize", rest @ ..] => synthesize::run(rest),
        ["import", rest @ ..] => import::run(rest),
        ["upstream-diff", rest @ ..] => upstream_diff::run(rest),
        ["replay", rest @ ..] => replay::run(rest),
        ["rust-version"] => rust_version::run(),
        ["prose-check", rest @ ..] => prose_check::run(rest),
        ["package", rest @ ..] => package::run(rest),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

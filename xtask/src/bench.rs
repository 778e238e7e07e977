//! `cargo xtask bench [--quick] [--build-time | --build-time-only]`: runs the criterion benches
//! of `bench/`, then the `mm-sdk-bench` binary (in release mode), which adds its own measures to
//! theirs and prints one table. See `BENCHMARKS.md`.
//!
//! `--quick` shortens every measure (a smoke test, not numbers to keep); `--build-time` also
//! measures the generated code and its builds, today and at 400 operations, in copies of the
//! workspace; `--build-time-only` measures that and codegen, without the calls.

use std::path::PathBuf;

use crate::cargo::{cargo, status};

const USAGE: &str = "usage: cargo xtask bench [--quick] [--build-time | --build-time-only]";

pub(crate) fn run(args: &[&str]) -> Result<(), String> {
    let mut quick = false;
    let mut build_time = None;
    for arg in args {
        match *arg {
            "--quick" => quick = true,
            "--build-time" | "--build-time-only" if build_time.is_none() => build_time = Some(*arg),
            _ => return Err(USAGE.to_owned()),
        }
    }
    // One place for criterion's results, which the binary reads back.
    let criterion_home = target_dir()?.join("criterion");

    if build_time != Some("--build-time-only") {
        let mut benches = cargo();
        benches
            .args(["bench", "--package", "mm-sdk-bench", "--benches", "--"])
            .arg("--noplot")
            .args(quick.then_some("--quick"))
            .env("CRITERION_HOME", &criterion_home);
        status(benches)?;
    }

    let mut table = cargo();
    table
        .args([
            "run",
            "--quiet",
            "--release",
            "--package",
            "mm-sdk-bench",
            "--",
        ])
        .args(quick.then_some("--quick"))
        .args(build_time)
        .env("CRITERION_HOME", &criterion_home);
    status(table)
}

/// Where cargo builds: `CARGO_TARGET_DIR`, or `target` in the workspace root (the current
/// directory), made absolute so that every child agrees.
fn target_dir() -> Result<PathBuf, String> {
    let root = std::env::current_dir().map_err(|e| format!("no current directory: {e}"))?;
    Ok(root.join(std::env::var_os("CARGO_TARGET_DIR").unwrap_or_else(|| "target".into())))
}

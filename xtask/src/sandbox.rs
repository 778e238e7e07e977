//! `cargo xtask sandbox [--port N] [--state FILE]`: runs the sandbox's own binary,
//! `cargo run -p mm-sdk-sandbox --locked -- [--port N] [--state FILE]`, so that the rest of
//! xtask (`codegen` above all) builds without the sandbox.

use std::process::Command;

use crate::cargo::cargo;

pub(crate) fn run(args: &[&str]) -> Result<(), String> {
    let mut command = cargo();
    command
        .args(["run", "-p", "mm-sdk-sandbox", "--locked", "--"])
        .args(args);
    become_or_wait(command)
}

/// Replaces this process with `command` (which `cargo run` in turn replaces with the
/// sandbox), so that whoever stops this process stops the sandbox.
#[cfg(unix)]
fn become_or_wait(mut command: Command) -> Result<(), String> {
    use std::os::unix::process::CommandExt;
    let error = command.exec();
    Err(format!("cannot run {command:?}: {error}"))
}

/// Runs `command` to its end.
#[cfg(not(unix))]
fn become_or_wait(command: Command) -> Result<(), String> {
    crate::cargo::status(command)
}

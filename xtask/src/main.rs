//! `cargo xtask`: the project's automation, run through the alias in `.cargo/config.toml`.
//!
//! - `cargo xtask codegen` regenerates `generated/src/*.rs` from `openapi/*.yaml`.
//! - `cargo xtask codegen --check` regenerates in memory and fails, naming the stale files,
//!   when the committed output differs.

use std::path::Path;
use std::process::ExitCode;

use mm_sdk_codegen::APIS;

const USAGE: &str = "usage: cargo xtask codegen [--check]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["codegen"] => codegen(Mode::Write),
        ["codegen", "--check"] => codegen(Mode::Check),
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

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Write,
    Check,
}

fn codegen(mode: Mode) -> Result<(), String> {
    // Work from the workspace root so that paths, in errors too, read as the user knows them.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::env::set_current_dir(&root)
        .map_err(|e| format!("cannot enter the workspace root {}: {e}", root.display()))?;
    let mut stale = Vec::new();
    for api in APIS {
        let spec = mm_sdk_codegen::load(Path::new(api.spec)).map_err(|e| e.to_string())?;
        let fresh = mm_sdk_codegen::generate(&spec, api.name).map_err(|e| e.to_string())?;
        let output = Path::new(api.output);
        let current = std::fs::read_to_string(output).ok();
        if current.as_deref() == Some(fresh.as_str()) {
            continue;
        }
        match mode {
            Mode::Check => stale.push(api.output),
            Mode::Write => {
                std::fs::write(output, fresh)
                    .map_err(|e| format!("{}: cannot write: {e}", output.display()))?;
                println!("wrote {}", api.output);
            }
        }
    }
    if stale.is_empty() {
        return Ok(());
    }
    Err(format!(
        "generated code is stale; run `cargo xtask codegen` and commit the result:\n{}",
        stale
            .iter()
            .map(|file| format!("  {file}"))
            .collect::<Vec<_>>()
            .join("\n")
    ))
}

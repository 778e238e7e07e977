//! `cargo xtask codegen [--check]`: regenerate `generated/src/*.rs`, or fail naming the stale
//! files.

use std::path::Path;

use mm_sdk_codegen::APIS;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Write what the specs generate.
    Write,
    /// Only compare it with what is committed.
    Check,
}

pub(crate) fn run(mode: Mode) -> Result<(), String> {
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

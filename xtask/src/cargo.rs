//! Running cargo from xtask: the cargo that runs xtask (`CARGO`), else the one on the `PATH`.

use std::process::Command;

/// A cargo command, to add arguments to.
pub(crate) fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Runs `command` to its end; fails, naming it, unless it succeeds.
pub(crate) fn status(mut command: Command) -> Result<(), String> {
    let status = command
        .status()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{command:?} failed ({status})"))
    }
}

/// What `cargo metadata` says of the workspace and everything its lock file resolves.
pub(crate) fn metadata() -> Result<serde_json::Value, String> {
    let output = cargo()
        .args(["metadata", "--format-version", "1", "--locked"])
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("cargo metadata printed no JSON: {e}"))
}

/// The packages of `metadata` (from [`metadata`]) that are members of the workspace.
pub(crate) fn members(metadata: &serde_json::Value) -> Result<Vec<&serde_json::Value>, String> {
    let ids: Vec<&str> = metadata["workspace_members"]
        .as_array()
        .ok_or("cargo metadata lists no workspace members")?
        .iter()
        .filter_map(serde_json::Value::as_str)
        .collect();
    Ok(metadata["packages"]
        .as_array()
        .ok_or("cargo metadata lists no packages")?
        .iter()
        .filter(|package| ids.contains(&package["id"].as_str().unwrap_or_default()))
        .collect())
}

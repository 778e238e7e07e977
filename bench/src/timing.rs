//! Wall time of the project's own commands: code generation, and the rebuild after a spec
//! change.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The spec edited for the rebuild measure, and the field whose description is changed: a
/// one-field change, as a spec update usually is.
const EDITED_SPEC: &str = "openapi/manager.yaml";
const EDITED_SCHEMA: &str = "\n    CustomerSummary:\n";
const EDITED_FIELD: &str = "\n        agentCustomerNo:\n";

/// Runs `command` (in the workspace root) and returns how long it took; fails with its output
/// if it fails.
pub fn time(command: &mut Command) -> Result<Duration, String> {
    let start = Instant::now();
    let output = command
        .output()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    let elapsed = start.elapsed();
    if !output.status.success() {
        return Err(format!(
            "{command:?} failed ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(elapsed)
}

/// The median of `runs` timed runs of `command`, after one untimed run (which builds what the
/// command needs).
pub fn median(runs: usize, mut command: impl FnMut() -> Command) -> Result<Duration, String> {
    time(&mut command())?;
    let mut times = (0..runs.max(1))
        .map(|_| time(&mut command()))
        .collect::<Result<Vec<_>, _>>()?;
    times.sort_unstable();
    Ok(times[times.len() / 2])
}

/// `cargo` as cargo itself named it to this process, or from `PATH`.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// What the rebuild measure found.
#[derive(Debug, Clone, Copy)]
pub struct Rebuild {
    /// `cargo xtask codegen` after the spec edit (it writes the changed module).
    pub codegen: Duration,
    /// `cargo build -p mm-sdk` after that.
    pub build: Duration,
}

/// Times an incremental `cargo build -p mm-sdk` after a one-field spec change, in a
/// copy of the workspace under `scratch` (never in the workspace itself: others may be
/// building it). The copy keeps its own target directory in `scratch`, so only the first run
/// builds everything.
pub fn rebuild_after_spec_change(root: &Path, scratch: &Path) -> Result<Rebuild, String> {
    let copy = scratch.join("workspace");
    let target = scratch.join("target");
    sync(root, &copy)?;
    let in_copy = |args: &[&str]| {
        let mut command = cargo();
        command
            .args(args)
            .current_dir(&copy)
            .env("CARGO_TARGET_DIR", &target);
        command
    };
    let codegen = || in_copy(&["run", "--quiet", "-p", "xtask", "--", "codegen"]);
    let build = || in_copy(&["build", "-p", "mm-sdk"]);
    // The starting point: the very commands measured below have run (each built alone, so
    // that no feature unification with the other makes the measured run rebuild anything).
    time(&mut codegen())?;
    time(&mut build())?;
    edit_one_field(&copy.join(EDITED_SPEC))?;
    let codegen = time(&mut codegen())?;
    let build = time(&mut build())?;
    Ok(Rebuild { codegen, build })
}

/// Makes `copy` hold the workspace's files (those git tracks or would track), rewriting only
/// the files that differ so that cargo's fingerprints of the rest stay valid.
fn sync(root: &Path, copy: &Path) -> Result<(), String> {
    let listed = Command::new("git")
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run git to list the workspace's files: {e}"))?;
    if !listed.status.success() {
        return Err(format!(
            "git ls-files failed: {}",
            String::from_utf8_lossy(&listed.stderr)
        ));
    }
    let files = String::from_utf8(listed.stdout).map_err(|e| format!("git ls-files: {e}"))?;
    for file in files.split('\0').filter(|f| !f.is_empty()) {
        let (from, to) = (root.join(file), copy.join(file));
        let Ok(content) = std::fs::read(&from) else {
            continue; // Listed but deleted in the work tree.
        };
        if std::fs::read(&to).ok().as_deref() == Some(content.as_slice()) {
            continue;
        }
        if let Some(dir) = to.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        std::fs::write(&to, content).map_err(|e| format!("{}: {e}", to.display()))?;
    }
    Ok(())
}

/// Changes the description of one field of one schema.
fn edit_one_field(spec: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    let not_found = || {
        format!(
            "{}: cannot find the description of `agentCustomerNo` in `CustomerSummary` to edit",
            spec.display()
        )
    };
    let schema = text.find(EDITED_SCHEMA).ok_or_else(not_found)?;
    let field = schema + text[schema..].find(EDITED_FIELD).ok_or_else(not_found)?;
    let description = field + text[field..].find("description: ").ok_or_else(not_found)?;
    let end = description + text[description..].find('\n').ok_or_else(not_found)?;
    let edited = format!("{} (edited){}", &text[..end], &text[end..]);
    std::fs::write(spec, edited).map_err(|e| format!("{}: {e}", spec.display()))
}

/// The directory cargo builds into: `CARGO_TARGET_DIR`, or `target` in the workspace root.
pub fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_exactly_one_description() {
        let dir = std::env::temp_dir().join(format!("mm-sdk-bench-edit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let spec = dir.join("spec.yaml");
        let original = "\
components:
  schemas:
    Other:
      properties:
        agentCustomerNo:
          description: Not this one.
    CustomerSummary:
      properties:
        agentCustomerNo:
          type: string
          description: Customer number of the customer's agent.
        companyId:
          description: Not this one either.
";
        std::fs::write(&spec, original).unwrap();
        edit_one_field(&spec).unwrap();
        let edited = std::fs::read_to_string(&spec).unwrap();
        assert_eq!(
            edited,
            original.replace(
                "Customer number of the customer's agent.",
                "Customer number of the customer's agent. (edited)"
            )
        );
        std::fs::write(&spec, "CustomerSummary: {}\n").unwrap();
        assert!(
            edit_one_field(&spec)
                .unwrap_err()
                .contains("agentCustomerNo")
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_real_spec_has_the_edited_field() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let text = std::fs::read_to_string(root.join(EDITED_SPEC)).unwrap();
        let schema = text.find(EDITED_SCHEMA).expect("CustomerSummary schema");
        assert!(text[schema..].contains(EDITED_FIELD));
    }
}

//! Wall time of the project's own commands: code generation, and the rebuild after a spec
//! change.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

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

/// What the scale measure found of one copy of the workspace.
#[derive(Debug, Clone)]
pub struct Scale {
    /// Operations in its specs.
    pub operations: usize,
    /// Lines of generated Rust.
    pub lines: usize,
    /// Bytes of generated Rust.
    pub bytes: u64,
    /// Wall time of `cargo build --workspace` with the generated crates, `mm-sdk` and
    /// everything above them cleaned first (dependencies built).
    pub cold: Duration,
    /// Of which the generated crates and `mm-sdk` (their compile times added up).
    pub cold_generated: Duration,
    /// `cargo xtask codegen` after a field is added to one schema of the largest spec.
    pub codegen: Duration,
    /// Wall time of the `cargo build --workspace` after it.
    pub rebuild: Duration,
    /// Of which the changed area's crate.
    pub rebuild_generated: Duration,
    /// Cold builds of an application's view of the SDK, by its features (today's specs
    /// only): the full one and the minimal ones of [`APPLICATIONS`].
    pub applications: Vec<Application>,
}

/// The features of `mm-sdk` of the applications whose cold build is measured: everything,
/// and a third-party login with the web iframe's single sign-on.
pub const APPLICATIONS: [(&str, &str); 2] = [
    ("full", "full"),
    ("Auth2 + web iframe", "auth2,client-auth"),
];

/// The cold build of `mm-sdk` with an application's features.
#[derive(Debug, Clone)]
pub struct Application {
    /// What the application is.
    pub name: &'static str,
    /// Lines of the generated crates it compiles.
    pub generated_lines: usize,
    /// Wall time of `cargo build -p mm-sdk` with its features, the workspace's crates
    /// cleaned first (dependencies built).
    pub cold: Duration,
}

/// The crates' names that the build-time rows count as generated or as `mm-sdk`.
fn is_sdk_crate(name: &str) -> bool {
    name.starts_with("mm-sdk-api-") || name == "mm-sdk-generated" || name == "mm-sdk"
}

/// Measures a copy of the workspace under `scratch`, with synthetic specs added up to
/// `operations` when given (`cargo xtask synthesize`). The copy keeps its own target directory
/// in `scratch`, so only the first run builds the dependencies. Each rebuild figure is the
/// median of `edits` edits.
pub fn scale(
    root: &Path,
    scratch: &Path,
    operations: Option<usize>,
    edits: usize,
) -> Result<Scale, String> {
    let copy = scratch.join("workspace");
    let target = scratch.join("target");
    sync(root, &copy)?;
    // Synthetic specs of an earlier run are not in the workspace: they go, and come again.
    for entry in std::fs::read_dir(copy.join("openapi")).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path
            .file_name()
            .is_some_and(|name| name.to_string_lossy().starts_with("synthetic-"))
        {
            std::fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    if let Some(operations) = operations {
        let mut synthesize = cargo();
        synthesize
            .args([
                "run",
                "--quiet",
                "-p",
                "xtask",
                "--",
                "synthesize",
                "--into",
            ])
            .arg(&copy)
            .args(["--operations", &operations.to_string()])
            .current_dir(root);
        time(&mut synthesize)?;
    }
    let in_copy = |args: &[&str]| {
        let mut command = cargo();
        command
            .args(args)
            .current_dir(&copy)
            .env("CARGO_TARGET_DIR", &target);
        command
    };
    let codegen = || in_copy(&["run", "--quiet", "-p", "xtask", "--", "codegen"]);
    let build = || in_copy(&["build", "--quiet", "--workspace", "--timings"]);
    time(&mut codegen())?;
    time(&mut build())?;

    let generated = generated_rust(&copy.join("generated"))?;
    let mut clean = in_copy(&["clean", "--quiet"]);
    for package in workspace_packages(&copy.join("generated"))? {
        clean.args(["-p", &package]);
    }
    clean.args(["-p", "mm-sdk"]);
    time(&mut clean)?;
    let cold = time(&mut build())?;
    let cold_generated = unit_durations(&target)?
        .into_iter()
        .filter(|(name, _)| is_sdk_crate(name))
        .map(|(_, duration)| duration)
        .sum();

    // What one application compiles, with its features alone: its dependencies are built
    // first (their features differ from the workspace's), then it is built again cold.
    let mut applications = Vec::new();
    if operations.is_none() {
        for (name, features) in APPLICATIONS {
            let build = || {
                let mut build =
                    in_copy(&["build", "--quiet", "-p", "mm-sdk", "--no-default-features"]);
                build.args(["--features", features]);
                build
            };
            time(&mut build())?;
            let mut clean = in_copy(&["clean", "--quiet"]);
            for package in workspace_packages(&copy.join("generated"))? {
                clean.args(["-p", &package]);
            }
            clean.args(["-p", "mm-sdk", "-p", "mm-sdk-core"]);
            time(&mut clean)?;
            let cold = time(&mut build())?;
            applications.push(Application {
                name,
                generated_lines: compiled_generated_lines(&copy, features)?,
                cold,
            });
        }
    }

    let edited = largest_spec(&copy.join("openapi"))?;
    let area = format!(
        "mm-sdk-api-{}",
        edited.file_stem().unwrap_or_default().to_string_lossy()
    );
    let mut codegens = Vec::new();
    let mut rebuilds = Vec::new();
    let mut area_builds = Vec::new();
    for edit in 0..edits.max(1) {
        add_one_field(&edited, edit)?;
        codegens.push(time(&mut codegen())?);
        rebuilds.push(time(&mut build())?);
        area_builds.push(
            unit_durations(&target)?
                .into_iter()
                .find(|(name, _)| *name == area)
                .map_or(Duration::ZERO, |(_, duration)| duration),
        );
    }
    Ok(Scale {
        operations: count_operations(&copy.join("openapi"))?,
        lines: generated.0,
        bytes: generated.1,
        cold,
        cold_generated,
        codegen: median_of(codegens),
        rebuild: median_of(rebuilds),
        rebuild_generated: median_of(area_builds),
        applications,
    })
}

/// Lines of the generated crates that `mm-sdk` with `features` depends on.
fn compiled_generated_lines(workspace: &Path, features: &str) -> Result<usize, String> {
    let output = cargo()
        .args([
            "tree",
            "--quiet",
            "-p",
            "mm-sdk",
            "--no-default-features",
            "--features",
        ])
        .arg(features)
        .args(["-e", "normal", "--prefix", "none", "--format", "{p}"])
        .current_dir(workspace)
        .output()
        .map_err(|e| format!("cannot run cargo tree: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo tree failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let tree = String::from_utf8_lossy(&output.stdout);
    let mut folders = std::collections::BTreeSet::new();
    for line in tree.lines() {
        // `mm-sdk-api-client v0.1.0 (/path/to/generated/client)`
        let Some((name, rest)) = line.split_once(' ') else {
            continue;
        };
        if name.starts_with("mm-sdk-api-") || name == "mm-sdk-generated" {
            let folder = rest
                .split_once('(')
                .and_then(|(_, path)| path.split(')').next())
                .ok_or_else(|| format!("no path in `{line}`"))?;
            folders.insert(PathBuf::from(folder));
        }
    }
    folders
        .iter()
        .map(|folder| generated_rust(folder).map(|(lines, _)| lines))
        .sum()
}

fn median_of(mut values: Vec<Duration>) -> Duration {
    values.sort_unstable();
    values.get(values.len() / 2).copied().unwrap_or_default()
}

/// Lines and bytes of the Rust files under `dir`.
fn generated_rust(dir: &Path) -> Result<(usize, u64), String> {
    let mut totals = (0, 0);
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            let (lines, bytes) = generated_rust(&path)?;
            totals = (totals.0 + lines, totals.1 + bytes);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
            totals = (
                totals.0 + text.lines().count(),
                totals.1 + text.len() as u64,
            );
        }
    }
    Ok(totals)
}

/// The package names of the crates under `generated/`.
fn workspace_packages(generated: &Path) -> Result<Vec<String>, String> {
    let mut packages = Vec::new();
    for entry in std::fs::read_dir(generated).map_err(|e| e.to_string())? {
        let manifest = entry.map_err(|e| e.to_string())?.path().join("Cargo.toml");
        let Ok(text) = std::fs::read_to_string(&manifest) else {
            continue;
        };
        let name = text
            .lines()
            .find_map(|line| line.strip_prefix("name = \""))
            .and_then(|rest| rest.strip_suffix('"'))
            .ok_or_else(|| format!("{}: no package name", manifest.display()))?;
        packages.push(name.to_owned());
    }
    Ok(packages)
}

/// The number of operations in the specs of `openapi`.
fn count_operations(openapi: &Path) -> Result<usize, String> {
    let mut count = 0;
    for entry in std::fs::read_dir(openapi).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
            count += text
                .lines()
                .filter(|line| line.trim_start().starts_with("operationId:"))
                .count();
        }
    }
    Ok(count)
}

/// The largest spec of `openapi`: the area whose rebuild costs most.
fn largest_spec(openapi: &Path) -> Result<PathBuf, String> {
    let mut largest: Option<(u64, PathBuf)> = None;
    for entry in std::fs::read_dir(openapi).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let size = std::fs::metadata(&path).map_err(|e| e.to_string())?.len();
            if largest.as_ref().is_none_or(|(most, _)| size > *most) {
                largest = Some((size, path));
            }
        }
    }
    largest
        .map(|(_, path)| path)
        .ok_or_else(|| format!("{}: no spec", openapi.display()))
}

/// How long each unit of the last `--timings` build of `target` took, by crate name, from
/// cargo's timing report (`target/cargo-timings/cargo-timing.html`).
fn unit_durations(target: &Path) -> Result<Vec<(String, Duration)>, String> {
    let report = target.join("cargo-timings/cargo-timing.html");
    let html =
        std::fs::read_to_string(&report).map_err(|e| format!("{}: {e}", report.display()))?;
    let data = html
        .split_once("const UNIT_DATA = ")
        .and_then(|(_, rest)| rest.split_once(";\n"))
        .map(|(json, _)| json)
        .ok_or_else(|| format!("{}: no unit data", report.display()))?;
    let units: Vec<serde_json::Value> =
        serde_json::from_str(data).map_err(|e| format!("{}: {e}", report.display()))?;
    Ok(units
        .iter()
        .filter_map(|unit| {
            let name = unit["name"].as_str()?.to_owned();
            let seconds = unit["duration"].as_f64()?;
            Some((name, Duration::from_secs_f64(seconds)))
        })
        .collect())
}

/// Adds the field `editedField<n>` (a string) to the `data` schema of the spec's last
/// operation that has one: a one-field change to a type the operations use, as a spec update
/// usually is. (Not to a request body: hand-written code builds some field by field.)
fn add_one_field(path: &Path, n: usize) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let edited = with_one_more_field(&text, n)
        .ok_or_else(|| format!("{}: no operation's data schema to edit", path.display()))?;
    std::fs::write(path, edited).map_err(|e| format!("{}: {e}", path.display()))
}

/// `text` (a spec) with `editedField<n>` added to the `properties` of [`edited_schema`].
fn with_one_more_field(text: &str, n: usize) -> Option<String> {
    let name = edited_schema(text)?;
    let schema = text.find(&format!("\n    {name}:\n"))?;
    let properties = schema + text[schema..].find("properties:\n")?;
    let first = properties + "properties:\n".len();
    let line = &text[first..first + text[first..].find('\n')?];
    let indent = " ".repeat(line.len() - line.trim_start().len());
    Some(format!(
        "{}{indent}editedField{n}:\n{indent}  type: string\n{}",
        &text[..first],
        &text[first..]
    ))
}

/// The schema of the `data` of the last operation of the spec whose `data` is a `$ref`.
fn edited_schema(text: &str) -> Option<String> {
    let spec: serde_yaml_ng::Value = serde_yaml_ng::from_str(text).ok()?;
    let schemas = &spec["components"]["schemas"];
    let name = |reference: &serde_yaml_ng::Value| {
        reference
            .as_str()?
            .strip_prefix("#/components/schemas/")
            .map(str::to_owned)
    };
    let items: Vec<&serde_yaml_ng::Value> = spec["paths"].as_mapping()?.values().collect();
    items
        .into_iter()
        .rev()
        .filter_map(|item| {
            let envelope = name(
                &item["post"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            )?;
            let data = &schemas[envelope.as_str()]["properties"]["data"];
            name(&data["anyOf"][0]["$ref"]).or_else(|| name(&data["$ref"]))
        })
        .find(|data| schemas[data.as_str()]["properties"].is_mapping())
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
    fn adds_exactly_one_field_to_the_last_operations_data() {
        let original = "\
paths:
  /a:
    post:
      responses:
        '200':
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/AResponse'
components:
  schemas:
    First:
      type: object
      properties:
        a:
          type: string
    Data:
      properties:
        b: { type: string }
    AResponse:
      properties:
        data:
          anyOf:
            - $ref: '#/components/schemas/Data'
            - { type: string, nullable: true, enum: [null] }
";
        let edited = with_one_more_field(original, 3).unwrap();
        assert_eq!(
            edited,
            original.replace(
                "      properties:\n        b:",
                "      properties:\n        editedField3:\n          type: string\n        b:"
            )
        );
        assert_eq!(with_one_more_field("components: {}\n", 0), None);
    }

    #[test]
    fn every_real_spec_can_be_edited() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let spec = largest_spec(&root.join("openapi")).unwrap();
        let text = std::fs::read_to_string(spec).unwrap();
        assert!(with_one_more_field(&text, 0).is_some());
    }
}

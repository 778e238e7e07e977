//! `cargo xtask package [ARGS]`: `cargo package` of every crate the workspace publishes (the
//! members without `publish = false`), then a check of each against its siblings' packages;
//! `ARGS` go to `cargo package` (`--list` lists what each would hold; `--no-verify` skips the
//! check).
//!
//! The check is ours, not `cargo package`'s own verification. Cargo verifies a crate against
//! its siblings' packages by putting them in a local registry, which it unpacks into
//! `$CARGO_HOME/registry/src` only once per path and version: a second run from the same
//! directory would verify against the first run's sources. And it builds every package and
//! dependency in full, where a check finds the same faults (a file left out of a package, a
//! sibling's item its package lacks) without generating code. So the packages are unpacked
//! into a workspace of their own under [`TARGET`], each sibling patched in from its unpacked
//! package, with the workspace's lock file and profiles, and checked there with their
//! default features, into the workspace's target directory (what the workspace's build made
//! already, build scripts and procedural macros, is reused). Each feature of `mm-sdk` alone
//! is `scripts/features.sh`'s check.

use std::path::Path;

use serde_json::Value;

use crate::cargo::{cargo, members, metadata, status};

/// Where the packages are written, unpacked and checked, relative to the workspace: emptied by
/// each run.
pub(crate) const TARGET: &str = "target/packaged";

/// Packages the published crates and, unless `args` say not to, checks each from its package.
pub(crate) fn run(args: &[&str]) -> Result<(), String> {
    let metadata = metadata()?;
    let published = published(&metadata)?;
    match std::fs::remove_dir_all(TARGET) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(format!("cannot remove {TARGET}: {e}"));
        }
        _ => {}
    }
    let mut command = cargo();
    command.args(["package", "--locked", "--no-verify", "--target-dir", TARGET]);
    for package in &published {
        command.args(["--package", &package.name]);
    }
    command.args(args.iter().filter(|arg| **arg != "--no-verify"));
    status(command)?;
    if args
        .iter()
        .any(|arg| matches!(*arg, "--list" | "-l" | "--no-verify"))
    {
        return Ok(());
    }
    let shared = metadata["target_directory"]
        .as_str()
        .ok_or("cargo metadata names no target directory")?;
    check_unpacked(Path::new(TARGET), &published, Path::new(shared))
}

/// Unpacks the packages `cargo package` wrote under `target` into a workspace of their own and
/// checks them there, together: one build, whose crates compile side by side. It builds into
/// the workspace's own target directory, `shared`, under the workspace's profiles: what the
/// workspace built already (build scripts, procedural macros) is not built again.
fn check_unpacked(target: &Path, published: &[Published], shared: &Path) -> Result<(), String> {
    let root = target.join("unpacked");
    std::fs::create_dir_all(&root).map_err(|e| format!("cannot create {}: {e}", root.display()))?;
    for package in published {
        let file = target
            .join("package")
            .join(format!("{}.crate", package.dir()));
        let mut tar = std::process::Command::new("tar");
        tar.arg("-xzf").arg(&file).arg("-C").arg(&root);
        status(tar)?;
    }
    let manifest = root.join("Cargo.toml");
    let root_manifest = std::fs::read_to_string("Cargo.toml")
        .map_err(|e| format!("cannot read the workspace's Cargo.toml: {e}"))?;
    write(
        &manifest,
        &workspace_manifest(published, &profiles(&root_manifest)),
    )?;
    std::fs::copy("Cargo.lock", root.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy Cargo.lock into {}: {e}", root.display()))?;
    let mut check = cargo();
    check
        .args(["check", "--workspace", "--manifest-path"])
        .arg(&manifest)
        .args(["--target-dir"])
        .arg(shared);
    status(check)
}

/// The `[profile...]` tables of the workspace's manifest `text`, with their comments, but
/// for `[profile.<name>.package]`: its overrides name the workspace's tools, which the
/// packages do not build (cargo would warn of each).
fn profiles(text: &str) -> String {
    let mut kept = String::new();
    let mut inside = false;
    for line in text.lines() {
        if line.starts_with('[') {
            inside = line.starts_with("[profile") && !line.ends_with(".package]");
        }
        if inside {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    kept
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The manifest of the workspace of unpacked packages: each a member, and each patched in
/// where a sibling's package names it as a crates.io dependency; with `profiles`, the
/// workspace's.
fn workspace_manifest(published: &[Published], profiles: &str) -> String {
    let mut members = String::new();
    let mut patches = String::new();
    for package in published {
        members.push_str(&format!("    \"{}\",\n", package.dir()));
        patches.push_str(&format!(
            "{} = {{ path = \"{}\" }}\n",
            package.name,
            package.dir()
        ));
    }
    format!(
        "# Written by `cargo xtask package`: the published crates as their packages hold them.\n\
         [workspace]\nresolver = \"2\"\nmembers = [\n{members}]\n\n[patch.crates-io]\n{patches}\n\
         {profiles}"
    )
}

/// A crate the workspace publishes.
#[derive(Debug, PartialEq)]
struct Published {
    name: String,
    version: String,
}

impl Published {
    /// `name-version`: its package's file stem and the directory it unpacks into.
    fn dir(&self) -> String {
        format!("{}-{}", self.name, self.version)
    }
}

/// The workspace members that may be published, sorted by name.
fn published(metadata: &Value) -> Result<Vec<Published>, String> {
    let mut packages: Vec<Published> = members(metadata)?
        .into_iter()
        // `publish` is null for a package any registry may take, a list (empty for
        // `publish = false`) otherwise.
        .filter(|package| package["publish"].is_null())
        .filter_map(|package| {
            Some(Published {
                name: package["name"].as_str()?.to_owned(),
                version: package["version"].as_str()?.to_owned(),
            })
        })
        .collect();
    packages.sort_by(|a, b| a.name.cmp(&b.name));
    if packages.is_empty() {
        return Err("no workspace member is published".into());
    }
    Ok(packages)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(name: &str) -> Published {
        Published {
            name: name.into(),
            version: "0.1.0".into(),
        }
    }

    #[test]
    fn only_members_without_publish_false_are_packaged() {
        let metadata = serde_json::json!({
            "workspace_members": ["sdk", "tool"],
            "packages": [
                {"id": "sdk", "name": "mm-sdk", "version": "0.1.0", "publish": null},
                {"id": "tool", "name": "xtask", "version": "0.1.0", "publish": []},
                {"id": "dep", "name": "serde", "version": "1.0.0", "publish": null},
            ],
        });
        assert_eq!(published(&metadata).unwrap(), [package("mm-sdk")]);
    }

    #[test]
    fn the_profiles_are_the_workspace_s_tables_of_them() {
        let text = "[workspace]\nmembers = []\n\n[profile.dev]\n# why\ndebug = 1\n\n\
                    [profile.dev.package.\"*\"]\ndebug = false\n[profile.dev.package]\n\
                    insta.opt-level = 3\n[patch.crates-io]\nx = {}\n";
        assert_eq!(
            profiles(text),
            "[profile.dev]\n# why\ndebug = 1\n\n[profile.dev.package.\"*\"]\ndebug = false\n"
        );
    }

    #[test]
    fn each_package_is_a_member_and_patched_in_from_its_directory() {
        let manifest = workspace_manifest(
            &[package("mm-sdk"), package("mm-sdk-core")],
            "[profile.dev]\ndebug = false\n",
        );
        assert!(
            manifest.contains("members = [\n    \"mm-sdk-0.1.0\",\n    \"mm-sdk-core-0.1.0\",\n]"),
            "{manifest}"
        );
        assert!(
            manifest.contains(
                "[patch.crates-io]\nmm-sdk = { path = \"mm-sdk-0.1.0\" }\n\
                 mm-sdk-core = { path = \"mm-sdk-core-0.1.0\" }\n"
            ),
            "{manifest}"
        );
        assert!(
            manifest.ends_with("\n[profile.dev]\ndebug = false\n"),
            "{manifest}"
        );
    }
}

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
//! package, with the workspace's lock file, and checked there with their default features.
//! (Each feature of `mm-sdk` alone is `scripts/features.sh`'s check.)

use std::path::Path;

use serde_json::Value;

use crate::cargo::{cargo, members, metadata, status};

/// Where the packages are written, unpacked and checked, relative to the workspace: emptied by
/// each run.
pub(crate) const TARGET: &str = "target/packaged";

/// Packages the published crates and, unless `args` say not to, checks each from its package.
pub(crate) fn run(args: &[&str]) -> Result<(), String> {
    let published = published(&metadata()?)?;
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
    check_unpacked(Path::new(TARGET), &published)
}

/// Unpacks the packages `cargo package` wrote under `target` into a workspace of their own and
/// checks them there, together: one build, whose crates compile side by side.
fn check_unpacked(target: &Path, published: &[Published]) -> Result<(), String> {
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
    write(&manifest, &workspace_manifest(published))?;
    std::fs::copy("Cargo.lock", root.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy Cargo.lock into {}: {e}", root.display()))?;
    let mut check = cargo();
    check
        .args(["check", "--workspace", "--manifest-path"])
        .arg(&manifest)
        .args(["--target-dir"])
        .arg(target.join("target"));
    status(check)
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The manifest of the workspace of unpacked packages: each a member, and each patched in
/// where a sibling's package names it as a crates.io dependency.
fn workspace_manifest(published: &[Published]) -> String {
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
         [workspace]\nresolver = \"2\"\nmembers = [\n{members}]\n\n[patch.crates-io]\n{patches}"
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
    fn each_package_is_a_member_and_patched_in_from_its_directory() {
        let manifest = workspace_manifest(&[package("mm-sdk"), package("mm-sdk-core")]);
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
    }
}

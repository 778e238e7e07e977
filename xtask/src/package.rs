//! `cargo xtask package [ARGS]`: `cargo package` of every crate the workspace publishes (the
//! members without `publish = false`), together, so that each builds against its siblings'
//! packages; `ARGS` go to `cargo package` (`--no-verify`, `--list`...).
//!
//! Cargo takes a package it has seen once for unchanged, as a registry's packages are: to
//! verify a crate against its siblings' packages, it puts them in a local registry under the
//! target directory, unpacks them into `$CARGO_HOME/registry/src/-<hash of that path>/` only if
//! they are not there yet, and rebuilds them only if their version changed. A second run from
//! the same directory (CI's clone always has the same path; a developer's workspace) would
//! verify against the first run's sources. So each run packages into a target directory of its
//! own, [`TARGET`], emptied first, and removes the unpacked copies of our crates first.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::cargo::{cargo, members, metadata, status};

/// Where the packages are written and verified, relative to the workspace: emptied by each run.
pub(crate) const TARGET: &str = "target/packaged";

/// Packages (and by default verifies) the published crates.
pub(crate) fn run(args: &[&str]) -> Result<(), String> {
    let published = published(&metadata()?)?;
    match std::fs::remove_dir_all(TARGET) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(format!("cannot remove {TARGET}: {e}"));
        }
        _ => {}
    }
    let cargo_home = home::cargo_home().map_err(|e| format!("cannot find CARGO_HOME: {e}"))?;
    for stale in unpacked(&cargo_home.join("registry").join("src"), &published)? {
        std::fs::remove_dir_all(&stale)
            .map_err(|e| format!("cannot remove {}: {e}", stale.display()))?;
    }
    let mut command = cargo();
    command.args(["package", "--locked", "--target-dir", TARGET]);
    for package in &published {
        command.args(["--package", &package.name]);
    }
    command.args(args);
    status(command)
}

/// A crate the workspace publishes.
#[derive(Debug, PartialEq)]
struct Published {
    name: String,
    version: String,
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

/// The unpacked copies of `published` in any registry's directory under `sources` (cargo's
/// `registry/src`); none if cargo has unpacked nothing yet.
fn unpacked(sources: &Path, published: &[Published]) -> Result<Vec<PathBuf>, String> {
    let registries = match std::fs::read_dir(sources) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("cannot read {}: {e}", sources.display())),
    };
    let mut found = Vec::new();
    for registry in registries {
        let registry = registry.map_err(|e| format!("cannot read {}: {e}", sources.display()))?;
        for package in published {
            let copy = registry
                .path()
                .join(format!("{}-{}", package.name, package.version));
            if copy.is_dir() {
                found.push(copy);
            }
        }
    }
    found.sort();
    Ok(found)
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
    fn the_unpacked_copies_of_our_crates_and_nothing_else_are_found() {
        let sources = std::env::temp_dir().join(format!("xtask-package-{}", std::process::id()));
        let overlay = sources.join("-14cd1cce6819ff87");
        let crates_io = sources.join("index.crates.io-1949cf8c6b5b557f");
        for dir in [
            overlay.join("mm-sdk-core-0.1.0/src"),
            overlay.join("mm-sdk-core-0.0.9"),
            crates_io.join("serde-1.0.0"),
            crates_io.join("mm-sdk-0.1.0"),
        ] {
            std::fs::create_dir_all(dir).unwrap();
        }
        let found = unpacked(&sources, &[package("mm-sdk"), package("mm-sdk-core")]);
        let missing = unpacked(&sources.join("none"), &[package("mm-sdk")]);
        std::fs::remove_dir_all(&sources).unwrap();
        assert_eq!(
            found.unwrap(),
            [
                overlay.join("mm-sdk-core-0.1.0"),
                crates_io.join("mm-sdk-0.1.0")
            ]
        );
        assert_eq!(missing.unwrap(), Vec::<PathBuf>::new());
    }
}

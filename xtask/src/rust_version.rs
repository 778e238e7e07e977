//! `cargo xtask rust-version`: the workspace's `rust-version` is no older than that of any
//! package the lock file resolves. A CI machine has one toolchain and cannot fetch another, so
//! comparing the declarations is the check: a dependency that needs a newer compiler than the
//! workspace promises makes the promise false for every user on the older one.

use serde_json::Value;

use crate::cargo::{members, metadata};

/// Fails, naming the packages, when one declares a newer `rust-version` than the workspace's.
pub(crate) fn run() -> Result<(), String> {
    let metadata = metadata()?;
    let (promised, newer) = check(&metadata)?;
    if newer.is_empty() {
        println!("rust-version {promised}: no resolved package declares a newer one");
        return Ok(());
    }
    Err(format!(
        "the workspace declares rust-version {promised}, but these packages need a newer \
         compiler:\n{}",
        newer
            .iter()
            .map(|(name, version)| format!("  {name}: {version}"))
            .collect::<Vec<_>>()
            .join("\n")
    ))
}

/// The workspace's `rust-version` (its members', which inherit it) and every package that
/// declares a newer one, as (`name version`, its `rust-version`).
fn check(metadata: &Value) -> Result<(String, Vec<(String, String)>), String> {
    let packages = metadata["packages"]
        .as_array()
        .ok_or("cargo metadata lists no packages")?;
    let rust_version = |package: &Value| package["rust_version"].as_str().map(str::to_owned);
    let mut promised: Option<String> = None;
    for package in members(metadata)? {
        let name = package["name"].as_str().unwrap_or_default();
        let version = rust_version(package)
            .ok_or_else(|| format!("the workspace member {name} declares no rust-version"))?;
        match &promised {
            Some(first) if parse(first)? != parse(&version)? => {
                return Err(format!(
                    "the workspace members disagree on rust-version: {first} and {version} \
                     ({name})"
                ));
            }
            _ => promised = Some(version),
        }
    }
    let promised = promised.ok_or("the workspace has no members")?;
    let limit = parse(&promised)?;
    let mut newer = Vec::new();
    for package in packages {
        if let Some(version) = rust_version(package)
            && parse(&version)? > limit
        {
            let name = format!(
                "{} {}",
                package["name"].as_str().unwrap_or_default(),
                package["version"].as_str().unwrap_or_default()
            );
            newer.push((name, version));
        }
    }
    newer.sort();
    Ok((promised, newer))
}

/// `1.89` or `1.89.0` as (major, minor, patch).
fn parse(version: &str) -> Result<(u64, u64, u64), String> {
    let mut parts = version.split('.').map(str::parse::<u64>);
    let mut next = || {
        parts
            .next()
            .transpose()
            .map_err(|e| format!("rust-version `{version}`: {e}"))
    };
    let major = next()?.ok_or_else(|| format!("rust-version `{version}` is empty"))?;
    Ok((major, next()?.unwrap_or(0), next()?.unwrap_or(0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metadata(dependency: &str) -> Value {
        serde_json::json!({
            "workspace_members": ["a 0.1.0"],
            "packages": [
                {"id": "a 0.1.0", "name": "a", "version": "0.1.0", "rust_version": "1.88"},
                {"id": "b 1.0.0", "name": "b", "version": "1.0.0", "rust_version": dependency},
                {"id": "c 2.0.0", "name": "c", "version": "2.0.0", "rust_version": null},
            ],
        })
    }

    #[test]
    fn a_dependency_needing_a_newer_compiler_is_named() {
        let (promised, newer) = check(&metadata("1.89.0")).unwrap();
        assert_eq!(promised, "1.88");
        assert_eq!(newer, [("b 1.0.0".to_owned(), "1.89.0".to_owned())]);
        // The same version, written with its patch, is not newer.
        assert!(check(&metadata("1.88.0")).unwrap().1.is_empty());
        assert!(check(&metadata("1.70")).unwrap().1.is_empty());
    }

    #[test]
    fn versions_compare_as_numbers() {
        assert!(parse("1.100").unwrap() > parse("1.99.9").unwrap());
        assert!(parse("one").is_err());
    }
}

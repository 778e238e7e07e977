//! `cargo xtask package [ARGS]`: `cargo package` of every crate the workspace publishes (the
//! members without `publish = false`), together, so that each builds against its siblings'
//! packages; `ARGS` go to `cargo package` (`--no-verify`, `--list`...).

use serde_json::Value;

use crate::cargo::{cargo, members, metadata, status};

/// Packages (and by default verifies) the published crates.
pub(crate) fn run(args: &[&str]) -> Result<(), String> {
    let published = published(&metadata()?)?;
    let mut command = cargo();
    command.args(["package", "--locked"]);
    for name in &published {
        command.args(["--package", name]);
    }
    command.args(args);
    status(command)
}

/// The names of the workspace members that may be published, sorted.
fn published(metadata: &Value) -> Result<Vec<String>, String> {
    let mut names: Vec<String> = members(metadata)?
        .into_iter()
        // `publish` is null for a package any registry may take, a list (empty for
        // `publish = false`) otherwise.
        .filter(|package| package["publish"].is_null())
        .filter_map(|package| package["name"].as_str().map(str::to_owned))
        .collect();
    names.sort();
    if names.is_empty() {
        return Err("no workspace member is published".into());
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_members_without_publish_false_are_packaged() {
        let metadata = serde_json::json!({
            "workspace_members": ["sdk", "tool"],
            "packages": [
                {"id": "sdk", "name": "mm-sdk", "publish": null},
                {"id": "tool", "name": "xtask", "publish": []},
                {"id": "dep", "name": "serde", "publish": null},
            ],
        });
        assert_eq!(published(&metadata).unwrap(), ["mm-sdk"]);
    }
}

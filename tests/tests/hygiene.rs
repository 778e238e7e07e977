//! Rules the workspace's own sources keep, checked on every run.

use std::path::{Path, PathBuf};

use mm_sdk_tests::workspace_root;

/// Every Rust file of the workspace, generated code and fetched dependencies aside.
fn sources(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if path.is_dir() {
            if !matches!(
                name.as_ref(),
                "target" | "node_modules" | ".git" | "generated" | "corpus" | "artifacts"
            ) {
                sources(&path, found);
            }
        } else if name.ends_with(".rs") {
            found.push(path);
        }
    }
}

/// A test that waits on a server, or a task, must fail with a message rather than hang: every
/// async test runs its body under `bounded` (or `bounded_for`), which times it out.
#[test]
fn every_async_test_is_bounded_in_time() {
    let mut files = Vec::new();
    sources(&workspace_root(), &mut files);
    let mut unbounded = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (index, line) in lines.iter().enumerate() {
            if !line.trim_start().starts_with("#[tokio::test") {
                continue;
            }
            let Some(offset) = lines[index..]
                .iter()
                .position(|l| l.trim_start().starts_with("async fn "))
            else {
                unbounded.push(format!("{}:{}", file.display(), index + 1));
                continue;
            };
            let body = lines[index + offset + 1..]
                .iter()
                .find(|l| !l.trim_start().starts_with("//"))
                .copied()
                .unwrap_or_default();
            if !body.contains("bounded(") && !body.contains("bounded_for(") {
                unbounded.push(format!("{}:{}", file.display(), index + offset + 1));
            }
        }
    }
    assert!(
        unbounded.is_empty(),
        "async tests not bounded in time:\n{}",
        unbounded.join("\n")
    );
}

/// `.ci/run`'s fuzz build leaves the generated crates unoptimized (the dev profile of
/// `fuzz/Cargo.toml`): a crate missing from that list would quietly be built optimized, a
/// crate no longer generated would be a stale entry. Each `generated/*` package, and nothing
/// else, has its entry.
#[test]
fn the_fuzz_build_lists_every_generated_crate() {
    let root = workspace_root();
    let mut generated: Vec<String> = std::fs::read_dir(root.join("generated"))
        .expect("generated/ is readable")
        .flatten()
        .filter_map(|entry| std::fs::read_to_string(entry.path().join("Cargo.toml")).ok())
        .map(|manifest| {
            manifest
                .lines()
                .find_map(|line| line.strip_prefix("name = \""))
                .and_then(|rest| rest.strip_suffix('"'))
                .expect("a generated crate's manifest names its package")
                .to_owned()
        })
        .collect();
    generated.sort();
    let fuzz = std::fs::read_to_string(root.join("fuzz/Cargo.toml")).expect("fuzz/Cargo.toml");
    let mut listed: Vec<String> = fuzz
        .lines()
        .filter_map(|line| line.strip_prefix("[profile.dev.package."))
        .filter_map(|rest| rest.strip_suffix(']'))
        .map(str::to_owned)
        .collect();
    listed.sort();
    assert!(generated.len() > 20, "found only {generated:?}");
    assert_eq!(listed, generated);
}

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

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

/// The inherent methods `mm-sdk` writes by hand on each API's handle (`ClientApi`, ...).
fn hand_written_methods() -> Vec<(String, String)> {
    let mut files = Vec::new();
    sources(&workspace_root().join("sdk-ergonomic/src"), &mut files);
    let mut methods = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let parsed = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for item in parsed.items {
            let syn::Item::Impl(imp) = item else { continue };
            if imp.trait_.is_some() {
                continue;
            }
            let syn::Type::Path(path) = imp.self_ty.as_ref() else {
                continue;
            };
            let handle = path.path.segments.last().unwrap().ident.to_string();
            let api = match handle.as_str() {
                "ClientApi" => "client",
                "ManagerApi" => "manager",
                "Auth2Api" => "auth2",
                _ => continue,
            };
            for item in imp.items {
                if let syn::ImplItem::Fn(f) = item
                    && matches!(f.vis, syn::Visibility::Public(_))
                {
                    methods.push((api.to_owned(), f.sig.ident.to_string()));
                }
            }
        }
    }
    methods
}

/// The naming rule: a method named by an `operationId` sends that operation, one way. A
/// hand-written method never hides a generated one, and every operation marked
/// `x-mm-curated: <name>` has its hand-written method of that name.
#[test]
fn hand_written_methods_keep_the_naming_rule() {
    let methods = hand_written_methods();
    assert!(methods.len() > 10, "found only {methods:?}");
    let mut problems = Vec::new();
    for loaded in mm_sdk_tests::areas() {
        let api = loaded.model.api.as_str().to_owned();
        for op in &loaded.model.operations {
            match &op.curated {
                Some(name) if !methods.contains(&(api.clone(), name.clone())) => {
                    problems.push(format!(
                        "{api} `{}` is curated as `{name}`, which `mm-sdk` lacks",
                        op.id
                    ))
                }
                None if methods.contains(&(api.clone(), op.id.clone())) => problems.push(format!(
                    "a hand-written `{}` on the {api} handle hides the generated method",
                    op.id
                )),
                _ => {}
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

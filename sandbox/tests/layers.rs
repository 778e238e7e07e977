//! The sandbox's modules depend on each other one way, as the crate docs' "How it is built"
//! says: no module uses a module of a layer above its own, so no circle of imports can form
//! across layers.

use std::collections::BTreeSet;
use std::path::Path;

/// The top-level modules of `src/`, by layer, from the bottom up.
const LAYERS: &[&[&str]] = &[
    &[
        "config",
        "embedded",
        "envelope",
        "examples",
        "idempotency",
        "page",
        "platform",
        "schema",
        "spec",
    ],
    &["model"],
    &["hub"],
    &["context"],
    &[
        "auth2_api",
        "client_api",
        "documented",
        "funds",
        "manager_api",
        "open_api",
        "quote",
        "streams",
        "trading",
        "trading_ui",
    ],
    &["router"],
    &["server"],
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// The top-level modules the code of `text` names after `crate::`, comments left out:
/// `crate::a::b`, and each of `crate::{a, b::c}`.
fn used_modules(text: &str) -> BTreeSet<String> {
    let code: String = text
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut used = BTreeSet::new();
    for (index, _) in code.match_indices("crate::") {
        let rest = &code[index + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            used.extend(group_heads(group));
        } else {
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            used.insert(rest[..end].to_owned());
        }
    }
    used
}

/// The first name of each path of the group that `text` starts inside of (after its `{`):
/// `a::{b, c}, d }` gives `a` and `d`.
fn group_heads(text: &str) -> Vec<String> {
    let mut heads = Vec::new();
    let mut depth = 0;
    let mut at_start = true;
    let mut name = String::new();
    for c in text.chars() {
        if at_start && (c.is_alphanumeric() || c == '_') {
            name.push(c);
            continue;
        }
        if !name.is_empty() {
            heads.push(std::mem::take(&mut name));
            at_start = false;
        }
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => at_start = true,
            _ => {}
        }
    }
    if !name.is_empty() {
        heads.push(name);
    }
    heads
}

#[test]
fn no_module_uses_one_of_a_higher_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = walkdir::WalkDir::new(&src)
        .into_iter()
        .map(|entry| entry.unwrap_or_else(|e| panic!("{}: {e}", src.display())))
        .map(walkdir::DirEntry::into_path)
        .filter(|path| path.extension().is_some_and(|e| e == "rs"));
    let mut wrong = Vec::new();
    let mut modules = BTreeSet::new();
    for file in files {
        let relative = file.strip_prefix(&src).unwrap_or(&file);
        let first = relative.components().next().map(|c| c.as_os_str());
        let module = first
            .and_then(|c| c.to_str())
            .map(|name| name.trim_end_matches(".rs").to_owned())
            .unwrap_or_default();
        if module == "lib" || module == "main" {
            continue;
        }
        modules.insert(module.clone());
        let Some(own) = layer(&module) else {
            wrong.push(format!("`{module}` is in no layer of this test"));
            continue;
        };
        let text =
            std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for used in used_modules(&text) {
            match layer(&used) {
                Some(theirs) if theirs <= own => {}
                Some(_) => wrong.push(format!(
                    "{} uses `crate::{used}`, of a layer above `{module}`'s",
                    relative.display()
                )),
                None => wrong.push(format!(
                    "{} uses `crate::{used}`, which is not a module of a layer",
                    relative.display()
                )),
            }
        }
    }
    let listed: BTreeSet<String> = LAYERS
        .iter()
        .flat_map(|layer| layer.iter().map(|m| (*m).to_owned()))
        .collect();
    for missing in listed.difference(&modules) {
        wrong.push(format!("`{missing}` is listed here but is not in src/"));
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_reader_of_imports_sees_groups_paths_and_no_comments() {
    let text = "use crate::{hub::{Hub, Stream}, model,\n  page};\n// crate::server\nlet x = crate::spec::f();\n";
    let used: Vec<String> = used_modules(text).into_iter().collect();
    assert_eq!(used, ["hub", "model", "page", "spec"]);
}

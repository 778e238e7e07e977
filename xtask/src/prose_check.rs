//! `cargo xtask prose-check <git dir>...`: fails when a text of ours shares a run of eight
//! words with upstream's (the files of each git directory's `HEAD`: its docs, its exports):
//! our specs' words (every string of `openapi/`'s YAML but examples), the Markdown files, and
//! the doc comments of every Rust file the repository tracks, generated ones included.

use std::path::Path;

use mm_sdk_importer::git;
use mm_sdk_importer::overlap::{RUN, Upstream};
use serde_yaml_ng::Value;

const USAGE: &str = "usage: cargo xtask prose-check <git dir of an upstream repository>...";

/// What upstream writes text in.
const UPSTREAM_TEXT: [&str; 6] = [".md", ".yaml", ".yml", ".json", ".txt", ".html"];

/// Our files that hold upstream's data as it sent it, not our words.
const DATA: [&str; 3] = [
    "openapi/examples/",
    "openapi/upstream/",
    "importer/tests/snapshots/",
];

/// The keys of our YAML whose values are data (examples), not words.
const DATA_KEYS: [&str; 4] = [
    "example",
    "examples",
    "x-mm-upstream-examples",
    "x-mm-source",
];

pub(crate) fn run(args: &[&str]) -> Result<(), String> {
    if args.is_empty() || args.iter().any(|a| a.starts_with('-')) {
        return Err(USAGE.into());
    }
    let mut upstream = Upstream::default();
    for dir in args {
        read_upstream(Path::new(dir), &mut upstream)?;
    }
    println!("upstream: {} runs of {RUN} words", upstream.len());
    let mut found = Vec::new();
    let mut texts = 0;
    for name in git::tracked(Path::new(".")).map_err(|e| e.to_string())? {
        if DATA.iter().any(|data| name.starts_with(data)) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&name) else {
            continue;
        };
        for (line, words) in ours(&name, &text) {
            texts += 1;
            if let Some(run) = upstream.shared(&prose_only(&words)) {
                found.push(format!("{name}:{line}: shares \"{run}\""));
            }
        }
    }
    println!("ours: {texts} texts");
    if found.is_empty() {
        println!("no run of {RUN} words shared with upstream's text");
        Ok(())
    } else {
        Err(format!(
            "{} texts share a run of {RUN} words or more with upstream's:\n{}",
            found.len(),
            found.join("\n")
        ))
    }
}

/// `text` without what is not prose: code spans (wire names and values between backticks,
/// which are facts), addresses, paths and dotted names (`a/b`, `file.md`, `app.Service.call`).
fn prose_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 1 {
            // A code span: a break, so that no run joins the words around it.
            out.push('\n');
            continue;
        }
        // A breadcrumb (`Client API > Open API > Message`) names a page: each step apart.
        for word in part.replace(" > ", " \n ").split(' ') {
            let dotted = word
                .trim_end_matches(['.', ',', ';', ':', ')'])
                .split('.')
                .filter(|part| !part.is_empty())
                .count()
                > 1;
            if word.contains('/') || dotted {
                out.push('\n');
            } else {
                out.push_str(word);
                out.push(' ');
            }
        }
    }
    out
}

/// Adds the text files of `HEAD` in the git directory `dir`.
fn read_upstream(dir: &Path, upstream: &mut Upstream) -> Result<(), String> {
    for file in git::files(dir, "HEAD").map_err(|e| e.to_string())? {
        if !UPSTREAM_TEXT.iter().any(|ext| file.ends_with(ext)) {
            continue;
        }
        let text = git::show(dir, "HEAD", &file).map_err(|e| e.to_string())?;
        // Exports escape their line breaks inside JSON strings.
        upstream.add(&String::from_utf8_lossy(&text).replace("\\n", "\n"));
    }
    Ok(())
}

/// Our texts in file `name`, each with the line it starts on: a YAML file's strings (not its
/// examples), a Markdown file's paragraphs, a Rust file's doc comments (a run of `///` or
/// `//!` lines is one text).
fn ours(name: &str, text: &str) -> Vec<(usize, String)> {
    if name.ends_with(".yaml") || name.ends_with(".yml") {
        let mut strings = Vec::new();
        if let Ok(value) = serde_yaml_ng::from_str::<Value>(text) {
            yaml_strings(&value, &mut strings);
        }
        // Found by text, a string's line is that of its first words.
        return strings
            .into_iter()
            .map(|s| {
                let head: String = s.split_whitespace().take(4).collect::<Vec<_>>().join(" ");
                let line = text
                    .lines()
                    .position(|l| l.contains(head.as_str()))
                    .map_or(0, |i| i + 1);
                (line, s)
            })
            .collect();
    }
    let doc = |line: &str| {
        let line = line.trim_start();
        line.strip_prefix("///")
            .or_else(|| line.strip_prefix("//!"))
            .map(str::to_owned)
    };
    let rust = name.ends_with(".rs");
    if !rust && !name.ends_with(".md") {
        return Vec::new();
    }
    let mut texts = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, line) in text.lines().enumerate() {
        let part = if rust {
            doc(line)
        } else {
            Some(line.to_owned()).filter(|l| !l.trim().is_empty())
        };
        match (part, &mut current) {
            (Some(part), Some((_, text))) => {
                text.push(' ');
                text.push_str(&part);
            }
            (Some(part), None) => current = Some((i + 1, part)),
            (None, _) => texts.extend(current.take()),
        }
    }
    texts.extend(current);
    texts
}

/// Every string of `value` but those under a key of [`DATA_KEYS`].
fn yaml_strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Sequence(items) => items.iter().for_each(|v| yaml_strings(v, out)),
        Value::Mapping(map) => {
            for (key, v) in map {
                if key.as_str().is_some_and(|k| DATA_KEYS.contains(&k)) {
                    continue;
                }
                yaml_strings(v, out);
            }
        }
        Value::Tagged(tagged) => yaml_strings(&tagged.value, out),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upstream() -> Upstream {
        let mut upstream = Upstream::default();
        upstream.add("Query the list of positions held by the customer, a page at a time");
        upstream.add("1-Full position contract 2-Isolated position contract 3-Leverage 5-Spot");
        upstream
    }

    #[test]
    fn a_copied_sentence_is_found_in_any_of_our_texts() {
        let yaml = "paths:\n  /a:\n    post:\n      description: >-\n        Lists the \
                    positions held by the customer, a page at a\n        time.\n";
        let found: Vec<Option<String>> = ours("openapi/x.yaml", yaml)
            .into_iter()
            .map(|(_, text)| upstream().shared(&prose_only(&text)))
            .collect();
        assert!(found.iter().any(Option::is_some), "{found:?}");
        let rust =
            "/// Lists the positions held\n/// by the customer, a page at a time.\nfn a() {}\n";
        let texts = ours("core/src/x.rs", rust);
        assert_eq!(texts.len(), 1, "a run of doc lines is one text: {texts:?}");
        assert!(upstream().shared(&prose_only(&texts[0].1)).is_some());
    }

    #[test]
    fn codes_addresses_and_breadcrumbs_are_not_prose() {
        for text in [
            "`1` full position contract, `2` isolated position contract, `3` leverage, `5` spot",
            "See https://docs.example.com/query/the/list/of/positions/held/by/the/customer",
            "Client API > Open API > Query the list > of positions held > by the customer",
        ] {
            assert_eq!(upstream().shared(&prose_only(text)), None, "{text}");
        }
    }

    #[test]
    fn examples_and_provenance_are_data() {
        let yaml = "example: Query the list of positions held by the customer, a page at a time\n\
                    x-mm-source: Query the list of positions held by the customer, a page at a time\n";
        assert!(ours("openapi/x.yaml", yaml).is_empty());
    }
}

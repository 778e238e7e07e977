//! Upstream's answers, as its exports wrote them, are evidence of what a server sends: the
//! import keeps each one unchanged under `examples/<area>/upstream/` and lists it on its
//! operation (`x-mm-upstream-examples`; a hand-kept spec's operation in
//! `openapi/import/answers.yaml`). Each must decode through its operation's own decoder:
//! a success to the operation's data, a failure to the API error with upstream's code. Where
//! an answer disagrees with its schema, the type must accept it; the answer is never changed.

use std::collections::BTreeSet;
use std::path::Path;

use mm_sdk_core::ErrorKind;
use mm_sdk_tests::{areas, workspace_root};
use serde_json::Value;

/// One operation of a hand-kept spec, in `openapi/import/answers.yaml`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct HandKept {
    spec: String,
    operation: String,
    api: String,
    answers: serde_json::Value,
}

/// One entry of `x-mm-upstream-examples`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Entry {
    /// The answer's JSON, relative to `openapi/`.
    file: String,
    /// `success` or `failure`, as the import read the envelope.
    answer: String,
    /// `data` where upstream shows the bare data, not the envelope.
    shows: Option<String>,
    /// Where upstream's text is not JSON: that text, relative to `openapi/`; `file` is then
    /// its smallest repair.
    as_written: Option<String>,
    /// What the repair removed.
    repaired: Option<String>,
    /// How the import widened the schema to accept it.
    widened: Option<Vec<String>>,
    /// Where it disagrees with a schema in a way no widening accepts: a person decides the
    /// type. Its decoding must fail until then (and the import stops listing it once the
    /// type accepts it).
    unaccepted: Option<Vec<String>>,
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// What the import counted of the answers it kept (the README's table of its rewrites).
fn counted_in_readme() -> usize {
    let readme = std::fs::read_to_string(workspace_root().join("openapi/README.md")).unwrap();
    let row =
        "| upstream's answer kept as written (`x-mm-upstream-examples`, `import/answers.yaml`) | ";
    let line = readme
        .lines()
        .find_map(|line| line.strip_prefix(row))
        .expect("the README counts the answers kept");
    line.trim_end_matches(" |").parse().unwrap()
}

#[test]
fn every_upstream_answer_decodes_unchanged() {
    let openapi = workspace_root().join("openapi");
    let mut problems = Vec::new();
    let mut listed = BTreeSet::new();
    let (mut successes, mut failures) = (0, 0);
    let mut unaccepted = Vec::new();
    let mut widened = 0;
    // Every operation's answers: the imported specs list theirs, the hand-kept specs' are
    // in the import's list.
    let mut listed_answers: Vec<(String, String, serde_json::Value)> = Vec::new();
    for loaded in areas() {
        let api = loaded.model.api.as_str();
        for (_, _, operation) in loaded.spec.openapi.operations() {
            if let Some(entries) = operation.extensions.get("x-mm-upstream-examples") {
                let id = operation.operation_id.clone().unwrap();
                listed_answers.push((api.to_owned(), id, entries.clone()));
            }
        }
    }
    let hand_kept: Vec<HandKept> =
        serde_yaml_ng::from_slice(&read(&openapi.join("import/answers.yaml"))).unwrap();
    for kept in hand_kept {
        assert!(
            openapi.join(&kept.spec).is_file(),
            "import/answers.yaml: no hand-kept spec `{}`",
            kept.spec
        );
        listed_answers.push((kept.api, kept.operation, kept.answers));
    }
    for (api, id, entries) in listed_answers {
        let op = mm_sdk_generated::operations()
            .find(|op| op.api.as_str() == api && op.id == id)
            .unwrap_or_else(|| panic!("{api} `{id}` is not generated"));
        let entries: Vec<Entry> = serde_json::from_value(entries)
            .unwrap_or_else(|e| panic!("{api} `{id}`: x-mm-upstream-examples: {e}"));
        for entry in entries {
            let at = format!("{api} `{id}`, {}", entry.file);
            listed.insert(entry.file.clone());
            if let Some(text) = &entry.as_written {
                listed.insert(text.clone());
                let written = read(&openapi.join(text));
                assert!(
                    serde_json::from_slice::<Value>(&written).is_err(),
                    "{at}: {text} is JSON as written, so it needs no repair"
                );
                assert!(entry.repaired.is_some(), "{at}: the repair is not named");
            }
            let mut body = read(&openapi.join(&entry.file));
            if entry.shows.as_deref() == Some("data") {
                // Upstream shows the data alone: a server sends it in the envelope.
                let data: Value = serde_json::from_slice(&body).unwrap();
                body = serde_json::to_vec(&serde_json::json!({"code": "0", "data": data})).unwrap();
            }
            let decoded = op.codec.response(op, &body);
            widened += entry.widened.as_ref().map_or(0, Vec::len);
            if let Some(why) = &entry.unaccepted {
                match decoded {
                    Err(_) => unaccepted.push(format!("{at}: {}", why.join("; "))),
                    Ok(_) => problems.push(format!(
                        "{at}: decodes, although the import says no type accepts it"
                    )),
                }
                continue;
            }
            match (entry.answer.as_str(), decoded) {
                ("success", Ok(_)) => successes += 1,
                ("failure", Err(error)) => match error.kind() {
                    ErrorKind::Api(failure) => {
                        let sent: Value = serde_json::from_slice(&body).unwrap();
                        let code = match &sent["code"] {
                            Value::String(code) => code.clone(),
                            other => other.to_string(),
                        };
                        if failure.code != code {
                            problems.push(format!(
                                "{at}: the failure's code reads as `{}`, upstream sent `{code}`",
                                failure.code
                            ));
                        }
                        failures += 1;
                    }
                    _ => problems.push(format!("{at}: a failure that reads as {error}")),
                },
                ("success", Err(error)) => problems.push(format!("{at}: {error}")),
                ("failure", Ok(_)) => {
                    problems.push(format!("{at}: upstream's failure reads as a success"))
                }
                (other, _) => problems.push(format!("{at}: unknown answer `{other}`")),
            }
        }
    }
    // No file of upstream's is left unlisted, and the count is the import's.
    let mut on_disk = BTreeSet::new();
    for area in std::fs::read_dir(openapi.join("examples")).unwrap() {
        let dir = area.unwrap().path().join("upstream");
        let Ok(files) = std::fs::read_dir(&dir) else {
            continue;
        };
        for file in files {
            let path = file.unwrap().path();
            let relative = path.strip_prefix(&openapi).unwrap();
            on_disk.insert(relative.to_string_lossy().into_owned());
        }
    }
    let unlisted: Vec<_> = on_disk.difference(&listed).collect();
    assert!(
        unlisted.is_empty(),
        "not listed by any operation: {unlisted:?}"
    );
    println!(
        "{successes} successes and {failures} failures decode ({widened} schema changes for \
         them); {} not accepted yet:\n{}",
        unaccepted.len(),
        unaccepted.join("\n")
    );
    assert_eq!(
        successes + failures + unaccepted.len() + problems.len(),
        counted_in_readme(),
        "answers decoded against answers the import kept"
    );
    assert!(
        problems.is_empty(),
        "{} of upstream's answers do not decode ({successes} successes and {failures} failures \
         do):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

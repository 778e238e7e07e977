//! The words of the imported specs, written here: each operation's title and description, and
//! each field's sentence. They live in `openapi/import/prose/`, which a person edits and the
//! import reads, so that a re-import keeps every word of them:
//!
//! - `operations.yaml`: by the operation's path as our specs write it, `{summary,
//!   description}`.
//! - `fields.yaml`: by the field's wire name, one sentence for the name wherever it is, or a
//!   map from where it is to the sentence there: `<area>:<Component>.<path>` (one field),
//!   `<area>:<Component>` (that component's fields of the name) or `"*"` (the others).
//!
//! Upstream's descriptions are read to write them (they are facts: values, units, formats),
//! never copied: `cargo xtask prose-check` finds any run of eight words shared with
//! upstream's text. A field the glossary does not cover gets a description of its facts alone
//! (its wire name and type), counted in the README as facts-only; an operation it does not
//! cover keeps the title made from its name and no description, also counted.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use serde_yaml_ng::{Mapping, Value};

use crate::Error;
use crate::area::Area;
use crate::money;

/// An operation's words.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationProse {
    /// Its title: a short imperative phrase, without a full stop.
    pub summary: String,
    /// What it does and when to use it.
    pub description: String,
}

/// A field name's sentence: one for every place, or one per place.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum FieldProse {
    /// The same sentence wherever the name is.
    Everywhere(String),
    /// By `<area>:<Component>.<path>`, `<area>:<Component>` or `"*"`.
    ByPlace(BTreeMap<String, String>),
}

impl FieldProse {
    /// The sentence for the field at `path` of `component` in `area`, the most specific first.
    fn at(&self, area: &str, component: &str, path: &str) -> Option<&str> {
        match self {
            Self::Everywhere(text) => Some(text),
            Self::ByPlace(places) => places
                .get(&format!("{area}:{component}.{path}"))
                .or_else(|| places.get(&format!("{area}:{component}")))
                .or_else(|| places.get("*"))
                .map(String::as_str),
        }
    }
}

/// The words of `openapi/import/prose/`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prose {
    /// By the operation's path.
    pub operations: BTreeMap<String, OperationProse>,
    /// By the field's wire name.
    pub fields: BTreeMap<String, FieldProse>,
}

/// The README's counts of the words: how many operations and fields have a sentence written
/// here, and how many only the facts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Operations with a description written here.
    pub operations_written: usize,
    /// Operations with none (their title is made from their name).
    pub operations_facts_only: usize,
    /// Fields with a sentence written here.
    pub fields_written: usize,
    /// Fields whose description says only their facts.
    pub fields_facts_only: usize,
}

impl Prose {
    /// The words of `operations` and `fields` (the contents of the two files), `name`d in
    /// errors by their files.
    pub fn parse(operations: &str, fields: &str) -> Result<Self, Error> {
        let read =
            |file: &str, text: &str| Error::new(format!("openapi/import/prose/{file}: {text}"));
        let operations: BTreeMap<String, OperationProse> = serde_yaml_ng::from_str(operations)
            .map_err(|e| read("operations.yaml", &e.to_string()))?;
        let fields: BTreeMap<String, FieldProse> =
            serde_yaml_ng::from_str(fields).map_err(|e| read("fields.yaml", &e.to_string()))?;
        for (path, words) in &operations {
            for (what, text) in [
                ("summary", &words.summary),
                ("description", &words.description),
            ] {
                if text.trim().is_empty() {
                    return Err(read(
                        "operations.yaml",
                        &format!("`{path}` has an empty {what}"),
                    ));
                }
            }
        }
        for (name, prose) in &fields {
            let empty = match prose {
                FieldProse::Everywhere(text) => text.trim().is_empty(),
                FieldProse::ByPlace(places) => {
                    places.is_empty() || places.values().any(|text| text.trim().is_empty())
                }
            };
            if empty {
                return Err(read(
                    "fields.yaml",
                    &format!("`{name}` has an empty sentence"),
                ));
            }
        }
        Ok(Prose { operations, fields })
    }
}

/// Gives each operation of `areas` its words (its `summary` and `description`) and each field
/// without a description its sentence, or a description of its facts; counts them, and returns
/// the names of `prose`'s fields that no field of `areas` has: entries a re-import no longer
/// uses (upstream dropped or renamed the field).
pub(crate) fn apply(prose: &Prose, areas: &mut [Area]) -> (Coverage, Vec<String>) {
    let mut coverage = Coverage::default();
    let mut seen = BTreeSet::new();
    for area in areas.iter_mut() {
        let name = area.name.clone();
        if let Some(paths) = area.spec["paths"].as_mapping_mut() {
            for (path, item) in paths.iter_mut() {
                let words = path.as_str().and_then(|p| prose.operations.get(p));
                for (_, operation) in item.as_mapping_mut().into_iter().flatten() {
                    let Some(operation) = operation.as_mapping_mut() else {
                        continue;
                    };
                    match words {
                        Some(words) => {
                            coverage.operations_written += 1;
                            operation.insert("summary".into(), words.summary.clone().into());
                            insert_after(
                                operation,
                                "summary",
                                "description",
                                words.description.clone().into(),
                            );
                        }
                        None => coverage.operations_facts_only += 1,
                    }
                }
            }
        }
        if let Some(schemas) = area.spec["components"]["schemas"].as_mapping_mut() {
            for (component, schema) in schemas.iter_mut() {
                let component = component.as_str().unwrap_or_default().to_owned();
                money::visit_fields(schema, &mut |path, wire, property| {
                    seen.insert(wire.to_owned());
                    // A field the import describes already keeps that, after the sentence of a
                    // field named like money that holds text (`x-mm-not-money`).
                    let said = property["description"].as_str().map(str::to_owned);
                    if property.get("$ref").is_some()
                        || (said.is_some() && property.get("x-mm-not-money").is_none())
                    {
                        return;
                    }
                    let written = prose
                        .fields
                        .get(wire)
                        .and_then(|words| words.at(&name, &component, path));
                    let text = match written {
                        Some(text) => {
                            coverage.fields_written += 1;
                            text.trim().to_owned()
                        }
                        None => {
                            coverage.fields_facts_only += 1;
                            facts(wire, property)
                        }
                    };
                    let text = match said {
                        Some(said) => format!("{text} {said}"),
                        None => text,
                    };
                    if let Some(map) = property.as_mapping_mut() {
                        insert_after(map, "type", "description", text.into());
                    }
                });
            }
        }
    }
    let unused = prose
        .fields
        .keys()
        .filter(|name| !seen.contains(name.as_str()))
        .cloned()
        .collect();
    (coverage, unused)
}

/// The description of a field no sentence covers: its wire name and what its schema says.
fn facts(wire: &str, property: &Value) -> String {
    let of = |value: &Value| {
        let kind = value["type"].as_str().unwrap_or("any JSON");
        match (kind, value["format"].as_str(), value["x-mm-enum"].as_str()) {
            (_, _, Some(concept)) => format!("a code of `{concept}`"),
            ("string", Some("decimal"), _) | ("number", Some("decimal"), _) => "a decimal".into(),
            ("integer", Some("int64"), _) => "an integer (64 bits)".into(),
            ("integer", _, _) => "an integer".into(),
            ("string", _, _) => "text".into(),
            ("boolean", _, _) => "true or false".into(),
            ("object", _, _) => "an object".into(),
            (other, _, _) => other.to_owned(),
        }
    };
    let what = if property["type"].as_str() == Some("array") {
        format!("a list, each item {}", of(&property["items"]))
    } else {
        of(property)
    };
    format!("`{wire}`: {what}.")
}

/// Puts `key` → `value` in `map` right after `after` (at the end without it), replacing the
/// key's old value.
fn insert_after(map: &mut Mapping, after: &str, key: &str, value: Value) {
    map.remove(key);
    let mut value = Some(value);
    for (k, v) in std::mem::take(map) {
        let here = k.as_str() == Some(after);
        map.insert(k, v);
        if here && let Some(value) = value.take() {
            map.insert(key.into(), value);
        }
    }
    if let Some(value) = value {
        map.insert(key.into(), value);
    }
}

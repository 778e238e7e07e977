//! The components of several exports of one API as one namespace, for an area whose operations
//! come from more than one of them (the Client API's English and Chinese editions): the first
//! export's components as they are, then each other's that the namespace lacks. Where a later
//! export has a component of the same name that says something else (once prose, examples and
//! vendor extensions are set aside), or one that refers to such a component, its own is kept
//! beside the first's under a new name, and its operations are read with that name.

use std::collections::{BTreeMap, BTreeSet};

use serde_yaml_ng::{Mapping, Value};

use crate::export::Document;

/// The union of the components of some exports.
#[derive(Debug)]
pub(crate) struct Components<'d> {
    /// Every component, by its name here.
    pub(crate) schemas: Mapping,
    /// Per document: upstream's name → the name here, where they differ.
    renames: Vec<(&'d Document, BTreeMap<String, String>)>,
}

impl<'d> Components<'d> {
    /// The components of `documents`, the first's names kept (see the module's documentation).
    pub(crate) fn of(documents: &[&'d Document]) -> Self {
        let mut union = Components {
            schemas: Mapping::new(),
            renames: Vec::new(),
        };
        for document in documents {
            let empty = Mapping::new();
            let theirs = document.components().unwrap_or(&empty);
            let renames = union.conflicts(theirs, document.export().language);
            for (name, schema) in theirs {
                let Some(name) = name.as_str() else {
                    continue;
                };
                let target = renames.get(name).map_or(name, String::as_str);
                if !union.schemas.contains_key(target) {
                    union
                        .schemas
                        .insert(Value::from(target), rewrite(schema, &renames));
                }
            }
            union.renames.push((document, renames));
        }
        union
    }

    /// The renames of `document`'s components (none where it is not one of the union's).
    pub(crate) fn renames_of(&self, document: &Document) -> Option<&BTreeMap<String, String>> {
        self.renames
            .iter()
            .find(|(d, _)| std::ptr::eq(*d, document))
            .map(|(_, renames)| renames)
            .filter(|renames| !renames.is_empty())
    }

    /// The components of `theirs` that must be renamed to join: those whose schema differs
    /// from the one of the same name here, and those that refer to one of them, however
    /// indirectly. Each gets its name with the export's `language` after it, numbered if
    /// that is taken too.
    fn conflicts(&self, theirs: &Mapping, language: &str) -> BTreeMap<String, String> {
        let mut conflicting: BTreeSet<&str> = theirs
            .iter()
            .filter(|(name, schema)| {
                self.schemas
                    .get(*name)
                    .is_some_and(|ours| meaning(ours) != meaning(schema))
            })
            .filter_map(|(name, _)| name.as_str())
            .collect();
        loop {
            let more: Vec<&str> = theirs
                .iter()
                .filter_map(|(name, schema)| {
                    let name = name.as_str()?;
                    let joins = self.schemas.contains_key(name) && !conflicting.contains(name);
                    let refers = references(schema).iter().any(|r| conflicting.contains(r));
                    (joins && refers).then_some(name)
                })
                .collect();
            if more.is_empty() {
                break;
            }
            conflicting.extend(more);
        }
        let suffix = pascal(language);
        let mut renames = BTreeMap::new();
        for name in conflicting {
            let base = format!("{name}{suffix}");
            let mut renamed = base.clone();
            let mut n = 2;
            while self.schemas.contains_key(renamed.as_str())
                || theirs.contains_key(renamed.as_str())
                || renames.values().any(|r| *r == renamed)
            {
                renamed = format!("{base}{n}");
                n += 1;
            }
            renames.insert(name.to_owned(), renamed);
        }
        renames
    }
}

/// `language` with a capital first letter (`zh` → `Zh`).
fn pascal(language: &str) -> String {
    let mut chars = language.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// What a schema says, as the import reads it: without its prose, examples and vendor
/// extensions. A map of names to schemas (`properties`) keeps every name, `title` and
/// `description` among them: there they are fields, not prose.
fn meaning(schema: &Value) -> Value {
    match schema {
        Value::Mapping(fields) => Value::Mapping(
            fields
                .iter()
                .filter(|(key, _)| {
                    !key.as_str().is_some_and(|k| {
                        matches!(k, "description" | "title" | "example" | "examples")
                            || k.starts_with("x-")
                    })
                })
                .map(|(key, value)| {
                    let value = match (key.as_str(), value) {
                        (Some("properties"), Value::Mapping(named)) => Value::Mapping(
                            named
                                .iter()
                                .map(|(name, schema)| (name.clone(), meaning(schema)))
                                .collect(),
                        ),
                        _ => meaning(value),
                    };
                    (key.clone(), value)
                })
                .collect(),
        ),
        Value::Sequence(items) => Value::Sequence(items.iter().map(meaning).collect()),
        other => other.clone(),
    }
}

/// The components `schema` refers to (`$ref: '#/components/schemas/<name>'`).
fn references(schema: &Value) -> Vec<&str> {
    let mut found = Vec::new();
    let mut pending = vec![schema];
    while let Some(value) = pending.pop() {
        match value {
            Value::Mapping(fields) => {
                for (key, value) in fields {
                    match (key.as_str(), value.as_str()) {
                        (Some("$ref"), Some(target)) => {
                            found.extend(target.strip_prefix("#/components/schemas/"));
                        }
                        _ => pending.push(value),
                    }
                }
            }
            Value::Sequence(items) => pending.extend(items),
            _ => {}
        }
    }
    found
}

/// `schema` with its references to the components `renames` names renamed.
pub(crate) fn rewrite(schema: &Value, renames: &BTreeMap<String, String>) -> Value {
    if renames.is_empty() {
        return schema.clone();
    }
    match schema {
        Value::Mapping(fields) => Value::Mapping(
            fields
                .iter()
                .map(|(key, value)| {
                    let renamed = (key.as_str() == Some("$ref"))
                        .then(|| value.as_str())
                        .flatten()
                        .and_then(|r| r.strip_prefix("#/components/schemas/"))
                        .and_then(|name| renames.get(name))
                        .map(|name| Value::from(format!("#/components/schemas/{name}")));
                    (
                        key.clone(),
                        renamed.unwrap_or_else(|| rewrite(value, renames)),
                    )
                })
                .collect(),
        ),
        Value::Sequence(items) => {
            Value::Sequence(items.iter().map(|item| rewrite(item, renames)).collect())
        }
        other => other.clone(),
    }
}

#[cfg(test)]
#[allow(clippy::panic)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Value {
        serde_yaml_ng::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn prose_is_not_meaning_but_a_field_named_like_it_is() {
        let described =
            yaml("{type: object, description: one, properties: {a: {type: string, title: A}}}");
        let other_words = yaml("{type: object, description: two, properties: {a: {type: string}}}");
        assert_eq!(meaning(&described), meaning(&other_words));
        let title_text = yaml("{type: object, properties: {title: {type: string}}}");
        let title_number = yaml("{type: object, properties: {title: {type: integer}}}");
        assert_ne!(meaning(&title_text), meaning(&title_number));
        let no_title = yaml("{type: object, properties: {}}");
        assert_ne!(meaning(&title_text), meaning(&no_title));
    }
}

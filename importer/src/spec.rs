//! One of our specs, as the caller read it: its file and its document.

use serde_yaml_ng::Value;

use crate::export::{EXPORTS, Export};

/// One of our specs.
#[derive(Debug, Clone)]
pub struct Spec {
    /// Its file, as messages name it.
    pub file: String,
    /// Its document.
    pub value: Value,
}

impl Spec {
    /// Spec `value`, read from `file`.
    pub fn new(file: impl Into<String>, value: Value) -> Self {
        Spec {
            file: file.into(),
            value,
        }
    }

    /// Its API (`x-mm-api`).
    pub fn api(&self) -> Option<&str> {
        self.value["x-mm-api"].as_str()
    }

    /// The exports it was imported from: those its `info.description` names, as the import
    /// writes it; none for a hand-kept spec.
    pub fn imported_from(&self) -> Vec<&'static Export> {
        let Some(description) = self.value["info"]["description"].as_str() else {
            return Vec::new();
        };
        EXPORTS
            .iter()
            .filter(|export| description.contains(&format!("export (`{}`)", export.file)))
            .collect()
    }

    /// Its operations: (path, METHOD, operation), in its order.
    pub fn operations(&self) -> impl Iterator<Item = (&str, String, &Value)> {
        self.value["paths"]
            .as_mapping()
            .into_iter()
            .flatten()
            .flat_map(|(path, item)| {
                let path = path.as_str().unwrap_or_default();
                item.as_mapping()
                    .into_iter()
                    .flatten()
                    .map(move |(method, op)| {
                        let method = method.as_str().unwrap_or_default().to_ascii_uppercase();
                        (path, method, op)
                    })
            })
    }
}

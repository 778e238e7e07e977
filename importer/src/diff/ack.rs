//! The acknowledgements file: what a person decided to do differently from upstream's export,
//! one difference (or several fields or headers of one operation) per entry, with why. A YAML
//! list of entries:
//!
//! ```yaml
//! - export: MultiMarkets-ClientAPI.openapi.en.yaml # the importer's export compared
//!   operation: login     # its operationId, or `METHOD path` as our specs write the path
//!   kind: field-required # added-operation, removed-operation, field-added, field-removed,
//!                        # field-retyped, field-required, header-added, header-removed,
//!                        # header-required, header-spelling
//!   field: data.token    # for the field-* kinds; `header: <name>` for the header-* kinds
//!   why: The SDK cannot keep a session without it, so ours requires it.
//! ```
//!
//! One decision about several fields or headers of an operation lists them in `fields` or
//! `headers` instead (one per line: `[]` does not fit in a YAML flow list).

use std::collections::BTreeMap;

use serde_yaml_ng::{Mapping, Value};

use super::difference::{Difference, Kind, Subject};
use crate::{Error, export};

/// An entry of the acknowledgements file.
#[derive(Debug)]
pub struct Ack {
    /// Its position in the file, from 1.
    pub(super) entry: usize,
    /// The importer's export it is about.
    pub(super) export: String,
    /// Its operation: an `operationId`, or `METHOD path` as our specs write the path.
    pub(super) operation: String,
    pub(super) kind: Kind,
    /// The fields or headers, for the kinds about them.
    pub(super) subjects: Vec<String>,
}

/// The keys an entry may have.
const ACK_KEYS: [&str; 8] = [
    "export",
    "operation",
    "kind",
    "field",
    "fields",
    "header",
    "headers",
    "why",
];

impl Ack {
    /// The entries of the acknowledgements file `file`, read as `value` (see the module's
    /// documentation).
    pub fn parse_all(file: &str, value: &Value) -> Result<Vec<Ack>, Error> {
        let entries = match value {
            Value::Null => &Vec::new(),
            Value::Sequence(entries) => entries,
            _ => return Err(Error::new(format!("{file}: not a list of entries"))),
        };
        let mut acks = Vec::new();
        let mut claimed: BTreeMap<(String, String, Kind, Option<String>), usize> = BTreeMap::new();
        for (index, value) in entries.iter().enumerate() {
            let ack = Ack::parse(index + 1, value)
                .map_err(|e| Error::new(format!("{file}: entry {}: {e}", index + 1)))?;
            for claim in ack.claims() {
                if let Some(first) = claimed.insert(claim, ack.entry) {
                    return Err(Error::new(format!(
                        "{file}: entry {} acknowledges again what entry {first} does",
                        ack.entry
                    )));
                }
            }
            acks.push(ack);
        }
        Ok(acks)
    }

    fn parse(entry: usize, value: &Value) -> Result<Ack, String> {
        let fields = value.as_mapping().ok_or("not a mapping")?;
        if let Some(key) = fields
            .keys()
            .find(|k| !k.as_str().is_some_and(|k| ACK_KEYS.contains(&k)))
        {
            return Err(format!(
                "unknown key {key:?} (known: {})",
                ACK_KEYS.join(", ")
            ));
        }
        let export = text(fields, "export")?;
        if export::find(&export).is_none() {
            return Err(format!(
                "`export` is `{export}`, not one of the importer's exports ({})",
                export::files()
            ));
        }
        let kind: Kind = text(fields, "kind")?.parse()?;
        text(fields, "why")?;
        Ok(Ack {
            entry,
            export,
            operation: text(fields, "operation")?,
            kind,
            subjects: subjects(fields, kind)?,
        })
    }

    /// What it acknowledges, one difference each: its export, operation, kind and subject.
    fn claims(&self) -> Vec<(String, String, Kind, Option<String>)> {
        let claim = |subject: Option<&String>| {
            let subject = subject.map(|s| match self.kind.subject() {
                Subject::Header => s.to_ascii_lowercase(),
                _ => s.clone(),
            });
            (
                self.export.clone(),
                self.operation.clone(),
                self.kind,
                subject,
            )
        };
        if self.subjects.is_empty() {
            return vec![claim(None)];
        }
        self.subjects.iter().map(|s| claim(Some(s))).collect()
    }

    /// Whether it acknowledges `difference` (of its export): with which of its subjects.
    pub(super) fn covers(&self, difference: &Difference) -> Option<Option<&str>> {
        if self.kind != difference.kind || !difference.operation.is_named(&self.operation) {
            return None;
        }
        let Some(subject) = &difference.subject else {
            return self.subjects.is_empty().then_some(None);
        };
        let same = |s: &&String| match self.kind.subject() {
            Subject::Header => s.eq_ignore_ascii_case(subject),
            _ => *s == subject,
        };
        self.subjects.iter().find(same).map(|s| Some(s.as_str()))
    }
}

/// The string `key` of an entry.
fn text(fields: &Mapping, key: &str) -> Result<String, String> {
    match fields.get(key) {
        None => Err(format!("`{key}` is missing")),
        Some(value) => string(value, key),
    }
}

fn string(value: &Value, key: &str) -> Result<String, String> {
    match value.as_str() {
        Some(text) if !text.trim().is_empty() => Ok(text.to_owned()),
        _ => Err(format!(
            "`{key}` has a value that is not a non-empty string"
        )),
    }
}

/// The fields or headers an entry of `kind` names: one (`field`, `header`) or a list
/// (`fields`, `headers`); none for the kinds about whole operations.
fn subjects(fields: &Mapping, kind: Kind) -> Result<Vec<String>, String> {
    let given: Vec<&str> = ["field", "fields", "header", "headers"]
        .into_iter()
        .filter(|key| fields.contains_key(*key))
        .collect();
    let (one, many) = match kind.subject() {
        Subject::Operation if given.is_empty() => return Ok(Vec::new()),
        Subject::Operation => return Err(format!("`{kind}` takes no `{}`", given[0])),
        Subject::Field => ("field", "fields"),
        Subject::Header => ("header", "headers"),
    };
    if given != [one] && given != [many] {
        return Err(format!(
            "`{kind}` takes one of `{one}` (one) or `{many}` (a list), not {}",
            if given.is_empty() {
                "none".to_owned()
            } else {
                format!("`{}`", given.join("`, `"))
            }
        ));
    }
    match (fields.get(one), fields.get(many)) {
        (Some(value), _) => Ok(vec![string(value, one)?]),
        (None, Some(Value::Sequence(list))) if !list.is_empty() => {
            list.iter().map(|value| string(value, many)).collect()
        }
        (None, _) => Err(format!("`{many}` is not a non-empty list")),
    }
}

//! The command table of the `mm` command line (`cli/src/commands.json`): one entry per
//! operation, with what a command needs that the operation table (`mm_sdk_core::Operation`)
//! does not say: the spec's summary and description, the request's top-level fields (their
//! JSON type, format, codes and docs) and the first documented request example. The CLI
//! builds its command tree from it at run time, so 400 commands cost no compile time.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};
use serde_json::{Value, json};

use crate::crates::Area;
use crate::model::{Model, Source};
use crate::{Error, Spec};

/// The table's path, relative to the workspace root.
pub(crate) const TABLE: &str = "cli/src/commands.json";

/// The table of every operation of `areas`, if the workspace has a CLI.
pub(crate) fn file(
    root: &Path,
    areas: &[(&Area, &Spec, &Model)],
) -> Result<Option<(PathBuf, String)>, Error> {
    if !root.join("cli/Cargo.toml").exists() {
        return Ok(None);
    }
    let concepts = crate::enums::concepts(root)?;
    let mut commands = Vec::new();
    for (_, spec, model) in areas {
        for op in &model.operations {
            let Some((_, _, operation)) = spec
                .openapi
                .operations()
                .find(|(_, _, o)| o.operation_id.as_deref() == Some(op.id.as_str()))
            else {
                continue;
            };
            let base = spec.path.parent().unwrap_or(Path::new(""));
            let example = crate::model::request_examples(operation)
                .next()
                .map(|file| read_example(&base.join(file)))
                .transpose()?;
            let traced = op.encoding == crate::model::Encoding::Traced;
            let example = match (example, traced) {
                (Some(example), true) => Some(example["data"].clone()),
                (example, _) => example,
            };
            let arguments: Vec<Value> = op
                .headers
                .iter()
                .chain(&op.query)
                .filter_map(|p| match p.source {
                    Source::Argument(index) => Some((index, p)),
                    _ => None,
                })
                .map(|(index, p)| {
                    json!({
                        "index": index,
                        "name": p.name,
                        "flag": kebab(&p.argument),
                        "required": p.required,
                        "doc": p.description,
                        "example": p.example,
                    })
                })
                .collect();
            let mut taken: Vec<String> = RESERVED_FLAGS.iter().map(|f| (*f).to_owned()).collect();
            taken.extend(
                arguments
                    .iter()
                    .map(|a| a["flag"].as_str().unwrap_or_default().to_owned()),
            );
            let fields = match (&op.body.schema, op.body.empty) {
                (Some(name), false) => {
                    crate::model::component(&spec.openapi, &format!("#/components/schemas/{name}"))
                        .map(|schema| fields(spec, schema, &concepts, &mut taken))
                        .unwrap_or_default()
                }
                _ => Vec::new(),
            };
            commands.push(json!({
                "api": model.api.as_str(),
                "group": kebab(&op.group),
                "command": kebab(&op.id),
                "id": op.id,
                "summary": op.summary,
                "description": op.description,
                "method": op.method,
                "path": op.path,
                "per_call_token": op.credential.is_per_call(),
                "paged": op.paging.is_some(),
                "arguments": arguments,
                "fields": fields,
                "example": example,
            }));
        }
    }
    let text = serde_json::to_string_pretty(&json!({
        "generated": "by `cargo xtask codegen` from openapi/*.yaml; do not edit",
        "commands": commands,
    }))
    .map_err(|e| Error::Generate {
        path: root.join(TABLE),
        message: e.to_string(),
    })?;
    Ok(Some((PathBuf::from(TABLE), text + "\n")))
}

/// `order_add_market_order` → `order-add-market-order`.
fn kebab(name: &str) -> String {
    name.replace('_', "-")
}

fn read_example(path: &Path) -> Result<Value, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|e| Error::Syntax {
        path: path.to_owned(),
        location: Some((e.line(), e.column())),
        pointer: None,
        message: e.to_string(),
    })
}

/// The flags `mm` gives every command (or may give it): a field whose flag would be one of
/// them is set through `--body` only.
const RESERVED_FLAGS: [&str; 7] = [
    "body", "output", "sandbox", "profile", "all", "help", "version",
];

/// The top-level fields of an object schema: name, JSON type, format, codes, whether
/// required, doc, and its flag: a scalar field's, unless `taken` (the reserved flags, the
/// call's arguments, an earlier field's) has it already, when it is `null`.
fn fields(
    spec: &Spec,
    schema: &Schema,
    concepts: &BTreeMap<String, crate::enums::Concept>,
    taken: &mut Vec<String>,
) -> Vec<Value> {
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
        return Vec::new();
    };
    object
        .properties
        .iter()
        .map(|(name, property)| {
            let property = match property {
                ReferenceOr::Item(schema) => Some(&**schema),
                ReferenceOr::Reference { reference } => {
                    crate::model::component(&spec.openapi, reference)
                }
            };
            let (kind, format, values) = match property.map(|p| &p.schema_kind) {
                Some(SchemaKind::Type(Type::String(s))) => (
                    "string",
                    format_of(&s.format),
                    s.enumeration.iter().flatten().map(|v| json!(v)).collect(),
                ),
                Some(SchemaKind::Type(Type::Integer(i))) => (
                    "integer",
                    format_of(&i.format),
                    i.enumeration.iter().flatten().map(|v| json!(v)).collect(),
                ),
                Some(SchemaKind::Type(Type::Number(n))) => (
                    "number",
                    format_of(&n.format),
                    n.enumeration.iter().flatten().map(|v| json!(v)).collect(),
                ),
                Some(SchemaKind::Type(Type::Boolean(_))) => ("boolean", None, Vec::new()),
                Some(SchemaKind::Type(Type::Array(_))) => ("array", None, Vec::new()),
                _ => ("object", None, Vec::new()),
            };
            let extensions = property.map(|p| &p.schema_data.extensions);
            let flag = Some(flag(name)).filter(|f| {
                matches!(kind, "string" | "integer" | "number" | "boolean") && !taken.contains(f)
            });
            taken.extend(flag.clone());
            // A concept's codes, each with its name: listed in the flag's help (not enforced:
            // a code newer than this table still goes through).
            let concept = extensions
                .and_then(|e| e.get(crate::enums::EXTENSION))
                .and_then(serde_json::Value::as_str)
                .and_then(|name| concepts.get(name));
            let codes: Vec<Value> = concept
                .map(|c| {
                    c.codes()
                        .map(|(code, name)| json!({ "code": code.trim_matches('"'), "name": name }))
                        .collect()
                })
                .unwrap_or_default();
            json!({
                "name": name,
                "flag": flag,
                "type": kind,
                "format": format,
                "enum": extensions.and_then(|e| e.get(crate::enums::EXTENSION)),
                "values": values,
                "codes": codes,
                "required": object.required.contains(name),
                "doc": property.and_then(|p| p.schema_data.description.as_deref()),
            })
        })
        .collect()
}

/// `requestNum` → `request-num`: a flag's name.
fn flag(name: &str) -> String {
    let mut flag = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                flag.push('-');
            }
            flag.push(c.to_ascii_lowercase());
        } else if c == '_' {
            flag.push('-');
        } else {
            flag.push(c);
        }
    }
    flag
}

fn format_of<T: std::fmt::Debug>(format: &openapiv3::VariantOrUnknownOrEmpty<T>) -> Option<String> {
    match format {
        openapiv3::VariantOrUnknownOrEmpty::Item(item) => Some(format!("{item:?}").to_lowercase()),
        openapiv3::VariantOrUnknownOrEmpty::Unknown(name) => Some(name.clone()),
        openapiv3::VariantOrUnknownOrEmpty::Empty => None,
    }
}

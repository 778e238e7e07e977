//! What the Rust types really accept, as `schemars` derives it from their serde attributes,
//! against what the specs say: for every type made from a component schema, the same fields
//! under the same names, the same ones required, each of the same kind, and the same enum
//! values. A difference here is a field the SDK would refuse or drop, or a value it would
//! send that upstream does not expect.

use std::collections::BTreeSet;

use mm_sdk_tests::{areas, workspace_root};
use serde_json::Value;

/// The kind of JSON value a schema admits, `None` where it admits any or cannot say.
fn kind(schema: &Value, definitions: &Value, depth: usize) -> Option<String> {
    if depth > 16 {
        return None;
    }
    if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
        let name = target.rsplit('/').next().unwrap_or_default();
        // A file of a multipart request: `mm_sdk_core::Upload`, whose JSON form is an object.
        if name == "Upload" {
            return Some("file".into());
        }
        return kind(&definitions[name], definitions, depth + 1);
    }
    for combinator in ["anyOf", "oneOf", "allOf"] {
        if let Some(branches) = schema.get(combinator).and_then(Value::as_array) {
            // A nullable reference: the branch that is not the `null`.
            let kinds: BTreeSet<String> = branches
                .iter()
                .filter(|b| !is_null(b))
                .filter_map(|b| kind(b, definitions, depth + 1))
                .collect();
            return (kinds.len() == 1).then(|| kinds.into_iter().next().unwrap_or_default());
        }
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => return None,
    };
    let mut types = types.into_iter().filter(|t| *t != "null");
    let (Some(t), None) = (types.next(), types.next()) else {
        return None;
    };
    let decimal = schema.get("format").and_then(Value::as_str) == Some("decimal")
        // `rust_decimal::Decimal`, as schemars describes it.
        || schema.pointer("/pattern").and_then(Value::as_str) == Some(r"^-?[0-9]+(\.[0-9]+)?$");
    Some(match t {
        "array" => format!(
            "array of {}",
            schema
                .get("items")
                .and_then(|items| kind(items, definitions, depth + 1))
                .unwrap_or_else(|| "any".into())
        ),
        "string" if schema.get("format").and_then(Value::as_str) == Some("binary") => "file".into(),
        "string" if decimal => "decimal string".into(),
        "number" if decimal => "decimal number".into(),
        other => other.into(),
    })
}

fn is_null(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("null")
        || schema.get("enum") == Some(&Value::Array(vec![Value::Null]))
}

/// The schema with its `$ref`s followed.
fn resolved<'a>(schema: &'a Value, definitions: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(target) => resolved(
            &definitions[target.rsplit('/').next().unwrap_or_default()],
            definitions,
        ),
        None => schema,
    }
}

fn names(value: Option<&Value>) -> BTreeSet<String> {
    match value {
        Some(Value::Object(map)) => map.keys().cloned().collect(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
            .collect(),
        _ => BTreeSet::new(),
    }
}

/// The differences between a component of the spec and the schema of its Rust type.
fn compare(spec: &Value, components: &Value, rust: &Value, definitions: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let rust = resolved(rust, definitions);
    if let Some(values) = spec.get("enum") {
        let (expected, found) = (names(Some(values)), names(rust.get("enum")));
        if expected != found {
            problems.push(format!("enum values: spec {expected:?}, Rust {found:?}"));
        }
        return problems;
    }
    let Some(properties) = spec.get("properties").and_then(Value::as_object) else {
        return problems;
    };
    let (expected, found) = (names(spec.get("properties")), names(rust.get("properties")));
    if expected != found {
        problems.push(format!(
            "fields: only in the spec {:?}, only in Rust {:?}",
            expected.difference(&found).collect::<Vec<_>>(),
            found.difference(&expected).collect::<Vec<_>>()
        ));
    }
    // Rust may be more lenient than the spec where a required field admits `null` (an
    // `Option`, which serde lets be absent too), never stricter: a field Rust requires and the
    // spec does not would fail an answer that leaves it out.
    let admits_null = |field: &Value| {
        field.get("nullable") == Some(&Value::Bool(true))
            || field.get("type").is_none() && field.get("$ref").is_none()
            || ["anyOf", "oneOf"].iter().any(|c| {
                field
                    .get(*c)
                    .and_then(Value::as_array)
                    .is_some_and(|branches| branches.iter().any(is_null))
            })
    };
    let spec_required = names(spec.get("required"));
    let rust_required = names(rust.get("required"));
    for name in properties.keys() {
        match (spec_required.contains(name), rust_required.contains(name)) {
            (false, true) => problems.push(format!(
                "`{name}`: required in Rust, optional in the spec: an answer without it fails"
            )),
            (true, false) if !admits_null(&properties[name]) => problems.push(format!(
                "`{name}`: required in the spec, optional in Rust: a request may leave it out"
            )),
            _ => {}
        }
    }
    for (name, field) in properties {
        let Some(rust_field) = rust.pointer(&format!("/properties/{}", pointer_escape(name)))
        else {
            continue;
        };
        let (expected, found) = (kind(field, components, 0), kind(rust_field, definitions, 0));
        if let (Some(expected), Some(found)) = (&expected, &found)
            && expected != found
        {
            problems.push(format!("`{name}`: spec {expected}, Rust {found}"));
        }
    }
    problems
}

fn pointer_escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

#[test]
fn every_type_accepts_what_its_schema_says() {
    let root = workspace_root();
    let specs: Vec<_> = areas();
    let generated = mm_sdk_generated::json_schemas();
    assert_eq!(
        generated.len(),
        specs.len(),
        "every area has its schemas registered"
    );
    let mut problems = Vec::new();
    for (area, schemas) in &generated {
        let loaded = specs
            .iter()
            .find(|l| l.area.name == *area)
            .unwrap_or_else(|| panic!("no spec for area {area}"));
        let text = std::fs::read_to_string(root.join(&loaded.area.spec)).unwrap();
        let spec: Value = serde_yaml_ng::from_str(&text).unwrap();
        let components = &spec["components"]["schemas"];
        // Every component is a type with its schema, but the envelopes, which are
        // `mm_sdk_core::Envelope<Data>`.
        let envelopes: BTreeSet<String> = mm_sdk_codegen::envelope::find(&loaded.spec.openapi, "")
            .unwrap()
            .into_iter()
            .map(|e| e.schema)
            .collect();
        let expected: BTreeSet<&str> = names(Some(components))
            .iter()
            .filter(|name| !envelopes.contains(*name))
            .map(|name| {
                components
                    .as_object()
                    .unwrap()
                    .get_key_value(name)
                    .unwrap()
                    .0
                    .as_str()
            })
            .collect();
        let registered: BTreeSet<&str> = schemas.iter().map(|(name, _)| *name).collect();
        assert_eq!(registered, expected, "{area}: the types with a JSON Schema");
        for (component, root_schema) in schemas {
            let rust = serde_json::to_value(root_schema).unwrap();
            let definitions = rust.get("definitions").cloned().unwrap_or(Value::Null);
            for problem in compare(&components[*component], components, &rust, &definitions) {
                problems.push(format!("{area}: {component}: {problem}"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} differences between the specs and the Rust types:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

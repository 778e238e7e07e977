//! A server may leave out any field its schema does not require: every documented answer of
//! every operation, stripped of every field that is not required (at every depth), still
//! decodes through the operation's own decoder. Of the envelope only `ok` and `code` are kept
//! (and the `data` they qualify).

use mm_sdk_tests::areas;
use mm_sdk_tests::every_operation::sendable;
use serde_json::{Map, Value};

/// `value` with only the fields `schema` requires, recursively.
fn strip(value: &Value, schema: &Value, components: &Value, depth: usize) -> Value {
    if depth > 32 {
        return value.clone();
    }
    if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
        let name = target.trim_start_matches("#/components/schemas/");
        return strip(value, &components[name], components, depth + 1);
    }
    for combinator in ["allOf", "anyOf", "oneOf"] {
        if let Some(branches) = schema.get(combinator).and_then(Value::as_array) {
            // The branch that is not the `null` of a nullable reference.
            let branch = branches
                .iter()
                .find(|b| b.get("enum") != Some(&Value::Array(vec![Value::Null])));
            return match branch {
                Some(branch) => strip(value, branch, components, depth + 1),
                None => value.clone(),
            };
        }
    }
    match value {
        Value::Object(fields) => {
            let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
                return value.clone();
            };
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let mut kept = Map::new();
            for (name, field) in fields {
                if !required.contains(&name.as_str()) {
                    continue;
                }
                let field_schema = properties.get(name).cloned().unwrap_or(Value::Null);
                kept.insert(
                    name.clone(),
                    strip(field, &field_schema, components, depth + 1),
                );
            }
            Value::Object(kept)
        }
        Value::Array(items) => {
            let item_schema = schema.get("items").cloned().unwrap_or(Value::Null);
            Value::Array(
                items
                    .iter()
                    .map(|item| strip(item, &item_schema, components, depth + 1))
                    .collect(),
            )
        }
        other => other.clone(),
    }
}

#[test]
fn every_answer_decodes_with_only_its_required_fields() {
    let areas = areas();
    let all = sendable(&areas);
    let mut problems = Vec::new();
    let mut checked = 0;
    for loaded in &areas {
        let spec = serde_json::to_value(&loaded.spec.openapi).unwrap();
        let components = &spec["components"]["schemas"];
        for operation in all.iter().filter(|o| {
            loaded.model.operations.iter().any(|m| m.id == o.op.id) && o.op.api == loaded.model.api
        }) {
            let (_, _, spec_op) = loaded
                .spec
                .openapi
                .operations()
                .find(|(_, _, op)| op.operation_id.as_deref() == Some(operation.op.id))
                .unwrap();
            let spec_op = serde_json::to_value(spec_op).unwrap();
            let schema = &spec_op["responses"]["200"]["content"]["application/json"]["schema"];
            for example in &operation.responses {
                // Successes only: `ok: true` with an error code is a failure.
                if example["ok"] != Value::Bool(true)
                    || !matches!(example["code"].as_str(), Some("0" | ""))
                {
                    continue;
                }
                // The envelope: `ok`, `code` and the `data` they qualify.
                let data_schema = &strip_target(schema, components)["properties"]["data"];
                let mut stripped = Map::new();
                for field in ["ok", "code"] {
                    stripped.insert(field.into(), example[field].clone());
                }
                if let Some(data) = example.get("data") {
                    stripped.insert("data".into(), strip(data, data_schema, components, 0));
                }
                let body = serde_json::to_vec(&Value::Object(stripped)).unwrap();
                checked += 1;
                if let Err(e) = operation.op.codec.response(operation.op, &body) {
                    problems.push(format!("{} `{}`: {e}", operation.op.api, operation.op.id));
                }
            }
        }
    }
    assert!(checked > 300, "only {checked} answers checked");
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The envelope schema `schema` points to.
fn strip_target<'a>(schema: &'a Value, components: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(target) => &components[target.trim_start_matches("#/components/schemas/")],
        None => schema,
    }
}

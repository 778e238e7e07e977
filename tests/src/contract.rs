//! Checks a response body against the schema its operation's spec gives for HTTP 200: the
//! specs' OpenAPI 3.0 schemas, turned into JSON Schema (draft 7) and checked by the
//! `jsonschema` crate, independently of the generated types.

use std::collections::HashMap;

use serde_json::Value;

/// Validators for every operation of the three specs.
pub struct Contract {
    validators: HashMap<(String, String), jsonschema::Validator>,
}

impl std::fmt::Debug for Contract {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Contract")
            .field("operations", &self.validators.len())
            .finish()
    }
}

impl Contract {
    /// Reads every spec; panics with the reason if one cannot be turned into validators.
    pub fn load() -> Self {
        let mut validators = HashMap::new();
        for loaded in crate::areas() {
            let path = &loaded.spec.path;
            let api = loaded.model.api.as_str().to_owned();
            let text =
                std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let mut spec: Value = serde_yaml_ng::from_str(&text)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            openapi_to_json_schema(&mut spec);
            let components = spec["components"].clone();
            let Value::Object(paths) = &spec["paths"] else {
                panic!("{}: no paths", path.display())
            };
            for item in paths.values() {
                let operation = if item["get"].is_object() {
                    &item["get"]
                } else {
                    &item["post"]
                };
                let id = operation["operationId"].as_str().expect("an operationId");
                let schema =
                    &operation["responses"]["200"]["content"]["application/json"]["schema"];
                let root = serde_json::json!({ "allOf": [schema], "components": components });
                let validator = jsonschema::draft7::new(&root)
                    .unwrap_or_else(|e| panic!("{} `{id}`: {e}", path.display()));
                validators.insert((api.clone(), id.to_owned()), validator);
            }
        }
        Self { validators }
    }

    /// Checks `body`, an answer of operation `id` of `api` (`client`, `manager`, `auth2`).
    /// The error lists every violation with its JSON path.
    pub fn check(&self, api: &str, id: &str, body: &Value) -> Result<(), String> {
        let validator = self
            .validators
            .get(&(api.to_owned(), id.to_owned()))
            .ok_or_else(|| format!("no operation `{id}` in the {api} spec"))?;
        let problems: Vec<String> = validator
            .iter_errors(body)
            .map(|e| format!("at `{}`: {e}", e.instance_path()))
            .collect();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(format!("{api} `{id}`:\n  {}", problems.join("\n  ")))
        }
    }
}

/// OpenAPI 3.0's `nullable: true` is JSON Schema's `null` among the types (and the enum).
fn openapi_to_json_schema(value: &mut Value) {
    match value {
        Value::Object(object) => {
            if object.remove("nullable") == Some(Value::Bool(true)) {
                if let Some(Value::String(type_)) = object.get("type").cloned() {
                    object.insert("type".into(), serde_json::json!([type_, "null"]));
                }
                if let Some(Value::Array(values)) = object.get_mut("enum")
                    && !values.contains(&Value::Null)
                {
                    values.push(Value::Null);
                }
            }
            object.values_mut().for_each(openapi_to_json_schema);
        }
        Value::Array(values) => values.iter_mut().for_each(openapi_to_json_schema),
        _ => {}
    }
}

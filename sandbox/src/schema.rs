//! Reading a spec's schemas (as JSON), and writing a value from one where upstream's examples
//! show none: the row of a paged answer whose documented example lists no rows.

use serde_json::{Map, Value};

/// How deep a written value nests before its objects are left empty, and how many `$ref`s and
/// branches are followed to a schema's own: a schema may contain itself.
const MAX_DEPTH: usize = 16;

/// A spec's schemas, which its `$ref`s name.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Schemas<'a> {
    named: &'a Value,
}

impl<'a> Schemas<'a> {
    /// The schemas of `spec`, a whole spec as JSON.
    pub(crate) fn of(spec: &'a Value) -> Self {
        Self {
            named: &spec["components"]["schemas"],
        }
    }

    /// The schema `schema` stands for: its `$ref` followed, and of an `anyOf` or `oneOf` the
    /// first branch that is not JSON null (how the specs write what may be null).
    pub(crate) fn resolve(&self, schema: &'a Value) -> &'a Value {
        let mut schema = schema;
        for _ in 0..MAX_DEPTH {
            if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
                let name = reference.trim_start_matches("#/components/schemas/");
                schema = &self.named[name];
                continue;
            }
            let branches = schema.get("anyOf").or_else(|| schema.get("oneOf"));
            let Some(branches) = branches.and_then(Value::as_array) else {
                break;
            };
            match branches.iter().find(|branch| !self.is_null(branch)) {
                Some(branch) => schema = branch,
                None => break,
            }
        }
        schema
    }

    /// Whether `schema` admits JSON null alone (`enum: [null]`).
    fn is_null(&self, schema: &'a Value) -> bool {
        let values = self.resolve(schema).get("enum").and_then(Value::as_array);
        values.is_some_and(|values| !values.is_empty() && values.iter().all(Value::is_null))
    }

    /// The schema of the field at `path` (field names, from the outside in) of a value of
    /// `schema`, if it has one.
    pub(crate) fn at<S: AsRef<str>>(&self, schema: &'a Value, path: &[S]) -> Option<&'a Value> {
        path.iter().try_fold(schema, |schema, field| {
            self.resolve(schema).get("properties")?.get(field.as_ref())
        })
    }

    /// Whether a value of `schema` is an object with a field `name`.
    pub(crate) fn has_field(&self, schema: &'a Value, name: &str) -> bool {
        self.at(schema, &[name]).is_some()
    }

    /// A value of `schema`, for a field called `name`: the first of its coded values where it
    /// lists them; else `1` for a number (`"1"` for a decimal written as a string), `false`, an
    /// empty list, `name` itself for other text, and for an object every field so written.
    pub(crate) fn sample(&self, schema: &'a Value, name: &str) -> Value {
        self.sample_at(schema, name, 0)
    }

    fn sample_at(&self, schema: &'a Value, name: &str, depth: usize) -> Value {
        let schema = self.resolve(schema);
        let coded = schema.get("enum").and_then(Value::as_array);
        if let Some(value) = coded.and_then(|values| values.iter().find(|v| !v.is_null())) {
            return value.clone();
        }
        let properties = schema.get("properties").and_then(Value::as_object);
        match schema.get("type").and_then(Value::as_str) {
            Some("string") if schema.get("format") == Some(&Value::from("decimal")) => {
                Value::from("1")
            }
            Some("string") => Value::from(name),
            Some("integer" | "number") => Value::from(1),
            Some("boolean") => Value::Bool(false),
            Some("array") => Value::Array(Vec::new()),
            Some("object") | None if properties.is_some() => {
                let mut fields = Map::new();
                if depth < MAX_DEPTH {
                    for (field, property) in properties.into_iter().flatten() {
                        fields.insert(field.clone(), self.sample_at(property, field, depth + 1));
                    }
                }
                Value::Object(fields)
            }
            Some("object") => Value::Object(Map::new()),
            _ => Value::Null,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_written_value_follows_references_skips_null_branches_and_fills_every_field() {
        let spec = json!({"components": {"schemas": {
            "Row": {"type": "object", "properties": {
                "id": {"type": "integer", "format": "int64"},
                "price": {"type": "number", "format": "decimal"},
                "close": {"type": "string", "format": "decimal"},
                "status": {"type": "integer", "enum": [2, 3]},
                "symbolName": {"type": "string"},
                "closed": {"type": "boolean"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "owner": {"anyOf": [
                    {"type": "string", "nullable": true, "enum": [null]},
                    {"$ref": "#/components/schemas/Owner"},
                ]},
                "extra": {"nullable": true},
            }},
            "Owner": {"type": "object", "properties": {"customerNo": {"type": "string"}}},
            "Itself": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Itself"}}},
        }}});
        let schemas = Schemas::of(&spec);
        let reference = json!({"$ref": "#/components/schemas/Row"});
        let row = schemas.sample(&reference, "row");
        assert_eq!(
            row,
            json!({
                "id": 1, "price": 1, "close": "1", "status": 2, "symbolName": "symbolName",
                "closed": false, "tags": [], "owner": {"customerNo": "customerNo"},
                "extra": null,
            })
        );
        // A schema that contains itself is written down to a depth, not forever.
        let itself = schemas.sample(&json!({"$ref": "#/components/schemas/Itself"}), "itself");
        assert!(itself["next"]["next"].is_object());
        let owner = schemas.at(&reference, &["owner", "customerNo"]);
        assert_eq!(owner, Some(&json!({"type": "string"})));
        assert!(!schemas.has_field(&reference, "total"));
    }
}

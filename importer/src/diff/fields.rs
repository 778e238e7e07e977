//! The fields of a matched operation compared: its request body's and its answer's data's,
//! flattened to one path each (`body.list[].price`), `$ref`s followed, typed as the generated
//! code sees them.

use std::collections::{BTreeMap, BTreeSet};

use serde_yaml_ng::{Mapping, Value};

use super::OurOperation;
use super::difference::{Change, Found, Kind};
use crate::export::Operation;
use crate::schemas::Schemas;
use crate::value::required_names;

/// The field differences of a matched operation: its request body's, then its answer's data's.
pub(super) fn compare_fields(
    theirs: &Operation,
    ours: &OurOperation,
    schemas: &mut Schemas,
) -> Vec<Found> {
    // No body is an empty object (as the import writes it); no data, any JSON.
    let empty = empty_object();
    let their_body = theirs
        .request_schema()
        .map_or_else(empty_object, |s| schemas.converted(s));
    // As the import writes it: widened where upstream's own answers disagree with its schema.
    let their_data = crate::area::answer_data(theirs, schemas);
    let theirs_resolve = |r: &str| schemas.component(r);
    let ours_resolve = |r: &str| ours.spec.component(r);
    let our_body = request_schema(ours.op).unwrap_or(&empty);
    let our_answer = &ours.op["responses"]["200"]["content"]["application/json"]["schema"];
    let our_answer = follow(our_answer, &ours_resolve);
    let our_data = our_answer["properties"].get("data").unwrap_or(&Value::Null);
    let mut found = diff_fields(
        &fields(&their_body, "body", &theirs_resolve),
        &fields(our_body, "body", &ours_resolve),
    );
    found.extend(diff_fields(
        &fields(&their_data, "data", &theirs_resolve),
        &fields(our_data, "data", &ours_resolve),
    ));
    found
}

/// The JSON request body's schema of `op`.
fn request_schema(op: &Value) -> Option<&Value> {
    Some(&op["requestBody"]["content"]["application/json"]["schema"]).filter(|s| s.is_mapping())
}

fn empty_object() -> Value {
    let mut object = Mapping::new();
    object.insert("type".into(), "object".into());
    object.insert("properties".into(), Value::Mapping(Mapping::new()));
    Value::Mapping(object)
}

/// What `schema` is once its `$ref`s are followed (at most 32, in case they loop).
pub(super) fn follow<'v>(
    schema: &'v Value,
    resolve: &dyn Fn(&str) -> Option<&'v Value>,
) -> &'v Value {
    let mut current = schema;
    for _ in 0..32 {
        match current["$ref"].as_str().and_then(resolve) {
            Some(next) => current = next,
            None => break,
        }
    }
    current
}

/// A field as compared: its type as the generated code sees it, its required-ness, whether
/// it may be null, and the values it takes where it lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Field {
    ty: String,
    required: bool,
    nullable: bool,
    values: BTreeSet<String>,
}

impl Field {
    fn describe(&self) -> String {
        format!("{}, {}", self.ty, required_or_optional(self.required))
    }
}

/// The fields of `schema` by path from `root` (`body.list[].price`), `$ref`s followed.
fn fields<'v>(
    schema: &'v Value,
    root: &str,
    resolve: &dyn Fn(&str) -> Option<&'v Value>,
) -> BTreeMap<String, Field> {
    let mut walk = Walk {
        resolve,
        fields: BTreeMap::new(),
        visiting: Vec::new(),
    };
    walk.field(schema, root.to_owned(), false);
    walk.fields
}

/// A walk through a schema that records its fields.
struct Walk<'v, 'r> {
    resolve: &'r dyn Fn(&str) -> Option<&'v Value>,
    fields: BTreeMap<String, Field>,
    /// The `$ref`s being walked through: seeing one again is a cycle, not walked again.
    visiting: Vec<&'v str>,
}

impl<'v> Walk<'v, '_> {
    /// Records the field `path` of schema `schema` and walks into it.
    fn field(&mut self, schema: &'v Value, path: String, required: bool) {
        let null_branch = schema["anyOf"]
            .as_sequence()
            .or(schema["oneOf"].as_sequence())
            .is_some_and(|branches| branches.iter().any(is_null));
        let (schema, refs) = self.unwrap(schema);
        let ty = type_of(schema);
        // The body's and the data's own nullability is the envelope's, not a field's.
        let nullable = path.contains(['.', '['])
            && (null_branch || schema["nullable"].as_bool() == Some(true));
        let values = schema["enum"]
            .as_sequence()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect();
        let field = Field {
            ty,
            required,
            nullable,
            values,
        };
        self.fields.insert(path.clone(), field);
        self.members(schema, &path, refs);
    }

    /// Walks the members of `schema` at `path`, unless one of `refs` (what led to it) is
    /// already being walked.
    fn members(&mut self, schema: &'v Value, path: &str, refs: Vec<&'v str>) {
        if refs.iter().any(|r| self.visiting.contains(r)) {
            return;
        }
        let depth = self.visiting.len();
        self.visiting.extend(refs);
        let required: Vec<&str> = required_names(schema).collect();
        for (name, property) in schema["properties"].as_mapping().into_iter().flatten() {
            let name = name.as_str().unwrap_or_default();
            let path = format!("{path}.{name}");
            self.field(property, path, required.contains(&name));
        }
        if let extra @ Value::Mapping(_) = &schema["additionalProperties"] {
            self.field(extra, format!("{path}.*"), false);
        }
        if let items @ Value::Mapping(_) = &schema["items"] {
            self.field(items, format!("{path}[]"), false);
        }
        for branch in schema["allOf"].as_sequence().into_iter().flatten() {
            let (branch, refs) = self.unwrap(branch);
            self.members(branch, path, refs);
        }
        self.visiting.truncate(depth);
    }

    /// What `schema` stands for: its `$ref`s followed and, of an `anyOf`/`oneOf` of one schema
    /// and null, that schema; with the `$ref`s followed.
    fn unwrap(&self, schema: &'v Value) -> (&'v Value, Vec<&'v str>) {
        let mut current = schema;
        let mut refs = Vec::new();
        for _ in 0..32 {
            if let Some(reference) = current["$ref"].as_str() {
                match (self.resolve)(reference) {
                    Some(next) if !refs.contains(&reference) => {
                        refs.push(reference);
                        current = next;
                        continue;
                    }
                    _ => break,
                }
            }
            let branches = current["anyOf"]
                .as_sequence()
                .or(current["oneOf"].as_sequence());
            let mut not_null = branches.into_iter().flatten().filter(|b| !is_null(b));
            match (not_null.next(), not_null.next()) {
                (Some(only), None) => current = only,
                _ => break,
            }
        }
        (current, refs)
    }
}

/// Whether `schema` admits null only (`type: 'null'`, or the `enum: [null]` of our envelopes).
fn is_null(schema: &Value) -> bool {
    schema["type"].as_str() == Some("null")
        || schema["enum"]
            .as_sequence()
            .is_some_and(|values| !values.is_empty() && values.iter().all(Value::is_null))
}

/// The type of `schema` as the generated code sees it (see the module's documentation).
fn type_of(schema: &Value) -> String {
    let format = schema["format"].as_str();
    let ty = match schema["type"].as_str() {
        Some(ty) => ty,
        None if schema.get("$ref").is_some() => "unresolved $ref",
        None if schema.get("properties").is_some() || schema.get("allOf").is_some() => "object",
        None if schema.get("items").is_some() => "array",
        None if schema.get("anyOf").is_some() || schema.get("oneOf").is_some() => "one of several",
        None => "any",
    };
    let described = ["properties", "additionalProperties", "allOf"]
        .iter()
        .any(|key| {
            schema[*key].as_mapping().is_some_and(|m| !m.is_empty()) || schema[*key].is_sequence()
        });
    match (ty, format) {
        ("integer", None | Some("int64" | "long")) => "integer".into(),
        ("integer" | "number", Some(format)) => format!("{ty} ({format})"),
        // A map in the generated code: its fields are not described.
        ("object", _) if !described => "object (no properties)".into(),
        _ => ty.into(),
    }
}

/// The differences between two sets of fields; nothing below a field added, removed or retyped.
fn diff_fields(theirs: &BTreeMap<String, Field>, ours: &BTreeMap<String, Field>) -> Vec<Found> {
    let paths: BTreeSet<&String> = theirs.keys().chain(ours.keys()).collect();
    let mut covered: BTreeSet<&str> = BTreeSet::new();
    let mut found = Vec::new();
    for path in paths {
        if ancestors(path).any(|a| covered.contains(a)) {
            continue;
        }
        let field = Some(path.clone());
        match (theirs.get(path), ours.get(path)) {
            (Some(t), None) => {
                // A required request field is an argument of the request's `new`.
                let change = if t.required && path.starts_with("body.") {
                    Change::Major
                } else {
                    Change::Minor
                };
                found.push(Found::new(Kind::FieldAdded, field, t.describe()).meaning(change));
                covered.insert(path);
            }
            (None, Some(o)) => {
                found.push(Found::new(Kind::FieldRemoved, field, o.describe()));
                covered.insert(path);
            }
            (Some(t), Some(o)) => {
                if t.ty != o.ty {
                    let detail = format!("upstream {}, ours {}", t.ty, o.ty);
                    found.push(Found::new(Kind::FieldRetyped, field.clone(), detail));
                    covered.insert(path);
                }
                if t.required != o.required {
                    let detail = format!(
                        "upstream {}, ours {}",
                        required_or_optional(t.required),
                        required_or_optional(o.required)
                    );
                    found.push(Found::new(Kind::FieldRequired, field.clone(), detail));
                }
                // Only where upstream may send null and our type never takes it: where ours
                // takes null and upstream's schema says it never comes, ours accepts more (the
                // import widens a field upstream's own answers send as null).
                if t.ty == o.ty && t.nullable && !o.nullable {
                    let detail = format!(
                        "upstream {}, ours {}",
                        nullable_or_not(t.nullable),
                        nullable_or_not(o.nullable)
                    );
                    found.push(Found::new(Kind::FieldNullable, field.clone(), detail));
                }
                if t.ty == o.ty && t.values != o.values {
                    let added: Vec<&String> = t.values.difference(&o.values).collect();
                    let removed: Vec<&String> = o.values.difference(&t.values).collect();
                    let detail = format!("upstream adds {added:?} and drops {removed:?}");
                    // A value dropped is a variant users may name; one added is a new variant; a
                    // list where there was none makes a text field an enum, a type of its own.
                    let change = if removed.is_empty() && !o.values.is_empty() {
                        Change::Minor
                    } else {
                        Change::Major
                    };
                    found.push(Found::new(Kind::FieldValues, field, detail).meaning(change));
                }
            }
            (None, None) => {}
        }
    }
    found
}

/// The paths of the fields that `path` is in: `data.list[].price` → `data.list[]`,
/// `data.list`, `data`.
fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(Some(path), |p| {
        p.strip_suffix("[]")
            .or_else(|| p.rsplit_once('.').map(|(parent, _)| parent))
    })
    .skip(1)
}

fn nullable_or_not(nullable: bool) -> &'static str {
    if nullable {
        "may be null"
    } else {
        "never null"
    }
}

pub(super) fn required_or_optional(required: bool) -> &'static str {
    if required { "required" } else { "optional" }
}

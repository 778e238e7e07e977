//! Upstream's answers against its schemas. An answer upstream shows is evidence of what a
//! server sends, so where one disagrees with the converted schema of its `data`, the schema
//! is widened until the type accepts it:
//!
//! - a required field the answer leaves out, or sends as `null`, is no longer required;
//! - a list or map sent as `null` is `nullable`;
//! - a number where the schema says text, or text where it says an integer, is
//!   `format: text-or-number` (a decimal where the field is named as money);
//! - a number with a fraction where the schema says an integer is a decimal;
//! - an `int32` beyond its range is an `int64`.
//!
//! What no such change can accept (an object where a list is declared, a boolean where an
//! object is) is reported: the answer's entry says so, and its decoding test expects the
//! failure until a person decides the type.

use serde_yaml_ng::{Mapping, Value};

use crate::money::is_money_name;
use crate::schemas::Schemas;
use crate::value::s;

/// What one answer changed, and what it showed that no change accepts.
#[derive(Debug, Default)]
pub(crate) struct Widening {
    /// Each change: the field (`data.records[].subjectId`) and what became of it.
    pub(crate) widened: Vec<String>,
    /// Each disagreement left as it is: where, and what.
    pub(crate) unaccepted: Vec<String>,
}

/// A place in the converted components: a component and the keys down to a schema in it.
#[derive(Debug, Clone)]
struct Place {
    component: String,
    keys: Vec<String>,
}

impl Place {
    fn child(&self, key: &str) -> Place {
        let mut keys = self.keys.clone();
        keys.push(key.to_owned());
        Place {
            component: self.component.clone(),
            keys,
        }
    }
}

fn get<'v>(schemas: &'v Schemas, place: &Place) -> Option<&'v Value> {
    let mut current = schemas.out.get(&place.component)?;
    for key in &place.keys {
        current = match current {
            Value::Mapping(m) => m.get(key.as_str())?,
            Value::Sequence(items) => items.get(key.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(current)
}

fn get_mut<'v>(schemas: &'v mut Schemas, place: &Place) -> Option<&'v mut Mapping> {
    let mut current = schemas.out.get_mut(&place.component)?;
    for key in &place.keys {
        current = match current {
            Value::Mapping(m) => m.get_mut(key.as_str())?,
            Value::Sequence(items) => items.get_mut(key.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    current.as_mapping_mut()
}

/// Widens the `data` of envelope component `envelope` to accept `data`, one of upstream's
/// answers.
pub(crate) fn widen(schemas: &mut Schemas, envelope: &str, data: &Value) -> Widening {
    let mut widening = Widening::default();
    // The envelope itself may be a reference to a shared one.
    let place = resolved(
        schemas,
        &Place {
            component: envelope.to_owned(),
            keys: Vec::new(),
        },
    );
    let data_place = place.child("properties").child("data");
    if data.is_null() || get(schemas, &data_place).is_none() {
        return widening;
    }
    let sent = kind(data);
    if !declares_somewhere(schemas, &data_place, sent) {
        // The data itself in another shape: the type reads either (`mm_sdk_core::OrOther`).
        let shape = if sent == "integer" { "number" } else { sent };
        if let Some(schema) = get_mut(schemas, &data_place) {
            let shapes = schema
                .entry(s(OTHER_SHAPES))
                .or_insert_with(|| Value::Sequence(Vec::new()));
            if let Value::Sequence(shapes) = shapes
                && !shapes.contains(&s(shape))
            {
                shapes.push(s(shape));
                shapes.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
            }
        }
        widening.widened.push(format!(
            "`data`: {shape} too (`{OTHER_SHAPES}`: an answer sends one where the schema \
             declares another)"
        ));
        return widening;
    }
    visit(schemas, &data_place, data, "data", "data", 0, &mut widening);
    widening
}

/// The extension of an envelope's `data` that lists the other JSON shapes upstream's answers
/// show it in.
const OTHER_SHAPES: &str = "x-mm-other-shapes";

/// Whether the schema at `place`, or a branch of its `anyOf` or `oneOf`, declares kind `want`.
fn declares_somewhere(schemas: &Schemas, place: &Place, want: &str) -> bool {
    let target = resolved(schemas, place);
    let Some(schema) = get(schemas, &target) else {
        return true;
    };
    for combinator in ["anyOf", "oneOf"] {
        if let Some(Value::Sequence(branches)) = schema.get(combinator) {
            return (0..branches.len()).any(|i| {
                declares(
                    schemas,
                    &target.child(combinator).child(&i.to_string()),
                    want,
                )
            });
        }
    }
    declares(schemas, &target, want)
}

/// The JSON kind of `value`, in the words of a schema's `type`.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Sequence(_) => "array",
        Value::Mapping(_) => "object",
        Value::Tagged(_) => "tagged",
    }
}

/// The schema at `place`, its references followed: the place of the schema itself.
fn resolved(schemas: &Schemas, place: &Place) -> Place {
    let mut place = place.clone();
    for _ in 0..16 {
        match get(schemas, &place)
            .and_then(|schema| schema.get("$ref"))
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
        {
            Some(name) => {
                place = Place {
                    component: name.to_owned(),
                    keys: Vec::new(),
                }
            }
            None => break,
        }
    }
    place
}

/// Whether the schema at `place` (resolved) declares JSON kind `want`, or none.
fn declares(schemas: &Schemas, place: &Place, want: &str) -> bool {
    let place = resolved(schemas, place);
    let Some(schema) = get(schemas, &place) else {
        return false;
    };
    // The `null` of a nullable reference (`{type: string, nullable: true, enum: [null]}`)
    // admits nothing else.
    let only_null = schema.get("enum").and_then(Value::as_sequence) == Some(&vec![Value::Null]);
    if only_null {
        return false;
    }
    match schema.get("type").and_then(Value::as_str) {
        None => true,
        Some(declared) => declared == want || (declared == "number" && want == "integer"),
    }
}

fn visit(
    schemas: &mut Schemas,
    place: &Place,
    value: &Value,
    field: &str,
    name: &str,
    depth: usize,
    w: &mut Widening,
) {
    if depth > 32 || value.is_null() {
        return;
    }
    let place = resolved(schemas, place);
    let Some(schema) = get(schemas, &place).cloned() else {
        return;
    };
    for combinator in ["anyOf", "oneOf", "allOf"] {
        if let Some(Value::Sequence(branches)) = schema.get(combinator) {
            let wanted = kind(value);
            let branch = (0..branches.len())
                .map(|i| place.child(combinator).child(&i.to_string()))
                .find(|branch| declares(schemas, branch, wanted));
            match branch {
                Some(branch) => visit(schemas, &branch, value, field, name, depth + 1, w),
                None => w.unaccepted.push(format!(
                    "`{field}`: {wanted}, which no branch of its `{combinator}` declares"
                )),
            }
            return;
        }
    }
    let Some(declared) = schema.get("type").and_then(Value::as_str) else {
        return;
    };
    let format = schema.get("format").and_then(Value::as_str);
    let sent = kind(value);
    match (declared, sent) {
        ("object", "object") => object(schemas, &place, &schema, value, field, depth, w),
        ("array", "array") => {
            for item in value.as_sequence().into_iter().flatten() {
                let items = place.child("items");
                visit(
                    schemas,
                    &items,
                    item,
                    &format!("{field}[]"),
                    name,
                    depth + 1,
                    w,
                );
            }
        }
        ("string", "string") if format == Some("decimal") => {
            let text = value.as_str().unwrap_or_default();
            if !crate::examples::is_decimal(text) {
                w.unaccepted.push(format!(
                    "`{field}`: `{text}`, which is no decimal (the field is money)"
                ));
            }
        }
        ("string", "string" | "integer" | "number") if format == Some("text-or-number") => {}
        ("string", "integer" | "number") if format == Some("decimal") => {}
        ("number", "integer" | "number" | "string") if format == Some("decimal") => {}
        ("string", "string") | ("boolean", "boolean") | ("number", "integer" | "number") => {}
        ("integer", "integer") => {
            let fits = value.as_i64().is_some_and(|n| i32::try_from(n).is_ok());
            if format == Some("int32") && !fits {
                set(schemas, &place, &[("format", s("int64"))]);
                w.widened.push(format!(
                    "`{field}`: `int32` → `int64` (an answer exceeds int32)"
                ));
            }
        }
        ("string", "integer" | "number") if format.is_none() => {
            to_text(schemas, &place, field, name, sent, "text", w);
        }
        ("integer", "string") => to_text(schemas, &place, field, name, sent, "an integer", w),
        ("integer", "number") => {
            set(
                schemas,
                &place,
                &[("type", s("number")), ("format", s("decimal"))],
            );
            w.widened.push(format!(
                "`{field}`: integer → decimal (an answer sends a fraction)"
            ));
        }
        _ => w.unaccepted.push(format!(
            "`{field}`: {sent}, where the schema declares {declared}{}",
            format.map(|f| format!(" ({f})")).unwrap_or_default()
        )),
    }
}

/// The field at `place`, declared as `declared` but sent as `sent`: text or a number.
fn to_text(
    schemas: &mut Schemas,
    place: &Place,
    field: &str,
    name: &str,
    sent: &str,
    declared: &str,
    w: &mut Widening,
) {
    let (format, what) = if is_money_name(name) {
        ("decimal", "a decimal")
    } else {
        ("text-or-number", "`text-or-number`")
    };
    set(
        schemas,
        place,
        &[("type", s("string")), ("format", s(format))],
    );
    w.widened.push(format!(
        "`{field}`: {declared} → {what} (an answer sends {})",
        if sent == "string" { "text" } else { "a number" }
    ));
}

/// The object schema `schema` at `place` against `value`: the fields it requires and the
/// answer lacks or sends as `null` become optional, a `null` list or map `nullable`, and each
/// field the answer has is visited.
fn object(
    schemas: &mut Schemas,
    place: &Place,
    schema: &Value,
    value: &Value,
    field: &str,
    depth: usize,
    w: &mut Widening,
) {
    let Some(fields) = value.as_mapping() else {
        return;
    };
    let required: Vec<String> = crate::value::required_names(schema)
        .map(str::to_owned)
        .collect();
    for name in &required {
        let sent = fields.get(name.as_str());
        if sent.is_none_or(Value::is_null) && schema["properties"].get(name.as_str()).is_some() {
            unrequire(schemas, place, name);
            w.widened.push(format!(
                "`{field}.{name}`: optional (an answer {})",
                if sent.is_none() {
                    "leaves it out"
                } else {
                    "sends `null`"
                }
            ));
        }
    }
    for (key, sent) in fields {
        let Some(key) = key.as_str() else { continue };
        let property = place.child("properties").child(key);
        if get(schemas, &property).is_none() {
            // A field the schema does not declare: decoding ignores it.
            continue;
        }
        let path = format!("{field}.{key}");
        if sent.is_null() {
            let target = resolved(schemas, &property);
            let shape = get(schemas, &target)
                .and_then(|schema| schema.get("type"))
                .and_then(Value::as_str);
            let nullable = get(schemas, &target)
                .and_then(|schema| schema.get("nullable"))
                .and_then(Value::as_bool)
                == Some(true);
            // An optional list or map reads `null` only where it is nullable.
            if matches!(shape, Some("array")) && !nullable {
                set(schemas, &target, &[("nullable", Value::Bool(true))]);
                w.widened
                    .push(format!("`{path}`: nullable (an answer sends `null`)"));
            }
            continue;
        }
        visit(schemas, &property, sent, &path, key, depth + 1, w);
    }
    if schema
        .get("additionalProperties")
        .is_some_and(Value::is_mapping)
    {
        for (key, sent) in fields {
            let key = key.as_str().unwrap_or_default();
            if schema["properties"].get(key).is_none() {
                let place = place.child("additionalProperties");
                visit(
                    schemas,
                    &place,
                    sent,
                    &format!("{field}{{}}"),
                    key,
                    depth + 1,
                    w,
                );
            }
        }
    }
}

fn set(schemas: &mut Schemas, place: &Place, entries: &[(&str, Value)]) {
    if let Some(schema) = get_mut(schemas, place) {
        for (key, value) in entries {
            schema.insert(s(*key), value.clone());
        }
    }
}

fn unrequire(schemas: &mut Schemas, place: &Place, name: &str) {
    let Some(schema) = get_mut(schemas, place) else {
        return;
    };
    if let Some(Value::Sequence(required)) = schema.get_mut("required") {
        required.retain(|r| r.as_str() != Some(name));
        if required.is_empty() {
            schema.remove("required");
        }
    }
}

#[cfg(test)]
#[allow(clippy::panic)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn yaml(text: &str) -> Value {
        serde_yaml_ng::from_str(text).unwrap_or_else(|e| panic!("{e}"))
    }

    /// The envelope `Envelope` of data `Data` (the schema given), widened by `data`.
    fn widened(data_schema: &str, data: &str) -> (Value, Widening) {
        let upstream = Mapping::new();
        let mut schemas = Schemas::new(&upstream, BTreeSet::new(), "Test".into());
        schemas.out.insert(
            "Envelope".into(),
            yaml(
                "type: object\nproperties:\n  code: {type: string}\n  data:\n    anyOf:\n    \
                 - $ref: '#/components/schemas/Data'\n    \
                 - {type: string, nullable: true, enum: [null]}\n",
            ),
        );
        schemas.out.insert("Data".into(), yaml(data_schema));
        let widening = widen(&mut schemas, "Envelope", &yaml(data));
        (schemas.out["Data"].clone(), widening)
    }

    #[test]
    fn what_an_answer_shows_widens_the_schema_to_accept_it() {
        let (schema, w) = widened(
            "type: object\nrequired: [id, name, list, rows]\nproperties:\n  \
             id: {type: integer, format: int32}\n  name: {type: string}\n  \
             list: {type: array, items: {type: string}}\n  \
             rows:\n    type: array\n    items:\n      type: object\n      properties:\n        \
             subjectId: {type: integer}\n        takeProfit: {type: integer}\n        \
             sendType: {type: string}\n        rate: {type: integer}\n",
            "{id: 4000000000, list: null, rows: [{subjectId: '1504110734228991000', \
             takeProfit: '0', sendType: 3, rate: 42763.99}], extra: 1}",
        );
        let property = |name: &str| &schema["properties"][name];
        let row = |name: &str| &schema["properties"]["rows"]["items"]["properties"][name];
        assert_eq!(property("id")["format"], yaml("int64"));
        assert_eq!(schema["required"], yaml("[id, rows]"));
        assert_eq!(property("list")["nullable"], Value::Bool(true));
        assert_eq!(
            row("subjectId"),
            &yaml("{type: string, format: text-or-number}")
        );
        assert_eq!(row("takeProfit"), &yaml("{type: string, format: decimal}"));
        assert_eq!(
            row("sendType"),
            &yaml("{type: string, format: text-or-number}")
        );
        assert_eq!(row("rate"), &yaml("{type: number, format: decimal}"));
        assert_eq!(
            w.widened,
            [
                "`data.name`: optional (an answer leaves it out)",
                "`data.list`: optional (an answer sends `null`)",
                "`data.id`: `int32` → `int64` (an answer exceeds int32)",
                "`data.list`: nullable (an answer sends `null`)",
                "`data.rows[].subjectId`: an integer → `text-or-number` (an answer sends text)",
                "`data.rows[].takeProfit`: an integer → a decimal (an answer sends text)",
                "`data.rows[].sendType`: text → `text-or-number` (an answer sends a number)",
                "`data.rows[].rate`: integer → decimal (an answer sends a fraction)",
            ]
        );
        assert!(w.unaccepted.is_empty(), "{:?}", w.unaccepted);
    }

    #[test]
    fn data_of_another_shape_is_listed_and_a_field_of_one_is_reported() {
        let (schema, w) = widened(
            "type: object\nproperties:\n  total: {type: string, format: decimal}\n",
            "[1, 2]",
        );
        assert_eq!(
            schema,
            yaml("type: object\nproperties:\n  total: {type: string, format: decimal}\n")
        );
        assert!(w.unaccepted.is_empty());
        assert_eq!(
            w.widened,
            [
                "`data`: array too (`x-mm-other-shapes`: an answer sends one where the schema \
              declares another)"
            ]
        );
        let (_, w) = widened(
            "type: object\nproperties:\n  total: {type: string, format: decimal}\n  \
             records: {type: object}\n",
            "{total: '-300. 00', records: [1]}",
        );
        assert_eq!(
            w.unaccepted,
            [
                "`data.total`: `-300. 00`, which is no decimal (the field is money)",
                "`data.records`: array, where the schema declares object",
            ]
        );
        // What the schema already accepts changes nothing.
        let (_, w) = widened(
            "type: object\nproperties:\n  total: {type: string, format: decimal}\n",
            "{total: 12.5, other: [1]}",
        );
        assert!(w.widened.is_empty() && w.unaccepted.is_empty());
    }
}

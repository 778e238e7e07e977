//! The envelope of an imported operation's answer (`<Operation>Response`): upstream's envelope,
//! in whatever shape upstream writes it, spelled out in the convention's shape around upstream's
//! data.

use serde_yaml_ng::Value;

use crate::counts::Counts;
use crate::export::{Answer, EnvelopeShape, Operation};
use crate::schemas::Schemas;
use crate::value::{map, s};

/// The envelope's fields, in the order upstream sends them.
pub(crate) const FIELDS: [&str; 9] = mm_sdk_codegen::envelope::FIELDS;

/// A schema admitting null only: the other branch of an object `data`.
fn null_only() -> Value {
    map(vec![
        ("type", s("string")),
        ("nullable", Value::Bool(true)),
        ("enum", Value::Sequence(vec![Value::Null])),
        ("description", s("JSON null (failure envelopes).")),
    ])
}

/// The envelope of operation `op` (`id`, `pascal` in PascalCase), its data converted into
/// `schemas`; what it says about the examples goes to `notes`.
pub(crate) fn response(
    op: &Operation,
    id: &str,
    pascal: &str,
    schemas: &mut Schemas,
    notes: &mut Vec<String>,
    counts: &mut Counts,
) -> Value {
    let answer = op.answer();
    let required: &[String] = match &answer {
        Answer::Envelope {
            shape, required, ..
        } => {
            counts.add(match shape {
                EnvelopeShape::Component => "envelope: a `BaseResult*` component",
                EnvelopeShape::Inline => "envelope: inline, every field",
                EnvelopeShape::InlinePartial => "envelope: inline, some fields",
            });
            required
        }
        Answer::None => {
            counts.add("envelope: none upstream (untyped data)");
            &[]
        }
        Answer::Bare(_) => {
            counts.add("envelope: a bare record (put in `data`)");
            notes.push(
                "upstream describes the answer as a bare record; it is the envelope's `data` here"
                    .into(),
            );
            &[]
        }
    };
    let data_schema = match answer.data() {
        None => map(vec![(
            "description",
            s("Upstream does not describe the data: any JSON value."),
        )]),
        Some(d) => {
            let converted = schemas.convert(d, counts);
            schemas.drain(counts);
            data_field(&converted, pascal, schemas)
        }
    };
    envelope(id, required, data_schema)
}

/// The envelope of operation `id` around `data`, with the fields `required` required.
fn envelope(id: &str, required: &[String], data: Value) -> Value {
    let mut envelope = vec![
        ("type", s("object")),
        (
            "description",
            s(format!("Envelope of `{id}`; `data` is null on failure.")),
        ),
    ];
    if !required.is_empty() {
        envelope.push((
            "required",
            Value::Sequence(required.iter().map(|r| s(r.clone())).collect()),
        ));
    }
    envelope.push((
        "properties",
        map(vec![
            ("msg", map(vec![("type", s("string")), ("description", s("Result message."))])),
            ("fail", map(vec![("type", s("boolean")), ("description", s("True when the call failed."))])),
            ("trace", map(vec![("type", s("string")), ("description", s("Server-side trace id of the call."))])),
            ("code", map(vec![("type", s("string")), ("description", s("\"0\" on success, an error code otherwise."))])),
            ("data", data),
            ("bizCode", map(vec![("type", s("string")), ("description", s("Business error code; empty on success."))])),
            ("tm", map(vec![("type", s("integer")), ("format", s("int64")), ("description", s("Server processing time in milliseconds."))])),
            ("msgParams", map(vec![("nullable", Value::Bool(true)), ("description", s("Values substituted into `msg` (an array or a comma-separated string); null when there are none."))])),
            ("ok", map(vec![("type", s("boolean")), ("description", s("True when the call succeeded."))])),
        ]),
    ));
    map(envelope)
}

/// The `data` field of an envelope for converted data schema `data`: the forms the codegen
/// takes (an untyped schema, a nullable primitive or array of named or primitive items, or
/// `anyOf` a named schema and null); anything else is named `<Op>Data` first.
fn data_field(data: &Value, pascal: &str, schemas: &mut Schemas) -> Value {
    let description = s("The operation's result; null on failure.");
    if data.get("$ref").is_some() {
        return map(vec![
            ("description", description),
            ("anyOf", Value::Sequence(vec![data.clone(), null_only()])),
        ]);
    }
    let plain = |schema: &Value| {
        matches!(
            schema["type"].as_str(),
            Some("integer" | "number" | "boolean")
        ) || (schema["type"].as_str() == Some("string")
            && schema.get("enum").is_none()
            && schema.get("format").is_none())
    };
    let untyped = data.as_mapping().is_some_and(|m| {
        m.keys()
            .filter_map(Value::as_str)
            .all(|k| k == "nullable" || k == "description")
    });
    if untyped {
        return map(vec![("description", description)]);
    }
    let array_ok = data["type"].as_str() == Some("array")
        && (data["items"].get("$ref").is_some() || plain(&data["items"]));
    if plain(data) || array_ok {
        let mut out = data.as_mapping().cloned().unwrap_or_default();
        out.insert(s("nullable"), Value::Bool(true));
        out.insert(s("description"), description);
        return Value::Mapping(out);
    }
    let name = schemas.own(&format!("{pascal}Data"));
    let mut named = data.as_mapping().cloned().unwrap_or_default();
    named.remove("nullable");
    schemas.out.insert(name.clone(), Value::Mapping(named));
    map(vec![
        ("description", description),
        (
            "anyOf",
            Value::Sequence(vec![
                map(vec![("$ref", s(format!("#/components/schemas/{name}")))]),
                null_only(),
            ]),
        ),
    ])
}

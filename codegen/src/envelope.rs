//! Every response of the three APIs is the same envelope around an operation-specific `data`.
//!
//! The specs spell each envelope out in full (so validators and mock servers see the real
//! shape), but generating one struct per operation would give users dozens of copies of the
//! same nine fields. Instead each envelope schema is replaced by the generic
//! `mm_sdk_core::Envelope<T>`, with `T` the type of its `data`.

use openapiv3::{OpenAPI, ReferenceOr, Schema, SchemaKind, Type, VariantOrUnknownOrEmpty};

use mm_sdk_facts::EnvelopeKind;

use crate::error::Problem;
use crate::names::pascal_case;

/// The envelope's fields, in the order upstream sends them.
pub const FIELDS: [&str; 9] = [
    "msg",
    "fail",
    "trace",
    "code",
    "data",
    "bizCode",
    "tm",
    "msgParams",
    "ok",
];

/// Fields some envelopes carry besides [`FIELDS`]: `class`, the Java class name of the
/// server's result object, appears in a Manager API example.
pub const OPTIONAL_FIELDS: [&str; 1] = ["class"];

/// The fields of the quote service's envelope (`mm_sdk_core::QuoteEnvelope`).
pub const QUOTE_FIELDS: [&str; 4] = ["ret", "msg", "trace", "data"];

/// An envelope schema found in a spec: its name, its kind and the Rust type of its `data`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// Name of the schema under `#/components/schemas`.
    pub schema: String,
    /// Which envelope it is.
    pub kind: EnvelopeKind,
    /// Rust type of `data`, as a path that resolves anywhere in the generated crate.
    pub data_type: String,
}

impl Envelope {
    /// The Rust type that replaces the schema.
    pub fn rust_type(&self) -> String {
        match self.kind {
            EnvelopeKind::Quote => format!("::mm_sdk_core::QuoteEnvelope<{}>", self.data_type),
            _ => format!("::mm_sdk_core::Envelope<{}>", self.data_type),
        }
    }
}

/// Finds every envelope schema of `spec` and works out its data type. `root` is the path of
/// the generated crate's root as the types will name it (`crate`).
pub fn find(spec: &OpenAPI, root: &str) -> Result<Vec<Envelope>, (String, Problem)> {
    let Some(components) = &spec.components else {
        return Ok(Vec::new());
    };
    let mut found = Vec::new();
    for (name, schema) in &components.schemas {
        let ReferenceOr::Item(Schema {
            schema_kind: SchemaKind::Type(Type::Object(object)),
            ..
        }) = schema
        else {
            continue;
        };
        let keys = |f: &dyn Fn(&str) -> bool| object.properties.keys().filter(|k| f(k)).count();
        let kind = if keys(&|k| FIELDS.contains(&k)) == FIELDS.len()
            && keys(&|k| !FIELDS.contains(&k) && !OPTIONAL_FIELDS.contains(&k)) == 0
        {
            EnvelopeKind::Platform
        } else if object.properties.len() == QUOTE_FIELDS.len()
            && keys(&|k| QUOTE_FIELDS.contains(&k)) == QUOTE_FIELDS.len()
        {
            EnvelopeKind::Quote
        } else {
            continue;
        };
        let pointer = format!("/components/schemas/{name}/properties/data");
        let ReferenceOr::Item(data) = &object.properties["data"] else {
            return Err((pointer, Problem::EnvelopeData));
        };
        let mut data_type =
            data_type(data, root).ok_or((pointer.clone(), Problem::EnvelopeData))?;
        if data.schema_data.extensions.contains_key(OTHER_SHAPES) {
            // Upstream's answers show the data in another shape too: read either.
            let shape = declared_shape(data, spec)
                .ok_or((format!("{pointer}/{OTHER_SHAPES}"), Problem::EnvelopeData))?;
            data_type =
                format!("::mm_sdk_core::OrOther<{data_type}, ::mm_sdk_core::shape::{shape}>");
        }
        found.push(Envelope {
            schema: name.clone(),
            kind,
            data_type,
        });
    }
    Ok(found)
}

/// The Rust type of an envelope's `data`, which must admit `null` (failures carry
/// `data: null`): a nullable primitive or array, `anyOf` a named schema and [`is_null`], or
/// an untyped schema (any JSON value).
fn data_type(schema: &Schema, root: &str) -> Option<String> {
    match &schema.schema_kind {
        SchemaKind::Any(any) if *any == openapiv3::AnySchema::default() => {
            Some("::serde_json::Value".into())
        }
        SchemaKind::AnyOf { any_of } => match any_of.as_slice() {
            [
                ReferenceOr::Reference { reference },
                ReferenceOr::Item(null),
            ] if is_null(null) => named(reference, root),
            _ => None,
        },
        _ if schema.schema_data.nullable => rust_type(schema, root),
        _ => None,
    }
}

/// The extension of an envelope's `data` listing the other JSON shapes upstream's answers
/// show it in (see `openapi/README.md`).
const OTHER_SHAPES: &str = "x-mm-other-shapes";

/// The JSON shape `data` declares, as `mm_sdk_core::shape` names it: its own, or that of
/// the component a nullable reference names.
fn declared_shape(data: &Schema, spec: &OpenAPI) -> Option<&'static str> {
    let schema = match &data.schema_kind {
        SchemaKind::AnyOf { any_of } => match any_of.first()? {
            ReferenceOr::Reference { reference } => crate::model::component(spec, reference)?,
            ReferenceOr::Item(schema) => schema,
        },
        _ => data,
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(_)) => Some("Object"),
        SchemaKind::Type(Type::Array(_)) => Some("Array"),
        SchemaKind::Type(Type::Boolean(_)) => Some("Boolean"),
        SchemaKind::Type(Type::String(_)) => Some("Text"),
        SchemaKind::Type(Type::Integer(_) | Type::Number(_)) => Some("Number"),
        _ => None,
    }
}

/// The OpenAPI 3.0 way to say "only `null`": `{type: string, nullable: true, enum: [null]}`.
/// (3.0 has no null type, and `nullable` next to a `$ref` or `allOf` is ignored.)
pub(crate) fn is_null(schema: &Schema) -> bool {
    schema.schema_data.nullable
        && matches!(&schema.schema_kind,
            SchemaKind::Type(Type::String(string)) if string.enumeration == [None])
}

/// The Rust type of a primitive or array schema.
fn rust_type(schema: &Schema, root: &str) -> Option<String> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string))
            if string.enumeration.is_empty()
                && string.pattern.is_none()
                && matches!(string.format, VariantOrUnknownOrEmpty::Empty) =>
        {
            Some("::std::string::String".into())
        }
        SchemaKind::Type(Type::Integer(integer)) => match &integer.format {
            VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => Some("i32".into()),
            _ => Some("i64".into()),
        },
        SchemaKind::Type(Type::Number(_)) => Some("f64".into()),
        SchemaKind::Type(Type::Boolean(_)) => Some("bool".into()),
        SchemaKind::Type(Type::Array(array)) => {
            let item = match array.items.as_ref()? {
                ReferenceOr::Reference { reference } => named(reference, root)?,
                ReferenceOr::Item(item) => rust_type(item, root)?,
            };
            Some(format!("::std::vec::Vec<{item}>"))
        }
        _ => None,
    }
}

fn named(reference: &str, root: &str) -> Option<String> {
    let name = reference.strip_prefix("#/components/schemas/")?;
    Some(format!("{root}::types::{}", pascal_case(name)))
}

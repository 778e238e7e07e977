//! The stream spec, `openapi/streams/asyncapi.yaml` (AsyncAPI 2.x): the frames of the three
//! WebSocket streams. Its `components.schemas` become the types of `generated/streams/`
//! (`mm-sdk-api-streams`), made by typify as progenitor makes the HTTP types; its Data Push
//! messages (`x-mm-event-type` and a payload schema) become the [`DataPush`] enum that
//! decodes a frame by its `eventType`.
//!
//! [`DataPush`]: #data-push

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;
use typify::{TypeSpace, TypeSpaceImpl, TypeSpaceSettings};

use crate::crates::{generated_lib, generated_manifest};
use crate::generate::{banner, one_doc_line_per_attribute};
use crate::names::pascal_case;
use crate::{Error, Problem};

/// The stream spec, relative to the workspace root.
pub const STREAMS_SPEC: &str = "openapi/streams/asyncapi.yaml";

/// The crate's folder, relative to the workspace root.
pub(crate) const STREAMS_CRATE: &str = "generated/streams";

/// The generated crate's files, if the workspace at `root` has a stream spec.
/// A field of a schema whose name or extensions make it an enum, an id or a time gets the
/// type of `mm_sdk_core`, as in the HTTP specs ([`shared_types`]); the excepted time places
/// met go into `met`.
pub(crate) fn files(
    root: &Path,
    ids: &[crate::ids::Id],
    times: &crate::times::Times,
    met: &mut BTreeSet<String>,
) -> Result<Option<Vec<(PathBuf, String)>>, Error> {
    let path = root.join(STREAMS_SPEC);
    let Some(text) = crate::spec::read_if_present(&path)? else {
        return Ok(None);
    };
    let document: Value = serde_yaml_ng::from_str(&text).map_err(|e| Error::Syntax {
        path: path.clone(),
        location: e.location().map(|l| (l.line(), l.column())),
        pointer: None,
        message: e.to_string(),
    })?;
    let invalid = |pointer: String, problem: Problem| Error::Invalid {
        path: path.clone(),
        pointer,
        problem,
    };
    let version = document
        .get("asyncapi")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !version.starts_with("2.") {
        return Err(invalid(
            "/asyncapi".into(),
            Problem::Streams(format!(
                "unsupported AsyncAPI version `{version}` (expected 2.x)"
            )),
        ));
    }
    check_refs(&document, &mut String::new())
        .map_err(|(pointer, r)| invalid(pointer, Problem::UnknownRef(r)))?;
    let schemas = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .ok_or_else(|| {
            invalid(
                "/components/schemas".into(),
                Problem::Streams("no schemas".into()),
            )
        })?;
    check_examples(&path, &document)
        .map_err(|(pointer, file)| invalid(pointer, Problem::MissingExample(file)))?;
    check_secrets(schemas, &mut String::from("/components/schemas"))
        .map_err(|(pointer, name)| invalid(pointer, Problem::SecretNotMarked(name)))?;

    let mut schemas = schemas.clone();
    for (component, schema) in &mut schemas {
        shared_types(component, schema, ids, times, met);
    }
    let types = types(&schemas).map_err(|message| Error::Generate {
        path: path.clone(),
        message,
    })?;
    let events = data_push_events(&document)
        .map_err(|(pointer, message)| invalid(pointer, Problem::Streams(message)))?;
    let protocol = crate::stream_protocol::module(&document)
        .map_err(|(pointer, message)| invalid(pointer, Problem::Streams(message)))?;
    let title = document
        .pointer("/info/title")
        .and_then(Value::as_str)
        .unwrap_or("MultiMarkets streams");
    let tokens = quote! {
        #types
        #events
        #protocol
    };
    let file: syn::File =
        syn::parse2(one_doc_line_per_attribute(tokens)).map_err(|e| Error::Generate {
            path: path.clone(),
            message: format!("output is not valid Rust: {e}"),
        })?;
    let source = "streams/asyncapi.yaml";
    let dir = Path::new(STREAMS_CRATE);
    Ok(Some(vec![
        (
            dir.join("Cargo.toml"),
            generated_manifest(
                source,
                "mm-sdk-api-streams",
                &format!("{title}: the frames of openapi/{source}."),
                &["mm-sdk-core", "regress", "serde", "serde_json"],
                false,
            ),
        ),
        (
            dir.join("src/lib.rs"),
            generated_lib(
                source,
                &format!(
                    "{title}: the types of the frames of `openapi/{source}`. Use them through `mm-sdk`\n\
                     //! (`mm_sdk::streams::types`)."
                ),
                "types",
            ),
        ),
        (
            dir.join("src/types.rs"),
            format!("{}\n{}", banner(source, "//"), prettyplease::unparse(&file)),
        ),
    ]))
}

/// Gives every property of `schema` (the component `component`) that carries one of
/// `mm_sdk_core`'s shared types typify's `x-rust-type`: a concept, an id or a time the spec
/// names (`x-mm-enum`, `x-mm-id`, `x-mm-time`), or an id or a time by its wire name and type,
/// by the rules of the HTTP specs (`openapi/codes/ids.yaml`, `times.yaml`).
fn shared_types(
    component: &str,
    schema: &mut Value,
    ids: &[crate::ids::Id],
    times: &crate::times::Times,
    met: &mut BTreeSet<String>,
) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    if let Some(items) = object.get_mut("items") {
        shared_types(component, items, ids, times, met);
    }
    let Some(properties) = object.get_mut("properties").and_then(Value::as_object_mut) else {
        return;
    };
    for (name, property) in properties.iter_mut() {
        shared_types(component, property, ids, times, met);
        let Some(property) = property.as_object_mut() else {
            continue;
        };
        let kind = property.get("type").and_then(Value::as_str);
        let plain = !property.contains_key("enum") && !property.contains_key("format");
        let wire = match kind {
            Some("integer") => Some(crate::enums::Wire::Integer),
            Some("string") if plain => Some(crate::enums::Wire::String),
            _ => None,
        };
        let named = [
            crate::enums::EXTENSION,
            crate::ids::EXTENSION,
            crate::times::EXTENSION,
        ]
        .iter()
        .any(|key| property.contains_key(*key));
        if !named {
            if let Some(id) = crate::ids::id_of(ids, name, wire) {
                property.insert(crate::ids::EXTENSION.to_owned(), id.into());
            } else if times.is_time("streams", component, name, kind == Some("integer"), met) {
                property.insert(crate::times::EXTENSION.to_owned(), "unix-ms".into());
            }
        }
        if let Some(rust_type) = crate::generate::shared_rust_type(|key| property.get(key)) {
            property.insert("x-rust-type".to_owned(), rust_type);
        }
    }
}

/// Every `$ref` must point into the document's `components`.
fn check_refs(value: &Value, at: &mut String) -> Result<(), (String, String)> {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                let len = at.len();
                at.push('/');
                at.push_str(&crate::spec::escape(key));
                if key == "$ref" {
                    let target = value.as_str().unwrap_or_default();
                    if !target.starts_with("#/components/") {
                        return Err((at.clone(), target.to_owned()));
                    }
                } else {
                    check_refs(value, at)?;
                }
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = at.len();
                at.push_str(&format!("/{i}"));
                check_refs(item, at)?;
                at.truncate(len);
            }
        }
        _ => {}
    }
    Ok(())
}

/// Every message's `x-mm-examples` file exists.
fn check_examples(path: &Path, document: &Value) -> Result<(), (String, String)> {
    let base = path.parent().unwrap_or(Path::new(""));
    let Some(messages) = document
        .pointer("/components/messages")
        .and_then(Value::as_object)
    else {
        return Ok(());
    };
    for (name, message) in messages {
        let files = message.get("x-mm-examples").and_then(Value::as_array);
        for (i, file) in files.into_iter().flatten().enumerate() {
            let file = file.as_str().unwrap_or_default();
            if !base.join(file).is_file() {
                return Err((
                    format!("/components/messages/{name}/x-mm-examples/{i}"),
                    file.to_owned(),
                ));
            }
        }
    }
    Ok(())
}

/// Every plain string property named like a secret in `schemas` is `format: password`, as in
/// the HTTP specs.
fn check_secrets(
    schemas: &serde_json::Map<String, Value>,
    at: &mut String,
) -> Result<(), (String, String)> {
    fn walk(value: &Value, at: &mut String) -> Result<(), (String, String)> {
        let len = at.len();
        match value {
            Value::Object(map) => {
                if let Some(Value::Object(properties)) = map.get("properties") {
                    for (name, schema) in properties {
                        let plain = schema["type"] == "string"
                            && schema.get("enum").is_none()
                            && schema["format"] != "password";
                        if plain && crate::is_secret_name(name) {
                            return Err((format!("{at}/properties/{name}"), name.clone()));
                        }
                    }
                }
                for (key, child) in map {
                    at.push('/');
                    at.push_str(key);
                    walk(child, at)?;
                    at.truncate(len);
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    at.push_str(&format!("/{index}"));
                    walk(child, at)?;
                    at.truncate(len);
                }
            }
            _ => {}
        }
        Ok(())
    }
    walk(&Value::Object(schemas.clone()), at)
}

/// typify's types for `schemas`; decimal strings become `rust_decimal::Decimal` (read exactly:
/// `crate::money`), secrets (`format: password`) `mm_sdk_core::SecretText`.
fn types(schemas: &serde_json::Map<String, Value>) -> Result<TokenStream, String> {
    let mut settings = TypeSpaceSettings::default();
    settings.with_struct_builder(false);
    // The shared enums, ids and times (see `shared_types`) are mm-sdk-core's own types.
    settings.with_crate("mm-sdk-core", typify::CrateVers::Any, None);
    settings.with_derive("PartialEq".to_owned());
    for (schema, rust_type) in crate::generate::decimal_conversions() {
        settings.with_conversion(
            schema,
            rust_type,
            [TypeSpaceImpl::Display, TypeSpaceImpl::FromStr].into_iter(),
        );
    }
    settings.with_conversion(
        crate::secret::secret_schema(),
        "::mm_sdk_core::SecretText",
        [TypeSpaceImpl::Default].into_iter(),
    );
    let mut space = TypeSpace::new(&settings);
    let definitions = schemas
        .iter()
        .map(|(name, schema)| {
            let schema: schemars::schema::Schema = serde_json::from_value(schema.clone())
                .map_err(|e| format!("schema `{name}` is not JSON Schema: {e}"))?;
            Ok((name.clone(), schema))
        })
        .collect::<Result<Vec<_>, String>>()?;
    space
        .add_ref_types(definitions)
        .map_err(|e| format!("typify cannot make types: {e}"))?;
    let stream = space.to_stream();
    let mut module: syn::ItemMod = syn::parse2(quote! { mod types { #stream } })
        .map_err(|e| format!("typify's output is not valid Rust: {e}"))?;
    crate::money::apply(&mut module)?;
    let items = module.content.map(|(_, items)| items).unwrap_or_default();
    Ok(quote! { #(#items)* })
}

/// The Data Push messages: `x-mm-event-type` names the frame's `eventType`, the payload's
/// `data` property names the schema of its data.
fn data_push_events(document: &Value) -> Result<TokenStream, (String, String)> {
    let mut events: BTreeMap<String, (String, String)> = BTreeMap::new();
    let messages = document
        .pointer("/components/messages")
        .and_then(Value::as_object);
    for (name, message) in messages.into_iter().flatten() {
        let Some(event_type) = message.get("x-mm-event-type").and_then(Value::as_str) else {
            continue;
        };
        let pointer = format!("/components/messages/{name}/x-mm-data");
        let schema = message
            .get("x-mm-data")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
            .ok_or_else(|| {
                (
                    pointer.clone(),
                    "an event message needs `x-mm-data: '#/components/schemas/<payload>'`"
                        .to_owned(),
                )
            })?;
        if document
            .pointer(&format!("/components/schemas/{schema}"))
            .is_none()
        {
            return Err((pointer, format!("no schema `{schema}`")));
        }
        let summary = message
            .get("summary")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        if events
            .insert(event_type.to_owned(), (schema.to_owned(), summary))
            .is_some()
        {
            return Err((
                format!("/components/messages/{name}/x-mm-event-type"),
                format!("event type `{event_type}` is described twice"),
            ));
        }
    }
    if events.is_empty() {
        return Ok(TokenStream::new());
    }
    let variants = events.iter().map(|(event_type, (schema, summary))| {
        let variant = format_ident!("{}", pascal_case(event_type));
        let ty = format_ident!("{}", pascal_case(schema));
        let doc = format!("`{event_type}`: {summary}");
        quote! { #[doc = #doc] #variant(#ty), }
    });
    let arms = events.keys().map(|event_type| {
        let variant = format_ident!("{}", pascal_case(event_type));
        quote! { #event_type => Self::#variant(::serde_json::from_str(data)?), }
    });
    let names = events.keys().map(|event_type| {
        let variant = format_ident!("{}", pascal_case(event_type));
        quote! { Self::#variant(_) => #event_type, }
    });
    let payloads = events.keys().map(|event_type| {
        let variant = format_ident!("{}", pascal_case(event_type));
        quote! { Self::#variant(data) => frame.serialize_field("data", data)?, }
    });
    Ok(quote! {
        /// A Data Push event, decoded by its `eventType` into the payload's type.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum DataPush {
            #(#variants)*
            /// An event type this version does not know (upstream may add some): kept whole.
            Other {
                /// The frame's `eventType`.
                event_type: ::std::string::String,
                /// The frame's `data`.
                data: ::serde_json::Value,
            },
        }

        impl DataPush {
            /// Decodes one frame, `{"data": {...}, "eventType": "..."}`. The data is read
            /// from its own text, so that its decimals are read digit for digit.
            pub fn decode(frame: &str) -> ::std::result::Result<Self, ::serde_json::Error> {
                // A frame is a JSON object: serde would also read the struct below from a
                // JSON array, its fields in order.
                if !frame.trim_start_matches([' ', '\t', '\n', '\r']).starts_with('{') {
                    return Err(<::serde_json::Error as ::serde::de::Error>::invalid_type(
                        ::serde::de::Unexpected::Other("JSON that is not an object"),
                        &"a Data Push frame, a JSON object",
                    ));
                }
                #[derive(::serde::Deserialize)]
                struct Frame {
                    #[serde(rename = "eventType")]
                    event_type: ::std::string::String,
                    #[serde(default)]
                    data: ::std::option::Option<::std::boxed::Box<::serde_json::value::RawValue>>,
                }
                let Frame { event_type, data } = ::serde_json::from_str(frame)?;
                // No data (or `null`) is read as `null`.
                let data = data.as_deref().map_or("null", ::serde_json::value::RawValue::get);
                Ok(match event_type.as_str() {
                    #(#arms)*
                    _ => Self::Other {
                        data: ::serde_json::from_str(data)?,
                        event_type,
                    },
                })
            }

            /// The frame's `eventType`.
            pub fn event_type(&self) -> &str {
                match self {
                    #(#names)*
                    Self::Other { event_type, .. } => event_type,
                }
            }
        }

        /// Written as the frame it was read from: `{"eventType": "...", "data": {...}}`.
        impl ::serde::Serialize for DataPush {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeStruct;
                let mut frame = serializer.serialize_struct("DataPush", 2)?;
                frame.serialize_field("eventType", self.event_type())?;
                match self {
                    #(#payloads)*
                    Self::Other { data, .. } => frame.serialize_field("data", data)?,
                }
                frame.end()
            }
        }
    })
}

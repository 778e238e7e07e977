//! The spec of coded values, `openapi/codes/enums.yaml`: each concept upstream sends as a code
//! (a side, an order type, a trade type...), how it is sent (a number or a string), and what
//! each code means, in the SDK's words. It becomes `mm_sdk_core::enums` (an open enum per
//! concept) and the Markdown table of that module's docs; a field of an operation's spec names
//! its concept with `x-mm-enum`, and the codegen types it with that enum.
//!
//! The spec lives outside `openapi/*.yaml` so that nothing takes it for an area's OpenAPI
//! spec.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde::Deserialize;

use crate::generate::banner;
use crate::{Error, Problem};

/// The spec of coded values, relative to the workspace root.
pub const ENUMS_SPEC: &str = "openapi/codes/enums.yaml";

/// The generated enums of `mm_sdk_core::enums`, relative to the workspace root.
pub(crate) const TABLE: &str = "core/src/enums/table.rs";

/// The Markdown table the module's docs include, relative to the workspace root.
pub(crate) const DOCS: &str = "core/src/enums/table.md";

/// The extension of a field's schema that names its concept.
pub(crate) const EXTENSION: &str = "x-mm-enum";

/// The extension of a field's schema that lists the codes upstream documents for it.
const CODES: &str = "x-mm-codes";

/// The extension of a field's schema that says why its codes are not an enum.
const NOT_ENUM: &str = "x-mm-not-enum";

/// How a concept's codes travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Wire {
    /// JSON numbers (`"direction": 1`).
    Integer,
    /// JSON strings (`"sort": "desc"`).
    String,
}

impl Wire {
    /// The OpenAPI type of a field that carries the concept.
    pub(crate) fn openapi_type(self) -> &'static str {
        match self {
            Self::Integer => "integer",
            Self::String => "string",
        }
    }
}

/// One concept as the spec writes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConcept {
    #[serde(rename = "enum")]
    name: String,
    wire: Wire,
    doc: String,
    values: Vec<RawValue>,
}

/// One code of a concept as the spec writes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawValue {
    code: serde_yaml_ng::Value,
    name: String,
    #[serde(default)]
    doc: Option<String>,
}

/// One checked concept.
#[derive(Debug)]
pub(crate) struct Concept {
    pub(crate) name: String,
    pub(crate) wire: Wire,
    doc: String,
    values: Vec<Value>,
}

impl Concept {
    /// Its codes as JSON writes them (`1`, `"desc"`), each with its name.
    pub(crate) fn codes(&self) -> impl Iterator<Item = (&str, &str)> {
        self.values
            .iter()
            .map(|v| (v.code.as_str(), v.name.as_str()))
    }
}

/// One checked code.
#[derive(Debug)]
struct Value {
    /// The code as Rust and JSON write it (`1`, `-1`, `"desc"`).
    code: String,
    name: String,
    doc: Option<String>,
}

/// The concepts of the workspace at `root`, by name; none when it has no spec of them.
pub(crate) fn concepts(root: &Path) -> Result<BTreeMap<String, Concept>, Error> {
    let path = root.join(ENUMS_SPEC);
    let Some(text) = crate::spec::read_if_present(&path)? else {
        return Ok(BTreeMap::new());
    };
    parse(&path, &text)
}

/// The files made from the concepts: the Rust enums and the Markdown table; none when there
/// are no concepts.
pub(crate) fn files(
    root: &Path,
    concepts: &BTreeMap<String, Concept>,
) -> Result<Vec<(PathBuf, String)>, Error> {
    if concepts.is_empty() {
        return Ok(Vec::new());
    }
    let path = root.join(ENUMS_SPEC);
    Ok(vec![
        (PathBuf::from(TABLE), rust_table(&path, concepts)?),
        (PathBuf::from(DOCS), markdown_table(concepts)),
    ])
}

/// The concepts of `text` (the contents of `path`), checked.
fn parse(path: &Path, text: &str) -> Result<BTreeMap<String, Concept>, Error> {
    let raw: Vec<RawConcept> =
        serde_path_to_error::deserialize(serde_yaml_ng::Deserializer::from_str(text))
            .map_err(|e| crate::spec::syntax_error(path, e))?;
    let mut concepts = BTreeMap::new();
    for (index, raw) in raw.into_iter().enumerate() {
        let invalid = |pointer: String, what: String| Error::Invalid {
            path: path.to_owned(),
            pointer: format!("/{index}{pointer}"),
            problem: Problem::Enum {
                name: raw.name.clone(),
                what,
            },
        };
        let concept = check(&raw).map_err(|(pointer, what)| invalid(pointer, what))?;
        if concepts.contains_key(&concept.name) {
            return Err(invalid("/enum".into(), "is listed twice".into()));
        }
        concepts.insert(concept.name.clone(), concept);
    }
    Ok(concepts)
}

/// `raw` checked, or where it is wrong (a pointer within the entry) and what is wrong.
fn check(raw: &RawConcept) -> Result<Concept, (String, String)> {
    if !is_type_name(&raw.name) {
        return Err((
            "/enum".into(),
            "must be a Rust type name in PascalCase".into(),
        ));
    }
    let doc = one_line(&raw.doc).ok_or(("/doc".to_owned(), "must be one line".to_owned()))?;
    if raw.values.is_empty() {
        return Err(("/values".into(), "lists no code".into()));
    }
    let mut codes = BTreeSet::new();
    let mut names = BTreeSet::new();
    let mut values = Vec::with_capacity(raw.values.len());
    for (i, value) in raw.values.iter().enumerate() {
        let at = |field: &str| format!("/values/{i}/{field}");
        let code = match (raw.wire, &value.code) {
            (Wire::Integer, serde_yaml_ng::Value::Number(n)) if n.as_i64().is_some() => {
                n.as_i64().unwrap_or_default().to_string()
            }
            (Wire::String, serde_yaml_ng::Value::String(s)) if !s.is_empty() => {
                format!("{s:?}")
            }
            (wire, _) => {
                return Err((
                    at("code"),
                    format!(
                        "must be {}",
                        match wire {
                            Wire::Integer => "an integer",
                            Wire::String => "a string, not empty",
                        }
                    ),
                ));
            }
        };
        if !codes.insert(code.clone()) {
            return Err((at("code"), format!("`{code}` is listed twice")));
        }
        if !is_type_name(&value.name) || value.name == "Unknown" {
            return Err((
                at("name"),
                "must be a variant name in PascalCase, not `Unknown`".into(),
            ));
        }
        if !names.insert(value.name.clone()) {
            return Err((at("name"), format!("`{}` is listed twice", value.name)));
        }
        let doc = match &value.doc {
            Some(doc) => {
                Some(one_line(doc).ok_or((at("doc"), "must be one line, not empty".to_owned()))?)
            }
            None => None,
        };
        values.push(Value {
            code,
            name: value.name.clone(),
            doc,
        });
    }
    Ok(Concept {
        name: raw.name.clone(),
        wire: raw.wire,
        doc,
        values,
    })
}

/// `name` as a Rust type or variant name: ASCII letters and digits, a capital first.
pub(crate) fn is_type_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// `text` trimmed, if it is one line and not empty.
fn one_line(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty() && !text.contains('\n')).then(|| text.to_owned())
}

/// `core/src/enums/table.rs`: an enum per concept, with its impls.
fn rust_table(path: &Path, concepts: &BTreeMap<String, Concept>) -> Result<String, Error> {
    let fail = |message: String| Error::Generate {
        path: path.to_owned(),
        message,
    };
    let mut items = TokenStream::new();
    for concept in concepts.values() {
        let name = format_ident!("{}", concept.name);
        let doc = format!(" {}", concept.doc);
        let variants = concept.values.iter().map(|value| {
            let variant = format_ident!("{}", value.name);
            let doc = match &value.doc {
                Some(doc) => format!(" `{}`: {doc}", value.code.trim_matches('"')),
                None => format!(" `{}`.", value.code.trim_matches('"')),
            };
            quote! {
                #[doc = #doc]
                #variant,
            }
        });
        let (derives, unknown, impls) = match concept.wire {
            Wire::Integer => (
                quote!(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord),
                quote!(Unknown(i64)),
                "__int_enum_impls",
            ),
            Wire::String => (
                quote!(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord),
                quote!(Unknown(::std::string::String)),
                "__string_enum_impls",
            ),
        };
        items.extend(quote! {
            #[doc = #doc]
            #[derive(#derives)]
            #[non_exhaustive]
            pub enum #name {
                #(#variants)*
                /// A code this SDK does not know, kept as it came.
                #unknown,
            }
        });
        // Written as text: a negative code is two tokens, which `quote` would not give as one
        // literal.
        let pairs: Vec<String> = concept
            .values
            .iter()
            .map(|value| format!("{} = {}", value.name, value.code))
            .collect();
        let invocation = format!(
            "crate::{impls}!({} {{ {} }});",
            concept.name,
            pairs.join(", ")
        );
        items.extend(
            invocation
                .parse::<TokenStream>()
                .map_err(|e| fail(format!("`{invocation}` is not Rust: {e}")))?,
        );
    }
    let file: syn::File = syn::parse2(items).map_err(|e| {
        fail(format!(
            "the enums of the coded values are not valid Rust: {e}"
        ))
    })?;
    Ok(format!(
        "{}\n{}",
        banner(source(), "//"),
        prettyplease::unparse(&file)
    ))
}

/// `core/src/enums/table.md`: one row per concept, linked to its enum.
fn markdown_table(concepts: &BTreeMap<String, Concept>) -> String {
    let mut table = format!(
        "<!-- @generated by `cargo xtask codegen` from openapi/{}; do not edit. -->\n\n\
         | enum | sent as | codes | what it is |\n\
         |---|---|---|---|\n",
        source()
    );
    for concept in concepts.values() {
        let codes: Vec<String> = concept
            .values
            .iter()
            .map(|value| format!("`{}` {}", value.code.trim_matches('"'), value.name))
            .collect();
        let _ = writeln!(
            table,
            "| [`{0}`]({0}) | {1} | {2} | {3} |",
            concept.name,
            match concept.wire {
                Wire::Integer => "number",
                Wire::String => "string",
            },
            codes.join(", "),
            crate::error_codes::markdown_text(&concept.doc),
        );
    }
    table
}

/// Refuses a field of `spec`'s components whose `x-mm-enum` names no concept of `concepts`, or
/// one sent otherwise than the concept's codes are (a number for a string concept); and one
/// with codes upstream documents (`x-mm-codes`) that is neither an enum with every one of them
/// nor says why not (`x-mm-not-enum`).
pub(crate) fn check_fields(
    spec: &crate::Spec,
    concepts: &BTreeMap<String, Concept>,
) -> Result<(), Error> {
    let document = serde_json::to_value(&spec.openapi).map_err(|e| Error::Generate {
        path: spec.path.clone(),
        message: format!("the spec does not serialize: {e}"),
    })?;
    let mut found = Vec::new();
    fields_named(&document["components"], "/components", &mut found);
    for (pointer, schema) in found {
        let invalid = |name: &str, what: String| Error::Invalid {
            path: spec.path.clone(),
            pointer: pointer.clone(),
            problem: Problem::EnumField {
                name: name.to_owned(),
                what,
            },
        };
        let codes = schema[CODES].as_array();
        if schema.get(EXTENSION).is_none() {
            if schema[NOT_ENUM]
                .as_str()
                .is_some_and(|why| !why.trim().is_empty())
            {
                continue;
            }
            return Err(Error::Invalid {
                path: spec.path.clone(),
                pointer: pointer.clone(),
                problem: Problem::UntypedCodes {
                    codes: schema[CODES].to_string(),
                },
            });
        }
        let Some(name) = schema[EXTENSION].as_str() else {
            return Err(invalid("?", "must be the name of an enum".into()));
        };
        let Some(concept) = concepts.get(name) else {
            return Err(invalid(
                name,
                format!("names no enum of openapi/{}", source()),
            ));
        };
        let wire = concept.wire.openapi_type();
        if schema["type"].as_str() != Some(wire) {
            return Err(invalid(
                name,
                format!("its codes are sent as `{wire}`, and this field is not one"),
            ));
        }
        for code in codes.into_iter().flatten() {
            let code = code.to_string();
            if !concept.values.iter().any(|value| value.code == code) {
                return Err(invalid(
                    name,
                    format!("lacks the code {code}, which upstream documents ({CODES})"),
                ));
            }
        }
    }
    Ok(())
}

/// Every schema under `value` (at JSON pointer `at`) that carries [`EXTENSION`] or [`CODES`].
fn fields_named<'v>(
    value: &'v serde_json::Value,
    at: &str,
    found: &mut Vec<(String, &'v serde_json::Value)>,
) {
    match value {
        serde_json::Value::Object(map) => {
            if map.contains_key(EXTENSION) || map.contains_key(CODES) {
                found.push((at.to_owned(), value));
            }
            for (key, child) in map {
                fields_named(child, &format!("{at}/{}", crate::spec::escape(key)), found);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                fields_named(child, &format!("{at}/{i}"), found);
            }
        }
        _ => {}
    }
}

/// The spec's path under `openapi/`, as the banners name it.
fn source() -> &'static str {
    ENUMS_SPEC.strip_prefix("openapi/").unwrap_or(ENUMS_SPEC)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(yaml: &str) -> Result<BTreeMap<String, Concept>, String> {
        parse(Path::new("enums.yaml"), yaml).map_err(|e| e.to_string())
    }

    const SIDE: &str = r#"
- enum: Side
  wire: integer
  doc: Which way an order trades.
  values:
    - {code: 1, name: Buy, doc: Buys.}
    - {code: 2, name: Sell}
    - {code: -1, name: Either, doc: Only as a filter.}
- enum: Sort
  wire: string
  doc: The order of a list.
  values:
    - {code: desc, name: Descending}
"#;

    #[test]
    fn each_concept_becomes_an_open_enum_with_its_codes() {
        let concepts = parsed(SIDE).unwrap();
        let table = rust_table(Path::new("enums.yaml"), &concepts).unwrap();
        assert!(table.starts_with(
            "// @generated by `cargo xtask codegen` from openapi/codes/enums.yaml.\n"
        ));
        assert!(table.contains("pub enum Side {"), "{table}");
        assert!(
            table.contains("/// `-1`: Only as a filter.\n    Either,"),
            "{table}"
        );
        assert!(table.contains("/// `2`.\n    Sell,"), "{table}");
        assert!(table.contains("Unknown(i64),"), "{table}");
        assert!(
            table.contains("crate::__int_enum_impls!(Side { Buy = 1, Sell = 2, Either = - 1 });")
                || table
                    .contains("crate::__int_enum_impls!(Side { Buy = 1, Sell = 2, Either = -1 });"),
            "{table}"
        );
        assert!(table.contains("Unknown(::std::string::String),"), "{table}");
        assert!(
            table.contains(r#"crate::__string_enum_impls!(Sort { Descending = "desc" });"#),
            "{table}"
        );
        let docs = markdown_table(&concepts);
        assert!(
            docs.contains(
                "| [`Side`](Side) | number | `1` Buy, `2` Sell, `-1` Either | Which way an order \
                 trades. |\n"
            ),
            "{docs}"
        );
    }

    #[test]
    fn a_field_naming_no_enum_or_sent_otherwise_is_refused() {
        let concepts = parsed(SIDE).unwrap();
        let spec = |field: &str| {
            let text = format!(
                "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths: {{}}\ncomponents:\n  \
                 schemas:\n    Order:\n      type: object\n      properties:\n        side: \
                 {field}\n"
            );
            crate::parse(Path::new("openapi/area.yaml"), &text).unwrap()
        };
        check_fields(&spec("{type: integer, x-mm-enum: Side}"), &concepts).unwrap();
        let error = check_fields(&spec("{type: integer, x-mm-enum: Sde}"), &concepts)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("at /components/schemas/Order/properties/side")
                && error.contains("`x-mm-enum: Sde` names no enum of openapi/codes/enums.yaml"),
            "{error}"
        );
        let error = check_fields(&spec("{type: string, x-mm-enum: Side}"), &concepts)
            .unwrap_err()
            .to_string();
        assert!(error.contains("its codes are sent as `integer`"), "{error}");
    }

    #[test]
    fn a_wrong_entry_is_refused_naming_where() {
        let twice = SIDE.replace("{code: 2, name: Sell}", "{code: 1, name: Sell}");
        let error = parsed(&twice).unwrap_err();
        assert!(error.contains("/0/values/1/code"), "{error}");
        assert!(error.contains("`1` is listed twice"), "{error}");

        let text_code = SIDE.replace("{code: 2, name: Sell}", "{code: two, name: Sell}");
        let error = parsed(&text_code).unwrap_err();
        assert!(error.contains("must be an integer"), "{error}");

        let unknown = SIDE.replace("name: Sell", "name: Unknown");
        let error = parsed(&unknown).unwrap_err();
        assert!(error.contains("not `Unknown`"), "{error}");
    }
}

//! The spec of the ids that cross operations, `openapi/codes/ids.yaml`: each id, how it is
//! sent (a number or text), and the wire name of the fields that carry it. It becomes
//! `mm_sdk_core::ids` (a newtype per id) and the Markdown table of that module's docs; every
//! field of an area spec with that name and type gets the id's type ([`mark`]), the same in
//! every operation.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use openapiv3::{SchemaKind, Type};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde::Deserialize;

use crate::enums::Wire;
use crate::generate::banner;
use crate::{Error, Problem};

/// The spec of the ids, relative to the workspace root.
pub const IDS_SPEC: &str = "openapi/codes/ids.yaml";

/// The generated newtypes of `mm_sdk_core::ids`, relative to the workspace root.
const TABLE: &str = "core/src/ids/table.rs";

/// The Markdown table the module's docs include, relative to the workspace root.
const DOCS: &str = "core/src/ids/table.md";

/// The extension [`mark`] gives a field: the name of its id.
pub(crate) const EXTENSION: &str = "x-mm-id";

/// One id.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Id {
    #[serde(rename = "id")]
    name: String,
    wire: Wire,
    field: String,
    doc: String,
}

/// The ids of the workspace at `root`; none when it has no spec of them.
pub(crate) fn ids(root: &Path) -> Result<Vec<Id>, Error> {
    let path = root.join(IDS_SPEC);
    let Some(text) = crate::spec::read_if_present(&path)? else {
        return Ok(Vec::new());
    };
    let ids: Vec<Id> =
        serde_path_to_error::deserialize(serde_yaml_ng::Deserializer::from_str(&text))
            .map_err(|e| crate::spec::syntax_error(&path, e))?;
    let mut names = BTreeSet::new();
    let mut fields = BTreeSet::new();
    for (index, id) in ids.iter().enumerate() {
        let invalid = |what: String| Error::Invalid {
            path: path.clone(),
            pointer: format!("/{index}"),
            problem: Problem::Id {
                name: id.name.clone(),
                what,
            },
        };
        if !crate::enums::is_type_name(&id.name) {
            return Err(invalid("is not a Rust type name".into()));
        }
        if !names.insert(id.name.as_str()) || !fields.insert(id.field.as_str()) {
            return Err(invalid("names an id or a field listed before".into()));
        }
        if id.doc.trim().is_empty() || id.doc.contains('\n') {
            return Err(invalid("needs a `doc` of one line".into()));
        }
    }
    Ok(ids)
}

/// Marks every property of `spec`'s components named like an id's field, of the id's type,
/// with [`EXTENSION`]: the codegen types it with the id. A field that already names a coded
/// value (`x-mm-enum`) keeps it.
pub(crate) fn mark(spec: &mut crate::Spec, ids: &[Id]) {
    crate::generate::each_property(spec, &mut |_, name, property| {
        let wire = match &property.schema_kind {
            SchemaKind::Type(Type::Integer(_)) => Some(Wire::Integer),
            SchemaKind::Type(Type::String(string))
                if string.enumeration.is_empty()
                    && matches!(string.format, openapiv3::VariantOrUnknownOrEmpty::Empty) =>
            {
                Some(Wire::String)
            }
            _ => None,
        };
        let extensions = &mut property.schema_data.extensions;
        if let Some(id) = id_of(ids, name, wire)
            && !extensions.contains_key(crate::enums::EXTENSION)
        {
            extensions.insert(EXTENSION.to_owned(), id.into());
        }
    });
}

/// The id a field named `name` carries when it is sent as `wire` (an integer, or text of no
/// format): the id of that field name and wire, if any.
pub(crate) fn id_of<'a>(ids: &'a [Id], name: &str, wire: Option<Wire>) -> Option<&'a str> {
    ids.iter()
        .find(|id| id.field == name && Some(id.wire) == wire)
        .map(|id| id.name.as_str())
}

/// The files made from the ids: the Rust newtypes and the Markdown table; none without ids.
pub(crate) fn files(root: &Path, ids: &[Id]) -> Result<Vec<(PathBuf, String)>, Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(vec![
        (PathBuf::from(TABLE), rust_table(&root.join(IDS_SPEC), ids)?),
        (PathBuf::from(DOCS), markdown_table(ids)),
    ])
}

/// `core/src/ids/table.rs`: a newtype per id, with its impls.
fn rust_table(path: &Path, ids: &[Id]) -> Result<String, Error> {
    let mut items = TokenStream::new();
    for id in ids {
        let name = format_ident!("{}", id.name);
        let doc = format!(" {} Sent as `{}`.", id.doc, id.field);
        items.extend(match id.wire {
            Wire::Integer => quote! {
                #[doc = #doc]
                #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
                pub struct #name(i64);
                crate::__int_id_impls!(#name);
            },
            Wire::String => quote! {
                #[doc = #doc]
                #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
                pub struct #name(::std::string::String);
                crate::__text_id_impls!(#name);
            },
        });
    }
    let file: syn::File = syn::parse2(items).map_err(|e| Error::Generate {
        path: path.to_owned(),
        message: format!("the ids are not valid Rust: {e}"),
    })?;
    Ok(format!(
        "{}\n{}",
        banner(source(), "//"),
        prettyplease::unparse(&file)
    ))
}

/// `core/src/ids/table.md`: one row per id, linked to its type.
fn markdown_table(ids: &[Id]) -> String {
    let mut table = format!(
        "<!-- @generated by `cargo xtask codegen` from openapi/{}; do not edit. -->\n\n\
         | id | field | sent as | what it identifies |\n\
         |---|---|---|---|\n",
        source()
    );
    for id in ids {
        let _ = writeln!(
            table,
            "| [`{0}`]({0}) | `{1}` | {2} | {3} |",
            id.name,
            id.field,
            match id.wire {
                Wire::Integer => "number",
                Wire::String => "text",
            },
            id.doc
        );
    }
    table
}

/// The spec's path under `openapi/`, as the banners name it.
fn source() -> &'static str {
    IDS_SPEC.strip_prefix("openapi/").unwrap_or(IDS_SPEC)
}

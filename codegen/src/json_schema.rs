//! `schemars::JsonSchema` on the generated types, behind each crate's `json-schema` feature.
//!
//! The derive reads the same serde attributes the types are decoded with, so the schema it
//! gives is what the Rust type really accepts: which fields it requires, under which names,
//! of which kinds. The tests compare it with the spec's schema, and the feature lets a user
//! publish or check the types' schemas too. It is a feature because most users need neither
//! the derive's compile time nor the dependency.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Item, ItemMod, parse_quote};

use crate::names::pascal_case;

/// The cargo feature of every generated crate (and of `mm-sdk-core`) that turns it on.
pub const FEATURE: &str = "json-schema";

/// Adds the feature-gated derive to every struct and enum of progenitor's `types` module and
/// returns their names. The `error` module keeps its own: it is not data.
pub fn derive_in(types: &mut ItemMod) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let Some((_, items)) = &mut types.content else {
        return names;
    };
    let derive: syn::Attribute =
        parse_quote!(#[cfg_attr(feature = "json-schema", derive(::schemars::JsonSchema))]);
    for item in items.iter_mut() {
        let (attrs, ident) = match item {
            Item::Struct(s) => (&mut s.attrs, &s.ident),
            Item::Enum(e) => (&mut e.attrs, &e.ident),
            _ => continue,
        };
        names.insert(ident.to_string());
        // After the `#[derive(...)]`, so that schemars sees the serde attributes below it.
        let at = attrs
            .iter()
            .position(|a| a.path().is_ident("derive"))
            .map_or(0, |i| i + 1);
        attrs.insert(at, derive.clone());
    }
    names
}

/// `json_schemas()`: each component schema of the spec that became a type, by the spec's
/// name, with the schema of that type.
pub fn registry<'a>(
    components: impl IntoIterator<Item = &'a String>,
    types: &BTreeSet<String>,
) -> TokenStream {
    let entries = components.into_iter().filter_map(|name| {
        let ident = pascal_case(name);
        types.contains(&ident).then(|| {
            let ident = format_ident!("{ident}");
            quote!((#name, ::schemars::schema_for!(types::#ident)))
        })
    });
    quote! {
        /// The JSON Schema of each type made from a component schema of the spec, by the
        /// component's name: what the type accepts, derived from its serde attributes.
        #[cfg(feature = "json-schema")]
        pub fn json_schemas() -> ::std::vec::Vec<(&'static str, ::schemars::schema::RootSchema)> {
            ::std::vec![#(#entries),*]
        }
    }
}

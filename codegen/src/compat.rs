//! The generated types as the compatibility contract (README, "Compatibility") has them:
//! they can grow without breaking their users.
//!
//! - Every struct and enum is `#[non_exhaustive]`: a regeneration that adds a field or a
//!   variant breaks no struct literal and no `match`.
//! - A struct is made with `new`, which takes the fields that must have a value (one missing
//!   is a compile error), and one method per other field (optional, or one that may be null),
//!   named as the field, taking `impl Into<…>`.
//!   Requests are built this way, and so are answers, for a user's own tests. typify's
//!   builders, which find a missing field only at run time, are not generated
//!   (`InterfaceStyle::Positional`, in `generate::types`).
//! - A string enum keeps a value it does not know (`Unknown`), its impls written by
//!   `mm_sdk_core::__string_enum_impls!`.
//! - A value refused by a type that checks it is an `mm_sdk_core::ConversionError`, one type
//!   for every area, which converts into the SDK's `Error`.

use std::collections::BTreeSet;

use quote::{format_ident, quote};
use syn::{Attribute, Fields, Item, ItemEnum, ItemImpl, ItemMod, ItemStruct, Type, parse_quote};

/// Applies the contract to progenitor's `types` module; returns the names of the enums it
/// made open enums.
pub fn apply(types: &mut ItemMod) -> BTreeSet<String> {
    let mut open_enums = BTreeSet::new();
    let Some((_, items)) = &mut types.content else {
        return open_enums;
    };
    let string_enums: BTreeSet<String> = items
        .iter()
        .filter_map(|item| match item {
            Item::Enum(e) => string_enum(e).map(|_| e.ident.to_string()),
            _ => None,
        })
        .collect();
    let mut out = Vec::with_capacity(items.len());
    for item in std::mem::take(items) {
        match item {
            Item::Mod(module) if module.ident == "error" => out.push(parse_quote! {
                /// The error of a type that checks the value it is made from.
                pub mod error {
                    pub use ::mm_sdk_core::ConversionError;
                }
            }),
            Item::Impl(imp) if replaced_by_open_enum(&imp, &string_enums) => {}
            Item::Struct(mut s) => {
                s.attrs.push(parse_quote!(#[non_exhaustive]));
                let constructors = constructors(&s);
                out.push(Item::Struct(s));
                out.extend(constructors);
            }
            Item::Enum(e) if string_enums.contains(&e.ident.to_string()) => {
                open_enums.insert(e.ident.to_string());
                out.extend(open_enum(&e));
            }
            Item::Enum(mut e) => {
                e.attrs.push(parse_quote!(#[non_exhaustive]));
                out.push(Item::Enum(e));
            }
            other => out.push(other),
        }
    }
    *items = out;
    open_enums
}

/// The value of each variant of `e`, if it is one of typify's string enums: unit variants,
/// each the string its `#[serde(rename)]` gives (or its name), and no other serde attribute
/// on the enum.
fn string_enum(e: &ItemEnum) -> Option<Vec<(syn::Ident, Vec<Attribute>, String)>> {
    if e.attrs.iter().any(|a| a.path().is_ident("serde")) {
        return None;
    }
    e.variants
        .iter()
        .map(|variant| {
            if !matches!(variant.fields, Fields::Unit) {
                return None;
            }
            let mut value = variant.ident.to_string();
            let mut docs = Vec::new();
            for attr in &variant.attrs {
                if attr.path().is_ident("doc") {
                    docs.push(attr.clone());
                } else if attr.path().is_ident("serde") {
                    let mut renamed = None;
                    attr.parse_nested_meta(|meta| {
                        if meta.path.is_ident("rename") {
                            renamed = Some(meta.value()?.parse::<syn::LitStr>()?.value());
                            Ok(())
                        } else {
                            Err(meta.error("not a rename"))
                        }
                    })
                    .ok()?;
                    value = renamed?;
                } else {
                    return None;
                }
            }
            // `Unknown` is the open enum's own variant: a value of that name is `UnknownValue`.
            let ident = if variant.ident == "Unknown" {
                format_ident!("UnknownValue")
            } else {
                variant.ident.clone()
            };
            Some((ident, docs, value))
        })
        .collect()
}

/// Whether `imp` is one of typify's impls of a string enum that the open enum replaces:
/// `Display`, `FromStr`, `TryFrom<&str>`, `TryFrom<String>`.
fn replaced_by_open_enum(imp: &ItemImpl, string_enums: &BTreeSet<String>) -> bool {
    let Some((trait_path, _)) = &imp.trait_ else {
        return false;
    };
    let Type::Path(self_type) = imp.self_ty.as_ref() else {
        return false;
    };
    let is_enum = self_type
        .path
        .get_ident()
        .is_some_and(|ident| string_enums.contains(&ident.to_string()));
    let replaced = trait_path.segments.last().is_some_and(|last| {
        ["Display", "FromStr", "TryFrom"].contains(&last.ident.to_string().as_str())
    });
    is_enum && replaced
}

/// A string enum as an open enum: its docs and variants, `Unknown(String)`, and
/// `::mm_sdk_core::__string_enum_impls!` for its impls.
fn open_enum(e: &ItemEnum) -> Vec<Item> {
    let docs = e.attrs.iter().filter(|a| a.path().is_ident("doc"));
    let vis = &e.vis;
    let name = &e.ident;
    let variants = string_enum(e).unwrap_or_default();
    let definitions = variants
        .iter()
        .map(|(ident, docs, _)| quote!(#(#docs)* #ident));
    let values = variants
        .iter()
        .map(|(ident, _, value)| quote!(#ident = #value));
    vec![
        parse_quote! {
            #(#docs)*
            #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
            #[non_exhaustive]
            #vis enum #name {
                #(#definitions,)*
                /// A value this version of the SDK does not know, kept exactly as it was
                /// received and sent back as it is.
                Unknown(::std::string::String),
            }
        },
        parse_quote!(::mm_sdk_core::__string_enum_impls!(#name { #(#values),* });),
    ]
}

/// `impl X { pub fn new(<required fields>) -> Self; pub fn <optional field>(self, value) -> Self }`
/// for a struct with named fields; nothing for a newtype (it converts `From` its value).
fn constructors(s: &ItemStruct) -> Option<Item> {
    let Fields::Named(fields) = &s.fields else {
        return None;
    };
    let name = &s.ident;
    let mut parameters = Vec::new();
    let mut values = Vec::new();
    let mut setters = Vec::new();
    for field in &fields.named {
        let ident = field.ident.as_ref()?;
        let ty = &field.ty;
        if is_optional(field) {
            let doc = format!(" Sets [`{name}::{ident}`].");
            let setter = setter_name(ident);
            match option_inner(ty) {
                Some(inner) => setters.push(quote! {
                    #[doc = #doc]
                    pub fn #setter(mut self, value: impl ::std::convert::Into<#inner>) -> Self {
                        self.#ident = ::std::option::Option::Some(value.into());
                        self
                    }
                }),
                None => setters.push(quote! {
                    #[doc = #doc]
                    pub fn #setter(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                        self.#ident = value.into();
                        self
                    }
                }),
            }
            let default = serde_default(&field.attrs)
                .map(|path| quote!(#path()))
                .unwrap_or_else(|| quote!(::std::default::Default::default()));
            values.push(quote!(#ident: #default));
        } else {
            parameters.push(quote!(#ident: impl ::std::convert::Into<#ty>));
            values.push(quote!(#ident: #ident.into()));
        }
    }
    let doc = if parameters.is_empty() {
        " With every field left out: set each with the method named as the field.".to_owned()
    } else {
        " With the fields that must have a value: set each other one (optional, or one that may \
         be null) with the method named as the field. A field upstream makes required later is a \
         new parameter (see the README, \"Compatibility\")."
            .to_owned()
    };
    Some(parse_quote! {
        impl #name {
            #[doc = #doc]
            pub fn new(#(#parameters),*) -> Self {
                Self { #(#values),* }
            }
            #(#setters)*
        }
    })
}

/// Whether `new` leaves a field out (to its default, set by its own method): serde defaults it
/// (`#[serde(default)]`, a flattened map), or it is an `Option`. A required field that admits
/// `null` is an `Option` too: `None` is a value it may have, so `new` need not ask for it.
fn is_optional(field: &syn::Field) -> bool {
    let mut defaulted = false;
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("default") || meta.path.is_ident("flatten") {
                defaulted = true;
            }
            // Skip the value of `name = value`, whatever it is.
            if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    defaulted || option_inner(&field.ty).is_some()
}

/// Method names every generated struct has (or that its traits give it): a field of one of
/// these names gets its setter as `set_<name>` instead, so that neither hides the other.
const TAKEN_METHODS: [&str; 12] = [
    "new",
    "default",
    "clone",
    "clone_from",
    "eq",
    "ne",
    "fmt",
    "hash",
    "serialize",
    "deserialize",
    "into",
    "from",
];

/// The setter of the field `ident`: its name, unless that is a method every struct has.
fn setter_name(ident: &syn::Ident) -> syn::Ident {
    let name = ident.to_string();
    if TAKEN_METHODS.contains(&name.as_str()) {
        format_ident!("set_{name}")
    } else {
        ident.clone()
    }
}

/// The function of `#[serde(default = "path")]`, if the field names one.
fn serde_default(attrs: &[Attribute]) -> Option<syn::ExprPath> {
    let mut found = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("default") && meta.input.peek(syn::Token![=]) {
                let path: syn::LitStr = meta.value()?.parse()?;
                found = path.parse().ok();
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    found
}

/// `T` of `::std::option::Option<T>` (or `Option<T>`).
fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    match &last.arguments {
        syn::PathArguments::AngleBracketed(args) => match args.args.first()? {
            syn::GenericArgument::Type(inner) => Some(inner),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn applied(types: ItemMod) -> String {
        let mut types = types;
        apply(&mut types);
        let file: syn::File = parse_quote!(#types);
        prettyplease::unparse(&file)
    }

    #[test]
    fn a_struct_gets_new_with_its_required_fields_and_a_setter_per_optional_one() {
        let code = applied(parse_quote! {
            pub mod types {
                #[derive(Clone, Debug)]
                pub struct Order {
                    #[serde(rename = "symbolId")]
                    pub symbol_id: i64,
                    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
                    pub remark: ::std::option::Option<::std::string::String>,
                    #[serde(deserialize_with = "::std::option::Option::deserialize")]
                    pub price: ::std::option::Option<::std::string::String>,
                    #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
                    pub tags: ::std::vec::Vec<::std::string::String>,
                }
                pub mod error {
                    pub struct ConversionError;
                }
            }
        });
        let compact: String = code.split_whitespace().collect();
        for expected in [
            "#[non_exhaustive] pub struct Order",
            "pub fn new(symbol_id: impl ::std::convert::Into<i64>) -> Self",
            "pub fn price( mut self, value: impl ::std::convert::Into<::std::string::String>, ) \
             -> Self",
            "remark: ::std::default::Default::default()",
            "pub fn remark( mut self, value: impl ::std::convert::Into<::std::string::String>, ) \
             -> Self",
            "self.remark = ::std::option::Option::Some(value.into());",
            "pub fn tags( mut self, value: impl ::std::convert::Into<::std::vec::Vec<::std::string::String>>, ) -> Self",
            "pub use ::mm_sdk_core::ConversionError;",
        ] {
            let expected: String = expected.split_whitespace().collect();
            assert!(compact.contains(&expected), "no `{expected}` in\n{code}");
        }
    }

    #[test]
    fn a_field_named_like_a_method_every_struct_has_gets_a_set_setter() {
        let code = applied(parse_quote! {
            pub mod types {
                pub struct Odd {
                    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
                    pub new: ::std::option::Option<i64>,
                    #[serde(default = "defaults::flag", skip_serializing_if = "::std::ops::Not::not")]
                    pub default: bool,
                    pub clone: i64,
                }
            }
        });
        let compact: String = code.split_whitespace().collect();
        for expected in [
            "pub fn new(clone: impl ::std::convert::Into<i64>) -> Self",
            "new: ::std::default::Default::default()",
            "default: defaults::flag()",
            "pub fn set_new(",
            "pub fn set_default(",
        ] {
            let expected: String = expected.split_whitespace().collect();
            assert!(compact.contains(&expected), "no `{expected}` in\n{code}");
        }
    }

    #[test]
    fn a_value_named_unknown_does_not_clash_with_the_catch_all() {
        let mut types: ItemMod = parse_quote! {
            pub mod types {
                #[derive(::serde::Deserialize, ::serde::Serialize)]
                pub enum State {
                    #[serde(rename = "UNKNOWN")]
                    Unknown,
                    #[serde(rename = "OK")]
                    Ok,
                }
            }
        };
        apply(&mut types);
        let code = quote!(#types).to_string();
        assert!(code.contains("UnknownValue , Ok , # [doc"), "{code}");
        assert!(code.contains("UnknownValue = \"UNKNOWN\""), "{code}");
    }

    #[test]
    fn a_string_enum_becomes_an_open_enum_without_its_typify_impls() {
        let mut types: ItemMod = parse_quote! {
            pub mod types {
                /// The strategy.
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Copy, Debug)]
                pub enum Strategy {
                    #[serde(rename = "fix_total_amount")]
                    FixTotalAmount,
                    Plain,
                }
                impl ::std::fmt::Display for Strategy {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { todo!() }
                }
                impl ::std::str::FromStr for Strategy {
                    type Err = ();
                    fn from_str(value: &str) -> Result<Self, ()> { todo!() }
                }
                impl ::std::default::Default for Strategy {
                    fn default() -> Self { Strategy::Plain }
                }
                #[derive(::serde::Deserialize)]
                #[serde(untagged)]
                pub enum Either {
                    A(i64),
                    B(::std::string::String),
                }
            }
        };
        let open = apply(&mut types);
        assert_eq!(open, BTreeSet::from(["Strategy".to_owned()]));
        let code = quote!(#types).to_string();
        for expected in [
            "# [doc = r\" The strategy.\"] # [derive (Clone , Debug , PartialEq , Eq , Hash , \
             PartialOrd , Ord)] # [non_exhaustive] pub enum Strategy { FixTotalAmount , Plain ,",
            "Unknown (:: std :: string :: String) , }",
            ":: mm_sdk_core :: __string_enum_impls ! (Strategy { FixTotalAmount = \
             \"fix_total_amount\" , Plain = \"Plain\" }) ;",
        ] {
            assert!(code.contains(expected), "no `{expected}` in {code}");
        }
        assert!(!code.contains("Display"), "{code}");
        assert!(code.contains("Default for Strategy"), "{code}");
        assert!(
            code.contains("# [non_exhaustive] pub enum Either"),
            "{code}"
        );
    }
}

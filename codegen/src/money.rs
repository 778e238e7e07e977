//! Exact money in the generated types, without `serde_json`'s `arbitrary_precision`: a
//! `Decimal` field reads its value's JSON text through `mm_sdk_core::exact_decimal` (a
//! `DecimalNumber` reads itself so), and no decimal may sit where serde buffers a value before
//! reading it (an untagged or internally tagged enum, a flattened field), where there is no
//! text to read.

use std::collections::BTreeSet;

use quote::ToTokens;
use syn::{Attribute, Fields, Item, ItemMod, Type, parse_quote};

/// The money types, as the generated code names them (`decimal_conversions`).
const DECIMAL: &str = "Decimal";
const DECIMAL_NUMBER: &str = "DecimalNumber";

/// Gives every `Decimal` field of `types` its exact reading; refuses a decimal in a shape
/// with none (a list of them, a map of them) or in a buffered type, naming the type.
pub(crate) fn apply(types: &mut ItemMod) -> Result<(), String> {
    let Some((_, items)) = &mut types.content else {
        return Ok(());
    };
    refuse_buffered(items)?;
    for item in items.iter_mut() {
        let Item::Struct(s) = item else { continue };
        let name = s.ident.to_string();
        // schemars reads serde's `with` as a type: it is told the field's own.
        let schema = s
            .attrs
            .iter()
            .any(|attr| attr.to_token_stream().to_string().contains("JsonSchema"));
        let Fields::Named(fields) = &mut s.fields else {
            if s.fields.iter().any(|f| names_of(&f.ty).contains(DECIMAL)) {
                return Err(format!("`{name}`: a decimal in a tuple struct"));
            }
            continue;
        };
        for field in &mut fields.named {
            if !names_of(&field.ty).contains(DECIMAL) {
                continue;
            }
            let field_name = field.ident.as_ref().map(ToString::to_string);
            let own = field.ty.to_token_stream().to_string().replace(' ', "");
            match shape(&field.ty) {
                Some(Shape::Plain) => field
                    .attrs
                    .push(parse_quote!(#[serde(with = "::mm_sdk_core::exact_decimal")])),
                Some(Shape::Optional) => {
                    // typify reads a field that must be present but may be null with
                    // `deserialize_with = Option::deserialize`: `with` takes its place, and
                    // keeps it required. Any other `Option` is optional (absent is `None`),
                    // which serde no longer assumes once `with` is set.
                    if !without_deserialize_with(&mut field.attrs)
                        && !serde_says(&field.attrs, "default")
                    {
                        field.attrs.push(parse_quote!(#[serde(default)]));
                    }
                    field
                        .attrs
                        .push(parse_quote!(#[serde(with = "::mm_sdk_core::exact_decimal_option")]));
                }
                None => {
                    return Err(format!(
                        "`{name}::{}`: a decimal inside `{}`, which has no exact reading \
                         (only `Decimal` and `Option<Decimal>` fields have one)",
                        field_name.unwrap_or_default(),
                        field.ty.to_token_stream()
                    ));
                }
            }
            if schema {
                field.attrs.push(parse_quote!(
                    #[cfg_attr(feature = "json-schema", schemars(with = #own))]
                ));
            }
        }
    }
    Ok(())
}

enum Shape {
    Plain,
    Optional,
}

/// `Decimal` or `Option<Decimal>`, as typify writes them.
fn shape(ty: &Type) -> Option<Shape> {
    let text = ty.to_token_stream().to_string();
    match text.as_str() {
        ":: mm_sdk_core :: Decimal" => Some(Shape::Plain),
        ":: std :: option :: Option < :: mm_sdk_core :: Decimal >" => Some(Shape::Optional),
        _ => None,
    }
}

/// The identifiers a type is written with.
fn names_of(ty: &Type) -> BTreeSet<String> {
    fn collect(stream: proc_macro2::TokenStream, out: &mut BTreeSet<String>) {
        for tree in stream {
            match tree {
                proc_macro2::TokenTree::Ident(ident) => {
                    out.insert(ident.to_string());
                }
                proc_macro2::TokenTree::Group(group) => collect(group.stream(), out),
                _ => {}
            }
        }
    }
    let mut out = BTreeSet::new();
    collect(ty.to_token_stream(), &mut out);
    out
}

/// The items of a serde attribute, comma-separated.
type Metas = syn::punctuated::Punctuated<syn::Meta, syn::Token![,]>;

/// The items of a `#[serde(...)]` attribute (`default`, `rename = "..."`...); `None` for any
/// other attribute.
fn serde_items(attr: &Attribute) -> Option<Metas> {
    if !attr.path().is_ident("serde") {
        return None;
    }
    attr.parse_args_with(Metas::parse_terminated).ok()
}

/// Whether a `#[serde(...)]` attribute of `attrs` has the item `word`.
fn serde_says(attrs: &[Attribute], word: &str) -> bool {
    attrs
        .iter()
        .filter_map(serde_items)
        .any(|items| items.iter().any(|item| item.path().is_ident(word)))
}

/// Removes `deserialize_with = ...` from the `#[serde(...)]` attributes of `attrs`; whether
/// there was one.
fn without_deserialize_with(attrs: &mut Vec<Attribute>) -> bool {
    let mut found = false;
    attrs.retain_mut(|attr| {
        let Some(metas) = serde_items(attr) else {
            return true;
        };
        let (gone, kept): (Vec<_>, Vec<_>) = metas
            .into_iter()
            .partition(|meta| meta.path().is_ident("deserialize_with"));
        if gone.is_empty() {
            return true;
        }
        found = true;
        if kept.is_empty() {
            return false;
        }
        *attr = parse_quote!(#[serde(#(#kept),*)]);
        true
    });
    found
}

/// Refuses an untagged or internally tagged enum, or a flattened field, that holds a decimal,
/// itself or through the module's other types.
fn refuse_buffered(items: &[Item]) -> Result<(), String> {
    // The module's types that hold a decimal, found until no more are.
    let mut holding: BTreeSet<String> = [DECIMAL, DECIMAL_NUMBER].map(str::to_owned).into();
    loop {
        let before = holding.len();
        for item in items {
            let (name, types) = match item {
                Item::Struct(s) => (&s.ident, s.fields.iter().map(|f| &f.ty).collect::<Vec<_>>()),
                Item::Enum(e) => (
                    &e.ident,
                    e.variants
                        .iter()
                        .flat_map(|v| v.fields.iter().map(|f| &f.ty))
                        .collect(),
                ),
                _ => continue,
            };
            if types.iter().any(|ty| !names_of(ty).is_disjoint(&holding)) {
                holding.insert(name.to_string());
            }
        }
        if holding.len() == before {
            break;
        }
    }
    let held = |ty: &Type| names_of(ty).intersection(&holding).next().cloned();
    for item in items {
        match item {
            Item::Enum(e) if serde_says(&e.attrs, "untagged") || serde_says(&e.attrs, "tag") => {
                for variant in &e.variants {
                    if let Some(through) = variant.fields.iter().find_map(|f| held(&f.ty)) {
                        return Err(format!(
                            "`{}::{}`: a decimal (through `{through}`) in an enum serde reads \
                             buffered (untagged or internally tagged), where it has no exact \
                             reading",
                            e.ident, variant.ident
                        ));
                    }
                }
            }
            Item::Struct(s) => {
                for field in &s.fields {
                    if serde_says(&field.attrs, "flatten")
                        && let Some(through) = held(&field.ty)
                    {
                        return Err(format!(
                            "`{}::{}`: a decimal (through `{through}`) in a flattened field, \
                             which serde reads buffered, where it has no exact reading",
                            s.ident,
                            field
                                .ident
                                .as_ref()
                                .map(ToString::to_string)
                                .unwrap_or_default()
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn applied(types: ItemMod) -> Result<String, String> {
        let mut types = types;
        apply(&mut types)?;
        Ok(types.to_token_stream().to_string())
    }

    #[test]
    fn decimal_fields_read_their_text() {
        let out = applied(parse_quote! {
            pub mod types {
                pub struct Order {
                    pub price: ::mm_sdk_core::Decimal,
                    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
                    pub fee: ::std::option::Option<::mm_sdk_core::Decimal>,
                    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
                    pub profit: ::std::option::Option<::mm_sdk_core::Decimal>,
                    pub volume: ::mm_sdk_core::DecimalNumber,
                }
            }
        })
        .unwrap();
        let price = "# [serde (with = \"::mm_sdk_core::exact_decimal\")] pub price";
        assert!(out.contains(price), "{out}");
        // `default` once, as serde requires.
        let fee = "# [serde (default , skip_serializing_if = \"::std::option::Option::is_none\")] \
                   # [serde (with = \"::mm_sdk_core::exact_decimal_option\")] pub fee";
        assert!(out.contains(fee), "{out}");
        let profit = "# [serde (default)] # [serde (with = \"::mm_sdk_core::exact_decimal_option\")] pub profit";
        assert!(out.contains(profit), "{out}");
        assert!(
            out.contains("pub volume : :: mm_sdk_core :: DecimalNumber"),
            "{out}"
        );
    }

    #[test]
    fn a_decimal_that_must_be_present_but_may_be_null_stays_required() {
        let out = applied(parse_quote! {
            pub mod types {
                pub struct Account {
                    #[serde(rename = "availableLoan", deserialize_with = "::std::option::Option::deserialize")]
                    pub available_loan: ::std::option::Option<::mm_sdk_core::Decimal>,
                }
            }
        })
        .unwrap();
        assert!(!out.contains("deserialize_with"), "{out}");
        assert!(!out.contains("default"), "{out}");
        assert!(out.contains("rename = \"availableLoan\""), "{out}");
        assert!(out.contains("exact_decimal_option"), "{out}");
    }

    #[test]
    fn a_list_of_decimals_is_refused() {
        let refused = applied(parse_quote! {
            pub mod types {
                pub struct Quote { pub prices: ::std::vec::Vec<::mm_sdk_core::Decimal> }
            }
        })
        .unwrap_err();
        assert!(refused.contains("`Quote::prices`"), "{refused}");
    }

    #[test]
    fn a_decimal_in_a_buffered_type_is_refused_naming_the_way_in() {
        let untagged = applied(parse_quote! {
            pub mod types {
                pub struct Leg { pub volume: ::mm_sdk_core::DecimalNumber }
                pub struct Order { pub legs: ::std::vec::Vec<Leg> }
                #[serde(untagged)]
                pub enum Data { One(Order), Nothing(()) }
            }
        })
        .unwrap_err();
        assert!(
            untagged.contains("`Data::One`") && untagged.contains("`Order`"),
            "{untagged}"
        );
        let flattened = applied(parse_quote! {
            pub mod types {
                pub struct Leg { pub volume: ::mm_sdk_core::DecimalNumber }
                pub struct Order { #[serde(flatten)] pub leg: Leg }
            }
        })
        .unwrap_err();
        assert!(flattened.contains("`Order::leg`"), "{flattened}");
        // Without a decimal, both are fine.
        applied(parse_quote! {
            pub mod types {
                pub struct Leg { pub volume: i64 }
                #[serde(untagged)]
                pub enum Data { One(Leg), Nothing(()) }
            }
        })
        .unwrap();
    }
}

//! A field of any JSON type (`serde_json::Value`, from a schema without a type) may be absent.
//!
//! typify gives an optional field an `Option` with `#[serde(default)]`, except when its type
//! already admits `null`, as `serde_json::Value` does: it is then left without a default, so
//! serde would refuse an answer that leaves the field out. A missing untyped field is read as
//! `null`, which is what the spec's "optional" means for it.

use syn::{Fields, Item, ItemMod, Type, parse_quote};

/// Adds `#[serde(default)]` to every `serde_json::Value` field of progenitor's `types` module
/// that has no default.
pub fn default_untyped_fields(types: &mut ItemMod) {
    let Some((_, items)) = &mut types.content else {
        return;
    };
    for item in items.iter_mut() {
        let Item::Struct(s) = item else { continue };
        let Fields::Named(fields) = &mut s.fields else {
            continue;
        };
        for field in fields.named.iter_mut() {
            let has_default = field.attrs.iter().any(|a| {
                a.path().is_ident("serde")
                    && a.meta
                        .require_list()
                        .is_ok_and(|list| list.tokens.to_string().contains("default"))
            });
            if is_json_value(&field.ty) && !has_default {
                field.attrs.push(parse_quote!(#[serde(default)]));
            }
        }
    }
}

/// `::serde_json::Value` (or `serde_json::Value`).
fn is_json_value(ty: &Type) -> bool {
    let Type::Path(path) = ty else { return false };
    let segments: Vec<String> = path
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    segments == ["serde_json", "Value"]
}

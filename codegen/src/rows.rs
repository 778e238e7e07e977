//! The Rust type of a paged operation's rows: found by following its `x-mm-paging` items path
//! through the generated types, field by field, to the list it ends at.

use syn::{Fields, GenericArgument, Item, ItemMod, ItemStruct, PathArguments, Type};

/// The element type of the list at `path` (JSON field names from `data`) in `data`, a Rust
/// type as the model writes it (`types::X`, `::std::vec::Vec<types::Y>`): as the types module
/// writes it (`X`, `::std::string::String`).
pub(crate) fn row_type(module: &ItemMod, data: &str, path: &[String]) -> Result<String, String> {
    let data = data.replace("crate::types::", "").replace("types::", "");
    let mut current: Type =
        syn::parse_str(&data).map_err(|e| format!("`{data}` is not a Rust type: {e}"))?;
    for field in path {
        let name = type_name(declared(without_option(&current))).ok_or_else(|| {
            format!(
                "`{field}` is looked for in `{}`, not a struct",
                shown(&current)
            )
        })?;
        let item = find_struct(module, &name)
            .ok_or_else(|| format!("no struct `{name}` among the generated types"))?;
        current = field_type(item, field)
            .ok_or_else(|| format!("the struct `{name}` has no field `{field}`"))?;
    }
    // A named list is a newtype of it (`pub struct XData(pub Vec<Row>)`).
    let list = without_option(&current);
    let list = match type_name(list).and_then(|name| find_struct(module, &name)) {
        Some(item) => newtype_of(item).unwrap_or(list),
        None => list,
    };
    element(without_option(list))
        .map(shown)
        .ok_or_else(|| format!("the rows are a `{}`, not a list", shown(&current)))
}

/// The one field's type of a tuple struct of one field.
fn newtype_of(item: &ItemStruct) -> Option<&Type> {
    match &item.fields {
        Fields::Unnamed(fields) if fields.unnamed.len() == 1 => Some(&fields.unnamed[0].ty),
        _ => None,
    }
}

/// `T` of `Option<T>` (however written), or the type itself.
fn without_option(ty: &Type) -> &Type {
    generic_of(ty, "Option").unwrap_or(ty)
}

/// `T` of `mm_sdk_core::OrOther<T, S>` (data upstream also sends in another shape: its rows
/// are in the declared one), or the type itself.
fn declared(ty: &Type) -> &Type {
    generic_of(ty, "OrOther").unwrap_or(ty)
}

/// `T` of `Vec<T>` (however written).
fn element(ty: &Type) -> Option<&Type> {
    generic_of(ty, "Vec")
}

/// The one type argument of `ty` when its last path segment is `wrapper`.
fn generic_of<'t>(ty: &'t Type, wrapper: &str) -> Option<&'t Type> {
    let Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident != wrapper {
        return None;
    }
    let PathArguments::AngleBracketed(arguments) = &last.arguments else {
        return None;
    };
    match arguments.args.first()? {
        GenericArgument::Type(inner) => Some(inner),
        _ => None,
    }
}

/// The name of a plain named type (`X`, `super::X`).
fn type_name(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(path) if path.qself.is_none() => {
            let last = path.path.segments.last()?;
            matches!(last.arguments, PathArguments::None).then(|| last.ident.to_string())
        }
        _ => None,
    }
}

fn find_struct<'m>(module: &'m ItemMod, name: &str) -> Option<&'m ItemStruct> {
    module
        .content
        .as_ref()?
        .1
        .iter()
        .find_map(|item| match item {
            Item::Struct(s) if s.ident == name => Some(s),
            _ => None,
        })
}

/// The type of the field serialized as `json_name`: its `#[serde(rename)]`, or its name.
fn field_type(item: &ItemStruct, json_name: &str) -> Option<Type> {
    let Fields::Named(fields) = &item.fields else {
        return None;
    };
    fields.named.iter().find_map(|field| {
        let ident = field.ident.as_ref()?.to_string();
        let renamed = field.attrs.iter().find_map(|attr| {
            if !attr.path().is_ident("serde") {
                return None;
            }
            let mut rename = None;
            let _ = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    rename = Some(meta.value()?.parse::<syn::LitStr>()?.value());
                } else if meta.input.peek(syn::Token![=]) {
                    meta.value()?.parse::<proc_macro2::TokenStream>()?;
                }
                Ok(())
            });
            rename
        });
        let serialized = renamed.unwrap_or_else(|| ident.trim_start_matches("r#").to_owned());
        (serialized == json_name).then(|| field.ty.clone())
    })
}

fn shown(ty: &Type) -> String {
    quote::quote!(#ty).to_string().replace(' ', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module() -> ItemMod {
        syn::parse_quote! {
            pub mod types {
                pub struct PageData {
                    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
                    pub records: ::std::option::Option<::std::vec::Vec<PageDataRecordsItem>>,
                    #[serde(rename = "totalPage")]
                    pub total_page: i64,
                    pub inner: Inner,
                }
                pub struct Inner {
                    #[serde(rename = "list", default)]
                    pub rows: ::std::vec::Vec<::std::string::String>,
                }
                pub struct PageDataRecordsItem {}
                pub struct ListData(pub ::std::vec::Vec<PageDataRecordsItem>);
            }
        }
    }

    fn path(fields: &[&str]) -> Vec<String> {
        fields.iter().map(|f| (*f).to_owned()).collect()
    }

    #[test]
    fn rows_are_found_through_fields_renames_and_options() {
        let module = module();
        assert_eq!(
            row_type(&module, "types::PageData", &path(&["records"])).unwrap(),
            "PageDataRecordsItem"
        );
        assert_eq!(
            row_type(&module, "types::PageData", &path(&["inner", "list"])).unwrap(),
            "::std::string::String"
        );
        assert_eq!(
            row_type(&module, "::std::vec::Vec<types::PageDataRecordsItem>", &[]).unwrap(),
            "PageDataRecordsItem"
        );
        assert_eq!(
            row_type(&module, "types::ListData", &[]).unwrap(),
            "PageDataRecordsItem"
        );
    }

    #[test]
    fn a_path_that_leads_nowhere_says_where() {
        let module = module();
        let error = row_type(&module, "types::PageData", &path(&["totalPage"])).unwrap_err();
        assert!(error.contains("not a list"), "{error}");
        let error = row_type(&module, "types::PageData", &path(&["missing"])).unwrap_err();
        assert!(error.contains("no field `missing`"), "{error}");
    }
}

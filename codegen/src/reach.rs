//! Which generated type is made of which: what an operation's group module re-exports is its
//! request and answer types and every type they contain.

use std::collections::{BTreeMap, BTreeSet};

use syn::visit::Visit;
use syn::{Item, ItemMod};

/// Each struct and enum of progenitor's `types` module, with the names of the other types of
/// the module its fields and variants use.
pub fn uses(types: &ItemMod) -> BTreeMap<String, BTreeSet<String>> {
    let items = types.content.as_ref().map_or(&[][..], |(_, items)| items);
    let mut uses: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for item in items {
        let name = match item {
            Item::Struct(s) => s.ident.to_string(),
            Item::Enum(e) => e.ident.to_string(),
            _ => continue,
        };
        let mut idents = Idents::default();
        idents.visit_item(item);
        uses.insert(name, idents.0);
    }
    let names: BTreeSet<String> = uses.keys().cloned().collect();
    for used in uses.values_mut() {
        used.retain(|name| names.contains(name));
    }
    uses
}

/// Every identifier that appears in a path of a type.
#[derive(Default)]
struct Idents(BTreeSet<String>);

impl<'ast> Visit<'ast> for Idents {
    fn visit_type_path(&mut self, path: &'ast syn::TypePath) {
        for segment in &path.path.segments {
            self.0.insert(segment.ident.to_string());
        }
        syn::visit::visit_type_path(self, path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_type_uses_the_types_of_its_fields_and_variants() {
        let types: ItemMod = syn::parse_quote! {
            pub mod types {
                pub struct Page { pub rows: ::std::vec::Vec<Row>, pub total: i64 }
                pub struct Row { pub side: Side }
                pub enum Side { Buy, Sell }
                pub enum Either { A(Row), B(::std::string::String) }
            }
        };
        let uses = uses(&types);
        let set = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<BTreeSet<_>>();
        assert_eq!(uses["Page"], set(&["Row"]));
        assert_eq!(uses["Row"], set(&["Side"]));
        assert_eq!(uses["Side"], set(&[]));
        assert_eq!(uses["Either"], set(&["Row"]));
    }
}

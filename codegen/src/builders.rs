//! Struct builders only where they help: on the types a caller builds.
//!
//! typify gives every struct a builder (`X::builder()`, `types::builder::X`), which lets a
//! caller fill a request with many optional fields by name. A response type is only ever
//! decoded, so its builder is dead code, and builders are most of the generated lines (59 % of
//! them with upstream's whole reference). This keeps the builders of the request bodies and of every type they
//! contain, and drops the others.

use std::collections::{BTreeMap, BTreeSet};

use syn::visit::Visit;
use syn::{Item, ItemImpl, ItemMod, Type};

/// Drops from `types` (progenitor's `types` module) the builders of every struct not reachable
/// from `roots`, the names of the request body types.
pub fn keep_request_builders(types: &mut ItemMod, roots: &BTreeSet<String>) {
    let Some((_, items)) = &mut types.content else {
        return;
    };
    let keep = reachable(items, roots);
    let builder_of_kept = |item: &Item| match item {
        Item::Struct(s) => keep.contains(&s.ident.to_string()),
        Item::Impl(imp) => impl_names(imp).iter().any(|name| keep.contains(name)),
        _ => true,
    };
    items.retain(|item| match item {
        // `impl X { pub fn builder() ... }`
        Item::Impl(imp) if is_builder_constructor(imp) => builder_of_kept(item),
        _ => true,
    });
    for item in items.iter_mut() {
        if let Item::Mod(module) = item
            && module.ident == "builder"
            && let Some((_, builders)) = &mut module.content
        {
            builders.retain(builder_of_kept);
        }
    }
}

/// The struct names reachable from `roots` through the fields of the structs and the variants
/// of the enums of `items`.
fn reachable(items: &[Item], roots: &BTreeSet<String>) -> BTreeSet<String> {
    let mut uses: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for item in items {
        let (name, mut collect) = match item {
            Item::Struct(s) => (s.ident.to_string(), Idents::default()),
            Item::Enum(e) => (e.ident.to_string(), Idents::default()),
            _ => continue,
        };
        collect.visit_item(item);
        uses.insert(name, collect.0);
    }
    let mut found = BTreeSet::new();
    let mut pending: Vec<String> = roots.iter().cloned().collect();
    while let Some(name) = pending.pop() {
        if !found.insert(name.clone()) {
            continue;
        }
        if let Some(used) = uses.get(&name) {
            pending.extend(used.iter().filter(|u| uses.contains_key(*u)).cloned());
        }
    }
    found
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

/// Whether `imp` is `impl X { pub fn builder() -> builder::X }`.
fn is_builder_constructor(imp: &ItemImpl) -> bool {
    imp.trait_.is_none()
        && imp
            .items
            .iter()
            .any(|item| matches!(item, syn::ImplItem::Fn(f) if f.sig.ident == "builder"))
}

/// The type names an impl is about: its self type's and its trait's generic arguments' last
/// segments (`impl TryFrom<X> for super::X`).
fn impl_names(imp: &ItemImpl) -> Vec<String> {
    let mut names = Vec::new();
    if let Type::Path(path) = imp.self_ty.as_ref()
        && let Some(last) = path.path.segments.last()
    {
        names.push(last.ident.to_string());
    }
    names
}

//! The `operationId`s of imported operations: upstream's are missing, repeated or wrong, so they
//! are made from the path.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToSnakeCase;

/// An operation to name: its API, method, and path (ours and upstream's).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Unnamed<'a> {
    pub(crate) api: &'a str,
    pub(crate) method: &'a str,
    /// As our specs write it.
    pub(crate) path: &'a str,
    /// As upstream writes it.
    pub(crate) upstream_path: &'a str,
    /// The id the specs give it already, which it keeps.
    pub(crate) kept: Option<&'a str>,
}

/// The last name of a path: the bizType's method (`...Service.getLevel` → `getLevel`) or the
/// last segment.
pub(crate) fn last_name(path: &str) -> &str {
    let last = path.rsplit('/').next().unwrap_or_default();
    last.rsplit('.').next().unwrap_or(last)
}

/// What tells apart operations of the same last name: the service of the bizType without
/// its `...Service` suffix, or the previous path segment.
fn qualifier(path: &str) -> String {
    let last = path.rsplit('/').next().unwrap_or_default();
    let mut parts: Vec<&str> = last.split('.').collect();
    parts.pop();
    let previous = match parts.last() {
        Some(service) => (*service).to_owned(),
        None => {
            let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
            let previous = segments
                .len()
                .checked_sub(2)
                .and_then(|i| segments.get(i).copied())
                .unwrap_or("root");
            previous.rsplit('.').next().unwrap_or(previous).to_owned()
        }
    };
    let mut service = previous.as_str();
    for suffix in [
        "AdminDubboService",
        "AdminApiService",
        "WebApiService",
        "DubboService",
        "ApiService",
        "AdminService",
        "WebService",
        "Service",
    ] {
        if let Some(stripped) = service.strip_suffix(suffix).filter(|s| !s.is_empty()) {
            service = stripped;
            break;
        }
    }
    service.to_snake_case()
}

/// The service module of a path: the first part of the bizType, or the first segment.
fn module(path: &str) -> String {
    let last = path.rsplit('/').next().unwrap_or_default();
    if last.contains('.') {
        last.split('.').next().unwrap_or_default().to_snake_case()
    } else {
        path.trim_start_matches('/')
            .split('/')
            .next()
            .unwrap_or_default()
            .to_snake_case()
    }
}

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use",
    "where", "while", "abstract", "become", "box", "do", "final", "macro", "override", "priv",
    "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// A name made a valid method name: not starting with a digit, not a Rust keyword.
fn fix(id: String) -> String {
    let id = if id.starts_with(|c: char| c.is_ascii_digit()) || id.is_empty() {
        format!("op_{id}")
    } else {
        id
    };
    if KEYWORDS.contains(&id.as_str()) {
        format!("{id}_op")
    } else {
        id
    }
}

/// snake_case `operationId`s of `operations`, in their order, unique per API (`reserved`: the
/// hand-kept ids, per API, included). An operation keeps the id the specs give it (unless a
/// hand-kept spec has taken it since); a new one gets the last name of its path, and where two
/// new ones share it (or a kept or hand-kept one has it), the service qualifies it, then the
/// module, then a number, in the order of the paths. The ids do not depend on the order of
/// `operations`.
pub(crate) fn assign(
    operations: &[Unnamed],
    reserved: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<String> {
    let mut order: Vec<usize> = (0..operations.len()).collect();
    order.sort_by_key(|&i| (operations[i].path, operations[i].method));
    let apis: BTreeSet<&str> = operations.iter().map(|o| o.api).collect();
    let mut assigned = vec![String::new(); operations.len()];
    for api in apis {
        let members: Vec<usize> = order
            .iter()
            .copied()
            .filter(|&i| operations[i].api == api)
            .collect();
        let mut taken = reserved.get(api).cloned().unwrap_or_default();
        let mut fresh = Vec::new();
        for &i in &members {
            match operations[i].kept {
                Some(id) if !taken.contains(id) => {
                    taken.insert(id.to_owned());
                    assigned[i] = id.to_owned();
                }
                _ => fresh.push(i),
            }
        }
        let base = |i: usize| fix(last_name(operations[i].upstream_path).to_snake_case());
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for &i in &fresh {
            *counts.entry(base(i)).or_default() += 1;
        }
        let mut ids: Vec<(usize, String)> = fresh
            .iter()
            .map(|&i| {
                let b = base(i);
                if counts.get(&b) == Some(&1) && !taken.contains(&b) {
                    (i, b)
                } else {
                    (i, format!("{}_{b}", qualifier(operations[i].upstream_path)))
                }
            })
            .collect();
        // Second round: the module, then a number.
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for (_, id) in &ids {
            *seen.entry(id.clone()).or_default() += 1;
        }
        for (i, id) in &mut ids {
            if seen.get(id.as_str()).is_some_and(|&n| n > 1) || taken.contains(id.as_str()) {
                *id = format!("{}_{id}", module(operations[*i].upstream_path));
            }
        }
        for (i, id) in ids {
            let mut unique = id.clone();
            let mut n = 2;
            while taken.contains(&unique) {
                unique = format!("{id}_{n}");
                n += 1;
            }
            taken.insert(unique.clone());
            assigned[i] = unique;
        }
    }
    assigned
}

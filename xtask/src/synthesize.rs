//! `cargo xtask synthesize --into DIR [--operations N]`: writes synthetic specs into the
//! workspace at `DIR` (a copy of this one) so that, with the real specs, it has `N` operations
//! (400 by default), for measuring how the codegen and the build scale.
//!
//! The extra operations are copies of the real ones, spread over new areas the way upstream's
//! reference spreads them (most in the Client API, in several areas; the rest in the Manager
//! API). Copy `k` of an operation gets its own `operationId` and path, and its own copy of
//! every schema, so that each area's crate has as many types as real specs of that size
//! would. Examples are shared with the originals. A copy stays in its original's group (the
//! groups are declared once per API, by the real spec that declares them).

use std::path::{Path, PathBuf};

use serde_yaml_ng::{Mapping, Value};

const USAGE: &str = "usage: cargo xtask synthesize --into DIR [--operations N]";

/// The synthetic areas: the real spec each copies, and its share of the extra operations.
/// Upstream's Client reference has about 30 tags in eight groups (customer, funds, trade,
/// market maker, credit card, index, message, basic); split at the size at which one area's
/// crate still rebuilds in under 10 s on two cores (`BENCHMARKS.md`), that is ten areas of
/// about 33 operations. The Manager API's operations carry much larger schemas (a customer's
/// details have a hundred fields), so its areas are about half that size.
const AREAS: [(&str, &str, u32); 13] = [
    ("synthetic-client-a", "client", 9),
    ("synthetic-client-b", "client", 9),
    ("synthetic-client-c", "client", 9),
    ("synthetic-client-d", "client", 9),
    ("synthetic-client-e", "client", 9),
    ("synthetic-client-f", "client", 9),
    ("synthetic-client-g", "client", 9),
    ("synthetic-client-h", "client", 9),
    ("synthetic-client-i", "client", 9),
    ("synthetic-client-j", "client", 9),
    ("synthetic-manager-a", "manager", 4),
    ("synthetic-manager-b", "manager", 4),
    ("synthetic-manager-c", "manager", 4),
];

pub(crate) fn run(args: &[&str]) -> Result<(), String> {
    let mut into = None;
    let mut total = 400usize;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match *arg {
            "--into" => into = Some(PathBuf::from(args.next().ok_or(USAGE)?)),
            "--operations" => {
                let value = args.next().ok_or(USAGE)?;
                total = value
                    .parse()
                    .map_err(|_| format!("`--operations {value}`: not a number"))?;
            }
            _ => return Err(USAGE.into()),
        }
    }
    let into = into.ok_or(USAGE)?;
    let here = std::fs::canonicalize(".").map_err(|e| format!("no workspace root: {e}"))?;
    if std::fs::canonicalize(&into).ok().as_deref() == Some(here.as_path()) {
        return Err("--into must be a copy of the workspace, not the workspace itself".into());
    }

    let real: usize = mm_sdk_codegen::areas(Path::new(""))
        .map_err(|e| e.to_string())?
        .iter()
        .map(|area| {
            mm_sdk_codegen::load_model(Path::new(""), area).map(|(_, m)| m.operations.len())
        })
        .sum::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    let extra = total
        .checked_sub(real)
        .ok_or_else(|| format!("the real specs already have {real} operations"))?;
    let shares: u32 = AREAS.iter().map(|(_, _, share)| share).sum();
    let mut written = 0;
    for (index, (area, source, share)) in AREAS.iter().enumerate() {
        let count = if index + 1 == AREAS.len() {
            extra - written
        } else {
            extra * *share as usize / shares as usize
        };
        written += count;
        let text = std::fs::read_to_string(format!("openapi/{source}.yaml"))
            .map_err(|e| format!("openapi/{source}.yaml: {e}"))?;
        let spec: Value =
            serde_yaml_ng::from_str(&text).map_err(|e| format!("openapi/{source}.yaml: {e}"))?;
        let synthetic = synthesize(&spec, area, count)?;
        let out = into.join(format!("openapi/{area}.yaml"));
        let yaml = serde_yaml_ng::to_string(&synthetic).map_err(|e| e.to_string())?;
        std::fs::write(&out, yaml).map_err(|e| format!("{}: {e}", out.display()))?;
        println!("wrote {} ({count} operations)", out.display());
    }
    println!("{real} real + {extra} synthetic = {total} operations");
    Ok(())
}

/// A spec of `count` operations copied from `spec`'s, cycling through them. Only operations
/// with a documented successful answer are copied: a plain operation needs one (the sandbox
/// answers with it), while a hand-written one may rely on its stateful model instead.
fn synthesize(spec: &Value, area: &str, count: usize) -> Result<Value, String> {
    let paths = spec["paths"].as_mapping().ok_or("the spec has no paths")?;
    let mut operations: Vec<(&str, &Value)> = Vec::new();
    for (path, item) in paths {
        if let Some(path) = path.as_str()
            && has_successful_example(&item["post"])?
        {
            operations.push((path, item));
        }
    }
    if operations.is_empty() {
        return Err("no operation of the spec has a successful response example".into());
    }
    let schemas = spec["components"]["schemas"]
        .as_mapping()
        .ok_or("the spec has no schemas")?;
    let suffix = area.rsplit('-').next().unwrap_or(area);

    let mut out = spec.clone();
    if let Some(root) = out.as_mapping_mut() {
        root.remove("x-mm-groups");
        root.remove("x-mm-group-features");
    }
    out["info"]["title"] = format!(
        "{} (synthetic area `{area}`)",
        spec["info"]["title"].as_str().unwrap_or("API")
    )
    .into();
    let mut new_paths = Mapping::new();
    let mut new_schemas = Mapping::new();
    let copies = count.div_ceil(operations.len().max(1));
    // Only the schemas the operations use: a spec may carry others (the Data Push payloads).
    let used = reachable(operations.iter().map(|(_, item)| *item), schemas);
    for copy in 1..=copies {
        let tag = format!("V{}{copy}", suffix.to_ascii_uppercase());
        for (name, schema) in schemas {
            let Some(name) = name.as_str().filter(|name| used.contains(*name)) else {
                continue;
            };
            new_schemas.insert(format!("{name}{tag}").into(), renamed(schema, &tag));
        }
    }
    for n in 0..count {
        let (path, item) = operations[n % operations.len()];
        let copy = n / operations.len() + 1;
        let tag = format!("V{}{copy}", suffix.to_ascii_uppercase());
        let mut item = renamed(item, &tag);
        for operation in item
            .as_mapping_mut()
            .into_iter()
            .flat_map(|m| m.values_mut())
        {
            let Some(operation) = operation.as_mapping_mut() else {
                continue;
            };
            if let Some(Value::String(id)) = operation.get_mut("operationId") {
                *id = format!("{id}_{}{copy}", suffix.replace('-', "_"));
            }
        }
        new_paths.insert(format!("/synthetic/{area}/{copy}{path}").into(), item);
    }
    out["paths"] = Value::Mapping(new_paths);
    out["components"]["schemas"] = Value::Mapping(new_schemas);
    Ok(out)
}

/// Whether `operation` documents a successful answer, which the sandbox answers with when it
/// has no model of the operation: one of its response examples (`examples/...` under
/// `openapi/`) is an envelope with `data` that says `ok: true` (`ret: 200` for the quote
/// service).
fn has_successful_example(operation: &Value) -> Result<bool, String> {
    let Some(responses) = operation["responses"].as_mapping() else {
        return Ok(false);
    };
    let examples = responses
        .values()
        .filter_map(|response| response["content"]["application/json"]["examples"].as_mapping())
        .flat_map(|examples| examples.values())
        .filter_map(|example| example["externalValue"].as_str())
        .filter(|path| path.starts_with("examples/"));
    for path in examples {
        let file = format!("openapi/{path}");
        let text = std::fs::read_to_string(&file).map_err(|e| format!("{file}: {e}"))?;
        let envelope: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{file}: {e}"))?;
        if envelope.get("data").is_some() && (envelope["ok"] == true || envelope["ret"] == 200) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The names of the schemas `roots` refer to, directly or through other schemas.
fn reachable<'a>(
    roots: impl Iterator<Item = &'a Value>,
    schemas: &Mapping,
) -> std::collections::BTreeSet<String> {
    let mut found = std::collections::BTreeSet::new();
    let mut pending: Vec<&Value> = roots.collect();
    while let Some(value) = pending.pop() {
        match value {
            Value::Mapping(map) => {
                for (key, child) in map {
                    let target = child
                        .as_str()
                        .filter(|_| key.as_str() == Some("$ref"))
                        .and_then(|t| t.strip_prefix("#/components/schemas/"));
                    match target {
                        Some(name) if found.insert(name.to_owned()) => {
                            pending.extend(schemas.get(name));
                        }
                        Some(_) => {}
                        None => pending.push(child),
                    }
                }
            }
            Value::Sequence(items) => pending.extend(items),
            _ => {}
        }
    }
    found
}

/// `value` with every `$ref` to a schema pointing at that schema's copy `tag`.
fn renamed(value: &Value, tag: &str) -> Value {
    match value {
        Value::Mapping(map) => Value::Mapping(
            map.iter()
                .map(|(key, value)| {
                    let value = match (key.as_str(), value.as_str()) {
                        (Some("$ref"), Some(target))
                            if target.starts_with("#/components/schemas/") =>
                        {
                            Value::String(format!("{target}{tag}"))
                        }
                        _ => renamed(value, tag),
                    };
                    (key.clone(), value)
                })
                .collect(),
        ),
        Value::Sequence(items) => Value::Sequence(items.iter().map(|v| renamed(v, tag)).collect()),
        other => other.clone(),
    }
}

//! `cargo xtask import [--refresh]`: turns upstream's OpenAPI exports (copied from the docs'
//! GitBook source into `openapi/upstream/`, which is not committed: their text is upstream's)
//! into new area specs
//! `openapi/<area>.yaml` with their examples under `openapi/examples/<area>/`, following the
//! conventions of `openapi/README.md`, and rewrites the README's "Imported from upstream's
//! exports" section.
//!
//! The hand-kept specs (`client.yaml`, `manager.yaml`, `auth2.yaml`) keep priority: an
//! operation whose method and path they already have is skipped, and their `operationId`s are
//! never reused. `--refresh` first copies the exports from a git clone of the docs' GitBook
//! source (its folder in `MM_DOCS_REPO`); it is needed once per checkout.
//!
//! Everything written is derived deterministically from the exports: running the import twice
//! gives the same files. Upstream's prose (descriptions of operations and fields) is not
//! copied; the summaries and descriptions are written here from the operation's path, tag
//! and title.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use heck::{ToPascalCase, ToSnakeCase};
use serde_yaml_ng::{Mapping, Value};

const UPSTREAM: &str = "openapi/upstream";
const README: &str = "openapi/README.md";
const SECTION_START: &str = "<!-- import: written by `cargo xtask import` -->";
const SECTION_END: &str = "<!-- end of import -->";

/// The envelope's fields, in the order upstream sends them.
const ENVELOPE: [&str; 9] = mm_sdk_codegen::envelope::FIELDS;

/// One of upstream's exports.
pub(crate) struct Export {
    /// Its file under `openapi/upstream/` (and `.gitbook/assets/` of the docs).
    pub(crate) file: &'static str,
    /// A short name for the README.
    pub(crate) name: &'static str,
    /// `x-mm-api` of the specs made from it.
    pub(crate) api: &'static str,
}

pub(crate) const EXPORTS: [Export; 4] = [
    Export {
        file: "MultiMarkets-ClientAPI.openapi.en.yaml",
        name: "Client API",
        api: "client",
    },
    Export {
        file: "MultiMarkets-BusinessAPI-EN.openapi-20240830.yaml",
        name: "Manager API",
        api: "manager",
    },
    Export {
        file: "MultiMarkets-Auth2Api.openapi.en.yaml",
        name: "Auth2 API",
        api: "auth2",
    },
    Export {
        file: "UTGL量化相关API.openapi.json",
        name: "Manager API, quant variant",
        api: "manager",
    },
];

/// Upstream's tag (or, for the untagged Manager export, the service module of the bizType)
/// → our tag, the area it goes to, and the group of a new operation (`x-mm-group`; an
/// operation the specs already have keeps the group they give it).
const TAGS: &[(&str, &str, &str, &str)] = &[
    // Client API
    (
        "Customer/Basic",
        "customer-basic",
        "client-customer-basic",
        "customer",
    ),
    (
        "Customer",
        "customer-general",
        "client-customer-account",
        "customer",
    ),
    ("Customer/Social", "customer-social", "client-auth", "auth"),
    ("Customer/Auth", "customer-auth", "client-auth", "auth"),
    (
        "Customer/Bank Card",
        "customer-bank-card",
        "client-customer-account",
        "customer",
    ),
    (
        "Customer/Extended",
        "customer-extended",
        "client-customer-account",
        "customer",
    ),
    (
        "Customer/Products",
        "customer-products",
        "client-customer-account",
        "customer",
    ),
    (
        "Customer/Wallet",
        "customer-wallet",
        "client-customer-account",
        "customer",
    ),
    (
        "Customer/Verification",
        "customer-verification",
        "client-customer-account",
        "customer",
    ),
    (
        "Customer/KYC",
        "customer-kyc",
        "client-customer-services",
        "customer",
    ),
    (
        "Customer/Open API",
        "customer-open-api",
        "client-customer-services",
        "customer",
    ),
    (
        "Customer/Agent",
        "customer-agent",
        "client-customer-services",
        "customer",
    ),
    (
        "Customer/Credit Card",
        "customer-credit-card",
        "client-customer-services",
        "customer",
    ),
    ("Basic", "basic", "client-basic", "basic"),
    ("Message", "message", "client-message", "message"),
    ("Funds", "funds-general", "client-funds-deposit", "funds"),
    (
        "Funds/Deposit",
        "funds-deposit",
        "client-funds-deposit",
        "funds",
    ),
    (
        "Funds/Proposal",
        "funds-proposal",
        "client-funds-deposit",
        "funds",
    ),
    ("Funds/Rate", "funds-rate", "client-funds-deposit", "funds"),
    (
        "Funds/Withdrawal",
        "funds-withdrawal",
        "client-funds-withdrawal",
        "funds",
    ),
    ("Trade", "trade-general", "client-trade-spot", "trade"),
    (
        "Trade/Full Margin Contract",
        "trade-full-margin-contract",
        "client-trade-contract",
        "trade",
    ),
    (
        "Trade/Isolated Margin Contract",
        "trade-isolated-margin-contract",
        "client-trade-contract",
        "trade",
    ),
    (
        "Trade/Leveraged",
        "trade-leveraged",
        "client-trade-contract",
        "trade",
    ),
    ("Trade/Spot", "trade-spot", "client-trade-spot", "trade"),
    ("Trade/Stock", "trade-stock", "client-trade-spot", "trade"),
    ("Index", "index-general", "client-index", "index"),
    ("Index/Report", "index-report", "client-index", "index"),
    (
        "Index/Subscription",
        "index-subscription",
        "client-index",
        "index",
    ),
    (
        "Index/Management",
        "index-management",
        "client-index",
        "index",
    ),
    ("Index/Query", "index-query", "client-index", "index"),
    (
        "Index/Redemption",
        "index-redemption",
        "client-index",
        "index",
    ),
    (
        "Credit Card",
        "credit-card-general",
        "client-credit-card",
        "credit_card",
    ),
    (
        "Credit Card/Operation",
        "credit-card-operation",
        "client-credit-card",
        "credit_card",
    ),
    (
        "Credit Card/Query",
        "credit-card-query",
        "client-credit-card",
        "credit_card",
    ),
    (
        "Market Maker",
        "market-maker",
        "client-market-maker",
        "market_maker",
    ),
    // Manager API export (untagged upstream: by the bizType's service module)
    (
        "module:tradeapi",
        "trading-admin",
        "manager-admin",
        "trading",
    ),
    ("module:report", "trade-report", "manager-admin", "report"),
    (
        "module:customer",
        "customer-admin",
        "manager-admin",
        "customer",
    ),
    (
        "module:message",
        "message-admin",
        "manager-admin",
        "message",
    ),
    (
        "module:config",
        "configuration",
        "manager-admin",
        "configuration",
    ),
    ("module:fund", "funds-admin", "manager-admin", "funds"),
    ("module:admin", "auth-admin", "manager-admin", "auth"),
    // Manager API, quant variant (Chinese tags: account management, customer management,
    // basic data, authentication, product data)
    ("账户管理", "account-management", "manager-quant", "account"),
    (
        "客户管理",
        "customer-management",
        "manager-quant",
        "customer",
    ),
    (
        "基础数据",
        "quant-basic-data",
        "manager-quant",
        "basic_data",
    ),
    ("认证鉴权", "quant-auth", "manager-quant", "auth"),
    ("产品数据", "quant-product", "manager-quant", "products"),
    // Auth2 API (untagged)
    ("auth2", "auth2-imported", "auth2-imported", "login"),
];

/// What the SDK fills, per API (as the hand-kept specs say, plus the spellings only the
/// exports use).
fn header_sources(api: &str, area: &str) -> Vec<(&'static str, &'static str)> {
    let headers = match api {
        "client" => vec![
            ("trace", "trace"),
            ("companyId", "company-id"),
            ("company", "company-id"),
            ("lang", "lang"),
            ("version", "version"),
            ("token", "credential"),
            ("timestamp", "timestamp"),
            ("apiKey", "api-key"),
            ("signature", "signature"),
            ("recvWindow", "recv-window"),
            ("idempotency-key", "idempotency-key"),
        ],
        "manager" => vec![
            ("trace", "trace"),
            ("companyId", "company-id"),
            ("token", "credential"),
            ("version", "version"),
            ("timestamp", "timestamp"),
            ("lang", "lang"),
        ],
        _ => vec![
            ("trace", "trace"),
            ("company", "company-id"),
            ("token", "credential"),
        ],
    };
    // The quant variant's `accessToken` header is left an argument of the call: the export
    // does not say that it carries the Manager token (the other exports send that in `token`).
    let _ = area;
    headers
}

/// What one rewrite did, counted over the whole import.
#[derive(Default)]
struct Counts(BTreeMap<&'static str, usize>);

impl Counts {
    fn add(&mut self, what: &'static str) {
        *self.0.entry(what).or_default() += 1;
    }
}

/// An operation of an export that is imported.
struct Candidate {
    export: usize,
    method: String,
    upstream_path: String,
    path: String,
    op: Value,
    upstream_tag: String,
    tag: String,
    area: String,
    /// `x-mm-group`: as the specs have it, or from [`TAGS`] for a new operation.
    group: String,
    id: String,
}

/// An operation of an export that is not.
struct Skipped {
    export: usize,
    method: String,
    path: String,
    title: String,
    reason: String,
}

pub(crate) fn run(args: &[&str]) -> Result<(), String> {
    match args {
        [] => {}
        ["--refresh"] => refresh()?,
        _ => return Err("usage: cargo xtask import [--refresh]".into()),
    }
    let mut counts = Counts::default();

    // What the hand-kept specs have: (METHOD, path) → (spec, operationId); ids and component
    // names per API.
    let mut kept: BTreeMap<(String, String), (String, String)> = BTreeMap::new();
    let mut reserved: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut type_names: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for spec in ["client", "manager", "auth2"] {
        let file = format!("openapi/{spec}.yaml");
        let value: Value = read_yaml(Path::new(&file))?;
        let api = value["x-mm-api"].as_str().unwrap_or(spec).to_owned();
        type_names.entry(api.clone()).or_default().extend(
            value["components"]["schemas"]
                .as_mapping()
                .into_iter()
                .flatten()
                .filter_map(|(name, _)| name.as_str().map(str::to_owned)),
        );
        for (path, item) in value["paths"].as_mapping().into_iter().flatten() {
            for (method, op) in item.as_mapping().into_iter().flatten() {
                let id = op["operationId"].as_str().unwrap_or_default().to_owned();
                kept.insert(
                    (
                        method.as_str().unwrap_or_default().to_ascii_uppercase(),
                        path.as_str().unwrap_or_default().to_owned(),
                    ),
                    (format!("{spec}.yaml"), id.clone()),
                );
                reserved.entry(api.clone()).or_default().insert(id);
            }
        }
    }

    let groups = groups_in_specs()?;

    // Every operation of every export: imported or skipped.
    let mut documents = Vec::new();
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut skipped: Vec<Skipped> = Vec::new();
    let mut per_export = vec![(0usize, 0usize, 0usize); EXPORTS.len()];
    for (index, export) in EXPORTS.iter().enumerate() {
        let document = read_yaml(&Path::new(UPSTREAM).join(export.file))?;
        for (path, item) in document["paths"].as_mapping().into_iter().flatten() {
            let upstream_path = path.as_str().unwrap_or_default().to_owned();
            for (method, op) in item.as_mapping().into_iter().flatten() {
                let method = method.as_str().unwrap_or_default().to_ascii_uppercase();
                if !["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH"].contains(&method.as_str()) {
                    continue;
                }
                per_export[index].0 += 1;
                let title = op["summary"].as_str().unwrap_or_default().trim().to_owned();
                let path = our_path(index, &upstream_path, op);
                let upstream_tag = upstream_tag(index, &upstream_path, op);
                let skip = |reason: String| Skipped {
                    export: index,
                    method: method.clone(),
                    path: upstream_path.clone(),
                    title: title.clone(),
                    reason,
                };
                if let Some(reason) = skip_reason(
                    index,
                    &method,
                    &upstream_path,
                    &path,
                    op,
                    &kept,
                    &candidates,
                ) {
                    skipped.push(skip(reason));
                    per_export[index].2 += 1;
                    continue;
                }
                let Some((_, tag, area, group)) = TAGS.iter().find(|(t, ..)| *t == upstream_tag)
                else {
                    return Err(format!(
                        "{}: `{method} {upstream_path}`: upstream tag `{upstream_tag}` has no area",
                        export.file
                    ));
                };
                per_export[index].1 += 1;
                let candidate_path = path.clone();
                candidates.push(Candidate {
                    export: index,
                    method: method.clone(),
                    upstream_path: upstream_path.clone(),
                    path,
                    op: op.clone(),
                    upstream_tag,
                    tag: (*tag).to_owned(),
                    area: (*area).to_owned(),
                    group: groups
                        .get(&(export.api.to_owned(), method.clone(), candidate_path))
                        .cloned()
                        .unwrap_or_else(|| (*group).to_owned()),
                    id: String::new(),
                });
            }
        }
        documents.push(document);
    }
    assign_ids(&mut candidates, &reserved);

    // One spec per area.
    let mut areas: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (index, candidate) in candidates.iter().enumerate() {
        areas.entry(candidate.area.clone()).or_default().push(index);
    }
    let mut summaries = Vec::new();
    for (area, members) in &areas {
        let ops: Vec<&Candidate> = members.iter().map(|&i| &candidates[i]).collect();
        let api = EXPORTS[ops[0].export].api;
        let taken = type_names.entry(api.to_owned()).or_default();
        let (spec, notes) = area_spec(area, &ops, &documents, taken, &mut counts)?;
        let yaml = serde_yaml_ng::to_string(&spec).map_err(|e| e.to_string())?;
        let file = format!("openapi/{area}.yaml");
        let header =
            "# Written by `cargo xtask import` from upstream's exports (see openapi/README.md).\n\
             # Do not edit by hand: change the importer and run it again. An operation that needs\n\
             # care moves to a hand-kept spec, and the import then skips it.\n"
                .to_string();
        std::fs::write(&file, header + &yaml).map_err(|e| format!("{file}: {e}"))?;
        println!("wrote {file} ({} operations)", ops.len());
        summaries.push((area.clone(), ops.len(), notes));
    }

    write_readme(&per_export, &candidates, &skipped, &summaries, &counts)?;
    println!(
        "{} operations imported into {} areas, {} skipped",
        candidates.len(),
        areas.len(),
        skipped.len()
    );
    for (what, count) in &counts.0 {
        println!("  {count:5} × {what}");
    }
    Ok(())
}

/// The group (`x-mm-group`) of every operation the specs have, by API, method and path: a
/// re-import keeps it, so that a user's path to an operation never moves because upstream
/// re-tagged it.
fn groups_in_specs() -> Result<BTreeMap<(String, String, String), String>, String> {
    let mut groups = BTreeMap::new();
    let entries = std::fs::read_dir("openapi").map_err(|e| format!("openapi: {e}"))?;
    let mut files: Vec<_> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    for file in files {
        let spec = read_yaml(&file)?;
        let api = spec["x-mm-api"].as_str().unwrap_or_default().to_owned();
        for (path, item) in spec["paths"].as_mapping().into_iter().flatten() {
            for (method, op) in item.as_mapping().into_iter().flatten() {
                if let Some(group) = op["x-mm-group"].as_str() {
                    groups.insert(
                        (
                            api.clone(),
                            method.as_str().unwrap_or_default().to_ascii_uppercase(),
                            path.as_str().unwrap_or_default().to_owned(),
                        ),
                        group.to_owned(),
                    );
                }
            }
        }
    }
    Ok(groups)
}

/// Copies the exports from a git clone of the docs' GitBook source (`MM_DOCS_REPO`) into `openapi/upstream/`.
fn refresh() -> Result<(), String> {
    let mirror = std::env::var("MM_DOCS_REPO").map_err(|_| {
        "--refresh needs MM_DOCS_REPO: the folder of a git clone of the docs' GitBook source"
            .to_owned()
    })?;
    std::fs::create_dir_all(UPSTREAM).map_err(|e| format!("{UPSTREAM}: {e}"))?;
    for export in &EXPORTS {
        let output = std::process::Command::new("git")
            .args(["-C", &mirror, "show"])
            .arg(format!("HEAD:.gitbook/assets/{}", export.file))
            .output()
            .map_err(|e| format!("git: {e}"))?;
        if !output.status.success() {
            return Err(format!(
                "git show {}: {}",
                export.file,
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        let out = Path::new(UPSTREAM).join(export.file);
        std::fs::write(&out, output.stdout).map_err(|e| format!("{}: {e}", out.display()))?;
        println!("copied {}", out.display());
    }
    Ok(())
}

pub(crate) fn read_yaml(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "{}: {e} (run `cargo xtask import --refresh` with MM_DOCS_REPO naming a clone of the docs)",
            path.display()
        )
    })?;
    match serde_yaml_ng::from_str(&text) {
        Ok(value) => Ok(value),
        Err(yaml) => {
            let json: serde_json::Value =
                serde_json::from_str(&text).map_err(|_| format!("{}: {yaml}", path.display()))?;
            serde_yaml_ng::to_value(json).map_err(|e| e.to_string())
        }
    }
}

/// The path as our specs write it: from the host root, with the gateway prefix the export's
/// server URL carries.
pub(crate) fn our_path(export: usize, path: &str, op: &Value) -> String {
    match EXPORTS[export].file {
        f if f.starts_with("MultiMarkets-ClientAPI") => {
            let signed = header_names(op)
                .iter()
                .any(|h| h.eq_ignore_ascii_case("apiKey") || h.eq_ignore_ascii_case("signature"));
            if signed {
                // The Open API operations live under `/openapi-c` (as in client.yaml).
                format!("/openapi-c{path}")
            } else if path.starts_with("/api/") {
                // Upstream already writes the gateway prefix for these.
                path.to_owned()
            } else {
                format!("/api{path}")
            }
        }
        f if f.starts_with("UTGL") => {
            // manager.yaml drops this file's `/global` (the gateway rule is
            // `/openapi-b/{bizType}`); do the same so that the two agree.
            let path = path.strip_prefix("/global").unwrap_or(path);
            format!("/openapi-b{path}")
        }
        f if f.starts_with("MultiMarkets-Auth2") => format!("/cats-gateway-auth2{path}"),
        _ => format!("/openapi-b{path}"),
    }
}

fn header_names(op: &Value) -> Vec<String> {
    op["parameters"]
        .as_sequence()
        .into_iter()
        .flatten()
        .filter(|p| p["in"].as_str() == Some("header"))
        .filter_map(|p| p["name"].as_str().map(str::to_owned))
        .collect()
}

/// Upstream's first tag; for the untagged exports, `module:<service module>` or `auth2`.
fn upstream_tag(export: usize, path: &str, op: &Value) -> String {
    if let Some(tag) = op["tags"]
        .as_sequence()
        .and_then(|t| t.first())
        .and_then(Value::as_str)
    {
        return tag.to_owned();
    }
    if EXPORTS[export].api == "auth2" {
        return "auth2".into();
    }
    let last = path.rsplit('/').next().unwrap_or_default();
    let module = if last.contains('.') {
        last.split('.').next().unwrap_or_default()
    } else {
        path.trim_start_matches('/')
            .split('/')
            .next()
            .unwrap_or_default()
    };
    format!("module:{module}")
}

fn skip_reason(
    export: usize,
    method: &str,
    upstream_path: &str,
    path: &str,
    op: &Value,
    kept: &BTreeMap<(String, String), (String, String)>,
    imported: &[Candidate],
) -> Option<String> {
    let title = op["summary"].as_str().unwrap_or_default();
    if method == "HEAD" && upstream_path == "/" {
        return Some(
            "the \"Global Unified Request Header\" pseudo-operation: it documents the common \
             headers, it is not an endpoint"
                .into(),
        );
    }
    let tags: Vec<&str> = op["tags"]
        .as_sequence()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if tags.contains(&"External Settlement") {
        let received = callback_id(upstream_path)
            .map(|id| format!("; it is `{id}` in `callbacks/callbacks.yaml` (`mm_sdk::callbacks`)"))
            .unwrap_or_default();
        return Some(format!(
            "External Settlement: the platform calls this on the integrator's system (a \
             webhook the integrator implements), it is not an operation of the platform's \
             API{received}"
        ));
    }
    let _ = title;
    if let Some((spec, id)) = kept.get(&(method.to_owned(), path.to_owned())) {
        return Some(format!(
            "already in the hand-kept `{spec}` as `{id}` (`{method} {path}`), which keeps priority"
        ));
    }
    if let Some(first) = imported
        .iter()
        .find(|c| c.method == method && c.path == path)
    {
        return Some(format!(
            "the same method and path as `{} {}` of the {} export, imported from there",
            first.method, first.upstream_path, EXPORTS[first.export].name
        ));
    }
    let content = &op["requestBody"]["content"];
    if content.get("multipart/form-data").is_some() {
        return Some(
            "a `multipart/form-data` file upload: which fields are files is for a person to \
             say, in a hand-kept spec"
                .into(),
        );
    }
    let other: Vec<String> = op["parameters"]
        .as_sequence()
        .into_iter()
        .flatten()
        .filter(|p| p["in"].as_str() != Some("header"))
        .map(|p| {
            format!(
                "`{}` in {}",
                p["name"].as_str().unwrap_or("?"),
                p["in"].as_str().unwrap_or("?")
            )
        })
        .collect();
    if !other.is_empty() {
        return Some(format!(
            "`{method}` with parameters outside the headers ({}): which parameter carries the \
             request, and which the call takes, is for a person to say, in a hand-kept spec",
            other.join(", ")
        ));
    }
    if method != "POST" {
        return Some(format!(
            "`{method}`: the conventions have `POST` operations only"
        ));
    }
    let _ = export;
    None
}

/// The `operationId` of the callback at `path` in the callback spec, if it describes it.
fn callback_id(path: &str) -> Option<String> {
    let spec = read_yaml(Path::new(mm_sdk_codegen::CALLBACKS_SPEC)).ok()?;
    spec["paths"][path]["post"]["operationId"]
        .as_str()
        .map(str::to_owned)
}

/// The last name of a path: the bizType's method (`...Service.getLevel` → `getLevel`) or the
/// last segment.
fn last_name(path: &str) -> &str {
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
                .map(|i| segments[i])
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

/// snake_case `operationId`s, unique per API (hand-kept ones included): the last name; where
/// two share it (or a hand-kept spec has it), the service qualifies it, then the module, then
/// a number, in the order of the paths.
fn assign_ids(candidates: &mut [Candidate], reserved: &BTreeMap<String, BTreeSet<String>>) {
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    order.sort_by(|&a, &b| {
        (&candidates[a].path, &candidates[a].method)
            .cmp(&(&candidates[b].path, &candidates[b].method))
    });
    let apis: BTreeSet<String> = candidates
        .iter()
        .map(|c| EXPORTS[c.export].api.to_owned())
        .collect();
    for api in apis {
        let members: Vec<usize> = order
            .iter()
            .copied()
            .filter(|&i| EXPORTS[candidates[i].export].api == api)
            .collect();
        let taken = reserved.get(&api).cloned().unwrap_or_default();
        let fix = |id: String| {
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
        };
        let base = |i: usize| fix(last_name(&candidates[i].upstream_path).to_snake_case());
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for &i in &members {
            *counts.entry(base(i)).or_default() += 1;
        }
        let mut ids: Vec<(usize, String)> = members
            .iter()
            .map(|&i| {
                let b = base(i);
                if counts[&b] == 1 && !taken.contains(&b) {
                    (i, b)
                } else {
                    (
                        i,
                        format!("{}_{b}", qualifier(&candidates[i].upstream_path)),
                    )
                }
            })
            .collect();
        // Second round: the module, then a number.
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for (_, id) in &ids {
            *seen.entry(id.clone()).or_default() += 1;
        }
        for (i, id) in &mut ids {
            if seen[id.as_str()] > 1 || taken.contains(id.as_str()) {
                *id = format!("{}_{id}", module(&candidates[*i].upstream_path));
            }
        }
        let mut used: BTreeSet<String> = taken.clone();
        for (i, id) in ids {
            let mut unique = id.clone();
            let mut n = 2;
            while used.contains(&unique) {
                unique = format!("{id}_{n}");
                n += 1;
            }
            used.insert(unique.clone());
            candidates[i].id = unique;
        }
    }
}

/// `camelCaseName` → "Camel case name".
fn words(name: &str) -> String {
    let snake = name.to_snake_case().replace('_', " ");
    let mut chars = snake.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

/// Read or write, by the first word of the operation's last name.
fn effect(path: &str) -> &'static str {
    let name = last_name(path);
    let snake = name.to_snake_case();
    let first = snake.split('_').next().unwrap_or_default();
    const WRITE: &[&str] = &[
        "add",
        "update",
        "edit",
        "del",
        "delete",
        "remove",
        "create",
        "save",
        "set",
        "submit",
        "apply",
        "cancel",
        "send",
        "bind",
        "unbind",
        "upload",
        "modify",
        "reset",
        "open",
        "close",
        "lock",
        "unlock",
        "transfer",
        "withdraw",
        "deposit",
        "register",
        "login",
        "logout",
        "verify",
        "confirm",
        "extract",
        "switch",
        "enable",
        "disable",
        "destroy",
        "operation",
        "forced",
        "manual",
        "subscribe",
        "unsubscribe",
        "redeem",
        "change",
        "read",
        "mark",
        "do",
        "batch",
        "handle",
        "pay",
        "buy",
        "sell",
        "place",
        "exchange",
        "activate",
        "auth",
        "random",
        "init",
        "google",
        "apple",
        "facebook",
        "twitter",
        "telegram",
        "meta",
        "social",
        "third",
        "pass",
        "replace",
        "adjust",
        "refresh",
        "clear",
        "bound",
        "use",
    ];
    const READ: &[&str] = &[
        "get",
        "query",
        "list",
        "find",
        "search",
        "check",
        "select",
        "fetch",
        "load",
        "count",
        "page",
        "detail",
        "details",
        "info",
        "view",
        "show",
        "has",
        "is",
        "exist",
        "exists",
        "calc",
        "calculate",
        "compute",
        "now",
        "config",
        "market",
        "statistics",
        "report",
    ];
    if WRITE.contains(&first) {
        return "write";
    }
    if READ.contains(&first) {
        return "read";
    }
    let read_words = [
        "list",
        "page",
        "detail",
        "info",
        "query",
        "record",
        "report",
        "statistics",
    ];
    if snake.split('_').any(|w| read_words.contains(&w)) {
        "read"
    } else {
        "write"
    }
}

/// The header parameters of an operation of the Client API's gateway (`/api`): those upstream
/// lists; where it lists none, those of its "Global Unified Request Header" (the export's
/// `HEAD /`) but `group` (a routing choice of the caller) and `idempotency-key`; and, for a
/// write, that header's `idempotency-key`, which the SDK fills. The other APIs and the Open API
/// (`/openapi-c`, signed) get what upstream lists.
fn request_headers(
    api: &str,
    c: &Candidate,
    effect: &str,
    document: &Value,
    counts: &mut Counts,
) -> Vec<Value> {
    let mut headers: Vec<Value> = c.op["parameters"]
        .as_sequence()
        .into_iter()
        .flatten()
        .filter(|p| p["in"].as_str() == Some("header"))
        .cloned()
        .collect();
    if api != "client" || !c.path.starts_with("/api/") {
        return headers;
    }
    let global: Vec<&Value> = document["paths"]["/"]["head"]["parameters"]
        .as_sequence()
        .into_iter()
        .flatten()
        .filter(|p| p["in"].as_str() == Some("header"))
        .collect();
    let named = |name: &str| {
        global
            .iter()
            .find(|p| p["name"].as_str() == Some(name))
            .map(|p| (*p).clone())
    };
    if headers.is_empty() {
        counts.add("no headers upstream → the Global Unified Request Header's");
        headers.extend(
            global
                .iter()
                .filter(|p| !matches!(p["name"].as_str(), Some("group" | "idempotency-key")))
                .map(|p| (*p).clone()),
        );
    }
    let has_key = headers
        .iter()
        .any(|p| p["name"].as_str() == Some("idempotency-key"));
    if effect == "write"
        && !has_key
        && let Some(key) = named("idempotency-key")
    {
        counts.add("write on `/api`: `idempotency-key` header added");
        headers.push(key);
    }
    headers
}

/// The credential, from the headers upstream lists.
fn credential(api: &str, headers: &[String]) -> &'static str {
    let has = |name: &str| headers.iter().any(|h| h.eq_ignore_ascii_case(name));
    if has("apiKey") || has("signature") {
        "open-api-signature"
    } else if has("token") {
        match api {
            "client" => "client-login",
            "auth2" => "auth2-access",
            _ => "manager-token",
        }
    } else {
        "none"
    }
}

/// The one value upstream gives the `group` header: the gateway routes the call to the
/// trading service by it.
const ROUTING_GROUP: &str = "tradeApi";

const ROUTING_GROUP_DESCRIPTION: &str = "Routing group of the gateway: `tradeApi` sends the call \
     to the trading service. Upstream gives no other value, marks the header optional on some \
     operations, and sends it with every trading call of its order walkthrough; the SDK \
     always sends it.";

fn header_description(api: &str, name: &str) -> &'static str {
    match name.to_ascii_lowercase().as_str() {
        "trace" => "Caller-chosen id of this request (the SDK fills it).",
        "companyid" | "company" => "Company id of the white label (the SDK fills it).",
        "token" | "accesstoken" if api == "client" => "The customer's login token.",
        "token" | "accesstoken" => "The Manager token (the SDK fills it).",
        "lang" => "Language of the answer's messages (the SDK fills it).",
        "version" => "Interface version (the SDK fills it).",
        "idempotency-key" => {
            "A key per call, the same on each retry: the gateway answers a repeated key with \
             the first result for 24 hours (the SDK fills it)."
        }
        "x-forwarded-for" => "Address of the end user's device.",
        "timestamp" => "Request time in epoch milliseconds.",
        _ => "A header upstream lists for this operation.",
    }
}

fn map(entries: Vec<(&str, Value)>) -> Value {
    let mut m = Mapping::new();
    for (k, v) in entries {
        m.insert(Value::from(k), v);
    }
    Value::Mapping(m)
}

fn s(text: impl Into<String>) -> Value {
    Value::String(text.into())
}

/// A schema name made valid and unique: PascalCase as typify spells it, so that the name
/// the codegen looks up is the name typify gives.
fn schema_name(raw: &str) -> String {
    let decoded = raw.replace("%C2%AB", "«").replace("%C2%BB", "»");
    let cleaned: String = decoded
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let mut name = cleaned
        .split_whitespace()
        .map(|w| w.to_pascal_case())
        .collect::<String>()
        .to_pascal_case();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "Schema");
    }
    if [
        "Error", "Result", "Option", "Vec", "String", "Box", "Value", "Map", "Self", "Default",
    ]
    .contains(&name.as_str())
    {
        name.push_str("Schema");
    }
    name
}

/// The state of converting one area's schemas.
pub(crate) struct Schemas<'a> {
    /// Upstream's components of the export being converted.
    upstream: &'a Mapping,
    /// Upstream name → ours, for the components of this area.
    names: BTreeMap<String, String>,
    /// Our components, by name.
    out: BTreeMap<String, Value>,
    /// Upstream components still to convert.
    pending: Vec<String>,
    /// The names the API's other specs use.
    taken: BTreeSet<String>,
    /// What a name `taken` holds is prefixed with here: the group's name in PascalCase.
    qualifier: String,
}

impl Schemas<'_> {
    /// Our name for upstream's component `raw` (converted later).
    fn reference(&mut self, raw: &str) -> String {
        if let Some(name) = self.names.get(raw) {
            return name.clone();
        }
        let mut base = schema_name(raw);
        if self.taken.contains(&base) {
            base.insert_str(0, &self.qualifier);
        }
        let mut name = base.clone();
        let mut n = 2;
        while self.names.values().any(|v| *v == name) || self.out.contains_key(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        self.names.insert(raw.to_owned(), name.clone());
        self.pending.push(raw.to_owned());
        name
    }

    /// A name of our own not taken by anything.
    fn own(&mut self, base: &str) -> String {
        let mut name = base.to_owned();
        let mut n = 2;
        while self.names.values().any(|v| *v == name) || self.out.contains_key(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        self.out.insert(name.clone(), Value::Null);
        name
    }

    fn drain(&mut self, counts: &mut Counts) {
        while let Some(raw) = self.pending.pop() {
            let name = self.names[&raw].clone();
            let schema = self
                .upstream
                .get(raw.as_str())
                .cloned()
                .unwrap_or_else(|| map(vec![("type", s("object"))]));
            let converted = self.convert(&schema, counts);
            self.out.insert(name, converted);
        }
    }

    fn resolve<'v>(&'v self, schema: &'v Value) -> &'v Value {
        let mut current = schema;
        for _ in 0..8 {
            match current.get("$ref").and_then(Value::as_str) {
                Some(r) => match r
                    .strip_prefix("#/components/schemas/")
                    .and_then(|n| self.upstream.get(n))
                {
                    Some(next) => current = next,
                    None => return current,
                },
                None => return current,
            }
        }
        current
    }

    /// One upstream schema, rewritten into OpenAPI 3.0 as the codegen takes it.
    fn convert(&mut self, schema: &Value, counts: &mut Counts) -> Value {
        let Some(input) = schema.as_mapping() else {
            return map(vec![]);
        };
        if let Some(r) = input.get("$ref").and_then(Value::as_str) {
            if input.len() > 1 {
                counts.add("`$ref` with sibling keywords → the `$ref` alone");
            }
            let raw = r.strip_prefix("#/components/schemas/").unwrap_or(r);
            let name = self.reference(raw);
            return map(vec![("$ref", s(format!("#/components/schemas/{name}")))]);
        }
        let mut out = Mapping::new();
        let mut nullable = input.get("nullable").and_then(Value::as_bool) == Some(true);
        // `type`: a 3.1 array, `'null'`, or a plain type.
        let mut ty: Option<String> = None;
        match input.get("type") {
            Some(Value::Sequence(types)) => {
                counts.add("type array → `type` + `nullable`");
                let names: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
                nullable |= names.contains(&"null");
                let rest: Vec<&str> = names.into_iter().filter(|t| *t != "null").collect();
                match rest.as_slice() {
                    [one] => ty = Some((*one).to_owned()),
                    [] => {}
                    _ => counts.add("type array of several types → untyped"),
                }
            }
            Some(Value::String(t)) if t == "null" => {
                counts.add("`type: 'null'` → nullable enum [null]");
                return map(vec![
                    ("type", s("string")),
                    ("nullable", Value::Bool(true)),
                    ("enum", Value::Sequence(vec![Value::Null])),
                ]);
            }
            Some(Value::String(t)) => ty = Some(t.clone()),
            _ => {}
        }
        if ty.is_none() && input.contains_key("properties") {
            ty = Some("object".into());
        }
        if ty.is_none() && input.contains_key("items") {
            ty = Some("array".into());
        }
        if let Some(t) = &ty {
            out.insert(s("type"), s(t.clone()));
        }
        // `format`. Every non-integer number is a decimal: amounts, prices and rates are
        // most of them, and none may go through `f64` (`openapi/README.md`, "Conventions").
        if ty.as_deref() == Some("number") {
            counts.add("`type: number` → `format: decimal`");
            out.insert(s("format"), s("decimal"));
        }
        if let Some(format) = input.get("format").and_then(Value::as_str) {
            match (ty.as_deref(), format) {
                (Some("integer"), "int32" | "int64") => {
                    out.insert(s("format"), s(format));
                }
                (Some("integer"), "long") => {
                    counts.add("`format: long` → `int64`");
                    out.insert(s("format"), s("int64"));
                }
                (Some("number"), _) => {}
                (Some("integer"), _) => counts.add("unknown integer format dropped"),
                _ => counts.add("string format dropped (the value stays a string)"),
            }
        }
        if nullable {
            out.insert(s("nullable"), Value::Bool(true));
        }
        // `const` and `enum`: string values only (typify makes an enum of them).
        let mut values: Option<Vec<Value>> = None;
        if let Some(c) = input.get("const") {
            counts.add("`const` → single-value `enum`");
            values = Some(vec![c.clone()]);
        }
        if let Some(Value::Sequence(e)) = input.get("enum") {
            values = Some(e.clone());
        }
        if let Some(values) = values {
            let strings = ty.as_deref() == Some("string")
                && values.iter().all(|v| v.is_string())
                && !values.is_empty();
            if strings {
                let mut unique: Vec<Value> = Vec::new();
                for v in values {
                    if !unique.contains(&v) {
                        unique.push(v);
                    }
                }
                out.insert(s("enum"), Value::Sequence(unique));
            } else {
                counts.add("non-string `enum` dropped (the type is kept)");
            }
        }
        // Objects.
        if let Some(Value::Mapping(properties)) = input.get("properties") {
            let mut props = Mapping::new();
            for (key, value) in properties {
                props.insert(key.clone(), self.convert(value, counts));
            }
            if let Some(Value::Sequence(required)) = input.get("required") {
                let required: Vec<Value> = required
                    .iter()
                    .filter(|r| props.contains_key(*r))
                    .cloned()
                    .collect::<Vec<_>>();
                let mut unique: Vec<Value> = Vec::new();
                for r in required {
                    if !unique.contains(&r) {
                        unique.push(r);
                    }
                }
                if !unique.is_empty() {
                    out.insert(s("required"), Value::Sequence(unique));
                }
            }
            out.insert(s("properties"), Value::Mapping(props));
        } else if ty.as_deref() == Some("object") {
            out.insert(s("properties"), Value::Mapping(Mapping::new()));
        }
        match input.get("additionalProperties") {
            Some(Value::Mapping(m)) if !m.is_empty() => {
                let converted = self.convert(&Value::Mapping(m.clone()), counts);
                out.insert(s("additionalProperties"), converted);
            }
            _ => {}
        }
        // Arrays.
        if ty.as_deref() == Some("array") {
            let items = match input.get("items") {
                Some(items @ Value::Mapping(_)) => self.convert(items, counts),
                _ => {
                    counts.add("array without `items` → `items: {}`");
                    map(vec![])
                }
            };
            out.insert(s("items"), items);
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            if let Some(Value::Sequence(branches)) = input.get(key) {
                let branches = branches.iter().map(|b| self.convert(b, counts)).collect();
                out.insert(s(key), Value::Sequence(branches));
            }
        }
        if input.contains_key("refType") {
            counts.add("non-standard `refType` dropped");
        }
        if input.contains_key("examples") {
            counts.add("schema `examples` dropped (the example files carry examples)");
        }
        if input.contains_key("description") || input.contains_key("title") {
            counts.add("upstream's schema prose (`description`/`title`) left out");
        }
        if input
            .keys()
            .filter_map(Value::as_str)
            .any(|k| k.starts_with("x-"))
        {
            counts.add("vendor extensions (`x-apifox-*`, ...) dropped");
        }
        for key in [
            "default",
            "minimum",
            "maximum",
            "minLength",
            "maxLength",
            "pattern",
            "minItems",
            "maxItems",
            "uniqueItems",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "readOnly",
            "writeOnly",
            "deprecated",
        ] {
            if input.contains_key(key) {
                counts.add("validation keywords (`default`, `minimum`, `pattern`, ...) dropped");
                break;
            }
        }
        Value::Mapping(out)
    }

    /// Our schema (for the example checks and generation).
    fn ours<'v>(&'v self, schema: &'v Value) -> &'v Value {
        let mut current = schema;
        for _ in 0..16 {
            match current
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
                .and_then(|n| self.out.get(n))
            {
                Some(next) => current = next,
                None => return current,
            }
        }
        current
    }
}

const NULL_ONLY: fn() -> Value = || {
    map(vec![
        ("type", s("string")),
        ("nullable", Value::Bool(true)),
        ("enum", Value::Sequence(vec![Value::Null])),
        ("description", s("JSON null (failure envelopes).")),
    ])
};

/// The body of one area's spec, and notes for the README.
/// The spec of `area`, made of `ops`. `taken` holds the component names the API's other specs
/// use: a component of the same name here is named after the group of the area's operations
/// too (`IndexFieldOrderDto`), since every type of an API shares one namespace; the area's own
/// names are added to it.
fn area_spec(
    area: &str,
    ops: &[&Candidate],
    documents: &[Value],
    taken: &mut BTreeSet<String>,
    counts: &mut Counts,
) -> Result<(Value, String), String> {
    let export = &EXPORTS[ops[0].export];
    let api = export.api;
    let document = &documents[ops[0].export];
    let empty = Mapping::new();
    let upstream = document["components"]["schemas"]
        .as_mapping()
        .unwrap_or(&empty);
    let mut schemas = Schemas {
        upstream,
        names: BTreeMap::new(),
        out: BTreeMap::new(),
        pending: Vec::new(),
        taken: taken.clone(),
        qualifier: ops[0].group.to_pascal_case(),
    };
    // Reserve our per-operation names first so that upstream's never take them.
    for op in ops {
        let pascal = op.id.to_pascal_case();
        for suffix in ["Request", "Response"] {
            schemas.out.insert(format!("{pascal}{suffix}"), Value::Null);
        }
    }

    let mut paths = Mapping::new();
    let mut tags: Vec<(String, String)> = Vec::new();
    let examples_dir = format!("openapi/examples/{area}");
    let _ = std::fs::remove_dir_all(&examples_dir);
    std::fs::create_dir_all(&examples_dir).map_err(|e| format!("{examples_dir}: {e}"))?;
    let mut rewritten_examples = 0;
    let mut written_examples = 0;

    for c in ops {
        if !tags.iter().any(|(t, _)| *t == c.tag) {
            tags.push((c.tag.clone(), c.upstream_tag.clone()));
        }
        let pascal = c.id.to_pascal_case();
        let op = &c.op;
        let effect = effect(&c.upstream_path);
        let mut notes: Vec<String> = Vec::new();
        let upstream_headers = request_headers(api, c, effect, document, counts);
        let headers: Vec<String> = upstream_headers
            .iter()
            .filter_map(|p| p["name"].as_str().map(str::to_owned))
            .collect();
        let credential = credential(api, &headers);

        // Headers, as upstream lists them.
        let mut parameters = Vec::new();
        for p in &upstream_headers {
            let name = p["name"].as_str().unwrap_or_default();
            if p["schema"]["type"].as_str().is_some_and(|t| t != "string") {
                counts.add("non-string header schema → `type: string`");
            }
            // The trading service's routing group: upstream gives one value and marks it
            // optional in places; it is sent always, as the hand-kept Open API spec does.
            let routing = name == "group" && p["example"].as_str() == Some(ROUTING_GROUP);
            let (required, description, schema) = if routing {
                counts.add("`group` header → always sent as `tradeApi`");
                (
                    true,
                    ROUTING_GROUP_DESCRIPTION,
                    map(vec![
                        ("type", s("string")),
                        ("enum", Value::Sequence(vec![s(ROUTING_GROUP)])),
                    ]),
                )
            } else {
                (
                    p["required"].as_bool() == Some(true),
                    header_description(api, name),
                    map(vec![("type", s("string"))]),
                )
            };
            let mut param = vec![
                ("name", s(name)),
                ("in", s("header")),
                ("required", Value::Bool(required)),
                ("description", s(description)),
                ("schema", schema),
            ];
            if let Some(example) = p["example"].as_str() {
                param.push(("example", s(example)));
            }
            parameters.push(map(param));
        }

        // Request body.
        let media = &op["requestBody"]["content"]["application/json"];
        let request_name = format!("{pascal}Request");
        let request_ref = match media.get("schema") {
            Some(schema) if schema.get("$ref").is_some() => {
                schemas.out.remove(&request_name);
                let converted = schemas.convert(schema, counts);
                converted["$ref"].as_str().unwrap_or_default().to_owned()
            }
            Some(schema @ Value::Mapping(_)) => {
                let converted = schemas.convert(schema, counts);
                schemas.out.insert(request_name.clone(), converted);
                format!("#/components/schemas/{request_name}")
            }
            _ => {
                counts.add("no request body upstream → empty object schema");
                schemas.out.insert(
                    request_name.clone(),
                    map(vec![
                        ("type", s("object")),
                        ("description", s(format!("Body of `{}`: empty.", c.id))),
                        ("properties", Value::Mapping(Mapping::new())),
                    ]),
                );
                format!("#/components/schemas/{request_name}")
            }
        };
        schemas.drain(counts);

        // Response: find upstream's envelope and its data.
        let response_media = op["responses"]["200"]["content"]
            .as_mapping()
            .and_then(|m| m.values().next())
            .cloned()
            .unwrap_or(Value::Null);
        let upstream_schema = response_media.get("schema").cloned().unwrap_or(Value::Null);
        let resolved = schemas.resolve(&upstream_schema).clone();
        let props = resolved["properties"]
            .as_mapping()
            .cloned()
            .unwrap_or_default();
        let (data_upstream, required): (Option<Value>, Vec<String>) = if is_envelope(&props) {
            let kind = if upstream_schema.get("$ref").is_some() {
                "envelope: a `BaseResult*` component"
            } else if ENVELOPE.iter().all(|f| props.contains_key(*f)) {
                "envelope: inline, every field"
            } else {
                "envelope: inline, some fields"
            };
            counts.add(kind);
            let required = resolved["required"]
                .as_sequence()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .filter(|r| ENVELOPE.contains(r) && props.contains_key(*r))
                .map(str::to_owned)
                .collect();
            (props.get("data").cloned(), required)
        } else if upstream_schema.is_null() {
            counts.add("envelope: none upstream (untyped data)");
            (None, Vec::new())
        } else {
            counts.add("envelope: a bare record (put in `data`)");
            notes.push(
                "upstream describes the answer as a bare record; it is the envelope's `data` here"
                    .into(),
            );
            (Some(upstream_schema.clone()), Vec::new())
        };
        let data_schema = match &data_upstream {
            None => map(vec![(
                "description",
                s("Upstream does not describe the data: any JSON value."),
            )]),
            Some(d) => {
                let converted = schemas.convert(d, counts);
                schemas.drain(counts);
                data_field(&converted, &pascal, &mut schemas)
            }
        };
        let response_name = format!("{pascal}Response");
        let mut envelope = vec![
            ("type", s("object")),
            (
                "description",
                s(format!(
                    "Envelope of `{}`; `data` is null on failure.",
                    c.id
                )),
            ),
        ];
        if !required.is_empty() {
            envelope.push((
                "required",
                Value::Sequence(required.iter().map(|r| s(r.clone())).collect()),
            ));
        }
        envelope.push((
            "properties",
            map(vec![
                ("msg", map(vec![("type", s("string")), ("description", s("Result message."))])),
                ("fail", map(vec![("type", s("boolean")), ("description", s("True when the call failed."))])),
                ("trace", map(vec![("type", s("string")), ("description", s("Server-side trace id of the call."))])),
                ("code", map(vec![("type", s("string")), ("description", s("\"0\" on success, an error code otherwise."))])),
                ("data", data_schema),
                ("bizCode", map(vec![("type", s("string")), ("description", s("Business error code; empty on success."))])),
                ("tm", map(vec![("type", s("integer")), ("format", s("int64")), ("description", s("Server processing time in milliseconds."))])),
                ("msgParams", map(vec![("nullable", Value::Bool(true)), ("description", s("Values substituted into `msg` (an array or a comma-separated string); null when there are none."))])),
                ("ok", map(vec![("type", s("boolean")), ("description", s("True when the call succeeded."))])),
            ]),
        ));
        schemas.out.insert(response_name.clone(), map(envelope));

        // Examples.
        let request_schema_name = request_ref
            .trim_start_matches("#/components/schemas/")
            .to_owned();
        let request_schema = schemas.out[&request_schema_name].clone();
        let request_example = request_example(media, &request_schema, &schemas, &mut notes, counts);
        let request_file = format!("examples/{area}/{}.request.json", c.id);
        write_json(&format!("openapi/{request_file}"), &request_example.0)?;
        let response_schema = schemas.out[&response_name].clone();
        let mut returns_nothing = false;
        let responses = response_examples(
            &response_media,
            &response_schema,
            &schemas,
            &mut notes,
            counts,
            &mut returns_nothing,
        );
        let mut response_examples = Mapping::new();
        for (index, (name, value, from_upstream)) in responses.iter().enumerate() {
            let file = if index == 0 {
                format!("examples/{area}/{}.response.json", c.id)
            } else {
                format!("examples/{area}/{}.response.{index}.json", c.id)
            };
            if *from_upstream {
                rewritten_examples += 1;
            } else {
                written_examples += 1;
            }
            write_json(&format!("openapi/{file}"), value)?;
            response_examples.insert(
                s(name.clone()),
                map(vec![
                    (
                        "summary",
                        s(if *from_upstream {
                            "From upstream's export"
                        } else {
                            "Written from the schema"
                        }),
                    ),
                    ("externalValue", s(file)),
                ]),
            );
        }

        // The operation.
        let title = op["summary"].as_str().unwrap_or_default().trim();
        let mut description = format!(
            "Imported from upstream's {} export (`{} {}`, tag `{}`",
            export.name, c.method, c.upstream_path, c.upstream_tag
        );
        if !title.is_empty() {
            let _ = write!(description, ", titled \"{title}\"");
        }
        description.push_str(").");
        if c.path != format!("/api{}", c.upstream_path)
            && c.path != format!("/openapi-b{}", c.upstream_path)
            && c.path != c.upstream_path
        {
            let _ = write!(description, " Path as our specs write it: `{}`.", c.path);
        }
        let _ = write!(
            description,
            " Credential `{credential}` and effect `{effect}` are derived from its headers and \
             its name (see openapi/README.md, \"Imported from upstream's exports\")."
        );
        if !notes.is_empty() {
            description.push_str("\n\nExamples: ");
            description.push_str(&notes.join("; "));
            description.push('.');
        }
        let mut operation = vec![
            ("tags", Value::Sequence(vec![s(c.tag.clone())])),
            ("operationId", s(c.id.clone())),
            ("x-mm-group", s(c.group.clone())),
            ("x-mm-credential", s(credential)),
            ("x-mm-effect", s(effect)),
            (
                "summary",
                s(format!("{}.", words(last_name(&c.upstream_path)))),
            ),
            ("description", s(description)),
        ];
        if returns_nothing {
            operation.push(("x-mm-returns", s("nothing")));
        }
        if op["deprecated"].as_bool() == Some(true) {
            counts.add("operation marked deprecated upstream → `deprecated: true`");
            operation.push(("deprecated", Value::Bool(true)));
        }
        if !parameters.is_empty() {
            operation.push(("parameters", Value::Sequence(parameters)));
        }
        let request_summary = if request_example.1 {
            "From upstream's export"
        } else {
            "Written from the schema"
        };
        operation.push((
            "requestBody",
            map(vec![
                ("required", Value::Bool(true)),
                (
                    "content",
                    map(vec![(
                        "application/json",
                        map(vec![
                            ("schema", map(vec![("$ref", s(request_ref.clone()))])),
                            (
                                "examples",
                                map(vec![(
                                    if request_example.1 {
                                        "upstream"
                                    } else {
                                        "from_schema"
                                    },
                                    map(vec![
                                        ("summary", s(request_summary)),
                                        ("externalValue", s(request_file)),
                                    ]),
                                )]),
                            ),
                        ]),
                    )]),
                ),
            ]),
        ));
        operation.push((
            "responses",
            map(vec![(
                "200",
                map(vec![
                    (
                        "description",
                        s("The envelope; `data` on success, null on failure."),
                    ),
                    (
                        "content",
                        map(vec![(
                            "application/json",
                            map(vec![
                                (
                                    "schema",
                                    map(vec![(
                                        "$ref",
                                        s(format!("#/components/schemas/{response_name}")),
                                    )]),
                                ),
                                ("examples", Value::Mapping(response_examples)),
                            ]),
                        )]),
                    ),
                ]),
            )]),
        ));
        let mut item = Mapping::new();
        item.insert(s(c.method.to_ascii_lowercase()), map(operation));
        paths.insert(s(c.path.clone()), Value::Mapping(item));
    }
    // Keep only the components something refers to.
    let used = reachable(&paths, &schemas.out);
    let mut components = Mapping::new();
    for (name, schema) in &schemas.out {
        if used.contains(name) && !schema.is_null() {
            components.insert(s(name.clone()), schema.clone());
        }
    }

    let servers = match api {
        "client" => vec![
            ("https://prewppc-3.cmfbl.com", "PRE (test) environment."),
            (
                "https://api.multimarkets.org",
                "PRD (production) environment.",
            ),
        ],
        "manager" => vec![
            (
                "https://pre-api-test.cmfbl.com",
                "PRE (test) environment of upstream's export.",
            ),
            (
                "https://prewppc-3.cmfbl.com",
                "PRE (test) environment of the docs' API Address page.",
            ),
            (
                "https://api.multimarkets.org",
                "PRD (production) environment.",
            ),
        ],
        _ => vec![("https://prepc-real.headline.net", "PRE (test) environment.")],
    };
    let title = match api {
        "client" => "MultiMarkets Client API",
        "manager" => "MultiMarkets Manager API",
        _ => "MultiMarkets Auth2 API",
    };
    let description = format!(
        "Area `{area}` of the {title}: {} operations imported by `cargo xtask import` from \
         upstream's {} export (`{}`), grouped by upstream's tags. The \
         conventions, the envelope and the headers are those of `openapi/README.md`; the \
         hand-kept specs describe the API itself (gateway, signing, error codes).",
        ops.len(),
        export.name,
        export.file
    );
    let mut headers = Mapping::new();
    for (name, source) in header_sources(api, area) {
        headers.insert(s(name), s(source));
    }
    let spec = map(vec![
        ("openapi", s("3.0.3")),
        (
            "info",
            map(vec![
                ("title", s(format!("{title} ({area})"))),
                ("version", s("0.1.0")),
                ("description", s(description)),
            ]),
        ),
        ("x-mm-api", s(api)),
        ("x-mm-headers", Value::Mapping(headers)),
        (
            "servers",
            Value::Sequence(
                servers
                    .into_iter()
                    .map(|(url, d)| map(vec![("url", s(url)), ("description", s(d))]))
                    .collect(),
            ),
        ),
        (
            "tags",
            Value::Sequence(
                tags.iter()
                    .map(|(tag, upstream)| {
                        let upstream = upstream.strip_prefix("module:").map_or_else(
                            || format!("upstream's tag `{upstream}`"),
                            |m| {
                                format!(
                                    "bizType service module `{m}` (upstream's export has no tags)"
                                )
                            },
                        );
                        map(vec![
                            ("name", s(tag.clone())),
                            ("description", s(format!("Operations of {upstream}."))),
                        ])
                    })
                    .collect(),
            ),
        ),
        ("paths", Value::Mapping(paths)),
        (
            "components",
            map(vec![("schemas", Value::Mapping(components))]),
        ),
    ]);
    taken.extend(
        spec["components"]["schemas"]
            .as_mapping()
            .into_iter()
            .flatten()
            .filter_map(|(name, _)| name.as_str().map(str::to_owned)),
    );
    let notes = format!(
        "{} examples from upstream, {} written from the schema",
        rewritten_examples, written_examples
    );
    Ok((spec, notes))
}

/// The `data` field of an envelope for converted data schema `data`: the forms the codegen
/// takes (an untyped schema, a nullable primitive or array of named or primitive items, or
/// `anyOf` a named schema and null); anything else is named `<Op>Data` first.
fn data_field(data: &Value, pascal: &str, schemas: &mut Schemas) -> Value {
    let description = s("The operation's result; null on failure.");
    if data.get("$ref").is_some() {
        return map(vec![
            ("description", description),
            ("anyOf", Value::Sequence(vec![data.clone(), NULL_ONLY()])),
        ]);
    }
    let plain = |schema: &Value| {
        matches!(
            schema["type"].as_str(),
            Some("integer" | "number" | "boolean")
        ) || (schema["type"].as_str() == Some("string")
            && schema.get("enum").is_none()
            && schema.get("format").is_none())
    };
    let untyped = data.as_mapping().is_some_and(|m| {
        m.keys()
            .filter_map(Value::as_str)
            .all(|k| k == "nullable" || k == "description")
    });
    if untyped {
        return map(vec![("description", description)]);
    }
    let array_ok = data["type"].as_str() == Some("array")
        && (data["items"].get("$ref").is_some() || plain(&data["items"]));
    if plain(data) || array_ok {
        let mut out = data.as_mapping().cloned().unwrap_or_default();
        out.insert(s("nullable"), Value::Bool(true));
        out.insert(s("description"), description);
        return Value::Mapping(out);
    }
    let name = schemas.own(&format!("{pascal}Data"));
    let mut named = data.as_mapping().cloned().unwrap_or_default();
    named.remove("nullable");
    schemas.out.insert(name.clone(), Value::Mapping(named));
    map(vec![
        ("description", description),
        (
            "anyOf",
            Value::Sequence(vec![
                map(vec![("$ref", s(format!("#/components/schemas/{name}")))]),
                NULL_ONLY(),
            ]),
        ),
    ])
}

fn reachable(paths: &Mapping, schemas: &BTreeMap<String, Value>) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut pending: Vec<&Value> = paths.values().collect();
    while let Some(value) = pending.pop() {
        match value {
            Value::Mapping(m) => {
                for (k, v) in m {
                    let target = v
                        .as_str()
                        .filter(|_| k.as_str() == Some("$ref"))
                        .and_then(|t| t.strip_prefix("#/components/schemas/"));
                    match target {
                        Some(name) if found.insert(name.to_owned()) => {
                            pending.extend(schemas.get(name));
                        }
                        Some(_) => {}
                        None => pending.push(v),
                    }
                }
            }
            Value::Sequence(items) => pending.extend(items),
            _ => {}
        }
    }
    found
}

fn write_json(path: &str, value: &Value) -> Result<(), String> {
    let text = serde_json::to_string_pretty(value).map_err(|e| format!("{path}: {e}"))?;
    std::fs::write(path, text + "\n").map_err(|e| format!("{path}: {e}"))
}

/// Upstream's text, made JSON: comments and trailing commas removed. Returns the value and
/// what was repaired.
fn repair(text: &str) -> Option<(Value, Vec<&'static str>)> {
    let mut repaired = Vec::new();
    if text.trim().is_empty() {
        return None;
    }
    // Comments outside strings.
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    let mut comments = false;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if c == '\\' {
                out.extend(chars.next());
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match (c, chars.peek()) {
            ('"', _) => {
                in_string = true;
                out.push(c);
            }
            ('/', Some('/')) => {
                comments = true;
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            ('/', Some('*')) => {
                comments = true;
                chars.next();
                let mut previous = ' ';
                for c in chars.by_ref() {
                    if previous == '*' && c == '/' {
                        break;
                    }
                    previous = c;
                }
            }
            _ => out.push(c),
        }
    }
    if comments {
        repaired.push("comments removed");
    }
    // Trailing commas before `}` or `]`.
    let mut result = String::new();
    let mut in_string = false;
    let mut trailing = false;
    let bytes: Vec<char> = out.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if in_string {
            result.push(c);
            if c == '\\' && i + 1 < bytes.len() {
                result.push(bytes[i + 1]);
                i += 1;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            result.push(c);
        } else if c == ',' {
            let next = bytes[i + 1..].iter().find(|c| !c.is_whitespace());
            if matches!(next, Some('}') | Some(']')) {
                trailing = true;
            } else {
                result.push(c);
            }
        } else {
            result.push(c);
        }
        i += 1;
    }
    if trailing {
        repaired.push("trailing commas removed");
    }
    let json: serde_json::Value = serde_json::from_str(&result).ok()?;
    // Keep the order of the members: read it again as YAML where that works.
    let value = serde_yaml_ng::from_str::<Value>(&result)
        .ok()
        .filter(|v| serde_json::to_value(v).ok().as_ref() == Some(&json))
        .or_else(|| serde_yaml_ng::to_value(&json).ok())?;
    Some((value, repaired))
}

/// An example as given: a value, or JSON text (repaired).
fn example_value(raw: &Value) -> Result<(Value, Vec<&'static str>), &'static str> {
    match raw {
        Value::String(text) if text.trim().is_empty() => Err("empty"),
        Value::String(text) => {
            repair(text).ok_or("not valid JSON even with comments and trailing commas removed")
        }
        Value::Null => Err("missing"),
        other => Ok((other.clone(), Vec::new())),
    }
}

/// `value` fitted to `schema`: fields the schema does not declare, and `null` where it does
/// not admit one (on optional fields), are left out (they would not survive the typed round
/// trip); anything else that does not fit fails.
fn fit(
    value: &Value,
    schema: &Value,
    schemas: &Schemas,
    depth: usize,
    changes: &mut BTreeSet<String>,
) -> Result<Value, String> {
    if depth > 32 {
        return Err("too deep".into());
    }
    let schema = schemas.ours(schema);
    let nullable = schema["nullable"].as_bool() == Some(true);
    if let Some(Value::Sequence(branches)) = schema.get("anyOf").or(schema.get("oneOf")) {
        let mut last = String::from("no branch");
        for branch in branches {
            let mut c = BTreeSet::new();
            match fit(value, branch, schemas, depth + 1, &mut c) {
                Ok(v) => {
                    changes.extend(c);
                    return Ok(v);
                }
                Err(e) => last = e,
            }
        }
        return Err(last);
    }
    if let Some(Value::Sequence(branches)) = schema.get("allOf")
        && let [one] = branches.as_slice()
    {
        return fit(value, one, schemas, depth + 1, changes);
    }
    if value.is_null() {
        return if nullable {
            Ok(Value::Null)
        } else {
            Err("null where the schema admits none".into())
        };
    }
    if let Some(Value::Sequence(values)) = schema.get("enum")
        && !values.contains(value)
    {
        return Err(format!("{value:?} is not one of the enum's values"));
    }
    match schema["type"].as_str() {
        None => Ok(value.clone()),
        Some("string") => value
            .is_string()
            .then(|| value.clone())
            .ok_or_else(|| "not a string".into()),
        Some("boolean") => value
            .is_bool()
            .then(|| value.clone())
            .ok_or_else(|| "not a boolean".into()),
        Some("integer") => {
            let Some(n) = value.as_i64() else {
                return Err("not an integer".into());
            };
            if schema["format"].as_str() == Some("int32") && i32::try_from(n).is_err() {
                return Err("outside int32".into());
            }
            // Beyond 2^53 JavaScript tools (the conformance mock among them) cannot read an
            // integer exactly: upstream's examples of that size are such tools' rounded output.
            const EXACT_IN_JAVASCRIPT: u64 = (1 << 53) - 1;
            if n.unsigned_abs() > EXACT_IN_JAVASCRIPT {
                let mut shorter = n;
                while shorter.unsigned_abs() > EXACT_IN_JAVASCRIPT {
                    shorter /= 10;
                }
                changes.insert(format!(
                    "the integer `{n}`, beyond what JavaScript reads exactly, shortened to `{shorter}`"
                ));
                return Ok(Value::Number(shorter.into()));
            }
            Ok(value.clone())
        }
        Some("number") => value
            .is_number()
            .then(|| value.clone())
            .ok_or_else(|| "not a number".into()),
        Some("array") => {
            let Some(items) = value.as_sequence() else {
                return Err("not an array".into());
            };
            items
                .iter()
                .map(|item| fit(item, &schema["items"], schemas, depth + 1, changes))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Sequence)
        }
        Some("object") => {
            let Some(object) = value.as_mapping() else {
                return Err("not an object".into());
            };
            let properties = schema["properties"]
                .as_mapping()
                .cloned()
                .unwrap_or_default();
            let free = properties.is_empty() && schema.get("additionalProperties").is_none();
            if free {
                return Ok(value.clone());
            }
            let required: Vec<&str> = schema["required"]
                .as_sequence()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let mut out = Mapping::new();
            for (key, field) in object {
                let name = key.as_str().unwrap_or_default();
                match properties.get(key) {
                    Some(property) => {
                        let property_schema = schemas.ours(property);
                        let admits_null = property_schema["nullable"].as_bool() == Some(true)
                            || property_schema.get("anyOf").is_some()
                            || property_schema.get("type").is_none();
                        if field.is_null() && !admits_null && !required.contains(&name) {
                            changes.insert(format!(
                                "`null` fields the schema does not admit left out (`{name}`)"
                            ));
                            continue;
                        }
                        let empty = field.as_sequence().is_some_and(Vec::is_empty)
                            || (field.as_mapping().is_some_and(Mapping::is_empty)
                                && property_schema["properties"]
                                    .as_mapping()
                                    .is_none_or(Mapping::is_empty));
                        // (An envelope's `data` stays: it is what the call returns.)
                        let data = depth == 0 && name == "data";
                        if empty && !required.contains(&name) && !data {
                            // The typed round trip leaves an empty optional list or map out.
                            changes.insert(format!(
                                "empty optional lists and maps left out (`{name}`)"
                            ));
                            continue;
                        }
                        let fitted = fit(field, property, schemas, depth + 1, changes)
                            .map_err(|e| format!("`{name}`: {e}"))?;
                        out.insert(key.clone(), fitted);
                    }
                    None => match schema.get("additionalProperties") {
                        Some(extra @ Value::Mapping(_)) => {
                            let fitted = fit(field, extra, schemas, depth + 1, changes)
                                .map_err(|e| format!("`{name}`: {e}"))?;
                            out.insert(key.clone(), fitted);
                        }
                        _ => {
                            changes.insert(format!(
                                "fields the schema does not declare left out (`{name}`)"
                            ));
                        }
                    },
                }
            }
            for r in &required {
                if !out.contains_key(*r) {
                    return Err(format!("required `{r}` missing"));
                }
            }
            Ok(Value::Mapping(out))
        }
        Some(other) => Err(format!("unknown type {other}")),
    }
}

/// A minimal valid value of `schema`: required fields only.
fn generate(schema: &Value, schemas: &Schemas, depth: usize) -> Value {
    let schema = schemas.ours(schema);
    if let Some(Value::Sequence(branches)) = schema
        .get("anyOf")
        .or(schema.get("oneOf"))
        .or(schema.get("allOf"))
    {
        return branches
            .first()
            .map_or(Value::Null, |b| generate(b, schemas, depth + 1));
    }
    if let Some(Value::Sequence(values)) = schema.get("enum") {
        return values.first().cloned().unwrap_or(Value::Null);
    }
    if depth > 12 {
        return Value::Null;
    }
    match schema["type"].as_str() {
        Some("string") => s("string"),
        Some("integer") => Value::from(0),
        Some("number") => Value::from(0),
        Some("boolean") => Value::Bool(false),
        Some("array") => Value::Sequence(Vec::new()),
        Some("object") => {
            let mut out = Mapping::new();
            let properties = schema["properties"]
                .as_mapping()
                .cloned()
                .unwrap_or_default();
            for r in schema["required"].as_sequence().into_iter().flatten() {
                if let Some(p) = properties.get(r) {
                    out.insert(r.clone(), generate(p, schemas, depth + 1));
                }
            }
            Value::Mapping(out)
        }
        _ => Value::Null,
    }
}

/// The request example: upstream's (repaired and fitted) if it fits the schema, else one
/// written from the schema. The flag says whether it is upstream's.
fn request_example(
    media: &Value,
    schema: &Value,
    schemas: &Schemas,
    notes: &mut Vec<String>,
    counts: &mut Counts,
) -> (Value, bool) {
    let raw = media.get("example").cloned().unwrap_or(Value::Null);
    let empty_body = schemas.ours(schema)["properties"]
        .as_mapping()
        .is_some_and(Mapping::is_empty)
        && schemas.ours(schema)["type"].as_str() == Some("object");
    match example_value(&raw) {
        Ok((value, repaired)) => {
            let mut changes = BTreeSet::new();
            match fit(&value, schema, schemas, 0, &mut changes) {
                Ok(fitted)
                    if !(empty_body && value.as_mapping().is_some_and(|m| !m.is_empty())) =>
                {
                    counts.add("request example: upstream's");
                    let mut what: Vec<String> = repaired.iter().map(|r| (*r).to_owned()).collect();
                    what.extend(changes);
                    if !what.is_empty() {
                        counts.add("request example: upstream's, repaired");
                        notes.push(format!(
                            "the request example is upstream's with {}",
                            what.join(", ")
                        ));
                    }
                    (fitted, true)
                }
                Ok(_) => {
                    counts.add("request example: written from the schema (upstream's has fields the empty body does not)");
                    notes.push("upstream's request example has fields although the body has none: `{}` is used".into());
                    (Value::Mapping(Mapping::new()), false)
                }
                Err(why) => {
                    counts
                        .add("request example: written from the schema (upstream's does not fit)");
                    notes.push(format!("upstream's request example does not fit its schema ({why}); a minimal one is written from the schema"));
                    (generate(schema, schemas, 0), false)
                }
            }
        }
        Err(why) => {
            if why != "empty" && why != "missing" {
                counts.add("request example: written from the schema (upstream's is not JSON)");
                notes.push(format!(
                    "upstream's request example is {why}; a minimal one is written from the schema"
                ));
            } else {
                counts.add("request example: written from the schema (none upstream)");
            }
            (generate(schema, schemas, 0), false)
        }
    }
}

/// The response examples: upstream's that fit (a success first), else a success written from
/// the schema. Each with a name and whether it is upstream's.
fn response_examples(
    media: &Value,
    envelope: &Value,
    schemas: &Schemas,
    notes: &mut Vec<String>,
    counts: &mut Counts,
    returns_nothing: &mut bool,
) -> Vec<(String, Value, bool)> {
    let mut raws: Vec<Value> = media["examples"]
        .as_mapping()
        .into_iter()
        .flatten()
        .map(|(_, e)| e.get("value").cloned().unwrap_or(Value::Null))
        .collect();
    if let Some(example) = media.get("example") {
        raws.push(example.clone());
    }
    let mut successes = Vec::new();
    let mut failures = Vec::new();
    let mut problems = Vec::new();
    for raw in raws {
        let (mut value, repaired) = match example_value(&raw) {
            Ok(v) => v,
            Err(why) => {
                if why != "empty" && why != "missing" {
                    problems.push(format!("one is {why}"));
                }
                continue;
            }
        };
        let mut what: Vec<String> = repaired.iter().map(|r| (*r).to_owned()).collect();
        let is_envelope = value.as_mapping().is_some_and(|m| {
            ["code", "ok", "msg"]
                .iter()
                .filter(|k| m.contains_key(**k))
                .count()
                >= 2
        });
        if !is_envelope {
            value = map(vec![("data", value)]);
            what.push("wrapped in the envelope (upstream shows the bare data)".into());
        }
        // The envelope fields the SDK reads must be there.
        if value["ok"].as_bool().is_some() && value["ok"].as_bool() == value["fail"].as_bool() {
            problems.push("one says both `ok` and `fail` alike".to_owned());
            continue;
        }
        // A success says `ok: true` and not `fail: true` (as the SDK and the sandbox read it).
        let ok = value["ok"].as_bool().unwrap_or_else(|| {
            value["code"].as_str() == Some("0") || value["code"].as_i64() == Some(0) || !is_envelope
        }) && value["fail"].as_bool() != Some(true);
        let mut filled = Vec::new();
        let defaults: [(&str, Value); 8] = [
            ("msg", s(if ok { "Success" } else { "Failure" })),
            ("fail", Value::Bool(!ok)),
            ("trace", s("x-example")),
            ("code", s(if ok { "0" } else { "G500" })),
            ("bizCode", s("")),
            ("tm", Value::from(1)),
            ("msgParams", Value::Null),
            ("ok", Value::Bool(ok)),
        ];
        let mut out = Mapping::new();
        for field in ENVELOPE {
            let current = value.get(field).cloned();
            let default = defaults
                .iter()
                .find(|(f, _)| *f == field)
                .map(|(_, v)| v.clone());
            let fine = match (field, &current) {
                ("data", _) => true,
                ("msgParams", Some(_)) => true,
                (_, Some(v)) => match field {
                    "fail" | "ok" => v.is_bool(),
                    "tm" => v.as_i64().is_some(),
                    _ => v.is_string(),
                },
                (_, None) => false,
            };
            let v = if fine {
                current.unwrap_or(Value::Null)
            } else {
                if is_envelope {
                    filled.push(field);
                }
                default.unwrap_or(Value::Null)
            };
            out.insert(s(field), v);
        }
        if !filled.is_empty() {
            what.push(format!(
                "envelope fields `{}` filled in",
                filled.join("`, `")
            ));
        }
        let value = Value::Mapping(out);
        let mut changes = BTreeSet::new();
        match fit(&value, envelope, schemas, 0, &mut changes) {
            Ok(fitted) => {
                what.extend(changes);
                if !what.is_empty() {
                    counts.add("response example: upstream's, repaired");
                    notes.push(format!(
                        "a response example is upstream's with {}",
                        what.join(", ")
                    ));
                }
                if ok {
                    successes.push(fitted);
                } else {
                    failures.push(fitted);
                }
            }
            Err(why) => problems.push(format!("one does not fit its schema ({why})")),
        }
    }
    let mut out = Vec::new();
    let (with_data, without): (Vec<Value>, Vec<Value>) =
        successes.into_iter().partition(|s| !s["data"].is_null());
    let successes = if with_data.is_empty() && !without.is_empty() {
        *returns_nothing = true;
        counts.add("`x-mm-returns: nothing` (upstream's successes carry `data: null`)");
        notes.push(
            "upstream's successful answers carry no data, so the method returns nothing".into(),
        );
        without
    } else {
        if !without.is_empty() {
            notes.push(
                "upstream's successful answers without data are left out (the others carry data)"
                    .into(),
            );
        }
        with_data
    };
    if successes.is_empty() {
        counts.add("response example: success written from the schema");
        let data = match generate(&envelope["properties"]["data"], schemas, 0) {
            // Untyped data: an empty object, as a success carries data.
            Value::Null => Value::Mapping(Mapping::new()),
            data => data,
        };
        let success = map(vec![
            ("msg", s("Success")),
            ("fail", Value::Bool(false)),
            ("trace", s("x-example")),
            ("code", s("0")),
            ("data", data),
            ("bizCode", s("")),
            ("tm", Value::from(1)),
            ("msgParams", Value::Null),
            ("ok", Value::Bool(true)),
        ]);
        let why = if problems.is_empty() {
            "upstream shows no successful answer".to_owned()
        } else {
            format!("of upstream's response examples, {}", problems.join("; "))
        };
        notes.push(format!(
            "{why}: the success example is written from the schema"
        ));
        out.push(("success".to_owned(), success, false));
    } else {
        if !problems.is_empty() {
            notes.push(format!(
                "of upstream's response examples, {} (left out)",
                problems.join("; ")
            ));
        }
        for (index, success) in successes.into_iter().enumerate() {
            counts.add("response example: upstream's success");
            let name = if index == 0 {
                "success".to_owned()
            } else {
                format!("success_{}", index + 1)
            };
            out.push((name, success, true));
        }
    }
    for (index, failure) in failures.into_iter().enumerate() {
        counts.add("response example: upstream's failure");
        out.push((format!("failure_{}", index + 1), failure, true));
    }
    out
}

/// Rewrites the README's section on the import.
fn write_readme(
    per_export: &[(usize, usize, usize)],
    candidates: &[Candidate],
    skipped: &[Skipped],
    areas: &[(String, usize, String)],
    counts: &Counts,
) -> Result<(), String> {
    let mut section = String::new();
    section.push_str(SECTION_START);
    section.push_str("\n## Imported from upstream's exports\n\n");
    section.push_str(
        "Upstream publishes its API reference as OpenAPI exports in the docs' GitBook source \
         (`.gitbook/assets/`). `cargo xtask import --refresh` copies them from a git clone of \
         the docs (its folder in `MM_DOCS_REPO`) into `openapi/upstream/`, which is not \
         committed (their text is upstream's), and `cargo xtask import` converts them into the area specs listed below, with their examples under \
         `examples/<area>/`. Do not edit those specs by hand: an operation that needs care \
         moves to a hand-kept spec (`client.yaml`, `manager.yaml`, `auth2.yaml`), and the next \
         import skips it, since the hand-kept specs keep priority.\n\n",
    );
    section.push_str("| export | API | operations | imported | skipped |\n|---|---|---|---|---|\n");
    for (export, (all, imported, skipped)) in EXPORTS.iter().zip(per_export) {
        let _ = writeln!(
            section,
            "| `{}` | {} (`x-mm-api: {}`) | {all} | {imported} | {skipped} |",
            export.file, export.name, export.api
        );
    }
    section.push_str(
        "\n| area | API | operations | upstream tags | examples |\n|---|---|---|---|---|\n",
    );
    for (area, count, notes) in areas {
        let api = candidates
            .iter()
            .find(|c| &c.area == area)
            .map(|c| EXPORTS[c.export].api)
            .unwrap_or("");
        let mut tags: Vec<String> = Vec::new();
        for c in candidates.iter().filter(|c| &c.area == area) {
            let tag = format!("`{}`", c.upstream_tag);
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        let _ = writeln!(
            section,
            "| `{area}.yaml` | {api} | {count} | {} | {notes} |",
            tags.join(", ")
        );
    }
    section.push_str(
        "\nHow the exports are converted:\n\n\
         - Paths: as the hand-kept specs write them, from the host root. The Client API's get \
         `/api` (the export's server), except the Open API's (signed with `apiKey`/`signature`), \
         which get `/openapi-c`, and the few upstream already writes with `/api/`. The Manager \
         API's get `/openapi-b`; the quant variant's `/global` is dropped first, as \
         `manager.yaml` does (the gateway rule is `/openapi-b/{bizType}`). The Auth2 API's get \
         `/cats-gateway-auth2`.\n\
         - Tags and areas: one tag per operation, upstream's first (its slug, e.g. \
         `Customer/Basic` → `customer-basic`); the Manager export has none, so its tag is the \
         bizType's service module (`config`, `customer`, `fund`, `message`, `report`, \
         `tradeapi`). Areas group whole tags, about 30 operations each, and hold the \
         operations of one group where they can. A component named as one of another spec of \
         the same API is named after its group too (`IndexFieldOrderDto`): an API's types share \
         one namespace.\n\
         - Groups (`x-mm-group`): an operation the specs already have keeps its group; a new \
         one gets its tag's (the table `TAGS` of the importer), which follows upstream's docs \
         menu. The `group` header, upstream's routing group of the trading service, is sent as \
         `tradeApi`, its one documented value, on every operation that lists it.\n\
         - `operationId`: upstream's are missing, repeated or wrong, so they are not used. The \
         id is the snake_case of the bizType's method (the last path segment); where two \
         operations of an API share it, or a hand-kept spec has it, the service (without its \
         `...Service` suffix, or the previous path segment) is put before it, then the module, \
         then a number, in the order of the paths.\n\
         - `x-mm-credential`, by the headers upstream lists: `apiKey`/`signature` → \
         `open-api-signature`; `token` (any case) → \
         `client-login` on the Client API, `manager-token` on the Manager API; none → `none`. \
         Many Client operations list no headers at all upstream, though the gateway needs \
         `companyId` on every call and a login for anything done on a customer's behalf: those \
         under `/api` get the headers of upstream's \"Global Unified Request Header\" (`companyId`, \
         `token`, `lang`, `trace`, `version`; not `group`, a routing choice of the caller), so \
         they take the customer's login token (`client-login`): a public operation called with a \
         token still works, a private one called without fails.\n\
         - Idempotency: upstream's Global Unified Request Header documents `idempotency-key`: the \
         gateway caches the answer to a key for 24 hours, per bizType, version, group and company, \
         and refuses concurrent requests with the same key (`GGATEWAY_CODE_018`, retried). Every \
         write under `/api` carries it (`x-mm-headers` source `idempotency-key`): a fresh key per \
         call, the same on each attempt, so such a write is retried after a timeout like a read. \
         Upstream documents it for the Client API's gateway only: the Open API (`/openapi-c`), the \
         Manager and the Auth2 APIs get none, and their writes are retried only when they surely \
         never left.\n\
         - The quant variant's `accessToken` header is an argument of the call, and its operations \
         `none`: the export does not say that it carries the Manager token.\n\
         - `x-mm-effect`, by the first word of the bizType's method: `read` for `get`, `query`, \
         `list`, `find`, `search`, `check`, `select`, `count`, `page`, `detail`, `info`, \
         `calc`/`compute`, ...; `write` for `add`, `update`, `delete`, `create`, `save`, `set`, \
         `submit`, `apply`, `cancel`, `send`, `bind`, `transfer`, `withdraw`, `verify`, \
         `login`, ...; for any other first word, `read` when a word of the name is `list`, \
         `page`, `detail`, `info`, `query`, `record`, `report` or `statistics`, else `write` \
         (retrying a write only when it surely never left is the safe default).\n\
         - Responses: upstream's envelope is recognised in all its shapes (a `BaseResult*` \
         component, an inline envelope with every field or some of them, or a bare record, \
         which is the data) and spelled out as `<Operation>Response` in the convention's shape; \
         its `data` is upstream's data schema (named `<Operation>Data` when inline). An \
         envelope field is required only where upstream marks it so.\n\
         - Schemas: OpenAPI 3.1 constructs rewritten for 3.0 (type arrays → `nullable`, \
         `type: 'null'`, `const` → one-value `enum`, `examples` dropped, `$ref` siblings \
         dropped, `format: long` → `int64`, `refType` dropped); names made PascalCase as typify \
         spells them (`BaseResult«BasePageVo«...»»` → `BaseResultBasePageVo...`) and unique. \
         String formats, non-string enums and validation keywords are dropped, so that every \
         value keeps a plain type. Upstream's prose (descriptions and titles of operations and \
         fields) is not copied: summaries and descriptions are written from the path, tag and \
         title.\n\
         - Examples: upstream's, where they are JSON (comments and trailing commas removed) and \
         fit the schema; fields the schema does not declare and `null`s it does not admit are \
         left out, missing envelope fields filled in, and a bare answer put in the envelope; \
         each operation's description says what was changed. Otherwise a minimal example is \
         written from the schema.\n\n",
    );
    section
        .push_str("Rewrites, counted over the whole import:\n\n| rewrite | count |\n|---|---|\n");
    for (what, count) in &counts.0 {
        let _ = writeln!(section, "| {what} | {count} |");
    }
    section.push_str("\nSkipped operations:\n\n| export | method + path (upstream's) | title | why |\n|---|---|---|---|\n");
    for skip in skipped {
        let title = if skip.title.is_ascii() {
            skip.title.clone()
        } else {
            format!("{} (untranslated)", skip.title)
        };
        let _ = writeln!(
            section,
            "| {} | {} `{}` | {} | {} |",
            EXPORTS[skip.export].name,
            skip.method,
            skip.path,
            title.replace('|', "/"),
            skip.reason.replace('|', "/")
        );
    }
    section.push_str(SECTION_END);
    section.push('\n');

    let text = std::fs::read_to_string(README).map_err(|e| format!("{README}: {e}"))?;
    let new = match (text.find(SECTION_START), text.find(SECTION_END)) {
        (Some(start), Some(end)) => {
            let end = end + SECTION_END.len();
            let end = if text[end..].starts_with('\n') {
                end + 1
            } else {
                end
            };
            format!("{}{section}{}", &text[..start], &text[end..])
        }
        _ => format!(
            "{}\n{section}",
            text.trim_end_matches('\n').to_owned() + "\n"
        ),
    };
    std::fs::write(README, new).map_err(|e| format!("{README}: {e}"))
}

// What `cargo xtask upstream-diff` reuses of the importer: its rules, without its bookkeeping
// (the README's counts, the priority of the hand-kept specs).

/// The export an imported area spec was made from: the one its `info.description` names, as
/// `area_spec` writes it; `None` for a hand-kept spec.
pub(crate) fn imported_from(spec: &Value) -> Option<&'static Export> {
    let description = spec["info"]["description"].as_str()?;
    EXPORTS
        .iter()
        .find(|export| description.contains(&format!("export (`{}`)", export.file)))
}

/// Why the importer leaves out an operation of export `export` for what it is (a
/// pseudo-operation, a webhook, a shape the conventions do not take), whatever the specs have.
pub(crate) fn intrinsic_skip_reason(
    export: usize,
    method: &str,
    upstream_path: &str,
    op: &Value,
) -> Option<String> {
    let path = our_path(export, upstream_path, op);
    skip_reason(
        export,
        method,
        upstream_path,
        &path,
        op,
        &BTreeMap::new(),
        &[],
    )
}

/// The header parameters the importer gives an operation of export `export` (in `document`)
/// whose effect is `effect`.
pub(crate) fn imported_headers(
    export: usize,
    method: &str,
    upstream_path: &str,
    op: &Value,
    effect: &str,
    document: &Value,
) -> Vec<Value> {
    let candidate = Candidate {
        export,
        method: method.to_owned(),
        upstream_path: upstream_path.to_owned(),
        path: our_path(export, upstream_path, op),
        op: op.clone(),
        upstream_tag: String::new(),
        tag: String::new(),
        area: String::new(),
        group: String::new(),
        id: String::new(),
    };
    let api = EXPORTS[export].api;
    request_headers(api, &candidate, effect, document, &mut Counts::default())
}

/// A converter of upstream's components `upstream` into ours.
pub(crate) fn schemas(upstream: &Mapping) -> Schemas<'_> {
    Schemas {
        upstream,
        names: BTreeMap::new(),
        out: BTreeMap::new(),
        pending: Vec::new(),
        taken: BTreeSet::new(),
        qualifier: String::new(),
    }
}

/// Upstream's data schema in `op`'s answer, the envelope recognised as `area_spec` does: the
/// `data` of an envelope (a component or inline, with at least three of its fields), or the
/// whole answer when it is a bare record; `None` when upstream describes no answer.
pub(crate) fn answer_data(op: &Value, schemas: &Schemas) -> Option<Value> {
    let schema = op["responses"]["200"]["content"]
        .as_mapping()
        .and_then(|m| m.values().next())
        .and_then(|media| media.get("schema"))
        .filter(|schema| !schema.is_null())?;
    match schemas.resolve(schema)["properties"].as_mapping() {
        Some(properties) if is_envelope(properties) => properties.get("data").cloned(),
        _ => Some(schema.clone()),
    }
}

/// Whether an answer with these `properties` is upstream's envelope, in one of its shapes:
/// three of its fields or more (its partial inline envelopes have as few as three); anything
/// else is a bare record, which is the data.
fn is_envelope(properties: &Mapping) -> bool {
    ENVELOPE
        .iter()
        .filter(|field| properties.contains_key(**field))
        .count()
        >= 3
}

impl Schemas<'_> {
    /// Upstream's `schema` converted as the import converts it, with the components it needs.
    pub(crate) fn converted(&mut self, schema: &Value) -> Value {
        let mut counts = Counts::default();
        let converted = self.convert(schema, &mut counts);
        self.drain(&mut counts);
        converted
    }

    /// The converted component `reference` (`#/components/schemas/<name>`) names.
    pub(crate) fn component(&self, reference: &str) -> Option<&Value> {
        let name = reference.strip_prefix("#/components/schemas/")?;
        self.out.get(name)
    }
}

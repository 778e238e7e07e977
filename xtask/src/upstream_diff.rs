//! `cargo xtask upstream-diff <export> [--as EXPORT] [--specs DIR] [--ack FILE] [--all]`: what
//! differs between one of upstream's exports and our specs, for when upstream's docs change
//! (README.md, "When upstream's docs change").
//!
//! The export is read as `cargo xtask import` reads it, and what the import would make of it is
//! compared, operation by operation, with what the specs of `DIR` (default `openapi/`) have:
//!
//! - Operations are matched by method and path as our specs write it (the importer's
//!   `our_path`: with `/api`, `/openapi-c`, `/openapi-b` or `/cats-gateway-auth2`). An
//!   operation of the export that no spec of its API has is *added*, unless the importer
//!   leaves it out for what it is (a pseudo-operation, a webhook, a `GET` with query
//!   parameters, a file upload). An operation that the export lacks is *removed* when its spec
//!   is this export's: an imported area spec made from it, or a hand-kept spec of its API.
//! - Fields of the request body (`body.<name>`) and of the answer's `data` (`data.<name>`,
//!   `data.list[].price`, `data.map.*`), flattened through `$ref`s (a cycle stops at the
//!   second visit), are *added*, *removed*, *retyped* or changed in required-ness
//!   (`field-required`). Nothing is reported below a field that is added, removed or retyped.
//!   The export's side is what the import writes: its schemas converted (3.1 type arrays,
//!   `format: long`, every number a decimal) and the `data` of its envelope, recognised in all
//!   the shapes the importer knows.
//! - Types are compared as the generated code sees them: nullability is not compared; nor are
//!   string formats (the importer drops upstream's, and ours, such as `decimal`, only say how
//!   the same string is read); an integer is `int64` unless it says `int32`; a number is
//!   compared with its format (`decimal` for every imported one).
//! - Header parameters are those the import gives the operation (upstream's; under `/api`, the
//!   "Global Unified Request Header"'s where upstream lists none, and `idempotency-key` on a
//!   write, as our spec's `x-mm-effect` says), matched by name case-insensitively: *added*,
//!   *removed*, changed in required-ness, or spelled otherwise (`header-spelling`: we keep
//!   upstream's spelling).
//!
//! What a person decided to do differently is acknowledged in `--ack FILE` (default
//! `openapi/upstream-diff/acknowledged.yaml`), a YAML list of entries:
//!
//! ```yaml
//! - export: MultiMarkets-ClientAPI.openapi.en.yaml # the importer's export compared
//!   operation: login     # its operationId, or `METHOD path` as our specs write the path
//!   kind: field-required # added-operation, removed-operation, field-added, field-removed,
//!                        # field-retyped, field-required, header-added, header-removed,
//!                        # header-required, header-spelling
//!   field: data.token    # for the field-* kinds; `header: <name>` for the header-* kinds
//!   why: The SDK cannot keep a session without it, so ours requires it.
//! ```
//!
//! One decision about several fields or headers of an operation lists them in `fields` or
//! `headers` instead (one per line: `[]` does not fit in a YAML flow list).
//!
//! The run fails when a difference is not acknowledged, and when an acknowledgement of this
//! export (or one field or header of it) matches no difference: it is stale, and the file stays
//! true by losing it. It prints the differences not acknowledged (every one with `--all`)
//! grouped per operation, sorted, one line each, then the stale acknowledgements and the count
//! of each kind.
//!
//! `--as EXPORT` compares a file of another name (a draft, a test's fixture) as a version of the
//! importer's export `EXPORT`.
//!
//! Not compared: enums and other validation, nullability, descriptions and examples, the
//! envelope's fields other than `data`, the `x-mm-*` extensions, and what the importer leaves
//! out (query parameters, other media types, responses other than 200).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde_yaml_ng::{Mapping, Value};

use crate::import::{self, EXPORTS};

const USAGE: &str = "usage: cargo xtask upstream-diff <export> [--as EXPORT] [--specs DIR] \
                     [--ack FILE] [--all]";

/// The methods the importer reads of a path item.
const METHODS: [&str; 6] = ["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH"];

pub(crate) fn run(args: &[&str]) -> Result<(), String> {
    let options = Options::parse(args)?;
    let upstream = Upstream::read(&options.export, options.name.as_deref())?;
    let specs = Spec::read_all(&options.specs, EXPORTS[upstream.index].api)?;
    let acks = Ack::read_all(&options.ack)?;
    let differences = compare(&upstream, &specs)?;
    let verdict = Verdict::new(upstream.file, differences, &acks);
    print!("{}", verdict.report(&upstream, &options));
    verdict.outcome(&options.ack)
}

/// The command line.
#[derive(Debug)]
struct Options {
    export: PathBuf,
    /// `--as`: the importer's export it is a version of.
    name: Option<String>,
    specs: PathBuf,
    ack: PathBuf,
    all: bool,
}

impl Options {
    fn parse(args: &[&str]) -> Result<Self, String> {
        let mut export = None;
        let mut options = Options {
            export: PathBuf::new(),
            name: None,
            specs: PathBuf::from("openapi"),
            ack: PathBuf::from("openapi/upstream-diff/acknowledged.yaml"),
            all: false,
        };
        let mut args = args.iter();
        while let Some(&arg) = args.next() {
            let mut value = || {
                args.next()
                    .map(|v| (*v).to_owned())
                    .ok_or_else(|| format!("{arg} needs a value\n{USAGE}"))
            };
            match arg {
                "--as" => options.name = Some(value()?),
                "--specs" => options.specs = value()?.into(),
                "--ack" => options.ack = value()?.into(),
                "--all" => options.all = true,
                flag if flag.starts_with("--") => {
                    return Err(format!("unknown option `{flag}`\n{USAGE}"));
                }
                path if export.is_none() => export = Some(PathBuf::from(path)),
                extra => return Err(format!("one export at a time, not also `{extra}`\n{USAGE}")),
            }
        }
        options.export = export.ok_or(USAGE)?;
        Ok(options)
    }
}

/// The export compared: which of the importer's exports it is a version of, and its text.
#[derive(Debug)]
struct Upstream {
    /// Its index in the importer's `EXPORTS`.
    index: usize,
    /// The file name of that export (what acknowledgements name).
    file: &'static str,
    document: Value,
}

impl Upstream {
    fn read(path: &Path, name: Option<&str>) -> Result<Self, String> {
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let name = name.map(str::to_owned).or(file_name).unwrap_or_default();
        let index = EXPORTS
            .iter()
            .position(|export| export.file == name)
            .ok_or_else(|| {
                format!(
                    "{}: `{name}` is not one of the importer's exports ({}); name the one it is a \
                     version of with --as",
                    path.display(),
                    export_files()
                )
            })?;
        let document = import::read_yaml(path)?;
        if !document["paths"].is_mapping() {
            return Err(format!(
                "{}: no `paths` mapping: not an OpenAPI export",
                path.display()
            ));
        }
        Ok(Upstream {
            index,
            file: EXPORTS[index].file,
            document,
        })
    }

    /// Its operations that the importer reads, in the export's order.
    fn operations(&self) -> Vec<Theirs<'_>> {
        let mut operations = Vec::new();
        for (path, item) in self.document["paths"].as_mapping().into_iter().flatten() {
            let Some(upstream_path) = path.as_str() else {
                continue;
            };
            for (method, op) in item.as_mapping().into_iter().flatten() {
                let method = method.as_str().unwrap_or_default().to_ascii_uppercase();
                if METHODS.contains(&method.as_str()) {
                    operations.push(Theirs {
                        path: import::our_path(self.index, upstream_path, op),
                        method,
                        upstream_path,
                        op,
                    });
                }
            }
        }
        operations
    }
}

fn export_files() -> String {
    EXPORTS
        .iter()
        .map(|export| export.file)
        .collect::<Vec<_>>()
        .join(", ")
}

/// An operation of the export.
#[derive(Debug)]
struct Theirs<'a> {
    method: String,
    /// As upstream writes it.
    upstream_path: &'a str,
    /// As our specs write it.
    path: String,
    op: &'a Value,
}

/// One of our specs of the export's API.
#[derive(Debug)]
struct Spec {
    file: String,
    value: Value,
    /// The export it was imported from; `None` for a hand-kept spec.
    imported_from: Option<&'static str>,
}

impl Spec {
    /// The specs of `dir` (`*.yaml`) whose `x-mm-api` is `api`, by file name.
    fn read_all(dir: &Path, api: &str) -> Result<Vec<Spec>, String> {
        let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let mut files = Vec::new();
        for entry in entries {
            let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
            if path.extension().is_some_and(|e| e == "yaml") && path.is_file() {
                files.push(path);
            }
        }
        files.sort();
        let mut specs = Vec::new();
        for path in files {
            let value = read_ours(&path)?;
            if value["x-mm-api"].as_str() == Some(api) {
                specs.push(Spec {
                    file: path.display().to_string(),
                    imported_from: import::imported_from(&value).map(|e| e.file),
                    value,
                });
            }
        }
        Ok(specs)
    }

    /// Whether its operations are described by export `file`, so that they are removed when it
    /// lacks them.
    fn is_of(&self, file: &str) -> bool {
        self.imported_from.is_none_or(|source| source == file)
    }

    /// The component `reference` (`#/components/<kind>/<name>`) names.
    fn component(&self, reference: &str) -> Option<&Value> {
        let mut parts = reference.strip_prefix("#/components/")?.splitn(2, '/');
        let (kind, name) = (parts.next()?, parts.next()?);
        self.value["components"][kind].get(name)
    }
}

/// One of our YAML files.
fn read_ours(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_yaml_ng::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// An operation of our specs.
#[derive(Debug)]
struct Ours<'a> {
    spec: &'a Spec,
    id: Option<String>,
    op: &'a Value,
}

/// Our operations by method and path; one spec each.
fn our_operations(specs: &[Spec]) -> Result<BTreeMap<(String, String), Ours<'_>>, String> {
    let mut operations: BTreeMap<(String, String), Ours> = BTreeMap::new();
    for spec in specs {
        for (path, item) in spec.value["paths"].as_mapping().into_iter().flatten() {
            for (method, op) in item.as_mapping().into_iter().flatten() {
                let key = (
                    method.as_str().unwrap_or_default().to_ascii_uppercase(),
                    path.as_str().unwrap_or_default().to_owned(),
                );
                if let Some(first) = operations.get(&key) {
                    return Err(format!(
                        "{} and {} both have `{} {}`",
                        first.spec.file, spec.file, key.0, key.1
                    ));
                }
                let id = op["operationId"].as_str().map(str::to_owned);
                operations.insert(key, Ours { spec, id, op });
            }
        }
    }
    Ok(operations)
}

/// What differs between the export and the specs, sorted.
fn compare(upstream: &Upstream, specs: &[Spec]) -> Result<Vec<Difference>, String> {
    let ours = our_operations(specs)?;
    let empty = Mapping::new();
    let components = upstream.document["components"]["schemas"]
        .as_mapping()
        .unwrap_or(&empty);
    let mut schemas = import::schemas(components);
    let mut differences = Vec::new();
    let mut matched = BTreeSet::new();
    for theirs in upstream.operations() {
        let key = (theirs.method.clone(), theirs.path.clone());
        match ours.get(&key) {
            Some(our) => {
                let operation = Operation::new(our.id.as_deref(), &key.0, &key.1);
                let mut found = compare_fields(&theirs, our, &mut schemas);
                found.extend(compare_headers(upstream, &theirs, our));
                differences.extend(found.into_iter().map(|f| f.of(&operation)));
                matched.insert(key);
            }
            None => differences.extend(added(upstream, &theirs)),
        }
    }
    differences.extend(removed(upstream.file, &ours, &matched));
    differences.sort();
    Ok(differences)
}

/// An operation of the export that our specs lack: added, unless the import leaves it out for
/// what it is.
fn added(upstream: &Upstream, theirs: &Theirs) -> Option<Difference> {
    let method = theirs.method.as_str();
    let skipped =
        import::intrinsic_skip_reason(upstream.index, method, theirs.upstream_path, theirs.op);
    if skipped.is_some() {
        return None;
    }
    let summary = theirs.op["summary"].as_str().unwrap_or_default().trim();
    let detail = format!(
        "upstream's `{method} {}` (\"{summary}\"), in none of our specs",
        theirs.upstream_path
    );
    let operation = Operation::new(None, method, &theirs.path);
    Some(Found::new(Kind::AddedOperation, None, detail).of(&operation))
}

/// The operations of this export's specs that it does not match: removed.
fn removed(
    export: &str,
    ours: &BTreeMap<(String, String), Ours>,
    matched: &BTreeSet<(String, String)>,
) -> Vec<Difference> {
    ours.iter()
        .filter(|(key, our)| our.spec.is_of(export) && !matched.contains(*key))
        .map(|((method, path), our)| {
            let detail = format!("in {}, not in the export", our.spec.file);
            let operation = Operation::new(our.id.as_deref(), method, path);
            Found::new(Kind::RemovedOperation, None, detail).of(&operation)
        })
        .collect()
}

/// The field differences of a matched operation: its request body's, then its answer's data's.
fn compare_fields(theirs: &Theirs, ours: &Ours, schemas: &mut import::Schemas) -> Vec<Found> {
    // No body is an empty object (as the import writes it); no data, any JSON.
    let empty = empty_object();
    let their_body = request_schema(theirs.op).map_or_else(empty_object, |s| schemas.converted(s));
    let their_data = match import::answer_data(theirs.op, schemas) {
        Some(data) => schemas.converted(&data),
        None => Value::Mapping(Mapping::new()),
    };
    let theirs_resolve = |r: &str| schemas.component(r);
    let ours_resolve = |r: &str| ours.spec.component(r);
    let our_body = request_schema(ours.op).unwrap_or(&empty);
    let our_answer = &ours.op["responses"]["200"]["content"]["application/json"]["schema"];
    let our_answer = follow(our_answer, &ours_resolve);
    let our_data = our_answer["properties"].get("data").unwrap_or(&Value::Null);
    let mut found = diff_fields(
        &fields(&their_body, "body", &theirs_resolve),
        &fields(our_body, "body", &ours_resolve),
    );
    found.extend(diff_fields(
        &fields(&their_data, "data", &theirs_resolve),
        &fields(our_data, "data", &ours_resolve),
    ));
    found
}

/// The JSON request body's schema of `op`.
fn request_schema(op: &Value) -> Option<&Value> {
    Some(&op["requestBody"]["content"]["application/json"]["schema"]).filter(|s| s.is_mapping())
}

fn empty_object() -> Value {
    let mut object = Mapping::new();
    object.insert("type".into(), "object".into());
    object.insert("properties".into(), Value::Mapping(Mapping::new()));
    Value::Mapping(object)
}

/// What `schema` is once its `$ref`s are followed (at most 32, in case they loop).
fn follow<'v>(schema: &'v Value, resolve: &dyn Fn(&str) -> Option<&'v Value>) -> &'v Value {
    let mut current = schema;
    for _ in 0..32 {
        match current["$ref"].as_str().and_then(resolve) {
            Some(next) => current = next,
            None => break,
        }
    }
    current
}

/// A field as compared: its type as the generated code sees it, and its required-ness.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Field {
    ty: String,
    required: bool,
}

impl Field {
    fn describe(&self) -> String {
        format!("{}, {}", self.ty, required_or_optional(self.required))
    }
}

/// The fields of `schema` by path from `root` (`body.list[].price`), `$ref`s followed.
fn fields<'v>(
    schema: &'v Value,
    root: &str,
    resolve: &dyn Fn(&str) -> Option<&'v Value>,
) -> BTreeMap<String, Field> {
    let mut walk = Walk {
        resolve,
        fields: BTreeMap::new(),
        visiting: Vec::new(),
    };
    walk.field(schema, root.to_owned(), false);
    walk.fields
}

/// A walk through a schema that records its fields.
struct Walk<'v, 'r> {
    resolve: &'r dyn Fn(&str) -> Option<&'v Value>,
    fields: BTreeMap<String, Field>,
    /// The `$ref`s being walked through: seeing one again is a cycle, not walked again.
    visiting: Vec<&'v str>,
}

impl<'v> Walk<'v, '_> {
    /// Records the field `path` of schema `schema` and walks into it.
    fn field(&mut self, schema: &'v Value, path: String, required: bool) {
        let (schema, refs) = self.unwrap(schema);
        let ty = type_of(schema);
        self.fields.insert(path.clone(), Field { ty, required });
        self.members(schema, &path, refs);
    }

    /// Walks the members of `schema` at `path`, unless one of `refs` (what led to it) is
    /// already being walked.
    fn members(&mut self, schema: &'v Value, path: &str, refs: Vec<&'v str>) {
        if refs.iter().any(|r| self.visiting.contains(r)) {
            return;
        }
        let depth = self.visiting.len();
        self.visiting.extend(refs);
        let required: Vec<&str> = schema["required"]
            .as_sequence()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        for (name, property) in schema["properties"].as_mapping().into_iter().flatten() {
            let name = name.as_str().unwrap_or_default();
            let path = format!("{path}.{name}");
            self.field(property, path, required.contains(&name));
        }
        if let extra @ Value::Mapping(_) = &schema["additionalProperties"] {
            self.field(extra, format!("{path}.*"), false);
        }
        if let items @ Value::Mapping(_) = &schema["items"] {
            self.field(items, format!("{path}[]"), false);
        }
        for branch in schema["allOf"].as_sequence().into_iter().flatten() {
            let (branch, refs) = self.unwrap(branch);
            self.members(branch, path, refs);
        }
        self.visiting.truncate(depth);
    }

    /// What `schema` stands for: its `$ref`s followed and, of an `anyOf`/`oneOf` of one schema
    /// and null, that schema; with the `$ref`s followed.
    fn unwrap(&self, schema: &'v Value) -> (&'v Value, Vec<&'v str>) {
        let mut current = schema;
        let mut refs = Vec::new();
        for _ in 0..32 {
            if let Some(reference) = current["$ref"].as_str() {
                match (self.resolve)(reference) {
                    Some(next) if !refs.contains(&reference) => {
                        refs.push(reference);
                        current = next;
                        continue;
                    }
                    _ => break,
                }
            }
            let branches = current["anyOf"]
                .as_sequence()
                .or(current["oneOf"].as_sequence());
            let mut not_null = branches.into_iter().flatten().filter(|b| !is_null(b));
            match (not_null.next(), not_null.next()) {
                (Some(only), None) => current = only,
                _ => break,
            }
        }
        (current, refs)
    }
}

/// Whether `schema` admits null only (`type: 'null'`, or the `enum: [null]` of our envelopes).
fn is_null(schema: &Value) -> bool {
    schema["type"].as_str() == Some("null")
        || schema["enum"]
            .as_sequence()
            .is_some_and(|values| !values.is_empty() && values.iter().all(Value::is_null))
}

/// The type of `schema` as the generated code sees it (see the module's documentation).
fn type_of(schema: &Value) -> String {
    let format = schema["format"].as_str();
    let ty = match schema["type"].as_str() {
        Some(ty) => ty,
        None if schema.get("$ref").is_some() => "unresolved $ref",
        None if schema.get("properties").is_some() || schema.get("allOf").is_some() => "object",
        None if schema.get("items").is_some() => "array",
        None if schema.get("anyOf").is_some() || schema.get("oneOf").is_some() => "one of several",
        None => "any",
    };
    let described = ["properties", "additionalProperties", "allOf"]
        .iter()
        .any(|key| {
            schema[*key].as_mapping().is_some_and(|m| !m.is_empty()) || schema[*key].is_sequence()
        });
    match (ty, format) {
        ("integer", None | Some("int64" | "long")) => "integer".into(),
        ("integer" | "number", Some(format)) => format!("{ty} ({format})"),
        // A map in the generated code: its fields are not described.
        ("object", _) if !described => "object (no properties)".into(),
        _ => ty.into(),
    }
}

/// The differences between two sets of fields; nothing below a field added, removed or retyped.
fn diff_fields(theirs: &BTreeMap<String, Field>, ours: &BTreeMap<String, Field>) -> Vec<Found> {
    let paths: BTreeSet<&String> = theirs.keys().chain(ours.keys()).collect();
    let mut covered: BTreeSet<&str> = BTreeSet::new();
    let mut found = Vec::new();
    for path in paths {
        if ancestors(path).any(|a| covered.contains(a)) {
            continue;
        }
        let field = Some(path.clone());
        match (theirs.get(path), ours.get(path)) {
            (Some(t), None) => {
                found.push(Found::new(Kind::FieldAdded, field, t.describe()));
                covered.insert(path);
            }
            (None, Some(o)) => {
                found.push(Found::new(Kind::FieldRemoved, field, o.describe()));
                covered.insert(path);
            }
            (Some(t), Some(o)) => {
                if t.ty != o.ty {
                    let detail = format!("upstream {}, ours {}", t.ty, o.ty);
                    found.push(Found::new(Kind::FieldRetyped, field.clone(), detail));
                    covered.insert(path);
                }
                if t.required != o.required {
                    let detail = format!(
                        "upstream {}, ours {}",
                        required_or_optional(t.required),
                        required_or_optional(o.required)
                    );
                    found.push(Found::new(Kind::FieldRequired, field, detail));
                }
            }
            (None, None) => {}
        }
    }
    found
}

/// The paths of the fields that `path` is in: `data.list[].price` → `data.list[]`,
/// `data.list`, `data`.
fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(Some(path), |p| {
        p.strip_suffix("[]")
            .or_else(|| p.rsplit_once('.').map(|(parent, _)| parent))
    })
    .skip(1)
}

fn required_or_optional(required: bool) -> &'static str {
    if required { "required" } else { "optional" }
}

/// A header parameter as compared: its spelling and required-ness.
#[derive(Debug)]
struct Header {
    name: String,
    required: bool,
}

/// The header parameters among `parameters` by lowercase name, `$ref`s followed.
fn headers<'v>(
    parameters: impl IntoIterator<Item = &'v Value>,
    resolve: &dyn Fn(&str) -> Option<&'v Value>,
) -> BTreeMap<String, Header> {
    parameters
        .into_iter()
        .map(|p| follow(p, resolve))
        .filter(|p| p["in"].as_str() == Some("header"))
        .filter_map(|p| {
            let name = p["name"].as_str()?.to_owned();
            let required = p["required"].as_bool() == Some(true);
            Some((name.to_ascii_lowercase(), Header { name, required }))
        })
        .collect()
}

/// The header differences of a matched operation.
fn compare_headers(upstream: &Upstream, theirs: &Theirs, ours: &Ours) -> Vec<Found> {
    let effect = ours.op["x-mm-effect"].as_str().unwrap_or_default();
    let imported = import::imported_headers(
        upstream.index,
        &theirs.method,
        theirs.upstream_path,
        theirs.op,
        effect,
        &upstream.document,
    );
    let their_headers = headers(&imported, &|_| None);
    let our_parameters = ours.op["parameters"].as_sequence().into_iter().flatten();
    let our_headers = headers(our_parameters, &|r| ours.spec.component(r));
    let mut found = Vec::new();
    for (key, t) in &their_headers {
        let header = Some(t.name.clone());
        let Some(o) = our_headers.get(key) else {
            let detail = format!("{} upstream", required_or_optional(t.required));
            found.push(Found::new(Kind::HeaderAdded, header, detail));
            continue;
        };
        if t.name != o.name {
            let detail = format!("upstream `{}`, ours `{}`", t.name, o.name);
            found.push(Found::new(Kind::HeaderSpelling, header.clone(), detail));
        }
        if t.required != o.required {
            let detail = format!(
                "upstream {}, ours {}",
                required_or_optional(t.required),
                required_or_optional(o.required)
            );
            found.push(Found::new(Kind::HeaderRequired, header, detail));
        }
    }
    for (key, o) in &our_headers {
        if !their_headers.contains_key(key) {
            let detail = format!("{} in ours", required_or_optional(o.required));
            found.push(Found::new(
                Kind::HeaderRemoved,
                Some(o.name.clone()),
                detail,
            ));
        }
    }
    found
}

/// What kind of difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    AddedOperation,
    RemovedOperation,
    FieldAdded,
    FieldRemoved,
    FieldRetyped,
    FieldRequired,
    HeaderAdded,
    HeaderRemoved,
    HeaderRequired,
    HeaderSpelling,
}

/// What a difference is about, besides its operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Subject {
    Operation,
    Field,
    Header,
}

impl Kind {
    const ALL: [Kind; 10] = [
        Kind::AddedOperation,
        Kind::RemovedOperation,
        Kind::FieldAdded,
        Kind::FieldRemoved,
        Kind::FieldRetyped,
        Kind::FieldRequired,
        Kind::HeaderAdded,
        Kind::HeaderRemoved,
        Kind::HeaderRequired,
        Kind::HeaderSpelling,
    ];

    fn name(self) -> &'static str {
        match self {
            Kind::AddedOperation => "added-operation",
            Kind::RemovedOperation => "removed-operation",
            Kind::FieldAdded => "field-added",
            Kind::FieldRemoved => "field-removed",
            Kind::FieldRetyped => "field-retyped",
            Kind::FieldRequired => "field-required",
            Kind::HeaderAdded => "header-added",
            Kind::HeaderRemoved => "header-removed",
            Kind::HeaderRequired => "header-required",
            Kind::HeaderSpelling => "header-spelling",
        }
    }

    fn subject(self) -> Subject {
        match self {
            Kind::AddedOperation | Kind::RemovedOperation => Subject::Operation,
            Kind::FieldAdded | Kind::FieldRemoved | Kind::FieldRetyped | Kind::FieldRequired => {
                Subject::Field
            }
            Kind::HeaderAdded
            | Kind::HeaderRemoved
            | Kind::HeaderRequired
            | Kind::HeaderSpelling => Subject::Header,
        }
    }
}

impl FromStr for Kind {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        Kind::ALL
            .into_iter()
            .find(|kind| kind.name() == text)
            .ok_or_else(|| {
                let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
                format!("`kind` is `{text}`, not one of {}", names.join(", "))
            })
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// An operation as reported: our `operationId` (when our specs have it), method and path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Operation {
    id: Option<String>,
    method: String,
    path: String,
}

impl Operation {
    fn new(id: Option<&str>, method: &str, path: &str) -> Self {
        Operation {
            id: id.map(str::to_owned),
            method: method.to_owned(),
            path: path.to_owned(),
        }
    }

    /// Whether an acknowledgement's `operation` (an `operationId` or `METHOD path`) names it.
    fn is_named(&self, name: &str) -> bool {
        self.id.as_deref() == Some(name)
            || name
                .split_once(' ')
                .is_some_and(|(method, path)| method == self.method && path == self.path)
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.id {
            Some(id) => write!(f, "{id} ({} {})", self.method, self.path),
            None => write!(f, "{} {}", self.method, self.path),
        }
    }
}

/// A difference found in one operation: its kind, the field or header, what each side has.
#[derive(Debug)]
struct Found {
    kind: Kind,
    subject: Option<String>,
    detail: String,
}

impl Found {
    fn new(kind: Kind, subject: Option<String>, detail: String) -> Self {
        Found {
            kind,
            subject,
            detail,
        }
    }

    fn of(self, operation: &Operation) -> Difference {
        Difference {
            operation: operation.clone(),
            kind: self.kind,
            subject: self.subject,
            detail: self.detail,
        }
    }
}

/// A difference between the export and our specs.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Difference {
    operation: Operation,
    kind: Kind,
    /// The field or header it is about.
    subject: Option<String>,
    /// What each side has.
    detail: String,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.subject {
            Some(subject) => write!(f, "{} {subject}: {}", self.kind, self.detail),
            None => write!(f, "{}: {}", self.kind, self.detail),
        }
    }
}

/// An entry of the acknowledgements file.
#[derive(Debug)]
struct Ack {
    /// Its position in the file, from 1.
    entry: usize,
    export: String,
    operation: String,
    kind: Kind,
    /// The fields or headers, for the kinds about them.
    subjects: Vec<String>,
}

/// The keys an entry may have.
const ACK_KEYS: [&str; 8] = [
    "export",
    "operation",
    "kind",
    "field",
    "fields",
    "header",
    "headers",
    "why",
];

impl Ack {
    /// The entries of the acknowledgements file `path` (see the module's documentation).
    fn read_all(path: &Path) -> Result<Vec<Ack>, String> {
        let value = read_ours(path)?;
        let entries = match &value {
            Value::Null => &Vec::new(),
            Value::Sequence(entries) => entries,
            _ => return Err(format!("{}: not a list of entries", path.display())),
        };
        let mut acks = Vec::new();
        let mut claimed: BTreeMap<(String, String, Kind, Option<String>), usize> = BTreeMap::new();
        for (index, value) in entries.iter().enumerate() {
            let ack = Ack::parse(index + 1, value)
                .map_err(|e| format!("{}: entry {}: {e}", path.display(), index + 1))?;
            for claim in ack.claims() {
                if let Some(first) = claimed.insert(claim, ack.entry) {
                    return Err(format!(
                        "{}: entry {} acknowledges again what entry {first} does",
                        path.display(),
                        ack.entry
                    ));
                }
            }
            acks.push(ack);
        }
        Ok(acks)
    }

    fn parse(entry: usize, value: &Value) -> Result<Ack, String> {
        let fields = value.as_mapping().ok_or("not a mapping")?;
        if let Some(key) = fields
            .keys()
            .find(|k| !k.as_str().is_some_and(|k| ACK_KEYS.contains(&k)))
        {
            return Err(format!(
                "unknown key {key:?} (known: {})",
                ACK_KEYS.join(", ")
            ));
        }
        let export = text(fields, "export")?;
        if !EXPORTS.iter().any(|e| e.file == export) {
            return Err(format!(
                "`export` is `{export}`, not one of the importer's exports ({})",
                export_files()
            ));
        }
        let kind: Kind = text(fields, "kind")?.parse()?;
        text(fields, "why")?;
        Ok(Ack {
            entry,
            export,
            operation: text(fields, "operation")?,
            kind,
            subjects: subjects(fields, kind)?,
        })
    }

    /// What it acknowledges, one difference each: its export, operation, kind and subject.
    fn claims(&self) -> Vec<(String, String, Kind, Option<String>)> {
        let claim = |subject: Option<&String>| {
            let subject = subject.map(|s| match self.kind.subject() {
                Subject::Header => s.to_ascii_lowercase(),
                _ => s.clone(),
            });
            (
                self.export.clone(),
                self.operation.clone(),
                self.kind,
                subject,
            )
        };
        if self.subjects.is_empty() {
            return vec![claim(None)];
        }
        self.subjects.iter().map(|s| claim(Some(s))).collect()
    }

    /// Whether it acknowledges `difference` (of its export): with which of its subjects.
    fn covers(&self, difference: &Difference) -> Option<Option<&str>> {
        if self.kind != difference.kind || !difference.operation.is_named(&self.operation) {
            return None;
        }
        let Some(subject) = &difference.subject else {
            return self.subjects.is_empty().then_some(None);
        };
        let same = |s: &&String| match self.kind.subject() {
            Subject::Header => s.eq_ignore_ascii_case(subject),
            _ => *s == subject,
        };
        self.subjects.iter().find(same).map(|s| Some(s.as_str()))
    }
}

/// The string `key` of an entry.
fn text(fields: &Mapping, key: &str) -> Result<String, String> {
    match fields.get(key) {
        None => Err(format!("`{key}` is missing")),
        Some(value) => string(value, key),
    }
}

fn string(value: &Value, key: &str) -> Result<String, String> {
    match value.as_str() {
        Some(text) if !text.trim().is_empty() => Ok(text.to_owned()),
        _ => Err(format!(
            "`{key}` has a value that is not a non-empty string"
        )),
    }
}

/// The fields or headers an entry of `kind` names: one (`field`, `header`) or a list
/// (`fields`, `headers`); none for the kinds about whole operations.
fn subjects(fields: &Mapping, kind: Kind) -> Result<Vec<String>, String> {
    let given: Vec<&str> = ["field", "fields", "header", "headers"]
        .into_iter()
        .filter(|key| fields.contains_key(*key))
        .collect();
    let (one, many) = match kind.subject() {
        Subject::Operation if given.is_empty() => return Ok(Vec::new()),
        Subject::Operation => return Err(format!("`{kind}` takes no `{}`", given[0])),
        Subject::Field => ("field", "fields"),
        Subject::Header => ("header", "headers"),
    };
    if given != [one] && given != [many] {
        return Err(format!(
            "`{kind}` takes one of `{one}` (one) or `{many}` (a list), not {}",
            if given.is_empty() {
                "none".to_owned()
            } else {
                format!("`{}`", given.join("`, `"))
            }
        ));
    }
    match (fields.get(one), fields.get(many)) {
        (Some(value), _) => Ok(vec![string(value, one)?]),
        (None, Some(Value::Sequence(list))) if !list.is_empty() => {
            list.iter().map(|value| string(value, many)).collect()
        }
        (None, _) => Err(format!("`{many}` is not a non-empty list")),
    }
}

/// An acknowledgement, or one of its fields or headers, that matches no difference.
#[derive(Debug)]
struct Stale<'a> {
    ack: &'a Ack,
    subject: Option<&'a str>,
}

/// The differences sorted into acknowledged and not, and the stale acknowledgements.
#[derive(Debug)]
struct Verdict<'a> {
    acknowledged: Vec<Difference>,
    unacknowledged: Vec<Difference>,
    stale: Vec<Stale<'a>>,
}

impl<'a> Verdict<'a> {
    fn new(export: &str, differences: Vec<Difference>, acks: &'a [Ack]) -> Self {
        let acks: Vec<&Ack> = acks.iter().filter(|a| a.export == export).collect();
        let mut used: BTreeSet<(usize, Option<&str>)> = BTreeSet::new();
        let (acknowledged, unacknowledged) = differences.into_iter().partition(|difference| {
            let before = used.len();
            for ack in &acks {
                if let Some(subject) = ack.covers(difference) {
                    used.insert((ack.entry, subject));
                }
            }
            used.len() > before
        });
        let mut stale = Vec::new();
        for ack in acks {
            let subjects: Vec<Option<&str>> = if ack.subjects.is_empty() {
                vec![None]
            } else {
                ack.subjects.iter().map(|s| Some(s.as_str())).collect()
            };
            for subject in subjects {
                if !used.contains(&(ack.entry, subject)) {
                    stale.push(Stale { ack, subject });
                }
            }
        }
        Verdict {
            acknowledged,
            unacknowledged,
            stale,
        }
    }

    /// What is printed: the differences not acknowledged (all with `--all`) per operation, the
    /// stale acknowledgements, and the count of each kind.
    fn report(&self, upstream: &Upstream, options: &Options) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} ({} export) against the specs of {}, acknowledgements in {}",
            options.export.display(),
            EXPORTS[upstream.index].name,
            options.specs.display(),
            options.ack.display()
        );
        if options.all {
            write_group(&mut out, "Acknowledged", &self.acknowledged);
        }
        write_group(&mut out, "Not acknowledged", &self.unacknowledged);
        if !self.stale.is_empty() {
            out.push_str("\nStale acknowledgements (they match no difference: remove them):\n");
            for Stale { ack, subject } in &self.stale {
                let subject = subject.map(|s| format!(" {s}")).unwrap_or_default();
                let _ = writeln!(
                    out,
                    "  entry {}: {} {}{subject}",
                    ack.entry, ack.operation, ack.kind
                );
            }
        }
        let _ = writeln!(
            out,
            "\n{:<18} {:>12} {:>16}",
            "kind", "acknowledged", "not acknowledged"
        );
        for kind in Kind::ALL {
            let count = |list: &[Difference]| list.iter().filter(|d| d.kind == kind).count();
            let _ = writeln!(
                out,
                "{kind:<18} {:>12} {:>16}",
                count(&self.acknowledged),
                count(&self.unacknowledged)
            );
        }
        out
    }

    /// Success when every difference is acknowledged and every acknowledgement is used.
    fn outcome(&self, ack: &Path) -> Result<(), String> {
        if self.unacknowledged.is_empty() && self.stale.is_empty() {
            return Ok(());
        }
        Err(format!(
            "{} differences not acknowledged and {} stale acknowledgements in {}: change the \
             specs, or acknowledge each difference with why",
            self.unacknowledged.len(),
            self.stale.len(),
            ack.display()
        ))
    }
}

/// Writes `differences` under `title`, one line each, grouped per operation.
fn write_group(out: &mut String, title: &str, differences: &[Difference]) {
    if differences.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{title}:");
    let mut current = None;
    for difference in differences {
        if current != Some(&difference.operation) {
            let _ = writeln!(out, "  {}", difference.operation);
            current = Some(&difference.operation);
        }
        let _ = writeln!(out, "    {difference}");
    }
}

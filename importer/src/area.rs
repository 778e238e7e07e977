//! One area spec: the imported operations of some of upstream's tags, with their components and
//! examples, written as the conventions of `openapi/README.md` say.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use heck::{ToPascalCase, ToSnakeCase};
use serde_yaml_ng::{Mapping, Value};

use crate::Error;
use crate::counts::Counts;
use crate::credential::{credential, open_api_routes, spelled};
use crate::effect::effect;
use crate::export::{Document, Export};
use crate::ids::last_name;
use crate::import::Candidate;
use crate::not_money::NotMoney;
use crate::paging::{self, Found};
use crate::schemas::Schemas;
use crate::titles;
use crate::union::Components;
use crate::value::{map, s};
use crate::widen::{self, Widening};
use crate::{envelope, examples, headers};

/// What an area spec's file starts with.
const HEADER: &str = "# Written by `cargo xtask import` from upstream's exports (see openapi/README.md).\n\
     # Do not edit by hand: change the importer and run it again. An operation that needs\n\
     # care moves to a hand-kept spec, and the import then skips it.\n";

/// One area spec made by the import, with its example files.
#[derive(Debug, Clone)]
pub struct Area {
    /// Its name: the spec is `openapi/<name>.yaml`.
    pub name: String,
    /// Its API (`x-mm-api`).
    pub api: &'static str,
    /// The spec.
    pub spec: Value,
    /// How many operations it has.
    pub operations: usize,
    /// The upstream tags of its operations, each once, in the order of the operations.
    pub upstream_tags: Vec<String>,
    /// Its example files, all under `examples/<name>/`.
    pub examples: Vec<ExampleFile>,
    /// How many of its response examples are upstream's.
    pub from_upstream: usize,
    /// How many of its response examples are written from the schema.
    pub from_schema: usize,
    /// Its operations whose request has page fields, in their order, and what was made of
    /// each.
    pub page_fields: Vec<PageFields>,
}

/// What the import made of an operation whose request has page fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageFields {
    /// It pages: its `operationId` and its `x-mm-paging` in one line.
    Paged {
        /// Its `operationId`.
        id: String,
        /// Its `x-mm-paging`, in one line.
        paging: String,
    },
    /// It has no `x-mm-paging`: its `operationId` and why.
    Unpaged {
        /// Its `operationId`.
        id: String,
        /// Why its answer cannot be paged through.
        why: String,
    },
}

impl Area {
    /// The spec's file, relative to `openapi/`.
    pub fn file(&self) -> String {
        format!("{}.yaml", self.name)
    }

    /// The folder of its examples, relative to `openapi/`.
    pub fn examples_dir(&self) -> String {
        format!("examples/{}", self.name)
    }

    /// The spec's file as written: a header saying where it comes from, then the YAML.
    pub fn text(&self) -> Result<String, Error> {
        let yaml = serde_yaml_ng::to_string(&self.spec)
            .map_err(|e| Error::new(format!("{}: {e}", self.file())))?;
        Ok(HEADER.to_owned() + &yaml)
    }
}

/// An example file: its path relative to `openapi/`, and what it holds.
#[derive(Debug, Clone)]
pub struct ExampleFile {
    /// `examples/<area>/<operationId>.request.json` and the like.
    pub path: String,
    /// What it holds.
    pub contents: Contents,
}

/// What an example file holds.
#[derive(Debug, Clone)]
pub enum Contents {
    /// A value, written as pretty JSON and a line break.
    Value(Value),
    /// Text written as it is: upstream's own, not one byte changed.
    Verbatim(String),
}

impl ExampleFile {
    /// The file's text.
    pub fn text(&self) -> Result<String, Error> {
        match &self.contents {
            Contents::Value(value) => examples::json_text(&self.path, value),
            Contents::Verbatim(text) => Ok(text.clone()),
        }
    }
}

/// The spec of `area`, made of `ops` (of one API, in their order; of one export or of several,
/// whose components are read as one namespace: [`Components`]). `taken` holds the component
/// names the API's other specs use: a component of the same name here is named after the group
/// of the area's operations too (`IndexFieldOrderDto`), since every type of an API shares one
/// namespace; the area's own names are added to it. Its money fields are decimals, but for the
/// exceptions `not_money` lists ([`crate::money`]).
pub(crate) fn area(
    area: &str,
    ops: &[&Candidate],
    taken: &mut BTreeSet<String>,
    not_money: &[NotMoney],
    counts: &mut Counts,
) -> Result<Area, Error> {
    let Some(first) = ops.first() else {
        return Err(Error::new(format!("area `{area}`: no operations")));
    };
    let api = first.operation.export().api;
    if let Some(other) = ops.iter().find(|c| c.operation.export().api != api) {
        return Err(Error::new(format!(
            "area `{area}`: `{} {}` of the {} export and `{} {}` of the {} export: an area \
             holds the operations of one API (change the importer's TAGS)",
            first.operation.method,
            first.operation.upstream_path,
            first.operation.export().name,
            other.operation.method,
            other.operation.upstream_path,
            other.operation.export().name
        )));
    }
    let mut documents: Vec<&Document> = Vec::new();
    for c in ops {
        if !documents
            .iter()
            .any(|d| std::ptr::eq(*d, c.operation.document))
        {
            documents.push(c.operation.document);
        }
    }
    let exports: Vec<&Export> = documents.iter().map(|d| d.export()).collect();
    let union = Components::of(&documents);
    let mut schemas = Schemas::new(&union.schemas, taken.clone(), first.group.to_pascal_case());
    // Reserve our per-operation names first so that upstream's never take them.
    for op in ops {
        let pascal = op.id.to_pascal_case();
        for suffix in ["Request", "Response"] {
            schemas.out.insert(format!("{pascal}{suffix}"), Value::Null);
        }
    }

    let mut paths = Mapping::new();
    let mut tags: Vec<(String, String)> = Vec::new();
    let mut files = Vec::new();
    let mut from_upstream = 0;
    let mut from_schema = 0;
    let mut page_fields = Vec::new();
    for c in ops {
        if !tags.iter().any(|(t, _)| t == c.tag) {
            tags.push((c.tag.to_owned(), c.upstream_tag.clone()));
        }
        schemas.reading(union.renames_of(c.operation.document));
        let written = operation(area, c, &mut schemas, not_money, counts)?;
        files.extend(written.files);
        from_upstream += written.from_upstream;
        from_schema += written.from_schema;
        page_fields.extend(written.page_fields);
        let mut item = Mapping::new();
        item.insert(
            s(c.operation.method.to_ascii_lowercase()),
            written.operation,
        );
        paths.insert(s(c.operation.path.clone()), Value::Mapping(item));
    }
    // Keep only the components something refers to.
    let used = reachable(&paths, &schemas.out);
    let mut components = Mapping::new();
    for (name, schema) in &schemas.out {
        if used.contains(name) && !schema.is_null() {
            components.insert(s(name.clone()), schema.clone());
        }
    }
    taken.extend(
        components
            .keys()
            .filter_map(|name| name.as_str().map(str::to_owned)),
    );
    let spec = root(area, api, &exports, ops.len(), &tags, paths, components);
    let mut upstream_tags: Vec<String> = Vec::new();
    for c in ops {
        if !upstream_tags.contains(&c.upstream_tag) {
            upstream_tags.push(c.upstream_tag.clone());
        }
    }
    Ok(Area {
        name: area.to_owned(),
        api,
        spec,
        operations: ops.len(),
        upstream_tags,
        examples: files,
        from_upstream,
        from_schema,
        page_fields,
    })
}

/// One operation as written: its operation object and its example files.
struct Written {
    operation: Value,
    files: Vec<ExampleFile>,
    /// How many of its response examples are upstream's, and how many written from the schema.
    from_upstream: usize,
    from_schema: usize,
    /// What was made of its page fields, if its request has some.
    page_fields: Option<PageFields>,
}

/// The `data` schema of `op`'s answer as the import writes it: its envelope converted, then
/// widened to accept upstream's own answers (what `upstream-diff` compares with ours). The
/// components it needs are in `schemas`.
pub(crate) fn answer_data(op: &crate::export::Operation, schemas: &mut Schemas) -> Value {
    let mut counts = Counts::default();
    let mut notes = Vec::new();
    let name = "UpstreamDiffAnswer";
    let envelope = envelope::response(op, "upstream_diff", name, schemas, &mut notes, &mut counts);
    schemas.drain(&mut counts);
    let component = format!("{name}Response");
    schemas.out.insert(component.clone(), envelope);
    let answers = examples::upstream_answers(op.response_media(), &mut counts);
    widen_by(&answers, schemas, &component, &mut counts);
    let envelope = schemas.out.remove(&component).unwrap_or_default();
    envelope["properties"]["data"].clone()
}

/// Widens envelope component `envelope` of `schemas` to accept each of upstream's `answers`
/// that succeeded: what each changed, in their order.
fn widen_by(
    answers: &[examples::Verbatim],
    schemas: &mut Schemas,
    envelope: &str,
    counts: &mut Counts,
) -> Vec<Widening> {
    answers
        .iter()
        .map(|answer| {
            // A failure's `data` (often the failing service's name) is not read as the
            // operation's data.
            if !answer.success {
                return Widening::default();
            }
            let data = if answer.bare {
                &answer.value
            } else {
                &answer.value["data"]
            };
            let widening = widen::widen(schemas, envelope, data);
            for _ in &widening.widened {
                counts.add("a schema widened to accept upstream's answer (`widened`)");
            }
            if !widening.unaccepted.is_empty() {
                counts.add(
                    "upstream's answer the types do not accept yet (`unaccepted`): a person decides",
                );
            }
            widening
        })
        .collect()
}

/// Operation `c` of area `area`: its headers, request body and envelope (into `schemas`, their
/// money fields marked, with the exceptions of `not_money`), its examples, and what its
/// description says.
fn operation(
    area: &str,
    c: &Candidate,
    schemas: &mut Schemas,
    not_money: &[NotMoney],
    counts: &mut Counts,
) -> Result<Written, Error> {
    let op = &c.operation;
    let api = op.export().api;
    let pascal = c.id.to_pascal_case();
    let effect = effect(op.upstream_path);
    let mut notes: Vec<String> = Vec::new();
    let upstream_headers = headers::request_headers(op, effect, counts);
    let credential = credential(api, op.upstream_path, &headers::names(&upstream_headers));
    let parameters = headers::parameters(api, op.upstream_path, &upstream_headers, counts);

    let request_ref = request_body(c, &pascal, schemas, counts)?;
    schemas.drain(counts);
    let response_name = format!("{pascal}Response");
    let response_schema = envelope::response(op, &c.id, &pascal, schemas, &mut notes, counts);
    schemas
        .out
        .insert(response_name.clone(), response_schema.clone());
    // Before the examples, which must fit the decimals.
    schemas.mark_money(area, not_money, counts);
    // Upstream's answers widen the schema where they disagree with it, before the examples
    // are fitted to it.
    let answers = examples::upstream_answers(op.response_media(), counts);
    let widenings = widen_by(&answers, schemas, &response_name, counts);
    let response_schema = schemas
        .out
        .get(&response_name)
        .cloned()
        .unwrap_or(response_schema);

    // Examples: none for a request upstream declares no body for (nothing is sent).
    let mut files = Vec::new();
    let (request_schema, body_object) = match &request_ref {
        None => (
            map(vec![("type", s("object")), ("properties", map(vec![]))]),
            None,
        ),
        Some(request_ref) => {
            let name = request_ref.trim_start_matches("#/components/schemas/");
            let request_schema = schemas.out.get(name).cloned().ok_or_else(|| {
                Error::new(format!(
                    "{}: `{} {}`: no request schema `{name}`",
                    op.export().file,
                    op.method,
                    op.upstream_path
                ))
            })?;
            let (request_example, request_from_upstream) = examples::request_example(
                op.request_media(),
                &request_schema,
                schemas,
                &mut notes,
                counts,
            );
            let request_file = format!("examples/{area}/{}.request.json", c.id);
            files.push(ExampleFile {
                path: request_file.clone(),
                contents: Contents::Value(request_example),
            });
            let body = request_body_object(request_ref, request_file, request_from_upstream);
            (request_schema, Some(body))
        }
    };
    let mut returns_nothing = false;
    let responses = examples::response_examples(
        op.response_media(),
        &response_schema,
        schemas,
        &mut notes,
        counts,
        &mut returns_nothing,
    );
    let responses = ResponseExamples::of(area, &c.id, responses);
    files.extend(responses.files);
    let evidence = Evidence::of(area, &c.id, answers, widenings);
    files.extend(evidence.files);
    let found = paging::find(
        &request_schema,
        &response_schema,
        returns_nothing,
        schemas,
        counts,
    );

    let mut operation = vec![
        ("tags", Value::Sequence(vec![s(c.tag)])),
        ("operationId", s(c.id.clone())),
        ("x-mm-group", s(c.group.clone())),
        ("x-mm-credential", credential.clone()),
        ("x-mm-effect", s(effect)),
    ];
    let page_fields = match found {
        Found::NotPaged => None,
        Found::Paged(paging) => {
            operation.push(("x-mm-paging", paging.value()));
            Some(PageFields::Paged {
                id: c.id.clone(),
                paging: paging.text(),
            })
        }
        Found::Unpaged(why) => Some(PageFields::Unpaged {
            id: c.id.clone(),
            why,
        }),
    };
    let unpaged = match &page_fields {
        Some(PageFields::Unpaged { why, .. }) => Some(why.as_str()),
        _ => None,
    };
    operation.extend([
        ("summary", s(format!("{}.", summary(c)))),
        (
            "x-mm-source",
            s(source(c, (&spelled(&credential), effect), unpaged, &notes)),
        ),
    ]);
    if returns_nothing {
        operation.push(("x-mm-returns", s("nothing")));
    }
    if op.deprecated() {
        counts.add("operation marked deprecated upstream → `deprecated: true`");
        operation.push(("deprecated", Value::Bool(true)));
    }
    if !parameters.is_empty() {
        operation.push(("parameters", Value::Sequence(parameters)));
    }
    if let Some(body_object) = body_object {
        operation.push(("requestBody", body_object));
    }
    operation.push((
        "responses",
        responses_object(&response_name, responses.examples),
    ));
    if !evidence.entries.is_empty() {
        operation.push(("x-mm-upstream-examples", Value::Sequence(evidence.entries)));
    }
    Ok(Written {
        operation: map(operation),
        files,
        from_upstream: responses.from_upstream,
        from_schema: responses.from_schema,
        page_fields,
    })
}

/// The response examples of an operation as written: their entries in the spec and their
/// files.
struct ResponseExamples {
    /// Name → summary and file, as the spec's `examples` has them.
    examples: Mapping,
    files: Vec<ExampleFile>,
    /// How many are upstream's, and how many written from the schema.
    from_upstream: usize,
    from_schema: usize,
}

impl ResponseExamples {
    /// The examples `responses` (each with a name and whether it is upstream's) of operation
    /// `id` of area `area`: the first in `<id>.response.json`, the others numbered.
    fn of(area: &str, id: &str, responses: Vec<(String, Value, bool)>) -> Self {
        let mut written = ResponseExamples {
            examples: Mapping::new(),
            files: Vec::new(),
            from_upstream: 0,
            from_schema: 0,
        };
        for (index, (name, value, upstream)) in responses.into_iter().enumerate() {
            let file = if index == 0 {
                format!("examples/{area}/{id}.response.json")
            } else {
                format!("examples/{area}/{id}.response.{index}.json")
            };
            if upstream {
                written.from_upstream += 1;
            } else {
                written.from_schema += 1;
            }
            written.examples.insert(
                s(name),
                map(vec![
                    (
                        "summary",
                        s(if upstream {
                            "From upstream's export"
                        } else {
                            "Written from the schema"
                        }),
                    ),
                    ("externalValue", s(file.clone())),
                ]),
            );
            written.files.push(ExampleFile {
                path: file,
                contents: Contents::Value(value),
            });
        }
        written
    }
}

/// Upstream's answers to an operation, kept as written (`x-mm-upstream-examples`): their
/// entries in the spec and their files, under `examples/<area>/upstream/`.
pub(crate) struct Evidence {
    pub(crate) entries: Vec<Value>,
    pub(crate) files: Vec<ExampleFile>,
}

impl Evidence {
    /// The answers `answers` of operation `id` of area `area`: `<id>.response.<n>.json`, or,
    /// where upstream's text is not JSON, that text in `<id>.response.<n>.txt` and its
    /// repaired copy in the `.json`.
    pub(crate) fn of(
        area: &str,
        id: &str,
        answers: Vec<examples::Verbatim>,
        widenings: Vec<Widening>,
    ) -> Self {
        let mut evidence = Evidence {
            entries: Vec::new(),
            files: Vec::new(),
        };
        for (index, (answer, widening)) in answers.into_iter().zip(widenings).enumerate() {
            let stem = format!("examples/{area}/upstream/{id}.response.{}", index + 1);
            let json = format!("{stem}.json");
            let mut entry = vec![
                ("file", s(json.clone())),
                (
                    "answer",
                    s(if answer.success { "success" } else { "failure" }),
                ),
            ];
            if answer.bare {
                entry.push(("shows", s("data")));
            }
            let list = |items: Vec<String>| Value::Sequence(items.into_iter().map(s).collect());
            if !widening.widened.is_empty() {
                entry.push(("widened", list(widening.widened)));
            }
            if !widening.unaccepted.is_empty() {
                entry.push(("unaccepted", list(widening.unaccepted)));
            }
            match answer.repaired {
                None => evidence.files.push(ExampleFile {
                    path: json,
                    contents: Contents::Verbatim(answer.text),
                }),
                Some(what) => {
                    let text = format!("{stem}.txt");
                    entry.push(("as-written", s(text.clone())));
                    entry.push(("repaired", s(what.join(", "))));
                    evidence.files.push(ExampleFile {
                        path: text,
                        contents: Contents::Verbatim(answer.text),
                    });
                    evidence.files.push(ExampleFile {
                        path: json,
                        contents: Contents::Value(answer.value),
                    });
                }
            }
            evidence.entries.push(map(entry));
        }
        evidence
    }
}

/// The request body's schema of `c` (into `schemas`): upstream's component, or upstream's
/// schema in place named `<Op>Request`. Returns the `$ref` to it, or `None` where upstream
/// declares no body: the operation then has none, and the SDK sends none.
fn request_body(
    c: &Candidate,
    pascal: &str,
    schemas: &mut Schemas,
    counts: &mut Counts,
) -> Result<Option<String>, Error> {
    let request_name = format!("{pascal}Request");
    match c.operation.request_media().get("schema") {
        Some(schema) if schema.get("$ref").is_some() => {
            schemas.out.remove(&request_name);
            let converted = schemas.convert(schema, counts);
            match converted["$ref"].as_str() {
                Some(reference) => Ok(Some(reference.to_owned())),
                None => Err(Error::new(format!(
                    "{}: `{} {}`: the request body's `$ref` is not a string",
                    c.operation.export().file,
                    c.operation.method,
                    c.operation.upstream_path
                ))),
            }
        }
        Some(schema @ Value::Mapping(_)) => {
            let converted = schemas.convert(schema, counts);
            schemas.out.insert(request_name.clone(), converted);
            Ok(Some(format!("#/components/schemas/{request_name}")))
        }
        _ => {
            counts.add("no request body upstream → none sent");
            Ok(None)
        }
    }
}

/// The provenance of operation `c` (`x-mm-source`, for the reviewer; the codegen does not
/// render it): where it comes from, how its path, credential and effect were chosen, why it
/// has no `x-mm-paging` though its request has page fields (`unpaged`), and what was done to
/// its examples (`notes`).
fn source(
    c: &Candidate,
    (credential, effect): (&str, &str),
    unpaged: Option<&str>,
    notes: &[String],
) -> String {
    let op = &c.operation;
    let mut description = format!(
        "Imported from upstream's {} export (`{} {}`, tag `{}`",
        op.export().name,
        op.method,
        op.upstream_path,
        c.upstream_tag
    );
    if let Some(title) = &c.english_title {
        let _ = write!(description, ", titled \"{title}\"");
    }
    description.push_str(").");
    if op.path != format!("/api{}", op.upstream_path)
        && op.path != format!("/openapi-b{}", op.upstream_path)
        && op.path != op.upstream_path
    {
        let _ = write!(description, " Path as our specs write it: `{}`.", op.path);
    }
    let _ = write!(
        description,
        " Credential `{credential}` and effect `{effect}` are derived from its headers and \
         its name (see openapi/README.md, \"Imported from upstream's exports\")."
    );
    if let Some(why) = unpaged {
        let _ = write!(description, " Not paged (no `x-mm-paging`): {why}.");
    }
    if !notes.is_empty() {
        description.push_str("\n\nExamples: ");
        description.push_str(&notes.join("; "));
        description.push('.');
    }
    description
}

/// The summary of `c`, without its full stop: our title where we wrote one
/// ([`titles`]), else the words of its bizType's method.
pub(crate) fn summary(c: &Candidate) -> String {
    titles::title(&c.operation.path).map_or_else(
        || words(last_name(c.operation.upstream_path)),
        str::to_owned,
    )
}

/// `camelCaseName` → "Camel case name".
pub(crate) fn words(name: &str) -> String {
    let snake = name.to_snake_case().replace('_', " ");
    let mut chars = snake.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

/// The `requestBody` of an operation: its schema and its one example.
fn request_body_object(request_ref: &str, request_file: String, from_upstream: bool) -> Value {
    let request_summary = if from_upstream {
        "From upstream's export"
    } else {
        "Written from the schema"
    };
    map(vec![
        ("required", Value::Bool(true)),
        (
            "content",
            map(vec![(
                "application/json",
                map(vec![
                    ("schema", map(vec![("$ref", s(request_ref))])),
                    (
                        "examples",
                        map(vec![(
                            if from_upstream {
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
    ])
}

/// The `responses` of an operation: the envelope `response_name` and its examples.
fn responses_object(response_name: &str, examples: Mapping) -> Value {
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
                        ("examples", Value::Mapping(examples)),
                    ]),
                )]),
            ),
        ]),
    )])
}

/// The names of the components `paths` refer to, directly or through other components.
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

/// The spec of `area` around its `paths` and `components`: what it is, which exports its
/// operations come from, its servers and the headers the SDK fills, its tags (`tags`: ours and
/// upstream's).
fn root(
    area: &str,
    api: &str,
    exports: &[&Export],
    operations: usize,
    tags: &[(String, String)],
    paths: Mapping,
    components: Mapping,
) -> Value {
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
    let from: Vec<String> = exports
        .iter()
        .map(|export| format!("{} export (`{}`)", export.name, export.file))
        .collect();
    let from = match from.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => from.concat(),
    };
    let description = format!(
        "Area `{area}` of the {title}: {operations} operations imported by `cargo xtask import` \
         from upstream's {from}, grouped by upstream's tags. The \
         conventions, the envelope and the headers are those of `openapi/README.md`; the \
         hand-kept specs describe the API itself (gateway, signing, error codes)."
    );
    let mut headers = Mapping::new();
    for (name, source) in headers::header_sources(api, area) {
        headers.insert(s(name), s(source));
    }
    let mut root = vec![
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
    ];
    if api == "client" {
        root.push(("x-mm-open-api", open_api_routes()));
    }
    root.extend([
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
    map(root)
}

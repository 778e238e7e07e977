//! What the generated code says of each operation, read from a spec and its `x-mm-*`
//! extensions, and checked.
//!
//! The extensions (documented in `openapi/README.md`):
//!
//! - at the root, `x-mm-api` (`client`, `manager` or `auth2`: the base URL and the handle the
//!   operations hang on), `x-mm-headers` (which header, by name, the SDK fills from what), and,
//!   in the one spec of each API that declares them, `x-mm-groups` (the API's groups) and
//!   `x-mm-group-features` (a cargo feature per group);
//! - on each operation, `x-mm-group`, `x-mm-credential` and `x-mm-effect` (required),
//!   `x-mm-returns` and `x-mm-paging` (optional; checked against the request and the answer
//!   by the `paging` module).

use std::collections::BTreeMap;

use openapiv3::{
    OpenAPI, ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind, StringType, Type,
};
use serde_json::Value;

pub use mm_sdk_facts::{Api, Credential, Effect, Encoding, EnvelopeKind};

pub use crate::paging::{Count, DataPath, Paging};

use crate::envelope;
use crate::error::Problem;
use crate::names::{pascal_case, snake_case};

/// Where a header's or query parameter's value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Filled by the SDK, as `x-mm-headers` or `x-mm-query` says.
    Filled(mm_sdk_facts::Source),
    /// The request itself (a query parameter whose content is the request's JSON).
    Request,
    /// A header whose schema allows exactly one value.
    Fixed(String),
    /// An argument of the call, at this index among the header arguments.
    Argument(usize),
}

/// The secret type a call passes, for the credentials given per call.
pub fn per_call_type(credential: Credential) -> Option<&'static str> {
    credential.per_call_secret()
}

/// One header or query parameter of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    /// As the spec spells it.
    pub name: String,
    /// Where its value comes from: filled by the SDK (`x-mm-headers`, `x-mm-query`), fixed by
    /// the spec, the request itself (a query parameter with `content: application/json`), or
    /// an argument of the call.
    pub source: Source,
    /// Whether the spec requires it.
    pub required: bool,
    /// The argument's name, for a parameter the call passes.
    pub argument: String,
    /// The spec's description.
    pub description: Option<String>,
    /// The spec's example value, if it gives one as a string.
    pub example: Option<String>,
}

/// The request body of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    /// The Rust type, relative to the generated crate root (`types::LoginRequest`).
    pub rust_type: String,
    /// True for an object schema without properties: the call then takes no body and sends
    /// `{}`.
    pub empty: bool,
    /// The component the call takes (a traced request's `data`), wherever the request travels:
    /// the body, or the query parameter that carries it; none for an operation without one.
    pub schema: Option<String>,
}

/// One operation, with everything the generated code says of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// The `operationId`.
    pub id: String,
    /// Its one tag.
    pub tag: String,
    /// The HTTP method, upper case.
    pub method: String,
    /// The path from the host root.
    pub path: String,
    /// The spec's summary.
    pub summary: Option<String>,
    /// The spec's description.
    pub description: Option<String>,
    /// Whether the spec marks it deprecated.
    pub deprecated: bool,
    /// The group of its API it belongs to (`x-mm-group`): its module and handle.
    pub group: String,
    /// The docs page it comes from (`externalDocs`): description and URL.
    pub docs_page: Option<(String, String)>,
    /// Its headers, in the spec's order.
    pub headers: Vec<Parameter>,
    /// Its query parameters, in the spec's order.
    pub query: Vec<Parameter>,
    /// How the request is written.
    pub encoding: Encoding,
    /// The envelope of its answer.
    pub envelope: EnvelopeKind,
    /// What authenticates it.
    pub credential: Credential,
    /// Read or write.
    pub effect: Effect,
    /// Whether a success carries no data (`x-mm-returns: nothing`).
    pub returns_nothing: bool,
    /// How it pages, if it does.
    pub paging: Option<Paging>,
    /// Its request body.
    pub body: Body,
    /// Upstream's validation rules on its request.
    pub rules: Vec<crate::rules::Rule>,
    /// The Rust type of the response's `data`, relative to the crate root.
    pub data: String,
    /// Its Open API route, where an Open API key may authenticate it instead of the
    /// customer's login (`x-mm-credential: [client-login, open-api-signature]`).
    pub open_api: Option<OpenApiRoute>,
}

/// The Open API's route to an operation: its path and headers there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenApiRoute {
    /// The path from the host root.
    pub path: String,
    /// Its headers: the spec's `x-mm-open-api` ones, with the operation's fixed values.
    pub headers: Vec<Parameter>,
}

/// How a spec's Client operations are reached through the Open API (its root's
/// `x-mm-open-api`): the path prefix that becomes another, and the headers sent there.
#[derive(Debug, Clone, PartialEq, Eq)]
struct OpenApiRoutes {
    from: String,
    to: String,
    headers: Vec<Parameter>,
}

impl Operation {
    /// Whether each call carries an idempotency key (a header filled from
    /// `idempotency-key`), which makes a write safe to retry.
    pub fn is_idempotent(&self) -> bool {
        self.headers
            .iter()
            .any(|h| h.source == Source::Filled(mm_sdk_facts::Source::IdempotencyKey))
    }

    /// When the SDK sends it again, in a few words (the table of operations) and in a
    /// sentence (its method's docs).
    pub fn retries(&self) -> (&'static str, &'static str) {
        match self.effect {
            Effect::Read => ("yes (read)", Effect::Read.describe()),
            _ if self.is_idempotent() => (
                "yes (idempotency key)",
                "yes, on transient failures and timeouts, with the same idempotency key: the \
                 server answers a repeated key with the first attempt's result",
            ),
            _ => ("no (write)", Effect::Write.describe()),
        }
    }
}

/// A tag: a group of operations, one trait in the generated code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// As the spec names it.
    pub name: String,
    /// The spec's description.
    pub description: Option<String>,
}

/// A group of an API's operations (`x-mm-groups`): a module of the SDK and a handle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Its name, snake_case: the module and the handle's method (`trade`).
    pub name: String,
    /// What the group is, in a few words.
    pub title: String,
    /// Where upstream's docs have its operations: their menu and their API reference.
    pub menu: Vec<String>,
    /// What the group is for, in a sentence or two.
    pub description: String,
}

/// Everything generated from one spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    /// The spec's `info.title`.
    pub title: String,
    /// Which API.
    pub api: Api,
    /// The API's groups, where this spec declares them (`x-mm-groups`): one spec of each API
    /// does.
    pub groups: Vec<Group>,
    /// Whether each group of the API is a cargo feature of its own (`x-mm-group-features`),
    /// where this spec declares the groups.
    pub group_features: bool,
    /// The headers the SDK fills and from what (`x-mm-headers`), by lower-case name.
    pub filled: BTreeMap<String, mm_sdk_facts::Source>,
    /// The tags, in the spec's order, with at least one operation each.
    pub tags: Vec<Tag>,
    /// Every operation, in the spec's order.
    pub operations: Vec<Operation>,
}

/// Reads the model of `spec`; `Err` holds the JSON pointer of the first problem.
pub fn build(spec: &OpenAPI) -> Result<Model, (String, Problem)> {
    let api = spec
        .extensions
        .get("x-mm-api")
        .and_then(Value::as_str)
        .and_then(Api::from_name)
        .ok_or((
            "/x-mm-api".into(),
            Problem::Extension {
                name: "x-mm-api",
                expected: one_of(Api::ALL.iter().map(|x| x.as_str())).into(),
            },
        ))?;
    let filled = sources(spec, "x-mm-headers", true)?;
    let query_filled = sources(spec, "x-mm-query", false)?;
    let routes = open_api_routes(spec, &filled)?;
    let envelopes: BTreeMap<String, envelope::Envelope> = envelope::find(spec, "crate")?
        .into_iter()
        .map(|e| (e.schema.clone(), e))
        .collect();

    let mut operations = Vec::new();
    for (path, method, op) in spec.operations() {
        let pointer = format!("/paths/{}/{method}", crate::spec::escape(path));
        operations.push(
            operation(
                spec,
                (&filled, &query_filled),
                &envelopes,
                routes.as_ref(),
                path,
                method,
                op,
            )
            .map_err(|(at, problem)| (format!("{pointer}{at}"), problem))?,
        );
    }
    let tags = spec
        .tags
        .iter()
        .filter(|tag| operations.iter().any(|op| op.tag == tag.name))
        .map(|tag| Tag {
            name: tag.name.clone(),
            description: tag.description.clone(),
        })
        .collect::<Vec<_>>();
    if let Some(op) = operations
        .iter()
        .find(|op| !tags.iter().any(|tag| tag.name == op.tag))
    {
        return Err((
            format!("/paths/{}", crate::spec::escape(&op.path)),
            Problem::UndeclaredTag(op.tag.clone()),
        ));
    }
    let groups = groups(spec)?;
    let group_features = match spec.extensions.get("x-mm-group-features") {
        None => false,
        Some(Value::Bool(on)) if !groups.is_empty() => *on,
        Some(_) => {
            return Err((
                "/x-mm-group-features".into(),
                Problem::Extension {
                    name: "x-mm-group-features",
                    expected: "a boolean, beside `x-mm-groups`".into(),
                },
            ));
        }
    };
    Ok(Model {
        title: spec.info.title.clone(),
        api,
        groups,
        group_features,
        filled,
        tags,
        operations,
    })
}

/// The groups `x-mm-groups` declares, in its order: `{<name>: {title, menu, description}}`.
fn groups(spec: &OpenAPI) -> Result<Vec<Group>, (String, Problem)> {
    let Some(declared) = spec.extensions.get("x-mm-groups") else {
        return Ok(Vec::new());
    };
    let problem = |at: String| {
        (
            at,
            Problem::Extension {
                name: "x-mm-groups",
                expected: "a map from a snake_case group name to `{title, menu, description}` \
                           (`menu` a list of upstream's menu entries)"
                    .into(),
            },
        )
    };
    let map = declared
        .as_object()
        .filter(|map| !map.is_empty())
        .ok_or_else(|| problem("/x-mm-groups".into()))?;
    let mut groups = Vec::new();
    for (name, group) in map {
        let at = format!("/x-mm-groups/{}", crate::spec::escape(name));
        let text = |field: &str| {
            group
                .get(field)
                .and_then(Value::as_str)
                .map(|text| text.trim().to_owned())
                .filter(|text| !text.is_empty())
        };
        let menu = group.get("menu").and_then(Value::as_array).map(|entries| {
            entries
                .iter()
                .map(|entry| entry.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
        });
        match (text("title"), text("description"), menu) {
            (Some(title), Some(description), Some(Some(menu)))
                if crate::spec::is_snake_case(name)
                    && group.as_object().map(|g| g.len()) == Some(3) =>
            {
                groups.push(Group {
                    name: name.clone(),
                    title,
                    menu,
                    description,
                })
            }
            _ => return Err(problem(at)),
        }
    }
    Ok(groups)
}

/// `x-mm-headers` or `x-mm-query` (`extension`): parameter name (lower case) to source.
/// Only `x-mm-headers` is `required`.
fn sources(
    spec: &OpenAPI,
    extension: &'static str,
    required: bool,
) -> Result<BTreeMap<String, mm_sdk_facts::Source>, (String, Problem)> {
    let problem = |at: String| {
        (
            at,
            Problem::Extension {
                name: extension,
                expected: format!(
                    "a map from parameter name to {}",
                    one_of(mm_sdk_facts::Source::FILLED.map(|(name, _)| name))
                )
                .into(),
            },
        )
    };
    let map = match spec.extensions.get(extension) {
        Some(Value::Object(map)) => map,
        None if !required => return Ok(BTreeMap::new()),
        _ => return Err(problem(format!("/{extension}"))),
    };
    let mut sources = BTreeMap::new();
    for (name, source) in map {
        let source = source
            .as_str()
            .and_then(mm_sdk_facts::Source::from_name)
            .ok_or_else(|| problem(format!("/{extension}/{}", crate::spec::escape(name))))?;
        sources.insert(name.to_ascii_lowercase(), source);
    }
    Ok(sources)
}

/// "one of `a`, `b` or `c`": the spellings an extension may take, from the list that reads
/// them, so that the message never misses one.
fn one_of<'n>(names: impl IntoIterator<Item = &'n str>) -> String {
    let quoted: Vec<String> = names.into_iter().map(|name| format!("`{name}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("one of {} or {last}", rest.join(", ")),
        Some((only, _)) => only.clone(),
        None => String::new(),
    }
}

type Found<T> = Result<T, (String, Problem)>;

type Filled = BTreeMap<String, mm_sdk_facts::Source>;

fn operation(
    spec: &OpenAPI,
    (filled, query_filled): (&Filled, &Filled),
    envelopes: &BTreeMap<String, envelope::Envelope>,
    routes: Option<&OpenApiRoutes>,
    path: &str,
    method: &str,
    op: &openapiv3::Operation,
) -> Found<Operation> {
    let id = op.operation_id.clone().unwrap_or_default();
    let tag = match op.tags.as_slice() {
        [tag] => tag.clone(),
        _ => return Err(("/tags".into(), Problem::OneTag)),
    };
    let (credential, signed) = credentials(op)?;
    let effect = text(op, "x-mm-effect").and_then(Effect::from_name).ok_or((
        "/x-mm-effect".into(),
        Problem::Extension {
            name: "x-mm-effect",
            expected: one_of(Effect::ALL.iter().map(|x| x.as_str())).into(),
        },
    ))?;
    let group = match op.extensions.get("x-mm-group") {
        Some(Value::String(name)) if crate::spec::is_snake_case(name) => name.clone(),
        _ => {
            return Err((
                "/x-mm-group".into(),
                Problem::Extension {
                    name: "x-mm-group",
                    expected: "the snake_case name of one of the API's groups (`x-mm-groups`)"
                        .into(),
                },
            ));
        }
    };
    let returns_nothing = match op.extensions.get("x-mm-returns") {
        None => false,
        Some(Value::String(what)) if what == "nothing" => true,
        Some(_) => {
            return Err((
                "/x-mm-returns".into(),
                Problem::Extension {
                    name: "x-mm-returns",
                    expected: "`nothing`".into(),
                },
            ));
        }
    };
    let mut headers = Vec::new();
    let mut query = Vec::new();
    // A query parameter whose content is JSON carries the request: its schema.
    let mut request_in_query = None;
    let mut arguments = 0;
    for (index, parameter) in op.parameters.iter().enumerate() {
        let at = format!("/parameters/{index}");
        let Some(parameter) = resolve_parameter(spec, parameter) else {
            return Err((at, Problem::UnknownRef("parameter".into())));
        };
        let (parameter_data, in_query) = match parameter {
            openapiv3::Parameter::Header { parameter_data, .. } => (parameter_data, false),
            openapiv3::Parameter::Query { parameter_data, .. } => (parameter_data, true),
            _ => return Err((at, Problem::NotAHeader)),
        };
        let name = parameter_data.name.clone();
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err((at, Problem::HeaderName(name)));
        }
        let description = parameter_data.description.clone();
        let example = parameter_data
            .example
            .as_ref()
            .and_then(Value::as_str)
            .map(str::to_owned);
        let (list, source) = if in_query {
            let source = if let Some(source) = query_filled.get(&name.to_ascii_lowercase()) {
                Source::Filled(*source)
            } else if let ParameterSchemaOrContent::Content(content) = &parameter_data.format {
                let schema = content
                    .get("application/json")
                    .and_then(|media| media.schema.as_ref())
                    .ok_or((at.clone(), Problem::Body))?;
                if request_in_query.replace(schema).is_some() || op.request_body.is_some() {
                    return Err((at, Problem::Body));
                }
                Source::Request
            } else {
                arguments += 1;
                Source::Argument(arguments - 1)
            };
            (&mut query, source)
        } else {
            // One value allowed is sent as that value, even where `x-mm-headers` fills the
            // header (an operation whose interface `version` is its own).
            let source = if let Some(value) = fixed_value(spec, &parameter_data.format) {
                if !parameter_data.required {
                    return Err((at, Problem::OptionalFixedHeader));
                }
                Source::Fixed(value)
            } else if let Some(source) = filled.get(&name.to_ascii_lowercase()) {
                Source::Filled(*source)
            } else {
                arguments += 1;
                Source::Argument(arguments - 1)
            };
            (&mut headers, source)
        };
        list.push(Parameter {
            argument: snake_case(&name),
            name,
            source,
            required: parameter_data.required,
            description,
            example,
        });
    }
    check_credential_headers(credential, &headers)?;
    let open_api = match (signed, routes) {
        (false, _) => None,
        (true, None) => {
            return Err((
                "/x-mm-credential".into(),
                Problem::CredentialHeaders(
                    "an operation an Open API key may call needs the spec's `x-mm-open-api`",
                ),
            ));
        }
        (true, Some(routes)) => Some(routes.route(path, &headers)?),
    };

    if credential == Credential::QuoteToken
        && !query
            .iter()
            .any(|q| q.source == Source::Filled(mm_sdk_facts::Source::Credential))
    {
        return Err((
            "/parameters".into(),
            Problem::CredentialHeaders(
                "a `quote-token` operation sends it in a query parameter filled from \
                 `credential` (`x-mm-query`); none is declared",
            ),
        ));
    }

    let (body, encoding, request) = body(spec, op, request_in_query)?;
    let (data, envelope, answer) = response_data(spec, envelopes, op)?;
    let answer = answer.filter(|_| !returns_nothing);
    let paging = crate::paging::read(spec, op.extensions.get("x-mm-paging"), request, answer)?;
    let rules = match request {
        Some(request) => crate::rules::read(spec, request)
            .map_err(|why| ("/requestBody".to_owned(), Problem::Rule(why)))?,
        None => Vec::new(),
    };
    let data = if returns_nothing {
        "()".to_owned()
    } else {
        data
    };
    Ok(Operation {
        id,
        tag,
        method: method.to_ascii_uppercase(),
        path: path.to_owned(),
        summary: op.summary.clone(),
        description: op.description.clone(),
        deprecated: op.deprecated,
        group,
        docs_page: op.external_docs.as_ref().map(|docs| {
            (
                docs.description.clone().unwrap_or_default(),
                docs.url.clone(),
            )
        }),
        headers,
        query,
        encoding,
        envelope,
        credential,
        effect,
        returns_nothing,
        paging,
        body,
        rules,
        data,
        open_api,
    })
}

/// The operation's `x-mm-credential`: one credential, or the pair `[client-login,
/// open-api-signature]` of a Client operation an Open API key may call too (then `true`).
fn credentials(op: &openapiv3::Operation) -> Found<(Credential, bool)> {
    let problem = || {
        (
            "/x-mm-credential".to_owned(),
            Problem::Extension {
                name: "x-mm-credential",
                expected: format!(
                    "{}, or the list `[client-login, open-api-signature]`",
                    one_of(Credential::ALL.iter().map(|x| x.as_str()))
                )
                .into(),
            },
        )
    };
    match op.extensions.get("x-mm-credential") {
        Some(Value::String(name)) => Credential::from_name(name)
            .map(|c| (c, false))
            .ok_or_else(problem),
        Some(Value::Array(names))
            if names.len() == 2
                && names[0] == Credential::ClientLogin.as_str()
                && names[1] == Credential::OpenApiSignature.as_str() =>
        {
            Ok((Credential::ClientLogin, true))
        }
        _ => Err(problem()),
    }
}

/// The spec's `x-mm-open-api`, if it has one: `{from, to, headers: [{name, required}]}`,
/// each header filled as `x-mm-headers` says.
fn open_api_routes(spec: &OpenAPI, filled: &Filled) -> Found<Option<OpenApiRoutes>> {
    let Some(value) = spec.extensions.get("x-mm-open-api") else {
        return Ok(None);
    };
    let problem = |at: &str| {
        (
            format!("/x-mm-open-api{at}"),
            Problem::Extension {
                name: "x-mm-open-api",
                expected: "`{from, to, headers}`: two path prefixes and a list of `{name, \
                           required}` headers, each filled as `x-mm-headers` says"
                    .into(),
            },
        )
    };
    let prefix = |name: &str| {
        value
            .get(name)
            .and_then(Value::as_str)
            .filter(|p| p.starts_with('/') && p.ends_with('/'))
            .map(str::to_owned)
            .ok_or_else(|| problem(&format!("/{name}")))
    };
    let (from, to) = (prefix("from")?, prefix("to")?);
    let list = value
        .get("headers")
        .and_then(Value::as_array)
        .ok_or_else(|| problem("/headers"))?;
    let mut headers = Vec::new();
    for (index, header) in list.iter().enumerate() {
        let at = format!("/headers/{index}");
        let name = header.get("name").and_then(Value::as_str);
        let required = header.get("required").and_then(Value::as_bool);
        let (Some(name), Some(required)) = (name, required) else {
            return Err(problem(&at));
        };
        let source = filled
            .get(&name.to_ascii_lowercase())
            .ok_or_else(|| problem(&at))?;
        headers.push(Parameter {
            name: name.to_owned(),
            source: Source::Filled(*source),
            required,
            argument: snake_case(name),
            description: None,
            example: None,
        });
    }
    check_credential_headers(Credential::OpenApiSignature, &headers)
        .map_err(|(_, problem)| ("/x-mm-open-api/headers".to_owned(), problem))?;
    Ok(Some(OpenApiRoutes { from, to, headers }))
}

impl OpenApiRoutes {
    /// The route of the operation at `path` with `headers`: its path under `to`, and the
    /// route's headers with the operation's fixed values (its `group`, its own `version`).
    fn route(&self, path: &str, headers: &[Parameter]) -> Found<OpenApiRoute> {
        let wrong = |why| {
            Err((
                "/x-mm-credential".to_owned(),
                Problem::CredentialHeaders(why),
            ))
        };
        let Some(rest) = path.strip_prefix(&self.from) else {
            return wrong("an Open API key reaches only the paths under `x-mm-open-api`'s `from`");
        };
        let mut route = self.headers.clone();
        for header in headers {
            match &header.source {
                Source::Fixed(_) => {
                    let same = route
                        .iter_mut()
                        .find(|h| h.name.eq_ignore_ascii_case(&header.name));
                    match same {
                        Some(same) => *same = header.clone(),
                        None => route.push(header.clone()),
                    }
                }
                Source::Argument(_) => {
                    return wrong(
                        "an operation with header arguments has no Open API route: the Open API \
                         takes only its own headers",
                    );
                }
                Source::Filled(_) | Source::Request => {}
            }
        }
        Ok(OpenApiRoute {
            path: format!("{}{rest}", self.to),
            headers: route,
        })
    }
}

fn text<'a>(op: &'a openapiv3::Operation, name: &str) -> Option<&'a str> {
    op.extensions.get(name).and_then(Value::as_str)
}

/// The headers a credential needs: its own header where it has one, and the signature's.
fn check_credential_headers(credential: Credential, headers: &[Parameter]) -> Found<()> {
    use mm_sdk_facts::Source as Filled;
    let has = |source: Filled| headers.iter().any(|h| h.source == Source::Filled(source));
    let wrong = |why: &'static str| Err(("/parameters".into(), Problem::CredentialHeaders(why)));
    match credential {
        Credential::ManagerToken | Credential::ClientLogin if !has(Filled::Credential) => {
            wrong("this credential is sent in a header filled from `credential`; none is declared")
        }
        Credential::None | Credential::Auth2App | Credential::OpenApiSignature
            if headers
                .iter()
                .any(|h| h.required && h.source == Source::Filled(Filled::Credential)) =>
        {
            wrong(
                "a required header is filled from `credential` but the operation's credential \
                 has no token (an optional one is left out)",
            )
        }
        Credential::OpenApiSignature
            if !(has(Filled::Signature) && has(Filled::Timestamp) && has(Filled::ApiKey)) =>
        {
            wrong(
                "a signed operation needs headers filled from `timestamp`, `api-key` and `signature`",
            )
        }
        _ if credential != Credential::OpenApiSignature && has(Filled::Signature) => {
            wrong("only an `open-api-signature` operation has a `signature` header")
        }
        _ => Ok(()),
    }
}

fn resolve_parameter<'a>(
    spec: &'a OpenAPI,
    parameter: &'a ReferenceOr<openapiv3::Parameter>,
) -> Option<&'a openapiv3::Parameter> {
    match parameter {
        ReferenceOr::Item(parameter) => Some(parameter),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/parameters/")?;
            spec.components.as_ref()?.parameters.get(name)?.as_item()
        }
    }
}

fn resolve_schema<'a>(spec: &'a OpenAPI, schema: &'a ReferenceOr<Schema>) -> Option<&'a Schema> {
    match schema {
        ReferenceOr::Item(schema) => Some(schema),
        ReferenceOr::Reference { reference } => component(spec, reference),
    }
}

/// The `externalValue` of every example of `operation`'s request: its JSON or multipart
/// body, or the query parameter that carries it as JSON.
pub fn request_examples(operation: &openapiv3::Operation) -> impl Iterator<Item = &str> {
    let body = operation.request_body.iter().filter_map(|body| match body {
        ReferenceOr::Item(body) => body
            .content
            .get("application/json")
            .or_else(|| body.content.get("multipart/form-data")),
        ReferenceOr::Reference { .. } => None,
    });
    let query = operation
        .parameters
        .iter()
        .filter_map(ReferenceOr::as_item)
        .filter_map(|parameter| match parameter {
            openapiv3::Parameter::Query {
                parameter_data:
                    openapiv3::ParameterData {
                        format: ParameterSchemaOrContent::Content(content),
                        ..
                    },
                ..
            } => content.get("application/json"),
            _ => None,
        });
    body.chain(query)
        .flat_map(|media| media.examples.values())
        .filter_map(|example| example.as_item()?.external_value.as_deref())
}

/// The component `reference` names, its own `$ref`s followed.
pub(crate) fn component<'a>(spec: &'a OpenAPI, reference: &str) -> Option<&'a Schema> {
    let mut schema = spec
        .components
        .as_ref()?
        .schemas
        .get(reference.strip_prefix("#/components/schemas/")?)?;
    // A chain of references is as long as the components at most.
    for _ in 0..=spec.components.as_ref()?.schemas.len() {
        match schema {
            ReferenceOr::Item(item) => return Some(item),
            ReferenceOr::Reference { reference } => {
                schema = spec
                    .components
                    .as_ref()?
                    .schemas
                    .get(reference.strip_prefix("#/components/schemas/")?)?;
            }
        }
    }
    None
}

/// The one value a header's schema allows (`enum: [tradeApi]`), if it allows only one.
fn fixed_value(spec: &OpenAPI, format: &ParameterSchemaOrContent) -> Option<String> {
    let ParameterSchemaOrContent::Schema(schema) = format else {
        return None;
    };
    match &resolve_schema(spec, schema)?.schema_kind {
        SchemaKind::Type(Type::String(StringType { enumeration, .. })) => {
            match enumeration.as_slice() {
                [Some(value)] if value.bytes().all(|b| (0x21..0x7f).contains(&b)) => {
                    Some(value.clone())
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// The request of `op`: its type and how it is written. It is the JSON body's schema, the
/// `multipart/form-data` body's, or that of the query parameter that carries it
/// (`in_query`); a request schema of exactly `trace` and `data` is the quote service's
/// [`Encoding::Traced`], whose call takes the `data`. An operation may have none (a `GET`,
/// or a `POST` upstream declares no body for): nothing is sent. The schema the call takes
/// comes last.
fn body<'a>(
    spec: &'a OpenAPI,
    op: &'a openapiv3::Operation,
    in_query: Option<&'a ReferenceOr<Schema>>,
) -> Found<(Body, Encoding, Option<&'a Schema>)> {
    let missing = || ("/requestBody".into(), Problem::Body);
    let (schema, mut encoding) = match (&op.request_body, in_query) {
        (_, Some(schema)) => (schema, Encoding::Json),
        (Some(ReferenceOr::Item(body)), None) => {
            match (
                body.content.get("application/json"),
                body.content.get("multipart/form-data"),
            ) {
                (Some(json), None) => (json.schema.as_ref().ok_or_else(missing)?, Encoding::Json),
                (None, Some(form)) => (
                    form.schema.as_ref().ok_or_else(missing)?,
                    Encoding::Multipart,
                ),
                _ => return Err(missing()),
            }
        }
        (None, None) => {
            return Ok((
                Body {
                    rust_type: "::mm_sdk_core::EmptyBody".into(),
                    empty: true,
                    schema: None,
                },
                Encoding::None,
                None,
            ));
        }
        _ => return Err(missing()),
    };
    let ReferenceOr::Reference { reference } = schema else {
        return Err(missing());
    };
    let mut name = reference
        .strip_prefix("#/components/schemas/")
        .ok_or_else(missing)?;
    let mut schema = spec
        .components
        .as_ref()
        .and_then(|c| c.schemas.get(name))
        .and_then(|s| resolve_schema(spec, s))
        .ok_or_else(missing)?;
    if encoding == Encoding::Json
        && let Some(data) = traced_data(schema)
    {
        encoding = Encoding::Traced;
        name = data;
        schema = spec
            .components
            .as_ref()
            .and_then(|c| c.schemas.get(name))
            .and_then(|s| resolve_schema(spec, s))
            .ok_or_else(missing)?;
    }
    let empty = matches!(
        &schema.schema_kind,
        SchemaKind::Type(Type::Object(object)) if object.properties.is_empty()
    );
    Ok((
        Body {
            rust_type: format!("types::{}", pascal_case(name)),
            empty,
            schema: Some(name.to_owned()),
        },
        encoding,
        Some(schema),
    ))
}

/// The schema name of `data`, when `schema` is exactly `{trace: string, data: $ref}`.
fn traced_data(schema: &Schema) -> Option<&str> {
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
        return None;
    };
    if object.properties.len() != 2 {
        return None;
    }
    let trace = object.properties.get("trace")?.as_item()?;
    if !matches!(trace.schema_kind, SchemaKind::Type(Type::String(_))) {
        return None;
    }
    match object.properties.get("data")? {
        ReferenceOr::Reference { reference } => reference.strip_prefix("#/components/schemas/"),
        ReferenceOr::Item(_) => None,
    }
}

/// The schema of an answer's `data`, as its envelope declares it.
type DataSchema<'a> = &'a ReferenceOr<Box<Schema>>;

/// The Rust type of the answer's `data`, the answer's envelope, and the schema of its `data`.
fn response_data<'a>(
    spec: &'a OpenAPI,
    envelopes: &BTreeMap<String, envelope::Envelope>,
    op: &openapiv3::Operation,
) -> Found<(String, EnvelopeKind, Option<DataSchema<'a>>)> {
    let missing = || ("/responses/200".into(), Problem::Response);
    let response = op
        .responses
        .responses
        .get(&openapiv3::StatusCode::Code(200))
        .and_then(ReferenceOr::as_item)
        .ok_or_else(missing)?;
    let media = response
        .content
        .get("application/json")
        .ok_or_else(missing)?;
    let Some(ReferenceOr::Reference { reference }) = &media.schema else {
        return Err(missing());
    };
    let name = reference
        .strip_prefix("#/components/schemas/")
        .ok_or_else(missing)?;
    let envelope = envelopes.get(name).ok_or_else(missing)?;
    let data = &envelope.data_type;
    let schema = spec
        .components
        .as_ref()
        .and_then(|c| c.schemas.get(name))
        .and_then(|s| resolve_schema(spec, s))
        .and_then(|envelope| match &envelope.schema_kind {
            SchemaKind::Type(Type::Object(object)) => object.properties.get("data"),
            _ => None,
        });
    Ok((
        data.strip_prefix("crate::").unwrap_or(data).to_owned(),
        envelope.kind,
        schema,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A spec with one operation of each request shape the conventions allow besides a JSON
    /// body: a traced request in a query parameter, a `GET` with query arguments and no body,
    /// and a multipart upload.
    const SPEC: &str = r##"openapi: 3.0.3
info: {title: Test, version: 0.1.0}
x-mm-api: manager
x-mm-headers: {trace: trace}
x-mm-query: {token: credential}
tags: [{name: quote}]
paths:
  /quote/depth:
    get:
      operationId: depth
      tags: [quote]
      x-mm-group: quote
      x-mm-credential: quote-token
      x-mm-effect: read
      parameters:
        - {name: token, in: query, required: true, schema: {type: string}}
        - name: query
          in: query
          required: true
          content:
            application/json:
              schema: {$ref: '#/components/schemas/DepthRequest'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/DepthResponse'}
  /country:
    get:
      operationId: country
      tags: [quote]
      x-mm-group: quote
      x-mm-credential: none
      x-mm-effect: read
      parameters:
        - {name: trace, in: header, required: true, schema: {type: string}}
        - {name: ip, in: query, required: false, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/DepthResponse'}
  /upload:
    post:
      operationId: upload
      tags: [quote]
      x-mm-group: quote
      x-mm-credential: none
      x-mm-effect: write
      requestBody:
        content:
          multipart/form-data:
            schema: {$ref: '#/components/schemas/Upload'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/DepthResponse'}
components:
  schemas:
    DepthRequest:
      type: object
      properties:
        trace: {type: string}
        data: {$ref: '#/components/schemas/Symbols'}
    Symbols:
      type: object
      properties:
        codes: {type: array, items: {type: string}}
    Upload:
      type: object
      properties:
        object: {type: string, format: binary}
        userPhone: {type: string}
    DepthResponse:
      type: object
      properties:
        ret: {type: integer}
        msg: {type: string}
        trace: {type: string}
        data:
          anyOf:
            - {$ref: '#/components/schemas/Symbols'}
            - {type: string, nullable: true, enum: [null]}
"##;

    #[test]
    fn query_traced_and_multipart_requests_are_read_from_the_spec() {
        let spec = crate::parse(std::path::Path::new("openapi/test.yaml"), SPEC).unwrap();
        let model = crate::model_of(&spec).unwrap();
        let [depth, country, upload] = model.operations.as_slice() else {
            panic!("three operations");
        };
        assert_eq!(depth.credential, Credential::QuoteToken);
        assert_eq!(
            depth.query.iter().map(|q| &q.source).collect::<Vec<_>>(),
            [
                &Source::Filled(mm_sdk_facts::Source::Credential),
                &Source::Request
            ]
        );
        assert_eq!(
            (depth.encoding, depth.envelope),
            (Encoding::Traced, EnvelopeKind::Quote)
        );
        assert_eq!(depth.body.rust_type, "types::Symbols");

        assert_eq!(country.query[0].source, Source::Argument(0));
        assert!(country.body.empty);
        assert_eq!(country.encoding, Encoding::None);

        assert_eq!(upload.encoding, Encoding::Multipart);
        assert_eq!(upload.body.rust_type, "types::Upload");

        let code = crate::generate(&spec, &model).unwrap().code;
        for expected in [
            "QueryParam::new(\"query\", Source::Request, true)",
            "encoding: Encoding::Traced",
            "envelope: EnvelopeKind::Quote",
            "QueryParam::new(\"ip\", Source::Argument(0usize), false)",
            "pub object: ::std::option::Option<::mm_sdk_core::Upload>",
        ] {
            assert!(code.contains(expected), "no `{expected}` in\n{code}");
        }
    }

    #[test]
    fn a_quote_token_needs_its_query_parameter() {
        let spec = SPEC.replace("x-mm-query: {token: credential}\n", "");
        let spec = crate::parse(std::path::Path::new("openapi/test.yaml"), &spec).unwrap();
        let error = crate::model_of(&spec).unwrap_err().to_string();
        assert!(error.contains("a `quote-token` operation"), "{error}");
    }
}

//! What the generated code says of each operation, read from a spec and its `x-mm-*`
//! extensions, and checked.
//!
//! The extensions (documented in `openapi/README.md`):
//!
//! - at the root, `x-mm-api` (`client`, `manager` or `auth2`: the base URL and the handle the
//!   operations hang on) and `x-mm-headers` (which header, by name, the SDK fills from what);
//! - on each operation, `x-mm-credential` and `x-mm-effect` (required), `x-mm-curated`,
//!   `x-mm-returns` and `x-mm-paging` (optional).

use std::collections::BTreeMap;

use openapiv3::{
    OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody, Schema, SchemaKind,
    StringType, Type,
};
use serde_json::Value;

pub use mm_sdk_core::{Api, Credential, Effect};

use crate::envelope;
use crate::error::Problem;
use crate::names::{pascal_case, snake_case};

/// Where a header's value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Filled by the SDK, as `x-mm-headers` says.
    Filled(mm_sdk_core::Source),
    /// A header whose schema allows exactly one value.
    Fixed(String),
    /// An argument of the call, at this index among the header arguments.
    Argument(usize),
}

/// The secret type a call passes, for the credentials given per call.
pub fn per_call_type(credential: Credential) -> Option<&'static str> {
    match credential {
        Credential::ClientLogin => Some("LoginToken"),
        Credential::Auth2Access => Some("AccessToken"),
        _ => None,
    }
}

/// One header of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// As the spec spells it.
    pub name: String,
    /// Where its value comes from.
    pub source: Source,
    /// Whether the spec requires it.
    pub required: bool,
    /// The argument's name, for a header the call passes.
    pub argument: String,
    /// The spec's description.
    pub description: Option<String>,
    /// The spec's example value, if it gives one as a string.
    pub example: Option<String>,
}

/// How an operation pages through results (`x-mm-paging`): field names of the request and
/// of the response's `data`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paging {
    /// The request field holding the page number.
    pub page: String,
    /// The request field holding the page size.
    pub size: String,
    /// The response field holding this page's rows.
    pub items: String,
    /// The response field holding the number of rows in all.
    pub total: String,
}

/// The request body of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    /// The Rust type, relative to the generated crate root (`types::LoginRequest`).
    pub rust_type: String,
    /// True for an object schema without properties: the call then takes no body and sends
    /// `{}`.
    pub empty: bool,
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
    /// The docs page it comes from (`externalDocs`): description and URL.
    pub docs_page: Option<(String, String)>,
    /// Its headers, in the spec's order.
    pub headers: Vec<Header>,
    /// What authenticates it.
    pub credential: Credential,
    /// Read or write.
    pub effect: Effect,
    /// The hand-written method that replaces the generated one, if any (`x-mm-curated`).
    pub curated: Option<String>,
    /// Whether a success carries no data (`x-mm-returns: nothing`).
    pub returns_nothing: bool,
    /// How it pages, if it does.
    pub paging: Option<Paging>,
    /// Its request body.
    pub body: Body,
    /// The Rust type of the response's `data`, relative to the crate root.
    pub data: String,
}

impl Operation {
    /// Whether each call carries an idempotency key (a header filled from
    /// `idempotency-key`), which makes a write safe to retry.
    pub fn is_idempotent(&self) -> bool {
        self.headers
            .iter()
            .any(|h| h.source == Source::Filled(mm_sdk_core::Source::IdempotencyKey))
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

/// Everything generated from one spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    /// The spec's `info.title`.
    pub title: String,
    /// Which API.
    pub api: Api,
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
                expected: "`client`, `manager` or `auth2`",
            },
        ))?;
    let filled = header_sources(spec)?;
    let envelopes: BTreeMap<String, String> = envelope::find(spec, "crate")?
        .into_iter()
        .map(|e| (e.schema, e.data_type))
        .collect();

    let mut operations = Vec::new();
    for (path, method, op) in spec.operations() {
        let pointer = format!("/paths/{}/{method}", crate::spec::escape(path));
        operations.push(
            operation(spec, &filled, &envelopes, path, method, op)
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
    Ok(Model {
        title: spec.info.title.clone(),
        api,
        tags,
        operations,
    })
}

/// `x-mm-headers`: header name (lower case) to source.
fn header_sources(
    spec: &OpenAPI,
) -> Result<BTreeMap<String, mm_sdk_core::Source>, (String, Problem)> {
    let problem = |at: String| {
        (
            at,
            Problem::Extension {
                name: "x-mm-headers",
                expected: "a map from header name to one of trace, company-id, lang, version, \
                           credential, timestamp, api-key, signature, recv-window, \
                           idempotency-key",
            },
        )
    };
    let Some(Value::Object(map)) = spec.extensions.get("x-mm-headers") else {
        return Err(problem("/x-mm-headers".into()));
    };
    let mut sources = BTreeMap::new();
    for (name, source) in map {
        let source = source
            .as_str()
            .and_then(mm_sdk_core::Source::from_name)
            .ok_or_else(|| problem(format!("/x-mm-headers/{}", crate::spec::escape(name))))?;
        sources.insert(name.to_ascii_lowercase(), source);
    }
    Ok(sources)
}

type Found<T> = Result<T, (String, Problem)>;

fn operation(
    spec: &OpenAPI,
    filled: &BTreeMap<String, mm_sdk_core::Source>,
    envelopes: &BTreeMap<String, String>,
    path: &str,
    method: &str,
    op: &openapiv3::Operation,
) -> Found<Operation> {
    let id = op.operation_id.clone().unwrap_or_default();
    let tag = match op.tags.as_slice() {
        [tag] => tag.clone(),
        _ => return Err(("/tags".into(), Problem::OneTag)),
    };
    let credential = text(op, "x-mm-credential")
        .and_then(Credential::from_name)
        .ok_or((
            "/x-mm-credential".into(),
            Problem::Extension {
                name: "x-mm-credential",
                expected: "one of none, client-login, manager-token, auth2-app, auth2-access, \
                       open-api-signature",
            },
        ))?;
    let effect = text(op, "x-mm-effect").and_then(Effect::from_name).ok_or((
        "/x-mm-effect".into(),
        Problem::Extension {
            name: "x-mm-effect",
            expected: "`read` or `write`",
        },
    ))?;
    let curated = match op.extensions.get("x-mm-curated") {
        None => None,
        Some(Value::String(name)) if crate::spec::is_snake_case(name) => Some(name.clone()),
        Some(_) => {
            return Err((
                "/x-mm-curated".into(),
                Problem::Extension {
                    name: "x-mm-curated",
                    expected: "the snake_case name of the hand-written method",
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
                    expected: "`nothing`",
                },
            ));
        }
    };
    let paging = match op.extensions.get("x-mm-paging") {
        None => None,
        Some(value) => Some(paging(value).ok_or((
            "/x-mm-paging".into(),
            Problem::Extension {
                name: "x-mm-paging",
                expected: "`{page, size, items, total}`, each a field name",
            },
        ))?),
    };

    let mut headers = Vec::new();
    let mut arguments = 0;
    for (index, parameter) in op.parameters.iter().enumerate() {
        let at = format!("/parameters/{index}");
        let Some(parameter) = resolve_parameter(spec, parameter) else {
            return Err((at, Problem::UnknownRef("parameter".into())));
        };
        let Parameter::Header { parameter_data, .. } = parameter else {
            return Err((at, Problem::NotAHeader));
        };
        let name = parameter_data.name.clone();
        let source = if let Some(source) = filled.get(&name.to_ascii_lowercase()) {
            Source::Filled(*source)
        } else if let Some(value) = fixed_value(spec, &parameter_data.format) {
            if !parameter_data.required {
                return Err((at, Problem::OptionalFixedHeader));
            }
            Source::Fixed(value)
        } else {
            arguments += 1;
            Source::Argument(arguments - 1)
        };
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err((at, Problem::HeaderName(name)));
        }
        headers.push(Header {
            argument: snake_case(&name),
            name,
            source,
            required: parameter_data.required,
            description: parameter_data.description.clone(),
            example: parameter_data
                .example
                .as_ref()
                .and_then(Value::as_str)
                .map(str::to_owned),
        });
    }
    check_credential_headers(credential, &headers)?;
    if credential == Credential::Auth2App && curated.is_none() {
        return Err(("/x-mm-credential".into(), Problem::Auth2AppNotCurated));
    }

    let body = body(spec, op)?;
    let data = response_data(envelopes, op)?;
    let data = if returns_nothing {
        "::mm_sdk_core::Nothing".to_owned()
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
        docs_page: op.external_docs.as_ref().map(|docs| {
            (
                docs.description.clone().unwrap_or_default(),
                docs.url.clone(),
            )
        }),
        headers,
        credential,
        effect,
        curated,
        returns_nothing,
        paging,
        body,
        data,
    })
}

fn text<'a>(op: &'a openapiv3::Operation, name: &str) -> Option<&'a str> {
    op.extensions.get(name).and_then(Value::as_str)
}

fn paging(value: &Value) -> Option<Paging> {
    let field = |name: &str| value.get(name)?.as_str().map(str::to_owned);
    let paging = Paging {
        page: field("page")?,
        size: field("size")?,
        items: field("items")?,
        total: field("total")?,
    };
    (value.as_object()?.len() == 4).then_some(paging)
}

/// The headers a credential needs: its own header where it has one, and the signature's.
fn check_credential_headers(credential: Credential, headers: &[Header]) -> Found<()> {
    use mm_sdk_core::Source as Filled;
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
    parameter: &'a ReferenceOr<Parameter>,
) -> Option<&'a Parameter> {
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
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/schemas/")?;
            resolve_schema(spec, spec.components.as_ref()?.schemas.get(name)?)
        }
    }
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

fn body(spec: &OpenAPI, op: &openapiv3::Operation) -> Found<Body> {
    let missing = || ("/requestBody".into(), Problem::Body);
    let body: &RequestBody = match &op.request_body {
        Some(ReferenceOr::Item(body)) => body,
        _ => return Err(missing()),
    };
    let media = body.content.get("application/json").ok_or_else(missing)?;
    let Some(ReferenceOr::Reference { reference }) = &media.schema else {
        return Err(missing());
    };
    let name = reference
        .strip_prefix("#/components/schemas/")
        .ok_or_else(missing)?;
    let schema = spec
        .components
        .as_ref()
        .and_then(|c| c.schemas.get(name))
        .and_then(|s| resolve_schema(spec, s))
        .ok_or_else(missing)?;
    let empty = matches!(
        &schema.schema_kind,
        SchemaKind::Type(Type::Object(object)) if object.properties.is_empty()
    );
    Ok(Body {
        rust_type: format!("types::{}", pascal_case(name)),
        empty,
    })
}

fn response_data(envelopes: &BTreeMap<String, String>, op: &openapiv3::Operation) -> Found<String> {
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
    let data = envelopes.get(name).ok_or_else(missing)?;
    Ok(data.strip_prefix("crate::").unwrap_or(data).to_owned())
}
